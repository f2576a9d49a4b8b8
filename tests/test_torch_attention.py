"""Squeeze-and-excitation and spatial attention as users write them (SENet's
``view(b, c)`` / ``view(b, c, 1, 1)`` / ``expand_as``, ``y[:, :, None, None]``,
``unsqueeze(-1)`` twice, CBAM's channel pool ``torch.max(x, 1)[0].unsqueeze(1)`` and its
whole-window ``F.avg_pool2d(x, (x.size(2), x.size(3)))``), read and checked against
PyTorch run live: shapes, refusals, the accepted set, parameters and MACs.  The wrong
ones (a gate of other channels, one feature viewed as ``c`` channels) are refused at
every size PyTorch refuses, in the words of the view."""

from __future__ import annotations

import itertools

import pytest

import symconv as sc

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from test_torch_architectures import _agree  # noqa: E402
from test_torch_idioms import _runs  # noqa: E402


class _SE(nn.Module):
    """SENet's block: ``view(b, c)``, the MLP, ``view(b, c, 1, 1)``, ``expand_as``."""

    def __init__(self, c=8, r=4, cin=3):
        super().__init__()
        self.conv = nn.Conv2d(cin, c, 3, 2, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(c, c // r, bias=False), nn.ReLU(inplace=True),
                                nn.Linear(c // r, c, bias=False), nn.Sigmoid())

    def forward(self, x):
        x = self.conv(x)
        b, c, _, _ = x.size()
        y = self.pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class _Gated(nn.Module):
    """A gate of two Linears on pooled features, put back on the map, as written: ``mean``
    (``x.mean((2, 3))``, ``y[:, :, None, None]``), ``unsqueeze`` (``F.adaptive_avg_pool2d(x,
    1).flatten(1)``, ``y.unsqueeze(-1).unsqueeze(-1)``, a residual), ``squeeze`` (the pooled
    map ``squeeze(-1)`` twice, ``y[..., None, None]``), ``squeeze_once`` (``squeeze((-2,
    -1))``)."""

    def __init__(self, how="mean", c=8):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, 2, 1)
        self.fc1, self.fc2, self.how = nn.Linear(c, 2), nn.Linear(2, c), how

    def forward(self, x):
        x = self.conv(x)
        p = F.adaptive_avg_pool2d(x, 1)
        y = {"mean": lambda: x.mean((2, 3)), "unsqueeze": lambda: p.flatten(1),
             "squeeze": lambda: p.squeeze(-1).squeeze(-1),
             "squeeze_once": lambda: p.squeeze((-2, -1))}[self.how]()
        y = torch.sigmoid(self.fc2(F.relu(self.fc1(y))))
        if self.how == "unsqueeze":
            return x + x * y.unsqueeze(-1).unsqueeze(-1)
        return x * (y[:, :, None, None] if self.how == "mean" else y[..., None, None])


class _CBAM(nn.Module):
    """CBAM as its authors wrote it: whole-window pools into a shared MLP, the gate
    unsqueezed and expanded, then the channel pool (max and mean over the channels,
    unsqueezed) into a 7x7 convolution."""

    def __init__(self, c=8, r=2):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, 1, 1)
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(c, c // r), nn.ReLU(),
                                 nn.Linear(c // r, c))
        self.spatial = nn.Conv2d(2, 1, 7, padding=3)

    def forward(self, x):
        x = self.conv(x)
        window = (x.size(2), x.size(3))
        avg = self.mlp(F.avg_pool2d(x, window, stride=window))
        top = self.mlp(F.max_pool2d(x, window, stride=window))
        x = x * torch.sigmoid(avg + top).unsqueeze(2).unsqueeze(3).expand_as(x)
        pooled = torch.cat((torch.max(x, 1)[0].unsqueeze(1), torch.mean(x, 1).unsqueeze(1)),
                           dim=1)
        return x * torch.sigmoid(self.spatial(pooled))


class _SpatialKeepdim(nn.Module):
    """Reductions over the channels kept as one channel (``keepdim=True``, ``.values``)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, 2, 1)
        self.spatial = nn.Conv2d(2, 1, 7, padding=3)

    def forward(self, x):
        x = self.conv(x)
        a = torch.cat([x.mean(1, keepdim=True), x.amax(dim=1, keepdim=True)], 1)
        return x * torch.sigmoid(self.spatial(a)) + x.max(dim=1, keepdim=True).values


class _Stacked(nn.Module):
    """Two blocks and a classifier: three Linears after flattens, their features fixed by
    global pooling."""

    def __init__(self):
        super().__init__()
        self.b1, self.down, self.b2 = _SE(8, 4, 3), nn.Conv2d(8, 16, 3, 2), _SE(16, 4, 16)
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        x = self.b2(self.down(self.b1(x)))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class _AutoEncoder(nn.Module):
    """A Linear bottleneck viewed back as (8, 3, 5) and upsampled: the encoder's Linear
    couples the axes, the decoder's sizes are fixed."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 4, 4, 2, 1), nn.ReLU(), nn.Conv2d(4, 8, 4, 2, 1))
        self.mu, self.dec = nn.Linear(8 * 4 * 4, 6), nn.Linear(6, 8 * 3 * 5)
        self.up = nn.ConvTranspose2d(8, 2, 4, 2, 1)

    def forward(self, x):
        return self.up(self.dec(self.mu(self.enc(x).flatten(1))).view(-1, 8, 3, 5))


class _SE3d(nn.Module):
    def __init__(self, c=4):
        super().__init__()
        self.conv, self.fc = nn.Conv3d(3, c, 3, 2, 1), nn.Linear(c, c)

    def forward(self, x):
        x = self.conv(x)
        b, c = x.shape[0], x.shape[1]
        return x * torch.sigmoid(self.fc(x.mean((2, 3, 4)))).view(b, c, 1, 1, 1)


class _SE1d(nn.Module):
    def __init__(self, c=4):
        super().__init__()
        self.conv, self.fc = nn.Conv1d(3, c, 3, 2, 1), nn.Linear(c, c)

    def forward(self, x):
        x = self.conv(x)
        return x * torch.sigmoid(self.fc(x.mean(-1))).unsqueeze(-1)


class _Gate(nn.Module):
    """A gate of ``out`` features on 8 channels, viewed as ``(b, c, 1, 1)`` (``c`` from
    the tensor) or ``(b, -1, 1, 1)``."""

    def __init__(self, out, minus=False):
        super().__init__()
        self.conv, self.fc, self.minus = nn.Conv2d(3, 8, 3, 2, 1), nn.Linear(8, out), minus

    def forward(self, x):
        x = self.conv(x)
        b, c, _, _ = x.size()
        y = self.fc(x.mean((2, 3)))
        return x * (y.view(b, -1, 1, 1) if self.minus else y.view(b, c, 1, 1))


class _Expand(nn.Module):
    """``a.expand_as(b)``: a gate of ``out`` features onto 8 channels, or (``onto_pooled``)
    the feature map onto its own global pooling."""

    def __init__(self, out=8, onto_pooled=False):
        super().__init__()
        self.conv, self.onto = nn.Conv2d(3, 8, 3, 2, 1), onto_pooled
        if not onto_pooled:
            self.fc = nn.Linear(8, out)

    def forward(self, x):
        x = self.conv(x)
        if self.onto:
            return x.expand_as(F.adaptive_avg_pool2d(x, 1))
        return self.fc(x.mean((2, 3)))[:, :, None, None].expand_as(x)


class _Pooled2(nn.Module):
    """A 2x2 pooling viewed as (b, c): 4c features where c are taken."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, 2, 1)

    def forward(self, x):
        x = self.conv(x)
        b, c, _, _ = x.size()
        return F.adaptive_avg_pool2d(x, 2).view(b, c)


class _ChannelMin(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv, self.pool = nn.Conv2d(3, 8, 3, 1, 1), nn.MaxPool2d(2)

    def forward(self, x):
        x = self.conv(x)
        return self.pool(x.amin(1, keepdim=True)) + self.pool(x)[:, :1]


class _TwoPooledHeads(nn.Module):
    """Two Linears after pools to (2, 3): their features, 36, are fixed (a per-axis run
    once took one axis's pool size for both)."""

    def __init__(self):
        super().__init__()
        self.c, self.f1, self.f2 = nn.Conv2d(3, 6, 3, 3, 1), nn.Linear(36, 4), nn.Linear(36, 4)

    def forward(self, x):
        h = self.c(x)
        return self.f1(F.adaptive_avg_pool2d(h, (2, 3)).flatten(1)) + \
            self.f2(F.adaptive_max_pool2d(h, (2, 3)).flatten(1))


class _StdPool(nn.Module):
    """``x.std(1, False, True)``: unbiased, then keepdim (a channel pool of one)."""

    def __init__(self):
        super().__init__()
        self.c0, self.c1 = nn.Conv2d(3, 4, 3), nn.Conv2d(2, 2, 3)

    def forward(self, x):
        h = self.c0(x)
        return self.c1(torch.cat([h.std(1, False, True), h.var(1, True, keepdim=True)], 1))


class _SEBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv, self.se = nn.Conv2d(c, c, 3, padding=1), _SE(c, 4, c)
        self.se.conv = nn.Conv2d(c, c, 3, 1, 1)     # the gate's own map: same size

    def forward(self, x):
        return F.relu(x + self.se(self.conv(x)))


class _SEResNet(nn.Module):
    """``n`` residual blocks with SENet's gate (the gate's conv keeps the channels here)."""

    def __init__(self, n):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3)
        self.blocks = nn.Sequential(*[_SEBlock(16) for _ in range(n)])
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1), 1))


