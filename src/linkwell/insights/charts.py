"""The dashboard's charts, drawn by ``linkwell.charts`` from its figures (pure).

The figures arrive already protected (suppressed for commissioners), so a hidden count is shown
as its text and never drawn. Each chart sits beside a captioned table with the same figures.
"""

from collections.abc import Sequence

from linkwell.charts import (
    BoroughShape,
    Chart,
    Dot,
    Series,
    Table,
    choropleth,
    dot_map,
    funnel_chart,
    line_chart,
)
from linkwell.evaluation.disclosure import SUPPRESSED, THRESHOLD
from linkwell.insights import domain


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def trend(rows: list[dict]) -> Chart:
    """Referrals and acceptances by month of referral; suppressed months are left out."""
    return line_chart(
        [Series(name, tuple((r["group"], float(r[key])) for r in rows
                            if _count(r.get(key)) is not None))
         for key, name in (("referrals", "Referrals"), ("accepted", "Accepted"))],
        chart_id="chart-trend", title="Referrals and acceptances by month of referral",
        x_heading="Month", caption="Referrals received and accepted each month. The figures "
        "are in the table below.", value_format=lambda v: f"{v:,.0f}")


def funnel(rows: list[dict]) -> Chart:
    """From referral to completion, as a share of the people referred."""
    stages = [(r["group"], _count(r.get("people")), str(r.get("people")) if
               _count(r.get("people")) is None else f"{r['people']:,}")
              for r in rows if r.get("code") != "declined"]
    return funnel_chart(stages, chart_id="chart-funnel",
                        title="People at each stage from referral to completion",
                        caption="People at each stage from referral to completion, and their "
                        "share of those referred. The figures are in the table below.")


def reach_map(rows: list[dict], shapes: Sequence[BoroughShape]) -> Chart | None:
    """People referred per 1,000 residents by borough against the rate over all the boroughs
    served (the need the rate is set against is the resident population)."""
    if not rows or not shapes:
        return None
    codes = {r.get("lad_code") for r in rows}
    rates = {r["lad_code"]: r.get("people_per_1000") for r in rows if r.get("lad_code")}
    values = {k: float(v) for k, v in rates.items()
              if isinstance(v, (int, float)) and not isinstance(v, bool)}
    people = [_count(r.get("people")) for r in rows]
    residents = [_count(r.get("population")) for r in rows]
    overall = (1000 * sum(p for p in people if p) / sum(n for n in residents if n)
               if any(people) and any(residents) else None)
    if overall is None:
        return None
    return choropleth(
        [s for s in shapes if s.lad_code in codes], values, chart_id="chart-reach-map",
        threshold=overall, title="People referred per 1,000 residents by borough",
        above=f"At or above the rate over all boroughs served ({overall:,.2f})",
        below=f"Below the rate over all boroughs served ({overall:,.2f})",
        value_heading="People per 1,000 residents",
        texts={k: "hidden (fewer than 10 people)" for k in rates if k not in values},
        value_format=lambda v: f"{v:,.2f}",
        caption="People referred per 1,000 residents by borough, against the rate over all "
                "the boroughs served. Hatched: no figure (fewer than 10 people).")


def lsoa_map(frames: domain.Frames, filters: domain.Filters, audience: str,
             shapes: Sequence[BoroughShape]) -> Chart | None:
    """People referred per 1,000 residents by neighbourhood (LSOA), drawn at each LSOA's
    centroid over the boroughs served, against the rate over those boroughs, with each
    LSOA's IMD decile (its need) in the table.

    Outside the evaluator audience an LSOA with fewer than 10 people has no figure, and no
    LSOA's count or rate is shown (only its class): counts by LSOA could be subtracted from
    the borough totals to recover a hidden one."""
    refs = domain.scope(frames, filters)
    lsoa = frames.lsoa
    if refs.empty or lsoa.empty or "centroid_lat" not in lsoa:
        return None
    located = refs[["lsoa11cd", "person_id"]].dropna(subset=["lsoa11cd"])  # two columns only
    people = located.groupby("lsoa11cd")["person_id"].nunique()
    served = lsoa[lsoa["lad_code"].isin(set(refs["lad_code"].dropna()))
                  & lsoa["centroid_lat"].notna()]
    if served.empty or not served["population_total"].sum():
        return None
    counts = people.reindex(served["lsoa11cd"]).fillna(0).astype(int).to_numpy()
    overall = 1000 * counts.sum() / served["population_total"].sum()
    evaluator = audience == "evaluator"
    dots, rows = [], []
    above = f"At or above the rate over the boroughs served ({overall:,.2f} per 1,000)"
    below = f"Below the rate over the boroughs served ({overall:,.2f} per 1,000)"
    for (code, name, decile, population, lat, lon), n in zip(served[
            ["lsoa11cd", "lad_name", "imd_decile", "population_total", "centroid_lat",
             "centroid_lon"]].itertuples(index=False), counts, strict=True):
        rate = 1000 * n / population if population else None
        shown = rate if rate is not None and (evaluator or n >= THRESHOLD) else None
        dots.append(Dot(lat, lon, code, shown))
        klass = "No figure" if shown is None else (above if shown >= overall else below)
        row = (code, name, str(decile), klass)
        rows.append(row + ((f"{n:,}", f"{rate:,.2f}" if rate is not None else "–")
                           if evaluator else ()))
    head = ("LSOA", "Borough", "IMD decile (1 = most deprived)", "Reach against the rate")
    if evaluator:
        head += ("People referred", "People per 1,000 residents")
    rows.sort(key=lambda r: (r[3] == "No figure", int(r[2]) if r[2].isdigit() else 99, r[0]))
    caption = ("People referred per 1,000 residents by neighbourhood (LSOA 2011), against the "
               "rate over the boroughs served" + ("." if evaluator else
               f"; rings: fewer than 10 people ({SUPPRESSED}), so no figure."))
    return dot_map([s for s in shapes if s.lad_code in set(served["lad_code"])], dots,
                   chart_id="chart-lsoa-map", title="Reach by neighbourhood (LSOA)",
                   threshold=overall, above=above, below=below,
                   table=Table("Reach by neighbourhood (LSOA)", head, tuple(rows),
                               (False,) * len(head)),
                   caption=caption, value_format=lambda v: f"{v:,.2f}")
