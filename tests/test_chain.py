"""Networks: chains against PyTorch (live), brute force and independent recurrences."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
import random
import re

import pytest
import sympy

import symconv as sc
from symconv._exact import compile_expr
from symconv.chain import Chain, Layer, _at_axis, collapse_floors
from symconv.cli import main
from symconv.errors import ParseError, SymconvError, UsageError
from symconv.printing import latex, sstr

try:
    import torch
    nn = torch.nn
except ImportError:          # the pure-arithmetic tests below still run
    torch = nn = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


# --- generated stacks, layer by layer against PyTorch ---------------------------------

def _random_stack(rng: random.Random, depth: int, i: int):
    """A valid random 1-d stack (torch modules) keeping sizes between 4 and 400."""
    mods, size = [], i
    while len(mods) < depth:
        kind = rng.choice(["conv", "conv", "pool", "avg", "convt", "up", "act"])
        k, s, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 2)
        if kind == "conv":
            p = rng.randint(0, 3)
            mod = nn.Conv1d(1, 1, k, s, p, dilation=d)
        elif kind == "pool":
            p = rng.randint(0, k // 2)
            mod = nn.MaxPool1d(k, s, p, dilation=d, ceil_mode=rng.random() < 0.5)
        elif kind == "avg":
            p = rng.randint(0, k // 2)
            mod = nn.AvgPool1d(k, s, p, ceil_mode=rng.random() < 0.5)
        elif kind == "convt":
            p = rng.randint(0, 2)
            mod = nn.ConvTranspose1d(1, 1, k, s, p, output_padding=rng.randint(0, max(s, d) - 1),
                                     dilation=d)
        elif kind == "up":
            mod = nn.Upsample(scale_factor=rng.randint(2, 3))
        else:
            mod = nn.ReLU()
        try:
            with torch.no_grad():
                new = mod(torch.zeros(1, 1, size)).shape[-1]
        except RuntimeError:
            continue
        if 4 <= new <= 400:
            mods.append(mod)
            size = new
    return nn.Sequential(*mods)


def _torch_sizes(model, i):
    sizes, x = [i], torch.zeros(1, 1, i)
    with torch.no_grad():
        for mod in model:
            x = mod(x)
            sizes.append(x.shape[-1])
    return sizes


@needs_torch
@pytest.mark.parametrize("seed", range(12))
def test_generated_stacks_match_pytorch_layer_by_layer(seed):
    rng = random.Random(seed)
    depth = [5, 10, 20, 50][seed % 4]
    i = rng.randint(16, 200)
    model = _random_stack(rng, depth, i)
    chain = sc.from_torch(model, ndim=1)
    assert chain.sizes(i) == _torch_sizes(model, i)
    # and for other inputs: PyTorch refuses exactly where symconv does
    for j in rng.sample(range(1, 300), 25):
        try:
            ref = _torch_sizes(model, j)
        except RuntimeError:
            ref = None
        got = chain.sizes(j) if chain.accepts(j) else None
        assert got == ref, (seed, j)


def _vgg16():
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    layers, c = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
            c = v
    return nn.Sequential(*layers)


def _resnet_stem():
    return nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                         nn.MaxPool2d(3, 2, 1))


@needs_torch
@pytest.mark.parametrize(("build", "size", "out", "params"), [
    (_vgg16, 224, 7, 14_714_688),
    (_resnet_stem, 224, 56, 9_408 + 128),
])
def test_real_backbones(build, size, out, params):
    chain = sc.from_torch(build())
    model = build().eval().to("meta")      # PyTorch's shape rules without the arithmetic
    ref = model(torch.zeros(1, 3, size, size, device="meta")).shape[-1]
    assert chain.output(size) == ref == out
    table = chain.table_json(size)
    # every parameter: the convolutions' (the params relation) and the norms' own (it
    # counted the convolutions' only: 9 408 of the stem's 9 536)
    assert table["params"] == sum(p.numel() for p in model.parameters()) == params
    for j in range(size - 40, size + 40, 7):
        assert chain.output(j) == model(torch.zeros(1, 3, j, j, device="meta")).shape[-1]


@needs_torch
def test_vgg16_macs_and_receptive_field():
    chain = sc.from_torch(_vgg16())
    table = chain.table_json(224)
    assert table["flattened"] == chain.flattened(224) == 512 * 7 * 7 == 25088   # VGG's classifier input
    assert chain.flattened((224, 160)) == 512 * 7 * 5
    assert table["macs"] == 15_346_630_656        # the usual 15.3 GMACs of VGG-16 features
    assert chain.receptive_field()["r"] == 212 and chain.receptive_field()["S"] == 32


@needs_torch
def test_from_torch_refuses_unknown_layers():
    # a Sequential with Linear is read as a graph now; a layer with no shape rule is refused
    with pytest.raises(sc.UsageError, match=r"layer 1 \(LSTM\) is not supported by from_torch"):
        sc.from_torch(nn.Sequential(nn.Conv2d(1, 1, 3), nn.LSTM(3, 3)))


# --- symbolic outputs -------------------------------------------------------------------

@needs_torch
@pytest.mark.parametrize("seed", range(8))
def test_collapsed_expression_equals_layer_by_layer(seed):
    rng = random.Random(100 + seed)
    model = _random_stack(rng, 12, rng.randint(30, 120))
    chain = sc.from_torch(model, ndim=1)
    expr = chain.output_expr()
    f = compile_expr(expr)           # exact integers (float lambdify rounds (i - 1)/3 wrongly)
    start = chain.smallest_input()
    for i in range(start, start + 300):
        assert f({"i": i}) == chain.output(i), (seed, i, sstr(expr))
    for i in range(start, start + 300, 37):      # and through sympy itself
        assert expr.subs(sc.i, i) == chain.output(i)


def test_strided_stack_collapses_to_one_floor():
    chain = Chain.parse(" | ".join(["conv k=3 s=2 p=1"] * 200))
    expr = chain.output_expr()
    assert sympy.count_ops(expr) <= 6
    assert sstr(Chain.parse("conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1").output_expr()) == \
        "floor((i - 1)/4) + 1"
    x = sympy.Symbol("x", integer=True)
    assert collapse_floors(sympy.floor((sympy.floor(x / 3) + 2) / 5)) == sympy.floor((x + 6) / 15)


def test_output_latex():
    chain = Chain.parse("conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1")
    assert chain.output_latex() == r"o = \left\lfloor \frac{i - 1}{4} \right\rfloor + 1"
    assert latex(chain.output_expr()) == r"\left\lfloor \frac{i - 1}{4} \right\rfloor + 1"


# --- inverse problems -------------------------------------------------------------------

def _unet(depth, decoder_kernel=2):
    parts = []
    for level in range(depth):
        parts += [f"conv k=3 p=1 | conv k=3 p=1 @e{level}", "pool k=2 s=2"]
    parts += ["conv k=3 p=1 | conv k=3 p=1"]
    for level in reversed(range(depth)):
        parts += [f"convt k={decoder_kernel} s=2 @d{level}", "conv k=3 p=1 | conv k=3 p=1"]
    return Chain.parse(" | ".join(parts))


def _brute_aligned(chain, pairs, top=2048):
    return [i for i in range(1, top + 1) if chain.accepts(i)
            and all(chain.tap(a, i) == chain.tap(b, i) for a, b in pairs)]


def test_unet_depth_4_alignment_equals_brute_force():
    chain = _unet(4)
    pairs = [(f"e{level}", f"d{level}") for level in range(4)]
    al = chain.align(pairs)
    assert (al.period, al.residues, al.smallest) == (16, (0,), 16)
    assert al.text() == "i ≡ 0 (mod 16), i >= 16; smallest 16"
    assert [i for i in range(1, 2049) if i in al] == _brute_aligned(chain, pairs)
    assert al.nearest(100) == 96 and al.nearest(104) == 96 and al.nearest(105) == 112


def test_taps_of_different_slopes_align_at_finitely_many_sizes_anywhere():
    # a = i and b = floor((i + 41)/2) meet at 40 and 41 only, past the first periods
    chain = Chain.parse("conv k=1 @a | conv k=1 p=20 | pool k=1 s=2 @b")
    al = chain.align([("a", "b")])
    assert al.text() == "i in {40, 41}; smallest 40" and al.latex() == r"i \in \{40, 41\}"
    assert [i for i in range(1, 2049) if i in al] == _brute_aligned(chain, [("a", "b")])
    assert (al.nearest(4), al.nearest(1000), al.smallest) == (40, 41, 40)
    al = Chain.parse("conv k=1 s=4 @a | pool k=1 s=2 @b").align([("a", "b")])
    assert al.text() == "i in {1, 2, 3, 4}; smallest 1" and al.nearest(4) == 4


def test_taps_equal_at_every_size_print_as_a_bound_not_mod_1():
    # period 1: every size from the bound on aligns; LaTeX said i \equiv 0 \pmod{1}
    al = Chain.parse("conv k=3 @a | pool k=1 s=1 @b").align([("a", "b")])
    assert (al.period, al.text(), al.latex()) == (1, "i >= 3; smallest 3", r"i \geq 3")


def test_alignment_of_random_chains_equals_brute_force():
    rng = random.Random(7)
    kinds = ["conv k={k} s={s} p={p}", "pool k={s} s={s}", "convt k={k} s={s}", "up f={s}",
             "conv k={k} s={s} p={p} d=2"]
    for _ in range(60):
        layers = []
        for _n in range(rng.randint(2, 5)):
            k = rng.randint(1, 5)
            layers.append(rng.choice(kinds).format(k=k, s=rng.randint(1, 3),
                                                   p=rng.randint(0, 12)))
        a, b = sorted(rng.sample(range(len(layers)), 2))
        layers[a] += " @a"
        layers[b] += " @b"
        chain = Chain.parse(" | ".join(layers))
        al = chain.align([("a", "b")])
        top = 600
        assert [i for i in range(1, top + 1) if i in al] == \
            _brute_aligned(chain, [("a", "b")], top), chain


def test_alignment_with_nonzero_residue():
    chain = Chain.parse("conv k=3 p=1 @e | pool k=2 s=2 | conv k=3 p=1 | convt k=3 s=2 @d")
    al = chain.align([("e", "d")])
    assert (al.period, al.residues) == (2, (1,))
    assert [i for i in range(1, 2049) if i in al] == _brute_aligned(chain, [("e", "d")])
    chain = _unet(3, decoder_kernel=3)      # k=3 transposed convs: 2x + 1 at each level
    pairs = [(f"e{level}", f"d{level}") for level in range(3)]
    al = chain.align(pairs)
    assert [i for i in range(1, 2049) if i in al] == _brute_aligned(chain, pairs)


@needs_torch
@pytest.mark.parametrize("seed", range(6))
def test_inputs_for_and_smallest_equal_brute_force(seed):
    rng = random.Random(200 + seed)
    chain = sc.from_torch(_random_stack(rng, 8, rng.randint(20, 80)), ndim=1)
    accepted = [i for i in range(1, 600) if chain.accepts(i)]
    assert chain.smallest_input() == accepted[0]
    assert accepted == list(range(accepted[0], 600))
    outs = {}
    for i in accepted:
        outs.setdefault(chain.output(i), []).append(i)
    for o, ins in list(outs.items())[:20]:
        if ins[-1] < 590:
            assert chain.inputs_for(o) == (ins[0], ins[-1])
    missing = next(o for o in range(1, 10_000) if o not in outs and o > min(outs))
    if missing < max(outs):
        assert chain.inputs_for(missing) is None


_SOLVE_RANGE = {"k": range(1, 13), "s": range(1, 13), "p": range(0, 7), "p_l": range(0, 7),
                "p_r": range(0, 7), "d": range(1, 5), "a": range(0, 4)}


def _with(layer, name, v):
    from symconv.chain import Sides
    if name in ("p_l", "p_r"):
        l_, r_ = (layer.p.l, layer.p.r) if isinstance(layer.p, Sides) else (layer.p, layer.p)
        return replace(layer, p=Sides(v, r_) if name == "p_l" else Sides(l_, v))
    return replace(layer, **{name: v})


def test_solve_layer_equals_brute_force_with_ceil_mode_per_side_padding_and_any_kind():
    # the layer's own relation: ceil-mode pools, per-side padding, ONNX pooling rules
    rng = random.Random(11)
    kinds = ["conv k={k} s={s} p={p}", "conv k={k} s={s} p={p}:{q} d={d}",
             "convt k={k} s={s} p={p}:{q} a={a}", "convt k={k} s={s} p={p}",
             "pool k={k} s={s} p={h} ceil=1", "pool k={k} s={s} p={h}", "up f={s}",
             "pool k={k} s={s} p={pk}:{qk} ceil=1 framework=onnx"]   # ONNX: pads < k
    checked = 0
    for _ in range(150):
        layers = []
        for _n in range(rng.randint(1, 3)):
            k, s_ = rng.randint(1, 5), rng.randint(1, 3)
            layers.append(rng.choice(kinds).format(k=k, s=s_, p=rng.randint(0, 2),
                                                   q=rng.randint(0, 2), h=rng.randint(0, k // 2),
                                                   pk=rng.randint(0, k - 1), qk=rng.randint(0, k - 1),
                                                   d=rng.randint(1, 2), a=rng.randint(0, s_ - 1)))
        chain = Chain.parse(" | ".join(layers))
        i = rng.randint(4, 30)
        if not chain.accepts(i):
            continue
        o = chain.output(i) + rng.choice([0, 0, 1, -1])
        if o < 1:
            continue                    # no output size: refused as such (a DomainError)
        index = rng.randint(1, len(layers))
        layer = chain.layers[index - 1]
        for name in _SOLVE_RANGE:
            try:
                values, unbounded = chain.solve_layer(index, name, i, o)
            except UsageError:
                continue                # a kind without this value (upsampling, p_l of a pool)
            brute = []
            for v in _SOLVE_RANGE[name]:
                try:
                    trial = Chain((*chain.layers[:index - 1], _with(layer, name, v),
                                   *chain.layers[index:]), chain.ndim)
                    if trial.output(i) == o:
                        brute.append(v)
                except SymconvError:
                    continue
            got = [v for v in _SOLVE_RANGE[name]
                   if v in values or (unbounded is not None and v >= unbounded)]
            assert got == brute, (chain, index, name, i, o)
            checked += 1
    assert checked > 300


def test_solve_a_hyperparameter_inside_a_chain():
    chain = Chain.parse("conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1 | conv k=3 s=2 p=1")
    values, unbounded = chain.solve_layer(3, "p", 224, 28)
    brute = [p for p in range(0, 60) if Chain.parse(
        f"conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p={p} | conv k=3 s=2 p=1").accepts(224)
        and Chain.parse(f"conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p={p} | conv k=3 s=2 p=1"
                        ).output(224) == 28]
    assert values == brute and unbounded is None


# --- receptive fields -----------------------------------------------------------------

def _recurrence(layers):
    """Araujo, Norris & Sim's recurrence, written out here independently."""
    r, j, start = 1, 1, 0
    for k, s, p, d in layers:
        khat = d * (k - 1) + 1
        r, start, j = r + (khat - 1) * j, start - p * j, j * s
    return r, j, -start


