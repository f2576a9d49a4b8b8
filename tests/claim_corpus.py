# ruff: noqa: E501
"""A corpus of claims about convolution arithmetic, each with its ground truth in plain Python.

Every entry is ``Claim(text, left, right, op, conditions, mentions)``: ``left`` and
``right`` compute the two sides from a configuration's *world* (integer arithmetic
written here, no symconv, no sympy), ``conditions`` are predicates on the world,
``mentions`` the base parameters the claim names (the others take the neutral values
``d = 1, p = 0, s = 1, a = 0`` as ``check`` documents).  Whether a claim is true is
never written down: tests/test_decide.py decides it by brute force.

The families: the guide's 15 relationships in each form the guide writes them (plain,
divisibility ``s | X``, ``mod`` forms, LaTeX), true claims and near misses (off by one,
floor vs ceil, missing dilation, padding counted once), inequalities, transposed
convolutions with output_padding, ceil-mode pooling, asymmetric padding, ``mod`` of
negative numbers, conditions that make a false claim true, contradictory conditions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

World = dict[str, int]


def cdiv(x: int, y: int) -> int:
    return -((-x) // y)


def world(e: World) -> World:
    """Derived quantities of a base configuration (i, k, s, p, d, a), by integer arithmetic."""
    khat = e["d"] * (e["k"] - 1) + 1
    o = (e["i"] + 2 * e["p"] - khat) // e["s"] + 1
    return {**e, "o": o, "ip": o, "khat": khat, "pp": e["k"] - e["p"] - 1,
            "ot": e["s"] * (o - 1) + e["a"] + khat - 2 * e["p"],
            "it": o + (o - 1) * (e["s"] - 1)}


def valid(e: World) -> bool:
    return e["i"] + 2 * e["p"] >= e["d"] * (e["k"] - 1) + 1 and 0 <= e["a"] < max(e["s"], e["d"])


@dataclass(frozen=True)
class Claim:
    text: str
    left: Callable[[World], Any]
    right: Callable[[World], Any]
    op: str
    conditions: tuple[Callable[[World], bool], ...]
    mentions: str
    family: str
    fixes: bool = False        # a condition fixes a parameter to an expression of others


def X(w: World) -> int:
    return w["i"] + 2 * w["p"] - w["k"]


# (text, python, mentions) for conditions
COND: dict[str, tuple[Callable[[World], bool], str, bool]] = {
    "s = 1": (lambda w: w["s"] == 1, "s", False),
    "s = 2": (lambda w: w["s"] == 2, "s", False),
    "s = 3": (lambda w: w["s"] == 3, "s", False),
    "p = 0": (lambda w: w["p"] == 0, "p", False),
    "p = 1": (lambda w: w["p"] == 1, "p", False),
    "d = 1": (lambda w: w["d"] == 1, "d", False),
    "d = 2": (lambda w: w["d"] == 2, "d", False),
    "k = 3": (lambda w: w["k"] == 3, "k", False),
    "a = 0": (lambda w: w["a"] == 0, "a", False),
    "k odd": (lambda w: w["k"] % 2 == 1, "k", False),
    "k even": (lambda w: w["k"] % 2 == 0, "k", False),
    "i even": (lambda w: w["i"] % 2 == 0, "i", False),
    "i odd": (lambda w: w["i"] % 2 == 1, "i", False),
    "p = floor(k/2)": (lambda w: w["p"] == w["k"] // 2, "pk", True),
    "p = (k - 1)/2": (lambda w: 2 * w["p"] == w["k"] - 1, "pk", True),
    "p = k - 1": (lambda w: w["p"] == w["k"] - 1, "pk", True),
    "s | (i - k)": (lambda w: (w["i"] - w["k"]) % w["s"] == 0, "iks", False),
    "s | (i + 2p - k)": (lambda w: X(w) % w["s"] == 0, "ipks", False),
    "mod(i - k, s) = 0": (lambda w: (w["i"] - w["k"]) % w["s"] == 0, "iks", False),
    "mod(i + 2p - k, s) = 0": (lambda w: X(w) % w["s"] == 0, "ipks", False),
    "a = mod(i + 2p - k, s)": (lambda w: w["a"] == X(w) % w["s"], "aipks", True),
    "a = (i + 2p - k) mod s": (lambda w: w["a"] == X(w) % w["s"], "aipks", True),
    "(i - k) mod s = 0": (lambda w: (w["i"] - w["k"]) % w["s"] == 0, "iks", False),
    "a = mod(i + 2p - d(k - 1) - 1, s)": (lambda w: w["a"] == (w["i"] + 2 * w["p"] - w["khat"]) % w["s"], "aipksd", True),
    "(i + 2p - k) even": (lambda w: X(w) % 2 == 0, "ipk", False),
    "i >= k": (lambda w: w["i"] >= w["k"], "ik", False),
    "s <= 2": (lambda w: w["s"] <= 2, "s", False),
    "k = 2": (lambda w: w["k"] == 2, "k", False),
    "p = 2": (lambda w: w["p"] == 2, "p", False),
}
LATEX_COND = {
    r"s \mid (i + 2p - k)": "s | (i + 2p - k)",
    r"s \mid (i - k)": "s | (i - k)",
    r"p = \left\lfloor \frac{k}{2} \right\rfloor": "p = floor(k/2)",
    r"k \text{ odd}": "k odd",
    r"a = (i + 2p - k) \bmod s": "a = mod(i + 2p - k, s)",
}
LEFT: dict[str, Callable[[World], Any]] = {
    "o": lambda w: w["o"], "o'": lambda w: w["ot"], "khat": lambda w: w["khat"],
    r"\hat{k}": lambda w: w["khat"], "p'": lambda w: w["pp"], "itilde'": lambda w: w["it"],
    r"\tilde{i}'": lambda w: w["it"], "i'": lambda w: w["ip"],
}

CLAIMS: list[Claim] = []


def add(family: str, text: str, right: Callable[[World], Any], mentions: str,
        conds: tuple[str, ...] = (), op: str = "=", left: Callable[[World], Any] | None = None,
        sep: str = " for ") -> None:
    lhs = text.split(" ")[0]
    conditions = tuple(COND[LATEX_COND.get(c, c)][0] for c in conds)
    mentions = mentions + "".join(COND[LATEX_COND.get(c, c)][1] for c in conds)
    fixes = any(COND[LATEX_COND.get(c, c)][2] for c in conds)
    full = text + (sep + " and ".join(conds) if conds else "")
    if sep.startswith(" \\quad"):
        full = text + (sep + ", ".join(conds) if conds else "")
    CLAIMS.append(Claim(full, left or LEFT[lhs], right, op, conditions, mentions, family, fixes))


# --- the guide's 15 relationships, in each form the guide writes them -------------------
GUIDE = [
    (1, "o = (i - k) + 1", lambda w: w["i"] - w["k"] + 1, "ik", ()),
    (1, "o = (i - k) + 1", lambda w: w["i"] - w["k"] + 1, "ik", ("s = 1", "p = 0")),
    (2, "o = (i - k) + 2p + 1", lambda w: w["i"] - w["k"] + 2 * w["p"] + 1, "ikp", ("s = 1",)),
    (3, "o = i", lambda w: w["i"], "i", ("s = 1", "k odd", "p = floor(k/2)")),
    (3, "o = i", lambda w: w["i"], "i", ("s = 1", "p = (k - 1)/2")),
    (3, "o = i", lambda w: w["i"], "i", ("s = 1", "k odd", "p = (k - 1)/2")),
    (4, "o = i + (k - 1)", lambda w: w["i"] + w["k"] - 1, "ik", ("s = 1", "p = k - 1")),
    (5, "o = floor((i - k)/s) + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks", ("p = 0",)),
    (5, "o = floor((i - k)/s) + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks", ()),
    (6, "o = floor((i + 2p - k)/s) + 1", lambda w: X(w) // w["s"] + 1, "ikps", ()),
    (7, "o = floor((i - k)/s) + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks", ("p = 0", "d = 1")),
    (8, "o' = i' + (k - 1)", lambda w: w["ip"] + w["k"] - 1, "k", ("s = 1", "p = 0")),
    (9, "o' = i' + (k - 1) - 2p", lambda w: w["ip"] + w["k"] - 1 - 2 * w["p"], "kp", ("s = 1",)),
    (10, "o' = i'", lambda w: w["ip"], "", ("s = 1", "k odd", "p = floor(k/2)")),
    (11, "o' = i' - (k - 1)", lambda w: w["ip"] - w["k"] + 1, "k", ("s = 1", "p = k - 1")),
    (12, "o' = s(i' - 1) + k", lambda w: w["s"] * (w["ip"] - 1) + w["k"], "sk", ("p = 0", "s | (i - k)")),
    (12, "o' = s(i' - 1) + k", lambda w: w["s"] * (w["ip"] - 1) + w["k"], "sk", ("p = 0", "mod(i - k, s) = 0")),
    (12, "o' = i", lambda w: w["i"], "i", ("p = 0", "s | (i - k)")),
    (13, "o' = s(i' - 1) + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["k"] - 2 * w["p"], "skp", ("s | (i + 2p - k)",)),
    (13, "o' = s(i' - 1) + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["k"] - 2 * w["p"], "skp", ("mod(i + 2p - k, s) = 0",)),
    (13, "o' = i", lambda w: w["i"], "i", ("s | (i + 2p - k)",)),
    (13, "o' = i", lambda w: w["i"], "i", ("mod(i + 2p - k, s) = 0",)),
    (14, "o' = s(i' - 1) + a + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["k"] - 2 * w["p"], "skpa", ()),
    (14, "o' = s(i' - 1) + a + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["k"] - 2 * w["p"], "skpa", ("a = mod(i + 2p - k, s)",)),
    (14, "o' = i", lambda w: w["i"], "i", ("a = mod(i + 2p - k, s)",)),
    (14, "o' = i", lambda w: w["i"], "i", ("a = (i + 2p - k) mod s",)),
    (12, "o' = s(i' - 1) + k", lambda w: w["s"] * (w["ip"] - 1) + w["k"], "sk", ("p = 0", "(i - k) mod s = 0")),
    (14, "o' = i", lambda w: w["i"], "i", ("a = mod(i + 2p - d(k - 1) - 1, s)",)),
    (14, "o' = itilde' + 2p' - k + 1 + a", lambda w: w["it"] + 2 * w["pp"] - w["k"] + 1 + w["a"], "a", ()),
    (15, "o = floor((i + 2p - k - (k - 1)(d - 1))/s) + 1", lambda w: (X(w) - (w["k"] - 1) * (w["d"] - 1)) // w["s"] + 1, "ikpsd", ()),
    (15, "o = floor((i + 2p - d(k - 1) - 1)/s) + 1", lambda w: (w["i"] + 2 * w["p"] - w["khat"]) // w["s"] + 1, "ikpsd", ()),
    (15, "khat = k + (k - 1)(d - 1)", lambda w: w["k"] + (w["k"] - 1) * (w["d"] - 1), "kd", ()),
]
for n, text, right, mentions, conds in GUIDE:
    add(f"guide {n}", text, right, mentions, conds)
GUIDE_LATEX = [
    (1, r"o = \left(i - k\right) + 1", lambda w: w["i"] - w["k"] + 1, "ik", ()),
    (2, r"o = (i - k) + 2p + 1", lambda w: w["i"] - w["k"] + 2 * w["p"] + 1, "ikp", ("s = 1",)),
    (3, r"o = i", lambda w: w["i"], "i", ("s = 1", r"p = \left\lfloor \frac{k}{2} \right\rfloor", r"k \text{ odd}")),
    (4, r"o = i + (k - 1)", lambda w: w["i"] + w["k"] - 1, "ik", ("s = 1", "p = k - 1")),
    (5, r"o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks", ("p = 0",)),
    (6, r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1", lambda w: X(w) // w["s"] + 1, "ikps", ()),
    (7, r"o = \left\lfloor \frac{i - k}{s} \right\rfloor + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks", ()),
    (8, r"o' = i' + (k - 1)", lambda w: w["ip"] + w["k"] - 1, "k", ("s = 1", "p = 0")),
    (9, r"o' = i' + (k - 1) - 2p", lambda w: w["ip"] + w["k"] - 1 - 2 * w["p"], "kp", ("s = 1",)),
    (10, r"o' = i'", lambda w: w["ip"], "", ("s = 1", r"k \text{ odd}", r"p = \left\lfloor \frac{k}{2} \right\rfloor")),
    (11, r"o' = i' - (k - 1)", lambda w: w["ip"] - w["k"] + 1, "k", ("s = 1", "p = k - 1")),
    (12, r"o' = s(i' - 1) + k", lambda w: w["s"] * (w["ip"] - 1) + w["k"], "sk", ("p = 0", r"s \mid (i - k)")),
    (13, r"o' = s(i' - 1) + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["k"] - 2 * w["p"], "skp", (r"s \mid (i + 2p - k)",)),
    (14, r"o' = s(i' - 1) + a + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["k"] - 2 * w["p"], "skpa", (r"a = (i + 2p - k) \bmod s",)),
    (14, r"o' = \tilde{i}' + 2p' - k + 1 + a", lambda w: w["it"] + 2 * w["pp"] - w["k"] + 1 + w["a"], "a", ()),
    (15, r"o = \left\lfloor \frac{i + 2p - k - (k - 1)(d - 1)}{s} \right\rfloor + 1", lambda w: (X(w) - (w["k"] - 1) * (w["d"] - 1)) // w["s"] + 1, "ikpsd", ()),
    (15, r"\hat{k} = k + (k - 1)(d - 1)", lambda w: w["k"] + (w["k"] - 1) * (w["d"] - 1), "kd", ()),
]
for n, text, right, mentions, conds in GUIDE_LATEX:
    add(f"guide {n} (LaTeX)", text, right, mentions, conds, sep=r" \quad \text{for } ")

# --- direct convolution: true forms and near misses, under several worlds ----------------
O_SIDES = [
    ("floor((i + 2p - k)/s) + 1", lambda w: X(w) // w["s"] + 1, "ikps"),
    ("floor((i + 2p - k + s)/s)", lambda w: (X(w) + w["s"]) // w["s"], "ikps"),
    ("ceil((i + 2p - k + 1)/s)", lambda w: cdiv(X(w) + 1, w["s"]), "ikps"),
    ("ceil((i + 2p - k)/s) + 1", lambda w: cdiv(X(w), w["s"]) + 1, "ikps"),            # ceil for floor
    ("floor((i + 2p - k)/s)", lambda w: X(w) // w["s"], "ikps"),                       # + 1 forgotten
    ("floor((i + 2p - k + 1)/s) + 1", lambda w: (X(w) + 1) // w["s"] + 1, "ikps"),     # off by one inside
    ("floor((i + 2p - k - 1)/s) + 1", lambda w: (X(w) - 1) // w["s"] + 1, "ikps"),
    ("floor((i + p - k)/s) + 1", lambda w: (w["i"] + w["p"] - w["k"]) // w["s"] + 1, "ikps"),   # padding once
    ("floor((i + 2p - d k)/s) + 1", lambda w: (w["i"] + 2 * w["p"] - w["d"] * w["k"]) // w["s"] + 1, "ikpsd"),
    ("floor((i + 2p - d(k - 1) - 1)/s) + 1", lambda w: (w["i"] + 2 * w["p"] - w["khat"]) // w["s"] + 1, "ikpsd"),
    ("i - k + 1", lambda w: w["i"] - w["k"] + 1, "ik"),
    ("i + 2p - k + 1", lambda w: X(w) + 1, "ikp"),
    ("ceil(i/s)", lambda w: cdiv(w["i"], w["s"]), "is"),                                # TF SAME read as conv
    ("floor((i - k)/s) + 1", lambda w: (w["i"] - w["k"]) // w["s"] + 1, "iks"),
]
O_WORLDS = [(), ("s = 1",), ("p = 0",), ("d = 2",), ("s = 2", "p = 1"), ("k odd",)]
for text, right, mentions in O_SIDES:
    for conds in O_WORLDS:
        add("direct", f"o = {text}", right, mentions, conds)

# --- transposed convolution with output_padding --------------------------------------------
T_SIDES = [
    ("s(i' - 1) + a + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["k"] - 2 * w["p"], "skpa"),
    ("s(i' - 1) + a + d(k - 1) + 1 - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["khat"] - 2 * w["p"], "skpad"),
    ("s(i' - 1) + k - 2p", lambda w: w["s"] * (w["ip"] - 1) + w["k"] - 2 * w["p"], "skp"),
    ("s i' + a + k - 2p", lambda w: w["s"] * w["ip"] + w["a"] + w["k"] - 2 * w["p"], "skpa"),
    ("s(i' - 1) + a + k - 2p + 1", lambda w: w["s"] * (w["ip"] - 1) + w["a"] + w["k"] - 2 * w["p"] + 1, "skpa"),
    ("s(itilde' - 1) + a + k - 2p", lambda w: w["s"] * (w["it"] - 1) + w["a"] + w["k"] - 2 * w["p"], "skpa"),   # the seed
    ("i", lambda w: w["i"], "i"),
    ("i + a", lambda w: w["i"] + w["a"], "ia"),
    ("itilde' + 2p' - k + 1 + a", lambda w: w["it"] + 2 * w["pp"] - w["k"] + 1 + w["a"], "a"),
]
T_WORLDS = [(), ("s = 1",), ("s = 2",), ("a = mod(i + 2p - k, s)",), ("d = 2",), ("s | (i + 2p - k)",)]
for text, right, mentions in T_SIDES:
    for conds in T_WORLDS:
        add("transposed", f"o' = {text}", right, mentions, conds)

# --- definitions and their near misses -------------------------------------------------------
for text, right, mentions in [
        ("khat = d(k - 1) + 1", lambda w: w["d"] * (w["k"] - 1) + 1, "kd"),
        ("khat = d k - d + 1", lambda w: w["d"] * w["k"] - w["d"] + 1, "kd"),
        ("khat = d k", lambda w: w["d"] * w["k"], "kd"),
        ("khat = d(k - 1)", lambda w: w["d"] * (w["k"] - 1), "kd"),
        ("p' = k - p - 1", lambda w: w["k"] - w["p"] - 1, "kp"),
        ("p' = k - p", lambda w: w["k"] - w["p"], "kp"),
        ("itilde' = i' + (i' - 1)(s - 1)", lambda w: w["ip"] + (w["ip"] - 1) * (w["s"] - 1), "s"),
        ("itilde' = s(i' - 1) + 1", lambda w: w["s"] * (w["ip"] - 1) + 1, "s"),
        ("itilde' = s i'", lambda w: w["s"] * w["ip"], "s"),
        ("i' = floor((i + 2p - k)/s) + 1", lambda w: X(w) // w["s"] + 1, "ikps")]:
    for conds in [(), ("d = 2",), ("s = 2",)]:
        add("definition", text, right, mentions, conds)

# --- inequalities -------------------------------------------------------------------------
INEQ = [
    ("o <= i", lambda w: w["i"], "i", "<="),
    ("o <= i + 2p", lambda w: w["i"] + 2 * w["p"], "ip", "<="),
    ("o <= i + 2p - k + 1", lambda w: X(w) + 1, "ikp", "<="),
    ("o < i + 2p - k + 1", lambda w: X(w) + 1, "ikp", "<"),
    ("o >= 1", lambda w: 1, "", ">="),
    ("o > 1", lambda w: 1, "", ">"),
    ("o >= floor((i + 2p - k)/s)", lambda w: X(w) // w["s"], "ikps", ">="),
    ("o <= ceil((i + 2p)/s)", lambda w: cdiv(w["i"] + 2 * w["p"], w["s"]), "ips", "<="),
    ("o' <= i", lambda w: w["i"], "i", "<="),
    ("o' >= i - s + 1", lambda w: w["i"] - w["s"] + 1, "is", ">="),
    ("o' > i - s + 1", lambda w: w["i"] - w["s"] + 1, "is", ">"),
    ("khat >= k", lambda w: w["k"], "k", ">="),
    ("khat > k", lambda w: w["k"], "k", ">"),
    ("khat >= d", lambda w: w["d"], "d", ">="),
    ("o != 0", lambda w: 0, "", "!="),
    ("i' >= 1", lambda w: 1, "", ">="),
    ("o' >= k - 2p", lambda w: w["k"] - 2 * w["p"], "kp", ">="),
]
for text, right, mentions, op in INEQ:
    for conds in [(), ("p = 0",), ("s = 2",)]:
        add("inequality", text, right, mentions, conds, op=op)

# --- ceil-mode pooling and asymmetric padding, stated against o ---------------------------------
POOL = [
    ("ceil((i + 2p - k)/s) + 1 >= o", lambda w: cdiv(X(w), w["s"]) + 1, ">=", lambda w: w["o"]),
    ("ceil((i + 2p - k)/s) + 1 <= o + 1", lambda w: cdiv(X(w), w["s"]) + 1, "<=", lambda w: w["o"] + 1),
    ("ceil((i + 2p - k)/s) + 1 = o", lambda w: cdiv(X(w), w["s"]) + 1, "=", lambda w: w["o"]),
    ("floor((i + 2p + 1 - k)/s) + 1 >= o", lambda w: (X(w) + 1) // w["s"] + 1, ">=", lambda w: w["o"]),
    ("floor((i + 2p + 1 - k)/s) + 1 <= o + 1", lambda w: (X(w) + 1) // w["s"] + 1, "<=", lambda w: w["o"] + 1),
    ("floor((i + 2p + 1 - k)/s) + 1 = o", lambda w: (X(w) + 1) // w["s"] + 1, "=", lambda w: w["o"]),
    ("floor((i + p - k)/s) + 1 <= o", lambda w: (w["i"] + w["p"] - w["k"]) // w["s"] + 1, "<=", lambda w: w["o"]),
]
for text, left, op, right in POOL:
    for conds in [(), ("s = 1",), ("s | (i + 2p - k)",), ("s = 2", "p = 1")]:
        # stated left to right: the ceil-mode or asymmetric count, then op, then o
        CLAIMS.append(Claim(text + (" for " + " and ".join(conds) if conds else ""), left,
                            right, op, tuple(COND[c][0] for c in conds),
                            "ikps" + "".join(COND[c][1] for c in conds), "pooling/asymmetric"))

# --- mod and floor of negative numbers -------------------------------------------------------------
NEG = [
    ("mod(k - i, s) = s - mod(i - k, s)", lambda w: (w["k"] - w["i"]) % w["s"], lambda w: w["s"] - (w["i"] - w["k"]) % w["s"]),
    ("mod(k - i, s) = mod(s - mod(i - k, s), s)", lambda w: (w["k"] - w["i"]) % w["s"], lambda w: (w["s"] - (w["i"] - w["k"]) % w["s"]) % w["s"]),
    ("floor((k - i)/s) = -ceil((i - k)/s)", lambda w: (w["k"] - w["i"]) // w["s"], lambda w: -cdiv(w["i"] - w["k"], w["s"])),
    ("floor((k - i)/s) = -floor((i - k)/s)", lambda w: (w["k"] - w["i"]) // w["s"], lambda w: -((w["i"] - w["k"]) // w["s"])),
    ("mod(i - k, s) = i - k - s floor((i - k)/s)", lambda w: (w["i"] - w["k"]) % w["s"], lambda w: w["i"] - w["k"] - w["s"] * ((w["i"] - w["k"]) // w["s"])),
    ("mod(k - i, 2) = mod(i - k, 2)", lambda w: (w["k"] - w["i"]) % 2, lambda w: (w["i"] - w["k"]) % 2),
    ("mod(k - i, s) = mod(i - k, s)", lambda w: (w["k"] - w["i"]) % w["s"], lambda w: (w["i"] - w["k"]) % w["s"]),
    ("mod(k - i - 1, 2) = 1 - mod(i - k, 2)", lambda w: (w["k"] - w["i"] - 1) % 2, lambda w: 1 - (w["i"] - w["k"]) % 2),
    ("floor(floor(i/2)/3) = floor(i/6)", lambda w: (w["i"] // 2) // 3, lambda w: w["i"] // 6),
    ("floor(floor(i/s)/2) = floor(i/(2s))", lambda w: (w["i"] // w["s"]) // 2, lambda w: w["i"] // (2 * w["s"])),
    ("floor(floor((i - k)/2)/2) = floor((i - k)/4)", lambda w: ((w["i"] - w["k"]) // 2) // 2, lambda w: (w["i"] - w["k"]) // 4),
    ("floor(floor(i/2)/3) = floor(i/5)", lambda w: (w["i"] // 2) // 3, lambda w: w["i"] // 5),
    ("max(i, k) >= k", lambda w: max(w["i"], w["k"]), lambda w: w["k"]),
    ("min(i, k) = k", lambda w: min(w["i"], w["k"]), lambda w: w["k"]),
]
for text, left, right in NEG:
    op = ">=" if ">=" in text else "="
    for conds in [(), ("s = 3",), ("i >= k",)]:
        CLAIMS.append(Claim(text + (" for " + " and ".join(conds) if conds else ""), left, right,
                            op, tuple(COND[c][0] for c in conds),
                            "iks" + "".join(COND[c][1] for c in conds), "mod/floor of negatives"))

# --- conditions that make a false claim true -----------------------------------------------------------
WORLDS = [
    ("o = i", lambda w: w["i"], "i", [(), ("s = 1", "k odd", "p = floor(k/2)"), ("s = 1", "p = floor(k/2)"),
                                      ("k = 3", "p = 1"), ("s = 1", "k = 3", "p = 1"), ("s = 1", "p = (k - 1)/2")]),
    ("o = i/2", lambda w: w["i"] / 2, "i", [("s = 2", "k = 2", "p = 0", "i even"), ("s = 2", "k = 2", "p = 0", "i odd"),
                                            ("s = 2", "k = 2", "p = 0"), ("s = 2", "k = 2", "i even")]),
    ("o = (i + 1)/2", lambda w: (w["i"] + 1) / 2, "i", [("s = 2", "p = 0", "k = 2", "i odd"), ("s = 2", "k = 2", "i odd", "p = 1")]),
    ("o' = i", lambda w: w["i"], "i", [("s = 2",), ("s = 2", "(i + 2p - k) even"), ("s = 3", "s | (i + 2p - k)"), ("s = 1",),
                                       ("s <= 2",), ("s | (i - k)",), ("p = 0", "s | (i - k)")]),
    ("o = i + k - 1", lambda w: w["i"] + w["k"] - 1, "ik", [(), ("s = 1", "p = k - 1"), ("p = k - 1",), ("s = 1",)]),
]
for text, right, mentions, worlds in WORLDS:
    for conds in worlds:
        add("conditions", text, right, mentions, conds)

# --- contradictory conditions (refused, never proven vacuously) ------------------------------------------
for c1, c2 in [("k = 2", "k = 3"), ("p = 1", "p = 2"), ("k odd", "k even"), ("k = 2", "k odd"),
               ("s = 2", "s = 3"), ("i even", "i odd"), ("d = 1", "d = 2"), ("p = 0", "p = 1")]:
    add("contradictory", "o = i + 100", lambda w: w["i"] + 100, "i", (c1, c2))
