"""Symbolic solutions: the same plan as the numeric solver, read with sympy values.

The linear constraints ``alpha x + beta >= 0`` of :mod:`symconv._elimination`
are evaluated with the givens substituted; the sign of ``alpha`` is decided
from the symbols' assumptions, bounds that coincide give a point (with the
divisibility condition that makes it an integer), and what sympy cannot decide
is kept as a condition of the answer.  The answer is then put back into the
relation and simplified; where sympy cannot close that, it is checked against
the numeric solver on a grid of values of its symbols (and says so in
``Solution.verified``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import sympy

from ._budget import Budget
from ._decide import decide
from ._elimination import Plan
from ._mod import Mod
from .errors import DomainError, SymconvError, UndecidedError, UsageError
from .relations import Relation
from .solution import Solution, condition_text, variable_value
from .solving import prepare, solve_numeric
from .symbols import DOMAIN_MIN, p, p_l, p_r

__all__ = ["solve_symbolic", "GRID_POINTS"]

GRID_POINTS = 150
"""How many grid points check a symbolic answer sympy cannot verify by substitution."""
GRID_SPAN = 4096
"""The longest range of values a grid point of that check lists (a longer one, as
``k**(k**2)`` at ``k = 4`` gives, is not checked there)."""


def _decide(rel: sympy.Basic) -> bool | None:
    """True/False if sympy can decide ``rel`` under the symbols' assumptions."""
    if rel in (sympy.true, sympy.false):
        return bool(rel)
    try:
        return _decided(rel)
    except (TypeError, ValueError):     # sympy cannot compare (a NaN, an undetermined case)
        return None


def _decided(rel: sympy.Basic) -> bool | None:
    if isinstance(rel, sympy.core.relational.Relational) and rel.rel_op in ("<", "<=", ">", ">="):
        # x < max(a, b) is x < a or x < b; x > max(a, b) is x > a and x > b (min: the other
        # way): each part decided alone (a = s + d against max(s, d))
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
        lhs, rhs, op = rel.lhs, rel.rhs, rel.rel_op
        if isinstance(lhs, (sympy.Max, sympy.Min)) and not isinstance(rhs, (sympy.Max, sympy.Min)):
            lhs, rhs, op = rhs, lhs, flipped[op]
        if isinstance(rhs, (sympy.Max, sympy.Min)):
            parts = [_decide(sympy.core.relational.Relational(lhs, arg, op, evaluate=False))
                     for arg in rhs.args]
            anyone = (op in ("<", "<=")) == isinstance(rhs, sympy.Max)
            if anyone:
                return True if True in parts else False if all(p_ is False for p_ in parts) \
                    else None
            return False if False in parts else True if all(p_ is True for p_ in parts) \
                else None
    if isinstance(rel, sympy.core.relational.Relational):
        diff = sympy.simplify(rel.lhs - rel.rhs)
        verdict = _sign(diff, rel.rel_op)
        if verdict is None and diff.free_symbols:
            # each symbol from its least value (k = 1 + k_, k_ >= 0): sympy reads k + 2d - 2
            # as k_ + 2 d_ + 1, positive, where k >= 1 alone is not enough for it
            shifted = diff.subs({x: sympy.Symbol(f"{x.name}_", integer=True, nonnegative=True)
                                 + DOMAIN_MIN[x] for x in diff.free_symbols
                                 if DOMAIN_MIN.get(x, 0) > 0}, simultaneous=True)
            verdict = _sign(sympy.expand(shifted), rel.rel_op)
        return verdict
    simplified = sympy.simplify(rel)
    if simplified in (sympy.true, sympy.false):
        return bool(simplified)
    return None


def _sign(diff: sympy.Expr, op: str) -> bool | None:
    """Whether ``diff op 0`` holds, as sympy's assumptions decide it (None: undecided)."""
    zero = diff.is_zero
    return {">=": diff.is_nonnegative, ">": diff.is_positive, "<=": diff.is_nonpositive,
            "<": diff.is_negative, "==": zero, "!=": None if zero is None else not zero}[op]


def _integer_condition(v: sympy.Expr) -> sympy.Basic | None:
    if v.is_integer:
        return None
    num, den = sympy.fraction(sympy.factor(v))
    mod = Mod(sympy.factor(num) if den.is_Integer and den != 1 else num, den)
    if mod.is_Number:                   # a number: divisible or not, decided here
        return sympy.true if mod == 0 else sympy.false
    return sympy.Eq(mod, 0, evaluate=False)


def _unsigned(x: sympy.Symbol, al: Any) -> UndecidedError:
    """The refusal of a bound whose coefficient of ``x`` has no sign the givens decide."""
    # 2*p is never negative: whether it is 0 or positive is what is open
    what = f"whether {al} is 0 or positive" if getattr(al, "is_nonnegative", None) else \
        f"whether {al} is 0 or negative" if getattr(al, "is_nonpositive", None) else \
        f"the sign of {al}"
    return UndecidedError(f"solving for {x}: {what} is not determined by the givens; give "
                          "its symbols values")


def _range(x: sympy.Symbol, low: Any, high: Any) -> sympy.Basic:
    """``low <= x <= high`` (either end may be None: open); a bound its symbol's domain
    makes true stays written (``d >= 1`` is the answer, not ``True``)."""
    return sympy.And(*(c for c in (sympy.Ge(x, low, evaluate=False) if low is not None else None,
                                   sympy.Le(x, high, evaluate=False) if high is not None else None)
                       if c is not None))


