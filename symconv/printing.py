r"""LaTeX out, through sympy's printer, with the conventions of the guide.

The printer is sympy's :class:`~sympy.printing.latex.LatexPrinter` with four
changes: canonical symbols print as in Dumoulin & Visin (``\hat{k}``,
``\tilde{i}'``, ``p_{l}``); floors and ceilings print as
``\left\lfloor \frac{...}{s} \right\rfloor``; the terms of a sum are ordered
input, output, padding, kernel, ... , constants (``i + 2 p - k``, not sympy's
``i - k + 2 p``); and ``Mod`` prints as ``\bmod``.

>>> import sympy
>>> from symconv.symbols import i, k, p, s, o
>>> latex(sympy.Eq(o, sympy.floor((i + 2*p - k) / s) + 1))
'o = \\left\\lfloor \\frac{i + 2 p - k}{s} \\right\\rfloor + 1'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from ._evaluating import evaluated
from .errors import UndecidedError, UsageError
from .symbols import LATEX_NAMES, SYMBOLS

__all__ = ["latex", "sstr", "condition_latex", "SymconvLatexPrinter", "SymconvStrPrinter"]

_RANK = {sym: n for n, sym in enumerate(SYMBOLS.values())}
# input sizes first, then output, paddings, kernel, dilation, stride, ...
_ORDER = ["i", "i'", "itilde'", "o", "o'", "p", "p_l", "p_r", "T", "p'", "k", "khat", "k'",
          "d", "a", "s", "s'", "F_i", "F_o", "g", "n", "b", "P"]
_RANK = {SYMBOLS[name]: n for n, name in enumerate(_ORDER)}


def _term_key(term: sympy.Expr) -> tuple[int, int, str]:
    syms = [x for x in term.free_symbols if isinstance(x, sympy.Symbol)]
    if not syms:
        return (len(_RANK) + 1, 0, "")
    ranks = sorted(_RANK.get(x, len(_RANK)) for x in syms)
    return (ranks[0], len(ranks), sympy.sstr(term))




class SymconvLatexPrinter(LatexPrinter):
    """sympy's LaTeX printer with symconv's symbol names, floors and term order."""

    printmethod = "_latex"

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        names = self._settings.get("symbol_names") or {}
        if expr in names:               # a paper's own notation (symconv.paper.Notation)
            return str(names[expr])
        if expr in LATEX_NAMES:
            return LATEX_NAMES[expr]
        return super()._print_Symbol(expr, style=style)

    def _print_Add(self, expr: sympy.Add, order: Any = None) -> str:
        terms = sorted(expr.args, key=_term_key)
        out = ""
        for n, term in enumerate(terms):
            if n == 0:
                piece = self._print(term)
            elif term.could_extract_minus_sign():
                out += " - "
                piece = self._print(-term)
            else:
                out += " + "
                piece = self._print(term)
            if self._needs_add_brackets(term) and n:
                piece = r"\left(" + piece + r"\right)"
            out += piece
        return out

    def _print_floor(self, expr: sympy.floor, exp: Any = None) -> str:
        tex = rf"\left\lfloor {self._fraction(expr.args[0])} \right\rfloor"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def _print_ceiling(self, expr: sympy.ceiling, exp: Any = None) -> str:
        tex = rf"\left\lceil {self._fraction(expr.args[0])} \right\rceil"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def _fraction(self, arg: sympy.Expr) -> str:
        """``i/4 - 1/4`` printed as the single fraction ``(i - 1)/4``, as floors are written."""
        num, den = sympy.fraction(sympy.together(arg))
        if den == 1:
            return self._print(arg)
        return rf"\frac{{{self._print(num)}}}{{{self._print(den)}}}"

    def _needs_mul_brackets(self, expr: Any, first: bool = False, last: bool = False) -> bool:
        """sympy's rule without its case "anything that holds a ``Mod``": a ``Mod`` prints
        its own parentheses (``\\left(i \\bmod s\\right)``), so ``2 (i mod s)`` takes no
        second pair, nor does a floor with a ``Mod`` inside."""
        mods = expr.atoms(sympy.Mod) if isinstance(expr, sympy.Basic) else set()
        if mods:
            expr = expr.xreplace({m: sympy.Dummy() for m in mods})
        return bool(super()._needs_mul_brackets(expr, first=first, last=last))

    def _print_Mod(self, expr: sympy.Mod, exp: Any = None) -> str:
        x, m = expr.args
        left = self.parenthesize(x, 60)
        tex = rf"\left({left} \bmod {self.parenthesize(m, 60)}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


def condition_latex(cond: sympy.Basic, printer: SymconvLatexPrinter | None = None, *,
                    claim: bool = False) -> str:
    r"""A condition as a paper writes it: ``s \mid i + 2 p - k`` for ``(i + 2p - k) mod s =
    0``, ``x \equiv r \pmod{m}`` for another remainder; with ``claim``, as a claim's
    conditions are read back (``k \text{ odd}``, ``k \text{ even}``, no congruence).

    >>> from symconv.symbols import i, k, s
    >>> condition_latex(sympy.Eq(sympy.Mod(i - k, s), 0))
    's \\mid i - k'
    >>> condition_latex(sympy.Eq(sympy.Mod(k, 2), 1), claim=True)
    'k \\text{ odd}'
    """
    printer = printer or SymconvLatexPrinter()
    if isinstance(cond, sympy.Eq):
        lhs, rhs = cond.args
        if isinstance(lhs, sympy.Mod) and claim and lhs.args[1] == 2 and rhs in (0, 1):
            return rf"{printer.doprint(lhs.args[0])} \text{{ {'odd' if rhs == 1 else 'even'}}}"
        if isinstance(lhs, sympy.Mod) and rhs == 0:
            x, m = lhs.args
            return rf"{printer.doprint(m)} \mid {printer.doprint(x)}"
        if isinstance(lhs, sympy.Mod) and rhs.is_Integer and not claim:
            x, m = lhs.args
            return rf"{printer.doprint(x)} \equiv {printer.doprint(rhs)} \pmod{{{printer.doprint(m)}}}"
    return str(printer.doprint(cond))


def digits(n: int) -> str:
    """``str(n)``, exactly, past Python's limit on converting an int to text (4 300
    digits by default: ``str(10**4400)`` raises ValueError), in chunks below it.

    >>> digits(-(10**4400 + 7)) == "-1" + "0" * 4399 + "7"
    True
    """
    try:
        return str(n)
    except ValueError:
        sign, n, chunks = "-" if n < 0 else "", abs(n), []
        while n:
            n, r = divmod(n, 10**4000)
            chunks.append(r)
        return sign + str(chunks[-1]) + "".join(str(c).zfill(4000) for c in reversed(chunks[:-1]))


class SymconvStrPrinter(StrPrinter):
    """sympy's str printer with the same, deterministic term order as the LaTeX printer."""

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return digits(int(expr))

    def _print_Add(self, expr: sympy.Add, order: Any = None) -> str:
        out = ""
        for n, term in enumerate(sorted(expr.args, key=_term_key)):
            if isinstance(term, sympy.Add):        # an unevaluated inner sum: flatten
                inner = self._print(term)
                out = inner if n == 0 else (
                    f"{out} - {inner[1:]}" if inner.startswith("-") else f"{out} + {inner}")
                continue
            neg = term.could_extract_minus_sign()
            piece = self._print(-term if neg else term)
            if piece.startswith("-"):
                piece = f"({piece})"
            if n == 0:
                out = f"-{piece}" if neg else piece
            else:
                out += f" - {piece}" if neg else f" + {piece}"
        return out


    def _print_floor(self, expr: sympy.floor) -> str:
        return self._floorlike("floor", expr)

    def _print_ceiling(self, expr: sympy.ceiling) -> str:
        return self._floorlike("ceiling", expr)

    def _floorlike(self, name: str, expr: Any) -> str:
        num, den = sympy.fraction(sympy.together(expr.args[0]))
        if den == 1:
            return f"{name}({self._print(expr.args[0])})"
        n_s = self._print(num)
        d_s = self._print(den)
        if not (num.is_Symbol or num.is_Integer):
            n_s = f"({n_s})"
        if not (den.is_Symbol or den.is_Integer):
            d_s = f"({d_s})"
        return f"{name}({n_s}/{d_s})"


