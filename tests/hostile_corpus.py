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


class _Timeout(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _run(call: Callable[[], Any], limit: float) -> tuple[Any, str, float]:
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        return call(), "", time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _listing(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def run_cli(out: Path, limit: float) -> None:
    from symconv.cli import main
    cases = cli_corpus()
    home = Path.cwd()
    with out.open("w") as fh:
        for argv in cases:
            with tempfile.TemporaryDirectory() as tmp:
                os.chdir(tmp)
                before = _listing(home)
                err, std = io.StringIO(), io.StringIO()
                status: Any
                try:
                    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
                        status, _, took = _run(lambda argv=argv: main(argv), limit)
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
                                 "stderr": err.getvalue().splitlines(), "seconds": took,
                                 "marker": marker, "stray": stray, "written": written}) + "\n")


def run_api(out: Path, limit: float) -> None:
    import symconv as sc
    cases = _api_cases()
    with out.open("w") as fh:
        for label, call, check in cases:
            outcome: str
            took = 0.0
            try:
                value, _, took = _run(call, limit)
                outcome = "answer" if check is None or check(value) else f"WRONG {value!r:.100}"
            except _Timeout:
                outcome, took = "timeout", limit
            except sc.SymconvError as exc:
                text = str(exc)
                outcome = "refused" if text and "\n" not in text else f"bad message {text!r}"
            except BaseException as exc:  # noqa: BLE001 - recorded, asserted by the test
                outcome = f"raised {type(exc).__name__}: {str(exc)[:200]}"
            fh.write(json.dumps({"case": label, "outcome": outcome, "seconds": took}) + "\n")


if __name__ == "__main__":
    part, target = sys.argv[1], Path(sys.argv[2])
    (run_cli if part == "cli" else run_api)(target, float(sys.argv[3]) if len(sys.argv) > 3 else 10)
