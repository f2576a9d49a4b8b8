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
    assert sizes.text().splitlines()[0] == ("the Linear at fc takes 30 features, not a multiple "
                                            "of the 4 channels at l0: no input size")


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


# --- gates: features fixed by a pooling, viewed back as channels ---------------------------

def _gated(stride: int, gate: int, like: bool = True, head: int | None = 8) -> Graph:
    """conv (to 8 channels) -> global pool -> flatten -> Linear to ``gate`` -> unflatten
    to (C, 1, 1) (C: the conv's channels when ``like``, else -1) -> gate * conv -> a
    strided pool -> global pool -> flatten -> a Linear head taking ``head``."""
    nodes = [Node("c", "layer", ("x",), Layer("conv", k=3, s=stride, F_i=1, F_o=8)),
             Node("gap", "adaptive", ("c",), size=(1,)),
             Node("flat", "flatten", ("gap",)),
             Node("fc", "linear", ("flat",), in_features=8, out_features=gate),
             Node("u", "unflatten", ("fc", "c") if like else ("fc",), size=(1, 1)),
             Node("m", "mul", ("c", "u")),
             Node("p", "layer", ("m",), Layer("pool", k=2, s=2)),
             Node("gap2", "adaptive", ("p",), size=(1,)),
             Node("flat2", "flatten", ("gap2",))]
    if head is not None:
        nodes.append(Node("head", "linear", ("flat2",), in_features=head, out_features=3))
    return Graph(tuple(nodes), in_channels=1, ndim=2)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("gate, like, head", [(8, True, 8), (1, False, 8), (8, True, None),
                                              (8, False, 8)])
def test_a_gated_graph_accepts_the_sizes_its_own_run_does(stride, gate, like, head) -> None:
    g = _gated(stride, gate, like, head)
    sizes = g.accepted_sizes()
    for size in itertools.product(range(1, 16), repeat=2):
        assert (size in sizes) == g.accepts(size), size
    assert g.shapes((9, 12))["u"] == (gate, (1, 1))


@pytest.mark.parametrize("gate, like, head, message", [
    (6, True, 8, "unflatten at u: 6 features viewed as (8, 1, 1) per sample, which holds 8; "
                 "PyTorch refuses it at every size"),
    (1, True, 8, "unflatten at u: 1 feature viewed as (8, 1, 1) per sample, which holds 8; "
                 "PyTorch refuses it at every size"),
    (6, False, 8, "mul at m: channels [6, 8] differ"),
    (8, True, 9, "linear at head: in_features=9 but the flattened size is 8"),
])
def test_a_gate_or_head_of_other_features_refuses_every_size(gate, like, head, message):
    g = _gated(2, gate, like, head)
    assert {g.failure(size) for size in ((12, 12), (9, 17), (31, 8))} == {message}


def test_features_viewed_back_as_channels_and_sizes() -> None:
    # (N, 12) viewed as (N, 3, 2, 2) by channels=3, and as (N, -1, 2, 2): 3 channels; 10
    # features are not a multiple of 4
    def view(features: int, channels: int | None) -> Graph:
        return Graph((Node("gap", "adaptive", ("x",), size=(1,)),
                      Node("f", "flatten", ("gap",)),
                      Node("fc", "linear", ("f",), in_features=4, out_features=features),
                      Node("v", "unflatten", ("fc",), size=(2, 2), channels=channels),
                      Node("up", "layer", ("v",), Layer("upsample", factor=3))),
                     in_channels=4, ndim=2)
    assert view(12, 3).exprs()["up"] == (6, 6)
    assert view(12, None).shapes((5, 9))["up"] == (3, (6, 6))
    assert view(12, None).accepted_sizes().smallest == (1, 1)
    assert view(10, None).failure((5, 9)) == ("unflatten at v: 10 features viewed as (-1, 2, "
                                              "2): 10 is not a multiple of 4")
    assert view(12, 4).failure((5, 9)) == ("unflatten at v: 12 features viewed as (4, 2, 2) "
                                           "per sample, which holds 16; PyTorch refuses it "
                                           "at every size")


@pytest.mark.parametrize("nodes, message", [
    ((Node("c", "layer", ("x",), Layer("conv", k=3, F_i=1, F_o=2)),
      Node("f", "flatten", ("c",)),
      Node("u", "unflatten", ("f",), size=(1, 1))),
     "unflatten at u: the features of f depend on the input size, so the channels it makes "
     "would: symconv reads an unflatten of features fixed by a pooling to a fixed size or "
     "a Linear"),
    ((Node("u", "unflatten", ("x",), size=(1, 1)),),
     "unflatten at u: the features of x depend on the input size, so the channels it makes "
     "would: symconv reads an unflatten of features fixed by a pooling to a fixed size or "
     "a Linear"),
    ((Node("g", "adaptive", ("x",), size=(1,)),
      Node("u", "unflatten", ("g",), size=(1, 1))),
     "unflatten at u: g is not flattened (an unflatten views (N, features) as (N, C, "
     "*sizes))"),
    ((Node("g", "adaptive", ("x",), size=(1,)), Node("f", "flatten", ("g",)),
      Node("u", "unflatten", ("f",), size=(1,))),
     "node u (unflatten) gives sizes for 1 axes, the graph has 2: give one per axis"),
])
def test_an_unflatten_symconv_cannot_read_is_refused(nodes, message) -> None:
    with pytest.raises(ValueError) as exc:
        Graph(nodes, in_channels=1, ndim=2)
    assert str(exc.value) == message


