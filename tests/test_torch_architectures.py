"""Building blocks of today's architectures, written as torchvision writes them, read
and checked against PyTorch run live: MobileNetV3's squeeze-excitation (Hardsigmoid),
EfficientNet's stochastic depth, ConvNeXt's channels-last block (``permute``,
``LayerNorm`` and ``Linear`` over the channels, a layer scale parameter) and its
``LayerNorm2d``.  Every activation, norm and dropout module of ``torch.nn`` is named
either read or refused, so a module PyTorch adds fails here first.  Where torchvision
itself imports, its classification models are read whole."""

from __future__ import annotations

import itertools
import math

import pytest

import symconv as sc
from symconv import torch_import

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from test_torch_idioms import _runs  # noqa: E402


def _hooked_macs(model, size, channels=3):
    """Multiply-accumulates of every Conv, ConvTranspose and Linear (2-d; a Conv1d along
    the channels too), counted on
    PyTorch's own inputs and outputs."""
    total = [0]

    def hook(mod, inp, out):
        if isinstance(mod, (nn.Conv1d, nn.Conv2d)):     # Conv1d: ECA-Net's, on a row
            per = mod.in_channels // mod.groups * math.prod(mod.kernel_size)
            total[0] += out.numel() // out.shape[0] * per
        elif isinstance(mod, nn.ConvTranspose2d):     # each input element, scattered
            per = mod.out_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
            total[0] += inp[0].numel() // inp[0].shape[0] * per
        elif isinstance(mod, nn.Linear):
            total[0] += out.numel() // out.shape[-1] * mod.in_features * mod.out_features
    handles = [m.register_forward_hook(hook) for m in model.modules()]
    try:
        with torch.no_grad():
            model(torch.zeros(1, channels, *size))
    finally:
        for h in handles:
            h.remove()
    return total[0]


def _agree(model, sizes, channels=3, accepted=False):
    """Shapes, refusals, params and (2-d) MACs equal PyTorch's at every size; with
    ``accepted``, the accepted set holds exactly the sizes PyTorch runs."""
    graph = sc.from_torch(model)
    acc = graph.accepted_sizes() if accepted else None
    params = sum(p.numel() for p in model.parameters())
    for size in sizes:
        ref = _runs(model, size, channels)
        assert graph.accepts(size) == (ref is not None), (size, ref)
        assert acc is None or (size in acc) == (ref is not None), (size, ref)
        if ref is None:
            continue
        c, sz = graph.output(size)
        assert (c, *sz) == ref[1:], (size, ref)
        counts = graph.counts(size)
        assert sum(p for p, _ in counts.values()) == params
        if len(size) == 2:
            assert sum(m for _, m in counts.values()) == _hooked_macs(model, size, channels)
    return graph


def _agree_at(model, size):
    """PyTorch's shape (or refusal) and parameter count at one size, symconv's too."""
    ref, graph = _runs(model, size), sc.from_torch(model)
    assert (graph.output(size) if graph.accepts(size) else None) == \
        (None if ref is None else (ref[1], ref[2:]))
    if ref is not None:
        assert sum(p for p, _ in graph.counts(size).values()) == \
            sum(p.numel() for p in model.parameters())


class _SqueezeExcitation(nn.Module):
    """torchvision.ops.SqueezeExcitation as MobileNetV3 builds it."""

    def __init__(self, c, squeeze):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1, self.fc2 = nn.Conv2d(c, squeeze, 1), nn.Conv2d(squeeze, c, 1)
        self.activation, self.scale_activation = nn.ReLU(), nn.Hardsigmoid()

    def forward(self, x):
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return scale * x


class _MobileNetV3Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.Hardswish())
        self.block = nn.Sequential(nn.Conv2d(16, 16, 3, 2, 1, groups=16, bias=False),
                                   nn.BatchNorm2d(16), nn.ReLU(), _SqueezeExcitation(16, 8),
                                   nn.Conv2d(16, 24, 1, bias=False), nn.BatchNorm2d(24))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(24, 10),
                                  nn.Hardswish(), nn.Dropout(0.2), nn.Linear(10, 5))

    def forward(self, x):
        return self.head(self.block(self.stem(x)))


class _LayerNorm2d(nn.LayerNorm):
    """torchvision's ConvNeXt LayerNorm2d: a LayerNorm over the channels, through
    permute and F.layer_norm (traced through: not a torch.nn module)."""

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class _Permute(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return torch.permute(x, self.dims)


class _CNBlock(nn.Module):
    """torchvision's ConvNeXt block: depthwise 7x7, then LayerNorm and an MLP over the
    channels in channels-last, a layer scale, a residual add."""

    def __init__(self, dim):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, 7, padding=3, groups=dim), _Permute([0, 2, 3, 1]),
            nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim),
            _Permute([0, 3, 1, 2]))
        self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * 1e-6)

    def forward(self, x):
        return self.layer_scale * self.block(x) + x


class _ConvNeXt(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 4, stride=4), _LayerNorm2d(8))
        self.stage = _CNBlock(8)
        self.down = nn.Sequential(_LayerNorm2d(8), nn.Conv2d(8, 16, 2, stride=2))
        self.stage2 = _CNBlock(16)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), _LayerNorm2d(16), nn.Flatten(1),
                                  nn.Linear(16, 4))

    def forward(self, x):
        return self.head(self.stage2(self.down(self.stage(self.stem(x)))))


