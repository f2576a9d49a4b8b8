"""``from_torch``: read an ``nn.Sequential`` into a :class:`~symconv.chain.Chain` without running it.

Conv1d/2d/3d, ConvTranspose1d/2d/3d, MaxPool/AvgPool 1d/2d/3d, Upsample with an
integer scale factor, and layers that keep the size (activations, normalisation,
dropout, Identity) are read, through nested ``nn.Sequential`` containers.  Anything
else raises a :class:`~symconv.errors.UsageError` naming the layer.  Every axis is
read: a non-square kernel, stride, padding or scale gives per-axis tuples, and the
chain's ``ndim`` is the layers' (Conv2d: 2).  torch is imported only here (the
optional extra ``symconv[torch]``).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ._evaluating import evaluated
from ._gate import as_int
from ._sizes import (
    MAX_SCALE_BITS,
    Arith,
    SizeOf,
    fraction_scale,
    is_term,
    refs,
    renamed,
    scaled,
    text,
)
from .chain import Chain, Layer
from .errors import DomainError, SymconvError, UsageError
from .graph import Graph, Node, node_params

__all__ = ["from_torch"]

#: modules that keep the shape whatever the layout: activations, dropout, identity
_ELEMENTWISE_MODULES = frozenset({
    "Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh",
    "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GELU", "Hardshrink", "LeakyReLU",
    "LogSigmoid", "Softplus", "Softshrink", "Softsign", "Tanhshrink", "Softmin", "Softmax",
    "LogSoftmax", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
    "FeatureAlphaDropout", "Identity"})
#: every size-keeping module symconv reads: the elementwise ones and those with rules of
#: their own on the channels (``_param_channels``), the rank (``_RANKS_TAKEN``) or the
#: elements per channel (``_instance_statistics``); ``LayerNorm``/``RMSNorm`` name the
#: last dimensions (read in a graph); a ``Lazy`` module reads as the one it becomes
_SIZE_KEEPING = _ELEMENTWISE_MODULES | {
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "GroupNorm",
    "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm", "RMSNorm",
    "LocalResponseNorm", "CrossMapLRN2d", "PReLU", "Softmax2d", "ChannelShuffle"}
#: torch.nn modules that change a shape in a way symconv does not read (the test of
#: completeness names every activation, norm and dropout module as read or one of these)
_NOT_SIZE_KEEPING = frozenset({"GLU", "MultiheadAttention"})
#: normalisation over the last dimensions, named by ``normalized_shape``
_LAST_DIM_NORMS = ("LayerNorm", "RMSNorm")


#: what may be done to pooled features viewed as a row (N, 1, C) (ECA-Net's attention)
_ROW_REFUSAL = ("on features viewed as a row (N, 1, F) for a convolution along the channels: "
                "not read (Conv1d(1, 1, k), elementwise ops, and the row transposed or viewed "
                "back are)")


def _torch_class(mod: Any) -> type:
    """The first class of PyTorch's own in a module's classes (``nn.Conv2d`` for a
    subclass of it; the module's own class for a module of no PyTorch kind).  The classes
    ``torch.nn.utils.parametrize`` makes (``weight_norm``'s ``ParametrizedConv2d``,
    subclassing the module's own class) are skipped: they are the user's class still."""
    return next((c for c in type(mod).__mro__ if c.__module__.startswith("torch.")
                 and c.__module__ != "torch.nn.utils.parametrize"), type(mod))


def _kind(mod: Any) -> str:
    """A module's kind: the name of its PyTorch class (a subclass's base), a lazy module's
    as the one it becomes."""
    return _torch_class(mod).__name__.removeprefix("Lazy")


_CALLED = ("forward", "_conv_forward", "__call__", "_call_impl")
"""The methods a module's call runs through: a class overriding one computes its own."""


def _own_forward(mod: Any) -> bool:
    """Whether a module computes its own ``forward`` rather than its PyTorch class's
    (``class Residual(nn.Sequential)`` adding its input back, a ``Conv2d`` that pads
    first, one overriding ``_conv_forward`` or ``__call__``, or an instance whose
    ``forward`` was replaced): read through what it runs, as a graph, never as the layer
    it derives."""
    base = _torch_class(mod)
    if "forward" in vars(mod):
        return True
    return any(getattr(type(mod), name, None) is not getattr(base, name, None)
               for name in _CALLED)


def _refuse_hooks(module: Any) -> None:
    """Forward hooks change what a module returns where its forward cannot show it (a
    hook cropping a convolution's output): refused, never read past."""
    import torch.nn.modules.module as nn_module
    if not isinstance(module, nn_module.Module):
        return                  # not a module: refused by the reader, as it was
    def users(hooks: Any) -> bool:      # PyTorch's own (a lazy module's, weight_norm's) aside
        return any(not str(getattr(h, "__module__", "") or "").startswith("torch.")
                   for h in (hooks or {}).values())
    if any(users(getattr(nn_module, g, None)) for g in ("_global_forward_hooks",
                                                       "_global_forward_pre_hooks")):
        raise UsageError("global forward hooks are registered "
                         "(nn.modules.module.register_module_forward_hook): symconv reads "
                         "what forward computes, not hooks; remove them to read the model")
    for name, m in module.named_modules():
        if users(getattr(m, "_forward_hooks", None)) or \
                users(getattr(m, "_forward_pre_hooks", None)):
            raise UsageError(f"module {name or '(root)'} ({type(m).__name__}) has forward "
                             "hooks: symconv reads what forward computes, not hooks; remove "
                             "them to read the model")


# torch.nn.functional's pools as torch.fx records them (return_indices=True: *_with_indices)
_POOL_FUNC = re.compile(r"(max|avg|lp)_pool[123]d(_with_indices)?|boolean_dispatch|_max_pool2d")
_ADAPTIVE_FUNC = re.compile(r"adaptive_(avg|max)_pool[123]d(_with_indices)?")


def _axes_of(fname: str) -> int:
    """The spatial axes a functional pool names (``max_pool3d_with_indices``: 3)."""
    m = re.search(r"pool([123])d", fname)
    return int(m.group(1)) if m else 2


def _instance_statistics(mod: Any) -> bool:
    """An InstanceNorm that normalises by the input's own statistics (PyTorch's
    ``use_input_stats``: training, or no running statistics), which need more than one
    element per channel at any batch size (a GroupNorm of one channel per group refuses
    it only at batch size 1: not modelled)."""
    return _kind(mod).startswith("InstanceNorm") and \
        (mod.training or not mod.track_running_stats)


def _param_channels(mod: Any) -> int | None:
    """The channel count a size-keeping module's parameters or running statistics are
    for, which PyTorch checks at every size: BatchNorm's and InstanceNorm's
    ``num_features`` (when affine or tracking statistics), an affine GroupNorm's
    ``num_channels``, a PReLU's ``num_parameters`` above 1; None when it takes any (a
    non-affine GroupNorm or a ChannelShuffle only needs its groups to divide the channels:
    ``_groups_of``)."""
    name = _kind(mod)
    if name.startswith(("BatchNorm", "InstanceNorm", "SyncBatchNorm")) and \
            (mod.affine or mod.track_running_stats):
        return int(mod.num_features) or None       # a lazy module: 0 until first run
    if name == "GroupNorm" and mod.affine:
        return int(mod.num_channels)
    if name == "PReLU" and mod.num_parameters > 1:
        return int(mod.num_parameters)
    return None


def _groups_of(mod: Any) -> int | None:
    """The number a size-keeping module's input channels must be a multiple of (a
    GroupNorm's ``num_groups``, a ChannelShuffle's ``groups``), which PyTorch checks at
    every size; None when it has none."""
    kind = _kind(mod)
    return int(mod.num_groups) if kind == "GroupNorm" else \
        int(mod.groups) if kind == "ChannelShuffle" else None


def _own_weights(mod: Any) -> int | None:
    """The parameters a size-keeping module holds itself (a norm's affine weight and
    bias; running statistics are buffers), as ``sum(p.numel() for p in parameters())``
    counts them; None (unknown) for a lazy module before its first run."""
    from torch.nn.parameter import UninitializedParameter
    own = list(mod.parameters(recurse=False))
    if any(isinstance(p_, UninitializedParameter) for p_ in own):
        return None
    return sum(int(p_.numel()) for p_ in own)


def _with_extra(made: list[Any], mod: Any, owner: dict[int, str]) -> list[Any]:
    """``made`` (a module's nodes, read at its first call) with the parameters the module
    holds beyond what the nodes count (their layer's ``params`` relation, a norm's own
    weights; nothing where they share an earlier node's) as ``extra`` on the last: a
    weight norm's magnitudes ``g`` beside ``v``, a layer's own bias beside a weight that
    is another module's.  So the total is ``sum(p.numel() for p in parameters())``, each
    parameter once; a lazy module (unknown counts) is left as it is."""
    from torch.nn.parameter import UninitializedParameter
    held = [p_ for p_ in mod.parameters() if id(p_) not in owner]
    if any(isinstance(p_, UninitializedParameter) for p_ in held):
        return made
    counted = 0
    ks = getattr(mod, "kernel_size", None)
    n = len(ks) if isinstance(ks, tuple) and ks else 1
    for nd in made:
        params = 0 if nd.shares else node_params(nd, nd.layer.axes or n if nd.layer else n)
        if params is None:
            return made
        counted += params
    extra = sum(int(p_.numel()) for p_ in held) - counted
    return [*made[:-1], replace(made[-1], extra=extra)] if extra else made


def _check_channels(module: Any) -> None:
    """PyTorch's channel rule along a Sequential: each layer takes the channels the one
    before it gives (a convolution's ``in_channels``, a norm's ``num_features``); a model
    that breaks it runs at no size, and is refused: ``Sequential(Conv2d(1, 2, 3),
    BatchNorm2d(3))`` gives "layer 1 (BatchNorm2d) takes 3 channels, layer 0 gives 2"."""
    given: tuple[int, str] | None = None
    for path, mod in module.named_modules(remove_duplicate=False):    # repeats run too
        convolves = hasattr(mod, "in_channels") and hasattr(mod, "out_channels")
        # a lazy module's in_channels is 0 until its first run: it takes any
        takes = (int(mod.in_channels) or None) if convolves else _param_channels(mod)
        if takes is not None and given is not None and takes != given[0]:
            raise DomainError(f"layer {path} ({type(mod).__name__}) takes {takes} channels, "
                              f"{given[1]} gives {given[0]}: PyTorch refuses the model at every "
                              "size")
        groups = None if convolves else _groups_of(mod)
        if groups is not None and given is not None and given[0] % groups:
            raise DomainError(f"layer {path} ({type(mod).__name__}) takes channels in {groups} "
                              f"groups, {given[1]} gives {given[0]}: PyTorch refuses the model "
                              "at every size")
        if convolves:
            given = (int(mod.out_channels), f"layer {path}")
        elif takes is not None and given is None:
            given = (takes, f"layer {path}")


def _dims(name: str) -> int | None:
    for n in (1, 2, 3):
        if name.endswith(f"{n}d"):
            return n
    return None


def _axes(v: Any, n: int, path: str, what: str) -> Any:
    """A per-axis tuple of ``n`` values (an int stays an int: the same on every axis)."""
    if isinstance(v, (tuple, list)):
        if len(v) == 1:
            return v[0]
        if len(v) != n:
            raise UsageError(f"layer {path}: {what} {tuple(v)} has {len(v)} axes, not {n}")
        return tuple(v)
    return v


def _conv_layer(module: Any, n: int, path: str) -> Layer:
    """A ``Conv{n}d`` module's layer, its padding as the module gives it."""
    pad = module.padding if isinstance(module.padding, str) else \
        _axes(module.padding, n, path, "padding")
    return Layer("conv", k=_axes(module.kernel_size, n, path, "kernel_size"),
                 s=_axes(module.stride, n, path, "stride"), p=pad,
                 d=_axes(module.dilation, n, path, "dilation"), name=path,
                 F_i=module.in_channels or None, F_o=module.out_channels, g=module.groups,
                 bias=module.bias is not None)


#: the numbers of spatial axes a size-keeping layer takes: its own (batched) and, where
#: PyTorch reads an input of one dimension fewer as unbatched (or warns and goes on), one
#: fewer; 0 is a flattened (N, features) input
_RANKS_TAKEN = {"BatchNorm1d": (0, 1), "BatchNorm2d": (2,), "BatchNorm3d": (3,),
                "InstanceNorm1d": (0, 1), "InstanceNorm2d": (1, 2), "InstanceNorm3d": (2, 3),
                "Dropout1d": (0, 1), "Dropout2d": (1, 2), "Dropout3d": (2, 3),
                "Softmax2d": (1, 2), "CrossMapLRN2d": (2,), "LocalResponseNorm": (1, 2, 3)}


def _rank_refusal(where: str, kind: str, n: int) -> UsageError | None:
    """The refusal of a size-keeping layer ``kind`` on ``n`` spatial axes, or None."""
    taken = _RANKS_TAKEN.get(kind.removeprefix("Lazy"))
    if taken is None or n in taken:
        return None
    return UsageError(f"{where} ({kind}) takes {' or '.join(map(str, taken))} spatial axes, "
                      f"here {n}: PyTorch refuses it at every size")


#: size-keeping ops that take a ``dim`` (PyTorch checks it against the tensor's rank)
_DIM_TAKING = ("softmax", "log_softmax", "softmin", "Softmax", "Softmin", "LogSoftmax")


def _dim_refusal(where: str, what: str, dims: Any, rank: int) -> UsageError | None:
    """The refusal of ``dims`` (an int or ints) out of range for a ``rank``-d tensor, or
    None: PyTorch refuses such a dim at every size ('Dimension out of range')."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    bad = [v for v in dims if not -rank <= v < rank]
    if not bad:
        return None
    return UsageError(f"{where} ({what}): dim {bad[0]} is out of range for a {rank}-d tensor "
                      f"({-rank}..{rank - 1}): PyTorch refuses it at every size "
                      "('Dimension out of range')")


def _holds_none(module: Any, path: str, chain: Any) -> None:
    """Refuse a chain of a container, pooling or upsampling layer that holds parameters
    of its own (registered on it): a chain counts none there, the graph reader counts
    them (``chain`` None: the graph reader is reading the module)."""
    if chain is not None and any(True for _ in module.parameters(recurse=False)):
        raise UsageError(f"layer {path or '(root)'} holds parameters of its own: read in a "
                         "graph")


def _all_counted(layer: Layer, module: Any, n: int, chain: Any) -> Layer:
    """``layer`` when its ``params`` relation counts every parameter ``module`` holds;
    else a refusal that sends the model to the graph reader, which counts the rest
    (``weight_norm``'s magnitudes ``g`` beside ``v``, a parameter registered on the
    layer), so the total stays ``sum(p.numel() for p in parameters())``.  ``chain`` is
    None when the graph reader reads the module (it counts the rest itself)."""
    from torch.nn.parameter import UninitializedParameter
    held = list(module.parameters())
    if chain is None or layer.F_i is None or any(isinstance(p_, UninitializedParameter) for p_ in held):
        return layer                    # a lazy layer: its counts are unknown anyway
    if sum(int(p_.numel()) for p_ in held) != layer.count(1, 1, n)[0]:
        raise UsageError(f"layer {layer.name} holds parameters beyond its weight and bias: "
                         "read in a graph")
    return layer


def _layers(module: Any, path: str, dims: list[int],
            kept: list[tuple[str, str]] | None = None) -> list[Layer]:
    import torch.nn as nn
    name = _kind(module)
    n = _dims(name)
    if _kind(module) in _RANKS_TAKEN and kept is not None:
        kept.append((path, name))       # checked against the axes the other layers give
    elif n is not None:
        dims.append(n)
    if isinstance(module, nn.Sequential):
        out: list[Layer] = []
        _holds_none(module, path, kept)
        # every entry, as Sequential.forward runs them (named_children drops a repeat)
        for child_name, child in module._modules.items():
            if child is not None:
                out += _layers(child, f"{path}.{child_name}" if path else child_name, dims,
                               kept)
        return out
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        assert n is not None
        if module.padding_mode != "zeros":
            # padded in that mode first: a pad node of a graph (read there)
            raise UsageError(f"layer {path} ({name}): padding_mode={module.padding_mode!r} "
                             "is read in a graph")
        return [_all_counted(_conv_layer(module, n, path), module, n, kept)]
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        assert n is not None
        if isinstance(module.padding, str) or any(isinstance(v, str) for v in module.padding):
            # ConvTranspose2d(padding='same') stores ('s', 'a', 'm', 'e'), and PyTorch
            # refuses it at its first call
            raise DomainError(f"layer {path} ({name}): a transposed convolution takes integer "
                              f"padding only, got {''.join(map(str, module.padding))!r} "
                              "(PyTorch refuses it at every size): give the padding per side")
        return [_all_counted(Layer("conv_transpose", k=_axes(module.kernel_size, n, path, "kernel_size"),
                      s=_axes(module.stride, n, path, "stride"),
                      p=_axes(module.padding, n, path, "padding"),
                      d=_axes(module.dilation, n, path, "dilation"),
                      a=_axes(module.output_padding, n, path, "output_padding"),
                      name=path, F_i=module.in_channels or None, F_o=module.out_channels,
                      g=module.groups, bias=module.bias is not None), module, n, kept)]
    if isinstance(module, (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d,
                           nn.AvgPool3d)):
        assert n is not None
        if getattr(module, "divisor_override", None) == 0:
            raise UsageError(f"layer {path} ({name}): divisor_override=0: PyTorch refuses it "
                             "at every size ('divisor must be not zero'); give None or a "
                             "positive divisor")
        if getattr(module, "return_indices", False) and kept is not None:
            # it returns (values, indices): what follows takes the pair (PyTorch refuses
            # it), read in a graph
            raise UsageError(f"layer {path} ({name}) returns (values, indices): read in a "
                             "graph")
        _holds_none(module, path, kept)
        stride = module.stride if module.stride not in (None, ()) else module.kernel_size
        return [Layer("pool", k=_axes(module.kernel_size, n, path, "kernel_size"),
                      s=_axes(stride, n, path, "stride"),
                      p=_axes(module.padding, n, path, "padding"),
                      d=_axes(getattr(module, "dilation", 1), n, path, "dilation"),
                      ceil_mode=bool(module.ceil_mode), name=path,
                      fits_kernel=isinstance(module, nn.AvgPool3d),
                      average=isinstance(module, (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)))]
    if isinstance(module, (nn.LPPool1d, nn.LPPool2d, nn.LPPool3d)):
        # PyTorch computes it through avg_pool with no padding: the same sizes
        assert n is not None
        _holds_none(module, path, kept)
        stride = module.stride if module.stride not in (None, ()) else module.kernel_size
        return [Layer("pool", k=_axes(module.kernel_size, n, path, "kernel_size"),
                      s=_axes(stride, n, path, "stride"), p=0,
                      ceil_mode=bool(module.ceil_mode), name=path,
                      fits_kernel=isinstance(module, nn.LPPool3d))]
    if isinstance(module, nn.Upsample):
        _holds_none(module, path, kept)
        f = module.scale_factor
        fs: tuple[Any, ...] = tuple(f) if isinstance(f, (tuple, list)) else (f,)
        if module.size is not None or f is None or any(x is None or float(x) != int(x)
                                                       for x in fs):
            raise UsageError(f"layer {path} ({name}): only an integer scale_factor is supported")
        ints = tuple(int(x) for x in fs)
        if isinstance(f, (tuple, list)):
            dims.append(len(fs))    # PyTorch takes one factor per spatial axis, or one for all
        if module.mode in _MODE_AXES:   # trilinear: 3 spatial axes, or PyTorch refuses
            dims.append(_MODE_AXES[module.mode])
        return [Layer("upsample", factor=ints if len(ints) > 1 else ints[0], name=path)]
    if _kind(module) in _SIZE_KEEPING:
        if name in _LAST_DIM_NORMS:
            # its normalized_shape names the last dimensions: read in a graph, where the
            # reader knows whether they are spatial
            raise UsageError(f"layer {path} ({name}) is read in a graph")
        if _instance_statistics(module):
            # its rule needs every axis at once (more than one element per channel): a
            # chain's layers act per axis, so the model is read as a graph
            raise UsageError(f"layer {path} ({name}) needs the axes together")
        return [Layer("identity", name=path, weights=_own_weights(module))]
    raise UsageError(f"layer {path or '(root)'} ({name}) is not supported by from_torch: "
                     "Conv, ConvTranspose, MaxPool/AvgPool, Upsample, activations, "
                     "normalisation, dropout and nested Sequential are")


@evaluated
def from_torch(module: Any, axis: int | None = None, ndim: int | None = None,
               example_input_shape: Any = None) -> Any:
    """The N-d chain of an ``nn.Sequential`` of size rules (every axis read, ``ndim`` from
    its layers), else the :class:`~symconv.graph.Graph` of any module whose forward
    traces with ``torch.fx`` (:func:`graph_from_torch`).

    ``axis=j`` gives the chain's rules on spatial axis ``j`` only (:meth:`Chain.axis`);
    its params, MACs and flattened sizes are left unknown, as they need every axis.
    """
    try:
        import torch.nn as nn
    except ImportError:
        raise UsageError("from_torch needs torch: pip install 'symconv[torch]'") from None
    if not isinstance(module, nn.Module):
        raise UsageError(f"from_torch reads a PyTorch model, an nn.Module (nn.Sequential or one "
                         f"whose forward torch.fx traces), got {type(module).__name__}: "
                         "pass the model itself")
    if axis is not None:
        axis = as_int("axis", axis, 0)
    dims: list[int] = []
    kept: list[tuple[str, str]] = []
    try:
        if not isinstance(module, nn.Sequential) or example_input_shape is not None:
            raise UsageError("not a Sequential")
        _refuse_hooks(module)
        if len(list(module.named_parameters(remove_duplicate=False))) != \
                len(list(module.parameters())):
            # a layer with weights run twice (Sequential(c, relu, c), [block] * n) or a
            # weight two layers share: the graph reader counts it once, as sum(p.numel())
            # does (a shared ReLU holds none: the chain reads every entry, repeats too)
            raise UsageError("a module holding parameters runs twice, or layers share one")
        if any(_own_forward(m) for m in module.modules()):
            raise UsageError("a forward of its own")
        if any(isinstance(m, nn.Upsample) and m.mode in _MODE_AXES for m in module.modules()):
            # a chain's upsampling is nearest (one input unit per output unit, as its
            # receptive field reads it): an interpolation is read as a graph node
            raise UsageError("an interpolation")
        layers = _layers(module, "", dims, kept)
    except RecursionError:
        raise UsageError("the module is nested too deeply to read (Sequential inside "
                         "Sequential beyond Python's recursion limit)") from None
    except UsageError as why:
        if axis is not None:
            raise UsageError("axis= is for chains (nn.Sequential of size rules); this model is "
                             f"read as a graph ({why}), which answers every axis") from None
        return graph_from_torch(module, example_input_shape,
                                None if ndim is None else as_int("ndim", ndim, 1))
    found = sorted(set(dims))
    if len(found) > 1:
        raise UsageError(f"the model mixes {found}-d layers: one number of spatial axes per chain")
    if ndim is not None and found and found[0] != ndim:
        raise UsageError(f"ndim={ndim} but the model's layers are {found[0]}-d")
    if not found and not ndim and kept:     # only size-keeping layers: their own axes
        found = [_dims(kept[0][1]) or 2]
    _check_channels(module)
    chain = Chain(tuple(layers), ndim=ndim or (found[0] if found else None))
    for path, kind in kept:
        refusal = _rank_refusal(f"layer {path}", kind, chain.ndim or 2)
        if refusal is not None:
            raise refusal
    for path, m in module.named_modules():
        if _kind(m) in _DIM_TAKING and isinstance(m.dim, int) and (
                refusal := _dim_refusal(f"layer {path}", _kind(m), m.dim,
                                        (chain.ndim or 2) + 2)) is not None:
            raise refusal
    return chain.axis(axis) if axis is not None else chain


# --- any nn.Module, through torch.fx -------------------------------------------------

_ELEMENTWISE_FUNCS = ("relu", "relu_", "relu6", "gelu", "silu", "sigmoid", "tanh", "leaky_relu",
                      "hardswish", "elu", "mish", "dropout", "softmax", "batch_norm",
                      "group_norm", "instance_norm", "contiguous", "clone", "neg",
                      "abs", "exp", "sqrt", "clamp", "clamp_", "clip", "square", "rsqrt", "log",
                      "log1p", "expm1", "sin", "cos", "erf", "reciprocal", "floor", "ceil", "round",
                      "sign", "softplus", "softsign", "hardtanh", "hardsigmoid", "selu", "celu",
                      "prelu", "log_softmax", "softmin", "float", "half", "double", "int", "long", "bool",
                      "to", "type_as", "detach", "relu6", "sigmoid_", "tanh_", "hardswish_",
                      "silu_", "gelu_",
                      # torchvision's stochastic depth (EfficientNet, ConvNeXt): input * a
                      # per-sample 0 or 1 / (1 - p), the input's shape
                      "stochastic_depth")

# elementwise methods whose tensor operand lends only its dtype and device (x.to(y),
# x.type_as(y)): no broadcast, the first operand's shape
_DTYPE_ONLY = ("to", "type_as")

# functional norms: their parameters after the input, in order (their channel counts are
# checked; instance statistics need more than one element per channel)
_FUNCTIONAL_NORMS = {
    "batch_norm": ("running_mean", "running_var", "weight", "bias", "training"),
    "instance_norm": ("running_mean", "running_var", "weight", "bias", "use_input_stats"),
    "group_norm": ("num_groups", "weight", "bias"),
}

# binary ops: two tensors broadcast as a merge ("add": x - y too; the rest as "mul")
_MERGES = {"add": "add", "iadd": "add", "add_": "add", "sub": "add", "isub": "add",
           "sub_": "add", "mul": "mul", "imul": "mul", "mul_": "mul", "truediv": "mul",
           "itruediv": "mul", "div": "mul", "div_": "mul", "floordiv": "mul", "pow": "mul",
           "maximum": "mul", "minimum": "mul"}
# reductions over every spatial axis: keepdim gives 1 x ... x 1, else (N, C)
_REDUCTIONS = ("mean", "sum", "amax", "amin", "std", "var", "logsumexp")
# std and var take unbiased before keepdim: x.std(1, True) keeps no dimension
_REDUCTION_ARGS = {f: ["input", "dim", "unbiased", "keepdim"] for f in ("std", "var")}


def _leading_args(fn: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A call's arguments with those given by keyword before the first one left out moved
    to their places (``torch.cat(tensors=[x, y], dim=1)`` as ``torch.cat([x, y], 1)``), so
    the readers find the input first; what is not written keeps its default."""
    import inspect

    from torch.fx.operator_schemas import get_signature_for_torch_op
    try:
        found = get_signature_for_torch_op(fn.target) or [inspect.signature(fn.target)]
    except (TypeError, ValueError):     # no signature to read: left as written
        found = []
    args, kw = list(fn.args), dict(fn.kwargs)
    for sig in found:       # overloads (padding an int list or a string) share their order
        names = [n for n, p in sig.parameters.items()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if not set(kw) <= set(sig.parameters):
            continue
        for pname in names[len(args):]:
            if pname not in kw:
                break
            args.append(kw.pop(pname))
        break
    return tuple(args), kw


def _tuple_axes(*values: Any) -> set[int]:
    """The numbers of spatial axes a resize's tuples state: PyTorch refuses a ``size`` or
    ``scale_factor`` tuple whose length is not the input's spatial axes (a 1-tuple too:
    ``scale_factor=(3.0,)`` is 1-d, where ``3.0`` is any number of axes)."""
    return {len(v) for v in values if isinstance(v, (tuple, list))}


def _graph_module_nodes(mod: Any, name: str, src: str) -> list[Any]:
    """The graph nodes of a leaf module (or a UsageError naming it): one, or a ``pad``
    node before a convolution whose ``padding_mode`` is not zeros (PyTorch pads in that
    mode, then convolves without padding; the mode's own rule applies: reflect needs the
    padding below the size, circular at most the size)."""
    import torch.nn as nn

    if isinstance(mod, (nn.Conv1d, nn.Conv2d, nn.Conv3d)) and mod.padding_mode != "zeros":
        if mod.padding_mode not in _PAD_MODULES.values():
            raise UsageError(f"node {name} ({type(mod).__name__}): padding_mode "
                             f"{mod.padding_mode!r} is not read")
        n = len(mod.kernel_size)
        conv = _conv_layer(mod, n, name)
        # the layer's own padding (its 'same' through the framework preset), at a size
        # its kernel fits ('valid' checks the fit): PyTorch's string paddings do not
        # depend on the size
        pads = tuple(conv.at(j).pads(conv.at(j).d * (conv.at(j).k - 1) + 1) for j in range(n))
        return [Node(f"{name}.pad", "pad", (src,), pads=pads, source=_kind(mod),
                     mode=mod.padding_mode),
                Node(name, "layer", (f"{name}.pad",), replace(conv, p=0),
                     source=_kind(mod))]
    return [_graph_module_node(mod, name, src)]


def _keeps_axes_only_in_2d_3d(size: Any, one_d: bool, where: str) -> None:
    """Refuse ``None`` (keep the axis) in a 1-d adaptive pool's size: PyTorch's 2-d and 3-d
    adaptive pools take it, the 1-d ones raise (``must be tuple of ints``)."""
    if one_d and any(v is None for v in size):
        raise UsageError(f"{where}: output size None on a 1-d adaptive pool, which PyTorch "
                         "refuses (None keeps an axis in the 2-d and 3-d ones); give the size")


def _graph_module_node(mod: Any, name: str, src: str) -> Any:
    """A graph node for a leaf module (or a UsageError naming it)."""
    import torch.nn as nn

    kind = _kind(mod)
    n = _dims(kind) or 2
    if isinstance(mod, nn.Linear):
        # a LazyLinear's in_features is 0 until its first run makes it: None, any
        return Node(name, "linear", (src,), in_features=mod.in_features or None,
                    out_features=mod.out_features, bias=mod.bias is not None, source=kind)
    if isinstance(mod, nn.Flatten):
        if mod.start_dim != 1 or mod.end_dim != -1:
            raise UsageError(f"node {name} ({kind}): only Flatten(start_dim=1) is read")
        return Node(name, "flatten", (src,), source=kind)
    if isinstance(mod, nn.Unflatten):
        shape = tuple(mod.unflattened_size)
        if mod.dim not in (1, -1) or len(shape) < 2 or not all(
                isinstance(v, int) and (v > 0 or j == 0 and v == -1) for j, v in enumerate(shape)):
            raise UsageError(f"node {name} ({kind}): dim={mod.dim}, unflattened_size={shape}: "
                             "read on features (N, F) as (C, fixed sizes), C a number or -1")
        return Node(name, "unflatten", (src,), size=shape[1:], source=kind,
                    channels=shape[0] if shape[0] > 0 else None)
    if isinstance(mod, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d,
                        nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d)):
        size: Any = mod.output_size
        size = tuple(size) if isinstance(size, (tuple, list)) else (size,) * n
        _keeps_axes_only_in_2d_3d(size, kind.endswith("1d"), f"node {name} ({kind})")
        return Node(name, "adaptive", (src,), size=size, source=kind)
    fs = getattr(mod, "scale_factor", None) if isinstance(mod, nn.Upsample) else None
    if fs is not None and mod.size is not None:
        raise UsageError(f"node {name} ({kind}): both size and scale_factor; PyTorch refuses "
                         "it (only one of size or scale_factor should be defined)")
    fs = tuple(fs) if isinstance(fs, (tuple, list)) else (fs,)
    if isinstance(mod, nn.Upsample) and mod.size is None and None not in fs and \
            any(float(v) != int(v) for v in fs):
        return _scaled_node(name, src, fs, kind)        # integer factors: a layer (below)
    if isinstance(mod, nn.Upsample) and mod.size is not None:
        size = mod.size             # an int is every axis's size, whatever their number
        size = tuple(size) if isinstance(size, (tuple, list)) else (size,)
        return Node(name, "resize", (src,), size=size, source=kind)
    if isinstance(mod, nn.PixelShuffle):
        return Node(name, "pixel_shuffle", (src,), factor=mod.upscale_factor, source=kind)
    if isinstance(mod, nn.PixelUnshuffle):
        return Node(name, "pixel_unshuffle", (src,), factor=mod.downscale_factor, source=kind)
    if isinstance(mod, (nn.ZeroPad1d, nn.ZeroPad2d, nn.ZeroPad3d, nn.ConstantPad1d,
                        nn.ConstantPad2d, nn.ConstantPad3d)):
        return Node(name, "pad", (src,), pads=_torch_pads(tuple(mod.padding), name), source=kind)
    for prefix, mode in _PAD_MODULES.items():
        if kind.startswith(prefix) and _dims(kind) is not None:
            return Node(name, "pad", (src,), pads=_torch_pads(tuple(mod.padding), name),
                        source=kind, mode=mode)
    layers = _layers(mod, name, [])
    if len(layers) != 1:
        raise UsageError(f"node {name} ({kind}): a container is read through its forward")
    return Node(name, "layer", (src,), layers[0], source=kind)


_PAD_MODULES = {"ReflectionPad": "reflect", "ReplicationPad": "replicate",
                "CircularPad": "circular"}
"""PyTorch's padding modules and the ``F.pad`` mode each is."""


_MODE_AXES = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
"""``F.interpolate`` modes that name the number of spatial axes."""

_SIZE_ARITH = {operator.add: "+", operator.sub: "-", operator.mul: "*", operator.floordiv: "//",
               operator.mod: "%"}
"""Python's integer operators on sizes read from tensors, as torch.fx records them."""


@dataclass(frozen=True)
class _Dims:
    """``x.shape[start:stop]``: sizes of a tensor numbered once its rank is known."""

    src: str
    start: int | None
    stop: int | None

    def sizes(self, rank: int, where: str) -> tuple[SizeOf, ...]:
        dims = range(rank)[self.start:self.stop]
        if not dims or min(dims) < 2:
            raise UsageError(f"node {where}: {self.src}.shape[{self.start or ''}:"
                             f"{self.stop if self.stop is not None else ''}] holds "
                             "the batch or channel count; a spatial size is read (shape[2:])")
        return tuple(SizeOf(self.src, d - 2) for d in dims)


@dataclass(frozen=True)
class _Scaled:
    """A resize by a scale factor that is not an integer: PyTorch's size is
    ``floor(i * scale)`` (a double product), per axis or one for every axis."""

    src: str
    factors: tuple[Fraction, ...]

    def sizes(self, n_ax: int, where: str) -> tuple[Any, ...]:
        factors = self.factors * n_ax if len(self.factors) == 1 else self.factors
        if len(factors) != n_ax:
            raise UsageError(f"node {where}: {len(factors)} scale factors for {n_ax} axes")
        return tuple(scaled(SizeOf(self.src, j), f) for j, f in enumerate(factors))


@dataclass(frozen=True)
class _Channels:
    """``x.size(1)``: a channel count, refused where it would size something."""

    src: str


@dataclass(frozen=True)
class _ChannelGroup:
    """``x.size(1) // groups``: the channels per group of a channel shuffle's view."""

    src: str
    groups: int


def _shown(term: Any) -> str:
    """A view's dimension as written: ``N`` (the batch size), a number, ``x.size(1)``."""
    if isinstance(term, _Channels):
        return f"{term.src}.size(1)"
    if isinstance(term, _ChannelGroup):
        return f"{term.src}.size(1) // {term.groups}"
    return text(term) if is_term(term) else str(term)


def _scaled_node(name: str, src: str, scales: tuple[Any, ...], source: str) -> Node:
    """A resize by scale factors that are not all integers: ``floor(i * scale)``."""
    fracs = tuple(fraction_scale(v) for v in scales)
    if None in fracs:
        bad = next(v for v, f in zip(scales, fracs, strict=True) if f is None)
        raise UsageError(f"node {name} ({source}): scale_factor {bad!r} is not read: PyTorch's "
                         f"size is floor(i * {bad!r}) in floating point, exact here for a "
                         f"scale m / 2**e with m, 2**e at most 2**{MAX_SCALE_BITS} (0.5, 0.75, "
                         "1.5); give the size instead")
    return Node(name, "resize", (src,), size=(_Scaled(src, fracs),),  # type: ignore[arg-type]
                source=source)


def _torch_pads(pad: tuple[int, ...], name: str) -> tuple[tuple[int, int], ...]:
    """F.pad's (last-axis left, right, previous-axis left, right, ...) as per-axis pairs."""
    if len(pad) % 2:
        raise UsageError(f"node {name}: pad {pad} has an odd length")
    pairs = [(pad[n], pad[n + 1]) for n in range(0, len(pad), 2)]
    return tuple(reversed(pairs))


def _input_channels(nodes: list[Any], inp: str = "x") -> int | None:
    """The input's channel count: ``in_channels`` of a convolution that reads the input
    through nodes that keep the channels (pads, slices, pools, resizes), or None when
    none does (a first op that joins channels, as ``torch.cat([x, x], 1)``, or keeps a
    part of them, ``x[:, 1:3]``, says nothing)."""
    by_name = {nd.name: nd for nd in nodes}
    for nd in nodes:
        if nd.layer is None or nd.layer.F_i is None:
            continue
        src, seen = nd.inputs[0], {nd.name}
        while src not in seen and (
                src in by_name and by_name[src].op in ("identity", "norm", "pad", "slice",
                                                       "adaptive", "resize")
                and not by_name[src].part or src in by_name and by_name[src].op == "layer" and
                by_name[src].layer.kind in ("pool", "upsample", "identity")):
            seen.add(src)       # a walk back through the graph: each node once
            src = by_name[src].inputs[0]
        if src == inp:
            return int(nd.layer.F_i)
    return None


def _with_channels_taken(graph: Graph) -> Graph:
    """``graph`` with its input's channel count where its layers take exactly one (a
    ``torch.cat([x, x], 1)`` into a Conv taking 2: 1), as it was; refused where they take
    none.  A count ``C`` reaches a layer as ``a C + b`` with ``a >= 1`` (joins, merges,
    convolutions) or divided by a pixel shuffle's ``r^n``, so every count a layer takes is
    at most its ``in_channels`` (or ``num_features``) times those factors."""
    wants = [nd.layer.F_i for nd in graph.nodes if nd.layer is not None and nd.layer.F_i] + \
        [nd.takes for nd in graph.nodes if nd.takes] + \
        [nd.in_features for nd in graph.nodes if nd.op == "linear" and nd.in_features]
    if not wants:
        return graph
    bound = max(wants)
    for nd in graph.nodes:
        if nd.op == "pixel_shuffle":
            bound *= nd.factor ** (graph.ndim or 1)
        elif nd.part == ("reduce",):    # any count gives one: one more shows it
            bound += 1
        elif nd.part and nd.part[0] == "conv":  # C in gives at least (C - d(k - 1)) / s out
            conv_ = nd.part[1]
            bound = bound * conv_.s + conv_.d * (conv_.k - 1)
        elif nd.part:       # a part of the channels: more of them may be needed
            kind, arg, *rest = nd.part
            if kind == "chunk":
                bound = bound * arg + arg
            elif kind == "split":
                bound += arg * (abs(rest[0]) + 1)
            elif kind == "sizes":
                bound = max(bound, sum(arg))
            else:
                bound = (bound + max(abs(v) for v in (arg, *rest[:1]) if v is not None)
                         if arg is not None or rest[0] is not None else bound) * \
                    abs(rest[1] or 1)
    taken: list[Graph] = []
    first = None
    for c in range(1, min(bound, 1 << 16) + 1):
        with_c = replace(graph, in_channels=c)
        why = with_c.refusal() or with_c.constant_refusal()
        if why is None:
            taken.append(with_c)
            if len(taken) > 1:
                return graph        # several counts: it stays unknown
        elif first is None:
            first = why
    if not taken:
        raise DomainError(f"no input channel count passes every layer (1 to {bound} tried; "
                          f"with 1: {first}): PyTorch refuses the model at every size")
    return taken[0]


def _unreached(module: Any, traced: Any) -> str:
    """What the counts leave out: the modules holding parameters that ``forward`` does
    not reach (GoogLeNet's auxiliary heads in eval mode), named by their highest module
    whose parameters all go unused, or ``""``."""
    import torch
    # a parameter read only by code whose result reaches no output (z = self.u * 2, unused)
    # is counted by no node: named here too
    live: set[Any] = set()
    todo = [fn for fn in traced.graph.nodes if fn.op == "output"]
    while todo:
        fn = todo.pop()
        if fn not in live:
            live.add(fn)
            todo.extend(fn.all_input_nodes)
    used: set[int] = set()
    for fn in traced.graph.nodes:
        if fn.op == "call_module":
            used |= {id(p) for p in traced.get_submodule(str(fn.target)).parameters()}
        elif fn.op == "get_attr" and fn in live:
            obj = traced
            for part in str(fn.target).split("."):
                obj = getattr(obj, part)
            used.add(id(obj))
    params = list(module.named_parameters())
    left = [(n, p) for n, p in params if id(p) not in used]
    if not left:
        return ""
    unused = {n for n, _ in left}
    owners: list[str] = []
    for n, _ in left:
        parts = n.split(".")
        # the highest module all of whose parameters go unused
        for k in range(1, len(parts)):
            prefix = ".".join(parts[:k])
            if all(m in unused for m, _ in params if m.startswith(prefix + ".")):
                break
        else:
            prefix = n
        if prefix not in owners:
            owners.append(prefix)
    count = sum(int(p.numel()) for _, p in left
                if not isinstance(p, torch.nn.parameter.UninitializedParameter))
    named = ", ".join(owners[:6]) + (f" and {len(owners) - 6} more" if len(owners) > 6 else "")
    total = sum(int(p.numel()) for _, p in params
                if not isinstance(p, torch.nn.parameter.UninitializedParameter))
    return (f"params and MACs count what forward runs: {named} ({count} parameters) are not "
            f"reached in {'training' if module.training else 'eval'} mode; "
            f"sum(p.numel()) is {total}")


def _swap_refusal(node: str, dims: tuple[Any, ...], n: int) -> UsageError:
    """``x.transpose(1, 2)`` (or ``(-2, -1)``) of an ``n``-d map, ``n > 1``: not the
    channels to the last dimension (a 1-d map's), which no layer symconv reads takes."""
    a, b = sorted(v % (n + 2) for v in dims)
    return UsageError(f"node {node} (transpose{dims}) of a {n}-d map swaps its dims {a} and "
                      f"{b}: not read (a 1-d map's transpose(1, 2), and "
                      f"the channels to the last dimension and back, "
                      f"permute{(0, *range(2, n + 2), 1)} and "
                      f"permute{(0, n + 1, *range(1, n + 1))}, are)")


def _example_shape(shape: Any) -> tuple[int, ...]:
    """``example_input_shape`` checked: ``(N, C, spatial sizes...)``, batched, each a whole
    number >= 1 (``torch.Size`` and lists too)."""
    if isinstance(shape, (str, bytes)) or not isinstance(shape, (tuple, list)):
        raise UsageError(f"example_input_shape is (N, C, spatial sizes...), a tuple of whole "
                         f"numbers; got {shape!r}")
    values = tuple(as_int(f"example_input_shape[{j}]", v, 1) for j, v in enumerate(shape))
    if len(values) < 3:
        raise UsageError(f"example_input_shape {values} has {len(values)} entries: it is "
                         "(N, C, spatial sizes...), batched, with one spatial axis at least")
    return values


def graph_from_torch(module: Any, example_input_shape: Any = None, ndim: int | None = None
                     ) -> Any:
    """The :class:`~symconv.graph.Graph` of any ``nn.Module`` whose forward traces with
    ``torch.fx`` (symbolic tracing: nothing is run).  ``example_input_shape``
    (``(N, C, H, W)``) gives the channels and the number of axes; without it they come
    from ``ndim``, else the layers (Conv3d: 3), else a resize's per-axis tuple.  A node
    symconv cannot read is refused with its name and op.
    """
    import torch
    import torch.fx as fx
    import torch.nn.functional as F

    if example_input_shape is not None:
        example_input_shape = _example_shape(example_input_shape)

    class _Tracer(fx.Tracer):
        """PyTorch's leaves, but a module computing its own forward is traced through."""

        def is_leaf_module(self, m: Any, qualname: str) -> bool:
            return super().is_leaf_module(m, qualname) and not _own_forward(m)

    _refuse_hooks(module)
    try:
        traced = fx.GraphModule(module, _Tracer().trace(module))
    except Exception as exc:    # noqa: BLE001 - torch's tracing errors are of many types
        raise UsageError(f"torch.fx cannot trace {type(module).__name__}: "
                         f"{str(exc).splitlines()[0]}") from None
    mods = dict(traced.named_modules())
    nodes: list[Node] = []
    alias: dict[str, str] = {}
    shapes_of_attrs: dict[str, Any] = {}
    # parameters read by get_attr (a layer scale, F.layer_norm's weight): counted once, by
    # the first node that uses them (sum(p.numel()) counts each once)
    attr_weights: dict[str, int] = {}
    # each parameter's counting node, by identity: a module's (its first call) or the
    # first node reading it (F.conv2d(x, w) twice counts w once, as sum(p.numel()) does)
    owner: dict[int, str] = {}
    attr_ids: dict[str, int] = {}       # get_attr node -> id of the parameter it reads
    made_from: dict[str, tuple[str, ...]] = {}  # a constant -> the get_attr nodes it reads
    attr_target: dict[str, str] = {}    # get_attr node -> the attribute's path
    params_used: list[tuple[str, str, str, tuple[int, ...]]] = []
    merge_funcs = {operator.add: "add", operator.iadd: "iadd", operator.sub: "sub",
                   operator.isub: "isub", operator.mul: "mul", operator.imul: "imul",
                   operator.truediv: "truediv", operator.itruediv: "itruediv",
                   operator.floordiv: "floordiv", operator.pow: "pow", torch.add: "add",
                   torch.sub: "sub", torch.mul: "mul", torch.div: "div", torch.pow: "pow",
                   torch.maximum: "maximum", torch.minimum: "minimum"}
    reductions: list[tuple[str, str, tuple[int, ...]]] = []
    # (node, what, its input, dims): dims PyTorch checks against the input's rank
    dim_uses: list[tuple[str, str, str, Any]] = []
    layer_norms: list[tuple[str, tuple[int, ...]]] = []
    ellipsis: set[str] = set()      # slices written with ..., naming the last axes
    # sizes read from tensors: x.shape[2:] (_Dims), x.size(3) (SizeOf), arithmetic on them
    # (Arith), x.size(1) (_Channels); x.size(0) is the batch size
    size_of: dict[str, Any] = {}
    batch: set[str] = set()         # x.size(0), x.shape[0]: the batch size
    pooled: set[str] = set()        # a pool returning (values, indices), by fx name
    # x.chunk(n, 1), x.split(size, 1): the tensor, the kind of part and its argument; an
    # entry x.chunk(n, 1)[k] is an identity node keeping that part of the channels
    parts_of: dict[str, tuple[str, str, Any]] = {}
    axes_named: set[int] = set()    # spatial axes an op names (F.interpolate's mode)
    tuples: dict[str, set[int]] = {}    # a resize's per-axis tuple: the axes it needs
    moded: list[tuple[str, str]] = []   # resizes whose mode needs a number of axes
    assumed: list[str] = []
    inp = None
    # tensors permuted to channels-last, (N, *sizes, C) (ConvNeXt's LayerNorm and Linear
    # over the channels): read by fx name, until permuted back
    chlast: set[str] = set()
    last_norms: set[str] = set()    # LayerNorms over the channels of such a tensor
    grouped: dict[str, str] = {}    # fx name: its channel shuffle's node (channel_groups)
    # x[:, k], x.mean(1): (x, the part of its channels) until unsqueezed at dim 1
    dropped: dict[str, tuple[str, tuple[Any, ...]]] = {}
    # (N, F) unsqueezed at its end, (N, F, 1, ...): (the flattened node, axes added) until
    # used, then an unflatten node (a squeeze-and-excitation block's y[:, :, None, None])
    unsqueezed: dict[str, tuple[str, int]] = {}
    # x.max(1): (values, indices) of (x's node, keepdim), until [0] or .values
    reduced: dict[str, tuple[str, bool]] = {}
    # a global pooling's sizes of 1 squeezed from the end, (N, C, 1): (its node, axes
    # dropped) until used, then a flatten whose axes must be all of them (squeezes)
    squeezed: dict[str, tuple[str, int]] = {}
    squeezes: list[tuple[str, int]] = []
    # flatten(x, 1, end) with end written as a number: the last dim once the rank is known
    flat_ends: list[tuple[str, str, int]] = []
    returned: dict[str, list[Any]] = {}     # a named tuple the model returns: its entries
    merged_by: dict[str, str] = {}      # x * parameter: the merge, once the channels are known
    channel_dims: list[tuple[str, str, int]] = []  # dims from the end meant as the channels
    # features (N, F) viewed as a row (N, 1, F) for a Conv1d along the channels (ECA-Net):
    # fx name: its node; rows_made: a global pooling's (N, C, 1) transposed to a row, with
    # the spatial axes squeezed before it (one is left: checked once the rank is known)
    rows: dict[str, str] = {}
    rows_made: list[tuple[str, int]] = []
    # x.transpose(1, 2) read as the channels to the last dimension and back: a permutation
    # of a 1-d map's (N, C, L) alone, checked once the rank is known (its node, the dims)
    swaps_1d: list[tuple[str, tuple[Any, ...]]] = []

    def src(a: Any) -> str:
        if not isinstance(a, fx.Node):
            raise UsageError(f"an argument {a!r} is not a tensor node")
        if a.name in properties:
            raise UsageError(f"node {a.name}: a tensor's {a.args[1]} is used as a tensor")
        if a.name in size_of or a.name in batch:
            raise UsageError(f"node {a.name}: a size read from a tensor is used as a tensor")
        if a.name in shapes_of_attrs:
            # a parameter (a position embedding resized to the map) where the network's
            # tensors go: its sizes are its own, not the input's
            shown = attr_target.get(a.name) or ", ".join(
                attr_target[r] for r in made_from.get(a.name, ()))
            raise UsageError(f"node {a.name}: the parameter {shown} of shape "
                             f"{shapes_of_attrs[a.name]} is used as the network's tensors are "
                             "(resized, convolved, ...): not read (a parameter is read where "
                             "it scales or shifts a tensor elementwise)")
        if a.name in reduced:
            raise UsageError(f"node {a.name}: (values, indices) used as a tensor (PyTorch "
                             f"refuses it): take {a.name}[0] or .values")
        if a.name in unsqueezed:        # (N, F, 1, ..., 1) used: its node now
            whole_, n_ = unsqueezed.pop(a.name)
            nodes.append(Node(a.name, "unflatten", (whole_,), size=(1,) * n_,
                              source="unsqueeze"))
        if a.name in squeezed:          # (N, C) from (N, C, 1, ..., 1): a flatten
            whole_, n_ = squeezed.pop(a.name)
            nodes.append(Node(a.name, "flatten", (whole_,), source="squeeze"))
            squeezes.append((a.name, n_))
        return alias.get(a.name, a.name)

    flat_so_far: dict[str, bool] = {}
    properties: set[str] = set()        # the nodes x.dtype and x.device: not tensors

    def flat_now(name: str) -> bool:
        """Whether node ``name``, read so far, is a flattened (N, features) tensor (each
        node's answer made once, in order, from its inputs')."""
        for nd in nodes[len(flat_so_far):]:
            flat_so_far[nd.name] = nd.op == "flatten" or (
                not nd.size if nd.op == "unflatten" else
                any(flat_so_far.get(u, False) for u in nd.inputs))
        return flat_so_far.get(name, False)

    def flat_to(name: str, what: str, x: Any, start: Any, end: Any, source: str) -> None:
        """``flatten(x, 1, end)``: features from dim 1 to the last, ``end`` written as -1
        or as the last dim's number (3 for a 2-d map), checked once the rank is known."""
        ok = start == 1 and type(end) is int and (end == -1 or end >= 1)
        if not ok:
            raise UsageError(f"node {name} ({what}): only flatten from dim 1 to the last "
                             f"(start_dim=1, end_dim=-1) is read, got start_dim={start}, "
                             f"end_dim={end}")
        whole_ = src(x)
        if end != -1:
            flat_ends.append((name, whole_, end))
            if not flat_now(whole_):
                axes_named.add(end - 1)
        nodes.append(Node(name, "flatten", (whole_,), source=source))

    def read_dim(name: str, tensor: str, d: int) -> None:
        if d == 0:
            batch.add(name)
        else:
            size_of[name] = _Channels(tensor) if d == 1 else SizeOf(tensor, d - 2 if d > 1 else d)

    def size_value(v: Any, where: str) -> Any:
        """An int or a term: a size read from a tensor, where it sizes something."""
        if isinstance(v, bool) or isinstance(v, fx.Node) and v.name not in size_of:
            raise UsageError(f"node {where}: {v} is not a size (an int, or a tensor's size "
                             "such as y.size(2))")
        if not isinstance(v, fx.Node):
            if not isinstance(v, int):
                raise UsageError(f"node {where}: the size {v!r} is not an integer")
            return v
        got = size_of[v.name]
        if isinstance(got, (_Channels, _ChannelGroup)):
            raise UsageError(f"node {where}: reads the channel count of {got.src} as a size "
                             "(x.size(1)): not read; spatial sizes (x.size(2), x.shape[2:]) are")
        if isinstance(got, _Dims):
            raise UsageError(f"node {where}: {v.name} is several sizes where one is read")
        return got

    def sizes_value(v: Any, where: str) -> tuple[Any, ...]:
        """A size argument (an int for every axis, a tuple, or x.shape[2:]) as a tuple."""
        if isinstance(v, fx.Node) and isinstance(size_of.get(v.name), _Dims):
            return (size_of[v.name],)
        if isinstance(v, (tuple, list)):     # None keeps an axis (adaptive pooling)
            return tuple(e if e is None else size_value(e, where) for e in v)
        return (size_value(v, where),)

    def ints(v: Any, n: int) -> Any:
        return tuple(v) if isinstance(v, (tuple, list)) and len(v) > 1 else \
            (v[0] if isinstance(v, (tuple, list)) else v)

    def held(fn: Any) -> int:
        """The parameters ``fn`` reads that no node counted before it (now counted by it),
        through the constants computed from them (``self.weight[:, None, None]``)."""
        count = 0
        for a_ in fn.all_input_nodes:
            for read in made_from.get(a_.name, (a_.name,)):
                pid = attr_ids.get(read)
                if pid is not None and pid not in owner and read in attr_weights:
                    owner[pid] = fn.name
                    count += attr_weights[read]
        return count

    def from_parameters(fn: Any) -> bool:
        """A value computed from parameters alone (ConvNeXt's ``self.weight[:, None, None]``,
        EfficientDet's ``w / (w.sum() + eps)``): a constant of the shape PyTorch's meta
        tensors give it, read as the parameters are (its shape broadcasts with the
        tensors it meets); False where it is not one."""
        if fn.op == "call_method" and fn.target in _DTYPE_ONLY and fn.args and \
                isinstance(fn.args[0], fx.Node) and fn.args[0].name in shapes_of_attrs:
            # ``self.g.type_as(y)``, ``self.g.to(y.dtype)``: the parameter in y's dtype
            # and device, of its own shape, whatever ``y`` is
            shapes_of_attrs[fn.name] = shapes_of_attrs[fn.args[0].name]
            made_from[fn.name] = made_from.get(fn.args[0].name, (fn.args[0].name,))
            return True
        if fn.op not in ("call_function", "call_method") or not fn.all_input_nodes or \
                not all(a_.name in shapes_of_attrs for a_ in fn.all_input_nodes):
            return False
        args, kwargs = fx.node.map_arg((fn.args, fn.kwargs), lambda a_: torch.empty(
            shapes_of_attrs[a_.name], device="meta"))
        try:
            value = getattr(args[0], fn.target)(*args[1:], **kwargs) \
                if fn.op == "call_method" else fn.target(*args, **kwargs)
        except Exception:       # noqa: BLE001 - not computable on shapes: read as written
            return False
        if not isinstance(value, torch.Tensor):
            return False
        shapes_of_attrs[fn.name] = tuple(value.shape)
        made_from[fn.name] = tuple(dict.fromkeys(
            read for a_ in fn.all_input_nodes for read in made_from.get(a_.name, (a_.name,))))
        return True

    def elementwise(name: str, x: Any, fname: str, weights: int) -> None:
        """``x`` read elementwise: the same tensor, or a node holding the parameters."""
        if weights:
            nodes.append(Node(name, "identity", (src(x),), source=fname, weights=weights))
        else:
            alias[name] = src(x)

    def permutation(fn: Any) -> tuple[Any, ...] | None:
        """The dims of ``x.permute(...)``/``torch.permute(x, ...)`` as written, else None."""
        if not ((fn.op == "call_function" and fn.target is torch.permute) or
                (fn.op == "call_method" and fn.target == "permute")):
            return None
        dims_ = fn.kwargs.get("dims", fn.args[1] if len(fn.args) == 2 else fn.args[1:])
        return (dims_,) if isinstance(dims_, int) else tuple(dims_)

    def swap_of(fn: Any) -> tuple[Any, ...] | None:
        """The dims of ``x.transpose(a, b)``/``torch.transpose(x, a, b)`` when they are the
        channels and the last dim of a 1-d map (1 and 2, or -2 and -1, in either order),
        else None."""
        if not ((fn.op == "call_function" and fn.target is torch.transpose) or
                (fn.op == "call_method" and fn.target == "transpose")):
            return None
        dims_ = (*fn.args[1:3], *(fn.kwargs.get(k_) for k_ in ("dim0", "dim1")
                                  if k_ in fn.kwargs))
        if len(dims_) != 2 or not all(type(v) is int and -3 <= v < 3 for v in dims_) or \
                sorted(v % 3 for v in dims_) != [1, 2]:
            return None
        return tuple(dims_)

    def shape_terms(fn: Any) -> list[Any]:
        """A view's or reshape's shape: "N" for the batch size, a size read from a tensor,
        or the number written."""
        shape = fn.args[1:] if len(fn.args) > 2 or not isinstance(fn.args[1], (tuple, list)) \
            else fn.args[1]
        return ["N" if isinstance(v, fx.Node) and v.name in batch else
                size_of.get(v.name) if isinstance(v, fx.Node) else v for v in shape]

    def channel_groups(fn: Any, what: str) -> bool:
        """Read a channel shuffle (ShuffleNet's ``x.view(N, g, C // g, *sizes)``, the two
        channel dimensions transposed, ``view(N, C, *sizes)`` back): an identity whose
        channels must be a multiple of ``g``.  True when ``fn`` is read here; any other
        op on the grouped tensor is refused."""
        name, target = fn.name, fn.target
        x = fn.args[0] if fn.args and isinstance(fn.args[0], fx.Node) else None
        if fn.op == "call_function" and target is operator.floordiv and x is not None and \
                isinstance(size_of.get(x.name), _Channels) and isinstance(fn.args[1], int) \
                and not isinstance(fn.args[1], bool) and fn.args[1] > 0:
            size_of[name] = _ChannelGroup(size_of[x.name].src, fn.args[1])
            return True
        view = fn.op == "call_method" and target in ("view", "reshape") and x is not None
        if view and x is not None and x.name not in grouped:
            terms, whole = shape_terms(fn), src(x)
            groups = [t for t in terms[1:3] if isinstance(t, _ChannelGroup)]
            if len(terms) >= 4 and terms[0] == "N" and len(groups) == 1 and \
                    groups[0].src == whole and groups[0].groups in terms[1:3] and \
                    all(isinstance(t, SizeOf) and t.node == whole and t.axis == j
                        for j, t in enumerate(terms[3:])):
                nodes.append(Node(name, "identity", (whole,), groups=groups[0].groups,
                                  source="channel shuffle"))
                grouped[name] = name
                axes_named.add(len(terms) - 3)
                return True
            return False
        if x is None or x.name not in grouped:
            if any(a_.name in grouped for a_ in fn.all_input_nodes):
                raise UsageError(f"node {name} ({what}) on channels split into groups by a view "
                                 "(a channel shuffle's): not read (the groups transposed and "
                                 "viewed back are)")
            return False
        swap = ((fn.op == "call_function" and target is torch.transpose) or
                (fn.op == "call_method" and target == "transpose")) and \
            sorted(v for v in fn.args[1:3]) == [1, 2]
        perm = permutation(fn)
        if swap or (fn.op == "call_method" and target in ("contiguous", "clone")) or \
                (perm is not None and perm[:3] == (0, 2, 1) and
                 perm[3:] == tuple(range(3, len(perm)))):
            alias[name] = src(x)
            grouped[name] = grouped[x.name]
            return True
        if view:
            node_ = next(nd for nd in nodes if nd.name == grouped[x.name])
            terms = shape_terms(fn)
            if len(terms) >= 3 and terms[0] == "N" and terms[1] == _Channels(node_.inputs[0]) \
                    and all(isinstance(t, SizeOf) and t.node == node_.inputs[0] and t.axis == j
                            for j, t in enumerate(terms[2:])):
                alias[name] = node_.name
                return True
        raise UsageError(f"node {name} ({what}) on channels split into groups by a view (a "
                         "channel shuffle's): not read (the groups transposed and viewed back "
                         "are)")

    def channel_index(fn: Any, what: str) -> bool:
        """Read ``torch.unsqueeze(x[:, k], 1)`` (GoogLeNet's and Inception's
        ``transform_input``): the part ``k`` of the channels; ``x[:, k]`` used otherwise
        (its channel dimension dropped) is refused.  True when ``fn`` is read here."""
        name, target = fn.name, fn.target
        x = fn.args[0] if fn.args and isinstance(fn.args[0], fx.Node) else None
        if fn.op == "call_function" and target is operator.getitem and x is not None and \
                isinstance(fn.args[1], tuple) and len(fn.args[1]) in (2, 3) and \
                fn.args[1][0] == slice(None) and isinstance(fn.args[1][1], int) and \
                not isinstance(fn.args[1][1], bool) and x.name not in size_of and \
                x.name not in parts_of and x.name not in pooled and \
                (len(fn.args[1]) == 2 or fn.args[1][2] is None):
            k = fn.args[1][1]
            if len(fn.args[1]) == 3:        # x[:, k, None]: the channel dimension kept
                nodes.append(Node(name, "identity", (src(x),), source="getitem",
                                  part=("slice", k, k + 1 if k != -1 else None, None)))
                return True
            dropped[name] = (src(x), ("slice", k, k + 1 if k != -1 else None, None))
            return True
        dim_ = fn.kwargs.get("dim", fn.args[1] if len(fn.args) > 1 else None)
        if x is not None and x.name in dropped and \
                ((fn.op == "call_function" and target is torch.unsqueeze) or
                 (fn.op == "call_method" and target == "unsqueeze")) and \
                isinstance(dim_, int) and (dim_ == 1 or dim_ < -1):
            if dim_ < 0:        # -3 of the 4-d result: checked once the rank is known
                channel_dims.append((name, what, dim_))
            whole, part_ = dropped[x.name]
            nodes.append(Node(name, "identity", (whole,), part=part_,
                              source="getitem" if part_[0] == "slice" else "reduction"))
            return True
        if fn.op == "call_function" and target is operator.getitem and x is not None and \
                x.name in dropped and isinstance(fn.args[1], tuple) and \
                len(fn.args[1]) == 2 and fn.args[1][0] == slice(None) and fn.args[1][1] is None:
            whole, part_ = dropped[x.name]      # x.mean(1)[:, None]: unsqueezed at dim 1
            nodes.append(Node(name, "identity", (whole,), part=part_,
                              source="getitem" if part_[0] == "slice" else "reduction"))
            return True
        if any(a_.name in dropped for a_ in fn.all_input_nodes):
            raise UsageError(f"node {name} ({what}) on a tensor whose channel dimension is "
                             "dropped (x[:, k], x.mean(1)): not read (unsqueezed at dim 1, "
                             "torch.unsqueeze(x[:, k], 1) or x.mean(1).unsqueeze(1), or with "
                             "it kept, x[:, k:k + 1] or x.mean(1, keepdim=True), it is)")
        return False

    def channel_row(fn: Any, what: str) -> bool:
        """Read ECA-Net's attention: pooled features as a row ``(N, 1, C)``
        (``y.squeeze(-1).transpose(-1, -2)`` or ``.permute(0, 2, 1)`` of a global pooling,
        ``y.view(N, 1, -1)``, ``y.unsqueeze(1)`` of features), a ``Conv1d(1, 1, k)`` along
        it (a part of the channels: as many as the convolution gives for ``C``),
        elementwise ops, and the row back (``transpose(-1, -2)``, ``permute(0, 2, 1)``,
        ``view(N, -1, 1, 1)``, ``squeeze(1)``).  True when
        ``fn`` is read here; any other op on a row is refused."""
        name, target = fn.name, fn.target
        x = fn.args[0] if fn.args and isinstance(fn.args[0], fx.Node) else None
        if x is None or x.name in size_of or x.name in batch:
            if any(a_.name in rows for a_ in fn.all_input_nodes):
                raise UsageError(f"node {name} ({fn.op}) {_ROW_REFUSAL}")
            return False
        fname_ = str(target) if fn.op == "call_method" else getattr(target, "__name__", "")
        call = fn.op in ("call_method", "call_function") and (
            fn.op == "call_method" or target is getattr(torch, fname_, None))
        tail = (fn.args[1:3] if len(fn.args) >= 3 else
                (fn.kwargs.get("dim0"), fn.kwargs.get("dim1")))
        dims_ = permutation(fn)
        swap = call and fname_ == "transpose" and sorted(v % 3 for v in tail
                                                         if isinstance(v, int)) == [1, 2] \
            or dims_ is not None and len(dims_) == 3 and \
            all(isinstance(v, int) for v in dims_) and tuple(v % 3 for v in dims_) == (0, 2, 1)
        dim_ = fn.kwargs.get("dim", fn.args[1] if len(fn.args) > 1 else None)
        if x.name not in rows:
            if swap and (x.name in squeezed or x.name not in unsqueezed and any(
                    nd.name == alias.get(x.name, x.name) and nd.op == "adaptive" and
                    set(nd.size) == {1} for nd in nodes)):
                # (N, C, 1) of a global pooling, squeezed to one size of 1 or of one axis
                whole_, n_ = (squeezed.pop(x.name) if x.name in squeezed else (src(x), 0))
                nodes.append(Node(name, "flatten", (whole_,), source="transpose"))
                rows_made.append((name, n_))
                rows[name] = name
                return True
            # (no src(x) before it is read: a pending squeeze or unsqueeze stays pending)
            flat_ = flat_now(alias.get(x.name, x.name))
            if flat_ and (call and fname_ in ("view", "reshape") and
                          shape_terms(fn) == ["N", 1, -1] or
                          call and fname_ == "unsqueeze" and dim_ in (1, -2)):
                rows[name] = src(x)
                alias[name] = rows[name]
                return True
            pooled_ = next((nd for nd in nodes if nd.name == alias.get(x.name, x.name)), None)
            if pooled_ is not None and pooled_.op == "adaptive" and set(pooled_.size) == {1} \
                    and x.name not in squeezed and x.name not in unsqueezed and \
                    call and fname_ in ("view", "reshape") and shape_terms(fn) == ["N", 1, -1]:
                # a global pooling (N, C, 1, ...) viewed as a row (N, 1, C) at once
                nodes.append(Node(name, "flatten", (pooled_.name,), source=str(target)))
                rows[name] = name
                return True
            if any(a_.name in rows for a_ in fn.all_input_nodes):
                raise UsageError(f"node {name} ({what}) {_ROW_REFUSAL}")
            return False
        row = rows[x.name]
        mod = mods.get(str(target)) if fn.op == "call_module" else None
        if isinstance(mod, torch.nn.Conv1d) and len(fn.args) == 1 and not fn.kwargs:
            if mod.padding_mode != "zeros" and mod.padding not in ("valid", 0, (0,)):
                # reflect and circular pad along the row: bounds symconv does not state here
                raise UsageError(f"node {str(target)} ({type(mod).__name__}): a convolution "
                                 f"along the channels with padding_mode={mod.padding_mode!r}: "
                                 "not read (zeros is)")
            if mod.in_channels != 1 or mod.out_channels != 1 or mod.groups != 1 or \
                    isinstance(mod.padding, str) and mod.padding != "valid" and \
                    mod.padding != "same":
                raise UsageError(f"node {str(target)} ({type(mod).__name__}): on features "
                                 f"viewed as a row (N, 1, F), takes {mod.in_channels} "
                                 f"channels and gives {mod.out_channels}: not read (a "
                                 "Conv1d(1, 1, k) along the channels is)")
            mname = str(target) if all(nd.name != str(target) for nd in nodes) else name
            layer = replace(_conv_layer(mod, 1, mname), F_i=1, F_o=1)
            prior = str(target) if mname != str(target) else ""
            nodes.append(Node(mname, "identity", (row,), part=("conv", layer),
                              source="Conv1d along the channels", shares=prior))
            for p_ in mod.parameters():
                owner.setdefault(id(p_), mname)
            alias[name] = mname
            rows[name] = mname
            return True
        elementwise_ = (mod is not None and _kind(mod) in _ELEMENTWISE_MODULES) or \
            (mod is None and fname_ in _ELEMENTWISE_FUNCS and fname_ not in _FUNCTIONAL_NORMS
             and fname_ != "prelu" and (len(fn.all_input_nodes) == 1 or fname_ in _DTYPE_ONLY))
        if elementwise_:
            alias[name] = row
            rows[name] = row
            return True
        if swap:            # back to (N, C, 1): one size of 1, unsqueezed to the rank later
            unsqueezed[name] = (row, 1)
            return True
        if call and fname_ == "squeeze" and dim_ in (1, -2):
            alias[name] = row
            return True
        if call and fname_ in ("view", "reshape") and len(shape_terms(fn)) == 2 and \
                shape_terms(fn)[0] in ("N", -1) and shape_terms(fn)[1] == -1:
            alias[name] = row
            return True
        if call and fname_ in ("view", "reshape"):
            return False        # (N, C, 1, ...): read as a view of features
        raise UsageError(f"node {name} ({what}) {_ROW_REFUSAL}")

    def excitation(fn: Any, what: str) -> bool:
        """Read a squeeze-and-excitation block and spatial attention: reductions over the
        channels (``x.mean(1, keepdim=True)``, ``x.max(1)[0]``; one channel), features
        viewed back as channels (``y.view(N, C, 1, 1)``, ``y[:, :, None, None]``,
        ``y.unsqueeze(-1)`` twice) and ``y.expand_as(x)``.  True when ``fn`` is read."""
        name, target = fn.name, fn.target
        x = fn.args[0] if fn.args and isinstance(fn.args[0], fx.Node) else None
        fname_ = str(target) if fn.op == "call_method" else getattr(target, "__name__", "")
        if x is None or x.name in size_of or x.name in batch or x.name in dropped:
            return False
        if fname_ in (*_REDUCTIONS, "max", "min") and x.name not in reduced and (
                fn.op == "call_method" or target is getattr(torch, fname_, None)):
            pos = _REDUCTION_ARGS.get(fname_, ["input", "dim", "keepdim"])
            a = {pos[j]: v for j, v in enumerate(fn.args)} | dict(fn.kwargs)
            dims = a.get("dim")
            dims = tuple(dims) if isinstance(dims, (tuple, list)) and len(dims) == 1 else \
                (dims,) if isinstance(dims, int) and not isinstance(dims, bool) else None
            if dims is None or not (dims[0] == 1 or dims[0] < -1) or \
                    isinstance(a.get("dim"), fx.Node):
                if fname_ in ("max", "min") and isinstance(a.get("dim"), int):
                    raise UsageError(f"node {name} ({what}): {fname_} over dim {a['dim']}; "
                                     f"symconv reads {fname_} over the channels (dim 1)")
                return False
            if flat_now(src(x)):
                raise UsageError(f"node {name} ({what}): a reduction of features (N, F): not "
                                 "read")
            if dims[0] < 0:     # -3 of a 4-d tensor: checked once the rank is known
                channel_dims.append((name, what, dims[0]))
            if fname_ in ("max", "min"):        # (values, indices): read by getitem
                reduced[name] = (src(x), bool(a.get("keepdim", False)))
                return True
            dropped_or_kept(name, src(x), bool(a.get("keepdim", False)))
            return True
        if fn.op == "call_function" and x.name in reduced and (
                target is operator.getitem and fn.args[1] in (0, 1) or
                fname_ == "getattr" and fn.args[1] in ("values", "indices")):
            if fn.args[1] in (1, "indices"):
                raise UsageError(f"node {name} ({what}): the indices of {x.name} (integers, "
                                 "which the layers refuse): not read")
            dropped_or_kept(name, *reduced[x.name])
            return True
        if fn.op == "call_method" and target == "expand_as" and len(fn.args) == 2 and \
                isinstance(fn.args[1], fx.Node):
            # y's shape broadcast to x's: a merge into x, which may not broadcast
            nodes.append(Node(name, "mul", (src(fn.args[1]), src(x)), mode="inplace",
                              source="expand_as"))
            return True
        if (fn.op == "call_function" and target is torch.squeeze) or \
                (fn.op == "call_method" and target == "squeeze"):
            dims_ = fn.kwargs.get("dim", fn.args[1] if len(fn.args) > 1 else None)
            dims_ = (dims_,) if isinstance(dims_, int) else tuple(dims_ or ())
            whole_, n_ = squeezed.get(x.name) or (src(x), 0)
            made = next((nd for nd in nodes if nd.name == whole_), None)
            if not dims_ or sorted(dims_) != list(range(-len(dims_), 0)) or \
                    x.name not in squeezed and not (made is not None and made.op == "adaptive"
                                                    and set(made.size) == {1}):
                raise UsageError(f"node {name} ({what}): squeeze({', '.join(map(str, dims_))}) "
                                 "is read "
                                 "only from the end (-1) of a global pooling's sizes of 1 "
                                 "(squeeze() would drop the batch and channels at 1 too)")
            squeezed[name] = (whole_, n_ + len(dims_))
            return True
        unsq = (fn.op == "call_function" and target is torch.unsqueeze) or \
            (fn.op == "call_method" and target == "unsqueeze")
        dim_ = fn.kwargs.get("dim", fn.args[1] if len(fn.args) > 1 else None) if unsq else None
        if unsq and x.name in unsqueezed:
            whole_, n_ = unsqueezed[x.name]
            if dim_ not in (-1, n_ + 2):
                raise UsageError(f"node {name} ({what}): unsqueezes (N, F{', 1' * n_}) at dim "
                                 f"{dim_!r}; symconv reads sizes of 1 added at the end (-1)")
            unsqueezed[name] = (whole_, n_ + 1)
            return True
        if unsq and dim_ in (-1, 2) and flat_now(src(x)):
            unsqueezed[name] = (src(x), 1)
            return True
        if fn.op == "call_function" and target is operator.getitem and \
                isinstance(fn.args[1], tuple) and None in fn.args[1] and flat_now(src(x)):
            idx = fn.args[1]
            head = idx[:idx.index(None)]
            if head not in ((slice(None), slice(None)), (Ellipsis,)) or \
                    any(v is not None for v in idx[len(head):]):
                raise UsageError(f"node {name} (index {idx}) of features (N, F): symconv reads "
                                 "sizes of 1 added at the end (y[:, :, None, None])")
            unsqueezed[name] = (src(x), len(idx) - len(head))
            return True
        if fn.op == "call_method" and target in ("view", "reshape") and flat_now(src(x)):
            terms = shape_terms(fn)
            if len(terms) < 3:
                return False
            first, ch, rest = terms[0], terms[1], terms[2:]
            if first not in ("N", -1) or not (isinstance(ch, _Channels) or isinstance(ch, int)
                                              and (ch > 0 or ch == -1)) \
                    or not all(isinstance(v, int) and v > 0 for v in rest):
                raise UsageError(f"node {name} ({what}): views features (N, F) as "
                                 f"({', '.join(_shown(t) for t in terms)}): symconv reads (N, C, "
                                 "fixed sizes), N the batch size (x.size(0)) or -1 before a "
                                 "number of channels, C a number, -1 or x.size(1)")
            like = (ch.src,) if isinstance(ch, _Channels) else ()
            nodes.append(Node(name, "unflatten", (src(x), *like), size=tuple(rest),
                              channels=ch if isinstance(ch, int) and ch > 0 else None,
                              source=str(target), mode="per_sample" if first == -1
                              else "constant"))
            if first == -1:
                if ch == -1:
                    raise UsageError(f"node {name} ({what}): views features (N, F) as "
                                     f"({', '.join(_shown(t) for t in terms)}), two dims of -1")
                assumed.append(f"{target}(-1, ...) at {name} is read per sample; PyTorch "
                               "also runs feature counts that fold into the batch: write "
                               f"{target}(x.size(0), ...) to say which is meant")
            return True
        return False

    def whole_window(a: dict[str, Any], k_: Any, s_: Any, whole: str, n: int,
                     name: str) -> bool:
        """Whether a functional pool's window is its input's whole size on every axis (its
        stride too, no padding or dilation); a window read from sizes otherwise is
        refused."""
        read = [v for v in (*(k_ if isinstance(k_, (tuple, list)) else (k_,)),
                            *(s_ if isinstance(s_, (tuple, list)) else (s_,)))
                if isinstance(v, fx.Node)]
        if not read:
            return False

        def axes(v: Any) -> tuple[Any, ...] | None:
            got = sizes_value(v, name) if isinstance(v, (tuple, list, fx.Node)) else (v,)
            if len(got) == 1 and isinstance(got[0], _Dims) and got[0].src == whole:
                dims = range(n + 2)[got[0].start:got[0].stop]
                return tuple(SizeOf(whole, d - 2) for d in dims) if dims and min(dims) >= 2 \
                    else None
            return tuple(SizeOf(whole, t.axis % n) if isinstance(t, SizeOf) and t.node == whole
                         and -n <= t.axis < n else t for t in got)
        whole_ = tuple(SizeOf(whole, j) for j in range(n))
        if axes(k_) == whole_ and axes(s_) == whole_ and a.get("padding", 0) in (0, (0,) * n) \
                and a.get("dilation", 1) in (1, (1,) * n):
            return True
        raise UsageError(f"node {name} (pool): a window or stride read from a tensor's size is "
                         "read only as the whole input's (stride the same, no padding): a "
                         "global pooling")

    def dropped_or_kept(name: str, whole: str, keepdim: bool) -> None:
        """A reduction over the channels: one channel kept, or its dimension dropped."""
        if keepdim:
            nodes.append(Node(name, "identity", (whole,), part=("reduce",),
                              source="reduction"))
        else:
            dropped[name] = (whole, ("reduce",))

    def channels_last(fn: Any, what: str) -> bool:
        """Read ``fn`` if it permutes, or acts on a tensor permuted to channels-last
        (True: read here; False: an elementwise op or a merge, read as on any tensor, its
        result channels-last too); anything else there is refused."""
        name, target = fn.name, fn.target
        dims_ = permutation(fn)
        swapped = swap_of(fn) if dims_ is None else None
        if swapped is not None and isinstance(fn.args[0], fx.Node) and \
                fn.args[0].name not in unsqueezed and fn.args[0].name not in rows and \
                not flat_now(alias.get(fn.args[0].name, fn.args[0].name)):
            # transpose(1, 2) of (N, C, L) is permute(0, 2, 1): to channels-last and back
            dims_ = (0, 2, 1)
        if dims_ is not None:
            x = fn.args[0]
            r = len(dims_)
            if r < 3 or not all(isinstance(v, int) for v in dims_):
                raise UsageError(f"node {name} ({what}): permutes dims {dims_}: not read")
            perm = tuple(v % r for v in dims_)
            if perm == (0, 2, 1) and (x.name in squeezed or x.name in rows or (
                    x.name not in unsqueezed and any(
                        nd.name == alias.get(x.name, x.name) and nd.op == "adaptive" and
                        set(nd.size) == {1} for nd in nodes) and any(
                        u.op == "call_module" and isinstance(mods.get(str(u.target)),
                                                             torch.nn.Conv1d)
                        for u in fn.users))):
                # a pooled (N, C, 1) to a row and back, or a 1-d global pooling made a row
                # that a Conv1d reads (a Linear there reads channels-last): channel_row's
                return False
            if swapped is not None:
                known = next((d_ for nd in nodes if nd.op not in ("identity", "norm") and
                              (d_ := _dims(nd.source)) is not None), None)
                if known not in (None, 1):
                    raise _swap_refusal(name, swapped, known)
                swaps_1d.append((name, swapped))
            to_last, back = (0, *range(2, r), 1), (0, r - 1, *range(1, r - 1))
            if perm == tuple(range(r)) or (perm == back and x.name in chlast) or \
                    (perm == to_last and x.name not in chlast):
                alias[name] = src(x)
                if (x.name in chlast) == (perm == tuple(range(r))):
                    chlast.add(name)
                axes_named.add(r - 2)
                return True
            raise UsageError(f"node {name} ({what}): permutes dims {perm}; only the channels "
                             f"to the last dimension {to_last} and back {back} are read")
        if not any(a_.name in chlast for a_ in fn.all_input_nodes):
            return False
        mod = mods.get(str(target)) if fn.op == "call_module" else None
        norm = _kind(mod) in _LAST_DIM_NORMS if mod is not None else \
            fn.op == "call_function" and getattr(target, "__name__", "") in ("layer_norm",
                                                                              "rms_norm")
        if norm:
            # checked once read: over the channels alone (a module by its path, as below)
            last_norms.add(str(target) if mod is not None and
                           all(nd.name != str(target) for nd in nodes) else name)
            chlast.add(name)
            return False
        if isinstance(mod, torch.nn.Linear):
            # a Linear over the channels at every position: a 1x1 convolution
            mname = str(target) if all(nd.name != str(target) for nd in nodes) else name
            alias[name] = mname
            layer = Layer("conv", k=1, F_i=mod.in_features, F_o=mod.out_features,
                          bias=mod.bias is not None, name=mname)
            made = Node(mname, "layer", (src(fn.args[0]),), layer, source=_kind(mod))
            nodes.append(made if mname == str(target) else replace(made, shares=str(target)))
            chlast.add(name)
            return True
        fname_ = str(target) if fn.op == "call_method" else getattr(target, "__name__", "")
        elementwise = (mod is not None and _kind(mod) in _ELEMENTWISE_MODULES) or \
            (mod is None and fname_ in _ELEMENTWISE_FUNCS and fname_ not in _FUNCTIONAL_NORMS
             and fname_ != "prelu")
        merge = mod is None and (target in merge_funcs or
                                 (fn.op == "call_method" and fname_ in _MERGES))
        if merge and all(a_.name in chlast or a_.name in shapes_of_attrs or a_.name in size_of
                         or a_.name in batch for a_ in fn.all_input_nodes):
            chlast.add(name)
            return False
        if elementwise and all(a_.name in chlast or a_.name in shapes_of_attrs
                               for a_ in fn.all_input_nodes):
            chlast.add(name)
            return False
        if fn.op == "output":
            raise UsageError("the model returns a tensor permuted to channels-last "
                             f"({', '.join(a_.name for a_ in fn.all_input_nodes)}): not read "
                             "(permute it back)")
        raise UsageError(f"node {name} ({what}) on a tensor permuted to channels-last "
                         f"({', '.join(a_.name for a_ in fn.all_input_nodes if a_.name in chlast)}):"
                         " not read (LayerNorm, Linear, elementwise ops and merges are)")

    try:
        for fn in traced.graph.nodes:
            name = fn.name
            target = fn.target
            if fn.op == "call_function" and fn.kwargs:
                fn.args, fn.kwargs = _leading_args(fn)
            kw = dict(fn.kwargs)
            what = f"{fn.op} {getattr(target, '__name__', target)}"
            if fn.op == "call_function" and target is getattr and len(fn.args) == 2 and \
                    fn.args[1] in ("dtype", "device"):
                properties.add(name)    # x.dtype, x.device: no sizes; what .to(...) takes
                continue
            if from_parameters(fn):     # before any reader that takes it for a tensor
                continue
            tupled = next((x for x in fn.all_input_nodes if x.name in pooled), None)
            if tupled is not None and target is not operator.getitem and fn.op != "output":
                # a pool's (values, indices) passed on whole: a layer refuses the tuple
                # ("conv1d() received an invalid combination of arguments", ...); torch.cat
                # and nn.Identity take it, and are not read
                pool = alias.get(tupled.name, tupled.name)
                raise UsageError(f"node {str(target) if fn.op == 'call_module' else name} "
                                 f"({what}) takes the pair (values, indices) {pool} returns "
                                 "(return_indices=True) whole: not read (a layer refuses the "
                                 f"pair; take {pool}[0])")
            if channel_index(fn, what) or channel_groups(fn, what) or \
                    channels_last(fn, what) or channel_row(fn, what) or excitation(fn, what):
                continue
            if fn.op == "placeholder":
                if inp is not None:
                    raise UsageError(f"node {name}: a second input; symconv reads one-input models")
                inp = name
                # a module named as the argument (self.x with forward(self, x)): its node
                # takes the module's name, so the input takes another, its own
                targets = {str(u.target) for u in traced.graph.nodes
                           if u.op in ("call_module", "get_attr")}
                while inp in targets:
                    inp += ".input"
                if inp != name:
                    alias[name] = inp
                continue
            if fn.op == "call_function" and isinstance(target, type) and \
                    issubclass(target, tuple) and all(u.op == "output" for u in fn.users):
                # a named tuple returned (GoogLeNetOutputs(x, aux2, aux1)): its entries
                returned[name] = [*fn.args, *fn.kwargs.values()]
                continue
            if fn.op == "output":
                # one tensor, or a dict, tuple or list of one (torchvision's segmentation
                # models return {"out": x}), or a named tuple of one
                arg = fn.args[0]
                if isinstance(arg, fx.Node) and arg.name in returned:
                    arg = returned[arg.name]
                outs = list(arg.values()) if isinstance(arg, dict) else \
                    list(arg) if isinstance(arg, (tuple, list)) else [arg]
                if len(outs) != 1 or not isinstance(outs[0], fx.Node):
                    keys = f" ({', '.join(map(str, arg))})" if isinstance(arg, dict) and arg \
                        else ""
                    what_ = f"{len(outs)} outputs{keys}" if len(outs) != 1 else \
                        f"a {type(outs[0]).__name__}{keys} where a tensor is read"
                    raise UsageError(f"the model returns {what_}: symconv reads one tensor "
                                     "(or a dict, tuple or list of one)")
                if outs[0].name in pooled:
                    pool = alias.get(outs[0].name, outs[0].name)
                    raise UsageError(f"the model returns the pair (values, indices) {pool} "
                                     "returns (return_indices=True), 2 outputs: symconv reads "
                                     f"one tensor (return {pool}[0])")
                last = src(outs[0])
                if not nodes or nodes[-1].name != last:     # elementwise only: the input
                    nodes.append(Node(f"{last}.out", "identity", (last,), source="output"))
                continue
            if fn.op == "get_attr":
                obj = traced
                for part in str(target).split("."):
                    obj = getattr(obj, part)
                if isinstance(obj, torch.nn.parameter.UninitializedParameter):
                    raise UsageError(f"node {name}: {target} is a lazy module's parameter, not "
                                     "made until the module runs: run the model once first")
                shapes_of_attrs[name] = tuple(obj.shape)  # type: ignore[arg-type]
                attr_ids[name] = id(obj)
                attr_target[name] = str(target)
                if isinstance(obj, torch.nn.Parameter):
                    attr_weights[name] = int(obj.numel())
                continue
            if fn.op == "call_module":
                # named by the module's path (a module called twice: by the fx node's name)
                mname = str(target) if all(nd.name != str(target) for nd in nodes) else name
                alias[name] = mname
                mod = mods[str(target)]
                if isinstance(mod, torch.nn.modules.pooling._MaxUnpoolNd):
                    raise UsageError(f"node {mname} ({type(mod).__name__}): max unpooling is not "
                                     "read: whether PyTorch takes it depends on the data, not "
                                     "the sizes alone (its output, (i - 1)s - 2p + k, must hold "
                                     "every index the pooling kept: 'Found an invalid max "
                                     "index' where the pooling left input rows uncovered)")
                if len(fn.args) > 1 or fn.kwargs:
                    # ConvTranspose(x, output_size=...): the output padding then depends on the
                    # input size, within PyTorch's range; not read, never ignored
                    extra = ", ".join([*(f"argument {n + 2}" for n in range(len(fn.args) - 1)),
                                       *fn.kwargs])
                    unread = " (set output_padding on the module instead)" if isinstance(
                        mod, torch.nn.modules.conv._ConvTransposeNd) else ""
                    raise UsageError(f"node {mname} ({type(mod).__name__}) is called with "
                                     f"{extra}: not read by from_torch{unread}")
                if getattr(mod, "return_indices", False):
                    pooled.add(name)        # by fx name, as its uses name it
                if _kind(mod) in _LAST_DIM_NORMS:
                    layer_norms.append((mname, tuple(mod.normalized_shape)))
                if isinstance(mod, torch.nn.Upsample):      # a tuple names every spatial axis
                    axes_named |= _tuple_axes(mod.size, mod.scale_factor)
                    if mod.mode in _MODE_AXES:
                        axes_named.add(_MODE_AXES[mod.mode])
                        moded.append((mname, mod.mode))
                    tuples[mname] = _tuple_axes(mod.size, mod.scale_factor)
                if isinstance(mod, torch.nn.Flatten):
                    # Flatten(1, 3) of a 2-d map: as flatten(1); a module has no weights
                    flat_to(mname, what, fn.args[0], mod.start_dim, mod.end_dim, "Flatten")
                    continue
                if _kind(mod) in _DIM_TAKING and isinstance(mod.dim, int):
                    dim_uses.append((mname, _kind(mod), src(fn.args[0]), mod.dim))
                made = _graph_module_nodes(mod, mname, src(fn.args[0])) \
                    if _kind(mod) not in _SIZE_KEEPING \
                    else [Node(mname, "norm" if _instance_statistics(mod) else "identity",
                               (src(fn.args[0]),), source=_kind(mod),
                               takes=_param_channels(mod), weights=_own_weights(mod),
                               groups=_groups_of(mod))]
                # a module called again: its parameters are the first call's (or the
                # node's that read them before, F.conv2d(x, self.c.weight))
                prior = str(target) if mname != str(target) else next(
                    (owner[id(p_)] for p_ in mod.parameters() if id(p_) in owner), "")
                made = [replace(nd, shares=prior) for nd in made] if prior else made
                nodes.extend(_with_extra(made, mod, owner) if mname == str(target) else made)
                for p_ in mod.parameters():
                    owner.setdefault(id(p_), mname)
                continue
            if fn.op == "call_function" and (target in _SIZE_ARITH or target is operator.neg) and \
                    any(isinstance(a_, fx.Node) and a_.name in size_of for a_ in fn.args) and \
                    all(not isinstance(a_, fx.Node) or a_.name in size_of for a_ in fn.args):
                if target is operator.neg:
                    size_of[name] = Arith("-", 0, size_value(fn.args[0], name))
                else:
                    size_of[name] = Arith(_SIZE_ARITH[target], size_value(fn.args[0], name),
                                          size_value(fn.args[1], name))
                continue
            fname = getattr(target, "__name__", str(target))
            if (fn.op == "call_function" and target in merge_funcs) or \
                    (fn.op == "call_method" and str(target) in _MERGES):
                fname = merge_funcs[target] if fn.op == "call_function" else str(target)
                tensors = []
                for a_ in fn.args:
                    if not isinstance(a_, fx.Node) or a_.name in size_of or a_.name in batch:
                        continue            # a number: elementwise (x + y.size(2) as x + 1)
                    shape = shapes_of_attrs.get(a_.name)
                    if shape is None:
                        tensors.append(a_)
                    else:                       # a parameter: elementwise, once its shape is read
                        params_used.append((name, what, str(a_.target) if a_.op == "get_attr"
                                            else f"{a_.name} (computed from "
                                            f"{', '.join(attr_target[r] for r in made_from[a_.name])})",
                                            shape))
                if len(tensors) == 1 and not any(at == name for at, *_ in params_used):
                    elementwise(name, tensors[0], fname, held(fn))     # x + 1: elementwise
                    continue
                if len(tensors) == 1:
                    # by a parameter: a node, whose channels its shape may fix (at the end)
                    nodes.append(Node(name, "identity", (src(tensors[0]),), source=fname,
                                      weights=held(fn)))
                    merged_by[name] = _MERGES[fname]
                    continue
                # in place (x += y, x.add_(y)): the result is written into x, so only the
                # others may broadcast
                nodes.append(Node(name, _MERGES[fname], tuple(src(a) for a in tensors), source=fname,
                                  mode="inplace" if fname.startswith("i") or fname.endswith("_")
                                  else "constant", weights=held(fn)))
                continue
            if fname in _REDUCTIONS and (fn.op == "call_method" or target is getattr(torch, fname,
                                                                                      None)):
                pos = _REDUCTION_ARGS.get(fname, ["input", "dim", "keepdim"])
                a = {pos[j]: v for j, v in enumerate(fn.args)} | kw
                dims = a.get("dim")
                dims = (dims,) if isinstance(dims, int) else tuple(dims) if dims else ()
                if not dims or not all(isinstance(v, int) for v in dims):
                    raise UsageError(f"node {name} ({what}): a reduction is read over the spatial "
                                     "axes, named by dim (x.mean((2, 3)))")
                nodes.append(Node(name, "adaptive", (src(fn.args[0]),), size=(1,), source=fname))
                reductions.append((name, what, dims))
                dim_uses.append((name, what, src(fn.args[0]), dims))
                if not a.get("keepdim", False):
                    nodes.append(Node(f"{name}.flat", "flatten", (name,), source=fname))
                    alias[name] = f"{name}.flat"
                continue
            if fn.op == "call_function" and target in (torch.cat, torch.concat):
                dim = kw.get("dim", kw.get("axis", fn.args[1] if len(fn.args) > 1 else 0))
                if not isinstance(dim, int) or dim == 0:
                    raise UsageError(f"node {name} (cat): dim {dim!r}: symconv joins channels "
                                     "(dim 1) or a spatial axis")
                if isinstance(fn.args[0], fx.Node) and fn.args[0].name in parts_of:
                    # torch.cat(x.chunk(n, 1), 1): every part, in order, is the whole again
                    if dim >= 2:
                        raise UsageError(f"node {name} (cat): joins the channel parts of "
                                         f"{fn.args[0].name} along dim {dim}; symconv reads them "
                                         "joined back along the channels (dim 1)")
                    if dim < 0:     # -3 of a 4-d tensor: checked once the rank is known
                        channel_dims.append((name, "cat", dim))
                    whole_, how, arg_ = parts_of[fn.args[0].name]
                    if how != "sizes":      # chunks and equal splits cover every channel
                        nodes.append(Node(name, "identity", (whole_,), source="cat"))
                        continue
                    # sizes must add up to the channels: the parts say so; empty ones add none
                    kept = [j for j, v in enumerate(arg_) if v > 0] or [0]
                    for j in kept:
                        nodes.append(Node(f"{name}_part{j}", "identity", (whole_,),
                                          part=("sizes", arg_, j), source="split"))
                    nodes.append(Node(name, "cat", tuple(f"{name}_part{j}" for j in kept),
                                      dim=1, source="cat"))
                    continue
                nodes.append(Node(name, "cat", tuple(src(a) for a in fn.args[0]), dim=dim,
                                  source="cat"))
                continue
            if fn.op == "call_function" and fname in _FUNCTIONAL_NORMS:
                a = dict(zip(_FUNCTIONAL_NORMS[fname], fn.args[1:], strict=False)) | kw
                counts_ = {shapes_of_attrs[v.name][0] for key in ("running_mean", "running_var",
                                                                   "weight", "bias")
                           if isinstance(v := a.get(key), fx.Node) and v.name in shapes_of_attrs
                           and shapes_of_attrs[v.name]}
                if len(counts_) > 1:
                    raise UsageError(f"node {name} ({what}): its statistics and weights are for "
                                     f"{sorted(counts_)} channels: PyTorch refuses it at every "
                                     "size")
                takes_ = counts_.pop() if counts_ else None
                own = fname == "instance_norm" and a.get("use_input_stats", True)
                groups_ = a.get("num_groups") if fname == "group_norm" else None
                nodes.append(Node(name, "norm" if own else "identity", (src(fn.args[0]),),
                                  source=fname, takes=takes_, weights=held(fn),
                                  groups=groups_ if isinstance(groups_, int) else None))
                continue
            if fn.op == "call_function" and fname in ("layer_norm", "rms_norm"):
                shape_ = fn.args[1] if len(fn.args) > 1 else kw["normalized_shape"]
                layer_norms.append((name, tuple(shape_) if isinstance(shape_, (tuple, list))
                                    else (shape_,)))
                nodes.append(Node(name, "identity", (src(fn.args[0]),), source=fname,
                                  weights=held(fn)))
                continue
            if (fn.op == "call_function" and fname in _ELEMENTWISE_FUNCS) or \
                    (fn.op == "call_method" and str(target) in _ELEMENTWISE_FUNCS):
                # another tensor among its operands (clamp(x, min=y)) broadcasts with it;
                # x.to(y) and x.type_as(y) take only y's dtype and device
                others = [a_ for a_ in (*fn.args[1:], *kw.values()) if isinstance(a_, fx.Node)
                          and a_.name not in shapes_of_attrs] \
                    if fname not in _DTYPE_ONLY else []
                if others and fname == "prelu":
                    # F.prelu's weight is 1-d (one slope or one per channel), not broadcast
                    # from the right as a merge would read it
                    raise UsageError(f"node {name} (prelu): a slope computed in the model "
                                     f"({others[0].name}), whose channel count is not read: "
                                     "give it as a parameter (nn.PReLU, or F.prelu of a "
                                     "module's weight)")
                if others:
                    nodes.append(Node(name, "mul", tuple(src(a_) for a_ in (fn.args[0], *others)),
                                      source=fname, weights=held(fn)))
                    continue
                slope = fn.args[1] if fname == "prelu" and len(fn.args) > 1 else kw.get("weight")
                slopes = shapes_of_attrs.get(slope.name) if fname == "prelu" and \
                    isinstance(slope, fx.Node) else None
                if slopes is not None and len(slopes) > 1:
                    # PyTorch: "Expected `weight` to be a scalar or 1D tensor", at every size
                    raise UsageError(f"node {name} (prelu): a slope of shape "
                                     f"{tuple(int(v) for v in slopes)}: F.prelu takes one slope "
                                     "or one per channel, a scalar or 1-d weight (PyTorch "
                                     "refuses it at every size)")
                if slopes and len(slopes) == 1 and slopes[0] > 1:
                    # F.prelu's weight: one slope, or one per channel, as PReLU(C)'s
                    nodes.append(Node(name, "identity", (src(fn.args[0]),), source=fname,
                                      takes=int(slopes[0]), weights=held(fn)))
                    continue
                dim_ = kw.get("dim", fn.args[1] if len(fn.args) > 1 else None)
                if fname in _DIM_TAKING and isinstance(dim_, int) and not isinstance(dim_, bool):
                    dim_uses.append((name, fname, src(fn.args[0]), dim_))
                elementwise(name, fn.args[0], fname, held(fn))
                continue
            if (fn.op == "call_function" and target is torch.flatten) or \
                    (fn.op == "call_method" and target == "flatten"):
                start = kw.get("start_dim", fn.args[1] if len(fn.args) > 1 else 0)
                end = kw.get("end_dim", fn.args[2] if len(fn.args) > 2 else -1)
                flat_to(name, what, fn.args[0], start, end, fname)
                continue
            if (fn.op == "call_method" and target == "size") or \
                    (fn.op == "call_function" and fname == "getattr" and len(fn.args) == 2
                     and fn.args[1] == "shape"):
                # a size read from the tensor: the batch size (x.size(0)) is what view and
                # reshape take; a spatial one sizes a resize, a pad or a slice to that tensor
                dim_ = kw.get("dim", fn.args[1] if target == "size" and len(fn.args) > 1 else None)
                if dim_ is None:
                    size_of[name] = _Dims(src(fn.args[0]), None, None)
                elif isinstance(dim_, int) and not isinstance(dim_, bool):
                    read_dim(name, src(fn.args[0]), dim_)
                else:
                    raise UsageError(f"node {name} ({what}): a dimension {dim_!r}: an int is read")
                continue
            if fn.op == "call_function" and target is operator.getitem and \
                    isinstance(fn.args[0], fx.Node) and \
                    isinstance(size_of.get(fn.args[0].name), _Dims):
                whole, idx = size_of[fn.args[0].name], fn.args[1]
                if isinstance(idx, slice) and whole.start is whole.stop is None and \
                        idx.step in (None, 1) and all(v is None or isinstance(v, int)
                                                      for v in (idx.start, idx.stop)):
                    size_of[name] = _Dims(whole.src, idx.start, idx.stop)
                    continue
                first, stop = whole.start or 0, whole.stop
                d_: int | None = None
                if isinstance(idx, int) and not isinstance(idx, bool):
                    if idx < 0 and stop is None:
                        d_ = idx            # from the end, as in the whole shape
                    elif idx >= 0 and (first >= 0 and (stop is None or first + idx < stop) or
                                       first < 0 and stop is None and first + idx < 0):
                        d_ = first + idx
                if d_ is not None:
                    read_dim(name, whole.src, d_)
                    continue
                raise UsageError(f"node {name} (size [{idx!r}]): reads a tensor's sizes in a way "
                                 "not read (x.size(2), x.shape[2:], x.shape[-1] are)")
            if (fn.op == "call_method" and target in ("chunk", "split")) or \
                    (fn.op == "call_function" and target in (torch.chunk, torch.split)):
                how = "chunk" if fname == "chunk" else "split"
                pos = ["input", "chunks" if how == "chunk" else "split_size_or_sections", "dim"]
                a = {pos[j]: v for j, v in enumerate(fn.args)} | kw
                arg_ = a.get(pos[1], a.get("split_size"))
                dim_ = a.get("dim", 0)
                if not isinstance(dim_, int) or isinstance(dim_, bool) or dim_ in (0, -1) \
                        or dim_ >= 2:
                    raise UsageError(f"node {name} ({what}): splits dim {dim_!r}; symconv "
                                     "reads a split of the channels (dim 1)")
                if dim_ < 0:        # -3 of a 4-d tensor: checked once the rank is known
                    channel_dims.append((name, what, dim_))
                if isinstance(arg_, (tuple, list)) and all(isinstance(v, int) and v >= 0
                                                           for v in arg_) and arg_:
                    parts_of[name] = (src(fn.args[0]), "sizes", tuple(arg_))
                elif isinstance(arg_, int) and not isinstance(arg_, bool) and arg_ > 0:
                    parts_of[name] = (src(fn.args[0]), how, arg_)
                else:
                    raise UsageError(f"node {name} ({what}): {pos[1]} {arg_!r} is not read (a "
                                     "positive int, or a list of sizes, is)")
                continue
            if fn.op == "call_function" and target is operator.getitem and \
                    isinstance(fn.args[0], fx.Node) and fn.args[0].name in parts_of:
                whole_, how, arg_ = parts_of[fn.args[0].name]
                k_ = fn.args[1]
                if how == "sizes" and isinstance(k_, int) and -len(arg_) <= k_ < len(arg_):
                    k_ %= len(arg_)
                if not isinstance(k_, int) or isinstance(k_, bool) or \
                        how == "sizes" and not 0 <= k_ < len(arg_):
                    raise UsageError(f"node {name}: part [{k_!r}] of {fn.args[0].name}: an "
                                     "int index is read")
                nodes.append(Node(name, "identity", (whole_,), part=(how, arg_, k_),
                                  source="chunk" if how == "chunk" else "split"))
                continue
            if fn.op == "call_function" and target is operator.getitem and \
                    isinstance(fn.args[0], fx.Node) and fn.args[0].name in pooled:
                if fn.args[1] not in (0, 1, -2, -1) or isinstance(fn.args[1], bool):
                    raise UsageError(f"node {name}: a pool's result has two entries (values, "
                                     f"indices), got [{fn.args[1]!r}]")
                alias[name] = src(fn.args[0])   # values and indices: the same shape
                continue
            if fn.op == "call_method" and target in ("view", "reshape"):
                shape = fn.args[1:] if len(fn.args) > 2 or not isinstance(fn.args[1], (tuple, list)) \
                    else fn.args[1]
                first = shape[0] if shape else None
                per_sample = isinstance(first, fx.Node) and first.name in batch
                rest = shape[1] if len(shape) == 2 else None
                if len(shape) == 2 and (per_sample or first == -1) and isinstance(rest, int) \
                        and rest > 0:
                    nodes.append(Node(name, "flatten", (src(fn.args[0]),), source=str(target)))
                    nodes.append(Node(f"{name}.size", "linear", (name,), in_features=rest,
                                      out_features=rest, bias=False, takes=rest,
                                      source=f"{target} check"))
                    alias[name] = f"{name}.size"
                    if not per_sample:
                        assumed.append(
                            f"{target}(-1, {rest}) at {name} is read per sample (channels times "
                            f"sizes = {rest}); PyTorch also runs sizes where {rest} divides the "
                            f"batch times that product, folding them into the batch: write "
                            f"{target}(x.size(0), -1) to say which is meant")
                    continue
                if len(shape) == 2 and (per_sample or isinstance(first, int)) and rest == -1:
                    nodes.append(Node(name, "flatten", (src(fn.args[0]),), source=str(target)))
                    continue
                channels_ = size_of.get(rest.name) if isinstance(rest, fx.Node) else None
                if len(shape) == 2 and per_sample and isinstance(channels_, _Channels):
                    # view(b, c), c = x.size(1): the features must be x's channels
                    nodes.append(Node(f"{name}.flat", "flatten", (src(fn.args[0]),),
                                      source=str(target)))
                    nodes.append(Node(name, "unflatten", (f"{name}.flat", channels_.src),
                                      source=str(target)))
                    continue
                raise UsageError(f"node {name} ({what}): only view/reshape to (N, -1) or (N, size) "
                                 "is read (N: x.size(0), or -1 before a size)")
            transposed_ = target in (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)
            if fn.op == "call_function" and (transposed_ or target in (F.conv1d, F.conv2d,
                                                                       F.conv3d)):
                # the weight: (out, in / groups, *kernel), transposed (in, out / groups, ...)
                w = fn.args[1] if len(fn.args) > 1 else kw["weight"]
                wshape = shapes_of_attrs.get(w.name) if isinstance(w, fx.Node) else None
                if wshape is None:
                    raise UsageError(f"node {name} ({what}): the weight is not a module attribute")
                n = len(wshape) - 2
                pos = ["input", "weight", "bias", "stride", "padding"] + (
                    ["output_padding", "groups", "dilation"] if transposed_ else
                    ["dilation", "groups"])
                a = {pos[j]: v for j, v in enumerate(fn.args)} | kw
                g_ = a.get("groups", 1)
                f_i, f_o = (wshape[0], wshape[1] * g_) if transposed_ else \
                    (wshape[1] * g_, wshape[0])
                bias_ = a.get("bias")
                bshape = shapes_of_attrs.get(bias_.name) if isinstance(bias_, fx.Node) else None
                if bshape is not None and tuple(bshape) != (f_o,):
                    raise DomainError(f"node {name} ({what}): a bias of shape {tuple(bshape)} "
                                      f"for {f_o} output channels: PyTorch refuses it at "
                                      "every size (one bias per output channel)")
                # its weight and bias: the layer's own count, unless another node counted them
                first = owner.get(attr_ids.get(w.name, 0), name)
                new_ = held(fn)
                pad_ = a.get("padding", 0)
                layer = Layer("conv_transpose" if transposed_ else "conv", k=ints(wshape[2:], n),
                              s=ints(a.get("stride", 1), n),
                              p=pad_ if isinstance(pad_, str) else ints(pad_, n),
                              d=ints(a.get("dilation", 1), n), F_i=f_i, F_o=f_o, g=g_,
                              bias=bias_ is not None, name=name,
                              **({"a": ints(a.get("output_padding", 0), n)} if transposed_
                                 else {}))
                made_ = Node(name, "layer", (src(fn.args[0]),), layer, source=fname,
                             shares="" if first == name else first)
                # what it reads first beyond what its kind counts: a bias of its own
                # beside a weight that is another node's
                extra_ = new_ - (0 if made_.shares else node_params(made_, n) or 0)
                nodes.append(replace(made_, extra=extra_))
                continue
            if fn.op == "call_function" and _POOL_FUNC.fullmatch(fname):
                n = _axes_of(fname)
                pos = ["input", "norm_type", "kernel_size", "stride", "ceil_mode"] \
                    if fname.startswith("lp") else ["input", "kernel_size", "stride", "padding"] + \
                    (["dilation", "ceil_mode", "return_indices"] if "max" in fname
                     else ["ceil_mode", "count_include_pad", "divisor_override"])
                a = {pos[j]: v for j, v in enumerate(fn.args)} | kw
                if a.get("divisor_override") == 0:
                    raise UsageError(f"node {name} ({fname}): divisor_override=0: PyTorch "
                                     "refuses it at every size ('divisor must be not zero'); "
                                     "give None or a positive divisor")
                k_ = a["kernel_size"]
                s_ = a.get("stride")
                if s_ is None or s_ in ([], ()):    # stride=None (or []): the kernel
                    s_ = k_
                if whole_window(a, k_, s_, src(fn.args[0]), n, name):
                    # a window of the whole input (CBAM's F.avg_pool2d(x, (x.size(2),
                    # x.size(3)))): one output per axis, a global pooling
                    nodes.append(Node(name, "adaptive", (src(fn.args[0]),), size=(1,) * n,
                                      source=fname))
                    continue
                layer = Layer("pool", k=ints(k_, n), s=ints(s_, n), p=ints(a.get("padding", 0), n),
                              d=ints(a.get("dilation", 1), n), ceil_mode=bool(a.get("ceil_mode")),
                              name=name, fits_kernel=fname in ("avg_pool3d", "lp_pool3d"),
                              average=fname.startswith("avg_pool"))
                if a.get("return_indices") or fname.endswith("with_indices"):
                    pooled.add(name)
                nodes.append(Node(name, "layer", (src(fn.args[0]),), layer, source=fname))
                continue
            if fn.op == "call_function" and _ADAPTIVE_FUNC.fullmatch(fname):
                size = fn.args[1] if len(fn.args) > 1 else kw["output_size"]
                n = _axes_of(fname)
                size = sizes_value(size, name) if isinstance(size, (tuple, list, fx.Node)) else \
                    (size,) * n
                _keeps_axes_only_in_2d_3d(size, n == 1, f"node {name} ({fname})")
                if kw.get("return_indices") or fname.endswith("with_indices"):
                    pooled.add(name)
                nodes.append(Node(name, "adaptive", (src(fn.args[0]),), size=size, source=fname))
                continue
            if fn.op == "call_function" and target in (F.pixel_shuffle, F.pixel_unshuffle):
                r = fn.args[1] if len(fn.args) > 1 else kw.get("upscale_factor",
                                                               kw.get("downscale_factor"))
                if not isinstance(r, int):
                    raise UsageError(f"node {name} ({what}): the factor {r!r} is not an integer")
                nodes.append(Node(name, fname, (src(fn.args[0]),), factor=r, source=fname))
                continue
            if fn.op == "call_function" and target is F.interpolate:
                size = kw.get("size", fn.args[1] if len(fn.args) > 1 else None)
                scale = kw.get("scale_factor", fn.args[2] if len(fn.args) > 2 else None)
                mode_ = kw.get("mode", fn.args[3] if len(fn.args) > 3 else "nearest")
                if size is not None and scale is not None:
                    raise UsageError(f"node {name} ({what}): both size and scale_factor; "
                                     "PyTorch refuses it (only one of size or scale_factor "
                                     "should be defined)")
                if mode_ in _MODE_AXES:       # linear, bilinear, trilinear name the axes
                    axes_named.add(_MODE_AXES[mode_])
                    moded.append((name, mode_))
                axes_named |= _tuple_axes(size, scale)      # a tuple names every spatial axis
                tuples[name] = _tuple_axes(size, scale)
                if size is not None:
                    nodes.append(Node(name, "resize", (src(fn.args[0]),),
                                      size=sizes_value(size, name), source=fname))
                    continue
                scales = scale if isinstance(scale, (tuple, list)) else (scale,)
                if scale is None:
                    raise UsageError(f"node {name} ({what}): neither size nor scale_factor")
                if any(float(v) != int(v) for v in scales):
                    nodes.append(_scaled_node(name, src(fn.args[0]), tuple(scales), fname))
                    continue
                f_ = tuple(int(v) for v in scales)
                nodes.append(Node(name, "layer", (src(fn.args[0]),),
                                  Layer("upsample", factor=f_ if len(f_) > 1 else f_[0], name=name),
                                  source=fname))
                continue
            if fn.op == "call_function" and target is F.pad:
                pad = tuple(size_value(v, name)
                            for v in (fn.args[1] if len(fn.args) > 1 else kw["pad"]))
                mode = kw.get("mode", fn.args[2] if len(fn.args) > 2 else "constant")
                if mode != "constant" and any(is_term(v) for v in pad):
                    raise UsageError(f"node {name} ({what}): {mode} padding by a size read from a "
                                     "tensor is not read (in constant mode it is)")
                if mode != "constant" and any(v < 0 for v in pad):
                    raise UsageError(f"node {name} ({what}): negative padding in {mode} mode is "
                                     "not read (a crop in constant mode is)")
                if mode not in ("constant", *_PAD_MODULES.values()):
                    raise UsageError(f"node {name} ({what}): padding mode {mode!r} is not read")
                nodes.append(Node(name, "pad", (src(fn.args[0]),), pads=_torch_pads(tuple(pad), name),
                                  source=fname, mode=mode))
                continue
            if fn.op == "call_function" and target is operator.getitem:
                idx = fn.args[1]
                idx = idx if isinstance(idx, tuple) else (idx,)
                if idx and idx[-1] is Ellipsis and Ellipsis not in idx[:-1]:
                    idx = idx[:-1]      # x[:, a:b, ...]: the axes after are kept
                if Ellipsis in idx:
                    # x[..., a:b] and x[:, :, ..., a:b]: the slices after it name the last axes
                    at = idx.index(Ellipsis)
                    if Ellipsis in idx[at + 1:] or at > 2 or \
                            any(v != slice(None) for v in idx[:at]):
                        raise UsageError(f"node {name} (slice {idx}): only x[..., a:b] or "
                                         "x[:, :, ..., a:b] with an ellipsis is read")
                    idx = (slice(None), slice(None), *idx[at + 1:])
                    ellipsis.add(name)
                if len(idx) >= 2 and isinstance(idx[1], slice) and idx[1] != slice(None) and \
                        idx[0] == slice(None) and name not in ellipsis:
                    # x[:, a:b]: a part of the channels first, then any spatial slices
                    cut = (idx[1].start, idx[1].stop, idx[1].step)
                    if not all(v is None or isinstance(v, int) and not isinstance(v, bool)
                               for v in cut) or (cut[2] is not None and cut[2] < 1):
                        raise UsageError(f"node {name} (slice {idx}): channels sliced by "
                                         f"{idx[1]!r}: int bounds and a positive step are read")
                    spatial_ = any(v != slice(None) for v in idx[2:])
                    part_name = f"{name}_channels" if spatial_ else name
                    nodes.append(Node(part_name, "identity", (src(fn.args[0]),),
                                      part=("slice", *cut), source="getitem"))
                    if not spatial_:
                        continue
                    idx = (slice(None), slice(None), *idx[2:])
                    from_part = part_name
                else:
                    from_part = None
                if len(idx) < 2 or any(not isinstance(v, slice) or v != slice(None) for v in idx[:2]):
                    raise UsageError(f"node {name} (slice {idx}): only slices of the channels "
                                     "and the spatial axes (x[:, a:b, c:d, e:f]) are read")
                for v in idx[2:]:
                    if not isinstance(v, slice):
                        raise UsageError(f"node {name} (index {idx}): an index that drops, adds or "
                                         f"gathers along a spatial axis ({v!r}) is not read; slices "
                                         "(a:b:c) are")
                    if isinstance(v.step, fx.Node):
                        raise UsageError(f"node {name} (slice {idx}): a step read from a tensor's "
                                         "size is not read")
                    if v.step is not None and (not isinstance(v.step, int) or v.step < 1):
                        raise UsageError(f"node {name} (slice {idx}): step {v.step!r}; PyTorch "
                                         "refuses it at every size (step must be greater than "
                                         "zero)")
                sl = tuple(None if v == slice(None) else
                           (*(e if e is None else size_value(e, name) for e in (v.start, v.stop)),
                            v.step) for v in idx[2:])
                nodes.append(Node(name, "slice", (from_part or src(fn.args[0]),), slices=sl,
                                  source="getitem"))
                continue
            if fn.op == "call_function" and target in (operator.eq, operator.ne, operator.lt,
                                                       operator.le, operator.gt, operator.ge) \
                    and any(isinstance(a_, fx.Node) and a_.name in size_of for a_ in fn.args):
                # ViT's torch._assert(h == self.image_size): a model of one input size
                raise UsageError(f"node {name} ({what}): compares a size read from a tensor "
                                 f"with {fn.args[1]!r} (a check that the input is of one "
                                 "size, as ViT's): not read")
            raise UsageError(f"node {name} ({what}) is not supported by from_torch")
    except (IndexError, KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, SymconvError):
            raise
        # arguments in a form the readers above do not take (an argument missing where
        # one was expected, a value of another type): refused, never a traceback
        raise UsageError(f"node {fn.name} ({fn.op} {getattr(fn.target, '__name__', fn.target)}): "
                         f"its arguments are not read ({type(exc).__name__}: {exc})") from None
    if inp is None:
        raise UsageError("the model has no input")
    # the input's name is the graph's input
    flat: set[str] = set()          # (N, features) tensors: after a flatten
    ranks: dict[int, Node] = {}     # the first size-changing node of each rank
    for nd in nodes:
        if nd.op == "flatten" or (not nd.size if nd.op == "unflatten" else
                                  any(x in flat for x in nd.inputs)):
            flat.add(nd.name)
        elif nd.op not in ("identity", "norm") and (d_ := _dims(nd.source)) is not None:
            ranks.setdefault(d_, nd)
    if len(ranks) > 1:
        # Conv1d on a 2-d input: PyTorch refuses it, or (one rank fewer) reads the batch as
        # the channels; a size-keeping layer's own rank rules are left to PyTorch
        raise UsageError("the model mixes " + " and ".join(
            f"{d_}-d ({nd.name}: {nd.source})" for d_, nd in sorted(ranks.items())) +
            " layers: symconv reads one number of spatial axes per model (PyTorch refuses "
            "the mix, or reads the batch as channels)")
    # a BatchNorm1d after flatten acts on (N, features): it names no spatial axes
    dims = sorted({d_ for nd in nodes if nd.name not in flat and
                   (d_ := _dims(nd.source)) is not None} | axes_named)
    if len(dims) > 1 and ranks:
        dims = sorted(ranks)        # a size-keeping layer of another rank: the layers decide
    # a per-axis tuple of a resize states the number of axes (Upsample(size=(3, 5, 1)))
    stated = sorted({len(v.factors) if isinstance(v, _Scaled) else len(nd.size)
                     for nd in nodes if nd.op == "resize" and nd.size
                     for v in nd.size[:1]
                     if (isinstance(v, _Scaled) and len(v.factors) > 1)
                     or (not isinstance(v, (_Scaled, _Dims)) and len(nd.size) > 1)})
    if ndim is not None and example_input_shape is not None and \
            len(example_input_shape) - 2 != ndim:
        raise UsageError(f"ndim={ndim} but example_input_shape has "
                         f"{len(example_input_shape) - 2} spatial axes")
    if ndim is not None and len(dims) == 1 and dims[0] != ndim:
        raise UsageError(f"ndim={ndim} but the model's layers are {dims[0]}-d")
    ndim = len(example_input_shape) - 2 if example_input_shape is not None else ndim if \
        ndim is not None else dims[0] if len(dims) == 1 else stated[0] if len(stated) == 1 \
        and not dims else None
    # F.pad and x[...] name the last axes and the first ones: the others are kept
    n_ax = ndim or max([len(nd.pads) for nd in nodes] + [len(nd.slices) for nd in nodes] + [2])
    for at_node, swapped in swaps_1d:
        if n_ax != 1:
            raise _swap_refusal(at_node, swapped, n_ax)
    for d_, nd in ranks.items():
        if d_ != n_ax:
            raise UsageError(f"node {nd.name} ({nd.source}) is {d_}-d and the model's input "
                             f"has {n_ax} spatial ax{'is' if n_ax == 1 else 'es'}: symconv "
                             "reads one number of spatial axes per model (PyTorch refuses the "
                             "mix, or reads the batch as channels)")
    modes = dict(moded)     # an interpolation's node says so (its receptive field)
    nodes = [replace(nd, mode=modes[nd.name]) if nd.name in modes and nd.op == "layer" and
             nd.layer is not None and nd.layer.kind == "upsample" else nd for nd in nodes]
    for at_node, mode_ in moded:
        if _MODE_AXES[mode_] != n_ax:
            raise UsageError(f"node {at_node} ({mode_} interpolation) needs "
                             f"{_MODE_AXES[mode_]} spatial ax{'is' if _MODE_AXES[mode_] == 1 else 'es'}, "
                             f"the model's input has {n_ax}: "
                             "PyTorch refuses it at every size")
    for nd in nodes:        # size-keeping layers and resizes of another rank
        here = 0 if nd.name in flat else n_ax
        refusal = _rank_refusal(f"node {nd.name}", nd.source, here)
        if refusal is not None:
            raise refusal
        if tuples.get(nd.name) and here not in tuples[nd.name]:
            raise UsageError(f"node {nd.name} ({nd.source}): a per-axis tuple of "
                             f"{min(tuples[nd.name])} on {here} spatial axes: PyTorch refuses "
                             "it (one entry per spatial axis)")
    for nd in nodes:
        if nd.op == "pad" and nd.mode != "constant" and len(nd.pads) != n_ax:
            # PyTorch's reflect, replicate and circular pad every spatial axis or refuse
            raise UsageError(f"node {nd.name} ({nd.source}): {nd.mode} padding gives "
                             f"{2 * len(nd.pads)} values for {n_ax} spatial axes; PyTorch "
                             f"refuses it on this input at every size: give {2 * n_ax}")
        if len(nd.slices) > n_ax:
            raise UsageError(f"node {nd.name} (slice): {len(nd.slices)} axes sliced, the input "
                             f"has {n_ax} spatial axes")
        if nd.op == "cat" and (refusal := _dim_refusal(f"node {nd.name}", "cat", nd.dim,
                                                          n_ax + 2)) is not None:
            # cat(.., 5) of a 4-d tensor was read as dim 1 (5 mod 4)
            raise refusal
        if nd.op == "cat" and not 1 <= nd.dim % (n_ax + 2) <= n_ax + 1:
            raise UsageError(f"node {nd.name} (cat): dim {nd.dim} joins the batch")
    for at_node, n_ in rows_made:
        if n_ + 1 != n_ax:
            raise UsageError(f"node {at_node} (transpose): of a global pooling's "
                             f"{n_ax - n_} sizes of 1 left: not read (one is, (N, C, 1) as a "
                             "row (N, 1, C))")
    for at_node, whole_, end_ in flat_ends:
        rank = 2 if whole_ in flat else n_ax + 2
        if end_ != rank - 1:
            raise UsageError(f"node {at_node} (flatten): end_dim={end_} on a {rank}-d tensor: "
                             f"not read (features from dim 1 to the last, end_dim={rank - 1} "
                             "or -1, are)")
    for at_node, n_ in squeezes:
        if n_ != n_ax:
            raise UsageError(f"node {at_node} (squeeze): drops {n_} of the {n_ax} spatial axes: "
                             "not read (every one is, to (N, C))")
    for nd in nodes:
        if nd.op == "unflatten" and nd.size and len(nd.size) != n_ax:
            raise UsageError(f"node {nd.name} ({nd.source}): views a tensor as (N, C"
                             f"{''.join(f', {v}' for v in nd.size)}), {len(nd.size)} spatial "
                             f"ax{'is' if len(nd.size) == 1 else 'es'} where the model's input "
                             f"has {n_ax}: not read (symconv reads one number of spatial axes "
                             "per model)")
    for at_node, what, dim_ in channel_dims:
        if dim_ != -(n_ax + 1):
            raise UsageError(f"node {at_node} ({what}): dim {dim_} of a tensor of "
                             f"{n_ax + 2} dimensions is not the channels (dim 1 or "
                             f"{-(n_ax + 1)}): not read")
    for at_node, what, x_, dims in dim_uses:
        # a softmax's or a reduction's dim out of range (x.sum((2, 7)) was read as (2, 3))
        if (refusal := _dim_refusal(f"node {at_node}", what, dims,
                                    2 if x_ in flat else n_ax + 2)) is not None:
            raise refusal
    for at_node, what, dims in reductions:
        if sorted(v % (n_ax + 2) for v in dims) != list(range(2, n_ax + 2)):
            raise UsageError(f"node {at_node} ({what}): reduces dims {dims}; symconv reads a "
                             f"reduction over every spatial axis {tuple(range(2, n_ax + 2))}")

    # the graph's input is "x", unless a node of the model is named so (a module self.x):
    # then the model's own argument name, or a name no module path can be
    taken = {nd.name for nd in nodes}
    x_name = next(c for c in ("x", inp or "x", "input", "x.input") if c not in taken)

    def fix(v: Any, where: str) -> Any:
        # a size read from the input reads its name; axes from the end must be spatial ones
        if not is_term(v):
            return v
        v = renamed(v, {inp: x_name})
        for r in refs(v):
            if r.axis < -n_ax:
                raise UsageError(f"node {where}: reads dimension {r.axis} of {r.node}, which is "
                                 f"not one of its {n_ax} spatial axes")
        return v

    def read(nd: Node) -> Node:
        size = nd.size[0].sizes(n_ax + 2, nd.name) if len(nd.size) == 1 and \
            isinstance(nd.size[0], _Dims) else nd.size[0].sizes(n_ax, nd.name) \
            if len(nd.size) == 1 and isinstance(nd.size[0], _Scaled) else nd.size
        return replace(nd, size=size).with_values(lambda v: fix(v, nd.name))
    nodes = [read(nd) for nd in nodes]
    nodes = [replace(nd, inputs=tuple(x_name if s_ == inp else s_ for s_ in nd.inputs),
                     dim=nd.dim % (n_ax + 2) if nd.op == "cat" else nd.dim,
                     pads=((0, 0),) * (n_ax - len(nd.pads)) + nd.pads if nd.pads else nd.pads,
                     slices=((None,) * (n_ax - len(nd.slices)) + nd.slices
                             if nd.name in ellipsis else
                             nd.slices + (None,) * (n_ax - len(nd.slices))) if nd.slices
                     else nd.slices)
             for nd in nodes]
    for nd in nodes:
        if nd.name in flat and nd.source.startswith(("InstanceNorm", "instance_norm")):
            raise UsageError(f"node {nd.name} ({nd.source}): instance statistics of features "
                             "(N, F): not read (PyTorch takes a 2-d input as one unbatched "
                             "sample, its batch as the channels)")
    # after a flatten the channels are the features, which the sizes make: a norm's
    # num_features there is a check like a Linear's in_features (it couples the axes)
    nodes = [Node(nd.name, "linear", nd.inputs, in_features=nd.takes, out_features=nd.takes,
                  bias=False, takes=nd.takes, source=f"{nd.source} num_features",
                  weights=nd.weights, shares=nd.shares)
             if nd.takes is not None and nd.op != "linear" and nd.name in flat else nd
             for nd in nodes]
    for at_node, what, param, shape in params_used:
        # broadcasting aligns from the right: a size above 1 there fixes a spatial size
        # (channels-last: before the channels)
        spatial = shape[-(ndim or 2) - 1:-1] if at_node in chlast else shape[-(ndim or 2):]
        width = (shape[-1] if at_node in chlast else shape[-(ndim or 2) - 1]) \
            if len(shape) > (0 if at_node in chlast else (ndim or 2)) else 1
        if width > 1:
            # its channel entry broadcasts with the tensor's: equal, or from 1
            at = next(j for j, nd in enumerate(nodes) if nd.name == at_node)
            nodes[at] = replace(nodes[at], op=merged_by.get(at_node, nodes[at].op),
                                channels=width)
        if len(shape) > (ndim or 2) + 2 or (len(shape) == (ndim or 2) + 2 and shape[0] != 1):
            raise UsageError(f"node {at_node} ({what}): the parameter {param} of shape {shape} "
                             "broadcasts over the batch, which would change it: not read")
        if any(v != 1 for v in spatial):
            raise UsageError(f"node {at_node} ({what}): the parameter {param} of shape {shape} "
                             "has spatial sizes, which would fix the input's: not read")
    for at_node, normalized in layer_norms:
        node_ = next(nd for nd in nodes if nd.name == at_node)
        named = {"layer_norm": "LayerNorm", "rms_norm": "RMSNorm"}.get(node_.source,
                                                                       node_.source)
        if at_node in last_norms:
            if len(normalized) != 1:
                raise UsageError(f"node {at_node} ({named}{list(normalized)}): normalises "
                                 f"over {len(normalized)} dimensions of a channels-last tensor, "
                                 "which fixes spatial sizes: not read (over the channels, one, "
                                 "it is)")
            # over the channels at every position: its shape is their count
            nodes[nodes.index(node_)] = replace(node_, takes=normalized[0])
            continue
        if node_.inputs[0] in flat and len(normalized) == 1:
            # on (N, features) it normalises the features: their count is its shape
            nodes[nodes.index(node_)] = Node(at_node, "linear", node_.inputs,
                                             in_features=normalized[0],
                                             out_features=normalized[0], bias=False,
                                             takes=normalized[0], weights=node_.weights,
                                             shares=node_.shares,
                                             source=f"{node_.source} normalized_shape")
        if node_.inputs[0] in flat and len(normalized) != 1:
            raise UsageError(f"node {at_node} ({named}{list(normalized)}): normalises over "
                             f"{len(normalized)} dimensions of a flattened (N, features) "
                             "tensor: not read (one, the features, is)")
        if node_.inputs[0] not in flat:
            # it normalises over the last dimensions, spatial ones among them: their sizes
            # are fixed by normalized_shape, a rule symconv does not state
            raise UsageError(f"node {at_node} ({named}{list(normalized)}): normalises over "
                             "the last dimensions of a tensor with spatial axes, which fixes "
                             "their sizes: not read (after a flatten it is)")
    unreached = _unreached(module, traced)
    if unreached:
        assumed.append(unreached)
    in_ch = example_input_shape[1] if example_input_shape is not None else \
        _input_channels(nodes, x_name)
    graph = Graph(tuple(nodes), in_channels=in_ch, ndim=ndim, input=x_name,
                  assumptions=tuple(assumed))
    return graph if in_ch is not None else _with_channels_taken(graph)

