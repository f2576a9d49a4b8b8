"""Speed of symconv against its alternatives, measured side by side in one run.

    python -m benchmarks            # the full table (a minute or two; torch optional)
    python -m benchmarks --quick    # fewer repetitions

Every row times symconv and a baseline in the same process on the same inputs and
prints their ratio; nothing here is asserted (speed is measured, not tested).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from typing import Any

import sympy

import symconv as sc


def per_call(fn: Callable[[], Any], number: int) -> float:
    """Best of three timings of ``number`` calls, in seconds per call."""
    return min(timeit.repeat(fn, number=number, repeat=3)) / number


def fmt(t: float) -> str:
    return f"{t * 1e6:,.2f} µs" if t < 1e-3 else f"{t * 1e3:,.1f} ms" if t < 1 else f"{t:,.2f} s"


def row(name: str, ours: str, base: str, ratio: str, target: str) -> None:
    print(f"| {name} | {ours} | {base} | {ratio} | {target} |")


def layer_output(quick: bool) -> None:
    n = 2_000 if quick else 20_000
    rel = sc.relation("conv")
    f = rel.function()
    g = rel.function(checked=True)
    t_checked = per_call(lambda: g(224, 7, 2, 3, 1), n)
    t_eval = per_call(lambda: rel.evaluate(i=224, k=7, s=2, p=3, d=1), n)
    t_fn = per_call(lambda: f(224, 7, 2, 3, 1), n)
    t_solve = per_call(lambda: sc.solve("conv", i=224, k=7, s=2, p=3), n // 10)
    try:
        import torch
    except ImportError:
        row("one conv output size", fmt(t_eval), "torch not installed", "-", ">= 100x")
        return
    x = torch.empty(1, 3, 224, 224, device="meta")
    w = torch.empty(64, 3, 7, 7, device="meta")
    conv = torch.nn.functional.conv2d
    t_torch = per_call(lambda: conv(x, w, stride=2, padding=3).shape, n // 4)
    row("one conv output size: `relation.function()` (unchecked)", fmt(t_fn),
        f"PyTorch meta conv2d {fmt(t_torch)}", f"{t_torch / t_fn:,.0f}x", ">= 100x")
    row("one conv output size: `relation.function(checked=True)` (0 if refused)", fmt(t_checked),
        f"PyTorch meta conv2d {fmt(t_torch)}", f"{t_torch / t_checked:,.0f}x", ">= 100x")
    row("one conv output size: `relation.evaluate()` (checked, raises why)", fmt(t_eval),
        f"PyTorch meta conv2d {fmt(t_torch)}", f"{t_torch / t_eval:,.0f}x", ">= 100x")
    row("one conv output size: `sc.solve()` (full answer, verified)", fmt(t_solve),
        f"PyTorch meta conv2d {fmt(t_torch)}", f"{t_torch / t_solve:,.2f}x", "-")


def single_unknown(quick: bool) -> None:
    i, k, s, p, o = sympy.symbols("i k s p o", integer=True, positive=True)
    cases = [
        ("p", dict(i=224, k=7, s=2, o=112), sympy.Eq(112, sympy.floor((224 + 2 * p - 7) / 2) + 1), p),
        ("i", dict(o=112, k=7, s=2, p=3), sympy.Eq(112, sympy.floor((i + 6 - 7) / 2) + 1), i),
        ("s", dict(i=224, k=7, p=3, o=56), sympy.Eq(56, sympy.floor((224 + 6 - 7) / s) + 1), s),
        ("k", dict(i=224, s=2, p=3, o=112), sympy.Eq(112, sympy.floor((224 + 6 - k) / 2) + 1), k),
    ]
    n = 200 if quick else 2_000
    for name, given, eq, x in cases:
        t_ours = per_call(lambda name=name, given=given: sc.solve("conv", name, **given), n)
        t0 = time.perf_counter()
        try:
            res = sympy.solveset(eq, x, sympy.S.Integers)
            kind = "ConditionSet (no answer)" if isinstance(res, sympy.ConditionSet) else f"{res}"
        except Exception as exc:  # solveset raises on some of these
            kind = f"{type(exc).__name__}"
        t_base = time.perf_counter() - t0
        ours = sc.solve("conv", name, **given)
        row(f"solve conv for {name}", f"{fmt(t_ours)} -> {ours}", f"sympy.solveset {fmt(t_base)}"
            f" -> {kind}", f"{t_base / t_ours:,.0f}x", ">= 1000x")


def batch(quick: bool) -> None:
    import numpy as np
    rng = np.random.default_rng(0)
    n = 10**5 if quick else 10**6
    arrays = dict(i=rng.integers(1, 300, n), k=rng.integers(1, 8, n), s=rng.integers(1, 5, n),
                  p=rng.integers(0, 4, n), d=rng.integers(1, 4, n))
    rel = sc.relation("conv")
    rel.evaluate_batch(**{key: a[:10] for key, a in arrays.items()})   # compile once
    t_batch = min(timeit.repeat(lambda: rel.evaluate_batch(**arrays), number=1, repeat=3))
    m = 20_000
    lists = {key: a[:m].tolist() for key, a in arrays.items()}

    def brute() -> int:      # the plain-Python loop a user would write
        total = 0
        for ii, kk, ss, pp, dd in zip(*(lists[key] for key in ("i", "k", "s", "p", "d")),
                                      strict=True):
            if ii + 2 * pp >= dd * (kk - 1) + 1:
                total += (ii + 2 * pp - dd * (kk - 1) - 1) // ss + 1
        return total
    rate_brute = m / min(timeit.repeat(brute, number=1, repeat=3))
    rate = n / t_batch
    row(f"batch: {n:,} conv configurations (`evaluate_batch`)", f"{rate:,.0f} configs/s",
        f"plain-Python loop {rate_brute:,.0f} configs/s", f"{rate / rate_brute:,.1f}x", "report")


def chains(quick: bool) -> None:
    for depth in (10, 50, 100, 200):
        text = " | ".join(["conv k=3 s=2 p=1", "conv k=3 p=1", "pool k=3 s=2 p=1",
                           "convt k=2 s=2"][n % 4] for n in range(depth))
        chain = sc.Chain.parse(text)
        t0 = time.perf_counter()
        expr = chain.output_expr()
        t = time.perf_counter() - t0
        row(f"symbolic output of a {depth}-layer chain", fmt(t),
            f"{sympy.count_ops(expr)} operations in the expression", "-", "< 1 s at 200")


def design(quick: bool) -> None:
    from symconv.design import chain_design, solve_many
    conv = sc.relation("conv")
    f = conv.function(checked=True)
    # one layer: 224 -> 56 with k <= 11, s <= 64, p <= 100
    bounds = {"k": (1, 11), "s": (1, 64), "p": (0, 100)}
    rounds = 3 if quick else 7

    def ours() -> Any:            # with every option built, as the loop builds its list
        space = solve_many("conv", ("k", "s", "p"), bounds, i=224, o=56, d=1)
        assert space.options is not None
        return space

    def loop() -> list[tuple[int, int, int]]:
        return [(k, s_, p) for k in range(1, 12) for s_ in range(1, 65) for p in range(0, 101)
                if f(224, k, s_, p, 1) == 56]
    space, naive = ours(), loop()          # warm: numpy imported, plans built, once
    t_ours = min(timeit.repeat(ours, number=1, repeat=rounds))
    t_naive = min(timeit.repeat(loop, number=1, repeat=rounds))
    assert sorted((c["k"], c["s"], c["p"]) for c in space.combos()) == sorted(naive)
    total = 11 * 64 * 101
    row(f"design space, one layer ({total:,} combinations in the bounds)",
        f"{total / t_ours:,.0f} combos/s ({fmt(t_ours)})",
        f"nested loop, compiled check {total / t_naive:,.0f} combos/s (best of {rounds}, warm)",
        f"{t_naive / t_ours:.1f}x",
        "report")
    # two layers: 224 -> 56, k <= 7, s <= 4, p <= 20 each
    layers = [{"kind": "conv", "k": "?", "s": "?", "p": "?"}] * 2
    b2 = {"k": (1, 7), "s": (1, 4), "p": (0, 20)}

    def ours2() -> Any:
        space = chain_design(layers, 224, 56, b2)
        assert space.options is not None
        return space

    def loop2() -> int:
        found = 0
        for k1, s1, p1 in itertools.product(range(1, 8), range(1, 5), range(0, 21)):
            mid = f(224, k1, s1, p1, 1)
            if not mid:
                continue
            for k2, s2, p2 in itertools.product(range(1, 8), range(1, 5), range(0, 21)):
                found += f(mid, k2, s2, p2, 1) == 56
        return found
    space2, naive2 = ours2(), loop2()
    t_ours2 = min(timeit.repeat(ours2, number=1, repeat=rounds))
    t_naive2 = min(timeit.repeat(loop2, number=1, repeat=rounds))
    assert space2.count == naive2
    total2 = (7 * 4 * 21) ** 2
    row(f"design space, two-layer chain ({total2:,} combinations)",
        f"{total2 / t_ours2:,.0f} combos/s ({fmt(t_ours2)})",
        f"nested loop, compiled check {total2 / t_naive2:,.0f} combos/s (best of {rounds}, warm)",
        f"{t_naive2 / t_ours2:.1f}x", "report")


def startup(quick: bool) -> None:
    # as after `pip install`: bytecode compiled once (this machine sets
    # PYTHONDONTWRITEBYTECODE, which would recompile symconv on every start)
    env = {key: v for key, v in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

    def wall(cmd: list[str]) -> float:
        subprocess.run(cmd, check=True, capture_output=True, env=env)      # warm: write .pyc
        times = []
        for _ in range(3 if quick else 9):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)
    ours = wall([sys.executable, "-m", "symconv", "solve", "conv", "i=224", "k=7", "s=2", "o=112"])
    base = wall([sys.executable, "-c", "import sympy"])
    row("start-up: `symconv solve conv i=224 k=7 s=2 o=112`", fmt(ours),
        f"`python -c 'import sympy'` {fmt(base)}", f"{ours / base:.2f}x", "<= 1.5x")


def proofs(quick: bool) -> None:
    code = ("import time; t=time.perf_counter(); import symconv as sc; from symconv.proofs "
            "import PROOFS; assert all(sc.prove(n).holds for n in PROOFS); "
            "print(time.perf_counter()-t, len(PROOFS))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.split()
    row(f"prove all {out[1]} proofs (fresh process, with import)", fmt(float(out[0])), "-", "-",
        "< 5 s")


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print("| measurement | symconv | baseline (same run) | ratio | target |")
    print("|---|---|---|---|---|")
    for bench in (layer_output, single_unknown, batch, chains, design, startup, proofs):
        bench(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
