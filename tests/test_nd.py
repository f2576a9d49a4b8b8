"""N-d layers and chains: every per-axis quantity is a tuple, counts multiply over axes.

Shapes, parameter counts and MACs are compared with PyTorch run live (meta device
where only shapes are needed) on generated non-square 1-d/2-d/3-d stacks.
"""

import math
import random

import pytest

import symconv as sc
from symconv.chain import Chain, Layer, Sides

torch = pytest.importorskip("torch")
nn = torch.nn

CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
POOL = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}
CONVT = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}


def _random_nd_stack(rng, ndim, depth):
    layers, c = [], 2
    for _ in range(depth):
        kind = rng.choice(["conv", "conv", "pool", "convt", "relu"])
        k = tuple(rng.randint(1, 5) for _ in range(ndim))
        s = tuple(rng.randint(1, 3) for _ in range(ndim))
        if kind == "conv":
            p = tuple(rng.randint(0, 2) for _ in range(ndim))
            d = tuple(rng.randint(1, 2) for _ in range(ndim))
            out = rng.randint(1, 4)
            layers.append(CONV[ndim](c, out, k, s, p, d, bias=rng.random() < 0.5))
            c = out
        elif kind == "pool":
            p = tuple(rng.randint(0, ki // 2) for ki in k)
            layers.append(POOL[ndim](k, s, p, ceil_mode=rng.random() < 0.3))
        elif kind == "convt":
            p = tuple(rng.randint(0, 2) for _ in range(ndim))
            a = tuple(rng.randint(0, si - 1) for si in s)
            out = rng.randint(1, 4)
            layers.append(CONVT[ndim](c, out, k, s, p, a))
            c = out
        else:
            layers.append(nn.ReLU())
    return nn.Sequential(CONV[ndim](1, 2, 1), *layers)


def _torch_sizes(model, size):
    x = torch.empty(1, 1, *size, device="meta")
    out = [tuple(size)]
    for mod in model:
        x = mod(x)
        out.append(tuple(x.shape[2:]))
    return out


@pytest.mark.parametrize("seed", range(18))
def test_generated_nd_stacks_match_pytorch(seed):
    rng = random.Random(seed)
    ndim = 1 + seed % 3
    model = _random_nd_stack(rng, ndim, rng.randint(3, 8)).to("meta")
    chain = sc.from_torch(model)
    assert chain.ndim == ndim
    for _ in range(12):
        size = tuple(rng.randint(1, 40) for _ in range(ndim))
        try:
            ref = _torch_sizes(model, size)
        except RuntimeError:
            ref = None
        got = chain.sizes(size) if chain.accepts(size) else None
        if got is not None and ndim >= 1:
            got = [g if isinstance(g, tuple) else (g,) * ndim for g in got]
        assert got == ref, (seed, size)
        if ref is None:
            continue
        rows = chain.table(size)
        assert sum(r.params for r in rows) == sum(p.numel() for p in model.parameters())


def _macs(model, size, channels=1):
    """PyTorch's own weights times positions: weight.numel() * output (input for transposed)."""
    total, x = 0, torch.empty(1, channels, *size, device="meta")
    for mod in model:
        y = mod(x)
        if isinstance(mod, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            total += mod.weight.numel() * y.shape[2:].numel()
        elif isinstance(mod, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
            total += mod.weight.numel() * x.shape[2:].numel()
        x = y
    return total


def test_issue_non_square_example_counts_like_pytorch():
    model = nn.Sequential(nn.Conv2d(3, 16, (3, 5), stride=(1, 2), padding=(1, 2)), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, 2, 1))
    chain = sc.from_torch(model)
    table = chain.table_json((224, 160))
    assert table["params"] == sum(p.numel() for p in model.parameters()) == 5376
    assert sc.from_torch(model).table_json((224, 160))["params"] == 5376
    assert table["macs"] == _macs(model.to("meta"), (224, 160), 3)
    out = model.to("meta")(torch.empty(1, 3, 224, 160, device="meta"))
    assert chain.flattened((224, 160)) == out[0].numel() == 35840
    assert table["output"] == list(out.shape[2:])


def test_one_axis_of_a_network_leaves_counts_unknown():
    model = nn.Sequential(nn.Conv2d(3, 16, (3, 5), padding=(1, 2)))
    one = sc.from_torch(model, axis=1)
    assert one.output(160) == 160
    assert one.table_json(160)["params"] is None
    assert one.table_json(160)["flattened"] is None
    with pytest.raises(sc.UsageError, match="the flattened size is a product over every axis"):
        one.flattened(160)


def test_solve_params_per_axis_kernel_is_one_answer():
    sol = sc.solve("params", F_i=32, F_o=32, k=(1, 7), n=2)
    ref = sum(p.numel() for p in nn.Conv2d(32, 32, (1, 7)).parameters())
    assert sol.values == (ref,) == (7200,)
    assert sc.solve("params", F_i=32, P=7200, k=(1, 7)).values == (32,)
    with pytest.raises(sc.UsageError, match=r"n=3 but the per-axis lists have 2 axes"):
        sc.solve("params", F_i=32, F_o=32, k=(1, 7), n=3)


@pytest.mark.parametrize("seed", range(3))
def test_counts_with_one_value_beside_per_axis_values_are_pytorchs(seed):
    # a value given once means every axis, as in Conv2d(k=3): it was raised to the power 1
    # beside a per-axis list (solve macs k=3 o=10,20 gave 9600, PyTorch 28800); and an
    # unknown kernel or output beside per-axis values is the one on every axis, not the
    # product over the axes (k = 9 for a 3 x 3 kernel)
    rng = random.Random(f"counts/mixed/{seed}")
    for _ in range(12):
        ndim = rng.choice((2, 3))
        g = rng.choice((1, 2))
        f_i, f_o = g * rng.randint(1, 3), g * rng.randint(1, 3)
        k = tuple(rng.randint(1, 4) for _ in range(ndim))
        size = tuple(rng.randint(4, 12) for _ in range(ndim))
        model = nn.Sequential(nn.Conv2d(f_i, f_o, k, groups=g) if ndim == 2 else
                              nn.Conv3d(f_i, f_o, k, groups=g))
        o = tuple(i - kk + 1 for i, kk in zip(size, k))
        macs, params = _macs(model.to("meta"), size, f_i), sum(
            q.numel() for q in model.parameters())
        assert sc.solve("macs", F_i=f_i, F_o=f_o, g=g, k=k[0], o=o).values == (
            _macs(nn.Sequential(model[0].__class__(f_i, f_o, k[0], groups=g)).to("meta"),
                  tuple(oo + k[0] - 1 for oo in o), f_i),)
        assert sc.solve("macs", F_i=f_i, F_o=f_o, g=g, k=k, o=o[0]).values == (
            _macs(model.to("meta"), tuple(o[0] + kk - 1 for kk in k), f_i),)
        assert sc.solve("macs", F_i=f_i, F_o=f_o, g=g, k=k, o=o).values == (macs,)
        assert sc.solve("params", F_i=f_i, F_o=f_o, g=g, k=k).values == (params,)
        # the kernel the same on every axis that gives these MACs at these outputs: every
        # one, by brute force over kernels 1..12
        m_sq = _macs(nn.Sequential(model[0].__class__(f_i, f_o, k[0], groups=g)).to("meta"),
                     tuple(oo + k[0] - 1 for oo in o), f_i)
        sol = sc.solve("macs", F_i=f_i, F_o=f_o, g=g, o=o, M=m_sq, unknown="k")
        assert sol.values == tuple(kk for kk in range(1, 13) if f_o * (f_i // g) * kk ** ndim
                                   * math.prod(o) == m_sq) == (k[0],)
        assert "k taken the same on every axis" in sol.note
        sol = sc.solve("macs", F_i=f_i, F_o=f_o, g=g, k=k, M=f_o * (f_i // g) * math.prod(k)
                       * o[0] ** ndim, unknown="o")
        assert sol.values == (o[0],) and sol.given["k"] == k
    # no output the same on both axes has 200 positions: an empty answer that says why
    sol = sc.solve("macs", F_i=4, F_o=8, k=(3, 3), M=28800, g=2, unknown="o")
    assert sol.kind == "empty" and sol.reason == (
        "the product of o over the 2 axes is 200, which no integer o the same on every axis "
        "gives (per-axis values may)")


def test_an_answer_in_latex_says_what_it_assumed():
    # solve --latex gave "k = 3" alone: the kernel taken the same on every axis and the
    # defaults taken were said only in the text answer
    from symconv.paper import solution
    tex = solution(sc.solve("macs", F_i=4, F_o=8, o=(10, 20), M=28800, g=2, unknown="k"))
    assert tex.endswith("\\noindent Note: k taken the same on every axis, as o is given per "
                        "axis: the product of k over the 2 axes is 9.")
    assert "&\\quad \\text{with } d = 1" in solution(sc.solve("conv", i=224, k=7, s=2, o=112))


def test_per_axis_refusals_quote_what_was_given():
    # they quoted the products read over the axes: "drop k=16" for k=2,8, "drop n=1"
    with pytest.raises(sc.UsageError, match=r"^k is both given and asked for: drop k=2,8 or "
                                            r"--for k$"):
        sc.solve("params", "k", F_o=4, k=(2, 8), F_i=2, P=132)
    with pytest.raises(sc.UsageError, match=r"^n is the number of axes the per-axis lists "
                                            r"give \(2\)"):
        sc.solve("params", "n", F_i=4, F_o=8, k=(3, 5), P=248)


def test_cli_solve_params_per_axis(capsys):
    from symconv.cli import main
    assert main(["solve", "params", "F_i=32", "F_o=32", "k=1,7", "n=2"]) == 0
    assert capsys.readouterr().out == (
        "P = 7200\n  assumed: g = 1, b = 1 (PyTorch's defaults; give them to change)\n"
        "  note: per-axis k: the n-th powers are products over the 2 axes\n")


def test_cli_net_per_axis_input_and_ndim(capsys):
    from symconv.cli import main
    assert main(["net", "conv k=3 in=1 out=8 | pool k=2", "i=100", "--ndim", "1", "--json"]) == 0
    one = __import__("json").loads(capsys.readouterr().out)["table"]
    m1 = nn.Sequential(nn.Conv1d(1, 8, 3), nn.MaxPool1d(2))
    assert one["params"] == sum(p.numel() for p in m1.parameters())
    assert one["macs"] == _macs(m1.to("meta"), (100,))
    assert one["flattened"] == 8 * 49
    assert main(["net", "conv k=3 in=1 out=8 | pool k=2", "i=224,160"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "     flattened: 8 x 111 x 79 = 70152"
    # a network that states no axes takes them from a per-axis input: 3-d here
    assert main(["net", "conv k=3 | pool k=2", "i=5,6,7", "--json"]) == 0
    m3 = nn.Sequential(nn.Conv3d(1, 1, 3), nn.MaxPool3d(2))
    assert __import__("json").loads(capsys.readouterr().out)["table"]["output"] == \
        list(m3(torch.zeros(1, 1, 5, 6, 7)).shape[2:])
    assert main(["net", "conv k=3,3 | pool k=2", "i=5,6,7"]) == 2
    assert capsys.readouterr().err == ("symconv: input size (5, 6, 7) has 3 axes; the network "
                                       "has 2: give one value per axis\n")


def test_per_side_and_per_axis_padding_text():
    net = Chain.parse("conv k=2,3 p=0:1,1")
    assert net.layers[0].p == (Sides(0, 1), 1)
    assert net.output((10, 10)) == (10, 10)
    ref = torch.nn.functional.conv2d(torch.nn.functional.pad(torch.zeros(1, 1, 10, 10), (1, 1, 0, 1)),
                                     torch.zeros(1, 1, 2, 3))
    assert tuple(ref.shape[2:]) == (10, 10)
    assert "p=0:1,1" in net.table_text((10, 10))


def test_nd_refusals_name_the_axis():
    net = Chain.parse("conv k=3,7")
    with pytest.raises(sc.DomainError, match=r"^axis 1: layer conv refuses input size 5"):
        net.sizes((5, 5))
    with pytest.raises(sc.UsageError, match=r"per-axis values of different lengths \[2, 3\]"):
        Layer("conv", k=(1, 2), s=(1, 2, 3))
    with pytest.raises(sc.UsageError, match=r"layers with different numbers of axes: \[2, 3\]"):
        Chain((Layer("conv", k=(1, 2)), Layer("conv", k=(1, 2, 3))))


def test_nd_symbolic_and_inverse_answers_per_axis():
    net = Chain.parse("conv k=3,5 s=2,1 p=1,0 | pool k=2")
    exprs = net.output_expr()
    assert len(exprs) == 2
    for j, e in enumerate(exprs):
        for x in range(8, 60):
            size = [20, 20]
            size[j] = x
            assert e.subs(sc.i, x) == net.output(tuple(size))[j]
    small = net.smallest_input()
    assert small == tuple(min(x for x in range(1, 50) if net.axis(j).accepts(x)) for j in range(2))
    assert not net.accepts((small[0] - 1, small[1])) and not net.accepts((small[0], small[1] - 1))
    assert net.accepts(small)


def test_receptive_field_without_input_size_never_uses_a_placeholder():
    assert Chain.parse("conv k=3 p=valid").receptive_field() == {"r": 3, "S": 1, "P": 0}
    tf = Chain.parse("conv k=3 s=2 p=SAME framework=tf")
    # the padding before depends on i (0 at 224, 1 at 225): with i a number, without it a
    # formula in i that gives the padding at every size
    assert [tf.receptive_field(i)["P"] for i in (224, 225)] == [
        tf.layers[0].pads(i)[0] for i in (224, 225)] == [0, 1]
    formula = tf.receptive_field()["P"]
    assert formula.free_symbols == {sc.i}
    assert [formula.subs(sc.i, i) for i in range(1, 40)] == [
        tf.layers[0].pads(i)[0] for i in range(1, 40)]
    x = torch.zeros(1, 1, 11)
    same = Chain.parse("conv k=4 p=same", ndim=1)      # PyTorch 'same': 1 before, 2 after, any i
    assert same.receptive_field()["P"] == 1
    assert torch.nn.functional.conv1d(x, torch.zeros(1, 1, 4), padding="same").shape[-1] == 11
