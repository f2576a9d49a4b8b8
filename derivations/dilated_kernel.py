"""The effective kernel of a dilated convolution: k + (k-1)(d-1) = d(k-1) + 1."""

import symconv as sc

DERIVATION = sc.Derivation(
    "dilated_kernel", "Effective kernel of a dilated convolution",
    claim="khat = k + (k - 1)(d - 1)", proofs=("dilated_kernel",),
    statement="Inserting d - 1 zeros between kernel taps gives a kernel of d(k-1) + 1 taps.")

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
