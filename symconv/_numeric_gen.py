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

from typing import Any

import sympy

from ._compiled import _IntPrinter, integer_exact
from ._elimination import Plan, plan
from ._gate import MAX_AXES
from .printing import latex, sstr
from .receptive import _step_forms
from .relations import NO_WASTE, RELATIONS, RULES, Relation
from .solution import FINITE_LIMIT
from .symbols import DOMAIN_MIN, SYMBOLS, least

__all__ = ["generate", "ident"]

class _TablePrinter(_IntPrinter):
    """:class:`~symconv._compiled._IntPrinter` with ``Max``/``Min`` of integers as
    ``(a + b ± abs(a - b)) // 2``: exact, and it reads numpy arrays as well as ints
    (Python's ``max`` does not), so a relation with ``a < max(s, d)`` vectorises."""

    def _extreme(self, args: tuple[sympy.Basic, ...], sign: str) -> str:
        first, *rest = args
        out = self._print(first)
        for b in rest:
            other = self._print(b)
            out = f"((({out}) + ({other}) {sign} abs(({out}) - ({other}))) // 2)"
        return str(out)

    def _print_Max(self, expr: sympy.Max) -> str:
        return self._extreme(expr.args, "+")

    def _print_Min(self, expr: sympy.Min) -> str:
        return self._extreme(expr.args, "-")


_PRINTER = _TablePrinter({"fully_qualified_modules": False, "inline": True,
                          "allow_unknown_functions": False})


def ident(name: str) -> str:
    """A Python identifier for a symbol name: ``i'`` -> ``v_i_q``."""
    return "v_" + name.replace("'", "_q")


def _code(expr: sympy.Basic) -> str:
    plain = expr.xreplace({x: sympy.Symbol(ident(x.name)) for x in expr.free_symbols
                           if isinstance(x, sympy.Symbol)})
    return str(_PRINTER.doprint(plain))


def _exact(expr: sympy.Basic) -> bool:
    """Printable as exact integer Python: every division inside a floor, ceiling or Mod;
    ``Max``/``Min`` print as ``max``/``min`` and ``Piecewise`` as a conditional
    expression (on Python integers, never arrays)."""
    return _integral(expr) and not expr.has(sympy.log, sympy.sqrt)


def _fraction(expr: sympy.Basic) -> tuple[sympy.Basic, sympy.Basic] | None:
    """``(num, den)`` with ``expr = num/den``, both printable exactly, when ``expr`` itself
    is not (``params``: ``F_o (F_i k^n + b g) / g``); else None."""
    num, den = sympy.fraction(sympy.together(expr))
    return (num, den) if den != 1 and _exact(num) and _exact(den) else None


def _stated() -> dict[str, str]:
    """What each special case is stated for (its setting, then its hypotheses), as an
    answer's note says it: ``{"dv3": "s = 1, p = floor(k/2), k is odd"}``."""
    from .relations import RELATIONS
    return {name: ", ".join([f"{sstr(x)} = {sstr(v)}" for x, v in rel.setting] +
                            [h.rule for h in rel.hypotheses])
            for name, rel in RELATIONS.items() if rel.setting or rel.hypotheses}


def _holds(rel: Relation) -> list[str] | None:
    """``holds_<rel>(all variables)``: the relation and its conditions at integers."""
    if not all(_exact(c.expr) for c in rel.conditions):
        return None
    lhs = ident(rel.lhs.name)
    if _exact(rel.rhs):
        test = f"({_code(rel.rhs)}) == {lhs}"
    elif (frac := _fraction(rel.rhs)) is not None:
        # lhs = num/den, at integers: den != 0 and num = den lhs
        test = f"({_code(frac[1])}) != 0 and ({_code(frac[0])}) == ({_code(frac[1])})*{lhs}"
    else:
        return None
    args = ", ".join(ident(v.name) for v in rel.ordered_variables)
    tests = [test, *(f"({_code(c.expr)})" for c in rel.conditions)]
    return [f"def holds_{rel.name}({args}):",
            "    try:",
            "        return bool(" + "\n                    and ".join(tests) + ")",
            "    except ZeroDivisionError:",
            "        return False"]


