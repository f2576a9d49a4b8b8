r"""Deciding a claim: floors, ceilings, ``mod``, ``max`` and ``min`` become linear integer
constraints, then integer Fourier–Motzkin elimination decides them for all integers.

A claim ``L op R`` under hypotheses ``H`` (the validity of the configuration and the
claim's own conditions) holds for every integer point of the domain exactly when
``H and not (L op R)`` has no integer solution.  :func:`decide` rewrites that
formula by named rules, each an identity over the integers:

``floor elimination``
    ``floor(N/D) = q`` with ``D q <= N <= D q + D - 1`` for a positive number ``D``
    (the solver's normal form, :mod:`symconv._elimination`).
``floor by a parameter``
    ``floor(N/s) = q`` with ``N = s q + r``, ``0 <= r <= s - 1`` for a parameter
    ``s >= 1``; the product ``s q`` is then replaced by ``N - r`` wherever it occurs,
    and ``q`` keeps its sign facts (``N >= 0``: ``0 <= q <= N``; ``N < 0``:
    ``N <= q <= -1``).  Two such floors whose numerators differ by a constant ``c``
    are linked: ``floor((X + c)/s) = floor(X/s) + t`` for one ``t`` between 0 and
    ``c`` (a bounded case split).
``nested floors``
    ``floor(N/(c s)) = floor(floor(N/s)/c)`` for positive integers ``c`` and ``s``.
``ceiling as floor``
    ``ceil(x) = -floor(-x)``.
``division identity``
    ``N mod M = N - M floor(N/M)``, so parity (``k mod 2 = 1``), divisibility
    (``s | X``) and congruences become floors, then linear constraints.
``max / min as cases``
    ``m = max(x, y)``: ``m >= x, m >= y`` and ``m = x`` or ``m = y``.

The resulting disjunction is split into its cases (bounded: :data:`MAX_CASES`); each
case is a conjunction of linear integer constraints, decided by Fourier–Motzkin
elimination with integer tightening (every constraint divided by the gcd of its
coefficients, its constant rounded down: sound over the integers).  An empty
shadow proves the case impossible; when every elimination was exact (one side of
each pair with unit coefficient, the Omega test's condition) a nonempty shadow means
an integer counterexample, built back variable by variable.

A product of two unknowns that no rule removes (``d (k - 1)`` with both free) is
kept as an opaque integer with its sign facts: the constraints then describe *more*
configurations than the claim's, so "no solution" is still a proof, but "a
solution" is not a counterexample until it is evaluated; if no proof comes, the
decision is ``None`` with that term as the reason.

>>> from symconv.symbols import i, k
>>> decide(sympy.floor((i - k)/1) + 1, i, "<=", [sympy.Ge(i, k)], [i, k]).holds
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ._budget import Budget, BudgetExhausted
from .printing import sstr
from .symbols import DOMAIN_MIN

__all__ = ["Decision", "decide", "MAX_CASES"]

MAX_CASES = 4096
"""Case splits (disjunctions of max/min, sign facts, linked floors, !=) one decision may try."""

MAX_CONSTRAINTS = 4000
"""Constraints one elimination may hold before it reports the bound."""

MAX_LINK = 16
"""Largest constant offset between two floors by one parameter that is linked by cases."""

Lin = dict[str, Fraction]
"""A linear form: variable name -> coefficient, ``""`` -> the constant."""

Con = tuple[dict[str, int], int, str]
"""``sum(c x) + const >= 0`` (op ``">="``) or ``== 0`` (op ``"=="``), integer coefficients."""


@dataclass(frozen=True)
class Decision:
    """The decision procedure's answer: ``holds`` True (proven), False (witness) or None."""

    holds: bool | None
    rules: tuple[str, ...]
    cases: int
    witness: dict[str, int] | None = None
    reason: str = ""
    vacuous: bool = False

    def text(self) -> str:
        head = {True: "decided: holds for every integer configuration",
                False: "decided: false", None: "not decided"}[self.holds]
        lines = [head]
        lines += [f"  by {r}" for r in self.rules]
        if self.holds is True:
            lines.append(f"  and integer Fourier-Motzkin elimination: each of the {self.cases} "
                         "case(s) has no integer solution")
        if self.reason:
            lines.append(f"  {self.reason}")
        return "\n".join(lines)


class _Refused(Exception):
    """A term no rule rewrites; the message names it."""


