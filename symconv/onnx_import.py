"""``from_onnx``: read an ONNX model into a :class:`~symconv.graph.Graph` without running it.

Every node is read from its attributes and its constant inputs (initializers,
``Constant`` nodes, and subgraphs of constants, folded by onnx's reference
evaluator), with ONNX's own rules (the ``onnx`` framework of
:mod:`symconv.frameworks`): ``auto_pad`` ``NOTSET`` (explicit ``pads``, per side),
``VALID``, ``SAME_UPPER`` (an odd extra after the input) and ``SAME_LOWER`` (before).
Pooling takes any padding per side below its kernel (not PyTorch's ``2p <= k``;
onnxruntime refuses a pad of the kernel or more), counts its windows
with ONNX's truncating quotient (the relation ``pool_onnx``) and in ceil mode drops a
last window starting in the padding after the input (``pool_ceil_asym``); its stride
defaults to 1, as ONNX's does.

Read: ``Conv``, ``ConvTranspose`` (``output_padding``; with ``output_shape`` the
output is that shape, the padding ONNX derives from it), ``MaxPool``/
``AveragePool``/``LpPool`` (``ceil_mode``, ``dilations``), the global pools,
``Pad`` and ``Slice`` of the spatial axes (negative pads crop),
``Resize``/``Upsample`` (integer scales or sizes), ``Concat``,
``Add``/``Sub``/``Mul``/``Div`` (two tensors: a merge; a constant: elementwise),
``Flatten`` (axis 1), ``Gemm``/``MatMul`` with a constant weight (``in_features``
from it; a ``MatMul`` then ``Add`` of a bias is one ``Linear``), ``Reshape`` to
``(N, -1)`` or ``(N, size)``, sizes computed from ``Shape`` (``Gather``, integer
arithmetic, ``Concat``, ... into the inputs of ``Pad``, ``Resize`` and ``Slice``, as
``torch.onnx.export`` writes a U-Net's pad to its skip, and into a channel shuffle's
``Reshape``, where torch.export writes the input's sizes as formulas: read when they
are the viewed tensor's own, shown symbolically), and the elementwise and
normalisation nodes
(``Relu``, ``BatchNormalization``, ``Dropout``, ``Identity``, ...; the channels of
``BatchNormalization``/``InstanceNormalization``/``PRelu`` parameters are checked by
the graph).  Anything else (or an attribute it cannot follow) is refused with the
node's name and op, never skipped (``UsageError``); values ONNX itself refuses (an axis
out of range, a pooling pad not below its kernel, a bias or ``group`` that does not fit
the weight) are refused the same way, as ``DomainError``.

onnx is imported only here (the optional extra ``symconv[onnx]``).
"""

from __future__ import annotations

import heapq
import math
import os
from dataclasses import replace
from typing import Any

import sympy

from ._evaluating import evaluated
from ._mod import Mod
from ._sizes import Arith, SizeOf, evaluate, fraction_scale, is_term, refs, scaled, text
from .chain import Layer, Sides, collapse_floors
from .errors import DomainError, SymconvError, UsageError
from .frameworks import preset
from .graph import SHIFTED_NEAREST, Graph, GraphError, Node, part_channels
from .relations import ONNX_TRANSPOSE_SAME_TOTAL
from .symbols import i as I

__all__ = ["from_onnx", "ELEMENTWISE"]

_VECTORS = frozenset(("starts", "ends", "axes", "steps", "pads", "scales", "sizes", "shape",
                      "split"))
"""The shape arguments ONNX takes as 1-D tensors (a 0-d one is refused by onnxruntime)."""

ELEMENTWISE = frozenset((
    "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "Tanh", "Softmax", "LogSoftmax",
    "Softplus", "Softsign", "Elu", "Selu", "Celu", "Gelu", "Mish", "HardSwish", "ThresholdedRelu",
    "Clip", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs", "Sign", "Floor", "Ceil",
    "Round", "Sin", "Cos", "Not", "Cast", "CastLike", "Identity", "Dropout", "BatchNormalization",
    "InstanceNormalization", "LRN", "MeanVarianceNormalization", "QuantizeLinear",
    "DequantizeLinear", "Shrink", "IsNaN", "IsInf",
))
"""Ops that keep the shape of their first input (their other inputs are parameters)."""

_MERGES = {"Add": "add", "Sub": "add", "Mul": "mul", "Div": "mul", "Pow": "mul", "Max": "add",
           "Min": "add", "Sum": "add", "Mean": "add"}
"""Binary (or n-ary) elementwise ops: between tensors of the graph, a broadcasting merge."""

_PARAMETERS = ("BatchNormalization", "InstanceNormalization", "PRelu")
"""Size-keeping ops whose constant parameters are for a number of channels."""

_REDUCES = ("ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceL1",
            "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare")
"""Reductions: over the channels (one left), or over every spatial axis (a global pool)."""

_POOLS = ("MaxPool", "AveragePool", "LpPool")
_GLOBAL_POOLS = ("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool")


class _ChannelCount(str):
    """The channel count ``Shape`` reads (``"?"``: no size is computed from it), with the
    node it is of: a ``Reshape`` to ``(N, C, 1, 1)`` views features as that node's
    channels (a squeeze-and-excitation gate as ``torch.onnx.export`` writes ``view(b,
    c, 1, 1)``), an ``Expand`` to its whole shape broadcasts onto it."""

    src: str

    def __new__(cls, src: str) -> _ChannelCount:
        made = super().__new__(cls, "?")
        made.src = src
        return made


