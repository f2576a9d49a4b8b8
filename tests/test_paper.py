"""LaTeX for papers, compiled for real: every output in a two-column and a one-column page.

All snippets are batched into one document per class (compiling is slow) and the
log must show no ``Overfull \\hbox``. The figures are checked against the
relations (cells drawn, windows = taps) and against PyTorch run live.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

import symconv as sc
from symconv.cli import main
from symconv.figures import figure
from symconv.paper import (
    Notation,
    derivation,
    design_table,
    floating,
    equation,
    network_table,
    prose,
    solution,
    table,
    text,
    verdict_latex,
)
from symconv.proofs import PROOFS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

CLASSES = {
    # the plain two-column article (\columnwidth 229.5 pt, 3.18 in: narrower than IEEE's
    # 3.5 in, ACM's 3.33 in and CVPR's 3.25 in; a 3.3 in column let an 8.8 pt overflow
    # through), and a 6.5 in one-column text
    "twocolumn": r"\documentclass[twocolumn,10pt]{article}",
    "article": r"\documentclass[10pt]{article}" "\n"
               r"\usepackage[paperwidth=8.5in,paperheight=11in,textwidth=6.5in]{geometry}",
}

COMMANDS = [
    "latex all",
    "latex all --symbols W_in,W_out,K,S,P,D",
    "latex all --table",
    "latex dv14 --equation --width text",
    "solve conv o=i s=1 --for p --latex",
    "solve conv i=224 k=7 s=2 o=112 --latex",
    "solve conv i=224 k=7 s=2 o=112 --explain --latex",
    "solve conv o=i s=1 --for p --explain --latex",
    "solve pool o=i --for p --explain --latex",
    "solve conv i=1000 k=300 s=7 o=100 --explain --latex",
    "solve conv_transpose i=7 o=14 k=3 s=2 --for p --latex",
    "solve pool o=i-1 --for p --latex",
    "solve conv o=floor(i/2) --for k --latex",
    "solve conv o=1 k=3 p=0 s=40 --latex",
    "check o=i+2p-k+1 --latex",
    "check 'floor((i + 2*p - k)/s) + 1 = ceil((i + 2*p - k)/s)' --latex",
    "check 'o = (i - k)/s + 1' --latex",
    "prove all --latex",
    "prove all --latex --env align",
    "prove round_trip --latex --env equation",
    "prove round_trip --latex --proof --symbols W_in,W_out,K,S,P",
    "net 'conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1 | convt k=2 s=2' i=224 --latex",
    "net 'conv k=3,5 s=1,2 p=1,2 in=3 out=16 | pool k=2' i=224,160 --latex",
    "net 'conv k=3 s=2 p=1 | conv k=? s=2 p=1' i=64 o=16 --latex",
    "net 'conv k=3 p=1 @e | pool k=2 | convt k=2 s=2 @d' --align e=d --latex",
    "net 'conv k=3,5 s=2 p=1 | pool k=2' --expr --smallest --latex",
    "net 'conv k=3 s=2 p=1 | pool k=2' --expr --explain --smallest --inputs-for 4 --latex",
    "pad tf SAME i=224 k=7 s=2 --latex",
    "pad torch same i=32 k=4 --latex",
    # names with LaTeX's specials and Unicode; a set too long to list; merged floors
    "net 'conv k=3 @c$3 | pool k=2 @a\\b | conv k=1 @α_1' i=32 --latex",
    "solve conv o=10 k=3 s=1000 p=0 --latex --explain",
    "net 'conv k=3 s=2 p=1 | pool k=2 s=2 | conv k=5 s=3' --expr --explain --latex",
    "figure conv i=5 k=3 s=2 p=1 --fragment",
    "figure conv i=7 k=3 --d 2 --dims 1 --fragment",
    "figure convt i=3 k=3 s=2 p=1 a=1 --fragment",
    # one panel per kernel position: 36 and 49 panels were floats taller than the page
    # (by 769 and 1194 pt in IEEEtran), cut off at its foot
    "figure pool i=8 k=2 s=1 --fragment",
    "figure conv i=8 k=3 s=1 --fragment",
]


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed (CI installs it)")


def _run(capsys, argv: list[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, err) in ((0, ""), (1, "")), (argv, err)
    return out


def _readme_latex() -> list[str]:
    """The LaTeX outputs shown in the README's console blocks (test_readme checks them)."""
    outs = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for m in re.finditer(r"^\$ (symconv .*)\n((?:(?!\$ ).*\n?)*)", block, re.M):
            if "--latex" in m.group(1) or "--fragment" in m.group(1) or \
                    m.group(1).startswith("symconv latex"):
                out = m.group(2)
                # a bare formula (symconv latex NAME) is inline math
                outs.append(out if out.lstrip().startswith("\\") and "begin" in out
                            else f"\\[{out}\\]")
    return outs


