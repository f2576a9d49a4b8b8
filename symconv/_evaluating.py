"""sympy evaluating inside symconv, whatever the caller's setting.

A caller's ``with sympy.evaluate(False):`` (a notebook's way to display a formula as
written) is sympy's global switch: symconv's relations built under it stay unevaluated
(``p + (i + p)``), its proofs' steps fail to simplify (``round_trip`` would not hold, and
be cached so for the session) and sympy raises on comparisons it cannot make.  Every
entry point that reaches sympy runs with evaluation on; the numeric fast path, which
never imports sympy, is untouched.

>>> import sympy
>>> @evaluated
... def two():
...     return sympy.Add(1, 1)
>>> with sympy.evaluate(False):
...     sympy.Add(1, 1), two()
(1 + 1, 2)
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["evaluated", "evaluating"]

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)


def evaluated(fn: F) -> F:
    """``fn`` run with sympy's evaluation on (as it is unless a caller turned it off)."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        sp = sys.modules.get("sympy")
        if sp is None or sp.core.parameters.global_parameters.evaluate:
            return fn(*args, **kwargs)
        with sp.core.parameters.evaluate(True):
            return fn(*args, **kwargs)
    return run      # type: ignore[return-value]


def evaluating(cls: C | None = None, *, numeric: tuple[str, ...] = ()) -> Any:
    """``cls`` with every public method and property of its own run by :func:`evaluated`,
    but those in ``numeric`` (integers in, integers out: no sympy, and no cost added to
    the fast path, ``Chain.output``)."""
    if cls is None:
        return functools.partial(evaluating, numeric=numeric)
    for name, member in list(vars(cls).items()):
        if name in numeric or (name.startswith("__") and name not in (
                "__contains__", "__iter__", "__len__", "__str__", "__repr__")):
            continue
        if name.startswith("_") and not name.startswith("__") and not name.startswith(
                "_repr_"):
            continue
        if isinstance(member, property):
            setattr(cls, name, property(evaluated(member.fget) if member.fget else None,
                                        member.fset, member.fdel, member.__doc__))
        elif isinstance(member, functools.cached_property):
            wrapped = functools.cached_property(evaluated(member.func))
            wrapped.__set_name__(cls, name)
            setattr(cls, name, wrapped)
        elif isinstance(member, (staticmethod, classmethod)):
            setattr(cls, name, type(member)(evaluated(member.__func__)))
        elif callable(member):
            setattr(cls, name, evaluated(member))
    return cls