class _GateThenFixed(nn.Module):
    """A gate, then a merge with a map of fixed size 5: the gate's merge passes at every
    size, so the fixed one bounds the sizes ({1, 5} per axis)."""

    def __init__(self):
        super().__init__()
        self.c, self.fc = nn.Conv2d(3, 3, 1), nn.Linear(3, 3)

    def forward(self, x):
        x = self.c(x)
        h = x * torch.sigmoid(self.fc(x.mean((2, 3))))[:, :, None, None]
        return h + F.adaptive_avg_pool2d(x, 5)


class _Decoder52(nn.Module):
    """Features viewed as (8, 5, 2), sizes that differ per axis, into a (3, 1) conv."""

    def __init__(self):
        super().__init__()
        self.c, self.fc, self.d = nn.Conv2d(3, 3, 1), nn.Linear(3, 80), nn.Conv2d(8, 4, (3, 1))

    def forward(self, x):
        return self.d(self.fc(self.c(x).mean((2, 3))).view(-1, 8, 5, 2))


_SQUARE = [(v, v) for v in range(1, 41)] + [(3, 17), (17, 3), (1, 9), (30, 2)]


@pytest.mark.parametrize("model, sizes, channels", [
    (_SE(), _SQUARE, 3), *((_Gated(how), _SQUARE, 3) for how in ("mean", "unsqueeze",
                                                                  "squeeze", "squeeze_once")),
    (_CBAM(), _SQUARE, 3), (_SpatialKeepdim(), _SQUARE, 3), (_Stacked(), _SQUARE, 3),
    (_AutoEncoder(), list(itertools.product(range(10, 20), range(12, 18))), 1),
    (_SE3d(), [(a, b, a) for a in range(1, 9) for b in (1, 4, 7)], 3),
    (_SE1d(), [(v,) for v in range(1, 30)], 3),
    (_Gate(1, minus=True), _SQUARE, 3), (_Expand(onto_pooled=True), _SQUARE, 3),
    (_ChannelMin(), _SQUARE, 3), (_TwoPooledHeads(), _SQUARE, 3), (_StdPool(), _SQUARE, 3),
    (_GateThenFixed(), _SQUARE + [(5, 1), (1, 5), (5, 9)], 3), (_Decoder52(), _SQUARE, 3),
    (nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                   nn.Linear(8, 32), nn.Unflatten(1, (2, 4, 4)), nn.ConvTranspose2d(2, 1, 4, 2, 1)),
     _SQUARE, 3),
], ids=lambda v: type(v).__name__.strip("_") if isinstance(v, nn.Module) else "")
def test_attention_blocks_read_as_pytorch_runs_them(model, sizes, channels):
    _agree(model.eval(), sizes, channels, accepted=True)


