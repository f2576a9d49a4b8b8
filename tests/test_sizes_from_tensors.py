"""Sizes a model reads from its own tensors: a U-Net's pad to its skip connection,
``F.interpolate(x, size=skip.shape[2:])``, crops to another tensor's size.

Every model is run live in PyTorch over a grid of input sizes: symconv's shapes and
refusals must be PyTorch's, and the accepted sets, where symconv derives them, must
be exactly the sizes PyTorch runs.  The rules that let accepted sets through
(:func:`symconv._sizes.matched`, :func:`symconv._sizes.nondecreasing`) are checked
against brute force on random expressions.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv._sizes import Arith, SizeOf, evaluate, matched, nondecreasing, text

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

GRID_2D = list(itertools.product(range(1, 27), range(1, 12)))


def _runs(model, size, channels=3):
    try:
        with torch.no_grad():
            out = model(torch.zeros(1, channels, *size))
    except (RuntimeError, ValueError):
        return None
    return None if 0 in out.shape else tuple(out.shape[2:])


def _agree(model, graph, grid):
    for size in grid:
        ours = None if not graph.accepts(size) else graph.output(size)[1]
        assert ours == _runs(model, size), size


def _accepted_is_brute_force(model, graph, grid):
    acc = graph.accepted_sizes()
    for size in grid:
        assert (size in acc) == (_runs(model, size) is not None), size
    return acc


class Up(nn.Module):
    """The up block of milesial/Pytorch-UNet: pad the upsampled tensor to the skip's size."""

    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cin // 2, kernel_size=2, stride=2)
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        diff_y = x2.size()[2] - x1.size()[2]
        diff_x = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [diff_x // 2, diff_x - diff_x // 2, diff_y // 2, diff_y - diff_y // 2])
        return self.conv(torch.cat([x2, x1], dim=1))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = nn.Conv2d(3, 16, 3, padding=1)
        self.down1 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1))
        self.down2 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1))
        self.up1 = Up(64, 32)
        self.up2 = Up(32, 16)

    def forward(self, x):
        a = self.inc(x)
        b = self.down1(a)
        return self.up2(self.up1(self.down2(b), b), a)


class NoPad(UNet):
    """The same U-Net without the pads: only multiples of 4 run."""

    def forward(self, x):
        a = self.inc(x)
        b = self.down1(a)
        u = self.up1.up(self.down2(b))
        u = self.up1.conv(torch.cat([b, u], 1))
        return self.up2.conv(torch.cat([a, self.up2.up(u)], 1))


def test_unet_pads_to_its_skip_and_takes_every_size():
    model = UNet().eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    acc = _accepted_is_brute_force(model, graph, GRID_2D)
    assert acc.text() == ("axis 0: accepted: i >= 4; smallest 4\n"
                          "axis 1: accepted: i >= 4; smallest 4")
    # the output has the input's size: the pads undo the pools' floors
    assert graph.exprs()["up2.conv"] == (sc.i, sc.i)
    assert graph.table((21, 10))[-1]["out"] == [21, 10]


def test_without_the_pads_the_same_unet_needs_multiples_of_four():
    model = NoPad().eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    acc = _accepted_is_brute_force(model, graph, GRID_2D)
    assert acc.axes[0].text() == "i ≡ 0 (mod 4), i >= 4; smallest 4"


class _Skip(nn.Module):
    """A full-size tensor ``y`` and a half-size one ``z``; ``join`` makes the output."""

    def __init__(self, join, dims=2):
        super().__init__()
        conv = (nn.Conv1d, nn.Conv2d, nn.Conv3d)[dims - 1]
        self.a = conv(3, 8, 3, padding=1)
        self.b = conv(8, 8, 3, stride=2, padding=1)
        self.join = join

    def forward(self, x):
        y = self.a(x)
        return self.join(y, self.b(y))


def _last_two(y, z):
    return torch.cat([y, F.interpolate(z, size=y.shape[-2:])], 1)


def _unpacked(y, z):
    _, _, h, w = y.shape
    return torch.cat([y, F.interpolate(z, size=(h, w), mode="bilinear")], 1)