class _TimmBlock(nn.Module):
    """timm's ConvNeXt block: the layer scale gamma of shape (C,) applied in
    channels-last, by method-form permutes."""

    def __init__(self, dim):
        super().__init__()
        self.dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm, self.fc = nn.LayerNorm(dim, eps=1e-6), nn.Linear(dim, dim)
        self.gamma = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        y = self.dw(x).permute(0, 2, 3, 1)
        y = self.gamma * F.gelu(self.fc(self.norm(y)))
        return x + y.permute(0, 3, 1, 2).contiguous()


class _ChannelsFirstNorm(nn.Module):
    """The official ConvNeXt's LayerNorm(data_format="channels_first") (Segment Anything's
    LayerNorm2d alike): its weight shaped (C, 1, 1) in forward, three ways."""

    def __init__(self, c, spelling):
        super().__init__()
        self.weight, self.bias = nn.Parameter(torch.ones(c)), nn.Parameter(torch.zeros(c))
        self.spelling = spelling

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + 1e-6)
        if self.spelling == "index":
            return self.weight[:, None, None] * x + self.bias[:, None, None]
        if self.spelling == "view":
            return self.weight.view(-1, 1, 1) * x + self.bias.view(-1, 1, 1)
        return self.weight.unsqueeze(-1).unsqueeze(-1) * x + self.bias.unsqueeze(-1).unsqueeze(-1)


