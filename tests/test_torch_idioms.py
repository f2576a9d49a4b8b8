"""PyTorch idioms the model reader takes, each against PyTorch run live on every size
of a grid: the batch size read from the tensor (``x.view(x.size(0), -1)``,
``x.shape[0]``, ``x.size()[0]``), ``view(-1, F)`` (read per sample, said as an
assumption), pools returning indices, and InstanceNorm's "more than 1 spatial element"."""

from __future__ import annotations

import itertools
import re

import pytest

import symconv as sc

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional


def _runs(model, size, channels=3):
    try:
        with torch.no_grad():
            return tuple(model(torch.zeros(1, channels, *size)).shape)
    except (RuntimeError, ValueError):
        return None


def _agree(model, graph, sizes, channels=3):
    """symconv's shapes, refusals and accepted set equal PyTorch's at every size."""
    acc = graph.accepted_sizes()
    for size in sizes:
        ref = _runs(model, size, channels)
        assert (size in acc) == (ref is not None), (size, ref)
        if ref is None:
            with pytest.raises(sc.GraphError):
                graph.shapes(size)
            continue
        c, sz = graph.output(size)
        assert (c, *sz) == ref[1:], (size, ref)
    return acc


class _Head(nn.Module):
    def __init__(self, flat):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3, stride=2)
        self.fc = nn.Linear(2 * 12, 5)
        self.flat = flat

    def forward(self, x):
        return self.fc(self.flat(self.conv(x)))


@pytest.mark.parametrize("flat", [
    lambda y: y.view(y.size(0), -1),
    lambda y: y.reshape(y.shape[0], -1),
    lambda y: y.view(y.size()[0], -1),
    lambda y: y.view(y.size(dim=0), 24),
], ids=["size(0)", "shape[0]", "size()[0]", "size(dim=0), F"])
def test_batch_size_read_from_the_tensor_is_a_flatten(flat):
    model = _Head(flat).eval()
    graph = sc.from_torch(model, (1, 3, 9, 9))
    assert graph.assumptions == ()
    _agree(model, graph, list(itertools.product(range(1, 20), repeat=2)))


def test_a_spatial_size_read_from_the_tensor_into_view_is_refused():
    class M(nn.Module):
        def forward(self, x):
            return x.view(x.size(0), x.size(2), -1)
    with pytest.raises(sc.UsageError, match=r"^node view \(call_method view\): only "
                       r"view/reshape to \(N, -1\) or \(N, size\) is read \(N: x.size\(0\), "
                       r"or -1 before a size\)$"):
        sc.from_torch(M())


def test_view_minus_one_by_features_is_read_per_sample_and_says_so(capsys):
    model = _Head(lambda y: y.view(-1, 24)).eval()
    graph = sc.from_torch(model, (1, 3, 9, 9))
    assert graph.assumptions == (
        "view(-1, 24) at view is read per sample (channels times sizes = 24); PyTorch also "
        "runs sizes where 24 divides the batch times that product, folding them into the "
        "batch: write view(x.size(0), -1) to say which is meant",)
    # per sample it is the flatten: every size where C*H*W = 24 runs with the batch kept
    acc = graph.accepted_sizes()
    for size in itertools.product(range(1, 20), repeat=2):
        if size in acc:
            assert _runs(model, size) == (1, 5)
    # a size PyTorch runs only by folding: 2 * 6 * 6 = 72 = 3 rows of 24
    assert _runs(model, (13, 13)) == (3, 5) and (13, 13) not in acc


@pytest.mark.parametrize("pool", [
    lambda x: F.max_pool2d(x, 2, return_indices=True)[0],
    lambda x: F.max_pool2d(x, 3, 2, 1, 1, True, True)[1],
    lambda x: F.adaptive_max_pool2d(x, (2, 3), return_indices=True)[0],
], ids=["max_pool2d", "positional, ceil", "adaptive"])
def test_pools_returning_indices(pool):
    class M(nn.Module):
        def forward(self, x):
            return pool(x)
    model = M().eval()
    graph = sc.from_torch(model, (1, 3, 8, 8))
    _agree(model, graph, list(itertools.product(range(1, 12), repeat=2)))


def test_pool_module_returning_indices():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.pool = nn.MaxPool3d(2, return_indices=True)

        def forward(self, x):
            values, indices = self.pool(x)
            return values + indices
    model = M().eval()
    graph = sc.from_torch(model, (1, 1, 4, 4, 4))
    _agree(model, graph, list(itertools.product(range(1, 5), repeat=3)), channels=1)


def test_a_nested_pool_module_returning_indices():
    # a pool at features.0 (fx calls it features_0): its [0] was refused as a slice
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.MaxPool2d(2, return_indices=True))
            self.c = nn.Conv2d(3, 2, 1)

        def forward(self, x):
            values, _ = self.features[0](x)
            return self.c(values)
    model = M().eval()
    _agree(model, sc.from_torch(model, ndim=2), list(itertools.product(range(1, 10), repeat=2)))


@pytest.mark.parametrize("model", [
    nn.Sequential(nn.MaxPool1d(2, return_indices=True), nn.ReLU()),
    nn.Sequential(nn.AdaptiveMaxPool1d(3, return_indices=True), nn.Conv1d(1, 1, 1)),
], ids=["max_pool", "adaptive"])
def test_a_pools_pair_passed_on_whole_is_refused_as_pytorch_refuses_it(model):
    # read as the values alone, the models had sizes where PyTorch runs at none
    with pytest.raises(TypeError):
        model(torch.zeros(1, 1, 8))
    with pytest.raises(sc.SymconvError, match=r"^node 1 \(call_module 1\) takes the pair "
                       r"\(values, indices\) 0 returns \(return_indices=True\) whole: not "
                       r"read \(a layer refuses the pair; take 0\[0\]\)$"):
        sc.from_torch(model, ndim=1)


def test_a_pools_pair_returned_whole_is_two_outputs_and_refused():
    # read as the values: (4, (4, 4)), where PyTorch returns two tensors
    model = nn.Sequential(nn.Conv2d(3, 4, 1), nn.MaxPool2d(2, return_indices=True))
    assert isinstance(model(torch.zeros(1, 3, 8, 8)), tuple)
    with pytest.raises(sc.SymconvError, match=r"^the model returns the pair \(values, "
                       r"indices\) 1 returns \(return_indices=True\), 2 outputs: symconv "
                       r"reads one tensor \(return 1\[0\]\)$"):
        sc.from_torch(model)


@pytest.mark.parametrize("index", [-2, 0])
def test_a_pools_values_by_a_negative_index(index):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.p = nn.MaxPool2d(2, return_indices=True)
            self.c = nn.Conv2d(3, 2, 1)

        def forward(self, x):
            return self.c(self.p(x)[index])
    model = M().eval()
    _agree(model, sc.from_torch(model), list(itertools.product(range(1, 8), repeat=2)))


@pytest.mark.parametrize("make", [
    lambda: nn.Sequential(nn.AvgPool2d(2, divisor_override=0)),
    lambda: type("M", (nn.Module,), {"forward": lambda self, x: F.avg_pool2d(
        x, 2, divisor_override=0)})(),
], ids=["module", "function"])
def test_a_zero_divisor_is_refused_as_pytorch_refuses_it(make):
    model = make()
    with pytest.raises(RuntimeError, match="divisor must be not zero"):
        model(torch.zeros(1, 1, 8, 8))
    with pytest.raises(sc.SymconvError, match=r"divisor_override=0: PyTorch refuses it at "
                       r"every size \('divisor must be not zero'\); give None or a positive "
                       r"divisor$"):
        sc.from_torch(model, ndim=2)


class _Instance(nn.Module):
    def __init__(self, head=False, running=False, dims=2):
        super().__init__()
        conv = (nn.Conv1d, nn.Conv2d)[dims - 1]
        norm = (nn.InstanceNorm1d, nn.InstanceNorm2d)[dims - 1]
        self.conv = conv(3, 2, 3, stride=2)
        self.norm = norm(2, track_running_stats=running)
        self.head = head
        self.fc = nn.Linear(2 * 6, 5)

    def forward(self, x):
        y = self.norm(self.conv(x))
        return self.fc(torch.flatten(y, 1)) if self.head else y


def test_instance_norm_refuses_one_element_per_channel():
    model = _Instance().eval()
    graph = sc.from_torch(model, (1, 3, 9, 9))
    acc = _agree(model, graph, list(itertools.product(range(1, 24), repeat=2)))
    assert acc.excluded == (("norm", ((3, 4), (3, 4))),)
    assert acc.smallest == (3, 5) and acc.nearest((4, 4)) == (4, 5)
    assert acc.text().splitlines()[-1] == (
        "  except axis 0 in 3..4 and axis 1 in 3..4: one element per channel at norm (its "
        "instance statistics need more than 1)")
    with pytest.raises(sc.GraphError, match=r"^InstanceNorm2d at norm: one element per channel "
                                            r"\(1 x 1\); its instance statistics need more "
                                            r"than 1$"):
        graph.shapes((4, 3))


def test_instance_norm_with_a_linear_head_and_in_one_axis():
    model = _Instance(head=True).eval()
    graph = sc.from_torch(model, (1, 3, 9, 9))
    acc = _agree(model, graph, list(itertools.product(range(1, 30), repeat=2)))
    assert acc.excluded == ()           # the Linear needs 6 positions: never 1 x 1
    model = _Instance(dims=1).eval()
    graph = sc.from_torch(model, (1, 3, 9))
    acc = _agree(model, graph, [(n,) for n in range(1, 40)])
    assert acc.axes[0].smallest == 5


def test_instance_norm_with_running_statistics_in_eval_takes_one_element():
    model = _Instance(running=True).eval()
    graph = sc.from_torch(model, (1, 3, 9, 9))
    assert all(n.op != "norm" for n in graph.nodes)
    _agree(model, graph, list(itertools.product(range(1, 8), repeat=2)))
    model.train()           # training: its own statistics again
    assert any(n.op == "norm" for n in sc.from_torch(model, (1, 3, 9, 9)).nodes)


