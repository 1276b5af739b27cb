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


def person_pairs(long: pd.DataFrame) -> pd.DataFrame:
    """One row per person: baseline and follow-up score (first baseline, last follow-up)."""
    base = long[long["timepoint"] == "baseline"].drop_duplicates("pid", keep="first")
    follow = long[long["timepoint"] == "follow_up"].drop_duplicates("pid", keep="last")
    return base[["pid", "score"]].rename(columns={"score": "baseline"}).merge(
        follow[["pid", "score"]].rename(columns={"score": "follow_up"}), on="pid", how="left")


DID_ESTIMAND = (
    "average effect of support on the change in score among people with both measures "
    "(balanced panel), under conditional parallel trends: without support, the referred "
    "people's change would equal the comparison group's change at the same baseline, age, sex "
    "and IMD decile; follow-up missing at random given those variables")
DID_COVARIATES = ("baseline", "age", "imd_decile")
MIN_SEX_GROUP = 10


def _design(data: pd.DataFrame, adjusted: bool) -> tuple[np.ndarray, list[str]]:
    """Treatment indicator first, then (if ``adjusted``) baseline, age, IMD decile and sex
    indicators (reference: the most common sex), each only if it varies. A sex recorded for
    fewer than ``MIN_SEX_GROUP`` people joins the reference: a handful of people would each
    have leverage near 1, where HC3 is undefined."""
    columns = {"const": np.ones(len(data)), "treated": data["treated"].to_numpy(float)}
    if adjusted:
        for name in DID_COVARIATES:
            columns[name] = data[name].to_numpy(float)
        sexes = data["sex"].astype(object).fillna("unknown")
        reference = sexes.value_counts().index[0]
        counts = sexes.value_counts()
        for value in sorted(set(counts.index[counts >= MIN_SEX_GROUP]) - {reference}):
            columns[f"sex_{value}"] = (sexes == value).to_numpy(float)
    names = [k for k, v in columns.items() if k in ("const", "treated") or np.ptp(v) > 0]
    return np.column_stack([columns[k] for k in names]), names


def _change_fit(data: pd.DataFrame, adjusted: bool) -> dict:
    x, names = _design(data, adjusted)
    fit = sm.OLS((data["follow_up"] - data["baseline"]).to_numpy(float), x).fit(cov_type="HC3")
    low, high = fit.conf_int(0.05)[1]
    return {"estimate": float(fit.params[1]), "ci95": [float(low), float(high)],
            "p": float(fit.pvalues[1]), "covariates": names[2:]}


def did(treated: pd.DataFrame, comparison: pd.DataFrame) -> dict:
    """Difference-in-differences on the balanced panel: people with both a baseline and a
    follow-up score. Change-score regression ``change ~ treated + baseline + age + sex + IMD
    decile`` by OLS with HC3 robust standard errors (statsmodels), and beside it the unadjusted
    ``change ~ treated`` (the classic two-group, two-period DiD on the same people).

    ``treated``/``comparison``: one row per person with ``baseline``, ``follow_up``, ``age``,
    ``sex``, ``imd_decile`` (see ``_people_wide``). People lost to follow-up do not enter:
    pooled OLS on the unbalanced long data lets their baselines shift the "before" mean.
    """
    data = pd.concat([treated.assign(treated=1), comparison.assign(treated=0)],
                     ignore_index=True)
    paired = data.dropna(subset=["baseline", "follow_up"])
    n_t, n_c = int(paired["treated"].sum()), int((paired["treated"] == 0).sum())
    if n_t < 10 or n_c < 10:
        return {"possible": False,
                "reason": "fewer than 10 people with scores before and after in a group"}
    complete = paired.dropna(subset=list(DID_COVARIATES))
    unadjusted = _change_fit(paired, adjusted=False)
    result = {"possible": True, "estimand": DID_ESTIMAND,
              "n_people_treated": n_t, "n_people_comparison": n_c,
              "n_lost_treated": int((data["treated"] == 1).sum()) - n_t,
              "n_lost_comparison": int((data["treated"] == 0).sum()) - n_c,
              "unadjusted": unadjusted | {
                  "method": "OLS change ~ treated on the balanced panel, HC3 robust SE"},
              "parallel_trends": parallel_trends(comparison.dropna(
                  subset=["baseline", "follow_up", *DID_COVARIATES]))}
    if (complete["treated"].sum() < 10 or (complete["treated"] == 0).sum() < 10):
        return result | {"estimate": None, "ci95": None, "p": None,
                         "method": "too few people with age and IMD decile recorded to adjust"}
    adjusted = _change_fit(complete, adjusted=True)
    return result | {
        "estimate": adjusted["estimate"], "ci95": adjusted["ci95"], "p": adjusted["p"],
        "covariates": adjusted["covariates"],
        "n_people_adjusted": int(len(complete)),
        "method": "OLS change ~ treated + baseline + age + sex + IMD decile on the balanced "
                  "panel (people with both measures), HC3 robust SE"}


