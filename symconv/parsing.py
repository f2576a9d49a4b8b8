r"""LaTeX in, through latex2sympy2_extended, wrapped so that its quirks do not reach users.

LaTeX is read by ``latex2sympy2_extended`` (the maintained latex2sympy2 line,
ANTLR runtime 4.9.3-4.13.2, so symconv installs beside Hydra/omegaconf), called
with its rewriting switched off: no LaTeX normalisation, no mixed fractions
(``2\frac{1}{2}`` is a product, not 5/2), no lower-casing of symbols, ``=``
never read as an assignment.  Like latex2sympy2 1.9.1 (the reference the
parse tests pin) it returns only the right side of
``o = ...``, silently drops a prime (``i'`` reads as ``i``), does not know
``\bmod``, fails on ``d \left(k - 1\right)``, and gives symbols without
assumptions.  :func:`parse_latex` therefore:

1. rewrites ``\bmod``/``\pmod`` to ``\mod`` and ``\left( \right)`` to plain
   parentheses, and replaces the canonical spellings with primes, tildes and
   hats (``i'``, ``i^{\prime}``, ``\tilde{i}'``, ``\hat{k}``) by placeholder
   symbols before latex2sympy2 sees them;
2. splits the text at its one top-level relation sign (``=``, ``\leq``, ...)
   and parses each side separately;
3. maps every symbol onto the canonical one by name (with its integer
   assumptions) and refuses anything else: unknown symbols, floats that are not
   exact, roots, integrals.

The parser builds sympy objects from its ANTLR parse tree; symconv never
passes it ``variable_values`` (the one path where it calls ``parse_expr``).
It is imported only here, when LaTeX is read.

>>> parse_latex(r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1")
Eq(o, floor((i - k + 2*p)/s) + 1)
>>> parse_latex(r"o' = s(\tilde{i}' - 1) + a + k - 2p").rhs.free_symbols == {
...     sympy.Symbol("s", integer=True, positive=True), SYMBOLS["itilde'"], SYMBOLS["a"],
...     SYMBOLS["k"], SYMBOLS["p"]}
True
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from importlib import metadata
from typing import Any

import sympy

from ._evaluating import evaluated
from ._gate import rebuild, short
from ._values import note_divisor, refuse_grouped_digits, split_top
from .errors import ParseError, UnknownNameError, UsageError
from .symbols import ALIASES, SYMBOLS, canonical

__all__ = ["parse_latex", "MAX_LATEX_LENGTH", "MAX_LATEX_DEPTH"]

MAX_LATEX_LENGTH = 2000
#: deepest nesting of ( [ { \lfloor \lceil read: latex2sympy2_extended's ANTLR parser takes
#: about a quarter of a second per level, so deeper text is refused before it is parsed
MAX_LATEX_DEPTH = 8
_OPEN = re.compile(r"\\l(?:floor|ceil)(?![A-Za-z])|\\\{|[(\[{]")
_CLOSE = re.compile(r"\\r(?:floor|ceil)(?![A-Za-z])|\\\}|[)\]}]")


def _depth(text: str) -> int:
    depth = deepest = 0
    for m in re.finditer(f"{_OPEN.pattern}|{_CLOSE.pattern}", text):
        depth += 1 if _OPEN.fullmatch(m.group()) else -1
        deepest = max(deepest, depth)
    return deepest

# canonical spellings that latex2sympy2 cannot read, most specific first
_SPELLINGS: list[tuple[str, str]] = [
    (r"\\tilde\s*\{\s*i\s*\}\s*(?:'(?!')|\^\s*(?:\{\s*\\prime\s*\}|\\prime(?![A-Za-z])))",
     "itilde'"),
    (r"\\hat\s*\{\s*k\s*\}", "khat"),
    (r"(?<![A-Za-z\\])([iokspa])\s*(?:'|\^\s*\{\s*\\prime\s*\}|\^\s*\\prime)", r"\1'"),
]
_REL = re.compile(r"(?:\\leq?|\\geq?|\\neq?)(?![A-Za-z])|<=|>=|!=|=|<|>")
_REL_OF = {r"\le": sympy.Le, r"\leq": sympy.Le, r"\ge": sympy.Ge, r"\geq": sympy.Ge,
           r"\neq": sympy.Ne, r"\ne": sympy.Ne, "<=": sympy.Le, ">=": sympy.Ge, "!=": sympy.Ne,
           "=": sympy.Eq, "<": sympy.Lt, ">": sympy.Gt}
_ALLOWED = (sympy.Add, sympy.Mul, sympy.Pow, sympy.floor, sympy.ceiling, sympy.Mod, sympy.Max,
            sympy.Min, sympy.Abs, sympy.Symbol, sympy.Rational)


def _placeholders(text: str) -> tuple[str, dict[str, str]]:
    names: dict[str, str] = {}

    def sub(name: str) -> str:
        for key, val in names.items():
            if val == name:
                return f"Q_{{{key[2:]}}}"
        key = f"Q_{len(names) + 1}"
        names[key] = name
        return f"Q_{{{key[2:]}}}"

    def replace(m: re.Match[str], target: str) -> str:
        return " " + sub(m.expand(target) if "\\1" in target else target) + " "

    for pattern, target in _SPELLINGS:
        text = re.sub(pattern, functools.partial(replace, target=target), text)
    # latex2sympy2 reads d followed by a letter or "(" as a differential: the dilation d
    # becomes a placeholder too (outside command names such as \cdot or \frac)
    out, pos = [], 0
    while pos < len(text):
        m = re.match(r"\\[A-Za-z]+", text[pos:])
        if m:
            out.append(m.group())
            pos += m.end()
        elif text[pos] == "d":
            out.append(" " + sub("d") + " ")
            pos += 1
        else:
            out.append(text[pos])
            pos += 1
    return "".join(out), names


def _split_relation(text: str) -> tuple[list[str], list[str]]:
    """Split at relation signs outside braces and parentheses (not inside ``\\left<``)."""
    return split_top(text, _REL)


def _error_position(exc: Exception) -> str:
    lines = str(exc).splitlines()
    caret = next((ln for ln in lines if ln.rstrip().endswith("^")), None)
    if caret is not None:
        return f" at position {len(caret.rstrip())}"
    return ""


_SLANTED = re.compile(r"\\(le|ge)q(?:slant|q)(?![A-Za-z])")
_STRICT = re.compile(r"\\([lg])t(?![A-Za-z])")


def slanted(text: str) -> str:
    r"""``\leqslant``, ``\geqslant``, ``\leqq``, ``\geqq`` (amssymb's signs) as ``\leq``,
    ``\geq``, and MathJax's ``\lt``, ``\gt`` as ``<``, ``>``: the same relations, written
    as papers and web pages do.

    >>> slanted(r"o \geqslant 1"), slanted(r"o \lt i")
    ('o \\geq 1', 'o < i')
    """
    return _STRICT.sub(lambda m: "<" if m.group(1) == "l" else ">",
                       _SLANTED.sub(r"\\\1q", text))


#: the commands the reader takes, each read whole: any other is refused, never read as one
#: of these followed by letters (latex2sympy2 reads \cdotp as \cdot p, \approx as a and
#: "pprox", \neg as \ne g)
_COMMANDS = frozenset("""
    frac dfrac tfrac cfrac cdot times div left right big Big bigg Bigg bigl bigr Bigl Bigr
    biggl biggr Biggl Biggr lfloor rfloor lceil rceil lvert rvert vert max min le leq ge geq
    ne neq bmod pmod mod equiv nmid mid over atop above choose brack brace quad qquad
    thinspace medspace thickspace enspace displaystyle textstyle hat tilde prime mathrm
    mathit mathsf mathbf mathnormal operatorname text textrm begin end
    sqrt int sum prod log ln exp sin cos tan pi infty""".split())
"""(The last row is read whole and then refused by what it is: a root, an integral.)"""
_SPACING = re.compile(r"(?<!\\)\\[,;!: ]|\\(?:quad|qquad|thinspace|medspace|thickspace|"
                      r"enspace|displaystyle|textstyle)(?![A-Za-z])|(?<!\\)~")
_VALUE_COMMAND = re.compile(r"\\(?:[dtc]?frac|hat|tilde|max|min|sqrt|mathrm|mathit|mathsf|mathbf|"
                            r"mathnormal)(?![A-Za-z])")
_ARGUMENT_COMMAND = re.compile(r"\\(?:[dtc]?frac\s*\{[^{}]*\}\s*|(?:hat|tilde|sqrt|mathrm|mathit|"
                               r"mathsf|mathbf|mathnormal|text|textrm|operatorname)\s*)"
                               r"\{[^{}]*\}")


def _shape(spaced: str) -> str:
    r"""The text's grouping as TeX shows it, for the checks of :func:`_refuse_misreadings`:
    sizing commands gone; floors, ceilings and ``|...|`` as brackets; a command's own
    arguments (``\frac{1}{2}``, ``\hat{k}``) as one atom ``A``; a brace group or a bracket
    of a number alone as the number (``1\,{000}`` is set as ``1 000``); ``\prime`` as ``'``.

    >>> _shape(r"\frac{1}{2} + \left\lfloor i \right\rfloor + {1} 000")
    ' A  +  ( i  )  +  1  000'
    """
    out = re.sub(r"\\(?:left|right|[bB]igg?[lr]?)(?![A-Za-z])\s*", "", spaced)
    out = _ARGUMENT_COMMAND.sub(" A ", out)
    out = re.sub(r"\\l(?:floor|ceil|vert)(?![A-Za-z])", " ( ", out)
    out = re.sub(r"\\r(?:floor|ceil|vert)(?![A-Za-z])", " ) ", out)
    out = re.sub(r"\\prime(?![A-Za-z])", "'", out)
    bars, opening = [], True
    for n, ch in enumerate(out):          # |x| as a bracket, in pairs
        if ch == "|" and (n == 0 or out[n - 1] != "\\"):
            bars.append(" ( " if opening else " ) ")
            opening = not opening
        else:
            bars.append(ch)
    out = "".join(bars)
    while (grouped := re.sub(r"[{(]\s*(\d+)\s*[})]", r" \1 ", out)) != out:
        out = grouped
    return out


def _operand_end(s: str, n: int) -> int | None:
    """The end of the operand starting at ``s[n]`` (spaces skipped) and its power: a
    number, a letter (primed), a bracket or brace group, or a command's atom; None when
    something else starts there."""
    while n < len(s) and s[n] == " ":
        n += 1
    if n >= len(s):
        return None
    if s[n] in "({":
        n = _closing(s, n)
        if n < 0:
            return None
        n += 1
    elif s[n].isdigit():
        while n < len(s) and s[n].isdigit():
            n += 1
    elif s[n].isalpha():
        n += 1
        while n < len(s) and s[n] == "'":
            n += 1
    else:
        return None
    rest = s[n:].lstrip(" ")
    if rest.startswith("^"):
        return _operand_end(s, len(s) - len(rest) + 1)
    return n


_MISREADINGS: list[tuple[re.Pattern[str], bool, Callable[[re.Match[str]], str]]] = [
    # (the pattern, whether it is looked for in the grouping as TeX shows it, why)
    (re.compile(r"(\d+)\s+(\d+)"), True, lambda m: (
        f"has two numbers side by side ({m[1]} {m[2]}): a thousands separator is not read; "
        f"write the number whole ({m[1]}{m[2]}), or \\cdot between them")),
    (re.compile(r"(?<![A-Za-z])\d+(?:\.\d*)?[eE][-+]?\d+"), False, lambda m: (
        f"writes {m[0]}, a number in floating-point notation: not read (sizes are whole "
        "numbers; write them out)")),
    (re.compile(r"\\(max|min)(?!\s*[(\\])"), False, lambda m: (
        f"\\{m[1]} takes its arguments in brackets: write \\{m[1]}(a, b)")),
    (re.compile(r"\^\s*(\d)(\d+)"), False, lambda m: (
        f"writes ^{m[1]}{m[2]}, which TeX sets as ^{m[1]} followed by {m[2]}: write "
        f"^{{{m[1]}{m[2]}}}")),
    (re.compile(r"\^\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[^\s{\\])\s*\^"), False, lambda m: (
        f"writes a double superscript ({m[0].strip()}...), which TeX refuses ('Double "
        "superscript'): write (x^{a})^{b}, or the power whole")),
    (re.compile(r"(?<!\\)[\[\]]"), False, lambda m: (
        "uses square brackets, a floor in some papers and parentheses in others: write "
        "\\lfloor ... \\rfloor or ( ... )")),
    (re.compile(r"\d\s*_"), True, lambda m: (
        "puts a subscript on a number: not read (it would be dropped)")),
]


def _refuse_misreadings(src: str, original: str) -> None:
    r"""Refuse the LaTeX that latex2sympy2 reads one way and a reader another, before it is
    read: a command it does not know whole, numbers side by side (``1\,000``, a thousands
    separator, reads as ``1 \cdot 000 = 0``), ``2^10`` (typeset as 2¹0, read as 1024),
    square brackets (a floor in some papers, parentheses in others), a division followed
    by a product with no sign (``i/2s``), ``\bmod`` beside a sum (``i + 2p - k \bmod
    s``: binding the sum or ``k``), and digits grouped by a comma (``1,000``)."""
    refuse_grouped_digits(src, f"LaTeX {original!r}")
    for cmd in re.finditer(r"\\([A-Za-z]+|.)", src, re.S):    # \\ (a row's end) is no command
        if cmd.group(1).isalpha() and cmd.group(1) not in _COMMANDS:
            near = difflib.get_close_matches(cmd.group(1), sorted(_COMMANDS), 1, 0.75)
            raise ParseError(f"LaTeX {original!r} uses \\{cmd.group(1)}, a command symconv does "
                             "not read" + (f" (did you mean \\{near[0]}?)" if near else
                                           " (it reads \\frac, \\cdot, \\times, "
                                           "\\lfloor \\rfloor, \\lceil \\rceil, \\max, "
                                           "\\min, \\bmod)"))
    spaced = _SPACING.sub(" ", re.sub(r"\\([dtc]?frac)\s*(\d)\s*(\d)", r"\\\1{\2}{\3}", src))
    shape = _shape(spaced.replace("{,}", " "))
    for pattern, in_shape, why in _MISREADINGS:
        if (m := pattern.search(shape if in_shape else spaced)):
            raise ParseError(f"LaTeX {original!r} " + why(m))
    _refuse_ambiguous(shape, original)
    for group in _argument_groups(spaced):
        # a fraction's (a root's, ...) argument is one atom of the text's shape: what is
        # inside it is read by the same rules (\frac{-i \bmod s}{2} was read, -i \bmod s
        # refused)
        _refuse_ambiguous(_shape(group), original)


def _argument_groups(src: str) -> list[str]:
    r"""The contents of every brace group of ``src``, nested ones too, except a text's
    (``\text{...}``, ``\operatorname{...}``: words, not math)."""
    stack: list[int] = []
    out: list[str] = []
    for n, ch in enumerate(src):
        if ch in "{}" and n and src[n - 1] == "\\":
            continue        # \{ and \}: set braces, no group
        if ch == "{":
            stack.append(n)
        elif ch == "}" and stack:
            start = stack.pop()
            if not re.search(r"\\(?:text[a-z]*|mbox|operatorname|math[a-z]+|label|begin|end)"
                             r"\s*$", src[:start]):
                out.append(src[start + 1:n])
    return out


def _refuse_ambiguous(shape: str, original: str) -> None:
    """The divisions and ``\\bmod``s of one group's shape that read two ways (see
    :func:`_refuse_misreadings`)."""
    for div in re.finditer(r"/|\\div(?![A-Za-z])", shape):
        # i/2s, i/{2}s, i/(s) k, i \div 2 s, i/2^{2} s: i/(2s) to some readers, (i/2)s to
        # others; the factor after the divisor starts with a letter, a digit, a bracket or
        # a command that makes a value
        end = _operand_end(shape, div.end())
        rest = shape[end:].lstrip(" ") if end is not None else ""
        if rest and (rest[0].isalnum() or rest[0] in "({" or _VALUE_COMMAND.match(rest) or
                     rest.startswith(" A ") or rest.startswith("A ")):
            divisor = re.sub(r"\s+", "", shape[div.end():end])
            divisor = "that divisor" if "A" in divisor else divisor
            raise ParseError(f"LaTeX {original!r} divides by {divisor} and multiplies by "
                             f"{rest.split()[0][:12]!r} with no sign between: ambiguous; write "
                             f"\\frac{{...}}{{{divisor} ...}} for the divisor, or \\cdot after "
                             f"{divisor}")
    for mod in re.finditer(r"\\[bp]?mod(?![A-Za-z])", shape):
        if _binary_sign(shape, mod.start(), -1) or _binary_sign(shape, mod.end(), 1):
            raise ParseError(f"LaTeX {original!r} writes \\bmod beside a sum with no "
                             "brackets: ambiguous (the sum's last term, or the sum?); write "
                             "(a + b) \\bmod s, or a + (b \\bmod s)")
        if _binary_sign(shape, mod.start(), -1, minus=True):
            raise ParseError(f"LaTeX {original!r} writes \\bmod after a minus sign with no "
                             "brackets: ambiguous (the mod of -i, or minus the mod?); write "
                             "(-i) \\bmod s, or -(i \\bmod s)")
    toks = _TOKEN.findall(shape)
    for n, tok in enumerate(toks):
        # 2 \cdot i \bmod 4, i \bmod s \cdot k: two binary signs, read left to right by
        # latex2sympy2 ((i mod s) k) where i \bmod s k is i mod (s k); the text reader
        # refuses "2*i mod 4" alike
        if re.fullmatch(r"\\[bp]?mod", tok) and any(_product_beside(toks, n, step)
                                                      for step in (-1, 1)):
            raise ParseError(f"LaTeX {original!r} writes \\bmod beside a \\cdot (or \\times, "
                             "a division) with no brackets: ambiguous (the product's "
                             "factor, or the product?); write (2 i) \\bmod 4, or "
                             "2 (i \\bmod 4)")


_TOKEN = re.compile(r"\\[A-Za-z]+|\d+|[A-Za-z]|\S")
_OPENS, _CLOSES = "({[", ")}]"


def _product_beside(toks: list[str], n: int, step: int) -> bool:
    """Whether a product or division sign (``\\cdot``, ``\\times``, ``*``, ``/``,
    ``\\div``) stands beside ``toks[n]`` (a ``\\bmod``), going ``step``, at its bracket
    depth before a sum's sign, a relation, a comma or the bracket that ends the group:
    ``2 \\cdot i \\bmod 4`` is ``(2 i) mod 4`` or ``2 (i mod 4)``.  Juxtaposition binds
    tighter than either sign (``i \\bmod s k`` is ``i mod (s k)``), as TeX sets it."""
    depth, n = 0, n + step
    while 0 <= n < len(toks):
        tok = toks[n]
        if tok in (_OPENS if step > 0 else _CLOSES):
            depth += 1
        elif tok in (_CLOSES if step > 0 else _OPENS):
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0:
            if tok in "+-=<>,&" or re.fullmatch(r"\\(?:[lg]eq?|neq?|[lg]t|[bp]?mod)", tok):
                return False
            if tok in ("\\cdot", "\\times", "*", "/", "\\div"):
                return True
        n += step
    return False


def _binary_sign(src: str, start: int, step: int, minus: bool = False) -> bool:
    """Whether a + or - between two operands stands at the bracket depth of ``start``,
    going back (``step`` -1) or forward (1) until a bracket opens the group or closes it,
    or a relation sign, a comma or ``&`` ends the side; with ``minus``, a leading - too
    (``-i \bmod s``: the mod of -i, or minus the mod?)."""
    depth, n = 0, start + (step if step < 0 else 0)
    while 0 <= n < len(src):
        ch = src[n]
        if ch in "({[" if step < 0 else ch in ")}]":
            if depth == 0:
                return False
            depth -= 1
        elif ch in ")}]" if step < 0 else ch in "({[":
            depth += 1
        elif depth == 0 and ch in "=<>,&":
            return False
        elif depth == 0 and ch in "+-":
            if minus and ch == "-":
                return True
            before = src[:n].rstrip()
            if before and (before[-1].isalnum() or before[-1] in ")}]'|") and \
                    not re.search(r"\\[A-Za-z]+$", before):
                return True
        n += step
    return False


def _installed(distribution: str) -> str | None:
    """The installed version of ``distribution``, None where it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _latex2sympy(text: str) -> Any:
    """latex2sympy2_extended's reader with every rewriting of the input switched off."""
    # heavy (antlr): imported only when LaTeX is read
    try:
        from latex2sympy2_extended import latex2sympy
        from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    except ImportError as exc:      # the environment, not the text: say what to install
        raise UsageError(
            f"LaTeX cannot be read here: latex2sympy2_extended does not load "
            f"({' '.join(str(exc).split())}); install an ANTLR runtime it loads: "
            "pip install 'antlr4-python3-runtime==4.13.2' (or 4.9.3, beside Hydra)",
            value=_installed("antlr4-python3-runtime"),
            hint="pip install 'antlr4-python3-runtime==4.13.2'") from None
    return latex2sympy(text, normalization_config=None, conversion_config=ConversionConfig(
        interpret_as_mixed_fractions=False, interpret_simple_eq_as_assignment=False,
        interpret_contains_as_eq=False, lowercase_symbols=False))