def _compile(body: list[str], preamble: str, workdir: Path, name: str) -> str:
    tex = "\n".join([CLASSES[name], r"\usepackage{amsmath,amssymb,amsthm,booktabs,tabularx,"
                     r"graphicx,tikz}", preamble, r"\allowdisplaybreaks", r"\begin{document}",
                     *body, r"\end{document}", ""])
    (workdir / f"{name}.tex").write_text(tex)
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                           f"{name}.tex"], cwd=workdir, capture_output=True, text=True,
                          timeout=240, check=False)
    log = (workdir / f"{name}.log").read_text(errors="replace")
    assert done.returncode == 0, done.stdout[-3000:]
    return log


@pytest.fixture(scope="module")
def outputs():
    """Every command's LaTeX (run once), the README's, and the API's own forms."""
    capsys_out = []
    import contextlib
    import io
    for cmd in COMMANDS:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(shlex.split(cmd))
        assert code in (0, 1), cmd
        capsys_out.append((cmd, buf.getvalue()))
    return capsys_out


def test_no_sympy_strings_in_latex(outputs):
    for cmd, out in outputs:
        if cmd.startswith("figure"):
            continue
        assert "floor(" not in out and "ceiling(" not in out and ">=" not in out, cmd
        assert "**" not in out and "*(" not in out, cmd


@pytest.mark.parametrize("cls", list(CLASSES))
def test_every_output_compiles_without_overfull_box(tmp_path, outputs, cls):
    _need("pdflatex")
    preamble = Notation.parse("W_in,W_out,K,S,P,D").preamble()
    body = []
    for cmd, out in outputs:
        # the \newcommand preamble is emitted once, first: it goes to the document's preamble
        lines = [ln for ln in out.splitlines() if not ln.startswith(r"\providecommand{\symconv")]
        body += [r"\par\noindent\texttt{" + text(cmd.replace("'", "").replace("|", "/")[:60])
                 + "}\n", "\n".join(lines), r"\clearpage"
                 if cmd.startswith("latex all --table") else ""]
    body += _readme_latex()
    body.append(design_table(sc.solve("conv", "k,s,p", i=224, o=112, bounds={"k": 7, "p": 3})))
    graph = sc.Graph.from_chain(sc.Chain.parse("conv k=3,5 s=1,2 | pool k=2"), 1)
    body.append(floating(graph.table_latex((64, 48)), caption="A graph.", label_="tab:graph"))
    body.append(floating(sc.Chain.parse("conv k=3,5 | pool k=2").table_latex((9, 9)),
                         caption="A chain.", label_="tab:chain"))
    from symconv.chain import Alignment     # a YOLO-like accepted set, long and scattered
    for residues in ((0, *range(25, 32)), tuple(range(0, 64, 3))):
        body.append(rf"\[ \text{{axis 0 accepted: }} "
                    rf"{Alignment((), 64, residues, 1, residues[0] or 64).latex()} \]")
    log = _compile(body, preamble, tmp_path, cls)
    overfull = re.findall(r"Overfull \\hbox \((\S+)pt too wide\)[^\n]*", log)
    assert not overfull, overfull
    assert "Undefined control sequence" not in log and "LaTeX Warning: Reference" not in log
    assert "Float too large" not in log, re.findall(r"Float too large[^\n]*", log)


