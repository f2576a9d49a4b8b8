"""Compile a sympy expression into a Python closure that evaluates it exactly.

Values are ``int`` where the result is an integer and ``fractions.Fraction``
otherwise; ``floor``/``ceiling``/``Mod`` use Python's exact integer division,
so nothing ever passes through a float.  The compiled closure walks only the
expression tree symconv built itself: no text is evaluated.

>>> import sympy
>>> from symconv.symbols import i, k, s
>>> f = compile_expr(sympy.floor((i - k) / s) + 1)
>>> f({"i": 10**30, "k": 3, "s": 2})
499999999999999999999999999999
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy

from ._compiled import ceil_div, integer_exact, python_function
from .vocabulary import COMPARE

__all__ = ["Inexact", "compile_expr", "evaluate", "Num"]

Num = int | Fraction
Env = Mapping[str, Any]
Fn = Callable[[Env], Any]


class Inexact(ArithmeticError):
    """The expression has no exact rational value here (irrational root, 1/0)."""


def _norm(x: Num) -> Num:
    if isinstance(x, Fraction) and x.denominator == 1:
        return x.numerator
    return x


def _div(n: Num, m: Num) -> Num:
    if m == 0:
        raise Inexact("division by zero")
    if isinstance(n, int) and isinstance(m, int):
        q, r = divmod(n, m)
        return q if r == 0 else Fraction(n, m)
    return _norm(Fraction(n) / Fraction(m))


def _nonzero(m: Num) -> Num:
    if m == 0:
        raise Inexact("division by zero")
    return m


def _floordiv(n: Num, m: Num) -> int:
    if m == 0:
        raise Inexact("division by zero")
    if isinstance(n, int) and isinstance(m, int):
        return n // m
    return math.floor(Fraction(n) / Fraction(m))


def _iroot(x: int, r: int) -> int | None:
    """Exact r-th root of a nonnegative integer, or None."""
    if x < 0:
        return None
    if x < 2:
        return x
    y = int(round(x ** (1.0 / r))) if x.bit_length() < 1000 else 1 << (x.bit_length() // r)
    # Newton iteration on integers, from above
    y = max(y, 1)
    while True:
        z = ((r - 1) * y + x // y ** (r - 1)) // r
        if z >= y:
            break
        y = z
    for c in (y - 1, y, y + 1):
        if c >= 0 and c ** r == x:
            return c
    return None


def _pow(base: Num, e: Num) -> Num:
    if isinstance(e, int) or (isinstance(e, Fraction) and e.denominator == 1):
        e = int(e)
        if e >= 0:
            return _norm(Fraction(base) ** e) if isinstance(base, Fraction) else base ** e
        if base == 0:
            raise Inexact("division by zero")
        return _norm(Fraction(1) / Fraction(base) ** (-e))
    num, den = e.numerator, e.denominator
    b = Fraction(base)
    rn = _iroot(b.numerator, den) if b.numerator >= 0 else None
    rd = _iroot(b.denominator, den)
    if rn is None or rd is None:
        raise Inexact(f"{base}^({e}) is not rational")
    return _pow(_norm(Fraction(rn, rd)), num)


def _split(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    num, den = sympy.fraction(sympy.together(expr))
    return num, den


def _compile(e: Any) -> Fn:  # noqa: C901 - one dispatch over node types
    if isinstance(e, bool) or e is sympy.true or e is sympy.false:
        val = bool(e)
        return lambda env: val
    if isinstance(e, sympy.Integer):
        iv = int(e)
        return lambda env: iv
    if isinstance(e, sympy.Rational):
        fv = Fraction(int(e.p), int(e.q))
        return lambda env: fv
    if isinstance(e, sympy.Symbol):
        name = e.name
        return lambda env: env[name]
    if isinstance(e, sympy.Add):
        parts = [_compile(t) for t in e.args]
        if all(isinstance(t, (sympy.Symbol, sympy.Integer)) or _is_int_mul(t) for t in e.args):
            return lambda env: sum(f(env) for f in parts)
        return lambda env: _norm(sum((f(env) for f in parts), 0))
    if isinstance(e, sympy.Mul) and any(isinstance(t, sympy.log) for t in e.args):
        return _compile_log_ratio(e)
    if isinstance(e, sympy.Mul):
        num, den = [], []
        for t in e.args:
            if isinstance(t, sympy.Pow) and t.exp.is_Integer and t.exp < 0:
                den.append(_compile(t.base ** (-t.exp)))
            elif isinstance(t, sympy.Rational) and not isinstance(t, sympy.Integer):
                num.append(_compile(sympy.Integer(t.p)))
                den.append(_compile(sympy.Integer(t.q)))
            else:
                num.append(_compile(t))

        def mul(env: Env) -> Num:
            acc: Num = 1
            for f in num:
                acc = acc * f(env)
            if den:
                dv: Num = 1
                for f in den:
                    dv = dv * f(env)
                return _div(acc, dv)
            return _norm(acc) if isinstance(acc, Fraction) else acc
        return mul
    if isinstance(e, sympy.Pow):
        fb, fe = _compile(e.base), _compile(e.exp)
        return lambda env: _pow(fb(env), fe(env))
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        n_, d_ = _split(e.args[0])
        fn, fd = _compile(n_), _compile(d_)
        if isinstance(e, sympy.floor):
            return lambda env: _floordiv(fn(env), fd(env))
        return lambda env: ceil_div(fn(env), _nonzero(fd(env)))
    if isinstance(e, sympy.Mod):
        fa, fm = _compile(e.args[0]), _compile(e.args[1])

        def mod(env: Env) -> Num:
            x, m = fa(env), fm(env)
            if m == 0:
                raise Inexact("modulo zero")
            return _norm(x - m * _floordiv(x, m))
        return mod
    if isinstance(e, (sympy.Max, sympy.Min)):
        fs = [_compile(t) for t in e.args]
        pick = max if isinstance(e, sympy.Max) else min
        return lambda env: pick(f(env) for f in fs)
    if isinstance(e, sympy.Abs):
        f0 = _compile(e.args[0])
        return lambda env: abs(f0(env))
    if isinstance(e, sympy.Piecewise):
        cases = [(_compile(v), _compile(c)) for v, c in e.args]

        def piecewise(env: Env) -> Num:
            for fv, fc in cases:
                if fc(env):
                    return fv(env)
            raise Inexact("no case of the piecewise expression applies")
        return piecewise
    if isinstance(e, sympy.core.relational.Relational):
        fl, fr = _compile(e.lhs), _compile(e.rhs)
        op = COMPARE[e.rel_op]
        return lambda env: op(fl(env), fr(env))
    if isinstance(e, sympy.And):
        fs = [_compile(t) for t in e.args]
        return lambda env: all(f(env) for f in fs)
    if isinstance(e, sympy.Or):
        fs = [_compile(t) for t in e.args]
        return lambda env: any(f(env) for f in fs)
    if isinstance(e, sympy.Not):
        f0 = _compile(e.args[0])
        return lambda env: not f0(env)
    raise TypeError(f"symconv cannot evaluate {type(e).__name__} exactly: {e}")


def _ilog(x: Num, base: Num) -> int:
    """The integer n with base**n == x, or raise Inexact."""
    if base == 1 or base <= 0 or x <= 0:
        raise Inexact(f"log_{base}({x}) is not a unique integer")
    n, acc = 0, Fraction(1)
    step = Fraction(base)
    while (acc < x) if base > 1 else (acc > x):
        acc *= step
        n += 1
    if acc != x:
        raise Inexact(f"{x} is not a power of {base}")
    return n


def _compile_log_ratio(e: sympy.Mul) -> Fn:
    logs = [t for t in e.args if isinstance(t, sympy.log)]
    inv = [t for t in e.args if isinstance(t, sympy.Pow) and isinstance(t.base, sympy.log)
           and t.exp == -1]
    if len(logs) != 1 or len(inv) != 1 or len(e.args) != 2:
        raise TypeError(f"symconv cannot evaluate {e} exactly")
    fx, fb = _compile(logs[0].args[0]), _compile(inv[0].base.args[0])
    return lambda env: _ilog(fx(env), fb(env))


def _is_int_mul(t: sympy.Expr) -> bool:
    return isinstance(t, sympy.Mul) and all(
        isinstance(f, (sympy.Symbol, sympy.Integer)) for f in t.args)


@lru_cache(maxsize=4096)
def compile_expr(expr: Any) -> Fn:
    """A closure ``env -> exact value`` for ``expr``; env maps symbol names to numbers.

    Expressions whose divisions all sit inside floors, ceilings or Mod are compiled to
    plain Python integer code (:mod:`symconv._compiled`, about 20x faster); the rest
    are evaluated by the closure tree above, over exact Fractions.
    """
    if isinstance(expr, sympy.Basic) and expr.free_symbols and integer_exact(expr):
        names = tuple(sorted(str(x) for x in expr.free_symbols))
        fn = python_function(expr, names)

        def fast(env: Env) -> Any:
            try:
                return fn(*[env[n] for n in names])
            except ZeroDivisionError:
                raise Inexact("division by zero") from None
        return fast
    return _compile(expr)


def evaluate(expr: Any, env: Env) -> Any:
    """Evaluate ``expr`` exactly at ``env`` (symbol name -> int)."""
    return compile_expr(expr)(env)


def positional_function(expr: Any, names: tuple[str, ...]) -> Callable[..., Any]:
    """A positional function of ``names`` computing ``expr`` exactly: generated integer code
    when every division sits inside a floor, ceiling or Mod, else the exact closure tree.

    >>> positional_function(sympy.Symbol("x") / 2, ("x",))(3)
    Fraction(3, 2)
    """
    if integer_exact(expr):
        return python_function(expr, names)
    f = compile_expr(expr)
    return lambda *args: f(dict(zip(names, args, strict=True)))
