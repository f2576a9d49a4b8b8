# the statement is a string of its own, not read from __doc__ (python -OO drops docstrings)
STATEMENT = """For every valid (i, k, s, p, d), with X = i + 2p - d(k-1) - 1 and a = X mod s, the
transposed convolution of the direct convolution's output gives back i; a is the only
output_padding in [0, s) that does so; and with a = 0 every input that shares an output
maps back to the smallest of them."""
__doc__ = f"""The transposed-convolution round trip, with dilation, and its two corollaries.

{STATEMENT}"""

import symconv as sc

DERIVATION = sc.Derivation(
    "round_trip", "The transposed convolution undoes the direct one",
    claim="o' = i for a = mod(i + 2p - d(k - 1) - 1, s)",
    proofs=("round_trip", "round_trip_unique", "round_trip_smallest"),
    statement=STATEMENT.replace("\n", " "))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
