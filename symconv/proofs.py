r"""Proofs: chains of steps, each with a named rule and each checked by sympy.

A :class:`Proof` rewrites a start expression, one :class:`Step` at a time,
into its goal.  Every step is verified symbolically, over all integers of
the symbols' domains (their sympy assumptions) and under the proof's stated
hypotheses, by the check its rule names:

``definition``, ``setting``
    a substitution ``symbol -> expression``: a definition is a relation's own
    (:data:`DEFINITIONS`: ``o`` by ``conv``, ``khat`` by ``dilated_kernel``, ...), a
    setting fixes parameters (never a derived quantity) and is stated beside the claim
    it qualifies (a symbol: any other term replaced is refused); the new
    expression must equal the old one with the substitution applied (and a chain
    given its goal substitutes it there too, so both sides are read in the same
    world).
``hypothesis``
    a substitution justified pair by pair by a stated hypothesis: either the
    hypothesis ``x = v`` itself, or a *witness*: from ``X mod M = r`` the step
    writes ``x = v`` with ``X[x := v] = M w + r`` for a fresh integer ``w``, where
    ``X`` is ``x`` or ``-x`` plus terms free of ``x`` (an integer
    and no more: ``even``, ``odd`` or ``negative`` would narrow what it covers).
    Fresh means uniquely named (``m_1, m_2, ...``, never a canonical symbol
    such as ``n``), absent from the start, the goal, every hypothesis and every
    earlier witness; ``w`` may carry ``nonnegative`` only when ``M`` is a
    positive number, ``0 <= r < M`` and ``x`` itself is nonnegative.  Why it is
    sound: every ``x`` with ``X mod M = r`` is ``v`` for some integer ``w``, so an
    identity proven for *every* integer ``w`` covers every such ``x``; a shared
    witness would instead silently add the equation between the two hypotheses
    (``k = 2n + 1, s = 2n + 1`` makes ``k = s``), which freshness forbids.
``algebra``
    ``simplify(old - new) == 0``: sympy's simplification is an equivalence over
    the symbols' assumptions (integer, positive, nonnegative), so a zero
    difference is an identity on the whole domain.
``ceiling identity``
    :math:`\lceil N/D \rceil = \lfloor (N + D - 1)/D \rfloor` for ``D > 0``: both sides
    agree once every ceiling is rewritten so.  Sound for integers ``N`` and
    positive ``D`` (write ``N = qD + r``, ``0 <= r < D``); a ceiling whose numerator
    is not known to be an integer, or whose denominator is not known to be a positive
    integer, is left as a ceiling, so the step then fails.
``division identity``
    :math:`s\lfloor X/s\rfloor + (X \bmod s) = X`: ``old - new`` simplifies
    to 0 once ``Mod(X, s)`` is rewritten ``X - s floor(X/s)``.  Sound because
    that rewrite is the definition of the floored remainder for every nonzero
    ``s``; a modulus that can be zero (``Mod(X, p)``) is refused.
``last term``
    :math:`\sum_{l=1}^{L} f(l) = \sum_{l=1}^{L-1} f(l) + f(L)` (and likewise for
    products): both sides agree once every sum and product up to ``L`` has its last
    term split off.  Sound for every ``L >= 1`` by the definition of the sum.
``floor bounds``
    :math:`\lfloor Y/s \rfloor = q` because :math:`sq \le Y \le sq + s - 1`; both
    inequalities are proven from the hypotheses (each a nonnegative combination
    of hypotheses plus a term sympy proves nonnegative).  The term replaced must be
    a floor of an integer ``Y`` over a positive integer ``s``, and ``q`` an integer
    (one replacement per step).  Sound because for a positive denominator the floor
    is the unique integer in that window.

``Proof.holds`` is true only when every step and the final comparison with
the goal were verified; a proof whose step fails says which one.  Nothing is
sampled: a sampled check is a test, never a proof.

>>> proof = prove("round_trip")
>>> proof.holds, [s.rule for s in proof.steps]
(True, ['start', 'definition', 'hypothesis', 'division identity', 'algebra'])
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy

from ._evaluating import evaluated, evaluating
from ._mod import Mod
from ._second_opinion import Certificate, recheck_step
from .errors import UnknownNameError, UsageError
from .paper import derivation
from .paper import text as tex_text
from .printing import latex as _latex
from .printing import sstr
from .relations import (
    CONV,
    CONV_ASYM,
    CONV_TRANSPOSE,
    DILATED_KERNEL,
    P_PRIME,
    PAD_SAME_TF,
    PAD_SAME_TORCH,
    PAD_SPLIT_AFTER,
    PAD_SPLIT_BEFORE,
    STRETCHED_INPUT,
    Relation,
    relationship,
)
from .solution import _tree, _untree, condition_text
from .symbols import (
    ALIASES,
    CLAIM_TWINS,
    SYMBOLS,
    T,
    a,
    d,
    i,
    i_prime,
    i_tilde,
    k,
    k_prime,
    khat,
    o,
    o_prime,
    p,
    p_l,
    p_prime,
    p_r,
    s,
    s_prime,
    signless,
)
from .vocabulary import nearest, normalise

__all__ = ["Step", "Proof", "prove", "PROOFS", "Chain", "verify_step", "fresh_witness"]

DEFINITIONS: dict[sympy.Symbol, sympy.Expr] = {
    khat: DILATED_KERNEL.rhs,
    o: CONV.rhs,
    i_prime: CONV.rhs,
    i_tilde: STRETCHED_INPUT.rhs,
    o_prime: CONV_TRANSPOSE.rhs.subs(i, i_prime),
    p_prime: P_PRIME.rhs,
    k_prime: k,
    s_prime: sympy.Integer(1),
}
DEFINITIONS.update({twin: DEFINITIONS[SYMBOLS[name]]      # o', p' as a claim reads them
                    for name, twin in CLAIM_TWINS.items()})
"""What a ``definition`` step may substitute: each derived quantity by the relation that
defines it (``o`` by ``conv``, ``khat`` by ``dilated_kernel``, ``p'`` by ``k - p - 1``,
the transposed convolution's ``k' = k``, ``s' = 1``); nothing else, and no ``setting``
may give these a value."""


def expand_definitions(e: Any) -> Any:
    """``e`` with every derived quantity replaced by its definition, until none is left
    (``itilde'`` through ``i'`` down to the parameters).

    >>> expand_definitions(khat + o_prime - o_prime)
    d*(k - 1) + 1
    """
    for _ in range(6):
        new = e.subs(DEFINITIONS)
        if new == e:
            break
        e = new
    return e


RULES = ("start", "definition", "setting", "hypothesis", "algebra", "division identity",
         "ceiling identity", "floor bounds", "last term")


def _as_trees(self: Any) -> dict[str, Any]:
    """A step's or a proof's fields, each formula as its tree: sympy's own pickling
    re-evaluates a step built unevaluated (``round_trip``'s ``d(k - 1) - 2p + (i + 2p -
    d(k - 1) - 1) + 1`` came back ``i``, another step)."""
    return {key: _tree(v) for key, v in self.__dict__.items()}


def _from_trees(self: Any, state: dict[str, Any]) -> None:
    """The fields back from :func:`_as_trees`, each formula rebuilt as it was built."""
    object.__setattr__(self, "__dict__", {key: _untree(v) for key, v in state.items()})


@dataclass(frozen=True)
class Step:
    """One step: the expression it arrives at, its rule, a note, and whether it checked.

    >>> from symconv import prove
    >>> step = prove("round_trip").steps[0]
    >>> step.expr, step.rule, step.verified
    (a + d*(k - 1) - 2*p + s*(o - 1) + 1, 'start', True)
    """

    expr: sympy.Basic
    rule: str
    note: str = ""
    verified: bool = False
    mapping: tuple[tuple[Any, Any], ...] = field(default=(), compare=False, repr=False)

    def latex(self) -> str:
        why = self.rule + (f": {self.note}" if self.note else "")
        return rf"{_latex(self.expr)} && \text{{({tex_text(why)})}}"

    __getstate__ = _as_trees
    __setstate__ = _from_trees


@evaluating
@dataclass(frozen=True, repr=False)
class Proof:
    """A verified chain ``start = ... = goal`` under hypotheses, or a list of cases.

    Its repr is compact (the claim, the rules, whether it holds) and
    :meth:`to_dict` exports it as JSON-native data:

    >>> prove("dv3")
    <Proof dv3: floor((i + 2*p - d*(k - 1) - 1)/s) + 1 = i if d = 1, s = 1, p = floor(k/2),
    k is odd by setting, hypothesis, algebra: holds>
    >>> [st["rule"] for st in prove("dv3").to_dict()["steps"]]
    ['start', 'setting', 'setting', 'hypothesis', 'algebra']
    """

    name: str
    title: str
    start: sympy.Basic
    goal: sympy.Basic
    steps: tuple[Step, ...]
    hypotheses: tuple[tuple[sympy.Basic, str], ...] = ()
    cases: tuple[Proof, ...] = ()
    source: str = ""
    conclusion: str = ""

    __getstate__ = _as_trees
    __setstate__ = _from_trees

    @property
    def holds(self) -> bool:
        """True only if every step, the final comparison and every case were verified."""
        if self.cases:
            return all(c.holds for c in self.cases) and all(st.verified for st in self.steps)
        return bool(self.steps) and all(st.verified for st in self.steps) and \
            _same(self.steps[-1].expr, self.goal)

    @functools.cached_property
    def certificates(self) -> tuple[Certificate, ...]:
        """An independent re-check of every step (and of every case's steps).

        Each step is handed to z3 when it is installed (the extra ``smt``): the step's
        equality under the proof's hypotheses, and for a witness step that the witness
        covers every value the hypothesis allows; without z3, exact evaluation on a grid,
        reported as *checked to N* (a test, never a proof).  Computed on first access.
        """
        hyps = [h for h, _ in self.hypotheses]
        out: list[Certificate] = []
        for n, (before, st) in enumerate(itertools.pairwise(self.steps), start=1):
            out.append(recheck_step(signless(before.expr), signless(st.expr), st.rule,
                                    tuple((signless(x), signless(v)) for x, v in st.mapping),
                                    [signless(h) for h in hyps],
                                    f"{self.name} step {n} ({st.rule})"))
        for case in self.cases:
            out += case.certificates
        return tuple(out)

    @property
    def failed_step(self) -> Step | None:
        return next((st for st in self.steps if not st.verified), None)

    def text(self) -> str:
        """The proof in plain text, one step a line."""
        lines = [f"{self.title}", f"  claim: {sstr(self.start)} = {sstr(self.goal)}"]
        settings = [f"{sstr(x)} = {sstr(v)}" for st in self.steps if st.rule == "setting"
                    for x, v in st.mapping]
        if settings:        # the claim holds under them: said beside it, not only in a step
            lines.append(f"  setting: {', '.join(settings)}")
        for h, why in self.hypotheses:
            lines.append(f"  hypothesis: {condition_text(h)}  ({why})")
        for n, st in enumerate(self.steps):
            mark = "ok" if st.verified else "FAILED"
            lead = "   " if n == 0 else "  ="
            lines.append(f"{lead} {sstr(st.expr)}    [{st.rule}{': ' + st.note if st.note else ''}] {mark}")
        for c in self.cases:
            lines += ["  " + line for line in c.text().splitlines()]
        if self.conclusion:
            lines.append(f"  therefore: {self.conclusion}")
        count = (f"{sum(c.holds for c in self.cases)}/{len(self.cases)} parts" if self.cases
                 else f"{sum(st.verified for st in self.steps)}/{len(self.steps)} steps")
        lines.append(f"  {'verified' if self.holds else 'NOT verified'}: {count}")
        return "\n".join(lines)

    def latex(self, **options: Any) -> str:
        r"""The derivation as a paper typesets it (:func:`symconv.paper.derivation`).

        Relation signs aligned in an ``align*``, each justification in words and
        math; ``env="align"``/``"equation"``, ``proof_env=True``, ``width`` and
        ``notation`` are passed on.
        """
        return derivation(self, **options)

    def premises(self, tex: bool = False) -> list[str]:
        """What the claim holds under: its settings (``s = 1``), then its hypotheses
        (``d(k-1)`` even), as text or LaTeX; empty for a claim that holds everywhere."""
        show = _latex if tex else sstr
        settings = [f"{show(x)} = {show(v)}" for st in self.steps if st.rule == "setting"
                    for x, v in st.mapping]
        return settings + [condition_text(h, tex) for h, _ in self.hypotheses]

    def _repr_latex_(self) -> str:
        # the claim with what it holds under: "= i" alone would state a false identity
        under = self.premises(tex=True)
        return "$\\displaystyle " + r" = ".join(_latex(e) for e in (self.start, self.goal)) + \
            (r"\quad\text{if } " + r",\ ".join(under) if under else "") + \
            (r"\quad\checkmark" if self.holds else r"\quad\text{(not verified)}") + "$"

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        rules = list(dict.fromkeys(st.rule for st in self.steps if st.rule != "start"))
        if self.cases:
            rules.append(f"{len(self.cases)} parts")
        state = "holds" if self.holds else "NOT verified"
        under = self.premises()
        return (f"<Proof {self.name}: {sstr(self.start)} = {sstr(self.goal)}"
                f"{' if ' + ', '.join(under) if under else ''} by {', '.join(rules)}: {state}>")

    def to_dict(self) -> dict[str, Any]:
        """JSON-native export: the claim, hypotheses, steps with their rules, and cases."""
        return {
            "name": self.name, "title": self.title, "holds": self.holds,
            "start": _latex(self.start), "goal": _latex(self.goal),
            "hypotheses": [{"latex": _latex(h), "text": sstr(h), "why": why}
                           for h, why in self.hypotheses],
            "steps": [{"latex": _latex(st.expr), "text": sstr(st.expr), "rule": st.rule,
                       "note": st.note, "verified": st.verified} for st in self.steps],
            "cases": [c.to_dict() for c in self.cases],
            "source": self.source, "conclusion": self.conclusion,
        }


def _same(x: sympy.Basic, y: sympy.Basic) -> bool:
    """Whether sympy simplifies ``x - y`` to 0 (False where it cannot, or fails: sympy's
    simplification raises ValueError on some remainders, "unexpected factor"): a step it
    does not show equal is not verified."""
    try:
        try:
            return bool(sympy.simplify(sympy.expand(x - y)) == 0)
        except TypeError:
            return bool(sympy.simplify(sympy.Eq(x, y)) is sympy.true)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return False


def _mod_to_floor(e: Any) -> Any:
    """Every remainder ``x mod m`` as ``x - m floor(x/m)``, the inner ones first, each built
    from its rewritten parts (no remainder is evaluated on the way: sympy would turn
    ``(8 (x - 4 floor(x/4))) mod 64`` into a new remainder)."""
    if not isinstance(e, sympy.Basic) or e.is_Atom:
        return e
    args = [_mod_to_floor(a) for a in e.args]
    if isinstance(e, sympy.Mod):
        x, m = args
        return x - m * sympy.floor(x / m)
    return e.func(*args) if args != list(e.args) else e


def _ceil_to_floor(e: Any) -> Any:
    """``ceiling(N/D) -> floor((N + D - 1)/D)`` for a positive integer denominator D."""
    def rewrite(arg: Any) -> Any:
        num, den = sympy.fraction(sympy.together(arg))
        if not (num.is_integer and den.is_integer and den.is_positive):
            return sympy.ceiling(arg)
        return sympy.floor((num + den - 1) / den)
    return e.replace(sympy.ceiling, rewrite)


def _peel(e: Any, top: sympy.Expr) -> Any:
    """Split off the last term of every sum / product whose upper limit is ``top``."""
    def peel_sum(f: Any, *limits: Any) -> Any:
        (var, lo, hi), = limits
        if hi != top:
            return sympy.Sum(f, (var, lo, hi))
        return sympy.Sum(f, (var, lo, hi - 1)) + f.subs(var, hi)

    def peel_prod(f: Any, *limits: Any) -> Any:
        (var, lo, hi), = limits
        if hi != top:
            return sympy.Product(f, (var, lo, hi))
        return sympy.Product(f, (var, lo, hi - 1)) * f.subs(var, hi)
    e = e.replace(sympy.Sum, lambda f, *lims: peel_sum(f, *lims))
    return e.replace(sympy.Product, lambda f, *lims: peel_prod(f, *lims))


def _nonneg_from(expr: sympy.Expr, hyps: Sequence[sympy.Expr]) -> bool:
    """``expr >= 0`` from hypotheses ``h >= 0``: some 0/1 combination leaves a provable rest."""
    for r in range(0, min(len(hyps), 3) + 1):
        for combo in itertools.combinations(hyps, r):
            rest = sympy.expand(expr - sum(combo, sympy.Integer(0)))
            if rest.is_nonnegative or sympy.simplify(rest).is_nonnegative:
                return True
    return False


CANONICAL_NAMES = frozenset(SYMBOLS) | frozenset(ALIASES)
"""Names a witness may never take: a canonical symbol (``n`` is the number of dimensions)."""


def fresh_witness(taken: set[sympy.Basic] | frozenset[sympy.Basic], *,
                  nonnegative: bool = False) -> sympy.Symbol:
    """An integer symbol ``m_j`` named apart from every symbol in ``taken`` and every canonical name.

    >>> fresh_witness({sympy.Symbol("m_1", integer=True)})
    m_2
    """
    names = {getattr(x, "name", None) for x in taken}
    for j in itertools.count(1):
        name = f"m_{j}"
        if name not in names and name not in CANONICAL_NAMES:
            return sympy.Symbol(name, integer=True, nonnegative=True if nonnegative else None)
    raise AssertionError("unreachable")  # pragma: no cover


def _justified(x: Any, v: Any, hyps: Sequence[sympy.Basic], taken: set[Any],
               witnesses: set[Any]) -> bool:
    """``x -> v`` is a stated hypothesis ``x = v``, or a witness step from ``X mod M = r``."""
    v = sympy.Integer(v) if isinstance(v, int) else v
    for h in hyps:
        if isinstance(h, sympy.Eq) and ((h.lhs == x and _same(h.rhs, v)) or
                                        (h.rhs == x and _same(h.lhs, v))):
            return True
    new_syms = v.free_symbols - taken
    for h in hyps:
        if not (isinstance(h, sympy.Eq) and isinstance(h.lhs, sympy.Mod)):
            continue
        big, mod = h.lhs.args
        r = h.rhs
        if x not in big.free_symbols or not mod.is_positive or len(new_syms) != 1:
            continue
        # X = x + R or -x + R, R free of x: then X = M w + r has the one solution
        # x = ±(M w + r - R), so every x the hypothesis admits is v for some w.  Any
        # other X (floor(x/2), (x - 3)**2) has others that v would leave out
        if not any(x not in sympy.expand(big - sign * x).free_symbols for sign in (1, -1)):
            continue
        (w,) = new_syms
        # a witness is any integer (or any nonnegative one, below): an assumption that
        # narrows it further (even, odd, negative) would let sympy simplify with it
        if not isinstance(w, sympy.Symbol) or w.name in CANONICAL_NAMES or w in witnesses \
                or w not in (sympy.Symbol(w.name, integer=True),
                             sympy.Symbol(w.name, integer=True, nonnegative=True)):
            continue
        if w.is_nonnegative and not (mod.is_Integer and r.is_Integer and 0 <= r < mod
                                     and x.is_nonnegative and big == x):
            continue
        if _same(big.subs(x, v), mod * w + r):
            witnesses.add(w)
            return True
    return False


def verify_step(old: sympy.Basic, new: sympy.Basic, rule: str,
                mapping: dict[Any, Any] | None = None,
                hyps: Sequence[sympy.Basic] = (),
                taken: set[sympy.Basic] | frozenset[sympy.Basic] = frozenset()) -> bool:
    """Check one step symbolically (see the module docstring for each rule).

    ``taken`` holds every symbol of the proof so far (start, goal, hypotheses,
    earlier witnesses): a ``hypothesis`` step's witness must be none of them.

    >>> from symconv.symbols import SYMBOLS
    >>> i, s = SYMBOLS["i"], SYMBOLS["s"]
    >>> verify_step(sympy.ceiling(i / s), sympy.floor((i + s - 1) / s), "ceiling identity")
    True
    >>> verify_step(sympy.floor(i / s), i / s, "algebra")    # false where s does not divide i
    False
    """
    if rule in ("definition", "setting", "hypothesis", "last term", "floor bounds") and \
            mapping is None:
        raise UsageError(f"a {rule!r} step names what it substitutes: give mapping= "
                         "({symbol: value})")
    # o' and p' with no sign: o' = -2 at i = k = 1, s = 5, p = 4 and p' < 0 where p >= k,
    # as a claim reads them (max(o', 0) = o' is no step)
    old, new = signless(old), signless(new)
    hyps = [signless(h) for h in hyps]
    taken = frozenset(signless(x) for x in taken)
    if mapping is not None:
        mapping = {signless(x): signless(v) for x, v in mapping.items()}
    if rule in ("definition", "setting"):
        assert mapping is not None
        # a definition or a setting names a symbol: any other term replaced would be a
        # claim about it, which only a rule that proves it may make.  A definition is a
        # relation's own (o = i would make any claim about o hold); a setting, shown
        # beside the claim it qualifies, fixes a parameter, never a derived quantity
        if not all(isinstance(x, sympy.Symbol) for x in mapping):
            return False
        if rule == "definition" and not all(
                x in DEFINITIONS and _same(expand_definitions(
                    sympy.Integer(v) if isinstance(v, int) else v),
                    expand_definitions(DEFINITIONS[x])) for x, v in mapping.items()):
            return False
        if rule == "setting" and any(x in DEFINITIONS for x in mapping):
            return False
        return _same(old.subs(mapping, simultaneous=True), new)
    if rule == "hypothesis":
        assert mapping is not None
        used = set(taken) | old.free_symbols | {x for h in hyps for x in h.free_symbols}
        witnesses: set[Any] = set()
        if not all(_justified(x, v, hyps, used, witnesses) for x, v in mapping.items()):
            return False
        return _same(old.subs(mapping, simultaneous=True), new)
    if rule == "algebra":
        return _same(old, new)
    if rule == "division identity":
        mods = [m for e in (old, new) for m in e.atoms(sympy.Mod)]
        if not all(m.args[1].is_nonzero for m in mods):
            return False
        return _same(_mod_to_floor(old), _mod_to_floor(new))
    if rule == "ceiling identity":
        return _same(_ceil_to_floor(old), _ceil_to_floor(new))
    if rule == "last term":
        assert mapping is not None
        (top,) = mapping.values()
        return _same(_peel(old, top), _peel(new, top))
    if rule == "floor bounds":
        assert mapping is not None
        if len(mapping) != 1:
            return False
        (fl, q), = mapping.items()
        # the term replaced is a floor of an integer over a positive integer, and what
        # replaces it an integer: the unique one in the window (no other term has it)
        if isinstance(q, int) and not isinstance(q, bool):
            q = sympy.Integer(q)
        if not isinstance(fl, sympy.floor) or not isinstance(q, sympy.Basic) or \
                not q.is_integer:
            return False
        num, den = sympy.fraction(sympy.together(fl.args[0]))
        if not (num.is_integer and den.is_integer):
            return False
        ge0 = [sympy.expand(h.lhs - h.rhs) if isinstance(h, (sympy.Ge, sympy.GreaterThan))
               else sympy.expand(h.rhs - h.lhs) for h in hyps
               if isinstance(h, (sympy.Ge, sympy.Le, sympy.GreaterThan, sympy.LessThan))]
        ok = bool(den.is_positive) and _nonneg_from(num - den * q, ge0) and \
            _nonneg_from(den * q + den - 1 - num, ge0)
        return ok and _same(old.xreplace({fl: q}), new)
    raise ValueError(f"unknown rule {rule!r}")


class Chain:
    """Builds a proof step by step, verifying each step as it is added.

    Given its ``goal``, a chain substitutes every definition, setting and
    hypothesis into the goal too (``chain.goal``), and :meth:`witness` introduces
    fresh witnesses named apart from every symbol of start, goal and hypotheses.

    >>> from symconv.symbols import SYMBOLS
    >>> i, s = SYMBOLS["i"], SYMBOLS["s"]
    >>> chain = Chain(sympy.ceiling(i / s), goal=sympy.floor((i + s - 1) / s))
    >>> chain.to(sympy.floor((i + s - 1) / s), "ceiling identity").steps[-1].verified
    True
    >>> chain.proof("ceiling", "A ceiling as a floor").holds
    True
    """

    def __init__(self, start: sympy.Basic, note: str = "",
                 hypotheses: Sequence[tuple[sympy.Basic, str]] = (),
                 goal: sympy.Basic | None = None) -> None:
        self.hypotheses = tuple(hypotheses)
        self.steps: list[Step] = [Step(start, "start", note, True)]
        self.goal = goal
        self.taken: set[sympy.Basic] = set(start.free_symbols)
        if goal is not None:
            self.taken |= goal.free_symbols

    @property
    def current(self) -> sympy.Basic:
        return self.steps[-1].expr

    def _taken(self) -> set[sympy.Basic]:
        return self.taken | {x for h, _ in self.hypotheses for x in h.free_symbols}

    def subs(self, mapping: dict[Any, Any], rule: str, note: str = "") -> Chain:
        """Substitute a definition / setting / hypothesis (the result is computed)."""
        new = self.current.subs(mapping, simultaneous=True)
        ok = verify_step(self.current, new, rule, mapping, [h for h, _ in self.hypotheses],
                         self._taken())
        self.steps.append(Step(new, rule, note, ok, tuple(mapping.items())))
        for v in mapping.values():
            self.taken |= getattr(v, "free_symbols", set())
        if self.goal is not None:
            self.goal = self.goal.subs(mapping, simultaneous=True)
        return self

    def witness(self, x: sympy.Symbol, condition: sympy.Basic, note: str = "") -> sympy.Symbol:
        """From the hypothesis ``X mod M = r`` write ``x`` through a fresh witness ``m_j``.

        ``x`` must occur in ``X`` with coefficient 1 or -1; the step is checked by
        the ``hypothesis`` rule (freshness included) like any other.
        """
        big, mod = condition.lhs.args
        r = condition.rhs
        nonneg = bool(mod.is_Integer and big == x and x.is_nonnegative)
        w = fresh_witness(self._taken(), nonnegative=nonneg)
        value = sympy.solve(sympy.Eq(big, mod * w + r), x)[0]
        self.subs({x: value}, "hypothesis",
                  (note + ": " if note else "") + f"{sstr(x)} = {sstr(value)}, {w} fresh")
        return w

    def to(self, new: sympy.Basic, rule: str = "algebra", note: str = "",
           mapping: dict[Any, Any] | None = None) -> Chain:
        """Rewrite to ``new`` (given explicitly) by ``rule``; verified."""
        hyps = [h for h, _ in self.hypotheses]
        self.steps.append(Step(new, rule, note,
                               verify_step(self.current, new, rule, mapping, hyps, self._taken()),
                               tuple(mapping.items()) if mapping else ()))
        return self

    def proof(self, name: str, title: str, goal: sympy.Basic | None = None, source: str = "",
              conclusion: str = "") -> Proof:
        if goal is None:
            assert self.goal is not None, "a chain without a goal needs one here"
            goal = self.goal
        return Proof(name, title, self.steps[0].expr, goal, tuple(self.steps), self.hypotheses,
                     source=source, conclusion=conclusion)


# --- the proofs ----------------------------------------------------------------------

X = sympy.fraction(sympy.together(next(
    f for f in sympy.preorder_traversal(CONV.rhs) if isinstance(f, sympy.floor)).args[0]))[0]
"""What the kernel slides over in ``conv`` (read off the relation, checked below)."""


def _round_trip() -> Proof:
    hyp = (sympy.Eq(a, Mod(X, s)), "output_padding a = (i + 2p - d(k-1) - 1) mod s")
    ch = Chain(CONV_TRANSPOSE.rhs.subs(i, o), "conv_transpose of the direct conv's output o",
               [hyp, (sympy.Ge(X, 0), "the direct convolution is valid")])
    ch.subs({o: CONV.rhs}, "definition", "o from conv")
    ch.subs({a: Mod(X, s)}, "hypothesis", "a = X mod s")
    ch.to(sympy.Add(X, -2 * p, d * (k - 1), 1, evaluate=False), "division identity",
          "s floor(X/s) + (X mod s) = X")
    ch.to(i, "algebra")
    return ch.proof("round_trip", "The transposed convolution undoes the direct one (round trip)",
                    i, source="Dumoulin & Visin, relationship 14",
                    conclusion="conv_transpose(conv(i), a = X mod s) = i for every valid (i, k, s, p, d)")


def _round_trip_unique() -> Proof:
    a2 = sympy.Symbol("a'", integer=True, nonnegative=True)
    # a' solving conv_transpose(o, a') = i, read off the relation (linear in a')
    solved = sympy.solve(sympy.Eq(CONV_TRANSPOSE.rhs.subs({i: o, a: a2}, simultaneous=True), i),
                         a2)[0]
    # a' solving conv_transpose(o, a') = i is this expression: the relation is linear in a
    assert _same(CONV_TRANSPOSE.rhs.subs({i: o, a: solved}, simultaneous=True), i)
    ch = Chain(solved, "the a' with conv_transpose(o, a') = i (linear in a')",
               [(sympy.Eq(CONV_TRANSPOSE.rhs.subs({i: o, a: a2}), i), "a' inverts the direct conv")])
    ch.subs({o: CONV.rhs}, "definition", "o from conv")
    ch.to(X - s * sympy.floor(X / s), "algebra")
    ch.to(Mod(X, s), "division identity", "X - s floor(X/s) = X mod s, in [0, s)")
    return ch.proof("round_trip_unique",
                    "The output_padding that inverts a strided convolution is unique",
                    Mod(X, s), source="Dumoulin & Visin, section 4 (proof round_trip)",
                    conclusion="a' = X mod s: the only value in [0, s), and it is the a of the round trip")


def _round_trip_smallest() -> Proof:
    # the smallest input with conv(i) = o: where the floor's numerator X equals s(o - 1)
    i_min = sympy.solve(sympy.Eq(X, s * (o - 1)), i)[0]
    conv_at = CONV.rhs.subs(i, i_min)
    below = CONV.rhs.subs(i, i_min - 1)
    facts = [
        Chain(conv_at, "conv at i_min = s(o-1) + d(k-1) + 1 - 2p").to(o, "algebra").proof(
            "round_trip_smallest_a", "i_min gives output o", o),
        Chain(below, "conv at i_min - 1").to(
            sympy.floor((s * (o - 1) - 1) / s) + 1, "algebra").to(
            o - 1, "floor bounds", "s(o-2) <= s(o-1) - 1 <= s(o-2) + s - 1",
            mapping={sympy.floor((s * (o - 1) - 1) / s): o - 2}).proof(
            "round_trip_smallest_b", "i_min - 1 gives output o - 1 (floor is nondecreasing in i)",
            o - 1),
        Chain(CONV_TRANSPOSE.rhs.subs({i: o, a: 0}), "conv_transpose of o with a = 0").to(
            i_min, "algebra").proof("round_trip_smallest_c", "a = 0 maps o back to i_min", i_min),
    ]
    # i_min must be an input size: with k = 1, s = 3, p = 2 and o = 2 it is 0, the inputs
    # 1 and 2 give o = 2, and PyTorch refuses the transposed convolution of o
    return Proof("round_trip_smallest",
                 "Without output_padding, inputs that share an output map back to the smallest",
                 CONV_TRANSPOSE.rhs.subs({i: o, a: 0}), i_min, (),
                 ((sympy.Ge(i_min, 1), "i_min is an input size"),),
                 cases=tuple(facts),
                 source="Dumoulin & Visin, section 4 (proof round_trip)",
                 conclusion="conv_transpose(o, a = 0) = min{i : conv(i) = o} where it is at "
                            "least 1")


def _dilated_kernel() -> Proof:
    ch = Chain(k + (k - 1) * (d - 1), "the guide's dilated kernel k + (k-1)(d-1)")
    ch.to(DILATED_KERNEL.rhs, "algebra")
    return ch.proof("dilated_kernel", "Effective kernel of a dilated convolution",
                    DILATED_KERNEL.rhs, source="Dumoulin & Visin, section 5.1")


def _dv_direct(number: int) -> Proof:
    rel = relationship(number)
    setting = dict(rel.setting)
    hyps: list[tuple[sympy.Basic, str]] = []
    ch = Chain(CONV.rhs, "conv (general, with dilation)")
    if number != 15:
        ch.subs({d: 1}, "setting", "no dilation: d = 1")
    else:
        ch.to(rel.rhs, "algebra", "k + (k-1)(d-1) = d(k-1) + 1")
        return ch.proof(rel.name, f"Relationship {number}: {rel.title}", rel.rhs,
                        source=rel.source)
    if setting:
        ch.subs(setting, "setting", ", ".join(f"{sstr(x)} = {sstr(v)}" for x, v in setting.items()))
    return _finish_relationship(ch, rel, number, hyps)


def _finish_relationship(ch: Chain, rel: Relation, number: int,
                         hyps: list[tuple[sympy.Basic, str]]) -> Proof:
    """k odd (k = 2m_1 + 1, m_1 fresh) where the relationship assumes it, then algebra to its formula."""
    goal = rel.rhs
    if any("odd" in h.rule for h in rel.hypotheses):
        odd = sympy.Eq(Mod(k, 2), 1)
        hyps.append((odd, "k odd"))
        ch.hypotheses = tuple(hyps)
        ch.taken |= goal.free_symbols
        w = ch.witness(k, odd, "k odd")
        goal = goal.subs(k, 2 * w + 1)
    ch.to(sympy.simplify(ch.current), "algebra")
    if not _same(ch.current, goal):
        ch.to(goal, "algebra")
    return ch.proof(rel.name, f"Relationship {number}: {rel.title}", goal, source=rel.source)


def _dv_transposed(number: int) -> Proof:
    """Relationships 8-14: the transposed conv is a unit-stride conv over the stretched input.

    With ``p' = k - p - 1`` zeros on each side and ``a`` more at the bottom/right,
    ``o' = conv_asym(i = itilde', s = 1, d = 1, p_l = p', p_r = p' + a)``.
    """
    rel = relationship(number)
    setting = dict(rel.setting)
    start = CONV_ASYM.rhs.subs({d: 1, s: 1}).subs({i: i_tilde, p_l: p_prime, p_r: p_prime + a},
                                                    simultaneous=True)
    ch = Chain(start, "unit-stride conv over the stretched input, p' each side, a more at the end")
    ch.subs({i_tilde: STRETCHED_INPUT.rhs}, "definition", "stretched input")
    ch.subs({p_prime: k - p - 1}, "definition", "p' = k - p - 1")
    ch.to(sympy.expand(ch.current), "algebra")
    hyps: list[tuple[sympy.Basic, str]] = []
    if number < 14:
        # a = (i + 2p - k) mod s is 0 under the relationship's setting or divisibility hypothesis
        # short: a two-column paper's line holds about 50 characters of it
        why = "s = 1" if setting.get(s) == 1 else "s | i + 2p - k"
        hyps.append((sympy.Eq(a, 0), f"a = (i + 2p - k) mod s = 0 as {why}"))
        ch.hypotheses = tuple(hyps)
        ch.subs({a: 0}, "hypothesis", "a = 0")
    if setting:
        ch.subs(setting, "setting", ", ".join(f"{sstr(x)} = {sstr(v)}" for x, v in setting.items()))
    # the same output as the general transposed relation with d = 1 and i = i'
    assert number < 14 or _same(rel.rhs, CONV_TRANSPOSE.rhs.subs({d: 1, i: i_prime}))
    return _finish_relationship(ch, rel, number, hyps)


def _same_padding_torch() -> Proof:
    half = PAD_SAME_TORCH.rhs / 2
    hyp = (sympy.Eq(Mod(PAD_SAME_TORCH.rhs, 2), 0), "d(k-1) even")
    ch = Chain(CONV.rhs, "conv", [hyp])
    ch.subs({s: 1}, "setting", "s = 1")
    ch.subs({p: half}, "setting", "p = d(k-1)/2 (the solver's answer for o = i)")
    ch.to(i, "algebra")
    return ch.proof("same_padding", "Same padding: s = 1 and p = d(k-1)/2 keep the size", i,
                    source="Dumoulin & Visin, relationship 3 (with dilation)",
                    conclusion="o = i exactly when 2p = d(k-1); for odd d(k-1) split it p_l + p_r")


def _same_padding_split() -> Proof:
    total = PAD_SAME_TORCH.rhs
    ch = Chain(CONV_ASYM.rhs, "conv_asym")
    ch.subs({s: 1}, "setting", "s = 1")
    ch.subs({p_l: PAD_SPLIT_BEFORE.rhs.subs(T, total), p_r: PAD_SPLIT_AFTER.rhs.subs(T, total)},
            "setting",
            "PyTorch's split: left = total // 2, right = total - left")
    ch.to(i, "algebra")
    return ch.proof("same_padding_split", "PyTorch padding='same': any split of d(k-1) keeps the size",
                    i, source="PyTorch Conv2d padding='same'")


def _tf_same() -> Proof:
    c = sympy.Symbol("c", integer=True, positive=True)
    khat = DILATED_KERNEL.rhs
    ceil_hyps = [(sympy.Ge(i, s * (c - 1) + 1), "c = ceil(i/s): s(c-1) + 1 <= i"),
                 (sympy.Le(i, s * c), "c = ceil(i/s): i <= s c")]
    total = PAD_SAME_TF.rhs.subs(sympy.ceiling(i / s), c)
    t_pos = next(x for x in total.args if x != 0)   # the first case of the Max
    case1 = Chain(CONV_ASYM.rhs, "conv_asym with p_l + p_r = T",
                  ceil_hyps + [(sympy.Ge(t_pos, 0), "case T = (c-1)s + k^ - i >= 0")])
    # the setting's result is c already (sympy takes s(c - 1) out of the floor): no
    # algebra step that repeats it
    case1.subs({p_r: t_pos - p_l}, "setting", "p_r = T - p_l (pad_same_tf, first case)")
    case2 = Chain(CONV_ASYM.rhs, "conv_asym with p_l = p_r = 0",
                  ceil_hyps + [(sympy.Le(t_pos, -1), "case (c-1)s + k^ - i < 0, T = 0")])
    case2.subs({p_l: 0, p_r: 0}, "setting", "T = 0 (pad_same_tf, second case)")
    fl = sympy.floor((i - khat) / s)
    case2.to(c, "floor bounds", "s(c-1) <= i - k^ <= s(c-1) + s - 1", mapping={fl: c - 1})
    cases = (case1.proof("tf_same_case1", "Case (c-1)s + k^ - i >= 0, T = (c-1)s + k^ - i", c),
             case2.proof("tf_same_case2", "Case (c-1)s + k^ - i < 0, T = 0", c))
    return Proof("tf_same", "TensorFlow SAME padding gives o = ceil(i/s), for any split",
                 CONV_ASYM.rhs, c, (), tuple(ceil_hyps), cases=cases,
                 source="TensorFlow tf.nn.convolution; ONNX auto_pad SAME_*",
                 conclusion=f"with p_l + p_r = {sstr(total)}, conv_asym gives ceil(i/s)")


def _receptive_field() -> Proof:
    """Closed forms of Araujo, Norris & Sim (2019) against their layer recurrences, by induction.

    Recurrences for layer L (direct layers): ``r_L = r_{L-1} + (khat_L - 1) j_{L-1}``,
    ``j_L = j_{L-1} s_L``, ``P_L = P_{L-1} + p_L j_{L-1}``, from ``r_0 = j_0 = 1, P_0 = 0``.
    """
    from .receptive import KHAT as kh
    from .receptive import PAD as pd
    from .receptive import L, jump, padding, receptive_field
    from .receptive import S as S_
    rf, pad = receptive_field, padding
    r_prev, j_prev, p_prev = sympy.symbols("r_{L-1} j_{L-1} P_{L-1}")
    top = {L: L}
    parts = []
    for name, rec, closed, prev_sym, prev_closed in (
            ("receptive field r_L", r_prev + (kh[L] - 1) * j_prev, rf(L), r_prev, rf(L - 1)),
            ("effective stride j_L", j_prev * S_[L], jump(L), j_prev, jump(L - 1)),
            ("effective padding P_L", p_prev + pd[L] * j_prev, pad(L), p_prev, pad(L - 1))):
        hyps = [(sympy.Eq(prev_sym, prev_closed), "induction hypothesis")]
        if prev_sym != j_prev:
            hyps.append((sympy.Eq(j_prev, jump(L - 1)), "induction hypothesis"))
        ch = Chain(rec, f"the recurrence for the {name}", hyps)
        ch.subs({prev_sym: prev_closed, j_prev: jump(L - 1)}, "hypothesis",
                "the closed forms hold for L - 1 layers")
        ch.to(closed, "last term", "split off the last layer's term", mapping=top)
        parts.append(ch.proof(f"rf_{name.split()[-1]}", f"Induction step: {name}", closed))
    base = Chain(1 + (kh[1] - 1) * 1, "one layer: r_1 = 1 + (khat_1 - 1) j_0").to(
        rf(1).doit(), "algebra").to(rf(1), "algebra")
    parts.insert(0, base.proof("rf_base", "Base case: one layer", rf(1)))
    return Proof("receptive_field",
                 "Receptive field, effective stride and padding of a chain (closed forms)",
                 sympy.Symbol("r_L"), rf(L), (), cases=tuple(parts),   # the claim: r_L = ...
                 source="Araujo, Norris & Sim, Computing Receptive Fields of CNNs, Distill 2019",
                 conclusion="r_0 = sum_l (khat_l - 1) prod_{m<l} s_m + 1, S = prod_l s_l, "
                            "P = sum_l p_l prod_{m<l} s_m, for every depth L")


PROOFS: dict[str, Callable[[], Proof]] = {
    "round_trip": _round_trip,
    "round_trip_unique": _round_trip_unique,
    "round_trip_smallest": _round_trip_smallest,
    "dilated_kernel": _dilated_kernel,
    **{f"dv{n}": functools.partial(_dv_direct, n) for n in (1, 2, 3, 4, 5, 6, 7, 15)},
    **{f"dv{n}": functools.partial(_dv_transposed, n) for n in range(8, 15)},
    "same_padding": _same_padding_torch,
    "same_padding_split": _same_padding_split,
    "tf_same": _tf_same,
    "receptive_field": _receptive_field,
}
"""Every named proof; ``symconv prove NAME`` builds and verifies one."""

_CACHE: dict[str, Proof] = {}


@evaluated
def prove(name: str) -> Proof:
    """Build and verify the named proof (``round_trip``, ``dv3``, ``relationship 3``, ...).

    >>> prove("dv3").holds
    True
    """
    key = normalise(name)
    if key not in PROOFS:
        near = nearest(key, PROOFS)
        hint = f"; did you mean {near!r}?" if near else ""
        raise UnknownNameError(f"no proof named {name!r}{hint} (known: {', '.join(PROOFS)})")
    if key not in _CACHE:
        _CACHE[key] = PROOFS[key]()
    return _CACHE[key]



