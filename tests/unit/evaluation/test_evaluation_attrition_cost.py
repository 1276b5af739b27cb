import numpy as np
import pandas as pd
import pytest
from scipy import stats

from linkwell.evaluation.attrition import baseline_comparison, sensitivity
from linkwell.evaluation.cost import cost


def _group(seed=3, n=600, missing=0.35):
    rng = np.random.default_rng(seed)
    baseline = rng.normal(40, 8, n)
    follow = baseline + 3 + rng.normal(0, 5, n)
    follow[rng.random(n) < missing] = np.nan
    return pd.DataFrame({
        "baseline": baseline, "follow_up": follow, "age": rng.integers(18, 90, n).astype(float),
        "imd_decile": pd.array(rng.integers(1, 11, n), dtype="Int64"),
        "imd_quintile": pd.array(rng.integers(1, 6, n), dtype="Int64"),
        "sex": pd.Categorical(rng.choice(["female", "male"], n)),
        "age_band": pd.Categorical(rng.choice(["16-59", "60+"], n)),
    })


def test_sensitivity_complete_case_and_no_change_match_scipy():
    group = _group()
    result = sensitivity(group)

    change = (group["follow_up"] - group["baseline"]).to_numpy()
    complete = change[~np.isnan(change)]
    ci = stats.ttest_1samp(complete, 0).confidence_interval()
    assert result["complete_case"]["mean_change"] == pytest.approx(complete.mean())
    assert result["complete_case"]["ci95"] == pytest.approx([ci.low, ci.high])
    carried = np.nan_to_num(change)
    assert result["missing_as_no_change"]["mean_change"] == pytest.approx(carried.mean())
    # Missing completely at random: multiple imputation lands near the complete-case mean.
    mi = result["multiple_imputation"]
    assert mi["ci95"][0] < 3.0 < mi["ci95"][1]
    assert abs(mi["mean_change"] - complete.mean()) < 0.5


def test_baseline_comparison_tests_match_scipy():
    group = _group()
    result = baseline_comparison(group)

    followed = group["follow_up"].notna()
    assert result["n_followed_up"] == followed.sum()
    welch = stats.ttest_ind(group.loc[followed, "age"], group.loc[~followed, "age"],
                            equal_var=False)
    assert result["age"]["p_welch_t"] == pytest.approx(welch.pvalue)
    chi = stats.chi2_contingency(pd.crosstab(group["sex"], followed).to_numpy())
    assert result["sex"]["p_chi2"] == pytest.approx(chi.pvalue)


def _funding(total, low=None, high=None):
    return pd.DataFrame({"label": ["x"], "total_pence": [total], "low_pence": [low or total],
                         "high_pence": [high or total]})


def test_cost_per_person_and_improved_with_ci():
    improved = np.random.default_rng(1).random(500) < 0.4
    result = cost(_funding(1_000_000, 900_000, 1_200_000), people=1000,
                  completed_episodes=600, improved=improved)

    assert result["per_person_supported"]["pence"] == 1000
    assert result["per_person_supported"]["range_pence"] == [900, 1200]
    assert result["per_completed_episode"]["pence"] == pytest.approx(1_000_000 / 600)
    block = result["per_person_improved"]
    assert block["pence"] == pytest.approx(1_000_000 / (1000 * improved.mean()))
    assert block["ci95_pence"][0] < block["pence"] < block["ci95_pence"][1]
    assert block["observed_improvements_only_pence"] > block["pence"]


def test_cost_without_funding_is_unavailable_not_zero():
    result = cost(None, people=10, completed_episodes=None, improved=np.array([True] * 20))

    assert result == {"available": False, "reason": "no funding data supplied"}
