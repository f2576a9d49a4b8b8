r"""Networks: chains of layers, their sizes, inverse problems and receptive fields.

A :class:`Chain` is a sequence of :class:`Layer` (convolution, transposed
convolution, pooling, integer upsampling, size-preserving layers), one spatial
axis at a time.  Every size comes from the relations of
:mod:`symconv.relations` (``conv_asym``, ``conv_transpose_asym``, ``pool``,
``pool_ceil``) with the layer's values substituted; framework padding modes
go through :mod:`symconv.frameworks`.

Symbolic output sizes collapse nested floors with the identity (positive
integers ``a, b``, integer ``c``)

.. math:: \left\lfloor \frac{\lfloor x/a \rfloor + c}{b} \right\rfloor
          = \left\lfloor \frac{x + a c}{a b} \right\rfloor ,

so a stack of strided layers stays one floor of a linear form.

Sizes, paddings, receptive fields and counts are computed from the relations'
generated forward maps (:mod:`symconv._forward`), so a numeric question about a
network imports no sympy; a formula (``output_expr``, LaTeX) does.

Every layer map is nondecreasing in its input size, so the inputs that give
one output form an interval and the inputs a chain accepts are all sizes from
a smallest one; the inverse problems below search these monotone maps exactly
(and check their answers by running the chain).

>>> from symconv.printing import sstr
>>> net = Chain.parse("conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1")
>>> net.output(224)
56
>>> sstr(net.output_expr())
'floor((i - 1)/4) + 1'
>>> net.inputs_for(56)
(221, 224)
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from . import _numeric_tables as _t
from ._affine import PERIOD_LIMIT, compose
from ._budget import Budget, BudgetExhausted
from ._evaluating import evaluating
from ._forward import (
    bound,
    broken_setting,
    ceil_div,
    evaluate,
    evaluate_over_axes,
    inputs,
    receptive_step,
    rule_of,
    totals,
)
from ._gate import MAX_AXES, as_flag, as_int, integer, plain, short
from ._json import number
from ._numeric import defaults_to, has_solver, intervals
from ._search import first_true
from ._values import parse_value, read_int
from .errors import DomainError, ParseError, SymconvError, UndecidedError, UnknownNameError, UsageError
from .presets import framework_rules, preset
from .vocabulary import (
    LAYER_KEYS,
    LAYER_KINDS,
    VARIABLE_ALIASES,
    nearest,
    split_layers,
    takes_aliases,
)

if TYPE_CHECKING:
    import sympy

__all__ = ["Layer", "Sides", "Chain", "collapse_floors", "Alignment", "LayerRow"]

KINDS = LAYER_KINDS
"""Layer kinds by every accepted spelling (the one table, :mod:`symconv.vocabulary`)."""

MAX_PERIOD = 100_000
MAX_LISTED = 100_000
"""The most values :meth:`Chain.solve_layer` lists (a finite answer past it is refused, with
its ranges)."""
"""Largest period (product of strides) that alignment and receptive fields will walk."""

MAX_SIZE = 10**1000
"""Largest size a chain computes (beyond it a size is refused as too large to use or print)."""

SEARCH_BITS = 256
"""Input sizes searched up to 2**SEARCH_BITS (a bound, reported when reached)."""


@dataclass(frozen=True)
class Sides:
    """Padding that differs between the two sides of one axis: ``l`` before, ``r`` after.

    The output size reads their sum, ``o = floor((i + l + r - d(k - 1) - 1)/s) + 1``:

    >>> Chain((Layer("conv", k=2, s=2, p=Sides(0, 1)),), ndim=1).output(5)
    3
    """

    l: int  # noqa: E741
    r: int

    def __post_init__(self) -> None:
        for v in (self.l, self.r):
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise DomainError(f"padding must be a nonnegative integer, got {v!r}")

    def __str__(self) -> str:
        return f"{self.l}:{self.r}"


PER_AXIS = ("k", "s", "d", "a", "factor")
"""The layer fields that may differ between axes (with ``p``)."""

_PROJECTING: ContextVar[bool] = ContextVar("_PROJECTING", default=False)
"""Set while :meth:`Layer.at` builds one axis's layer: the framework's rules read the
whole layer (TF's MaxPool pad rule holds when no axis is dilated) and were checked there."""


def _axis_value(v: Any, j: int) -> Any:
    return v[j] if isinstance(v, tuple) else v


@dataclass(frozen=True)
class Layer:
    """One layer, N-d: every per-axis field is an int (the same on every axis) or a tuple.

    ``k``, ``s``, ``d``, ``a`` and ``factor`` (the upsampling factor) are ints or
    per-axis tuples (``k=(1, 7)``).  A convolution or pooling layer needs its kernel
    ``k``; a stride not given is 1, and a pooling layer's is its kernel (PyTorch's
    ``stride=None``, the relation's ``defaults_to``).  ``p`` is an int (symmetric), ``Sides(l, r)``
    (per side), a framework padding mode (``"same"``, ``"valid"``, ``"SAME"``,
    ``"SAME_UPPER"``, ...) read with ``framework`` (default ``torch``), or a per-axis
    tuple of ints and ``(l, r)`` pairs (``p=(0, (3, 3))``).  Channels (``F_i``,
    ``F_o``, ``g``, ``bias``) are only for counting.  ``fits_kernel`` asks the input
    before padding to be at least the kernel: PyTorch's ``AvgPool3d`` checks it (its
    1-d and 2-d average pooling and max pooling do not); ``average`` marks a pooling by
    average (``avgpool``), for the framework's rules on it (TF's takes no explicit pads
    undilated).  The size rules act on one
    axis at a time (:meth:`at` gives axis ``j``'s layer): axes do not interact.

    >>> Layer("conv", k=(1, 7), p=(0, 3)).at(1).k
    7
    >>> Layer("pool", k=2).s
    2
    """

    kind: str
    k: Any = None
    s: Any = None
    p: Any = 0
    d: Any = 1
    a: Any = 0
    ceil_mode: bool = False
    factor: Any = 1
    framework: str = "torch"
    name: str = ""
    F_i: int | None = None
    F_o: int | None = None
    g: int = 1
    bias: bool = True
    fits_kernel: bool = False
    #: a pooling by average (``avgpool``): the framework's rules for average pooling apply
    average: bool = field(default=False, repr=False)
    #: parameters an identity layer holds (a norm's affine weight and bias): counted as
    #: they are, with no multiply-accumulates
    weights: int | None = field(default=0, repr=False)
    #: how the text wrote it, where the values were derived: the padding word of a
    #: transposed layer (its pads and ``a`` depend on ``k``, ``s``, ``d``), and a pooling
    #: stride not written (it is the kernel, as PyTorch's ``stride=None``)
    padding_word: str = field(default="", compare=False, repr=False)
    stride_from_kernel: bool = field(default=False, compare=False, repr=False)
    #: the number of axes a per-axis tuple of equal values gave (k=(3, 3, 3): 3), kept
    #: where the value is one for every axis: a chain takes its rank from it (and
    #: ``replace`` carries it: a 3-d layer stays 3-d)
    rank: int | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str):
            raise UsageError(f"a layer's kind is a string (conv, pool, ...), got {self.kind!r:.40} "
                             f"({type(self.kind).__name__})")
        if self.kind not in KINDS.values():
            # Layer takes the kinds themselves; the other names are the text's (Chain.parse)
            canonical_ = KINDS.get(self.kind)
            raise UsageError(f"unknown layer kind {self.kind!r}; "
                             + (f"Layer takes {canonical_!r} (the text's {self.kind!r} names it)"
                                if canonical_ else
                                f"known: {', '.join(sorted(set(KINDS.values())))}"))
        if self.k is None:
            if self.kind in ("conv", "conv_transpose", "pool"):
                raise UsageError(f"layer {self.label}: a {self.kind} layer needs its kernel size "
                                 "k= (PyTorch's kernel_size has no default)")
            object.__setattr__(self, "k", 1)
        if self.s is None:      # not given: pooling's stride is its kernel, else 1
            source = dict(defaults_to(self.kind)).get("s")
            object.__setattr__(self, "s", 1 if source is None else getattr(self, source))
            object.__setattr__(self, "stride_from_kernel", source is not None)
        for field_name in ("g", "F_i", "F_o"):
            object.__setattr__(self, field_name, plain(getattr(self, field_name)))
        for field_name in ("F_i", "F_o"):
            if getattr(self, field_name) is not None:
                as_int(f"layer {self.label}: {field_name}", getattr(self, field_name), 1)
                if isinstance(self.g, int) and self.g > 1 and getattr(self, field_name) % self.g:
                    which = "in_channels" if field_name == "F_i" else "out_channels"
                    raise DomainError(f"layer {self.label}: {which} must be divisible by "
                                      f"groups, got {which}={getattr(self, field_name)}, "
                                      f"groups={self.g}")
        if not isinstance(self.framework, str) or not isinstance(self.name, str):
            raise UsageError(f"layer {self.label!r}: framework and name are strings")
        if self.weights is None and self.kind != "identity":
            raise UsageError(f"layer {self.label}: weights are an identity layer's parameter "
                             f"count, unknown (None) only there, got None on a {self.kind}")
        if self.weights and (self.kind != "identity" or not isinstance(self.weights, int)
                             or isinstance(self.weights, bool) or self.weights < 0):
            raise UsageError(f"layer {self.label}: weights are an identity layer's parameter "
                             f"count (a whole number), got {self.weights!r} on a {self.kind}")
        if self.fits_kernel and self.kind != "pool":
            raise UsageError(f"layer {self.label}: fits_kernel is a pooling rule")
        if self.average is not False and (self.average is not True or self.kind != "pool"):
            raise UsageError(f"layer {self.label}: average is True or False, for a pooling "
                             f"layer, got {self.average!r} on a {self.kind}")
        if self.ceil_mode is not False and self.ceil_mode is not True:
            object.__setattr__(self, "ceil_mode", as_flag(f"layer {self.label}: ceil_mode",
                                                          self.ceil_mode))
        if self.bias is not False and self.bias is not True:
            # np.True_, torch.tensor(True), 1: a bool, as ceil_mode (it was stored as given)
            object.__setattr__(self, "bias", as_flag(f"layer {self.label}: bias", self.bias))
        if self.ceil_mode and self.kind != "pool":
            raise UsageError(f"layer {self.label}: ceil mode is pooling's; a {self.kind} layer "
                             "always floors (drop ceil)")
        if self.ceil_mode and not framework_rules(self.framework).pool_ceil_mode:
            raise UsageError(f"layer {self.label}: {framework_rules(self.framework).name} "
                             "pooling has no ceil mode (PyTorch's and ONNX's have): drop ceil")
        if self.rank is not None and (isinstance(self.rank, bool) or not isinstance(
                self.rank, int) or not 1 <= self.rank <= MAX_AXES):
            raise UsageError(f"layer {self.label}: rank is its number of axes (1 to "
                             f"{MAX_AXES}), got {self.rank!r}")
        given_lengths: dict[str, int] = {}      # every per-axis tuple's length, as given
        for field_name in PER_AXIS + ("p",):
            v = getattr(self, field_name)
            if isinstance(v, list):
                v = tuple(v)
            v = tuple(plain(x) for x in v) if isinstance(v, tuple) else plain(v)
            if field_name == "p" and isinstance(v, tuple):
                v = tuple(Sides(*x) if isinstance(x, (tuple, list)) else x for x in v)
            if isinstance(v, tuple):
                if not v:
                    raise DomainError(f"layer {self.label}: {field_name} is an empty per-axis tuple")
                given_lengths[field_name] = len(v)
                if any(isinstance(x, (tuple, list)) for x in v) and field_name != "p":
                    raise DomainError(f"layer {self.label}: {field_name} takes one integer "
                                      f"per axis, got {v!r}")
                if len(set(v)) == 1:
                    # the same on every axis: one value, and the number of axes it gave
                    object.__setattr__(self, "rank", len(v))
                    v = v[0]
            object.__setattr__(self, field_name, v)
        self._check_used()      # on the values as one per axis where they agree (a=0,0)
        lengths = {len(getattr(self, f)) for f in PER_AXIS + ("p",)
                   if isinstance(getattr(self, f), tuple)} | set(given_lengths.values()) | (
            {self.rank} if self.rank is not None and given_lengths else set())
        if len(lengths) > 1:
            raise UsageError(f"layer {self.label}: per-axis values of different lengths "
                             f"{sorted(lengths)}: give one value per axis everywhere")
        for field_name in ("k", "s", "d", "factor", "g", "a"):
            vals = getattr(self, field_name)
            lo = 0 if field_name == "a" else 1
            for v in vals if isinstance(vals, tuple) else (vals,):
                if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                    what = "a nonnegative" if lo == 0 else "a positive"
                    raise DomainError(f"layer {self.label}: {field_name} must be {what} integer, "
                                      f"got {v!r}")
        pads = self.p if isinstance(self.p, tuple) else (self.p,)
        for v in pads:
            if isinstance(v, str) and len(pads) > 1:
                raise UsageError(f"layer {self.label}: a padding mode ({v!r}) is for every axis")
            if not isinstance(v, (str, Sides)) and (isinstance(v, bool) or not isinstance(v, int)
                                                    or v < 0):
                raise DomainError(f"layer {self.label}: padding must be a nonnegative integer, a "
                                  f"pair (l, r) or a padding mode, got {v!r}")
        self._check_framework()
        if self.axes is None:
            self._check_axis()

    def _check_used(self) -> None:
        """Settings this kind of layer does not use are refused, never dropped (``conv a=1``
        kept ``o`` as without it; ``relu s=2`` and ``pool out=9`` changed nothing)."""
        unused = {"a": self.a != 0 and self.kind != "conv_transpose",
                  "f": self.factor != 1 and self.kind != "upsample",
                  "g": self.g != 1 and self.kind not in ("conv", "conv_transpose")}
        if self.kind in ("identity", "upsample"):
            unused.update(k=self.k not in (None, 1), s=self.s not in (None, 1),
                          p=self.p not in (0, Sides(0, 0)), d=self.d != 1)
        given = [name for name, bad in unused.items() if bad]
        article = "an" if self.kind[0] in "aeiou" else "a"
        if given:
            raise UsageError(f"layer {self.label}: {article} {self.kind} layer has no "
                             f"{' or '.join(given)} setting: drop it")
        if not self.convolves and self.F_i is not None and \
                self.F_o is not None and self.F_i != self.F_o:
            raise DomainError(f"layer {self.label}: {article} {self.kind} layer keeps its "
                              f"channels, got in={self.F_i}, out={self.F_o}")

    def _check_framework(self) -> None:
        """The framework's own refusals of a layer's settings, over all its axes at once
        (Keras refuses strides (2, 1) with dilation (1, 2): a stride above 1 on any axis
        with a dilation above 1 on any axis; its pooling has no dilation)."""
        if _PROJECTING.get():
            return      # an axis of a layer checked over all its axes at once (Layer.at)
        rules = framework_rules(self.framework)
        if self.axes or self.rank:
            self._check_rank(self.axes or self.rank or 0)
        if self.kind == "pool" and isinstance(self.p, str) and \
                self.p.lower() in ("causal", "full"):
            # Keras's pooling: "Invalid padding 'causal', must be 'same' or 'valid'"
            fix = "pad before the pooling (ZeroPadding) and pool with 'valid'"
            raise UsageError(f"layer {self.label}: pooling takes padding 'same' or 'valid', not "
                             f"{self.p!r} (Keras refuses it: 'Invalid padding'; the word is a "
                             f"convolution's): {fix}", value=self.p, hint=fix)
        if self.kind == "conv_transpose" and isinstance(self.p, str):
            try:        # a word the framework has no transposed form of: its own refusal
                preset(self.framework, self.p, "conv_transpose")
            except SymconvError as exc:
                raise type(exc)(f"layer {self.label}: {exc}") from None
            raise UsageError(f"layer {self.label}: the padding word {self.p!r} of a transposed "
                             "layer stands for pads and an output_padding that depend on k, s "
                             f"and d: write it in layer text (Chain.parse('convt k=... s=... "
                             f"p={self.p} framework={rules.name}')), which reads them")
        if self.kind == "conv_transpose" and not rules.transpose_pads_crop and \
                not self.padding_word:
            raise UsageError(f"layer {self.label}: {rules.name}'s conv_transpose reads explicit "
                             "padding as pads of the stride-dilated input (output (i - 1)s + 1 "
                             "+ q_l + q_r - k^ + 1), not PyTorch's crop; symconv reads its "
                             "SAME and VALID only: write p=SAME or p=VALID, or the crop "
                             "p = k^ - 1 - q per side with framework=torch")
        if rules.padding_modes_only and not self.padding_word and not isinstance(self.p, str):
            if self.kind == "conv_transpose" or any(_flat(self.p)):
                # Keras 3's layers: padding 'valid' or 'same' ('causal' on Conv1D); an integer
                # is refused ('int' object has no attribute 'lower'), a pair too
                fix = ("write p=valid (Keras's default, which pads as Keras does) or p=same"
                       if self.kind == "conv_transpose" else
                       "write p=valid or p=same; a ZeroPadding before a 'valid' layer is the "
                       "layer with explicit pads, as framework=jax reads them")
                raise UsageError(f"layer {self.label}: {rules.name}'s layers take padding "
                                 f"'valid' or 'same', not p={self.p}: {fix}",
                                 value=self.p, hint=fix)
        if not rules.refuses_settings:
            return          # PyTorch, JAX, ONNX: nothing of these to refuse
        if self.kind == "pool" and not rules.pool_dilation and \
                max(self.d if isinstance(self.d, tuple) else (self.d,)) > 1:
            raise DomainError(f"layer {self.label}: {rules.name} pooling has no dilation, got "
                              f"d={self.d}")
        each = {f: getattr(self, f) if isinstance(getattr(self, f), tuple) else (getattr(self, f),)
                for f in ("k", "s", "d", "a", "p")}
        if self.kind in ("conv", "pool"):
            rule = rules.same_dilation_rule(each["p"][0], each["d"], pool=self.kind == "pool")
            if rule is not None:
                raise DomainError(f"layer {self.label}: {rule}; got d={self.d}")
        if self.kind == "pool":
            rule = rules.pool_same_rule(each["p"][0], each["k"], each["s"])
            if rule is not None:
                raise DomainError(f"layer {self.label}: {rule}")
        if self.kind == "pool" and self.average and rules.avgpool_pad_words and \
                max(each["d"]) == 1 and not isinstance(self.p, str) and any(_flat(self.p)):
            raise UsageError(f"layer {self.label}: {rules.title}'s average pooling takes "
                             f"padding 'SAME' or 'VALID', not explicit pads "
                             f"({rules.avgpool_pad_words}), got p={_text_value(self.p)}: write "
                             "p=SAME or p=VALID, or maxpool")
        if self.kind == "pool" and not any(isinstance(v, str) for v in each["p"]):
            rule = rules.pool_pad_rule([(v.l, v.r) if isinstance(v, Sides) else (v, v)
                                        for v in each["p"]], each["k"], each["d"])
            if rule is not None:
                raise DomainError(f"layer {self.label}: {rule}")
        if self.kind not in ("conv", "conv_transpose", "pool"):
            return
        rule = rules.stride_dilation_rule(each["s"], each["d"])
        if rule is not None and self.stride_from_kernel:
            rule += (" (its stride was not written: s is its kernel, PyTorch's and Keras's "
                     "default; tf.nn.pool's is 1, write s=1)")
        if rule is not None:
            raise DomainError(f"layer {self.label}: {rule}, on any axes; got s={self.s}, "
                              f"d={self.d}")
        rule = rules.output_padding_rule(each["a"], each["s"]) \
            if self.kind == "conv_transpose" else None
        if rule is not None:
            raise DomainError(f"layer {self.label}: {rule} on every axis; got a={self.a}, "
                              f"s={self.s}")

    def __getstate__(self) -> dict[str, Any]:
        """The fields alone (what is cached on first use is built again after unpickling)."""
        return _fields_of(self)

    @functools.cached_property
    def axes(self) -> int | None:
        """The number of axes its per-axis tuples give, or None if it is the same on every axis."""
        for f in PER_AXIS + ("p",):
            v = getattr(self, f)
            if isinstance(v, tuple):
                return len(v)
        return None

    def _check_rank(self, rank: int, label: str = "") -> None:
        """The framework's refusal of explicit pads on a layer of ``rank`` spatial axes
        (TF: a list of pads on a 2-d convolution, a 1-d or 2-d max pooling, a 2-d dilated
        pooling only)."""
        if self.framework == "torch" or self.kind not in ("conv", "conv_transpose", "pool") or \
                isinstance(self.p, str) or self.padding_word or not any(_flat(self.p)):
            return      # (PyTorch takes explicit pads at every rank: nothing to check)
        d = self.d if isinstance(self.d, tuple) else (self.d,)
        what = "conv" if self.kind != "pool" else "dilated pool" if max(d) > 1 else "pool"
        rule = framework_rules(self.framework).explicit_pad_rule(what, rank)
        if rule is not None:
            fix = "write p=SAME or p=VALID, or pad before the layer (tf.pad) and use VALID"
            raise DomainError(f"layer {label or self.label}: {rule}, p={_text_value(self.p)}: {fix}",
                              value=_text_value(self.p), hint=fix)

    def at(self, j: int) -> Layer:
        """The layer's rules on axis ``j`` (0-based): every per-axis field read there (the
        framework's rules, which read the whole layer, were checked on it)."""
        if self.axes is None:
            return self
        if not 0 <= j < self.axes:
            raise UsageError(f"layer {self.label} has {self.axes} axes, not axis {j}")
        token = _PROJECTING.set(True)
        try:
            return replace(self, rank=None,
                           **{f: _axis_value(getattr(self, f), j) for f in PER_AXIS + ("p",)})
        finally:
            _PROJECTING.reset(token)

    def _check_axis(self) -> None:
        if self.kind == "pool" and isinstance(self.p, int) and \
                framework_rules(self.framework).pool_pad_half_kernel:
            # the conditions of pooling that read only the layer's settings (2p <= k)
            rule = broken_setting("pool", {"k": self.k, "s": self.s, "p": self.p, "d": self.d})
            if rule is not None:
                raise DomainError(f"layer {self.label}: {rule}, got p={self.p}, k={self.k}")

    @property
    def label(self) -> str:
        return self.name or self.kind

    @property
    def convolves(self) -> bool:
        """Whether the layer sets its own channels (a convolution, direct or transposed);
        the other kinds keep the channels they get."""
        return self.kind in ("conv", "conv_transpose")

    @property
    def khat(self) -> int:
        """Effective (dilated) kernel, from the relation ``dilated_kernel``."""
        return evaluate("dilated_kernel", k=self.k, d=self.d)

    def _repr_latex_(self) -> str:
        """In Jupyter: this layer's output size as a function of its input size, on each
        axis where they differ (``o_0``, ``o_1`` of ``i_0``, ``i_1``: axes from 0, as
        :meth:`Chain.axis` numbers them)."""
        from .printing import latex
        from .symbols import i
        if self.axes is None:
            return f"$\\displaystyle o = {latex(self.expr(i))}$"
        rows = [f"o_{{{j}}} = " + latex(self.at(j).expr(axis_input(j))) for j in range(self.axes)]
        return "$\\displaystyle " + r",\quad ".join(rows) + "$"

    # --- padding ---------------------------------------------------------------
    def pads(self, i: int) -> tuple[int, int]:
        """``(p_l, p_r)`` this layer uses for input size ``i``."""
        if isinstance(self.p, str):
            if self.kind not in ("conv", "pool"):
                raise UsageError(f"layer {self.label}: padding {self.p!r} is for convolutions "
                                 "and pooling")
            if self.kind == "pool" and not framework_rules(self.framework).pool_padding_strings:
                raise UsageError(f"layer {self.label}: PyTorch pooling takes integer padding, "
                                 f"not {self.p!r} (framework=tf/keras/jax/onnx have SAME)")
            chosen = preset(self.framework, self.p)
            if self.kind == "pool" and framework_rules(self.framework).pool_truncates:
                # ONNX: the preset chooses the pads, pool_onnx decides the output
                return chosen.pads(i=i, k=self.k, s=self.s, d=self.d)
            res = chosen.apply(i=i, k=self.k, s=self.s, d=self.d)
            return res.p_l, res.p_r
        if isinstance(self.p, Sides):
            return self.p.l, self.p.r
        if isinstance(self.p, tuple):
            raise UsageError(f"layer {self.label} has per-axis padding: read one axis with .at(j)")
        return int(self.p), int(self.p)

    # --- sizes -----------------------------------------------------------------
    def output(self, i: int) -> int:
        """Output size for input size ``i`` (one axis); DomainError when refused."""
        if self.kind == "identity":
            return i
        if self.axes is not None:
            raise UsageError(f"layer {self.label} has per-axis values: read one axis with "
                             ".at(j), or the layer in a chain of that many axes")
        if self.fits_kernel and isinstance(self.k, int) and isinstance(i, int) and i < self.k:
            raise DomainError(f"layer {self.label} refuses input size {i}: the input before "
                              f"padding must be at least the kernel, {self.k} (PyTorch's "
                              "AvgPool3d)")
        fixed = self._map
        if fixed is not None:
            try:
                return fixed(i)
            except DomainError as exc:
                raise self._refused(i, exc) from None
        env = {"i": i, "k": self.k, "s": self.s, "d": self.d, "a": self.a, "f": self.factor}
        if self.kind == "upsample":
            rel = "upsample"
        else:
            env["p_l"], env["p_r"] = self.pads(i)
            env["p"] = env["p_l"]
            rel = self._relation(env["p_l"], env["p_r"])
        try:
            return evaluate(rel, **{n: env[n] for n in inputs(rel)})
        except DomainError as exc:
            raise self._refused(i, exc, rel) from None

    def refuses_every_size(self) -> str | None:
        """The refusal of a layer whose settings alone break a rule (a transposed layer's
        ``a >= max(s, d)``), at every input size; None when its settings pass."""
        if self.kind != "conv_transpose":
            return None
        rule = broken_setting("conv_transpose_asym", {"k": self.k, "s": self.s, "d": self.d,
                                                      "a": self.a})
        return None if rule is None else (f"layer {self.label} refuses every input size: "
                                          f"{rule}, got a={self.a}, s={self.s}, d={self.d}")

    def _refused(self, i: int, exc: DomainError, rel: str | None = None) -> DomainError:
        """The layer's refusal of input size ``i``: the broken rule, with PyTorch's own
        words only for a PyTorch layer."""
        every = self.refuses_every_size()
        if every is not None:       # a setting no size passes: not "input size 4"
            return DomainError(every)
        message = str(exc)
        if framework_rules(self.framework).name != "torch" and self.kind != "upsample":
            try:
                message = rule_of(rel or self._relation(*self.pads(i)), message)
            except SymconvError:
                pass
        return DomainError(f"layer {self.label} refuses input size {i}: {message}")

    @functools.cached_property
    def _map(self) -> Callable[[int], int] | None:
        """:meth:`output` as one checked function of the input size, set up once, when the
        layer's padding does not depend on the size (None otherwise: the general path)."""
        if self.kind == "identity" or self.axes is not None or isinstance(self.p, str):
            return None
        if self.kind == "upsample":
            return bound("upsample", "i", {"f": self.factor})
        p_l, p_r = self.pads(1)
        try:
            rel = self._relation(p_l, p_r)
        except SymconvError:
            return None
        env = {"k": self.k, "s": self.s, "d": self.d, "a": self.a, "p_l": p_l, "p_r": p_r,
               "p": p_l}
        return bound(rel, "i", {n: env[n] for n in inputs(rel) if n != "i"})

    def _relation(self, p_l: int, p_r: int) -> str:
        """The name of the relation that gives this layer's output size."""
        if self.kind == "conv_transpose":
            return "conv_transpose_asym"
        if self.kind == "pool":
            rules = framework_rules(self.framework)
            if rules.pool_truncates:
                # ONNX: any padding per side, ONNX's own window count (floor or ceil mode)
                return "pool_ceil_asym" if self.ceil_mode else "pool_onnx"
            if not rules.pool_pad_half_kernel:
                # TF/Keras/JAX: any padding per side, every window inside the padded input
                # (JAX's reduce_window gives an empty output where none fits)
                return "conv_asym"
            if p_l != p_r:
                if framework_rules(self.framework).symmetric_only or self.ceil_mode:
                    raise UsageError(f"layer {self.label}: PyTorch pooling takes symmetric padding")
                return "conv_asym"      # TF/Keras/JAX/ONNX SAME pooling: the window arithmetic
            return "pool_ceil" if self.ceil_mode else "pool"
        return "conv_asym"

    def expr(self, x: sympy.Expr) -> sympy.Expr:
        """The output size as an expression in the input size ``x`` (the relation, substituted).

        Every layer map ``f`` is nondecreasing, so ``f(max(c, E)) = max(f(c), f(E))``: a
        bound ``c`` from an earlier layer (ONNX pooling's one partial window) is carried
        outside, and the floors inside still collapse; if ``f`` refuses ``c``, the sizes
        where the bound is reached are refused and ``f(E)`` is the formula.
        """
        import sympy

        from ._exact import compile_expr
        from .relations import RELATIONS, RULES, UPSAMPLE
        from .symbols import f as F
        from .symbols import i as I
        from .symbols import s as STRIDE
        if self.kind == "identity":
            return x
        if self.axes is not None:
            raise UsageError(f"layer {self.label} has per-axis values: read one axis with "
                             ".at(j), whose output is one formula")
        if isinstance(x, sympy.Max) and any(v.is_Integer for v in x.args):
            (c, *_), rest = ([v for v in x.args if v.is_Integer],
                             [v for v in x.args if not v.is_Integer])
            inner = self.expr(sympy.Max(*rest) if len(rest) > 1 else rest[0])
            try:
                return sympy.Max(sympy.Integer(self.output(int(c))), inner)
            except SymconvError:
                return inner
        if self.kind == "upsample":
            return UPSAMPLE.rhs.xreplace({I: x, F: sympy.Integer(self.factor)})
        if isinstance(self.p, str):
            pre = preset(self.framework, self.p)
            out = pre.output
            if out is None:
                # a padding that does not depend on the input size (valid, causal, full)
                total = (pre.total if pre.total is not None else sympy.Integer(0)).xreplace(
                    {sym: sympy.Integer(getattr(self, sym.name)) for sym in
                     (pre.total.free_symbols if pre.total is not None else ())
                     if sym.name in ("k", "s", "d")})
                if not isinstance(total, sympy.Integer):
                    raise UsageError(f"layer {self.label}: padding {self.p!r} depends on the "
                                     "input size and states no output formula")
                pads: tuple[Any, Any] = pre.split(int(total))
            else:
                for cond in out.conditions:
                    if not compile_expr(cond.expr)({"s": self.s}):
                        raise DomainError(cond.rule)
                return out.rhs.xreplace({I: x, STRIDE: sympy.Integer(self.s)})
        else:
            pads = self.pads(0)
        rel = {**RELATIONS, **RULES}[self._relation(*pads)]
        vals = {"k": self.k, "s": self.s, "d": self.d, "p_l": pads[0], "p_r": pads[1],
                "p": pads[0], "a": self.a}
        sub = {sym: sympy.Integer(vals[sym.name]) for sym in rel.rhs.free_symbols
               if sym.name in vals}
        sub[I] = x
        return rel.rhs.xreplace(sub)

    # --- receptive field -----------------------------------------------------------
    def back(self, lo: int, hi: int, i: int | None = None) -> tuple[int, int]:
        """Input positions (hull, 0-based) that output units ``lo..hi`` read.

        Direct layers: ``[lo s - p_l, hi s - p_l + k^ - 1]``.  A transposed layer's
        output ``t`` receives input ``m`` when ``m s - p_l <= t <= m s - p_l + k^ - 1``, so
        ``m`` ranges over ``[ceil((lo + p_l - k^ + 1)/s), floor((hi + p_l)/s)]``: exact when
        ``s = 1`` or ``d = 1``, with ``k^ >= s`` (else refused: some of those inputs land
        between the taps, or none does); nearest upsampling by ``f`` reads ``[lo // f, hi // f]``.
        """
        if self.kind == "identity":
            return lo, hi
        if self.kind == "upsample":
            return lo // self.factor, hi // self.factor
        khat = self.khat
        p_l = self.pads(i)[0] if i is not None else self._pad_before_any_input()
        if self.kind == "conv_transpose":
            if self.d > 1 and self.s > 1 or khat < self.s:
                # a unit reads the inputs whose taps land on it: with both a stride and a
                # dilation, or a kernel under its stride, not every input of the span does
                raise UsageError(f"layer {self.label}: a transposed convolution with stride "
                                 f"{self.s} and " + (f"dilation {self.d}" if self.d > 1 else
                                                      f"a kernel of {khat}") +
                                 " leaves output units reading gaps or nothing: their "
                                 "receptive fields are not stated")
            return ceil_div(lo + p_l - khat + 1, self.s), (hi + p_l) // self.s
        return lo * self.s - p_l, hi * self.s - p_l + khat - 1

    def _pad_before_any_input(self) -> int:
        """The padding before the input when no input size is given: only if it is the same
        for every size (beyond ``k^``, the padding modes repeat with period ``s``, so sizes
        ``1 .. k^ + 2s`` cover every case); otherwise a refusal, never a placeholder."""
        if not isinstance(self.p, str):
            return self.pads(1)[0]
        seen: dict[int, int] = {}
        for x in range(1, self.khat + 2 * self.s + 1):
            try:
                seen.setdefault(self.pads(x)[0], x)
            except SymconvError:
                continue
        if len(seen) != 1:
            (a_, x_), (b_, y_) = list(seen.items())[:2]
            raise UsageError(f"layer {self.label}: padding {self.p!r} with stride {self.s} depends "
                             f"on the input size ({a_} before at i={x_}, {b_} at i={y_}): give i")
        return next(iter(seen))

    # --- counting --------------------------------------------------------------
    def count(self, i: Any, o: Any, ndim: int = 2) -> tuple[int | None, int]:
        """(parameters, multiply-accumulates) from the relations ``params`` and ``macs``.

        ``i`` and ``o`` are per-axis tuples (an int: the same on ``ndim`` axes); the
        kernel's and the positions' ``n``-th powers are products over the axes
        (:meth:`~symconv.relations.Relation.evaluate_over_axes`).  A transposed layer
        meets every weight once per *input* position, so its multiply-accumulates are
        ``macs`` read at the input size.
        """
        if self.kind == "identity":
            return self.weights, 0
        if self.kind not in ("conv", "conv_transpose") or self.F_i is None or self.F_o is None:
            return 0, 0
        i_ax = i if isinstance(i, tuple) else (i,) * ndim
        o_ax = o if isinstance(o, tuple) else (o,) * ndim
        n_ax = len(i_ax)
        if self.axes is not None and self.axes != n_ax:
            raise UsageError(f"layer {self.label} has {self.axes} axes, the input {n_ax}")
        k_ax = tuple(_axis_value(self.k, j) for j in range(n_ax))
        positions = i_ax if self.kind == "conv_transpose" else o_ax
        env = {"F_i": self.F_i, "F_o": self.F_o, "g": self.g, "b": int(self.bias)}
        try:
            params = evaluate_over_axes("params", {"k": k_ax}, **env)
            macs = evaluate_over_axes("macs", {"k": k_ax, "o": positions}, **env)
        except DomainError as exc:
            raise DomainError(f"layer {self.label}: {exc}") from None
        return params, macs