def _value(rel: Relation) -> list[str] | None:
    """``value_<rel>(inputs)``, the right side (None on a division by zero, or where a
    division outside a floor is not exact), ``admits_<rel>(inputs)``, whether every
    condition holds, and ``cond_<rel>_<n>(its inputs)``, the ``n``-th condition: the
    forward map of the relation, read without sympy by the framework presets and the
    checked evaluator of :mod:`symconv._forward`."""
    conds = [c.expr for c in rel.conditions]
    if not all(integer_exact(e) for e in conds) or \
            any(not set(c.free_symbols) <= set(rel.variables) - {rel.lhs} for c in conds):
        return None
    args = ", ".join(ident(n) for n in rel.inputs)
    if _integral(rel.rhs):
        body = [f"        return {_code(rel.rhs)}"]
    else:
        # a division outside a floor (params: F_i F_o k^n / g): exact where it divides
        num, den = sympy.fraction(sympy.together(rel.rhs))
        if not (_integral(num) and _integral(den)):
            return None
        body = [f"        num = {_code(num)}", f"        den = {_code(den)}",
                "        return None if num % den else num // den"]
    tests = [f"({_code(c)})" for c in conds] or ["True"]
    out = [f"def value_{rel.name}({args}):",
           "    try:",
           *body,
           "    except ZeroDivisionError:",
           "        return None",
           "",
           "",
           f"def admits_{rel.name}({args}):",
           "    try:",
           "        return bool(" + "\n                    and ".join(tests) + ")",
           "    except ZeroDivisionError:",
           "        return False"]
    for n, c in enumerate(conds):
        names = ", ".join(ident(x) for x in _reads(rel, c))
        out += ["", "", f"def cond_{rel.name}_{n}({names}):",
                "    try:",
                f"        return {_code(c)}",
                "    except ZeroDivisionError:",
                "        return False"]
    return out


def _integral(expr: sympy.Basic) -> bool:
    """:func:`~symconv._compiled.integer_exact`, a power to a nonnegative integer
    variable (``k**n``) counting as an integer."""
    return bool(integer_exact(expr.replace(
        lambda e: isinstance(e, sympy.Pow) and e.exp.is_Symbol and e.exp.is_integer and
        e.exp.is_nonnegative, lambda e: sympy.Dummy(integer=True))))


def _reads(rel: Relation, expr: sympy.Basic) -> tuple[str, ...]:
    """The inputs of ``rel`` that ``expr`` reads, in the relation's order."""
    return tuple(n for n in rel.inputs if SYMBOLS[n] in expr.free_symbols)


def _array_safe(expr: sympy.Basic) -> bool:
    """Printed code that reads numpy arrays as well as ints: arithmetic, floors (``//``),
    ``%``, ``Max``/``Min`` (printed with ``abs``) and one comparison; no conditional or
    ``and``/``or``."""
    return not expr.has(sympy.Piecewise, sympy.And, sympy.Or, sympy.Not)


def _poly(expr: sympy.Basic) -> tuple[tuple[int, tuple[tuple[str, int], ...]], ...] | None:
    """``expr`` as integer-coefficient monomials ``(coefficient, ((name, power), ...))``,
    or None when it is not a polynomial with integer coefficients."""
    terms = []
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coeff, rest = term.as_coeff_Mul()
        if not coeff.is_Integer:
            return None
        powers = []
        for base, ex in rest.as_powers_dict().items():
            if base == 1:
                continue
            if not (isinstance(base, sympy.Symbol) and ex.is_Integer and ex >= 0):
                return None
            powers.append((base.name, int(ex)))
        terms.append((int(coeff), tuple(sorted(powers))))
    return tuple(terms)


