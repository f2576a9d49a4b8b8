"""The numeric fast path: generated from the relations, equal to the general path, no sympy."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import symconv
from symconv import _numeric, _numeric_tables, query
from symconv._numeric_gen import generate
from symconv.relations import RELATIONS
from symconv.solution import Solution
from symconv.solving import DEFAULTS
from symconv.symbols import SYMBOLS


def test_generated_tables_match_the_relations() -> None:
    committed = Path(_numeric_tables.__file__).read_text()
    assert generate() == committed, \
        "regenerate: python -m symconv._numeric_gen --write"


def test_defaults_agree() -> None:
    assert _numeric.DEFAULT_VALUES == {x.name: v for x, v in DEFAULTS.items()}


def _fresh(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    return out.stdout


def test_cli_numeric_solve_never_imports_sympy() -> None:
    out = _fresh("import runpy, sys\n"
                 "sys.argv = ['symconv', 'solve', 'conv', 'i=224', 'k=7', 's=2', 'o=112']\n"
                 "try:\n    runpy.run_module('symconv', run_name='__main__')\n"
                 "except SystemExit as e:\n    assert not e.code, e.code\n"
                 "print('sympy' in sys.modules)\n")
    assert out == "p = 3\n  assumed: d = 1 (PyTorch's defaults; give them to change)\nFalse\n"


def test_api_numeric_solve_never_imports_sympy_until_asked() -> None:
    out = _fresh("import sys, symconv as sc\n"
                 "sol = sc.solve('conv', o=112, k=7, s=2, p=3)\n"
                 "print(sol, sol.latex(), 'sympy' in sys.modules)\n"
                 "print(sol.unknown.is_integer, 'sympy' in sys.modules)\n")
    assert out == "i in {223, 224} i \\in \\left\\{223, 224\\right\\} False\nTrue True\n"


def test_api_presets_and_special_cases_never_import_sympy() -> None:
    # sc.preset came through symconv.frameworks, which imports the relations (sympy);
    # a special case's note is generated, not read off its relation
    out = _fresh("import sys, symconv as sc\n"
                 "r = sc.preset('tf', 'SAME').apply(input=225, kernel_size=4, stride=2)\n"
                 "print(r.p_l, r.p_r, r.o, sc.same_padding('onnx', i=225, k=4, s=2),\n"
                 "      sc.solve('dv3', o=5, unknown='i').note, 'sympy' in sys.modules)\n")
    assert out == "1 2 113 (1, 2) dv3 is stated for s = 1, p = floor(k/2), k is odd False\n"


def test_transposed_and_ceil_mode_solves_never_import_sympy() -> None:
    """Relations whose conditions hold a Max (a < max(s, d)) or whose right side is a
    Piecewise (ceil-mode pooling) have generated solvers too."""
    out = _fresh("import sys, symconv as sc\n"
                 "print(sc.solve('conv_transpose', 'a', i=3, k=3, s=2, p=1, o=6))\n"
                 "print(sc.solve('pool', i=5, k=2, s=2, p=0, ceil_mode=True))\n"
                 "print(sc.solve('conv_transpose', i=112, k=4, s=2, a=0, o=224))\n"
                 "print('sympy' in sys.modules)\n")
    assert out == "a = 1\no = 3\np = 1\nFalse\n"


def test_counts_solve_on_the_fast_path_and_refuse_a_huge_axis_count() -> None:
    """params and macs (an exact division by g) are generated; n, an exponent, past the
    general path's limit declines there, so the general path's rule answers (no power
    of a billion is built)."""
    assert str(_numeric.try_solve("params", None, False,
                                  {"F_i": 32, "F_o": 64, "k": 3, "n": 2})) == "P = 18496"
    assert _numeric.try_solve("params", None, False, {"F_i": 32, "F_o": 64, "k": 3, "n": 10**9}) \
        is None
    with pytest.raises(symconv.SymconvError, match="must be at most 64"):
        symconv.solve("params", F_i=32, F_o=64, k=3, n=10**9)


def test_cli_numeric_pad_never_imports_sympy() -> None:
    out = _fresh("import runpy, sys\n"
                 "for argv in (['pad', 'tf', 'SAME', 'i=225', 'k=4', 's=2'],\n"
                 "             ['pad', 'keras', 'same', '--transpose', 'i=5', 'k=3', 's=2']):\n"
                 "    sys.argv = ['symconv', *argv]\n"
                 "    try:\n        runpy.run_module('symconv', run_name='__main__')\n"
                 "    except SystemExit as e:\n        assert not e.code, e.code\n"
                 "print('sympy' in sys.modules)\n")
    assert out == ("tf SAME: total padding 3, split p_l=1, p_r=2 (extra at the end); output 113\n"
                   "keras same: total padding 1, split p_l=0, p_r=1 (extra at the end), "
                   "output_padding 0; output 10\nFalse\n")


def test_cli_numeric_net_never_imports_sympy() -> None:
    """A network's table, solved layer, accepted sizes and alignment: no sympy; a formula
    (--expr) imports it."""
    runs = [
        ["net", "conv k=7 s=2 p=3 in=3 out=64 | pool k=3 s=2 p=1 | conv k=3 p=1 in=64 out=64",
         "i=224"],
        ["net", "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1", "i=224", "o=7",
         "--solve", "3:s"],
        ["net", "conv k=7 s=2 p=3 | pool k=3 s=2 p=1", "--smallest", "--inputs-for", "56"],
        ["net", "conv k=3 p=1 @e | pool k=2 s=2 | conv k=3 p=1 | convt k=3 s=2 @d",
         "--align", "e=d", "--nearest", "100"],
        ["net", "conv k=3 s=2 p=SAME framework=tf | pool k=3 s=2 ceil=1 | up f=2 | "
         "convt k=4 s=2 p=1 in=3 out=8", "i=225,160", "--json"],
    ]
    out = _fresh("import contextlib, io, runpy, sys\n"
                 f"for argv in {runs!r}:\n"
                 "    sys.argv = ['symconv', *argv]\n"
                 "    with contextlib.redirect_stdout(io.StringIO()):\n"
                 "        try:\n            runpy.run_module('symconv', run_name='__main__')\n"
                 "        except SystemExit as e:\n            assert not e.code, (argv, e.code)\n"
                 "    print('sympy' in sys.modules)\n"
                 "sys.argv = ['symconv', 'net', 'conv k=3 s=2 p=1', '--expr']\n"
                 "with contextlib.redirect_stdout(io.StringIO()):\n"
                 "    try:\n        runpy.run_module('symconv', run_name='__main__')\n"
                 "    except SystemExit as e:\n        assert not e.code, e.code\n"
                 "print('sympy' in sys.modules)\n")
    assert out == "False\n" * len(runs) + "True\n"


def _outcome(call: Any, /, *args: Any, **kw: Any) -> Any:
    """``call(*args, **kw)``, or the refusal as ``(its type, its message)``."""
    try:
        return call(*args, **kw)
    except symconv.SymconvError as exc:
        return (type(exc), str(exc))


@pytest.mark.parametrize("name", sorted(n for n, (_, _, ins) in _numeric_tables.VALUES.items()
                                        if "i" in ins))
def test_bound_forward_map_equals_the_checked_one(name: str) -> None:
    """bound(name, "i", settings)(i) answers and refuses exactly as evaluate(name, ...)."""
    from symconv import _forward
    names = _forward.inputs(name)
    rng = random.Random(f"bound/{name}")
    for _ in range(60):
        fixed = {n: rng.randint(-1, 6) for n in names if n != "i"}
        run = _forward.bound(name, "i", fixed)
        for i in (-1, 0, 1, 2, 3, 5, 8, 13, 40):
            checked = _outcome(_forward.evaluate, name, i=i, **fixed)
            if run is None:     # a setting fails its own checks: refused at every size
                assert isinstance(checked, tuple), (fixed, i, checked)
            else:
                assert checked == _outcome(run, i), (fixed, i)


def test_a_chain_pickles_without_its_cached_maps() -> None:
    import pickle

    from symconv.chain import Chain
    net = Chain.parse("conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | up f=2")
    assert net.output(224) == 112
    back = pickle.loads(pickle.dumps(net))
    assert back == net and back.output(224) == 112 and back.output(225) == 114


def test_numeric_chain_answers_equal_the_relations() -> None:
    """Layer sizes from the generated forward maps equal the sympy relations' own values."""
    from symconv.chain import Chain
    from symconv.relations import RULES
    rels = {**RELATIONS, **RULES}
    net = Chain.parse("conv k=3 s=2 p=1 d=2 | pool k=3 s=2 ceil=1 | convt k=4 s=3 p=1 a=2 | "
                      "pool k=2 framework=onnx p=0:1 | up f=3")
    for i in range(9, 120):
        sizes = net.sizes(i)
        assert sizes[1] == rels["conv"].evaluate(i=i, k=3, s=2, p=1, d=2)
        assert sizes[2] == rels["pool_ceil"].evaluate(i=sizes[1], k=3, s=2, p=0, d=1)
        assert sizes[3] == rels["conv_transpose"].evaluate(i=sizes[2], k=4, s=3, p=1, d=1, a=2)
        assert sizes[4] == rels["pool_onnx"].evaluate(i=sizes[3], k=2, s=2, d=1, p_l=0, p_r=1)
        assert sizes[5] == rels["upsample"].evaluate(i=sizes[4], f=3)


