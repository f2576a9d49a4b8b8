"""Several unknowns at once: the design space of a layer or of a chain.

``solve(rel, unknown=("k", "s", "p"), bounds={"k": 7}, i=224, o=56)`` returns a
:class:`DesignSpace`: every integer combination of the unknowns that satisfies the
relation and the bounds.  The search is never a blind product: all unknowns but the
last are enumerated within their bounds, and for each combination the *last* unknown
is solved exactly by the single-unknown solver, so its whole set (finite, a range, or
unbounded) comes out at once — a family stated once, not listed.  For a chain the
search splits at each intermediate size: layer options are grouped by the size they
produce, and the last layer's last unknown is solved exactly per intermediate size.

With numpy (extra ``symconv[batch]``) both run on arrays: the enumerated rows at once,
the last unknown's interval per row from the linear clauses of its elimination plan,
checked by substitution at both ends and one past each (:func:`_vector_solver`); the
answers are the Python loops' (kept for when numpy is absent), option for option.

Ranking rules (each switchable): ``odd`` (odd kernels), ``symmetric`` (symmetric
padding exists), ``no_waste`` (the last window ends at the input edge:
``(i + 2p - k^) mod s = 0``), ``small`` (smaller kernels and strides first).
Framework feasibility marks what PyTorch, Keras and ONNX express directly.

>>> space = solve_many("conv", ("k", "s", "p"), {"k": (1, 7), "p": (0, 3)}, i=224, o=56)
>>> space.count
12
>>> space.combos(limit=3, prefer=("odd", "no_waste"))
[{'k': 1, 's': 4, 'p': 0}, {'k': 3, 's': 4, 'p': 0}, {'k': 3, 's': 4, 'p': 1}]
"""

from __future__ import annotations

import contextlib
import functools
import gc
import heapq
import itertools
import math
import operator
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from . import _numeric_tables as _t
from ._budget import SEARCH_SECONDS, Budget, BudgetExhausted
from ._evaluating import evaluating
from ._forward import batch
from ._gate import as_axes, as_flag, as_int, plain
from ._intervals import IntSet
from ._json import jsonable, number
from ._numeric import DEFAULT_VALUES, defaults_to
from ._values import parse_formula, read_int
from .errors import DomainError, UndecidedError, UnknownNameError, UsageError
from .presets import FRAMEWORK_RULES
from .solution import Solution, _ReadOnly, default_note, describe
from .solution import _name as _unknown_of
from .vocabulary import VARIABLE_ALIASES, relation_key, several, split_layers, word_settings

if TYPE_CHECKING:
    import sympy

FEASIBILITY_FRAMEWORKS = ("torch", "keras", "onnx")
"""The frameworks a design table checks, in its column order."""

__all__ = ["DesignSpace", "Option", "solve_many", "chain_design", "parse_chain_spec", "RULES",
           "several", "solve_for",
           "DEFAULT_BOUNDS", "feasibility"]

DEFAULT_BOUNDS: dict[str, tuple[int, int]] = {
    "k": (1, 11), "s": (1, 8), "d": (1, 4), "p": (0, 8), "a": (0, 7), "p_l": (0, 8),
    "p_r": (0, 8), "g": (1, 8), "n": (1, 3),
}
"""Bounds of unknowns the user does not bound (documented in the README)."""

RULES = ("odd", "symmetric", "no_waste", "small")

_LAYER_DEFAULTS = {"d": 1, "a": 0}
"""A chain layer's settings when not given (PyTorch's dilation and output_padding)."""


def get_relation(name: Any) -> Any:
    """:func:`symconv.relations.relation` (sympy), for what the generated tables do not
    hold: formulas, families, explanations and error messages."""
    from .relations import relation
    return relation(name)


def _name(name: str) -> str:
    """A variable's canonical name (``kernel_size`` -> ``k``) without sympy; a name the
    tables do not know goes through :func:`symconv.symbols.canonical`, which says why."""
    if isinstance(name, str):
        key = name if name in _t.DOMAIN_MIN else VARIABLE_ALIASES.get(name.strip(), name.strip())
        if key in _t.DOMAIN_MIN:
            return str(key)
    from .symbols import canonical
    return canonical(name).name


def _least(name: str) -> int:
    """The smallest value of the variable ``name`` (1 if positive, else 0)."""
    least: int = _t.DOMAIN_MIN[name]
    return least


def _variables(rel: str) -> tuple[str, ...]:
    """The names of ``rel``'s variables (from the generated tables when they hold it)."""
    key = _key(rel)
    if key is not None:
        return tuple(_t.VARIABLES[key])
    return tuple(v.name for v in get_relation(rel).ordered_variables)


def _key(rel: str) -> str | None:
    """The relation's name when the generated tables hold it, else None."""
    key = relation_key(rel) if isinstance(rel, str) else None
    return key if key in _t.VARIABLES else None


@dataclass(frozen=True)
class Option:
    """One row: values of the enumerated unknowns and the exact set of the last one.

    >>> solve_many("pool", ("k", "s"), {"k": (1, 11)}, i=20, o=10, p=0).options[0]
    Option(fixed={'k': 1}, last='s', solution=Solution(s = 2))
    """

    fixed: Mapping[str, int]
    last: str
    solution: Any        # a Solution for the last unknown (finite, range, ...)

    @classmethod
    def _of(cls, fixed: Mapping[str, int], last: str, solution: Any) -> Option:
        """``Option(fixed, last, solution)`` without the dataclass ``__init__`` (a design
        space may hold millions)."""
        opt = object.__new__(cls)
        state = opt.__dict__
        state["fixed"] = fixed
        state["last"] = last
        state["solution"] = solution
        return opt

    def values(self, cap: int = 1000) -> Iterator[dict[str, int]]:
        sol = self.solution
        if sol.set is None:
            return
        if sol.set.bounded:
            for v in sol.set:
                yield {**self.fixed, self.last: v}
        else:
            lo = sol.set.min
            for v in range(lo, lo + cap):
                if v in sol.set:
                    yield {**self.fixed, self.last: v}

    def text(self) -> str:
        fixed = ", ".join(f"{k_}={v}" for k_, v in self.fixed.items())
        sol = self.solution
        if sol.set is not None and _unknown_of(sol) != self.last:
            sol = replace(sol, unknown=self.last)   # a chain's k2, not the layer's k
        return f"{fixed}: {sol}" if fixed else str(sol)


MAX_PARTIAL = 100_000
"""Most partial designs (prefixes of a chain) kept in memory while a chain design grows."""

MAX_LISTED = 1_000_000
"""Most combinations :meth:`DesignSpace.combos` lists and ranks at once (a bounded family
may hold 10^48: ``i = 10**50, o = 5`` gives ``s`` intervals that long)."""

MAX_COMBINATIONS = 2_000_000
"""Largest product of enumerated ranges a search walks (the last unknown is solved, not walked)."""


def _check_size(bnd: Mapping[str, tuple[int, int]], what: str) -> None:
    total = 1
    for lo, hi in bnd.values():
        total *= hi - lo + 1
    if total > MAX_COMBINATIONS:
        raise UsageError(f"{what}: {total} combinations to enumerate, at most {MAX_COMBINATIONS}; "
                         "tighten --bounds")


def _check_bounds(bounds: Mapping[str, Any] | None, unknowns: Sequence[str],
                  written: Mapping[Any, Any] | None = None) -> None:
    """Every bound names one of the unknowns and is an integer or a pair of integers
    (``written``: each name as the user wrote it, for the message)."""
    if bounds is None:
        return
    if not isinstance(bounds, Mapping):
        raise UsageError(f"bounds are a mapping like {{'k': 7, 's': (1, 4)}}, got {bounds!r}")
    for name, spec in bounds.items():
        shown = (written or {}).get(name, name)
        if name not in unknowns:
            raise UnknownNameError(f"bounds for {shown!r}, which is not an unknown here; the "
                                   f"unknowns are {', '.join(dict.fromkeys(unknowns))}")
        if isinstance(spec, (tuple, list)):
            as_axes(f"bounds for {shown} (LO, HI)", spec, 2)
        else:
            as_int(f"bounds for {shown}", spec)


def _walk(budget: Budget, n: int = 1) -> None:
    try:
        budget.tick(n)
    except BudgetExhausted as exc:
        raise UndecidedError(f"design space search {exc.reason}: tighten --bounds, fix some "
                             "values or raise --timeout") from None


def _canonical_bounds(bounds: Any) -> tuple[Any, dict[Any, Any]]:
    """Bounds keyed by canonical names: PyTorch's names too (``kernel_size<=7``), and a
    chain layer's (``kernel_size1`` is ``k1``); one unknown bounded under two names is
    refused (which one would hold?).  With them, each canonical name's name as written,
    for messages."""
    if not isinstance(bounds, Mapping):
        return bounds, {}       # refused by _check_bounds, with what it takes
    out: dict[Any, Any] = {}
    written: dict[Any, Any] = {}
    for key, v in bounds.items():
        name = key
        if isinstance(key, str):
            layer = re.fullmatch(r"(.*?[A-Za-z_'])(\d+)", key)
            if key in VARIABLE_ALIASES:
                name = VARIABLE_ALIASES[key]
            elif layer and layer[1] in VARIABLE_ALIASES:
                name = VARIABLE_ALIASES[layer[1]] + layer[2]
        if name in out:
            raise UsageError(f"two bounds for {name}: {written[name]} and {key}; give one")
        out[name], written[name] = v, key
    return out, written


def _bounds(names: Sequence[str], bounds: Mapping[str, Any] | None,
            shown: Mapping[str, str] | None = None) -> dict[str, tuple[int, int]]:
    """Each unknown's (LO, HI): its bound, or its default; ``shown`` names an unknown as
    the user wrote its bound (a chain layer's ``k1``, not ``k``)."""
    out = {}
    for n in names:
        name = (shown or {}).get(n, n)
        spec = (bounds or {}).get(n)
        if spec is None:
            if n not in DEFAULT_BOUNDS:
                raise UsageError(f"give bounds for {name} (e.g. --bounds {name}<=100)")
            out[n] = DEFAULT_BOUNDS[n]
        elif not isinstance(spec, (tuple, list)):
            out[n] = (_least(n), as_int(f"bounds for {name}", spec))
        else:
            lo, hi = as_axes(f"bounds for {name} (LO, HI)", spec, 2)
            out[n] = (max(lo, _least(n)), hi)
        if out[n][0] > out[n][1]:
            raise DomainError(f"empty bounds for {name}: {out[n][0]}..{out[n][1]}")
        if out[n][1] - out[n][0] > 100_000:
            raise UsageError(f"bounds for {name} span more than 100000 values")
    return out


@dataclass(frozen=True)
class _Deferred:
    """Options the numpy pass found and verified by substitution, built into objects on
    first use (a count or a size needs none of them)."""

    size: int                   # how many options
    count: int | None           # how many combinations (None: some set is unbounded)
    build: Callable[[], tuple[Option, ...]]


