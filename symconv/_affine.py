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
deep.  A map of another shape that is one floor map in disguise (ceil-mode pooling's
case split, TF SAME's ceiling) is read as that floor map, proven so by
:func:`periodic_floor`; any other is substituted symbolically, and composition
continues above it.

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
from fractions import Fraction
from typing import Any

__all__ = ["IDENTITY", "then_affine", "then_floor", "read", "build", "build_direct", "compose",
           "clear_caches"]

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
    """A layer's map: ``("affine", (n, e))``, ``("floor", (a, b, q, C))`` or None.

    A map of another shape (ceil-mode pooling's case split, a ceiling) is read by
    :func:`periodic_floor` when it is one floor map in disguise.
    """
    import sympy
    if not expr.has(sympy.floor, sympy.ceiling, sympy.Piecewise, sympy.Max, sympy.Min, sympy.Mod):
        lin = _linear(sympy.expand(expr), x)
        return ("affine", lin) if lin is not None and lin[0] >= 1 else None
    terms = sympy.Add.make_args(expr)
    floors = [t for t in terms if isinstance(t, sympy.floor)]
    rest = sympy.Add(*[t for t in terms if not isinstance(t, sympy.floor)])
    if len(floors) != 1 or not rest.is_Integer:
        return periodic_floor(expr, x)
    num, den = sympy.fraction(sympy.together(floors[0].args[0]))
    lin = _linear(sympy.expand(num), x)
    if lin is None or lin[0] < 1 or not (den.is_Integer and den >= 1):
        return periodic_floor(expr, x)
    return ("floor", (lin[0], lin[1], int(den), int(rest)))


PERIOD_LIMIT = 2 ** 14
"""Largest period :func:`periodic_floor` fits (a longer one is substituted symbolically):
the map is evaluated once per integer of a period."""


def periodic_floor(expr: Any, x: Any) -> tuple[str, tuple[int, ...]] | None:
    r"""``expr`` (a map of the integer ``x``) as ``("floor", (a, b, q, C))``, i.e.
    :math:`\lfloor (a x + b)/q \rfloor + C` for every integer ``x >= 1``, or None.

    The argument has two steps, both exact.  First, by structure (:func:`_quasi`):
    ``expr`` is built from ``x``, rationals, sums, rational multiples, floors and
    ceilings, ``Max``/``Min`` of terms of one slope, and ``Piecewise`` whose pieces have
    one slope and whose conditions compare terms of equal slope.  Such a map has a
    slope ``r`` and a period ``P`` with :math:`f(x + P) = f(x) + rP` for every integer
    ``x``: a floor of :math:`A` with :math:`A(x + P) = A(x) + rP` and ``rP`` an integer
    moves by exactly ``rP``; a condition comparing terms of equal slope reads the same
    at ``x`` and ``x + P``, so the same piece is chosen.  Second, with
    :math:`r = a/q` in lowest terms and ``P`` made a multiple of ``q``, the candidate
    :math:`g(x) = \lfloor (a x + b)/q \rfloor + C` has the same law, so ``g = f`` on the
    ``P`` integers ``1..P`` (``expr`` evaluated there, exactly) gives ``g = f`` for every
    integer ``x >= 1``.  Writing ``B = b + qC``, ``g(x) = f(x)`` is
    :math:`q f(x) - a x \le B \le q f(x) - a x + q - 1`, so the ``B`` that fit are one
    interval, read off in one pass.  None when the structure is another, the slope is
    not positive, the period exceeds :data:`PERIOD_LIMIT`, or no ``B`` fits.

    >>> import sympy
    >>> z = sympy.Symbol("z", integer=True, positive=True)
    >>> c = sympy.ceiling(z/2 - sympy.Rational(3, 2))
    >>> periodic_floor(sympy.Piecewise((c, z <= 2*c), (c + 1, True)), z)  # pool k=3 s=2, ceil
    ('floor', (1, 0, 2, 0))
    >>> periodic_floor(sympy.ceiling(z/3), z)                              # TF SAME, s=3
    ('floor', (1, 2, 3, 0))
    """
    import sympy

    from ._exact import Inexact, compile_expr
    law = _quasi(expr, x)
    if law is None or law[0] <= 0 or math.lcm(law[1], law[0].denominator) > PERIOD_LIMIT:
        return None
    slope, period = law
    a, q = slope.numerator, slope.denominator
    period = math.lcm(period, q)        # r P an integer, and g's period
    # a named symbol of the same assumptions (the compiled code reads symbols by name)
    f = compile_expr(expr.xreplace({x: sympy.Symbol("x", **x.assumptions0)}))
    lo, hi = None, None
    for z in range(1, period + 1):
        try:
            v = f({"x": z})
        except Inexact:
            return None
        if type(v) is not int:
            return None
        lo = q * v - a * z if lo is None else max(lo, q * v - a * z)
        hi = q * v - a * z + q - 1 if hi is None else min(hi, q * v - a * z + q - 1)
        if lo > hi:
            return None
    assert lo is not None
    return ("floor", (a, lo % q, q, lo // q))


def _quasi(e: Any, x: Any) -> tuple[Fraction, int] | None:
    """``(r, P)`` with ``e(x + P) = e(x) + r P`` for every integer ``x``, read from the
    structure of ``e`` (see :func:`periodic_floor`; a floor's period makes its ``r P``
    an integer); None when ``e`` is built otherwise."""
    import sympy
    if e == x:
        return Fraction(1), 1
    if e.is_Rational:               # a constant: no slope
        return Fraction(0), 1
    if isinstance(e, sympy.Add):
        parts = [_quasi(t, x) for t in e.args]
        if any(t is None for t in parts):
            return None
        return sum((t[0] for t in parts if t is not None), Fraction(0)), \
            math.lcm(*(t[1] for t in parts if t is not None))
    if isinstance(e, sympy.Mul):
        coeff, rest = e.as_coeff_Mul()
        inner = _quasi(rest, x) if coeff.is_Rational and rest != e else None
        return None if inner is None else (Fraction(int(coeff.p), int(coeff.q)) * inner[0],
                                           inner[1])
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        inner = _quasi(e.args[0], x)
        if inner is None:
            return None
        r, p = inner
        return r, math.lcm(p, r.denominator)       # r * lcm(p, den r) is an integer
    if isinstance(e, (sympy.Max, sympy.Min, sympy.Piecewise)):
        pieces = e.args if isinstance(e, sympy.Piecewise) else [(v, sympy.true) for v in e.args]
        slopes, periods = set(), []
        for value, cond in pieces:
            law, every = _quasi(value, x), _periodic_condition(cond, x)
            if law is None or every is None:
                return None
            slopes.add(law[0])
            periods += [law[1], every]
        return (slopes.pop(), math.lcm(*periods)) if len(slopes) == 1 else None
    return None


def _periodic_condition(c: Any, x: Any) -> int | None:
    """A period of the condition ``c`` (it reads the same at ``x`` and ``x + P``): a
    comparison of terms of equal slope, or ``And``/``Or``/``Not`` of such; None otherwise."""
    import sympy
    if c in (sympy.true, sympy.false):
        return 1
    if isinstance(c, sympy.core.relational.Relational):
        law = _quasi(sympy.expand(c.lhs - c.rhs), x)
        return law[1] if law is not None and law[0] == 0 else None
    if isinstance(c, (sympy.And, sympy.Or, sympy.Not)):
        periods = [_periodic_condition(t, x) for t in c.args]
        return None if None in periods else math.lcm(*periods)  # type: ignore[arg-type]
    return None


def _linear(e: Any, x: Any) -> tuple[int, int] | None:
    import sympy
    n, c = e.coeff(x, 1), e.coeff(x, 0)
    if not (n.is_Integer and c.is_Integer) or sympy.expand(n * x + c - e) != 0:
        return None
    return int(n), int(c)


def build(stages: Sequence[Stage], x: Any) -> Any:
    """The sympy expression of the stages applied to ``x`` (built once, in linear time).

    Each stage's floor is what ``sympy.floor`` makes of its argument, but sympy's
    evaluation asks assumptions of the whole argument, and here the argument holds
    every stage below: built directly that is quadratic in the depth.  So each floor
    after the first is evaluated over a fresh integer symbol standing for the floor
    below it (a small expression), and the floor below is put back in place without
    evaluating that floor again (:func:`_plug`).  The result is the same tree
    (``tests/test_affine.py`` compares it with the direct construction).
    """
    import sympy
    e = x
    for a, b, q, m, c in stages:
        w, rest = e.as_coeff_Add()
        u, below = rest.as_coeff_Mul()
        if q == 1 or not isinstance(below, sympy.floor):
            inner = a * e + b
            e = m * (inner if q == 1 else sympy.floor(inner / q)) + c
        else:               # e = u floor(...) + w: evaluate over z standing for the floor
            z = _W()
            e = _plug(m * _floor((a * (u * z + w) + b) / q) + c, z, below)
    return e


def _floor(arg: Any) -> Any:
    """``sympy.floor(arg)`` for ``arg`` a sum of rational multiples of integer symbols
    and a rational: what sympy's evaluation returns (integer terms, and a constant
    alone, are taken out), without its sign proofs (which cannot succeed for an
    unbounded argument and cost milliseconds each)."""
    import sympy
    ipart, npart, spart = [], [], []
    for t in sympy.Add.make_args(arg):
        if t.is_Integer or (not t.is_Number and t.is_integer):
            ipart.append(t)
        elif t.is_Number:
            npart.append(t)
        else:
            spart.append(t)
    if not spart:
        return sympy.Add(*ipart) + sympy.floor(sympy.Add(*npart))
    inner = sympy.Add(*spart, *npart)
    if isinstance(inner, sympy.floor):
        return sympy.Add(*ipart, inner)
    return sympy.Add(*ipart, sympy.floor(inner, evaluate=False))


def build_direct(stages: Sequence[Stage], x: Any) -> Any:
    """:func:`build` by plain sympy construction (quadratic in depth; the reference)."""
    import sympy
    e = x
    for a, b, q, m, c in stages:
        inner = a * e + b
        f = inner if q == 1 else sympy.floor(inner / q)
        e = m * f + c
    return e


def _plug(small: Any, z: Any, big: Any) -> Any:
    """``small`` with ``z`` replaced by ``big``; floors rebuilt without evaluation.

    The floor's evaluation already happened over ``z``; sums and products are
    rebuilt (evaluated: canonical order) around it.
    """
    import sympy
    if small == z:
        return big
    if not small.args or not small.has(z):
        return small
    args = [_plug(t, z, big) for t in small.args]
    if isinstance(small, sympy.floor):
        return sympy.floor(*args, evaluate=False)
    return small.func(*args)


_READ: dict[Any, tuple[str, tuple[int, ...]] | None] = {}
"""Layer maps already read, by the layer's key (what its map depends on)."""


def _read_map(key: Any, f: Callable[[Any], Any]) -> tuple[str, tuple[int, ...]] | None:
    """:func:`read` of one layer's map ``f``, cached by ``key`` (equal keys, equal maps)."""
    try:
        return _READ[key]
    except KeyError:
        pass
    if len(_READ) > 4096:
        _READ.clear()
    op = _READ[key] = read(f(_Z()), _Z())
    return op


def clear_caches() -> None:
    """Forget the maps read (for cold timings)."""
    _READ.clear()


@functools.cache
def _Z() -> Any:
    import sympy
    return sympy.Dummy("z", integer=True, positive=True)


@functools.cache
def _W() -> Any:
    """An integer standing for a floor while the floor over it is evaluated.

    Only ``integer``: a positive symbol sends ``sympy.floor`` into bound proofs that
    cannot succeed for an unbounded argument and cost milliseconds each.
    """
    import sympy
    return sympy.Dummy("w", integer=True)


def compose(maps: Sequence[Callable[[Any], Any]], x: Any,
            substitute: Callable[[Callable[[Any], Any], Any], Any],
            keys: Sequence[Any] | None = None) -> Any:
    """Compose layer maps (``expr(z)`` for a symbol ``z``) over ``x``, in linear time.

    ``substitute(f, e)`` handles a map outside the normal form (it returns ``f(e)``,
    simplified as the caller likes).  ``keys[n]``, when given, is a hashable value that
    determines ``maps[n]`` (layers with equal keys are read once).
    """
    base, stages = x, [IDENTITY]
    for n, f in enumerate(maps):
        op = _read_map(keys[n] if keys is not None else f, f)
        if op is None:
            base, stages = substitute(f, build(stages, base)), [IDENTITY]
        elif op[0] == "affine":
            then_affine(stages, *op[1])
        else:
            then_floor(stages, *op[1])
    return build(stages, base)
