"""Real models as graphs: receptive fields against PyTorch's gradients and against every
path enumerated by brute force; a U-Net (depth 4, 2-d, non-square) and a ResNet-50-shaped
network from ``nn`` layers: accepted inputs against every size 1..N run live, counts
against PyTorch's own (``p.numel()`` and ``torch.utils.flop_counter``)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.chain import Layer, Sides

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from test_graph import ResNet50ish, UNet, _check_against_torch  # noqa: E402


# --- receptive fields: brute force over every path (written independently) -------------
def _paths(graph: sc.Graph, node: str) -> list[list[sc.Node]]:
    """Every path from the input to ``node``, as its list of nodes."""
    by_name = {n.name: n for n in graph.nodes}
    if node == graph.input:
        return [[]]
    out = []
    for src in by_name[node].inputs:
        for p in _paths(graph, src):
            out.append(p + [by_name[node]])
    return out


def _window(path: list[sc.Node], size: int, u: int) -> tuple[int, int]:
    """Input positions (unclipped: padding counts) output unit ``u`` of the path reads,
    walked back one layer at a time from the layers' own numbers."""
    sizes = [size]
    for n in path:
        ly = n.layer
        if n.op == "layer" and ly.kind in ("conv", "pool"):
            lo, hi = ly.pads(sizes[-1])
            sizes.append((sizes[-1] + lo + hi - ly.d * (ly.k - 1) - 1) // ly.s + 1)
        else:
            sizes.append(sizes[-1])
    a, b = u, u
    for n, x in zip(reversed(path), reversed(sizes[:-1]), strict=True):
        ly = n.layer
        if n.op == "layer" and ly.kind in ("conv", "pool"):
            p_l = ly.pads(x)[0]
            a, b = a * ly.s - p_l, b * ly.s - p_l + ly.d * (ly.k - 1)
    return a, b


def _brute(graph: sc.Graph, node: str, size: int) -> tuple[int, set, bool]:
    """(r, {(j, P) of the paths with that r}, aligned) over every path: the largest window,
    and whether every path has the same stride and the same centre."""
    rows = []
    for path in _paths(graph, node):
        a0, b0 = _window(path, size, 0)
        a1, _ = _window(path, size, 1)
        rows.append((b0 - a0 + 1, a1 - a0, -a0))
    r = max(t[0] for t in rows)
    centres = {(jj, Fraction(rr - 1, 2) - pp) for rr, jj, pp in rows}
    return r, {(jj, pp) for rr, jj, pp in rows if rr == r}, len(centres) == 1


layer_spec = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 2),
                       st.integers(0, 2), st.integers(1, 2))


@settings(max_examples=60, deadline=None)
@given(st.lists(layer_spec, min_size=2, max_size=7), st.randoms(use_true_random=False))
def test_receptive_fields_equal_every_path_enumerated(specs, rnd):
    """Random 1-d DAGs (asymmetric pads, dilation, strides, adds and cats anywhere): each
    node's r, j, P and alignment equal the brute force over its paths."""
    nodes: list[sc.Node] = []
    names = ["x"]
    for n, (k, s, pl, pr, d) in enumerate(specs):
        src = rnd.choice(names)
        name = f"n{n}"
        nodes.append(sc.Node(name, "layer", (src,),
                             Layer("conv", k=k, s=s, d=d, p=Sides(min(pl, d * (k - 1)),
                                                                  min(pr, d * (k - 1))))))
        names.append(name)
        if n % 2 and len(names) > 2:
            other = rnd.choice(names[:-1])
            nodes.append(sc.Node(f"m{n}", rnd.choice(["add", "cat"]), (name, other)))
            names.append(f"m{n}")
    graph = sc.Graph(tuple(nodes), ndim=1)
    fields = graph.receptive_fields(200)
    no_size = graph.receptive_fields()
    for node in graph.nodes:
        r, largest, aligned = _brute(graph, node.name, 200)
        f = fields[node.name][0]
        assert (f.r, bool(f.aligned)) == (r, aligned), node.name
        assert (f.j, f.P) in largest, node.name
        assert no_size[node.name][0] == f        # explicit pads: the same without a size


