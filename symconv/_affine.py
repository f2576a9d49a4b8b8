r"""Chains in linear time: compose layer maps in an integer affine/floor normal form.

A layer's output size, as read off its relation (``Layer.expr``), is either an
affine map :math:`z \mapsto n z + e` (transposed convolution, upsampling) or a
floor map :math:`z \mapsto \lfloor (a z + b)/q \rfloor + C` (convolution, pooling).
A chain is kept as a list of *stages* ``(a, b, q, m, c)``, each the map
:math:`y \mapsto m \lfloor (a y + b)/q \rfloor + c` of the previous stage's value,
with integers only.  Composing one more layer touches only the last stage:

* an affine map multiplies ``m`` and shifts ``c``;
* a floor map on :math:`V = mF + c` is :math:`\lfloor (MF + E)/q_2 \rfloor + C` with
  :math:`M = a_2 m`, :math:`E = a_2 c + b_2`; dividing ``M`` and :math:`q_2` by their
  gcd ``g`` (exact, as :math:`g \mid MF`: :math:`\lfloor (MF + E)/q_2 \rfloor =
  \lfloor (\tfrac{M}{g}F + \lfloor E/g \rfloor)/\tfrac{q_2}{g} \rfloor`) leaves
  either no division (an affine stage), or ``M = 1`` and the nested floors merge
  (:math:`\lfloor (\lfloor u/q \rfloor + E)/Q \rfloor = \lfloor (u + qE)/(qQ) \rfloor`
  for integer ``u``), or a new stage ``(M, E, Q, 1, C)`` over ``F`` (the last
  stage then outputs ``F`` itself: ``m = 1, c = 0``).

So each layer costs O(1) integer operations, the sympy expression is built once at
the end (one node per stage), and a chain that collapses stays one stage however
deep.  A layer whose map is neither (ceil-mode pooling's case split, TF SAME's
ceiling) is substituted symbolically, and composition continues above it.

>>> stages = [IDENTITY]
>>> then_floor(stages, 1, -1, 2, 1)     # conv k=7 s=2 p=3: floor((z - 1)/2) + 1
>>> then_floor(stages, 1, -1, 2, 1)     # pool k=3 s=2 p=1
>>> stages
[(1, -1, 4, 1, 1)]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["IDENTITY", "then_affine", "then_floor", "read", "build", "compose"]

Stage = tuple[int, int, int, int, int]      # (a, b, q, m, c): y -> m floor((a y + b)/q) + c
IDENTITY: Stage = (1, 0, 1, 1, 0)


def then_affine(stages: list[Stage], n: int, e: int) -> None:
    """Compose ``z -> n z + e`` after the last stage (in place)."""
    a, b, q, m, c = stages[-1]
    stages[-1] = (a, b, q, n * m, n * c + e)


def then_floor(stages: list[Stage], a2: int, b2: int, q2: int, c2: int) -> None:
    """Compose ``z -> floor((a2 z + b2)/q2) + c2`` (``a2, q2 >= 1``) after the last stage."""
    a, b, q, m, c = stages[-1]
    big_m, e = a2 * m, a2 * c + b2
    g = math.gcd(big_m, q2)
    big_m, big_q, e = big_m // g, q2 // g, e // g
    if big_q == 1:
        stages[-1] = (a, b, q, big_m, e + c2)
    elif q == 1:        # the last stage has no floor yet: F = a y + b enters this one
        a, b, q = big_m * a, big_m * b + e, big_q
        h = math.gcd(a, q)
        stages[-1] = (a // h, b // h, q // h, 1, c2)
    elif big_m == 1:
        a, b, q = a, b + q * e, q * big_q
        h = math.gcd(a, q)
        stages[-1] = (a // h, b // h, q // h, 1, c2)
    else:               # a new stage, reading F (the floor of the last stage) itself
        stages[-1] = (a, b, q, 1, 0)
        stages.append((big_m, e, big_q, 1, c2))


def read(expr: Any, x: Any) -> tuple[str, tuple[int, ...]] | None:
    """A layer's map: ``("affine", (n, e))``, ``("floor", (a, b, q, C))`` or None."""
    import sympy
    if not expr.has(sympy.floor, sympy.ceiling, sympy.Piecewise, sympy.Max, sympy.Min, sympy.Mod):
        lin = _linear(sympy.expand(expr), x)
        return ("affine", lin) if lin is not None and lin[0] >= 1 else None
    terms = sympy.Add.make_args(expr)
    floors = [t for t in terms if isinstance(t, sympy.floor)]
    rest = sympy.Add(*[t for t in terms if not isinstance(t, sympy.floor)])
    if len(floors) != 1 or not rest.is_Integer:
        return None
    num, den = sympy.fraction(sympy.together(floors[0].args[0]))
    lin = _linear(sympy.expand(num), x)
    if lin is None or lin[0] < 1 or not (den.is_Integer and den >= 1):
        return None
    return ("floor", (lin[0], lin[1], int(den), int(rest)))


def _linear(e: Any, x: Any) -> tuple[int, int] | None:
    import sympy
    n, c = e.coeff(x, 1), e.coeff(x, 0)
    if not (n.is_Integer and c.is_Integer) or sympy.expand(n * x + c - e) != 0:
        return None
    return int(n), int(c)


def build(stages: Sequence[Stage], x: Any) -> Any:
    """The sympy expression of the stages applied to ``x`` (built once)."""
    import sympy
    e = x
    for a, b, q, m, c in stages:
        inner = a * e + b
        f = inner if q == 1 else sympy.floor(inner / q)
        e = m * f + c
    return e


@functools.lru_cache(maxsize=4096)
def _read_map(f: Callable[[Any], Any]) -> tuple[str, tuple[int, ...]] | None:
    """:func:`read` of one layer's map (cached: a layer is a frozen value, its map too)."""
    return read(f(_Z()), _Z())


@functools.cache
def _Z() -> Any:
    import sympy
    return sympy.Dummy("z", integer=True, positive=True)


def compose(maps: Sequence[Callable[[Any], Any]], x: Any,
            substitute: Callable[[Callable[[Any], Any], Any], Any]) -> Any:
    """Compose layer maps (``expr(z)`` for a symbol ``z``) over ``x``, in linear time.

    ``substitute(f, e)`` handles a map outside the normal form (it returns ``f(e)``,
    simplified as the caller likes).
    """
    base, stages = x, [IDENTITY]
    for f in maps:
        op = _read_map(f)
        if op is None:
            base, stages = substitute(f, build(stages, base)), [IDENTITY]
        elif op[0] == "affine":
            then_affine(stages, *op[1])
        else:
            then_floor(stages, *op[1])
    return build(stages, base)
