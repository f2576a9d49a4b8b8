"""Every name symconv reads, stated once: variables, relations, layer kinds, layer keys,
relation signs, and the one way a name is normalised and a near miss suggested.

``solve``, ``net``, the Python API and the REPL all read these tables, so a layer
kind or an argument name (``convt``, ``in=``/``out=``, PyTorch's ``kernel_size``,
``stride``, ``padding``, ``dilation``, ``output_padding``, ``groups``) means the same
thing everywhere.

>>> LAYER_KINDS["convt"], LAYER_KEYS["kernel_size"], RELATION_ALIASES["convt"]
('conv_transpose', 'k', 'conv_transpose')
>>> nearest("strid", VARIABLE_ALIASES)
'stride'
"""

from __future__ import annotations

import difflib
import functools
import inspect
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from .errors import ParseError, UnknownNameError, UsageError

__all__ = ["VARIABLE_ALIASES", "RELATION_ALIASES", "LAYER_KINDS", "LAYER_KEYS", "SIGNS",
           "COMPARE", "SIGN_LATEX", "LayerText", "nearest", "normalise",
           "relation_key", "split_layers"]

VARIABLE_ALIASES: dict[str, str] = {
    "input": "i", "output": "o", "kernel_size": "k", "kernel": "k", "stride": "s", "padding": "p",
    "dilation": "d", "output_padding": "a", "in_channels": "F_i", "out_channels": "F_o",
    "in": "F_i", "out": "F_o", "groups": "g", "bias": "b", "ndim": "n", "params": "P",
    "macs": "M", "padding_total": "T",
    "k_hat": "khat", "effective_kernel": "khat", "i_prime": "i'", "o_prime": "o'",
    "k_prime": "k'", "s_prime": "s'", "p_prime": "p'", "i_tilde": "itilde'",
    "ip": "i'", "op": "o'", "kp": "k'", "sp": "s'", "pp": "p'",
    "pad_left": "p_l", "pad_right": "p_r", "pad_before": "p_l", "pad_after": "p_r",
    "r": "d",
}
"""Alternative names of the canonical symbols (PyTorch's argument names among them)."""

LAYER_KINDS: dict[str, str] = {
    "conv": "conv", "conv_transpose": "conv_transpose", "convt": "conv_transpose",
    "deconv": "conv_transpose", "pool": "pool", "maxpool": "pool", "avgpool": "pool",
    "upsample": "upsample", "up": "upsample", "identity": "identity", "id": "identity",
    "relu": "identity", "bn": "identity", "act": "identity", "norm": "identity",
    "dropout": "identity",
}
"""Layer kinds of a network line, by every accepted spelling."""

RELATION_ALIASES: dict[str, str] = {
    "convolution": "conv", "conv2d": "conv", "conv1d": "conv", "conv3d": "conv",
    "transposed": "conv_transpose", "deconv": "conv_transpose", "convtranspose": "conv_transpose",
    "convt": "conv_transpose",
    "conv_transposed": "conv_transpose", "pooling": "pool", "maxpool": "pool", "avgpool": "pool",
    "round_trip": "conv_transpose",
}
"""Relation names by alternative spelling (a layer kind names its relation too)."""

LAYER_KEYS: dict[str, str] = {
    **{alias: name for alias, name in VARIABLE_ALIASES.items()
       if name in ("k", "s", "p", "d", "a", "F_i", "F_o", "g")},
    "f": "factor", "scale": "factor", "ceil": "ceil_mode",
}
"""Keys of a layer's ``key=value`` pairs: the variable aliases plus the layer settings."""

SIGNS: dict[str, str] = {"=": "==", "==": "==", "<=": "<=", ">=": ">=", "<": "<", ">": ">",
                         "!=": "!="}
"""Relation signs as written -> sympy's ``rel_op`` (one table for parsing and checking)."""

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge}
"""sympy's ``rel_op`` -> the Python comparison that decides it on numbers."""