def _add(x: Lin, y: Lin, c: Fraction = Fraction(1)) -> Lin:
    out = dict(x)
    for v, cv in y.items():
        out[v] = out.get(v, Fraction(0)) + c * cv
        if out[v] == 0 and v != "":
            del out[v]
    return out


def _scale(x: Lin, c: Fraction) -> Lin:
    return {v: c * cv for v, cv in x.items() if c * cv != 0 or v == ""}


def _denominators(*forms: Lin) -> int:
    """The lcm of the denominators of the coefficients (and constants) of ``forms``: the
    least ``L >= 1`` making ``L x`` integer-valued for integer variables."""
    return math.lcm(1, *(cv.denominator for x in forms for cv in x.values()))


def _const(x: Lin) -> Fraction | None:
    return x.get("", Fraction(0)) if all(v == "" for v in x) else None


def _text(x: Lin) -> str:
    parts = [f"{cv}*{v}" if cv != 1 else v for v, cv in sorted(x.items()) if v and cv]
    c = x.get("", Fraction(0))
    if c or not parts:
        parts.append(str(c))
    return " + ".join(parts)


class _Builder:
    """Linearises expressions, collecting facts (always true), case splits and rules."""

    def __init__(self, lows: dict[str, int]) -> None:
        self.lows = dict(lows)                 # base variables and their lower bounds
        self.facts: list[tuple[Lin, str]] = []
        self.choices: list[list[list[tuple[Lin, str]]]] = []
        self.rules: list[str] = []
        self.opaque: list[str] = []            # nonlinear products kept as opaque integers
        self.relaxed: list[str] = []           # floors by a parameter: a relaxation, sound for proofs
        self.floors: dict[sympy.Basic, Lin] = {}
        self.quotients: dict[str, tuple[str, Lin, str]] = {}   # q -> (s, N, r) with N = s q + r
        self.by_den: dict[str, list[tuple[Lin, str, str]]] = {}
        self.products: dict[tuple[str, ...], str] = {}
        self.count = 0

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def rule(self, text: str) -> None:
        if text not in self.rules:
            self.rules.append(text)

    # --- expressions -------------------------------------------------------------------
    def lin(self, e: Any) -> Lin:
        if isinstance(e, (int, sympy.Integer, sympy.Rational)):
            r = sympy.Rational(e)
            return {"": Fraction(int(r.p), int(r.q))}
        if isinstance(e, sympy.Symbol):
            if e.name not in self.lows and e in DOMAIN_MIN:
                self.lows[e.name] = DOMAIN_MIN[e]
            return {"": Fraction(0), e.name: Fraction(1)}
        if isinstance(e, sympy.Add):
            out: Lin = {"": Fraction(0)}
            for t in e.args:
                out = _add(out, self.lin(t))
            return out
        if isinstance(e, sympy.Mul):
            out = {"": Fraction(1)}
            for f in e.args:
                out = self.mul(out, self.lin(f))
            return out
        if isinstance(e, sympy.Pow):
            if e.exp.is_Integer and int(e.exp) >= 1:
                base = self.lin(e.base)
                out = {"": Fraction(1)}
                for _ in range(int(e.exp)):
                    out = self.mul(out, base)
                return out
            raise _Refused(f"{sstr(e)} is not a polynomial in the parameters")
        if isinstance(e, sympy.floor):
            return self.floor(e.args[0])
        if isinstance(e, sympy.ceiling):
            num, den = sympy.fraction(sympy.together(e.args[0]))
            # the identity needs an integer N (ceil(1/2) = 1, floor((1/2 + 0)/1) = 0): a
            # numerator not known to be one (a max of fractions) goes by -floor(-x)
            if num.is_integer is True and (den.is_positive and not den.is_number
                                           or den.is_Integer and den > 0):
                self.rule("ceiling identity: ceil(N/D) = floor((N + D - 1)/D) for D >= 1")
                return self.floor((num + den - 1) / den)
            self.rule("ceiling as floor: ceil(x) = -floor(-x)")
            return _scale(self.floor(-e.args[0]), Fraction(-1))
        if isinstance(e, sympy.Mod):
            x, m = e.args
            self.rule("division identity: N mod M = N - M floor(N/M)")
            return self.lin(x - m * sympy.floor(x / m))
        if isinstance(e, (sympy.Max, sympy.Min)):
            return self.extremum(e)
        if isinstance(e, sympy.Abs):
            return self.extremum(sympy.Max(e.args[0], -e.args[0], evaluate=False))
        raise _Refused(f"{sstr(e)}: no rule rewrites {type(e).__name__} into linear constraints")

    def mul(self, x: Lin, y: Lin) -> Lin:
        cx, cy = _const(x), _const(y)
        if cx is not None:
            return _scale(y, cx)
        if cy is not None:
            return _scale(x, cy)
        out: Lin = {"": x.get("", Fraction(0)) * y.get("", Fraction(0))}
        for v, cv in x.items():
            for w, cw in y.items():
                if v == "" and w == "":
                    continue
                if v == "":
                    out = _add(out, {w: cv * cw})
                elif w == "":
                    out = _add(out, {v: cv * cw})
                else:
                    out = _add(out, self.monomial(v, w), cv * cw)
        return out

    def monomial(self, v: str, w: str) -> Lin:
        for q, s_ in ((v, w), (w, v)):
            if q in self.quotients and self.quotients[q][0] == s_:
                _s, num, r = self.quotients[q]
                return _add(num, {r: Fraction(1)}, Fraction(-1))
        key = tuple(sorted((v, w)))
        if key not in self.products:
            m = f"({key[0]}*{key[1]})"
            self.products[key] = m
            self.opaque.append(f"{key[0]}*{key[1]}")
            lv, lw = self.lows.get(v), self.lows.get(w)
            if lv is not None and lw is not None and lv >= 0 and lw >= 0:
                # (v - lv)(w - lw) >= 0: v w - lw v - lv w + lv lw >= 0 (v >= lv, w >= lw)
                fact = {m: Fraction(1), "": Fraction(lv * lw)}
                fact = _add(fact, {v: Fraction(-lw)})
                fact = _add(fact, {w: Fraction(-lv)})
                self.facts.append((fact, ">="))
                if lw >= 1:     # v w - v = v (w - 1) >= 0
                    self.facts.append(({m: Fraction(1), v: Fraction(-1)}, ">="))
                if lv >= 1:
                    self.facts.append(({m: Fraction(1), w: Fraction(-1)}, ">="))
        return {"": Fraction(0), self.products[key]: Fraction(1)}

    def extremum(self, e: Any) -> Lin:
        """``max``/``min`` of linear forms as a fresh integer ``m``: one of them and at least
        (at most) each.  Forms with fractional coefficients (``max(i/2, 50)``) are scaled by
        the lcm ``L`` of their denominators first, ``max(A) = max(L A) / L``, so that ``m``
        is the extremum of integers (an integer ``m`` equal to ``i/2`` would drop odd ``i``)."""
        big = isinstance(e, sympy.Max)
        m = self.fresh("m")
        self.rule(f"max / min as cases: {sstr(e)} is one of its arguments and "
                  f"{'at least' if big else 'at most'} each")
        args = [self.lin(arg) for arg in e.args]
        scale = _denominators(*args)
        if scale != 1:
            self.rule(f"fractions out of a max / min: max(A, B) = max(L A, L B) / L for L >= 1 "
                      f"(L = {scale} for {sstr(e)})")
        alts = []
        for arg_lin in args:
            diff = _add({m: Fraction(1)}, _scale(arg_lin, Fraction(scale)), Fraction(-1))
            self.facts.append((diff if big else _scale(diff, Fraction(-1)), ">="))
            alts.append([(diff, "==")])
        self.choices.append(alts)
        return {"": Fraction(0), m: Fraction(1, scale)}

    def floor(self, arg: Any) -> Lin:
        key = sympy.floor(arg)
        if key in self.floors:
            return self.floors[key]
        num, den = sympy.fraction(sympy.together(arg))
        if den.is_number:
            if not den.is_Integer or den == 0:
                raise _Refused(f"floor({sstr(arg)}): the denominator {sstr(den)} is not an integer")
            dv = int(den)
            if dv < 0:
                num, dv = -num, -dv
            n_lin = self.lin(sympy.expand(num))
            scale = _denominators(n_lin)
            if scale != 1:
                # fractional coefficients (a max of fractions): floor(N/D) = floor(L N / (L D))
                # with L N an integer; D q <= N <= D q + D - 1 holds only for integers N
                self.rule(f"fractions out of a floor: floor(N/D) = floor(L N/(L D)) (L = {scale})")
                n_lin, dv = _scale(n_lin, Fraction(scale)), dv * scale
            c = _const(n_lin)
            if c is not None:
                out: Lin = {"": Fraction(math.floor(c / dv))}
            elif dv == 1 and all(cv.denominator == 1 for cv in n_lin.values()):
                out = n_lin
            else:
                q = self.fresh("q")
                self.rule(f"floor elimination: floor(N/D) = q with D q <= N <= D q + D - 1 "
                          f"(floor({sstr(arg)}) = {q})")
                self.facts.append((_add(n_lin, {q: Fraction(-dv)}), ">="))
                self.facts.append((_add({q: Fraction(dv), "": Fraction(dv - 1)}, n_lin,
                                        Fraction(-1)), ">="))
                out = {"": Fraction(0), q: Fraction(1)}
        elif isinstance(den, sympy.Symbol) and DOMAIN_MIN.get(den, 0) >= 1:
            out = self.floor_by(num, den, arg)
        elif isinstance(den, sympy.Mul) and len(den.args) == 2 and den.args[0].is_Integer \
                and int(den.args[0]) > 0 and isinstance(den.args[1], sympy.Symbol) \
                and DOMAIN_MIN.get(den.args[1], 0) >= 1:
            c_, s_ = den.args
            self.rule("nested floors: floor(N/(c s)) = floor(floor(N/s)/c) for integers c, s >= 1")
            inner = self.floor_by(num, s_, num / s_)
            q = self.fresh("q")
            self.rule(f"floor elimination: floor(N/D) = q with D q <= N <= D q + D - 1 "
                      f"(floor({sstr(arg)}) = {q})")
            cv = Fraction(int(c_))
            self.facts.append((_add(inner, {q: -cv}), ">="))
            self.facts.append((_add({q: cv, "": cv - 1}, inner, Fraction(-1)), ">="))
            out = {"": Fraction(0), q: Fraction(1)}
        else:
            zero = [x for x in den.free_symbols if DOMAIN_MIN.get(x, 0) < 1]
            if zero:
                raise _Refused(f"floor({sstr(arg)}): its denominator {sstr(den)} may be 0")
            raise _Refused(f"floor({sstr(arg)}) is nonlinear in "
                           f"{', '.join(sorted(x.name for x in den.free_symbols))}: the "
                           f"denominator {sstr(den)} is neither a number nor one parameter")
        self.floors[key] = out
        return out

    def floor_by(self, num: Any, den: sympy.Symbol, arg: Any) -> Lin:
        key = sympy.floor(num / den)
        if key in self.floors:
            return self.floors[key]
        s_ = den.name
        self.lin(den)
        n_lin = self.lin(sympy.expand(num))
        if any(cv.denominator != 1 for cv in n_lin.values()):
            raise _Refused(f"floor({sstr(arg)}): the numerator is not an integer")
        q, r = self.fresh("q"), self.fresh("r")
        self.relaxed.append(f"floor({sstr(num / den)})")
        self.rule(f"floor by a parameter: floor(N/{s_}) = q, N = {s_} q + r, 0 <= r <= {s_} - 1, "
                  f"and {s_} q is N - r (floor({sstr(num / den)}) = {q})")
        self.facts.append(({r: Fraction(1), "": Fraction(0)}, ">="))
        self.facts.append(({s_: Fraction(1), r: Fraction(-1), "": Fraction(-1)}, ">="))
        # sign facts: N >= 0 gives 0 <= q <= N, N < 0 gives N <= q <= -1 (as s >= 1)
        self.choices.append([
            [(n_lin, ">="), ({q: Fraction(1), "": Fraction(0)}, ">="),
             (_add(n_lin, {q: Fraction(-1)}), ">=")],
            [(_add(_scale(n_lin, Fraction(-1)), {"": Fraction(-1)}), ">="),
             ({q: Fraction(-1), "": Fraction(-1)}, ">="),
             (_add({q: Fraction(1), "": Fraction(0)}, n_lin, Fraction(-1)), ">=")]])
        for n2, q2, r2 in self.by_den.get(s_, []):
            self.link_sum(s_, n_lin, q, r, n2, q2, r2)
            diff = _add(n_lin, n2, Fraction(-1))
            if any(v not in ("", s_) for v in diff) \
                    or any(cv.denominator != 1 for cv in diff.values()):
                # floor is nondecreasing: with N = N2 + e s + D, D > 0 gives q >= q2 + e,
                # D = 0 gives q = q2 + e and D < 0 gives q <= q2 + e
                e_ = diff.get(s_, Fraction(0))
                if e_.denominator != 1:
                    continue
                rest = {v: cv for v, cv in diff.items() if v != s_}
                self.rule("floors by the same parameter are monotone: N = N' + e s + D with "
                          "D >= 0 gives floor(N/s) >= floor(N'/s) + e (and <= when D < 0)")
                self.choices.append([
                    [(_add(rest, {"": Fraction(-1)}), ">="),
                     ({q: Fraction(1), q2: Fraction(-1), "": -e_}, ">=")],
                    [(rest, "=="), ({q: Fraction(1), q2: Fraction(-1), "": -e_}, "==")],
                    [(_add(_scale(rest, Fraction(-1)), {"": Fraction(-1)}), ">="),
                     ({q2: Fraction(1), q: Fraction(-1), "": e_}, ">=")]])
                continue
            ci, cs = int(diff.get("", 0)), int(diff.get(s_, 0))
            if abs(ci) > MAX_LINK:
                continue
            self.rule("floors by the same parameter: floor((X + c + e s)/s) = floor(X/s) + e + t "
                      "with s t <= (X mod s) + c <= s t + s - 1, t between 0 and c")
            alts = []
            for t in range(min(ci, 0), max(ci, 0) + 1):
                alts.append([
                    ({q: Fraction(1), q2: Fraction(-1), "": Fraction(-t - cs)}, "=="),
                    ({r: Fraction(1), r2: Fraction(-1), s_: Fraction(t), "": Fraction(-ci)}, "=="),
                    ({r2: Fraction(1), s_: Fraction(-t), "": Fraction(ci)}, ">="),
                    ({s_: Fraction(t + 1), r2: Fraction(-1), "": Fraction(-1 - ci)}, ">=")])
            self.choices.append(alts)
        self.by_den.setdefault(s_, []).append((n_lin, q, r))
        self.quotients[q] = (s_, n_lin, r)
        out: Lin = {"": Fraction(0), q: Fraction(1)}
        self.floors[key] = out
        return out

    def link_sum(self, s_: str, n1: Lin, q1: str, r1: str, n2: Lin, q2: str, r2: str) -> None:
        """Reflection: ``N1 + N2 = c + e s`` gives ``q1 + q2 = e + u`` and
        ``r1 + r2 = c - s u`` for one integer ``u`` (``0 <= r1 + r2 <= 2s - 2`` bounds it)."""
        total = _add(n1, n2)
        if any(v not in ("", s_) for v in total) or any(cv.denominator != 1 for cv in total.values()):
            return
        ci, cs = int(total.get("", 0)), int(total.get(s_, 0))
        if abs(ci) > MAX_LINK:
            return
        self.rule("reflected floors: N + N' = c + e s gives floor(N/s) + floor(N'/s) = e + u "
                  "with (N mod s) + (N' mod s) = c - s u")
        alts = []
        for u in range(-2 - abs(ci), abs(ci) + 1):
            alts.append([
                ({q1: Fraction(1), q2: Fraction(1), "": Fraction(-cs - u)}, "=="),
                ({r1: Fraction(1), r2: Fraction(1), s_: Fraction(u), "": Fraction(-ci)}, "==")])
        self.choices.append(alts)

    # --- relations ---------------------------------------------------------------------
    def relation(self, rel: Any) -> list[list[tuple[Lin, str]]]:
        """A boolean as DNF over linear constraints ``lin >= 0`` / ``lin == 0``."""
        if rel is sympy.true or rel is True:
            return [[]]
        if rel is sympy.false or rel is False:
            return []
        if isinstance(rel, sympy.And):
            out: list[list[tuple[Lin, str]]] = [[]]
            for arg in rel.args:
                out = [x + y for x in out for y in self.relation(arg)]
            return out
        if isinstance(rel, sympy.Or):
            return [conj for arg in rel.args for conj in self.relation(arg)]
        if isinstance(rel, sympy.Not):
            return self.relation(_negate(rel.args[0]))
        if not isinstance(rel, sympy.core.relational.Relational):
            raise _Refused(f"{sstr(rel)} is not a relation")
        diff = _integral(_add(self.lin(rel.lhs), self.lin(rel.rhs), Fraction(-1)))
        one = {"": Fraction(1)}
        op = rel.rel_op
        if op == "==":
            return [[(diff, "==")]]
        if op == "!=":
            return [[(_add(diff, one, Fraction(-1)), ">=")],
                    [(_add(_scale(diff, Fraction(-1)), one, Fraction(-1)), ">=")]]
        if op == ">=":
            return [[(diff, ">=")]]
        if op == ">":
            return [[(_add(diff, one, Fraction(-1)), ">=")]]
        if op == "<=":
            return [[(_scale(diff, Fraction(-1)), ">=")]]
        if op == "<":
            return [[(_add(_scale(diff, Fraction(-1)), one, Fraction(-1)), ">=")]]
        raise _Refused(f"relation sign {op!r}")