def _count(options: Sequence[Option]) -> int | None:
    """How many combinations the options hold, or None when some set is unbounded."""
    total = 0
    for opt in options:
        found = opt.solution.set
        if found is None:
            return None
        for lo, hi in found.intervals:      # IntSet.size, without its checks
            if lo is None or hi is None:
                return None
            total += hi - lo + 1
    return total


@evaluating
@dataclass(frozen=True, eq=False)
class DesignSpace:
    """All solutions of several unknowns: rows of :class:`Option`, ranked on demand.

    ``listing`` holds the options, or (numpy path) what builds them on first use of
    :attr:`options`: every one was verified before the search returned.

    >>> space = solve_many("conv", ("k", "p"), {"k": (1, 7)}, i=32, o=16, s=2)
    >>> space.count, space.combos(limit=3)
    (7, [{'k': 1, 'p': 0}, {'k': 2, 'p': 0}, {'k': 3, 'p': 1}])
    """

    relation: str
    unknowns: tuple[str, ...]
    if TYPE_CHECKING:
        given: Mapping[str, Any]
        bounds: Mapping[str, tuple[int, int]]
    else:                   # read-only when read: an answer is immutable
        given: _ReadOnly = _ReadOnly()
        bounds: _ReadOnly = _ReadOnly()
    listing: tuple[Option, ...] | _Deferred = field(repr=False)
    checked: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __reduce__(self) -> Any:
        # pickled with its options built (the builder is a closure over the search's arrays)
        return (DesignSpace, (self.relation, self.unknowns, dict(self.given), dict(self.bounds),
                              self.options, self.checked, self.extra))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DesignSpace):
            return NotImplemented
        return (self.relation, self.unknowns, self.given, self.bounds, self.checked,
                self.extra, self.options) == (other.relation, other.unknowns, other.given,
                                              other.bounds, other.checked, other.extra,
                                              other.options)

    __hash__ = None     # type: ignore[assignment]     # mutable mappings inside

    @functools.cached_property
    def options(self) -> tuple[Option, ...]:
        """Every row, in enumeration order."""
        listing = self.listing
        if isinstance(listing, tuple):
            return listing
        with _bulk():
            return listing.build()

    @functools.cached_property
    def count(self) -> int | None:
        """How many combinations, or None when some family is unbounded."""
        listing = self.listing
        return listing.count if isinstance(listing, _Deferred) else _count(listing)

    def combos(self, limit: int | None = None, prefer: Sequence[str] = (),
               params: Mapping[str, int] | None = None) -> list[dict[str, int]]:
        """Every combination (an unbounded family contributes up to 1000), best first.

        For a parametric family, ``params`` gives the symbols it is stated in (``i=32``).
        """
        if limit is not None and as_int("limit", limit) < 0:
            raise UsageError(f"limit takes a whole number >= 0, got {limit}")
        _check_params(params)
        # past sys.maxsize no list is longer: the same as no limit (islice refuses it)
        limit = None if limit is None else min(as_int("limit", limit), sys.maxsize)
        if params and not any(isinstance(opt, Family) for opt in self.options):
            # a numeric space's combinations are for its givens: params were ignored
            named = ", ".join(f"{k_}={v}" for k_, v in params.items())
            raise UsageError(f"params {named}: this design space is numeric (its "
                             "combinations are for the values it was solved with), so "
                             "there is nothing to state at them; solve again with those "
                             "values")
        if isinstance(prefer, str):
            prefer = (prefer,)      # one preference, not its letters
        if not isinstance(prefer, (tuple, list)) or not all(isinstance(r, str) for r in prefer):
            raise UsageError(f"prefer is a preference's name or a list of them (odd, "
                             f"symmetric, no_waste, ...), got {prefer!r}")
        key = functools.partial(rank_key, given=self.given, prefer=prefer)
        if limit is not None and not prefer:
            # ranked by the values alone, each row's last unknown ascending: a row's first
            # `limit` values are all it can give to the first `limit` (a family of 10^48
            # members, an interval, gives them at once)
            return heapq.nsmallest(limit, (c for opt in self.options for c in (
                opt.values(params=params) if isinstance(opt, Family)
                else itertools.islice(opt.values(), limit))), key=key)
        listed = sum(opt.solution.set.size() if opt.solution.set.bounded else 1000
                     for opt in self.options if isinstance(opt, Option)
                     and opt.solution.set is not None)
        if listed > MAX_LISTED:
            raise UsageError(f"{listed} combinations to rank, at most {MAX_LISTED} at once: "
                             "give limit= without prefer= for the first ones, or tighten "
                             "the bounds")
        rows = [c for opt in self.options for c in (
            opt.values(params=params) if isinstance(opt, Family) else opt.values())]
        rows.sort(key=key)
        return rows[:limit] if limit is not None else rows

    def families(self) -> list[str]:
        """Rows as stated: the enumerated values and the exact set of the last unknown,
        one row per combination of the enumerated values (a chain's rows of one
        combination through different intermediate sizes are united: ``k1=1, s1=2: p1 in
        {0, 1}``, not a row for each)."""
        rows: dict[Any, Any] = {}
        for opt in self.options:
            if not isinstance(opt, Option) or opt.solution.set is None:
                rows[id(opt)] = opt
                continue
            key = (tuple(opt.fixed.items()), opt.last)
            prev = rows.get(key)
            if prev is None:
                rows[key] = opt
                continue
            union = prev.solution.set | opt.solution.set
            rows[key] = Option._of(opt.fixed, opt.last, replace(
                prev.solution, set=union,
                kind="finite" if union.bounded and union.size() <= 1000 else "range"))
        return [opt.text() for opt in rows.values()]

    def text(self, limit: int | None = 20, prefer: Sequence[str] = ()) -> str:
        assumed = [f"  assumed: {', '.join(f'{n} = {v}' for n, v in self.defaults.items())} "
                   "(PyTorch's defaults; give them to change)"] if self.defaults else []
        if any(isinstance(opt, Family) for opt in self.options):
            # a case a family leaves out (i = 1, where the relation does not fix s) is
            # said as a single answer says it
            notes = dict.fromkeys(opt.solution.note for opt in self.options
                                  if getattr(opt.solution, "note", ""))
            return "\n".join([*self.families(), *assumed, *(f"  note: {n}" for n in notes)])
        rows = self.combos(limit, prefer)
        names = list(self.unknowns)
        head = "  ".join(f"{n:>4}" for n in names) + "   " + " ".join(FEASIBILITY_FRAMEWORKS)
        lines = [head]
        for c in rows:
            feas = self.frameworks(c)
            lines.append("  ".join(f"{c[n]:>4}" for n in names) + "   " +
                         "  ".join(f"{'yes' if feas[f] else 'no':>5}" for f in FEASIBILITY_FRAMEWORKS))
        total = self.count
        searched = ", ".join(f"{n} in {lo}..{hi}" for n, (lo, hi) in self.bounds.items())
        lines.append(f"{len(rows)} shown of {total if total is not None else 'infinitely many'}"
                     f" ({self.checked} combinations of the enumerated unknowns searched"
                     + (f"; within {searched}" if searched else "") + ")")
        if self.reason:
            lines.append(f"  why: {self.reason}")
        lines += assumed
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)

    @property
    def defaults(self) -> dict[str, int]:
        """Settings neither given nor asked for that took PyTorch's default (``d = 1``,
        ``a = 0``), under the layer's name in a chain (``d1``); none for a family, which
        holds for every value of what it does not name."""
        layers = self.extra.get("layers")
        if layers:
            return {f"{k_}{n}": v for n, spec in enumerate(layers, start=1)
                    for k_, v in _LAYER_DEFAULTS.items()
                    if k_ not in spec and k_ in _variables(spec.get("kind", "conv"))}
        if any(isinstance(v, str) or getattr(v, "free_symbols", None) for v in self.given.values()):
            return {}
        taken = self.extra.get("taken", {})
        return {**{k_: self.given[k_] for k_ in taken},
                **{k_: v for k_, v in DEFAULT_VALUES.items() if k_ in _variables(self.relation)
                   and k_ not in self.given and k_ not in self.unknowns}}

    @functools.cached_property
    def reason(self) -> str | None:
        """Why the space is empty, or None when it is not.

        A bounded last unknown whose every solution lies outside its bound is searched
        again without that bound, and the nearest value named; otherwise no combination
        within the searched bounds has a value of the last unknown at all.

        >>> solve_many("conv", ("k", "p"), {"k": (1, 3), "p": (0, 2)}, i=8, o=14, s=1).reason
        "no p in 0..2 for any k in 1..3: the nearest is p = 3 (k=1); widen p's bound"
        """
        listing = self.listing
        if listing.size if isinstance(listing, _Deferred) else len(listing):
            return None
        if self.extra.get("layers"):
            return (f"no combination of {', '.join(self.unknowns)} within the bounds searched "
                    f"takes {self.given['i']} to {self.given['o']}; widen the bounds, or "
                    "change i or o")
        last = self.unknowns[-1]
        within = ", ".join(f"{n} in {lo}..{hi}" for n, (lo, hi) in self.bounds.items()
                           if n != last)
        where = f" for any {within}" if within else ""
        what = ", ".join(f"{n}={v}" for n, v in self.given.items())
        if last not in self.bounds:
            return f"no value of {last} solves {self.relation} at {what}{where}"
        lo, hi = self.bounds[last]
        try:
            wider = solve_many(self.relation, self.unknowns,
                               {n: b for n, b in self.bounds.items() if n != last},
                               **self.given)
        except UndecidedError:
            return (f"no {last} in {lo}..{hi}{where} (the search past that bound was "
                    "stopped by its budget)")
        nearest = []        # (distance, value, the row's enumerated values)
        for opt in wider.options:
            for a, b in opt.solution.set.intervals if opt.solution.set is not None else ():
                if b is not None and b < lo:
                    nearest.append((lo - b, b, opt.fixed))
                elif a is not None and a > hi:
                    nearest.append((a - hi, a, opt.fixed))
        if not nearest:
            return f"no value of {last} solves {self.relation} at {what}{where}"
        _, value, fixed = min(nearest, key=lambda t: t[:2])
        at = ", ".join(f"{n}={v}" for n, v in fixed.items())
        return (f"no {last} in {lo}..{hi}{where}: the nearest is {last} = {value}"
                + (f" ({at})" if at else "") + f"; widen {last}'s bound")

    @property
    def note(self) -> str:
        """What the space assumed that was not given (pooling's stride taken from its
        kernel), as a single answer's note says it; empty when nothing was."""
        return "; ".join(default_note(var, src, self.given[var], self.relation)
                         for var, src in self.extra.get("taken", {}).items())

    def to_dict(self, limit: int | None = None, prefer: Sequence[str] = ()) -> dict[str, Any]:
        symbolic = any(isinstance(opt, Family) for opt in self.options)
        out = {"relation": self.relation, "unknowns": list(self.unknowns),
               "given": {k_: number(v) for k_, v in self.given.items()
                         if k_ not in self.extra.get("taken", {})},
               "bounds": {k_: list(v) for k_, v in self.bounds.items()},
               "count": self.count, "families": self.families(),
               "combos": None if symbolic else [{**c, "frameworks": self.frameworks(c)}
                                                for c in self.combos(limit, prefer)],
               "searched": self.checked, "reason": self.reason}
        if self.defaults:
            out["defaults"] = self.defaults
        if self.note:
            out["note"] = self.note
        return jsonable(out)

    def frameworks(self, combo: Mapping[str, int]) -> dict[str, bool]:
        """Which frameworks express ``combo`` directly (every layer, for a chain)."""
        layers = self.extra.get("layers")
        if not layers:
            return feasibility(self.relation, {**self.given, **combo})
        size = self.given["i"]
        ok = dict.fromkeys(FEASIBILITY_FRAMEWORKS, True)
        for n, spec in enumerate(layers, start=1):
            env = {**_LAYER_DEFAULTS, **{k_: (combo[f"{k_}{n}"] if v == "?" else v)
                              for k_, v in spec.items() if k_ != "kind"}, "i": size}
            for fw, good in feasibility(spec.get("kind", "conv"), env).items():
                ok[fw] = ok[fw] and good
            size = _layer_output(spec.get("kind", "conv"), env)
        return ok

    def _repr_latex_(self) -> str:
        # no count: the symbolic families it is, else infinitely many numbers, as the text
        # says (it printed "None", then "0 families" for an unbounded numeric space)
        families = sum(isinstance(opt, Family) for opt in self.options)
        many = (f"{self.count}" if self.count is not None else
                "a family of" if families == 1 else f"{families} families of" if families else
                "infinitely many")
        # the bounds searched, as the text says them: never shown as the whole set
        within = r",\ ".join(rf"{n} \in \{{{lo}, \ldots, {hi}\}}"
                             for n, (lo, hi) in self.bounds.items())
        return (rf"$\text{{{many} combinations of }} {', '.join(self.unknowns)}"
                + (rf"\ \text{{ within }} {within}" if within else "") + "$")


