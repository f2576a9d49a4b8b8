"""symconv against fixture tables produced by Keras 3, ONNX and JAX (tests/fixtures/generate.py).

The tables hold what the frameworks' own code answered; these tests need
neither framework installed.  Where a framework refuses a configuration (Keras
raises, ONNX shape inference gives a size <= 0), symconv must refuse too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import symconv as sc

FIXTURES = Path(__file__).parent / "fixtures"
KERAS = json.loads((FIXTURES / "keras.json").read_text())
ONNX = json.loads((FIXTURES / "onnx.json").read_text())
JAX = json.loads((FIXTURES / "jax.json").read_text())
KERAS_SPLIT = json.loads((FIXTURES / "keras_split.json").read_text())


def _or_refused(fn):
    try:
        return fn()
    except sc.DomainError:
        return None


def test_keras_conv_output_shapes():
    for row in KERAS["conv"]:
        got = _or_refused(lambda: sc.preset("keras", row["padding"]).apply(
            i=row["i"], k=row["k"], s=row["s"], d=row["d"]).o)
        assert got == row.get("o"), row
    assert len(KERAS["conv"]) > 1000


def test_keras_conv_transpose_output_shapes():
    """Every size Keras gives; where it gives an empty tensor (0), symconv refuses, as a
    network's layer does."""
    for row in KERAS["conv_transpose"]:
        preset = sc.preset("keras", row["padding"], "conv_transpose")
        args = {n: row[n] for n in ("i", "k", "s", "d", "a")}
        if row["o"] < 1:
            with pytest.raises(sc.DomainError, match="leaves no output"):
                preset.apply(**args)
        else:
            assert preset.apply(**args).o == row["o"], row


def test_keras_same_transpose_with_output_padding_splits_as_the_layer_runs():
    """Conv1DTranspose(padding='same', output_padding=a) run on Keras's JAX backend: the
    padding before is where the layer's output starts in the unpadded transposed
    convolution (it was split evenly: k=3, s=2, a=1 said 1:1, the layer runs 0:2)."""
    preset = sc.preset("keras", "same", "conv_transpose")
    for row in KERAS_SPLIT["same_transpose"]:
        args = {n: row[n] for n in ("i", "k", "s", "d", "a")}
        if row["o"] < 1:
            with pytest.raises(sc.DomainError, match="leaves no output"):
                preset.apply(**args)
            continue
        got = preset.apply(**args)
        # p_l None: the output could start at several places (zeros between dilated taps)
        assert got.o == row["o"] and row["p_l"] in (None, got.p_l), row
    assert len(KERAS_SPLIT["same_transpose"]) > 400


def _agree_or_onnx_invalid(got, row, artefacts):
    """symconv refuses exactly the configurations whose kernel does not fit; there ONNX
    shape inference gives a size <= 0, or 1 where its C++ division truncates toward zero
    (i=1, k=2, s=2, VALID: (1 - 2)/2 + 1 = 1); elsewhere both give the same size."""
    if got is None:
        assert row["error"] is not None or row["o"] <= 1, row
        if row["error"] is None and row["o"] == 1:
            artefacts.append(row)
    else:
        assert got == row["o"], row


def test_onnx_conv_auto_pad_and_explicit_pads():
    artefacts: list = []
    for row in ONNX["conv"]:
        if row["auto_pad"] == "NOTSET":
            got = _or_refused(lambda: sc.solve(
                "conv", "o", i=row["i"], k=row["k"], s=row["s"], d=row["d"],
                p_l=row["p_l"], p_r=row["p_r"]).values[0])
        elif row["auto_pad"].startswith("SAME") and row["d"] > 1:
            # shape inference sizes it; onnxruntime refuses the model, and so does symconv
            with pytest.raises(sc.DomainError, match="onnxruntime refuses it in a Conv"):
                sc.preset("onnx", row["auto_pad"]).apply(i=row["i"], k=row["k"], s=row["s"],
                                                         d=row["d"])
            continue
        else:
            got = _or_refused(lambda: sc.preset("onnx", row["auto_pad"]).apply(
                i=row["i"], k=row["k"], s=row["s"], d=row["d"]).o)
        _agree_or_onnx_invalid(got, row, artefacts)
    assert {"i": 1, "k": 2, "s": 2, "d": 1, "auto_pad": "VALID", "o": 1, "error": None} in artefacts


