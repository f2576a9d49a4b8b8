"""Dumoulin & Visin, relationship 10.

Half padding is its own transpose: o' = i'.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv10", f"Relationship 10: {sc.relationship(10).title}",
    claim="o' = i' for k odd and p = floor(k/2)",
    proofs=("dv10",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
