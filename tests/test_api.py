"""The Python API: Solution's protocol, aliases, errors, exactness, symbolic answers."""

from __future__ import annotations

import re

import pytest
import sympy

import symconv as sc
from symconv.cli import main


def test_solution_protocol_finite():
    sol = sc.solve("conv", o=112, k=7, s=2, p=3)
    assert (sol.kind, sol.unknown, sol.values, sol.min, sol.max) == ("finite", sc.i, (223, 224), 223, 224)
    assert list(sol) == [223, 224] and len(sol) == 2
    assert 224 in sol and 225 not in sol and "224" not in sol
    assert sol.conditions == () and sol.reason == "" and sol.verified == "substitution"


def test_solution_protocol_unbounded():
    sol = sc.solve("conv", i=224, k=7, p=3, o=1)
    assert (sol.kind, sol.values, sol.min, sol.max) == ("range", None, 224, None)
    assert 10**50 in sol and 223 not in sol
    with pytest.raises(sc.SymconvError, match="not a bounded integer set"):
        list(sol)


def test_large_bounded_range_is_not_listed():
    sol = sc.solve("conv", i=10**6, k=1, p=0, o=2)
    assert sol.kind == "range" and sol.values is None
    assert (sol.min, sol.max) == (500000, 999999) and len(sol) == 500000


def test_a_long_finite_answer_prints_as_its_intervals_and_keeps_every_value():
    # 1000 values used to print one by one (a page of numbers, and LaTeX no paper holds)
    sol = sc.solve("conv", o=1, k=1, s=1000, p=0)
    assert (sol.kind, len(sol.values), sol.values[-1]) == ("finite", 1000, 1000)
    assert (str(sol), sol.latex()) == ("1 <= i <= 1000", r"1 \leq i \leq 1000")
    from symconv.solution import LISTED
    assert str(sc.solve("conv", o=1, k=1, s=LISTED, p=0)) == \
        "i in {" + ", ".join(map(str, range(1, LISTED + 1))) + "}"
    assert str(sc.solve("conv", o=1, k=1, s=LISTED + 1, p=0)) == f"1 <= i <= {LISTED + 1}"
    from symconv._intervals import IntSet
    from symconv.solution import Solution
    gaps = Solution("conv", "i", "finite", {}, set=IntSet(((1, 30), (40, 40))))
    assert str(gaps) == "1 <= i <= 30 or i = 40"


def test_empty_says_why():
    sol = sc.solve("conv", i=10, k=3, s=1, p=0, unknown="d", o=20)
    assert sol.kind == "empty" and not sol and sol.values == ()
    assert sol.reason.startswith("no integer d satisfies")


def test_aliases_are_accepted_everywhere():
    a = sc.solve("conv", input=224, kernel_size=7, stride=2, padding=3)
    b = sc.solve("conv2d", i=224, k=7, s=2, p=3, dilation=1)
    assert a.set == b.set and a.values == (112,)
    assert sc.solve("conv_transpose", input=3, kernel_size=3, stride=2, padding=1,
                    output_padding=1).values == (6,)
    assert sc.relation("relationship 6") is sc.relationship(6) is sc.relation("dv6")


def test_huge_integers_stay_exact():
    big = 10**40 + 7
    sol = sc.solve("conv", i=big, k=3, s=2, p=1)
    assert sol.values == ((big + 2 - 3) // 2 + 1,)
    assert all(type(v) is int for v in sol.values)
    back = sc.solve("conv", o=sol.values[0], k=3, s=2, p=1)
    assert big in back and back.kind == "finite"


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    (dict(i=224, k=2.5, s=1, p=0), sc.DomainError, "kernel size k must be an integer, got 2.5 (float)"),
    (dict(i=224, k=3, s=0, p=0), sc.DomainError, "stride s must be a positive integer (>= 1), got 0"),
    (dict(i=224, k=3, s=1, p=True), sc.DomainError, "padding p must be an integer, got True"),
    (dict(i=224, k=3, s=1, p=0, groups=2), sc.UnknownNameError, "relation 'conv' has no variable 'g'; its variables are d, i, k, o, p, s"),
    (dict(i=224, k=3, s=1, p=0, p_l=1), sc.UsageError, "give either symmetric padding p or p_l and p_r, not both"),
    (dict(i=224, k=3), sc.UsageError, "3 unknowns in 'conv': o, s, p; give all but one, or name the one to solve for (--for on the command line, unknown= in Python)"),
    (dict(i=(1, 2), k=(3, 3, 3), s=1, p=0), sc.UsageError, "per-axis lists of different lengths: [2, 3]"),
    (dict(i=224, k=3, s=1, p=0, o="i +* 2"), sc.ParseError, "cannot read formula 'i +* 2': unexpected '*' at position 4"),
])
def test_bad_input_is_one_line_symconv_error(kwargs, error, message):
    with pytest.raises(error) as info:
        sc.solve("conv", **kwargs)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)


def test_kernel_too_large_and_output_padding_rules():
    with pytest.raises(sc.DomainError, match=r"must hold one dilated kernel.*Kernel size can't be greater"):
        sc.solve("conv", i=3, k=3, s=1, p=0, d=2)
    with pytest.raises(sc.DomainError, match="output_padding must be smaller than either stride or dilation"):
        sc.solve("conv_transpose", i=3, k=3, s=1, p=0, d=2, a=2)
    assert sc.solve("conv_transpose", i=3, k=3, s=1, p=0, d=2, a=1).values == (8,)
    with pytest.raises(sc.DomainError, match="pooling padding must be at most half the kernel"):
        sc.solve("pool", i=10, k=3, s=1, p=2, d=2)


def test_symbolic_same_padding():
    sol = sc.solve("conv", o=sc.i, s=1, unknown="p")
    assert sol.kind == "symbolic" and sol.verified == "symbolic"
    assert sympy.simplify(sol.expr - sc.d * (sc.k - 1) / 2) == 0
    assert sol.conditions == (sympy.Eq(sympy.Mod(sc.d * (sc.k - 1), 2), 0, evaluate=False),)
    assert "no symmetric padding" in sol.note


def test_symbolic_input_range_matches_numeric():
    sol = sc.solve("conv", k=3, s=2, p=1, unknown="i")
    assert sol.kind == "symbolic" and sol.verified.startswith("grid")
    for o in range(1, 8):
        for d in range(1, 4):
            lo, hi = (int(e.subs({sc.o: o, sc.d: d})) for e in (sol.min, sol.max))
            assert set(range(lo, hi + 1)) == set(sc.solve("conv", o=o, k=3, s=2, p=1, d=d))