@pytest.mark.parametrize("model, message", [
    (_Gate(6), "view at view: 6 features viewed as (8, 1, 1) per sample, which holds 8; "
               "PyTorch refuses it at every size"),
    (_Gate(1), "view at view: 1 feature viewed as (8, 1, 1) per sample, which holds 8; "
               "PyTorch refuses it at every size"),
    (_Pooled2(), "view at view: 32 features viewed as (8,) per sample, which holds 8; "
                 "PyTorch refuses it at every size"),
    (_Expand(4), "expand_as at expand_as: channels [4, 8] differ"),
])
def test_a_view_or_expand_pytorch_refuses_is_refused_at_every_size(model, message):
    graph = sc.from_torch(model.eval())
    for size in ((1, 1), (16, 16), (33, 7)):
        assert _runs(model, size) is None
        assert graph.failure(size) == message


def test_a_gate_of_one_feature_broadcasts_and_one_viewed_as_c_channels_does_not():
    # view(b, -1, 1, 1) of one feature is one channel, which multiplies any; view(b, c, 1,
    # 1) of it is not a view PyTorch makes (were the view's check left out, the broadcast
    # would pass)
    assert sc.from_torch(_Gate(1, minus=True)).output((16, 16)) == (8, (8, 8))
    assert sc.from_torch(_Gate(1)).failure((16, 16)).startswith("view at view: 1 feature")