Layer.__init__ = takes_aliases(  # type: ignore[method-assign]
    Layer.__init__, LAYER_KEYS, "Layer")       # Layer("conv", kernel_size=3, stride=2)


@dataclass(frozen=True)
class LayerRow:
    """One row of a chain's table (sizes, pads and fields are per-axis tuples when N-d;
    counts are None when unknown: a chain read on one axis)."""

    index: int
    layer: Layer
    i: Any
    o: Any
    pads: Any
    rf: Any
    jump: Any
    start: Any
    params: int | None = 0
    macs: int | None = 0


def _num(x: Fraction | None) -> int | str | None:
    if x is None:
        return None
    return int(x) if x.denominator == 1 else str(x)


@dataclass(frozen=True)
class Alignment:
    """The input sizes for which named taps have equal sizes: residue classes mod ``period``.

    ``residues`` are the classes that align for every size ``>= start`` (and
    ``exceptions_below`` lists aligned sizes below ``start`` that break the
    pattern, if any).  ``smallest`` is the smallest aligned input size.

    >>> net = Chain((Layer("conv", k=3, p=1, name="skip"), Layer("pool", k=2, s=2),
    ...              Layer("upsample", factor=2, name="up")), ndim=1)
    >>> aligned = net.align([("skip", "up")])       # a U-Net's skip meets its upsampling
    >>> aligned.period, aligned.residues, 7 in aligned, aligned.nearest(7)
    (2, (0,), False, 6)
    """

    pairs: tuple[tuple[str, str], ...]
    period: int
    residues: tuple[int, ...]
    start: int
    smallest: int | None
    exceptions_below: tuple[int, ...] = ()

    def __contains__(self, i: object) -> bool:
        i = integer(i)          # numpy and sympy integers are the same integer
        if type(i) is not int:
            return False
        if i < self.start:
            return i in self.exceptions_below
        return i % self.period in self.residues

    def nearest(self, i: int) -> int | None:
        """The aligned input size nearest to ``i`` (the smaller one on a tie)."""
        i = as_int("input size i", i)       # numpy and sympy integers: the same int
        if not self.residues:
            return min(self.exceptions_below, key=lambda v: (abs(v - i), v), default=None)
        best = None
        for cand in list(self.exceptions_below) + [
                self._next_at_or_after(max(i, self.start)), self._prev_at_or_before(i)]:
            if cand is None:
                continue
            if best is None or (abs(cand - i), cand) < (abs(best - i), best):
                best = cand
        return best

    def _next_at_or_after(self, i: int) -> int:
        base = i - i % self.period
        return min(base + r + (self.period if base + r < i else 0) for r in self.residues)

    def _prev_at_or_before(self, i: int) -> int | None:
        if i < self.start:
            return None
        base = i - i % self.period
        cands = [base + r - (self.period if base + r > i else 0) for r in self.residues]
        cands = [c for c in cands if c >= self.start]
        return max(cands) if cands else None

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def text(self) -> str:
        listed = ", ".join(map(str, self.exceptions_below))
        if not self.residues:
            if self.exceptions_below:
                return f"i in {{{listed}}}; smallest {self.smallest}"
            if not self.pairs:      # an accepted set (no taps aligned): none accepted
                return "no input size"
            return "no input size aligns " + ", ".join(f"{a}={b}" for a, b in self.pairs)
        also = f" or i in {{{listed}}}" if self.exceptions_below else ""
        if self.period == 1:        # every size from the bound on
            return f"i >= {self.start}{also}; smallest {self.smallest}"
        cls = " or ".join(f"i ≡ {r} (mod {self.period})" for r in self.residues)
        return f"{cls}, i >= {self.start}{also}; smallest {self.smallest}"

    def latex(self, var: str = "i") -> str:
        """The accepted sizes in LaTeX, the input named ``var`` (``i_{0}`` on axis 0)."""
        i = var
        listed = rf"{i} \in \{{{', '.join(map(str, self.exceptions_below))}\}}" \
            if self.exceptions_below else ""
        if not self.residues:
            return listed or r"\emptyset"
        also = rf" \vee {listed}" if listed else ""
        if self.period == 1:        # every size from the bound on, as text() says it
            return rf"{i} \geq {self.start}{also}"
        if len(self.residues) <= 2:
            cls = r" \vee ".join(rf"{i} \equiv {r} \pmod{{{self.period}}}" for r in self.residues)
        else:   # i mod P in {0, 25, ..., 31}; a long set in rows a column holds
            entries = _runs(self.residues)
            if len(entries) > 4:
                rows = [entries[:4]] + [entries[n:n + 6] for n in range(4, len(entries), 6)]
                body = r", \\ &\quad ".join(", ".join(row) for row in rows)
                return (rf"\begin{{aligned}}[t]&({i} \bmod {self.period}) \in \{{{body}\}},\ "
                        rf"{i} \geq {self.start}{also}\end{{aligned}}")
            cls = rf"({i} \bmod {self.period}) \in \{{{', '.join(entries)}\}}"
        return rf"{cls},\ {i} \geq {self.start}{also}"