class _FastFusion(nn.Module):
    """EfficientDet's fast normalised fusion: weights normalised by their sum, indexed."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(3, 8, 3, 2, 1), nn.Conv2d(8, 8, 3, 2, 1)
        self.w = nn.Parameter(torch.ones(2))

    def forward(self, x):
        p3 = self.a(x)
        w = F.relu(self.w)
        w = w / (w.sum() + 1e-4)
        return w[0] * p3 + w[1] * F.interpolate(self.b(p3), size=p3.shape[-2:])


_SQUARE = [(i, i) for i in range(1, 41)]


@pytest.mark.parametrize("model, sizes", [
    (_MobileNetV3Block, _SQUARE + [(1, 9), (17, 4)]),
    (_ConvNeXt, _SQUARE + [(8, 40), (40, 9), (15, 64), (64, 16)]),
    (lambda: nn.Sequential(nn.Conv2d(3, 4, 3), _TimmBlock(4)), _SQUARE[:12] + [(3, 9)]),
    *[(lambda sp=sp: nn.Sequential(nn.Conv2d(3, 4, 4, 4), _ChannelsFirstNorm(4, sp),
                                   nn.Conv2d(4, 6, 2, 2)), _SQUARE[:20] + [(9, 16)])
      for sp in ("index", "view", "unsqueeze")],
    (_FastFusion, _SQUARE[:20] + [(33, 40)]),
], ids=["mobilenet_v3", "convnext", "timm_convnext", "convnext_official_norm_index",
        "convnext_official_norm_view", "convnext_official_norm_unsqueeze", "bifpn_fusion"])
def test_modern_blocks_read_as_pytorch_runs_them(model, sizes):
    m = model().eval()
    _agree(m, sizes)
    m.train()
    _agree(m, [(8, 8), (9, 16), (40, 40)])


def test_convnext_accepted_sizes():
    assert sc.from_torch(_ConvNeXt().eval()).accepted_sizes().text() == \
        "the Linear at head.3 takes 16 features: 16 channels at layer_norm_2 times sizes " \
        "multiplying to 1\n  axis 0 in 8.. and axis 1 in 8..  (smallest (8, 8))"


class _Fn(nn.Module):
    def __init__(self, fwd, **mods):
        super().__init__()
        self.fwd = fwd
        for k, v in mods.items():
            setattr(self, k, v)

    def forward(self, x):
        return self.fwd(self, x)


@pytest.mark.parametrize("fwd, mods, message", [
    (lambda s, x: x.permute(0, 3, 2, 1).permute(0, 3, 2, 1), {},
     r"^node permute \(call_method permute\): permutes dims \(0, 3, 2, 1\); only the "
     r"channels to the last dimension \(0, 2, 3, 1\) and back \(0, 3, 1, 2\) are read$"),
    (lambda s, x: s.bn(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2), {"bn": nn.BatchNorm2d(3)},
     r"^node bn \(call_module bn\) on a tensor permuted to channels-last \(permute\): not "
     r"read \(LayerNorm, Linear, elementwise ops and merges are\)$"),
    (lambda s, x: x.permute(0, 2, 3, 1), {},
     r"^the model returns a tensor permuted to channels-last \(permute\): not read \(permute "
     r"it back\)$"),
    (lambda s, x: x.permute(0, 2, 3, 1) + x, {},
     r"^node add \(call_function add\) on a tensor permuted to channels-last \(permute\)"),
    (lambda s, x: F.interpolate(x, size=x.permute(0, 2, 3, 1).shape[2:]), {},
     r"^node getattr_1 \(call_function getattr\) on a tensor permuted to channels-last"),
    (lambda s, x: s.ln(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2), {"ln": nn.LayerNorm([5, 3])},
     r"^node ln \(LayerNorm\[5, 3\]\): normalises over 2 dimensions of a channels-last "
     r"tensor, which fixes spatial sizes: not read \(over the channels, one, it is\)$"),
], ids=["other-permutation", "batchnorm-on-channels-last", "returned-channels-last",
        "mixed-layout-merge", "size-of-channels-last", "layernorm-two-dims"])
def test_what_a_channels_last_tensor_does_not_take_is_refused(fwd, mods, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(_Fn(fwd, **mods))


def test_a_channels_last_layer_norm_for_other_channels_refuses_every_size():
    m = _Fn(lambda s, x: s.ln(s.c(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2),
            c=nn.Conv2d(3, 4, 3), ln=nn.LayerNorm(5))
    assert _runs(m, (8, 8)) is None
    assert sc.from_torch(m).failure((8, 8)) == \
        "LayerNorm at ln: its parameters are for 5 channels, gets 4"


class _Wav2Vec2ConvLayer(nn.Module):
    """Hugging Face's Wav2Vec2LayerNormConvLayer: a Conv1d, then a LayerNorm over the
    channels with the map transposed to channels-last and back (``transpose(-2, -1)``)."""

    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k, stride, bias=False)
        self.layer_norm = nn.LayerNorm(cout)

    def forward(self, x):
        x = self.conv(x).transpose(-2, -1)
        return F.gelu(self.layer_norm(x).transpose(-2, -1))


class _ConformerConv(nn.Module):
    """A Conformer-style convolution module on (N, C, L): LayerNorm and a pointwise Linear
    with ``transpose(1, 2)`` (and ``torch.transpose(x, 2, 1)`` back), a depthwise Conv1d,
    a residual add."""

    def __init__(self, c):
        super().__init__()
        self.ln, self.pw = nn.LayerNorm(c), nn.Linear(c, c)
        self.dw = nn.Conv1d(c, c, 5, padding=2, groups=c)

    def forward(self, x):
        y = torch.transpose(self.pw(self.ln(x.transpose(1, 2))), 2, 1)
        return x + self.dw(F.silu(y))


def _wav2vec2_front():
    return nn.Sequential(_Wav2Vec2ConvLayer(1, 8, 10, 5), _Wav2Vec2ConvLayer(8, 8, 3, 2),
                         _Wav2Vec2ConvLayer(8, 8, 2, 2), _ConformerConv(8))


def test_a_1d_map_transposed_to_channels_last_and_back_is_read_as_pytorch_runs_it():
    m = _wav2vec2_front().eval()
    graph = _agree(m, [(i,) for i in range(1, 120)], channels=1)
    assert graph.accepted_sizes().text() == "axis 0: accepted: i >= 30; smallest 30"
    assert sum(p for p, _ in graph.counts((400,)).values()) == \
        sum(p.numel() for p in m.parameters())


@pytest.mark.parametrize("fwd, message", [
    (lambda s, x: s.c(x).transpose(1, 2).transpose(1, 2),
     r"^node transpose \(transpose\(1, 2\)\) of a 2-d map swaps its dims 1 and 2: not "
     r"read \(a 1-d map's transpose\(1, 2\), and the channels to the "
     r"last dimension and back, permute\(0, 2, 3, 1\) and permute\(0, 3, 1, 2\), are\)$"),
    (lambda s, x: s.c(x).transpose(-1, -2),
     r"^node transpose \(transpose\(-1, -2\)\) of a 2-d map swaps its dims 2 and 3: not "
     r"read "),
], ids=["channels-and-height", "height-and-width"])
def test_a_transpose_that_is_no_channels_last_permute_is_refused(fwd, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(_Fn(fwd, c=nn.Conv2d(3, 4, 3)))


def _classified():
    import torch.nn.modules as mods
    names = set()
    for part in ("activation", "normalization", "batchnorm", "instancenorm", "dropout"):
        names |= set(getattr(mods, part).__all__)
    return sorted(names)


@pytest.mark.parametrize("name", _classified())
def test_every_size_keeping_module_of_torch_is_read_or_named_as_not(name):
    # a module PyTorch adds is classified here before a model meets it
    kind = name.removeprefix("Lazy")
    assert (kind in torch_import._SIZE_KEEPING) != (kind in torch_import._NOT_SIZE_KEEPING)


_MODULES = [nn.Threshold(0.1, 0.0), nn.RReLU(), nn.Hardtanh(), nn.Hardsigmoid(),
            nn.Hardshrink(), nn.LogSigmoid(), nn.Softplus(), nn.Softshrink(), nn.Softsign(),
            nn.Tanhshrink(), nn.Softmin(1), nn.LogSoftmax(1), nn.CELU(), nn.SELU(),
            nn.AlphaDropout(), nn.FeatureAlphaDropout(), nn.PReLU(4), nn.PReLU(),
            nn.Softmax2d(), nn.ChannelShuffle(2), nn.CrossMapLRN2d(3), nn.LocalResponseNorm(2),
            nn.SyncBatchNorm(4), nn.LazyBatchNorm2d(), nn.LazyInstanceNorm2d()]


@pytest.mark.parametrize("module", _MODULES, ids=lambda m: type(m).__name__)
def test_size_keeping_modules_against_pytorch(module):
    m = nn.Sequential(nn.Conv2d(3, 4, 3), module, nn.Conv2d(4, 2, 2)).eval()
    chain = sc.from_torch(m)
    rows = chain.table((9, 7))
    if type(module).__name__.startswith("Lazy"):
        # its parameters are made by its first run: unknown until then, as in PyTorch
        assert rows[1].params is None
        assert chain.table_json((9, 7))["params"] is None
    else:
        assert sum(r.params for r in rows) == sum(p.numel() for p in m.parameters())
    for size in [(3, 3), (3, 4), (4, 4), (9, 7)]:
        ref = _runs(m, size)
        assert (chain.output(size) if ref is not None else None) == (ref[2:] if ref else None)


@pytest.mark.parametrize("module, message", [
    (nn.PReLU(3), r"layer 1 \(PReLU\) takes 3 channels, layer 0 gives 4"),
    (nn.CrossMapLRN2d(3), r"takes 2 spatial axes, here 1"),
])
def test_size_keeping_modules_keep_their_rules(module, message):
    conv = nn.Conv2d(3, 4, 3) if isinstance(module, nn.PReLU) else nn.Conv1d(3, 4, 3)
    with pytest.raises(sc.SymconvError, match=message):
        sc.from_torch(nn.Sequential(conv, module))


def _torchvision_models():
    """torchvision's classification models, where its import works with this torch."""
    try:
        import torchvision.models as models
    except Exception:       # noqa: BLE001 - not installed, or built for another torch
        return None
    return models