class _MayVanish(Exception):
    """A bound's coefficient of the unknown is 0 or of one sign (``1 - k``)."""

    def __init__(self, alpha: sympy.Expr) -> None:
        super().__init__(str(alpha))
        self.alpha = alpha


def _case_at(r: Relation, x: sympy.Symbol, v: sympy.Symbol, v0: Any,
             given_out: Mapping[str, Any]) -> Solution | None:
    """The answer where ``v = v0`` (the case a vanishing coefficient of ``x`` sets apart),
    solved as its own question; None where that is refused or undecided."""
    try:
        at = solve_one(r, x.name, {**given_out, v.name: int(v0)})
    except DomainError as exc:
        # the givens with v = v0 break a rule (2p <= k at k = 1): no configuration there
        return Solution(r.name, x, "empty", {**given_out, v.name: int(v0)},
                        verified="symbolic", reason=str(exc))
    except SymconvError:
        return None
    # with v given the question may be numeric, and a numeric question takes PyTorch's
    # defaults (d = 1, a = 0, pooling's s = k): where the answer left them free, that
    # case is not this one (it would drop d >= 2 from "1 <= s if o = 1")
    if at.defaults or "defaults to" in (at.note or ""):
        return None
    return at


def _joined(r: Relation, x: sympy.Symbol, v: sympy.Symbol, v0: Any, at: Solution | None,
            where: str, elsewhere: str, given_out: Mapping[str, Any],
            sub: Mapping[sympy.Symbol, Any]) -> Solution | None:
    """The whole answer when ``x`` has none ``where`` (``v != v0``, or ``v >= v0 + 1`` in
    ``v``'s domain; ``elsewhere`` says why): the
    answer at ``v = v0`` under the condition ``v = v0``, or none at all; None when that
    case is refused or has several values one formula cannot state."""
    if at is None:
        return None
    if at.kind == "empty":
        return Solution(r.name, x, "empty", given_out, verified="symbolic",
                        reason=f"none where {where} ({elsewhere}), nor where {v} = {v0} "
                               f"({at.reason})")
    if at.kind == "symbolic":
        expr, lower, upper, conds = at.expr, at.lower, at.upper, at.conditions
    elif at.kind == "range":
        expr, lower, upper, conds = _range(x, at.min, at.max), at.min, at.max, ()
    elif at.kind == "finite" and at.values is not None and len(at.values) == 1:
        expr, lower, upper, conds = sympy.Integer(at.values[0]), None, None, ()
    else:
        return None
    sol = Solution(r.name, x, "symbolic", given_out, expr=expr, lower=lower, upper=upper,
                   conditions=(sympy.Eq(v, v0), *conds))
    return Solution(r.name, x, "symbolic", given_out, expr=expr, lower=lower, upper=upper,
                    conditions=sol.conditions, verified=_verify_symbolic(r, x, sol, sub),
                    note=at.note)


def solve_symbolic(r: Relation, pl: Plan, x: sympy.Symbol, gv: Mapping[sympy.Symbol, Any],
                   given_out: Mapping[str, Any]) -> Any:
    """The symbolic answer; where a bound's coefficient of ``x`` is ``c (v - v0)`` for a
    free variable ``v`` whose least value is ``v0`` (``d``'s ``1 - k``: 0 at ``k = 1``, of
    one sign above), the answer for ``v >= v0 + 1``, the case ``v = v0`` left to a note.

    That answer is solved with ``v = w + v0 + 1`` for a fresh nonnegative ``w`` (every sign
    then decided) and read back with ``w = v - v0 - 1``: it holds for exactly the ``v``
    above ``v0``, under the condition ``v >= v0 + 1`` it carries, and is checked again
    against the relation with ``v`` free.
    """
    try:
        return _solve_symbolic(r, pl, x, gv, given_out)
    except _MayVanish as vanish:
        al = vanish.alpha
        free = [v for v in al.free_symbols if v in r.variables and v not in gv and v != x]
        if len(free) != 1 or len(al.free_symbols) != 1 or \
                not al.is_polynomial(free[0]) or sympy.degree(al, free[0]) != 1:
            raise _unsigned(x, al) from None
        v = free[0]
        v0 = sympy.solve(al, v)[0]
        if v0 != DOMAIN_MIN.get(v, 0):
            raise _unsigned(x, al) from None
    w = sympy.Dummy("w", integer=True, nonnegative=True)     # fresh: no name it could meet
    above = sympy.Ge(v, v0 + 1)
    note = (f"when {v} = {v0} {x}'s coefficient {al} vanishes and this answer does not "
            f"apply: give {v} = {v0} to solve that case")
    shift = {v: w + v0 + 1}     # in the givens' formulas too (k = s)
    try:
        shifted = _solve_symbolic(r, pl, x, {**{sym: val.subs(shift) if isinstance(
            val, sympy.Basic) else val for sym, val in gv.items()}, **shift}, given_out,
            shift=v)
    except UndecidedError:      # said of what the user gave, never of the fresh w
        raise _unsigned(x, al) from None
    back = {w: v - v0 - 1}
    sub = {sym: sympy.Integer(val) if isinstance(val, int) else val for sym, val in gv.items()}
    at = _case_at(r, x, v, v0, given_out)
    if shifted.kind == "empty":
        why = shifted.reason if str(w) not in shifted.reason else \
            f"no {x} meets its bounds at any such {v}"
        joined = _joined(r, x, v, v0, at, str(above), why, given_out, sub)
        if joined is None:
            raise UsageError(f"{r.name} for {x}: none where {above} ({why}); {note}")
        return joined
    if at is not None and at.kind == "empty":
        note = ""       # none where v = v0: the answer, under v >= v0 + 1, is whole

    def read(e: Any) -> Any:
        if e is None:
            return None
        e = e.subs(back)
        try:        # sympy may stumble on Min(1/(k - 1), ...) at k = 1 in its own checks
            return _simplified(e) if isinstance(e, sympy.core.relational.Relational) \
                else sympy.simplify(e)
        except (TypeError, ValueError):
            return e
    conditions = (above, *(c for c in (read(c) for c in shifted.conditions)
                           if c is not sympy.true))
    lower, upper = read(shifted.lower), read(shifted.upper)
    expr = read(shifted.expr) if lower is None and upper is None else _range(x, lower, upper)
    sol = Solution(r.name, x, "symbolic", given_out, expr=expr, lower=lower, upper=upper,
                   conditions=conditions)
    verified = _verify_symbolic(r, x, sol, sub)
    return Solution(r.name, x, "symbolic", given_out, expr=sol.expr, lower=sol.lower,
                    upper=sol.upper, conditions=conditions, verified=verified,
                    note="; ".join(n for n in (shifted.note, note) if n))


