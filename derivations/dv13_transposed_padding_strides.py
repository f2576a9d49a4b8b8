"""Dumoulin & Visin, relationship 13.

Stride s with padding, when s divides i + 2p - k: o' = s(i' - 1) + k - 2p.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv13", f"Relationship 13: {sc.relationship(13).title}",
    claim="o' = s(i' - 1) + k - 2p for s | (i + 2p - k)",
    proofs=("dv13",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
