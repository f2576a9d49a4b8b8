"""Anchor: PyTorch's own dynamic shapes (torch.export) against symconv's accepted inputs.

    python -m benchmarks.graph_anchor [--rounds N] [--probe N]

Two models built from ``nn`` layers (no torchvision): a depth-4 2-d U-Net with
non-square kernels, valid-free padding, max pooling, transposed convolutions and
skip concatenations, and a ResNet-50-shaped network (7x7/2 stem, 3x3/2 max pool,
bottlenecks [3, 4, 6, 3], adaptive average pool, Linear).  For each, side by side:

* ``torch.export.export(model, args, dynamic_shapes=...)`` with a free ``Dim`` per
  spatial axis: the constraint it derives (its "Suggested fixes" or the guards it
  reports), and with ``Dim.AUTO``: the range it derives and the sizes the exported
  program then runs (probed on real tensors, sizes 1..N on axis 0);
* ``sc.from_torch(model).accepted()``: symconv's residue classes and bound per axis;
* the sizes eager PyTorch runs (ground truth, the same probe).

Times are interleaved (torch.export, then symconv, ``rounds`` times) and reported as
min and median.  Then a 300-node residual graph: its symbolic sizes and accepted-input
set (symconv, a fresh graph each round) against ``torch.export`` with free dims on the
same network as an ``nn.Module``; and the receptive fields of every node of the TF-Slim
networks of google-research/receptive_field's table.  Measured, never asserted.
"""

# ruff: noqa: B023  (each closure is used within the iteration that defines it)
from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import symconv as sc

from .graphs import residual_graph


