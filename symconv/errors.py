"""The one error hierarchy of symconv.

Every error a user can cause is a :class:`SymconvError` (a ``ValueError``)
whose message is one line: the rule, the offending value and, where there is
one, the fix.  The command line prints that line and exits with status 2.
"""

from __future__ import annotations

__all__ = ["SymconvError", "UnknownNameError", "DomainError", "UsageError", "ParseError",
           "UndecidedError"]


class SymconvError(ValueError):
    """Bad input to symconv: the message names the rule, the value and the fix."""

    def __init__(self, message: str, *, value: object = None, hint: str | None = None) -> None:
        # one line, always: a message is printed as-is by the CLI
        super().__init__(" ".join(str(message).split()))
        #: the offending value and the fix, when the raiser states them apart from the
        #: message (``--json`` errors carry them; otherwise they are read off the message)
        self.value = value
        self.hint = hint


class UnknownNameError(SymconvError):
    """A relation, variable or preset name that symconv does not know."""


class DomainError(SymconvError):
    """A value outside its domain (stride <= 0, negative padding, ...)."""


class UsageError(SymconvError):
    """A well-formed request that cannot be answered as asked (two unknowns, ...)."""


class ParseError(SymconvError):
    """Text (a formula or LaTeX) that cannot be read."""


class UndecidedError(UsageError):
    """A well-formed question symconv's engine does not answer (a symbolic answer that
    needs a case split it does not make, a relation it cannot invert): not bad input.
    The command line prints ``undecided: ...`` and exits 4; the message says what would
    make it answerable (a ``UsageError``, so code that caught those still does)."""
