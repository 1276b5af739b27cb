from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.outcomes import improved_worsened, pre_post


def _sample(rng, n, change=2.0, sd=5.0, missing=0.3):
    baseline = rng.normal(40, 8, n)
    follow_up = baseline + change + rng.normal(0, sd, n)
    follow_up[rng.random(n) < missing] = np.nan
    return baseline, follow_up


def test_pre_post_matches_direct_scipy():
    rng = np.random.default_rng(1)
    baseline, follow_up = _sample(rng, 300)
    result = pre_post(baseline, follow_up, INSTRUMENTS["wemwbs"])

    paired = ~np.isnan(follow_up)
    b, f = baseline[paired], follow_up[paired]
    direct = stats.ttest_rel(f, b)
    ci = direct.confidence_interval()
    assert result["n_baseline"] == 300 and result["n_paired"] == paired.sum()
    assert result["n_follow_up"] == paired.sum()
    assert result["attrition_rate"] == pytest.approx(1 - paired.sum() / 300)
    assert result["mean_change"] == pytest.approx(np.mean(f - b))
    assert result["ci95"] == pytest.approx([ci.low, ci.high])
    assert result["p_t"] == pytest.approx(direct.pvalue)
    assert result["p_wilcoxon"] == pytest.approx(stats.wilcoxon(f, b).pvalue)
    assert result["cohen_dz"] == pytest.approx(np.mean(f - b) / np.std(f - b, ddof=1))
    assert result["mean_baseline"] == pytest.approx(b.mean())
    assert result["mean_follow_up"] - result["mean_baseline"] == pytest.approx(
        result["mean_change"])
    assert result["improved_share"] == pytest.approx(np.mean(f - b >= 3))
    assert result["worsened_share"] == pytest.approx(np.mean(f - b <= -3))


def test_improved_worsened_lower_is_better():
    change = np.array([-2.0, -1.0, 0.0, 1.0, 0.5])
    lower_is_better = replace(INSTRUMENTS["ucla3"], meaningful_change=1.0)
    improved, worsened = improved_worsened(change, lower_is_better)

    assert improved.tolist() == [True, True, False, False, False]
    assert worsened.tolist() == [False, False, False, True, False]


def test_pre_post_small_group_has_no_tests():
    baseline = np.array([40.0, 41, 42, 43, 44])
    result = pre_post(baseline, baseline + 2, INSTRUMENTS["wemwbs"])

    assert result["n_paired"] == 5 and result["mean_change"] == 2
    assert result["ci95"] is None and result["p_t"] is None


def test_pre_post_no_follow_up_at_all():
    result = pre_post(np.array([40.0, 41]), np.array([np.nan, np.nan]), INSTRUMENTS["wemwbs"])

    assert result["n_paired"] == 0 and result["attrition_rate"] == 1
    assert result["mean_change"] is None


@pytest.mark.slow
def test_pre_post_ci_covers_true_change_in_simulation():
    rng = np.random.default_rng(2019)
    true_change, runs = 2.0, 200
    covered = 0
    for _ in range(runs):
        baseline, follow_up = _sample(rng, 60, change=true_change)
        low, high = pre_post(baseline, follow_up, INSTRUMENTS["wemwbs"])["ci95"]
        covered += low <= true_change <= high

    assert covered / runs >= 0.90


def test_cohen_dz_positive_is_better_for_every_instrument():
    """Issue 22: improvements in anxiety and UCLA-3 (falls) showed as negative d_z."""
    rng = np.random.default_rng(3)
    baseline = rng.normal(6, 1.5, 200)
    fall = baseline - 1.0 + rng.normal(0, 1, 200)
    for code in ("ucla3", "ons4_anxiety"):
        result = pre_post(baseline, fall, INSTRUMENTS[code])
        assert result["mean_change"] < 0 < result["cohen_dz"]
        assert result["cohen_dz"] == pytest.approx(
            -np.mean(fall - baseline) / np.std(fall - baseline, ddof=1), abs=1e-9)
    rise = pre_post(baseline, fall, INSTRUMENTS["wemwbs"])
    assert rise["cohen_dz"] < 0  # a fall in wellbeing is worse