def test_an_unflatten_node_takes_fixed_sizes_and_one_count_of_channels() -> None:
    with pytest.raises(ValueError, match=r"^node u: unflatten takes a flattened input"):
        Node("u", "unflatten", ("f",), size=(0, 1))
    with pytest.raises(ValueError, match=r"^node u: unflatten takes a flattened input"):
        Node("u", "unflatten", ("f", "c"), size=(1, 1), channels=4)


def _merged_features(op: str, second: str) -> tuple[Node, ...]:
    return (Node("c", "layer", ("x",), Layer("conv", k=3, F_i=1, F_o=2)),
            Node("d", "layer", ("x",), Layer("conv", k=3, s=2, F_i=1, F_o=2)),
            Node("f", "flatten", ("c",)), Node("g", "flatten", ("d",)),
            Node("r", "identity", ("f",)),
            Node("m", op, ("f", second), dim=1),
            Node("fc", "linear", ("m",), in_features=8, out_features=3))


def test_a_linear_after_a_merge_of_one_flatten_couples_the_axes_through_it() -> None:
    # f + relu(f): the features are f's, so the Linear's in_features couples the axes
    # (before, it was checked only at the size asked: accepted_sizes() held (5, 5), which
    # the model refuses)
    g = Graph(_merged_features("add", "r"), in_channels=1, ndim=2)
    sizes = g.accepted_sizes()
    for size in itertools.product(range(1, 12), repeat=2):
        assert (size in sizes) == g.accepts(size) == (size in ((4, 4), (3, 6), (6, 3))), size


@pytest.mark.parametrize("op, second, named", [("add", "g", "f, g"), ("cat", "r", "f")])
def test_features_of_two_flattens_or_joined_are_refused(op, second, named) -> None:
    with pytest.raises(ValueError) as exc:
        Graph(_merged_features(op, second), in_channels=1, ndim=2)
    assert str(exc.value) == (f"{op} at m: merges features whose count follows the input "
                              f"size (from {named}) with other features: not read (symconv "
                              "couples the axes through one Linear after one flatten)")


def test_sizes_that_differ_per_axis_and_a_gate_before_a_bounding_merge() -> None:
    # an unflatten to (1, 3) added to the input: axis 1 takes 1 or 3 (a run of one axis
    # once put one axis's size on both); a gate's merge passes at every size, so the
    # later merge with a map of fixed size 5 bounds the sizes (it was taken as periodic)
    pooled = (Node("p", "adaptive", ("x",), size=(1, 1)), Node("f", "flatten", ("p",)))
    views = Graph((*pooled, Node("u", "unflatten", ("f",), size=(1, 3)),
                   Node("a", "add", ("x", "u"))), in_channels=3, ndim=2)
    gated = Graph((*pooled, Node("u", "unflatten", ("f",), size=(1, 1)),
                   Node("g", "mul", ("x", "u")), Node("five", "adaptive", ("x",), size=(5,)),
                   Node("a", "add", ("g", "five"))), in_channels=3, ndim=2)
    for g in (views, gated):
        sizes = g.accepted_sizes()
        for size in itertools.product(range(1, 12), repeat=2):
            assert (size in sizes) == g.accepts(size), size
    assert [a.text() for a in gated.accepted()] == ["i in {1, 5}; smallest 1"] * 2


