r"""Networks as graphs: a DAG of nodes with merges, N-d, read from real models.

A :class:`Graph` is a tuple of :class:`Node` in topological order; each node names
its inputs.  Layer nodes (convolution, transposed convolution, pooling, integer
upsampling, size-keeping layers) carry a :class:`~symconv.chain.Layer` and take
their sizes from its relations, one axis at a time (axes do not interact).  The
other nodes are shape rules of the frameworks, not formulas of convolution
arithmetic: ``add``/``mul`` (sizes equal or 1 on every axis: broadcasting),
``cat`` (every dimension but the concatenated one equal), ``flatten``,
``linear`` (``in_features`` must be the flattened size), ``adaptive`` pooling
(a fixed output size), ``resize`` to a fixed size, ``pad`` (negative = crop),
``slice``, ``pixel_shuffle``/``pixel_unshuffle``, ``unflatten`` (features viewed as
channels times fixed sizes, as a squeeze-and-excitation block's ``view(N, C, 1, 1)``).
A chain is a graph without merges (:meth:`Graph.from_chain`).

A shape is ``(channels, sizes)``: ``channels`` may be unknown (``None``), and
after ``flatten`` the sizes are ``()`` and ``channels`` is the feature count.

>>> from symconv.chain import Layer
>>> g = Graph((Node("c1", "layer", ("x",), Layer("conv", k=3, p=1, F_i=3, F_o=8)),
...            Node("p", "layer", ("c1",), Layer("pool", k=2, s=2)),
...            Node("up", "layer", ("p",), Layer("upsample", factor=2)),
...            Node("cat", "cat", ("c1", "up"), dim=1)), in_channels=3)
>>> g.shapes((10, 8))["cat"]
(16, (10, 8))
>>> g.failure((11, 8))
'cat at cat: 11 vs 10 on axis 0'
>>> g.accepted()[0].text()
'i ≡ 0 (mod 2), i >= 2; smallest 2'
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import sympy

from ._affine import IDENTITY, build, read, then_affine, then_floor
from ._budget import SEARCH_SECONDS, Budget, BudgetExhausted
from ._decide import decide
from ._evaluating import evaluating
from ._gate import MAX_AXES, as_int, integer
from ._sizes import (
    Arith,
    SizeOf,
    divisor,
    evaluate,
    is_term,
    matched,
    nondecreasing,
    normalised,
    refs,
    text,
)
from .chain import (
    MAX_PERIOD,
    SEARCH_BITS,
    Alignment,
    Chain,
    Layer,
    axis_input,
    meeting_points,
    substituted,
    totals,
)
from .errors import DomainError, SymconvError, UndecidedError, UsageError
from .paper import text as _tex_text
from .printing import latex
from .receptive import ReceptiveField, padding_before, step
from .symbols import i as I

__all__ = ["Node", "Graph", "GraphError", "OPS", "ReceptiveField", "AcceptedSizes", "SizeOf",
           "Arith"]

ENDLESS = 2 ** 31
"""A slice bound this large reads as "to the end" (ONNX's ``INT64_MAX``, ``2**62`` and
Python's ``sys.maxsize`` are how exporters write it): no axis that long is allocated, so
the bend where an input reaches it is not searched for."""

def endless(sl: Any) -> Any:
    """A slice's ``(start, stop, step)`` with the bounds that mean "to the end" or "from
    the start" at every size an axis can have (:data:`ENDLESS` or more, the way they
    point) as ``None``; any other slice as it is.

    >>> endless((-1, 2 ** 63 - 1, 1)), endless((2 ** 63 - 1, -2 ** 63, -1))
    ((-1, None, 1), (None, None, -1))
    """
    if sl is None or not isinstance(sl[2] if sl[2] is not None else 1, int):
        return sl
    start, stop, step = sl
    sign = 1 if (step or 1) > 0 else -1         # "to the end" points the step's way
    if isinstance(start, int) and -sign * start >= ENDLESS:
        start = None
    if isinstance(stop, int) and (sign * stop >= ENDLESS or sign < 0 and stop == 2 ** 63 - 1):
        # onnxruntime reads INT64_MAX as "to the end" whichever way the step points
        # ([-1:INT64_MAX:-1] reverses the whole axis; 2**63 - 2 there keeps none)
        stop = None
    return (start, stop, step)


INTERPOLATIONS = ("linear", "bilinear", "bicubic", "trilinear")
"""Interpolations that read several input units per output unit, weighted by position
(an upsampling node's ``mode``; nearest reads one: ``constant``)."""

SHIFTED_NEAREST = "nearest_shifted"
"""An upsampling layer's mode where nearest reads input ``g(u)`` other than ``floor(u / f)``
(ONNX ``Resize`` with ``nearest_mode`` ``ceil``, ``asymmetric`` rounding at a factor 3,
``align_corners``): its sizes are the layer's, its receptive field is not stated."""

OPS = ("layer", "add", "mul", "cat", "flatten", "linear", "adaptive", "resize", "pad", "slice",
       "pixel_shuffle", "pixel_unshuffle", "identity", "norm", "unflatten")


WINDOWS = "windows"
"""A node whose output units read windows of varying size (upsampling, transposed)."""


MEMO_SIZE = 1_000_000
"""Layer output sizes a graph remembers (then it starts over)."""

ACCEPTED_SECONDS = 30.0
"""How long the accepted-size search of one graph may run before it stops and says so."""

Box = tuple[tuple[int, int | None], ...]
"""Per axis, an interval of input sizes ``(lo, hi)`` (``hi`` None: unbounded)."""


_Z = sympy.Dummy("z", integer=True, positive=True)


@functools.lru_cache(maxsize=4096)
def _layer_map(layer: Layer) -> tuple[str, tuple[int, ...]] | None:
    """A layer's size map in the normal form of :mod:`symconv._affine` (cached: a layer
    is a frozen value), or None outside it."""
    return read(layer.expr(_Z), _Z)


class GraphError(DomainError):
    """An input size a graph refuses: names the first node that breaks and why (``node``,
    when raised by a run of the graph).

    >>> from symconv.chain import Layer
    >>> net = Graph((Node("c", "layer", ("x",), Layer("conv", k=3, s=2)),
    ...              Node("p", "layer", ("c",), Layer("pool", k=2, s=2))), ndim=1)
    >>> try:
    ...     net.shapes(4)
    ... except GraphError as error:
    ...     print(error.node, "|", str(error).split(":")[0])
    p | layer at p
    """

    node: str | None = None
    #: refused whatever the input size (channels that do not meet: a map's channel count
    #: does not depend on its sizes), so one run decides it for every size
    everywhere: bool = False


def _everywhere(message: str) -> GraphError:
    """A :class:`GraphError` that holds at every input size (channels)."""
    exc = GraphError(message)
    exc.everywhere = True
    return exc


@dataclass(frozen=True)
class Node:
    """One node: ``name``, ``op`` (one of :data:`OPS`), input node names, and its values.

    ``layer`` for ``op="layer"``; ``dim`` (tensor dimension: 1 = channels, 2.. =
    spatial axes) for ``cat``; ``size`` (per-axis, ``None`` keeps an axis) for
    ``adaptive``/``resize``; ``pads`` (per-axis ``(before, after)``) for ``pad``;
    ``slices`` (per-axis ``(start, stop, step)``, ``None`` keeps an axis) for
    ``slice``; ``factor`` for pixel shuffles; ``in_features``/``out_features`` for
    ``linear``; ``source`` is the framework's op, for messages; ``mode`` is a ``pad``'s
    (``constant``, ``replicate``; ``reflect`` needs each pad below the size, as PyTorch
    and onnxruntime; ``circular`` at most the size, as PyTorch); an ``add``/``mul`` in
    place (``x += y``) has ``mode="inplace"``: only its other inputs broadcast; a ``resize``
    with ``mode="shrink"`` refuses an input below its size (ONNX ``ConvTranspose`` with
    ``output_shape`` crops the unpadded output to it); ``crop_first``: a ``pad``'s
    negative side crops before the other pads, so the crop must fit the size
    (PyTorch's ``F.pad``), or (False) only the sum must stay positive (ONNX ``Pad``:
    onnxruntime and shape inference give ``1 + 3 - 2 = 2`` for ``(3, -2)`` on 1).  ``norm`` keeps the
    shape and refuses one element per channel (PyTorch's instance statistics need more
    than 1: ``InstanceNorm`` without running statistics).  ``channels`` on an ``add``/``mul``
    is the channel count of a constant input that broadcasts with the others (ONNX
    ``Add(x, c)``, ``c`` of shape ``(1, C, 1, 1)``: a 1-channel ``x`` gives ``C``).
    ``takes`` on an ``identity``/``norm`` is the channel count its parameters are for
    (``BatchNorm2d(C)``'s ``num_features``, a bias's or PReLU's length): another count is
    refused, as the frameworks refuse it.  After ``flatten``, where the features are the
    channels times the sizes, such a node is a ``linear`` with ``takes`` (and
    ``in_features = out_features = takes``): a check that couples the axes as a Linear
    does, with no weights of its own to count (``x.view(-1, F)`` reads as one too).
    ``weights`` are the parameters a size-keeping node holds (a norm's affine weight and
    bias), counted with no multiply-accumulates; ``shares`` names the earlier node whose
    parameters this one uses (a module a model calls twice): its multiply-accumulates
    are counted here, its parameters there.  ``extra`` are parameters the node holds
    beyond what its kind counts, counted even where it ``shares`` (a weight-normed
    layer's magnitudes ``g`` besides ``v`` of the weight's shape; the bias of a layer
    whose weight is another's).  ``groups`` on an ``identity``/``norm`` is a
    number the channel count must be a multiple of (``GroupNorm``'s ``num_groups``,
    ``ChannelShuffle``'s ``groups``): another count is refused, as PyTorch refuses it.
    ``part`` on an ``identity`` keeps a part of the channels (see :func:`part_channels`):
    ``("slice", start, stop, step)`` as ``x[:, start:stop:step]``, ``("chunk", n, k)``
    as ``x.chunk(n, 1)[k]``, ``("split", size, k)`` as ``x.split(size, 1)[k]``,
    ``("sizes", (s_0, ..., s_m), k)`` as ``x.split([s_0, ..., s_m], 1)[k]``,
    ``("reduce",)`` as ``x.mean(1, keepdim=True)`` (any reduction over the channels: one),
    ``("conv", layer)`` as a ``Conv1d(1, 1, k)`` run along the channels (ECA-Net's
    attention on pooled features, viewed as a row ``(N, 1, C)``): as many channels as
    ``layer`` gives for an input of ``C``, its parameters and multiply-accumulates
    counted by the ``params`` and ``macs`` relations.
    ``unflatten`` views a flattened ``(N, F)`` input as ``(N, C, *size)``, ``size`` fixed
    positive integers (``()``: it stays ``(N, C)``, a check), as ``view``/``reshape`` do:
    ``C`` is ``channels``, or the channel count of a second input (``y.view(N,
    x.size(1), 1, 1)``), or ``F / prod(size)`` (``-1``); ``F`` must be ``C · prod(size)``.
    Its input's features must not depend on the input size (after a pooling to a fixed
    size, or a ``linear``): the channels it makes would.  With ``mode="per_sample"`` it
    is a view whose batch was ``-1``, read per sample (the frameworks fold a multiple of
    the features into the batch).

    A size, pad or slice bound may be read from a tensor: a term
    (``SizeOf("skip", 0)`` is ``skip``'s size on axis 0, and ``Arith`` does integer
    arithmetic on them), as ``F.interpolate(x, size=skip.shape[2:])`` or a U-Net's
    ``F.pad`` to its skip connection write it.  A term on axis ``j`` reads axis ``j``
    only (axes stay independent).

    >>> from symconv.chain import Layer
    >>> g = Graph((Node("down", "layer", ("x",), Layer("pool", k=2, s=2)),
    ...            Node("up", "layer", ("down",), Layer("upsample", factor=2)),
    ...            Node("fit", "pad", ("up",),       # pad up to x's size: (0, x - up)
    ...                 pads=((0, Arith("-", SizeOf("x", 0), SizeOf("up", 0))),)),
    ...            Node("skip", "cat", ("x", "fit"))), ndim=1)
    >>> g.shapes(7)["up"], g.shapes(7)["fit"]
    ((None, (6,)), (None, (7,)))
    >>> g.accepted()[0].text(), g.exprs()["fit"]
    ('i >= 2; smallest 2', (i,))
    """

    name: str
    op: str
    inputs: tuple[str, ...]
    layer: Layer | None = None
    dim: int = 1
    size: tuple[Any, ...] = ()
    pads: tuple[tuple[Any, Any], ...] = ()
    slices: tuple[tuple[Any, Any, Any] | None, ...] = ()
    factor: int = 1
    in_features: int | None = None
    out_features: int | None = None
    bias: bool = True
    source: str = ""
    mode: str = "constant"
    crop_first: bool = True
    channels: int | None = None
    takes: int | None = None
    weights: int | None = 0
    shares: str = ""
    groups: int | None = None
    part: tuple[Any, ...] = ()
    extra: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not isinstance(self.op, str):
            raise UsageError(f"a node's name and op are strings, got {self.name!r} and "
                             f"{self.op!r}")
        if isinstance(self.inputs, list):
            object.__setattr__(self, "inputs", tuple(self.inputs))
        if not isinstance(self.inputs, tuple) or not all(isinstance(x, str) for x in self.inputs):
            raise UsageError(f"node {self.name}: inputs are the names of earlier nodes (a "
                             f"tuple of strings), got {self.inputs!r:.60}")
        if self.layer is not None and not isinstance(self.layer, Layer):
            raise UsageError(f"node {self.name}: layer= is a Layer, got "
                             f"{type(self.layer).__name__}")
        if self.op not in OPS:
            raise UsageError(f"node {self.name}: unknown op {self.op!r}; known: {', '.join(OPS)}")
        if self.op == "layer" and self.layer is None:
            raise UsageError(f"node {self.name}: a layer node needs a Layer")
        if self.channels is not None and (self.op not in ("add", "mul", "unflatten")
                                          or self.channels < 1):
            raise UsageError(f"node {self.name}: channels={self.channels!r} is a merge's "
                             "constant input's channel count, or the channels an unflatten "
                             "makes (a positive integer)")
        if self.op == "unflatten" and (len(self.inputs) not in (1, 2) or any(
                isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in self.size)
                or self.channels is not None and len(self.inputs) == 2):
            raise UsageError(f"node {self.name}: unflatten takes a flattened input (and a "
                             "tensor whose channels it makes, else channels= or -1) and "
                             f"fixed positive sizes, got inputs {self.inputs}, size {self.size}")
        if self.takes is not None and (self.op not in ("identity", "norm", "linear")
                                       or self.takes < 1 or self.op == "linear" and
                                       not self.in_features == self.out_features == self.takes):
            raise UsageError(f"node {self.name}: takes={self.takes!r} is the channel count of a "
                             "size-keeping node's parameters (a positive integer; on a linear "
                             "node, its in_features and out_features)")
        if self.groups is not None and (self.op not in ("identity", "norm")
                                        or isinstance(self.groups, bool)
                                        or not isinstance(self.groups, int) or self.groups < 1):
            raise UsageError(f"node {self.name}: groups={self.groups!r} is a number the channel "
                             "count of a size-keeping node must be a multiple of (a positive "
                             "integer)")
        if self.part and (self.op != "identity" or self.part[0] not in _PARTS):
            raise UsageError(f"node {self.name}: part={self.part!r} is a part of the channels "
                             f"an identity node keeps ({', '.join(_PARTS)})")
        if self.op in ("add", "mul") and len(self.inputs) < (1 if self.channels else 2):
            raise UsageError(f"node {self.name}: {self.op} merges two or more inputs")
        if self.op == "cat" and not self.inputs:     # one input: itself, as torch.cat([x])
            raise UsageError(f"node {self.name}: cat joins one or more inputs")
        if self.op not in ("add", "mul", "cat", "unflatten") and len(self.inputs) != 1:
            raise UsageError(f"node {self.name}: {self.op} takes one input, got {len(self.inputs)}")
        self._check_values()

    def _check_values(self) -> None:
        """Counts are integers, a pixel shuffle's factor and a slice's step are not 0, a
        pad is two sides, a part has its arguments, a mode is its op's: another value is
        a one-line :class:`~symconv.errors.UsageError`, never an error of Python's later."""
        for what, least in _COUNTS:
            v = getattr(self, what)
            if v is not None and not _count(v, least):
                raise UsageError(f"node {self.name}: {what}={v!r} is not an integer >= {least}")
        if not isinstance(self.dim, int) or isinstance(self.dim, bool):
            raise UsageError(f"node {self.name}: dim={self.dim!r} is not an integer")
        for what in ("size", "pads", "slices"):
            v = getattr(self, what)
            if isinstance(v, list):
                object.__setattr__(self, what, tuple(v))
            elif not isinstance(v, tuple):
                raise UsageError(f"node {self.name}: {what}={v!r} is not a tuple: one entry "
                                 f"per axis{' (or one for all)' if what == 'size' else ''}"
                                 + (f", as size=({v!r},)" if what == "size" else ""))
        if self.size or self.pads or self.slices:
            self._check_bounds()
        if self.part and (len(self.part) != _PART_ARITY.get(self.part[0], -1) or
                          self.part[0] in ("chunk", "split") and not (
                              _count(self.part[1], 1) and _count(self.part[2], -1 << 62)) or
                          self.part[0] == "sizes" and not (
                              all(_count(v, 0) for v in self.part[1])
                              and _count(self.part[2], 0) and self.part[2] < len(self.part[1]))
                          or self.part[0] == "slice" and self.part[3] == 0
                          or self.part[0] == "conv" and not (
                              isinstance(self.part[1], Layer) and self.part[1].kind == "conv"
                              and self.part[1].F_i == self.part[1].F_o == 1
                              and all(_count(getattr(self.part[1], v), 1)
                                      for v in ("k", "s", "d")))):
            ly = self.part[1] if len(self.part) > 1 else None
            shown = (self.part[0], f"{ly.kind} k={ly.k} s={ly.s} p={ly.p} d={ly.d} "
                                   f"F_i={ly.F_i} F_o={ly.F_o}", *self.part[2:]) \
                if isinstance(ly, Layer) else self.part
            raise UsageError(f"node {self.name}: part={shown!r}: (\"chunk\", n >= 1, k), "
                             "(\"split\", size >= 1, k), (\"sizes\", sizes, k), (\"slice\", "
                             "start, stop, step != 0), (\"reduce\",) or (\"conv\", a conv Layer "
                             "of one channel in and out, one k, s and d)")
        if self.mode != "constant" and self.mode not in _MODES.get(self.op, ()):
            raise UsageError(f"node {self.name}: mode={self.mode!r}; {self.op} takes "
                             f"{', '.join(('constant', *_MODES.get(self.op, ())))}")

    def _check_bounds(self) -> None:
        """Sizes, pads and slice bounds: numbers or terms, pads in pairs, slices in threes."""
        bad = next((v for v in (*self.size, *(x for p in self.pads
                                              for x in (p if isinstance(p, tuple) else (p,))),
                                *(x for sl in self.slices if isinstance(sl, tuple) for x in sl))
                    if isinstance(v, (str, bool, float))), None)
        if bad is not None:
            raise UsageError(f"node {self.name}: a size, pad or slice bound {bad!r} is not an "
                             "integer")
        if any(not isinstance(p, tuple) or len(p) != 2 for p in self.pads):
            raise UsageError(f"node {self.name}: pads {self.pads!r}: one (before, after) per axis")
        if any(sl is not None and (not isinstance(sl, tuple) or len(sl) != 3 or sl[2] == 0)
               for sl in self.slices):
            raise UsageError(f"node {self.name}: slices {self.slices!r}: one (start, stop, step) "
                             "or None per axis, the step not 0")

    def terms(self, j: int) -> tuple[Any, ...]:
        """The sizes read from tensors among this node's values on axis ``j``."""
        vals: list[Any] = []
        if j < len(self.size):
            vals.append(self.size[j])
        if j < len(self.pads):
            vals.extend(self.pads[j])
        if j < len(self.slices) and self.slices[j] is not None:
            vals.extend(self.slices[j])     # type: ignore[arg-type]
        return tuple(v for v in vals if is_term(v))

    @functools.cached_property
    def reads_sizes(self) -> bool:
        """Whether a size, pad or bound of this node is read from a tensor."""
        return any(self.terms(j) for j in range(max(len(self.size), len(self.pads),
                                                    len(self.slices))))

    def with_values(self, fn: Any) -> Node:
        """This node with ``fn`` applied to every size, pad and slice bound."""
        return replace(self, size=tuple(fn(v) for v in self.size),
                       pads=tuple((fn(lo), fn(hi)) for lo, hi in self.pads),
                       slices=tuple(sl if sl is None else (fn(sl[0]), fn(sl[1]), fn(sl[2]))
                                    for sl in self.slices))

    def resolved(self, size: Any, axes: Any) -> Node:
        """This node with the terms on ``axes`` given by ``size`` (a map from
        :class:`~symconv._sizes.SizeOf` to a number or a formula); those on other axes
        keep the size (sizes ``None``, pads 0, no slice)."""
        def one(v: Any) -> Any:
            if not is_term(v):
                return v
            try:
                return evaluate(v, size)
            except ZeroDivisionError as exc:
                raise GraphError(f"{self.op} at {self.name}: {exc}") from None
        return replace(
            self,
            size=tuple((one(v) if j in axes else None) if is_term(v) else v
                       for j, v in enumerate(self.size)),
            pads=tuple((one(lo), one(hi)) if j in axes else
                       (0 if is_term(lo) else lo, 0 if is_term(hi) else hi)
                       for j, (lo, hi) in enumerate(self.pads)),
            slices=tuple(sl if sl is None else tuple(one(v) for v in sl) if j in axes else
                         (None if any(is_term(v) for v in sl) else sl)
                         for j, sl in enumerate(self.slices)))


Shape = tuple[int | None, tuple[int, ...]]
_ASSUMED_2D = "2 spatial axes"


@evaluating
@dataclass(frozen=True)
class Graph:
    """A DAG of nodes from the input ``x`` (``ndim`` spatial axes) to its last node.

    ``assumptions`` says how a reader took what the model leaves open (``view(-1, F)``
    read per sample); every answer about the graph is under them.

    A residual block whose shortcut meets a strided branch brought back up (sizes of
    ``add`` inputs must be equal or 1, PyTorch's broadcasting):

    >>> from symconv.chain import Layer
    >>> block = Graph((Node("down", "layer", ("x",), Layer("conv", k=3, s=2, p=1)),
    ...                Node("up", "layer", ("down",), Layer("upsample", factor=2)),
    ...                Node("add", "add", ("x", "up"))), ndim=1)
    >>> block.shapes(8)["add"], block.exprs()["up"]
    ((None, (8,)), (2*floor(i/2 - 1/2) + 2,))
    >>> block.accepted()[0].text()
    'i ≡ 0 (mod 2), i >= 2 or i in {1}; smallest 1'
    """

    nodes: tuple[Node, ...]
    in_channels: int | None = None
    ndim: int | None = None
    input: str = "x"
    assumptions: tuple[str, ...] = ()
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _aside: dict[tuple[int, int], dict[str, Shape]] = field(
        default_factory=dict, compare=False, repr=False)
    _deadline: list[float] = field(default_factory=list, compare=False, repr=False)
    _memo: dict[tuple[str, int, int], tuple[int | None, SymconvError | None]] = field(
        default_factory=dict, compare=False, repr=False)
    _fixed: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    _constant: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.nodes, list):
            object.__setattr__(self, "nodes", tuple(self.nodes))
        if not isinstance(self.nodes, tuple) or not all(isinstance(nd, Node) for nd in self.nodes):
            raise UsageError(f"a Graph's nodes are Node objects, in topological order, got "
                             f"{self.nodes!r:.60}")
        index: dict[str, int] = {}
        for n, node in enumerate(self.nodes):
            if node.name in index or node.name == self.input:
                raise UsageError(f"two nodes are named {node.name!r}")
            for src in node.inputs:
                if src != self.input and src not in index:
                    raise UsageError(f"node {node.name} reads {src!r}, which is not an earlier "
                                     "node (the nodes must be in topological order)")
            index[node.name] = n
        object.__setattr__(self, "_index", index)
        if self.in_channels is not None:    # a channel count, gated as every value is
            object.__setattr__(self, "in_channels", as_int("in_channels", self.in_channels, 1))
        axes: set[int] = {n_ for nd in self.nodes if nd.layer is not None
                          and (n_ := nd.layer.axes or nd.layer.rank) is not None}
        if len(axes) > 1:
            raise UsageError(f"layers with different numbers of axes: {sorted(axes)}")
        if self.ndim is not None:   # gated as a Chain's: a whole number of axes, the layers'
            if isinstance(self.ndim, bool):
                raise UsageError(f"ndim must be a positive integer, got {self.ndim!r}")
            object.__setattr__(self, "ndim", as_int("ndim", self.ndim, 1))
            if self.ndim > MAX_AXES:
                raise UsageError(f"ndim must be at most {MAX_AXES}, got {self.ndim}")
            if axes and self.ndim not in axes:
                raise UsageError(f"ndim={self.ndim} but the layers have {axes.pop()} axes")
        if self.ndim is None:
            object.__setattr__(self, "ndim", axes.pop() if axes else 2)
            if not axes and not any(a.startswith(_ASSUMED_2D) for a in self.assumptions):
                # nothing fixes the rank (activations, merges, flatten): said, not silent
                object.__setattr__(self, "assumptions", (*self.assumptions, _ASSUMED_2D + (
                    ": no layer fixes the number of spatial axes (give ndim=, or on the "
                    "command line a size per axis, for another)")))
        nodes = []
        for node in self.nodes:
            if len(node.size) == 1 and self.ndim and node.op != "unflatten":
                # one size for every axis (torch's int); an unflatten's are its view's
                node = replace(node, size=node.size * self.ndim)
            for what, v in (("sizes", node.size), ("pads", node.pads),
                            ("slices", node.slices)):
                if v and what == "pads" and node.op == "pad" and len(v) > (self.ndim or 0) and \
                        node.source not in ("", "Pad"):
                    # F.pad's pairs run from the last dimension back: past the spatial
                    # axes they pad the channels (then the batch)
                    raise UsageError(f"node {node.name} ({node.op}) pads {len(v)} dimensions "
                                     f"from the last, the input has {self.ndim} spatial: a pad "
                                     "of the channels or the batch is not read")
                if v and len(v) != self.ndim:
                    raise UsageError(f"node {node.name} ({node.op}) gives {what} for {len(v)} "
                                     f"axes, the graph has {self.ndim}: give one per axis"
                                     + (" (or one for all)" if what == "sizes" and
                                        node.op != "unflatten" else ""))
            if node.op in ("pixel_shuffle", "pixel_unshuffle") and self.ndim != 2:
                # PyTorch's shuffles act on the last two dimensions with the one before
                # them as channels: on (N, C, D, H, W) they fold D, not C
                unit = "axis" if self.ndim == 1 else "axes"
                raise UsageError(f"node {node.name} ({node.op}) on {self.ndim} spatial {unit}: "
                                 "PyTorch shuffles the last two dimensions, taking the one "
                                 "before them as channels; symconv reads it on 2 spatial "
                                 "axes, (N, C, H, W)")
            if node.op == "cat" and not 1 <= node.dim <= (self.ndim or 1) + 1:
                raise UsageError(f"node {node.name}: cat along dim {node.dim}: 1 (channels) "
                                 f"to {(self.ndim or 1) + 1} (the last spatial axis)")
            if node.reads_sizes:
                node = self._read_sizes(node, index)
            nodes.append(node)
        object.__setattr__(self, "nodes", tuple(nodes))
        fixed, constant = self._fixed_sizes()
        object.__setattr__(self, "_fixed", fixed)
        object.__setattr__(self, "_constant", constant)

    def _linears_after_flatten(self) -> list[tuple[Node, Node]]:
        """Each ``linear`` reading a ``flatten`` (through size-keeping nodes: Dropout,
        activations), with that flatten; the one that couples the axes
        (:meth:`_coupling`) first: the first whose features the sizes make, else the
        first whose features are fixed."""
        by_name = {n.name: n for n in self.nodes}
        pairs = []
        for node in self.nodes:
            if node.op != "linear" or node.inputs[0] not in by_name or node.in_features is None:
                continue        # a lazy Linear takes the features it gets: no coupling
            flat = by_name[node.inputs[0]]
            # through size-keeping nodes and merges of features (of one flatten), and a
            # flatten of features (x.mean((2, 3)).view(-1, C): the first one makes them);
            # not through a part (a convolution along pooled features changes their count)
            while flat.inputs and flat.inputs[0] in by_name and (
                    flat.op in ("identity", "norm", "add", "mul") and not flat.part or
                    flat.op == "flatten" and self._is_flat(by_name[flat.inputs[0]], by_name)):
                flat = by_name[flat.inputs[0]]
            if flat.op == "flatten" and flat.inputs[0] != flat.name:
                pairs.append((node, flat))
        return sorted(pairs, key=lambda p: p[1].name in self._fixed)

    @staticmethod
    def _is_flat(node: Node, by_name: dict[str, Node]) -> bool:
        """Whether ``node``'s output is features (N, F): a flatten, or what reads one
        through size-keeping nodes and merges."""
        seen: set[str] = set()
        while node.name not in seen:
            seen.add(node.name)
            if node.op in ("flatten", "linear"):
                return node.op == "flatten" or node.inputs[0] in by_name and \
                    Graph._is_flat(by_name[node.inputs[0]], by_name)
            if node.op not in ("identity", "norm", "add", "mul") or node.part or \
                    not node.inputs or node.inputs[0] not in by_name:
                return False
            node = by_name[node.inputs[0]]
        return False

    def _fixed_sizes(self) -> tuple[frozenset[str], frozenset[str]]:
        """The nodes whose sizes (after a flatten: whose features) are the same at every
        input size: a pooling or resize to fixed sizes, an ``unflatten``, a ``linear`` on
        features, and whatever reads only such nodes; and the nodes that read only such
        nodes, which pass at every size or at none (a Linear on pooled features, a
        gate's view).  An ``unflatten`` of features that
        are not is refused (the channels it makes would depend on the sizes), and so are
        features merged with a map, or the features of one flatten whose count follows
        the sizes merged with others (the coupling would be a sum or two products)."""
        fixed: set[str] = set()
        constant: set[str] = set()
        flat: set[str] = set()
        origin: dict[str, str] = {}     # features the sizes make: the flatten making them
        for node in self.nodes:
            if node.op == "flatten" or (not node.size if node.op == "unflatten" else any(
                    u in flat for u in node.inputs)):
                flat.add(node.name)
            if node.op in ("add", "mul", "cat") and len({u in flat for u in node.inputs}) > 1:
                raise UsageError(
                    f"{node.source or node.op} at {node.name}: merges features (N, F) with a "
                    "map (N, C, sizes...): not read (PyTorch broadcasts them by their last "
                    "dimensions, the features against a size)")
            made = {origin.get(u) for u in node.inputs if u in flat}
            if node.op == "flatten" and node.inputs[0] not in fixed:
                origin[node.name] = node.name
            elif node.name in flat and node.op not in ("linear", "unflatten") and made - {None}:
                if len(made) > 1 or node.op == "cat" and len(node.inputs) > 1:
                    raise UsageError(
                        f"{node.op} at {node.name}: merges features whose count follows the "
                        f"input size (from {', '.join(sorted(m for m in made if m))}) with "
                        "other features: not read (symconv couples the axes through one "
                        "Linear after one flatten)")
                origin[node.name] = made.pop() or ""
            if node.part and node.inputs[0] in flat and node.inputs[0] not in fixed:
                raise UsageError(f"{node.source or node.op} at {node.name}: a part of "
                                 f"features whose count follows the input size (from "
                                 f"{node.inputs[0]}): not read (of pooled features it is)")
            if node.op == "norm" and node.inputs[0] in flat:
                raise UsageError(f"{node.source or 'norm'} at {node.name}: instance statistics "
                                 "of features (N, F): not read (PyTorch takes a 2-d input as "
                                 "one unbatched sample)")
            if node.op == "unflatten" and node.inputs[0] not in fixed:
                raise UsageError(
                    f"unflatten at {node.name}: the features of {node.inputs[0]} depend on "
                    "the input size, so the channels it makes would: symconv reads an "
                    "unflatten of features fixed by a pooling to a fixed size or a Linear")
            if node.op == "unflatten" and node.inputs[0] not in flat:
                raise UsageError(f"unflatten at {node.name}: {node.inputs[0]} is not "
                                 "flattened (an unflatten views (N, features) as (N, C, "
                                 "*sizes))")
            if node.op == "unflatten" and len(node.inputs) == 2 and \
                    node.inputs[1] in flat and node.inputs[1] not in fixed:
                raise UsageError(f"unflatten at {node.name}: it makes the feature count of "
                                 f"{node.inputs[1]}, which depends on the input size: not "
                                 "read")
            given = [v for v in node.size if v is not None]
            own = node.op in ("adaptive", "resize") and len(given) == len(node.size) == \
                (self.ndim or 1) and not node.reads_sizes
            if all(u in fixed for u in node.inputs) and all(
                    r.node in fixed for j in range(self.ndim or 1)
                    for t in node.terms(j) for r in refs(t)):
                constant.add(node.name)
            if own or node.op == "unflatten" or (node.op == "linear" and node.inputs[0] in flat) \
                    or node.name in constant:
                fixed.add(node.name)
        return frozenset(fixed), frozenset(constant)

    def _read_sizes(self, node: Node, index: dict[str, int]) -> Node:
        """``node`` with the axes of its terms counted from the first, each checked to
        read an earlier node on its own axis."""
        ndim = self.ndim or 1

        node = node.with_values(lambda v: normalised(v, ndim) if is_term(v) else v)
        for j in range(ndim):
            for t in node.terms(j):
                for r in refs(t):
                    if r.node != self.input and index.get(r.node, len(self.nodes)) >= \
                            index[node.name]:
                        raise UsageError(f"node {node.name} reads the size of {r.node!r}, "
                                         "which is not an earlier node")
                    if r.axis != j:
                        raise UsageError(
                            f"{node.op} at {node.name}: its value {text(t)} on axis {j} reads "
                            f"axis {r.axis} of {r.node}: sizes that tie one axis to another "
                            "are not read (each axis is solved on its own)")
        return node

    def _terms_at(self, node: Node, env: dict[str, Any], axis: int | None) -> Node:
        """``node`` with its terms read from the shapes in ``env`` (``axis``: that axis
        only, in a run of one axis)."""
        def size(r: SizeOf) -> int:
            shape = env.get(r.node)
            if shape is None or len(shape[1]) <= r.axis:
                raise GraphError(f"{node.op} at {node.name}: reads the size of {r.node} on "
                                 f"axis {r.axis}, which it does not have here")
            return int(shape[1][r.axis])
        return node.resolved(size, range(self.ndim or 1) if axis is None else (axis,))

    @staticmethod
    def from_chain(chain: Chain, in_channels: int | None = None) -> Graph:
        """The chain as a graph without merges (nodes named by the layers or ``1, 2, ...``)."""
        if not isinstance(chain, Chain):
            raise UsageError(f"Graph.from_chain takes a Chain (Chain.parse('conv k=3 | ...')), "
                             f"got {type(chain).__name__}")
        nodes, prev = [], "x"
        for n, layer in enumerate(chain.layers, start=1):
            name = layer.name or str(n)
            nodes.append(Node(name, "layer", (prev,), layer))
            prev = name
        # a chain no layer fixes the rank of stays so: the graph says what it assumed
        return Graph(tuple(nodes), in_channels, None if chain.ndim_assumed else chain.ndim)

    @property
    def ndim_assumed(self) -> bool:
        """True when no layer fixes the number of axes and none was given (2 is taken,
        and said in :attr:`assumptions`)."""
        return any(a.startswith(_ASSUMED_2D) for a in self.assumptions)

    # --- forward ------------------------------------------------------------------
    def _per_axis(self, i: Any) -> tuple[int, ...]:
        assert self.ndim is not None
        sizes = tuple(i) if isinstance(i, (tuple, list)) else (i,) * self.ndim
        if len(sizes) != self.ndim:
            why = " (assumed: no layer fixes it; give ndim=)" if self.ndim_assumed else ""
            raise UsageError(f"input size {sizes} has {len(sizes)} axes; the network has "
                             f"{self.ndim}{why}: give one value per axis")
        sizes = tuple(integer(v) for v in sizes)    # numpy and sympy integers too
        for v in sizes:
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise DomainError(f"input size must be a positive integer, got {v!r}")
        return sizes

    def shapes(self, i: Any) -> dict[str, Shape]:
        """Every node's ``(channels, per-axis sizes)`` for input size ``i`` (per axis, or one
        for all); a refused size raises :class:`GraphError` naming the first failing node."""
        return self._run(self._per_axis(i), axis=None)

    def output(self, i: Any) -> Shape:
        return self.shapes(i)[self.nodes[-1].name if self.nodes else self.input]

    def failure(self, i: Any) -> str | None:
        """Why the graph refuses input size ``i`` (the first failing node), or None."""
        try:
            self.shapes(i)
            return None
        except GraphError as exc:
            return str(exc)

    def accepts(self, i: Any) -> bool:
        return self.failure(i) is None

    def _run(self, sizes: tuple[int, ...], axis: int | None, merges: bool = True
             ) -> dict[str, Shape]:
        """Shapes on every axis (``axis=None``) or on one axis only (channels and
        ``linear`` checks that need every axis are skipped then)."""
        env: dict[str, Shape] = {self.input: (self.in_channels, sizes)}
        for node in self.nodes:
            try:
                ins = [env[s] for s in node.inputs]
                if not merges and node.op == "linear" and ins[0][1]:
                    # on the last axis it takes one size: a check like a merge's, aside here
                    c0, sz0 = ins[0]
                    env[node.name] = (c0, _last_axis(sz0, axis, node.out_features or 0))
                    continue
                if not merges and node.op == "pixel_unshuffle":
                    # its divisibility is periodic, aside here: the size it gives is floored
                    c0, sz0 = ins[0]
                    vol = node.factor ** len(sz0)
                    env[node.name] = (None if c0 is None else c0 * vol,
                                      tuple(x // node.factor for x in sz0))
                    continue
                if not merges and node.op in ("add", "mul", "cat"):
                    if node.op in ("add", "mul"):
                        # unchecked, a merge's size is what it gives when it passes: the
                        # larger of its inputs (equal, or broadcast from 1), nondecreasing
                        c0, sz0 = ins[0]
                        cs = [sh[0] for sh in ins] + [node.channels] * bool(node.channels)
                        env[node.name] = (None if None in cs else max(cs),   # type: ignore
                                          tuple(max(sh[1][t] for sh in ins)
                                                for t in range(len(sz0))))
                        continue
                    if node.dim == 1:   # channels joined; the sizes are the first input's
                        cs = [sh[0] for sh in ins]
                        env[node.name] = (None if None in cs else sum(cs),   # type: ignore
                                          ins[0][1])
                        continue
                    if node.dim - 2 != axis:
                        env[node.name] = ins[0]
                        continue
                    c0, sz0 = ins[0]        # joined along this axis, unchecked
                    env[node.name] = (c0, tuple(sum(sh[1][t] for sh in ins)
                                                for t in range(len(sz0))))
                    continue
                env[node.name] = self._node(self._terms_at(node, env, axis)
                                            if node.reads_sizes else node, ins, axis)
            except SymconvError as exc:
                msg = str(exc)
                if isinstance(exc, (GraphError, UsageError)):
                    if isinstance(exc, GraphError) and exc.node is None:
                        exc.node = node.name
                    raise
                refused = GraphError(f"{node.op} at {node.name}: {msg}")
                refused.node = node.name
                raise refused from None
        return env

    def _layer_output(self, node: Node, j: int, x: int) -> int:
        """A layer node's output size on axis ``j`` for input size ``x``, remembered (a
        layer is a frozen value: the accepted-input search asks the same sizes again)."""
        key = (node.name, j, x)
        hit = self._memo.get(key)
        if hit is None:
            assert node.layer is not None
            try:
                hit = (node.layer.at(j).output(x), None)
            except SymconvError as exc:
                hit = (None, exc)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = hit
        if hit[1] is not None:
            raise hit[1]
        assert hit[0] is not None
        return hit[0]

    def _node(self, node: Node, ins: list[Shape], axis: int | None) -> Shape:
        c, sz = ins[0]
        op = node.op

        def at(v: tuple[Any, ...], j: int) -> Any:
            if not v:
                return None
            return v[j if axis is None else axis]
        # on a map, a check of channels holds whatever the size; features may depend on it
        refuse = _everywhere if sz else GraphError
        if node.takes is not None and op != "linear" and c is not None and c != node.takes:
            raise refuse(f"{node.source or op} at {node.name}: its parameters are for "
                         f"{node.takes} {'features' if not sz else 'channels'}, gets {c}")
        if node.groups is not None and c is not None and c % node.groups:
            raise refuse(f"{node.source or op} at {node.name}: {c} channels in "
                         f"{node.groups} groups; PyTorch refuses it at every size (the "
                         "channels must be a multiple of the groups)")
        if op == "identity":
            if node.part == ("reduce",):
                return 1, sz
            if node.part and c is not None:
                try:
                    return part_channels(node.part, c, f"{node.source or op} at {node.name}"), sz
                except GraphError as exc:
                    exc.everywhere = bool(sz)
                    raise
            return (None if node.part else c), sz
        if op == "norm":
            # per axis the product is decided only with one axis: accepted_sizes excludes
            # the box of sizes where every axis is 1 here
            if (axis is None or self.ndim == 1) and math.prod(sz) == 1:
                raise GraphError(f"{node.source or 'norm'} at {node.name}: one element per "
                                 f"channel ({' x '.join(map(str, sz))}); its instance "
                                 "statistics need more than 1")
            return c, sz
        if op == "layer":
            assert node.layer is not None
            ly = node.layer
            if ly.F_i is not None and c is not None and c != ly.F_i:
                # whatever the size: every axis refuses it too
                raise _everywhere(f"{ly.kind} at {node.name}: takes {ly.F_i} channels, gets {c}")
            out = [self._layer_output(node, j if axis is None else axis, x)
                   for j, x in enumerate(sz)]
            return (ly.F_o if ly.F_o is not None else c), tuple(out)
        if op in ("add", "mul"):
            chans = [s[0] for s in ins] + [node.channels] * bool(node.channels)
            shape = list(sz)
            for other in ins[1:]:
                if len(other[1]) != len(shape):
                    raise GraphError(f"{op} at {node.name}: inputs of {len(shape)} and "
                                     f"{len(other[1])} axes")
                for j, (x, y) in enumerate(zip(shape, other[1], strict=True)):
                    if x != y and 1 not in (x, y):
                        raise GraphError(f"{op} at {node.name}: {x} vs {y} on axis "
                                         f"{j if axis is None else axis} (equal or 1 to broadcast)")
                    shape[j] = max(x, y)
            known = {ch for ch in chans if ch is not None and ch != 1}
            if len(known) > 1:          # whatever the size: every axis refuses it too
                raise _everywhere(f"{'expand_as' if node.source == 'expand_as' else op} at "
                                  f"{node.name}: channels {sorted(known)} differ")
            if node.mode == "inplace" and (tuple(shape) != sz or known and c == 1):
                raise GraphError(f"{op} at {node.name}: in place into {node.inputs[0]}, whose "
                                 f"sizes {sz} cannot take the broadcast {tuple(shape)}")
            return (known.pop() if known else chans[0]), tuple(shape)
        if op == "cat":
            cat_axis = node.dim - 2
            joined = {sh[0] for sh in ins if sh[0] is not None}
            if node.dim != 1 and len(joined) > 1:     # whatever the size: every axis too
                raise _everywhere(f"cat at {node.name}: channels {sorted(joined)} differ "
                                  f"(joining along axis {cat_axis}, the channels must agree)")
            for other in ins[1:]:
                for j, (x, y) in enumerate(zip(sz, other[1], strict=True)):
                    ax = j if axis is None else axis
                    if ax != cat_axis and x != y:
                        raise GraphError(f"cat at {node.name}: {x} vs {y} on axis {ax}")
            if node.dim == 1:
                chans = [s[0] for s in ins]
                return (None if None in chans else sum(ch or 0 for ch in chans)), sz
            shape = list(sz)
            if axis is None:
                shape[cat_axis] = sum(s[1][cat_axis] for s in ins)
            elif axis == cat_axis:      # a run of one axis: every entry is that axis's
                shape = [sum(s[1][t] for s in ins) for t in range(len(sz))]
            return c, tuple(shape)
        if op == "flatten":
            if axis is not None:
                return None, ()
            if c is None:
                # not a size it refuses: a count it cannot make without the channels
                raise UsageError(f"flatten at {node.name}: the channel count is unknown (give "
                                 "in_channels; from_torch: example_input_shape=(N, C, H, W))")
            return c * math.prod(sz), ()
        if op == "linear":
            if node.in_features is None:    # a lazy Linear: made by its first run, any size
                return (c, _last_axis(sz, axis, node.out_features or 0)) if sz else \
                    (None if axis is not None else node.out_features, ())
            if sz:          # Linear acts on the last axis
                if (axis is None or axis == len(sz) - 1) and sz[-1] != node.in_features:
                    raise GraphError(f"linear at {node.name}: in_features={node.in_features} "
                                     f"but the last axis is {sz[-1]}")
                return c, _last_axis(sz, axis, node.out_features or 0)
            if axis is not None:
                return node.out_features, ()
            if c != node.in_features and node.takes is not None:    # a check: say whose
                raise GraphError(f"{node.source or 'size check'} at {node.name}: takes "
                                 f"{node.takes} features, gets {c}")
            if c != node.in_features:
                raise GraphError(f"linear at {node.name}: in_features={node.in_features} but "
                                 f"the flattened size is {c}")
            return node.out_features, ()
        if op == "unflatten":
            if sz:
                raise GraphError(f"unflatten at {node.name}: its input has spatial axes "
                                 f"{sz} (it views (N, features))")
            vol = math.prod(node.size)
            want = ins[1][0] if len(ins) > 1 else node.channels
            view = str((want if want is not None else -1, *node.size))
            feats = f"{c} feature{'s' if c != 1 else ''}"
            # its features are fixed (an unflatten of others is refused) and the channels
            # it makes too: a view that does not fit fails at every size
            if c is not None and want is not None and c != want * vol:
                raise _everywhere(f"{node.source or op} at {node.name}: {feats} viewed as "
                                 f"{view} per sample, which holds {want * vol}; " + (
                                     "read per sample (the batch is -1: PyTorch folds a "
                                     "multiple of it into the batch)"
                                     if node.mode == "per_sample" else
                                     "PyTorch refuses it at every size"))
            if c is not None and want is None and c % vol:
                raise _everywhere(f"{node.source or op} at {node.name}: {feats} viewed as "
                                 f"{view}: {c} is not a multiple of {vol}")
            # a run of one axis gives every entry that axis's size, as the other nodes do
            made = node.size if axis is None or not node.size else \
                (node.size[axis],) * len(node.size)
            return (want if want is not None else None if c is None else c // vol), made
        if op in ("adaptive", "resize"):
            out = []
            for j, x in enumerate(sz):
                want = at(node.size, j)
                if want is not None and want < 1:
                    raise GraphError(f"{op} at {node.name}: size {want} on axis "
                                     f"{j if axis is None else axis} (must be >= 1)")
                if want is not None and node.mode == "shrink" and x < want:
                    raise GraphError(f"{op} at {node.name}: {x} is below the size {want} on "
                                     f"axis {j if axis is None else axis}, which it only "
                                     "crops to")
                out.append(x if want is None else want)
            return c, tuple(out)
        if op == "pad":
            out = []
            for j, x in enumerate(sz):
                lo, hi = at(node.pads, j) or (0, 0)
                if node.mode == "reflect" and max(lo, hi) >= x or \
                        node.mode == "circular" and max(lo, hi) > x:
                    rule = "below" if node.mode == "reflect" else "at most"
                    raise GraphError(f"pad at {node.name}: {node.mode} padding ({lo}, {hi}) of "
                                     f"{x} on axis {j if axis is None else axis} (each side "
                                     f"must be {rule} the size)")
                if node.crop_first and x + min(lo, 0) + min(hi, 0) < 0:
                    # a negative pad crops first (PyTorch narrows, then pads)
                    raise GraphError(f"pad at {node.name}: crops {-min(lo, 0) - min(hi, 0)} of "
                                     f"{x} on axis {j if axis is None else axis} (a crop must "
                                     "fit the size)")
                if x + lo + hi < 1:
                    raise GraphError(f"pad at {node.name}: {x} {lo:+d} {hi:+d} = {x + lo + hi} "
                                     f"on axis {j if axis is None else axis} (must stay >= 1)")
                out.append(x + lo + hi)
            return c, tuple(out)
        if op == "slice":
            out = []
            for j, x in enumerate(sz):
                sl = endless(at(node.slices, j))
                n = x if sl is None else _slice_length(_indices(sl, x))
                if n < 1:
                    raise GraphError(f"slice at {node.name}: {sl} of {x} is empty on axis "
                                     f"{j if axis is None else axis}")
                out.append(n)
            return c, tuple(out)
        if op in ("pixel_shuffle", "pixel_unshuffle"):
            r = node.factor
            vol = r ** len(sz)          # every axis's factor, in a run of one axis too
            if op == "pixel_shuffle":
                if c is not None and vol is not None and c % vol:
                    raise GraphError(f"pixel_shuffle at {node.name}: channels {c} not divisible "
                                     f"by {r}^{len(sz)}")
                return (c // vol if c is not None and vol else None), tuple(x * r for x in sz)
            for j, x in enumerate(sz):
                if x % r:
                    raise GraphError(f"pixel_unshuffle at {node.name}: {x} not divisible by {r} "
                                     f"on axis {j if axis is None else axis}")
            return (c * vol if c is not None and vol else None), tuple(x // r for x in sz)
        raise UsageError(f"node {node.name}: op {op!r} has no shape rule")  # pragma: no cover

    # --- symbolic ---------------------------------------------------------------
    def _repr_latex_(self) -> str:
        """In Jupyter: the output's size on each axis as a formula in that axis's input
        size (one line that names why, where the graph has none)."""
        try:
            out = self.exprs()[self.nodes[-1].name]
        except (SymconvError, AssertionError) as exc:
            return rf"$\text{{{len(self.nodes)} nodes; no output formula: {_tex_text(str(exc))}}}$"
        if not out:         # after a flatten or a Linear: no spatial axis (it showed "$ $")
            last = self.nodes[-1]
            width = f"{last.out_features} features" if last.out_features else "features"
            return rf"$\text{{{len(self.nodes)} nodes; the output is flat: {width}, no size axis}}$"
        # the input sizes each formula holds for (below them PyTorch refuses, where the
        # formula may give 0 or less); a coupling of the axes (a Linear) is named, not shown
        try:
            sizes = self.accepted_sizes()
            joint = sizes.blocks is not None or bool(sizes.excluded)
            where = [al.latex() for al in sizes.axes]
            named = [al.latex(f"i_{{{j}}}") for j, al in enumerate(sizes.axes)]
        except SymconvError:
            joint, where = False, [""] * len(out)
            named = where
        named = ["" if w == r"i \geq 1" else rf" \quad \text{{if }} {v}"
                 for w, v in zip(where, named, strict=True)]
        where = ["" if w == r"i \geq 1" else rf" \quad \text{{if }} {w}" for w in where]
        tail = r" \quad \text{(for the sizes accepted\_sizes() gives)}" if joint else ""
        if len(set(out)) == 1 and len(set(where)) == 1:
            return f"$\\displaystyle o = {latex(out[0])}{where[0]}{tail}$"
        # per axis, each formula in its own axis's input (o_{0} of i_{0}), as Chain's
        return "$\\displaystyle " + r",\quad ".join(
            f"o_{{{j}}} = {latex(e.subs(I, axis_input(j)))}{w}"
            for j, (e, w) in enumerate(zip(out, named, strict=True))) + f"{tail}$"

    def exprs(self, x: sympy.Expr = I) -> dict[str, tuple[sympy.Expr, ...]]:
        """Every node's per-axis size as a formula in that axis's input size ``x``
        (the layers' relations substituted, nested floors collapsed).  A merge takes its
        first input's formula; the sizes where the merge holds are :meth:`accepted`.

        Linear time: along each path the layer maps compose in the integer normal form
        of :mod:`symconv._affine` (O(1) per node); a formula is built once per node, and
        a map outside the normal form is substituted and collapsed (``collapse_floors``).
        """
        assert self.ndim is not None
        if not isinstance(x, sympy.Expr):
            raise UsageError(f"exprs(x): x is the input size as a sympy expression (sc.i), "
                             f"got {x!r} ({type(x).__name__}); for sizes, use shapes")
        Lazy = tuple[Any, tuple[Any, ...]]          # (base formula, stages over it)
        env: dict[str, tuple[Lazy, ...]] = {self.input: ((x, (IDENTITY,)),) * self.ndim}
        built: dict[Lazy, Any] = {}

        def expr(v: Lazy) -> Any:
            if v not in built:
                built[v] = build(v[1], v[0])
            return built[v]

        def then(v: Lazy, op: str, args: tuple[int, ...]) -> Lazy:
            stages = list(v[1])
            (then_affine if op == "affine" else then_floor)(stages, *args)
            return v[0], tuple(stages)

        def fresh(e: Any) -> Lazy:
            return e, (IDENTITY,)
        for node in self.nodes:
            e = env[node.inputs[0]]
            if node.op == "layer":
                assert node.layer is not None
                out = []
                for j, v in enumerate(e):
                    ly = node.layer.at(j)
                    op = _layer_map(ly)
                    out.append(fresh(substituted(ly.expr, expr(v))) if op is None
                               else then(v, op[0], op[1]))
                e = tuple(out)
            elif node.op in ("add", "mul"):
                # where the merge passes its size is the larger input's (equal, or one is a
                # broadcast 1); equal maps have one normal form, so Max appears only when
                # the inputs' sizes differ somewhere
                outs = []
                for j, v in enumerate(e):
                    forms = list(dict.fromkeys(expr(env[s_][j]) for s_ in node.inputs))
                    outs.append(v if len(forms) == 1 else fresh(sympy.Max(*forms)))
                e = tuple(outs)
            elif node.op == "linear" and e:     # on the last axis: its out_features
                e = (*e[:-1], fresh(sympy.Integer(node.out_features or 0)))
            elif node.op in ("flatten", "linear"):
                e = ()
            elif node.op == "unflatten":
                e = tuple(fresh(sympy.Integer(v)) for v in node.size)
            elif node.reads_sizes and node.op in ("adaptive", "resize", "pad"):
                # a size read from a tensor: that tensor's formula
                n = node.resolved(lambda r: expr(env[r.node][r.axis]), range(len(e)))
                if node.op == "pad":
                    e = tuple(then(v, "affine", (1, lo + hi)) if isinstance(lo + hi, int)
                              else fresh(expr(v) + lo + hi)
                              for v, (lo, hi) in zip(e, n.pads, strict=True))
                else:
                    e = tuple(v if w is None else
                              fresh(sympy.Integer(w) if isinstance(w, int) else w)
                              for v, w in zip(e, n.size, strict=True))
            elif node.op in ("adaptive", "resize"):
                e = tuple(v if w is None else fresh(sympy.Integer(w))
                          for v, w in zip(e, node.size or (None,) * len(e), strict=True))
            elif node.op == "pad":
                e = tuple(then(v, "affine", (1, lo + hi))
                          for v, (lo, hi) in zip(e, node.pads, strict=True))
            elif node.op == "cat" and node.dim >= 2:
                j = node.dim - 2
                e = tuple(fresh(sum((expr(env[s][j]) for s in node.inputs), sympy.Integer(0)))
                          if n == j else v for n, v in enumerate(e))
            elif node.op == "pixel_shuffle":
                e = tuple(then(v, "affine", (node.factor, 0)) for v in e)
            elif node.op == "pixel_unshuffle":
                e = tuple(fresh(expr(v) / node.factor) for v in e)
            elif node.op == "slice":
                n = node.resolved(lambda r: expr(env[r.node][r.axis]), range(len(e))) \
                    if node.reads_sizes else node
                cuts = (*n.slices, *(None,) * (len(e) - len(n.slices)))
                e = tuple(v if cut is None else fresh(_slice_formula(expr(v), endless(cut),
                                                                     node.name))
                          for v, cut in zip(e, cuts, strict=True))
            env[node.name] = e
        return {k: tuple(expr(v) for v in vals) for k, vals in env.items() if k != self.input}

    # --- accepted inputs ------------------------------------------------------------
    def _period(self, j: int) -> int:
        """A period of every node's size on axis ``j``: at a node, the lcm over its inputs
        times its stride (a strided floor multiplies the period of its input by at most
        the stride, a slice's step too; upsampling and transposed layers multiply the
        slope, not the period)."""
        per: dict[str, int] = {self.input: 1}
        for node in self.nodes:
            p = math.lcm(*(per[s_] for s_ in node.inputs))
            if node.layer is not None and node.layer.kind in ("conv", "pool"):
                p *= node.layer.at(j).s if node.layer.axes else node.layer.s
            elif node.op == "pixel_unshuffle":
                p *= node.factor
            elif node.op == "slice" and node.slices and (sl := node.slices[j]) is not None:
                p *= abs(sl[2] or 1)        # every step-th unit: a floor by the step
            for t in node.terms(j):
                # a size read from a tensor has that tensor's period; a floor by c of
                # sizes whose steps repeat with period P has steps of period c P
                p = math.lcm(p, *(per[r.node] for r in refs(t))) * (divisor(t) or 1)
            per[node.name] = p
        return math.lcm(*per.values())

    def _in_time(self, j: int) -> None:
        """Within the accepted-size search's time, or a one-line refusal that says so."""
        if self._deadline and time.monotonic() > self._deadline[0]:
            raise UsageError(f"accepted sizes: stopped after {ACCEPTED_SECONDS:g} s on axis {j} "
                             "(the graph is run once per size it checks); ask shapes(i) for "
                             "the sizes you need")

    def _axis_ok(self, j: int, x: int, merges: bool = True) -> bool:
        self._in_time(j)
        try:
            self._run(tuple(x for _ in range(self.ndim or 1)), axis=j, merges=merges)
            return True
        except GraphError:
            return False

    def refusal(self, axis: int = 0) -> str | None:
        """Why the graph refuses every input size on ``axis`` (a check no size passes:
        channels that do not meet), or None: refused at a size past any search, a size is
        refused everywhere below it, as every node is monotone there, merges aside."""
        top = 1 << SEARCH_BITS
        try:
            self._run(tuple(top for _ in range(self.ndim or 1)), axis=axis, merges=False)
        except GraphError as exc:
            return _past_search(str(exc), top)
        return None

    def constant_refusal(self) -> str | None:
        """Why a node whose input is the same at every size (a Linear on pooled
        features, an SE gate's) or a check of channels (a merge's: a map's channel count
        does not depend on its sizes) refuses every input size, or None: such a check
        passes at every size or at none, so one run on every axis decides it (a node
        past a check the sizes make that fails is not decided here).

        >>> g = Graph((Node("g", "adaptive", ("x",), size=(1,)), Node("f", "flatten", ("g",)),
        ...            Node("fc", "linear", ("f",), in_features=8, out_features=2)),
        ...           in_channels=4, ndim=2)
        >>> g.constant_refusal()
        'linear at fc: in_features=8 but the flattened size is 4'
        """
        top = 1 << SEARCH_BITS
        try:
            self._run(tuple(top for _ in range(self.ndim or 1)), axis=None)
        except GraphError as exc:
            if exc.node in self._constant or exc.everywhere:
                return _past_search(str(exc), top)
        return None

    def _first_size(self, j: int) -> int:
        """The smallest size on axis ``j`` every layer takes, merges aside: without the
        merges' checks every node is monotone, so it accepts all sizes from there on
        (found by doubling, then bisection)."""
        why = self.refusal(j)
        if why is not None:
            raise GraphError(f"no input size passes every layer on axis {j}: {why}")
        hi = 1
        while not self._axis_ok(j, hi, merges=False):
            hi *= 2
        lo = hi // 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._axis_ok(j, mid, merges=False):
                hi = mid
            else:
                lo = mid
        return hi

    def accepted(self) -> tuple[Alignment, ...]:
        """Per axis, the input sizes the graph accepts: residue classes and a bound.

        Each node's size is a nondecreasing quasi-linear function of the input size
        with period dividing ``P`` (the product of every stride, upsampling and shuffle
        factor) once every slice's constant bound is behind the size it slices (``x[:5]``
        is ``min(x, 5)``: it bends at 5), so acceptance, merges included, is periodic with
        period ``P`` from there on; checked over the first periods there, every size below
        checked one by one, and reduced to the smallest period.  Checks that need every
        axis (a ``Linear`` after ``flatten`` needs a product over axes) are not part of
        this set: :meth:`accepted_sizes` adds them.
        """
        assert self.ndim is not None
        self._deadline[:] = [time.monotonic() + ACCEPTED_SECONDS]
        try:
            return self._accepted()
        finally:
            self._deadline.clear()

    def _accepted(self) -> tuple[Alignment, ...]:
        assert self.ndim is not None
        for node in self.nodes:
            for sl in node.slices:
                # a start from the end with a stop from the start (x[-4:2]) or a backward
                # step with bounds: the size does not grow with the input
                if sl is None or any(map(is_term, sl)):
                    continue            # a bound read from a tensor: _unanalysed below
                sl = endless(sl)
                if (sl[2] or 1) > 0 and (sl[0] or 0) < 0 <= (
                        sl[1] if sl[1] is not None else -1) or (sl[2] or 1) < 0 and (
                        sl[0] is not None or sl[1] is not None):
                    raise UsageError(f"slice at {node.name}: {_slice_text(sl)} does not grow "
                                     "with its input (it empties as the input grows); accepted "
                                     "sizes need every size to grow: ask shapes(i) per size")
            for j in range(self.ndim):
                why = _unanalysed(node, j)
                if why:
                    raise UsageError(f"{node.op} at {node.name}: {why}; accepted sizes need "
                                     "every size to grow with the input: ask shapes(i) per size")
        out = []
        for j in range(self.ndim):
            period = self._period(j)
            if period > MAX_PERIOD:     # a bound of the search, not bad input: undecided
                raise UndecidedError(f"axis {j}: the strides multiply to {period}: accepted "
                                     f"sizes are checked over periods of input sizes, symconv "
                                     f"stops at {MAX_PERIOD}; ask shapes(i) per size")
            start = self._past_linears(j, self._first_size(j))
            # periodic from where every slice's constant bound is behind its input's size
            # (x[:, :, :5] is min(x, 5): it grows, then stays) and no merge input is 1 (it
            # may broadcast); each size below is checked
            sliced, broadcast = self._settled(j, start), self._past_broadcasts(j, start)
            settle = max(sliced, broadcast)
            if settle - start > MAX_PERIOD:
                why = f"a slice's bound is reached at input size {sliced}" if sliced >= broadcast \
                    else f"a merge's input has size 1 up to input size {broadcast - 1}"
                raise UndecidedError(f"axis {j}: {why}: symconv checks at most {MAX_PERIOD} "
                                     "sizes before it; ask shapes(i) per size")
            finite = self._finitely_accepted(j, start, period, settle)
            if finite is not None:
                out.append(Alignment((), 1, (), finite[-1] + 1 if finite else start,
                                     finite[0] if finite else None, finite))
                continue
            ok = {v: self._axis_ok(j, v) for v in range(start, settle + 3 * period)}
            for v in range(settle + period, settle + 2 * period):
                if ok[v] != ok[v + period]:
                    raise SymconvError(f"axis {j}: acceptance is not periodic with period "
                                       f"{period} (a node outside the quasi-linear rules)")
            residues = tuple(sorted({v % period for v in range(settle + period, settle + 2 * period)
                                     if ok[v]}))
            p = period
            for q in sorted(x for x in range(1, period + 1) if period % x == 0):
                if all((r + q) % period in residues for r in residues):
                    residues, p = tuple(sorted({r % q for r in residues})), q
                    break
            reg = settle + period
            while reg > start and ok[reg - 1] == ((reg - 1) % p in residues):
                reg -= 1
            exceptions = tuple(v for v in range(start, reg) if ok[v])
            smallest = next((v for v in sorted(ok) if ok[v]), None)
            out.append(Alignment((), p, residues, reg, smallest, exceptions))
        return tuple(out)

    def _past_broadcasts(self, j: int, start: int) -> int:
        """The input size on axis ``j`` from which no ``add``/``mul`` input has size 1
        there (each size is nondecreasing in the input): below it a merge may broadcast,
        which no period describes (a stride-2 branch of size 1 meets a pooling's partial
        window of size 1 at inputs 1 and 3, and fails at 5), so those sizes are checked one
        by one; an input that stays 1 broadcasts at every size, periodically."""
        past = start
        try:
            env = self._run(tuple(start for _ in range(self.ndim or 1)), axis=j, merges=False)
        except GraphError:
            return past
        for node in self.nodes:
            if node.op not in ("add", "mul") or len(node.inputs) < 2:
                continue
            for u in node.inputs:
                if u not in env or not env[u][1]:
                    continue        # features (N, F): no spatial size to broadcast
                try:
                    reached = self._first_reaching(u, j, start, 2)
                except GraphError:
                    continue        # refused there: the sizes it passes are checked anyway
                if reached is not None:
                    past = max(past, reached)
        return past

    def _settled(self, j: int, start: int) -> int:
        """The input size on axis ``j``, ``start`` or above, from which every slice's
        constant bounds are behind the size it slices: Python's ``x[a:b]`` clips ``a``
        and ``b`` (``-a`` and ``-b`` from the end) to the size ``n``, so its size bends
        where ``n`` reaches ``|a|`` or ``|b|`` (``x[:5]`` is ``min(n, 5)``), and is
        quasi-linear from there on, as the other nodes are."""
        settle = start
        for node in self.nodes:
            sl = node.slices[j] if node.op == "slice" and node.slices else None
            if sl is None:
                continue
            for bound in sl[:2]:
                if bound is None or is_term(bound) or bound == 0 or abs(bound) >= ENDLESS:
                    continue
                reached = self._first_reaching(node.inputs[0], j, start, abs(int(bound)))
                if reached is not None:
                    settle = max(settle, reached)
        return settle

    def _past_linears(self, j: int, start: int) -> int:
        """``start`` raised past the sizes a ``Linear`` on the last axis refuses where it
        takes every size from some input on (its input's size there stops growing: a
        slice ``[:5]``, a fixed adaptive size): below that input none passes, from it on
        the Linear is no check, so acceptance is periodic from there."""
        if j != (self.ndim or 1) - 1:
            return start
        env = self._run(tuple(start for _ in range(self.ndim or 1)), axis=j, merges=False)
        for node in self.nodes:
            if node.op == "linear" and node.in_features is not None and env[node.inputs[0]][1]:
                iv = self._preimage(node.inputs[0], j, start, node.in_features)
                if iv is not None and iv[1] is None:
                    start = max(start, iv[0])
        return start

    def _finitely_accepted(self, j: int, start: int, period: int,
                           settle: int | None = None) -> tuple[int, ...] | None:
        """Every size axis ``j`` accepts, when a ``Linear`` on the last axis or the first
        merge whose inputs grow at different rates bounds them (None otherwise:
        acceptance is periodic).

        A Linear on the last axis takes one size there, and the sizes before it are
        nondecreasing: one interval of inputs.  Before the first such merge every size
        is quasi-linear with period ``period``; two inputs
        of different slopes are equal at finitely many sizes (:func:`meeting_points`),
        and for ``add``/``mul`` one of them may also be 1 (a broadcast) on an interval.
        A size the graph accepts passes that merge, so it is one of those candidates;
        each candidate is run through the whole graph.
        """
        last = j == (self.ndim or 1) - 1
        linears = [n for n in self.nodes if n.op == "linear" and n.in_features is not None] \
            if last else []
        if linears:
            env = self._run(tuple(start for _ in range(self.ndim or 1)), axis=j, merges=False)
            for node in linears:
                if not env[node.inputs[0]][1]:
                    continue            # after a flatten: accepted_sizes couples the axes
                # a Linear on the last axis takes one size there: an interval of inputs
                # (each size is nondecreasing in the input, merges aside)
                iv = self._preimage(node.inputs[0], j, start, node.in_features or 0)
                if iv is None:
                    return ()
                if iv[1] is not None:
                    if iv[1] - iv[0] > MAX_PERIOD:
                        raise UsageError(f"axis {j}: {iv[1] - iv[0] + 1} input sizes give "
                                         f"{node.inputs[0]} the size linear {node.name} takes; "
                                         f"symconv lists at most {MAX_PERIOD}")
                    return tuple(x for x in range(iv[0], iv[1] + 1) if self._axis_ok(j, x))
        spatial = self._run(tuple(start for _ in range(self.ndim or 1)), axis=j, merges=False)
        for node in self.nodes:
            if node.op not in ("add", "mul", "cat") or (node.op == "cat" and node.dim - 2 == j):
                continue
            if any(not spatial[u][1] for u in node.inputs):
                continue        # features after a flatten or a reduction: no size on axis j
            for n_, u in enumerate(node.inputs):
                for v in node.inputs[n_ + 1:]:
                    met = meeting_points(functools.partial(self._size_at, u, j),
                                         functools.partial(self._size_at, v, j), start, period,
                                         settle)
                    if met is None:
                        continue
                    cands = set(met)
                    always = False
                    if node.op != "cat":        # a broadcast from size 1 also passes
                        for w in (u, v):
                            ones = self._preimage(w, j, start, 1)
                            if ones is None:
                                continue
                            lo, hi = ones
                            if hi is None:
                                # 1 from here on (a gate's 1x1): the pair passes at every
                                # size, so it bounds nothing; a later merge may
                                always = True
                                break
                            if hi - lo > MAX_PERIOD:
                                raise UndecidedError(
                                    f"axis {j}: {w} has size 1 for inputs {lo}..{hi}, each "
                                    f"a candidate at {node.name}; symconv stops at {MAX_PERIOD}")
                            cands.update(range(lo, hi + 1))
                    if always:
                        continue
                    return tuple(x for x in sorted(cands) if self._axis_ok(j, x))
        return None

    def _size_at(self, node: str, j: int, x: int) -> int:
        """The size on axis ``j`` at ``node`` for input size ``x`` on that axis (merges
        aside); one run of the graph per ``(j, x)`` serves every node asked about."""
        env = self._aside.get((j, x))
        if env is None:
            self._in_time(j)
            env = self._run(tuple(x for _ in range(self.ndim or 1)), axis=j, merges=False)
            if len(self._aside) >= 4096:
                self._aside.clear()
            self._aside[j, x] = env
        return int(env[node][1][j])

    def _preimage(self, node: str, j: int, start: int, f: int) -> tuple[int, int | None] | None:
        """The input sizes ``x >= start`` on axis ``j`` whose size at ``node`` is ``f``: an
        interval, as the size is nondecreasing in ``x`` (``None`` for an open end)."""
        lo = self._first_reaching(node, j, start, f)
        if lo is None or self._size_at(node, j, lo) != f:
            return None
        past = self._first_reaching(node, j, start, f + 1)
        return lo, None if past is None else past - 1

    def _first_reaching(self, node: str, j: int, start: int, v: int) -> int | None:
        """The smallest input size ``x >= start`` on axis ``j`` whose size at ``node`` is
        ``v`` or more (the size is nondecreasing in ``x``: doubling, then bisection);
        None when none below ``2**SEARCH_BITS`` is."""
        if self._size_at(node, j, start) >= v:
            return start
        step = 1
        while self._size_at(node, j, start + step) < v:
            step *= 2
            if step.bit_length() > SEARCH_BITS:
                return None
        lo, hi = start + step // 2, start + step
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._size_at(node, j, mid) >= v:
                hi = mid
            else:
                lo = mid
        return hi

    def _coupling(self) -> tuple[Node, str, int] | None:
        """The ``linear`` node that couples the axes (after ``flatten``: the product of the
        sizes times the channels is its ``in_features``), the node whose sizes it
        multiplies, and that node's channel count; None without one."""
        assert self.ndim is not None
        pairs = self._linears_after_flatten()
        env = self._run(tuple(1 << 30 for _ in range(self.ndim)), axis=0, merges=False) \
            if pairs else {}
        found: list[tuple[Node, str, int]] = []
        for node, flat in pairs:
            src = flat.inputs[0]
            channels = env.get(src, (None, ()))[0]
            if channels is None:
                raise UsageError(f"linear at {node.name}: the channel count before "
                                 f"{flat.name} is unknown, so the input sizes its in_features "
                                 "allows are too: give in_channels")
            found.append((node, src, channels))
        sized = {src for (_, src, _), (_, flat) in zip(found, pairs, strict=True)
                 if flat.name not in self._fixed}
        if len(sized) > 1:
            raise UsageError("more than one Linear after a flatten: symconv couples the axes "
                             "through one (" + ", ".join(
                                 n.name for n, flat in pairs if flat.name not in self._fixed)
                             + " here)")
        # several on one flatten (two heads): the first couples the axes, and the others'
        # features are checked at each block (accepted_sizes); features fixed by a pooling
        # (a squeeze-and-excitation block's, a classifier's after global pooling) are the
        # same at every size, so one full run decides their checks (accepted_sizes): one
        # of them is the coupling only when no other Linear is (its blocks then span every
        # accepted size)
        return found[0] if found else None

    def accepted_sizes(self, max_blocks: int = 10_000) -> AcceptedSizes:
        """Every input size the graph accepts, the axes taken together.

        Per axis, :meth:`accepted` (residue classes and a bound, merges included).  A
        ``Linear`` after ``flatten`` couples the axes: with ``C`` channels and sizes
        ``s_j(i_j)`` at the flattened node, ``C · Π_j s_j(i_j) = in_features``.  Each
        ``s_j`` is nondecreasing, so for each ordered factorisation ``f`` of
        ``in_features / C`` over the axes the sizes ``i_j`` with ``s_j(i_j) = f_j`` form
        an interval: the accepted set is a union of blocks (one per factorisation with
        every interval holding an accepted size), exact and finite in number.

        >>> from symconv.chain import Layer
        >>> g = Graph((Node("c", "layer", ("x",), Layer("conv", k=3, s=2, F_i=1, F_o=2)),
        ...            Node("f", "flatten", ("c",)),
        ...            Node("fc", "linear", ("f",), in_features=12, out_features=1)),
        ...           in_channels=1, ndim=2)
        >>> print(g.accepted_sizes().text())
        the Linear at fc takes 12 features: 2 channels at c times sizes multiplying to 6
          axis 0 in 3..4 and axis 1 in 13..14  (smallest (3, 13))
          axis 0 in 5..6 and axis 1 in 7..8  (smallest (5, 7))
          axis 0 in 7..8 and axis 1 in 5..6  (smallest (7, 5))
          axis 0 in 13..14 and axis 1 in 3..4  (smallest (13, 3))
        """
        assert self.ndim is not None
        axes = self.accepted()
        excluded = self._excluded(axes)
        coupling = self._coupling()
        if coupling is None:
            found = AcceptedSizes(axes, excluded=excluded)
            if found.smallest is not None:
                try:        # a check of shapes fixed at every size: once decides it
                    self.shapes(found.smallest)
                except GraphError as exc:
                    if exc.node in self._constant or exc.everywhere:
                        raise GraphError(f"no input size passes every layer: {exc}") from None
            return found
        node, src, channels = coupling
        features = node.in_features or 0
        if features % channels:
            return AcceptedSizes(axes, node.name, features, channels, src, (), excluded)
        starts = [self._first_size(j) for j in range(self.ndim)]
        cache: dict[tuple[int, int], tuple[int, int | None] | None] = {}
        # each factor costs a preimage through the layers (a deep model, under load,
        # seconds): a bound of its own, 30 s or the command's --timeout
        budget = Budget(seconds=max(SEARCH_SECONDS.get(), 30.0), what="factorisations")

        def interval(j: int, f: int) -> tuple[int, int | None] | None:
            budget.tick()
            if (j, f) not in cache:
                budget.check_time()
                iv = self._preimage(src, j, starts[j], f)
                # keep it only if it holds a size the axis accepts (merges included)
                if iv is not None and _first_in(axes[j], iv) is None:
                    iv = None
                cache[j, f] = iv
            return cache[j, f]

        blocks: list[Box] = []

        last = self.ndim - 1

        def factor(j: int, rest: int, chosen: Box) -> None:
            if len(blocks) > max_blocks:
                raise UsageError(f"more than {max_blocks} blocks of input sizes fit the Linear "
                                 f"at {node.name}: symconv stops there")
            if j == last:
                iv = interval(j, rest)
                if iv is not None:
                    blocks.append((*chosen, iv))
                return
            for f in _divisors(rest):
                iv = interval(j, f)
                if iv is not None:
                    factor(j + 1, rest // f, (*chosen, iv))
        try:
            factor(0, features // channels, ())
        except BudgetExhausted as exc:
            raise UndecidedError(f"the input sizes the Linear at {node.name} allows: "
                                 f"{exc.reason} of in_features / channels = "
                                 f"{features // channels} over {self.ndim} axes, each read "
                                 f"back through the layers ({len(blocks)} blocks found)") \
                from None
        # a box no block meets excludes nothing more
        excluded = tuple((n, box) for n, box in excluded
                         if any(_meets(box, b) for b in blocks))
        if excluded:
            blocks = [b for b in blocks if AcceptedSizes(axes, blocks=(b,), excluded=excluded)
                      ._candidates(_first_pick)]
        # within a block the flattened features are fixed: a check past the flatten (another
        # Linear, a second head, a norm's features) passes at every size of it or at none
        after: set[str] = set()
        for nd in self.nodes:
            if nd.op == "flatten" and nd.inputs[0] == src:
                after |= self._descendants(nd.name)
        why = None
        kept = []
        for b in blocks:
            try:
                self.shapes(AcceptedSizes(axes, blocks=(b,), excluded=excluded).smallest_of(b))
            except GraphError as exc:
                if exc.node in after or exc.node in self._constant or exc.everywhere:
                    why = str(exc)
                    continue
            kept.append(b)
        return AcceptedSizes(axes, node.name, features, channels, src, tuple(kept), excluded,
                             None if kept else why,
                             node.source or "size check" if node.takes is not None else "Linear")

    def _descendants(self, name: str) -> set[str]:
        """The nodes that read ``name``'s output, directly or through others."""
        out = {name}
        for nd in self.nodes:
            if any(x in out for x in nd.inputs):
                out.add(nd.name)
        return out

    def _excluded(self, axes: tuple[Alignment, ...]
                  ) -> tuple[tuple[str, Box], ...]:
        """Per ``norm`` node (more than one axis: one axis refuses size 1 on its own), the
        box of input sizes where every axis is 1 there: per axis an interval, as each
        size is nondecreasing in its input; boxes inside another are dropped."""
        assert self.ndim is not None
        if self.ndim == 1:
            return ()
        boxes: list[tuple[str, Box]] = []
        for node in self.nodes:
            if node.op != "norm":
                continue
            box: list[tuple[int, int | None]] = []
            for j, a in enumerate(axes):
                start = a.smallest
                iv = None if start is None else self._preimage(node.inputs[0], j, start, 1)
                if iv is None:
                    break
                box.append(iv)
            else:
                boxes.append((node.name, tuple(box)))
        kept: list[tuple[str, Box]] = []
        for name, found in boxes:
            if not any(_box_within(found, other) for _, other in kept):
                kept = [(m, other) for m, other in kept if not _box_within(other, found)]
                kept.append((name, found))
        return tuple(kept)

    def linear_inputs(self, node: str, limit: int = 4096) -> list[tuple[int, ...]]:
        """The input sizes (per axis, each at most ``limit``) for which ``node``, a
        ``linear`` after ``flatten``, gets exactly its ``in_features``."""
        nd = self.nodes[self._index[node]] if node in self._index else None
        if nd is None or nd.op != "linear":
            raise UsageError(f"no linear node named {node!r}")
        acc = self.accepted()
        cands = [[v for v in range(1, limit + 1) if v in a] for a in acc]
        found = []
        for combo in itertools.product(*cands):
            if self.accepts(combo):
                found.append(combo)
            if len(found) > 1000:
                raise UsageError("more than 1000 input sizes fit: bound them with limit=")
        return found

    def in_features(self, i: Any) -> dict[str, int]:
        """For each ``linear`` node, the ``in_features`` it needs at input size ``i``."""
        sizes = self._per_axis(i)
        env: dict[str, Shape] = {self.input: (self.in_channels, sizes)}
        out: dict[str, int] = {}
        for node in self.nodes:
            ins = [env[s] for s in node.inputs]
            if node.op == "linear":
                c, sz = ins[0]
                out[node.name] = sz[-1] if sz else (c or 0)
                node = Node(node.name, "linear", node.inputs, in_features=out[node.name],
                            out_features=node.out_features)
            env[node.name] = self._node(node, ins, None)
        return out

    def counts(self, i: Any) -> dict[str, tuple[int | None, int | None]]:
        """(params, MACs) per layer node (the ``params``/``macs`` relations over axes), per
        ``linear`` node (weights ``in*out`` + bias, once per position) and per node holding
        parameters of its own (a norm's, a layer scale's); None where unknown (a lazy
        module before its first run, with channels unknown)."""
        shapes = self.shapes(i)
        out: dict[str, tuple[int | None, int | None]] = {}
        for node in self.nodes:
            if node.op in ("layer", "linear", "identity", "norm") or node.weights:
                out[node.name] = _counts_of(node, *shapes[node.inputs[0]],
                                            shapes[node.name][1])
        return out

    # --- receptive fields ---------------------------------------------------------------
    def receptive_fields(self, i: Any = None) -> dict[str, tuple[ReceptiveField, ...]]:
        """Every node's receptive field ``r``, effective stride ``j`` and effective padding
        ``P`` per axis w.r.t. the input, over all paths (Araujo, Norris & Sim, Distill 2019).

        Along a path each direct layer composes by :func:`symconv.receptive.step` (the
        closed forms with the path so far as one layer); ``pad``, ``slice`` and
        ``pixel_unshuffle`` are direct layers too (kernel 1 and padding ``lo``; kernel 1,
        stride ``step``, padding ``-start``; kernel and stride ``r``).  Where paths merge
        (``add``, ``mul``, ``cat`` of channels), per effective stride the hull of every
        path's window is kept (the widest path's where they are aligned; where their
        centres differ, the hull is every input a unit reads, wider than any one path),
        the largest ``r`` over strides is reported, and a node is aligned when every path
        to it has the same ``j`` and centre shift ``(r - 1)/2 - P`` (paths that part never
        meet again: a node after an unaligned merge stays unaligned).  Without an input
        size, a padding mode whose padding depends on the size (TF SAME with stride 2
        and an odd kernel) makes ``P`` a formula in the axis's input size ``i`` (the
        node's size formula from
        :meth:`exprs` put into the mode's padding), never a number read at some size;
        where such formulas of two paths' centres differ as expressions, the alignment
        is not checked (``aligned=None``).
        After upsampling or a transposed layer (and pixel shuffle) units read windows of
        different sizes: one period of windows per path is carried forward (a window
        pattern: unit ``u`` reads ``lo(a(u))..hi(b(u))`` where it reads input units
        ``a(u)..b(u)``); ``r`` is the widest window over a period, ``j`` a fraction, and
        aligned means every path's window has the same centre at every unit.
        At an input size the graph refuses, the nodes after a broken merge take its first
        input's sizes (as :meth:`table` does).

        >>> from symconv.chain import Layer, Sides
        >>> g = Graph((Node("a", "layer", ("x",), Layer("conv", k=3, p=1)),
        ...            Node("b", "layer", ("a",), Layer("conv", k=3, p=1)),
        ...            Node("sum", "add", ("b", "x")),
        ...            Node("c", "layer", ("x",), Layer("conv", k=2, p=Sides(0, 1))),
        ...            Node("off", "add", ("sum", "c"))), ndim=1)
        >>> g.receptive_fields()["sum"]
        (ReceptiveField(r=5, j=1, P=2, aligned=True, note=''),)
        >>> g.receptive_fields(10)["off"][0].note
        'add at off: centre shifts 0, 1/2 differ'
        """
        assert self.ndim is not None
        if i is None:
            return self._fields(None)
        try:
            shapes = self.shapes(i)
        except GraphError:      # go on past a broken merge with its first input, as table()
            sizes: dict[str, tuple[int, ...] | None] = {self.input: self._per_axis(i)}
            for row in self.table(i):
                sizes[row["name"]] = tuple(row["out"]) if row["out"] is not None else None
            return self._fields(sizes)
        return self._fields({n: shapes[n][1] for n in shapes})

    def _fields(self, sizes: dict[str, tuple[int, ...] | None] | None
                ) -> dict[str, tuple[ReceptiveField, ...]]:
        """The fields, with every node's sizes (``None``: no input size, formulas)."""
        assert self.ndim is not None
        start = _Paths(((1, 1, 0),), ((1, ReceptiveField(1, 1, 0).centre),))
        env: dict[str, tuple[_Paths, ...]] = {self.input: (start,) * self.ndim}
        formulas: dict[str, tuple[sympy.Expr, ...]] = {}
        for node in self.nodes:
            ins = [env[src] for src in node.inputs]
            out = []
            for ax in range(self.ndim):
                per_input = [f[ax] for f in ins]
                if sizes is not None and node.op in ("add", "mul") and len(ins) > 1:
                    # an input of size 1 broadcast onto a larger one: every unit reads its
                    # one unit's window, not u j - P ... (LR-ASPP's gate)
                    along = [(sizes.get(src) or (0,) * self.ndim)[ax] for src in node.inputs]
                    per_input = [_Paths.lost(f"{node.op} at {node.name}: {src} of size 1 "
                                             f"broadcasts along axis {ax} (every unit reads "
                                             "its one unit's window)")
                                 if max(along) > 1 and n_ == 1 else f
                                 for src, n_, f in zip(node.inputs, along, per_input,
                                                       strict=True)]
                state = _merge_paths(node, per_input) if len(ins) > 1 else per_input[0]
                if state.unknown or node.op in ("add", "mul", "identity", "norm") or (
                        node.op == "cat" and node.dim - 2 != ax):
                    out.append(state)
                    continue
                if node.op == "cat":
                    out.append(_Paths.lost(f"cat at {node.name} joins windows along axis {ax}"))
                    continue
                if node.mode == SHIFTED_NEAREST:
                    out.append(_Paths.lost(f"nearest upsampling at {node.name} reads input "
                                           "units other than floor(u / f) (its coordinate "
                                           "and nearest modes): its receptive field is not "
                                           "computed"))
                    continue
                if node.mode in INTERPOLATIONS:
                    # each output reads the two (four: bicubic) nearest input units,
                    # weighted by position: not nearest's one unit
                    out.append(_Paths.lost(f"{node.mode} interpolation at {node.name}: an "
                                           "output unit reads several input units; its "
                                           "receptive field is not computed"))
                    continue
                src = node.inputs[0]
                size: Any = None
                if sizes is not None:
                    known = sizes.get(src)
                    if known is None:
                        out.append(_Paths.lost(f"{node.name}: its input size is unknown"))
                        continue
                    size = known[ax]
                node_ax: Node | str = node
                if node.terms(ax):      # sizes read from tensors: numbers, or formulas
                    try:
                        node_ax = self._fields_terms(node, ax, sizes, formulas, state.windows)
                    except SymconvError as exc:
                        node_ax = f"{node.op} at {node.name}: {exc}"
                if isinstance(node_ax, str):
                    out.append(_Paths.lost(node_ax))
                    continue
                try:
                    step_ = self._direct_map(node_ax, ax, size, src, formulas)
                except SymconvError as exc:      # a layer that refuses its input size
                    step_ = f"{node.op} at {node.name}: {exc}"
                if state.windows or step_ == WINDOWS:
                    out.append(_windows_through(self, node_ax, ax, state, size))
                    continue
                out.append(state.then(*step_) if isinstance(step_, tuple) else
                           state if step_ is None else _Paths.lost(step_))
            env[node.name] = tuple(out)
        fields: dict[str, tuple[ReceptiveField, ...]] = {}
        for node in self.nodes:
            per = []
            for ax, p in enumerate(env[node.name]):
                f = p.field()
                if f.aligned is False and p.windows:    # name the node where the paths part
                    inherited = next((fields[src][ax].note for src in node.inputs
                                      if src in fields and fields[src][ax].aligned is False),
                                     None)
                    f = replace(f, note=inherited or f"{node.op} at {node.name}: {f.note}")
                per.append(f)
            fields[node.name] = tuple(per)
        return fields

    def _fields_terms(self, node: Node, ax: int, sizes: dict[str, tuple[int, ...] | None] | None,
                      formulas: dict[str, tuple[sympy.Expr, ...]], windows: bool) -> Node | str:
        """``node`` with its sizes read from tensors on axis ``ax`` resolved for the
        fields: numbers at an input size; without one, a pad's formulas (a padding ``P``
        that is a formula in ``i``), else why not."""
        if sizes is not None:
            def number(r: SizeOf) -> int:
                known = sizes.get(r.node)
                if known is None:
                    raise GraphError(f"the size of {r.node} is unknown")
                return known[r.axis]
            return node.resolved(number, (ax,))
        if node.op != "pad" or windows:
            return (f"{node.op} at {node.name}: a value read from a tensor's size on axis "
                    f"{ax}: give i")
        if not formulas:
            formulas.update(self.exprs())
        return node.resolved(lambda r: I if r.node == self.input else formulas[r.node][r.axis],
                             (ax,))

    def _direct_map(self, node: Node, ax: int, size: int | None, src: str,
                    formulas: dict[str, tuple[sympy.Expr, ...]]
                    ) -> tuple[int, int, Any] | str | None:
        """A single-input node on axis ``ax`` as a direct layer ``(khat, s, p_l)``, None when
        it keeps every position, or why its units do not read one window each."""
        if node.op == "layer":
            assert node.layer is not None
            ly = node.layer.at(ax) if node.layer.axes else node.layer
            if ly.kind == "identity":
                return None
            if ly.kind not in ("conv", "pool"):
                return WINDOWS          # units read windows of varying size
            p_l: Any
            if size is not None:
                p_l = ly.pads(size)[0]
            else:
                try:
                    p_l = ly._pad_before_any_input()
                except UsageError:        # the padding depends on the size: a formula
                    if not formulas:
                        formulas.update(self.exprs())
                    x = I if src == self.input else formulas[src][ax]
                    p_l = padding_before(ly.framework, ly.p, x, ly.k, ly.s, ly.d)
            return ly.khat, ly.s, p_l
        if node.op == "pad":
            return 1, 1, node.pads[ax][0] if node.pads else 0
        if node.op == "slice":
            sl = endless(node.slices[ax]) if node.slices else None
            if sl is None:
                return None
            start, _, stride = sl
            start, stride = start or 0, stride or 1
            if start < 0:
                if size is None:
                    return (f"slice at {node.name}: a start from the end ({start}) depends on "
                            "the input size: give i")
                start = slice(start, None).indices(size)[0]
            return 1, stride, -start
        if node.op == "pixel_unshuffle":
            return node.factor, node.factor, 0
        if node.op == "pixel_shuffle":
            return WINDOWS
        return f"{node.op} at {node.name}: its output units do not read windows of one size"

    # --- tables -----------------------------------------------------------------------
    def table(self, i: Any) -> list[dict[str, Any]]:
        """One row per node: op, per-axis sizes in and out, params, MACs, and ``flag``: why a
        merge's inputs disagree (the table goes on with its first input's shape) or why a
        node refuses (the nodes after it are unknown, ``None``); per axis the receptive
        field ``rf``, effective stride ``jump`` and padding ``P`` (:meth:`receptive_fields`,
        ``None`` where unknown), ``aligned`` and ``unaligned`` (why the paths disagree)."""
        sizes = self._per_axis(i)
        env: dict[str, Shape | None] = {self.input: (self.in_channels, sizes)}
        rows: list[dict[str, Any]] = []
        for node in self.nodes:
            ins = [env[s] for s in node.inputs]
            flag, out = None, None
            if all(x is not None for x in ins):
                known = [x for x in ins if x is not None]
                try:
                    out = self._node(self._terms_at(node, env, None)
                                     if node.reads_sizes else node, known, None)
                except SymconvError as exc:
                    flag = str(exc) if isinstance(exc, GraphError) else \
                        f"{node.op} at {node.name}: {exc}"
                    if node.op in ("add", "mul") or (node.op == "cat" and node.dim == 1):
                        c0 = known[0][0]
                        chans = [x[0] for x in known]
                        c = (None if None in chans else sum(ch or 0 for ch in chans)) \
                            if node.op == "cat" else c0 if not node.channels or c0 is None \
                            else max(c0, node.channels)
                        out = (c, known[0][1])
            env[node.name] = out
            counts: tuple[int | None, int | None] = (None, None)
            if out is not None and ins[0] is not None:
                counts = _counts_of(node, *ins[0], out[1])
            rows.append({"name": node.name, "op": node.op, "source": node.source or None,
                         "in": [list(x[1]) if x is not None else None for x in ins],
                         "channels": out[0] if out is not None else None,
                         "out": list(out[1]) if out is not None else None,
                         "params": counts[0], "macs": counts[1], "flag": flag})
        fields = self._fields({n: (v[1] if v is not None else None) for n, v in env.items()})
        for row in rows:
            per = fields[row["name"]]
            for key, attr in (("rf", "r"), ("jump", "j"), ("P", "P")):
                vals = [getattr(f, attr) for f in per]
                # a node that refuses its input has no output units to read windows
                row[key] = None if row["out"] is None or any(v is None for v in vals) else \
                    [_number(v) for v in vals]
            row["aligned"] = None if any(f.aligned is None for f in per) else \
                all(f.aligned for f in per)
            row["unaligned"] = next((f.note for f in per if f.aligned is False), None)
            # paths of different strides: rf, jump, P are the widest path's, no unit's rule
            row["mixed"] = any(f.mixed for f in per)
        return rows

    def table_json(self, i: Any) -> dict[str, Any]:
        """The table as plain JSON data (unknown = ``null``)."""
        rows = self.table(i)
        params, macs = totals((r["params"], r["macs"]) for r in rows)
        return {"input": list(self._per_axis(i)), "nodes": rows, "params": params,
                "macs": macs, "accepted": self.accepts(i), "first_failure": self.failure(i)}

    def table_text(self, i: Any) -> str:
        """The table as text: one line per node, a ``!`` line under each flagged node."""
        def one(v: Any) -> str:
            return f"{v['num']}/{v['den']}" if isinstance(v, dict) else str(v)

        def cell(v: Any) -> str:
            return "-" if v is None else "x".join(map(one, v)) if isinstance(v, list) else str(v)
        lines = [f"{'node':<16} {'op':<10} {'out':>12} {'ch':>6} {'params':>10} {'MACs':>14} "
                 f"{'rf':>9} {'jump':>6} {'P':>7}"]
        rows = self.table(i)
        for r in rows:
            out = cell(r["out"]) if r["out"] != [] else "flat"
            rf = cell(r["rf"]) + ("" if r["aligned"] is not False else "*")
            lines.append(f"{r['name']:<16} {r['op']:<10} {out:>12} {cell(r['channels']):>6} "
                         f"{cell(r['params']):>10} {cell(r['macs']):>14} {rf:>9} "
                         f"{cell(r['jump']):>6} {cell(r['P']):>7}")
            if r["flag"]:
                lines.append(f"  ! {r['flag']}")
            if _arises(r):
                lines.append(f"  ~ {r['unaligned']} (rf marked *: not aligned)")
        params, macs = totals((r["params"], r["macs"]) for r in rows)
        lines.append(f"{'total':<16} {'':<10} {'':>12} {'':>6} {cell(params):>10} "
                     f"{cell(macs):>14}".rstrip())
        return "\n".join(lines)

    def table_latex(self, i: Any) -> str:
        r"""A ``booktabs`` table of the nodes; a flagged node's row ends with its reason."""
        lines = [r"\begin{tabular}{llrrrrrrl}", r"\toprule",
                 r"node & op & out & params & MACs & $r$ & $j$ & $P$ & note \\", r"\midrule"]

        def axes(v: Any) -> str:
            return "-" if v is None else "$" + r" \times ".join(
                rf"\frac{{{x['num']}}}{{{x['den']}}}" if isinstance(x, dict) else str(x)
                for x in v) + "$"
        def star(r: dict[str, Any]) -> str:      # not aligned: marked, as the text marks it
            rf = axes(r["rf"])
            return rf[:-1] + "^{*}$" if r["aligned"] is False and rf != "-" else rf
        rows = self.table(i)
        for r in rows:
            out = "$" + r" \times ".join(map(str, r["out"])) + "$" if r["out"] else "-"
            lines.append(rf"{_tex_text(r['name'])} & {_tex_text(r['op'])} & {out} & "
                         rf"{'-' if r['params'] is None else r['params']} & "
                         rf"{'-' if r['macs'] is None else r['macs']} & "
                         rf"{star(r)} & {axes(r['jump'])} & {axes(r['P'])} & "
                         rf"{_tex_text(r['flag'] or _arises(r) or '')} \\")
        params, macs = totals((r["params"], r["macs"]) for r in rows)
        lines += [r"\midrule", rf"total & & & {'-' if params is None else params} & "
                  rf"{'-' if macs is None else macs} & & & & \\", r"\bottomrule",
                  r"\end{tabular}"]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Paths:
    """Every path from the input to a node, on one axis, as much as the fields need:
    per effective stride ``j`` the hull ``(r, P)`` of its paths' windows, and the distinct
    ``(j, centre shift)`` pairs (aligned iff there is one).  A direct layer maps each path
    by :func:`symconv.receptive.step`, which moves a hull's ends as it moves each path's,
    so the hull stays exact even where paths with different strides merge."""

    cands: tuple[tuple[int, int, Any], ...]      # (j, r, P), one per distinct j
    shifts: tuple[tuple[int, Any], ...]          # distinct (j, centre)
    note: str = ""
    unknown: str = ""
    windows: bool = False       # after upsampling: the windows of one period, per path class
    wide: tuple[Pattern, ...] = ()      # per stride class the widest path's windows
    centres: tuple[Pattern, ...] = ()   # one path per distinct centre pattern

    @staticmethod
    def lost(why: str) -> _Paths:
        return _Paths((), (), "", why)

    def as_windows(self) -> _Paths:
        """The same paths as window patterns (period 1: unit u reads ``[u j - P, ...]``).
        Per stride the widest path stays the widest through any later layer (each layer
        adds the same to every path of one stride), so ``cands`` hold every ``r``; each
        ``(j, centre)`` is one centre pattern (a path of ``r = 1 + 2c``, ``P = 0``)."""
        if self.windows or self.unknown:
            return self
        if any(isinstance(P, sympy.Basic) for _, _, P in self.cands) or any(
                isinstance(c, sympy.Basic) for _, c in self.shifts):
            return _Paths.lost("the padding depends on the input size before an upsampling "
                               "layer: give i")
        wide = tuple((1, (-P,), (r - 1 - P,), j) for j, r, P in self.cands)
        centres = tuple(_narrow((1, (0,), (int(2 * c),), j)) for j, c in self.shifts)
        return _Paths((), (), self.note, "", True, wide, centres)

    def then(self, khat: int, stride: int, p_l: Any) -> _Paths:
        cands = []
        for j, r, P in self.cands:
            r2, j2, P2 = step(r, j, P, khat, stride, p_l)
            cands.append((j2, r2, P2))
        shifts: list[tuple[int, Any]] = []
        for j, c in self.shifts:        # a path centred at c: r = 1 + 2c, P = 0 (c = m/2),
            r0, P0 = (int(1 + 2 * c), 0) if isinstance(c, (int, Fraction)) else (1, -c)
            r2, j2, P2 = step(r0, j, P0, khat, stride, p_l)     # or P = -c for a formula
            shifts.append((j2, _norm(ReceptiveField(r2, j2, P2).centre)))
        return _Paths(tuple(cands), tuple(dict.fromkeys(shifts)), self.note)

    def field(self) -> ReceptiveField:
        if self.unknown:
            return ReceptiveField(None, None, None, None, self.unknown)
        if self.windows:
            return _windows_field(self)
        j, r, P = max(self.cands, key=lambda t: t[1])
        aligned: bool | None = len(self.shifts) == 1
        if not aligned and len({jj for jj, _ in self.shifts}) == 1 and any(
                isinstance(c, sympy.Basic) and not c.is_number for _, c in self.shifts):
            aligned = None      # centres are formulas in the input size: not checked
        # paths of different strides: the widest path's r, j, P; no one rule gives a
        # unit's window (unit u reads the hull over the paths)
        mixed = len({jj for jj, _, _ in self.cands}) > 1
        return ReceptiveField(r, j, P, aligned, "" if aligned else self.note, mixed=mixed)


_PARTS = ("slice", "chunk", "split", "sizes", "reduce", "conv")
_PART_ARITY = {"slice": 4, "chunk": 3, "split": 3, "sizes": 3, "reduce": 1, "conv": 2}
_COUNTS = (("takes", 1), ("channels", 1), ("in_features", 0), ("out_features", 0),
           ("weights", 0), ("factor", 1))
_MODES = {"pad": ("reflect", "replicate", "circular"), "add": ("inplace",),
          "mul": ("inplace",), "resize": ("shrink",), "unflatten": ("per_sample",),
          "layer": (*INTERPOLATIONS, SHIFTED_NEAREST)}
"""The modes an op takes besides ``constant`` (an upsampling layer's: its interpolation
between input units, ``constant`` being nearest)."""


def _count(v: Any, least: int) -> bool:
    """Whether ``v`` is an integer (not a bool) of at least ``least``."""
    return isinstance(v, int) and not isinstance(v, bool) and v >= least


def part_channels(part: tuple[Any, ...], c: int, where: str) -> int:
    """The channels a part of ``c`` channels keeps, as PyTorch's indexing, ``chunk`` and
    ``split`` along dim 1 give them (an index from the end counts the parts there are);
    a part PyTorch does not give (a chunk or split past the channels: Python's tuple
    index fails; sizes that do not add up to ``c``) or no channels at all is a
    :class:`GraphError`.

    >>> part_channels(("chunk", 2, 1), 5, "x"), part_channels(("slice", None, 3, None), 5, "x")
    (2, 3)
    >>> part_channels(("chunk", 4, -1), 6, "x"), part_channels(("split", 4, -1), 6, "x")
    (2, 2)
    >>> part_channels(("chunk", 4, 3), 6, "x")
    Traceback (most recent call last):
    ...
    symconv.graph.GraphError: x: chunk 3 of 6 channels in 4 is not there (chunks of 2 give 3)
    """
    kind = part[0]
    if kind == "reduce":        # every channel read into one
        return 1
    if kind == "conv":          # a convolution along the channels: its output size
        try:
            return int(part[1].output(c))
        except DomainError as exc:
            raise GraphError(f"{where}: a convolution over {c} channels: {exc}") from None
    if kind == "sizes":
        sizes, k = part[1], part[2]
        if sum(sizes) != c:
            raise GraphError(f"{where}: split sizes {list(sizes)} add up to {sum(sizes)}, not "
                             f"the {c} channels (a split's sizes add up to them)")
        if sizes[k] < 1:
            raise GraphError(f"{where}: part {k} of split sizes {list(sizes)} keeps no channels")
        return int(sizes[k])
    if kind == "slice":
        n = _slice_length(_indices(part[1:], c))
        if n < 1:
            raise GraphError(f"{where}: channels [{':'.join('' if v is None else str(v) for v in part[1:])}]"
                             f" of {c} keeps none")
        return n
    size = -(-c // part[1]) if kind == "chunk" else part[1]
    there = -(-c // size)
    k = part[2] + there if part[2] < 0 else part[2]   # from the end: of the parts there
    if not 0 <= k < there:
        k = part[2]
        what = f"chunk {k} of {c} channels in {part[1]}" if kind == "chunk" else \
            f"split {k} of {c} channels by {size}"
        raise GraphError(f"{where}: {what} is not there ({'chunks' if kind == 'chunk' else 'parts'}"
                         f" of {size} give {there})")
    return min(size, c - k * size)


def _counts_of(node: Node, c: int | None, sizes: tuple[int, ...], out: tuple[int, ...]
               ) -> tuple[int | None, int | None]:
    """(params, MACs) of a node on an input of ``sizes`` giving ``out`` (``()`` after
    ``flatten``): a layer's from the ``params``/``macs`` relations; a ``linear``'s weights
    ``in * out`` and a bias, once per channel and position of the axes before the last
    (on a map; once on features) (a check,
    ``takes``, has none); a size-keeping node's own ``weights``; a node that ``shares`` an
    earlier one's parameters counts its multiply-accumulates only, and its ``extra``.  A
    lazy layer (``F_i`` unknown until its first run) takes the input's channels ``c``;
    unknown channels or ``weights`` (a lazy norm's, before it runs) are unknown counts
    (None)."""
    params: int | None
    macs: int | None
    if node.op == "layer" and node.layer is not None:
        layer = node.layer
        if layer.kind in ("conv", "conv_transpose") and (layer.F_i is None or
                                                         layer.F_o is None):
            if c is None or layer.F_o is None:      # a layer of sizes only: unknown
                return None, None
            layer = replace(layer, F_i=c)
        params, macs = layer.count(sizes, out) if sizes else (0, 0)
    elif node.op == "linear" and node.takes is None and node.out_features and (
            node.in_features or node.in_features is None and (sizes or c is not None)):
        # a lazy Linear (in_features None) becomes the one its first run makes: its
        # features are the last axis's size, or the flattened count
        features: int = node.in_features or (sizes[-1] if sizes else c) or 0
        params = node_params(replace(node, in_features=features))
        w = features * node.out_features
        # on a map it runs once per channel and position of the axes before the last
        macs = (None if c is None else w * c * math.prod(sizes[:-1])) if sizes else w
    elif node.part and node.part[0] == "conv":
        if c is None:
            return None, None
        params, macs = node.part[1].count(c, part_channels(node.part, c, node.name), ndim=1)
    else:
        params, macs = node.weights, 0
    if params is None:
        return None, macs
    return (0 if node.shares else params) + node.extra, macs


def node_params(node: Node, ndim: int = 1) -> int | None:
    """The parameters ``node`` counts by its kind, whatever its input's size (a
    layer's ``params`` relation on ``ndim`` axes, a ``linear``'s ``in * out`` and bias, a
    size-keeping node's ``weights``), before ``shares`` and ``extra``; None where they
    depend on the channels it gets (a lazy layer, a convolution along the channels).

    >>> from symconv.chain import Layer
    >>> node_params(Node("c", "layer", ("x",), Layer("conv", k=3, F_i=2, F_o=4)), 2)
    76
    """
    if node.op == "layer" and node.layer is not None:
        if node.layer.kind in ("conv", "conv_transpose") and (node.layer.F_i is None or
                                                              node.layer.F_o is None):
            return None
        return node.layer.count((1,) * ndim, (1,) * ndim, ndim)[0]
    if node.op == "linear":
        if node.in_features is None and node.takes is None:
            return None         # a lazy Linear: its weights are made by its first run
        if node.takes is not None or not (node.in_features and node.out_features):
            return 0
        return node.in_features * node.out_features + node.out_features * int(node.bias)
    if node.part and node.part[0] == "conv":
        return None
    return node.weights


def _norm(c: Any) -> Any:
    """A centre shift in one form: a Fraction when it is a number, else expanded."""
    if isinstance(c, sympy.Basic):
        c = sympy.expand(c)
        if c.is_Rational:
            return Fraction(int(c.p), int(c.q))
    return c


def _merge_paths(node: Node, ins: list[_Paths]) -> _Paths:
    """Where paths merge: their union (per ``j`` the hull of the windows; every shift)."""
    lost = next((p for p in ins if p.unknown), None)
    if lost is not None:
        return lost
    if any(p.windows for p in ins):
        ws = [p.as_windows() for p in ins]
        lost = next((p for p in ws if p.unknown), None)
        if lost is not None:
            return lost
        try:
            wide = _hull(tuple(x for p in ws for x in p.wide))
        except UsageError as exc:
            return _Paths.lost(f"{node.op} at {node.name}: {exc}")
        return _Paths((), (), next((p.note for p in ins if p.note), ""), "", True, wide,
                      tuple(dict.fromkeys(x for p in ws for x in p.centres)))
    best: dict[int, tuple[int, int, Any]] = {}
    for p in ins:
        for cand in p.cands:
            j, r, P = cand
            if j not in best:
                best[j] = cand
                continue
            r0, P0 = best[j][1:]
            if all(not isinstance(v, sympy.Basic) or v.is_number for v in (P, P0)):
                # paths of one stride: unit u reads [u j - P, u j - P + r - 1] on each, so
                # the hull of their windows, [u j - max P, u j + max(r - 1 - P)], is every
                # input the unit reads (the widest path where they are aligned); a later
                # direct layer moves both ends as it moves each path's
                lo, hi = min(-P0, -P), max(r0 - 1 - P0, r - 1 - P)
                best[j] = (j, int(hi - lo + 1), int(-lo))
            elif r > r0:        # a padding that is a formula in i: the widest path
                best[j] = cand
    shifts = tuple(dict.fromkeys(sh for p in ins for sh in p.shifts))
    note = next((p.note for p in ins if p.note), "")
    if not note and len(shifts) > 1:
        strides = [str(p.shifts[0][0]) for p in ins]
        if len({sh[0] for sh in shifts}) > 1:
            note = f"{node.op} at {node.name}: effective strides {', '.join(strides)} differ"
        elif all(not isinstance(sh[1], sympy.Basic) or sh[1].is_number for sh in shifts):
            note = (f"{node.op} at {node.name}: centre shifts "
                    f"{', '.join(str(p.shifts[0][1]) for p in ins)} differ")
    return _Paths(tuple(best.values()), shifts, note)


Pattern = tuple[int, tuple[int, ...], tuple[int, ...], int]
"""One path's windows after upsampling: ``(T, lo, hi, D)``: unit ``u`` reads input
positions ``lo[u mod T] + (u div T) D`` to ``hi[u mod T] + (u div T) D``."""

MAX_PATTERNS = 4096
"""Distinct window patterns one node keeps (then: unknown, said)."""


def _at(pat: Pattern, t: int) -> tuple[int, int]:
    T, lo, hi, D = pat
    q, m = divmod(t, T)
    return lo[m] + q * D, hi[m] + q * D


def _canonical(pat: Pattern) -> Pattern:
    """The same windows with the smallest period (so equal paths compare equal)."""
    T, lo, hi, D = pat
    for T2 in range(1, T):
        if T % T2 or (D * T2) % T:
            continue
        D2 = D * T2 // T
        if all(lo[u + T2] == lo[u] + D2 and hi[u + T2] == hi[u] + D2 for u in range(T - T2)):
            return T2, lo[:T2], hi[:T2], D2
    return pat


def _narrow(pat: Pattern) -> Pattern:
    """A centre pattern with its windows narrowed by the same amount at every unit (to
    width 0 or 1 at the narrowest): the centres of two paths whose widths differ by a
    constant move alike through every layer, so they are one pattern."""
    T, lo, hi, D = pat
    k = min(h - lo_ for lo_, h in zip(lo, hi, strict=True)) // 2
    return T, tuple(x + k for x in lo), tuple(x - k for x in hi), D


def _hull(pats: tuple[Pattern, ...]) -> tuple[Pattern, ...]:
    """Per stride (shift over a period, divided by the period), one pattern: at every unit
    the hull of the paths' windows, every input a unit reads over them (a later layer
    maps a hull as it maps each path: unit ``u`` reads ``lo(a(u))..hi(b(u))``).

    >>> _hull(((1, (0,), (2,), 3), (1, (-1,), (1,), 3), (1, (0,), (0,), 1)))
    ((1, (-1,), (2,), 3), (1, (0,), (0,), 1))
    """
    by: dict[Fraction, Pattern] = {}
    for p in dict.fromkeys(pats):
        key = Fraction(p[3], p[0])
        q = by.get(key)
        if q is None:
            by[key] = p
            continue
        L = math.lcm(p[0], q[0])
        if L > MAX_PERIOD:
            raise UsageError(f"windows of periods {p[0]} and {q[0]} meet: over {MAX_PERIOD}")
        lo = tuple(min(_at(p, u)[0], _at(q, u)[0]) for u in range(L))
        hi = tuple(max(_at(p, u)[1], _at(q, u)[1]) for u in range(L))
        by[key] = _canonical((L, lo, hi, int(key * L)))
    return tuple(by.values())


def _prune(pats: tuple[Pattern, ...]) -> tuple[Pattern, ...]:
    """Drop a path whose windows lie inside another's at every unit, with the same stride
    (a later layer maps both alike, so it never becomes the widest)."""
    pats = tuple(dict.fromkeys(pats))
    keep = []
    for n, p in enumerate(pats):
        dominated = False
        for m, q in enumerate(pats):
            if m == n or p[3] * q[0] != q[3] * p[0]:
                continue
            L = math.lcm(p[0], q[0])
            inside = all(_at(q, u)[0] <= _at(p, u)[0] and _at(p, u)[1] <= _at(q, u)[1]
                         for u in range(L))
            if inside and (m < n or any(_at(q, u) != _at(p, u) for u in range(L))):
                dominated = True
                break
        if not dominated:
            keep.append(p)
    return tuple(keep)


def _unit_back(node: Node, ax: int, lo: int, hi: int, size: int | None) -> tuple[int, int]:
    """The input units that output units ``lo..hi`` of a single-input node read."""
    if node.op == "layer":
        assert node.layer is not None
        ly = node.layer.at(ax)
        if ly.kind == "conv_transpose" and (ly.d > 1 or ly.khat < ly.s):
            raise UsageError(f"conv_transpose at {node.name}: with dilation {ly.d} or a "
                             f"kernel {ly.khat} under its stride {ly.s} some units read "
                             "gaps or nothing; their windows are not stated")
        return ly.back(lo, hi, size)
    if node.op == "pad":
        first = node.pads[ax][0] if node.pads else 0
        return lo - first, hi - first
    if node.op == "slice":
        sl = endless(node.slices[ax]) if node.slices else None
        if sl is None:
            return lo, hi
        start, step_ = sl[0] or 0, sl[2] or 1
        if start < 0:
            if size is None:
                raise UsageError(f"slice at {node.name}: a start from the end depends on the "
                                 "input size: give i")
            start = slice(start, None).indices(size)[0]
        return start + lo * step_, start + hi * step_
    if node.op == "pixel_shuffle":
        return lo // node.factor, hi // node.factor
    if node.op == "pixel_unshuffle":
        return lo * node.factor, hi * node.factor + node.factor - 1
    raise UsageError(f"{node.op} at {node.name}: its output units do not read windows")


def _windows_through(graph: Graph, node: Node, ax: int, state: _Paths, size: int | None
                     ) -> _Paths:
    """Every window pattern carried through one single-input node: unit ``u`` reads the
    input units ``a(u)..b(u)`` (:func:`_unit_back`), so its window is ``lo(a)..hi(b)``
    (windows grow with the unit on every path)."""
    state = state.as_windows()
    if state.unknown:
        return state
    try:
        a0, _ = _unit_back(node, ax, 0, 0, size)
        a1, _ = _unit_back(node, ax, 1, 1, size)
        ly = node.layer.at(ax) if node.layer is not None else None
        grow = (ly.s if ly is not None and ly.kind == "conv_transpose" else
                ly.factor if ly is not None and ly.kind == "upsample" else
                node.factor if node.op == "pixel_shuffle" else 0)

        def carry(pat: Pattern) -> Pattern:
            T = pat[0] * grow if grow else pat[0] // math.gcd(pat[0], abs(a1 - a0) or 1)
            if T > MAX_PERIOD:
                raise UsageError(f"upsampling factors multiply to {T}, over {MAX_PERIOD}")
            spans = [_unit_back(node, ax, u, u, size) for u in range(T + 1)]
            lo = tuple(_at(pat, a)[0] for a, _ in spans[:T])
            hi = tuple(_at(pat, b)[1] for _, b in spans[:T])
            return _canonical((T, lo, hi, _at(pat, spans[T][0])[0] - lo[0]))
        wide = _prune(tuple(carry(p) for p in state.wide))
        centres = tuple(dict.fromkeys(_narrow(carry(p)) for p in state.centres))
    except SymconvError as exc:     # said once: the message may name the node already
        where = f"{node.op} at {node.name}: "
        return _Paths.lost(str(exc) if str(exc).startswith(where) else where + str(exc))
    if len(wide) + len(centres) > MAX_PATTERNS:
        return _Paths.lost(f"{node.name}: more than {MAX_PATTERNS} distinct window patterns")
    return _Paths((), (), state.note, "", True, wide, centres)


def _windows_field(p: _Paths) -> ReceptiveField:
    """``r`` the widest window over a period and every stride (per stride the hull of its
    paths' windows), ``P`` minus the start of unit 0's widest window and ``j`` the stride
    of those windows (their shift over one period, divided by the period); aligned when
    every path's window has the same centre at every unit."""
    T = math.lcm(*(q[0] for q in p.wide + p.centres))
    r = max(hi - lo + 1 for q in p.wide for lo, hi in (_at(q, u) for u in range(T)))
    widest = max(p.wide, key=lambda q: (_at(q, 0)[1] - _at(q, 0)[0], -_at(q, 0)[0]))
    first, j = _at(widest, 0), Fraction(widest[3], widest[0])     # that path's stride
    apart = next((u for u in range(T + 1)
                  if len({sum(_at(q, u)) for q in p.centres}) > 1), None)
    note = "" if apart is None else "window centres " + ", ".join(
        str(Fraction(c, 2)) for c in sorted({sum(_at(q, apart)) for q in p.centres})) + \
        f" differ at unit {apart}"
    windows = None
    mixed = len({Fraction(q[3], q[0]) for q in p.wide}) > 1
    if not mixed:
        # one stride: unit u reads the hull of its paths' windows; listed for one period
        # where they are not u j - P .. u j - P + r - 1
        hull = [(min(_at(q, u)[0] for q in p.wide), max(_at(q, u)[1] for q in p.wide))
                for u in range(T)]
        if any(hull[u] != (hull[0][0] + u * j, hull[0][0] + u * j + r - 1) for u in range(T)):
            windows = tuple(hull)
    return ReceptiveField(r, j.numerator if j.denominator == 1 else j, -first[0],
                          apart is None, note, windows, mixed)


def _past_search(message: str, top: int) -> str:
    """A refusal found at the probe size ``top`` (2^256, past every search) said of every
    size: the probe is no size the user gave."""
    return message.replace(f"input size {top}", "every input size").replace(
        f" of {top} ", " of every size ").replace(str(top), f"2**{top.bit_length() - 1}")


def _number(v: Any) -> Any:
    """An int, or a fraction as JSON ``{"num", "den"}`` (a stride after upsampling)."""
    if isinstance(v, Fraction) and v.denominator != 1:
        return {"num": v.numerator, "den": v.denominator}
    return int(v)


def _arises(row: dict[str, Any]) -> str | None:
    """A table row's misalignment note, if it arises at this node (not inherited)."""
    note = row["unaligned"]
    return note if note and note.startswith(f"{row['op']} at {row['name']}:") else None


MAX_FACTORED = 10**12
"""The largest ``in_features / C`` whose divisors are listed (trial division to 10^6)."""


def _divisors(n: int) -> list[int]:
    """The divisors of ``n >= 1``, ascending (trial division up to its square root)."""
    if n > MAX_FACTORED:
        raise UsageError(f"a Linear's in_features / channels = {n}: symconv lists the input "
                         f"sizes for values up to {MAX_FACTORED} (their divisors)")
    small, large = [], []
    q = 1
    while q * q <= n:
        if n % q == 0:
            small.append(q)
            if q * q != n:
                large.append(n // q)
        q += 1
    return small + large[::-1]


def _slice_formula(x: Any, bounds: tuple[Any, Any, Any], where: str) -> Any:
    """The length of ``[start:stop:step]`` of an axis of size ``x`` (a formula), by
    Python's rules (``slice.indices``): a bound from the end is ``x + b`` clipped at the
    first index, one past the size is the size, and the length is never below 0.

    >>> from symconv.symbols import i
    >>> _slice_formula(i, (1, -1, None), "crop"), _slice_formula(i, (None, None, 2), "s")
    (Max(0, i - 2), ceiling(i/2))
    """
    start, stop, step = (v if v is None or not isinstance(v, int) else sympy.Integer(v)
                         for v in bounds)
    step = sympy.Integer(1) if step is None else step
    if not step.is_Integer or step == 0:
        raise UsageError(f"slice at {where}: a step of {step} (a nonzero integer is needed)")

    def least(a: Any, b: Any) -> Any:
        """``Min(a, b)``, or the one shown (decided for every size) to be the smaller."""
        both = sympy.Min(a, b)
        if not isinstance(both, sympy.Min):
            return both
        free = sorted(both.free_symbols, key=str)
        for one, other in ((a, b), (b, a)):
            if decide(one, other, "<=", [], free, Budget(seconds=1.0)).holds is True:
                return one
        return both

    def from_start(v: Any) -> bool:
        if v.is_nonnegative:
            return True
        if v.is_negative:
            return False
        raise UsageError(f"slice at {where}: whether the bound {v} counts from the start or "
                         "the end is not known for every size; ask shapes(i) for a number")
    if step > 0:
        lo = 0 if start is None else least(start, x) if from_start(start) \
            else sympy.Max(0, x + start)
        hi = x if stop is None else least(stop, x) if from_start(stop) \
            else sympy.Max(0, x + stop)
        return sympy.Max(0, sympy.ceiling((hi - lo) / step))
    lo = x - 1 if start is None else sympy.Min(start, x - 1) if from_start(start) \
        else sympy.Max(0, x + start)     # ONNX's clamp: a start before the first is the first
    hi = -1 if stop is None else sympy.Min(stop, x - 1) if from_start(stop) \
        else sympy.Max(-1, x + stop)
    return sympy.Max(0, sympy.ceiling((lo - hi) / -step))


def _indices(bounds: Sequence[Any], x: int) -> tuple[int, int, int]:
    """``slice(start, stop, step).indices(x)`` as ONNX's Slice clamps it: as Python, but a
    start before the first index with a negative step is the first index (Slice-13:
    starts are clamped to ``[0, dims - 1]`` for negative stepping, so element 0 is kept;
    Python keeps none).  PyTorch's slices have positive steps.

    >>> _indices((-7, -8, -2), 3), slice(-7, -8, -2).indices(3)
    ((0, -1, -2), (-1, -1, -2))
    """
    start, stop, step = slice(*bounds).indices(x)
    if step < 0 and bounds[0] is not None and bounds[0] < -x:
        start = 0
    return start, stop, step


def _slice_length(bounds: tuple[int, int, int]) -> int:
    """``len(range(start, stop, step))`` for sizes of any magnitude.

    >>> _slice_length(slice(1, None, 2).indices(10**30)) == 10**30 // 2
    True
    """
    start, stop, step = bounds
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)


def _first_in(axis: Alignment, iv: tuple[int, int | None]) -> int | None:
    """The smallest size in the interval ``iv`` that ``axis`` accepts, or None."""
    lo, hi = iv
    for x in range(lo, lo + axis.period + len(axis.exceptions_below) + axis.start + 1):
        if hi is not None and x > hi:
            return None
        if x in axis:
            return x
    return None


def _nearest_in(axis: Alignment, lo: int, hi: int | None, t: int) -> int | None:
    """The size in ``lo..hi`` nearest ``t`` that ``axis`` accepts (ties: the smaller)."""
    if not axis.residues:               # a finite set: pick from it
        inside = [x for x in axis.exceptions_below if x >= lo and (hi is None or x <= hi)]
        return min(inside, key=lambda x: (abs(x - t), x), default=None)
    c = max(lo, t if hi is None else min(t, hi))
    reach = axis.period + len(axis.exceptions_below) + max(axis.start - c, 0) + 1
    for d in range(reach + 1):
        for x in (c - d, c + d):
            if x >= lo and (hi is None or x <= hi) and x in axis:
                return x
    return None


@dataclass(frozen=True)
class AcceptedSizes:
    """The input sizes a graph accepts, every axis together (:meth:`Graph.accepted_sizes`).

    ``axes`` holds each axis's own residue classes and bound; where a ``Linear`` after
    ``flatten`` couples the axes, ``blocks`` lists the per-axis intervals (``None`` for
    an open end) whose product of sizes gives its ``in_features``, and a size is
    accepted when every axis accepts it and some block holds it.

    >>> from symconv.chain import Layer
    >>> head = Graph((Node("c", "layer", ("x",), Layer("conv", k=3, s=2, F_i=1, F_o=2)),
    ...               Node("f", "flatten", ("c",)), Node("fc", "linear", ("f",), in_features=18)),
    ...              in_channels=1)
    >>> sizes = head.accepted_sizes()      # 2 channels times 3 x 3, 1 x 9 or 9 x 1
    >>> (7, 8) in sizes, (3, 20) in sizes, (5, 5) in sizes
    (True, True, False)
    """

    axes: tuple[Alignment, ...]
    linear: str | None = None
    in_features: int | None = None
    channels: int | None = None
    node: str | None = None
    blocks: tuple[Box, ...] | None = None
    excluded: tuple[tuple[str, Box], ...] = ()
    """Boxes of sizes refused although every axis accepts them: ``(node, per-axis
    intervals)`` where a ``norm`` node sees one element per channel."""
    refused: str | None = None
    """Why no block is left, where a node past the Linear refuses the features it gives
    (a second Linear of another ``in_features``)."""
    what: str = "Linear"
    """What couples the axes: a ``Linear``, or a size check (``BatchNorm1d num_features``
    after a flatten)."""

    def _sizes(self, target: Any) -> tuple[int, ...]:
        """``target`` as one Python int per axis; anything else is refused in one line."""
        got = tuple(target) if isinstance(target, (tuple, list)) else (target,) * len(self.axes)
        if len(got) != len(self.axes):
            raise UsageError(f"input size {got} has {len(got)} axes; the graph has "
                             f"{len(self.axes)}: give one value per axis")
        out = tuple(integer(v) for v in got)
        for v in out:
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise DomainError(f"input size must be a positive integer, got {v!r}")
        return out

    def __contains__(self, sizes: object) -> bool:
        if isinstance(sizes, list):
            sizes = tuple(sizes)
        if not isinstance(sizes, tuple):     # one size for every axis, as shapes(i) reads it
            sizes = (sizes,) * len(self.axes)
        if len(sizes) != len(self.axes):
            return False
        if not all(x in a for x, a in zip(sizes, self.axes, strict=True)):
            return False
        ints: tuple[int, ...] = tuple(integer(x) for x in sizes)   # each a member: an int
        if any(_in_box(ints, box) for _, box in self.excluded):
            return False
        return self.blocks is None or any(_in_box(ints, b) for b in self.blocks)

    def _regions(self) -> list[Box]:
        return list(self.blocks) if self.blocks is not None else \
            [tuple((1, None) for _ in self.axes)]

    def _candidates(self, pick: Any, regions: list[Box] | None
                    = None) -> list[tuple[int, ...]]:
        """Outside the excluded boxes: per region and axis, the size ``pick(axis, lo, hi)``
        chooses above each box's end on that axis (or anywhere); their products.  The
        boxes start at each axis's smallest size, so a size outside them all passes the
        end of one box on some axis: the best such size is among these."""
        out = []
        for region in self._regions() if regions is None else regions:
            per_axis = []
            for j, (a, (lo, hi)) in enumerate(zip(self.axes, region, strict=True)):
                ends = {lo} | {end + 1 for _, b in self.excluded if (end := b[j][1]) is not None}
                vals = {pick(j, a, e, hi) for e in ends if e >= lo and (hi is None or e <= hi)}
                per_axis.append(sorted(v for v in vals if v is not None))
            out += [c for c in itertools.product(*per_axis) if c in self]
        return out

    def smallest_of(self, block: Box) -> tuple[int, ...]:
        """The smallest accepted size of each axis within ``block`` (outside the excluded
        boxes: the one with the fewest elements)."""
        if self.excluded:
            cands = self._candidates(_first_pick, [block])
            return min(cands, key=lambda c: (math.prod(c), c))
        out = []
        for a, iv in zip(self.axes, block, strict=True):
            x = _first_in(a, iv)
            assert x is not None        # blocks are kept only when each axis has one
            out.append(x)
        return tuple(out)

    @property
    def smallest(self) -> tuple[int, ...] | None:
        """The accepted size with the fewest elements (product over axes; ties: the first
        in axis order), or None when no size is accepted."""
        if self.excluded:
            cands = self._candidates(_first_pick)
            return min(cands, key=lambda c: (math.prod(c), c), default=None)
        if self.blocks is None:
            corner = tuple(a.smallest for a in self.axes)
            return None if None in corner else corner     # type: ignore[return-value]
        corners = [self.smallest_of(b) for b in self.blocks]
        return min(corners, key=lambda c: (math.prod(c), c)) if corners else None

    def nearest(self, target: tuple[int, ...]) -> tuple[int, ...] | None:
        """The accepted size nearest ``target`` (sum of per-axis distances; ties: the
        smaller), or None when none is accepted.  ``target`` is one size per axis (an
        integer: the same on every axis), each a Python, numpy or sympy integer."""
        target = self._sizes(target)
        if self.excluded:
            cands = self._candidates(lambda j, a, lo, hi: _nearest_in(a, lo, hi, target[j]))
            return min(cands, key=lambda c: (sum(abs(x - t) for x, t in zip(c, target,
                                                                            strict=True)), c),
                       default=None)
        if self.blocks is None:
            near = tuple(a.nearest(t) for a, t in zip(self.axes, target, strict=True))
            return None if None in near else near     # type: ignore[return-value]
        best: tuple[int, ...] | None = None
        for b in self.blocks:
            pick = []
            for a, (lo, hi), t in zip(self.axes, b, target, strict=True):
                x = _nearest_in(a, lo, hi, t)
                if x is None:
                    break
                pick.append(x)
            else:
                cand = tuple(pick)
                if best is None or (sum(abs(x - t) for x, t in zip(cand, target, strict=True)),
                                    cand) < (sum(abs(x - t) for x, t in zip(best, target,
                                                                               strict=True)), best):
                    best = cand
        return best

    def text(self, most: int = 12) -> str:
        lines = self._text(most)
        for node, box in self.excluded:
            ranges = " and ".join(f"axis {j} in {lo}.." + ("" if hi is None else str(hi))
                                  for j, (lo, hi) in enumerate(box))
            lines.append(f"  except {ranges}: one element per channel at {node} (its "
                         "instance statistics need more than 1)")
        return "\n".join(lines)

    def _text(self, most: int) -> list[str]:
        if self.blocks is None:
            return [f"axis {j}: accepted: {a.text()}" for j, a in enumerate(self.axes)]
        if (self.in_features is not None and self.channels
                and self.in_features % self.channels == 0):
            head = (f"the {self.what} at {self.linear} takes {self.in_features} features: "
                    f"{self.channels} channels at {self.node} times sizes multiplying to "
                    f"{self.in_features // self.channels}")
        else:
            head = (f"the {self.what} at {self.linear} takes {self.in_features} features, "
                    f"not a multiple of the {self.channels} channels at {self.node}: no "
                    "input size")
        lines = [head]
        if self.refused is not None:
            lines.append(f"  but no input size passes: {self.refused}")
        for b in self.blocks[:most]:
            ranges = " and ".join(f"axis {j} in {lo}.." + ("" if hi is None else str(hi))
                                  for j, (lo, hi) in enumerate(b))
            lines.append(f"  {ranges}  (smallest {self.smallest_of(b)})")
        if len(self.blocks) > most:
            lines.append(f"  ... {len(self.blocks) - most} more blocks ({len(self.blocks)} in all)")
        if any(a.period > 1 or a.exceptions_below for a in self.axes):
            lines += [f"  and axis {j}: {a.text()}" for j, a in enumerate(self.axes)]
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"linear": self.linear, "in_features": self.in_features,
                "channels": self.channels, "node": self.node,
                "blocks": None if self.blocks is None else [[list(iv) for iv in b]
                                                            for b in self.blocks],
                "excluded": [{"node": node, "box": [list(iv) for iv in box]}
                             for node, box in self.excluded],
                "refused": self.refused}


def _first_pick(j: int, axis: Alignment, lo: int, hi: int | None) -> int | None:
    """The smallest size in ``lo..hi`` that ``axis`` accepts (a pick of ``_candidates``)."""
    return _first_in(axis, (lo, hi))


def _unanalysed(node: Node, j: int) -> str | None:
    """Why the sizes read from tensors on axis ``j`` of ``node`` may not grow with the
    input (None when they do).  Read are: a size (resize, adaptive) or a slice's stop
    (from 0, step 1) that is a nondecreasing function of one tensor's size (a size below
    1 is refused, on a prefix of the inputs; the stop is never negative, where Python
    would count from the end); and pads in ``constant`` mode that bring the node to another
    tensor's size (:func:`symconv._sizes.matched`).  The node's size is then that
    function, ``min`` of its input and the stop, or the other size: nondecreasing."""
    if not node.terms(j):
        return None
    if node.op == "pad":
        lo, hi = node.pads[j]
        if node.mode == "constant" and matched(lo, hi, node.inputs[0], j) is not None:
            return None
        return (f"pads ({text(lo)}, {text(hi)}) on axis {j} do not bring {node.inputs[0]} to "
                f"another tensor's size" + ("" if node.mode == "constant" else
                                            f" in constant mode ({node.mode} here)"))
    if node.op == "slice":
        start, stop, step_ = node.slices[j]     # type: ignore[misc]
        if start in (None, 0) and step_ in (None, 1) and is_term(stop) and \
                nondecreasing(stop, low=0):
            return None
        return f"slice {_slice_text(node.slices[j])} on axis {j}"   # type: ignore[arg-type]
    if nondecreasing(node.size[j]):     # below 1 it refuses: on a prefix of the inputs
        return None
    return f"size {text(node.size[j])} on axis {j}"


def _slice_text(sl: tuple[Any, Any, Any]) -> str:
    start, stop, step = ("" if v is None else text(v) for v in sl)
    return f"[{start}:{stop}" + (f":{step}]" if step else "]")


def _last_axis(sz: tuple[int, ...], axis: int | None, size: int) -> tuple[int, ...]:
    """The sizes after an op that sets the last axis to ``size``: in a run of one axis
    (every entry is that axis's size) all entries when it is the last, none otherwise."""
    if axis is None:
        return sz[:-1] + (size,)
    return (size,) * len(sz) if axis == len(sz) - 1 else sz


def _box_within(box: Box,
                other: Box) -> bool:
    return all(lo2 <= lo and (hi2 is None or hi is not None and hi <= hi2)
               for (lo, hi), (lo2, hi2) in zip(box, other, strict=True))


def _meets(box: Box,
           other: Box) -> bool:
    return all((hi is None or lo2 <= hi) and (hi2 is None or lo <= hi2)
               for (lo, hi), (lo2, hi2) in zip(box, other, strict=True))


def _in_box(sizes: tuple[int, ...], box: Box) -> bool:
    return all(lo <= x and (hi is None or x <= hi) for x, (lo, hi) in zip(sizes, box,
                                                                          strict=True))
