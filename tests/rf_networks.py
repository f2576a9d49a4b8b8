"""The TF-Slim networks of google-research/receptive_field's table, as symconv graphs.

Built from the definitions in tensorflow/models ``research/slim/nets`` (alexnet.py,
vgg.py, inception_v2.py, inception_v3.py, inception_v4.py, resnet_utils.py,
resnet_v1.py, resnet_v2.py, mobilenet_v1.py) with their real branches: every
Inception module is its parallel branches joined by a channel concat, every ResNet
unit its residual path added to its shortcut.  Only what sets sizes is kept: kernel
(height, width), stride and TF padding (``SAME``/``VALID``; ``conv2d_same`` with a
stride is an explicit ``tf.pad`` then a VALID conv).  Channels are left out (they do
not move a receptive field).  Each graph names its end points as the table does.

Slim's defaults matter: ``conv2d`` has stride 1 and SAME, ``max_pool2d`` and
``avg_pool2d`` stride 2 and VALID, unless an ``arg_scope`` says otherwise (the
Inception bodies and ResNet's ``resnet_arg_scope`` set SAME; AlexNet's pools stay
VALID).
"""

from __future__ import annotations

from collections.abc import Callable

import symconv as sc
from symconv.chain import Layer

Step = tuple  # ("conv"|"max"|"avg", kh, kw, stride, padding) or ("fork", steps_a, steps_b)


class Builder:
    """Appends nodes; each method returns the new node's name."""

    def __init__(self) -> None:
        self.nodes: list[sc.Node] = []

    def layer(self, name: str, src: str, kind: str, k: int | tuple[int, int], s: int,
              padding: str) -> str:
        kk = k if isinstance(k, tuple) else (k, k)
        self.nodes.append(sc.Node(name, "layer", (src,),
                                  Layer("conv" if kind == "conv" else "pool", k=kk, s=s,
                                        p=padding, framework="tf")))
        return name

    def conv(self, name: str, src: str, k: int | tuple[int, int], s: int = 1,
             padding: str = "SAME") -> str:
        return self.layer(name, src, "conv", k, s, padding)

    def pool(self, name: str, src: str, k: int | tuple[int, int], s: int = 2,
             padding: str = "VALID") -> str:
        return self.layer(name, src, "pool", k, s, padding)

    def pad(self, name: str, src: str, lo: int, hi: int) -> str:
        self.nodes.append(sc.Node(name, "pad", (src,), pads=((lo, hi), (lo, hi))))
        return name

    def cat(self, name: str, srcs: list[str]) -> str:
        self.nodes.append(sc.Node(name, "cat", tuple(srcs), dim=1))
        return name

    def add(self, name: str, srcs: list[str]) -> str:
        self.nodes.append(sc.Node(name, "add", tuple(srcs)))
        return name

    def steps(self, scope: str, src: str, steps: list[Step]) -> str:
        """A branch: its steps in sequence (``fork``: two parallel steps, concatenated)."""
        for n, st in enumerate(steps):
            name = f"{scope}/{n}"
            if st[0] == "fork":
                a = self.steps(f"{name}a", src, st[1])
                b = self.steps(f"{name}b", src, st[2])
                src = self.cat(name, [a, b])
            else:
                kind, kh, kw, s, padding = st
                src = self.layer(name, src, "conv" if kind == "conv" else "pool", (kh, kw), s,
                                 padding)
        return src

    def module(self, name: str, src: str, branches: list[list[Step]]) -> str:
        """An Inception module: its branches from ``src``, concatenated on channels."""
        outs = [self.steps(f"{name}/Branch_{b}", src, br) for b, br in enumerate(branches)]
        return self.cat(name, outs)

    def graph(self) -> sc.Graph:
        return sc.Graph(tuple(self.nodes), ndim=2)


def c(kh: int, kw: int | None = None, s: int = 1, padding: str = "SAME") -> Step:
    return ("conv", kh, kh if kw is None else kw, s, padding)


def mx(k: int, s: int = 1, padding: str = "SAME") -> Step:
    return ("max", k, k, s, padding)


def av(k: int, s: int = 1, padding: str = "SAME") -> Step:
    return ("avg", k, k, s, padding)


# --- AlexNet v2 and VGG (alexnet.py, vgg.py) ------------------------------------------
def alexnet_v2() -> sc.Graph:
    b, sc_ = Builder(), "alexnet_v2"
    net = b.conv(f"{sc_}/conv1", "x", 11, 4, "VALID")
    net = b.pool(f"{sc_}/pool1", net, 3, 2)
    net = b.conv(f"{sc_}/conv2", net, 5)
    net = b.pool(f"{sc_}/pool2", net, 3, 2)
    for n in (3, 4, 5):
        net = b.conv(f"{sc_}/conv{n}", net, 3)
    b.pool(f"{sc_}/pool5", net, 3, 2)
    return b.graph()


