"""Real models as graphs: receptive fields against PyTorch's gradients and against every
path enumerated by brute force; a U-Net (depth 4, 2-d, non-square) and a ResNet-50-shaped
network from ``nn`` layers: accepted inputs against every size 1..N run live, counts
against PyTorch's own (``p.numel()`` and ``torch.utils.flop_counter``)."""

from __future__ import annotations

from dataclasses import replace

import math
import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
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


def _back(n: sc.Node, x: int, lo: int, hi: int) -> tuple[int, int]:
    """The input positions (unclipped) that outputs ``lo..hi`` of node ``n`` read, from
    the layer's own numbers; a transposed layer and upsampling by enumeration."""
    ly = n.layer
    if n.op != "layer" or ly.kind == "identity":
        return lo, hi
    if ly.kind in ("conv", "pool"):
        p_l = ly.pads(x)[0]
        return lo * ly.s - p_l, hi * ly.s - p_l + ly.d * (ly.k - 1)
    span = range(-abs(lo) - ly.khat - 2, abs(hi) + ly.khat + 2)    # holds every m read
    if ly.kind == "upsample":       # output t copies input t // f
        reads = [m for m in span if any(t // ly.factor == m for t in range(lo, hi + 1))]
        return min(reads), max(reads)
    p_l = ly.pads(x)[0]             # input m spreads to outputs m s - p_l + (0..khat-1)
    reads = [m for m in span
             if any(m * ly.s - p_l + ly.d * q in range(lo, hi + 1) for q in range(ly.k))]
    return min(reads), max(reads)


def _window(path: list[sc.Node], size: int, u: int) -> tuple[int, int]:
    """Input positions (unclipped: padding counts) output unit ``u`` of the path reads,
    walked back one layer at a time."""
    sizes = [size]
    for n in path:
        sizes.append(n.layer.output(sizes[-1]) if n.op == "layer" else sizes[-1])
    a, b = u, u
    for n, x in zip(reversed(path), reversed(sizes[:-1]), strict=True):
        a, b = _back(n, x, a, b)
    return a, b


def _period(path: list[sc.Node]) -> int:
    out = 1
    for n in path:
        if n.op == "layer" and n.layer.kind == "conv_transpose":
            out *= n.layer.s
        elif n.op == "layer" and n.layer.kind == "upsample":
            out *= n.layer.factor
    return out


def _brute(graph: sc.Graph, node: str, size: int) -> tuple[int, set, bool]:
    """(r, {(j, P) of the strides widest at unit 0}, aligned) over every path: per stride
    (a path's shift over a period) the hull of its paths' windows at each unit, every
    input a unit reads over them; r the widest hull over a period of units; aligned
    when every path's window has the same centre at every unit."""
    paths = _paths(graph, node)
    period = math.lcm(*(_period(p) for p in paths))
    wins = [[_window(p, size, u) for u in range(period + 1)] for p in paths]
    hulls: dict[Fraction, list[tuple[int, int]]] = {}
    for w in wins:
        j = Fraction(w[period][0] - w[0][0], period)
        old = hulls.get(j, w)
        hulls[j] = [(min(a, c), max(b, e)) for (a, b), (c, e) in zip(old, w, strict=True)]
    r = max(b - a + 1 for h in hulls.values() for a, b in h[:period])
    aligned = all(len({w[u][0] + w[u][1] for w in wins}) == 1 for u in range(period + 1))
    # P and j of a stride whose unit 0 reads the widest window
    most = max(h[0][1] - h[0][0] for h in hulls.values())
    largest = {(j, -h[0][0]) for j, h in hulls.items() if h[0][1] - h[0][0] == most}
    return r, largest, aligned


layer_spec = st.tuples(st.sampled_from(["conv", "conv", "conv", "convt", "up"]),
                       st.integers(1, 5), st.integers(1, 3), st.integers(0, 2),
                       st.integers(0, 2), st.integers(1, 2))


def _layer(kind, k, s, pl, pr, d):
    if kind == "up":
        return Layer("upsample", factor=s)
    if kind == "convt":             # no dilation, k >= s: every output unit reads an input
        return Layer("conv_transpose", k=max(k, s), s=s, p=min(pl, (max(k, s) - 1) // 2))
    return Layer("conv", k=k, s=s, d=d, p=Sides(min(pl, d * (k - 1)), min(pr, d * (k - 1))))


@settings(max_examples=120, deadline=None)
@given(st.lists(layer_spec, min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_receptive_fields_equal_every_path_enumerated(specs, rnd):
    """Random 1-d DAGs (asymmetric pads, dilation, strides, transposed layers, upsampling,
    adds and cats anywhere): each node's r, j, P and alignment equal the brute force over
    its paths."""
    nodes: list[sc.Node] = []
    names = ["x"]
    for n, spec in enumerate(specs):
        src = rnd.choice(names)
        name = f"n{n}"
        nodes.append(sc.Node(name, "layer", (src,), _layer(*spec)))
        names.append(name)
        if n % 2 and len(names) > 2:
            other = rnd.choice(names[:-1])
            nodes.append(sc.Node(f"m{n}", rnd.choice(["add", "cat"]), (name, other)))
            names.append(f"m{n}")
    graph = sc.Graph(tuple(nodes), ndim=1)
    try:
        brute = {node.name: _brute(graph, node.name, 60) for node in graph.nodes}
    except sc.DomainError:          # a layer refuses its input size on some path
        assume(False)
    # a map of size 1 broadcast in an add: every unit reads the same window, no path's
    # rule (its field is not stated: test_a_map_of_size_one_broadcast_gives_no_field)
    sizes = {"x": [60], **{row["name"]: row["out"] for row in graph.table(60)}}
    assume(not any(node.op == "add" and (sizes[node.name] or [0])[0] > 1 and any(
        (sizes[src] or [0])[0] == 1 for src in node.inputs) for node in graph.nodes))
    fields = graph.receptive_fields(60)
    no_size = graph.receptive_fields()
    for node in graph.nodes:
        r, largest, aligned = brute[node.name]
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
        want = tuple((u * f.j - f.P, u * f.j - f.P + f.r - 1) for u, f in zip(unit, per_axis, strict=True))
        inside = all(0 <= lo and hi < n for (lo, hi), n in zip(want, size, strict=True))
        assert inside, (name, want)
        assert _gradient_window(model, name, size, unit) == want, name
        assert all(f.aligned for f in per_axis)
        checked += 1
    assert checked >= 8
    assert [(f.r, f.j, f.P) for f in fields[graph.nodes[-1].name]] == [(17, 4, 8), (23, 2, 11)]


def test_unet_receptive_fields_through_the_decoder_and_its_skips():
    """After the transposed layers the windows vary per unit: the fields equal the chain
    of the deepest path's layers (Chain.receptive_field), and every skip concatenation
    is flagged: a 2x2/2 transposed conv's units are not centred on the skip's."""
    model = UNet().eval()
    graph = sc.from_torch(model)
    fields = graph.receptive_fields((256, 64))
    by_name = {n.name: n for n in graph.nodes}
    deepest, name = [], graph.nodes[-1].name      # follow the first input back to x
    while name != graph.input:
        node = by_name[name]
        if node.op == "layer":      # its sizes alone: the skips' channels are not on it
            deepest.append(replace(node.layer, F_i=None, F_o=None))
        name = node.inputs[0]
    chain = sc.Chain(tuple(reversed(deepest)), ndim=2)
    want = chain.receptive_field((256, 64))
    got = fields[graph.nodes[-1].name]
    assert [(f.r, f.j, f.P) for f in got] == [(w["r"], w["S"], w["P"]) for w in want]
    cats = [n.name for n in graph.nodes if n.op == "cat"]
    first = fields[cats[0]][0]
    assert first.aligned is False and first.note.startswith(f"cat at {cats[0]}: window centres")
    row = next(r for r in graph.table((256, 64)) if r["name"] == cats[0])
    assert row["aligned"] is False and row["rf"] == [f.r for f in fields[cats[0]]]


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
    # the LaTeX marks the field as the text does, and both end in the totals (the text
    # and LaTeX had no total row; the JSON had)
    tex = graph.table_latex((32, 32))
    assert r"& $6 \times 6^{*}$ &" in tex and r"& $4 \times 4^{*}$ &" in tex
    assert graph.table_json((32, 32))["params"] is None      # no layer gives channels
    assert text.splitlines()[-1].split() == ["total", "-", "-"]
    assert tex.splitlines()[-3] == r"total & & & - & - & & & & \\"
    counted = sc.Graph(tuple(replace(n, layer=replace(n.layer, F_i=3, F_o=3))
                             if n.layer is not None else n for n in nodes), ndim=2,
                       in_channels=3)
    totals = counted.table_json((32, 32))
    assert totals["params"] == sum(r["params"] for r in counted.table((32, 32))) > 0
    assert counted.table_text((32, 32)).splitlines()[-1].split() == \
        ["total", str(totals["params"]), str(totals["macs"])]
    assert counted.table_latex((32, 32)).splitlines()[-3] == \
        rf"total & & & {totals['params']} & {totals['macs']} & & & & \\"


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


def _read(y, x, u):
    """The input positions output unit ``u`` of ``y`` depends on (autograd, 1-d)."""
    grad, = torch.autograd.grad(y[0, :, u].sum(), x, retain_graph=True)
    return (grad[0, 0] != 0).nonzero().flatten().tolist()


def test_paths_of_different_strides_give_no_window_rule():
    # a ConvTranspose of stride 1 added to one of stride 3 then a conv of stride 2: the
    # widest path's rule said unit 2 reads 0..2, autograd reads 0..3
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.ConvTranspose1d(1, 1, 3, 3, 1)
            self.b = nn.ConvTranspose1d(1, 1, 3, 1, 0)
            self.c = nn.Conv1d(1, 1, 4, 2, 1, dilation=2)

        def forward(self, x):
            return self.b(x) + self.c(self.a(x))
    model = M().double()
    with torch.no_grad():
        for w in model.parameters():
            w.uniform_(0.5, 1.5)
    fields = sc.from_torch(model).receptive_fields((10,))
    add = fields["add"][0]
    assert add.mixed and add.window(2) is None and "mixed=True" in repr(add)
    x = torch.ones(1, 1, 10, dtype=torch.float64, requires_grad=True)
    for name, y in (("b", model.b(x)), ("c", model.c(model.a(x)))):
        field = fields[name][0]
        assert not field.mixed
        for u in range(4):
            lo, hi = field.window(u)
            read = _read(y, x, u)
            assert lo <= min(read) and max(read) <= hi, (name, u)


def test_a_map_of_size_one_broadcast_gives_no_field():
    # LR-ASPP's gate: a pooling to 1 x 1 multiplied onto the map; every unit reads rows
    # 0..12, where the rule of the pooling's path said rows 20..32 for unit 5
    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.cbr = nn.Conv2d(1, 4, 1)
            self.scale = nn.Sequential(nn.AvgPool2d(13, stride=(4, 5)), nn.Conv2d(1, 4, 1),
                                       nn.Sigmoid())

        def forward(self, x):
            return self.cbr(x) * self.scale(x)
    graph = sc.from_torch(Head())
    fields = graph.receptive_fields((14, 15))[graph.nodes[-1].name]
    assert [f.r for f in fields] == [None, None]
    assert fields[0].note == ("mul at mul: scale.2 of size 1 broadcasts along axis 0 (every "
                              "unit reads its one unit's window)")
