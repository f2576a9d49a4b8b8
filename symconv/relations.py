r"""The relationships of convolution arithmetic, each stated once as sympy data.

A :class:`Relation` is one equation ``lhs = rhs`` over the canonical integer
symbols of :mod:`symconv.symbols`, with its side conditions and its source.
Evaluation, solving, proofs, LaTeX and the command line all read these
objects; no formula is written anywhere else.

General relations (PyTorch's conventions, per spatial axis):

* ``dilated_kernel``: :math:`\hat k = d(k-1) + 1`
* ``conv_asym``: :math:`o = \lfloor (i + p_l + p_r - \hat k)/s \rfloor + 1`
* ``conv``: the same with ``p_l = p_r = p``
* ``conv_transpose_asym`` / ``conv_transpose``: :math:`o = (i-1)s - p_l - p_r + \hat k + a`
* ``pool`` (floor mode, = ``conv`` with PyTorch's ``2p <= k``), ``pool_ceil``
* ``stretched_input``, ``params``, ``pad_same_torch``, ``pad_same_tf``
* ``dv1`` ... ``dv15``: the numbered relationships of Dumoulin & Visin (2016).

>>> from symconv.relations import relation
>>> r = relation("conv")
>>> str(r)
'o = floor((i + 2*p - d*(k - 1) - 1)/s) + 1'
>>> sorted(v.name for v in r.variables)
['d', 'i', 'k', 'o', 'p', 's']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import sympy

from ._compiled import fused_relation, implied_at_least, numpy_function
from ._evaluating import evaluated, evaluating
from ._exact import positional_function
from ._forward import checked_evaluator, evaluate_over_axes
from ._gate import as_flag, integer, is_bool
from ._mod import Mod
from .errors import DomainError, UnknownNameError, UsageError
from .printing import SymconvLatexPrinter, condition_latex, latex, register_names, sstr
from .symbols import (
    DOMAIN_MIN,
    SYMBOLS,
    F_i,
    F_o,
    M,
    P,
    T,
    a,
    b,
    d,
    f,
    g,
    i,
    i_prime,
    i_tilde,
    k,
    khat,
    least,
    n,
    o,
    o_prime,
    p,
    p_l,
    p_prime,
    p_r,
    s,
)
from .vocabulary import aliased, nearest, relation_key

__all__ = ["Condition", "Relation", "relation", "relationship", "RELATIONS", "RULES", "names"]

DV = "Dumoulin & Visin, A guide to convolution arithmetic for deep learning (arXiv:1603.07285)"
TORCH = "PyTorch 2.13 documentation"


@dataclass(frozen=True)
class Condition:
    """A side condition of a relation: a sympy boolean and the rule it states.

    ``rule`` is the one-line sentence an error or a "no solution" answer
    quotes; ``error`` is what the framework says when the rule is broken.
    """

    expr: sympy.Basic
    rule: str
    error: str = ""

    @property
    def message(self) -> str:
        """What a broken condition reports: the rule, and the framework's own words."""
        return self.rule + (f" (PyTorch: {self.error!r})" if self.error else "")