def _vgg(scope: str, repeats: tuple[int, ...]) -> sc.Graph:
    b, net = Builder(), "x"
    for block, times in enumerate(repeats, start=1):
        for n in range(1, times + 1):
            net = b.conv(f"{scope}/conv{block}/conv{block}_{n}", net, 3)
        net = b.pool(f"{scope}/pool{block}", net, 2)
    return b.graph()


def vgg_a() -> sc.Graph:
    return _vgg("vgg_a", (1, 1, 2, 2, 2))


def vgg_16() -> sc.Graph:
    return _vgg("vgg_16", (2, 2, 3, 3, 3))


# --- Inception v2, v3, v4 (inception_v2.py, inception_v3.py, inception_v4.py) ---------
def inception_v2() -> sc.Graph:
    b = Builder()
    # Conv2d_1a_7x7 is a separable conv: a 7x7 depthwise conv (stride 2), then 1x1
    net = b.conv("Conv2d_1a_7x7", "x", 7, 2)
    net = b.pool("MaxPool_2a_3x3", net, 3, 2, "SAME")
    net = b.conv("Conv2d_2b_1x1", net, 1)
    net = b.conv("Conv2d_2c_3x3", net, 3)
    net = b.pool("MaxPool_3a_3x3", net, 3, 2, "SAME")
    inception = [[c(1)], [c(1), c(3)], [c(1), c(3), c(3)]]
    reduction = [[c(1), c(3, s=2)], [c(1), c(3), c(3, s=2)], [mx(3, 2)]]
    for name in ("Mixed_3b", "Mixed_3c"):
        net = b.module(name, net, inception + [[av(3), c(1)]])
    net = b.module("Mixed_4a", net, reduction)
    for name in ("Mixed_4b", "Mixed_4c", "Mixed_4d", "Mixed_4e"):
        net = b.module(name, net, inception + [[av(3), c(1)]])
    net = b.module("Mixed_5a", net, reduction)
    net = b.module("Mixed_5b", net, inception + [[av(3), c(1)]])
    b.module("Mixed_5c", net, inception + [[mx(3), c(1)]])
    return b.graph()


def _stem_v3(b: Builder) -> str:
    net = b.conv("Conv2d_1a_3x3", "x", 3, 2, "VALID")
    net = b.conv("Conv2d_2a_3x3", net, 3, 1, "VALID")
    return b.conv("Conv2d_2b_3x3", net, 3, 1, "SAME")


def inception_v3() -> sc.Graph:
    b = Builder()
    net = _stem_v3(b)
    net = b.pool("MaxPool_3a_3x3", net, 3, 2, "VALID")
    net = b.conv("Conv2d_3b_1x1", net, 1, 1, "VALID")
    net = b.conv("Conv2d_4a_3x3", net, 3, 1, "VALID")
    net = b.pool("MaxPool_5a_3x3", net, 3, 2, "VALID")
    for name in ("Mixed_5b", "Mixed_5c", "Mixed_5d"):
        net = b.module(name, net, [[c(1)], [c(1), c(5)], [c(1), c(3), c(3)], [av(3), c(1)]])
    net = b.module("Mixed_6a", net, [[c(3, s=2, padding="VALID")],
                                     [c(1), c(3), c(3, s=2, padding="VALID")],
                                     [mx(3, 2, "VALID")]])
    for name in ("Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"):
        net = b.module(name, net, [[c(1)], [c(1), c(1, 7), c(7, 1)],
                                   [c(1), c(7, 1), c(1, 7), c(7, 1), c(1, 7)], [av(3), c(1)]])
    net = b.module("Mixed_7a", net, [[c(1), c(3, s=2, padding="VALID")],
                                     [c(1), c(1, 7), c(7, 1), c(3, s=2, padding="VALID")],
                                     [mx(3, 2, "VALID")]])
    for name in ("Mixed_7b", "Mixed_7c"):
        net = b.module(name, net, [[c(1)], [c(1), ("fork", [c(1, 3)], [c(3, 1)])],
                                   [c(1), c(3), ("fork", [c(1, 3)], [c(3, 1)])],
                                   [av(3), c(1)]])
    return b.graph()