@pytest.mark.parametrize("name", ["mobilenet_v3_small", "efficientnet_b0", "convnext_tiny",
                                  "resnet18", "squeezenet1_1"])
def test_torchvision_models_read_whole(name):
    models = _torchvision_models()
    if models is None:
        pytest.skip("torchvision does not import with this torch")
    m = models.get_model(name).eval()
    _agree(m, [(64, 64), (97, 131)])


class _Lazy(nn.Module):
    def __init__(self):
        super().__init__()
        self.c, self.d, self.b = nn.LazyConv2d(4, 3), nn.Conv2d(4, 4, 1), nn.LazyBatchNorm2d()

    def forward(self, x):
        return self.b(self.d(self.c(x))) + 1


def test_a_lazy_convolution_in_a_graph_counts_the_channels_it_is_given():
    # it counted 0 parameters (its in_channels is 0 until its first run)
    g = sc.from_torch(_Lazy(), example_input_shape=(1, 3, 8, 8))
    counts = g.counts((8, 8))
    assert counts["c"] == (3 * 4 * 9 + 4, 4 * 6 * 6 * 3 * 9)
    assert counts["b"] == (None, 0)         # made by its first run
    assert g.table_json((8, 8))["params"] is None
    m = _Lazy().eval()
    _runs(m, (8, 8))
    assert counts["c"][0] == sum(p.numel() for p in m.c.parameters())


@pytest.mark.parametrize("flat", [True, False], ids=["after-flatten", "on-the-last-axis"])
def test_a_lazy_linear_takes_the_features_of_its_first_run(flat):
    # its in_features is 0 until then: every size was refused ("in_features=0 but the
    # flattened size is 144"); PyTorch runs any size the convolution takes, once
    head = [nn.Flatten(), nn.LazyLinear(5)] if flat else [nn.LazyLinear(5)]
    g = sc.from_torch(nn.Sequential(nn.Conv2d(3, 4, 3), *head))
    acc = g.accepted_sizes()
    for size in [(1, 1), (2, 9), (3, 3), (8, 8), (8, 13), (20, 7)]:
        m = nn.Sequential(nn.Conv2d(3, 4, 3), *head[:-1], nn.LazyLinear(5))    # fresh
        ref = _runs(m, size)
        assert (size in acc) == (ref is not None), size
        if ref is not None:
            channels, sizes = g.shapes(size)[str(len(head))]
            assert (channels, *sizes) == ref[1:]
            params = sum(p.numel() for p in m.parameters())     # made by that run
            assert sum(c[0] for c in g.counts(size).values()) == params


@pytest.mark.parametrize("module", [nn.GroupNorm(3, 9, affine=False), nn.ChannelShuffle(3)],
                         ids=["GroupNorm", "ChannelShuffle"])
def test_groups_that_do_not_divide_the_channels_refuse_every_size(module):
    # read as size-keeping, they were accepted at every size PyTorch refuses
    m = nn.Sequential(nn.Conv2d(3, 8, 3), module)
    assert _runs(m, (9, 9)) is None
    kind = type(module).__name__
    with pytest.raises(sc.DomainError, match=rf"^layer 1 \({kind}\) takes channels in 3 groups, "
                       r"layer 0 gives 8: PyTorch refuses the model at every size$"):
        sc.from_torch(m)
    fn = _Fn(lambda s, x: s.m(s.c(x)), c=nn.Conv2d(3, 8, 3), m=module)
    assert sc.from_torch(fn).failure((9, 9)) == \
        f"{kind} at m: 8 channels in 3 groups; PyTorch refuses it at every size (the " \
        "channels must be a multiple of the groups)"
    fn = _Fn(lambda s, x: F.group_norm(s.c(x), 3), c=nn.Conv2d(3, 8, 3))
    assert sc.from_torch(fn).failure((9, 9)).startswith("group_norm at group_norm: 8 channels")
    ok = _Fn(lambda s, x: F.group_norm(s.c(x), 4), c=nn.Conv2d(3, 8, 3))
    assert sc.from_torch(ok).output((9, 9)) == (8, (7, 7)) and _runs(ok, (9, 9)) == (1, 8, 7, 7)


class _Segmenter(nn.Module):
    """torchvision's segmentation models: a backbone, a head, an upsampling to the
    input's size, returned in a dict."""

    def __init__(self, out):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 4, 3, 2, 1), nn.ReLU(), nn.Conv2d(4, 4, 3, 2))
        self.head = nn.Conv2d(4, 5, 1)
        self.out = out

    def forward(self, x):
        size = x.shape[-2:]
        y = F.interpolate(self.head(self.backbone(x)), size=size, mode="bilinear")
        return self.out(y)


