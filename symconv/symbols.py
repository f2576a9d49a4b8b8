"""Canonical integer symbols of convolution arithmetic, their names and aliases.

Every relation of symconv is written over these symbols, and every name a user
types (``kernel_size``, ``stride``, ``i'``) is mapped onto one of them by
:func:`canonical`.  Domains follow Dumoulin & Visin (2016) and PyTorch:
sizes, kernel, stride and dilation are positive integers; paddings and the
output_padding ``a`` are nonnegative integers.

>>> from symconv.symbols import canonical, i, kernel
>>> canonical("kernel_size").name
'k'
>>> i.is_positive, i.is_integer
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sympy

from .errors import UnknownNameError
from .vocabulary import VARIABLE_ALIASES, nearest

__all__ = [
    "SYMBOLS", "ALIASES", "LATEX_NAMES", "DOMAIN_MIN", "canonical", "symbol_name",
    "i", "o", "k", "s", "p", "d", "a", "p_l", "p_r", "F_i", "F_o", "g", "n", "b", "P", "M",
    "khat", "T", "i_prime", "o_prime", "k_prime", "s_prime", "p_prime", "i_tilde",
    "kernel", "f",
]


def _pos(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, integer=True, positive=True)


def _nonneg(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, integer=True, nonnegative=True)


i = _pos("i")             #: input size along one axis
o = _pos("o")             #: output size
k = _pos("k")             #: kernel size
kernel = k
s = _pos("s")             #: stride
p = _nonneg("p")          #: symmetric zero padding (each side)
d = _pos("d")             #: dilation
a = _nonneg("a")          #: output_padding of a transposed convolution
p_l = _nonneg("p_l")      #: padding before (left / top)
p_r = _nonneg("p_r")      #: padding after (right / bottom)
T = _nonneg("T")          #: total padding p_l + p_r
F_i = _pos("F_i")         #: input feature maps (channels)
F_o = _pos("F_o")         #: output feature maps
g = _pos("g")             #: groups
n = _pos("n")             #: number of spatial dimensions of the kernel
b = _nonneg("b")          #: bias flag: 1 with bias, 0 without
P = _pos("P")             #: number of parameters of a layer
M = _nonneg("M")          #: multiply-accumulates of a layer
khat = _pos("khat")       #: effective (dilated) kernel size
i_prime = _pos("i'")      #: input size of the associated transposed convolution
o_prime = _pos("o'")      #: its output size
k_prime = _pos("k'")      #: its kernel size
s_prime = _pos("s'")      #: its stride
p_prime = _nonneg("p'")   #: its padding
i_tilde = _pos("itilde'")  #: the stretched input i' + (i'-1)(s-1)
f = _pos("f")             #: upsampling factor (a layer's setting, not a solvable name)

SYMBOLS: dict[str, sympy.Symbol] = {
    sym.name: sym
    for sym in (i, o, k, s, p, d, a, p_l, p_r, T, F_i, F_o, g, n, b, P, M, khat,
                i_prime, o_prime, k_prime, s_prime, p_prime, i_tilde)
}
"""Canonical name -> symbol, in the order used to print and to break ties."""

ALIASES: dict[str, str] = VARIABLE_ALIASES
"""Accepted alternative names (PyTorch's argument names among them)."""

LATEX_NAMES: dict[sympy.Symbol, str] = {
    sym: name for sym, name in (
        (p_l, "p_{l}"), (p_r, "p_{r}"), (F_i, "F_{i}"), (F_o, "F_{o}"),
        (khat, r"\hat{k}"), (i_tilde, r"\tilde{i}'"),
    )
}
"""LaTeX spelling of symbols whose name is not already their LaTeX."""

DOMAIN_MIN: dict[sympy.Symbol, int] = {
    sym: (1 if sym.is_positive else 0) for sym in SYMBOLS.values()
}
"""Smallest admissible value of each symbol (1 if positive, 0 if nonnegative)."""


def least(sym: sympy.Symbol) -> int:
    """The smallest admissible value of ``sym``, also for a setting that is not a
    solvable name (the upsampling factor ``f``): 1 if positive, else 0.

    >>> least(SYMBOLS["p"]), least(f)
    (0, 1)
    """
    return DOMAIN_MIN.get(sym, 1 if sym.is_positive else 0)


CLAIM_TWINS: dict[str, sympy.Symbol] = {
    "o'": sympy.Symbol("o'", integer=True), "p'": sympy.Symbol("p'", integer=True)}
"""The derived quantities a claim may see outside their relation's domain, as integers
with no sign: in the world of the guide ``o' = s(i' - 1) + a + k - 2p`` is -2 at
``i = k = 1, s = 5, p = 4`` and ``p' = k - p - 1`` is negative where ``p >= k``, so a claim
is read over these (sympy would read ``max(o', 0)`` as ``o'`` with ``o'`` positive)."""

_TWINNED = {SYMBOLS[name]: twin for name, twin in CLAIM_TWINS.items()}


def signless(e: Any) -> Any:
    """``e`` with ``o'`` and ``p'`` as :data:`CLAIM_TWINS` (integers with no sign), so that
    nothing reasoning about it (sympy's simplification, a step of a proof) uses a sign
    they do not have in the world of the guide.

    >>> signless(sympy.Max(SYMBOLS["o'"], 0)).is_positive is None
    True
    """
    return e.xreplace(_TWINNED) if isinstance(e, sympy.Basic) else e


_READING_CLAIM: ContextVar[bool] = ContextVar("reading_claim", default=False)


@contextmanager
def reading_claim() -> Iterator[None]:
    """While a claim is read, :func:`canonical` gives :data:`CLAIM_TWINS` for ``o'``
    and ``p'``."""
    token = _READING_CLAIM.set(True)
    try:
        yield
    finally:
        _READING_CLAIM.reset(token)


def canonical(name: str | sympy.Symbol) -> sympy.Symbol:
    """Map a user's name (canonical, alias or primed form) to its symbol.

    >>> canonical("stride"), canonical("i'"), canonical("dilation")
    (s, i', d)
    """
    if isinstance(name, sympy.Symbol):
        name = name.name
    key = str(name).strip()
    key = key if key in SYMBOLS else ALIASES.get(key, key)
    if key in SYMBOLS:
        if key in CLAIM_TWINS and _READING_CLAIM.get():
            return CLAIM_TWINS[key]
        return SYMBOLS[key]
    known = sorted(set(SYMBOLS) | set(ALIASES))
    near = nearest(key, known)
    hint = f"; did you mean {near!r}?" if near else f"; known names: {', '.join(SYMBOLS)}"
    raise UnknownNameError(f"unknown variable name {key!r}{hint}")


def symbol_name(sym: sympy.Symbol) -> str:
    """The canonical name of a symbol (the key users and JSON see).

    >>> symbol_name(i_prime), symbol_name(khat)
    ("i'", 'khat')
    """
    return sym.name
