"""Dumoulin & Visin, relationship 3.

Half (same) padding keeps the size: for odd k and p = floor(k/2), o = i.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv3", f"Relationship 3: {sc.relationship(3).title}",
    claim="o = i for k odd and p = floor(k/2)",
    proofs=("dv3",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
