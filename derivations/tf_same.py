# the statement is a string of its own, not read from __doc__ (python -OO drops docstrings)
STATEMENT = """TensorFlow/Keras/JAX 'SAME' padding: total max((ceil(i/s) - 1)s + khat - i, 0) gives ceil(i/s).

'VALID' (no padding) gives ceil((i - khat + 1)/s), the same as the floor form of conv."""
__doc__ = STATEMENT

import symconv as sc

DERIVATION = sc.Derivation(
    "tf_same", "TensorFlow SAME and VALID output sizes",
    claim="o = ceil((i - d(k - 1))/s) for p = 0", proofs=("tf_same",),
    statement=STATEMENT.replace("\n", " ").strip())

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