def test_net_prints_what_the_reader_assumed(tmp_path, capsys, monkeypatch):
    (tmp_path / "lenet_view.py").write_text(
        "import torch.nn as nn\n"
        "class M(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.conv = nn.Conv2d(1, 2, 3)\n"
        "        self.fc = nn.Linear(8, 3)\n"
        "    def forward(self, x):\n"
        "        return self.fc(self.conv(x).view(-1, 8))\n"
        "model = M()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from symconv.cli import main
    assert main(["net", "--torch", "lenet_view:model", "--smallest"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "assumed: view(-1, 8) at view is read per sample (channels times sizes = 8); PyTorch "
        "also runs sizes where 8 divides the batch times that product, folding them into "
        "the batch: write view(x.size(0), -1) to say which is meant")
    assert out.splitlines()[-1] == "smallest: 4 x 4"


def test_net_json_carries_assumptions_and_excluded_boxes(tmp_path, capsys, monkeypatch):
    import json

    import jsonschema

    from symconv.cli import main
    from symconv.schemas import schema
    (tmp_path / "inorm_model.py").write_text(
        "import torch.nn as nn\n"
        "model = nn.Sequential(nn.Conv2d(3, 2, 3, stride=2), nn.InstanceNorm2d(2)).eval()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["net", "--torch", "inorm_model:model", "--nearest", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, schema("net"))
    assert data["model"]["assumed"] == []
    assert data["joint"]["excluded"] == [{"node": "1", "box": [[3, 4], [3, 4]]}]
    assert data["joint"]["blocks"] is None and data["nearest"]["size"] == [4, 5]


def test_a_sequential_with_instance_norm_is_read_as_a_graph():
    model = nn.Sequential(nn.Conv2d(3, 2, 3, stride=2), nn.InstanceNorm2d(2)).eval()
    graph = sc.from_torch(model)
    assert isinstance(graph, sc.Graph)
    _agree(model, graph, list(itertools.product(range(1, 12), repeat=2)))
    plain = nn.Sequential(nn.Conv2d(3, 2, 3, stride=2), nn.BatchNorm2d(2)).eval()
    assert isinstance(sc.from_torch(plain), sc.Chain)


@pytest.mark.parametrize("seed", range(12))
def test_instance_norms_anywhere_against_pytorch_and_brute_force(seed):
    import random
    rnd = random.Random(seed)
    layers: list = []
    channels = 3
    for n in range(rnd.randint(2, 4)):
        k, s = rnd.randint(1, 3), rnd.randint(1, 3)
        layers.append(nn.Conv2d(channels, 2, (k, rnd.randint(1, 3)), stride=(s, rnd.randint(1, 2)),
                                padding=rnd.randint(0, k // 2)))
        channels = 2
        if rnd.random() < 0.6:
            layers.append(nn.InstanceNorm2d(2))
        if rnd.random() < 0.3:
            layers.append(nn.MaxPool2d(2, ceil_mode=rnd.random() < 0.5))
    layers.append(nn.InstanceNorm2d(2))
    model = nn.Sequential(*layers).eval()
    graph = sc.from_torch(model)
    grid = list(itertools.product(range(1, 26), repeat=2))
    acc = _agree(model, graph, grid)
    # membership is PyTorch's on the grid: the searches against every member up to 80
    ok = [size for size in itertools.product(range(1, 81), repeat=2) if size in acc]
    if ok:
        small = min(ok, key=lambda c: (c[0] * c[1], c))
        # the smallest may lie past 80 on one axis (a thin size): then it has fewer
        # elements than any size up to 80
        assert acc.smallest == small if max(acc.smallest) <= 80 else \
            acc.smallest in acc and _runs(model, acc.smallest) is not None and \
            acc.smallest[0] * acc.smallest[1] < small[0] * small[1]
        for target in [(1, 1), (5, 3), (9, 9)]:
            best = min(ok, key=lambda c: (abs(c[0] - target[0]) + abs(c[1] - target[1]), c))
            assert acc.nearest(target) == best, target


@pytest.mark.parametrize("dim", [0, 1, 2, 3])
def test_merges_of_different_channels_refuse_every_size(dim):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Conv2d(3, 4, 3, padding=1), nn.Conv2d(3, 5, 3, padding=1)

        def forward(self, x):
            return self.a(x) + self.b(x) if dim == 0 else torch.cat([self.a(x), self.b(x)], dim)
    model = M().eval()
    graph = sc.from_torch(model, (1, 3, 8, 8))
    acc = _agree(model, graph, list(itertools.product(range(1, 9), repeat=2)))
    if dim == 1:        # joined channels: every size
        assert acc.smallest == (1, 1)
        return
    assert acc.smallest is None
    assert acc.text() == "axis 0: accepted: no input size\naxis 1: accepted: no input size"
    with pytest.raises(sc.GraphError, match=r"channels \[4, 5\] differ"):
        graph.shapes((8, 8))


# --- found by a fuzz of 2 300 random models against PyTorch ---------------------------------

def _mk(fwd, **mods):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            for key, value in mods.items():
                setattr(self, key, value)
        forward = fwd
    return M().eval()


def _agree_nonempty(model, example, sizes):
    """As _agree, with PyTorch's empty outputs (a size 0 somewhere) counted as refused:
    symconv refuses a size of 0 (documented)."""
    graph = sc.from_torch(model, example)
    acc = graph.accepted_sizes()
    for size in sizes:
        ref = _runs(model, size, example[1])
        if ref is not None and 0 in ref:
            ref = None
        assert (size in acc) == (ref is not None), (size, ref)
        if ref is not None:
            c, sz = graph.output(size)
            assert ((c, *sz) if sz else (c,)) == ref[1:], (size, ref)
            try:
                exprs = graph.exprs()
            except sc.UsageError:       # a slice's formula is not stated
                continue
            name = graph.nodes[-1].name if graph.nodes else None
            if name is not None and exprs[name]:
                assert tuple(int(e.subs(sc.i, x)) for e, x in zip(exprs[name], size)) == sz \
                    or len(set(size)) > 1
    return graph, acc


GRID = list(itertools.product(range(1, 12), repeat=2))
_IDIOMS = {
    "elementwise only": (lambda s, x: torch.tanh(x), {}),
    "x[:, :, ..., 1:]": (lambda s, x: x[:, :, ..., 1:], {}),
    "x[..., 1:, ::2]": (lambda s, x: x[..., 1:, ::2], {}),
    "pad after a last-axis Linear": (lambda s, x: F.pad(s.l(x), (1, 1)),
                                     {"l": nn.Linear(6, 5)}),
    "conv after a last-axis Linear": (lambda s, x: s.c(s.l(x)),
                                      {"l": nn.Linear(6, 5), "c": nn.Conv2d(3, 1, 3)}),
    "Linear on a sliced last axis": (lambda s, x: s.l(x[:, :, :, :5]), {"l": nn.Linear(5, 3)}),
    "x + Linear(adaptive (None, 5))": (
        lambda s, x: x + s.l(F.adaptive_avg_pool2d(x, (None, 5))), {"l": nn.Linear(5, 1)}),
    "Linear + pool on the last axis": (lambda s, x: s.l(x) + F.avg_pool2d(x, (1, 3)),
                                       {"l": nn.Linear(6, 2)}),
    "cat on H then conv (2, 1)": (lambda s, x: s.c(torch.cat([x, x], 2)),
                                  {"c": nn.Conv2d(3, 1, (2, 1))}),
    "cat of 3 on H then conv (5, 1)": (lambda s, x: s.c(torch.cat([x, x, x], 2)),
                                       {"c": nn.Conv2d(3, 1, (5, 1))}),
    "x - y, x.add(y)": (lambda s, x: (s.a(x) - s.b(x)).add(s.a(x)),
                        {"a": nn.Conv2d(3, 2, 3), "b": nn.Conv2d(3, 2, 3, padding=1)}),
    "/ ** clamp .float()": (lambda s, x: (torch.clamp(x, 0, 1) / 2).float() ** 2 - 1, {}),
    "mean((2, 3), keepdim)": (lambda s, x: s.c(x).mean((2, 3), keepdim=True),
                              {"c": nn.Conv2d(3, 3, 3)}),
    "Linear(mean([-2, -1]))": (lambda s, x: s.l(s.c(x).mean([-2, -1])),
                               {"c": nn.Conv2d(3, 3, 3), "l": nn.Linear(3, 4)}),
    "cat dim=-1 then conv": (lambda s, x: s.c(torch.cat([x, x], dim=-1)),
                             {"c": nn.Conv2d(3, 1, 5)}),
    "cat dim=-3": (lambda s, x: torch.cat([x, x], dim=-3), {}),
    "negative pad crops first": (lambda s, x: F.pad(x, (-2, 3)), {}),
    "PixelUnshuffle(3)": (lambda s, x: s.u(x), {"u": nn.PixelUnshuffle(3)}),
    "F.pixel_shuffle then a head": (
        lambda s, x: s.l(torch.flatten(F.pixel_shuffle(F.adaptive_avg_pool2d(x, 4), 2), 1)),
        {"l": nn.Linear(48, 5)}),
    "LPPool2d ceil": (lambda s, x: s.p(x), {"p": nn.LPPool2d(2, 3, stride=2, ceil_mode=True)}),
    **{f"conv padding_mode={mode} p={pad}": (
        lambda s, x: s.c(x), {"c": nn.Conv2d(3, 2, 4 if pad == "same" else 5, padding=pad,
                                              padding_mode=mode)})
       for mode in ("reflect", "replicate", "circular") for pad in (2, "same")},
}


@pytest.mark.parametrize("idiom", list(_IDIOMS))
def test_idioms_against_pytorch(idiom):
    fwd, mods = _IDIOMS[idiom]
    channels = 12 if "pixel_shuffle" in idiom else 3
    _agree_nonempty(_mk(fwd, **mods), (1, channels, 6, 6), GRID)


def test_a_slice_that_shrinks_and_a_partial_reflect_pad_are_refused_in_one_line():
    graph = sc.from_torch(_mk(lambda s, x: torch.cat([x[:, :, -4:2], x[:, :, :2]], 1)),
                          (1, 1, 8, 8))
    with pytest.raises(sc.UsageError, match=r"^slice at getitem: \[-4:2\] does not grow with "
                                            r"its input"):
        graph.accepted_sizes()
    assert graph.output((4, 5)) == (2, (2, 5))
    with pytest.raises(sc.UsageError, match=r"reflect padding gives 2 values for 2 spatial "
                                            r"axes; PyTorch refuses it on this input at every "
                                            r"size: give 4"):
        sc.from_torch(_mk(lambda s, x: F.pad(x, (1, 1), mode="reflect")), (1, 1, 8, 8))
    with pytest.raises(sc.UsageError, match=r"reduces dims \(1, 2\); symconv reads a reduction "
                                            r"over every spatial axis \(2, 3\)"):
        sc.from_torch(_mk(lambda s, x: x.sum((1, 2), keepdim=True)), (1, 1, 8, 8))


# --- a second round (1 879 models and hand probes) -------------------------------------------

def _ip_add_(s, x):
    z = F.avg_pool2d(x, (1, 5))
    z.add_(x)               # in place: x cannot broadcast into z's smaller size
    return z


def _ip_ok(s, x):
    z = s.c(x)
    z.mul_(x.mean((2, 3), keepdim=True))
    return z


_ROUND_2 = {
    "LPPool3d needs the kernel": (lambda s, x: s.p(x),
                                  {"p": nn.LPPool3d(2, 3, stride=2, ceil_mode=True)}, 3),
    "F.lp_pool2d": (lambda s, x: F.lp_pool2d(x, 2, 3, 2), {}, 2),
    "clamp by a tensor broadcasts": (lambda s, x: torch.clamp(x, min=F.avg_pool2d(x, 2)), {}, 2),
    "clip by a tensor": (lambda s, x: torch.clip(x, F.max_pool2d(x, 2), None), {}, 2),
    "add_ in place": (_ip_add_, {}, 2),
    "mul_ in place, broadcast into the larger": (_ip_ok, {"c": nn.Conv2d(3, 3, 3, padding=1)}, 2),
    "LayerNorm after a flatten": (
        lambda s, x: s.n(torch.flatten(F.adaptive_avg_pool2d(x, 2), 1)), {"n": nn.LayerNorm(12)},
        2),
}


@pytest.mark.parametrize("idiom", list(_ROUND_2))
def test_second_round_idioms_against_pytorch(idiom):
    fwd, mods, ndim = _ROUND_2[idiom]
    grid = list(itertools.product(range(1, 10 if ndim == 2 else 6), repeat=ndim))
    _agree_nonempty(_mk(fwd, **mods), (1, 3, *(6,) * ndim), grid)


@pytest.mark.parametrize("fwd, message", [
    (lambda s, x: x[:, :, 1:3, 0], r"an index that drops, adds or gathers along a spatial axis "
                                   r"\(0\) is not read; slices \(a:b:c\) are"),
    (lambda s, x: x[..., None], r"gathers along a spatial axis \(None\) is not read"),
    (lambda s, x: x[:, :, [0, 1]], r"gathers along a spatial axis \(\[0, 1\]\) is not read"),
    (lambda s, x: F.layer_norm(x, (5,)), r"node layer_norm \(LayerNorm\[5\]\): normalises over "
                                         r"the last dimensions of a tensor with spatial axes"),
    (lambda s, x: F.pad(x, (-1, 2, 1, -2), mode="circular"),
     r"negative padding in circular mode is not read \(a crop in constant mode is\)"),
])
def test_second_round_refusals_are_one_line(fwd, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(_mk(fwd), (1, 2, 6, 5))


def test_a_sequential_with_layer_norm_over_spatial_axes_is_refused():
    model = nn.Sequential(nn.Conv2d(2, 4, 3, stride=2), nn.LayerNorm([4, 2, 2]))
    with pytest.raises(sc.UsageError, match=r"node 1 \(LayerNorm\[4, 2, 2\]\): normalises"):
        sc.from_torch(model)


def test_the_accepted_size_search_stops_at_its_time_limit_and_says_so(monkeypatch):
    import symconv.graph as graph_module
    graph = sc.from_torch(nn.Sequential(nn.Conv2d(3, 2, 3, stride=2), nn.InstanceNorm2d(2)))
    monkeypatch.setattr(graph_module, "ACCEPTED_SECONDS", 0.0)
    with pytest.raises(sc.UsageError, match=r"^accepted sizes: stopped after 0 s on axis 0 "
                                            r"\(the graph is run once per size it (checks|"
                                            r"compares)\); ask shapes\(i\) for the sizes you "
                                            r"need$"):
        graph.accepted_sizes()
    monkeypatch.setattr(graph_module, "ACCEPTED_SECONDS", 30.0)
    assert graph.accepted_sizes().smallest == (3, 5)


def test_a_convolution_given_other_channels_refuses_every_size():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(3, 8, 3)
            self.b = nn.Conv2d(4, 2, 3)

        def forward(self, x):
            return self.b(torch.relu(self.a(x)))
    model = M().eval()
    graph = sc.from_torch(model, (1, 3, 9, 9))
    for size in [(5, 5), (9, 9), (20, 7)]:
        assert _runs(model, size) is None
        assert graph.failure(size) == "conv at b: takes 4 channels, gets 8"


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_valid_padding_with_a_padding_mode_is_read(mode):
    # its pads were computed at size 1, where 'valid' refused the kernel: the whole model
    import torch
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 2, (3, 4), padding="valid",
                                                padding_mode=mode, dilation=(1, 2)))
    graph = sc.from_torch(model)
    for h, w in [(1, 1), (3, 7), (8, 8), (2, 9)]:
        try:
            want = tuple(model(torch.zeros(1, 2, h, w)).shape[2:])
        except RuntimeError:
            want = None
        got = graph.failure((h, w)) is None and graph.shapes((h, w))[graph.nodes[-1].name][1]
        assert (got or None) == want


def test_a_1d_adaptive_pool_of_size_none_is_refused_as_pytorch_refuses_it():
    import torch
    model = torch.nn.Sequential(torch.nn.Conv1d(2, 2, 1), torch.nn.AdaptiveAvgPool1d((None,)))
    with pytest.raises(sc.UsageError, match="output size None on a 1-d adaptive pool"):
        sc.from_torch(model)
    keep = torch.nn.Sequential(torch.nn.Conv2d(2, 2, 1), torch.nn.AdaptiveAvgPool2d((None, 3)))
    assert sc.from_torch(keep).shapes((5, 7))["1"] == (2, (5, 3))


def test_a_resize_per_axis_tuple_or_ndim_gives_the_number_of_axes():
    import torch

    class Wrap(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m(x)
    graph = sc.from_torch(Wrap(torch.nn.Upsample(scale_factor=(0.5, 1.5, 2.0))))
    assert graph.shapes((4, 4, 4))["m"][1] == (2, 6, 8)
    assert sc.from_torch(Wrap(torch.nn.Upsample(scale_factor=3.0)), ndim=1).shapes((4,))["m"][1] == (12,)
    with pytest.raises(sc.UsageError, match="ndim=1 but the model's layers are 2-d"):
        sc.from_torch(Wrap(torch.nn.Conv2d(1, 1, 3)), ndim=1)


@pytest.mark.parametrize("make", [
    lambda t: t.nn.Upsample(scale_factor=(3.0,)),
    lambda t: t.nn.Upsample(size=(4,)),
    lambda t: (lambda x: t.nn.functional.interpolate(x, scale_factor=(2.0,))),
    lambda t: (lambda x: t.nn.functional.interpolate(x, size=[7])),
])
@pytest.mark.parametrize("sequential", [False, True])
def test_a_one_tuple_resize_is_one_axis_as_pytorch_reads_it(make, sequential):
    """PyTorch takes a resize's tuple only with one entry per spatial axis, so a 1-tuple
    states a 1-d model (a bare number fits any number of axes)."""
    import torch

    op = make(torch)
    if not isinstance(op, torch.nn.Module):
        if sequential:
            pytest.skip("a function is not a Sequential's layer")

        class Fn(torch.nn.Module):
            def forward(self, x):
                return op(x)
        model: torch.nn.Module = Fn()
    elif sequential:
        model = torch.nn.Sequential(op)
    else:
        class Wrap(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.m = op

            def forward(self, x):
                return self.m(x) * 2
        model = Wrap()
    read = sc.from_torch(model)
    assert read.ndim == 1
    for n in (1, 5, 9):
        want = model(torch.zeros(1, 1, n)).shape[-1]
        got = read.output(n) if isinstance(read, sc.Chain) else \
            read.shapes((n,))[read.nodes[-1].name][1][0]
        assert got == want


def test_a_model_mixing_ranks_is_refused_and_a_flat_or_size_keeping_layer_does_not_decide():
    class Mixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.u, self.c = torch.nn.Conv1d(1, 1, 3), torch.nn.Conv2d(1, 1, 3)

        def forward(self, x):
            return self.c(self.u(x))
    with pytest.raises(RuntimeError):           # PyTorch: conv1d takes no 4-d input
        Mixed()(torch.zeros(1, 1, 9, 9))
    with pytest.raises(sc.UsageError, match=r"^the model mixes 1-d \(u: Conv1d\) and 2-d "
                                            r"\(c: Conv2d\) layers: symconv reads one number "
                                            r"of spatial axes per model"):
        sc.from_torch(Mixed())
    with pytest.raises(sc.UsageError, match=r"^node u \(Conv1d\) is 1-d and the model's input "
                                            r"has 2 spatial axes"):
        sc.from_torch(_Conv1dOnly(), (1, 1, 9, 9))

    class Head(torch.nn.Module):     # 1-d body, Dropout2d (PyTorch reads 3-d input), BN1d head
        def __init__(self):
            super().__init__()
            self.d, self.c = torch.nn.Dropout2d(), torch.nn.Conv1d(1, 2, 3)
            self.fc, self.bn = torch.nn.Linear(14, 4), torch.nn.BatchNorm1d(4)

        def forward(self, x):
            return self.bn(self.fc(torch.flatten(self.c(self.d(x)), 1)))
    graph = sc.from_torch(Head().eval())
    assert graph.ndim == 1
    assert graph.shapes((9,))["c"] == (2, (7,))
    assert Head().eval()(torch.zeros(2, 1, 9)).shape == (2, 4)


class _Conv1dOnly(nn.Module):
    def __init__(self):
        super().__init__()
        self.u = torch.nn.Conv1d(1, 1, 3)

    def forward(self, x):
        return self.u(x)


class _Stack(nn.Module):
    def __init__(self, *mods):
        super().__init__()
        self.m = nn.ModuleList(mods)

    def forward(self, x):
        for m in self.m:
            x = m(x)
        return x


@pytest.mark.parametrize(("model", "shape"), [
    (lambda: nn.Sequential(nn.Conv1d(1, 2, 3), nn.Dropout2d()), (1, 1, 10)),
    (lambda: nn.Sequential(nn.Dropout2d(), nn.Conv1d(1, 2, 3)), (1, 1, 10)),
    (lambda: nn.Sequential(nn.Conv3d(1, 2, 1), nn.InstanceNorm1d(2)), (1, 1, 4, 4, 4)),
    (lambda: _Stack(nn.Conv2d(1, 2, 1), nn.BatchNorm1d(2)), (1, 1, 4, 4)),
    (lambda: _Stack(nn.Conv1d(1, 2, 1), nn.BatchNorm2d(2)), (1, 1, 4)),
    (lambda: _Stack(nn.Conv2d(1, 2, 1), nn.Upsample(scale_factor=(2.0,))), (1, 1, 4, 4)),
    (lambda: _Stack(nn.Conv1d(1, 2, 1), nn.Upsample(scale_factor=(2.0, 2.0))), (1, 1, 4)),
    (lambda: _Stack(nn.Conv1d(1, 2, 1), nn.Dropout2d()), (1, 1, 4)),
    (lambda: _Stack(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2)), (1, 1, 4, 4)),
])
def test_size_keeping_layers_take_the_ranks_pytorch_takes(model, shape):
    """BatchNorm2d wants 2 spatial axes, Dropout2d 1 or 2 (PyTorch warns on 1), a resize's
    tuple one entry per axis: a layer of another rank is refused as PyTorch refuses it,
    and one PyTorch takes does not decide the model's axes."""
    import warnings
    m = model().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = tuple(m(torch.zeros(*shape)).shape[2:])
        except (RuntimeError, ValueError):
            want = None
    try:
        read = sc.from_torch(m)
        got = read.output(shape[2:]) if isinstance(read, sc.Chain) else \
            read.shapes(shape[2:])[read.nodes[-1].name][1]
    except sc.UsageError as exc:
        assert want is None, exc
        assert "PyTorch refuses it" in str(exc)
        return
    assert got == want


class _Fn(nn.Module):
    """A model whose forward is a function of its input (and of a weight of shape
    ``w``, a bias of shape ``b``), traced by torch.fx."""

    def __init__(self, fn, w=None, b=None):
        super().__init__()
        self.fn = fn
        self.w = None if w is None else nn.Parameter(torch.ones(*w))
        self.b = None if b is None else nn.Parameter(torch.ones(*b))

    def forward(self, x):
        return self.fn(self, x)


F = nn.functional


@pytest.mark.parametrize("model, channels, sizes", [
    # arguments by keyword: from_torch raised IndexError (the CLI: exit 3)
    (lambda: _Fn(lambda m, x: F.avg_pool2d(input=torch.cat(tensors=[x, x], dim=1),
                                           kernel_size=2)), 1, [(1, 1), (4, 5), (7, 6)]),
    (lambda: _Fn(lambda m, x: F.conv2d(input=x, weight=m.w, stride=2), w=(2, 1, 3, 3)), 1,
     [(2, 3), (3, 3), (8, 9)]),
    (lambda: _Fn(lambda m, x: torch.flatten(input=F.max_pool2d(x, kernel_size=3),
                                            start_dim=1)), 1, [(2, 2), (3, 3), (9, 7)]),
    # norms' parameters are for a channel count: another is refused at every size
    (lambda: _Stack(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(3)), 1, [(5, 5), (8, 8)]),
    (lambda: _Stack(nn.Conv2d(1, 3, 1), nn.GroupNorm(2, 4)), 1, [(5, 5)]),
    (lambda: _Stack(nn.Conv2d(1, 3, 1), nn.InstanceNorm2d(4, affine=True)), 1, [(5, 5)]),
    (lambda: _Stack(nn.Conv2d(1, 3, 1), nn.InstanceNorm2d(4)), 1, [(5, 5)]),   # takes any
    (lambda: _Fn(lambda m, x: F.conv2d(x, m.w, m.b), w=(2, 1, 3, 3), b=(3,)), 1, []),
    # after a flatten a norm's num_features couples the axes, like a Linear
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3, stride=3), nn.Flatten(), nn.BatchNorm1d(8)), 1,
     [(h, w) for h in range(3, 16) for w in range(3, 16)]),
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.LayerNorm(8)), 1,
     [(h, w) for h in range(3, 9) for w in range(3, 9)]),
    # groups must divide the channels; F.conv2d's weight says out_channels
    (lambda: _Fn(lambda m, x: F.conv2d(x, m.w, groups=3), w=(4, 1, 3, 3)), 3, []),
    # arguments PyTorch refuses
    (lambda: _Fn(lambda m, x: F.max_pool2d(x, 2, 0)), 1, []),
    (lambda: _Fn(lambda m, x: F.avg_pool2d(x, 2, stride=0)), 1, []),
    (lambda: _Fn(lambda m, x: x[:, :, ::-1]), 1, []),
    (lambda: _Fn(lambda m, x: x[:, :, 1:5:0]), 1, []),
    (lambda: _Fn(lambda m, x: F.interpolate(x, size=4, scale_factor=2)), 1, []),
    (lambda: _Stack(nn.Conv2d(1, 1, 3), nn.Upsample(scale_factor=2, mode="trilinear")), 1, []),
    (lambda: _Fn(lambda m, x: F.interpolate(x, scale_factor=2, mode="linear")), 1, []),
    (lambda: _Fn(lambda m, x: F.interpolate(x, scale_factor=2, mode="bilinear")), 1,
     [(1, 1), (3, 4)]),
    # flatten over some dimensions only: refused (it was read as a flatten to the end)
    (lambda: _Fn(lambda m, x: torch.flatten(x, 1, 2)), 1, []),
])
def test_models_the_tester_found_read_as_pytorch_runs_them(model, channels, sizes):
    """Each was read wrongly (a shape or sizes PyTorch refuses) or raised a traceback;
    now read as PyTorch runs it, or refused with one line where PyTorch refuses it at
    every size (or where symconv does not read the call)."""
    import warnings
    m = model().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = {size: _runs(m, size, channels) for size in [(5, 5), (8, 8), *sizes]}
        try:
            graph = sc.from_torch(m, example_input_shape=(1, channels, 8, 8))
        except sc.SymconvError as exc:
            assert all(r is None for r in runs.values()) or "not read" in str(exc) \
                or "is read" in str(exc), (exc, runs)
            assert "\n" not in str(exc)
            return
        if all(r is None for r in runs.values()) and not graph.accepts((64, 64)):
            # refused at every size: the accepted sizes say so, naming the node
            with pytest.raises(sc.GraphError, match="^no input size passes every layer on "
                                                    "axis 0: "):
                graph.accepted_sizes()
            for size in runs:
                assert not graph.accepts(size)
            return
        _agree(m, graph, list(runs), channels)


def test_a_sequential_with_channels_that_do_not_meet_is_refused():
    # the CLI refused it; from_torch answered (6, 6) and smallest input 3
    for model, message in [
        (nn.Sequential(nn.Conv2d(1, 2, 3), nn.Conv2d(3, 1, 1)),
         "layer 1 (Conv2d) takes 3 channels, layer 0 gives 2: PyTorch refuses the model at "
         "every size"),
        (nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.BatchNorm2d(3)),
         "layer 2 (BatchNorm2d) takes 3 channels, layer 0 gives 2: PyTorch refuses the model "
         "at every size"),
        (nn.Sequential(nn.BatchNorm2d(4), nn.Conv2d(3, 1, 1)),
         "layer 1 (Conv2d) takes 3 channels, layer 0 gives 4: PyTorch refuses the model at "
         "every size"),
    ]:
        with pytest.raises(sc.DomainError) as info:
            sc.from_torch(model)
        assert str(info.value) == message
    assert sc.from_torch(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2),
                                       nn.Conv2d(2, 4, 3, groups=2))).output((8, 8)) == (4, 4)