class Inceptionish(nn.Module):
    """Branches of different kernels joined by cat, a residual add, strides and avg pools
    on non-square kernels: every layer sums positive values, so an output unit's gradient
    is nonzero exactly on the input positions it reads."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 2, (5, 3), (2, 1), (2, 1))
        self.b1 = nn.Conv2d(2, 2, 1)
        self.b2a = nn.Conv2d(2, 2, (3, 5), padding=(1, 2))
        self.b2b = nn.Conv2d(2, 2, 3, padding=1)
        self.pool = nn.AvgPool2d(3, 1, 1)
        self.down = nn.Conv2d(6, 4, 3, 2, 1)
        self.res = nn.Conv2d(4, 4, (1, 7), padding=(0, 3))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.constant_(m.weight, 1.0)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.b1(x), self.b2b(self.b2a(x)), self.pool(x)], 1)
        x = self.down(x)
        return x + self.res(x)


def _gradient_window(model, node_name, size, unit):
    """The input positions PyTorch's gradient of ``unit`` of fx node ``node_name`` touches,
    per axis (the hull of the nonzero gradient)."""
    gm = torch.fx.symbolic_trace(model)
    x = torch.ones(1, 1, *size, requires_grad=True)
    env = {}
    mods = dict(gm.named_modules())
    for node in gm.graph.nodes:
        if node.op == "placeholder":
            env[node.name] = x
        elif node.op == "output":
            continue
        else:
            args = torch.fx.node.map_arg(node.args, lambda n: env[n.name])
            kwargs = torch.fx.node.map_arg(node.kwargs, lambda n: env[n.name])
            if node.op == "call_module":
                env[node.name] = mods[node.target](*args, **kwargs)
            elif node.op == "call_function":
                env[node.name] = node.target(*args, **kwargs)
            else:
                env[node.name] = getattr(args[0], node.target)(*args[1:], **kwargs)
        if node.name == node_name:
            env[node.name][(0, slice(None)) + tuple(unit)].sum().backward()
            nz = x.grad[0, 0].nonzero()
            return tuple((int(nz[:, j].min()), int(nz[:, j].max())) for j in range(2))
    raise AssertionError(node_name)


def test_receptive_fields_equal_pytorch_gradients():
    model = Inceptionish().eval()
    graph = sc.from_torch(model)
    size = (97, 83)
    fields = graph.receptive_fields(size)
    shapes = graph.shapes(size)
    checked = 0
    for name, per_axis in fields.items():
        sz = shapes[name][1]
        if not sz or any(f.r is None for f in per_axis):
            continue
        unit = tuple(n // 2 for n in sz)
        want = tuple((u * f.j - f.P, u * f.j - f.P + f.r - 1) for u, f in zip(unit, per_axis))
        inside = all(0 <= lo and hi < n for (lo, hi), n in zip(want, size))
        assert inside, (name, want)
        assert _gradient_window(model, name, size, unit) == want, name
        assert all(f.aligned for f in per_axis)
        checked += 1
    assert checked >= 8
    assert [(f.r, f.j, f.P) for f in fields[graph.nodes[-1].name]] == [(17, 4, 8), (23, 2, 11)]


def test_unet_receptive_fields_stop_at_the_transposed_layer():
    graph = sc.from_torch(UNet().eval())
    fields = graph.receptive_fields((256, 64))
    first_up = next(n.name for n in graph.nodes if n.layer is not None
                    and n.layer.kind == "conv_transpose")
    enc = [n.name for n in graph.nodes[:graph.nodes.index(
        next(n for n in graph.nodes if n.name == first_up))]]
    assert all(fields[n][0].r is not None for n in enc)
    last = fields[graph.nodes[-1].name]
    assert last[0].r is None and last[0].note.startswith(f"conv_transpose at {first_up}:")
    # the table marks them unknown, not a number
    row = next(r for r in graph.table((256, 64)) if r["name"] == first_up)
    assert (row["rf"], row["jump"], row["P"]) == (None, None, None)


def test_merge_of_misaligned_paths_is_flagged_with_the_largest_field():
    nodes = (sc.Node("a", "layer", ("x",), Layer("conv", k=3, p=1)),
             sc.Node("b", "layer", ("x",), Layer("conv", k=4, p=Sides(1, 2))),
             sc.Node("sum", "add", ("a", "b")),
             sc.Node("after", "layer", ("sum",), Layer("conv", k=3, s=2, p=1)))
    graph = sc.Graph(nodes, ndim=2)
    f = graph.receptive_fields((32, 32))
    assert (f["sum"][0].r, f["sum"][0].P, f["sum"][0].aligned) == (4, 1, False)
    assert f["sum"][0].note == "add at sum: centre shifts 0, 1/2 differ"
    assert f["after"][0].aligned is False and f["after"][0].r == 6
    text = graph.table_text((32, 32))
    assert "  ~ add at sum: centre shifts 0, 1/2 differ (rf marked *: not aligned)" in text


def test_same_padding_with_stride_is_a_formula_never_a_placeholder_value():
    graph = sc.Graph.from_chain(sc.Chain((Layer("conv", k=3, s=2, p="SAME", framework="tf"),
                                          Layer("conv", k=3, p="SAME", framework="tf"))))
    f = graph.receptive_fields()["2"][0]
    assert (f.r, f.j) == (7, 2) and f.P.free_symbols == {sc.i}
    for size in range(1, 60):
        assert f.P.subs(sc.i, size) == graph.receptive_fields((size, size))["2"][0].P
    assert sc.Chain.parse("conv k=3 p=valid").receptive_field() == \
        {"r": 3, "S": Fraction(1), "P": 0}


# --- U-Net and ResNet: sizes, accepted inputs, counts -----------------------------------
def test_resnet50_shaped_accepts_exactly_the_sizes_pytorch_runs():
    model = ResNet50ish().eval()
    graph = sc.from_torch(model)
    acc = graph.accepted()
    for j in range(2):
        for x in range(1, 49):
            size = [33, 47]
            size[j] = x
            assert (x in acc[j]) == _check_against_torch(model, graph, tuple(size), 3), (j, x)


def _flops(model, size, channels):
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.zeros(1, channels, *size))
    return counter.get_total_flops()


@pytest.mark.parametrize(("make", "size", "channels"),
                         [(ResNet50ish, (224, 160), 3), (UNet, (64, 96), 1),
                          (Inceptionish, (97, 83), 1)], ids=["resnet", "unet", "inception"])
def test_params_and_macs_equal_pytorch_counts(make, size, channels):
    model = make().eval()
    graph = sc.from_torch(model)
    counts = graph.counts(size)
    assert sum(p for p, _ in counts.values()) == sum(p.numel() for p in model.parameters())
    # torch's flop counter: 2 flops per multiply-accumulate of every conv and linear
    assert 2 * sum(m for _, m in counts.values()) == _flops(model, size, channels)
    table = graph.table_json(size)
    assert (table["params"], table["macs"]) == (sum(p for p, _ in counts.values()),
                                                sum(m for _, m in counts.values()))


def test_resnet_in_features_and_every_node_against_pytorch():
    model = ResNet50ish().eval()
    graph = sc.from_torch(model)
    rng = random.Random(7)
    for _ in range(4):
        size = (rng.randint(1, 300), rng.randint(1, 300))
        assert _check_against_torch(model, graph, size, 3)
        assert graph.in_features(size) == {"fc": model.fc.in_features}