def _runs(values: Sequence[int]) -> list[str]:
    r"""Ascending integers as set entries, four or more in a row as ``a, a + 1, \ldots, b``
    (two terms before the dots, so that the step reads as 1: ``0, 3, \ldots, 5`` would
    read as a progression of step 3)."""
    out: list[str] = []
    run: list[int] = []
    for v in [*values, None]:
        if v is not None and run and v == run[-1] + 1:
            run.append(v)
            continue
        if len(run) >= 4:
            out += [str(run[0]), str(run[1]), r"\ldots", str(run[-1])]
        else:
            out += map(str, run)
        run = [] if v is None else [v]
    return out


def meeting_points(f: Callable[[int], int], g: Callable[[int], int], start: int,
                   period: int, settled: int | None = None) -> tuple[int, ...] | None:
    """The sizes ``x >= start`` where ``f(x) = g(x)``, for two nondecreasing maps whose
    steps over a period differ (None when the steps are equal: then ``f - g`` is
    periodic, as far out as the maps settle).

    Far out both maps obey ``f(x + P) = f(x) + step`` (floor maps of period ``P``); a
    bound such as ONNX pooling's one partial window, ``max(1, ...)``, only holds them
    back near ``start``, and lets go for good once the size under it passes the bound.
    So from the first ``b = start + m P`` where both steps hold over two periods, ``f - g``
    at ``b + j + m P`` is ``D_j + m Δ`` (``Δ`` the difference of the steps): zero for
    exactly one ``m`` per residue ``j`` when ``Δ`` divides ``-D_j`` and the quotient is
    ``>= 0``; below ``b`` every size is compared.  Every point is checked.

    ``settled`` (at least ``start``): a size known to be past every bend of the maps
    (a slice's bound, ``min(x, 5000)``); their far steps are read past it, and every size
    below it is compared.

    >>> meeting_points(lambda x: x, lambda x: (x + 41) // 2, 1, 2)
    (40, 41)
    >>> meeting_points(lambda x: min(x, 5000), lambda x: x // 2, 1, 2, settled=5000)
    (10000, 10001)
    """
    settled = max(start, settled or start)
    far = settled + period * SETTLE_PERIODS
    step_f = f(far + period) - f(far)
    step_g = g(far + period) - g(far)
    delta = step_f - step_g
    if delta == 0:
        return None
    base = start + (settled - start) // period * period
    while not all(f(x + period) - f(x) == step_f and g(x + period) - g(x) == step_g
                  for x in range(base, base + 2 * period)):
        base += period
        if base >= far:
            raise SymconvError(f"sizes do not settle into steps of period {period} before "
                               f"{far} (a map outside the quasi-linear rules)")
    found = [x for x in range(start, base) if f(x) == g(x)]
    for j in range(period):
        m, r = divmod(g(base + j) - f(base + j), delta)
        if r == 0 and m >= 0:
            x = base + j + m * period
            if f(x) != g(x):
                raise SymconvError(f"sizes at {x} break the period {period} "
                                   "(a map outside the quasi-linear rules)")
            found.append(x)
    return tuple(sorted(found))