@pytest.mark.parametrize("name", sorted(_numeric_tables.VALUES))
def test_generated_forward_maps_equal_the_relations(name: str) -> None:
    # value_<name> is the right side and admits_<name> the conditions, at integers
    from symconv._exact import compile_expr
    from symconv.relations import RULES
    rel = {**RELATIONS, **RULES}[name]
    value, admits, names = _numeric_tables.VALUES[name]
    assert names == tuple(rel.inputs)
    rhs = compile_expr(rel.rhs)
    conds = [compile_expr(c.expr) for c in rel.conditions]
    assert _numeric_tables.CONDITION_RULES[name] == tuple(c.rule for c in rel.conditions)
    (lhs, _), _, checks = _numeric_tables.CHECKED[name]
    assert lhs == rel.lhs.name
    assert [(reads, message) for _, reads, message in checks] == [
        (tuple(n for n in names if SYMBOLS[n] in c.expr.free_symbols), c.message)
        for c in rel.conditions]
    rng = random.Random(name)
    for _ in range(300):
        env = {n: rng.randint(0, 40) if n in ("p", "p_l", "p_r", "a", "T", "b") else
               rng.randint(1, 40) for n in names}
        exact = rhs(env)
        # a division outside a floor (params, macs) is None where it does not divide
        assert value(*(env[n] for n in names)) == (exact if exact == int(exact) else None), env
        assert admits(*(env[n] for n in names)) == all(bool(c(env)) for c in conds), env
        for (check, reads, _), cond in zip(checks, conds, strict=True):
            assert check(*(env[n] for n in reads)) == bool(cond(env)), env


