"""The ``symconv`` command.

::

    symconv list
    symconv solve RELATION NAME=VALUE ... [--for NAME] [--ceil-mode]
    symconv latex RELATION|all [--document]
    symconv pad FRAMEWORK MODE NAME=VALUE ... [--transpose]
    symconv prove NAME|all [--latex]
    symconv check CLAIM [--limit N] [--strict]
    symconv derive [NAME|PATH.py|--all] [--dir FOLDER] [--out FILE.tex]
    symconv plot LAYER|NETWORK [NAME=VALUE ...] [--kind staircase|taps] --out FILE
    symconv figure conv|convt|pool i=N k=N [s=N p=N] [--d N] [--transposed a=N] [--pool]
                   [--dims 1|2] [--frames] [--fragment] [--out FILE]
    symconv repl [--plain]
    symconv net "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | ..." [i=N] [--latex]
                [--expr] [--inputs-for O] [--smallest] [--align A=B,...] [--nearest N]
                [--solve LAYER:NAME o=O]
    symconv net model.onnx [i=N[,N...]] [--expr] [--smallest] [--nearest N]
    symconv net --torch module:attr [i=N[,N...]] [--expr] [--smallest] [--nearest N]

Every command but ``repl`` takes ``--json`` (exactly one JSON document on stdout,
errors included) and ``--timeout SECONDS`` (default 10).

Each command builds an :class:`Outcome` (its JSON data, its text, its exit
status); :func:`main` prints one or the other.  Exit status: 0 answered (also
"no solution") or proven, 1 a claim checked false, 2 bad input or usage (one
line on stderr; also an answer that could not be written to stdout), 3 an internal
error (one line; a bug), 4 undecided or stopped
by a bound or the timeout (with its reason).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from . import __version__
from ._budget import SEARCH_SECONDS, BudgetExhausted
from ._entry import error_document as _error_document
from ._entry import interrupted, json_asked
from ._values import parse_value, read_int
from .errors import SymconvError, UndecidedError, UsageError
from .vocabulary import aliased

__all__ = ["main", "Outcome", "EXIT_OK", "EXIT_FALSE", "EXIT_USAGE", "EXIT_INTERNAL",
           "EXIT_UNDECIDED", "DEFAULT_TIMEOUT"]

EXIT_OK, EXIT_FALSE, EXIT_USAGE, EXIT_INTERNAL, EXIT_UNDECIDED = 0, 1, 2, 3, 4
#: ``--timeout`` when none is given, in seconds (``prove``, ``derive``, ``latex``, ``figure``:
#: ``FIXED_WORK_TIMEOUT``, since they run symconv's own fixed work, not a search)
DEFAULT_TIMEOUT = 10.0
ANSWER_DIGITS = 20_000
"""The most digits the command line prints in one number (Python's own limit is 4 300)."""
FIXED_WORK_TIMEOUT = 120.0


@dataclass(frozen=True)
class Outcome:
    """What a command answered: its JSON ``data``, its ``text`` and its exit ``code``.

    :func:`main` prints ``data`` (numbers in the forms of ``symconv._json``) under
    ``--json`` and ``text`` otherwise, and exits with ``code``.
    """

    data: Any
    text: str
    code: int = EXIT_OK


class _Deadline(BaseException):
    """The ``--timeout`` alarm (a BaseException, so no ``except Exception`` swallows it)."""


def _once(parser: argparse.ArgumentParser, namespace: argparse.Namespace, dest: str,
          option_string: str | None) -> None:
    """Refuse an option or flag given a second time (``--for`` twice, ``--json --json``):
    not silently the last one read."""
    seen = namespace.__dict__.setdefault("_given_options", set())
    if dest in seen:
        parser.error(f"{option_string} given twice: give it once")
    seen.add(dest)


class _Once(argparse.Action):
    """An option taking a value, given once (``--for``, ``--solve``)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        _once(parser, namespace, self.dest, option_string)
        setattr(namespace, self.dest, values)


class _OnceFlag(argparse._StoreTrueAction):
    """A flag given once (``--json``, ``--latex``)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        _once(parser, namespace, self.dest, option_string)
        super().__call__(parser, namespace, values, option_string)


def _utf8(arg: Any) -> Any:
    """An argument a C locale decoded byte by byte (``ü`` as ``\\udcc3\\udcbc``) read as
    the UTF-8 it is, so that messages quote it as typed; other bytes stay escaped."""
    if isinstance(arg, str) and any("\udc80" <= c <= "\udcff" for c in arg):
        try:
            return arg.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeError:
            return arg
    return arg


class _Parser(argparse.ArgumentParser):
    """Options are spelled whole (``--js`` is not ``--json``: the error document goes by
    the flag as written) and given once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if args and str(args[0]).startswith("-") and kwargs.get("action") in (None, "store") \
                and kwargs.get("nargs") in (None, "?"):
            kwargs["action"] = _Once
        elif args and str(args[0]).startswith("-") and kwargs.get("action") == "store_true":
            kwargs["action"] = _OnceFlag
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (symconv {self.prog.split()[-1]} --help shows the usage)"
                         if " " in self.prog else f"{message} (symconv --help shows the usage)")


def _assignments(items: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"expected NAME=VALUE, got {item!r} (for example k=3 or o=i)")
        name, _, value = item.partition("=")
        name = name.strip()
        if not name:
            raise UsageError(f"expected NAME=VALUE, got {item!r}: the name is missing")
        if name in out:
            first = next(x for x in items if x.partition("=")[0].strip() == name)
            raise UsageError(f"{name} given twice ({first.strip()!r} and {item.strip()!r}): "
                             "give it once")
        try:
            out[name] = parse_value(value)
        except SymconvError as exc:
            raise type(exc)(f"{name}: {exc}") from None
    return out


def _unused(given: dict[str, bool], needs: str) -> None:
    """Refuse flags that would be ignored here (``given``: each flag and whether it was
    set): a setting dropped silently would answer another question."""
    named = [flag for flag, on in given.items() if on]
    if named:
        raise UsageError(f"{', '.join(named)} {'goes' if len(named) == 1 else 'go'} with "
                         f"{needs}: add it, or drop {'it' if len(named) == 1 else 'them'}")


def _cmd_list(args: argparse.Namespace) -> Outcome:
    from .printing import latex
    from .relations import RELATIONS
    width = max(len(n) for n in RELATIONS)
    text = "\n".join(f"{name:<{width}}  {rel}    [{rel.title}]" for name, rel in RELATIONS.items())
    data = {"relations": [{"name": name, "title": rel.title, "text": str(rel),
                           "latex": rel.stated_latex(), "equation": latex(rel.equation)}
                          for name, rel in RELATIONS.items()]}
    return Outcome(data, text)


def _solution_text(sol: Any, prefix: str = "", assumed: bool = True) -> list[str]:
    from .solution import LISTED
    lines = [f"{prefix}{sol}"]
    if sol.kind == "range" and sol.bounded or sol.kind == "finite" and sol.size > LISTED:
        lines.append(f"{prefix}  ({sol.size} values)")
    if sol.reason:
        lines.append(f"{prefix}  reason: {sol.reason}")
    if assumed:
        lines += _assumed(sol, prefix)
    if sol.note:
        lines.append(f"{prefix}  note: {sol.note}")
    return lines


def _assumed(sol: Any, prefix: str = "") -> list[str]:
    """The defaults an answer took (``d = 1``, ``a = 0``): the answer holds under them, and
    "none" may hold only under them."""
    from ._numeric import defaults_to  # pooling's s = k: its own note says so
    follows = {var for var, _ in defaults_to(sol.relation)}
    taken = [(name, v) for name, v in sol.defaults.items() if name not in follows]
    if not taken:
        return []
    shown = ", ".join(f"{name} = {v}" for name, v in taken)
    return [f"{prefix}  assumed: {shown} (PyTorch's defaults; give them to change)"]


def _cmd_solve(args: argparse.Namespace) -> Outcome:
    from ._numeric import solve  # integer questions are answered without importing sympy
    from .solution import AxisSolutions
    words = [item for item in args.assignments if item.partition("=")[0].strip() in
             ("unknown", "bounds")]
    for item in words:      # the Python API's keywords, written as NAME=VALUE
        name, _, value = item.partition("=")
        flag = "--for" if name.strip() == "unknown" else "--bounds"
        if (args.unknown if flag == "--for" else args.bounds) is not None:
            raise UsageError(f"{item!r} and {flag} both given: give one")
        if flag == "--for":
            args.unknown = value.strip()
        else:
            args.bounds = value
    given = _assignments([item for item in args.assignments if item not in words])
    ceil_mode = bool(given.pop("ceil_mode", False)) or args.ceil_mode
    if args.unknown and "," in args.unknown:
        return _design(args, lambda bounds: solve(args.relation, args.unknown, bounds=bounds,
                                                  ceil_mode=ceil_mode, **given))
    if args.bounds or args.prefer or args.limit is not None:
        raise UsageError("--bounds, --prefer and --limit go with several unknowns (--for k,s,p)")
    sol = solve(args.relation, args.unknown, ceil_mode=ceil_mode, **given)
    data = sol.to_dict()
    sols = list(sol) if isinstance(sol, AxisSolutions) else [sol]
    if args.explain:
        parts = []
        for n, one in enumerate(sols):
            text = one.explain(latex=args.latex)
            parts.append((f"axis {n}:\n" if len(sols) > 1 else "") +
                         ("\\begin{align*}\n" + text + "\n\\end{align*}" if args.latex else text))
        data["explanation"] = [one.explain(latex=args.latex) for one in sols]
        return Outcome(data, "\n".join(parts))
    if args.latex:
        from .paper import solution
        # per axis: each display named by its axis in the text, not in a TeX comment
        return Outcome(data, solution(sol))
    if isinstance(sol, AxisSolutions):
        lines = [ln for n, one in enumerate(sol)
                 for ln in _solution_text(one, f"axis {n}: ", assumed=False)]
        lines += _assumed(next(iter(sol))) if len(sol) else []
    else:
        lines = _solution_text(sol)
    return Outcome(data, "\n".join(lines))


def _parse_bounds(text: str | None) -> dict[str, Any]:
    """``k<=7,p<=3,s=1..4`` -> {"k": 7, "p": 3, "s": (1, 4)}."""
    out: dict[str, Any] = {}
    if text is not None and not text.replace(",", "").strip():
        raise UsageError(f"--bounds {text!r} bounds nothing: give NAME<=HI or NAME=LO..HI "
                         "(k<=7,p<=3), or drop --bounds")
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        if item.partition("<=" if "<=" in item else "=")[0].strip() in out:
            raise UsageError(f"--bounds: {item.partition('<=' if '<=' in item else '=')[0].strip()}"
                             " bounded twice; give each name once")
        if "<=" in item:
            name, _, hi = item.partition("<=")
            if not re.fullmatch(r"-?[0-9]+", hi.strip()):       # ASCII digits, as i= takes
                raise UsageError(f"--bounds: {item[:60]!r} needs an integer after <=")
            out[name.strip()] = read_int(hi, f"--bounds {name.strip()}<=")
        elif "=" in item and ".." in item:
            name, _, rng = item.partition("=")
            lo, _, hi = rng.partition("..")
            if not (re.fullmatch(r"-?[0-9]+", lo.strip()) and re.fullmatch(r"-?[0-9]+", hi.strip())):
                raise UsageError(f"--bounds: {item[:60]!r} needs LO..HI integers")
            out[name.strip()] = (read_int(lo, f"--bounds {name.strip()}="),
                                 read_int(hi, f"--bounds {name.strip()}="))
        else:
            raise UsageError(f"--bounds takes NAME<=MAX or NAME=LO..HI, got {item!r}")
    return out


def _design(args: argparse.Namespace, run: Any) -> Outcome:
    prefer = [x.strip() for x in (args.prefer or "").split(",") if x.strip()]
    if args.explain:
        raise UsageError("--explain is for one unknown; a design space lists combinations "
                         "(--latex for a table)")
    space = run(_parse_bounds(args.bounds))
    if args.json:
        return Outcome(space.to_dict(args.limit, prefer), "")
    limit = args.limit if args.limit is not None else 20
    if args.latex:
        from .paper import design_table
        return Outcome(None, design_table(space, limit, prefer=prefer,
                                          label_=_label_of(args, "tab:symconv-design-")).rstrip("\n"))
    return Outcome(None, space.text(limit, prefer))


def _cmd_latex(args: argparse.Namespace) -> Outcome:
    from .printing import latex
    from .relations import RELATIONS, relation
    if args.equation and (args.table or args.document):
        raise UsageError(f"--equation with --{'table' if args.table else 'document'}: two "
                         "layouts of the relations; give one of them")
    if args.document or args.table or not (args.relation == "all" or args.equation):
        _unused({"--unnumbered": args.unnumbered, "--width": args.width != "column"},
                "--equation (a labelled equation; latex all prints one per relation)")
    if args.document:
        from .document import document
        doc = document(None if args.relation == "all" else [args.relation], notation=args.symbols)
        return Outcome({"document": doc}, doc.rstrip("\n"))
    from .paper import Notation, equation, relation_table
    notation = Notation.parse(args.symbols)
    rels = list(RELATIONS.values()) if args.relation == "all" else [relation(args.relation)]
    parts = [notation.preamble()] if notation.names else []
    if args.table:
        parts.append(relation_table([r.name for r in rels], notation=notation))
    elif args.relation == "all" or args.equation:
        parts.append("\n\n".join(equation(r, width=args.width, numbered=not args.unnumbered,
                                           notation=notation) for r in rels))
    else:
        # with what a special case is stated for (dv13's s | i + 2p - k): false without it
        parts.extend(rel.stated_latex(notation.printer() if notation.names else None)
                     for rel in rels)
    data: dict[str, Any] = {"relations": [{"name": rel.name, "latex": rel.stated_latex(),
                                           "equation": latex(rel.equation)} for rel in rels]}
    if notation.names or args.table or args.equation or args.relation == "all":
        data["source"] = "\n".join(parts)      # what is printed without --json
    return Outcome(data, "\n".join(parts))


def _cmd_pad(args: argparse.Namespace) -> Outcome:
    from .presets import preset  # generated forward maps: no sympy
    for role, word in (("FRAMEWORK", args.framework), ("MODE", args.mode)):
        if "=" in word:     # pad same k=3 i=10: the framework left out
            raise UsageError(f"pad takes FRAMEWORK MODE NAME=VALUE..., got {word!r} where "
                             f"the {role} goes: give the framework and the mode first, as in "
                             "symconv pad torch same i=10 k=3")
    given = _assignments(args.assignments)
    aliases = {"kernel_size": "k", "stride": "s", "dilation": "d", "input": "i",
               "output_padding": "a"}
    given = {aliases.get(key, key): v for key, v in given.items()}
    extra = sorted(set(given) - {"i", "k", "s", "d", "a"})
    if extra:
        raise UsageError(f"pad takes i, k, s, d (and a for --transpose), not {', '.join(extra)}")
    if "i" not in given or "k" not in given:
        raise UsageError("pad needs at least i=... and k=...")
    if any(not isinstance(v, int) for v in given.values()):
        raise UsageError("pad takes integers (one axis at a time)")
    pre = preset(args.framework, args.mode, "conv_transpose" if args.transpose else "conv")
    res = pre.apply(**given)
    data = {"framework": res.framework, "padding": res.padding, "p_l": res.p_l,
            "p_r": res.p_r, "total": res.total, "o": res.o, "a": res.a}
    if args.latex:
        from .paper import values_equation
        return Outcome(data, values_equation({"p_l": res.p_l, "p_r": res.p_r, "o": res.o}
                                             | ({"a": res.a} if res.a is not None else {})))
    return Outcome(data, res.explain())


def _to_dict(obj: Any) -> dict[str, Any]:
    return dict(obj.to_dict()) if hasattr(obj, "to_dict") else {}


def _proof_dict(pr: Any, certificates: bool = False) -> dict[str, Any]:
    out = {"name": pr.name, "title": pr.title, "holds": pr.holds,
           "steps": [st.latex() for st in pr.steps], "conclusion": pr.conclusion or None,
           "latex": pr.latex()}
    if certificates:
        out["certificates"] = [c.to_dict() for c in pr.certificates]
    return out


def _second_opinion(pr: Any) -> str:
    """One line: what re-checked the proof's steps, by engine and outcome."""
    counts: dict[str, int] = {}
    for c in pr.certificates:
        key = (f"{c.outcome} by {c.engine}" if c.outcome == "confirmed"
               else f"{c.outcome} on a grid (a test, not a proof)" if c.engine == "grid"
               else f"{c.outcome} ({c.engine})")
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{n} {'step' if n == 1 else 'steps'} {key}" for key, n in counts.items()]
    return "  second opinion: " + ("; ".join(parts) if parts else "no step to re-check")


def _cmd_prove(args: argparse.Namespace) -> Outcome:
    from .proofs import PROOFS, prove
    if not args.latex:
        _unused({"--env": args.env != "align*", "--proof": args.proof,
                 "--width": args.width != "column", "--symbols": bool(args.symbols)}, "--latex")
    names = list(PROOFS) if args.name == "all" else [args.name]
    proofs = [prove(name) for name in names]
    ok = all(pr.holds for pr in proofs)
    text = "\n".join(pr.latex(width=args.width, env=args.env, proof_env=args.proof,
                              notation=args.symbols) if args.latex
                      else pr.text() + "\n" + _second_opinion(pr) for pr in proofs)
    if args.latex and args.symbols:
        from .paper import Notation
        notation = Notation.parse(args.symbols)
        if notation.names:      # the macros it prints, defined once, first (as latex does)
            text = notation.preamble() + "\n" + text
    if any(c.outcome == "disagrees" for pr in proofs for c in pr.certificates):
        return Outcome({"holds": False, "proofs": [_proof_dict(pr, True) for pr in proofs]},
                       text + "\nBUG: an independent re-check disagrees with a step; please "
                       "report it", EXIT_INTERNAL)
    return Outcome({"holds": ok, "proofs": [_proof_dict(pr, True) for pr in proofs]}, text,
                   EXIT_OK if ok else EXIT_FALSE)


def _verdict_code(verdict: Any, strict: bool) -> int:
    """0 proven, 1 false, 4 undecided; ``strict``: 0 only with a symbolic proof of the
    claim in general (one that holds only with neutral values of the parameters it leaves
    out, ``khat = k`` for ``d = 1``, is 1 where a counterexample shows it false in general,
    else 4)."""
    if getattr(verdict, "disagreement", ""):
        return EXIT_INTERNAL       # two engines disagree: a bug, not a verdict
    if verdict.holds is False:
        return EXIT_FALSE
    if verdict.holds is None:
        return EXIT_UNDECIDED
    if strict and bool(getattr(verdict, "settings", None)):
        # true only with neutral values: false in general (a counterexample), or undecided
        return EXIT_FALSE if getattr(verdict, "general", None) is False else EXIT_UNDECIDED
    if strict and getattr(verdict, "proof", None) is None \
            and getattr(verdict, "decision", None) is None:
        return EXIT_UNDECIDED
    return EXIT_OK


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    import inspect
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _exact(value: Any) -> Any:
    """A value the claims module gives as text ("3/2") back as an exact number."""
    from fractions import Fraction
    if not isinstance(value, str):
        return value
    try:
        return Fraction(value)
    except ValueError:
        return None


def _cmd_check(args: argparse.Namespace) -> Outcome:
    from .claims import check
    extra = {"timeout": args.timeout} if _accepts(check, "timeout") else {}
    verdict = check(args.claim, limit=args.limit, **extra)
    code = _verdict_code(verdict, args.strict)
    data = _to_dict(verdict)
    data.setdefault("latex", verdict.latex())
    sides = getattr(verdict, "values", None)
    if sides is not None:    # both sides at the counterexample, exact
        data["values"] = [_exact(v) for v in sides]
    data["status"] = {EXIT_OK: "proven", EXIT_FALSE: "false"}.get(code, "undecided")
    if args.latex:
        from .paper import verdict_latex
        return Outcome(data, verdict_latex(verdict), code)
    return Outcome(data, verdict.text(), code)


def _cmd_derive(args: argparse.Namespace) -> Outcome:
    from pathlib import Path

    from ._output import out_path, write_exactly
    from .derivation import find_derivations, load, load_file
    from .document import document
    out = out_path(args.out, (".tex",), "derive --out") if args.out else None
    if args.name is not None and args.name.endswith(".py"):
        if args.all or args.dir:
            raise UsageError("derive PATH.py runs that one script: drop --all and --dir")
        with _user_code(f"derivation {args.name!r}"):    # its prints: not the answer
            chosen = [load_file(Path(args.name))]
    else:
        if args.all and args.name is not None:
            raise UsageError(f"derive {args.name} runs one derivation and --all every one: "
                             "give one of them")
        folder = find_derivations(Path(args.dir) if args.dir else None)
        with _user_code(f"a script in {str(folder)!r}"):    # what they print on import
            found = load(folder)
        if not found:
            raise UsageError(f"no derivations in {str(folder)!r}: a derivation is a .py script "
                             "that defines DERIVATION = Derivation(...)")
        if args.all or args.name is None:
            chosen = list(found.values())
        elif args.name in found:
            chosen = [found[args.name]]
        elif "/" not in args.name and (folder / f"{args.name}.py").is_file() and \
                not args.name.startswith("_"):
            # the script's file name (dv03_half_padding for the derivation dv3)
            with _user_code(f"derivation {args.name!r}"):
                chosen = [load_file(folder / f"{args.name}.py")]
        else:
            raise UsageError(f"no derivation {args.name!r} in {folder}; known: {', '.join(found)}"
                             " (or give a script's path, ending in .py)")
    with _user_code("a derivation"):
        results = [d.run() for d in chosen]
    lines = [res.text() for res in results]
    if out is not None:
        tex = document(names=[], proofs=[], extra=[r.latex() for r in results], title="Derivations")
        write_exactly(out, tex.encode(), "derive --out")
        lines.append(f"wrote {len(results)} derivations to {out}")
    statuses = {r.status for r in results}
    ok: bool | None = True if statuses == {"holds"} else False if "false" in statuses else None
    data = {"holds": ok, "wrote": str(out) if out is not None else None, "derivations": [
        {"name": r.derivation.name, "title": r.derivation.title,
         "holds": {"holds": True, "false": False}.get(r.status),
         "claim": ({**_to_dict(r.verdict), "latex": r.verdict.latex()}
                   if r.verdict is not None else None),
         "proofs": [_proof_dict(pr) for pr in r.proofs]} for r in results]}
    return Outcome(data, "\n".join(lines),
                   EXIT_OK if ok else EXIT_FALSE if ok is False else EXIT_UNDECIDED)


@contextlib.contextmanager
def _user_code(what: str) -> Any:
    """Run the user's code (a model's module, a derivation script) with everything it
    writes to stdout sent to stderr, file descriptor 1 too (``sys.__stdout__``,
    ``os.write(1, ...)``, a C library), so that stdout holds symconv's answer alone; its
    ``sys.exit`` (an ``argparse`` of its own) is a one-line refusal, not symconv's end."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:             # no descriptor 1 (closed): the Python-level redirect only
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    except SystemExit as exc:
        fix = "remove the exit (or its argument parsing) from what symconv imports or runs"
        raise UsageError(f"{what}: the code exited (SystemExit: {exc.code}) instead of "
                         f"returning; {fix}", hint=fix) from None
    finally:
        for stream in (sys.__stdout__, sys.stdout):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


def _torch_module(spec: str) -> Any:
    """The ``nn.Module`` named by ``module:attr`` (a dotted attribute path; a callable that
    is not a module is called with no arguments).  The current folder is searched first,
    as ``python -m`` does: naming the module is asking to import it."""
    import importlib
    mod_name, colon, attr = spec.partition(":")
    if not colon or not mod_name or not attr:
        raise UsageError(f"--torch takes module:attr (e.g. mypkg.models:UNet), got {spec!r}")
    try:
        import torch.nn as nn
    except ImportError:
        raise UsageError("--torch needs torch: pip install 'symconv[torch]'") from None
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj: Any = importlib.import_module(mod_name)
    except Exception as exc:    # noqa: BLE001 - whatever the user's module raises on import
        raise UsageError(f"--torch {spec}: cannot import {mod_name!r}: "
                         f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                         ) from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise UsageError(f"--torch {spec}: {mod_name} has no attribute {attr!r}")
        obj = getattr(obj, part)
    called = not isinstance(obj, nn.Module) and callable(obj)
    if called:
        try:
            obj = obj()
        except Exception as exc:    # noqa: BLE001 - whatever the user's constructor raises
            raise UsageError(f"--torch {spec}: calling {attr}() failed: "
                             f"{type(exc).__name__}: {exc}") from None
    if not isinstance(obj, nn.Module):
        what = f"{attr}() returned" if called else f"{attr} is"
        kind = type(obj).__name__
        article = "an" if kind[:1].lower() in "aeiou" else "a"
        raise UsageError(f"--torch {spec}: {what} {article} {kind}, not an nn.Module: "
                         "name a module, or a callable that returns one")
    return obj


def _each(value: Any, axes: Sequence[Any]) -> tuple[Any, ...]:
    """``value`` per axis: as it is when it is a tuple, else the same on every axis."""
    return tuple(value) if isinstance(value, tuple) else (value,) * len(axes)


def _from_text(least: int | None) -> str:
    """Where a chain's output formula holds: ``  if i >= 9`` (every size from 1: nothing)."""
    return "  if no input size (none is accepted)" if least is None else \
        f"  if i >= {least}" if least > 1 else ""


def _display(math: str) -> str:
    """An answer as displayed math, ready to paste: ``\\[ ... \\]``."""
    return rf"\[ {math} \]"


def _size_tex(i: Any) -> str:
    """An input size for a caption: ``$224 \\times 160$`` per axis, else the number."""
    return "$" + r" \times ".join(map(str, i)) + "$" if isinstance(i, (list, tuple)) else str(i)


def _graph_net(args: argparse.Namespace, graph: Any, i: Any, source: str) -> Outcome:
    """``symconv net`` on a model's graph: the table at ``i``, every node's formula,
    the accepted input sizes per axis (the default without ``i``), smallest, nearest."""
    from ._json import number
    from .printing import latex, sstr
    for flag, name in ((args.inputs_for, "--inputs-for"), (args.align, "--align"),
                       (args.solve, "--solve"), (args.explain, "--explain"),
                       (args.ndim, "--ndim")):
        if flag:
            raise UsageError(f"{name} is for a network given as layer text; a model answers "
                             "i=N, --expr, --smallest and --nearest N")
    lines: list[str] = []
    data: dict[str, Any] = {"network": source, "input": list(i) if isinstance(i, tuple) else i,
                            "model": {"nodes": len(graph.nodes), "ndim": graph.ndim,
                                      "in_channels": graph.in_channels,
                                      "assumed": list(graph.assumptions)}}
    lines += [f"assumed: {a}" for a in graph.assumptions]
    if args.expr:
        exprs = graph.exprs()
        data["exprs"] = {name: [number(e) for e in es] for name, es in exprs.items()}
        for name, es in exprs.items():
            if args.latex:
                from ._layout import fit, line_budget, width_pt
                from .chain import axis_input
                from .paper import text as tex_text
                from .symbols import i as I
                head = rf"\text{{{tex_text(name)}: }}"
                parts = [f"o_{{{j}}} = {latex(e.subs(I, axis_input(j)))}"
                         for j, e in enumerate(es)]
                one = head + " " + (r",\quad ".join(parts) or r"\text{flat}")
                if len(parts) < 2 or width_pt(one) <= line_budget("column"):
                    lines.append(_display(one))
                else:       # a paper column: an axis a row, each fitted
                    room = line_budget("column") - width_pt(head)
                    lines.append("\\begin{align*}\n" + " \\\\\n".join(
                        (head if j == 0 else "") + f" &{fit(part, room)}"
                        for j, part in enumerate(parts)) + "\n\\end{align*}")
            else:
                lines.append(f"{name}: " + (", ".join(sstr(e) for e in es) or "flat"))
    # without i, the accepted sizes: alone, or beside --expr as the formulas' domain
    if args.smallest or args.nearest is not None or i is None:
        sizes = graph.accepted_sizes()
        acc = sizes.axes
        found = []
        for al in acc:
            if sizes.smallest is None:
                # no size passes the axes taken together (a Linear no size fits): each
                # axis's set is empty too, not its own residue classes ("i >= 1")
                found.append({"period": 1, "residues": [], "start": al.start,
                              "smallest": None, "exceptions_below": [],
                              "text": sizes.text().splitlines()[0]})
                continue
            found.append({"period": al.period, "residues": list(al.residues),
                          "start": al.start, "smallest": al.smallest,
                          "exceptions_below": list(al.exceptions_below), "text": al.text()})
        data["accepted"] = found
        if sizes.blocks is not None or sizes.excluded:
            data["joint"] = sizes.to_dict()
        if args.latex and sizes.blocks is None and not sizes.excluded:
            lines += [_display(rf"\text{{axis {j} accepted: }} "
                               + al.latex(f"i_{{{j}}}" if len(acc) > 1 else "i"))
                      for j, al in enumerate(acc)]
        elif args.latex:
            from .paper import text as tex_text  # the blocks a Linear allows: as text
            lines.append("\\begin{flushleft}\n" + "\\\\\n".join(
                tex_text(line).replace("≡", r"$\equiv$") for line in sizes.text().splitlines())
                + "\n\\end{flushleft}")
        else:
            lines.append(sizes.text())
        if args.nearest is not None:
            to = args.nearest if isinstance(args.nearest, tuple) else (args.nearest,) * len(acc)
            if len(to) != len(acc):
                raise UsageError(f"--nearest {','.join(map(str, to))} has {len(to)} sizes; the "
                                 f"model has {len(acc)} axes: give one, or one per axis")
            near = sizes.nearest(to)
            shown = " x ".join(map(str, args.nearest)) if isinstance(args.nearest, tuple) \
                else str(args.nearest)
            data["nearest"] = {"to": list(to) if isinstance(args.nearest, tuple) else
                               args.nearest, "size": None if near is None else list(near)}
            lines.append(_display(rf"\text{{nearest to {shown}: }} " + (
                r"\text{none}" if near is None else r" \times ".join(map(str, near))))
                if args.latex else f"nearest to {shown}: "
                + ("none" if near is None else " x ".join(map(str, near))))
        if args.smallest:
            small = sizes.smallest
            data["smallest"] = None if small is None else list(small)
            lines.append(_display(r"i_{\min} = " + (r"\text{none}" if small is None else
                                                    r" \times ".join(map(str, small))))
                         if args.latex else "smallest: " + (
                             "none" if small is None else " x ".join(map(str, small))))
    if i is not None:
        data["table"] = graph.table_json(i)
        if args.latex:
            from .paper import floating
            lines.append(floating(graph.table_latex(i), label_=_label_of(args, "tab:symconv-model-"),
                                  caption=f"Per-node sizes for input size {_size_tex(i)}."))
        else:
            lines.append(graph.table_text(i))
            failure = data["table"]["first_failure"]
            lines.append(f"input {data['input']}: " +
                         (f"refused: {failure}" if failure else "accepted"))
    return Outcome(data, "\n".join(lines))


def _cmd_net(args: argparse.Namespace) -> Outcome:
    from ._json import number
    from .chain import Chain
    if args.torch and args.network and re.fullmatch(r"\s*[A-Za-z_][\w']*\s*=[^=\s]*\s*",
                                                    args.network):
        # with --torch there is no layer text: the first NAME=VALUE landed in its place
        args.assignments, args.network = [args.network, *args.assignments], None
    given = _assignments(args.assignments)
    if "?" not in (args.network or ""):
        _unused({"--bounds": args.bounds is not None, "--prefer": args.prefer is not None,
                 "--limit": args.limit is not None}, "a network with unknowns marked ?")
    if args.torch or (args.network or "").lower().endswith(".onnx"):
        if args.torch and args.network:
            raise UsageError("give a model (--torch module:attr or a .onnx file) or layer text, "
                             "not both")
        unknown = sorted(set(given) - {"i"})
        if unknown:
            raise UsageError(f"net on a model takes i=N (or one per axis, i=224,160), not "
                             f"{', '.join(unknown)}")
        i_model = given.get("i")
        i_model = tuple(i_model) if isinstance(i_model, list) else i_model
        if args.torch:
            from . import from_torch
            # the user's code prints (on import, in __init__, in forward while traced):
            # to stderr, so that stdout holds symconv's answer alone (one JSON document)
            with _user_code(f"--torch {args.torch}"):
                module = _before_the_clock(lambda: _torch_module(args.torch), args.timeout)
                model = from_torch(module)
                rank = next((len(v) for v in (i_model, args.nearest)
                             if isinstance(v, tuple)), None)
                if rank is not None and model.ndim_assumed:
                    # no layer fixes the number of axes: a per-axis size does, as in
                    # layer text (PyTorch runs Sequential(ReLU()) on any rank)
                    model = from_torch(module, ndim=rank)
            source = f"--torch {args.torch}"
        else:
            from .onnx_import import from_onnx, load_model
            # importing onnx and reading the file are the environment's: outside the clock
            model = from_onnx(_before_the_clock(lambda: load_model(args.network), args.timeout))
            source = args.network
        if not isinstance(model, Chain):
            return _graph_net(args, model, i_model, source)
        from .graph import Graph
        first = next((ly.F_i for ly in model.layers if ly.F_i is not None), None)
        return _graph_net(args, Graph.from_chain(model, first), i_model, source)
    if not args.network:
        raise UsageError("net takes layer text, a model file (.onnx) or --torch module:attr")
    if "?" in args.network:
        from .design import chain_design, parse_chain_spec
        if isinstance(given.get("i"), (list, tuple)) or isinstance(given.get("o"), (list, tuple)):
            raise UsageError("a network with unknowns (?) is designed one axis at a time: give "
                             "one integer i=N and o=N (run it once per axis)")
        if not isinstance(given.get("i"), int) or not isinstance(given.get("o"), int):
            raise UsageError("a network with unknowns (?) needs i=N and o=N")
        layers = parse_chain_spec(args.network)
        return _design(args, lambda bounds: chain_design(layers, given["i"], given["o"], bounds))
    # without --ndim or a per-axis list in the text, a per-axis input says how many axes
    per_axis_i = given.get("i")
    net = Chain.parse(args.network, ndim=args.ndim, fallback=len(per_axis_i)
                      if isinstance(per_axis_i, (list, tuple)) and per_axis_i else None)
    unknown_keys = sorted(set(given) - {"i", "o"})
    if unknown_keys:
        raise UsageError(f"net takes i=N (and o=N with --solve), not {', '.join(unknown_keys)}")
    i = given.get("i")
    if isinstance(i, list):
        i = tuple(i)
    if i is not None and not (isinstance(i, int) and not isinstance(i, bool) or
                              isinstance(i, tuple) and all(isinstance(x, int) for x in i)):
        raise UsageError("net takes an integer input size i=N, or one per axis i=224,160")

    def axes_text(v: Any) -> str:
        return ", ".join(f"axis {j}: {x}" for j, x in enumerate(v)) if isinstance(v, tuple) \
            else str(v)
    if args.solve:
        where, _, name = args.solve.partition(":")
        if not where.isdigit() or not name or i is None or "o" not in given:
            raise UsageError("--solve takes LAYER:NAME (1-based layer) with i=N and o=N")
        if isinstance(i, tuple) or not net.isotropic:
            raise UsageError("--solve is per axis: give one integer i=N and o=N on a network "
                             "that is the same on every axis")
    if "o" in given and not args.solve:
        shown = ",".join(map(str, given["o"])) if isinstance(given["o"], (list, tuple)) \
            else given["o"]
        raise UsageError(f"o={shown} is read only with --solve LAYER:NAME (the layer "
                         "value that gives that output); without it the network's output is "
                         "computed, so drop o=, or add --solve")
    if args.nearest is not None and not args.align:
        raise UsageError("--nearest goes with --align")
    if args.explain and not args.expr:
        raise UsageError("--explain goes with --expr (which floors merged): add it, or drop "
                         "--explain")
    lines: list[str] = []
    data: dict[str, Any] = {"network": args.network,
                            "input": list(i) if isinstance(i, tuple) else i}
    if args.expr:
        from .printing import sstr  # a formula: the one part that needs sympy
        expr = net.output_expr()
        # the inputs the formula is for: a chain's accepted sizes are every i from its
        # smallest on (each layer's output grows with its input), below it PyTorch refuses
        least = net.smallest_input()
        if not net.isotropic:
            if args.latex:
                from ._layout import fit, line_budget, width_pt
                whole = net.output_latex()
                parts = whole.split(r",\quad ")
                if width_pt(whole) <= line_budget("column") or len(parts) < 2:
                    lines.append(_display(whole))
                else:       # a paper column: an axis a row, each fitted
                    lines.append("\\begin{gather*}\n" + " \\\\\n".join(
                        fit(part, line_budget("column")) for part in parts)
                        + "\n\\end{gather*}")
            else:
                lines += [f"axis {j}: o = {sstr(e)}" + _from_text(m)
                          for j, (e, m) in enumerate(zip(expr, _each(least, expr), strict=True))]
            data["expr"] = [number(e) for e in expr]
        else:
            lines.append(_display(net.output_latex()) if args.latex
                         else f"o = {sstr(expr)}" + _from_text(least))
            data["expr"] = number(expr)
        data["expr_from"] = list(least) if isinstance(least, tuple) else least
        if args.explain:
            explanation = net.explain_output(latex=args.latex)
            # the last row takes no \\ (an empty row at the end of the align*)
            lines.append("\\begin{align*}\n" + explanation.rstrip().removesuffix("\\\\").rstrip()
                         + "\n\\end{align*}" if args.latex else explanation)
            data["explanation"] = explanation
    if args.smallest:
        small = net.smallest_input()
        data["smallest"] = list(small) if isinstance(small, tuple) else small
        lines.append(_display(r"i_{\min} = " + (f"({', '.join(map(str, small))})" if isinstance(
            small, tuple) else str(small))) if args.latex else f"smallest input: {axes_text(small)}")
    if args.inputs_for is not None:
        wanted = args.inputs_for
        if isinstance(wanted, tuple) and len(wanted) != net.ndim:
            raise UsageError(f"--inputs-for {','.join(map(str, wanted))}: {len(wanted)} sizes "
                             f"for a network of {net.ndim} axes: give one per axis, or one "
                             "for all")
        per_axis = isinstance(wanted, tuple) or not net.isotropic
        got_in: Any = net.inputs_for(wanted)     # per axis: one interval (or None) each
        found_in = []
        for j, got in enumerate(got_in if per_axis else (got_in,)):
            o_j = wanted[j] if isinstance(wanted, tuple) else wanted
            at = f"axis {j}: " if per_axis else ""
            if args.latex:
                lines.append(_display((rf"\text{{{at}}}" if at else "") + (
                    f"o = {o_j} \\iff {got[0]} \\leq i \\leq {got[1]}" if got
                    else rf"\text{{no input size gives }} o = {o_j}")))
            else:
                lines.append(f"{at}inputs for output {o_j}: " +
                             (f"{got[0]} <= i <= {got[1]}" if got else "none"))
            found_in.append({"output": o_j, "min": got[0] if got else None,
                             "max": got[1] if got else None, "empty": got is None})
        data["inputs_for"] = found_in if per_axis else found_in[0]
    if args.align:
        pairs = []
        for item in args.align.split(","):
            a_, eq, b_ = item.partition("=")
            if not eq:
                raise UsageError(f"--align takes tap pairs A=B, got {item!r}")
            pairs.append((a_.strip(), b_.strip()))
        got_al = net.align(pairs)
        per_axis = isinstance(got_al, tuple)
        found = []
        for j, al in enumerate(got_al if isinstance(got_al, tuple) else (got_al,)):
            at = f"axis {j}: " if per_axis else ""
            lines.append(_display(rf"\text{{{at}aligned: }} "
                                  + al.latex(f"i_{{{j}}}" if per_axis else "i")) if args.latex
                         else f"{at}aligned: {al.text()}")
            one: dict[str, Any] = {
                "pairs": [list(pair) for pair in al.pairs], "period": al.period,
                "residues": list(al.residues), "start": al.start, "smallest": al.smallest,
                "exceptions_below": list(al.exceptions_below), "text": al.text()}
            if args.nearest is not None:
                if isinstance(args.nearest, tuple):
                    raise UsageError("--nearest with --align takes one size: the alignment is "
                                     "answered per axis, each nearest to it")
                near = al.nearest(args.nearest)
                lines.append(_display(rf"\text{{{at}nearest to {args.nearest}: }} "
                                      + (r"\text{none}" if near is None else str(near)))
                             if args.latex else f"{at}nearest to {args.nearest}: {near}")
                one["nearest"] = {"to": args.nearest, "size": near}
            found.append(one)
        data["align"] = found if per_axis else found[0]
    if args.solve:
        where, _, name = args.solve.partition(":")
        assert isinstance(i, int)    # checked above
        answer = net.solve_layer(read_int(where, "--solve LAYER"), name, i, given["o"])
        values, unbounded = answer
        refused = getattr(answer, "refused", None)
        refused_from = getattr(answer, "refused_from", None)
        tail = f"every value >= {unbounded}" if unbounded is not None else ""
        shown = " and ".join(part for part in (
            "{" + ", ".join(map(str, values)) + "}" if values else "", tail) if part)
        if args.latex:
            sym = f"{name}_{{{where}}}"
            parts = ([rf"{sym} \in \{{{', '.join(map(str, values))}\}}"] if values else []) + \
                ([rf"{sym} \geq {unbounded}"] if unbounded is not None else [])
            lines.append(_display(r"\text{ or }".join(parts) if parts else
                                  rf"\text{{no {name} of layer {where} gives }} o = {given['o']}"))
        else:
            lines.append(f"layer {where} {name}: " +
                         (shown or f"no value gives output {given['o']}") +
                         ("" if refused is None else " (" + " and ".join(part for part in (
                             f"{name} = {', '.join(map(str, refused[0]))}" if refused[0] else "",
                             f"every {name} >= {refused_from}" if refused_from is not None
                             else "") if part)
                          + f" give{'s' if len(refused[0]) + (refused_from is not None) == 1 else ''}"
                          f" it too, but {refused[1]})"))
        data["solve"] = {"layer": read_int(where, "--solve LAYER"), "name": name, "output": given["o"],
                         "values": [number(v) for v in values],
                         "and_every_value_from": number(unbounded) if unbounded is not None
                         else None,
                         "refused": None if refused is None else
                         {"values": [number(v) for v in refused[0]], "rule": refused[1],
                          "and_every_value_from": None if refused_from is None
                          else number(refused_from)}}
    asked = len(data) > 2
    if i is not None and (not asked or not (args.expr or args.solve)):
        # i given: its table too, in text as in JSON and LaTeX (the text dropped it); not
        # with --solve, whose i is the question's (the table would show the layer unsolved)
        data["table"] = net.table_json(i)
        if args.latex:
            from .paper import network_table
            lines.append(network_table(data["table"]["layers"],
                                       caption=f"Per-layer sizes for input size {_size_tex(i)}.",
                                       label_=_label_of(args, "tab:symconv-network-")))
        else:
            lines.append(net.table_text(i))
        counted = any(ly.F_i is not None or ly.F_o is not None for ly in net.layers)
        if args.ndim is None and isinstance(i, int) and net.isotropic and counted:
            # params, MACs and the flattened size are products over axes: say how many
            data["assumed"] = (f"{net.ndim}-d: i={i} on each of {net.ndim} axes, every "
                               "kernel, stride and padding the same on each")
            if not args.latex:
                lines.append(f"     assumed {data['assumed']} (--ndim N or i=H,W to change)")
        asked = True
    if not asked:
        raise UsageError("net needs i=N for a table, or --expr, --smallest, --inputs-for, --align")
    return Outcome(data, "\n".join(lines))


def _cmd_plot(args: argparse.Namespace) -> Outcome:
    from .plotting import plot
    # the layer's keys as layer text reads them (p=1:0, framework=tf, k=3,5): they were
    # read as a relation's variables and refused
    for word in args.assignments:
        name, eq, value = word.partition("=")
        if not eq or not name.strip():
            raise UsageError(f"plot: {word[:60]!r} is no NAME=VALUE (the layer's k=3 s=2 ...)")
        if name.strip() == "i":
            raise UsageError(f"plot takes the input size as --i {value} (taps) or --range "
                             "LO:HI (staircase), not i=")
    target = args.target
    if args.assignments:
        if "|" in target:
            raise UsageError("plot: a network's values go in its text (\"conv k=3 | pool "
                             "k=2\"), not after it")
        target = f"{target} {' '.join(args.assignments)}"
    taps = args.kind == "taps"
    if args.i is not None and not taps or args.range and taps:
        raise UsageError("--i is the input size of --kind taps, --range the sizes of the "
                         "staircase: give the one of the kind drawn")
    if args.range:
        lo, _, hi = args.range.partition(":")
        if not (lo.isdigit() and hi.isdigit()):
            raise UsageError(f"--range takes LO:HI, got {args.range[:60]!r}")
        i_range = (read_int(lo, "--range"), read_int(hi, "--range"))
    else:
        i_range = (1, 64)
    i = 7 if args.i is None else args.i
    path = plot(target, args.out, kind=args.kind, **({"i": i} if taps else {"i_range": i_range}))
    at = (f"input size {i}" + (" (--i not given)" if args.i is None else "") if taps else
          f"input sizes {i_range[0]}..{i_range[1]}" + ("" if args.range else
                                                        " (--range not given)"))
    return Outcome({"wrote": [str(path)], "kind": args.kind, "sizes": f"{at}"},
                   f"wrote {path}: {args.kind} at {at}")


def _cmd_figure(args: argparse.Namespace) -> Outcome:
    from .figures import figure
    if args.out:        # the file's suffix decides: .tikz is the fragment
        _unused({"--fragment": args.fragment}, "printed TikZ (with --out, write a .tikz file)")
    given = _assignments(args.assignments)
    given = aliased("figure", given, ["i", "k", "s", "p", "d", "a"])    # input=, kernel_size=
    if args.d is not None:
        if "d" in given:
            raise UsageError("d given twice (d=... and --d)")
        given["d"] = args.d
    if "i" not in given or "k" not in given:
        raise UsageError("figure needs at least i=... and k=... (for example i=5 k=3 s=2 p=1)")
    fig = figure(args.layer, transposed=args.transposed, pool=args.pool, dims=args.dims, **given)
    data: dict[str, Any] = {"layer": args.layer, "o": fig.o, "positions": len(fig.positions)}
    if args.out:
        path = fig.save(args.out, frames=args.frames)
        data["wrote"] = [str(path)]
        return Outcome(data, f"wrote {path} ({fig.o} output cells per axis, "
                             f"{len(fig.positions)} kernel positions)")
    tikz = fig.tikz(standalone=not args.fragment or args.frames, frames=args.frames)
    data["tikz"] = tikz
    return Outcome(data, tikz.rstrip("\n"))


def _cmd_repl(args: argparse.Namespace) -> int:
    from .repl import run
    return run(["--plain"] if args.plain else [])


def _paper_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--symbols", metavar="NAMES",
                        help="the paper's names for i,o,k,s,p,d,a, in that order, comma "
                             "separated (W_in,W_out,K,S,P); LaTeX macros set by "
                             "\\providecommand then \\renewcommand")
    parser.add_argument("--width", default="column", choices=["column", "text"],
                        help="break lines for a 3.3 in column (default) or a 6.5 in text")


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="symconv", description="Exact convolution arithmetic: solve, prove, LaTeX.")
    ap.add_argument("--version", action="version", version=f"symconv {__version__}")
    sub = ap.add_subparsers(dest="command", parser_class=_Parser)
    sub.add_parser("list", help="list the relations").set_defaults(func=_cmd_list)

    sp = sub.add_parser("solve", help="solve a relation for one unknown, or several (a "
                        "design space: --for k,s,p)")
    sp.add_argument("relation", help="a relation's name (symconv list shows them)")
    sp.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    sp.add_argument("--for", dest="unknown", metavar="NAME",
                    help="the unknown (default: the one variable not given); several, "
                         "k,s,p, for a design space")
    sp.add_argument("--ceil-mode", action="store_true", help="pooling in ceil mode")
    sp.add_argument("--explain", action="store_true", help="show how the answer was derived")
    sp.add_argument("--bounds", metavar="k<=7,p<=3", help="with --for a,b,...: bounds")
    sp.add_argument("--prefer", metavar="odd,symmetric,no_waste,small", help="ranking rules")
    sp.add_argument("--limit", type=_count, metavar="N", help="show at most N combinations")
    sp.add_argument("--latex", action="store_true", help="the answer (or with --explain the "
                    "derivation) as LaTeX")
    sp.add_argument("--label", type=_label, metavar="tab:NAME",
                    help="with --latex, a design table's \\label (default: tab:symconv-design- "
                    "and six hex digits of the table's content; a label ending in - is "
                    "completed so)")
    sp.set_defaults(func=_cmd_solve)

    lp = sub.add_parser("latex", help="print a relation (or all) as LaTeX")
    lp.add_argument("relation", help="a relation's name, or all")
    lp.add_argument("--document", action="store_true", help="a complete LaTeX document")
    lp.add_argument("--equation", action="store_true",
                    help="a labelled equation with its conditions (the default for all)")
    lp.add_argument("--table", action="store_true", help="a booktabs table of the relations")
    lp.add_argument("--unnumbered", action="store_true", help="equation* instead of equation")
    _paper_args(lp)
    lp.set_defaults(func=_cmd_latex)

    pp = sub.add_parser("pad", help="padding and output size of a framework's padding mode")
    pp.add_argument("framework", help="torch, tf, keras, jax or onnx")
    pp.add_argument("mode", help="same/valid, SAME/VALID, SAME_UPPER/SAME_LOWER")
    pp.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    pp.add_argument("--transpose", action="store_true", help="a transposed convolution")
    pp.add_argument("--latex", action="store_true", help="the paddings and output as LaTeX")
    pp.set_defaults(func=_cmd_pad)

    pr = sub.add_parser("prove", help="build and verify a proof (symconv prove all lists them)")
    pr.add_argument("name")
    pr.add_argument("--latex", action="store_true", help="an align* derivation")
    pr.add_argument("--env", default="align*", choices=["align*", "align", "equation"],
                    help="with --latex: align* (default), align with labels, one equation")
    pr.add_argument("--proof", action="store_true", help="with --latex: in an amsthm proof")
    _paper_args(pr)
    pr.set_defaults(func=_cmd_prove)

    ck = sub.add_parser("check", help="prove a claimed formula or refute it")
    ck.add_argument("claim")
    ck.add_argument("--latex", action="store_true", help="the verdict (and proof) as LaTeX")
    ck.add_argument("--limit", type=_count, default=50_000,
                    help="configurations the counterexample search may try")
    ck.add_argument("--strict", action="store_true",
                    help="exit 0 only for a symbolic proof in general (undecided and "
                         "sampled exit 4; true only with neutral values of parameters the "
                         "claim leaves out: 1 if false in general, else 4)")
    ck.set_defaults(func=_cmd_check)

    dv = sub.add_parser("derive", help="run symconv's worked derivations (or one script named by path)")
    dv.add_argument("name", nargs="?", help="a derivation's name (dv3) or its file's "
                    "(dv03_half_padding), or the path of a script (.py)")
    dv.add_argument("--all", action="store_true", help="run every shipped derivation")
    dv.add_argument("--out", metavar="FILE.tex", help="write the derivations as one LaTeX document")
    dv.add_argument("--dir", metavar="FOLDER", help="a folder of derivation scripts to run instead")
    dv.set_defaults(func=_cmd_derive)

    nt = sub.add_parser("net", help="a chain of layers: sizes, inverse problems, receptive fields")
    nt.add_argument("network", nargs="?",
                    help='layers separated by "|", e.g. "conv k=3 p=1 | pool k=2 s=2", or a '
                         'model file (.onnx)')
    nt.add_argument("--torch", metavar="MODULE:ATTR",
                    help="a PyTorch model: the nn.Module (or a callable returning one) ATTR "
                         "of the importable MODULE")
    nt.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    nt.add_argument("--latex", action="store_true",
                    help="the table (or --expr's formulas) as LaTeX")
    nt.add_argument("--label", type=_label, metavar="tab:NAME",
                    help="with --latex, the table's \\label (default: tab:symconv-network-, "
                    "-model- or -design- and six hex digits of the table's content; a label "
                    "ending in - is completed so)")
    nt.add_argument("--ndim", type=_size("--ndim"), metavar="N",
                    help="spatial axes (1, 2, 3, ...; default: the layers' per-axis lists, "
                         "else a per-axis input, else 2)")
    nt.add_argument("--expr", action="store_true", help="the output size as a formula in i")
    nt.add_argument("--explain", action="store_true", help="with --expr: which floors merged")
    nt.add_argument("--smallest", action="store_true", help="the smallest accepted input")
    nt.add_argument("--inputs-for", type=_sizes("--inputs-for"), metavar="O",
                    help="all inputs giving output O")
    nt.add_argument("--align", metavar="A=B,...", help="inputs where named taps are equal")
    nt.add_argument("--nearest", type=_sizes("--nearest"), metavar="N",
                    help="with --align: nearest aligned size; on a model: the nearest "
                         "accepted size (one, or one per axis: 100,37)")
    nt.add_argument("--solve", metavar="LAYER:NAME", help="a hyperparameter of one layer, given i and o")
    nt.add_argument("--bounds", metavar="k<=7,p<=3", help="bounds for unknowns marked ?")
    nt.add_argument("--prefer", metavar="odd,small", help="ranking rules for unknowns marked ?")
    nt.add_argument("--limit", type=_count, metavar="N", help="show at most N combinations")
    nt.set_defaults(func=_cmd_net)

    pl = sub.add_parser("plot", help="draw a layer's staircase or taps, or a chain's staircase")
    pl.add_argument("target", help='a layer kind (conv, convt, pool) or a network "a | b | c"')
    pl.add_argument("assignments", nargs="*", metavar="NAME=VALUE", help="the layer's k s p d a")
    pl.add_argument("--kind", default="staircase", choices=["staircase", "taps"],
                    help="output size against input size (staircase), or which inputs each "
                         "output reads (taps)")
    pl.add_argument("--i", type=_size("--i"), default=None,
                    help="input size for --kind taps (default 7)")
    pl.add_argument("--range", metavar="LO:HI", help="input sizes for the staircase (1:64)")
    pl.add_argument("--out", required=True, help="file to write (.png, .pdf, .svg)")
    pl.set_defaults(func=_cmd_plot)

    fg = sub.add_parser("figure", help="the guide's figure for a layer, as TikZ (or PNG/SVG)")
    fg.add_argument("layer", help="conv, convt or pool")
    fg.add_argument("assignments", nargs="*", metavar="NAME=VALUE", help="i k s p (d a)")
    fg.add_argument("--d", type=int, help="dilation")
    fg.add_argument("--transposed", action="store_true", help="a transposed convolution")
    fg.add_argument("--pool", action="store_true", help="pooling")
    fg.add_argument("--dims", type=int, default=2, choices=[1, 2], help="1-d or 2-d (default)")
    fg.add_argument("--frames", action="store_true", help="one page per kernel position")
    fg.add_argument("--fragment", action="store_true",
                    help="an \\input-able figure environment instead of a standalone document")
    fg.add_argument("--out", metavar="FILE", help=".tex, .tikz (fragment), .png, .svg or .pdf")
    fg.set_defaults(func=_cmd_figure)

    for name, command in sub.choices.items():
        # the fixed work of symconv's own proofs, derivations and documents gets a longer
        # default than a search over user input
        default = FIXED_WORK_TIMEOUT if name in ("prove", "derive", "latex", "figure") else DEFAULT_TIMEOUT
        command.add_argument("--json", action="store_true",
                             help=f"print one JSON document (symconv/schemas/{name}.json)")
        command.add_argument("--timeout", type=_seconds, default=default, metavar="SECONDS",
                             help=f"stop and answer undecided after SECONDS (default {default:g})")

    rp = sub.add_parser("repl", help="an interactive session with symconv loaded")
    rp.add_argument("--plain", action="store_true", help="Python's console even if IPython is there")
    rp.set_defaults(func=_cmd_repl)
    return ap