def test_symbolic_point_whose_coefficient_may_vanish_states_that_case():
    # o = 2i on a transposed conv: s (i - 1) = 2i + 2p - d(k - 1) - a - 1 fixes s only
    # when i != 1; at i = 1 the relation does not involve s
    sol = sc.solve("conv_transpose", o=2 * sc.i, k=4, p=1, unknown="s")
    assert sympy.Ne(sc.i, 1) in sol.conditions
    assert sol.note == "when i = 1 the relation does not fix s: give i that value to solve that case"
    for i in range(2, 12):
        for d in range(1, 4):
            for a in range(0, 3):
                env = {sc.i: i, sc.d: d, sc.a: a}
                ref = sc.solve("conv_transpose", o=2 * i, i=i, k=4, p=1, d=d, a=a, unknown="s")
                holds = all(bool(c.subs(env).subs(sc.s, sol.expr.subs(env)))
                            for c in sol.conditions)
                assert (set(ref) == {int(sol.expr.subs(env))}) if holds else not set(ref)
    text = str(sol)
    assert "i != 1 and (" in text and "Ne(" not in text


def test_symbolic_given_formula_string():
    sol = sc.solve("conv", o="i", s=1, k=3, d=1, unknown="p")
    assert sol.kind == "symbolic" and sol.expr == 1


def test_same_padding_presets():
    assert sc.same_padding("torch", i=7, k=4) == (1, 2)
    assert sc.same_padding("tf", i=225, k=4, s=2) == (1, 2)
    assert sc.same_padding("onnx", i=225, k=4, s=2, mode="SAME_LOWER") == (2, 1)
    assert sc.same_padding("jax", i=224, k=4, s=2, mode="SAME_LOWER") == (1, 1)
    res = sc.preset("tf", "SAME").apply(i=225, k=4, s=2)
    assert (res.total, res.o) == (3, 113)
    with pytest.raises(sc.DomainError, match="rejects stride > 1 together with dilation > 1"):
        sc.preset("keras", "same").apply(i=10, k=3, s=2, d=2)
    with pytest.raises(sc.UnknownNameError, match="unknown framework 'mxnet'"):
        sc.preset("mxnet", "same")


def test_relation_objects_are_immutable_data():
    rel = sc.relation("conv")
    with pytest.raises(AttributeError):
        rel.rhs = 0  # type: ignore[misc]
    assert rel.conditions[0].error == "Kernel size can't be greater than actual input size"
    assert "Dumoulin" in rel.source


@pytest.mark.parametrize("name", ["conv", "conv_asym", "conv_transpose", "pool", "pool_ceil",
                                  "dilated_kernel", "stretched_input", "pad_same_tf"])
def test_fast_paths_agree_with_the_checked_evaluation(name):
    """relation.function(checked=True) returns 0 exactly where evaluate() refuses, and the
    same size elsewhere; evaluate_batch agrees too (zero and negative values included)."""
    import random

    import numpy as np
    rel = sc.relation(name)
    fast = rel.function(checked=True)
    rng = random.Random(name)
    rows = []
    for _ in range(3000):
        env = {n: rng.randint(-1, 12) for n in rel.inputs}
        try:
            ref = rel.evaluate(**env)
        except sc.DomainError:
            ref = 0
        assert fast(*[env[n] for n in rel.inputs]) == ref, env
        rows.append((env, ref))
    values, valid = rel.evaluate_batch(**{n: np.array([e[n] for e, _ in rows]) for n in rel.inputs})
    assert [int(v) if ok else 0 for v, ok in zip(values, valid, strict=True)] == [r for _, r in rows]


def test_tf_output_shape_range_is_the_forward_rule_inverted():
    from symconv.frameworks import tf_output_shape_range
    for padding in ("SAME", "VALID"):
        for i in range(1, 12):
            for k in range(1, 5):
                for s in range(1, 4):
                    lo, hi = tf_output_shape_range(i=i, k=k, s=s, padding=padding)
                    fwd = sc.preset("tf", padding)
                    outs = {}
                    for o in range(1, 60):
                        try:
                            outs[o] = fwd.apply(i=o, k=k, s=s).o
                        except sc.DomainError:
                            pass
                    assert [o for o, v in outs.items() if v == i] == list(range(lo, hi + 1))


def test_tf_output_shape_range_with_a_stride_and_a_dilation_names_the_rule():
    # it said "output 10 needs an input above 2**256": every forward size was refused
    from symconv.frameworks import tf_output_shape_range
    with pytest.raises(sc.DomainError, match=r"^tf rejects stride > 1 together with dilation "
                       r"> 1 \(tf.nn.convolution, tf.nn.pool and Keras's layers; .*\); got "
                       r"s=3, d=2$"):
        tf_output_shape_range(i=10, k=8, s=3, d=2)


def test_tf_output_shape_range_takes_sizes_of_any_length_and_refuses_non_sizes():
    # 10**78 was refused: "output 10...0 needs an input above 2**256"
    from symconv.frameworks import tf_output_shape_range
    big = 10**78
    assert tf_output_shape_range(i=big, k=3, s=1) == (big, big)
    assert tf_output_shape_range(i=big, k=3, s=2, padding="VALID") == (2 * big + 1, 2 * big + 2)
    lo, hi = tf_output_shape_range(i=2**5000 + 3, k=5, s=3)
    assert sc.preset("tf", "SAME").apply(i=lo, k=5, s=3).o == 2**5000 + 3
    assert sc.preset("tf", "SAME").apply(i=hi + 1, k=5, s=3).o == 2**5000 + 4
    for given, message in [({"i": 10**5000}, "i has 16610 bits: at most 16384"),
                           ({"i": 0}, "the transposed input size i must be a positive integer "
                                      "(>= 1), got 0"),
                           ({"s": 0}, "stride s must be a positive integer (>= 1), got 0"),
                           ({"i": "4"}, "the transposed input size i must be an integer, got "
                                        "'4' (str)"),
                           ({"k": 3.0}, "kernel size k must be an integer, got 3.0 (float)")]:
        with pytest.raises(sc.DomainError) as info:
            tf_output_shape_range(**{"i": 4, "k": 3, **given})
        assert str(info.value) == message


def test_jax_transposed_presets():
    # REFERENCE: JAX conv_transpose SAME gives i*s, VALID gives (i-1)s + max(khat, s)
    for i, k, s in [(5, 3, 2), (5, 1, 3), (4, 4, 2), (1, 2, 3)]:
        assert sc.preset("jax", "SAME", "conv_transpose").apply(i=i, k=k, s=s).o == i * s
        assert sc.preset("jax", "VALID", "conv_transpose").apply(i=i, k=k, s=s).o == \
            (i - 1) * s + max(k, s)
        # JAX has no output_padding: a=0 is none (not Keras's explicit-a rule)
        assert sc.preset("jax", "SAME", "conv_transpose").apply(i=i, k=k, s=s, a=0).o == i * s


