"""The one error hierarchy of symconv.

Every error a user can cause is a :class:`SymconvError` (a ``ValueError``)
whose message is one line: the rule, the offending value and, where there is
one, the fix.  The command line prints that line and exits with status 2.
"""

from __future__ import annotations

__all__ = ["SymconvError", "UnknownNameError", "DomainError", "UsageError", "ParseError",
           "UndecidedError"]


class SymconvError(ValueError):
    """Bad input to symconv: the message names the rule, the value and the fix.

    Every error below is one, and a ``ValueError``, so one ``except`` catches them all:

    >>> import symconv as sc
    >>> try:
    ...     sc.solve("conv", i=224, k=0, s=2, o=112)
    ... except sc.SymconvError as error:
    ...     print(type(error).__name__, "|", error)
    DomainError | kernel size k must be a positive integer (>= 1), got 0
    """

    def __init__(self, message: str, *, value: object = None, hint: str | None = None) -> None:
        # one line, always: a message is printed as-is by the CLI
        super().__init__(" ".join(str(message).split()))
        #: the offending value and the fix, when the raiser states them apart from the
        #: message (``--json`` errors carry them; otherwise they are read off the message)
        self.value = value
        self.hint = hint


class UnknownNameError(SymconvError):
    """A relation, variable or preset name that symconv does not know.

    >>> import symconv as sc
    >>> try:
    ...     sc.relation("cnv")
    ... except sc.UnknownNameError as error:
    ...     print(error)
    unknown relation 'cnv'; did you mean 'conv'? (symconv list shows them all)
    """


class DomainError(SymconvError):
    """A value outside its domain (stride <= 0, negative padding, ...).

    >>> import symconv as sc
    >>> sc.solve("conv", i=224, k=7, s=0, p=3)
    Traceback (most recent call last):
    symconv.errors.DomainError: stride s must be a positive integer (>= 1), got 0
    """


class UsageError(SymconvError):
    """A well-formed request that cannot be answered as asked (two unknowns, ...).

    >>> import symconv as sc
    >>> try:
    ...     sc.solve("conv", i=224, k=7)
    ... except sc.UsageError as error:
    ...     print(error)
    3 unknowns in 'conv': o, s, p; give all but one, or name the one to solve for
    (--for on the command line, unknown= in Python)
    """


class ParseError(SymconvError):
    """Text (a formula or LaTeX) that cannot be read.

    >>> import symconv as sc
    >>> sc.parse_latex(r"o = \\frac{")
    Traceback (most recent call last):
    symconv.errors.ParseError: cannot read LaTeX 'o = \\\\frac{': unbalanced braces
    """


class UndecidedError(UsageError):
    """A well-formed question symconv's engine does not answer (a symbolic answer that
    needs a case split it does not make, a relation it cannot invert): not bad input.
    The command line prints ``undecided: ...`` and exits 4; the message says what would
    make it answerable (a ``UsageError``, so code that caught those still does).

    >>> import symconv as sc
    >>> try:
    ...     sc.solve("pad_same_tf", "i", k=3, s=2, d=1, T=2)
    ... except sc.UndecidedError as error:
    ...     print(str(error).split(" (")[0], "...", str(error).split("; ")[-1])
    pad_same_tf for i: every i >= 1 with i mod 2 in {1} ... give i and solve for another variable
    """