def parallel_trends(comparison: pd.DataFrame) -> dict:
    """What can be checked of parallel trends with two time points: an event study needs
    several, so this tests whether the comparison group's change depends on the covariates
    (joint Wald test, HC3). A dependence means the unadjusted DiD is biased wherever the groups
    differ on those covariates; the adjusted estimate allows for it."""
    out = {"event_study": None,
           "event_study_reason": "two time points (baseline and follow-up) only: an event "
                                 "study needs several measures before support"}
    data = comparison.assign(treated=0)
    if len(data) < 20:
        return out | {"comparison_trend_p": None}
    x, names = _design(data, adjusted=True)
    x, names = np.delete(x, 1, axis=1), [n for n in names if n != "treated"]
    if len(names) < 2:
        return out | {"comparison_trend_p": None}
    fit = sm.OLS((data["follow_up"] - data["baseline"]).to_numpy(float), x).fit(cov_type="HC3")
    test = fit.wald_test(np.eye(len(names))[1:], scalar=True)
    return out | {"comparison_trend_p": float(test.pvalue),
                  "comparison_trend_covariates": names[1:],
                  "comparison_trend_method": "Wald test that the comparison group's change "
                                             "does not depend on the covariates (OLS, HC3)"}


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
    is_t = data["treated"].to_numpy() == 1
    # Austin (2011): 0.2 of the SD of the logit pooled within the two groups.
    pooled_sd = np.sqrt((np.var(logit[is_t], ddof=1) + np.var(logit[~is_t], ddof=1)) / 2)
    caliper = CALIPER_SD * float(pooled_sd)
    t_idx, c_idx = np.flatnonzero(is_t), np.flatnonzero(~is_t)
    match = _nearest_without_replacement(logit[is_t], logit[~is_t], caliper,
                                         np.random.default_rng(seed))
    matched_t = t_idx[match >= 0]
    matched_c = c_idx[match[match >= 0]]
    change = (data["follow_up"] - data["baseline"]).to_numpy(float)
    both = ~np.isnan(change[matched_t]) & ~np.isnan(change[matched_c])
    # Balance where it matters: the pairs the estimate uses (follow-up on both sides).
    analysed_t, analysed_c = matched_t[both], matched_c[both]
    balance = []
    for column in COVARIATES:
        values = data[column].to_numpy(float)
        balance.append({"covariate": column,
                        "smd_before": _smd(values[t_idx], values[c_idx]),
                        "smd_matched": _smd(values[matched_t], values[matched_c]),
                        "smd_after": _smd(values[analysed_t], values[analysed_c])})
    result = {"possible": True, "n_treated": int(is_t.sum()), "n_comparison": int((~is_t).sum()),
              "n_matched_pairs": int(len(matched_t)), "caliper_logit": caliper,
              "balance": balance, "estimate": None, "ci95": None, "p": None,
              "n_pairs_with_follow_up": int(both.sum()),
              "balance_sample": "smd_after: the matched pairs with follow-up on both sides (the "
                                "pairs analysed); smd_matched: every matched pair",
              "method": "logistic PS on age, sex, IMD decile, baseline; greedy 1:1 nearest "
                        "neighbour without replacement, caliper 0.2 SD of the logit PS pooled "
                        "within groups"}
    if both.sum() >= 10:
        test = stats.ttest_rel(change[matched_t][both], change[matched_c][both])
        ci = test.confidence_interval(0.95)
        result.update(estimate=float(np.mean(change[matched_t][both] - change[matched_c][both])),
                      ci95=[float(ci.low), float(ci.high)], p=float(test.pvalue))
    return result


def _people_wide(long: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    wide = person_pairs(long)
    attrs = persons.set_index("pid").reindex(wide["pid"].to_numpy())
    wide["age"] = attrs["age"].to_numpy(float)
    wide["sex"] = attrs["sex"].astype(object).to_numpy()
    wide["female"] = (wide["sex"] == "female").to_numpy(float)
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
        t_wide, c_wide = _people_wide(t_long, persons), _people_wide(c_long, c_persons)
        entry = {"did": did(t_wide, c_wide)}
        if with_psm:
            entry["psm"] = psm(t_wide, c_wide, seed)
        out[code] = entry
    designs = ["difference-in-differences"] + (["propensity-score matching"] if with_psm else [])
    return {"design": " and ".join(designs),
            "limits": "Both designs assume no unmeasured differences that change over time "
                      "(DiD: parallel trends; PSM: no unmeasured confounding beyond age, sex, "
                      "IMD decile and baseline score). Matching discards unmatched people.",
            "instruments": out}
