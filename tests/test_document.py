"""The LaTeX document compiles with a real pdflatex; page 1 is rendered to PNG.

CI installs texlive and poppler (.ci/run); there a missing pdflatex is a failure,
elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import symconv as sc
from symconv.cli import main
from symconv.document import document
from symconv.proofs import PROOFS

OUT = Path(__file__).resolve().parent.parent / "out"


def _need(tool):
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing in CI: .ci/run must install it")
        pytest.skip(f"{tool} not installed (CI installs it)")


def _compile(tex: str, workdir: Path, name: str) -> Path:
    src = workdir / f"{name}.tex"
    src.write_text(tex)
    for _ in range(2):      # twice, for the longtable widths
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                               src.name], cwd=workdir, capture_output=True, text=True,
                              timeout=180, check=False)
        assert done.returncode == 0, done.stdout[-3000:]
    log = (workdir / f"{name}.log").read_text(errors="replace")
    assert "! " not in log and "Undefined control sequence" not in log
    # nothing wider than its page: the relations' longtable overflowed letter paper by 3 pt
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox[^\n]*", log)
    return workdir / f"{name}.pdf"


def test_full_document_compiles_and_renders(tmp_path, capsys):
    _need("pdflatex")
    _need("pdftoppm")
    assert main(["latex", "all", "--document"]) == 0
    tex = capsys.readouterr().out
    assert tex == document()
    from symconv.paper import equation
    for name in sc.names():
        assert equation(name, width="text") in tex
    assert tex.count(r"\begin{align*}") >= len(PROOFS)
    assert r"\toprule" in tex and r"\midrule" in tex and r"\bottomrule" in tex
    pdf = _compile(tex, tmp_path, "symconv")
    assert pdf.stat().st_size > 10_000
    OUT.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                    str(OUT / "document-page")], check=True, timeout=60)
    png = next(OUT.glob("document-page*1.png"))
    assert png.stat().st_size > 5_000 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chain_latex_compiles(tmp_path):
    """A chain's symbolic output and its booktabs layer table, in a compiled document."""
    _need("pdflatex")
    net = sc.Chain.parse("conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1 | convt k=2 s=2")
    extra = [r"\section{A network}", "\\begin{equation*}\n" + net.output_latex() +
             "\n\\end{equation*}", net.table_latex(224)]
    tex = document(names=["conv"], proofs=["receptive_field"], extra=extra)
    assert r"\toprule" in tex and r"\left\lfloor" in tex
    _compile(tex, tmp_path, "chain")


def test_derivations_document_compiles(tmp_path):
    _need("pdflatex")
    (tmp_path / "derived").mkdir()
    assert main(["derive", "--all", "--out", str(tmp_path / "derived" / "derivations.tex")]) == 0
    tex = (tmp_path / "derived" / "derivations.tex").read_text()
    assert tex.count(r"\section{") == len(list((Path(__file__).parent.parent / "derivations").glob("[!_]*.py")))
    _compile(tex, tmp_path / "derived", "derivations")
