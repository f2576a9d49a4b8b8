"""The symconv command: exact output, JSON shape, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import symconv as sc
from symconv.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_padding(capsys):
    assert run(capsys, "solve", "conv", "i=224", "k=7", "s=2", "o=112") == (0, "p = 3\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n", "")


def test_a_long_finite_answer_says_how_many_values(capsys):
    assert run(capsys, "solve", "conv", "o=1", "k=1", "s=1000", "p=0") == (
        0, "1 <= i <= 1000\n  (1000 values)\n"
        "  assumed: d = 1 (PyTorch's defaults; give them to change)\n", "")
    code, out, _ = run(capsys, "solve", "conv", "o=1", "k=1", "s=1000", "p=0", "--json")
    data = json.loads(out)
    assert (data["kind"], data["values"], data["latex"]) == (
        "finite", list(range(1, 1001)), r"1 \leq i \leq 1000")


def test_solve_json_shape(capsys):
    code, out, _ = run(capsys, "solve", "conv", "i=224", "k=7", "s=2", "o=112", "--json")
    assert code == 0
    assert json.loads(out) == {
        "relation": "conv", "unknown": "p", "given": {"i": 224, "k": 7, "s": 2, "o": 112},
        "kind": "finite", "values": [3], "min": 3, "max": 3, "conditions": [], "reason": None,
        "latex": "p = 3", "defaults": {"d": 1}}


def test_solve_range_json(capsys):
    code, out, _ = run(capsys, "solve", "conv", "i=224", "k=7", "p=3", "o=1", "--json")
    data = json.loads(out)
    assert (code, data["kind"], data["values"], data["min"], data["max"]) == (0, "range", None, 224, None)
    assert data["latex"] == r"s \geq 224"


def test_solve_input_sizes(capsys):
    assert run(capsys, "solve", "conv", "o=112", "k=7", "s=2", "p=3") == (0, "i in {223, 224}\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n", "")


def test_no_solution_exits_zero_with_reason(capsys):
    code, out, err = run(capsys, "solve", "conv", "i=5", "k=4", "s=1", "o=5")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "p in {}"
    assert "no symmetric padding exists" in lines[1] and "p_l=1, p_r=2" in lines[1]


@pytest.mark.parametrize("given, split", [
    (("o=i", "s=1", "d=1"), "p_l = floor((k - 1)/2), p_r = k - 1 - p_l"),
    (("o=2*i", "k=3", "s=1"), "p_l = floor((2*d + i)/2), p_r = 2*d + i - p_l"),
    (("o=i", "s=1"), "p_l = floor(d*(k - 1)/2), p_r = d*(k - 1) - p_l")])
def test_symbolic_padding_split_note_parenthesises_the_total(capsys, given, split):
    code, out, _ = run(capsys, "solve", "conv", *given, "--for", "p")
    assert code == 0 and f"no symmetric padding exists: use {split} (extra at the end" in out


@pytest.mark.parametrize("args, reason", [
    (("dilated_kernel", "khat=6", "k=3", "--for", "d"),
     "no integer d satisfies 2*d = 5 (from khat = d*(k - 1) + 1)"),
    (("conv_transpose", "k=3", "s=2", "p=1", "o=10", "--for", "i"),
     "no integer i satisfies 2*i = 11 (from o = s*(i - 1) - 2*p + d*(k - 1) + a + 1)")])
def test_empty_reason_states_the_equation_that_fails(capsys, args, reason):
    # an equation read with a positive coefficient stays an equation (it read 2*d <= 5)
    code, out, _ = run(capsys, "solve", *args)
    assert code == 0 and out.splitlines()[1] == f"  reason: {reason}"


def test_symbolic_same_padding(capsys):
    code, out, _ = run(capsys, "solve", "conv", "o=i", "s=1", "--for", "p")
    assert code == 0
    assert out.splitlines()[0] == "p = d*(k - 1)/2  if d*(k - 1) is divisible by 2"
    code, out, _ = run(capsys, "solve", "conv", "o=i", "s=1", "--for", "p", "--json")
    data = json.loads(out)
    assert data["kind"] == "symbolic"
    assert data["expr"] == {"expr": "d*(k - 1)/2", "latex": r"\frac{d \left(k - 1\right)}{2}"}
    assert data["conditions"] == [{
        "latex": r"\left(\left(d \left(k - 1\right)\right) \bmod 2\right) = 0",
        "expr": "Eq(Mod(d*(k - 1), 2), 0)", "rel": "=", "rhs": 0,
        "lhs": {"expr": "Mod(d*(k - 1), 2)", "latex": r"\left(\left(d \left(k - 1\right)\right) \bmod 2\right)"}}]


def test_per_axis(capsys):
    assert run(capsys, "solve", "conv", "i=224,160", "k=7", "s=2", "p=3") == (
        0, "axis 0: o = 112\naxis 1: o = 80\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n", "")
    code, out, _ = run(capsys, "solve", "conv", "i=224,160", "k=7", "s=2", "p=3", "--json")
    assert [ax["values"] for ax in json.loads(out)["axes"]] == [[112], [80]]


def test_pool_ceil_mode(capsys):
    assert run(capsys, "solve", "pool", "i=5", "k=2", "s=2", "p=0", "--ceil-mode")[1] == "o = 3\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n"
    assert run(capsys, "solve", "pool", "i=5", "k=2", "s=2", "p=0")[1] == "o = 2\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n"


def test_pad_tf_same(capsys):
    assert run(capsys, "pad", "tf", "SAME", "i=225", "k=4", "s=2") == (
        0, "tf SAME: total padding 3, split p_l=1, p_r=2 (extra at the end); output 113\n", "")
    code, out, _ = run(capsys, "pad", "onnx", "SAME_LOWER", "i=225", "k=4", "s=2", "--json")
    assert json.loads(out) == {"framework": "onnx", "padding": "SAME_LOWER", "p_l": 2, "p_r": 1,
                               "total": 3, "o": 113, "a": None}
    # an even split has no extra to place (it said "extra at the end", for SAME_LOWER too)
    assert run(capsys, "pad", "onnx", "SAME_LOWER", "i=10", "k=5", "s=1")[1] == \
        "onnx SAME_LOWER: total padding 4, split p_l=2, p_r=2; output 10\n"
    assert run(capsys, "pad", "tf", "VALID", "i=10", "k=3")[1] == \
        "tf VALID: total padding 0, split p_l=0, p_r=0; output 8\n"


def test_pad_with_the_framework_left_out_says_where_the_assignment_landed(capsys):
    # `pad same k=3 i=10` read 'same' as the framework and k=3 as the mode, then said
    # "pad needs at least i=... and k=...", both of which were given
    assert run(capsys, "pad", "same", "k=3", "i=10") == (
        2, "", "symconv: pad takes FRAMEWORK MODE NAME=VALUE..., got 'k=3' where the MODE "
               "goes: give the framework and the mode first, as in symconv pad torch same "
               "i=10 k=3\n")
    assert run(capsys, "pad", "i=10", "k=3", "same")[2].startswith(
        "symconv: pad takes FRAMEWORK MODE NAME=VALUE..., got 'i=10' where the FRAMEWORK goes")


def test_pad_onnx_keeps_onnxruntime_s_refusals(capsys):
    # an output_padding at the stride printed "output 107"; a dilation with SAME_UPPER
    # was sized as shape inference does, where onnxruntime refuses the model
    assert run(capsys, "pad", "onnx", "VALID", "--transpose", "i=3", "k=3", "s=2", "a=100") == (
        2, "", "symconv: onnx output_padding must be smaller than the stride: a=100, s=2\n")
    code, _, err = run(capsys, "pad", "onnx", "SAME_UPPER", "i=10", "k=3", "d=2")
    assert code == 2 and err.startswith("symconv: onnx takes no dilation above 1 with "
                                        "SAME_UPPER: onnxruntime refuses it in a Conv")


def test_latex(capsys):
    code, out, _ = run(capsys, "latex", "dv6")
    assert (code, out) == (0, "o = \\left\\lfloor \\frac{i + 2 p - k}{s} \\right\\rfloor + 1\n")
    code, out, _ = run(capsys, "latex", "all")
    assert code == 0 and out.count(r"\begin{equation}\label{eq:symconv-") == len(sc.names())


def test_list(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert out.splitlines()[0].split()[0] == "conv"
    assert {line.split()[0] for line in out.splitlines()} >= {"conv", "conv_transpose", "pool",
                                                               "dilated_kernel", "dv1", "dv15"}


ERRORS = [
    (["solve", "conv", "i=224", "k=0", "s=2", "p=3"], "symconv: kernel size k must be a positive integer (>= 1), got 0"),
    (["solve", "conv", "i=224", "k=3", "s=-1", "p=3"], "symconv: stride s must be a positive integer (>= 1), got -1"),
    (["solve", "conv", "i=224", "k=3", "s=1", "d=0", "p=1"], "symconv: dilation d must be a positive integer (>= 1), got 0"),
    (["solve", "conv", "i=224", "k=3", "s=1", "p=-1"], "symconv: padding p must be a nonnegative integer (>= 0), got -1"),
    (["solve", "conv", "i=224", "k=2.5", "s=1", "p=1"], "symconv: k: '2.5' is not an integer: sizes, kernels, strides and paddings are whole numbers"),
    (["solve", "conv", "i=224", "kernel_sise=3", "s=1", "p=1"], "symconv: unknown variable name 'kernel_sise'; did you mean 'kernel_size'?"),
    (["solve", "conv", "i=224", "kernel=3", "s=1", "q=1"], "symconv: unknown variable name 'q'; known names: i, o, k, s, p, d, a, p_l, p_r, T, F_i, F_o, g, n, b, P, M, khat, i', o', k', s', p', itilde'"),
    (["solve", "conf", "i=3"], "symconv: unknown relation 'conf'; did you mean 'conv'? (symconv list shows them all)"),
    (["solve", "conv", "i=3", "k=5", "s=1", "p=0"], "symconv: the padded input must hold one dilated kernel: i + p_l + p_r >= d(k-1) + 1; got i=3, k=5, p=0, d=1 (PyTorch: \"Kernel size can't be greater than actual input size\")"),
    (["solve", "conv_transpose", "i=3", "k=3", "s=2", "p=0", "a=2"], "symconv: output_padding must be smaller than either stride or dilation: a < max(s, d); got s=2, d=1, a=2 (PyTorch: 'output padding must be smaller than either stride or dilation')"),
    (["pad", "torch", "same", "i=10", "k=3", "s=2"], "symconv: PyTorch padding='same' needs stride 1, got s=2 (PyTorch: 'padding='same' is not supported for strided convolutions'); use explicit padding, or framework=tf for TensorFlow's SAME"),
    (["solve", "conv", "i=224", "k=7"], "symconv: 3 unknowns in 'conv': o, s, p; give all but one, or name the one to solve for (--for on the command line, unknown= in Python)"),
    (["solve", "conv", "i=224", "k=7", "s=2", "p=3", "o=sqrt(2)"], "symconv: o: unknown variable name 'sqrt'; known names: i, o, k, s, p, d, a, p_l, p_r, T, F_i, F_o, g, n, b, P, M, khat, i', o', k', s', p', itilde'"),
    (["solve", "conv", "i=224", "k=7", "s=2", "p=3", "o=i+"], "symconv: o: cannot read formula 'i+': expected a value at the end"),
    (["solve", "conv", "i=224", "k=7", "s=2", "p=3", "o=__import__('os').system('true')"], "symconv: o: cannot read \"__import__('os').system('true')\" at position 12 (\"'os').syst\"): a formula uses integers, names, + - * / // % ^ and floor ceil mod max min"),
    (["solve", "conv", "i=10", "o=3", "--for", "k,s,p", "--limit", "-1"], "symconv: argument --limit: --limit takes a whole number >= 0, got '-1' (symconv solve --help shows the usage)"),
    (["check", "o = i", "--limit", "-5"], "symconv: argument --limit: --limit takes a whole number >= 0, got '-5' (symconv check --help shows the usage)"),
    (["net", "conv k=? s=2 p=1 | conv k=0 s=1 p=1", "i=10", "o=5"], "symconv: layer 2: kernel size k must be a positive integer (>= 1), got 0"),
    (["solve", "conv", "i=10", "o=3", "d=0", "--for", "k,s,p", "--bounds", "k<=3"], "symconv: dilation d must be a positive integer (>= 1), got 0"),
    (["frobnicate"], "symconv: argument command: invalid choice: 'frobnicate' (choose from 'list', 'solve', 'latex', 'pad', 'prove', 'check', 'derive', 'net', 'plot', 'figure', 'repl') (symconv --help shows the usage)"),
]


@pytest.mark.parametrize(("argv", "message"), ERRORS, ids=[" ".join(a)[:40] for a, _ in ERRORS])
def test_errors_are_one_line_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err == message + "\n"


def test_console_script_and_module_entry_points():
    for cmd in (["symconv"], [sys.executable, "-m", "symconv"]):
        done = subprocess.run([*cmd, "solve", "conv", "i=224", "k=7", "s=2", "o=112"],
                              capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (0, "p = 3\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n", "")
        bad = subprocess.run([*cmd, "solve", "conv", "i=224", "k=x", "s=2", "o=112"],
                             capture_output=True, text=True, check=False)
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_prove_prints_and_exports_its_second_opinion(capsys):
    import json
    import re
    assert main(["prove", "receptive_field"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "  second opinion: 8 steps checked to 3 on a grid (a test, not a proof)")
    assert main(["prove", "round_trip", "--json"]) == 0
    certs = json.loads(capsys.readouterr().out)["proofs"][0]["certificates"]
    assert len(certs) == 4 and all(c["subject"].startswith("round_trip step ") for c in certs)
    assert all(c["outcome"] in ("confirmed", "checked to 3") for c in certs)
    assert main(["prove", "round_trip"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"  second opinion: 4 steps (confirmed by z3 [\d.]+|checked to \d+ on a "
                        r"grid \(a test, not a proof\))", last), last


def test_assignments_may_follow_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    # argparse stops a command's positionals at the first flag; NAME=VALUE words after it
    # are still the command's assignments, and anything else is still refused
    assert main(["solve", "conv", "--json", "i=224", "k=7", "s=2", "o=112"]) == 0
    assert json.loads(capsys.readouterr().out)["values"] == [3]
    assert main(["pad", "keras", "same", "i=5", "--transpose", "k=3", "s=2"]) == 0
    assert capsys.readouterr().out.endswith("output_padding 0; output 10\n")
    assert main(["solve", "conv", "--bogus", "i=3"]) == 2
    assert capsys.readouterr().err == ("symconv: unrecognized arguments: --bogus i=3 "
                                       "(symconv --help shows the usage)\n")
    assert main(["list", "--json", "i=3"]) == 2     # list takes no assignments
    assert "unrecognized arguments: i=3" in capsys.readouterr().err


@pytest.mark.parametrize("argv, line", [
    (("plot", "", "--out", "b.svg"),
     "symconv: plot needs a layer kind with its values (conv k=3 s=2) or a network text, got "
     "an empty target"),
    (("plot", "conv", "k=3", "i=5", "--out", "a.png"),
     "symconv: plot takes the input size as --i 5 (taps) or --range LO:HI (staircase), not i="),
    (("net", "up f=2", "i=5", "o=10", "--solve", "1:f"),
     "symconv: layer 1 (upsample) has no kernel, stride or padding to solve: solve a "
     "convolution or pooling layer"),
    (("net", "pool k=2 s=2", "i=5", "o=3", "--solve", "1:p_l"),
     "symconv: layer 1 (pool) computes with pool, which has no 'p_l'; solve one of k, s, p, d")])
def test_bad_plot_and_layer_solve_input_is_one_line_exit_2(capsys, tmp_path, monkeypatch, argv,
                                                             line):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", line + "\n") and not list(tmp_path.iterdir())


@pytest.mark.parametrize("net, o, unknown, answer", [
    ("conv k=3 | up f=2", 7, "k", "no value gives output 7"),    # no size before up gives 7
    ("conv k=3 p=1:1", 5, "k", "{3}"), ("conv k=3 p=1:1", 5, "p_l", "{1}"),
    ("conv k=3 p=0:0", 3, "s", "{1}"),
    ("pool k=2 s=2 ceil=1", 3, "k", "{1, 2}"), ("pool k=2 s=2 ceil=1", 3, "s", "{2}")])
def test_net_solve_reads_the_layers_own_relation(capsys, net, o, unknown, answer):
    # per-side padding and ceil mode were solved with the floor, symmetric relation
    assert run(capsys, "net", net, "i=5", f"o={o}", "--solve", f"1:{unknown}") == \
        (0, f"layer 1 {unknown}: {answer}\n", "")


def test_empty_padding_says_the_total_is_odd_and_the_split(capsys):
    assert run(capsys, "solve", "conv", "i=224", "o=224", "k=4", "s=1", "--for", "p") == (
        0, "p in {}\n  reason: no integer p satisfies both 2*p >= 3 and 2*p <= 3 (from "
           "eliminating the floor floor((i + 2*p - d*(k - 1) - 1)/s)); no symmetric padding "
           "exists: the total padding it needs is odd (3); asymmetric split (extra at the end, "
           "as PyTorch and TF): p_l=1, p_r=2\n"
           "  assumed: d = 1 (PyTorch's defaults; give them to change)\n", "")


def test_symbolic_point_that_is_a_fraction_is_empty(capsys):
    # T = d (k - 1) with T = 3, k = 3: d = 3/2, which no condition on s can make an integer
    assert run(capsys, "solve", "pad_same_torch", "T=3", "k=3", "--for", "d") == \
        (0, "d in {}\n  reason: d = 3/2 is not an integer\n", "")


@pytest.mark.parametrize("argv, line", [
    (("net", "conv k=3 ceil=1", "i=8"),
     "layer 1: ceil mode is pooling's; a conv layer always floors (drop ceil)"),
    (("net", "pool k=2 ceil=2", "i=8"), "layer 1: ceil is 0 or 1, got '2'"),
    (("net", "conv k=3 bias=5", "i=8"), "layer 1: bias is 0 or 1, got '5'"),
    (("net", "up", "i=8"), "layer 1: up needs its factor (up f=2)"),
    (("solve", "conv", "i=5", "k=2", "s=2", "p=0", "--ceil-mode"),
     "ceil mode is pooling's: conv has none (solve pool with ceil mode, or drop it)"),
    (("figure", "conv_transpose", "i=3", "k=3", "s=2", "--pool"),
     "figure: conv_transpose with --pool asks for two layers; name one (figure pool, or drop "
     "the flag)"),
    (("figure", "pool", "i=3", "k=3", "--transposed"),
     "figure: pool with --transposed asks for two layers; name one (figure conv_transpose, or "
     "drop the flag)"),
    (("net", "conv k=3", "--torch", "collections:OrderedDict"),
     "give a model (--torch module:attr or a .onnx file) or layer text, not both")])
def test_settings_that_would_be_ignored_are_refused(capsys, argv, line):
    assert run(capsys, *argv) == (2, "", f"symconv: {line}\n")


@pytest.mark.parametrize("argv, line", [
    (("figure", "conv", "i=100000", "k=3", "--out", "f.svg"),
     "figure: 100000 cells on an axis: a figure draws at most 256 (give a smaller i)"),
    (("figure", "conv", "i=200", "k=3", "--frames"),
     "39204 kernel positions: frames write at most 4096 pages; draw a smaller input")])
def test_figure_bounds_are_checked_before_any_drawing(capsys, tmp_path, monkeypatch, argv, line):
    # a large input used to list every kernel position first (minutes, then exit 4)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, *argv) == (2, "", f"symconv: {line}\n")
    assert not list(tmp_path.iterdir())


def test_an_empty_answer_says_which_defaults_it_assumed(capsys):
    # p = 1 with a = 1 gives 10: "none" holds only under the default a = 0
    code, out, _ = run(capsys, "solve", "conv_transpose", "i=5", "k=3", "s=2", "o=10")
    assert code == 0 and out.splitlines()[0] == "p in {}"
    assert out.splitlines()[-1] == "  assumed: d = 1, a = 0 (PyTorch's defaults; give them to change)"
    assert run(capsys, "solve", "conv_transpose", "i=5", "k=3", "s=2", "o=10", "a=1")[1] == "p = 1\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n"


def test_derive_on_a_folder_without_derivations_and_ndim_above_64_are_refused(capsys, tmp_path):
    assert run(capsys, "derive", "--dir", str(tmp_path)) == (
        2, "", f"symconv: no derivations in {str(tmp_path)!r}: a derivation is a .py script "
        "that defines DERIVATION = Derivation(...)\n")
    assert run(capsys, "net", "conv k=3 in=3 out=8", "i=8", "--ndim", "65") == (
        2, "", "symconv: ndim must be at most 64, got 65\n")


@pytest.mark.parametrize("name", ["W_{in}}", "}W{", "W_{in"])
def test_paper_symbols_with_unbalanced_braces_are_refused(capsys, name):
    # they went into \newcommand bodies and broke the document
    assert run(capsys, "latex", "conv", "--symbols", f"{name},O") == (
        2, "", f"symconv: --symbols: {name!r} has unbalanced braces\n")


@pytest.mark.parametrize("argv, line", [
    (("net", "conv k=3 @", "i=5"), "layer 1: '@' needs a name right after it (@enc1)"),
    (("net", "conv k=3", "i=5", "o=3", "--solve", "1:i"),
     "--solve 1:i: a layer's sizes follow from the network's i and o; solve its k, s, p, d or "
     "a (or ask --inputs-for)"),
    (("solve", "conv", "i=32", "o=16", "--for", "k,s,p", "--explain"),
     "--explain is for one unknown; a design space lists combinations (--latex for a table)")])
def test_layer_text_and_question_mistakes_are_named(capsys, argv, line):
    assert run(capsys, *argv) == (2, "", f"symconv: {line}\n")


def test_design_space_and_per_axis_latex(capsys):
    code, out, _ = run(capsys, "solve", "conv", "i=32", "o=16", "--for", "k,s,p", "--bounds",
                       "k<=3,p<=1", "--latex", "--prefer", "odd")
    rows = [ln for ln in out.splitlines() if ln.endswith(r"\\") and "&" in ln]
    assert code == 0 and rows == [r"$k$ & $s$ & $p$ & frameworks \\",
                                  r"1 & 2 & 0 & torch, keras, onnx \\",
                                  r"3 & 2 & 1 & torch, onnx \\",
                                  r"2 & 2 & 0 & torch, keras, onnx \\"]
    code, out, _ = run(capsys, "solve", "conv", "i=224,160", "k=7", "s=2", "p=3", "--latex")
    # each axis named in the text (a TeX comment named it, so the PDF showed two bare displays)
    assert code == 0 and [ln for ln in out.splitlines() if "Axis" in ln] == \
        [r"\noindent Axis 0:", r"\noindent Axis 1:"]
    # two different tables get different labels; --label names one
    labels = [re.search(r"\\label\{([^}]*)\}", run(capsys, "net", text, "i=224", "--latex")[1])[1]
              for text in ("conv k=7 s=2 p=3", "conv k=7 s=2 p=3 | pool k=3 s=2 p=1")]
    assert labels[0] != labels[1] and all(re.fullmatch(r"tab:symconv-network-[0-9a-f]{6}", x)
                                          for x in labels)
    code, out, _ = run(capsys, "net", "conv k=7 s=2 p=3", "i=224", "--latex", "--label",
                       "tab:stem")
    assert code == 0 and r"\label{tab:stem}" in out
    code, _, err = run(capsys, "net", "conv k=7 s=2 p=3", "--expr", "--latex", "--label", "tab:x")
    assert code == 2 and err == ("symconv: --label names the LaTeX table this command writes "
                                 "(with --latex: a design space, or net with i=N): this one "
                                 "writes no table: drop --label\n")
    code, _, err = run(capsys, "net", "conv k=7 s=2 p=3", "i=224", "--label", "tab:x")
    assert code == 2 and err.endswith("add --latex, or drop --label\n")


@pytest.mark.parametrize("flag", ["--inputs-for", "--nearest", "--ndim"])
@pytest.mark.parametrize("value", ["0", "-3", "x"])
def test_net_size_flags_take_sizes(capsys, flag, value):
    argv = ["net", "conv k=3 @a | conv k=1 @b", flag, value]
    if flag == "--nearest":
        argv += ["--align", "a=b"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (f"symconv: argument {flag}: {flag} takes a size, a whole "
                                       f"number >= 1, got {value!r} (symconv net --help shows "
                                       "the usage)\n")


def test_misread_inputs_say_what_to_write(capsys):
    for argv, said in [
        (["solve", "conv", "i=0x10", "k=7", "s=2", "p=3"], "symconv: i: '0x10' is a Python "
         "integer literal: write the number in decimal digits (1000, 16), without underscores "
         "or a base prefix\n"),
        (["solve", "conv", "i=1_000", "k=7", "s=2", "p=3"], "symconv: i: '1_000' is a Python "
         "integer literal: write the number in decimal digits (1000, 16), without underscores "
         "or a base prefix\n"),
        (["check", r"o = \mathrm{floor}(i/s)"], "symconv: LaTeX 'o = \\\\mathrm{floor}(i/s)' "
         "writes '\\\\mathrm{floor}', a name set as text: write \\lfloor x \\rfloor\n"),
    ]:
        assert main(argv) == 2
        assert capsys.readouterr().err == said
    assert main(["check", "o ≤ i + 2p", "--strict"]) == main(["check", "o <= i + 2p", "--strict"])
    assert sc.check("o ≥ 1").holds and sc.check("k ≠ 0").holds


def test_a_one_layer_or_per_axis_network_design_says_what_to_run(capsys):
    assert main(["net", "conv k=? s=? p=?", "i=224", "o=56"]) == 2
    assert capsys.readouterr().err == ("symconv: a chain design needs two or more layers; for "
                                       "one layer solve its relation: symconv solve conv --for "
                                       "k,s,p i=224 o=56\n")
    assert main(["solve", "conv", "--for", "k,s,p", "i=224", "o=56"]) == 0
    capsys.readouterr()
    assert main(["net", "conv k=? s=? p=1 | conv k=3 s=1 p=1", "i=64,32", "o=32,16"]) == 2
    assert "designed one axis at a time" in capsys.readouterr().err


def test_a_terminal_without_unicode_or_a_closed_output_is_not_a_bug():
    """≡ on an ASCII terminal is escaped, not an internal error (exit 3); a closed standard
    output is refused in one line on standard error."""
    import os
    net = "conv k=3 p=1 @e | pool k=2 s=2 | conv k=3 p=1 | convt k=3 s=2 @d"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-m", "symconv", "net", net, "--align", "e=d"],
                          capture_output=True, text=True, env=env, check=False)
    assert (done.returncode, done.stdout) == (0, "aligned: i \\u2261 1 (mod 2), i >= 2; "
                                                 "smallest 3\n")
    done = subprocess.run(f"{sys.executable} -m symconv solve conv i=224 k=7 s=2 o=112 >&-",
                          shell=True, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (2, "symconv: standard output is closed: nothing "
                                                 "to answer on\n")


def test_empty_bounds_and_clashing_symbols_are_refused(capsys):
    assert main(["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--bounds", ""]) == 2
    assert capsys.readouterr().err == ("symconv: --bounds '' bounds nothing: give NAME<=HI or "
                                       "NAME=LO..HI (k<=7,p<=3), or drop --bounds\n")
    assert main(["latex", "conv", "--symbols", r"\kappa,\kappa"]) == 2
    assert capsys.readouterr().err == ("symconv: --symbols: i and o would both print as "
                                       "'\\\\kappa': give each symbol its own name\n")
    assert main(["latex", "conv", "--symbols", "k"]) == 2
    assert "i and k would both print as 'k'" in capsys.readouterr().err


def test_a_chain_design_refuses_ceil_mode_saying_so(capsys):
    assert main(["net", "conv k=? s=1 p=1 | maxpool k=2 p=0 ceil=1", "i=10", "o=5"]) == 2
    assert capsys.readouterr().err == ("symconv: layer 2: a chain design searches floor-mode "
                                       "layers, not ceil=; drop it, or solve one ceil-mode pool "
                                       "with solve pool_ceil --for ...\n")


def test_more_inputs_say_what_to_write(capsys):
    assert main(["solve", "conv", "i=١٢", "k=3", "s=1", "p=1"]) == 2
    assert "has digits other than 0-9 at position 1: write the number in ASCII digits" in \
        capsys.readouterr().err
    assert main(["net", "conv k=? s=2 p=1 framework=keras | conv k=3 s=1 p=1", "i=9",
                 "o=4"]) == 2
    assert "a chain design searches PyTorch's layers, not framework=keras" in \
        capsys.readouterr().err
    assert main(["solve", "conv", "i=224", "o=56", "--for", "kernel_size,stride,padding",
                 "--bounds", "kernel_size<=7,padding<=3"]) == 0
    by_alias = capsys.readouterr().out
    assert main(["solve", "conv", "i=224", "o=56", "--for", "k,s,p", "--bounds",
                 "k<=7,p<=3"]) == 0
    assert capsys.readouterr().out == by_alias
    assert main(["net", "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1", "i=224", "o=7",
                 "--solve", "3:s", "--latex"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == r"\[ s_{3} \in \{8, 9\} \]"


@pytest.mark.parametrize("name", ["\\", "W\\", "\\input{x}", "\\def\\x{1}",
                                  # they passed: x^ and \frac swallowed the + after them (a
                                  # wrong formula, typeset), \left and \end broke the paper
                                  "x^", "\\frac", "\\left", "\\end{document}", "W_", "{}",
                                  # TeX's "Double superscript", and an unbraced command in a
                                  # script (the layout could not measure it: exit 3)
                                  "k^a^b", "k^2'", "k_a_b", "\\text{k}^{a}^{b}", "k_\\alpha",
                                  "k^\\prime^\\prime"])
def test_symbols_that_are_not_symbols_are_refused(capsys, name):
    assert main(["latex", "conv", "--symbols", name]) == 2
    assert ", not a symbol: give letters, digits, _ and symbol commands" in \
        capsys.readouterr().err


def test_no_command_is_a_usage_error(capsys):
    # the usage on stderr and exit 2, as for any other usage error (it was exit 0)
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == ("symconv: a command is required (check, derive, figure, "
                                 "latex, list, net, pad, plot, prove, repl, solve) (symconv "
                                 "--help shows the usage)\n")


@pytest.mark.parametrize("argv, message", [
    (["solve", "conv", "i=23", "s=3", "o=13", "k=2*p", "--for", "d"],
     "symconv: undecided: solving for d: the sign of 1 - 2*p is not determined by the "
     "givens; give its symbols values\n"),
    (["solve", "pool_ceil", "k=1", "s=4", "o=3", "--for", "d"],
     "symconv: undecided: pool_ceil for d: the symbolic answer depends on which case "
     "applies; give more values\n"),
])
def test_a_question_the_engine_does_not_answer_is_undecided_not_bad_input(capsys, argv, message):
    # well-formed questions symconv does not answer exit 4 (they exited 2, as bad input)
    assert main(argv) == 4
    assert capsys.readouterr().err == message
    assert main([*argv, "--json"]) == 4
    assert json.loads(capsys.readouterr().out)["error"]["kind"] == "undecided"
    with pytest.raises(sc.UndecidedError):
        sc.solve(argv[1], argv[-1], **dict(a.split("=") for a in argv[2:-2]))


@pytest.mark.parametrize("value, shown", [("i=2 048", "'2 048'"), ("i=22\n4", r"'22\n4'"),
                                          ("i=2^3 4", "'2^3 4'")])
def test_two_numbers_side_by_side_are_refused_not_multiplied(capsys, value, shown):
    # "i=2 048" was read as 2*048 = 96 and answered o = 48
    code, out, err = run(capsys, "solve", "conv", value, "k=7", "s=2", "p=3")
    assert (code, out) == (2, "")
    assert err.startswith(f"symconv: i: {shown} has two numbers side by side (")
    assert err.endswith("): write one number, or * between them\n")
    assert str(sc.solve("conv", o="2 i", k=1, s=1, p=0, unknown="d").unknown) == "d"


def test_the_apis_keywords_written_as_assignments(capsys):
    # unknown=p was an internal error (exit 3): solve() got multiple values for 'unknown'
    assert run(capsys, "solve", "conv", "i=224", "k=7", "s=2", "o=112", "unknown=p")[:2] == \
        (0, "p = 3\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n")
    assert run(capsys, "solve", "conv", "i=224", "o=56", "unknown=k,s,p",
               "bounds=k<=3,s<=4,p<=1")[0] == 0
    code, out, err = run(capsys, "solve", "conv", "i=224", "k=7", "s=2", "o=112", "unknown=p",
                         "--for", "p")
    assert (code, err) == (2, "symconv: 'unknown=p' and --for both given: give one\n")


@pytest.mark.parametrize("suffix", ["png", "tex", "svg", "tikz"])
def test_a_figure_into_a_missing_folder_is_refused(capsys, tmp_path, suffix):
    # exit 3 with FileNotFoundError; plot and derive already refused it
    target = tmp_path / "nowhere" / f"fig.{suffix}"
    code, _, err = run(capsys, "figure", "conv", "i=5", "k=3", "--out", str(target))
    assert (code, err) == (2, f"symconv: figure --out {str(target)!r}: the folder "
                              f"{str(target.parent)!r} does not exist (create it first)\n")


def _symconv(*argv, **env):
    import os
    return subprocess.run([sys.executable, "-m", "symconv", *argv], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)


def test_an_ascii_stdout_gets_the_answer_escaped():
    # PYTHONIOENCODING=ascii:surrogateescape (or a C locale without UTF-8 mode) crashed
    # with UnicodeEncodeError on the congruence sign
    done = _symconv("net", "conv k=3 p=1 @e | pool k=2 s=2 | convt k=2 s=2 @d", "--align", "e=d",
                    PYTHONIOENCODING="ascii:surrogateescape")
    assert (done.returncode, done.stderr) == (0, "")
    assert "aligned: i \\u2261 0 (mod 2)" in done.stdout


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_an_answer_that_cannot_be_written_is_one_line(json_flag):
    # --json gave a chained OSError traceback and exit 1 (a "false" verdict's status)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "symconv", "solve", "conv", "i=224", "k=7",
                               "s=2", "o=112", *json_flag], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert (done.returncode, done.stderr) == (2, "symconv: the answer could not be written to "
                                                 "standard output (No space left on device)\n")


def test_ctrl_c_is_one_line_and_a_json_document():
    import signal
    import time
    proc = subprocess.Popen([sys.executable, "-m", "symconv", "check", "o*o*o >= o", "--limit",
                             "100000000", "--timeout", "60", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (130, "symconv: interrupted\n")
    assert json.loads(out) == {"error": {"kind": "interrupted", "message": "interrupted",
                                         "value": None, "hint": None}}


def test_net_with_i_and_a_question_shows_the_table_as_its_json_does(capsys):
    # the text printed only "smallest input: 1" while the JSON carried the table
    net = "conv k=7 s=2 p=3 | pool k=3 s=2 p=1"
    code, out, _ = run(capsys, "net", net, "i=224", "--smallest")
    table = run(capsys, "net", net, "i=224")[1]
    assert (code, out) == (0, "smallest input: 1\n" + table)
    data = json.loads(run(capsys, "net", net, "i=224", "--smallest", "--json")[1])
    assert "table" in data and data["smallest"] == 1
    # --solve's i is the question's: no table in either (it would show the layer unsolved)
    solved = ["net", net + " | conv k=3 p=1", "i=224", "o=7", "--solve", "3:s"]
    assert run(capsys, *solved)[1] == "layer 3 s: {8, 9}\n"
    assert "table" not in json.loads(run(capsys, *solved, "--json")[1])


@pytest.mark.parametrize("argv, message", [
    (["prove", "dv3", "--env", "align", "--proof"],
     "--env, --proof go with --latex: add it, or drop them"),
    (["prove", "dv3", "--symbols", "W,X"], "--symbols goes with --latex: add it, or drop it"),
    (["latex", "conv", "--width", "text"], "--width goes with --equation (a labelled equation; "
     "latex all prints one per relation): add it, or drop it"),
    (["latex", "all", "--table", "--unnumbered"], "--unnumbered goes with --equation (a "
     "labelled equation; latex all prints one per relation): add it, or drop it"),
    (["net", "conv k=3 p=1", "i=10", "--limit", "2"],
     "--limit goes with a network with unknowns marked ?: add it, or drop it"),
    (["figure", "conv", "i=5", "k=3", "--fragment", "--out", "a.png"],
     "--fragment goes with printed TikZ (with --out, write a .tikz file): add it, or drop it"),
])
def test_a_flag_that_would_be_ignored_is_refused(capsys, argv, message):
    # each ran as if the flag were not there (README: settings that would be ignored are
    # refused, never dropped)
    assert run(capsys, *argv) == (2, "", f"symconv: {message}\n")
    assert run(capsys, "latex", "conv", "--equation", "--width", "text")[0] == 0


def test_an_empty_answer_names_the_rule_each_candidate_breaks(capsys):
    # it named g | F_i, which the one candidate (g = 3, from P = 76) satisfies
    code, out, _ = run(capsys, "solve", "params", "--for", "g", "F_i=6", "F_o=4", "k=3", "n=2",
                       "P=76")
    assert (code, out.splitlines()[:2]) == (0, [
        "g in {}", "  reason: no candidate satisfies every rule: g = 3 breaks groups must "
                   "divide out_channels: g | F_o"])


def test_figure_on_the_command_line_takes_pytorchs_names(capsys):
    # "figure takes i, k, s, p, d, a, not input, kernel_size, ..." (the API took them)
    named = run(capsys, "figure", "conv", "input=5", "kernel_size=3", "stride=2", "padding=1",
                "--json")
    plain = run(capsys, "figure", "conv", "i=5", "k=3", "s=2", "p=1", "--json")
    assert named == plain and named[0] == 0
    assert run(capsys, "figure", "conv", "i=5", "kk=3") == (
        2, "", "symconv: figure: unknown name 'kk'; did you mean 'k'? (it takes i, k, s, p, "
               "d, a)\n")


def test_the_deadline_waits_out_a_finalizer_and_fires_in_the_work():
    # raised inside a weakref callback or a __del__, Python printed "Exception ignored
    # in ..." with a traceback and the work went on past the deadline (exit 0)
    import signal
    import sys as _sys
    import weakref

    from symconv import cli
    seen = []

    class Finalized:
        def __del__(self):
            try:
                cli._on_alarm(signal.SIGALRM, _sys._getframe())
                seen.append(signal.getitimer(signal.ITIMER_REAL)[0])
            except cli._Deadline:
                seen.append("raised")
            signal.setitimer(signal.ITIMER_REAL, 0)

    obj = Finalized()
    del obj
    box = weakref.WeakValueDictionary()
    key = Finalized()
    box["k"] = key
    del key
    assert len(seen) == 2 and all(isinstance(v, float) and 0 < v <= 0.005 for v in seen), seen
    with pytest.raises(cli._Deadline):
        cli._on_alarm(signal.SIGALRM, _sys._getframe())


@pytest.mark.parametrize("extra", [["i=224"], ["--expr"], ["--smallest"]])
def test_net_refuses_an_output_it_would_not_read(capsys, extra):
    # o= without --solve was dropped: the table printed, exit 0
    assert run(capsys, "net", "conv k=3 s=2 p=1", "o=5,7", *extra) == (
        2, "", "symconv: o=5,7 is read only with --solve LAYER:NAME (the layer value that "
        "gives that output); without it the network's output is computed, so drop o=, or "
        "add --solve\n")


def test_messages_name_what_was_given(capsys):
    assert run(capsys, "solve", "conv", "k=3", "k=4", "i=5")[2] == \
        "symconv: k given twice ('k=3' and 'k=4'): give it once\n"
    assert run(capsys, "derive", "nonexist.py")[2] == (
        "symconv: derivation 'nonexist.py': no such file (give the script's path, or a "
        "built-in derivation's name: symconv derive --all runs them all)\n")


def test_an_answer_past_python_s_print_limit_is_printed_or_refused_in_one_line(capsys):
    # inputs of 2 201 digits give an answer of 4 401: "internal error (ValueError: Exceeds
    # the limit (4300 digits) for integer string conversion)", exit 3
    big = str(10 ** 2200)
    assert main(["solve", "conv_transpose", f"i={big}", "k=3", f"s={big}", "p=0"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"o = {10 ** 4400 - 10 ** 2200 + 3}"
    huge = str(10 ** 3999)
    assert main(["solve", "params", f"F_i={huge}", f"F_o={huge}", f"k={huge}", "n=4",
                 "--json"]) == 2
    out, err = capsys.readouterr()
    assert err == "symconv: the answer has more than 20000 digits: not printed (give smaller sizes)\n"
    assert json.loads(out)["error"]["kind"] == "UsageError"


@pytest.mark.parametrize("argv", [
    ["solve", "conv", "o=i", "s=k**k**2", "--for", "p"],
    ["solve", "conv", "i=5", "s=k**k**k", "o=3", "--for", "p"],
    ["solve", "conv", "o=5", "p=k**k**2", "--for", "s"],
])
def test_a_power_tower_given_answers_in_bounded_memory(argv):
    # the symbolic answer's grid check listed k**(k**2) values at k = 4 (4 294 967 296):
    # 24 GB and a kill, or exit 3 (MemoryError) under a limit; --timeout could not stop it
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    done = subprocess.run([sys.executable, "-m", "symconv", *argv, "--timeout", "30"],
                          capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert done.returncode == 0, done.stderr
    assert "k**(k**" in done.stdout and done.stderr == ""


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(("argv", "code"), [
    (["solve", "conv", "i=0", "k=7", "s=2", "o=112", "--json"], 2),
    (["solve", "pool_ceil", "i=10", "k=3", "s=2", "o=5", "--for", "d", "--json"], 4),
    (["bogus", "--json"], 2),
])
def test_an_error_document_that_cannot_be_written_is_said_in_a_line(argv, code):
    # printing the error's JSON document to a full disk raised inside the handler: a
    # traceback and exit 1 (a false claim, to a script)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "symconv", *argv], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == code
    lines = done.stderr.splitlines()
    assert "Traceback" not in done.stderr and len(lines) == 2, lines
    assert lines[1] == ("symconv: the error document could not be written to standard output "
                        "(No space left on device)")


@pytest.mark.parametrize(("argv", "line"), [
    (["solve", "conv", "k=3", "s=1", "p=0", "o=8", "--for", "o", "--for", "i"],
     "symconv: --for given twice: give it once (symconv solve --help shows the usage)"),
    (["net", "conv k=? | conv k=?", "i=10", "o=6", "--solve", "1:k", "--solve", "2:k"],
     "symconv: --solve given twice: give it once (symconv net --help shows the usage)"),
    (["solve", "conv", "i=0", "k=7", "s=2", "o=112", "--js"],
     "symconv: unrecognized arguments: --js (symconv --help shows the usage)"),
])
def test_an_option_is_spelled_whole_and_given_once(capsys, argv, line):
    # the last --for was read silently; --js read as --json, but its error printed no JSON
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [line]


def test_a_chains_output_formula_says_from_which_input_it_holds(capsys):
    # --expr printed o = floor((i - 9)/2) + 1 alone: PyTorch refuses i = 5, 7, 8, where it
    # gives -1, 0, 0
    assert main(["net", "conv k=5 | conv k=5 s=2", "--expr"]) == 0
    assert capsys.readouterr().out == "o = floor((i - 9)/2) + 1  if i >= 9\n"
    assert main(["net", "conv k=5 | conv k=5 s=2", "--expr", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["expr_from"] == 9
    assert main(["net", "convt k=2 s=2", "--expr"]) == 0        # every size: no condition
    assert capsys.readouterr().out == "o = 2*i\n"
    assert main(["net", "conv k=5,3 | pool k=2", "--expr"]) == 0
    assert capsys.readouterr().out == ("axis 0: o = floor(i/2) - 2  if i >= 6\n"
                                       "axis 1: o = floor(i/2) - 1  if i >= 4\n")


def test_a_double_dash_ends_the_options_as_posix_reads_it(capsys):
    # `... --for p s=2 o=112 --` was refused: "unrecognized arguments: s=2 o=112 --"
    answer = "p = 3\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n"
    assert run(capsys, "solve", "conv", "i=224", "k=7", "--for", "p", "s=2", "o=112", "--") == \
        (0, answer, "")
    assert run(capsys, "solve", "conv", "i=224", "k=7", "--for", "p", "--", "s=2", "o=112") == \
        (0, answer, "")
    # after it a flag is an operand
    assert run(capsys, "solve", "conv", "--", "i=224", "--for", "p")[2] == \
        "symconv: expected NAME=VALUE, got '--for' (for example k=3 or o=i)\n"
    # --json too: the answer stays text (it switched to a JSON error document)
    assert run(capsys, "check", "--", "--json") == (
        2, "", "symconv: claim '--json' has no relation sign: state it as lhs = rhs\n")
    assert run(capsys, "solve", "conv", "i=224", "k=7", "s=2", "--json", "--", "o=112")[:2] == \
        (0, '{"relation": "conv", "unknown": "p", "given": {"i": 224, "k": 7, "s": 2, "o": 112}, '
            '"kind": "finite", "values": [3], "min": 3, "max": 3, "conditions": [], "reason": '
            'null, "latex": "p = 3", "defaults": {"d": 1}}\n')


def test_explain_of_a_relation_with_a_max_of_a_rounding(capsys):
    # pad_same_tf's max(0, ...) of a kept ceiling could not be compared: exit 3
    code, out, err = run(capsys, "solve", "pad_same_tf", "i=225", "k=4", "s=2", "--explain")
    assert (code, err) == (0, "")
    assert "integer solution set: T = 3" in out.splitlines()
    assert (max(0, (-(-225 // 2) - 1) * 2 + 4 - 225)) == 3         # TF's SAME total padding


@pytest.mark.parametrize("json_flag", [False, True])
def test_ctrl_c_while_the_command_line_loads_is_an_interruption(json_flag):
    # the console script's entry loads the command line itself: a Ctrl-C in that window
    # (0.1-0.4 s) was a traceback and exit 1, "a claim checked false". The interrupt is
    # raised where the signal would land, in the import of symconv.cli
    program = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'symconv.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from symconv._entry import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    argv = ["prove", "all", *(["--json"] if json_flag else [])]
    done = subprocess.run([sys.executable, "-c", program, *argv], capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stderr) == (130, "symconv: interrupted\n")
    assert done.stdout == ('{"error": {"kind": "interrupted", "message": "interrupted", '
                           '"value": null, "hint": null}}\n' if json_flag else "")


def test_version(capsys):
    # there was none ("unrecognized arguments: --version"); one statement of it,
    # symconv.__version__, which the package metadata reads too
    from importlib.metadata import version
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"symconv {sc.__version__}\n"
    assert version("symconv") == sc.__version__


@pytest.mark.parametrize("name", ["k'^2", "k''", "k_{\\alpha}", "k^{\\prime}", "H^{(l)}",
                                  "W_{\\mathrm{in}}", "i_{\\text{in}}", "\\hat{k}"])
def test_symbols_that_are_symbols_are_taken(capsys, name):
    assert main(["latex", "dv3", "--symbols", f"{name},o", "--equation"]) == 0
    assert name in capsys.readouterr().out
