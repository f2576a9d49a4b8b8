r"""Figures in the style of Dumoulin & Visin's guide, for any layer.

A blue input grid (dashed white cells are zero padding, or the zeros of a
transposed convolution's stretched input), the shaded kernel at one output
position, and the cyan output grid with that position marked: one panel per
kernel position, in 1-d or 2-d, as TikZ (a standalone document, an
``\input``-able fragment, or one page per position with ``frames=True``) or as
PNG/SVG through matplotlib.

Everything drawn is computed from the relations: the output size from the
layer's relation (``conv``, ``pool``, ``conv_transpose``), each window from
:meth:`symconv.chain.Layer.back`, the stretched input from ``stretched_input``
and a transposed convolution's padding ``p'`` by solving ``conv`` (unit stride,
over the stretched input) for the output ``conv_transpose`` gives.  A 2-d figure
uses the same ``k s p d a`` on both axes (it says so in its caption).

>>> fig = figure("conv", i=5, k=3, s=2, p=1)
>>> fig.o, fig.grid, len(fig.windows), fig.windows[1]
(3, 7, 3, (2, 3, 4))
>>> t = figure("conv", i=2, k=3, s=2, p=0, transposed=True)   # the guide's 2 -> 5
>>> t.o, t.grid, t.data
(5, 7, (2, 4))
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._output import out_path, write_exactly
from .chain import KINDS, Layer
from .errors import DomainError, UsageError
from .paper import text
from .query import solve
from .relations import relation
from .solution import Solution
from .vocabulary import takes_aliases

__all__ = ["Figure", "figure", "MAX_PANELS"]

MAX_PANELS = 64
"""Kernel positions one figure draws at most (``frames=True``: one page each)."""

MAX_GRID = 256
"""Cells per axis a figure draws at most (the padded, or stretched, input)."""

MAX_FRAMES = 4096
"""Pages ``frames=True`` writes at most."""

_STYLES = (r"symconv in/.style={fill=blue!30,draw=black!70},"
           r"symconv pad/.style={fill=white,draw=black!45,dashed},"
           r"symconv tap/.style={fill=blue!70!black,fill opacity=0.45,draw=black,thick},"
           r"symconv out/.style={fill=cyan!25,draw=black!70},"
           r"symconv cur/.style={fill=cyan!80!black,draw=black}")
_COLORS = {"in": ("#99b3ff", "#4d4d4d", "-"), "pad": ("#ffffff", "#8c8c8c", "--"),
           "tap": ("#1a33b3", "#000000", "-"), "out": ("#bff5ff", "#4d4d4d", "-"),
           "cur": ("#00a3cc", "#000000", "-")}


@dataclass(frozen=True)
class Figure:
    """The geometry of a guide-style figure along one axis (repeated on the other in 2-d).

    ``grid`` cells are drawn for the input, ``data`` are those holding input units
    (the rest are padding or stretch zeros), ``windows[j]`` are the cells output
    ``j`` reads (``k`` of them), and ``o`` output cells are drawn.
    """

    kind: str
    i: int
    k: int
    s: int
    p: int
    d: int
    a: int
    dims: int
    grid: int
    data: tuple[int, ...]
    windows: tuple[tuple[int, ...], ...]
    o: int
    p_prime: int | None = None

    @property
    def positions(self) -> list[tuple[int, ...]]:
        """Every kernel position (an output index per axis), row by row."""
        if self.dims == 1:
            return [(j,) for j in range(self.o)]
        return [(r, c) for r in range(self.o) for c in range(self.o)]

    @property
    def caption(self) -> str:
        what = {"conv": "Convolution", "pool": "Pooling",
                "conv_transpose": "Transposed convolution"}[self.kind]
        parts = [f"i={self.i}", f"k={self.k}", f"s={self.s}", f"p={self.p}"]
        if self.d != 1:
            parts.append(f"d={self.d}")
        if self.kind == "conv_transpose":
            parts.append(f"a={self.a}")
        text = f"{what}, {', '.join(parts)}: output size {self.o}"
        if self.kind == "conv_transpose":
            text += (f", drawn as a unit-stride convolution over the stretched input "
                     f"padded by p'={self.p_prime}" + (f" (and a={self.a} more at the end)"
                                                        if self.a else ""))
        if self.dims == 2:
            text += "; the same parameters on both axes"
        return text + "."

    # --- cells ---------------------------------------------------------------------
    def _gap(self) -> int:
        return 1

    def panel_size(self) -> tuple[int, int]:
        """(width, height) of one panel in cells."""
        if self.dims == 1:
            return max(self.grid, self.o), 3
        return self.grid + self._gap() + self.o, max(self.grid, self.o)

    def cells(self, position: tuple[int, ...]) -> Iterator[tuple[str, int, int]]:
        """``(style, x, y)`` of every cell of the panel for ``position`` (style in, pad, tap, out, cur)."""
        data = set(self.data)
        window = [set(self.windows[j]) for j in position]
        if self.dims == 1:
            off_o = (max(self.grid, self.o) - self.o) // 2
            off_i = (max(self.grid, self.o) - self.grid) // 2
            for x in range(self.grid):
                yield ("in" if x in data else "pad", off_i + x, 2)
            for x in sorted(window[0]):
                yield ("tap", off_i + x, 2)
            for x in range(self.o):
                yield ("cur" if x == position[0] else "out", off_o + x, 0)
            return
        h = max(self.grid, self.o)
        for r in range(self.grid):
            for c in range(self.grid):
                yield ("in" if r in data and c in data else "pad", c, h - 1 - r)
        for r in sorted(window[0]):
            for c in sorted(window[1]):
                yield ("tap", c, h - 1 - r)
        x0 = self.grid + self._gap()
        top = h - 1 - (h - self.o) // 2
        for r in range(self.o):
            for c in range(self.o):
                yield ("cur" if (r, c) == position else "out", x0 + c, top - r)

    # --- TikZ ----------------------------------------------------------------------
    def _picture(self, positions: list[tuple[int, ...]], cell_mm: float) -> str:
        w, h = self.panel_size()
        per_row = max(1, min(len(positions), max(1, 40 // (w + 1))))
        lines = [rf"\begin{{tikzpicture}}[x={cell_mm}mm,y={cell_mm}mm,{_STYLES}]"]
        for n, pos in enumerate(positions):
            ox, oy = (n % per_row) * (w + 2), -(n // per_row) * (h + 2)
            lines.append(f"% kernel position {','.join(map(str, pos))}")
            lines.append(rf"\begin{{scope}}[shift={{({ox},{oy})}}]")
            for style, x, y in self.cells(pos):
                lines.append(rf"\path[symconv {style}] ({x},{y}) rectangle +(1,1);")
            lines.append(r"\end{scope}")
        lines.append(r"\end{tikzpicture}")
        return "\n".join(lines)

    def _check_panels(self, frames: bool = False) -> None:
        count = self.o ** self.dims      # counted, not listed: a large input asks billions
        if frames and count > MAX_FRAMES:
            raise UsageError(f"{count} kernel positions: frames write at most {MAX_FRAMES} "
                             "pages; draw a smaller input")
        if not frames and count > MAX_PANELS:
            raise UsageError(f"{count} kernel positions: one figure draws at most "
                             f"{MAX_PANELS}; use frames (--frames) for one page each")

    def tikz(self, standalone: bool = True, frames: bool = False, cell_mm: float = 3.0) -> str:
        r"""TikZ source: a standalone document, or (``standalone=False``) an ``\input``-able fragment.

        The fragment is a ``figure`` environment scaled to ``\linewidth`` when wider, and
        to 0.8 ``\textheight`` when taller (one panel per kernel position stacks up),
        with the caption and ``\label{fig:symconv-KIND}``; it needs ``\usepackage{tikz}``
        and graphicx.  ``frames=True``: a standalone document, one page per position.
        """
        if frames:
            self._check_panels(frames=True)
            pages = [self._picture([pos], cell_mm) for pos in self.positions]
            return ("\\documentclass[tikz,border=2pt]{standalone}\n\\begin{document}\n"
                    + "\n".join(pages) + "\n\\end{document}\n")
        self._check_panels()
        pic = self._picture(self.positions, cell_mm)
        if standalone:
            return ("\\documentclass[tikz,border=2pt]{standalone}\n\\begin{document}\n"
                    + pic + "\n\\end{document}\n")
        # the width of the smallest of: the picture, the column, and the picture scaled to
        # 0.8 of the page's height (e-TeX's \numexpr keeps a*b/c exact: no overflow)
        tall = r"\numexpr\width*\dimexpr0.8\textheight\relax/\totalheight\relax sp"
        width = (rf"\ifdim\width>\linewidth\ifdim{tall}<\linewidth{tall}\else\linewidth\fi"
                 rf"\else\ifdim{tall}<\width{tall}\else\width\fi\fi")
        return ("\\begin{figure}[tbp]\n\\centering\n"
                + rf"\resizebox{{{width}}}{{!}}{{%" + "\n"
                + pic + "}\n" + rf"\caption{{{text(self.caption)}}}"
                + rf"\label{{fig:symconv-{self.kind.replace('_', '-')}}}" + "\n\\end{figure}\n")

    # --- matplotlib -------------------------------------------------------------------
    def draw(self, path: str | Path, dpi: int = 120) -> Path:
        """Write the figure as PNG, SVG or PDF through matplotlib (no LaTeX needed)."""
        self._check_panels()
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            from matplotlib.patches import Rectangle
        except ImportError as exc:   # pragma: no cover - optional extra
            raise UsageError("drawing PNG/SVG needs matplotlib: pip install 'symconv[plot]'") \
                from exc
        positions = self.positions
        w, h = self.panel_size()
        per_row = max(1, min(len(positions), max(1, 40 // (w + 1))))
        rows = -(-len(positions) // per_row)
        fig_w, fig_h = per_row * (w + 2), rows * (h + 2)
        fig, ax = plt.subplots(figsize=(max(2.0, fig_w * 0.18), max(1.0, fig_h * 0.18)))
        for n, pos in enumerate(positions):
            ox, oy = (n % per_row) * (w + 2), -(n // per_row) * (h + 2)
            for style, x, y in self.cells(pos):
                face, edge, ls = _COLORS[style]
                ax.add_patch(Rectangle((ox + x, oy + y), 1, 1, facecolor=face, edgecolor=edge,
                                       linestyle=ls, linewidth=0.8,
                                       alpha=0.55 if style == "tap" else 1.0))
        ax.set_xlim(-0.5, fig_w - 1.5)
        ax.set_ylim(-(rows - 1) * (h + 2) - 0.5, h + 0.5)
        ax.set_aspect("equal")
        ax.axis("off")
        out = Path(path)
        fig.savefig(out, dpi=dpi, bbox_inches="tight")
        plt.close(fig)
        return out

    def _repr_latex_(self) -> str:
        """In Jupyter: the layer the figure draws and its output size (the drawing itself
        is TikZ, :meth:`tikz`, or an image, :meth:`save`)."""
        extra = (rf",\ d = {self.d}" if self.d != 1 else "") + \
            (rf",\ a = {self.a}" if self.a else "")
        return (rf"$\text{{{text(self.kind)}}}:\ i = {self.i},\ k = {self.k},\ s = {self.s},\ "
                rf"p = {self.p}{extra} \;\Rightarrow\; o = {self.o}$")

    def save(self, path: str | Path, frames: bool = False) -> Path:
        """By suffix: ``.tex`` (standalone TikZ; ``frames`` for one page each), ``.tikz``
        (the ``\\input``-able fragment), ``.png``/``.svg``/``.pdf`` (matplotlib)."""
        out = out_path(path, (".tex", ".tikz", ".png", ".svg", ".pdf"), "figure --out")
        suffix = out.suffix.lower()
        if suffix == ".tex":
            write_exactly(out, self.tikz(standalone=True, frames=frames).encode(), "figure --out")
        elif suffix == ".tikz":
            write_exactly(out, self.tikz(standalone=False).encode(), "figure --out")
        elif suffix in (".png", ".svg", ".pdf"):
            if frames:
                raise UsageError("frames are TikZ pages: write a .tex and run pdflatex, then "
                                 "pdftoppm -png for one image per kernel position")
            self.draw(out)
        else:
            raise UsageError(f"figure files end in .tex, .tikz, .png, .svg or .pdf, got {out.name!r}")
        return out


def _need_int(name: str, v: Any, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise DomainError(f"figure: {name} must be an integer >= {lo}, got {v!r}")
    return v


@takes_aliases
def figure(kind: str = "conv", *, i: int, k: int, s: int = 1, p: int = 0, d: int = 1,
           a: int = 0, transposed: bool = False, pool: bool = False, dims: int = 2) -> Figure:
    r"""The guide's figure for a layer: ``kind`` conv (``transposed``/``pool`` select the others).

    ``kind`` may also be ``"conv_transpose"``/``"convt"`` or ``"pool"``.  A transposed
    figure draws the stretched input (``s - 1`` zeros between units), ``p'`` zeros each
    side and ``a`` more at the end, and a unit-stride kernel over it.

    >>> figure("conv", i=7, k=3, d=2, dims=1).o     # the guide's dilated 7 -> 3
    3
    """
    key = KINDS.get(str(kind).lower())
    if key not in ("conv", "conv_transpose", "pool"):
        raise UsageError(f"figure draws conv, conv_transpose or pool, not {kind!r}")
    if transposed and pool:
        raise UsageError("figure: --transposed and --pool exclude each other")
    flag = "conv_transpose" if transposed else "pool" if pool else None
    if flag is not None and key not in ("conv", flag):
        raise UsageError(f"figure: {kind} with --{'transposed' if transposed else 'pool'} "
                         f"asks for two layers; name one (figure {flag}, or drop the flag)")
    if transposed:
        key = "conv_transpose"
    if pool:
        key = "pool"
    if dims not in (1, 2):
        raise UsageError(f"figure draws 1-d or 2-d layers, got dims={dims!r}")
    i, k, s, d = (_need_int(n, v, 1) for n, v in (("i", i), ("k", k), ("s", s), ("d", d)))
    p, a = _need_int("p", p, 0), _need_int("a", a, 0)
    if key != "conv_transpose" and a:
        raise UsageError("figure: a (output_padding) is for transposed convolutions: add --transposed")
    layer = Layer(key, k=k, s=s, p=p, d=d, a=a)
    o = layer.output(i)
    drawn = i + 2 * p if key != "conv_transpose" else (i - 1) * s + 1 + 2 * layer.khat + a
    if max(drawn, o) > MAX_GRID:
        raise UsageError(f"figure: {max(drawn, o)} cells on an axis: a figure draws at most "
                         f"{MAX_GRID} (give a smaller i)")
    if key != "conv_transpose":
        windows = []
        for j in range(o):
            lo, hi = layer.back(j, j, i)
            windows.append(tuple(range(lo + p, hi + p + 1, d)))
        return Figure(key, i, k, s, p, d, a, dims, i + 2 * p, tuple(range(p, p + i)),
                      tuple(windows), o)
    stretched = relation("stretched_input").evaluate(**{"i'": i, "s": s})
    sol = solve("conv", "p", i=stretched, k=k, s=1, d=d, o=o - a)
    assert isinstance(sol, Solution)
    values = list(sol.values or ()) if sol.kind == "finite" else []
    if len(values) != 1:
        raise DomainError(f"figure: p={p} is more than d(k-1) = {layer.khat - 1}: the equivalent "
                          "convolution would crop its input, which the guide's figure cannot draw")
    p_prime = int(values[0])
    grid = stretched + 2 * p_prime + a
    direct = Layer("conv", k=k, s=1, p=0, d=d)
    o_direct = direct.output(grid)
    assert o_direct == o, (o_direct, o)     # the transposed relation, read as a convolution
    windows = []
    for j in range(o):
        lo, hi = direct.back(j, j, grid)
        windows.append(tuple(range(lo, hi + 1, d)))
    data = tuple(p_prime + m * s for m in range(i))
    return Figure(key, i, k, s, p, d, a, dims, grid, data, tuple(windows), o, p_prime)
