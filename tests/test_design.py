"""Several unknowns: enumerated combinations and families equal brute force over the bounds."""

from __future__ import annotations

import itertools
import json
import random

import pytest
import sympy

import symconv as sc
from symconv.cli import main
from symconv.design import chain_design, feasibility, solve_many


def _holds(rel, env):
    r = sc.relation(rel)
    try:
        return r.evaluate(**{n: env[n] for n in r.inputs}) == env[r.lhs.name]
    except sc.DomainError:
        return False


@pytest.mark.parametrize("seed", range(15))
def test_single_layer_design_space_equals_brute_force(seed):
    rng = random.Random(seed)
    i = rng.randint(5, 120)
    o = rng.randint(1, max(1, i // rng.randint(1, 4)))
    rel = rng.choice(["conv", "pool"])
    bounds = {"k": (1, rng.randint(3, 9)), "s": (1, rng.randint(2, 6)), "p": (0, rng.randint(1, 5))}
    space = solve_many(rel, ("k", "s", "p"), bounds, i=i, o=o, d=1)
    got = sorted(tuple(c[n] for n in "ksp") for c in space.combos())
    brute = sorted((k, s, p) for k, s, p in itertools.product(
        *(range(lo, hi + 1) for lo, hi in (bounds["k"], bounds["s"], bounds["p"])))
        if _holds(rel, {"i": i, "o": o, "k": k, "s": s, "p": p, "d": 1}))
    assert got == brute, (rel, i, o, bounds)
    for combo in space.combos():          # every combination verified by substitution
        assert _holds(rel, {"i": i, "o": o, "d": 1, **combo})


def test_families_expand_to_the_brute_force_set():
    # stride unbounded: for o = 1 every large stride works, stated once per (k, p)
    space = solve_many("conv", ("k", "p", "s"), {"k": (1, 4), "p": (0, 2)}, i=20, o=1)
    assert space.count is None
    assert "k=1, p=0: s >= 20" in space.families()
    expanded = {(c["k"], c["p"], c["s"]) for c in space.combos() if c["s"] <= 60}
    brute = {(k, p, s) for k in range(1, 5) for p in range(0, 3) for s in range(1, 61)
             if _holds("conv", {"i": 20, "o": 1, "k": k, "p": p, "s": s, "d": 1})}
    assert expanded == brute
    # same padding: p = (k - 1)/2 for odd k, stated once per kernel
    same = solve_many("conv", ("k", "p"), {"k": (1, 9)}, i=32, o=32, s=1, d=1)
    assert same.families() == ["k=1: p = 0", "k=3: p = 1", "k=5: p = 2", "k=7: p = 3", "k=9: p = 4"]


def test_two_layer_chain_equals_brute_force():
    bounds = {"k": (1, 5), "s": (1, 3), "p": (0, 2)}
    layers = [{"kind": "conv", "k": "?", "s": "?", "p": "?"}, {"kind": "conv", "k": "?", "s": "?", "p": "?"}]
    space = chain_design(layers, i=40, o=10, bounds=bounds)
    got = sorted(tuple(c[n] for n in ("k1", "s1", "p1", "k2", "s2", "p2")) for c in space.combos())
    conv = sc.relation("conv")
    brute = []
    for k1, s1, p1, k2, s2, p2 in itertools.product(range(1, 6), range(1, 4), range(0, 3),
                                                   range(1, 6), range(1, 4), range(0, 3)):
        try:
            mid = conv.evaluate(i=40, k=k1, s=s1, p=p1, d=1)
            if conv.evaluate(i=mid, k=k2, s=s2, p=p2, d=1) == 10:
                brute.append((k1, s1, p1, k2, s2, p2))
        except sc.DomainError:
            pass
    assert got == sorted(brute)
    # the search is not a blind product: layer 2 is solved once per intermediate size
    assert space.checked < 5 ** 2 * 3 ** 4


def test_ranking_rules_and_frameworks():
    space = solve_many("conv", ("k", "s", "p"), {"k": (1, 7), "p": (0, 3)}, i=224, o=56)
    best = space.combos(limit=3, prefer=("odd", "no_waste"))
    assert all(c["k"] % 2 == 1 for c in best)
    assert best[0] == {"k": 1, "s": 4, "p": 0}
    assert feasibility("conv_asym", {"i": 10, "k": 3, "s": 1, "p_l": 0, "p_r": 1})["torch"] is False
    assert feasibility("conv", {"i": 10, "k": 3, "s": 2, "d": 2, "p": 0})["keras"] is False
    assert feasibility("conv", {"i": 225, "k": 4, "s": 2, "p": 1})["keras"] is False   # TF pads 1+2
    # Keras's transposed convolutions pad 0 ('valid') or khat // 2 ('same') on each side
    # (and take no dilation with a stride: k=3 p=2 d=2)
    assert [feasibility("conv_transpose", {"i": 5, "s": s_, "a": 0, "k": k, "p": p_, "d": d_}
                        )["keras"]
            for k, p_, d_, s_ in ((1, 0, 1, 3), (1, 2, 1, 3), (3, 1, 1, 3), (3, 2, 1, 3),
                                  (3, 2, 2, 1), (3, 2, 2, 3), (4, 2, 1, 3), (4, 1, 1, 3))
            ] == [True, False, True, False, True, False, True, False]
    with pytest.raises(sc.UsageError, match="unknown preference 'oddd'"):
        space.combos(prefer=("oddd",))


def test_python_and_cli_answer_the_question(capsys):
    space = sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds={"k": 7, "p": 3})
    assert space.count == 12
    assert main(["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--bounds", "k<=7,p<=3",
                 "--limit", "2", "--prefer", "odd", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 12 and len(data["combos"]) == 2
    assert data["combos"][0] == {"k": 1, "s": 4, "p": 0,
                                 "frameworks": {"torch": True, "keras": True, "onnx": True}}
    assert main(["net", "conv k=? s=? p=? | conv k=? s=? p=?", "i=224", "o=56",
                 "--bounds", "k<=7,p<=3,s=1..4", "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:6] == ["k1", "s1", "p1", "k2", "s2", "p2"]
    assert out[-2] == ("3 shown of 528 (924 combinations of the enumerated unknowns searched; "
                       "within k1 in 1..7, s1 in 1..4, p1 in 0..3, k2 in 1..7, s2 in 1..4, p2 in "
                       "0..3)")
    # the defaults it took are said, as a single answer's are (only the JSON said them)
    assert out[-1] == "  assumed: d1 = 1, d2 = 1 (PyTorch's defaults; give them to change)"
    # a default bound is said, not only in JSON: every s >= 224 works too (with k <= 224)
    assert main(["solve", "conv", "i=224", "o=1", "p=0", "--for", "s,k"]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "20 shown of 36 (8 combinations of the enumerated unknowns searched; within s in 1..8)",
        "  assumed: d = 1 (PyTorch's defaults; give them to change)"]
    assert main(["solve", "conv", "i=224", "o=56", "--bounds", "k<=7"]) == 2
    assert main(["solve", "conv", "i=224", "o=56", "--for", "k,s", "--bounds", "k<=x"]) == 2


@pytest.mark.parametrize("i", [1, 7, 32, 100])
def test_parametric_family_expands_to_brute_force(i):
    """o = i, s = 1: p = d(k-1)/2 for every even d(k-1), stated once, then expanded."""
    space = sc.solve("conv", ("d", "k", "p"), o="i", s=1, bounds={"d": 3, "k": 7})
    assert space.families() == ["p = d*(k - 1)/2  if d*(k - 1) is divisible by 2 "
                                "(for 1 <= d <= 3, 1 <= k <= 7)"]
    got = sorted(tuple(c[n] for n in "dkp") for c in space.combos(params={"i": i}))
    brute = sorted((d, k, p) for d in range(1, 4) for k in range(1, 8) for p in range(0, 40)
                   if _holds("conv", {"i": i, "o": i, "s": 1, "d": d, "k": k, "p": p}))
    assert got == brute
    with pytest.raises(sc.UsageError, match="the family holds for every i"):
        space.combos()


def test_family_params_are_read_by_name():
    # params={"input": 10} was refused "the family holds for every i"; {"q": 3} and
    # {"F_i": 3} were not named (the first refusal was about i, the second ignored)
    space = sc.solve("conv", ("k", "p"), o="i", s=1, bounds={"k": 5})
    assert space.combos(params={"input": 10}) == space.combos(params={"i": 10})
    with pytest.raises(sc.UnknownNameError, match=r"^unknown variable name 'q'"):
        space.combos(params={"q": 3})
    with pytest.raises(sc.UsageError, match=r"^params give F_i, which the family is not stated "
                                            r"in \(it holds for d, i\): drop it from params$"):
        space.combos(params={"i": 10, "F_i": 3})
    with pytest.raises(sc.UsageError, match=r"^params give i twice \(as 'input' too\)"):
        space.combos(params={"i": 10, "input": 3})


def test_cli_family(capsys):
    assert main(["solve", "conv", "o=i", "s=1", "--for", "k,p", "--bounds", "k<=9"]) == 0
    assert capsys.readouterr().out == (
        "p = d*(k - 1)/2  if d*(k - 1) is divisible by 2 (for 1 <= k <= 9)\n"
        "  note: when d*(k - 1) is odd no symmetric padding exists: use p_l = floor(d*(k - 1)/2),"
        " p_r = d*(k - 1) - p_l (extra at the end, as PyTorch and TF)\n")


def test_searches_are_bounded():
    with pytest.raises(sc.UsageError, match="combinations to enumerate, at most"):
        solve_many("conv", ("k", "s", "p"), {"k": 100_000, "s": 100_000}, i=224, o=56)


# --- the numpy paths: exactly the Python loops' answers, and brute force -------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from symconv import design  # noqa: E402

np = pytest.importorskip("numpy")


def _python_only(monkeypatch, fn, *args, **kwargs):
    with monkeypatch.context() as m:
        m.setattr(design, "VECTOR_ROWS", 10 ** 18)            # solve_many: the Python loop
        m.setattr(design, "_chain_vector", lambda *a: None)    # chain_design: the Python loops
        return fn(*args, **kwargs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(["conv", "pool", "conv_transpose"]),
       order=st.permutations(["k", "s", "p"]),
       i=st.integers(1, 120), o=st.integers(1, 130),
       k_hi=st.integers(1, 12), s_hi=st.integers(1, 9), p_hi=st.integers(0, 12),
       d=st.integers(1, 3))
def test_numpy_design_space_equals_python_and_brute_force(monkeypatch, rel, order, i, o, k_hi,
                                                          s_hi, p_hi, d):
    bounds = {"k": (1, k_hi), "s": (1, s_hi), "p": (0, p_hi)}
    space = solve_many(rel, tuple(order), bounds, i=i, o=o, d=d)
    loop = _python_only(monkeypatch, solve_many, rel, tuple(order), bounds, i=i, o=o, d=d)
    count = space.count             # from the numpy pass's intervals, before any option is built
    assert space.options == loop.options and space.checked == loop.checked
    assert count == loop.count and space.unknowns == loop.unknowns
    assert [opt.solution.given for opt in space.options] == \
        [opt.solution.given for opt in loop.options]
    got = sorted(tuple(c[n] for n in "ksp") for c in space.combos())
    brute = sorted((k, s, p) for k in range(1, k_hi + 1) for s in range(1, s_hi + 1)
                   for p in range(0, p_hi + 1)
                   if _holds(rel, {"i": i, "o": o, "k": k, "s": s, "p": p, "d": d, "a": 0}))
    assert got == brute


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(["conv", "pool"]), min_size=2, max_size=2),
       i=st.integers(4, 60), o=st.integers(1, 30),
       k_hi=st.integers(1, 5), s_hi=st.integers(1, 3), p_hi=st.integers(0, 2))
def test_numpy_chain_design_equals_python_and_brute_force(monkeypatch, kinds, i, o, k_hi, s_hi,
                                                          p_hi):
    bounds = {"k": (1, k_hi), "s": (1, s_hi), "p": (0, p_hi)}
    layers = [{"kind": kd, "k": "?", "s": "?", "p": "?"} for kd in kinds]
    space = chain_design(layers, i=i, o=o, bounds=bounds)
    loop = _python_only(monkeypatch, chain_design, layers, i=i, o=o, bounds=bounds)
    count = space.count             # from the numpy pass's intervals, before any option is built
    assert space.options == loop.options and space.checked == loop.checked
    assert count == loop.count and space.unknowns == loop.unknowns
    got = sorted(tuple(c[n] for n in ("k1", "s1", "p1", "k2", "s2", "p2")) for c in space.combos())
    brute = []
    ranges = [range(1, k_hi + 1), range(1, s_hi + 1), range(0, p_hi + 1)]
    for k1, s1, p1, k2, s2, p2 in itertools.product(*ranges, *ranges):
        env1 = {"i": i, "k": k1, "s": s1, "p": p1, "d": 1}
        try:
            mid = sc.relation(kinds[0]).evaluate(**env1)
            if sc.relation(kinds[1]).evaluate(i=mid, k=k2, s=s2, p=p2, d=1) == o:
                brute.append((k1, s1, p1, k2, s2, p2))
        except sc.DomainError:
            pass
    assert got == sorted(brute) and count == len(brute)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(["conv", "pool"]), min_size=3, max_size=3),
       fixed=st.lists(st.sampled_from(["", "k", "s", "p", "ks", "ksp"]), min_size=3, max_size=3),
       i=st.integers(4, 40), o=st.integers(1, 12), k_hi=st.integers(1, 4),
       s_hi=st.integers(1, 3), p_hi=st.integers(0, 2))
def test_numpy_three_layer_chain_equals_python(monkeypatch, kinds, fixed, i, o, k_hi, s_hi, p_hi):
    # layers with some or all values given: the partial designs' table, joined and regrouped
    bounds = {"k": (1, k_hi), "s": (1, s_hi), "p": (0, p_hi)}
    given_values = {"k": 2, "s": 1, "p": 0}
    layers = [{"kind": kd, **{n: (given_values[n] if n in fix else "?") for n in "ksp"}}
              for kd, fix in zip(kinds, fixed, strict=True)]
    if all(v != "?" for v in layers[-1].values()):
        layers[-1]["p"] = "?"           # the last layer solves for something
    bounds = {n: b for n, b in bounds.items() if any(spec[n] == "?" for spec in layers)}
    space = chain_design(layers, i=i, o=o, bounds=bounds)
    loop = _python_only(monkeypatch, chain_design, layers, i=i, o=o, bounds=bounds)
    count = space.count
    assert space.options == loop.options and space.checked == loop.checked
    assert count == loop.count and space.unknowns == loop.unknowns


@pytest.mark.parametrize("search", [
    lambda: solve_many("conv", ("k", "s", "p"), {"k": (1, 10), "s": (1, 10), "p": (0, 999)},
                       i=224, o=56),
    lambda: chain_design([{"kind": "conv", "k": "?", "s": "?", "p": "?"}] * 2, 224, 56,
                         {"k": (1, 5), "s": (1, 4), "p": (0, 4)}),
])
def test_numpy_options_are_built_when_first_read(search):
    # verified by the numpy pass before the search returns; a count needs no option object
    space = search()
    assert isinstance(space.listing, design._Deferred)
    assert space.count == space.listing.count and "options" not in vars(space)
    assert len(space.options) == space.listing.size and "options" in vars(space)
    assert space.count == design._count(space.options)
    assert space == search() and space.options is space.options


def test_numpy_design_space_with_an_unbounded_last_unknown(monkeypatch):
    # the stride is unbounded above for o = 1: open intervals, checked at their one end
    space = solve_many("conv", ("k", "p", "s"), {"k": (1, 30), "p": (0, 30)}, i=20, o=1)
    loop = _python_only(monkeypatch, solve_many, "conv", ("k", "p", "s"),
                        {"k": (1, 30), "p": (0, 30)}, i=20, o=1)
    assert space.options == loop.options and space.count is None
    assert "k=1, p=0: s >= 20" in space.families()


def test_the_numpy_path_is_taken_where_it_applies():
    # a design space answered by the Python loops would be right but slow: the numpy
    # shortcut must apply to the usual relations and unknowns
    for rel, last in [("conv", "p"), ("conv", "s"), ("conv", "k"), ("pool", "p"),
                      ("conv_transpose", "p"), ("conv", "i")]:
        names = [n for n in ("k", "s", "p", "i") if n != last][:2] + [last]
        given = {"i": 224, "o": 56, "k": 3, "s": 2, "p": 1}
        given = {n: v for n, v in given.items() if n not in names}
        assert design._vector_solver(rel, last, names, given) is not None, (rel, last)
    from symconv.relations import batch_evaluator
    assert batch_evaluator(sc.relation("conv")) is not None
    # the generated plans (no sympy) cover the usual ones
    assert {("conv", "p"), ("conv", "s"), ("conv", "k"), ("pool", "p"), ("conv", "i")} <= \
        set(design._t.VECTOR_PLANS)


# --- found by an independent fuzzer against PyTorch; brute force by plain integer formulas

def _conv(i, k, s, p, d=1):
    """PyTorch's Conv1d output size, or None where it refuses."""
    span = d * (k - 1) + 1
    return None if i + 2 * p < span else (i + 2 * p - span) // s + 1


def _convt(i, k, s, p, d=1, a=0):
    """PyTorch's ConvTranspose1d output size, or None where it refuses."""
    o = (i - 1) * s - 2 * p + d * (k - 1) + a + 1
    return o if a < max(s, d) and o >= 1 else None


@pytest.mark.parametrize("bound", [1, (2, 3), (0, 0), 40])
def test_a_family_keeps_the_bound_of_its_last_unknown(bound):
    space = sc.solve("conv", ("k", "p"), o="i", s=1, d=1, bounds={"k": 7, "p": bound})
    lo, hi = (0, bound) if isinstance(bound, int) else bound
    assert space.bounds["p"] == (lo, hi)
    for i in (1, 5, 32):
        want = [{"k": k, "p": p} for k in range(1, 8) for p in range(lo, hi + 1)
                if _conv(i, k, 1, p) == i]
        assert space.combos(params={"i": i}) == want
    assert f"{lo} <= p <= {hi}" in space.families()[0]


@pytest.mark.parametrize(("unknowns", "given", "i"), [
    (("a", "s"), {"o": "3*i", "k": 2, "p": 1, "d": 1}, 4),    # a condition names s: a < s
    (("k", "d"), {"o": "2*i+1", "s": 1, "p": 0, "a": 1}, 4),  # the solved d, not d's default
    (("a", "d"), {"o": "2*i-1", "k": 5, "s": 1, "p": 1}, 8),
])
def test_family_members_read_conditions_at_the_last_unknowns_value(unknowns, given, i):
    space = sc.solve("conv_transpose", unknowns, **given)
    bounds = {"a": (0, 7), "s": (1, 8), "k": (1, 11), "d": (1, 40)}
    env = {k_: v for k_, v in given.items() if k_ != "o"}
    o = eval(given["o"], {"i": i})      # the test's own literal formulas, not user text
    want = []
    for values in itertools.product(*(range(bounds[u][0], bounds[u][1] + 1) for u in unknowns)):
        combo = dict(zip(unknowns, values, strict=True))
        if _convt(i, **{**env, **combo}) == o:
            want.append(combo)
    got = space.combos(params={"i": i})
    # the family lists its enumerated unknowns within their default bounds
    first = unknowns[0]
    assert sorted(map(sorted, map(dict.items, got))) == sorted(
        sorted(c.items()) for c in want if c[first] <= space.bounds[first][1])
    assert got


@pytest.mark.parametrize(("given", "message"), [
    ({"i": 10, "o": 3, "d": 0}, "dilation d must be a positive integer (>= 1), got 0"),
    ({"i": 0, "o": 3}, "input size i must be a positive integer (>= 1), got 0"),
    ({"i": 10, "o": -2}, "output size o must be a positive integer (>= 1), got -2"),
    ({"i": 10, "o": "i", "d": -1}, "dilation d must be a positive integer (>= 1), got -1"),
])
def test_design_givens_are_checked_in_their_domain(given, message):
    with pytest.raises(sc.DomainError) as info:
        sc.solve("conv", ("k", "s", "p"), bounds={"k": 3}, **given)
    assert str(info.value) == message


def test_design_refuses_a_negative_limit():
    space = sc.solve("conv", ("k", "s", "p"), i=10, o=3, bounds={"k": 3, "s": 4})
    with pytest.raises(sc.UsageError, match=r"limit takes a whole number >= 0, got -1"):
        space.combos(limit=-1)
    assert space.combos(limit=0) == []


@pytest.mark.parametrize("spec", [
    "conv k=? s=2 p=1 | conv k=3 s=1 p=1",
    "conv k=? s=? p=1 | conv k=3 s=2 p=1 | pool k=2 p=0",
    "conv k=3 s=? p=? | conv k=? s=1 p=0 | conv k=3 s=2 p=1 | pool k=3 s=2 p=1",
])
@pytest.mark.parametrize(("i", "o"), [(10, 5), (64, 8), (37, 3)])
def test_a_chain_whose_last_layers_are_fixed_equals_brute_force(spec, i, o):
    from symconv.design import parse_chain_spec
    layers = parse_chain_spec(spec)
    names = [(f"{k_}{n}", k_) for n, lay in enumerate(layers, 1) for k_, v in lay.items() if v == "?"]
    bounds = {k_: b for k_, b in {"k": 6, "s": 4, "p": 3}.items() if k_ in {x for _, x in names}}
    space = chain_design(layers, i, o, bounds)
    want = []
    for values in itertools.product(*(range(1 if k_ != "p" else 0, bounds[k_] + 1)
                                      for _, k_ in names)):
        combo = dict(zip((n for n, _ in names), values, strict=True))
        size = i
        for n, lay in enumerate(layers, 1):
            v = {k_: (combo[f"{k_}{n}"] if x == "?" else x) for k_, x in lay.items() if k_ != "kind"}
            if lay["kind"] == "pool":
                v.setdefault("s", v["k"])       # PyTorch's stride=None
            size = None if size is None else _conv(size, v["k"], v["s"], v["p"])
            if size is not None and lay["kind"] == "pool" and 2 * v["p"] > v["k"]:
                size = None
        if size == o:
            want.append(combo)
    assert sorted(map(sorted, map(dict.items, space.combos()))) == sorted(
        sorted(c.items()) for c in want)
    assert space.count == len(want)
    last = names[-1][0]
    assert set(space.bounds) == {n for n, _ in names}     # each under its layer name
    assert all(f"{last} " in row or f"{last}=" in row for row in space.families())


def test_a_chains_unbounded_last_unknown_has_no_bounds():
    from symconv.design import parse_chain_spec
    space = chain_design(parse_chain_spec("conv k=3 s=? p=? | pool k=? s=2 p=0"), 50, 6)
    assert space.bounds == {"s1": (1, 8), "p1": (0, 8)}
    assert space.families()[0] == "s1=1, p1=0: k2 in {37, 38}"


def test_a_chain_without_an_unknown_or_with_a_kernel_of_zero_is_refused():
    from symconv.design import parse_chain_spec
    with pytest.raises(sc.UsageError, match="no layer has an unknown"):
        chain_design(parse_chain_spec("conv k=3 s=1 p=1 | conv k=3 s=1 p=1"), 10, 10)
    with pytest.raises(sc.DomainError, match=r"layer 2: kernel size k must be a positive "
                                             r"integer \(>= 1\), got 0"):
        chain_design(parse_chain_spec("conv k=? s=1 p=1 | conv k=0 s=? p=1"), 10, 10)


def test_family_members_where_its_formula_says_nothing_are_still_listed():
    # o = 2i - 1 with k = 5: s = (2i - 2 + 2p - 4)/(i - 1) if i != 1; at i = 1 every stride
    # works with p = 2 (PyTorch: (1 - 1)s - 4 + 4 + 1 = 1)
    space = sc.solve("conv_transpose", ("p", "s"), o="2*i-1", k=5, d=1, a=0)
    assert space.families()[0].startswith("s = 2*(i + p - 3)/(i - 1)  if i != 1 and ")
    got = space.combos(params={"i": 1})
    assert got[:3] == [{"p": 2, "s": 1}, {"p": 2, "s": 2}, {"p": 2, "s": 3}]
    assert all(_convt(1, 5, c["s"], c["p"]) == 1 for c in got)
    assert space.combos(params={"i": 5}) == [
        {"p": p, "s": s} for p in range(0, 9) for s in range(1, 100) if _convt(5, 5, s, p) == 9]


def test_a_design_space_names_the_defaults_it_took():
    space = sc.solve("conv_transpose", ("k", "s", "p"), i=10, o=20)
    assert space.defaults == {"d": 1, "a": 0} and space.to_dict(limit=1)["defaults"] == {"d": 1, "a": 0}
    assert sc.solve("conv", ("k", "s", "p"), i=10, o=5, d=2).defaults == {}
    assert sc.solve("conv", ("k", "p"), o="i", s=1).defaults == {}      # a family: for every d
    from symconv.design import parse_chain_spec
    chain = chain_design(parse_chain_spec("conv k=3 s=? p=? d=2 | pool k=? s=2 p=0"), 50, 6)
    assert chain.defaults == {"d2": 1}


@pytest.mark.parametrize(("relation", "unknowns", "given", "i", "want"), [
    # a given formula naming an enumerated unknown listed nothing
    ("conv", ("k", "p"), {"o": "i-k+1", "s": 1, "d": 1}, 5,
     [{"k": k, "p": 0} for k in range(1, 6)]),
    ("conv", ("k", "o"), {"p": "(k-1)/2", "s": 1, "d": 1}, 5,
     [{"k": k, "o": 5} for k in (1, 3, 5, 7, 9, 11)]),
    ("conv_transpose", ("p", "k"), {"o": "i+3-p", "s": 1, "d": 1, "a": 0, "bounds": {"p": 3}}, 5,
     [{"p": p, "k": p + 4} for p in range(4)]),
])
def test_a_family_whose_given_names_an_enumerated_unknown_lists_its_members(
        relation, unknowns, given, i, want):
    space = sc.solve(relation, unknowns, **given)
    got = space.combos(params={"i": i})
    assert sorted(map(sorted, map(dict.items, got))) == sorted(map(sorted, map(dict.items, want)))
    first, last = unknowns
    for combo in got:       # each one checked by the plain formulas
        env = {k_: v for k_, v in given.items() if k_ != "bounds" and not isinstance(v, str)}
        env.update(combo)
        formulas = {k_: v for k_, v in given.items() if isinstance(v, str)}
        for k_, v in formulas.items():
            env[k_] = eval(v.replace("/", "//"), {**env, "i": i})   # the test's own literals
        size = _conv(i, env["k"], env["s"], env["p"]) if relation == "conv" else \
            _convt(i, env["k"], env["s"], env["p"])
        assert size == env["o"]


def test_cli_design_space_keeps_ceil_mode(capsys):
    assert main(["solve", "pool", "i=5", "o=3", "p=0", "--for", "k,s", "--bounds", "k<=4,s<=4",
                 "--ceil-mode", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["relation"] == "pool_ceil" and out["count"] == 3
    # Keras has no ceil mode: only where ceil mode's size is floor mode's
    assert [(c["k"], c["s"], c["frameworks"]["keras"]) for c in out["combos"]] == [
        (1, 2, True), (2, 2, False), (3, 1, True)]
    assert main(["solve", "conv", "i=5", "o=3", "p=0", "--for", "k,s", "--ceil-mode"]) == 2
    assert "ceil mode is pooling's" in capsys.readouterr().err


def test_a_chain_bound_by_layer_overrides_the_bound_for_every_layer():
    from symconv.design import parse_chain_spec
    layers = parse_chain_spec("conv k=? s=? p=1 | conv k=? s=2 p=1")
    space = chain_design(layers, 64, 16, {"k": 5, "k1": 2, "s": 4})
    assert space.bounds == {"k1": (1, 2), "s1": (1, 4), "k2": (1, 5)}
    want = [{"k1": k1, "s1": s1, "k2": k2} for k1 in (1, 2) for s1 in range(1, 5)
            for k2 in range(1, 6)
            if (mid := _conv(64, k1, s1, 1)) is not None and _conv(mid, k2, 2, 1) == 16]
    assert sorted(map(sorted, map(dict.items, space.combos()))) == sorted(
        map(sorted, map(dict.items, want)))
    with pytest.raises(sc.UnknownNameError, match="bounds for 'p1'"):
        chain_design(layers, 64, 16, {"p1": 2})
    # PyTorch's names bound a chain's unknowns as they bound one layer's (they were refused)
    assert chain_design(layers, 64, 16, {"kernel_size": 5, "kernel_size1": 2, "stride": 4}
                        ).combos() == space.combos()
    with pytest.raises(sc.UsageError, match="^two bounds for k: kernel_size and k; give one$"):
        solve_many("conv", ("k", "s", "p"), {"kernel_size": 3, "k": 4}, i=32, o=8)
    # a bad bound is refused under the name it was given (it said "empty bounds for k")
    for bounds, message in (({"k1": 0}, "empty bounds for k1: 1..0"),
                            ({"k": 0}, "empty bounds for k: 1..0"),
                            ({"k": 5, "s1": (5, 3)}, "empty bounds for s1: 5..3"),
                            ({"k2": (1, 200_000)}, "bounds for k2 span more than 100000"),
                            ({"kernel_size1": 2, "k1": 3}, "two bounds for k1: kernel_size1 and "
                                                           "k1; give one"),
                            # under PyTorch's name too, as written (it said k2, p1)
                            ({"kernel_size2": 0}, "empty bounds for kernel_size2: 1..0"),
                            ({"padding1": 2}, "bounds for 'padding1', which is not an "
                                              "unknown here")):
        with pytest.raises(sc.SymconvError) as error:
            chain_design(layers, 64, 16, bounds)
        assert str(error.value).startswith(message)


@pytest.mark.parametrize("rel,ceil", [("pool", False), ("pool_ceil", True)])
@pytest.mark.parametrize("seed", range(4))
def test_a_pooling_design_space_takes_the_stride_from_a_given_kernel(rel, ceil, seed):
    """As PyTorch's ``stride=None`` and a single solve: ``k`` given, ``s`` neither given nor
    asked for, the stride is the kernel; the space says so (``defaults``, a note) and its
    ``given`` holds only what was given. Equal to brute force at ``s = k``."""
    rng = random.Random(seed)
    i, k = rng.randint(4, 40), rng.randint(1, 4)
    o = rng.randint(1, i)
    space = sc.solve(rel, ("p", "d"), i=i, o=o, k=k, bounds={"p": (0, 3)})
    brute = sorted((p, d) for p, d in itertools.product(range(4), range(1, 40))
                   if _holds(rel, {"i": i, "o": o, "k": k, "s": k, "p": p, "d": d}))
    assert sorted((c["p"], c["d"]) for c in space.combos()) == brute
    doc = space.to_dict()
    assert doc["given"] == {"i": i, "o": o, "k": k}
    assert doc["defaults"] == {"s": k}
    assert doc["note"] == (f"s = k = {k} (s not given: it defaults to k in {rel}, as "
                           "PyTorch's stride=None; give s= to change it)")
    assert space.text().endswith("\n  note: " + doc["note"])
    single = sc.solve(rel, "p", i=i, o=o, k=k, d=1)       # the single solve defaults alike
    assert single.note == doc["note"]


def test_a_pooling_design_space_stride_default_matches_pytorch():
    torch = pytest.importorskip("torch")
    space = sc.solve("pool", ("p", "d"), i=10, o=5, k=2)
    assert space.combos() == [{"p": 0, "d": 1}, {"p": 1, "d": 2}, {"p": 1, "d": 3}]
    for c in space.combos():        # nn.MaxPool1d(2, padding=p, dilation=d): stride=None
        pool = torch.nn.MaxPool1d(2, padding=c["p"], dilation=c["d"])
        assert pool(torch.zeros(1, 1, 10)).shape[-1] == 5


def _ceil_pool(i, k, s, p):
    """PyTorch's ceil-mode pooling size (the last window dropped when it starts in the
    right padding), written out here as the brute force's own rule."""
    o = -(-(i + 2 * p - k) // s) + 1
    return o - 1 if (o - 1) * s >= i + p else o


@pytest.mark.parametrize("flag", ["ceil_mode", "ceil"])
def test_a_ceil_mode_pool_in_a_chain_design_is_searched_in_ceil_mode(flag):
    # it was searched in floor mode, silently: p3 = 2 where PyTorch needs p3 = 1, and no
    # option where p2 = 1 works (tester C, checked against PyTorch)
    layers = [{"kind": "conv", "k": 1, "s": 3, "p": 2},
              {"kind": "pool", "k": 2, "s": 1, "p": 1, flag: 1},
              {"kind": "pool", "k": 5, "s": 2, "p": "?", flag: True}]
    found = [(opt.fixed, list(opt.solution)) for opt in chain_design(layers, 27, 6).options]
    mid = _ceil_pool((27 + 4 - 1) // 3 + 1, 2, 1, 1)
    assert found == [({}, [p for p in range(0, 3) if _ceil_pool(mid, 5, 2, p) == 6])] == \
        [({}, [1])]
    layers = [{"kind": "maxpool", "k": 2, "s": 2, "p": 0, flag: 1},
              {"kind": "conv", "k": 3, "s": 1, "p": "?"}]
    assert [list(opt.solution) for opt in chain_design(layers, 21, 11).options] == [[1]]


@pytest.mark.parametrize("layer, message", [
    ({"kind": "pool", "k": 2, "s": 2, "p": 0, "bogus": 1},
     "layer 1 (pool): 'bogus' is not one of its values (give k, s, p, d or ceil_mode)"),
    ({"kind": "conv", "k": 3, "s": 1, "p_l": 1, "p_r": 2},
     "layer 1 (conv): 'p_l' is not one of its values (give k, s, p, d)"),
    ({"kind": "conv", "k": 3, "s": 1, "p": 1, "ceil_mode": 1},
     "layer 1 (conv): ceil_mode is a pooling layer's"),
    ({"kind": "conv", "k": 3, "kernel_size": 3, "s": 1, "p": 1},
     "layer 1: k given twice ('kernel_size')"),
    ({"kind": "avgpool", "k": 3, "s": 1, "p": 0, "d": 2},
     "d=2: avgpool is pool with d = 1 (PyTorch's average pooling has no dilation; maxpool "
     "may be dilated)"),
    ({"kind": "dense", "k": 3}, "layer 1: kind 'dense' is not a layer symconv designs (conv, "
     "conv_transpose, pool, maxpool, avgpool, pool_ceil)"),
])
def test_a_chain_design_layer_key_it_does_not_read_is_refused(layer, message):
    # a key dropped answered another question; p_l and PyTorch's names raised KeyError
    with pytest.raises(sc.UsageError) as err:
        chain_design([layer, {"kind": "conv", "k": 3, "s": 1, "p": "?"}], 20, 16)
    assert str(err.value) == message


def test_a_chain_design_reads_pytorchs_names():
    layers = [{"kind": "conv", "kernel_size": 3, "stride": 2, "padding": 1},
              {"kind": "conv", "k": 3, "s": 1, "p": "?"}]
    assert [list(opt.solution) for opt in chain_design(layers, 20, 10).options] == [[1]]


def test_avgpool_has_no_dilation_in_solve_designs_and_networks(capsys):
    # solve answered o = 16 for d = 2, and a design used it (PyTorch's AvgPool has no d)
    with pytest.raises(sc.UsageError, match=r"^d=2: avgpool is pool with d = 1"):
        sc.solve("avgpool", i=20, k=3, s=1, p=0, d=2)
    with pytest.raises(sc.UsageError, match=r"^dilation=2: avgpool is pool with d = 1"):
        sc.solve("AvgPool", i=20, k=3, s=1, p=0, dilation=2)
    with pytest.raises(sc.UsageError, match=r"^d asked for: avgpool is pool with d = 1"):
        sc.solve("avgpool", ("k", "d"), i=20, o=18, bounds={"k": 5})
    assert sc.solve("avgpool", i=20, k=3, s=1, p=0, d=1) == sc.solve("pool", i=20, k=3, s=1,
                                                                       p=0, d=1)
    assert str(sc.solve("maxpool", i=20, k=3, s=1, p=0, d=2)) == "o = 16"
    assert main(["net", "conv k=3 s=1 p=? | avgpool k=3 s=1 p=0 d=2", "i=20", "o=16"]) == 2
    assert capsys.readouterr().err.startswith("symconv: d=2: avgpool is pool with d = 1")


def test_a_search_stopped_by_its_budget_is_undecided_and_takes_the_timeout(capsys):
    # it exited 2 (bad input), and --timeout 60 did not lift the search's own 5 s
    from symconv._budget import SEARCH_SECONDS
    token = SEARCH_SECONDS.set(0.01)
    try:
        with pytest.raises(sc.UndecidedError, match=r"^design space search stopped by the "
                                                    r"0\.01 s timeout after \d+ combinations: "
                                                    r"tighten --bounds, fix some values or "
                                                    r"raise --timeout$"):
            solve_many("pool_ceil", ("k", "s", "d", "p"),
                       {"k": 100, "s": 100, "d": 100, "p": 50}, i=1000, o=100)
    finally:
        SEARCH_SECONDS.reset(token)
    assert SEARCH_SECONDS.get() == 5.0
    assert main(["net", "conv k=? s=? p=? | conv k=? s=? p=? | conv k=? s=? p=?", "i=224",
                 "o=7"]) == 4
    assert capsys.readouterr().err.startswith("symconv: undecided: more than 100000 partial "
                                              "designs at layer 2 (after ")


def test_the_first_combinations_of_a_huge_bounded_family_come_at_once():
    # combos(limit=3) built every member before cutting to 3: 4 s for 1.5 million, a
    # MemoryError (exit 3 on the command line) for 10^49
    space = sc.solve("conv", ("k", "s"), i=10**50, o=5, p=0, bounds={"k": 3})
    first = space.combos(limit=3)
    assert first == [{"k": 1, "s": 2 * 10**49 + v} for v in range(3)]
    for k_, s_ in ((r["k"], r["s"]) for r in first):
        assert (10**50 - (k_ - 1) - 1) // s_ + 1 == 5
    # ranking every member, or by preferences, is refused past a million, in one line
    for kw in ({}, {"limit": 3, "prefer": ["odd"]}):
        with pytest.raises(sc.UsageError, match=r"^15000000000000000000000000000000000000000000"
                                                r"000000 combinations to rank, at most 1000000"):
            space.combos(**kw)
    # small spaces: the first rows are those of the whole ranking
    small = sc.solve("conv", ("k", "s"), i=40, o=5, p=0, bounds={"k": 3})
    for n in range(0, 8):
        assert small.combos(limit=n) == small.combos()[:n]
        assert small.combos(limit=n, prefer=["odd"]) == small.combos(prefer=["odd"])[:n]


@pytest.mark.parametrize("layers, bounds, message", [
    ([{"kind": "conv", "k": "?", "p": "?"}, {"kind": "conv", "k": 3, "s": 1, "p": 1}],
     {"k": 5, "p": 2}, 'layer 1: give s= (a value, or "?" for unknown)'),
    ([{"kind": "pool", "k": "?", "p": 0}, {"kind": "conv", "k": 3, "s": 1, "p": 1}],
     {"k": 5}, 'layer 1: give s= (a value, or "?" for unknown)'),
])
def test_a_chain_design_layer_without_its_stride_is_refused_in_one_line(layers, bounds, message):
    # a raw KeyError: 's' from the vectorised search (the command line said this already)
    from symconv.design import chain_design
    with pytest.raises(sc.UsageError) as err:
        chain_design(layers, 16, 6, bounds=bounds)
    assert str(err.value) == message


def test_a_pool_stride_is_its_kernel_in_a_chain_design_and_transposed_layers_design():
    from symconv.design import chain_design
    got = chain_design([{"kind": "pool", "k": 2, "p": "?"},
                        {"kind": "conv", "k": 3, "s": 1, "p": "?"}], 16, 6, bounds={"p": 1})
    want = [{"p1": p1, "p2": p2} for p1 in (0, 1) for p2 in (0, 1)
            if ((16 + 2 * p1 - 2) // 2 + 1) + 2 * p2 - 2 == 6 and 2 * p1 <= 2]
    assert got.combos() == want
    # the command line designs a chain with a transposed layer, as chain_design does (it
    # refused: "a design chain takes conv or pool layers")
    from symconv.cli import main
    assert main(["net", "conv k=? s=1 p=0 | convt k=3 s=2 p=1 a=?", "i=10", "o=16",
                 "--bounds", "k<=4", "--json"]) == 0
    want = [{"k1": k, "a2": a} for k in range(1, 5) for a in (0, 1)
            if (10 - k) * 2 - 2 + 2 + a + 1 == 16]
    assert want == [{"k1": 3, "a2": 1}]
    assert chain_design([{"kind": "conv", "k": "?", "s": 1, "p": 0},
                         {"kind": "conv_transpose", "k": 3, "s": 2, "p": 1, "a": "?"}],
                        10, 16, bounds={"k": 4}).combos() == want


def test_a_family_listed_at_a_default_setting_says_it_in_each_member():
    # p = d(k - 1)/2 listed with params={"i": 10} took d = 1 unsaid: rows differ at d = 2
    family = sc.solve("conv", ("k", "p"), o="i", s=1, bounds={"k": 5})
    assert family.combos(params={"i": 10}) == [
        {"d": 1, "k": 1, "p": 0}, {"d": 1, "k": 3, "p": 1}, {"d": 1, "k": 5, "p": 2}]
    at_2 = family.combos(params={"i": 10, "d": 2})
    assert at_2 == [{"k": k, "p": k - 1} for k in range(1, 6)]
    for row in at_2:        # PyTorch's formula, written apart
        assert (10 + 2 * row["p"] - 2 * (row["k"] - 1) - 1) // 1 + 1 == 10


def test_a_family_s_text_names_the_case_it_leaves_out():
    # a single solve notes "when i = 1 the relation does not fix s"; the family said nothing
    family = sc.solve("conv_transpose", ("p", "s"), o="2*i-1", k=5)
    assert family.text().splitlines()[-1] == (
        "  note: when i = 1 the relation does not fix s: give i that value to solve that case")
    assert family.combos(params={"i": 1, "d": 1, "a": 0})        # members there, listed


def test_a_formula_without_symbols_is_its_integer_in_a_design_space():
    # s="2" was "no single formula for p here" (a single solve takes i="5")
    want = sc.solve("conv", ("k", "p"), i=10, o=5, s=2, bounds={"k": 5}).combos()
    for given in (dict(i=10, o=5, s="2"), dict(i=10, o=5, s="2*1"), dict(i="10", o=5, s=2)):
        assert sc.solve("conv", ("k", "p"), bounds={"k": 5}, **given).combos() == want
    with pytest.raises(sc.DomainError):
        sc.solve("conv", ("k", "p"), i=10, o=5, s="0", bounds={"k": 5})


def test_a_sympy_or_numpy_integer_given_is_the_int_it_is_in_a_design_space(capsys):
    # sympy.Integer givens (and `o=5*2` on the command line) took the family path: pooling
    # took s = k unsaid (1 design where the stride free gives 7), conv answered an empty
    # table of "infinitely many"; a numpy bound on the last unknown raised a TypeError
    import numpy as np

    from symconv.cli import main
    with pytest.raises(sc.UsageError, match="needs s too"):
        sc.solve("pool", ("k", "p"), bounds={"k": 7}, i=sympy.Integer(20), o=sympy.Integer(10))
    assert main(["solve", "conv", "--for", "k,s", "i=224", "o=7*8", "--bounds", "k<=3"]) == 2
    assert "needs p too" in capsys.readouterr().err
    at_2 = sc.solve("pool", ("k", "p"), bounds={"k": 7}, i=sympy.Integer(20), o=10, s=2)
    assert at_2.combos() == sc.solve("pool", ("k", "p"), bounds={"k": 7}, i=20, o=10,
                                     s=2).combos()
    assert [(c["k"], c["p"]) for c in at_2.combos()] == [
        (k, p) for k in range(1, 8) for p in range(0, k // 2 + 1)
        if 20 + 2 * p >= k and (20 + 2 * p - k) // 2 + 1 == 10]
    for bound in (np.int64(7), sympy.Integer(7)):
        assert sc.solve("pool_ceil", ("k", "o"), bounds={"o": bound}, i=43, s=4, p=2).combos() \
            == sc.solve("pool_ceil", ("k", "o"), bounds={"o": 7}, i=43, s=4, p=2).combos()
    assert sc.same_padding("tf", i=sympy.Integer(10), k=3, s=2) == \
        sc.same_padding("tf", i=10, k=3, s=2)
    assert sc.Layer("conv", k=sympy.Integer(3)) == sc.Layer("conv", k=3)


def test_a_limit_past_any_list_is_no_limit_and_the_notebook_says_the_bounds(capsys):
    from symconv.cli import main
    space = sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds={"k": 7, "p": 3})
    assert space.combos(limit=10 ** 20) == space.combos()
    assert main(["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--bounds", "k<=7,p<=3",
                 "--limit", "99999999999999999999"]) == 0
    assert capsys.readouterr().out.splitlines()[-2].startswith("12 shown of 12")
    # s was searched in its default 1..8 only: the display says so, as the text does
    assert sc.solve("conv", ("s", "p"), i=224, o=56, k=3)._repr_latex_() == \
        r"$\text{16 combinations of } s, p\ \text{ within } s \in \{1, \ldots, 8\}$"


def test_an_empty_space_says_why(capsys):
    from symconv.cli import main
    space = sc.solve("conv", ("k", "s", "p"), i=224, o=500, bounds={"k": 7, "p": 3})
    assert space.count == 0
    assert space.reason == ("no p in 0..3 for any k in 1..7, s in 1..8: the nearest is "
                            "p = 138 (k=1, s=1); widen p's bound")
    assert main(["solve", "conv", "i=224", "o=500", "--for", "k,s,p", "--bounds",
                 "k<=7,p<=3"]) == 0
    assert capsys.readouterr().out.splitlines()[-2] == "  why: " + space.reason
    assert main(["solve", "conv", "i=224", "o=500", "--for", "k,s,p", "--bounds",
                 "k<=7,p<=3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reason"] == space.reason
    # nothing past the bound either, or no bound on the last unknown: none at all
    assert sc.solve("pool", ("k", "s"), i=5, o=50, p=0).reason == \
        "no value of s solves pool at i=5, o=50, p=0 for any k in 1..11"
    assert sc.solve("pool", ("k", "p"), i=5, o=50, s=1, bounds={"k": 3, "p": 1}).reason == \
        "no value of p solves pool at i=5, o=50, s=1 for any k in 1..3"
    assert chain_design([{"kind": "pool", "k": "?", "s": 2, "p": 0},
                         {"kind": "conv", "k": 3, "s": "?", "p": 1}], i=10, o=56).reason == (
        "no combination of k1, s2 within the bounds searched takes 10 to 56; widen the "
        "bounds, or change i or o")
    nonempty = sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds={"k": 7, "p": 3})
    assert nonempty.reason is None and nonempty.to_dict()["reason"] is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["conv", "pool", "conv_transpose"]), st.integers(1, 30),
       st.integers(1, 60), st.integers(1, 5), st.integers(0, 3))
def test_the_nearest_value_of_an_empty_space_is_the_nearest(rel, i, o, k_hi, p_hi):
    # an empty space's nearest p solves the relation at its row, and no p nearer the
    # bound does at any row (brute force over the enumerated bounds and p up to 200)
    space = solve_many(rel, ("k", "s", "p"), {"k": (1, k_hi), "s": (1, 3), "p": (0, p_hi)},
                       i=i, o=o, d=1)
    if space.count != 0:
        assert space.reason is None
        return
    env = {"i": i, "o": o, "d": 1, **({"a": 0} if rel == "conv_transpose" else {})}
    found = [(abs(p - p_hi), p, k, s) for k in range(1, k_hi + 1) for s in range(1, 4)
             for p in range(0, 201) if _holds(rel, {**env, "k": k, "s": s, "p": p})]
    if not found:
        assert "no value of p solves" in space.reason
        return
    near = min(d for d, *_ in found)
    value = int(space.reason.split("the nearest is p = ")[1].split(" ")[0])
    assert value - p_hi == near
    k, s = (int(x.split("=")[1]) for x in space.reason.split("(")[1].split(")")[0].split(", "))
    assert _holds(rel, {**env, "k": k, "s": s, "p": value})


def test_a_chain_designs_families_state_each_combination_once():
    # "k1=1, s1=2: p1 = 0" and, further down, "k1=1, s1=2: p1 = 1" (through intermediate
    # sizes 112 and 113): each line read as the whole set (tester BN)
    space = chain_design([{"kind": "conv", "k": "?", "s": "?", "p": "?"},
                          {"kind": "pool", "k": 2, "p": 0}], i=224, o=56,
                         bounds={"k": 7, "p": 3, "s": (1, 4)})
    rows = space.families()
    assert rows[0] == "k1=1, s1=2: p1 in {0, 1}" and rows[-1] == "k1=7, s1=2: p1 = 3"
    heads = [row.partition(":")[0] for row in rows]
    assert len(heads) == len(set(heads)) == 7
    assert sum(len(row.split(",")) - 1 if " in " in row else 1 for row in rows) == \
        space.count == 13
