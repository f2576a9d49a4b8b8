"""Dumoulin & Visin, relationship 12.

Stride s without padding, over the stretched input: o' = s(i' - 1) + k.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv12", f"Relationship 12: {sc.relationship(12).title}",
    claim="o' = s(i' - 1) + k for s | (i - k)",
    proofs=("dv12",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
