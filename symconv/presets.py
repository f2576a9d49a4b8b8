r"""Framework padding presets, read without sympy: the same relations, generated.

A :class:`Preset` says how a framework chooses the padding of a layer
(``padding='same'`` in PyTorch, ``'SAME'`` in TensorFlow/Keras/JAX,
``auto_pad`` in ONNX) and where an odd total goes; the output size is then
always computed by the one relation ``conv_asym`` (or ``conv_transpose_asym``
for transposed layers).  The totals are the relations ``pad_same_torch`` and
``pad_same_tf``; nothing is restated here: every total, split and output size is the
relation's forward map printed into :mod:`symconv._numeric_tables` (``VALUES``), so a
numeric ``symconv pad`` imports neither sympy nor the relations.

=========================  ======================================  ============
preset                     total padding ``T``                     odd extra
=========================  ======================================  ============
torch same (stride 1)      ``d(k-1)``                              end
tf/keras/jax SAME          ``max((ceil(i/s)-1)s + k^ - i, 0)``     end
onnx SAME_UPPER            as TF                                   end
onnx SAME_LOWER, jax       as TF                                   start
  SAME_LOWER
keras/tf causal            ``d(k-1)`` (``pad_causal``)             all before
keras/tf full              ``2d(k-1)`` (``pad_full``)              --
valid / VALID              0                                       --
=========================  ======================================  ============

>>> same_padding("tf", i=225, k=4, s=2)
(1, 2)
>>> preset("tf", "SAME").apply(i=225, k=4, s=2)
PresetResult(framework='tf', padding='SAME', p_l=1, p_r=2, o=113, a=None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from . import _numeric_tables as _t
from .errors import DomainError, UnknownNameError, UsageError
from .vocabulary import aliased, takes_aliases

_VALUES = cast(Mapping[str, tuple[Callable[..., Any], Callable[..., bool], tuple[str, ...]]],
               _t.VALUES)
_CONDITION_RULES = cast(Mapping[str, tuple[str, ...]], _t.CONDITION_RULES)

__all__ = ["Framework", "FRAMEWORK_RULES", "framework_rules", "Preset", "PresetResult", "preset",
           "same_padding", "split_extra_at_end", "PRESETS", "FRAMEWORKS"]

FRAMEWORKS = {
    "torch": "torch", "pytorch": "torch", "tf": "tf", "tensorflow": "tf", "keras": "keras",
    "jax": "jax", "onnx": "onnx",
}

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
        side = "" if self.p_r == self.p_l else " (extra at the end)" if self.p_r > self.p_l \
            else " (all before the input)" if self.p_r == 0 and self.p_l > 1 else \
            " (extra at the start)"
        extra = f", output_padding {self.a}" if self.a is not None else ""
        return (f"{self.framework} {self.padding}: total padding {self.total}, split "
                f"p_l={self.p_l}, p_r={self.p_r}{side}{extra}; output {self.o}")


@dataclass(frozen=True)
class Preset:
    """A framework's padding rule for one kind of layer.

    ``op`` is ``conv`` (also pooling) or ``conv_transpose``; ``total_rule`` names the
    relation whose right side is the total padding (None: no padding, or a transposed
    layer's own rules), ``lower_gets_extra`` where an odd total puts its extra unit,
    ``all_before`` that the whole total goes before the input (Keras ``causal``),
    ``output_rule`` the relation of the output size the mode guarantees, if any.

    >>> preset("keras", "causal").apply(i=10, k=3, d=2)
    PresetResult(framework='keras', padding='causal', p_l=4, p_r=0, o=10, a=None)
    """

    framework: str
    padding: str
    op: str
    total_rule: str | None = None
    lower_gets_extra: bool = False
    stride_one_only: bool = False
    output_rule: str | None = None
    all_before: bool = False

    @property
    def total(self) -> Any:
        """The total padding as a sympy expression (None for a transposed layer)."""
        import sympy

        from .relations import RULES, relation
        if self.op == "conv_transpose":
            return None
        if self.total_rule is None:
            return sympy.Integer(0)
        return (RULES[self.total_rule] if self.total_rule in RULES
                else relation(self.total_rule)).rhs

    @property
    def output(self) -> Any:
        """The relation of the output size this mode guarantees (``same_output_torch``,
        ``same_output_tf``), if any."""
        from .relations import RULES
        return RULES[self.output_rule] if self.output_rule else None

    @property
    def rules(self) -> Framework:
        """What this preset's framework does differently (:data:`FRAMEWORK_RULES`)."""
        return framework_rules(self.framework)

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
                              "convolutions'); use explicit padding, or framework=tf for TensorFlow's SAME")
        rule = self.rules.stride_dilation_rule((ss,), (dd,))
        if rule is not None:
            raise DomainError(f"{rule}; got s={ss}, d={dd}")
        rule = self.rules.same_dilation_rule(self.padding, (dd,)) if self.op == "conv" else None
        if rule is not None:
            raise DomainError(f"{rule}; got d={dd}")

    def _repr_latex_(self) -> str:
        """In Jupyter: the total padding this mode adds, as a formula."""
        from .paper import text
        from .printing import latex
        total = self.total
        said = (rf"p_{{l}} + p_{{r}} = {latex(total)}" if total is not None
                else r"\text{its transposed rules (apply it to sizes)}")
        return rf"$\text{{{text(f'{self.framework} {self.padding}')}}}:\ {said}$"

    def split(self, total: int) -> tuple[int, int]:
        if self.all_before:
            return total, 0
        before, after = split_extra_at_end(total)
        return (after, before) if self.lower_gets_extra else (before, after)

    def _pads(self, env: dict[str, int]) -> tuple[int, int]:
        total = _value(self.total_rule, env) if self.total_rule is not None else 0
        return self.split(total)

    def pads(self, *, i: int, k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
        """``(p_l, p_r)`` this (direct) preset chooses for one axis, whether or not the
        padded input holds a window: a layer's own relation decides its output (ONNX
        pooling counts a window an input short of it by less than ``s``: ``pool_onnx``).

        >>> preset("onnx", "VALID").pads(i=1, k=2, s=2), preset("tf", "SAME").pads(i=5, k=4, s=1)
        ((0, 0), (1, 2))
        """
        i, k, s, d = (_plain(v) for v in (i, k, s, d))
        self._check(i, k, s, d)
        if self.op == "conv_transpose":
            raise UsageError("pads() is for direct layers; a transposed preset's pads come "
                             "with its output_padding: apply()")
        return self._pads({"i": i, "k": k, "s": s, "d": d})

    def apply(self, *, i: Any = None, k: Any = None, s: int | None = None,
              d: int | None = None, a: int | None = None, **unknown: Any) -> PresetResult:
        """Padding and output size of this preset for one axis (PyTorch's names too:
        ``input=``, ``kernel_size=``, ``stride=``, ``dilation=``, ``output_padding=``)."""
        if unknown:
            named = aliased("preset apply", {**unknown, **{n: v for n, v in (
                ("i", i), ("k", k), ("s", s), ("d", d), ("a", a)) if v is not None}},
                ["i", "k", "s", "d", "a"])
            return self.apply(**named)
            import difflib
            name = next(iter(unknown))
            near = difflib.get_close_matches(name, ["i", "k", "s", "d", "a"], n=1)
            raise UnknownNameError(f"preset apply takes i, k, s, d, a, not {name!r}" +
                                   (f"; did you mean {near[0]!r}?" if near else ""))
        if i is None or k is None:
            raise UsageError(f"preset apply needs i= and k=, got "
                             f"{', '.join(n for n, v in (('i', i), ('k', k)) if v is not None) or 'neither'}")
        i, k, s, d, a = (_plain(v) for v in (i, k, 1 if s is None else s, 1 if d is None else d,
                                             a))
        self._check(i, k, s, d)
        env = {"i": i, "k": k, "s": s, "d": d}
        if self.op == "conv_transpose":
            return self._apply_transpose(env, a)
        if a is not None:
            raise DomainError("output_padding a applies to transposed convolutions only")
        p_l, p_r = self._pads(env)
        env.update(p_l=p_l, p_r=p_r)
        if not _admits("conv_asym", env):
            raise DomainError(f"{_CONDITION_RULES['conv_asym'][0]}; got i={i}, k={k}, d={d} "
                              f"with {self.framework} {self.padding} padding {p_l}+{p_r}")
        return PresetResult(self.framework, self.padding, p_l, p_r, _value("conv_asym", env))

    def _apply_transpose(self, env: dict[str, int], a: int | None) -> PresetResult:
        p_l, p_r, a = self.transposed_pads(k=env["k"], s=env["s"], d=env["d"], a=a, i=env["i"])
        env2 = {**env, "p_l": p_l, "p_r": p_r, "a": a}
        o = _value("conv_transpose_asym", env2)
        if o < 1:       # as a network's layer refuses it (Keras returns an empty tensor)
            raise DomainError(f"{self.framework} {self.padding} conv_transpose leaves no output "
                              f"for i={env['i']}, k={env['k']}, s={env['s']}, d={env['d']}, "
                              f"a={a}: conv_transpose_asym gives o = {o} with padding "
                              f"{p_l}+{p_r}")
        return PresetResult(self.framework, self.padding, p_l, p_r, o, a)

    def transposed_pads(self, *, k: int, s: int = 1, d: int = 1, a: int | None = None,
                        i: int | None = None) -> tuple[int, int, int]:
        """``(p_l, p_r, a)`` of this transposed preset: the padding and output_padding it
        uses, the same for every input size (``a=None``: the framework's default output
        padding, Keras's ``output_padding=None``).

        >>> preset("keras", "same", "conv_transpose").transposed_pads(k=3, s=2)
        (0, 1, 0)
        """
        if self.op != "conv_transpose":
            raise UsageError("transposed_pads() is for transposed presets; a direct one's pads "
                             "depend on the input size: pads(i=...)")
        if a is not None and (isinstance(a, bool) or not isinstance(a, int) or a < 0):
            raise DomainError(f"output_padding a must be a nonnegative integer, got {a!r}")
        if not self.rules.output_padding:
            if a:
                raise DomainError(f"{self.framework}'s conv_transpose has no output_padding, "
                                  f"got a={a}: its {self.padding} output is fixed by i, k, s, d")
            a = None        # a=0 is no output_padding: the mode's own rule
        rule = None if a is None else self.rules.output_padding_rule((a,), (s,))
        if rule is not None:
            raise DomainError(f"{rule}: a={a}, s={s}")
        env = {"k": k, "s": s, "d": d, "i": 1 if i is None else i}  # the pads never read i
        mode = self.padding.lower()
        if mode == "valid":
            p_l = p_r = 0
            if a is None:
                a = 0 if self.rules.valid_transpose_keeps_a else \
                    _value("keras_transpose_valid_a", env)
        elif mode == "same" and a is None:
            p_l, p_r = self.split(_value("keras_transpose_same_total", env))
            a = _value("keras_transpose_same_a", env)
        elif mode == "same":
            p_l = _value("keras_transpose_same_before", {**env, "a": a})
            p_r = _value("keras_transpose_same_after", {**env, "a": a})
        elif mode in ("same_upper", "same_lower"):
            a = a or 0
            total = _value("onnx_transpose_same_total", {**env, "a": a})
            if total < 0:
                # the frameworks part here: onnxruntime and shape inference clamp the total
                # to 0, the operator text and its reference implementation pad negatively
                at = "" if i is None else f"i={i}, "
                unpadded = "conv_transpose_asym at p_l = p_r = 0" if i is None else \
                    _value("conv_transpose_asym", {**env, "a": a, "p_l": 0, "p_r": 0})
                raise DomainError(
                    f"ONNX ConvTranspose {self.padding} would need negative padding ({total}) "
                    f"for {at}k={k}, s={s}, a={a}: onnxruntime and shape inference pad 0 (o = "
                    f"{unpadded}), the reference implementation pads negatively (o = i s"
                    f"{'' if i is None else f' = {i * s}'}); give explicit pads")
            p_l, p_r = self.split(total)
        else:
            raise UnknownNameError(f"no transposed preset {self.padding!r}")
        assert a is not None        # every mode set it
        return p_l, p_r, a


def _plain(v: Any) -> Any:
    """A Python int as it is; anything else through the value gate (sympy and numpy
    integers become ints, the rest is refused by the checks)."""
    if v is None or type(v) is int:
        return v
    from ._gate import plain
    return plain(v)


def _value(rule: str, env: Mapping[str, Any]) -> int:
    """The right side of the relation ``rule`` at ``env`` (its generated forward map)."""
    value, _, names = _VALUES[rule]
    return int(value(*(env[n] for n in names)))


def _admits(rule: str, env: Mapping[str, Any]) -> bool:
    """Whether every condition of the relation ``rule`` holds at ``env``."""
    _, admits, names = _VALUES[rule]
    return bool(admits(*(env[n] for n in names)))


def split_extra_at_end(total: int) -> tuple[int, int]:
    """PyTorch's and TF's split of a total padding, the relations ``pad_split_before/after``:
    ``p_l = floor(T/2)``, ``p_r = T - floor(T/2)``.

    >>> split_extra_at_end(5)
    (2, 3)
    """
    env = {"T": total}
    return _value("pad_split_before", env), _value("pad_split_after", env)


def _direct(fw: str, pad: str, total: str | None, lower: bool = False, **kw: Any) -> Preset:
    return Preset(fw, pad, "conv", total, lower, **kw)


PRESETS: dict[tuple[str, str, str], Preset] = {}
for _p in (
    _direct("torch", "same", "pad_same_torch", stride_one_only=True,
            output_rule="same_output_torch"),
    _direct("torch", "valid", None),
    _direct("tf", "SAME", "pad_same_tf", output_rule="same_output_tf"),
    _direct("tf", "VALID", None),
    _direct("keras", "same", "pad_same_tf", output_rule="same_output_tf"),
    _direct("keras", "valid", None),
    _direct("keras", "causal", "pad_causal", all_before=True),
    _direct("keras", "full", "pad_full"),
    _direct("tf", "causal", "pad_causal", all_before=True),
    _direct("tf", "full", "pad_full"),
    _direct("jax", "SAME", "pad_same_tf", output_rule="same_output_tf"),
    _direct("jax", "SAME_LOWER", "pad_same_tf", lower=True, output_rule="same_output_tf"),
    _direct("jax", "VALID", None),
    _direct("onnx", "SAME_UPPER", "pad_same_tf", output_rule="same_output_tf"),
    _direct("onnx", "SAME_LOWER", "pad_same_tf", lower=True, output_rule="same_output_tf"),
    _direct("onnx", "VALID", None),
    Preset("keras", "same", "conv_transpose"),
    Preset("keras", "valid", "conv_transpose"),
    Preset("tf", "SAME", "conv_transpose"),
    Preset("tf", "VALID", "conv_transpose"),
    Preset("jax", "SAME", "conv_transpose"),
    Preset("jax", "VALID", "conv_transpose"),
    Preset("onnx", "SAME_UPPER", "conv_transpose"),
    Preset("onnx", "SAME_LOWER", "conv_transpose", lower_gets_extra=True),
    Preset("onnx", "VALID", "conv_transpose"),
):
    PRESETS[(_p.framework, _p.padding.lower(), _p.op)] = _p


@dataclass(frozen=True)
class Framework:
    """What one framework does differently, read by chains and the design search.

    ``symmetric_only``: explicit padding is one number per side pair (PyTorch; asymmetric
    needs ``F.pad`` first), pooling included; ``pool_padding_strings``: pooling takes
    ``'same'``/``'valid'``; ``padding_modes_only``: padding is 'valid' or the framework's
    own 'same' split (``same_mode``), symmetric for transposed layers (Keras);
    ``rejects_stride_with_dilation``: stride > 1 with dilation > 1 is refused (by the APIs
    ``stride_dilation_apis`` names);
    ``output_padding_below_stride``: a transposed layer's output_padding must be < s (Keras);
    ``pool_pad_half_kernel``: pooling's explicit padding obeys PyTorch's ``2p <= k``
    (``pool``/``pool_ceil``); otherwise (ONNX) any padding per side is taken (ONNX: below
    the kernel, ``pool_pad_below_kernel``), and the
    sizes are ONNX's own: ``pool_onnx`` in floor mode (a quotient truncated toward zero:
    an input short of one window by less than ``s`` gives one window) and
    ``pool_ceil_asym`` in ceil mode; ``pool_truncates``: that count holds for the padding
    modes too (ONNX ``auto_pad=VALID`` is ``pads=0``: onnxruntime and shape inference
    give 1 for ``i=1, k=2, s=2``; TF/Keras/JAX pooling, explicit pads and ``VALID`` alike,
    needs a whole window: the convolution's arithmetic, ``conv_asym``);
    ``pool_ceil_mode``: pooling has a ceil mode (PyTorch, ONNX);
    ``transpose_modes_as_written``: a transposed layer's modes are read only as written
    (JAX's ``conv_transpose`` takes ``'SAME'``/``'VALID'``; another string, ``'same'``, goes
    to the forward convolution); ``output_padding``: a transposed layer takes one (JAX's
    ``conv_transpose`` has none); ``pool_dilation``: pooling takes a dilation (Keras's
    pooling layers have none); ``valid_transpose_keeps_a``: a transposed ``VALID`` pads 0
    and takes the output_padding as given, 0 by default (ONNX ``ConvTranspose``), where
    Keras makes it ``max(k^, s) - k^``; ``same_dilation``: a ``SAME`` mode takes a dilation
    above 1 (onnxruntime refuses ``auto_pad`` ``SAME_UPPER``/``SAME_LOWER`` with one, for
    convolutions, and its pooling computes other sizes than the operator text);
    ``pool_pad_below_kernel``: pooling's explicit pads are each below the kernel
    (in the framework's words, ``pool_pad_words``: onnxruntime's "Pad should be smaller
    than kernel"; TF's MaxPool: "Top padding 2 needs to be smaller than the window size
    2", without a dilation: ``tf.nn.pool`` pads a
    dilated window through ``space_to_batch``, which takes any pad,
    ``pool_pad_below_kernel_dilated``); ``pool_same_dilation``: a pooling's ``SAME`` takes
    a dilation above 1 (``tf.nn.pool``: "pooling with 'SAME' padding is not implemented
    for dilation_rate > 1"); ``pool_same_nonnegative``: a
    pooling's ``SAME`` padding, ``(ceil(i/s) - 1) s + k - i``, must not be negative, which
    it is at some sizes exactly when ``k < s`` (onnxruntime's MaxPool and AveragePool:
    "padding values must be non-negative"; TF clamps it at 0, ONNX's reference evaluator
    pads negatively); ``transpose_pads_crop``: a transposed layer's explicit padding crops
    its output, PyTorch's ``padding`` (JAX's ``conv_transpose`` reads explicit pairs as
    padding of the stride-dilated input, ``(i - 1)s + 1 + q_l + q_r - k^ + 1``: a layer of
    JAX takes its ``SAME``/``VALID`` only). Average pooling: ``avgpool_pad_words``, when
    set, the framework's refusal of explicit pads on an undilated average pooling
    (``tf.nn.avg_pool`` takes ``'SAME'``/``'VALID'`` only); ``avgpool_dilation``: it takes
    a dilation (PyTorch's ``AvgPool`` has none); ``avgpool3d_fits_kernel``: a 3-d average
    pooling refuses an input smaller than its kernel (PyTorch's ``AvgPool3d``).
    ``explicit_pad_ranks``: the numbers of spatial axes on which a layer takes explicit
    pads, ``(layer, ranks, the framework's words)`` for ``conv`` (and transposed),
    ``pool`` (undilated) and ``dilated pool``; a layer not named takes them at every rank
    (TF: ``tf.nn.conv2d`` and ``conv2d_transpose`` take a list, ``conv1d``/``conv3d`` and
    ``tf.nn.convolution`` 'SAME'/'VALID' only; ``max_pool1d``/``max_pool2d`` take a list,
    ``max_pool3d`` not; the dilated ``tf.nn.pool`` a list of 4 only).

    >>> framework_rules("pytorch").symmetric_only, framework_rules("onnx").symmetric_only
    (True, False)
    """

    name: str
    symmetric_only: bool = False
    pool_padding_strings: bool = True
    padding_modes_only: bool = False
    rejects_stride_with_dilation: bool = False
    stride_dilation_apis: str = ""
    output_padding_below_stride: bool = False
    same_mode: str = "SAME"
    pool_pad_half_kernel: bool = False
    pool_truncates: bool = False
    pool_ceil_mode: bool = False
    transpose_modes_as_written: bool = False
    output_padding: bool = True
    pool_dilation: bool = True
    valid_transpose_keeps_a: bool = False
    same_dilation: bool = True
    pool_pad_below_kernel: bool = False
    pool_pad_words: str = "onnxruntime: 'Pad should be smaller than kernel'"
    pool_pad_below_kernel_dilated: bool = True
    pool_same_dilation: bool = True
    pool_same_nonnegative: bool = False
    transpose_pads_crop: bool = True
    avgpool_pad_words: str = ""
    avgpool_dilation: bool = True
    avgpool3d_fits_kernel: bool = False
    explicit_pad_ranks: tuple[tuple[str, tuple[int, ...], str], ...] = ()

    @property
    def title(self) -> str:
        """The framework's name as its users write it (``PyTorch``, ``TF``)."""
        return {"torch": "PyTorch", "tf": "TF", "keras": "Keras", "jax": "JAX",
                "onnx": "ONNX"}.get(self.name, self.name)

    @property
    def refuses_settings(self) -> bool:
        """Whether this framework refuses some layer settings PyTorch takes (a stride with a
        dilation, an output_padding at the stride, a pooling dilation, a dilation in a
        SAME mode, a pooling pad of its kernel or more)."""
        return self.rejects_stride_with_dilation or self.output_padding_below_stride or \
            not self.pool_dilation or not self.same_dilation or self.pool_pad_below_kernel \
            or self.pool_same_nonnegative or not self.pool_same_dilation or \
            self.padding_modes_only

    def same_dilation_rule(self, padding: Any, d: Sequence[int], pool: bool = False
                           ) -> str | None:
        """The rule this framework breaks with padding mode ``padding`` and dilations ``d``
        (per axis) in a convolution (or a pooling), or None."""
        if not (isinstance(padding, str) and padding.lower().startswith("same") and max(d) > 1):
            return None
        if pool and not self.pool_same_dilation:
            return (f"{self.name} pooling takes no dilation above 1 with {padding} "
                    "(tf.nn.pool: 'pooling with SAME padding is not implemented for "
                    "dilation_rate > 1'); pool with VALID or explicit pads")
        if not self.same_dilation:
            return (f"{self.name} takes no dilation above 1 with {padding}: onnxruntime "
                    "refuses it in a Conv ('Dilation not supported for AutoPadType::SAME_UPPER "
                    "or AutoPadType::SAME_LOWER') and sizes a pooling otherwise than the "
                    "operator text; give explicit pads")
        return None

    def pool_pad_rule(self, pads: Sequence[tuple[int, int]], k: Sequence[int],
                      d: Sequence[int] = (1,)) -> str | None:
        """The rule this framework's pooling breaks with explicit ``pads`` (before, after
        per axis), kernels ``k`` and dilations ``d`` (per axis), or None."""
        if not self.pool_pad_below_kernel or (
                max(d) > 1 and not self.pool_pad_below_kernel_dilated):
            return None
        for j, (before, after) in enumerate(pads):
            kk = k[j % len(k)]
            if max(before, after) >= kk:
                return (f"{self.name} pooling needs each pad below its kernel "
                        f"({self.pool_pad_words}); got "
                        f"pads {before}:{after} with k={kk} on axis {j}")
        return None

    def explicit_pad_rule(self, layer: str, rank: int) -> str | None:
        """The rule this framework breaks with explicit pads on a ``layer`` (``conv``,
        ``pool``, ``dilated pool``) of ``rank`` spatial axes, or None."""
        for name, ranks, words in self.explicit_pad_ranks:
            if name == layer and rank not in ranks:
                shown = " or ".join(f"{r}-d" for r in ranks)
                return (f"{self.title} takes explicit pads on a {shown} {layer} only "
                        f"({words}), got a {rank}-d one")
        return None

    def pool_same_rule(self, padding: Any, k: Sequence[int], s: Sequence[int]
                       ) -> str | None:
        """The rule this framework's pooling breaks with padding mode ``padding``, kernels
        ``k`` and strides ``s`` (per axis), or None: a ``SAME`` mode with a kernel below
        the stride needs a negative padding at the input size ``s`` (``k - s``)."""
        if not (self.pool_same_nonnegative and isinstance(padding, str)
                and padding.lower().startswith("same")):
            return None
        for j in range(max(len(k), len(s))):
            kk, ss = k[j % len(k)], s[j % len(s)]
            if kk < ss:
                return (f"{self.name} pooling with {padding} and a kernel below its stride "
                        f"(k={kk} < s={ss} on axis {j}) needs a negative padding at some sizes "
                        f"(at i={ss}: {kk - ss}), which onnxruntime refuses in MaxPool and "
                        "AveragePool ('padding values must be non-negative') and its reference "
                        "evaluator reads otherwise; give explicit pads")
        return None

    def stride_dilation_rule(self, s: Sequence[int], d: Sequence[int]) -> str | None:
        """The rule this framework breaks with strides ``s`` and dilations ``d`` (per axis,
        over the whole layer: Keras refuses strides (2, 1) with dilation (1, 2)), or None."""
        if self.rejects_stride_with_dilation and max(s) > 1 and max(d) > 1:
            return (f"{self.name} rejects stride > 1 together with dilation > 1 "
                    f"({self.stride_dilation_apis})")
        return None

    def output_padding_rule(self, a: Sequence[int], s: Sequence[int]) -> str | None:
        """The rule this framework breaks with output paddings ``a`` and strides ``s`` (per
        axis; one value is every axis's), or None."""
        n = max(len(a), len(s))
        if self.output_padding_below_stride and any(
                a[j % len(a)] >= s[j % len(s)] for j in range(n)):
            return f"{self.name} output_padding must be smaller than the stride"
        return None

    def expresses(self, relation: str, env: Mapping[str, Any]) -> bool:
        """Whether this framework expresses the configuration ``env`` of ``relation``
        directly (no extra ``F.pad`` or layer)."""
        s, d = env.get("s", 1), env.get("d", 1)
        p_l = env.get("p_l", env.get("p", 0))
        p_r = env.get("p_r", env.get("p", 0))
        ok = not (self.rejects_stride_with_dilation and s > 1 and d > 1)
        if self.symmetric_only:
            ok = ok and p_l == p_r
        if not self.padding_modes_only:
            return ok
        if relation == "pool_ceil" and "i" in env:
            # no ceil mode: only where it gives floor mode's size (no extra window)
            from ._forward import evaluate, inputs
            at = {x: env.get(x, 0 if x == "p" else 1) for x in inputs("pool")}
            try:
                ok = ok and evaluate("pool", **at) == evaluate("pool_ceil", **at)
            except DomainError:
                ok = False
            relation = "pool"
        if ok and (p_l or p_r) and "i" in env and relation in ("conv", "conv_asym", "pool"):
            try:
                res = preset(self.name, self.same_mode).apply(i=env["i"], k=env.get("k", 1),
                                                              s=s, d=d)
                ok = (res.p_l, res.p_r) == (p_l, p_r)
            except DomainError:
                ok = False
        elif relation.startswith("conv_transpose"):
            # Keras's Conv*Transpose: padding 'valid' (0) or 'same' (khat // 2 on each
            # side, keras.src.utils.conv_utils.deconv_output_length), with output_padding
            khat = d * (env.get("k", 1) - 1) + 1
            ok = ok and p_l == p_r and p_l in (0, khat // 2)
        return ok


FRAMEWORK_RULES: dict[str, Framework] = {
    "torch": Framework("torch", symmetric_only=True, pool_padding_strings=False, same_mode="same",
                       pool_pad_half_kernel=True, pool_ceil_mode=True, avgpool_dilation=False,
                       avgpool3d_fits_kernel=True),
    "tf": Framework("tf", rejects_stride_with_dilation=True, output_padding_below_stride=True,
                    stride_dilation_apis="tf.nn.convolution, tf.nn.pool and Keras's layers; "
                    "tf.nn.conv2d runs it, with the SAME/VALID sizes of framework=jax",
                    pool_pad_below_kernel=True, pool_pad_below_kernel_dilated=False,
                    pool_pad_words="TF's MaxPool: 'Top padding 2 needs to be smaller than the "
                    "window size 2'", pool_same_dilation=False,
                    avgpool_pad_words="tf.nn.avg_pool: 'Expected string for argument padding'",
                    explicit_pad_ranks=(
                        ("conv", (2,), "tf.nn.conv2d and conv2d_transpose take a list; "
                         "conv1d, conv3d and tf.nn.convolution: 'Expected string for "
                         "argument padding'"),
                        ("pool", (1, 2), "tf.nn.max_pool1d and max_pool2d take a list; "
                         "max_pool3d: 'Expected string for argument padding'"),
                        ("dilated pool", (2,), "tf.nn.pool: 'When padding is a list, it "
                         "must be of size 4'"))),
    "keras": Framework("keras", padding_modes_only=True, rejects_stride_with_dilation=True,
                       stride_dilation_apis="Keras's layers",
                       output_padding_below_stride=True, same_mode="same", pool_dilation=False),
    "jax": Framework("jax", transpose_modes_as_written=True, output_padding=False,
                     transpose_pads_crop=False),
    "onnx": Framework("onnx", same_mode="SAME_UPPER", pool_truncates=True, pool_ceil_mode=True,
                      valid_transpose_keeps_a=True, output_padding_below_stride=True,
                      same_dilation=False, pool_pad_below_kernel=True,
                      pool_same_nonnegative=True),
}
"""Each framework's rules, by canonical name (:data:`FRAMEWORKS` maps the spellings)."""


def framework_rules(framework: str) -> Framework:
    """The :class:`Framework` called ``framework`` (any spelling of :data:`FRAMEWORKS`).

    >>> framework_rules("TF").name, framework_rules("torch").symmetric_only
    ('tf', True)
    """
    fw = FRAMEWORKS.get(str(framework).lower())
    if fw is None:
        raise UnknownNameError(f"unknown framework {framework!r}; known: torch, tf, keras, jax, "
                               "onnx")
    return FRAMEWORK_RULES[fw]


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
    if not isinstance(op, str) or op not in ("conv", "conv_transpose", "transpose", "convt",
                                             "pool"):
        raise UsageError(f"preset's op is 'conv' (convolution or pooling) or "
                         f"'conv_transpose', got {op!r}")
    key = (fw, str(padding).lower(), "conv_transpose" if "transpose" in op or op == "convt"
           else "conv")
    if fw == "torch" and isinstance(padding, str) and padding != key[1] and key in PRESETS:
        # nn.Conv2d(..., padding='SAME'): "Invalid padding string 'SAME', should be one of
        # {'same', 'valid'}" (the other frameworks' SAME is another padding at stride > 1)
        raise UsageError(f"PyTorch's padding words are lower case: it refuses {padding!r} "
                         f"('Invalid padding string'); write {key[1]!r}"
                         + (" (at stride 1 only)" if key[1] == "same" else "")
                         + f", or framework=tf for TensorFlow's {padding.upper()}")
    if key in PRESETS and key[2] == "conv_transpose" and \
            FRAMEWORK_RULES[fw].transpose_modes_as_written and padding != PRESETS[key].padding:
        raise UsageError(f"{fw}'s conv_transpose reads only {PRESETS[key].padding!r} as written, "
                         f"not {padding!r} (another string goes to the forward convolution: "
                         f"its padding at stride 1, refused at stride > 1); write "
                         f"{PRESETS[key].padding!r}")
    if key not in PRESETS:
        modes = sorted({PRESETS[f, pad, o].padding if FRAMEWORK_RULES[f].transpose_modes_as_written
                        and o == "conv_transpose" else pad
                        for (f, pad, o) in PRESETS if f == fw and o == key[2]})
        others = sorted({f for (f, pad, o) in PRESETS if pad == key[1] and o == key[2] and not (
            o == "conv_transpose" and FRAMEWORK_RULES[f].transpose_modes_as_written
            and PRESETS[f, pad, o].padding != padding)})
        hint = f" ({padding!r} is {'/'.join(others)}'s: framework={others[0]})" if others else ""
        known = f"known: {', '.join(modes)}" if modes else "it takes integer padding only"
        raise UnknownNameError(f"{fw} has no {op} padding {padding!r}; {known}" + hint)
    return PRESETS[key]


@takes_aliases
def same_padding(framework: str, *, i: int, k: int, s: int = 1, d: int = 1,
                 mode: str | None = None) -> tuple[int, int]:
    """``(before, after)`` padding of a framework's 'same' mode for one axis.

    >>> same_padding("torch", i=7, k=4)
    (1, 2)
    >>> same_padding("onnx", i=225, k=4, s=2, mode="SAME_LOWER")
    (2, 1)
    """
    fw = FRAMEWORKS.get(str(framework).lower())
    default = FRAMEWORK_RULES[fw].same_mode if fw else "SAME"
    res = preset(framework, mode or default).apply(i=i, k=k, s=s, d=d)
    return res.p_l, res.p_r
