"""The ``symconv`` command's entry point, light enough to catch Ctrl-C while the command
line loads: an interruption then is one line (and under ``--json`` its document) and exit
130, as at any later moment (it was a traceback, and exit 1, "a claim checked false").

>>> interrupted(as_json=False)
130
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

EXIT_INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl-C (128 + SIGINT, as a shell reports it)."""


def interrupted(as_json: bool) -> int:
    """Say that the command was interrupted: one line on stderr and, under ``--json``,
    the error document on stdout; the exit status."""
    print("symconv: interrupted", file=sys.stderr)
    if as_json:
        try:
            print(error_document("interrupted", "interrupted"), flush=True)
        except OSError:         # nothing more goes to stdout: the status says it
            pass
    return EXIT_INTERRUPTED


def error_document(kind: str, message: str, value: Any = None, hint: Any = None) -> str:
    """``{"error": {kind, message, value, hint}}``; value and hint read off the message when
    the error does not carry them ("..., got VALUE", a closing "(the fix)"); stated here, in
    the light entry module, so an interruption while the command line loads is the same
    document.

    >>> json.loads(error_document("UsageError", "stride s must be >= 1, got 0"))["error"]
    {'kind': 'UsageError', 'message': 'stride s must be >= 1, got 0', 'value': 0, 'hint': None}
    """
    if value is None:       # "..., got s=2, d=1, a=2 (...)", or the name an "unknown ..." quotes
        m = re.search(r"\bgot '([^']*)'", message) or \
            re.search(r"\bgot \d+ in '([^']*)'", message) or \
            re.search(r"\bgot (.+?)(?: \(|;|$)", message) or \
            re.search(r"\b(?:unknown|no)\b[\w ]*? '([^']*)'", message) or \
            re.search(r"'([^']*)' (?:is (?:not|a)|has)\b", message) or \
            re.search(r"\bcannot read (?:'(.*?)'|\"(.*?)\") at position", message) or \
            re.search(r"^(?:unrecognized arguments|argument \S+: invalid choice): '?(.+?)'? \(",
                      message) or \
            re.search(r"^(\S+) (?:given twice|is both given and asked for)\b", message) or \
            re.search(r"\b(?:refuses input size|layer index) (\d+)\b", message) or \
            re.search(r"^\d+ unknowns in '\w+': ([^;]+);", message) or \
            re.search(r"\btwo layers are named '([^']*)'", message) or \
            re.search(r", not (?!both\b|neither\b)'?([\w.]+)'?$", message)
        group = next((n for n, g in enumerate(m.groups(), 1) if g is not None), 0) if m else 0
        value = m.group(group).strip() if m and group else None
        # a value quoted in the message is a name as typed ('5', a layer's name), but for
        # the number an option got ("got '-5'")
        quoted = m is not None and group and m.start(group) > 0 and \
            message[m.start(group) - 1] in "'\"" and \
            not message[:m.start(group)].endswith("got '")
        if isinstance(value, str) and len(value) > 1 and value[0] == value[-1] == "'":
            value = value[1:-1]     # the text as typed, not its repr
        if isinstance(value, str) and not quoted and re.fullmatch(r"-?[0-9]{1,30}", value):
            value = int(value)      # ASCII digits only
    if hint is None and not re.search(r"\b[A-Z]\w*(?:Error|Exception): ", message):
        # a closing "(the fix)" that is not a framework's quoted words, nor the end of
        # another program's error quoted whole ("TypeError: ... (pos 1)"),
        m = re.search(r"\((?!\w+: ')(?!PyTorch:)([^()]*)\)$", message) or re.search(  # "; give"
            r"[;:] ((?:give|write|use|drop|add|raise|fix|try|set|pass|run|bound|tighten|ask|"
            r"state|solve|name|known)\b[^;]*)$", message)
        hint = m.group(1) if m else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)          # a timeout of 3 s is 3, as --timeout -1 is -1
    value = value if isinstance(value, (int, float, str)) or value is None else str(value)
    return json.dumps({"error": {"kind": kind, "message": message, "value": value, "hint": hint}})


def json_asked(argv: list[str]) -> bool:
    """``--json`` among the options: before a ``--``, after which it is an operand."""
    return any(a == "--json" or str(a).startswith("--json=")   # refused, as a document
               for a in (argv[:argv.index("--")] if "--" in argv else argv))


def main(argv: list[str] | None = None) -> int:
    """Load the command line and run it on ``argv`` (default: the process's arguments);
    Ctrl-C while it loads is an interruption."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        return interrupted(json_asked(argv))
    return run(argv)
