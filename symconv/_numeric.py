r"""The numeric fast path of :func:`symconv.solve`: no sympy, a few microseconds.

For integer givens and one unknown, :func:`try_solve` reads the relation's
generated straight-line solver from :mod:`symconv._numeric_tables` (printed
from the floor-elimination plan of :mod:`symconv._elimination` by
:mod:`symconv._numeric_gen`, never written by hand), computes the integer
intervals of the unknown, and verifies the answer by substitution into the
generated checked relation: every value when there are at most
:data:`~symconv.solution.FINITE_LIMIT`, otherwise each interval's ends, and
the integers just outside each end must fail.  It returns ``None`` whenever
the general path must answer: a formula among the givens, an unknown name,
a value outside its domain or a broken condition (the general path raises the
error that names the rule), an empty answer (it explains why), a relation or
unknown without a generated solver.  The answer is the same :class:`Solution`
as the general path's.

>>> try_solve("conv", None, False, {"i": 224, "k": 7, "s": 2, "o": 112})
Solution(p = 3)
>>> try_solve("conv", None, False, {"i": 224, "k": 7, "s": 2, "o": "i"}) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, cast

from . import _numeric_tables as _t
from ._gate import as_flag
from ._intervals import IntSet
from .errors import UndecidedError, UsageError
from .solution import FINITE_LIMIT, AxisSolutions, Solution, _name
from .vocabulary import VARIABLE_ALIASES, relation_key, several, word_settings

__all__ = ["try_solve", "solve", "intervals", "each_axis", "DEFAULT_VALUES"]

DEFAULT_VALUES = {"d": 1, "a": 0, "g": 1, "b": 1}
"""The defaults of :data:`symconv.solving.DEFAULTS`, by name (a test keeps them equal)."""

_DOMAIN = _t.DOMAIN_MIN
_ALIASES = VARIABLE_ALIASES
_SOLVERS = cast(Mapping[tuple[str, str], tuple[Callable[..., Any], tuple[str, ...]]], _t.SOLVERS)
_HOLDS = cast(Mapping[str, Callable[..., bool]], _t.HOLDS)
_VARIABLES = cast(Mapping[str, tuple[str, ...]], _t.VARIABLES)
_POWERS = cast(Mapping[str, tuple[str, ...]], _t.POWERS)
_ANSWERS = cast(Mapping[tuple[str, str], Callable[..., Any]], _t.ANSWERS)


def _relation_key(rel: str) -> str | None:
    """The relation's name as :func:`symconv.relations.relation` reads it, or None."""
    key = relation_key(rel)
    return key if key in _VARIABLES else None


def _verify(holds: Callable[..., bool], args: list[int], at: int, lo_x: int,
            parts: list[tuple[int | None, int | None]], finite: bool) -> bool:
    """Substitute the answer back into the relation (the checks of the general path).

    ``args`` holds every variable in the relation's order; ``at`` is the unknown's slot.
    """
    if finite:
        ends = cast(list[tuple[int, int]], parts)
        probes: list[int] = [v for a, b in ends for v in range(a, b + 1)]
    else:
        probes = [v for iv in parts for v in iv if v is not None]
    for v in probes:
        args[at] = v
        if not holds(*args):
            return False
    for n, (a, b) in enumerate(parts):
        below = a - 1 if a is not None else None
        above = b + 1 if b is not None else None
        if below is not None and below >= lo_x and (n == 0 or parts[n - 1][1] != below):
            args[at] = below
            if holds(*args):
                return False
        if above is not None and above >= lo_x and (n + 1 == len(parts)
                                                     or parts[n + 1][0] != above):
            args[at] = above
            if holds(*args):
                return False
    return True


_Route = tuple[str, str, Callable[..., Any], tuple[int, ...], Callable[..., bool],
               tuple[int, ...], int, int, dict[str, int], tuple[str, ...]]