def _models() -> dict[str, tuple[Any, tuple[int, ...], int]]:
    """name -> (module, example spatial size, channels)."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class UNet(nn.Module):
        """Depth 4, 2-d: (3, 5) convs with same padding, 2x2 max pool, 2x2/2 transposed
        convs, skip concatenation, (3, 1) decoder convs."""

        def __init__(self, c: int = 4, depth: int = 4) -> None:
            super().__init__()
            self.down, self.up, self.dec = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
            ch = 1
            for n in range(depth):
                self.down.append(nn.Conv2d(ch, c << n, (3, 5), padding=(1, 2)))
                ch = c << n
            self.mid = nn.Conv2d(ch, ch * 2, 3, padding=1)
            ch *= 2
            for n in reversed(range(depth)):
                self.up.append(nn.ConvTranspose2d(ch, c << n, 2, 2))
                self.dec.append(nn.Conv2d(2 * (c << n), c << n, (3, 1), padding=(1, 0)))
                ch = c << n

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            skips = []
            for conv in self.down:
                x = F.relu(conv(x))
                skips.append(x)
                x = F.max_pool2d(x, 2)
            x = self.mid(x)
            for up, dec, skip in zip(self.up, self.dec, reversed(skips), strict=True):
                x = dec(torch.cat([up(x), skip], 1))
            return x

    class Bottleneck(nn.Module):
        def __init__(self, c_in: int, width: int, stride: int) -> None:
            super().__init__()
            self.a = nn.Conv2d(c_in, width, 1, bias=False)
            self.b = nn.Conv2d(width, width, 3, stride, 1, bias=False)
            self.c = nn.Conv2d(width, width * 4, 1, bias=False)
            self.down = nn.Conv2d(c_in, width * 4, 1, stride, bias=False) \
                if stride != 1 or c_in != width * 4 else None

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.c(F.relu(self.b(F.relu(self.a(x)))))
            return F.relu(y + (self.down(x) if self.down is not None else x))

    class ResNet50ish(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.pool = nn.MaxPool2d(3, 2, 1)
            blocks, c = [], 64
            for n, (width, count) in enumerate(zip((64, 128, 256, 512), (3, 4, 6, 3),
                                                   strict=True)):
                for j in range(count):
                    blocks.append(Bottleneck(c, width, 2 if j == 0 and n > 0 else 1))
                    c = width * 4
            self.blocks = nn.Sequential(*blocks)
            self.avg = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(c, 1000)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = self.blocks(self.pool(F.relu(self.stem(x))))
            return self.fc(torch.flatten(self.avg(x), 1))

    return {"U-Net depth 4": (UNet().eval(), (64, 96), 1),
            "ResNet-50-shaped": (ResNet50ish().eval(), (224, 160), 3)}


def _interleave(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, tuple[float, float]]:
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: (min(ts), statistics.median(ts)) for name, ts in times.items()}


def _fmt(t: tuple[float, float]) -> str:
    return f"{t[0]:.3f} s / {t[1]:.3f} s"


def _derived(exc: Exception) -> str:
    """The constraint torch.export reports: its suggested fixes, else its first guards."""
    text = str(exc)
    if "Suggested fixes:" in text:
        fixes = text.split("Suggested fixes:")[1].split("\n\n")[0]
        return "; ".join(x.strip() for x in fixes.strip().splitlines())
    guards = [x.split("generated guard ")[-1].rstrip(".") for x in text.splitlines()
              if "generated guard" in x]
    return f"no fix suggested; {len(guards)} guards violated, e.g. " + "; ".join(guards[:3])


def _sizes(run: Callable[[int], Any], probe: int) -> list[int]:
    ok = []
    for x in range(1, probe + 1):
        try:
            run(x)
            ok.append(x)
        except Exception:  # noqa: BLE001 - a refused size, whatever torch raises
            pass
    return ok


def _ranges(xs: list[int]) -> str:
    if not xs:
        return "none"
    out, start, prev = [], xs[0], xs[0]
    for x in xs[1:] + [None]:   # type: ignore[list-item]
        if x is not None and x == prev + 1:
            prev = x
            continue
        out.append(str(start) if start == prev else f"{start}..{prev}")
        if x is not None:
            start = prev = x
    return ", ".join(out) if len(out) <= 8 else ", ".join(out[:8]) + f", ... ({len(xs)} sizes)"


def anchor(rounds: int, probe: int) -> None:
    import torch
    from torch.export import Dim

    for name, (model, size, ch) in _models().items():
        example = (torch.zeros(1, ch, *size),)
        free = {"x": {2 + j: Dim(f"d{j}", min=1, max=4096) for j in range(2)}}
        auto = {"x": {2 + j: Dim.AUTO for j in range(2)}}
        found: dict[str, Any] = {}

        def export_free() -> None:
            try:
                torch.export.export(model, example, dynamic_shapes=free)
                found["free"] = "exported: every size in 1..4096 (no constraint)"
            except Exception as exc:  # noqa: BLE001 - what torch reports is the result
                found["free"] = _derived(exc)

        def export_auto() -> None:
            found["auto"] = torch.export.export(model, example, dynamic_shapes=auto)

        def symconv_accepted() -> None:
            found["sc"] = sc.from_torch(model).accepted()
        timing = _interleave({"free": export_free, "auto": export_auto, "sc": symconv_accepted},
                             rounds)
        ep = found["auto"]
        other = size[1]

        def eager(x: int) -> Any:
            with torch.no_grad():
                return model(torch.zeros(1, ch, x, other))

        def exported(x: int) -> Any:
            with torch.no_grad():
                return ep.module()(torch.zeros(1, ch, x, other))
        acc = found["sc"]
        eager_ok, export_ok = _sizes(eager, probe), _sizes(exported, probe)
        sc_ok = [x for x in range(1, probe + 1) if x in acc[0]]
        print(f"### {name}, example input {size}")
        print("| who | what it says about the input sizes | time (min / median) |")
        print("|---|---|---|")
        print(f"| torch.export, free Dim in 1..4096 | {found['free']} | {_fmt(timing['free'])} |")
        print(f"| torch.export, Dim.AUTO | range {ep.range_constraints} | "
              f"{_fmt(timing['auto'])} |")
        print(f"| symconv accepted() | axis 0: {acc[0].text()}; axis 1: {acc[1].text()} | "
              f"{_fmt(timing['sc'])} |")
        print(f"| probe axis 0, sizes 1..{probe} (axis 1 = {other}) | eager PyTorch runs "
              f"{_ranges(eager_ok)}; the exported program runs {_ranges(export_ok)}; "
              f"symconv accepts {_ranges(sc_ok)} | |")
        print(f"|  | symconv = eager: {sc_ok == eager_ok}; exported = eager: "
              f"{export_ok == eager_ok} | |")
        print()


def big_graph(rounds: int) -> None:
    """The 300-node residual graph: symconv (fresh graph each round) vs torch.export."""
    def symconv_run() -> None:
        g = residual_graph()
        g.exprs()
        g.accepted()
    fns: dict[str, Callable[[], Any]] = {"symconv exprs + accepted": symconv_run}
    try:
        import torch
        from torch import nn
        from torch.export import Dim

        class Block(nn.Module):
            def __init__(self, s: int) -> None:
                super().__init__()
                self.a = nn.Conv2d(8, 8, 3, s, 1)
                self.b = nn.Conv2d(8, 8, 3, 1, 1)
                self.s = s

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                a = self.a(x)
                return self.b(a) + (x if self.s == 1 else a)
        model = nn.Sequential(*[Block(2 if n % 25 == 24 else 1) for n in range(100)]).eval()
        example = (torch.zeros(1, 8, 64, 64),)
        free = {"input": {2: Dim.AUTO, 3: Dim.AUTO}}
        fns["torch.export Dim.AUTO"] = lambda: torch.export.export(model, example,
                                                                   dynamic_shapes=free)
    except ImportError:
        print("torch not installed: torch.export row skipped")
    timing = _interleave(fns, rounds)
    g = residual_graph()
    print("### 300-node residual graph (100 blocks conv, conv, add; every 25th strided)")
    print("| what | time (min / median) |")
    print("|---|---|")
    for name, t in timing.items():
        print(f"| {name} | {_fmt(t)} |")
    if len(timing) == 2:
        a, b = timing["symconv exprs + accepted"], timing["torch.export Dim.AUTO"]
        print(f"| ratio torch.export / symconv | {b[0] / a[0]:.1f}x (min), "
              f"{b[1] / a[1]:.1f}x (median) |")
    print(f"| symconv's answer | {g.accepted()[0].text()}; last node "
          f"{g.exprs()[g.nodes[-1].name][0]} |")


def receptive(rounds: int) -> None:
    """Receptive fields of the TF-Slim networks of google-research/receptive_field's table
    (built in tests/rf_networks.py), with no input size (formulas) and at 224.  Their
    own tool needs TensorFlow and TF-Slim, not installed here: symconv's times only."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from rf_networks import NETWORKS
    print("### Receptive fields, every node (google-research/receptive_field's networks)")
    print("| network | nodes | no input size (min / median) | at 224 (min / median) |")
    print("|---|---|---|---|")
    for name in ("alexnet_v2", "vgg_16", "inception_v2", "inception_v3", "inception_v4",
                 "resnet_v1_50", "resnet_v1_200", "mobilenet_v1"):
        times = _interleave({"none": lambda n=name: NETWORKS[n]().receptive_fields(),
                             "224": lambda n=name: NETWORKS[n]().receptive_fields(224)},
                            rounds)
        print(f"| {name} | {len(NETWORKS[name]().nodes)} | {_fmt(times['none'])} | "
              f"{_fmt(times['224'])} |")
    print()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--probe", type=int, default=48)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch not installed: the torch.export anchor is skipped")
    else:
        anchor(args.rounds, args.probe)
    big_graph(args.rounds)
    receptive(args.rounds)


if __name__ == "__main__":
    main()