def _vector(rel: Relation, pl: Plan) -> Any:
    """The plan's clauses as data for the numpy design search (:mod:`symconv.design`):
    ``((alpha terms, beta terms, op), ...)`` for ``alpha x + beta op 0``, and the indices
    of the relation's conditions free of ``x``; None when the plan is not one branch of
    single-atom polynomial clauses or a condition does not read arrays."""
    x = pl.unknown
    if pl.evaluate or len(pl.branches) != 1:
        return None
    br = pl.branches[0]
    if br.roots is not None or br.filters or br.guards or any(len(c.atoms) != 1
                                                              for c in br.clauses):
        return None
    atoms = []
    for c in br.clauses:
        a = c.atoms[0]
        al, be = _poly(a.alpha), _poly(a.beta)
        if al is None or be is None:
            return None
        atoms.append((al, be, a.op))
    statics = tuple(n for n, c in enumerate(rel.conditions) if not c.expr.has(x))
    if not all(_array_safe(rel.conditions[n].expr) for n in statics):
        return None
    return tuple(atoms), statics


_NO_WASTE_READS = ("i", "k", "s", "d", "p_l", "p_r")
"""The inputs of the ``no_waste`` rule, in the order its generated function takes them."""


def _receptive_step() -> list[str]:
    """``receptive_step(r, j, P, khat, s, p_l)``: :func:`symconv.receptive.step` at
    integers, printed from the two-layer closed forms."""
    forms, _ = _step_forms()
    names = ("r", "j", "P", "khat", "s", "p_l")
    plain = [e.xreplace({x: sympy.Symbol(ident(x.name)) for x in e.free_symbols})
             for e in forms]
    return [f"def receptive_step({', '.join(ident(n) for n in names)}):",
            "    return (" + ", ".join(str(_PRINTER.doprint(e)) for e in plain) + ")"]


def _bound(side: str, known: set[str], ind: str, sure: bool) -> list[str]:
    """Code keeping ``v`` as a bound: ``side`` is ``lo`` (the largest lower bound wins) or
    ``hi`` (the smallest upper bound).  ``known`` holds ``side`` once the emitted code has
    certainly set it (no ``is None`` test is printed after that) and ``side + "?"`` once
    it may have; the first bound stored unconditionally (``sure``) on a side no code has
    touched is a plain store."""
    cmp = ">" if side == "lo" else "<"
    if side in known:
        return [f"{ind}if v {cmp} {side}:", f"{ind}    {side} = v"]
    if sure:
        plain = side + "?" not in known
        known.add(side)
        if plain:
            return [f"{ind}{side} = v"]
    else:
        known.add(side + "?")
    return [f"{ind}if {side} is None or v {cmp} {side}:", f"{ind}    {side} = v"]


def _atom(al: sympy.Expr, be: str, op: str, known: set[str], ind: str, fail: str
          ) -> list[str]:
    """Code for the atom ``al x + be >= 0`` (or ``== 0``): it narrows ``lo``/``hi``, or runs
    ``fail`` (no integer x satisfies it)."""
    if al.is_Integer:               # the common case: a constant coefficient
        a = int(al)
        if op == "==":
            if a == 0:
                return [f"{ind}if ({be}) != 0:", f"{ind}    {fail}"]
            return [f"{ind}be = {be}", f"{ind}if be % {a}:", f"{ind}    {fail}",
                    f"{ind}v = -be // {a}", *_bound("lo", known, ind, True),
                    *_bound("hi", known, ind, True)]
        if a > 0:
            return [f"{ind}v = -(({be}) // {a})" if a != 1 else f"{ind}v = -({be})",
                    *_bound("lo", known, ind, True)]
        if a < 0:
            return [f"{ind}v = ({be}) // {-a}" if a != -1 else f"{ind}v = {be}",
                    *_bound("hi", known, ind, True)]
        return [f"{ind}if ({be}) < 0:", f"{ind}    {fail}"]
    out = [f"{ind}al = {_code(al)}", f"{ind}be = {be}"]
    deeper = ind + "    "
    if op == "==":
        return [*out, f"{ind}if al == 0:", f"{ind}    if be != 0:", f"{deeper}    {fail}",
                f"{ind}elif be % al:", f"{ind}    {fail}",
                f"{ind}else:", f"{ind}    v = -be // al",
                *_bound("lo", known, deeper, False), *_bound("hi", known, deeper, False)]
    return [*out, f"{ind}if al > 0:", f"{ind}    v = -(be // al)",
            *_bound("lo", known, deeper, False),
            f"{ind}elif al < 0:", f"{ind}    v = be // -al",
            *_bound("hi", known, deeper, False),
            f"{ind}elif be < 0:", f"{ind}    {fail}"]