def _route(rel: str, unknown: Any, ceil_mode: bool, given_names: tuple[str, ...]
           ) -> _Route | None:
    """What a question with these names needs, worked out once per names (cached)."""
    key = _relation_key(rel)
    if key is None:
        return None
    canon: list[str] = []
    for name in given_names:
        c = name if name in _DOMAIN else _ALIASES.get(name.strip(), name.strip())
        if c not in _DOMAIN or c in canon:
            return None
        canon.append(c)
    if ceil_mode and key == "pool":
        key = "pool_ceil"
    elif ceil_mode and key != "pool_ceil":
        return None                     # the general path refuses it
    if ("p_l" in canon or "p_r" in canon) and key in ("conv", "conv_transpose"):
        if "p" in canon:
            return None
        key += "_asym"
    names = _VARIABLES[key]
    if any(c not in names for c in canon):
        return None
    missing = [v for v in names if v not in canon]
    free = [v for v in missing if v not in DEFAULT_VALUES]
    if unknown is None:
        if len(free) != 1:
            return None
        x = free[0]
    else:
        if type(unknown) is not str:
            return None
        x = unknown if unknown in _DOMAIN else _ALIASES.get(unknown.strip(), unknown.strip())
        if x not in names or x in canon or any(v != x for v in free):
            return None
    entry = _SOLVERS.get((key, x))
    if entry is None or key not in _HOLDS:
        return None
    solver, args = entry
    defaults = {v: DEFAULT_VALUES[v] for v in missing if v != x}
    # every variable's slot: a given (by position), a default, or the unknown
    order = list(canon) + list(defaults)
    solver_slots = tuple(order.index(n) for n in args)
    holds_slots = tuple(order.index(n) if n != x else len(order) for n in names)
    return (key, x, solver, solver_slots, _HOLDS[key], holds_slots, names.index(x),
            _DOMAIN[x], defaults, tuple(canon))


def _finish(route: _Route, values: list[Any], parts: list[tuple[Any, Any]]) -> Solution | None:
    """The general tail: several intervals, a large or unbounded set."""
    key, x, _solver, _slots, holds, holds_slots, at, lo_x, defaults, canon = route
    if len(parts) > 1:
        parts = list(IntSet._normal(parts).intervals)
    lo, hi = parts[0][0], parts[-1][1]
    finite = lo is not None and hi is not None and \
        sum(b - a + 1 for a, b in parts) <= FINITE_LIMIT
    values.append(0)
    if not _verify(holds, [values[n] for n in holds_slots], at, lo_x, parts, finite):
        return None     # the general path verifies too, and reports an internal error
    kind = "finite" if finite else "range"
    # the unknown by name: Solution.unknown turns it into the symbol when read
    return Solution(key, x, kind, dict(zip(canon, values, strict=False)),
                    set=IntSet(tuple(parts)), verified="substitution", defaults=defaults.copy())


def _compile(route: _Route, names: tuple[str, ...]
             ) -> Callable[[dict[str, Any]], Solution | None] | None:
    """The route as one call of the generated ``answer`` function, set up once.

    ``answer_<relation>__<unknown>`` (generated beside the solver: the domain checks,
    the solver, and for one finite interval the substitution of every value and of the
    integers just outside it into the generated checked relation) takes the givens and
    defaults in the relation's order, read from the call's values by
    ``operator.itemgetter``; an answer that is not one finite interval goes through
    :func:`_finish`, which verifies it the same way.
    """
    key, x, _solver, solver_slots, _holds, _holds_slots, _at, _lo_x, defaults, canon = route
    answer = _ANSWERS.get((key, x))
    if answer is None:      # generated beside every solver: only an unknown pair lands here
        return None
    tail = tuple(defaults.values())
    same = names == canon           # the givens already by their canonical names
    pick = itemgetter(*solver_slots) if len(solver_slots) > 1 else None
    only = solver_slots[0] if len(solver_slots) == 1 else None
    new, put = object.__new__, object.__setattr__

    def run(given: dict[str, Any]) -> Solution | None:
        # ``given`` is the caller's own new dict (``**given`` of a call, or a copy): the
        # answer keeps it as its ``given`` when the names are already canonical
        values = (*given.values(), *tail)
        if pick is not None:
            found = answer(*pick(values))
        else:
            found = answer(values[only]) if only is not None else answer()
        if type(found) is tuple:
            interval = new(IntSet)
            interval.__dict__["intervals"] = (found,)
            sol = new(Solution)
            put(sol, "__dict__", {"relation": key, "_unknown": x, "kind": "finite",
                                  "given": given if same else dict(
                                      zip(canon, values, strict=False)),
                                  "set": interval, "verified": "substitution",
                                  "defaults": defaults.copy()})
            return sol
        if not found:               # None, [] or False: the general path answers
            return None
        return _finish(route, list(values), found)
    return run