class _Fn(nn.Module):
    def __init__(self, fn, c=8):
        super().__init__()
        self.conv, self.fc, self.fn = nn.Conv2d(3, c, 3, 2, 1), nn.Linear(c, c), fn
        self.conv2 = nn.Conv2d(1, 2, 3)
        self.fc32, self.unflat = nn.Linear(c, 32), nn.Unflatten(1, (8, 4))

    def forward(self, x):
        return self.fn(self, self.conv(x))


@pytest.mark.parametrize("fn, message", [
    (lambda m, x: x * m.fc(x.mean((2, 3))).view(x.size(0), x.size(1), 1),
     "node view (view): views a tensor as (N, C, 1), 1 spatial axis where the model's "
     "input has 2: not read (symconv reads one number of spatial axes per model)"),
    (lambda m, x: m.unflat(m.fc32(x.mean((2, 3)))),
     "node unflat (Unflatten): views a tensor as (N, C, 4), 1 spatial axis where the model's "
     "input has 2: not read (symconv reads one number of spatial axes per model)"),
    (lambda m, x: x * m.fc(x.mean((2, 3))).view(x.size(0), x.size(1), x.size(2), 1),
     "node view (call_method view): views features (N, F) as (N, conv.size(1), "
     "conv.size(2), 1): "
     "symconv reads (N, C, fixed sizes), N the batch size (x.size(0)) or -1 before a "
     "number of channels, C a number, -1 or x.size(1)"),
    (lambda m, x: x * x.flatten(1).view(x.size(0), -1, 1, 1),
     "unflatten at view: the features of flatten depend on the input size, so the "
     "channels it makes would: symconv reads an unflatten of features fixed by a pooling "
     "to a fixed size or a Linear"),
    (lambda m, x: x * m.fc(x.mean((2, 3))).unsqueeze(1),
     "node mul (call_function mul) on features viewed as a row (N, 1, F) for a convolution "
     "along the channels: not read (Conv1d(1, 1, k), elementwise ops, and the row "
     "transposed or viewed back are)"),
    (lambda m, x: x * m.fc(x.mean((2, 3)))[:, None],
     "node getitem (index (slice(None, None, None), None)) of features (N, F): symconv "
     "reads sizes of 1 added at the end (y[:, :, None, None])"),
    (lambda m, x: x.max(2)[0],
     "node max_1 (call_method max): max over dim 2; symconv reads max over the channels "
     "(dim 1)"),
    (lambda m, x: x.mean(1) + 1,
     "node add (call_function add) on a tensor whose channel dimension is dropped (x[:, k], "
     "x.mean(1)): not read (unsqueezed at dim 1, torch.unsqueeze(x[:, k], 1) or "
     "x.mean(1).unsqueeze(1), or with it kept, x[:, k:k + 1] or x.mean(1, keepdim=True), "
     "it is)"),
    (lambda m, x: m.fc(F.adaptive_avg_pool2d(x, 1).squeeze()),
     "node squeeze (call_method squeeze): squeeze() is read only from the end (-1) of a "
     "global pooling's sizes of 1 (squeeze() would drop the batch and channels at 1 too)"),
    (lambda m, x: m.fc(x.squeeze(-1)),
     "node squeeze (call_method squeeze): squeeze(-1) is read only from the end (-1) of a "
     "global pooling's sizes of 1 (squeeze() would drop the batch and channels at 1 too)"),
    (lambda m, x: m.fc(F.adaptive_avg_pool2d(x, 1).squeeze(-1)),
     "node squeeze (squeeze): drops 1 of the 2 spatial axes: not read (every one is, to "
     "(N, C))"),
    (lambda m, x: x * x.max(1, keepdim=True),
     "node max_1: (values, indices) used as a tensor (PyTorch refuses it): take max_1[0] or "
     ".values"),
    (lambda m, x: x * x.max(1, keepdim=True)[1],
     "node getitem (call_function getitem): the indices of max_1 (integers, which the "
     "layers refuse): not read"),
    (lambda m, x: x * m.fc(x.mean((2, 3))).mean(-3, keepdim=True)[:, :, None, None],
     "node mean_1 (call_method mean): a reduction of features (N, F): not read"),
    (lambda m, x: x * m.fc(x.mean((2, 3))).expand_as(x),
     "expand_as at expand_as: merges features (N, F) with a map (N, C, sizes...): not read "
     "(PyTorch broadcasts them by their last dimensions, the features against a size)"),
    (lambda m, x: m.conv2(x.std(1, True)),
     "node conv2 (call_module conv2) on a tensor whose channel dimension is dropped (x[:, "
     "k], x.mean(1)): not read (unsqueezed at dim 1, torch.unsqueeze(x[:, k], 1) or "
     "x.mean(1).unsqueeze(1), or with it kept, x[:, k:k + 1] or x.mean(1, keepdim=True), "
     "it is)"),
    (lambda m, x: F.instance_norm(F.adaptive_avg_pool2d(x, 2).flatten(1)),
     "node instance_norm (instance_norm): instance statistics of features (N, F): not read "
     "(PyTorch takes a 2-d input as one unbatched sample, its batch as the channels)"),
    (lambda m, x: F.avg_pool2d(x, (x.size(2), 2)),
     "node avg_pool2d (pool): a window or stride read from a tensor's size is read only "
     "as the whole input's (stride the same, no padding): a global pooling"),
])
def test_views_and_reductions_not_read_are_refused_in_one_line(fn, message):
    with pytest.raises(sc.SymconvError) as exc:
        sc.from_torch(_Fn(fn))
    assert str(exc.value) == message


