"""ONNX models and padding forms.

* Keras ``causal``/``full`` padding against a window count written here (keras is not
  installed: the brute force is the definition, windows of the dilated kernel over the
  padded input).
* Hand-built ONNX graphs (onnx.helper) read by ``sc.from_onnx``, every node's shape
  against ``onnx.shape_inference.infer_shapes`` over ranges of input sizes: auto_pad
  SAME_UPPER/SAME_LOWER/VALID, pooling pads PyTorch refuses, ceil mode, Resize by
  sizes and scales, Gemm/MatMul in_features, refusals naming the node.
* PyTorch models (residual, concat, multi-branch, 1-/2-/3-d, non-square, ceil mode,
  asymmetric ``F.pad``) exported with ``torch.onnx.export`` and read back: every node
  against ONNX shape inference, the output and the refusals against PyTorch run live.
* ``symconv net model.onnx`` and ``symconv net --torch module:attr``.
"""

from __future__ import annotations

import json
import math
import re
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.chain import Chain, Layer, Sides
from symconv.cli import main
from symconv.errors import DomainError, SymconvError, UsageError
from symconv.frameworks import preset

# --- padding forms: Keras causal and full --------------------------------------------


def _windows(length: int, khat: int, s: int) -> int:
    """How many windows of ``khat`` units, ``s`` apart from position 0, fit in ``length``."""
    n, start = 0, 0
    while start + khat <= length:
        n, start = n + 1, start + s
    return n


@settings(max_examples=200, deadline=None)
@given(i=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3))
def test_causal_padding_is_all_before_and_counts_the_windows(i: int, k: int, s: int, d: int) -> None:
    khat = d * (k - 1) + 1
    if s > 1 and d > 1:                 # Keras refuses strides with dilation
        with pytest.raises(DomainError):
            Layer("conv", k=k, s=s, d=d, p="causal", framework="keras")
        return
    layer = Layer("conv", k=k, s=s, d=d, p="causal", framework="keras")
    assert layer.pads(i) == (khat - 1, 0)
    assert layer.output(i) == _windows(i + khat - 1, khat, s)
    # causal: output t reads input positions up to t*s, never after
    for t in range(layer.output(i)):
        lo, hi = layer.back(t, t, i)
        assert (lo, hi) == (t * s - (khat - 1), t * s)


@settings(max_examples=200, deadline=None)
@given(i=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3))
def test_full_padding_is_every_partial_overlap(i: int, k: int, s: int, d: int) -> None:
    khat = d * (k - 1) + 1
    if s > 1 and d > 1:
        with pytest.raises(DomainError):
            Layer("conv", k=k, s=s, d=d, p="full", framework="tf")
        return
    layer = Layer("conv", k=k, s=s, d=d, p="full", framework="tf")
    assert layer.pads(i) == (khat - 1, khat - 1)
    o = layer.output(i)
    assert o == _windows(i + 2 * (khat - 1), khat, s)
    # every window overlaps the input in at least one unit: [t s - (khat-1), t s] meets [0, i)
    for t in range(o):
        lo, hi = layer.back(t, t, i)
        assert lo <= i - 1 and hi >= 0
    if s == 1:
        assert o == i + khat - 1          # Dumoulin & Visin relationship 4, dilated


def test_causal_and_full_are_keras_words_in_layer_text() -> None:
    net = Chain.parse("conv k=3 d=2 p=causal | conv k=3 s=2 p=full")
    assert [ly.framework for ly in net.layers] == ["keras", "keras"]
    assert net.output(10) == _windows(_windows(10 + 4, 5, 1) + 4, 3, 2)
    # the formula holds for every size, not only the one asked
    expr = net.output_expr()
    for i in range(1, 60):
        assert int(expr.subs(sc.i, i)) == net.output(i)
    assert Chain.parse("conv k=3 p=causal framework=tf").layers[0].framework == "tf"
    with pytest.raises(SymconvError, match="framework=keras"):
        Layer("conv", k=3, p="causal").output(5)       # PyTorch has no 'causal'


def test_the_presets_read_the_relations() -> None:
    from symconv.relations import RULES
    for name, mode in (("pad_causal", "causal"), ("pad_full", "full")):
        total = RULES[name].rhs
        for k, d in ((3, 1), (4, 2), (1, 3)):
            res = preset("keras", mode).apply(i=9, k=k, d=d)
            assert res.total == int(total.subs({sc.k: k, sc.d: d}))


# --- ONNX pooling follows ONNX -----------------------------------------------------------

def test_onnx_pooling_takes_pads_pytorch_refuses() -> None:
    with pytest.raises(DomainError, match="2p <= k"):
        Layer("pool", k=3, s=1, p=2)                    # PyTorch: pad at most half the kernel
    layer = Layer("pool", k=3, s=1, p=2, framework="onnx")     # ONNX: each pad below k
    assert layer.output(5) == 5 + 4 - 3 + 1
    asym = Layer("pool", k=3, s=2, p=Sides(0, 2), framework="onnx", ceil_mode=True)
    # ceil((6 + 2 - 3)/2) + 1 = 4 windows start at 0, 2, 4, 6; the one at 6 starts in the
    # padding after the input, and ONNX drops it as PyTorch does
    assert asym.output(6) == 3
    assert asym.output(7) == 4


# --- ONNX: hand-built graphs -------------------------------------------------------------

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper, shape_inference
except ImportError:          # the tests below skip: symconv[onnx] is an optional extra
    onnx = None
needs_onnx = pytest.mark.skipif(onnx is None, reason="needs onnx (symconv[onnx])")


