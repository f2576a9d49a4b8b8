r"""Sizes a model reads from its own tensors, as small integer expressions.

A model may size one tensor by another: ``F.interpolate(x, size=skip.shape[2:])``,
or pad the upsampled tensor of a U-Net to its skip connection
(``d = skip.size(2) - x.size(2); F.pad(x, [d // 2, d - d // 2])``).  Such a size is a
:data:`Term`: an ``int``, a :class:`SizeOf` (axis ``axis`` of node ``node``) or an
:class:`Arith` of two terms with Python's integer operators ``+ - * // %``.  A graph
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

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import sympy

__all__ = ["SizeOf", "Arith", "Term", "is_term", "refs", "evaluate", "text", "divisor",
           "normalised", "renamed", "matched", "nondecreasing"]


@dataclass(frozen=True)
class SizeOf:
    """The size of node ``node`` on spatial axis ``axis`` (tensor dimension ``axis + 2``;
    negative counts from the last axis until the graph knows its number of axes)."""

    node: str
    axis: int


@dataclass(frozen=True)
class Arith:
    """``left op right`` with Python's integer semantics (``//`` floors, ``%`` takes the
    divisor's sign)."""

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
    "%": lambda a, b: a % b if isinstance(a * b, int) else sympy.Mod(a, b),
}


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
        if t.op in ("//", "%") and right == 0:
            raise ZeroDivisionError(f"{text(t)} divides by zero")
        return _OPS[t.op](left, right)
    return t


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "//": 2, "%": 2}


def text(t: Term) -> str:
    """``t`` as the model writes it (``skip.size(2) - x.size(2)``)."""
    if isinstance(t, SizeOf):
        return f"{t.node}.size({t.axis + 2 if t.axis >= 0 else t.axis})"
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
    if t.op in ("//", "%"):
        if not isinstance(t.right, int) or t.right < 1:
            return None
        return left * right * t.right
    if t.op == "*" and not (isinstance(t.left, int) or isinstance(t.right, int)):
        return None         # a product of two sizes: not linear in them
    return left * right


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
    product of sizes, ``t`` is ``αR`` plus a function of period ``L`` in that size ``R``,
    so its steps repeat with period ``L``: one period of steps checks them all.

    >>> nondecreasing(Arith("//", SizeOf("y", 0), 2))
    True
    >>> nondecreasing(Arith("-", 10, SizeOf("y", 0)))
    False
    >>> nondecreasing(Arith("-", SizeOf("y", 0), 2), low=0)     # y.size(2) - 2 < 0 at 1
    False
    """
    sizes = set(refs(t))
    span = divisor(t)
    if len(sizes) != 1 or span is None:
        return not sizes and (low is None or evaluate(t, lambda r: 0) >= low)
    def at(v: int) -> Any:
        return evaluate(t, lambda r: v)
    values = [at(v) for v in range(1 - span, 2 + span)]
    return all(b >= a for a, b in pairwise(values)) and \
        (low is None or values[span] >= low)


def renamed(t: Any, names: dict[str, str]) -> Any:
    """``t`` with the nodes it reads renamed by ``names`` (others kept)."""
    if isinstance(t, SizeOf):
        return SizeOf(names.get(t.node, t.node), t.axis)
    if isinstance(t, Arith):
        return Arith(t.op, renamed(t.left, names), renamed(t.right, names))
    return t


def matched(lo: Any, hi: Any, own: str, axis: int) -> SizeOf | None:
    r"""The size ``R`` that pads ``(lo, hi)`` of node ``own``'s axis ``axis`` (size ``X``)
    bring it to, when they split ``D = R - X`` with both parts of ``D``'s sign; else None.

    Then the padded size is ``R`` whatever ``X``: ``X + lo + hi = R``, and a negative
    ``D`` crops ``-D < X`` (``R >= 1``).  Shown, not sampled: ``lo`` and ``hi`` must be
    functions of ``D`` alone (sympy cancels ``X``), vanish at ``D = 0`` and be
    nondecreasing; built from ``+ - *`` and ``//`` by constants with product ``L``,
    each is ``αD`` plus a function of period ``L``, so its steps repeat with period
    ``L`` and checking the steps over one period checks them all.

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
    period = [divisor(lo), divisor(hi)]
    if None in period:
        return None
    x, d = sympy.Dummy("X", integer=True), sympy.Dummy("D", integer=True)

    def size(r: SizeOf) -> Any:
        return x if r == SizeOf(own, axis) else x + d

    parts = [sympy.expand(sympy.sympify(evaluate(v, size))) for v in (lo, hi)]
    if any(p.has(x) for p in parts) or sympy.expand(parts[0] + parts[1] - d) != 0:
        return None
    span = math.lcm(*(int(v) for v in period if v is not None))
    for part in parts:
        f = sympy.Lambda(d, part)
        if f(0) != 0:
            return None
        values = [f(v) for v in range(-span, span + 1)]
        if any(b < a for a, b in pairwise(values)):
            return None
    return ref