def test_equation_names_itself_and_carries_its_conditions():
    tex = equation("dv13")
    assert tex.startswith("\\begin{equation}\\label{eq:symconv-dv13}\n\\begin{split}\n")
    assert r"\text{if } s \mid i + 2 p - k" in tex
    assert r"\text{if } a = \left(\left(i + 2 p - k\right) \bmod s\right)" in equation("dv14")
    assert r"\text{with } s = 1,\ p = 0" in equation("dv1")
    assert equation("conv").count(r"\label{eq:symconv-conv}") == 1
    # a long right side is broken between terms, every line within the column
    long = equation("round_trip" if False else "pool_ceil")
    assert r"\begin{split}" in long


def test_notation_macros_and_preamble_once(capsys):
    out = _run(capsys, ["latex", "all", "--symbols", "W_in,W_out,K,S,P"])
    assert out.count(r"\renewcommand{\symconvi}{W_{\mathrm{in}}}") == 1
    assert out.startswith(r"\providecommand{\symconvi}{}\renewcommand{\symconvi}")
    assert r"{\symconvo}' &= \symconvs \left({\symconvi}' - 1\right)" in out
    assert "W_" not in out.split(r"\renewcommand{\symconvp}{P}")[1]
    nt = Notation.parse({"k": r"\kappa"})
    assert nt.latex(sc.khat) == r"\hat{\symconvk}"
    assert nt.preamble() == r"\providecommand{\symconvk}{}\renewcommand{\symconvk}{\kappa}"
    assert main(["latex", "conv", "--symbols", "W_in,x;y"]) == 2
    assert capsys.readouterr().err.startswith("symconv: --symbols: 'x;y' writes ';', not a "
                                              "symbol")


def test_derivation_forms():
    pr = sc.prove("round_trip")
    star = derivation(pr)
    assert star.count(r"\begin{align*}") == 1 and "&= i" in star
    assert r"\intertext{by the division identity, $s \lfloor X/s \rfloor + (X \bmod s) = X$:}" in star
    tagged = derivation(pr, env="align")
    assert tagged.count(r"\label{eq:symconv-round-trip-") == len(pr.steps)
    assert derivation(pr, env="equation").startswith(r"\noindent Assume")
    boxed = derivation(pr, proof_env=True)
    assert boxed.startswith("\\begin{proof}\n") and boxed.endswith("\\end{proof}")
    assert prose("c = ceil(i/s): i <= s c") == r"$c = \lceil i/s \rceil: i \leq  s c$"


def test_tables_take_plain_rows(capsys):
    rows = sc.Chain.parse("conv k=3 p=1 F_i=3 F_o=8 | pool k=2 s=2").table_json(32)["layers"]
    tex = network_table(rows)
    assert re.search(r"\\caption\{Per-layer shapes\.\}\\label\{tab:symconv-network-[0-9a-f]{6}\}",
                     tex)
    assert f"1 & conv k=3 s=1 p=1 & $32$ & $32$ & {rows[0]['params']} & {rows[0]['macs']}" in tex
    assert rows[0]["params"] == 3 * 8 * 9 + 8
    assert f"& total &  &  & {rows[0]['params']} & {rows[0]['macs']}" in tex
    # a row's unknown count leaves the total unknown (it summed it as 0)
    unknown = sc.Chain.parse("conv k=3 s=2 | conv k=3").table_json(32)["layers"]
    assert " & total &  &  & -- & -- \\\\" in network_table(unknown)
    assert r"\begin{tabularx}{\linewidth}" in table(["a"], [["x"]], caption="c", label_="l", wide=True)
    space = sc.solve("conv", "k,s,p", i=224, o=112, bounds={"k": 7, "p": 3})
    design = design_table(space, 5)
    assert r"\caption{Combinations of $k, s, p$ (5 of 7).}" in design
    assert design.count("torch") == 5 and all(
        f"{c['k']} & {c['s']} & {c['p']} & " in design for c in space.to_dict(5, [])["combos"])
    out = _run(capsys, ["latex", "all", "--table"])
    assert r"\label{tab:symconv-relations}" in out and out.count(r"\texttt{") == len(sc.names())


