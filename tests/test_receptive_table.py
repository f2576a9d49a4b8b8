"""google-research/receptive_field's published table, matched number for number.

``tests/fixtures/receptive_field_table.md`` is their RECEPTIVE_FIELD_TABLE.md,
verbatim.  The networks are built in ``tests/rf_networks.py`` from the TF-Slim
definitions, with their real branches.  For every row of every network built there
(all but inception_resnet_v2), at resolutions 224 and 321 and with no input size
(``None``), symconv's receptive field ``r``, effective stride ``j`` and effective
padding ``P`` of the end point equal the table's, on both axes; where the table's
padding is ``None`` (it depends on the input size), symconv's ``P`` is a formula in
the input size ``i``, and that formula gives the table's 224 and 321 paddings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy
from rf_networks import NETWORKS

from symconv.symbols import i as I

TABLE = (Path(__file__).parent / "fixtures" / "receptive_field_table.md").read_text()


def _rows() -> dict[tuple[str, str], list[tuple[str, int, int, str]]]:
    """(network, resolution) -> [(end point, r, j, P as text)] from the table."""
    rows: dict[tuple[str, str], list[tuple[str, int, int, str]]] = {}
    for line in TABLE.splitlines():
        cells = [x.strip() for x in line.split("|")]
        if len(cells) != 7 or not cells[4].isdigit():
            continue
        net, res, end, _, r, j, pad = cells
        rows.setdefault((net, res), []).append((end, int(r), int(j), pad))
    return rows


ROWS = _rows()
CASES = sorted(k for k in ROWS if k[0] in NETWORKS)
_GRAPHS: dict[str, object] = {}


def _graph(name: str):
    if name not in _GRAPHS:
        _GRAPHS[name] = NETWORKS[name]()
    return _GRAPHS[name]


def test_the_table_is_read_whole():
    assert len(CASES) == 3 * 17             # 17 networks, 3 resolutions each
    assert sum(len(ROWS[k]) for k in CASES) == 21 + 39 * 2 + 45 * 2 + 54 + 66 + 42 * 2 + 12 * 8
    assert {k[0] for k in ROWS} - set(NETWORKS) == {"inception_resnet_v2",
                                                      "inception_resnet_v2-same"}


@pytest.mark.parametrize(("network", "resolution"), CASES, ids=[f"{n}@{r}" for n, r in CASES])
def test_every_number_of_the_table(network, resolution):
    graph = _graph(network)
    i = None if resolution == "None" else int(resolution)
    fields = graph.receptive_fields(i)
    for end, r, j, pad in ROWS[(network, resolution)]:
        for axis in (0, 1):
            f = fields[end][axis]
            assert (end, axis, f.r, f.j) == (end, axis, r, j)
            if pad == "None":
                # depends on the input size: a formula in i, never a number
                assert isinstance(f.P, sympy.Basic) and f.P.free_symbols == {I}, (end, f.P)
                assert f.aligned is not False
                for size in (224, 321):
                    want = next(row[3] for row in ROWS[(network, str(size))] if row[0] == end)
                    assert (end, int(f.P.subs(I, size))) == (end, int(want))
            else:
                assert (end, axis, f.P, f.aligned) == (end, axis, int(pad), True)