def _parse_side(text: str, names: dict[str, str], original: str,
                pieces: dict[str, sympy.Basic]) -> sympy.Expr:
    if not text.strip():
        raise ParseError(f"cannot read LaTeX {original!r}: an empty side")
    if text.count("{") != text.count("}"):
        raise ParseError(f"cannot read LaTeX {original!r}: unbalanced braces")
    try:
        with sympy.evaluate(False):     # nothing is evaluated before the gate has sized it
            expr = _latex2sympy(text)
    except RecursionError:
        raise ParseError(f"cannot read LaTeX {original!r}: nested too deeply") from None
    except UsageError:              # the reader does not load (the environment)
        raise
    except Exception as exc:  # latex2sympy2 raises bare Exceptions with a caret picture
        raise ParseError(f"cannot read LaTeX {original!r}{_error_position(exc)}: "
                         f"{str(exc).splitlines()[0][:80]}") from None
    return _canonicalise(expr, names, original, pieces)


def _cases(src: str, original: str, pieces: dict[str, sympy.Basic]) -> str:
    r"""Replace each ``\begin{cases} v & \text{for} c \\ ... \end{cases}`` by a placeholder
    (the innermost first: a case may hold another)."""
    pattern = re.compile(r"\\begin\{cases\}((?:(?!\\begin\{cases\}).)*?)\\end\{cases\}", re.S)
    while (m := pattern.search(src)):
        args = []
        rows = [r for r in re.split(r"\\\\", m.group(1)) if r.strip()]
        for n, row in enumerate(rows):
            value, _, cond = row.partition("&")
            cond = re.sub(r"\\text\s*\{\s*(for|if|when)\s*\}", " ", cond).strip()
            otherwise = re.fullmatch(r"\\text\s*\{\s*(otherwise|else)\s*\}", cond)
            if (otherwise or not cond) and n < len(rows) - 1:
                raise ParseError(f"cannot read LaTeX {original!r}: only the last row of cases "
                                 "may be 'otherwise' (or have no condition)")
            c = sympy.true if otherwise or not cond else _parse(cond, pieces)
            v = _parse(value, pieces)
            if not isinstance(v, sympy.Expr) or not isinstance(c, (sympy.core.relational.Relational,
                                                                  sympy.logic.boolalg.Boolean)) \
                    or (c is not sympy.true and not c.free_symbols):
                raise ParseError(f"cannot read LaTeX {original!r}: each row of cases is a value "
                                 "and a condition (value & condition), the last may be "
                                 "\\text{otherwise}")
            args.append((v, c))
        if not args or args[-1][1] is not sympy.true:
            raise ParseError(f"cannot read LaTeX {original!r}: cases need a last row "
                             "\\text{otherwise}, so that every configuration has a value")
        key = f"R_{len(pieces) + 1}"
        try:
            pieces[key] = sympy.Piecewise(*args)
        except (TypeError, ValueError):
            raise ParseError(f"cannot read LaTeX {original!r}: its cases are not a value per "
                             "condition") from None
        src = src[:m.start()] + f" R_{{{key[2:]}}} " + src[m.end():]
    if "cases" in src:
        raise ParseError(f"cannot read LaTeX {original!r}: unbalanced cases environment")
    return src


