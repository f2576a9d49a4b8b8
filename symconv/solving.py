r"""Exact integer solution sets of one unknown of a relation: the numeric solver.

:func:`prepare` reads a query, :func:`solve_numeric` answers it; the entry point
:func:`symconv.query.solve` takes a relation, the givens (integers, per-axis lists, or
formulas in the canonical symbols) and one unknown, and returns a
:class:`Solution`: the complete set of integers that satisfy the relation and
its conditions.  Floors are eliminated into linear integer inequalities
(:mod:`symconv._elimination`); every answer is put back into the relation
before it is returned.

>>> from symconv import solve
>>> solve("conv", i=224, k=7, s=2, o=112)
Solution(p = 3)
>>> solve("conv", o=112, k=7, s=2, p=3).values
(223, 224)
>>> solve("conv", i=224, k=7, p=3, o=1)
Solution(s >= 224)
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from ._elimination import Branch, Clause, Plan, atom_set, atom_text, plan
from ._exact import Inexact, compile_expr
from ._gate import MAX_AXES, as_int, short, substitute_known
from ._intervals import IntSet
from ._values import parse_formula
from .errors import DomainError, SymconvError, UndecidedError, UnknownNameError, UsageError
from .frameworks import split_extra_at_end
from .relations import Relation, relation
from .solution import FINITE_LIMIT, AxisSolutions, Solution, default_note, describe
from .symbols import DOMAIN_MIN, SYMBOLS, a, b, canonical, d, g, p, p_l, p_r
from .symbols import n as n_axes

__all__ = ["Solution", "AxisSolutions", "Query", "prepare", "solve_numeric", "relation_and_givens",
           "DEFAULTS", "FINITE_LIMIT", "describe"]

DEFAULTS: dict[sympy.Symbol, int] = {d: 1, a: 0, g: 1, b: 1}
"""Values taken when omitted, as in PyTorch's constructors (bias on)."""

# --- reading the givens ---------------------------------------------------------

def _check_number(sym: sympy.Symbol, value: Any) -> Any:
    if isinstance(value, bool):
        if sym == b:
            return int(value)
        raise DomainError(f"{describe(sym)} must be an integer, got {value!r}")
    if not isinstance(value, (int, str, sympy.Basic)) and hasattr(type(value), "__index__"):
        value = as_int(describe(sym), value)        # numpy integers are integers
    if isinstance(value, sympy.Integer):
        value = int(value)
    if isinstance(value, int):
        if sym == n_axes and value > MAX_AXES:
            raise DomainError(f"{describe(sym)} must be at most {MAX_AXES}, got "
                              f"{short(value)} (k^n would not fit in memory)")
        return as_int(describe(sym), value, DOMAIN_MIN.get(sym, 0))
    if isinstance(value, str):
        value = parse_formula(value)
        return _check_number(sym, value)
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            # sympy.true, an Eq, a set: no size (sympy's comparison error otherwise)
            raise DomainError(f"{describe(sym)} must be an integer or a formula, got {value} "
                              f"({type(value).__name__})")
        if isinstance(value, sympy.Rational) or value.is_number:
            raise DomainError(f"{describe(sym)} must be an integer, got {value}")
        if value.has(sympy.Float):
            # 2.0*i read as a formula: a float in an answer (p = 1.0*(0.5*i + 1.0))
            shown = next(iter(value.atoms(sympy.Float)))
            raise DomainError(f"{describe(sym)} = {value} holds the float {shown}: write exact "
                              "integers or fractions (2*i, i/2)")
        unknown = [x for x in value.free_symbols if x not in set(SYMBOLS.values())]
        if unknown:
            same = SYMBOLS.get(str(unknown[0]))
            raise UnknownNameError(
                f"{describe(sym)} = {value} uses {unknown[0]}, which is not "
                + (f"symconv's {unknown[0]} (a Symbol of other assumptions): use sc.{unknown[0]}"
                   f" or the text '{value}'" if same is not None and str(unknown[0]).isidentifier()
                   else f"a canonical symbol (known: {', '.join(SYMBOLS)})"))
        return value
    raise DomainError(f"{describe(sym)} must be an integer, got {value!r} "
                      f"({type(value).__name__})")