def _whole(flag: str, least: int, what: str = "") -> Callable[[str], int]:
    """A flag's whole number, ``least`` or more: ``--limit`` 0 or more (a negative one would
    drop answers), a size 1 or more (a size 0 or below names none)."""
    def read(text: str) -> int:
        # ASCII digits, as a size given as i= (int() also takes '٥', '５' and '1_0')
        value = int(text) if re.fullmatch(r"-?[0-9]+", text.strip()) else least - 1
        if value < least:
            raise argparse.ArgumentTypeError(f"{flag} takes {what}a whole number >= {least}, "
                                             f"got {text!r}")
        return value
    return read


def _size(flag: str) -> Callable[[str], int]:
    """A flag that takes a size: a whole number, 1 or more."""
    return _whole(flag, 1, "a size, ")


def _sizes(flag: str) -> Callable[[str], int | tuple[int, ...]]:
    """A flag that takes a size, or one per axis (``7,5``)."""
    one = _size(flag)

    def read(text: str) -> int | tuple[int, ...]:
        parts = text.split(",")
        return one(text) if len(parts) == 1 else tuple(one(x.strip()) for x in parts)
    return read


_count = _whole("--limit", 0)


def _label(text: str) -> str:
    """``--label``: a LaTeX label, of the characters \\label and \\ref read as written."""
    if not re.fullmatch(r"[A-Za-z0-9:._/+-]{1,80}", text):
        raise argparse.ArgumentTypeError(f"--label takes letters, digits and : . _ / + - "
                                         f"(tab:resnet-stem), got {text[:40]!r}")
    return text


