"""How wide LaTeX math sets, and how symconv breaks it to fit a column.

The widths are estimates from the LaTeX itself (a conservative width per glyph, in
pt at 10 pt type), not measurements; the compile tests of :mod:`symconv.paper` guard
them.  :mod:`symconv.paper` and :mod:`symconv.explain` lay out their displays with
these.

>>> line_budget("column") < line_budget("text")
True
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from .errors import UsageError
from .printing import SymconvLatexPrinter, _term_key

WIDTHS = {"column": 3.3, "text": 6.5}
"""Line widths in inches: a two-column paper's ``\\columnwidth`` and a one-column text."""

_PT_PER_IN = 72.27
INDENT_PT = 56.0        # the aligned left side, the \quad of a continuation, and a margin


# --- width ---------------------------------------------------------------------------

_WIDE = {r"\bmod": 26.0, r"\mid": 8.0, r"\geq": 13.0, r"\leq": 13.0, r"\neq": 13.0,
         r"\lfloor": 4.0, r"\rfloor": 4.0, r"\lceil": 4.0, r"\rceil": 4.0, r"\quad": 10.0,
         r"\qquad": 20.0, r"\cdot": 8.0, r"\equiv": 13.0, r"\pmod": 30.0, r"\checkmark": 8.0,
         r"\iff": 25.0, r"\Rightarrow": 18.0, r"\cup": 10.0, r"\infty": 10.0}


def _group(tex: str, start: int) -> tuple[str, int]:
    """The braced group at ``tex[start]`` (``{...}``) and the index after it."""
    depth = 0
    for n in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[n], 0)
        if depth == 0:
            return tex[start + 1:n], n + 1
    return tex[start + 1:], len(tex)


def width_pt(tex: str, scale: float = 1.0) -> float:
    r"""An estimate (in pt, 10 pt type) of how wide math ``tex`` sets; errs wide.

    >>> 40 < width_pt(r"o = \left\lfloor \frac{i + 2 p - k}{s} \right\rfloor + 1") < 110
    True
    """
    w = 0.0
    n = 0
    while n < len(tex):
        c = tex[n]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[n:])
            assert m is not None
            cmd = m.group(0)
            n += len(cmd)
            if cmd in (r"\frac", r"\dfrac"):
                num, n = _group(tex, n)
                den, n = _group(tex, n)
                w += max(width_pt(num, scale), width_pt(den, scale)) + 2
            elif cmd in (r"\text", r"\mathrm", r"\texttt", r"\emph"):
                body, n = _group(tex, n)
                w += 5.0 * scale * len(body)
            elif cmd in (r"\hat", r"\tilde", r"\mathbf"):
                body, n = _group(tex, n)
                w += width_pt(body, scale)
            elif cmd in (r"\left", r"\right", r"\,", r"\ ", r"\!", r"\displaystyle"):
                w += 3.0 * scale if cmd in (r"\,", r"\ ") else 0.0
            else:
                w += _WIDE.get(cmd, 7.0) * scale
        elif c in "_^":
            n += 1
            if n < len(tex) and tex[n] == "{":
                body, n = _group(tex, n)
            else:
                body, n = tex[n:n + 1], n + 1
            w += width_pt(body, 0.7 * scale)
        elif c in "=<>":
            w += 13.0 * scale
            n += 1
        elif c in "+-":
            w += 12.0 * scale
            n += 1
        elif c in "{} ":
            n += 1
        else:
            w += 5.5 * scale
            n += 1
    return w


# --- line breaking ------------------------------------------------------------------

def line_budget(width: str | float) -> float:
    """The width (pt) a display line has for its math at ``width`` (``"column"``,
    ``"text"`` or inches), less the aligned left side and a continuation's indent."""
    if isinstance(width, str) and width in WIDTHS:
        inches = WIDTHS[width]
    elif isinstance(width, (int, float)) and not isinstance(width, bool) and \
            0.5 <= width <= 100:      # NaN fails both comparisons
        inches = float(width)
    else:
        raise UsageError(f"width={repr(width)[:40]}: {' or '.join(map(repr, WIDTHS))}, or a line width "
                         "in inches (0.5 to 100)")
    return inches * _PT_PER_IN - INDENT_PT


def _terms(expr: sympy.Expr) -> list[sympy.Expr]:
    return sorted(expr.args, key=_term_key) if isinstance(expr, sympy.Add) else [expr]


