"""The standing hostile corpus and its batch driver.

``python tests/hostile_corpus.py cli|api OUT.jsonl`` runs every case of one part in
this one process (the caller sets the time and memory limits with
``resource.setrlimit``), each case under its own timer, in a fresh empty
working folder, and writes one JSON line per case: the exit status (CLI) or
the outcome (API), the lines written to stderr, the seconds taken, and whether
a traceback, a marker file from injected code or a stray file appeared.

The corpus is generated (every command crossed with hostile values) plus
hand-written cases for every class of issue 17; it is deterministic.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

MARKER = "HOSTILE_MARKER"
INJECT = [f"__import__('os').system('touch {MARKER}')", f"$(touch {MARKER})",
          f"`touch {MARKER}`", f"; touch {MARKER}", f"open('{MARKER}','w')",
          f"exec(\"open('{MARKER}','w')\")"]

# values typed on a command line: each is hostile for some rule
CLI_VALUES = [
    "0", "-1", "-0", "+5", " 7 ", "1.5", "1e3", "nan", "inf", "-inf", "True", "false", "",
    "0x10", "1_000", "10" * 60, "9" * 5000, "2^64^64", "(((((2^64)^64)^64)^64)^64)",
    "2**100000", "mod(i, 0)", "i/0", "i//0", "i % 0", "zoo", "oo", "i", "o", "zz", "224,o",
    "1,2,3", "(" * 90 + "1" + ")" * 90, "(" * 500 + "1" + ")" * 500, "ｉ", "∞", "k^1000",
    "(i+k+s+p)^64", "(i+k)^65", "i" + "*i" * 100, "floor(", "mod(i)", "max()", "\\frac{i}{0}",
    "1/(1-1)", "é", "__class__", *INJECT,
]
RELATIONS = ["conv", "conv_transpose", "pool", "pool_ceil", "dv6", "dilated_kernel", "params"]
NETS = ["conv k=3 p=1", "conv k=7 s=2 p=3 | pool k=3 s=2 p=1", "convt k=4 s=2 p=1 | conv k=3"]
LAYER_KEYS = ["k", "s", "p", "d", "a", "f", "in", "out", "g", "ceil", "zz", "k=3 k"]
LATEX = [
    r"o = \frac{i}{0}", r"o = 2^{10^{10}}", r"o = 2^{2^{2^{2^{2}}}}", r"o = 10^{100000}",
    r"o=(((2^{64})^{64})^{64})^{64}", r"o = \binom{10^9}{5 \cdot 10^8}", r"o = \binom{4}{2}",
    r"o = (10^9)!", r"o = 5!", r"o = \det\begin{pmatrix}1&2\\3&4\end{pmatrix}",
    r"o = \frac{d}{di} i^{9}", r"o = \int_0^1 i\,di", r"o = \sum_{j=1}^{10^9} j",
    r"o = \prod_{j=1}^{10^6} j", r"o = \sqrt{i}", r"o = \lfloor \frac{i}{s} \rfloor",
    r"o = \frac{i}{1-1}", r"o = i \bmod 0", r"o = \infty", r"o = \pi i", r"o = e^{i}",
    r"o = i^{-1}", r"o = i^{1.5}", r"o = 0.5 i", r"o = x + 1", r"o = \frac{", r"o = }{",
    "o = " + "{" * 300 + "i" + "}" * 300, "o = " + "(" * 300 + "i" + ")" * 300,
    r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1", r"o = i = k", r"",
    r"o = \begin{cases} i & \text{for} s = 1 \\ 0 & \text{otherwise} \end{cases}",
    r"o = i \leq k", r"o = \mathrm{zoo}", r"o = \tilde{i}' + \hat{k}",
    r"\lim_{i \to \infty} i", r"o = \lfloor \frac{(2^{64})^{64}}{s} \rfloor",
    r"o = i" + r" + i" * 600, r"o = \frac{1}{0} \cdot 0", *[f"o = {t}" for t in INJECT],
]


def cli_corpus() -> list[list[str]]:
    """Every command-line case: generated crossings plus hand-written ones."""
    cases: list[list[str]] = []
    given = {"conv": dict(i="224", k="7", s="2", p="3"), "conv_transpose": dict(i="7", k="4", s="2",
             p="1"), "pool": dict(i="224", k="3", s="2", p="1"), "pool_ceil": dict(i="13", k="2",
             s="2", p="0"), "dv6": dict(i="5", k="3"), "dilated_kernel": dict(k="3", d="2"),
             "params": dict(k="3", F_i="8", F_o="16", n="2")}
    for rel, base in given.items():
        if rel in ("pool_ceil", "dilated_kernel"):
            continue
        for var in (list(base)[0], list(base)[-1]):
            for val in CLI_VALUES:
                args = [f"{n}={val if n == var else v}" for n, v in base.items()]
                cases.append(["solve", rel, *args])
    for key in LAYER_KEYS:
        for val in CLI_VALUES[:30] + INJECT[:2]:
            cases.append(["net", f"{NETS[1]} | conv {key}={val}", "i=224"])
    for net in NETS:
        for val in CLI_VALUES[:10]:
            cases.append(["net", net, f"i={val}"])
    for fw, mode in [("torch", "same"), ("onnx", "SAME_LOWER")]:
        for var in ("i", "s"):
            for val in CLI_VALUES[:20]:
                args = {"i": "224", "k": "3", "s": "1", "d": "1", var: val}
                cases.append(["pad", fw, mode, *[f"{n}={v}" for n, v in args.items()]])
    for bounds in ["zz<=7", "k<=7,k<=9", "k<=-1", "k=5..1", "k<=1e3", "k<=99999999999",
                   "k=1..100000,s=1..100000", "k<=3000,s<=600", "k", "k<=", "<=7", "k<=7,,",
                   "k=1..2..3", f"k<={'9' * 500}", "p<=nan", "kernel_size<=7", "k<=7,p<=3"]:
        cases.append(["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--bounds", bounds])
    for text in [t for t in LATEX if "=" in t][:40]:
        cases.append(["check", text, "--limit", "200"])
    cases += [
        ["solve", "conv", "i=224", "k=7", "s=2", "o=i"], ["solve", "conv", "i=224,o", "k=7", "s=2",
                                                          "p=3"],
        ["solve", "conv", "i=224", "k=7", "s=2", "o=p"], ["solve", "conv", "i=224", "i=225", "k=3"],
        ["solve", "conv", "i=224", "k=7", "s=2", "--for", "zz"], ["solve", "nope", "i=1"],
        ["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--limit", "-1"],
        ["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--limit", "1000000000"],
        ["solve", "conv", "i=(1,2)", "k=3"], ["solve", "conv", "i=1,2,3", "k=3,3", "s=1", "p=0"],
        ["net", " | ".join(["up f=1000000"] * 1300), "i=5"],
        ["net", " | ".join(["conv k=3 p=1"] * 150), "i=224"],
        ["net", " | ".join(["conv k=3 p=1"] * 150), "i=224", "--json"],
        ["net", " | ".join(["conv k=? s=?"] * 10), "i=224", "o=7"],
        ["net", " | ".join(["conv k=? s=? p=0"] * 10), "i=224", "o=7"],
        ["net", "conv k=? s=? p=? | conv k=? s=? p=?", "i=224", "o=7", "--bounds", "k<=5000"],
        ["net", "convt k=4 s=1000 | convt k=4 s=1000", "i=5"],
        ["net", "conv k=3 @a | conv k=3 @a", "i=5"], ["net", "conv k=3 @a @b", "i=5"],
        ["net", "conv k=3 | pool k=2 s=2 @x | up f=2 @y", "--align", "x=y,zz=q"],
        ["net", "conv k=3 s=2 @x | conv k=3 s=99991 @y", "--align", "x=y"],
        ["net", "conv k=3", "--inputs-for", "-5"], ["net", "conv k=3", "--smallest", "i=3"],
        ["net", "conv k=3", "--solve", "9:k", "i=5", "o=3"], ["net", "conv k=3", "--solve", "1:zz",
                                                             "i=5", "o=3"],
        ["net", "|", "i=5"], ["net", "", "i=5"], ["net", "conv k=3 p=1,2,3", "i=5"],
        ["net", "conv k=3 p=1.5", "i=5"], ["net", "conv k=3 in=-1 out=4", "i=5"],
        ["net", "conv k=3 in=True out=4", "i=5"], ["net", "conv k=3", "i=True"],
        ["latex", "nope"], ["latex", "conv"], ["prove", "nope"], ["list"],
        ["plot", "conv", "k=3", "--out", "x.png", "--kind", "taps", "--i", "100000"],
        ["plot", "conv", "k=3", "s=1000000000", "--out", "x.png"],
        ["plot", "conv", "k=3", "d=1000000000", "--out", "x.png"],
        ["plot", "conv", "k=3", "--range", "1:100000000", "--out", "x.png"],
        ["plot", "conv", "k=3", "--range", "5:1", "--out", "x.png"],
        ["plot", "conv", "k=nan", "--out", "x.png"], ["plot", "conv", "k=3", "--out", "x.png"],
        ["pad", "nope", "same", "i=5", "k=3"], ["pad", "torch", "nope", "i=5", "k=3"],
        ["pad", "torch", "same", "i=5", "k=3", "s=2"], ["pad", "tf", "SAME", "i=5", "k=3", "zz=1"],
        ["check", "o = i for s = 1 and s = 2", "--limit", "200"], ["check", "o = mod(i, 0)"],
        ["check", "o = i", "--limit", "-5"], ["check", ""], ["check", "o = " + "(" * 500],
        ["nope"], [], ["--version"], ["solve"], ["solve", "conv", "--json", "i=True", "k=3"],
    ]
    return cases


def _api_cases() -> list[tuple[str, Callable[[], Any], Callable[[Any], bool] | None]]:
    """(label, call, check of a returned answer) — a call must answer correctly or refuse."""
    import numpy as np
    import sympy

    import symconv as sc
    from symconv.chain import Chain, Layer
    from symconv.frameworks import preset
    from symconv.parsing import parse_latex

    base = sc.solve("conv", i=224, k=7, s=2, p=3)
    py_values: list[Any] = [True, False, 1.5, float("nan"), float("inf"), np.float64(3.0),
                            np.bool_(True), None, "nan", "1.5", "", "zz", "i", "mod(i, 0)",
                            (1, 2, 3), [], [1, 2], {}, object(), -1, 0, 10**100,
                            Fraction(1, 2), sympy.Rational(1, 2), sympy.zoo, sympy.nan,
                            sympy.oo, 1j, b"7", sympy.Symbol("zz"), sympy.Integer(7)]
    cases: list[tuple[str, Callable[[], Any], Callable[[Any], bool] | None]] = []
    for var in ("i", "k", "s", "p"):
        for v in py_values:
            kw = dict(i=224, k=7, s=2, p=3)
            kw[var] = v
            cases.append((f"solve conv {var}={v!r:.30}", lambda kw=kw: sc.solve("conv", **kw), None))
        for t in (np.int64, np.int32, np.int16, np.uint16):
            kw = dict(i=224, k=7, s=2, p=3)
            kw[var] = t(kw[var])
            cases.append((f"solve conv {var}={t.__name__}",
                          lambda kw=kw: sc.solve("conv", **kw),
                          lambda r: str(r) == str(base)))
    want = sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds={"k": 7}).count
    for t in (np.int64, np.int32, np.uint16, sympy.Integer):
        cases.append((f"design i={t.__name__}",
                      lambda t=t: sc.solve("conv", ("k", "s", "p"), i=t(224), o=56,
                                           bounds={"k": t(7)}).count,
                      lambda r: r == want))
    for bounds in ({"zz": 7}, {"k": 7, "kk": 3}, {"k": 1.5}, {"k": True}, {"k": (1, 2, 3)},
                   {"k": "7"}, {"k": (5, 1)}, {"k": -1}, {"k": None}, [("k", 7)], "k<=7",
                   {"k": (1, 10**9)}):
        cases.append((f"design bounds={bounds!r}",
                      lambda b=bounds: sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds=b),
                      None))
    layer_kw: list[dict[str, Any]] = [
        dict(p=1.5), dict(p=(1, 2, 3)), dict(p=(1,)), dict(p=[1, 2]), dict(p=True), dict(p=-1),
        dict(p="zz"), dict(k=True), dict(k=np.int64(3)), dict(k=0), dict(k=3.0), dict(s=None),
        dict(F_i=-1, F_o=2), dict(F_i=True, F_o=2), dict(F_i=np.int64(4), F_o=8), dict(g=0),
        dict(d=1.5), dict(a=-1), dict(framework=3), dict(name=None), dict(factor=2.5)]
    for kw in layer_kw:
        cases.append((f"Layer(conv, {kw!r})",
                      lambda kw=kw: Chain((Layer("conv", **{"k": 3, **kw}),)).output(32), None))
    for bad in (None, 1, "conv", [1], [None], (Layer("conv", k=3), "x")):
        cases.append((f"Chain({bad!r:.30})", lambda bad=bad: Chain(bad), None))
    for nd in (0, -1, True, 1.5, None, np.int64(2)):
        cases.append((f"Chain(ndim={nd!r})",
                      lambda nd=nd: Chain((Layer("conv", k=3),), ndim=nd).output(9), None))
    net = Chain.parse("conv k=3 | pool k=2 s=2")
    for i in (True, 1.5, -1, 0, None, "224", np.int64(32), 10**1200, [32]):
        cases.append((f"sizes({i!r:.20})", lambda i=i: net.sizes(i), None))
    for n in (True, False, 0, 16, 1.0, np.int64(3), "3", None):
        cases.append((f"relationship({n!r})", lambda n=n: sc.relationship(n), None))
    for name in (True, None, 3, "", "zz", "conv" * 100):
        cases.append((f"relation({name!r:.20})", lambda name=name: sc.relation(name), None))
    for kw in (dict(i=10, kk=3), dict(i=10), dict(i=np.int64(10), k=3), dict(i=True, k=3),
               dict(i=10, k=3, s=1.5), dict(i=10, k=3, stride=2)):
        cases.append((f"preset(tf, SAME).apply({kw!r})",
                      lambda kw=kw: preset("tf", "SAME").apply(**kw), None))
    for text in LATEX:
        cases.append((f"parse_latex({text[:40]!r})", lambda text=text: parse_latex(text), None))
    for text in CLI_VALUES:
        cases.append((f"solve conv o={text[:30]!r}",
                      lambda text=text: sc.solve("conv", i=224, k=3, s=1, o=text, unknown="p"),
                      None))
    try:
        import torch.nn as nn
    except ImportError:
        return cases
    deep: Any = nn.Conv2d(1, 1, 3)
    for _ in range(2000):
        deep = nn.Sequential(deep)
    seq = nn.Sequential(nn.Conv2d(1, 1, 3))
    for axis in (5, -1, True, 1.5, None, np.int64(1)):
        cases.append((f"from_torch(axis={axis!r})",
                      lambda axis=axis: sc.from_torch(seq, axis=axis), None))
    cases.append(("from_torch(2000-deep)", lambda: sc.from_torch(deep), None))
    cases.append(("from_torch(None)", lambda: sc.from_torch(None), None))
    return cases



# --- a fresh corpus: generated from a seed, so a campaign can run inputs the suite never saw ---

_NAMES = ["i", "o", "k", "s", "p", "d", "a", "p_l", "p_r", "F_i", "F_o", "g", "n", "b", "zz",
          "kernel_size", "stride", "padding", "dilation", "in", "out", "input", "output"]
_FUNCS = ["floor", "ceil", "mod", "max", "min", "abs", "sqrt", "exp", "zz"]
_OPS = ["+", "-", "*", "/", "//", "%", "^", "**"]


def _int_text(rng: Any) -> str:
    digits = rng.choice([1, 1, 1, 2, 3, 5, 20, 400, 6000])
    text = str(rng.randrange(1, 10)) + "".join(rng.choice("0123456789") for _ in range(digits - 1))
    return rng.choice(["", "", "", "-", "+", " "]) + text


def _formula(rng: Any, depth: int) -> str:
    """A random formula text over the canonical names, integers and functions."""
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice([_int_text(rng), rng.choice(_NAMES), rng.choice(CLI_VALUES)[:200]])
    if roll < 0.6:
        return f"{_formula(rng, depth - 1)} {rng.choice(_OPS)} {_formula(rng, depth - 1)}"
    if roll < 0.8:
        args = ", ".join(_formula(rng, depth - 1) for _ in range(rng.randrange(0, 4)))
        return f"{rng.choice(_FUNCS)}({args})"
    return "(" * rng.randrange(1, 4) + _formula(rng, depth - 1) + ")" * rng.randrange(0, 5)


def _value(rng: Any) -> str:
    roll = rng.random()
    if roll < 0.45:
        return _int_text(rng)
    if roll < 0.6:
        return ",".join(_int_text(rng) for _ in range(rng.randrange(1, 5)))
    if roll < 0.7:
        return rng.choice(CLI_VALUES)
    return _formula(rng, rng.randrange(1, 5))


def _layer(rng: Any) -> str:
    kind = rng.choice(["conv", "convt", "pool", "avgpool", "up", "same", "conv", "conv", "zz", ""])
    keys = rng.sample(LAYER_KEYS[:-1] + ["p_l", "p_r", "name", "ceil_mode"], rng.randrange(0, 5))
    words = [kind] + [f"{key}={rng.choice([_value(rng), '?', 'same', 'valid', 'causal', 'full'])}"
                      for key in keys]
    if rng.random() < 0.1:
        words.append("@" + rng.choice(["x", "y", "x", "1", "@", ""]))
    return " ".join(words)


def fresh_cli_corpus(seed: int, count: int) -> list[list[str]]:
    """``count`` command lines drawn at random (from ``seed``) from the CLI's grammar."""
    import random
    rng = random.Random(seed)
    cases: list[list[str]] = []
    for _ in range(count):
        command = rng.choice(["solve", "solve", "solve", "net", "net", "check", "pad", "latex",
                              "prove", "plot", "list", "derive", "zz"])
        argv = [command]
        if command == "solve":
            argv.append(rng.choice(RELATIONS + ["zz", "conv"]))
            argv += [f"{name}={_value(rng)}"
                     for name in rng.sample(_NAMES, rng.randrange(0, 7))]
            if rng.random() < 0.3:
                argv += ["--for", ",".join(rng.sample(_NAMES, rng.randrange(1, 4)))]
            if rng.random() < 0.2:
                argv += ["--bounds", ",".join(f"{n}<={_int_text(rng)}"
                                              for n in rng.sample(_NAMES, rng.randrange(1, 4)))]
        elif command == "net":
            argv.append(" | ".join(_layer(rng) for _ in range(rng.randrange(1, 8))))
            argv += [f"{name}={_value(rng)}" for name in rng.sample(["i", "o"], rng.randrange(0, 3))]
            if rng.random() < 0.3:
                argv += rng.choice([["--inputs-for", _int_text(rng)], ["--smallest"],
                                    ["--ndim", _int_text(rng)], ["--latex"]])
        elif command == "check":
            left = rng.choice(["o", "o'", "i'", "p", "k", r"\hat{k}", _formula(rng, 2)])
            claim = f"{left} {rng.choice(['=', '<=', '>=', '<', '!='])} {_formula(rng, 3)}"
            if rng.random() < 0.5:
                claim += " for " + " and ".join(
                    rng.choice([f"{n} = {_int_text(rng)}", f"{n} odd", f"{n} even",
                                f"s | ({_formula(rng, 1)})", f"{n} >= {_int_text(rng)}"])
                    for n in rng.sample(["i", "k", "s", "p", "d"], rng.randrange(1, 3)))
            argv += [claim, "--limit", str(rng.choice([10, 200, 2000]))]
        elif command == "pad":
            argv += [rng.choice(["torch", "tf", "keras", "onnx", "jax", "zz"]),
                     rng.choice(["same", "SAME", "valid", "SAME_LOWER", "SAME_UPPER", "causal",
                                 "full", "zz"])]
            argv += [f"{n}={_value(rng)}" for n in rng.sample(["i", "k", "s", "d", "zz"],
                                                              rng.randrange(0, 5))]
        elif command in ("latex", "prove"):
            argv.append(rng.choice(["conv", "all", "round_trip", "dv6", "dv16", "zz", "",
                                    _formula(rng, 1)]))
        elif command == "plot":
            argv += [rng.choice(RELATIONS), f"k={_value(rng)}", "--out",
                     rng.choice(["x.png", "x.svg", "x", "/proc/x.png", "sub/x.png", "."])]
            if rng.random() < 0.5:
                argv += ["--kind", rng.choice(["taps", "staircase", "zz"])]
        elif command == "derive":
            argv.append(rng.choice(["--all", "zz", "round_trip", "../x.py"]))
        if rng.random() < 0.3:
            argv.append(rng.choice(["--json", "--latex", "--explain", "--timeout", "--zz"]))
        cases.append(argv)
    return cases