@pytest.mark.parametrize("name", sorted(_numeric_tables.CHECKED))
def test_generated_checked_evaluator_equals_the_relation(name: str) -> None:
    """The same answer or the same refusal, word for word, as Relation.evaluate."""
    from symconv import _forward
    from symconv.relations import RULES
    rel = {**RELATIONS, **RULES}[name]
    rng = random.Random(f"checked/{name}")
    for _ in range(300):
        env = {n: rng.randint(-2, 12) for n in rel.inputs}
        assert _outcome(rel.evaluate, **env) == _outcome(_forward.evaluate, name, **env), env


def test_lazy_unknown_is_the_canonical_symbol() -> None:
    by_name = Solution("conv", "p_l", "empty", {})
    by_symbol = Solution("conv", SYMBOLS["p_l"], "empty", {})
    assert by_name == by_symbol and by_name.unknown is SYMBOLS["p_l"]
    assert by_name.latex() == r"p_{l} \in \emptyset"


def _cases() -> list[tuple[str, str]]:
    return sorted(_numeric_tables.SOLVERS)


def general_solve(rel: str, x: str | None = None, **given: object) -> object:
    """The general path alone (the fast path switched off for this call)."""
    saved = query.try_solve
    query.try_solve = lambda *args: None  # type: ignore[assignment]
    try:
        return query.solve(rel, x, **given)
    finally:
        query.try_solve = saved