def _solve_symbolic(r: Relation, pl: Plan, x: sympy.Symbol, gv: Mapping[sympy.Symbol, Any],
                    given_out: Mapping[str, Any], shift: sympy.Symbol | None = None) -> Any:
    sub = {sym: sympy.Integer(v) if isinstance(v, int) else v for sym, v in gv.items()}
    conditions: list[sympy.Basic] = []
    for sym, v in gv.items():
        # a formula given stands for an integer in its variable's domain: the answer
        # holds where it is one (k = i - d needs i - d >= 1; p = k/2 needs k even)
        if isinstance(v, sympy.Basic) and not v.is_Integer:
            for c in (sympy.Ge(v, DOMAIN_MIN.get(sym, 0)), _integer_condition(v)):
                verdict = None if c is None else _decide(c)
                if verdict is False:
                    return Solution(r.name, x, "empty", given_out, verified="symbolic",
                                    reason=f"{sym} = {v} is never an integer >= "
                                           f"{DOMAIN_MIN.get(sym, 0)}")
                if c is not None and verdict is None:
                    conditions.append(c)
    for cond, _rule, _err in pl.static:
        c = cond.subs(sub)
        verdict = _decide(c)
        if verdict is False:
            # a rule the givens alone break (2p <= k at k=1, p=1): bad input, as where the
            # question is numeric, not an empty answer
            shown = ", ".join(f"{v.name}={gv[v]}" for v in sorted(
                cond.free_symbols & set(gv), key=lambda v: v.name))
            free = sorted({v.name for v in cond.free_symbols - set(gv)} | {
                v.name for u in cond.free_symbols & set(gv) if isinstance(gv[u], sympy.Basic)
                for v in gv[u].free_symbols if v not in gv})
            shown += f", for every {' and '.join(free)}" if free else ""
            raise DomainError(f"{_rule}; got {shown}" + (f" (PyTorch: {_err!r})" if _err else ""))
        if verdict is None:
            conditions.append(c)
    if pl.evaluate:
        value = sympy.simplify(r.rhs.subs(sub))
        least = DOMAIN_MIN.get(x, 0)    # the output's own domain (o >= 1)
        verdict = _decide(sympy.Ge(value, least))
        if verdict is False:
            return Solution(r.name, x, "empty", given_out, verified="symbolic",
                            reason=f"{x} = {value} is below {least}")
        if verdict is None:
            conditions.append(sympy.Ge(value, least))
        return _finish(r, x, value, None, None, conditions, given_out, sub)

    pieces = []
    notes: list[str] = []
    apart: list[tuple[sympy.Symbol, Any, str]] = []     # (v, v0, its note): cases set apart
    dead: list[str] = []        # why each case that cannot hold does not
    for br in pl.branches:
        guards = [g.subs(sub) for g in br.guards]
        if any(_decide(g) is False for g in guards):
            continue
        why = ""
        br_conds = [g for g in guards if _decide(g) is not True]
        lowers: list[sympy.Expr] = []
        uppers: list[sympy.Expr] = []
        points: list[sympy.Expr] = []
        if br.roots is not None:
            points += [sympy.simplify(rt.subs(sub)) for rt in br.roots]
        for clause in br.clauses:
            if len(clause.atoms) > 1:
                rels = [t.as_relational(x).subs(sub) for t in clause.atoms]
                if any(_decide(rel) is True for rel in rels):
                    continue
                br_conds.append(sympy.Or(*rels))
                continue
            atom = clause.atoms[0]
            al = sympy.simplify(atom.alpha.subs(sub))
            be = sympy.simplify(atom.beta.subs(sub))
            if atom.op == "==":
                if al.is_zero:
                    if _decide(sympy.Eq(be, 0)) is False:
                        why = f"{clause.origin} cannot hold"    # this case; another may
                        break
                    if _decide(sympy.Eq(be, 0)) is None:
                        br_conds.append(sympy.Eq(be, 0))
                    continue
                if al.is_zero is None:      # x's coefficient may vanish: that case is apart
                    br_conds.append(sympy.Ne(al, 0))
                    zero = sympy.simplify(sympy.Eq(al, 0))
                    case = f"{zero.lhs} = {zero.rhs}" if isinstance(zero, sympy.Eq) else f"{al} = 0"
                    notes.append(f"when {case} the relation does not fix {x}: "
                                 f"give {_names(al)} that value to solve that case")
                    if len(al.free_symbols) == 1 and al.is_polynomial() and \
                            sympy.degree(al, *al.free_symbols) == 1:
                        # one variable v, zero at one value v0: the case v = v0, apart
                        v_ = next(iter(al.free_symbols))
                        v0 = sympy.solve(al, v_)[0]
                        if v0.is_Integer and v0 >= DOMAIN_MIN.get(v_, 0):
                            # (a zero no integer of v's domain reaches is no case at all)
                            apart.append((v_, v0, notes[-1]))
                points.append(sympy.simplify(-be / al))
                continue
            if al.is_zero:
                if _decide(sympy.Ge(be, 0)) is None:
                    br_conds.append(sympy.Ge(be, 0))
                elif _decide(sympy.Ge(be, 0)) is False:
                    why = f"{clause.origin} cannot hold"
                    break
                continue
            bound = sympy.simplify(-be / al)
            if al.is_positive:
                lowers.append(bound)
            elif al.is_negative:
                uppers.append(bound)
            elif (al.is_nonnegative or al.is_nonpositive) and shift is None:
                raise _MayVanish(al)
            else:
                raise _unsigned(x, al)
        if why:
            dead.append(why)
            continue
        pieces.append((lowers, uppers, points, br_conds,
                       [(f.subs(sub), rule) for f, rule in br.filters]))
    if not pieces:
        return Solution(r.name, x, "empty", given_out, verified="symbolic",
                        reason=dead[0] if dead else "no case of the relation applies")
    if len(pieces) != 1:
        raise UndecidedError(f"{r.name} for {x}: the symbolic answer depends on which case "
                             "applies; give more values")
    lowers, uppers, points, br_conds, filters = pieces[0]
    conditions += br_conds
    if not points:
        for lo in lowers:
            if any(sympy.simplify(lo - up) == 0 for up in uppers):
                points.append(lo)
                break
    if points:
        def empty(reason: str) -> Solution:
            if len(notes) == 1 and len(apart) == 1 and shift is None:
                # none where x's coefficient does not vanish: the answer is the other case's
                v_, v0, _ = apart[0]
                joined = _joined(r, x, v_, v0, _case_at(r, x, v_, v0, given_out),
                                 f"{v_} != {v0}", reason, given_out, sub)
                if joined is not None:
                    return joined
            if notes:
                # the empty set holds only where x's coefficient does not vanish; where it
                # does, every x may work (conv_transpose at i = 1: o = k for any s)
                raise UsageError(f"{r.name} for {x}: none where {_names_of(br_conds)} "
                                 f"({reason}); " + "; ".join(notes))
            return Solution(r.name, x, "empty", given_out, reason=reason, verified="symbolic")
        x0 = points[0]
        for other in points[1:]:
            if _decide(sympy.Eq(x0, other)) is None:
                conditions.append(sympy.Eq(x0, other))
            elif _decide(sympy.Eq(x0, other)) is False:
                return empty("inconsistent equalities")
        bounds = [(sympy.Ge, ">=", lo) for lo in lowers] + [(sympy.Le, "<=", up) for up in uppers]
        for rel_type, op, bnd in bounds:
            verdict = _decide(rel_type(x0, bnd))
            if verdict is False:
                return empty(f"{x} = {x0} violates {x} {op} {bnd}")
            if verdict is None:
                conditions.append(rel_type(x0, bnd))
        integral = _integer_condition(x0)
        if integral is sympy.false:
            return empty(f"{x} = {x0} is not an integer")
        if integral is not None and integral is not sympy.true:
            conditions.append(integral)
        for f, rule in filters:
            # a condition on x that is no bound (g | F_i): at x's value, a condition on
            # the givens (it was dropped: g = d**2/3 at d = 3 is 3, which divides no 4)
            held = f.subs(x, x0)
            verdict = _decide(held)
            if verdict is False:
                return empty(f"{x} = {x0} breaks {rule}")
            if verdict is None:
                conditions.append(held)
        for v_, v0, said in apart:
            at = _case_at(r, x, v_, v0, given_out) if shift is None else None
            if at is not None and at.kind == "empty":
                notes.remove(said)      # none where v = v0: the answer (v != v0) is whole
        return _finish(r, x, x0, None, None, conditions, given_out, sub, notes)
    if any(_decide(f) is not True for f, _rule in filters):
        # the values in a range that also meet a condition that is no bound (g | F_i) are
        # no interval: a range would hold values the relation refuses
        raise UndecidedError(f"{r.name} for {x}: the values in its range must also meet "
                             f"{filters[0][1]}, which no interval states; give numbers for "
                             "the other variables")
    lo = _prune(lowers, True)
    hi = _prune(uppers, False)
    if lo is not None and hi is not None and (
            (lo.is_number and hi.is_number and (not lo.is_finite or not hi.is_finite)) or
            _decide(sympy.Gt(lo, hi)) is True):         # no real x, so no integer, between
        return Solution(r.name, x, "empty", given_out, verified="symbolic",
                        reason=f"no integer {x} lies in {lo} <= {x} <= {hi}")
    low = sympy.ceiling(lo) if lo is not None else None
    high = sympy.floor(hi) if hi is not None else None
    return _finish(r, x, None, low, high, conditions, given_out, sub, notes)


