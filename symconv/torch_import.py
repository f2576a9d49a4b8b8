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

from typing import Any

from .chain import Chain, Layer
from .errors import UsageError

__all__ = ["from_torch"]

_SIZE_KEEPING = ("ReLU", "ReLU6", "LeakyReLU", "GELU", "SiLU", "Sigmoid", "Tanh", "Hardswish",
                 "ELU", "Mish", "Softmax", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm",
                 "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm", "Dropout",
                 "Dropout1d", "Dropout2d", "Dropout3d", "Identity", "LocalResponseNorm")


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


def _layers(module: Any, path: str, dims: list[int]) -> list[Layer]:
    import torch.nn as nn
    name = type(module).__name__
    n = _dims(name)
    if n is not None:
        dims.append(n)
    if isinstance(module, nn.Sequential):
        out: list[Layer] = []
        for child_name, child in module.named_children():
            out += _layers(child, f"{path}.{child_name}" if path else child_name, dims)
        return out
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        assert n is not None
        if module.padding_mode != "zeros":
            raise UsageError(f"layer {path} ({name}): padding_mode={module.padding_mode!r} "
                             "is not supported (zeros only)")
        pad = module.padding if isinstance(module.padding, str) else \
            _axes(module.padding, n, path, "padding")
        return [Layer("conv", k=_axes(module.kernel_size, n, path, "kernel_size"),
                      s=_axes(module.stride, n, path, "stride"), p=pad,
                      d=_axes(module.dilation, n, path, "dilation"), name=path,
                      F_i=module.in_channels, F_o=module.out_channels, g=module.groups,
                      bias=module.bias is not None)]
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        assert n is not None
        return [Layer("conv_transpose", k=_axes(module.kernel_size, n, path, "kernel_size"),
                      s=_axes(module.stride, n, path, "stride"),
                      p=_axes(module.padding, n, path, "padding"),
                      d=_axes(module.dilation, n, path, "dilation"),
                      a=_axes(module.output_padding, n, path, "output_padding"),
                      name=path, F_i=module.in_channels, F_o=module.out_channels,
                      g=module.groups, bias=module.bias is not None)]
    if isinstance(module, (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d,
                           nn.AvgPool3d)):
        assert n is not None
        stride = module.stride if module.stride not in (None, ()) else module.kernel_size
        return [Layer("pool", k=_axes(module.kernel_size, n, path, "kernel_size"),
                      s=_axes(stride, n, path, "stride"),
                      p=_axes(module.padding, n, path, "padding"),
                      d=_axes(getattr(module, "dilation", 1), n, path, "dilation"),
                      ceil_mode=bool(module.ceil_mode), name=path)]
    if isinstance(module, nn.Upsample):
        f = module.scale_factor
        fs: tuple[Any, ...] = tuple(f) if isinstance(f, (tuple, list)) else (f,)
        if module.size is not None or f is None or any(x is None or float(x) != int(x)
                                                       for x in fs):
            raise UsageError(f"layer {path} ({name}): only an integer scale_factor is supported")
        ints = tuple(int(x) for x in fs)
        return [Layer("upsample", factor=ints if len(ints) > 1 else ints[0], name=path)]
    if name in _SIZE_KEEPING:
        return [Layer("identity", name=path)]
    raise UsageError(f"layer {path or '(root)'} ({name}) is not supported by from_torch: "
                     "Conv, ConvTranspose, MaxPool/AvgPool, Upsample, activations, "
                     "normalisation, dropout and nested Sequential are")


def from_torch(module: Any, axis: int | None = None, ndim: int | None = None) -> Chain:
    """The N-d chain of an ``nn.Sequential``: every axis read (``ndim`` from its layers).

    ``axis=j`` gives the chain's rules on spatial axis ``j`` only (:meth:`Chain.axis`);
    its params, MACs and flattened sizes are left unknown, as they need every axis.
    """
    try:
        import torch.nn  # noqa: F401
    except ImportError:
        raise UsageError("from_torch needs torch: pip install 'symconv[torch]'") from None
    dims: list[int] = []
    layers = _layers(module, "", dims)
    found = sorted(set(dims))
    if len(found) > 1:
        raise UsageError(f"the model mixes {found}-d layers: one number of spatial axes per chain")
    if ndim is not None and found and found[0] != ndim:
        raise UsageError(f"ndim={ndim} but the model's layers are {found[0]}-d")
    chain = Chain(tuple(layers), ndim=ndim or (found[0] if found else None))
    return chain.axis(axis) if axis is not None else chain
