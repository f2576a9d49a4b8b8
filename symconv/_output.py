"""Writing a file the user named: exactly that path, or a one-line error naming it.

``--out`` (``plot``, ``derive``) writes the one path given and nothing else: the
suffix must be given and be one the command writes, the path must not be a
folder, its folder must exist, and a failed write (no permission, ``/dev/full``,
``/proc``) is a :class:`~symconv.errors.UsageError` naming the path, not a
traceback.  The content is rendered in memory first, so nothing is written
anywhere when rendering fails.

>>> out_path("figure.svg", (".png", ".svg"), "plot --out").name
'figure.svg'
>>> out_path("fig", (".png", ".svg"), "--out")
Traceback (most recent call last):
...
symconv.errors.UsageError: --out 'fig': the file has no suffix; give one of .png .svg (for example fig.png)
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

__all__ = ["out_path", "write_exactly"]


def out_path(path: str | os.PathLike[str], suffixes: tuple[str, ...], what: str) -> Path:
    """Check that ``path`` names a file this command can write; return it as a Path."""
    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(f"{what}: a file path is text or a Path, got {type(path).__name__}")
    text = os.fspath(path)
    p = Path(text)
    allowed = " ".join(suffixes)
    if not text.strip():
        raise UsageError(f"{what}: an empty path (give a file ending in one of {allowed})")
    if p.suffix.lower() not in suffixes:
        got = "has no suffix" if not p.suffix else f"has the suffix {p.suffix!r}"
        raise UsageError(f"{what} {text!r}: the file {got}; give one of {allowed} "
                         f"(for example {p.stem or 'out'}{suffixes[0]})")
    if p.is_dir():
        raise UsageError(f"{what} {text!r} is an existing folder: give a file path in it, "
                         f"for example {p / ('out' + suffixes[0])}")
    parent = p.parent
    if not parent.is_dir():
        raise UsageError(f"{what} {text!r}: the folder {str(parent)!r} does not exist (create it first)")
    return p


def write_exactly(path: Path, data: bytes, what: str) -> Path:
    """Write ``data`` to ``path`` (and nowhere else); an OS failure is a UsageError naming it."""
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(f"{what} {str(path)!r}: cannot write there ({reason})") from None
    return path
