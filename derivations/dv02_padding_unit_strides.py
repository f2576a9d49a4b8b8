"""Dumoulin & Visin, relationship 2.

Zero padding p, unit strides: o = (i - k) + 2p + 1.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv2", f"Relationship 2: {sc.relationship(2).title}",
    claim="o = (i - k) + 2p + 1",
    proofs=("dv2",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