_WRITTEN: ContextVar[set[str] | None] = ContextVar("symconv_latex_written", default=None)


@contextlib.contextmanager
def names_written() -> Iterator[set[str]]:
    r"""Collect the canonical names that LaTeX read inside the block writes, as written,
    before anything is simplified (``\left(2 s p \bmod 2\right)`` names ``s`` and ``p``,
    though it reads as 0): a claim's parameter is free when its text names it."""
    found: set[str] = set()
    token = _WRITTEN.set(found)
    try:
        yield found
    finally:
        _WRITTEN.reset(token)


def _closing(src: str, start: int) -> int:
    """The index of the bracket closing the one at ``start`` (-1 when unbalanced); an
    escaped brace (``\\{``) is text, not a bracket."""
    depth, n = 0, start
    while n < len(src):
        if src[n] == "\\":
            n += 2
            continue
        if src[n] in "({[":
            depth += 1
        elif src[n] in ")}]":
            depth -= 1
            if depth == 0:
                return n
        n += 1
    return -1


_BEFORE_GROUP = re.compile(r"(?:^|[=<>+\-*/(,\[]|\\(?:cdot|times|leq?|geq?|neq?|lt|gt))\s*$")


def _groups(src: str, original: str) -> str:
    r"""A brace group that is no command's argument (``o = {i - k + 1}``, ``{o} = ...``,
    ``i - {k}``: after the start, an operator or a relation) as parentheses: TeX reads
    it as a group, latex2sympy2 as a set."""
    n = 0
    while (n := src.find("{", n)) >= 0:
        if n and src[n - 1] == "\\" or not _BEFORE_GROUP.search(src[:n]):
            n += 1
            continue
        m = _closing(src, n)
        if m < 0:
            raise ParseError(f"cannot read LaTeX {original!r}: a {{ has no closing }}")
        src = src[:n] + "(" + src[n + 1:m] + ")" + src[m + 1:]
    return src


