r"""Generate :mod:`symconv._numeric_tables` from the relations (run once, committed).

The numeric fast path must not import sympy, yet it may not restate a formula.
So the formulas are *generated*: for every relation and every unknown, the
:class:`~symconv._elimination.Plan` that floor elimination derives (linear integer
constraints ``alpha x + beta >= 0`` whose coefficients are integer expressions of
the givens) is printed as a straight-line Python function with exact integer
floor division, and every relation with its conditions is printed as a checked
``holds`` function used to verify each answer by substitution.  A test
regenerates the module and asserts it is identical to the committed one, so the
tables can never drift from :mod:`symconv.relations`.

Regenerate with ``python -m symconv._numeric_gen --write``.

>>> text = generate()
>>> "def solve_conv__p(" in text and "def holds_conv(" in text
True
"""

from __future__ import annotations

import sympy

from ._compiled import _IntPrinter, integer_exact
from ._elimination import Plan, plan
from .printing import latex
from .relations import RELATIONS, RULES, Relation
from .solution import FINITE_LIMIT
from .symbols import DOMAIN_MIN, SYMBOLS

__all__ = ["generate", "ident"]

_PRINTER = _IntPrinter({"fully_qualified_modules": False, "inline": True,
                        "allow_unknown_functions": False})


def ident(name: str) -> str:
    """A Python identifier for a symbol name: ``i'`` -> ``v_i_q``."""
    return "v_" + name.replace("'", "_q")


def _code(expr: sympy.Basic) -> str:
    plain = expr.xreplace({x: sympy.Symbol(ident(x.name)) for x in expr.free_symbols
                           if isinstance(x, sympy.Symbol)})
    return str(_PRINTER.doprint(plain))


def _exact(expr: sympy.Basic) -> bool:
    return bool(integer_exact(expr)) and not expr.has(sympy.Max, sympy.Min, sympy.Piecewise,
                                                      sympy.log, sympy.sqrt)


def _holds(rel: Relation) -> list[str] | None:
    """``holds_<rel>(all variables)``: the relation and its conditions at integers."""
    exprs = [rel.rhs, *(c.expr for c in rel.conditions)]
    if not all(_exact(e) for e in exprs):
        return None
    args = ", ".join(ident(v.name) for v in rel.ordered_variables)
    tests = [f"({_code(rel.rhs)}) == {ident(rel.lhs.name)}",
             *(f"({_code(c.expr)})" for c in rel.conditions)]
    return [f"def holds_{rel.name}({args}):",
            "    try:",
            "        return bool(" + "\n                    and ".join(tests) + ")",
            "    except ZeroDivisionError:",
            "        return False"]


def _value(rel: Relation) -> list[str] | None:
    """``value_<rel>(inputs)``, the right side (None on a division by zero), and
    ``admits_<rel>(inputs)``, whether every condition holds: the forward map of the
    relation, read by the framework presets without sympy."""
    exprs = [rel.rhs, *(c.expr for c in rel.conditions)]
    if not all(integer_exact(e) and not e.has(sympy.Piecewise) for e in exprs):
        return None
    args = ", ".join(ident(n) for n in rel.inputs)
    conds = [f"({_code(c.expr)})" for c in rel.conditions] or ["True"]
    return [f"def value_{rel.name}({args}):",
            "    try:",
            f"        return {_code(rel.rhs)}",
            "    except ZeroDivisionError:",
            "        return None",
            "",
            "",
            f"def admits_{rel.name}({args}):",
            "    try:",
            "        return bool(" + "\n                    and ".join(conds) + ")",
            "    except ZeroDivisionError:",
            "        return False"]