def _unset(known: set[str]) -> list[str]:
    """The tests ``lo is None`` / ``hi is None`` the emitted code still needs."""
    return [f"{side} is None" for side in ("lo", "hi") if side not in known]


def _prelude(rel: Relation, pl: Plan) -> list[str] | None:
    """The solver's first lines: the checks on the givens that decline (return None)."""
    statics = [cond for cond, _, _ in pl.static]
    if not all(_exact(c) for c in statics):
        return None
    body: list[str] = []
    if any(v.name == "n" for v in rel.ordered_variables if v != pl.unknown):
        # the number of axes is an exponent (k^n): past the general path's limit it
        # refuses with its rule, so decline before a power is built
        body += [f"    if {ident('n')} > {MAX_AXES}:", "        return None"]
    for c in statics:
        body += [f"    if not ({_code(c)}):", "        return None"]
    return body


def _forward(rel: Relation, pl: Plan) -> list[str] | None:
    """The lines that set ``v`` to the right side (the unknown is the left side), or
    return None where it is not an integer in the unknown's domain."""
    if _exact(rel.rhs):
        body = [f"    v = {_code(rel.rhs)}"]
    elif (frac := _fraction(rel.rhs)) is not None:
        # no integer value where it does not divide: the general path says why
        body = [f"    num = {_code(frac[0])}", f"    den = {_code(frac[1])}",
                "    if den == 0 or num % den:", "        return None",
                "    v = num // den"]
    else:
        return None
    return [*body, f"    if v < {DOMAIN_MIN.get(pl.unknown, 0)}:", "        return None"]


def _printable(br: Any) -> bool:
    """Whether a branch of the plan prints as exact integer code."""
    return br.roots is None and not br.filters and all(
        _exact(t.alpha) and _exact(t.beta) for c in br.clauses for t in c.atoms) and \
        all(_exact(g) for g in br.guards)


def _solver(rel: Relation, pl: Plan) -> list[str] | None:
    """``solve_<rel>__<x>(givens)``: the integer intervals of x, or None (general path)."""
    x = pl.unknown
    others = [v for v in rel.ordered_variables if v != x]
    body = _prelude(rel, pl)
    if body is None:
        return None
    if pl.evaluate:
        forward = _forward(rel, pl)
        if forward is None:
            return None
        body += [*forward, "    return [(v, v)]"]
    else:
        if not all(_printable(br) for br in pl.branches):
            return None
        body.append("    out = []")
        for br in pl.branches:
            atoms = [c.atoms[0] for c in br.clauses if len(c.atoms) == 1]
            unions = [c.atoms for c in br.clauses if len(c.atoms) > 1]
            # a case of the relation runs when its guards hold (the loop is a block left
            # by break: once, or not at all)
            guard = " and ".join(f"({_code(g)})" for g in br.guards) or "True"
            body += ["    lo = None", "    hi = None", f"    while {guard}:"]
            known: set[str] = set()
            for t in atoms:
                body += _atom(sympy.expand(t.alpha), _code(sympy.expand(t.beta)), t.op,
                              known, "        ", "break")
            if not unions:
                body += [f"        if {' or '.join([*_unset(known), 'lo <= hi'])}:",
                         "            out.append((lo, hi))", "        break"]
                continue
            # a disjunction of atoms (a < max(s, d): a < s or a < d) may split the
            # interval: each atom's set united (IntSet.of_atom), met with it
            body += ["        part = IntSet.closed(lo, hi)"]
            for u in unions:
                sets = " | ".join(
                    f"IntSet.of_atom({_code(sympy.expand(t.alpha))}, {_code(sympy.expand(t.beta))}, "
                    f"{t.op!r})" for t in u)
                body += [f"        part = part & ({sets})"]
            body += ["        out.extend(part.intervals)", "        break"]
        body.append("    return out")
    args = ", ".join(ident(v.name) for v in others)
    return [f"def solve_{rel.name}__{ident(x.name)[2:]}({args}):", *body]


