# the statement is a string of its own, not read from __doc__ (python -OO drops docstrings)
STATEMENT = """Same padding: with stride 1, total padding d(k-1) keeps the size; split evenly when it is even."""
__doc__ = f"""{STATEMENT}

The solver derives p = d(k-1)/2 for o = i (symconv solve conv o=i s=1 --for p); for odd
d(k-1) no symmetric padding exists and PyTorch puts the extra unit on the right.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "same_padding", "Same padding keeps the size",
    claim="o = i for s = 1 and d(k - 1) even and p = d(k - 1)/2",
    proofs=("same_padding", "same_padding_split"),
    statement=STATEMENT)

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
