r"""Sizes a model reads from its own tensors, as small integer expressions.

A model may size one tensor by another: ``F.interpolate(x, size=skip.shape[2:])``,
or pad the upsampled tensor of a U-Net to its skip connection
(``d = skip.size(2) - x.size(2); F.pad(x, [d // 2, d - d // 2])``).  Such a size is a
:data:`Term`: an ``int``, a :class:`SizeOf` (axis ``axis`` of node ``node``) or an
:class:`Arith` of two terms with Python's integer operators ``+ - * // %`` (and ``/``,
ONNX's integer ``Div``, which truncates toward zero).  A graph
node holds terms where it would hold numbers; the graph resolves them from the sizes of
the nodes they name (numbers when it runs, formulas when it states them).

>>> d = Arith("-", SizeOf("skip", 0), SizeOf("up", 0))
>>> half = Arith("//", d, 2)
>>> evaluate(half, {SizeOf("skip", 0): 9, SizeOf("up", 0): 4}.__getitem__)
2
>>> text(Arith("-", d, half))
'skip.size(2) - up.size(2) - (skip.size(2) - up.size(2)) // 2'
>>> matched(half, Arith("-", d, half), "up", 0)
SizeOf(node='skip', axis=0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

import sympy

from ._mod import Mod

__all__ = ["SizeOf", "Arith", "Term", "is_term", "refs", "evaluate", "text", "divisor",
           "normalised", "renamed", "matched", "nondecreasing", "fraction_scale", "scaled",
           "MAX_SCALE_BITS"]


@dataclass(frozen=True)
class SizeOf:
    """The size of node ``node`` on spatial axis ``axis`` (tensor dimension ``axis + 2``;
    negative counts from the last axis until the graph knows its number of axes)."""

    node: str
    axis: int


@dataclass(frozen=True)
class Arith:
    """``left op right`` with Python's integer semantics (``//`` floors, ``%`` takes the
    divisor's sign); ``/`` is ONNX's integer ``Div``: the quotient truncated toward zero."""

    op: str
    left: Term
    right: Term

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise ValueError(f"size arithmetic: unknown operator {self.op!r}")


Term = int | SizeOf | Arith

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "//": lambda a, b: a // b if isinstance(a * b, int) else sympy.floor(a / b),
    "%": lambda a, b: a % b if isinstance(a * b, int) else Mod(a, b),
    "/": lambda a, b: _trunc_div(a, b) if isinstance(a * b, int) else
    sympy.sign(a / b) * sympy.floor(sympy.Abs(a / b)),
}


def _expr(v: Any) -> Any:
    """An evaluated term as a sympy expression (an int as a sympy Integer)."""
    return sympy.Integer(v) if isinstance(v, int) else v


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def is_term(v: object) -> bool:
    """Whether ``v`` reads a size from a tensor (an ``int`` does not)."""
    return isinstance(v, (SizeOf, Arith))


def refs(t: Any) -> tuple[SizeOf, ...]:
    """The sizes ``t`` reads, in order of appearance."""
    if isinstance(t, SizeOf):
        return (t,)
    if isinstance(t, Arith):
        return refs(t.left) + refs(t.right)
    return ()


def evaluate(t: Term, size: Callable[[SizeOf], Any]) -> Any:
    """``t`` with each :class:`SizeOf` given by ``size``: an int when those are ints, a
    sympy expression when they are formulas (``//`` a floor, ``%`` a ``Mod``)."""
    if isinstance(t, SizeOf):
        return size(t)
    if isinstance(t, Arith):
        left, right = evaluate(t.left, size), evaluate(t.right, size)
        if t.op in ("//", "%", "/") and right == 0:
            raise ZeroDivisionError(f"{text(t)} divides by zero")
        return _OPS[t.op](left, right)
    return t


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2, "%": 2, "/": 3}


def text(t: Term) -> str:
    """``t`` as the model writes it (``skip.size(2) - x.size(2)``)."""
    if isinstance(t, SizeOf):
        return f"{t.node}.size({t.axis + 2 if t.axis >= 0 else t.axis})"
    if isinstance(t, Arith) and t.op == "/":
        left = f"({text(t.left)})" if isinstance(t.left, Arith) and t.left.op != "/" \
            else text(t.left)
        return f"trunc({left} / {text(t.right)})"
    if isinstance(t, Arith):
        def side(v: Term, right: bool) -> str:
            inner = text(v)
            if isinstance(v, Arith) and (_PRECEDENCE[v.op] < _PRECEDENCE[t.op] or
                                         right and _PRECEDENCE[v.op] == _PRECEDENCE[t.op]):
                return f"({inner})"
            return inner
        return f"{side(t.left, False)} {t.op} {side(t.right, True)}"
    return str(t)


