"""The proof engine: every named proof verifies, each step by its rule; broken steps fail."""

from __future__ import annotations

import itertools

import pytest
import sympy

import symconv as sc
from symconv.proofs import PROOFS, Chain, verify_step
from symconv.symbols import a, d, i, k, o, p, s


@pytest.mark.parametrize("name", list(PROOFS))
def test_every_proof_holds(name):
    proof = sc.prove(name)
    assert proof.holds, proof.text()
    assert all(step.verified for step in proof.steps)
    assert "NOT verified" not in proof.text()


def test_all_fifteen_relationships_prove():
    assert all(sc.prove(f"relationship {n}").holds for n in range(1, 16))


def test_round_trip_steps_and_rules():
    proof = sc.prove("round_trip")
    assert [st.rule for st in proof.steps] == [
        "start", "definition", "hypothesis", "division identity", "algebra"]
    assert proof.steps[-1].expr == i
    assert proof.goal == i
    tex = proof.latex()
    assert tex.count(r"\begin{align*}") == 1 and r"\bmod" in tex
    assert r"\intertext{by the division identity, $s \lfloor X/s \rfloor + (X \bmod s) = X$:}" in tex
    assert "floor(" not in tex and "mod s)" not in tex.replace(r"\bmod s)", "")


def test_a_wrong_step_is_not_verified():
    X = i + 2 * p - d * (k - 1) - 1
    # s floor(X/s) alone is not X: the division identity needs the Mod term
    assert not verify_step(s * sympy.floor(X / s), X, "division identity")
    assert not verify_step(i + 1, i, "algebra")
    chain = Chain(sympy.floor(X / s) + 1).to(X / s + 1, "algebra")
    assert not chain.proof("bad", "floor dropped", X / s + 1).holds


def test_plain_simplify_does_not_close_the_round_trip_but_the_division_identity_does():
    X = i + 2 * p - d * (k - 1) - 1
    lhs = s * sympy.floor(X / s) + sympy.Mod(X, s) - 2 * p + d * (k - 1) + 1
    assert verify_step(lhs, i, "division identity")


def test_proof_objects_render_in_notebooks():
    proof = sc.prove("dv6")
    assert proof._repr_latex_().startswith("$\\displaystyle ")
    assert proof._repr_latex_().endswith(r"\quad\checkmark$")


def test_unknown_proof_name():
    with pytest.raises(sc.UnknownNameError, match="no proof named 'round_trp'; did you mean 'round_trip'"):
        sc.prove("round_trp")


def test_corollaries_state_what_they_prove():
    assert sc.prove("round_trip_unique").goal == sympy.Mod(i + 2 * p - d * (k - 1) - 1, s)
    smallest = sc.prove("round_trip_smallest")
    assert len(smallest.cases) == 3 and smallest.holds
    assert sympy.expand(smallest.goal - (s * (o - 1) + d * (k - 1) + 1 - 2 * p)) == 0
    _ = a


