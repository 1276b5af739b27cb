"""Cost per person supported, per completed episode and per person with a meaningful
improvement, from funding in integer pence.

Funding lines that are estimates carry a low and high bound; the cost figures carry the same
range. The improvement share is estimated from people with paired wellbeing scores, so the cost
per improved person gets a bootstrap CI (SciPy, resampling people) and a conservative figure
that counts only improvements actually observed.
"""

import numpy as np
import pandas as pd
from scipy import stats

from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.outcomes import improved_worsened

PRIMARY = ("wemwbs", "swemwbs")  # the wellbeing measure that defines "improved", in order
BOOTSTRAP_RESAMPLES = 999


def _per(total: dict, n: int) -> dict | None:
    if not n:
        return None
    return {"pence": total["total"] / n, "range_pence": [total["low"] / n, total["high"] / n]}


def improved_people(pair_frame: pd.DataFrame) -> np.ndarray:
    """Per paired episode on its primary wellbeing instrument: meaningfully improved or not."""
    chosen = []
    taken = pd.Index([])
    for code in PRIMARY:
        rows = pair_frame[(pair_frame["instrument"] == code) & pair_frame["baseline"].notna()
                          & pair_frame["follow_up"].notna() & ~pair_frame["episode"].isin(taken)]
        improved, _ = improved_worsened((rows["follow_up"] - rows["baseline"]).to_numpy(float),
                                        INSTRUMENTS[code])
        chosen.append(improved)
        taken = taken.append(pd.Index(rows["episode"]))
    return np.concatenate(chosen) if chosen else np.array([], dtype=bool)


def cost(funding: pd.DataFrame | None, *, people: int, completed_episodes: int | None,
         improved: np.ndarray, seed: int = 2019) -> dict:
    if funding is None or funding.empty:
        return {"available": False, "reason": "no funding data supplied"}
    total = {"total": int(funding["total_pence"].sum()), "low": int(funding["low_pence"].sum()),
             "high": int(funding["high_pence"].sum())}
    result = {
        "available": True,
        "funding_pence": total["total"],
        "funding_range_pence": [total["low"], total["high"]],
        "estimated": total["low"] != total["high"],
        "people_supported": people,
        "per_person_supported": _per(total, people),
        "per_completed_episode": _per(total, completed_episodes or 0),
        "per_person_improved": None,
    }
    n = len(improved)
    if n >= 10 and improved.any():
        share = float(improved.mean())

        def cost_per_improved(sample, axis=-1):
            return total["total"] / (people * np.mean(sample, axis=axis))

        with np.errstate(divide="ignore"):
            boot = stats.bootstrap((improved.astype(float),), cost_per_improved,
                                   n_resamples=BOOTSTRAP_RESAMPLES, method="percentile",
                                   batch=max(1, int(2e7 // n)), rng=np.random.default_rng(seed))
        result["per_person_improved"] = {
            "pence": total["total"] / (people * share),
            "ci95_pence": [float(boot.confidence_interval.low),
                           float(boot.confidence_interval.high)],
            "range_pence": [total["low"] / (people * share), total["high"] / (people * share)],
            "improved_share": share, "n_paired": n,
            "observed_improvements_only_pence": total["total"] / int(improved.sum()),
            "assumption": "people without a follow-up improve at the same rate as those with "
                          "one; 'observed improvements only' assumes none of them improved",
        }
    return result