@evaluating
@dataclass(frozen=True, eq=False)
class Relation:
    r"""One relationship ``lhs = rhs``, its conditions, setting and source.

    ``setting`` holds the values a special case fixes (``s = 1``), and
    ``hypotheses`` the conditions it assumes (``k`` odd); both are empty for
    the general relations.  ``defaults_to`` pairs a variable with the one whose
    value it takes when it is not given (pooling: ``s`` takes ``k``, as PyTorch's
    ``stride=None`` does).

    >>> relation("dilated_kernel").latex()
    '\\hat{k} = d \\left(k - 1\\right) + 1'
    """

    name: str
    lhs: sympy.Symbol
    rhs: sympy.Expr
    title: str
    source: str
    conditions: tuple[Condition, ...] = ()
    setting: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()
    hypotheses: tuple[Condition, ...] = ()
    number: int | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)
    defaults_to: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()

    @property
    def equation(self) -> sympy.Eq:
        """The relation as ``sympy.Eq(lhs, rhs)`` (unevaluated)."""
        return sympy.Eq(self.lhs, self.rhs, evaluate=False)

    @functools.cached_property
    def variables(self) -> frozenset[sympy.Symbol]:
        """Every symbol of the equation and of its conditions."""
        syms: set[Any] = set(self.lhs.free_symbols) | self.rhs.free_symbols
        for c in self.conditions:
            syms |= c.expr.free_symbols
        return frozenset(x for x in syms if isinstance(x, sympy.Symbol))

    def latex(self) -> str:
        """The equation in LaTeX, through :func:`symconv.printing.latex`."""
        return latex(self.equation)

    def _latex(self, printer: Any) -> str:
        # sc.latex(rel), sympy.latex(rel): the equation alone, which parse_latex reads back
        # (what a special case is stated for: stated_latex, the notebook, `symconv latex`),
        # in symconv's notation (sympy's own printer would print sympy's)
        return (printer if isinstance(printer, SymconvLatexPrinter) else
                SymconvLatexPrinter())._print(self.equation)

    def _sympystr(self, printer: Any) -> str:
        return f"{printer._print(self.lhs)} = {printer._print(self.rhs)}"

    def stated_latex(self, printer: Any = None) -> str:
        r"""The equation and, for a special case, what it is stated for: without them the
        identity shown is false (``printer``: a :class:`~symconv.printing.SymconvLatexPrinter`,
        for a paper's notation; symconv's own by default).

        >>> print(relation("dv13").stated_latex())
        o' = s \left(i' - 1\right) - 2 p + k \quad \text{if } s \mid i + 2 p - k
        """
        show = latex if printer is None else printer.doprint
        parts = [show(self.equation)]
        if self.setting:
            parts.append(r"\text{with } " + r",\ ".join(
                f"{show(x)} = {show(v)}" for x, v in self.setting))
        if self.hypotheses:
            parts.append(r"\text{if } " + r",\ ".join(
                condition_latex(h.expr, printer, claim=True) for h in self.hypotheses))
        return r" \quad ".join(parts)

    def _repr_latex_(self) -> str:
        r"""The equation, and for a special case what it is stated for (:meth:`stated_latex`)."""
        return "$\\displaystyle " + self.stated_latex() + "$"

    def __reduce__(self) -> Any:
        # a relation of the registry is one object (equal by identity): unpickled, it is
        # that object again, not a copy equal to nothing
        if RELATIONS.get(self.name) is self or RULES.get(self.name) is self:
            return (_registered, (self.name,))
        return super().__reduce__()

    def __copy__(self) -> Relation:
        return self             # immutable

    def __deepcopy__(self, memo: Any) -> Relation:
        return self

    def __str__(self) -> str:
        """``lhs = rhs``, and the hypotheses a special case assumes (``if s divides i + 2p - k``)."""
        setting = ", ".join(f"{sstr(x)} = {sstr(v)}" for x, v in self.setting)
        hyps = "".join(f"  if {h.rule}" for h in self.hypotheses)
        return f"{sstr(self.lhs)} = {sstr(self.rhs)}{'  with ' + setting if setting else ''}{hyps}"

    @functools.cached_property
    def variable_names(self) -> dict[str, sympy.Symbol]:
        """Name -> symbol for every variable."""
        return {x.name: x for x in self.variables}

    @functools.cached_property
    def ordered_variables(self) -> tuple[sympy.Symbol, ...]:
        """The variables in canonical order (i, o, k, s, p, d, a, ...)."""
        rank = {name: n for n, name in enumerate(SYMBOLS)}
        return tuple(sorted(self.variables, key=lambda v: rank.get(v.name, len(rank))))

    @functools.cached_property
    def inputs(self) -> tuple[str, ...]:
        """Names of the variables the right side is computed from, in canonical order."""
        order = list(SYMBOLS)
        names = {v.name for v in self.variables if v != self.lhs}
        return tuple(sorted(names, key=lambda n: order.index(n) if n in order else len(order)))

    def function(self, checked: bool = False) -> Any:
        """The right side as a fast positional function of :attr:`inputs` (exact integers).

        With ``checked=True`` the function also applies every domain and condition of
        the relation in the same generated expression and returns ``0`` (never a valid
        size) for a configuration the relation refuses; :meth:`evaluate` says why.
        Arguments must be ints (not checked, for speed).

        >>> f = relation("conv").function(checked=True)
        >>> relation("conv").inputs, f(224, 7, 2, 3, 1), f(3, 5, 1, 0, 1)
        (('i', 'k', 's', 'p', 'd'), 112, 0)
        """
        if not checked:
            return positional_function(self.rhs, self.inputs)
        # plain symbols: with the canonical ones' assumptions sympy would drop i >= 1 as true
        plain = {SYMBOLS[n]: sympy.Symbol(n) for n in self.inputs}
        rhs = self.rhs.xreplace(plain)
        domain = sympy.And(*[plain[SYMBOLS[n]] >= DOMAIN_MIN[SYMBOLS[n]] for n in self.inputs])
        conds = sympy.And(*[c.expr.xreplace(plain) for c in self.conditions])
        # nested and unevaluated, so the domain (s >= 1 ...) is tested before any division
        checked_rhs = sympy.Piecewise(
            (sympy.Piecewise(
                (sympy.Piecewise((rhs, rhs >= DOMAIN_MIN.get(self.lhs, 0)), (0, True),
                                 evaluate=False), conds),
                (0, True), evaluate=False), domain),
            (0, True), evaluate=False)
        return positional_function(checked_rhs, self.inputs)

    def evaluate(self, **values: int) -> int:
        """The left side for integer values of every input, with the relation's checks.

        Each value must be an integer in its domain and every condition must hold
        (otherwise a :class:`~symconv.errors.DomainError` names the rule).

        >>> relation("conv").evaluate(i=224, k=7, s=2, p=3, d=1)
        112
        >>> relation("conv").evaluate(input=224, kernel_size=7, stride=2, padding=3, dilation=1)
        112
        """
        try:
            return _evaluator(self)(values)
        except UsageError:
            # PyTorch's names (input=, kernel_size=): read as the symbols, off the hot path
            named = aliased(f"{self.name}.evaluate", values, self.inputs)
            if named.keys() == values.keys():
                raise
            return self.evaluate(**named)
        except DomainError:
            # numpy's and sympy's integers are integers (np.int64(224) as 224), off the hot
            # path; a bool, a float or a string stays refused
            ints = {name: integer(v) for name, v in values.items()}
            if all(type(ints[name]) is type(v) for name, v in values.items()):
                raise
            return _evaluator(self)(ints)

    @functools.cached_property
    def powered(self) -> tuple[str, ...] | None:
        r"""The inputs that enter the relation only as ``x**n`` (``n`` the number of
        axes), when ``n`` enters it nowhere else; ``None`` when ``n`` is not in it, or
        enters some other way too.

        Only then is the relation over axes with per-axis values the relation at ``n =
        1`` with each such ``x`` the product of its values (:meth:`evaluate_over_axes`):
        ``params`` holds :math:`k^n`, ``macs`` :math:`o^n k^n`.  The fast path reads this
        from the generated tables (``POWERS``), which are made from it.

        >>> relation("macs").powered, relation("conv").powered
        (('o', 'k'), None)
        """
        if n not in self.rhs.free_symbols:
            return None
        syms = {v.name: v for v in self.variables}
        powered = tuple(x for x in self.inputs if self.rhs.has(syms[x] ** n))
        fresh = {syms[x] ** n: sympy.Dummy(x) for x in powered}
        rest = [self.rhs.xreplace(fresh), *(c.expr for c in self.conditions)]
        if any(e.has(n, *(syms[x] for x in powered)) for e in rest):
            return None
        return powered

    def evaluate_over_axes(self, axes: dict[str, tuple[int, ...]], **values: int) -> int:
        r"""The relation for an N-d layer whose per-axis values differ (a 1x7 kernel).

        The relation states an n-d quantity with ``x**n`` for a per-axis ``x``
        (``params``: :math:`k^n`, ``macs``: :math:`o^n k^n`); axes do not interact, so
        for per-axis values :math:`x_1, \dots, x_n` the power is the product
        :math:`\prod_j x_j` (equal to :math:`x^n` when every axis is the same).  Every
        other part of the relation is read unchanged.  ``n`` is the number of axes.
        Evaluated by :func:`symconv._forward.evaluate_over_axes` (no sympy).

        >>> relation("params").evaluate_over_axes({"k": (1, 7)}, F_i=32, F_o=32, g=1, b=1)
        7200
        """
        return evaluate_over_axes(self.name, axes, **values)

    def evaluate_batch(self, **arrays: Any) -> tuple[Any, Any]:
        """Vectorised :meth:`evaluate` over numpy integer arrays: ``(values, valid)``.

        ``valid`` is the mask of configurations inside every domain and condition;
        ``values`` is meaningful where ``valid`` is true.  int64 arithmetic: exact while
        every intermediate stays below 2**63 (checked: larger inputs are refused).
        """
        import numpy as np

        names = self.inputs
        arrays = aliased(f"{self.name}.evaluate_batch", arrays, names)
        missing = [name for name in names if name not in arrays]
        if missing:
            raise UsageError(f"{self.name}.evaluate_batch needs {', '.join(names)}; "
                             f"{', '.join(missing)} not given")
        if any(not x.exp.is_Integer for x in self.rhs.atoms(sympy.Pow)):
            # params/macs: k**n of inputs below 2**31 leaves int64 (and F_i F_o k^n / g
            # is a division outside a floor)
            raise UsageError(f"{self.name}.evaluate_batch: {sstr(self.rhs)} raises to a power "
                             "given per row, past int64 (2**63) for inputs below 2**31: no "
                             "exact batch form; evaluate() answers each configuration")
        for name in names:
            given = arrays[name]
            if not isinstance(given, np.ndarray) and any(
                    is_bool(x) for x in np.asarray(given, dtype=object).ravel()):
                # [True, 5] reads as int64 [1, 5]: a bool is never a size (as evaluate says)
                raise DomainError(f"{name}: integer values only, got a bool among {given!r}")
        arr = {name: np.asarray(arrays[name]) for name in names}
        try:
            np.broadcast_shapes(*(v.shape for v in arr.values()))
        except ValueError:
            raise UsageError(f"{self.name}.evaluate_batch: arrays of shapes " + ", ".join(
                f"{name} {v.shape}" for name, v in arr.items()) + " do not broadcast "
                "together") from None
        for name, values_in in arr.items():
            if values_in.dtype.kind not in "iu":
                raise DomainError(f"{name}: integer arrays only, got dtype {values_in.dtype}")
            if values_in.size and max(-int(values_in.min()), int(values_in.max())) >= 2 ** 31:
                raise DomainError(f"{name}: values up to 2**31 in batch mode (int64 headroom); "
                                  "use evaluate() for larger ones")
        arr = {name: np.asarray(v, dtype=np.int64) for name, v in arr.items()}
        fused = _fused(self)
        if fused is not None:
            return fused(arr)
        valid = np.ones(np.broadcast(*arr.values()).shape, dtype=bool)
        for name, v in arr.items():
            valid &= v >= DOMAIN_MIN[SYMBOLS[name]]
        with np.errstate(divide="ignore", invalid="ignore"):    # a mod by 0: not valid
            for cond in self.conditions:
                valid &= numpy_function(cond.expr, names)(*(arr[name] for name in names))
        safe = {name: np.where(valid, v, max(DOMAIN_MIN[SYMBOLS[name]], 1))
                for name, v in arr.items()}
        values = np.asarray(numpy_function(self.rhs, names)(*(safe[name] for name in names)))
        values = np.where(valid, values, 0).astype(np.int64)
        valid &= values >= DOMAIN_MIN.get(self.lhs, 0)
        return values, valid

    def subs(self, name: str, mapping: dict[sympy.Symbol, sympy.Expr], **changes: Any) -> Relation:
        """A new relation with ``mapping`` substituted everywhere (a derived statement)."""
        conds = tuple(Condition(c.expr.subs(mapping), c.rule, c.error) for c in self.conditions)
        fields = dict(name=name, lhs=self.lhs, rhs=self.rhs.subs(mapping), title=self.title,
                      source=self.source, conditions=conds)
        fields.update(changes)
        return Relation(**fields)