MAX_STEPS = 1_000_000
"""Layer steps (a layer's size or window at one input size) a period's walk may take, a
few seconds: past it the question is refused, never left running for minutes."""


def _within_steps(steps: int, what: str) -> None:
    if steps > MAX_STEPS:
        raise UndecidedError(f"{what} takes {steps:,} layer steps; symconv stops at "
                             f"{MAX_STEPS:,} (fewer layers, or smaller strides, within a period)"
                             .replace(",", " "))


SETTLE_PERIODS = 1024
"""Periods past the smallest size by which every size map has settled into its steps."""


def channel_flow(layers: Sequence[Layer]) -> list[int | None]:
    """The channels after each layer (None: unknown), refusing a layer that takes other
    channels than the one before gives, as PyTorch refuses it at every size: a
    convolution gives its ``F_o`` (unknown without), the other layers keep what they get
    (their ``in=``/``out=``, if written, must be it), and what the next layer takes is what
    a layer gives.

    >>> channel_flow([Layer("conv", k=3, F_i=3, F_o=8), Layer("pool", k=2)])
    [8, 8]
    >>> channel_flow([Layer("identity"), Layer("conv", k=1, F_i=3)])
    [3, None]
    """
    flow: list[int | None] = []
    c: int | None = None
    for n, ly in enumerate(layers):
        takes = ly.F_i if ly.convolves or ly.F_i is not None else ly.F_o
        if takes is not None and c is not None and takes != c:
            raise DomainError(f"layer {ly.name or n + 1} ({ly.kind}) takes {takes} channels, "
                              f"the layer before gives {c}: PyTorch refuses it at every size")
        c = ly.F_o if ly.convolves else (takes if takes is not None else c)
        flow.append(c)
    # what a layer gives is what the next takes: read back (act | bn | conv in=3: bn's 3)
    need: int | None = None
    for n in reversed(range(len(layers))):
        if flow[n] is None:
            flow[n] = need
        need = layers[n].F_i if layers[n].convolves else flow[n]
    return flow




def domain_latex(least: int | None, var: str = "i") -> str:
    r"""Where a chain's output formula holds, in LaTeX: ``\quad \text{if } i \geq 9``
    (every size from 1: nothing; None, no size: said); ``var`` is the input's name
    (``i_{0}`` on axis 0)."""
    return r" \quad \text{(no input size)}" if least is None else \
        rf" \quad \text{{if }} {var} \geq {least}" if least > 1 else ""


def axis_input(j: int) -> Any:
    r"""Axis ``j``'s input size as a symbol, ``i_0``: per-axis formulas name their own input
    (``o_{0} = f(i_{0}),\quad o_{1} = g(i_{1})``), 0-based as :meth:`Chain.axis`."""
    import sympy
    return sympy.Symbol(f"i_{j}", integer=True, positive=True)


