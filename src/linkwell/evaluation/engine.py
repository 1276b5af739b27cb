"""``evaluate``: the one entry point that the file mode and the database mode share.

It runs every analysis the inputs allow, times each one, and applies disclosure control for
the audience last, so that the analyses themselves never see a suppressed number.
"""

import math
import time
from datetime import UTC, datetime

import numpy as np
from statsmodels.stats.rates import confint_poisson

from linkwell.evaluation import access as access_mod
from linkwell.evaluation import attrition as attrition_mod
from linkwell.evaluation import comparison as comparison_mod
from linkwell.evaluation import cost as cost_mod
from linkwell.evaluation import outcomes as outcomes_mod
from linkwell.evaluation import reach as reach_mod
from linkwell.evaluation.disclosure import (
    AUDIENCES,
    CONFIDENTIAL,
    SUPPRESSED,
    THRESHOLD,
    Audience,
    protect_counts,
    protect_table,
    round_count,
)
from linkwell.evaluation.inputs import EvaluationInput

SCHEMA_VERSION = "1.0"
REACH_COUNTS = ("referrals", "people", "completed_episodes")
OUTCOME_COUNTS = ("n_baseline", "n_follow_up", "n_paired")


def evaluate(frames: EvaluationInput, *, audience: Audience = "evaluator",
             with_psm: bool = True, seed: int = 2019, timings: dict | None = None) -> dict:
    """Every analysis the inputs allow, as a JSON-ready dict (see docs/evaluation-json-schema).
    ``timings`` (if given) receives seconds per analysis."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    timings = timings if timings is not None else {}

    def timed(name, fn, *args, **kwargs):
        start = time.perf_counter()
        value = fn(*args, **kwargs)
        timings[name] = time.perf_counter() - start
        return value

    persons = reach_mod.person_level(frames.people)
    reach = timed("reach", reach_mod.reach, frames.people, frames.lsoa)
    reach["access"] = timed("access", access_mod.access, frames.lsoa, frames.services)
    reach["capacity"] = timed("capacity", access_mod.capacity, frames.lsoa, frames.capacity)
    pair_frame = timed("pairing", outcomes_mod.pairs, frames.measurements, frames.people)
    outcomes = timed("outcomes", outcomes_mod.outcomes, pair_frame)
    attrition = timed("attrition", attrition_mod.attrition, pair_frame, seed)
    comparison = timed("comparison", comparison_mod.comparison, frames.measurements, persons,
                       frames.comparison, with_psm=with_psm, seed=seed)
    completed = reach["totals"].get("completed_episodes")
    cost = timed("cost", cost_mod.cost, frames.funding, people=len(persons),
                 completed_episodes=completed,
                 improved=cost_mod.improved_people(pair_frame))
    result = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "audience": audience,
        "notes": list(frames.notes),
        "reach": reach, "outcomes": outcomes, "attrition": attrition,
        "comparison": comparison, "cost": cost,
    }
    start = time.perf_counter()
    result = protect(result, audience)
    timings["disclosure"] = time.perf_counter() - start
    return result


def _public_rates(rows: list[dict]) -> None:
    """Public rates are recomputed from the rounded counts, so they reveal no exact count."""
    for row in rows:
        exposure = row.get("population") or 0
        for key in REACH_COUNTS:
            value = row.get(key)
            if isinstance(value, int) and exposure and f"{key}_per_1000" in row:
                low, high = confint_poisson(float(value), float(exposure), method="exact-c")
                row[f"{key}_per_1000"] = value / exposure * 1000
                row[f"{key}_per_1000_ci95"] = [float(low) * 1000, float(high) * 1000]


def _protect_reach(reach: dict, audience: Audience) -> dict:
    reach = dict(reach)
    derived = {key: [f"{key}_per_1000", f"{key}_per_1000_ci95",
                     "people_share" if key == "people" else ""] for key in REACH_COUNTS}
    for table in ("by_imd_decile", "by_imd_quintile", "by_borough", "by_age_band", "by_sex",
                  "by_ethnicity"):
        rows = protect_counts(reach[table], derived, audience)
        if audience == "public":
            _public_rates(rows)
            people = [r["people"] for r in rows if isinstance(r.get("people"), int)]
            for row in rows:
                if "people_share" in row and isinstance(row.get("people"), int):
                    row["people_share"] = row["people"] / max(sum(people), 1)
        reach[table] = rows
    totals = dict(reach["totals"])
    for key in REACH_COUNTS:
        if key in totals:
            totals[key] = _count(totals[key], audience)
    if any(totals.get(key) == SUPPRESSED for key in REACH_COUNTS):
        totals.update({k: None for k in totals if k.endswith("_per_1000")})
    reach["totals"] = totals
    return reach


def _protect_outcome(entry: dict, audience: Audience) -> dict:
    entry = dict(entry)
    if entry["n_paired"] < THRESHOLD:
        for key in list(entry):
            if key not in ("title", "by", "lower_is_better", "meaningful_change", *OUTCOME_COUNTS):
                entry[key] = None
    for key in OUTCOME_COUNTS:
        if entry[key] < THRESHOLD:
            entry[key] = SUPPRESSED
        elif audience == "public":
            entry[key] = round_count(entry[key])
    entry["by"] = {name: protect_counts(rows, dict.fromkeys(OUTCOME_COUNTS, []), audience,
                                        whole_rows=True, labels=(name, "lower_is_better",
                                                                 "meaningful_change"))
                   for name, rows in entry["by"].items()}
    return entry


def _protect_shares(block: dict, n_followed: int, n_lost: int, audience: Audience) -> dict:
    """A category x (followed up, lost) table: suppress on the implied counts."""
    import pandas as pd

    keys = list(block["shares"])
    counts = pd.DataFrame(
        [[round(block["shares"][k]["share_followed_up"] * n_followed),
          round(block["shares"][k]["share_lost"] * n_lost)] for k in keys],
        index=keys, columns=["followed_up", "lost"])
    if counts.empty:
        return block
    shown = protect_table(counts, audience)
    shares = {}
    for key in keys:
        shares[key] = {
            "share_followed_up": None if shown.loc[key, "followed_up"] in (SUPPRESSED,
                                                                           CONFIDENTIAL)
            else block["shares"][key]["share_followed_up"],
            "share_lost": None if shown.loc[key, "lost"] in (SUPPRESSED, CONFIDENTIAL)
            else block["shares"][key]["share_lost"]}
    return {"shares": shares, "p_chi2": block["p_chi2"]}


def _count(value: int, audience: Audience):
    if audience == "evaluator":
        return value
    if value < THRESHOLD:
        return SUPPRESSED
    return round_count(value) if audience == "public" else value


def protect(result: dict, audience: Audience) -> dict:
    """Disclosure control over the whole result (see ``linkwell.evaluation.disclosure``)."""
    if audience == "evaluator":
        return result
    out = dict(result)
    out["reach"] = _protect_reach(result["reach"], audience)
    out["outcomes"] = {code: _protect_outcome(entry, audience)
                       for code, entry in result["outcomes"].items()}
    attrition = {}
    for code, entry in result["attrition"].items():
        comparison = dict(entry["baseline_comparison"])
        n_f, n_l = comparison["n_followed_up"], comparison["n_lost"]
        for column in attrition_mod.CATEGORICAL:
            comparison[column] = _protect_shares(comparison[column], n_f, n_l, audience)
        comparison["n_followed_up"], comparison["n_lost"] = (_count(n_f, audience),
                                                             _count(n_l, audience))
        sensitivity = {name: dict(block, n=_count(block["n"], audience))
                       if "n" in block else block
                       for name, block in entry["sensitivity"].items()}
        attrition[code] = {"baseline_comparison": comparison, "sensitivity": sensitivity}
    out["attrition"] = attrition
    comparison = dict(result["comparison"])
    instruments = {}
    for code, entry in comparison.get("instruments", {}).items():
        entry = {design: {k: (_count(v, audience) if k.startswith("n_") and isinstance(v, int)
                              else v) for k, v in block.items()}
                 for design, block in entry.items()}
        instruments[code] = entry
    comparison["instruments"] = instruments
    out["comparison"] = comparison
    if result["cost"].get("available") and result["cost"]["people_supported"] < THRESHOLD:
        # Cost per person would give the count away beside the published funding.
        out["cost"] = {"available": False, "reason": "fewer than 10 people supported"}
    elif result["cost"].get("available") and audience == "public":
        cost = dict(result["cost"], people_supported=round_count(
            result["cost"]["people_supported"]))
        if cost.get("per_person_improved"):
            cost["per_person_improved"] = dict(cost["per_person_improved"], n_paired=round_count(
                cost["per_person_improved"]["n_paired"]))
        out["cost"] = cost
    return out


def json_ready(value):
    """The result in plain JSON types: NumPy scalars become Python ones, and NaN or infinity
    becomes null (JSON has none, and PostgreSQL's json type refuses them)."""
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