def test_the_stacked_blocks_accept_every_size_their_convolutions_do():
    # three Linears after flattens no longer stop the reading: their features are fixed
    # by the global pooling, so each is checked at every size, and the accepted set is the
    # convolutions' own (the strided 3x3 without padding needs 3 at its input)
    graph = sc.from_torch(_Stacked())
    assert [a.smallest for a in graph.accepted()] == [5, 5]
    assert graph.accepted_sizes().text().splitlines()[0] == \
        "the Linear at head takes 16 features: 16 channels at adaptive_avg_pool2d times " \
        "sizes multiplying to 1"


def test_a_deep_network_of_gates_reads_in_linear_time():
    # each gate's view asked whether its input was flattened by walking every input of
    # every merge before it, again: 14 blocks took about a minute, 16 never ended
    graph = sc.from_torch(_SEResNet(24).eval())
    assert graph.output((32, 32)) == (10, ())


def test_a_view_with_a_batch_of_minus_one_says_it_is_read_per_sample():
    # 16 features viewed as (-1, 8, 1, 1): PyTorch folds them into a batch twice as large;
    # symconv reads it per sample, as its assumed: line says, and its refusal says so too
    model = _Fn(lambda m, x: x * m.fc16(x.mean((2, 3))).view(-1, 8, 1, 1))
    model.fc16 = nn.Linear(8, 16)
    graph = sc.from_torch(model)
    assert graph.failure((5, 5)) == (
        "view at view: 16 features viewed as (8, 1, 1) per sample, which holds 8; read per "
        "sample (the batch is -1: PyTorch folds a multiple of it into the batch)")
    assert graph.assumptions[0].startswith("view(-1, ...) at view is read per sample")


