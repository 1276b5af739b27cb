"""Attrition honesty: who is lost to follow-up, and how much the mean change depends on what
is assumed about them.

Figures for the mean change over everyone with a baseline score:

- complete cases only (assumes the people lost are like those followed up);
- missing follow-ups counted as no change (an assumption, not a bound: if the people lost got
  worse, the truth is below it);
- multiple imputation by chained equations (statsmodels MICE, predictive mean matching on
  baseline score, age, sex and IMD decile; Rubin's rules pool the imputations), which assumes
  follow-up is missing at random (MAR) given those variables;
- worst- and best-case bounds: every person lost given the worst (best) score the scale
  allows; the only figures guaranteed to contain the truth, and wide for that reason;
- a delta-adjusted (pattern-mixture) analysis: the people lost are assumed to have changed
  ``delta`` points worse than MAR predicts, so the mean moves by ``delta`` times the share
  lost; the **tipping point** is the ``delta`` at which the 95% CI would first include no
  change. A warning is given when, at the tipping point, the people lost would have changed
  on average by an amount within the middle 95% of the changes seen among those followed up:
  a departure from MAR that nothing in the data rules out would overturn the conclusion.

Nothing in these data can test MAR; the bounds and the tipping point show how much rests on it.
"""

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.imputation.mice import MICE, MICEData

from linkwell.evaluation.instruments import INSTRUMENTS, Instrument

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


def _bounds(baseline: np.ndarray, change: np.ndarray, instrument: Instrument) -> dict:
    """The mean change with every missing follow-up at the worst and at the best score of the
    scale (Manski-type bounds: they hold whatever the reason for dropout)."""
    lost = np.isnan(change)
    worst, best = ((instrument.maximum, instrument.minimum) if instrument.lower_is_better
                   else (instrument.minimum, instrument.maximum))
    out = {}
    for name, score in (("worst_case", worst), ("best_case", best)):
        filled = np.where(lost, score - baseline, change)
        out[name] = {"mean_change": float(filled.mean()), "n": int(len(filled)),
                     "assumption": f"every person lost scored {score:g} at follow-up"}
    return out


def delta_adjusted(mar: dict, complete: np.ndarray, share_lost: float,
                   instrument: Instrument) -> dict:
    """Departures from MAR: the people lost changed ``delta`` points worse than MAR predicts
    (a pattern-mixture shift), so the pooled mean and its CI move by ``delta`` x share lost.
    ``delta`` is in outcome units on the instrument's "worse" direction; the range runs to
    three meaningful changes. The tipping point is where the CI reaches no change. The
    conclusion depends on the assumption when, at the tipping point, the people lost would
    have changed on average by an amount within the middle 95% of the changes seen in the
    people followed up: a departure that nothing in the data rules out."""
    sign = -1.0 if instrument.lower_is_better else 1.0  # to the "better" direction
    mean, (low, high) = mar["mean_change"], mar["ci95"]
    better_low, better_high = sorted((sign * low, sign * high))
    # Half a meaningful change; where no threshold is published, a twentieth of the scale.
    step = (instrument.meaningful_change / 2 if instrument.meaningful_change is not None
            else (instrument.maximum - instrument.minimum) / 20)
    rows = []
    for k in range(7):
        delta = k * step
        shift = -sign * delta * share_lost
        rows.append({"delta": delta, "mean_change": mean + shift,
                     "ci95": [low + shift, high + shift]})
    observed = np.percentile(complete, [2.5, 97.5])
    out = {"share_lost": share_lost, "deltas": rows,
           "observed_change_range95": [float(observed[0]), float(observed[1])],
           "assumption": "the people lost changed by delta points worse (in the instrument's "
                         "'worse' direction) than multiple imputation under MAR predicts"}
    if share_lost == 0:
        return out | {"conclusion": "no one was lost to follow-up", "tipping_point": None,
                      "depends_on_assumption": False, "warning": None}
    # The mean change MAR predicts for the people lost, on the "better" direction.
    lost_mar = (sign * mean - (1 - share_lost) * sign * float(complete.mean())) / share_lost
    better_range = sorted(sign * observed)
    if better_low > 0 or better_high < 0:
        improved = better_low > 0
        tipping = (better_low if improved else -better_high) / share_lost
        lost_at = lost_mar - tipping if improved else lost_mar + tipping
        depends = bool(lost_at >= better_range[0] if improved else lost_at <= better_range[1])
        word, direction = (("improvement", "less well") if improved
                           else ("deterioration", "better"))
        warning = (f"The {word} rests on the assumption about the people lost to follow-up "
                   f"({100 * share_lost:.0f}% of those with a baseline score): if they had "
                   f"changed on average {tipping:.1f} points {direction} than similar people "
                   f"who were followed up (a change of {sign * lost_at:+.1f} points, within "
                   f"the range of changes seen among those followed up), the 95% CI would "
                   f"include no change." if depends else None)
        return out | {"conclusion": "improved" if improved else "worsened",
                      "tipping_point": tipping if improved else -tipping,
                      "lost_mean_change_at_tipping_point": sign * lost_at,
                      "depends_on_assumption": depends, "warning": warning}
    return out | {"conclusion": "no clear change", "tipping_point": None,
                  "depends_on_assumption": True,
                  "warning": "Even assuming the people lost are like those followed up, the "
                             "95% CI includes no change."}


def sensitivity(group: pd.DataFrame, seed: int = 2019,
                instrument: Instrument | None = None) -> dict:
    """Mean change under complete cases, no change if missing, multiple imputation, the
    worst/best-case bounds, and the delta-adjusted analysis with its tipping point."""
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
    if instrument is None or not len(change):
        return out
    out.update(_bounds(with_b["baseline"].to_numpy(float), change, instrument))
    mar = out["multiple_imputation"]
    if mar.get("ci95") is not None and len(complete) >= 2:
        out["delta_adjusted"] = delta_adjusted(mar, complete, float(np.isnan(change).mean()),
                                               instrument)
    return out


def attrition(pair_frame: pd.DataFrame, seed: int = 2019) -> dict:
    result = {}
    for code, group in pair_frame.groupby("instrument", observed=True, sort=False):
        if group["baseline"].notna().sum() == 0:
            continue
        sens = sensitivity(group, seed, INSTRUMENTS[code])
        result[code] = {"baseline_comparison": baseline_comparison(group),
                        "sensitivity": sens,
                        "tipping_point": sens.get("delta_adjusted", {}).get("tipping_point"),
                        "warning": sens.get("delta_adjusted", {}).get("warning")}
    return {code: result[code] for code in INSTRUMENTS if code in result}
