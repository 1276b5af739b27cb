"""Outcomes before and after support, per instrument, overall and by IMD quintile, borough, sex
and age band, so the report shows whether benefit is unequal.

A pair is one episode's earliest baseline and latest follow-up on an instrument. Tests use
SciPy with its default options (paired t-test, Wilcoxon signed-rank), so anyone can reproduce
the figures; the CI for the mean change is the t-based one of the paired t-test. Groups with
fewer than ``MIN_TEST_N`` pairs get counts and means but no tests, and groups of at most 13
pairs with tied differences get no Wilcoxon p-value (SciPy's default would be an exhaustive
permutation test taking seconds per group).
"""

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from linkwell.evaluation.instruments import INSTRUMENTS, Instrument
from linkwell.evaluation.reach import person_level

BREAKDOWNS = {"imd_quintile": "imd_quintile", "borough": "lad_name", "sex": "sex",
              "age_band": "age_band"}
MIN_TEST_N = 10  # no tests or CIs on fewer pairs (and such groups are suppressed when shown)
WILCOXON_PERMUTATION_MAX_N = 13
PERSON_COLUMNS = ["imd_decile", "imd_quintile", "lad_code", "lad_name", "sex", "age_band",
                  "age", "ethnicity"]


def _last_per_key(key: np.ndarray, when: np.ndarray, first: bool) -> np.ndarray:
    """Row positions of the earliest (``first``) or latest measure for each key."""
    order = np.lexsort((when, key))
    k = key[order]
    if first:
        keep = np.ones(len(k), dtype=bool)
        keep[1:] = k[1:] != k[:-1]
    else:
        keep = np.ones(len(k), dtype=bool)
        keep[:-1] = k[:-1] != k[1:]
    return order[keep]


