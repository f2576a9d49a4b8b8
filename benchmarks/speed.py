"""Issue 16 rows, each timing symconv and its baseline interleaved in the same run.

    python -m benchmarks.speed [--rounds N]

Every row alternates symconv and the baseline ``rounds`` times (each round times a
block of calls) and prints the min and the median per call of both; nothing is
asserted.  Start-up rows run whole processes, alternately, with bytecode caching on
(as an installed package has it) in a temporary cache directory.
"""

# ruff: noqa: B023  (each closure is timed within the iteration that defines it)
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

CLOCK = time.process_time
"""CPU time of this process: the machine is shared, and another process's load does not
count against a row (start-up rows time whole child processes, by the wall clock)."""


def interleave(fns: dict[str, Callable[[], Any]], number: int, rounds: int,
               clock: Callable[[], float] = CLOCK) -> dict[str, tuple[float, float]]:
    """(min, median) seconds per call of each function, timed in alternation."""
    return interleave_counts(fns, dict.fromkeys(fns, number), rounds, clock)


def fmt(t: float) -> str:
    return f"{t * 1e6:,.2f} µs" if t < 1e-3 else f"{t * 1e3:,.1f} ms" if t < 1 else f"{t:,.2f} s"


def show(title: str, res: dict[str, tuple[float, float]], baseline: str | None = None) -> None:
    """Each row's min and median; the baseline's ratio to the first row (symconv), or,
    given ``baseline``, every other row's lead over that baseline."""
    ours = next(iter(res))
    print(f"\n{title}")
    for name, (lo, med) in res.items():
        if baseline is None:
            ratio = "" if name == ours else \
                f"  (symconv ahead {lo / res[ours][0]:,.1f}x min, {med / res[ours][1]:,.1f}x median)"
        else:
            ratio = "" if name == baseline else (f"  (ahead {res[baseline][0] / lo:,.1f}x min, "
                                                 f"{res[baseline][1] / med:,.1f}x median)")
        print(f"  {name:<44} min {fmt(lo):>10}  median {fmt(med):>10}{ratio}")


def startup(rounds: int) -> None:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": tempfile.mkdtemp()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmds = {
        "symconv solve conv i=224 k=7 s=2 o=112": [sys.executable, "-m", "symconv", "solve",
                                                   "conv", "i=224", "k=7", "s=2", "o=112"],
        "symconv pad tf SAME i=225 k=4 s=2": [sys.executable, "-m", "symconv", "pad", "tf",
                                              "SAME", "i=225", "k=4", "s=2"],
        "symconv net (3 layers) i=224, the table": [
            sys.executable, "-m", "symconv", "net",
            "conv k=7 s=2 p=3 in=3 out=64 | pool k=3 s=2 p=1 | conv k=3 p=1 in=64 out=64",
            "i=224"],
        "symconv net (3 layers) i=224 o=7 --solve 3:s": [
            sys.executable, "-m", "symconv", "net",
            "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1", "i=224", "o=7",
            "--solve", "3:s"],
        "symconv solve conv i=224 o=56 --for k,s,p (design space)": [
            sys.executable, "-m", "symconv", "solve", "conv", "i=224", "o=56", "--for", "k,s,p",
            "--bounds", "k<=7,p<=3"],
        "python -c 'import sympy'": [sys.executable, "-c", "import sympy"],
        "python -c 'pass'": [sys.executable, "-c", "pass"],
    }
    for cmd in cmds.values():        # warm the bytecode cache once
        subprocess.run(cmd, env=env, capture_output=True, check=True)
    res = interleave({name: (lambda c=cmd: subprocess.run(c, env=env, capture_output=True,
                                                          check=True))
                      for name, cmd in cmds.items()}, 1, rounds, clock=time.perf_counter)
    show("start-up, whole processes (wall)", res, "python -c 'import sympy'")


def questions(n: int, seed: int = 16) -> list[dict[str, int]]:
    """``n`` varied valid conv configurations (i, o, k, s, p, d)."""
    from symconv.relations import relation
    rng, out = random.Random(seed), []
    conv = relation("conv")
    while len(out) < n:
        q = {"i": rng.randint(8, 512), "k": rng.randint(1, 11), "s": rng.randint(1, 4),
             "p": rng.randint(0, 5), "d": rng.randint(1, 3)}
        try:
            q["o"] = conv.evaluate(**q)
        except ValueError:
            continue
        out.append(q)
    return out


