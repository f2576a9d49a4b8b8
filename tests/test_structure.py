"""Structure: one vocabulary, rules read from their relations, an import graph without cycles."""

from __future__ import annotations

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
