r"""Checking a claimed formula: a proof, or the smallest counterexample.

A claim is read *in the world of the guide* (README, "Proofs, claims, LaTeX in"): the derived
quantities are defined by the relations from the base parameters
``i, k, s, p, d, a``::

    khat   = d(k-1) + 1                 (dilated_kernel)
    o, i'  = conv(i, k, s, p, d)        (i' is the direct conv's output)
    itilde' = i' + (i'-1)(s-1)          (stretched_input)
    o'     = conv_transpose(i', k, s, p, d, a)
    p' = k - p - 1,  k' = k,  s' = 1    (the guide's equivalent direct conv)

A base parameter the claim does not mention takes its neutral value
(``d = 1, p = 0, s = 1, a = 0``).  The domain is every valid configuration:
the direct convolution fits (``i + 2p >= d(k-1) + 1``), ``0 <= a < max(s, d)``,
and the claim's own conditions ("for s = 1 and k odd").

:func:`check` first tries a symbolic proof (the claim's sides after the
definitions, neutral values and conditions, compared by the proof engine's
rules); then it looks at the smallest configurations; then it runs the decision
procedure of :mod:`symconv._decide` (floors, ceilings, ``mod``, ``max``/``min``
and the conditions as linear integer constraints, decided for all integers);
and it searches counterexamples in increasing order of the sum of the free
parameters, ties broken by the order ``i k s p d a``, so the first one found is
the smallest (a witness of the decision procedure bounds that search).  If
nothing succeeds within ``limit`` and ``timeout`` the claim is undecided, with
how far the search looked and why the decision procedure stopped.

Every proven verdict is re-checked independently (:mod:`symconv._second_opinion`:
z3 when installed, a grid of exact evaluations otherwise), and a claim proven with
neutral values is checked again with those parameters free, so the verdict says
whether it holds in general.

>>> v = check(r"o' = s(\tilde{i}' - 1) + a + k - 2p")
>>> v.holds, v.counterexample
(False, {'i': 1, 'k': 1, 's': 2, 'p': 1, 'a': 0})
>>> check("o = (i - k) + 1").holds
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import sympy

from ._budget import DEFAULT_SECONDS, Budget, BudgetExhausted
from ._decide import Decision, decide
from ._evaluating import evaluated, evaluating
from ._exact import Inexact, compile_expr
from ._mod import Mod
from ._second_opinion import Certificate, grid_check, smt_check
from ._values import FUNCTION_NAMES, parse_formula, refuse_grouped_digits
from ._values import split_top as _split_top
from .errors import ParseError, UnknownNameError, UsageError
from .parsing import slanted, unwrapped
from .printing import condition_latex, sstr
from .printing import latex as _latex
from .proofs import DEFINITIONS as _DEFINITIONS
from .proofs import Chain, Proof, _ceil_to_floor
from .proofs import expand_definitions as _expand
from .relations import VALIDITY
from .solution import _ReadOnly, condition_text, variable_value
from .symbols import (
    DOMAIN_MIN,
    SYMBOLS,
    a,
    canonical,
    d,
    i,
    k,
    p,
    reading_claim,
    s,
)
from .vocabulary import COMPARE, SIGN_LATEX, SIGNS

__all__ = ["Verdict", "check", "parse_claim", "BASE", "NEUTRAL", "SEARCH_LIMIT"]

BASE = (i, k, s, p, d, a)
"""Base parameters, in the order that breaks ties between counterexamples."""

NEUTRAL = {d: 1, p: 0, s: 1, a: 0}
"""Values of base parameters a claim does not mention."""

SEARCH_LIMIT = 50_000
"""Configurations a counterexample search may try before it reports the bound."""

GENERAL_LIMIT = 5_000
"""Configurations searched when a claim proven with defaults is checked in general."""

QUICK_LOOK = 2_000
"""Configurations searched before the decision procedure runs (false claims fail early)."""


@evaluating
@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`check`: ``holds`` is True, False or None (undecided).

    A true claim carries its ``proof`` and says the values it was read under
    (``settings``: the neutral values of the parameters it does not mention); a false
    one carries a ``counterexample``:

    >>> from symconv import check
    >>> check("o = i - k + 1")
    <Verdict holds: o = i - k + 1  for d = 1 and p = 0 and s = 1>
    >>> verdict = check("o = i - k")
    >>> verdict.holds, dict(verdict.counterexample)
    (False, {'i': 1, 'k': 1})
    """

    claim: str
    holds: bool | None
    lhs: sympy.Basic
    rhs: sympy.Basic
    relation: str
    conditions: tuple[sympy.Basic, ...]
    reading: str
    if TYPE_CHECKING:
        counterexample: Mapping[str, int] | None = None
    else:                   # read-only when read: a verdict is immutable
        counterexample: _ReadOnly = _ReadOnly(None)
    values: tuple[Any, Any] | None = None
    proof: Proof | None = None
    searched: int = 0
    minimal: bool = True        # the counterexample is the smallest (False: not established)
    note: str = ""
    steps: tuple[str, ...] = field(default=(), compare=False)
    decision: Decision | None = field(default=None, compare=False)
    certificates: tuple[Certificate, ...] = field(default=(), compare=False)
    disagreement: str = field(default="", compare=False)
    #: the neutral values of unmentioned parameters the claim's quantities read (``s = 1``)
    neutral: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    @property
    def settings(self) -> tuple[tuple[str, int], ...]:
        """The neutral values a claim that holds was proven with (``d = 1``), stated beside
        its conditions wherever the claim is printed: without them the identity shown can
        be false (``khat = k`` holds for ``d = 1``); none where it holds in general."""
        if self.holds is True and self.neutral and not self.note.startswith("holds in general"):
            return self.neutral
        return ()

    @property
    def general(self) -> bool | None:
        """For a claim that holds: True in general (no neutral values needed), False where
        a counterexample shows it false with them free, None where that is undecided (or
        was not checked within the budget); None for a claim that does not hold."""
        if self.holds is not True:
            return None
        if not self.settings:
            return True
        return False if "; false in general (" in self.note else None

    def __repr__(self) -> str:
        # compact, as a Proof's: the verdict's first line (text() has the rest)
        return f"<Verdict {self.text().splitlines()[0]}>"

    def __hash__(self) -> int:
        # equal verdicts share their claim, outcome, sides and counterexample
        return hash((self.claim, self.holds, self.relation, str(self.lhs), str(self.rhs),
                     tuple((self.counterexample or {}).items()), self.values))

    def text(self) -> str:
        head = {True: "holds", False: "false", None: "undecided"}[self.holds]
        shown = [_cond_text(c) for c in self.conditions] + \
            [f"{n} = {v}" for n, v in self.settings]
        lines = [f"{head}: {sstr(self.lhs)} {self.relation} {sstr(self.rhs)}"
                 + (f"  for {' and '.join(shown)}" if shown else "")]
        lines.append(f"  reading: {self.reading}")
        if self.counterexample is not None and self.values is not None:
            ce = ", ".join(f"{name}={v}" for name, v in self.counterexample.items())
            which = "smallest" if self.minimal else "not shown to be the smallest"
            lines.append(f"  counterexample ({which}): {ce}: left side {self.values[0]}, "
                         f"right side {self.values[1]}")
        if self.proof is not None:
            lines += ["  " + line for line in self.proof.text().splitlines()]
        if self.decision is not None and self.decision.holds is not None:
            lines += ["  " + line for line in self.decision.text().splitlines()]
        for c in self.certificates:
            lines.append(f"  second opinion: {c}")
        if self.disagreement:
            lines.append(f"  BUG: {self.disagreement}")
        if self.note:
            lines.append(f"  {self.note}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def latex(self) -> str:
        r"""The claim with its conditions, as it reads back (``o = i \quad \text{for } k
        \text{ odd},\ s = 1 \quad \checkmark``), and the verdict."""
        body = f"{_latex(self.lhs)} {SIGN_LATEX[self.relation]} {_latex(self.rhs)}"
        # a condition that always holds (s | 0) is no condition: not printed as True
        shown = [condition_latex(c, claim=True) for c in self.conditions if c is not sympy.true]
        shown += [f"{_latex(SYMBOLS[n])} = {v}" for n, v in self.settings]
        if shown:                   # without them the identity shown can be false
            body += r" \quad \text{for } " + r",\ ".join(shown)
        if self.holds is True:
            return body + r" \quad \checkmark"
        if self.holds is False and self.counterexample:
            ce = r",\ ".join(f"{name}={v}" for name, v in self.counterexample.items())
            return body + rf" \quad \text{{false: }} {ce}"
        return body + r" \quad \text{(undecided)}"

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def _latex(self, printer: Any) -> str:
        return self.latex()     # sc.latex(verdict): the claim and its verdict, not a text dump

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``symconv check --json`` (README), with extras."""
        return {
            "holds": self.holds,
            "counterexample": None if self.counterexample is None else dict(self.counterexample),
            "proof": [st.latex() for st in self.proof.steps] if self.proof else None,
            "values": list(self.values) if self.values else None,
            "reading": self.reading, "searched": self.searched,
            "minimal": self.minimal if self.counterexample is not None else None,
            "claim": self.claim, "note": self.note or None,
            "settings": dict(self.settings), "general": self.general,
            "decision": ({"holds": self.decision.holds, "rules": list(self.decision.rules),
                          "cases": self.decision.cases, "reason": self.decision.reason or None}
                         if self.decision is not None else None),
            "certificates": [c.to_dict() for c in self.certificates],
            "disagreement": self.disagreement or None,
        }


# --- reading a claim ---------------------------------------------------------------

# the words that open a claim's conditions ("o = i for s = 1"), each stated once here:
# every pattern below is built from them
_OPENERS = ("for", "if", "when", "where", "with")
_OPENER = "|".join(_OPENERS)
_OPENER_AND = _OPENER + "|and"
# LaTeX's spacing around a condition word: \quad, \qquad, "\ ", \, \; \: and ~
_SPACE = r"(?:\\q?quad|\\[ ,;:]|~)"
_SPLIT_CONDITIONS = re.compile(
    # the words and spacing after no letter or backslash; a comma or semicolon after
    # anything but a backslash (\, and \; are LaTeX spaces)
    # ("\quad \text{if} \quad": the spacing on both sides of the word is the separator)
    # (a word after no letter or backslash; LaTeX's spacing after anything: i\ \text{for})
    rf"(?:\s*(?:(?:{_SPACE}\s*)*\\text\s*\{{\s*(?:{_OPENER})\s*\}}(?:\s*{_SPACE})*|"
    rf"(?:\\q?quad\s*)+)|(?<![A-Za-z\\])\s*\b(?:{_OPENER})\b|(?<!\\)\s*[,;])\s*")
_AND = re.compile(rf"\s*(?:\band\b|(?<![A-Za-z\\])\b(?:{_OPENER})\b|\\wedge|\\land|(?<!\\)[,;]|"
                  # a display's further clause: "\quad \text{if } k odd" (symconv latex)
                  rf"(?:{_SPACE}\s*)*\\text\s*\{{\s*(?:{_OPENER_AND})\s*\}}(?:\s*{_SPACE})*|"
                  r"(?:\\q?quad\s*)+)\s*")
# a condition word with nothing after it, or two "and"s in a row: a condition left out
_DANGLING = re.compile(rf"(?:(?<![A-Za-z\\])({_OPENER_AND})|\\text\s*\{{\s*({_OPENER_AND})\s*\}}|"
                       r"(\\wedge|\\land))\s*$")
_TWICE = re.compile(r"(?<![A-Za-z\\])(and|\\wedge|\\land)\s+(and|\\wedge|\\land)(?![A-Za-z])")
_REL_TEXT = re.compile(r"(<=|>=|!=|==|=|<|>|\\leq?|\\geq?|\\neq?)")
_OPS = {sign: sympy.core.relational.Relational.ValidRelationOperator[op]
        for sign, op in SIGNS.items()}


def _is_latex(text: str) -> bool:
    return "\\" in text or "{" in text


def _inline_math(text: str) -> str:
    r"""A claim written as a paper's sentence, math inline between words (``$o = i$ for
    $s = 1$``), as one formula with the words as ``\text``; any other text as it is.

    >>> _inline_math("$o = i - k + 1$ for $s = 1$ and $p = 0$")
    'o = i - k + 1 \\text{ for } s = 1 \\text{ and } p = 0'
    >>> _inline_math("$o = i$ for $k = 1$, $s = 1$")
    'o = i \\text{ for } k = 1 , s = 1'
    >>> _inline_math("$o = i$")
    '$o = i$'
    """
    parts = re.split(r"(?<!\\)\$", text)
    if len(parts) < 5 or len(parts) % 2 == 0 or parts[0].strip() or parts[-1].strip() or any(
            not re.fullmatch(r"\s*[A-Za-z,;]+(?:\s+[A-Za-z,;]+)*\s*", words)
            for words in parts[2:-1:2]):
        return text
    def words(between: str) -> str:     # "," stays a separator, the words are text
        m = re.fullmatch(r"\s*([,;]?)\s*(.*?)\s*([,;]?)\s*", between)
        assert m is not None
        return " ".join(x for x in (m[1], rf"\text{{ {m[2]} }}" if m[2] else "", m[3]) if x)
    return " ".join(words(part) if n % 2 else part.strip()
                    for n, part in enumerate(parts[1:-1]))


_INFIX_MOD = re.compile(r"\s+mod\s+")


def _infix_mod(text: str) -> str:
    """The guide's ``X mod M`` as ``mod(X, M)``: each operand is a parenthesised group
    or one name or number (``(i + 2p - k) mod s``, ``i mod 2``).

    >>> _infix_mod("a = (i + 2p - d(k - 1) - 1) mod s")
    'a = mod((i + 2p - d(k - 1) - 1), s)'
    """
    while (m := _INFIX_MOD.search(text)) is not None:
        left, right = text[:m.start()], text[m.end():]
        if left.endswith(")"):
            depth, j = 0, len(left) - 1
            while j >= 0:
                depth += {")": 1, "(": -1}.get(left[j], 0)
                if depth == 0:
                    break
                j -= 1
            if j < 0:
                raise ParseError(f"unbalanced parentheses before 'mod' in {text!r}")
            name_at = j
            while name_at > 0 and (left[name_at - 1].isalnum() or left[name_at - 1] == "_"):
                name_at -= 1
            if left[name_at:j].lower() in FUNCTION_NAMES:
                j = name_at     # a function's name: floor(i/s) mod 2 (k(i + 1) is a product)
        else:
            j = len(left)
            while j > 0 and (left[j - 1].isalnum() or left[j - 1] in "_'"):
                j -= 1
        if right.startswith("("):
            depth, e = 0, 0
            while e < len(right):
                depth += {"(": 1, ")": -1}.get(right[e], 0)
                if depth == 0:
                    break
                e += 1
            if e >= len(right):
                raise ParseError(f"unbalanced parentheses after 'mod' in {text!r}")
            e += 1
        else:
            e = 0
            while e < len(right) and (right[e].isalnum() or right[e] in "_'"):
                e += 1
            if right[e:e + 1] == "(" and right[:e].lower() in FUNCTION_NAMES:
                # a function's argument: i mod floor(k/2) (s(i + 1) is a product)
                depth = 0
                while e < len(right):
                    depth += {"(": 1, ")": -1}.get(right[e], 0)
                    e += 1
                    if depth == 0:
                        break
        if j == len(left) or e == 0:
            raise ParseError(f"'mod' needs an operand on each side in {text!r}: write X mod M")
        before, after = left[:j].rstrip(), right[e:].lstrip()
        if before and (before[-1].isalnum() or before[-1] in "*/%^+-)'") or \
                after and (after[0].isalnum() or after[0] in "*/%^+-("):
            # 2*i mod 4: (2i) mod 4 as % and LaTeX read it, or 2 (i mod 4)?
            raise ParseError(f"'{left[j:].strip()} mod {right[:e].strip()}' in {text.strip()!r} "
                             "stands beside a product or a sum with no brackets: ambiguous "
                             "(the mod of the whole, or of the term beside it?); write "
                             "(2*i) mod 4 or 2*(i mod 4)")
        text = f"{left[:j]}mod({left[j:]}, {right[:e]}){right[e:]}"
    return text


def _expr(text: str, latex_mode: bool) -> Any:
    if latex_mode:
        from .parsing import parse_latex
        return parse_latex(text)
    return parse_formula(_infix_mod(text))


def _relation(text: str, latex_mode: bool) -> sympy.Basic:
    if latex_mode:
        from .parsing import parse_latex
        rel = parse_latex(text)
        if not isinstance(rel, sympy.core.relational.Relational):
            raise UsageError(f"claim {text!r} has no relation sign: state it as lhs = rhs")
        return rel
    parts = _REL_TEXT.split(text)
    if len(parts) != 3:
        if len(parts) == 1:
            raise UsageError(f"claim {text!r} has no relation sign: state it as lhs = rhs")
        raise ParseError(f"claim {text!r}: one relation sign, please")
    return _OPS[parts[1]](parse_formula(_infix_mod(parts[0])), parse_formula(_infix_mod(parts[2])),
                          evaluate=False)


_LEAD = re.compile(rf"^(?:\s|\\[ ,;:!]|\\quad|\\qquad|\\text\s*\{{\s*(?:{_OPENER_AND})\s*\}}|"
                   rf"\b(?:{_OPENER_AND})\b)+")


# the words a condition may hold in \text{...}: "k odd", "X is divisible by s", "s divides X"
_CONDITION_WORDS = frozenset({"odd", "even", "is", "divisible", "by", "divides"})


# English words that LaTeX would read as a product of letters at a condition's start
_CONNECTIVE = re.compile(r"(or|so|as|iff|but|then|thus|hence|since|with|also|not|is|be)"
                         r"(?![A-Za-z])")
_OR = re.compile(r"(?<![A-Za-z\\])(or|iff)(?![A-Za-z])")


def _condition(text: str, latex_mode: bool) -> sympy.Basic:
    t = _LEAD.sub("", text)
    for word in re.findall(r"\\text\s*\{([^}]*)\}", t):
        # any other word would be read as a product of letters ("or" as o*d: "s = 1, or
        # d = 1" proved as "s = 1 and d**2*o = 1")
        for w in word.split():
            if w not in _CONDITION_WORDS:
                raise ParseError(
                    f"condition {text.strip()!r}: the word {w!r} is not read "
                    + ("(a condition is one case: 'or' is not read; check each case as its "
                       "own claim)" if w in ("or", "\\vee", "\\lor") else
                       f"(a condition's words are {', '.join(_OPENERS)}, and, odd, "
                       "even, divides, is divisible by)"))
    t = re.sub(r"\\text\s*\{([^}]*)\}", r" \1 ", t).strip()
    # an English word outside \text{...} reads as letters too (LaTeX's "or" is o*r): a
    # condition that starts with one, or an "or" anywhere, is refused, never multiplied
    word = _CONNECTIVE.match(t) or _OR.search(t)
    if latex_mode and word:
        raise ParseError(
            f"condition {text.strip()!r}: {word.group(1)!r} would read as a product of "
            + ("letters (a condition is one case: 'or' is not read; check each case as its "
               "own claim)" if word.group(1) == "or" else
               "letters (write a condition as a relation; its words go in \\text{...})"))
    m = re.fullmatch(r"(.+?)\s+(?:is\s+)?(odd|even)", t)
    if m:
        return sympy.Eq(Mod(_expr(m.group(1), latex_mode), 2), 1 if m.group(2) == "odd" else 0)
    m = re.fullmatch(r"(.+?)\s+is\s+divisible\s+by\s+(.+)", t)     # as solve prints it
    if m:
        return _divides(_expr(m.group(2), latex_mode), _expr(m.group(1), latex_mode), t)
    m = re.fullmatch(r"(.+?)\s*(?:\\mid|\||\bdivides\b)\s*(.+)", t)
    if m:
        return _divides(_expr(m.group(1), latex_mode), _expr(m.group(2), latex_mode), t)
    return _relation(t, latex_mode)


def _divides(divisor: Any, x: Any, text: str) -> sympy.Basic:
    """``divisor | x`` as ``x mod divisor = 0``; a divisor of 0 is refused, as ``mod(x,
    0)`` is (divisibility by 0 is not what the claim means)."""
    if divisor == 0:
        raise ParseError(f"divisibility by zero is undefined in {text.strip()!r}: use a "
                         "nonzero divisor")
    from ._values import note_divisor
    note_divisor(divisor)       # as mod(x, divisor) is: refused where it can be 0
    return sympy.Eq(Mod(x, divisor), 0)


_OPEN = re.compile(r"^\s*(?:\\left|\\[bB]igg?l?)?\(")
_CLOSE = re.compile(r"(?:\\right|\\[bB]igg?r?)?\)\s*$")


def _unparenthesised(conditions: str) -> str:
    """Conditions written in one pair of parentheses, ``o = i \\quad (k \\text{ odd}, s =
    1)``, without them; any other text as it is.

    >>> print(_unparenthesised(r" \\left(k \\text{ odd}, s = 1\\right)"))
    k \\text{ odd}, s = 1
    >>> print(_unparenthesised("(i - k) mod s = 0"))
    (i - k) mod s = 0
    """
    opened, closed = _OPEN.match(conditions), _CLOSE.search(conditions)
    if not opened or not closed or closed.start() < opened.end():
        return conditions
    inner = conditions[opened.end():closed.start()]
    depth = 0
    for ch in inner:            # the two parentheses must be each other's pair
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return conditions
    return inner if depth == 0 else conditions


def parse_claim(claim: str) -> tuple[sympy.Basic, tuple[sympy.Basic, ...]]:
    """The claim's relation and its conditions (LaTeX or symconv formula syntax).

    >>> parse_claim("o = i - k + 1 for s = 1")
    (Eq(o, i - k + 1), (Eq(s, 1),))
    >>> parse_claim(r"\\hat{k} = k + (k - 1)(d - 1)")
    (Eq(khat, k + (d - 1)*(k - 1)), ())
    """
    if not isinstance(claim, str):
        # a sympy relation is not read as one: its symbols' assumptions would be its own
        raise ParseError(f"a claim is text (plain or LaTeX), got {type(claim).__name__}: "
                         "write it as 'lhs = rhs', optionally with 'for' conditions")
    if not claim.strip():
        raise ParseError("empty claim: state it as lhs = rhs, optionally 'for' conditions")
    if len(claim) > 2000:
        raise ParseError(f"claim of {len(claim)} characters: at most 2000")
    # the relation signs as typed on a keyboard that has them
    claim = slanted(claim.replace("≤", "<=").replace("≥", ">=").replace("≠", "!="))
    refuse_grouped_digits(claim, f"claim {claim!r}")
    # a display pasted with its sentence's punctuation after it: $o = i - k + 1$,
    text = re.sub(r"(\$|\\\]|\\\)|\})\s*[,.;]$", r"\1", claim.strip())
    # inline math as \(...\) (or several \[...\]) between words is $...$ between words
    if text.count("\\(") > 1 or text.count("\\[") > 1:
        dollars = re.sub(r"\\[()\[\]]", "$", text)
        if _inline_math(dollars) != dollars:    # math between words: read as $...$ is
            text = dollars
    text = _inline_math(text)
    latex_mode = _is_latex(claim) or text != claim.strip().strip("$")
    text = text.strip("$")
    if latex_mode and (re.match(r"\\begin\{", text) or re.match(r"\\[\[(]", text) and text.count(
            text[:2]) == 1):
        text = unwrapped(text)      # one display (\[...\], an equation*): its math
    if latex_mode:
        # the text commands are \text here (\textrm{for } was refused as unreadable LaTeX)
        text = re.sub(r"\\(?:textrm|textnormal|textup|mbox)(?![A-Za-z])", r"\\text", text)
        # one \text{...} per word: "\text{ odd and }" reads as the words odd, and
        text = re.sub(r"\\text\s*\{([^{}]*)\}",
                      lambda m: " ".join(rf"\text{{{w}}}" for w in m.group(1).split()), text)
    twice, dangling = _TWICE.search(text), _DANGLING.search(text)
    if twice:
        raise ParseError(f"claim {claim!r}: {twice.group(0)!r}, a condition left out between "
                         "them: state it, or drop one")
    if dangling:
        raise ParseError(f"claim {claim!r}: {dangling.group(0).strip()!r} with no condition "
                         "after it: state the condition, or drop the word")
    # a verdict's own LaTeX reads back as its claim: the mark it ends with goes
    # (a counterexample's values only, "i=2,\ k=2": anything else after it is the claim's)
    text = re.sub(r"\\quad\s*(?:\\checkmark|\\text\s*\{\s*false:\s*\}\s*"
                  r"(?:[a-z]\s*=\s*[-0-9^{}]+\s*(?:,\s*(?:\\ )?\s*)?)+"
                  r"|\\text\s*\{\s*\(undecided\)\s*\})\s*$", "", text) if latex_mode else text
    text = re.sub(r"(?:\\q?quad\s*)+$", "", text).rstrip()     # LaTeX spacing at the end
    # "o = i - k + 1,\quad s = 1": a comma with LaTeX spacing after it is one separator
    text = re.sub(rf"(?<!\\)([,;])\s*(?:{_SPACE}\s*)+", r"\1 ", text)
    # "k odd, and s = 1", "$k = 1$, where $s = 1$": a comma before a condition word
    # (or after "and") is one separator with it, as in English
    text = re.sub(rf"(?<!\\)[,;]\s*(?=\b(?:{_OPENER_AND})\b|\\text\{{(?:{_OPENER_AND})\}})|"
                  r"(?<=\band)\s*[,;]|"
                  r"(?<=\\text\{and\})\s*[,;]", " ", text)
    # "for k = 1 and if s = 1", "for for": a word right before a condition word is one
    # separator with it
    text = re.sub(rf"(?<![A-Za-z\\])(?:and|{_OPENER})\s+(?=(?:{_OPENER})\b|\\text\{{(?:{_OPENER})\}})",
                  " ", text)
    text = re.sub(rf"\\text\{{(?:and|{_OPENER})\}}\s*(?=\\text\{{(?:{_OPENER})\}})", " ", text)
    pieces = _split_top(text, _SPLIT_CONDITIONS, maxsplit=1)[0]
    if len(pieces) > 1 and (not pieces[1].strip() or any(
            not part.strip() for part in _split_top(pieces[1], _AND)[0])):
        raise ParseError(f"claim {claim!r}: an empty condition (a separator with nothing "
                         "before or after it): state it, or drop the separator")
    if not pieces[0].strip():
        raise ParseError(f"claim {claim!r} has no equation before its conditions: "
                         "state it as lhs = rhs, optionally 'for' conditions")
    pieces = [x for x in pieces if x.strip()]
    if len(pieces) > 1:
        pieces[1] = _unparenthesised(pieces[1])
    with reading_claim():       # o' and p' with no sign: they may leave their domain here
        rel = _relation(pieces[0], latex_mode)
        conds: list[sympy.Basic] = []
        if len(pieces) > 1:
            for part in _split_top(pieces[1], _AND)[0]:
                if part.strip():
                    conds.append(_condition(part, latex_mode))
    return rel, tuple(conds)


# --- the world of the guide ----------------------------------------------------------

def _counterexample_order(free: list[sympy.Symbol]) -> Iterator[tuple[int, dict[sympy.Symbol, int]]]:
    """``(total, assignment)`` in increasing sum of values; ties by the order of ``free``.

    Each assignment is produced once, in O(len(free)) work: the last parameter's value is
    what remains of the total, so no total is ever rescanned (the enumeration is linear in
    the number of configurations it yields).
    """
    if not free:
        yield 0, {}
        return
    lows = [DOMAIN_MIN[x] for x in free]
    base = sum(lows)
    for total in itertools.count(base):
        for combo in _compositions(total - base, len(free)):
            yield total, {x: lo + c for x, lo, c in zip(free, lows, combo, strict=True)}


def _compositions(n: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Tuples of ``parts`` nonnegative ints summing to ``n``, the first coordinate smallest
    first (lexicographic); the last coordinate is the remainder, never searched for.

    >>> list(_compositions(2, 2))
    [(0, 2), (1, 1), (2, 0)]
    """
    if parts == 0:
        if n == 0:
            yield ()
        return
    if parts == 1:
        yield (n,)
        return
    for first in range(0, n + 1):
        for rest in _compositions(n - first, parts - 1):
            yield (first, *rest)


