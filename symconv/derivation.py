r"""Worked derivations: a result, the claim that states it, and the proofs that show it.

The top-level ``derivations/`` folder holds one short script per result; each
defines ``DERIVATION = Derivation(...)`` from this module, so a researcher can
copy one as a template.  ``symconv derive`` (or running a script) checks the
claim, builds the proofs, asserts that everything holds and writes LaTeX.

>>> d = Derivation("round_trip", "The round trip", claim="o' = i for a = mod(i + 2p - k, s)",
...                proofs=("round_trip",))
>>> d.run().holds
True
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .claims import Verdict, check
from .errors import SymconvError, UsageError
from .paper import text as _tex_text
from .proofs import Proof, prove

__all__ = ["Derivation", "DerivationResult", "load", "load_file", "find_derivations",
           "package_derivations"]


@dataclass(frozen=True)
class DerivationResult:
    """What a derivation produced: its checked claim and its verified proofs."""

    derivation: Derivation
    verdict: Verdict | None
    proofs: tuple[Proof, ...]

    @property
    def holds(self) -> bool:
        return (self.verdict is None or self.verdict.holds is True) and \
            all(p.holds for p in self.proofs)

    @property
    def status(self) -> str:
        """``holds``, ``false`` (the claim refuted or a proof not verified) or
        ``undecided`` (the claim neither proven nor refuted, every proof verified)."""
        if self.holds:
            return "holds"
        if (self.verdict is not None and self.verdict.holds is False) or \
                not all(p.holds for p in self.proofs):
            return "false"
        return "undecided"

    def latex(self) -> str:
        """A LaTeX section: statement, the claim's verdict, each proof as ``align*``."""
        d = self.derivation
        out = [rf"\section{{{_tex_text(d.title)}}}"]
        if d.statement:
            out.append(_tex_text(d.statement))
        if self.verdict is not None:
            out.append(r"\paragraph{Claim.} $" + self.verdict.latex() + "$")
        for pr in self.proofs:
            out.append(rf"\paragraph{{Proof ({_tex_text(pr.name)}).}} {_tex_text(pr.title)}.")
            out.append(pr.latex(width="text", proof_env=True))
        return "\n\n".join(out) + "\n"

    def _repr_latex_(self) -> str:
        if self.verdict is not None:
            return self.verdict._repr_latex_()
        return self.proofs[0]._repr_latex_() if self.proofs else ""

    def text(self) -> str:
        lines = [f"{self.derivation.name}: {self.derivation.title} "
                 f"[{ {'holds': 'holds', 'false': 'FAILED'}.get(self.status, 'undecided')}]"]
        if self.verdict is not None:
            said = self.verdict.text().splitlines()
            # the first line, and for a refuted claim the counterexample that refutes it
            lines += ["  " + ln for ln in said[:1] + [ln.strip() for ln in said[1:]
                                                     if ln.strip().startswith("counterexample")]]
        for pr in self.proofs:
            lines.append(f"  proof {pr.name}: {'verified' if pr.holds else 'NOT verified'}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Derivation:
    """A result: ``claim`` (checked by :func:`symconv.check`) and named ``proofs``.

    >>> d = Derivation("relationship_6", "Relationship 6",
    ...                claim="o = floor((i + 2p - k)/s) + 1")
    >>> d.run().holds
    True
    """

    name: str
    title: str
    claim: str | None = None
    proofs: tuple[str, ...] = ()
    statement: str = ""

    def run(self) -> DerivationResult:
        verdict = check(self.claim) if self.claim else None
        return DerivationResult(self, verdict, tuple(prove(n) for n in self.proofs))

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Run as a script: check, then print (or write with ``--out FILE``) the LaTeX;
        the exit status is the CLI's (0 holds, 1 false, 4 undecided: then the result's
        text goes to stderr and no LaTeX is written)."""
        args = list(sys.argv[1:] if argv is None else argv)
        if args not in ([],) and not (len(args) == 2 and args[0] == "--out"):
            print(f"derivation {self.name}: takes nothing, or --out FILE, got "
                  f"{' '.join(args)!r}", file=sys.stderr)
            return 2
        try:
            result = self.run()
        except SymconvError as exc:     # its claim or a proof's name: the script's input
            print(f"derivation {self.name}: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(f"derivation {self.name}: interrupted", file=sys.stderr)
            return 130
        if not result.holds:
            said = "does not hold" if result.status == "false" else "is undecided"
            print(f"derivation {self.name} {said}:\n{result.text()}", file=sys.stderr)
            return 1 if result.status == "false" else 4
        tex = result.latex()
        try:
            if args:
                Path(args[1]).write_text(tex)
            else:
                print(tex)
                sys.stdout.flush()
        except BrokenPipeError:     # `| head`: what the reader took stands, as the CLI's
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError as exc:      # a full disk, a missing folder: one line, as the CLI's
            if not args:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            where = f" to {args[1]!r}" if args else ""
            print(f"derivation {self.name}: the LaTeX could not be written{where} "
                  f"({exc.strerror or exc})", file=sys.stderr)
            return 2
        return 0


def package_derivations() -> Path:
    """The package's own derivations: ``symconv/derivations`` when installed (the wheel
    ships the top-level ``derivations/`` folder there), else the checkout's ``derivations/``.

    Never the working directory: a ``derivations/`` folder where symconv happens to
    run is not executed unless its path is given (:func:`find_derivations`).

    >>> (package_derivations() / "round_trip.py").is_file()
    True
    """
    here = Path(__file__).resolve().parent
    for c in (here / "derivations", here.parent / "derivations"):
        if (c / "round_trip.py").is_file():
            return c
    raise UsageError(f"symconv's derivations are missing beside {here} (reinstall symconv)")


def find_derivations(folder: Path | None = None) -> Path:
    """The folder given explicitly (it must exist), else the package's own derivations."""
    if folder is None:
        return package_derivations()
    if not folder.is_dir():
        raise UsageError(f"--dir {str(folder)!r} is not a folder of derivation scripts")
    return folder


def load_file(path: Path) -> Derivation:
    """The ``DERIVATION`` of one script the user named by its path."""
    if path.suffix == ".py" and not path.exists():
        raise UsageError(f"derivation {str(path)!r}: no such file (give the script's path, "
                         "or a built-in derivation's name: symconv derive --all runs them all)")
    if path.suffix != ".py" or not path.is_file():
        raise UsageError(f"derivation {str(path)!r}: not a .py file (give the script's path)")
    der = _run_script(path)
    if der is None:
        raise UsageError(f"derivation {str(path)!r} defines no DERIVATION = Derivation(...)")
    return der


def _run_script(path: Path) -> Derivation | None:
    spec = importlib.util.spec_from_file_location(f"symconv_derivation_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # the package's scripts, or one the user named by its path: never found by surprise
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:      # the script's own error, not symconv's
        where = f", line {exc.lineno}" if isinstance(exc, SyntaxError) and exc.lineno else ""
        what = "exited" if isinstance(exc, SystemExit) else "raised"
        raise UsageError(f"derivation {str(path)!r} {what} {type(exc).__name__}{where}: "
                         f"{exc if not isinstance(exc, SyntaxError) else exc.msg}; "
                         "fix the script (it must define DERIVATION = Derivation(...))") from None
    der = getattr(module, "DERIVATION", None)
    return der if isinstance(der, Derivation) else None


def load(folder: Path) -> dict[str, Derivation]:
    """Every ``DERIVATION`` defined by a script in ``folder``, by name (sorted by file)."""
    out: dict[str, Derivation] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        der = _run_script(path)
        if der is not None:
            out[der.name] = der
    return out
