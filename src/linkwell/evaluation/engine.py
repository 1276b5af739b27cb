"""``evaluate``: the one entry point that the file mode and the database mode share.

It runs every analysis the inputs allow, times each one, and applies disclosure control for
the audience last, so that the analyses themselves never see a suppressed number.
"""

import math
import time
from datetime import UTC, datetime

import numpy as np
import pandas as pd
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
    linked_mask,
    marker,
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
    comparison_status = None
    if frames.comparison is not None and not frames.comparison.empty:
        comparison_status = cost_mod.person_status(pd.concat(
            [comparison_mod.person_pairs(frames.comparison[frames.comparison["instrument"]
                                                           == code]).assign(instrument=code)
             for code in cost_mod.PRIMARY], ignore_index=True))
    cost = timed("cost", cost_mod.cost, frames.funding, people=len(persons),
                 completed_episodes=completed, treated=cost_mod.person_status(pair_frame),
                 comparison=comparison_status, seed=seed)
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


REACH_TABLES = {"by_imd_decile": "imd_decile", "by_imd_quintile": "imd_quintile",
                "by_borough": "lad_code", "by_age_band": "age_band", "by_sex": "sex",
                "by_ethnicity": "ethnicity"}


def _rate(count: int, exposure: int) -> tuple[float, list[float]]:
    low, high = confint_poisson(float(count), float(exposure), method="exact-c")
    return count / exposure * 1000, [float(low) * 1000, float(high) * 1000]


class _Cells:
    """The linked counts of one release section: values, their places, and the lines (sums)
    that tie them, for ``disclosure.linked_mask``. A margin that is not published (people
    with a known LSOA, say) is still a cell: others could work it out, so it counts as known.
    """

    def __init__(self):
        self.values: list[int] = []
        self.places: list[tuple] = []
        self.lines: list[list[int]] = []

    def add(self, value: int, place: tuple) -> int:
        self.values.append(int(value))
        self.places.append(place)
        return len(self.values) - 1

    def line(self, total: int, parts: list[int]) -> None:
        self.lines.append([total, *parts])

    def hidden(self, keep=lambda place: False) -> dict[tuple, bool]:
        mask = linked_mask(self.values, self.lines, [keep(p) for p in self.places])
        return dict(zip(self.places, mask, strict=True))


def _protect_reach(reach: dict, audience: Audience) -> dict:
    """One suppression pass over every reach table and the totals, per count: deciles within
    quintiles, every breakdown within its (published or derivable) total. Public counts are
    rounded; rates and shares are recomputed from the published counts or hidden with them."""
    reach = {k: v for k, v in reach.items()}
    tables = {name: [dict(row) for row in reach[name]] for name in REACH_TABLES}
    totals = dict(reach["totals"])
    present = [key for key in REACH_COUNTS if key in totals]
    for key in present:
        cells = _Cells()
        total = cells.add(totals[key], ("totals",))
        index = {}
        for name, label in REACH_TABLES.items():
            parts = [cells.add(row[key], (name, i)) for i, row in enumerate(tables[name])]
            index[name] = {row[label]: cell for row, cell in zip(tables[name], parts,
                                                                  strict=True)}
            group_sum = sum(row[key] for row in tables[name])
            margin = total if group_sum == totals[key] else cells.add(group_sum, (name, "sum"))
            cells.line(margin, parts)
            if name == "by_imd_decile":
                decile_margin = margin
            if name == "by_imd_quintile" and margin != total:
                cells.line(decile_margin, [margin])  # the same people: deciles and quintiles
        for quintile, cell in index["by_imd_quintile"].items():
            deciles = [index["by_imd_decile"][d] for d in (2 * quintile - 1, 2 * quintile)
                       if d in index["by_imd_decile"]]
            cells.line(cell, deciles)
        hidden = cells.hidden()
        for name in REACH_TABLES:
            for i, row in enumerate(tables[name]):
                if hidden[(name, i)]:
                    row[key] = marker(row[key])
                    for derived in (f"{key}_per_1000", f"{key}_per_1000_ci95", f"{key}_share"):
                        if derived in row:
                            row[derived] = None
                elif audience == "public":
                    row[key] = round_count(row[key])
        if hidden[("totals",)]:
            totals[key] = marker(totals[key])
        elif audience == "public":
            totals[key] = round_count(totals[key])
    for name in REACH_TABLES:
        for row in tables[name]:
            for key in present:
                exposure = row.get("population") or 0
                if (audience == "public" and isinstance(row.get(key), int) and exposure
                        and f"{key}_per_1000" in row):
                    row[f"{key}_per_1000"], row[f"{key}_per_1000_ci95"] = _rate(row[key],
                                                                                exposure)
            # Shares are over the true total of the table, published as the audience sees it.
            if "people_share" in row and isinstance(row.get("people"), int):
                whole = (totals["people"] if name == "by_sex"
                         else reach["totals"]["people"] * (reach["totals"].get(
                             "ethnicity_recorded_share") or 0))
                if audience == "public" and name != "by_sex":
                    whole = round_count(round(whole))
                row["people_share"] = (row["people"] / whole
                                       if isinstance(whole, int | float) and whole else None)
        reach[name] = tables[name]
    for key in present:
        rate = f"{key}_per_1000"
        if rate in totals:
            totals[rate] = (totals[key] / totals["population"] * 1000
                            if isinstance(totals[key], int) and totals["population"] else None)
    reach["totals"] = totals
    return reach