def _own_bound(c: sympy.Basic, x: sympy.Symbol) -> tuple[str, sympy.Expr] | None:
    """``("low", 4)`` for ``x >= 4`` (``x > 3``, ``4 <= x``), ``("high", ...)`` for an
    upper bound, when ``c`` bounds ``x`` alone by a number; else None."""
    if not isinstance(c, (sympy.Ge, sympy.Gt, sympy.Le, sympy.Lt)) or c.free_symbols != {x}:
        return None
    lhs, rhs, op = c.lhs, c.rhs, type(c)
    if rhs == x and lhs.is_number:      # 4 <= x is x >= 4
        lhs, rhs = rhs, lhs
        op = {sympy.Ge: sympy.Le, sympy.Le: sympy.Ge, sympy.Gt: sympy.Lt, sympy.Lt: sympy.Gt}[op]
    if lhs != x or not rhs.is_number:
        return None
    if op in (sympy.Ge, sympy.Gt):
        return "low", sympy.floor(rhs) + 1 if op is sympy.Gt else sympy.ceiling(rhs)
    return "high", sympy.ceiling(rhs) - 1 if op is sympy.Lt else sympy.floor(rhs)


def _names_of(conds: list[sympy.Basic]) -> str:
    """The conditions of a case as text: ``i != 1``."""
    return " and ".join(condition_text(_simplified(c)) for c in conds) or "always"