def _adaptive(y, z):
    return y + F.adaptive_avg_pool2d(z, y.size()[2:])


def _crop(y, z):
    z = F.interpolate(z, scale_factor=2)
    return torch.cat([y[:, :, :z.size(2), :z.size(3)], z], 1)


def _arith(y, z):
    return F.interpolate(z, size=(y.size(2) // 2 + 1, y.size(-1) * 2))


def _pad_then_crop(y, z):
    d = y.size(2) - z.size(2)
    return torch.cat([y, F.pad(z, [0, y.size(3) - z.size(3), d, 0])], 1)


@pytest.mark.parametrize("join, accepted, expr", [
    (lambda y, z: torch.cat([y, F.interpolate(z, size=y.shape[2:])], 1),
     "i >= 1; smallest 1", "i"),
    (_last_two, "i >= 1; smallest 1", "i"),
    (_unpacked, "i >= 1; smallest 1", "i"),
    (_adaptive, "i >= 1; smallest 1", "i"),
    (_crop, "i ≡ 0 (mod 2), i >= 1; smallest 2", None),
    (_arith, "i >= 1; smallest 1", None),
    (_pad_then_crop, "i >= 1; smallest 1", "i"),
    (lambda y, z: y * y.size(2) + F.interpolate(z, scale_factor=2)[:, :, :y.size(2)],
     "i >= 1; smallest 1", None),
], ids=["shape[2:]", "shape[-2:]", "_, _, h, w = shape", "adaptive", "crop to it",
        "arithmetic", "pad one side", "a size as a number"])
def test_sizes_read_from_a_tensor_agree_with_pytorch(join, accepted, expr):
    model = _Skip(join).eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    acc = _accepted_is_brute_force(model, graph, GRID_2D)
    assert acc.axes[0].text() == accepted
    if expr is not None:
        assert tuple(map(str, graph.exprs()[graph.nodes[-1].name])) == (expr, expr)


def test_arithmetic_on_sizes_is_a_formula():
    graph = sc.from_torch(_Skip(_arith).eval())
    assert tuple(map(str, graph.exprs()["interpolate"])) == ("floor(i/2) + 1", "2*i")


@pytest.mark.parametrize("dims", [1, 3])
def test_one_and_three_axes(dims):
    model = _Skip(lambda y, z: torch.cat([y, F.interpolate(z, size=y.shape[2:])], 1),
                  dims).eval()
    graph = sc.from_torch(model)
    grid = [(n,) for n in range(1, 40)] if dims == 1 else \
        list(itertools.product(range(1, 6), range(1, 5), range(1, 7)))
    _agree(model, graph, grid)
    _accepted_is_brute_force(model, graph, grid)


def test_a_centre_crop_runs_but_its_accepted_sizes_are_not_derived():
    def centre(y, z):
        z = F.interpolate(z, scale_factor=2)
        dy = (y.size(2) - z.size(2)) // 2
        return torch.cat([y[:, :, dy:dy + z.size(2), :z.size(3)], z], 1)
    model = _Skip(centre).eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    with pytest.raises(sc.UsageError, match=(
            r"^slice at getitem: slice \[\(a.size\(2\) - interpolate.size\(2\)\) // 2:"
            r"\(a.size\(2\) - interpolate.size\(2\)\) // 2 \+ interpolate.size\(2\)\] on axis 0; "
            r"accepted sizes need every size to grow with the input: ask shapes\(i\) per size$")):
        graph.accepted()


def test_pads_that_do_not_bring_a_tensor_to_another_size():
    def twice(y, z):
        d = y.size(2) - z.size(2)
        return F.pad(z, [0, 0, d, d])
    model = _Skip(twice).eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    assert str(graph.exprs()["pad"][0]) == "2*i - floor(i/2 - 1/2) - 1"
    with pytest.raises(sc.UsageError, match=(
            r"^pad at pad: pads \(a.size\(2\) - b.size\(2\), a.size\(2\) - b.size\(2\)\) on "
            r"axis 0 do not bring b to another tensor's size; accepted sizes need every size "
            r"to grow with the input: ask shapes\(i\) per size$")):
        graph.accepted()


@pytest.mark.parametrize("join, message", [
    (lambda y, z: F.interpolate(y, size=(y.size(1), y.size(3))),
     r"^node interpolate: reads the channel count of a as a size \(x.size\(1\)\): not read; "
     r"spatial sizes \(x.size\(2\), x.shape\[2:\]\) are$"),
    (lambda y, z: F.interpolate(y, size=(y.size(3), y.size(2))),
     r"^resize at interpolate: its value a.size\(3\) on axis 0 reads axis 1 of a: sizes that "
     r"tie one axis to another are not read \(each axis is solved on its own\)$"),
    (lambda y, z: F.pad(z, [0, 0, 0, y.size(2) - z.size(2)], mode="reflect"),
     r"^node pad \(call_function pad\): reflect padding by a size read from a tensor is not "
     r"read \(in constant mode it is\)$"),
    (lambda y, z: F.interpolate(z, size=y.shape[1:]),
     r"^node interpolate: a.shape\[1:\] holds the batch or channel count; a spatial size is "
     r"read \(shape\[2:\]\)$"),
    (lambda y, z: torch.cat([z, y.size(2)], 1),
     r"^node size: a size read from a tensor is used as a tensor$"),
], ids=["channels", "another axis", "reflect", "shape[1:]", "as a tensor"])
def test_sizes_not_read_are_refused_in_one_line(join, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(_Skip(join))


# --- the rules, against brute force ----------------------------------------------------

R, X = SizeOf("r", 0), SizeOf("x", 0)


def _terms(leaves):
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(Arith, st.sampled_from(["+", "-"]), inner, inner),
            st.builds(Arith, st.just("*"), inner, st.integers(-3, 3)),
            st.builds(Arith, st.sampled_from(["//", "%", "/"]), inner, st.integers(1, 4))),
        max_leaves=6)


@settings(max_examples=400, deadline=None)
@given(_terms(st.one_of(st.just(R), st.integers(-4, 4))), st.one_of(st.none(), st.integers(-1, 2)))
def test_nondecreasing_is_sound(t, low):
    if nondecreasing(t, low):
        values = [evaluate(t, lambda r, v=v: v) for v in range(1, 300)]
        assert values == sorted(values), text(t)
        assert low is None or values[0] >= low


@settings(max_examples=400, deadline=None)
@given(_terms(st.one_of(st.just(R), st.just(X), st.integers(-3, 3))),
       _terms(st.one_of(st.just(R), st.just(X), st.integers(-3, 3))))
def test_matched_pads_bring_any_size_to_the_other(lo, hi):
    if matched(lo, hi, "x", 0) != R:
        return
    for x, r in itertools.product(range(1, 40), range(1, 40)):
        def size(ref, x=x, r=r):
            return x if ref == X else r
        left, right = evaluate(lo, size), evaluate(hi, size)
        assert x + left + right == r, (text(lo), text(hi), x, r)
        # both of the difference's sign: a crop never exceeds the size
        assert left * (r - x) >= 0 and right * (r - x) >= 0, (text(lo), text(hi), x, r)


def test_the_usual_splits_are_matched():
    d = Arith("-", R, X)
    half = Arith("//", d, 2)
    for lo, hi in [(half, Arith("-", d, half)), (Arith("-", d, half), half), (0, d), (d, 0),
                   (Arith("//", d, 3), Arith("-", d, Arith("//", d, 3)))]:
        assert matched(lo, hi, "x", 0) == R
    # sums to D but of mixed signs: a crop of one side and a pad of the other
    assert matched(Arith("-", 0, X), Arith("+", d, X), "x", 0) is None
    assert matched(Arith("*", d, 2), Arith("-", 0, d), "x", 0) is None


# --- the same models exported to ONNX ---------------------------------------------------

def _exported(model, tmp_path, name):
    onnx = pytest.importorskip("onnx")
    path = tmp_path / f"{name}.onnx"
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.zeros(1, 3, 13, 8), str(path), dynamo=False,
                          input_names=["x"], dynamic_axes={"x": {2: "h", 3: "w"}})
    return sc.from_onnx(onnx.load(str(path)))