def divisor(t: Any) -> int | None:
    """The product of the divisors of every ``//`` and ``%`` in ``t`` (a period of its
    remainders), or None when one is not a positive constant or ``t`` multiplies two
    sizes (then it is not linear in them)."""
    if not isinstance(t, Arith):
        return 1
    left, right = divisor(t.left), divisor(t.right)
    if left is None or right is None:
        return None
    if t.op in ("//", "%", "/"):
        if not isinstance(t.right, int) or t.right < 1:
            return None
        return left * right * t.right
    if t.op == "*" and not (isinstance(t.left, int) or isinstance(t.right, int)):
        return None         # a product of two sizes: not linear in them
    return left * right


def _reach(t: Any, var: SizeOf, zero: SizeOf | None) -> tuple[Fraction, Fraction, Fraction]:
    """``(α, C, B)`` for ``t`` as a function of ``var`` (``zero`` read as 0): ``|t - αv| <= C``
    everywhere, and every truncating ``/`` in ``t`` keeps one sign of its dividend for
    ``|v| > B`` (there it floors or ceils throughout)."""
    if isinstance(t, SizeOf):
        return (Fraction(1) if t == var else Fraction(0)), Fraction(0), Fraction(0)
    if not isinstance(t, Arith):
        return Fraction(0), Fraction(abs(t)), Fraction(0)
    (a1, c1, b1), (a2, c2, b2) = _reach(t.left, var, zero), _reach(t.right, var, zero)
    if t.op in ("+", "-"):
        return (a1 + a2 if t.op == "+" else a1 - a2), c1 + c2, max(b1, b2)
    if t.op == "*":
        m = t.right if isinstance(t.right, int) else t.left
        assert isinstance(m, int)       # divisor() refuses a product of two sizes
        a, c = (a1, c1) if isinstance(t.right, int) else (a2, c2)
        return a * m, abs(m) * c, max(b1, b2)
    assert isinstance(t.right, int)     # divisor() refuses a divisor that is not a constant
    k = Fraction(t.right)
    if t.op == "%":
        return Fraction(0), k, b1
    cross = c1 / abs(a1) if t.op == "/" and a1 else Fraction(0)
    return a1 / k, c1 / k + 1, max(b1, cross)


def _window(terms: tuple[Any, ...], var: SizeOf, zero: SizeOf | None = None) -> int | None:
    """A half-width ``W``: the steps of each term in ``var`` repeat with period ``L`` (the
    product of its divisors) on ``v >= W - 2L`` and on ``v <= -(W - 2L)``, so checking
    the steps on ``-W..W`` checks them all (None: no such period)."""
    spans = [divisor(t) for t in terms]
    if None in spans:
        return None
    span = math.lcm(*(int(v) for v in spans if v is not None))
    edge = max(_reach(t, var, zero)[2] for t in terms)
    return math.ceil(edge) + 2 * span + 1


def normalised(t: Any, ndim: int) -> Any:
    """``t`` with axes from the end (``x.size(-1)``) numbered from the first."""
    if isinstance(t, SizeOf):
        return SizeOf(t.node, t.axis % ndim) if -ndim <= t.axis < 0 else t
    if isinstance(t, Arith):
        return Arith(t.op, normalised(t.left, ndim), normalised(t.right, ndim))
    return t


def nondecreasing(t: Any, low: int | None = None) -> bool:
    """Whether ``t`` is a nondecreasing function of the one size it reads (at least
    ``low`` from size 1 on, when given).

    Shown as :func:`matched` shows it: with constant divisors of product ``L`` and no
    product of sizes, ``t`` is ``αR`` plus a function of period ``L`` in that size ``R``
    (past the sizes where a truncating ``/`` changes sides, :func:`_window`), so its
    steps repeat with period ``L``: checking a few periods of steps checks them all.

    >>> nondecreasing(Arith("//", SizeOf("y", 0), 2))
    True
    >>> nondecreasing(Arith("-", 10, SizeOf("y", 0)))
    False
    >>> nondecreasing(Arith("-", SizeOf("y", 0), 2), low=0)     # y.size(2) - 2 < 0 at 1
    False
    """
    sizes = set(refs(t))
    width = _window((t,), next(iter(sizes))) if len(sizes) == 1 else None
    if width is None:
        return not sizes and divisor(t) is not None and \
            (low is None or evaluate(t, lambda r: 0) >= low)

    def at(v: int) -> Any:
        return evaluate(t, lambda r: v)
    values = [at(v) for v in range(1, 2 + 2 * width)]     # sizes are >= 1
    return all(b >= a for a, b in pairwise(values)) and (low is None or values[0] >= low)


