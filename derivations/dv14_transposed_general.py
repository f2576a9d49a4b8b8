"""Dumoulin & Visin, relationship 14.

The general transposed relation: a = (i + 2p - k) mod s zeros at the bottom and right.
"""

import symconv as sc

DERIVATION = sc.Derivation(
    "dv14", f"Relationship 14: {sc.relationship(14).title}",
    claim="o' = s(i' - 1) + a + k - 2p for a = mod(i + 2p - k, s)",
    proofs=("dv14",))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
