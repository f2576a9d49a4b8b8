"""``symconv repl``: an interactive session with symconv preloaded.

The namespace holds ``sc`` (the package), the canonical symbols (``i o k s p d
a``...), the functions (``solve prove check latex relation relationship Chain
from_torch parse_latex plot``) and sympy as ``sympy``.  Sympy's pretty printing is on.
IPython is used when it is installed, Python's own console otherwise.  A
:class:`~symconv.errors.SymconvError` prints as its one line, and a misspelled
name gets the nearest preloaded one suggested.
"""

from __future__ import annotations

import code
import sys
from typing import Any

from .errors import UsageError
from .vocabulary import nearest

__all__ = ["namespace", "BANNER", "run", "describe_error"]

BANNER = """symconv {version} - exact convolution arithmetic. Try:
  solve("conv", i=224, k=7, s=2, o=112)          # the padding: p = 3
  solve("conv", i=5, k=4, s=1, o=5).explain()     # how: floors become inequalities
  prove("round_trip")                             # a verified step-by-step proof
(relations: relation("conv"), relationship(6); help(solve) for more; Ctrl-D quits)"""


def namespace() -> dict[str, Any]:
    """What a session starts with."""
    import sympy

    import symconv as sc
    from symconv.plotting import plot
    ns: dict[str, Any] = {"sc": sc, "sympy": sympy, "plot": plot}
    for name in ("solve", "prove", "check", "latex", "relation", "relationship", "names",
                 "Chain", "Layer", "from_torch", "parse_latex", "preset", "same_padding"):
        ns[name] = getattr(sc, name)
    from symconv.symbols import SYMBOLS
    for name, sym in SYMBOLS.items():
        if name.isidentifier():
            ns[name] = sym
    return ns


def describe_error(exc: BaseException, ns: dict[str, Any]) -> str:
    """One line for an error in the session: symconv's own message, or a suggestion."""
    from .errors import SymconvError
    if isinstance(exc, SymconvError):
        return f"symconv: {exc}"
    if isinstance(exc, KeyboardInterrupt):      # Ctrl-C during a computation
        return "interrupted"
    if isinstance(exc, NameError):
        text = str(exc)
        name = getattr(exc, "name", None) or (text.split("'")[1] if "'" in text else "")
        near = nearest(name, [n for n in ns if not n.startswith("_")])
        hint = f"; did you mean {near!r}?" if near else ""
        return f"NameError: {name!r} is not defined{hint}"
    return f"{type(exc).__name__}: {exc}"


class _Console(code.InteractiveConsole):
    def runsource(self, source: str, filename: str = "<input>", symbol: str = "single") -> bool:
        """As the console's, but a line too deeply nested to compile is that line's error
        (Python's console reports it and goes on; it ended the session)."""
        try:
            return super().runsource(source, filename, symbol)
        except (RecursionError, MemoryError) as exc:
            self.resetbuffer()
            self.write(f"{type(exc).__name__}: the line is nested too deeply to read\n")
            return False

    def showtraceback(self) -> None:
        exc = sys.exc_info()[1]
        from .errors import SymconvError
        if isinstance(exc, (SymconvError, NameError, TypeError, KeyboardInterrupt)):
            self.write(describe_error(exc, dict(self.locals)) + "\n")
        else:
            super().showtraceback()


def _install(shell: Any) -> None:
    """In IPython: a SymconvError as its one line, a NameError with its suggestion, a
    call with the wrong arguments (TypeError) as Python's one line and Ctrl-C as
    ``interrupted``, as in the plain console (IPython's custom exception handler)."""
    from .errors import SymconvError

    def one_line(self: Any, etype: Any, value: BaseException, tb: Any,
                 tb_offset: Any = None) -> None:
        print(describe_error(value, dict(self.user_ns)), file=sys.stderr)
    shell.set_custom_exc((SymconvError, NameError, TypeError, KeyboardInterrupt), one_line)


def _display(value: Any) -> None:
    """Show results with sympy's pretty printer (symconv objects by their own str)."""
    if value is None:
        return
    import builtins

    import sympy
    setattr(builtins, "_", value)  # noqa: B010 - what the default displayhook does
    if isinstance(value, sympy.Basic):
        print(sympy.pretty(value, use_unicode=True))
    else:
        print(repr(value))


def run(argv: list[str] | None = None) -> int:
    """Start the session (IPython if installed and ``--plain`` is not given)."""
    import symconv
    if sys.stdin is None:       # closed (<&-): no line can be read, as stdout closed for a command
        raise UsageError("repl: standard input is closed: nothing to read a session from "
                         "(give it a terminal, a file or a pipe)")
    ns = namespace()
    banner = BANNER.format(version=symconv.__version__)
    if not (argv and "--plain" in argv):
        try:
            from IPython import start_ipython
        except ImportError:
            pass
        else:
            print(banner)
            start_ipython(argv=["--no-banner", "--InteractiveShellApp.exec_lines="
                                "['import sympy; sympy.init_printing(use_unicode=True)', "
                                "'import symconv.repl; symconv.repl._install(get_ipython())']"],
                          user_ns=ns)
            return 0
    sys.displayhook = _display
    try:        # line editing and the session's history (the arrow keys), where there is one
        import readline  # noqa: F401
    except ImportError:
        pass
    _Console(locals=ns).interact(banner=banner, exitmsg="")
    return 0
