"""Shapes agree with PyTorch 2.13 run live, and what PyTorch rejects symconv rejects.

Thousands of generated configurations (seeded, so a failure reproduces) of
conv 1-d/2-d/3-d, transposed conv with output_padding and dilation, and max /
avg pooling in floor and ceil mode.  For each, PyTorch runs the layer on a real
CPU tensor; symconv solves the same relation for ``o``.  Either both give the
same size on every axis, or both refuse (PyTorch raises, symconv raises a
``DomainError`` with a one-line message).
"""

from __future__ import annotations

import itertools
import random
import re

import pytest

import symconv as sc

torch = pytest.importorskip("torch")
F = torch.nn.functional

N_CONFIGS = 1500
COUNT = {"configs": 0}


def _run(fn):
    try:
        with torch.no_grad():
            return tuple(fn().shape[2:]), None
    except (RuntimeError, ValueError) as exc:      # ValueError: a refused output_size
        return None, str(exc)


def _symconv(relation, axes, **kw):
    """Per-axis sizes from symconv, or None if it refuses (DomainError)."""
    try:
        sol = sc.solve(relation, "o", **{k: (v if len(set(v)) > 1 else v[0]) if isinstance(v, tuple)
                                         else v for k, v in kw.items()})
    except sc.DomainError as exc:
        assert "\n" not in str(exc)
        return None
    sols = sol if isinstance(sol, tuple) else (sol,) * axes
    return tuple(s.values[0] for s in sols)


def _axes_values(rng, axes, lo, hi):
    return tuple(rng.randint(lo, hi) for _ in range(axes))


@pytest.mark.parametrize("axes", [1, 2, 3])
def test_conv_shapes_match_pytorch(axes):
    rng = random.Random(1000 + axes)
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[axes]
    n = N_CONFIGS if axes == 1 else N_CONFIGS // 3
    agree = 0
    for _ in range(n):
        i = _axes_values(rng, axes, 1, 30 if axes < 3 else 12)
        k = _axes_values(rng, axes, 1, 7)
        s = _axes_values(rng, axes, 1, 5)
        p = _axes_values(rng, axes, 0, 4)
        d = _axes_values(rng, axes, 1, 3)
        x = torch.zeros((1, 1, *i))
        w = torch.zeros((1, 1, *k))
        got, err = _run(lambda: conv(x, w, stride=s, padding=p, dilation=d))
        mine = _symconv("conv", axes, i=i, k=k, s=s, p=p, d=d)
        assert mine == got, (i, k, s, p, d, got, err, mine)
        agree += 1
    COUNT["configs"] += agree


@pytest.mark.parametrize("mode", ["same", "valid"])
def test_conv_padding_strings_match_pytorch(mode):
    rng = random.Random(7)
    for _ in range(400):
        i, k, d = rng.randint(1, 30), rng.randint(1, 8), rng.randint(1, 3)
        s = 1 if mode == "same" or rng.random() < 0.5 else rng.randint(2, 4)
        x, w = torch.zeros((1, 1, i)), torch.zeros((1, 1, k))
        got, err = _run(lambda: F.conv1d(x, w, stride=s, padding=mode, dilation=d))
        try:
            res = sc.preset("torch", mode).apply(i=i, k=k, s=s, d=d)
            mine = (res.o,)
        except sc.DomainError:
            mine = None
        assert mine == got, (mode, i, k, s, d, got, err, mine)
        if mode == "same":
            # PyTorch pads d(k-1) in total, the extra unit on the right: rebuild it with F.pad
            left, right = sc.same_padding("torch", i=i, k=k, d=d)
            xin = torch.arange(i, dtype=torch.float32).reshape(1, 1, i)
            wts = torch.arange(1, k + 1, dtype=torch.float32).reshape(1, 1, k)
            ref = F.conv1d(xin, wts, padding="same", dilation=d)
            manual = F.conv1d(F.pad(xin, (left, right)), wts, dilation=d)
            assert torch.equal(ref, manual)
        COUNT["configs"] += 1


