"""The ``symconv`` command's entry point, light enough to catch Ctrl-C while the command
line loads: an interruption then is one line (and under ``--json`` its document) and exit
130, as at any later moment (it was a traceback, and exit 1, "a claim checked false").

>>> interrupted(as_json=False)
130
"""

from __future__ import annotations

import json
import sys

EXIT_INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl-C (128 + SIGINT, as a shell reports it)."""


def interrupted(as_json: bool) -> int:
    """Say that the command was interrupted: one line on stderr and, under ``--json``,
    the error document on stdout; the exit status."""
    print("symconv: interrupted", file=sys.stderr)
    if as_json:
        try:
            print(json.dumps({"error": {"kind": "interrupted", "message": "interrupted",
                                        "value": None, "hint": None}}), flush=True)
        except OSError:         # nothing more goes to stdout: the status says it
            pass
    return EXIT_INTERRUPTED


def json_asked(argv: list[str]) -> bool:
    """``--json`` among the options: before a ``--``, after which it is an operand."""
    return "--json" in (argv[:argv.index("--")] if "--" in argv else argv)


def main(argv: list[str] | None = None) -> int:
    """Load the command line and run it on ``argv`` (default: the process's arguments);
    Ctrl-C while it loads is an interruption."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        return interrupted(json_asked(argv))
    return run(argv)