@pytest.mark.parametrize("out", [lambda y: {"out": y}, lambda y: (y,), lambda y: [y]],
                         ids=["dict", "tuple", "list"])
def test_a_dict_or_tuple_of_one_output_is_read(out):
    graph, plain = sc.from_torch(_Segmenter(out)), _Segmenter(lambda y: y)
    for size in _SQUARE[:12] + [(5, 9), (9, 5)]:
        ref = _runs(plain, size)
        assert graph.accepts(size) == (ref is not None)
        assert ref is None or (graph.output(size)[0], *graph.output(size)[1]) == ref[1:]


@pytest.mark.parametrize("out, message", [
    (lambda y: {"out": y, "aux": y}, r"^the model returns 2 outputs \(out, aux\): symconv reads "
     r"one tensor \(or a dict, tuple or list of one\)$"),
    (lambda y: (y, y), r"^the model returns 2 outputs: symconv reads one tensor"),
    (lambda y: {}, r"^the model returns 0 outputs: symconv reads one tensor"),
])
def test_several_outputs_are_refused_in_one_line(out, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(_Segmenter(out))


def _channel_shuffle(x, groups):
    """torchvision's ShuffleNet channel shuffle, as it writes it."""
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batchsize, num_channels, height, width)


class _ShuffleUnit(nn.Module):
    """torchvision's ShuffleNetV2 InvertedResidual: the channels halved by chunk, one
    half through a branch, joined and shuffled."""

    def __init__(self, c, stride):
        super().__init__()
        half = c // 2
        self.stride = stride
        self.branch1 = nn.Sequential(nn.Conv2d(c, c, 3, stride, 1, groups=c), nn.BatchNorm2d(c),
                                     nn.Conv2d(c, half, 1), nn.ReLU()) if stride > 1 else None
        self.branch2 = nn.Sequential(nn.Conv2d(c if stride > 1 else half, half, 1), nn.ReLU(),
                                     nn.Conv2d(half, half, 3, stride, 1, groups=half),
                                     nn.Conv2d(half, half, 1), nn.ReLU())

    def forward(self, x):
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        return _channel_shuffle(out, 2)


class _ShuffleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 2, 1)
        self.units = nn.Sequential(_ShuffleUnit(8, 2), _ShuffleUnit(8, 1))
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.units(self.stem(x)).mean([2, 3]))


class _Parts(nn.Module):
    """Parts of the channels: split sizes, split by a size, a slice (GhostNet's
    x[:, :oup]) before a spatial one."""

    def __init__(self):
        super().__init__()
        self.c, self.d, self.e = nn.Conv2d(3, 6, 3), nn.Conv2d(2, 4, 1), nn.Conv2d(3, 4, 1)

    def forward(self, x):
        y = self.c(x)
        a = self.d(y.split([4, 2], 1)[-1]) + self.d(torch.split(y, 2, dim=1)[2])
        return a + self.e(y[:, 3:, 1:-1, 1:-1].contiguous().float()[:, :, :, :]) [:, :, :1, :1]


@pytest.mark.parametrize("model", [_ShuffleNet, _Parts], ids=["shufflenet", "parts"])
def test_parts_of_the_channels_and_a_channel_shuffle_against_pytorch(model):
    _agree(model().eval(), _SQUARE[:20] + [(5, 17), (17, 5)])


@pytest.mark.parametrize("fwd, message", [
    (lambda s, x: s.c(x).chunk(4, 1)[3],
     r"chunk at getitem: chunk 3 of 6 channels in 4 is not there \(chunks of 2 give 3\)"),
    (lambda s, x: s.c(x).split([4, 3], 1)[0],
     r"split at getitem: split sizes \[4, 3\] add up to 7, not the 6 channels \(a split's "
     r"sizes add up to them\)"),
    (lambda s, x: _channel_shuffle(s.c(x), 4),
     r"channel shuffle at view: 6 channels in 4 groups; PyTorch refuses it at every size"),
])
def test_a_part_pytorch_does_not_give_refuses_every_size(fwd, message):
    m = _Fn(fwd, c=nn.Conv2d(3, 6, 3))
    with pytest.raises(Exception):      # noqa: B017 - IndexError or RuntimeError, by the case
        m(torch.zeros(1, 3, 8, 8))
    with pytest.raises(sc.GraphError, match=message):
        sc.from_torch(m).shapes((8, 8))