def test_a_mode_that_needs_another_number_of_axes_is_refused():
    with pytest.raises(sc.UsageError, match=r"^node u \(trilinear interpolation\) needs 3 "
                       r"spatial axes, the model's input has 2: PyTorch refuses it at every "
                       r"size$"):
        sc.from_torch(_Fn(lambda m, x: m.u(m.c(x)) + 0) if False else _Up())
    assert sc.from_torch(nn.Sequential(nn.Upsample(scale_factor=2, mode="trilinear"))).ndim == 3


class _Up(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 1, 3)
        self.u = nn.Upsample(scale_factor=2, mode="trilinear")

    def forward(self, x):
        return self.u(self.c(x)) + 0


class _Joined(nn.Module):
    """The input joined with itself before any layer reads it: its channel count is
    fixed only through the join."""

    def __init__(self, takes, copies=2):
        super().__init__()
        self.conv = nn.Conv1d(takes, 2, 1)
        self.copies = copies

    def forward(self, x):
        return self.conv(torch.cat([x] * self.copies, 1))


def test_the_input_channels_a_join_leaves_are_found_or_the_model_refused():
    # the channel checks were skipped: from_torch answered (2, (4,)) and i >= 1 for a
    # model PyTorch runs with no channel count
    with pytest.raises(sc.DomainError) as info:
        sc.from_torch(_Joined(1), ndim=1)
    assert str(info.value) == (
        "no input channel count passes every layer (1 to 1 tried; with 1: conv at conv: takes "
        "1 channels, gets 2): PyTorch refuses the model at every size")
    for takes, copies in [(4, 2), (6, 3), (9, 3)]:
        g = sc.from_torch(_Joined(takes, copies), ndim=1)
        works = [c for c in range(1, 12) if _runs(_Joined(takes, copies), (4,), c)]
        assert [g.in_channels] == works
        assert g.output(4) == (2, (4,))
    with pytest.raises(sc.DomainError):
        sc.from_torch(_Joined(7, 3), ndim=1)


