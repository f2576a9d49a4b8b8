"""Finite unions of integer intervals, with unbounded ends (``None``).

>>> IntSet.closed(2, 5) & IntSet.at_least(4)
IntSet(intervals=((4, 5),))
>>> len(IntSet.closed(1, 3) | IntSet.closed(4, 4))
4
"""

from __future__ import annotations

import decimal
import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ._gate import integer

__all__ = ["IntSet", "ceil_div"]

Bound = int | None


def ceil_div(n: Any, m: Any) -> Any:
    """``ceil(n/m)`` for a positive ``m``, as ``-floor(-n/m)``: the one statement of the
    ceiling that the generated code (``CEIL`` of :mod:`symconv._compiled`), the exact
    closures, the chains and :meth:`IntSet.of_atom` use.

    >>> ceil_div(7, 2), ceil_div(-7, 2)
    (4, -3)
    """
    return -((-n) // m)


def _lt(a: Bound, b: Bound, a_low: bool, b_low: bool) -> bool:
    """Compare bounds where None means -inf for a low end and +inf for a high end."""
    av = float("-inf") if a is None and a_low else float("inf") if a is None else a
    bv = float("-inf") if b is None and b_low else float("inf") if b is None else b
    return av < bv


@dataclass(frozen=True)
class IntSet:
    """A sorted tuple of disjoint, non-adjacent closed integer intervals ``(lo, hi)``."""

    intervals: tuple[tuple[Bound, Bound], ...]

    @classmethod
    def _of(cls, intervals: tuple[tuple[Bound, Bound], ...]) -> IntSet:
        """``IntSet(intervals)`` for intervals already normal, without ``__init__``."""
        out = object.__new__(cls)
        out.__dict__["intervals"] = intervals
        return out

    @staticmethod
    def empty() -> IntSet:
        return IntSet(())

    @staticmethod
    def everything() -> IntSet:
        return IntSet(((None, None),))

    @staticmethod
    def closed(lo: Bound, hi: Bound) -> IntSet:
        if lo is not None and hi is not None and lo > hi:
            return IntSet.empty()
        return IntSet(((lo, hi),))

    @staticmethod
    def at_least(lo: int) -> IntSet:
        return IntSet(((lo, None),))

    @staticmethod
    def at_most(hi: int) -> IntSet:
        return IntSet(((None, hi),))

    @staticmethod
    def point(v: int) -> IntSet:
        return IntSet(((v, v),))

    @classmethod
    def of_values(cls, values: Iterator[int]) -> IntSet:
        """The integers ``values`` gives in increasing order, as runs: linear in their
        number (a union one point at a time is quadratic in the runs).

        >>> IntSet.of_values(iter([1, 2, 3, 7, 9, 10])).intervals
        ((1, 3), (7, 7), (9, 10))
        """
        runs: list[tuple[Bound, Bound]] = []
        for v in values:
            if runs and runs[-1][1] == v - 1:
                runs[-1] = (runs[-1][0], v)
            else:
                runs.append((v, v))
        return cls._of(tuple(runs))

    @staticmethod
    def of_atom(al: int | Fraction, be: int | Fraction, op: str) -> IntSet:
        """The integers ``x`` with ``al x + be >= 0`` (``op`` ``">="``) or ``== 0``
        (``"=="``), for exact ``al`` and ``be`` (ints, or fractions).

        >>> IntSet.of_atom(2, -3, ">="), IntSet.of_atom(-1, 4, ">="), IntSet.of_atom(2, 3, "==")
        (IntSet(intervals=((2, None),)), IntSet(intervals=((None, 4),)), IntSet(intervals=()))
        """
        if type(al) is int and type(be) is int and al != 0:     # the common, integer case
            if op == "==":
                return IntSet.point(-be // al) if be % al == 0 else IntSet.empty()
            return IntSet.at_least(ceil_div(-be, al)) if al > 0 else IntSet.at_most(be // -al)
        if op == "==":
            if al == 0:
                return IntSet.everything() if be == 0 else IntSet.empty()
            v = Fraction(-be) / Fraction(al)
            return IntSet.point(int(v)) if v.denominator == 1 else IntSet.empty()
        if al == 0:
            return IntSet.everything() if be >= 0 else IntSet.empty()
        bound = Fraction(-be) / Fraction(al)
        if al > 0:
            return IntSet.at_least(ceil_div(bound.numerator, bound.denominator))
        return IntSet.at_most(bound.numerator // bound.denominator)

    def __bool__(self) -> bool:
        return bool(self.intervals)

    @property
    def min(self) -> Bound:
        return self.intervals[0][0] if self.intervals else None

    @property
    def max(self) -> Bound:
        return self.intervals[-1][1] if self.intervals else None

    @property
    def bounded(self) -> bool:
        return not self.intervals or (self.min is not None and self.max is not None)

    def size(self) -> int:
        """How many integers (an exact int, however large); OverflowError if unbounded."""
        return sum(hi - lo + 1 for lo, hi in self._finite())

    def __len__(self) -> int:
        return self.size()

    def __iter__(self) -> Iterator[int]:
        for lo, hi in self._finite():
            yield from range(lo, hi + 1)

    def _finite(self) -> list[tuple[int, int]]:
        out = [(lo, hi) for lo, hi in self.intervals if lo is not None and hi is not None]
        if len(out) != len(self.intervals):
            raise OverflowError("unbounded set")
        return out

    def __contains__(self, v: object) -> bool:
        v = integer(v)          # numpy and sympy integers are the same integer
        if type(v) is not int:
            # a real number equal to an integer is it, as for range (224.0, Fraction(224),
            # Decimal(224)); a bool is no size
            if not isinstance(v, (numbers.Real, decimal.Decimal)) or isinstance(v, bool):
                return False
            try:
                whole = math.floor(v)
            except (OverflowError, ValueError):     # inf, nan
                return False
            if v != whole:
                return False
            v = int(whole)
        return any((lo is None or lo <= v) and (hi is None or v <= hi)
                   for lo, hi in self.intervals)

    def __and__(self, other: IntSet) -> IntSet:
        out = []
        for a_lo, a_hi in self.intervals:
            for b_lo, b_hi in other.intervals:
                lo = b_lo if _lt(a_lo, b_lo, True, True) else a_lo
                hi = b_hi if _lt(b_hi, a_hi, False, False) else a_hi
                if lo is None or hi is None or lo <= hi:
                    out.append((lo, hi))
        return IntSet._normal(out)

    def __or__(self, other: IntSet) -> IntSet:
        return IntSet._normal(list(self.intervals) + list(other.intervals))

    @staticmethod
    def _normal(parts: list[tuple[Bound, Bound]]) -> IntSet:
        parts = sorted(parts, key=lambda t: float("-inf") if t[0] is None else t[0])
        out: list[tuple[Bound, Bound]] = []
        for lo, hi in parts:
            if out:
                plo, phi = out[-1]
                if phi is None or lo is None or lo <= phi + 1:
                    new_hi = None if (phi is None or hi is None) else max(phi, hi)
                    out[-1] = (plo, new_hi)
                    continue
            out.append((lo, hi))
        return IntSet(tuple(out))