def test_exported_unet_follows_shape_arithmetic(tmp_path):
    """torch.onnx.export writes the pads to the skip as Shape, Gather, Sub, Div (which
    truncates), Concat, ConstantOfShape, Reshape, Slice and Transpose: followed to the Pad."""
    model = UNet().eval()
    graph = _exported(model, tmp_path, "unet")
    pads = [n for n in graph.nodes if n.op == "pad"]
    assert len(pads) == 2 and all(n.reads_sizes for n in pads)
    assert "op='/'" in repr(pads[0].pads)      # ONNX Div: a quotient truncated toward 0
    for size in GRID_2D:
        # ONNX's MaxPool takes i=1..3 with one window (pool_onnx); from 4 on PyTorch agrees
        if min(size) >= 4:
            assert graph.output(size)[1] == _runs(model, size), size
        else:
            assert graph.accepts(size) and _runs(model, size) is None
    assert graph.accepted_sizes().text() == ("axis 0: accepted: i >= 1; smallest 1\n"
                                             "axis 1: accepted: i >= 1; smallest 1")
    assert graph.exprs()[graph.nodes[-1].name] == (sc.i, sc.i)


@pytest.mark.parametrize("join", [
    lambda y, z: torch.cat([y, F.interpolate(z, size=y.shape[2:])], 1),
    lambda y, z: torch.cat([y[:, :, :2 * z.size(2) - 1],
                            F.interpolate(z, scale_factor=2)[:, :, :y.size(2)]], 1),
], ids=["interpolate to the skip", "crops"])
def test_exported_sizes_read_from_tensors(tmp_path, join):
    model = _Skip(join).eval()
    graph = _exported(model, tmp_path, "skip")
    _agree(model, graph, GRID_2D)
    _accepted_is_brute_force(model, graph, GRID_2D)


