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

from .errors import DomainError, ParseError, SymconvError, UnknownNameError, UsageError
from .frameworks import Preset, preset, same_padding
from .printing import latex
from .relations import Relation, names, relation, relationship
from .solving import AxisSolutions, Solution, solve
from .symbols import F_i, F_o, a, b, d, g, i, i_prime, i_tilde, k, khat, n, o, o_prime, p, p_l, p_r, s

__version__ = "0.1.0"

__all__ = [
    "SymconvError", "DomainError", "ParseError", "UnknownNameError", "UsageError",
    "Relation", "relation", "relationship", "names", "Solution", "AxisSolutions", "solve",
    "latex", "Preset", "preset", "same_padding",
    "i", "o", "k", "s", "p", "d", "a", "p_l", "p_r", "F_i", "F_o", "g", "n", "b", "khat",
    "i_prime", "o_prime", "i_tilde",
]
