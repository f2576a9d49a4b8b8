r"""Framework conventions as presets over the same relations.

A :class:`Preset` says how a framework chooses the padding of a layer
(``padding='same'`` in PyTorch, ``'SAME'`` in TensorFlow/Keras/JAX,
``auto_pad`` in ONNX) and where an odd total goes; the output size is then
always computed by the one relation ``conv_asym`` (or ``conv_transpose_asym``
for transposed layers).  The totals are the relations ``pad_same_torch`` and
``pad_same_tf``; nothing is restated here.

=========================  ======================================  ============
preset                     total padding ``T``                     odd extra
=========================  ======================================  ============
torch same (stride 1)      ``d(k-1)``                              end
tf/keras/jax SAME          ``max((ceil(i/s)-1)s + k^ - i, 0)``     end
onnx SAME_UPPER            as TF                                   end
onnx SAME_LOWER, jax       as TF                                   start
  SAME_LOWER
valid / VALID              0                                       --
=========================  ======================================  ============

>>> same_padding("tf", i=225, k=4, s=2)
(1, 2)
>>> preset("tf", "SAME").apply(i=225, k=4, s=2)
PresetResult(framework='tf', padding='SAME', p_l=1, p_r=2, o=113, a=None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from ._exact import compile_expr
from ._gate import plain
from .errors import DomainError, UnknownNameError, UsageError
from .relations import CONV_ASYM, CONV_TRANSPOSE_ASYM, DILATED_KERNEL, PAD_SAME_TF, PAD_SAME_TORCH
from .symbols import s

__all__ = ["Preset", "PresetResult", "preset", "same_padding", "split_extra_at_end", "PRESETS",
           "FRAMEWORKS", "torch_output_size_range", "torch_output_padding_for",
           "tf_output_shape_range"]

FRAMEWORKS = {
    "torch": "torch", "pytorch": "torch", "tf": "tf", "tensorflow": "tf", "keras": "keras",
    "jax": "jax", "onnx": "onnx",
}

# Keras/TF transposed convolutions, stated once here (Keras 3,
# keras/src/backend/common/backend_utils.py, _get_output_shape_given_tf_padding):
#   'valid' with output_padding None:  a = max(k^, s) - k^
#   'same'  with output_padding None:  o = i s   (total padding max(k^ - s, 0), a = max(s - k^, 0))
#   'same'  with output_padding a:     symmetric padding floor(k^/2)
_KHAT = DILATED_KERNEL.rhs
KERAS_VALID_DEFAULT_A = sympy.Max(_KHAT, s) - _KHAT
KERAS_SAME_TOTAL = sympy.Max(_KHAT - s, 0)
KERAS_SAME_DEFAULT_A = sympy.Max(s - _KHAT, 0)
KERAS_SAME_PAD = sympy.floor(_KHAT / 2)


@dataclass(frozen=True)
class PresetResult:
    """Padding chosen by a preset and the output size it gives."""

    framework: str
    padding: str
    p_l: int
    p_r: int
    o: int
    a: int | None = None

    @property
    def total(self) -> int:
        return self.p_l + self.p_r

    def _repr_latex_(self) -> str:
        a = rf",\ a = {self.a}" if self.a is not None else ""
        return (rf"$\text{{{self.framework} {self.padding}}}: p_{{l}} = {self.p_l},\ "
                rf"p_{{r}} = {self.p_r}{a},\ o = {self.o}$")

    def explain(self) -> str:
        side = "end" if self.p_r >= self.p_l else "start"
        extra = f", output_padding {self.a}" if self.a is not None else ""
        return (f"{self.framework} {self.padding}: total padding {self.total}, split "
                f"p_l={self.p_l}, p_r={self.p_r} (extra at the {side}){extra}; output {self.o}")


@dataclass(frozen=True)
class Preset:
    """A framework's padding rule for one kind of layer.

    ``op`` is ``conv`` (also pooling) or ``conv_transpose``; ``total`` the
    total-padding expression (a relation's right side), ``lower_gets_extra``
    where an odd total puts its extra unit.
    """

    framework: str
    padding: str
    op: str
    total: sympy.Expr | None
    lower_gets_extra: bool = False
    stride_one_only: bool = False
    rejects_stride_with_dilation: bool = False

    def _check(self, i: int, kk: int, ss: int, dd: int) -> None:
        for name, v, lo in (("input size i", i, 1), ("kernel size k", kk, 1),
                            ("stride s", ss, 1), ("dilation d", dd, 1)):
            if isinstance(v, bool) or not isinstance(v, int):
                raise DomainError(f"{name} must be an integer, got {v!r}")
            if v < lo:
                raise DomainError(f"{name} must be a positive integer (>= 1), got {v}")
        if self.stride_one_only and ss != 1:
            raise DomainError(f"PyTorch padding='same' needs stride 1, got s={ss} "
                              "(PyTorch: 'padding='same' is not supported for strided "
                              "convolutions'); use explicit padding or TF-style SAME")
        if self.rejects_stride_with_dilation and ss > 1 and dd > 1:
            raise DomainError(f"{self.framework} rejects stride > 1 together with dilation > 1; "
                              f"got s={ss}, d={dd}")

    def split(self, total: int) -> tuple[int, int]:
        before, after = split_extra_at_end(total)
        return (after, before) if self.lower_gets_extra else (before, after)

    def apply(self, *, i: Any = None, k: Any = None, s: int = 1, d: int = 1,
              a: int | None = None, **unknown: Any) -> PresetResult:
        """Padding and output size of this preset for one axis."""
        if unknown:
            import difflib
            name = next(iter(unknown))
            near = difflib.get_close_matches(name, ["i", "k", "s", "d", "a"], n=1)
            raise UnknownNameError(f"preset apply takes i, k, s, d, a, not {name!r}" +
                                   (f"; did you mean {near[0]!r}?" if near else ""))
        if i is None or k is None:
            raise UsageError(f"preset apply needs i= and k=, got "
                             f"{', '.join(n for n, v in (('i', i), ('k', k)) if v is not None) or 'neither'}")
        i, k, s, d, a = (plain(v) for v in (i, k, s, d, a))
        self._check(i, k, s, d)
        env = {"i": i, "k": k, "s": s, "d": d}
        if self.op == "conv_transpose":
            return self._apply_transpose(env, a)
        if a is not None:
            raise DomainError("output_padding a applies to transposed convolutions only")
        total = int(compile_expr(self.total)(env)) if self.total is not None else 0
        p_l, p_r = self.split(total)
        env.update(p_l=p_l, p_r=p_r)
        if not compile_expr(CONV_ASYM.conditions[0].expr)(env):
            raise DomainError(f"{CONV_ASYM.conditions[0].rule}; got i={i}, k={k}, d={d} with "
                              f"{self.framework} {self.padding} padding {p_l}+{p_r}")
        o = compile_expr(CONV_ASYM.rhs)(env)
        return PresetResult(self.framework, self.padding, p_l, p_r, o)

    def _apply_transpose(self, env: dict[str, int], a: int | None) -> PresetResult:
        if a is not None and (isinstance(a, bool) or not isinstance(a, int) or a < 0):
            raise DomainError(f"output_padding a must be a nonnegative integer, got {a!r}")
        if a is not None and a >= env["s"] and self.framework in ("keras", "tf"):
            raise DomainError(f"Keras output_padding must be smaller than the stride: "
                              f"a={a}, s={env['s']}")
        mode = self.padding.lower()
        if mode == "valid":
            p_l = p_r = 0
            if a is None:
                a = int(compile_expr(KERAS_VALID_DEFAULT_A)(env))
        elif mode == "same" and a is None:
            p_l, p_r = self.split(int(compile_expr(KERAS_SAME_TOTAL)(env)))
            a = int(compile_expr(KERAS_SAME_DEFAULT_A)(env))
        elif mode == "same":
            p_l = p_r = int(compile_expr(KERAS_SAME_PAD)(env))
        elif mode in ("same_upper", "same_lower"):
            a = a or 0
            total = (env["i"] - 1) * env["s"] + a + compile_expr(_KHAT)(env) - env["i"] * env["s"]
            if total < 0:
                raise DomainError(f"ONNX ConvTranspose {self.padding} would need negative padding "
                                  f"({total}) for i={env['i']}, k={env['k']}, s={env['s']}")
            p_l, p_r = self.split(total)
        else:
            raise UnknownNameError(f"no transposed preset {self.padding!r}")
        env2 = {**env, "p_l": p_l, "p_r": p_r, "a": a}
        o = compile_expr(CONV_TRANSPOSE_ASYM.rhs)(env2)
        return PresetResult(self.framework, self.padding, p_l, p_r, o, a)


def split_extra_at_end(total: int) -> tuple[int, int]:
    """PyTorch's and TF's split of a total padding: ``(total // 2, total - total // 2)``."""
    return total // 2, total - total // 2


def _direct(fw: str, pad: str, total: sympy.Expr | None, lower: bool = False, **kw: Any) -> Preset:
    return Preset(fw, pad, "conv", total, lower, **kw)


_ZERO = sympy.Integer(0)
PRESETS: dict[tuple[str, str, str], Preset] = {}
for _p in (
    _direct("torch", "same", PAD_SAME_TORCH.rhs, stride_one_only=True),
    _direct("torch", "valid", _ZERO),
    _direct("tf", "SAME", PAD_SAME_TF.rhs, rejects_stride_with_dilation=True),
    _direct("tf", "VALID", _ZERO, rejects_stride_with_dilation=True),
    _direct("keras", "same", PAD_SAME_TF.rhs, rejects_stride_with_dilation=True),
    _direct("keras", "valid", _ZERO, rejects_stride_with_dilation=True),
    _direct("jax", "SAME", PAD_SAME_TF.rhs),
    _direct("jax", "SAME_LOWER", PAD_SAME_TF.rhs, lower=True),
    _direct("jax", "VALID", _ZERO),
    _direct("onnx", "SAME_UPPER", PAD_SAME_TF.rhs),
    _direct("onnx", "SAME_LOWER", PAD_SAME_TF.rhs, lower=True),
    _direct("onnx", "VALID", _ZERO),
    Preset("keras", "same", "conv_transpose", None),
    Preset("keras", "valid", "conv_transpose", None),
    Preset("tf", "SAME", "conv_transpose", None),
    Preset("tf", "VALID", "conv_transpose", None),
    Preset("jax", "SAME", "conv_transpose", None),
    Preset("jax", "VALID", "conv_transpose", None),
    Preset("onnx", "SAME_UPPER", "conv_transpose", None),
    Preset("onnx", "SAME_LOWER", "conv_transpose", None, lower_gets_extra=True),
):
    PRESETS[(_p.framework, _p.padding.lower(), _p.op)] = _p


def preset(framework: str, padding: str, op: str = "conv") -> Preset:
    """The preset for ``framework`` (torch, tf, keras, jax, onnx) and its padding mode.

    ``op`` is ``conv`` (convolution or pooling) or ``conv_transpose``.

    >>> preset("torch", "same").apply(i=10, k=4, d=1).explain()
    'torch same: total padding 3, split p_l=1, p_r=2 (extra at the end); output 10'
    """
    fw = FRAMEWORKS.get(str(framework).lower())
    if fw is None:
        raise UnknownNameError(f"unknown framework {framework!r}; known: torch, tf, keras, jax, "
                               "onnx")
    key = (fw, str(padding).lower(), "conv_transpose" if "transpose" in op else "conv")
    if key not in PRESETS:
        modes = sorted({pad for (f, pad, o) in PRESETS if f == fw and o == key[2]})
        raise UnknownNameError(f"{fw} has no {op} padding {padding!r}; known: {', '.join(modes)}")
    return PRESETS[key]


def same_padding(framework: str, *, i: int, k: int, s: int = 1, d: int = 1,
                 mode: str | None = None) -> tuple[int, int]:
    """``(before, after)`` padding of a framework's 'same' mode for one axis.

    >>> same_padding("torch", i=7, k=4)
    (1, 2)
    >>> same_padding("onnx", i=225, k=4, s=2, mode="SAME_LOWER")
    (2, 1)
    """
    fw = FRAMEWORKS.get(str(framework).lower(), str(framework))
    default = {"torch": "same", "keras": "same", "onnx": "SAME_UPPER"}.get(fw, "SAME")
    res = preset(framework, mode or default).apply(i=i, k=k, s=s, d=d)
    return res.p_l, res.p_r





def torch_output_size_range(*, i: int, k: int, s: int = 1, p: int = 0, d: int = 1
                            ) -> tuple[int, int]:
    """The ``output_size`` values ``ConvTranspose(...)(x, output_size=...)`` accepts.

    PyTorch takes the output of ``output_padding = 0`` as the smallest size ``m`` and
    accepts ``m .. m + s - 1`` (not ``max(s, d)``: with ``d > s`` some legal
    output_padding values cannot be reached this way).

    >>> torch_output_size_range(i=3, k=3, s=2, p=1)
    (5, 6)
    """
    from .relations import CONV_TRANSPOSE
    m = CONV_TRANSPOSE.evaluate(i=i, k=k, s=s, p=p, d=d, a=0)
    return m, m + s - 1


def torch_output_padding_for(size: int, *, i: int, k: int, s: int = 1, p: int = 0,
                             d: int = 1) -> int:
    """The output_padding PyTorch picks for ``output_size=size`` (or why it refuses)."""
    lo, hi = torch_output_size_range(i=i, k=k, s=s, p=p, d=d)
    if not lo <= size <= hi:
        raise DomainError(f"PyTorch accepts output_size in [{lo}, {hi}] for i={i}, k={k}, "
                          f"s={s}, p={p}, d={d}; got {size}")
    return size - lo


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
    forward = preset("tf", padding)

    def out(x: int) -> int:
        try:
            return forward.apply(i=x, k=k, s=s, d=d).o
        except DomainError:
            return 0

    def first_at_least(target: int) -> int:
        lo, hi = 0, 1
        while out(hi) < target:
            lo, hi = hi, 2 * hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if out(mid) >= target:
                hi = mid
            else:
                lo = mid
        return hi
    lo = first_at_least(i)
    hi = first_at_least(i + 1) - 1
    if lo > hi or out(lo) != i:
        raise DomainError(f"no output_shape maps back to i={i} with k={k}, s={s}, d={d}, "
                          f"{padding}")
    return lo, hi
