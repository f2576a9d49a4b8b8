"""Pictures: the output-size staircase of a layer or chain, and which inputs each output reads.

matplotlib is an optional extra (``pip install 'symconv[plot]'``), imported only
here, with the non-interactive Agg backend.  Sizes come from the same chain and
relations as everything else (:class:`~symconv.chain.Chain`, :meth:`Layer.back`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._gate import as_int, short
from ._output import out_path, write_exactly
from .chain import Chain, Layer, _describe
from .errors import UsageError

__all__ = ["plot", "staircase", "taps", "PLOT_SUFFIXES"]

#: the file types ``plot --out`` writes, by suffix
PLOT_SUFFIXES = (".png", ".pdf", ".svg")


def _plt() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise UsageError("plots need matplotlib: pip install 'symconv[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _chain(target: Any, params: dict[str, Any]) -> Chain:
    if isinstance(target, Chain):
        return target
    if isinstance(target, Layer):
        return Chain((target,))
    if isinstance(target, str) and not target.strip():
        raise UsageError("plot needs a layer kind with its values (conv k=3 s=2) or a "
                         "network text, got an empty target")
    if isinstance(target, str) and "|" not in target and target.split()[0] in (
            "conv", "conv_transpose", "convt", "pool", "maxpool", "avgpool", "up", "upsample"):
        # a per-axis value as layer text writes it (k=3,5): "(3, 5)" was read as text
        words = " ".join(f"{k}={','.join(map(str, v)) if isinstance(v, (tuple, list)) else v}"
                         for k, v in params.items())
        return Chain.parse(f"{target} {words}")
    if isinstance(target, str):
        return Chain.parse(target)
    raise UsageError(f"plot takes a layer kind, a network text or a Chain, not {type(target).__name__}")


MAX_STAIRCASE = 10_000
"""Most input sizes a staircase plots (a wider picture is unreadable, and slow to draw)."""

MAX_TAP_UNITS = 64
"""Most output units a tap picture draws."""

MAX_TAP_CELLS = 256
"""Most input cells (and kernel taps) a tap picture draws."""


def staircase(chain: Chain, out: str | Path, i_range: tuple[int, int] = (1, 64)) -> Path:
    """Output size against input size: the staircase floors make; refused inputs marked."""
    if not isinstance(i_range, (tuple, list)) or len(i_range) != 2:
        raise UsageError(f"i_range is a pair (lo, hi) of input sizes, got {i_range!r}")
    lo, hi = (as_int("i_range", v, 1) for v in i_range)
    if not lo <= hi or hi - lo >= MAX_STAIRCASE or hi > 2 ** 53:
        raise UsageError(f"input range {short(lo)}..{short(hi)}: give 1 <= lo <= hi <= 2**53 "
                         f"(a plot's axes are floating point), at most {MAX_STAIRCASE} sizes")
    plt = _plt()
    xs = list(range(lo, hi + 1))
    # one staircase per axis where the layers differ between axes, each labelled
    axes = [(f"axis {j}: ", chain.axis(j)) for j in range(chain.ndim)] \
        if chain.ndim is not None and chain.ndim > 1 and not chain.isotropic else [("", chain)]
    fig, ax = plt.subplots(figsize=(7, 4))
    colours = ("tab:blue", "tab:green", "tab:purple", "tab:brown", "tab:olive", "tab:cyan")
    for n, (name, one) in enumerate(axes):
        ok = [(x, one.output(x)) for x in xs if one.accepts(x)]
        bad = [x for x in xs if not one.accepts(x)]
        colour = colours[n % len(colours)]
        if ok:
            ax.step([x for x, _ in ok], [y for _, y in ok], where="post", color=colour)
            ax.plot([x for x, _ in ok], [y for _, y in ok], "o", ms=3, color=colour,
                    label=f"{name}accepted input")
        if bad:
            ax.plot(bad, [-0.1 * n] * len(bad), "x", color="tab:red" if n == 0 else colour,
                    label=f"{name}refused input")
    ax.set_xlabel("input size i")
    ax.set_ylabel("output size o")
    ax.set_title(" | ".join(_short(ly) for ly in chain.layers)[:90])
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    return _save(fig, out)


def taps(chain: Chain, out: str | Path, i: int = 7) -> Path:
    """Dumoulin's picture for one layer: which input positions each output unit reads."""
    plt = _plt()
    if len(chain.layers) != 1:
        raise UsageError("the tap picture is for one layer; plot a chain as a staircase")
    layer = chain.layers[0]
    if layer.axes is not None:
        raise UsageError("the tap picture is of one axis, and this layer's values differ "
                         "between axes: draw one axis (one value per key)")
    if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= MAX_TAP_CELLS:
        raise UsageError(f"the tap picture takes an input size 1..{MAX_TAP_CELLS}, got {i!r}")
    o = chain.output(i)
    if o > MAX_TAP_UNITS or layer.k > MAX_TAP_CELLS:
        raise UsageError(f"the tap picture of {o} output units and a {layer.k}-tap kernel is too "
                         f"large to draw: at most {MAX_TAP_UNITS} units and {MAX_TAP_CELLS} taps; "
                         "use a smaller i")
    regions = [chain.region(u, i) for u in range(o)]
    lo = min(r[0] for r in regions + [(0, 0)])
    hi = max(r[1] for r in regions + [(i - 1, i - 1)])
    if hi - lo + 1 > MAX_TAP_CELLS:
        raise UsageError(f"the tap picture spans {hi - lo + 1} input cells (stride, dilation or "
                         f"padding): at most {MAX_TAP_CELLS}; use smaller values")
    fig, ax = plt.subplots(figsize=(max(4, 0.45 * (hi - lo + 3)), max(2, 0.45 * (o + 2))))
    for x in range(lo, hi + 1):        # the (padded) input row
        inside = 0 <= x < i
        ax.add_patch(plt.Rectangle((x, o + 0.5), 0.9, 0.9, color="tab:blue" if inside else "0.85"))
    for u in range(o):
        if layer.kind in ("conv", "pool"):
            start = regions[u][0]
            cells = [start + layer.d * t for t in range(layer.k)]
        else:
            cells = list(range(regions[u][0], regions[u][1] + 1))
        for x in cells:
            ax.add_patch(plt.Rectangle((x, o - 1 - u), 0.9, 0.9, color="tab:orange"))
        ax.text(lo - 1.2, o - 1 - u + 0.3, f"o{u}", fontsize=8)
    ax.text(lo - 1.2, o + 0.8, "in", fontsize=8)
    ax.set_xlim(lo - 1.5, hi + 1.5)
    ax.set_ylim(-0.5, o + 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{_short(layer)}, i={i}: o={o} (grey: padding)", fontsize=9)
    return _save(fig, out)


def plot(target: Any, out: str | Path, kind: str = "staircase", i: int | None = None,
         i_range: tuple[int, int] | None = None, **params: Any) -> Path:
    """Draw ``target`` (a layer kind with its parameters, a network text, or a Chain).

    ``kind="staircase"`` plots output against input over ``i_range`` (default 1..64);
    ``kind="taps"`` draws, for one layer and input size ``i`` (default 7), the input
    positions every output unit reads; each kind refuses the other's argument, which it
    would not draw.  Written to ``out`` (PNG, PDF, SVG by its suffix).
    """
    out = out_path(out, PLOT_SUFFIXES, "plot --out")
    if kind == "staircase" and i is not None:
        raise UsageError(f"plot: i={i!r} is the taps plot's input size; the staircase draws "
                         "every size of i_range=(lo, hi): give that, or kind='taps'")
    if kind == "taps" and i_range is not None:
        raise UsageError("plot: i_range is the staircase's; the taps plot draws one input "
                         "size i=N: give that, or kind='staircase'")
    chain = _chain(target, params)
    if kind == "staircase":
        return staircase(chain, out, (1, 64) if i_range is None else i_range)
    if kind == "taps":
        return taps(chain, out, 7 if i is None else i)
    raise UsageError(f"unknown plot kind {kind!r}: staircase or taps")


def _short(layer: Layer) -> str:
    return _describe(layer)


def _save(fig: Any, out: str | Path) -> Path:
    """Render in memory, then write exactly ``out`` (nothing else, nothing on failure)."""
    import io

    import matplotlib.pyplot as plt
    try:
        path = out_path(out, PLOT_SUFFIXES, "plot --out")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, dpi=110, format=path.suffix[1:].lower())
    finally:
        plt.close(fig)
    return write_exactly(path, buf.getvalue(), "plot --out")
