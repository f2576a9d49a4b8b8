r"""LaTeX for papers: labelled equations with their conditions, broken to fit a column.

Everything here formats what :mod:`symconv.relations` and :mod:`symconv.proofs`
state, through :mod:`symconv.printing`; no formula is written in this module.

* :func:`equation` -- a relation as a numbered (or starred) ``equation`` with
  ``\label{eq:symconv-NAME}``, a ``split`` whose lines fit the width asked for
  (``"column"``: 3.3 in, a two-column paper's ``\columnwidth``; ``"text"``:
  6.5 in), and the relation's conditions, setting and hypotheses under it.
* :func:`derivation` -- a proof as an ``align*`` (or ``align`` with tags, or one
  ``equation``), relation signs aligned, each justification in words and math
  (``by the division identity, $s \lfloor X/s \rfloor + (X \bmod s) = X$``),
  optionally inside amsthm's ``proof`` environment.
* :func:`table` -- a ``booktabs`` table from plain rows, with caption and label
  (``tabularx`` for a wide text column); :func:`relation_table` and
  :func:`network_table` build on it.
* :class:`Notation` -- the paper's own symbol names (``W_in,W_out,K,S,P``), used
  through ``\newcommand`` macros that :meth:`Notation.preamble` defines once.

>>> print(equation("conv"))
\begin{equation}\label{eq:symconv-conv}
\begin{split}
o &= \left\lfloor \frac{i + 2 p - d \left(k - 1\right) - 1}{s} \right\rfloor + 1\\
&\quad \text{if } i + 2 p \geq d \left(k - 1\right) + 1
\end{split}
\end{equation}
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from ._forward import totals
from ._layout import INDENT_PT, WIDTHS, answer_rows, break_lines, fit, line_budget, split_rows, width_pt
from ._numeric import SAME_ON_EVERY_AXIS
from .errors import UsageError
from .printing import SymconvLatexPrinter, condition_latex
from .relations import Relation, relation
from .solution import AxisSolutions
from .symbols import SYMBOLS

__all__ = ["Notation", "equation", "equations", "derivation", "table", "relation_table",
           "network_table", "design_table", "text", "prose", "WIDTHS", "PACKAGES"]

PACKAGES = r"\usepackage{amsmath,amssymb,amsthm,booktabs,tabularx,graphicx}"
"""The packages symconv's LaTeX output uses."""

_POSITIONAL = ("i", "o", "k", "s", "p", "d", "a")
_DERIVED = {"i'": "i", "o'": "o", "k'": "k", "s'": "s", "p'": "p", "itilde'": "i",
            "khat": "k", "p_l": "p", "p_r": "p"}

# --- notation --------------------------------------------------------------------


_SYMBOL_COMMANDS = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa "
    "lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell imath jmath hbar prime "
    "infty".split())
"""Commands that are a symbol by themselves."""
_ACCENT_COMMANDS = frozenset(
    "hat tilde bar widehat widetilde overline underline vec dot ddot check breve acute grave "
    "mathrm mathit mathbf mathsf mathtt mathcal mathbb mathfrak boldsymbol bm text textrm "
    "textit textsf textnormal operatorname".split())
"""Commands that make a symbol of the one braced argument they take."""
_TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textsf", "textnormal", "mathrm",
                            "operatorname"})


def _symbol_end(name: str, n: int, in_text: bool = False, in_group: bool = False) -> int:
    """Where the symbol that starts at ``name[n]`` ends: letters, digits, primes, the
    symbol commands (``\\kappa``), an accent or font command on one braced argument
    (``\\hat{k}``, ``\\mathrm{in}``), a sub- or superscript on one of those; raises
    ``ValueError(piece)`` at anything else (``x^`` with nothing raised, ``\\frac``, ``\\left``,
    ``\\end{document}``: they change or break the formula they are put in)."""
    scripts: set[str] = set()      # the scripts on the last base: TeX takes one of each
    while n < len(name) and name[n] != "}":
        ch = name[n]
        if ch in "_^'" and not in_text:
            # k^a^b, k_a_b and k^2' stop TeX ("Double superscript"); k'^2 and k'' do not
            if (ch == "_" and "_" in scripts) or (ch in "^'" and "^" in scripts):
                raise ValueError(name[n:n + 2])
            scripts.add(ch)
        elif not (in_text and ch == " "):
            scripts = set()
        if ch.isascii() and (ch.isalnum() or ch == "'" or (in_text and ch == " ")):
            n += 1
        elif in_group and ch in "(),":    # H^{(l)}, W_{i,j}: braced, they stay in the script
            n += 1
        elif ch in "_^":
            if n + 1 >= len(name) or name[n + 1] in "_^}":
                raise ValueError(name[n:n + 2] or ch)
            n = _argument_end(name, n + 1)
        elif ch == "{":
            n = _group_end(name, n, in_text)
        elif ch == "\\":
            m = re.match(r"\\([A-Za-z]+)", name[n:])
            if m is None or m[1] not in _SYMBOL_COMMANDS | _ACCENT_COMMANDS:
                raise ValueError(m[0] if m else name[n:n + 2])
            n += len(m[0])
            if m[1] in _ACCENT_COMMANDS:
                while n < len(name) and name[n] == " ":
                    n += 1
                if n >= len(name) or name[n] != "{":
                    raise ValueError(m[0])
                n = _group_end(name, n, m[1] in _TEXT_COMMANDS)
        else:
            raise ValueError(ch)
    return n


