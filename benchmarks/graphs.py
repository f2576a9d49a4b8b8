"""Graphs: a 300-node network's symbolic shapes and accepted inputs, and torch.export.

    python -m benchmarks.graphs

Times symconv on a generated 300-node residual graph (symbolic sizes of every node,
accepted input sizes per axis) and, when torch is installed, compares with
``torch.export.export(..., dynamic_shapes=...)`` on a U-Net: what constraint it
derives for the input sizes and how long it takes.  Measured, not asserted.
"""

from __future__ import annotations

import time

import symconv as sc
from symconv.chain import Layer


def residual_graph(blocks: int = 100) -> sc.Graph:
    """``blocks`` residual blocks (conv, conv, add): 3 nodes each; every 25th strided."""
    nodes, prev = [], "x"
    for n in range(blocks):
        s = 2 if n % 25 == 24 else 1
        nodes.append(sc.Node(f"a{n}", "layer", (prev,), Layer("conv", k=3, s=s, p=1, F_i=8, F_o=8)))
        nodes.append(sc.Node(f"b{n}", "layer", (f"a{n}",), Layer("conv", k=3, p=1, F_i=8, F_o=8)))
        skip = prev if s == 1 else f"a{n}"
        nodes.append(sc.Node(f"r{n}", "add", (f"b{n}", skip)))
        prev = f"r{n}"
    return sc.Graph(tuple(nodes), in_channels=8)


def main() -> None:
    g = residual_graph()
    t = time.perf_counter()
    exprs = g.exprs()
    t_expr = time.perf_counter() - t
    t = time.perf_counter()
    acc = g.accepted()
    t_acc = time.perf_counter() - t
    print(f"| 300-node residual graph | symbolic sizes of every node | {t_expr:.3f} s |")
    print(f"| 300-node residual graph | accepted inputs per axis: {acc[0].text()} | {t_acc:.3f} s |")
    print(f"|  | last node: {exprs[g.nodes[-1].name][0]} | |")
    try:
        import torch
    except ImportError:
        print("torch not installed: torch.export comparison skipped")
        return
    import torch.nn.functional as F

    class UNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = torch.nn.Conv2d(1, 4, 3, padding=1)
            self.up = torch.nn.ConvTranspose2d(4, 4, 2, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            e = self.enc(x)
            return torch.cat([self.up(F.max_pool2d(e, 2)), e], 1)

    model = UNet()
    h = torch.export.Dim("h", min=2, max=4096)
    t = time.perf_counter()
    try:
        torch.export.export(model, (torch.zeros(1, 1, 64, 64),), dynamic_shapes={"x": {2: h}})
        derived = "exported with h free (no constraint reported)"
    except Exception as exc:  # noqa: BLE001 - report what torch says
        derived = " ".join(str(exc).split())[:300]
    t_export = time.perf_counter() - t
    t = time.perf_counter()
    sym = sc.from_torch(model).accepted()[0].text()
    t_sym = time.perf_counter() - t
    print(f"| U-Net skip | torch.export: {derived} | {t_export:.2f} s |")
    print(f"| U-Net skip | symconv: {sym} | {t_sym:.3f} s |")


if __name__ == "__main__":
    main()