def _set_braces(src: str, original: str) -> str:
    r"""``\max\{a, b\}`` (the set notation papers use) as ``\max(a, b)``; the same for
    ``\min``, with the closing ``\}`` that matches (braces of sets nest)."""
    opening = re.compile(r"\\(max|min)\s*\\\{")
    while (m := opening.search(src)) is not None:
        depth, n = 1, m.end()
        while n < len(src) and depth:
            if src.startswith("\\{", n) or src.startswith("\\}", n):
                depth += 1 if src[n + 1] == "{" else -1
                n += 2
            else:
                n += 1
        if depth:
            raise ParseError(f"cannot read LaTeX {original!r}: \\{m.group(1)}\\{{ has no "
                             "closing \\}")
        src = src[:m.start()] + f"\\{m.group(1)}(" + src[m.end():n - 2] + ")" + src[n:]
    return src


def _extremes(src: str, original: str, pieces: dict[str, sympy.Basic]) -> str:
    r"""Replace each ``\max(...)`` / ``\min(...)`` holding another by a placeholder, the
    innermost first (latex2sympy2 reads one level only: ``\max(0, \max(i, k))``)."""
    call = re.compile(r"\\(max|min)\s*\(")
    while True:
        spans = []
        for m in call.finditer(src):
            end = _closing(src, m.end() - 1)
            if end < 0:
                raise ParseError(f"cannot read LaTeX {original!r}: unbalanced parentheses "
                                 f"after \\{m.group(1)}")
            spans.append((m.start(), m.end(), end, m.group(1)))
        nested = [sp for sp in spans if any(o is not sp and sp[0] < o[0] < sp[2] for o in spans)]
        if not nested:
            return src
        # an innermost call that holds none: its arguments read on their own
        inner = next(sp for sp in spans if not any(o is not sp and sp[0] < o[0] < sp[2]
                                                   for o in spans))
        start, body, end, which = inner
        args = [_parse(part, pieces) for part in split_top(src[body:end], re.compile(","))[0]]
        if any(not isinstance(a, sympy.Expr) for a in args):
            raise ParseError(f"LaTeX {original!r}: \\{which} takes expressions, not relations "
                             "(an argument has a relation sign)")
        key = f"R_{len(pieces) + 1}"
        pieces[key] = (sympy.Max if which == "max" else sympy.Min)(*args)
        src = src[:start] + f" R_{{{key[2:]}}} " + src[end + 1:]