def _names(e: sympy.Expr) -> str:
    return ", ".join(sorted(str(s) for s in e.free_symbols))


def _prune(bounds: list[sympy.Expr], lower: bool) -> sympy.Expr | None:
    keep: list[sympy.Expr] = []
    for bnd in bounds:
        dominated = any(
            (sympy.simplify(other - bnd).is_nonnegative if lower
             else sympy.simplify(bnd - other).is_nonnegative) and other != bnd
            for other in bounds)
        if not dominated and not any(sympy.simplify(bnd - k) == 0 for k in keep):
            keep.append(bnd)
    if not keep:
        return None
    return (sympy.Max if lower else sympy.Min)(*keep)


def _simplified(c: sympy.Basic) -> sympy.Basic:
    """``c`` simplified; a bound of an integer-valued expression by a fraction rounded to
    the integer it means (``p >= 1/2`` is ``p >= 1``, ``-p + d <= 1/2`` is ``d <= p``:
    the same integers)."""
    try:
        c = sympy.simplify(c)
    except (TypeError, ValueError, ArithmeticError):
        # a NaN sympy cannot compare, a floor it cannot evaluate (PrecisionExhausted):
        # kept as written
        return c
    if isinstance(c, (sympy.Ge, sympy.Gt, sympy.Le, sympy.Lt)):
        return _integer_bound(c)
    return c


def _integer_bound(c: sympy.Basic) -> sympy.Basic:
    """``E op r`` with ``E`` a polynomial in integer symbols with rational coefficients
    and a bound that needs rounding, as the integer bound it means.

    With ``E = T + c0`` (``c0`` its constant) scaled by ``lcm / g`` (the coefficients'
    denominators, then the gcd of what they become) to ``S`` with coprime integer
    coefficients, ``S`` is an integer wherever the symbols are, so ``S <= b`` holds for
    exactly the integers with ``S <= floor(b)`` (``<`` too, ``b`` being no integer; ``>=``
    and ``>`` with the ceiling).  Written with the positive terms on the left: ``-p + d
    <= 1/2`` is ``d <= p``, ``2 p - 2 d <= -1`` is ``p + 1 <= d``.  A bound that needs no
    rounding, or anything else (``floor``, ``Max``, ``Mod`` in ``E``), is left as it is.
    """
    e = c.lhs - c.rhs
    syms = sorted(e.free_symbols, key=str)
    if not syms or not all(v.is_integer for v in syms):
        return c
    try:
        poly = sympy.Poly(e, *syms)
    except sympy.PolynomialError:
        return c
    coeffs = poly.coeffs()
    if not all(k.is_Rational for k in coeffs):
        return c
    const = poly.coeff_monomial(1)
    terms = e - const
    lcm = math.lcm(*(int(sympy.Rational(k).q) for k in coeffs))
    gcd = math.gcd(*(int(k * lcm) for k, m in zip(coeffs, poly.monoms(), strict=True)
                     if any(m)))
    if gcd == 0:
        return c
    scale = sympy.Rational(lcm, gcd)    # positive: the direction of the bound stays
    total = sympy.expand(terms * scale)     # integer coefficients, gcd 1
    bound = -const * scale              # total op bound
    if bound.is_Integer:
        return c
    if isinstance(c, (sympy.Le, sympy.Lt)):
        return _sides(total, sympy.floor(bound), sympy.Le)
    return _sides(total, sympy.ceiling(bound), sympy.Ge)


def _sides(total: sympy.Expr, bound: sympy.Integer, op: type) -> sympy.Basic:
    """``total op bound`` with the positive terms on the left, the others on the right."""
    pos = sympy.Add(*(t for t in sympy.Add.make_args(total) if t.could_extract_minus_sign()
                      is False))
    neg = pos - total
    if pos == 0:                        # -p <= 3 is p >= -3
        flip = sympy.Ge if op is sympy.Le else sympy.Le
        return flip(neg, -bound)
    if neg == 0:
        return op(pos, bound)
    if bound < 0:                       # p - d <= -1 is p + 1 <= d
        return op(pos - bound, neg)
    return op(pos, neg + bound)


