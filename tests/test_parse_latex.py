"""LaTeX in: latex2sympy2, wrapped; every relation reads back as itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import symconv as sc
from symconv.printing import sstr
from symconv.symbols import F_i, a, d, i, i_prime, i_tilde, k, khat, o, o_prime, p, p_l, s


@pytest.mark.parametrize("name", sc.names())
def test_every_relation_round_trips(name):
    rel = sc.relation(name)
    back = sc.parse_latex(sc.latex(name))
    assert back.lhs == rel.lhs
    assert sympy.simplify(back.rhs - rel.rhs) == 0


@pytest.mark.parametrize(("tex", "expected"), [
    (r"o = \left\lfloor \frac{i+2p-k}{s} \right\rfloor + 1", sympy.Eq(o, sympy.floor((i + 2 * p - k) / s) + 1)),
    (r"o = \lfloor (i + 2p - k)/s \rfloor + 1", sympy.Eq(o, sympy.floor((i + 2 * p - k) / s) + 1)),
    (r"o = \lceil i / s \rceil", sympy.Eq(o, sympy.ceiling(i / s))),
    (r"a = (i + 2p - k) \bmod s", sympy.Eq(a, sympy.Mod(i + 2 * p - k, s))),
    (r"a = (i + 2p - k) \mod s", sympy.Eq(a, sympy.Mod(i + 2 * p - k, s))),
    (r"o' = s(i' - 1) + a + k - 2p", sympy.Eq(o_prime, s * (i_prime - 1) + a + k - 2 * p)),
    (r"o^{\prime} = s \cdot (i^{\prime} - 1) + k", sympy.Eq(o_prime, s * (i_prime - 1) + k)),
    (r"\tilde{i}' = i' + (i' - 1)(s - 1)", sympy.Eq(i_tilde, i_prime + (i_prime - 1) * (s - 1))),
    (r"\hat{k} = k + (k - 1)(d - 1)", sympy.Eq(khat, k + (k - 1) * (d - 1))),
    (r"p_l + p_{l} + F_{i}", 2 * p_l + F_i),
    (r"\frac{d \left(k - 1\right)}{2}", d * (k - 1) / 2),
    (r"$o \leq i$", sympy.Le(o, i)),
    # the set notation of papers (it was refused: "I expected something else here")
    (r"o = \max\{1, i - k + 1\}", sympy.Eq(o, sympy.Max(1, i - k + 1))),
    (r"o = \max\left\{0, \min\{i, k\} - 1\right\}", sympy.Eq(o, sympy.Max(0, sympy.Min(i, k) - 1))),
    (r"o = \min \{\max\{i, k\}, s\} + 1", sympy.Eq(o, sympy.Min(sympy.Max(i, k), s) + 1)),
])
def test_constructs(tex, expected):
    got = sc.parse_latex(tex)
    if isinstance(expected, sympy.core.relational.Relational):
        assert type(got) is type(expected) and got.lhs == expected.lhs
        assert sympy.simplify(got.rhs - expected.rhs) == 0
    else:
        assert sympy.simplify(got - expected) == 0


def test_symbols_carry_the_canonical_assumptions():
    expr = sc.parse_latex(r"i + 2p - k")
    assert {x.name: x.is_positive for x in expr.free_symbols} == {"i": True, "p": None, "k": True}
    assert all(x.is_integer for x in expr.free_symbols)


@pytest.mark.parametrize(("tex", "error", "message"), [
    (r"o = x + 1", sc.UnknownNameError, "LaTeX 'o = x + 1' uses 'x', which is not a canonical symbol"),
    # a name that cancels is still an unknown name: checked before anything is evaluated
    (r"o = i + x - x", sc.UnknownNameError, "uses 'x', which is not a canonical symbol"),
    (r"o = i + 0 y", sc.UnknownNameError, "uses 'y', which is not a canonical symbol"),
    (r"o = i + \frac{z}{z} - 1", sc.UnknownNameError, "uses 'z', which is not a canonical symbol"),
    # a paper's styled names are quoted as written (they were latex2sympy2's 'mathin' and
    # 'i_\mathrmin')
    (r"o = \mathrm{in} - k + 1", sc.UnknownNameError,
     r"uses '\\mathrm{in}', which is not a canonical symbol"),
    (r"o = i_{\mathrm{in}} - k + 1", sc.UnknownNameError,
     r"uses 'i_{\\mathrm{in}}', which is not a canonical symbol"),
    (r"o = \frac{i}{s_{\mathit{eff}}}", sc.UnknownNameError,
     r"uses 's_{\\mathit{eff}}', which is not a canonical symbol"),
    (r"o = \frac{i}{s", sc.ParseError, "unbalanced braces"),
    (r"o = \sqrt{i}", sc.ParseError, "the power sqrt(i) is not an integer power"),
    (r"o = i = k", sc.ParseError, "has 2 relation signs"),
    (r"o = i +", sc.ParseError, "cannot read LaTeX 'o = i +' at position"),
    (r"o = \int i", sc.ParseError, "Integral is not convolution arithmetic"),
    (r"o = \max\{1, i", sc.ParseError, r"\max\{ has no closing \}"),
])
def test_errors_are_one_line(tex, error, message):
    with pytest.raises(error) as info:
        sc.parse_latex(tex)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_latex2sympy2_is_imported_only_when_latex_is_read():
    import subprocess
    import sys
    code = ("import sys, symconv as sc; sc.solve('conv', i=5, k=3, s=1, p=1); "
            "assert 'latex2sympy2_extended' not in sys.modules; sc.parse_latex('i'); "
            "assert 'latex2sympy2_extended' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(("text", "expected"), [
    # latex2sympy2_extended would read 2\frac{i}{2} as the mixed number 2 + i/2 and lower-case
    # symbols; symconv switches both off, so the parse is latex2sympy2 1.9.1's
    (r"o = 2\frac{i}{2}", "Eq(o, i)"),
    (r"o = \Big\lfloor \frac{i}{s} \Big\rfloor", "Eq(o, floor(i/s))"),
    (r"o = \left\lceil \frac{i}{s} \right\rceil", "Eq(o, ceiling(i/s))"),
])
def test_extended_reader_quirks_are_switched_off(text, expected):
    assert str(sc.parse_latex(text)) == expected


def test_deep_nesting_is_refused_before_parsing():
    # latex2sympy2_extended's ANTLR parser spends about a quarter of a second per level
    assert str(sc.parse_latex("o = " + "(" * 8 + "i" + ")" * 8)) == "Eq(o, i)"
    with pytest.raises(sc.SymconvError) as info:
        sc.parse_latex("o = " + "{(" * 5 + "i" + ")}" * 5)
    assert str(info.value) == ("LaTeX nested 10 levels deep: at most 8 (brackets, braces, floors "
                               "and ceilings; simplify the formula)")


def test_a_congruence_is_refused_not_read_as_an_equation():
    with pytest.raises(sc.ParseError, match=r"a congruence \(\\equiv, \\pmod\) in .* is not read"):
        sc.parse_latex(r"i + s \equiv i \pmod{s}")
    assert sc.parse_latex(r"o = i \bmod 2") == sympy.Eq(sc.o, sympy.Mod(sc.i, 2))


def test_the_congruence_refusal_suggests_a_form_that_is_read():
    with pytest.raises(sc.ParseError) as err:
        sc.parse_latex(r"k \equiv 1 \pmod{2}")
    assert str(err.value).endswith(r"write (a - b) \bmod m = 0, or a \bmod m = b")
    assert sc.parse_latex(r"(k - 1) \bmod 2 = 0") == sympy.Eq(sympy.Mod(sc.k - 1, 2), 0)


@pytest.mark.parametrize("tex", [r"o = \left\lfloor {i + 2p - k \over s} \right\rfloor + 1",
                                 r"o = {i \atop s}", r"o = {i \choose 2}"])
def test_tex_infix_fractions_are_refused_not_misread(tex):
    # {a + b \over s} was read as a + b/s, so the conv relation written so was "false"
    with pytest.raises(sc.ParseError, match=r"TeX's infix form: not read \(write "
                                            r"\\frac\{a\}\{b\}\)$"):
        sc.parse_latex(tex)


@pytest.mark.parametrize("tex, expected", [
    (r"o = {i - k + 1}", "Eq(o, i - k + 1)"), (r"{o} = i - k + 1", "Eq(o, i - k + 1)"),
    (r"o = i - k + {1}", "Eq(o, i - k + 1)"), (r"o = {i + 2p - k}/{s}", "Eq(o, (i + 2*p - k)/s)"),
    (r"o = \frac{i}{s} \cdot {2}", "Eq(o, 2*i/s)"), (r"p_{l} = {k} - 1", "Eq(p_l, k - 1)"),
])
def test_a_brace_group_is_a_group_not_a_set(tex, expected):
    # latex2sympy2 read {1} as the set {1}: "FiniteSet is not convolution arithmetic"
    assert sstr(sc.parse_latex(tex)) == expected


def test_words_are_not_read_as_a_product_of_letters():
    with pytest.raises(sc.ParseError, match=r"the words \\text\{ odd and \} in"):
        sc.parse_latex(r"k \text{ odd and } p = 0")


def test_a_row_break_followed_by_a_space_splits_the_cases():
    text = r"o = \begin{cases} i & \text{if } s = 1 \\ 1 & \text{otherwise} \end{cases}"
    assert sc.parse_latex(text) == sc.parse_latex(text.replace(r"\\ ", r"\\"))


_I, _K, _S, _P = sc.i, sc.k, sc.s, sc.p


@pytest.mark.parametrize("expr", [
    sympy.Max(0, sympy.Min(_I - _K, _S)),
    sympy.Min(_K / 2, sympy.Max(_I, _S + _P)) + 1,
    sympy.ceiling(sympy.Max(0, _I / 2 - _K, sympy.Min(_S, _P))),
    sympy.Piecewise((sympy.Piecewise((_I, sympy.Eq(_K, 1)), (_K, True)), sympy.Eq(_S, 1)),
                    (2, True)),
    _S * sympy.Piecewise((_I, sympy.Eq(_S, 1)), (_K, True)) + 1,
    sympy.Max(_P, sympy.Piecewise((_I, sympy.Eq(_S, 1)), (_K, True))),
])
def test_symconvs_own_nested_max_min_and_cases_read_back(expr):
    # latex2sympy2 reads one level of \max and of cases: the inner ones are read first
    tex = sc.latex(expr)
    back = sc.parse_latex(tex)
    for values in [(1, 1, 1, 0), (5, 3, 2, 1), (9, 1, 1, 4), (2, 7, 3, 2)]:
        at = dict(zip((_I, _K, _S, _P), values, strict=True))
        assert back.subs(at) == expr.subs(at), (tex, values)


def test_placeholder_names_are_never_the_users():
    cases = r"\begin{cases} i & \text{for}\: s = 1 \\ k & \text{otherwise} \end{cases}"
    for tex in (cases + " + R_1", r"Q_{1} + i", r"\max(\max(i, k), R_{1})"):
        with pytest.raises(sc.UnknownNameError, match="not a canonical symbol"):
            sc.parse_latex(tex)


@pytest.mark.parametrize("tex", [r"s \left(i\right) + 1", r"s(i)^{2}", r"p^{3}(i)", r"d (k)"])
def test_a_letter_before_one_parenthesised_atom_is_refused_not_guessed(tex):
    # latex2sympy2 reads s(i) as a call, and s(i)^{2} and s^{2}(i) alike (a power of the
    # call): no reading is right for both, so none is taken
    with pytest.raises(sc.ParseError, match=r"reads as a call: write the product with \\cdot"):
        sc.parse_latex(tex)


def test_a_call_with_several_arguments_is_still_refused():
    with pytest.raises(sc.ParseError, match="reads as a call"):
        sc.parse_latex("s(i, k)")


def test_a_power_whose_exponent_is_an_integer_expression_reads_back():
    # symconv's own params answers write k^{- n}
    answer = sc.solve("params", "F_i", b=1)
    back = sc.parse_latex(answer.latex().split(r" \quad")[0])
    assert sympy.simplify(back.rhs - answer.expr) == 0
    assert str(sc.parse_latex(r"k^{n + 1}")) == "k**(n + 1)"
    for tex in (r"k^{\frac{1}{2}}", r"k^{0.5}"):
        with pytest.raises(sc.ParseError, match="is not an integer power"):
            sc.parse_latex(tex)


@pytest.mark.parametrize("tex", [r"\max(\max(i = k, 2), 1)", r"\min(\max(i \leq k, 1), s)"])
def test_a_relation_inside_a_nested_max_is_refused_in_one_line(tex):
    # it reached sympy's Max, which raised a bare ValueError
    with pytest.raises(sc.ParseError, match=r"takes expressions, not relations"):
        sc.parse_latex(tex)


@pytest.mark.parametrize("tex", [
    r"\begin{cases}\end{cases}",
    r"\begin{cases} i & k + 1 \\ s & \text{otherwise} \end{cases}",   # not a condition
    r"\begin{cases} i \\ k \end{cases}",                               # otherwise not last
    r"\begin{cases} i = 1 & k = 1 \\ k & \text{otherwise} \end{cases}",   # not a value
    r"i + \begin{cases} 0 & s = 1 \end{cases}",                          # no otherwise
    r"k^{\begin{cases} \frac{1}{2} & i = 1 \\ 1 & \text{otherwise} \end{cases}}",
    r"sQ_1 + \hat{k}", r"iR_{1} + \max(\max(i, k), s)",
])
def test_malformed_cases_and_placeholders_are_refused_in_one_line(tex):
    # each raised a bare TypeError or was read with another meaning
    with pytest.raises(sc.SymconvError) as info:
        sc.parse_latex(tex)
    assert "\n" not in str(info.value)


def test_ten_pieces_and_more_read():
    # a two-digit placeholder came back as R_{10} and was taken for a user's name
    assert sc.parse_latex(" + ".join([r"\max(\max(i, k), s)"] * 12)) == 12 * sympy.Max(_I, _K, _S)


@pytest.mark.parametrize("expr", [
    _P**3 * sympy.Piecewise((_S, _K <= _S), (2, True)),
    _I * _K**2 * sympy.Piecewise((_S, _K <= _S), (2, True)),
])
def test_a_power_times_cases_reads_back_with_the_power_on_its_base(expr):
    back = sc.parse_latex(sc.latex(expr))
    for at in ({_I: 1, _K: 1, _S: 3, _P: 2}, {_I: 5, _K: 4, _S: 2, _P: 1}):
        assert back.subs(at) == expr.subs(at)


@pytest.mark.parametrize("tex, expected", [
    (r"o = \hat k + i", "Eq(o, i + khat)"), (r"o = \frac12 i", "Eq(o, i/2)"),
    (r"o = \tfrac12 i", "Eq(o, i/2)"), (r"o = \mathrm{i} - k + 1", "Eq(o, i - k + 1)"),
    (r"o = i~-~k + 1", "Eq(o, i - k + 1)"),
])
def test_tex_short_forms_read_as_their_long_ones(tex, expected):
    # each was "I don't understand this" (or a placeholder's name)
    assert sstr(sc.parse_latex(tex)) == expected


def test_a_refusal_names_what_was_written_not_a_placeholder():
    with pytest.raises(sc.UnknownNameError, match=r"""uses "a'", which is not a canonical"""):
        sc.parse_latex("a' + 1")
    with pytest.raises(sc.ParseError, match=r"uses \\nmid \(does not divide\): not read"):
        sc.parse_latex(r"s \nmid i + 2p - k")


def test_an_antlr_runtime_latex2sympy2_does_not_load_is_the_environment_s_error(tmp_path):
    # 4.12 satisfies latex2sympy2_extended's own requirement and fails its import: this
    # was "ParseError: cannot read LaTeX 'o = ...': Unsupported ANTLR version" (the
    # user's text blamed); a dist-info ahead on the path is what pip leaves for 4.12.0
    info = tmp_path / "antlr4_python3_runtime-4.12.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: antlr4-python3-runtime\nVersion: 4.12.0\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "symconv", "check", r"o = \frac{i - k}{1} + 1", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["kind"] == "UsageError" and error["value"] == "4.12.0"
    assert error["hint"] == "pip install 'antlr4-python3-runtime==4.13.2'"
    assert done.stderr.startswith("symconv: LaTeX cannot be read here: latex2sympy2_extended "
                                  "does not load (Unsupported ANTLR version 4.12.0")


def test_the_declared_antlr_runtimes_are_those_latex2sympy2_loads():
    import tomllib

    from packaging.requirements import Requirement
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    spec = next(Requirement(r) for r in project["project"]["dependencies"]
                if r.startswith("antlr4-python3-runtime")).specifier
    released = ["4.8", "4.9", "4.9.1", "4.9.2", "4.9.3", "4.10", "4.11.0", "4.11.1", "4.12.0",
                "4.13.0", "4.13.1", "4.13.2", "4.14.0"]
    assert [v for v in released if v in spec] == ["4.9.3", "4.11.0", "4.11.1", "4.13.2"]


@pytest.mark.parametrize("tex, message", [
    # a thousands separator read as a product: o >= 1\,000 was proven as o >= 0
    (r"o \geq 1\,000", r"has two numbers side by side \(1 000\): a thousands separator is "
     r"not read; write the number whole \(1000\), or \\cdot between them$"),
    (r"o = 10\,000 i", r"\(10 000\)"), (r"o = 1{,}000", r"\(1 000\)"),
    (r"o = 1~000", r"\(1 000\)"), (r"o = 1 000", r"\(1 000\)"),
    (r"o = 1\thinspace 000", r"\(1 000\)"),
    # a command read as a shorter one and letters (\cdotp as \cdot p)
    (r"k \cdotp k", r"uses \\cdotp, a command symconv does not read \(did you mean \\cdot\?\)$"),
    (r"i \cdots k", r"uses \\cdots, a command symconv does not read \(did you mean \\cdot\?\)$"),
    (r"o \neg i", r"uses \\neg, a command symconv does not read \(did you mean \\ne\?\)$"),
    (r"o \approx i - k + 1", r"uses \\approx, a command symconv does not read \(it reads "
     r"\\frac, \\cdot, \\times, \\lfloor \\rfloor, \\lceil \\rceil, \\max, \\min, \\bmod\)$"),
    (r"o = \gcd(i, k)", r"uses \\gcd, a command"),
    # read one way by latex2sympy2, another by a reader
    (r"o = i/2s", r"divides by 2 and multiplies by 's' with no sign between: ambiguous"),
    (r"o = 2p/2p", r"divides by 2 and multiplies by 'p'"),
    (r"o = 1/2 i", r"divides by 2 and multiplies by 'i'"),
    (r"o = i/s k", r"divides by s and multiplies by 'k'"),
    (r"o = i/2 \left(k - 1\right)", r"divides by 2 and multiplies by '\(k'"),
    (r"o = \left[ \frac{i + 2p - k}{s} \right] + 1", r"uses square brackets, a floor in some "
     r"papers and parentheses in others: write \\lfloor ... \\rfloor or \( ... \)$"),
    (r"o = i + 2p - k \bmod s", r"writes \\bmod beside a sum with no brackets: ambiguous"),
    (r"o = i \bmod s + 1", r"writes \\bmod beside a sum"),
    (r"o = 2^10", r"writes \^10, which TeX sets as \^1 followed by 0: write \^\{10\}$"),
    (r"o = 1e3", r"writes 1e3, a number in floating-point notation: not read"),
    (r"\max i", r"\\max takes its arguments in brackets: write \\max\(a, b\)$"),
])
def test_latex_read_one_way_and_meant_another_is_refused(tex, message):
    with pytest.raises(sc.ParseError, match=message):
        sc.parse_latex(tex)


@pytest.mark.parametrize("tex, expected", [
    (r"o = (i + 2p - k) \bmod s", lambda v: (v[i] + 2 * v[p] - v[k]) % v[s]),
    (r"o = \left(\left(d \left(k - 1\right)\right) \bmod 2\right)",
     lambda v: v[d] * (v[k] - 1) % 2),
    (r"o = i' \bmod s", lambda v: v[i_prime] % v[s]),
    (r"o = \left(2 \left(i \bmod 4\right)\right) \bmod 4", lambda v: 2 * (v[i] % 4) % 4),
])
def test_bmod_of_one_factor_or_of_a_bracket_is_read(tex, expected):
    got = sc.parse_latex(tex).rhs
    for n in range(1, 40):
        at = {i: n, p: n % 3, k: 3 + n % 4, s: 2 + n % 5, d: 1 + n % 2, i_prime: n + 1}
        assert got.subs(at) == expected(at), (tex, at)


@pytest.mark.parametrize("tex", [
    r"\[ o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1 \]",
    r"\begin{equation*} o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1. \end{equation*}",
    r"\begin{align} o &= \left\lfloor \frac{i - k}{s} \right\rfloor + 1, \label{eq:o} \end{align}",
    r"o &= \left\lfloor \frac{i - k}{s} \right\rfloor + 1",
    r"\( o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1 \)",
    r"$$o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1$$",
])
def test_a_display_reads_as_a_paper_writes_it(tex):
    # \[ \], equation/align environments, & and a closing period were "I don't understand
    # this" at a position, where $$ $$ was read
    assert sc.parse_latex(tex) == sympy.Eq(o, sympy.floor((i - k) / s) + 1)


def test_several_rows_are_one_equation_too_many():
    with pytest.raises(sc.ParseError, match=r"has several rows .*: one equation at a time"):
        sc.parse_latex(r"\begin{align*} o &= i \\ p &= 1 \end{align*}")
    # a spacing command at the end is no punctuation
    assert sc.check(r"o = i - k + 1\, \text{for}\, s = 1, p = 0").holds is True


@pytest.mark.parametrize("tex", [
    r"\begin{align} \hat{k} &= k + (k - 1)(d - 1) & (15) \end{align}",
    r"\begin{align} 2 o &\leq (i + 1) & (2) \end{align}",
    r"\hat{k} = k + (k - 1)(d - 1) \qquad (15)",
    r"\begin{equation} o = (i - k) + 1 \quad (3) \end{equation}"])
def test_an_equation_number_is_never_read_as_a_factor(tex):
    # `& (15)` and `\qquad (15)` were read as a product with 15: relationship 15 came out
    # false, and `2 o &\leq (i + 1) & (2)` was proved (false as the paper writes it)
    with pytest.raises(sc.ParseError, match="alignment columns|equation number"):
        sc.parse_latex(tex)


def test_a_one_row_equation_symconv_writes_reads_back():
    # an equation around a split (symconv latex NAME --equation) was "I don't understand this"
    from symconv import paper
    from symconv.relations import RELATIONS
    read = 0
    for name, rel in RELATIONS.items():
        for numbered in (True, False):
            tex = paper.equation(name, numbered=numbered, conditions=False)
            if "\\\\" in tex.split("\\begin{split}")[1]:
                continue        # several rows: refused, one equation at a time
            assert sc.parse_latex(tex) == rel.equation, name
            read += 1
    assert read >= 10


@pytest.mark.parametrize("tex", [r"o = i^{2}^{3}", r"o = i^2^3", r"o = i^{k}^{2}"])
def test_a_double_superscript_is_refused(tex):
    # read as (i^2)^3 = i^6: TeX itself refuses it ("Double superscript")
    with pytest.raises(sc.ParseError, match=r"writes a double superscript .* which TeX refuses"):
        sc.parse_latex(tex)


@pytest.mark.parametrize("claim", [
    # LaTeX's spaces around a condition word and \textrm: "cannot read LaTeX ... \ "
    r"o = i - k + 1 \ \text{for}\ s = 1,\ p = 0",
    r"o = i - k + 1 ~\text{for}~ s = 1,~ p = 0",
    r"o = i - k + 1 \quad \textrm{for } s = 1,\ p = 0",
    r"o = i - k + 1 \, \text{for} \, s = 1 \; \text{and} \; p = 0",
])
def test_latex_spacing_around_condition_words_reads(claim):
    verdict = sc.check(claim)
    assert verdict.holds is True and len(verdict.conditions) >= 2


def test_an_unknown_name_with_d_in_a_subscript_is_quoted_as_written():
    # the dilation's placeholder leaked: "uses 'k_Q_1'"
    for tex in (r"o = k_d", r"o = k_{d}"):
        with pytest.raises(sc.UnknownNameError, match=r"uses 'k_d', which is not a canonical"):
            sc.parse_latex(tex)


def test_a_transpose_and_an_euler_e_say_what_to_write():
    with pytest.raises(sc.ParseError, match=r"transpose is not convolution arithmetic \(a prime "
                                            r"after a run of letters \(si'\) .* write s i'"):
        sc.parse_latex(r"o' = si' - s + k - 2p")
    with pytest.raises(sc.ParseError, match=r"exp is not convolution arithmetic \(a word's e "
                                            r"reads as Euler's number"):
        sc.check(r"$o = i$ for even $k$")
    assert sc.parse_latex(r"o' = s i' - s + k - 2p") == sc.parse_latex(r"o' = s \cdot i' - s + k - 2p")


# --- readings a paper's reader could take otherwise (tester BK) ----------------------------

@pytest.mark.parametrize("claim", [r"-i \bmod s = s - 1 \text{ for } i = 1", r"-i \bmod s \geq 0",
                                   r"o = -i \bmod s", r"-k \bmod 2 = 1"])
def test_a_minus_before_bmod_is_ambiguous(claim):
    # (-i) mod s to latex2sympy2, -(i mod s) to a reader: "-i \bmod s >= 0" was proven,
    # false at i = 1, s = 2 read the second way; the text reader refuses "- i mod s" alike
    with pytest.raises(sc.ParseError, match=r"writes \\bmod after a minus sign with no "
                       r"brackets: ambiguous \(the mod of -i, or minus the mod\?\); write "
                       r"\(-i\) \\bmod s, or -\(i \\bmod s\)$"):
        sc.check(claim)
    assert sc.check(r"(-i) \bmod s \geq 0").holds is True
    assert sc.check(r"-(i \bmod s) \leq 0").holds is True


@pytest.mark.parametrize("claim", [r"\tilde{i} = i + (i - 1)(s - 1)", r"\tilde i = o"])
def test_a_tilde_i_without_its_prime_is_refused(claim):
    # it was read as \tilde{i}', the transposed convolution's stretched input (of i' = o):
    # "\tilde{i} = i + (i - 1)(s - 1)", i stretched, was refuted as a claim about o
    with pytest.raises(sc.ParseError, match=r"writes \\tilde\{i\} with no prime: symconv's "
                       r"stretched input is the guide's \\tilde\{i\}'"):
        sc.check(claim)
    assert sc.check(r"\tilde{i}' = i' + (i' - 1)(s - 1)").holds is True


def test_a_comma_with_latex_spacing_after_it_is_one_separator():
    # ",\quad" between conditions, a common display style, was "an empty condition"
    for claim in (r"o = i - k + 1,\quad s = 1,\ p = 0", r"o = i - k + 1, \qquad s = 1;\quad p = 0",
                  r"o = i - k + 1,\quad \text{for } s = 1,\ p = 0"):
        verdict = sc.check(claim)
        s_, p_ = sympy.Symbol("s", integer=True, positive=True), sympy.Symbol(
            "p", integer=True, nonnegative=True)
        assert verdict.holds is True and verdict.conditions == (sympy.Eq(s_, 1),
                                                                 sympy.Eq(p_, 0)), claim


def test_a_tex_comment_is_refused_saying_so():
    # "I expected one of these: '!'" (latex2sympy2's own words); text's % is still mod
    with pytest.raises(sc.ParseError, match=r"has a TeX comment \(% \.\.\.\), which TeX drops "
                       r"to the end of the line: remove it"):
        sc.check(r"o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1 % floor mode")
    assert sc.check("o = i % s").holds is False
    # TeX's \% is a percent sign set as text: "I don't understand this", or sympy's
    # "UnevaluatedExpr" (tester BP)
    for claim in (r"o = i \% s", r"o = i - k + 1,\quad s = 1 \% note"):
        with pytest.raises(sc.ParseError, match=r"writes \\%, a percent sign TeX sets as text"):
            sc.check(claim)


@pytest.mark.parametrize("claim", [r"\frac{-i \bmod s}{2} \geq 0",
                                   r"\frac{i - k \bmod s}{1} \geq i - s + 1",
                                   r"\frac{i \bmod s \cdot k}{1} = 0", r"\frac{i/2s}{1} = 0",
                                   r"\sqrt{-i \bmod s} \geq 0"])
def test_what_reads_two_ways_is_refused_inside_a_commands_argument_too(claim):
    # a fraction's argument was one atom to these checks: \frac{-i \bmod s}{2} >= 0 was
    # proven, false read as -(i mod s) (tester BP)
    with pytest.raises(sc.ParseError, match="ambiguous"):
        sc.check(claim)
    assert sc.check(r"\frac{(-i) \bmod s}{2} \geq 0").holds is True
