"""Comparison-group designs: difference-in-differences and propensity-score matching.

Both need a comparison cohort (people not referred, or referred and not yet seen) measured on
the same instrument at two time points. Neither removes bias from unmeasured differences
between the groups; the report says so.
"""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from linkwell.evaluation.instruments import INSTRUMENTS

CALIPER_SD = 0.2  # caliper in SDs of the logit of the propensity score (Austin 2011)
COVARIATES = ("age", "female", "imd_decile", "baseline")


def _wide(long: pd.DataFrame) -> pd.DataFrame:
    """One row per person: baseline and follow-up score (first baseline, last follow-up)."""
    base = long[long["timepoint"] == "baseline"].drop_duplicates("pid", keep="first")
    follow = long[long["timepoint"] == "follow_up"].drop_duplicates("pid", keep="last")
    return base[["pid", "score"]].rename(columns={"score": "baseline"}).merge(
        follow[["pid", "score"]].rename(columns={"score": "follow_up"}), on="pid", how="left")


def did(treated: pd.DataFrame, comparison: pd.DataFrame) -> dict:
    """Difference-in-differences: OLS of score on group, period and their interaction, with
    standard errors clustered by person (statsmodels ``cov_type='cluster'``).

    ``treated`` and ``comparison`` are long frames with ``pid``, ``timepoint`` and ``score``.
    """
    frames = []
    for flag, frame in ((1, treated), (0, comparison)):
        frames.append(pd.DataFrame({
            "cluster": frame["pid"].to_numpy() * 2 + flag,
            "treated": flag, "post": (frame["timepoint"] == "follow_up").to_numpy(int),
            "score": frame["score"].to_numpy(float)}))
    data = pd.concat(frames, ignore_index=True)
    if data.groupby(["treated", "post"]).size().reindex(
            pd.MultiIndex.from_product([[0, 1], [0, 1]]), fill_value=0).min() < 2:
        return {"possible": False, "reason": "each group needs scores before and after"}
    t, post = data["treated"].to_numpy(float), data["post"].to_numpy(float)
    x = np.column_stack([np.ones(len(data)), t, post, t * post])  # score ~ treated * post
    fit = sm.OLS(data["score"].to_numpy(float), x).fit(
        cov_type="cluster", cov_kwds={"groups": data["cluster"].to_numpy()})
    low, high = fit.conf_int(0.05)[3]
    return {"possible": True, "estimate": float(fit.params[3]),
            "ci95": [float(low), float(high)], "p": float(fit.pvalues[3]),
            "n_people_treated": int(treated["pid"].nunique()),
            "n_people_comparison": int(comparison["pid"].nunique()),
            "n_observations": int(len(data)),
            "method": "OLS score ~ treated * post, SE clustered by person"}


