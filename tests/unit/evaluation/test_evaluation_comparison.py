import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from linkwell.evaluation.comparison import did, psm
from linkwell.evaluation.simulate import did_scenario

TRUTH = 2.5


def test_did_matches_direct_statsmodels_on_the_balanced_panel():
    treated, control = did_scenario(np.random.default_rng(5), 300, 250, effect=TRUTH)
    result = did(treated, control)

    data = pd.concat([treated.assign(treated=1), control.assign(treated=0)])
    data = data.dropna(subset=["follow_up"]).assign(change=lambda d: d.follow_up - d.baseline)
    adjusted = smf.ols("change ~ treated + baseline + age + imd_decile + C(sex)",
                       data=data).fit(cov_type="HC3")
    unadjusted = smf.ols("change ~ treated", data=data).fit(cov_type="HC3")
    assert result["estimate"] == pytest.approx(adjusted.params["treated"], abs=1e-6)
    assert result["ci95"] == pytest.approx(list(adjusted.conf_int().loc["treated"]), abs=1e-6)
    assert result["p"] == pytest.approx(adjusted.pvalues["treated"], abs=1e-6)
    assert result["unadjusted"]["estimate"] == pytest.approx(unadjusted.params["treated"],
                                                             abs=1e-6)
    assert result["unadjusted"]["ci95"] == pytest.approx(
        list(unadjusted.conf_int().loc["treated"]), abs=1e-6)
    assert result["n_people_treated"] + result["n_people_comparison"] == len(data)
    assert "balanced panel" in result["estimand"]


def test_did_ignores_people_without_follow_up():
    """The reported bias: pooled OLS on the long data let the baselines of people lost to
    follow-up shift the "before" mean. Their baselines must not move the estimate."""
    treated, control = did_scenario(np.random.default_rng(8), 200, 200)
    before = did(treated, control)
    lost = treated["follow_up"].isna()
    shifted = treated.assign(baseline=np.where(lost, treated["baseline"] - 30,
                                               treated["baseline"]))

    assert did(shifted, control)["estimate"] == pytest.approx(before["estimate"], abs=1e-9)
    assert before["n_lost_treated"] == int(lost.sum())


def test_did_too_few_with_follow_up_is_not_possible():
    treated, control = did_scenario(np.random.default_rng(5), 40, 40)
    control = control.assign(follow_up=np.nan)

    assert did(treated, control)["possible"] is False


def test_did_covers_truth_under_mar_dropout_and_confounded_trends():
    """Dropout depends on baseline; the untreated change depends on age and deprivation, on
    which the groups differ. The adjusted estimate covers the truth in >= 90% of runs; the
    unadjusted one, biased by the confounded trends, does not."""
    rng = np.random.default_rng(2026)
    runs, covered, unadjusted_covered, trend_flagged = 100, 0, 0, 0
    for _ in range(runs):
        result = did(*did_scenario(rng, 250, 250, effect=TRUTH))
        covered += result["ci95"][0] <= TRUTH <= result["ci95"][1]
        low, high = result["unadjusted"]["ci95"]
        unadjusted_covered += low <= TRUTH <= high
        trend_flagged += result["parallel_trends"]["comparison_trend_p"] < 0.05

    assert covered / runs >= 0.90
    assert unadjusted_covered / runs < 0.5
    assert trend_flagged / runs > 0.9


def _people(rng, n, treated):
    imd = rng.integers(1, 11, n).astype(float)
    age = rng.normal(50 if treated else 56, 12, n)
    baseline = rng.normal(38 if treated else 42, 8, n) + 0.3 * imd
    follow = baseline + (3.0 if treated else 0.5) + rng.normal(0, 4, n)
    return pd.DataFrame({"pid": np.arange(n), "age": age,
                         "female": rng.integers(0, 2, n).astype(float), "imd_decile": imd,
                         "baseline": baseline, "follow_up": follow})


def test_psm_improves_balance_and_recovers_effect():
    rng = np.random.default_rng(11)
    result = psm(_people(rng, 400, True), _people(rng, 1200, False))

    assert result["possible"] and result["n_matched_pairs"] > 200
    by = {b["covariate"]: b for b in result["balance"]}
    assert abs(by["baseline"]["smd_before"]) > 0.3
    assert all(abs(b["smd_after"]) < 0.1 for b in result["balance"])
    assert result["ci95"][0] < 2.5 < result["ci95"][1]


def test_psm_too_few_people_is_not_possible():
    rng = np.random.default_rng(1)
    assert psm(_people(rng, 5, True), _people(rng, 50, False))["possible"] is False


def test_psm_caliper_pooled_within_groups_and_balance_on_the_analysed_pairs():
    """Issue 22: balance was reported on all matched pairs while the estimate used only the
    pairs with follow-up on both sides; the caliper used the SD over the combined sample."""
    rng = np.random.default_rng(12)
    treated, control = _people(rng, 400, True), _people(rng, 1200, False)
    # Treated people with a high baseline are mostly lost to follow-up.
    lost = (treated["baseline"] > treated["baseline"].median()) & (rng.random(400) < 0.9)
    treated.loc[lost, "follow_up"] = np.nan
    result = psm(treated, control)

    data = pd.concat([treated.assign(t=1), control.assign(t=0)], ignore_index=True)
    x = sm.add_constant(data[["age", "female", "imd_decile", "baseline"]].to_numpy(float))
    logit = x @ sm.Logit(data["t"].to_numpy(float), x).fit(disp=0).params
    is_t = data["t"].to_numpy() == 1
    pooled = np.sqrt((logit[is_t].var(ddof=1) + logit[~is_t].var(ddof=1)) / 2)
    assert result["caliper_logit"] == pytest.approx(0.2 * pooled, rel=1e-6)
    by = {b["covariate"]: b for b in result["balance"]}
    assert abs(by["baseline"]["smd_matched"]) < 0.1
    assert abs(by["baseline"]["smd_after"]) > abs(by["baseline"]["smd_matched"]) + 0.1
