"""Dumoulin & Visin, relationship 5.

No padding, stride s: o = floor((i - k)/s) + 1.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv5", f"Relationship 5: {sc.relationship(5).title}",
    claim="o = floor((i - k)/s) + 1",
    proofs=("dv5",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