_FAST: dict[tuple[Any, ...], Callable[[dict[str, Any]], Solution | None] | None] = {}
"""Compiled routes by (relation, unknown, ceil_mode, given names...)."""


def try_solve(rel: Any, unknown: Any, ceil_mode: bool, given: Mapping[str, Any]
              ) -> Solution | None:
    """The answer for integer givens and one unknown, or None (use the general path)."""
    if type(rel) is not str:
        return None
    try:
        run = _FAST[(rel, unknown, ceil_mode, *given)]
    except KeyError:
        if len(_FAST) > 4096:
            _FAST.clear()
        route = _route(rel, unknown, ceil_mode, tuple(given))
        run = _compile(route, tuple(given)) if route is not None else None
        stated = _t.STATED.get(_relation_key(rel) or "")
        if run is not None and stated:      # a special case: its answers say what it is for
            run = _noted_run(run, _relation_key(rel) or rel, stated)
        _FAST[(rel, unknown, ceil_mode, *given)] = run

    except TypeError:                   # an unhashable unknown: the general path says why
        return None
    return run(dict(given)) if run is not None else None


def stated_note(name: str, sol: Any) -> Any:
    """``sol`` with the note that its relation is a special case (``dv3 is stated for
    s = 1, p = floor(k/2), k is odd``): the answer holds there, and says so."""
    stated = _t.STATED.get(name)
    if not stated or not isinstance(sol, Solution):
        return sol
    said = f"{name} is stated for {stated}"
    out = object.__new__(Solution)      # as the fast path builds one: the unknown's name
    out.__dict__.update(sol.__dict__)   # stays a name (no sympy), the rest is shared
    out.__dict__["note"] = f"{sol.note}; {said}" if sol.note else said
    return out


def _noted_run(run: Callable[..., Any], name: str, stated: str) -> Callable[..., Any]:
    def noted(given: Any) -> Any:
        return stated_note(name, run(given))
    return noted


def each_axis(given: Mapping[Any, Any]) -> list[dict[Any, Any]] | None:
    """Per-axis givens as one mapping per axis (a scalar stands on every axis), or None
    when no value is per-axis; the lists must have one length.

    >>> each_axis({"i": (224, 160), "k": 7})
    [{'i': 224, 'k': 7}, {'i': 160, 'k': 7}]
    """
    lengths = {len(v) for v in given.values() if isinstance(v, (tuple, list))}
    if not lengths:
        return None
    if 0 in lengths:
        empty = next(name for name, v in given.items() if isinstance(v, (tuple, list)) and not v)
        raise UsageError(f"{empty}=() is an empty per-axis list: give one value per axis "
                         "(or one value for all)")
    if len(lengths) > 1:
        raise UsageError(f"per-axis lists of different lengths: {sorted(lengths)}")
    (n_axes,) = lengths
    return [{name: (v[j] if isinstance(v, (tuple, list)) else v) for name, v in given.items()}
            for j in range(n_axes)]


def _each_axis_fast(rel: str, unknown: Any, ceil_mode: bool, given: Mapping[str, Any]
                    ) -> AxisSolutions | Solution | None:
    """Per-axis integer givens, every axis on the fast path (None: the general path).

    A relation with the number of axes ``n`` (``params``, ``macs``) reads per-axis
    values as one answer over the axes: the general path's.
    """
    key = _relation_key(rel)
    if key is None:
        return None
    if "n" in _VARIABLES[key]:
        return _over_axes_fast(key, rel, unknown, ceil_mode, given)
    try:
        axes = each_axis(given)
    except UsageError:
        return None                     # the general path says why
    if axes is None:
        return None
    sols = []
    for one in axes:
        sol = try_solve(rel, unknown, ceil_mode, one)
        if sol is None:
            return None
        sols.append(sol)
    return AxisSolutions(sols)


