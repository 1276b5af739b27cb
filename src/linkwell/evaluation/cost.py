"""Cost per person supported, per completed episode and per person with a meaningful
improvement, from the delivery cost in integer pence.

The unit is the person throughout. Each referred person's primary wellbeing measure (WEMWBS,
else SWEMWBS; their first episode with a baseline) makes them improved, not improved, lost to
follow-up (baseline, no follow-up) or not assessed (no baseline).

- **Gross** cost per person improved: cost / (people supported x share improved among people
  with both measures), assuming people without follow-up or baseline improve at the same rate.
- **Net** of the comparison group where one exists: the comparison group's share improving
  (the same rule, its people with both measures) is what would have happened anyway, so the
  people improved *because of* support are people x (share referred - share comparison).
- **Uncertainty**: a bootstrap over people (referred and comparison people resampled
  independently), which moves both the share and the number of people improved. Each
  person is one of four kinds, so resampling n people is a multinomial draw of the four counts
  (exactly the nonparametric bootstrap, without resampling a million rows); percentile CI.
- **Attrition bounds** carried through: the people lost all improved (best case) or none did
  (worst case), with the comparison share as observed.

Funding lines that are estimates carry a low and high bound; the costs carry the same range.
"""

import numpy as np
import pandas as pd

from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.outcomes import improved_worsened

PRIMARY = ("wemwbs", "swemwbs")  # the wellbeing measure that defines "improved", in order
BOOTSTRAP = 2000
MIN_N = 10
IMPROVED, NOT_IMPROVED, LOST = 0, 1, 2


def _per(total: dict, n: int) -> dict | None:
    if not n:
        return None
    return {"pence": total["total"] / n, "range_pence": [total["low"] / n, total["high"] / n]}


def person_status(pairs: pd.DataFrame) -> np.ndarray:
    """Counts of people improved, not improved and lost to follow-up on their primary
    wellbeing measure. ``pairs``: one row per episode (or person) and instrument with
    ``pid``, ``instrument``, ``baseline``, ``follow_up``."""
    rows = pairs[pairs["instrument"].isin(PRIMARY) & pairs["baseline"].notna()]
    rank = rows["instrument"].map({code: i for i, code in enumerate(PRIMARY)}).astype(int)
    rows = rows.assign(_rank=rank.to_numpy()).sort_values(["pid", "_rank"], kind="stable")
    rows = rows.drop_duplicates("pid", keep="first")
    counts = np.zeros(3, dtype=np.int64)
    for code in PRIMARY:
        sub = rows[rows["instrument"] == code]
        change = (sub["follow_up"] - sub["baseline"]).to_numpy(float)
        paired = ~np.isnan(change)
        improved, _ = improved_worsened(change[paired], INSTRUMENTS[code])
        counts += [int(improved.sum()), int((~improved).sum()), int((~paired).sum())]
    return counts


def _shares(counts: np.ndarray) -> np.ndarray:
    """Improved share among the paired, per bootstrap row of (improved, not, lost)."""
    paired = counts[..., IMPROVED] + counts[..., NOT_IMPROVED]
    with np.errstate(divide="ignore", invalid="ignore"):
        return counts[..., IMPROVED] / paired


def _cost_of(total: float, people: int, share: float) -> float | None:
    return total / (people * share) if share > 0 else None