def _integer_exponent(e: Any) -> bool:
    """An exponent built of integers and names by + and * (``2``, ``n``, ``-n``, ``n + 1``):
    an integer for integer values, as every canonical symbol is."""
    return bool(e.is_Integer or e.is_Symbol or (isinstance(e, (sympy.Add, sympy.Mul))
                                                and all(_integer_exponent(a) for a in e.args)))


def _canonicalise(expr: Any, names: dict[str, str], original: str,
                  pieces: dict[str, sympy.Basic] | None = None) -> sympy.Expr:
    if not isinstance(expr, sympy.Basic):
        raise ParseError(f"cannot read LaTeX {original!r}: not an expression")
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Piecewise, sympy.core.relational.Relational,
                             sympy.logic.boolalg.Boolean, sympy.Tuple)) or \
                type(node).__name__ == "ExprCondPair":
            continue
        if not isinstance(node, _ALLOWED) and not isinstance(node, sympy.core.numbers.NumberSymbol):
            if isinstance(node, sympy.core.function.AppliedUndef):
                # s(i) reads as a call; as a product it is ambiguous under a power
                # (s(i)^2 and s^2(i) read alike): refused, never guessed
                name = node.func.__name__
                raise ParseError(f"LaTeX {original!r}: {name}(...) reads as a call: write the "
                                 f"product with \\cdot ({name} \\cdot ...)")
            what = type(node).__name__
            hint = {
                # si' reads as the transpose of the matrix si; an "e" as Euler's number
                "transpose": "a prime after a run of letters (si') reads as a matrix "
                             "transpose: write s i' or s \\cdot i'",
                "exp": "a word's e reads as Euler's number: write words in \\text{...} "
                       "(k \\text{ even})",
            }.get(what, "use + - \\cdot \\frac, floors, ceilings, \\bmod")
            raise ParseError(f"LaTeX {original!r}: {what} is not convolution arithmetic "
                             f"({hint})")
        whole = {sympy.Symbol(k): v for k, v in (pieces or {}).items()}
        if isinstance(node, sympy.Pow) and not _integer_exponent(node.exp.xreplace(whole)):
            shown = node.xreplace(whole)
            raise ParseError(f"LaTeX {original!r}: the power {short(shown)} is not an integer power")
        if isinstance(node, sympy.core.numbers.NumberSymbol):
            raise ParseError(f"LaTeX {original!r}: {node} is not an integer quantity")
    # every name is checked as written, before anything is evaluated: a name that
    # cancels (i + x - x, 0 x) is still an unknown name, not dropped
    mapping: dict[Any, Any] = {}
    for sym in expr.free_symbols:
        name = str(sym.name)
        bare = name.replace("{", "").replace("}", "")       # R_{10} is the piece R_10
        if pieces and bare in pieces:
            mapping[sym] = pieces[bare]
            continue
        target = names.get(bare, bare)
        if target not in SYMBOLS and target not in ALIASES:
            # latex2sympy2 runs a styled name into its symbol's (\mathrm{in}: 'mathin'):
            # the message quotes it as written
            styled = next((m[0].strip() for m in _STYLED.finditer(original)
                           if (word := (m[1] or m[2]).strip()) and word in target), None)
            # a placeholder inside the name (k_d: 'k_Q_1') is the name it stands for
            target = re.sub(r"Q_\{?(\d+)\}?", lambda m: names.get(f"Q_{m[1]}", m[0]), target)
            shown = repr(styled) if styled else repr(target)
            raise UnknownNameError(f"LaTeX {original!r} uses {shown}, which is not a "
                                   f"canonical symbol (known: {', '.join(SYMBOLS)})")
        mapping[sym] = canonical(target)
    written = _WRITTEN.get()
    if written is not None:
        written.update(str(v) for v in mapping.values() if isinstance(v, sympy.Symbol))
    # the divisors as written (\frac{p}{p} cancels to 1 once evaluated)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_negative:
            note_divisor(node.base.xreplace(mapping))
        elif isinstance(node, sympy.Mod):
            note_divisor(node.args[1].xreplace(mapping))
    return rebuild(expr, f"LaTeX {original!r}").xreplace(mapping)


