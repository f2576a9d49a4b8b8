r"""Floor elimination: turn ``lhs = rhs`` into linear integer constraints on one unknown.

For a relation and an unknown ``x``, :func:`plan` derives
once (and caches) a :class:`Plan`:

* every ``floor(N/D)`` that contains ``x`` becomes a fresh integer ``q`` with
  ``D q <= N <= D q + D - 1`` (``ceiling``: ``D q - D + 1 <= N <= D q``);
  ``Mod(A, B)`` is first rewritten ``A - B floor(A/B)``;
* the equation is solved for ``q`` (it is linear in its floor), and ``q`` is
  substituted into the inequalities, the relation's conditions, the branch
  conditions of a ``Piecewise`` and the domain of ``x``;
* each resulting inequality is put in the form ``alpha x + beta >= 0`` (or
  ``== 0``), with ``alpha`` and ``beta`` free of ``x``; ``Max``/``Min`` split
  into disjunctions (``a < max(s, d)`` is ``a < s or a < d``).

The coefficients are sympy expressions in the other symbols, compiled to
exact integer closures, so a numeric query evaluates a handful of integer
expressions and intersects intervals: no sympy solver runs at query time.
An equation that is not linear in ``x`` (the parameter count, solved for
``k``) is solved once by ``sympy.solve`` into closed-form candidates that are
evaluated exactly and filtered.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy

from ._exact import compile_expr
from ._intervals import IntSet
from .printing import sstr
from .relations import Condition, Relation
from .symbols import DOMAIN_MIN

__all__ = ["Atom", "Clause", "Branch", "Plan", "plan"]


@dataclass(frozen=True, eq=False)
class Atom:
    """``alpha * x + beta >= 0`` (op ``">="``) or ``== 0`` (op ``"=="``)."""

    alpha: sympy.Expr
    beta: sympy.Expr
    op: str

    @functools.cached_property
    def f_alpha(self) -> Any:
        return compile_expr(self.alpha)

    @functools.cached_property
    def f_beta(self) -> Any:
        return compile_expr(self.beta)

    def as_relational(self, x: sympy.Symbol) -> sympy.Basic:
        lhs = self.alpha * x + self.beta
        return sympy.Eq(lhs, 0) if self.op == "==" else sympy.Ge(lhs, 0)


@dataclass(frozen=True)
class Clause:
    """A disjunction of atoms, with the rule it came from (quoted in answers)."""

    atoms: tuple[Atom, ...]
    origin: str


@dataclass(frozen=True)
class Branch:
    """One case of the relation: clauses on ``x``, guards and filters.

    ``guards`` are conditions free of ``x`` that select this case;
    ``filters`` are conditions on ``x`` that are not linear (checked value by
    value); ``roots`` are closed-form candidates when the equation itself is
    not linear in ``x``.
    """

    clauses: tuple[Clause, ...]
    guards: tuple[sympy.Basic, ...] = ()
    filters: tuple[tuple[sympy.Basic, str], ...] = ()
    roots: tuple[sympy.Expr, ...] | None = None
    floors: tuple[tuple[sympy.Basic, sympy.Expr], ...] = ()   # (floor atom, its value q)
    equation: sympy.Expr | None = None      # lhs - rhs, kept for degenerate roots


@dataclass(frozen=True)
class Plan:
    """How to solve ``relation`` for ``unknown``: evaluate, or intersect branches."""

    relation: Relation
    unknown: sympy.Symbol
    evaluate: bool
    branches: tuple[Branch, ...] = ()
    static: tuple[tuple[sympy.Basic, str, str], ...] = ()   # (condition, rule, error) free of x


def _cases(rhs: sympy.Expr) -> list[tuple[sympy.Expr, sympy.Basic]]:
    """``(value, guard)`` per case of ``rhs``: a ``Piecewise``'s pieces in order, and a
    ``Max``/``Min`` of two terms as the term that is the larger (smaller), the first where
    they tie (``max(0, X)``: ``0`` where ``X <= 0``, ``X`` where ``X > 0``)."""
    if isinstance(rhs, (sympy.Max, sympy.Min)) and len(rhs.args) == 2:
        a, b = rhs.args
        first = sympy.Ge(a, b) if isinstance(rhs, sympy.Max) else sympy.Le(a, b)
        return [(a, first), (b, sympy.Not(first))]
    if isinstance(rhs, sympy.Piecewise):
        out, before = [], sympy.true
        for value, cond in rhs.args:
            out.append((value, sympy.And(before, cond)))
            before = sympy.And(before, sympy.Not(cond))
        return out
    return [(rhs, sympy.true)]


def _expand_mod(e: Any, x: sympy.Symbol) -> Any:
    mods = [m for m in sympy.preorder_traversal(e) if isinstance(m, sympy.Mod) and m.has(x)]
    for m in mods:
        u, v = m.args
        e = e.xreplace({m: u - v * sympy.floor(u / v)})
    return e


def _linear(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """``(alpha, beta)`` with ``expr == alpha x + beta`` and both free of x, or None."""
    expr = sympy.expand(expr)
    alpha = sympy.expand(expr.coeff(x, 1))
    beta = sympy.expand(expr.coeff(x, 0))
    if alpha.has(x) or beta.has(x) or sympy.expand(alpha * x + beta - expr) != 0:
        return None
    return alpha, beta


def _split_extremum(e: sympy.Expr, x: sympy.Symbol) -> list[list[sympy.Expr]] | None:
    """Rewrite ``e >= 0`` with one Max/Min containing x as DNF of ``e_i >= 0``."""
    ext = [m for m in sympy.preorder_traversal(e)
           if isinstance(m, (sympy.Max, sympy.Min)) and m.has(x)]
    if not ext:
        return [[e]]
    m = ext[0]
    rest = sympy.expand(e).coeff(m, 0)
    coeff = sympy.expand(e).coeff(m, 1)
    if not coeff.is_number or coeff == 0 or sympy.expand(coeff * m + rest - e) != 0:
        return None
    # coeff>0 with Max, or coeff<0 with Min: e >= 0 holds if it holds for some argument
    anyof = (coeff > 0) == isinstance(m, sympy.Max)
    parts = [rest + coeff * arg for arg in m.args]
    if anyof:
        return [[q] for q in parts]
    return [parts]


def _atoms_of(rel: sympy.Basic, x: sympy.Symbol) -> list[list[Atom]] | None:
    """A relational as DNF over atoms (outer list: OR, inner: AND); None if not linear."""
    if isinstance(rel, sympy.Ne):
        return [*(_atoms_of(sympy.Gt(rel.lhs, rel.rhs), x) or []),
                *(_atoms_of(sympy.Lt(rel.lhs, rel.rhs), x) or [])]
    if not isinstance(rel, sympy.core.relational.Relational):
        return None
    op = rel.rel_op
    diff = rel.lhs - rel.rhs if op in (">=", ">", "==") else rel.rhs - rel.lhs
    if op in (">", "<"):
        diff = diff - 1            # integers: u > v  <=>  u - v - 1 >= 0
    if op == "==":
        lin = _linear(diff, x)
        return None if lin is None else [[Atom(lin[0], lin[1], "==")]]
    dnf = _split_extremum(diff, x)
    if dnf is None:
        return None
    out = []
    for conj in dnf:
        atoms = []
        for part in conj:
            lin = _linear(part, x)
            if lin is None:
                return None
            atoms.append(Atom(lin[0], lin[1], ">="))
        out.append(atoms)
    return out


def _to_clauses(cond: sympy.Basic, x: sympy.Symbol, origin: str
                ) -> tuple[list[Clause], list[tuple[sympy.Basic, str]]]:
    """Clauses for a boolean on x; what cannot be linearised becomes a filter."""
    if cond is sympy.true:
        return [], []
    if isinstance(cond, sympy.And):
        clauses: list[Clause] = []
        filters: list[tuple[sympy.Basic, str]] = []
        for arg in cond.args:
            c, f = _to_clauses(arg, x, origin)
            clauses += c
            filters += f
        return clauses, filters
    if isinstance(cond, sympy.Not):
        return _to_clauses(cond.args[0].negated if hasattr(cond.args[0], "negated")
                           else sympy.Not(cond.args[0]), x, origin)
    if isinstance(cond, sympy.Or):
        atoms: list[Atom] = []
        for arg in cond.args:
            dnf = _atoms_of(arg, x)
            if dnf is None or any(len(conj) != 1 for conj in dnf):
                return [], [(cond, origin)]
            atoms += [conj[0] for conj in dnf]
        return [Clause(tuple(atoms), origin)], []
    dnf = _atoms_of(cond, x)
    if dnf is None:
        return [], [(cond, origin)]
    if len(dnf) == 1:
        return [Clause((a,), origin) for a in dnf[0]], []
    if all(len(conj) == 1 for conj in dnf):
        return [Clause(tuple(conj[0] for conj in dnf), origin)], []
    return [], [(cond, origin)]


def _eliminate(e: sympy.Expr, guard: sympy.Basic, x: sympy.Symbol
               ) -> tuple[sympy.Expr, sympy.Basic, list[tuple[sympy.Basic, str]], dict[Any, Any]]:
    """Replace each floor/ceiling containing x by a fresh integer q with its inequalities."""
    e = _expand_mod(e, x)
    guard = _expand_mod(guard, x)
    atoms = {f for f in sympy.preorder_traversal(sympy.Tuple(e, guard))
             if isinstance(f, (sympy.floor, sympy.ceiling)) and f.has(x)}
    rules: list[tuple[sympy.Basic, str]] = []
    repl: dict[Any, Any] = {}
    for n, f in enumerate(sorted(atoms, key=sympy.default_sort_key)):
        q = sympy.Dummy(f"q{n}", integer=True)
        num, den = sympy.fraction(sympy.together(f.args[0]))
        if not den.is_positive:
            raise NotImplementedError(f"cannot eliminate {f}: denominator {den} not positive")
        if isinstance(f, sympy.floor):
            lo, hi = den * q, den * q + den - 1
        else:
            lo, hi = den * q - den + 1, den * q
        rules.append((sympy.And(sympy.Le(lo, num), sympy.Le(num, hi)), sstr(f)))
        repl[f] = q
    return e.xreplace(repl), guard.xreplace(repl), rules, repl


_REFUSED: dict[tuple[Relation, sympy.Symbol], str] = {}
"""Plans that cannot be derived, with the reason: a refusal is derived once too."""


def plan(rel: Relation, x: sympy.Symbol) -> Plan:
    """Derive (once, refusals included) how to solve ``rel`` for ``x``; NotImplementedError
    when the floor cannot be isolated."""
    if (rel, x) in _REFUSED:
        raise NotImplementedError(_REFUSED[rel, x])
    try:
        return _plan(rel, x)
    except NotImplementedError as exc:
        _REFUSED[rel, x] = str(exc)
        raise


@lru_cache(maxsize=512)
def _plan(rel: Relation, x: sympy.Symbol) -> Plan:
    static: list[Condition] = []
    on_x: list[Condition] = []
    for c in rel.conditions:
        (on_x if c.expr.has(x) else static).append(c)
    static_t = tuple((c.expr, c.rule, c.error) for c in static)
    if x == rel.lhs:
        return Plan(rel, x, evaluate=True, static=static_t)

    branches = []
    for value, guard in _cases(rel.rhs):
        e, guard_q, rules, repl = _eliminate(value, guard, x)
        eq = sympy.expand(rel.lhs - e)
        qs = sorted(repl.values(), key=sympy.default_sort_key)
        subst: dict[Any, Any] = {}
        roots = None
        clauses: list[Clause] = []
        filters: list[tuple[sympy.Basic, str]] = []
        steps: list[tuple[sympy.Basic, sympy.Expr]] = []
        if qs:
            q = qs[0]
            lin = _linear(eq, q)
            if len(qs) > 1 or lin is None or lin[0].has(x) or lin[0] == 0:
                where = f"the case {sstr(guard)}, where it is {sstr(value)}" \
                    if not value.has(x) else sstr(value)
                raise NotImplementedError(f"{rel.name}: cannot isolate the floor in {where} "
                                          f"(its values of {x} need not form intervals)")
            subst[q] = sympy.expand(-lin[1] / lin[0])
            for f, qq in repl.items():
                steps.append((f, subst.get(qq, qq)))
        else:
            lin = _linear(eq, x)
            if lin is not None:
                clauses.append(Clause((Atom(lin[0], lin[1], "=="),), f"{sstr(rel.lhs)} = {sstr(rel.rhs)}"))
            else:
                try:
                    roots = tuple(sympy.solve(sympy.Eq(rel.lhs, e), x))
                except NotImplementedError:     # sympy's own words name its algorithms
                    raise NotImplementedError(
                        f"{rel.name}: cannot isolate {x} in {sstr(e)}") from None
        for cond, origin in rules:
            cl, fl = _to_clauses(cond.xreplace(subst), x, f"eliminating the floor {origin}")
            clauses += cl
            filters += fl
        guards: list[sympy.Basic] = []
        g2 = guard_q.xreplace(subst)
        if g2 is not sympy.true:
            if g2.has(x):
                cl, fl = _to_clauses(g2, x, "the case condition")
                clauses += cl
                filters += fl
            else:
                guards.append(g2)
        for cnd in on_x:
            cl, fl = _to_clauses(cnd.expr, x, cnd.rule)
            clauses += cl
            filters += fl
        lo = DOMAIN_MIN.get(x, 0)
        clauses.append(Clause((Atom(sympy.Integer(1), sympy.Integer(-lo), ">="),),
                              f"{x} >= {lo} (domain)"))
        branches.append(Branch(tuple(clauses), tuple(guards), tuple(filters), roots, tuple(steps),
                               eq if roots is not None else None))
    return Plan(rel, x, evaluate=False, branches=tuple(branches), static=static_t)


def atom_set(atom: Atom, env: Mapping[str, Any]) -> IntSet:
    """The integers ``x`` satisfying ``atom`` at ``env`` (``alpha x + beta op 0``)."""
    return IntSet.of_atom(atom.f_alpha(env), atom.f_beta(env), atom.op)


def atom_text(atom: Atom, x: sympy.Symbol, env: Mapping[str, Any]) -> str:
    """``atom`` at ``env`` as text in ``x``: ``2*x >= 3``."""
    al, be = atom.f_alpha(env), atom.f_beta(env)
    lhs = sympy.Integer(al) * x if isinstance(al, int) else sympy.Rational(al) * x
    rhs = -sympy.Rational(be)
    op = "=" if atom.op == "==" else ">="
    if al < 0:                          # read with a positive coefficient; = stays =
        lhs, rhs, op = -lhs, -rhs, op if op == "=" else "<="
    return f"{sstr(lhs)} {op} {sstr(rhs)}"