def solve_rows(rounds: int) -> None:
    import sympy

    import symconv as sc
    from symconv.relations import relation
    from symconv.symbols import SYMBOLS
    qs = questions(200)
    conv = relation("conv")
    f = conv.function()
    for x in ("i", "o", "k", "s", "p", "d"):
        asks = [({n: v for n, v in q.items() if n != x}) for q in qs]
        it = iter(asks * 1000)
        res = {f"symconv sc.solve for {x} (200 questions)":
               lambda: sc.solve("conv", unknown=x, **next(it))}
        sym = SYMBOLS[x]
        it2 = iter(asks * 1000)

        def eq_of(a: dict[str, int]) -> Any:
            return sympy.Eq(conv.lhs, conv.rhs).subs({SYMBOLS[n]: v for n, v in a.items()})
        if x != "o":
            res["sympy.solveset, warm"] = lambda: sympy.solveset(eq_of(next(it2)), sym,
                                                                 sympy.Integers)
            it3 = iter(asks * 1000)

            def cold() -> Any:
                sympy.core.cache.clear_cache()
                return sympy.solveset(eq_of(next(it3)), sym, sympy.Integers)
            res["sympy.solveset, cache cleared"] = cold
            it4 = iter(asks * 1000)

            def ssolve() -> Any:
                try:
                    return sympy.solve(eq_of(next(it4)), sym)
                except NotImplementedError:
                    return None
            res["sympy.solve, warm (often no answer)"] = ssolve
        if x == "p":
            it5 = iter(asks * 1000)

            def brute() -> list[int]:
                a = next(it5)
                return [p for p in range(0, 64)
                        if f(a["i"], a["k"], a["s"], p, a["d"]) == a["o"]]
            res["brute-force loop p in 0..63"] = brute
        number = {k: (200 if k.startswith("symconv") else 20) for k in res}
        out = {}
        for name, fn in res.items():        # interleave per row, blocks of calls
            out[name] = fn
        timed = interleave_counts(out, number, rounds)
        show(f"solve conv for {x}", timed)


def calls_for(fn: Callable[[], Any], target: float = 0.02) -> int:
    """Calls of ``fn`` that fill about ``target`` seconds (at least one): each side of a row
    is timed over enough calls that one call's cold start and the clock's grain do not
    decide its figure (as ``timeit``'s autorange)."""
    fn()
    t0 = CLOCK()
    fn()
    return max(1, int(target / max(CLOCK() - t0, 1e-7)))