def _group_end(name: str, n: int, in_text: bool) -> int:
    end = _symbol_end(name, n + 1, in_text, in_group=True)
    if end >= len(name) or end == n + 1:
        raise ValueError(name[n:end + 1] or "{")     # unclosed, or an empty group
    return end + 1


def _argument_end(name: str, n: int) -> int:
    """The end of a sub- or superscript's argument at ``name[n]``: one character, one
    symbol command or one braced group."""
    if name[n] == "{":
        return _group_end(name, n, False)
    if name[n] == "\\":         # k_\alpha: TeX takes it, the layout measures braces only
        word = len(name[n + 1:]) - len(name[n + 1:].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                          "abcdefghijklmnopqrstuvwxyz"))
        raise ValueError(name[n - 1:n + 1 + word] + " (brace it)")
    if name[n].isascii() and name[n].isalnum():
        return n + 1
    raise ValueError(name[n])


def _tex_name(name: str) -> str:
    """``W_in`` -> ``W_{\\mathrm{in}}``; LaTeX given with braces or backslashes is kept, when
    it is a symbol (:func:`_symbol_end`)."""
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"--symbols: {name!r} is not a symbol name (letters, digits, _ and "
                         "LaTeX commands only, e.g. W_in or \\kappa)")
    text = name.strip()
    depth = 0
    for ch in text:                     # a macro body must balance its braces
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth:
        raise UsageError(f"--symbols: {name!r} has unbalanced braces")
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?", text)
    if not plain:
        try:
            end = _symbol_end(text, 0)
            if end != len(text):
                raise ValueError(text[end])
        except ValueError as exc:
            piece = exc.args[0]
            raise UsageError(f"--symbols: {name!r} writes {piece!r}, not a symbol: give "
                             "letters, digits, _ and symbol commands (\\kappa, \\hat{k}, "
                             "W_{\\mathrm{in}})") from None
    if "\\" in name or "{" in name:
        return name.strip()
    base, _, sub = name.strip().partition("_")
    if not sub:
        return base
    return f"{base}_{{{sub}}}" if len(sub) == 1 else rf"{base}_{{\mathrm{{{sub}}}}}"


@dataclass(frozen=True)
class Notation:
    r"""The paper's symbol names, as ``\newcommand`` macros defined once in the preamble.

    ``names`` maps canonical names (``i o k s p d a``) to LaTeX; a derived
    symbol follows its base (``i'`` -> ``\symconvi'``, ``\hat{k}`` ->
    ``\hat{\symconvk}``).

    >>> nt = Notation.parse("W_in,W_out,K,S,P")
    >>> print(nt.preamble())
    \providecommand{\symconvi}{}\renewcommand{\symconvi}{W_{\mathrm{in}}}
    \providecommand{\symconvo}{}\renewcommand{\symconvo}{W_{\mathrm{out}}}
    \providecommand{\symconvk}{}\renewcommand{\symconvk}{K}
    \providecommand{\symconvs}{}\renewcommand{\symconvs}{S}
    \providecommand{\symconvp}{}\renewcommand{\symconvp}{P}
    >>> print(nt.latex(relation("dv6").equation))
    \symconvo = \left\lfloor \frac{\symconvi + 2 \symconvp - \symconvk}{\symconvs} \right\rfloor + 1
    """

    names: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, spec: str | Mapping[str, str] | Notation | None) -> Notation:
        """From ``"W_in,W_out,K,S,P"`` (in the order i, o, k, s, p, d, a) or a mapping."""
        if spec is None:
            return cls()
        if isinstance(spec, Notation):
            return spec
        if isinstance(spec, str):
            parts = [x.strip() for x in spec.split(",")]
            if len(parts) > len(_POSITIONAL) or any(not x for x in parts):
                raise UsageError(f"--symbols takes up to {len(_POSITIONAL)} names in the order "
                                 f"{','.join(_POSITIONAL)}, got {spec!r}")
            spec = dict(zip(_POSITIONAL, parts, strict=False))
        out = []
        for key, value in spec.items():
            if key not in SYMBOLS:
                raise UsageError(f"--symbols: unknown symbol {key!r} (use i, o, k, s, p, d, a)")
            out.append((key, _tex_name(value)))
        shown: dict[str, str] = {}          # every symbol as printed: renamed or its own
        for name in _POSITIONAL:
            tex = dict(out).get(name, sympy.latex(SYMBOLS[name]))
            if tex in shown:
                raise UsageError(f"--symbols: {shown[tex]} and {name} would both print as "
                                 f"{tex!r}: give each symbol its own name")
            shown[tex] = name
        return cls(tuple(out))

    def macro(self, name: str) -> str:
        return r"\symconv" + name

    def preamble(self) -> str:
        r"""The macro lines: ``\providecommand`` then ``\renewcommand``, so a second paste
        (two equations, each with its lines) compiles (``\newcommand`` twice stops LaTeX:
        "Command \symconvi already defined"), each defining the names from there on."""
        return "\n".join(rf"\providecommand{{{self.macro(n)}}}{{}}"
                         rf"\renewcommand{{{self.macro(n)}}}{{{tex}}}" for n, tex in self.names)

    def symbol_names(self) -> dict[sympy.Symbol, str]:
        """Symbol -> macro, for sympy's ``symbol_names`` printer setting."""
        given = dict(self.names)
        out: dict[sympy.Symbol, str] = {}
        for name, sym in SYMBOLS.items():
            base = _DERIVED.get(name, name)
            if base not in given:
                continue
            m = self.macro(base)
            out[sym] = {"khat": rf"\hat{{{m}}}", "p_l": f"{m}_{{l}}", "p_r": f"{m}_{{r}}",
                        "itilde'": rf"\tilde{{{m}}}'"}.get(
                name, m if name == base else f"{{{m}}}'")
        return out

    def latex(self, expr: Any) -> str:
        """``expr`` through symconv's printer, in this notation."""
        return self.printer().doprint(expr)

    def printer(self) -> SymconvLatexPrinter:
        """symconv's LaTeX printer in this notation."""
        return SymconvLatexPrinter({"symbol_names": self.symbol_names()})