@pytest.mark.parametrize("node, message", [
    (lambda: Node("i", "pixel_shuffle", ("c",), factor=0), "node i: factor=0 is not an integer >= 1"),
    (lambda: Node("i", "linear", ("c",), in_features="4", out_features=2),
     "node i: in_features='4' is not an integer >= 0"),
    (lambda: Node("i", "slice", ("c",), slices=((0, None, 0), None)),
     "node i: slices ((0, None, 0), None): one (start, stop, step) or None per axis, the "
     "step not 0"),
    (lambda: Node("i", "slice", ("c",), slices=((0, 2), None)),
     "node i: slices ((0, 2), None): one (start, stop, step) or None per axis, the step "
     "not 0"),
    (lambda: Node("i", "pad", ("c",), pads=((1,), (1,))),
     "node i: pads ((1,), (1,)): one (before, after) per axis"),
    (lambda: Node("i", "identity", ("c",), part=("chunk", 0, 0)),
     "node i: part=('chunk', 0, 0): (\"chunk\", n >= 1, k), (\"split\", size >= 1, k), "
     "(\"sizes\", sizes, k), (\"slice\", start, stop, step != 0), (\"reduce\",) or (\"conv\", a "
     "conv Layer of one channel in and out, one k, s and d)"),
    (lambda: Node("i", "identity", ("c",), part=("conv", Layer("conv", k=3, F_i=1, F_o=2))),
     "node i: part=('conv', 'conv k=3 s=1 p=0 d=1 F_i=1 F_o=2'): "
     "(\"chunk\", n >= 1, k), (\"split\", size >= 1, k), (\"sizes\", sizes, k), (\"slice\", "
     "start, stop, step != 0), (\"reduce\",) or (\"conv\", a conv Layer of one channel in and "
     "out, one k, s and d)"),
    (lambda: Node("i", "adaptive", ("c",), size=1),
     "node i: size=1 is not a tuple: one entry per axis (or one for all), as size=(1,)"),
    (lambda: Node("i", "pad", ("c",), pads=None), "node i: pads=None is not a tuple: one "
                                                   "entry per axis"),
    (lambda: Node("i", "adaptive", ("c",), size=("a", "b")),
     "node i: a size, pad or slice bound 'a' is not an integer"),
    (lambda: Node("i", "pad", ("c",), pads=((1, 1), (1, 1)), mode="wrap"),
     "node i: mode='wrap'; pad takes constant, reflect, replicate, circular"),
    (lambda: Node("i", "cat", ("c", "c"), dim=5), "node i: cat along dim 5: 1 (channels) to 3 (the "
                                          "last spatial axis)"),
])
def test_values_a_node_cannot_take_are_refused_in_one_line(node, message) -> None:
    with pytest.raises(ValueError) as exc:
        Graph((Node("c", "layer", ("x",), Layer("conv", k=3, F_i=3, F_o=4)), node()),
              in_channels=3, ndim=2)
    assert str(exc.value) == message


def _slice_models():
    import torch
    import torch.nn.functional as F
    from torch import nn

    class Fn(nn.Module):
        def __init__(self, fn, conv=False):
            super().__init__()
            self.fn = fn
            self.c = nn.Conv1d(1, 1, 3, 2, 1) if conv else None

        def forward(self, x):
            return self.fn(self, x)

    return {      # (the module, ndim): each slice's constant bound bends its size
        "sliced twice, added": (Fn(lambda m, x: x[:, :, 1:][:, :, :5] + x[:, :, 1:5]), 1),
        "a stop past the window": (Fn(lambda m, x: torch.cat([x[:, :, :-1][:, :, :12],
                                                               x[:, :, 1:12]], 1)), 1),
        "two stops, concatenated": (Fn(lambda m, x: torch.cat([x[:, :, :5], x[:, :, 1:6]], 1)), 1),
        "a stop beside an adaptive size": (Fn(lambda m, x: torch.cat(
            [x[:, :, :5], F.adaptive_max_pool2d(x, (5, 7))], 1)), 2),
        "a stop beside a resize": (Fn(lambda m, x: x[:, :, 2:7] + F.interpolate(
            x, size=(5, x.shape[-1]))), 2),
        "strided slices cut": (Fn(lambda m, x: x[:, :, ::2][:, :, :4] + x[:, :, 1::2][:, :, :4]), 1),
        "starts from the end": (Fn(lambda m, x: torch.cat([F.adaptive_max_pool2d(x, 5),
                                                            x[:, :, -5:, -5:]], 1)), 2),
        "a stop far out beside a strided conv": (Fn(lambda m, x: torch.cat(
            [x[:, :, :300], m.c(x)], 1), conv=True), 1),
    }


SLICE_MODELS = ("sliced twice, added", "a stop past the window", "two stops, concatenated",
                "a stop beside an adaptive size", "a stop beside a resize", "strided slices cut",
                "starts from the end", "a stop far out beside a strided conv")


@pytest.mark.parametrize("name", SLICE_MODELS)
def test_a_slice_with_a_constant_bound_against_pytorch_live(name):
    # x[:, :, :5] is min(x, 5): acceptance was read off the first sizes as periodic, so
    # 'sliced twice, added' accepted every i >= 2 (PyTorch refuses i >= 6) and 'two stops,
    # concatenated' had no input size (PyTorch runs every i >= 6)
    torch = pytest.importorskip("torch")
    from symconv import from_torch
    models = _slice_models()
    assert tuple(models) == SLICE_MODELS
    model, ndim = models[name]
    graph = from_torch(model, ndim=ndim)
    accepted = graph.accepted_sizes()
    for h in range(2, 700 if "far" in name else 40):   # size 0 (h = 1 here) is refused apart
        size = (h,) if ndim == 1 else (h, 7)
        try:
            model(torch.zeros((1, 1, *size)))
            runs = True
        except RuntimeError:
            runs = False
        assert (size in accepted) == runs, (name, size)
