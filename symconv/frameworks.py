r"""Framework conventions: the padding presets (:mod:`symconv.presets`, re-exported
here) and the transposed sizes each framework accepts.

A :class:`Preset` says how a framework chooses the padding of a layer
(``padding='same'`` in PyTorch, ``'SAME'`` in TensorFlow/Keras/JAX, ``auto_pad`` in
ONNX) and where an odd total goes; the output size is then always the one relation
``conv_asym`` (or ``conv_transpose_asym``).

>>> same_padding("tf", i=225, k=4, s=2)
(1, 2)
>>> preset("tf", "SAME").apply(i=225, k=4, s=2)
PresetResult(framework='tf', padding='SAME', p_l=1, p_r=2, o=113, a=None)
"""

from __future__ import annotations

from ._gate import MAX_BITS, as_int, short
from ._search import first_true
from .errors import DomainError, UsageError
from .presets import (
    FRAMEWORK_RULES,
    FRAMEWORKS,
    PRESETS,
    Framework,
    Preset,
    PresetResult,
    framework_rules,
    preset,
    same_padding,
    split_extra_at_end,
)
from .relations import CONV_TRANSPOSE
from .vocabulary import takes_aliases

__all__ = ["Framework", "FRAMEWORK_RULES", "framework_rules", "Preset", "PresetResult", "preset",
           "same_padding", "split_extra_at_end", "PRESETS", "FRAMEWORKS",
           "torch_output_size_range", "torch_output_padding_for", "tf_output_shape_range"]


@takes_aliases
def torch_output_size_range(*, i: int, k: int, s: int = 1, p: int = 0, d: int = 1
                            ) -> tuple[int, int]:
    """The ``output_size`` values ``ConvTranspose(...)(x, output_size=...)`` accepts.

    PyTorch takes the output of ``output_padding = 0`` as the smallest size ``m`` and
    accepts ``m .. m + s - 1`` (not ``max(s, d)``: with ``d > s`` some legal
    output_padding values cannot be reached this way).

    When ``m`` is below 1 (the padding eats the output), PyTorch still takes the sizes
    from 1 to ``m + s - 1`` (``ConvTranspose1d(1, 1, 1, stride=3, padding=1)`` on one
    element: output_size 1, output_padding 2): the range is read from the largest
    output_padding, ``s - 1``, and starts at 1.

    >>> torch_output_size_range(i=3, k=3, s=2, p=1)
    (5, 6)
    >>> torch_output_size_range(i=1, k=1, s=3, p=1)
    (1, 1)
    """
    top = CONV_TRANSPOSE.evaluate(i=i, k=k, s=s, p=p, d=d, a=s - 1)
    return max(top - (s - 1), 1), top


@takes_aliases
def torch_output_padding_for(size: int, *, i: int, k: int, s: int = 1, p: int = 0,
                             d: int = 1) -> int:
    """The output_padding PyTorch picks for ``output_size=size`` (or why it refuses):
    ``size - m``, ``m`` the size with output_padding 0 (below 1 too).

    >>> torch_output_padding_for(1, i=1, k=1, s=3, p=1)
    2
    """
    size = as_int("output_size", size)
    lo, hi = torch_output_size_range(i=i, k=k, s=s, p=p, d=d)
    if not lo <= size <= hi:
        raise DomainError(f"PyTorch accepts output_size in [{lo}, {hi}] for i={i}, k={k}, "
                          f"s={s}, p={p}, d={d}; got {size}")
    return size - (hi - (s - 1))


@takes_aliases
def tf_output_shape_range(*, i: int, k: int, s: int = 1, d: int = 1, padding: str = "SAME"
                          ) -> tuple[int, int]:
    """The ``output_shape`` sizes ``tf.nn.conv2d_transpose`` accepts: every size ``o`` whose
    forward convolution (the same padding mode) gives back ``i``.

    Found by bisection on the forward preset, which is nondecreasing in its input.

    >>> tf_output_shape_range(i=4, k=3, s=2, padding="SAME")
    (7, 8)
    >>> tf_output_shape_range(i=4, k=3, s=2, padding="VALID")
    (9, 10)
    """
    i, k, s, d = (as_int(what, v, 1) for what, v in (
        ("the transposed input size i", i), ("kernel size k", k), ("stride s", s),
        ("dilation d", d)))
    for name, v in (("i", i), ("k", k), ("s", s), ("d", d)):
        if v.bit_length() > MAX_BITS:      # as a formula's integers are bounded
            raise DomainError(f"{name} has {v.bit_length()} bits: at most {MAX_BITS}")
    if padding not in ("SAME", "VALID"):
        raise UsageError(f"tf.nn.conv2d_transpose takes padding 'SAME' or 'VALID', as written, "
                         f"not {padding!r} (TensorFlow: 'not in the list of allowed values')")
    forward = preset("tf", padding)
    rule = forward.rules.stride_dilation_rule((s,), (d,))
    if rule is not None:        # every forward size refused: say why, not an overflow
        raise DomainError(f"{rule}; got s={s}, d={d}")

    def out(x: int) -> int:
        try:
            return forward.apply(i=x, k=k, s=s, d=d).o
        except DomainError:
            return 0

    # the forward output reaches i + 1 by an input of (i + 1) s + d (k - 1) + 1: the
    # search's bound is past it, whatever the sizes' length
    bits = max(256, ((i + 1) * s + d * k).bit_length() + 2)

    def first_at_least(target: int) -> int:
        return first_true(lambda x: out(x) >= target, 0, 1, bits=bits,
                          overflow=f"the forward {padding} convolution reaches {short(target)} "
                                   f"at no output_shape below 2**{bits}")

    lo = first_at_least(i)
    hi = first_at_least(i + 1) - 1
    if lo > hi or out(lo) != i:
        raise DomainError(f"no output_shape maps back to i={i} with k={k}, s={s}, d={d}, "
                          f"{padding}")
    return lo, hi