def _conv_output(i: int, k: int, s: int, p: int, d: int) -> int | None:
    """PyTorch's output size (None where PyTorch refuses), written here independently."""
    span = i + 2 * p - d * (k - 1) - 1
    return None if span < 0 else span // s + 1


def _brute_check(given: dict[str, Any], unknown: str) -> Callable[[Any], bool]:
    """Whether a solution holds exactly the values of ``unknown`` (below 300) that fit."""
    def check(sol: Any) -> bool:
        for x in range(0 if unknown == "p" else 1, 300):
            args = {**given, unknown: x}
            want = _conv_output(args["i"], args["k"], args["s"], args["p"], args["d"])
            if (x in sol) != (want == args["o"]):
                return False
        return True
    return check


def fresh_api_cases(seed: int, count: int) -> list[tuple[str, Callable[[], Any],
                                                          Callable[[Any], bool] | None]]:
    """Random ``sc.solve('conv', ...)`` questions with one unknown, checked against brute force.

    Most givens are small valid integers, so the answer is checked: every candidate value of
    the unknown up to a bound is in the solution exactly when PyTorch's formula gives ``o``.
    The rest mix in the hostile Python values of the standing corpus and must be refused.
    """
    import random

    import numpy as np

    import symconv as sc
    rng = random.Random(seed)
    hostile: list[Any] = [True, 1.5, float("nan"), None, "zz", (1, 2, 3), -1, 0, np.float64(2.0),
                          np.int64(5), 10**60]
    cases: list[tuple[str, Callable[[], Any], Callable[[Any], bool] | None]] = []
    for _ in range(count):
        given: dict[str, Any] = dict(i=rng.randrange(1, 60), k=rng.randrange(1, 8),
                                     s=rng.randrange(1, 6), p=rng.randrange(0, 5),
                                     d=rng.randrange(1, 4))
        full = dict(given)
        out = _conv_output(full["i"], full["k"], full["s"], full["p"], full["d"])
        if out is None:
            continue
        given["o"] = out + rng.choice([0, 0, 0, 1, -1])
        unknown = rng.choice(["i", "k", "s", "p", "d"])
        del given[unknown]
        check: Callable[[Any], bool] | None = None
        if rng.random() < 0.15:
            name = rng.choice(list(given))
            given[name] = rng.choice(hostile)
        else:
            check = _brute_check(dict(given), unknown)
        cases.append((f"solve conv {given} for {unknown}",
                      lambda given=given, unknown=unknown: sc.solve("conv", unknown=unknown,
                                                                    **given), check))
    return cases


