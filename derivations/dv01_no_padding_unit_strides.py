"""Dumoulin & Visin, relationship 1.

No zero padding, unit strides: o = (i - k) + 1.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv1", f"Relationship 1: {sc.relationship(1).title}",
    claim="o = (i - k) + 1",
    proofs=("dv1",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