def rank_key(combo: Mapping[str, int], given: Mapping[str, Any], prefer: Sequence[str]
             ) -> tuple[Any, ...]:
    """Sort key: failed preferences count first (fewer is better), then the values."""
    env = {**given, **combo}
    penalties = []
    kernels = [v for key, v in env.items() if key == "k" or (key[0] == "k" and key[1:].isdigit())]
    strides = [v for key, v in env.items() if key == "s" or (key[0] == "s" and key[1:].isdigit())]
    for rule in prefer:
        if rule == "odd":
            penalties.append(sum(v % 2 == 0 for v in kernels))
        elif rule == "symmetric":
            penalties.append(int("p_l" in env and env.get("p_l") != env.get("p_r")))
        elif rule == "no_waste":        # single layers: the last window ends at the input edge
            pads = ((env["p"], env["p"]) if "p" in env
                    else (env.get("p_l", 0), env.get("p_r", 0)))
            no_waste, reads = _t.RULE_CONDITIONS["no_waste"]    # relations.NO_WASTE, generated
            at = {"i": env.get("i"), "k": env.get("k"), "d": env.get("d", 1),
                  "s": env.get("s", 1), "p_l": pads[0], "p_r": pads[1]}
            waste = "i" in env and "k" in env and not no_waste(*[at[r] for r in reads])
            penalties.append(int(waste))
        elif rule == "small":
            penalties.append(sum(kernels) + sum(strides))
        else:
            raise UsageError(f"unknown preference {rule!r}; known: {', '.join(RULES)}")
    return (*penalties, *[combo[n] for n in combo])


def feasibility(relation: str, env: Mapping[str, Any]) -> dict[str, bool]:
    """Which frameworks express this configuration directly (no extra F.pad or layer).

    Each framework's rule is :meth:`symconv.frameworks.Framework.expresses`: PyTorch
    needs symmetric padding; Keras/TF padding 'valid' or its own 'same' split, and no
    stride > 1 with dilation > 1; ONNX takes any explicit pads.

    >>> feasibility("conv", {"i": 5, "k": 4, "s": 1, "p": 1, "d": 1, "o": 4})
    {'torch': True, 'keras': False, 'onnx': True}
    """
    return {fw: FRAMEWORK_RULES[fw].expresses(relation, env) for fw in FEASIBILITY_FRAMEWORKS}


def _read_given(rel: str, names: Sequence[str], given: Mapping[str, Any]
                ) -> tuple[dict[str, Any], dict[str, str]]:
    """The givens under their canonical names, each a variable of ``rel``; none missing;
    and the variables that took another's value (``{"s": "k"}``: pooling's stride is its
    kernel when neither is asked for and the kernel is given, as in PyTorch).

    With numeric givens, every variable of the relation is an unknown, a given or
    defaulted (``d, a, g, b``): a design space over ``k, s, p`` of ``conv`` needs ``i``
    and ``o``.  With a formula among the givens the answer is a family, and a variable
    not given stays a symbol of it.
    """
    table = _key(rel)
    ordered = _t.VARIABLES[table] if table is not None else tuple(
        v.name for v in get_relation(rel).ordered_variables)
    known = set(ordered)
    out: dict[str, Any] = {}
    taken: dict[str, str] = {}
    for key, v in given.items():
        name = _name(key)
        if name not in known:
            raise UnknownNameError(f"relation {rel!r} has no variable {name!r}; "
                                   f"its variables are {', '.join(sorted(known))}")
        if name in out:
            raise UsageError(f"{name} given twice ({key}=): give each variable once")
        if name in names:
            raise UsageError(f"{name} is both given and asked for: drop {name}= or take it out "
                             "of --for")
        if isinstance(v, (list, tuple)):
            raise UsageError(f"{name}={list(v)}: a design space is solved one axis at a time: "
                             f"give {name} one integer (or a formula)")
        out[name] = (v if isinstance(v, str) or hasattr(v, "free_symbols")
                     else _in_domain(name, as_int(name, v)))
    if any(isinstance(v, str) or hasattr(v, "free_symbols") for v in out.values()):
        return out, taken   # a family: what is not given stays a symbol of its formula
    for var, src in _defaults_to(rel):      # pooling's stride is its kernel unless given
        if var not in out and var not in names and src in out:
            out[var] = out[src]
            taken[var] = src
    missing = [v for v in ordered
               if v not in out and v not in names and v not in DEFAULT_VALUES]
    if missing:
        follows = [f"{var} does not default to {src} here" for var, src
                   in _defaults_to(rel) if var in missing]
        raise UsageError(f"a design space of {rel!r} over {', '.join(names)} needs "
                         f"{', '.join(missing)} too: give {', '.join(m + '=' for m in missing)} "
                         "or add them to --for" + "".join(f" ({f})" for f in follows))
    return out, taken


def _defaults_to(rel: str) -> tuple[tuple[str, str], ...]:
    """The pairs ``(variable, source)`` of ``rel``: the variable takes the source's value
    when it is not given (pooling: ``s`` takes ``k``, as PyTorch's ``stride=None``)."""
    key = _key(rel)
    if key is not None:
        return defaults_to(key)
    return tuple((v.name, w.name) for v, w in get_relation(rel).defaults_to)


def _in_domain(name: str, value: int, where: str = "") -> int:
    """``value`` when it is in ``name``'s domain (``k, s, d, i, o >= 1``, ``p, a >= 0``), as
    a single solve checks it; else the same one-line refusal."""
    return as_int(f"{where}{describe(name)}", value, _t.DOMAIN_MIN.get(name, 0))


def _check_partial(partial: int, n: int, checked: int) -> None:
    """Refuse a chain design whose partial designs at layer ``n`` pass the listing limit."""
    if partial > MAX_PARTIAL:
        raise UndecidedError(f"more than {MAX_PARTIAL} partial designs at layer {n} (after "
                             f"{checked} combinations searched): too large to list; tighten "
                             "--bounds or fix some values")


def _check_layer_total(total: int, n: int) -> None:
    """Refuse a chain design whose designs after layer ``n`` pass the combination limit."""
    if total > MAX_COMBINATIONS:
        raise UsageError(f"more than {MAX_COMBINATIONS} partial designs after layer {n}; "
                         "tighten --bounds or fix some values")


def _row_solution(fast: Any, rel: str, last: str, given: Mapping[str, Any],
                  fixed: Mapping[str, int]) -> Solution | None:
    """The last unknown's exact set for one row of the enumerated ones (the row's fast
    solver when it has one, else the general solver), or None when the row has none."""
    sol = fast(fixed) if fast is not None else None
    if sol is None:
        from ._symbolic import solve_one
        try:
            sol = solve_one(rel, last, {**given, **fixed})
        except DomainError:
            return None
    return None if sol.kind == "empty" else sol


