"""LaTeX out: exact strings for every relation, solution sets and notebook hooks."""

from __future__ import annotations

import pytest
import sympy

import symconv as sc
from symconv.printing import latex, sstr

PINNED = {
    'conv': 'o = \\left\\lfloor \\frac{i + 2 p - d \\left(k - 1\\right) - 1}{s} \\right\\rfloor + 1',
    'conv_asym': 'o = \\left\\lfloor \\frac{i + p_{l} + p_{r} - d \\left(k - 1\\right) - 1}{s} \\right\\rfloor + 1',
    'conv_transpose': 'o = s \\left(i - 1\\right) - 2 p + d \\left(k - 1\\right) + a + 1',
    'conv_transpose_asym': 'o = s \\left(i - 1\\right) - p_{l} - p_{r} + d \\left(k - 1\\right) + a + 1',
    'pool': 'o = \\left\\lfloor \\frac{i + 2 p - d \\left(k - 1\\right) - 1}{s} \\right\\rfloor + 1',
    'pool_ceil': 'o = \\begin{cases} \\left\\lceil \\frac{i + 2 p - d \\left(k - 1\\right) - 1}{s} \\right\\rceil & \\text{for}\\: i + p \\leq s \\left\\lceil \\frac{i + 2 p - d \\left(k - 1\\right) - 1}{s} \\right\\rceil \\\\\\left\\lceil \\frac{i + 2 p - d \\left(k - 1\\right) - 1}{s} \\right\\rceil + 1 & \\text{otherwise} \\end{cases}',
    'dilated_kernel': '\\hat{k} = d \\left(k - 1\\right) + 1',
    'stretched_input': "\\tilde{i}' = i' + \\left(i' - 1\\right) \\left(s - 1\\right)",
    'macs': 'M = \\frac{F_{i} F_{o} k^{n} o^{n}}{g}',
    'params': 'P = \\frac{F_{i} F_{o} k^{n}}{g} + F_{o} b',
    'pad_same_torch': 'T = d \\left(k - 1\\right)',
    'pad_same_tf': 'T = \\max\\left(0, - i + s \\left(\\left\\lceil \\frac{i}{s} \\right\\rceil - 1\\right) + d \\left(k - 1\\right) + 1\\right)',
    'dv1': 'o = i - k + 1',
    'dv2': 'o = i + 2 p - k + 1',
    'dv3': 'o = i',
    'dv4': 'o = i + k - 1',
    'dv5': 'o = \\left\\lfloor \\frac{i - k}{s} \\right\\rfloor + 1',
    'dv6': 'o = \\left\\lfloor \\frac{i + 2 p - k}{s} \\right\\rfloor + 1',
    'dv7': 'o = \\left\\lfloor \\frac{i - k}{s} \\right\\rfloor + 1',
    'dv8': "o' = i' + k - 1",
    'dv9': "o' = i' - 2 p + k - 1",
    'dv10': "o' = i'",
    'dv11': "o' = i' - k + 1",
    'dv12': "o' = s \\left(i' - 1\\right) + k",
    'dv13': "o' = s \\left(i' - 1\\right) - 2 p + k",
    'dv14': "o' = s \\left(i' - 1\\right) - 2 p + k + a",
    'dv15': 'o = \\left\\lfloor \\frac{i + 2 p - k - \\left(d - 1\\right) \\left(k - 1\\right)}{s} \\right\\rfloor + 1',
}


def test_every_relation_is_pinned():
    assert set(PINNED) == set(sc.names())


@pytest.mark.parametrize("name", list(PINNED))
def test_relation_latex(name):
    assert sc.latex(name) == PINNED[name]
    assert sc.relation(name).latex() == PINNED[name]
    rel = sc.relation(name)
    if not (rel.setting or rel.hypotheses):
        assert rel._repr_latex_() == f"$\\displaystyle {PINNED[name]}$"
    else:       # a special case shows what it is stated for (test below)
        assert rel._repr_latex_().startswith(f"$\\displaystyle {PINNED[name]} \\quad \\text{{")


