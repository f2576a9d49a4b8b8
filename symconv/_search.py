"""The one bisection: the first integer where a nondecreasing test turns true.

Chains (smallest accepted input, inputs for an output) and presets (TensorFlow's
accepted ``output_shape``) all search this way: gallop up by doubling, then bisect.

>>> first_true(lambda x: x * x >= 50, 0, 1, bits=64, overflow="no square of 50 below 2**64")
8
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import UsageError

__all__ = ["first_true"]


def first_true(test: Callable[[int], bool], lo: int, hi: int, *, bits: int, overflow: str
               ) -> int:
    """The smallest ``x > lo`` with ``test(x)``, for ``test`` false then true as ``x`` grows.

    ``hi`` is the first guess (doubled while the test fails); the search stops with a
    :class:`~symconv.errors.UsageError` saying ``overflow`` when ``hi`` passes ``2**bits``.
    """
    while not test(hi):
        lo, hi = hi, 2 * hi
        if hi.bit_length() > bits:
            raise UsageError(overflow)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if test(mid):
            hi = mid
        else:
            lo = mid
    return hi
