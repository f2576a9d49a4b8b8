r"""Forward maps at integers without sympy: a relation's checked value, per axis too.

One rule for every evaluator of a relation at integer values: each input an
``int`` in its domain, then every condition in order (the first broken one
names its rule), then the right side, which must land in the left side's
domain.  :func:`checked_evaluator` states that rule once; the compiled
evaluator of :meth:`symconv.relations.Relation.evaluate` and the generated one
here (:func:`evaluate`, read from :mod:`symconv._numeric_tables`, which
:mod:`symconv._numeric_gen` prints from the relations) are both built by it,
so they refuse the same values with the same messages.  The networks of
:mod:`symconv.chain` compute their sizes, paddings, receptive fields and
counts through this module and import sympy only for a formula.

>>> evaluate("conv", i=224, k=7, s=2, p=3, d=1)
112
>>> evaluate_over_axes("params", {"k": (1, 7)}, F_i=32, F_o=32, g=1, b=1)
7200
>>> receptive_step(3, 1, 1, 3, 2, 1)
(5, 2, 2)
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from . import _numeric_tables
from ._gate import integer
from ._intervals import ceil_div
from .errors import DomainError, UsageError

__all__ = ["checked_evaluator", "evaluate", "evaluate_over_axes", "receptive_step", "ceil_div",
           "inputs", "broken_setting", "bound", "batch"]

_t: Any = _numeric_tables
"""The generated tables (untyped: printed code)."""

Check = tuple[Callable[..., Any], tuple[str, ...], str]
"""A condition: its function, the inputs it reads (by name, in order) and its message."""


def _refusal(var: str, v: Any, lo: int) -> DomainError:
    """Why ``v`` (not an ``int`` at least ``lo``) is not a value of the input ``var``."""
    if type(v) is not int:
        return DomainError(f"{var} must be an integer, got {v!r}")
    return DomainError(f"{var} must be >= {lo}, got {v}")


def checked_evaluator(name: str, lhs: str, names: Sequence[str],
                      lows: Sequence[tuple[str, int]], conds: Sequence[Check],
                      rhs: Callable[..., Any], low_out: int
                      ) -> Callable[[Mapping[str, Any]], int]:
    """The checked forward map of the relation ``name``: ``lhs = rhs(names)``.

    ``lows`` are the inputs' domains (``(name, least value)``), ``conds`` the
    conditions in the relation's order, ``low_out`` the left side's least value.
    ``rhs`` may return None where it is not an integer (a generated exact division).
    """
    wanted = set(names)

    def run(values: Mapping[str, Any]) -> int:
        if values.keys() != wanted:
            raise UsageError(f"{name} takes {', '.join(names)}; got {', '.join(values)}")
        for var, lo in lows:
            v = values[var]
            if type(v) is not int or v < lo:
                raise _refusal(var, v, lo)
        for check, cond_names, message in conds:
            if not check(*[values[c] for c in cond_names]):
                raise DomainError(message)
        return _landed(name, lhs, rhs(*[values[var] for var in names]), low_out)
    return run


def _landed(name: str, lhs: str, out: Any, low_out: int) -> int:
    """The right side's value, refused unless it is an integer in the left side's domain."""
    if out is None:
        raise DomainError(f"{name} is not an integer here")
    if out < low_out:
        raise DomainError(f"{lhs} would be {out}: not a valid {name}")
    return int(out)


@functools.cache
def rule_of(name: str, message: str) -> str:
    """The rule of the condition of ``name`` that ``message`` reports, without PyTorch's
    own words (for a layer of another framework); ``message`` when it reports none.

    >>> try:
    ...     evaluate("conv_asym", i=4, k=7, s=1, d=1, p_l=0, p_r=0)
    ... except DomainError as exc:
    ...     print(str(exc)[-20:]); print(rule_of("conv_asym", str(exc)))
    actual input size")
    the padded input must hold one dilated kernel: i + p_l + p_r >= d(k-1) + 1
    """
    for rule in _t.CONDITION_RULES.get(name, ()):
        if message.startswith(rule):
            return str(rule)
    return message


def _evaluator(name: str) -> Callable[[Mapping[str, Any]], int]:
    try:
        value, _, names = _t.VALUES[name]
        (lhs, low_out), lows, conds = _t.CHECKED[name]
    except KeyError:
        raise UsageError(f"{name!r} has no generated forward map") from None
    return checked_evaluator(name, lhs, names, lows, conds, value, low_out)


def inputs(name: str) -> tuple[str, ...]:
    """The inputs of the relation ``name``, in the order its forward map takes them."""
    names: tuple[str, ...] = _t.VALUES[name][2]
    return names


def broken_setting(name: str, settings: Mapping[str, int]) -> str | None:
    """The rule of the first condition of ``name`` that reads only ``settings`` (a
    layer's values, no size) and fails there; None when they all hold.

    >>> broken_setting("pool", {"k": 2, "s": 2, "p": 2, "d": 1})
    'pooling padding must be at most half the kernel: 2p <= k'
    """
    _, _, conds = _t.CHECKED[name]
    for (check, reads, _), rule in zip(conds, _t.CONDITION_RULES[name], strict=True):
        if all(r in settings for r in reads) and not check(*[settings[r] for r in reads]):
            rule_: str = rule
            return rule_
    return None


def bound(name: str, var: str, fixed: Mapping[str, Any]) -> Callable[[int], int] | None:
    """The checked forward map of ``name`` as a function of the input ``var`` alone, every
    other input fixed at ``fixed``: the same checks in the same order, with the same
    messages, as :func:`evaluate` (the checks of the fixed values alone are made once).
    None when a fixed value fails its own checks (:func:`evaluate` then says which).

    >>> conv = bound("conv", "i", {"k": 7, "s": 2, "p": 3, "d": 1})
    >>> conv(224)
    112
    """
    value, _, names = _t.VALUES[name]
    (lhs, low_out), lows, conds = _t.CHECKED[name]
    if set(fixed) | {var} != set(names) or var in fixed:
        return None
    lo_var = dict(lows)[var]
    if any(type(fixed[n]) is not int or fixed[n] < lo for n, lo in lows if n != var):
        return None
    reading = []
    for check, reads, message in conds:
        if var not in reads:
            if not check(*[fixed[r] for r in reads]):
                return None
        else:
            at = reads.index(var)
            reading.append((check, tuple(fixed.get(r) for r in reads), at, message))
    slot = names.index(var)
    args = [fixed.get(n) for n in names]

    def run(x: int) -> int:
        if type(x) is not int or x < lo_var:
            raise _refusal(var, x, lo_var)
        for check, given, at, message in reading:
            if not check(*given[:at], x, *given[at + 1:]):
                raise DomainError(message)
        call = args.copy()
        call[slot] = x
        return _landed(name, lhs, value(*call), low_out)
    return run


BATCH_LIMIT = 2 ** 31
"""Largest magnitude :func:`batch` takes (int64 stays exact for the relations' low degree)."""


@functools.cache
def batch(name: str) -> Callable[[Mapping[str, Any]], tuple[Any, Any]] | None:
    """The checked forward map of ``name`` over numpy integer arrays: ``(values, valid)``,
    ``valid`` where every input is in its domain, every condition holds and the value is
    in the left side's (the checks of :func:`checked_evaluator`, elementwise); None when
    the generated code does not read arrays (a ``max``, a conditional).  Inputs of
    magnitude ``2**31`` or more are refused (``OverflowError``): int64 stays exact below.
    """
    if not _t.ARRAY_SAFE.get(name):
        return None
    value, _, names = _t.VALUES[name]
    (_, low_out), lows, conds = _t.CHECKED[name]

    def run(arrays: Mapping[str, Any]) -> tuple[Any, Any]:
        import numpy as np
        for n in names:
            a = arrays[n]
            if np.ndim(a) and a.size and max(-int(a.min()), int(a.max())) >= BATCH_LIMIT or \
                    not np.ndim(a) and abs(int(a)) >= BATCH_LIMIT:
                raise OverflowError(f"{n}: values of magnitude 2**31 or more")
        with np.errstate(divide="ignore", invalid="ignore"):
            valid: Any = True
            for n, lo in lows:
                valid = valid & (arrays[n] >= lo)
            for check, reads, _ in conds:
                valid = valid & check(*[arrays[r] for r in reads])
            values = value(*[arrays[n] for n in names])
            valid = valid & (values >= low_out)
        return values, valid
    return run


def evaluate(name: str, /, **values: int) -> int:
    """The relation ``name`` at integer ``values`` (every input), with its checks: the
    generated twin of :meth:`symconv.relations.Relation.evaluate`."""
    return _evaluator(name)(values)


def evaluate_over_axes(name: str, axes: Mapping[str, tuple[int, ...]], /, **values: Any) -> int:
    r"""The relation ``name`` for an N-d layer whose per-axis values differ (a 1x7 kernel).

    The relation states an n-d quantity with ``x**n`` for a per-axis ``x``
    (``params``: :math:`k^n`, ``macs``: :math:`o^n k^n`); axes do not interact, so for
    per-axis values :math:`x_1, \dots, x_n` the power is the product :math:`\prod_j x_j`
    (equal to :math:`x^n` when every axis is the same).  ``n`` is the number of axes.
    The generator lists, per relation, the variables that enter only as ``x**n``
    (``POWERS``); each is put in as its product (or a scalar's ``n``-th power) with
    ``n = 1``, which is the relation with ``x**n`` replaced.  Conditions that read a
    per-axis variable are not checked here (they hold on each axis or not at all).
    """
    bad = next((var for var, v in axes.items() if not isinstance(v, (tuple, list)) or not v), None)
    if bad is not None:
        raise UsageError(f"axes maps a per-axis variable to its values, one per axis "
                         f"({bad}=(1, 7)), got {bad}={axes[bad]!r}")
    lengths = {len(v) for v in axes.values()}
    if len(lengths) != 1:
        raise UsageError(f"per-axis lists of different lengths: {sorted(lengths)}")
    (n_axes,) = lengths
    if values.get("n", n_axes) != n_axes:
        raise UsageError(f"n={values['n']} but the per-axis lists have {n_axes} axes: "
                         "give one value per axis (or drop n)")
    if name not in _t.VALUES:
        raise UsageError(f"{name!r} has no generated forward map")
    value, _, names = _t.VALUES[name]
    _, lows, conds = _t.CHECKED[name]
    least = dict(lows)
    axes = {var: tuple(integer(v) for v in vals) for var, vals in axes.items()}
    for var, vals in axes.items():
        lo = least.get(var, _t.DOMAIN_MIN.get(var, 0))
        for v in vals:
            if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                raise DomainError(f"{var} must be an integer >= {lo}, got {v!r}")
    powers = _t.POWERS.get(name, ())
    left = sorted(var for var in axes if var in names and var not in powers)
    if left:
        raise UsageError(f"{left[0]} enters {name!r} other than as {left[0]}^n: "
                         "it takes one value for every axis here")
    env: dict[str, int] = {}
    for var, v in values.items():
        if isinstance(v, bool) or not hasattr(type(v), "__index__"):
            raise DomainError(f"{var} must be an integer, got {v!r}")
        if var != "n":
            env[var] = operator.index(v)
    for var in powers:
        if var in axes:
            env[var] = math.prod(axes[var])
        elif var in env:
            env[var] = env[var] ** n_axes
    env["n"] = 1
    missing = [var for var in names if var not in env]
    if missing:
        raise UsageError(f"{name} takes {', '.join(names)}; {', '.join(missing)} not given")
    for (check, cond_names, _), rule in zip(conds, _t.CONDITION_RULES[name], strict=True):
        if set(cond_names) & set(axes):
            continue
        if not check(*[env[c] for c in cond_names]):
            raise DomainError(f"{name}: {rule}")
    out = value(*[env[var] for var in names])
    if out is None:
        raise DomainError(f"{name} is not an integer here")
    return int(out)


def receptive_step(r: int, j: int, P: int, khat: int, stride: int, p_l: int
                   ) -> tuple[int, int, int]:
    """``(r, j, P)`` of a sub-network followed by one direct layer, at integers: the
    generated form of :func:`symconv.receptive.step` (the two-layer closed forms of
    :func:`symconv.receptive.closed_forms`, the sub-network standing for the first)."""
    out: tuple[int, int, int] = _t.receptive_step(r, j, P, khat, stride, p_l)
    return out

def totals(counts: Iterable[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
    """The sums of the (params, MACs) of a table's rows; each ``None`` where a row's is unknown.

    >>> totals([(10, 100), (5, 20)]), totals([(10, 100), (None, None)])
    ((15, 120), (None, None))
    """
    params: int | None = 0
    macs: int | None = 0
    for p, m in counts:
        params = None if params is None or p is None else params + p
        macs = None if macs is None or m is None else macs + m
    return params, macs