# --- conditions --------------------------------------------------------------------

def _relation_conditions(rel: Relation, printer: SymconvLatexPrinter) -> list[str]:
    out = []
    if rel.setting:
        out.append(r"\text{with } " + r",\ ".join(
            f"{printer.doprint(x)} = {printer.doprint(v)}" for x, v in rel.setting))
    for c in rel.hypotheses + rel.conditions:
        out.append(r"\text{if } " + condition_latex(c.expr, printer))
    return out


def _printer(notation: Notation | str | Mapping[str, str] | None) -> SymconvLatexPrinter:
    return Notation.parse(notation).printer()


def label(name: str) -> str:
    """The label symconv gives the equation of relation ``name``: ``eq:symconv-NAME``."""
    return "eq:symconv-" + name.replace("_", "-")


def equation(rel: str | Relation, *, width: str | float = "column", numbered: bool = True,
             notation: Notation | str | Mapping[str, str] | None = None,
             conditions: bool = True) -> str:
    r"""The relation as a labelled ``equation`` with a ``split`` fitting ``width``.

    >>> print(equation("dv13", numbered=False))
    \begin{equation*}
    \begin{split}
    o' &= s \left(i' - 1\right) - 2 p + k\\
    &\quad \text{if } s \mid i + 2 p - k
    \end{split}
    \end{equation*}
    """
    r = relation(rel)
    nt = Notation.parse(notation)
    pr = _printer(nt)
    budget = line_budget(width)
    lhs = pr.doprint(r.lhs)
    if isinstance(r.rhs, sympy.Piecewise):     # one row per case, its condition below it
        rows = []
        for n, (piece, cond) in enumerate(r.rhs.args):
            rows += split_rows(lhs if n == 0 else "", "=", break_lines(piece, pr, budget),
                                budget, nt)
            rows.append(r"&\qquad \text{otherwise}" if cond is sympy.true else
                        r"&\qquad " + fit(rf"\text{{if }} {condition_latex(cond, pr)},",
                                           budget - 10, nt))
    else:
        rows = split_rows(lhs, "=", break_lines(r.rhs, pr, budget), budget, nt)
    if conditions:
        rows += [rf"&\quad {fit(c, budget, nt)}" for c in _relation_conditions(r, pr)]
    env = "equation" if numbered else "equation*"
    lab = rf"\label{{{label(r.name)}}}" if numbered else ""
    return (f"\\begin{{{env}}}{lab}\n\\begin{{split}}\n" + "\\\\\n".join(rows) +
            f"\n\\end{{split}}\n\\end{{{env}}}")


def equations(names: Sequence[str | Relation], **options: Any) -> str:
    r"""Several relations, each in its own labelled ``equation``, separated by blank lines."""
    return "\n\n".join(equation(n, **options) for n in names)


# --- words and math -----------------------------------------------------------------

_MATHWORDS = {"floor", "ceil", "ceiling", "mod", "max", "min", "khat"}
_SHORT_WORDS = {"is", "of", "by", "to", "in", "an", "at", "on", "or", "if", "be", "as", "so",
                "no", "it", "we", "and", "for", "the"}


def _match_paren(s: str, start: int) -> int:
    depth = 0
    for n in range(start, len(s)):
        depth += {"(": 1, ")": -1}.get(s[n], 0)
        if depth == 0:
            return n
    return len(s) - 1


def _ascii_math(s: str) -> str:
    r"""``s floor(X/s) + (X mod s)`` -> ``s \lfloor X/s \rfloor + (X \bmod s)``."""
    out = ""
    n = 0
    while n < len(s):
        call = re.match(r"(?<![A-Za-z])(Mod|mod|Eq)\(", s[n:]) if n == 0 or not (
            s[n - 1].isalnum() or s[n - 1] == "_") else None
        if call:        # sympy's Mod(a, b), Eq(a, b): as a paper writes them
            close = _match_paren(s, n + len(call.group(1)))
            args = _split_args(s[n + len(call.group(0)):close])
            if len(args) == 2:
                # an operand with an operator outside its brackets is bracketed
                left, right = (rf"\left({_ascii_math(x)}\right)" if re.search(
                    r"[-+*/ ]", re.sub(r"\([^()]*\)", "", re.sub(r"\([^()]*\)", "", x)))
                    else _ascii_math(x) for x in args)
                out += (rf"\left({left} \bmod {right}\right)" if call.group(1) != "Eq"
                        else f"{left} = {right}")
                n = close + 1
                continue
        m = re.match(r"(floor|ceil|ceiling)\(", s[n:])
        if m:
            close = _match_paren(s, n + len(m.group(1)))
            inner = _ascii_math(s[n + len(m.group(0)):close])
            lo, hi = (r"\lfloor", r"\rfloor") if m.group(1) == "floor" else (r"\lceil", r"\rceil")
            out += f"{lo} {inner} {hi}"
            n = close + 1
            continue
        out += s[n]
        n += 1
    out = re.sub(r"(?<![\\A-Za-z])(?!mod\b|max\b|min\b|khat|lfloor|rfloor|lceil|rceil)"
                 r"([A-Za-z]{3,}(?:_[A-Za-z]+)*)",
                 lambda m: r"\operatorname{" + m.group(1).replace("_", r"\_") + "}", out)
    out = re.sub(r"\bmod\b", r"\\bmod", out)
    out = re.sub(r"\b(max|min)\b", r"\\\1", out)
    out = re.sub(r"\bkhat_?(\w*)", lambda m: r"\hat{k}" + (f"_{{{m.group(1)}}}" if m.group(1) else ""), out)
    out = re.sub(r"\\operatorname\{itilde\}'", r"\\tilde{i}'", out)      # the stretched input
    out = re.sub(r"\bk\^", r"\\hat{k}", out)
    out = re.sub(r"\b([A-Za-z])_([A-Za-z0-9]+)", r"\1_{\2}", out)
    for a, b in ((">=", r"\geq "), ("<=", r"\leq "), ("!=", r"\neq "), ("//", r"\mathbin{//}"),
                 ("*", " "), ("|", r"\mid ")):
        out = out.replace(a, b)
    return out.strip()