def interleave_counts(fns: dict[str, Callable[[], Any]], numbers: dict[str, int], rounds: int,
                      clock: Callable[[], float] = CLOCK) -> dict[str, tuple[float, float]]:
    """(min, median) seconds per call of each function, timed in alternation, each over its
    own number of calls per round."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = clock()
            for _ in range(numbers[name]):
                fn()
            times[name].append((clock() - t0) / numbers[name])
    return {name: (min(ts), statistics.median(ts)) for name, ts in times.items()}


def torch_meta(rounds: int) -> None:
    import symconv as sc
    try:
        import torch
    except ImportError:
        print("\ntorch not installed: meta-tensor rows skipped")
        return
    from symconv.chain import Chain
    x = torch.empty(1, 3, 224, 224, device="meta")
    w = torch.empty(64, 3, 7, 7, device="meta")
    conv = torch.nn.functional.conv2d
    one = Chain.parse("conv k=7 s=2 p=3")
    res = interleave_counts({
        "Chain.output(224), one layer (every axis)": lambda: one.output(224),
        "Chain.output((224, 224)), one layer per axis": lambda: one.output((224, 224)),
        "sc.solve('conv', i=224, k=7, s=2, o=112)":
            lambda: sc.solve("conv", i=224, k=7, s=2, o=112),
        "sc.solve('conv', i=224, k=7, s=2, p=3) (forward)":
            lambda: sc.solve("conv", i=224, k=7, s=2, p=3),
        "PyTorch meta conv2d(...).shape": lambda: conv(x, w, stride=2, padding=3).shape,
    }, {"Chain.output(224), one layer (every axis)": 2000,
        "Chain.output((224, 224)), one layer per axis": 2000,
        "sc.solve('conv', i=224, k=7, s=2, o=112)": 2000,
        "sc.solve('conv', i=224, k=7, s=2, p=3) (forward)": 2000,
        "PyTorch meta conv2d(...).shape": 500}, rounds)
    show("one layer against a PyTorch meta-tensor query", res, "PyTorch meta conv2d(...).shape")


def random_chain(depth: int, seed: int, scale: int | None = None) -> Any:
    """``depth`` random layers (conv, pool, transposed conv; kernels 1..5, strides 1..3,
    dilations 1..2). With ``scale``, a stride that would take the product of the direct
    strides over the transposed ones outside ``[1/scale, scale]`` is 1 instead: a random
    network that down- and upsamples as real ones do, whose smallest input is small
    enough for a tensor (``torch.export`` needs one)."""
    from fractions import Fraction

    from symconv.chain import Chain, Layer
    rng, layers = random.Random(seed), []
    at = Fraction(1)
    for n in range(depth):
        kind = rng.choice(("conv", "conv", "pool", "conv_transpose"))
        k, s, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 2)
        if scale is not None:
            after = at * s if kind != "conv_transpose" else at / s
            if not Fraction(1, scale) <= after <= scale:
                s = 1
            at = at * s if kind != "conv_transpose" else at / s
        if kind == "conv":
            layers.append(Layer("conv", k=k, s=s, p=rng.randint(0, 3), d=d, name=str(n)))
        elif kind == "pool":
            layers.append(Layer("pool", k=k, s=s, p=rng.randint(0, k // 2), d=d, name=str(n)))
        else:
            layers.append(Layer("conv_transpose", k=k, s=s, p=rng.randint(0, 2), d=d,
                                a=rng.randint(0, max(s, d) - 1), name=str(n)))
    return Chain(tuple(layers), ndim=1)


def chains(rounds: int, depths: tuple[int, ...]) -> None:
    import sympy

    from symconv import _affine
    from symconv.chain import collapse_floors
    from symconv.symbols import i as I

    def layer_by_layer(ch: Any) -> Any:       # the previous algorithm, as the baseline
        e = I
        for layer in ch.layers:
            e = collapse_floors(layer.expr(e))
        return e
    for depth in depths:
        ch = random_chain(depth, seed=depth)

        def cold() -> Any:
            _affine.clear_caches()
            sympy.core.cache.clear_cache()
            return ch.output_expr()
        fns = {f"Chain.output_expr, random {depth} layers (caches cleared)": cold,
               "same, warm": ch.output_expr}
        if depth <= 200:
            fns["layer-by-layer substitute + collapse (before)"] = lambda: layer_by_layer(ch)
        res = interleave_counts(fns, dict.fromkeys(fns, 1), rounds)
        show(f"random chain of {depth} layers: {ch.output_expr().count_ops()} operations", res)


def _refuses(model: Any, size: int) -> bool:
    import torch
    try:
        with torch.no_grad():
            model(torch.zeros(1, 1, size))
    except RuntimeError:
        return True
    return False


def torch_export(depth: int, rounds: int) -> None:
    """``torch.export`` with a dynamic input size against ``Chain.output_expr`` (caches
    cleared) on the same random chain: one whose strides stay within a factor 64 (the
    unbounded random chains need inputs of ~10^32, no tensor that long)."""
    try:
        import torch
    except ImportError:
        print("\ntorch not installed: torch.export rows skipped")
        return
    import sympy

    from symconv import _affine
    ch = random_chain(depth, seed=depth, scale=64)
    mods = []
    for layer in ch.layers:
        if layer.kind == "conv":
            mods.append(torch.nn.Conv1d(1, 1, layer.k, layer.s, layer.p, dilation=layer.d))
        elif layer.kind == "pool":
            mods.append(torch.nn.MaxPool1d(layer.k, layer.s, layer.p, dilation=layer.d))
        else:
            mods.append(torch.nn.ConvTranspose1d(1, 1, layer.k, layer.s, layer.p,
                                                 output_padding=layer.a, dilation=layer.d))
    model = torch.nn.Sequential(*mods).eval()
    smallest = ch.smallest_input()
    i0 = smallest + 64
    example = torch.zeros(1, 1, i0)
    with torch.no_grad():
        assert tuple(model(example).shape)[-1] == ch.output(i0)     # the same network

    def export() -> Any:
        # Dim.AUTO: a named Dim with symconv's range fails on the guards export derives
        return torch.export.export(model, (example,), dynamic_shapes=({2: torch.export.Dim.AUTO},))

    def cold() -> Any:
        _affine.clear_caches()
        sympy.core.cache.clear_cache()
        return ch.output_expr()
    try:
        ranges = [str(r) for r in export().range_constraints.values()]
        print(f"\ntorch.export's range for the input size: {', '.join(ranges)}; symconv: "
              f"every size >= {smallest} (eager PyTorch refuses {smallest - 1}: "
              f"{not ch.accepts(smallest - 1) and _refuses(model, smallest - 1)})")
    except Exception as exc:       # noqa: BLE001 - a measurement, reported
        print(f"\ntorch.export on the random {depth} layers failed: {type(exc).__name__}: "
              f"{str(exc).splitlines()[0][:200]}")
        return
    res = interleave_counts({f"Chain.output_expr, random {depth} layers, strides within 64 "
                             "(caches cleared)": cold,
                             "torch.export, dynamic input size": export},
                            {f"Chain.output_expr, random {depth} layers, strides within 64 "
                             "(caches cleared)": 1, "torch.export, dynamic input size": 1},
                            rounds)
    show(f"random chain of {depth} layers, strides within 64 (smallest input {smallest}, "
         f"{ch.output_expr().count_ops()} operations) against torch.export", res,
         "torch.export, dynamic input size")


# --- design spaces: symconv against a vectorised numpy brute force ------------------------

def brute_one_layer(i: int, o: int, k_hi: int, s_hi: int, p_hi: int, d: int = 1,
                    chunk: int = 1 << 22) -> int:
    """Every (k, s, p) in the bounds with ``conv`` output ``o``, counted by broadcast grids
    (the padding axis chunked to ``chunk`` cells; the kernel term computed once per chunk
    on its own axis, as a careful user would)."""
    import numpy as np
    k = np.arange(1, k_hi + 1, dtype=np.int64)[:, None, None]
    s = np.arange(1, s_hi + 1, dtype=np.int64)[None, :, None]
    step = max(1, chunk // (k_hi * s_hi))
    count = 0
    for p0 in range(0, p_hi + 1, step):
        p = np.arange(p0, min(p_hi + 1, p0 + step), dtype=np.int64)[None, None, :]
        num = i + 2 * p - d * (k - 1) - 1           # (k, 1, p): no stride axis yet
        hit = (num >= 0) & (num // s + 1 == o)
        count += int(np.count_nonzero(hit))
    return count


def brute_two_layers(i: int, o: int, k_hi: int, s_hi: int, p_hi: int,
                     chunk: int = 1 << 22) -> int:
    """Every (k1, s1, p1, k2, s2, p2) taking ``i`` to ``o`` through two convolutions:
    layer 1 on its grid once, then layer 2 broadcast over (valid layer-1 designs x layer-2
    grid), chunked."""
    import numpy as np
    k = np.arange(1, k_hi + 1, dtype=np.int64)[:, None, None]
    s = np.arange(1, s_hi + 1, dtype=np.int64)[None, :, None]
    p = np.arange(0, p_hi + 1, dtype=np.int64)[None, None, :]
    num = i + 2 * p - (k - 1) - 1
    mid = np.broadcast_to(num // s + 1, (k_hi, s_hi, p_hi + 1))[
        np.broadcast_to(num >= 0, (k_hi, s_hi, p_hi + 1))]
    grid2 = k_hi * s_hi * (p_hi + 1)
    step = max(1, chunk // grid2)
    k2 = k[None, :, :, :]
    s2 = s[None, :, :, :]
    p2 = p[None, :, :, :]
    count = 0
    for m0 in range(0, len(mid), step):
        m = mid[m0:m0 + step][:, None, None, None]
        num2 = m + 2 * p2 - (k2 - 1) - 1
        count += int(np.count_nonzero((num2 >= 0) & (num2 // s2 + 1 == o)))
    return count


ONE_LAYER = {10 ** 3: (10, 10, 9), 10 ** 4: (10, 10, 99), 10 ** 5: (10, 10, 999),
             10 ** 6: (10, 10, 9_999), 10 ** 7: (10, 100, 9_999), 10 ** 8: (100, 100, 9_999),
             10 ** 9: (100, 100, 99_999)}
"""Bounds (k <= K, s <= S, p <= P) giving each number of combinations."""

ONE_LAYER_WIDE = {10 ** 6: (1_000, 100, 9), 10 ** 7: (10_000, 100, 9)}
"""The other shape: many enumerated rows, a short range for the solved unknown."""

TWO_LAYERS = {10 ** 3: (4, 2, 3), 10 ** 4: (5, 4, 4), 10 ** 5: (8, 4, 9), 10 ** 6: (10, 10, 9),
              10 ** 7: (10, 16, 19), 10 ** 8: (10, 20, 49), 10 ** 9: (20, 32, 49)}
"""Bounds per layer (k <= K, s <= S, p <= P); combinations are (K S (P + 1))**2."""


def designs(rounds: int, largest: int) -> None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("\nnumpy not installed: design rows skipped")
        return
    from symconv.design import chain_design, solve_many
    shapes = [("one layer", n, b) for n, b in ONE_LAYER.items()] + \
        [("one layer, wide", n, b) for n, b in ONE_LAYER_WIDE.items()] + \
        [("two layers", n, b) for n, b in TWO_LAYERS.items()]
    for what, n, (k_hi, s_hi, p_hi) in shapes:
        if n > largest:
            continue
        bounds = {"k": (1, k_hi), "s": (1, s_hi), "p": (0, p_hi)}
        if what.startswith("one"):
            def search() -> Any:
                return solve_many("conv", ("k", "s", "p"), bounds, i=224, o=56, d=1)

            def base() -> Any:
                return brute_one_layer(224, 56, k_hi, s_hi, p_hi)
            total = k_hi * s_hi * (p_hi + 1)
        else:
            layers = [{"kind": "conv", "k": "?", "s": "?", "p": "?"}] * 2

            def search() -> Any:
                return chain_design(layers, 224, 56, bounds)

            def base() -> Any:
                return brute_two_layers(224, 56, k_hi, s_hi, p_hi)
            total = (k_hi * s_hi * (p_hi + 1)) ** 2

        def ours() -> Any:
            return search().count

        def listed() -> Any:            # the same search, every option built as an object
            return len(search().options)
        count = ours()
        assert count == base(), (what, n)
        brute = "numpy brute force, broadcast and chunked"
        fns = {f"symconv count, {what}: {total:,} combinations ({count:,} found)": ours,
               f"symconv, {listed():,} options built": listed, brute: base}
        res = interleave_counts(fns, {name: calls_for(fn) for name, fn in fns.items()},
                                rounds if total < 10 ** 8 else min(rounds, 3))
        show(f"design space, {what}, k<={k_hi} s<={s_hi} p<={p_hi} (CPU time)", res, brute)

def batch(rounds: int, n: int = 10 ** 7) -> None:
    try:
        import numpy as np
    except ImportError:
        print("\nnumpy not installed: batch rows skipped")
        return
    import tracemalloc

    import symconv as sc
    rng = np.random.default_rng(0)
    arrays = dict(i=rng.integers(1, 300, n), k=rng.integers(1, 8, n), s=rng.integers(1, 5, n),
                  p=rng.integers(0, 4, n), d=rng.integers(1, 4, n))
    conv = sc.relation("conv")

    def hand() -> Any:        # masked numpy as a user writes it: every domain, the rule
        i, k, s, p, d = (arrays[x] for x in "iksdp".replace("dp", "pd"))
        num = i + 2 * p - d * (k - 1) - 1
        valid = (num >= 0) & (i >= 1) & (k >= 1) & (s >= 1) & (p >= 0) & (d >= 1)
        return np.where(valid, num // np.where(valid, s, 1) + 1, 0), valid

    def ours() -> Any:
        return conv.evaluate_batch(**arrays)
    (v1, m1), (v2, m2) = hand(), ours()
    assert (m1 == m2).all() and (v1[m1] == v2[m2]).all()
    del v1, m1, v2, m2
    res = interleave({f"symconv Relation.evaluate_batch, {n:,} configurations": ours,
                      "hand-written masked numpy": hand}, 1, rounds)
    show("evaluate_batch against masked numpy (CPU time)", res)
    for name, fn in (("symconv evaluate_batch", ours), ("hand-written masked numpy", hand)):
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {name:<44} peak memory {peak / 2 ** 20:,.0f} MiB (tracemalloc, inputs excluded)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only", default="startup,solve,meta,chains,export,designs,batch")
    ap.add_argument("--largest", type=float, default=1e9, help="largest design space timed")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if "startup" in only:
        startup(args.rounds)
    if "meta" in only:
        torch_meta(args.rounds)
    if "solve" in only:
        solve_rows(args.rounds)
    if "chains" in only:
        chains(args.rounds, (200, 1000, 10_000))
    if "export" in only:
        torch_export(200, min(args.rounds, 3))
    if "batch" in only:
        batch(args.rounds)
    if "designs" in only:
        designs(args.rounds, int(args.largest))


if __name__ == "__main__":
    main()
