r"""The integer remainder ``x mod m`` as symconv builds it: sympy's ``Mod``, never evaluated
through sympy's rewriting of a remainder inside a remainder.

sympy 1.14 rewrites some remainders of a multiple of a remainder wrongly:
``Mod(2*Mod(i, 4), 4)`` to ``2*Mod(i, 4)`` (4 at ``i = 2``, where the remainder is
0), ``Mod(2*Mod(i, 3), 6)`` to ``2*Mod(Mod(i, 3)**2, 3)``, ``Mod(Mod(2*k, 12), 6)``
after its inner part to ``2*Mod(k, 6)`` (6 at ``k = 3``).  A claim read through them
was proven false (sympy issues 28744, 29757).  This ``Mod`` leaves such a remainder
as written, apart from the one rewriting that is plainly true, ``(x mod m) mod m = x
mod m``; numbers and remainders with no remainder inside are sympy's.  It is sympy's
``Mod`` in every other respect: the same name (so the same printers, ordering and
hash), an instance of ``sympy.Mod``, and equal to ``sympy.Mod`` of the same arguments.
Every remainder symconv builds, from its relations or from a user's formula, is one.

>>> import sympy
>>> i = sympy.Symbol("i", integer=True, positive=True)
>>> Mod(2 * Mod(i, 4), 4), Mod(2 * Mod(i, 4), 4).subs(i, 2)
(Mod(2*(Mod(i, 4)), 4), 0)
>>> Mod(2 * i + 1, 2), Mod(Mod(i, 4), 4), Mod(i, 2) == sympy.Mod(i, 2)
(1, Mod(i, 4), True)
"""

from __future__ import annotations

from typing import Any

import sympy

__all__ = ["Mod"]


class Mod(sympy.Mod):
    """``x mod m`` (sympy's ``Mod``) that sympy never rewrites with a remainder inside."""

    @classmethod
    def eval(cls, p: Any, q: Any) -> Any:
        if (p.has(sympy.Mod) or q.has(sympy.Mod)) and not (p.is_Number and q.is_Number):
            if isinstance(p, sympy.Mod) and p.args[1] == q:
                return p            # (x mod m) mod m = x mod m
            return None
        return super().eval(p, q)

    def __eq__(self, other: object) -> Any:
        # equal to sympy's Mod of the same arguments (a formula built by sympy's own
        # code, a test's expectation): the type is the only difference
        if type(other) in (sympy.Mod, Mod) and isinstance(other, sympy.Basic):
            return self.args == other.args
        return super().__eq__(other)     # NotImplemented for what sympy cannot read

    __hash__ = sympy.Mod.__hash__