def _given(kwargs: Mapping[str, Any]) -> dict[sympy.Symbol, Any]:
    out: dict[sympy.Symbol, Any] = {}
    written: dict[sympy.Symbol, str] = {}
    for name, value in kwargs.items():
        sym = canonical(name)
        if sym in out:
            raise UsageError(f"{sym} given twice (as {written[sym]!r} and {name!r}): give it "
                             "once")
        written[sym] = name
        if isinstance(value, (list, tuple)):
            out[sym] = tuple(_check_number(sym, v) for v in value)
            if not out[sym]:
                raise DomainError(f"{describe(sym)}: an empty per-axis list")
        else:
            out[sym] = _check_number(sym, value)
    return out


def _pick_relation(rel: str | Relation, given: Mapping[sympy.Symbol, Any], ceil_mode: bool
                   ) -> Relation:
    r = relation(rel, ceil_mode=ceil_mode)
    if (p_l in given or p_r in given) and r.name in ("conv", "conv_transpose"):
        if p in given:
            raise UsageError("give either symmetric padding p or p_l and p_r, not both")
        r = relation(r.name, asymmetric=True)
    return r


# --- solving ----------------------------------------------------------------------

def relation_and_givens(rel: str | Relation, given: Mapping[str, Any], ceil_mode: bool
                        ) -> tuple[Relation, dict[sympy.Symbol, Any]]:
    """The relation asked for and the givens read, each checked to be one of its variables."""
    read = _given(given)
    gv = substitute_known(read)
    for sym, v in gv.items():
        if v is not read[sym] and (isinstance(v, int) or v.is_number):
            # a formula that the integer givens make a number: checked as a number is
            try:
                _check_number(sym, v)
            except DomainError as exc:
                raise DomainError(f"{sym} = {read[sym]} gives {v} here: {exc}") from None
    r = _pick_relation(rel, gv, ceil_mode)
    names = r.variable_names
    for sym in gv:
        if sym.name not in names:
            raise UnknownNameError(
                f"relation {r.name!r} has no variable {sym.name!r}; "
                f"its variables are {', '.join(sorted(names))}")
    return r, gv


@dataclass(frozen=True)
class Query:
    """One unknown of one relation with its givens read: numeric or symbolic."""

    relation: Relation
    unknown: sympy.Symbol
    given: Mapping[sympy.Symbol, Any]
    given_out: Mapping[str, Any]
    plan: Plan | None     # None: no elimination plan; a numeric query is searched instead
    symbolic: bool
    note: str = ""
    unplanned: str = ""   # why there is no plan (said when the search cannot answer either)


