"""The ``symconv`` command.

::

    symconv list
    symconv solve RELATION NAME=VALUE ... [--for NAME] [--ceil-mode] [--json]
    symconv latex RELATION|all [--document]
    symconv pad FRAMEWORK MODE NAME=VALUE ... [--transpose] [--json]
    symconv prove NAME|all [--latex]
    symconv check CLAIM [--json] [--limit N]
    symconv derive [NAME|--all] [--out DIR] [--dir DERIVATIONS]
    symconv plot LAYER|NETWORK [NAME=VALUE ...] [--kind staircase|taps] --out FILE
    symconv figure conv|convt|pool i=N k=N [s=N p=N] [--d N] [--transposed a=N] [--pool]
                   [--dims 1|2] [--frames] [--fragment] [--out FILE]
    symconv repl [--plain]
    symconv net "conv k=7 s=2 p=3 | pool k=3 s=2 p=1 | ..." [i=N] [--json] [--latex]
                [--expr] [--inputs-for O] [--smallest] [--align A=B,...] [--nearest N]
                [--solve LAYER:NAME o=O]

Exit status: 0 answered (also "no solution"), 1 a claim checked false,
2 bad input or usage (one line on stderr), 3 an internal error (one line; a bug).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from ._values import parse_value
from .errors import SymconvError, UsageError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
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
            raise UsageError(f"{name} given twice")
        try:
            out[name] = parse_value(value)
        except SymconvError as exc:
            raise type(exc)(f"{name}: {exc}") from None
    return out


def _cmd_list(args: argparse.Namespace) -> int:
    from .relations import RELATIONS
    width = max(len(n) for n in RELATIONS)
    for name, rel in RELATIONS.items():
        print(f"{name:<{width}}  {rel}    [{rel.title}]")
    return 0


def _print_solution(sol: Any, prefix: str = "") -> None:
    print(f"{prefix}{sol}")
    if sol.kind == "range" and sol.bounded:
        print(f"{prefix}  ({sol.size} values)")
    if sol.reason:
        print(f"{prefix}  reason: {sol.reason}")
    if sol.note:
        print(f"{prefix}  note: {sol.note}")


def _cmd_solve(args: argparse.Namespace) -> int:
    from ._numeric import solve  # integer questions are answered without importing sympy
    from .solution import AxisSolutions
    given = _assignments(args.assignments)
    ceil_mode = bool(given.pop("ceil_mode", False)) or args.ceil_mode
    if args.unknown and "," in args.unknown:
        return _design(args, lambda bounds: solve(args.relation, args.unknown, bounds=bounds,
                                                  **given))
    if args.bounds or args.prefer or args.limit is not None:
        raise UsageError("--bounds, --prefer and --limit go with several unknowns (--for k,s,p)")
    sol = solve(args.relation, args.unknown, ceil_mode=ceil_mode, **given)
    if args.explain:
        sols = list(sol) if isinstance(sol, AxisSolutions) else [sol]
        for n, one in enumerate(sols):
            if len(sols) > 1:
                print(f"axis {n}:")
            text = one.explain(latex=args.latex)
            print("\\begin{align*}\n" + text + "\n\\end{align*}" if args.latex else text)
        return 0
    if args.latex:
        from .paper import solution
        sols = list(sol) if isinstance(sol, AxisSolutions) else [sol]
        print("\n".join(solution(one) for one in sols))
        return 0
    if args.json:
        print(json.dumps(sol.to_dict()))
    elif isinstance(sol, AxisSolutions):
        for n, one in enumerate(sol):
            _print_solution(one, f"axis {n}: ")
    else:
        _print_solution(sol)
    return 0


def _parse_bounds(text: str | None) -> dict[str, Any]:
    """``k<=7,p<=3,s=1..4`` -> {"k": 7, "p": 3, "s": (1, 4)}."""
    out: dict[str, Any] = {}
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        if "<=" in item:
            name, _, hi = item.partition("<=")
            if not hi.strip().isdigit():
                raise UsageError(f"--bounds: {item!r} needs an integer after <=")
            out[name.strip()] = int(hi)
        elif "=" in item and ".." in item:
            name, _, rng = item.partition("=")
            lo, _, hi = rng.partition("..")
            if not (lo.strip().isdigit() and hi.strip().isdigit()):
                raise UsageError(f"--bounds: {item!r} needs LO..HI integers")
            out[name.strip()] = (int(lo), int(hi))
        else:
            raise UsageError(f"--bounds takes NAME<=MAX or NAME=LO..HI, got {item!r}")
    return out


def _design(args: argparse.Namespace, run: Any) -> int:
    prefer = [x.strip() for x in (args.prefer or "").split(",") if x.strip()]
    space = run(_parse_bounds(args.bounds))
    if args.json:
        print(json.dumps(space.to_dict(args.limit, prefer)))
    else:
        print(space.text(args.limit if args.limit is not None else 20, prefer))
    return 0


def _cmd_latex(args: argparse.Namespace) -> int:
    from .printing import latex
    from .relations import RELATIONS, relation
    if args.document:
        from .document import document
        sys.stdout.write(document(None if args.relation == "all" else [args.relation],
                                  notation=args.symbols))
        return 0
    from .paper import Notation, equation, relation_table
    notation = Notation.parse(args.symbols)
    rels = list(RELATIONS.values()) if args.relation == "all" else [relation(args.relation)]
    if notation.names:
        print(notation.preamble())
    if args.table:
        print(relation_table([r.name for r in rels], notation=notation))
    elif args.relation == "all" or args.equation:
        print("\n\n".join(equation(r, width=args.width, numbered=not args.unnumbered,
                                    notation=notation) for r in rels))
    else:
        for rel in rels:
            print(notation.latex(rel.equation) if notation.names else latex(rel))
    return 0


def _cmd_pad(args: argparse.Namespace) -> int:
    from .frameworks import preset
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
    if args.latex:
        from .paper import values_equation
        print(values_equation({"p_l": res.p_l, "p_r": res.p_r, "o": res.o}
                              | ({"a": res.a} if res.a is not None else {})))
    elif args.json:
        print(json.dumps({"framework": res.framework, "padding": res.padding, "p_l": res.p_l,
                          "p_r": res.p_r, "total": res.total, "o": res.o, "a": res.a}))
    else:
        print(res.explain())
    return 0


def _cmd_prove(args: argparse.Namespace) -> int:
    from .proofs import PROOFS, prove
    names = list(PROOFS) if args.name == "all" else [args.name]
    ok = True
    for name in names:
        pr = prove(name)
        ok = ok and pr.holds
        if args.latex:
            print(pr.latex(width=args.width, env=args.env, proof_env=args.proof,
                           notation=args.symbols))
        else:
            print(pr.text())
    return 0 if ok else 1


def _cmd_check(args: argparse.Namespace) -> int:
    from .claims import check
    verdict = check(args.claim, limit=args.limit)
    if args.json:
        print(json.dumps(verdict.to_dict()))
    elif args.latex:
        from .paper import verdict_latex
        print(verdict_latex(verdict))
    else:
        print(verdict.text())
    return 1 if verdict.holds is False else 0


def _cmd_derive(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .derivation import find_derivations, load
    from .document import document
    folder = find_derivations(Path(args.dir) if args.dir else None)
    found = load(folder)
    if args.all or args.name is None:
        chosen = list(found.values())
    elif args.name in found:
        chosen = [found[args.name]]
    else:
        raise UsageError(f"no derivation {args.name!r} in {folder}; known: {', '.join(found)}")
    results = [d.run() for d in chosen]
    for res in results:
        print(res.text())
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for res in results:
            (out / f"{res.derivation.name}.tex").write_text(res.latex())
        (out / "derivations.tex").write_text(document(
            names=[], proofs=[], extra=[r.latex() for r in results], title="Derivations"))
        print(f"wrote {len(results)} derivations and derivations.tex to {out}")
    return 0 if all(r.holds for r in results) else 1


def _cmd_net(args: argparse.Namespace) -> int:
    from .chain import Chain
    from .printing import latex, sstr
    given = _assignments(args.assignments)
    if "?" in args.network:
        from .design import chain_design, parse_chain_spec
        if not isinstance(given.get("i"), int) or not isinstance(given.get("o"), int):
            raise UsageError("a network with unknowns (?) needs i=N and o=N")
        layers = parse_chain_spec(args.network)
        return _design(args, lambda bounds: chain_design(layers, given["i"], given["o"], bounds))
    net = Chain.parse(args.network)
    unknown_keys = sorted(set(given) - {"i", "o"})
    if unknown_keys:
        raise UsageError(f"net takes i=N (and o=N with --solve), not {', '.join(unknown_keys)}")
    i = given.get("i")
    if i is not None and (isinstance(i, bool) or not isinstance(i, int)):
        raise UsageError("net takes one integer input size i=N")
    did = False
    if args.expr:
        print(f"o = {latex(net.output_expr())}" if args.latex else f"o = {sstr(net.output_expr())}")
        if args.explain:
            print(net.explain_output(latex=args.latex))
        did = True
    if args.smallest:
        print(f"smallest input: {net.smallest_input()}")
        did = True
    if args.inputs_for is not None:
        got = net.inputs_for(args.inputs_for)
        print(f"inputs for output {args.inputs_for}: " +
              (f"{got[0]} <= i <= {got[1]}" if got else "none"))
        did = True
    if args.align:
        pairs = []
        for item in args.align.split(","):
            a_, eq, b_ = item.partition("=")
            if not eq:
                raise UsageError(f"--align takes tap pairs A=B, got {item!r}")
            pairs.append((a_.strip(), b_.strip()))
        al = net.align(pairs)
        print(f"aligned: {al.text()}")
        if args.nearest is not None:
            print(f"nearest to {args.nearest}: {al.nearest(args.nearest)}")
        did = True
    if args.solve:
        where, _, name = args.solve.partition(":")
        if not where.isdigit() or not name or i is None or "o" not in given:
            raise UsageError("--solve takes LAYER:NAME (1-based layer) with i=N and o=N")
        values, unbounded = net.solve_layer(int(where), name, i, given["o"])
        shown = ", ".join(map(str, values)) + (f", and every value >= {unbounded}" if unbounded else "")
        print(f"layer {where} {name}: {{{shown}}}" if values or unbounded else
              f"layer {where} {name}: no value gives output {given['o']}")
        did = True
    if i is not None and not did or (i is not None and (args.json or args.latex) and not args.expr):
        if args.json:
            print(json.dumps(net.table_json(i)))
        elif args.latex:
            from .paper import network_table
            print(network_table(net.table_json(i)["layers"],
                                caption=f"Per-layer sizes for input size {i}."))
        else:
            print(net.table_text(i))
        did = True
    if not did:
        raise UsageError("net needs i=N for a table, or --expr, --smallest, --inputs-for, --align")
    return 0


def _cmd_plot(args: argparse.Namespace) -> int:
    from .plotting import plot
    given = _assignments(args.assignments)
    if args.range:
        lo, _, hi = args.range.partition(":")
        if not (lo.isdigit() and hi.isdigit()):
            raise UsageError(f"--range takes LO:HI, got {args.range!r}")
        i_range = (int(lo), int(hi))
    else:
        i_range = (1, 64)
    path = plot(args.target, args.out, kind=args.kind, i=args.i, i_range=i_range, **given)
    print(f"wrote {path}")
    return 0


def _cmd_figure(args: argparse.Namespace) -> int:
    from .figures import figure
    given = _assignments(args.assignments)
    unknown = sorted(set(given) - {"i", "k", "s", "p", "d", "a"})
    if unknown:
        raise UsageError(f"figure takes i, k, s, p, d, a, not {', '.join(unknown)}")
    if args.d is not None:
        if "d" in given:
            raise UsageError("d given twice (d=... and --d)")
        given["d"] = args.d
    if "i" not in given or "k" not in given:
        raise UsageError("figure needs at least i=... and k=... (for example i=5 k=3 s=2 p=1)")
    fig = figure(args.layer, transposed=args.transposed, pool=args.pool, dims=args.dims, **given)
    if args.out:
        path = fig.save(args.out, frames=args.frames)
        print(f"wrote {path} ({fig.o} output cells per axis, {len(fig.positions)} kernel positions)")
    else:
        sys.stdout.write(fig.tikz(standalone=not args.fragment or args.frames, frames=args.frames))
    return 0


def _cmd_repl(args: argparse.Namespace) -> int:
    from .repl import run
    return run(["--plain"] if args.plain else [])


def _paper_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--symbols", metavar="W_in,W_out,K,S,P",
                        help="the paper's names for i,o,k,s,p,d,a (\\newcommand macros)")
    parser.add_argument("--width", default="column", choices=["column", "text"],
                        help="break lines for a 3.3 in column (default) or a 6.5 in text")


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="symconv", description="Exact convolution arithmetic: solve, prove, LaTeX.")
    sub = ap.add_subparsers(dest="command", parser_class=_Parser)
    sub.add_parser("list", help="list the relations").set_defaults(func=_cmd_list)

    sp = sub.add_parser("solve", help="solve a relation for one unknown")
    sp.add_argument("relation")
    sp.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    sp.add_argument("--for", dest="unknown", metavar="NAME")
    sp.add_argument("--ceil-mode", action="store_true", help="pooling in ceil mode")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--explain", action="store_true", help="show how the answer was derived")
    sp.add_argument("--bounds", metavar="k<=7,p<=3", help="with --for a,b,...: bounds")
    sp.add_argument("--prefer", metavar="odd,symmetric,no_waste,small", help="ranking rules")
    sp.add_argument("--limit", type=int, metavar="N", help="show at most N combinations")
    sp.add_argument("--latex", action="store_true", help="the answer (or with --explain the "
                    "derivation) as LaTeX")
    sp.set_defaults(func=_cmd_solve)

    lp = sub.add_parser("latex", help="print a relation (or all) as LaTeX")
    lp.add_argument("relation")
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
    pp.add_argument("--json", action="store_true")
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
    ck.add_argument("--json", action="store_true")
    ck.add_argument("--latex", action="store_true", help="the verdict (and proof) as LaTeX")
    ck.add_argument("--limit", type=int, default=50_000,
                    help="configurations the counterexample search may try")
    ck.set_defaults(func=_cmd_check)

    dv = sub.add_parser("derive", help="run the worked derivations in derivations/")
    dv.add_argument("name", nargs="?")
    dv.add_argument("--all", action="store_true")
    dv.add_argument("--out", metavar="DIR", help="write each derivation's LaTeX and a document")
    dv.add_argument("--dir", metavar="DERIVATIONS", help="the derivations folder")
    dv.set_defaults(func=_cmd_derive)

    nt = sub.add_parser("net", help="a chain of layers: sizes, inverse problems, receptive fields")
    nt.add_argument("network", help='layers separated by "|", e.g. "conv k=3 p=1 | pool k=2 s=2"')
    nt.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    nt.add_argument("--json", action="store_true")
    nt.add_argument("--latex", action="store_true")
    nt.add_argument("--expr", action="store_true", help="the output size as a formula in i")
    nt.add_argument("--explain", action="store_true", help="with --expr: which floors merged")
    nt.add_argument("--smallest", action="store_true", help="the smallest accepted input")
    nt.add_argument("--inputs-for", type=int, metavar="O", help="all inputs giving output O")
    nt.add_argument("--align", metavar="A=B,...", help="inputs where named taps are equal")
    nt.add_argument("--nearest", type=int, metavar="N", help="with --align: nearest aligned size")
    nt.add_argument("--solve", metavar="LAYER:NAME", help="a hyperparameter of one layer, given i and o")
    nt.add_argument("--bounds", metavar="k<=7,p<=3", help="bounds for unknowns marked ?")
    nt.add_argument("--prefer", metavar="odd,small", help="ranking rules for unknowns marked ?")
    nt.add_argument("--limit", type=int, metavar="N", help="show at most N combinations")
    nt.set_defaults(func=_cmd_net)

    pl = sub.add_parser("plot", help="draw a layer's staircase or taps, or a chain's staircase")
    pl.add_argument("target", help='a layer kind (conv, convt, pool) or a network "a | b | c"')
    pl.add_argument("assignments", nargs="*", metavar="NAME=VALUE", help="the layer's k s p d a")
    pl.add_argument("--kind", default="staircase", choices=["staircase", "taps"])
    pl.add_argument("--i", type=int, default=7, help="input size for --kind taps")
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

    rp = sub.add_parser("repl", help="an interactive session with symconv loaded")
    rp.add_argument("--plain", action="store_true", help="Python's console even if IPython is there")
    rp.set_defaults(func=_cmd_repl)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        ap = _parser()
        args = ap.parse_args(argv)
        if not getattr(args, "command", None):
            ap.print_help()
            return 0
        return int(args.func(args))
    except SymconvError as exc:
        print(f"symconv: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `symconv list | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except RecursionError:
        print("symconv: input nested too deeply", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line, never a traceback
        msg = " ".join(str(exc).split())
        print(f"symconv: internal error ({type(exc).__name__}: {msg}); please report",
              file=sys.stderr)
        return 3
