"""Graphs read from nn.Modules through torch.fx: per-node shapes against PyTorch run live
(meta device), accepted inputs against brute force, counts against PyTorch's own."""

import random

import pytest

import symconv as sc
from symconv.graph import Graph, GraphError

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional


class Residual(nn.Module):
    def __init__(self, c, stride, k=(3, 3)):
        super().__init__()
        pad = tuple(x // 2 for x in k)
        self.conv1 = nn.Conv2d(c, c * stride, k, stride, pad, bias=False)
        self.bn = nn.BatchNorm2d(c * stride)
        self.conv2 = nn.Conv2d(c * stride, c * stride, k, 1, pad, bias=False)
        self.down = nn.Conv2d(c, c * stride, 1, stride, bias=False) if stride > 1 else None

    def forward(self, x):
        y = self.conv2(F.relu(self.bn(self.conv1(x))))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResNet50ish(nn.Module):
    """ResNet-50's shapes: 7x7/2 stem, 3x3/2 max pool, bottlenecks [3, 4, 6, 3], avgpool, fc."""

    def __init__(self, classes=1000):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.pool = nn.MaxPool2d(3, 2, 1)
        blocks, c = [], 64
        for n, (width, count) in enumerate(zip((64, 128, 256, 512), (3, 4, 6, 3), strict=True)):
            for j in range(count):
                blocks.append(Bottleneck(c, width, 2 if j == 0 and n > 0 else 1))
                c = width * 4
        self.blocks = nn.Sequential(*blocks)
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        x = self.blocks(self.pool(F.relu(self.stem(x))))
        return self.fc(torch.flatten(self.avg(x), 1))


class Bottleneck(nn.Module):
    def __init__(self, c_in, width, stride):
        super().__init__()
        self.a = nn.Conv2d(c_in, width, 1, bias=False)
        self.b = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.c = nn.Conv2d(width, width * 4, 1, bias=False)
        self.down = nn.Conv2d(c_in, width * 4, 1, stride, bias=False) \
            if stride != 1 or c_in != width * 4 else None

    def forward(self, x):
        y = self.c(F.relu(self.b(F.relu(self.a(x)))))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class UNet(nn.Module):
    """Depth 4, 2-d, non-square kernels: valid convs, max pool, transposed conv, crop-free cat."""

    def __init__(self, c=4, depth=4):
        super().__init__()
        self.depth = depth
        self.down = nn.ModuleList()
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        ch = 1
        for n in range(depth):
            self.down.append(nn.Conv2d(ch, c << n, (3, 5), padding=(1, 2)))
            ch = c << n
        self.mid = nn.Conv2d(ch, ch * 2, 3, padding=1)
        ch *= 2
        for n in reversed(range(depth)):
            self.up.append(nn.ConvTranspose2d(ch, c << n, 2, 2))
            self.dec.append(nn.Conv2d(2 * (c << n), c << n, (3, 1), padding=(1, 0)))
            ch = c << n

    def forward(self, x):
        skips = []
        for conv in self.down:
            x = F.relu(conv(x))
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.mid(x)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips), strict=True):
            x = dec(torch.cat([up(x), skip], 1))
        return x


def _torch_shapes(module, size, channels):
    """Every fx node's output shape, run live on the meta device."""
    gm = torch.fx.symbolic_trace(module)
    out = {}
    env = {}
    x = torch.empty(1, channels, *size, device="meta")
    gm = gm.to("meta")
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
            elif node.op == "call_method":
                env[node.name] = getattr(args[0], node.target)(*args[1:], **kwargs)
            elif node.op == "get_attr":
                obj = gm
                for part in node.target.split("."):
                    obj = getattr(obj, part)
                env[node.name] = obj
        if isinstance(env.get(node.name), torch.Tensor):
            out[node.name] = tuple(env[node.name].shape)
    return out


def _check_against_torch(module, graph, size, channels):
    try:
        ref = _torch_shapes(module, size, channels)
    except RuntimeError:
        ref = None
    if ref is None:
        assert not graph.accepts(size), size
        return False
    shapes = graph.shapes(size)
    assert graph.accepts(size), (size, graph.failure(size))
    for name, (c, sz) in shapes.items():
        if name in ref:
            want = ref[name]
            assert (c, sz) == (want[1], want[2:]) if sz else c == want[1], (name, size, want)
    return True


