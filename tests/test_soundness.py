# ruff: noqa: E501
"""Standing soundness corpus: generated claims against an independent brute force.

Ground truth here is plain integer arithmetic written in this file (floor
division, no symconv, no sympy), over a bounded grid of configurations read
the way ``check`` documents (unmentioned base parameters take their neutral
values, only valid configurations count).  For every claim: a proven claim has
no violation on the grid, a counterexample is a valid configuration that
satisfies every stated condition and breaks the claim, and a refusal is only
for conditions no configuration satisfies.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest
import sympy

import symconv as sc

NEUTRAL = {"d": 1, "p": 0, "s": 1, "a": 0}
GRID = {"i": range(1, 11), "k": range(1, 6), "s": range(1, 5), "p": range(0, 4),
        "d": range(1, 4), "a": range(0, 4)}


def cdiv(x, y):
    return -((-x) // y)


def world(e):
    """o, i', o', khat, p' of a configuration, by integer arithmetic."""
    khat = e["d"] * (e["k"] - 1) + 1
    o = (e["i"] + 2 * e["p"] - khat) // e["s"] + 1
    o_t = e["s"] * (o - 1) + e["a"] + khat - 2 * e["p"]
    return {**e, "o": o, "ip": o, "ot": o_t, "khat": khat, "pp": e["k"] - e["p"] - 1}


def valid(e):
    return e["i"] + 2 * e["p"] >= e["d"] * (e["k"] - 1) + 1 and 0 <= e["a"] < max(e["s"], e["d"])