def _inline(rel: Relation, pl: Plan) -> tuple[list[str], set[str]] | None:
    """The solver's body for the answer, when the plan is one interval (the forward map,
    or one case without a disjunction): lines leaving its ends in ``lo``/``hi`` (the
    ends certainly set in the returned set) and returning None where the solver finds
    nothing.  None for the other plans (the answer calls the solver)."""
    body = _prelude(rel, pl)
    if body is None:
        return None
    if pl.evaluate:
        forward = _forward(rel, pl)
        return None if forward is None else ([*body, *forward, "    lo = hi = v"], {"lo", "hi"})
    if len(pl.branches) != 1 or not _printable(br := pl.branches[0]) or \
            any(len(c.atoms) != 1 for c in br.clauses):
        return None
    if br.guards:
        body += ["    if not (" + " and ".join(f"({_code(g)})" for g in br.guards) + "):",
                 "        return None"]
    body += ["    lo = None", "    hi = None"]
    known: set[str] = set()
    for c in br.clauses:
        t = c.atoms[0]
        body += _atom(sympy.expand(t.alpha), _code(sympy.expand(t.beta)), t.op,
                      known, "    ", "return None")
    return body, known


def _answer(rel: Relation, pl: Plan, solver: str) -> list[str]:
    """``answer_<rel>__<x>(givens)``: the solver with its checks, in one call.

    None when a given is not an int in its domain or the solver has no answer (the
    general path then decides and explains); the interval ``(lo, hi)`` when it is one
    finite interval of at most ``FINITE_LIMIT`` values and every value holds in the
    checked relation while the integers just outside do not (``False`` when a check
    fails); otherwise the solver's list of intervals, for the caller to verify.  Where
    the plan is one interval the solver's lines are printed in place (no list built).
    """
    x = pl.unknown
    others = [v for v in rel.ordered_variables if v != x]
    args = ", ".join(ident(v.name) for v in others)
    domain = " or ".join(f"type({ident(v.name)}) is not int or {ident(v.name)} < "
                         f"{DOMAIN_MIN.get(v, 0)}" for v in others) or "False"
    probe = ", ".join(ident(v.name) if v != x else "v" for v in rel.ordered_variables)
    lo_x = DOMAIN_MIN.get(x, 0)
    head = [f"def answer_{rel.name}__{ident(x.name)[2:]}({args}):",
            f"    if {domain}:",
            "        return None"]
    inline = _inline(rel, pl)
    if inline is None:
        body = [f"    parts = {solver}({args})",
                "    if not parts:",
                "        return None",
                "    if len(parts) != 1:",
                "        return parts",
                "    lo, hi = parts[0]",
                f"    if lo is None or hi is None or hi - lo >= {FINITE_LIMIT}:",
                "        return parts"]
    else:
        body, known = inline
        if unset := _unset(known):
            body += [f"    if {' or '.join(unset)}:", "        return [(lo, hi)]"]
        if not pl.evaluate:         # the forward map's one value: lo = hi
            body += ["    if lo > hi:", "        return None",
                     f"    if hi - lo >= {FINITE_LIMIT}:", "        return [(lo, hi)]"]
    check = ["    for v in range(lo, hi + 1):",
             f"        if not holds_{rel.name}({probe}):",
             "            return False"] if inline is None or not pl.evaluate else [
             f"    if not holds_{rel.name}({probe}):", "        return False"]
    return [*head, *body, *check,
            "    v = lo - 1",
            f"    if v >= {lo_x} and holds_{rel.name}({probe}):",
            "        return False",
            "    v = hi + 1",
            f"    if v >= {lo_x} and holds_{rel.name}({probe}):",
            "        return False",
            "    return (lo, hi)"]


