"""Dumoulin & Visin, relationship 9.

The transposed conv of relationship 2: o' = i' + (k - 1) - 2p, with p' = k - p - 1.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv9", f"Relationship 9: {sc.relationship(9).title}",
    claim="o' = i' + (k - 1) - 2p",
    proofs=("dv9",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
