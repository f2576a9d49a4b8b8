"""Relations compiled to plain Python (and numpy) functions with exact integer arithmetic.

sympy's ``lambdify`` generates the function from the relation's own expression; the
printer below makes every floor an integer floor division (``(n)//(d)``), every
ceiling ``-((-n)//d)`` and every ``Mod`` a ``%``, so nothing passes through a float.
Only expressions whose divisions all sit inside a floor, ceiling or Mod are compiled
this way; the rest use the exact closures of :mod:`symconv._exact`.  The generated
code comes from symconv's relations, never from user text.

>>> from symconv.relations import CONV
>>> f = python_function(CONV.rhs, ("i", "k", "s", "p", "d"))
>>> f(224, 7, 2, 3, 1), f(10**30, 3, 2, 1, 1)
(112, 500000000000000000000000000000)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import sympy
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter

from ._intervals import ceil_div

__all__ = ["python_function", "numpy_function", "fused_relation", "implied_at_least",
           "integer_exact", "ceil_div"]


def _num_den(arg: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    num, den = sympy.fraction(sympy.together(arg))
    return sympy.expand(num), den


def integer_exact(expr: sympy.Basic) -> bool:
    """True when every division of ``expr`` sits inside a floor, ceiling or Mod."""
    def ok(e: sympy.Basic, inside: bool) -> bool:
        if isinstance(e, (sympy.floor, sympy.ceiling)):
            return all(ok(a, True) for a in sympy.fraction(sympy.together(e.args[0])))
        if isinstance(e, sympy.Pow) and e.exp.is_negative and not inside:
            return False
        if isinstance(e, sympy.Rational) and not e.is_Integer and not inside:
            return False
        if isinstance(e, sympy.Pow) and not (e.exp.is_Integer and e.exp >= 0):
            return False if not inside else e.exp.is_Integer
        # a factor of the floor's numerator or denominator is inside it; an argument of a
        # max, min or abs is not (floor(max(i/2, k)) printed max(i/2, k)//1: a float)
        return all(ok(a, inside and isinstance(e, sympy.Mul)) or ok(a, False)
                   for a in e.args) if e.args else True
    return ok(expr, False)


class _IntegerDivision:
    """Floors, ceilings and Mod as integer floor division, through per-printer templates."""

    FLOOR = "(({n})//({d}))"
    CEIL = "(-((-({n}))//({d})))"
    MOD = "(({a}) % ({b}))"

    def _print_floor(self, expr: sympy.floor) -> str:
        n, d = _num_den(expr.args[0])
        return self.FLOOR.format(n=self._print(n), d=self._print(d))  # type: ignore[attr-defined]

    def _print_ceiling(self, expr: sympy.ceiling) -> str:
        n, d = _num_den(expr.args[0])
        return self.CEIL.format(n=self._print(n), d=self._print(d))  # type: ignore[attr-defined]

    def _print_Mod(self, expr: sympy.Mod) -> str:
        a, b = (self._print(x) for x in expr.args)  # type: ignore[attr-defined]
        return self.MOD.format(a=a, b=b)


class _IntPrinter(_IntegerDivision, PythonCodePrinter):
    """Python code with integer floor division for floors, ceilings and Mod."""


class _NumpyIntPrinter(_IntegerDivision, NumPyPrinter):
    """numpy code with integer floor division (elementwise, int64)."""

    FLOOR = "numpy.floor_divide({n}, {d})"
    CEIL = "(-numpy.floor_divide(-({n}), {d}))"
    MOD = "numpy.mod({a}, {b})"


@lru_cache(maxsize=512)
def python_function(expr: sympy.Basic, names: Sequence[str]) -> Callable[..., Any]:
    """A positional Python function of ``names`` computing ``expr`` exactly (every division
    inside a floor, ceiling or Mod; :func:`symconv._exact.positional_function` takes any)."""
    syms = [sympy.Symbol(n) for n in names]
    plain = expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})
    if not integer_exact(expr):
        raise ValueError(f"{expr} has a division outside a floor: use "
                         "symconv._exact.positional_function")
    return sympy.lambdify(syms, plain, modules=[{"functools": functools}], printer=_IntPrinter(
        {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False}))


@lru_cache(maxsize=256)
def numpy_function(expr: sympy.Basic, names: Sequence[str]) -> Callable[..., Any]:
    """The same on numpy integer arrays (int64: exact while values stay below 2**63)."""
    if not integer_exact(expr):
        raise ValueError(f"{expr} has a division outside a floor: no exact numpy form")
    syms = [sympy.Symbol(n) for n in names]
    plain = expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})
    return sympy.lambdify(syms, plain, modules=[{"functools": functools}, "numpy"],
                          printer=_NumpyIntPrinter())


Node = Callable[[Sequence[Any]], tuple[Any, bool]]
"""A compiled node: from the input arrays, ``(value, owned)``; an owned value is a fresh
array the caller may overwrite (the in-place evaluation of :func:`fused_relation`)."""


def _np() -> Any:
    import numpy
    return numpy


def _owned(v: Any) -> bool:
    return bool(getattr(v, "ndim", 0))


def _fold(ufunc_name: str, parts: list[Node]) -> Node:
    """``a op b op ...`` evaluated left to right into one buffer (owned when possible).

    Inputs are broadcast to one shape first (:meth:`Relation.evaluate_batch`), so an
    owned array always has the full shape and can take any operand in place.
    """
    def run(env: Sequence[Any]) -> tuple[Any, bool]:
        ufunc = getattr(_np(), ufunc_name)
        acc, own = parts[0](env)
        for part in parts[1:]:
            v, v_own = part(env)
            if own:
                ufunc(acc, v, out=acc)
            elif v_own:
                ufunc(acc, v, out=v)
                acc, own = v, True
            else:
                acc = ufunc(acc, v)
                own = _owned(acc)
        return acc, own
    return run


def _signed_sum(parts: list[tuple[Node, bool]]) -> Node:
    """``± a ± b ...`` into one buffer (the first term added, not subtracted)."""
    def run(env: Sequence[Any]) -> tuple[Any, bool]:
        np = _np()
        first, negative = parts[0]
        acc, own = first(env)
        if negative:
            acc = np.negative(acc, out=acc) if own else np.negative(acc)
            own = _owned(acc)
        for part, neg in parts[1:]:
            v, v_own = part(env)
            ufunc = np.subtract if neg else np.add
            if own:
                ufunc(acc, v, out=acc)
            elif v_own and not neg:
                np.add(acc, v, out=v)
                acc, own = v, True
            else:
                acc = ufunc(acc, v)
                own = _owned(acc)
        return acc, own
    return run


def _binary(ufunc_name: str, left: Node, right: Node) -> Node:
    def run(env: Sequence[Any]) -> tuple[Any, bool]:
        ufunc = getattr(_np(), ufunc_name)
        a, a_own = left(env)
        b, _ = right(env)
        if a_own and ufunc_name not in _TO_BOOL:
            ufunc(a, b, out=a)
            return a, True
        out = ufunc(a, b)
        return out, _owned(out)
    return run


_TO_BOOL = {"greater_equal", "greater", "less_equal", "less", "equal", "not_equal"}
_RELATIONAL = {sympy.GreaterThan: "greater_equal", sympy.StrictGreaterThan: "greater",
               sympy.LessThan: "less_equal", sympy.StrictLessThan: "less",
               sympy.Equality: "equal", sympy.Unequality: "not_equal"}


def _node(e: sympy.Basic, names: Sequence[str], lets: Sequence[Any] = ()) -> Node | None:
    """``e`` as a tree of numpy calls writing into owned buffers, or None (unsupported).

    ``lets`` are symbols standing for values computed once (:func:`fused_relation`),
    held after the inputs in ``env``; the last use of one may overwrite it.
    """
    if e in lets:
        j = list(lets).index(e)
        at = len(names) + j

        def use(env: Sequence[Any]) -> tuple[Any, bool]:
            left = env[-1]              # uses left of each let, this run
            left[j] -= 1
            return env[at], left[j] == 0 and _owned(env[at])
        return use
    if e.is_Symbol:
        at = list(names).index(e.name)
        return lambda env: (env[at], False)
    if e.is_Integer:
        value = int(e)
        return lambda env: (value, False)
    if e is sympy.true or e is sympy.false:
        truth = bool(e)
        return lambda env: (truth, False)
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        n, d = (_node(x, names, lets) for x in _num_den(e.args[0]))
        if n is None or d is None:
            return None
        if isinstance(e, sympy.floor):
            return _binary("floor_divide", n, d)
        neg_n = _fold("multiply", [n, lambda env: (-1, False)])
        div = _binary("floor_divide", neg_n, d)
        return _fold("multiply", [div, lambda env: (-1, False)])
    if isinstance(e, sympy.Mod):
        a, b = (_node(x, names, lets) for x in e.args)
        return _binary("mod", a, b) if a is not None and b is not None else None
    if isinstance(e, sympy.Pow) and e.exp.is_Integer and e.exp >= 0:
        base = _node(e.base, names, lets)
        exp = int(e.exp)
        return _binary("power", base, lambda env: (exp, False)) if base is not None else None
    ops = {sympy.Add: "add", sympy.Mul: "multiply", sympy.Max: "maximum", sympy.Min: "minimum",
           sympy.And: "logical_and", sympy.Or: "logical_or"}
    if isinstance(e, sympy.Add):            # a - b as a subtraction, not a - 1 * b
        terms = sorted(e.args, key=lambda a: -sympy.count_ops(a) if not a.is_Number else 1)
        signed = []
        for t in terms:
            negative = t.could_extract_minus_sign() and not t.is_Number
            part = _node(-t if negative else t, names, lets)
            if part is None:
                return None
            signed.append((part, negative))
        if signed[0][1]:
            signed.sort(key=lambda pair: pair[1])
        return _signed_sum(signed)
    for cls, name in ops.items():
        if isinstance(e, cls):
            args = sorted(e.args, key=lambda a: -sympy.count_ops(a) if not a.is_Number else 1)
            parts = [_node(a, names, lets) for a in args]
            if any(p is None for p in parts):
                return None
            return _fold(name, parts)      # type: ignore[arg-type]
    for cls, name in _RELATIONAL.items():
        if isinstance(e, cls):
            a, b = _node(e.lhs, names, lets), _node(e.rhs, names, lets)
            return _binary(name, a, b) if a is not None and b is not None else None
    return None


_DIFFERENCE = {sympy.GreaterThan: (1, sympy.GreaterThan), sympy.StrictGreaterThan:
               (1, sympy.StrictGreaterThan), sympy.LessThan: (-1, sympy.GreaterThan),
               sympy.StrictLessThan: (-1, sympy.StrictGreaterThan)}


@lru_cache(maxsize=256)
def _share(conditions: tuple[sympy.Basic, ...], rhs: sympy.Basic
           ) -> tuple[list[Any], list[sympy.Expr], list[sympy.Basic], sympy.Basic, list[bool]]:
    """The floor numerators that a condition compares with zero, as shared values:
    ``(lets, their expressions, the conditions over them, the right side over them,
    whether each let is strictly positive (else nonnegative) where valid)``."""
    numerators: dict[sympy.Expr, tuple[sympy.Basic, sympy.Expr]] = {}
    for f in rhs.atoms(sympy.floor):
        num, den = _num_den(f.args[0])
        numerators.setdefault(num, (f, den))
    lets: list[Any] = []
    values: list[sympy.Expr] = []
    conds: list[sympy.Basic] = []
    strict: list[bool] = []
    swap: dict[sympy.Basic, sympy.Basic] = {}
    for c in conditions:
        kind = _DIFFERENCE.get(type(c))
        diff = sympy.expand(kind[0] * (c.lhs - c.rhs)) if kind else None
        if kind is None or diff not in numerators or diff in values:
            conds.append(c)
            continue
        let = sympy.Dummy("shared")
        lets.append(let)
        values.append(diff)
        conds.append(kind[1](let, 0))
        strict.append(kind[1] is sympy.StrictGreaterThan)
        f, den = numerators[diff]
        swap[f] = sympy.floor(let / den)
    return lets, values, conds, rhs.xreplace(swap), strict


@lru_cache(maxsize=256)
def fused_relation(conditions: tuple[sympy.Basic, ...], rhs: sympy.Basic, names: tuple[str, ...]
                   ) -> Callable[..., tuple[list[Any], Any]] | None:
    """The conditions and the right side of a relation on numpy arrays, in place, with
    each floor numerator that a condition compares with zero computed once.

    A condition ``a >= b`` is ``a - b >= 0``; when ``a - b`` (expanded) is the numerator
    of a floor of ``rhs`` (convolution: ``i + 2p - d(k - 1) - 1``), it is computed once,
    compared with zero, then divided in place for the right side.  Returns a function
    of the input arrays giving (the conditions' boolean arrays, the right side), or None
    when one of them holds an operation outside ``+ * ** floor ceiling Mod Max Min``,
    comparisons, ``And``/``Or``, or a division outside a floor.
    """
    if not all(integer_exact(e) for e in (*conditions, rhs)):
        return None
    lets, values, conds, right, _ = _share(conditions, rhs)
    let_nodes = [_node(v, names) for v in values]
    cond_nodes = [_node(c, names, lets) for c in conds]
    rhs_node = _node(right, names, lets)
    if rhs_node is None or any(x is None for x in (*let_nodes, *cond_nodes)):
        return None
    uses = [sum(1 for t in sympy.preorder_traversal(sympy.Tuple(*conds, right)) if t == let)
            for let in lets]

    def run(*arrays: Any) -> tuple[list[Any], Any]:
        env: list[Any] = list(arrays)
        env.extend(node(env)[0] for node in let_nodes)       # type: ignore[misc]
        env.append(list(uses))
        return [node(env)[0] for node in cond_nodes], rhs_node(env)[0]  # type: ignore[misc]
    return run


@lru_cache(maxsize=256)
def implied_at_least(conditions: tuple[sympy.Basic, ...], rhs: sympy.Basic, low: int) -> bool:
    """True when ``rhs >= low`` follows, by sympy's assumptions, from the symbols' own
    domains (their assumptions) and the conditions that :func:`fused_relation` shares
    (each shared numerator is nonnegative, or positive, wherever its condition holds).

    A sound shortcut: where every domain and condition holds, the right side is then
    in its own domain, and a batch need not test it again (convolution:
    ``floor(N/s) + 1 >= 1`` from ``N >= 0`` and ``s >= 1``).  False when unproven.
    """
    lets, _, _, right, strict = _share(conditions, rhs)
    twins = {let: sympy.Dummy("shared", integer=True, positive=True) if pos else
             sympy.Dummy("shared", integer=True, nonnegative=True)
             for let, pos in zip(lets, strict, strict=True)}
    return bool((right.xreplace(twins) - low).is_nonnegative)