@pytest.mark.parametrize("flat", [lambda y: y.view(-1, 30), lambda y: y.view(y.size(0), 30)])
def test_a_size_check_has_no_weights_to_count(flat):
    # view(-1, F) reads as a check of F features: it was counted as a Linear(F, F), 900
    # parameters too many
    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 2, 3, stride=2)
            self.fc = nn.Linear(30, 5)

        def forward(self, x):
            return self.fc(flat(self.c(x)))
    g = sc.from_torch(Head(), example_input_shape=(1, 3, 7, 11))
    counts = g.counts((7, 11))
    assert sum(p for p, _ in counts.values()) == sum(p.numel() for p in Head().parameters())
    assert sum(m for _, m in counts.values()) == 2 * 3 * 9 * 15 + 30 * 5


class _Norm(nn.Module):
    """A functional norm after a 3-channel conv: statistics/weights of ``n`` channels."""

    def __init__(self, kind, n, groups=1):
        super().__init__()
        self.c = nn.Conv2d(1, 3, 1)
        self.kind, self.groups = kind, groups
        self.register_buffer("rm", torch.zeros(n))
        self.register_buffer("rv", torch.ones(n))
        self.w = nn.Parameter(torch.ones(n))

    def forward(self, x):
        y = self.c(x)
        if self.kind == "batch":
            return F.batch_norm(y, self.rm, self.rv)
        if self.kind == "instance":
            return F.instance_norm(y, weight=self.w)
        return F.group_norm(y, self.groups, weight=self.w)