SIGN_LATEX: dict[str, str] = {"=": "=", "==": "=", "<=": r"\leq", ">=": r"\geq", "<": "<",
                              ">": ">", "!=": r"\neq"}
"""Relation signs as written -> their LaTeX."""


def aliased(what: str, given: Mapping[str, Any], known: Sequence[str],
            aliases: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``given`` by canonical names (PyTorch's ``kernel_size=`` as ``k``); a name given
    twice, or one ``known`` does not hold, is refused in one line.

    >>> aliased("figure", {"input": 5, "kernel_size": 3}, ["i", "k", "s"])
    {'i': 5, 'k': 3}
    """
    table = VARIABLE_ALIASES if aliases is None else aliases
    out: dict[str, Any] = {}
    for key, v in given.items():
        name = key if key in known else table.get(key, key)     # a name of its own first
        if name in out:
            raise UsageError(f"{what}: {name} given twice ({key}=); give it once")
        if name not in known:
            near = nearest(key, [*known, *(a for a, n in table.items() if n in known)])
            raise UnknownNameError(f"{what}: unknown name {key!r}"
                                   f"{f'; did you mean {near!r}?' if near else ''} (it takes "
                                   f"{', '.join(known)})")
        out[name] = v
    return out


_F = TypeVar("_F", bound=Callable[..., Any])


def takes_aliases(fn: _F, aliases: Mapping[str, str] | None = None,
                  what: str | None = None) -> _F:
    """``fn`` taking its keyword arguments by any accepted name (:func:`aliased`): PyTorch's
    ``kernel_size=3`` as ``k=3``; an unknown keyword, or a required one left out, is one
    line, not a ``TypeError``.

    >>> from symconv.presets import same_padding
    >>> same_padding("tf", i=9)
    Traceback (most recent call last):
    symconv.errors.UsageError: same_padding: k not given; give k=
    """
    params = inspect.signature(fn).parameters
    kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    known = [n for n, p in params.items() if n != "self" and p.kind in kinds]
    fast = frozenset(known)
    positional = [n for n, p in params.items() if p.kind in (
        inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    required = [n for n, p in params.items() if n != "self" and p.default is p.empty
                and p.kind in (*kinds, inspect.Parameter.POSITIONAL_ONLY)]
    # checked fast: a required name that may come by place is there when enough places are
    by_place = tuple((positional.index(n), n) for n in required if n in positional)
    by_name = frozenset(n for n in required if n not in positional)
    label = what or fn.__qualname__

    @functools.wraps(fn)
    def call(*args: Any, **kw: Any) -> Any:
        if len(args) > len(positional):
            raise UsageError(f"{label} takes its values by name: "
                             + " ".join(f"{n}=" for n in known if n not in positional))
        if not fast.issuperset(kw):
            kw = aliased(label, kw, known, aliases)
        if not by_name.issubset(kw) or any(len(args) <= at and n not in kw for at, n in by_place):
            missing = [n for n in required if n not in kw and n not in positional[:len(args)]]
            if missing:
                raise UsageError(f"{label}: {', '.join(missing)} not given; give "
                                 + " ".join(f"{n}=" for n in missing))
        return fn(*args, **kw)
    return cast(_F, call)


def nearest(key: str, known: Iterable[str]) -> str | None:
    """The closest known name to ``key`` (for "did you mean"), or None."""
    near = difflib.get_close_matches(key, list(known), n=1)
    return near[0] if near else None


def normalise(name: str) -> str:
    """A relation or proof name normalised: lower case, no spaces, ``-`` as ``_``,
    ``relationship N`` as ``dvN``.

    >>> normalise("Relationship 6"), normalise("same-padding")
    ('dv6', 'same_padding')
    """
    key = str(name).strip().lower().replace("-", "_").replace(" ", "")
    if key.startswith("relationship"):
        key = "dv" + key[len("relationship"):]
    return key


def several(unknown: Any) -> list[str] | None:
    """The unknowns of a design-space question (``("k", "s", "p")`` or ``"k,s,p"``), or
    None for one unknown.

    >>> several("k, s,p"), several(("k", "s")), several("p")
    (['k', 's', 'p'], ['k', 's'], None)
    """
    if isinstance(unknown, (tuple, list)):
        return [str(u).strip() for u in unknown]
    if isinstance(unknown, str) and "," in unknown:
        return [u.strip() for u in unknown.split(",")]
    return None


WORD_SETTINGS: dict[str, dict[str, int]] = {"avgpool": {"d": 1}}
"""What a relation's spelling fixes: PyTorch's average pooling has no dilation, so
``avgpool`` is ``pool`` with ``d = 1`` (``maxpool`` may be dilated)."""


def word_settings(name: str, unknowns: Sequence[str], given: Mapping[str, Any]
                  ) -> dict[str, Any]:
    """``given`` with the values the spelling ``name`` fixes (:data:`WORD_SETTINGS`); a
    different value given, or the fixed name asked for, is refused.

    >>> word_settings("AvgPool", ["o"], {"i": 8, "k": 2})
    {'i': 8, 'k': 2, 'd': 1}
    """
    fixed = WORD_SETTINGS.get(normalise(name))
    if not fixed:
        return dict(given)
    out = dict(given)
    for var, value in fixed.items():
        spelled = [key for key in given if VARIABLE_ALIASES.get(key, key) == var]
        asked = [u for u in unknowns if VARIABLE_ALIASES.get(u, u) == var]
        why = (f"{normalise(name)} is {relation_key(name)} with {var} = {value} (PyTorch's "
               f"average pooling has no dilation; maxpool may be dilated)")
        if asked:
            raise UsageError(f"{var} asked for: {why}")
        for key in spelled:
            v = given[key]
            each = v if isinstance(v, (tuple, list)) else (v,)
            if not all(type(x) is not bool and x == value for x in each):
                raise UsageError(f"{key}={v!r}: {why}")
        if not spelled:
            out[var] = value
    return out


def relation_key(name: str) -> str:
    """A relation name normalised: lower case, ``-`` as ``_``, ``relationship N`` as ``dvN``,
    aliases resolved.

    >>> relation_key("Relationship 6"), relation_key("ConvT")
    ('dv6', 'conv_transpose')
    """
    key = normalise(name)
    return RELATION_ALIASES.get(key, key)


@dataclass(frozen=True)
class LayerText:
    """One layer of a network line: its number, first word and kind (None when unknown),
    ``key=value`` pairs (keys normalised, values as typed), ``@tap`` name, and the first
    word that is not ``key=value`` (``loose``), for the caller to refuse in its own words."""

    number: int
    word: str
    kind: str | None
    pairs: tuple[tuple[str, str], ...]
    name: str = ""
    loose: str | None = None


def split_layers(text: str) -> Iterator[LayerText]:
    """The one reader of layer text: ``"conv k=3 s=2 @a | pool k=2"`` -> :class:`LayerText` rows.

    Kinds and keys are normalised through :data:`LAYER_KINDS` and :data:`LAYER_KEYS`;
    values stay text for the caller to read.  An empty layer has ``word == ""``.

    >>> [(t.kind, t.pairs, t.name) for t in split_layers("convt kernel_size=3 @up | id")]
    [('conv_transpose', (('k', '3'),), 'up'), ('identity', (), '')]
    """
    for n, part in enumerate(text.split("|"), start=1):
        words = part.split() or [""]
        pairs = []
        name = ""
        loose = None
        for w in words[1:]:
            if w.startswith("@"):
                if name:
                    raise ParseError(f"layer {n}: named twice (@{name} and {w}); give it one name")
                name = w[1:]
                if not name:
                    raise ParseError(f"layer {n}: '@' needs a name right after it (@enc1)")
                continue
            key, eq, val = w.partition("=")
            if not eq:
                loose = loose or w
                continue
            pairs.append((LAYER_KEYS.get(key, key), val))
        yield LayerText(n, words[0], LAYER_KINDS.get(words[0].lower()), tuple(pairs), name, loose)