def test_resnet50_shaped_net_shapes_counts_and_in_features():
    model = ResNet50ish().eval()
    graph = sc.from_torch(model)
    assert isinstance(graph, Graph)
    for size in [(224, 160), (1, 1), (31, 64)]:
        _check_against_torch(model, graph, size, 3)
    counts = graph.counts((224, 160))
    convs = sum(m.weight.numel() + (m.bias.numel() if m.bias is not None else 0)
                for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))
    assert sum(p for p, _ in counts.values()) == convs
    assert graph.in_features((224, 160)) == {"fc": 2048}
    # accepted sizes: every size from the smallest on (adaptive pooling absorbs the rest)
    acc = graph.accepted()
    for j, a in enumerate(acc):
        for x in range(1, 40, 6):
            size = [9, 9]
            size[j] = x
            assert (x in a) == graph.accepts(tuple(size)) == (
                _check_against_torch(model, graph, tuple(size), 3)), x


def test_unet_depth4_non_square_accepted_inputs_and_first_failing_node():
    model = UNet().eval()
    graph = sc.from_torch(model)
    acc = graph.accepted()
    for j, a in enumerate(acc):
        for x in range(1, 70):
            size = [32, 48]
            size[j] = x
            ok = _check_against_torch(model, graph, tuple(size), 1)
            assert (x in a) == ok, (j, x)
    assert [a.period for a in acc] == [16, 16] and acc[0].residues == (0,)
    msg = graph.failure((250, 64))
    assert msg == "cat at cat: 30 vs 31 on axis 0"
    with pytest.raises(GraphError, match="cat at cat: 30 vs 31 on axis 0"):
        graph.shapes((250, 64))
    assert acc[0].nearest(250) == 256
    # symbolic sizes per node agree with the numbers
    exprs = graph.exprs()
    for x in (32, 48, 64, 256):
        shapes = graph.shapes((x, x))
        for name, (_c, sz) in shapes.items():
            if name in exprs and sz:
                assert tuple(int(e.subs(sc.i, x)) for e in exprs[name]) == sz, name