def text(s: str) -> str:
    r"""Plain text set in LaTeX (special characters escaped, ``$`` too), no math.

    >>> text("cost $5 & 10% of a_b"), text("a\\b")
    ('cost \\$5 \\& 10\\% of a\\_b', 'a\\textbackslash{}b')
    """
    # one pass (a replacement's own braces, \textbackslash{}, are not escaped again)
    out = s.translate(_ESCAPES)
    if not (out.isascii() and out.isprintable()):
        out = "".join(c if c in "\n\t" or _settable(c) else _unicode_text(c) for c in out)
    # a cell after a row's \\ starting with [ would be read as \\[<length>]
    return "{}" + out if out.startswith("[") else out


def _settable(ch: str) -> bool:
    """Whether pdflatex's default input sets ``ch``: printable ASCII, or a Latin letter
    with an accent (below U+0180, decomposed into a letter and its accent)."""
    import unicodedata
    if ch.isascii():
        return ch.isprintable()
    parts = unicodedata.decomposition(ch)
    return 0xC0 <= ord(ch) < 0x180 and bool(parts) and not parts.startswith("<")


def _unicode_text(ch: str) -> str:
    r"""A character pdflatex's default input cannot set, as one it can: a Greek letter as
    its math symbol (``α`` as ``$\alpha$``), any other as its code point (``[U+6F22]``);
    Latin letters with accents (below U+0180) are set by LaTeX's own UTF-8 input
    (:func:`_settable`).

    >>> _unicode_text("α"), _unicode_text("Ω"), _unicode_text("漢")
    ('$\\alpha$', '$\\Omega$', '[U+6F22]')
    """
    import unicodedata
    name = unicodedata.name(ch, "")
    for case, head in ((str.lower, "GREEK SMALL LETTER "), (str.capitalize, "GREEK CAPITAL LETTER ")):
        if name.startswith(head) and name[len(head):].isalpha():
            letter = case(name[len(head):].lower())
            if letter.lower() in _GREEK and (case is str.lower or letter in _GREEK_CAPITALS):
                return rf"${chr(92)}{letter.replace('amda', 'ambda')}$"    # Unicode's LAMDA
    return f"[U+{ord(ch):04X}]"


_GREEK = frozenset("alpha beta gamma delta epsilon zeta eta theta iota kappa lamda mu nu xi pi "
                   "rho sigma tau upsilon phi chi psi omega".split())
_GREEK_CAPITALS = frozenset("Gamma Delta Theta Lamda Xi Pi Sigma Upsilon Phi Psi Omega".split())


_ESCAPES = str.maketrans({
    "\\": r"\textbackslash{}", "$": r"\$", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#",
    "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}"})


def _split_args(s: str) -> list[str]:
    """The arguments of a call, split at its top-level commas."""
    args, depth, start = [], 0, 0
    for n, ch in enumerate(s):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            args.append(s[start:n].strip())
            start = n + 1
    return [*args, s[start:].strip()]


def _is_word(tok: str) -> bool:
    core = tok.strip(",.;:()'\"")
    if core.lower() in _SHORT_WORDS:
        return True
    if not core or core in ("itilde", "khat"):      # symconv's names: math
        return False
    if re.fullmatch(r"(?:[A-Z][a-z]+){2,}(?:'s)?|[A-Z]{2,}(?:'s)?", tok.strip(",.;:()\"")):
        return True         # PyTorch's, TensorFlow, TF, ONNX: a name, not a product of letters
    if core.lower() in _MATHWORDS:      # "the floor" is a word, "floor(X/s)" and "X mod s" math
        return core.lower() in ("floor", "ceil", "ceiling") and "(" not in tok
    # words of three letters or more, joined by ' _ or a hyphen (unit-stride: not a minus)
    return bool(re.fullmatch(r"[A-Za-z][a-z]{2,}(['_-][a-z]+)*", core)) or \
        bool(re.fullmatch(r"[A-Za-z]+[a-z]*(?:_[a-z]{2,})+", core))


