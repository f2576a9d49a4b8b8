r"""One JSON form for every number, formula and condition symconv prints with ``--json``.

- an integer is a JSON number; an exact rational is ``{"num": 3, "den": 2}``
  (never a string, never a float);
- a formula is ``{"expr": <sympy source>, "latex": <LaTeX>}`` (the sympy source
  is in the canonical symbols and reads back with ``symconv.parse_formula``, but for
  one holding cases, ``Piecewise``, or a logical combination: sympy's source only);
- a condition (a relation) is ``{"latex", "expr", "rel", "lhs", "rhs"}``: the
  LaTeX, the sympy source (``Eq(...)``, ``Ne(...)``: sympy's, for sympy), the relation
  sign (``=``, ``<=``, ...) and its two sides as numbers or formulas, which read back
  with ``symconv.parse_formula``; any other logical condition (``... | ...``) has
  ``"rel": null`` and no sides;
- an unknown quantity is ``null`` (never ``0``).

The shapes are published as JSON Schema in ``symconv/schemas/`` (``common.json``
holds these four).  Numbers need no sympy: it is only read for a value that is already
a sympy object (so it is imported already).

>>> import sympy
>>> number(sympy.Rational(3, 2)), number(4), number(None)
({'num': 3, 'den': 2}, 4, None)
>>> condition(sympy.Eq(sympy.Mod(sympy.Symbol("i"), 2), 0))["latex"]
'\\left(i \\bmod 2\\right) = 0'
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

__all__ = ["number", "condition", "jsonable"]

_REL = {"==": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "!=": "!="}


def _latex(expr: Any) -> str:
    from .printing import latex
    try:
        return str(latex(expr))
    except Exception:  # a value the printer does not know: its sympy form
        import sympy
        return str(sympy.latex(expr))


def _sstr(expr: Any) -> str:
    from .printing import sstr
    try:
        return str(sstr(expr))
    except Exception:
        return str(expr)


def formula(value: Any) -> Any:
    """:func:`number`, but a constant is a formula object ``{"expr", "latex"}`` too (a
    symbolic answer that came out a number is still a formula in the JSON schema); a
    condition stays a condition.

    >>> formula(1)
    {'expr': '1', 'latex': '1'}
    """
    import sympy
    if isinstance(value, (bool, int)):
        value = sympy.Integer(int(value))
    elif isinstance(value, Fraction):
        value = sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, sympy.Expr):
        return {"expr": _sstr(value), "latex": _latex(value)}
    return number(value)


def number(value: Any) -> Any:
    """An integer, ``{"num", "den"}`` for a rational, a formula object, or None."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else {"num": value.numerator,
                                                                 "den": value.denominator}
    sympy = sys.modules.get("sympy")     # a sympy value means sympy is imported already
    if sympy is not None and isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Integer):
            return int(value)
        if isinstance(value, sympy.Rational):
            return {"num": int(value.p), "den": int(value.q)}
        if isinstance(value, sympy.Expr):
            return {"expr": _sstr(value), "latex": _latex(value)}
        return condition(value)             # a relation or another logical condition
    if hasattr(value, "__index__"):         # numpy integers
        return int(value)
    if isinstance(value, float):
        raise TypeError(f"symconv never prints a float in JSON, got {value!r}")
    return value


def condition(cond: Any) -> dict[str, Any]:
    """A condition as LaTeX, sympy source and (for a relation) its sign and sides."""
    import sympy
    if isinstance(cond, sympy.core.relational.Relational):
        return {"latex": _latex(cond), "expr": _sstr(cond), "rel": _REL.get(cond.rel_op, cond.rel_op),
                "lhs": number(cond.lhs), "rhs": number(cond.rhs)}
    return {"latex": _latex(cond), "expr": _sstr(cond), "rel": None}


def jsonable(value: Any) -> Any:
    """``value`` with every number and formula in its documented JSON form (recursively)."""
    if isinstance(value, Mapping):      # a dict, or an answer's read-only view of one
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, str):
        return value
    return number(value)
