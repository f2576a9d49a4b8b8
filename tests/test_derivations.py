"""derivations/: every script holds, runs on its own, and runs from the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from symconv.cli import main
from symconv.derivation import load

FOLDER = Path(__file__).resolve().parent.parent / "derivations"
FOUND = load(FOLDER)


def test_there_is_one_derivation_per_result():
    names = set(FOUND)
    assert {f"dv{n}" for n in range(1, 16)} <= names
    assert {"round_trip", "same_padding", "dilated_kernel", "tf_same"} <= names


@pytest.mark.parametrize("name", sorted(FOUND))
def test_derivation_holds(name):
    result = FOUND[name].run()
    assert result.holds, result.text()
    tex = result.latex()
    assert tex.startswith(r"\section{") and r"\begin{align*}" in tex


def test_a_script_runs_on_its_own():
    done = subprocess.run([sys.executable, str(FOLDER / "round_trip.py")], capture_output=True,
                          text=True, check=True)
    assert done.stdout.startswith(r"\section{The transposed convolution undoes the direct one}")


def test_the_shipped_derivations_load_without_docstrings():
    # python -OO drops docstrings: four scripts read their statement from __doc__, and
    # every derive failed, blamed on the user ("fix the script", exit 2)
    done = subprocess.run([sys.executable, "-OO", "-m", "symconv", "derive", "--all"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_cli_derive_one_and_unknown(capsys):
    assert main(["derive", "dv3", "--dir", str(FOLDER)]) == 0
    assert capsys.readouterr().out.startswith("dv3: Relationship 3: half (same) padding, unit strides [holds]")
    assert main(["derive", "dv99", "--dir", str(FOLDER)]) == 2
    assert capsys.readouterr().err.startswith("symconv: no derivation 'dv99' in ")


@pytest.mark.parametrize(("body", "said"), [
    ("x = (\n", "raised SyntaxError, line 1: '(' was never closed"),
    ("raise RuntimeError('boom')\n", "raised RuntimeError: boom"),
    ("import sys\nsys.exit(7)\n", "exited SystemExit: 7"),
    ("import symconv_no_such_module_zz\n", "raised ModuleNotFoundError: No module named "
                                           "'symconv_no_such_module_zz'"),
])
def test_a_script_that_fails_is_the_users_error_in_one_line(tmp_path, capsys, body, said):
    """A derivation script's own error (or exit) is bad input, exit 2 with one JSON
    document, not symconv's internal error (exit 3) nor the script's exit code."""
    script = tmp_path / "bad.py"
    script.write_text(body)
    assert main(["derive", str(script), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and '"kind": "UsageError"' in out
    assert err == f"symconv: derivation {str(script)!r} {said}; fix the script (it must " \
                  "define DERIVATION = Derivation(...))\n"


def test_derive_refuses_a_name_with_all(capsys):
    assert main(["derive", "round_trip", "--all"]) == 2
    assert capsys.readouterr().err == ("symconv: derive round_trip runs one derivation and "
                                       "--all every one: give one of them\n")


def test_an_undecided_claim_is_undecided_not_false(tmp_path, capsys):
    # derive exited 1 ("checked false") with "holds": false for a claim judged undecided
    import json
    script = tmp_path / "mine.py"
    script.write_text('import symconv as sc\nDERIVATION = sc.Derivation("mine", "undecided", '
                      'claim="o*o >= o")\n')
    assert main(["derive", str(script)]) == 4
    assert capsys.readouterr().out.startswith("mine: undecided [undecided]\n")
    assert main(["derive", str(script), "--json"]) == 4
    data = json.loads(capsys.readouterr().out)
    assert (data["holds"], data["derivations"][0]["holds"]) == (None, None)


@pytest.mark.parametrize("claim, code", [("o = i", 1), ("o*o >= o", 4), ("o = o", 0)])
def test_a_script_run_directly_exits_with_the_clis_status(tmp_path, claim, code):
    # a false claim ended in an AssertionError traceback, and under python -O passed
    script = tmp_path / "mine.py"
    script.write_text('import symconv as sc\nDERIVATION = sc.Derivation("mine", "t", '
                      f'claim="{claim}")\nif __name__ == "__main__":\n'
                      '    raise SystemExit(DERIVATION.main())\n')
    for flags in ([], ["-O"]):
        done = subprocess.run([sys.executable, *flags, str(script)], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr
        assert (done.stdout.startswith(r"\section{t}") if code == 0 else done.stdout == "")
        # an undecided claim is said so, not "does not hold"; a false one with its
        # counterexample, as check gives it
        first = done.stderr.splitlines()[0] if code else ""
        assert first == {0: "", 1: "derivation mine does not hold:",
                         4: "derivation mine is undecided:"}[code]
        assert ("counterexample (smallest): i=2, k=2: left side 1, right side 2" in
                done.stderr) == (code == 1)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_script_whose_latex_cannot_be_written_says_so_in_one_line(tmp_path):
    # a traceback and exit 1 ("false") for a derivation that holds; | head: exit 0
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, str(FOLDER / "round_trip.py")], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    assert (done.returncode, done.stderr) == (2, "derivation round_trip: the LaTeX could not "
                                                 "be written (No space left on device)\n")
    done = subprocess.run([sys.executable, str(FOLDER / "round_trip.py"), "--out",
                           str(tmp_path / "no" / "x.tex")], capture_output=True, text=True,
                          timeout=300)
    assert (done.returncode, done.stderr) == (
        2, f"derivation round_trip: the LaTeX could not be written to "
           f"{str(tmp_path / 'no' / 'x.tex')!r} (No such file or directory)\n")
    # arguments it does not take, and a claim the script states wrongly: one line, exit 2
    # (they were dropped, or a traceback and exit 1, "false")
    for argv, said in ((["--bogus"], "takes nothing, or --out FILE, got '--bogus'"),
                       (["--out"], "takes nothing, or --out FILE, got '--out'")):
        done = subprocess.run([sys.executable, str(FOLDER / "round_trip.py"), *argv],
                              capture_output=True, text=True, timeout=300)
        assert (done.returncode, done.stdout, done.stderr) == (
            2, "", f"derivation round_trip: {said}\n")
    script = tmp_path / "bad.py"
    script.write_text('import symconv as sc\nDERIVATION = sc.Derivation("bad", "t", '
                      'claim="o = i for s = 0")\nif __name__ == "__main__":\n'
                      '    raise SystemExit(DERIVATION.main())\n')
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2 and done.stderr.startswith("derivation bad: condition s = 0 ")
    assert done.stderr.count("\n") == 1


def test_a_derivation_is_named_by_its_file_too(capsys):
    # symconv derive dv03_half_padding was refused: the derivation inside is dv3
    assert main(["derive", "dv03_half_padding"]) == 0
    assert capsys.readouterr().out.startswith("dv3: Relationship 3: half (same) padding")
    assert main(["derive", "__init__"]) == 2
    assert "no derivation '__init__'" in capsys.readouterr().err
