"""Issue 22, point 2: attrition sensitivity that can warn. Under MNAR dropout (improvers more
likely to return) complete cases and MAR imputation repeat the same biased figure; the tipping
point must flag that the conclusion rests on the assumption, and stay quiet when it does
not."""

import numpy as np
import pandas as pd
import pytest

from linkwell.evaluation.attrition import attrition, sensitivity
from linkwell.evaluation.instruments import INSTRUMENTS

WEMWBS = INSTRUMENTS["wemwbs"]


def _group(rng, n, effect, *, mnar: float, base_return: float = 0.4):
    """WEMWBS pairs; follow-up returns depend on the person's own change when ``mnar`` > 0."""
    baseline = np.clip(np.rint(rng.normal(40, 8, n)), 14, 70)
    change = effect + rng.normal(0, 6, n)
    follow = np.clip(baseline + change, 14, 70)
    logit = base_return + mnar * (follow - baseline - effect)
    returned = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "instrument": pd.Categorical(["wemwbs"] * n, categories=list(INSTRUMENTS)),
        "baseline": baseline, "follow_up": np.where(returned, follow, np.nan),
        "age": rng.integers(18, 90, n).astype(float),
        "imd_decile": pd.array(rng.integers(1, 11, n), dtype="Int64"),
        "imd_quintile": pd.array(rng.integers(1, 6, n), dtype="Int64"),
        "sex": pd.Categorical(rng.choice(["female", "male"], n)),
        "age_band": pd.Categorical(rng.choice(["16-59", "60+"], n)),
    }), float(np.mean(follow - baseline))


@pytest.mark.slow
def test_tipping_point_flags_mnar_dropout():
    """No true change; improvers return more often, so complete cases and MAR imputation
    both show an improvement that dropout alone explains."""
    flagged = 0
    for seed in range(6):
        group, truth = _group(np.random.default_rng(seed), 800, 0.0, mnar=0.35)
        entry = attrition(group, seed)["wemwbs"]
        complete = entry["sensitivity"]["complete_case"]
        assert complete["ci95"][0] > truth  # the complete-case figure is biased upwards
        flagged += entry["warning"] is not None and entry["tipping_point"] is not None
    assert flagged == 6


@pytest.mark.slow
def test_tipping_point_quiet_when_the_result_is_robust():
    quiet = 0
    for seed in range(6):
        group, _ = _group(np.random.default_rng(seed), 800, 6.0, mnar=0.0, base_return=2.0)
        entry = attrition(group, seed)["wemwbs"]
        quiet += entry["warning"] is None and entry["tipping_point"] > 10
    assert quiet == 6


def test_tipping_point_is_where_the_ci_reaches_no_change_and_bounds_hold():
    group, truth = _group(np.random.default_rng(4), 600, 3.0, mnar=0.2)
    result = sensitivity(group, 4, WEMWBS)
    delta = result["delta_adjusted"]
    mar = result["multiple_imputation"]
    share = delta["share_lost"]
    assert share == pytest.approx(group["follow_up"].isna().mean())
    assert mar["ci95"][0] - delta["tipping_point"] * share == pytest.approx(0, abs=1e-9)
    for row in delta["deltas"]:
        assert row["mean_change"] == pytest.approx(mar["mean_change"] - row["delta"] * share)
    assert result["worst_case"]["mean_change"] <= truth <= result["best_case"]["mean_change"]
    assert "pessimistic" not in str(result)


def test_lower_is_better_tipping_point_in_outcome_units():
    """UCLA-3: lower is better, so improvement is a fall; the tipping point is still how much
    worse (here: higher) the people lost would have to be."""
    rng = np.random.default_rng(9)
    n = 800
    baseline = np.clip(np.rint(rng.normal(7, 1.5, n)), 3, 9)
    follow = np.clip(baseline - 1.2 + rng.normal(0, 1.2, n), 3, 9)
    follow[rng.random(n) < 0.3] = np.nan
    group = pd.DataFrame({"baseline": baseline, "follow_up": follow,
                          "age": rng.integers(18, 90, n).astype(float),
                          "imd_decile": pd.array(rng.integers(1, 11, n), dtype="Int64"),
                          "sex": pd.Categorical(rng.choice(["female", "male"], n))})
    result = sensitivity(group, 9, INSTRUMENTS["ucla3"])["delta_adjusted"]
    assert result["conclusion"] == "improved" and result["tipping_point"] > 0
    high = sensitivity(group, 9, INSTRUMENTS["ucla3"])["multiple_imputation"]["ci95"][1]
    assert high + result["tipping_point"] * result["share_lost"] == pytest.approx(0, abs=1e-9)