_STYLE = r"\\(?:mathrm|text|textrm|textit|mathit|mathbf|mathsf|mathtt|operatorname)"
_STYLED = re.compile(rf"[A-Za-z]\s*_\s*\{{\s*{_STYLE}\s*\{{([^{{}}]*)\}}\s*\}}"   # i_{\mathrm{in}}
                     rf"|{_STYLE}\s*\{{([^{{}}]*)\}}")                              # \mathrm{in}
"""A name set in a text style, alone or as a subscript: quoted as written when it is not
a canonical symbol (latex2sympy2 runs it into its symbol's name: ``mathin``)."""


@evaluated
def parse_latex(text: str) -> sympy.Basic:
    r"""Read LaTeX into a sympy expression or relation over the canonical symbols.

    ``o = ...`` gives ``Eq(o, ...)``; an expression without a relation sign gives
    the expression.  Errors are one-line :class:`~symconv.errors.ParseError` or
    :class:`~symconv.errors.UnknownNameError`.  latex2sympy2 (its maintained line,
    ``latex2sympy2_extended``) reads the text, after symconv's own checks.

    >>> parse_latex(r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1")
    Eq(o, floor((i - k + 2*p)/s) + 1)
    """
    if not isinstance(text, str):
        raise ParseError(f"LaTeX is a string, got {type(text).__name__}")
    named = re.search(r"\\(?:mathrm|operatorname|text|textrm|mathit|mathsf)\s*\{\s*"
                      r"(floor|ceil|ceiling|max|min|mod)\s*\}", text)
    if named:
        how = {"floor": r"\lfloor x \rfloor", "ceil": r"\lceil x \rceil",
               "ceiling": r"\lceil x \rceil", "max": r"\max(a, b)", "min": r"\min(a, b)",
               "mod": r"a \bmod b"}[named.group(1)]
        raise ParseError(f"LaTeX {text!r} writes {named.group()!r}, a name set as text: write "
                         f"{how}")
    taken = re.search(r"(?<!\\)([QR])\s*_", text)
    if taken:
        # Q_n and R_n stand for names and pieces while the text is read: never the user's
        raise UnknownNameError(f"LaTeX {text!r} uses {taken.group(1)}_..., which is not a "
                               f"canonical symbol (known: {', '.join(SYMBOLS)})")
    return _parse(text, {})