def generate() -> str:
    """The text of :mod:`symconv._numeric_tables`."""
    defaults_to = {n: tuple((v.name, w.name) for v, w in r.defaults_to)
                   for n, r in RELATIONS.items() if r.defaults_to}
    out = ['"""Generated by symconv._numeric_gen from symconv.relations: do not edit.',
           "",
           "Straight-line exact-integer solvers and checked relations for the numeric fast",
           "path (:mod:`symconv._numeric`); a test regenerates this file and compares.",
           '"""',
           "# ruff: noqa",
           "# mypy: ignore-errors",
           "",
           "from symconv._intervals import IntSet",
           "",
           f"SYMBOLS = {tuple(SYMBOLS)!r}",
           f"DOMAIN_MIN = {({x.name: v for x, v in DOMAIN_MIN.items()})!r}",
           f"LATEX = {({n: latex(x) for n, x in SYMBOLS.items()})!r}",
           f"VARIABLES = {({n: tuple(v.name for v in r.ordered_variables) for n, r in RELATIONS.items()})!r}",
           f"DEFAULTS_TO = {defaults_to!r}",
           f"STATED = {_stated()!r}",
           "", ""]
    holds: dict[str, str] = {}
    vectors: dict[tuple[str, str], Any] = {}
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
            out += _answer(rel, pl, fname) + ["", ""]
            answers[(name, x.name)] = "answer" + fname[5:]
            vec = _vector(rel, pl)
            if vec is not None:
                vectors[(name, x.name)] = vec
    values: dict[str, tuple[str, tuple[str, ...]]] = {}
    checked: dict[str, tuple[tuple[str, int], tuple[tuple[str, int], ...],
                             tuple[tuple[str, tuple[str, ...], str], ...]]] = {}
    powers: dict[str, tuple[str, ...]] = {}
    for name, rel in {**RELATIONS, **RULES}.items():
        v = _value(rel)
        if v is not None:
            out += v + ["", ""]
            values[name] = (f"value_{name}, admits_{name}", tuple(rel.inputs))
            syms = {v.name: v for v in rel.variables}
            checked[name] = ((rel.lhs.name, least(rel.lhs)),
                             tuple((n, least(syms[n])) for n in rel.inputs), tuple(
                (f"cond_{name}_{n}", _reads(rel, c.expr), c.message)
                for n, c in enumerate(rel.conditions)))
            pw = rel.powered
            if pw is not None:
                powers[name] = pw
    out += _receptive_step() + ["", ""]
    # conditions that are rules of their own (not of one relation): design preferences
    out += ["def rule_no_waste(" + ", ".join(ident(n) for n in _NO_WASTE_READS) + "):",
            "    try:", f"        return {_code(NO_WASTE.expr)}",
            "    except ZeroDivisionError:", "        return False", "", ""]
    out.append("CONDITION_RULES = {" + ",\n                   ".join(
        f"{n!r}: {tuple(c.rule for c in r.conditions)!r}"
        for n, r in {**RELATIONS, **RULES}.items() if n in values) + "}")
    out.append("VALUES = {" + ",\n          ".join(
        f"{n!r}: ({f}, {args!r})" for n, (f, args) in values.items()) + "}")
    out.append("CHECKED = {" + ",\n           ".join(
        f"{n!r}: ({lhs!r}, {lows!r}, (" + "".join(f"({f}, {a!r}, {m!r}), " for f, a, m in cs)
        + "))" for n, (lhs, lows, cs) in checked.items()) + "}")
    out.append(f"POWERS = {powers!r}")
    out.append(f"RULE_CONDITIONS = {{'no_waste': (rule_no_waste, {_NO_WASTE_READS!r})}}")
    out.append("ARRAY_SAFE = {" + ", ".join(
        f"{n!r}: {_array_safe(r.rhs) and all(_array_safe(c.expr) for c in r.conditions)!r}"
        for n, r in {**RELATIONS, **RULES}.items() if n in values) + "}")
    out.append("VECTOR_PLANS = {" + ",\n                ".join(
        f"{key!r}: {vec!r}" for key, vec in vectors.items()) + "}")
    out.append("")
    out.append("# VALUES[name] = (value, admits, inputs); CONDITION_RULES[name]: each condition's "
               "rule; CHECKED[name] = ((left side, least), ((input, least), ...), "
               "((condition, its inputs, message), ...)); "
               "POWERS[name]: the inputs that enter only as x**n; ARRAY_SAFE[name]: value and "
               "conditions read numpy arrays; VECTOR_PLANS[(name, x)]: the plan's clauses as "
               "integer polynomials and the conditions free of x, for the design search")
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