def _outcome_cells(entry: dict) -> tuple[_Cells, list[dict]]:
    """Counts of one instrument, overall and in every breakdown: n_baseline = n_paired +
    lost, and each breakdown adds up to the overall (every episode falls in one group of
    each, or an unpublished rest that counts as known). ``n_follow_up`` is not published to
    protected audiences: beside ``n_paired`` it gives the follow-ups without a baseline,
    usually none, and guarding that zero would hide every group's pairs."""
    cells = _Cells()
    blocks = [entry] + [row for rows in entry["by"].values() for row in rows]
    ids = []
    for i, block in enumerate(blocks):
        b, p = block["n_baseline"], block["n_paired"]
        cell = {"n_baseline": cells.add(b, (i, "n_baseline")),
                "n_paired": cells.add(p, (i, "n_paired")),
                "n_lost": cells.add(b - p, (i, "n_lost"))}
        cells.line(cell["n_baseline"], [cell["n_paired"], cell["n_lost"]])
        ids.append(cell)
    start = 1
    for name, rows in entry["by"].items():
        members = ids[start:start + len(rows)]
        start += len(rows)
        for key in ("n_baseline", "n_paired", "n_lost"):
            group_sum = sum(cells.values[m[key]] for m in members)
            whole = ids[0][key]
            if group_sum != cells.values[whole]:
                rest = cells.add(cells.values[whole] - group_sum, (name, key, "rest"))
                cells.line(whole, [rest, *(m[key] for m in members)])
            else:
                cells.line(whole, [m[key] for m in members])
    return cells, blocks


INFERENTIAL = ("ci95", "p_t", "p_wilcoxon", "cohen_dz", "improved_share", "worsened_share",
               "attrition_rate")