def unwrapped(src: str) -> str:
    r"""A display's math as a paper writes it: inside ``$...$``, ``$$...$$``, ``\[...\]``,
    ``\(...\)`` or an ``equation``/``align``/``gather`` environment (starred too, a
    ``split``/``aligned``/``gathered`` inside), without
    its ``\label``, its alignment ``&`` and a closing ``,`` ``.`` or ``;``; several rows
    are refused (one equation at a time).

    >>> unwrapped(r"\begin{equation*} o &= i + 1, \label{eq:o} \end{equation*}")
    'o = i + 1'
    """
    s = src.strip()
    for _ in range(4):      # \[ $...$ \] and the like, a few deep (equation around split)
        s = re.sub(r"\\label\{[^{}]*\}", "", s).strip()
        env = re.fullmatch(r"\\begin\{(equation|align|gather|multline|displaymath|math|split|"
                           r"aligned|gathered)"
                           r"(\*?)\}(.*)\\end\{\1\2\}", s, re.S)
        delimited = re.fullmatch(r"\\\[(.*)\\\]|\\\((.*)\\\)|\$\$(.*)\$\$|\$(.*)\$", s, re.S)
        if env:
            s = env.group(3).strip()
        elif delimited:
            s = next(g for g in delimited.groups() if g is not None).strip()
        else:
            break
    s = re.sub(r"\\label\{[^{}]*\}", "", s).strip()
    if "\\begin{cases}" in s:     # its rows and columns are the cases'
        return re.sub(r"\s*(?<!\\)[,.;]\s*$", "", s).strip()
    s = re.sub(r"\\\\\s*$", "", s).strip()         # a last row's \\
    if re.search(r"\\\\", s):
        raise ParseError(f"LaTeX {src.strip()[:60]!r} has several rows (\\\\): one equation "
                         "at a time")
    if len(re.findall(r"(?<!\\)&", s)) > 1:
        # o &= ... & (15): a further column is an equation number or another equation,
        # never a factor
        raise ParseError(f"LaTeX {src.strip()[:60]!r} has several alignment columns (&): "
                         "one equation, without its number, at a time")
    s = re.sub(r"(?<!\\)&", "", s)                 # align's column mark (not \&)
    if re.search(r"(?:\\q?quad|\\[,;:! ]|~)\s*\(\s*\d+\s*\)$", s.rstrip(",.; ")):
        # \qquad (15) at the end: an equation number set by hand, read as a factor
        raise ParseError(f"LaTeX {src.strip()[:60]!r} ends with a number in brackets after a "
                         "space: an equation number? Not read: drop it (a factor takes \\cdot)")
    return re.sub(r"\s*(?<!\\)[,.;]\s*$", "", s).strip()