# (text, python, base symbols it mentions)
SIDES = {
    "o": [
        ("floor((i + 2p - d(k - 1) - 1)/s) + 1", lambda w: (w["i"] + 2 * w["p"] - w["d"] * (w["k"] - 1) - 1) // w["s"] + 1, "ikspd"),
        ("floor((i + 2p - k)/s) + 1", lambda w: (w["i"] + 2 * w["p"] - w["k"]) // w["s"] + 1, "iksp"),
        ("ceil((i + 2p - k + 1)/s)", lambda w: cdiv(w["i"] + 2 * w["p"] - w["k"] + 1, w["s"]), "iksp"),
        ("floor((i + 2p - k)/s)", lambda w: (w["i"] + 2 * w["p"] - w["k"]) // w["s"], "iksp"),
        ("ceil((i + 2p - k)/s) + 1", lambda w: cdiv(w["i"] + 2 * w["p"] - w["k"], w["s"]) + 1, "iksp"),
        ("floor((i + p - k)/s) + 1", lambda w: (w["i"] + w["p"] - w["k"]) // w["s"] + 1, "iksp"),
        ("i - k + 1", lambda w: w["i"] - w["k"] + 1, "ik"),
        ("i + 2p - k + 1", lambda w: w["i"] + 2 * w["p"] - w["k"] + 1, "ikp"),
        ("i", lambda w: w["i"], "i"),
        ("floor(i/s)", lambda w: w["i"] // w["s"], "is"),
        ("ceil(i/s)", lambda w: cdiv(w["i"], w["s"]), "is"),
        ("floor((i - k)/s) + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks"),
        ("floor((i + 2p - d k)/s) + 1", lambda w: (w["i"] + 2 * w["p"] - w["d"] * w["k"]) // w["s"] + 1, "ikspd"),
        ("i + k - 1", lambda w: w["i"] + w["k"] - 1, "ik"),
    ],
    "o'": [
        ("s(i' - 1) + a + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["k"] - 2 * w["p"], "kspa"),
        ("s(i' - 1) + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["k"] - 2 * w["p"], "ksp"),
        ("s(i' - 1) + a + d(k - 1) + 1 - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["d"] * (w["k"] - 1) + 1 - 2 * w["p"], "kspad"),
        ("s i' + k - 2p", lambda w: w["s"] * w["ip"] + w["k"] - 2 * w["p"], "ksp"),
        ("s(i' - 1) + k - 2p + 1", lambda w: w["s"] * (w["ip"] - 1) + w["k"] - 2 * w["p"] + 1, "ksp"),
        ("i", lambda w: w["i"], "i"),
        ("i + a", lambda w: w["i"] + w["a"], "ia"),
    ],
    "khat": [
        ("d(k - 1) + 1", lambda w: w["d"] * (w["k"] - 1) + 1, "kd"),
        ("k + (k - 1)(d - 1)", lambda w: w["k"] + (w["k"] - 1) * (w["d"] - 1), "kd"),
        ("d k", lambda w: w["d"] * w["k"], "kd"),
        ("d(k - 1)", lambda w: w["d"] * (w["k"] - 1), "kd"),
    ],
    "p'": [
        ("k - p - 1", lambda w: w["k"] - w["p"] - 1, "kp"),
        ("k - p", lambda w: w["k"] - w["p"], "kp"),
    ],
    "k": [
        ("s", lambda w: w["s"], "s"),
        ("p", lambda w: w["p"], "p"),
        ("2p + 1", lambda w: 2 * w["p"] + 1, "p"),
        ("d", lambda w: w["d"], "d"),
    ],
}
LEFT = {"o": (lambda w: w["o"], ""), "o'": (lambda w: w["ot"], ""), "khat": (lambda w: w["khat"], ""),
        "p'": (lambda w: w["pp"], ""), "k": (lambda w: w["k"], "k")}

CONDITIONS = [
    ("k odd", lambda w: w["k"] % 2 == 1, "k"),
    ("k even", lambda w: w["k"] % 2 == 0, "k"),
    ("s odd", lambda w: w["s"] % 2 == 1, "s"),
    ("p odd", lambda w: w["p"] % 2 == 1, "p"),
    ("i even", lambda w: w["i"] % 2 == 0, "i"),
    ("d odd", lambda w: w["d"] % 2 == 1, "d"),
    ("s = 1", lambda w: w["s"] == 1, "s"),
    ("s = 2", lambda w: w["s"] == 2, "s"),
    ("p = 0", lambda w: w["p"] == 0, "p"),
    ("p = 1", lambda w: w["p"] == 1, "p"),
    ("d = 1", lambda w: w["d"] == 1, "d"),
    ("d = 2", lambda w: w["d"] == 2, "d"),
    ("k = 3", lambda w: w["k"] == 3, "k"),
    ("a = 0", lambda w: w["a"] == 0, "a"),
    ("p = floor(k/2)", lambda w: w["p"] == w["k"] // 2, "pk"),
    ("p = k - 1", lambda w: w["p"] == w["k"] - 1, "pk"),
    ("s | (i + 2p - k)", lambda w: (w["i"] + 2 * w["p"] - w["k"]) % w["s"] == 0, "ipks"),
    ("s | (i - k)", lambda w: (w["i"] - w["k"]) % w["s"] == 0, "iks"),
    ("a = mod(i + 2p - k, s)", lambda w: w["a"] == (w["i"] + 2 * w["p"] - w["k"]) % w["s"], "aipks"),
    ("i >= k", lambda w: w["i"] >= w["k"], "ik"),
    ("s <= 2", lambda w: w["s"] <= 2, "s"),
]
CONTRADICTIONS = [
    ("k = 2", "k = 3"), ("p = 1", "p = 2"), ("k odd", "k even"), ("k = 2", "k odd"),
    ("s = 2", "s = 3"), ("i even", "i odd"), ("d = 1", "d = 2"), ("p = 0", "p odd"),
]
SINGLE = {"k = 2": (lambda w: w["k"] == 2, "k"), "k = 3": (lambda w: w["k"] == 3, "k"),
          "p = 1": (lambda w: w["p"] == 1, "p"), "p = 2": (lambda w: w["p"] == 2, "p"),
          "k odd": (lambda w: w["k"] % 2 == 1, "k"), "k even": (lambda w: w["k"] % 2 == 0, "k"),
          "s = 2": (lambda w: w["s"] == 2, "s"), "s = 3": (lambda w: w["s"] == 3, "s"),
          "i even": (lambda w: w["i"] % 2 == 0, "i"), "i odd": (lambda w: w["i"] % 2 == 1, "i"),
          "d = 1": (lambda w: w["d"] == 1, "d"), "d = 2": (lambda w: w["d"] == 2, "d"),
          "p = 0": (lambda w: w["p"] == 0, "p"), "p odd": (lambda w: w["p"] % 2 == 1, "p")}


def corpus():
    """About 540 claims: every left side with every right side, under 0-2 conditions."""
    rng = random.Random(10)
    claims = []
    for lhs, sides in SIDES.items():
        left, lsyms = LEFT[lhs]
        for text, right, syms in sides:
            claims.append((f"{lhs} = {text}", left, right, [], lsyms + syms))
            for _ in range(15):
                conds = rng.sample(CONDITIONS, rng.choice((1, 1, 2, 2, 3)))
                claims.append((f"{lhs} = {text} for " + " and ".join(c[0] for c in conds),
                               left, right, [c[1] for c in conds],
                               lsyms + syms + "".join(c[2] for c in conds)))
    for x, y in itertools.product(("k", "p", "s", "d"), repeat=2):   # parity pairs, the bug of issue 10
        if x != y:
            for px, py in (("odd", "odd"), ("even", "odd"), ("odd", "even")):
                conds = [f"{x} {px}", f"{y} {py}"]
                preds = [(lambda w, v=x, r=int(px == "odd"): w[v] % 2 == r),
                         (lambda w, v=y, r=int(py == "odd"): w[v] % 2 == r)]
                claims.append((f"{x} = {y} for {conds[0]} and {conds[1]}",
                               lambda w, v=x: w[v], lambda w, v=y: w[v], preds, x + y))
    for c1, c2 in CONTRADICTIONS:
        for lhs, rhs, right in (("o", "i + 100", lambda w: w["i"] + 100), ("o", "7", lambda w: 7),
                                ("o", "i - k + 1", lambda w: w["i"] - w["k"] + 1)):
            claims.append((f"{lhs} = {rhs} for {c1} and {c2}", LEFT["o"][0], right,
                           [SINGLE[c1][0], SINGLE[c2][0]],
                           re.sub(r"[^ikspda]", "", rhs) + SINGLE[c1][1] + SINGLE[c2][1]))
    return claims


CORPUS = corpus()


def configurations(mentioned):
    free = [x for x in "ikspda" if x in mentioned or x in "ik"]
    for values in itertools.product(*(GRID[x] for x in free)):
        e = {**NEUTRAL, **dict(zip(free, values, strict=True))}
        if valid(e):
            yield e


def test_the_corpus_is_large_and_mixed():
    assert len(CORPUS) >= 500
    assert sum(bool(c[3]) for c in CORPUS) >= 400


def _judge(claim, left, right, preds, mentioned):
    satisfying = violations = 0
    first = None
    for e in configurations(set(mentioned)):
        w = world(e)
        if all(pr(w) for pr in preds):
            satisfying += 1
            if left(w) != right(w):
                violations += 1
                first = first or e
    return satisfying, violations, first


@pytest.mark.parametrize("chunk", range(6))
def test_no_false_proof_no_invalid_counterexample(chunk):
    for claim, left, right, preds, mentioned in CORPUS[chunk::6]:
        satisfying, violations, first = _judge(claim, left, right, preds, mentioned)
        try:
            v = sc.check(claim, limit=2000, timeout=2.0)
        except sc.UsageError as exc:
            # refused only when no configuration satisfies the conditions
            assert satisfying == 0, (claim, str(exc))
            assert "contradictory conditions" in str(exc) or "never true" in str(exc)
            continue
        assert satisfying > 0 or v.holds is not True, claim
        if v.holds is True:
            assert violations == 0, f"FALSE PROOF: {claim}: brute force refutes at {first}\n{v.text()}"
            assert (v.proof is not None and v.proof.holds) or (v.decision is not None and v.decision.holds)
        elif v.holds is False:
            e = {**NEUTRAL, **v.counterexample}
            assert valid(e), (claim, e)
            w = world(e)
            assert all(pr(w) for pr in preds), f"counterexample breaks a condition: {claim}: {e}"
            assert left(w) != right(w), f"not a counterexample: {claim}: {e}"
        else:
            # undecided: never when the grid already holds a violation
            assert violations == 0, (claim, first, v.note)


def test_the_issue_claim_is_refuted_with_the_smallest_counterexample():
    v = sc.check("k = s for k odd and s odd")
    assert v.holds is False
    assert {x: v.counterexample[x] for x in "ks"} == {"k": 1, "s": 3}


def test_cli_refutes_the_shared_witness_claim_and_refuses_contradictions(capsys):
    from symconv.cli import main
    assert main(["check", "k = s for k odd and s odd"]) == 1
    assert "counterexample (smallest): i=1, k=1, s=3: left side 1, right side 3" in capsys.readouterr().out
    assert main(["check", "o = 7 for p = 1 and p = 2"]) == 2
    assert capsys.readouterr().err == ("symconv: contradictory conditions: p = 1 and p = 2 cannot both "
                                       "hold, so the claim would be vacuous; drop one of them\n")
    assert main(["check", "o = i for s = 0"]) == 2
    assert "outside the domain of s (a positive integer)" in capsys.readouterr().err


# --- found by a fuzz of 3 900 claims against an independent evaluator ------------------------

@pytest.mark.parametrize("claim, counterexample", [
    # the text names p; reading it simplified p away (mod(i + 2p - k, 2) = mod(i + k, 2),
    # min(i, i + 2p) = i): p was set to its neutral 0 and the claims were "proven"
    ("o = i - k + 1 for (i + 2p - k) even", {"i": 1, "k": 1, "p": 1}),
    ("o <= min(i, i + 2p)", {"i": 1, "k": 1, "p": 1}),
    ("o' = i for s | (i - k), (i + 2p - k) even", {"i": 1, "k": 1, "s": 3, "p": 1}),
    ("p' >= 0 for (i + 2p - k) even", {"i": 1, "k": 1, "p": 1}),
    ("o <= i + 1 when (i + 2p - d(k - 1) - 1) even", {"i": 1, "k": 1, "p": 1, "d": 1}),
])
def test_a_parameter_the_text_names_is_never_neutral(claim, counterexample):
    v = sc.check(claim)
    assert v.holds is False and v.counterexample == counterexample


@pytest.mark.parametrize("claim", [
    "o = i for k = 2p + 1 and p >= k",
    "o = i - k + 1 for a = 1",                      # a < max(s, d) = 1 with s = d = 1
    "o = (i + 1)/2 if s = 2 and k = 3 and p = 1 and i odd and s | i",
    "3 = 3 + 0 if a = 1",
])
def test_a_proof_over_no_configuration_is_refused(claim):
    # the proof engine proved these before the conditions were found to hold nowhere
    with pytest.raises(sc.UsageError, match=r"^contradictory conditions: no configuration "
                                            r"satisfies the conditions"):
        sc.check(claim)


def test_sympy_recursion_is_one_line_and_divisible_by_reads_as_solve_prints_it():
    with pytest.raises(sc.UsageError, match=r"sympy's simplification recursed without end"):
        sc.check("mod(i + 2k, k + 1) = 0")
    v = sc.check("o' = i if i + 2p - k is divisible by s")
    assert v.holds is True and v.conditions == (
        sympy.Eq(sympy.Mod(sc.i + 2 * sc.p - sc.k, sc.s), 0),)


def test_the_verdict_line_states_conditions_as_a_reader_writes_them(capsys):
    from symconv.cli import main
    assert main(["check", "o = i for s = 1 and k odd and p = floor(k/2)"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == \
        "holds: o = i  for s = 1 and k odd and p = floor(k/2) and d = 1"