@pytest.mark.parametrize("seed", range(10))
def test_generated_dags_match_pytorch(seed):
    rng = random.Random(seed)
    ndim = 1 + seed % 3
    conv = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[ndim]
    pool = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[ndim]
    ks = [tuple(rng.randint(1, 3) * 2 + 1 for _ in range(ndim)) for _ in range(3)]
    st = [tuple(rng.randint(1, 2) for _ in range(ndim)) for _ in range(3)]
    merge = rng.choice(["add", "cat", "mul"])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = conv(2, 4, ks[0], st[0], tuple(k // 2 for k in ks[0]))
            self.b = conv(2, 4, ks[1], st[0], tuple(rng.randint(0, k // 2) for k in ks[1]))
            self.c = conv(8 if merge == "cat" else 4, 3, ks[2], st[2])

        def forward(self, x):
            y, z = self.a(x), self.b(x)
            m = torch.cat([y, z], 1) if merge == "cat" else (y + z if merge == "add" else y * z)
            return pool(self.c(m), 2)

    model = Net()
    graph = sc.from_torch(model)
    assert graph.ndim == ndim
    acc = graph.accepted()
    for _ in range(10):
        size = tuple(rng.randint(1, 30) for _ in range(ndim))
        ok = _check_against_torch(model, graph, size, 2)
        assert ok == all(x in a for x, a in zip(size, acc, strict=True)), size


def test_functional_calls_pad_slice_interpolate_view():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)
            self.shuffle = nn.PixelShuffle(2)
            self.fc = nn.Linear(2 * 12 * 12, 10)

        def forward(self, x):
            x = F.pad(self.conv(x), (1, 0, 2, 1))
            x = x[:, :, 1:-1, ::2]
            x = F.interpolate(x, scale_factor=2)
            x = F.max_pool2d(x, 3, 2, 1)
            x = self.shuffle(x)
            x = F.adaptive_avg_pool2d(x, (12, 12))
            return self.fc(x.view(x.shape[0], -1) if False else x.flatten(1))

    model = Net()
    graph = sc.from_torch(model)
    for size in [(20, 20), (9, 17), (3, 3), (2, 5)]:
        _check_against_torch(model, graph, size, 3)
    assert graph.in_features((20, 20)) == {"fc": 288}


def test_refusals_name_the_node_and_op():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(4, 4)

        def forward(self, x):
            return self.rnn(x)
    with pytest.raises(sc.UsageError, match=r"^layer rnn \(LSTM\) is not supported by from_torch"):
        sc.from_torch(Net())

    class Dyn(nn.Module):
        def forward(self, x):
            return torch.topk(x, 2)[0]
    with pytest.raises(sc.UsageError, match=r"^node topk \(call_function topk\) is not supported"):
        sc.from_torch(Dyn())


def test_table_flags_every_merge_whose_inputs_disagree():
    model = UNet().eval()
    graph = sc.from_torch(model)
    data = graph.table_json((250, 64))
    flags = [r["flag"] for r in data["nodes"] if r["flag"]]
    assert flags == ["cat at cat: 30 vs 31 on axis 0", "cat at cat_1: 60 vs 62 on axis 0",
                     "cat at cat_2: 120 vs 125 on axis 0", "cat at cat_3: 240 vs 250 on axis 0"]
    assert data["first_failure"] == flags[0] and data["accepted"] is False
    ok = graph.table_json((256, 64))
    assert not any(r["flag"] for r in ok["nodes"]) and ok["accepted"] is True
    ref = _torch_shapes(model, (256, 64), 1)
    for r in ok["nodes"]:
        if r["name"] in ref:
            assert tuple(r["out"]) == ref[r["name"]][2:]
    assert ok["params"] == sum(p.numel() for p in model.parameters())
    text = graph.table_text((250, 64)).splitlines()
    assert text[text.index(next(t for t in text if t.startswith("cat "))) + 1] == \
        "  ! cat at cat: 30 vs 31 on axis 0"
    assert r"cat & cat & 30 \times 64" not in graph.table_latex((256, 64))
    assert graph.table_latex((250, 64)).count("cat at cat") == 4


def _slice_cases():
    bounds = [None, 0, 1, 3, 7, -1, -3, -8]
    steps = [None, 1, 2, 3, -1, -2]
    rng = random.Random(11)
    return [(rng.choice(bounds), rng.choice(bounds), rng.choice(steps)) for _ in range(60)]


@pytest.mark.parametrize("bounds", _slice_cases())
def test_a_slices_formula_is_pythons_length_at_every_size(bounds):
    # Python's, but ONNX's Slice (the only source of a negative step: PyTorch's are
    # positive) keeps element 0 where a negative step starts before it
    from symconv.chain import Layer
    from symconv.graph import Graph, Node
    g = Graph((Node("c", "layer", ("x",), Layer("conv", k=3, s=2, p=1)),
               Node("cut", "slice", ("c",), slices=(bounds,))), ndim=1)
    (formula,) = g.exprs()["cut"]
    for size in range(1, 40):
        try:
            shape = g.shapes(size)["cut"][1][0]
        except sc.SymconvError:          # empty slices are refused (PyTorch: 0 elements)
            shape = None
        mid = (size + 2 - 3) // 2 + 1
        start, stop, step = bounds
        if step is not None and step < 0 and start is not None and start < -mid:
            start = 0
        want = len(range(mid)[slice(start, stop, step)])
        assert formula.subs(sc.i, size) == want, (bounds, size, formula)
        assert shape in (want, None) and (shape is None) == (want == 0)


def test_a_slice_to_another_tensors_size_has_a_formula():
    from symconv._sizes import SizeOf
    from symconv.chain import Layer
    from symconv.graph import Graph, Node
    g = Graph((Node("down", "layer", ("x",), Layer("pool", k=2, s=2)),
               Node("up", "layer", ("down",), Layer("upsample", factor=2)),
               Node("crop", "slice", ("x",), slices=((None, SizeOf("up", 0), None),)),
               Node("skip", "cat", ("crop", "up"))), ndim=1)
    assert tuple(map(str, g.exprs()["crop"])) == ("2*floor(i/2)",)