def prose(s: str) -> str:
    r"""A justification written in ASCII as words and math: words as text, formulas as math.

    >>> prose("s floor(X/s) + (X mod s) = X")
    '$s \\lfloor X/s \\rfloor + (X \\bmod s) = X$'
    >>> prose("the direct convolution is valid")
    'the direct convolution is valid'
    >>> prose("the unit-stride conv over i - k + 1 units")
    'the unit-stride conv over $i - k + 1$ units'
    """
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            joined = " ".join(run)
            lead = joined[: len(joined) - len(joined.lstrip("("))]
            trail_m = re.search(r"[,;:.]*$", joined)
            trail = trail_m.group(0) if trail_m else ""
            core = joined[len(lead): len(joined) - len(trail)] if trail else joined[len(lead):]
            # a parenthesis opened before the math and closed at its end stays text
            if lead and core.endswith(")") and core.count(")") > core.count("("):
                core, trail = core[:-1], ")" + trail
            elif lead:
                core, lead = lead + core, ""
            out.append(f"{lead}${_ascii_math(core)}${trail}")
            run.clear()

    toks = s.split()
    for n, tok in enumerate(toks):
        # "a" between words is the article ("o' is a size"), elsewhere output_padding
        article = tok == "a" and 0 < n < len(toks) - 1 and _is_word(toks[n - 1]) and \
            _is_word(toks[n + 1]) and toks[n + 1].lower() not in _SHORT_WORDS
        if article or _is_word(tok):
            flush()
            out.append(text(tok))
        else:
            run.append(tok)
    flush()
    return " ".join(out)


# --- derivations and proofs ------------------------------------------------------------

_RULE_WORDS = {"start": "we start from", "definition": "by definition", "setting":
               "by the setting", "hypothesis": "by the hypothesis", "algebra": "by algebra",
               "division identity": "by the division identity", "ceiling identity":
               "by the ceiling identity", "floor bounds": "by the bounds of the floor",
               "last term": "splitting off the last term"}


def _why(rule: str, note: str) -> str:
    words = _RULE_WORDS.get(rule, text(rule))
    sep = " " if rule == "start" else ", "
    return words + (sep + prose(note) if note else "")


def derivation(proof: Any, *, width: str | float = "column", env: str = "align*",
               proof_env: bool = False, notation: Notation | str | Mapping[str, str] | None = None,
               ) -> str:
    r"""A :class:`~symconv.proofs.Proof` as a paper typesets it.

    ``env`` is ``"align*"`` (default), ``"align"`` (the last line of each step
    tagged ``\tag{S.n}``-style by a label ``eq:symconv-NAME-n``) or ``"equation"``
    (one numbered equation, a ``split`` with the justifications as ``\text``);
    ``proof_env=True`` wraps it in amsthm's ``proof`` environment.

    >>> from symconv.proofs import prove
    >>> tex = derivation(prove("round_trip"))
    >>> r"by the division identity, $s \lfloor X/s \rfloor + (X \bmod s) = X$" in tex
    True
    """
    if env not in ("align*", "align", "equation"):
        raise UsageError(f"env must be align*, align or equation, got {env!r}")
    pr = _printer(notation)
    budget = line_budget(width)
    out: list[str] = []
    if proof.hypotheses:
        rows_h = []
        for h, why in proof.hypotheses:
            rows_h.append(condition_latex(h, pr) + r"\\" + "\n" + rf"\text{{({prose(why)})}}")
        out.append(r"\noindent Assume\begin{gather*}" + "\n" + "\\\\\n".join(rows_h)
                   + "\n\\end{gather*}")
    if proof.steps:
        rows: list[str] = []
        for n, st in enumerate(proof.steps):
            why = _why(st.rule, st.note)
            nt = Notation.parse(notation)
            lines = break_lines(st.expr, pr, budget)
            step_rows = [("& " if n == 0 else "&= ") + fit(lines[0], budget, nt)]
            step_rows += [rf"&\quad {fit(line, budget, nt)}" for line in lines[1:]]
            if env == "equation":       # split has no \intertext: a paragraph box
                box = rf"\parbox[t]{{{budget:.0f}pt}}{{\raggedright "
                rows.append(rf"&{box}{why}}}" if n == 0 else rf"&\quad{box}{why}:}}")
                rows += step_rows
                continue
            if env == "align":
                step_rows = [r + r" \notag" for r in step_rows[:-1]] + \
                    [step_rows[-1] + rf" \label{{{label(proof.name)}-{n + 1}}}"]
            intro = (why[0].upper() + why[1:] + ":") if n == 0 else why + ":"
            rows.append(rf"\intertext{{{intro}}}")
            rows += step_rows
        if env == "equation":
            body = ("\\begin{equation}" + rf"\label{{{label(proof.name)}}}" + "\n\\begin{split}\n"
                    + "\\\\\n".join(rows) + "\n\\end{split}\n\\end{equation}")
        else:
            # intertext cannot open an alignment: the first justification is a sentence before it
            first = rows.pop(0)[len(r"\intertext{"):-1]
            out.append(r"\noindent " + first)
            body = f"\\begin{{{env}}}\n" + _join_rows(rows) + f"\n\\end{{{env}}}"
        out.append(body)
    for case in proof.cases:
        out.append(rf"\par\noindent\emph{{{text(case.title)}.}}")
        out.append(derivation(case, width=width, env=env, notation=notation))
    if proof.conclusion and proof_env:
        out.append("Therefore " + prose(proof.conclusion) + ".")
    tex = "\n".join(out)
    return f"\\begin{{proof}}\n{tex}\n\\end{{proof}}" if proof_env else tex


def _join_rows(rows: list[str]) -> str:
    """Rows joined by ``\\\\``; an ``\\intertext`` follows a ``\\\\`` and has none of its own."""
    out = ""
    for r in rows:
        if out and not out.endswith("}\n"):
            out += "\\\\\n"
        out += r + ("\n" if r.startswith(r"\intertext") else "")
    return out


# --- tables -----------------------------------------------------------------------------

