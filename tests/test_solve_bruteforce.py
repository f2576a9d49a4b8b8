"""Whole solution sets equal brute force over bounded grids, for every (relation, unknown).

The oracle evaluates each relation through ``sympy.lambdify`` (sympy's own code
printer, not symconv's exact evaluator) at every candidate value of the
unknown in ``[domain_min, BOUND]`` and keeps those where the equation and every
condition hold.  symconv's answer, cut to the same window, must be that set;
and where symconv says the set is bounded above, nothing beyond must satisfy
the relation (checked further out).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.relations import RELATIONS
from symconv.solving import DEFAULTS
from symconv.symbols import DOMAIN_MIN

BOUND = 60
FAR = 400

_MODULES = [{"floor": math.floor, "ceiling": math.ceil, "Mod": lambda x, y: x % y,
             "Max": max, "Min": min}, "math"]


def _oracle(rel):
    syms = sorted(rel.variables, key=lambda v: v.name)
    exprs = [sympy.Eq(rel.lhs, rel.rhs)] + [c.expr for c in rel.conditions]
    fns = [sympy.lambdify(syms, e, modules=_MODULES) for e in exprs]

    def holds(env):
        args = [Fraction(env[v.name]) for v in syms]     # exact: no float division
        try:
            return all(bool(f(*args)) for f in fns)
        except ZeroDivisionError:
            return False
    return holds


ORACLES = {name: _oracle(rel) for name, rel in RELATIONS.items()}

# the relations an ML engineer solves, and for each the small grid of givens
SOLVABLE = list(RELATIONS)
# TF's SAME total padding is a max of a ceiling of i/s: symconv solves it for T, k and d
# (one case of the max each); for s by putting in each s up to i (past it ceil(i/s) = 1),
# and for i by its period s: every residue class (a range), none (empty), or some, which
# is a periodic set, not intervals: undecided, the classes named in the message
PERIODIC = {("pad_same_tf", "i")}
PAIRS = [(name, v.name) for name in SOLVABLE
         for v in sorted(RELATIONS[name].variables, key=lambda v: v.name)]

_RANGES = {"i": (1, 24), "o": (1, 24), "k": (1, 7), "s": (1, 5), "p": (0, 5), "d": (1, 4),
           "a": (0, 4), "p_l": (0, 5), "p_r": (0, 5), "khat": (1, 20), "i'": (1, 12),
           "itilde'": (1, 40), "F_i": (1, 8), "F_o": (1, 8), "g": (1, 4), "n": (1, 3),
           "b": (0, 1), "P": (1, 600), "T": (0, 12), "o'": (1, 24), "M": (0, 5000)}


@pytest.mark.parametrize(("name", "unknown"), PAIRS, ids=[f"{n}-{u}" for n, u in PAIRS])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_solution_set_equals_brute_force(name, unknown, data):
    rel = RELATIONS[name]
    holds = ORACLES[name]
    env = {}
    for v in sorted(rel.variables, key=lambda v: v.name):
        if v.name == unknown:
            continue
        lo, hi = _RANGES[v.name]
        env[v.name] = data.draw(st.integers(lo, hi), label=v.name)
    x0 = DOMAIN_MIN[next(v for v in rel.variables if v.name == unknown)]
    try:
        sol = sc.solve(name, unknown, **env)
    except sc.UndecidedError as why:
        assert (name, unknown) in PERIODIC, why
        period, classes = re.search(r"with i mod (\d+) in \{([\d, ]+)\}", str(why)).groups()
        expected = {x for x in range(x0, BOUND + 1) if holds({**env, unknown: x})}
        assert expected == {x for x in range(x0, BOUND + 1)
                            if x % int(period) in {int(c) for c in classes.split(", ")}}
        assert 0 < len(classes.split(", ")) < int(period)
        return
    except sc.DomainError:
        # a given alone breaks a rule of the relation: then no value of the unknown helps
        assert not any(holds({**env, unknown: x}) for x in range(x0, BOUND + 1))
        return
    expected = {x for x in range(x0, BOUND + 1) if holds({**env, unknown: x})}
    assert sol.kind in ("finite", "range", "empty")
    got = {x for x in range(x0, BOUND + 1) if x in sol}
    assert got == expected, (name, unknown, env, sol, sol.reason)
    if sol.max is not None:
        assert not any(holds({**env, unknown: x}) for x in range(sol.max + 1, FAR))
    if sol.kind == "empty":
        assert sol.reason
    if sol.kind == "finite":
        assert list(sol) == sorted(expected | {v for v in sol.values if v > BOUND})


def test_defaults_are_pytorch_constructor_defaults():
    assert {k.name: v for k, v in DEFAULTS.items()} == {"d": 1, "a": 0, "g": 1, "b": 1}


def test_every_pair_is_covered():
    # each general relation contributes every one of its variables as an unknown
    for name in ("conv", "conv_transpose", "pool", "pool_ceil"):
        assert {u for n, u in PAIRS if n == name} == {v.name for v in RELATIONS[name].variables}


def test_pad_same_tf_for_k_with_i_free_is_its_formula_not_empty():
    # one case of the max could not hold (T = 2 is not 0): the answer was "empty" for all
    import math
    sol = sc.solve("pad_same_tf", "k", s=2, d=1, T=2)
    assert sol.kind == "symbolic"
    from symconv.symbols import i
    for size in range(1, 30):
        want = {k for k in range(1, 40)
                if max(0, (math.ceil(size / 2) - 1) * 2 + (k - 1) + 1 - size) == 2}
        value = sol.expr.subs(i, size)
        got = {int(value)} if all(bool(c.subs(i, size)) for c in sol.conditions) else set()
        assert got == want, size


def test_pad_same_tf_for_s_and_i_at_larger_sizes_equals_brute_force():
    # s up to i put in one by one, the tail past i decided once; i by its period s (they
    # were undecided: "need not form intervals")
    def total(i, k, s, d=1):
        return max(0, (-(-i // s) - 1) * s + d * (k - 1) + 1 - i)
    for i, k, T in ((10, 3, 2), (10, 1, 0), (97, 5, 4), (360, 7, 6), (1000, 2, 1)):
        sol = sc.solve("pad_same_tf", "s", i=i, k=k, T=T)
        assert {s for s in range(1, 3 * i) if s in sol} == \
            {s for s in range(1, 3 * i) if total(i, k, s) == T}, (i, k, T)
        assert (10 ** 9 in sol) == (total(i, k, 10 ** 9) == T)
    assert str(sc.solve("pad_same_tf", "s", i=10, k=3, T=2)) == "s in {1, 3, 9}"
    assert str(sc.solve("pad_same_tf", "i", k=3, s=1, T=2)) == "i >= 1"
    assert sc.solve("pad_same_tf", "i", k=3, s=4, T=9).kind == "empty"
    with pytest.raises(sc.UndecidedError, match=r"^pad_same_tf for i: every i >= 1 with i mod 2 "
                       r"in \{1\} \(the right side repeats every 2, shown symbolically\): a "
                       r"periodic set"):
        sc.solve("pad_same_tf", "i", k=3, s=2, T=2)
    with pytest.raises(sc.UndecidedError, match=r"s up to 200000 put in one by one: more than "
                       r"100000 values"):
        sc.solve("pad_same_tf", "s", i=200_000, k=3, T=2)
    with pytest.raises(sc.UndecidedError, match=r"it repeats every 100001 values of i, more "
                       r"than 100000 to put in"):
        sc.solve("pad_same_tf", "i", k=1, s=100_001, T=0)
    # the classes sorted, a long list cut with its count; an empty answer says why
    with pytest.raises(sc.UndecidedError, match=r"with i mod 6 in \{0, 4, 5\} "):
        sc.solve("pad_same_tf", "i", k=4, s=6, T=0)
    with pytest.raises(sc.UndecidedError, match=r"with i mod 99991 in \{0, 6, 7, 8, 9, 10, 11, "
                       r"12, 13, 14, 15, 16, \.\.\. \(99986 of 99991\)\} "):
        sc.solve("pad_same_tf", "i", k=6, s=99991, T=0)
    assert sc.solve("pad_same_tf", "i", k=3, s=4, T=9).reason == (
        "no residue of i mod 4 gives T = 9 (the right side repeats every 4, shown "
        "symbolically; each residue put in)")
    # --explain of a searched answer (an internal error, exit 3)
    text = sc.solve("pad_same_tf", "s", i=10, k=3, T=2).explain()
    assert text.splitlines()[-2:] == ["answer:  s in {1, 3, 9}", "checked: substitution"]
