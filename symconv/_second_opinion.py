r"""A second opinion on a proof, from an engine other than the one that produced it.

symconv proves a claim with its own rules (sympy rewriting, or the decision procedure of
:mod:`symconv._decide`).  Each proven result is then re-checked here, independently:

* **z3** (the optional extra ``smt``: ``pip install symconv[smt]``), an SMT solver over
  integer arithmetic: ``floor(N/D)`` is z3's integer division ``N div D`` for a positive
  ``D``, ``N mod D`` its ``mod``, ``max``/``min`` an ``If``; the negated claim under the
  hypotheses and the domain is handed to z3, and *unsat* confirms the proof.  *sat* is a
  disagreement between two engines: a bug, reported with z3's model, never a verdict.
* **a grid**: exhaustive exact evaluation of every valid configuration with each
  parameter among its first ``N`` values.  It is reported as *checked to N*, a test that
  can find a counterexample, never as a proof.

>>> from symconv.symbols import i, k
>>> c = grid_check(i - k + 1, i, "<=", [sympy.Ge(i, k)], [i, k], size=5)
>>> c.outcome
'checked to 5'
>>> c.detail
'every configuration with i, k in their first 5 values: 15 valid, no violation; a test, not a proof'
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

import sympy

from ._exact import Inexact, compile_expr
from .printing import sstr
from .symbols import DOMAIN_MIN
from .vocabulary import COMPARE

__all__ = ["Certificate", "smt_check", "grid_check", "smt_available", "recheck_step", "GRID_POINTS"]

GRID_POINTS = 5_000
"""Configurations a grid check evaluates at most."""


@dataclass(frozen=True)
class Certificate:
    """What an independent engine said about a proven statement.

    ``outcome`` is ``confirmed`` (z3: unsat, a proof), ``checked to N`` (the grid: no
    violation, a test), ``disagrees`` (a bug: the engines disagree; ``detail`` holds
    the configuration), ``unknown`` (z3 gave up or timed out) or ``unavailable``.
    """

    engine: str
    outcome: str
    detail: str = ""
    subject: str = ""

    def __str__(self) -> str:
        return (f"{self.subject}: " if self.subject else "") + f"{self.engine}: {self.outcome}" \
            + (f" ({self.detail})" if self.detail else "")

    def to_dict(self) -> dict[str, str]:
        return {"engine": self.engine, "outcome": self.outcome, "detail": self.detail,
                "subject": self.subject}


def smt_available() -> bool:
    """True when z3 can be imported (the optional extra ``smt``)."""
    try:
        import z3  # noqa: F401
    except ImportError:
        return False
    return True


class _Untranslatable(Exception):
    pass


def _domain(x: sympy.Symbol) -> int | None:
    if x in DOMAIN_MIN:
        return DOMAIN_MIN[x]
    if not x.is_integer:
        raise _Untranslatable(f"{x} is not an integer symbol")
    if x.is_positive:
        return 1
    if x.is_nonnegative:
        return 0
    return None


class _Z3:
    """sympy -> z3 over integer variables; rationals are kept exact as z3 reals."""

    def __init__(self) -> None:
        import z3
        self.z3 = z3
        self.vars: dict[sympy.Symbol, Any] = {}

    def var(self, x: sympy.Symbol) -> Any:
        if x not in self.vars:
            _domain(x)
            self.vars[x] = self.z3.Int(x.name)
        return self.vars[x]

    def domain(self) -> list[Any]:
        out = []
        for x, v in self.vars.items():
            lo = _domain(x)
            if lo is not None:
                out.append(v >= lo)
        return out

    def is_int(self, t: Any) -> bool:
        return bool(self.z3.is_int(t))

    def real(self, t: Any) -> Any:
        return self.z3.ToReal(t) if self.is_int(t) else t

    def term(self, e: Any) -> Any:
        z3 = self.z3
        if isinstance(e, sympy.Integer):
            return z3.IntVal(int(e))
        if isinstance(e, sympy.Rational):
            return z3.RealVal(f"{e.p}/{e.q}")
        if isinstance(e, sympy.Symbol):
            return self.var(e)
        if isinstance(e, (sympy.Add, sympy.Mul)):
            parts = [self.term(a) for a in e.args]
            if not all(self.is_int(p) for p in parts):
                parts = [self.real(p) for p in parts]
            out = parts[0]
            for p in parts[1:]:
                out = out + p if isinstance(e, sympy.Add) else out * p
            return out
        if isinstance(e, sympy.Pow) and e.exp.is_Integer and int(e.exp) >= 1:
            b = self.term(e.base)
            out = b
            for _ in range(int(e.exp) - 1):
                out = out * b
            return out
        if isinstance(e, sympy.Pow) and e.exp == -1:
            return self.real(z3.IntVal(1)) / self.real(self.term(e.base))
        if isinstance(e, (sympy.floor, sympy.ceiling)):
            sign = 1 if isinstance(e, sympy.floor) else -1
            num, den = sympy.fraction(sympy.together(sign * e.args[0]))
            if den.is_number and den < 0:
                num, den = -num, -den
            tn, td = self.term(num), self.term(den)
            if self.is_int(tn) and self.is_int(td) and den.is_positive:
                q = tn / td          # z3's integer division: the floor for a positive divisor
            else:
                q = z3.ToInt(self.real(tn) / self.real(td))
            return q if sign == 1 else -q
        if isinstance(e, sympy.Mod):
            x, m = e.args
            tx, tm = self.term(x), self.term(m)
            if self.is_int(tx) and self.is_int(tm) and m.is_positive:
                return tx % tm
            return self.term(x - m * sympy.floor(x / m))
        if isinstance(e, (sympy.Max, sympy.Min)):
            parts = [self.term(a) for a in e.args]
            if not all(self.is_int(p) for p in parts):
                parts = [self.real(p) for p in parts]
            out = parts[0]
            for p in parts[1:]:
                out = z3.If(p > out, p, out) if isinstance(e, sympy.Max) else z3.If(p < out, p, out)
            return out
        if isinstance(e, sympy.Abs):
            t = self.term(e.args[0])
            return z3.If(t >= 0, t, -t)
        raise _Untranslatable(f"{type(e).__name__} ({sstr(e)}) has no integer-arithmetic reading")

    def rel(self, r: Any) -> Any:
        z3 = self.z3
        if r is sympy.true or r is True:
            return z3.BoolVal(True)
        if r is sympy.false or r is False:
            return z3.BoolVal(False)
        if isinstance(r, sympy.And):
            return z3.And(*[self.rel(a) for a in r.args])
        if isinstance(r, sympy.Or):
            return z3.Or(*[self.rel(a) for a in r.args])
        if isinstance(r, sympy.Not):
            return z3.Not(self.rel(r.args[0]))
        if not isinstance(r, sympy.core.relational.Relational):
            raise _Untranslatable(f"{sstr(r)} is not a relation")
        a_, b_ = self.term(r.lhs), self.term(r.rhs)
        if not (self.is_int(a_) and self.is_int(b_)):
            a_, b_ = self.real(a_), self.real(b_)
        return {"==": lambda: a_ == b_, "!=": lambda: a_ != b_, "<=": lambda: a_ <= b_,
                "<": lambda: a_ < b_, ">=": lambda: a_ >= b_, ">": lambda: a_ > b_}[r.rel_op]()


def _engine() -> str:
    import z3
    return f"z3 {z3.get_version_string()}"


def smt_check(lhs: Any, rhs: Any, op: str, hypotheses: list[Any] | tuple[Any, ...],
              *, seconds: float = 5.0,
              witness: tuple[sympy.Symbol, Any, Any] | None = None) -> Certificate:
    """z3's opinion on ``hypotheses => lhs op rhs`` for all integers of the symbols' domains.

    ``witness = (x, v, hypothesis)`` also asks whether every ``x`` satisfying the
    hypothesis is ``v`` for some integer witness (the ``hypothesis`` rule's coverage).
    """
    if not smt_available():
        return Certificate("z3", "unavailable", "install the extra smt (z3-solver) for a proof check")
    z = _Z3()
    try:
        goal = sympy.core.relational.Relational.ValidRelationOperator[op](lhs, rhs, evaluate=False)
        claim = z.rel(goal)
        hyps = [z.rel(h) for h in hypotheses]
        extra = None
        if witness is not None:
            x, v, hyp = witness
            ws = sorted(v.free_symbols - {x} - set().union(*(h.free_symbols for h in hypotheses)),
                        key=lambda y: y.name)
            zx, zv, zh = z.var(x), z.term(v), z.rel(hyp)
            zw = [z.var(w) for w in ws]
            for w in ws:
                z.vars.pop(w)        # bound by the quantifier, not free
            extra = z.z3.Implies(zh, z.z3.Exists(zw, zx == zv) if zw else zx == zv)
    except _Untranslatable as exc:
        return Certificate(_engine(), "unknown", f"not translated: {exc}")
    z3 = z.z3
    solver = z3.Solver()
    solver.set("timeout", max(1, int(seconds * 1000)))
    solver.add(*z.domain(), *hyps)
    solver.add(z3.Not(z3.And(claim, extra)) if extra is not None else z3.Not(claim))
    res = solver.check()
    if res == z3.unsat:
        return Certificate(_engine(), "confirmed", "no integer counterexample exists (unsat)")
    if res == z3.sat:
        model = solver.model()
        # z3's model evaluation of its own integer variables (no text is parsed)
        values = ", ".join(f"{x.name}={model.eval(v, model_completion=True)}"
                           for x, v in z.vars.items())
        return Certificate(_engine(), "disagrees", f"z3 finds a counterexample: {values}")
    return Certificate(_engine(), "unknown", f"z3: {solver.reason_unknown()}")


def grid_check(lhs: Any, rhs: Any, op: str, hypotheses: list[Any] | tuple[Any, ...],
               variables: list[sympy.Symbol] | tuple[sympy.Symbol, ...], *,
               size: int | None = None, seconds: float | None = None) -> Certificate:
    """Evaluate ``lhs op rhs`` exactly at every configuration of a grid satisfying the
    hypotheses: each variable among its first ``size`` values (at most :data:`GRID_POINTS`
    points in all).  A test, reported as *checked to N*, never a proof."""
    variables = list(variables)
    if size is None:
        size = 2
        while (size + 1) ** max(len(variables), 1) <= GRID_POINTS and size < 40:
            size += 1
    try:
        f_l, f_r = compile_expr(lhs), compile_expr(rhs)
        f_h = [compile_expr(h) for h in hypotheses]
    except (Inexact, NotImplementedError, TypeError, KeyError) as exc:
        return Certificate("grid", "unknown", f"cannot evaluate: {exc}")
    compare = COMPARE[op]
    lows = [DOMAIN_MIN.get(x, 0) for x in variables]
    valid = 0
    deadline = None if seconds is None else time.monotonic() + seconds
    for n, values in enumerate(itertools.product(*(range(lo, lo + size) for lo in lows))):
        if deadline is not None and n % 256 == 255 and time.monotonic() > deadline:
            return Certificate("grid", "stopped", f"stopped by the time limit after {n} "
                               f"configurations ({valid} valid), no violation; a test, not a proof")
        env = {x.name: v for x, v in zip(variables, values, strict=True)}
        try:
            if not all(f(env) is True for f in f_h):
                continue
            valid += 1
            left, right = f_l(env), f_r(env)
        except (Inexact, KeyError):
            continue
        if not compare(left, right):
            where = ", ".join(f"{n}={v}" for n, v in env.items())
            return Certificate("grid", "disagrees", f"violated at {where}: {left} against {right}")
    names = ", ".join(x.name for x in variables) or "no parameter"
    return Certificate("grid", f"checked to {size}",
                       f"every configuration with {names} in their first {size} values: "
                       f"{valid} valid, no violation; a test, not a proof")


def _integer_symbols(*exprs: Any) -> list[sympy.Symbol] | None:
    syms: set[sympy.Symbol] = set()
    for e in exprs:
        syms |= getattr(e, "free_symbols", set())
    if not all(isinstance(x, sympy.Symbol) and x.is_integer for x in syms):
        return None
    return sorted(syms, key=lambda x: x.name)


def recheck_step(old: Any, new: Any, rule: str, mapping: tuple[tuple[Any, Any], ...],
                 hypotheses: list[Any] | tuple[Any, ...], subject: str = "") -> Certificate:
    """An independent check of one proof step: ``old`` (after the step's substitution,
    if any) equals ``new`` under the hypotheses; a witness step's coverage is checked too
    (every value allowed by the hypothesis is reached by some integer witness)."""
    mapped = dict(mapping)
    lhs = old.subs(mapped, simultaneous=True) if mapped and rule in (
        "definition", "setting", "hypothesis") else old
    hyps = list(hypotheses)
    witness = None
    if rule == "hypothesis" and mapped:
        hyps = [h.subs(mapped, simultaneous=True) for h in hyps]
        for x, v in mapped.items():
            fresh = getattr(v, "free_symbols", set()) - old.free_symbols \
                - set().union(*(h.free_symbols for h in hypotheses))
            if fresh:
                hyp = next((h for h in hypotheses if isinstance(h, sympy.Eq)
                            and isinstance(h.lhs, sympy.Mod) and x in h.free_symbols), None)
                if hyp is not None:
                    witness = (x, v, hyp)
    if smt_available():
        cert = smt_check(lhs, new, "==", hyps, seconds=5.0, witness=witness)
        if cert.outcome in ("confirmed", "disagrees"):
            return Certificate(cert.engine, cert.outcome, cert.detail, subject)
    syms = _integer_symbols(lhs, new, *hyps)
    if syms is None or lhs.has(sympy.Sum, sympy.Product, sympy.Indexed):
        return _grid_indexed(lhs, new, hyps, subject)
    cert = grid_check(lhs, new, "==", hyps, syms)
    return Certificate(cert.engine, cert.outcome, cert.detail, subject)


def _grid_indexed(lhs: Any, new: Any, hyps: list[Any], subject: str, top: int = 3) -> Certificate:
    """Sums and products up to a symbolic depth ``L`` over indexed terms (a chain's
    layers): every depth ``L <= top`` and every indexed term in ``1..top``, evaluated
    exactly; a hypothesis ``x = E`` for a plain symbol ``x`` defines ``x``."""
    defs = {h.lhs: h.rhs for h in hyps if isinstance(h, sympy.Eq) and isinstance(h.lhs, sympy.Symbol)}
    old_e, new_e = lhs.xreplace(defs), new.xreplace(defs)
    depth = [x for x in (old_e.free_symbols | new_e.free_symbols)
             if isinstance(x, sympy.Symbol) and x.is_integer and x.is_positive]
    if len(depth) > 1:
        return Certificate("grid", "unknown", "more than one symbolic depth: no independent "
                           "check", subject)
    count = 0
    for n in range(1, top + 1 if depth else 2):
        at = {depth[0]: n} if depth else {}
        a, b = old_e.subs(at).doit(), new_e.subs(at).doit()
        terms = sorted(a.atoms(sympy.Indexed) | b.atoms(sympy.Indexed), key=sympy.default_sort_key)
        labels = {t.base.label for t in terms}
        if (a.free_symbols | b.free_symbols) - set(terms) - labels:
            return Certificate("grid", "unknown", "a free symbol that is neither a depth nor "
                               "an indexed term: no independent check", subject)
        for values in itertools.product(range(1, top + 1), repeat=len(terms)):
            env = dict(zip(terms, values, strict=True))
            count += 1
            va, vb = a.xreplace(env), b.xreplace(env)
            if va != vb:
                where = ", ".join(f"{sstr(t)}={v}" for t, v in env.items())
                return Certificate("grid", "disagrees", f"L={n}, {where}: {va} against {vb}",
                                   subject)
    return Certificate("grid", f"checked to {top}",
                       f"every depth up to {top} with each indexed term in 1..{top}: {count} "
                       "evaluations, no violation; a test, not a proof", subject)