@pytest.mark.parametrize("seed", range(10))
def test_receptive_fields_agree_with_the_recurrence(seed):
    rng = random.Random(300 + seed)
    spec = [(rng.randint(1, 7), rng.randint(1, 3), rng.randint(0, 3), rng.randint(1, 3))
            for _ in range(rng.randint(1, 12))]
    chain = Chain.parse(" | ".join(f"conv k={k} s={s} p={p} d={d}" for k, s, p, d in spec))
    rf = chain.receptive_field()
    assert (rf["r"], rf["S"], rf["P"]) == _recurrence(spec)
    for u in range(5):
        lo, hi = chain.region(u)
        assert (lo, hi) == (u * rf["S"] - rf["P"], u * rf["S"] - rf["P"] + rf["r"] - 1)


def test_receptive_field_closed_form_is_proven():
    assert sc.prove("receptive_field").holds


@needs_torch
@pytest.mark.parametrize("text", [
    "conv k=3 p=1 | conv k=3 s=2 p=1 | avgpool k=2 s=2",
    "conv k=3 p=1 | convt k=2 s=2 | conv k=3 p=1",
    "conv k=5 s=2 p=2 | up f=2 | conv k=3 p=1 | convt k=4 s=2 p=1",
])
def test_regions_equal_autograd_dependencies(text):
    """The input positions an output unit depends on, read off PyTorch's gradients."""
    chain = Chain.parse(text)
    mods = []
    for ly in chain.layers:
        if ly.kind == "conv":
            m = nn.Conv1d(1, 1, ly.k, ly.s, ly.p, dilation=ly.d, bias=False)
        elif ly.kind == "conv_transpose":
            m = nn.ConvTranspose1d(1, 1, ly.k, ly.s, ly.p, bias=False)
        elif ly.kind == "pool":
            m = nn.AvgPool1d(ly.k, ly.s, ly.p)
        else:
            m = nn.Upsample(scale_factor=ly.factor)
        if hasattr(m, "weight"):
            nn.init.ones_(m.weight)
        mods.append(m)
    model = nn.Sequential(*mods)
    i = 40
    x = torch.ones(1, 1, i, requires_grad=True)
    y = model(x)
    assert y.shape[-1] == chain.output(i)
    for u in range(y.shape[-1]):
        (g,) = torch.autograd.grad(y[0, 0, u], x, retain_graph=True)
        nz = torch.nonzero(g[0, 0]).flatten().tolist()
        lo, hi = chain.region(u, i)
        assert (nz[0], nz[-1]) == (max(lo, 0), min(hi, i - 1)), (u, nz, lo, hi)


# --- command line ---------------------------------------------------------------------