def _pinned(conditions: list[sympy.Basic], x: sympy.Symbol
            ) -> tuple[list[sympy.Basic], dict[sympy.Symbol, sympy.Integer], str]:
    """The conditions with each symbol but ``x`` that they bound by numbers alone to one
    value (``p >= 1 and p <= 1``; ``p <= 0`` for a padding, which is at least 0) put in
    (``p = 1``, the value substituted into the others), and the text of bounds that no
    integer meets (``p >= 1 and p <= 0``; else ``""``)."""
    lows: dict[sympy.Symbol, list[sympy.Expr]] = {}
    highs: dict[sympy.Symbol, list[sympy.Expr]] = {}
    own: dict[sympy.Symbol, list[sympy.Basic]] = {}
    for c in conditions:
        if len(c.free_symbols) != 1 or x in c.free_symbols:
            continue
        (v,) = c.free_symbols
        side = _own_bound(c, v)
        if side is not None:
            (lows if side[0] == "low" else highs).setdefault(v, []).append(side[1])
            own.setdefault(v, []).append(c)
    pins: dict[sympy.Symbol, sympy.Integer] = {}
    for v in own:
        least = 1 if v.is_positive else 0 if v.is_nonnegative else None
        lo = max(lows.get(v, []) + ([sympy.Integer(least)] if least is not None else []),
                 default=None)
        hi = min(highs.get(v, []), default=None)
        if lo is None or hi is None or lo < hi:
            continue
        said = " and ".join(condition_text(c) for c in own[v])
        if lo > hi:
            return conditions, {}, said + ("" if lo in lows.get(v, []) else
                                           f" ({v} >= {lo} by its domain)")
        pins[v] = sympy.Integer(lo)
    if not pins:
        return conditions, {}, ""
    out: list[sympy.Basic] = [sympy.Eq(v, n) for v, n in pins.items()]
    for c in conditions:
        if any(c in own[v] for v in pins):
            continue
        c = c.subs(pins)
        if c is sympy.false:
            return conditions, {}, " and ".join(condition_text(c) for c in conditions)
        if c is not sympy.true:
            out.append(c)
    return out, pins, ""


def _proven(lhs: Any, rhs: Any, op: str, hypotheses: list[sympy.Basic], seconds: float
            ) -> bool:
    """Whether ``lhs op rhs`` holds at every integer point (each symbol in its domain) where
    ``hypotheses`` hold, decided by the procedure claims are proven with (never sampled);
    False when undecided, past the budget, vacuous, or a symbol has no domain."""
    names = sorted({v for e in (lhs, rhs, *hypotheses) for v in getattr(e, "free_symbols", ())},
                   key=str)
    if any(v not in DOMAIN_MIN for v in names):
        return False
    verdict = decide(lhs, rhs, op, hypotheses, names, Budget(seconds=seconds))
    return verdict.holds is True and not verdict.vacuous


def _without_implied(conditions: list[sympy.Basic]) -> list[sympy.Basic]:
    """``conditions`` without the inequalities the others and the symbols' domains imply
    (:func:`_proven`): ``i/2 + d*k/2 - d/2 + 1/2 >= 0`` (``p >= 0`` for ``o = 2i + 1``)
    holds for every ``i, d, k >= 1`` and says nothing."""
    ops = {sympy.Ge: ">=", sympy.Gt: ">", sympy.Le: "<=", sympy.Lt: "<"}
    kept = list(conditions)
    for c in conditions:
        op = ops.get(type(c))
        if op is not None and _proven(c.lhs, c.rhs, op, [o for o in kept if o is not c], 0.3):
            kept.remove(c)
    return kept


def _coinciding(low: sympy.Expr, high: sympy.Expr, conditions: list[sympy.Basic]
                ) -> sympy.Expr | None:
    """The one value of bounds that are equal wherever the conditions hold
    (:func:`_proven` both ways): ``ceiling(Max(d - 1/2, d - i/2 + 1/2)) <= p <= d`` under
    ``i >= 2`` is ``p = d``; None when that is not proven.  Only bounds with a rounding,
    ``max`` or ``min`` in them are tried (linear ones sympy has compared)."""
    rounded = (sympy.Max, sympy.Min, sympy.floor, sympy.ceiling)
    if not (low.has(*rounded) or high.has(*rounded)):
        return None
    # the one value is an integer only where a bound is one (a ceiling, an integer symbol):
    # equal fractions would give a point that is no integer, where the set is empty
    whole = [b for b in (low, high) if b.is_integer is True]
    if not whole or not all(_proven(low, high, op, conditions, 0.5) for op in (">=", "<=")):
        return None
    return min(whole, key=sympy.count_ops)


def _pinning(c: sympy.Eq) -> sympy.Eq:
    """``-k + 3 = 0`` as ``k = 3``: an equation that fixes one variable, written as that
    variable's value (the same set, :func:`~symconv.solution.variable_value`)."""
    found = variable_value(c)
    return c if found is None else sympy.Eq(*found)


def _unrounded(value: sympy.Expr, conditions: list[sympy.Basic]) -> sympy.Expr | None:
    """``value`` without its roundings when that is shorter and equal wherever the
    conditions hold (:func:`_proven`, never sampled): ``-ceiling((1 - i)/2) - ceiling(i/2)
    + d + 1`` is ``d``.  The candidate is each rounding replaced by its argument, moved by
    the constant the value differs from it by at one point of the conditions (found on a
    small grid; the point only proposes, the proof decides); None otherwise."""
    rounded = value.atoms(sympy.floor, sympy.ceiling)
    if not rounded:
        return None
    plain = value.replace(lambda e: isinstance(e, (sympy.floor, sympy.ceiling)),
                          lambda e: e.args[0])
    names = sorted({v for e in (value, *conditions) for v in e.free_symbols}, key=str)
    if any(v not in DOMAIN_MIN for v in names) or len(names) > 5:
        return None
    for point in itertools.islice(itertools.product(*(range(DOMAIN_MIN[v], DOMAIN_MIN[v] + 3)
                                                      for v in names)), 243):
        env = dict(zip(names, map(sympy.Integer, point), strict=True))
        if all(c.subs(env) is sympy.true for c in conditions):
            break
    else:
        return None
    shift = (value - plain).subs(env)
    if not shift.is_Rational:
        return None
    candidate = sympy.expand(plain + shift)
    if sympy.count_ops(candidate) >= sympy.count_ops(value) or \
            not _proven(value, candidate, "==", conditions, 0.3):
        return None
    return candidate