def over_axes_note(per_axis: Sequence[str], n_axes: int) -> str:
    """What an answer over the axes says it did with per-axis values."""
    return (f"per-axis {', '.join(sorted(per_axis))}: the n-th powers are products over the "
            f"{n_axes} axes")


def over_axes_given(given: Mapping[str, Any], per_axis: Sequence[str], powers: Sequence[str],
                    n_axes: int) -> dict[str, Any]:
    """The givens of an n-d relation (``params``, ``macs``) read at ``n = 1``.

    Each of ``powers`` enters the relation only as ``x**n``, over the axes the product
    ``x_1 x_2 ... x_n``: a per-axis ``x`` is the product of its values, and one value
    for every axis is its ``n``-th power (``k=3`` on 2 axes is ``3 * 3``; it was read
    as 3, and ``macs`` came out a third of PyTorch's).  ``given`` is keyed by canonical
    names.

    >>> over_axes_given({"k": 3, "o": (10, 20), "F_i": 4}, ["o"], ["o", "k"], 2)
    {'k': 9, 'o': 200, 'F_i': 4, 'n': 1}
    """
    one = {name: math.prod(v) if name in per_axis else v ** n_axes if name in powers else v
           for name, v in given.items()}
    one["n"] = 1
    return one


SAME_ON_EVERY_AXIS = "taken the same on every axis"
"""What an answer over the axes says of an unknown that enters only as ``x**n``."""