def test_a_reduction_over_the_channels_has_one_channel_whatever_the_input_has():
    class Pool(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 2, 3)

        def forward(self, x):
            return self.conv(torch.cat([x.mean(1, keepdim=True), x.amax(1, keepdim=True)], 1))
    graph = sc.from_torch(Pool())
    assert graph.in_channels is None and graph.output((9, 9)) == (2, (7, 7))
    for channels in (1, 2, 5):
        assert _runs(Pool(), (9, 9), channels) == (1, 2, 7, 7)


class _RawGate(nn.Module):
    """An SE gate on the raw input: no convolution reads it, the Linear's in_features (16)
    is the only thing that fixes its channel count."""

    def __init__(self, c=16, r=4):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(c, c // r), nn.Linear(c // r, c)

    def forward(self, x):
        y = torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean((2, 3))))))
        return x * y[:, :, None, None]


def test_a_gate_on_the_raw_input_takes_its_channel_count_from_the_linear():
    model = _RawGate().eval()
    graph = sc.from_torch(model)
    assert graph.in_channels == 16
    _agree(model, _SQUARE, 16, accepted=True)
    for channels in (8, 15, 17, 32):       # every other count is refused by PyTorch
        assert _runs(model, (5, 5), channels) is None


def test_a_gate_on_the_raw_input_with_a_wrong_linear_is_refused_at_every_count():
    class Wrong(nn.Module):
        def __init__(self, mid, out):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(16, 4), nn.Linear(mid, out)

        def forward(self, x):
            return x * torch.sigmoid(self.fc2(self.fc1(x.mean((2, 3)))))[:, :, None, None]
    # the Linears do not chain, or they chain on 16 channels and the gate has 8: no
    # channel count passes them and the merge
    for mid, out in ((8, 16), (4, 8)):
        with pytest.raises(sc.SymconvError, match=r"^no input channel count passes every "
                                                  r"layer \(1 to 16 tried; with 1: linear at "
                                                  r"fc1: "):
            sc.from_torch(Wrong(mid, out))
    for mid, out in ((8, 16), (4, 8)):
        for channels in range(1, 33):
            assert _runs(Wrong(mid, out), (5, 5), channels) is None


