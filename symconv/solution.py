r"""The answer of a query: the exact integer solution set of one unknown.

A :class:`Solution` is ``finite``, ``range``, ``empty`` or ``symbolic``; it prints
itself (text, LaTeX, JSON) and explains itself through :mod:`symconv.explain`.

>>> from symconv import solve
>>> print(solve("conv", i=224, k=7, s=2, o=112))
p = 3
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._evaluating import evaluating
from ._intervals import IntSet
from .errors import SymconvError

if TYPE_CHECKING:
    import sympy



class _SymbolField:
    """A dataclass field holding a canonical symbol, given as the symbol or its name.

    A name stays a string until the field is read, so a numeric answer (the fast path
    of :mod:`symconv._numeric`) is built, printed and serialised without sympy.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> sympy.Symbol:
        if obj is None:
            raise AttributeError(self.slot)     # no class-level default for the dataclass
        value = obj.__dict__[self.slot]
        if isinstance(value, str):
            from .symbols import SYMBOLS
            value = SYMBOLS[value]
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


class _FrozenDict(dict[str, Any]):
    """A read-only dict: an answer's mapping reads and prints as a dict; writing to it
    raises (``sol.given["k"] = 99`` changed what ``to_dict`` reported)."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("an answer is immutable: this mapping is read-only (copy it with "
                        "dict(...) to change it)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __hash__(self) -> int:      # type: ignore[override]
        return hash(tuple((k, v if not isinstance(v, list) else tuple(v))
                          for k, v in self.items()))

    def __reduce__(self) -> Any:
        return (_FrozenDict, (dict(self),))


class _ReadOnly:
    """A dataclass field holding a mapping, read as a read-only dict (an answer is
    immutable: ``sol.given["k"] = 99`` changed what ``to_dict`` reported).  The numeric
    fast path writes a plain dict under the field's own name: frozen when first read."""

    _NONE: Any = object()

    def __init__(self, default: Any = _NONE) -> None:
        # a default for the dataclass: empty (read-only), or None (a field that may be none)
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            if self.default is _ReadOnly._NONE:
                raise AttributeError(self.name)     # no class-level default for the dataclass
            return self.default
        value = obj.__dict__[self.name]
        if type(value) is dict:         # written by the numeric fast path: frozen once
            value = obj.__dict__[self.name] = _FrozenDict(value)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = None if value is None else _FrozenDict(value)


_EXPRESSIONS = ("expr", "lower", "upper", "conditions")
"""An answer's sympy fields: pickled as their trees, rebuilt unevaluated."""


def _tree(e: Any) -> Any:
    """``e`` as nested ``(class, args)`` tuples down to its atoms (sympy's own pickling
    rebuilds a node by evaluating it: ``(o + k - 8)/2`` came back ``o/2 + k/2 - 4``)."""
    if isinstance(e, tuple):
        return tuple(_tree(x) for x in e)
    if getattr(e, "is_Atom", True) is False and e.args:     # a sympy node (no import)
        return (_Node, type(e), tuple(_tree(a) for a in e.args))
    return e


class _Node:
    """The marker of a node in :func:`_tree`'s tuples."""


def _untree(t: Any) -> Any:
    if isinstance(t, tuple) and len(t) == 3 and t[0] is _Node:
        cls, args = t[1], tuple(_untree(a) for a in t[2])
        try:
            return cls(*args, evaluate=False)
        except TypeError:           # a node whose constructor takes no evaluate=
            return cls(*args)
    if isinstance(t, tuple):
        return tuple(_untree(x) for x in t)
    return t


def _name(obj: Any) -> str:
    value = obj.__dict__["_unknown"]
    return value if isinstance(value, str) else str(value.name)


def _latex_name(name: str) -> str:
    from ._numeric_tables import LATEX
    return str(LATEX.get(name, name))


def _same(value: Any) -> Any:
    return value


def _tex(e: Any) -> str:
    from .printing import latex
    return latex(e)


def sstr(e: Any) -> str:
    from .printing import sstr as printing_sstr
    return printing_sstr(e)

