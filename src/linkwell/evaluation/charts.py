"""The evaluation report's charts, drawn by ``linkwell.charts`` from a result (pure).

Suppressed values ("<10", "c") are never drawn as numbers: a bar shows the text instead and an
estimate without a confidence interval is left out of the interval charts.
"""

from linkwell.charts import (
    Bars,
    BoroughShape,
    Chart,
    Estimate,
    bar_chart,
    choropleth,
    interval_chart,
)
from linkwell.evaluation.instruments import INSTRUMENTS

SENSITIVITY = (("complete_case", "Complete cases"), ("missing_as_no_change", "Missing = no change"),
               ("multiple_imputation", "Multiple imputation"))


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def reach_by_decile(rows: list[dict]) -> Chart | None:
    """Share of people referred against share of population, by IMD decile."""
    if not rows:
        return None
    people = [_number(r.get("people")) for r in rows]
    total = sum(p for p in people if p) or None
    referred = tuple(None if p is None or total is None else 100 * p / total for p in people)
    return bar_chart(
        [f"Decile {r['imd_decile']}" + (" (most deprived)" if r["imd_decile"] == 1 else
                                        " (least deprived)" if r["imd_decile"] == 10 else "")
         for r in rows],
        [Bars("Share of population", tuple(100 * r["population_share"] for r in rows)),
         Bars("Share of people referred", referred,
              tuple(_percent(v) if v is not None else str(r.get("people"))
                    for v, r in zip(referred, rows, strict=True)))],
        chart_id="chart-reach-decile", category_heading="IMD 2019 decile",
        title="Share of people referred and of the population by IMD 2019 decile",
        caption="Share of people referred and share of the population in each IMD 2019 decile "
                "(1 = most deprived 10% in England). A longer second bar means more referrals "
                "than the population share.", value_format=_percent)


def referral_map(result: dict, boroughs: dict | None) -> Chart | None:
    """Referrals per 1,000 residents by borough, above or below the rate over all boroughs."""
    if not boroughs:
        return None
    by_borough = result["reach"]["by_borough"]
    served = {r["lad_code"] for r in by_borough}
    shapes = [BoroughShape(f["properties"].get("LAD22CD", ""), f["properties"].get("LAD22NM", ""),
                           f["geometry"]) for f in boroughs.get("features", [])
              if f.get("geometry") and f["properties"].get("LAD22CD") in served]
    if not shapes:
        return None
    values = {r["lad_code"]: _number(r.get("referrals_per_1000")) for r in by_borough}
    texts = {r["lad_code"]: str(r.get("referrals_per_1000")) for r in by_borough}
    overall = _number(result["reach"]["totals"].get("referrals_per_1000"))
    drawn = sorted(v for v in values.values() if v is not None)
    if overall is None and drawn:
        overall = drawn[len(drawn) // 2]
    threshold = overall if overall is not None else 0.0
    return choropleth(
        shapes, values, chart_id="chart-reach-map", threshold=threshold,
        title="Referrals per 1,000 residents by borough",
        above=f"At or above the overall rate ({threshold:,.2f})",
        below=f"Below the overall rate ({threshold:,.2f})",
        value_heading="Referrals per 1,000", texts=texts,
        value_format=lambda v: f"{v:,.2f}",
        caption="Referrals per 1,000 residents by borough against the rate over all the "
                "boroughs served. Hatched: no figure (no referrals, or hidden by disclosure "
                "control).")


def change_by_quintile(outcomes: dict) -> Chart | None:
    """Mean change with its 95% CI by IMD quintile, per instrument (rows with a CI only)."""
    rows = []
    for code, entry in outcomes.items():
        direction = " (lower is better)" if INSTRUMENTS[code].lower_is_better else ""
        for row in entry["by"].get("imd_quintile", []):
            if row.get("ci95") and _number(row.get("mean_change")) is not None:
                low, high = row["ci95"]
                rows.append(Estimate(f"{code}{direction}, quintile {row['imd_quintile']}",
                                     float(row["mean_change"]), low, high))
    if not rows:
        return None
    return interval_chart(
        rows, chart_id="chart-change-quintile", axis_label="Mean change (points)",
        title="Mean change in score with 95% CI by IMD quintile",
        caption="Mean change in score with its 95% confidence interval, by IMD quintile "
                "(1 = most deprived). Unequal benefit shows as points at different places.")


def attrition_by_quintile(outcomes: dict) -> Chart | None:
    """Share of baseline measures with no follow-up, by IMD quintile and instrument."""
    codes = [c for c, e in outcomes.items()
             if any(isinstance(r.get("attrition_rate"), float) for r in e["by"].get(
                 "imd_quintile", []))]
    if not codes:
        return None
    quintiles = [1, 2, 3, 4, 5]

    def rate(code: str, q: int) -> float | None:
        row = next((r for r in outcomes[code]["by"].get("imd_quintile", [])
                    if r.get("imd_quintile") == q), {})
        value = row.get("attrition_rate")
        return 100 * value if isinstance(value, float) else None

    return bar_chart(
        [f"Quintile {q}" + (" (most deprived)" if q == 1 else " (least deprived)" if q == 5
                            else "") for q in quintiles],
        [Bars(code, tuple(rate(code, q) for q in quintiles)) for code in codes],
        chart_id="chart-attrition-quintile", category_heading="IMD quintile",
        title="People with a baseline score but no follow-up, by IMD quintile",
        caption="Share of people with a baseline score but no follow-up, by IMD quintile and "
                "instrument.", value_format=lambda v: f"{v:.0f}%")


def sensitivity(attrition: dict) -> Chart | None:
    """The mean change under three assumptions about missing follow-ups, per instrument."""
    rows = []
    for code, entry in attrition.items():
        for k, (name, label) in enumerate(SENSITIVITY):
            block = entry["sensitivity"].get(name, {})
            if block.get("ci95") and _number(block.get("mean_change")) is not None:
                low, high = block["ci95"]
                rows.append(Estimate(f"{code}: {label}", float(block["mean_change"]), low, high,
                                     series=k))
    if not rows:
        return None
    return interval_chart(
        rows, chart_id="chart-sensitivity", axis_label="Mean change in score (95% CI)",
        series_names=[label for _, label in SENSITIVITY],
        title="Mean change under three assumptions about people without follow-up",
        caption="Mean change under three assumptions about the people without follow-up. If "
                "the three agree, missing follow-ups change little; if they differ, read the "
                "complete-case figure with caution.")
