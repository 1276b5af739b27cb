import numpy as np
import pandas as pd
import pytest
from scipy import stats

from linkwell.evaluation.attrition import baseline_comparison, sensitivity
from linkwell.evaluation.cost import cost, person_status


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


def test_cost_per_person_and_improved_gross_without_comparison():
    treated = np.array([200, 300, 150])  # improved, not improved, lost
    result = cost(_funding(1_000_000, 900_000, 1_200_000), people=1000,
                  completed_episodes=600, treated=treated)

    assert result["per_person_supported"]["pence"] == 1000
    assert result["per_person_supported"]["range_pence"] == [900, 1200]
    assert result["per_completed_episode"]["pence"] == pytest.approx(1_000_000 / 600)
    block = result["per_person_improved"]
    assert block["unit"] == "person" and not block["net_of_comparison"]
    assert block["pence"] == pytest.approx(1_000_000 / (1000 * 0.4))
    assert block["ci95_pence"][0] < block["pence"] < block["ci95_pence"][1]
    # Attrition bounds: the 150 lost all improved (low cost) or none did (high cost).
    assert block["attrition_range_pence"] == pytest.approx(
        [1_000_000 / (1000 * 350 / 650), 1_000_000 / (1000 * 200 / 650)])
    assert "Research, evaluation and review" in result["leaves_out"]


def test_cost_per_person_improved_is_net_of_the_comparison_group():
    result = cost(_funding(1_000_000), people=1000, completed_episodes=None,
                  treated=np.array([200, 300, 0]), comparison=np.array([100, 400, 20]))
    block = result["per_person_improved"]

    assert block["net_of_comparison"] and block["comparison"]["improved_share"] == 0.2
    assert block["pence"] == pytest.approx(1_000_000 / (1000 * (0.4 - 0.2)))
    assert block["gross_pence"] == pytest.approx(1_000_000 / (1000 * 0.4))


def test_no_net_improvement_gives_no_cost():
    result = cost(_funding(1_000_000), people=1000, completed_episodes=None,
                  treated=np.array([100, 400, 0]), comparison=np.array([150, 350, 0]))
    assert result["per_person_improved"]["pence"] is None


def test_net_cost_per_improved_covers_the_truth_in_simulation():
    """Issue 22: people referred improve with probability 0.45, comparison people 0.25; a
    third of the referred are lost at random. The true net cost is funding / (people x 0.20);
    the bootstrap interval covers it in at least 90% of runs."""
    rng = np.random.default_rng(22)
    funding, people, runs, covered = 50_000_000, 1500, 100, 0
    truth = funding / (people * (0.45 - 0.25))
    for _ in range(runs):
        improved = rng.random(people) < 0.45
        lost = rng.random(people) < 1 / 3
        treated = np.array([(improved & ~lost).sum(), (~improved & ~lost).sum(), lost.sum()])
        c_improved = rng.random(800) < 0.25
        comparison = np.array([c_improved.sum(), (~c_improved).sum(), 0])
        low, high = cost(_funding(funding), people=people, completed_episodes=None,
                         treated=treated, comparison=comparison,
                         seed=int(rng.integers(1 << 30)))["per_person_improved"]["ci95_pence"]
        covered += low <= truth <= (high if high is not None else np.inf)
    assert covered / runs >= 0.90


def test_person_status_one_primary_measure_per_person():
    pairs = pd.DataFrame({
        "pid": [1, 1, 2, 3, 4],
        "instrument": ["swemwbs", "wemwbs", "swemwbs", "wemwbs", "ucla3"],
        "baseline": [20, 40, 20, 40, 7], "follow_up": [20, 45, np.nan, 41, 5]})
    # person 1: WEMWBS first (+5, improved); 2: lost; 3: +1, not improved; 4: no primary
    assert list(person_status(pairs)) == [1, 1, 1]


def test_cost_without_funding_is_unavailable_not_zero():
    result = cost(None, people=10, completed_episodes=None, treated=np.array([20, 0, 0]))

    assert result == {"available": False, "reason": "no funding data supplied"}