def test_onnx_maxpool_floor_and_ceil_mode():
    """symconv (= PyTorch, checked live) agrees with ONNX shape inference except where ONNX
    keeps a last ceil-mode window that starts in the right padding (PyTorch and the ONNX
    spec drop it) and where the kernel does not fit (symconv refuses)."""
    inference_differs = []
    for row in ONNX["pool"]:
        got = _or_refused(lambda: sc.solve("pool", "o", i=row["i"], k=row["k"], s=row["s"],
                                           p=row["p"], ceil_mode=bool(row["ceil_mode"])).values[0])
        if got is not None and got != row["o"]:
            assert row["ceil_mode"] == 1 and row["o"] == got + 1, row
            inference_differs.append(row)
        else:
            _agree_or_onnx_invalid(got, row, [])
    assert len(inference_differs) > 50


def test_onnx_conv_transpose_explicit_pads():
    for row in ONNX["conv_transpose"]:
        o = row["o"] if row["error"] is None and row["o"] > 0 else None
        got = _or_refused(lambda: sc.solve(
            "conv_transpose", "o", i=row["i"], k=row["k"], s=row["s"], d=row["d"], a=row["a"],
            p_l=row["p_l"], p_r=row["p_r"]).values[0])
        assert got == o, row


def test_onnx_conv_transpose_same_follows_the_reference_implementation():
    """ONNX's shape inference and its reference implementation disagree; symconv follows
    the operator spec (output = i * s), which the reference implementation implements."""
    disagree = []
    for row in ONNX["conv_transpose_same"]:
        if row["reference"] is None:
            continue
        got = _or_refused(lambda: sc.preset("onnx", row["auto_pad"], "conv_transpose").apply(
            i=row["i"], k=row["k"], s=row["s"], a=row["a"]).o)
        if got is None:
            continue
        assert got == row["reference"], row
        if row["shape_inference"] != row["reference"]:
            disagree.append((row["i"], row["k"], row["s"], row["a"]))
    assert (3, 3, 2, 1) in disagree      # REFERENCE.md: shape inference 7, reference 6


@pytest.mark.parametrize("fw", ["keras", "onnx"])
def test_fixture_tables_record_their_versions(fw):
    data = KERAS if fw == "keras" else ONNX
    assert data[f"{fw}_version"]


def _jax_layer(kind: str, row: dict) -> str:
    """The network line of a JAX fixture row: a padding mode as JAX spells it, or the
    explicit (lo, hi) pads."""
    pad = row["padding"]
    p = pad if isinstance(pad, str) else f"{pad[0]}:{pad[1]}"
    return f"{kind} k={row['k']} s={row['s']} d={row['d']} p={p} framework=jax"


@pytest.mark.parametrize(("table", "kind"), [("conv", "conv"), ("pool", "pool"),
                                            ("conv_transpose", "convt")])
def test_jax_sizes(table, kind):
    """lax.conv_general_dilated, lax.reduce_window and lax.conv_transpose: every size JAX
    gives, and a refusal exactly where JAX gives an empty array (size 0); the direct
    SAME/VALID presets agree with the network layer."""
    for row in JAX[table]:
        got = _or_refused(lambda: sc.Chain.parse(_jax_layer(kind, row), ndim=1).output(row["i"]))
        assert got == (row["o"] or None), row
        if table == "conv" and isinstance(row["padding"], str):
            preset = _or_refused(lambda: sc.preset("jax", row["padding"]).apply(
                i=row["i"], k=row["k"], s=row["s"], d=row["d"]).o)
            assert preset == got, row
        if table == "conv_transpose":
            preset = sc.preset("jax", row["padding"], "conv_transpose").apply(
                i=row["i"], k=row["k"], s=row["s"], d=row["d"]).o
            assert preset == got, row
    assert len(JAX[table]) > 2000


def test_keras_pooling_sizes():
    """MaxPooling1D (strides None is the pool size): every size Keras gives, and a refusal
    where it raises ('Computed output size would be zero or negative')."""
    for row in KERAS["pool"]:
        s = row["s"] or row["k"]
        net = f"pool k={row['k']} s={s} p={row['padding']} framework=keras"
        got = _or_refused(lambda: sc.Chain.parse(net, ndim=1).output(row["i"]))
        assert got == row.get("o"), row
    assert len(KERAS["pool"]) == 1200
