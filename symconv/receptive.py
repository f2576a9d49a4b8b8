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

from typing import Any

import sympy

__all__ = ["KHAT", "S", "PAD", "L", "jump", "receptive_field", "padding", "closed_forms"]

L = sympy.Symbol("L", integer=True, positive=True)
_l, _m = sympy.symbols("l m", integer=True, positive=True)
KHAT, S, PAD = sympy.IndexedBase("khat"), sympy.IndexedBase("s"), sympy.IndexedBase("p")


def jump(n: Any) -> sympy.Expr:
    """Effective stride after ``n`` layers: the product of their strides."""
    return sympy.Product(S[_m], (_m, 1, n))


def receptive_field(n: Any) -> sympy.Expr:
    """Receptive field size after ``n`` layers."""
    return sympy.Sum((KHAT[_l] - 1) * jump(_l - 1), (_l, 1, n)) + 1


def padding(n: Any) -> sympy.Expr:
    """Effective (left) padding after ``n`` layers."""
    return sympy.Sum(PAD[_l] * jump(_l - 1), (_l, 1, n))


def closed_forms(n: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    """``(r_0, S, P)`` of an ``n``-layer chain, summed out."""
    return (sympy.expand(receptive_field(n).doit()), jump(n).doit(), sympy.expand(padding(n).doit()))