_NEVER = {sympy.Le: ">", sympy.Lt: ">=", sympy.Ge: "<", sympy.Gt: "<="}
_ALWAYS = {sympy.Le: "<=", sympy.Lt: "<", sympy.Ge: ">=", sympy.Gt: ">"}


def _pruned(e: Any, conditions: list[sympy.Basic]) -> Any:
    """``e`` without the cases of its ``Piecewise`` that never hold where the conditions
    hold, and with a case that always holds as the value (each proven by the decision
    procedure, :func:`_proven`, never sampled): ceil-mode pooling's ``o`` is
    ``ceiling((i - 1)/2) + 1`` for ``k = 3, s = 2, p = 1``, its other case
    (``i <= 2 ceiling((i - 1)/2) - 1``) holding at no ``i``."""
    def prune(pw: sympy.Piecewise) -> Any:
        kept = []
        for value, cond in pw.args:
            if cond is sympy.true or type(cond) in _ALWAYS and _proven(
                    cond.lhs, cond.rhs, _ALWAYS[type(cond)], conditions, 0.3):
                kept.append((value, sympy.true))
                break
            if type(cond) in _NEVER and _proven(cond.lhs, cond.rhs, _NEVER[type(cond)],
                                                conditions, 0.3):
                continue        # never holds: the case goes
            kept.append((value, cond))
        if kept and kept[0][1] is sympy.true:
            return kept[0][0]
        return sympy.Piecewise(*kept) if kept else pw
    if not isinstance(e, sympy.Basic) or not e.has(sympy.Piecewise):
        return e
    return e.replace(lambda n: isinstance(n, sympy.Piecewise), prune)


def _finish(r: Relation, x: sympy.Symbol, value: sympy.Expr | None, low: Any, high: Any,
            conditions: list[sympy.Basic], given_out: Mapping[str, Any],
            sub: Mapping[sympy.Symbol, Any], notes: list[str] | None = None) -> Any:
    conditions = list(dict.fromkeys(_simplified(c) if not isinstance(c, sympy.Eq) else
                                    _pinning(c) for c in conditions))
    conditions = [c for c in conditions if c is not sympy.true]
    if any(c is sympy.false for c in conditions):
        return Solution(r.name, x, "empty", given_out, reason="its conditions cannot hold",
                        verified="symbolic")
    conditions, pins, clash = _pinned(conditions, x)
    if clash:
        return Solution(r.name, x, "empty", given_out, verified="symbolic",
                        reason=f"its conditions cannot hold: {clash}")
    if pins:
        value, low, high = (v.subs(pins) if isinstance(v, sympy.Basic) else v
                            for v in (value, low, high))
    conditions = _without_implied(conditions)
    if value is not None and value.has(sympy.Piecewise):
        # under the conditions the procedure reads (fewer hypotheses: a stronger proof)
        plain = [c for c in conditions if not c.has(sympy.Piecewise)]
        value = _pruned(value, plain)
        conditions = list(dict.fromkeys(_pruned(c, plain) for c in conditions))
        conditions = _without_implied([c for c in conditions if c is not sympy.true])
    coincided = value is None and low is not None and high is not None
    if coincided:
        value = _coinciding(low, high, conditions)
    if value is not None:
        # ceiling(i/2) + floor(-i/2) + d is d: the shortest of its floor and ceiling forms
        value = min((value, value.rewrite(sympy.floor), value.rewrite(sympy.ceiling)),
                    key=sympy.count_ops)
        unrounded = _unrounded(value, conditions)
        value = value if unrounded is None else unrounded
        value = sympy.factor(value) if value.is_Mul or value.is_Add else value
        expr, lower, upper = value, None, None
    else:
        kept = []
        for c in conditions:    # a bound on x alone (d >= 4 from a < max(s, d)) is x's own
            side = _own_bound(c, x)
            if side is None:
                kept.append(c)
            elif side[0] == "low":
                low = side[1] if low is None else sympy.Max(low, side[1])
            else:
                high = side[1] if high is None else sympy.Min(high, side[1])
        conditions = kept
        if low is not None and high is not None and _decide(sympy.Gt(low, high)) is True:
            # bounds that cross once a pinned value is put in (1 <= s <= 0): no x at all
            return Solution(r.name, x, "empty", given_out, verified="symbolic",
                            reason=f"no integer {x} lies in {low} <= {x} <= {high}")
        expr = _range(x, low, high)
        lower, upper = low, high
    sol = Solution(r.name, x, "symbolic", given_out, expr=expr, lower=lower, upper=upper,
                   conditions=tuple(conditions))
    verified = _verify_symbolic(r, x, sol, sub)
    note = ""
    if x == p and value is not None and not coincided and any(isinstance(c, sympy.Eq) and
                                            isinstance(c.lhs, sympy.Mod) for c in conditions):
        total = sympy.factor(2 * value)
        half = f"({total})/2" if isinstance(total, sympy.Add) else f"{total}/2"
        note = (f"when {total} is odd no symmetric padding exists: use p_l = floor({half}), "
                f"p_r = {total} - p_l (extra at the end, as PyTorch and TF)")
    note = "; ".join([n for n in [note, *(notes or [])] if n])
    return Solution(r.name, x, "symbolic", given_out, expr=expr, lower=lower, upper=upper,
                    conditions=tuple(conditions), verified=verified, note=note)