MAX_SCALE_BITS = 16
"""A scale factor ``m / 2**e`` is read when ``m`` and ``2**e`` are at most ``2**16``: the
framework's floating-point product ``i * scale`` is then exact for every size below
``2**37`` (``2**8`` and ``2**16`` for ONNX's float32 scales), so its floor is
``floor(i m / 2**e)``."""


def fraction_scale(v: Any, bits: int = MAX_SCALE_BITS) -> Fraction | None:
    """A positive scale factor as the exact fraction of its binary value, when its
    numerator and denominator have at most ``bits`` bits (else None).

    >>> fraction_scale(0.5), fraction_scale(1.5), fraction_scale(0.3)
    (Fraction(1, 2), Fraction(3, 2), None)
    """
    try:
        f = Fraction(float(v))
    except (TypeError, ValueError, OverflowError):
        return None
    if f <= 0 or f.numerator.bit_length() > bits or f.denominator.bit_length() > bits + 1:
        return None
    return f


def scaled(size: Term, f: Fraction) -> Term:
    """``floor(size * f)`` as a term (``size * m // d``).

    >>> text(scaled(SizeOf("x", 0), Fraction(3, 4)))
    'x.size(2) * 3 // 4'
    """
    return Arith("//", Arith("*", size, f.numerator), f.denominator)


def renamed(t: Any, names: dict[str, str]) -> Any:
    """``t`` with the nodes it reads renamed by ``names`` (others kept)."""
    if isinstance(t, SizeOf):
        return SizeOf(names.get(t.node, t.node), t.axis)
    if isinstance(t, Arith):
        return Arith(t.op, renamed(t.left, names), renamed(t.right, names))
    return t


@functools.lru_cache(maxsize=1024)
def matched(lo: Any, hi: Any, own: str, axis: int) -> SizeOf | None:
    r"""The size ``R`` that pads ``(lo, hi)`` of node ``own``'s axis ``axis`` (size ``X``)
    bring it to, when they split ``D = R - X`` with both parts of ``D``'s sign; else None.

    Then the padded size is ``R`` whatever ``X``: ``X + lo + hi = R``, and a negative
    ``D`` crops ``-D < X`` (``R >= 1``).  Shown, not sampled: ``lo`` and ``hi`` must be
    functions of ``D`` alone (sympy cancels ``X``), vanish at ``D = 0`` and be
    nondecreasing; built from ``+ - *`` and ``//`` by constants with product ``L``,
    each is ``αD`` plus a function of period ``L``, so its steps repeat with period
    ``L`` and checking the steps over one period checks them all (a truncating ``/``
    floors on one side of the ``D`` where its dividend changes sign and ceils on the
    other: :func:`_window` bounds those ``D`` and the check covers them).

    >>> d = Arith("-", SizeOf("skip", 1), SizeOf("up", 1))
    >>> matched(Arith("//", d, 2), Arith("-", d, Arith("//", d, 2)), "up", 1)
    SizeOf(node='skip', axis=1)
    >>> matched(d, 0, "up", 1)
    SizeOf(node='skip', axis=1)
    >>> matched(Arith("//", d, 2), Arith("//", d, 2), "up", 1) is None     # sums to 2(D // 2)
    True
    """
    others = {r for r in refs(lo) + refs(hi) if r != SizeOf(own, axis)}
    if len(others) != 1:
        return None
    (ref,) = others
    width = _window((lo, hi), ref, SizeOf(own, axis))
    if width is None:
        return None
    x, d = sympy.Dummy("X", integer=True), sympy.Dummy("D", integer=True)

    def size(r: SizeOf) -> Any:
        return x if r == SizeOf(own, axis) else x + d

    parts = [sympy.expand(_expr(evaluate(v, size))) for v in (lo, hi)]
    if any(p.has(x) for p in parts) or sympy.expand(parts[0] + parts[1] - d) != 0:
        return None
    for part in parts:
        f = sympy.Lambda(d, part)
        if f(0) != 0:
            return None
        values = [f(v) for v in range(-width, width + 1)]
        if any(b < a for a, b in pairwise(values)):
            return None
    return ref