class _TwoHeads(nn.Module):
    def __init__(self, second):
        super().__init__()
        self.c, self.a, self.b = nn.Conv2d(1, 2, 3, stride=2), nn.Linear(8, 3), nn.Linear(second, 3)

    def forward(self, x):
        y = torch.flatten(self.c(x), 1)
        return self.a(y) + self.b(y)


class _Pooled(nn.Module):
    def forward(self, x):
        return x.mean((2, 3)) + x.amax((2, 3))


@pytest.mark.parametrize("model, sizes", [
    # functional norms were read as elementwise: their channel counts are checked now
    (lambda: _Norm("batch", 4), [(5, 5)]),
    (lambda: _Norm("batch", 3), [(5, 5)]),
    (lambda: _Norm("instance", 4), [(5, 5)]),
    (lambda: _Norm("group", 4), [(5, 5)]),
    # a Linear (or norm) past the one that couples the axes: accepted_sizes ignored it
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3, stride=2), nn.Flatten(), nn.Linear(8, 4),
                           nn.Linear(5, 3)), [(5, 5), (3, 9)]),
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3, stride=2), nn.Flatten(), nn.BatchNorm1d(8),
                           nn.Linear(6, 3)), [(5, 5)]),
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3, stride=2), nn.Flatten(), nn.Linear(8, 4),
                           nn.Linear(4, 3)), [(5, 5), (3, 9), (6, 6)]),
    (lambda: _TwoHeads(8), [(5, 5), (4, 4)]),
    (lambda: _TwoHeads(6), [(5, 5)]),
    # merges of features (no spatial axes) made accepted() raise IndexError
    (lambda: _Pooled(), [(1, 1), (5, 7)]),
])
def test_round_two_models_read_as_pytorch_runs_them(model, sizes):
    import warnings
    m = model().eval()
    grid = [(h, w) for h in range(1, 10) for w in range(1, 10)] + sizes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = sc.from_torch(m, example_input_shape=(1, 1, 8, 8))
        if not any(_runs(m, size, 1) for size in grid):
            for size in grid:
                assert not graph.accepts(size), size
            try:
                acc = graph.accepted_sizes()
            except sc.GraphError as exc:        # refused on every axis: it says so
                assert str(exc).startswith("no input size passes every layer")
                return
            assert acc.smallest is None and acc.refused is not None
            return
        _agree(m, graph, grid, 1)


@pytest.mark.parametrize("model, message", [
    (lambda: nn.Sequential(nn.Conv2d(1, 1, 1), nn.Upsample(size=4, scale_factor=2)),
     "both size and scale_factor; PyTorch refuses it"),
    (lambda: nn.Sequential(nn.Conv1d(1, 2, 3, stride=2), nn.Flatten(), nn.LayerNorm([2, 4])),
     "normalises over 2 dimensions of a flattened"),
])
def test_round_two_refusals(model, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(model())


def test_cat_takes_numpys_axis_keyword():
    # torch.cat([x, x], axis=1) runs; it was read as dim 0 and refused for joining the batch
    g = sc.from_torch(_Fn(lambda m, x: torch.cat([x, x], axis=1)), example_input_shape=(1, 1, 4, 4))
    assert g.output((4, 4)) == (2, (4, 4))


def test_a_lazy_convolution_takes_any_channels():
    # its in_channels is 0 until its first run: "F_i must be a positive integer, got 0"
    m = nn.Sequential(nn.LazyConv2d(4, 3), nn.ReLU(), nn.BatchNorm2d(4))
    chain = sc.from_torch(m)
    assert chain.output((8, 8)) == (6, 6)
    assert chain.table((8, 8))[0].params is None        # unknown until it knows its input
    with pytest.raises(sc.DomainError, match=r"layer 1 \(BatchNorm2d\) takes 3 channels"):
        sc.from_torch(nn.Sequential(nn.LazyConv2d(4, 3), nn.BatchNorm2d(3)))


class _Shared(nn.Module):
    """A residual block with its norm, a module called twice, and a LayerNorm head."""

    def __init__(self):
        super().__init__()
        self.c, self.bn = nn.Conv2d(3, 3, 3, padding=1), nn.BatchNorm2d(3)
        self.ln, self.fc = nn.LayerNorm(3), nn.Linear(3, 2)

    def forward(self, x):
        y = self.c(self.bn(self.c(x)) + x)
        return self.fc(self.ln(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1)))


@pytest.mark.parametrize("model", [
    lambda: nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.Conv2d(8, 8, 3, bias=False), nn.GroupNorm(2, 8)),
    lambda: nn.Sequential(nn.Conv2d(3, 8, 3), nn.InstanceNorm2d(8, affine=True),
                          nn.Flatten(), nn.BatchNorm1d(8 * 14 * 14)),
    _Shared,
])
def test_parameter_counts_equal_pytorchs(model):
    # norms' parameters were not counted, and a module called twice was counted twice
    m = model()
    read = sc.from_torch(m, example_input_shape=(1, 3, 16, 16)) if model is _Shared \
        else sc.from_torch(m)
    got = sum(r.params or 0 for r in read.table((16, 16))) if isinstance(read, sc.Chain) \
        else sum(p for p, _ in read.counts((16, 16)).values())
    assert got == sum(p.numel() for p in m.parameters())


def test_a_size_check_is_named_as_what_it_is():
    m = nn.Sequential(nn.Conv2d(1, 2, 3, stride=2), nn.Flatten(), nn.BatchNorm1d(8),
                      nn.Linear(6, 3))
    assert sc.from_torch(m).accepted_sizes().text() == (
        "the BatchNorm1d num_features at 2 takes 8 features: 2 channels at 0 times sizes "
        "multiplying to 4\n  but no input size passes: linear at 3: in_features=6 but the "
        "flattened size is 8")
    m = nn.Sequential(nn.Conv2d(1, 2, 3, stride=3), nn.Flatten(), nn.BatchNorm1d(8))
    assert sc.from_torch(m).failure((9, 9)) == \
        "BatchNorm1d num_features at 2: takes 8 features, gets 18"


@pytest.mark.parametrize("nd, flat", [
    (1, lambda y: torch.flatten(y, 1, 2)), (2, lambda y: torch.flatten(y, 1, 3)),
    (2, lambda y: y.flatten(start_dim=1, end_dim=3)), (2, nn.Flatten(1, 3)),
    (3, lambda y: y.flatten(1, 4)), (3, nn.Flatten(1, 4)),
])
def test_a_flatten_to_the_last_dim_written_as_its_number_reads_as_flatten_1(nd, flat):
    # flatten(x, 1, 3) of a 2-d map is flatten(x, 1): it was refused
    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = (nn.Conv1d, nn.Conv2d, nn.Conv3d)[nd - 1](3, 2, 3, stride=2)
            self.f = flat if isinstance(flat, nn.Module) else None
            self.fc = nn.Linear(2 * 3 ** nd, 5)

        def forward(self, x):
            y = self.c(x)
            return self.fc(self.f(y) if self.f is not None else flat(y))
    model = Head().eval()
    graph = sc.from_torch(model)
    acc = _agree(model, graph, [(v,) * nd for v in range(1, 12)] +
                 ([(7, 8), (8, 7)] if nd == 2 else []))
    assert (7,) * nd in acc and (8,) * nd in acc and (9,) * nd not in acc


@pytest.mark.parametrize("nd, flat, message", [
    (2, lambda y: torch.flatten(y, 1, 2), "node flatten (flatten): end_dim=2 on a 4-d tensor: "
     "not read (features from dim 1 to the last, end_dim=3 or -1, are)"),
    (2, nn.Flatten(1, 2), "node f (flatten): end_dim=2 on a 4-d tensor: not read (features "
     "from dim 1 to the last, end_dim=3 or -1, are)"),
    (3, lambda y: torch.flatten(y, 1, 3), "node flatten (flatten): end_dim=3 on a 5-d tensor: "
     "not read (features from dim 1 to the last, end_dim=4 or -1, are)"),
    (2, lambda y: torch.flatten(y, 2), "node flatten (call_function flatten): only flatten "
     "from dim 1 to the last (start_dim=1, end_dim=-1) is read, got start_dim=2, end_dim=-1"),
])
def test_a_flatten_of_some_dims_only_is_refused_in_one_line(nd, flat, message):
    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = (nn.Conv1d, nn.Conv2d, nn.Conv3d)[nd - 1](3, 2, 3)
            self.f = flat if isinstance(flat, nn.Module) else None

        def forward(self, x):
            y = self.c(x)
            return self.f(y) if self.f is not None else flat(y)
    with pytest.raises(sc.SymconvError) as err:
        sc.from_torch(Head())
    assert str(err.value) == message