def test_jax_transposed_modes_are_read_as_written_and_take_no_output_padding():
    """lax.conv_transpose reads 'SAME'/'VALID' only: 'valid' goes to the forward conv (o=0
    for i=6, k=7 at s=1, a refusal at s=2), and it has no output_padding."""
    with pytest.raises(sc.UsageError, match=r"^jax's conv_transpose reads only 'VALID' as "
                                            r"written, not 'valid' \(another string goes to the "
                                            r"forward convolution.*write 'VALID'$"):
        sc.preset("jax", "valid", "conv_transpose")
    assert sc.preset("jax", "same").padding == "SAME"         # the forward conv takes any case
    with pytest.raises(sc.DomainError, match=r"^jax's conv_transpose has no output_padding, "
                                             r"got a=1: its SAME output is fixed by i, k, s, d$"):
        sc.preset("jax", "SAME", "conv_transpose").apply(i=5, k=3, s=2, a=1)
    assert main(["pad", "jax", "valid", "--transpose", "i=6", "k=7", "s=1"]) == 2


def test_pool_padding_over_half_the_kernel_says_so():
    """A total that splits evenly is refused by PyTorch's 2p <= k, not by its parity."""
    sol = sc.solve("pool", "p", i=10, k=3, s=1, o=12)
    assert sol.kind == "empty" and sol.split == ((2, 2),)
    assert sol.reason.endswith(
        "; the symmetric padding that gives it (p=2) is over half the kernel, which "
        "PyTorch's pooling refuses (2p <= k); pad first (F.pad, then padding 0; sizes only: "
        "F.pad pads zeros where max pooling pads -inf): p_l=2, p_r=2")
    odd = sc.solve("pool", "p", i=4, k=2, s=1, o=4)
    assert odd.reason.endswith("no symmetric padding exists: the total padding it needs is "
                               "odd (1); asymmetric split (extra at the end, as PyTorch and "
                               "TF): p_l=0, p_r=1")


def test_onnx_valid_pooling_is_zero_pads():
    """ONNX reads auto_pad=VALID as pads 0 (onnxruntime, shape inference): one window for
    an input short of it by less than the stride, as explicit pads give."""
    from symconv.chain import Layer, Sides
    for p in ("VALID", Sides(0, 0), 0):
        assert Layer("pool", k=2, s=2, p=p, framework="onnx").output(1) == 1
    for fw in ("tf", "jax"):        # their VALID pooling needs a whole window
        with pytest.raises(sc.DomainError, match="must hold one dilated kernel"):
            Layer("pool", k=2, s=2, p="VALID", framework=fw).output(1)
    assert sc.preset("onnx", "VALID").pads(i=1, k=2, s=2) == (0, 0)


def test_onnx_transposed_same_with_negative_padding_names_both_answers():
    with pytest.raises(sc.DomainError, match=(
            r"^ONNX ConvTranspose SAME_UPPER would need negative padding \(-2\) for i=3, k=1, "
            r"s=3, a=0: onnxruntime and shape inference pad 0 \(o = 7\), the reference "
            r"implementation pads negatively \(o = i s = 9\); give explicit pads$")):
        sc.preset("onnx", "SAME_UPPER", "conv_transpose").apply(i=3, k=1, s=3)


def test_a_transposed_preset_that_leaves_no_output_is_refused_as_a_network_layer_is():
    with pytest.raises(sc.DomainError, match=r"^keras same conv_transpose leaves no output for "
                                             r"i=1, k=4, s=2, d=1, a=0: conv_transpose_asym "
                                             r"gives o = 0 with padding 2\+2$"):
        sc.preset("keras", "same", "conv_transpose").apply(i=1, k=4, s=2, a=0)
    with pytest.raises(sc.DomainError, match="o would be 0"):
        sc.Chain.parse("convt k=4 s=2 p=2 a=0 framework=tf").output(1)


def test_numpy_and_sympy_integers_are_the_same_integer_everywhere():
    # membership and acceptance answered False for np.int64(223) and sympy.Integer(223)
    np = pytest.importorskip("numpy")
    import sympy
    from symconv.chain import Chain
    from symconv.graph import Graph
    answer = sc.solve("conv", o=112, k=7, s=2, p=3)
    chain = Chain.parse("conv k=3 p=1 @e | pool k=2 s=2 | convt k=2 s=2 @d", ndim=1)
    aligned = chain.align([("e", "d")])
    graph = Graph.from_chain(chain)
    for make in (int, np.int64, np.int32, sympy.Integer):
        assert make(223) in answer and make(225) not in answer
        assert make(6) in aligned and make(7) not in aligned
        assert aligned.nearest(make(7)) == 6 and type(aligned.nearest(make(7))) is int
        assert make(10) in graph.accepted()[0] and (make(10),) in graph.accepted_sizes()
        assert chain.accepts(make(10)) and not chain.accepts(make(0))
        assert chain.output(make(10)) == 10 and graph.output((make(10),)) == (None, (10,))
    for bad in (True, 10.0, "10"):
        assert bad not in answer and bad not in aligned
        with pytest.raises(sc.DomainError, match="input size i must be a positive integer"):
            chain.accepts(bad)


def test_a_rank_no_layer_fixes_is_said_when_it_matters():
    torch = pytest.importorskip("torch")

    class Twice(torch.nn.Module):
        def forward(self, x):
            return x + x
    graph = sc.from_torch(Twice())
    assert graph.ndim == 2 and graph.assumptions == (
        "2 spatial axes: no layer fixes the number of spatial axes (give ndim=, or on the command "
        "line a size per axis, for another)",)
    with pytest.raises(sc.UsageError, match=r"the network has 2 \(assumed: no layer fixes it; "
                                            r"give ndim=\)"):
        graph.shapes((15,))
    assert sc.from_torch(Twice(), ndim=1).output((15,)) == (None, (15,))
    chain = sc.from_torch(torch.nn.Sequential(torch.nn.ReLU()))
    with pytest.raises(sc.UsageError, match=r"the network has 2 \(assumed: no layer fixes the "
                                            r"number of axes; give ndim= to the chain\)"):
        chain.sizes((15,))


