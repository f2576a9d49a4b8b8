"""Chains composed in the integer normal form: equal to layer-by-layer evaluation, any depth."""

from __future__ import annotations

import random

import pytest
import sympy

from symconv._affine import IDENTITY, build, build_direct, read, then_affine, then_floor
from symconv._exact import compile_expr
from symconv.chain import Chain, Layer
from symconv.printing import sstr


def _random_chain(rng: random.Random, depth: int, kinds: tuple[str, ...],
                  ceil: float = 0.3) -> Chain:
    layers = []
    for n in range(depth):
        kind = rng.choice(kinds)
        k, s, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 2)
        if kind == "conv":
            layers.append(Layer("conv", k=k, s=s, p=rng.randint(0, 3), d=d, name=str(n)))
        elif kind == "pool":
            layers.append(Layer("pool", k=k, s=s, p=rng.randint(0, k // 2), d=d,
                                ceil_mode=rng.random() < ceil, name=str(n)))
        elif kind == "conv_transpose":
            layers.append(Layer("conv_transpose", k=k, s=s, p=rng.randint(0, 2), d=d,
                                a=rng.randint(0, max(s, d) - 1), name=str(n)))
        else:
            layers.append(Layer("upsample", factor=rng.randint(2, 3), name=str(n)))
    return Chain(tuple(layers), ndim=1)


@pytest.mark.parametrize("seed", range(12))
def test_normal_form_equals_layer_by_layer(seed: int) -> None:
    rng = random.Random(seed)
    chain = _random_chain(rng, rng.randint(2, 14), ("conv", "pool", "conv_transpose", "upsample"))
    expr = chain.output_expr()
    f = compile_expr(expr)
    checked = 0
    for i in range(1, 400):
        if chain.accepts(i):
            assert f({"i": i}) == chain.output(i), (seed, i, sstr(expr))
            checked += 1
    assert checked > 0 or not chain.accepts(10**6)


def test_stages_by_hand() -> None:
    # upsample x2, then a stride-3 convolution: one stage floor((2y + b)/3), no nesting
    stages = [IDENTITY]
    then_affine(stages, 2, 0)
    then_floor(stages, 1, -2, 3, 1)
    assert stages == [(2, -2, 3, 1, 1)]
    y = sympy.Symbol("y", integer=True)
    assert sstr(build(stages, y)) == "floor((2*y - 2)/3) + 1"
    # a transposed stride 2 after a stride-4 floor: the floors stay, as few as possible
    stages = [IDENTITY]
    then_floor(stages, 1, 0, 4, 0)
    then_affine(stages, 2, 0)
    then_floor(stages, 1, 0, 3, 0)
    assert stages == [(1, 0, 4, 1, 0), (2, 0, 3, 1, 0)]


def test_deep_chains_collapse_and_never_recurse() -> None:
    net = Chain(tuple(Layer("conv", k=3, s=1 + n % 2, p=1) for n in range(10_000)), ndim=1)
    expr = net.output_expr()
    assert expr.count(sympy.floor) == 1           # one stage, however deep
    rng = random.Random(7)
    deep = _random_chain(rng, 1000, ("conv", "pool", "conv_transpose"), ceil=0)
    e = deep.output_expr()                          # no RecursionError
    f = compile_expr(e)
    i = deep.smallest_input()
    assert f({"i": i}) == deep.output(i) and f({"i": i + 1}) == deep.output(i + 1)


def _stages(chain: Chain) -> list[tuple[int, int, int, int, int]]:
    z = sympy.Dummy("z", integer=True, positive=True)
    stages = [IDENTITY]
    for layer in chain.layers:
        op = read(layer.expr(z), z)
        assert op is not None
        (then_affine if op[0] == "affine" else then_floor)(stages, *op[1])
    return stages


@pytest.mark.parametrize("seed", range(10))
def test_fast_build_is_the_tree_sympy_builds(seed: int) -> None:
    # build() evaluates each floor over a stand-in symbol; the tree must be the one
    # plain sympy construction gives (same structure, not only the same values)
    rng = random.Random(100 + seed)
    chain = _random_chain(rng, rng.randint(5, 40), ("conv", "pool", "conv_transpose", "upsample"),
                          ceil=0)
    stages = _stages(chain)
    x = sympy.Symbol("i", integer=True, positive=True)
    assert build(stages, x) == build_direct(stages, x), (seed, stages)


def test_fast_build_takes_integer_parts_out_as_sympy_does() -> None:
    x = sympy.Symbol("i", integer=True, positive=True)
    for stages in ([(1, 0, 2, 1, 0), (1, 6, 2, 1, 0)], [(1, -3, 4, 1, 0), (3, 4, 2, 2, -1)],
                   [(1, 1, 3, 1, 0), (2, -7, 5, 3, 4), (1, 10, 2, 1, 0)],
                   [(2, 1, 3, 1, 0), (1, 0, 1, 4, 2), (1, 4, 4, 1, 0)]):
        assert build(stages, x) == build_direct(stages, x), stages


def test_ten_thousand_random_layers() -> None:
    rng = random.Random(10_000)
    deep = _random_chain(rng, 10_000, ("conv", "pool", "conv_transpose", "upsample"), ceil=0)
    e = deep.output_expr()                          # no RecursionError
    f = compile_expr(e)
    i = deep.smallest_input()
    assert [f({"i": v}) for v in (i, i + 1, i + 7)] == [deep.output(v) for v in (i, i + 1, i + 7)]


def test_ceil_mode_pools_and_tf_same_compose_in_the_normal_form() -> None:
    """Ceil-mode pooling (a case split) and TF SAME (a ceiling) are floor maps in
    disguise: a deep chain of them is one floor, equal to the layer-by-layer sizes (it
    used to nest Piecewise until sympy's evaluation gave up at three layers)."""
    spec = " | ".join(["pool k=3 s=2 ceil=1", "conv k=3 s=2 p=SAME framework=tf",
                       "pool k=3 s=3 p=1 ceil=1", "pool k=2 s=2 ceil=1", "pool k=2 s=3 ceil=1"] * 8)
    chain = Chain.parse(spec)
    expr = chain.output_expr()
    assert not expr.has(sympy.Piecewise, sympy.ceiling) and len(expr.atoms(sympy.floor)) == 1
    f = compile_expr(expr)
    i0 = chain.smallest_input()
    assert all(f({"i": i}) == chain.output(i) for i in range(i0, i0 + 2000, 7))
    assert sstr(Chain.parse("pool k=3 s=2 ceil=1").output_expr()) == "floor(i/2)"


@pytest.mark.parametrize("seed", range(6))
def test_random_chains_with_ceil_mode_everywhere(seed: int) -> None:
    rng = random.Random(f"ceil/{seed}")
    chain = _random_chain(rng, 40, ("conv", "pool", "pool", "conv_transpose"), ceil=0.8)
    expr = chain.output_expr()
    f = compile_expr(expr)
    i0 = chain.smallest_input()
    assert all(f({"i": i}) == chain.output(i) for i in range(i0, i0 + 400))


_KINDS = ("conv k={k} s={s} p={p}", "pool k={k} s={s} ceil=1", "pool k={k} s={s} p={h} ceil=1",
          "conv k={k} s={s} p=SAME framework=tf", "pool k={k} s={s} p=VALID framework=tf",
          "pool k={k} s={s} framework=onnx ceil=1", "convt k={k} s={s} p={h}", "up f=2",
          "conv k={k} s={s} p=same_lower framework=onnx", "pool k={k} s={s} p=SAME framework=tf",
          "conv k={k} s={s} d=2 p={p}")


@pytest.mark.parametrize("seed", range(30))
def test_random_framework_chains_formula_explanation_and_sizes_agree(seed: int) -> None:
    rng = random.Random(f"frameworks/{seed}")
    spec = " | ".join(rng.choice(_KINDS).format(k=(k := rng.randint(1, 5)), s=rng.randint(1, 4),
                                                p=rng.randint(0, 2), h=rng.randint(0, k // 2))
                      for _ in range(rng.randint(1, 14)))
    chain = Chain.parse(spec)
    f = compile_expr(chain.output_expr())
    assert len(chain.explain_output().splitlines()) == len(chain.layers)
    i0 = chain.smallest_input()
    assert all(f({"i": i}) == chain.output(i) for i in range(i0, i0 + 200)), spec