def _root(v: int, n: int, up: bool) -> int:
    """The integer ``n``-th root of ``v >= 0``, rounded down (or up).

    >>> _root(200, 2, False), _root(200, 2, True), _root(10**40, 4, False)
    (14, 15, 10000000000)
    """
    lo, hi = 0, 1 << (v.bit_length() // n + 1)
    while lo < hi:                              # the largest r with r**n <= v
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if mid ** n <= v else (lo, mid - 1)
    return lo + (1 if up and lo ** n < v else 0)


def same_on_every_axis(sol: Solution, n_axes: int, per_axis: Sequence[str]) -> Solution:
    """An unknown that enters only as ``x**n``, asked beside per-axis values: ``sol``
    answers for its product over the axes (the relation at ``n = 1``); the answer is the
    ``x`` that is the same on every axis, ``x**n`` in that set, and says so (it answered
    the product: ``k = 9`` for a 3 x 3 kernel).

    >>> import symconv as sc
    >>> sc.solve("macs", F_i=4, F_o=8, o=(10, 20), M=28800, g=2, unknown="k")
    Solution(k = 3)
    """
    x = _name(sol)
    if sol.kind == "empty":
        return sol          # no product over the axes: no value on every axis (its reason)
    if sol.kind == "symbolic" or sol.set is None:
        raise UndecidedError(f"{x} enters only as {x}^n, and its product over the axes is "
                             "a formula here: give numbers, or solve for another variable")
    product = f"the product of {x} over the {n_axes} axes"
    ivs = sol.set.intervals
    words = ("is " if len(ivs) == 1 and ivs[0][0] == ivs[0][1] else "is in ") + " or ".join(
        f"{lo}" if lo == hi and lo is not None else f"{lo}..{hi}"
        if lo is not None and hi is not None else f">= {lo}" if lo is not None
        else f"<= {hi}" if hi is not None else "any integer" for lo, hi in ivs)
    note = (f"{x} {SAME_ON_EVERY_AXIS}, as {', '.join(sorted(per_axis))} "
            f"{'is' if len(per_axis) == 1 else 'are'} given per axis: {product} {words}")
    least = _DOMAIN.get(x, 0)
    parts: list[tuple[int | None, int | None]] = []
    for lo, hi in ivs:
        a = least if lo is None or lo <= least ** n_axes else _root(lo, n_axes, True)
        b = None if hi is None else _root(hi, n_axes, False) if hi >= 0 else least - 1
        if b is None or a <= b:
            parts.append((a, b))
    values = {**sol.given}
    if not parts:
        return Solution(sol.relation, x, "empty", values, set=IntSet(()), verified=sol.verified,
                        defaults=dict(sol.defaults), note=note,
                        reason=f"{product} {words}, which no integer {x} the same on "
                               f"every axis gives (per-axis values may)")
    parts = list(IntSet._normal(parts).intervals)      # roots of two parts may touch
    # put back: each end's n-th power is in the product's set, the integer beyond it not
    for first, last in parts:      # a lower end is always there (x's domain)
        assert first is not None
        for v, beyond in [(first, first - 1)] + ([(last, last + 1)] if last is not None else []):
            if v ** n_axes not in sol.set or beyond >= least and beyond ** n_axes in sol.set:
                raise AssertionError(f"{x} = {v}: its power {v ** n_axes} checked against "
                                     f"{sol.set} failed")
    count = sum(b - a + 1 for a, b in parts if a is not None and b is not None)
    kind = "finite" if parts[-1][1] is not None and count <= FINITE_LIMIT else "range"
    return Solution(sol.relation, x, kind, values, set=IntSet(tuple(parts)),
                    verified=sol.verified, defaults=dict(sol.defaults), note=note)


def _over_axes_fast(key: str, rel: str, unknown: Any, ceil_mode: bool,
                    given: Mapping[str, Any]) -> Solution | None:
    """``params``/``macs`` with per-axis values on the fast path: the relation read at
    ``n = 1`` (:func:`over_axes_given`) is the answer over the axes (as the general
    path's ``_solve_over_axes``); None when that does not apply (the general path says
    why)."""
    powers = _POWERS.get(key, ())
    canon = {name: name if name in _DOMAIN else _ALIASES.get(name.strip(), name.strip())
             for name in given}
    lists = [name for name, v in given.items() if isinstance(v, (tuple, list))]
    lengths = {len(given[name]) for name in lists}
    if len(lengths) != 1 or any(canon[name] not in powers for name in lists) or \
            not all(type(x) is int for name in lists for x in given[name]) or \
            any(canon[name] in powers and type(v) is not int
                for name, v in given.items() if name not in lists):
        return None
    (n_axes,) = lengths
    if any(c == "n" and given[name] != n_axes for name, c in canon.items()):
        return None
    per_axis = [canon[name] for name in lists]
    sol = try_solve(rel, unknown, ceil_mode, over_axes_given(
        {canon[name]: v for name, v in given.items()}, per_axis, powers, n_axes))
    if sol is None:
        return None
    shown = {canon[name]: tuple(v) if name in lists else v for name, v in given.items()}
    shown.setdefault("n", n_axes)
    note = over_axes_note(per_axis, n_axes)
    out = object.__new__(Solution)
    object.__setattr__(out, "__dict__", {**sol.__dict__, "given": shown, "note": (
        sol.note + "; " if sol.note else "") + note})
    return same_on_every_axis(out, n_axes, per_axis) if _name(out) in powers else out


def solve(rel: Any, /, unknown: Any = None, *, ceil_mode: bool = False, **given: Any) -> Any:
    """Solve relation ``rel`` exactly for ``unknown``, given the other variables: the
    whole integer solution set, each value put back into the relation.

    ``rel`` is a relation's name (``symconv list``; ``conv`` is PyTorch's
    ``o = floor((i + 2p - d(k - 1) - 1)/s) + 1``, from ``torch.nn.Conv2d``'s docs and
    Dumoulin & Visin, *A guide to convolution arithmetic*, 2016) or a
    :class:`~symconv.relations.Relation`. ``given`` maps names (canonical ``i o k s p d
    a`` or PyTorch's: ``kernel_size=7``) to integers, per-axis lists (``i=(224, 160)``:
    one answer per axis) or formulas in the canonical symbols (``o="i"`` or
    ``o=symconv.i``). Without ``unknown``, the unknown is the one variable neither given
    nor defaulted (only ``d=1, a=0, g=1, b=1`` default, as PyTorch's constructors; the
    answer's ``defaults`` names them). ``ceil_mode=True`` is pooling in ceil mode.

    Numeric givens give a :class:`~symconv.solution.Solution` of kind ``finite``,
    ``range`` or ``empty`` (with its ``reason``); a formula among the givens, or a
    variable left free, gives a ``symbolic`` one, a formula with its conditions.
    Several unknowns (``unknown=("k", "s", "p")``, bounded by ``bounds={"k": 7}``) give
    a :class:`~symconv.design.DesignSpace` of every combination. Integer questions are
    answered without importing sympy.

    >>> solve("conv", i=224, k=7, s=2, o=112)
    Solution(p = 3)
    >>> solve("conv", o="i", s=1, unknown="p")
    Solution(p = d*(k - 1)/2  if d*(k - 1) is divisible by 2)
    >>> solve("conv", ("k", "p"), i=32, o=32, s=1, bounds={"k": 3}).families()
    ['k=1: p = 0', 'k=3: p = 1']
    """
    if ceil_mode is not False and ceil_mode is not True:
        ceil_mode = as_flag("ceil_mode", ceil_mode)     # "False" would read as True
    if type(rel) is str and rel not in _VARIABLES:
        # another spelling: what it fixes (avgpool: d = 1), then the relation's own name
        asked = several(unknown) or ([unknown.strip()] if isinstance(unknown, str) else [])
        given = word_settings(rel, asked, given)
        rel = relation_key(rel) if relation_key(rel) in _VARIABLES else rel
    if type(rel) is str:                # try_solve, inlined: this is the hot path
        try:
            run = _FAST[(rel, unknown, ceil_mode, *given)]
        except KeyError:
            run = None
            sol = try_solve(rel, unknown, ceil_mode, given)
            if sol is not None:
                return sol
        except TypeError:
            run = None
        if run is not None:
            sol = run(given)
            if sol is not None:
                return sol
        if any(type(v) in (tuple, list) for v in given.values()):
            axes = _each_axis_fast(rel, unknown, ceil_mode, given)
            if axes is not None:
                return axes
    if unknown is not None and type(unknown) is not str and not (
            isinstance(unknown, (tuple, list)) and all(isinstance(u, str) for u in unknown)):
        raise UsageError(f"unknown= is a variable's name, or a tuple of names for a design "
                         f"space (unknown=('k', 's')), got {unknown!r}")
    if type(unknown) is not str or "," in unknown:
        from .design import solve_for  # a design space: its own search
        unknowns = several(unknown)
        if unknowns is not None:
            return solve_for(rel, unknowns, given, ceil_mode)
    from .query import solve as general
    return general(rel, unknown, ceil_mode=ceil_mode, **given)


def has_solver(rel: str) -> bool:
    """Whether the relation ``rel`` is solved here (the evaluation-only rules are not).

    >>> has_solver("pool_ceil"), has_solver("pool_onnx")
    (True, False)
    """
    return rel in _VARIABLES


def defaults_to(rel: str) -> tuple[tuple[str, str], ...]:
    """The pairs ``(variable, source)`` of ``rel``'s ``defaults_to`` (generated from the
    relation): the variable takes the source's value when it is not given.

    >>> defaults_to("pool"), defaults_to("conv")
    ((('s', 'k'),), ())
    """
    return tuple(_t.DEFAULTS_TO.get(rel, ()))


def intervals(rel: str, unknown: str, given: Mapping[str, Any]
              ) -> tuple[tuple[int | None, int | None], ...] | None:
    """The integer intervals of ``unknown`` (verified as :func:`try_solve` verifies), ``()``
    when the generated solver finds none, or None when the general path must answer
    (a refusal to explain, an unknown without a generated solver).

    >>> intervals("conv", "s", {"i": 224, "o": 7, "k": 3, "p": 1})
    ((32, 37),)
    >>> intervals("conv", "s", {"i": 224, "o": 300, "k": 3, "p": 1})
    ()
    """
    sol = try_solve(rel, unknown, False, given)
    if sol is not None:
        assert sol.set is not None
        return sol.set.intervals
    route = _route(rel, unknown, False, tuple(given))
    if route is None:
        return None
    _key, _x, solver, solver_slots, *_, defaults, canon = route
    values = (*given.values(), *defaults.values())
    for name, v in zip((*canon, *defaults), values, strict=True):
        if type(v) is not int or v < _DOMAIN[name]:
            return None
    return () if solver(*(values[n] for n in solver_slots)) == [] else None