@pytest.mark.parametrize("name, shown", [
    ("dv3", r"o = i \quad \text{with } s = 1,\ p = \left\lfloor \frac{k}{2} \right\rfloor"
            r" \quad \text{if } k \text{ odd}"),
    ("dv13", r"o' = s \left(i' - 1\right) - 2 p + k \quad \text{if } s \mid i + 2 p - k"),
    ("dv1", r"o = i - k + 1 \quad \text{with } s = 1,\ p = 0"),
])
def test_a_special_case_displays_what_it_is_stated_for(name, shown):
    # a notebook showed "o = i" for relationship 3, and str() left out s = 1, p = floor(k/2):
    # the identity, false as written
    rel = sc.relation(name)
    assert rel._repr_latex_() == f"$\\displaystyle {shown}$"
    setting = ", ".join(f"{x} = {sstr(v)}" for x, v in rel.setting)
    assert (f"  with {setting}" in str(rel)) == bool(rel.setting)


def test_conv_without_dilation_prints_as_in_the_issue():
    rel = sc.relation("conv")
    assert latex(sympy.Eq(rel.lhs, rel.rhs.subs(sc.d, 1))) == (
        r"o = \left\lfloor \frac{i + 2 p - k}{s} \right\rfloor + 1")


@pytest.mark.parametrize(("kwargs", "tex"), [
    (dict(i=224, k=7, s=2, o=112), "p = 3"),
    (dict(o=112, k=7, s=2, p=3), r"i \in \left\{223, 224\right\}"),
    (dict(i=224, k=7, p=3, o=1), r"s \geq 224"),
    (dict(i=5, k=4, s=1, o=5), r"p \in \emptyset"),
    (dict(o="i", s=1, unknown="p"), r"p = \frac{d \left(k - 1\right)}{2} \quad \text{if } 2 \mid d \left(k - 1\right)"),
])
def test_solution_latex(kwargs, tex):
    sol = sc.solve("conv", **kwargs)
    assert sol.latex() == tex
    assert latex(sol) == tex
    assert sol._repr_latex_() == f"$\\displaystyle {sol.latex_set() if sol.kind != 'symbolic' else tex}$"


def test_mod_and_primes_and_hats():
    assert latex(sympy.Mod(sc.i + 2 * sc.p - sc.k, sc.s)) == (
        r"\left(\left(i + 2 p - k\right) \bmod s\right)")
    assert latex(sc.khat + sc.i_tilde + sc.p_l) == r"\tilde{i}' + p_{l} + \hat{k}"


@pytest.mark.parametrize("expr, tex", [
    (2 * sympy.Mod(sc.i, sc.s), r"2 \left(i \bmod s\right)"),
    (-sc.k * sympy.Mod(sc.i, sc.s), r"- k \left(i \bmod s\right)"),
    (sc.k * (sc.i + 1) * sympy.Mod(sc.i, sc.s), r"k \left(i + 1\right) \left(i \bmod s\right)"),
    (sc.k * sympy.floor(sympy.Mod(sc.i, sc.s) / 2),
     r"k \left\lfloor \frac{\left(i \bmod s\right)}{2} \right\rfloor"),
    (sympy.Mod(sc.i, sc.s) ** 2, r"\left(i \bmod s\right)^{2}"),
])
def test_a_mod_in_a_product_takes_one_pair_of_parentheses(expr, tex):
    # a Mod prints its own parentheses; sympy's product rule added a second pair
    assert latex(expr) == tex
    assert sc.parse_latex(f"o = {tex}").rhs == expr