def _protect_outcome(entry: dict, audience: Audience) -> tuple[dict, bool]:
    """Returns the protected entry and whether its overall lost-to-follow-up count is hidden.

    A group hidden for its own small count (fewer than 10 pairs) loses every statistic; a
    group hidden only to protect another keeps its means (which reveal no count) but loses
    its counts and what would give them back (CIs, p-values, d_z and shares are functions of
    n). Shares are published only when the people improved (or worsened) and the rest are
    both 10 or more; public shares are recomputed from rounded counts."""
    entry = dict(entry, by={name: [dict(r) for r in rows] for name, rows in entry["by"].items()})
    cells, blocks = _outcome_cells(entry)
    # The pairs carry every statistic: hide the baseline count or the lost rather than them.
    hidden = cells.hidden(keep=lambda place: place[-1] == "n_paired")
    for i, block in enumerate(blocks):
        true = {key: block[key] for key in OUTCOME_COUNTS}
        if true["n_paired"] < THRESHOLD:
            for key in list(block):
                if key not in (*OUTCOME_COUNTS, "title", "by", "lower_is_better",
                               "meaningful_change", *BREAKDOWN_KEYS):
                    block[key] = None
        elif hidden[(i, "n_paired")]:
            for key in INFERENTIAL:
                block[key] = None
        if hidden[(i, "n_baseline")] or hidden[(i, "n_lost")]:
            block["attrition_rate"] = None
        for share in ("improved_share", "worsened_share"):
            if block.get(share) is None:
                continue
            k = round(block[share] * true["n_paired"])
            if min(k, true["n_paired"] - k) < THRESHOLD:
                block[share] = None
            elif audience == "public":
                block[share] = round_count(k) / round_count(true["n_paired"])
        if audience == "public" and block.get("attrition_rate") is not None:
            block["attrition_rate"] = 1 - round_count(true["n_paired"]) / round_count(
                true["n_baseline"])
        block["n_follow_up"] = None
        for key in ("n_baseline", "n_paired"):
            if hidden[(i, key)]:
                block[key] = marker(true[key])
            elif audience == "public":
                block[key] = round_count(true[key])
    return entry, bool(hidden[(0, "n_lost")])


BREAKDOWN_KEYS = ("imd_quintile", "borough", "sex", "age_band")


def _protect_shares(block: dict, n_followed: int, n_lost: int, audience: Audience) -> dict:
    """A category x (followed up, lost) table: suppress on the implied counts."""
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


def _protect_attrition(entry: dict, lost_hidden: bool, audience: Audience) -> dict:
    """The attrition analysis of one instrument. When the people lost to follow-up are hidden
    (fewer than 10, or hidden with another count), nothing describing them is published:
    their means, the tests against them, and every sensitivity figure but complete cases
    (with the people with a baseline, the mean change under "no change" gives their number)."""
    comparison = dict(entry["baseline_comparison"])
    n_f, n_l = comparison["n_followed_up"], comparison["n_lost"]
    if lost_hidden or n_l < THRESHOLD:
        comparison = {"n_followed_up": _count(n_f, audience), "n_lost": marker(n_l),
                      "note": "too few people lost to follow-up to describe them"}
        complete = dict(entry["sensitivity"]["complete_case"])
        complete["n"] = _count(complete["n"], audience)
        return {"baseline_comparison": comparison,
                "sensitivity": {"complete_case": complete}, "tipping_point": None,
                "warning": None,
                "note": "too few people lost to follow-up for a sensitivity analysis"}
    for column in attrition_mod.CATEGORICAL:
        comparison[column] = _protect_shares(comparison[column], n_f, n_l, audience)
    comparison["n_followed_up"], comparison["n_lost"] = (_count(n_f, audience),
                                                         _count(n_l, audience))
    sensitivity = {name: dict(block, n=_count(block["n"], audience))
                   if isinstance(block.get("n"), int) else block
                   for name, block in entry["sensitivity"].items()}
    if audience == "public":
        # Two means over different numbers of people give the ratio of those numbers: to
        # one decimal place they no longer give the people lost exactly.
        sensitivity = _rounded(sensitivity, PUBLIC_DECIMALS)
        entry = _rounded(entry, PUBLIC_DECIMALS)
    return dict(entry, baseline_comparison=comparison, sensitivity=sensitivity)


PUBLIC_DECIMALS = 1


def _rounded(value, decimals: int):
    """Every float in a nested result rounded (counts and labels untouched)."""
    if isinstance(value, dict):
        return {k: _rounded(v, decimals) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, decimals) for v in value]
    if isinstance(value, float):
        return round(value, decimals)
    return value