def _parse(text: str, pieces: dict[str, sympy.Basic]) -> sympy.Basic:
    """:func:`parse_latex` with the placeholders already read (the cases and the nested
    ``\\max``/``\\min`` that hold this text), shared with the text around it."""
    if len(text) > MAX_LATEX_LENGTH:
        raise ParseError(f"LaTeX of {len(text)} characters: at most {MAX_LATEX_LENGTH}")
    src = unwrapped(slanted(text))
    if not src:
        raise ParseError("empty LaTeX")
    if (depth := _depth(src)) > MAX_LATEX_DEPTH:
        raise ParseError(f"LaTeX nested {depth} levels deep: at most {MAX_LATEX_DEPTH} "
                         "(brackets, braces, floors and ceilings; simplify the formula)")
    if "\\%" in src:
        # TeX's literal percent sign: text, not an operator (latex2sympy2 reads it as one)
        raise ParseError(f"LaTeX {text!r} writes \\%, a percent sign TeX sets as text, not "
                         "an operator: write mod as \\bmod")
    if re.search(r"(?<!\\)%", src):
        # TeX drops a comment to the end of its line; latex2sympy2 reads it as a token
        raise ParseError(f"LaTeX {text!r} has a TeX comment (% ...), which TeX drops to the "
                         "end of the line: remove it (write mod as \\bmod)")
    if re.search(r"\\equiv\b|\\pmod\b", src):
        # a congruence, a ≡ b (mod m), is not an equation: read as one it would be wrong
        raise ParseError(f"a congruence (\\equiv, \\pmod) in {text!r} is not read: write "
                         "(a - b) \\bmod m = 0, or a \\bmod m = b")
    if re.search(r"\\nmid(?![A-Za-z])", src):
        raise ParseError(f"LaTeX {text!r} uses \\nmid (does not divide): not read (write "
                         "b \\bmod a \\neq 0)")
    infix = re.search(r"\\(over|atop|above|choose|brack|brace)(?![A-Za-z])", src)
    if infix:
        # TeX's infix fractions: latex2sympy2 reads {a + b \over s} as a + b/s
        raise ParseError(f"LaTeX {text!r} uses \\{infix.group(1)}, TeX's infix form: not "
                         "read (write \\frac{a}{b})")
    _refuse_misreadings(src, text)
    src = re.sub(r"\\bmod\b", r"\\mod ", src)
    # sizing commands go: latex2sympy2_extended reads \left\lfloor only after its own
    # normalisation, which symconv switches off
    src = re.sub(r"\\(?:left|right|[bB]igg?[lr]?)\s*(?=[()\[\]|]|\\[lr](?:floor|ceil)\b|\\[{}|])",
                 "", src)
    # spacing commands go (not the second backslash of a row break, \\ followed by a space),
    # and TeX's tie ~
    src = _SPACING.sub(" ", src)
    # TeX's short arguments: \hat k as \hat{k}, \frac12 as \frac{1}{2}
    src = re.sub(r"\\(hat|tilde)\s+([A-Za-z])(?![A-Za-z])", r"\\\1{\2}", src)
    if re.search(r"\\tilde\s*\{\s*i\s*\}(?!\s*(?:'|\^\s*\{?\s*\\prime))", src):
        # it was read as \tilde{i}', the guide's stretched input of the transposed
        # convolution (of i' = o), where a reader may mean i stretched, i + (i - 1)(s - 1)
        raise ParseError(f"LaTeX {text!r} writes \\tilde{{i}} with no prime: symconv's "
                         "stretched input is the guide's \\tilde{i}' (the transposed "
                         "convolution's input i' stretched, i' + (i' - 1)(s - 1)); write "
                         "\\tilde{i}', or the stretched size written out")
    src = re.sub(r"\\([dt]?frac)\s*(\d)\s*(\d)", r"\\\1{\2}{\3}", src)
    # a symbol set upright or in another face is the symbol (\mathrm{i}, \mathit{k})
    src = re.sub(r"\\(?:mathrm|mathit|mathsf|mathbf|mathnormal)\s*\{\s*([A-Za-z])\s*\}",
                 r" \1 ", src)
    src = _cases(src, text, pieces)
    src = _extremes(_set_braces(_groups(src, text), text), text, pieces)
    # a piece is one atom: brackets around it alone say nothing (symconv writes
    # s \left(\begin{cases}...\end{cases}\right)); after a letter they would read as a call
    src = re.sub(r"(?<![A-Za-z\\])\(\s*(R_\{\d+\})\s*\)", r" \1 ", src)
    prose = re.search(r"\\text\s*\{([^{}]*[A-Za-z][^{}]*)\}", src)
    if prose:
        # words are not symbols: "odd and" would be read as the product o d d a n d
        raise ParseError(f"the words \\text{{{prose.group(1)}}} in {text!r} are not read as "
                         "math: write the condition in symbols, or the claim as plain text "
                         "(o = i for k odd)")
    src, names = _placeholders(src)
    parts, ops = _split_relation(src)
    if len(ops) > 1:
        raise ParseError(f"LaTeX {text!r} has {len(ops)} relation signs; give one equation "
                         "(or one inequality) at a time")
    sides = [_parse_side(part, names, text, pieces) for part in parts]
    if not ops:
        return sides[0]
    return _REL_OF[ops[0]](sides[0], sides[1], evaluate=False)