def test_plain_text_order_is_stable():
    assert sstr(sc.relation("conv").rhs) == "floor((i + 2*p - d*(k - 1) - 1)/s) + 1"
    assert str(sc.relation("dv14")) == "o' = s*(i' - 1) - 2*p + k + a  if a = (i + 2p - k) mod s"
    assert str(sc.relationship(13)) == "o' = s*(i' - 1) - 2*p + k  if s divides i + 2p - k"


@pytest.mark.parametrize("program", ["import symconv as sc; print(sc.latex('conv'))",
                                     # the printing module's own latex, imported first: it
                                     # printed \mathtt{\text{conv}} (the name as text)
                                     "from symconv.printing import latex; print(latex('conv'))"])
def test_latex_of_a_relation_name_in_a_fresh_process(program):
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", program],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == r"o = \left\lfloor \frac{i + 2 p - d \left(k - 1\right) - 1}{s} \right\rfloor + 1"


def test_explain_latex_escapes_underscores_in_words():
    from symconv.cli import main
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["solve", "conv_transpose", "--for", "p", "o=i", "s=1", "--explain",
                     "--latex"]) == 0
    first = buf.getvalue().splitlines()[1]
    assert first == (r"\intertext{relation conv\_transpose (transposed convolution (with "
                     r"dilation and output\_padding)):}")


def test_a_rule_the_givens_break_is_refused_where_others_are_not_given():
    # it was an empty answer whose explanation said a condition on the givens fails; a
    # rule the givens break is bad input, as in a numeric question (T and k not given)
    with pytest.raises(sc.DomainError, match=r"^PyTorch padding='same' needs stride 1; got "
                       r"s=2 \(PyTorch: "):
        sc.solve("pad_same_torch", "d", s=2)


def test_small_latex_outputs_a_paper_can_paste(capsys):
    from symconv.cli import main
    # amssymb's slanted signs read as \leq, \geq (\geqslant was "no relation sign")
    assert sc.parse_latex(r"o \geqslant 1") == sympy.Ge(sc.o, 1, evaluate=False)
    assert sc.check(r"o \leqq i + 2p").holds is True
    # sc.latex of a verdict is its LaTeX, not a \mathtt dump of its text
    verdict = sc.check("o = i - k + 1 for s = 1, p = 0")
    assert latex(verdict) == verdict.latex()
    # one value between equal bounds reads as one value ("d <= p <= d")
    assert str(sc.solve("conv", i="2*o", k=3, s=2, unknown="p")) == "p = d"
    # an align* whose last row ends in \\ sets an empty row
    assert main(["net", "conv k=7 s=2 p=3 | pool k=3 s=2 p=1", "--expr", "--explain",
                 "--latex"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("(merged floors)}\n\\end{align*}")


def test_a_flat_output_displays_what_it_is():
    # a graph ending in a Linear showed "$\displaystyle $" in a notebook: nothing
    from symconv.chain import Layer
    from symconv.graph import Graph, Node
    g = Graph((Node("c", "layer", ("x",), Layer("conv", k=3, F_i=1, F_o=2)),
               Node("p", "adaptive", ("c",), size=(1, 1)), Node("f", "flatten", ("p",)),
               Node("fc", "linear", ("f",), in_features=2, out_features=10)),
              in_channels=1, ndim=2)
    assert g._repr_latex_() == r"$\text{4 nodes; the output is flat: 10 features, no size axis}$"


def test_a_case_an_answer_leaves_out_is_said_in_latex_and_explain():
    # the text and JSON said "when i = 1 the relation does not fix s"; --latex and
    # --explain dropped it, so the answer read as the whole set (tester BP)
    sol = sc.solve("conv_transpose", "s", o=3, k=1, d="i", a=2)
    assert sol.note.startswith("when i = 1 the relation does not fix s")
    assert r"\noindent Note: when $i = 1$ the relation does not fix $s$" in \
        sc.paper.solution(sol)
    explained = sol.explain()
    assert "note: when i = 1 the relation does not fix s" in explained
    assert "condition:  i != 1" in explained and "Ne(" not in explained