__all__ = ["Solution", "AxisSolutions", "FINITE_LIMIT", "describe"]

FINITE_LIMIT = 1000

LISTED = 24
"""A finite answer of more values prints as its intervals (``1 <= i <= 1000``), as a
range does; ``values`` still holds every one."""
"""A bounded set with at most this many values is listed (kind ``finite``)."""

_DESCRIPTION = {
    "i": "input size i", "o": "output size o", "k": "kernel size k", "s": "stride s",
    "p": "padding p", "d": "dilation d", "a": "output_padding a", "p_l": "padding p_l",
    "p_r": "padding p_r", "T": "total padding T", "F_i": "in_channels F_i",
    "F_o": "out_channels F_o", "g": "groups g", "n": "kernel dimensions n", "b": "bias b",
    "P": "parameter count P", "khat": "dilated kernel khat",
}


def describe(sym: sympy.Symbol | str) -> str:
    """A readable name for a symbol (or its name): ``stride s``.

    >>> describe("s"), describe("a")
    ('stride s', 'output_padding a')
    """
    name = sym if isinstance(sym, str) else sym.name
    return _DESCRIPTION.get(name, name)


def default_note(var: str, source: str, value: int, relation: str) -> str:
    """The note an answer carries when ``var`` took ``source``'s value (pooling's stride
    its kernel, as PyTorch's ``stride=None``).

    >>> default_note("s", "k", 2, "pool")
    "s = k = 2 (s not given: it defaults to k in pool, as PyTorch's stride=None; give s= to change it)"
    """
    return (f"{var} = {source} = {value} ({var} not given: it defaults to {source} in "
            f"{relation}, as PyTorch's stride=None; give {var}= to change it)")


