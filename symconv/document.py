r"""A complete LaTeX document: a table of relations, every relation, every proof.

``symconv latex all --document`` prints it; CI compiles it with ``pdflatex``.
Everything in it comes from the relation objects and the proof engine through
sympy's printer; the only hand-written LaTeX is the document's frame.

>>> tex = document(["conv"], proofs=["round_trip"])
>>> tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .paper import Notation, equation
from .paper import text as _tex_text
from .proofs import PROOFS, prove
from .relations import RELATIONS, relation

__all__ = ["document", "relation_table", "PREAMBLE"]

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[margin=2cm,landscape]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\usepackage{booktabs,tabularx,graphicx}
\usepackage{longtable}
\allowdisplaybreaks
"""


def relation_table(names: Iterable[str]) -> str:
    """A ``booktabs`` table: name, what it states, where it comes from."""
    rows = []
    for name in names:
        rel = relation(name)
        rows.append(rf"\texttt{{{_tex_text(rel.name)}}} & {_tex_text(rel.title)} & "
                    rf"{_tex_text(rel.source)} \\")
    # fractions of the line that leave room for the column gaps (4 \tabcolsep), on letter
    # or A4 paper alike; the widest name, conv_transpose_asym, fits its column
    return ("\\begin{longtable}{@{}>{\\raggedright\\arraybackslash}p{0.17\\linewidth}"
            ">{\\raggedright\\arraybackslash}p{0.33\\linewidth}"
            ">{\\raggedright\\arraybackslash}p{0.46\\linewidth}@{}}\n\\toprule\n"
            "relation & states & source \\\\\n\\midrule\n\\endhead\n"
            + "\n".join(rows) + "\n\\bottomrule\n\\end{longtable}\n")


def document(names: Sequence[str] | None = None, proofs: Sequence[str] | None = None,
             extra: Sequence[str] = (), title: str = "Convolution arithmetic",
             notation: Any = None) -> str:
    r"""The LaTeX source of a document with the named relations and proofs (default: all).

    ``notation`` (a :class:`~symconv.paper.Notation`, ``"W_in,W_out,K,S,P"`` or a
    mapping) sets the symbols; its ``\newcommand`` lines are in the preamble, once.
    """
    nt = Notation.parse(notation)
    rels = list(RELATIONS) if names is None else [relation(n).name for n in names]
    proof_names = list(PROOFS) if proofs is None else list(proofs)
    body = [PREAMBLE + nt.preamble(), rf"\title{{{_tex_text(title)}}}", r"\author{symconv}", r"\date{}",
            r"\begin{document}", r"\maketitle"]
    if rels:
        body += [r"\section{Relations}", relation_table(rels)]
    for name in rels:
        rel = relation(name)
        body.append(rf"\paragraph{{\texttt{{{_tex_text(rel.name)}}}}} {_tex_text(rel.title)}."
                    "\n" + equation(rel, width="text", notation=nt))
    if proof_names:
        body.append(r"\section{Proofs}")
        body.append("Each step below was verified symbolically by sympy under the integer "
                    "assumptions of its symbols; its justification precedes it.")
    for name in proof_names:
        pr = prove(name)
        body.append(rf"\subsection{{{_tex_text(pr.title)}}}")
        body.append(pr.latex(width="text", proof_env=True, notation=nt))
    body += list(extra)
    body.append(r"\end{document}")
    return "\n".join(body) + "\n"