TABLE_ROWS = 36
"""Rows one table float holds (a float does not break across pages: a two-column or a
one-column page holds about 40 rows of a booktabs table with its caption)."""


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str, label_: str,
          align: str | None = None, wide: bool = False, math_columns: Sequence[int] = (),
          star: bool = False) -> str:
    r"""A ``booktabs`` table from plain rows (cells are escaped text unless in ``math_columns``).

    ``wide=True`` uses ``tabularx`` (the last ``X`` column wraps) at ``\linewidth``;
    otherwise the tabular is scaled down to ``\linewidth`` when wider
    (``\resizebox``, from graphicx). ``star`` makes a ``table*`` spanning both columns.

    >>> print(table(["a", "b"], [[1, 2]], caption="Two.", label_="tab:two"))
    \begin{table}[tbp]
    \centering
    \caption{Two.}\label{tab:two}
    \resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%
    \begin{tabular}{@{}rr@{}}
    \toprule
    a & b \\
    \midrule
    1 & 2 \\
    \bottomrule
    \end{tabular}}
    \end{table}
    """
    cols = align or "".join("r" if all(isinstance(r[n], int) for r in rows) else "l"
                            for n in range(len(header)))

    def cell(n: int, v: Any) -> str:
        if v is None:
            return "--"
        return f"${v}$" if n in math_columns else text(str(v))

    body = [r"\toprule", " & ".join(text(h) for h in header) + r" \\", r"\midrule"]
    body += [" & ".join(cell(n, v) for n, v in enumerate(r)) + r" \\" for r in rows]
    body.append(r"\bottomrule")
    if wide:
        tab = ("\\begin{tabularx}{\\linewidth}{@{}" + cols + "@{}}\n" + "\n".join(body) +
               "\n\\end{tabularx}")
        return floating(tab, caption=caption, label_=label_, star=star, fit=False)
    return floating("\\begin{tabular}{@{}" + cols + "@{}}\n" + "\n".join(body) + "\n\\end{tabular}",
                    caption=caption, label_=label_, star=star)


def floating(tabular: str, *, caption: str, label_: str, star: bool = False,
             fit: bool = True) -> str:
    r"""A tabular as a float with its caption and label, scaled down to ``\linewidth`` when
    wider (``fit``; ``\resizebox``, from graphicx); ``star``: a ``table*`` spanning both
    columns.  A label ending in ``-`` is completed from the table's content (six hex
    digits of its SHA-1), so two different tables in one paper never share a label.

    >>> print(floating(r"\begin{tabular}{r}1\end{tabular}", caption="One.", label_="tab:one"))
    \begin{table}[tbp]
    \centering
    \caption{One.}\label{tab:one}
    \resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%
    \begin{tabular}{r}1\end{tabular}}
    \end{table}
    """
    if label_.endswith("-"):
        label_ += hashlib.sha1(f"{caption}\n{tabular}".encode()).hexdigest()[:6]
    envname = "table*" if star else "table"
    lines = tabular.splitlines()
    rules = [n for n, ln in enumerate(lines) if ln.strip() in (r"\midrule", r"\bottomrule")]
    end = rules[-2] if len(rules) > 2 else rules[-1] if rules else 0
    if len(rules) >= 2 and end - rules[0] - 1 > TABLE_ROWS:
        # a float never breaks across pages: more rows than a page holds are several
        # tables, the first captioned and labelled, the others "(continued)", each with
        # the header; a total row after the last \midrule stays with the last table
        head = lines[:rules[0] + 1]
        body, foot = lines[rules[0] + 1:end], lines[end:]
        parts = [body[n:n + TABLE_ROWS] for n in range(0, len(body), TABLE_ROWS)]
        return "\n".join(
            floating("\n".join(head + part + (foot if n == len(parts) - 1 else
                                              [r"\bottomrule", lines[-1]])),
                     caption=caption if n == 0 else caption.rstrip(".") + " (continued).",
                     label_=label_ if n == 0 else "", star=star, fit=fit)
            for n, part in enumerate(parts))
    if fit:
        tabular = (r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%" + "\n"
                   + tabular + "}")
    labelled = rf"\label{{{label_}}}" if label_ else ""
    return (f"\\begin{{{envname}}}[tbp]\n\\centering\n\\caption{{{caption}}}{labelled}\n"
            f"{tabular}\n\\end{{{envname}}}")


def relation_table(names: Sequence[str] | None = None, *,
                   notation: Notation | str | Mapping[str, str] | None = None,
                   per_table: int = 10) -> str:
    r"""The relations as ``booktabs`` tables spanning both columns: name, equation, what it
    states; ``per_table`` rows each (a float cannot break across pages)."""
    from .relations import RELATIONS
    pr = _printer(notation)
    rels = [relation(n) for n in (names or list(RELATIONS))]
    fit = r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}"
    rows = [[rf"\texttt{{{text(r.name)}}}", f"{fit}{{${pr.doprint(r.equation)}$}}",
             text(r.title).replace("/", r"/\allowbreak{}")] for r in rels]
    out = []
    for start in range(0, len(rows), per_table):
        tab = ["\\begin{tabularx}{\\linewidth}{@{}l>{\\hsize=1.3\\hsize\\raggedright"
               "\\arraybackslash}X>{\\hsize=.7\\hsize\\raggedright\\arraybackslash}X@{}}",
               r"\toprule",
               r"relation & equation & states \\", r"\midrule"]
        tab += [" & ".join(r) + r" \\" for r in rows[start:start + per_table]]
        tab += [r"\bottomrule", r"\end{tabularx}"]
        caption = ("The relations of convolution arithmetic.}\\label{tab:symconv-relations}"
                   if start == 0 else "The relations of convolution arithmetic (continued).}")
        out.append("\\begin{table*}[tbp]\n\\centering\n\\caption{" + caption + "\n"
                   + "\n".join(tab) + "\n\\end{table*}")
    return "\n".join(out)