@pytest.mark.parametrize(("rel", "x"), _cases())
def test_fast_path_equals_general_path(rel: str, x: str) -> None:
    """Every generated solver against the general solver, on varied integer questions."""
    rng = random.Random(f"{rel}/{x}")
    names = [v.name for v in RELATIONS[rel].ordered_variables if v.name != x]
    answered = 0
    declined: list[object] = []
    for _ in range(40):
        given = {n: rng.randint(_numeric_tables.DOMAIN_MIN[n], 9) for n in names}
        # the counts' rules (g divides both channel counts, the bias is 0 or 1) hold
        # at random values rarely: draw them from what the rules allow, mostly
        given.update({n: rng.choice((0, 1, 1, 2)) for n in ("b",) if n in given})
        given.update({n: rng.choice((1, 1, 2)) for n in ("g",) if n in given})
        if rng.random() < 0.5:      # also questions built to have an answer
            truth = {**given, x: rng.randint(_numeric_tables.DOMAIN_MIN[x], 9)}
            lhs = RELATIONS[rel].lhs.name
            if lhs != x:
                try:
                    given[lhs] = RELATIONS[rel].evaluate(
                        **{n: truth[n] for n in RELATIONS[rel].inputs})
                except symconv.SymconvError:
                    pass
        try:
            expected = general_solve(rel, x, **given)
        except symconv.SymconvError:
            expected = None
        got = _numeric.try_solve(rel, x, False, given)
        if got is None:     # declined: the general path answers (empty, refused, ...)
            declined.append((given, expected))
        else:
            answered += 1
            assert got == expected and got.kind == expected.kind and str(got) == str(expected)
            assert got.to_dict() == expected.to_dict()
    assert answered > 0
    # the fast path declines only what it cannot state: no answer, or a refusal
    assert all(e is None or e.kind == "empty" for _, e in declined), declined


def test_public_solve_goes_through_the_fast_path() -> None:
    sol = symconv.solve("conv", kernel_size=7, stride=2, i=224, o=112)
    assert repr(sol) == "Solution(p = 3)" and sol.defaults == {"d": 1}
    assert sol == general_solve("conv", "p", k=7, s=2, i=224, o=112)
    # what the fast path declines, the general path answers
    assert str(symconv.solve("conv", o="i", s=1, unknown="p")) == \
        "p = d*(k - 1)/2  if d*(k - 1) is divisible by 2"
    with pytest.raises(symconv.DomainError, match="stride s must be a positive integer"):
        symconv.solve("conv", i=224, k=7, s=0, o=112)


def test_integer_constructor_equals_the_dataclass() -> None:
    from symconv._intervals import IntSet
    fast = Solution._integer("conv", "p", "finite", {"i": 224}, ((3, 3),), "substitution",
                             {"d": 1})
    slow = Solution("conv", "p", "finite", {"i": 224}, set=IntSet(((3, 3),)),
                    verified="substitution", defaults={"d": 1})
    import dataclasses
    assert fast == slow and hash(fast.set) == hash(slow.set)
    assert all(getattr(fast, f.name) == getattr(slow, f.name) for f in dataclasses.fields(slow))
    assert repr(fast) == repr(slow) and fast.to_dict() == slow.to_dict()