def sstr(obj: Any) -> str:
    """Plain-text form of an expression (sympy's str printer, symconv's term order).

    >>> from symconv.symbols import i_prime, k, p, s
    >>> sstr(s*(i_prime - 1) + k - 2*p)
    "s*(i' - 1) - 2*p + k"
    """
    check_printable(obj)
    return SymconvStrPrinter().doprint(obj)


PRINT_DEPTH = 200
"""The deepest expression tree symconv prints: a chain whose floors do not collapse
nests about three levels per layer pair, and printing one 240 deep takes seconds and
most of Python's recursion limit (one 270 deep exceeds it)."""


def check_printable(obj: Any) -> None:
    """Refuse, in one line, an expression nested deeper than :data:`PRINT_DEPTH`."""
    if not isinstance(obj, sympy.Basic) or not obj.args:
        return
    stack = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > PRINT_DEPTH:
            raise UndecidedError(
                f"the formula is nested more than {PRINT_DEPTH} levels deep (its floors do "
                "not collapse into one): not printed; sizes still answer (output(i), "
                "inputs_for)")
        stack.extend((a, depth + 1) for a in node.args)


@evaluated
def latex(obj: Any, **settings: Any) -> str:
    """LaTeX of a sympy expression or of any symconv object, via the printer.

    Relations, solutions and proofs print through their ``_latex`` hook; a
    relation name (``"conv"``) prints that relation.

    >>> import symconv as sc
    >>> print(latex("dv6"))
    o = \\left\\lfloor \\frac{i + 2 p - k}{s} \\right\\rfloor + 1
    >>> print(latex(sc.solve("conv", i=224, k=7, s=2, o=112)))
    p = 3
    """
    if isinstance(obj, str):
        obj = _NAMES[0](obj)
    try:
        printer = SymconvLatexPrinter(settings)
    except (TypeError, ValueError) as exc:      # sympy's: "Unknown setting 'foo'."
        raise UsageError(f"latex: {' '.join(str(exc).split())} (the settings are sympy's "
                         "LaTeX printer's: mode, fold_short_frac, mul_symbol, ...)") from None
    check_printable(obj)
    if not hasattr(obj, "_latex") and hasattr(obj, "_repr_latex_") and \
            not isinstance(obj, sympy.Basic):
        # a chain, a graph, a design space: the form Jupyter shows, without its $...$
        shown = obj._repr_latex_()
        if isinstance(shown, str) and shown.startswith("$") and shown.endswith("$"):
            return shown.strip("$").removeprefix(r"\displaystyle ").strip()
        if isinstance(shown, str):
            return shown
    return printer.doprint(obj)


def _relation_named(name: str) -> Any:
    """Until :mod:`symconv.relations` registers its lookup, load it (it registers on
    import): ``symconv.printing.latex("conv")`` prints the relation whichever module the
    caller imported first, never the name as text."""
    importlib.import_module("symconv.relations")
    return _NAMES[0](name) if _NAMES[0] is not _relation_named else name


_NAMES: list[Callable[[str], Any]] = [_relation_named]


def register_names(lookup: Callable[[str], Any]) -> None:
    """Let :func:`latex` print a name as the object it names (:mod:`symconv.relations`
    registers :func:`~symconv.relations.relation`, so printing needs no import of it)."""
    _NAMES[0] = lookup
