"""Person outcomes on the dashboard: wellbeing measured with the instruments at the start of
support and later, for the episodes of the referrals the filters select.

The pairing (each episode's earliest baseline and latest follow-up on an instrument) and the
paired statistics (mean change and its t-based 95% CI) are the evaluation's
(``evaluation.outcomes.paired_scores`` and ``pre_post``), called, not copied. Episodes are
paired once per read of the data (``prepare``); a view selects its pairs by the position of
the referral each episode came from.
"""

import numpy as np
import pandas as pd

from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.outcomes import MIN_TEST_N, paired_scores, pre_post

CONFIDENCE = (
    "moderate for the change in the people measured: the 95% confidence interval is shown "
    f"where {MIN_TEST_N} or more have both measures. Low as a measure of the service's effect: "
    "there is no comparison group, people without a follow-up are left out (they may differ), "
    "and wellbeing changes for other reasons too. The evaluation (/evaluation) compares with "
    "a matched group and checks attrition.")
COLUMNS = ["pos", "instrument", "baseline", "follow_up"]


def prepare(measures: pd.DataFrame, episodes: pd.Series) -> pd.DataFrame:
    """Each episode's baseline and follow-up per instrument, with the position (``pos``) of
    the referral the episode came from. ``measures`` is the evaluation's measurements frame
    (``evaluation.db_inputs.measurements_from_db``); ``episodes`` maps an episode id to its
    referral's position."""
    if measures.empty or episodes.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in COLUMNS})
    frame = pd.DataFrame({
        "episode": measures["episode_id"].to_numpy(),
        "pid": measures["person_id"].to_numpy(),
        "instrument": pd.Categorical(measures["instrument"].astype(object),
                                     categories=list(INSTRUMENTS)),
        "timepoint": measures["timepoint"].astype(object).to_numpy(),
        "measured_on": measures["measured_on"].to_numpy(),
        "score": measures["score"].to_numpy(float)})
    frame = frame[frame["instrument"].notna().to_numpy()]
    pairs = paired_scores(frame)
    pos = episodes.reindex(pairs["episode"].to_numpy()).to_numpy(float)
    known = ~np.isnan(pos)
    return pd.DataFrame({"pos": pos[known].astype(np.int64),
                         "instrument": pairs["instrument"].to_numpy()[known],
                         "baseline": pairs["baseline"].to_numpy(float)[known],
                         "follow_up": pairs["follow_up"].to_numpy(float)[known]})


def rows(pairs: pd.DataFrame, chosen: np.ndarray) -> list[dict]:
    """Per instrument with a measure among the chosen referrals' episodes: the episodes with
    both a baseline and a follow-up, their means at each and the mean change with its 95%
    CI. (Not those with one measure only: with the paired count they would give the number
    lost by subtraction, perhaps fewer than 10.)"""
    if pairs.empty:
        return []
    mine = pairs[chosen[pairs["pos"].to_numpy()]]
    out = []
    for code, instrument in INSTRUMENTS.items():
        group = mine[(mine["instrument"] == code).to_numpy()]
        if group.empty:
            continue
        stats = pre_post(group["baseline"].to_numpy(float), group["follow_up"].to_numpy(float),
                         instrument)
        low, high = stats["ci95"] or (None, None)
        out.append({
            "code": code, "group": f"{instrument.title} ("
                                   f"{'lower' if instrument.lower_is_better else 'higher'} "
                                   "is better)",
            "n_paired": stats["n_paired"], "mean_baseline": stats["mean_baseline"],
            "mean_follow_up": stats["mean_follow_up"], "mean_change": stats["mean_change"],
            "ci95_low": low, "ci95_high": high})
    return out