def test_compiled_route_equals_the_general_tail() -> None:
    # the straight-line function per (relation, unknown, names) and the generic code agree,
    # for single finite intervals (compiled) as well as ranges and unions (the tail)
    rng = random.Random(5)
    for _ in range(300):
        q = {"i": rng.randint(1, 300), "k": rng.randint(1, 9), "s": rng.randint(1, 5),
             "p": rng.randint(0, 4), "d": rng.randint(1, 3)}
        x = rng.choice(sorted(q))
        o = (q["i"] + 2 * q["p"] - q["d"] * (q["k"] - 1) - 1) // q["s"] + 1
        if o < 1:
            continue
        given = {n: v for n, v in {**q, "o": o}.items() if n != x}
        route = _numeric._route("conv", x, False, tuple(given))
        assert route is not None
        tail = _numeric._finish(route, [*given.values(), *route[8].values()],
                                route[2](*[[*given.values(), *route[8].values()][j]
                                           for j in route[3]]))
        assert _numeric._compile(route, tuple(given))(given) == tail, (x, given)
        got = symconv.solve("conv", unknown=x, **given)
        assert got == tail and got.given == tail.given and got.defaults == tail.defaults


@pytest.mark.parametrize("name", sorted(RELATIONS))
def test_fused_batch_equals_evaluate_and_leaves_inputs_alone(name: str) -> None:
    np = pytest.importorskip("numpy")
    rel = RELATIONS[name]
    rng = np.random.default_rng(len(name))
    arrays = {n: rng.integers(-2, 30, 400) for n in rel.inputs}
    before = {n: a.copy() for n, a in arrays.items()}
    try:
        values, valid = rel.evaluate_batch(**arrays)
    except ValueError as exc:       # a power per row (params, macs): no exact int64 form
        assert isinstance(exc, symconv.UsageError) and "raises to a power given per row" in str(exc)
        return
    assert all((arrays[n] == before[n]).all() for n in arrays)        # nothing written in place
    for j in range(400):
        try:
            want = rel.evaluate(**{n: int(a[j]) for n, a in arrays.items()})
        except ValueError:
            want = None
        if want is not None and want < 2 ** 62:
            assert valid[j] and values[j] == want, (name, j)
        else:
            assert not valid[j], (name, j)


@pytest.mark.parametrize(("rel", "x"), [("conv_transpose", "s"), ("conv_transpose", "d"),
                                        ("conv_transpose_asym", "s"), ("pool_ceil", "k"),
                                        ("pool_ceil", "d")])
def test_disjunctions_and_cases_equal_brute_force(rel: str, x: str) -> None:
    """The solvers with a disjunction (a < max(s, d)) or several guarded cases (ceil-mode
    pooling) against every value 1..80 tried in the relation itself."""
    relation = RELATIONS[rel]
    names = [v.name for v in relation.ordered_variables if v.name != x]
    rng = random.Random(f"brute/{rel}/{x}")
    answered = 0
    for _ in range(400):
        truth = {n: rng.randint(_numeric_tables.DOMAIN_MIN[n], 6) for n in names}
        truth[x] = rng.randint(1, 6)
        try:
            truth[relation.lhs.name] = relation.evaluate(
                **{n: truth[n] for n in relation.inputs})
        except symconv.SymconvError:
            continue
        given = {n: truth[n] for n in names}
        holds = _numeric_tables.HOLDS[rel]
        order = [v.name for v in relation.ordered_variables]
        brute = {v for v in range(1, 81) if holds(*({**given, x: v}[n] for n in order))}
        got = _numeric.try_solve(rel, x, False, given)
        assert got is not None and got.set is not None, given      # it has an answer
        answered += 1
        assert {v for v in brute} == {v for v in range(1, 81) if v in got.set}, given
    assert answered > 40


def _same_as_general(rel: str, given: dict[str, object]) -> bool:
    """``_numeric.solve`` answers (or refuses) as the general path; True when answered."""
    try:
        expected = general_solve(rel, None, **given)
    except symconv.SymconvError as exc:
        with pytest.raises(type(exc)):
            _numeric.solve(rel, **given)
        return False
    got = _numeric.solve(rel, **given)
    assert got == expected and str(got) == str(expected) and got.to_dict() == expected.to_dict()
    return True


