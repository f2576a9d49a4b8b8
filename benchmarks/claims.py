"""Claim checking: the counterexample enumeration and the issue's claims, timed.

    python -m benchmarks.claims

Row 1 times the enumeration of the smallest configurations (increasing sum of the free
parameters) against the enumeration it replaced, which searched every split of each
total for the last parameter too (quadratic in the number of configurations for one
free parameter); both run interleaved, min and median of the rounds.  Row 2 times
``check`` on the issue's claims (each with its verdict).  Nothing is asserted.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import symconv as sc
from symconv.claims import _counterexample_order
from symconv.symbols import i, k, p, s


def _old_compositions(n: int, parts: int) -> Iterator[tuple[int, ...]]:
    """The enumeration before: the last part is searched for, not computed."""
    if parts == 0:
        if n == 0:
            yield ()
        return
    for first in range(0, n + 1):
        for rest in _old_compositions(n - first, parts - 1):
            yield (first, *rest)


def _old_order(free: list[Any]) -> Iterator[dict[Any, int]]:
    for total in itertools.count(0):
        for combo in _old_compositions(total, len(free)):
            yield dict(zip(free, combo, strict=True))


def _take(it: Iterator[Any], n: int) -> None:
    for _ in itertools.islice(it, n):
        pass


def interleave(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, tuple[float, float]]:
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return {name: (min(ts), statistics.median(ts)) for name, ts in times.items()}


def enumeration(rounds: int = 3) -> None:
    print("enumeration of the N smallest configurations (min / median of "
          f"{rounds} interleaved rounds)")
    for free in ([i], [i, k], [i, k, s, p]):
        for n in (2_000, 4_000, 8_000):
            res = interleave({
                "linear": lambda f=free, m=n: _take(_counterexample_order(f), m),
                "before": lambda f=free, m=n: _take(_old_order(f), m),
            }, rounds)
            (new_min, new_med), (old_min, old_med) = res["linear"], res["before"]
            names = "+".join(x.name for x in free)
            print(f"  {names:8} N={n:>6}: linear {new_min * 1e3:8.1f} ms (median "
                  f"{new_med * 1e3:8.1f})  before {old_min * 1e3:8.1f} ms (median "
                  f"{old_med * 1e3:8.1f})  ratio {old_min / new_min:6.1f}x")


def issue_claims() -> None:
    print("check on the issue's claims (one run each, default timeout)")
    for claim in ("o' = i if s | (i + 2p - k)", "o' = i if s | (i - k)",
                  "o = i/2 if s = 2, k = 2, p = 0, i even", "o <= i", "o' = i",
                  "floor(floor(i/s)/2) = floor(i/(2s))", "o*o >= o"):
        t = time.perf_counter()
        v = sc.check(claim)
        dt = time.perf_counter() - t
        state = {True: "holds", False: "false", None: "undecided"}[v.holds]
        how = "proof" if v.proof is not None else "decision" if v.decision is not None \
            and v.decision.holds is not None else "search"
        print(f"  {claim:45} {state:9} by {how:8} {dt:6.2f} s")


if __name__ == "__main__":
    enumeration()
    issue_claims()