class _ECA(nn.Module):
    """ECA-Net's attention: a Conv1d(1, 1, k) along the pooled channels, written as the
    paper's code (``squeeze(-1).transpose(-1, -2)``, back with ``transpose`` and
    ``unsqueeze``; one ``squeeze`` per extra axis, none in 1-d) or as timm's
    (``x.mean(...).view(N, 1, -1)``, back with ``view(N, -1, 1, 1)``)."""

    def __init__(self, k=3, how="paper", nd=2, stride=1, c=8):
        super().__init__()
        self.nd, self.how = nd, how
        self.conv0 = (nn.Conv1d, nn.Conv2d, nn.Conv3d)[nd - 1](3, c, 3, 2, 1)
        self.pool = (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d)[nd - 1](1)
        self.conv = nn.Conv1d(1, 1, k, stride, (k - 1) // 2, bias=False)

    def forward(self, x):
        x = self.conv0(x)
        if self.how in ("timm", "pool_view"):
            y = x.mean(tuple(range(2, self.nd + 2))) if self.how == "timm" else self.pool(x)
            y = y.view(x.shape[0], 1, -1)        # pool_view: (N, C, 1, ...) as a row at once
            return x * torch.sigmoid(self.conv(y)).view(x.shape[0], -1, *(1,) * self.nd)
        y = self.pool(x)
        for _ in range(self.nd - 1):
            y = y.squeeze(-1)
        if self.how == "permute":       # the same swap written as a permutation
            y = self.conv(y.permute(0, 2, 1)).permute(0, 2, 1)
        else:
            y = self.conv(y.transpose(-1, -2)).transpose(-1, -2)
        for _ in range(self.nd - 1):
            y = y.unsqueeze(-1)
        return x * torch.sigmoid(y).expand_as(x)


@pytest.mark.parametrize("model, sizes", [
    (_ECA(), _SQUARE), (_ECA(5), _SQUARE), (_ECA(how="timm"), _SQUARE),
    (_ECA(5, "timm"), _SQUARE), (_ECA(nd=1), [(v,) for v in range(1, 30)]),
    (_ECA(nd=3), [(a, b, a) for a in range(1, 9) for b in (1, 4, 7)]),
    (_ECA(nd=3, how="timm"), [(a, b, a) for a in range(1, 9) for b in (1, 4, 7)]),
    (_ECA(how="pool_view"), _SQUARE), (_ECA(5, "pool_view", 1), [(v,) for v in range(1, 30)]),
    (_ECA(how="permute"), _SQUARE), (_ECA(5, "permute", 1), [(v,) for v in range(1, 30)]),
    (_ECA(5, "permute", 3), [(a, b, a) for a in range(1, 9)
                                                              for b in (1, 4, 7)]),
], ids=lambda v: f"{v.how}-{v.nd}d-k{v.conv.kernel_size[0]}-s{v.conv.stride[0]}"
    if isinstance(v, nn.Module) else "")
def test_eca_attention_reads_as_pytorch_runs_it(model, sizes):
    _agree(model.eval(), sizes, 3, accepted=True)


@pytest.mark.parametrize("model, gate", [(_ECA(4), 7), (_ECA(3, stride=2), 4),
                                         (_ECA(4, "timm"), 7), (_ECA(4, nd=1), 7),
                                         (_ECA(4, "pool_view"), 7), (_ECA(4, "permute"), 7)])
def test_an_eca_row_whose_length_changes_is_refused_at_every_size(model, gate):
    # the gate has 7 channels (an even kernel), or 4 (a stride), and PyTorch refuses it
    graph = sc.from_torch(model.eval())
    op = "mul" if model.how in ("timm", "pool_view") else "expand_as"
    message = f"{op} at {op}: channels [{gate}, 8] differ"
    with pytest.raises(sc.SymconvError) as err:
        graph.accepted_sizes()
    assert str(err.value) == f"no input size passes every layer: {message}"
    for size in [(v,) * model.nd for v in (1, 5, 16, 33)]:
        assert _runs(model, size) is None
        assert graph.failure(size) == message


def test_eca_counts_its_convolution_along_the_channels_by_the_relations():
    graph = sc.from_torch(_ECA(5, c=16).eval())
    assert graph.counts((8, 8))["conv"] == (5, 80)     # 16 positions along the channels x 5
    assert graph.failure((8, 8)) is None
    assert sc.from_torch(_ECA(4, c=16).eval()).failure((8, 8)) == \
        "expand_as at expand_as: channels [15, 16] differ"


@pytest.mark.parametrize("fn, message", [
    (lambda m, x: x * m.fc(x.mean((2, 3)).unsqueeze(1)).view(x.size(0), -1, 1, 1),
     "node fc (call_module fc) on features viewed as a row (N, 1, F) for a convolution along "
     "the channels: not read (Conv1d(1, 1, k), elementwise ops, and the row transposed or "
     "viewed back are)"),
    (lambda m, x: m.conv1d(x.mean((2, 3)).unsqueeze(1)),
     "node output (output output) on features viewed as a row (N, 1, F) for a convolution "
     "along the channels: not read (Conv1d(1, 1, k), elementwise ops, and the row "
     "transposed or viewed back are)"),
    (lambda m, x: x * m.wide(x.mean((2, 3)).unsqueeze(1)).view(x.size(0), -1, 1, 1),
     "node wide (Conv1d): on features viewed as a row (N, 1, F), takes 1 channels and gives "
     "2: not read (a Conv1d(1, 1, k) along the channels is)"),
    (lambda m, x: x * m.conv1d(F.adaptive_avg_pool2d(x, 1).transpose(-1, -2))
     .transpose(-1, -2).unsqueeze(-1),
     "node transpose (transpose): of a global pooling's 2 sizes of 1 left: not read (one "
     "is, (N, C, 1) as a row (N, 1, C))"),
])
def test_a_row_used_otherwise_is_refused_in_one_line(fn, message):
    class Row(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.fc = nn.Conv2d(3, 8, 3), nn.Linear(8, 8)
            self.conv1d, self.wide = nn.Conv1d(1, 1, 3, padding=1), nn.Conv1d(1, 2, 3, padding=1)

        def forward(self, x):
            return fn(self, self.conv(x))
    with pytest.raises(sc.SymconvError) as err:
        sc.from_torch(Row())
    assert str(err.value) == message


def test_a_gate_of_other_channels_from_a_pooled_view_is_accepted_at_no_size():
    # 2 x 2 pooled features viewed back as 32 channels onto 8: PyTorch refuses every
    # size; the per-axis runs do not count features, so accepted_sizes() used to accept
    # every size from (3, 3) (the merge's check of channels now decides every size)
    class Gate(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)

        def forward(self, x):
            x = self.conv(x)
            return x * torch.sigmoid(F.adaptive_avg_pool2d(x, 2).flatten(1)
                                     .view(x.size(0), -1, 1, 1))
    graph = sc.from_torch(Gate())
    with pytest.raises(sc.SymconvError) as err:
        graph.accepted_sizes()
    assert str(err.value) == "no input size passes every layer: mul at mul: channels [8, 32] differ"
    for size in ((3, 3), (9, 9), (20, 7)):
        assert _runs(Gate(), size) is None and not graph.accepts(size)


class _RowBack(nn.Module):
    """ECA's row through a Conv1d without padding (8 channels give 6), back to features
    (``view(b, -1)`` or ``squeeze(1)``) into a Linear, or viewed back as ``c`` channels."""

    def __init__(self, back, fin=6):
        super().__init__()
        self.back = back
        self.conv, self.row, self.fc = nn.Conv2d(3, 8, 3), nn.Conv1d(1, 1, 3), nn.Linear(fin, 2)

    def forward(self, x):
        x = self.conv(x)
        b, c, _, _ = x.size()
        y = self.row(x.mean((2, 3)).view(b, 1, -1))
        if self.back == "view_bc":
            return x * y.view(b, c, 1, 1)
        return self.fc(y.view(b, -1) if self.back == "view" else y.squeeze(1))


@pytest.mark.parametrize("back", ["view", "squeeze"])
def test_a_linear_after_a_row_takes_the_row_s_length(back):
    # the Linear's features are the row's 6, not the 8 pooled channels: every size runs
    # (accepted_sizes() was empty); a Linear of 8 fails at every size
    _agree(_RowBack(back).eval(), _SQUARE, 3, accepted=True)
    with pytest.raises(sc.SymconvError, match="^no input size passes every layer: linear at "
                                              "fc: in_features=8 but the flattened size is 6"):
        sc.from_torch(_RowBack(back, fin=8)).accepted_sizes()


def test_a_shortened_row_viewed_as_c_channels_is_accepted_at_no_size():
    # 6 features viewed as (8, 1, 1): PyTorch refuses every size (it was accepted)
    graph = sc.from_torch(_RowBack("view_bc"))
    with pytest.raises(sc.SymconvError, match="^no input size passes every layer: view at "):
        graph.accepted_sizes()
    for size in ((5, 5), (9, 7)):
        assert _runs(_RowBack("view_bc"), size) is None


def test_a_row_convolution_with_reflect_or_circular_padding_is_refused():
    for mode in ("reflect", "circular"):
        model = _ECA(19)
        model.conv = nn.Conv1d(1, 1, 19, padding=9, padding_mode=mode, bias=False)
        with pytest.raises(sc.SymconvError, match=f"padding_mode='{mode}': not read"):
            sc.from_torch(model)