def test_accepted_sizes_take_one_integer_for_every_axis_and_check_nearest():
    from symconv.chain import Chain
    from symconv.graph import Graph
    acc = Graph.from_chain(Chain.parse("conv k=3", ndim=1)).accepted_sizes()
    assert 9 in acc and (9,) in acc and 2 not in acc and acc.nearest(2) == (3,)
    for bad, error in (((True,), sc.DomainError), ((8.5,), sc.DomainError),
                       (("8",), sc.DomainError), ((1, 2), sc.UsageError)):
        with pytest.raises(error):
            acc.nearest(bad)


def test_pytorchs_names_everywhere_a_name_is_taken():
    # each raised a TypeError or was refused (DESIGN: aliases everywhere a name is taken)
    import numpy as np

    from symconv.chain import Layer
    assert sc.figure("conv", input=5, kernel_size=3, stride=2, padding=1).o == 3
    assert Layer("conv", kernel_size=3, stride=2, padding=1, in_channels=3, out_channels=8) == \
        Layer("conv", k=3, s=2, p=1, F_i=3, F_o=8)
    assert sc.same_padding("tf", input=225, kernel_size=4, stride=2) == (1, 2)
    assert sc.preset("tf", "SAME").apply(input=225, kernel_size=4, stride=2).o == 113
    conv = sc.relation("conv")
    assert conv.evaluate(input=224, kernel_size=7, stride=2, padding=3, dilation=1) == 112
    values, valid = conv.evaluate_batch(input=np.array([224]), kernel_size=np.array([7]),
                                        stride=np.array([2]), padding=np.array([3]),
                                        dilation=np.array([1]))
    assert values.tolist() == [112] and valid.tolist() == [True]


@pytest.mark.parametrize("call, message", [
    (lambda: sc.figure("conv", i=5, kk=3), "figure: unknown name 'kk'; did you mean 'k'? (it "
     "takes kind, i, k, s, p, d, a, transposed, pool, dims)"),
    (lambda: sc.figure("conv", i=5, k=3, kernel_size=3), "figure: k given twice "
     "(kernel_size=); give it once"),
    (lambda: sc.relation("conv").evaluate_batch(i=__import__("numpy").array([224])),
     "conv.evaluate_batch needs i, k, s, p, d; k, s, p, d not given"),
    (lambda: sc.relation("conv").evaluate_batch(x=1),
     "conv.evaluate_batch: unknown name 'x' (it takes i, k, s, p, d)"),
    (lambda: sc.relation("conv").evaluate_batch(**{n: __import__("numpy").ones(2 + (n == "d"),
                                                                              dtype=int)
                                                   for n in "ikspd"}),
     "conv.evaluate_batch: arrays of shapes i (2,), k (2,), s (2,), p (2,), d (3,) do not "
     "broadcast together"),
])
def test_a_keyword_no_call_takes_is_one_line(call, message):
    with pytest.raises(sc.SymconvError) as err:
        call()
    assert str(err.value) == message


@pytest.mark.parametrize("name, unknown, given, note", [
    ("dv3", "i", {}, "dv3 is stated for s = 1, p = floor(k/2), k is odd"),
    ("dv3", "i", {"o": 5}, "dv3 is stated for s = 1, p = floor(k/2), k is odd"),
    ("dv12", "o'", {}, "dv12 is stated for p = 0, s divides i - k"),
    ("relationship 14", "a", {"k": 3, "s": 2, "p": 1, "i'": 4, "o'": 8},
     "dv14 is stated for a = (i + 2p - k) mod s"),
])
def test_a_special_cases_answer_says_what_it_is_stated_for(name, unknown, given, note):
    # "i = o" for relationship 3 read as true in general (it needs s = 1, p = k // 2, k odd)
    sol = sc.solve(name, unknown=unknown, **given)
    assert sol.note == note and sol.to_dict()["note"] == note
    assert sc.solve("conv", i=224, k=7, s=2, o=112).note == ""


def test_a_fractional_bound_of_an_integer_is_stated_as_the_integer_it_means():
    # p >= 1/2 was printed where the README says p >= 1 (the same integers)
    sol = sc.solve("conv", i=10, k="2*p", s=2, unknown="o")
    assert str(sol).split("  if ")[1].startswith("p >= 1 and ")
    from symconv._symbolic import _simplified
    x = sc.p
    assert [str(_simplified(c)) for c in (x >= sympy.Rational(1, 2), x > sympy.Rational(3, 2),
                                          x < sympy.Rational(5, 2), sympy.Rational(1, 3) >= x)] \
        == ["p >= 1", "p >= 2", "p <= 2", "p <= 0"]


def test_answers_hash_pickle_and_stay_immutable():
    # hash() raised TypeError (a dict of givens), an unpickled relation equalled nothing,
    # a design space could not be pickled, per-axis answers took attributes
    import copy
    import pickle
    sol = sc.solve("conv", i=224, k=7, s=2, o=112)
    assert hash(sol) == hash(sc.solve("conv", i=224, k=7, s=2, o=112))
    assert len({sol, sc.solve("conv", i=224, k=7, s=2, o=112)}) == 1
    axes = sc.solve("conv", i=(224, 160), k=7, s=2, p=3)
    assert pickle.loads(pickle.dumps(axes)) == axes and hash(axes) == hash(tuple(axes))
    with pytest.raises(AttributeError):
        axes.note = "x"
    rel = sc.relation("conv")
    assert pickle.loads(pickle.dumps(rel)) is rel and copy.deepcopy(rel) is rel
    space = sc.solve("conv", ("k", "s", "p"), i=224, o=56, bounds={"k": 7, "p": 3})
    again = pickle.loads(pickle.dumps(space))
    assert again == space and again.count == space.count == 12


