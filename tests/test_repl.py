"""The REPL, driven through a real terminal (tmux send-keys / capture-pane)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

from symconv.repl import BANNER, describe_error, namespace

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


class Terminal:
    """A tmux session on a server of its own (its socket in a directory of its own): two
    suites running side by side shared the default server, and one's last session
    closing it while the other started a session failed with "server exited
    unexpectedly"."""

    def __init__(self, command: str) -> None:
        self.name = f"symconv-{uuid.uuid4().hex[:8]}"
        self.home = tempfile.mkdtemp(prefix="symconv-tmux-")
        self.socket = os.path.join(self.home, "socket")
        self.tmux("new-session", "-d", "-s", self.name, "-x", "160", "-y", "50", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args],
                              capture_output=True, text=True, check=True).stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name, "-S", "-200")

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.time() + timeout
        while time.time() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def type(self, line: str) -> None:
        self.keys("-l", line)
        self.keys("Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True,
                       check=False)
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture
def terminal():
    term = Terminal(f"{sys.executable} -m symconv repl --plain")
    yield term
    term.close()


def test_banner_solve_explain_prove_in_a_real_terminal(terminal):
    screen = terminal.wait_for(">>>")
    for line in BANNER.splitlines()[1:4]:
        assert line.strip().split("#")[0].strip() in screen
    terminal.type('solve("conv", i=224, k=7, s=2, o=112)')
    terminal.wait_for("Solution(p = 3)")
    terminal.type('solve("conv", i=5, k=4, s=1, o=5).explain()')
    screen = terminal.wait_for("integer solution set: p in {}")
    assert "eliminate the floor:  2*p + 1 = 4  <=>  4 <= 2*p + 1 <= 4" in screen
    terminal.type('prove("round_trip").holds')
    terminal.wait_for("True")
    terminal.type("relation('conv').rhs")
    terminal.wait_for("⎣")                      # sympy's pretty printer is on


def test_errors_are_one_line_with_suggestions(terminal):
    terminal.wait_for(">>>")
    terminal.type('solv("conv", i=3)')
    terminal.wait_for("NameError: 'solv' is not defined; did you mean 'solve'?")
    terminal.type('solve("conf", i=3)')
    screen = terminal.wait_for("symconv: unknown relation 'conf'; did you mean 'conv'?")
    assert "Traceback" not in screen
    terminal.type('solve("conv", i=224, kernal_size=3, s=1, p=1)')
    terminal.wait_for("did you mean 'kernel_size'?")


def test_python_dash_m_without_arguments_starts_the_session():
    term = Terminal(f"{sys.executable} -m symconv")
    try:
        term.wait_for("exact convolution arithmetic")
    finally:
        term.close()


def test_namespace_and_error_lines():
    ns = namespace()
    assert {"solve", "prove", "check", "latex", "Chain", "i", "k", "s", "p", "sympy"} <= set(ns)
    assert describe_error(NameError("name 'chek' is not defined"), ns) == \
        "NameError: 'chek' is not defined; did you mean 'check'?"


def test_ipython_session_when_installed():
    pytest.importorskip("IPython")
    term = Terminal(f"{sys.executable} -m symconv repl")
    try:
        term.wait_for("exact convolution arithmetic")
        term.wait_for("In [1]")
        term.type('solve("conv", o=112, k=7, s=2, p=3).values')
        term.wait_for("(223, 224)")
        # as in the plain console: one line, and a suggestion (IPython printed tracebacks)
        term.type('solve("conv", i=0, k=7, s=2, o=112)')
        term.wait_for("symconv: input size i must be a positive integer (>= 1), got 0")
        term.type("solv")
        term.wait_for("NameError: 'solv' is not defined; did you mean 'solve'?")
    finally:
        term.close()


def test_a_line_nested_too_deeply_is_that_line_s_error_and_the_session_goes_on():
    # it printed "input nested too deeply" and ended the session (exit 2)
    deep = "x = " + "1+" * 100_000 + "1\nprint('alive')\n"
    done = subprocess.run([sys.executable, "-m", "symconv", "repl", "--plain"], input=deep,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "RecursionError: the line is nested too deeply to read" in done.stderr + done.stdout
    assert "alive" in done.stdout


def test_the_session_outlives_the_commands_timeout_and_recalls_and_interrupts(terminal):
    # the repl took the other commands' 10 s clock: "undecided: stopped by the 10 s
    # timeout" and exit 4, ten seconds after it started, typed into or not
    from symconv.cli import DEFAULT_TIMEOUT
    terminal.wait_for(">>>")
    terminal.type("x = 6 * 7")
    terminal.type("print(x + 1000)")
    terminal.wait_for("1042")
    time.sleep(DEFAULT_TIMEOUT + 1.5)
    assert "timeout" not in terminal.screen()
    terminal.keys("Up", "Enter")
    end = time.time() + 30      # the arrow key recalls the last line (line editing is on)
    while terminal.screen().count("1042") < 2 and time.time() < end:
        time.sleep(0.2)
    assert terminal.screen().count("1042") == 2, terminal.screen()   # run again: its answer
    terminal.type("import time; time.sleep(600)")
    time.sleep(1)
    terminal.keys("C-c")
    screen = terminal.wait_for("interrupted")
    assert "Traceback" not in screen
    terminal.type("print(x - 2)")
    terminal.wait_for("40")


def test_a_call_with_the_wrong_arguments_is_one_line(capsys):
    # solve(), Layer(): Python's traceback, 3-5 lines, in the session
    from symconv.repl import _Console, describe_error, namespace
    console = _Console(locals=namespace())
    console.push("solve()")
    console.push("Layer()")
    assert capsys.readouterr().err.splitlines() == [
        "TypeError: solve() missing 1 required positional argument: 'rel'",
        "symconv: Layer: kind not given; give kind="]
    assert describe_error(KeyboardInterrupt(), {}) == "interrupted"      # IPython's too


@pytest.mark.parametrize("argv", [["repl", "--plain"], ["repl"], []])
def test_a_session_on_a_closed_stdin_is_refused_in_one_line(argv):
    # <&-: input() raised "lost sys.stdin", an internal error (exit 3)
    done = subprocess.run([sys.executable, "-m", "symconv", *argv], capture_output=True,
                          text=True, timeout=120, preexec_fn=lambda: os.close(0))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("symconv: repl: standard input is closed: nothing to read a "
                           "session from (give it a terminal, a file or a pipe)\n")