# --- figures ------------------------------------------------------------------------

def _count(tex: str, style: str, panel: int = 0) -> int:
    panels = tex.split("% kernel position")[1:]
    return panels[panel].count(rf"\path[symconv {style}]")


@pytest.mark.parametrize(("kw", "o"), [
    (dict(kind="conv", i=5, k=3, s=2, p=1), 3),                       # the guide's 5 -> 3
    (dict(kind="conv", i=2, k=3, s=2, p=0, transposed=True), 5),       # 2 -> 5
    (dict(kind="conv", i=2, k=3, s=2, p=1, a=1, transposed=True), 4),  # 2 -> 4 with a=1
    (dict(kind="conv", i=3, k=3, s=2, p=1, a=1, transposed=True), 6),  # 3 -> 6 with a=1
    (dict(kind="conv", i=7, k=3, d=2), 3),                             # dilated 7 -> 3
    (dict(kind="pool", i=5, k=3, s=1), 3),
])
@pytest.mark.parametrize("dims", [1, 2])
def test_guide_examples_cells_against_the_relations(kw, o, dims):
    fig = figure(**kw, dims=dims)
    rel = sc.relation("conv_transpose" if kw.get("transposed") else
                      "pool" if kw["kind"] == "pool" else "conv")
    args = {n: kw.get(n, {"s": 1, "p": 0, "d": 1, "a": 0}.get(n)) for n in rel.inputs}
    assert fig.o == rel.evaluate(**args) == o
    tex = fig.tikz(standalone=True)
    assert len(fig.positions) == o ** dims == tex.count("% kernel position")
    for n in (0, len(fig.positions) - 1):
        assert _count(tex, "out", n) + _count(tex, "cur", n) == o ** dims
        assert _count(tex, "cur", n) == 1
        assert _count(tex, "tap", n) == kw["k"] ** dims
        assert _count(tex, "in", n) == kw["i"] ** dims
        assert _count(tex, "in", n) + _count(tex, "pad", n) == fig.grid ** dims


def test_direct_windows_are_the_taps_torch_reads():
    torch = pytest.importorskip("torch")
    for i, k, s, p, d in [(5, 3, 2, 1, 1), (7, 3, 1, 0, 2), (9, 4, 3, 2, 2), (6, 2, 2, 0, 1)]:
        fig = figure("conv", i=i, k=k, s=s, p=p, d=d, dims=1)
        conv = torch.nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
        for u in range(i):
            x = torch.zeros(1, 1, i)
            x[0, 0, u] = 1.0
            with torch.no_grad():
                conv.weight.fill_(1.0)
                y = conv(x)[0, 0]
            assert y.shape[0] == fig.o
            reads = {j for j in range(fig.o) if y[j] != 0}
            assert reads == {j for j, w in enumerate(fig.windows) if u + p in w}


@pytest.mark.parametrize(("i", "k", "s", "p", "a", "d"), [
    (2, 3, 2, 0, 0, 1), (2, 3, 2, 1, 1, 1), (3, 3, 2, 1, 1, 1), (4, 4, 3, 1, 2, 1),
    (3, 3, 1, 2, 0, 1), (3, 2, 2, 0, 1, 2), (5, 3, 3, 0, 0, 2)])
def test_transposed_figures_match_conv_transpose_on_one_hot(i, k, s, p, a, d):
    torch = pytest.importorskip("torch")
    fig = figure("convt", i=i, k=k, s=s, p=p, a=a, d=d, dims=1)
    layer = torch.nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, output_padding=a,
                                     dilation=d, bias=False)
    with torch.no_grad():
        layer.weight.fill_(1.0)
    for m in range(i):
        x = torch.zeros(1, 1, i)
        x[0, 0, m] = 1.0
        with torch.no_grad():
            y = layer(x)[0, 0]
        assert y.shape[0] == fig.o
        hit = {j for j in range(fig.o) if y[j] != 0}
        assert hit == {j for j, w in enumerate(fig.windows) if fig.data[m] in w}