def _label_of(args: argparse.Namespace, default: str) -> str:
    """The label of the LaTeX table this command writes: ``--label``, else ``default``
    (completed from the table's content); the label is then said to be used."""
    args.label_used = True
    return str(args.label or default)


def _seconds(text: str) -> float:
    try:        # ASCII digits (float() also takes '５' and '1_0')
        value = float(text) if re.fullmatch(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?",
                                            text.strip()) else float("nan")
    except ValueError:
        value = float("nan")
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"--timeout takes seconds in (0, 86400], got {text!r}")
    return value


def _swallows(frame: Any) -> bool:
    """Whether ``frame`` is a finalizer (``__del__``) or a weakref callback (weakref.py's
    ``KeyedRef.remove``, ...): Python prints an exception raised there as "Exception
    ignored in ..." and drops it."""
    return frame.f_code.co_name == "__del__" or frame.f_code.co_filename.endswith("weakref.py")


def _on_alarm(signum: int, frame: Any) -> None:
    """The ``--timeout`` deadline: raised where the running code will see it; inside a
    finalizer or a weakref callback (whose exceptions Python prints and drops, and the
    work goes on past the deadline) or while the interpreter shuts down, tried again a
    moment later."""
    if sys.is_finalizing():
        return
    while frame is not None:
        if _swallows(frame):
            signal.setitimer(signal.ITIMER_REAL, 0.005)
            return
        frame = frame.f_back
    raise _Deadline()


