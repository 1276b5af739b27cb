"""Which referrals a view's filters select, answered from an index built once per read of the
data, so a filtered view never scans the whole referral frame.

``Index`` keeps, for each filter that names a value (borough, team, practice, source), the
positions of the referrals with each value, and the referrals in order of creation for the
period. A selection starts from the fewest candidates (the rarest named value, or the
period's slice of the creation order) and checks the other filters on those alone. It
selects exactly the rows ``domain.in_scope`` defines, in the frame's order (ADR 0020).

``timeline_order`` is the order ``domain.prepare`` keeps the frame in: the referrals that are
not simulated first, those with a date in order of creation, so that a period alone (the
commonest view, and the largest) is one slice of the frame (``Index.span``), not a copy.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

SIMULATED = "simulated"  # Referral.source and Team.kind of ``demo-data --people``
DAY = pd.Timedelta(days=1)
DIMENSIONS = ("lad_code", "team_id", "practice", "source")


@dataclass(frozen=True)
class Dimension:
    """One filterable column: each row's code (-1 when blank), each value's code, and the
    positions of the rows with each code."""

    codes: np.ndarray
    code_of: dict
    starts: np.ndarray  # rows of code c are rows[starts[c]:starts[c + 1]]
    rows: np.ndarray

    @classmethod
    def of(cls, values: pd.Series) -> "Dimension":
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        rows = np.argsort(codes, kind="stable")
        starts = np.searchsorted(codes[rows], np.arange(len(uniques) + 1))
        return cls(codes=codes, code_of={value: code for code, value in enumerate(uniques)},
                   starts=starts, rows=rows)

    def code(self, value) -> int:
        """The value's code; -2 (matching no row) for a value no referral has."""
        return self.code_of.get(value, -2)

    def positions(self, code: int) -> np.ndarray:
        if code < 0:
            return np.empty(0, dtype=np.intp)
        return self.rows[self.starts[code]:self.starts[code + 1]]


def real(referrals: pd.DataFrame) -> np.ndarray:
    """Neither a simulated source nor sent to a simulated team."""
    return ((referrals["source"] != SIMULATED) & (referrals["team_kind"] != SIMULATED)
            ).to_numpy()


def timeline_order(referrals: pd.DataFrame) -> tuple[np.ndarray, int, int]:
    """Positions putting the frame in the order ``Index.span`` reads: the real referrals with
    a date, in order of creation (ties in the frame's order), then the real ones without,
    then the simulated ones (each in the frame's order); and how many are real and dated,
    and real."""
    kept = real(referrals)
    dated = referrals["created_at"].notna().to_numpy()
    line = np.flatnonzero(kept & dated)
    line = line[np.argsort(referrals["created_at"].array.asi8[line], kind="stable")]
    order = np.concatenate([line, np.flatnonzero(kept & ~dated), np.flatnonzero(~kept)])
    return order, len(line), int(kept.sum())


@dataclass(frozen=True)
class Index:
    size: int
    real: np.ndarray  # neither a simulated source nor a simulated team
    pcn: np.ndarray  # sent to a team of kind PCN
    created: pd.Series  # created_at, in the frame's order
    by_time: np.ndarray  # positions of the dated rows in order of creation
    times: pd.DatetimeIndex  # their creation times, ascending
    dimensions: dict[str, Dimension]
    timeline: int = 0  # the first rows are the real, dated referrals in order of creation
    real_rows: int = -1  # and the first this many the real ones (-1: not so ordered)
    line_times: pd.DatetimeIndex | None = None  # the creation times of the first ``timeline``

    @classmethod
    def of(cls, referrals: pd.DataFrame, *, timeline: int = 0, real_rows: int = -1
           ) -> "Index":
        """The index of ``referrals``; ``timeline`` and ``real_rows`` say that the frame is in
        ``timeline_order`` (from which ``span`` answers)."""
        created = referrals["created_at"]
        dated = np.flatnonzero(created.notna().to_numpy())
        times = pd.DatetimeIndex(created.iloc[dated])
        order = times.argsort(kind="stable")
        return cls(size=len(referrals), real=real(referrals),
                   pcn=(referrals["team_kind"] == "pcn").to_numpy(),
                   created=created, by_time=dated[order], times=times[order],
                   dimensions={d: Dimension.of(referrals[d]) for d in DIMENSIONS},
                   timeline=timeline, real_rows=real_rows,
                   line_times=pd.DatetimeIndex(created.iloc[:timeline]))

    def span(self, filters, *, period: bool = True) -> tuple[int, int] | None:
        """The rows the filters select as one slice of the frame (start, end), when they are
        at most a period, without simulated referrals, and the frame is in
        ``timeline_order``: the same rows ``select`` gives. None otherwise."""
        if self.real_rows < 0 or filters.include_simulated or any(
                v not in (None, "") for v in (filters.borough, filters.pcn, filters.team,
                                              filters.practice, filters.source)):
            return None
        if not period or (filters.date_from is None and filters.date_to is None):
            return 0, self.real_rows
        line = self.line_times
        low = 0 if filters.date_from is None else int(line.searchsorted(
            pd.Timestamp(filters.date_from, tz="UTC"), side="left"))
        high = len(line) if filters.date_to is None else int(line.searchsorted(
            pd.Timestamp(filters.date_to, tz="UTC") + DAY, side="left"))
        return low, max(low, high)

    def _bounds(self, date_from: date | None, date_to: date | None) -> tuple[int, int]:
        low = 0 if date_from is None else int(self.times.searchsorted(
            pd.Timestamp(date_from, tz="UTC"), side="left"))
        high = len(self.times) if date_to is None else int(self.times.searchsorted(
            pd.Timestamp(date_to, tz="UTC") + DAY, side="left"))
        return low, max(low, high)

    def select(self, filters, *, period: bool = True) -> np.ndarray:
        """Positions (ascending) of the referrals the filters select."""
        wanted = [(self.dimensions[d], self.dimensions[d].code(v)) for d, v in (
            ("lad_code", filters.borough), ("team_id", filters.pcn),
            ("team_id", filters.team), ("practice", filters.practice),
            ("source", filters.source)) if v not in (None, "")]
        dated = period and (filters.date_from is not None or filters.date_to is not None)
        if wanted:
            dimension, code = min(wanted, key=lambda w: len(w[0].positions(w[1])))
            rows = dimension.positions(code)
            keep = np.ones(len(rows), dtype=bool)
            for dimension, code in wanted:
                keep &= dimension.codes[rows] == code
            if dated:
                created = self.created.iloc[rows]
                if filters.date_from is not None:
                    keep &= (created >= pd.Timestamp(filters.date_from, tz="UTC")).to_numpy()
                if filters.date_to is not None:
                    keep &= (created < pd.Timestamp(filters.date_to, tz="UTC")
                             + DAY).to_numpy()
        elif dated:
            low, high = self._bounds(filters.date_from, filters.date_to)
            chosen = np.zeros(self.size, dtype=bool)
            chosen[self.by_time[low:high]] = True
            rows, keep = np.flatnonzero(chosen), None
        else:
            rows, keep = np.arange(self.size), None
        if filters.pcn is not None:
            keep = self.pcn[rows] if keep is None else keep & self.pcn[rows]
        if not filters.include_simulated:
            keep = self.real[rows] if keep is None else keep & self.real[rows]
        return rows if keep is None else rows[keep]
