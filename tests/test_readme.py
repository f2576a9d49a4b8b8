"""The README's console examples, run for real: each ``$ symconv ...`` line's output
must be exactly the lines that follow it (the Python examples run as doctests)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from symconv.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text()


def _examples():
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        cmd, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd:
                    out.append((cmd, "\n".join(lines)))
                cmd, lines = line[2:], []
            else:
                lines.append(line)
        if cmd:
            out.append((cmd, "\n".join(lines)))
    return out


EXAMPLES = _examples()


def test_readme_has_console_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("cmd", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example(capsys, cmd, expected):
    argv = shlex.split(cmd)
    assert argv[0] == "symconv"
    code = main(argv[1:])
    out, err = capsys.readouterr()
    expected_code = 1 if expected.startswith("false:") else 0     # a claim checked false
    assert (code, err) == (expected_code, "")
    assert out.rstrip("\n") == expected


def test_first_lines_are_the_two_newcomer_commands():
    cmds = [line.strip() for line in README.splitlines()[:10] if line.startswith("    ")]
    assert cmds[0].startswith("pip install -e . && symconv solve")
    assert cmds[1] == "pip install -e '.[test]' torch==2.13.0 && python -m pytest -q"
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "python -m pytest -q" in ci