def _constant_atom(al: int, be: str, op: str) -> list[str]:
    """Code for ``al x + be >= 0`` (or ``== 0``) with a constant coefficient ``al``."""
    if op == "==":
        if al == 0:
            return [f"        if ({be}) != 0:", "            break"]
        return [f"        be = {be}", f"        if be % {al}:", "            break",
                f"        v = -be // {al}",
                "        if lo is None or v > lo:", "            lo = v",
                "        if hi is None or v < hi:", "            hi = v"]
    if al > 0:
        return [f"        v = -(({be}) // {al})" if al != 1 else f"        v = -({be})",
                "        if lo is None or v > lo:", "            lo = v"]
    if al < 0:
        return [f"        v = ({be}) // {-al}" if al != -1 else f"        v = {be}",
                "        if hi is None or v < hi:", "            hi = v"]
    return [f"        if ({be}) < 0:", "            break"]


def _solver(rel: Relation, pl: Plan) -> list[str] | None:
    """``solve_<rel>__<x>(givens)``: the integer intervals of x, or None (general path)."""
    x = pl.unknown
    others = [v for v in rel.ordered_variables if v != x]
    statics = [cond for cond, _, _ in pl.static]
    if not all(_exact(c) for c in statics):
        return None
    body: list[str] = []
    for c in statics:
        body += [f"    if not ({_code(c)}):", "        return None"]
    if pl.evaluate:
        if not _exact(rel.rhs):
            return None
        lo = DOMAIN_MIN.get(x, 0)
        body += [f"    v = {_code(rel.rhs)}", f"    if v < {lo}:", "        return None",
                 "    return [(v, v)]"]
    else:
        body.append("    out = []")
        for br in pl.branches:
            if br.roots is not None or br.filters or br.guards or \
                    any(len(c.atoms) != 1 for c in br.clauses):
                return None
            atoms = [c.atoms[0] for c in br.clauses]
            if not all(_exact(t.alpha) and _exact(t.beta) for t in atoms):
                return None
            body += ["    lo = None", "    hi = None", "    while True:"]
            for t in atoms:
                al, be = sympy.expand(t.alpha), sympy.expand(t.beta)
                if al.is_Integer:      # the common case: a constant coefficient
                    body += _constant_atom(int(al), _code(be), t.op)
                    continue
                body.append(f"        al = {_code(al)}")
                body.append(f"        be = {_code(be)}")
                if t.op == "==":
                    body += ["        if al == 0:", "            if be != 0:", "                break",
                             "        elif be % al:", "            break",
                             "        else:", "            v = -be // al",
                             "            if lo is None or v > lo:", "                lo = v",
                             "            if hi is None or v < hi:", "                hi = v"]
                else:
                    body += ["        if al > 0:", "            v = -(be // al)",
                             "            if lo is None or v > lo:", "                lo = v",
                             "        elif al < 0:", "            v = be // -al",
                             "            if hi is None or v < hi:", "                hi = v",
                             "        elif be < 0:", "            break"]
            body += ["        if lo is None or hi is None or lo <= hi:",
                     "            out.append((lo, hi))", "        break"]
        body.append("    return out")
    args = ", ".join(ident(v.name) for v in others)
    return [f"def solve_{rel.name}__{ident(x.name)[2:]}({args}):", *body]


def _answer(rel: Relation, x: sympy.Symbol, solver: str) -> list[str]:
    """``answer_<rel>__<x>(givens)``: the solver with its checks, in one call.

    None when a given is not an int in its domain or the solver has no answer (the
    general path then decides and explains); the interval ``(lo, hi)`` when it is one
    finite interval of at most ``FINITE_LIMIT`` values and every value holds in the
    checked relation while the integers just outside do not (``False`` when a check
    fails); otherwise the solver's list of intervals, for the caller to verify.
    """
    others = [v for v in rel.ordered_variables if v != x]
    args = ", ".join(ident(v.name) for v in others)
    domain = " or ".join(f"type({ident(v.name)}) is not int or {ident(v.name)} < "
                         f"{DOMAIN_MIN.get(v, 0)}" for v in others) or "False"
    probe = ", ".join(ident(v.name) if v != x else "v" for v in rel.ordered_variables)
    lo_x = DOMAIN_MIN.get(x, 0)
    return [f"def answer_{rel.name}__{ident(x.name)[2:]}({args}):",
            f"    if {domain}:",
            "        return None",
            f"    parts = {solver}({args})",
            "    if not parts:",
            "        return None",
            "    if len(parts) != 1:",
            "        return parts",
            "    lo, hi = parts[0]",
            f"    if lo is None or hi is None or hi - lo >= {FINITE_LIMIT}:",
            "        return parts",
            "    for v in range(lo, hi + 1):",
            f"        if not holds_{rel.name}({probe}):",
            "            return False",
            "    v = lo - 1",
            f"    if v >= {lo_x} and holds_{rel.name}({probe}):",
            "        return False",
            "    v = hi + 1",
            f"    if v >= {lo_x} and holds_{rel.name}({probe}):",
            "        return False",
            "    return (lo, hi)"]