def prepare(rel: str | Relation, unknown: str | None, given: Mapping[str, Any],
            ceil_mode: bool = False) -> Query:
    """Read one axis's givens, choose the unknown, fill defaults and plan the elimination."""
    r, gv = relation_and_givens(rel, given, ceil_mode)
    names = r.variable_names
    user_given = {sym.name for sym in gv}
    asked = canonical(unknown) if isinstance(unknown, str) else None
    notes = []
    numeric = all(isinstance(v, int) for v in gv.values())
    for var, source in r.defaults_to:     # pooling's stride is its kernel unless given
        # only in a numeric question: with another variable free the answer is a formula,
        # which keeps the stride a symbol
        left = [v for v in r.ordered_variables
                if v not in gv and v not in DEFAULTS and v not in (var, asked)]
        if numeric and var not in gv and var != asked and source in gv and \
                len(left) == (1 if asked is None else 0):
            gv[var] = gv[source]
            notes.append(default_note(var.name, source.name, gv[source], r.name))
    if any(isinstance(v, tuple) for v in gv.values()):
        raise UsageError("one axis at a time: give scalars, not per-axis lists")
    if unknown is not None:
        x = canonical(unknown)
        if x.name not in names:
            raise UnknownNameError(f"relation {r.name!r} has no variable {x.name!r}; "
                                   f"its variables are {', '.join(sorted(names))}")
        if x in gv:
            raise UsageError(f"{x} is both given and asked for: drop {x}={gv[x]} or --for {x}")
    missing = [v for v in r.ordered_variables if v not in gv]
    free = [v for v in missing if v not in DEFAULTS]
    if unknown is None:
        if len(free) == 1:
            x = free[0]
        elif not free:
            defaulted = [v.name for v in missing]
            raise UsageError(
                f"nothing to solve for in {r.name!r}: every variable is given"
                + (f" or defaulted ({', '.join(defaulted)}); name one with --for"
                   if defaulted else "; leave one out"))
        else:
            raise UsageError(f"{len(free)} unknowns in {r.name!r}: "
                             f"{', '.join(v.name for v in free)}; give all but one, "
                             "or name the one to solve for (--for on the command line, unknown= in Python)")
    for sym, v in gv.items():
        if isinstance(v, sympy.Basic) and sym in v.free_symbols:
            raise UsageError(f"{sym} = {v} mentions {sym} itself: give {sym} as an integer or "
                             "a formula in other variables")
        if isinstance(v, sympy.Basic) and x in v.free_symbols:
            raise UsageError(f"{sym} = {v} mentions the unknown {x}: a given cannot depend on "
                             f"what is solved for; give {sym} without {x}")
        named = sorted((w for w in gv if isinstance(v, sympy.Basic) and w in v.free_symbols),
                       key=str)
        if named:       # s = k - 1 with k = 2p: a chain (or a circle) of formulas
            w = named[0]
            raise UsageError(f"{sym} = {v} mentions {w}, which is given too ({w} = {gv[w]}): "
                             f"give {sym} in the variables left free (put {w}'s value in)")
    symbolic = any(isinstance(v, sympy.Basic) for v in gv.values()) or \
        any(v != x for v in free)
    if not symbolic:
        for v in missing:
            if v != x:
                gv[v] = DEFAULTS[v]
    given_out = {sym.name: v for sym, v in gv.items() if sym.name in user_given}
    try:
        pl = plan(r, x)
    except NotImplementedError as exc:
        why = " ".join(str(exc).split()) or "no closed form"
        if not symbolic:        # numbers: the floors' own structure may still decide it
            return Query(r, x, gv, given_out, None, False, "; ".join(notes), why)
        raise _cannot_solve(r, x, why) from None
    return Query(r, x, gv, given_out, pl, symbolic, "; ".join(notes))


def solve_numeric(q: Query) -> Solution:
    """The complete integer solution set of a numeric query."""
    if q.symbolic:
        raise UsageError(f"{q.unknown} needs the symbolic solver: a given is a formula or a "
                         "variable is free")
    sol = _solve_numeric(q.relation, q.plan, q.unknown, q.given, q.given_out) \
        if q.plan is not None else _searched(q)
    if q.note:
        sol = dataclasses.replace(sol, note="; ".join(filter(None, (sol.note, q.note))))
    return sol


_RANK = {name: n for n, name in enumerate(SYMBOLS)}


def _ordered(vs: frozenset[sympy.Symbol]) -> list[sympy.Symbol]:
    return sorted(vs, key=lambda v: _RANK.get(v.name, len(_RANK)))


def _static_checks(pl: Plan, env: Mapping[str, Any]) -> None:
    for cond, rule, error in pl.static:
        try:
            ok = compile_expr(cond)(env)
        except Inexact:
            ok = False
        if not ok:
            shown = ", ".join(f"{s.name}={env[s.name]}" for s in _ordered(
                frozenset(x for x in cond.free_symbols if isinstance(x, sympy.Symbol)))
                if s.name in env)
            fw = f" (PyTorch: {error!r})" if error else ""
            raise DomainError(f"{rule}; got {shown}{fw}")


