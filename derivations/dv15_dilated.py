"""Dumoulin & Visin, relationship 15.

Dilated convolution: the kernel k becomes k + (k - 1)(d - 1).
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv15", f"Relationship 15: {sc.relationship(15).title}",
    claim="o = floor((i + 2p - k - (k - 1)(d - 1))/s) + 1",
    proofs=("dv15",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