@pytest.mark.parametrize("rel", ["conv", "conv_transpose", "pool"])
def test_per_axis_fast_path_equals_general_path(rel: str) -> None:
    """Per-axis integer givens are answered axis by axis on the fast path, the same
    AxisSolutions as the general path (and no sympy: tested on the CLI above)."""
    rng = random.Random(f"axes/{rel}")
    names = [v.name for v in RELATIONS[rel].ordered_variables if v.name != "o"]
    for _ in range(60):
        given: dict[str, object] = {n: rng.randint(_numeric_tables.DOMAIN_MIN[n], 5)
                                    for n in names if n not in ("d", "a")}
        given["i"] = (rng.randint(1, 40), rng.randint(1, 40))
        if rng.random() < 0.5:
            given["k"] = (rng.randint(1, 5), rng.randint(1, 5))
        _same_as_general(rel, given)
    with pytest.raises(symconv.UsageError, match="different lengths"):
        _numeric.solve("conv", i=(224, 160), k=(7, 5, 3), s=2, p=3)


def test_cli_per_axis_solve_never_imports_sympy() -> None:
    out = _fresh("import runpy, sys\n"
                 "sys.argv = ['symconv', 'solve', 'conv', 'i=224,160', 'k=7', 's=2', 'p=3']\n"
                 "try:\n    runpy.run_module('symconv', run_name='__main__')\n"
                 "except SystemExit as e:\n    assert not e.code, e.code\n"
                 "print('sympy' in sys.modules)\n")
    assert out == "axis 0: o = 112\naxis 1: o = 80\n  assumed: d = 1 (PyTorch's defaults; give them to change)\nFalse\n"


def test_counts_over_axes_fast_path_equals_general_path() -> None:
    """params/macs with per-axis values: one answer over the axes, the general path's."""
    rng = random.Random("counts/axes")
    answered = 0
    for _ in range(60):
        rel = rng.choice(("params", "macs"))
        given: dict[str, object] = {"in": rng.randint(1, 8) * 2, "out": rng.randint(1, 8) * 2,
                                    "k": [rng.randint(1, 7) for _ in range(rng.randint(1, 3))]}
        if rel == "macs":
            given["o"] = tuple(rng.randint(1, 60) for _ in given["k"])  # type: ignore[arg-type]
        if rng.random() < 0.3:
            given["g"] = 2
        if rng.random() < 0.3:
            given["n"] = len(given["k"]) + rng.choice((0, 0, 1))     # type: ignore[arg-type]
        answered += _same_as_general(rel, given)
    assert answered > 30
    out = _fresh("import sys, symconv as sc\n"
                 "print(sc.solve('params', F_i=32, F_o=32, k=(1, 7), n=2).to_dict()['note'])\n"
                 "print('sympy' in sys.modules)\n")
    assert out == "per-axis k: the n-th powers are products over the 2 axes\nFalse\n"


def test_design_space_search_never_imports_sympy() -> None:
    """A design space over a relation whose plan is generated: no sympy, in the API and
    the CLI, for one layer and for a chain, ranked by every preference."""
    out = _fresh("import contextlib, io, runpy, sys, symconv as sc\n"
                 "space = sc.solve('conv', ('k', 's', 'p'), i=224, o=56, "
                 "bounds={'k': 7, 'p': 3})\n"
                 "print(space.count, space.combos(limit=2, prefer=('odd', 'no_waste')))\n"
                 "up = sc.solve('conv_transpose', ('k', 's', 'p'), i=112, o=224, "
                 "bounds={'k': 6, 's': 4, 'p': 3})\n"
                 "print(up.count, up.combos(limit=1))\n"
                 "for argv in (['solve', 'conv', 'i=32', 'o=32', 's=1', '--for', 'k,p',"
                 " '--bounds', 'k<=7', '--json'],\n"
                 "             ['net', 'conv k=? s=2 p=? | pool k=3 s=2 p=1 | conv k=3 s=? p=1',"
                 " 'i=224', 'o=28', '--bounds', 'k<=7,p<=3']):\n"
                 "    sys.argv = ['symconv', *argv]\n"
                 "    with contextlib.redirect_stdout(io.StringIO()):\n"
                 "        try:\n            runpy.run_module('symconv', run_name='__main__')\n"
                 "        except SystemExit as e:\n            assert not e.code, e.code\n"
                 "print('sympy' in sys.modules)\n")
    assert out == ("12 [{'k': 1, 's': 4, 'p': 0}, {'k': 3, 's': 4, 'p': 0}]\n"
                   "3 [{'k': 2, 's': 2, 'p': 0}]\nFalse\n")