@evaluating
@dataclass(frozen=True)
class Solution:
    r"""The complete integer solution set of one unknown.

    ``kind`` is ``finite`` (bounded, at most :data:`FINITE_LIMIT` values, all in
    ``values``), ``range`` (unbounded, or bounded but larger: ``min``/``max``,
    ``None`` for an open end), ``empty`` (``reason`` says which constraint
    fails) or ``symbolic`` (``expr`` holds under ``conditions``).

    >>> import symconv as sc
    >>> sol = sc.solve("conv", o=112, k=7, s=2, p=3)        # every input size giving 112
    >>> sol.kind, sol.values, sol.min, sol.max, 224 in sol
    ('finite', (223, 224), 223, 224, True)
    >>> sol = sc.solve("conv", i=224, k=7, p=3, o=1)         # a range, open above
    >>> sol.kind, sol.min, sol.max
    ('range', 224, None)
    >>> sc.solve("conv", i=5, k=4, s=1, o=5).kind            # no symmetric "same" padding
    'empty'
    """

    relation: str
    if TYPE_CHECKING:
        unknown: sympy.Symbol
    else:                   # a sympy.Symbol when read; may be given by its name
        unknown: _SymbolField = _SymbolField()
    kind: str
    if TYPE_CHECKING:
        given: Mapping[str, Any]
    else:                   # read-only when read
        given: _ReadOnly = _ReadOnly()
    set: IntSet | None = None
    expr: sympy.Basic | None = None
    lower: sympy.Expr | None = None
    upper: sympy.Expr | None = None
    conditions: tuple[sympy.Basic, ...] = ()
    reason: str = ""
    split: tuple[tuple[int, int], ...] = ()
    verified: str = ""
    if TYPE_CHECKING:
        defaults: Mapping[str, Any] = field(default_factory=dict)
    else:                   # read-only when read; none: stored as {}
        defaults: _ReadOnly = _ReadOnly(())
    note: str = ""
    steps: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def _integer(cls, relation: str, unknown: str, kind: str, given: dict[str, Any],
                 parts: tuple[tuple[int | None, int | None], ...], verified: str,
                 defaults: dict[str, Any]) -> Solution:
        """A numeric answer, built without the dataclass ``__init__`` (a few hundred
        nanoseconds instead of microseconds: the numeric fast path's budget).  Only the
        fields it sets are in the instance; the others (``expr``, ``note``, ...) are
        read from their class-level defaults, as for any dataclass instance.

        Equal to ``Solution(relation, unknown, kind, given, set=IntSet(parts),
        verified=verified, defaults=defaults)`` (``tests/test_numeric.py``).
        """
        sol = object.__new__(cls)
        state = sol.__dict__          # the other fields read their class-level defaults
        state["relation"] = relation
        state["_unknown"] = unknown
        state["kind"] = kind
        state["given"] = given
        state["set"] = IntSet._of(parts)
        state["verified"] = verified
        state["defaults"] = defaults
        return sol

    # --- the set ---------------------------------------------------------------
    @property
    def values(self) -> tuple[int, ...] | None:
        """All values when the set is finite, else ``None``."""
        if self.kind == "finite" and self.set is not None:
            return tuple(self.set)
        if self.kind == "empty":
            return ()
        return None

    @property
    def min(self) -> Any:
        """The least value (a formula for a symbolic answer); None when there is none, or
        when a condition on the unknown itself decides it (``1 <= s  if ... and (d >= 4
        or s >= 4)``: 4 where d < 4), so a bound is never shown as the least value."""
        if self.set is not None:
            return self.set.min
        return self.lower if self.kind == "symbolic" and not self._self_bounded else None

    @property
    def max(self) -> Any:
        """The greatest value; None as for :attr:`min`."""
        if self.set is not None:
            return self.set.max
        return self.upper if self.kind == "symbolic" and not self._self_bounded else None

    @property
    def _self_bounded(self) -> bool:
        """Whether a condition mentions the unknown (its bounds are then not its ends)."""
        return any(self.unknown in getattr(c, "free_symbols", ()) for c in self.conditions)

    @property
    def bounded(self) -> bool:
        return self.set is not None and self.set.bounded

    def __iter__(self) -> Iterator[int]:
        if self.kind == "empty":
            return iter(())
        if self.set is None or not self.set.bounded:
            raise SymconvError(f"the solution {self._text()} is not a bounded integer set: "
                               "iterate over a bounded one, or read .min/.max")
        return iter(self.set)

    def __contains__(self, value: object) -> bool:
        if self.kind == "empty":
            return False
        if self.set is None:
            raise SymconvError("membership of a symbolic solution depends on its symbols: "
                               "give them values")
        return value in self.set

    @property
    def size(self) -> int:
        """How many values (exact, however large); SymconvError when unbounded."""
        if self.kind == "empty":
            return 0
        if self.set is None or not self.set.bounded:
            raise SymconvError(f"the solution {self._text()} has no finite size")
        return self.set.size()

    def __len__(self) -> int:
        return self.size

    def __bool__(self) -> bool:
        return self.kind != "empty"

    # --- printing ----------------------------------------------------------------
    def _text(self, tex: bool = False) -> str:

        def pr(e: Any) -> str:
            return _tex(e) if tex else sstr(e)
        x: str = _latex_name(_name(self)) if tex else _name(self)
        if self.kind == "empty":
            return rf"{x} \in \emptyset" if tex else f"{x} in {{}}"
        if self.kind == "symbolic":
            if self.expr is not None and self.lower is None:
                out = f"{x} = {pr(self.expr)}"
            elif self.lower is not None and self.lower == self.upper:
                out = f"{x} = {pr(self.lower)}"     # one value (d <= p <= d is p = d)
            else:
                lo_s = pr(self.lower) if self.lower is not None else None
                hi_s = pr(self.upper) if self.upper is not None else None
                le = r" \leq " if tex else " <= "
                out = (f"{lo_s}{le}{x}" if lo_s else x) + (f"{le}{hi_s}" if hi_s else "")
            if self.conditions:
                conds = (r" \wedge " if tex else " and ").join(
                    condition_text(c, tex) for c in self.conditions)
                out += (rf" \quad \text{{if }} {conds}" if tex else f"  if {conds}")
            return out
        assert self.set is not None
        if self.kind == "finite" and len(self.set) <= LISTED:
            vals = list(self.set)
            if len(vals) == 1:
                return f"{x} = {vals[0]}"
            inner = ", ".join(str(v) for v in vals)
            return rf"{x} \in \left\{{{inner}\right\}}" if tex else f"{x} in {{{inner}}}"
        parts = []
        ge, le = (r" \geq ", r" \leq ") if tex else (" >= ", " <= ")
        for lo, hi in self.set.intervals:      # a range, or a finite set too long to list
            if lo is not None and lo == hi:
                parts.append(f"{x} = {lo}")
            elif lo is not None and hi is not None:
                parts.append(f"{lo}{le}{x}{le}{hi}")
            elif lo is not None:
                parts.append(f"{x}{ge}{lo}")
            elif hi is not None:
                parts.append(f"{x}{le}{hi}")
            else:
                parts.append(rf"{x} \in \mathbb{{Z}}" if tex else f"{x} any integer")
        return (r" \vee " if tex else " or ").join(parts)

    def latex(self) -> str:
        r"""The answer in LaTeX: ``p = 3``, ``i \in \left\{223, 224\right\}``, ``s \geq 224``."""
        return self._text(tex=True)

    def latex_set(self) -> str:
        r"""The answer as a set: ``\left\{3\right\}``, ``\left\{s \in \mathbb{Z} : s \geq 224\right\}``."""
        x = _latex_name(_name(self))
        if self.kind == "empty":
            return r"\emptyset"
        if self.kind == "finite" and self.set is not None and len(self.set) <= LISTED:
            return r"\left\{" + ", ".join(str(v) for v in self.set) + r"\right\}"
        if self.kind in ("range", "finite"):    # a set too long to list: by its runs
            return rf"\left\{{{x} \in \mathbb{{Z}} : {self._text(tex=True)}\right\}}"
        return self._text(tex=True)

    def explain(self, latex: bool = False) -> str:
        """How this answer was derived: relation, givens, floors, bounds, set, check.

        Returns the text (LaTeX lines with ``latex=True``); in a REPL it shows as
        itself, in Jupyter as LaTeX.
        """
        from .explain import Explanation, explain_solution
        out = Explanation(explain_solution(self, tex=latex))
        out.latex_text = explain_solution(self, tex=True) if not latex else str(out)
        return out

    def _latex(self, printer: Any) -> str:
        return self.latex()

    def _sympystr(self, printer: Any) -> str:
        return self._text()

    def _repr_latex_(self) -> str:
        if self.kind == "symbolic":
            return f"$\\displaystyle {self.latex()}$"
        return f"$\\displaystyle {self.latex_set()}$"

    def __str__(self) -> str:
        return self._text()

    def __repr__(self) -> str:
        return f"Solution({self._text()})"

    def __hash__(self) -> int:
        # the givens are a dict (and per-axis values lists): hashed by what equal answers
        # share, their relation, unknown, kind and text
        return hash((self.relation, _name(self), self.kind, self._text()))

    def __getstate__(self) -> dict[str, Any]:
        """The fields, each formula as its tree (rebuilt as it was, not re-evaluated)."""
        state = dict(self.__dict__)
        for key in _EXPRESSIONS:
            if state.get(key) is not None:
                state[key] = _tree(state[key])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key in _EXPRESSIONS:
            if state.get(key) is not None:
                state[key] = _untree(state[key])
        object.__setattr__(self, "__dict__", state)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``symconv solve --json`` (README; forms in ``symconv._json``)."""
        if self.kind == "symbolic" or self.conditions or any(
                type(v) not in (int, bool) for v in (*self.given.values(), *self.defaults.values())):
            from ._json import condition, number
        else:               # plain integers: the same JSON without importing sympy
            condition = number = _same  # type: ignore[assignment]
        out: dict[str, Any] = {
            "relation": self.relation, "unknown": _name(self),
            "given": {key: number(v) for key, v in self.given.items()},
            "kind": self.kind,
            "values": [number(v) for v in self.values or ()] if self.kind == "finite" else None,
            "min": number(self.min), "max": number(self.max),
            "conditions": [condition(c) for c in self.conditions],
            "reason": self.reason or None, "latex": self.latex(),
        }
        if self.kind == "symbolic":
            from ._json import formula  # symbolic: sympy is imported already
            out["expr"] = formula(self.expr) if self.expr is not None else None
        if self.note:
            out["note"] = self.note
        defaults = {key: number(v) for key, v in self.defaults.items()}
        if defaults:
            out["defaults"] = defaults
        if self.split:
            out["split"] = [{"p_l": left, "p_r": right} for left, right in self.split]
        return out


def variable_value(c: Any) -> tuple[Any, Any] | None:
    """The variable an equation in one variable, linear in it, fixes and its value, when
    that is an integer (``-k + 3 = 0``: ``(k, 3)``); None for any other condition.

    >>> import sympy
    >>> k = sympy.Symbol("k", integer=True, positive=True)
    >>> variable_value(sympy.Eq(3 - k, 0)), variable_value(sympy.Eq(2 * k, 3))
    ((k, 3), None)
    """
    import sympy
    if not isinstance(c, sympy.Eq):
        return None
    e = c.lhs - c.rhs
    if len(e.free_symbols) != 1 or e.has(sympy.Mod, sympy.floor, sympy.ceiling) or \
            not e.is_polynomial():
        return None
    (x,) = e.free_symbols
    poly = sympy.Poly(e, x)
    if poly.degree() != 1:
        return None
    v = -poly.nth(0) / poly.nth(1)
    return (x, v) if v.is_Integer else None


def condition_text(c: sympy.Basic, tex: bool = False) -> str:
    """A condition as an answer prints it: ``s is divisible by i - 1``, ``i != 1``,
    ``5 - i = 0`` (or LaTeX)."""
    import sympy
    if isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Mod) and c.rhs == 0:
        u, m = c.lhs.args
        if tex:
                return rf"{_tex(m)} \mid {_tex(u)}"
        return f"{sstr(u)} is divisible by {sstr(m)}"
    if isinstance(c, sympy.Eq) and isinstance(c.lhs, sympy.Mod) and c.lhs.args[1] == 2 \
            and c.rhs == 1 and not tex:
        return f"{sstr(c.lhs.args[0])} is odd"
    if isinstance(c, sympy.Or):         # inside a conjunction: parenthesised
        inner = (r" \vee " if tex else " or ").join(condition_text(a, tex) for a in c.args)
        return rf"\left({inner}\right)" if tex else f"({inner})"
    if isinstance(c, sympy.And):
        return (r" \wedge " if tex else " and ").join(condition_text(a, tex) for a in c.args)
    if isinstance(c, sympy.Ne):
        return rf"{_tex(c.lhs)} \neq {_tex(c.rhs)}" if tex else f"{sstr(c.lhs)} != {sstr(c.rhs)}"
    if isinstance(c, sympy.Eq) and not tex:     # sympy's str would print Eq(5 - i, 0)
        return f"{sstr(c.lhs)} = {sstr(c.rhs)}"
    if tex:
        return _tex(c)
    return sstr(c)


class AxisSolutions(tuple[Solution, ...]):
    """One :class:`Solution` per spatial axis (from per-axis givens like ``i=(224, 160)``).

    >>> import symconv as sc
    >>> height, width = sc.solve("conv", i=(224, 160), k=7, s=2, p=3)
    >>> height.values, width.values
    ((112,), (80,))
    """

    __slots__ = ()      # immutable as its Solutions are: no attribute can be set

    def latex(self) -> str:
        r"""Each axis's answer named by its axis (0-based, as :meth:`Chain.axis` and the
        text answers): ``\text{axis } 0\colon\ o = 112,\quad \text{axis } 1\colon\ ...``."""
        return r",\quad ".join(rf"\text{{axis }} {j}\colon\ {s.latex()}"
                                for j, s in enumerate(self))

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def to_dict(self) -> dict[str, Any]:
        return {"relation": self[0].relation, "axes": [s.to_dict() for s in self]}