@pytest.mark.parametrize(("call", "error", "message"), [
    # each raised a bare AssertionError, AttributeError, KeyError or TypeError from inside
    (lambda: sc.solve("conv", unknown=3, i=224, k=7, s=2, o=112), sc.UsageError,
     "unknown= is a variable's name, or a tuple of names for a design space "
     "(unknown=('k', 's')), got 3"),
    (lambda: sc.solve(16, ("k", "s"), i=224, o=56, p=1), sc.UsageError,
     "solve takes a relation's name (symconv list shows them) or a Relation, got 16"),
    (lambda: sc.relation("macs").evaluate_over_axes({"k": (1, 7)}), sc.UsageError,
     "macs takes o, k, F_i, F_o, g, n; o, F_i, F_o, g not given"),
    (lambda: sc.relation("conv").evaluate_over_axes({"k": 3}, i=5, s=1, p=0), sc.UsageError,
     "axes maps a per-axis variable to its values, one per axis (k=(1, 7)), got k=3"),
    (lambda: sc.Chain.parse("conv k=3 p=1 | pool k=2").inputs_for("3"), sc.DomainError,
     "output size o must be an integer, got '3' (str)"),
    (lambda: sc.Chain.parse("conv k=3 p=1 @a | pool k=2").align("3"), sc.UsageError,
     "align takes pairs of tap names, [('e0', 'd0'), ...], got '3'"),
    (lambda: sc.preset("tf", "SAME", 3), sc.UsageError,
     "preset's op is 'conv' (convolution or pooling) or 'conv_transpose', got 3"),
    (lambda: sc.latex("conv", foo=1), sc.UsageError,
     "latex: Unknown setting 'foo'. (the settings are sympy's LaTeX printer's: mode, "
     "fold_short_frac, mul_symbol, ...)"),
])
def test_wrong_arguments_deep_in_the_api_are_one_line(call, error, message):
    with pytest.raises(error) as exc:
        call()
    assert str(exc.value) == message


def test_output_expr_at_a_number_is_that_size():
    chain = sc.Chain.parse("conv k=3 p=1 | pool k=2")
    assert chain.output_expr(7) == chain.output(7) == 3


@pytest.mark.parametrize("name", ["params", "macs"])
def test_a_batch_of_a_power_per_row_is_refused_in_one_line(name):
    # a raw ValueError ("a division outside a floor") from the numpy printer; k**n of
    # inputs below 2**31 leaves int64 besides
    np = pytest.importorskip("numpy")
    rel = sc.relation(name)
    with pytest.raises(sc.UsageError, match=r"evaluate_batch: .* raises to a power given per "
                                            r"row, past int64 .* evaluate\(\) answers each"):
        rel.evaluate_batch(**{n: np.array([2]) for n in rel.inputs})


def test_a_batch_row_dividing_by_zero_is_invalid_without_a_warning():
    np = pytest.importorskip("numpy")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, valid = sc.relation("dv14").evaluate_batch(
            **{"i'": np.array([3, 3]), "k": np.array([3, 3]), "s": np.array([0, 2]),
               "p": np.array([0, 0]), "a": np.array([0, 0])})
    assert valid.tolist() == [False, True] and int(values[1]) == 7


def test_a_value_given_under_two_names_quotes_both():
    # "i given twice (as 'input' and another name)": the other name was not said
    with pytest.raises(sc.UsageError, match=r"^i given twice \(as 'i' and 'input'\): give it once$"):
        sc.solve("conv", i=224, input=224, k=3, s=1)


def test_a_torch_bool_is_never_a_size():
    # torch.tensor(True) has __index__ (1): it was read as the size 1
    torch = pytest.importorskip("torch")
    with pytest.raises(sc.DomainError, match=r"must be an integer, got tensor\(True\) \(bool\)"):
        sc.solve("conv", i=torch.tensor(True), k=1, s=1, p=0)
    with pytest.raises(sc.DomainError, match=r"^dilation d must be an integer"):
        sc.solve("conv", i=224, k=7, s=2, o=112, d=torch.tensor(True))
    assert sc.solve("conv", i=torch.tensor(224), k=7, s=2, o=112).values == (3,)


@pytest.mark.parametrize("o, shown", [(sc.i * 2.0, "2.00000000000000"),
                                      (sc.i + 0.5, "0.500000000000000")])
def test_a_float_inside_a_formula_is_refused(o, shown):
    # o = 2.0*i answered p = 1.0*(0.5*i + 1.0); o = i + 0.5 answered "empty"
    with pytest.raises(sc.DomainError, match=rf"^output size o = .* holds the float {shown}: "
                                             r"write exact integers or fractions"):
        sc.solve("conv", "p", k=3, s=1, d=1, o=o)


@pytest.mark.parametrize("value, shown", [(sympy.true, r"True \(BooleanTrue\)"),
                                          (sympy.Eq(sc.i, 3), r"Eq\(i, 3\) \(Equality\)"),
                                          (sympy.Interval(1, 2), r"Interval\(1, 2\) \(Interval\)")])
def test_a_sympy_object_that_is_no_expression_is_refused(value, shown):
    # sympy.true got sympy's "Can only compare inequalities with Expr" as a UsageError
    with pytest.raises(sc.DomainError, match=rf"^input size i must be an integer or a formula, "
                                             rf"got {shown}$"):
        sc.solve("conv", i=value, k=3, s=1, p=0)


def test_a_symbol_of_other_assumptions_is_named_as_such():
    # "uses i, which is not a canonical symbol (known: i, ...)" listed i as known
    with pytest.raises(sc.UnknownNameError, match=r"uses i, which is not symconv's i \(a Symbol "
                                                  r"of other assumptions\): use sc\.i or the "
                                                  r"text 'i'$"):
        sc.solve("conv", "p", k=3, s=1, d=1, o=sympy.Symbol("i"))


def test_evaluate_takes_numpy_and_sympy_integers():
    np = pytest.importorskip("numpy")
    conv = sc.relation("conv")
    assert conv.evaluate(i=np.int64(224), k=7, s=2, p=3, d=1) == 112
    assert conv.evaluate(i=sympy.Integer(224), k=7, s=2, p=3, d=1) == 112
    assert conv.evaluate(input=np.int64(224), kernel_size=7, stride=2, padding=3, dilation=1) == 112
    for bad in (True, 2.0, "3"):
        with pytest.raises(sc.DomainError, match=r"^i must be an integer, got "):
            conv.evaluate(i=bad, k=7, s=2, p=3, d=1)


def test_an_empty_answer_over_huge_integers_says_why():
    # its reason printed the 4 401-digit bound through str(): ValueError (Python's limit)
    sol = sc.solve("conv", "s", i=10**4400, k=1, p=0, o=2 * 10**4400)
    assert sol.kind == "empty" and sol.reason.startswith("no integer s satisfies both 2000")


