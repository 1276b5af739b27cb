"""Cost per person supported, per completed episode and per person with a meaningful
improvement, from funding in integer pence.

Funding lines that are estimates carry a low and high bound; the cost figures carry the same
range. The improvement share is estimated from people with paired wellbeing scores, so the cost
per improved person gets a CI from the Wilson interval for that share (statsmodels; for a
share of independent people this is what a bootstrap over people approximates, without a
million resamples) and a conservative figure that counts only improvements actually observed.
"""

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.outcomes import improved_worsened

PRIMARY = ("wemwbs", "swemwbs")  # the wellbeing measure that defines "improved", in order


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
         improved: np.ndarray) -> dict:
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
        low, high = proportion_confint(int(improved.sum()), n, alpha=0.05, method="wilson")
        result["per_person_improved"] = {
            "pence": total["total"] / (people * share),
            "ci95_pence": [total["total"] / (people * high), total["total"] / (people * low)],
            "range_pence": [total["low"] / (people * share), total["high"] / (people * share)],
            "improved_share": share, "n_paired": n,
            "observed_improvements_only_pence": total["total"] / int(improved.sum()),
            "assumption": "people without a follow-up improve at the same rate as those with "
                          "one; 'observed improvements only' assumes none of them improved",
        }
    return result
