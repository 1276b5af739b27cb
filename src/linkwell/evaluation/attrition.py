"""Attrition honesty: who is lost to follow-up, and how much the mean change depends on what
is assumed about them.

Three figures bracket the mean change: complete cases only; missing follow-ups assumed to show
no change (baseline carried forward, a pessimistic bound when support helps); and multiple
imputation by chained equations (statsmodels MICE, predictive mean matching on baseline score,
age, sex and IMD decile; Rubin's rules pool the imputations). MICE assumes follow-up is missing
at random given those variables; nothing can test that from these data.
"""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.imputation.mice import MICE, MICEData

from linkwell.evaluation.instruments import INSTRUMENTS

MICE_MAX_ROWS = 5_000  # a seeded random sample above this keeps MICE to about a second
MICE_IMPUTATIONS = 10
# Only the change is incomplete, so every imputation is drawn from a model fitted to the
# observed rows: no chain to burn in or thin.
MICE_BURNIN = 1
CATEGORICAL = ("sex", "imd_quintile", "age_band")


def _compare_numeric(kept: np.ndarray, lost: np.ndarray) -> dict:
    kept, lost = kept[~np.isnan(kept)], lost[~np.isnan(lost)]
    out = {"mean_followed_up": float(kept.mean()) if len(kept) else None,
           "mean_lost": float(lost.mean()) if len(lost) else None, "p_welch_t": None}
    if len(kept) >= 2 and len(lost) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            p = stats.ttest_ind(kept, lost, equal_var=False).pvalue
        out["p_welch_t"] = None if np.isnan(p) else float(p)
    return out


def _compare_categorical(values: pd.Series, followed: np.ndarray) -> dict:
    table = pd.crosstab(values.to_numpy(), followed)
    table = table.loc[table.sum(axis=1) > 0]
    shares = {}
    for key, row in table.iterrows():
        key = key.item() if hasattr(key, "item") else key
        shares[str(key)] = {
            "share_followed_up": float(row.get(True, 0) / max(table.get(True, pd.Series(
                [0])).sum(), 1)),
            "share_lost": float(row.get(False, 0) / max(table.get(False, pd.Series(
                [0])).sum(), 1))}
    p = None
    if table.shape[0] >= 2 and table.shape[1] == 2:
        p = float(stats.chi2_contingency(table.to_numpy()).pvalue)
    return {"shares": shares, "p_chi2": p}


def baseline_comparison(group: pd.DataFrame) -> dict:
    """Baseline characteristics of people with and without a follow-up measure."""
    with_b = group[group["baseline"].notna()]
    followed = with_b["follow_up"].notna().to_numpy()
    out = {"n_followed_up": int(followed.sum()), "n_lost": int((~followed).sum()),
           "baseline_score": _compare_numeric(with_b["baseline"].to_numpy(float)[followed],
                                              with_b["baseline"].to_numpy(float)[~followed]),
           "age": _compare_numeric(with_b["age"].to_numpy(float)[followed],
                                   with_b["age"].to_numpy(float)[~followed])}
    for column in CATEGORICAL:
        known = with_b[column].notna().to_numpy()
        out[column] = _compare_categorical(with_b[column][known], followed[known])
    return out


def _mice(with_b: pd.DataFrame, seed: int) -> dict:
    data = pd.DataFrame({
        "change": (with_b["follow_up"] - with_b["baseline"]).to_numpy(float),
        "baseline": with_b["baseline"].to_numpy(float),
        "age": with_b["age"].to_numpy(float),
        "imd_decile": with_b["imd_decile"].astype(float).to_numpy(),
        "female": (with_b["sex"] == "female").to_numpy(float),
    })
    data = data.dropna(subset=["baseline", "age", "imd_decile"])
    sampled = len(data) > MICE_MAX_ROWS
    if sampled:
        data = data.sample(MICE_MAX_ROWS, random_state=seed)
    if data["change"].notna().sum() < 10 or data["change"].isna().sum() == 0:
        return {"mean_change": None, "ci95": None, "note": "too few rows to impute"}
    # With a centred covariate the OLS intercept is exactly the mean change; statsmodels'
    # pooling needs more than one parameter.
    data["baseline_c"] = data["baseline"] - data["baseline"].mean()
    imputed = MICEData(data.reset_index(drop=True), rng=seed)
    imputed.set_imputer("change", formula="baseline + age + imd_decile + female")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = MICE("change ~ baseline_c", sm.OLS, imputed, n_skip=0).fit(
            n_burnin=MICE_BURNIN, n_imputations=MICE_IMPUTATIONS)
    low, high = fit.conf_int(0.05)[0]
    return {"mean_change": float(fit.params[0]), "ci95": [float(low), float(high)],
            "n": int(len(data)), "sampled": sampled, "imputations": MICE_IMPUTATIONS}


def sensitivity(group: pd.DataFrame, seed: int = 2019) -> dict:
    """Mean change under complete-case, no-change-if-missing and multiple imputation."""
    with_b = group[group["baseline"].notna()]
    change = (with_b["follow_up"] - with_b["baseline"]).to_numpy(float)
    complete = change[~np.isnan(change)]
    out = {}
    if len(complete) >= 2:
        ci = stats.ttest_1samp(complete, 0).confidence_interval(0.95)
        out["complete_case"] = {"mean_change": float(complete.mean()),
                                "ci95": [float(ci.low), float(ci.high)], "n": len(complete)}
    else:
        out["complete_case"] = {"mean_change": None, "ci95": None, "n": len(complete)}
    carried = np.nan_to_num(change, nan=0.0)
    if len(carried) >= 2 and carried.std() > 0:
        ci = stats.ttest_1samp(carried, 0).confidence_interval(0.95)
        out["missing_as_no_change"] = {"mean_change": float(carried.mean()),
                                       "ci95": [float(ci.low), float(ci.high)],
                                       "n": len(carried)}
    else:
        out["missing_as_no_change"] = {"mean_change": None, "ci95": None, "n": len(carried)}
    out["multiple_imputation"] = _mice(with_b, seed)
    return out


def attrition(pair_frame: pd.DataFrame, seed: int = 2019) -> dict:
    result = {}
    for code, group in pair_frame.groupby("instrument", observed=True, sort=False):
        if group["baseline"].notna().sum() == 0:
            continue
        result[code] = {"baseline_comparison": baseline_comparison(group),
                        "sensitivity": sensitivity(group, seed)}
    return {code: result[code] for code in INSTRUMENTS if code in result}
