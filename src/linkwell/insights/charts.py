"""The dashboard's charts, drawn by ``linkwell.charts`` from its figures (pure).

The figures arrive already protected (suppressed for commissioners), so a hidden count is shown
as its text and never drawn. Each chart sits beside a captioned table with the same figures.
"""

from collections.abc import Sequence

from linkwell.charts import BoroughShape, Chart, Series, choropleth, funnel_chart, line_chart


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