def inception_v4() -> sc.Graph:
    b = Builder()
    net = _stem_v3(b)
    net = b.module("Mixed_3a", net, [[mx(3, 2, "VALID")], [c(3, s=2, padding="VALID")]])
    net = b.module("Mixed_4a", net, [[c(1), c(3, padding="VALID")],
                                     [c(1), c(1, 7), c(7, 1), c(3, padding="VALID")]])
    net = b.module("Mixed_5a", net, [[c(3, s=2, padding="VALID")], [mx(3, 2, "VALID")]])
    for idx in "bcde":          # Inception-A
        net = b.module(f"Mixed_5{idx}", net, [[c(1)], [c(1), c(3)], [c(1), c(3), c(3)],
                                              [av(3), c(1)]])
    net = b.module("Mixed_6a", net, [[c(3, s=2, padding="VALID")],     # Reduction-A
                                     [c(1), c(3), c(3, s=2, padding="VALID")],
                                     [mx(3, 2, "VALID")]])
    for idx in "bcdefgh":       # Inception-B
        net = b.module(f"Mixed_6{idx}", net, [[c(1)], [c(1), c(1, 7), c(7, 1)],
                                              [c(1), c(7, 1), c(1, 7), c(7, 1), c(1, 7)],
                                              [av(3), c(1)]])
    net = b.module("Mixed_7a", net, [[c(1), c(3, s=2, padding="VALID")],    # Reduction-B
                                     [c(1), c(1, 7), c(7, 1), c(3, s=2, padding="VALID")],
                                     [mx(3, 2, "VALID")]])
    for idx in "bcd":           # Inception-C
        net = b.module(f"Mixed_7{idx}", net, [
            [c(1)], [c(1), ("fork", [c(1, 3)], [c(3, 1)])],
            [c(1), c(3, 1), c(1, 3), ("fork", [c(1, 3)], [c(3, 1)])], [av(3), c(1)]])
    return b.graph()


# --- ResNet v1 / v2 (resnet_utils.py, resnet_v1.py, resnet_v2.py) ----------------------
def _conv2d_same(b: Builder, name: str, src: str, k: int, s: int) -> str:
    """resnet_utils.conv2d_same: SAME with stride 1; else pad k-1 split (beg, end), VALID."""
    if s == 1:
        return b.conv(name, src, k, 1, "SAME")
    total = k - 1
    return b.conv(name, b.pad(f"{name}/pad", src, total // 2, total - total // 2), k, s, "VALID")


def _resnet(scope: str, units: tuple[int, int, int, int]) -> sc.Graph:
    """Slim's ResNet (v1 and v2 have the same spatial structure): conv1 = conv2d_same 7x7
    stride 2, pool1 = 3x3 max pool stride 2 SAME, then blocks of bottleneck units whose
    *last* unit has the block's stride (2, 2, 2, 1): residual 1x1, conv2d_same 3x3 (the
    stride), 1x1; shortcut: subsample (1x1 max pool with the stride) or a 1x1 conv."""
    b = Builder()
    net = _conv2d_same(b, f"{scope}/conv1", "x", 7, 2)
    net = b.pool(f"{scope}/pool1", net, 3, 2, "SAME")
    for block, (n_units, stride) in enumerate(zip(units, (2, 2, 2, 1), strict=True), start=1):
        for u in range(1, n_units + 1):
            s = stride if u == n_units else 1
            unit = f"{scope}/block{block}/unit_{u}"
            if u == 1:       # depth changes: a projection shortcut
                short = b.conv(f"{unit}/shortcut", net, 1, s)
            else:
                short = b.pool(f"{unit}/shortcut", net, 1, s, "SAME") if s > 1 else net
            res = b.conv(f"{unit}/conv1", net, 1)
            res = _conv2d_same(b, f"{unit}/conv2", res, 3, s)
            res = b.conv(f"{unit}/conv3", res, 1)
            name = f"{scope}/block{block}" if u == n_units else f"{unit}/add"
            net = b.add(name, [short, res])
    return b.graph()


def _resnets() -> dict[str, Callable[[], sc.Graph]]:
    depths = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}
    out: dict[str, Callable[[], sc.Graph]] = {}
    for version in ("v1", "v2"):
        for depth, units in depths.items():
            name = f"resnet_{version}_{depth}"
            out[name] = (lambda n=name, u=units: _resnet(n, u))
    return out


# --- MobileNet v1 (mobilenet_v1.py) ----------------------------------------------------
def mobilenet_v1() -> sc.Graph:
    """Conv2d_0: 3x3 stride 2; then 13 depthwise-separable layers (3x3 depthwise with the
    stride, 1x1 pointwise), strides 1,2,1,2,1,2,1,1,1,1,1,2,1; all SAME (the depth
    multiplier of mobilenet_v1_075 changes channels only)."""
    b = Builder()
    net = b.conv("Conv2d_0", "x", 3, 2)
    for n, s in enumerate((1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1), start=1):
        net = b.conv(f"Conv2d_{n}_depthwise", net, 3, s)
        net = b.conv(f"Conv2d_{n}_pointwise", net, 1)
    return b.graph()


NETWORKS: dict[str, Callable[[], sc.Graph]] = {
    "alexnet_v2": alexnet_v2, "vgg_a": vgg_a, "vgg_16": vgg_16,
    "inception_v2": inception_v2, "inception_v3": inception_v3, "inception_v4": inception_v4,
    "inception_v2-no-separable-conv": inception_v2, "mobilenet_v1": mobilenet_v1,
    "mobilenet_v1_075": mobilenet_v1, **_resnets()}
"""Every network of the table but inception_resnet_v2, by the table's name."""