def _smd(a: np.ndarray, b: np.ndarray) -> float | None:
    """Standardised mean difference with the pooled SD of the two groups."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return None
    pooled = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    return float((a.mean() - b.mean()) / pooled) if pooled > 0 else 0.0


def _nearest_without_replacement(treated_logit: np.ndarray, control_logit: np.ndarray,
                                 caliper: float, rng: np.random.Generator) -> np.ndarray:
    """Greedy 1:1 nearest-neighbour matching in random order, within the caliper.
    Returns the matched control index per treated person (-1 for none)."""
    order = np.argsort(control_logit, kind="stable")
    sorted_logit = control_logit[order]
    used = np.zeros(len(order), dtype=bool)
    match = np.full(len(treated_logit), -1)
    for i in rng.permutation(len(treated_logit)):
        x = treated_logit[i]
        pos = np.searchsorted(sorted_logit, x)
        best, best_d = -1, caliper
        left, right = pos - 1, pos
        while left >= 0 and used[left]:
            left -= 1
        while right < len(order) and used[right]:
            right += 1
        for j in (left, right):
            if 0 <= j < len(order) and abs(sorted_logit[j] - x) <= best_d:
                best, best_d = j, abs(sorted_logit[j] - x)
        if best >= 0:
            used[best] = True
            match[i] = order[best]
    return match


def psm(treated: pd.DataFrame, comparison: pd.DataFrame, seed: int = 2019) -> dict:
    """Propensity-score matched comparison of the change in score.

    ``treated``/``comparison``: one row per person with age, female, imd_decile, baseline and
    follow_up. Logistic model (statsmodels Logit) on age, sex, IMD decile and baseline score;
    greedy 1:1 nearest-neighbour matching without replacement, caliper 0.2 SD of the logit;
    effect = mean difference in change between matched pairs, paired t-test CI."""
    data = pd.concat([treated.assign(treated=1), comparison.assign(treated=0)],
                     ignore_index=True).dropna(subset=list(COVARIATES))
    if data["treated"].sum() < 10 or (data["treated"] == 0).sum() < 10:
        return {"possible": False, "reason": "fewer than 10 people in a group"}
    x = sm.add_constant(data[list(COVARIATES)].to_numpy(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.Logit(data["treated"].to_numpy(float), x).fit(disp=0)
    logit = x @ model.params
    caliper = CALIPER_SD * float(np.std(logit, ddof=1))
    is_t = data["treated"].to_numpy() == 1
    t_idx, c_idx = np.flatnonzero(is_t), np.flatnonzero(~is_t)
    match = _nearest_without_replacement(logit[is_t], logit[~is_t], caliper,
                                         np.random.default_rng(seed))
    matched_t = t_idx[match >= 0]
    matched_c = c_idx[match[match >= 0]]
    balance = []
    for column in COVARIATES:
        values = data[column].to_numpy(float)
        balance.append({"covariate": column,
                        "smd_before": _smd(values[t_idx], values[c_idx]),
                        "smd_after": _smd(values[matched_t], values[matched_c])})
    change = (data["follow_up"] - data["baseline"]).to_numpy(float)
    both = ~np.isnan(change[matched_t]) & ~np.isnan(change[matched_c])
    result = {"possible": True, "n_treated": int(is_t.sum()), "n_comparison": int((~is_t).sum()),
              "n_matched_pairs": int(len(matched_t)), "caliper_logit": caliper,
              "balance": balance, "estimate": None, "ci95": None, "p": None,
              "n_pairs_with_follow_up": int(both.sum()),
              "method": "logistic PS on age, sex, IMD decile, baseline; greedy 1:1 nearest "
                        "neighbour without replacement, caliper 0.2 SD of logit PS"}
    if both.sum() >= 10:
        test = stats.ttest_rel(change[matched_t][both], change[matched_c][both])
        ci = test.confidence_interval(0.95)
        result.update(estimate=float(np.mean(change[matched_t][both] - change[matched_c][both])),
                      ci95=[float(ci.low), float(ci.high)], p=float(test.pvalue))
    return result


def _people_wide(long: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    wide = _wide(long)
    attrs = persons.set_index("pid").reindex(wide["pid"].to_numpy())
    wide["age"] = attrs["age"].to_numpy(float)
    wide["female"] = (attrs["sex"].astype(object) == "female").to_numpy(float)
    wide["imd_decile"] = attrs["imd_decile"].astype(float).to_numpy()
    return wide


def comparison(measurements: pd.DataFrame, persons: pd.DataFrame,
               comparison_frame: pd.DataFrame | None, *, with_psm: bool = True,
               seed: int = 2019) -> dict:
    """Both designs for each instrument the two groups share."""
    if comparison_frame is None or comparison_frame.empty:
        return {"design": "pre-post only",
                "limits": "No comparison group was supplied: changes cannot be separated from "
                          "regression to the mean, natural recovery or secular trends.",
                "instruments": {}}
    c_persons = comparison_frame.drop_duplicates("pid")[["pid", "age", "sex", "imd_decile"]]
    out = {}
    for code in INSTRUMENTS:
        t_long = measurements[measurements["instrument"] == code].sort_values(
            ["pid", "episode", "measured_on"], kind="stable")
        c_long = comparison_frame[comparison_frame["instrument"] == code]
        if t_long.empty or c_long.empty:
            continue
        entry = {"did": did(t_long, c_long)}
        if with_psm:
            entry["psm"] = psm(_people_wide(t_long, persons), _people_wide(c_long, c_persons),
                               seed)
        out[code] = entry
    designs = ["difference-in-differences"] + (["propensity-score matching"] if with_psm else [])
    return {"design": " and ".join(designs),
            "limits": "Both designs assume no unmeasured differences that change over time "
                      "(DiD: parallel trends; PSM: no unmeasured confounding beyond age, sex, "
                      "IMD decile and baseline score). Matching discards unmatched people.",
            "instruments": out}