@pytest.mark.parametrize("nd, cin, cout, g, k, s, p, a, d, bias", [
    (2, 3, 2, 1, 3, 2, 1, 0, 1, False), (2, 4, 6, 2, 3, 2, 1, 1, 1, True),
    (1, 2, 3, 1, 4, 3, 2, 2, 1, True), (2, 2, 2, 1, 3, 2, 0, 1, 2, False),
    (3, 2, 4, 2, 2, 2, 0, 0, 1, True),
])
def test_functional_conv_transpose_reads_as_its_module(nd, cin, cout, g, k, s, p, a, d, bias):
    # F.conv_transpose2d was refused, though the README listed F.conv* as read
    class Fn(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(cin, cout // g, *(k,) * nd))
            self.b = nn.Parameter(torch.ones(cout)) if bias else None
            self.fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[nd - 1]

        def forward(self, x):
            return self.fn(x, self.w, self.b, s, p, a, g, d)
    model = Fn().eval()
    graph = sc.from_torch(model)
    sizes = [(v,) * nd for v in range(1, 7)] + ([(2, 5), (5, 2)] if nd == 2 else [])
    _agree(model, graph, sizes, channels=cin)
    module = (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)[nd - 1](
        cin, cout, k, s, p, a, g, bias, d)
    twin = sc.Graph.from_chain(sc.from_torch(nn.Sequential(module).eval()), cin)
    size = (5,) * nd
    assert graph.output(size) == twin.output(size)
    (counted,) = graph.counts(size).values()
    assert counted == twin.counts(size)["0"]
    assert counted[0] == sum(t.numel() for t in model.parameters())


def test_functional_conv_transpose_refuses_channels_it_does_not_take():
    class Fn(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 5, 1)
            self.w = nn.Parameter(torch.ones(4, 2, 3, 3))

        def forward(self, x):
            return F.conv_transpose2d(self.c(x), self.w, stride=2)
    graph = sc.from_torch(Fn())
    assert all(_runs(Fn(), (v, v)) is None for v in (3, 8))
    assert not graph.accepts((8, 8))


def test_a_subclass_with_a_forward_of_its_own_is_read_through_it():
    # an nn.Sequential was read layer by layer by type: a subclass of a layer computing its
    # own forward was read as its base (an Upsample interpolating by 3 as by 2), a
    # Sequential subclass adding its input back as a chain, and a Conv2d subclass whose
    # name does not end in "2d" raised a bare AssertionError
    class Up3(nn.Upsample):
        def forward(self, x):
            return F.interpolate(x, scale_factor=3)

    class Residual(nn.Sequential):
        def forward(self, x):
            return x + super().forward(x)

    class PadConv(nn.Conv2d):
        def forward(self, x):
            return super().forward(F.pad(x, (2, 2, 2, 2)))

    class EveryOther(nn.Sequential):
        def forward(self, x):
            return super().forward(x)[:, :, ::2]

    class Plain(nn.Conv2d):         # no forward of its own: still the chain's Conv2d
        pass

    sizes = list(itertools.product(range(1, 9), range(1, 5)))
    for model in (nn.Sequential(nn.Conv2d(3, 3, 1), Up3(scale_factor=2)),
                  Residual(nn.Conv2d(3, 3, 3)),
                  nn.Sequential(PadConv(3, 3, 3), nn.ReLU()), EveryOther(nn.Conv2d(3, 3, 1)),
                  nn.Sequential(Residual(nn.Conv2d(3, 3, 1)), nn.MaxPool2d(2))):
        graph = sc.from_torch(model, ndim=2)
        assert isinstance(graph, sc.Graph), model
        _agree(model, graph, sizes)
    chain = sc.from_torch(nn.Sequential(Plain(3, 3, 3), nn.ReLU()))
    assert isinstance(chain, sc.Chain) and chain.output((6, 5)) == (4, 3)


@pytest.mark.parametrize("ndim", (1, 3))
def test_a_pixel_shuffle_off_two_spatial_axes_is_refused(ndim):
    # PyTorch's shuffles act on the last two dimensions, the one before them taken as
    # channels: on a 3-d input (1, 8, 4, 4, 5) PixelShuffle(2) gives (1, 8, 1, 8, 10) (it
    # was read as 1 channel, (8, 8, 10)); on a 1-d input it reads the batch as channels
    conv = (nn.Conv1d, nn.Conv2d, nn.Conv3d)[ndim - 1](2, 8, 1)
    size = (4, 4, 5)[:ndim] if ndim == 3 else (6,)
    with torch.no_grad():
        shuffled = nn.PixelShuffle(2)(conv(torch.zeros(1, 2, *size))) if ndim == 3 else None
    if shuffled is not None:
        assert tuple(shuffled.shape) == (1, 8, 1, 8, 10)
    for shuffle in (nn.PixelShuffle(2), nn.PixelUnshuffle(2)):
        with pytest.raises(sc.UsageError) as err:
            sc.from_torch(nn.Sequential(conv, shuffle))
        axes = "axis" if ndim == 1 else "axes"
        op = "pixel_shuffle" if isinstance(shuffle, nn.PixelShuffle) else "pixel_unshuffle"
        assert str(err.value) == (
            f"node 1 ({op}) on {ndim} spatial {axes}: PyTorch shuffles the last two "
            "dimensions, taking the one before them as channels; symconv reads it on 2 "
            "spatial axes, (N, C, H, W)")


def _reads(model, shape, unit):
    """The first and last input positions (per axis) output ``unit`` depends on, by
    autograd through weights of ones."""
    for prm in model.parameters():
        nn.init.ones_(prm)
    x = torch.ones(1, 1, *shape, requires_grad=True)
    y = model(x)
    grad, = torch.autograd.grad(y[(0, 0, *unit)], x)
    nz = grad[0, 0].nonzero()
    return [(int(nz[:, a].min()), int(nz[:, a].max())) for a in range(len(shape))]


def test_graph_windows_after_transposed_layers_merges_and_shuffles_are_autograds():
    # every unit's window, ReceptiveField.window(u), against autograd: two paths of one
    # stride merged (each unit reads the hull), a 2-d pixel shuffle (j = 1/2)
    class Merge(nn.Module):
        def __init__(self):
            super().__init__()
            self.down = nn.Conv1d(1, 1, 4, 2, 1)
            self.up = nn.ConvTranspose1d(1, 1, 4, 2, 1)
            self.side = nn.ConvTranspose1d(1, 1, 3, 2, 1, output_padding=1)

        def forward(self, x):
            d = self.down(x)
            return self.up(d) + self.side(d)

    class Shuffle(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3, padding=1)
            self.shuffle = nn.PixelShuffle(2)

        def forward(self, x):
            return self.shuffle(self.conv(x))

    for model, shape in ((Merge(), (40,)), (Shuffle(), (12, 12))):
        graph = sc.from_torch(model)
        last = graph.nodes[-1].name
        fields = graph.receptive_fields()[last]
        assert any(f.windows for f in fields)
        n = tuple(model(torch.zeros(1, 1, *shape)).shape[2:])
        for unit in itertools.product(*(range(2, m - 2) for m in n)):
            want = _reads(model, shape, unit)
            got = [f.window(u) for f, u in zip(fields, unit)]
            assert want == [(max(lo, 0), min(hi, size - 1))
                            for (lo, hi), size in zip(got, shape)], (type(model), unit)


def test_refusals_name_what_the_user_wrote_never_a_probe_size_or_a_wrong_fix():
    # a layer refused at every size quoted the search's probe, 2**256 written out; its
    # table row showed a receptive field for a layer that cannot run; MaxUnpool2d was told
    # to set output_padding; F.pad of the channels read as a count mistake
    chain = nn.Sequential(nn.ConvTranspose1d(2, 2, 3, stride=2, output_padding=2))
    graph = sc.Graph.from_chain(sc.from_torch(chain), 2)
    assert graph.refusal(0) == (
        "layer at 0: layer 0 refuses every input size: output_padding must be smaller than "
        "either stride or dilation: a < max(s, d), got a=2, s=2, d=1")
    row = graph.table(5)[0]
    assert row["out"] is None and row["rf"] is row["jump"] is row["P"] is None
    # a slice that empties every size said "of 2**256" (a TCN's chomp of 0: x[..., :-0])
    chomp = sc.from_torch(_Chomp())
    assert chomp.refusal(0) == ("slice at getitem: (None, 0, None) of every size is empty on "
                                "axis 0")

    class Unpool(nn.Module):
        def __init__(self):
            super().__init__()
            self.p = nn.MaxPool2d(2, return_indices=True)
            self.u = nn.MaxUnpool2d(2)

        def forward(self, x):
            y, idx = self.p(x)
            return self.u(y, idx)

    # it said "is called with argument 2: not read by from_torch", which reads as a misuse;
    # PyTorch's answer depends on the data: at 5 x 5, arange's indices break, ones' do not
    assert Unpool()(torch.ones(1, 1, 5, 5)).shape == (1, 1, 4, 4)
    with pytest.raises(RuntimeError, match="Found an invalid max index"):
        Unpool()(torch.arange(25.0).reshape(1, 1, 5, 5))
    with pytest.raises(sc.UsageError) as err:
        sc.from_torch(Unpool())
    assert str(err.value).startswith("node u (MaxUnpool2d): max unpooling is not read: "
                                     "whether PyTorch takes it depends on the data")

    class PadChannels(nn.Module):
        def forward(self, x):
            return F.pad(x, (0, 0, 0, 0, 1, 1))

    with pytest.raises(sc.UsageError) as err:
        sc.from_torch(PadChannels(), ndim=2)
    assert str(err.value) == ("node pad (pad) pads 3 dimensions from the last, the input has 2 "
                              "spatial: a pad of the channels or the batch is not read")


def test_what_a_module_runs_is_read_whatever_way_it_is_changed():
    # a subclass overriding _conv_forward or __call__, an instance whose forward was
    # replaced, a parametrized (weight_norm) subclass: read through what runs (they were
    # read as the plain layer: (4, 6) where PyTorch gives (5, 7)); forward hooks refused
    from torch.nn.utils import parametrizations

    class PadFirst(nn.Conv2d):
        def _conv_forward(self, x, w, b):
            return super()._conv_forward(F.pad(x, (1, 1, 1, 1)), w, b)

    class Plain(nn.Conv2d):
        pass

    class MyConv1d(nn.Conv2d):      # a 2-d layer whose name ends in 1d
        pass

    replaced = nn.Conv2d(3, 3, 3)
    orig = replaced.forward
    replaced.forward = lambda t: orig(F.pad(t, (1, 1, 1, 1)))
    sizes = list(itertools.product(range(3, 9), range(3, 6)))
    for model in (nn.Sequential(PadFirst(3, 3, 3, 2)), nn.Sequential(replaced),
                  nn.Sequential(parametrizations.weight_norm(Plain(3, 3, 3, 2, 1))),
                  nn.Sequential(nn.Conv2d(3, 3, 1),
                                parametrizations.weight_norm(MyConv1d(3, 3, 3, 2, 1)))):
        _agree(model, sc.from_torch(model), sizes)

    hooked = nn.Sequential(nn.Conv2d(3, 3, 3))
    hooked[0].register_forward_hook(lambda mod, inp, out: out[..., :-1])
    with pytest.raises(sc.UsageError) as err:
        sc.from_torch(hooked)
    assert str(err.value) == ("module 0 (Conv2d) has forward hooks: symconv reads what forward "
                              "computes, not hooks; remove them to read the model")

    pre = nn.Sequential(nn.Conv2d(3, 3, 3))
    pre[0].register_forward_pre_hook(lambda mod, args: args)
    with pytest.raises(sc.UsageError, match="^module 0 \\(Conv2d\\) has forward hooks"):
        sc.from_torch(pre)
    # PyTorch's own hooks (a lazy module's initialisation) are not the user's
    assert sc.from_torch(nn.Sequential(nn.LazyConv2d(4, 3))).output((8, 8)) == (6, 6)


def test_a_parameter_used_as_a_map_is_refused_naming_it():
    # a position embedding resized to the map: "node interpolate reads 'pos', which is not
    # an earlier node (the nodes must be in topological order)"
    class PosInterp(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 4, 3)
            self.pos = nn.Parameter(torch.zeros(1, 4, 5, 5))

        def forward(self, x):
            y = self.c(x)
            return y + F.interpolate(self.pos, size=y.shape[-2:])
    with pytest.raises(sc.SymconvError) as info:
        sc.from_torch(PosInterp())
    assert str(info.value) == (
        "node pos: the parameter pos of shape (1, 4, 5, 5) is used as the network's tensors "
        "are (resized, convolved, ...): not read (a parameter is read where it scales or "
        "shifts a tensor elementwise)")


def test_a_parameter_read_only_by_dead_code_is_named_not_silently_dropped():
    # z = self.u * 2, unused: counted by no node and named nowhere (112 of 116)
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 4, 3)
            self.u = nn.Parameter(torch.ones(4))

        def forward(self, x):
            _ = self.u * 2
            return self.c(x)
    graph = sc.from_torch(M().eval())
    assert sum(p for p, _ in graph.counts((9, 9)).values()) == 112
    assert graph.assumptions == ("params and MACs count what forward runs: u (4 parameters) "
                                 "are not reached in eval mode; sum(p.numel()) is 116",)


def _run_sizes(model, sizes, channels):
    """PyTorch's output size per input size (None where it refuses)."""
    out = {}
    for n in sizes:
        try:
            with torch.no_grad():
                out[n] = tuple(model(torch.zeros(1, channels, n, n)).shape[2:])
        except RuntimeError:
            out[n] = None
    return out


def test_a_sequential_that_runs_a_module_twice_is_read_as_run():
    # Sequential(c, relu, c) and [layer] * 3 were read with each module once (named_children
    # drops repeats): output 3 at 5 where PyTorch gives 1, sizes 3..4 accepted that it
    # refuses, and a channel check that refused a model PyTorch runs
    torch.manual_seed(0)
    c = nn.Conv2d(3, 3, 3)
    block = nn.Sequential(nn.Conv2d(3, 3, 3, 2), nn.ReLU())
    a = nn.Conv2d(3, 4, 3, padding=1)
    models = [(nn.Sequential(c, nn.ReLU(), c), 3),
              (nn.Sequential(*[nn.Conv2d(3, 3, 3, stride=2, padding=1)] * 3), 3),
              (nn.Sequential(block, block), 3),
              (nn.Sequential(a, nn.Conv2d(4, 3, 1), a, nn.BatchNorm2d(4)), 3)]
    for model, channels in models:
        model.eval()
        read = sc.from_torch(model)
        for n, want in _run_sizes(model, range(1, 24), channels).items():
            got = read.output((n, n)) if read.accepts((n, n)) else None
            assert (None if got is None else got[1]) == want, (model, n)
        total = sum(p.numel() for p in model.parameters())
        assert read.counts((23, 23)) is not None
        assert sum(v[0] for v in read.counts((23, 23)).values()) == total


def test_a_sequential_counts_every_parameter_its_layers_hold():
    # weight_norm's magnitude g and a parameter registered on a layer were left out of a
    # Sequential's params (112 against sum(p.numel()) = 116); tied weights counted twice
    from torch.nn.utils import weight_norm
    extra = nn.Conv2d(3, 4, 3)
    extra.register_parameter("extra", nn.Parameter(torch.zeros(10)))
    tied = nn.Conv2d(3, 3, 3)
    tied_too = nn.Conv2d(3, 3, 3)
    tied_too.weight = tied.weight
    for model in (nn.Sequential(weight_norm(nn.Conv2d(3, 4, 3))), nn.Sequential(extra),
                  nn.Sequential(weight_norm(nn.ConvTranspose2d(3, 4, 3))),
                  nn.Sequential(tied, nn.ReLU(), tied_too)):
        assert sc.from_torch(model).table_json((8, 8))["params"] == \
            sum(p.numel() for p in model.parameters())
    plain = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Conv2d(4, 4, 3))
    assert isinstance(sc.from_torch(plain), sc.Chain)      # still a chain when all is counted