def break_lines(expr: sympy.Expr, printer: SymconvLatexPrinter, budget: float) -> list[str]:
    r"""``expr`` as lines of at most ``budget`` pt; continuation lines start with ``+``/``-``.

    A sum is broken between its terms (in the printer's order), never inside one.
    """
    whole = printer.doprint(expr)
    if width_pt(whole) <= budget or not isinstance(expr, sympy.Add):
        return [whole]
    lines: list[str] = []
    current = ""
    for term in _terms(expr):
        neg = term.could_extract_minus_sign()
        body = printer.doprint(-term if neg else term)
        if isinstance(term, sympy.Add):
            body = rf"\left({body}\right)"
        piece = (f"- {body}" if neg else body) if not current and not lines else \
            (f" - {body}" if neg else f" + {body}")
        if current and width_pt(current + piece) > budget:
            lines.append(current)
            current = piece.strip()
        else:
            current += piece if current or lines else piece.strip()
    lines.append(current)
    return lines


def fit(tex: str, budget: float, notation: Any = None) -> str:
    r"""``tex``, or scaled down to ``budget`` pt when even one unbreakable term is wider."""
    measured = tex
    for name, definition in (notation.names if notation else ()):
        measured = measured.replace(r"\symconv" + name, definition)
    if width_pt(measured) <= budget:
        return tex
    return (rf"\resizebox{{{budget:.0f}pt}}{{!}}{{$\displaystyle {tex}$}}")


def split_rows(lhs: str, rel: str, lines: list[str], budget: float = 1e9,
               notation: Any = None) -> list[str]:
    """``lhs rel`` and the lines of its right side as ``align`` rows, each fitted."""
    rows = [f"{lhs} &{rel} {fit(lines[0], budget, notation)}"]
    rows += [rf"&\quad {fit(line, budget, notation)}" for line in lines[1:]]
    return rows


def _narrowest(expr: sympy.Expr, printer: SymconvLatexPrinter) -> sympy.Expr:
    """``expr`` with its fractions over one denominator, unless that sets wider."""
    one = sympy.together(expr)
    # one fraction reads better than several: kept unless it sets a tenth wider
    return one if width_pt(printer.doprint(one)) <= 1.1 * width_pt(printer.doprint(expr)) else expr


def _bound_parts(bound: Any, rounding: Any, extreme: Any) -> tuple[Any, ...]:
    """The parts of ``ceiling(Max(a, b))`` (or ``floor(Min(...))``): for an integer
    unknown, ``x >= ceiling(Max(a, b))`` says ``x >= a`` and ``x >= b``."""
    if isinstance(bound, rounding):
        bound = bound.args[0]
    return bound.args if isinstance(bound, extreme) else (bound,)


def answer_rows(sol: Any, budget: float) -> list[str]:
    """The rows of an answer too wide for one line (see :func:`symconv.paper.solution`)."""
    pr = SymconvLatexPrinter()
    x = pr.doprint(sol.unknown)
    if sol.kind == "symbolic" and sol.expr is not None and sol.lower is None:
        return split_rows(x, "=", break_lines(_narrowest(sol.expr, pr), pr, budget), budget)
    if sol.kind == "symbolic":
        rows: list[str] = []
        for bound, rel, rounding, extreme in ((sol.lower, r"\geq", sympy.ceiling, sympy.Max),
                                              (sol.upper, r"\leq", sympy.floor, sympy.Min)):
            if bound is None:
                continue
            for part in _bound_parts(bound, rounding, extreme):
                rows += split_rows(x, rel, break_lines(_narrowest(part, pr), pr, budget), budget)
        return rows
    if sol.kind == "finite":
        items = _runs(list(sol.set))
        rows, line = [], ""
        for n, item in enumerate(items):
            piece = item + ("," if n < len(items) - 1 else r"\}")
            if line and width_pt(line + " " + piece) > budget:
                rows.append(line)
                line = piece
            else:
                line = f"{line} {piece}" if line else piece
        rows.append(line)
        return [rf"{x} &\in \{{{rows[0]}"] + [rf"&\qquad {r}" for r in rows[1:]]
    # several intervals: one per row
    parts = sol.latex().split(r" \vee ")
    return [f"& {parts[0]}"] + [rf"&\vee {part}" for part in parts[1:]]


def _runs(values: list[int]) -> list[str]:
    r"""Sorted integers with each run of four or more shortened: ``3, 4, \ldots, 42``."""
    out: list[str] = []
    n = 0
    while n < len(values):
        m = n
        while m + 1 < len(values) and values[m + 1] == values[m] + 1:
            m += 1
        if m - n >= 3:
            out += [str(values[n]), str(values[n + 1]), r"\ldots", str(values[m])]
        else:
            out += [str(v) for v in values[n:m + 1]]
        n = m + 1
    return out