def _integral(x: Lin) -> Lin:
    """``x`` times the lcm of its denominators: same sign, integer-valued on integers."""
    m = 1
    for cv in x.values():
        m = m * cv.denominator // math.gcd(m, cv.denominator)
    return _scale(x, Fraction(m)) if m != 1 else x


def _negate(rel: Any) -> Any:
    ops = {"==": sympy.Ne, "!=": sympy.Eq, "<=": sympy.Gt, "<": sympy.Ge, ">=": sympy.Lt,
           ">": sympy.Le}
    return ops[rel.rel_op](rel.lhs, rel.rhs, evaluate=False)


# --- integer Fourier-Motzkin --------------------------------------------------------------

def _normal(coeffs: dict[str, int], const: int, op: str) -> Con | bool:
    """Divide by the gcd (rounding the constant down for >=); True/False when constant."""
    coeffs = {v: c for v, c in coeffs.items() if c}
    if not coeffs:
        return const >= 0 if op == ">=" else const == 0
    g = 0
    for c in coeffs.values():
        g = math.gcd(g, c)
    if op == "==":
        if const % g:
            return False
        return {v: c // g for v, c in coeffs.items()}, const // g, op
    return {v: c // g for v, c in coeffs.items()}, const // g, op


def _to_con(x: Lin, op: str) -> Con | bool:
    x = _integral(x)
    return _normal({v: int(c) for v, c in x.items() if v}, int(x.get("", Fraction(0))), op)


@dataclass
class _Elim:
    status: str              # "unsat", "sat", "unknown"
    exact: bool
    history: list[tuple[str, str, Any]]


def _eliminate(cons: list[Con], budget: Budget | None) -> _Elim:
    eqs = [c for c in cons if c[2] == "=="]
    ineqs = [c for c in cons if c[2] == ">="]
    exact = True
    history: list[tuple[str, str, Any]] = []
    while True:
        if budget is not None:
            budget.tick()
        # substitute equalities with a unit coefficient
        while eqs:
            eq = next((e for e in eqs if any(abs(c) == 1 for c in e[0].values())), None)
            if eq is None:
                exact = False
                for co, k0, _ in eqs:
                    ineqs.append((co, k0, ">="))
                    ineqs.append(({v: -c for v, c in co.items()}, -k0, ">="))
                eqs = []
                break
            eqs.remove(eq)
            co, k0, _ = eq
            x = next(v for v, c in sorted(co.items()) if abs(c) == 1)
            cx = co[x]
            # x = -cx * (rest)
            rest = {v: -cx * c for v, c in co.items() if v != x}
            rk = -cx * k0
            history.append(("eq", x, (rest, rk)))
            new_eqs: list[Con] = []
            new_ineqs: list[Con] = []
            for bucket, target in ((eqs, new_eqs), (ineqs, new_ineqs)):
                for co2, k2, op2 in bucket:
                    if x in co2:
                        a_ = co2[x]
                        co3 = {v: c for v, c in co2.items() if v != x}
                        for v, c in rest.items():
                            co3[v] = co3.get(v, 0) + a_ * c
                        n = _normal(co3, k2 + a_ * rk, op2)
                    else:
                        n = (co2, k2, op2)
                    if n is False:
                        return _Elim("unsat", exact, history)
                    if n is not True:
                        target.append(n)
            eqs, ineqs = new_eqs, new_ineqs
        normed = []
        for co, k0, op in ineqs:
            n = _normal(co, k0, op)
            if n is False:
                return _Elim("unsat", exact, history)
            if n is not True:
                normed.append(n)
        # keep the tightest constraint per coefficient vector
        tight: dict[tuple[tuple[str, int], ...], int] = {}
        for co, k0, _ in normed:
            key = tuple(sorted(co.items()))
            tight[key] = min(k0, tight.get(key, k0))
        for key, k0 in tight.items():
            neg = tuple(sorted((v, -c) for v, c in key))
            if neg in tight and k0 + tight[neg] < 0:
                return _Elim("unsat", exact, history)
        ineqs = [(dict(key), k0, ">=") for key, k0 in tight.items()]
        if len(ineqs) > MAX_CONSTRAINTS:
            return _Elim("unknown", False, history)
        variables = sorted({v for co, _, _ in ineqs for v in co})
        if not variables:
            return _Elim("sat", exact, history)
        best = None
        for x in variables:
            lo = [c for c in ineqs if c[0].get(x, 0) > 0]
            hi = [c for c in ineqs if c[0].get(x, 0) < 0]
            ex = all(c[0][x] == 1 for c in lo) or all(c[0][x] == -1 for c in hi) or not lo or not hi
            score = (0 if ex else 1, len(lo) * len(hi) - len(lo) - len(hi))
            if best is None or score < best[0]:
                best = (score, x, lo, hi, ex)
        assert best is not None
        _score, x, lo, hi, ex = best
        exact = exact and ex
        history.append(("ineq", x, lo + hi))
        rest_c = [c for c in ineqs if x not in c[0]]
        for (cl, kl, _), (cu, ku, _) in itertools.product(lo, hi):
            al, bu = cl[x], -cu[x]
            comb: dict[str, int] = {}
            for v, c in cl.items():
                if v != x:
                    comb[v] = comb.get(v, 0) + bu * c
            for v, c in cu.items():
                if v != x:
                    comb[v] = comb.get(v, 0) + al * c
            rest_c.append((comb, bu * kl + al * ku, ">="))
        ineqs = rest_c


def _witness(history: list[tuple[str, str, Any]]) -> dict[str, int] | None:
    """Integer values read back through the eliminations (None if a gap has no integer)."""
    env: dict[str, int] = {}

    def val(co: dict[str, int], k0: int, skip: str) -> int:
        return k0 + sum(c * env.get(v, 0) for v, c in co.items() if v != skip)

    for kind, x, data in reversed(history):
        if kind == "eq":
            rest, rk = data
            env[x] = rk + sum(c * env.get(v, 0) for v, c in rest.items())
            continue
        lo_b: int | None = None
        hi_b: int | None = None
        for co, k0, _ in data:
            c = co[x]
            rest_v = val(co, k0, x)
            if c > 0:      # c x + rest >= 0  ->  x >= ceil(-rest / c)
                b = -((rest_v) // c)
                lo_b = b if lo_b is None else max(lo_b, b)
            else:          # x <= floor(rest / -c)
                b = rest_v // (-c)
                hi_b = b if hi_b is None else min(hi_b, b)
        if lo_b is not None and hi_b is not None and lo_b > hi_b:
            return None
        env[x] = lo_b if lo_b is not None else (hi_b if hi_b is not None else 0)
    return env


# --- the decision ---------------------------------------------------------------------------

def _outer_denominators(e: Any) -> set[sympy.Symbol]:
    """Parameters divided by outside any floor, ceiling or mod (``X/s + 1``)."""
    if isinstance(e, (sympy.floor, sympy.ceiling, sympy.Mod)):
        return set()
    if isinstance(e, sympy.Pow) and e.exp.is_Integer and int(e.exp) < 0 \
            and isinstance(e.base, sympy.Symbol):
        return {e.base}
    out: set[sympy.Symbol] = set()
    for a in getattr(e, "args", ()):
        out |= _outer_denominators(a)
    return out


def _clear_denominators(b: _Builder, lhs: Any, rhs: Any) -> tuple[Any, Any]:
    """Both sides times the parameters they divide by, where each is positive.

    Rule (sound for =, <=, <, >=, >): for D > 0, ``L op R`` holds exactly when
    ``D L op D R`` does; a parameter whose domain starts at 1 (``s, k, d``) is positive.
    Products that appear (``s floor(X/s)``) are then the floor's quotient rule's.
    """
    dens = _outer_denominators(lhs) | _outer_denominators(rhs)
    if not dens or not all(DOMAIN_MIN.get(x, 0) >= 1 for x in dens):
        return lhs, rhs
    factor = sympy.Mul(*sorted(dens, key=lambda x: x.name))
    b.rule(f"multiply both sides by {sstr(factor)} > 0 (each at least 1): the relation is kept")
    return (sympy.expand_mul(lhs * factor, deep=False),
            sympy.expand_mul(rhs * factor, deep=False))


def decide(lhs: Any, rhs: Any, op: str, hypotheses: list[Any] | tuple[Any, ...],
           variables: list[sympy.Symbol] | tuple[sympy.Symbol, ...],
           budget: Budget | None = None) -> Decision:
    """Decide ``lhs op rhs`` for every integer point of ``variables`` (each at least its
    domain minimum) satisfying ``hypotheses``; see the module docstring for the rules."""
    lows = {x.name: DOMAIN_MIN[x] for x in variables}
    b = _Builder(lows)
    lhs, rhs = _clear_denominators(b, lhs, rhs)
    goal = sympy.core.relational.Relational.ValidRelationOperator[op](lhs, rhs, evaluate=False)
    try:
        hyp_dnf: list[list[list[tuple[Lin, str]]]] = [b.relation(h) for h in hypotheses]
        neg = b.relation(_negate(goal))
    except _Refused as exc:
        return Decision(None, tuple(b.rules), 0, reason=f"undecided: {exc}")
    for name, lo in list(b.lows.items()):
        if lo is not None:
            b.facts.append(({name: Fraction(1), "": Fraction(-lo)}, ">="))
    splits = [*hyp_dnf, *b.choices, neg]
    n_cases = 1
    for alts in splits:
        n_cases *= max(len(alts), 1)
    if n_cases > MAX_CASES:
        return Decision(None, tuple(b.rules), 0,
                        reason=f"undecided: {n_cases} case splits exceed the bound of {MAX_CASES}")
    base: list[Con] = []
    for lin, op_ in b.facts:
        c = _to_con(lin, op_)
        if c is False:
            return Decision(None, tuple(b.rules), 0, reason="undecided: contradictory domain")
        if c is not True:
            base.append(c)
    undecided = ""
    witness: dict[str, int] | None = None
    tried = 0
    try:
        for combo in itertools.product(*splits):
            tried += 1
            cons = _case(base, combo)
            if cons is None:
                continue
            res = _eliminate(cons, budget)
            if res.status == "unsat":
                continue
            w = _witness(res.history) if res.status == "sat" else None
            if w is not None and witness is None:
                witness = {x.name: w.get(x.name, DOMAIN_MIN[x]) for x in variables}
            if res.status == "sat" and res.exact and not b.opaque and not b.relaxed:
                return Decision(False, tuple(b.rules), tried, witness=witness,
                                reason="an integer configuration breaks the claim")
            if not undecided:
                undecided = _why(b, res)
    except BudgetExhausted as exc:
        return Decision(None, tuple(b.rules), tried, reason=f"undecided: {exc.reason}")
    if not undecided:
        try:
            vacuous = _all_infeasible(base, [*hyp_dnf, *b.choices], budget)
        except BudgetExhausted as exc:
            return Decision(None, tuple(b.rules), tried, reason=f"undecided: {exc.reason}")
        if vacuous:
            return Decision(None, tuple(b.rules), n_cases, vacuous=True, reason=(
                "no configuration satisfies the conditions and the validity of the "
                "configuration together: the claim would hold vacuously"))
        return Decision(True, tuple(b.rules), n_cases)
    return Decision(None, tuple(b.rules), tried, witness=witness, reason=undecided)


def _case(base: list[Con], combo: Any) -> list[Con] | None:
    """The constraints of one case: ``base`` and one alternative of each split, or None
    when an alternative is false outright (the case is empty)."""
    cons = list(base)
    for conj in combo:
        for lin, op_ in conj:
            c = _to_con(lin, op_)
            if c is False:
                return None
            if c is not True:
                cons.append(c)
    return cons


def _all_infeasible(base: list[Con], splits: list[Any], budget: Budget | None) -> bool:
    """True when every case of ``base`` and ``splits`` has no integer solution."""
    for combo in itertools.product(*splits):
        cons = _case(base, combo)
        if cons is not None and _eliminate(cons, budget).status != "unsat":
            return False
    return True


def _why(b: _Builder, res: _Elim) -> str:
    if b.opaque:
        terms = ", ".join(dict.fromkeys(b.opaque))
        return (f"undecided: nonlinear in {terms} (a product of two unknowns, kept as an opaque "
                "integer); the linear constraints left a case open")
    if b.relaxed:
        return (f"undecided: {', '.join(dict.fromkeys(b.relaxed))} has a parameter denominator "
                "(a relaxation: s q is N - r, the quotient itself only bounded); the "
                "constraints left a case open")
    if res.status == "unknown":
        return f"undecided: the elimination grew past {MAX_CONSTRAINTS} constraints"
    return ("undecided: a case is feasible over the rationals but the elimination was not exact "
            "(no unit coefficient), so integer feasibility is open")