def _before_the_clock(load: Any, seconds: float) -> Any:
    """Run ``load`` (the user's own code: importing a module, building a model) with the
    ``--timeout`` clock stopped, then start it afresh: the timeout bounds symconv's work."""
    if not hasattr(signal, "setitimer"):
        return load()
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    if not left:                # no clock running (a thread, or no alarm)
        return load()
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        return load()
    finally:
        signal.setitimer(signal.ITIMER_REAL, seconds)


def _run(args: argparse.Namespace) -> int:
    """Run one command under its ``--timeout`` and print its outcome; ``repl``, an
    interactive session with no one answer to time, has no clock (its calls keep the
    API's own bounds)."""
    timeout: float | None = getattr(args, "timeout", None)
    use_alarm = timeout is not None and hasattr(signal, "setitimer") and \
        __import__("threading").current_thread() is __import__("threading").main_thread()
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, float(timeout or 0))
    # a design search takes the command's --timeout, not the API's 5 s
    token = SEARCH_SECONDS.set(float(timeout)) if timeout is not None else None
    try:
        outcome = args.func(args)
    finally:
        if token is not None:
            SEARCH_SECONDS.reset(token)
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if isinstance(outcome, int):      # repl
        return outcome
    if getattr(args, "label", None) and not getattr(args, "label_used", False):
        # a label no table took would be dropped without a word
        raise UsageError("--label names the LaTeX table this command writes (with --latex: a "
                         "design space, or net with i=N): " + (
                             "this one writes no table: drop --label" if args.latex else
                             "add --latex, or drop --label"))
    if args.json:
        from ._json import jsonable  # sympy forms: imported only for JSON output
        shown = json.dumps(jsonable(outcome.data)) + "\n"
    else:
        shown = outcome.text + "\n" if outcome.text else ""
    _ANSWER.started = True      # an interruption from here on adds no document after it
    try:
        sys.stdout.write(shown)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader is gone (`symconv list | head`): what it read stands, and the status
        # is the answer's (a false claim stays 1 to a pipeline's pipefail)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return outcome.code
    except OSError as exc:          # a full disk, a closed file: the answer is lost
        raise _Unwritten(exc.strerror or str(exc)) from None
    return outcome.code