def test_round_trip_smallest_states_where_the_smallest_input_is_its_formula():
    # the conclusion holds exactly where its hypothesis does: at k = 1, s = 3, p = 2, o = 2
    # the inputs 1 and 2 both give o, and the formula gives 0 (PyTorch refuses
    # conv_transpose of o there), so without the hypothesis the conclusion is false
    smallest = sc.prove("round_trip_smallest")
    (hyp, _), = smallest.hypotheses
    assert smallest.conclusion.endswith("where it is at least 1")
    for kk, ss, pp, dd, oo in itertools.product(range(1, 5), range(1, 5), range(0, 4),
                                                 range(1, 3), range(1, 6)):
        env = {k: kk, s: ss, p: pp, d: dd, o: oo}
        ins = [v for v in range(1, 60) if v + 2 * pp - dd * (kk - 1) - 1 >= 0 and
               (v + 2 * pp - dd * (kk - 1) - 1) // ss + 1 == oo]
        if bool(hyp.subs(env)):
            assert ins and min(ins) == smallest.goal.subs(env), env
        elif ins:
            assert min(ins) == 1 and smallest.goal.subs(env) < 1, env
    assert not bool(hyp.subs({k: 1, s: 3, p: 2, d: 1, o: 2}))


def _all_parts(proof):
    yield proof
    for c in proof.cases:
        yield from _all_parts(c)


@pytest.mark.parametrize("name", list(PROOFS))
def test_named_proofs_introduce_only_fresh_distinct_witnesses(name):
    from symconv.proofs import CANONICAL_NAMES
    for part in _all_parts(sc.prove(name)):
        seen = set(part.start.free_symbols) | {x for h, _ in part.hypotheses for x in h.free_symbols}
        introduced = []
        for step in part.steps:
            if step.rule == "hypothesis":
                introduced += [x for x in step.expr.free_symbols if x not in seen]
            seen |= step.expr.free_symbols
        assert len(set(introduced)) == len(introduced)
        assert all(x.name.startswith("m_") and x.name not in CANONICAL_NAMES for x in introduced)


def test_relationship_with_odd_kernel_names_its_witness():
    text = sc.prove("dv3").text()
    assert "k = 2*m_1 + 1, m_1 fresh" in text and "2n + 1" not in text


def test_deliberately_broken_steps_are_rejected():
    X = i + 2 * p - d * (k - 1) - 1
    odd_k, odd_s = sympy.Eq(sympy.Mod(k, 2), 1), sympy.Eq(sympy.Mod(s, 2), 1)
    # dropped floor
    assert not verify_step(sympy.floor(X / s) + 1, X / s + 1, "algebra")
    # wrong sign
    assert not verify_step(sympy.floor(X / s) + 1, sympy.floor(-X / s) + 1, "algebra")
    # shared witness: k = 2n + 1 and s = 2n + 1 would prove k = s
    n_ = sympy.Symbol("n", integer=True, nonnegative=True)
    assert not verify_step(k, 2 * n_ + 1, "hypothesis", {k: 2 * n_ + 1}, [odd_k, odd_s])
    w = sympy.Symbol("m_1", integer=True, nonnegative=True)
    assert verify_step(k, 2 * w + 1, "hypothesis", {k: 2 * w + 1}, [odd_k, odd_s])
    assert not verify_step(2 * w + 1, 2 * w + 1, "hypothesis", {s: 2 * w + 1}, [odd_k, odd_s])
    # a substitution no hypothesis states
    assert not verify_step(k + s, 3 + s, "hypothesis", {k: 3}, [odd_k])
    # a modulus that can be zero
    assert not verify_step(p * sympy.floor(i / p) + sympy.Mod(i, p), i, "division identity")
    chain = Chain(k, "", [(odd_k, "k odd"), (odd_s, "s odd")], goal=s)
    chain.witness(k, odd_k)
    chain.witness(s, odd_s)
    assert not chain.to(chain.goal, "algebra").proof("k_is_s", "k = s").holds


@pytest.mark.parametrize("name", ["round_trip", "dv3", "tf_same"])
def test_proofs_export_as_json_and_repr_compactly(name):
    import json
    proof = sc.prove(name)
    data = json.loads(json.dumps(proof.to_dict()))
    assert data["holds"] is True and data["name"] == name
    assert [st["rule"] for st in data["steps"]] == [st.rule for st in proof.steps]
    assert len(data["cases"]) == len(proof.cases)
    assert repr(proof).startswith(f"<Proof {name}: ") and repr(proof).endswith(": holds>")


@pytest.mark.parametrize("name, premises", [
    ("dv3", ["d = 1", "s = 1", "p = floor(k/2)", "k is odd"]),
    ("round_trip", ["a = Mod(i + 2*p - d*(k - 1) + s - 1, s)", "i + 2*p - d*(k - 1) - 1 >= 0"]),
    ("tf_same", ["i >= s*(c - 1) + 1", "i <= c*s"]),
    ("receptive_field", []),
])
def test_a_proof_shown_states_what_it_holds_under(name, premises):
    # a notebook showed "floor(...) + 1 = i ✓" for dv3, false without its settings
    proof = sc.prove(name)
    assert proof.premises() == premises
    shown = proof._repr_latex_()
    assert (r"\quad\text{if } " in shown) == bool(premises)
    assert shown.endswith(r"\quad\checkmark$")
    if premises:
        assert f" if {', '.join(premises)} by " in repr(proof)


def test_the_receptive_field_proof_states_its_claim_not_an_identity():
    # its headline read "claim: Sum(...) + 1 = Sum(...) + 1"
    import symconv as sc
    assert sc.prove("receptive_field").text().splitlines()[1] == (
        "  claim: r_L = Sum((khat[l] - 1)*Product(s[m], (m, 1, l - 1)), (l, 1, L)) + 1")


def test_a_step_never_uses_a_sign_o_prime_and_p_prime_do_not_have():
    # o' = s(i' - 1) + a + k - 2p is -2 at i = k = 1, s = 5, p = 4 (PyTorch's Conv1d gives
    # 2, its ConvTranspose1d refuses the -2); p' = k - p - 1 < 0 where p >= k.  These
    # steps were verified (and z3 confirmed them) as sympy read o' positive, p' nonnegative
    from symconv.proofs import DEFINITIONS, Chain, verify_step
    from symconv.symbols import SYMBOLS
    op, pp = SYMBOLS["o'"], SYMBOLS["p'"]
    assert not verify_step(sympy.Max(op, 0, evaluate=False), op, "algebra")
    assert not verify_step(sympy.Min(pp, 0, evaluate=False), sympy.Integer(0), "algebra")
    fl = sympy.floor(pp / (pp + 1))
    assert not verify_step(fl, sympy.Integer(0), "floor bounds", {fl: 0})
    ch = Chain(sympy.Max(op, 0, evaluate=False), "ReLU of the transposed output")
    ch.to(op, "algebra")
    ch.subs({op: DEFINITIONS[op]}, "definition")
    pr = ch.proof("relu_convt", "max(o', 0) is the transposed output", DEFINITIONS[op])
    assert pr.holds is False
    o_prime = (((1 + 8 - 1) // 5 + 1) - 1) * 5 - 8 + 1 - 1 + 1
    assert o_prime == -2 and max(o_prime, 0) != o_prime
    # the steps about them that hold still verify: the definition, and algebra
    assert verify_step(op, DEFINITIONS[op], "definition", {op: DEFINITIONS[op]})
    assert verify_step(op + pp - pp, op, "algebra")


def test_a_proof_pickles_and_copies_as_it_was_built():
    # round_trip's step 4, built unevaluated, came back from pickle as i (another step):
    # the copy was unequal and its LaTeX showed "by the division identity: = i"
    import copy
    import pickle
    for name in PROOFS:
        proof = sc.prove(name)
        for again in (pickle.loads(pickle.dumps(proof)), copy.deepcopy(proof)):
            assert again == proof and again.latex() == proof.latex(), name
            assert [st.expr for st in again.steps] == [st.expr for st in proof.steps]