def _said(clause: Clause, x: sympy.Symbol, env: Mapping[str, Any]) -> str:
    """A clause's atoms as text in ``x``, or-ed; an atom without ``x`` at ``env`` (``0 >=
    1``, the stride's side of ``a < max(s, d)``), false where the clause bounds ``x``, is
    left out beside one with ``x``."""
    atoms = [t for t in clause.atoms if t.f_alpha(env) != 0] or list(clause.atoms)
    return " or ".join(atom_text(t, x, env) for t in atoms)


def _explain_empty(x: sympy.Symbol, parts: list[tuple[Clause, IntSet]], env: Mapping[str, Any]
                   ) -> str:
    for clause, cs in parts:
        if not cs:
            return f"no integer {x} satisfies {_said(clause, x, env)} (from {clause.origin})"
    lows = [(cs.min, c) for c, cs in parts if cs.min is not None]
    highs = [(cs.max, c) for c, cs in parts if cs.max is not None]
    if lows and highs:
        lo, c_lo = max(lows, key=lambda t: t[0])
        hi, c_hi = min(highs, key=lambda t: t[0])
        if lo > hi:
            t_lo, t_hi = _said(c_lo, x, env), _said(c_hi, x, env)
            if c_lo is c_hi:
                return f"no integer {x} satisfies {t_lo} (from {c_lo.origin})"
            if c_lo.origin == c_hi.origin:
                return f"no integer {x} satisfies both {t_lo} and {t_hi} (from {c_lo.origin})"
            return (f"no integer {x} satisfies both {t_lo} (from {c_lo.origin}) "
                    f"and {t_hi} (from {c_hi.origin})")
    return f"no integer {x} satisfies all constraints together"