class _Unwritten(Exception):
    """The answer could not be written to standard output."""


class _ANSWER:  # noqa: N801 - a namespace of one flag
    """Whether this run's answer has begun to go to standard output: a Ctrl-C while a slow
    reader holds its write then says so on stderr only (one JSON document on stdout)."""

    started = False


_ASSIGNMENT = re.compile(r"[A-Za-z_][\w']*=[^\s=]+")
"""One ``NAME=VALUE`` word (a network or a claim, which hold spaces, are not one)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 1, 2, 3 or 4: see the module)."""
    argv = [_utf8(a) for a in (sys.argv[1:] if argv is None else argv)]
    as_json = json_asked(argv)
    _ANSWER.started = False
    # answers from inputs of up to 4 000 digits can pass Python's 4 300-digit print
    # limit (o = s (i - 1) + ..., a product); past this one the answer is refused
    sys.set_int_max_str_digits(max(sys.get_int_max_str_digits(), ANSWER_DIGITS))
    if sys.stdout is None:      # closed (>&-): no answer can be given
        if sys.stderr is not None:
            print("symconv: standard output is closed: nothing to answer on", file=sys.stderr)
        return EXIT_USAGE
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115      # the answer still goes out
    for stream in (sys.stdout, sys.stderr):
        # a terminal that cannot show ≡ or × still gets every answer, escaped (\u2261);
        # surrogateescape (a C locale) fails on them as strict does
        if hasattr(stream, "reconfigure") and getattr(stream, "errors", "") in (
                "strict", "surrogateescape", "surrogatepass"):
            stream.reconfigure(errors="backslashreplace")
    if "--version" in argv[:argv.index("--") if "--" in argv else len(argv)]:
        if sorted(argv) not in (["--version"], ["--json", "--version"]):
            # argparse prints the version and drops the rest (--version list, --json twice)
            line = "--version takes nothing else but --json: give it alone"
            print(f"symconv: {line}", file=sys.stderr)
            if as_json:
                _emit(_error_document("UsageError", line))
            return EXIT_USAGE
        if as_json:
            print(json.dumps({"version": __version__}))     # the version, as a document
            return 0
    try:
        ap = _parser()
        args, rest = ap.parse_known_args(argv)
        rest = [t for t in rest if t != "--"]   # the end of the options, as POSIX reads it
        if rest:        # NAME=VALUE after a flag (argparse stops the positionals there)
            if getattr(args, "assignments", None) is None or not all(
                    _ASSIGNMENT.fullmatch(t) for t in rest):
                ap.error(f"unrecognized arguments: {' '.join(rest)}")
            args.assignments = [*args.assignments, *rest]
        if not getattr(args, "command", None):     # a usage error, as argparse's own
            names = ", ".join(sorted(str(c) for a in ap._actions
                                     if isinstance(a, argparse._SubParsersAction)
                                     for c in a.choices))
            print(f"symconv: a command is required ({names}) (symconv --help shows the usage)",
                  file=sys.stderr)
            return EXIT_USAGE
        if getattr(args, "json", False) and getattr(args, "latex", False) and \
                not getattr(args, "explain", False):
            # two forms of one answer; only an explanation is text or LaTeX in the document
            raise UsageError("--latex with --json: two forms of the answer (the document "
                             "gives its formulas' LaTeX in \"latex\" fields where it has "
                             "formulas); give one of them")
        return _run(args)
    except UndecidedError as exc:  # a question symconv does not answer: not bad input
        print(f"symconv: undecided: {exc}", file=sys.stderr)
        if as_json:
            _emit(_error_document("undecided", f"undecided: {exc}", getattr(exc, "value", None),
                                  getattr(exc, "hint", None)))
        return EXIT_UNDECIDED
    except SymconvError as exc:
        print(f"symconv: {exc}", file=sys.stderr)
        if as_json:
            _emit(_error_document(type(exc).__name__, str(exc), getattr(exc, "value", None),
                                  getattr(exc, "hint", None)))
        return EXIT_USAGE
    except BrokenPipeError:  # `symconv list | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except _Unwritten as exc:       # nothing more can go to stdout (no JSON either)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        print(f"symconv: the answer could not be written to standard output ({exc})",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:       # Ctrl-C: one line (and the JSON document), no traceback
        return interrupted(as_json and not _ANSWER.started)
    except (_Deadline, BudgetExhausted) as exc:
        timeout = getattr(locals().get("args"), "timeout", DEFAULT_TIMEOUT)
        reason = exc.reason if isinstance(exc, BudgetExhausted) else \
            f"stopped by the {timeout:g} s timeout"
        print(f"symconv: undecided: {reason} (raise --timeout to search further)", file=sys.stderr)
        if as_json:
            _emit(_error_document("undecided", f"undecided: {reason}", timeout,
                                  "raise --timeout to search further"))
        return EXIT_UNDECIDED
    except ValueError as exc:
        if not str(exc).startswith("Exceeds the limit"):
            return _internal(exc, as_json)
        line = (f"the answer has more than {sys.get_int_max_str_digits()} digits: not printed "
                "(give smaller sizes)")
        print(f"symconv: {line}", file=sys.stderr)
        if as_json:
            _emit(_error_document("UsageError", line))
        return EXIT_USAGE
    except RecursionError:
        print("symconv: input nested too deeply", file=sys.stderr)
        if as_json:
            _emit(_error_document("UsageError", "input nested too deeply"))
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line, never a traceback
        return _internal(exc, as_json)


def _emit(document: str) -> None:
    """Print an error's JSON document; where standard output takes nothing more say so
    in one line on stderr (a full disk), or nothing (a reader gone, as an answer to one
    is), never with a traceback; the exit status stays the error's."""
    try:
        print(document)
        sys.stdout.flush()
    except OSError as exc:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115     # nothing more goes there
        if not isinstance(exc, BrokenPipeError):
            print("symconv: the error document could not be written to standard output "
                  f"({exc.strerror or exc})", file=sys.stderr)


def _internal(exc: BaseException, as_json: bool) -> int:
    """A bug: one line (and the JSON document), exit 3, never a traceback."""
    msg = " ".join(str(exc).split())
    line = f"internal error ({type(exc).__name__}: {msg}); please report"
    print(f"symconv: {line}", file=sys.stderr)
    if as_json:
        _emit(_error_document("internal", line))
    return EXIT_INTERNAL