@evaluating(numeric=("output", "sizes", "accepts", "tap", "channels"))
@dataclass(frozen=True)
class Chain:
    """A sequence of layers, N-d.

    ``ndim`` is the number of spatial axes: the length of the layers' per-axis
    tuples, else the given ``ndim`` (default 2).  A chain whose layers are the same
    on every axis answers an int input with ints, as one axis stands for all; a
    per-axis input (``(224, 160)``) or a layer that differs between axes gives one
    answer per axis (a tuple).  :meth:`axis` is the chain's rules on one axis;
    counts (params, MACs, flattened sizes) need every axis, so a projected chain
    leaves them unknown (``None``) or refuses.

    >>> net = Chain.parse("conv k=3,5 s=1,2 p=1,2 | pool k=2")
    >>> net.output((224, 160))
    (112, 40)
    """

    layers: tuple[Layer, ...]
    ndim: int | None = None
    name: str = ""
    projected: bool = False
    _taps: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: ndim was neither given nor fixed by a layer: 2 was taken (said where it matters)
    _ndim_assumed: bool = field(default=False, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.layers, list):
            object.__setattr__(self, "layers", tuple(self.layers))
        if not isinstance(self.layers, tuple) or not all(isinstance(ly, Layer) for ly in self.layers):
            raise UsageError(f"a Chain is a tuple of Layer objects (or use Chain.parse(text)), "
                             f"got {self.layers!r:.60}")
        lengths: set[int] = {n_ for ly in self.layers if (n_ := ly.axes or ly.rank) is not None}
        if len(lengths) > 1:
            raise UsageError(f"layers with different numbers of axes: {sorted(lengths)}")
        if lengths:
            (n_axes,) = lengths
            if self.ndim is not None and self.ndim != n_axes:
                raise UsageError(f"ndim={self.ndim} but the layers have {n_axes} axes")
            object.__setattr__(self, "ndim", n_axes)
        elif self.ndim is None:
            object.__setattr__(self, "ndim", 2)
            object.__setattr__(self, "_ndim_assumed", True)
        if isinstance(self.ndim, bool) or not isinstance(self.ndim, int) or self.ndim < 1:
            raise UsageError(f"ndim must be a positive integer, got {self.ndim!r}")
        if self.ndim > MAX_AXES:        # the counts' k^n, as the relation params says
            raise UsageError(f"ndim must be at most {MAX_AXES}, got {self.ndim}")
        for n, layer in enumerate(self.layers if not self.projected else (), start=1):
            layer._check_rank(self.ndim, str(n))    # a rule on the number of axes (TF's pads)
        channel_flow(self.layers)
        taps = {}
        for n, layer in enumerate(self.layers):
            if layer.name:
                if layer.name in taps:
                    raise UsageError(f"two layers are named {layer.name!r}")
                taps[layer.name] = n
        object.__setattr__(self, "_taps", taps)

    # --- building --------------------------------------------------------------
    @staticmethod
    def parse(text: str, ndim: int | None = None, *, fallback: int | None = None) -> Chain:
        """Read the one-line form: ``"conv k=7 s=2 p=3 | pool k=3 s=2 p=1 @tap | ..."``.

        Each layer is a kind (conv, convt, pool, maxpool, avgpool, up, id, relu, bn)
        and ``key=value`` pairs (k s p d a ceil f name framework in out g bias);
        ``@name`` names a tap; ``p=same`` uses the layer's framework padding mode;
        ``p=causal`` (all ``d(k-1)`` before) and ``p=full`` (``d(k-1)`` each side) are
        Keras's words, read with Keras's rules unless ``framework=`` names another.
        ``k s d a f`` take per-axis lists (``k=1,7``); ``p`` takes per-axis lists whose
        entries are ``n`` (both sides) or ``l:r`` (``p=0,3`` or ``p=0:1,3``); a list
        states the number of axes, also when its entries are equal (``k=3,3,3``: 3-d).
        ``fallback`` is the number of axes when neither ``ndim`` nor a list states it
        (else 2).

        >>> Chain.parse("conv k=3,3,3").ndim, Chain.parse("conv k=3", fallback=1).ndim
        (3, 1)
        """
        if not isinstance(text, str) or not text.strip():
            raise ParseError("an empty network: give layers like 'conv k=3 p=1 | pool k=2 s=2'")
        if len(text) > 20_000:
            raise ParseError(f"network text of {len(text)} characters: at most 20000")
        layers: list[Layer] = []
        written: set[int] = set()       # the lengths of the per-axis lists written
        averaging: list[int] = []       # avgpool layers that must fit their kernel in 3-d
        norms: list[int] = []           # the layers written bn or norm (an affine norm)

        def digits(x: str) -> int:
            return read_int(x)

        for row in split_layers(text):
            n, kind = row.number - 1, row.kind
            if not row.word:
                raise ParseError(f"layer {n + 1} is empty (two '|' in a row?)")
            if kind is None:
                raise ParseError(f"layer {n + 1}: unknown kind {row.word!r}; known: "
                                 f"{', '.join(sorted(KINDS))}")
            if row.loose is not None:
                raise ParseError(f"layer {n + 1}: expected key=value, got {row.loose!r}")
            kw: dict[str, Any] = {"name": row.name} if row.name else {}
            for key, val in row.pairs:
                if key in kw:
                    raise ParseError(f"layer {n + 1}: {key} given twice; give it once")
                if key in ("name", "framework"):
                    kw[key] = val
                elif key == "p" and re.fullmatch(r"[A-Za-z_]+", val):
                    kw["p"] = val
                elif key == "p" and re.fullmatch(r"\d+(:\d+)?(,\d+(:\d+)?)*", val):
                    sides = [Sides(*map(digits, x.split(":"))) if ":" in x else digits(x)
                             for x in val.split(",")]
                    kw["p"] = tuple(sides) if len(sides) > 1 else sides[0]
                    if len(sides) > 1:
                        written.add(len(sides))
                elif key == "p" and re.fullmatch(r"-?\d+(:-?\d+)?(,-?\d+(:-?\d+)?)*", val):
                    # a negative pad per side (p=-2:1): the rule, not "cannot read ':1'"
                    raise DomainError(f"layer {n + 1}: padding must be nonnegative on each "
                                      f"side, got p={val} (a crop is not a padding: crop "
                                      "before the layer, or use a graph's pad node)")
                elif key in PER_AXIS and re.fullmatch(r"\d+(,\d+)+", val):
                    kw[key] = tuple(digits(x) for x in val.split(","))
                    written.add(len(kw[key]))
                elif key in ("k", "s", "d", "a", "factor", "F_i", "F_o", "g", "ceil_mode", "bias"):
                    v = parse_value(val)
                    if key in ("ceil_mode", "bias"):
                        if v not in (0, 1):     # True and False are 1 and 0
                            word = "ceil" if key == "ceil_mode" else key
                            raise ParseError(f"layer {n + 1}: {word} is 0 or 1, got {val!r}")
                        v = bool(v)
                    elif isinstance(v, bool):
                        v = bool(v)
                    elif not isinstance(v, int):
                        raise ParseError(f"layer {n + 1}: {key} must be an integer, got {val!r}")
                    kw[key] = v
                elif key == "p":
                    v = parse_value(val)
                    if not isinstance(v, int):
                        raise ParseError(f"layer {n + 1}: p must be an integer, a pair l,r or a "
                                         f"padding mode, got {val!r}")
                    kw["p"] = v
                else:
                    raise ParseError(f"layer {n + 1}: unknown key {key!r}")
            if kind == "upsample" and "factor" not in kw:
                raise ParseError(f"layer {n + 1}: {row.word} needs its factor (up f=2)")
            if str(kw.get("p")).lower() in ("causal", "full") and "framework" not in kw:
                kw["framework"] = "keras"       # the words are Keras's (frameworks.PRESETS)
            if kind == "conv_transpose" and "p" not in kw and \
                    framework_rules(kw.get("framework", "torch")).padding_modes_only:
                kw["p"] = "valid"               # Keras's default: its pads and output_padding
            if kind == "conv_transpose" and isinstance(kw.get("p"), str):
                kw.update(_transposed_word(n, kw), padding_word=kw["p"])
            rules = framework_rules(kw.get("framework", "torch"))
            if row.word == "avgpool":
                kw["average"] = True        # its framework's rules (TF: no explicit pads)
            if row.word == "avgpool" and not rules.avgpool_dilation and kw.get("d", 1) != 1:
                raise ParseError(f"layer {n + 1}: {rules.title}'s average pooling has no "
                                 "dilation (AvgPool takes kernel, stride and padding): drop d= "
                                 "or write maxpool")
            if row.word == "avgpool" and rules.avgpool3d_fits_kernel:
                averaging.append(len(layers))
            if row.word in ("bn", "norm"):
                norms.append(len(layers))
            try:
                layers.append(Layer(kind, **kw))
            except SymconvError as e:   # "layer conv: ..." names the layer by its place here
                label = f"layer {kw.get('name') or kind}"
                message = str(e).replace(label, f"layer {n + 1}", 1) \
                    if str(e).startswith(label) else str(e)
                raise type(e)(message, value=e.value, hint=e.hint) from None
        if len(written) > 1:
            raise UsageError(f"per-axis lists of different lengths {sorted(written)}: give one "
                             "value per axis everywhere")
        if written and ndim is not None and ndim not in written:
            raise UsageError(f"ndim={ndim} but the layers have {min(written)} axes")
        chain = Chain(tuple(layers), ndim=ndim if ndim is not None else
                      min(written) if written else fallback)
        if chain.ndim == 3 and averaging:   # AvgPool3d checks its input against the kernel
            chain = Chain(tuple(replace(ly, fits_kernel=True) if n in averaging else ly
                                for n, ly in enumerate(chain.layers)), chain.ndim)
        # the channels PyTorch's rule fixes (each layer takes what the one before gives):
        # a convolution's in= and out= where unwritten (conv in=3 out=8 | conv out=4 takes
        # 8), and an affine norm's weight and bias per channel (BatchNorm's default);
        # unknown where the channels are
        flow = channel_flow(chain.layers)
        chain = Chain(tuple(
            replace(ly, weights=None if c is None else 2 * c) if n in norms else
            replace(ly, F_i=flow[n - 1] if ly.F_i is None and n else ly.F_i,
                    F_o=c if ly.F_o is None else ly.F_o) if ly.convolves else ly
            for n, (ly, c) in enumerate(zip(chain.layers, flow, strict=True))), chain.ndim)
        return chain

    def __len__(self) -> int:
        return len(self.layers)

    def __add__(self, other: Chain) -> Chain:
        return Chain(self.layers + other.layers, self.ndim)

    # --- axes ---------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """The fields alone (what is cached on first use is built again after unpickling)."""
        return _fields_of(self)

    @functools.cached_property
    def isotropic(self) -> bool:
        """True when every layer is the same on every axis (one axis stands for all)."""
        return all(ly.axes is None for ly in self.layers)

    @property
    def ndim_assumed(self) -> bool:
        """True when no layer fixes the number of axes and none was given (2 is taken)."""
        return self._ndim_assumed

    def axis(self, j: int) -> Chain:
        """The chain's size rules on axis ``j`` (0-based); its counts are left unknown."""
        assert self.ndim is not None
        if isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < self.ndim:
            raise UsageError(f"axis {j!r} out of 0..{self.ndim - 1} ({self.ndim} axes)")
        return self._axis_chains[j]

    @functools.cached_property
    def _axis_chains(self) -> tuple[Chain, ...]:
        """Every axis's chain, built once (each keeps its layers' checked maps)."""
        assert self.ndim is not None
        return tuple(Chain(tuple(ly.at(j) for ly in self.layers), self.ndim, self.name,
                           projected=True) for j in range(self.ndim))

    def _nd(self, v: Any) -> bool:
        return isinstance(v, (tuple, list)) or not self.isotropic

    def _per_axis(self, v: Any, what: str = "input size") -> tuple[Any, ...]:
        assert self.ndim is not None
        if isinstance(v, (tuple, list)):
            if len(v) != self.ndim:
                why = (" (assumed: no layer fixes the number of axes; give ndim= to the "
                       "chain)") if self._ndim_assumed else ""
                raise UsageError(f"{what} {tuple(v)} has {len(v)} axes; the network has "
                                 f"{self.ndim}{why}: give one value per axis")
            if any(isinstance(x, (tuple, list)) for x in v):
                raise UsageError(f"{what} {tuple(v)}: one value per axis, not a list inside "
                                 "the list")
            return tuple(v)
        return (v,) * self.ndim

    def _each_axis(self, method: str, v: Any, *args: Any, **kw: Any) -> tuple[Any, ...]:
        out = []
        # sizes read no count: a chain that is the same on every axis answers for each,
        # once per distinct size (axes do not interact)
        shared = method == "sizes" and self.isotropic
        done: dict[Any, Any] = {}
        for j, x in enumerate(self._per_axis(v)):
            try:
                if not shared:
                    out.append(getattr(self.axis(j), method)(x, *args, **kw))
                elif type(x) is int and x in done:
                    out.append(done[x])
                else:
                    out.append(self.sizes(x))
                    done[x] = out[-1]
            except SymconvError as exc:
                raise type(exc)(f"axis {j}: {exc}") from None
        return tuple(out)

    # --- forward ------------------------------------------------------------------
    def sizes(self, i: Any) -> list[Any]:
        """Sizes before the first layer and after each layer (per-axis tuples when N-d)."""
        if self._nd(i):
            return [tuple(col) for col in zip(*self._each_axis("sizes", i), strict=True)]
        i = integer(i)
        if isinstance(i, bool) or not isinstance(i, int) or i < 1:
            raise DomainError(f"input size i must be a positive integer, got {i!r}")
        if i > MAX_SIZE:
            raise DomainError(f"input size i has about {int(i.bit_length() * 0.30103) + 1} "
                              f"digits: sizes are kept below 10^{len(str(MAX_SIZE)) - 1}")
        out = [i]
        for n, layer in enumerate(self.layers):
            out.append(layer.output(out[-1]))
            if out[-1] > MAX_SIZE:
                raise DomainError(f"the size after layer {n + 1} ({layer.label}) has "
                                  f"about {int(out[-1].bit_length() * 0.30103) + 1} digits: sizes are "
                                  f"kept below 10^{len(str(MAX_SIZE)) - 1}; use fewer or smaller "
                                  "upsampling layers")
        return out

    def output(self, i: Any) -> Any:
        return self.sizes(i)[-1]

    def accepts(self, i: Any) -> bool:
        """Whether the chain takes input size ``i``; a value that is not an integer (a
        bool, a float, a string) is refused, not answered False."""
        for v in (i if isinstance(i, (tuple, list)) else (i,)):
            if type(integer(v)) is not int:
                raise DomainError(f"input size i must be a positive integer, got {v!r}")
        try:
            self.sizes(i)
            return True
        except DomainError:
            return False

    def tap(self, name: str, i: Any) -> Any:
        """Size after the layer named ``name``."""
        if name not in self._taps:
            raise UsageError(f"no layer named {name!r}; named: {', '.join(self._taps) or 'none'}")
        return self.sizes(i)[self._taps[name] + 1]

    def channels(self) -> int | None:
        """Feature maps after the chain: ``F_o`` of its last convolution, carried through
        the layers that keep channels (None where that convolution gives none)."""
        return channel_flow(self.layers)[-1] if self.layers else None

    def flattened(self, i: Any) -> int:
        """Size of the flattened output (what a Linear layer after it takes):
        channels times the product over axes of the output sizes (``i`` per axis,
        or one size for all)."""
        c = self.channels()
        if c is None:
            raise UsageError("the chain sets no channel count: give out=... on a conv layer")
        if self.projected:
            raise UsageError("this chain is one axis of a network: the flattened size is a "
                             "product over every axis; ask the N-d network")
        out = self.output(i)
        return c * math.prod(self._per_axis(out))

    def table(self, i: Any) -> list[LayerRow]:
        """Per layer: input, output, padding used, receptive field so far, counts.

        One pass over the layers (linear time): while every layer so far is
        direct, output unit ``u`` of the prefix reads the affine hull
        ``[u S - P, u S - P + r - 1]``, and each layer composes :meth:`Layer.back`
        (read at units 0 and 1) into it.  From the first transposed or upsampling
        layer on, each prefix is propagated over one period (:meth:`region`)
        under a size budget; a prefix over budget is left blank.  The whole
        chain's receptive field is checked once against the closed forms of
        :mod:`symconv.receptive` (:meth:`receptive_field`).

        N-d (a per-axis input or layers that differ between axes): sizes, paddings
        and receptive fields are per-axis tuples; counts multiply over the axes.

        >>> [(r.rf, r.jump) for r in Chain.parse("conv k=3 | pool k=2 s=2 | conv k=3").table(32)]
        [(Fraction(3, 1), Fraction(1, 1)), (Fraction(4, 1), Fraction(2, 1)), (Fraction(8, 1), Fraction(2, 1))]
        """
        if self._nd(i):
            per = self._each_axis("table", i)
            rows = []
            for n, layer in enumerate(self.layers):
                cols = [axis_rows[n] for axis_rows in per]
                ins = tuple(r.i for r in cols)
                outs = tuple(r.o for r in cols)
                unknown = self.projected or layer.weights is None or \
                    (layer.kind in ("conv", "conv_transpose") and
                     (layer.F_i is None or layer.F_o is None))
                params, macs = (None, None) if unknown else layer.count(ins, outs)
                rows.append(LayerRow(n + 1, layer, ins, outs, tuple(r.pads for r in cols),
                                     tuple(r.rf for r in cols), tuple(r.jump for r in cols),
                                     tuple(r.start for r in cols), params, macs))
            return rows
        sizes = self.sizes(i)
        budget = Budget(seconds=None, items=2_000_000, what="layer steps")
        affine: tuple[int, int, int] | None = (0, 1, 1)    # lo(0), S, r: the empty prefix
        rows = []
        if self.layers and all(ly.kind in ("conv", "pool", "identity") for ly in self.layers):
            self.receptive_field(i)        # the closed-form check, once for the whole chain
        for n, layer in enumerate(self.layers):
            pads = _Pads(layer.pads(sizes[n]) if layer.kind in ("conv", "conv_transpose", "pool")
                         else (0, 0))
            field_: tuple[Fraction | None, Fraction | None, Fraction | None]
            if affine is not None and layer.kind in ("conv", "pool", "identity"):
                lo0, jump, r = affine
                (a0, b0), (a1, _) = layer.back(0, 0, sizes[n]), layer.back(1, 1, sizes[n])
                affine = (lo0 + a0 * jump, jump * (a1 - a0), r + (b0 - a0) * jump)
                field_ = (Fraction(affine[2]), Fraction(affine[1]), Fraction(affine[0]))
            else:
                affine = None
                try:
                    prefix = Chain(self.layers[:n + 1], self.ndim)
                    period = math.prod(ly.s if ly.kind == "conv_transpose" else ly.factor
                                       for ly in prefix.layers
                                       if ly.kind in ("conv_transpose", "upsample"))
                    budget.tick((period + 1) * (n + 1))
                    rf = prefix.receptive_field(i)
                    field_ = (Fraction(rf["r"]), rf["S"], Fraction(-rf["P"]))
                except (UsageError, BudgetExhausted):   # a period too long to walk: blank
                    field_ = (None, None, None)
            unknown = self.projected or layer.weights is None or \
                (layer.kind in ("conv", "conv_transpose") and
                 (layer.F_i is None or layer.F_o is None))
            counts = (None, None) if unknown else \
                layer.count(sizes[n], sizes[n + 1], self.ndim or 2)
            rf_v, jump_v, start_v = field_
            rows.append(LayerRow(n + 1, layer, sizes[n], sizes[n + 1], pads, rf_v, jump_v,
                                 start_v, counts[0], counts[1]))
        return rows

    def table_text(self, i: Any) -> str:
        rows = self.table(i)
        w = 9 if rows and isinstance(rows[0].i, tuple) else 6
        head = (f"{'#':>3}  {'layer':<28} {'in':>{w}} {'out':>{w}} {'pad':>7} {'rf':>6} "
                f"{'jump':>6} {'params':>10} {'MACs':>14}")
        lines = [head]
        for row in rows:
            lines.append(f"{row.index:>3}  {_describe(row.layer):<28} {_cell(row.i):>{w}} "
                         f"{_cell(row.o):>{w}} {_cell(row.pads):>7} {_cell(row.rf):>6} "
                         f"{_cell(row.jump):>6} {_cell(row.params):>10} {_cell(row.macs):>14}")
        total_p, total_m = totals((r.params, r.macs) for r in rows)
        i, o = (rows[0].i, rows[-1].o) if rows else (i, i)     # per axis, as the rows show
        lines.append(f"{'':>3}  {'total':<28} {_cell(i):>{w}} {_cell(o):>{w}} {'':>7} "
                     f"{'':>6} {'':>6} {_cell(total_p):>10} {_cell(total_m):>14}")
        if self.channels() is not None and not self.projected:
            lines.append(f"     flattened: {self.channels()} x "
                         f"{' x '.join(map(str, self._per_axis(o)))} = {self.flattened(i)}")
        return "\n".join(lines)

    def table_json(self, i: Any) -> dict[str, Any]:
        """The table as JSON: rationals as ``{"num", "den"}``; params and MACs ``null`` when
        unknown (a convolution without channels, a lazy module before its first run, or one
        axis of a network)."""
        rows = self.table(i)
        total_p, total_m = totals((r.params, r.macs) for r in rows)

        def pads(r: LayerRow, side: int) -> Any:
            return [x[side] for x in r.pads] if isinstance(r.i, tuple) else r.pads[side]
        return {"input": _json(i), "output": _json(rows[-1].o if rows else i), "layers": [
            {"index": r.index, "layer": _describe(r.layer), "name": r.layer.name or None,
             "in": _json(r.i), "out": _json(r.o), "p_l": pads(r, 0), "p_r": pads(r, 1),
             "receptive_field": _json(r.rf), "jump": _json(r.jump), "start": _json(r.start),
             "params": r.params, "macs": r.macs} for r in rows],
            "params": total_p, "macs": total_m,
            "channels": self.channels(),
            "flattened": self.flattened(i) if self.channels() is not None and not self.projected
            else None}

    def table_latex(self, i: Any) -> str:
        r"""A ``booktabs`` table of the layers (``\toprule``/``\midrule``/``\bottomrule``)."""
        from .paper import text as _tex_text
        lines = [r"\begin{tabular}{rlrrrrr}", r"\toprule",
                 r"\# & layer & in & out & padding & receptive field & jump \\", r"\midrule"]
        for r in self.table(i):
            lines.append(rf"{r.index} & {_tex_text(_describe(r.layer))} & {_cell(r.i, True)} & "
                         rf"{_cell(r.o, True)} & {_cell(r.pads, True)} & {_cell(r.rf, True)} & "
                         rf"{_cell(r.jump, True)} \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        return "\n".join(lines)

    def region(self, u: int, i: int | None = None) -> tuple[int, int]:
        """Input positions (0-based; outside ``[0, i)`` is padding) that output unit ``u``'s
        windows cover.

        Propagated backwards layer by layer (:meth:`Layer.back`): the hull of the window
        arithmetic, the receptive field's convention.  A window that reaches the padding
        of a layer inside the chain is taken to read through it, so at the edges a unit
        may read fewer of the input's positions: ``conv k=2 s=2 | conv k=3 p=1`` on 5,
        unit 1 covers 0..5, and reads 0..3 (its third tap is the second layer's padding).
        """
        if self._nd(i):
            us = self._per_axis(u, "output unit")
            out = []
            for j, x in enumerate(self._per_axis(i)):
                try:
                    out.append(self.axis(j).region(us[j], x))
                except DomainError as exc:      # which axis's unit is not there
                    raise DomainError(f"axis {j}: {exc}") from None
            return tuple(out)       # type: ignore[return-value]
        u = as_int("output unit u", u, 0)
        sizes = self.sizes(i) if i is not None else [None] * (len(self.layers) + 1)
        if sizes[-1] is not None and u >= sizes[-1]:
            # (200, 202) for unit 100 of an output of 4: a unit that is not there
            raise DomainError(f"output unit u = {u} is not in the output: input {i} gives "
                              f"{sizes[-1]} units (0..{sizes[-1] - 1})")
        return self._hull(u, sizes)

    def _hull(self, u: int, sizes: Sequence[int | None]) -> tuple[int, int]:
        """The window arithmetic of :meth:`region` for unit ``u``, also past the output's
        last unit (one period of units, as the receptive field reads it)."""
        lo, hi = u, u
        for n in range(len(self.layers) - 1, -1, -1):
            lo, hi = self.layers[n].back(lo, hi, sizes[n])
        return lo, hi

    def receptive_field(self, i: int | None = None) -> dict[str, Any]:
        """Receptive field ``r`` (largest over output units), effective stride ``S`` (input
        positions between adjacent output units, a fraction after upsampling) and padding
        ``P`` (unit 0 starts at ``-P``).

        For chains of direct layers with explicit padding the closed forms of
        :mod:`symconv.receptive` (proven by induction, ``symconv prove receptive_field``)
        are evaluated too, one layer at a time (:func:`symconv.receptive.step`, generated
        into :func:`symconv._forward.receptive_step`), and must agree with the
        layer-by-layer propagation.

        Without an input size, a padding that depends on it (TF SAME with a stride) makes
        ``P`` a formula in ``i``, never a value at a placeholder size:

        >>> Chain((Layer("conv", k=3, s=2, p="SAME", framework="tf"),)).receptive_field()["P"]
        floor(Max(0, -i + 2*ceiling(i/2) + 1)/2)

        Decision for transposed layers and upsampling: their output units do not all see
        the same number of input units, so ``r`` is the largest hull over one period of
        output units, and ``S`` is the product of strides divided by the upsampling
        strides and factors; where the units of a period do not cover ``u S - P`` to
        ``u S - P + r - 1``, ``windows`` lists what units ``0 .. period-1`` cover (unit
        ``q period + t`` covers ``windows[t]`` moved by ``q period S``):

        >>> Chain.parse("conv k=4 s=2 p=1 | convt k=4 s=2 p=1 | conv k=3 p=1").receptive_field()
        {'r': 8, 'S': Fraction(1, 1), 'P': 3, 'windows': ((-3, 4), (-3, 4))}
        """
        if self._nd(i):
            return self._each_axis("receptive_field", i)     # type: ignore[return-value]
        if i is None and self.layers and all(
                ly.kind in ("conv", "pool", "identity") for ly in self.layers):
            formula = self._receptive_formula()
            if formula is not None:
                return formula
        period = math.prod(ly.s if ly.kind == "conv_transpose" else ly.factor
                           for ly in self.layers if ly.kind in ("conv_transpose", "upsample"))
        if period > MAX_PERIOD:
            raise UndecidedError(f"transposed strides and upsampling multiply to {period}: the "
                             f"receptive field is checked over one period, at most {MAX_PERIOD}")
        _within_steps((period + 1) * len(self.layers), "the receptive field over one period "
                      f"of {period} output units")
        sizes = self.sizes(i) if i is not None else [None] * (len(self.layers) + 1)
        regions = [self._hull(u, sizes) for u in range(max(period, 1) + 1)]
        r = max(hi - lo + 1 for lo, hi in regions[:max(period, 1)])
        stride = Fraction(regions[period][0] - regions[0][0], period) if period else Fraction(1)
        out: dict[str, Any] = {"r": r, "S": stride, "P": -regions[0][0]}
        if period > 1 and any(regions[u] != (regions[0][0] + u * stride,
                                             regions[0][0] + u * stride + r - 1)
                              for u in range(period)):
            # units of one period cover windows of their own: say which
            out["windows"] = tuple(regions[:period])
        direct = [ly for ly in self.layers if ly.kind != "identity"]
        if direct and all(ly.kind in ("conv", "pool") and not isinstance(ly.p, str)
                          for ly in direct):
            closed = (1, 1, 0)
            for ly in direct:
                closed = receptive_step(*closed, ly.khat, ly.s, ly.pads(1)[0])
            if closed != (r, stride, out["P"]):
                raise RuntimeError(f"symconv internal error: receptive field closed form {closed} "
                                   f"disagrees with propagation {(r, stride, out['P'])}")
        return out

    def _receptive_formula(self) -> dict[str, Any] | None:
        """Without an input size, a direct chain whose padding depends on the size (TF
        SAME with a stride): ``P`` as a formula in ``i`` (each layer's padding mode put at
        its input's size formula, composed by :func:`symconv.receptive.step`); None when
        every padding is the same for all sizes (the propagation answers then)."""
        if all(not isinstance(ly.p, str) for ly in self.layers):
            return None
        import sympy

        from .receptive import padding_before, step
        r, j, P = 1, 1, sympy.Integer(0)
        fixed = True
        for n, ly in enumerate(self.layers):
            if ly.kind == "identity":
                continue
            try:
                p_l: Any = ly._pad_before_any_input()
            except UsageError:
                fixed = False
                p_l = padding_before(ly.framework, ly.p, self.output_expr(upto=n), ly.k, ly.s,
                                     ly.d)
            r, j, P = step(r, j, P, ly.khat, ly.s, p_l)
        if fixed:
            return None
        return {"r": r, "S": Fraction(j), "P": P}

    # --- symbolic ---------------------------------------------------------------
    def output_expr(self, x: sympy.Expr | None = None, *, upto: int | None = None) -> sympy.Expr:
        """The output size as a function of the input size ``x`` (default the symbol ``i``),
        nested floors collapsed.

        Composed in linear time in the integer normal form of :mod:`symconv._affine`.
        """
        if x is None:
            from .symbols import i as x
        else:
            import sympy
            if not isinstance(x, sympy.Expr):
                x = sympy.Integer(as_int("output_expr's input size", x, 1))
        if not self.isotropic:
            return tuple(self.axis(j).output_expr(x, upto=upto)
                         for j in range(self.ndim or 0))
        layers = self.layers[:upto]
        return compose([layer.expr for layer in layers], x, substituted,
                       keys=[(ly.kind, ly.k, ly.s, ly.p, ly.d, ly.a, ly.ceil_mode, ly.factor,
                              ly.framework) for ly in layers])

    def explain_output(self, latex: bool = False) -> str:
        """Layer by layer: the relation substituted, and where nested floors were merged."""
        if not self.isotropic:
            return "\n".join(f"axis {j}:\n" + self.axis(j).explain_output(latex)
                             for j in range(self.ndim or 0))
        import sympy

        from ._affine import build, read
        from ._layout import fit, line_budget
        from .printing import check_printable, sstr
        from .printing import latex as tex
        from .symbols import i
        check_printable(self.output_expr())     # before printing every step to reach it
        pr = tex if latex else sstr
        lines, e = [], i
        x = sympy.Symbol("x", integer=True, positive=True)
        for n, layer in enumerate(self.layers, start=1):
            own = layer.expr(x)
            read_as = ""
            if own.has(sympy.Piecewise, sympy.ceiling) and (op := read(own, x)) is not None:
                # a case split or a ceiling proven one floor map (_affine.periodic_floor):
                # substituted as that floor, which is what it equals
                a, b, q, c = op[1] if op[0] == "floor" else (*op[1], 1, 0)
                plain_map = build([(a, b, q, 1, c)], x)
                read_as = (f"x -> {pr(plain_map)} (its formula, proven one floor map); "
                           if not latex else
                           rf"x \mapsto {pr(plain_map)} \text{{ (one floor map)}};\ ")
                own = plain_map
            raw = own.xreplace({x: e})
            merged = collapse_floors(raw)
            if not latex:
                step = f"layer {n} ({_describe(layer)}): {read_as}{pr(raw)}"
                lines.append(step + (f"  -> merged floors: {pr(merged)}" if merged != raw
                                     else ""))
            else:
                # a paper column: the merged form on a row of its own, each row fitted
                room = line_budget("column") - 10
                head = rf"\text{{layer {n}}}"
                said = fit(read_as.removesuffix(r";\ "), room)       # its own row
                rows = [rf"{head} &: {said}"] if read_as else []
                rows.append(("" if read_as else head) + rf" &: {fit(pr(raw), room)}")
                if merged != raw:
                    rows.append(rf"&\to {fit(pr(merged), room - 70)} \quad \text{{(merged "
                                "floors)}")
                lines.append(" \\\\\n".join(rows) + " \\\\")
            e = merged
        return "\n".join(lines)

    def output_latex(self) -> str:
        r"""The output size as a formula, with the input sizes it holds for: every size
        from the smallest the chain accepts (each layer's output grows with its input);
        below it PyTorch refuses, where the formula gives 0 or less.

        >>> Chain.parse("conv k=9 s=2").output_latex()
        'o = \\left\\lfloor \\frac{i - 9}{2} \\right\\rfloor + 1 \\quad \\text{if } i \\geq 9'
        """
        from .printing import latex as _latex
        from .symbols import i as I
        try:
            least: Any = self.smallest_input()
        except DomainError:     # a layer that refuses every size
            least = None
        if not self.isotropic:
            each = least if isinstance(least, tuple) else (least,) * (self.ndim or 0)
            return r",\quad ".join(
                f"o_{{{j}}} = {_latex(e.subs(I, axis_input(j)))}" + domain_latex(m, f"i_{{{j}}}")
                for j, (e, m) in enumerate(zip(self.output_expr(), each, strict=True)))
        return f"o = {_latex(self.output_expr())}" + domain_latex(least)

    def _repr_latex_(self) -> str:
        """In Jupyter: the chain's output size as a function of its input size."""
        return f"$\\displaystyle {self.output_latex()}$"

    # --- inverse problems ------------------------------------------------------------
    def smallest_input(self) -> int:
        """The smallest input size the chain accepts (it accepts every larger one)."""
        if not self.isotropic:
            return tuple(self.axis(j).smallest_input()    # type: ignore[return-value]
                         for j in range(self.ndim or 0))
        for ly in self.layers:      # a setting no size passes: say which, not "none below 2**N"
            every = ly.refuses_every_size()
            if every is not None:
                raise DomainError(every)
        return first_true(self.accepts, 0, 1, bits=SEARCH_BITS,
                          overflow=f"the chain accepts no input size below 2**{SEARCH_BITS}")

    def inputs_for(self, o: int) -> tuple[int, int] | None:
        """All input sizes giving output ``o``: an interval ``(lo, hi)``, or None."""
        if self._nd(o):
            return self._each_axis("inputs_for", o)
        o = as_int("output size o", o, 1)
        i0 = self.smallest_input()

        def first_at_least(target: int) -> int:
            return first_true(lambda x: self.output(x) >= target, i0 - 1, i0, bits=SEARCH_BITS,
                              overflow=f"output {target} needs an input above 2**{SEARCH_BITS}")

        lo = first_at_least(o)
        if self.output(lo) != o:
            return None
        hi = first_at_least(o + 1) - 1
        assert self.output(hi) == o and (lo == i0 or self.output(lo - 1) < o)
        return lo, hi

    def align(self, pairs: Sequence[tuple[str, str]], limit: int | None = None) -> Alignment:
        """Input sizes for which every pair of named taps has equal sizes.

        Each tap size is a nondecreasing quasi-linear function of ``i``: beyond
        the smallest accepted input, adding the product ``P`` of all strides and
        upsampling factors to ``i`` adds a fixed amount to it.  So the difference of
        two taps is periodic with period ``P`` once the slopes agree (checked over two
        periods); the aligned sizes are residue classes mod ``P``.
        """
        if not isinstance(pairs, (list, tuple)) or not all(
                isinstance(pair, (tuple, list)) and len(pair) == 2 and
                all(isinstance(t, str) for t in pair) for pair in pairs):
            raise UsageError(f"align takes pairs of tap names, [('e0', 'd0'), ...], got "
                             f"{pairs!r:.60}")
        if not self.isotropic:
            return tuple(self.axis(j).align(pairs, limit)    # type: ignore[return-value]
                         for j in range(self.ndim or 0))
        for a_, b_ in pairs:
            for t in (a_, b_):
                if t not in self._taps:
                    raise UsageError(f"no layer named {t!r}; named: {', '.join(self._taps) or 'none'}")
        period = math.prod(layer.s if layer.kind != "upsample" else layer.factor
                           for layer in self.layers) or 1
        if period > MAX_PERIOD:
            raise UndecidedError(f"the strides multiply to {period}: checking alignment needs "
                             f"three periods of input sizes, and symconv stops at {MAX_PERIOD}")
        _within_steps(3 * period * len(self.layers), "checking alignment over three "
                      f"periods of {period} input sizes")
        start = self.smallest_input()
        window = range(start, start + 3 * period)
        sizes = {i: self.sizes(i) for i in window}

        def ok(i: int) -> bool:
            return all(sizes[i][self._taps[a_] + 1] == sizes[i][self._taps[b_] + 1]
                       for a_, b_ in pairs)
        for i in range(start, start + 2 * period):     # quasi-periodicity, checked
            for name in {t for pair in pairs for t in pair}:
                n_ = self._taps[name] + 1
                step = sizes[i + period][n_] - sizes[i][n_]
                if i + 2 * period in sizes and sizes[i + 2 * period][n_] - sizes[i + period][n_] != step:
                    raise SymconvError(f"tap {name!r} is not periodic with period {period}")
        # a pair whose slopes differ meets at finitely many sizes, anywhere above the
        # window: those are every candidate, each checked on the whole chain
        for a_, b_ in pairs:
            na, nb = self._taps[a_] + 1, self._taps[b_] + 1
            met = meeting_points(functools.partial(self._size_after, na),
                                 functools.partial(self._size_after, nb), start, period)
            if met is not None:
                hits = tuple(x for x in met if all(
                    self.sizes(x)[self._taps[u] + 1] == self.sizes(x)[self._taps[v] + 1]
                    for u, v in pairs))
                return Alignment(tuple(pairs), 1, (), hits[-1] + 1 if hits else start,
                                 hits[0] if hits else None, hits)
        residues = tuple(sorted({i % period for i in range(start + period, start + 2 * period)
                                 if ok(i)}))
        # the smallest period that the residue set repeats with
        for q in sorted(x for x in range(1, period + 1) if period % x == 0):
            if all(((r + q) % period in residues) for r in residues):
                residues = tuple(sorted({r % q for r in residues}))
                period = q
                break
        # the regular pattern holds from reg_start on; aligned sizes below it are listed
        reg_start = start + 2 * period if start + 2 * period in sizes else start
        while reg_start > start and ok(reg_start - 1) == ((reg_start - 1) % period in residues):
            reg_start -= 1
        exceptions = tuple(i for i in range(start, reg_start) if ok(i))
        aligned = [i for i in range(start, start + 3 * period) if i in sizes and ok(i)]
        smallest = aligned[0] if aligned else None
        return Alignment(tuple(pairs), period, residues, reg_start, smallest, exceptions)

    def _size_after(self, n: int, i: int) -> int:
        """The size after the first ``n`` layers for input size ``i``."""
        size: int = self.sizes(i)[n]
        return size

    def solve_layer(self, index: int, unknown: str, i: int, o: int, *,
                    _whole: tuple[Layer, int] | None = None, **given: Any) -> Any:
        """Solve a hyperparameter of layer ``index`` (1-based) so the chain maps ``i`` to ``o``.

        The layers before it fix its input; the layers after it fix the set of its
        outputs that lead to ``o`` (an interval, by monotonicity); the relation of the
        layer is then solved exactly for each such output and the answers united.  Per
        axis, each axis is solved alone, the other axes keeping the layer's values, and
        each value is put back into the whole layer for its framework's rules (TF's read
        every axis's dilation).
        """
        if self._nd(i) or self._nd(o):
            os_ = self._per_axis(o, "output size")
            index = as_int("layer index", index)
            if not 1 <= index <= len(self.layers):
                raise UsageError(f"layer index {index} out of 1..{len(self.layers)}")
            return tuple(self.axis(j).solve_layer(index, unknown, x, os_[j],
                                                  _whole=(self.layers[index - 1], j), **given)
                         for j, x in enumerate(self._per_axis(i)))
        index = as_int("layer index", index)
        if not 1 <= index <= len(self.layers):
            raise UsageError(f"layer index {index} out of 1..{len(self.layers)}")
        i = as_int("input size i", i, 1)
        o = as_int("output size o", o, 1)
        given = {name: as_int(name, v, _t.DOMAIN_MIN.get(name, 1)) for name, v in given.items()}
        if not isinstance(unknown, str):
            raise UsageError(f"layer {index}: the unknown is a setting's name (k, s, p, d or "
                             f"a), got {unknown!r:.40}")
        written, unknown = unknown, VARIABLE_ALIASES.get(unknown, unknown)  # PyTorch's too
        layer = self.layers[index - 1]
        if layer.kind not in ("conv", "conv_transpose", "pool"):
            raise UsageError(f"layer {index} ({layer.label}) has no kernel, stride or padding "
                             "to solve: solve a convolution or pooling layer")
        if unknown not in ("k", "s", "p", "p_l", "p_r", "d", "a", "i", "o"):
            near = nearest(written, ["k", "s", "p", "p_l", "p_r", "d", "a", *(
                alias for alias, name in VARIABLE_ALIASES.items()
                if name in ("k", "s", "p", "p_l", "p_r", "d", "a"))])
            raise UnknownNameError(f"layer {index}: no setting {written!r} to solve"
                                   f"{f' (did you mean {near!r}?)' if near else ''}: solve its "
                                   "k, s, p (or p_l, p_r), d or a")
        if unknown in ("i", "o"):
            raise UsageError(f"--solve {index}:{unknown}: a layer's sizes follow from the "
                             "network's i and o; solve its k, s, p, d or a (or ask --inputs-for)")
        layer = self.layers[index - 1]
        before = Chain(self.layers[:index - 1], self.ndim)
        after = Chain(self.layers[index:], self.ndim)
        i_layer = before.output(i) if before.layers else i
        targets = after.inputs_for(o) if after.layers else (o, o)
        if targets is None:
            return LayerValues(([], None))      # no output of this layer leads to o
        if layer.padding_word:
            raise UsageError(f"layer {index} ({layer.label}): padding {layer.padding_word!r} "
                             "sets the padding and output_padding from the kernel, stride and "
                             f"dilation; give them explicitly (here p={':'.join(map(str, layer.pads(0)))} "
                             f"a={layer.a}"
                             + ("" if framework_rules(layer.framework).transpose_pads_crop else
                                ", PyTorch's crop: framework=torch")
                             + (" framework=tf, whose rules are Keras's and which takes pads"
                                if framework_rules(layer.framework).padding_modes_only else "")
                             + ") to solve this layer")
        if isinstance(layer.p, str):
            word = preset(layer.framework, layer.p)
            if word.total_rule is None:
                layer = replace(layer, p=0)         # 'valid': no padding at any size
            elif word.output_rule is None and unknown not in ("k", "d"):
                # causal, full: the padding reads the kernel and dilation, not the size
                layer = replace(layer, p=Sides(*layer.pads(i_layer)), padding_word=layer.p)
        if isinstance(layer.p, str):
            raise UsageError(f"layer {index} ({layer.label}): padding {layer.p!r} is chosen "
                             "from the layer's kernel, stride and input size; give explicit "
                             "padding to solve this layer")
        # the relation the layer itself computes with (ceil mode, per-side padding, the
        # framework's pooling rules); solving p asks for one padding on both sides
        p_l, p_r = layer.pads(i_layer)
        rel = layer._relation(p_l, p_r)
        if unknown == "p":
            rel = {"conv_asym": "conv", "conv_transpose_asym": "conv_transpose"}.get(rel, rel)
        if not has_solver(rel):
            raise UsageError(f"layer {index} ({layer.label}) computes with the rule {rel} "
                             "(ONNX pooling's window count), which symconv evaluates but does "
                             "not solve; try values with net ... i=N")
        if layer.kind == "pool" and layer.stride_from_kernel and unknown == "k":
            return LayerValues(_pool_kernels(layer, i_layer, targets))
        names = inputs(rel)
        if unknown not in names:
            named = [n for n in names if n not in ("i", "p_l", "p_r")] + (
                ["p"] if "p_l" in names else [])
            raise UsageError(f"layer {index} ({layer.label}) computes with {rel}, which has no "
                             f"{unknown!r}; solve one of {', '.join(named)}")
        env = {"k": layer.k, "s": layer.s, "d": layer.d, "a": layer.a, "p_l": p_l,
               "p_r": p_r, "p": p_l}
        base = {n: env[n] for n in names if n in env}
        base.update(given)
        base.pop(unknown, None)
        if targets[1] - targets[0] > 10_000:
            raise UsageError("too many target sizes for this layer; bound the layers after it")
        ranges: list[tuple[int, int]] = []
        unbounded_from: int | None = None
        for t in range(targets[0], targets[1] + 1):
            given_t = {**base, "i": i_layer, "o": t}
            found = intervals(rel, unknown, given_t)
            if found is None:           # the general path: it may refuse (a broken rule)
                from ._symbolic import solve_one
                try:
                    sol = solve_one(rel, unknown, given_t)
                except DomainError:
                    continue
                found = sol.set.intervals if sol.kind in ("finite", "range") and \
                    sol.set is not None else ()
            for lo_, hi_ in found:
                if hi_ is None:
                    start = lo_ if lo_ is not None else 0
                    unbounded_from = start if unbounded_from is None else min(unbounded_from,
                                                                              start)
                else:
                    ranges.append((lo_ if lo_ is not None else 0, hi_))
        listed = sum(hi_ - lo_ + 1 for lo_, hi_ in ranges if hi_ >= lo_)
        if listed > MAX_LISTED:     # the answer is its ranges: listing them would not end
            shown = ", ".join(f"{short(lo_)}..{short(hi_)}" for lo_, hi_ in sorted(ranges)[:3])
            more = (", ..." if len(ranges) > 3 else "") + (
                f", and every value >= {short(unbounded_from)}" if unbounded_from is not None
                else "")
            ask = " ".join(f"{n}={short(v)}" for n, v in {**base, "i": i_layer}.items())
            raise UsageError(f"layer {index} {unknown}: {short(listed)} values ({shown}{more}), "
                             f"more than the {MAX_LISTED} listed at most: solve the layer alone "
                             f"for each output it may give (symconv solve {rel} {ask} o=N --for "
                             f"{unknown}), which answers ranges")
        union = {v for lo_, hi_ in ranges for v in range(lo_, hi_ + 1)}
        return _within_framework(layer, unknown, union, unbounded_from, i_layer, self.ndim,
                                 _whole)


def _pool_kernels(layer: Layer, i: int, targets: tuple[int, int]
                  ) -> tuple[list[int], int | None]:
    """The kernels of a pooling layer whose stride is its kernel (not written) that take
    input size ``i`` to a size in ``targets``, and where every larger kernel does too, the
    first of them.  In floor mode every window fits the padded input ``P = i + p_l + p_r``:
    ``d(k-1) + 1 <= P``.  In ceil mode one window may overhang it: the size
    ``ceil((P - d(k-1) - 1)/k) + 1`` is at least 1 only while ``(d-1)k < P - 1 + d``, and
    for ``d = 1`` every kernel past ``P`` gives 1 (one window: ``-1 < (P - k)/k < 0``)."""
    p_l, p_r = layer.pads(i)
    size = i + p_l + p_r
    d = layer.d
    if not layer.ceil_mode:
        top = (size - 1) // d + 1                   # d(k-1) + 1 <= P
    elif d > 1:
        top = (size - 1 + d) // (d - 1) + 1         # past it the size is below 1
    else:
        top = size + 1                              # from here on: one window
    found = []
    for k in range(1, top + 1):
        try:
            if targets[0] <= replace(layer, k=k, s=k).output(i) <= targets[1]:
                found.append(k)
        except SymconvError:
            continue
    if layer.ceil_mode and d == 1 and top in found and targets[0] <= 1:
        first = top
        while first - 1 in found:
            first -= 1
        return [k for k in found if k < first], first
    return found, None


def _flat(v: Any) -> list[int]:
    """A layer key's value as its numbers: per axis, per side (``p=1:2,0`` is 1, 2, 0)."""
    return [x for e in (v if isinstance(v, tuple) else (v,))
            for x in ((e.l, e.r) if isinstance(e, Sides) else (e,))]


def _transposed_word(n: int, kw: dict[str, Any]) -> dict[str, Any]:
    """A transposed layer's padding word (Keras ``same``/``valid``, JAX ``SAME``/``VALID``,
    ONNX ``SAME_UPPER``/``SAME_LOWER``) as the padding per side and output_padding it
    stands for, on every axis: :meth:`~symconv.presets.Preset.transposed_pads`, the same
    at every input size. Without ``a=`` the output_padding is the framework's default
    (Keras's ``output_padding=None``: ``'same'`` gives ``i s``)."""
    fw = kw.get("framework", "torch")
    try:
        pre = preset(fw, kw["p"], "conv_transpose")
    except SymconvError as exc:
        raise type(exc)(f"layer {n + 1}: {exc}") from None
    values = {x: kw.get(x, 1) for x in ("k", "s", "d")} | {"a": kw.get("a")}
    lengths = {len(v) for v in values.values() if isinstance(v, tuple)}
    if len(lengths) > 1:
        raise ParseError(f"layer {n + 1}: per-axis values of different lengths "
                         f"{sorted(lengths)}: give one value per axis everywhere")
    axes = lengths.pop() if lengths else 1
    try:
        each = [pre.transposed_pads(**{x: v[j] if isinstance(v, tuple) else v
                                       for x, v in values.items()}) for j in range(axes)]
    except SymconvError as exc:         # the layer's own refusal: named by its place
        raise type(exc)(f"layer {n + 1}: {exc}") from None
    sides = tuple(Sides(p_l, p_r) for p_l, p_r, _ in each)
    outs = tuple(a_ for *_, a_ in each)
    return {"p": sides if axes > 1 else sides[0], "a": outs if axes > 1 else outs[0]}


def _within_framework(layer: Layer, unknown: str, values: set[int], tail: int | None,
                      i: int, ndim: int | None,
                      whole: tuple[Layer, int] | None = None) -> LayerValues:
    """The solved values a layer of its framework takes (Keras/TF: no stride > 1 with
    dilation > 1, output_padding below the stride; TF: pooling pads below the kernel, no
    explicit pads on an average pooling or a 3-d layer), each put back into the layer
    (in a chain of ``ndim`` axes).  The rules are thresholds in one value (``a < s``,
    ``s > a``, ``s = 1``, ``p < k``, ``p = 0``), so an unbounded tail is kept from its
    first value the layer takes when a value past every threshold is taken too, else only
    its values below the thresholds are.  ``whole``: the layer of every axis and this
    axis's place, where the value is put for the rules that read every axis."""
    rules = framework_rules(layer.framework)
    if not (rules.refuses_settings or rules.avgpool_pad_words or rules.explicit_pad_ranks):
        return LayerValues((sorted(values), tail))  # no rule reads the value solved for

    def refusal(v: int) -> str | None:
        change: dict[str, Any] = {unknown: v}
        try:       # the layer's own refusals, at its input, in a chain of its axes
            if whole is None:
                Chain((replace(layer, **change),), ndim).output(i)
                return None
            _at_axis(*whole, unknown, v)        # the rules over every axis, on the whole
            token = _PROJECTING.set(True)
            try:
                one = replace(layer, **change)
            finally:
                _PROJECTING.reset(token)
            Chain((one,), ndim, projected=True).output(i)     # this axis's sizes
            return None
        except SymconvError as exc:
            return str(exc).partition(": ")[2] or str(exc)

    def takes(v: int) -> bool:
        return refusal(v) is None
    kept = {v for v in values if takes(v)}
    removed = sorted(values - kept)
    why = (tuple(removed), cast(str, refusal(removed[0]))) if removed else None
    if tail is None:
        return LayerValues((sorted(kept), None), refused=why)
    numbers = [x for f in ("k", "s", "d", "a") for x in (
        getattr(layer, f) if isinstance(getattr(layer, f), tuple) else (getattr(layer, f),))
        ] + _flat(layer.p)
    past = tail + max(numbers) + 2          # past every threshold the rules can set
    # a tail's values the rules refuse are named as the others are (s >= 5 at d = 2): past
    # every threshold, the whole rest of the tail is one
    taken = [v for v in range(tail, past + 1) if takes(v)]
    if takes(past):
        first = taken[0]
        gone = [v for v in range(tail, first)]
        refused_from = None
    else:
        refused_from = taken[-1] + 1 if taken else tail
        gone = [v for v in range(tail, refused_from) if not takes(v)]
    named = sorted(set(removed) | set(gone))
    shown = named[0] if named else refused_from
    why = (tuple(named), cast(str, refusal(shown))) if shown is not None else None
    if takes(past):
        return LayerValues((sorted(v for v in kept if v < first), first), refused=why)
    return LayerValues((sorted(kept | {v for v in taken if v < past}), None), refused=why,
                       refused_from=refused_from)


def _at_axis(layer: Layer, j: int, unknown: str, v: int) -> Layer:
    """``layer`` with ``unknown`` set to ``v`` on axis ``j`` alone (``p``: both sides;
    ``p_l``/``p_r``: one side), the other axes as they are: built, so refused where its
    framework refuses the whole layer."""
    n = layer.axes or layer.rank or (j + 1)
    field_ = "p" if unknown in ("p", "p_l", "p_r") else unknown
    current = getattr(layer, field_)
    each = list(current) if isinstance(current, tuple) else [current] * max(n, j + 1)
    if unknown in ("p_l", "p_r"):
        old = each[j] if isinstance(each[j], Sides) else Sides(each[j], each[j])
        each[j] = Sides(v, old.r) if unknown == "p_l" else Sides(old.l, v)
    else:
        each[j] = v
    change: dict[str, Any] = {field_: tuple(each)}
    return replace(layer, **change)


class LayerValues(tuple):
    """``(values, first)`` as :meth:`Chain.solve_layer` answers: the values the layer takes,
    and the first of an unbounded tail (or None).  ``refused`` is ``(values, rule)``: values
    the relation gives that the layer's framework refuses, and its rule (or None);
    ``refused_from``, where every value from it on is refused too (or None)."""

    refused: tuple[tuple[int, ...], str] | None
    refused_from: int | None

    def __new__(cls, pair: tuple[list[int], int | None], *,
                refused: tuple[tuple[int, ...], str] | None = None,
                refused_from: int | None = None) -> LayerValues:
        values, first = pair
        if first is not None:       # {2, ..., 8} and every value >= 9: every value >= 2
            values = sorted(values)
            while values and values[-1] == first - 1:
                first = values.pop()
        self = super().__new__(cls, (values, first))
        self.refused = refused
        self.refused_from = refused_from
        return self


def _fields_of(obj: Any) -> dict[str, Any]:
    names = {f.name for f in fields(obj)}
    return {k: v for k, v in obj.__dict__.items() if k in names}


def _cell(v: Any, tex: bool = False) -> str:
    """A table cell: per-axis tuples as ``224x160`` (LaTeX ``224 \\times 160``), unknown as ``-``."""
    if v is None:
        return "-"
    if isinstance(v, _Pads):
        return f"{v[0]}+{v[1]}"
    if isinstance(v, tuple):
        if v and isinstance(v[0], _Pads):
            return ",".join(_cell(x, tex) for x in v)
        if tex:             # a per-axis size in a LaTeX cell: math, 224 \times 160
            return "$" + r" \times ".join(_cell(x) for x in v) + "$"
        return "x".join(_cell(x) for x in v)
    if isinstance(v, Fraction):
        return str(_num(v))
    return str(v)


class _Pads(tuple[int, int]):
    """``(p_l, p_r)`` of one axis, printed ``l+r``."""


def _json(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_json(x) for x in v]
    if isinstance(v, Fraction):
        return number(v)
    return v


def _text_value(v: Any) -> str:
    """A per-axis value in the one-line form: ``3``, ``1,7``, ``0:1`` (per side)."""
    if isinstance(v, tuple):
        return ",".join(_text_value(x) for x in v)
    return str(v)


def _describe(layer: Layer) -> str:
    if layer.kind == "identity":
        return f"identity{' @' + layer.name if layer.name else ''}"
    if layer.kind == "upsample":
        return f"upsample x{_text_value(layer.factor)}{' @' + layer.name if layer.name else ''}"
    parts = ["avgpool" if layer.average else layer.kind, f"k={_text_value(layer.k)}",
             f"s={_text_value(layer.s)}", f"p={_text_value(layer.p)}"]
    if layer.d != 1:
        parts.append(f"d={_text_value(layer.d)}")
    if layer.a:
        parts.append(f"a={_text_value(layer.a)}")
    if layer.g != 1:            # the counts read it
        parts.append(f"g={layer.g}")
    if layer.ceil_mode:
        parts.append("ceil")
    if layer.name:
        parts.append("@" + layer.name)
    return " ".join(parts)


def substituted(f: Callable[[Any], Any], e: Any) -> Any:
    """``f(e)`` with its floors collapsed, for a layer map outside the normal form; a
    case split that sympy cannot keep apart (nested ceilings of periods past
    :data:`~symconv._affine.PERIOD_LIMIT`) is refused, not an internal error."""
    try:
        return collapse_floors(f(e))
    except ArithmeticError:             # sympy's PrecisionExhausted
        raise UsageError("the output formula nests case splits of periods above "
                         f"{PERIOD_LIMIT} (strides that large) that sympy cannot keep apart; "
                         "ask the sizes for given inputs instead") from None


def collapse_floors(e: sympy.Expr) -> sympy.Expr:
    r"""Rewrite :math:`\lfloor (\lfloor x/a \rfloor + c)/b \rfloor` as :math:`\lfloor (x + ac)/(ab) \rfloor`.

    Valid for positive integers ``a, b`` and integer ``c``, applied bottom-up.

    >>> import sympy
    >>> from symconv.printing import sstr
    >>> x = sympy.Symbol("x", integer=True)
    >>> sstr(collapse_floors(sympy.floor((sympy.floor((x + 1) / 2) + 3) / 4)))
    'floor((x + 7)/8)'
    """
    import sympy

    def rule(f: sympy.floor) -> sympy.Expr:
        num, den = sympy.fraction(sympy.together(f.args[0]))
        if not (den.is_Integer and den > 0):
            return f
        num = sympy.expand(num)
        inner = [t for t in sympy.Add.make_args(num) if isinstance(t, sympy.floor)]
        if len(inner) != 1:
            return f
        rest = num - inner[0]
        if not (rest.is_integer and not rest.has(sympy.floor)):
            return f
        n2, d2 = sympy.fraction(sympy.together(inner[0].args[0]))
        if not (d2.is_Integer and d2 > 0):
            return f
        return sympy.floor((sympy.expand(n2 + d2 * rest)) / (d2 * den))
    return e.replace(lambda x: isinstance(x, sympy.floor), rule)