def batch_evaluator(rel: Relation) -> Any:
    """:meth:`Relation.evaluate_batch` without its input checks, for callers whose int64
    arrays are known to be in range; None when the relation has no fused form."""
    return _fused(rel)


@functools.cache
def _fused(rel: Relation) -> Any:
    """:meth:`Relation.evaluate_batch` in one pass of in-place numpy calls, or None.

    One boolean buffer collects the domains and the conditions; the right side is
    computed into one buffer (:func:`symconv._compiled.fused_relation`), in place: no
    masked copies of the inputs (values where ``valid`` is false are unspecified).  A division by zero can
    only happen where a domain or condition already fails (its value is discarded).
    """
    import numpy as np
    names = rel.inputs
    program = fused_relation(tuple(c.expr for c in rel.conditions), rel.rhs, tuple(names))
    if program is None:
        return None
    fused: Any = program
    lows = [DOMAIN_MIN[SYMBOLS[name]] for name in names]
    low_out = least(rel.lhs)
    conditions = tuple(c.expr for c in rel.conditions)
    out_checked = not implied_at_least(conditions, rel.rhs, low_out)

    def run(arr: dict[str, Any]) -> tuple[Any, Any]:
        args = np.broadcast_arrays(*(arr[name] for name in names))
        shape = args[0].shape if args else ()
        valid = np.ones(shape, dtype=bool)
        tmp = np.empty(shape, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for v, low in zip(args, lows, strict=True):
                np.greater_equal(v, low, out=tmp)
                valid &= tmp
            conds, values = fused(*args)
            for cond in conds:
                valid &= cond
            if not isinstance(values, np.ndarray) or values.shape != shape or \
                    any(values is a for a in args) or values.dtype != np.int64:
                values = np.array(np.broadcast_to(values, shape), dtype=np.int64)
            if out_checked:             # else proven: rhs >= low_out wherever valid
                np.greater_equal(values, low_out, out=tmp)
                valid &= tmp
        return values, valid
    return run


@functools.cache
def _evaluator(rel: Relation) -> Any:
    """A checked evaluator for ``rel``, compiled once: domains, conditions, right side
    (the rule of :func:`symconv._forward.checked_evaluator`)."""
    names = rel.inputs
    syms = {v.name: v for v in rel.variables}
    lows = [(name, least(syms[name])) for name in names]
    conds = []
    for cond in rel.conditions:
        cond_names = tuple(c for c in names if syms[c] in cond.expr.free_symbols)
        conds.append((positional_function(cond.expr, cond_names), cond_names, cond.message))
    return checked_evaluator(rel.name, rel.lhs.name, names, lows, conds,
                             positional_function(rel.rhs, names), least(rel.lhs))


def _ge(lhs: sympy.Expr, rhs: sympy.Expr) -> sympy.Basic:
    return sympy.Ge(lhs, rhs, evaluate=False)


# --- the general relations ----------------------------------------------------

DILATED_KERNEL = Relation(
    "dilated_kernel", khat, d * (k - 1) + 1,
    title="effective (dilated) kernel size",
    source=f"{DV}, relationship 15: k^ = k + (k-1)(d-1)")

_KHAT = DILATED_KERNEL.rhs
_SPAN = i + p_l + p_r - _KHAT     # what the kernel can slide over: X >= 0

_FITS = Condition(
    _ge(i + p_l + p_r, _KHAT),
    rule="the padded input must hold one dilated kernel: i + p_l + p_r >= d(k-1) + 1",
    error="Kernel size can't be greater than actual input size")

def _asymmetric_pair(name: str, rhs: sympy.Expr, titles: tuple[str, str], sources: tuple[str, str],
                     conditions: tuple[Condition, ...]) -> tuple[Relation, Relation]:
    """The ``p_l``/``p_r`` relation, and the symmetric one derived by ``p_l = p_r = p``."""
    asym = Relation(f"{name}_asym", o, rhs, title=titles[0], source=sources[0],
                    conditions=conditions)
    return asym, asym.subs(name, {p_l: p, p_r: p}, title=titles[1], source=sources[1])


CONV_ASYM, CONV = _asymmetric_pair(
    "conv", sympy.floor(_SPAN / s) + 1,
    ("convolution, asymmetric padding (with dilation)", "convolution (with dilation)"),
    (f"{DV}, relationships 6 and 15; {TORCH}, Conv2d (padding before/after as F.pad)",
     f"{DV}, relationships 6 and 15; {TORCH}, Conv1d/Conv2d/Conv3d shape"),
    (_FITS,))

_A_BOUND = Condition(
    sympy.Lt(a, sympy.Max(s, d)),
    rule="output_padding must be smaller than either stride or dilation: a < max(s, d)",
    error="output padding must be smaller than either stride or dilation")

CONV_TRANSPOSE_ASYM, CONV_TRANSPOSE = _asymmetric_pair(
    "conv_transpose", (i - 1) * s - p_l - p_r + _KHAT + a,
    ("transposed convolution, asymmetric padding (with dilation and output_padding)",
     "transposed convolution (with dilation and output_padding)"),
    (f"{DV}, relationship 14; ONNX ConvTranspose (pads begin/end)",
     f"{DV}, relationship 14; {TORCH}, ConvTranspose1d/2d/3d shape"),
    (_A_BOUND,))

POOL_PAD = _POOL_PAD = Condition(
    sympy.Le(2 * p, k),
    rule="pooling padding must be at most half the kernel: 2p <= k",
    error="pad should be at most half of effective kernel size")

POOL = CONV.subs(
    "pool", {},
    title="pooling, floor mode (max pooling may be dilated)",
    source=f"{DV}, relationship 7; {TORCH}, MaxPool/AvgPool (ceil_mode=False)",
    conditions=CONV.conditions + (_POOL_PAD,), defaults_to=((s, k),))

_ONNX_POOL = "ONNX MaxPool/AveragePool/LpPool (onnx 1.23 shape inference and onnxruntime 1.32)"
_REACHES = Condition(
    _ge(_SPAN + s, 1),
    rule="ONNX pooling needs the padded input within s - 1 units of one window "
         "(else its output size is 0): i + p_l + p_r + s - 1 >= d(k-1) + 1")

POOL_ONNX = Relation(
    "pool_onnx", o,
    sympy.Max(sympy.floor(_SPAN / s) + 1, 1),
    title="ONNX pooling, floor mode: (i + p_l + p_r - k^)/s truncated toward zero, plus 1, "
          "so an input short of one window by less than s gives one partial window",
    source=f"{_ONNX_POOL}: output = (input + pads - effective kernel) / stride + 1 in "
           "integer (truncating) arithmetic; any pads",
    conditions=(_REACHES,))

_CEIL = sympy.ceiling(_SPAN / s)
POOL_CEIL_ASYM = Relation(
    "pool_ceil_asym", o,
    sympy.Piecewise((_CEIL, s * _CEIL >= i + p_l), (_CEIL + 1, True)),
    title="pooling, ceil mode, padding per side: ceil, then drop a last window starting in "
          "the padding after the input",
    source=f"{_ONNX_POOL}, ceil_mode=1, pads begin/end: o -= 1 if (o-1)s >= i + p_l",
    conditions=(_REACHES,))

POOL_CEIL = POOL_CEIL_ASYM.subs(
    "pool_ceil", {p_l: p, p_r: p},
    title="pooling, ceil mode: ceil, then drop a last window starting in the right padding",
    source=f"{TORCH}, MaxPool/AvgPool (ceil_mode=True): o -= 1 if (o-1)s >= i + p",
    conditions=(_POOL_PAD,), defaults_to=((s, k),))

STRETCHED_INPUT = Relation(
    "stretched_input", i_tilde, i_prime + (i_prime - 1) * (s - 1),
    title="stretched input of a transposed convolution (s-1 zeros between units)",
    source=f"{DV}, section 4.5")

PARAMS = Relation(
    "params", P, k ** n * F_i / g * F_o + b * F_o,
    title="learnable parameters of a convolution (n-d kernel, groups, bias b in {0, 1})",
    source=f"{TORCH}, Conv weight (F_o, F_i/g, k...) and bias (F_o)",
    conditions=(
        Condition(sympy.Eq(Mod(F_i, g), 0), rule="groups must divide in_channels: g | F_i",
                  error="in_channels must be divisible by groups"),
        Condition(sympy.Eq(Mod(F_o, g), 0), rule="groups must divide out_channels: g | F_o",
                  error="out_channels must be divisible by groups"),
        Condition(sympy.Le(b, 1), rule="bias is 0 (no bias) or 1 (bias)"),
    ))

MACS = Relation(
    "macs", M, o ** n * (PARAMS.rhs - b * F_o),
    title="multiply-accumulates of a convolution: every weight once per output position",
    source=f"{TORCH}, Conv weight shape; o^n output positions of an n-d layer",
    conditions=PARAMS.conditions[:2])

PAD_SAME_TORCH = Relation(
    "pad_same_torch", T, _KHAT - 1,
    title="PyTorch padding='same': total padding (stride 1 only), extra at the end",
    source=f"{TORCH}, Conv2d padding='same' (_conv_forward: total = d(k-1), left = total // 2)",
    conditions=(Condition(sympy.Eq(s, 1), rule="PyTorch padding='same' needs stride 1",
                          error="padding='same' is not supported for strided convolutions"),))

PAD_SAME_TF = Relation(
    "pad_same_tf", T, sympy.Max((sympy.ceiling(i / s) - 1) * s + _KHAT - i, 0),
    title="TensorFlow/Keras/JAX/ONNX 'SAME': total padding for o = ceil(i/s)",
    source="TensorFlow tf.nn.convolution padding notes; ONNX Conv auto_pad SAME_UPPER/SAME_LOWER")

# --- rules the layers and the frameworks apply around the relations ------------------
# Not listed by ``symconv list``: they are read by chains, presets, claims and proofs.

_KERAS = "Keras Conv1D/Conv2D padding (keras.src.utils.conv_utils.conv_output_length)"
PAD_CAUSAL = Relation(
    "pad_causal", T, PAD_SAME_TORCH.rhs,
    title="Keras padding='causal': total padding d(k-1), all of it before the input "
          "(p_l = d(k-1), p_r = 0), so output t reads no input after t",
    source=f"{_KERAS}: causal pads the left by dilation*(kernel_size-1), then 'valid'")

PAD_FULL = Relation(
    "pad_full", T, 2 * PAD_SAME_TORCH.rhs,
    title="full padding: d(k-1) on each side (every partial overlap of kernel and input)",
    source=f"{DV}, relationship 4 (p = k - 1); {_KERAS}: 'full' gives i + d(k-1) at stride 1")

UPSAMPLE = Relation(
    "upsample", o, f * i,
    title="nearest upsampling by an integer factor f",
    source=f"{TORCH}, Upsample(scale_factor=f, mode='nearest'): o = floor(i f)")

PAD_SPLIT_BEFORE = Relation(
    "pad_split_before", p_l, sympy.floor(T / 2),
    title="a total padding split with the odd extra at the end: the part before",
    source=f"{TORCH}, Conv2d padding='same' (left = total // 2); TensorFlow SAME; ONNX SAME_UPPER")

PAD_SPLIT_AFTER = Relation(
    "pad_split_after", p_r, T - PAD_SPLIT_BEFORE.rhs,
    title="a total padding split with the odd extra at the end: the part after",
    source=PAD_SPLIT_BEFORE.source)

SAME_OUTPUT_TORCH = Relation(
    "same_output_torch", o, i,
    title="PyTorch padding='same' keeps the size (total d(k-1), stride 1)",
    source=f"{TORCH}, Conv2d padding='same'; proof same_padding_split",
    conditions=PAD_SAME_TORCH.conditions)

SAME_OUTPUT_TF = Relation(
    "same_output_tf", o, sympy.ceiling(i / s),
    title="TensorFlow/Keras/JAX/ONNX 'SAME' output size",
    source=f"{PAD_SAME_TF.source}; proof tf_same")

# Keras 3, keras/src/backend/common/backend_utils.py, _get_output_shape_given_tf_padding
_KERAS_T = "Keras 3 Conv*Transpose (backend_utils._get_output_shape_given_tf_padding)"
KERAS_TRANSPOSE_VALID_A = Relation(
    "keras_transpose_valid_a", a, sympy.Max(_KHAT, s) - _KHAT,
    title="Keras transposed 'valid' with output_padding=None: the output_padding used",
    source=_KERAS_T)

KERAS_TRANSPOSE_SAME_TOTAL = Relation(
    "keras_transpose_same_total", T, sympy.Max(_KHAT - s, 0),
    title="Keras transposed 'same' with output_padding=None: total padding (o = i s)",
    source=_KERAS_T)

KERAS_TRANSPOSE_SAME_A = Relation(
    "keras_transpose_same_a", a, sympy.Max(s - _KHAT, 0),
    title="Keras transposed 'same' with output_padding=None: the output_padding used",
    source=_KERAS_T)

_KERAS_T_JAX = ("Keras 3 Conv*Transpose (backend_utils._convert_conv_transpose_padding_args_"
                "from_keras_to_jax: pad_len = khat + khat mod 2 - 2 + a, left_pad = "
                "min(ceil(pad_len/2), khat - 1); p_l = khat - 1 - left_pad; TF backend alike)")
KERAS_TRANSPOSE_SAME_BEFORE = Relation(
    "keras_transpose_same_before", p_l, sympy.Max(sympy.floor(_KHAT / 2) - sympy.ceiling(a / 2), 0),
    title="Keras transposed 'same' with an explicit output_padding: the padding before",
    source=_KERAS_T_JAX)

KERAS_TRANSPOSE_SAME_AFTER = Relation(
    "keras_transpose_same_after", p_r, 2 * sympy.floor(_KHAT / 2) - KERAS_TRANSPOSE_SAME_BEFORE.rhs,
    title="Keras transposed 'same' with an explicit output_padding: the padding after (the "
          "two add up to 2 floor(khat/2); output_padding a is added after them)",
    source=_KERAS_T_JAX)

ONNX_TRANSPOSE_SAME_TOTAL = Relation(
    "onnx_transpose_same_total", T, (i - 1) * s + a + _KHAT - i * s,
    title="ONNX ConvTranspose auto_pad SAME_UPPER/SAME_LOWER: total padding for o = i s",
    source="ONNX ConvTranspose operator: total_padding = stride*(in-1) + output_padding "
           "+ ((kernel-1)*dilation+1) - out, out = in*stride",
    conditions=(Condition(_ge((i - 1) * s + a + _KHAT - i * s, 0),
                          rule="ONNX ConvTranspose SAME needs a nonnegative total padding"),))

P_PRIME = Relation(
    "p_prime", p_prime, k - p - 1,
    title="padding of the transposed convolution associated with a unit-stride convolution",
    source=f"{DV}, relationship 9: p' = k - p - 1")

NO_WASTE = Condition(
    sympy.Eq(Mod(_SPAN, s), 0),
    rule="no waste: the last window ends at the input edge, s | i + p_l + p_r - d(k-1) - 1")

VALIDITY = CONV.conditions + CONV_TRANSPOSE.conditions
"""The validity rules of a convolution and of its transpose: the kernel fits, a < max(s, d)."""

RULES: dict[str, Relation] = {
    r.name: r for r in (UPSAMPLE, PAD_SPLIT_BEFORE, PAD_SPLIT_AFTER, SAME_OUTPUT_TORCH,
                        SAME_OUTPUT_TF, KERAS_TRANSPOSE_VALID_A, KERAS_TRANSPOSE_SAME_TOTAL,
                        KERAS_TRANSPOSE_SAME_A, KERAS_TRANSPOSE_SAME_BEFORE,
                        KERAS_TRANSPOSE_SAME_AFTER,
                        ONNX_TRANSPOSE_SAME_TOTAL, P_PRIME, PAD_CAUSAL, PAD_FULL,
                        POOL_CEIL_ASYM, POOL_ONNX)
}
"""Rules read by layers, presets, claims and proofs (not shown by ``symconv list``)."""

# --- the numbered relationships of Dumoulin & Visin ------------------------------

_one = sympy.Integer(1)


def _dv(number: int, lhs: sympy.Symbol, rhs: sympy.Expr, title: str,
        setting: dict[sympy.Symbol, sympy.Expr] | None = None,
        hypotheses: tuple[Condition, ...] = (), conditions: tuple[Condition, ...] = ()
        ) -> Relation:
    return Relation(f"dv{number}", lhs, rhs, title=title, source=f"{DV}, relationship {number}",
                    setting=tuple((setting or {}).items()), hypotheses=hypotheses, number=number,
                    conditions=conditions)


_K_ODD = Condition(sympy.Eq(Mod(k, 2), 1), rule="k is odd")


def _divides(x: sympy.Expr, rule: str) -> Condition:
    return Condition(sympy.Eq(Mod(x, s), 0), rule=rule)


_DV5 = sympy.floor((i - k) / s) + 1
DV_RELATIONS = (
    _dv(1, o, (i - k) + 1, "no zero padding, unit strides", {s: _one, p: sympy.S.Zero}),
    _dv(2, o, (i - k) + 2 * p + 1, "zero padding, unit strides", {s: _one}),
    _dv(3, o, i, "half (same) padding, unit strides",
        {s: _one, p: sympy.floor(k / 2)}, (_K_ODD,)),
    _dv(4, o, i + (k - 1), "full padding, unit strides", {s: _one, p: k - 1}),
    _dv(5, o, _DV5, "no zero padding, non-unit strides", {p: sympy.S.Zero}),
    _dv(6, o, sympy.floor((i + 2 * p - k) / s) + 1, "zero padding, non-unit strides"),
    _dv(7, o, _DV5, "pooling (no padding)", {p: sympy.S.Zero}),
    _dv(8, o_prime, i_prime + (k - 1),
        "transposed: of a conv with no padding, unit strides (p' = k - 1)",
        {s: _one, p: sympy.S.Zero}),
    _dv(9, o_prime, i_prime + (k - 1) - 2 * p,
        "transposed: of a conv with zero padding, unit strides (p' = k - p - 1)", {s: _one}),
    _dv(10, o_prime, i_prime, "transposed: of a half-padded conv (p' = p)",
        {s: _one, p: sympy.floor(k / 2)}, (_K_ODD,)),
    _dv(11, o_prime, i_prime - (k - 1), "transposed: of a fully padded conv (p' = 0)",
        {s: _one, p: k - 1}),
    _dv(12, o_prime, s * (i_prime - 1) + k,
        "transposed: of a conv with no padding, non-unit strides (over the stretched input)",
        {p: sympy.S.Zero}, (_divides(i - k, "s divides i - k"),)),
    _dv(13, o_prime, s * (i_prime - 1) + k - 2 * p,
        "transposed: of a conv with zero padding, non-unit strides, s | (i + 2p - k)",
        None, (_divides(i + 2 * p - k, "s divides i + 2p - k"),)),
    _dv(14, o_prime, s * (i_prime - 1) + a + k - 2 * p,
        "transposed: of a conv with zero padding, non-unit strides, a = (i + 2p - k) mod s",
        None, (Condition(sympy.Eq(a, Mod(i + 2 * p - k, s)),
                         rule="a = (i + 2p - k) mod s"),),
        # a remainder mod s: below the stride (PyTorch's a < max(s, d) at d = 1)
        (Condition(sympy.Lt(a, s), rule="a = (i + 2p - k) mod s is below the stride: a < s",
                   error="output padding must be smaller than either stride or dilation"),)),
    _dv(15, o, sympy.floor((i + 2 * p - k - (k - 1) * (d - 1)) / s) + 1,
        "dilated convolution"),
)

RELATIONS: dict[str, Relation] = {
    r.name: r for r in (CONV, CONV_ASYM, CONV_TRANSPOSE, CONV_TRANSPOSE_ASYM, POOL, POOL_CEIL,
                        DILATED_KERNEL, STRETCHED_INPUT, PARAMS, MACS, PAD_SAME_TORCH, PAD_SAME_TF,
                        *DV_RELATIONS)
}
"""Every relation by name, in the order ``symconv list`` shows them."""



def names() -> list[str]:
    """Names of all relations, as ``symconv list`` shows them.

    >>> names()[:3], len(names()) == len(set(names()))
    (['conv', 'conv_asym', 'conv_transpose'], True)
    """
    return list(RELATIONS)


def _registered(name: str) -> Relation:
    """The registry's relation ``name`` (what an unpickled relation is)."""
    return RELATIONS[name] if name in RELATIONS else RULES[name]


@evaluated
def relation(name: str | Relation, *, ceil_mode: bool = False, asymmetric: bool = False) -> Relation:
    """The relation called ``name`` (``"conv"``, ``"dv6"``, ``"relationship 6"``, ...).

    ``ceil_mode=True`` selects PyTorch's ceil-mode pooling for ``pool``;
    ``asymmetric=True`` the ``p_l``/``p_r`` form of ``conv``/``conv_transpose``.

    >>> relation("pool", ceil_mode=True).name
    'pool_ceil'
    """
    if isinstance(name, Relation):
        rel = name
    else:
        key = relation_key(name)
        if key not in RELATIONS:
            near = nearest(key, RELATIONS)
            hint = f"; did you mean {near!r}?" if near else ""
            raise UnknownNameError(
                f"unknown relation {str(name)!r}{hint} (symconv list shows them all)")
        rel = RELATIONS[key]
    ceil_mode, asymmetric = as_flag("ceil_mode", ceil_mode), as_flag("asymmetric", asymmetric)
    if ceil_mode and rel.name == "pool":
        rel = POOL_CEIL
    elif ceil_mode and rel.name != "pool_ceil":
        raise UsageError(f"ceil mode is pooling's: {rel.name} has none (solve pool with "
                         "ceil mode, or drop it)")
    if asymmetric and rel.name in ("conv", "conv_transpose"):
        rel = RELATIONS[rel.name + "_asym"]
    return rel


def relationship(number: int) -> Relation:
    """Relationship ``number`` (1 to 15) of Dumoulin & Visin.

    >>> relationship(1).latex()
    'o = i - k + 1'
    """
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 15:
        raise UnknownNameError(
            f"Dumoulin & Visin number their relationships 1 to 15, got {number!r}")
    return RELATIONS[f"dv{number}"]


register_names(relation)