def protect_cost(cost: dict, completed: int | None, audience: Audience) -> dict:
    """Costs are funding divided by counts, so they give the counts back: a cost over fewer
    than 10 (people, completed episodes, people improved or not, people lost) is not
    published, and public costs and shares are recomputed from the rounded counts."""
    if not cost.get("available"):
        return cost
    if cost["people_supported"] < THRESHOLD:
        return {"available": False, "reason": "fewer than 10 people supported"}
    cost = dict(cost)
    total, (low, high) = cost["funding_pence"], cost["funding_range_pence"]
    public = audience == "public"
    shown = round_count if public else int

    def per(n: int) -> dict:
        return {"pence": total / n, "range_pence": [low / n, high / n]}

    people = shown(cost["people_supported"])
    cost["people_supported"] = people
    cost["per_person_supported"] = per(people)
    if cost.get("per_completed_episode") and completed is not None:
        cost["per_completed_episode"] = (None if completed < THRESHOLD
                                         else per(shown(completed)))
    block = cost.get("per_person_improved")
    if not block:
        return cost
    block = dict(block)
    improved, paired, lost = block["n_improved"], block["n_paired"], block["n_lost"]
    if min(improved, paired - improved) < THRESHOLD:
        cost["per_person_improved"] = None
        return cost
    share_t = shown(improved) / shown(paired)
    block.update(n_improved=shown(improved), n_paired=shown(paired),
                 n_people_assessed=shown(block["n_people_assessed"]), improved_share=share_t,
                 gross_pence=total / (people * share_t),
                 range_pence=[low / (people * share_t), high / (people * share_t)])
    comparison = block.get("comparison")
    share_c = 0.0
    if comparison:
        c_improved, c_paired = comparison["n_improved"], comparison["n_paired"]
        if min(c_improved, c_paired - c_improved) < THRESHOLD:
            block.update(comparison=None, net_of_comparison=False, net_share=None, pence=None,
                         ci95_pence=None, attrition_range_pence=None,
                         note="the comparison group is too small to publish a net figure")
            cost["per_person_improved"] = block
            return cost
        share_c = shown(c_improved) / shown(c_paired)
        block["comparison"] = {"n_paired": shown(c_paired), "n_improved": shown(c_improved),
                               "improved_share": share_c}
    net = share_t - share_c
    block.update(net_share=net, pence=total / (people * net) if net > 0 else None)
    if lost < THRESHOLD:
        # People assessed = paired + lost: it goes with the lost.
        block.update(n_lost=marker(lost), n_people_assessed=CONFIDENTIAL,
                     attrition_range_pence=None)
    else:
        n_lost = shown(lost)
        denominator = shown(paired) + n_lost
        worst = shown(improved) / denominator - share_c
        best = (shown(improved) + n_lost) / denominator - share_c
        block.update(n_lost=n_lost, attrition_range_pence=[
            total / (people * best) if best > 0 else None,
            total / (people * worst) if worst > 0 else None])
    cost["per_person_improved"] = block
    return cost


def protect(result: dict, audience: Audience) -> dict:
    """Disclosure control over the whole result, in one pass per section whose counts are
    linked (see ``linkwell.evaluation.disclosure`` and docs/evaluation.md)."""
    if audience == "evaluator":
        return result
    out = dict(result)
    out["reach"] = _protect_reach(result["reach"], audience)
    outcomes, lost_hidden = {}, {}
    for code, entry in result["outcomes"].items():
        outcomes[code], lost_hidden[code] = _protect_outcome(entry, audience)
    out["outcomes"] = outcomes
    out["attrition"] = {code: _protect_attrition(entry, lost_hidden.get(code, True), audience)
                        for code, entry in result["attrition"].items()}
    comparison = dict(result["comparison"])
    instruments = {}
    for code, entry in comparison.get("instruments", {}).items():
        entry = {design: {k: (_count(v, audience) if k.startswith("n_") and isinstance(v, int)
                              else v) for k, v in block.items()}
                 for design, block in entry.items()}
        instruments[code] = entry
    comparison["instruments"] = instruments
    out["comparison"] = comparison
    out["cost"] = protect_cost(result["cost"],
                                result["reach"]["totals"].get("completed_episodes"), audience)
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
