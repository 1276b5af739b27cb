"""The record of every frozen held-out set: the current one, and those retired into
development data after they were scored.

It is data (``data/held_out_sets.json``), not code, because each round of issue 17 changes
it the same way: a retired set gains an entry with its scored runs, and ``current`` moves on
to the next frozen set (docs/advice.md, "Measuring it"). The model trains on every retired
set's copy; the current set's cases are never read here, only its path and earlier runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

RECORD_FILE = "held_out_sets.json"
# The five figures each scored run records, by the names the metrics page gives them.
MEASURES = ("top-1 accuracy", "secondary-category recall", "urgent recall",
            "urgent false-alarm rate", "deadline date exact (cases that give one)")

Run = tuple[str, dict[str, float]]  # (which run, {measure: value})


@dataclass(frozen=True)
class RetiredSet:
    """A held-out set that was scored, then retired into development data."""

    number: int
    path: Path  # the frozen fixture, unchanged
    copy: str  # its copy in linkwell/advice/data, which the model trains on
    writers: str
    retired_on: str
    runs: tuple[Run, ...]  # its scored runs while still held out


def _runs(entries: list[dict], where: str) -> tuple[Run, ...]:
    runs = []
    for entry in entries:
        values = {k: v for k, v in entry.items() if k != "run"}
        if set(values) != set(MEASURES):
            raise ValueError(f"{RECORD_FILE}: a run of {where} must give exactly the figures "
                             f"{', '.join(MEASURES)}; it gives {', '.join(values)}")
        runs.append((entry["run"], {m: float(values[m]) for m in MEASURES}))
    return tuple(runs)


def _read() -> dict:
    return json.loads((resources.files("linkwell.advice") / "data" / RECORD_FILE)
                      .read_text(encoding="utf-8"))


_RECORD = _read()
RETIRED_SETS = tuple(
    RetiredSet(entry["number"], Path(entry["path"]), entry["copy"], entry["writers"],
               entry["retired_on"], _runs(entry["runs"], f"retired set {entry['number']}"))
    for entry in _RECORD["retired"])
# The current frozen held-out set, scored by `linkwell advice evaluate` (aggregates only) and
# never trained or tuned on. Until the lead adds that set's folder, the file is absent:
# `evaluate` then says the held-out set was not scored, and `--held-out` naming it fails.
HELD_OUT_PATH = Path(_RECORD["current"]["path"])
# Its earlier scored runs (aggregates only), shown beside this run.
HELD_OUT_EARLIER_RUNS = _runs(_RECORD["current"]["earlier_runs"], "the current set")
