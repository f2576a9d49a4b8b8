"""Every worked example of Dumoulin & Visin's figures (REFERENCE.md table)."""

from __future__ import annotations

import pytest
import sympy

import symconv as sc

# figure: (i, k, s, p, o, transposed output o' or None)
FIGURES = {
    "no padding, unit strides": (4, 3, 1, 0, 2, 4),
    "arbitrary padding, unit strides": (5, 4, 1, 2, 6, 5),
    "half padding": (5, 3, 1, 1, 5, 5),
    "full padding": (5, 3, 1, 2, 7, 5),
    "no padding, strides": (5, 3, 2, 0, 2, 5),
    "padding and strides": (5, 3, 2, 1, 3, 5),
    "padding and strides, odd": (6, 3, 2, 1, 3, 6),
}


@pytest.mark.parametrize("figure", list(FIGURES))
def test_figure(figure):
    i, k, s, p, o, o_t = FIGURES[figure]
    assert sc.solve("conv", i=i, k=k, s=s, p=p).values == (o,)
    # the transposed conv that undoes it: output_padding a, solved, then its output
    a = sc.solve("conv_transpose", "a", i=o, k=k, s=s, p=p, o=i)
    assert a.kind == "finite" and len(a.values) == 1
    assert sc.solve("conv_transpose", i=o, k=k, s=s, p=p, a=a.values[0]).values == (o_t,)


def test_odd_figure_needs_output_padding_one():
    assert sc.solve("conv_transpose", "a", i=3, k=3, s=2, p=1, o=6).values == (1,)


def test_dilation_figure():
    assert sc.solve("conv", i=7, k=3, s=1, p=0, d=2).values == (3,)
    assert sc.solve("dilated_kernel", k=3, d=2).values == (5,)


def test_stretched_inputs_of_the_figures():
    # no padding, strides: i' = 2 stretched to 3; padding and strides: i' = 3 stretched to 5
    assert sc.solve("stretched_input", **{"i'": 2, "s": 2}).values == (3,)
    assert sc.solve("stretched_input", **{"i'": 3, "s": 2}).values == (5,)


@pytest.mark.parametrize("number", range(1, 16))
def test_numbered_relationship_agrees_with_the_general_relation(number):
    """Each relationship, in its setting, gives what conv / conv_transpose give."""
    rel = sc.relationship(number)
    setting = dict(rel.setting)
    checked = 0
    for i in range(1, 16):
        for k in range(1, 6):
            for s in ([1] if sc.s in setting else [1, 2, 3]):
                for p in range(0, 4):
                    env = {"i": i, "k": k, "s": s, "p": p, "d": 2 if number == 15 else 1}
                    env.update({sym.name: int(val.subs({sc.k: k})) for sym, val in setting.items()})
                    if any(h.expr.subs({sc.i: i, sc.k: k, sc.s: env["s"], sc.p: env["p"],
                                        sc.a: 0}) is not sympy.true
                           for h in rel.hypotheses if "a" not in h.rule):
                        continue
                    try:
                        direct = sc.solve("conv", i=env["i"], k=k, s=env["s"], p=env["p"],
                                          d=env["d"]).values[0]
                    except sc.DomainError:
                        continue
                    if rel.lhs == sc.o:
                        mine = sc.solve(rel, "o", **{v.name: env[v.name]
                                                     for v in rel.variables if v != sc.o})
                        assert mine.values == (direct,), (number, env)
                    else:
                        # transposed: input i' = direct output, a = (i + 2p - k) mod s
                        a = (env["i"] + 2 * env["p"] - k) % env["s"]
                        given = {"i'": direct, "k": k, "s": env["s"], "p": env["p"], "a": a}
                        mine = sc.solve(rel, "o'", **{v.name: given[v.name]
                                                      for v in rel.variables if v != sc.o_prime})
                        assert mine.values == (env["i"],), (number, env)
                    checked += 1
    assert checked > 20


def test_relationship_14s_output_padding_is_a_remainder_mod_s():
    """a = (i + 2p - k) mod s is below the stride; PyTorch refuses a >= max(s, d) = s:
    dv14 answered o' = 7 for a = 2, s = 2 and a = 4 for o' = 9."""
    with pytest.raises(sc.DomainError, match=r"^a = \(i \+ 2p - k\) mod s is below the stride: "
                                             r"a < s; got s=2, a=2"):
        sc.solve("dv14", "o'", **{"i'": 3}, k=3, s=2, p=1, a=2)
    for s in range(1, 5):
        for i_p in range(1, 6):
            for o_p in range(1, 20):
                got = sc.solve("dv14", "a", **{"i'": i_p, "o'": o_p}, k=3, s=s, p=1)
                brute = {a for a in range(0, 30) if a < s and s * (i_p - 1) + a + 3 - 2 == o_p}
                assert set(got) == brute, (s, i_p, o_p)