def network_table(rows: Sequence[Mapping[str, Any]], *, caption: str = "Per-layer shapes.",
                  label_: str = "tab:symconv-network-") -> str:
    r"""A network's per-layer table from plain rows (``index layer in out params macs``).

    The rows are plain mappings (``Chain.table_json(i)["layers"]`` gives them), so any
    source of per-node shapes plugs in; a total row sums params and MACs.

    >>> print(network_table([{"index": 1, "layer": "conv k=3", "in": 8, "out": 6,
    ...                       "params": 10, "macs": 360}]).splitlines()[8])
    1 & conv k=3 & $8$ & $6$ & 10 & 360 \\
    """
    header = ["#", "layer", "in", "out", "params", "MACs"]

    def size(v: Any) -> Any:        # a per-axis size as the text table writes it, 224 x 160
        return r" \times ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
    body = [[r.get("index"), r.get("layer"), size(r.get("in")), size(r.get("out")),
             r.get("params"), r.get("macs")] for r in rows]
    tex = table(header, body, caption=caption, label_=label_, align="rlrrrr",
                math_columns=(2, 3))
    if rows:
        # a row's unknown count (None) leaves the total unknown, as the text table's "-"
        params, macs = totals((r.get("params"), r.get("macs")) for r in rows)
        total = (r"\midrule" + "\n" + " & ".join(
            ["", "total", "", "", "--" if params is None else str(params),
             "--" if macs is None else str(macs)]) + r" \\" + "\n" + r"\bottomrule")
        head, _, tail = tex.rpartition(r"\bottomrule")        # the last table's end
        tex = head + total + tail
    return tex


def design_table(space: Any, limit: int = 20, *, caption: str | None = None,
                 label_: str = "tab:symconv-design-", prefer: Sequence[str] = ()) -> str:
    r"""A design space (``solve(..., "k,s,p")``) as a ``booktabs`` table of its first rows.

    One column per unknown and one saying which frameworks accept the combination,
    ranked by ``prefer`` as :meth:`DesignSpace.combos`; the caption says how many of
    how many are shown.

    >>> import symconv as sc
    >>> tex = design_table(sc.solve("conv", "k,s,p", i=224, o=112, bounds={"k": 3, "p": 1}))
    >>> print("\n".join(tex.splitlines()[2:3] + tex.splitlines()[5:9]))
    \caption{Combinations of $k, s, p$ (3 of 3).}\label{tab:symconv-design-9ce758}
    \toprule
    $k$ & $s$ & $p$ & frameworks \\
    \midrule
    1 & 2 & 0 & torch, keras, onnx \\
    """
    data = space.to_dict(limit, list(prefer))
    combos = data.get("combos") or []
    names = list(data.get("unknowns") or (combos[0].keys() if combos else []))
    names = [n for n in names if n != "frameworks"]
    pr = _printer(None)

    def name_tex(n: str) -> str:        # k, or a chain's k2 as k_{2}
        layer = re.fullmatch(r"(.+?)(\d+)", n)
        if n in SYMBOLS:
            return str(pr.doprint(SYMBOLS[n]))
        if layer and layer.group(1) in SYMBOLS:
            return f"{pr.doprint(SYMBOLS[layer.group(1)])}_{{{layer.group(2)}}}"
        return rf"\text{{{text(n)}}}"
    heads = [f"${name_tex(n)}$" for n in names]
    rows = []
    for c in combos:
        ok = ", ".join(f for f, v in (c.get("frameworks") or {}).items() if v)
        rows.append(" & ".join(text(str(c.get(n))) for n in names) + f" & {text(ok) or '--'}"
                    + r" \\")
    count = data.get("count", len(combos))
    cap = caption or (f"Combinations of ${', '.join(name_tex(n) for n in names)}$ "
                      f"({len(combos)} of {'infinitely many' if count is None else count}).")
    body = [r"\toprule", " & ".join([*heads, "frameworks"]) + r" \\", r"\midrule", *rows,
            r"\bottomrule"]
    if not combos:
        body[3:3] = [rf"\multicolumn{{{len(heads) + 1}}}{{@{{}}l}}{{none}} \\"]
    return floating("\\begin{tabular}{@{}" + "r" * len(heads) + "l@{}}\n" + "\n".join(body)
                    + "\n\\end{tabular}", caption=cap, label_=label_)


# --- answers -------------------------------------------------------------------------------