def solve_many(rel: str, unknowns: Sequence[str], bounds: Mapping[str, Any] | None = None,
               **given: Any) -> DesignSpace:
    """Every combination of ``unknowns`` (all but the last bounded) solving ``rel``.

    The pools that halve 20 without padding, ``10 = floor((20 - k)/s) + 1``:

    >>> solve_many("pool", ("k", "s"), {"k": (1, 11)}, i=20, o=10, p=0).combos()
    [{'k': 1, 's': 2}, {'k': 2, 's': 2}, {'k': 11, 's': 1}]
    """
    given = word_settings(rel, [str(u) for u in unknowns], given) if isinstance(rel, str) \
        else given
    names = [_name(u) for u in unknowns]
    if len(set(names)) != len(names) or len(names) < 2:
        raise UsageError("name two or more different unknowns, e.g. --for k,s,p")
    *enumerated, last = names
    bounds, written = _canonical_bounds(bounds)
    _check_bounds(bounds, names, written)
    # a formula without symbols ("2", "2*1") is the integer it is, as in a single solve
    # (and then checked in its domain as one)
    # and a sympy or numpy integer is the int it is (o=5*2 on the command line is 10)
    given = {k_: (int(f) if isinstance(v, str) and (f := parse_formula(v)).is_Integer
                  else plain(v)) for k_, v in given.items()}
    given, taken = _read_given(rel, names, given)
    extra = {"taken": taken} if taken else {}
    bnd = _bounds(enumerated, bounds, written)
    _check_size(bnd, "the enumerated unknowns")
    budget = Budget(seconds=SEARCH_SECONDS.get(), what="combinations")
    last_bounds = (bounds or {}).get(last)
    all_bounds = dict(bnd)
    if last_bounds is not None:
        all_bounds[last] = _bounds([last], {last: last_bounds})[last]
    if any(isinstance(v, str) or (hasattr(v, "free_symbols") and v.free_symbols)
           for v in given.values()):
        return _symbolic_family(rel, names, bnd, given, all_bounds.get(last))
    rows = _rows(bnd)
    # few rows: the Python loop, unless the plan is generated (then numpy costs less than
    # importing sympy for the loop's solver)
    generated = (_key(rel), last) in _t.VECTOR_PLANS
    vector = _vector_solver(rel, last, names, given) if rows >= VECTOR_ROWS or generated \
        else None
    if vector is not None:
        cut = all_bounds[last] if last_bounds is not None else None
        _walk(budget, rows)
        try:
            found = vector(_axes(bnd), cut)
        except (OverflowError, DomainError):     # values past int64's safe range
            found = None
        if found is not None:
            _check_listing(budget, len(found.rows), rows)     # one option per kept row
            if not found.scalar.any():      # every row verified: options built when read
                def build() -> tuple[Option, ...]:
                    return tuple(Option._of(env, last, row_sol) for _, env, row_sol in
                                 _solutions(found, enumerated, last, rel, given, budget, cut,
                                            False))
                return DesignSpace(rel, tuple(names), dict(given), all_bounds,
                                   _Deferred(len(found.rows), _found_count(found), build), rows,
                                   extra)
            options: list[Option] = []
            with _bulk():           # rows the scalar path solves: now, within the budget
                for _, env, row_sol in _solutions(found, enumerated, last, rel, given, budget,
                                                  cut, False):
                    if len(options) % 4096 == 4095:
                        _check_listing(budget, len(options), rows)
                    options.append(Option._of(env, last, row_sol))
            return DesignSpace(rel, tuple(names), dict(given), all_bounds, tuple(options), rows,
                               extra)
    listed = []
    checked = 0
    fast = _fast_solver(rel, last, names, given)
    for values in itertools.product(*(range(lo, hi + 1) for lo, hi in bnd.values())):
        fixed = dict(zip(enumerated, values, strict=True))
        checked += 1
        _walk(budget)
        sol = _row_solution(fast, rel, last, given, fixed)
        if sol is None:
            continue
        if last_bounds is not None and sol.set is not None:
            lo, hi = all_bounds[last]       # read by the gate (np.int64(7) is 7)
            part = sol.set & IntSet.closed(lo, hi)
            if not part:
                continue
            sol = type(sol)(sol.relation, sol.unknown, "finite" if part.bounded and
                            part.size() <= 1000 else "range", sol.given, set=part,
                            verified=sol.verified, defaults=sol.defaults)
        listed.append(Option(fixed, last, sol))
    return DesignSpace(rel, tuple(names), dict(given), all_bounds, tuple(listed), checked,
                       extra)


def solve_for(rel: Any, unknowns: list[str], given: dict[str, Any], ceil_mode: bool = False
              ) -> DesignSpace:
    """:func:`symconv.solve` with several unknowns: ``bounds`` read from the givens;
    ``ceil_mode`` selects ceil-mode pooling, as for one unknown.

    >>> space = solve_for("pool", ["k", "s"], {"i": 20, "o": 10, "p": 0})
    >>> dict(space.bounds), space.count     # k bounded by what the givens allow
    ({'k': (1, 11)}, 3)
    """
    if not isinstance(rel, str):
        from .relations import Relation  # a Relation: sympy is imported already
        if not isinstance(rel, Relation):
            raise UsageError(f"solve takes a relation's name (symconv list shows them) or "
                             f"a Relation, got {rel!r}")
    bounds = given.pop("bounds", None)
    name = rel if isinstance(rel, str) else rel.name
    if ceil_mode:
        from .relations import relation
        name = relation(name, ceil_mode=True).name
    return solve_many(name, unknowns, bounds, **given)


def parse_chain_spec(text: str) -> list[dict[str, Any]]:
    """``"conv k=? s=? p=? | conv k=3 s=? p=1"`` -> layer dicts (``"?"`` marks an unknown)."""
    layers = []
    for row in split_layers(text):
        n = row.number
        if row.kind not in ("conv", "pool", "conv_transpose") or row.name:
            raise UsageError(f"layer {n}: a design chain takes conv, convt or pool layers")
        keys = ("k", "s", "p", "d", "a") if row.kind == "conv_transpose" else ("k", "s", "p", "d")
        # avgpool keeps its word: it fixes d = 1 (PyTorch's average pooling has no dilation)
        spec: dict[str, Any] = {"kind": "avgpool" if row.word == "avgpool" else row.kind}
        if row.loose is not None:
            raise UsageError(f"layer {n}: expected {', '.join(f'{x}=' for x in keys)} with a "
                             f"value or ?, got {row.loose!r}")
        for key, val in row.pairs:
            if key == "ceil_mode":
                raise UsageError(f"layer {n}: a chain design searches floor-mode layers, not "
                                 "ceil=; drop it, or solve one ceil-mode pool with "
                                 "solve pool_ceil --for ...")
            if key == "framework":
                raise UsageError(f"layer {n}: a chain design searches PyTorch's layers, not "
                                 f"framework={val}; drop it, and check a design in that "
                                 f"framework with net ... framework={val} i=N")
            if key not in keys:
                raise UsageError(f"layer {n}: expected {', '.join(f'{x}=' for x in keys)} with "
                                 f"a value or ?, got {key + '=' + val!r}")
            if val == "?":
                spec[key] = "?"
            elif val.isdigit():
                spec[key] = read_int(val, f"layer {n}: {key}=")
            else:
                raise UsageError(f"layer {n}: {key}={val!r} is neither an integer nor ?")
        _defaulted(spec, row.kind)
        layers.append(spec)
    return layers


@dataclass(frozen=True)
class Family(Option):
    """A parametric family: the last unknown as a formula in the enumerated ones
    (``cut``: the last unknown's bounds, when given)."""

    cut: tuple[int, int] | None = None

    def values(self, cap: int = 1000, params: Mapping[str, int] | None = None
               ) -> Iterator[dict[str, int]]:
        """Every combination within the bounds at integer values ``params`` of the symbols
        the family is stated in (``i=32``): the given formulas evaluated there and the
        design space solved with numbers, exactly, each member checked in the relation.

        Where the family's formula fails (its condition, such as ``i != 1`` where a
        coefficient vanishes) the numbers still answer; a setting left out takes
        PyTorch's default (``d = 1``, ``a = 0``), as in any design space.
        """
        _check_params(params)

        import sympy

        from .symbols import canonical
        sol = self.solution
        given = {k_: (parse_formula(v) if isinstance(v, str) else v) for k_, v in self.given.items()}
        names = list(self.fixed_names)
        unknowns = {*names, self.last}
        named: dict[str, int] = {}
        for k_, v in (params or {}).items():
            key = _name(k_)                 # PyTorch's names too; an unknown name is refused
            if key in named:
                raise UsageError(f"params give {key} twice (as {k_!r} too): give it once")
            named[key] = _in_domain(key, as_int(f"params {k_}", v), "params: ")
        params = named
        for key in params:
            if key in unknowns or key in given:
                raise UsageError(f"params give {key}, which is "
                                 + ("an unknown of the family" if key in unknowns else "given")
                                 + ": drop it from params")
        mentioned = ({x.name for v in given.values() if hasattr(v, "free_symbols")
                      for x in v.free_symbols} | {x.name for x in sol.expr.free_symbols}
                     | {x.name for c in sol.conditions for x in c.free_symbols})
        idle = sorted(set(params) - mentioned)
        if idle:
            held = ", ".join(sorted(mentioned - unknowns)) or "no symbol"
            raise UsageError(f"params give {idle[0]}, which the family is not stated in (it "
                             f"holds for {held}): drop it from params")
        absent = [n for n in sorted(mentioned - unknowns)
                  if n not in params and n not in _LAYER_DEFAULTS]
        if absent:
            raise UsageError(f"the family holds for every {', '.join(absent)}: give values "
                             f"(params={{{absent[0]!r}: ...}}) to list its members")
        # a setting the family is stated in and params leave out takes PyTorch's default,
        # and each member says so (p = d(k - 1)/2 listed at d = 1 carries 'd': 1)
        assumed = {n: _LAYER_DEFAULTS[n] for n in sorted(mentioned - unknowns)
                   if n not in params and n in _LAYER_DEFAULTS}
        params = {**params, **assumed}
        # an enumerated unknown a given formula names (o = i - k + 1) is walked here, the
        # formula evaluated at each of its values; the rest is solved with numbers
        tied = [n for n in names if any(n in {x.name for x in v.free_symbols}
                                        for v in given.values() if hasattr(v, "free_symbols"))]
        rest = [n for n in names if n not in tied]
        spans = dict(zip(self.fixed_names, self.ranges, strict=True))
        for values in itertools.product(*(range(spans[n][0], spans[n][1] + 1) for n in tied)):
            at = {**params, **dict(zip(tied, values, strict=True))}
            sub = {canonical(k_): sympy.Integer(v) for k_, v in at.items()}
            numbers: dict[str, int] = {}
            for key, v in given.items():
                value = v.subs(sub) if hasattr(v, "subs") else v
                if not isinstance(value, int) and not getattr(value, "is_Integer", False):
                    break       # o = i/2 at i = 3: no integer size, no configuration
                if int(value) < _t.DOMAIN_MIN.get(key, 0):
                    break       # o = i - 1 at i = 1: no valid size, no configuration
                numbers[key] = int(value)
            else:
                for combo in self._solved(rest, numbers, at, cap):
                    yield {**assumed, **{n: combo[n] for n in [*names, self.last]}}

    def _solved(self, rest: list[str], numbers: dict[str, int], at: dict[str, int],
                cap: int) -> Iterator[dict[str, int]]:
        """The combinations of ``rest`` and the last unknown with everything else given."""
        if rest:
            spans = dict(zip(self.fixed_names, self.ranges, strict=True))
            bounds: dict[str, Any] = {n: spans[n] for n in rest}
            if self.cut is not None:
                bounds[self.last] = self.cut
            space = solve_many(self.solution.relation, [*rest, self.last], bounds,
                               **numbers, **at)
            for option in space.options:
                for combo in option.values(cap):
                    yield {**at, **combo}
            return
        from ._numeric import solve
        given: dict[str, Any] = {**numbers, **at}
        try:
            sol = solve(self.solution.relation, self.last, **given)
        except DomainError:     # the walked values break a rule of the relation's
            return
        found = sol.set if sol.set is not None else IntSet.empty()
        if self.cut is not None:
            found = found & IntSet.closed(*self.cut)
        if not found:
            return
        first = cast(int, found.min)
        walk = found if found.bounded else (v for v in range(first, first + cap) if v in found)
        for v in walk:
            yield {**at, self.last: v}

    @property
    def fixed_names(self) -> tuple[str, ...]:
        return tuple(self.fixed)

    @property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        return tuple(self.fixed.values())  # type: ignore[arg-type]

    @property
    def given(self) -> Mapping[str, Any]:
        return self.solution.given

    def text(self) -> str:
        bounds: dict[str, Any] = dict(self.fixed)
        if self.cut is not None:
            bounds[self.last] = self.cut
        ranges = ", ".join(f"{b[0]} <= {n} <= {b[1]}" for n, b in bounds.items())
        return f"{self.solution} (for {ranges})"


