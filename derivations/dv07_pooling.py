"""Dumoulin & Visin, relationship 7.

Pooling without padding has the output of relationship 5, for any pooling function.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv7", f"Relationship 7: {sc.relationship(7).title}",
    claim="o = floor((i - k)/s) + 1",
    proofs=("dv7",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
