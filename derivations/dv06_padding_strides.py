"""Dumoulin & Visin, relationship 6.

The general relation: o = floor((i + 2p - k)/s) + 1.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv6", f"Relationship 6: {sc.relationship(6).title}",
    claim="o = floor((i + 2p - k)/s) + 1",
    proofs=("dv6",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
