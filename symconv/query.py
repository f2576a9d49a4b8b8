r"""The entry point of a query: :func:`solve` reads what is asked and calls down.

Several unknowns go to the design search (:mod:`symconv.design`), per-axis givens
are answered axis by axis, and one unknown goes to the numeric solver
(:mod:`symconv.solving`) or the symbolic one (:mod:`symconv._symbolic`).

>>> solve("conv", i=224, k=7, s=2, o=112)
Solution(p = 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import sympy

from ._evaluating import evaluated
from ._numeric import each_axis, over_axes_given, over_axes_note, same_on_every_axis, stated_note, try_solve
from ._symbolic import solve_one
from .design import DesignSpace, solve_for
from .errors import UsageError
from .relations import Relation
from .solution import AxisSolutions, Solution
from .solving import relation_and_givens
from .symbols import n
from .vocabulary import several, word_settings

__all__ = ["solve", "solve_one"]


def _solve_over_axes(r: Relation, unknown: str | None, gv: dict[sympy.Symbol, Any],
                     n_axes: int) -> Solution:
    """An n-d relation (``params``, ``macs``) with per-axis values: one answer, not one per axis.

    Each per-axis ``x`` enters the relation as ``x**n``; over axes that power is the
    product of the per-axis values (:meth:`Relation.evaluate_over_axes`), which is the
    relation read at ``n = 1`` with ``x`` the product.  The answer is solved there and
    reported with the per-axis values as given.
    """
    import dataclasses
    per_axis = {sym: v for sym, v in gv.items() if isinstance(v, tuple)}
    asked = next((sym for sym in gv if sym.name == unknown), None)
    if asked is not None:       # as given, not as read over the axes (k=2,8 is no k=16)
        shown = ",".join(map(str, gv[asked])) if asked in per_axis else gv[asked]
        raise UsageError(f"{asked} is both given and asked for: drop {asked}={shown} or "
                         f"--for {asked}")
    if unknown == "n":
        raise UsageError(f"n is the number of axes the per-axis lists give ({n_axes}): ask for "
                         "another variable, or give one value for every axis")
    if n in gv and gv[n] != n_axes:
        raise UsageError(f"n={gv[n]} but the per-axis lists have {n_axes} axes: "
                         "give one value per axis (or drop n)")
    # the variables that enter only as x^n: over the axes, their products
    powers = r.powered
    if powers is None:
        raise UsageError(f"{r.name!r} reads n other than as the exponent of per-axis "
                         "values, so they are not their product: give one value for every "
                         "axis and n")
    for sym, vals in per_axis.items():
        if sym.name not in powers:
            raise UsageError(f"{sym} enters {r.name!r} other than as {sym}^n: "
                             "give one value for every axis")
        if not all(isinstance(v, int) for v in vals):
            raise UsageError(f"per-axis {sym} in {r.name!r} must be integers")
    names = [sym.name for sym in per_axis]
    sol = solve(r, unknown, **over_axes_given({sym.name: v for sym, v in gv.items()}, names,
                                              powers, n_axes))
    assert isinstance(sol, Solution)
    given = {sym.name: v for sym, v in gv.items()}
    given.setdefault("n", n_axes)
    note = over_axes_note(names, n_axes)
    sol = dataclasses.replace(sol, given=given, note=(sol.note + "; " if sol.note else "") + note)
    return same_on_every_axis(sol, n_axes, names) if sol.unknown.name in powers else sol


@overload
def solve(rel: str | Relation, /, unknown: tuple[str, ...] | list[str], *,
          ceil_mode: bool = False, **given: Any) -> DesignSpace: ...


@overload
def solve(rel: str | Relation, /, unknown: str | None = None, *,
          ceil_mode: bool = False, **given: Any) -> Solution | AxisSolutions: ...


@evaluated
def solve(rel: str | Relation, /, unknown: str | Sequence[str] | None = None, *,
          ceil_mode: bool = False, **given: Any) -> Solution | AxisSolutions | DesignSpace:
    """The general path of :func:`symconv.solve` (its docstring states the API): what
    the numeric fast path hands on, a formula among the givens, per-axis lists with a
    count, several unknowns.

    >>> solve("conv", o="i", s=1, unknown="p")
    Solution(p = d*(k - 1)/2  if d*(k - 1) is divisible by 2)
    """
    if not isinstance(rel, (str, Relation)):
        raise UsageError(f"solve takes a relation's name (symconv list shows them) or a "
                         f"Relation, got {rel!r}")
    if isinstance(rel, str):        # what the spelling fixes (avgpool: d = 1)
        given = word_settings(rel, several(unknown) or ([unknown] if isinstance(unknown, str)
                                                        else []), given)
    fast = try_solve(rel, unknown, ceil_mode, given)    # integer givens: no sympy at all
    if fast is not None:
        return fast
    unknowns = several(unknown)
    if unknowns is not None:
        return solve_for(rel, unknowns, given, ceil_mode)
    assert unknown is None or isinstance(unknown, str)      # several() read the others
    r, gv = relation_and_givens(rel, given, ceil_mode)
    axes = each_axis(gv)
    if axes is not None:
        if n in r.rhs.free_symbols:
            return _solve_over_axes(r, unknown if isinstance(unknown, str) else None, gv,
                                    len(axes))
        sols = []
        for one in axes:
            sol = solve(r, unknown, **{sym.name: v for sym, v in one.items()})
            assert isinstance(sol, Solution)
            sols.append(sol)
        return AxisSolutions(sols)
    assert unknown is None or isinstance(unknown, str)
    return stated_note(r.name, solve_one(r, unknown, given))