def test_interpolate_mode_names_the_number_of_axes():
    """Without a layer that fixes the axes, linear/bilinear/trilinear say how many."""
    class Line(nn.Module):
        def forward(self, x):
            return F.interpolate(x, size=x.shape[-1:], mode="linear") + x[:, :, :x.size(-1)]
    model = Line().eval()
    graph = sc.from_torch(model)
    assert graph.ndim == 1
    _agree(model, graph, [(n,) for n in range(1, 30)])


def test_a_size_below_one_for_small_inputs_is_refused_there():
    """``y.size(2) // 2 - 1`` is below 1 until y has 4: refused on a prefix, as PyTorch."""
    model = _Skip(lambda y, z: F.interpolate(z, size=(y.size(2) // 2 - 1, y.size(3)))).eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    acc = _accepted_is_brute_force(model, graph, GRID_2D)
    assert acc.axes[0].text() == "i >= 4; smallest 4"
    assert graph.failure((3, 5)) == "resize at interpolate: size 0 on axis 0 (must be >= 1)"


@pytest.mark.parametrize("make, expr", [
    (lambda: _Fn(lambda x: F.interpolate(x, scale_factor=0.5)), ("floor(i/2)", "floor(i/2)")),
    (lambda: _Fn(lambda x: F.interpolate(x, scale_factor=(1.5, 0.75), mode="bilinear")),
     ("floor(3*i/2)", "floor(3*i/4)")),
    (lambda: nn.Sequential(nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=2.5)),
     ("floor(5*i/2) - 5", "floor(5*i/2) - 5")),
], ids=["0.5", "per axis", "Upsample 2.5 in a Sequential"])
def test_scale_factors_that_are_not_integers(make, expr):
    """PyTorch's size is floor(i * scale) in floating point: exact for m / 2**e."""
    model = make().eval()
    graph = sc.from_torch(model)
    _agree(model, graph, GRID_2D)
    _accepted_is_brute_force(model, graph, GRID_2D)
    assert tuple(map(str, graph.exprs()[graph.nodes[-1].name])) == expr


def test_a_scale_factor_read_inexactly_is_refused():
    with pytest.raises(sc.UsageError, match=(
            r"^node interpolate \(interpolate\): scale_factor 0.3 is not read: PyTorch's size "
            r"is floor\(i \* 0.3\) in floating point")):
        sc.from_torch(_Fn(lambda x: F.interpolate(x, scale_factor=0.3)))


class _Fn(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)
