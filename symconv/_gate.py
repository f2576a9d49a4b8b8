"""The one gate every value passes on its way into symconv.

Integers: Python ``int``, numpy integers and sympy ``Integer`` are the same
integer; ``bool``, floats, strings and other objects are refused with the rule
(a ``bool`` is an ``int`` to Python, never a size to symconv).  Per-axis tuples
have the length of the axes they describe.  Names are checked against the
names a call takes, and a name given twice is refused.

Formulas (from the safe reader of :mod:`symconv._values` or from latex2sympy2,
which is run with evaluation off) are *rebuilt* bottom-up by :func:`rebuild`,
each node's size estimated **before** sympy evaluates it: at most
:data:`MAX_BITS` bits in any integer, total degree at most :data:`MAX_DEGREE`,
nesting at most :data:`MAX_NESTING`, and no division by zero.

>>> as_int("i", 224) == as_int("i", __import__("numpy").int64(224)) == 224
True
>>> as_int("i", True)
Traceback (most recent call last):
...
symconv.errors.DomainError: i must be an integer, got True (bool): write 1 or 0
>>> import sympy
>>> with sympy.evaluate(False):
...     e = sympy.Pow(sympy.Pow(10, 9), 2000)
>>> rebuild(e, "o")
Traceback (most recent call last):
...
symconv.errors.ParseError: o: 1000000000 to the power 2000 has about 60000 bits: at most 16384
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sympy

from .errors import DomainError, ParseError, UnknownNameError, UsageError

__all__ = ["as_int", "as_axes", "plain", "check_names", "rebuild", "MAX_BITS", "MAX_DEGREE",
           "MAX_NESTING", "refuse_infinite"]

MAX_BITS = 16384
"""Largest integer a formula may build (in bits), checked before it is built."""

MAX_DEGREE = 8
"""Largest total degree of a formula (``(i+k)^8`` is the limit), checked before expanding:
convolution arithmetic is of low degree (``params`` is ``k^n F_i F_o``)."""

MAX_AXES = 64
"""Largest number of spatial axes ``n`` (it is an exponent: ``k^n`` in ``params``)."""

MAX_NESTING = 200
"""Deepest expression tree a formula may have."""


def _is_sympy(value: Any) -> bool:
    """A sympy object? (Without importing sympy: a value can only be one once it is.)"""
    loaded = sys.modules.get("sympy")
    return loaded is not None and isinstance(value, loaded.Basic)


def is_bool(value: Any) -> bool:
    """A Python, numpy or torch bool (``torch.tensor(True)`` has ``__index__``: 1; numpy
    2's bool type is named ``bool``, numpy 1's ``bool_``: the dtype says it for both)."""
    return isinstance(value, bool) or type(value).__name__ == "bool_" or \
        str(getattr(value, "dtype", "")) in ("torch.bool", "bool")


def as_int(what: str, value: Any, lo: int | None = None) -> int:
    """``value`` as a Python ``int`` (numpy and sympy integers accepted), at least ``lo``."""
    if type(value) is int and (lo is None or value >= lo):
        return value                        # the common case first: no bool is of type int
    if is_bool(value):
        raise DomainError(f"{what} must be an integer, got {value!r} (bool): write 1 or 0")
    if _is_sympy(value):
        if not value.is_Integer:
            raise DomainError(f"{what} must be an integer, got {value}")
        out = int(value)
    elif isinstance(value, (float, complex, str, bytes)):
        raise DomainError(f"{what} must be an integer, got {value!r} ({type(value).__name__})")
    else:
        try:
            if getattr(value, "ndim", 0):       # torch.tensor([224]) has __index__ too
                raise TypeError
            out = operator.index(value)        # int and numpy integer types
        except TypeError:
            raise DomainError(f"{what} must be an integer, got {value!r} "
                              f"({type(value).__name__})") from None
    if lo is not None and out < lo:
        kind = {1: "a positive integer (>= 1)", 0: "a nonnegative integer (>= 0)"}.get(
            lo, f"an integer >= {lo}")
        raise DomainError(f"{what} must be {kind}, got {out}")
    return out


def as_flag(what: str, value: Any) -> bool:
    """``value`` as a flag: ``True``/``False`` (numpy's too) or ``1``/``0``; anything else
    refused (the string ``"False"`` is truthy: read as a flag it would mean ``True``).

    >>> as_flag("ceil_mode", 1), as_flag("ceil_mode", False)
    (True, False)
    """
    if is_bool(value) and getattr(value, "ndim", 0) == 0:    # numpy 2's bool is "bool"
        return bool(value)
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise UsageError(f"{what}={value!r}: True or False")


def integer(value: Any) -> Any:
    """A Python, numpy or sympy integer as a Python ``int``; anything else (a bool, a float,
    a string, a formula) unchanged, for the caller to refuse or to find not a member.

    >>> integer(True), integer(7), integer("7")
    (True, 7, '7')
    """
    if type(value) is int:      # first: a bool's type is bool
        return value
    if is_bool(value):
        return value
    if _is_sympy(value):
        return int(value) if value.is_Integer else value
    if isinstance(value, (int, float, complex, str, bytes)) or \
            not hasattr(type(value), "__index__") or bool(getattr(value, "ndim", 0)):
        return value            # (an array of one value is an array, as numpy's says)
    try:
        return operator.index(value)
    except TypeError:           # an array of several values, say: not an integer
        return value


def plain(value: Any) -> Any:
    """A numpy (or other ``__index__``) or sympy integer as a Python ``int``; anything else
    unchanged, so that the caller's own check names its rule for bools, floats, strings
    and formulas (``sympy.Integer(3)`` is the layer's ``3``, as ``np.int64(3)`` is)."""
    if _is_sympy(value):
        return int(value) if value.is_Integer else value
    if isinstance(value, (bool, int, str, bytes, float)) or is_bool(value) or \
            not hasattr(type(value), "__index__") or bool(getattr(value, "ndim", 0)):
        return value
    return operator.index(value)


def as_axes(what: str, value: Any, n: int, lo: int | None = None) -> tuple[int, ...]:
    """One integer for every axis, or a tuple/list of exactly ``n`` integers."""
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise DomainError(f"{what} gives {len(value)} values, expected {n}: give one "
                              f"integer or {n}")
        return tuple(as_int(f"{what}[{ax}]", v, lo) for ax, v in enumerate(value))
    return (as_int(what, value, lo),) * n


def check_names(what: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Refuse a name ``given`` that is not ``known``, and a name given twice."""
    known = list(known)
    seen: set[str] = set()
    for name in given:
        if not isinstance(name, str):
            raise UsageError(f"{what}: a name is a string, got {name!r}")
        if name in seen:
            raise UsageError(f"{what}: {name} given twice; give it once")
        seen.add(name)
        if name not in known:
            raise UnknownNameError(f"{what}: unknown name {name!r}; known: {', '.join(known)}")


def short(e: Any) -> str:
    """``e`` as text, a long integer shortened to its size (a Python int past Python's
    4 300-digit print limit too)."""
    if type(e) is int and e.bit_length() > 200:
        return f"an integer of about {int(e.bit_length() * 0.30103) + 1} digits"
    text = str(e)
    if len(text) > 60:
        return f"{text[:12]}...({len(text)} characters)" if not getattr(e, "is_Integer", False) \
            else f"an integer of {len(text)} digits"
    return text


def _bits(e: sympy.Basic) -> int:
    if e.is_Integer:
        return abs(int(e)).bit_length()
    if e.is_Rational:
        return max(abs(int(e.p)).bit_length(), abs(int(e.q)).bit_length())
    return 0


def _degree(e: sympy.Basic) -> int:
    import sympy
    if isinstance(e, sympy.Symbol):
        return 1
    if e.is_Number or not e.args:
        return 0
    if isinstance(e, sympy.Mul):
        return sum(_degree(a) for a in e.args)
    if isinstance(e, sympy.Pow):
        ex = e.exp
        return _degree(e.base) * (abs(int(ex)) if ex.is_Integer else 1) + _degree(ex)
    return max(_degree(a) for a in e.args)


def refuse_infinite(what: str, e: sympy.Basic) -> None:
    """A formula that divides by zero (``zoo``, ``nan``, ``oo``) is refused."""
    import sympy
    if e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ParseError(f"{what}: division by zero (the formula is undefined); "
                         "divide by a nonzero value")


def _node(e: sympy.Basic, args: list[sympy.Basic], what: str) -> sympy.Basic:
    """Build ``e.func(*args)`` after checking the size it will have."""
    import sympy
    if isinstance(e, sympy.Pow):
        base, ex = args
        if ex.is_Integer and ex < 0 and base == 0:
            raise ParseError(f"{what}: division by zero (0 to a negative power); "
                             "divide by a nonzero value")
        if ex.is_number and not ex.is_Integer:
            raise ParseError(f"{what}: the exponent {short(ex)} is not an integer")
        if ex.is_Integer:
            n = abs(int(ex))
            if base.is_Number and _bits(base) * n > MAX_BITS:
                raise ParseError(f"{what}: {short(base)} to the power {n} has about "
                                 f"{_bits(base) * n} bits: at most {MAX_BITS}")
            if _degree(base) * n > MAX_DEGREE:
                raise ParseError(f"{what}: ({short(base)})^{n} has degree {_degree(base) * n}: at "
                                 f"most {MAX_DEGREE}")
        elif ex.free_symbols and not base.free_symbols and _bits(base) > 64:
            raise ParseError(f"{what}: a power of the {_bits(base)}-bit integer {short(base)} with a "
                             "symbolic exponent: at most 64 bits")
    if isinstance(e, sympy.Mul):
        bits = sum(_bits(a) for a in args)
        if bits > MAX_BITS:
            raise ParseError(f"{what}: a product of about {bits} bits: at most {MAX_BITS}")
        if sum(_degree(a) for a in args) > MAX_DEGREE:
            raise ParseError(f"{what}: a product of degree {sum(_degree(a) for a in args)}: at "
                             f"most {MAX_DEGREE}")
    if isinstance(e, sympy.Mod) and args[1] == 0:
        raise ParseError(f"{what}: mod by zero is undefined; use a nonzero modulus")
    if isinstance(e, sympy.Mod):
        # latex2sympy2 builds sympy's Mod: symconv's never rewrites a remainder inside one
        from ._mod import Mod
        out = Mod(*args)
    else:
        out = e.func(*args)
    refuse_infinite(what, out)
    return out


def rebuild(e: sympy.Basic, what: str = "formula", depth: int = 0) -> sympy.Basic:
    """Evaluate an unevaluated tree bottom-up, refusing any node over the size budget."""
    if depth > MAX_NESTING:
        raise ParseError(f"{what}: nested deeper than {MAX_NESTING} levels")
    if e.is_Atom:
        if _bits(e) > MAX_BITS:
            raise ParseError(f"{what}: an integer of {_bits(e)} bits: at most {MAX_BITS}")
        refuse_infinite(what, e)
        return e
    return _node(e, [rebuild(a, what, depth + 1) for a in e.args], what)


def substitute_known(given: Mapping[Any, Any]) -> dict[Any, Any]:
    """Replace, in every formula among ``given``, the symbols that are given as integers."""
    import sympy
    numbers = {s: sympy.Integer(v) for s, v in given.items()
               if isinstance(v, int) and not isinstance(v, bool)}
    out = dict(given)
    for s, v in given.items():
        if isinstance(v, sympy.Basic) and v.free_symbols & set(numbers):
            try:
                w = v.xreplace(numbers)
            except (ArithmeticError, ValueError, TypeError):
                # mod(i, k - 3) at k = 3: Python's ZeroDivisionError, or sympy's "zoo is
                # not comparable" from a 1/0 inside a min
                at = ", ".join(f"{x} = {n}" for x, n in numbers.items() if x in v.free_symbols)
                raise DomainError(f"{s} = {short(v)} is undefined at {at}: it divides by 0 "
                                  "there; give values where it is defined", value=str(v)) from None
            refuse_infinite(str(s), w)
            out[s] = int(w) if w.is_Integer else w
    return out