def test_figure_refusals(capsys):
    assert main(["figure", "conv", "i=3", "k=5"]) == 2
    assert "padded input must hold one dilated kernel" in capsys.readouterr().err
    assert main(["figure", "conv", "i=5", "k=3", "a=1"]) == 2
    assert capsys.readouterr().err == ("symconv: figure: a (output_padding) is for transposed "
                                       "convolutions: add --transposed\n")
    assert main(["figure", "conv", "i=40", "k=3"]) == 2
    assert "use frames (--frames)" in capsys.readouterr().err
    assert main(["figure", "convt", "i=3", "k=3", "s=2", "p=3"]) == 2
    assert "would crop its input" in capsys.readouterr().err


def test_frames_render_one_page_per_position_and_png(tmp_path, capsys):
    _need("pdflatex")
    _need("pdftoppm")
    out = _run(capsys, ["figure", "conv", "i=5", "k=3", "s=2", "p=1", "--frames",
                        "--out", str(tmp_path / "frames.tex")])
    assert out == f"wrote {tmp_path / 'frames.tex'} (3 output cells per axis, 9 kernel positions)\n"
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "frames.tex"],
                   cwd=tmp_path, capture_output=True, timeout=120, check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "frames.pdf", "frame"], cwd=tmp_path,
                   check=True, timeout=60)
    assert len(list(tmp_path.glob("frame-*.png"))) == 9
    png = figure("conv", i=5, k=3, s=2, p=1).save(tmp_path / "f.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = figure("convt", i=3, k=3, s=2, p=1, a=1, dims=1).save(tmp_path / "f.svg")
    assert svg.read_text().count("<path") > 0


def test_docs_figure_is_current(tmp_path):
    """docs/figure-conv.png is what ``python -m symconv figure conv i=5 k=3 s=2 p=1
    --out docs/figure-conv.png`` writes (regenerate it with that command)."""
    doc = ROOT / "docs" / "figure-conv.png"
    assert doc.exists()
    fresh = figure("conv", i=5, k=3, s=2, p=1).save(tmp_path / "f.png")
    assert abs(fresh.stat().st_size - doc.stat().st_size) < 0.05 * doc.stat().st_size


def test_every_proof_in_the_matrix():
    assert len(PROOFS) >= 10


def test_prove_latex_with_symbols_defines_its_macros_first(capsys):
    from symconv.cli import main
    assert main(["prove", "dv1", "--latex", "--symbols", "W_in,W_out,K,S,P"]) == 0
    out = capsys.readouterr().out
    first = out.index(r"\providecommand{\symconvi}{}\renewcommand{\symconvi}{W_{\mathrm{in}}}")
    assert first == 0 and out.index(r"\symconvi", first + 20) > first


def test_a_wide_answer_is_set_over_rows():
    # the bounds of ceil(max(a, b)) <= p <= floor(min(c, e)) one per row (the same set
    # for an integer p), each over one denominator
    tex = solution(sc.solve("pool", "p", o=sc.i - 1))
    assert tex.splitlines()[2:8] == [
        r"p &\geq 0\\",
        r"p &\geq \frac{- i + d k - d + 1}{2}\\",
        r"p &\geq \frac{- i + s \left(i - 1\right) + d k - d - s + 1}{2}\\",
        r"p &\leq \frac{k}{2}\\",
        r"p &\leq \frac{- i + s \left(i - 1\right) + d k - d}{2}\\",
        r"&\quad \text{if } i \geq 2"]
    # a listed set: its runs shortened, then wrapped; past 24 values, its intervals
    # (each says the default it took: "with d = 1", as the text answer's "assumed:")
    assert solution(sc.solve("conv", o=1, k=3, p=0, s=20)).splitlines()[2:4] == \
        [r"i &\in \{3, 4, \ldots, 22\}\\", r"&\quad \text{with } d = 1"]
    assert solution(sc.solve("conv", o=1, k=3, p=0, s=40)).splitlines()[2] == \
        r"3 &\leq i \leq 42\\"
    # what fits stays on one line
    assert solution(sc.solve("conv", o=112, k=7, s=2, p=3)).splitlines()[2] == \
        r"i &\in \left\{223, 224\right\}\\"


def test_a_wide_verdict_wraps_its_counterexample_after_the_left_column():
    tex = verdict_latex(sc.check("floor((i + 2*p - k)/s) + 1 = ceil((i + 2*p - k)/s)"))
    assert tex.splitlines()[4:6] == [r"&\quad \text{counterexample: }i = 1,\ \\",
                                     r"&\quad \quad k = 1,\ s = 1,\ p = 0"]


def test_per_axis_sizes_are_math_in_every_latex_table(capsys):
    """A per-axis size is 224 \\times 160 in math, in the network table, its caption, a
    graph's table (as a float with caption and label) and Chain.table_latex; a chain
    design names its unknowns by layer."""
    out = _run(capsys, ["net", "conv k=3,5 s=1,2 p=1,2 | pool k=2", "i=224,160", "--latex"])
    assert r"\caption{Per-layer sizes for input size $224 \times 160$.}" in out
    assert r"1 & conv k=3,5 s=1,2 p=1,2 & $224 \times 160$ & $224 \times 80$ & -- & -- \\" in out
    graph = sc.Graph.from_chain(sc.Chain.parse("conv k=3,5 s=1,2 | pool k=2"), 1)
    assert r"1 & layer & $62 \times 22$ & " in graph.table_latex((64, 48))
    assert r" & $3 \times 5$ & $1 \times 2$ & $0 \times 0$ & " in graph.table_latex((64, 48))
    assert "& $9 \\times 9$ & $7 \\times 5$ &" in sc.Chain.parse("conv k=3,5").table_latex((9, 9))
    out = _run(capsys, ["net", "conv k=3 s=2 p=1 | conv k=? s=2 p=1", "i=64", "o=16", "--latex"])
    assert r"\caption{Combinations of $k_{2}$ (2 of 2).}" in out
    assert r"$k_{2}$ & frameworks \\" in out


def test_net_answers_under_latex_are_display_math(capsys):
    """Under --latex every answer of net is LaTeX to paste (≡ and 'axis 0:' were plain text)."""
    out = _run(capsys, ["net", "conv k=3 p=1 @e | pool k=2 | convt k=2 s=2 @d", "--align", "e=d",
                        "--latex"])
    assert out == "\\[ \\text{aligned: } i \\equiv 0 \\pmod{2},\\ i \\geq 2 \\]\n"
    out = _run(capsys, ["net", "conv k=3,5 s=2 p=1 | pool k=2", "--expr", "--smallest",
                        "--latex"])
    assert out.splitlines() == [
        # each axis's formula in its own input, i_{0} and i_{1}; a row each, the two being
        # wider than a column
        r"\begin{gather*}",
        r"o_{0} = \left\lfloor \frac{i_{0} + 1}{4} \right\rfloor \quad \text{if } i_{0} \geq 3 \\",
        r"o_{1} = \left\lfloor \frac{i_{1} - 1}{4} \right\rfloor \quad \text{if } i_{1} \geq 5",
        r"\end{gather*}",
        r"\[ i_{\min} = (3, 5) \]"]
    out = _run(capsys, ["net", "conv k=3 s=2 p=1 | pool k=2", "--inputs-for", "4", "--latex"])
    assert out == "\\[ o = 4 \\iff 15 \\leq i \\leq 18 \\]\n"



def test_two_outputs_with_their_macros_pasted_in_one_document_compile(tmp_path, capsys):
    # each output starts with its macro lines; as \newcommand, the second paste stopped
    # LaTeX ("Command \symconvi already defined")
    _need("pdflatex")
    from symconv.cli import main
    body = []
    for rel in ("conv", "dv6"):
        assert main(["latex", rel, "--equation", "--symbols", "W_{in},W_{out},K,S,P"]) == 0
        body.append(capsys.readouterr().out)
    log = _compile(body, "", tmp_path, "article")
    assert "already defined" not in log and "Undefined control sequence" not in log


def test_an_accepted_set_of_many_residues_is_a_set_that_breaks_into_rows():
    # 8 congruences joined by \vee ran 530 pt past a two-column page (a YOLO-like model)
    from symconv.chain import Alignment
    assert Alignment((), 32, (0, 25, 26, 27, 28, 29, 30, 31), 1, 25).latex() == (
        r"\begin{aligned}[t]&(i \bmod 32) \in \{0, 25, 26, \ldots, \\ &\quad 31\},\ i \geq 1"
        r"\end{aligned}")
    # a run reads as one: two terms before the dots (0, 3, ..., 5 read as step 3)
    assert Alignment((), 6, (0, 3, 4, 5), 3, 3).latex() == \
        r"(i \bmod 6) \in \{0, 3, 4, 5\},\ i \geq 3"
    assert Alignment((), 16, (2, 3, 4, 5, 6, 7, 8), 1, 2).latex() == \
        r"(i \bmod 16) \in \{2, 3, \ldots, 8\},\ i \geq 1"
    assert Alignment((), 2, (0,), 2, 2).latex() == r"i \equiv 0 \pmod{2},\ i \geq 2"
    assert Alignment((), 64, tuple(range(0, 64, 3)), 1, 3).latex() == (
        r"\begin{aligned}[t]&(i \bmod 64) \in \{0, 3, 6, 9, \\ &\quad 12, 15, 18, 21, 24, 27, "
        r"\\ &\quad 30, 33, 36, 39, 42, 45, \\ &\quad 48, 51, 54, 57, 60, 63\},\ i \geq 1"
        r"\end{aligned}")


def test_a_text_cell_is_escaped_once_dollars_included():
    # "$224 \times 160$" came out "$224 \textbackslash\{\}times 160$" (the braces of the
    # backslash's own replacement escaped again) and "cost $5" opened math mode
    tex = table(["what"], [[r"$224 \times 160$"], ["cost $5"]], caption="c", label_="l")
    assert r"\$224 \textbackslash{}times 160\$ \\" in tex and r"cost \$5 \\" in tex


def test_a_checked_claim_s_latex_states_the_neutral_values_it_was_proven_with():
    # `check "khat = k" --latex` printed "\hat{k} = k ... holds": false at d = 2 (3 != 2);
    # Verdict.latex() said "for d = 1". Every printed form states them now
    from symconv.paper import verdict_latex
    v = sc.check("khat = k")
    assert v.settings == (("d", 1),)
    assert verdict_latex(v).split("\\end{split}")[0] == (
        "\\begin{equation*}\n\\begin{split}\n\\hat{k} &= k\\\\\n&\\quad \\text{for } d = 1\\\\\n"
        "&\\quad \\text{holds}\n")
    assert v.text().splitlines()[0] == "holds: khat = k  for d = 1"
    assert sc.check("khat = k for d = 2").holds is False        # 3 at k = 2: not k
    v = sc.check("o' = i for a = 0")
    assert "&\\quad \\text{for } a = 0\\\\\n&\\quad \\text{for } d = 1,\\ p = 0,\\ s = 1\\\\\n" \
        in verdict_latex(v)
    # a claim that holds in general has none to state
    assert sc.check("khat = d*(k - 1) + 1").settings == ()


def test_text_in_tables_and_titles_is_escaped_once_and_set_by_pdflatex():
    # a layer named c$3 left a raw $ (pdflatex: Missing $ inserted); a\b printed as a\{}b
    # (its braces escaped again); α and 漢字 stopped pdflatex (Unicode character not set up)
    from symconv.paper import text
    assert text("c$3 a\\b a_b%c&d#e") == r"c\$3 a\textbackslash{}b a\_b\%c\&d\#e"
    assert text("α Ω λ é 漢") == r"$\alpha$ $\Omega$ $\lambda$ é [U+6F22]"
    chain = sc.Chain.parse("conv k=3 @c$3 | conv k=3 @a\\b | conv k=1 @α")
    table = chain.table_latex(32)
    assert r"@c\$3" in table and r"@a\textbackslash{}b" in table and r"@$\alpha$" in table
    assert sc.Derivation("cost", "Saves $5 per layer", claim="o <= i").run().latex().startswith(
        r"\section{Saves \$5 per layer}")


@pytest.mark.parametrize("note, tex", [
    ("o' is a size", "$o'$ is a size"),                          # the article, not output_padding
    ("a < max(s, d) and a is the output_padding", r"$a < \max(s, d)$ and $a$ is the output\_padding"),
    ("PyTorch's split: left = total // 2", r"PyTorch's split: left $=$ total $\mathbin{//} 2$"),
    ("khat from the relations, itilde' from the relations",
     r"$\hat{k}$ from the relations, $\tilde{i}'$ from the relations"),
    ("a = Mod(i + 2*p - k, s)", r"$a = \left(\left(i + 2 p - k\right) \bmod s\right)$"),
    ("Eq(Mod(i + 2*p - k, s), 0): i = s*m_1 + k - 2*p, m_1 fresh",
     r"$\left(\left(i + 2 p - k\right) \bmod s\right) = 0: i = s m_{1} + k - 2 p, m_{1}$ fresh"),
])
def test_proof_notes_read_as_a_paper_writes_them(note, tex):
    # "$o'$ is $a$ size", "$\operatorname{PyTorch}'s$ split", "itilde'" as text,
    # \operatorname{Mod} and sympy's Eq(...) in a proof's LaTeX
    from symconv.paper import prose
    assert prose(note) == tex


@pytest.mark.parametrize("cls", list(CLASSES))
def test_a_long_network_table_is_several_floats_that_fit_the_page(tmp_path, cls):
    # a 60-layer table was one float, 190-230 pt taller than the page: its last rows cut
    _need("pdflatex")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["net", " | ".join(["conv k=3 p=1 in=4 out=4"] * 60), "i=64",
                     "--latex"]) == 0
    out = buf.getvalue()
    assert out.count(r"\begin{table}") == 2 and out.count(r"\label{") == 1
    assert "(continued)" in out and out.count("total") == 1
    log = _compile([out], "", tmp_path, cls)
    assert "Float too large" not in log and "Overfull" not in log