def test_params_on_a_numeric_design_space_are_refused_not_ignored(capsys):
    space = sc.solve("conv", ("k", "p"), i=10, o=10, s=1, bounds={"k": 3})
    with pytest.raises(sc.UsageError, match=r"^params i=3: this design space is numeric"):
        space.combos(params={"i": 3})
    assert space.combos(prefer="odd") == space.combos(prefer=("odd",))
    family = sc.solve("conv", ("d", "k", "p"), o="i", s=1, bounds={"d": 2, "k": 5})
    assert family._repr_latex_() == (r"$\text{a family of combinations of } d, k, p\ "
                                     r"\text{ within } d \in \{1, \ldots, 2\},\ "
                                     r"k \in \{1, \ldots, 5\}$")
    # an unbounded numeric space: it said "0 families of combinations" (and "20 of None"
    # in a table's caption)
    endless = sc.solve("conv", ("k", "s"), i=224, o=1, p=0, bounds={"k": 3})
    assert endless._repr_latex_() == (r"$\text{infinitely many combinations of } k, s\ "
                                      r"\text{ within } k \in \{1, \ldots, 3\}$")
    assert main(["solve", "conv", "i=224", "o=1", "p=0", "--for", "k,s", "--bounds", "k<=3",
                 "--latex"]) == 0
    assert r"\caption{Combinations of $k, s$ (20 of infinitely many).}" in capsys.readouterr().out


def test_a_claim_that_is_no_text_is_refused_as_such():
    with pytest.raises(sc.ParseError, match=r"^a claim is text \(plain or LaTeX\), got Equality"):
        sc.check(sympy.Eq(sc.o, sc.i - sc.k + 1))


def test_an_answer_pickles_as_it_prints_and_its_givens_are_read_only():
    import copy
    import pickle
    # a symbolic answer came back re-evaluated: (o + k - 8)/2 as o/2 + k/2 - 4, unequal
    sol = sc.solve("conv", "p", i=7, s=1, d=1)
    for back in (pickle.loads(pickle.dumps(sol)), copy.deepcopy(sol)):
        assert back == sol and hash(back) == hash(sol) and repr(back) == repr(sol)
    numeric = sc.solve("conv", i=224, k=7, s=2, o=112)
    with pytest.raises(TypeError):
        numeric.given["k"] = 99         # changed what to_dict() reported
    assert numeric.to_dict()["given"] == {"i": 224, "k": 7, "s": 2, "o": 112}
    assert pickle.loads(pickle.dumps(numeric)) == numeric


@pytest.mark.parametrize("word", ["same", "valid"])
def test_a_padding_mode_given_as_a_value_says_what_to_do(word):
    # "unknown variable name 'same'; known names: ..." pointed nowhere
    with pytest.raises(sc.ParseError, match=rf"^'{word}' is a padding mode, not a value: for "
                                            r"'same', solve for p with o=i \(or use symconv "
                                            r"pad / sc\.same_padding"):
        sc.solve("conv", i=224, k=3, s=1, padding=word)


def test_numpy_integers_per_axis_and_bools_in_a_batch():
    np = pytest.importorskip("numpy")
    params = sc.relation("params")
    assert params.evaluate_over_axes({"k": (np.int64(1), 7)}, F_i=32, F_o=32, g=1, b=1) == 7200
    assert params.evaluate_over_axes({"k": (sympy.Integer(1), 7)}, F_i=32, F_o=32, g=1, b=1) \
        == 7200
    # [True, 5] read as int64 [1, 5]: a bool is never a size
    with pytest.raises(sc.DomainError, match=r"^i: integer values only, got a bool among"):
        sc.relation("conv").evaluate_batch(i=[True, 5], k=1, s=1, p=0, d=1)


def test_a_chain_input_past_pythons_digit_limit_is_refused_in_one_line():
    # its refusal counted the digits with str(): ValueError past 4 300 digits
    with pytest.raises(sc.DomainError, match=r"^input size i has about 5001 digits: sizes are "
                                             r"kept below 10\^1000$"):
        sc.Chain.parse("conv k=3").output(10 ** 5000)


def test_numpy_2_bools_flags_and_one_element_tensors():
    np = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")
    # numpy 2's bool is named "bool" (not "bool_"): ceil_mode=np.True_ was refused
    assert sc.solve("pool", i=9, k=3, s=2, p=1, ceil_mode=np.True_).values == (5,)
    # a flag is stored as a bool (bias=np.True_ and torch.tensor(True) were kept as given)
    assert sc.Layer("conv", k=3, bias=np.True_).bias is True
    assert sc.Layer("conv", k=3, bias=torch.tensor(True)).bias is True
    # a tensor of one value is a tensor, as numpy's array of one is (it was read as 224)
    for one in (torch.tensor([224]), np.array([224])):
        with pytest.raises(sc.DomainError, match=r"^input size i must be an integer, got"):
            sc.solve("conv", i=one, k=7, s=2, o=112)


def test_a_hypothesis_step_without_its_mapping_is_a_usage_error():
    from symconv.proofs import verify_step
    with pytest.raises(sc.UsageError, match=r"^a 'hypothesis' step names what it substitutes"):
        verify_step(sc.i, sc.i, "hypothesis")       # a bare AssertionError


