"""The dashboard's figures as plain JSON, to check that a change in how they are computed
leaves every figure (and every suppression) exactly as it was.

``figures`` keeps every number the page, the CSVs and the charts show, floats to ten
significant figures: far finer than anything shown, and coarse enough that the last bits a
processor's vector and BLAS kernels leave in a regression or a simulated interval (which
differed between two machines running the same code) do not count as a change.
``check_against`` compares a digest of each figure with a stored snapshot taken before the
change (``INSIGHTS_WRITE_FIGURES=1`` writes the snapshot instead, once, from the
code it is meant to freeze; a digest keeps the snapshot small, and a mismatch still names the
case and the figure).
"""

import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd

from linkwell.insights import domain


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    if value is None or value is pd.NA:
        return None
    return str(value)


def _digest(value) -> str:
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def figures(dashboard: domain.Dashboard) -> dict[str, str]:
    """A digest of each thing the dashboard shows (summaries, then each table's columns and
    rows), without the filters that chose it."""
    out = {f.name: _digest(getattr(dashboard, f.name)) for f in fields(dashboard)
           if f.name not in ("filters", "tables")}
    out |= {f"table {t.key}": _digest([t.columns, t.rows]) for t in dashboard.tables}
    return out


def check_against(path: Path, computed: dict[str, dict]) -> None:
    """Assert each case's figures equal the snapshot's (or write the snapshot)."""
    if os.environ.get("INSIGHTS_WRITE_FIGURES") == "1":
        path.write_text(json.dumps(computed, indent=1, sort_keys=True) + "\n")
    stored = json.loads(path.read_text())
    assert sorted(computed) == sorted(stored)
    for case, shown in computed.items():
        expected = stored[case]
        assert sorted(shown) == sorted(expected), case
        for key in shown:
            assert shown[key] == expected[key], f"{case}: {key} differs from the snapshot"