def solution(sol: Any, *, numbered: bool = False, width: str | float = "column") -> str:
    r"""A :class:`~symconv.solving.Solution` as a display: the answer, its conditions below.

    Where the answer's one line would not fit ``width`` (a 3.3 in column by default) it
    is set over several rows: a range's bounds each on a row (``p \geq a`` for each part
    of a lower bound ``\lceil \max(a, b) \rceil``, the same statement for an integer
    ``p``), a sum broken between its terms, a listed set with its runs shortened
    (``3, 4, \ldots, 42``) and wrapped.

    >>> import symconv as sc
    >>> tex = solution(sc.solve("conv", "p", o=sc.i, s=1))
    >>> print(tex)      # doctest: +ELLIPSIS
    \begin{equation*}
    \begin{split}
    p &= \frac{d \left(k - 1\right)}{2}\\
    &\quad \text{if } 2 \mid d \left(k - 1\right)
    \end{split}
    \end{equation*}
    \noindent Note: when $d (k - 1)$ is odd no symmetric padding exists: ...
    >>> print(solution(sc.solve("conv", "p", o=sc.i)))
    \begin{equation*}
    \begin{split}
    p &\geq 0\\
    p &\geq \frac{- i + i s + d k - d - s + 1}{2}\\
    p &\leq \frac{- i + i s + d k - d}{2}
    \end{split}
    \end{equation*}
    """
    if isinstance(sol, AxisSolutions):  # per axis: each display named by its axis
        return "\n".join(f"\\noindent Axis {n}:\n" + solution(one, numbered=numbered, width=width)
                         for n, one in enumerate(sol))
    budget = line_budget(width)
    tex = sol.latex()
    main, _, cond = tex.partition(r" \quad \text{if } ")
    m = re.match(r"^(.*?) (=|\\in|\\geq|\\leq) (.*)$", main)
    rows = [f"{m.group(1)} &{m.group(2)} {m.group(3)}" if m else f"& {main}"]
    if width_pt(main) > budget:
        rows = answer_rows(sol, budget)
    if cond:
        rows += ["&\\quad " + fit(r"\text{if } " + c, budget) for c in cond.split(r" \wedge ")]
    after = ""
    if sol.kind == "empty":
        rows = [r"&\text{no integer } " + SymconvLatexPrinter().doprint(sol.unknown)]
    if sol.defaults:    # the values it took, stated as a relation states its settings
        printer = SymconvLatexPrinter()
        rows.append("&\\quad " + fit(r"\text{with } " + r",\ ".join(
            f"{printer.doprint(SYMBOLS[name])} = {value}" for name, value in sol.defaults.items()
            if name in SYMBOLS), budget))
    if sol.reason:
        after = "\n\\noindent Why: " + prose(sol.reason) + "."
    for part in sol.note.split("; ") if sol.note else ():
        # what it assumed, or a case it leaves out, as the text answer says it
        after += "\n\\noindent Note: " + (text(part) if SAME_ON_EVERY_AXIS in part
                                             else prose(part)) + "."
    env = "equation" if numbered else "equation*"
    return f"\\begin{{{env}}}\n\\begin{{split}}\n" + "\\\\\n".join(rows) + \
        f"\n\\end{{split}}\n\\end{{{env}}}" + after


def values_equation(values: Mapping[str, Any]) -> str:
    r"""Named integer values as one display: ``p_{l} = 1,\quad p_{r} = 2,\quad o = 113``.

    >>> values_equation({"p_l": 1, "p_r": 2, "o": 113})
    '\\begin{equation*}\np_{l} = 1,\\quad p_{r} = 2,\\quad o = 113\n\\end{equation*}'
    """
    pr = _printer(None)
    parts = [f"{pr.doprint(SYMBOLS[name])} = {pr.doprint(sympy.Integer(int(v)))}"
             for name, v in values.items() if v is not None and name in SYMBOLS]
    return "\\begin{equation*}\n" + r",\quad ".join(parts) + "\n\\end{equation*}"


def verdict_latex(verdict: Any, *, width: str | float = "column") -> str:
    r"""A checked claim as a display (and its proof, or its counterexample, after it)."""
    pr = _printer(None)
    rel = {"=": "=", "<=": r"\leq", ">=": r"\geq", "<": "<", ">": ">", "!=": r"\neq"}
    budget = line_budget(width)
    lines = break_lines(verdict.lhs, pr, budget)
    rhs = break_lines(verdict.rhs, pr, budget)
    sign = rel[verdict.relation]
    rows = [rf"&{line}" for line in lines[:-1]]
    left = 0.0      # the aligned left column: every row's right part starts after it
    if len(lines) == 1 and width_pt(f"{lines[0]} {sign} {rhs[0]}") <= budget:
        rows.append(rf"{lines[0]} &{sign} {rhs[0]}")
        left = width_pt(lines[0])
    else:       # the right side on its own row, under the left
        rows.append(rf"&{lines[-1]}" if len(lines) == 1 else rf"&\quad {lines[-1]}")
        rows.append(rf"&{sign} {rhs[0]}")
    right = budget + INDENT_PT - left - 24.0       # after the left column and a \quad
    rows += [rf"&\quad {line}" for line in rhs[1:]]
    for c in verdict.conditions:
        rows.append(r"&\quad " + fit(r"\text{for } " + condition_latex(c, pr), right))
    if verdict.settings:    # proven with them (d = 1): without them it can be false
        rows.append(r"&\quad " + fit(r"\text{for } " + r",\ ".join(
            f"{pr.doprint(SYMBOLS[n])} = {v}" for n, v in verdict.settings), right))
    head = {True: r"\text{holds}", False: r"\text{false}", None: r"\text{undecided}"}[verdict.holds]
    rows.append(rf"&\quad {head}")
    if verdict.holds is False and verdict.counterexample:
        line = r"\text{counterexample: }"
        for n, (name, v) in enumerate(verdict.counterexample.items()):
            piece = f"{name} = {v}" + (r",\ " if n < len(verdict.counterexample) - 1 else "")
            if width_pt(line + piece) > right:     # wrapped between values
                rows.append(rf"&\quad {line}")
                line = r"\quad "
            line += piece
        rows.append(rf"&\quad {line}")
    out = "\\begin{equation*}\n\\begin{split}\n" + "\\\\\n".join(rows) + \
        "\n\\end{split}\n\\end{equation*}"
    if verdict.proof is not None:
        out += "\n" + derivation(verdict.proof, width=width, proof_env=True)
    return out