def test_strided_same_is_refused_like_pytorch():
    x, w = torch.zeros((1, 1, 10)), torch.zeros((1, 1, 3))
    got, err = _run(lambda: F.conv1d(x, w, stride=2, padding="same"))
    assert got is None and "not supported for strided convolutions" in err
    with pytest.raises(sc.DomainError, match="not supported for strided convolutions"):
        sc.preset("torch", "same").apply(i=10, k=3, s=2)


@pytest.mark.parametrize("axes", [1, 2])
def test_conv_transpose_shapes_match_pytorch(axes):
    rng = random.Random(2000 + axes)
    convt = {1: F.conv_transpose1d, 2: F.conv_transpose2d}[axes]
    for _ in range(N_CONFIGS if axes == 1 else N_CONFIGS // 3):
        i = _axes_values(rng, axes, 1, 12)
        k = _axes_values(rng, axes, 1, 6)
        s = _axes_values(rng, axes, 1, 4)
        p = _axes_values(rng, axes, 0, 4)
        d = _axes_values(rng, axes, 1, 3)
        a = _axes_values(rng, axes, 0, 3)
        x = torch.zeros((1, 1, *i))
        w = torch.zeros((1, 1, *k))
        got, err = _run(lambda: convt(x, w, stride=s, padding=p, output_padding=a, dilation=d))
        mine = _symconv("conv_transpose", axes, i=i, k=k, s=s, p=p, d=d, a=a)
        assert mine == got, (i, k, s, p, d, a, got, err, mine)
        COUNT["configs"] += 1


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_shapes_match_pytorch(kind, ceil_mode):
    rng = random.Random(3000 + ceil_mode + 10 * (kind == "max"))
    for _ in range(N_CONFIGS // 2):
        i, k, s = rng.randint(1, 30), rng.randint(1, 7), rng.randint(1, 5)
        p = rng.randint(0, 4)
        d = rng.randint(1, 3) if kind == "max" else 1
        x = torch.zeros((1, 1, i))
        if kind == "max":
            got, err = _run(lambda: F.max_pool1d(x, k, s, p, dilation=d, ceil_mode=ceil_mode))
        else:
            got, err = _run(lambda: F.avg_pool1d(x, k, s, p, ceil_mode=ceil_mode))
        mine = _symconv("pool_ceil" if ceil_mode else "pool", 1, i=i, k=k, s=s, p=p, d=d)
        assert mine == got, (kind, ceil_mode, i, k, s, p, d, got, err, mine)
        COUNT["configs"] += 1


def test_pool_2d_ceil_matches_pytorch_reference_case():
    # REFERENCE.md: i=5, k=2, s=2, p=0 gives 3 in ceil mode and 2 in floor mode
    x = torch.zeros((1, 1, 5, 5))
    assert tuple(F.max_pool2d(x, 2, 2, ceil_mode=True).shape[2:]) == (3, 3)
    assert sc.solve("pool", i=5, k=2, s=2, p=0, ceil_mode=True).values == (3,)
    assert sc.solve("pool", i=5, k=2, s=2, p=0).values == (2,)


def test_output_padding_solved_is_accepted_by_pytorch():
    """The a that symconv solves for makes ConvTranspose return the requested size."""
    rng = random.Random(11)
    checked = 0
    for _ in range(600):
        i, k, s, p, d = (rng.randint(1, 10), rng.randint(1, 5), rng.randint(1, 4),
                         rng.randint(0, 3), rng.randint(1, 3))
        target = rng.randint(1, 40)
        try:
            sol = sc.solve("conv_transpose", "a", i=i, k=k, s=s, p=p, d=d, o=target)
        except sc.DomainError:
            continue
        x, w = torch.zeros((1, 1, i)), torch.zeros((1, 1, k))
        for a in range(0, 6):
            got, _ = _run(lambda: F.conv_transpose1d(x, w, stride=s, padding=p,
                                                     output_padding=a, dilation=d))
            assert (got == (target,)) == (a in sol), (i, k, s, p, d, target, a, got, sol)
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("i, k, s, p, d", [(1, 1, 3, 1, 1), (2, 1, 2, 1, 1), (1, 2, 4, 2, 1)])
def test_output_size_range_where_output_padding_zero_gives_no_output(i, k, s, p, d):
    """The padding eats the output at output_padding 0 (m < 1): PyTorch still takes the
    sizes from 1 on, picking output_padding size - m."""
    from symconv.frameworks import torch_output_padding_for, torch_output_size_range
    layer = torch.nn.ConvTranspose1d(1, 1, k, s, p, dilation=d)
    x = torch.zeros(1, 1, i)
    lo, hi = torch_output_size_range(i=i, k=k, s=s, p=p, d=d)
    assert lo == 1
    runs = [size for size in range(-2, 12) if _run(lambda size=size: layer(
        x, output_size=[size]))[0] == (size,)]
    assert runs == list(range(lo, hi + 1))
    for size in runs:
        a = torch_output_padding_for(size, i=i, k=k, s=s, p=p, d=d)
        fixed = torch.nn.ConvTranspose1d(1, 1, k, s, p, output_padding=a, dilation=d)
        assert _run(lambda fixed=fixed: fixed(x))[0] == (size,)


def test_output_size_argument_range_matches_pytorch():
    """ConvTranspose(...)(x, output_size=n) accepts exactly symconv's [m, m + s - 1]."""
    from symconv.frameworks import torch_output_padding_for, torch_output_size_range
    rng = random.Random(21)
    checked = 0
    for _ in range(300):
        i, k, s, p, d = (rng.randint(1, 8), rng.randint(1, 5), rng.randint(1, 4),
                         rng.randint(0, 2), rng.randint(1, 3))
        layer = torch.nn.ConvTranspose1d(1, 1, k, s, p, dilation=d)
        x = torch.zeros(1, 1, i)
        try:
            lo, hi = torch_output_size_range(i=i, k=k, s=s, p=p, d=d)
        except sc.DomainError:      # no output_size at all: PyTorch takes none either
            assert all(_run(lambda size=size: layer(x, output_size=[size]))[0] is None
                       for size in range(1, 16)), (i, k, s, p, d)
            continue
        for size in range(max(1, lo - 2), hi + 3):
            got, _ = _run(lambda: layer(x, output_size=[size]))
            assert (got == (size,)) == (lo <= size <= hi), (i, k, s, p, d, size, got)
            if lo <= size <= hi:
                a = torch_output_padding_for(size, i=i, k=k, s=s, p=p, d=d)
                assert sc.solve("conv_transpose", i=i, k=k, s=s, p=p, d=d, a=a).values == (size,)
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("seed", range(4))
def test_model_formulas_with_ceil_mode_match_pytorch(seed):
    """The output-size formula of random torch models (ceil-mode and floor-mode pools,
    dilated and 'same' convolutions, transposed convolutions, upsampling) against the
    model run on tensors of every accepted size drawn; the formula is one floor per axis
    where a ceil-mode pool is proven one floor map."""
    from symconv._exact import compile_expr
    rng = random.Random(f"model-formula/{seed}")
    nn = torch.nn

    def layer():
        kind = rng.choice(["conv", "same", "pool", "avg", "convt", "up", "dil"])
        k, s = rng.randint(1, 5), rng.randint(1, 3)
        if kind == "conv":
            return nn.Conv2d(2, 2, k, s, rng.randint(0, 2))
        if kind == "same":
            return nn.Conv2d(2, 2, k, 1, padding="same", dilation=rng.randint(1, 2))
        if kind == "dil":
            return nn.Conv2d(2, 2, (k, rng.randint(1, 5)), s, rng.randint(0, 2), dilation=2)
        if kind == "pool":
            return nn.MaxPool2d(k, s, rng.randint(0, k // 2), ceil_mode=rng.random() < 0.7,
                                dilation=rng.randint(1, 2))
        if kind == "avg":
            return nn.AvgPool2d(k, s, rng.randint(0, k // 2), ceil_mode=rng.random() < 0.7)
        if kind == "convt":
            st = rng.randint(1, 3)
            return nn.ConvTranspose2d(2, 2, k, st, rng.randint(0, 1),
                                      output_padding=rng.randint(0, st - 1))
        return nn.Upsample(scale_factor=2)

    checked = 0
    for _ in range(10):
        model = nn.Sequential(*[layer() for _ in range(rng.randint(2, 8))]).eval()
        graph = sc.from_torch(model, (1, 2, 64, 48))
        exprs = graph.exprs()
        formulas = [compile_expr(e) for e in exprs[list(exprs)[-1]]]
        for _ in range(10):
            size = (rng.randint(1, 150), rng.randint(1, 150))
            if not graph.accepts(size):
                continue
            with torch.no_grad():
                want = tuple(model(torch.zeros(1, 2, *size)).shape[2:])
            assert tuple(f({"i": v}) for f, v in zip(formulas, size)) == want, (model, size)
            checked += 1
    assert checked > 20


class _CatHead(torch.nn.Module):
    """A channel concatenation before a global pool and a Linear (Inception, DenseNet)."""

    def __init__(self):
        super().__init__()
        self.a, self.b = torch.nn.Conv2d(3, 4, 1), torch.nn.Conv2d(3, 4, 3, padding=1)
        self.gap, self.fc = torch.nn.AdaptiveAvgPool2d(1), torch.nn.Linear(8, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.gap(torch.cat([self.a(x), self.b(x)], 1)), 1))


class _LastAxisLinear(torch.nn.Module):
    """A Linear on the last spatial axis: it takes one size there."""

    def __init__(self):
        super().__init__()
        self.c, self.fc = torch.nn.Conv2d(1, 2, 3, stride=2), torch.nn.Linear(30, 3)

    def forward(self, x):
        return self.fc(self.c(x))


class _LateSkip(torch.nn.Module):
    """A skip whose two sides grow at different rates: they meet at 40 and 41 only."""

    def __init__(self, merge):
        super().__init__()
        self.merge = merge
        self.a, self.b = torch.nn.Conv2d(1, 4, 1), torch.nn.Conv2d(1, 4, 1, padding=20)
        self.p = torch.nn.MaxPool2d(1, 2)

    def forward(self, x):
        y = self.p(self.b(x))
        return torch.cat([self.a(x), y], 1) if self.merge == "cat" else self.a(x) + y


@pytest.mark.parametrize("make, channels", [
    (_CatHead, 3),
    (lambda: torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, stride=2), torch.nn.Flatten(),
                                 torch.nn.Dropout(), torch.nn.ReLU(), torch.nn.Linear(98, 10)), 1),
    (_LastAxisLinear, 1), (lambda: _LateSkip("cat"), 1), (lambda: _LateSkip("add"), 1)])
def test_accepted_sizes_of_heads_and_late_skips_equal_pytorch(make, channels):
    # each of these was answered wrongly: the channels of a concatenation, a Dropout
    # between flatten and Linear, a Linear on the last axis, skips that meet past the
    # first periods
    model = make().eval()
    graph = sc.from_torch(model)
    accepted = graph.accepted_sizes()
    runs = []
    for h in range(1, 72, 3):
        for w in range(1, 72):
            ran = _run(lambda: model(torch.zeros(1, channels, h, w)).unsqueeze(1).unsqueeze(1))
            runs.append(ran[0] is not None)
            assert ((h, w) in accepted) == runs[-1] == (graph.failure((h, w)) is None), (h, w)
    assert any(runs)


class _Shapes(torch.nn.Module):
    """Forms of sizes, pads and slices that name fewer axes than the model has."""

    def __init__(self, form):
        super().__init__()
        self.form = form
        conv = torch.nn.Conv3d if form == "upsample3d" else torch.nn.Conv2d
        self.c, self.up = conv(1, 2, 3), torch.nn.Upsample(size=10)
        self.d = torch.nn.Conv2d(2, 3, 3, padding=1)
        self.head = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(2), torch.nn.Flatten(),
                                        torch.nn.Linear(8, 5))

    def forward(self, x):
        if self.form == "interpolate":      # an int size: every axis
            return F.interpolate(self.c(x), size=8)
        if self.form == "upsample3d":
            return self.up(self.c(x))
        if self.form == "slice":            # the first spatial axis only
            return self.c(x[:, :, 1:])
        if self.form == "pad":              # the last axis only
            return self.c(F.pad(x, (2, 3)))
        if self.form == "cat1":             # torch.cat of one tensor, as DenseNet's layers
            y = self.c(x)
            return torch.cat([y, self.d(torch.cat([y], 1))], 1)
        return self.head(self.c(x[:, :, 1:, 1:]))      # slice, adaptive pool, Linear


@pytest.mark.parametrize("form", ["interpolate", "upsample3d", "slice", "pad", "cat1", "head"])
def test_partial_sizes_pads_slices_and_one_tensor_cat_equal_pytorch(form):
    model = _Shapes(form).eval()
    graph = sc.from_torch(model)
    accepted = graph.accepted_sizes()
    nd = 3 if form == "upsample3d" else 2
    if form in ("interpolate", "upsample3d"):           # the formulas read the int too
        assert tuple(map(int, list(graph.exprs().values())[-1])) == \
            ((8, 8) if nd == 2 else (10, 10, 10))
    for size in [(h, w, 5)[:nd] if nd == 3 else (h, w) for h in range(1, 14) for w in (1, 4, 9)]:
        ran = _run(lambda: model(torch.zeros(1, 1, *size)).reshape(1, 1, -1))
        assert (size in accepted) == (ran[0] is not None) == (graph.failure(size) is None)
        if ran[0] is not None and form != "head":
            assert graph.output(size)[1] == tuple(model(torch.zeros(1, 1, *size)).shape[2:])


def test_conv_transpose_called_with_output_size_is_refused_not_ignored():
    class Up(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.up = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)

        def forward(self, x):
            return self.up(x, output_size=[10, 10])

    with pytest.raises(sc.UsageError, match=r"^node up \(ConvTranspose2d\) is called with "
                       r"output_size: not read by from_torch \(set output_padding on the "
                       r"module instead\)$"):
        sc.from_torch(Up())


class _Padded(torch.nn.Module):
    def __init__(self, mode, module=None):
        super().__init__()
        self.mode, self.pad, self.c = mode, module, torch.nn.Conv2d(1, 1, 3)

    def forward(self, x):
        return self.c(self.pad(x) if self.pad is not None else
                      F.pad(x, (2, 1, 3, 0), mode=self.mode))


@pytest.mark.parametrize("make", [
    lambda: _Padded("reflect"), lambda: _Padded("replicate"), lambda: _Padded("circular"),
    lambda: _Padded("constant"), lambda: _Padded(None, torch.nn.ReflectionPad2d((1, 2, 0, 3))),
    lambda: _Padded(None, torch.nn.ReplicationPad2d(2)),
    lambda: _Padded(None, torch.nn.CircularPad2d(3))])
def test_padding_modes_take_the_sizes_pytorch_takes(make):
    # reflect needs each pad below the size, circular at most the size
    model = make().eval()
    graph = sc.from_torch(model)
    accepted = graph.accepted_sizes()
    for h in range(1, 12):
        for w in range(1, 12):
            ran = _run(lambda: model(torch.zeros(1, 1, h, w)))
            assert ((h, w) in accepted) == (ran[0] is not None) == (graph.failure((h, w)) is None)
            if ran[0] is not None:
                assert graph.output((h, w))[1] == ran[0]


class _AvgPool3dFn(torch.nn.Module):
    def forward(self, x):
        return F.avg_pool3d(x, (3, 2, 1), 1, (1, 1, 0))


@pytest.mark.parametrize("make", [
    lambda: torch.nn.Sequential(torch.nn.AvgPool3d(3, stride=1, padding=1)),
    lambda: torch.nn.Sequential(torch.nn.AvgPool3d(2, ceil_mode=True)),
    lambda: torch.nn.Sequential(torch.nn.Conv3d(1, 1, 1),
                                torch.nn.AvgPool3d((3, 2, 1), stride=1, padding=(1, 1, 0))),
    _AvgPool3dFn, lambda: torch.nn.Sequential(torch.nn.MaxPool3d(3, stride=1, padding=1))])
def test_avg_pool3d_needs_the_input_at_least_the_kernel_as_pytorch(make):
    # PyTorch's AvgPool3d refuses an input smaller than its kernel even when the padding
    # would make room; its max pooling (and 1-d/2-d average pooling) does not
    model = make()
    read = sc.from_torch(model)
    for shape in itertools.product(range(1, 6), repeat=3):
        ran = _run(lambda: model(torch.zeros(1, 1, *shape)))
        assert read.accepts(shape) == (ran[0] is not None), shape
        if ran[0] is not None:
            out = read.output(shape)
            assert (out[1] if isinstance(read, sc.Graph) else out) == ran[0]


def test_formula_after_a_broadcasting_add_is_the_larger_input():
    # Conv1d(k=5, s=2)(x) + Conv1d(k=1)(x) passes where the first is 1 (a broadcast):
    # its size there is the second's, so the formula is their Max
    class Add(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = torch.nn.Conv1d(1, 1, 5, stride=2), torch.nn.Conv1d(1, 1, 1)

        def forward(self, x):
            return self.a(x) + self.b(x)

    model = Add()
    graph = sc.from_torch(model)
    (formula,) = graph.exprs()["add"]
    ran = 0
    for x in range(1, 40):
        out = _run(lambda: model(torch.zeros(1, 1, x)).unsqueeze(1))
        if out[0] is not None:
            ran += 1
            assert int(formula.subs(sc.i, x)) == out[0][-1] == graph.output((x,))[1][0]
    assert ran >= 2


def test_input_channels_come_from_a_convolution_that_reads_the_input():
    # the first convolution reads torch.cat([x, x]): its in_channels (2) are not the input's
    class Coord(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.gap = torch.nn.Conv2d(2, 4, 1), torch.nn.AdaptiveAvgPool2d(1)
            self.fc = torch.nn.Linear(5, 3)

        def forward(self, x):
            y = torch.cat([self.conv(torch.cat([x, x], 1)), x], 1)
            return self.fc(torch.flatten(self.gap(y), 1))

    # and the one count the layers take is found: 1 (the conv takes 2 = 2 x 1)
    assert sc.from_torch(Coord()).in_channels == 1
    graph = sc.from_torch(Coord(), example_input_shape=(1, 1, 8, 8))
    assert graph.failure((8, 8)) is None and Coord()(torch.zeros(1, 1, 8, 8)).shape == (1, 3)
    assert sc.from_torch(Coord()).output((8, 8)) == graph.output((8, 8))


class _Scaled(torch.nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.c, self.gamma = torch.nn.Conv2d(3, 4, 3), torch.nn.Parameter(torch.ones(*shape))

    def forward(self, x):
        return self.c(x) * self.gamma


@pytest.mark.parametrize("shape", [(4, 1, 1), (1, 4, 1, 1), (1,)])
def test_a_parameter_without_spatial_sizes_is_elementwise(shape):
    # a layer scale (ConvNeXt, CaiT) keeps the sizes
    model = _Scaled(shape)
    graph = sc.from_torch(model)
    for h in range(1, 9):
        ran = _run(lambda: model(torch.zeros(1, 3, h, h + 1)))
        assert graph.accepts((h, h + 1)) == (ran[0] is not None)
        if ran[0] is not None:
            assert graph.output((h, h + 1))[1] == ran[0]


@pytest.mark.parametrize("shape", [(4,), (4, 1), (1, 4, 6, 6)])
def test_a_parameter_with_spatial_sizes_is_refused_by_name(shape):
    with pytest.raises(sc.UsageError, match=rf"^node mul \(call_function mul\): the parameter "
                       rf"gamma of shape {re.escape(str(shape))} has spatial sizes, which would "
                       r"fix the input's: not read$"):
        sc.from_torch(_Scaled(shape))


@pytest.mark.parametrize("k1, s1, p1, k2, p2", [(3, 3, 0, 3, 1), (3, 2, 0, 5, 1), (2, 2, 0, 4, 1),
                                                (5, 3, 2, 3, 0), (4, 2, 1, 2, 0)])
def test_the_field_at_an_unaligned_merge_is_every_input_a_unit_reads(k1, s1, p1, k2, p2):
    # two paths of one stride whose centres differ: the hull of their windows, as autograd
    # finds it at the interior units (the widest path alone understated it: 3 for 4)
    class Two(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Conv1d(1, 1, k1, s1, p1, bias=False)
            self.b = torch.nn.Conv1d(1, 1, k2, s1, p2, bias=False)

        def forward(self, x):
            return self.a(x) + self.b(x)
    model = Two()
    for w in model.parameters():
        torch.nn.init.constant_(w, 1.0)
    graph = sc.from_torch(model)
    size = next(v for v in range(30, 90) if graph.accepts((v,)))
    assert model(torch.ones(1, 1, size)).shape[-1] > 6
    field, = graph.receptive_fields((size,))["add"]
    x = torch.ones(1, 1, size, requires_grad=True)
    y = model(x)
    for u in range(2, y.shape[-1] - 2):
        grad, = torch.autograd.grad(y[0, 0, u], x, retain_graph=True)
        read = grad[0, 0].nonzero().flatten().tolist()
        assert (read[0], read[-1]) == (u * field.j - field.P, u * field.j - field.P + field.r - 1)


@pytest.mark.parametrize("mode", ["nearest", "linear"])
def test_an_interpolation_s_receptive_field_is_autograd_s_or_not_stated(mode, tmp_path):
    # a linear interpolation was read as nearest: r = 1 where autograd reads 2 units
    # (unit 7 of a x2 upsampling of 16 reads inputs 3 and 4)
    import torch.nn.functional as F
    from torch import nn

    import symconv as sc

    class Up(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv1d(1, 1, 3, 2, 1)

        def forward(self, x):
            return F.interpolate(self.c(x), scale_factor=2, mode=mode)

    x = torch.ones(1, 1, 32, requires_grad=True)
    Up()(x)[0, 0, 15].backward()
    read = x.grad[0, 0].nonzero().flatten().tolist()
    graphs = [sc.from_torch(Up(), ndim=1), sc.from_torch(nn.Sequential(
        nn.Conv1d(1, 1, 3, 2, 1), nn.Upsample(scale_factor=2, mode=mode)), ndim=1)]
    onnx = pytest.importorskip("onnx")
    path = tmp_path / "up.onnx"
    torch.onnx.export(Up(), (torch.zeros(1, 1, 32),), str(path), dynamo=False,
                      input_names=["x"], dynamic_axes={"x": {2: "w"}})
    graphs.append(sc.from_onnx(onnx.load(str(path))))
    for graph in graphs:
        fields = graph.receptive_fields((32,)) if hasattr(graph, "nodes") else None
        field = fields[graph.nodes[-1].name][0] if fields else None
        if mode == "nearest":
            if field is None:       # the Sequential: a chain
                assert graph.receptive_field(32)["r"] == len(read) == 3
            else:
                assert field.r == len(read) == 3
        else:
            assert len(read) == 5
            assert field is not None and field.r is None    # a graph: the field not stated
            assert field.note.startswith("linear interpolation at ")