class _Timeout(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _run(call: Callable[[], Any], limit: float) -> tuple[Any, float, float]:
    """``call()``, its wall seconds and its CPU seconds (the bound a test asserts: the
    wall clock of a machine running other work measures the other work too)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        return call(), time.perf_counter() - start, time.process_time() - cpu
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _listing(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def run_cli(out: Path, limit: float, cases: list[list[str]] | None = None) -> None:
    from symconv.cli import main
    cases = cli_corpus() if cases is None else cases
    home = Path.cwd()
    with out.open("w") as fh:
        for argv in cases:
            with tempfile.TemporaryDirectory() as tmp:
                os.chdir(tmp)
                before = _listing(home)
                err, std = io.StringIO(), io.StringIO()
                status: Any
                cpu = 0.0
                try:
                    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
                        status, took, cpu = _run(lambda argv=argv: main(argv), limit)
                except _Timeout:
                    status, took = "timeout", limit
                except SystemExit as exc:     # argparse --help / --version
                    status, took = exc.code if isinstance(exc.code, int) else 2, 0.0
                except BaseException as exc:  # noqa: BLE001 - recorded, asserted by the test
                    status, took = f"raised {type(exc).__name__}: {exc}"[:300], 0.0
                marker = (Path(tmp) / MARKER).exists() or (home / MARKER).exists()
                stray = sorted(_listing(home) - before)
                written = sorted(p.name for p in Path(tmp).iterdir())
                os.chdir(home)
            fh.write(json.dumps({"argv": [a[:80] for a in argv][:8], "status": status,
                                 "stderr": err.getvalue().splitlines(), "seconds": took, "cpu": cpu,
                                 "marker": marker, "stray": stray, "written": written}) + "\n")


def run_api(out: Path, limit: float, cases: list[tuple[str, Callable[[], Any],
                                                     Callable[[Any], bool] | None]] | None = None
            ) -> None:
    import symconv as sc
    cases = _api_cases() if cases is None else cases
    with out.open("w") as fh:
        for label, call, check in cases:
            outcome: str
            took = cpu = 0.0
            try:
                value, took, cpu = _run(call, limit)
                outcome = "answer" if check is None or check(value) else f"WRONG {value!r:.100}"
            except _Timeout:
                outcome, took = "timeout", limit
            except sc.SymconvError as exc:
                text = str(exc)
                outcome = "refused" if text and "\n" not in text else f"bad message {text!r}"
            except BaseException as exc:  # noqa: BLE001 - recorded, asserted by the test
                outcome = f"raised {type(exc).__name__}: {str(exc)[:200]}"
            fh.write(json.dumps({"case": label, "outcome": outcome, "seconds": took,
                                 "cpu": cpu}) + "\n")


if __name__ == "__main__":
    # python hostile_corpus.py cli|api OUT [SECONDS]
    # python hostile_corpus.py fresh-cli|fresh-api OUT SECONDS SEED COUNT
    part, target = sys.argv[1], Path(sys.argv[2])
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
    if part.startswith("fresh-"):
        seed, count = int(sys.argv[4]), int(sys.argv[5])
        if part == "fresh-cli":
            run_cli(target, seconds, fresh_cli_corpus(seed, count))
        else:
            run_api(target, seconds, fresh_api_cases(seed, count))
    else:
        (run_cli if part == "cli" else run_api)(target, seconds)
