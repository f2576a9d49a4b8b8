r"""Receptive fields of chains: the closed forms of Araujo, Norris & Sim (Distill 2019).

For direct layers ``l = 1..L`` with dilated kernels ``khat_l``, strides ``s_l`` and
left paddings ``p_l``:

.. math::
    r_0 = \sum_{l=1}^{L} (\hat k_l - 1) \prod_{m<l} s_m + 1, \qquad
    S = \prod_{l=1}^{L} s_l, \qquad
    P = \sum_{l=1}^{L} p_l \prod_{m<l} s_m .

Output unit ``u`` of the chain reads input positions ``u S - P`` to ``u S - P + r_0 - 1``.
These closed forms are stated once here, proven against the layer recurrences by
induction (``symconv prove receptive_field``) and evaluated for concrete chains
by :meth:`symconv.chain.Chain.receptive_field`.

>>> sympy.expand(closed_forms(2)[0] - (KHAT[1] + S[1] * (KHAT[2] - 1)))
0
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ._exact import compile_expr
from ._forward import receptive_step
from .frameworks import preset
from .paper import text
from .printing import latex
from .relations import PAD_SPLIT_AFTER, PAD_SPLIT_BEFORE
from .symbols import T, d, i, k, s

__all__ = ["KHAT", "S", "PAD", "L", "jump", "receptive_field", "padding", "closed_forms",
           "ReceptiveField", "step", "padding_before"]

L = sympy.Symbol("L", integer=True, positive=True)
_l, _m = sympy.symbols("l m", integer=True, positive=True)
KHAT, S, PAD = sympy.IndexedBase("khat"), sympy.IndexedBase("s"), sympy.IndexedBase("p")


def jump(n: Any) -> sympy.Expr:
    """Effective stride after ``n`` layers: the product of their strides,
    ``S = prod_{l=1}^{n} s_l`` (Araujo, Norris & Sim 2019).

    >>> jump(3).doit()
    s[1]*s[2]*s[3]
    """
    return sympy.Product(S[_m], (_m, 1, n))


def receptive_field(n: Any) -> sympy.Expr:
    """Receptive field size after ``n`` layers,
    ``r_0 = sum_{l=1}^{n} (khat_l - 1) prod_{m<l} s_m + 1`` (Araujo, Norris & Sim 2019).

    >>> sympy.expand(receptive_field(2).doit())
    khat[1] + khat[2]*s[1] - s[1]
    """
    return sympy.Sum((KHAT[_l] - 1) * jump(_l - 1), (_l, 1, n)) + 1


def padding(n: Any) -> sympy.Expr:
    """Effective (left) padding after ``n`` layers,
    ``P = sum_{l=1}^{n} p_l prod_{m<l} s_m`` (Araujo, Norris & Sim 2019).

    >>> sympy.expand(padding(2).doit())
    p[1] + p[2]*s[1]
    """
    return sympy.Sum(PAD[_l] * jump(_l - 1), (_l, 1, n))


def closed_forms(n: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """``(r_0, S, P)`` of an ``n``-layer chain, summed out.

    >>> closed_forms(1)
    (khat[1], s[1], p[1])
    """
    return (sympy.expand(receptive_field(n).doit()), jump(n).doit(), sympy.expand(padding(n).doit()))


@functools.cache
def _step_forms() -> tuple[tuple[sympy.Expr, ...], tuple[Any, ...]]:
    # a sub-network is one layer of kernel r, stride j and padding P (Araujo et al.,
    # section "Multi-path networks"): the two-layer closed forms with the prefix as layer 1
    forms = tuple(e.xreplace({KHAT[1]: _R, S[1]: _J, PAD[1]: _P, KHAT[2]: _K, S[2]: _S,
                              PAD[2]: _PL}) for e in closed_forms(2))
    return forms, tuple(compile_expr(e) for e in forms)


_R, _J, _P, _K, _S, _PL = sympy.symbols("r j P khat s p_l", integer=True)


def step(r: int, j: int, P: Any, khat: int, stride: int, p_l: Any) -> tuple[int, int, Any]:
    """``(r, j, P)`` of a sub-network followed by one direct layer (dilated kernel ``khat``,
    stride ``stride``, padding before ``p_l``): :func:`closed_forms` for two layers, the
    sub-network standing for the first.  ``P`` and ``p_l`` may be formulas in the input
    size; then ``P`` is one too.

    >>> step(3, 1, 1, 3, 2, 1)
    (5, 2, 2)
    """
    forms, fns = _step_forms()
    values = {"r": r, "j": j, "P": P, "khat": khat, "s": stride, "p_l": p_l}
    for name, v in values.items():
        if not isinstance(v, (int, sympy.Basic)) or isinstance(v, bool):
            raise TypeError(f"receptive field step: {name} must be an integer or a formula, "
                            f"got {v!r}")
    if isinstance(P, sympy.Basic) or isinstance(p_l, sympy.Basic):
        sub = {sym: (values[sym.name] if isinstance(values[sym.name], sympy.Basic)
                     else sympy.Integer(values[sym.name])) for sym in (_R, _J, _P, _K, _S, _PL)}
        return int(fns[0](values)), int(fns[1](values)), forms[2].xreplace(sub)
    return receptive_step(r, j, P, khat, stride, p_l)     # these forms, generated


def padding_before(framework: str, mode: str, x: sympy.Expr, kernel: int, stride: int,
                   dilation: int) -> sympy.Expr:
    """The padding a framework's padding ``mode`` puts before an input of size ``x`` (a
    formula): the preset's total padding, split by ``pad_split_before`` (or
    ``pad_split_after`` where the extra unit goes first).

    >>> padding_before("tf", "SAME", sympy.Integer(225), 3, 2, 1)
    1
    """
    pre = preset(framework, mode)
    if pre.total is None:
        return sympy.Integer(0)
    total = pre.total.xreplace({i: x, k: sympy.Integer(kernel), s: sympy.Integer(stride),
                                d: sympy.Integer(dilation)})
    part = PAD_SPLIT_AFTER if pre.lower_gets_extra else PAD_SPLIT_BEFORE
    return part.rhs.xreplace({T: total})


@dataclass(frozen=True)
class ReceptiveField:
    """One node's receptive field on one axis w.r.t. the network input, over all paths.

    ``r`` is the receptive field size (the largest over paths, as Araujo et al. and
    google-research/receptive_field report), ``j`` the effective stride (jump), ``P``
    the effective padding: output unit ``u`` reads input positions ``u j - P`` to
    ``u j - P + r - 1``.  ``P`` is an int, or a formula in the axis's input size ``i``
    when a framework's padding mode makes it depend on the size (valid for the sizes
    the network accepts).  ``aligned``: every path has the same ``j`` and the same
    centre shift ``(r - 1)/2 - P`` (False: they differ, ``note`` says where; None:
    not checked because ``P`` depends on the input size).  ``r``, ``j`` and ``P`` are
    None when the node's units do not read windows at all as a layer does (adaptive
    pooling, resize to a size, flatten...; ``note`` says which node).  After upsampling
    or a transposed layer, units read windows of different sizes: ``r`` is the widest
    over one period of units and ``j`` may be a fraction (as
    :meth:`symconv.chain.Chain.receptive_field`); the rule above then holds for unit 0,
    and where other units of a period read other windows, ``windows`` lists what units
    ``0 .. T-1`` read (unit ``q T + t`` reads ``windows[t]`` moved by ``q T j``; None
    where the rule holds for every unit).  ``mixed``: paths of different strides merge
    here; ``r``, ``j`` and ``P`` are then the widest path's, and a unit's window, the
    hull over the paths, is no one rule (:meth:`window` gives None).

    >>> ReceptiveField(5, 2, 2).centre
    Fraction(0, 1)
    """

    r: int | None
    j: int | Fraction | None
    P: Any
    aligned: bool | None = True
    note: str = ""
    windows: tuple[tuple[int, int], ...] | None = None
    mixed: bool = False

    def __repr__(self) -> str:
        """The fields, ``windows`` where it is given (the rule does not hold) and ``mixed``
        where it is set."""
        shown = f"r={self.r!r}, j={self.j!r}, P={self.P!r}, aligned={self.aligned!r}, " \
                f"note={self.note!r}"
        if self.windows is not None:
            shown += f", windows={self.windows!r}"
        if self.mixed:
            shown += ", mixed=True"
        return f"ReceptiveField({shown})"

    def window(self, u: int) -> tuple[int, int] | None:
        """The input positions output unit ``u`` reads, first and last (None where the
        field is unknown, or where paths of different strides merge).

        >>> ReceptiveField(5, 2, 2).window(3)
        (4, 8)
        >>> ReceptiveField(6, 1, 3, windows=((-3, 2), (-1, 4))).window(11)
        (9, 14)
        """
        if self.r is None or self.j is None or isinstance(self.P, sympy.Basic) or self.mixed:
            return None
        if self.windows is None:
            lo = u * self.j - self.P
            return int(lo), int(lo + self.r - 1)
        q, t = divmod(u, len(self.windows))
        move = q * len(self.windows) * self.j
        return int(self.windows[t][0] + move), int(self.windows[t][1] + move)

    def _repr_latex_(self) -> str:
        """In Jupyter: ``r``, ``j`` and ``P`` (or what the node's units read instead)."""
        if self.r is None:
            return rf"$\text{{no receptive field: {text(self.note)}}}$" if self.note else \
                r"$\text{no receptive field}$"
        j = latex(sympy.Rational(self.j.numerator, self.j.denominator)) \
            if isinstance(self.j, Fraction) else str(self.j)
        return rf"$r = {self.r},\ j = {j},\ P = {latex(self.P)}$"

    @property
    def centre(self) -> Any:
        """The centre shift ``(r - 1)/2 - P``: where unit 0's window is centred."""
        if self.r is None:
            return None
        if isinstance(self.P, sympy.Basic):
            return sympy.Rational(self.r - 1, 2) - self.P
        return Fraction(self.r - 1, 2) - self.P
