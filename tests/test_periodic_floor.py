"""periodic_floor reads a map as one floor only where that is proven: against evaluation."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv._affine import periodic_floor

Z = sympy.Symbol("z", integer=True, positive=True)


def _terms(draw: st.DrawFn, depth: int) -> sympy.Expr:
    kind = draw(st.sampled_from(["x", "const", "add", "scale", "floor", "ceil", "piece",
                                 "max", "min"] if depth < 3 else ["x", "const"]))
    if kind == "x":
        return Z
    if kind == "const":
        return sympy.Rational(draw(st.integers(-6, 6)), draw(st.integers(1, 4)))
    if kind == "add":
        return _terms(draw, depth + 1) + _terms(draw, depth + 1)
    if kind == "scale":
        return sympy.Rational(draw(st.integers(-3, 3)), draw(st.integers(1, 5))) * \
            _terms(draw, depth + 1)
    if kind in ("floor", "ceil"):
        f = sympy.floor if kind == "floor" else sympy.ceiling
        return f(_terms(draw, depth + 1) / draw(st.integers(1, 5)))
    if kind == "piece":
        a, b = _terms(draw, depth + 1), _terms(draw, depth + 1)
        # a condition that is periodic or not (a constant threshold is not)
        lhs = _terms(draw, depth + 1)
        rhs = draw(st.sampled_from([lhs + 1, sympy.Integer(draw(st.integers(0, 9))),
                                    _terms(draw, depth + 1)]))
        return sympy.Piecewise((a, sympy.Le(lhs, rhs)), (b, True))
    args = [_terms(draw, depth + 1) for _ in range(2)]
    return (sympy.Max if kind == "max" else sympy.Min)(*args)


@st.composite
def maps(draw: st.DrawFn) -> sympy.Expr:
    return _terms(draw, 0)


@settings(max_examples=400, deadline=None)
@given(maps())
def test_a_floor_form_is_returned_only_where_it_is_the_map(e: sympy.Expr) -> None:
    got = periodic_floor(e, Z)
    if got is None:
        return
    _, (a, b, q, c) = got
    for z in range(1, 241):
        v = e.xreplace({Z: sympy.Integer(z)})
        assert v.is_Integer and int(v) == (a * z + b) // q + c, (e, got, z)


def test_what_is_read_and_what_is_not() -> None:
    c = sympy.ceiling(Z / 2 - sympy.Rational(3, 2))
    assert periodic_floor(sympy.Piecewise((c, Z <= 2 * c), (c + 1, True)), Z) == \
        ("floor", (1, 0, 2, 0))
    assert periodic_floor(sympy.ceiling(Z / 3) + 4, Z) == ("floor", (1, 2, 3, 4))
    # a threshold in x is not periodic: no floor form is claimed
    assert periodic_floor(sympy.Piecewise((Z, Z <= 5), (Z + 1, True)), Z) is None
    # pieces of different slopes, a negative slope, a product of two terms in x
    assert periodic_floor(sympy.Piecewise((Z, Z <= 2 * sympy.floor(Z / 2)), (2 * Z, True)),
                          Z) is None
    assert periodic_floor(-sympy.ceiling(Z / 2), Z) is None
    assert periodic_floor(Z * sympy.floor(Z / 2), Z) is None
    # periodic but not one floor: (z mod 3 == 0) adds 1 to floor(z/3)
    odd = sympy.Piecewise((sympy.floor(Z / 3) + 1, sympy.Eq(Z, 3 * sympy.floor(Z / 3))),
                          (sympy.floor(Z / 3), True))
    assert periodic_floor(odd, Z) is None


def test_the_fit_runs_over_the_slope_denominator() -> None:
    # z/2 + 1/2 has no floor, so its terms have period 1, yet it moves by 1/2 per step:
    # an integer at z = 1 and not at z = 2, so it is no floor map
    assert periodic_floor(Z / 2 + sympy.Rational(1, 2), Z) is None
    # z/2 + (z mod 2)/2 = ceil(z/2) is one
    e = Z / 2 + sympy.Rational(1, 2) * (Z - 2 * sympy.floor(Z / 2))
    assert periodic_floor(e, Z) == ("floor", (1, 1, 2, 0))


def test_large_strides_are_read_in_one_pass_over_the_period() -> None:
    # four ceil-mode pools with strides in the thousands: one floor, equal to the sizes
    from symconv._exact import compile_expr
    from symconv.chain import Chain
    chain = Chain.parse("pool k=2000 s=2000 ceil=1 | pool k=3 s=2000 ceil=1 | "
                        "pool k=2000 s=1999 ceil=1 | pool k=3 s=5000 p=1 ceil=1")
    expr = chain.output_expr()
    assert not expr.has(sympy.Piecewise) and len(expr.atoms(sympy.floor)) == 1
    f = compile_expr(expr)
    i0 = chain.smallest_input()
    sizes = [*range(i0, i0 + 500), *range(i0, 10**13, 10**13 // 997)]
    assert all(f({"i": i}) == chain.output(i) for i in sizes)
    c = sympy.ceiling((Z - 3) / 3000)
    assert periodic_floor(sympy.Piecewise((c, 3000 * c >= Z), (c + 1, True)), Z) == \
        ("floor", (1, 2999, 3000, 0))


def test_case_splits_past_the_period_limit_are_refused_not_an_internal_error():
    # four pools with strides in the tens of thousands: sympy's evalf could not tell the
    # nested ceilings apart (PrecisionExhausted, an internal error); sizes still answer
    net = sc.Chain.parse("pool k=20001 s=20000 ceil=1 | pool k=20000 s=20000 framework=onnx "
                         "ceil=1 | pool k=17000 s=17000 ceil=1 | conv k=20000 s=20000 p=7834")
    with pytest.raises(sc.UsageError, match=r"^the output formula nests case splits of periods "
                       r"above 16384 \(strides that large\) that sympy cannot keep apart; ask "
                       r"the sizes for given inputs instead$"):
        net.output_expr()
    x = net.smallest_input()
    assert net.output(x) == 1 and not net.accepts(x - 1)