@dataclass(frozen=True)
class _Found:
    """What a counterexample search saw: the first violation (if any) and how far it looked."""

    counterexample: dict[str, int] | None
    values: tuple[Any, Any] | None
    searched: int
    complete: int | None          # every configuration with sum of free values <= complete
    stopped: str

    def extent(self, names: list[str]) -> str:
        if self.complete is None:
            return f"{self.searched} configurations"
        total = "+".join(names) if names else "(nothing free)"
        return (f"searched all configurations with {total} <= {self.complete}: "
                f"{self.searched:,} configurations".replace(",", " "))


def _search(free: list[sympy.Symbol], fixed: dict[sympy.Symbol, Any], lhs_n: Any, rhs_n: Any,
            conds: tuple[sympy.Basic, ...], op: str, limit: int, budget: Budget,
            max_total: int | None = None, at: dict[str, int] | None = None) -> _Found:
    """The smallest valid configuration that breaks ``lhs op rhs`` under ``conds``.

    With ``at``, only that configuration is evaluated (a witness put to the test).

    Configurations come by increasing sum (:func:`_counterexample_order`); the search
    stops at ``limit`` valid configurations, at the budget's deadline, or after
    ``max_total``; ``complete`` is the largest sum it searched entirely.
    """
    names = [x.name for x in free]
    f_l, f_r = compile_expr(lhs_n), compile_expr(rhs_n)
    f_conds = [compile_expr(c) for c in conds]
    compare = COMPARE[op]
    f_fixed = [(x.name, DOMAIN_MIN[x], compile_expr(v)) for x, v in fixed.items()]
    if at is not None:          # one configuration only: is it a counterexample?
        env = dict(at)
        try:
            fixed_vals = {name: f(env) for name, _lo, f in f_fixed}
            if any(type(fixed_vals[name]) is not int or fixed_vals[name] < lo
                   for name, lo, _f in f_fixed):
                return _Found(None, None, 0, None, "")
            env.update(fixed_vals)
            if not all(f(env) for f in f_conds):
                return _Found(None, None, 0, None, "")
            left, right = f_l(env), f_r(env)
        except (Inexact, KeyError):
            return _Found(None, None, 0, None, "")
        if compare(left, right):
            return _Found(None, None, 1, None, "")
        return _Found({**{n_: env[n_] for n_ in names}, **fixed_vals}, (_num(left), _num(right)),
                      1, None, "")
    searched = tried = 0
    complete: int | None = None
    current = None
    stopped = ""
    for total, assignment in _counterexample_order(free):
        if total != current:
            if current is not None:
                complete = current
            current = total
            if max_total is not None and total > max_total:
                break
        tried += 1
        if searched >= limit:
            stopped = f" (stopped at the limit of {limit} configurations)"
            break
        if tried >= 20 * limit:     # most candidates break a condition
            stopped = (f" (stopped after {tried:,} candidates; 20 times the limit of "
                       f"{limit:,} configurations; the others break a condition)"
                       ).replace(",", " ")
            break
        try:
            budget.tick()
        except BudgetExhausted as exc:
            stopped = f" ({exc.reason})"
            break
        env = {x.name: v for x, v in assignment.items()}
        try:
            # a parameter fixed by a condition (p = (k - 1)/2) must be an integer in its domain
            fixed_vals = {name: f(env) for name, _lo, f in f_fixed}
            if any(type(fixed_vals[name]) is not int or fixed_vals[name] < lo
                   for name, lo, _f in f_fixed):
                continue
            env.update(fixed_vals)
            if not all(f(env) for f in f_conds):
                continue
            searched += 1
            left, right = f_l(env), f_r(env)
        except (Inexact, KeyError):
            continue
        if not compare(left, right):
            ce = {n_: env[n_] for n_ in names}
            ce.update(fixed_vals)
            return _Found(ce, (_num(left), _num(right)), searched, complete, "")
    return _Found(None, None, searched, complete, stopped)