class _Reader:
    """One pass over an ONNX graph: constants, tensor-to-node names, and the nodes read."""

    def __init__(self, model: Any) -> None:
        from onnx import numpy_helper

        self.numpy_helper = numpy_helper
        self.graph = model.graph
        self.opset = next((op.version for op in model.opset_import if op.domain in ("", "ai.onnx")),
                          0)
        self.consts: dict[str, Any] = {t.name: self.array(t, f"initializer {t.name!r}")
                                       for t in self.graph.initializer}
        self.producer: dict[str, str] = {}     # tensor name -> graph node name
        self.nodes: list[Node] = []
        self.names: set[str] = set()
        self.ndim: int | None = None
        self.batch = -2         # the input's batch size when fixed (Reshape may name it)
        self.flat: set[str] = set()     # graph nodes whose output is (N, features)
        # tensors holding sizes (``Shape`` and what is computed from it), as object
        # arrays: "N" for the batch, "?" for a channel count symconv does not follow,
        # terms of symconv._sizes for spatial sizes, ints (shape_value)
        self.dims: dict[str, Any] = {}
        # Gather(x, k, axis=1) of a scalar k, a reduction over the channels without
        # keepdims: (x's node, the part of its channels) until Unsqueeze(axes=[1])
        self.dropped: dict[str, tuple[str, tuple[Any, ...]]] = {}
        # (N, F) unsqueezed at its end, (N, F, 1, ...): (the node, axes added) until every
        # spatial axis is there (a squeeze-and-excitation gate's y[:, :, None, None])
        self.unsqueezed: dict[str, tuple[str, int]] = {}
        # a global pooling's sizes of 1 squeezed from the end: (its node, axes dropped)
        self.squeezed: dict[str, tuple[str, int]] = {}
        # GroupNorm as exported: Reshape to (N, G, -1), InstanceNormalization, Reshape
        # back to Shape(x): (x's node, G) until viewed back
        self.grouped: dict[str, tuple[str, int]] = {}
        # ShuffleNet's channel shuffle as exported: Reshape to (N, g, C/g, *sizes),
        # Transpose of the two, Reshape back: (x's node, g, transposed yet) until back
        self.shuffled: dict[str, tuple[str, int, bool]] = {}
        # features (N, F) as a row (N, 1, F) for a 1-d Conv along the channels (ECA-Net):
        # tensor name -> its graph node
        self.rows: dict[str, str] = {}
        self.in_channels: int | None = None
        self.input = ""         # the model input's name (the graph's input node)
        self.fixed_size = False     # whether the file declares every spatial size
        # the graph read so far and its nodes' size formulas, by its number of nodes
        self.formulas: tuple[int, Graph, dict[str, Any]] | None = None
        # a weight initializer -> the first node using it (a module PyTorch calls twice
        # is two nodes of one weight: its parameters count once)
        self.weight_owner: dict[str, str] = {}
        # tensors transposed to channels-last (N, *sizes, C), until transposed back
        self.chlast: set[str] = set()
        self.initializers = {t.name for t in self.graph.initializer}
        self.partial: list[str] = []    # floor-mode pools with a stride: partial windows
        self.uncounted: dict[str, int] = {}     # initializers in merges (unclear)
        self.assumed: list[str] = []
        self.group_weights = 0      # a grouped InstanceNormalization's own initializers

    # --- helpers ---------------------------------------------------------------------

    def array(self, tensor: Any, where: str) -> Any:
        """A tensor's data as an array; data that does not fill its dims (a length or a
        byte count that is not theirs) is a malformed file, refused as onnxruntime refuses
        it, naming where."""
        try:
            return self.numpy_helper.to_array(tensor)
        except (ValueError, TypeError, OverflowError, MemoryError) as exc:
            dims = "x".join(str(v) for v in getattr(tensor, "dims", ())) or "a scalar"
            raise UsageError(f"{where}: its data does not fill its dims ({dims}): the file is "
                             f"malformed ({' '.join(str(exc).split())})") from None
    def refuse(self, node: Any, why: str, kind: type[SymconvError] = UsageError) -> SymconvError:
        """A refusal naming the node and its op: ``UsageError`` for what symconv does not
        read, ``DomainError`` for values ONNX itself refuses."""
        return kind(f"node {self.label(node)} ({node.op_type}): {why}")

    @staticmethod
    def label(node: Any) -> str:
        return node.name or (node.output[0] if node.output else node.op_type)

    def attrs(self, node: Any) -> dict[str, Any]:
        from onnx import helper
        return {a.name: helper.get_attribute_value(a) for a in node.attribute}

    def const(self, node: Any, n: int, what: str, required: bool = True) -> Any:
        """Input ``n`` of ``node`` as a numpy array, if it is a constant (else refused)."""
        if n >= len(node.input) or not node.input[n]:
            if required:
                raise self.refuse(node, f"its {what} input is missing")
            return None
        name = node.input[n]
        if name not in self.consts:
            raise self.refuse(node, f"its {what} ({name!r}) is computed in the graph, not a "
                                    "constant (initializer or Constant): symconv reads "
                                    "constant shape arguments only")
        value = self.consts[name]
        if what in _VECTORS and getattr(value, "ndim", 1) != 1:
            # a scalar (Constant value_int) or a matrix: "Starts must be a 1-D array"
            raise self.refuse(node, f"its {what} ({name!r}) is a {value.ndim}-d tensor: ONNX "
                                    "takes a 1-D one (onnxruntime refuses the model)",
                              DomainError)
        return value

    def src(self, node: Any, n: int = 0) -> str:
        name = node.input[n] if n < len(node.input) else ""
        if name in self.shuffled:
            raise self.refuse(node, f"reads {name!r}, channels viewed as (N, "
                                    f"{self.shuffled[name][1]}, C/g, ...): read only as a "
                                    "channel shuffle (transposed, viewed back)")
        if name in self.grouped:
            raise self.refuse(node, f"reads {name!r}, channels reshaped to (N, "
                                    f"{self.grouped[name][1]}, -1): read only as GroupNorm "
                                    "exports it (InstanceNormalization, then a Reshape back "
                                    "to the tensor's Shape)")
        if name not in self.producer:
            raise self.refuse(node, f"input {name!r} is not produced by a node symconv read "
                                    "(a second output, or a tensor computed from shapes)")
        return self.producer[name]

    def fresh(self, node: Any) -> str:
        base = self.label(node)
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base}_{n}"
        self.names.add(name)
        return name

    def add(self, node: Any, op: str, inputs: tuple[str, ...], weight: str = "",
            **kw: Any) -> None:
        """A graph node for ``node``; ``weight`` names its weight initializer, whose
        parameters the first node using it counts (the others ``share`` them)."""
        name = self.fresh(node)
        if weight:
            if weight in self.weight_owner:
                kw["shares"] = self.weight_owner[weight]
                # its other initializers (a bias of its own) are its parameters still
                kw["extra"] = sum(int(self.consts[x].size) for x in node.input
                                  if x != weight and x in self.initializers and
                                  x not in self.weight_owner)
            else:
                self.weight_owner[weight] = name
            for x in node.input:
                if x in self.initializers:
                    self.weight_owner.setdefault(x, name)
        kw.setdefault("source", node.op_type)
        self.nodes.append(Node(name, op, inputs, **kw))
        self.producer[node.output[0]] = name
        if op == "flatten" or (op in ("linear", "identity") and inputs[0] in self.flat) or \
                (op in ("add", "mul") and any(u in self.flat for u in inputs)) or \
                (op == "unflatten" and not kw.get("size")):
            self.flat.add(name)

    def alias(self, node: Any, n: int = 0) -> None:
        self.producer[node.output[0]] = self.src(node, n)

    def spatial(self, node: Any, values: Any, what: str, default: int) -> tuple[int, ...]:
        assert self.ndim is not None
        if values is None:
            return (default,) * self.ndim
        out = tuple(int(v) for v in values)
        if len(out) != self.ndim:
            raise self.refuse(node, f"{what} {list(out)} has {len(out)} axes, the input "
                                    f"{self.ndim}")
        return out

    def pads(self, node: Any, a: dict[str, Any]) -> Any:
        """``auto_pad`` as the ONNX preset's name, else ``pads`` (begin..., end...) per side."""
        assert self.ndim is not None
        auto = a.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else str(auto)
        self.one_padding(node, a, auto)
        if auto in ("SAME_UPPER", "SAME_LOWER", "VALID"):
            return auto
        if auto != "NOTSET":
            raise self.refuse(node, f"auto_pad={auto!r}: ONNX has NOTSET, VALID, SAME_UPPER, "
                                    "SAME_LOWER")
        pads = [int(v) for v in a.get("pads", [0] * (2 * self.ndim))]
        if len(pads) != 2 * self.ndim or min(pads) < 0:
            raise self.refuse(node, f"pads {pads}: ONNX gives {2 * self.ndim} nonnegative "
                                    "values (every axis's begin, then every axis's end)")
        return tuple(Sides(pads[j], pads[j + self.ndim]) if pads[j] != pads[j + self.ndim]
                     else pads[j] for j in range(self.ndim))

    def in_schema(self, node: Any, a: dict[str, Any]) -> None:
        """Refuse what the node's op at the model's opset does not have, as onnxruntime
        refuses the model: an attribute (MaxPool's ``ceil_mode`` before opset 10,
        "Unrecognized attribute"), or a required input left empty (Resize-11's ``roi``);
        an op of the default domain the opset has not (``Gelu`` before opset 20: "No Op
        registered"); another domain's op is left to its reader."""
        from onnx import defs
        try:
            schema = defs.get_schema(node.op_type, self.opset, "")
        except defs.SchemaError:
            if node.domain in ("", "ai.onnx"):
                raise self.refuse(node, f"{node.op_type} is no ONNX op at opset {self.opset} "
                                        "(onnxruntime: 'No Op registered'): raise the "
                                        "model's opset, or write it in ops of that opset"
                                  ) from None
            return
        extra = sorted(set(a) - set(schema.attributes))
        if extra:
            raise self.refuse(node, f"attribute {extra[0]} is not {node.op_type}'s at opset "
                                    f"{self.opset} (its version {schema.since_version}; "
                                    "onnxruntime refuses the model): drop it, or raise the "
                                    "model's opset", DomainError)
        missing = sorted(k_ for k_, at in schema.attributes.items() if at.required and k_ not in a)
        if missing:
            raise self.refuse(node, f"attribute {missing[0]} is required at opset {self.opset} "
                                    "(onnxruntime refuses the model without it)")
        if node.op_type == "Cast":
            from onnx import TensorProto
            if a["to"] not in TensorProto.DataType.values():
                raise self.refuse(node, f"to={a['to']} is no ONNX data type (onnxruntime "
                                        "refuses the model)")
        single = defs.OpSchema.FormalParameterOption.Single
        for n, formal in enumerate(schema.inputs):
            if formal.option == single and (n >= len(node.input) or not node.input[n]):
                raise self.refuse(node, f"input {n} ({formal.name}) is required at opset "
                                        f"{self.opset} (onnxruntime refuses it empty)",
                                  DomainError)

    def one_padding(self, node: Any, a: dict[str, Any], auto: str) -> None:
        """A ``Conv``/``ConvTranspose`` with ``auto_pad`` other than NOTSET and ``pads``
        too: onnxruntime refuses it at every size ("has both 'auto_pad' and 'pads'"; a
        pooling takes both, its ``auto_pad`` deciding)."""
        if node.op_type in ("Conv", "ConvTranspose") and auto != "NOTSET" and "pads" in a:
            raise self.refuse(node, f"auto_pad={auto} and pads {[int(v) for v in a['pads']]} "
                                    "together (onnxruntime refuses a Conv with both); give "
                                    "one of them", DomainError)

    def axes(self, node: Any, values: Any, rank: int, what: str = "axes") -> list[int]:
        """``values`` as axes of a rank ``rank`` tensor, counted from 0: ONNX takes
        ``-rank..rank-1`` (the reference evaluator and shape inference refuse the others,
        "Unexpected axis value") and no axis twice."""
        given = [int(v) for v in values]
        for v in given:
            if not -rank <= v < rank:
                raise self.refuse(node, f"{what} {given}: {v} is not an axis of a rank {rank} "
                                        f"input (ONNX takes -{rank}..{rank - 1}, as shape "
                                        "inference does); give axes in that range",
                                  DomainError)
        out = [v % rank for v in given]
        if len(set(out)) != len(out):
            raise self.refuse(node, f"{what} {given}: an axis given twice (ONNX's shape "
                                    "inference refuses it); give each axis once",
                              DomainError)
        return out

    @staticmethod
    def one(v: tuple[Any, ...]) -> Any:
        return v if len(v) > 1 else v[0]

    # --- nodes -----------------------------------------------------------------------
    def read(self, node: Any) -> None:
        op = node.op_type
        if node.domain not in ("", "ai.onnx"):
            raise self.refuse(node, f"an op of domain {node.domain!r}: symconv reads the "
                                    "default ONNX domain")
        a = self.attrs(node)
        self.in_schema(node, a)
        if op == "Constant":
            import numpy as np
            if "value" in a:
                self.consts[node.output[0]] = self.array(a["value"], f"node {node.name!r}")
            elif (key := next((k_ for k_ in ("value_int", "value_ints", "value_float",
                                             "value_floats") if k_ in a), None)) is not None:
                # a scalar or a list, as onnxruntime makes it: int64 or float32
                self.consts[node.output[0]] = np.array(
                    a[key], dtype=np.int64 if "int" in key else np.float32)
            # (strings or a sparse tensor: not a constant symconv reads; an op that takes
            # it as a shape argument is refused there, one that is unused is no matter)
            return None
        if op == "Identity" and node.input and node.input[0] in self.initializers:
            # an exporter's one copy of parameters equal in value (fresh LayerNorm weights):
            # each use is a parameter of its own, as in the model
            self.initializers.add(node.output[0])
        if op == "CastLike" and node.input[0] in self.consts and node.input[1] not in self.consts:
            # a constant (a layer scale) cast to a tensor's type: the constant, of its shape
            self.consts[node.output[0]] = self.consts[node.input[0]]
            return None
        if node.input and all(x in self.consts for x in node.input if x):
            return self.fold(node)
        if op == "Shape" or (node.input and node.input[0] in self.dims) or (
                op not in ("Reshape", "Resize", "Pad", "Slice", "Expand") and
                any(x in self.dims for x in node.input if x)):
            return self.shape_value(node, a)
        if op == "Transpose" and node.input[0] in self.shuffled:
            return self.shuffle_transpose(node, a)
        if any(x in self.rows for x in node.input if x) or self.into_row(node, a):
            return self.row(node, a)
        if (op == "Transpose" or any(x in self.chlast for x in node.input if x)) and \
                self.channels_last(node, a):
            return None
        if op in ("Conv", "ConvTranspose"):
            return self.conv(node, a, op == "ConvTranspose")
        if op in _POOLS:
            return self.pool(node, a)
        if op in _REDUCES:
            return self.reduce(node, a)
        if op in _GLOBAL_POOLS:
            assert self.ndim is not None
            return self.add(node, "adaptive", (self.src(node),), size=(1,) * self.ndim)
        if op == "Pad":
            return self.pad(node, a)
        if op in ("Resize", "Upsample"):
            return self.resize(node, a)
        if op in ("DepthToSpace", "SpaceToDepth"):
            return self.depth_space(node, a)
        if op == "Concat":
            axis = int(a["axis"])
            rank = (self.ndim or 0) + 2
            if axis < 0:
                axis += rank
            if not 1 <= axis < rank:
                raise self.refuse(node, f"concatenation along axis {a['axis']} (the batch): "
                                        "symconv reads channel or spatial concatenation")
            ins = tuple(self.src(node, n) for n in range(len(node.input)))
            if len(ins) == 1:
                return self.alias(node)
            return self.add(node, "cat", ins, dim=axis)
        if op in _MERGES:
            return self.merge(node, _MERGES[op])
        if op == "Flatten":
            if int(a.get("axis", 1)) != 1:
                raise self.refuse(node, f"axis={a.get('axis')}: only Flatten(axis=1) is read")
            return self.add(node, "flatten", (self.src(node),))
        if op == "Gemm":
            return self.gemm(node, a)
        if op == "MatMul":
            w = self.const(node, 1, "weight")
            if w.ndim != 2:
                raise self.refuse(node, f"a weight of shape {list(w.shape)}: a 2-d weight is read")
            return self.add(node, "linear", (self.src(node),), in_features=int(w.shape[0]),
                            out_features=int(w.shape[1]), bias=False, weight=node.input[1])
        if op == "Reshape":
            return self.reshape(node, a)
        if op == "Expand":
            return self.expand(node)
        if op == "Slice":
            return self.slice(node, a)
        if op in ("Split", "Gather", "Unsqueeze"):
            return self.channel_part(node, a)
        if op == "Squeeze":
            return self.squeeze(node, a)
        if op == "InstanceNormalization" and node.input[0] in self.grouped:
            self.grouped[node.output[0]] = self.grouped[node.input[0]]
            # a scale of ones and a bias of zeros per group are the decomposition's own
            # (GroupNorm has no per-group affine; the new exporter writes them as
            # initializers, the old one as Constant nodes): not parameters
            import numpy as np
            if not (len(node.input) == 3 and all(x in self.initializers for x in node.input[1:])
                    and np.all(self.consts[node.input[1]] == 1)
                    and np.all(self.consts[node.input[2]] == 0)):
                self.group_weights += self.held(node)
            return None
        if op == "GroupNormalization":
            return self.add(node, "identity", (self.src(node),), groups=int(a["num_groups"]),
                            weights=self.held(node))
        if op in _PARAMETERS:
            return self.parameters(node)
        if op in ELEMENTWISE:
            return self.alias(node)
        raise self.refuse(node, "not read by from_onnx (Conv, ConvTranspose, pooling, Pad, "
                                "Resize, Concat, Add/Mul, Flatten, Gemm/MatMul, Reshape, "
                                "DepthToSpace/SpaceToDepth, reductions and elementwise "
                                "ops are)")

    def depth_space(self, node: Any, a: dict[str, Any]) -> None:
        """``DepthToSpace`` (PyTorch's ``PixelShuffle`` as exported, mode ``CRD``; TensorFlow's
        ``depth_to_space``, mode ``DCR``) and ``SpaceToDepth``: channels ``C`` and sizes
        ``(H, W)`` to ``C / b**2`` and ``(b H, b W)``, or back to ``b**2 C`` and ``(H / b,
        W / b)`` with each size divisible by ``b`` (onnxruntime refuses another).  The mode
        orders the channels only, so both read as a pixel shuffle of factor ``b``."""
        if self.ndim != 2:
            raise self.refuse(node, f"a rank {(self.ndim or 0) + 2} input: {node.op_type} is "
                                    "defined on (N, C, H, W)")
        b = int(a["blocksize"])
        if b < 1:
            raise self.refuse(node, f"blocksize={b}: a block size is at least 1", DomainError)
        op = "pixel_shuffle" if node.op_type == "DepthToSpace" else "pixel_unshuffle"
        self.add(node, op, (self.src(node),), factor=b)

    def parameters(self, node: Any) -> None:
        """``BatchNormalization`` (scale, B, mean, var), ``InstanceNormalization`` (scale, B)
        and ``PRelu`` (slope): an ``identity`` whose ``takes`` is the channel count (after a
        flatten, the features) their constant parameters are for, so that the graph refuses
        another count, as the reference evaluator and onnxruntime do.  Parameters computed
        in the graph, or a slope of one entry (shape ``(1,)``, ``(1, 1, 1)``), take any
        channels (the node is passed through).  Parameters of different lengths, wrong at
        every size, are refused here."""
        src = self.src(node)
        nd = 0 if src in self.flat else (self.ndim or 0)
        given = [(x, self.consts[x]) for x in node.input[1:] if x and x in self.consts]
        counts: dict[str, int] = {}
        if node.op_type == "PRelu":
            if len(node.input) > 1 and node.input[1] not in self.consts:
                # a slope computed from the input broadcasts to X with its own sizes
                raise self.refuse(node, "a slope computed in the graph, not a constant: its "
                                        "shape, which broadcasts to the input's, is not read")
            for x, c in given:
                shape = [int(v) for v in c.shape]
                # unidirectional broadcasting to (N, C, spatial...): 1 on every spatial axis
                # (another size there would fix the sizes) and on the batch
                if len(shape) > nd + 2 or any(v != 1 for v in shape[max(len(shape) - nd, 0):]) \
                        or (len(shape) == nd + 2 and shape[0] != 1):
                    raise self.refuse(node, f"a slope of shape {shape} on a rank {nd + 2} input: "
                                            "symconv reads a slope of one entry or one per "
                                            "channel (1 on the batch and spatial axes), shape "
                                            f"[C{', 1' * nd}]")
                if len(shape) > nd and shape[len(shape) - nd - 1] != 1:
                    counts[x] = shape[len(shape) - nd - 1]
        else:
            counts = {x: int(c.size) for x, c in given}
        if len(set(counts.values())) > 1:
            raise self.refuse(node, "its parameters are for different channel counts ("
                                    f"{', '.join(f'{x}: {v}' for x, v in counts.items())}); "
                                    "ONNX's are one entry per channel: give them one length",
                                    DomainError)
        # its learned parameters, as PyTorch counts a norm's: scale and B (the running
        # mean and variance are statistics), a PRelu's slope
        learned = node.input[1:2] if node.op_type == "PRelu" else node.input[1:3]
        weights = sum(int(self.consts[x].size) for x in learned if x and x in self.consts)
        if not counts:
            return self.add(node, "identity", (src,), weights=weights) if weights else \
                self.alias(node)
        takes = next(iter(counts.values()))
        if src in self.flat:
            # after a flatten the channels are the features, which the sizes make: a check
            # like a Linear's in_features (it couples the axes), as from_torch reads it
            return self.add(node, "linear", (src,), in_features=takes, out_features=takes,
                            bias=False, takes=takes, weights=weights,
                            source=f"{node.op_type} parameters")
        return self.add(node, "identity", (src,), takes=takes, weights=weights)

    def shape_value(self, node: Any, a: dict[str, Any]) -> None:
        """The sizes a model reads from a tensor and computes with: ``Shape``, then
        ``Gather``, ``Slice``, ``Concat``, ``Unsqueeze``/``Squeeze``, ``Reshape``,
        ``Transpose``, ``Cast``, ``ConstantOfShape`` and integer ``Add``/``Sub``/``Mul``/
        ``Div`` (truncating)/``Mod``/``Neg``, as ``torch.onnx.export`` writes
        ``x.view(x.size(0), -1)``, ``F.interpolate(x, size=skip.shape[2:])`` and a U-Net's
        ``F.pad`` to its skip.  A value is an array whose entries are ints, ``"N"`` (the
        batch size), ``"?"`` (a channel count, not followed) or terms of
        :mod:`symconv._sizes` (a spatial size of a graph node); what is all ints becomes
        a constant again."""
        import numpy as np

        op = node.op_type

        def value(x: str) -> Any:
            if x in self.dims:
                return self.dims[x]
            if x in self.consts:
                return np.asarray(self.consts[x]).astype(object)
            raise self.refuse(node, f"computes with sizes and {x!r}, a tensor of the graph")

        if op == "Shape" and node.input[0] not in self.dims and node.input[0] not in self.consts:
            src = self.src(node)
            rank = 2 if src in self.flat else (self.ndim or 0) + 2
            dims: list[Any] = ["N", _ChannelCount(src)] + [SizeOf(src, j)
                                                           for j in range(rank - 2)]
            start, end = int(a.get("start", 0)), a.get("end")
            out = np.array(dims[slice(start, None if end is None else int(end))] or [],
                           dtype=object)
            return self._value(node, out)
        ins = [value(x) for x in node.input if x]
        if op == "Shape":
            out = np.array(list(ins[0].shape), dtype=object)
        elif op in ("Cast", "Identity", "CastLike"):
            out = ins[0]
        elif op == "Unsqueeze":
            axes = [int(v) for v in (ins[1].reshape(-1) if len(ins) > 1 else a["axes"])]
            out = ins[0]
            for ax in sorted(self.axes(node, axes, out.ndim + len(axes))):
                out = np.expand_dims(out, ax)
        elif op == "Squeeze":
            axes_ = [int(v) for v in (ins[1].reshape(-1) if len(ins) > 1 else a.get("axes", ()))]
            out = np.squeeze(ins[0], axis=tuple(axes_) if axes_ else None)
        elif op == "Gather":
            out = np.take(ins[0], ins[1].astype(np.int64), axis=int(a.get("axis", 0)))
        elif op == "Concat":
            out = np.concatenate(ins, axis=int(a["axis"]))
        elif op == "Slice" and len(ins) >= 3:
            data = ins[0]
            starts, ends = (list(v.reshape(-1)) for v in ins[1:3])
            axes = list(ins[3].reshape(-1)) if len(ins) > 3 else list(range(len(starts)))
            steps = list(ins[4].reshape(-1)) if len(ins) > 4 else [1] * len(starts)
            index = [slice(None)] * data.ndim
            for st, en, ax, sp in zip(starts, ends, axes, steps, strict=True):
                if not all(isinstance(v, (int, np.integer)) for v in (st, en, ax, sp)):
                    raise self.refuse(node, "slices sizes by sizes: not followed")
                index[int(ax)] = slice(int(st), int(en), int(sp))
            out = data[tuple(index)]
        elif op == "Reshape":
            shape = [int(v) for v in ins[1].reshape(-1)]
            shape = [ins[0].shape[j] if v == 0 else v for j, v in enumerate(shape)]
            out = ins[0].reshape(shape)
        elif op == "Transpose":
            out = ins[0].transpose(a.get("perm"))
        elif op == "ConstantOfShape":
            fill = self.array(a["value"], "ConstantOfShape").reshape(-1)[0] if "value" in a \
                else 0
            out = np.full([int(v) for v in ins[0].reshape(-1)], int(fill), dtype=object)
        elif op in ("Add", "Sub", "Mul", "Div", "Mod", "Neg"):
            sym = {"Add": "+", "Sub": "-", "Mul": "*", "Div": "/", "Mod": "%"}.get(op, "-")
            if op == "Mod" and int(a.get("fmod", 0)):
                raise self.refuse(node, "Mod with fmod=1 on sizes: not followed")
            left, right = (np.zeros((), dtype=object), ins[0]) if op == "Neg" else ins[:2]

            def one(u: Any, v: Any) -> Any:
                # a channel count the layers fix is a number (x.chunk's bounds)
                u, v = (self.known_channels(w.src) or w if isinstance(w, _ChannelCount) else w
                        for w in (u, v))
                for w in (u, v):
                    if isinstance(w, str):
                        raise self.refuse(node, "computes with the "
                                          f"{'batch size' if w == 'N' else 'channel count'} "
                                          "read by Shape: not followed")
                    if not (is_term(w) or isinstance(w, (int, np.integer))):
                        raise self.refuse(node, f"computes with {w!r}: integer sizes are read")
                term = Arith(sym, u if is_term(u) else int(u), v if is_term(v) else int(v))
                return term if is_term(u) or is_term(v) else \
                    _int_value(term)
            out = np.frompyfunc(one, 2, 1)(left, right)
            out = np.asarray(out, dtype=object)
        else:
            raise self.refuse(node, "computes with the sizes of a tensor (Shape): symconv "
                                    "follows them through Gather, Slice, Concat, Unsqueeze, "
                                    "Reshape, Transpose and integer arithmetic")
        return self._value(node, np.asarray(out, dtype=object))

    def _value(self, node: Any, out: Any) -> None:
        """Keep a computed size value: a constant when every entry is an int."""
        import numpy as np
        if all(isinstance(v, (int, np.integer)) for v in out.reshape(-1)):
            self.consts[node.output[0]] = out.astype(np.int64)
        else:
            self.dims[node.output[0]] = out
        return None

    def size_entry(self, node: Any, v: Any, what: str) -> Any:
        """One entry of a size value where it sizes something: an int or a term."""
        if isinstance(v, str):
            raise self.refuse(node, f"its {what} use the "
                                    f"{'batch size' if v == 'N' else 'channel count'} read by "
                                    "Shape as a size: not read")
        return v if is_term(v) else int(v)

    def sizes_of(self, node: Any, n: int, what: str) -> list[Any] | None:
        """Input ``n`` as a flat list of ints and terms when it is computed from sizes
        (None when it is a constant or missing)."""
        if n < len(node.input) and node.input[n] in self.dims:
            return list(self.dims[node.input[n]].reshape(-1))
        return None

    def fold(self, node: Any) -> None:
        """A node whose inputs are all constants (exporters compute ``Pad``'s pads that
        way): its outputs are constants too, computed by onnx's reference evaluator."""
        from onnx import AttributeProto, helper
        from onnx.reference import ReferenceEvaluator
        if any(a.type in (AttributeProto.GRAPH, AttributeProto.GRAPHS) for a in node.attribute):
            # its subgraphs may read any tensor of the model, not only its inputs
            raise self.refuse(node, "control flow with subgraphs (If, Loop, Scan): not read")
        feeds = {x: self.consts[x] for x in node.input if x}
        graph = helper.make_graph(
            [node], "fold",
            [helper.make_tensor_value_info(x, helper.np_dtype_to_tensor_dtype(v.dtype), v.shape)
             for x, v in feeds.items()],
            [helper.make_empty_tensor_value_info(x) for x in node.output if x])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", self.opset)])
        try:
            # run at the model's own opset: an op's meaning can change between opsets
            outs = ReferenceEvaluator(model).run(None, feeds)
        except Exception as exc:    # noqa: BLE001 - the evaluator's errors are of many types
            raise self.refuse(node, "its inputs are constants, which symconv computes with "
                                    "onnx's reference evaluator, and it cannot run this node "
                                    f"({str(exc).splitlines()[0]})") from None
        for name, value in zip(node.output, outs, strict=False):
            if name:
                self.consts[name] = value
        return None

    def conv(self, node: Any, a: dict[str, Any], transposed: bool) -> None:
        w = self.consts.get(node.input[1]) if len(node.input) > 1 else None
        if w is None and "kernel_shape" not in a:
            raise self.refuse(node, "no kernel_shape and no constant weight to read it from")
        wshape = tuple(int(v) for v in w.shape) if w is not None else None
        k = self.spatial(node, a.get("kernel_shape", wshape[2:] if wshape else None),
                         "kernel_shape", 1)
        if wshape is not None and tuple(wshape[2:]) != k:
            raise self.refuse(node, f"kernel_shape {list(k)} but the weight is {list(wshape)}")
        s = self.spatial(node, a.get("strides"), "strides", 1)
        d = self.spatial(node, a.get("dilations"), "dilations", 1)
        g = int(a.get("group", 1))
        if g < 1:       # read as F_i = W.shape[1] * group: the refusal named F_i
            raise self.refuse(node, f"group={g}: ONNX's group is a positive integer "
                                    "(onnxruntime refuses the model)", DomainError)
        bias = len(node.input) > 2 and bool(node.input[2])
        f_i = f_o = None
        if wshape is not None:
            f_i, f_o = (wshape[0], wshape[1] * g) if transposed else (wshape[1] * g, wshape[0])
            self.conv_counts(node, wshape, g, transposed)
        pads = self.pads(node, a)
        if not transposed:
            layer = self.layer(node, "conv", k=self.one(k), s=self.one(s), d=self.one(d),
                               p=pads if isinstance(pads, str) else self.one(pads),
                               framework="onnx", F_i=f_i, F_o=f_o, g=g, bias=bias,
                               name=self.label(node))
            return self.add(node, "layer", (self.src(node),), layer=layer,
                            weight=node.input[1] if w is not None else "")
        out_pad = self.spatial(node, a.get("output_padding"), "output_padding", 0)
        if any(v >= st for v, st in zip(out_pad, s, strict=True)):
            # PyTorch takes a < max(s, d); onnxruntime and the reference refuse a >= s
            raise self.refuse(node, f"output_padding {list(out_pad)} not below the strides "
                                    f"{list(s)} (onnxruntime refuses it at every size)")
        if "output_shape" in a:
            return self.transpose_to_shape(node, a, k, s, d, out_pad, (f_i, f_o, g, bias))
        if pads == "VALID":
            pads = (0,) * len(k)
        elif isinstance(pads, str):
            pads = tuple(self.transpose_same(node, pads, k[j], s[j], d[j], out_pad[j])
                         for j in range(len(k)))
        layer = self.layer(node, "conv_transpose", k=self.one(k), s=self.one(s), d=self.one(d),
                           a=self.one(out_pad), p=self.one(pads), framework="onnx", F_i=f_i,
                           F_o=f_o, g=g, bias=bias, name=self.label(node))
        self.add(node, "layer", (self.src(node),), layer=layer,
                 weight=node.input[1] if w is not None else "")

    def conv_counts(self, node: Any, wshape: tuple[int, ...], g: int, transposed: bool) -> None:
        """The channel counts of a (transposed) convolution's weight and bias, as ONNX states
        them: ``Conv``'s W is ``(M, C/group, k...)``, ``ConvTranspose``'s ``(C, M/group,
        k...)``, so ``group`` divides ``W.shape[0]``; the bias B has ``M`` entries.  Wrong
        at every input size: refused here."""
        if g >= 1 and wshape[0] % g:
            which = "input" if transposed else "output"
            raise self.refuse(node, f"group={g} does not divide the {wshape[0]} {which} "
                                    f"channels of its weight (shape {list(wshape)}; ONNX's "
                                    f"{node.op_type} needs W.shape[0] divisible by group); "
                                    "give the weight a multiple of group there, or another "
                                    "group", DomainError)
        b = self.consts.get(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        m = wshape[1] * g if transposed else wshape[0]
        if b is not None and tuple(int(v) for v in b.shape) != (m,):
            raise self.refuse(node, f"a bias B of shape {list(b.shape)} for {m} output channels "
                                    f"(W of shape {list(wshape)}{f', group={g}' if g != 1 else ''}"
                                    f"; ONNX's B has one entry per output channel, shape [{m}]); "
                                    f"give B {m} entries", DomainError)

    def layer(self, node: Any, kind: str, **kw: Any) -> Layer:
        """``Layer(kind, **kw)``, a value it refuses named with the node and its op."""
        try:
            return Layer(kind, **kw)
        except SymconvError as exc:
            raise type(exc)(f"node {self.label(node)} ({node.op_type}): {exc}", value=exc.value,
                            hint=exc.hint) from None

    def transpose_to_shape(self, node: Any, a: dict[str, Any], k: tuple[int, ...],
                           s: tuple[int, ...], d: tuple[int, ...], out_pad: tuple[int, ...],
                           counts: tuple[Any, ...]) -> None:
        """ConvTranspose with ``output_shape``: ONNX ignores ``pads`` and derives them from the
        shape asked for, so the output is that shape.  onnxruntime runs it wherever the
        unpadded output ``(i - 1) s + d (k - 1) + 1`` is at least the shape less ``s - 1``
        (the rest an output padding below the stride; the ``output_padding`` attribute is
        not added: measured on 1 890 sizes) and refuses it below ("inconsistent").
        Read as the layer without padding and with output padding ``s - 1`` (its parameters
        and multiply-accumulates do not depend on either) followed by a fixed-size node
        ``<name>/output_shape`` that refuses an input below that shape (``mode="shrink"``)."""
        assert self.ndim is not None
        shape = [int(v) for v in a["output_shape"]]
        if len(shape) != self.ndim:
            # the operator's text allows (N, C, ...) too; onnxruntime refuses it
            raise self.refuse(node, f"output_shape {shape} has {len(shape)} entries on a "
                                    f"{self.ndim}-d input: one per spatial axis (onnxruntime: "
                                    "'Attribute output_shape has incorrect size')", DomainError)
        size = self.spatial(node, shape, "output_shape", 1)
        f_i, f_o, g, bias = counts
        name = self.fresh(node)
        layer = self.layer(node, "conv_transpose", k=self.one(k), s=self.one(s), d=self.one(d),
                           a=self.one(tuple(st - 1 for st in s)), p=0, framework="onnx",
                           F_i=f_i, F_o=f_o, g=g, bias=bias, name=name)
        self.nodes.append(Node(name, "layer", (self.src(node),), layer, source=node.op_type))
        fixed = f"{name}/output_shape"
        self.names.add(fixed)
        self.nodes.append(Node(fixed, "resize", (name,), size=size, mode="shrink",
                               source="ConvTranspose output_shape"))
        self.producer[node.output[0]] = fixed

    def transpose_same(self, node: Any, mode: str, k: int, s: int, d: int, a: int) -> Any:
        """ConvTranspose ``SAME_UPPER``/``SAME_LOWER``: the padding of the ONNX preset
        (``onnx_transpose_same_total``), whose ``i`` cancels: one padding for every size."""
        total = ONNX_TRANSPOSE_SAME_TOTAL.rhs
        assert I not in sympy.expand(total).free_symbols
        try:
            res = preset("onnx", mode, "conv_transpose").apply(i=1, k=k, s=s, d=d, a=a)
        except SymconvError as exc:
            raise self.refuse(node, str(exc)) from None
        return Sides(res.p_l, res.p_r) if res.p_l != res.p_r else res.p_l

    def pool(self, node: Any, a: dict[str, Any]) -> None:
        k = self.spatial(node, a.get("kernel_shape"), "kernel_shape", 0)
        if 0 in k:
            raise self.refuse(node, "no kernel_shape")
        s = self.spatial(node, a.get("strides"), "strides", 1)      # ONNX: stride 1
        d = self.spatial(node, a.get("dilations"), "dilations", 1)
        pads = self.pads(node, a)
        given = [int(v) for v in a.get("pads", ())]
        for n, (p, kk) in enumerate(zip(given, k + k, strict=False)):
            if p >= kk:
                # onnxruntime (pool_attributes.h): "Pad should be smaller than kernel."; the
                # reference evaluator reduces an empty window
                raise self.refuse(node, f"pads {given}: the pad {p} "
                                        f"{'before' if n < len(k) else 'after'} axis "
                                        f"{n % len(k)} is not below kernel_shape {list(k)} on that "
                                        "axis (ONNX pooling needs each pad < its kernel, as "
                                        "onnxruntime requires); give pads of at most "
                                        f"{kk - 1} there", DomainError)
        if pads == "VALID":
            pads = (0,) * len(k)        # ONNX: no padding, then its own window count
        layer = self.layer(node, "pool", k=self.one(k), s=self.one(s), d=self.one(d),
                           p=pads if isinstance(pads, str) else self.one(pads),
                           ceil_mode=bool(a.get("ceil_mode", 0)), framework="onnx",
                           name=self.label(node), average=node.op_type == "AveragePool")
        if not a.get("ceil_mode", 0) and max(s) > 1:
            self.partial.append(self.label(node))
        self.add(node, "layer", (self.src(node),), layer=layer)

    def pad(self, node: Any, a: dict[str, Any]) -> None:
        assert self.ndim is not None
        mode = a.get("mode", b"constant")
        mode = mode.decode() if isinstance(mode, bytes) else str(mode)
        if self.opset >= 11:
            read = self.sizes_of(node, 1, "pads")
            raw = [self.size_entry(node, v, "pads") for v in read] if read is not None else \
                [int(v) for v in self.const(node, 1, "pads").reshape(-1)]
            axes_in = self.const(node, 3, "axes", required=False)
        else:
            raw, axes_in = [int(v) for v in a.get("pads", ())], None
        rank = self.ndim + 2
        axes = self.axes(node, axes_in.reshape(-1), rank) if axes_in is not None \
            else list(range(rank))
        if len(raw) != 2 * len(axes):
            raise self.refuse(node, f"pads {raw} for {len(axes)} axes")
        per = {ax: (raw[n], raw[n + len(axes)]) for n, ax in enumerate(axes)}
        for ax in (0, 1):
            if per.get(ax, (0, 0)) != (0, 0):
                raise self.refuse(node, f"pads {per[ax]} on the {'batch' if ax == 0 else 'channel'}"
                                        " axis: symconv reads padding of the spatial axes")
        if mode != "constant" and any(is_term(v) for v in raw):
            raise self.refuse(node, f"pads computed from sizes in mode {mode!r}: read in "
                                    "constant mode only")
        if mode != "constant" and any(v < 0 for v in raw):
            raise self.refuse(node, f"negative pads in mode {mode!r}: a crop is read in "
                                    "constant mode only")
        self.add(node, "pad", (self.src(node),),
                 pads=tuple(per.get(ax, (0, 0)) for ax in range(2, rank)),
                 # edge repeats the border (any pads); wrap's limit is not read
                 mode={"reflect": "reflect", "edge": "replicate"}.get(mode, "constant"),
                 crop_first=False)      # onnxruntime: the sizes add, (3, -2) on 1 is 2

    def resize(self, node: Any, a: dict[str, Any]) -> None:
        assert self.ndim is not None
        rank = self.ndim + 2
        axes = self.axes(node, a.get("axes", range(rank)), rank)    # opset 18's attribute
        interp = a.get("mode", b"nearest")
        interp = interp.decode() if isinstance(interp, bytes) else str(interp)
        if interp == "cubic" and self.ndim != 2:
            raise self.refuse(node, f"mode='cubic' on {self.ndim} spatial ax"
                                    f"{'is' if self.ndim == 1 else 'es'}: onnxruntime resizes "
                                    "cubically 2 spatial axes only (it refuses the model)")
        if node.op_type == "Upsample" and self.opset < 9:
            scales = a.get("scales")
            sizes = None
        elif node.op_type == "Upsample" or self.opset < 11:
            scales, sizes = self.const(node, 1, "scales"), None
        else:
            scales = self.const(node, 2, "scales", required=False)
            if scales is not None and scales.size and len(node.input) > 3 and node.input[3]:
                raise self.refuse(node, "both scales and sizes are given (ONNX takes one; "
                                        "onnxruntime refuses the model)")
            got_dims = self.sizes_of(node, 3, "sizes")
            if got_dims is not None:
                # sizes = the input's batch and channels (read with Shape), then constants
                # or sizes read from tensors
                if len(got_dims) != len(axes):
                    raise self.refuse(node, f"sizes {got_dims}: {len(got_dims)} entries for "
                                            f"{len(axes)} axes")
                by_axis = dict(zip(axes, got_dims, strict=True))
                if 1 in by_axis and by_axis[1] != "?":
                    self.same_channels(node, by_axis[1])
                return self.add(node, "resize", (self.src(node),),
                                size=tuple(self.size_entry(node, by_axis[ax], "sizes")
                                           if ax in by_axis else None
                                           for ax in range(2, rank)))
            sizes = self.const(node, 3, "sizes", required=False)
            if scales is not None and scales.size == 0:
                scales = None
        if node.op_type == "Upsample" and scales is not None:
            import numpy as np
            given = [float(v) for v in np.asarray(scales, dtype=float).reshape(-1)]
            if any(v < 1 for v in given):
                # the operator text: each scale "should be greater than or equal to 1";
                # onnxruntime refuses the model ("Scale value should be greater than or
                # equal to 1")
                raise self.refuse(node, f"Upsample scales {given}: each must be 1 or more "
                                        "(onnxruntime refuses the model); Resize downsamples",
                                  DomainError)
        policy = a.get("keep_aspect_ratio_policy", b"stretch")
        policy = policy.decode() if isinstance(policy, bytes) else str(policy)
        mode = a.get("coordinate_transformation_mode", b"half_pixel")
        mode = mode.decode() if isinstance(mode, bytes) else str(mode)
        if mode == "tf_crop_and_resize":
            raise self.refuse(node, "coordinate_transformation_mode='tf_crop_and_resize' (its "
                                    "size depends on roi)")
        if sizes is not None:
            if policy != "stretch":
                raise self.refuse(node, f"keep_aspect_ratio_policy={policy!r}: only stretch")
            got = {ax: int(v) for ax, v in zip(axes, sizes.reshape(-1), strict=True)}
            # the batch entry is the input's, or the model's batch; the channel entry must
            # be the input's channels (another resizes them: not read); the spatial entries
            # are the sizes
            if 1 in got:
                self.same_channels(node, got[1])
            return self.add(node, "resize", (self.src(node),),
                            size=tuple(got.get(ax) for ax in range(2, rank)))
        if scales is None:
            raise self.refuse(node, "neither scales nor sizes is given")
        vals = [float(v) for v in (scales.reshape(-1) if hasattr(scales, "reshape") else scales)]
        got_s = dict(zip(axes, vals, strict=True))
        if got_s.get(0, 1.0) != 1.0 or got_s.get(1, 1.0) != 1.0:
            raise self.refuse(node, f"scales {vals} change the batch or channel axis")
        spatial = [got_s.get(ax, 1.0) for ax in range(2, rank)]
        if any(v != math.floor(v) or v < 1 for v in spatial):
            # ONNX's size is floor(i * scale): exact for a float32 scale m / 2**e of few bits
            fracs = [fraction_scale(v, bits=8) for v in spatial]
            if None in fracs:
                raise self.refuse(node, f"scales {spatial}: a scale that is not an integer is "
                                        "read when it is m / 2**e with m, 2**e at most 2**8 "
                                        "(0.5, 0.75, 1.5): ONNX's size is floor(i * scale) "
                                        "in float32")
            src = self.src(node)
            return self.add(node, "resize", (src,), size=tuple(
                scaled(SizeOf(src, j), fr) for j, fr in enumerate(fracs) if fr is not None))
        f = tuple(int(v) for v in spatial)
        near = a.get("nearest_mode", b"round_prefer_floor")
        near = near.decode() if isinstance(near, bytes) else str(near)
        # linear/cubic read several input units per output unit (its receptive field);
        # nearest reads floor(u / f) only for some coordinate and nearest modes
        kw = {"mode": {"cubic": "bicubic"}.get(interp, "linear")} \
            if interp in ("linear", "cubic", "bilinear", "trilinear") else \
            {} if _floor_nearest(mode, near, max(f)) else {"mode": SHIFTED_NEAREST}
        self.add(node, "layer", (self.src(node),),
                 layer=Layer("upsample", factor=self.one(f), name=self.label(node)), **kw)

    def merge(self, node: Any, op: str) -> None:
        tensors = [n for n, x in enumerate(node.input) if x and x not in self.consts]
        srcs = [self.nodes[[nd.name for nd in self.nodes].index(self.producer[node.input[n]])]
                if self.producer.get(node.input[n]) in self.flat else None for n in tensors]
        nd = self.ndim or 0
        if len(tensors) == 1 and len(node.input) == 2 and self.matmul_bias(node, op, tensors[0]):
            # a Linear's bias (on the last axis of a map too: it changes no size)
            return self.alias(node, tensors[0])
        channels = 1            # a constant's channel entry broadcasts with the tensors'
        for x in node.input:
            c = self.consts.get(x)
            if c is None:
                continue
            if srcs and all(s is not None for s in srcs):
                # (N, features): a constant of width 1 or the features (a Linear's width)
                widths = {1} | {s.out_features for s in srcs if s is not None and s.op == "linear"}
                if c.ndim <= 2 and (c.ndim < 2 or c.shape[0] == 1) and \
                        (c.ndim == 0 or int(c.shape[-1]) in widths):
                    continue
                raise self.refuse(node, f"a constant input of shape {list(c.shape)} does not "
                                        "broadcast over the (N, features) input")
            # a constant broadcasts without changing the sizes: 1 on every spatial axis
            if c.ndim > nd + 2 or any(v != 1 for v in c.shape[max(c.ndim - nd, 0):]) or \
                    (c.ndim == nd + 2 and c.shape[0] != 1):
                raise self.refuse(node, f"a constant input of shape {list(c.shape)} would fix "
                                        "or change the sizes (broadcasting over the spatial axes)")
            if c.ndim > nd:
                width = int(c.shape[c.ndim - nd - 1])
                if width != 1 and channels not in (1, width):
                    raise self.refuse(node, f"constant inputs of {channels} and {width} "
                                            "channels do not broadcast")
                channels = max(channels, width)
        if not tensors:
            raise self.refuse(node, "every input is a constant")
        extra: dict[str, Any] = {"channels": channels} if channels > 1 else {}
        if len(tensors) == 1 and extra:
            if self.known_channels(self.src(node, tensors[0])) == channels:
                extra = {}      # a bias of the layer's own channels: they stay as they are
        self.unclear(node)
        if len(tensors) == 1 and not extra:
            return self.alias(node, tensors[0])
        self.add(node, op, tuple(self.src(node, n) for n in tensors), **extra)

    def held(self, node: Any) -> int:
        """The parameters a node holds by its op's meaning (``LayerNormalization``'s scale
        and bias, when initializers: without them PyTorch's exporter writes ``Constant``
        nodes), each counted by the first node that uses it."""
        count = 0
        for v in node.input:
            if v in self.initializers and v not in self.weight_owner:
                self.weight_owner[v] = node.output[0]
                count += int(self.consts[v].size)
        return count

    def unclear(self, node: Any) -> None:
        """An initializer in an elementwise merge: a learned parameter (a layer scale) or
        a buffer (an input's mean and std) alike, which ONNX does not tell apart: not
        counted, and said (``from_onnx``'s assumptions)."""
        for v in node.input:
            if v in self.initializers and v not in self.weight_owner:
                self.weight_owner[v] = node.output[0]
                self.uncounted[v] = int(self.consts[v].size)

    def matmul_bias(self, node: Any, op: str, n: int) -> bool:
        """``MatMul`` then ``Add`` of a constant of its output width: PyTorch's ``Linear`` on
        an input of rank 3 or more, exported; the bias is the linear node's."""
        src = self.producer.get(node.input[n])
        at = next((j for j, nd in enumerate(self.nodes) if nd.name == src), None)
        if op != "add" or node.op_type != "Add" or at is None:
            return False
        lin = self.nodes[at]
        if node.input[1 - n] not in self.initializers:
            return False        # a constant of the model's code (1.0 in a GELU), no bias
        const = self.consts[node.input[1 - n]]
        if any(v != 1 for v in const.shape[:-1]):
            return False        # it would broadcast over another axis than the last
        if lin.op == "linear" and lin.source == "MatMul" and not lin.bias and \
                int(const.size) == lin.out_features:
            self.nodes[at] = replace(lin, bias=True)
        elif lin.op == "layer" and lin.source == "MatMul" and lin.layer is not None and \
                not lin.layer.bias and int(const.size) == lin.layer.F_o:
            self.nodes[at] = replace(lin, layer=replace(lin.layer, bias=True))
        else:
            return False
        self.weight_owner.setdefault(node.input[1 - n], lin.name)   # counted by the layer
        return True

    def gemm(self, node: Any, a: dict[str, Any]) -> None:
        if int(a.get("transA", 0)):
            raise self.refuse(node, "transA=1: the input would be transposed")
        w = self.const(node, 1, "weight B")
        if w.ndim != 2:
            raise self.refuse(node, f"a weight of shape {list(w.shape)}")
        n_out, n_in = (w.shape if int(a.get("transB", 0)) else w.shape[::-1])
        bias = len(node.input) > 2 and bool(node.input[2])
        self.add(node, "linear", (self.src(node),), in_features=int(n_in),
                 out_features=int(n_out), bias=bias, weight=node.input[1])

    def slice(self, node: Any, a: dict[str, Any]) -> None:
        """``Slice`` of the spatial axes (a crop): Python's slice rules, which ONNX's
        clamping of starts and ends follows."""
        assert self.ndim is not None
        rank = self.ndim + 2
        if self.opset < 10:
            starts, ends = list(a["starts"]), list(a["ends"])
            axes, steps = list(a.get("axes", range(len(starts)))), [1] * len(starts)
        else:
            starts, ends = ([self.size_entry(node, v, what) for v in read] if
                            (read := self.sizes_of(node, n, what)) is not None else
                            [int(v) for v in self.const(node, n, what).reshape(-1)]
                            for n, what in ((1, "starts"), (2, "ends")))
            ax_c, st_c = self.const(node, 3, "axes", False), self.const(node, 4, "steps", False)
            axes = [int(v) for v in ax_c.reshape(-1)] if ax_c is not None \
                else list(range(len(starts)))
            steps = [int(v) for v in st_c.reshape(-1)] if st_c is not None else [1] * len(starts)
        axes = self.axes(node, axes, rank)
        per: dict[int, tuple[Any, Any, int]] = {}
        channels: tuple[Any, ...] | None = None
        for start, end, ax, step in zip(starts, ends, axes, steps, strict=True):
            if step == 0:
                raise self.refuse(node, "a step of 0 (ONNX's steps are nonzero)")
            if ax == 1 and not is_term(start) and not is_term(end):
                channels = ("slice", int(start), int(end), int(step))
                continue
            if ax < 2:
                if is_term(start) or is_term(end) or (start, step) != (0, 1) or \
                        end < 2 ** 31 - 1:
                    raise self.refuse(node, f"slices the {'batch' if ax == 0 else 'channel'} "
                                            f"axis ({start}:{end}:{step}): symconv reads "
                                            "slices of the spatial axes and constant ones "
                                            "of the channels")
                continue
            per[ax] = (start, end, int(step))
        src = self.src(node)
        if channels is not None:
            # a part of the channels (PyTorch's x[:, a:b]), then the spatial slices
            if not per:
                return self.add(node, "identity", (src,), part=channels)
            src = self.fresh(node)
            self.nodes.append(Node(src, "identity", (self.src(node),), part=channels,
                                   source="Slice"))
        self.add(node, "slice", (src,), slices=tuple(per.get(ax) for ax in range(2, rank)))

    def channels_last(self, node: Any, a: dict[str, Any]) -> bool:
        """A ``Transpose`` of the channels to the last axis and back (ConvNeXt's LayerNorm
        and Linear over the channels, exported), and what acts on the channels-last
        tensor between: ``LayerNormalization`` over the last axis (its scale's length is
        the channels), ``MatMul`` by a constant ``(C, C')`` (a 1x1 convolution; an
        ``Add`` of its width after it is its bias), elementwise ops, and merges whose
        constants are 1 but on the last axis.  True when read here; False when the
        ordinary reader reads it (its output stays channels-last); anything else on such
        a tensor is refused."""
        op, rank = node.op_type, (self.ndim or 0) + 2
        x = node.input[0] if node.input else ""
        if op == "Transpose":
            perm = tuple(int(v) % rank for v in a.get("perm", range(rank - 1, -1, -1)))
            to_last, back = (0, *range(2, rank), 1), (0, rank - 1, *range(1, rank - 1))
            if (perm == to_last and x not in self.chlast) or (perm == back and x in self.chlast):
                self.alias(node)
                if x not in self.chlast:    # a 1-d map's to and back are both [0, 2, 1]
                    self.chlast.add(node.output[0])
                return True
            raise self.refuse(node, f"perm {list(perm)}: only the channels to the last axis "
                                    f"{list(to_last)} and back {list(back)} are read")
        if op == "LayerNormalization" and int(a.get("axis", -1)) % rank == rank - 1:
            scale = self.const(node, 1, "scale")
            # its scale and bias are parameters when initializers (without them PyTorch's
            # exporter writes Constant nodes of ones and zeros)
            self.add(node, "identity", (self.src(node),), takes=int(scale.size),
                     weights=self.held(node))
            self.chlast.add(node.output[0])
            return True
        if op == "MatMul" and node.input[1] in self.consts and x in self.chlast:
            w = self.consts[node.input[1]]
            if w.ndim != 2:
                raise self.refuse(node, f"a weight of shape {list(w.shape)}: a 2-d weight is read")
            layer = self.layer(node, "conv", k=1, F_i=int(w.shape[0]), F_o=int(w.shape[1]),
                               bias=False, name=self.label(node))
            self.add(node, "layer", (self.src(node),), layer=layer, weight=node.input[1])
            self.chlast.add(node.output[0])
            return True
        tensors = [v for v in node.input if v and v not in self.consts]
        if op in ELEMENTWISE or op in _MERGES:
            if op in _MERGES and any(v not in self.chlast for v in tensors):
                raise self.refuse(node, "merges a channels-last tensor with a channels-first "
                                        "one: not read")
            for v in node.input[1:] if op in ELEMENTWISE else node.input:
                c = self.consts.get(v) if v else None
                if c is not None and c.ndim and any(n != 1 for n in c.shape[:-1]):
                    raise self.refuse(node, f"a constant of shape {list(c.shape)} on a "
                                            "channels-last tensor: one that is 1 but on the "
                                            "last axis (the channels) is read")
            if op in _MERGES and len(tensors) == 1:
                c = next((self.consts[v] for v in node.input if v in self.consts), None)
                width = int(c.shape[-1]) if c is not None and c.ndim else 1
                at = list(node.input).index(tensors[0])
                if not self.matmul_bias(node, _MERGES[op], at):
                    self.unclear(node)
                if width != 1 and self.known_channels(self.producer.get(tensors[0], "")) != width:
                    self.add(node, _MERGES[op], (self.src(node, at),), channels=width)
                else:
                    self.alias(node, at)
                self.chlast.add(node.output[0])
                return True
            self.chlast.add(node.output[0])
            return False
        raise self.refuse(node, f"on a tensor transposed to channels-last "
                                f"({', '.join(v for v in node.input if v in self.chlast)}): not "
                                "read (LayerNormalization, MatMul, elementwise ops and merges "
                                "are)")

    def channel_part(self, node: Any, a: dict[str, Any]) -> None:
        """Parts of the channels (an ``identity`` node's ``part``): ``Split`` along axis 1
        by constant sizes (each output its part; the sizes must add up to the channels),
        ``Gather`` along axis 1 of one constant index (``[k]``, or a scalar ``k`` then
        ``Unsqueeze(axes=[1])``: PyTorch's ``x[:, k]``)."""
        rank = (self.ndim or 0) + 2
        axis = int(a.get("axis", 0))
        if node.op_type == "Unsqueeze":
            ax = self.const(node, 1, "axes", False) if self.opset >= 13 else a.get("axes")
            axes = [] if ax is None else [int(v) % (rank) for v in list(
                ax.reshape(-1) if hasattr(ax, "reshape") else ax)]
            if node.input[0] in self.unsqueezed or self.producer.get(node.input[0]) in self.flat:
                return self.unsqueeze_features(node, ax)
            if node.input[0] not in self.dropped or axes != [1]:
                raise self.refuse(node, "an Unsqueeze of a tensor is read only back at axis 1 "
                                        "after a Gather of one channel or a reduction over the "
                                        "channels, or at the end of features (N, F)")
            whole, part = self.dropped[node.input[0]]
            return self.add(node, "identity", (whole,), part=part)
        if axis % rank != 1:
            raise self.refuse(node, f"axis {axis}: symconv reads a {node.op_type} of the "
                                    "channels (axis 1)")
        if node.op_type == "Gather":
            k = self.const(node, 1, "indices")
            if k.size != 1:
                raise self.refuse(node, f"indices {k.reshape(-1).tolist()}: one channel is read")
            if k.ndim == 0:
                self.dropped[node.output[0]] = (self.src(node), ("slice", int(k), int(k) + 1
                                                                 if int(k) != -1 else None, None))
                return None
            k_ = int(k.reshape(-1)[0])
            return self.add(node, "identity", (self.src(node),),
                            part=("slice", k_, k_ + 1 if k_ != -1 else None, None))
        sizes = self.const(node, 1, "split", False) if self.opset >= 13 else a.get("split")
        if sizes is None and self.opset >= 18 and "num_outputs" in a:
            # opset 18's num_outputs (the new exporter's x.chunk(n, 1)): parts of
            # ceil(C/n), the last smaller, as torch.chunk gives them
            n = int(a["num_outputs"])
            if n != len(node.output) or n < 1:
                raise self.refuse(node, f"num_outputs {n} for {len(node.output)} outputs",
                                  DomainError)
            src = self.src(node)
            for k, out in enumerate(node.output):
                name = self.fresh(node)
                self.nodes.append(Node(name, "identity", (src,), part=("chunk", n, k),
                                       source="Split"))
                self.producer[out] = name
            return None
        if sizes is None:
            raise self.refuse(node, "equal parts without their sizes: not read (the sizes "
                                    "given, or opset 18's num_outputs, as exporters write "
                                    "them, are)")
        sizes = [int(v) for v in (sizes.reshape(-1) if hasattr(sizes, "reshape") else sizes)]
        if len(sizes) != len(node.output) or min(sizes) < 0:
            raise self.refuse(node, f"split {sizes} for {len(node.output)} outputs: ONNX "
                                    "gives one nonnegative size per output", DomainError)
        src = self.src(node)
        for k, out in enumerate(node.output):
            name = self.fresh(node)
            self.nodes.append(Node(name, "identity", (src,), part=("sizes", tuple(sizes), k),
                                   source="Split"))
            self.producer[out] = name
        return None

    def reduce(self, node: Any, a: dict[str, Any]) -> None:
        """A reduction over the channels (axis 1): one channel (``keepdims=0``: until an
        ``Unsqueeze`` at axis 1 puts it back), or over every spatial axis: a global pooling
        (``keepdims=0``: then flattened)."""
        assert self.ndim is not None
        rank = self.ndim + 2
        # axes: an attribute until opset 18 (ReduceSum: 13), then the second input
        late = self.opset >= (13 if node.op_type == "ReduceSum" else 18)
        ax = self.const(node, 1, "axes", False) if late else a.get("axes")
        given = [] if ax is None else [int(v) for v in (ax.reshape(-1) if hasattr(ax, "reshape")
                                                      else ax)]
        if not given and a.get("noop_with_empty_axes", 0) == 1:     # 1 only, as onnxruntime
            return self.alias(node)         # no axes and noop_with_empty_axes: the input
        if not given:
            raise self.refuse(node, "a reduction over every axis (no axes given): not read")
        src = self.src(node)
        if src in self.flat:
            raise self.refuse(node, "a reduction of features (N, F): not read")
        axes = sorted(self.axes(node, given, rank))
        keep = int(a.get("keepdims", 1))
        if axes == [1]:
            if keep:
                return self.add(node, "identity", (src,), part=("reduce",))
            self.dropped[node.output[0]] = (src, ("reduce",))
            return None
        if axes != list(range(2, rank)):
            raise self.refuse(node, f"axes {axes}: symconv reads a reduction over the "
                                    f"channels (1) or over every spatial axis "
                                    f"{list(range(2, rank))}")
        if keep:
            return self.add(node, "adaptive", (src,), size=(1,) * self.ndim)
        pooled = self.fresh(node)
        self.nodes.append(Node(pooled, "adaptive", (src,), size=(1,) * self.ndim,
                               source=node.op_type))
        return self.add(node, "flatten", (pooled,))

    def squeeze(self, node: Any, a: dict[str, Any]) -> None:
        """``Squeeze`` of a global pooling's sizes of 1 from the end (``squeeze(-1)``
        twice): a flatten once every spatial axis is dropped."""
        assert self.ndim is not None
        ax = self.const(node, 1, "axes", False) if self.opset >= 13 else a.get("axes")
        base, n = self.squeezed.get(node.input[0]) or (self.producer.get(node.input[0], ""), 0)
        made = next((nd for nd in self.nodes if nd.name == base), None)
        given = [] if ax is None else [int(v) for v in (ax.reshape(-1) if hasattr(ax, "reshape")
                                                      else ax)]
        rank = self.ndim + 2 - n
        axes = sorted(self.axes(node, given, rank)) if given else []
        if not axes or axes != list(range(rank - len(axes), rank)) or \
                n + len(axes) > self.ndim or made is None or made.op != "adaptive" or \
                set(made.size) != {1}:
            raise self.refuse(node, "a Squeeze is read only of a global pooling's sizes of 1, "
                                    "from the last axis")
        n += len(axes)
        if n < self.ndim:
            self.squeezed[node.output[0]] = (base, n)
            return None
        return self.add(node, "flatten", (base,))

    def unsqueeze_features(self, node: Any, ax: Any) -> None:
        """``Unsqueeze`` of features (N, F) at its end: sizes of 1, an ``unflatten`` once
        every spatial axis is there (``y[:, :, None, None]``: one or two nodes)."""
        assert self.ndim is not None
        base, n = self.unsqueezed.get(node.input[0]) or (self.src(node), 0)
        given = [] if ax is None else [int(v) for v in (ax.reshape(-1) if hasattr(ax, "reshape")
                                                      else ax)]
        axes = sorted(self.axes(node, given, 2 + n + len(given)))
        if not given or axes != list(range(2 + n, 2 + n + len(given))) or \
                n + len(given) > self.ndim:
            raise self.refuse(node, f"axes {given} of features (N, F{', 1' * n}): symconv "
                                    f"reads sizes of 1 added at the end, {self.ndim} in all")
        n += len(given)
        if n < self.ndim:
            self.unsqueezed[node.output[0]] = (base, n)
            return None
        return self.add(node, "unflatten", (base,), size=(1,) * self.ndim)

    def expand(self, node: Any) -> None:
        """``Expand`` to the whole shape ``Shape`` reads of a tensor (``y.expand_as(x)``): a
        merge into that tensor, which does not broadcast."""
        got = self.sizes_of(node, 1, "shape") or []
        onto = got[1].src if len(got) > 1 and isinstance(got[1], _ChannelCount) else None
        if onto is None and len(got) == 2 + (self.ndim or 0) and \
                got[0] in ("N", self.batch) and isinstance(got[1], int):
            onto = self.tensor_of_shape(node, got[1], got[2:])
        if onto is None or got[0] not in ("N", self.batch) or \
                not self.sizes_of_node(got[2:], onto):
            raise self.refuse(node, "an Expand is read only to another tensor's whole shape "
                                    "(y.expand_as(x))")
        self.add(node, "mul", (onto, self.src(node)), mode="inplace", source="expand_as")

    def tensor_of_shape(self, node: Any, channels: int, sizes: list[Any]) -> str | None:
        """The map with ``channels`` channels whose sizes are ``sizes`` at every input
        size (:meth:`sizes_of_node`) that the new exporter's ``Expand`` reads the shape
        of, writing that shape from the input's sizes: the other operand of the merge
        the expanded tensor goes into where it is one, else the latest such map."""
        if not all(is_term(v) for v in sizes):
            return None
        beside = [self.producer.get(x, "") for user in self.graph.node if node.output[0] in user.input
                  for x in user.input if x != node.output[0]]
        for name in [*beside, *(nd.name for nd in reversed(self.nodes))]:
            if name in self.names and name not in self.flat and \
                    self.known_channels(name) == channels and self.sizes_of_node(sizes, name):
                return name
        return None

    def unflatten(self, node: Any, got: list[Any]) -> bool:
        """``Reshape`` of features (N, F) to (N, C, fixed sizes), or of a tensor to (N, C)
        where ``C`` is the channel count ``Shape`` read (``view(b, c)``): an ``unflatten``,
        ``C`` a number, ``-1`` or that tensor's channels.  False when ``got`` is not such a
        shape."""
        first, ch, sizes = got[0], got[1], got[2:]
        counted = isinstance(ch, _ChannelCount)
        if not (sizes or counted) or not (first == "N" or first in (0, self.batch, -1)) or \
                not (counted or isinstance(ch, int) and (ch > 0 or ch == -1)) or \
                not all(isinstance(v, int) and v > 0 for v in sizes):
            return False
        src = self.src(node)
        if src not in self.flat:
            if sizes:
                return False
            flat = self.fresh(node)
            self.nodes.append(Node(flat, "flatten", (src,), source="Reshape"))
            src = flat
        if first == -1:
            if ch == -1:
                raise self.refuse(node, f"shape {[_entry_text(v) for v in got]}: two dims of -1")
            self.assumed.append(f"Reshape to (-1, ...) at {self.label(node)} is read per "
                                "sample; ONNX also runs feature counts that fold into the batch")
        self.add(node, "unflatten", (src, *((ch.src,) if counted else ())), size=tuple(sizes),
                 channels=ch if isinstance(ch, int) and ch > 0 else None,
                 mode="per_sample" if first == -1 else "constant")
        return True

    def same_channels(self, node: Any, entry: Any) -> None:
        """Refuse a Resize whose ``sizes`` entry for the channel axis is not the input's
        channel count where the layers before it fix that count (onnxruntime resizes the
        channels too); where they do not (after a DepthToSpace, a Reshape of features),
        the entry is read as the input's count, and the answer says so."""
        have = self.known_channels(self.src(node))
        if not isinstance(entry, int) or have is not None and entry != have:
            what = f"is {entry}" if isinstance(entry, int) else "is not a number"
            raise self.refuse(node, f"its sizes entry for the channel axis {what}, on an input "
                                    f"of {have} channels: a resize of the channels is not read")
        if have is None:
            self.assumed.append(f"Resize {self.label(node)}: its sizes entry {entry} for the "
                                "channel axis is read as its input's channel count (not "
                                "followed there): a resize of the channels would not be")

    def known_channels(self, name: str) -> int | None:
        """The channel count at graph node ``name`` where the layers before it fix it (a
        convolution's ``F_o`` through nodes that keep the channels), else None."""
        by_name = {nd.name: nd for nd in self.nodes}
        while name in by_name:
            nd = by_name[name]
            if nd.layer is not None and nd.layer.F_o is not None:
                return int(nd.layer.F_o)
            if nd.takes is not None:
                return nd.takes
            if nd.op in ("add", "mul", "cat"):     # a merge: its inputs' (broadcast, or joined)
                counts = [self.known_channels(u) for u in nd.inputs]
                if nd.op == "cat" and nd.dim == 1:
                    return None if None in counts else sum(c for c in counts if c)
                if nd.op == "cat":
                    return next((c for c in counts if c is not None), None)
                # a count above 1 is the merge's (another one refuses every size); ones
                # beside an unknown may broadcast to it
                wide = [c for c in (*counts, nd.channels) if c is not None and c > 1]
                return max(wide) if wide else 1 if None not in counts else None
            if nd.part:
                whole = self.known_channels(nd.inputs[0])
                try:
                    return None if whole is None else part_channels(nd.part, whole, nd.name)
                except GraphError:
                    return None
            if nd.op not in ("identity", "norm", "pad", "slice", "adaptive", "resize", "layer"):
                return None
            name = nd.inputs[0]
        return self.in_channels if name not in by_name else None

    def groups(self, node: Any, got: list[Any]) -> bool:
        """GroupNorm as exported: ``Reshape`` of a tensor to ``(N, G, -1)`` (then an
        ``InstanceNormalization`` over each group), and back to that tensor's ``Shape``:
        an ``identity`` whose channels must be a multiple of ``G``.  True when read."""
        x = node.input[0]
        if x in self.grouped:
            whole, g = self.grouped[x]
            if got != ["N", got[1], *(SizeOf(whole, j) for j in range(len(got) - 2))] or \
                    not isinstance(got[1], _ChannelCount) or got[1].src != whole:
                raise self.refuse(node, "channels reshaped into groups are read only viewed "
                                        "back to their tensor's shape (GroupNorm as exported)")
            chans = self.known_channels(whole)
            if chans is None:
                self.assumed.append(f"{self.label(node)}: a Reshape to (N, {g}, -1) and back "
                                    f"is read as GroupNorm's groups, the channels a multiple "
                                    f"of {g} (ONNX needs only channels x sizes to be)")
            elif chans % g:
                raise self.refuse(node, f"{chans} channels reshaped into {g} groups: its groups "
                                        "mix channels, not read", DomainError)
            self.add(node, "identity", (whole,), groups=g, weights=self.group_weights,
                     source="GroupNorm (Reshape, InstanceNormalization, Reshape)")
            self.group_weights = 0
            return True
        if len(got) == 3 and got[0] in (0, "N", self.batch) and isinstance(got[1], int) and \
                got[1] > 0 and got[2] == -1 and self.producer.get(x) not in self.flat:
            self.grouped[node.output[0]] = (self.src(node), got[1])
            return True
        return False

    def sizes_of_node(self, got: list[Any], whole: str) -> bool:
        """Whether the spatial sizes ``got`` (read with ``Shape``, perhaps computed) are
        ``whole``'s sizes at every input size where ``whole`` has one.

        ``SizeOf(whole, j)`` is.  A size of another tensor, or a formula of sizes (the
        new exporter writes ``x.size(2)`` of the model input where a padded convolution
        keeps it, ``1 + trunc((x.size(2) - 1) / 2)`` where a strided one halves it, as
        torch.export's shape algebra proved), is when the two formulas of the input size
        ``x`` are one expression for every ``x`` from the smallest size ``whole`` takes
        on that axis: there ONNX's truncating ``Div`` of a numerator shown to be
        nonnegative is a floor.  Nothing is sampled: a difference not shown to be 0 is
        not the same, and the reshape stays refused."""
        if len(got) != (self.ndim or 0):
            return False
        own = [SizeOf(whole, j) for j in range(len(got))]
        if got == own:
            return True
        if not all(v == w or is_term(v) for v, w in zip(got, own, strict=True)):
            return False
        if self.formulas is None or self.formulas[0] != len(self.nodes):
            try:
                graph = Graph(tuple(self.nodes), in_channels=self.in_channels, ndim=self.ndim,
                              input=self.input)
                self.formulas = (len(self.nodes), graph, graph.exprs())
            except SymconvError:
                return False
        _, graph, forms = self.formulas
        u = sympy.Dummy("u", integer=True, nonnegative=True)
        for j, v in enumerate(got):
            if v == own[j]:
                continue
            low = _smallest_size(graph, whole, j)
            if low is None:
                return False
            at = {I: low + u}

            def formula(r: SizeOf, at: dict[Any, Any] = at) -> Any:
                if r.node == self.input:
                    return at[I]
                return forms[r.node][r.axis % len(got)].subs(at)
            if any(r.node != self.input and r.node not in forms or r.axis % len(got) != j
                   for r in refs(v)):
                # a size of another axis (h in w's place) is another input size: the
                # formulas share one symbol per axis, so it is never shown equal here
                return False
            mine = _floored(v, formula)
            if mine is None or sympy.expand(collapse_floors(mine) -
                                            collapse_floors(formula(own[j]))) != 0:
                return False
        return True

    def shuffle(self, node: Any, got: list[Any]) -> bool:
        """A channel shuffle as exported (``x.view(N, g, C // g, *sizes)``, the two channel
        dimensions transposed, ``view(N, C, *sizes)`` back, with ``C`` fixed by the layers
        before, so ``C // g`` folds): an ``identity`` whose channels are a multiple of
        ``g``.  True when ``node`` is read here."""
        x = node.input[0]
        base = self.shuffled.get(x)
        if base is None and len(got) == 3 + (self.ndim or 0) and got[0] in (0, "N", self.batch) \
                and all(isinstance(v, int) and v > 0 for v in got[1:3]):
            whole = self.producer.get(x, "")
            if not self.sizes_of_node(got[3:], whole) or \
                    self.known_channels(whole) != got[1] * got[2]:
                return False
            self.shuffled[node.output[0]] = (whole, got[1], False)
            return True
        if base is None:
            return False
        whole, g, transposed = base
        chans = self.known_channels(whole)
        if not transposed or len(got) != 2 + (self.ndim or 0) or \
                got[0] not in (0, "N", self.batch) or not self.sizes_of_node(got[2:], whole) or \
                not (got[1] == chans or isinstance(got[1], _ChannelCount) and
                     got[1].src == whole):
            raise self.refuse(node, "channels viewed as (N, g, C/g, ...) are read only "
                                    "transposed and viewed back to (N, C, ...) (a channel "
                                    "shuffle)")
        self.add(node, "identity", (whole,), groups=g, source="channel shuffle")
        return True

    def into_row(self, node: Any, a: dict[str, Any]) -> bool:
        """Whether ``node`` views features as a row ``(N, 1, F)`` (ECA-Net, as PyTorch
        exports it): ``Transpose(perm=[0, 2, 1])`` of a global pooling squeezed to ``(N,
        C, 1)``, ``Reshape`` of features to ``(N, 1, -1)``, ``Unsqueeze`` at axis 1.  The
        row is then a graph node of features, its tensor named in ``rows``."""
        assert self.ndim is not None
        op, x = node.op_type, node.input[0] if node.input else ""
        if op == "Transpose" and [int(v) for v in a.get("perm", ())] == [0, 2, 1]:
            base, n = self.squeezed.get(x) or (self.producer.get(x, ""), 0)
            made = next((nd for nd in self.nodes if nd.name == base), None)
            if made is None or made.op != "adaptive" or set(made.size) != {1} or \
                    n != self.ndim - 1:
                return False
            self.squeezed.pop(x, None)
            self.add(node, "flatten", (base,), source="Transpose to a row")
            self.rows[node.output[0]] = self.producer[node.output[0]]
            return True
        made = next((nd for nd in self.nodes if nd.name == self.producer.get(x)), None)
        pooled = made is not None and made.op == "adaptive" and set(made.size) == {1} and \
            x not in self.squeezed and op == "Reshape"
        if self.producer.get(x) not in self.flat and not pooled:
            return False
        if op == "Reshape" and len(node.input) > 1:
            got = self.dims.get(node.input[1])
            got = list(got.reshape(-1)) if got is not None else list(
                self.const(node, 1, "shape").reshape(-1)) if node.input[1] in self.consts \
                else None
            if got is None or len(got) != 3 or not (
                    got[0] in ("N", 0, self.batch) and got[1] == 1 and got[2] == -1):
                return False
        elif op == "Unsqueeze":
            ax = self.const(node, 1, "axes", False) if self.opset >= 13 else a.get("axes")
            if ax is None or [int(v) % 3 for v in (ax.reshape(-1) if hasattr(ax, "reshape")
                                                   else ax)] != [1]:
                return False
        else:
            return False
        if pooled:      # a global pooling (N, C, 1, ...) viewed as a row (N, 1, C) at once
            self.add(node, "flatten", (self.src(node),), source="Reshape to a row")
            self.rows[node.output[0]] = self.producer[node.output[0]]
            return True
        self.rows[node.output[0]] = self.src(node)
        self.producer[node.output[0]] = self.rows[node.output[0]]
        return True

    def row(self, node: Any, a: dict[str, Any]) -> None:
        """An op on a row ``(N, 1, F)``: a ``Conv`` of one channel in and out along it (a
        part of the channels, ``("conv", layer)``), elementwise ops, ``Transpose`` back to
        ``(N, F, 1)`` (then ``Unsqueeze`` at the end), ``Reshape`` to ``(N, -1, 1, ...)``
        (read as of features); anything else is refused."""
        assert self.ndim is not None
        op, x = node.op_type, node.input[0] if node.input else ""
        if node.output[0] in self.rows:     # made by into_row
            return None
        if x not in self.rows or any(u in self.rows for u in node.input[1:] if u):
            raise self.refuse(node, "on features viewed as a row (N, 1, F) for a convolution "
                                    "along the channels: not read (Conv of one channel, "
                                    "elementwise ops, and the row transposed or reshaped back "
                                    "are)")
        base = self.rows[x]
        if op == "Conv":
            w = self.consts.get(node.input[1]) if len(node.input) > 1 else None
            if w is None or tuple(w.shape[:2]) != (1, 1) or w.ndim != 3 or \
                    int(a.get("group", 1)) != 1:
                raise self.refuse(node, "a Conv on features viewed as a row (N, 1, F) is read "
                                        "only of one channel in and out, its weight a constant")
            pads = [int(v) for v in a.get("pads", [0, 0])]
            auto = a.get("auto_pad", b"NOTSET")
            auto = auto.decode() if isinstance(auto, bytes) else str(auto)
            self.one_padding(node, a, auto)
            k = int(w.shape[2])
            layer = Layer("conv", k=k, s=int(a.get("strides", [1])[0]),
                          d=int(a.get("dilations", [1])[0]),
                          p=auto if auto != "NOTSET" else
                          pads[0] if pads[0] == pads[1] else Sides(pads[0], pads[1]),
                          framework="onnx", F_i=1, F_o=1, bias=len(node.input) > 2 and
                          bool(node.input[2]), name=self.label(node))
            self.add(node, "identity", (base,), part=("conv", layer),
                     weight=node.input[1], source="Conv along the channels")
            self.rows[node.output[0]] = self.producer[node.output[0]]
            return None
        if op in ELEMENTWISE and len([u for u in node.input if u]) == 1:
            self.producer[node.output[0]] = base
            self.rows[node.output[0]] = base
            return None
        if op == "Transpose" and [int(v) for v in a.get("perm", ())] == [0, 2, 1]:
            if self.ndim == 1:
                return self.add(node, "unflatten", (base,), size=(1,), source="Transpose")
            self.unsqueezed[node.output[0]] = (base, 1)
            return None
        if op == "Squeeze":
            ax = self.const(node, 1, "axes", False) if self.opset >= 13 else a.get("axes")
            if ax is not None and [int(v) % 3 for v in (ax.reshape(-1) if hasattr(ax, "reshape")
                                                        else ax)] == [1]:
                self.producer[node.output[0]] = base
                return None
        if op == "Reshape":
            got = self.dims.get(node.input[1]) if len(node.input) > 1 else None
            shape = list(got.reshape(-1)) if got is not None else list(
                self.const(node, 1, "shape").reshape(-1))
            if len(shape) == 2 and shape[0] in ("N", 0, self.batch) and shape[1] == -1:
                self.producer[node.output[0]] = base      # the row back as its features
                return None
            if len(shape) == 2 + self.ndim:
                return self.reshape(node, a)
        raise self.refuse(node, "on features viewed as a row (N, 1, F) for a convolution "
                                "along the channels: not read (Conv of one channel, "
                                "elementwise ops, and the row transposed or reshaped back "
                                "are)")

    def shuffle_transpose(self, node: Any, a: dict[str, Any]) -> None:
        """The transpose of a channel shuffle: the two channel dimensions swapped."""
        whole, g, transposed = self.shuffled[node.input[0]]
        rank = (self.ndim or 0) + 3
        perm = [int(v) % rank for v in a.get("perm", range(rank - 1, -1, -1))]
        if transposed or perm != [0, 2, 1, *range(3, rank)]:
            raise self.refuse(node, f"perm {perm} of channels viewed as (N, g, C/g, ...): "
                                    "only the two channel dimensions swapped is read")
        self.shuffled[node.output[0]] = (whole, g, True)

    def reshape(self, node: Any, a: dict[str, Any]) -> None:
        if len(node.input) > 1 and node.input[1] in self.dims:
            got = [v if isinstance(v, str) or is_term(v) else int(v)
                   for v in self.dims[node.input[1]].reshape(-1)]
            if len(got) >= 2 and (self.shuffle(node, got) or self.groups(node, got) or
                                  self.unflatten(node, got)):
                return None
            got = list(self.dims[node.input[1]].reshape(-1))
            shape = [0 if isinstance(v, str) and v == "N" else v for v in got]
            if any(isinstance(v, str) or is_term(v) for v in shape):
                raise self.refuse(node, f"a shape ({', '.join(map(_entry_text, got))}) "
                                        "computed from sizes: only a reshape to (N, -1) or "
                                        "(N, size) is read")
            shape = [int(v) for v in shape]
        else:
            shape = [int(v) for v in self.const(node, 1, "shape").reshape(-1)]
        if int(a.get("allowzero", 0)) and 0 in shape:
            raise self.refuse(node, f"shape {shape} with allowzero=1")
        if len(shape) >= 3 and (self.shuffle(node, list(shape)) or self.groups(node, list(shape))
                                or self.unflatten(node, shape)):
            return None
        if len(shape) == 2 and shape[0] in (0, self.batch) and shape[1] == -1:
            return self.add(node, "flatten", (self.src(node),))
        if len(shape) == 2 and shape[0] in (0, self.batch, -1) and shape[1] > 0:
            if shape[0] == -1:      # LeNet's x.view(-1, 16 * 5 * 5)
                self.assumed.append(f"Reshape to (-1, {shape[1]}) at {self.label(node)} is "
                                    f"read per sample (channels times sizes = {shape[1]}); "
                                    f"ONNX also runs sizes where {shape[1]} divides the batch "
                                    "times that product, folding them into the batch")
            flat = self.fresh(node)
            self.nodes.append(Node(flat, "flatten", (self.src(node),), source="Reshape"))
            self.names.add(f"{flat}_size")
            self.nodes.append(Node(f"{flat}_size", "linear", (flat,), in_features=shape[1],
                                   out_features=shape[1], bias=False, takes=shape[1],
                                   source="Reshape check"))
            self.producer[node.output[0]] = f"{flat}_size"
            self.flat.update((flat, f"{flat}_size"))     # features (N, F), as add() marks them
            return None
        fixed = "; the file fixes its input's sizes: a view to a tensor's sizes (a channel " \
            "shuffle) is read from a file exported with dynamic axes" \
            if len(shape) > 2 and self.fixed_size else ""
        raise self.refuse(node, f"shape {shape}: only a reshape to (N, -1) or (N, size) is read "
                                f"(N: 0 or the input's batch size){fixed}")


SMALLEST_SEARCH = 1 << 12
"""Input sizes searched for the smallest one a node takes on an axis (a reshape's sizes
compared with its tensor's from there on)."""


def _floor_nearest(coordinate: str, nearest: str, f: int) -> bool:
    """Whether ONNX's nearest ``Resize`` by an integer factor ``f`` reads input
    ``floor(u / f)`` for output ``u``, as PyTorch's nearest does.

    With ``u = q f + r``: ``half_pixel`` (and ``pytorch_half_pixel``) maps ``u`` to ``q + (r
    - (f - 1)/2) / f``, strictly within 1/2 of ``q``, so either rounding gives ``q`` and
    ``floor``/``ceil`` do not; ``asymmetric`` maps it to ``q + r / f``: ``floor`` gives ``q``,
    ``round_prefer_floor`` too while ``r / f <= 1/2`` for every ``r`` (``f <= 2``);
    ``tf_half_pixel_for_nn`` to ``q + (r + 1/2) / f``, ``floor`` giving ``q``;
    ``align_corners`` depends on the size.
    """
    if coordinate in ("half_pixel", "pytorch_half_pixel"):
        return nearest in ("round_prefer_floor", "round_prefer_ceil")
    if coordinate == "asymmetric":
        return nearest == "floor" or (nearest == "round_prefer_floor" and f <= 2)
    if coordinate == "tf_half_pixel_for_nn":
        return nearest == "floor"
    return False


def _smallest_size(graph: Graph, node: str, axis: int) -> int | None:
    """The smallest input size on ``axis`` at which ``node`` has a size there (merges
    unchecked), searched up to :data:`SMALLEST_SEARCH`; None past it."""
    for x in range(1, SMALLEST_SEARCH + 1):
        try:
            graph._run((x,) * (graph.ndim or 1), axis=axis, merges=False)[node]
        except SymconvError:
            continue
        return x
    return None


def _floored(t: Any, size: Any) -> Any:
    """The term ``t`` as a sympy formula with each :class:`SizeOf` given by ``size``,
    ONNX's truncating ``Div`` by a positive constant written as the floor it is where
    its numerator is nonnegative (sympy shows it from the assumptions on the symbols);
    None where that is not shown."""
    if isinstance(t, SizeOf):
        return size(t)
    if not isinstance(t, Arith):
        return sympy.Integer(t)
    left, right = _floored(t.left, size), _floored(t.right, size)
    if left is None or right is None:
        return None
    if t.op == "/":
        if not (right.is_Integer and right > 0 and left.is_nonnegative):
            return None
        return sympy.floor(left / right)
    if t.op in ("//", "%") and not (right.is_Integer and right > 0):
        return None
    return {"+": sympy.Add, "-": lambda a, b: a - b, "*": sympy.Mul,
            "//": lambda a, b: sympy.floor(a / b), "%": Mod}[t.op](left, right)


def _int_value(term: Any) -> int:
    """An arithmetic term of ints, computed (ONNX's ``Div`` truncating)."""
    return int(evaluate(term, lambda r: 0))


def _entry_text(v: Any) -> str:
    return text(v) if is_term(v) else str(v)


_OF_A_PARAMETER = frozenset({"Relu", "Sigmoid", "Softplus", "Exp", "Abs", "Tanh", "Softmax",
                             "Neg", "Sqrt", "Clip", "Cast", "CastLike"})
"""Ops whose first input, an initializer, is a learned value being shaped (a BiFPN's
``relu(w)``, a gate's ``sigmoid(alpha)``, a layer scale cast to the map's type), not a shape
or a constant."""

_FLOATS = frozenset({1, 10, 11, 16})
"""ONNX's float element types (FLOAT, FLOAT16, DOUBLE, BFLOAT16): where learned values live."""


def load_model(model: Any) -> Any:
    """The ``onnx.ModelProto`` of a path (or the proto itself), onnx imported: the file's
    reading, which the command line keeps outside its ``--timeout`` clock."""
    try:
        import onnx
    except ImportError:
        raise UsageError("from_onnx needs onnx: pip install 'symconv[onnx]'") from None
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not os.path.isfile(path):
            raise UsageError(f"no ONNX file at {path!r}")
        try:
            return onnx.load(path)
        except Exception as exc:    # noqa: BLE001 - protobuf's decode errors are of many types
            raise UsageError(f"{path!r} is not an ONNX model: {str(exc).splitlines()[0]}"
                             ) from None
    if isinstance(model, onnx.ModelProto):
        return model
    raise UsageError(f"from_onnx takes a path or an onnx.ModelProto, got {type(model).__name__}")


def _in_order(proto: Any) -> list[Any]:
    """The graph's nodes in an order where each comes after the nodes whose tensors it
    reads (ONNX asks files to be sorted so; onnxruntime runs one that is not), file order
    kept where it already is; a cycle is refused, naming its nodes.  A node reading a
    tensor no node writes stays where the file has it (the reader says which).

    >>> from onnx import helper
    >>> a = helper.make_node("Relu", ["x"], ["a"], name="first")
    >>> b = helper.make_node("Relu", ["a"], ["b"], name="second")
    >>> g = helper.make_graph([b, a], "g", [], [])
    >>> [n.name for n in _in_order(helper.make_model(g))]
    ['first', 'second']
    """
    nodes = list(proto.graph.node)
    writer = {out: n for n, node in enumerate(nodes) for out in node.output if out}
    waits = [{writer[x] for x in node.input if x in writer and writer[x] != n}
             for n, node in enumerate(nodes)]
    if any(writer.get(x) == n for n, node in enumerate(nodes) for x in node.input):
        looped = next(node for n, node in enumerate(nodes)
                      if any(writer.get(x) == n for x in node.input))
        raise UsageError(f"node {looped.name!r} ({looped.op_type}) reads its own output: a "
                         "cycle (onnxruntime refuses the model)")
    readers: list[list[int]] = [[] for _ in nodes]
    for n, before in enumerate(waits):
        for m in before:
            readers[m].append(n)
    left = [len(before) for before in waits]
    ready = [n for n, k in enumerate(left) if k == 0]
    heapq.heapify(ready)
    order: list[Any] = []
    while ready:
        # the first ready node in file order, so a sorted file keeps its order
        n = heapq.heappop(ready)
        order.append(nodes[n])
        for m in readers[n]:
            left[m] -= 1
            if left[m] == 0:
                heapq.heappush(ready, m)
    if len(order) < len(nodes):
        cycle = [node.name for n, node in enumerate(nodes) if left[n]]
        raise UsageError(f"nodes {', '.join(map(repr, cycle[:6]))}"
                         f"{' ...' if len(cycle) > 6 else ''} read each other's outputs: "
                         "a cycle (onnxruntime refuses the model)")
    return order


def _refuse_unrunnable(proto: Any) -> None:
    """Refuse a model no runtime loads, whatever its sizes: one that imports no default
    opset, or one newer than the installed onnx knows (its nodes' meaning would be a
    guess), and two nodes writing one tensor (onnxruntime: "Duplicate definition")."""
    from onnx import defs
    opsets = [op.version for op in proto.opset_import if op.domain in ("", "ai.onnx")]
    if not opsets:
        raise UsageError("the model imports no ONNX opset (opset_import has no default "
                         "domain): its nodes' versions are unknown, and onnxruntime refuses it")
    newest = defs.onnx_opset_version()
    if opsets[0] > newest:
        raise UsageError(f"the model's opset {opsets[0]} is newer than the installed onnx "
                         f"knows (up to {newest}): upgrade onnx, or export at opset {newest}")
    written: dict[str, str] = {}
    for node in proto.graph.node:
        for out in node.output:
            if out and out in written:
                raise UsageError(f"nodes {written[out]!r} and {node.name!r} both write tensor "
                                 f"{out!r} (onnxruntime refuses the model: a tensor is "
                                 "defined once)")
            written[out] = node.name


@evaluated
def from_onnx(model: Any) -> Graph:
    """The :class:`~symconv.graph.Graph` of an ONNX model (a path or an ``onnx.ModelProto``).

    The input is the graph's one input that is not an initializer, of shape
    ``(N, C, spatial...)``: its rank gives the spatial axes and ``C`` the channels
    (``None`` when symbolic).  Sizes then follow the nodes' attributes with ONNX's
    rules; a node symconv cannot read raises a :class:`~symconv.errors.UsageError`
    naming it and its op (values ONNX refuses: a :class:`~symconv.errors.DomainError`).

    >>> from onnx import TensorProto, helper
    >>> x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "h", "w"])
    >>> y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    >>> pool = helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[3, 3],
    ...                         strides=[2, 2], auto_pad="SAME_LOWER")
    >>> g = from_onnx(helper.make_model(helper.make_graph([pool], "g", [x], [y])))
    >>> g.shapes((7, 8))["pool"]
    (3, (4, 4))
    """
    try:
        import onnx  # noqa: F401
    except ImportError:
        raise UsageError("from_onnx needs onnx: pip install 'symconv[onnx]'") from None
    proto = load_model(model)
    _refuse_unrunnable(proto)
    r = _Reader(proto)
    inputs = [v for v in r.graph.input if v.name not in r.consts]
    if len(inputs) != 1:
        raise UsageError(f"the model has {len(inputs)} inputs "
                         f"({', '.join(v.name for v in inputs) or 'none'}): symconv reads "
                         "one-input models")
    inp = inputs[0]
    tt = inp.type.tensor_type
    dim_list = list(tt.shape.dim) if inp.type.HasField("tensor_type") and tt.HasField("shape") \
        else []
    if len(dim_list) < 3:
        raise UsageError(f"input {inp.name!r} has rank {len(dim_list)}: symconv reads "
                         "(N, C, spatial...) inputs with 1 to 3 spatial axes")
    r.ndim = len(dim_list) - 2
    if r.ndim > 3:
        raise UsageError(f"input {inp.name!r} has {r.ndim} spatial axes: at most 3")
    chan = dim_list[1].dim_value if dim_list[1].HasField("dim_value") else None
    r.batch = dim_list[0].dim_value if dim_list[0].HasField("dim_value") else -2
    r.producer[inp.name] = inp.name
    r.input = inp.name
    r.fixed_size = all(v.HasField("dim_value") and v.dim_value > 0 for v in dim_list[2:])
    r.in_channels = chan
    r.names.add(inp.name)
    for node in _in_order(proto):
        try:
            r.read(node)
        except SymconvError:
            raise
        except (ValueError, ArithmeticError, LookupError, TypeError) as exc:
            # a malformed node (NaN scales, a step of 0, a missing attribute): refused
            # with its name, as onnxruntime refuses the model
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise r.refuse(node, f"malformed ({type(exc).__name__}: {why})") from None
    pending = (("grouped", "channels reshaped into groups (N, G, -1), not reshaped back"),
               ("shuffled", "channels viewed as (N, g, C/g, ...), not viewed back"),
               ("unsqueezed", "features with sizes of 1 added to only some axes"),
               ("squeezed", "a global pooling with only some of its sizes squeezed"),
               ("dropped", "a tensor whose channel dimension is dropped"))
    for attr, what in pending:
        if r.graph.output and r.graph.output[0].name in getattr(r, attr):
            raise UsageError(f"the model's output {r.graph.output[0].name!r} is {what}: "
                             "not read")
    if r.graph.output and r.graph.output[0].name not in r.producer:
        raise UsageError(f"the model's output {r.graph.output[0].name!r} is not made by a "
                         "node symconv read")
    if r.graph.output and r.graph.output[0].name in r.rows:
        raise UsageError(f"the model's output {r.graph.output[0].name!r} is features viewed "
                         "as a row (N, 1, F) for a convolution along the channels: not read "
                         "(reshape it back)")
    if r.graph.output and r.graph.output[0].name in r.chlast:
        raise UsageError(f"the model's output {r.graph.output[0].name!r} is transposed to "
                         "channels-last: not read (transpose it back)")
    if not r.nodes:
        raise UsageError("the model has no node that changes or merges sizes")
    out = r.producer.get(r.graph.output[0].name) if r.graph.output else None
    if out is not None and out != r.nodes[-1].name:
        # the graph's answer is its (first) output, whatever node ONNX lists last
        name = f"{r.graph.output[0].name}_out"
        while name in r.names:
            name += "_"
        r.nodes.append(Node(name, "identity", (out,), source="output"))
    assumed = list(r.assumed)
    declared = [v.dim_value for v in dim_list[2:] if v.HasField("dim_value") and v.dim_value > 0]
    if len(declared) == r.ndim:
        # a file exported without dynamic axes: its ops are read at every size
        assumed.append(f"the input is declared {'x'.join(map(str, declared))}; answers are "
                       "for every size the graph's ops take (a runtime that enforces the "
                       "declared shape runs that size only)")
    elif declared:
        # dynamic on some axes only (an OCR or audio export, [1, 1, 32, 'width']): said too
        fixed_axes = [f"dim {j + 2} (spatial axis {j}) = {v.dim_value}"
                      for j, v in enumerate(dim_list[2:])
                      if v.HasField("dim_value") and v.dim_value > 0]
        assumed.append(f"the input declares {' and '.join(fixed_axes)}; answers are for every "
                       "size the graph's ops take there too (a runtime that enforces the "
                       "declared shape runs that size only on "
                       f"{'that axis' if len(fixed_axes) == 1 else 'those axes'})")
    for t_ in r.graph.initializer:
        # a float initializer no layer owns that the graph reads, folded as a constant (a
        # BiFPN's fusion weights through Relu and a sum): not counted, so said too
        if t_.name not in r.weight_owner and t_.name not in r.uncounted and \
                t_.data_type in _FLOATS and any(nd.op_type in _OF_A_PARAMETER and nd.input and
                                                nd.input[0] == t_.name for nd in r.graph.node):
            r.uncounted[t_.name] = int(math.prod(t_.dims))
    if r.uncounted:
        names = list(r.uncounted)
        named = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        assumed.append(f"initializers in elementwise ops ({named}: "
                       f"{sum(r.uncounted.values())} values) are not counted as parameters: "
                       "ONNX does not tell a learned one (a layer scale) from a buffer (an "
                       "input's mean and std)")
    if r.partial:
        named = ", ".join(r.partial[:3]) + (f" and {len(r.partial) - 3} more"
                                            if len(r.partial) > 3 else "")
        assumed.append(f"pooling ({named}) on an input short of one window by less than "
                       "its stride gives one window, as onnxruntime computes it; ONNX's "
                       "operator text and reference evaluator give none (an empty tensor)")
    return Graph(tuple(r.nodes), in_channels=chan, ndim=r.ndim, input=inp.name,
                 assumptions=tuple(assumed))