def paired_scores(measurements: pd.DataFrame) -> pd.DataFrame:
    """One row per episode and instrument: ``pid``, ``episode``, ``instrument``, the
    ``baseline`` (the earliest) and the ``follow_up`` (the latest), NaN when missing, in a
    fixed order (person, instrument, episode). Vectorised on integer keys."""
    episode, episodes = pd.factorize(measurements["episode"])
    instrument = measurements["instrument"].cat.codes.to_numpy().astype(np.int64)
    key = episode.astype(np.int64) * len(INSTRUMENTS) + instrument
    when = measurements["measured_on"].to_numpy().astype("datetime64[s]").astype(np.int64)
    when = np.where(measurements["measured_on"].isna().to_numpy(), np.iinfo(np.int64).min,
                    when)
    is_base = (measurements["timepoint"] == "baseline").to_numpy()
    base_rows = np.flatnonzero(is_base)[_last_per_key(key[is_base], when[is_base], True)]
    follow_rows = np.flatnonzero(~is_base)[_last_per_key(key[~is_base], when[~is_base],
                                                           False)]
    score = measurements["score"].to_numpy(float)
    pid = measurements["pid"].to_numpy()
    base = pd.DataFrame({"key": key[base_rows], "pid": pid[base_rows],
                         "baseline": score[base_rows]})
    follow = pd.DataFrame({"key": key[follow_rows], "pid_f": pid[follow_rows],
                           "follow_up": score[follow_rows]})
    out = base.merge(follow, on="key", how="outer", sort=False)
    out["pid"] = out["pid"].fillna(out.pop("pid_f")).astype(np.int64)
    codes = out.pop("key").to_numpy()
    out["episode"] = np.asarray(episodes)[codes // len(INSTRUMENTS)]
    out["instrument"] = pd.Categorical.from_codes((codes % len(INSTRUMENTS)).astype(np.int8),
                                                  categories=list(INSTRUMENTS))
    # A fixed row order (whatever order the input came in) keeps imputation samples and
    # matching reproducible.
    return out.sort_values(["pid", "instrument", "episode"], kind="stable",
                           ignore_index=True)


def pairs(measurements: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """One row per episode and instrument with ``baseline`` and ``follow_up`` (NaN when
    missing) and the person's characteristics at first referral. Vectorised on integer keys:
    a million people pair in a few seconds."""
    out = paired_scores(measurements)
    persons = person_level(people)
    position = np.full(int(people["pid"].max()) + 1 if len(people) else 0, -1, dtype=np.int64)
    position[persons["pid"].to_numpy()] = np.arange(len(persons))
    at = position[out["pid"].to_numpy()]
    for column in PERSON_COLUMNS:
        values = persons[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            out[column] = pd.Categorical.from_codes(values.cat.codes.to_numpy()[at],
                                                    categories=values.cat.categories)
        else:
            out[column] = values.iloc[at].to_numpy() if len(at) else values.iloc[:0]
    return out


def improved_worsened(change: np.ndarray, instrument: Instrument) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    """Meaningful improvement and deterioration, respecting the instrument's direction
    (an instrument without a published threshold has neither: see ``has_threshold``)."""
    if instrument.meaningful_change is None:
        raise ValueError(f"{instrument.code} has no published meaningful-change threshold")
    better = -change if instrument.lower_is_better else change
    return better >= instrument.meaningful_change, better <= -instrument.meaningful_change


def _slow_permutation(change: np.ndarray) -> bool:
    """Whether SciPy's default Wilcoxon would run its exhaustive permutation test (at most
    13 pairs with tied or zero differences): seconds per group, so it is left out there."""
    if len(change) > WILCOXON_PERMUTATION_MAX_N:
        return False
    nonzero = np.abs(change[change != 0])
    return len(nonzero) < len(change) or len(np.unique(nonzero)) < len(nonzero)


def pre_post(baseline: np.ndarray, follow_up: np.ndarray, instrument: Instrument) -> dict:
    """The per-instrument statistics of the JSON contract for one group."""
    has_b, has_f = ~np.isnan(baseline), ~np.isnan(follow_up)
    paired = has_b & has_f
    n_b, n_f, n_p = int(has_b.sum()), int(has_f.sum()), int(paired.sum())
    b, f = baseline[paired], follow_up[paired]
    change = f - b
    result = {
        "n_baseline": n_b, "n_follow_up": n_f, "n_paired": n_p,
        "attrition_rate": 1 - n_p / n_b if n_b else None,
        # Both means over the paired people, so that their difference is the mean change.
        "mean_baseline": float(b.mean()) if n_p else None,
        "mean_follow_up": float(f.mean()) if n_p else None,
        "mean_change": float(change.mean()) if n_p else None,
        "ci95": None, "p_t": None, "p_wilcoxon": None, "cohen_dz": None,
        "improved_share": None, "worsened_share": None,
        "lower_is_better": instrument.lower_is_better,
        "meaningful_change": instrument.meaningful_change,
    }
    if n_p == 0:
        return result
    if instrument.meaningful_change is not None:  # no published threshold: no share improved
        improved, worsened = improved_worsened(change, instrument)
        result["improved_share"] = float(improved.mean())
        result["worsened_share"] = float(worsened.mean())
    if n_p < MIN_TEST_N:
        return result
    sd = float(change.std(ddof=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if sd > 0:
            test = stats.ttest_rel(f, b)
            ci = test.confidence_interval(0.95)
            result["ci95"] = [float(ci.low), float(ci.high)]
            result["p_t"] = float(test.pvalue)
            # Signed "positive = better" for every instrument (a fall in anxiety or
            # loneliness is an improvement), unlike mean_change, which keeps the scale's sign.
            better = -1.0 if instrument.lower_is_better else 1.0
            result["cohen_dz"] = float(better * change.mean() / sd)
        else:
            result["ci95"] = [float(change.mean())] * 2
        if np.any(change != 0) and not _slow_permutation(change):
            result["p_wilcoxon"] = float(stats.wilcoxon(f, b).pvalue)
    return result


def outcomes(pair_frame: pd.DataFrame) -> dict:
    """Per instrument: overall statistics and the same by each breakdown."""
    result = {}
    for code, group in pair_frame.groupby("instrument", observed=True, sort=False):
        instrument = INSTRUMENTS[code]
        entry = pre_post(group["baseline"].to_numpy(float), group["follow_up"].to_numpy(float),
                         instrument)
        entry["title"] = instrument.title
        entry["by"] = {}
        for name, column in BREAKDOWNS.items():
            rows = []
            for key, sub in group.groupby(column, observed=True, sort=True):
                rows.append({name: key.item() if hasattr(key, "item") else key}
                            | pre_post(sub["baseline"].to_numpy(float),
                                       sub["follow_up"].to_numpy(float), instrument))
            entry["by"][name] = rows
        result[code] = entry
    return {code: result[code] for code in INSTRUMENTS if code in result}