@evaluated
def check(claim: str, *, limit: int = SEARCH_LIMIT, timeout: float | None = DEFAULT_SECONDS) -> Verdict:
    """Prove or refute a claimed formula about convolution arithmetic.

    ``limit`` bounds the counterexample search (valid configurations tried) and
    ``timeout`` its time in seconds; when either is reached without a
    counterexample and without a proof, the verdict is ``holds=None`` and says
    how far it looked.  Conditions that contradict each other or lie outside
    the parameters' domain are refused (:class:`UsageError`), never proven
    vacuously.  The quantities are the guide's (Dumoulin & Visin, 2016): ``o`` the
    convolution's output ``floor((i + 2p - d(k - 1) - 1)/s) + 1``, ``o'`` the transposed
    convolution's ``s(i' - 1) + a + d(k - 1) - 2p + 1``, ``khat = d(k - 1) + 1``.

    >>> check("o = i - k + 1 for s = 1 and p = 0")
    <Verdict holds: o = i - k + 1  for s = 1 and p = 0 and d = 1>
    >>> check("o <= i")            # proven with the neutral values it states
    <Verdict holds: o <= i  for d = 1 and p = 0 and s = 1>
    >>> check("o = i - k").counterexample
    {'i': 1, 'k': 1}
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise UsageError(f"limit takes a whole number >= 0, got {limit!r}")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not 0 < timeout <= 86_400):
        raise UsageError(f"timeout takes seconds in (0, 86400] or None, got {timeout!r}")
    try:
        return _check_parsed(*parse_claim(claim), claim, limit=limit, timeout=timeout)
    except RecursionError:
        # sympy's own simplification can recurse without end (Mod(i + 2k, k + 1) with
        # positive integer symbols, sympy 1.14): one line, never a traceback
        raise UsageError(f"claim {claim!r}: sympy's simplification recursed without end on "
                         "it (a sympy limitation); write the expression another way, e.g. "
                         "take whole multiples of the modulus out of a mod") from None
    except ZeroDivisionError:
        # a condition fixing a modulus or a divisor to 0 (s - 2 | i for s = 2): the claim
        # is undefined there, as 'mod(i, s - 2) = 0 for s = 2' is refused
        raise UsageError(f"claim {claim!r}: its conditions make a modulus or a divisor 0, "
                         "where the claim is undefined: correct the conditions") from None


def _check_parsed(rel: Any, conds: tuple[sympy.Basic, ...], claim: str, *, limit: int,
                  timeout: float | None, general: bool = False) -> Verdict:
    """:func:`check` on a parsed claim; ``general``: no second opinion, no wider world."""
    budget = Budget(seconds=timeout, items=None, what="assignments")   # all of it is timed
    # a parameter the claim's text names is free, even where reading it simplified it away
    # (mod(i + 2p - k, 2) reads as mod(i + k, 2): p is still the claim's, not neutral)
    written, divisors = _written(claim)
    mentioned = set(rel.free_symbols) | written
    for c in conds:
        mentioned |= c.free_symbols
    neutral = {x: v for x, v in NEUTRAL.items() if x not in mentioned}
    lhs, rhs = _expand(rel.lhs), _expand(rel.rhs)
    conds_x = tuple(_expand(c) for c in conds)
    outside = sorted(({*lhs.free_symbols, *rhs.free_symbols}.union(
        *(c.free_symbols for c in conds_x)) - set(BASE)) | {
            x for x in written if x not in BASE and x not in _DEFINITIONS}, key=str)
    if outside:
        # never searched, so never refuted: refused rather than left undecided
        raise UsageError(f"{outside[0]} is not a quantity claims are checked over: a claim "
                         "is about i, k, s, p, d, a and what the relations derive from them "
                         "(o, o', i', khat, itilde'); write it in those")
    lhs_n, rhs_n = lhs.subs(neutral), rhs.subs(neutral)
    lhs_g, rhs_g = lhs_n, rhs_n
    # a condition written value first (1 = s) fixes its parameter as s = 1 does
    # a bound that leaves one value (s <= 1) reads as that value; the proof says why
    # (each condition as read, and as the claim wrote it: messages quote that)
    as_read = [_pinned(c.subs(neutral)) for c in conds_x]
    # bounds that meet (s > 1 and s < 3) leave one value: the upper one reads as it
    met = _bounds_meet(as_read)
    pins = {met.get(n_, (c,))[0]: (old, w) for n_, (c, old, w)
            in enumerate(zip(as_read, conds_x, conds, strict=True))}
    notes = {new: f"condition of the claim: {_cond_text(w)}" + (
        f", {sstr(new.lhs)} being at least {DOMAIN_MIN[new.lhs]}"
        if not isinstance(old, sympy.Eq) or old.has(sympy.Mod) or isinstance(w, sympy.Eq)
        and w.has(sympy.Mod) else "") for new, (old, w) in pins.items()
        if new != old.subs(neutral)}
    notes.update({eq: f"conditions of the claim: {_cond_text(conds[n_])} and "
                  f"{_cond_text(conds[low])}" for n_, (eq, low) in met.items()})
    conds_n = tuple(sympy.Eq(c.rhs, c.lhs) if isinstance(c, sympy.Eq) and c.rhs in BASE
                    and c.lhs not in BASE else c for c in pins)
    validity = tuple(c.expr for c in VALIDITY)
    validity_n = validity_g = tuple(v.subs(neutral) for v in validity)
    shown = {c: _cond_text(w) for c, (_x, w) in zip(conds_n, pins.values(), strict=True)}
    for n_, (eq, low) in met.items():   # a value two bounds leave is said as both of them
        if eq in shown:
            shown[eq] = " and ".join(_cond_text(conds[m_]) for m_ in sorted((low, n_)))
    _refuse_contradictions(conds_n, shown)
    fixed: dict[sympy.Symbol, Any] = {}
    fixing: list[int] = []       # the first condition fixing each parameter; the rest are searched
    for n_, c in enumerate(conds_n):
        # triangular: a value is written in the parameters not fixed, each fixed one put
        # into the others (d = s, then s = 1: d = 1 and s = 1)
        if not isinstance(c, sympy.Eq):
            continue
        value = c.rhs.subs(fixed)
        if c.lhs in BASE and c.lhs not in fixed and c.lhs not in value.free_symbols:
            fixed = {x: v.subs(c.lhs, value) for x, v in fixed.items()}
            fixed[c.lhs] = value
            fixing.append(n_)
    for x, v in fixed.items():
        # a chain of conditions that puts a parameter outside its domain holds nowhere (k =
        # s - 1, s = d, d = 1 gives k = 0): refused, as k = 0 written is; the numbers are
        # substituted and the parameter's domain would go with it
        if v.is_number and (not v.is_Integer or v < DOMAIN_MIN.get(x, 0)):
            chain = " and ".join(shown[conds_n[n_]] for n_ in fixing)
            raise UsageError(f"contradictory conditions: {chain} give {x} = {sstr(v)}, outside "
                             f"its domain (at least {DOMAIN_MIN.get(x, 0)}, an integer), so the "
                             "claim would be vacuous; drop or correct one of them")
    # with the numbers the conditions fix put in (p = k/s, s = 2: p = k/2, never 0)
    numeric = {x: v for x, v in fixed.items() if v.is_Integer}
    _refuse_zero_divisors(divisors, {**neutral, **numeric},
                          tuple(c.subs(numeric) for c in (*validity_n, *conds_n)), budget)
    if fixed:
        lhs_n, rhs_n = lhs_n.subs(fixed), rhs_n.subs(fixed)
        validity_n = tuple(v.subs(fixed) for v in validity_n)
        conds_search = tuple(c.subs(fixed) for n_, c in enumerate(conds_n) if n_ not in fixing)
    else:
        conds_search = conds_n
    # searched: every base parameter the claim still mentions, or that a fixed one is
    # computed from (k = 2p + 1 needs p searched even where p cancels from the claim)
    free = [x for x in BASE if x not in neutral and x not in fixed and (
        x in lhs_n.free_symbols or x in rhs_n.free_symbols
        or any(x in c.free_symbols for c in (*conds_search, *validity_n))
        or any(x in v.free_symbols for v in fixed.values()) or x in (i, k)
        or x in mentioned)]     # named, even where a fixed value cancels it (d(k - 1), k = 1)
    reading = ("derived quantities from the relations (o, i' = conv; o' = conv_transpose; "
               "itilde' = stretched input; khat = d(k-1)+1); "
               + (f"neutral {', '.join(f'{x}={v}' for x, v in neutral.items())}; " if neutral else "")
               + "over valid configurations (i + 2p >= d(k-1)+1, 0 <= a < max(s, d))")
    op = rel.rel_op
    # the neutral values the claim's quantities read (o reads s and d, not a)
    read = {*lhs.free_symbols, *rhs.free_symbols}.union(*(c.free_symbols for c in conds_x))
    base_kw = dict(claim=claim, lhs=rel.lhs, rhs=rel.rhs, relation=op if op != "==" else "=",
                   conditions=conds, reading=reading,
                   neutral=tuple((x.name, v) for x, v in neutral.items() if x in read))

    names = [x.name for x in free]
    search_conds = (*validity_n, *conds_search)

    def refuted(found: _Found, note: str = "") -> Verdict | None:
        if found.counterexample is None or found.values is None \
                or not _satisfies(found.counterexample, neutral, (*validity, *conds_x)):
            return None
        return Verdict(holds=False, counterexample=found.counterexample, values=found.values,
                       searched=found.searched, note=note, **base_kw)

    dvars = [x for x in BASE if x not in neutral and x in (
        lhs_g.free_symbols | rhs_g.free_symbols
        | set().union(*(c.free_symbols for c in (*validity_g, *conds_n))) | {i, k})]
    hyps_g = (*validity_g, *conds_n)

    def proven(**kw: Any) -> Verdict:
        """A proven verdict, re-checked by z3 (when installed) and on a grid; never over
        no configuration at all (contradictory conditions are refused)."""
        if general:
            return Verdict(holds=True, **base_kw, **kw)
        empty = vacuity()
        if empty is not None:
            return empty
        wide = _narrowed(claim, neutral, budget) if neutral else ""
        seconds = budget.remaining if budget.remaining is not None else 5.0
        certs: tuple[Certificate, ...] = (
            smt_check(lhs_g, rhs_g, op, hyps_g, seconds=max(0.1, min(seconds, 5.0))),
            grid_check(lhs_g, rhs_g, op, hyps_g, dvars,
                       seconds=budget.remaining if budget.remaining is not None else None))
        certs = tuple(c for c in certs if c.outcome != "unavailable") or certs
        bad = [c for c in certs if c.outcome == "disagrees"]
        if bad:
            return Verdict(holds=None, certificates=certs, **base_kw, disagreement=(
                "internal disagreement: symconv's proof and an independent check disagree ("
                + "; ".join(str(c) for c in bad) + "); this is a bug in symconv, please report it"),
                note="no verdict: the engines disagree", **{x: v for x, v in kw.items()
                                                            if x not in ("proof", "decision")})
        said = base_kw
        if wide and not wide.startswith("holds in general"):
            # the neutral values the verdict states are those its quantities read, unless
            # the claim needs others through the validity rules alone (a < s needs d = 1:
            # a < max(s, d)); then every one it was proven with is stated
            unsaid = [x for x in neutral if x not in read]
            if unsaid and not _holds_free(claim, unsaid, budget):
                said = {**base_kw, "neutral": tuple((x.name, v) for x, v in neutral.items())}
        return Verdict(holds=True, certificates=certs, note=wide, **said, **kw)

    seen: list[_Found] = []

    def quick_look() -> _Found:
        """The smallest configurations first (once): a false claim usually fails early."""
        if not seen:
            seen.append(_search(free, fixed, lhs_n, rhs_n, search_conds, op,
                                min(limit, QUICK_LOOK), budget))
        return seen[0]

    def decided(left: Any, right: Any, rel_op: str) -> Decision:
        """The decision procedure in the claim's world, the parameters fixed to numbers;
        conditions that hold nowhere are refused."""
        found = decide(left.subs(numeric), right.subs(numeric), rel_op,
                       [c.subs(numeric) for c in hyps_g],
                       [x for x in dvars if x not in numeric], budget)
        if found.vacuous:
            raise UsageError(f"contradictory conditions: {found.reason}; drop or correct one "
                             "of the conditions")
        return found

    def vacuity() -> Verdict | None:
        """None when a valid configuration meets the conditions (one found, or decided to
        exist); a refusal when none does; undecided when neither could be settled."""
        look = quick_look()
        if look.searched > 0:
            return refuted(look)        # a proof with a counterexample: the counterexample
        # whether the conditions can hold at all: decided as the claim 0 = 1 under them
        met = decided(sympy.Integer(0), sympy.Integer(1), "==")
        if met.holds is False:
            return None
        return Verdict(holds=None, searched=0, note=(
            f"no valid configuration meets the conditions ({look.extent(names)}) and "
            f"whether any does is undecided ({met.reason}): a proof would be vacuous"),
            **base_kw)

    proof = _try_proof(rel, lhs_n, rhs_n, neutral, conds_n, op, notes) if op in ("==", "=") \
        else None
    if proof is not None and proof.holds:
        return proven(proof=proof)
    verdict = refuted(quick_look())
    if verdict is not None:
        return verdict
    decision = decided(lhs_g, rhs_g, op)
    if decision.holds is True:
        return proven(decision=decision)
    if decision.witness is not None:
        # the witness bounds the search: the smallest counterexample has at most its size
        w = {**{x.name: int(v) for x, v in numeric.items()}, **decision.witness}
        top = sum(w[x.name] for x in free if x.name in w)
        found = _search(free, fixed, lhs_n, rhs_n, search_conds, op, limit, budget, max_total=top)
        verdict = refuted(found, ("decided false; " if decision.holds is False else "")
                          + f"the counterexample is the smallest (every configuration up to "
                          f"size {top} searched)")
        if verdict is not None:
            return replace(verdict, decision=decision)
        if found.complete is None or found.complete < top:
            # the search stopped below the witness: the witness, evaluated, is the answer,
            # and the verdict says how far smaller ones were ruled out
            at = {x.name: int(w[x.name]) for x in free if x.name in w}
            if len(at) == len(free):
                one = _search(free, fixed, lhs_n, rhs_n, search_conds, op, 1, budget, at=at)
                verdict = refuted(replace(one, searched=found.searched), (
                    "decided false; a counterexample from the decision procedure, evaluated; "
                    f"smaller ones ruled out only as far as the search went: "
                    f"{found.extent(names)}{found.stopped}"))
                if verdict is not None:
                    return replace(verdict, decision=decision, minimal=False)
    found = _search(free, fixed, lhs_n, rhs_n, search_conds, op, limit, budget)
    verdict = refuted(found)
    if verdict is not None:
        return verdict
    note = (f"no counterexample: {found.extent(names)}{found.stopped}; and no "
            f"symbolic proof found: undecided (raise limit= or timeout= to search further); "
            f"{decision.reason}")
    if proof is not None:
        where = proof.failed_step.rule if proof.failed_step else "the goal"
        note += f"; the proof attempt stopped at: {where}"
    return Verdict(holds=None, searched=found.searched, note=note, **base_kw)


_WORD = re.compile(r"(?<![A-Za-z_\\])[A-Za-z_][A-Za-z0-9_]*'*")


def _pinned(c: Any) -> Any:
    """A bound that leaves its parameter one value of its domain (``s <= 1``, ``s < 2``,
    ``1 >= s``, ``p <= 0``) as that equation, which fixes the parameter; else ``c``.

    A divisibility that leaves one value does the same (``s | 1``: ``s = 1``, a stride
    being at least 1).

    >>> _pinned(sympy.Le(s, 1)), _pinned(sympy.Gt(2, s)), _pinned(sympy.Le(s, 2))
    (Eq(s, 1), Eq(s, 1), s <= 2)
    >>> _pinned(sympy.Eq(sympy.Mod(1, s), 0)), _pinned(sympy.Eq(sympy.Mod(2, s), 0))
    (Eq(s, 1), Eq(Mod(2, s), 0))
    """
    if isinstance(c, sympy.Eq) and len(c.free_symbols) == 1 and \
            not c.has(sympy.Mod, sympy.floor, sympy.ceiling):
        # one parameter, linearly (s - 1 = 0: sympy's form of Mod(-1, s) = 0)
        found = variable_value(c)
        if found is not None and found[0] in BASE and (c.lhs, c.rhs) != found:
            return sympy.Eq(*found)
        return c
    if isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Mod) and c.rhs == 0:
        n, x = c.lhs.args
        if x in BASE and n.is_Integer and n != 0 and DOMAIN_MIN[x] >= 1:
            divisors = [v for v in sympy.divisors(abs(int(n))) if v >= DOMAIN_MIN[x]] \
                if abs(int(n)) <= 10 ** 6 else []
            if len(divisors) == 1:
                return sympy.Eq(x, divisors[0])
        return c
    for x, upper, top in _integer_bounds(c):
        if upper and top == DOMAIN_MIN[x]:
            return sympy.Eq(x, top)
    return c


def _integer_bounds(c: Any) -> list[tuple[Any, bool, Any]]:
    """The integer bound a comparison of a parameter with a number puts on it, as
    ``(parameter, is_upper, bound)``: ``s < 5/2`` is ``s <= 2``, ``3 < s`` is ``s >= 4``
    (a strict bound moves to the next integer in, a non-strict one rounds inward).
    Anything else puts none.

    >>> _integer_bounds(sympy.Lt(s, sympy.Rational(5, 2))), _integer_bounds(sympy.Lt(3, s))
    ([(s, True, 2)], [(s, False, 4)])
    >>> _integer_bounds(sympy.Le(s, k))
    []
    """
    if not isinstance(c, (sympy.Le, sympy.Lt, sympy.Ge, sympy.Gt)):
        return []
    strict = isinstance(c, (sympy.Lt, sympy.Gt))
    found = []
    for x, v, upper in ((c.lhs, c.rhs, isinstance(c, (sympy.Le, sympy.Lt))),
                        (c.rhs, c.lhs, isinstance(c, (sympy.Ge, sympy.Gt)))):
        if x in BASE and v.is_number and v.is_real:
            if upper:
                found.append((x, True, sympy.ceiling(v) - 1 if strict else sympy.floor(v)))
            else:
                found.append((x, False, sympy.floor(v) + 1 if strict else sympy.ceiling(v)))
    return found


def _bounds_meet(conds: list[Any]) -> dict[int, tuple[Any, int]]:
    """Bounds on one parameter that together leave it one value (``s > 1`` and ``s < 3``:
    ``s = 2``; ``k <= 1`` alone is :func:`_pinned`'s): the index of the upper bound, mapped
    to that equation and the index of the lower bound.  A parameter some condition already
    equates is left alone, and bounds that cross are left to the contradiction check.

    >>> _bounds_meet([sympy.Gt(s, 1), sympy.Lt(s, 3), sympy.Le(k, 4)])
    {1: (Eq(s, 2), 0)}
    >>> _bounds_meet([sympy.Ge(s, 2), sympy.Le(s, 3)])
    {}
    """
    lows: dict[Any, tuple[Any, int]] = {}
    highs: dict[Any, tuple[Any, int]] = {}
    equated = {c.lhs for c in conds if isinstance(c, sympy.Eq)} | {
        c.rhs for c in conds if isinstance(c, sympy.Eq)}
    for n_, c in enumerate(conds):
        for x, upper, bound in _integer_bounds(c):
            if x in equated:
                continue
            if upper and (x not in highs or bound < highs[x][0]):
                highs[x] = (bound, n_)
            elif not upper and (x not in lows or bound > lows[x][0]):
                lows[x] = (bound, n_)
    return {highs[x][1]: (sympy.Eq(x, highs[x][0]), lows[x][1]) for x in highs
            if x in lows and max(lows[x][0], DOMAIN_MIN[x]) == highs[x][0]}


def _refuse_zero_divisors(divisors: list[Any], neutral: dict[Any, Any],
                          hyps: tuple[Any, ...], budget: Budget) -> None:
    """Refuse a claim that divides by something its conditions let be 0: read with the
    quotient cancelled (``p/p`` is 1) it would be proven where it is undefined.
    ``neutral``: the values put in (the neutral ones, and the numbers the conditions fix);
    conditions that hold nowhere are refused as such (``a/a`` for ``a >= 1`` with ``s = d =
    1``: no ``a``, not an ``a`` that may be 0)."""
    for q in dict.fromkeys(divisors):
        q_n = _expand(q).subs(neutral)
        if not q_n.free_symbols:
            if q_n == 0:
                raise UsageError(f"the claim divides by {sstr(q)}, which is 0")
            continue
        if q_n.is_nonzero:      # by the symbols' assumptions alone (2**s, s + 1)
            continue
        names = [x for x in BASE if x not in neutral]
        # a product is nonzero when each factor is (k p s with p >= 1: a product of three
        # parameters is no linear form the decision procedure reads)
        factors = [f.base if f.is_Pow and f.exp.is_Integer and f.exp > 0 else f
                   for f in sympy.Mul.make_args(sympy.factor(q_n))]
        open_ = next((f for f in factors if not (
            f.is_nonzero or not f.free_symbols and f != 0 or decide(
                f, sympy.Integer(0), "!=", list(hyps), names, budget).holds is True)), None)
        if open_ is None:
            continue
        whole = decide(q_n, sympy.Integer(0), "!=", list(hyps), names, budget)
        if whole.vacuous:
            raise UsageError(f"contradictory conditions: {whole.reason}; drop or correct one "
                             "of the conditions")
        if whole.holds is not True:
            # the hint names the factor that may be 0 (for k*p: p), one the check reads
            raise UsageError(f"the claim divides by {sstr(q)}, which its conditions let be 0 "
                             f"(where the claim is undefined): add a condition, e.g. "
                             f"'for {sstr(open_)} >= 1'")


def _written(claim: str) -> tuple[set[sympy.Symbol], list[Any]]:
    """Every canonical symbol the claim's text names, and every divisor it writes, before
    any simplification (words that name none, as ``for`` or ``floor``, are skipped;
    naming too many only leaves a parameter free, never neutral): one reading of the text.

    >>> sorted(map(str, _written("o = i - k + 1 for mod(i + 2p - k, 2) = 0")[0]))
    ['i', 'k', 'o', 'p']
    """
    out = set()
    for m in _WORD.finditer(claim):
        try:
            out.add(canonical(m.group()))
        except UnknownNameError:
            continue
    from ._values import divisors_written
    from .parsing import names_written
    with names_written() as found, divisors_written() as divisors:
        parse_claim(claim)
    # LaTeX writes products as runs of letters (2sp, dp): the names its reader met
    out |= {canonical(name) for name in found}
    return out, divisors


def _narrowed(claim: str, neutral: dict[Any, Any], budget: Budget) -> str:
    """For a claim proven with neutral values: is it also true with them free?

    The same claim is checked with every neutral parameter free (``s >= 1``, ``p >= 0``,
    ...), bounded by what is left of the budget; a counterexample there is quoted so a
    narrow truth is never mistaken for a general one.
    """
    names = " and ".join(f"{x} = {v}" for x, v in neutral.items())
    seconds = budget.remaining
    if seconds is not None and seconds < 0.2:
        return f"holds when {names} (defaults for unmentioned parameters); not checked in general"
    wider = " and ".join(f"{x} >= {DOMAIN_MIN[x]}" for x in neutral)
    rel, conds = parse_claim(claim)
    try:
        general = _check_parsed(rel, (*conds, *(sympy.Ge(x, DOMAIN_MIN[x], evaluate=False)
                                               for x in neutral)),
                                claim, limit=GENERAL_LIMIT, timeout=seconds, general=True)
    except (UsageError, ZeroDivisionError) as exc:
        # with them free the claim may be undefined (a divisor o' that can be 0): said,
        # never left silent as if the defaults' answer were the whole one
        why = exc if isinstance(exc, UsageError) else "a divisor or modulus can be 0"
        return (f"holds when {names} (defaults for unmentioned parameters); not stated in "
                f"general ({wider}): {why}")
    if general.holds is False and general.counterexample is not None and general.values:
        ce = ", ".join(f"{n}={v}" for n, v in general.counterexample.items())
        return (f"holds when {names} (defaults for unmentioned parameters); false in general "
                f"({wider}): counterexample {ce}: left side {general.values[0]}, "
                f"right side {general.values[1]}")
    if general.holds is True:
        return f"holds in general too, with {wider} (not only for the defaults {names})"
    return (f"holds when {names} (defaults for unmentioned parameters); "
            f"undecided in general ({wider})")


def _holds_free(claim: str, free: list[Any], budget: Budget) -> bool:
    """Whether the claim is proven with the parameters ``free`` free (the other neutral
    values kept), within what is left of the budget; False where it is not proven."""
    rel, conds = parse_claim(claim)
    try:
        verdict = _check_parsed(rel, (*conds, *(sympy.Ge(x, DOMAIN_MIN[x], evaluate=False)
                                                for x in free)),
                                claim, limit=GENERAL_LIMIT, timeout=budget.remaining,
                                general=True)
    except (UsageError, ZeroDivisionError):
        return False
    return verdict.holds is True


def _satisfies(ce: dict[str, int], neutral: dict[Any, Any],
               conditions: tuple[sympy.Basic, ...]) -> bool:
    """Every stated condition and validity rule holds at the counterexample, evaluated exactly."""
    env = {x: ce.get(x.name, neutral.get(x)) for x in BASE}
    env = {x: v for x, v in env.items() if v is not None}
    for c in conditions:
        try:
            if compile_expr(c.subs(neutral))({x.name: v for x, v in env.items()}) is not True:
                return False
        except (Inexact, KeyError):
            return False
    return True


def _cond_text(c: sympy.Basic) -> str:
    """A condition as a reader wrote it: ``k odd``, ``s | X``, ``k = 2``."""
    if isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Mod):
        x, m = c.lhs.args
        if m == 2 and c.rhs in (0, 1):
            return f"{sstr(x)} {'odd' if c.rhs == 1 else 'even'}"
        if c.rhs == 0:
            return f"{sstr(m)} | {sstr(x)}"
        return f"{sstr(x)} mod {sstr(m)} = {sstr(c.rhs)}"
    ops = {sympy.Eq: "=", sympy.Le: "<=", sympy.Ge: ">=", sympy.Lt: "<", sympy.Gt: ">",
           sympy.Ne: "!="}
    for cls, sign in ops.items():
        if isinstance(c, cls):
            return f"{sstr(c.lhs)} {sign} {sstr(c.rhs)}"
    return sstr(c)


def _is_false(c: Any) -> bool:
    try:
        return bool(c.doit() is sympy.false or sympy.simplify(c) is sympy.false)
    except (TypeError, ValueError, ArithmeticError):
        # sympy's own limits (PrecisionExhausted comparing floor(max(i/2, 50)) with 50):
        # not known false, the other checks decide
        return False


def _refuse_contradictions(conds: tuple[sympy.Basic, ...],
                           shown: dict[Any, str] | None = None) -> None:
    """Refuse conditions that no configuration satisfies, naming the rule and the conditions.

    A condition outside the parameters' domain (``s = 0``, ``k = 1/2``, ``k mod 2 = 3``)
    and two conditions that contradict each other (``k = 2`` and ``k = 3``, ``k odd``
    and ``k even``, ``k = 2`` and ``k odd``) make a claim vacuous: it is refused, not
    "proven" for nothing nor "refuted" by a configuration that breaks a condition.
    """

    def text(c: Any) -> str:        # a condition as the claim wrote it, where it was read
        return (shown or {}).get(c) or _cond_text(c)
    for c in conds:
        if isinstance(c, sympy.Eq) and c.lhs in BASE and c.rhs.is_number:
            lo = DOMAIN_MIN[c.lhs]
            if not (c.rhs.is_integer and c.rhs >= lo):
                kind = "a positive integer" if lo == 1 else "a nonnegative integer"
                raise UsageError(f"condition {text(c)} is outside the domain of {c.lhs} "
                                 f"({kind}): no configuration satisfies it; state a value >= {lo}")
        if isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Mod) and \
                c.lhs.args[1].is_integer and c.lhs.args[1].is_number and c.rhs.is_number:
            m = c.lhs.args[1]       # a floored remainder: 0..m-1, or m+1..0 for m < 0
            lo, hi = (0, m - 1) if m > 0 else (m + 1, 0)
            if not (c.rhs.is_integer and lo <= c.rhs <= hi):
                raise UsageError(f"condition {text(c)} is never true: a remainder mod "
                                 f"{m} lies in {lo}..{hi}")
        if _is_false(c):
            raise UsageError(f"condition {text(c)} is never true in the domain of its "
                             "parameters: drop or correct it")
    for c1, c2 in itertools.combinations(conds, 2):
        for one, other in ((c1, c2), (c2, c1)):
            if isinstance(one, sympy.Eq) and one.lhs in BASE and one.rhs.is_number \
                    and one.lhs in other.free_symbols and _is_false(other.subs(one.lhs, one.rhs)):
                break
        else:
            if not (isinstance(c1, sympy.Eq) and isinstance(c2, sympy.Eq)
                    and isinstance(c1.lhs, sympy.Mod) and isinstance(c2.lhs, sympy.Mod)
                    and c1.lhs.args[1] == c2.lhs.args[1] and c1.rhs.is_number and c2.rhs.is_number
                    and c1.rhs != c2.rhs and _same_expr(c1.lhs.args[0], c2.lhs.args[0])):
                continue
        both = "all" if " and " in text(c1) + text(c2) else "both"
        raise UsageError(f"contradictory conditions: {text(c1)} and {text(c2)} "
                         f"cannot {both} hold, so the claim would be vacuous; drop one of them")


def _same_expr(x: Any, y: Any) -> bool:
    return bool(sympy.expand(x - y) == 0)


def _num(v: Any) -> Any:
    return v if isinstance(v, int) else str(v)


def _goal(ch: Chain) -> Any:
    assert ch.goal is not None
    return ch.goal


def _try_proof(rel: sympy.Basic, lhs_n: Any, rhs_n: Any, neutral: dict[Any, Any],
               conds_n: tuple[sympy.Basic, ...], op: str,
               notes: dict[Any, str] | None = None) -> Proof | None:
    """A chain from the claim's left side to its right side, each step verified.

    The chain carries the right side as its goal, so every definition, neutral
    value and hypothesis is applied to both sides alike; each parity or
    divisibility condition introduces its own fresh witness (``k = 2m_1 + 1``,
    ``s = 2m_2 + 1``), never a shared or canonical one.
    """
    hyps = [(c, (notes or {}).get(c, "condition of the claim")) for c in conds_n]
    if not rel.lhs.free_symbols & set(_DEFINITIONS) and rel.rhs.free_symbols & set(_DEFINITIONS):
        # no derived quantity on the left (... = o): the chain starts from the side the
        # definitions rewrite, so that the definition is a step of its own
        ch = Chain(rel.rhs, "the claim's right side", hyps, goal=rel.lhs)
    else:
        ch = Chain(rel.lhs, "the claim's left side", hyps, goal=rel.rhs)
    both = rel.lhs.free_symbols | rel.rhs.free_symbols
    definitions = {x: v for x, v in _DEFINITIONS.items() if x in both}
    if definitions:
        ch.subs({x: _expand(v) for x, v in definitions.items()}, "definition",
                ", ".join(f"{sstr(x)} from the relations" for x in definitions))
    sides = ch.current.free_symbols | _goal(ch).free_symbols
    if neutral and sides & set(neutral):
        ch.subs(neutral, "setting", "neutral values of unmentioned parameters")
    # substitute conditions of the form symbol = value: in one step when none of the values
    # names another's symbol (then one at a time is the same), else one at a time ...
    sides = ch.current.free_symbols | _goal(ch).free_symbols
    values = {c.lhs: c.rhs for c in conds_n if isinstance(c, sympy.Eq)
              and isinstance(c.lhs, sympy.Symbol) and c.lhs in sides
              and c.lhs not in c.rhs.free_symbols}
    together = len(values) == sum(isinstance(c, sympy.Eq) and c.lhs in values
                                  for c in conds_n) and \
        not any(v.free_symbols & set(values) for v in values.values())
    if values and together:
        ch.subs(values, "hypothesis", ", ".join(f"{sstr(x)} = {sstr(v)}"
                                                for x, v in values.items()))
    for c in conds_n if not together else ():
        sides = ch.current.free_symbols | _goal(ch).free_symbols
        if isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Symbol) and c.lhs in sides \
                and c.lhs not in c.rhs.free_symbols:
            ch.subs({c.lhs: c.rhs}, "hypothesis", f"{sstr(c.lhs)} = {sstr(c.rhs)}")
    for c in conds_n:      # ... then parities and divisibility, each with its own witness
        if not (isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Mod)
                and c.lhs.args[1].is_positive and c.rhs.is_Integer):
            continue
        big = c.lhs.args[0]
        sides = ch.current.free_symbols | _goal(ch).free_symbols
        x = next((y for y in BASE if y in big.free_symbols and y in sides
                  and sympy.expand(big).coeff(y) in (1, -1)
                  and y not in sympy.expand(big - sympy.expand(big).coeff(y) * y).free_symbols
                  and y not in c.lhs.args[1].free_symbols), None)
        if x is None:
            continue
        ch.witness(x, c, condition_text(c))
    goal = _goal(ch)
    if ch.current.has(sympy.ceiling):
        ch.to(_ceil_to_floor(ch.current), "ceiling identity", "ceil(N/D) = floor((N + D - 1)/D)")
    target = _ceil_to_floor(goal)
    if ch.current == target:
        pass        # the rewriting arrived at it: an algebra step would repeat the line
    elif ch.current.has(sympy.Mod) or target.has(sympy.Mod):
        ch.to(target, "division identity")
    else:
        ch.to(target, "algebra")
    if target != goal:
        ch.to(goal, "ceiling identity", "floor((N + D - 1)/D) = ceil(N/D)")
    return ch.proof("claim", f"claim: {sstr(rel.lhs)} = {sstr(rel.rhs)}", goal)
