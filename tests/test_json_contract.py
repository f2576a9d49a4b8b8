"""The command-line contract: one JSON document per command, validated against the
shipped schemas; errors as documents; exit codes 0/1/2/4; --timeout; --out writes
exactly the path given; derive never runs a derivations/ folder it was not given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import symconv
from symconv.cli import main
from symconv.schemas import COMMANDS, schema

NET = "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | conv k=3 p=1"
ALIGNED = "conv k=3 p=1 @e | pool k=2 s=2 | conv k=3 p=1 | convt k=3 s=2 @d"

CASES = [
    (["list"], 0),
    (["solve", "conv", "i=224", "k=7", "s=2", "o=112"], 0),
    (["solve", "conv", "i=224", "k=7", "p=3", "o=1"], 0),
    (["solve", "conv", "o=i", "s=1", "--for", "p"], 0),
    (["solve", "conv", "o=i", "s=1", "--for", "p", "--explain"], 0),
    (["solve", "conv", "i=224,160", "k=7", "s=2", "p=3"], 0),
    (["solve", "conv", "i=32", "o=16", "--for", "k,s,p", "--bounds", "k<=5,p<=2", "--limit", "3"], 0),
    (["latex", "conv"], 0),
    (["latex", "all", "--document"], 0),
    (["pad", "onnx", "SAME_LOWER", "i=225", "k=4", "s=2"], 0),
    (["prove", "round_trip"], 0),
    (["check", "o = i for s = 1 and k odd and p = floor(k/2)"], 0),
    (["check", "o = floor((i - k)/s)"], 1),
    (["derive", "dv3"], 0),
    (["net", NET, "i=224"], 0),
    (["net", NET, "--expr", "--smallest", "--inputs-for", "56"], 0),
    (["net", NET, "i=224", "o=7", "--solve", "3:s"], 0),
    (["net", ALIGNED, "--align", "e=d", "--nearest", "100"], 0),
    (["net", "conv k=3 s=2 p=1 | convt k=3 s=2 p=1 a=1", "--inputs-for", "4"], 0),
    (["net", "conv k=3 | frob", "i=3"], 2),
    (["solve", "conv", "i=-1", "k=3"], 2),
    (["figure", "conv", "i=5", "k=3", "s=2", "p=1"], 0),
    (["solve", "conv", "o=i", "s=1", "--for", "p", "--explain", "--latex"], 0),
    (["frobnicate"], 2),
    # per-axis layers answer per axis; a symbolic range's expr is its condition
    (["net", "conv k=3,5", "--expr"], 0),
    (["net", "conv k=3,5 @a | pool k=2 @b", "--align", "a=b"], 0),
    (["solve", "conv", "i=224", "o=112", "k=7", "--for", "s"], 0),
    (["solve", "pad_same_torch", "T=3", "k=3", "--for", "d"], 0),
    (["net", "conv k=1 @a | conv k=1 p=20 | pool k=1 s=2 @b", "--align", "a=b", "--nearest", "4"],
     0),
    # per-axis values in the table and among the givens
    (["solve", "params", "F_i=32", "F_o=32", "k=1,7", "n=2"], 0),
    (["net", "conv k=1,7 p=0,3 | pool k=2", "i=32"], 0),
    (["net", "conv k=3,5 s=1,2 p=1,2 in=3 out=16 | pool k=2", "i=224,160"], 0),
    # inputs for an output per axis (it was refused on a network that differs by axis)
    (["net", "conv k=3,5 s=2 p=1 | conv k=3 s=2", "--inputs-for", "7"], 0),
    (["net", "conv k=3 s=2 p=1 | conv k=3 s=2", "--inputs-for", "7,5"], 0),
    # a symbolic answer that comes out a constant is a formula object (it was "expr": 1)
    (["solve", "conv", "k=3", "s=1", "d=1", "o=i", "--for", "p"], 0),
    (["solve", "dv1", "o=i-2", "--for", "k"], 0),
    (["solve", "conv_transpose", "k=4", "s=2", "d=1", "a=0", "o=2*i", "--for", "p"], 0),
]


def run(capsys, argv):
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "code"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_every_command_prints_one_valid_document(capsys, argv, code):
    got, out, err = run(capsys, argv)
    assert got == code, (out, err)
    assert out.endswith("\n") and out.count("\n") == 1, out       # one document, one line
    data = json.loads(out)
    command = argv[0] if argv[0] in COMMANDS else "list"
    jsonschema.validate(data, schema(command))
    if code == 2:
        assert set(data) == {"error"} and err.startswith("symconv: ") and err.count("\n") == 1
        assert data["error"]["message"] == err[len("symconv: "):].rstrip("\n")
    else:
        assert err == "" and "error" not in data


def test_plot_reports_its_file_and_writes_only_it(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "stairs.svg"
    code, text, _ = run(capsys, ["plot", "conv", "k=3", "s=2", "--range", "1:8", "--out", str(out)])
    assert code == 0
    data = json.loads(text)
    jsonschema.validate(data, schema("plot"))
    assert data == {"wrote": [str(out)], "kind": "staircase", "sizes": "input sizes 1..8"}
    assert [p.name for p in tmp_path.iterdir()] == ["stairs.svg"]


def test_numbers_are_exact_and_unknowns_null(capsys):
    code, out, _ = run(capsys, ["net", "convt k=2 s=2 | conv k=3", "i=8"])
    table = json.loads(out)["table"]
    assert code == 0
    assert [r["jump"] for r in table["layers"]] == [{"num": 1, "den": 2}] * 2
    assert table["params"] is None and table["layers"][0]["params"] is None   # channels not given
    code, out, _ = run(capsys, ["net", "conv k=3 F_i=3 F_o=8 | pool k=2", "i=8"])
    rows = json.loads(out)["table"]["layers"]
    assert [r["params"] for r in rows] == [3 * 3 * 3 * 8 + 8, 0] and json.loads(out)["table"]["params"] == 224


def test_counterexample_sides_are_exact_numbers(capsys):
    code, out, _ = run(capsys, ["check", r"o = \frac{i-k}{s}+1"])
    data = json.loads(out)
    assert (code, data["status"], data["counterexample"]) == (1, "false", {"i": 2, "k": 1, "s": 2})
    assert data["values"] == [1, {"num": 3, "den": 2}]


def test_schema_files_share_one_set_of_forms():
    common = schema("common")["$defs"]
    for name in COMMANDS:
        assert schema(name)["$defs"] == common, name
        jsonschema.Draft202012Validator.check_schema(schema(name))


# --- exit codes -----------------------------------------------------------------------------

def test_check_exit_codes_proven_false_undecided_strict(capsys):
    assert main(["check", "o = i for s = 1 and k odd and p = floor(k/2)"]) == 0
    # --strict: a symbolic proof in general; this one holds only with d = 1, which the
    # claim leaves out (false at d = 2), and says so in a field a script reads
    assert main(["check", "o = i for s = 1 and k odd and p = floor(k/2)", "--strict"]) == 1
    assert main(["check", "o = i for s = 1 and k odd and p = floor(k/2) and d = 1",
                 "--strict"]) == 0
    assert main(["check", "o = floor((i - k)/s)"]) == 1
    capsys.readouterr()
    # general: true, false (a counterexample with the settings free: --strict 1), or
    # undecided (khat^2 >= k is true for every d, which the general check does not
    # prove: --strict 4, never 1, "false")
    for claim, settings, general in (("khat = k", {"d": 1}, False),
                                     ("khat = d(k - 1) + 1", {}, True),
                                     ("o = i - k + 1", {"d": 1, "p": 0, "s": 1}, False),
                                     ("khat*khat >= k", {"d": 1}, None)):
        assert main(["check", claim, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        jsonschema.validate(data, schema("check"))
        assert (data["holds"], data["settings"], data["general"]) == (True, settings, general)
        assert main(["check", claim, "--strict"]) == {True: 0, False: 1, None: 4}[general]
        capsys.readouterr()


def test_timeout_stops_with_exit_4_and_reason(capsys):
    import time
    start = time.monotonic()
    code = main(["check", "o = i/2 if s = 2, k = 2, p = 0, i even", "--limit", "10000000",
                 "--timeout", "0.5", "--json"])
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    data = json.loads(out)
    jsonschema.validate(data, schema("check"))
    assert elapsed < 10, elapsed     # bounded by the timeout (plus start-up), never minutes
    if code == 0:             # the claim is true: proven before the timeout
        assert data["status"] == "proven"
        return
    assert code == 4
    if "error" in data:       # stopped by the alarm
        assert data["error"]["kind"] == "undecided" and "0.5 s timeout" in data["error"]["message"]
        assert err.startswith("symconv: undecided: ") and err.count("\n") == 1
    else:                     # the search stopped itself
        assert data["status"] == "undecided"


@pytest.mark.parametrize("value", ["0", "-1", "x", "nan", "1e9"])
def test_timeout_must_be_positive_seconds(capsys, value):
    assert main(["list", "--timeout", value]) == 2
    assert "--timeout takes seconds in (0, 86400]" in capsys.readouterr().err


# --- nothing run or written that was not named -------------------------------------------------

def test_derive_ignores_a_derivations_folder_in_the_working_directory(tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "derivations").mkdir()
    (tmp_path / "derivations" / "evil.py").write_text(
        f"open({str(marker)!r}, 'w').write('x')\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-m", "symconv", "derive", "dv3"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("dv3: ") and not marker.exists()
    # named explicitly, the user's script runs
    (tmp_path / "mine.py").write_text(
        "import symconv as sc\nDERIVATION = sc.Derivation('mine', 'Mine', claim='o = o')\n")
    done = subprocess.run([sys.executable, "-m", "symconv", "derive", str(tmp_path / "mine.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.split(":")[0]) == (0, "mine"), done.stderr


def test_a_derivation_scripts_prints_go_to_stderr(capsys, tmp_path):
    # derive mine.py --json and derive --dir put the script's prints before the document
    (tmp_path / "mine.py").write_text(
        "import symconv as sc\nprint('hello from my derivation')\n"
        "DERIVATION = sc.Derivation('mine', 'Mine', claim='o = o')\n")
    (tmp_path / "helper.py").write_text("print('imported')\n")
    assert main(["derive", str(tmp_path / "mine.py"), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) and err == "hello from my derivation\n"
    assert main(["derive", "--dir", str(tmp_path), "--all", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) and sorted(err.splitlines()) == ["hello from my derivation",
                                                            "imported"]


@pytest.mark.parametrize(("out", "message"), [
    ("noext", "the file has no suffix; give one of .tex (for example noext.tex)"),
    ("doc.png", "the file has the suffix '.png'; give one of .tex (for example doc.tex)"),
    ("folder.tex", "is an existing folder"),
    ("missing/doc.tex", "does not exist (create it first)"),
])
def test_derive_out_refuses_what_it_cannot_write_exactly(capsys, tmp_path, out, message):
    (tmp_path / "folder.tex").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["derive", "dv3", "--out", str(tmp_path / out)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(tmp_path / out) in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_out_to_an_unwritable_device_is_exit_2(capsys):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    assert main(["derive", "dv3", "--out", "/dev/full"]) == 2
    assert "has no suffix" in capsys.readouterr().err
    pytest.importorskip("matplotlib")
    assert main(["plot", "conv", "k=3", "--out", "/dev/full"]) == 2
    assert "'/dev/full'" in capsys.readouterr().err
    assert not Path("/dev/full.png").exists()


def test_derive_out_writes_exactly_the_file(capsys, tmp_path):
    out = tmp_path / "d.tex"
    assert main(["derive", "dv3", "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["wrote"] == str(out) and [p.name for p in tmp_path.iterdir()] == ["d.tex"]
    assert out.read_text().startswith(r"\documentclass")


@pytest.mark.parametrize(("argv", "value", "hint"), [
    (["solve", "nosuch", "i=1"], "nosuch", "symconv list shows them all"),
    (["solve", "conv_transpose", "i=3", "k=3", "s=2", "p=1", "a=2", "--for", "o"],
     "s=2, d=1, a=2", None),
    (["check", "o=i", "--limit", "-5"], -5, "symconv check --help shows the usage"),
    (["solve", "conv", "i=-1", "k=3"], -1, None),
    (["solve", "conv", "i=0x10", "k=3"], "0x10",
     "write the number in decimal digits (1000, 16), without underscores or a base prefix"),
    (["pad", "torch", "same", "i=32", "k=4", "s=2"], "s=2", "use explicit padding, or framework=tf for TensorFlow's SAME"),
    # the quoted text, not the rest of the message; empty and non-ASCII values as typed
    (["solve", "conv", "i=224", "k=7", "s=2", "o=112", "="], "=", None),
    (["solve", "", "i=1"], "", "symconv list shows them all"),
    (["solve", "conv", "i=\uff12\uff12\uff14", "k=3"], "\uff12\uff12\uff14",
     "write the number in ASCII digits"),
    # the end of another program's error is not a fix ("(pos 1)" of a TypeError)
    (["net", "--torch", "os:system"], None, None),
    # the value a message names, read off it where the error does not carry it (each was
    # null)
    (["solve", "conv", "i=\u00fc", "k=3", "s=1", "p=0"], "\u00fc", None),
    (["solve", "conv", "i=10,11", "k=3,3,3", "s=1", "p=0"], None, None),   # not the lengths
    (["solve", "conv", "i=5", "k=3", "s=1", "p=1", "p_l=1"], None, None),  # not "both"
    (["solve", "conv", "o=floor(i,2)", "k=3", "s=1"], "floor(i,2)", None),
    (["net", "conv k=3 s=2 p=1 | conv k=3", "--align", "5=6"], "5", None),   # a name
    (["pad", "tf", "SAME", "i=10", "k=3", "p=1"], "p", None),
    (["solve", "conv", "i=224", "k=7", "s=2"], "o, p",
     "--for on the command line, unknown= in Python"),
    (["solve", "conv", "i=224", "k=7", "s=2", "p=3", "--for", "i"], "i",
     "drop i=224 or --for i"),
    (["list", "extra"], "extra", "symconv --help shows the usage"),
    (["latex", "conv", "--equation", "--width", "page"], "page",
     "symconv latex --help shows the usage"),
    (["net", "conv k=3 | conv k=3", "--solve", "5:k", "i=10", "o=6"], 5, None),
])
def test_an_error_document_names_the_value_and_the_fix(capsys, argv, value, hint):
    assert main([*argv, "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["value"], error["hint"]) == (value, hint)


def test_latex_of_a_special_case_carries_what_it_is_stated_for(capsys):
    # latex dv13 (and --json, and list --json's latex) gave o' = s(i' - 1) - 2p + k without
    # its hypothesis s | i + 2p - k: false as stated (i=2, k=1, s=2, p=0 gives 1, not 2)
    assert main(["latex", "dv13"]) == 0
    assert capsys.readouterr().out == ("o' = s \\left(i' - 1\\right) - 2 p + k \\quad "
                                       "\\text{if } s \\mid i + 2 p - k\n")
    assert main(["latex", "dv3", "--json"]) == 0
    (one,) = json.loads(capsys.readouterr().out)["relations"]
    assert one == {"name": "dv3", "equation": "o = i", "latex": (
        "o = i \\quad \\text{with } s = 1,\\ p = \\left\\lfloor \\frac{k}{2} \\right\\rfloor "
        "\\quad \\text{if } k \\text{ odd}")}
    assert main(["latex", "dv13", "--equation", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"].startswith("\\begin{equation}\\label{eq:symconv-dv13}")
    assert main(["list", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)["relations"]}
    assert listed["dv13"]["latex"].endswith("\\text{if } s \\mid i + 2 p - k")
    assert listed["conv"]["latex"] == listed["conv"]["equation"]


def test_flags_take_ascii_digits_as_sizes_do(capsys):
    # --inputs-for ٥, 1_0 and --timeout ５ were read (int() and float() take them) while
    # i=２ is refused
    for argv in (["net", "conv k=3", "--inputs-for", "\u0665"],
                 ["net", "conv k=3", "--inputs-for", "1_0"], ["list", "--timeout", "\uff15"]):
        assert main(argv) == 2
        assert "takes" in capsys.readouterr().err


def test_another_programs_quoted_error_gives_no_hint():
    from symconv.cli import _error_document
    doc = json.loads(_error_document("UsageError", "node y (ConvTranspose): refused (onnxruntime: "
                                                   "'Attribute output_shape has incorrect size')"))
    assert doc["error"]["hint"] is None


@pytest.mark.parametrize("argv", [["solve", "conv", "i=224", "k=7", "s=2", "o=112", "--json",
                                   "--json"],
                                  ["check", "o = i - k + 1", "--strict", "--strict"],
                                  ["solve", "conv", "i=224", "k=7", "s=2", "o=112", "--latex",
                                   "--latex"]])
def test_a_flag_given_twice_is_refused_as_an_option_is(capsys, argv):
    # --json --json and --latex --latex were taken; --for twice was refused
    assert main(argv) == 2
    flag = argv[-1]
    assert capsys.readouterr().err.startswith(f"symconv: {flag} given twice: give it once")


def test_latex_with_json_is_refused_where_the_document_has_it(capsys):
    # --latex was dropped without a word under --json (the document carries the LaTeX);
    # an explanation is text or LaTeX, so there it stays
    assert main(["solve", "conv", "i=224", "k=7", "s=2", "o=112", "--latex", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["message"] == ('--latex with --json: two forms of the answer (the document '
                                'gives its formulas\' LaTeX in "latex" fields where it has '
                                'formulas); give one of them')
    for argv in (["pad", "tf", "SAME", "i=225", "k=4", "s=2"], ["net", "conv k=3", "i=32"]):
        assert main([*argv, "--latex", "--json"]) == 2         # no LaTeX in these documents:
        assert "two forms of the answer" in capsys.readouterr().err     # not said they have it
    assert main(["solve", "conv", "i=224", "k=7", "s=2", "o=112", "--explain", "--latex",
                 "--json"]) == 0
    assert "\\intertext" in json.loads(capsys.readouterr().out)["explanation"][0]


def test_an_interruption_while_the_answer_is_written_adds_no_document(monkeypatch, capsys):
    # Ctrl-C while a slow reader held the answer's write: the answer, then an
    # "interrupted" document after it (two documents on stdout)
    import io

    class Slow(io.StringIO):
        def write(self, text):
            super().write(text[:10])
            raise KeyboardInterrupt
    out = Slow()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["solve", "conv", "i=224", "k=7", "s=2", "o=112", "--json"]) == 130
    assert out.getvalue() == '{"relation'
    assert capsys.readouterr().err == "symconv: interrupted\n"
    # interrupted before an answer: the document, as before
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr("symconv.cli._run", lambda args: (_ for _ in ()).throw(KeyboardInterrupt))
    assert main(["list", "--json"]) == 130
    assert json.loads(sys.stdout.getvalue())["error"]["kind"] == "interrupted"


def test_utf8_arguments_decoded_by_a_c_locale_are_quoted_as_typed(capsys):
    # LC_ALL=C gives i=ü as i=\udcc3\udcbc, which the message echoed escaped
    assert main(["solve", "conv", "i=\udcc3\udcbc", "k=3", "s=1", "p=0", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["value"] == "\u00fc"
    assert main(["solve", "conv", "i=\udcff", "k=3", "s=1", "p=0"]) == 2    # not UTF-8: kept
    assert "cannot read '\\udcff'" in capsys.readouterr().err


def test_the_version_and_a_json_flag_with_a_value_are_documents(capsys):
    # --version --json printed plain text; --json=1 only the stderr line
    for argv in (["--version", "--json"], ["--json", "--version"]):
        assert main(argv) == 0
        assert json.loads(capsys.readouterr().out) == {"version": symconv.__version__}
    assert main(["solve", "conv", "i=224", "k=7", "s=2", "o=112", "--json=1"]) == 2
    assert "ignored explicit argument" in json.loads(capsys.readouterr().out)["error"]["message"]
    # anything else beside --version was dropped (--version list, --json twice, --json=1)
    for argv in (["--version", "list"], ["--version", "--json", "--json"],
                 ["--version", "--json=1"], ["--version", "--bogus"]):
        assert main(argv) == 2
        assert capsys.readouterr().err == ("symconv: --version takes nothing else but --json: "
                                           "give it alone\n")


def test_a_flag_that_would_be_dropped_is_refused(capsys):
    # net --explain without --expr and latex --equation beside --table were dropped
    assert main(["net", "conv k=3 s=2 p=1", "i=32", "--explain"]) == 2
    assert capsys.readouterr().err.startswith("symconv: --explain goes with --expr")
    for other in ("--table", "--document"):
        assert main(["latex", "conv", "--equation", other]) == 2
        assert capsys.readouterr().err.startswith(f"symconv: --equation with {other}: two "
                                                  "layouts")