def test_a_table_of_35_or_36_rows_and_a_row_starting_with_a_bracket():
    # a 35-row graph table (36 with its total) recursed without end in the split (the CLI
    # said "input nested too deeply"); a row starting with [ after \\ read as \\[<length>]
    from symconv.paper import text
    for n in (34, 35, 36, 37, 71, 72):
        graph = sc.Graph.from_chain(sc.Chain.parse(" | ".join(["conv k=3 p=1"] * n)))
        tex = floating(graph.table_latex(32), caption="L.", label_="t")
        assert tex.count(r"\begin{table}") == (1 if n <= 36 else 2), n
    assert text("[x]") == "{}[x]" and text("漢") == "{}[U+6F22]"
    assert text("a ĸ đ « é") == "a [U+0138] [U+0111] [U+00AB] é"


def test_an_empty_answer_sets_names_as_text_and_symbols_as_math():
    # "\text{no integer p}" set p upright; "as PyTorch and TF): p_l=1" was one math run,
    # TF in math italic (tester BK)
    tex = solution(sc.solve("conv", "p", i=5, k=4, s=1, o=5))
    assert r"&\text{no integer } p\\" in tex
    assert prose("split (extra at the end, as PyTorch and TF): p_l=1, p_r=2") == \
        "split (extra at the end, as PyTorch and TF): $p_{l}=1, p_{r}=2$"
