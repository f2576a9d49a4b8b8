"""Structure: one vocabulary, rules read from their relations, an import graph without cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from symconv import symbols
from symconv.chain import Chain, Layer
from symconv.design import parse_chain_spec
from symconv.frameworks import preset, split_extra_at_end
from symconv.relations import RULES, relation
from symconv.vocabulary import LAYER_KINDS, RELATION_ALIASES


@pytest.mark.parametrize("alias", sorted(set(LAYER_KINDS) & set(RELATION_ALIASES)))
def test_a_layer_kind_names_the_same_relation_in_solve(alias: str) -> None:
    assert relation(alias).name == LAYER_KINDS[alias]


def test_pytorch_argument_names_mean_the_same_in_a_network_line() -> None:
    a = Chain.parse("convt kernel_size=3 stride=2 padding=1 output_padding=1 | "
                    "conv kernel=3 dilation=2 groups=1 in_channels=4 out_channels=8")
    b = Chain.parse("conv_transpose k=3 s=2 p=1 a=1 | conv k=3 d=2 g=1 in=4 out=8")
    assert a == b


def test_pooling_stride_defaults_to_its_kernel_in_net_and_design() -> None:
    assert Chain.parse("maxpool k=3").layers[0].s == 3
    assert parse_chain_spec("pool k=3 p=0")[0]["s"] == 3
    assert parse_chain_spec("conv k=3 s=? p=1 | maxpool k=2 p=0")[1] == {
        "kind": "pool", "k": 2, "p": 0, "s": 2}


@pytest.mark.parametrize("total", range(0, 12))
def test_the_padding_split_is_floor_then_the_rest(total: int) -> None:
    before, after = split_extra_at_end(total)
    assert (before, after) == (total // 2, total - total // 2)


@pytest.mark.parametrize(("i", "f"), [(1, 1), (7, 2), (13, 3)])
def test_upsampling_reads_its_relation(i: int, f: int) -> None:
    layer = Layer("upsample", factor=f)
    assert layer.output(i) == i * f == int(RULES["upsample"].rhs.subs({symbols.i: i, symbols.f: f}))


@pytest.mark.parametrize(("i", "k", "s"), [(10, 3, 2), (11, 4, 3), (5, 7, 2)])
def test_onnx_transposed_same_gives_i_times_s(i: int, k: int, s: int) -> None:
    assert preset("onnx", "SAME_UPPER", "conv_transpose").apply(i=i, k=k, s=s).o == i * s


# --- the import graph --------------------------------------------------------------

_PACKAGE = Path(symbols.__file__).resolve().parent
_LAZY = {"cli", "repl", "__init__", "_entry",  # entry points: import on first use, for start-up
         "_numeric", "solution", "_values",   # the numeric path: sympy only when asked for
         "presets", "chain", "_json", "design",
         "_affine",                           # the chains' normal form: _exact reads sympy
         "_gate"}                             # the input gate: sympy's nodes only when read
_LAZY_TARGETS = {"parsing", "plotting", "torch_import"}   # latex2sympy2, matplotlib, torch


def _imports() -> dict[str, dict[str, bool]]:
    """Module -> {symconv module it imports: True when at module level}."""
    graph: dict[str, dict[str, bool]] = {}
    for path in _PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        edges: dict[str, bool] = {}
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                targets = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                for t in targets:
                    edges[t] = edges.get(t, False) or id(node) in top
        graph[path.stem] = edges
    return graph


def test_module_level_imports_have_no_cycle() -> None:
    graph = {m: {t for t, top in e.items() if top} for m, e in _imports().items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            assert state.get(t) != 1, f"import cycle: {' -> '.join(path + [t])}"
            if t not in state:
                visit(t, path + [t])
        state[m] = 2
    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def test_in_function_imports_are_only_the_lazy_ones() -> None:
    inner = {(m, t) for m, e in _imports().items() for t, top in e.items()
             if not top and m not in _LAZY and t not in _LAZY_TARGETS}
    # solving.__getattr__ keeps the old names solving.solve/solve_one (now in query);
    # proofs reads the receptive-field recurrences only when that proof is asked for
    assert inner == {("solving", "query"), ("proofs", "receptive")}


def test_in_and_out_name_the_channels_in_solve_as_in_net(capsys: pytest.CaptureFixture[str]) -> None:
    from symconv.cli import main
    assert main(["solve", "params", "in=32", "out=32", "k=3", "n=2"]) == 0
    assert capsys.readouterr().out == ("P = 9248\n  assumed: g = 1, b = 1 (PyTorch's defaults; give "
                                       "them to change)\n")
    assert symbols.canonical("in") == symbols.F_i and symbols.canonical("out") == symbols.F_o


def test_pooling_stride_defaults_to_its_kernel_in_solve_and_says_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    from symconv.cli import main
    assert main(["solve", "pool", "i=5", "k=2", "p=0"]) == 0
    assert capsys.readouterr().out == (
        "o = 2\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n"
        "  note: s = k = 2 (s not given: it defaults to k in pool, as PyTorch's "
        "stride=None; give s= to change it)\n")
    assert main(["solve", "pool", "i=5", "k=2", "p=0", "--ceil-mode"]) == 0
    assert capsys.readouterr().out.startswith("o = 3\n")     # PyTorch 2.13: ceil mode gives 3
    assert main(["solve", "pool", "i=5", "k=2", "o=2", "p=0", "--for", "s"]) == 0
    assert capsys.readouterr().out == "s in {2, 3}\n  assumed: d = 1 (PyTorch's defaults; give them to change)\n"  # asked for: not defaulted


def test_a_design_space_reads_aliases_and_names_what_is_missing() -> None:
    import symconv as sc
    from symconv.errors import UnknownNameError, UsageError
    by_alias = sc.solve("conv", ("k", "s", "p"), input=224, output=56, bounds={"k": 7})
    by_name = sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds={"k": 7})
    assert by_alias.count == by_name.count == 104
    with pytest.raises(UsageError, match=r"^a design space of 'conv' over d, k, p needs o, s too: "
                                         r"give o=, s= or add them to --for$"):
        sc.solve("conv", ("d", "kernel_size", "p"), input=95)
    with pytest.raises(UsageError, match=r"\(s does not default to k here\)$"):
        sc.solve("pool", ("k", "p"), i=95, o=3)
    with pytest.raises(UsageError, match="k is both given and asked for"):
        sc.solve("conv", ("k", "p"), i=95, o=3, k=3)
    with pytest.raises(UsageError, match="i given twice"):
        sc.solve("conv", ("k", "p"), i=95, input=95, o=3, s=1)
    with pytest.raises(UnknownNameError, match="unknown variable name 'zz'"):
        sc.solve("conv", ("k", "p"), i=95, o=3, s=1, zz=1)
    with pytest.raises(UnknownNameError, match="relation 'conv' has no variable 'F_i'"):
        sc.solve("conv", ("k", "p"), i=95, o=3, s=1, in_channels=1)
