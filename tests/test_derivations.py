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


def test_cli_derive_one_and_unknown(capsys):
    assert main(["derive", "dv3", "--dir", str(FOLDER)]) == 0
    assert capsys.readouterr().out.startswith("dv3: Relationship 3: half (same) padding, unit strides [holds]")
    assert main(["derive", "dv99", "--dir", str(FOLDER)]) == 2
    assert capsys.readouterr().err.startswith("symconv: no derivation 'dv99' in ")