def _symbolic_family(rel: str, names: Sequence[str], bnd: Mapping[str, tuple[int, int]],
                     given: Mapping[str, Any], cut: tuple[int, int] | None) -> DesignSpace:
    """A given formula (o = i): the last unknown stated once as a formula of the others
    (its members listed within ``cut``, the last unknown's bounds, when given)."""
    from ._symbolic import solve_one
    *enumerated, last = names
    sol = solve_one(rel, last, dict(given))
    if sol.kind != "symbolic" or sol.expr is None or sol.lower is not None:
        raise UsageError(f"no single formula for {last} here; give integer values instead")
    family = Family(dict(bnd), last, sol, cut)     # type: ignore[arg-type]
    return DesignSpace(rel, tuple(names), dict(given),
                       {**bnd, last: cut} if cut is not None else dict(bnd), (family,), 1)


def _fast_solver(rel_name: str, last: str, unknowns: Sequence[str],
                 given: Mapping[str, Any]) -> Any:
    """The last unknown's set straight from the solver's compiled constraints.

    Only for integer givens; the interval comes from the plan's linear bounds
    (:func:`symconv.solving._fast_interval`) and is verified by the relation's compiled
    checked function at both ends and one past each (the full solver is used whenever
    this shortcut does not apply, so the answer is always the complete set).
    """
    from ._elimination import plan
    from ._exact import compile_expr
    from .solving import DEFAULTS, _fast_interval
    from .symbols import DOMAIN_MIN, canonical
    rel = get_relation(rel_name)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in given.values()):
        return None
    x = canonical(last)
    try:
        pl = plan(rel, x)
    except NotImplementedError:
        return None
    if pl.evaluate or len(pl.branches) != 1 or pl.branches[0].roots is not None \
            or pl.branches[0].filters or pl.branches[0].guards:
        return None
    branch = pl.branches[0]
    defaults = {sym.name: v for sym, v in DEFAULTS.items()
                if sym in rel.variables and sym.name not in given and sym.name not in unknowns}
    check = rel.function(checked=True)
    lhs = rel.lhs.name
    statics = [c.expr for c in rel.conditions if not c.expr.has(x)]
    static_fns = [compile_expr(c) for c in statics]

    def solve_last(fixed: Mapping[str, int]) -> Any:
        env = {**defaults, **given, **fixed}
        if not all(f(env) for f in static_fns):
            return Solution(rel.name, x, "empty", dict(given), reason="a rule of the relation fails")
        iv = _fast_interval(branch, env, allow_empty=True)
        if iv is None or (iv and iv.min is None):
            return None
        if not iv:
            return Solution(rel.name, x, "empty", dict(given), set=iv)
        target = env[lhs]
        args = [n for n in rel.inputs]

        def ok(v: int) -> bool:
            return check(*[v if n == last else env[n] for n in args]) == target if \
                v >= DOMAIN_MIN[x] else False
        assert iv.min is not None
        ends = [v for v in (iv.min, iv.max) if v is not None]
        if not all(ok(v) for v in ends) or any(ok(v) for v in (iv.min - 1, *(
                [iv.max + 1] if iv.max is not None else []))):
            return None                        # let the full solver decide and explain
        kind = "finite" if iv.bounded and iv.size() <= 1000 else "range"
        return Solution(rel.name, x, kind, {**given, **fixed}, set=iv,
                        verified="substitution (ends)", defaults=defaults)
    return solve_last


VECTOR_ROWS = 16
"""Fewest enumerated rows for which the numpy path is taken (below, numpy's per-call cost
outweighs the Python loop)."""

VECTOR_LIMIT = 2 ** 20
"""Largest given or bound the numpy path takes: the clause coefficients are polynomials of
degree at most three in them, so int64 stays exact (larger values take the Python path)."""

MAX_OPTIONS = 750_000
"""Most designs a search lists: each is ~600 bytes of objects, so this keeps a
search under ~0.5 GB resident (measured 615 MB at a million)."""

CHUNK_ROWS = 1 << 16
"""Rows of a chain's last layer solved per numpy pass (memory stays bounded; the time
budget is checked between passes)."""

SCALAR_CHECK = 24
"""Most rows checked one by one with the compiled checked function (beyond, by numpy)."""