@pytest.mark.parametrize("fwd, message", [
    (lambda s, x: x.chunk(2, 2)[0], r"^node chunk \(call_method chunk\): splits dim 2; "
     r"symconv reads a split of the channels \(dim 1\)$"),
    (lambda s, x: x.chunk(2, 1)[x.size(2) % 2], r"^node getitem: part \[mod\] of chunk: an "
     r"int index is read$"),
    (lambda s, x: x.view(x.size(0), 3, x.size(1) // 3, x.size(2), x.size(3)).sum(2),
     r"^node sum_1 \(call_method sum\) on channels split into groups by a view"),
])
def test_parts_and_groups_not_read_are_refused_in_one_line(fwd, message):
    with pytest.raises(sc.UsageError, match=message):
        sc.from_torch(_Fn(fwd))


def test_a_slice_of_no_channels_is_refused_as_an_empty_spatial_slice_is():
    # PyTorch gives a tensor of 0 channels, which no layer after it takes
    m = _Fn(lambda s, x: s.c(x)[:, 7:], c=nn.Conv2d(3, 6, 3))
    assert _runs(m, (8, 8)) == (1, 0, 6, 6)
    with pytest.raises(sc.GraphError, match=r"^getitem at getitem: channels \[7::\] of 6 "
                       r"keeps none$"):
        sc.from_torch(m).shapes((8, 8))


class _TransformInput(nn.Module):
    """GoogLeNet's and Inception-v3's transform_input (on with pretrained weights): each
    channel taken, rescaled, and joined back."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2)

    def forward(self, x):
        x_ch0 = torch.unsqueeze(x[:, 0], 1) * (0.229 / 0.5) + (0.485 - 0.5) / 0.5
        x_ch1 = torch.unsqueeze(x[:, 1], 1) * (0.224 / 0.5) + (0.456 - 0.5) / 0.5
        x_ch2 = x[:, -1].unsqueeze(dim=1) * (0.225 / 0.5) + (0.406 - 0.5) / 0.5
        return self.conv(torch.cat((x_ch0, x_ch1, x_ch2), 1))


def test_channels_taken_one_by_one_and_joined_against_pytorch():
    _agree(_TransformInput().eval(), _SQUARE[:12] + [(3, 9), (9, 2)])
    with pytest.raises(sc.UsageError, match=r"^node mul \(call_function mul\) on a tensor "
                       r"whose channel dimension is dropped \(x\[:, k\], x.mean\(1\)\): not "
                       r"read"):
        sc.from_torch(_Fn(lambda s, x: s.c(x[:, 0] * 2), c=nn.Conv1d(1, 2, 1)))


class _AuxHead(nn.Module):
    """GoogLeNet's pattern: an auxiliary head run only in training."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.aux = nn.Sequential(nn.Conv2d(4, 2, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                 nn.Linear(2, 3))
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        y = self.conv(x)
        if self.training:
            return self.aux(y)
        return self.fc(y.mean((2, 3)))


@pytest.mark.parametrize("training, left, count", [(False, "aux", 19), (True, "fc", 10)])
def test_parameters_forward_does_not_reach_are_named_not_counted(training, left, count):
    m = _AuxHead().train(training)
    g = sc.from_torch(m)
    total = sum(p.numel() for p in m.parameters())
    assert sum(p for p, _ in g.counts((8, 8)).values()) == total - count
    mode = "training" if training else "eval"
    assert g.assumptions == (f"params and MACs count what forward runs: {left} ({count} "
                             f"parameters) are not reached in {mode} mode; sum(p.numel()) is "
                             f"{total}",)


def test_a_named_tuple_of_several_outputs_is_refused_naming_their_number():
    from collections import namedtuple
    Outputs = namedtuple("Outputs", ["logits", "aux"])
    m = _Segmenter(lambda y: Outputs(y, y))
    with pytest.raises(sc.UsageError, match=r"^the model returns 2 outputs: symconv reads one "):
        sc.from_torch(m)
    one = namedtuple("One", ["logits"])
    assert sc.from_torch(_Segmenter(lambda y: one(y))).output((8, 8)) == (5, (8, 8))


# --- findings of the third round of testing, each against PyTorch ---------------------

@pytest.mark.parametrize("shape, channels_last", [((5, 1, 1), False), ((2, 1, 1), False),
                                                  ((5,), True), ((4, 1, 1), False),
                                                  ((4,), True), ((1, 1, 1), False)])
def test_a_parameter_broadcasts_with_the_channels_as_pytorch_broadcasts_it(shape,
                                                                             channels_last):
    # a layer scale of other channels was accepted at every size PyTorch refuses
    def fwd(s, x):
        if channels_last:
            return (s.g * s.c(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        return s.g * s.c(x)
    m = _Fn(fwd, c=nn.Conv2d(3, 4, 1), g=nn.Parameter(torch.ones(*shape)))
    _agree_at(m, (8, 8))


def test_a_parameter_broadcasting_over_the_batch_is_refused():
    m = _Fn(lambda s, x: s.g * x, g=nn.Parameter(torch.ones(4, 1, 1, 1)))
    assert _runs(m, (8, 8)) == (4, 3, 8, 8)
    with pytest.raises(sc.UsageError, match=r"^node mul \(call_function mul\): the parameter g "
                       r"of shape \(4, 1, 1, 1\) broadcasts over the batch"):
        sc.from_torch(m)


@pytest.mark.parametrize("fwd", [
    lambda s, x: F.conv2d(x, s.w) + F.conv2d(x, s.w),
    lambda s, x: F.conv2d(x, s.c.weight, s.c.bias) + s.c(x),
    lambda s, x: s.c(x) + F.conv2d(x, s.c.weight, s.c.bias),
    lambda s, x: s.g * F.conv2d(x, s.w) + s.g * s.c(x),
], ids=["functional-twice", "functional-then-module", "module-then-functional", "scales"])
def test_a_parameter_read_twice_counts_once(fwd):
    m = _Fn(fwd, c=nn.Conv2d(3, 2, 3), w=nn.Parameter(torch.ones(2, 3, 3, 3)),
            g=nn.Parameter(torch.ones(2, 1, 1)))
    counts = sc.from_torch(m).counts((8, 8)).values()
    used = {id(p) for name, p in m.named_parameters() if name.split(".")[0] in
            {"c", "w", "g"} & set(fwd.__code__.co_names)}
    assert sum(p for p, _ in counts) == sum(p.numel() for p in m.parameters() if id(p) in used)
    assert sum(mac for _, mac in counts) == 2 * 2 * 6 * 6 * 27


def test_a_split_part_of_no_channels_is_refused_as_an_empty_slice_is():
    m = _Fn(lambda s, x: x.split([3, 0], 1)[1] + 1)
    assert _runs(m, (8, 8)) == (1, 0, 8, 8)
    with pytest.raises(sc.GraphError, match=r"^split at getitem: part 1 of split sizes \[3, 0\] "
                       r"keeps no channels$"):
        sc.from_torch(m, example_input_shape=(1, 3, 8, 8)).shapes((8, 8))


@pytest.mark.parametrize("fwd", [
    lambda s, x: s.d(s.c(x).chunk(2, -3)[0]),
    lambda s, x: s.d(torch.split(s.c(x), 3, dim=-3)[1]),
    lambda s, x: s.d(torch.cat([s.c(x)[:, 1].unsqueeze(-3)] * 3, 1)),
], ids=["chunk-3", "split-3", "unsqueeze-3"])
def test_the_channels_named_from_the_end_are_read(fwd):
    _agree(_Fn(fwd, c=nn.Conv2d(3, 6, 3), d=nn.Conv2d(3, 4, 1)), _SQUARE[:6] + [(3, 7)])


def test_a_nested_output_is_refused_in_words_that_fit():
    with pytest.raises(sc.UsageError, match=r"^the model returns a tuple \(a\) where a tensor "
                       r"is read: symconv reads one tensor"):
        sc.from_torch(_Segmenter(lambda y: {"a": (y,)}))


def test_a_check_of_one_input_size_is_refused_naming_it():
    def fwd(s, x):
        torch._assert(x.shape[2] == 224, "Wrong image height!")
        return s.c(x)
    with pytest.raises(sc.UsageError, match=r"^node eq \(call_function eq\): compares a size "
                       r"read from a tensor with 224 \(a check that the input is of one size, "
                       r"as ViT's\): not read$"):
        sc.from_torch(_Fn(fwd, c=nn.Conv2d(3, 2, 3)))


@pytest.mark.parametrize("fwd", [
    lambda s, x: s.c(torch.cat([x[:, 1, None], x[:, -1, None], x[:, 0, None]], 1)),
    lambda s, x: s.d(x[:, 1:3, ...]),
    lambda s, x: s.d(x[:, 1:, ...][..., 1:]),
], ids=["k-None", "trailing-ellipsis", "then-ellipsis-slice"])
def test_channel_indexing_written_other_ways(fwd):
    # (the input's channels, which no layer reads directly, are found: any count from 3
    # on passes the slices, so they stay unknown)
    uses = fwd.__code__.co_names
    mods = {k: v for k, v in {"c": nn.Conv2d(3, 2, 3), "d": nn.Conv2d(2, 2, 3)}.items()
            if k in uses}
    _agree(_Fn(fwd, **mods), _SQUARE[:6] + [(3, 7)])


def test_a_part_of_the_input_does_not_say_the_input_s_channels():
    # conv(x.chunk(2, 1)[0]) taking 3: the input has 5 or 6 channels, not 3 (it was read
    # as 3, and every size refused)
    m = _Fn(lambda s, x: s.c(x.chunk(2, 1)[0]), c=nn.Conv2d(3, 2, 3))
    g = sc.from_torch(m)
    assert g.in_channels is None and g.output((5, 5)) == (2, (3, 3))
    assert _runs(m, (5, 5), channels=6) == (1, 2, 3, 3)
    assert _runs(m, (5, 5), channels=5) == (1, 2, 3, 3)


@pytest.mark.parametrize("slopes", [1, 4, 5])
def test_a_functional_prelu_checks_its_slopes_as_the_module_does(slopes):
    m = _Fn(lambda s, x: F.prelu(s.c(x), s.w), c=nn.Conv2d(3, 4, 3),
            w=nn.Parameter(torch.ones(slopes)))
    _agree_at(m, (8, 8))


class _PartFromEnd(nn.Module):
    def __init__(self, cout, how, n, k, cin):
        super().__init__()
        self.c, self.d = nn.Conv2d(3, cout, 3), nn.Conv2d(cin, 2, 1)
        self.how, self.n, self.k = how, n, k

    def forward(self, x):
        y = self.c(x)
        return self.d((y.chunk(self.n, 1) if self.how == "chunk" else y.split(self.n, 1))[self.k])


@pytest.mark.parametrize("how", ["chunk", "split"])
def test_a_part_indexed_from_the_end_counts_the_parts_there_are(how):
    # chunk(4, 1) of 6 channels gives 3 chunks of 2: [-1] has 2 channels, [-4] is not
    # there (Python's tuple index fails); every case against PyTorch
    for cout, n, k, cin in itertools.product(range(1, 8), range(1, 5), range(-4, 0),
                                             range(1, 4)):
        model = _PartFromEnd(cout, how, n, k, cin).eval()
        try:
            with torch.no_grad():
                ref = tuple(model(torch.zeros(1, 3, 5, 5)).shape)
        except (RuntimeError, IndexError):
            ref = None
        graph = sc.from_torch(model)
        assert (graph.output((5, 5)) if graph.accepts((5, 5)) else None) == \
            (None if ref is None else (ref[1], ref[2:])), (cout, n, k, cin)
    assert sc.from_torch(_PartFromEnd(6, "chunk", 4, -4, 2)).failure((5, 5)) == \
        "chunk at getitem: chunk -4 of 6 channels in 4 is not there (chunks of 2 give 3)"


class _LastAxisLinear(nn.Module):
    """A Linear on the last spatial axis of a map: it runs once per channel and position of
    the axes before (its MACs counted only per position once)."""

    def __init__(self):
        super().__init__()
        self.conv, self.fc = nn.Conv2d(3, 4, 3), nn.Linear(8, 5)

    def forward(self, x):
        return self.fc(self.conv(x))


def test_a_linear_on_the_last_axis_counts_every_channel_and_row():
    model = _LastAxisLinear()
    _agree(model, [(h, 10) for h in range(3, 12)] + [(6, 9), (6, 11)], accepted=True)
    assert sc.from_torch(model).counts((6, 10))["fc"] == (45, 4 * 4 * 8 * 5)


@pytest.mark.skipif(pytest.importorskip("onnx") is None, reason="needs onnx")
def test_a_linear_on_the_last_axis_exported_keeps_its_bias(tmp_path):
    # MatMul then Add of a bias of shape [5]: the Linear's bias, not a constant that would
    # broadcast over the sizes
    import onnx
    model = _LastAxisLinear().eval()
    path = tmp_path / "m.onnx"
    torch.onnx.export(model, (torch.zeros(1, 3, 6, 10),), str(path), input_names=["x"],
                      dynamic_axes={"x": {2: "h"}}, dynamo=False)
    graph = sc.from_onnx(onnx.load(str(path)))
    assert graph.counts((6, 10))["/fc/MatMul"] == (45, 640)
    assert graph.output((7, 10)) == sc.from_torch(model).output((7, 10)) == (4, (5, 5))


@pytest.mark.parametrize("fwd", [
    # the parts passed whole to cat along the channels: the tensor again (it was refused
    # with "'Node' object is not iterable"); sizes that do not add up fail as in PyTorch
    lambda s, x: s.d(torch.cat(s.c(x).chunk(4, 1), 1)),
    lambda s, x: s.d(torch.cat(torch.chunk(s.c(x), 7, dim=1), dim=-3)),
    lambda s, x: s.d(torch.cat(s.c(x).split(4, 1), 1)),
    lambda s, x: s.d(torch.cat(s.c(x).split([0, 2, 4], 1), 1)),
    lambda s, x: s.d(torch.cat(s.c(x).split([2, 3], 1), 1)),
])
def test_cat_of_every_part_of_the_channels_is_the_tensor_again(fwd):
    for cout in (5, 6):
        model = _Fn(fwd, c=nn.Conv2d(3, cout, 3), d=nn.Conv2d(6, 2, 1)).eval()
        _agree_at(model, (8, 9))
        _agree_at(model, (2, 9))


def test_cat_of_the_channel_parts_along_another_axis_is_refused_in_one_line():
    with pytest.raises(sc.UsageError, match=r"^node cat \(cat\): joins the channel parts of "
                       r"chunk along dim 2; symconv reads them joined back along the channels"):
        sc.from_torch(_Fn(lambda s, x: torch.cat(x.chunk(2, 1), 2)))


class _Tied(nn.Module):
    """Weight tying: ``b`` uses ``a``'s weight and has a bias of its own."""

    def __init__(self, functional=False):
        super().__init__()
        self.functional = functional
        self.a, self.b = nn.Conv2d(2, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)
        self.b.weight = self.a.weight
        if functional:
            self.b = None
            self.own = nn.Parameter(torch.zeros(2))

    def forward(self, x):
        if self.functional:
            return F.conv2d(self.a(x), self.a.weight, self.own, padding=1)
        return self.b(self.a(x))


class _Normed(nn.Module):
    def __init__(self, how):
        super().__init__()
        from torch.nn.utils import parametrizations, weight_norm
        wrap = {"weight_norm": parametrizations.weight_norm, "old_weight_norm": weight_norm,
                "spectral_norm": parametrizations.spectral_norm}[how]
        self.c, self.d = wrap(nn.Conv1d(2, 4, 3)), wrap(nn.ConvTranspose1d(4, 2, 3))
        self.fc = wrap(nn.Linear(5, 3))

    def forward(self, x):
        return self.fc(self.d(self.c(x)))


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("model", [
    # a layer whose weight is another's lost its own bias (38 of 40), a weight norm's
    # magnitudes were not counted (HiFi-GAN-style layers: 28 of 32)
    lambda: _Tied(), lambda: _Tied(functional=True), lambda: _Normed("weight_norm"),
    lambda: _Normed("old_weight_norm"), lambda: _Normed("spectral_norm"),
], ids=["tied", "tied-functional", "weight_norm", "old-weight_norm", "spectral_norm"])
def test_parameters_count_as_pytorch_counts_them_when_shared_or_reparametrised(model):
    m = model().eval()
    size = (5,) if isinstance(m, _Normed) else (8, 8)
    graph = sc.from_torch(m)
    with torch.no_grad():
        ref = m(torch.zeros(1, 2, *size))
    assert graph.output(size) == (ref.shape[1], tuple(ref.shape[2:]))
    assert sum(p for p, _ in graph.counts(size).values()) == sum(p.numel() for p in m.parameters())


def test_a_lazy_module_not_run_yet_is_refused_in_one_line():
    with pytest.raises(sc.UsageError, match=r"^node weight: weight is a lazy module's "
                       r"parameter, not made until the module runs: run the model once first$"):
        sc.from_torch(nn.LazyConv2d(3, 3))
