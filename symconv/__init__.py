"""symconv: a symbolic derivation engine for convolution arithmetic.

Relations between input size ``i``, kernel ``k``, stride ``s``, padding ``p``,
dilation ``d``, output_padding ``a`` and output size ``o`` are sympy equations
over integer symbols; symconv solves them exactly for any unknown, prints them
as LaTeX and checks them against PyTorch's conventions.

>>> import symconv as sc
>>> sc.solve("conv", i=224, k=7, s=2, o=112)
Solution(p = 3)
>>> sc.latex("conv")
'o = \\\\left\\\\lfloor \\\\frac{i + 2 p - d \\\\left(k - 1\\\\right) - 1}{s} \\\\right\\\\rfloor + 1'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._evaluating import evaluated
from .errors import (
    DomainError,
    ParseError,
    SymconvError,
    UndecidedError,
    UnknownNameError,
    UsageError,
)

if TYPE_CHECKING:
    import sympy

    from .chain import Alignment, Chain, Layer, Sides
    from .claims import Verdict, check
    from .derivation import Derivation
    from .graph import Graph, GraphError, Node
    from .presets import Preset, preset, same_padding
    from .printing import latex
    from .proofs import Proof, Step, prove
    from .query import solve
    from .relations import Relation, names, relation, relationship
    from .solution import AxisSolutions, Solution
    from .symbols import (
        F_i,
        F_o,
        a,
        b,
        d,
        g,
        i,
        i_prime,
        i_tilde,
        k,
        khat,
        n,
        o,
        o_prime,
        p,
        p_l,
        p_r,
        s,
    )

__version__ = "0.1.0"

# imported on first use, so that `symconv solve` starts fast (no latex2sympy2 or matplotlib),
# and a numeric `symconv.solve` never imports sympy (the fast path of symconv._numeric)
# (sc.latex is read through symconv.relations, which registers the relation names it prints)
_LAZY = {
    # solve too: importing symconv loads almost nothing, so the command's entry catches a
    # Ctrl-C while the command line loads (symconv._entry)
    "solve": "_numeric", "Solution": "solution", "AxisSolutions": "solution",
    "latex": "relations", "Relation": "relations", "names": "relations",
    "relation": "relations", "relationship": "relations",
    **{name: "symbols" for name in ("i", "o", "k", "s", "p", "d", "a", "p_l", "p_r", "F_i",
                                   "F_o", "g", "n", "b", "khat", "i_prime", "o_prime",
                                   "i_tilde")},
    "Chain": "chain", "Layer": "chain", "Alignment": "chain", "Sides": "chain",
    "Graph": "graph", "Node": "graph", "GraphError": "graph",
    "Verdict": "claims", "check": "claims", "Derivation": "derivation",
    "Preset": "presets", "preset": "presets", "same_padding": "presets",
    "Proof": "proofs", "Step": "proofs", "prove": "proofs",
}


def __getattr__(name: str) -> Any:
    if name == "paper":     # the module: sc.paper.equation(...), sc.paper.Notation, ...
        return importlib.import_module(".paper", __name__)
    if name in _LAZY:       # its module built with sympy evaluating, whatever the caller's
        value = getattr(evaluated(importlib.import_module)(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symconv' has no attribute {name!r}")


def from_torch(module: object, example_input_shape: object = None, *, axis: int | None = None,
               ndim: int | None = None) -> Any:
    """Read a torch module: an ``nn.Sequential`` of size rules into an N-d :class:`Chain`,
    any other module through ``torch.fx`` into a ``Graph`` (see :mod:`symconv.torch_import`).

    Each layer's sizes are its relation's, one axis at a time (ResNet's stem here:
    ``o = floor((i + 2p - d(k - 1) - 1)/s) + 1`` twice, PyTorch's ``Conv2d`` and
    ``MaxPool2d``):

    >>> import pytest; torch = pytest.importorskip("torch")     # the example needs torch
    >>> stem = torch.nn.Sequential(torch.nn.Conv2d(3, 64, 7, stride=2, padding=3),
    ...                            torch.nn.MaxPool2d(3, stride=2, padding=1))
    >>> from_torch(stem).output((224, 160))
    (56, 40)
    """
    from .torch_import import from_torch as _from_torch
    return _from_torch(module, axis=axis, ndim=ndim, example_input_shape=example_input_shape)


def from_onnx(model: object) -> Any:
    """Read an ONNX model (a path or an ``onnx.ModelProto``) into a ``Graph`` with ONNX's
    own rules (see :mod:`symconv.onnx_import`; needs ``symconv[onnx]``).

    A ``Conv`` node's output size is ``floor((i + pad_begin + pad_end - d(k - 1) - 1)/s) + 1``
    (the ONNX operator's definition), a formula where a size is symbolic:

    >>> import pytest; onnx = pytest.importorskip("onnx")       # the example needs onnx
    >>> from onnx import TensorProto, helper
    >>> x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "H", "W"])
    >>> y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    >>> w = helper.make_tensor("w", TensorProto.FLOAT, [8, 3, 3, 3], [0.0] * 216)
    >>> stem = helper.make_node("Conv", ["x", "w"], ["y"], strides=[2, 2], pads=[1, 1, 1, 1],
    ...                         name="stem")
    >>> graph = from_onnx(helper.make_model(helper.make_graph([stem], "g", [x], [y], [w])))
    >>> graph.shapes((224, 160))["stem"], graph.exprs()["stem"][0]
    ((8, (112, 80)), floor(i/2 - 1/2) + 1)
    """
    from .onnx_import import from_onnx as _from_onnx
    return _from_onnx(model)


def plot(*args: object, **kwargs: object) -> object:
    """Draw a layer or chain (see :func:`symconv.plotting.plot`; needs matplotlib).

    The staircase of ``o = floor((i + 2p - d(k - 1) - 1)/s) + 1`` against ``i``, as a file:

    >>> import pytest; _ = pytest.importorskip("matplotlib")   # the example needs it
    >>> import pathlib, tempfile
    >>> plot("conv", pathlib.Path(tempfile.mkdtemp()) / "conv.svg", k=3, s=2, p=1).name
    'conv.svg'
    """
    from .plotting import plot as _plot
    return _plot(*args, **kwargs)  # type: ignore[arg-type]


def figure(*args: object, **kwargs: object) -> object:
    """The guide's figure for a layer (see :func:`symconv.figures.figure`).

    >>> fig = figure("conv", i=5, k=3, s=2, p=1)   # Dumoulin & Visin, figure 2.6
    >>> fig.o, fig.windows      # the padded input's cells each output reads, per axis
    (3, ((0, 1, 2), (2, 3, 4), (4, 5, 6)))
    """
    from .figures import figure as _figure
    return _figure(*args, **kwargs)  # type: ignore[arg-type]


def parse_formula(text: str) -> sympy.Expr:
    """Read a formula in the canonical symbols (``i + 2*p - k``, ``floor(i/2)``, ``i'``)
    into sympy, without eval: the command line's formula syntax (integers, names,
    ``+ - * / // % ^``, ``floor ceil mod max min``), in which a ``--json`` formula's
    ``expr`` (a condition's ``lhs`` and ``rhs`` too) reads back; one holding cases
    (``Piecewise``) or a logical combination (``&``, ``|``) is sympy's source only.

    >>> parse_formula("floor((i + 2*p - d*(k - 1) - 1)/s) + 1")
    floor((-d*(k - 1) + i + 2*p - 1)/s) + 1
    """
    from ._values import parse_formula as _parse
    return _parse(text)


def parse_latex(text: str) -> sympy.Basic:
    """Read LaTeX into sympy over the canonical symbols (see :mod:`symconv.parsing`).

    latex2sympy2 (and its ANTLR runtime) is imported on the first call only.

    >>> parse_latex(r"o = \\left\\lfloor \\frac{i+2p-k}{s} \\right\\rfloor + 1")
    Eq(o, floor((i - k + 2*p)/s) + 1)
    """
    from .parsing import parse_latex as _parse
    return _parse(text)

__all__ = [
    "SymconvError", "DomainError", "ParseError", "UnknownNameError", "UsageError", "UndecidedError",
    "Relation", "relation", "relationship", "names", "Solution", "AxisSolutions", "solve",
    "latex", "Preset", "preset", "same_padding", "Proof", "Step", "prove", "Verdict", "check",
    "Derivation", "parse_formula", "parse_latex", "Chain", "Layer", "Alignment", "Sides",
    "from_torch", "from_onnx", "plot",
    "figure", "Graph", "Node", "GraphError",
    "i", "o", "k", "s", "p", "d", "a", "p_l", "p_r", "F_i", "F_o", "g", "n", "b", "khat",
    "i_prime", "o_prime", "i_tilde",
]


def __dir__() -> list[str]:
    """The public names, the lazily imported ones too (tab completion offers them)."""
    return sorted(set(globals()) | set(__all__) | {"paper"})
