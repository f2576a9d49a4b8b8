"""Dumoulin & Visin, relationship 4.

Full padding p = k - 1 grows the size: o = i + (k - 1).
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv4", f"Relationship 4: {sc.relationship(4).title}",
    claim="o = i + (k - 1) for p = k - 1",
    proofs=("dv4",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
