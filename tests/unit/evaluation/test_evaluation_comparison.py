import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from linkwell.evaluation.comparison import did, psm


def _long(rng, n, effect, trend=0.5, start=0):
    pid = np.arange(start, start + n)
    person = rng.normal(0, 4, n)
    before = 40 + person + rng.normal(0, 3, n)
    after = 40 + person + trend + effect + rng.normal(0, 3, n)
    return pd.DataFrame({"pid": np.concatenate([pid, pid]),
                         "timepoint": ["baseline"] * n + ["follow_up"] * n,
                         "score": np.concatenate([before, after])})


def test_did_matches_direct_statsmodels():
    rng = np.random.default_rng(5)
    treated, control = _long(rng, 150, 2.0), _long(rng, 120, 0.0)
    result = did(treated, control)

    data = pd.concat([treated.assign(treated=1, cluster=treated["pid"] * 2 + 1),
                      control.assign(treated=0, cluster=control["pid"] * 2)])
    data["post"] = (data["timepoint"] == "follow_up").astype(int)
    direct = smf.ols("score ~ treated * post", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": data["cluster"]})
    assert result["estimate"] == pytest.approx(direct.params["treated:post"])
    assert result["ci95"] == pytest.approx(list(direct.conf_int().loc["treated:post"]))


def test_did_without_follow_up_is_not_possible():
    rng = np.random.default_rng(5)
    treated, control = _long(rng, 20, 2.0), _long(rng, 20, 0.0)
    control = control[control["timepoint"] == "baseline"]

    assert did(treated, control)["possible"] is False


@pytest.mark.slow
def test_did_ci_covers_true_effect_in_simulation():
    rng = np.random.default_rng(2019)
    runs, truth, covered = 200, 1.5, 0
    for _ in range(runs):
        low, high = did(_long(rng, 80, truth), _long(rng, 80, 0.0))["ci95"]
        covered += low <= truth <= high

    assert covered / runs >= 0.90


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
