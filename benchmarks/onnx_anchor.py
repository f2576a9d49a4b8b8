"""ONNX anchor: onnxruntime's symbolic shape inference against symconv on the same files.

    python -m benchmarks.onnx_anchor [--rounds N]

A depth-4 2-d U-Net and a ResNet-50-shaped network (bottleneck blocks 3-4-6-3, built
here from ``nn`` layers, no download) are exported to ONNX with a dynamic height and
width.  On each file, onnxruntime's ``SymbolicShapeInference`` (``auto_merge`` off, then
on) and symconv's ``from_onnx`` + ``accepted()`` + ``exprs()``: what each derives about
the input sizes and the output, and how long it takes, timed in alternation (min and
median over the rounds).  Measured, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import symconv as sc
from symconv.printing import sstr


def interleave(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, tuple[float, float]]:
    """(min, median) seconds per call of each function, timed in alternation."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: (min(ts), statistics.median(ts)) for name, ts in times.items()}


def models() -> dict[str, Any]:
    import torch
    import torch.nn as nn

    def block(cin: int, cout: int) -> nn.Module:
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                             nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())

    class UNet(nn.Module):
        def __init__(self, depth: int = 4, width: int = 8) -> None:
            super().__init__()
            chans = [width * 2 ** n for n in range(depth + 1)]
            self.enc = nn.ModuleList([block(1 if n == 0 else chans[n - 1], chans[n])
                                      for n in range(depth)])
            self.pool = nn.MaxPool2d(2)
            self.mid = block(chans[depth - 1], chans[depth])
            self.up = nn.ModuleList([nn.ConvTranspose2d(chans[n + 1], chans[n], 2, stride=2)
                                     for n in reversed(range(depth))])
            self.dec = nn.ModuleList([block(2 * chans[n], chans[n]) for n in reversed(range(depth))])
            self.head = nn.Conv2d(width, 2, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            skips = []
            for enc in self.enc:
                x = enc(x)
                skips.append(x)
                x = self.pool(x)
            x = self.mid(x)
            for up, dec, skip in zip(self.up, self.dec, reversed(skips), strict=True):
                x = dec(torch.cat([up(x), skip], 1))
            return self.head(x)

    class Bottleneck(nn.Module):
        def __init__(self, cin: int, mid: int, stride: int) -> None:
            super().__init__()
            cout = 4 * mid
            self.body = nn.Sequential(
                nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(),
                nn.Conv2d(mid, mid, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(mid),
                nn.ReLU(), nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                       nn.BatchNorm2d(cout)) if stride != 1 or cin != cout \
                else nn.Identity()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(self.body(x) + self.short(x))

    class ResNet50(nn.Module):
        def __init__(self, width: int = 8) -> None:
            super().__init__()
            layers: list[nn.Module] = [nn.Conv2d(3, width, 7, 2, 3, bias=False),
                                       nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
            cin = width
            for n, (count, mid) in enumerate(zip((3, 4, 6, 3), (width, 2 * width, 4 * width,
                                                                  8 * width), strict=True)):
                for b in range(count):
                    layers.append(Bottleneck(cin, mid, 2 if b == 0 and n > 0 else 1))
                    cin = 4 * mid
            self.body = nn.Sequential(*layers)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(cin, 10)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(torch.flatten(self.pool(self.body(x)), 1))

    return {"U-Net depth 4": (UNet(), 1, (64, 64)), "ResNet-50 shape": (ResNet50(), 3, (224, 224))}


def export(model: Any, channels: int, size: tuple[int, int], path: str) -> None:
    import torch
    model.eval()
    torch.onnx.export(model, (torch.zeros((1, channels) + size),), path, input_names=["x"],
                      output_names=["y"], dynamic_axes={"x": {2: "h", 3: "w"}}, dynamo=False,
                      opset_version=17)


def ort_symbolic(proto: Any, auto_merge: bool) -> str:
    """What onnxruntime's symbolic shape inference says about the output (or its error).

    It writes temporary model files into the current folder: it runs in a fresh one."""
    from onnxruntime.tools.symbolic_shape_infer import SymbolicShapeInference
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            out = SymbolicShapeInference.infer_shapes(proto, auto_merge=auto_merge)
        except Exception as exc:    # noqa: BLE001 - report what it says
            return f"error: {' '.join(str(exc).split())[:160]}"
        finally:
            os.chdir(here)
    if out is None:
        return "gave up (returned None)"
    dims = [d.dim_param or str(d.dim_value) for d in
            out.graph.output[0].type.tensor_type.shape.dim]
    return f"output [{', '.join(dims)}]"


def symconv_answer(proto: Any) -> str:
    g = sc.from_onnx(proto)
    acc = g.accepted()
    last = g.exprs()[g.nodes[-1].name]
    shown = ", ".join(sstr(e) for e in last) if last else "flat"
    return f"accepted: {acc[0].text()} (per axis); output sizes: {shown or 'flat'}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    try:
        import onnx
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        print(f"needs torch, onnx and onnxruntime: {exc}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, (model, channels, size) in models().items():
            path = os.path.join(tmp, "m.onnx")
            export(model, channels, size, path)
            proto = onnx.load(path)
            print(f"\n{name}: {len(proto.graph.node)} ONNX nodes, input (1, {channels}, h, w)")
            print(f"  onnxruntime symbolic, auto_merge=False: {ort_symbolic(proto, False)}")
            print(f"  onnxruntime symbolic, auto_merge=True:  {ort_symbolic(proto, True)}")
            print(f"  symconv: {symconv_answer(proto)}")
            res = interleave({
                "symconv from_onnx + accepted + exprs": lambda p=proto: symconv_answer(p),
                "onnxruntime symbolic (auto_merge=True)": lambda p=proto: ort_symbolic(p, True),
            }, args.rounds)
            ours = res["symconv from_onnx + accepted + exprs"]
            for label, (lo, med) in res.items():
                ratio = "" if (lo, med) == ours else \
                    f"  (ratio to symconv: {lo / ours[0]:.2f}x min, {med / ours[1]:.2f}x median)"
                print(f"  {label:<40} min {lo * 1e3:8.1f} ms  median {med * 1e3:8.1f} ms{ratio}")


if __name__ == "__main__":
    main()