def test_cli_net(capsys):
    text = "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1"
    assert main(["net", text, "--expr", "--smallest", "--inputs-for", "56"]) == 0
    assert capsys.readouterr().out == ("o = floor((i - 1)/4) + 1\nsmallest input: 1\n"
                                       "inputs for output 56: 221 <= i <= 224\n")
    assert main(["net", text, "i=224", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["table"]
    assert [row["out"] for row in data["layers"]] == [112, 56, 56]
    assert [row["receptive_field"] for row in data["layers"]] == [7, 11, 19]
    assert main(["net", "conv k=3 p=1 @e | pool k=2 s=2 | conv k=3 p=1 | convt k=3 s=2 @d",
                 "--align", "e=d", "--nearest", "100"]) == 0
    assert capsys.readouterr().out == "aligned: i ≡ 1 (mod 2), i >= 2; smallest 3\nnearest to 100: 99\n"
    # under --latex the nearest size is display math too (it was a plain-text line)
    assert main(["net", "conv k=3 p=1 @e | pool k=2 s=2 | conv k=3 p=1 | convt k=3 s=2 @d",
                 "--align", "e=d", "--nearest", "100", "--latex"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == r"\[ \text{nearest to 100: } 99 \]"
    assert main(["net", text, "i=224", "o=7", "--solve", "3:s"]) == 0
    assert capsys.readouterr().out == "layer 3 s: {8, 9}\n"
    assert main(["net", "conv k=3 | frob", "i=3"]) == 2
    assert capsys.readouterr().err.startswith("symconv: layer 2: unknown kind 'frob'")
    assert main(["net", text, "i=224", "--latex"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\\begin{table}[tbp]\n\\centering\n\\caption{Per-layer sizes for input size 224.}")
    assert "\\toprule\n\\# & layer & in & out & params & MACs \\\\\n\\midrule" in out


def test_layer_validation():
    with pytest.raises(sc.DomainError, match="pooling padding must be at most half the kernel"):
        Layer("pool", k=2, s=2, p=2)
    with pytest.raises(sc.DomainError, match="k must be a positive integer"):
        Layer("conv", k=0)


def test_long_periods_are_refused_not_walked():
    chain = Chain.parse("conv k=3 s=1000 @a | conv k=3 s=1000 | convt k=2 s=1000 @b")
    with pytest.raises(sc.UndecidedError, match="the strides multiply to 1000000000"):
        chain.align([("a", "b")])
    up = Chain.parse("conv k=3 | up f=1000 | up f=1000")
    with pytest.raises(sc.UsageError, match="multiply to 1000000"):
        up.receptive_field()
    assert up.table_json(10)["layers"][-1]["receptive_field"] is None    # left blank


def test_a_layer_named_twice_is_refused_not_renamed() -> None:
    with pytest.raises(ParseError, match=r"^layer 2: named twice \(@a and @b\); give it one name$"):
        Chain.parse("conv k=3 | conv k=3 @a @b")


def test_a_list_inside_a_per_axis_size_is_refused() -> None:
    net = Chain.parse("conv k=7 s=2 p=3")
    with pytest.raises(sc.SymconvError) as err:
        net.output(((224, 3), 5))
    assert str(err.value) == ("input size ((224, 3), 5): one value per axis, not a list "
                              "inside the list")
    assert net.output((224, 160)) == (112, 80)


def _windows(i: int, k: int, s: int, d: int, p_l: int, p_r: int) -> int:
    """How many windows of extent d(k-1)+1, starting every s units, lie inside the padded
    input: TF's, Keras's and JAX's pooling (``lax.reduce_window``), counted one by one."""
    extent, padded = d * (k - 1) + 1, i + p_l + p_r
    return len(range(0, padded - extent + 1, s)) if padded >= extent else 0


@pytest.mark.parametrize("fw", ["jax", "tf", "keras"])
def test_tf_keras_jax_pooling_counts_whole_windows_not_onnx_partial_ones(fw):
    """JAX's reduce_window gives an empty output where ONNX's truncated quotient counts one
    window (``k=2, s=2`` on 1): pooling there is the convolution's arithmetic, refused where
    no window fits; ``inputs_for`` and ``smallest_input`` agree."""
    rng = random.Random(fw)
    for _ in range(150):
        k, s, d = rng.randint(1, 6), rng.randint(1, 5), 1 if fw != "jax" else rng.randint(1, 3)
        p_l, p_r = rng.randint(0, 3), rng.randint(0, 3)
        if fw != "jax":     # TF: each pad below the window; Keras: no explicit pads
            p_l, p_r = (min(p_l, k - 1), min(p_r, k - 1)) if fw == "tf" else (0, 0)
        net = Chain.parse(f"pool k={k} s={s} d={d} p={p_l}:{p_r} framework={fw}", ndim=1)
        counts = {i: _windows(i, k, s, d, p_l, p_r) for i in range(1, 40)}
        for i, want in counts.items():
            if want:
                assert net.output(i) == want, (fw, k, s, d, p_l, p_r, i)
            else:
                with pytest.raises(sc.DomainError, match="must hold one dilated kernel"):
                    net.output(i)
        assert net.smallest_input() == min(i for i, n in counts.items() if n)
        for o in range(1, 4):
            got = net.inputs_for(o)
            want_in = [i for i, n in counts.items() if n == o]
            assert (got is None) == (not want_in)
            if want_in and got[1] is not None and got[1] < 39:
                assert list(range(got[0], got[1] + 1)) == want_in
    with pytest.raises(sc.UsageError, match=f"layer pool: {fw} pooling has no ceil mode"):
        Layer("pool", k=2, s=2, ceil_mode=True, framework=fw)


def test_keras_and_jax_layer_rules_hold_in_a_network_and_its_solved_values():
    """Keras refuses a stride above 1 with a dilation above 1 on any axes (strides (2, 1),
    dilation (1, 2) too) and an output_padding not below the stride; JAX's SAME/VALID
    conv_transpose has no output_padding: a network line refuses them, and --solve answers
    only values the layer takes (each put back into it)."""
    with pytest.raises(sc.DomainError, match=r"keras rejects stride > 1 together with dilation "
                                             r"> 1 \(Keras's layers\), on any axes; got "
                                             r"s=\(2, 1\), d=\(1, 2\)"):
        Chain.parse("conv k=3 s=2,1 d=1,2 p=same framework=keras")
    with pytest.raises(sc.DomainError, match="tf output_padding must be smaller than the "
                                             "stride on every axis; got a=1, s=1"):
        Chain.parse("convt k=3 s=1 d=2 p=2 a=1 framework=tf")
    with pytest.raises(sc.DomainError, match="keras output_padding must be smaller than the "
                                             "stride: a=1, s=1"):
        Chain.parse("convt k=3 s=1 d=2 p=same a=1 framework=keras")
    with pytest.raises(sc.DomainError, match="jax's conv_transpose has no output_padding"):
        Chain.parse("convt k=3 s=2 p=SAME a=1 framework=jax")
    # explicit pads: JAX's are pads of the dilated input, q = k^ - 1 - p, not PyTorch's crop
    # p; they were read as the crop (p=0:0 gave 21 at 10, JAX 17) and took any a: refused
    for text in ("convt k=3 s=2 p=0 a=1 framework=jax", "convt k=3 s=2 p=0:0 framework=jax",
                 "convt k=3 s=2 framework=jax"):
        with pytest.raises(sc.UsageError, match=r"jax's conv_transpose reads explicit padding "
                                                r"as pads of the stride-dilated input .* write "
                                                r"p=SAME or p=VALID, or the crop p = k\^ - 1 - q "
                                                r"per side with framework=torch$"):
            Chain.parse(text)
    with pytest.raises(sc.UsageError, match=r"the padding word 'SAME' of a transposed layer "
                                            r"stands for pads .* write it in layer text"):
        sc.Layer("conv_transpose", k=3, s=2, p="SAME", framework="jax")
    assert Chain.parse("convt k=3 s=2 p=SAME framework=jax").output(10) == 20
    assert Chain.parse("convt k=3 s=2 p=VALID framework=jax").output(10) == 21
    with pytest.raises(sc.UsageError, match=r"pooling takes padding 'same' or 'valid', not "
                                            r"'causal' \(Keras refuses it"):
        Chain.parse("pool k=3 s=2 p=causal framework=keras")
    # PyTorch takes them: the solved values are the relation's whole set there
    assert Chain.parse("convt k=3 s=1 d=2 p=2").solve_layer(1, "a", 5, 6) == ([1], None)
    assert Chain.parse("convt k=3 s=1 d=2 p=2 framework=tf").solve_layer(1, "a", 5, 6) == \
        ([], None)
    assert Chain.parse("conv k=5 d=2 p=0 framework=keras").solve_layer(1, "s", 13, 3) == \
        ([], None)
    assert Chain.parse("conv k=5 d=2 p=0").solve_layer(1, "s", 13, 3) == ([2], None)
    assert Chain.parse("conv k=5 p=0 framework=keras").solve_layer(1, "s", 13, 1) == ([], 9)
    # a transposed layer's stride must pass its output_padding (Keras): s > a
    keras = Chain.parse("convt k=1 s=4 p=0 a=3 framework=tf")
    for o in range(2, 40):
        got, tail = keras.solve_layer(1, "s", 2, o)
        brute = [s for s in range(1, 60) if s > 3 and (2 - 1) * s + 1 + 3 == o]
        assert (got, tail) == (brute, None), o


def test_net_solve_names_the_framework_rule_that_removed_values(capsys):
    # it said "no value gives output 6", though the relation gives d = 4, which Keras refuses
    keras = Chain.parse("conv k=3 s=2 framework=keras")
    assert keras.solve_layer(1, "d", 20, 6).refused == (
        (4,), "keras rejects stride > 1 together with dilation > 1 (Keras's layers), on any "
        "axes; got s=2, d=4")
    assert Chain.parse("conv k=3 s=2").solve_layer(1, "d", 20, 6) == ([4], None)
    assert Chain.parse("conv k=3 s=2").solve_layer(1, "d", 20, 6).refused is None
    assert main(["net", "conv k=3 s=2 framework=keras", "i=20", "o=6", "--solve", "1:d"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "layer 1 d: no value gives output 6 (d = 4 gives it too, but keras rejects stride > 1 "
        "together with dilation > 1 (Keras's layers), on any axes; got s=2, d=4)")
    assert main(["net", "convt k=3 s=2 framework=tf", "i=5", "o=12", "--solve", "1:a",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["solve"] == {
        "layer": 1, "name": "a", "output": 12, "values": [1], "and_every_value_from": None,
        "refused": None}
    assert main(["net", "convt k=3 s=1 d=2 p=2 framework=tf", "i=5", "o=6", "--solve", "1:a",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["solve"]["refused"] == {
        "values": [1], "rule": "tf output_padding must be smaller than the stride on every "
                               "axis; got a=1, s=1", "and_every_value_from": None}
    # a tail the rules refuse is named as the others are (it went without a word)
    assert main(["net", "conv k=3 p=0 d=2 framework=tf", "i=5", "o=1", "--solve", "1:s"]) == 0
    assert capsys.readouterr().out.startswith(
        "layer 1 s: {1} (every s >= 2 gives it too, but tf rejects stride > 1 together with "
        "dilation > 1")
    assert main(["net", "maxpool k=3 s=1 p=2 d=2 framework=tf", "i=5", "o=1", "--solve", "1:s",
                 "--json"]) == 0
    refused = json.loads(capsys.readouterr().out)["solve"]["refused"]
    assert refused["values"] == [] and refused["and_every_value_from"] == 5


@pytest.mark.parametrize(("text", "unknown", "i", "o", "want"), [
    # per axis, each value is put back into the whole layer: TF's pad rule reads every
    # axis's dilation, Keras's stride rule every axis's stride and dilation (tester BO;
    # tf.nn.pool and keras.layers.Conv2D live)
    ("maxpool k=2 s=1 d=1,2 p=0 framework=tf", "p", (7, 7), (12, 9), ([3], [2])),
    ("avgpool k=2 s=1 d=1,2 p=0 framework=tf", "p", (7, 7), (12, 9), ([3], [2])),
    ("conv k=3 d=1,2 p=0 framework=keras", "s", (9, 9), (4, 5), ([], [1])),
    ("maxpool k=2 s=1,2 p=0 framework=tf", "d", (7, 7), (5, 3), ([], [1])),
])
def test_a_per_axis_solve_keeps_the_rules_of_the_whole_layer(text, unknown, i, o, want):
    answers = Chain.parse(text).solve_layer(1, unknown, i, o)
    assert tuple(values for values, _ in answers) == want
    for j, (values, _) in enumerate(answers):
        for v in values:    # each value, put back on its axis, gives that axis's output
            chain = Chain((_at_axis(Chain.parse(text).layers[0], j, unknown, v),))
            assert chain.output(i)[j] == o[j]


def test_net_solve_prints_a_tail_alone_and_a_set_with_a_tail(capsys):
    assert main(["net", "conv k=5 s=1 p=0", "i=13", "o=1", "--solve", "1:s"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "layer 1 s: every value >= 9"
    assert main(["net", "conv k=5 s=1 p=0", "i=13", "o=3", "--solve", "1:s"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "layer 1 s: {3, 4}"


def test_a_per_axis_list_states_the_axes_even_when_its_entries_are_equal(capsys):
    """``k=3,3,3`` is a 3-d layer (Keras's Conv3D, PyTorch's Conv3d), and a network that
    states no axes takes them from a per-axis input."""
    assert Chain.parse("conv k=3,3,3").ndim == 3
    assert Chain.parse("up f=2,2,2 | maxpool k=2,2,2").output((4, 5, 6)) == (4, 5, 6)
    assert main(["net", "conv k=3,3,3", "i=5,6,7", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["table"]["output"] == [3, 4, 5]
    assert main(["net", "conv k=3", "i=5,6,7", "--json"]) == 0        # the input says 3
    assert json.loads(capsys.readouterr().out)["table"]["output"] == [3, 4, 5]
    with pytest.raises(sc.UsageError, match=r"per-axis lists of different lengths \[2, 3\]"):
        Chain.parse("conv k=3,3 | conv k=3,3,3")
    with pytest.raises(sc.UsageError, match="ndim=2 but the layers have 3 axes"):
        Chain.parse("conv k=3,3,3", ndim=2)


@pytest.mark.parametrize("fw,same,valid", [("keras", "same", "valid"), ("jax", "SAME", "VALID"),
                                           ("tf", "SAME", "VALID")])
def test_a_transposed_layer_takes_its_framework_padding_words(fw, same, valid):
    """Keras's Conv*Transpose (output_padding=None), JAX's and TF's conv_transpose: 'same'
    gives i s and 'valid' (i-1)s + max(k^, s) (REFERENCE); with a written output_padding
    (Keras, TF) the layer's size is the preset's. Per-axis values read per axis."""
    rng = random.Random(fw)
    for _ in range(60):
        k, s, i = rng.randint(1, 6), rng.randint(1, 4), rng.randint(1, 12)
        d = 1 if s > 1 and fw != "jax" else rng.randint(1, 3)
        khat = d * (k - 1) + 1
        net = Chain.parse(f"convt k={k} s={s} d={d} p={same} framework={fw}", ndim=1)
        assert net.output(i) == i * s
        net = Chain.parse(f"convt k={k} s={s} d={d} p={valid} framework={fw}", ndim=1)
        assert net.output(i) == (i - 1) * s + max(khat, s)
        if fw != "jax":
            a = rng.randint(0, s - 1)
            text = f"convt k={k} s={s} d={d} p={same} a={a} framework={fw}"
            try:
                want = sc.preset(fw, same, "conv_transpose").apply(i=i, k=k, s=s, d=d, a=a).o
            except sc.DomainError:
                continue
            assert Chain.parse(text, ndim=1).output(i) == want
    two = Chain.parse(f"convt k=3,4 s=2 p={valid} framework={fw}")
    assert two.output((5, 6)) == (4 * 2 + 3, 5 * 2 + 4)
    with pytest.raises(sc.UnknownNameError, match=r"^layer 1: torch has no conv_transpose "
                                                  r"padding 'same'; it "
                                            r"takes integer padding only \('same' is keras/tf's: "
                                            r"framework=keras\)"):
        Chain.parse("convt k=3 s=2 p=same")


def test_solve_layer_reads_valid_padding_as_zero():
    net = Chain.parse("conv k=3 s=2 p=valid framework=keras")
    assert net.solve_layer(1, "s", 20, 9) == Chain.parse("conv k=3 s=2 p=0").solve_layer(
        1, "s", 20, 9) == ([2], None)
    with pytest.raises(sc.UsageError, match="padding 'same' is chosen from the layer's kernel"):
        Chain.parse("conv k=3 s=2 p=same framework=keras").solve_layer(1, "s", 20, 10)


def test_a_layer_of_another_framework_is_refused_without_pytorchs_words():
    torch_words = "(PyTorch: \"Kernel size can't be greater than actual input size\")"
    with pytest.raises(sc.DomainError) as caught:
        Chain.parse("conv k=7", ndim=1).output(4)
    assert str(caught.value).endswith(torch_words)
    for text in ("conv k=7 framework=keras", "pool k=7 s=1 p=1 framework=jax",
                 "conv k=7 p=1:1 framework=onnx"):
        with pytest.raises(sc.DomainError) as caught:
            Chain.parse(text, ndim=1).output(4)
        assert str(caught.value).endswith("the padded input must hold one dilated kernel: "
                                          "i + p_l + p_r >= d(k-1) + 1"), text


def test_solve_layer_keeps_what_the_text_derived():
    """A transposed layer's padding word sets its pads and output_padding from k, s, d:
    solving one of them is refused (the word's pads would change with it); a pooling
    stride not written is the kernel, so solving the kernel moves the stride with it;
    'causal' is fixed padding for a stride; a Keras pooling has no dilation."""
    with pytest.raises(sc.UsageError, match=r"padding 'same' sets the padding and "
                                            r"output_padding .* \(here p=0:1 a=0 framework=tf, "
                                            r"whose rules are Keras's and which takes pads\)"):
        Chain.parse("convt k=3 s=2 p=same framework=keras").solve_layer(1, "a", 4, 8)
    net = Chain.parse("avgpool k=4 p=valid framework=keras")
    brute = [k for k in range(1, 20) if 10 >= k and (10 - k) // k + 1 == 2]
    assert net.solve_layer(1, "k", 10, 2) == (brute, None) == ([4, 5], None)
    assert Chain.parse("maxpool k=2").solve_layer(1, "k", 10, 5) == ([2], None)
    assert Chain.parse("maxpool k=2 s=2").solve_layer(1, "k", 10, 5) == ([1, 2], None)
    causal = Chain.parse("conv k=5 s=3 p=causal framework=keras | conv k=5 s=3 p=causal "
                         "framework=keras")
    assert causal.solve_layer(1, "s", 18, 2) == ([3, 4, 5], None)
    with pytest.raises(sc.DomainError, match="keras pooling has no dilation, got d=2"):
        Chain.parse("maxpool k=2 s=1 d=2 p=valid framework=keras")
    assert Chain.parse("avgpool k=2 s=3 p=valid framework=keras").solve_layer(
        1, "d", 6, 2) == ([1], None)
    with pytest.raises(sc.DomainError, match=r"layer conv_transpose refuses every input size: "
                                             r".*a < max\(s, d\), got a=2, s=2, d=1"):
        Chain.parse("convt k=3 s=2 p=0 a=2").smallest_input()
    # the written stride may be the one to solve: a = 1 needs s >= 2
    assert Chain.parse("convt k=3 p=1 a=1").solve_layer(1, "s", 5, 10) == ([2], None)


def test_solving_a_ceil_mode_pools_kernel_with_the_stride_following_it():
    """Ceil mode lets one window overhang: with s = k, every kernel past the padded input
    gives 1 (d = 1), so the answer is a tail; with d > 1 it is bounded. Equal to
    PyTorch's MaxPool1d(k, ceil_mode=True) (stride None) over kernels up to 60."""
    torch = pytest.importorskip("torch")
    for text, i, o, want in [("pool k=2 ceil=1", 5, 1, ([], 5)),
                             ("pool k=3 p=1 ceil=1", 10, 1, ([], 11)),
                             ("maxpool k=3 d=2 ceil=1", 3, 1, ([2, 3], None)),
                             ("maxpool k=2 ceil=1", 10, 2, ([5, 6, 7, 8, 9], None))]:
        layer = Chain.parse(text, ndim=1).layers[0]
        assert Chain.parse(text, ndim=1).solve_layer(1, "k", i, o) == want, text
        brute = []
        for k in range(1, 61):
            try:
                pool = torch.nn.MaxPool1d(k, padding=layer.p, dilation=layer.d, ceil_mode=True)
                if pool(torch.zeros(1, 1, i)).shape[-1] == o:
                    brute.append(k)
            except RuntimeError:
                continue
        finite, tail = want
        assert brute == finite + (list(range(tail, 61)) if tail else []), text


def test_avgpool_in_layer_text_keeps_pytorchs_average_pooling_rules():
    """avgpool on 3 axes is AvgPool3d, which refuses an input smaller than the kernel
    before padding (from_torch read it; the layer text did not); PyTorch's average
    pooling has no dilation."""
    torch = pytest.importorskip("torch")
    net = Chain.parse("avgpool k=5 p=1", ndim=3)
    assert net.smallest_input() == 5            # on every axis
    for size in [(10, 9, 4), (5, 5, 5), (4, 6, 7)]:
        try:
            want = tuple(torch.nn.AvgPool3d(5, padding=1)(torch.zeros(1, 1, *size)).shape[2:])
        except RuntimeError:
            want = None
        assert (net.output(size) if net.accepts(size) else None) == want, size
    assert Chain.parse("avgpool k=5 p=1", ndim=2).output((4, 4)) == (1, 1)   # AvgPool2d: fine
    with pytest.raises(sc.ParseError, match="PyTorch's average pooling has no dilation"):
        Chain.parse("avgpool k=2 d=2")


def test_a_layer_takes_pytorchs_constructor_defaults_and_no_kernel_of_its_own():
    # PyTorch's MaxPool2d(2) strides by 2 (stride=None is the kernel); Layer("pool", k=2)
    # gave stride 1 (the text form gave 2): both read the relation's defaults_to now
    assert Layer("pool", k=2) == Layer("pool", k=2, s=2) == Chain.parse("pool k=2").layers[0]
    assert Layer("pool", k=(2, 3)).s == (2, 3)
    assert Layer("pool", k=3, s=1).s == 1 and Layer("conv", k=3).s == 1
    assert Chain([Layer("pool", k=2)], ndim=1).output(9) == 4
    for kind in ("conv", "conv_transpose", "pool"):    # kernel_size has no default
        with pytest.raises(UsageError, match=f"^layer {kind}: a {kind} layer needs its kernel "
                           r"size k= \(PyTorch's kernel_size has no default\)$"):
            Layer(kind, s=2)
    assert Layer("identity").k == 1 and Layer("upsample", factor=2).k == 1


@needs_torch
@pytest.mark.parametrize("k, s", [(2, None), (3, None), ((2, 3), None), (3, 1), (2, (1, 2))])
def test_pooling_stride_default_equals_pytorch(k, s):
    layer = Layer("pool", k=k) if s is None else Layer("pool", k=k, s=s)
    pool = nn.MaxPool2d(k) if s is None else nn.MaxPool2d(k, s)
    for size in (6, 7, 11):
        assert Chain([layer]).output((size, size)) == \
            tuple(pool(torch.zeros(1, 1, size, size)).shape[2:])


@pytest.mark.parametrize("text, message", [
    ("conv k=3 | conv s=2", "layer 2: a conv layer needs its kernel size k= (PyTorch's "
                            "kernel_size has no default)"),
    ("conv k=3 | convt s=2", "layer 2: a conv_transpose layer needs its kernel size k= "
                             "(PyTorch's kernel_size has no default)"),
    ("conv k=3 | maxpool", "layer 2: a pool layer needs its kernel size k= (PyTorch's "
                           "kernel_size has no default)"),
    ("conv k=3 | conv k=3 s=0", "layer 2: s must be a positive integer, got 0"),
    ("conv k=3 | pool k=3 p=2", "layer 2: pooling padding must be at most half the kernel: "
                                "2p <= k, got p=2, k=3"),
])
def test_a_layers_refusal_in_network_text_names_its_place(text, message, capsys):
    # they said "layer conv: ..." (which of the convs?)
    assert main(["net", text, "i=9"]) == 2
    assert capsys.readouterr().err == f"symconv: {message}\n"


def test_a_transposed_layers_hull_is_exact_or_refused(capsys):
    """Output ``t`` of a transposed layer reads input ``m`` when a tap lands there:
    ``m s - p + j d = t`` for a ``j`` in ``0..k-1``.  The hull of those ``m`` is what
    ``back`` gives when ``s = 1`` or ``d = 1`` (with ``k^ >= s``); with both a stride and a
    dilation ``k=4 s=2 d=3`` gave r = 5 where unit 6 reads {0, 3} and unit 7 {2}: refused
    now, and the table leaves the column blank."""
    for k, s, d, p in itertools.product(range(1, 6), range(1, 5), range(1, 4), range(3)):
        layer = Layer("conv_transpose", k=k, s=s, d=d, p=p)
        if (d > 1 and s > 1) or d * (k - 1) + 1 < s:
            with pytest.raises(UsageError, match="reading gaps or nothing"):
                layer.back(5, 5)
            continue
        for t in range(-3, 12):
            taps = [m for m in range(-20, 20) for j in range(k) if m * s - p + j * d == t]
            assert layer.back(t, t) == (min(taps), max(taps)), (k, s, d, p, t)
    assert main(["net", "convt k=4 s=2 d=3", "i=10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["table"]["layers"]
    assert [(r["out"], r["receptive_field"], r["jump"]) for r in rows] == [(28, None, None)]


def test_a_grouped_layer_shows_its_groups(capsys):
    # the counts read g; the layer column left it out (conv k=3 s=1 p=1, 304 parameters)
    assert main(["net", "conv k=3 p=1 in=16 out=16 g=8", "i=8"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:7] == \
        ["1", "conv", "k=3", "s=1", "p=1", "g=8", "8"]


def test_inputs_for_an_output_per_axis(capsys):
    # it was refused ("give the output per axis in Python") where Chain.inputs_for answers
    net = "conv k=3 s=2 p=1 | conv k=3 s=2"
    assert main(["net", net, "--inputs-for", "7,5"]) == 0
    assert capsys.readouterr().out == ("axis 0: inputs for output 7: 29 <= i <= 32\n"
                                       "axis 1: inputs for output 5: 21 <= i <= 24\n")
    assert main(["net", "conv k=3,5 s=2 p=1 | conv k=3 s=2", "--inputs-for", "7", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inputs_for"] == [
        {"output": 7, "min": 29, "max": 32, "empty": False},
        {"output": 7, "min": 31, "max": 34, "empty": False}]
    assert Chain.parse(net).inputs_for((7, 5)) == ((29, 32), (21, 24))
    assert main(["net", net, "--inputs-for", "7,5,3"]) == 2
    assert capsys.readouterr().err == ("symconv: --inputs-for 7,5,3: 3 sizes for a network of 2 "
                                       "axes: give one per axis, or one for all\n")


def test_a_layers_values_that_run_into_its_unbounded_tail_are_the_tail():
    # "{2, 3, 4, 5, 6, 7, 8} and every value >= 9" said "every value >= 2" the long way
    net = Chain.parse("convt k=1 s=1 p=0 a=0 | pool k=4 s=2 p=2 ceil=1 | pool k=5 p=0 ceil=1")
    assert tuple(net.solve_layer(2, "s", 7, 1)) == ([], 2)


@pytest.mark.parametrize(("net", "message"), [
    # onnxruntime's refusals: each was sized as the operator text or shape inference does
    ("maxpool k=2 s=4 p=2:0 framework=onnx", "onnx pooling needs each pad below its kernel "
     "(onnxruntime: 'Pad should be smaller than kernel'); got pads 2:0 with k=2 on axis 0"),
    ("maxpool k=2 s=1 d=2 p=SAME_LOWER framework=onnx", "onnx takes no dilation above 1 with "
     "SAME_LOWER: onnxruntime refuses it in a Conv"),
    ("conv k=3 d=2 p=SAME_UPPER framework=onnx", "onnx takes no dilation above 1 with SAME_UPPER"),
    ("convt k=7 s=1 d=2 p=0 a=1 framework=onnx", "onnx output_padding must be smaller than "
     "the stride on every axis; got a=1, s=1"),
])
def test_onnx_layers_keep_onnxruntime_s_refusals(net, message):
    with pytest.raises(sc.DomainError, match=re.escape(message)):
        Chain.parse(net)
    assert Chain.parse("maxpool k=3 s=2 p=2:1 framework=onnx").output(10) == 6


@pytest.mark.parametrize("net", ["conv k=4 s=2 p=1 | convt k=4 s=2 p=1 | conv k=3 p=1",
                                 "convt k=3 s=2 | conv k=2", "up f=3 | conv k=2 p=1",
                                 "conv k=3 | convt k=2 s=2 p=0"])
def test_receptive_windows_after_transposed_layers_are_each_unit_s(net):
    # one r, S and P read as u S - P .. u S - P + r - 1 was off by one for half the units
    # after a transposed layer (autograd: odd units of the first start one earlier)
    chain = Chain.parse(net)
    rf = chain.receptive_field()
    period = len(rf.get("windows", ())) or 1
    for u in range(12):
        q, t = divmod(u, period)
        lo, hi = rf["windows"][t] if "windows" in rf else (-rf["P"], -rf["P"] + rf["r"] - 1)
        shift = q * period * rf["S"] if "windows" in rf else u * rf["S"]
        assert (lo + shift, hi + shift) == chain.region(u), (net, u)
    if torch is not None:
        # autograd through the same layers (weights of ones): the inputs a unit reads
        def module(ly):
            if ly.kind == "upsample":
                return nn.Upsample(scale_factor=ly.factor)
            made = (nn.ConvTranspose1d if ly.kind == "conv_transpose" else nn.Conv1d)(
                1, 1, ly.k, ly.s, ly.p, bias=False)
            nn.init.ones_(made.weight)
            return made
        x = torch.ones(1, 1, 40, requires_grad=True)
        y = nn.Sequential(*map(module, chain.layers))(x)
        for u in range(8):
            grad, = torch.autograd.grad(y[0, 0, u], x, retain_graph=True)
            read = grad[0, 0].nonzero().flatten().tolist()
            lo, hi = chain.region(u)
            assert (read[0], read[-1]) == (max(lo, 0), min(hi, 39)), (net, u, read)


@pytest.mark.parametrize("net", ["conv k=4 s=2 p=1 | convt k=4 s=2 p=1 | conv k=3 p=1",
                                 "convt k=3 s=2 | conv k=2", "up f=3 | conv k=2 p=1",
                                 "conv k=3 | convt k=2 s=2 p=0", "convt k=5 s=3 p=1 | conv k=2",
                                 "conv k=3 s=2 | convt k=3 s=2 p=1 | convt k=4 s=2 p=1"])
def test_a_graph_field_gives_each_units_window_as_the_chain_does(net):
    # a graph's field had r, j and P only: u j - P .. u j - P + r - 1 was wrong for every
    # other unit after a transposed layer (a U-Net's, FCN's, YOLO's: autograd reads odd
    # units one earlier); its windows now say what each unit of a period reads
    from symconv.graph import Graph
    chain = Chain.parse(net)
    graph = Graph.from_chain(chain)
    field = graph.receptive_fields()[graph.nodes[-1].name][0]
    assert field.r == chain.receptive_field()["r"]
    assert field.windows == chain.receptive_field().get("windows")
    for u in range(30):
        assert field.window(u) == chain.region(u), (net, u)


def test_a_formula_too_deep_to_print_is_refused_in_one_line(capsys):
    # a chain whose floors do not collapse: printing raised a raw RecursionError in Python
    # and the command line called the network "input nested too deeply" (exit 2)
    from symconv.cli import main
    from symconv.errors import UndecidedError
    text = " | ".join(["conv k=3 s=2 | convt k=2 s=3"] * 100)
    net = Chain.parse(text, ndim=1)
    assert net.output(10 ** 60) > 0         # sizes answer
    for show in (net.output_latex, net.explain_output, net._repr_latex_):
        with pytest.raises(UndecidedError, match="nested more than 200 levels deep"):
            show()
    assert main(["net", text, "--expr", "--ndim", "1"]) == 4
    assert capsys.readouterr().err.startswith("symconv: undecided: the formula is nested more")
    shallow = Chain.parse(" | ".join(["conv k=3 s=2 | convt k=2 s=3"] * 20), ndim=1)
    assert shallow.output_latex().startswith("o = ")


def test_a_period_too_long_to_walk_is_refused_at_once_not_after_minutes():
    # align over 2**16 sizes and 216 layers ran 292 s in Python (the command line's
    # --timeout stopped it; the API had no bound)
    import time

    from symconv.errors import UndecidedError
    parts = ([f"conv k=3 s=2 p=1 @e{j}" for j in range(8)] + ["conv k=3 p=1"] * 200
             + [f"convt k=2 s=2 @d{j}" for j in reversed(range(8))])
    net = Chain.parse(" | ".join(parts), ndim=1)
    started = time.process_time()       # CPU: the machine's other work not counted
    with pytest.raises(UndecidedError, match="takes 42 467 328 layer steps; symconv stops at "
                                             "1 000 000"):
        net.align([(f"e{j}", f"d{j}") for j in range(8)])
    with pytest.raises(UndecidedError, match="receptive field over one period of 65536"):
        Chain.parse(" | ".join(["convt k=2 s=2"] * 16 + ["conv k=3 p=1"] * 20),
                    ndim=1).receptive_field()
    assert time.process_time() - started < 5
    small = Chain.parse(" | ".join(["convt k=2 s=2"] * 10 + ["conv k=3 p=1"] * 20), ndim=1)
    assert small.receptive_field()["r"] == 2      # 1024 units, 31 000 steps: answered


def test_a_layer_kind_spelled_as_the_text_does_names_the_kind():
    # "unknown layer kind 'up'; known: ..., up, upsample" listed the name it refused
    with pytest.raises(sc.UsageError, match=r"^unknown layer kind 'up'; Layer takes 'upsample' "
                                            r"\(the text's 'up' names it\)$"):
        Layer("up", factor=2)
    with pytest.raises(sc.UsageError, match=r"^unknown layer kind 'blah'; known: conv, "
                                            r"conv_transpose, identity, pool, upsample$"):
        Layer("blah")


def test_an_input_past_the_size_bound_is_named_as_the_input():
    # it said "the size after layer 1 ... use fewer or smaller upsampling layers" of a
    # chain with no upsampling: the input itself was past the bound
    with pytest.raises(sc.DomainError, match=r"^input size i has about 1001 digits: sizes are kept "
                                             r"below 10\^1000$"):
        Chain.parse("conv k=3 s=2 p=1 | conv k=1", ndim=1).output(10 ** 1000 + 1)


@pytest.mark.parametrize(("text", "message"), [
    ("conv k=3 in=3 out=4 | conv k=1 in=5 out=2",
     "layer 2 (conv) takes 5 channels, the layer before gives 4: PyTorch refuses it at every "
     "size"),
    ("conv k=3 in=3 out=4 | pool k=2 out=9",
     "layer 2 (pool) takes 9 channels, the layer before gives 4: PyTorch refuses it at every "
     "size"),
    ("pool k=2 in=3 out=5", "layer 1: a pool layer keeps its channels, got in=3, out=5"),
    ("conv k=3 a=1", "layer 1: a conv layer has no a setting: drop it"),
    ("pool k=3 a=1 g=2", "layer 1: a pool layer has no a or g setting: drop it"),
    ("relu s=2", "layer 1: an identity layer has no s setting: drop it"),
    ("id p=4", "layer 1: an identity layer has no p setting: drop it"),
    ("up f=2 k=3", "layer 1: an upsample layer has no k setting: drop it"),
])
def test_channels_flow_and_unused_settings_are_refused(text, message):
    # each was answered: channels PyTorch refuses, a flattened size from a pool's out=,
    # an output padding on a direct conv dropped
    with pytest.raises(SymconvError) as info:
        Chain.parse(text, ndim=1)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["conv k=3 a=0,0", "id k=1,1", "up f=2 p=0,0", "up f=2 p=0:0"])
def test_a_neutral_setting_per_axis_is_taken_as_the_scalar_is(text):
    assert Chain.parse(text, ndim=2).output((10, 10)) == (
        (20, 20) if text.startswith("up") else (8, 8) if text.startswith("conv") else (10, 10))


def test_channels_and_norm_parameters_follow_the_layers():
    torch_ = pytest.importorskip("torch")
    chain = Chain.parse("conv k=3 in=3 out=8 | bn | pool k=2 | conv k=1 in=8 out=4", ndim=1)
    model = torch_.nn.Sequential(torch_.nn.Conv1d(3, 8, 3), torch_.nn.BatchNorm1d(8),
                                 torch_.nn.MaxPool1d(2), torch_.nn.Conv1d(8, 4, 1))
    rows = chain.table(10)
    assert [r.params for r in rows] == [sum(p.numel() for p in m.parameters()) for m in model]
    assert chain.channels() == 4 and chain.flattened(10) == model(torch_.zeros(1, 3, 10)).numel()
    # a conv without out= leaves the channels unknown (they read as the earlier out=)
    unknown = Chain.parse("conv k=3 in=3 out=8 | conv k=1 | bn", ndim=1)
    assert unknown.channels() is None and unknown.table(10)[2].params is None
    # what the next layer takes is what a layer gives: the bn before in=3 holds 6
    assert [r.params for r in Chain.parse("act | bn | conv k=1 in=3 out=2", ndim=1).table(10)] \
        == [0, 6, 8]
    # and a convolution's in= and out= where PyTorch's rule fixes them (its count was '-')
    fixed = Chain.parse("conv k=3 s=2 in=3 | bn | conv k=3 in=8 out=4 | conv k=1 out=2")
    model = torch_.nn.Sequential(torch_.nn.Conv2d(3, 8, 3, 2), torch_.nn.BatchNorm2d(8),
                                 torch_.nn.Conv2d(8, 4, 3), torch_.nn.Conv2d(4, 2, 1))
    assert [r.params for r in fixed.table(32)] == \
        [sum(p.numel() for p in m.parameters()) for m in model]


def test_the_total_row_shows_the_input_as_the_rows_do():
    # per-axis rows read 9x9, the total row 9
    text = Chain.parse("pool k=3,1 s=2,1 | conv k=3").table_text(9)
    assert text.splitlines()[-1].split()[:3] == ["total", "9x9", "2x7"]


def test_region_refuses_a_unit_the_output_does_not_have():
    # unit 100 of an output of 4 units answered (200, 202)
    chain = Chain.parse("conv k=3 s=2", ndim=1)
    assert chain.region(3, 9) == (6, 8)
    with pytest.raises(sc.DomainError, match=r"^output unit u = 4 is not in the output: input "
                                             r"9 gives 4 units \(0\.\.3\)$"):
        chain.region(4, 9)
    assert chain.region(100) == (200, 202)      # no input size: the window arithmetic
    per_axis = Chain.parse("conv k=3 s=2,1")
    assert per_axis.region((3, 5), (9, 8)) == ((6, 8), (5, 7))
    with pytest.raises(sc.DomainError, match=r"^axis 1: output unit u = 6 is not in the output"):
        per_axis.region((3, 6), (9, 8))


@pytest.mark.parametrize("p", ["-2:1", "1:-2,3", "-2"])
def test_a_negative_pad_in_layer_text_names_the_rule(p):
    # p=-2:1 was "cannot read '-2:1' at position 3 (':1'): a formula uses integers, ..."
    with pytest.raises(sc.DomainError, match=rf"^layer 1: padding must be nonnegative on each "
                                             rf"side, got p={p} \(a crop is not a padding"):
        Chain.parse(f"conv k=3 p={p}")


@pytest.mark.parametrize("text, rule", [
    # TF's MaxPool refuses a pad of its window or more ("Top padding 2 needs to be smaller
    # than the window size 2"): it was sized (4 at 7)
    ("pool k=2 s=2 p=2:0 framework=tf", r"tf pooling needs each pad below its kernel \(TF's "
                                        r"MaxPool: .*\); got pads 2:0 with k=2 on axis 0$"),
    # tf.nn.pool: no SAME with a dilation, no stride with a dilation on any axes (sized 10, 2)
    ("pool k=3 s=1 d=2 p=SAME framework=tf", r"tf pooling takes no dilation above 1 with SAME "
                                             r"\(tf.nn.pool: .*\); pool with VALID or explicit "
                                             r"pads; got d=2$"),
    ("pool k=2,4 s=3,1 d=1,3 p=VALID framework=tf", r"tf rejects stride > 1 together with "
                                                    r"dilation > 1 \(tf.nn.convolution, "
                                                    r"tf.nn.pool and Keras's layers; .*\), on "
                                                    r"any axes; got s=\(3, 1\), d=\(1, 3\)$"),
])
def test_tf_pooling_keeps_tfs_refusals(text, rule):
    with pytest.raises(sc.DomainError, match=r"^layer 1: " + rule):
        Chain.parse(text, ndim=2)


def test_tf_pooling_takes_what_tf_runs():
    # measured with TensorFlow 2.21: pads below the window; a dilated tf.nn.pool takes any
    # pad (space_to_batch); VALID with a dilation at stride 1
    assert Chain.parse("pool k=2 s=2 p=1 framework=tf").output(7) == 4
    assert Chain.parse("pool k=2 s=1 d=2 p=3 framework=tf").output(9) == 13
    assert Chain.parse("pool k=2 s=1 d=2 p=VALID framework=tf").output(9) == 7


@pytest.mark.parametrize("text", ["conv k=3 p=1 framework=keras", "pool k=3 p=1 framework=keras",
                                  "conv k=3 p=1:0 framework=keras",
                                  "convt k=3 s=2 p=1 framework=keras",
                                  "convt k=1 s=2 p=0 framework=keras"])
def test_keras_layers_take_no_number_as_padding(text):
    # Keras 3: Conv1D(1, 3, padding=1) raises; the layers were sized with PyTorch's pads
    with pytest.raises(sc.UsageError, match=r"^layer 1: keras's layers take padding 'valid' "
                                            r"or 'same', not p="):
        Chain.parse(text)


def test_keras_padding_zero_and_default_are_keras_valid():
    assert Chain.parse("conv k=3 p=0 framework=keras").output(9) == 7
    # Keras's transposed default is 'valid': (i - 1) s + max(k^, s); it was PyTorch's
    # (i - 1) s + k^ (9 at 5, Keras 10)
    assert Chain.parse("convt k=1 s=2 framework=keras").output(5) == 10
    assert Chain.parse("convt k=3 s=2 framework=keras").output(5) == 11


def test_pytorch_padding_words_are_lower_case():
    # nn.Conv1d(1, 1, 3, padding='SAME'): "Invalid padding string 'SAME'"
    for call in (lambda: Chain.parse("conv k=3 p=SAME").output(9),
                 lambda: sc.same_padding("torch", i=9, k=4, mode="SAME"),
                 lambda: sc.preset("torch", "Valid")):
        with pytest.raises(sc.UsageError, match=r"^PyTorch's padding words are lower case: it "
                                                r"refuses '(SAME|Valid)'"):
            call()
    assert Chain.parse("conv k=3 p=same").output(9) == 9
    assert Chain.parse("conv k=3 p=SAME framework=tf").output(9) == 9


def test_transposed_size_helpers_take_pytorch_names_and_refuse_in_one_line():
    from symconv.frameworks import (tf_output_shape_range, torch_output_padding_for,
                                    torch_output_size_range)
    assert torch_output_size_range(i=3, kernel_size=3, stride=2, padding=1) == (5, 6)
    assert tf_output_shape_range(i=4, kernel_size=3, stride=2, padding="SAME") == (7, 8)
    with pytest.raises(sc.UnknownNameError, match=r"^torch_output_size_range: unknown name "
                                                  r"'a'"):
        torch_output_size_range(i=3, k=3, a=1)
    with pytest.raises(sc.UsageError, match=r"^tf_output_shape_range: k not given; give k=$"):
        tf_output_shape_range(i=3)
    for size in (True, 6.0):
        with pytest.raises(sc.DomainError, match=r"^output_size must be an integer"):
            torch_output_padding_for(size, i=3, k=3, s=2, p=1)
    for word in ("causal", "full", "same"):
        with pytest.raises(sc.UsageError, match=r"^tf.nn.conv2d_transpose takes padding 'SAME' "
                                                r"or 'VALID', as written, not "):
            tf_output_shape_range(i=4, k=3, s=2, padding=word)


def test_a_layer_with_per_axis_values_shows_each_axis():
    # Jupyter's display and sc.latex raised sympy's TypeError (Integer((1, 7)))
    assert Layer("conv", k=(1, 7), p=(0, 3))._repr_latex_() == \
        r"$\displaystyle o_{0} = i_{0},\quad o_{1} = i_{1}$"
    assert Layer("conv", k=3, s=(1, 2))._repr_latex_() == (
        r"$\displaystyle o_{0} = i_{0} - 2,\quad o_{1} = \left\lfloor \frac{i_{1} - 3}{2} "
        r"\right\rfloor + 1$")
    for call in (lambda: Layer("conv", k=(1, 7)).expr(sympy.Symbol("i")),
                 lambda: Layer("conv", k=(1, 7)).output(10)):
        with pytest.raises(UsageError, match=r"^layer conv has per-axis values: read one axis "
                                             r"with \.at\(j\)"):
            call()
    assert Layer("conv", k=(1, 7)).at(1).output(10) == 4


def test_solve_layer_gates_its_sizes_and_bounds_what_it_lists():
    chain = Chain.parse("conv k=3 s=2 p=1 | pool k=2")
    assert chain.solve_layer(1, "s", i=40, o=5) == ([4], None)
    # bad sizes were "no value": ([], None)
    for bad in (None, 2.5, True, 0, -3):
        with pytest.raises(sc.DomainError, match=r"^input size i must be"):
            chain.solve_layer(1, "s", i=bad, o=5)
    with pytest.raises(sc.DomainError, match=r"^k must be an integer, got 2.5"):
        chain.solve_layer(1, "s", i=40, o=5, k=2.5)
    # 20 million values were listed (2.5 GB); at 10**400 the process was killed
    for i in (10**9, 10**400):
        with pytest.raises(UsageError, match=r"^layer 1 s: .* values \(.*\), more than the "
                                             r"100000 listed at most: solve the layer alone"):
            chain.solve_layer(1, "s", i=i, o=5)


def test_tf_average_pooling_takes_no_explicit_pads():
    # tf.nn.avg_pool: "Expected string for argument 'padding'"; it was sized
    with pytest.raises(UsageError, match=r"^layer 1: TF's average pooling takes padding 'SAME' "
                                         r"or 'VALID', not explicit pads"):
        Chain.parse("avgpool k=3 s=1 p=1 framework=tf")
    assert Chain.parse("avgpool k=3 s=1 p=0 framework=tf").output(9) == 7
    assert Chain.parse("avgpool k=3 s=1 p=SAME framework=tf").output(9) == 9
    assert Chain.parse("maxpool k=3 s=1 p=1 framework=tf").output(9) == 9
    # a stride taken from the kernel is said so where TF's rule refuses it
    with pytest.raises(sc.DomainError, match=r"its stride was not written: s is its kernel"):
        Chain.parse("pool k=2 d=2 framework=tf")


def test_solve_layer_gates_its_output_size_and_givens():
    chain = Chain.parse("conv k=3 s=2 p=1 | pool k=2")
    for bad in (None, 7.5, "7", True, 0, -3):
        with pytest.raises(sc.DomainError, match=r"^output size o must be"):
            chain.solve_layer(1, "s", i=40, o=bad)
    for given, rule in (({"k": 0}, "k must be a positive"), ({"p": -1}, "p must be a nonnegative")):
        with pytest.raises(sc.DomainError, match="^" + rule):
            chain.solve_layer(1, "s", i=40, o=5, **given)


def test_pytorch_upper_case_words_name_the_right_fix():
    with pytest.raises(UsageError, match=r"write 'valid', or framework=tf for TensorFlow's VALID$"):
        Chain.parse("conv k=3 p=VALID").output(9)
    with pytest.raises(UsageError, match=r"write 'same' \(at stride 1 only\), or framework=tf"):
        Chain.parse("conv k=3 s=2 p=SAME").output(9)
    # PyTorch's transposed layer has no word at all: not "write 'same'"
    with pytest.raises(sc.SymconvError, match=r"torch has no conv_transpose padding 'SAME'"):
        Chain.parse("convt k=3 p=SAME")
    from symconv.frameworks import torch_output_size_range
    with pytest.raises(UsageError, match=r"^torch_output_size_range takes its values by name"):
        torch_output_size_range(5, k=3)


def test_a_layer_whose_settings_break_a_rule_refuses_every_size_and_says_so(capsys):
    # "refuses input size 4" where a = 3 >= max(s, d) fails at every size (--expr said so)
    from symconv.cli import main
    said = ("layer conv_transpose refuses every input size: output_padding must be smaller "
            "than either stride or dilation: a < max(s, d), got a=3, s=2, d=1")
    for argv in (["net", "convt k=3 s=2 p=1 a=3", "i=4"], ["net", "convt k=3 s=2 p=1 a=3", "--expr"]):
        assert main(argv) == 2
        assert capsys.readouterr().err == f"symconv: {said}\n"
    with pytest.raises(sc.DomainError, match=f"^{re.escape(said)}$"):
        sc.Chain.parse("conv k=3 | convt k=3 s=2 p=1 a=3").output(10)


# --- TF's rules read the whole layer, and --solve keeps them (tester BM) -------------------

@pytest.mark.parametrize(("text", "i", "o"), [
    # tf.nn.pool live (TF 2.21): a pooling dilated on one axis runs through the dilated
    # path on every axis, where any pad is taken; symconv refused it axis by axis
    ("maxpool k=1,3 s=1 d=1,2 p=1:1,2:3 framework=tf", (7, 4), (9, 5)),
    ("avgpool k=2,3 s=1 d=1,2 p=2:3,1:2 framework=tf", (4, 3), (8, 2)),
    ("maxpool k=1,3 s=1 d=2,1 p=1:0,3:2 framework=tf", (7, 9), (8, 12)),
])
def test_tf_pooling_dilated_on_one_axis_takes_any_pad_on_every_axis(text, i, o):
    assert Chain.parse(text).output(i) == o


def test_tf_undilated_pooling_still_needs_each_pad_below_its_kernel():
    with pytest.raises(sc.DomainError, match=r"^layer 1: tf pooling needs each pad below its "
                       r"kernel .*; got pads 1:1 with k=1 on axis 0$"):
        Chain.parse("maxpool k=1,3 s=1 p=1:1,2:2 framework=tf")


@pytest.mark.parametrize(("text", "ndim", "ok"), [
    ("conv k=3 p=1:2", 1, False), ("conv k=3 p=1:2", 2, True), ("conv k=3 p=1:2", 3, False),
    ("convt k=3 s=2 p=1", 3, False), ("convt k=3 s=2 p=1", 2, True),
    ("maxpool k=3 s=1 p=1:2", 1, True), ("maxpool k=3 s=1 p=1:2", 2, True),
    ("maxpool k=3 s=1 p=1:2", 3, False), ("maxpool k=2 s=1 d=2 p=3:3", 1, False),
    ("maxpool k=2 s=1 d=2 p=3:3", 2, True), ("avgpool k=3 s=1 d=2 p=2:0", 3, False),
    ("conv k=3 p=0", 3, True), ("conv k=3 p=SAME", 1, True), ("maxpool k=3 s=1 p=VALID", 3, True),
])
def test_tf_takes_explicit_pads_on_the_ranks_its_apis_take_them(text, ndim, ok):
    # TF 2.21 live (tester BM): conv1d/conv3d/max_pool3d 'Expected string for argument
    # padding', tf.nn.pool 'When padding is a list, it must be of size 4'
    chain = lambda: Chain.parse(f"{text} framework=tf", ndim=ndim)  # noqa: E731
    if ok:
        assert chain().output((9,) * ndim) is not None
    else:
        with pytest.raises(sc.DomainError, match=rf"^layer 1: TF takes explicit pads on a .* "
                           rf"only \(.*\), got a {ndim}-d one, p=.*: write p=SAME or p=VALID, "
                           r"or pad before the layer \(tf.pad\) and use VALID$"):
            chain()


@pytest.mark.parametrize("word", ["maxpool", "avgpool", "conv"])
@pytest.mark.parametrize("unknown", ["p", "k"])
def test_tf_solve_layer_answers_only_values_the_layer_takes(word, unknown):
    # --solve 1:p on a TF max pooling answered p = 2 for k = 2, which symconv refuses
    # (and TF: 'Left padding 2 needs to be smaller than the window size 2'); on an average
    # pooling p = 1, and on a 3-d convolution any p > 0: each against the layer itself
    rng = random.Random(f"{word}{unknown}")
    for _ in range(60):
        ndim = rng.choice([1, 2, 3])
        k, p, i = rng.randint(1, 4), rng.randint(0, 3), rng.randint(1, 12)
        known = {"k": k, "p": p}
        known.pop(unknown)
        text = (f"{word} s=1 framework=tf " + " ".join(f"{n}={v}" for n, v in known.items()))
        try:
            base = Chain.parse(f"{text} {unknown}={1 if unknown == 'k' else 0}", ndim=ndim)
        except sc.SymconvError:
            continue
        for o in range(1, 16):
            def takes(v):
                try:
                    return Chain.parse(f"{text} {unknown}={v}", ndim=ndim).output(i) == o
                except sc.SymconvError:
                    return False
            values, first = base.solve_layer(1, unknown, i=i, o=o)
            want = {v for v in range(0 if unknown == "p" else 1, 40) if takes(v)}
            assert first is None and set(values) == want, (text, unknown, ndim, i, o)


def test_an_average_pooling_is_named_so_in_tables():
    # it showed as "pool k=7 s=7 p=0", as a max pooling does (tester BK)
    text = Chain.parse("avgpool k=3 s=2 p=1 | maxpool k=2").table_text(16)
    assert [ln.split()[1] for ln in text.splitlines()[1:3]] == ["avgpool", "pool"]
    assert Chain.parse("avgpool k=3 s=2 p=1").layers[0] == Layer("pool", k=3, s=2, p=1,
                                                                 average=True)
    with pytest.raises(sc.UsageError, match=r"^layer conv: average is True or False, for a "
                       r"pooling layer, got True on a conv$"):
        Layer("conv", k=3, average=True)
