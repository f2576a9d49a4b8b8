# the statement is a string of its own, not read from __doc__ (python -OO drops docstrings)
STATEMENT = """Araujo, Norris & Sim (Distill 2019): r_0 = sum_l (khat_l - 1) prod_{m<l} s_m + 1,
S = prod_l s_l and P = sum_l p_l prod_{m<l} s_m follow from the layer recurrences."""
__doc__ = f"""Receptive field, effective stride and padding of a chain: closed forms by induction.

{STATEMENT}"""

import symconv as sc

DERIVATION = sc.Derivation(
    "receptive_field", "Receptive fields of chains", proofs=("receptive_field",),
    statement=STATEMENT.replace("\n", " "))

if __name__ == "__main__":
    raise SystemExit(DERIVATION.main())