def test_a_model_no_layer_of_which_fixes_the_rank_says_so_and_takes_a_per_axis_input(
        tmp_path, capsys, monkeypatch):
    # net --torch on Sequential(ReLU()) printed a 2-d table without saying it assumed 2
    # axes, and refused i=7,5,3 ("the network has 2"), which PyTorch runs
    import sys
    import textwrap

    from symconv.cli import main
    (tmp_path / "rank_free.py").write_text(textwrap.dedent("""
        import torch.nn as nn
        relu = nn.Sequential(nn.ReLU(), nn.Dropout())
        conv = nn.Sequential(nn.Conv2d(1, 1, 3))
    """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert main(["net", "--torch", "rank_free:relu", "i=7"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("assumed: 2 spatial axes: no layer fixes the number of "
                                   "spatial axes (give ndim=, or on the command line a size per axis, "
                                   "for another)")
    assert main(["net", "--torch", "rank_free:relu", "i=7,5,3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "input [7, 5, 3]: accepted"
    assert main(["net", "--torch", "rank_free:conv", "i=7,5,3"]) == 2    # Conv2d fixes 2
    assert "has 3 axes; the network has 2: give one value per axis" in capsys.readouterr().err
    chain = sc.from_torch(nn.Sequential(nn.ReLU()))
    assert chain.ndim_assumed and sc.Graph.from_chain(chain).ndim_assumed
    assert not sc.from_torch(nn.Sequential(nn.Conv1d(1, 1, 3))).ndim_assumed


@pytest.mark.parametrize("shape, message", [
    ("abc", r"^example_input_shape is \(N, C, spatial sizes\.\.\.\), a tuple of whole numbers; "
            r"got 'abc'$"),
    ((1, 3, 0, 5), r"^example_input_shape\[2\] must be a positive integer \(>= 1\), got 0$"),
    ((1, 3, -4, 5), r"^example_input_shape\[2\] must be a positive integer \(>= 1\), got -4$"),
    ((3, 64), r"^example_input_shape \(3, 64\) has 2 entries: it is \(N, C, spatial "
              r"sizes\.\.\.\), batched"),
])
def test_an_example_input_shape_is_checked(shape, message):
    # a string was read as 1 spatial axis, and sizes 0 and -4 were taken silently
    with pytest.raises(sc.SymconvError, match=message):
        sc.from_torch(nn.Sequential(nn.Conv2d(3, 4, 3)), example_input_shape=shape)
    graph = sc.from_torch(nn.Sequential(nn.Conv2d(3, 4, 3)),
                          example_input_shape=torch.zeros(1, 3, 8, 8).shape)
    assert (graph.ndim, graph.in_channels) == (2, 3)


def test_nearest_takes_one_size_per_axis_on_a_model(tmp_path, capsys, monkeypatch):
    # --nearest 100,37 was refused ("takes a size"), while Python's nearest takes per axis
    import json
    import sys
    import textwrap

    from symconv.cli import main
    (tmp_path / "strided.py").write_text(textwrap.dedent("""
        import torch.nn as nn
        net = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2), nn.Conv2d(4, 4, 3, stride=2))
    """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert main(["net", "--torch", "strided:net", "--nearest", "100,37", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nearest"] == {"to": [100, 37],
                                                              "size": [100, 37]}
    assert main(["net", "--torch", "strided:net", "--nearest", "3,5"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "nearest to 3 x 5: 7 x 7"
    assert main(["net", "--torch", "strided:net", "--nearest", "3,5,6"]) == 2
    assert capsys.readouterr().err == ("symconv: --nearest 3,5,6 has 3 sizes; the model has 2 "
                                       "axes: give one, or one per axis\n")


def test_a_shared_activation_keeps_the_chain_and_a_weight_held_elsewhere_is_counted():
    # a shared ReLU (no weights) was sent to the graph reader; a parameter registered on a
    # pooling or upsampling layer was left out of the chain's params
    act = nn.ReLU()
    chain = sc.from_torch(nn.Sequential(nn.Conv2d(3, 4, 3), act, nn.Conv2d(4, 4, 3), act))
    assert isinstance(chain, sc.Chain) and len(chain.layers) == 4 and chain.output(9) == 5
    for holder in (nn.MaxPool2d(2), nn.Upsample(scale_factor=2)):
        holder.register_parameter("w", nn.Parameter(torch.ones(5)))
        model = nn.Sequential(nn.Conv2d(2, 2, 3), holder)
        assert sc.from_torch(model).table_json((8, 8))["params"] == \
            sum(p.numel() for p in model.parameters()) == 43


def test_a_cat_along_a_dim_out_of_range_is_refused():
    # torch.cat([x, x], 5) of a 4-d tensor was read as dim 1 (5 mod 4): accepted, 8 channels
    class Cat(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.conv, self.dim = nn.Conv2d(4, 4, 1), dim

        def forward(self, x):
            y = self.conv(x)
            return torch.cat([y, y], self.dim)
    for dim in (5, -5):
        with pytest.raises(sc.UsageError, match=rf"^node cat \(cat\): dim {dim} is out of range "
                                                r"for a 4-d tensor \(-4\.\.3\): PyTorch refuses"):
            sc.from_torch(Cat(dim))
    assert sc.from_torch(Cat(-1)).output((8, 6)) == (4, (8, 12))


def test_a_softmax_or_a_reduction_along_a_dim_out_of_range_is_refused():
    # F.softmax(x, dim=9), x.sum((2, 7)) and nn.Softmax(5) were read (the sum as dims 2
    # and 3); PyTorch refuses each at every size.  On (N, F) features the rank is 2.
    class Head(nn.Module):
        def __init__(self, f):
            super().__init__()
            self.conv, self.f = nn.Conv2d(3, 4, 3), f

        def forward(self, x):
            return self.f(self.conv(x))
    refused = {
        "node softmax (softmax): dim 9 is out of range for a 4-d tensor":
            lambda x: F.softmax(x, dim=9),
        "node softmin (softmin): dim -5 is out of range for a 4-d tensor":
            lambda x: F.softmin(x, -5),
        "node sum_1 (call_method sum): dim 7 is out of range for a 4-d tensor":
            lambda x: x.sum((2, 7)),
        "node softmax (softmax): dim 2 is out of range for a 2-d tensor":
            lambda x: F.softmax(x.flatten(1), 2),
        "node f (Softmax): dim 5 is out of range for a 4-d tensor": nn.Softmax(5),
    }
    for message, f in refused.items():
        with pytest.raises(sc.UsageError, match=re.escape(message)):
            sc.from_torch(Head(f))
        with pytest.raises((IndexError, RuntimeError), match="Dimension out of range"):
            Head(f)(torch.zeros(1, 3, 8, 8))
    with pytest.raises(sc.UsageError, match=r"^layer 1 \(LogSoftmax\): dim -5 is out of range "
                                            r"for a 4-d tensor \(-4\.\.3\): PyTorch refuses"):
        sc.from_torch(nn.Sequential(nn.Conv2d(3, 4, 3), nn.LogSoftmax(-5)))
    for f in (lambda x: F.softmax(x, -4), lambda x: x.log_softmax(3), nn.Softmax(1),
              lambda x: F.softmax(x.flatten(1), -1)):
        model = Head(f)
        assert sc.from_torch(model).output((8, 8)) is not None
        model(torch.zeros(1, 3, 8, 8))
    assert sc.from_torch(nn.Sequential(nn.Conv2d(3, 4, 3), nn.Softmax(-3))).output(8) == 6


def test_the_users_exit_and_writes_past_sys_stdout_never_reach_the_answer(
        tmp_path, capfd, monkeypatch):
    # sys.exit(0) in a factory ended symconv with exit 0 and no output; a write to
    # sys.__stdout__ or file descriptor 1 at import came before the JSON document
    import json
    import sys
    import textwrap

    from symconv.cli import main
    (tmp_path / "exits.py").write_text(textwrap.dedent("""
        import os, sys
        import torch.nn as nn
        sys.__stdout__.write("dunder\\n")
        sys.__stdout__.flush()
        os.write(1, b"fd one\\n")
        seq = nn.Sequential(nn.Conv2d(3, 4, 3))
        def leave():
            sys.exit(0)
    """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert main(["net", "--torch", "exits:seq", "i=8", "--json"]) == 0
    out, err = capfd.readouterr()
    assert json.loads(out)["input"] == 8 and "dunder" in err and "fd one" in err
    assert main(["net", "--torch", "exits:leave", "--json"]) == 2
    out, err = capfd.readouterr()
    assert json.loads(out)["error"]["message"] == (
        "--torch exits:leave: the code exited (SystemExit: 0) instead of returning; remove the "
        "exit (or its argument parsing) from what symconv imports or runs")


def test_a_transposed_convolution_with_a_padding_word_is_refused_by_its_rule():
    # ConvTranspose2d(padding='same') stores ('s', 'a', 'm', 'e'): it was refused as
    # "padding ('s', 'a', 'm', 'e') has 4 axes, not 2"; PyTorch refuses it at its first call
    layer = nn.ConvTranspose2d(3, 3, 3, padding="same")
    with pytest.raises(TypeError):
        layer(torch.zeros(1, 3, 5, 5))
    with pytest.raises(sc.DomainError, match=r"^layer 0 \(ConvTranspose2d\): a transposed "
                                             r"convolution takes integer padding only, got "
                                             r"'same' \(PyTorch refuses it at every size\)"):
        sc.from_torch(nn.Sequential(layer))


class _Named(nn.Module):
    """Modules named as symconv's own nodes were: ``<conv>_pad`` beside a padding-mode
    convolution, ``<reduction>_flat``, ``<view>_size``, and ``x`` with another input name."""

    def __init__(self, clash):
        super().__init__()
        self.clash = clash
        self.conv = nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect")
        self.conv_pad = nn.ZeroPad2d((0, 2, 0, 2)) if clash == "before" else nn.Conv2d(4, 4, 3)
        self.mean_flat = nn.Conv2d(4, 4, 1)
        self.view_size = nn.Linear(4, 2)
        self.x = nn.Conv2d(4, 4, 1)

    def forward(self, inp):
        y = self.conv(self.conv_pad(inp)) if self.clash == "before" else \
            self.conv_pad(self.conv(inp))
        y = self.mean_flat(self.x(y)).mean((2, 3))
        return self.view_size(y.view(-1, 4))


@pytest.mark.parametrize("clash", ["before", "after"])
def test_module_names_never_meet_symconvs_own_node_names(clash):
    # 'before' hung (a walk back through conv_pad met itself); 'after' was refused: "two
    # nodes are named 'conv_pad'", and mean_flat as "dim 2 is out of range for a 2-d tensor:
    # PyTorch refuses it at every size"
    model = _Named(clash)
    g = sc.from_torch(model)
    acc = g.accepted_sizes()
    for size in [(1, 1), (2, 2), (3, 3), (5, 4), (8, 8)]:
        ref = _runs(model, size)
        assert (size in acc) == (ref is not None), size
        if ref is not None:
            assert (g.output(size)[0],) == ref[1:]
    assert g.input == "inp"         # a module is named x: the argument's own name


def test_a_view_of_pooled_features_is_no_second_flatten():
    # x.mean((2, 3)).view(-1, C): accepted_sizes said "the channel count before view is
    # unknown ... give in_channels", though it was known
    model = _PooledView()
    g = sc.from_torch(model)
    acc = g.accepted_sizes()
    for size in [(1, 1), (2, 5), (9, 9)]:
        assert (size in acc) == (_runs(model, size) is not None)
        assert g.output(size) == (2, ())


class _PooledView(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv, self.fc = nn.Conv2d(3, 4, 3, padding=1), nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)).view(-1, 4))


class _Chomp(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, 1)

    def forward(self, x):
        return self.conv(x)[:, :, :-0]


class _ModuleX(nn.Module):
    """A module named as forward's argument: self.x with forward(self, x)."""

    def __init__(self, residual):
        super().__init__()
        self.residual = residual
        self.x = nn.Conv2d(3, 3, 3, 2, 1) if residual else nn.Conv2d(3, 3, 3)
        self.y = nn.Conv2d(3, 3, 3)

    def forward(self, x):
        return self.x(x) + x if self.residual else self.y(self.x(x))


@pytest.mark.parametrize("residual", [False, True])
def test_a_module_named_as_the_argument_is_not_the_input(residual):
    # every reader of the module x was wired to the input: y(x(x)) read as 7x7 where
    # PyTorch gives 5x5 at 9x9, and x(x) + x accepted at every size (PyTorch: only 1)
    model = _ModuleX(residual)
    g = sc.from_torch(model)
    assert g.input == "x.input"
    acc = g.accepted_sizes()
    for size in [(1, 1), (2, 2), (5, 5), (9, 9), (12, 7)]:
        ref = _runs(model, size)
        assert (size in acc) == (ref is not None), size
        if ref is not None:
            channels, sizes = g.output(size)
            assert (channels, *sizes) == ref[1:]


class _Cast(nn.Module):
    def __init__(self, how):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.how = how

    def forward(self, x):
        y = self.conv(x)
        return y.type_as(x) if self.how == "type_as" else y.to(x)


@pytest.mark.parametrize("how", ["type_as", "to"])
def test_a_tensor_that_lends_only_its_dtype_is_no_merge(how):
    # y.type_as(x) and y.to(x) take x's dtype and device: they were read as a broadcast
    # of y with x, which accepted only sizes 1 and 2 (16 vs 32 at 32)
    model = _Cast(how)
    acc = _agree(model, sc.from_torch(model), [(n, m) for n in range(1, 12) for m in (1, 7, 32)])
    assert acc.text() == "axis 0: accepted: i >= 1; smallest 1\n" \
                         "axis 1: accepted: i >= 1; smallest 1"


def test_a_prelu_slope_computed_from_the_input_is_refused():
    class Slope(nn.Module):
        def forward(self, x):
            return F.prelu(x, x.mean((0, 2, 3)))
    with pytest.raises(sc.UsageError, match=r"^node prelu \(prelu\): a slope computed in the "
                       r"model \(mean\), whose channel count is not read"):
        sc.from_torch(Slope())


@pytest.mark.parametrize("cast", [lambda y, x: y.to(x.dtype), lambda y, x: y.to(dtype=x.dtype),
                                  lambda y, x: y.to(x.device), lambda y, x: y.to(x.device, x.dtype)],
                         ids=["dtype", "dtype=", "device", "device, dtype"])
def test_a_cast_to_another_tensors_dtype_or_device_is_read(cast):
    # x.dtype and x.device were refused: "getattr is not supported"
    class Cast(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)

        def forward(self, x):
            return cast(self.conv(x), x)
    model = Cast()
    _agree(model, sc.from_torch(model), [(n, m) for n in range(1, 9) for m in (1, 20)])


@pytest.mark.parametrize("cast", [lambda g, y: g.type_as(y), lambda g, y: g.to(y),
                                  lambda g, y: g.to(y.dtype)], ids=["type_as", "to", "to dtype"])
def test_a_parameter_cast_to_the_maps_dtype_is_still_the_parameter(cast):
    # y * self.g.type_as(y) (a layer scale in mixed precision) was refused: "the parameter
    # g ... is used as the network's tensors are"; g keeps its shape and is counted once
    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.g = nn.Parameter(torch.ones(8, 1, 1))

        def forward(self, x):
            y = self.conv(x)
            return y * cast(self.g, y)
    model = Scale()
    graph = sc.from_torch(model)
    _agree(model, graph, [(n, m) for n in range(1, 9) for m in (1, 20)])
    assert sum(w for w, _ in graph.counts((9, 20)).values()) == \
        sum(p.numel() for p in model.parameters()) == 232


@pytest.mark.parametrize("shape", [(3, 1, 1), (1, 3)])
def test_a_prelu_weight_of_more_than_one_axis_is_refused_as_pytorch_refuses_it(shape):
    # accepted at every size; PyTorch: "Expected `weight` to be a scalar or 1D tensor"
    class P(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 3, 3)
            self.w = nn.Parameter(torch.ones(shape))

        def forward(self, x):
            return F.prelu(self.conv(x), self.w)
    assert _runs(P(), (8, 8), channels=1) is None
    with pytest.raises(sc.UsageError, match=rf"^node prelu \(prelu\): a slope of shape "
                       rf"{re.escape(str(shape))}: F.prelu takes one slope or one per channel"):
        sc.from_torch(P())