def _fast_interval(br: Branch, env: Mapping[str, Any], allow_empty: bool = False
                   ) -> IntSet | None:
    """The common case, without interval objects: single-atom integer clauses only.

    Returns None when a clause needs the general path (a disjunction, fractions) or the
    result is empty (the general path then explains why).
    """
    lo: int | None = None
    hi: int | None = None
    for clause in br.clauses:
        if len(clause.atoms) != 1:
            return None
        atom = clause.atoms[0]
        al, be = atom.f_alpha(env), atom.f_beta(env)
        if type(al) is not int or type(be) is not int:
            return None
        if atom.op == "==":
            if al == 0 or be % al:
                return IntSet.empty() if allow_empty and al != 0 else None
            v = -be // al
            lo = v if lo is None or v > lo else lo
            hi = v if hi is None or v < hi else hi
        elif al > 0:
            v = -(be // al)
            lo = v if lo is None or v > lo else lo
        elif al < 0:
            v = be // -al
            hi = v if hi is None or v < hi else hi
        elif be < 0:
            return IntSet.empty() if allow_empty else None
    if lo is not None and hi is not None and lo > hi:
        return IntSet.empty() if allow_empty else None
    return IntSet(((lo, hi),))


def _branch_set(br: Branch, x: sympy.Symbol, env: Mapping[str, Any]) -> tuple[IntSet, str]:
    if not all(compile_expr(gd)(env) for gd in br.guards):
        return IntSet.empty(), "the case condition does not hold"
    if br.roots is None and not br.filters:
        fast = _fast_interval(br, env)
        if fast is not None:
            return fast, ""
    parts: list[tuple[Clause, IntSet]] = []
    if br.roots is not None:
        found, degenerate = set(), False
        for root in br.roots:
            try:
                v = compile_expr(root)(env)
            except Inexact:
                degenerate = True
                continue
            if isinstance(v, int):
                found.add(v)
        cand = IntSet._normal([(v, v) for v in found])
        if degenerate and br.equation is not None:
            # a closed form undefined here (log base 1, 0/0): the givens may make the
            # equation free of x; then it holds for every x or for none
            residue = sympy.simplify(br.equation.subs({sympy.Symbol(k_, **_assumptions(k_)): v_
                                                       for k_, v_ in env.items()}))
            if not residue.has(x):
                cand = IntSet.everything() if residue == 0 else IntSet.empty()
        parts = []
    else:
        cand = IntSet.everything()
    for clause in br.clauses:
        cs = IntSet.empty()
        for atom in clause.atoms:
            cs = cs | atom_set(atom, env)
        parts.append((clause, cs))
        cand = cand & cs
    if not cand:
        if br.roots is not None:
            return cand, f"no integer {x} solves {br.roots and 'the equation' or 'it'} " \
                         "within the domain and conditions"
        return cand, _explain_empty(x, parts, env)
    if br.filters:
        if not cand.bounded or cand.size() > 10 * FINITE_LIMIT:
            raise UsageError(f"{x}: too many candidates to check {br.filters[0][1]}; "
                             f"bound {x} by giving more variables")
        checks = [(compile_expr(f), rule) for f, rule in br.filters]
        keep = [v for v in cand if all(ok({**env, x.name: v}) for ok, _ in checks)]
        if not keep:
            # each candidate and the first rule it breaks (the first rule alone may hold)
            broken = [(v, next(rule for ok, rule in checks if not ok({**env, x.name: v})))
                      for v in itertools.islice(cand, 5)]
            shown = "; ".join(f"{x} = {v} breaks {rule}" for v, rule in broken)
            more = "" if len(cand) <= 5 else f" (and {len(cand) - 5} more candidates)"
            return IntSet.empty(), f"no candidate satisfies every rule: {shown}{more}"
        cand = IntSet._normal([(v, v) for v in keep])
    return cand, ""


def _assumptions(name: str) -> dict[str, bool]:
    return SYMBOLS[name].assumptions0 if name in SYMBOLS else {}


def _holds(r: Relation, env: Mapping[str, Any]) -> bool:
    try:
        if compile_expr(r.rhs)(env) != env[r.lhs.name]:
            return False
        return all(compile_expr(c.expr)(env) for c in r.conditions)
    except Inexact:
        return False


def _verify(r: Relation, x: sympy.Symbol, sol: IntSet, env: Mapping[str, Any]) -> str:
    """Put the answer back into the relation: every value if few, else the ends."""
    lo = DOMAIN_MIN.get(x, 0)
    if sol.bounded and sol.size() <= FINITE_LIMIT:
        probe_in = list(sol)
    else:
        probe_in = [v for iv in sol.intervals for v in iv if v is not None]
    for v in probe_in:
        if not _holds(r, {**env, x.name: v}):
            raise RuntimeError(f"symconv internal error: {x}={v} was derived for {r.name} "
                               f"but does not satisfy it at {dict(env)}; please report")
    outside = [e + step for lo_hi in sol.intervals for e, step in zip(lo_hi, (-1, 1), strict=True)
               if e is not None]
    for v in outside:
        if v >= lo and v not in sol and _holds(r, {**env, x.name: v}):
            raise RuntimeError(f"symconv internal error: {x}={v} satisfies {r.name} at "
                               f"{dict(env)} but was left out; please report")
    return "substitution"


def _cannot_solve(r: Relation, x: sympy.Symbol, why: str) -> UndecidedError:
    """The refusal of a numeric question neither the elimination nor the search answers."""
    return UndecidedError(f"symconv cannot solve {r.name!r} for {x.name} ({why}); give "
                          f"{x.name} and solve for another variable")


SEARCHED = 100_000
"""Most values of an unknown :func:`_searched` puts into its relation one by one."""


def _searched(q: Query) -> Solution:
    """A numeric question with no elimination plan (``pad_same_tf`` for ``s`` or ``i``),
    answered from the floors' structure, or undecided saying why.

    * The unknown ``x`` only below numeric numerators, ``floor(c/x)``, ``ceiling(c/x)``
      (``0 <= c``): for ``x > C``, the largest ``c``, each is ``0`` or ``1`` (``ceiling(c/x)
      = 1`` for ``0 < c < x``), so the relation there holds for every ``x`` or for none
      when what is left does not depend on ``x``; ``x`` up to ``C`` is put in one by one.
    * ``x`` only in numerators over numeric denominators, ``floor((a x + b)/m)``: with
      ``P`` the least common multiple of the denominators of ``x``'s coefficients, the
      right side at ``x + P`` equals it at ``x`` (shown by sympy, the floors taking out
      their integer parts), so the answer is residue classes mod ``P``: all of them (a
      range), none (empty), or some (undecided: a periodic set is no union of intervals,
      and the message gives it).

    Every value and each end is put back into the relation (:func:`_verify`).
    """
    r, x = q.relation, q.unknown
    env = {sym.name: v for sym, v in q.given.items()}
    lo = DOMAIN_MIN.get(x, 0)
    at = {sym: sympy.Integer(v) for sym, v in q.given.items() if sym != r.lhs}
    rhs = r.rhs.xreplace(at)
    target = q.given.get(r.lhs)
    floors = rhs.atoms(sympy.floor, sympy.ceiling)

    def stop(why: str) -> UndecidedError:
        return _cannot_solve(r, x, why)

    def holds(v: int) -> bool:
        return _holds(r, {**env, x.name: v})

    if target is None or r.conditions:
        raise stop(q.unplanned)
    parts = [f.args[0].as_numer_denom() for f in floors]
    if parts and all(not n.has(x) and n.is_Integer and n >= 0 and d == x for n, d in parts):
        top = max(int(n) for n, _ in parts)
        tail = rhs.xreplace({f: (sympy.Integer(0) if isinstance(f, sympy.floor) or
                                 f.args[0].as_numer_denom()[0] == 0 else sympy.Integer(1))
                             for f in floors})
        if tail.has(x):
            raise stop(q.unplanned)
        if top - lo + 1 > SEARCHED:
            raise stop(f"{x.name} up to {top} put in one by one: more than {SEARCHED} values")
        found = IntSet.of_values(v for v in range(lo, top + 1) if holds(v))
        why = (f"no integer {x.name} >= {lo} gives {r.lhs} = {target} (each {x.name} up to "
               f"{top} put in; past it the relation no longer depends on {x.name})")
        if tail == target:
            found = found | IntSet.at_least(max(top + 1, lo))
    else:
        args = [f.args[0].expand() for f in floors]
        if any(not a.is_polynomial(x) or sympy.degree(a, x) > 1 or a.coeff(x).free_symbols
               or not a.coeff(x).is_Rational for a in args):
            raise stop(q.unplanned)
        coeffs = [sympy.Rational(a.coeff(x)) for a in args]
        period = functools.reduce(lambda m, c: int(sympy.ilcm(m, c.q)), coeffs, 1)
        if sympy.expand(rhs.xreplace({x: x + period}) - rhs) != 0:
            raise stop(q.unplanned)
        if period > SEARCHED:
            raise stop(f"it repeats every {period} values of {x.name}, more than {SEARCHED} "
                       "to put in")
        classes = sorted(v % period for v in range(lo, lo + period) if holds(v))
        if len(classes) == period:
            found = IntSet.at_least(lo)
        elif not classes:
            found = IntSet.empty()
            why = (f"no residue of {x.name} mod {period} gives {r.lhs} = {target} (the right "
                   f"side repeats every {period}, shown symbolically; each residue put in)")
        else:
            listed = ", ".join(map(str, classes)) if len(classes) <= 24 else \
                ", ".join(map(str, classes[:12])) + f", ... ({len(classes)} of {period})"
            raise UndecidedError(
                f"{r.name} for {x.name}: every {x.name} >= {lo} with {x.name} mod {period} in "
                f"{{{listed}}} (the right side repeats every {period}, shown symbolically): a "
                "periodic set, which an answer of intervals does not hold; give "
                f"{x.name} and solve for another variable")
    verified = _verify(r, x, found, env)
    kind = "empty" if not found else "finite" if found.bounded and \
        found.size() <= FINITE_LIMIT else "range"
    reason = "" if found else why
    defaults = {sym.name: v for sym, v in q.given.items() if sym.name not in q.given_out}
    return Solution(r.name, x, kind, q.given_out, set=found, reason=reason,
                    verified=verified, defaults=defaults)


def _solve_numeric(r: Relation, pl: Plan, x: sympy.Symbol, gv: Mapping[sympy.Symbol, Any],
                   given_out: Mapping[str, Any]) -> Solution:
    env = {sym.name: v for sym, v in gv.items()}
    _static_checks(pl, env)
    if pl.evaluate:
        try:
            value = compile_expr(r.rhs)(env)
        except Inexact as exc:
            raise DomainError(f"{r.name} is undefined here: {exc}") from None
        lo = DOMAIN_MIN.get(x, 0)
        if not isinstance(value, int) or value < lo:
            raise DomainError(f"{describe(x)} would be {value}, and it must be an integer "
                              f">= {lo}; the other values are not a valid {r.name}")
        sol_set = IntSet.point(value)
        reason = ""
    else:
        sol_set, reasons = IntSet.empty(), []
        for br in pl.branches:
            part, why = _branch_set(br, x, env)
            sol_set = sol_set | part
            if why:
                reasons.append(why)
        reason = "" if sol_set else "; ".join(dict.fromkeys(reasons))
    verified = _verify(r, x, sol_set, env)
    if not sol_set:
        kind = "empty"
    elif sol_set.bounded and sol_set.size() <= FINITE_LIMIT:
        kind = "finite"
    else:
        kind = "range"
    split: tuple[tuple[int, int], ...] = ()
    if kind == "empty" and x == p and r.name in ("conv", "pool", "conv_transpose"):
        split = _asymmetric_split(r, env)
        if split:
            pairs = " or ".join(f"p_l={left}, p_r={right}" for left, right in split[:4])
            totals = sorted({left + right for left, right in split})
            even = [left for left, right in split if left == right]
            if r.name == "pool" and even:
                # the total splits evenly: PyTorch's 2p <= k is what refuses it
                reason += (f"; the symmetric padding that gives it (p={even[0]}) is over half "
                           f"the kernel, which PyTorch's pooling refuses (2p <= k); pad first "
                           f"(F.pad, then padding 0; sizes only: F.pad pads zeros where max "
                           f"pooling pads -inf): {pairs}")
            else:
                why = (f"the total padding it needs is odd ({', '.join(map(str, totals[:4]))})"
                       if all(t % 2 for t in totals) else "no total splits evenly")
                reason += (f"; no symmetric padding exists: {why}; "
                           f"asymmetric split (extra at the end, as PyTorch and TF): {pairs}")
    defaults = {sym.name: v for sym, v in gv.items() if sym.name not in given_out}
    return Solution(r.name, x, kind, given_out, set=sol_set, reason=reason, split=split,
                    verified=verified, defaults=defaults)


def _asymmetric_split(r: Relation, env: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    """Totals T = p_l + p_r that work (via the asymmetric relation), split T//2, T - T//2."""
    asym = relation(r.name, asymmetric=True) if r.name != "pool" else relation("conv_asym")
    env2 = {k_: v for k_, v in env.items() if k_ != "p"}
    env2["p_l"] = 0
    pl2 = plan(asym, p_r)
    try:
        _static_checks(pl2, env2)
    except SymconvError:
        return ()
    totals = IntSet.empty()
    for br in pl2.branches:
        totals = totals | _branch_set(br, p_r, env2)[0]
    if not totals or not totals.bounded or totals.size() > FINITE_LIMIT:
        return ()
    return tuple(split_extra_at_end(t) for t in itertools.islice(totals, FINITE_LIMIT))


def __getattr__(name: str) -> Any:
    """``solve``/``solve_one`` moved up to :mod:`symconv.query` (the entry point above this
    solver); the old names keep working for code written before the move."""
    if name in ("solve", "solve_one"):
        from . import query
        return getattr(query, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
