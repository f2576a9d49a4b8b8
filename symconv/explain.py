"""Answers that explain themselves: the derivation behind a solution, as text or LaTeX.

For a numeric answer the steps are those the solver took (:mod:`symconv._elimination`):
the relation; the givens substituted; each floor replaced by an integer ``q``
with its two inequalities; the resulting bound on the unknown from every
constraint; the integer set; and the check of the answer by substitution.
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from ._elimination import atom_set, atom_text, plan
from ._exact import Inexact, compile_expr
from ._intervals import IntSet
from ._layout import answer_rows, break_lines, fit, line_budget, width_pt
from .errors import UsageError
from .paper import prose
from .printing import SymconvLatexPrinter, sstr
from .printing import latex as _latex
from .relations import relation
from .solution import condition_text

__all__ = ["explain_solution", "Explanation"]


class Explanation(str):
    """The text of an explanation; shows as itself in a REPL and as LaTeX in Jupyter."""

    latex_text: str = ""

    def __repr__(self) -> str:
        return str(self)

    def _repr_latex_(self) -> str | None:
        if not self.latex_text:
            return None
        # aligned has no \intertext: the words become a \text row of their own
        body = re.sub(r"^\\intertext\{(.*)\}$", r"&\\text{\1} \\\\", self.latex_text,
                      flags=re.M)
        return "$\\begin{aligned}" + body + "\\end{aligned}$"


class _Floor(sympy.Function):
    """An inert floor: shown, not evaluated, while an explanation substitutes numbers."""

    def _latex(self, printer: Any) -> str:
        return printer._print(sympy.floor(sympy.Symbol("X"))).replace("X", _frac(printer, self.args[0]))

    def _sympystr(self, printer: Any) -> str:
        return printer._print(sympy.floor(sympy.Symbol("X"))).replace("X", _slash(printer, self.args[0]))


class _Ceil(sympy.Function):
    def _latex(self, printer: Any) -> str:
        return printer._print(sympy.ceiling(sympy.Symbol("X"))).replace("X", _frac(printer, self.args[0]))

    def _sympystr(self, printer: Any) -> str:
        return printer._print(sympy.ceiling(sympy.Symbol("X"))).replace("X", _slash(printer, self.args[0]))


def _slash(printer: Any, arg: Any) -> str:
    num, den = sympy.fraction(sympy.together(arg))
    return printer._print(arg) if den == 1 else f"({printer._print(num)})/{printer._print(den)}"


def _frac(printer: Any, arg: Any) -> str:
    num, den = sympy.fraction(sympy.together(arg))
    return printer._print(arg) if den == 1 else rf"\frac{{{printer._print(num)}}}{{{printer._print(den)}}}"


def _env(sol: Any) -> dict[str, Any]:
    return {**dict(sol.defaults), **dict(sol.given)}


def explain_solution(sol: Any, tex: bool = False) -> str:
    """The derivation of ``sol`` (a :class:`~symconv.solving.Solution`).

    >>> import symconv as sc
    >>> print(explain_solution(sc.solve("conv", i=224, k=7, s=2, o=112)).splitlines()[-1])
    check p=3:  1 + floor((223)/2) = 112 = 112  ok
    """
    rel = relation(sol.relation)
    x = sol.unknown
    env = _env(sol)
    per_axis = sorted(name for name, v in env.items() if isinstance(v, (tuple, list)))
    if per_axis:
        # an answer over the axes (params, macs) reads the relation at n = 1 with each x^n
        # the product of its values: a derivation of another relation than the one stated
        raise UsageError(f"explain: per-axis {', '.join(per_axis)} make this an answer over "
                         "the axes (each x^n the product of its values); the derivation is "
                         "shown for one value per name: give n= and single values")
    pr = _latex if tex else sstr
    lines: list[str] = []
    budget = line_budget("column")

    def add(text: str, math: str | list[str] = "") -> None:
        if tex:      # a paper's layout: the words as \intertext, the math on its own row
            # an underscore in the words (relation names) is text; inside $...$ it is math
            text = "$".join(re.sub(r"(?<!\\)_", r"\\_", part) if n % 2 == 0 else part
                            for n, part in enumerate(text.split("$")))
            # rows given as they are (broken to the column); one row scaled if wider
            if isinstance(math, str) and width_pt(math) > budget:
                # a step too wide: broken before its \iff or \Rightarrow, each part fitted
                parts = re.split(r" (\\iff|\\Rightarrow) ", math, maxsplit=1)
                math = [f"&{fit(parts[0], budget)}"]
                if len(parts) == 3:
                    math.append(rf"&\quad {parts[1]} {fit(parts[2], budget - 30)}")
            rows = math if isinstance(math, list) else [f"&{math}"] if math else []
            lines.append(rf"\intertext{{{text}}}" + "".join(f"\n{row} \\\\" for row in rows))
        else:
            lines.append(text + (f"  {math}" if math else ""))

    def eq(lhs: Any, rhs: Any) -> str | list[str]:
        if not tex:
            return f"{pr(lhs)} = {pr(rhs)}"
        # a paper column: the right side broken between its terms where it is too wide
        left = pr(lhs)
        parts = break_lines(rhs, SymconvLatexPrinter(), budget - width_pt(left) - 10)
        return ([f"&{left} = {fit(parts[0], budget)}"]
                + [rf"&\quad {fit(part, budget)}" for part in parts[1:]])

    def unevaluated(e: Any, mapping: dict[Any, Any]) -> Any:
        """Substitute and do the arithmetic, but keep floors and ceilings visible; of a
        relation in cases (ceil-mode pooling), the case whose condition holds there."""
        if isinstance(e, sympy.Piecewise):
            for piece, cond in e.args:
                held = cond.xreplace(mapping)       # real floors: decided when all are numbers
                if held is sympy.true:
                    return unevaluated(piece, mapping)
                if held is not sympy.false:
                    break       # not decided here (a symbol left): the cases, as written
        try:
            return e.replace(sympy.floor, _Floor).replace(sympy.ceiling, _Ceil).xreplace(mapping)
        except (TypeError, ValueError):
            # a max of a kept floor cannot be compared (pad_same_tf's max(..., 0)): the
            # roundings evaluated, the max kept
            return e.xreplace(mapping) if not e.has(sympy.Max, sympy.Min) else e.replace(
                sympy.Max, lambda *a_: sympy.Max(*a_, evaluate=False)).replace(
                sympy.Min, lambda *a_: sympy.Min(*a_, evaluate=False)).xreplace(mapping)

    add(f"relation {rel.name} ({rel.title}):", eq(rel.lhs, rel.rhs))
    numeric = {k: v for k, v in env.items() if isinstance(v, int)}
    sub = {sym: (sympy.Integer(env[sym.name]) if isinstance(env[sym.name], int) else env[sym.name])
           for sym in rel.variables if sym.name in env}
    shown = ", ".join(f"${_latex(sympy.Symbol(k))} = {_latex(v)}$" if tex else f"{k}={sstr(v)}"
                      for k, v in env.items())
    add(f"substitute the givens ({shown}):", eq(unevaluated(rel.lhs, sub), unevaluated(rel.rhs, sub)))
    if sol.kind == "symbolic":
        answer: str | list[str] = str(sol)
        if tex:
            answer = sol.latex() if width_pt(sol.latex()) <= budget else answer_rows(sol, budget)
        add("solve for " + x.name + " symbolically (same constraints, symbolic bounds):", answer)
        for c in sol.conditions:
            add("condition:", condition_text(c, tex))
        for part in (sol.note.split("; ") if sol.note else ()):
            # a case the answer leaves out, as the answer says it
            add("note: " + (prose(part) if tex else part))
        add(f"checked: {sol.verified}")
        return "\n".join(lines)
    try:
        pl = plan(rel, x)
    except NotImplementedError:     # answered by putting values in (pad_same_tf)
        add(f"the floor cannot be isolated for {x.name}: each value of {x.name} up to where "
            f"the relation stops depending on it (or one period, where it repeats) is put in, "
            "and what lies past shown symbolically")
        if sol.reason:
            add(sol.reason)
        add("answer:", sol.latex() if tex else str(sol))
        add(f"checked: {sol.verified}")
        return "\n".join(lines)
    if pl.evaluate:
        add(f"evaluate: {x.name} =", pr(sympy.Integer(sol.values[0])) if sol.values else "")
    missing = sorted(str(v) for v in rel.variables if v != x and str(v) not in numeric)
    if sol.kind == "empty" and missing:
        # a condition on the givens alone decided it: the branches need the rest
        add(f"with {', '.join(missing)} not given, the relation's conditions on the givens "
            "decide it: one fails")
    for br in ([] if sol.kind == "empty" and missing else pl.branches):
        if not all(compile_expr(g)(numeric) for g in br.guards):
            add("(a case whose condition does not hold here is skipped)")
            continue
        for atom, q in br.floors:
            add("eliminate the floor:", _floor_step(atom, q, sub, numeric, tex))
        for clause in br.clauses:
            texts = " or ".join(atom_text(a, x, numeric) for a in clause.atoms)
            interval = _atom_union(clause, numeric)
            if tex:
                texts = texts.replace(">=", r"\geq").replace("<=", r"\leq").replace("*", " ")
                texts = texts.replace(" or ", r" \text{ or } ")
                interval = re.sub(r"\binf\b", r"\\infty", interval).replace(" u ", r" \cup ")
                add(f"from {prose(clause.origin)}:",
                    rf"{texts} \Rightarrow {_latex(x)} \in {interval}")
            else:
                add(f"from {clause.origin}:", f"{texts}  =>  {x.name} in {interval}")
    if tex:
        add("integer solution set:", sol.latex_set())
    else:
        add(f"integer solution set: {sol}")
    if sol.reason:
        add(f"why: {prose(sol.reason) if tex else sol.reason}")
    if sol.kind in ("finite", "range") and sol.set is not None:
        probe = list(sol.set)[:3] if sol.bounded and sol.set.size() <= 50 else \
            [v for iv in sol.set.intervals for v in iv if v is not None][:2]
        for v in probe:
            env_v = {**numeric, x.name: v}
            try:
                lhs = compile_expr(rel.rhs)(env_v)
            except Inexact:
                continue
            shown_rhs = unevaluated(rel.rhs, {**sub, x: sympy.Integer(v)})
            target = env_v.get(rel.lhs.name, lhs)
            if tex:
                add(f"check {x.name}={v}:", rf"{_latex(shown_rhs)} = {lhs} = {target} \checkmark")
            else:
                add(f"check {x.name}={v}:", f"{sstr(shown_rhs)} = {lhs} = {target}  ok")
    return "\n".join(lines)


def _atom_union(clause: Any, env: dict[str, Any]) -> str:
    acc = IntSet.empty()
    for a in clause.atoms:
        acc = acc | atom_set(a, env)
    if not acc:
        return "{}"
    parts = []
    for lo, hi in acc.intervals:
        parts.append(f"[{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}]")
    return " u ".join(parts)


def _floor_step(atom: Any, q: Any, sub: dict[Any, Any], env: dict[str, Any], tex: bool) -> str:
    """``floor(N/D) = q  <=>  D q <= N <= D q + D - 1`` with the givens substituted."""
    num, den = sympy.fraction(sympy.together(atom.args[0]))
    qv = compile_expr(q)(env)
    n_s, d_s = num.subs(sub), den.subs(sub)
    lo, hi = d_s * qv, d_s * qv + d_s - 1
    if tex:
        return (rf"{_latex(atom.subs(sub))} = {qv} \iff {_latex(lo)} \leq {_latex(n_s)} "
                rf"\leq {_latex(hi)}")
    return f"{sstr(atom.subs(sub))} = {qv}  <=>  {sstr(lo)} <= {sstr(n_s)} <= {sstr(hi)}"