def test_a_callers_sympy_evaluate_false_never_reaches_symconv():
    # inside `with sympy.evaluate(False):` round_trip did not hold, and was cached so for
    # the session; relations first built there stayed unevaluated (p + (i + p)); check
    # raised a TypeError.  A fresh process: the relations are built inside the block
    import subprocess
    import sys
    import textwrap
    script = textwrap.dedent("""
        import sympy, symconv as sc
        with sympy.evaluate(False):
            print(sc.relation("conv").equation)
            print(sc.prove("round_trip").holds)
            print(sc.check("o = i for s = 1 and k odd and p = floor(k/2)").holds)
            print(sc.check("k = s for k odd and s odd").holds)
            print(sc.solve("conv", o=sc.i, s=1, unknown="p"))
            print(sc.Chain.parse("conv k=3 s=2 | pool k=2").output_expr())
        print(sc.prove("round_trip").holds, sc.latex("conv_transpose"))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=300).stdout.splitlines()
    assert out == [
        "Eq(o, floor((-d*(k - 1) + i + 2*p - 1)/s) + 1)", "True", "True", "False",
        "p = d*(k - 1)/2  if d*(k - 1) is divisible by 2", "floor(i/4 - 1/4)",
        r"True o = s \left(i - 1\right) - 2 p + d \left(k - 1\right) + a + 1"]
    assert str(sc.Chain.parse("conv k=3 s=2 | pool k=2").output_expr()) == "floor(i/4 - 1/4)"


def test_a_layer_of_equal_per_axis_values_keeps_its_number_of_axes():
    # Layer("conv", k=(3, 3, 3)) became k=3 and the chain 2-d: params 10, MACs 576, and
    # (10, 10, 10) refused; PyTorch's Conv3d(1, 1, 3) has 28 and gives (8, 8, 8)
    chain = sc.Chain([sc.Layer("conv", k=(3, 3, 3), F_i=1, F_o=1)])
    row = chain.table_json(10)["layers"][0]
    assert (chain.ndim, row["params"], row["macs"]) == (3, 27 + 1, 27 * 8 ** 3)
    assert chain.output((10, 10, 10)) == (8, 8, 8)
    assert sc.Layer("conv", k=(3, 3, 3)) != sc.Layer("conv", k=3)       # 3-d, and any
    from dataclasses import replace
    assert replace(sc.Layer("conv", k=(3, 3, 3), F_i=2, F_o=4), s=2).rank == 3   # stays so
    assert sc.Chain([replace(sc.Layer("conv", k=(3, 3, 3), F_i=2, F_o=4), s=2)]).table_json(
        10)["layers"][0]["params"] == 2 * 4 * 27 + 4                         # Conv3d's 220
    with pytest.raises(sc.UsageError, match=r"per-axis values of different lengths \[2, 3\]"):
        sc.Layer("conv", k=(3, 3, 3), s=(2, 2))     # PyTorch's Conv3d refuses a 2-axis stride
    with pytest.raises(sc.UsageError, match="different numbers of axes"):
        sc.Chain([sc.Layer("conv", k=(3, 3, 3)), sc.Layer("conv", k=(3, 3))])
    with pytest.raises(sc.DomainError, match=r"k takes one integer per axis, got \(\(3, 3\),\)"):
        sc.Layer("conv", k=((3, 3),))


def test_answers_are_read_only_and_a_verdict_hashes():
    import pickle
    v = sc.check("k = s for k odd and s odd")
    assert v.holds is False and hash(v) == hash(pickle.loads(pickle.dumps(v)))
    with pytest.raises(TypeError):
        v.counterexample["i"] = 999         # it changed what latex() printed
    sol = sc.solve("conv", o=112, k=7, s=2, p=3)
    with pytest.raises(TypeError):
        sol.defaults["d"] = 5               # it changed what to_dict() reported
    assert sol.to_dict()["defaults"] == {"d": 1}
    space = sc.solve("conv", ("s", "p"), i=224, o=56, k=3)
    with pytest.raises(TypeError):
        space.given["i"] = 3


@pytest.mark.parametrize("call, message", [
    (lambda: sc.Layer(["conv"], k=3), "a layer's kind is a string"),
    (lambda: sc.Chain.parse("conv k=3 @e | conv k=1 @d").align(None), "align takes pairs"),
    (lambda: sc.Graph.from_chain(sc.Chain.parse("conv k=3"), 1).exprs(5), r"exprs\(x\)"),
    (lambda: sc.Node("n", "layer", None, sc.Layer("conv", k=3)), "inputs are the names"),
    (lambda: sc.Graph([1, 2]), "a Graph's nodes are Node objects"),
    (lambda: sc.paper.equation("conv", width="Column"), r"width='Column': 'column' or"),
    (lambda: sc.paper.equation("conv", width=None), "width=None"),
    (lambda: sc.paper.equation("conv", width=10 ** 400), "width=1000"),
    (lambda: sc.paper.equation("conv", width=-1.0), r"width=-1\.0"),
    (lambda: sc.paper.equation("conv", width=float("nan")), "width=nan"),
])
def test_bad_input_to_the_api_is_a_one_line_refusal(call, message):
    # each raised TypeError, AttributeError, KeyError or OverflowError (or, for a
    # negative or NaN width, wrote \resizebox{-128pt}{!})
    with pytest.raises(sc.UsageError, match=message) as err:
        call()
    assert "\n" not in str(err.value)


def test_latex_of_any_object_states_what_it_holds_for():
    # a chain's formula had no
    # domain (0 at i = 7 where PyTorch refuses); a chain printed as its repr
    # the equation alone reads back (parse_latex); what it is stated for: stated_latex
    assert sc.relation("dv13").stated_latex() == \
        r"o' = s \left(i' - 1\right) - 2 p + k \quad \text{if } s \mid i + 2 p - k"
    import sympy
    assert sympy.latex(sc.relation("conv")) == sc.latex("conv")
    chain = sc.Chain.parse("conv k=9 s=2")
    assert sc.latex(chain) == chain.output_latex() == (
        r"o = \left\lfloor \frac{i - 9}{2} \right\rfloor + 1 \quad \text{if } i \geq 9")
    assert chain.accepts(9) and not chain.accepts(8)
    assert not sc.latex(sc.prove("dv3")).startswith(r"\mathtt")
    assert {"Chain", "check", "prove", "paper"} <= set(dir(sc))


def test_a_graph_s_formula_says_the_sizes_it_holds_for():
    # sc.latex(graph) gave floor((i + 1)/4) alone: 0 at i = 1, 2, where PyTorch refuses
    graph = sc.Graph.from_chain(sc.Chain.parse("conv k=3 s=2 p=1 | pool k=2 s=2 p=0"))
    assert sc.latex(graph) == r"o = \left\lfloor \frac{i + 1}{4} \right\rfloor \quad \text{if } i \geq 3"
    assert not graph.accepts(2) and graph.accepts(3)


def test_per_axis_values_of_a_relation_that_reads_n_otherwise_are_refused():
    # a relation of one's own, o = k^n + n s: per-axis k=(2, 3) read as the product at
    # n = 1 gave 7, where over two axes it is 2*3 + 2 = 8
    from symconv.relations import Relation
    from symconv.symbols import k, n, o, s
    toy = Relation(name="toy", lhs=o, rhs=k ** n + n * s, title="toy", source="a test")
    assert toy.powered is None
    with pytest.raises(sc.UsageError, match=r"^'toy' reads n other than as the exponent of "
                                            r"per-axis values"):
        sc.solve(toy, "o", k=(2, 3), s=1)
    assert sc.solve(toy, "o", k=3, n=2, s=1).values == (11,)
    # only as k^n: per-axis values are their product
    vol = Relation(name="vol", lhs=o, rhs=s * k ** n, title="vol", source="a test")
    assert vol.powered == ("k",)
    assert sc.solve(vol, "o", k=(2, 3), s=5).values == (30,)


def test_hostile_arguments_at_the_exploring_entry_points_are_one_line(tmp_path):
    # each was a bare TypeError or AttributeError (or a channel count of -3 reported)
    from symconv import design
    from symconv.chain import Layer
    space = sc.solve("conv", ("k", "p"), i=10, o=10, s=1, bounds={"k": 5})
    graph_nodes = (sc.Node("c", "layer", ("x",), Layer("conv", k=3, p=1, F_o=4)),)
    for call, rule in [
        (lambda: design.chain_design(None, i=10, o=5), "a chain design's layers are a list"),
        (lambda: design.chain_design("7", i=10, o=5), "a chain design's layers are a list"),
        (lambda: design.chain_design([3], i=10, o=5), "layer 1: a dict of the layer's values"),
        (lambda: sc.Graph.from_chain(None), "Graph.from_chain takes a Chain"),
        (lambda: space.combos(prefer=None), "prefer is a preference's name"),
        (lambda: space.combos(prefer=3), "prefer is a preference's name"),
        (lambda: sc.Graph(graph_nodes, in_channels="abc"), "in_channels must be an integer"),
        (lambda: sc.Graph(graph_nodes, in_channels=-3), "in_channels must be a positive"),
        (lambda: sc.Graph(graph_nodes, in_channels=True), "in_channels must be an integer"),
    ]:
        with pytest.raises(sc.SymconvError, match="^" + re.escape(rule)):
            call()


def test_several_splits_are_told_apart_and_a_formula_names_the_per_axis_form():
    # the pairs ran together: p_l=2, p_r=3, p_l=3, p_r=3, ...
    sol = sc.solve("pool", "p", i=10, k=3, o=5)
    assert sol.reason.endswith(": p_l=2, p_r=3 or p_l=3, p_r=3 or p_l=3, p_r=4")
    # a grouped number in a formula: the per-axis form is a list outside it, not a space
    with pytest.raises(sc.ParseError, match=r"write the number whole \(224160\), or per-axis "
                       r"values as a list outside a formula \(i=224,160\)"):
        sc.solve("conv", i="(224,160)", k=3, s=1, p=0)


def test_an_empty_answer_leaves_out_the_side_of_a_rule_without_the_unknown():
    # "d >= 3 or 0 >= 1": the stride's side of a < max(s, d), false at s = 2, a = 2
    assert sc.solve("conv_transpose", "d", i=3, o=8, k=2, s=2, p=0, a=2).reason == (
        "no integer d satisfies both d >= 3 (from output_padding must be smaller than either "
        "stride or dilation: a < max(s, d)) and d = 1 (from o = s*(i - 1) - 2*p + d*(k - 1) "
        "+ a + 1)")


def test_a_number_equal_to_an_integer_is_in_a_solution_as_in_a_range():
    import fractions
    sol = sc.solve("conv", "s", i=224, k=7, p=3, o=1)     # s >= 224
    import decimal
    assert (224.0 in sol, fractions.Fraction(224) in sol, decimal.Decimal(224) in sol,
            224 in sol) == (True, True, True, True)
    assert not any(v in sol for v in (223.0, 224.5, True, float("inf"), float("nan"),
                                      decimal.Decimal("224.5"), 224 + 0j))
    assert (224.0 in range(300), 224.5 in range(300)) == (True, False)   # Python's rule


# --- bad input that was answered, or raised Python's own error (tester BN) ------------------

@pytest.mark.parametrize("params", [[("i", 32)], 32, "i=32", (1,)])
def test_a_familys_params_are_a_dict(params):
    # AttributeError: 'list' object has no attribute 'items'
    family = sc.solve("conv", ("d", "k", "p"), o="i", s=1, bounds={"d": 2, "k": 5})
    with pytest.raises(sc.UsageError, match=r"^params are the family's symbols and their "
                       r"values, a dict \(params=\{'i': 32\}\), got "):
        family.combos(params=params)
    assert family.combos(params={"i": 32})[:2] == [{"d": 1, "k": 1, "p": 0},
                                                   {"d": 1, "k": 3, "p": 1}]


@pytest.mark.parametrize(("ndim", "message"), [
    (2.0, r"^ndim must be an integer, got 2.0 \(float\)"),
    (True, r"^ndim must be a positive integer, got True$"),
    (0, r"^ndim must be a positive integer \(>= 1\), got 0$"),
    (3, r"^ndim=3 but the layers have 2 axes$"),
])
def test_a_graphs_ndim_is_gated_as_a_chains(ndim, message):
    # ndim=2.0 was taken and shapes() raised TypeError; ndim=True was read as 1-d
    from symconv.chain import Layer
    with pytest.raises(sc.SymconvError, match=message):
        sc.Graph((sc.Node("a", "layer", ("x",), Layer("conv", k=(3, 3))),), ndim=ndim)


@pytest.mark.parametrize("given", [{"i": ()}, {"o": []}, {"p": ()}, {"o": [56, 57]}])
def test_a_design_space_refuses_a_list_given(given):
    # an empty list was a given: the space was empty, its reason naming "i=()"
    args = {"i": 224, "o": 56, "p": 0, **given}
    (name, value), = given.items()
    with pytest.raises(sc.UsageError, match=rf"^{name}={re.escape(str(list(value)))}: a design "
                       rf"space is solved one axis at a time: give {name} one integer"):
        sc.solve("conv", ("k", "s"), **args)


def test_solve_layer_names_its_unknown_before_answering():
    # a nonsense unknown got ([], None) where no output of the layer leads to o
    chain = sc.Chain.parse("conv k=3 s=2 p=1 | pool k=2 | convt k=2 s=2")
    with pytest.raises(sc.UnknownNameError, match=r"^layer 1: no setting 'banana' to solve: "
                       r"solve its k, s, p \(or p_l, p_r\), d or a$"):
        chain.solve_layer(1, "banana", 10, 5)
    with pytest.raises(sc.UsageError, match=r"^layer 1: the unknown is a setting's name"):
        chain.solve_layer(1, None, 10, 5)
    # PyTorch's names, as everywhere
    single = sc.Chain.parse("conv k=3 s=2 p=1")
    assert single.solve_layer(1, "padding", 20, 10) == single.solve_layer(1, "p", 20, 10) == \
        ([1], None)
    with pytest.raises(sc.UsageError, match=r"which has no 'a'; solve one of k, s, d, p$"):
        sc.Chain.parse("conv k=3 s=2 p=1:0").solve_layer(1, "a", 20, 10)


def test_a_per_axis_answer_is_set_axis_by_axis_in_a_paper():
    # sc.paper.solution of a per-axis answer raised AttributeError (tester BQ)
    tex = sc.paper.solution(sc.solve("conv", "p", i=(224, 160), o=(112, 81), k=3, s=2))
    assert tex.startswith("\\noindent Axis 0:\n\\begin{equation*}")
    assert tex.count("\\noindent Axis") == 2 and "\\noindent Axis 1:\n" in tex


def test_solve_layer_names_the_word_it_was_given():
    with pytest.raises(sc.UnknownNameError, match=r"^layer 1: no setting 'groups' to solve: "):
        sc.Chain.parse("conv k=3 s=2 p=1").solve_layer(1, "groups", i=32, o=16)
