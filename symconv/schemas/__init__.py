"""JSON Schema (draft 2020-12) of the one document each ``symconv COMMAND --json`` prints.

One file per command (``solve.json``, ``net.json``, ...); each is standalone and
carries the shared forms of ``common.json`` under ``$defs`` (rationals
``{"num", "den"}``, formulas ``{"expr", "latex"}``, conditions, the error
document).

>>> sorted(schema("solve")["$defs"]) == sorted(schema("common")["$defs"])
True
>>> COMMANDS
('list', 'solve', 'latex', 'pad', 'prove', 'check', 'derive', 'net', 'plot', 'figure')
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["schema", "COMMANDS"]

#: the commands whose ``--json`` output has a schema here
COMMANDS = ("list", "solve", "latex", "pad", "prove", "check", "derive", "net", "plot", "figure")


def schema(name: str) -> dict[str, Any]:
    """The schema of ``symconv NAME --json`` (or ``"common"``), read from the package.

    >>> schema("solve")["title"]
    'symconv solve --json'
    """
    if name not in (*COMMANDS, "common"):
        from ..errors import UnknownNameError
        raise UnknownNameError(f"no JSON schema {name!r}: one of {', '.join(COMMANDS)}, common")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return dict(json.loads(text))