def _verify_symbolic(r: Relation, x: sympy.Symbol, sol: Any, sub: Mapping[sympy.Symbol, Any]
                     ) -> str:
    """Substitute back and simplify; else compare with the numeric solver on a grid."""
    full = dict(sub)
    if sol.lower is None and sol.upper is None and sol.expr is not None:
        full[x] = sol.expr
        try:
            residue = sympy.simplify(r.lhs.subs(full) - r.rhs.subs(full))
        except (TypeError, ValueError):
            residue = None
        if residue == 0:
            return "symbolic"
    free = sorted({s for v in list(sub.values()) + [sol.expr, sol.lower, sol.upper]
                   if isinstance(v, sympy.Basic) for s in v.free_symbols} |
                  {v for v in r.variables if v not in sub and v != x}, key=str)
    free = [s for s in free if s != x]
    checked = 0
    for combo in itertools.product(range(0, 5), repeat=len(free)):
        if checked >= GRID_POINTS:
            break
        env = {s: v for s, v in zip(free, combo, strict=True)}
        if any(v < DOMAIN_MIN.get(s, 0) for s, v in env.items()):
            continue
        given = {s.name: _at(v, env) for s, v in sub.items()}
        if any(v is None or v < DOMAIN_MIN.get(s, 0)
               for s, v in zip(sub, given.values(), strict=True)):
            continue        # a formula given that is no integer in its domain here
        given.update({s.name: v for s, v in env.items() if s in r.variables and s != x})
        if any(name in given for name in (p_l.name, p_r.name)) and p.name in given:
            continue
        try:
            ref = solve_one(r, x.name, given)
        except (ValueError, RuntimeError):
            continue
        if sol.expr is not None and sol.lower is None and sol.upper is None:
            value = _at(sol.expr, env)
            candidates = [] if value is None else [value]
        else:
            lo = _at(sol.lower, env) if sol.lower is not None else DOMAIN_MIN.get(x, 0)
            hi = _at(sol.upper, env) if sol.upper is not None else \
                None if lo is None else lo + 50
            if lo is not None and hi is not None and hi - lo > GRID_SPAN:
                continue    # a range too long to list here (k**(k**2) at k = 4): not counted
            candidates = [] if lo is None or hi is None else list(range(lo, hi + 1))
        # the conditions at each candidate (they may name the unknown itself: a < s)
        truths = [[_truth(c, env, x, v) for c in sol.conditions] for v in candidates]
        if any(t is None for row in truths for t in row) or (
                sol.expr is not None and sol.lower is None and not candidates and
                all(_truth(c, env, x, None) is not False for c in sol.conditions
                    if x not in c.free_symbols)):
            continue        # a point sympy cannot evaluate here: not counted as checked
        mine = {v for v, row in zip(candidates, truths, strict=True) if all(row)}
        if ref.set is None:
            continue
        if ref.set.bounded and ref.set.size() > GRID_SPAN + 1:
            raise RuntimeError(f"symconv internal error: symbolic {x} for {r.name} disagrees with "
                               f"the numeric solver at {env} (its {ref.set.size()} values); "
                               "please report")
        ref_vals = set(ref.set) if ref.set.bounded else {
            v for v in range(DOMAIN_MIN.get(x, 0), max(mine, default=0) + 1) if v in ref.set}
        if ref.set.bounded and mine != ref_vals or not ref.set.bounded and not mine <= ref_vals:
            raise RuntimeError(f"symconv internal error: symbolic {x} for {r.name} disagrees with "
                               f"the numeric solver at {env}; please report")
        checked += 1
    return f"grid ({checked} points)"


def _at(e: Any, env: Mapping[sympy.Symbol, int]) -> int | None:
    """``e`` at ``env`` as an int, or None where it is no finite integer there."""
    if not isinstance(e, sympy.Basic):
        return int(e)
    try:
        v = e.subs(env)
    except (TypeError, ValueError):
        return None
    return int(v) if v.is_Integer else None


def _truth(c: sympy.Basic, env: Mapping[sympy.Symbol, int], x: sympy.Symbol, v: int | None
           ) -> bool | None:
    """A condition at ``env`` (and the unknown at ``v``): True, False, or None where sympy
    cannot evaluate it."""
    try:
        t = c.subs(env) if v is None else c.subs(env).subs(x, v)
    except (TypeError, ValueError):
        return None
    return bool(t) if t in (sympy.true, sympy.false) else None


def solve_one(rel: str | Relation, unknown: str | None, given: Mapping[str, Any],
              ceil_mode: bool = False) -> Solution:
    """One unknown on one axis: the numeric solver, or the symbolic one when a given is a
    formula or a variable is left free."""
    q = prepare(rel, unknown, given, ceil_mode)
    if q.symbolic:
        assert q.plan is not None       # a symbolic query without a plan is refused when read
        try:
            return solve_symbolic(q.relation, q.plan, q.unknown, q.given, q.given_out)
        except SymconvError:
            raise
        except (TypeError, ValueError) as exc:      # sympy's own, on a case it cannot settle
            raise UsageError(f"{q.relation.name} for {q.unknown}: sympy could not state the "
                             f"symbolic answer ({str(exc).splitlines()[0]}); give values to "
                             "more variables") from None
    return solve_numeric(q)
