"""Reading user values without eval: integers, per-axis lists and formulas.

A formula is read by a small recursive-descent parser that builds sympy
objects directly from tokens; nothing the user typed is ever handed to
``eval``, ``sympify`` or ``parse_expr``.  Grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/" | "//" | "%") unary | implicit)*
    unary  := ("-" | "+") unary | power
    power  := atom (("^" | "**") unary)?
    atom   := INTEGER | NAME | FUNC "(" expr ("," expr)* ")" | "(" expr ")"

``NAME`` is a canonical symbol or an alias (``i``, ``k``, ``i'``, ``stride``);
``FUNC`` is one of ``floor ceil mod max min``.  ``2p`` and ``s(i'-1)`` mean
``2*p`` and ``s*(i'-1)``.

>>> from symconv.printing import sstr
>>> sstr(parse_formula("s*(i'-1) + k - 2p"))
"s*(i' - 1) - 2*p + k"
>>> sstr(parse_formula("floor((i + 2*p - k)/s) + 1"))
'floor((i + 2*p - k)/s) + 1'
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from .errors import ParseError

if TYPE_CHECKING:
    import sympy

    from ._gate import _node, refuse_infinite, short
    from ._mod import Mod
    from .symbols import canonical


def _load_sympy() -> None:
    """Import sympy on the first formula: integers and lists are read without it."""
    if "sympy" not in globals():
        import sympy as sympy_module

        from ._gate import _node as node
        from ._gate import refuse_infinite as refuse
        from ._gate import short as short_text
        from ._mod import Mod as remainder
        from .symbols import canonical as canonical_name
        globals().update(sympy=sympy_module, canonical=canonical_name, _node=node,
                         refuse_infinite=refuse, short=short_text, Mod=remainder)

__all__ = ["parse_formula", "parse_value", "read_int", "split_top", "MAX_FORMULA_LENGTH",
           "MAX_DIGITS"]

MAX_FORMULA_LENGTH = 2000
MAX_DIGITS = 4000
_MAX_DEPTH = 60

_TOKEN = re.compile(r"\s*(?:([0-9]+)|([A-Za-z_][A-Za-z0-9_]*'*)|(\*\*|//|[-+*/%^(),]))")
_FUNCS = {
    "floor": (1, lambda a: sympy.floor(a[0])),
    "ceil": (1, lambda a: sympy.ceiling(a[0])),
    "ceiling": (1, lambda a: sympy.ceiling(a[0])),
    "mod": (2, lambda a: Mod(a[0], a[1])),
    "max": (None, lambda a: sympy.Max(*a)),
    "min": (None, lambda a: sympy.Min(*a)),
}
FUNCTION_NAMES = frozenset(_FUNCS)
"""The functions a formula calls by name (any other name before a bracket is a product)."""


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m and text[pos:].lstrip()[:1].isdigit():
            raise ParseError(f"{text!r} has digits other than 0-9 at position {pos + 1}: write "
                             "the number in ASCII digits")
        if not m:
            raise ParseError(
                f"cannot read {text!r} at position {pos + 1} ({text[pos:pos + 10]!r}): "
                "a formula uses integers, names, + - * / // % ^ and floor ceil mod max min")
        kind = "int" if m.group(1) else "name" if m.group(2) else "op"
        after = text[m.end():m.end() + 2]
        if kind == "int" and (re.match(r"_\d", after) or m.group(1) == "0" and
                              re.match(r"[xXoObB][0-9A-Fa-f]", after)):
            literal = re.match(r"\w+", text[m.start(1):])
            assert literal is not None
            raise ParseError(f"{literal.group()!r} is a Python integer literal: write the number "
                             "in decimal digits (1000, 16), without underscores or a base prefix")
        out.append((kind, m.group(m.lastindex or 0), m.start(m.lastindex or 0)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            where = "the end" if tok is None else f"position {tok[2] + 1} ({tok[1]!r})"
            want = f"{value!r}" if value else "a value"
            raise ParseError(f"cannot read formula {self.text!r}: expected {want} at {where}")
        self.pos += 1
        return tok

    def parse(self) -> sympy.Expr:
        e = self.expr()
        if self.peek() is not None:
            tok = self.peek()
            assert tok is not None
            raise ParseError(f"cannot read formula {self.text!r}: unexpected {tok[1]!r} "
                             f"at position {tok[2] + 1}")
        return e

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ParseError(f"formula nested deeper than {_MAX_DEPTH} levels: {self.text[:40]!r}...")

    def expr(self) -> sympy.Expr:
        self._enter()
        e = self.term()
        while (tok := self.peek()) and tok[1] in "+-" and tok[0] == "op":
            self.take()
            rhs = self.term()
            e = e + rhs if tok[1] == "+" else e - rhs
        self.depth -= 1
        return e

    def term(self) -> sympy.Expr:
        e = self.unary()
        while (tok := self.peek()):
            if tok[0] == "op" and tok[1] in ("*", "/", "//", "%"):
                self.take()
                rhs = self.unary()
                if tok[1] != "*":
                    note_divisor(rhs)
                    nxt = self.peek()
                    if nxt is not None and (nxt[0] in ("name", "int") or nxt[1] == "("):
                        # i/2s: i/(2s) to some readers, (i/2)s to others
                        raise ParseError(f"{self.text!r} divides by {short(rhs)} and multiplies "
                                         f"by {nxt[1]!r} with no * between (at position "
                                         f"{nxt[2] + 1}): ambiguous; write the divisor in "
                                         f"brackets, x{tok[1]}({short(rhs)}*...), or * after "
                                         f"{short(rhs)}")
                if tok[1] == "*":
                    e = _node(sympy.Mul(e, rhs, evaluate=False), [e, rhs], self.text)
                elif tok[1] == "/":
                    if rhs == 0:
                        raise ParseError(f"division by zero in {self.text!r}")
                    e = e / rhs
                elif tok[1] == "//":
                    if rhs == 0:
                        raise ParseError(f"division by zero in {self.text!r}")
                    e = sympy.floor(e / rhs)
                else:
                    e = _node(Mod(e, rhs, evaluate=False), [e, rhs], self.text)
            elif tok[0] in ("name", "int") or tok[1] == "(":
                if tok[0] == "int" and self.toks[self.pos - 1][0] == "int":
                    # "2 048" or "22\n4": a number split, not a product
                    raise ParseError(f"{self.text!r} has two numbers side by side "
                                     f"({self.toks[self.pos - 1][1]} {tok[1]}): write one "
                                     "number, or * between them")
                rhs = self.unary()            # implicit product: 2p, s(i'-1)
                e = _node(sympy.Mul(e, rhs, evaluate=False), [e, rhs], self.text)
            else:
                break
        return e

    def unary(self) -> sympy.Expr:
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in "+-":
            self.take()
            self._enter()
            v = self.unary()
            self.depth -= 1
            return -v if tok[1] == "-" else v
        return self.power()

    def power(self) -> sympy.Expr:
        base = self.atom()
        tok = self.peek()
        if tok and tok[1] in ("^", "**"):
            self.take()
            self._enter()
            ex = self.unary()
            self.depth -= 1
            if not (ex.is_Integer and 0 <= int(ex) <= 64) and not ex.free_symbols:
                raise ParseError(f"exponent {short(ex)} in {self.text!r}: use a whole number 0..64 "
                                 "or a symbol")
            return _node(sympy.Pow(base, ex, evaluate=False), [base, ex], self.text)
        return base

    def atom(self) -> sympy.Expr:
        kind, val, at = self.take()
        if kind == "int":
            return sympy.Integer(read_int(val))
        if kind == "name":
            if val.lower() in _FUNCS and (nxt := self.peek()) and nxt[1] == "(":
                arity, build = _FUNCS[val.lower()]
                self.take("(")
                args = [self.expr()]
                while (nxt := self.peek()) and nxt[1] == ",":
                    self.take(",")
                    args.append(self.expr())
                self.take(")")
                if arity is not None and len(args) != arity:
                    raise ParseError(f"{val}() takes {arity} argument(s), got {len(args)} "
                                     f"in {self.text!r}")
                if val.lower() == "mod":
                    note_divisor(args[1])
                if val.lower() == "mod" and args[1] == 0:
                    raise ParseError(f"mod by zero is undefined in {self.text!r}: use a "
                                     "nonzero modulus")
                return build(args)
            if val.lower() in ("same", "valid", "full", "causal"):
                # PyTorch's padding="same": a mode, which symconv solves for, not a value
                where = "" if self.text.strip() == val else f" in {self.text!r}"
                raise ParseError(f"{val!r}{where} is a padding mode, not a value: "
                                 "for 'same', solve for p with o=i (or use symconv pad / "
                                 "sc.same_padding(framework, i=, k=, s=)); 'valid' is p=0")
            if val in _PRIMED_SHORT:
                # ip, op, kp, sp, pp name i', o', ... in NAME=VALUE; in a formula they read as
                # products (LaTeX reads sp as s p), so a name would change what it says
                raise ParseError(f"{val!r} in {self.text!r} is ambiguous: write {val[0]}*p "
                                 f"for the product, or {val[0]}' for the transposed quantity")
            return canonical(val)
        if val == "(":
            e = self.expr()
            self.take(")")
            return e
        raise ParseError(f"cannot read formula {self.text!r}: unexpected {val!r} "
                         f"at position {at + 1}")


_PRIMED_SHORT = frozenset(("ip", "op", "kp", "sp", "pp"))
"""The two-letter names of the primed quantities (``sp`` for ``s'``), for assignments."""


def split_top(text: str, pattern: re.Pattern[str], maxsplit: int = 0
              ) -> tuple[list[str], list[str]]:
    """Split at matches of ``pattern`` outside parentheses, brackets, braces and LaTeX
    environments (``\\begin{cases} ... \\end{cases}``, whose rows say ``\\text{if}``).

    Returns the pieces and the separators matched.

    >>> split_top("a = mod(i, s), k odd", re.compile(r",\\s*"))
    (['a = mod(i, s)', 'k odd'], [', '])
    """
    parts: list[str] = []
    seps: list[str] = []
    depth, start, pos = 0, 0, 0
    while pos < len(text):
        ch = text[pos]
        if ch == "\\" and text.startswith(("\\begin", "\\end"), pos):
            depth += 1 if text[pos + 1] == "b" else -1
            pos += 4
            continue
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        elif depth == 0 and (maxsplit == 0 or len(seps) < maxsplit) and \
                (m := pattern.match(text, pos)) and m.end() > pos:
            parts.append(text[start:pos])
            seps.append(m.group())
            pos = start = m.end()
            continue
        pos += 1
    parts.append(text[start:])
    return parts, seps


_DIVISORS: ContextVar[list[Any] | None] = ContextVar("symconv_divisors_written", default=None)


@contextlib.contextmanager
def divisors_written() -> Iterator[list[Any]]:
    """Collect every divisor (of ``/``, ``//``, ``%``, ``mod``, a LaTeX fraction) that the
    formulas read inside the block write, as written: ``p/p`` names ``p`` though sympy
    cancels it to 1, and a claim holds only where each divisor is nonzero."""
    found: list[Any] = []
    token = _DIVISORS.set(found)
    try:
        yield found
    finally:
        _DIVISORS.reset(token)


def note_divisor(q: Any) -> None:
    """Record the divisor ``q`` for :func:`divisors_written` (when one collects)."""
    found = _DIVISORS.get()
    if found is not None:
        found.append(q)


_GROUPED = re.compile(r"(?<![\w.])(\d{1,3}),(\d{3})(?![\d.])")


def refuse_grouped_digits(text: str, what: str,
                          two: str = "a space after the comma for two values") -> None:
    """Refuse a comma between digits as a number is grouped (``1,000``): one thousand to
    its writer, but two arguments (``\\min(i, 1,000)`` read as ``min(i, 1, 0)``, which
    proved a false claim) or two conditions to a reader of lists.  ``what`` names the text,
    ``two`` how two values are written there.

    >>> refuse_grouped_digits("min(i, 1,000) <= 0", "claim")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symconv.errors.ParseError: claim writes 1,000: digits grouped by a comma are one ...
    """
    m = _GROUPED.search(text)
    if m:
        raise ParseError(f"{what} writes {m[0]}: digits grouped by a comma are one number "
                         "to some readers and two values to others; write the number whole "
                         f"({m[1]}{m[2]}), or {two} (per-axis values in Python: a tuple)")


def parse_formula(text: str) -> sympy.Expr:
    """Read a formula in the canonical symbols into a sympy expression (no eval)."""
    _load_sympy()
    if not isinstance(text, str):
        raise ParseError(f"a formula is a string, got {type(text).__name__}")
    if len(text) > MAX_FORMULA_LENGTH:
        raise ParseError(f"formula of {len(text)} characters: at most {MAX_FORMULA_LENGTH}")
    if not text.strip():
        raise ParseError("empty formula: give an integer, a per-axis list or a formula")
    refuse_grouped_digits(text, f"formula {text!r}", "per-axis values as a list outside a "
                          "formula (i=224,160)")
    out = _Parser(text).parse()
    refuse_infinite(repr(text), out)
    return out


def parse_value(text: str) -> Any:
    """A command-line VALUE: an integer, a per-axis list ``224,160`` or a formula."""
    text = text.strip()
    if "," in text and not re.search(r"[()]", text):
        zero = next((part.strip() for part in text.split(",")[1:]
                     if re.fullmatch(r"0\d+", part.strip())), None)
        if zero is not None:        # i=2,048: one size grouped, or two axes?
            whole = text.replace(",", "").replace(" ", "")
            raise ParseError(f"per-axis list {text!r}: {zero!r} starts with 0, as a thousands "
                             f"group does: write {whole} for one size, or the axes without "
                             "leading zeros")
        parts = [parse_value(part) for part in text.split(",")]
        for part, value in zip(text.split(","), parts, strict=True):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ParseError(f"per-axis list {text!r}: {part.strip()!r} is not an integer; "
                                 "a per-axis list holds one integer per axis")
        return parts
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return read_int(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+|\d+e[-+]?\d+|nan|inf|infinity)", text.lower()):
        raise ParseError(f"{text!r} is not an integer: sizes, kernels, strides and paddings "
                         "are whole numbers")
    return parse_formula(text)


def read_int(text: str, what: str = "integer") -> int:
    """The one reader of an integer typed as text (values, bounds, layer keys, ranges).

    Digits with an optional sign and surrounding spaces; at most :data:`MAX_DIGITS`
    digits, so that a 6000-digit bound is refused with the rule instead of reaching
    Python's own limit on converting text to ``int``.

    >>> read_int(" 224 ")
    224
    >>> read_int("1.5", "--bounds k")
    Traceback (most recent call last):
    ...
    symconv.errors.ParseError: --bounds k: '1.5' is not an integer
    """
    body = text.strip()
    if not re.fullmatch(r"[-+]?[0-9]+", body):     # ASCII digits: int() reads others too
        raise ParseError(f"{what}: {text.strip()[:40]!r} is not an integer")
    if len(body.lstrip("+-")) > MAX_DIGITS:
        prefix = "" if what == "integer" else f"{what}: "
        raise ParseError(f"{prefix}integer with {len(body.lstrip('+-'))} digits: "
                         f"at most {MAX_DIGITS}")
    return int(body)