def cost(funding: pd.DataFrame | None, *, people: int, completed_episodes: int | None,
         treated: np.ndarray, comparison: np.ndarray | None = None, seed: int = 2019,
         label: str | None = None) -> dict:
    """``treated``/``comparison``: person counts (improved, not improved, lost) from
    ``person_status``; ``people``: distinct people referred."""
    if funding is None or funding.empty:
        return {"available": False, "reason": "no funding data supplied"}
    total = {"total": int(funding["total_pence"].sum()), "low": int(funding["low_pence"].sum()),
             "high": int(funding["high_pence"].sum())}
    labels = [str(x) for x in funding.get("label", pd.Series(dtype=object)).dropna()
              if str(x)]
    result = {
        "available": True,
        "funding_pence": total["total"],
        "funding_range_pence": [total["low"], total["high"]],
        "estimated": total["low"] != total["high"],
        "people_supported": people,
        "per_person_supported": _per(total, people),
        "per_completed_episode": _per(total, completed_episodes or 0),
        "per_person_improved": None,
        "includes": ("The cost supplied as the cost of delivering the service"
                     + (f" ({'; '.join(labels)})" if labels else "") + ". "),
        "leaves_out": "Research, evaluation and review; the services people were referred on "
                      "to; GP, practice and volunteer time not paid for from it; set-up costs "
                      "met elsewhere.",
    }
    treated = np.asarray(treated, dtype=np.int64)
    n_paired = int(treated[IMPROVED] + treated[NOT_IMPROVED])
    if n_paired < MIN_N or treated[IMPROVED] == 0:
        return result
    rng = np.random.default_rng(seed)
    n_t = int(treated.sum())
    boot_t = _shares(rng.multinomial(n_t, treated / n_t, size=BOOTSTRAP))
    share_t = float(_shares(treated))
    lost = int(treated[LOST])
    block = {
        "unit": "person",
        "n_people_assessed": n_t, "n_paired": n_paired, "n_improved": int(treated[IMPROVED]),
        "n_lost": lost, "improved_share": share_t,
        "gross_pence": _cost_of(total["total"], people, share_t),
        "gross_ci95_pence": _ci(total["total"], people, boot_t),
        "range_pence": [_cost_of(total["low"], people, share_t),
                        _cost_of(total["high"], people, share_t)],
        "comparison": None,
    }
    share_c, boot_c = 0.0, np.zeros(BOOTSTRAP)
    comparison = None if comparison is None else np.asarray(comparison, dtype=np.int64)
    c_paired = 0 if comparison is None else int(comparison[IMPROVED] + comparison[NOT_IMPROVED])
    if comparison is not None and c_paired >= MIN_N:
        share_c = float(_shares(comparison))
        n_c = int(comparison.sum())
        boot_c = _shares(rng.multinomial(n_c, comparison / n_c, size=BOOTSTRAP))
        block["comparison"] = {"n_paired": c_paired, "n_improved": int(comparison[IMPROVED]),
                               "improved_share": share_c}
    net = share_t - share_c
    # Attrition bounds: every person lost improved (best) or none did (worst).
    worst = treated[IMPROVED] / (n_paired + lost) - share_c
    best = (treated[IMPROVED] + lost) / (n_paired + lost) - share_c
    block.update({
        "net_of_comparison": block["comparison"] is not None,
        "net_share": net,
        "pence": _cost_of(total["total"], people, net),
        "ci95_pence": _ci(total["total"], people, boot_t - boot_c),
        "attrition_range_pence": [_cost_of(total["total"], people, best),
                                  _cost_of(total["total"], people, worst)],
        "estimand": ("delivery cost / (people supported x (share improved among referred "
                     "people with both measures - the same share in the comparison group))"
                     if block["comparison"] is not None else
                     "delivery cost / (people supported x share improved among people with "
                     "both measures): gross, no comparison group"),
        "assumption": "people without a follow-up (or a baseline) improve at the same rate as "
                      "people with both measures; the attrition range assumes instead that "
                      "every person lost improved (low end) or none did (high end; no upper "
                      "limit, null, if then no more improve than in the comparison group)",
    })
    if net <= 0:
        block["pence"] = None
        block["note"] = "no more people improved than in the comparison group"
    result["per_person_improved"] = block
    return result


def _ci(total: float, people: int, shares: np.ndarray) -> list[float | None]:
    """Percentile interval of the cost over bootstrap shares; a share at or below zero means
    no upper limit (null)."""
    shares = shares[~np.isnan(shares)]
    low_share, high_share = np.percentile(shares, [2.5, 97.5])
    return [_cost_of(total, people, float(high_share)), _cost_of(total, people,
                                                                   float(low_share))]
