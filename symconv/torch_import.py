"""``from_torch``: read an ``nn.Sequential`` into a :class:`~symconv.chain.Chain` without running it.

Conv1d/2d/3d, ConvTranspose1d/2d/3d, MaxPool/AvgPool 1d/2d/3d, Upsample with an
integer scale factor, and layers that keep the size (activations, normalisation,
dropout, Identity) are read, through nested ``nn.Sequential`` containers.  Anything
else raises a :class:`~symconv.errors.UsageError` naming the layer.  Per-axis
values are read for one spatial ``axis`` at a time.  torch is imported only here
(the optional extra ``symconv[torch]``).
"""

from __future__ import annotations

from typing import Any

from ._gate import as_int
from .chain import Chain, Layer
from .errors import UsageError

__all__ = ["from_torch"]

_SIZE_KEEPING = ("ReLU", "ReLU6", "LeakyReLU", "GELU", "SiLU", "Sigmoid", "Tanh", "Hardswish",
                 "ELU", "Mish", "Softmax", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm",
                 "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm", "Dropout",
                 "Dropout1d", "Dropout2d", "Dropout3d", "Identity", "LocalResponseNorm")


def _axis(v: Any, axis: int) -> Any:
    if isinstance(v, (tuple, list)):
        if len(v) > 1 and axis >= len(v):
            raise UsageError(f"axis {axis} of a layer with {len(v)} spatial axes: give axis "
                             f"0..{len(v) - 1}")
        return v[axis] if len(v) > 1 else v[0]
    return v


def _layers(module: Any, axis: int, path: str) -> list[Layer]:
    import torch.nn as nn
    name = type(module).__name__
    if isinstance(module, nn.Sequential):
        out: list[Layer] = []
        for child_name, child in module.named_children():
            out += _layers(child, axis, f"{path}.{child_name}" if path else child_name)
        return out
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        if module.padding_mode != "zeros":
            raise UsageError(f"layer {path} ({name}): padding_mode={module.padding_mode!r} "
                             "is not supported (zeros only)")
        pad = module.padding if isinstance(module.padding, str) else _axis(module.padding, axis)
        return [Layer("conv", k=_axis(module.kernel_size, axis), s=_axis(module.stride, axis),
                      p=pad, d=_axis(module.dilation, axis), name=path,
                      F_i=module.in_channels, F_o=module.out_channels, g=module.groups,
                      bias=module.bias is not None)]
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        return [Layer("conv_transpose", k=_axis(module.kernel_size, axis),
                      s=_axis(module.stride, axis), p=_axis(module.padding, axis),
                      d=_axis(module.dilation, axis), a=_axis(module.output_padding, axis),
                      name=path, F_i=module.in_channels, F_o=module.out_channels,
                      g=module.groups, bias=module.bias is not None)]
    if isinstance(module, (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d,
                           nn.AvgPool3d)):
        k = _axis(module.kernel_size, axis)
        stride = module.stride if module.stride not in (None, ()) else module.kernel_size
        d = _axis(getattr(module, "dilation", 1), axis)
        return [Layer("pool", k=k, s=_axis(stride, axis), p=_axis(module.padding, axis), d=d,
                      ceil_mode=bool(module.ceil_mode), name=path)]
    if isinstance(module, nn.Upsample):
        f = _axis(module.scale_factor, axis)
        if module.size is not None or f is None or float(f) != int(f):
            raise UsageError(f"layer {path} ({name}): only an integer scale_factor is supported")
        return [Layer("upsample", factor=int(f), name=path)]
    if name in _SIZE_KEEPING:
        return [Layer("identity", name=path)]
    raise UsageError(f"layer {path or '(root)'} ({name}) is not supported by from_torch: "
                     "Conv, ConvTranspose, MaxPool/AvgPool, Upsample, activations, "
                     "normalisation, dropout and nested Sequential are")


def from_torch(module: Any, axis: int = 0, ndim: int | None = None) -> Chain:
    """The chain of an ``nn.Sequential`` along spatial ``axis`` (0 = the first)."""
    try:
        import torch.nn  # noqa: F401
    except ImportError:
        raise UsageError("from_torch needs torch: pip install 'symconv[torch]'") from None
    axis = as_int("axis", axis, 0)
    try:
        layers = _layers(module, axis, "")
    except RecursionError:
        raise UsageError("the module is nested too deeply to read (Sequential inside "
                         "Sequential beyond Python's recursion limit)") from None
    if ndim is None:
        ndim = next((len(ly.k) if isinstance(ly.k, tuple) else None for ly in layers), None) or 2
    return Chain(tuple(layers), ndim=ndim)