_NEG, _POS = -(2 ** 62), 2 ** 62       # an open end of an interval, in int64


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """No cyclic garbage collection while a design space's options are built.

    They hold no reference cycles, but hundreds of thousands of new objects trigger
    collector passes over the whole growing heap: measured 4x the construction itself
    (0.55 s against 0.13 s for 134 555 options).  The collector is restored after.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check_listing(budget: Budget, listed: int, searched: int) -> None:
    """While options are listed: the deadline, and at most :data:`MAX_OPTIONS`."""
    _walk(budget, 2)
    if listed > MAX_OPTIONS:
        raise UsageError(f"more than {MAX_OPTIONS} designs (after {searched} combinations "
                         "searched): too large to list; tighten --bounds or fix some values")


def _rows(bnd: Mapping[str, tuple[int, int]]) -> int:
    total = 1
    for lo, hi in bnd.values():
        total *= hi - lo + 1
    return total


def _axes(bnd: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    """Each enumerated range as an int64 array, in order (the rows: every combination)."""
    import numpy as np
    return {n: np.arange(lo, hi + 1, dtype=np.int64) for n, (lo, hi) in bnd.items()}


def _grid(bnd: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    """Every combination of the enumerated ranges as flat int64 arrays, in
    ``itertools.product`` order."""
    import numpy as np
    axes = [np.arange(lo, hi + 1, dtype=np.int64) for lo, hi in bnd.values()]
    mesh = np.meshgrid(*axes, indexing="ij")
    return {n: m.ravel() for n, m in zip(bnd, mesh, strict=True)}


@dataclass(frozen=True)
class _Found:
    """The numpy pass's answer: the rows (indices into the enumeration) with some value
    of the last unknown, the enumerated unknowns' values on them, the interval
    ``[lo, hi]`` on each (``hi`` :data:`_POS` when open), and which of them the scalar
    path must solve instead (the plan's shortcut does not apply there, or the
    substitution check failed)."""

    rows: Any
    columns: dict[str, Any]
    lo: Any
    hi: Any
    scalar: Any
    solver: Callable[[], Any]       # the scalar shortcut, built when a row needs it
    defaults: dict[str, int]


def _floor_div(be: Any, divisor: int, fresh: bool) -> Any:
    """``be // divisor`` for a positive integer ``divisor``: a shift when it is a power of
    two (an arithmetic shift is the floor, negatives included); written into ``be``
    when it is a new array (``fresh``), else a new array (or a scalar)."""
    if not hasattr(be, "dtype"):
        return be // divisor
    import numpy as np
    out = be if fresh else None
    if divisor & (divisor - 1) == 0:
        return np.right_shift(be, divisor.bit_length() - 1, out=out)
    return np.floor_divide(be, divisor, out=out)


def _tightened(end: Any, bound: Any, lower: bool, np: Any) -> Any:
    """The lower end ``max(end, bound)`` (``lower``) or the upper end ``min(end, bound)``,
    written into ``bound`` (a new array) when it has the shape; an open end
    (:data:`_NEG`, :data:`_POS`) is just ``bound`` (every bound lies within 2**62)."""
    if type(end) is int and end == (_NEG if lower else _POS):
        return bound
    ufunc = np.maximum if lower else np.minimum
    if np.ndim(bound) and bound.shape == np.broadcast_shapes(np.shape(end), bound.shape):
        return ufunc(end, bound, out=bound)
    return ufunc(end, bound)


def _both(keep: Any, more: Any) -> Any:
    return more if keep is True else keep & more


def _found_count(found: _Found, weights: Sequence[int] | None = None) -> int | None:
    """How many combinations the numpy pass's rows hold (each row's interval length, times
    its weight), or None when some interval is open; Python integers, no overflow."""
    if (found.hi == _POS).any():
        return None
    sizes = (found.hi - found.lo + 1).tolist()
    return sum(sizes) if weights is None else sum(map(operator.mul, sizes, weights))


@functools.lru_cache(maxsize=64)
def _checked_function(rel_name: str) -> Any:
    return get_relation(rel_name).function(checked=True)


def _by_axes(expr: sympy.Expr, names: tuple[str, ...], enumerated: frozenset[str]
             ) -> Callable[..., Any]:
    """``expr`` on open-grid arrays (each enumerated unknown on its own axis), its terms
    summed by the enumerated unknowns they involve, fewest first: the terms of one axis
    are combined on that axis, and each further group costs one addition over the
    grid, not one per term (sympy's term order would broadcast at the first term that
    mixes two axes)."""
    import sympy

    from ._compiled import numpy_function
    groups: dict[frozenset[str], list[sympy.Expr]] = {}
    for term in sympy.Add.make_args(expr):
        key = frozenset(str(v) for v in term.free_symbols) & enumerated
        groups.setdefault(key, []).append(term)
    parts = [numpy_function(sympy.Add(*groups[key]), names)
             for key in sorted(groups, key=lambda g: (len(g), sorted(g)))]
    if len(parts) == 1:
        return parts[0]

    def run(*args: Any) -> Any:
        return _summed(part(*args) for part in parts)
    return run


def _summed(values: Iterator[Any]) -> Any:
    """The sum of ``values`` (ints, or arrays that broadcast to one shape): each added in
    place into the running sum once that is a new array of the full shape."""
    import numpy as np
    acc: Any = next(values, 0)  # no term at all: 0
    owned = False               # acc a new array of the sum's shape (else maybe an input)
    for v in values:
        if owned and np.ndim(v) <= acc.ndim and acc.shape == np.broadcast_shapes(
                acc.shape, np.shape(v)):
            acc += v
        else:
            acc = acc + v
            owned = isinstance(acc, np.ndarray)
    return acc


@functools.lru_cache(maxsize=64)
def _vector_plan(rel_name: str, last: str, enumerated: frozenset[str]) -> Any:
    """The relation's plan for ``last`` compiled to numpy over open grids of the
    ``enumerated`` unknowns (:func:`_by_axes`): one single-atom linear clause per bound,
    the conditions free of ``last`` (cached).  The plan is read from the generated
    tables (``VECTOR_PLANS``: its clauses as integer polynomials) when they hold it, so
    the search imports no sympy; otherwise it is derived and compiled here."""
    key = _key(rel_name)
    generated = _t.VECTOR_PLANS.get((key, last)) if key is not None else None
    if key is not None and generated is not None:
        return _generated_plan(key, last, enumerated, generated)
    from ._compiled import numpy_function
    from ._elimination import plan
    from .symbols import canonical
    rel = get_relation(rel_name)
    x = canonical(last)
    try:
        pl = plan(rel, x)
    except NotImplementedError:
        return None
    if pl.evaluate or len(pl.branches) != 1 or pl.branches[0].roots is not None \
            or pl.branches[0].filters or pl.branches[0].guards \
            or any(len(c.atoms) != 1 for c in pl.branches[0].clauses):
        return None
    names = tuple(sorted(v.name for v in rel.variables if v != x))
    try:
        atoms = sorted((c.atoms[0] for c in pl.branches[0].clauses), key=lambda a: len(
            {str(v) for v in (a.alpha.free_symbols | a.beta.free_symbols)} & enumerated))
        clauses = [(_by_axes(a.alpha, names, enumerated), _by_axes(a.beta, names, enumerated),
                    a.op) for a in atoms]
        statics = [numpy_function(c.expr, names) for c in rel.conditions if not c.expr.has(x)]
    except ValueError:          # a division outside a floor: no exact int64 form
        return None
    return names, clauses, statics


def _by_axes_terms(terms: Sequence[tuple[int, tuple[tuple[str, int], ...]]],
                   names: tuple[str, ...], enumerated: frozenset[str]) -> Callable[..., Any]:
    """:func:`_by_axes` for a generated polynomial (``(coefficient, ((name, power), ...))``
    terms): each group of terms reading the same enumerated unknowns summed apart, the
    fewest axes first, one addition over the grid per further group."""
    groups: dict[frozenset[str], list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
    for coeff, powers in terms:
        if coeff == 0:
            continue
        key = frozenset(n for n, _ in powers) & enumerated
        groups.setdefault(key, []).append((coeff, tuple((names.index(n), e) for n, e in powers)))
    parts = [groups[key] for key in sorted(groups, key=lambda g: (len(g), sorted(g)))]

    def group(args: Sequence[Any], part: list[tuple[int, tuple[tuple[int, int], ...]]]) -> Any:
        acc: Any = 0
        for coeff, powers in part:
            term: Any = coeff
            for j, e in powers:
                term = term * (args[j] if e == 1 else args[j] ** e)
            acc = acc + term
        return acc

    def run(*args: Any) -> Any:
        return _summed(group(args, part) for part in parts)
    return run


def _generated_plan(key: str, last: str, enumerated: frozenset[str], generated: Any) -> Any:
    """:func:`_vector_plan` from the generated ``VECTOR_PLANS`` entry (no sympy)."""
    atoms, statics = generated
    names = tuple(sorted(v for v in _t.VARIABLES[key] if v != last))

    def reads(a: Any) -> int:
        return len({n for terms in a[:2] for _, powers in terms for n, _ in powers} & enumerated)
    clauses = [(_by_axes_terms(al, names, enumerated), _by_axes_terms(be, names, enumerated), op)
               for al, be, op in sorted(atoms, key=reads)]
    _, _, conds = _t.CHECKED[key]

    def condition(check: Callable[..., Any], cond_reads: tuple[str, ...]) -> Callable[..., Any]:
        slots = [names.index(r) for r in cond_reads]
        return lambda *args: check(*[args[j] for j in slots])
    return names, clauses, [condition(conds[n][0], conds[n][1]) for n in statics]


def _vector_solver(rel_name: str, last: str, unknowns: Sequence[str],
                   given: Mapping[str, Any]) -> Any:
    """The last unknown's interval for every enumerated row at once, or None (numpy
    absent, non-integer or too large givens, a plan outside the shortcut).

    The same shortcut as :func:`_fast_solver`, on arrays: each clause
    ``alpha x + beta >= 0`` bounds ``x`` below (``alpha > 0``) or above, and the
    result is checked by substitution at both ends and one past each, vectorised,
    with the relation's own batch evaluation; rows where either step does not apply
    are marked for the scalar path.
    """
    try:
        import numpy as np
    except ImportError:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and abs(v) < VECTOR_LIMIT
               for v in given.values()):
        return None
    compiled = _vector_plan(rel_name, last, frozenset(unknowns) - {last})
    if compiled is None:
        return None
    names, clauses, statics = compiled
    key = _key(rel_name)
    if key is not None and key in _t.HOLDS and batch(key) is not None:
        # the generated tables: no sympy
        variables = _t.VARIABLES[key]
        (lhs, _), _, _ = _t.CHECKED[key]
        inputs = _t.VALUES[key][2]
        evaluate: Any = batch(key)
        holds = cast(Callable[..., Any], _t.HOLDS[key])
        order = [inputs.index(n) if n != lhs else -1 for n in variables]

        def row_holds(args: list[int], target: int) -> bool:
            return bool(holds(*[args[j] if j >= 0 else target for j in order]))
    else:
        from .relations import batch_evaluator
        rel = get_relation(rel_name)
        variables = tuple(v.name for v in rel.ordered_variables)
        lhs, inputs = rel.lhs.name, rel.inputs
        evaluate = batch_evaluator(rel)
        checked = _checked_function(rel_name)

        def row_holds(args: list[int], target: int) -> bool:
            return bool(checked(*args) == target)
    if evaluate is None:
        return None
    defaults = {n: v for n, v in DEFAULT_VALUES.items()
                if n in variables and n not in given and n not in unknowns}
    grid_names = set(unknowns)
    low_x = _least(last)

    if last not in inputs:
        return None
    slot = inputs.index(last)

    def _check_rows(lo: Any, hi: Any, scalar: Any, env: Mapping[str, Any]) -> None:
        """Few rows: both ends hold and the integers just outside do not, by the compiled
        checked function (a row that fails is marked for the scalar path); ``env`` holds
        the enumerated unknowns on the kept rows."""
        cols = [itertools.repeat(0) if n == last else env[n].tolist()
                if n in grid_names else itertools.repeat(env[n]) for n in (*inputs, lhs)]
        for j, (*args, target), a, b in zip(range(len(lo)), zip(*cols, strict=False),
                                            lo.tolist(), hi.tolist(), strict=True):
            if scalar[j]:
                continue
            good = True
            for v, want in ((a, True), (a if b == _POS else b, True), (a - 1, False),
                            (b + 1, False)):
                if v == _POS + 1:
                    continue
                args[slot] = v
                if (v >= low_x and row_holds(args, target)) != want:
                    good = False
                    break
            if not good:
                scalar[j] = True

    def solve_rows(axes: Mapping[str, Any], cut: tuple[int, int] | None) -> _Found:
        """``axes``: each enumerated unknown's values (1-d int64), the rows being every
        combination in ``itertools.product`` order; each is shaped to its own axis, so a
        term of one unknown is computed once per value and broadcast (no full grid)."""
        if any(int(abs(a).max()) >= VECTOR_LIMIT for a in axes.values() if a.size):
            raise OverflowError
        shape = tuple(len(a) for a in axes.values())
        size = math.prod(shape)
        env = {**defaults, **given, **{n: a.reshape([-1 if j == m else 1
                                                     for m in range(len(shape))])
                                       for j, (n, a) in enumerate(axes.items())}}
        if any(n not in env for n in names):
            raise OverflowError         # a variable neither given nor enumerated
        args = [env[n] for n in names]
        keep: Any = True
        for f in statics:
            keep = keep & f(*args)
        lo: Any = _NEG
        hi: Any = _POS
        scalar: Any = False
        for f_al, f_be, op in clauses:      # the fewest axes first: lo, hi grow late
            al, be = f_al(*args), f_be(*args)
            if op == ">=" and type(al) is int:     # a constant slope
                if al == 0:
                    keep = _both(keep, be >= 0)
                    continue
                fresh = type(be) is np.ndarray and not any(be is a for a in args)
                bound = _floor_div(be, abs(al), fresh)
                if al > 0:          # x >= ceil(-be / al) = -(be // al)
                    lo = _tightened(lo, np.negative(bound, out=bound) if type(bound) is
                                    np.ndarray else -bound, True, np)
                else:
                    hi = _tightened(hi, bound, False, np)
                continue
            al = np.asarray(al, dtype=np.int64)
            if op == "==":
                zero = al == 0
                scalar = scalar | zero
                safe = np.where(zero, 1, al)
                keep = _both(keep, zero | (be % safe == 0))
                v = -be // safe
                lo = np.where(zero, lo, np.maximum(lo, v))
                hi = np.where(zero, hi, np.minimum(hi, v))
                continue
            pos, neg = al > 0, al < 0
            lo = np.where(pos, np.maximum(lo, -(be // np.where(pos, al, 1))), lo)
            hi = np.where(neg, np.minimum(hi, be // np.where(neg, -al, 1)), hi)
            keep = _both(keep, ~((al == 0) & (be < 0)))
        keep = _both(keep, lo <= hi)
        if cut is not None:             # rows the bounds leave out need no check
            for side, end, test in ((lo, cut[1], np.less_equal), (hi, cut[0], np.greater_equal)):
                if np.ndim(keep) and keep.shape == np.broadcast_shapes(keep.shape, np.shape(side)):
                    keep &= test(side, end)
                else:
                    keep = keep & test(side, end)
        rows = np.flatnonzero(np.broadcast_to(keep, shape)) if np.ndim(keep) \
            else np.arange(size if keep else 0)
        index = np.unravel_index(rows, shape)
        columns = {n: a[i] for (n, a), i in zip(axes.items(), index, strict=True)}

        def at(v: Any) -> Any:          # v on the kept rows (v: one value, or broadcast)
            return np.broadcast_to(v, shape)[index] if np.ndim(v) else np.full(len(rows), v)
        lo, hi = at(lo), at(hi)
        scalar = at(scalar) | (lo <= _NEG)
        # substitution: both ends hold, the integers just outside do not
        if len(rows) <= SCALAR_CHECK:         # few rows: the compiled checked function
            _check_rows(lo, hi, scalar, {**defaults, **given, **columns})
        else:
            # in one batch evaluation: the lower end, the upper end (the lower again when
            # open), one below, one above; rows left to the scalar path probe the
            # unknown's smallest value and are not read
            check = ~scalar
            point = {n: np.tile(columns[n], 4) if n in columns else env[n]
                     for n in (*inputs, lhs) if n != last}
            open_end = hi == _POS
            probe = np.concatenate((lo, np.where(open_end, lo, hi), lo - 1,
                                    np.where(open_end, lo - 1, hi + 1)))
            np.copyto(probe, low_x, where=~np.tile(check, 4))
            target = point.pop(lhs)
            values, valid = evaluate(point | {last: probe})
            valid &= values == target
            valid &= probe >= low_x
            holds = valid.reshape(4, len(rows))
            scalar |= check & ~(holds[0] & holds[1] & ~holds[2] & ~holds[3])
        if cut is not None:
            lo = np.maximum(lo, cut[0])
            hi = np.minimum(hi, cut[1])
        return _Found(rows, columns, lo, hi, scalar,
                      lambda: _fast_solver(rel_name, last, unknowns, given), defaults)
    return solve_rows


def _solutions(found: _Found, enumerated: Sequence[str], last: str, rel_name: str,
               given: Mapping[str, Any], budget: Budget, cut: tuple[int, int] | None,
               keep_fields: bool) -> Iterator[tuple[int, dict[str, int], Solution]]:
    """The rows the numpy pass kept, in enumeration order: ``(position among the kept
    rows, values of the enumerated unknowns, the last unknown's solution)``; rows marked
    for the scalar path are solved one by one, exactly as the Python loops do (a cut by the last unknown's
    bounds keeps the solution's other fields when ``keep_fields``, as :func:`chain_design`
    does, or only its relation, unknown, given, verification and defaults, as
    :func:`solve_many` does)."""
    rel_key = _key(rel_name) or get_relation(rel_name).name
    defaults = found.defaults
    rows = range(len(found.rows))
    cols = [found.columns[n].tolist() for n in enumerated]
    los, his, scal = found.lo.tolist(), found.hi.tolist(), found.scalar.tolist()
    solver = found.solver() if any(scal) else None
    # Solution._integer's state, all but the kind, the givens and the set
    blank = vars(Solution._integer(rel_key, last, "finite", {}, (), "substitution (ends)",
                                   defaults))
    new, put = object.__new__, object.__setattr__
    for row, values, lo, hi, by_one in zip(rows, zip(*cols, strict=True), los, his, scal,
                                          strict=True):
        env = dict(zip(enumerated, values, strict=True))
        if by_one:
            _walk(budget)
            sol = _row_solution(solver, rel_name, last, given, env)
            if sol is None:
                continue
            if cut is not None and sol.set is not None:
                part = sol.set & IntSet.closed(*cut)
                if not part:
                    continue
                kind = "finite" if part.bounded and part.size() <= 1000 else "range"
                sol = replace(sol, set=part, kind=kind) if keep_fields else type(sol)(
                    sol.relation, sol.unknown, kind, sol.given, set=part,
                    verified=sol.verified, defaults=sol.defaults)
            yield row, env, sol
            continue
        top = None if hi == _POS else hi
        found_set = new(IntSet)
        found_set.__dict__["intervals"] = ((lo, top),)
        sol = new(Solution)
        put(sol, "__dict__", {**blank, "kind": "finite" if top is not None and top - lo < 1000
                              else "range", "given": {**given, **env}, "set": found_set})
        yield row, env, sol


def _layer_batch(kind: str) -> tuple[Any, tuple[str, ...]]:
    """A chain layer's checked batch evaluation and its inputs: generated (no sympy) when
    the tables hold it, else the relation's compiled one."""
    key = _key(kind)
    if key is not None and batch(key) is not None:
        return batch(key), tuple(_t.VALUES[key][2])
    from .relations import batch_evaluator
    rel = get_relation(kind)
    return batch_evaluator(rel), tuple(rel.inputs)


def _layer_output(kind: str, env: Mapping[str, int]) -> int:
    """A chain layer's output size at ``env`` (checked): generated when the tables hold it."""
    key = _key(kind)
    if key is not None:
        from ._forward import evaluate, inputs
        return evaluate(key, **{x: env[x] for x in inputs(key)})
    rel = get_relation(kind)
    out: int = rel.evaluate(**{x: env[x] for x in rel.inputs})
    return out


def chain_design(layers: Sequence[Mapping[str, Any]], i: int, o: int,
                 bounds: Mapping[str, Any] | None = None) -> DesignSpace:
    """Two or more conv/pool layers (dicts of known values; ``"?"`` marks an unknown)
    taking input size ``i`` to output ``o``: every combination, exactly.

    Layers before the last are enumerated within bounds and grouped by the size they
    produce; the last layer is solved as a single-layer design space once per size.

    >>> chain_design([{"kind": "conv", "k": 3, "s": "?", "p": 1},
    ...               {"kind": "pool", "k": 2, "s": 2, "p": "?"}], i=32, o=8).combos()
    [{'s1': 2, 'p2': 0}]
    """
    if isinstance(layers, (str, bytes, Mapping)) or not isinstance(layers, Sequence):
        raise UsageError("a chain design's layers are a list of dicts, one per layer "
                         "([{'kind': 'conv', 'k': 3, 's': '?'}, ...]), got "
                         f"{type(layers).__name__}")
    if len(layers) < 2:
        if len(layers) == 1:        # one layer is one relation's design space
            spec = layers[0]
            _layer_spec(1, spec)    # a dict of a layer symconv designs, else refused so
            marked = [k_ for k_, v in spec.items() if v == "?"]
            known = " ".join(f"{k_}={v}" for k_, v in spec.items() if k_ != "kind" and v != "?")
            raise UsageError(f"a chain design needs two or more layers; for one layer solve its "
                             f"relation: symconv solve {spec.get('kind', 'conv')} --for "
                             f"{','.join(marked)} i={i} o={o}{' ' + known if known else ''}")
        raise UsageError("a chain design needs two or more layers")
    specs = [_layer_spec(n, spec) for n, spec in enumerate(layers, start=1)]
    for n, spec in enumerate(specs, start=1):
        _defaulted(spec, "pool" if spec["kind"] == "pool_ceil" else spec["kind"])
        for var in _t.VARIABLES[spec["kind"]]:
            if var not in spec and var not in ("i", "o") and var not in _LAYER_DEFAULTS:
                raise UsageError(f"layer {n}: give {var}= (a value, or \"?\" for unknown)")
    layers = specs
    asked_names = [(f"{k_}{n}", k_) for n, spec in enumerate(layers, start=1)
                   for k_, v in spec.items() if v == "?"]
    bounds, written = _canonical_bounds(bounds)
    _check_bounds(bounds, [name for pair in asked_names for name in pair], written)
    # a bound by layer (k1<=3) overrides the one for every layer (k<=5)
    given = bounds or {}
    per = [{k_: b for k_, v in spec.items()
            if v == "?" and (b := given.get(f"{k_}{n}", given.get(k_))) is not None}
           for n, spec in enumerate(layers, start=1)]
    for n, bnd in enumerate(per, start=1):     # refused under the name the bound was given
        _bounds(list(bnd), bnd, {k_: written.get(f"{k_}{n}" if f"{k_}{n}" in given else k_, k_)
                                 for k_ in bnd})
    i, o = as_int("i", i, 1), as_int("o", o, 1)
    for n, spec in enumerate(layers, start=1):
        for k_, v in spec.items():
            if k_ != "kind" and v != "?":
                _in_domain(k_, as_int(f"layer {n}: {k_}", v), f"layer {n}: ")
    asked = [n for n, spec in enumerate(layers) if "?" in spec.values()]
    if not asked:
        raise UsageError("no layer has an unknown: mark one with ? (k=?), or ask for the "
                         "chain's output with symconv net")
    budget = Budget(seconds=SEARCH_SECONDS.get(), what="combinations")
    if asked[-1] < len(layers) - 1:
        # layers after the last unknown are fixed: their input sizes that give o, each
        # a target of the chain up to that layer, the answers joined
        head, tail = layers[:asked[-1] + 1], layers[asked[-1] + 1:]
        parts = [_chain_design(head, i, t, per[:len(head)], budget) for t in _inputs_for(tail, o)]
        return _joined(parts, layers, i, o, per)
    return _chain_design(layers, i, o, per, budget)


def _defaulted(spec: dict[str, Any], kind: str) -> None:
    """A value the relation defaults from another (pooling's ``s`` is its ``k``, PyTorch's
    ``stride=None``) put in where it is not given and the other is a number."""
    for var, source in _defaults_to(kind):
        if var not in spec and isinstance(spec.get(source), int):
            spec[var] = spec[source]


def _layer_spec(n: int, spec: Any) -> dict[str, Any]:
    """Layer ``n`` of a chain design as its relation reads it: the kind's relation name
    (``maxpool`` is ``pool``; ``ceil_mode`` true makes a pool ``pool_ceil``; ``avgpool``
    fixes ``d = 1``), PyTorch's argument names as the symbols; any other key is refused
    (a key dropped would answer another question)."""
    if not isinstance(spec, Mapping):
        raise UsageError(f"layer {n}: a dict of the layer's values, got {type(spec).__name__}")
    word = spec.get("kind", "conv")
    kind = relation_key(word) if isinstance(word, str) else None
    if kind is None or kind not in _t.VARIABLES or not {"i", "o"} <= set(_t.VARIABLES[kind]):
        raise UsageError(f"layer {n}: kind {word!r} is not a layer symconv designs (conv, "
                         "conv_transpose, pool, maxpool, avgpool, pool_ceil)")
    out: dict[str, Any] = {}
    ceil = False
    for key, v in spec.items():
        if key == "kind":
            continue
        if key in ("ceil_mode", "ceil"):
            ceil = as_flag(f"layer {n}: {key}", v)
            continue
        name = VARIABLE_ALIASES.get(key, key) if isinstance(key, str) else key
        if name in ("i", "o") or name not in _t.VARIABLES[kind]:
            raise UsageError(f"layer {n} ({word}): {key!r} is not one of its values (give "
                             f"{', '.join(x for x in _t.VARIABLES[kind] if x not in ('i', 'o'))}"
                             f"{' or ceil_mode' if kind in ('pool', 'pool_ceil') else ''})")
        if name in out:
            raise UsageError(f"layer {n}: {name} given twice ({key!r})")
        out[name] = plain(v)        # sympy.Integer(2) is the 2 an int pooling kernel is
    if ceil:
        if kind not in ("pool", "pool_ceil"):
            raise UsageError(f"layer {n} ({word}): ceil_mode is a pooling layer's")
        kind = "pool_ceil"
    out = word_settings(word, [k_ for k_, v in out.items() if v == "?"], out) \
        if isinstance(word, str) else out
    return {"kind": kind, **out}


def _inputs_for(tail: Sequence[Mapping[str, Any]], o: int) -> list[int]:
    """Every input size the fixed layers ``tail`` take to ``o`` (exact, from the last
    layer back), at most :data:`MAX_PARTIAL` of them."""
    from ._numeric import solve
    targets = [o]
    for spec in reversed(tail):
        kind = spec.get("kind", "conv")
        found: set[int] = set()
        for t in targets:
            sol = solve(kind, "i", o=t, **{k_: v for k_, v in spec.items() if k_ != "kind"})
            if sol.set is None or not sol.set.bounded:
                raise UsageError(f"the input sizes of a fixed layer ({kind}) that give {t} "
                                 "are not bounded: put the unknowns in the last layer")
            found.update(sol.set)
            if len(found) > MAX_PARTIAL:
                raise UsageError(f"more than {MAX_PARTIAL} input sizes of the fixed layers "
                                 "after the last unknown give o: put an unknown later")
        targets = sorted(found)
    return targets


def _check_params(params: Any) -> None:
    """``params`` of a family's values: a dict of its symbols' values, or None."""
    if params is not None and not isinstance(params, Mapping):
        raise UsageError(f"params are the family's symbols and their values, a dict "
                         f"(params={{'i': 32}}), got {params!r:.40}")


def _chain_space(layers: Sequence[Mapping[str, Any]], per: Sequence[Mapping[str, Any]],
                 i: int, o: int, options: Any, checked: int) -> DesignSpace:
    """A chain's design space: its unknowns under their layers' names (``k1``, ``s2``), in
    layer order (each option names them so; an empty space has no option to read them
    from), its bounds, and its options."""
    names = tuple(f"{k_}{n}" for n, spec in enumerate(layers, start=1)
                  for k_, v in spec.items() if v == "?")
    return DesignSpace("chain", names, {"i": i, "o": o}, _chain_bounds(layers, per),
                       options, checked, {"layers": [dict(spec) for spec in layers]})


def _joined(parts: Sequence[DesignSpace], layers: Sequence[Mapping[str, Any]], i: int,
            o: int, per: Sequence[Mapping[str, Any]]) -> DesignSpace:
    """The design spaces of one chain for several targets, as one."""
    options = tuple(opt for part in parts for opt in part.options)
    return _chain_space(layers, per, i, o, options, sum(part.checked for part in parts))


def _chain_bounds(layers: Sequence[Mapping[str, Any]], per: Sequence[Mapping[str, Any]]
                  ) -> dict[str, tuple[int, int]]:
    """The bounds of a chain's unknowns under their layer names (``k1``), the last
    unknown's only when it is bounded (it is solved, not walked)."""
    names = [(f"{k_}{n}", k_, n) for n, spec in enumerate(layers, start=1)
             for k_, v in spec.items() if v == "?"]
    last = names[-1][0] if names else None
    return {name: _bounds([k_], per[n - 1])[k_] for name, k_, n in names
            if name != last or k_ in per[n - 1]}


def _chain_design(layers: Sequence[Mapping[str, Any]], i: int, o: int,
                  per: Sequence[Mapping[str, Any]], budget: Budget) -> DesignSpace:
    """:func:`chain_design` where the last layer has an unknown (``per``: each layer's
    bounds)."""
    try:
        with _bulk():
            fast = _chain_vector(layers, i, o, per, budget)
    except (OverflowError, DomainError):         # values past int64's safe range
        fast = None
    if fast is not None:
        return fast
    from ._symbolic import solve_one
    sizes: dict[int, list[dict[str, int]]] = {i: [{}]}
    checked = 0
    for n, spec in enumerate(layers[:-1], start=1):
        rel = get_relation(spec.get("kind", "conv"))
        unknown = [k_ for k_, v in spec.items() if v == "?"]
        bnd = _bounds(unknown, per[n - 1])
        _check_size({**bnd, "sizes": (1, len(sizes))}, f"layer {n} over its input sizes")
        new: dict[int, list[dict[str, int]]] = {}
        partial = 0
        fn = rel.function(checked=True)
        for size, prefixes in sizes.items():
            for values in itertools.product(*(range(lo, hi + 1) for lo, hi in bnd.values())):
                checked += 1
                _walk(budget)
                env = {**_LAYER_DEFAULTS,
                       **{k_: v for k_, v in spec.items() if k_ != "kind" and v != "?"},
                       **dict(zip(unknown, values, strict=True)), "i": size}
                out = fn(*[env[x] for x in rel.inputs])
                if out:
                    tag = {f"{k_}{n}": v for k_, v in zip(unknown, values, strict=True)}
                    new.setdefault(out, []).extend({**pre, **tag} for pre in prefixes)
                    partial += len(prefixes)
                    _check_partial(partial, n, checked)
        sizes = new
        _check_layer_total(sum(len(v) for v in sizes.values()), n)
    last = layers[-1]
    n_last = len(layers)
    unknown = [k_ for k_, v in last.items() if v == "?"]
    known = {k_: v for k_, v in last.items() if k_ != "kind" and v != "?"}
    options = []
    *enumerated, last_unknown = unknown
    bnd = _bounds(enumerated, per[-1])
    kind = last.get("kind", "conv")
    fast = _fast_solver(kind, last_unknown, [*unknown, "i"], {**known, "o": o})
    last_cut = (IntSet.closed(*_bounds([last_unknown], per[-1])[last_unknown])
                if last_unknown in per[-1] else None)
    for size, prefixes in sizes.items():
        for values in itertools.product(*(range(lo, hi + 1) for lo, hi in bnd.values())):
            checked += 1
            _walk(budget)
            fixed = dict(zip(enumerated, values, strict=True))
            sol = fast({**fixed, "i": size}) if fast is not None else None
            if sol is None:
                try:
                    sol = solve_one(kind, last_unknown, {**known, **fixed, "i": size, "o": o})
                except DomainError:
                    continue
            if sol.kind == "empty":
                continue
            if last_cut is not None and sol.set is not None:
                cut = sol.set & last_cut
                if not cut:
                    continue
                sol = replace(sol, set=cut, kind="finite" if cut.bounded and cut.size() <= 1000
                              else "range")
            for pre in prefixes:
                tag = {**pre, **{f"{k_}{n_last}": v for k_, v in fixed.items()}}
                options.append(Option(tag, f"{last_unknown}{n_last}", sol))
    return _chain_space(layers, per, i, o, tuple(options), checked)


def _chain_vector(layers: Sequence[Mapping[str, Any]], i: int, o: int,
                  per: Sequence[Mapping[str, Any]], budget: Budget) -> DesignSpace | None:
    """:func:`chain_design` as a dynamic programme over intermediate sizes, in numpy.

    Each layer but the last is evaluated at once over (input sizes x its enumerated
    values) with the relation's batch evaluation, and its designs grouped by the size
    they produce; the last layer's last unknown is solved for every (size, values) row
    at once (:func:`_vector_solver`).  The same options, in the same order, as the
    Python loops; None (use them) when numpy is absent or a layer is outside the
    shortcut.
    """
    try:
        import numpy as np
    except ImportError:
        return None
    # the partial designs, grouped by the size they produce: group g (size sizes[g]) is
    # rows starts[g]:starts[g + 1] of the columns, each group in the Python loops' order
    sizes = np.array([i], dtype=np.int64)
    starts = np.array([0, 1], dtype=np.int64)
    table: dict[str, Any] = {}
    checked = 0
    for n, spec in enumerate(layers[:-1], start=1):
        evaluate, rel_inputs = _layer_batch(spec.get("kind", "conv"))
        unknown = [k_ for k_, v in spec.items() if v == "?"]
        bnd = _bounds(unknown, per[n - 1])
        _check_size({**bnd, "sizes": (1, len(sizes))}, f"layer {n} over its input sizes")
        known = {**_LAYER_DEFAULTS,
                 **{k_: v for k_, v in spec.items() if k_ != "kind" and v != "?"}}
        if evaluate is None or any(abs(v) >= VECTOR_LIMIT for v in known.values()) or (
                len(sizes) and int(sizes.max()) >= VECTOR_LIMIT):
            return None
        grid = _grid({"i": (0, len(sizes) - 1), **bnd})
        rows = len(grid["i"])
        env = {**known, **grid, "i": sizes[grid["i"]]}
        values, valid = evaluate({x: np.broadcast_to(np.asarray(env[x], dtype=np.int64), (rows,))
                                  for x in rel_inputs})
        checked += rows
        _walk(budget, rows)
        hit = np.flatnonzero(valid & (values >= 1))
        group = grid["i"][hit]
        many = starts[group + 1] - starts[group]        # partial designs each hit extends
        total = int(many.sum())
        _check_partial(total, n, checked)
        _check_layer_total(total, n)
        # every hit, in order, extends each partial design of its input size, in order
        of_hit = np.repeat(np.arange(len(hit)), many)
        member = np.arange(total) + np.repeat(starts[group] - (np.cumsum(many) - many), many)
        out = values[hit][of_hit]
        table = {**{c: a[member] for c, a in table.items()},
                 **{f"{k_}{n}": grid[k_][hit][of_hit] for k_ in unknown}}
        # grouped by output size, the groups in order of first appearance, stable within
        found_sizes, first, inverse = np.unique(out, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        key = rank[inverse.ravel()]
        perm = np.argsort(key, kind="stable")
        table = {c: a[perm] for c, a in table.items()}
        sizes = found_sizes[order]
        starts = np.concatenate(([0], np.cumsum(np.bincount(key, minlength=len(order)))))
    last = layers[-1]
    n_last = len(layers)
    unknown = [k_ for k_, v in last.items() if v == "?"]
    known = {k_: v for k_, v in last.items() if k_ != "kind" and v != "?"}
    *enumerated, last_unknown = unknown
    bnd = _bounds(enumerated, per[-1])
    kind = last.get("kind", "conv")
    cut = _bounds([last_unknown], per[-1])[last_unknown] if last_unknown in per[-1] \
        else None
    name = f"{last_unknown}{n_last}"
    solved: list[tuple[_Found, list[int], Any]] = []
    listed = 0
    if len(sizes):
        vector = _vector_solver(kind, last_unknown, [*unknown, "i"], {**known, "o": o})
        if vector is None:
            return None
        per_size = _rows(bnd)
        step = max(1, CHUNK_ROWS // per_size)
        for first_at in range(0, len(sizes), step):    # bounded memory, the budget checked
            last_at = min(len(sizes), first_at + step) - 1
            axes = {"i": sizes[first_at:last_at + 1], **_axes(bnd)}
            here = (last_at - first_at + 1) * per_size
            checked += here
            _walk(budget, here)
            found = vector(axes, cut)
            at = found.rows // per_size + first_at          # each kept row's size
            weights = starts[at + 1] - starts[at]           # options per kept row
            listed += int(weights.sum())
            _check_listing(budget, listed, checked)
            solved.append((found, at.tolist(), weights))
    columns = list(table)

    def build(timed: bool) -> tuple[Option, ...]:
        prefixes: list[dict[str, int]] = (
            [dict(zip(columns, v, strict=True))
             for v in zip(*(table[c].tolist() for c in columns), strict=True)]
            if columns else [{}] * int(starts[-1]))
        bounds_at = starts.tolist()
        options: list[Option] = []
        next_check = 4096
        for found, at_list, _ in solved:
            for row, env, sol in _solutions(found, [*enumerated, "i"], last_unknown, kind,
                                            {**known, "o": o}, budget, cut, True):
                tag = {f"{k_}{n_last}": env[k_] for k_ in enumerated}
                if timed and len(options) >= next_check:    # the deadline, now and then
                    _check_listing(budget, len(options), checked)
                    next_check = len(options) + 4096
                g = at_list[row]
                options.extend(Option._of({**pre, **tag}, name, sol)
                               for pre in prefixes[bounds_at[g]:bounds_at[g + 1]])
        return tuple(options)
    listing: tuple[Option, ...] | _Deferred
    if any(found.scalar.any() for found, *_ in solved):     # rows the scalar path solves:
        listing = build(True)                                # now, within the budget
    else:
        counts = [_found_count(found, weights.tolist()) for found, _, weights in solved]
        listing = _Deferred(listed, None if None in counts else sum(cast(list[int], counts)),
                            lambda: build(False))
    return _chain_space(layers, per, i, o, listing, checked)