def _model(nodes, inits=(), ndim=2, channels=3, opset=18, outputs=None):
    dims = [1, channels] + [f"x{j}" for j in range(ndim)]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)
    last = nodes[-1].output[0]
    ys = [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in (outputs or [last])]
    graph = helper.make_graph(nodes, "g", [x], ys, initializer=list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def _folded(model):
    """The model with its input-free subgraphs (exporters compute Pad's pads so) replaced
    by initializers, computed by onnx's reference evaluator: ONNX shape inference does
    not propagate them."""
    from onnx.reference import ReferenceEvaluator
    consts = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    keep = []
    for node in model.graph.node:
        if node.op_type == "Constant" or (node.input and all(x in consts for x in node.input if x)):
            outs = ReferenceEvaluator(node).run(None, {x: consts[x] for x in node.input if x})
            consts.update(zip(node.output, outs, strict=False))
        else:
            keep.append(node)
    m = onnx.ModelProto()
    m.CopyFrom(model)
    del m.graph.node[:]
    m.graph.node.extend(keep)
    del m.graph.initializer[:]
    m.graph.initializer.extend(numpy_helper.from_array(np.asarray(v), k) for k, v in consts.items())
    return m


def _inferred(model, sizes):
    """Every tensor's shape from ONNX shape inference, the input fixed to ``sizes``."""
    m = _folded(model)
    for dim, v in zip(m.graph.input[0].type.tensor_type.shape.dim[2:], sizes, strict=True):
        dim.Clear()
        dim.dim_value = v
    inferred = shape_inference.infer_shapes(m, strict_mode=False, data_prop=True)
    out = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
        tt = vi.type.tensor_type
        if tt.HasField("shape"):
            out[vi.name] = tuple(d.dim_value if d.HasField("dim_value") else None
                                 for d in tt.shape.dim)
    return out


def _node_tensors(model):
    """symconv's node name (the ONNX node's name, else its first output) -> that output."""
    return {(n.name or n.output[0]): n.output[0] for n in model.graph.node}


def _compare(model, sizes, graph=None):
    """Every node symconv reads against ONNX shape inference at input ``sizes``."""
    graph = graph or sc.from_onnx(model)
    ours = graph.shapes(sizes)
    theirs = _inferred(model, sizes)
    tensors = _node_tensors(model)
    checked = 0
    for name, (ch, sz) in ours.items():
        if name not in tensors or tensors[name] not in theirs:
            continue
        shape = theirs[tensors[name]]
        node = graph.nodes[[n.name for n in graph.nodes].index(name)]
        if sz and node.layer is not None and node.layer.kind == "pool" and node.layer.ceil_mode:
            # onnx 1.23's shape inference keeps a last window that starts in the padding after
            # the input; ONNX's operator text ("sliding windows that would start in the right
            # padded region are ignored") and onnxruntime drop it, as symconv does
            src = ours[node.inputs[0]][1]
            for j, (x, got) in enumerate(zip(src, sz, strict=True)):
                ly = node.layer.at(j)
                p_l, p_r = ly.pads(x)
                n_ceil = -(-(x + p_l + p_r - ly.khat) // ly.s) + 1
                assert got == sum(1 for t in range(n_ceil) if t * ly.s - p_l < x)
                assert shape[2 + j] == n_ceil
            checked += 1
            continue
        if sz:
            assert shape[2:] == sz, (name, sizes, shape, sz)
            if ch is not None and shape[1] is not None:
                assert shape[1] == ch, (name, shape, ch)
        else:
            assert shape[-1] == ch, (name, shape, ch)
        checked += 1
    return checked


def _conv_node(name, inp, out, cin, cout, k, **attrs):
    w = _init(f"{name}_w", np.zeros((cout, cin) + tuple(k), dtype=np.float32))
    return helper.make_node("Conv", [inp, w.name], [out], name=name, **attrs), w


@needs_onnx
@pytest.mark.parametrize("mode", ["SAME_UPPER", "SAME_LOWER", "VALID"])
@pytest.mark.parametrize(("k", "s", "d"), [((3, 4), (2, 3), (1, 1)), ((5, 2), (1, 2), (2, 1)),
                                           ((2, 2), (3, 1), (1, 1))])
def test_auto_pad_on_conv_and_pool_matches_onnx(mode, k, s, d) -> None:
    conv, w = _conv_node("conv", "x", "c", 3, 4, k, strides=list(s), dilations=list(d),
                         auto_pad=mode)
    pool = helper.make_node("MaxPool", ["c"], ["p"], name="pool", kernel_shape=list(k),
                            strides=list(s), auto_pad=mode)
    model = _model([conv, pool], [w])
    if mode != "VALID" and max(d) > 1:
        # onnxruntime refuses a Conv's SAME_* with a dilation ("Dilation not supported")
        with pytest.raises(DomainError, match="onnx takes no dilation above 1 with SAME"):
            sc.from_onnx(model)
        return
    if mode != "VALID" and any(kk < ss for kk, ss in zip(k, s, strict=True)):
        # the MaxPool's SAME padding is negative at some sizes: onnxruntime refuses it
        with pytest.raises(DomainError, match="a kernel below its stride"):
            sc.from_onnx(model)
        return
    graph = sc.from_onnx(model)
    khat = [dd * (kk - 1) + 1 for kk, dd in zip(k, d, strict=True)]
    for h in range(1, 19):
        for wd in (1, 6, 7, 13):
            sizes = (h, wd)
            if mode == "VALID" and (h < khat[0] or wd < khat[1]):
                assert graph.failure(sizes) is not None
                continue
            if not graph.accepts(sizes):
                theirs = _inferred(model, sizes)
                if graph.failure(sizes).startswith("layer at conv"):
                    # ONNX shape inference truncates toward zero and gives a size for a
                    # kernel that does not fit; onnxruntime refuses it ("Invalid input
                    # shape"), as symconv does
                    assert theirs["c"][2] < khat[0] or theirs["c"][3] < khat[1] or \
                        h < khat[0] or wd < khat[1]
                    continue
                assert min(v for v in theirs["p"][2:]) < 1     # ONNX: an empty output
                continue
            assert _compare(model, sizes, graph) == 2
    # the padding goes where ONNX puts it: SAME_LOWER's odd extra before the input
    layer = graph.nodes[0].layer.at(0)
    if mode != "VALID":
        p_l, p_r = layer.pads(10)
        total = p_l + p_r
        assert (p_l, p_r) == ((total - total // 2, total // 2) if mode == "SAME_LOWER"
                              else (total // 2, total - total // 2))


@needs_onnx
@pytest.mark.parametrize("ceil", [0, 1])
@pytest.mark.parametrize(("k", "pads", "s"), [((3, 4), (2, 0, 1, 3), (1, 2)),
                                              ((3, 3), (0, 2, 2, 1), (2, 2)),
                                              ((4, 4), (3, 3, 3, 3), (3, 1))])
def test_pooling_pads_pytorch_refuses_follow_onnx(ceil, k, pads, s) -> None:
    pool = helper.make_node("AveragePool", ["x"], ["p"], name="pool", kernel_shape=list(k),
                            strides=list(s), pads=list(pads), ceil_mode=ceil)
    model = _model([pool])
    assert any(2 * p > kk for p, kk in zip(pads, k + k, strict=True))    # PyTorch refuses
    assert all(p < kk for p, kk in zip(pads, k + k, strict=True))        # onnxruntime takes
    graph = sc.from_onnx(model)
    for h in range(1, 16):
        for w in range(1, 9):
            if graph.accepts((h, w)):
                assert _compare(model, (h, w), graph) == 1
            else:
                assert min(_inferred(model, (h, w))["p"][2:]) < 1


@needs_onnx
def test_lp_pool_and_dilated_max_pool_in_ceil_mode() -> None:
    for node in (helper.make_node("MaxPool", ["x"], ["a"], name="mp", kernel_shape=[3, 2],
                                  dilations=[2, 1], strides=[2, 2], ceil_mode=1,
                                  pads=[1, 0, 1, 1]),
                 helper.make_node("LpPool", ["x"], ["b"], name="lp", kernel_shape=[2, 2],
                                  strides=[1, 2], p=2)):
        model = _model([node])
        graph = sc.from_onnx(model)
        for h in range(4, 30):
            for w in (2, 3, 4, 9, 10):
                assert _compare(model, (h, w), graph) == 1


@needs_onnx
def test_conv_transpose_pads_output_padding_and_same() -> None:
    w = _init("wt", np.zeros((3, 2, 3, 4), dtype=np.float32))      # F_i=3, F_o=2*g
    nodes = [helper.make_node("ConvTranspose", ["x", "wt"], ["t"], name="up", strides=[2, 3],
                              pads=[1, 0, 0, 2], output_padding=[1, 2]),
             helper.make_node("ConvTranspose", ["t", "wt2"], ["u"], name="same", strides=[2, 2],
                              auto_pad="SAME_UPPER")]
    w2 = _init("wt2", np.zeros((2, 1, 3, 3), dtype=np.float32))
    model = _model(nodes, [w, w2])
    graph = sc.from_onnx(model)
    for h in range(1, 12):
        for wd in range(1, 6):
            assert _compare(model, (h, wd), graph) == 2
    assert graph.output((4, 5)) == (1, (graph.shapes((4, 5))["up"][1][0] * 2,
                                        graph.shapes((4, 5))["up"][1][1] * 2))
    assert graph.counts((4, 5))["up"][0] == 3 * 2 * 3 * 4       # no bias input


@needs_onnx
def test_resize_by_sizes_and_scales_and_upsample() -> None:
    sizes = _init("sizes", np.array([1, 3, 17, 9], dtype=np.int64))
    scales = _init("scales", np.array([1, 1, 2, 3], dtype=np.float32))
    nodes = [helper.make_node("Resize", ["x", "", "scales"], ["a"], name="by_scale"),
             helper.make_node("Resize", ["a", "", "", "sizes"], ["b"], name="by_size")]
    model = _model(nodes, [sizes, scales])
    graph = sc.from_onnx(model)
    for h in (1, 2, 7):
        for w in (1, 5):
            assert _compare(model, (h, w), graph) == 2
    assert graph.shapes((7, 5))["by_scale"] == (3, (14, 15))
    assert graph.exprs()["by_size"] == (17, 9)
    up = helper.make_node("Upsample", ["x", "scales"], ["u"], name="up", mode="nearest")
    model9 = _model([up], [scales], opset=9)
    assert sc.from_onnx(model9).shapes((4, 4))["up"] == (3, (8, 12))


@needs_onnx
def test_gemm_and_matmul_give_in_features() -> None:
    w = _init("fc_w", np.zeros((10, 3 * 4 * 2), dtype=np.float32))
    b = _init("fc_b", np.zeros((10,), dtype=np.float32))
    m = _init("mm_w", np.zeros((10, 6), dtype=np.float32))
    nodes = [helper.make_node("MaxPool", ["x"], ["p"], name="pool", kernel_shape=[2, 2],
                              strides=[2, 2]),
             helper.make_node("Flatten", ["p"], ["f"], name="flat", axis=1),
             helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["g"], name="fc", transB=1),
             helper.make_node("MatMul", ["g", "mm_w"], ["h"], name="mm")]
    model = _model(nodes, [w, b, m])
    graph = sc.from_onnx(model)
    assert graph.in_features((8, 4)) == {"fc": 24, "mm": 10}
    assert graph.accepts((8, 4)) and graph.accepts((9, 5)) and not graph.accepts((10, 4))
    assert graph.failure((10, 4)) == "linear at fc: in_features=24 but the flattened size is 30"
    assert graph.counts((8, 4)) == {"pool": (0, 0), "fc": (250, 240), "mm": (60, 60)}
    assert _compare(model, (8, 4), graph) == 4
    # MatMul then Add of a constant as wide as its output: an exported Linear with a bias
    bias = _init("mm_b", np.zeros((6,), dtype=np.float32))
    model_b = _model(nodes + [helper.make_node("Add", ["h", "mm_b"], ["hb"], name="mm_bias")],
                     [w, b, m, bias])
    assert sc.from_onnx(model_b).counts((8, 4))["mm"] == (66, 60)
    brute = [(h, w) for h in range(1, 13) for w in range(1, 13) if 3 * (h // 2) * (w // 2) == 24]
    assert graph.linear_inputs("fc", limit=12) == brute


@needs_onnx
def test_pad_reads_constant_pads_and_crops() -> None:
    pads = _init("pads", np.array([0, 0, 1, -1, 0, 0, 2, 0], dtype=np.int64))
    model = _model([helper.make_node("Pad", ["x", "pads"], ["y"], name="pad")], [pads])
    graph = sc.from_onnx(model)
    for h in range(1, 6):
        for w in range(2, 6):
            assert _compare(model, (h, w), graph) == 1
    assert graph.failure((2, 1)) == "pad at pad: 1 -1 +0 = 0 on axis 1 (must stay >= 1)"
    const = helper.make_node("Constant", [], ["cp"], name="cpads",
                             value=numpy_helper.from_array(np.array([0, 0, 0, 1, 0, 0, 0, 0],
                                                                    dtype=np.int64)))
    model2 = _model([const, helper.make_node("Pad", ["x", "cp"], ["y"], name="pad2")])
    assert sc.from_onnx(model2).shapes((3, 3))["pad2"] == (3, (3, 4))


@needs_onnx
def test_pad_with_a_crop_and_a_pad_on_one_axis_adds_the_sizes() -> None:
    # ONNX Pad (3, -2) on 1: onnxruntime 1.32 gives 2 (measured), as shape inference
    # does; PyTorch's F.pad would crop 2 of 1 first and refuse
    pads = _init("pads", np.array([0, 0, 3, 0, 0, 0, -2, 0], dtype=np.int64))
    model = _model([helper.make_node("Pad", ["x", "pads"], ["y"], name="pad")], [pads])
    graph = sc.from_onnx(model)
    for h in range(1, 6):
        assert graph.shapes((h, 4))["pad"] == (3, (h + 1, 4)) == (3, _inferred(model, (h, 4))["y"][2:])
    assert graph.accepted()[0].text() == "i >= 1; smallest 1"
    torch_like = sc.Node("pad", "pad", ("x",), pads=((3, -2),))
    with pytest.raises(sc.GraphError, match="crops 2 of 1"):
        sc.Graph((torch_like,), ndim=1).shapes(1)


@needs_onnx
def test_merges_broadcast_and_constants_pass_through() -> None:
    conv, w = _conv_node("c", "x", "c", 3, 3, (1, 1))
    bias = _init("bias", np.zeros((3, 1, 1), dtype=np.float32))
    nodes = [conv, helper.make_node("Add", ["c", "bias"], ["cb"], name="addbias"),
             helper.make_node("Relu", ["cb"], ["r"], name="relu"),
             helper.make_node("Add", ["r", "x"], ["res"], name="residual"),
             helper.make_node("Concat", ["res", "x"], ["cat"], name="cat", axis=-1)]
    model = _model(nodes, [w, bias])
    graph = sc.from_onnx(model)
    assert [n.op for n in graph.nodes] == ["layer", "add", "cat"]
    # an initializer in an Add: a learned bias or a buffer, which ONNX does not say
    assert graph.assumptions == ("initializers in elementwise ops (bias: 3 values) are not "
                                 "counted as parameters: ONNX does not tell a learned one (a "
                                 "layer scale) from a buffer (an input's mean and std)",)
    assert graph.shapes((4, 5))["cat"] == (3, (4, 10))
    assert _compare(model, (4, 5), graph) == 3
    wide = _init("wide", np.zeros((1, 3, 4, 5), dtype=np.float32))
    model2 = _model([helper.make_node("Mul", ["x", "wide"], ["y"], name="scale")], [wide])
    with pytest.raises(UsageError, match=r"node scale \(Mul\): a constant input of shape"):
        sc.from_onnx(model2)


@needs_onnx
@pytest.mark.parametrize("mode", ["CRD", "DCR"])
def test_depth_to_space_and_space_to_depth_run_as_the_reference_evaluator(mode) -> None:
    # DepthToSpace is PyTorch's PixelShuffle as exported (CRD) and TensorFlow's
    # depth_to_space (DCR): the mode orders channels, the shapes are the same.  Every
    # size is run through onnx's reference evaluator: SpaceToDepth takes only sizes
    # divisible by its block (onnxruntime: "requires input height to be a multiple of
    # block_size"), as symconv's accepted sizes say
    from onnx.reference import ReferenceEvaluator
    w = _init("w", np.zeros((12, 3, 3, 3), dtype=np.float32))
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="c", strides=[2, 1],
                              pads=[1, 0, 1, 0]),
             helper.make_node("SpaceToDepth", ["c"], ["s"], name="s2d", blocksize=2),
             helper.make_node("DepthToSpace", ["s"], ["d"], name="d2s", blocksize=4, mode=mode)]
    model = _model(nodes, [w])
    graph = sc.from_onnx(model)
    run = ReferenceEvaluator(model)
    for h in range(1, 14):
        for ww in range(3, 9):
            try:
                theirs = run.run(None, {"x": np.zeros((1, 3, h, ww), np.float32)})[0].shape
            except ValueError:
                theirs = None
            try:
                ch, sz = graph.shapes((h, ww))["d2s"]
                ours = (1, ch, *sz)
            except SymconvError:
                ours = None
            assert ours == theirs, (h, ww, ours, theirs)
    assert [a.text() for a in graph.accepted()] == [
        "i ≡ 0 (mod 4) or i ≡ 3 (mod 4), i >= 1; smallest 3", "i ≡ 0 (mod 2), i >= 3; smallest 4"]
    one_d = _model([helper.make_node("DepthToSpace", ["x"], ["y"], name="d1", blocksize=2)],
                   ndim=1, channels=4)
    with pytest.raises(SymconvError, match=r"node d1 \(DepthToSpace\): a rank 3 input: "
                                           r"DepthToSpace is defined on \(N, C, H, W\)"):
        sc.from_onnx(one_d)


@needs_onnx
def test_refusals_name_the_node_and_op() -> None:
    shape = helper.make_node("Shape", ["x"], ["s"], name="get_shape")
    dyn = helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape_dyn")
    with pytest.raises(UsageError, match=r"^node reshape_dyn \(Reshape\): a shape \(N, \?, "
                       r"x.size\(2\), x.size\(3\)\) computed from sizes: only a reshape to "
                       r"\(N, -1\) or \(N, size\) is read$"):
        sc.from_onnx(_model([shape, dyn]))
    grid = helper.make_node("GridSample", ["x", "x"], ["g"], name="warp")
    with pytest.raises(UsageError, match=r"node warp \(GridSample\): not read by from_onnx"):
        sc.from_onnx(_model([grid]))
    flat = helper.make_node("Flatten", ["x"], ["f"], name="flat2", axis=2)
    with pytest.raises(UsageError, match=r"node flat2 \(Flatten\): axis=2"):
        sc.from_onnx(_model([flat]))
    pads = _init("p", np.array([0, 1, 0, 0, 0, 0, 0, 0], dtype=np.int64))
    with pytest.raises(UsageError, match=r"node padc \(Pad\): pads \(1, 0\) on the channel"):
        sc.from_onnx(_model([helper.make_node("Pad", ["x", "p"], ["y"], name="padc")], [pads]))
    dropout = helper.make_node("Dropout", ["x"], ["y", "mask"], name="drop")
    use_mask = helper.make_node("Add", ["y", "mask"], ["z"], name="use_mask")
    with pytest.raises(UsageError, match=r"node use_mask \(Add\): input 'mask'"):
        sc.from_onnx(_model([dropout, use_mask]))


@needs_onnx
def test_models_from_files_and_bad_files(tmp_path: Path) -> None:
    pool = helper.make_node("MaxPool", ["x"], ["p"], name="pool", kernel_shape=[2], strides=[2])
    model = _model([pool], ndim=1, channels=4)
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    g = sc.from_onnx(path)
    assert (g.ndim, g.in_channels, g.shapes(9)["pool"]) == (1, 4, (4, (4,)))
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x00not a model")
    with pytest.raises(UsageError, match="is not an ONNX model"):
        sc.from_onnx(bad)
    with pytest.raises(UsageError, match="no ONNX file"):
        sc.from_onnx(tmp_path / "missing.onnx")


# --- the command line ------------------------------------------------------------------

def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@needs_onnx
def test_net_reads_an_onnx_file(tmp_path: Path, capsys) -> None:
    conv, w = _conv_node("enc", "x", "e", 1, 2, (3, 3), pads=[1, 1, 1, 1])
    nodes = [conv, helper.make_node("MaxPool", ["e"], ["p"], name="down", kernel_shape=[2, 2],
                                    strides=[2, 2]),
             helper.make_node("Resize", ["p", "", "sc"], ["u"], name="up", mode="nearest"),
             helper.make_node("Concat", ["u", "e"], ["y"], name="skip", axis=1)]
    model = _model(nodes, [w, _init("sc", np.array([1, 1, 2, 2], dtype=np.float32))],
                   channels=1)
    path = tmp_path / "unet.onnx"
    onnx.save(model, str(path))
    code, out, err = _run(capsys, ["net", str(path)])
    assert (code, err) == (0, "")
    # ONNX pools a 1-unit input with a 2-wide window (one partial window), so the
    # pattern holds from 1 on; the skip connection still needs an even size
    assert out == ("assumed: pooling (down) on an input short of one window by less than "
                   "its stride gives one window, as onnxruntime computes it; ONNX's operator "
                   "text and reference evaluator give none (an empty tensor)\n"
                   "axis 0: accepted: i ≡ 0 (mod 2), i >= 1; smallest 2\n"
                   "axis 1: accepted: i ≡ 0 (mod 2), i >= 1; smallest 2\n")
    code, out, _ = _run(capsys, ["net", str(path), "i=25,24", "--json"])
    data = json.loads(out)
    assert code == 0 and data["table"]["first_failure"] == "cat at skip: 24 vs 25 on axis 0"
    import jsonschema

    from symconv.schemas import schema
    jsonschema.validate(data, schema("net"))
    code, out, _ = _run(capsys, ["net", str(path), "--expr", "--json"])
    data = json.loads(out)
    import sympy
    for name, per_axis in data["exprs"].items():
        for j, formula in enumerate(per_axis):
            expr = sympy.sympify(formula["expr"], locals={"i": sc.i})   # symconv's own output
            for v in range(2, 40, 2):
                sizes = (v, 6) if j == 0 else (6, v)
                assert int(expr.subs(sc.i, v)) == sc.from_onnx(path).shapes(sizes)[name][1][j]
    jsonschema.validate(data, schema("net"))
    code, out, err = _run(capsys, ["net", str(tmp_path / "none.onnx")])
    assert code == 2 and "no ONNX file" in err
    code, out, err = _run(capsys, ["net", str(path), "--align", "a=b"])
    assert code == 2 and "--align is for a network given as layer text" in err


# --- PyTorch models exported to ONNX -------------------------------------------------------

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    torch = None
    nn = type("nn", (), {"Module": object})
needs_torch = pytest.mark.skipif(torch is None or onnx is None, reason="needs torch and onnx")


def _ops(nd):
    return (getattr(nn, f"Conv{nd}d"), getattr(nn, f"ConvTranspose{nd}d"),
            getattr(nn, f"MaxPool{nd}d"), getattr(nn, f"AvgPool{nd}d"))


class Residual(nn.Module):
    def __init__(self, nd, k=(3, 5, 3), s=(1, 2, 2)):
        super().__init__()
        Conv = _ops(nd)[0]
        k, s = k[:nd], s[:nd]
        self.c1 = Conv(3, 8, k, stride=s, padding=tuple(v // 2 for v in k))
        self.c2 = Conv(8, 8, k, padding=tuple(v // 2 for v in k))
        self.proj = Conv(3, 8, 1, stride=s)

    def forward(self, x):
        return F.relu(self.c2(F.relu(self.c1(x))) + self.proj(x))


class UNet(nn.Module):
    """Two levels, non-square pools, ceil mode on one of them."""

    def __init__(self, nd, ceil=False):
        super().__init__()
        Conv, ConvT, MaxPool, _ = _ops(nd)
        self.e1 = Conv(3, 4, 3, padding=1)
        self.p1 = MaxPool(2, ceil_mode=ceil)
        self.e2 = Conv(4, 8, 3, padding=1)
        self.p2 = MaxPool((2, 1, 2)[:nd] if nd > 1 else 2)
        self.mid = Conv(8, 8, 3, padding=1)
        self.u2 = ConvT(8, 8, (2, 1, 2)[:nd] if nd > 1 else 2, stride=(2, 1, 2)[:nd] if nd > 1 else 2)
        self.d2 = Conv(16, 4, 3, padding=1)
        self.u1 = ConvT(4, 4, 2, stride=2)
        self.d1 = Conv(8, 2, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(self.p1(e1))
        m = self.mid(self.p2(e2))
        d2 = self.d2(torch.cat([self.u2(m), e2], 1))
        return self.d1(torch.cat([self.u1(d2), e1], 1))


class Inception(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = nn.Conv2d(3, 4, 1)
        self.b3 = nn.Conv2d(3, 4, 3, padding=1)
        self.b17 = nn.Conv2d(3, 4, (1, 7), padding=(0, 3))
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)
        self.head = nn.Linear(15 * 7 * 7, 10)
        self.gp = nn.AvgPool2d((2, 3), stride=(2, 3), ceil_mode=True)

    def forward(self, x):
        y = torch.cat([self.b1(x), self.b3(x), self.b17(x), self.pool(x)], 1)
        return self.head(torch.flatten(self.gp(y), 1))


class Padded(nn.Module):
    """Asymmetric F.pad (and a crop), then convolutions that need it; 1-d, 2-d or 3-d."""

    def __init__(self, nd):
        super().__init__()
        Conv = _ops(nd)[0]
        self.nd = nd
        self.c = Conv(2, 3, 2, stride=2)
        self.c2 = Conv(3, 3, 3, dilation=2)

    def forward(self, x):
        pads = (1, 0, 0, 2, 3, -1)[:2 * self.nd]
        return self.c2(F.pad(self.c(F.pad(x, pads)), (2, 1) * self.nd))


class Upsampling(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 3, 3, stride=2, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.gap = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        y = self.up(self.c(x))[:, :, 1:, :-1] * x[:, :, 1:, 1:]
        return self.gap(y).flatten(1)


def _export(model, example, path, dynamic=True):
    nd = example.dim() - 2
    dyn = {"x": {j + 2: f"s{j}" for j in range(nd)}} if dynamic else None
    model.eval()
    torch.onnx.export(model, (example,), str(path), input_names=["x"], output_names=["y"],
                      dynamic_axes=dyn, dynamo=False, opset_version=17)
    return onnx.load(str(path))


def _live(model, sizes, channels):
    try:
        with torch.no_grad():
            return tuple(model(torch.zeros((1, channels) + tuple(sizes))).shape)
    except RuntimeError:
        return None


def _exported_agrees(model, tmp_path, channels=3, nd=2, opset=17, sizes=None, params=True,
                     example=16, dynamo=False):
    """``model`` exported with dynamic sizes (from an input of ``example`` per axis; by
    the TorchScript exporter, or with ``dynamo`` the torch.export one, PyTorch's default
    since 2.9) and read back: at every size PyTorch's shape or refusal, and
    (``params``) its parameter count where it runs; the graph."""
    path = tmp_path / "m.onnx"
    model.eval()
    example_input = (torch.zeros(1, channels, *[example] * nd),)
    if dynamo:
        pytest.importorskip("onnxscript")
        dims = {j + 2: torch.export.Dim(f"s{j}", min=2, max=4096) for j in range(nd)}
        torch.onnx.export(model, example_input, str(path), input_names=["x"],
                          dynamic_shapes=(dims,), dynamo=True, verbose=False)
    else:
        torch.onnx.export(model, example_input, str(path), input_names=["x"],
                          dynamic_axes={"x": {j + 2: f"s{j}" for j in range(nd)}},
                          dynamo=False, opset_version=opset)
    graph = sc.from_onnx(onnx.load(str(path)))
    acc = graph.accepted_sizes()
    for size in sizes or [(v,) * nd for v in range(1, 20)]:
        live = _live(model, size, channels)
        assert graph.accepts(size) == (live is not None) == (size in acc), size
        if live is not None:
            assert graph.output(size) == (live[1], live[2:])
            if params:
                assert sum(p for p, _ in graph.counts(size).values()) == \
                    sum(p.numel() for p in model.parameters())
    return graph


MODELS = [
    ("residual-1d", lambda: Residual(1), 3, (17,), range(1, 30)),
    ("residual-2d", lambda: Residual(2), 3, (17, 12), range(1, 30)),
    ("residual-3d", lambda: Residual(3), 3, (9, 8, 7), range(1, 12)),
    ("unet-1d", lambda: UNet(1), 3, (16,), range(1, 40)),
    ("unet-2d", lambda: UNet(2), 3, (16, 12), range(1, 40)),
    ("unet-2d-ceil", lambda: UNet(2, ceil=True), 3, (16, 12), range(1, 40)),
    ("unet-3d", lambda: UNet(3), 3, (8, 8, 4), range(1, 14)),
    ("padded-1d", lambda: Padded(1), 2, (9,), range(1, 30)),
    ("padded-2d", lambda: Padded(2), 2, (9, 10), range(1, 30)),
    ("padded-3d", lambda: Padded(3), 2, (9, 10, 7), range(1, 14)),
]


@needs_torch
@pytest.mark.parametrize(("name", "make", "channels", "example", "sizes"), MODELS,
                         ids=[m[0] for m in MODELS])
def test_exported_models_match_onnx_and_pytorch(tmp_path, name, make, channels, example, sizes):
    torch.manual_seed(0)
    model = make()
    proto = _export(model, torch.zeros((1, channels) + example), tmp_path / f"{name}.onnx")
    graph = sc.from_onnx(proto)
    nd = len(example)
    for v in sizes:
        # the same size on every axis but the last, which is one larger: non-square inputs
        sz = (v,) * (nd - 1) + (v + 1,) if nd > 1 else (v,)
        live = _live(model, sz, channels)
        if live is None:
            assert graph.failure(sz) is not None, (name, sz)
            continue
        assert graph.failure(sz) is None, (name, sz, graph.failure(sz))
        ch, out = graph.output(sz)
        assert (ch,) + out == live[1:], (name, sz)
        assert _compare(proto, sz, graph) >= 2
    # ONNX run live (onnx's reference evaluator): every node's tensor, at a few sizes
    from onnx.reference import ReferenceEvaluator
    evaluator = ReferenceEvaluator(proto)
    tensors = _node_tensors(proto)
    for v in list(sizes)[-3:]:
        sz = (v,) * (nd - 1) + (v + 1,) if nd > 1 else (v,)
        feed = {"x": np.zeros((1, channels) + sz, np.float32)}
        if not graph.accepts(sz):
            with pytest.raises(ValueError):     # numpy refuses the merge ONNX asks for
                evaluator.run(None, feed)
            continue
        try:
            got = evaluator.run(None, feed, intermediate=True)
        except ValueError as exc:      # onnx's reference Pad takes no negative pads (a crop)
            assert "negative" in str(exc) and name.startswith("padded"), (name, exc)
            continue
        for node, (ch, out) in graph.shapes(sz).items():
            if node in tensors and tensors[node] in got:
                assert got[tensors[node]].shape[1:] == (ch,) + out, (name, node, sz)
    # the residue classes agree with PyTorch on every size tried
    acc = graph.accepted()
    for v in sizes:
        sz = (v,) * nd
        assert (all(v in a for a in acc) and graph.accepts(sz)) == \
            (_live(model, sz, channels) is not None), (name, v)


@needs_torch
def test_inception_head_and_upsampling(tmp_path) -> None:
    model = Inception()
    proto = _export(model, torch.zeros(1, 3, 14, 21), tmp_path / "inc.onnx", dynamic=False)
    graph = sc.from_onnx(proto)
    assert graph.in_features((14, 21)) == {graph.nodes[-1].name: 15 * 7 * 7}
    for h in range(10, 16):
        for w in range(18, 23):
            live = _live(model, (h, w), 3)
            assert graph.accepts((h, w)) == (live is not None), (h, w)
    params = {n: c[0] for n, c in graph.counts((14, 21)).items()}
    assert sum(params.values()) == sum(p.numel() for p in model.parameters())
    up = Upsampling()
    proto = _export(up, torch.zeros(1, 3, 8, 10), tmp_path / "up.onnx")
    graph = sc.from_onnx(proto)
    for h in range(1, 14):
        live = _live(up, (h, h + 2), 3)
        assert graph.accepts((h, h + 2)) == (live is not None), h
        if live is not None:
            assert graph.output((h, h + 2)) == (3, ())


@pytest.mark.skipif(torch is None, reason="needs torch")
def test_net_torch_module_attr(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "my_unet_models.py").write_text(textwrap.dedent("""
        import torch, torch.nn as nn

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.enc = nn.Conv2d(1, 4, 3, padding=1)
                self.down = nn.MaxPool2d(2)
                self.up = nn.ConvTranspose2d(4, 4, 2, stride=2)

            def forward(self, x):
                e = self.enc(x)
                return torch.cat([self.up(self.down(e)), e], 1)

        block = Block()
        not_a_module = 3
        def broken():
            print("building")
            raise ValueError("no weights here")

        class Noisy(Block):
            def __init__(self):
                print("constructing")
                super().__init__()

            def forward(self, x):
                print("traced with", x)
                return super().forward(x)
        def slow():     # a model that takes longer to build than the timeout
            import time
            time.sleep(1.5)
            return Block()
    """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:Block", "i=25,24"])
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "input [25, 24]: refused: cat at cat: 24 vs 25 on axis 0"
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:block", "--smallest",
                                   "--json"])
    assert code == 0 and json.loads(out)["smallest"] == [2, 2]
    import jsonschema

    from symconv.schemas import schema
    jsonschema.validate(json.loads(out), schema("net"))
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:block", "i=8", "--json"])
    assert code == 0 and json.loads(out)["table"]["params"] == 4 * 9 + 4 + 4 * 4 * 4 + 4
    jsonschema.validate(json.loads(out), schema("net"))
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:block", "i=8", "--latex"])
    assert code == 0 and out.startswith("\\begin{table}[tbp]")
    assert re.search(r"\\label\{tab:symconv-model-[0-9a-f]{6}\}", out)
    # the --timeout clock starts once the user's module is imported and the model built
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:slow", "i=8",
                                   "--timeout", "1"])
    assert (code, err) == (0, "") and out.splitlines()[-1] == "input 8: accepted"
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:block", "i=8", "o=3"])
    assert code == 2 and "not o" in err
    # the user's prints (constructor, forward while traced, a failing builder) go to
    # stderr: stdout is one JSON document
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:Noisy", "i=8", "--json"])
    assert code == 0 and json.loads(out)["input"] == 8
    assert err.startswith("constructing\ntraced with ")
    code, out, err = _run(capsys, ["net", "--torch", "my_unet_models:broken", "--json"])
    assert code == 2 and json.loads(out)["error"]["message"].startswith("--torch my_unet")
    for spec, msg in (("my_unet_models:not_a_module", "not_a_module is an int, not an nn.Module"),
                      ("my_unet_models:broken", "calling broken() failed: ValueError"),
                      ("my_unet_models:missing", "has no attribute 'missing'"),
                      ("no_such_module_here:x", "cannot import 'no_such_module_here'"),
                      ("no_colon", "--torch takes module:attr")):
        code, out, err = _run(capsys, ["net", "--torch", spec])
        assert code == 2 and msg in err, (spec, err)


@needs_onnx
def test_the_answer_is_the_graph_output_not_the_last_node_listed() -> None:
    pool = helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2],
                            strides=[2, 2])
    side, w = _conv_node("side", "x", "s", 3, 5, (1, 1))
    model = _model([pool, side], [w], outputs=["y"])
    graph = sc.from_onnx(model)
    assert graph.output((8, 6)) == (3, (4, 3))
    assert graph.shapes((8, 6))["side"] == (5, (8, 6))


@needs_torch
def test_depth4_unet_and_resnet50_shape_match_pytorch_and_onnx(tmp_path) -> None:
    from benchmarks.onnx_anchor import export, models
    for name, (model, channels, _size) in models().items():
        path = str(tmp_path / "m.onnx")
        export(model, channels, (64, 48), path)
        proto = onnx.load(path)
        graph = sc.from_onnx(proto)
        acc = graph.accepted()
        for sizes in ((64, 48), (33, 40), (47, 65), (16, 96)):
            live = _live(model, sizes, channels)
            assert graph.accepts(sizes) == (live is not None), (name, sizes)
            assert all(v in a for v, a in zip(sizes, acc, strict=True)) == (live is not None)
            if live is not None:
                ch, out = graph.output(sizes)
                assert (ch,) + out == live[1:], (name, sizes)
                assert _compare(proto, sizes, graph) >= 10
        params = sum(c[0] for c in graph.counts((64, 48)).values())
        # the exporter folds BatchNormalization into the convolutions (a bias each): the
        # parameters are the weights and biases the ONNX file holds for its layers
        sizes_of = {t.name: int(np.prod(t.dims)) for t in _folded(proto).graph.initializer}
        held = sum(sizes_of.get(x, 0) for n in proto.graph.node
                   if n.op_type in ("Conv", "ConvTranspose", "Gemm") for x in n.input[1:])
        assert params == held, name


if onnx is not None:
    _WINDOW_OPS = st.sampled_from(["Conv", "MaxPool", "AveragePool", "LpPool"])
    _AUTO = st.sampled_from(["NOTSET", "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"])

    @needs_onnx
    @settings(max_examples=60, deadline=None)
    @given(op=_WINDOW_OPS, auto=_AUTO, nd=st.integers(1, 2), data=st.data())
    def test_generated_window_nodes_match_onnx_shape_inference(op, auto, nd, data) -> None:
        k = tuple(data.draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
        s = tuple(data.draw(st.lists(st.integers(1, 3), min_size=nd, max_size=nd)))
        attrs = {"kernel_shape": list(k), "strides": list(s), "auto_pad": auto}
        if op in ("Conv", "MaxPool") or (op == "AveragePool"):
            attrs["dilations"] = data.draw(st.lists(st.integers(1, 2), min_size=nd, max_size=nd))
        if auto == "NOTSET":
            attrs["pads"] = data.draw(st.lists(st.integers(0, 4), min_size=2 * nd,
                                               max_size=2 * nd))
        if op != "Conv":
            attrs["ceil_mode"] = data.draw(st.integers(0, 1))
        if op != "Conv" and "pads" in attrs:
            # a pooling pad of the kernel or more: onnxruntime refuses it ("Pad should be
            # smaller than kernel."), and so does from_onnx
            attrs["pads"] = [min(p, k[j % nd] - 1) for j, p in enumerate(attrs["pads"])]
        inits = []
        if op == "Conv":
            w = _init("w", np.zeros((2, 3) + k, dtype=np.float32))
            node = helper.make_node("Conv", ["x", "w"], ["y"], name="n", **attrs)
            inits = [w]
        else:
            node = helper.make_node(op, ["x"], ["y"], name="n", **attrs)
        model = _model([node], inits, ndim=nd, opset=19)   # AveragePool-19: dilations
        if auto.startswith("SAME") and max(attrs.get("dilations", [1])) > 1:
            # onnxruntime refuses a Conv's and mis-sizes a pooling's: refused when read
            with pytest.raises(DomainError, match="onnx takes no dilation above 1 with SAME"):
                sc.from_onnx(model)
            return
        if op != "Conv" and auto.startswith("SAME") and any(kk < ss for kk, ss in zip(k, s)):
            # a negative padding at some sizes: onnxruntime refuses MaxPool's and
            # AveragePool's, the reference evaluator reads otherwise; refused when read
            with pytest.raises(DomainError, match="a kernel below its stride"):
                sc.from_onnx(model)
            return
        graph = sc.from_onnx(model)
        khat = [dd * (kk - 1) + 1 for kk, dd in zip(k, attrs.get("dilations", [1] * nd),
                                                   strict=True)]
        for v in range(1, 12):
            sizes = (v,) * nd
            theirs = _inferred(model, sizes)["y"][2:]
            if graph.accepts(sizes):
                _compare(model, sizes, graph)
            elif op == "Conv":
                # onnxruntime refuses a kernel that does not fit the padded input
                pads = attrs.get("pads", [0] * 2 * nd)
                assert auto != "SAME_UPPER" and auto != "SAME_LOWER"
                assert any(v + pads[j] + pads[j + nd] < khat[j] for j in range(nd))
            else:
                assert min(theirs) < 1, (sizes, theirs)   # ONNX: an empty output


@needs_onnx
@pytest.mark.parametrize(("op", "k", "s", "auto"), [("MaxPool", 1, 2, "SAME_UPPER"),
                                                    ("AveragePool", 2, 3, "SAME_LOWER")])
def test_same_pooling_with_a_kernel_below_its_stride_is_refused(op, k, s, auto) -> None:
    # its SAME padding is negative at some sizes: symconv padded 0 there, as TF, and
    # accepted every size, where onnxruntime refuses these (i = s: k - s)
    node = helper.make_node(op, ["x"], ["y"], name="n", kernel_shape=[k], strides=[s],
                            auto_pad=auto)
    model = _model([node], ndim=1)
    try:
        import onnxruntime
    except ImportError:
        onnxruntime = None
    if onnxruntime is not None:
        run = onnxruntime.InferenceSession(model.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
        with pytest.raises(Exception, match="padding values must be non-negative"):
            run.run(None, {"x": np.zeros((1, 3, s), dtype=np.float32)})
    with pytest.raises(DomainError) as info:
        sc.from_onnx(model)
    assert str(info.value) == (
        f"node n ({op}): layer n: onnx pooling with {auto} and a kernel below its stride "
        f"(k={k} < s={s} on axis 0) needs a negative padding at some sizes (at i={s}: "
        f"{k - s}), which onnxruntime refuses in MaxPool and AveragePool ('padding values "
        "must be non-negative') and its reference evaluator reads otherwise; give explicit "
        "pads")


@needs_onnx
def test_conv_transpose_output_shape_fixes_the_output() -> None:
    w = _init("w", np.zeros((3, 2, 3, 3), dtype=np.float32))
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", strides=[2, 2],
                            output_shape=[9, 12], pads=[5, 5, 5, 5])
    model = _model([node], [w])
    graph = sc.from_onnx(model)
    for h in range(1, 8):
        for wd in (1, 5, 6):
            # onnxruntime runs it where the unpadded size is at least output_shape less
            # s - 1, an output padding below the stride ("inconsistent" below that; shape
            # inference does not check it)
            if (h - 1) * 2 + 3 + 1 < 9 or (wd - 1) * 2 + 3 + 1 < 12:
                assert "which it only crops to" in graph.failure((h, wd))
                continue
            theirs = _inferred(model, (h, wd))["y"]
            assert graph.output((h, wd)) == (theirs[1], theirs[2:])
            # the layer's counts do not depend on the padding: weights once per input unit
            assert graph.counts((h, wd))["up"] == (3 * 2 * 9, h * wd * 3 * 2 * 9)   # no bias


class ViewHead(nn.Module):
    """``x.view(x.size(0), -1)``: exported with a dynamic batch as Shape, Gather,
    Unsqueeze, Concat and Reshape."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3)
        self.fc = nn.Linear(4 * 6 * 5, 5)

    def forward(self, x):
        return self.fc(self.c(x).view(x.size(0), -1))


@needs_torch
def test_a_view_to_the_batch_size_is_followed_through_shape(tmp_path) -> None:
    model = ViewHead()
    for dyn in (None, {"x": {0: "n", 2: "h", 3: "w"}}):
        path = tmp_path / "v.onnx"
        torch.onnx.export(model, (torch.zeros(1, 3, 8, 7),), str(path), input_names=["x"],
                          dynamic_axes=dyn, dynamo=False)
        graph = sc.from_onnx(path)
        assert graph.in_features((8, 7)) == {"/fc/Gemm": 120}
        for h in range(3, 12):
            for w in range(3, 10):
                assert graph.accepts((h, w)) == (_live(model, (h, w), 3) is not None), (h, w)
    # sizes used for anything else are refused with the node
    shape = helper.make_node("Shape", ["x"], ["s"], name="shape")
    use = helper.make_node("ReduceSum", ["s"], ["t"], name="total")
    with pytest.raises(UsageError, match=r"node total \(ReduceSum\): computes with the sizes"):
        sc.from_onnx(_model([shape, use]))


class ResizeTo(nn.Module):
    def forward(self, x):
        return F.interpolate(F.max_pool2d(x, 2), size=(11, 6)) + x[:, :, :11, :6]


@needs_torch
def test_interpolate_to_a_size_with_a_dynamic_input(tmp_path) -> None:
    model = ResizeTo()
    path = tmp_path / "r.onnx"
    torch.onnx.export(model, (torch.zeros(1, 2, 16, 12),), str(path), input_names=["x"],
                      dynamic_axes={"x": {0: "n", 2: "h", 3: "w"}}, dynamo=False)
    graph = sc.from_onnx(path)
    # from 2 on (below, ONNX pools one partial window where PyTorch refuses)
    for h in range(2, 16):
        for w in range(2, 10):
            live = _live(model, (h, w), 2)
            assert graph.accepts((h, w)) == (live is not None), (h, w)
            if live is not None:
                assert graph.output((h, w)) == (2, live[2:])
    assert graph.accepts((1, 1)) and _live(model, (1, 1), 2) is None


@needs_onnx
@pytest.mark.parametrize("mode", ["SAME_UPPER", "SAME_LOWER"])
def test_conv_transpose_same_with_output_padding_is_i_times_s(mode) -> None:
    # ONNX's operator text: SAME gives output = input * stride; onnxruntime 1.32 runs it so
    # (i=3, k=3, s=2, a=1: 6) while onnx 1.23's shape inference says 7: symconv follows the
    # operator text
    w = _init("w", np.zeros((1, 1, 3), dtype=np.float32))
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", strides=[2],
                            output_padding=[1], auto_pad=mode)
    model = _model([node], [w], ndim=1, channels=1)
    graph = sc.from_onnx(model)
    for i in range(1, 12):
        assert graph.output(i) == (1, (2 * i,))
    assert _inferred(model, (3,))["y"][2] == 7


@needs_onnx
def test_a_strided_slice_multiplies_the_period() -> None:
    """x[1::2] then a pool, multiplied by x[1::2]: equal or broadcast from 1 only for
    i in 2..7 (the step is a floor by 2: the period the accepted search checks)."""
    nodes = [helper.make_node("Slice", ["x", "a", "b", "ax", "st"], ["s"], name="slice"),
             helper.make_node("MaxPool", ["s"], ["p"], name="pool", kernel_shape=[2],
                              strides=[2]),
             helper.make_node("Mul", ["p", "s"], ["y"], name="mul")]
    inits = [_init(n, np.array(v, dtype=np.int64))
             for n, v in (("a", [1]), ("b", [2 ** 62]), ("ax", [2]), ("st", [2]))]
    g = sc.from_onnx(_model(nodes, inits, ndim=1, channels=1))
    assert g.accepted()[0].text() == "i in {2, 3, 4, 5, 6, 7}; smallest 2"
    assert [i for i in range(1, 60) if g.accepts((i,))] == [2, 3, 4, 5, 6, 7]


def _spec_slice_length(start: int, end: int, step: int, dim: int) -> int:
    """ONNX Slice-13's length, from its text: a negative bound counts from the end, then
    starts are clamped to [0, dim] (positive steps) or [0, dim - 1] (negative), ends to
    [0, dim] or [-1, dim - 1]; onnxruntime follows it (numpy, and Python, keep no
    element where a negative step starts before the first)."""
    start, end = start + dim if start < 0 else start, end + dim if end < 0 else end
    if step > 0:
        start, end = min(max(start, 0), dim), min(max(end, 0), dim)
        return max(0, -(-(end - start) // step))
    start, end = min(max(start, 0), dim - 1), min(max(end, -1), dim - 1)
    return max(0, -(-(start - end) // -step))


@needs_onnx
@pytest.mark.parametrize("start, end, step", [(-7, -8, -2), (-2, -2, -1), (-9, -100, -1),
                                              (5, -9, -2), (-1, -4, -1), (1, 9, 2)])
def test_a_slice_with_a_negative_step_clamps_its_start_as_onnx_does(start, end, step) -> None:
    # [-7:-8:-2] keeps element 0 at every size (onnxruntime): it was refused at 1..6 as
    # empty, by Python's rule, and the accepted sizes said it "empties as the input grows"
    node = helper.make_node("Slice", ["x", "a", "b", "ax", "st"], ["y"], name="s")
    inits = [_init(n, np.array([v], dtype=np.int64))
             for n, v in (("a", start), ("b", end), ("ax", 2), ("st", step))]
    g = sc.from_onnx(_model([node], inits, ndim=1, channels=1, opset=13))
    expr = g.exprs()["s"][0]
    for i in range(1, 14):
        n = _spec_slice_length(start, end, step, i)
        assert g.accepts((i,)) == (n >= 1), i
        if n >= 1:
            assert g.output((i,)) == (1, (n,)) and expr.subs(sc.i, i) == n


@needs_onnx
def test_a_channel_slice_with_a_negative_step_clamps_its_start_as_onnx_does() -> None:
    # channels [-9:-100:-1] of 4 keep channel 0 (onnxruntime: a Conv of one channel runs)
    nodes = [helper.make_node("Slice", ["x", "a", "b", "ax", "st"], ["c"], name="s"),
             helper.make_node("Conv", ["c", "w"], ["y"], name="conv", kernel_shape=[3])]
    inits = [*(_init(n, np.array([v], dtype=np.int64))
               for n, v in (("a", -9), ("b", -100), ("ax", 1), ("st", -1))),
             _init("w", np.zeros((2, 1, 3), dtype=np.float32))]
    g = sc.from_onnx(_model(nodes, inits, ndim=1, channels=4, opset=13))
    assert g.output((7,)) == (2, (5,))


@needs_onnx
def test_transposed_output_shape_needs_nonnegative_pads() -> None:
    """ONNX derives the pads from output_shape: below the unpadded size they would be
    negative, and onnxruntime refuses ("inconsistent")."""
    w = _init("w", np.zeros((1, 1, 3), dtype=np.float32))
    ct = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="ct", kernel_shape=[3],
                          strides=[2], output_shape=[15])
    g = sc.from_onnx(_model([ct], [w], ndim=1, channels=1))
    assert [i for i in range(1, 20) if g.accepts((i,))] == list(range(7, 20))
    assert g.failure((6,)) == ("resize at ct/output_shape: 14 is below the size 15 on axis 0, "
                               "which it only crops to")
    assert g.accepted()[0].text() == "i >= 7; smallest 7"


# onnxruntime 1.32, measured: (k, s, d, output_padding, output_shape) -> the input sizes
# 1..8 it runs (a shape up to s - 1 above the unpadded (i - 1) s + d (k - 1) + 1 is an
# output padding; the output_padding attribute is not added).  symconv refused every
# size whose unpadded output was below the shape (4 860 cases against onnxruntime: 100
# refused that it runs, 0 now)
_ORT_OUTPUT_SHAPE = [((3, 2, 1, 0, 10), [4, 5, 6, 7, 8]), ((3, 3, 1, 0, 11), [3, 4, 5, 6, 7, 8]),
                     ((2, 3, 1, 0, 12), [4, 5, 6, 7, 8]), ((3, 4, 1, 0, 13), [3, 4, 5, 6, 7, 8]),
                     ((1, 2, 1, 1, 3), [2, 3, 4, 5, 6, 7, 8]), ((2, 3, 2, 2, 9), [3, 4, 5, 6, 7, 8]),
                     ((1, 3, 1, 0, 3), [1, 2, 3, 4, 5, 6, 7, 8])]


@needs_onnx
@pytest.mark.parametrize("attrs, runs", _ORT_OUTPUT_SHAPE)
def test_transposed_output_shape_is_taken_as_onnxruntime_takes_it(attrs, runs) -> None:
    k, s, d, a, out = attrs
    w = _init("w", np.ones((1, 1, k), dtype=np.float32))
    ct = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="ct", kernel_shape=[k],
                          strides=[s], dilations=[d], output_padding=[a], output_shape=[out])
    model = _model([ct], [w], ndim=1, channels=1)
    g = sc.from_onnx(model)
    assert [i for i in range(1, 9) if g.accepts((i,))] == runs
    assert all(g.output((i,)) == (1, (out,)) for i in runs)
    try:
        import onnxruntime as ort
    except ImportError:
        return
    sess = ort.InferenceSession(model.SerializeToString())
    for i in range(1, 9):
        try:
            got = sess.run(None, {"x": np.ones((1, 1, i), np.float32)})[0].shape[2]
        except Exception:       # onnxruntime's own error types
            got = None
        assert got == (out if i in runs else None), (attrs, i)


@needs_onnx
@pytest.mark.parametrize("node, inits, message", [
    (lambda: helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="ct", kernel_shape=[3],
                              strides=[2], dilations=[3], output_padding=[2]),
     lambda: [_init("w", np.zeros((1, 1, 3), dtype=np.float32))],
     r"^node ct \(ConvTranspose\): output_padding \[2\] not below the strides \[2\] "
     r"\(onnxruntime refuses it at every size\)$"),
    (lambda: helper.make_node("Slice", ["x", "a", "b", "ax", "st"], ["y"], name="s"),
     lambda: [_init(n, np.array(v, dtype=np.int64))
              for n, v in (("a", [0]), ("b", [5]), ("ax", [2]), ("st", [0]))],
     r"^node s \(Slice\): a step of 0 \(ONNX's steps are nonzero\)$"),
    (lambda: helper.make_node("Resize", ["x", "", "sc"], ["y"], name="r"),
     lambda: [_init("sc", np.array([1, 1, float("nan")], dtype=np.float32))],
     r"^node r \(Resize\): malformed \(ValueError: cannot convert float NaN to integer\)$"),
    (lambda: helper.make_node("Concat", ["x", "x"], ["y"], name="cat"),
     lambda: [],
     r"^node cat \(Concat\): attribute axis is required at opset 18 \(onnxruntime refuses "
     r"the model without it\)$"),
], ids=["output_padding >= stride", "step 0", "NaN scale", "no axis"])
def test_malformed_nodes_are_refused_in_one_line(node, inits, message) -> None:
    with pytest.raises(sc.UsageError, match=message):
        sc.from_onnx(_model([node()], inits(), ndim=1, channels=1))


@needs_onnx
@pytest.mark.parametrize("tensor, node, message", [
    (lambda: onnx.TensorProto(name="w", dims=[4, 1, 3], data_type=1, raw_data=b"\0" * 8),
     lambda: helper.make_node("Conv", ["x", "w"], ["y"], name="cv"),
     r"^initializer 'w': its data does not fill its dims \(4x1x3\): the file is malformed "
     r"\(cannot reshape array of size 2 into shape \(4,1,3\)\)$"),
    (lambda: onnx.TensorProto(name="w", dims=[4, 1, 3], data_type=1, raw_data=b"\0" * 5),
     lambda: helper.make_node("Conv", ["x", "w"], ["y"], name="cv"),
     r"^initializer 'w': its data does not fill its dims \(4x1x3\): the file is malformed"),
    (lambda: onnx.TensorProto(name="pads", dims=[6], data_type=7, int64_data=[0, 0, 1]),
     lambda: helper.make_node("Pad", ["x", "pads"], ["y"], name="pd"),
     r"^initializer 'pads': its data does not fill its dims \(6\)"),
], ids=["raw short", "raw not whole floats", "int64 short"])
def test_an_initializer_whose_data_does_not_fill_its_dims_is_refused(tensor, node, message):
    # numpy's ValueError escaped: the command line exited 3, an internal error
    with pytest.raises(sc.UsageError, match=message):
        sc.from_onnx(_model([node()], [tensor()], ndim=1, channels=1))


@needs_onnx
@pytest.mark.parametrize("nodes, inits, ndim, message", [
    # a Resize of the channels: the conv after it was refused ("takes 3 channels, gets 2")
    # on a model onnxruntime runs, the channels kept as the input's
    (lambda: [helper.make_node("Resize", ["x", "", "", "sz"], ["y"], name="rs")],
     lambda: [_init("sz", np.array([1, 3, 4, 4], dtype=np.int64))], 2,
     r"^node rs \(Resize\): its sizes entry for the channel axis is 3, on an input of 2 "
     r"channels: a resize of the channels is not read$"),
    (lambda: [helper.make_node("Resize", ["x", "", "sc"], ["y"], name="rs", mode="cubic")],
     lambda: [_init("sc", np.array([1, 1, 2], dtype=np.float32))], 1,
     r"^node rs \(Resize\): mode='cubic' on 1 spatial axis: onnxruntime resizes cubically 2 "
     r"spatial axes only \(it refuses the model\)$"),
    (lambda: [helper.make_node("Resize", ["x", "", "sc", "sz"], ["y"], name="rs")],
     lambda: [_init("sc", np.array([1, 1, 2, 2], dtype=np.float32)),
              _init("sz", np.array([1, 2, 4, 4], dtype=np.int64))], 2,
     r"^node rs \(Resize\): both scales and sizes are given"),
    (lambda: [helper.make_node("Relu", ["x"], ["a"], name="r"),
              helper.make_node("MaxPool", ["a"], ["a"], name="p", kernel_shape=[2, 2])],
     lambda: [], 2, r"^nodes 'r' and 'p' both write tensor 'a' \(onnxruntime refuses the "
                    r"model: a tensor is defined once\)$"),
    (lambda: [helper.make_node("Conv", ["x", "w"], ["y"], name="cv", group=0)],
     lambda: [_init("w", np.ones((2, 2, 3, 3), dtype=np.float32))], 2,
     r"^node cv \(Conv\): group=0: ONNX's group is a positive integer"),
], ids=["resize channels", "cubic 1-d", "scales and sizes", "one tensor written twice",
        "group 0"])
def test_models_onnxruntime_refuses_at_every_size_are_refused(nodes, inits, ndim, message):
    # each was read and answered (exit 0); onnxruntime refuses each model when it loads
    with pytest.raises(sc.SymconvError, match=message):
        sc.from_onnx(_model(nodes(), inits(), ndim=ndim, channels=2))


@needs_onnx
@pytest.mark.parametrize("merge", ["Add", "Mul", "Max", "Sum"])
def test_accepted_sizes_where_a_merge_broadcasts_at_small_sizes_only(merge) -> None:
    # a stride-2 conv meets an ONNX pooling whose partial window makes size 1 at inputs 1
    # and 3: they broadcast there, and not at 5; "acceptance is not periodic" was raised
    w = _init("w", np.ones((1, 1, 3), dtype=np.float32))
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="cv", strides=[2], pads=[1, 1]),
             helper.make_node("MaxPool", ["x"], ["p"], name="mp", kernel_shape=[2], strides=[2]),
             helper.make_node(merge, ["c", "p"], ["y"], name="m")]
    g = sc.from_onnx(_model(nodes, [w], ndim=1, channels=1, opset=13))
    (acc,) = g.accepted()
    assert [i for i in range(1, 40) if i in acc] == [1, 2, 3, *range(4, 40, 2)]
    assert all((i in acc) == (g.failure((i,)) is None) for i in range(1, 40))


@needs_onnx
def test_a_linear_no_size_fits_leaves_no_axis_accepted_in_json(tmp_path, capsys) -> None:
    # the global pooling makes 2 features, the Gemm takes 3: every axis said "i >= 1"
    from symconv.cli import main
    nodes = [helper.make_node("GlobalAveragePool", ["x"], ["g"], name="gap"),
             helper.make_node("Flatten", ["g"], ["f"], name="fl"),
             helper.make_node("Gemm", ["f", "W"], ["y"], name="fc", transB=1)]
    path = tmp_path / "m.onnx"
    onnx.save(_model(nodes, [_init("W", np.ones((2, 3), dtype=np.float32))], channels=2,
                     opset=13), str(path))
    assert main(["net", str(path), "--json"]) == 0
    axes = json.loads(capsys.readouterr().out)["accepted"]
    assert [(a["residues"], a["smallest"]) for a in axes] == [([], None), ([], None)]
    assert axes[0]["text"] == ("the Linear at fc takes 3 features, not a multiple of the 2 "
                               "channels at gap: no input size")


@needs_onnx
def test_nodes_out_of_order_are_read_in_order_and_a_cycle_is_refused() -> None:
    # onnxruntime runs a file whose nodes are not sorted; it was refused ("input 'c' is
    # not produced by a node symconv read"), as a cycle was, for a reason neither has
    w = _init("w", np.ones((1, 1, 3), dtype=np.float32))
    conv = helper.make_node("Conv", ["x", "w"], ["c"], name="cv", strides=[2])
    pool = helper.make_node("MaxPool", ["c"], ["y"], name="mp", kernel_shape=[2])
    sorted_ = sc.from_onnx(_model([conv, pool], [w], ndim=1, channels=1))
    model = _model([pool, conv], [w], ndim=1, channels=1, outputs=["y"])
    assert sc.from_onnx(model).shapes((9,)) == sorted_.shapes((9,))
    assert [n.name for n in model.graph.node] == ["mp", "cv"]       # the model untouched
    loop = _model([helper.make_node("Relu", ["x", "b"], ["a"], name="r1"),
                   helper.make_node("Relu", ["a"], ["b"], name="r2")], ndim=1, channels=1)
    with pytest.raises(sc.UsageError, match=r"^nodes 'r1', 'r2' read each other's outputs: "
                                            r"a cycle \(onnxruntime refuses the model\)$"):
        sc.from_onnx(loop)
    itself = _model([helper.make_node("Add", ["x", "a"], ["a"], name="r")], ndim=1, channels=1)
    with pytest.raises(sc.UsageError, match=r"^node 'r' \(Add\) reads its own output"):
        sc.from_onnx(itself)


@needs_onnx
def test_control_flow_on_a_constant_condition_is_refused_as_control_flow() -> None:
    # its branches read the model's input: it was "a computation on constants that onnx's
    # reference evaluator cannot run: Unable to find input 'x' in known results ..."
    def branch(op, out):
        return helper.make_graph([helper.make_node(op, ["x"], [out])], out, [],
                                 [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)])
    node = helper.make_node("If", ["c"], ["y"], name="if", then_branch=branch("Relu", "t"),
                            else_branch=branch("Neg", "e"))
    with pytest.raises(sc.UsageError, match=r"^node if \(If\): control flow with subgraphs "
                                            r"\(If, Loop, Scan\): not read$"):
        sc.from_onnx(_model([node], [_init("c", np.array(True))], ndim=1, channels=1, opset=13))


@needs_onnx
def test_a_resize_after_channels_symconv_does_not_follow_reads_its_entry_and_says_so() -> None:
    # after a DepthToSpace (a dynamo export of PixelShuffle then Upsample(size=...)) the
    # channel entry could not be checked, and the model was refused; onnxruntime runs it
    nodes = [helper.make_node("DepthToSpace", ["x"], ["d"], name="ps", blocksize=2),
             helper.make_node("Resize", ["d", "", "", "sz"], ["y"], name="up")]
    g = sc.from_onnx(_model(nodes, [_init("sz", np.array([1, 2, 10, 10], dtype=np.int64))],
                            channels=8, opset=13))
    assert g.shapes((4, 3))["up"] == (2, (10, 10))
    assert g.assumptions == ("Resize up: its sizes entry 2 for the channel axis is read as its "
                             "input's channel count (not followed there): a resize of the "
                             "channels would not be",)


@needs_onnx
def test_a_model_without_a_known_opset_is_refused() -> None:
    pool = helper.make_node("MaxPool", ["x"], ["y"], name="p", kernel_shape=[2, 2])
    model = _model([pool], channels=2)
    assert sc.from_onnx(model).shapes((4, 4))["p"] == (2, (3, 3))
    model.opset_import[0].version = 99
    with pytest.raises(sc.UsageError, match=r"^the model's opset 99 is newer than the "
                                            r"installed onnx knows \(up to \d+\)"):
        sc.from_onnx(model)
    model.ClearField("opset_import")    # read at which version? a guess: refused
    with pytest.raises(sc.UsageError, match=r"^the model imports no ONNX opset"):
        sc.from_onnx(model)


@needs_onnx
def test_channels_a_convolution_does_not_take_refuse_every_size() -> None:
    w = _init("w", np.zeros((2, 4, 3, 3), dtype=np.float32))       # takes 4 channels
    conv = helper.make_node("Conv", ["x", "w"], ["y"], name="conv", kernel_shape=[3, 3])
    g = sc.from_onnx(_model([conv], [w], channels=3))
    assert g.failure((8, 8)) == "conv at conv: takes 4 channels, gets 3"
    with pytest.raises(sc.DomainError, match=r"^no input size passes every layer on axis 0: "
                       r"conv at conv: takes 4 channels, gets 3$"):
        g.accepted()


@needs_onnx
def test_resize_by_scales_that_are_not_integers() -> None:
    """ONNX's size is floor(i * scale): 0.5 and 1.5 (exact in float32) are read as
    floor(i / 2) and floor(3 i / 2), against shape inference at every size; 0.3 is not."""
    scales = _init("scales", np.array([1, 1, 0.5, 1.5], dtype=np.float32))
    node = helper.make_node("Resize", ["x", "", "scales"], ["y"], name="r", mode="nearest")
    model = _model([node], [scales])
    graph = sc.from_onnx(model)
    assert tuple(map(str, graph.exprs()["r"])) == ("floor(i/2)", "floor(3*i/2)")
    for size in [(h, w) for h in range(2, 30) for w in (1, 2, 7, 16)]:
        assert graph.output(size)[1] == _inferred(model, size)["y"][2:], size
    assert graph.failure((1, 3)) == "resize at r: size 0 on axis 0 (must be >= 1)"
    odd = _init("odd", np.array([1, 1, 0.3, 1], dtype=np.float32))
    with pytest.raises(sc.UsageError, match=r"^node r2 \(Resize\): scales \[0.30000001192092896, "
                       r"1.0\]: a scale that is not an integer is read when it is m / 2\*\*e"):
        sc.from_onnx(_model([helper.make_node("Resize", ["x", "", "odd"], ["y"], name="r2")],
                            [odd]))


@needs_onnx
@pytest.mark.parametrize(("shape", "weight_channels"), [((1, 4, 1, 1), 4), ((4, 1, 1), 4),
                                                       ((1, 1, 1, 1), 1), ((1,), 1)])
def test_a_constant_that_broadcasts_channels_sets_them(shape, weight_channels):
    """Add(x, c) with c of shape (1, C, 1, 1) on a 1-channel x has C channels, as the
    reference evaluator gives (the next Conv takes C); a constant of 1 keeps x's."""
    from onnx.reference import ReferenceEvaluator
    model = _model([helper.make_node("Add", ["x", "c"], ["y"]),
                    helper.make_node("Conv", ["y", "w"], ["z"])],
                   [_init("c", np.ones(shape, np.float32)),
                    _init("w", np.ones((2, weight_channels, 3, 3), np.float32))], channels=1)
    graph = sc.from_onnx(model)
    want = ReferenceEvaluator(model).run(None, {"x": np.zeros((1, 1, 8, 8), np.float32)})[0]
    assert graph.shapes((8, 8))["z"] == (want.shape[1], tuple(want.shape[2:]))
    if weight_channels > 1:
        assert graph.shapes((8, 8))["y"] == (weight_channels, (8, 8))
        wrong = _model([helper.make_node("Add", ["x", "c"], ["y"]),
                        helper.make_node("Conv", ["y", "w"], ["z"])],
                       [_init("c", np.ones(shape, np.float32)),
                        _init("w", np.ones((2, 1, 3, 3), np.float32))], channels=1)
        with pytest.raises(sc.SymconvError, match="conv at z: takes 1 channels, gets 4"):
            sc.from_onnx(wrong).shapes((8, 8))


@needs_onnx
def test_onnx_conv_transpose_valid_pads_zero_and_keeps_output_padding():
    """auto_pad=VALID on ConvTranspose: pads 0, output_padding as given (default 0), so
    (i-1)s + d(k-1) + 1 + a as the reference evaluator gives (it was refused)."""
    from onnx.reference import ReferenceEvaluator
    for k, s, d, a in [(1, 4, 1, 0), (3, 2, 1, 1), (2, 3, 1, 2), (3, 2, 2, 0)]:
        node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[s], dilations=[d],
                                auto_pad="VALID", output_padding=[a])
        model = _model([node], [_init("w", np.ones((1, 1, k), np.float32))], ndim=1, channels=1)
        want = ReferenceEvaluator(model).run(None, {"x": np.zeros((1, 1, 8), np.float32)})[0]
        got = sc.preset("onnx", "VALID", "conv_transpose").apply(i=8, k=k, s=s, d=d, a=a).o
        assert got == want.shape[-1] == sc.Chain.parse(
            f"convt k={k} s={s} d={d} a={a} p=VALID framework=onnx", ndim=1).output(8)


@needs_onnx
@pytest.mark.parametrize("op", ["MaxPool", "AveragePool", "LpPool"])
def test_pooling_pads_of_the_kernel_or_more_are_refused(op) -> None:
    """onnxruntime (pool_attributes.h) refuses a pooling pad of the kernel or more ("Pad
    should be smaller than kernel."); the reference evaluator's MaxPool reduces an empty
    window.  Refused when the model is read; a pad of k - 1 is read, as the evaluator runs it."""
    from onnx.reference import ReferenceEvaluator
    node = helper.make_node(op, ["x"], ["y"], name="pool", kernel_shape=[2, 2],
                            pads=[2, 2, 2, 2])
    if op == "MaxPool":
        with pytest.raises(ValueError, match="zero-size array to reduction"):
            ReferenceEvaluator(_model([node])).run(None, {"x": np.ones((1, 3, 5, 5), np.float32)})
    with pytest.raises(sc.DomainError, match=(
            rf"^node pool \({op}\): pads \[2, 2, 2, 2\]: the pad 2 before axis 0 is not below "
            r"kernel_shape \[2, 2\] on that axis \(ONNX pooling needs each pad < its kernel, as "
            r"onnxruntime requires\); give pads of at most 1 there$")):
        sc.from_onnx(_model([node]))
    late = helper.make_node(op, ["x"], ["y"], name="p2", kernel_shape=[3, 2],
                            pads=[0, 1, 2, 2])
    with pytest.raises(sc.DomainError, match=r"^node p2 \(" + op + r"\): pads \[0, 1, 2, 2\]: "
                       r"the pad 2 after axis 1 is not below kernel_shape \[3, 2\]"):
        sc.from_onnx(_model([late]))
    ok = _model([helper.make_node(op, ["x"], ["y"], name="pool", kernel_shape=[3, 2],
                                  pads=[2, 1, 1, 1])])
    want = ReferenceEvaluator(ok).run(None, {"x": np.ones((1, 3, 5, 4), np.float32)})[0]
    assert sc.from_onnx(ok).shapes((5, 4))["pool"] == (3, tuple(want.shape[2:])) == (3, (6, 5))


def _slice(axes, opset=18):
    if opset < 10:
        return _model([helper.make_node("Slice", ["x"], ["y"], name="s", starts=[0] * len(axes),
                                        ends=[2] * len(axes), axes=list(axes))], opset=opset)
    inits = [_init(n, np.array(v, dtype=np.int64))
             for n, v in (("a", [0] * len(axes)), ("b", [2] * len(axes)), ("ax", list(axes)))]
    return _model([helper.make_node("Slice", ["x", "a", "b", "ax"], ["y"], name="s")], inits,
                  opset=opset)


def _axis_message(op, name, axes, bad, rank=4):
    return (rf"^node {name} \({op}\): axes \[{', '.join(map(str, axes))}\]: {bad} is not an "
            rf"axis of a rank {rank} input \(ONNX takes -{rank}\.\.{rank - 1}, as shape inference "
            r"does\); give axes in that range$")


@needs_onnx
@pytest.mark.parametrize(("make", "op", "name", "axes", "bad"), [
    (lambda: _slice([7]), "Slice", "s", [7], 7),
    (lambda: _slice([-6]), "Slice", "s", [-6], -6),
    (lambda: _slice([2, 4]), "Slice", "s", [2, 4], 4),
    (lambda: _slice([7], opset=9), "Slice", "s", [7], 7),
    (lambda: _model([helper.make_node("Pad", ["x", "p", "", "ax"], ["y"], name="pad")],
                    [_init("p", np.array([1, 1], np.int64)),
                     _init("ax", np.array([6], np.int64))]), "Pad", "pad", [6], 6),
    (lambda: _model([helper.make_node("Resize", ["x", "", "", "sz"], ["y"], name="r",
                                      axes=[6])],
                    [_init("sz", np.array([4], np.int64))]), "Resize", "r", [6], 6),
], ids=["Slice 7", "Slice -6", "Slice 2, 4", "Slice opset 9", "Pad 6", "Resize 6"])
def test_axes_out_of_range_are_refused(make, op, name, axes, bad) -> None:
    """Valid axes are -r..r-1 for rank r: shape inference refuses the others ("Unexpected
    axis value") and so does the reference evaluator; they were wrapped (axes=[7] sliced
    axis 3)."""
    model = make()
    with pytest.raises((IndexError, ValueError)):
        _evaluated(model, 3, (5, 5))
    if model.opset_import[0].version >= 10:      # Slice-1's attributes are not checked
        with pytest.raises(Exception, match="Unexpected axis value"):
            shape_inference.infer_shapes(model, strict_mode=True)
    with pytest.raises(sc.DomainError, match=_axis_message(op, name, axes, bad)):
        sc.from_onnx(model)


@needs_onnx
def test_axes_counted_from_the_end_and_repeated_axes() -> None:
    from onnx.reference import ReferenceEvaluator
    model = _slice([-1])
    want = ReferenceEvaluator(model).run(None, {"x": np.ones((1, 3, 5, 6), np.float32)})[0]
    assert sc.from_onnx(model).shapes((5, 6))["s"] == (3, tuple(want.shape[2:])) == (3, (5, 2))
    twice = _slice([3, -1])
    with pytest.raises(Exception, match="Axis 3 is referred to more than once"):
        shape_inference.infer_shapes(twice, strict_mode=True)
    with pytest.raises(sc.DomainError, match=r"^node s \(Slice\): axes \[3, -1\]: an axis given "
                       r"twice \(ONNX's shape inference refuses it\); give each axis once$"):
        sc.from_onnx(twice)


def _params(op, shapes, channels=2, before=()):
    names = [f"p{n}" for n in range(len(shapes))]
    node = helper.make_node(op, [before[-1].output[0] if before else "x"] + names, ["y"],
                            name="n")
    inits = [_init(n, np.ones(sh, np.float32)) for n, sh in zip(names, shapes, strict=True)]
    return _model(list(before) + [node], inits, channels=channels)


def _evaluated(model, channels, sizes):
    from onnx.reference import ReferenceEvaluator
    x = np.ones((1, channels) + tuple(sizes), np.float32)
    return ReferenceEvaluator(model).run(None, {"x": x})[0].shape


@needs_onnx
@pytest.mark.parametrize(("op", "shapes"), [
    ("BatchNormalization", [(3,)] * 4), ("InstanceNormalization", [(3,)] * 2),
    ("PRelu", [(3, 1, 1)])])
def test_parameters_for_other_channels_refuse_every_size(op, shapes) -> None:
    """Parameters of 3 channels on a 2-channel tensor: the reference evaluator refuses
    (they do not broadcast), and so does the graph, at every size."""
    model = _params(op, shapes)
    with pytest.raises(ValueError, match="could not be broadcast"):
        _evaluated(model, 2, (5, 5))
    graph = sc.from_onnx(model)
    assert graph.failure((5, 5)) == f"{op} at n: its parameters are for 3 channels, gets 2"
    with pytest.raises(sc.DomainError, match=f"^no input size passes every layer on axis 0: "
                       f"{op} at n: its parameters are for 3 channels, gets 2$"):
        graph.accepted()
    right = _params(op, [tuple(2 if v == 3 else v for v in sh) for sh in shapes])
    assert sc.from_onnx(right).shapes((5, 5))["n"] == (2, (5, 5))
    assert _evaluated(right, 2, (5, 5)) == (1, 2, 5, 5)


@needs_onnx
@pytest.mark.parametrize("shape", [(1,), (1, 1, 1), (1, 1, 1, 1)])
def test_a_prelu_slope_of_one_entry_takes_any_channels(shape) -> None:
    model = _params("PRelu", [shape], channels=5)
    assert _evaluated(model, 5, (4, 3)) == (1, 5, 4, 3)
    model.graph.node.append(helper.make_node("MaxPool", ["y"], ["z"], name="pool",
                                             kernel_shape=[2, 2]))
    model.graph.output[0].name = "z"
    assert sc.from_onnx(model).shapes((4, 3))["pool"] == (5, (3, 2))


@needs_onnx
def test_a_prelu_slope_computed_from_the_input_is_refused() -> None:
    # the slope x broadcasts to the conv's output: the reference evaluator gives (1, 1, 3, 3)
    # at 3 x 3 and refuses 4 x 4; it was passed through as any channels' slope (1 x 1, and
    # every size from 3)
    conv, w = _conv_node("conv", "x", "c", 1, 1, (3, 3))
    model = _model([conv, helper.make_node("PRelu", ["c", "x"], ["y"], name="n")], [w],
                   channels=1)
    assert _evaluated(model, 1, (3, 3)) == (1, 1, 3, 3)
    with pytest.raises(Exception, match="broadcast"):
        _evaluated(model, 1, (4, 4))
    with pytest.raises(sc.UsageError, match=r"^node n \(PRelu\): a slope computed in the "
                       r"graph, not a constant: its shape, which broadcasts to the input's, is "
                       r"not read$"):
        sc.from_onnx(model)


@needs_onnx
@pytest.mark.parametrize("op", ["CastLike", "Cast"])
@pytest.mark.parametrize("scale", [(4, 1, 1), (3, 1, 1), (1,)])
def test_a_constant_cast_to_the_maps_type_is_the_constant(op, scale) -> None:
    # Mul(y, CastLike(G, y)), a layer scale in the map's type: CastLike was refused ("input
    # 'G' is not produced by a node symconv read"); through Cast, G was left out of the
    # parameters without a word. Both broadcast as G does and say G is not counted.
    conv, w = _conv_node("conv", "x", "c", 3, 4, (3, 3), strides=[2, 2], pads=[1, 1, 1, 1])
    cast = helper.make_node(op, ["G", "c"] if op == "CastLike" else ["G"], ["g"], name="cast",
                            **({} if op == "CastLike" else {"to": TensorProto.FLOAT}))
    mul = helper.make_node("Mul", ["c", "g"], ["y"], name="mul")
    model = _model([conv, cast, mul], [w, _init("G", np.ones(scale, np.float32))], opset=21)
    graph = sc.from_onnx(model)
    assert graph.assumptions == ("initializers in elementwise ops (G: "
                                 f"{math.prod(scale)} values) are not counted as parameters: "
                                 "ONNX does not tell a learned one (a layer scale) from a "
                                 "buffer (an input's mean and std)",)
    for sizes in [(1, 1), (9, 9), (9, 10), (10, 9), (6, 17)]:
        try:
            shape = _evaluated(model, 3, sizes)
        except Exception:   # noqa: BLE001 - the evaluator's broadcast errors
            shape = None
        assert graph.failure(sizes) is None if shape else graph.failure(sizes) is not None
        if shape:
            channels, spatial = graph.output(sizes)
            assert (1, channels, *spatial) == shape


@needs_onnx
def test_a_reduction_with_no_axes_and_noop_with_empty_axes_is_the_input() -> None:
    # ReduceMean(x) with noop_with_empty_axes=1 returns x (it was refused as a reduction
    # over every axis); without the attribute it still is one, and refused
    for noop, opset in ((1, 18), (1, 13), (0, 18)):
        node = helper.make_node("ReduceSum" if opset == 13 else "ReduceMean", ["x"], ["m"],
                                name="mean", noop_with_empty_axes=noop)
        pool = helper.make_node("MaxPool", ["m"], ["y"], name="pool", kernel_shape=[2, 2])
        model = _model([node, pool], opset=opset)
        if noop:
            assert _evaluated(model, 3, (5, 4)) == (1, 3, 4, 3)
            assert sc.from_onnx(model).shapes((5, 4))["pool"] == (3, (4, 3))
        else:
            with pytest.raises(sc.UsageError, match="a reduction over every axis"):
                sc.from_onnx(model)


@needs_onnx
def test_parameters_after_a_flatten_are_for_the_features_and_of_one_length() -> None:
    """BatchNormalization on (N, features): its parameters take the features, which the
    sizes make (a check coupling the axes, as a Linear's); parameters of different lengths
    are wrong at every size and refused when read."""
    flat = helper.make_node("Flatten", ["x"], ["f"], name="flat")
    model = _params("BatchNormalization", [(8,)] * 4, before=[flat])
    graph = sc.from_onnx(model)
    assert _evaluated(model, 2, (2, 2)) == (1, 8)
    with pytest.raises(ValueError, match="could not be broadcast"):
        _evaluated(model, 2, (2, 3))
    assert graph.failure((2, 2)) is None
    assert graph.failure((2, 3)) is not None
    assert graph.accepted_sizes().smallest == (1, 4)
    mixed = _params("BatchNormalization", [(2,), (3,), (2,), (2,)])
    with pytest.raises(sc.DomainError, match=r"^node n \(BatchNormalization\): its parameters "
                       r"are for different channel counts \(p0: 2, p1: 3, p2: 2, p3: 2\); "
                       r"ONNX's are one entry per channel: give them one length$"):
        sc.from_onnx(mixed)
    spatial = _params("PRelu", [(2,)])       # aligned with the last (spatial) axis
    with pytest.raises(sc.UsageError, match=r"^node n \(PRelu\): a slope of shape \[2\] on a "
                       r"rank 4 input: symconv reads a slope of one entry or one per channel "
                       r"\(1 on the batch and spatial axes\), shape \[C, 1, 1\]$"):
        sc.from_onnx(spatial)


@needs_onnx
def test_a_conv_bias_of_another_length_than_the_output_channels_is_refused() -> None:
    w = _init("w", np.ones((2, 2, 3, 3), np.float32))
    model = _model([helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv")],
                   [w, _init("b", np.ones(3, np.float32))], channels=2)
    with pytest.raises(ValueError, match="could not be broadcast"):
        _evaluated(model, 2, (5, 5))
    with pytest.raises(sc.DomainError, match=r"^node conv \(Conv\): a bias B of shape \[3\] for 2 "
                       r"output channels \(W of shape \[2, 2, 3, 3\]; ONNX's B has one entry per "
                       r"output channel, shape \[2\]\); give B 2 entries$"):
        sc.from_onnx(model)
    wt = _init("wt", np.ones((2, 3, 3, 3), np.float32))        # M = 3 * group = 6
    ct = _model([helper.make_node("ConvTranspose", ["x", "wt", "b"], ["y"], name="ct",
                                  group=2)], [wt, _init("b", np.ones(3, np.float32))],
                channels=2)
    with pytest.raises(sc.DomainError, match=r"^node ct \(ConvTranspose\): a bias B of shape "
                       r"\[3\] for 6 output channels \(W of shape \[2, 3, 3, 3\], group=2;"):
        sc.from_onnx(ct)
    good = _model([helper.make_node("ConvTranspose", ["x", "wt", "b"], ["y"], name="ct")],
                  [wt, _init("b", np.ones(3, np.float32))], channels=2)
    assert sc.from_onnx(good).shapes((4, 4))["ct"] == (3, (6, 6))
    assert _evaluated(good, 2, (4, 4)) == (1, 3, 6, 6)


@needs_onnx
@pytest.mark.parametrize(("op", "channels", "message"), [
    ("Conv", 2, r"^node g \(Conv\): group=2 does not divide the 3 output channels of its weight "
                r"\(shape \[3, 1, 3, 3\]; ONNX's Conv needs W.shape\[0\] divisible by group\); "
                r"give the weight a multiple of group there, or another group$"),
    ("ConvTranspose", 3, r"^node g \(ConvTranspose\): group=2 does not divide the 3 input "
                         r"channels of its weight \(shape \[3, 1, 3, 3\]; ONNX's ConvTranspose "
                         r"needs W.shape\[0\] divisible by group\)"),
], ids=["Conv", "ConvTranspose"])
def test_group_must_divide_the_weight_channels(op, channels, message) -> None:
    """Conv group=2 with W (3, 1, 3, 3): 3 output channels in 2 groups; ConvTranspose
    group=2 on 3 channels.  The reference evaluator fails on both; refused when read."""
    model = _model([helper.make_node(op, ["x", "w"], ["y"], name="g", group=2)],
                   [_init("w", np.ones((3, 1, 3, 3), np.float32))], channels=channels)
    with pytest.raises(ValueError):
        _evaluated(model, channels, (5, 5))
    with pytest.raises(sc.DomainError, match=message):
        sc.from_onnx(model)
    # a Layer the reader builds names the node too (Layer's own refusals)
    bad = _model([helper.make_node(op, ["x", "w"], ["y"], name="g", strides=[0, 1])],
                 [_init("w", np.ones((2, 1, 3, 3), np.float32))], channels=1 if op == "Conv"
                 else 2)
    with pytest.raises(sc.SymconvError, match=rf"^node g \({op}\): "):
        sc.from_onnx(bad)


def test_normalisation_parameters_are_counted_as_pytorch_counts_them():
    """BatchNormalization's scale and B are its parameters (mean and var are statistics),
    a PRelu's slope too: they were not counted."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper
    consts = {"w": np.ones((4, 1, 3, 3), np.float32), "b": np.ones(4, np.float32),
              "scale": np.ones(4, np.float32), "B": np.ones(4, np.float32),
              "mean": np.zeros(4, np.float32), "var": np.ones(4, np.float32),
              "slope": np.ones((4, 1, 1), np.float32)}
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv"),
             helper.make_node("BatchNormalization", ["c", "scale", "B", "mean", "var"], ["n"],
                              name="bn"),
             helper.make_node("PRelu", ["n", "slope"], ["y"], name="act")]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, "h", "w"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(v, k) for k, v in consts.items()])
    g = sc.from_onnx(helper.make_model(graph))
    counts = g.counts((8, 8))
    assert sum(p for p, _ in counts.values()) == 4 * 9 + 4 + 2 * 4 + 4


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("opset", [11, 13, 17])
@pytest.mark.parametrize("which", ["_Parts", "_TransformInput"])
def test_parts_of_the_channels_exported_read_as_pytorch_runs_them(tmp_path, which, opset):
    # Split, Slice of axis 1 and Gather + Unsqueeze were refused; a module called twice
    # (two Conv nodes of one weight) counted its parameters twice
    from test_torch_architectures import _Parts, _TransformInput
    model = {"_Parts": _Parts, "_TransformInput": _TransformInput}[which]().eval()
    path = tmp_path / "m.onnx"
    torch.onnx.export(model, (torch.zeros(1, 3, 16, 16),), str(path), input_names=["x"],
                      dynamic_axes={"x": {2: "h", 3: "w"}}, dynamo=False, opset_version=opset)
    graph = sc.from_onnx(onnx.load(str(path)))
    for size in [(i, i) for i in range(1, 14)] + [(3, 9), (9, 4)]:
        live = _live(model, size, 3)
        assert graph.accepts(size) == (live is not None), size
        if live is not None:
            assert graph.output(size) == (live[1], live[2:])
    assert sum(p for p, _ in graph.counts((16, 16)).values()) == \
        sum(p.numel() for p in model.parameters())


@needs_onnx
def test_a_split_whose_sizes_do_not_add_up_refuses_every_size() -> None:
    split = helper.make_node("Split", ["x", "sizes"], ["a", "b"], name="split", axis=1)
    pool = helper.make_node("MaxPool", ["b"], ["y"], name="pool", kernel_shape=[2, 2])
    graph = helper.make_graph(
        [split, pool], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                           [1, 3, "h", "w"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [helper.make_tensor("sizes", TensorProto.INT64, [2], [2, 2])])
    g = sc.from_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))
    assert g.failure((4, 4)) == ("Split at split: split sizes [2, 2] add up to 4, not the 3 "
                                 "channels (a split's sizes add up to them)")


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("which", ["_ConvNeXt", "_TimmBlock"])
def test_convnext_exported_read_as_pytorch_runs_it(tmp_path, which):
    # Transpose to channels-last, LayerNormalization, MatMul and its bias; a layer scale
    # (an initializer in a Mul) is not counted, and said
    import test_torch_architectures as arch
    model = arch._ConvNeXt() if which == "_ConvNeXt" else \
        torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), arch._TimmBlock(4))
    graph = _exported_agrees(model, tmp_path, params=False,
                             sizes=[(i, i) for i in range(1, 34, 2)] + [(8, 40), (40, 9)])
    counts = graph.counts((32, 32)).values()
    scales = {n: p.numel() for n, p in model.named_parameters()
              if n.endswith(("layer_scale", "gamma"))}
    assert sum(p for p, _ in counts) == sum(p.numel() for p in model.parameters()) - \
        sum(scales.values())
    assert any(f"{sum(scales.values())} values) are not counted" in a and
               all(n in a for n in scales) for a in graph.assumptions)
    assert sum(m for _, m in counts) == arch._hooked_macs(model, (32, 32))


@needs_onnx
@pytest.mark.parametrize("nodes, message", [
    ([("Transpose", ["x"], ["t"], {"perm": [0, 3, 2, 1]})],
     r"^node t \(Transpose\): perm \[0, 3, 2, 1\]: only the channels to the last axis "
     r"\[0, 2, 3, 1\] and back \[0, 3, 1, 2\] are read$"),
    ([("Transpose", ["x"], ["t"], {"perm": [0, 2, 3, 1]}),
      ("MaxPool", ["t"], ["p"], {"kernel_shape": [2, 2]})],
     r"^node p \(MaxPool\): on a tensor transposed to channels-last \(t\): not read"),
    ([("Transpose", ["x"], ["y"], {"perm": [0, 2, 3, 1]})],
     r"^the model's output 'y' is transposed to channels-last: not read"),
    ([("Transpose", ["x"], ["t"], {"perm": [0, 2, 3, 1]}), ("Add", ["t", "x"], ["y"], {})],
     r"^node y \(Add\): merges a channels-last tensor with a channels-first one: not read$"),
])
def test_what_a_channels_last_tensor_does_not_take_is_refused_from_onnx(nodes, message):
    made = [helper.make_node(op, ins, outs, name=outs[0], **attrs)
            for op, ins, outs, attrs in nodes]
    graph = helper.make_graph(made, "g", [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, [1, 3, "h", "w"])], [helper.make_tensor_value_info(
            made[-1].output[0], TensorProto.FLOAT, None)])
    with pytest.raises(sc.UsageError, match=message):
        sc.from_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))


@needs_onnx
def test_a_declared_input_size_is_said_and_partial_windows_are_said() -> None:
    # a file exported without dynamic axes declares its size; answers are for every size
    pool = helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2],
                            strides=[2, 2], ceil_mode=1)
    graph = helper.make_graph([pool], "g", [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, [1, 3, 224, 160])], [helper.make_tensor_value_info(
            "y", TensorProto.FLOAT, None)])
    g = sc.from_onnx(helper.make_model(graph))
    assert g.assumptions == ("the input is declared 224x160; answers are for every size the "
                             "graph's ops take (a runtime that enforces the declared shape "
                             "runs that size only)",)
    assert g.shapes((9, 9))["pool"] == (3, (5, 5))
    # a size declared on some axes only (an OCR export, [1, 1, 32, 'width']) is said too
    graph = helper.make_graph([pool], "g", [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, [1, 3, 32, "width"])], [helper.make_tensor_value_info(
            "y", TensorProto.FLOAT, None)])
    assert sc.from_onnx(helper.make_model(graph)).assumptions == (
        "the input declares dim 2 (spatial axis 0) = 32; answers are for every size the "
        "graph's ops take there too (a runtime that enforces the declared shape runs that "
        "size only on that axis)",)


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("which", ["plain-layer-norm", "one-channel-then-constant", "gelu"])
def test_constants_of_the_model_s_code_are_not_parameters(tmp_path, which):
    # a LayerNorm without affine weights exports Constant ones and zeros; a scalar added
    # after a MatMul to one channel (a GELU's 1.0) was read as that MatMul's bias
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2d(3, 7, 1)
            self.ln = nn.LayerNorm(7, elementwise_affine=False)
            self.a, self.b = nn.Linear(7, 1, bias=False), nn.Linear(1, 7)

        def forward(self, x):
            y = self.c(x).permute(0, 2, 3, 1)
            if which == "plain-layer-norm":
                y = self.ln(y)
            elif which == "one-channel-then-constant":
                y = self.b(self.a(y) + 1.0)
            else:
                y = self.b(torch.nn.functional.gelu(self.a(y)))
            return y.permute(0, 3, 1, 2)
    model = Net().eval()
    path = tmp_path / "m.onnx"
    torch.onnx.export(model, (torch.zeros(1, 3, 8, 8),), str(path), input_names=["x"],
                      dynamic_axes={"x": {2: "h", 3: "w"}}, dynamo=False, opset_version=17)
    graph = sc.from_onnx(onnx.load(str(path)))
    used = sum(p.numel() for name, p in model.named_parameters()
               if which != "plain-layer-norm" or name.startswith("c."))
    assert sum(p for p, _ in graph.counts((8, 8)).values()) == used


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("opset", [13, 18])
@pytest.mark.parametrize("which", ["_SE", "mean", "unsqueeze", "squeeze", "_SpatialKeepdim",
                                   "_Stacked", "_AutoEncoder", "_SE3d", "_SE1d", "_Gate"])
def test_attention_blocks_exported_read_as_pytorch_runs_them(tmp_path, which, opset,
                                                             dynamo=False):
    # ReduceMean over the channels or the spatial axes (axes an attribute before opset 18,
    # an input from it), Unsqueeze of features, Reshape to (N, C, 1, 1) by constants or by
    # the channel count Shape reads, Expand to another tensor's shape (expand_as)
    import test_torch_attention as att
    model = att._Gate(1, minus=True) if which == "_Gate" else \
        att._Gated(which) if not which.startswith("_") else getattr(att, which)()
    nd = {"_SE3d": 3, "_SE1d": 1}.get(which, 2)
    sizes = [(v,) * nd for v in range(1, 20)] + ([(3, 17), (17, 5)] if nd == 2 else [])
    if which == "_AutoEncoder":
        sizes = [(a, b) for a in range(12, 20) for b in range(13, 19)]
    _exported_agrees(model, tmp_path, 1 if which == "_AutoEncoder" else 3, nd, opset, sizes,
                     dynamo=dynamo)


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("which", ["_SE", "unsqueeze", "_Stacked", "_SE1d"])
def test_attention_blocks_by_the_new_exporter_read_as_pytorch_runs_them(tmp_path, which):
    # torch.export writes view(b, c) of a fixed batch as constants, and expand_as(x) as an
    # Expand to a shape built from the input's sizes (x's own, as formulas): both refused
    test_attention_blocks_exported_read_as_pytorch_runs_them(tmp_path, which, 18, dynamo=True)


def _gate(gate_nodes, inits=(), opset=18):
    """A 3x3 convolution to 8 channels, then ``gate_nodes`` from its output ``c`` to ``g``
    and ``y = c * g``."""
    conv, w = _conv_node("conv", "x", "c", 3, 8, (3, 3))
    mul = helper.make_node("Mul", ["c", "g"], ["y"], name="mul")
    return _model([conv, *gate_nodes, mul], [w, *inits], opset=opset)


@needs_onnx
def test_a_gate_of_other_channels_refuses_every_size_and_one_of_one_broadcasts() -> None:
    def model(width):
        return _gate([helper.make_node("GlobalAveragePool", ["c"], ["p"], name="gap"),
                      helper.make_node("Flatten", ["p"], ["f"], name="flat"),
                      helper.make_node("Gemm", ["f", "w"], ["h"], name="fc", transB=1),
                      helper.make_node("Unsqueeze", ["h", "axes"], ["g"], name="unsq")],
                     [_init("w", np.zeros((width, 8), np.float32)),
                      _init("axes", np.array([2, 3], np.int64))])
    for width, refused in ((6, "mul at mul: channels [6, 8] differ"), (8, None), (1, None)):
        g = sc.from_onnx(model(width))
        for size in ((3, 3), (9, 4)):
            assert g.failure(size) == refused
    assert sc.from_onnx(model(1)).output((9, 4)) == (8, (7, 2))


@needs_onnx
@pytest.mark.parametrize("gate, inits, message", [
    ([helper.make_node("ReduceMean", ["c", "axes"], ["g"], name="mean")],
     [_init("axes", np.array([1, 2], np.int64))],
     "node mean (ReduceMean): axes [1, 2]: symconv reads a reduction over the channels (1) "
     "or over every spatial axis [2, 3]"),
    ([helper.make_node("ReduceMax", ["c"], ["g"], name="max")], [],
     "node max (ReduceMax): a reduction over every axis (no axes given): not read"),
    ([helper.make_node("ReduceMean", ["c", "axes"], ["m"], name="mean", keepdims=0),
      helper.make_node("Relu", ["m"], ["g"], name="relu")],
     [_init("axes", np.array([1], np.int64))],
     "node relu (Relu): input 'm' is not produced by a node symconv read (a second output, "
     "or a tensor computed from shapes)"),
    ([helper.make_node("ReduceMean", ["c", "axes"], ["m"], name="mean", keepdims=0),
      helper.make_node("Unsqueeze", ["m", "one"], ["g"], name="unsq")],
     [_init("axes", np.array([2, 3], np.int64)), _init("one", np.array([1], np.int64))],
     # (N, 1, F): a row for a convolution along the channels, which a Mul does not take
     "node mul (Mul): on features viewed as a row (N, 1, F) for a convolution along the "
     "channels: not read (Conv of one channel, elementwise ops, and the row transposed or "
     "reshaped back are)"),
    ([helper.make_node("Squeeze", ["c", "last"], ["g"], name="squeeze")],
     [_init("last", np.array([-1], np.int64))],
     "node squeeze (Squeeze): a Squeeze is read only of a global pooling's sizes of 1, "
     "from the last axis"),
    ([helper.make_node("Expand", ["c", "shape"], ["g"], name="expand")],
     [_init("shape", np.array([1, 8, 4, 4], np.int64))],
     "node expand (Expand): an Expand is read only to another tensor's whole shape "
     "(y.expand_as(x))"),
])
def test_reductions_unsqueezes_and_expands_not_read_are_refused_in_one_line(
        gate, inits, message) -> None:
    with pytest.raises(UsageError) as exc:
        sc.from_onnx(_gate(gate, inits))
    assert str(exc.value) == message


@needs_onnx
def test_a_channel_pool_without_keepdims_is_read_back_at_axis_1() -> None:
    # CBAM's channel pool: max and mean over the channels, each unsqueezed at axis 1,
    # joined: two channels at the sizes of c
    nodes = [helper.make_node("ReduceMax", ["c", "axes"], ["a"], name="max", keepdims=0),
             helper.make_node("Unsqueeze", ["a", "one"], ["a1"], name="ua"),
             helper.make_node("ReduceMean", ["c", "axes"], ["b"], name="mean", keepdims=0),
             helper.make_node("Unsqueeze", ["b", "one"], ["b1"], name="ub"),
             helper.make_node("Concat", ["a1", "b1"], ["g"], name="cat", axis=1)]
    inits = [_init("axes", np.array([1], np.int64)), _init("one", np.array([1], np.int64))]
    conv, w = _conv_node("conv", "x", "c", 3, 8, (3, 3))
    g = sc.from_onnx(_model([conv, *nodes], [w, *inits]))
    assert g.output((9, 5)) == (2, (7, 3))
    assert sc.from_onnx(_gate(nodes, inits)).failure((9, 5)) == \
        "mul at mul: channels [2, 8] differ"


class _GroupNormBlock(torch.nn.Module if torch is not None else object):
    """Convolutions with GroupNorm (groups of 2 and 4 channels) around a residual add."""

    def __init__(self):
        super().__init__()
        nn = torch.nn
        self.c1, self.g1 = nn.Conv2d(3, 8, 3, 2, 1), nn.GroupNorm(4, 8)
        self.c2, self.g2 = nn.Conv2d(8, 8, 3, 1, 1), nn.GroupNorm(2, 8)

    def forward(self, x):
        y = self.g1(self.c1(x))
        return self.g2(torch.relu(y + self.c2(y)))


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize(("opset", "dynamo"), [(13, False), (18, False), (18, True)])
def test_group_norm_exported_read_as_pytorch_runs_it(tmp_path, opset, dynamo):
    # PyTorch exports GroupNorm as Reshape to (N, G, -1), InstanceNormalization, Reshape
    # back to Shape(x), then Mul and Add of its weight and bias (initializers in
    # elementwise ops: named, not counted). The new exporter writes the instance norm's
    # ones and zeros as initializers (they were counted: 12 parameters PyTorch has not)
    # and shares the two blocks' equal weights (16 values named, not 32)
    model = _GroupNormBlock()
    graph = _exported_agrees(model, tmp_path, opset=opset, params=False, dynamo=dynamo,
                             sizes=[(v, v) for v in range(1, 20)] + [(3, 11), (12, 1)])
    assert [nd.groups for nd in graph.nodes if nd.groups] == [4, 2]
    affine = sum(p.numel() for n, p in model.named_parameters() if n.startswith("g"))
    assert sum(p for p, _ in graph.counts((16, 16)).values()) == \
        sum(p.numel() for p in model.parameters()) - affine
    named = affine // 2 if dynamo else affine
    assert any(f"{named} values) are not counted" in a for a in graph.assumptions)


def _grouped(channels, groups, after, inits=()):
    conv, w = _conv_node("conv", "x", "c", 3, channels, (3, 3))
    nodes = [conv, helper.make_node("Reshape", ["c", "gshape"], ["r"], name="group"), *after]
    return _model(nodes, [w, _init("gshape", np.array([0, groups, -1], np.int64)), *inits])


@needs_onnx
def test_group_normalization_and_groups_that_mix_channels() -> None:
    conv, w = _conv_node("conv", "x", "c", 3, 8, (3, 3))
    gn = helper.make_node("GroupNormalization", ["c", "s", "b"], ["y"], name="gn",
                          num_groups=3)
    g = sc.from_onnx(_model([conv, gn], [w, _init("s", np.ones(8, np.float32)),
                                         _init("b", np.zeros(8, np.float32))], opset=21))
    assert g.failure((5, 5)) == ("GroupNormalization at gn: 8 channels in 3 groups; PyTorch "
                                 "refuses it at every size (the channels must be a multiple "
                                 "of the groups)")
    back = [helper.make_node("InstanceNormalization", ["r", "s", "b"], ["n"], name="norm"),
            helper.make_node("Shape", ["c"], ["shape"], name="shape"),
            helper.make_node("Reshape", ["n", "shape"], ["y"], name="back")]
    inits = [_init("s", np.ones(3, np.float32)), _init("b", np.zeros(3, np.float32))]
    with pytest.raises(DomainError) as exc:
        sc.from_onnx(_grouped(8, 3, back, inits))
    assert str(exc.value) == ("node back (Reshape): 8 channels reshaped into 3 groups: its "
                              "groups mix channels, not read")
    g = sc.from_onnx(_grouped(9, 3, back, inits))
    # ones and zeros per group are the decomposition's own (GroupNorm has no per-group
    # affine): not parameters; other values are the file's and are counted
    assert g.output((5, 4)) == (9, (3, 2)) and g.counts((5, 4))["back"] == (0, 0)
    learned = [_init("s", np.full(3, 2, np.float32)), _init("b", np.zeros(3, np.float32))]
    assert sc.from_onnx(_grouped(9, 3, back, learned)).counts((5, 4))["back"] == (6, 0)
    with pytest.raises(UsageError) as exc:
        sc.from_onnx(_grouped(9, 3, [helper.make_node("Relu", ["r"], ["y"], name="relu")]))
    assert str(exc.value) == ("node relu (Relu): reads 'r', channels reshaped to (N, 3, -1): "
                              "read only as GroupNorm exports it (InstanceNormalization, then "
                              "a Reshape back to the tensor's Shape)")


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("opset", [13, 18])
@pytest.mark.parametrize("which", ["_ShuffleNet", "_Parts", "chunk"])
def test_chunks_and_a_channel_shuffle_exported_read_as_pytorch_runs_them(tmp_path, which,
                                                                          opset):
    # x.chunk and ShuffleNet's shuffle export their bounds and views computed from the
    # channel count Shape reads: where the layers before fix it, the arithmetic folds
    import test_torch_architectures as arch
    nn = torch.nn

    class Chunk(nn.Module):     # 7 channels in 3 chunks: 3, 3, 1
        def __init__(self):
            super().__init__()
            self.c, self.d = nn.Conv2d(3, 7, 3), nn.Conv2d(3, 2, 1)

        def forward(self, x):
            a, b, c = self.c(x).chunk(3, 1)
            return self.d(a) + self.d(b) * c

    model = Chunk() if which == "chunk" else getattr(arch, which)()
    # eval mode: the ShuffleNet's BatchNorms fold into its convolutions
    graph = _exported_agrees(model, tmp_path, opset=opset, params=which != "_ShuffleNet",
                             sizes=[(v, v) for v in range(1, 20)] + [(3, 11), (12, 2)])
    if which == "_ShuffleNet":
        assert [nd.groups for nd in graph.nodes if nd.source == "channel shuffle"] == [2, 2]


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
def test_a_shufflenet_by_the_new_exporter_reads_as_pytorch_runs_it(tmp_path):
    # its x.chunk(2, 1) is a Split with opset 18's num_outputs and no sizes, and its
    # shuffles view to the input's sizes as formulas: both were refused
    import test_torch_architectures as arch
    graph = _exported_agrees(arch._ShuffleNet(), tmp_path, params=False, dynamo=True,
                             sizes=[(v, v) for v in range(1, 20)] + [(3, 11), (12, 2)])
    assert [nd.groups for nd in graph.nodes if nd.source == "channel shuffle"] == [2, 2]
    assert any(nd.part and nd.part[0] == "chunk" for nd in graph.nodes)


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
def test_a_reshape_to_minus_one_and_a_size_is_read_per_sample_and_says_so(tmp_path):
    # LeNet's x.view(-1, 16 * 5 * 5), exported as Reshape to (-1, 400), as from_torch
    # reads view(-1, F): per sample, with an assumed: line
    nn = torch.nn

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.c2, self.fc = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5), nn.Linear(400, 10)

        def forward(self, x):
            x = torch.max_pool2d(torch.relu(self.c1(x)), 2)
            return self.fc(torch.max_pool2d(torch.relu(self.c2(x)), 2).view(-1, 16 * 5 * 5))
    graph = _exported_agrees(LeNet(), tmp_path, channels=1, example=32,
                             sizes=[(v, v) for v in range(26, 40)])
    assert graph.assumptions[0] == (
        "Reshape to (-1, 400) at /Reshape is read per sample (channels times sizes = 400); "
        "ONNX also runs sizes where 400 divides the batch times that product, folding them "
        "into the batch")


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("opset", [13, 18])
@pytest.mark.parametrize("how, nd, k", [("paper", 1, 3), ("paper", 2, 3), ("paper", 3, 5),
                                        ("timm", 1, 5), ("timm", 2, 3), ("timm", 3, 3),
                                        ("pool_view", 2, 3), ("pool_view", 3, 5),
                                        ("permute", 1, 3), ("permute", 2, 5)])
def test_eca_exported_reads_as_pytorch_runs_it(tmp_path, how, nd, k, opset):
    # Squeeze + Transpose(perm=[0, 2, 1]) or Reshape to (N, 1, -1), a 1-d Conv of one
    # channel, Transpose back + Unsqueeze or Reshape to (N, -1, 1, 1): as the PyTorch reading
    import test_torch_attention as att
    model = att._ECA(k, how, nd)
    graph = _exported_agrees(model, tmp_path, 3, nd, opset,
                             [(v,) * nd for v in range(1, 14)] + ([(3, 11)] if nd == 2 else []))
    assert graph.counts((8,) * nd)["/conv/Conv"] == (k, 8 * k)


def _row(nodes, inits=(), outputs=None):
    """A 3x3 convolution to 8 channels, a global pooling squeezed to (N, 8, 1) and
    transposed to a row (N, 1, 8), then ``nodes`` from the row ``r``."""
    conv, w = _conv_node("conv", "x", "c", 3, 8, (3, 3))
    pre = [helper.make_node("GlobalAveragePool", ["c"], ["p"], name="gap"),
           helper.make_node("Squeeze", ["p", "last"], ["q"], name="sq"),
           helper.make_node("Transpose", ["q"], ["r"], name="row", perm=[0, 2, 1])]
    return _model([conv, *pre, *nodes], [w, _init("last", np.array([-1], np.int64)), *inits],
                  outputs=outputs)


@needs_onnx
def test_an_onnx_row_used_otherwise_is_refused_in_one_line() -> None:
    one = _init("k1", np.zeros((1, 1, 3), np.float32))
    two = _init("k2", np.zeros((2, 1, 3), np.float32))
    cases = [
        ([helper.make_node("Conv", ["r", "k2"], ["y"], name="wide", pads=[1, 1])], [two],
         "node wide (Conv): a Conv on features viewed as a row (N, 1, F) is read only of one "
         "channel in and out, its weight a constant"),
        ([helper.make_node("Conv", ["r", "k1"], ["y"], name="eca", pads=[1, 1])], [one],
         "the model's output 'y' is features viewed as a row (N, 1, F) for a convolution along "
         "the channels: not read (reshape it back)"),
        ([helper.make_node("Add", ["r", "r"], ["y"], name="twice")], [],
         "node twice (Add): on features viewed as a row (N, 1, F) for a convolution along the "
         "channels: not read (Conv of one channel, elementwise ops, and the row transposed or "
         "reshaped back are)"),
    ]
    for nodes, inits, message in cases:
        with pytest.raises(sc.SymconvError) as err:
            sc.from_onnx(_row(nodes, inits, outputs=["y"]))
        assert str(err.value) == message


@needs_onnx
def test_an_output_left_half_read_is_refused() -> None:
    # a Reshape of a map to (N, 1, -1) at the output was read as the map itself
    conv, w = _conv_node("conv", "x", "c", 3, 8, (3, 3))
    nodes = [conv, helper.make_node("Reshape", ["c", "shape"], ["y"], name="groups")]
    model = _model(nodes, [w, _init("shape", np.array([0, 1, -1], np.int64))])
    with pytest.raises(sc.SymconvError, match="^the model's output 'y' is channels reshaped "
                                              r"into groups \(N, G, -1\), not reshaped back"):
        sc.from_onnx(model)


def _shuffled(y, groups):
    n, c, h, w = y.shape
    return y.view(n, groups, c // groups, h, w).transpose(1, 2).reshape(n, c, h, w)


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("conv", [(3, 1, 1), (3, 2, 1), (4, 2, 1), (5, 3, 0), (2, 2, 0)])
def test_a_channel_shuffle_by_the_new_exporter_reads_as_pytorch_runs_it(tmp_path, conv):
    # torch.export writes the view's sizes as formulas of the model input's sizes
    # (x.size(2), 1 + trunc((x.size(2) - 1) / 2)) where the layers before give them: read
    # when they are the tensor's own sizes as formulas; it was refused
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.c, self.d = nn.Conv2d(3, 8, *conv), nn.Conv2d(8, 4, 1)

        def forward(self, x):
            return self.d(_shuffled(self.c(x), 2))

    graph = _exported_agrees(Block(), tmp_path, dynamo=True,
                             sizes=[(v, v) for v in range(1, 24)] + [(3, 17), (16, 5)])
    assert [nd.groups for nd in graph.nodes if nd.source == "channel shuffle"] == [2]


def _shuffle_onnx(kernel, sizes_of):
    """A Conv (kernel ``kernel``, no padding) then a channel shuffle whose view sizes
    are ``sizes_of(shape)``, ``shape`` the Shape of the model input x: as the new
    exporter writes it, with the sizes made by hand."""
    h = helper
    one = lambda name, v: h.make_tensor(name, onnx.TensorProto.INT64, [1], [v])  # noqa: E731
    nodes = [
        h.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[kernel, kernel], name="conv"),
        h.make_node("Shape", ["x"], ["n"], start=0, end=1, name="shape_n"),
        h.make_node("Shape", ["x"], ["hh"], start=2, end=3, name="shape_h"),
        h.make_node("Shape", ["x"], ["ww"], start=3, end=4, name="shape_w"),
        *sizes_of("hh", "sh"), *sizes_of("ww", "sw"),
        h.make_node("Concat", ["n", "g", "cg", "sh", "sw"], ["s5"], axis=0, name="cat5"),
        h.make_node("Reshape", ["c", "s5"], ["v"], name="view"),
        h.make_node("Transpose", ["v"], ["t"], perm=[0, 2, 1, 3, 4], name="swap"),
        h.make_node("Concat", ["n", "c8", "sh", "sw"], ["s4"], axis=0, name="cat4"),
        h.make_node("Reshape", ["t", "s4"], ["y"], name="back"),
    ]
    graph = h.make_graph(
        nodes, "shuffle",
        [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, None)],
        [h.make_tensor("w", onnx.TensorProto.FLOAT, [8, 3, kernel, kernel],
                       [0.0] * (24 * kernel * kernel)),
         one("g", 2), one("cg", 4), one("c8", 8), one("one", 1), one("three", 3)])
    return h.make_model(graph, opset_imports=[h.make_opsetid("", 18)])


@needs_onnx
@pytest.mark.parametrize(("kernel", "sizes_of"), [
    # the input's own sizes where the convolution takes 2 off: not the tensor's (ONNX
    # refuses every size: the element counts differ)
    (3, lambda x, out: [helper.make_node("Identity", [x], [out])]),
    # 1 + trunc((x - 1) / 3): the input's size is not this tensor's (x - 2)
    (3, lambda x, out: [helper.make_node("Sub", [x, "one"], [out + "a"]),
                        helper.make_node("Div", [out + "a", "three"], [out + "b"]),
                        helper.make_node("Add", [out + "b", "one"], [out])]),
    # the other axis's size (h in w's place) after a size-keeping conv: the formulas
    # share one symbol per axis, and it was shown "equal" (read as (5, 7) for a 5 x 7
    # input, where ONNX views it 7 x 5)
    (1, lambda x, out: [helper.make_node("Identity", [{"hh": "ww", "ww": "hh"}[x]], [out])]),
])
def test_a_shuffle_view_to_sizes_that_are_not_the_tensor_s_stays_refused(kernel, sizes_of):
    with pytest.raises(UsageError, match=r"^node view \(Reshape\): a shape \(N, 2, 4, .*\) "
                       r"computed from sizes: only a reshape to \(N, -1\) or \(N, size\) "
                       r"is read$"):
        sc.from_onnx(_shuffle_onnx(kernel, sizes_of))


@needs_onnx
def test_a_shuffle_view_to_the_input_s_sizes_after_a_size_keeping_conv_is_read():
    # the same file with a 1x1 convolution: x.size(2) is the tensor's size at every size
    graph = sc.from_onnx(_shuffle_onnx(1, lambda x, out: [helper.make_node("Identity", [x],
                                                                           [out])]))
    assert graph.output((5, 7)) == (8, (5, 7))
    assert [nd.groups for nd in graph.nodes if nd.source == "channel shuffle"] == [2]


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
def test_a_shuffle_exported_at_a_fixed_size_is_refused_saying_how_to_export(tmp_path):
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1)).eval()
    model.forward = lambda x: _shuffled(model[0](x), 2)
    path = tmp_path / "fixed.onnx"
    torch.onnx.export(model, (torch.zeros(1, 3, 6, 5),), str(path), dynamo=False)
    with pytest.raises(UsageError, match=r"shape \[1, 2, 4, 6, 5\]: only a reshape to \(N, -1\) "
                       r"or \(N, size\) is read \(N: 0 or the input's batch size\); the file "
                       r"fixes its input's sizes: a view to a tensor's sizes \(a channel "
                       r"shuffle\) is read from a file exported with dynamic axes$"):
        sc.from_onnx(str(path))


@needs_onnx
@pytest.mark.skipif(torch is None, reason="needs torch")
@pytest.mark.parametrize("dynamo", [False, True])
def test_a_tied_weight_s_second_layer_counts_its_own_bias(tmp_path, dynamo):
    # the second Conv shares the first's weight initializer and has a bias of its own:
    # it counted 0 (38 of PyTorch's 40)
    import test_torch_architectures as arch
    _exported_agrees(arch._Tied(), tmp_path, channels=2, dynamo=dynamo,
                     sizes=[(v, v) for v in range(1, 8)] + [(3, 6)])


@needs_onnx
def test_what_onnxruntime_refuses_to_load_is_refused_when_read() -> None:
    # an opset-9 Upsample that shrinks (F.interpolate(scale_factor=0.5) at opset 9) and a
    # Conv with auto_pad SAME_UPPER and a dilation (padding='same', dilation=3 exported by
    # the TorchScript exporter): onnxruntime refuses both models; both were read
    up = helper.make_node("Upsample", ["x", "scales"], ["y"], name="up")
    with pytest.raises(DomainError, match=r"^node up \(Upsample\): Upsample scales \[1.0, 1.0, "
                       r"0.5, 0.5\]: each must be 1 or more \(onnxruntime refuses the model\); "
                       r"Resize downsamples$"):
        sc.from_onnx(_model([up], [_init("scales", np.array([1, 1, .5, .5], np.float32))],
                            opset=9))
    grown = sc.from_onnx(_model([up], [_init("scales", np.array([1, 1, 2, 2], np.float32))],
                                opset=9))
    assert grown.output((5, 7)) == (3, (10, 14))
    conv, w = _conv_node("conv", "x", "y", 3, 4, (4, 4), auto_pad="SAME_UPPER",
                         dilations=[3, 3])
    with pytest.raises(DomainError, match=r"onnx takes no dilation above 1 with SAME_UPPER: "
                       r"onnxruntime refuses it in a Conv"):
        sc.from_onnx(_model([conv], [w]))


@needs_torch
def test_a_parameter_folded_through_constant_ops_is_said_not_counted(tmp_path) -> None:
    # BiFPN's fusion weights: relu(w) / sum, then w[0] * a + w[1] * b; no layer owns w
    # and the reader folds it as a constant: 10 of PyTorch's 12 parameters, unsaid
    import torch.nn.functional as F
    from torch import nn

    class Fuse(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(2))
            self.c = nn.Conv2d(1, 1, 3, 2, 1)

        def forward(self, x):
            w = F.relu(self.w)
            w = w / (w.sum() + 1e-4)
            return w[0] * self.c(x) + w[1] * self.c(x)

    path = tmp_path / "fuse.onnx"
    _export(Fuse(), torch.zeros(1, 1, 16, 16), path)
    g = sc.from_onnx(str(path))
    assert sum(p for p, _ in g.counts((16, 16)).values()) == 10
    assert any(a.startswith("initializers in elementwise ops (w: 2 values) are not counted")
               for a in g.assumptions)


@needs_torch
def test_circular_padding_exported_as_slices_to_int64_max_reads_every_size(tmp_path) -> None:
    # F.pad(mode="circular") exports as x[-1:INT64_MAX] and x[0:1] concatenated: the stop
    # was read literally, so accepted sizes said it "empties as the input grows" (refused)
    import torch.nn.functional as F
    from torch import nn

    class Circ(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv1d(1, 1, 3)

        def forward(self, x):
            return self.c(F.pad(x, (1, 1), mode="circular"))

    path = tmp_path / "circ.onnx"
    _export(Circ(), torch.zeros(1, 1, 16), path)
    g = sc.from_onnx(str(path))
    accepted = g.accepted_sizes()
    assert accepted.text().splitlines()[0] == "axis 0: accepted: i >= 1; smallest 1"
    for h in range(1, 30):
        assert g.shapes((h,))[g.nodes[-1].name][1] == _live(Circ(), (h,), 1)[2:]


@needs_onnx
@pytest.mark.parametrize("coordinate", ["half_pixel", "pytorch_half_pixel", "asymmetric",
                                        "align_corners", "tf_half_pixel_for_nn"])
@pytest.mark.parametrize("nearest", ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"])
def test_nearest_resize_states_a_field_only_where_it_reads_floor_u_over_f(coordinate, nearest):
    # the field was read as floor(u / f) for every mode: 25 of 40 (mode, factor) pairs
    # gave windows onnxruntime does not read; stated now only where it is floor(u / f),
    # each window checked against the reference evaluator's impulse responses
    from onnx.reference import ReferenceEvaluator
    for f in (2, 3):
        scales = _init("sc", np.array([1, 1, f], dtype=np.float32))
        w = _init("w", np.ones((1, 1, 3), dtype=np.float32))
        old = coordinate == "tf_half_pixel_for_nn"     # deprecated at opset 13
        nodes = [helper.make_node("Resize", ["x", "roi" if old else "", "sc"], ["u"], name="up",
                                  mode="nearest",
                                  coordinate_transformation_mode=coordinate,
                                  nearest_mode=nearest),
                 helper.make_node("Conv", ["u", "w"], ["y"], name="c", pads=[1, 1])]
        roi = [_init("roi", np.array([], dtype=np.float32))] if old else []
        model = _model(nodes, [scales, w, *roi], ndim=1, channels=1, opset=11 if old else 18)
        field = sc.from_onnx(model).receptive_fields()["c"][0]
        stated = (coordinate in ("half_pixel", "pytorch_half_pixel") and nearest.startswith("round")
                  or coordinate == "asymmetric" and (nearest == "floor" or
                                                     nearest == "round_prefer_floor" and f == 2)
                  or coordinate == "tf_half_pixel_for_nn" and nearest == "floor")
        assert (field.r is not None) == stated, (f, field)
        if not stated:
            assert "reads input units other than floor(u / f)" in field.note
            continue
        if coordinate == "tf_half_pixel_for_nn":      # the reference evaluator lacks it
            try:
                import onnxruntime
            except ImportError:
                continue
            run, n = onnxruntime.InferenceSession(model.SerializeToString()), 12
        else:
            run, n = ReferenceEvaluator(model), 12
        reads: dict[int, list[int]] = {}
        for pos in range(n):
            x = np.zeros((1, 1, n), np.float32)
            x[0, 0, pos] = 1
            for u in np.nonzero(run.run(None, {"x": x})[0][0, 0])[0]:
                reads.setdefault(int(u), []).append(pos)
        for u in range(2 * f, (n - 2) * f):
            assert (min(reads[u]), max(reads[u])) == field.window(u), (f, u)


@needs_onnx
def test_a_transposed_output_shape_is_one_entry_per_spatial_axis() -> None:
    # (N, C, H, W) was taken; onnxruntime refuses the model ("Attribute output_shape has
    # incorrect size")
    w = _init("w", np.ones((2, 1, 3, 3), dtype=np.float32))
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", kernel_shape=[3, 3],
                            strides=[2, 2], group=2, output_shape=[1, 2, 11, 13])
    with pytest.raises(sc.DomainError, match=r"output_shape \[1, 2, 11, 13\] has 4 entries on a "
                                             r"2-d input: one per spatial axis"):
        sc.from_onnx(_model([node], [w], channels=2))


@needs_onnx
@pytest.mark.parametrize("op, auto", [("Conv", "VALID"), ("Conv", "SAME_UPPER"),
                                      ("ConvTranspose", "VALID"), ("ConvTranspose", "SAME_LOWER")])
def test_a_convolution_with_auto_pad_and_pads_is_refused_as_onnxruntime_refuses_it(op, auto):
    # "A Conv/ConvTranspose node has both 'auto_pad' and 'pads'": read, and answered
    w = _init("w", np.zeros((1, 1, 3), dtype=np.float32))
    node = helper.make_node(op, ["x", "w"], ["y"], name="c", kernel_shape=[3], pads=[2, 2],
                            auto_pad=auto)
    with pytest.raises(DomainError, match=rf"^node c \({op}\): auto_pad={auto} and pads "
                                          r"\[2, 2\] together \(onnxruntime refuses a Conv "
                                          r"with both\); give one of them$"):
        sc.from_onnx(_model([node], [w], ndim=1, channels=1))
    pool = helper.make_node("MaxPool", ["x"], ["y"], name="p", kernel_shape=[3], pads=[1, 1],
                            auto_pad="VALID")       # a pooling takes both (its auto_pad decides)
    assert sc.from_onnx(_model([pool], ndim=1, channels=1)).output((10,)) == (1, (8,))


@needs_onnx
@pytest.mark.parametrize("op, attrs, opset, message", [
    ("MaxPool", {"ceil_mode": 1}, 9, r"attribute ceil_mode is not MaxPool's at opset 9 \(its "
     r"version 8; onnxruntime refuses the model\): drop it, or raise the model's opset$"),
    ("MaxPool", {"dilations": [1]}, 9, r"attribute dilations is not MaxPool's at opset 9"),
    ("MaxPool", {"storage_order": 0}, 7, r"attribute storage_order is not MaxPool's at opset 7"),
    ("AveragePool", {"dilations": [2]}, 18, r"attribute dilations is not AveragePool's at "
     r"opset 18 \(its version 11;"),
])
def test_an_attribute_the_opset_has_not_is_refused(op, attrs, opset, message):
    # onnxruntime: "Unrecognized attribute"; each was read (ceil mode at opset 9)
    node = helper.make_node(op, ["x"], ["y"], name="p", kernel_shape=[3], **attrs)
    with pytest.raises(DomainError, match=rf"^node p \({op}\): {message}"):
        sc.from_onnx(_model([node], ndim=1, channels=1, opset=opset))


@needs_onnx
def test_an_empty_required_input_is_refused():
    # Resize-11's roi is required ("input 1 is marked single but has an empty string")
    scales = _init("sc", np.array([1, 1, 2], dtype=np.float32))
    node = helper.make_node("Resize", ["x", "", "sc"], ["y"], name="r", mode="nearest")
    with pytest.raises(DomainError, match=r"^node r \(Resize\): input 1 \(roi\) is required "
                                          r"at opset 11 \(onnxruntime refuses it empty\)$"):
        sc.from_onnx(_model([node], [scales], ndim=1, channels=1, opset=11))
    assert sc.from_onnx(_model([node], [scales], ndim=1, channels=1, opset=13)).output((5,)) \
        == (1, (10,))


@needs_onnx
def test_a_constant_of_ints_or_floats_is_read():
    # "only a tensor value is read": onnxruntime runs value_ints/value_floats constants
    scale = [helper.make_node("Constant", [], ["sc"], name="cs", value_floats=[1.0, 1.0, 2.0]),
             helper.make_node("Resize", ["x", "", "sc"], ["y"], name="r", mode="nearest")]
    assert sc.from_onnx(_model(scale, ndim=1, channels=1, opset=13)).output((5,)) == (1, (10,))
    nodes = [helper.make_node("Constant", [], ["a"], name="ca", value_ints=[1]),
             helper.make_node("Constant", [], ["b"], name="cb", value_ints=[2 ** 62]),
             helper.make_node("Constant", [], ["ax"], name="cx", value_ints=[2]),
             helper.make_node("Slice", ["x", "a", "b", "ax"], ["y"], name="s")]
    g = sc.from_onnx(_model(nodes, ndim=1, channels=1, opset=13))
    assert g.output((9,)) == (1, (8,))


@needs_onnx
def test_a_1d_map_transposed_to_channels_last_and_back_is_read() -> None:
    # both Transposes are [0, 2, 1]: the one back was taken for another to channels-last,
    # and the Conv after it refused (wav2vec2's and a Conformer's exports, which run)
    nodes = [helper.make_node("Transpose", ["x"], ["t1"], name="t1", perm=[0, 2, 1]),
             helper.make_node("LayerNormalization", ["t1", "g", "b"], ["n"], name="ln", axis=-1),
             helper.make_node("Transpose", ["n"], ["t2"], name="t2", perm=[0, 2, 1]),
             helper.make_node("Conv", ["t2", "w"], ["y"], name="conv", kernel_shape=[3])]
    inits = [_init("g", np.ones(4, dtype=np.float32)), _init("b", np.zeros(4, dtype=np.float32)),
             _init("w", np.zeros((2, 4, 3), dtype=np.float32))]
    g = sc.from_onnx(_model(nodes, inits, ndim=1, channels=4))
    assert [g.output((i,)) if g.accepts((i,)) else None for i in (2, 3, 8)] == \
        [None, (2, (1,)), (2, (6,))]


@needs_onnx
@pytest.mark.parametrize("starts", [("int", 1), ("ints2d", [[1]])])
def test_a_shape_argument_that_is_no_1d_tensor_is_refused(starts) -> None:
    # Constant(value_int=1) as Slice's starts: onnxruntime, "Starts must be a 1-D array"
    kind, value = starts
    const = (helper.make_node("Constant", [], ["a"], name="ca", value_int=value) if kind == "int"
             else helper.make_node("Constant", [], ["a"], name="ca", value=_init(
                 "v", np.array(value, dtype=np.int64))))
    nodes = [const, helper.make_node("Slice", ["x", "a", "b", "ax"], ["y"], name="s")]
    inits = [_init("b", np.array([2 ** 62], dtype=np.int64)),
             _init("ax", np.array([2], dtype=np.int64))]
    with pytest.raises(DomainError, match=r"^node s \(Slice\): its starts \('a'\) is a [02]-d "
                                          r"tensor: ONNX takes a 1-D one"):
        sc.from_onnx(_model(nodes, inits, ndim=1, channels=1, opset=13))


@needs_onnx
def test_a_negative_step_to_int64_max_reverses_the_whole_axis() -> None:
    # onnxruntime reads INT64_MAX as "to the end" with a negative step too: [-1:MAX:-1]
    # reversed the axis there and was refused as empty at every size
    node = helper.make_node("Slice", ["x", "a", "b", "ax", "st"], ["y"], name="s")
    inits = [_init(n, np.array([v], dtype=np.int64))
             for n, v in (("a", -1), ("b", 2 ** 63 - 1), ("ax", 2), ("st", -1))]
    g = sc.from_onnx(_model([node], inits, ndim=1, channels=1, opset=13))
    assert [g.output((i,)) for i in (1, 9)] == [(1, (1,)), (1, (9,))]


@needs_onnx
def test_an_unused_constant_of_strings_and_a_negative_declared_size_are_no_matter() -> None:
    nodes = [helper.make_node("Constant", [], ["label"], name="c", value_strings=[b"a"]),
             helper.make_node("MaxPool", ["x"], ["y"], name="p", kernel_shape=[2, 2],
                              strides=[1, 1])]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 32, -1])
    graph = helper.make_graph(nodes, "g", [x], [helper.make_tensor_value_info(
        "y", TensorProto.FLOAT, None)])
    g = sc.from_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))
    assert g.output((32, 9)) == (1, (31, 8))
    assert "-1" not in " ".join(g.assumptions)      # it said "declared 32x-1"


@needs_onnx
@pytest.mark.parametrize(("node", "opset", "said"), [
    (lambda: helper.make_node("Gelu", ["x"], ["y"], name="n"), 18,
     "Gelu is no ONNX op at opset 18 (onnxruntime: 'No Op registered')"),
    (lambda: helper.make_node("HardSwish", ["x"], ["y"], name="n"), 13,
     "HardSwish is no ONNX op at opset 13"),
    (lambda: helper.make_node("Cast", ["x"], ["y"], name="n"), 18,
     "attribute to is required at opset 18"),
    (lambda: helper.make_node("Cast", ["x"], ["y"], name="n", to=999), 18,
     "to=999 is no ONNX data type"),
], ids=["Gelu@18", "HardSwish@13", "Cast without to", "Cast to 999"])
def test_what_onnxruntime_will_not_load_is_refused(node, opset, said) -> None:
    # each was read as an elementwise op, at every size
    with pytest.raises(sc.UsageError, match=rf"^node n \({node().op_type}\): "
                       + re.escape(said)):
        sc.from_onnx(_model([node()], opset=opset))


@needs_onnx
def test_only_noop_with_empty_axes_1_is_the_input() -> None:
    # 2 (or -1) is not 1: onnxruntime reduces every axis; symconv refuses that reduction
    node = helper.make_node("ReduceMean", ["x"], ["m"], name="mean", noop_with_empty_axes=2)
    with pytest.raises(sc.UsageError, match="a reduction over every axis"):
        sc.from_onnx(_model([node]))
