"""Dumoulin & Visin, relationship 11.

The transpose of full padding is unpadded: o' = i' - (k - 1).
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv11", f"Relationship 11: {sc.relationship(11).title}",
    claim="o' = i' - (k - 1) for p = k - 1",
    proofs=("dv11",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
