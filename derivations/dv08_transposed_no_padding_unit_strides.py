"""Dumoulin & Visin, relationship 8.

The transposed conv of relationship 1 is a full convolution: o' = i' + (k - 1).
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv8", f"Relationship 8: {sc.relationship(8).title}",
    claim="o' = i' + (k - 1)",
    proofs=("dv8",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