def generate() -> str:
    """The text of :mod:`symconv._numeric_tables`."""
    out = ['"""Generated by symconv._numeric_gen from symconv.relations: do not edit.',
           "",
           "Straight-line exact-integer solvers and checked relations for the numeric fast",
           "path (:mod:`symconv._numeric`); a test regenerates this file and compares.",
           '"""',
           "# ruff: noqa",
           "# mypy: ignore-errors",
           "",
           f"SYMBOLS = {tuple(SYMBOLS)!r}",
           f"DOMAIN_MIN = {({x.name: v for x, v in DOMAIN_MIN.items()})!r}",
           f"LATEX = {({n: latex(x) for n, x in SYMBOLS.items()})!r}",
           f"VARIABLES = {({n: tuple(v.name for v in r.ordered_variables) for n, r in RELATIONS.items()})!r}",
           "", ""]
    holds: dict[str, str] = {}
    solvers: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    answers: dict[tuple[str, str], str] = {}
    for name, rel in RELATIONS.items():
        h = _holds(rel)
        if h is None:
            continue
        out += h + ["", ""]
        holds[name] = f"holds_{name}"
        for x in rel.ordered_variables:
            try:
                pl = plan(rel, x)
            except NotImplementedError:
                continue
            f = _solver(rel, pl)
            if f is None:
                continue
            out += f + ["", ""]
            fname = f.pop(0).split("(")[0][4:]
            solvers[(name, x.name)] = (fname, tuple(v.name for v in rel.ordered_variables
                                                    if v != x))
            out += _answer(rel, x, fname) + ["", ""]
            answers[(name, x.name)] = "answer" + fname[5:]
    values: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, rel in {**RELATIONS, **RULES}.items():
        v = _value(rel)
        if v is not None:
            out += v + ["", ""]
            values[name] = (f"value_{name}, admits_{name}", tuple(rel.inputs))
    out.append("CONDITION_RULES = {" + ",\n                   ".join(
        f"{n!r}: {tuple(c.rule for c in r.conditions)!r}"
        for n, r in {**RELATIONS, **RULES}.items() if n in values) + "}")
    out.append("VALUES = {" + ",\n          ".join(
        f"{n!r}: ({f}, {args!r})" for n, (f, args) in values.items()) + "}")
    out.append("")
    out.append("# VALUES[name] = (value, admits, inputs); CONDITION_RULES[name]: each condition's rule")
    out.append("HOLDS = {" + ", ".join(f"{n!r}: {f}" for n, f in holds.items()) + "}")
    out.append("SOLVERS = {" + ",\n           ".join(
        f"{key!r}: ({f}, {args!r})" for key, (f, args) in solvers.items()) + "}")
    out.append("ANSWERS = {" + ",\n           ".join(
        f"{key!r}: {f}" for key, f in answers.items()) + "}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys
    from pathlib import Path
    text = generate()
    if sys.argv[1:] == ["--write"]:
        Path(__file__).with_name("_numeric_tables.py").write_text(text)
    else:
        print(text, end="")
