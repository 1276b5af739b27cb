"""Figures now counted by category code, or read from one partition, are exactly those the
dashboard computed before with pandas (its earlier code is written out here as the check)."""

import numpy as np
import pandas as pd
import pytest

from linkwell.insights import domain
from linkwell.referrals.domain import CLOSURE_REASONS, Status


def _decline_reasons_before(refs: pd.DataFrame) -> list[dict]:
    gone = domain.declined(refs).to_numpy()
    reason = refs["decline_reason"][gone].astype(object).where(
        refs["status"][gone] == Status.REJECTED.value, domain.DECLINED)
    return domain._by_counts(reason.value_counts(dropna=False), CLOSURE_REASONS)


@pytest.mark.parametrize("n", [0, 1, 50, 5000])
def test_decline_reasons_as_before(n):
    """Blank reasons, and a referral declined with the reason "declined" beside people who
    declined after acceptance, count as they did."""
    rng = np.random.default_rng(n)
    refs = pd.DataFrame({
        "status": rng.choice(["rejected", "accepted", "requested"], n),
        "closure_reason": rng.choice(["declined", "goals-met", None], n),
        "decline_reason": rng.choice(["other", "declined", "no-contact", None], n),
    }).astype("category")
    assert domain.decline_reasons(refs) == _decline_reasons_before(refs)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 999, 1000])
def test_centiles_as_before(n):
    rng = np.random.default_rng(n)
    days = pd.Series(np.where(rng.random(n) < 0.2, np.nan, rng.gamma(2, 7, n) / 3))
    values = days.dropna().to_numpy(float)
    expected = ({"n": len(values), "median": float(np.percentile(values, 50)),
                 "p90": float(np.percentile(values, 90))} if len(values) else
                {"n": 0, "median": None, "p90": None})
    assert domain.centiles(days) == expected


@pytest.mark.parametrize("ids", [[3, 1, 3, 40, 1, 1], [], [7], [2, 5_000_000, 2],
                                 [1.0, 2.0, 2.0]])
def test_team_counts_as_value_counts(ids):
    ids = np.asarray(ids, dtype=float if any(isinstance(i, float) for i in ids) else np.int64)
    expected = pd.Series(ids).value_counts()
    got = domain._team_counts(ids)
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    assert got.index.dtype == expected.index.dtype
