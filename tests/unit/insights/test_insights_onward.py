"""Onward referrals by service and provider, counted from the frame ``onward.prepare`` sorts,
agree exactly (to the last bit) with grouping the selected rows with pandas, as the dashboard
did before: counts, and the median and 90th centile of days to the provider's answer."""

import numpy as np
import pandas as pd
import pytest

from linkwell.insights import onward


def _frame(rng, n: int) -> pd.DataFrame:
    services = pd.Series(rng.integers(0, 40, n)).map("Service {}".format).astype(object)
    services[rng.random(n) < 0.02] = None  # a blank service is left out, as groupby does
    days = rng.gamma(2.0, 5.0, n) * rng.choice([1.0, 1 / 3, 0.1], n)
    days[rng.random(n) < 0.2] = np.nan  # not answered
    days[rng.random(n) < 0.1] = np.round(days[rng.random(n) < 0.1][:1].sum(), 0)  # ties
    return pd.DataFrame({
        "service": services, "provider": pd.Series(rng.integers(0, 7, n)).map(
            "Provider {}".format), "days": days, "accepted": rng.random(n) < 0.6,
        "completed": rng.random(n) < 0.3}).astype({"service": "category",
                                                   "provider": "category"})


def _pandas(mine: pd.DataFrame) -> list[tuple]:
    groups = mine.groupby(["service", "provider"], sort=True, observed=True)
    table = groups.agg(sent=("accepted", "size"), accepted=("accepted", "sum"),
                       completed=("completed", "sum"))
    table["median"] = groups["days"].median()
    table["p90"] = groups["days"].quantile(0.9)
    table = table.reset_index()
    columns = [table[c].astype(object).tolist() if c in ("service", "provider")
               else table[c].to_numpy().tolist() for c in
               ("service", "provider", "sent", "accepted", "completed", "median", "p90")]
    return list(zip(*columns, strict=True))


def _same(a: list[tuple], b: list[tuple]) -> bool:
    return len(a) == len(b) and all(
        all((x == y) or (x != x and y != y) for x, y in zip(r, s, strict=True))
        for r, s in zip(a, b, strict=True))


@pytest.mark.parametrize("seed", range(6))
def test_rows_are_exactly_what_grouping_with_pandas_gives(seed):
    rng = np.random.default_rng(seed)
    frame = _frame(rng, int(rng.integers(1, 4000)))
    prepared = onward.prepare(frame)
    for share in (1.0, 0.5, 0.05, 0.001, 0.0):
        keep = rng.random(len(prepared)) < share
        assert _same(onward.rows(prepared, keep), _pandas(prepared[keep]))


def test_groups_of_one_two_and_none_answered():
    frame = pd.DataFrame({
        "service": ["A", "A", "B", "B", "B", "C"], "provider": ["p", "p", "p", "q", "q", "p"],
        "days": [1.0, 4.0, 2.5, np.nan, np.nan, 7.0], "accepted": [True] * 6,
        "completed": [False] * 6}).astype({"service": "category", "provider": "category"})
    got = onward.rows(onward.prepare(frame), np.ones(6, dtype=bool))
    assert [r[:5] for r in got] == [("A", "p", 2, 2, 0), ("B", "p", 1, 1, 0),
                                    ("B", "q", 2, 2, 0), ("C", "p", 1, 1, 0)]
    assert got[0][5:] == (2.5, 1.0 + 3.0 * 0.9)
    assert got[1][5:] == (2.5, 2.5) and got[3][5:] == (7.0, 7.0)
    assert all(v != v for v in got[2][5:])  # none answered: no median, no centile
    assert _same(got, _pandas(frame))
