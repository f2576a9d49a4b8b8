"""Accepted input sizes with the axes taken together: a Linear after flatten couples them.

``Graph.accepted_sizes()`` is compared with the graph's own forward check at every size
of a grid, with PyTorch run live, and through the CLI.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv.chain import Layer
from symconv.cli import main
from symconv.graph import Graph, Node


def _head(layers: list[Layer], ndim: int, features: int, skip: bool = False) -> Graph:
    nodes = []
    prev = "x"
    for n, ly in enumerate(layers):
        nodes.append(Node(f"l{n}", "layer", (prev,), ly))
        prev = f"l{n}"
    if skip:        # a residual add around the last layer: the sizes must agree there
        nodes.append(Node("add", "add", (prev, nodes[-2].name if len(nodes) > 1 else "x")))
        prev = "add"
    nodes += [Node("flat", "flatten", (prev,)),
              Node("fc", "linear", ("flat",), in_features=features, out_features=3)]
    return Graph(tuple(nodes), in_channels=2, ndim=ndim)


layer = st.builds(lambda k, s, p, kind: Layer(kind, k=k, s=s, p=min(p, k // 2), F_i=2, F_o=2)
                  if kind == "conv" else Layer("pool", k=k, s=s, p=min(p, k // 2)),
                  st.integers(1, 4), st.integers(1, 3), st.integers(0, 2),
                  st.sampled_from(["conv", "conv", "pool"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(layer, min_size=1, max_size=3), st.integers(1, 2),
       st.sampled_from([2, 12, 24, 30, 72, 7]), st.booleans())
def test_accepted_sizes_equal_the_forward_check(layers: list[Layer], ndim: int, features: int,
                                                skip: bool) -> None:
    g = _head(layers, 2 if ndim == 2 else 1, features, skip)
    sizes = g.accepted_sizes()
    grid = range(1, 41 if g.ndim == 2 else 400)
    for combo in itertools.product(grid, repeat=g.ndim or 1):
        assert (combo in sizes) == g.accepts(combo), combo
    if sizes.smallest is not None:
        assert g.accepts(sizes.smallest)
        assert all(math.prod(c) >= math.prod(sizes.smallest)
                   for c in itertools.product(grid, repeat=g.ndim or 1) if g.accepts(c))


def test_channels_that_do_not_divide_in_features_leave_no_size() -> None:
    g = _head([Layer("conv", k=3, F_i=2, F_o=4)], 2, 30)
    sizes = g.accepted_sizes()
    assert sizes.blocks == () and sizes.smallest is None
    assert sizes.text().splitlines()[0] == ("the Linear at fc takes 30 features: 4 channels at "
                                            "l0 times sizes multiplying to 30/4, not an integer: "
                                            "no input size")


def test_a_constant_size_before_the_linear_accepts_every_size() -> None:
    nodes = (Node("c", "layer", ("x",), Layer("conv", k=3, s=2, F_i=1, F_o=4)),
             Node("gap", "adaptive", ("c",), size=(1, 1)),
             Node("flat", "flatten", ("gap",)),
             Node("fc", "linear", ("flat",), in_features=4, out_features=2))
    sizes = Graph(nodes, in_channels=1, ndim=2).accepted_sizes()
    assert sizes.blocks == (((3, None), (3, None)),)
    assert (3, 10**9) in sizes and (2, 3) not in sizes


def _block():            # a residual block with a strided shortcut, then a Linear
    torch = pytest.importorskip("torch")
    nn, F = torch.nn, torch.nn.functional

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.c1 = nn.Conv2d(8, 8, 3, padding=1)
            self.c2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)
            self.down = nn.Conv2d(8, 8, 1, stride=2)
            self.fc = nn.Linear(8 * 7 * 5, 10)

        def forward(self, x):  # type: ignore[no-untyped-def]
            y = self.c2(F.relu(self.c1(x))) + self.down(x)
            return self.fc(torch.flatten(F.max_pool2d(y, 2), 1))
    return torch, Block().eval()


def test_a_residual_block_with_a_linear_against_pytorch_live() -> None:
    import symconv as sc
    torch, model = _block()
    sizes = sc.from_torch(model).accepted_sizes()
    with torch.no_grad():
        for h, w in itertools.product(range(1, 45), range(1, 45)):
            try:
                model(torch.zeros(1, 8, h, w))
                ran = True
            except RuntimeError:
                ran = False
            assert ((h, w) in sizes) == ran, (h, w)
    assert sizes.smallest == (3, 139)


def test_net_prints_the_blocks_a_linear_allows(tmp_path, monkeypatch, capsys) -> None:
    pytest.importorskip("torch")
    (tmp_path / "block_model.py").write_text(
        "import torch, torch.nn as nn, torch.nn.functional as F\n"
        "class Block(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.c1 = nn.Conv2d(8, 8, 3, padding=1)\n"
        "        self.c2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)\n"
        "        self.down = nn.Conv2d(8, 8, 1, stride=2)\n"
        "        self.fc = nn.Linear(8 * 7 * 5, 10)\n"
        "    def forward(self, x):\n"
        "        y = self.c2(F.relu(self.c1(x))) + self.down(x)\n"
        "        return self.fc(torch.flatten(F.max_pool2d(y, 2), 1))\n"
        "model = Block()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["net", "--torch", "block_model:model", "--nearest", "28", "--smallest"]) == 0
    assert capsys.readouterr().out == (
        "the Linear at fc takes 280 features: 8 channels at max_pool2d times sizes "
        "multiplying to 35\n"
        "  axis 0 in 3..6 and axis 1 in 139..142  (smallest (3, 139))\n"
        "  axis 0 in 19..22 and axis 1 in 27..30  (smallest (19, 27))\n"
        "  axis 0 in 27..30 and axis 1 in 19..22  (smallest (27, 19))\n"
        "  axis 0 in 139..142 and axis 1 in 3..6  (smallest (139, 3))\n"
        "nearest to 28: 22 x 28\n"
        "smallest: 3 x 139\n")


def test_a_huge_in_features_is_refused_not_factored_for_minutes() -> None:
    from symconv.errors import UsageError
    g = _head([Layer("conv", k=3, F_i=2, F_o=1)], 2, 10**13)
    with pytest.raises(UsageError, match=r"^a Linear's in_features / channels = 10000000000000: "
                                         r"symconv lists the input sizes for values up to "
                                         r"1000000000000 \(their divisors\)$"):
        g.accepted_sizes()


@pytest.mark.parametrize("merge", ["cat", "add"])
def test_merge_of_different_slopes_accepts_finitely_many_sizes_anywhere(merge):
    # a(x) = x and p(b(x)) = floor((x + 41)/2) are equal at 40 and 41 only; an add also
    # broadcasts where one side is 1 (x = 1)
    nodes = (Node("a", "layer", ("x",), Layer("conv", k=1)),
             Node("b", "layer", ("x",), Layer("conv", k=1, p=20)),
             Node("p", "layer", ("b",), Layer("pool", k=1, s=2)),
             Node("m", merge, ("a", "p")))
    g = Graph(nodes, ndim=1)
    (axis,) = g.accepted()
    brute = [x for x in range(1, 400) if g.failure((x,)) is None]
    assert [x for x in range(1, 400) if x in axis] == brute
    assert brute == ([40, 41] if merge == "cat" else [1, 40, 41])
    assert axis.text() == f"i in {{{', '.join(map(str, brute))}}}; smallest {brute[0]}"
    assert g.accepted_sizes().nearest((100,)) == (41,)