def test_generated_rule_conditions_equal_the_relations() -> None:
    """The design preference no_waste reads relations.NO_WASTE through its generated form."""
    from symconv._exact import compile_expr
    from symconv.relations import NO_WASTE
    check, reads = _numeric_tables.RULE_CONDITIONS["no_waste"]
    exact = compile_expr(NO_WASTE.expr)
    rng = random.Random("no_waste")
    for _ in range(500):
        env = {n: rng.randint(0 if n in ("p_l", "p_r") else 1, 30) for n in reads}
        assert bool(check(*(env[n] for n in reads))) == bool(exact(env)), env


@pytest.mark.parametrize(("rel", "x"), _cases())
def test_answer_equals_its_solver_and_brute_force(rel: str, x: str) -> None:
    """Every generated solver's intervals equal the values 0..60 that hold in the checked
    relation, and the generated answer (the solver's lines printed in place where the
    plan is one interval) returns what those intervals, verified value by value, give."""
    answer = _numeric_tables.ANSWERS[(rel, x)]
    solver, _ = _numeric_tables.SOLVERS[(rel, x)]
    holds = _numeric_tables.HOLDS[rel]
    order = list(_numeric_tables.VARIABLES[rel])
    names = [n for n in order if n != x]
    at = order.index(x)
    rng = random.Random(f"answer/{rel}/{x}")
    kinds: set[str] = set()
    relation = RELATIONS[rel]
    value = _numeric_tables.VALUES[rel][0] if rel in _numeric_tables.VALUES else None
    for n_case in range(400):
        truth = {n: rng.randint(_numeric_tables.DOMAIN_MIN[n], rng.choice((3, 9, 40)))
                 for n in order}
        if n_case % 2 and value is not None and relation.lhs.name != x:
            # built to have an answer: the left side from the others
            lhs = value(*(truth[n] for n in relation.inputs))
            if lhs is None or lhs < _numeric_tables.DOMAIN_MIN[relation.lhs.name]:
                continue
            truth[relation.lhs.name] = lhs
        args = [truth[n] for n in names]
        parts = solver(*args)
        got = answer(*args)
        if parts is not None and n_case % 4 < 2:       # the solver against brute force
            window = range(_numeric_tables.DOMAIN_MIN[x], 61)
            brute = {v for v in window if holds(*args[:at], v, *args[at:])}
            assert brute == {v for v in window if any(
                (a is None or a <= v) and (b is None or v <= b) for a, b in parts)}, args
        if not parts:
            assert got is None, (args, parts, got)
            kinds.add("none")
            continue
        lo, hi = parts[0]
        if len(parts) != 1 or lo is None or hi is None or hi - lo >= 1000:
            assert got == parts, (args, parts, got)
            kinds.add("parts")
            continue
        full = [*args[:at], 0, *args[at:]]

        def at_x(v: int) -> bool:
            full[at] = v
            return bool(holds(*full))
        exact = all(at_x(v) for v in range(lo, hi + 1)) and not any(
            v >= _numeric_tables.DOMAIN_MIN[x] and at_x(v) for v in (lo - 1, hi + 1))
        assert got == ((lo, hi) if exact else False), (args, parts, got)
        kinds.add("interval")
    assert "interval" in kinds or "parts" in kinds, kinds
