"""The evaluation report: its body (plain-English summaries, charts drawn by ``linkwell.charts``,
captioned tables) shown in the site layout, and a self-contained document (the site's CSS inlined,
no external assets) that is stored and printed to PDF (``linkwell.web.pdf``)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from linkwell.evaluation.instruments import INSTRUMENTS

TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE_CSS = Path(__file__).resolve().parents[1] / "web" / "static" / "linkwell.css"
TITLE = "Social prescribing evaluation"
ATTRIBUTION = ("Contains National Statistics data © Crown copyright and database right; "
               "Contains OS data © Crown copyright and database right. Open Government "
               "Licence v3.0.")


def fmt(value, digits: int = 1) -> str:
    """A figure as a table or a summary shows it; text (``SUPPRESSED``, ``CONFIDENTIAL``) as it
    is."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def ci(value, digits: int = 1) -> str:
    if not value:
        return "–"
    return f"{value[0]:,.{digits}f} to {value[1]:,.{digits}f}"


def _pounds(pence) -> str:
    return "–" if pence is None else f"£{pence / 100:,.0f}"


def p_value(value) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def summaries(result: dict) -> dict:
    """Plain-English sentences built from the figures (never from suppressed values)."""
    reach = result["reach"]
    totals = reach["totals"]
    lines = {"reach": [], "outcomes": [], "attrition": [], "cost": [], "warnings": []}
    if totals.get("people_per_1000") is None:
        lines["reach"].append("Fewer than 10 people were referred: too few to report on.")
    else:
        lines["reach"].append(
            f"{fmt(totals['people'])} people were referred ({fmt(totals['referrals'])} "
            f"referrals), {totals['people_per_1000']:.1f} per 1,000 residents of the "
            f"{totals['boroughs_served']} boroughs served.")
    ratio = reach["inequality"]["people"]["rate_ratio_q1_vs_q5"]
    if ratio.get("rate_ratio"):
        more = "more" if ratio["rate_ratio"] >= 1 else "less"
        lines["reach"].append(
            f"People living in the most deprived fifth of neighbourhoods were referred at "
            f"{ratio['rate_ratio']:.2f} times the rate of those in the least deprived fifth "
            f"(95% CI {ci(ratio['ci95'], 2)}): reach is {more} concentrated where need is "
            "greatest.")
    for code, entry in result["outcomes"].items():
        if entry.get("mean_change") is None or entry.get("ci95") is None:
            continue
        direction = "fell" if entry["mean_change"] < 0 else "rose"
        better = "lower" if INSTRUMENTS[code].lower_is_better else "higher"
        lines["outcomes"].append(
            f"{INSTRUMENTS[code].title}: among {fmt(entry['n_paired'])} people with scores "
            f"before and after, the average score {direction} by "
            f"{abs(entry['mean_change']):.1f} points (95% CI {ci(entry['ci95'])}; "
            f"{better} is better)."
            + (f" {100 * entry['improved_share']:.0f}% improved by at least "
               f"{_points(INSTRUMENTS[code].meaningful_change)} and "
               f"{100 * entry['worsened_share']:.0f}% got worse by as much."
               if entry.get("improved_share") is not None
               and entry.get("worsened_share") is not None else ""))
    for code, entry in result["attrition"].items():
        s = entry["sensitivity"]
        cc, nc, mi = (s["complete_case"], s.get("missing_as_no_change", {}),
                      s.get("multiple_imputation", {}))
        if cc.get("mean_change") is None or nc.get("mean_change") is None:
            continue
        outcome = result["outcomes"].get(code, {})
        rate = outcome.get("attrition_rate")
        title = INSTRUMENTS[code].title
        text = (f"{title}: {100 * rate:.0f}% of people with a baseline score had no follow-up. "
                if isinstance(rate, float) else f"{title}: ")
        text += (f"The mean change is {cc['mean_change']:.2f} among complete cases, "
                 f"{nc['mean_change']:.2f} if those without follow-up did not change")
        if mi.get("mean_change") is not None:
            text += f", and {mi['mean_change']:.2f} with multiple imputation"
        text += "."
        worst, best = s.get("worst_case", {}), s.get("best_case", {})
        if worst.get("mean_change") is not None and best.get("mean_change") is not None:
            text += (f" Whatever the reason for dropout, it lies between "
                     f"{worst['mean_change']:.2f} and {best['mean_change']:.2f} (every person "
                     "lost at the worst or the best score).")
        if entry.get("tipping_point") is not None:
            text += (f" Tipping point: {abs(entry['tipping_point']):.1f} points (how much "
                     "worse than assumed the people lost would have to have done for the 95% "
                     "CI to include no change).")
        lines["attrition"].append(text)
        if entry.get("warning"):
            lines["warnings"].append(f"{title}: {entry['warning']}")
    cost = result["cost"]
    if cost.get("available"):
        lines["cost"].append(
            f"Funding of {_pounds(cost['funding_pence'])} supported "
            f"{fmt(cost['people_supported'])} people: "
            f"{_pounds(cost['per_person_supported']['pence'])} per person supported.")
        improved = cost.get("per_person_improved")
        if improved and improved.get("pence") is not None:
            ci95 = improved.get("ci95_pence") or [None, None]
            kind = ("net of the comparison group (people who improved because of support, "
                    "beyond those who improved anyway)" if improved["net_of_comparison"]
                    else "gross: no comparison group, so it includes people who would have "
                    "improved anyway")
            text = (f"Each person with a meaningful improvement in wellbeing cost about "
                    f"{_pounds(improved['pence'])}, {kind} (95% CI "
                    f"{_pounds(ci95[0])} to {_pounds(ci95[1]) if ci95[1] else 'no upper limit'}"
                    ", bootstrap over people).")
            attrition_range = improved.get("attrition_range_pence")
            if attrition_range:
                upper = (_pounds(attrition_range[1]) if attrition_range[1]
                         else "no upper limit")
                text += (f" Depending on how the people lost to follow-up fared, between "
                         f"{_pounds(attrition_range[0])} and {upper}.")
            lines["cost"].append(text)
        elif improved and improved.get("note"):
            lines["cost"].append(f"Cost per person improved: not estimated ({improved['note']}).")
        lines["cost"].append(f"What the cost includes: {cost['includes']} What it leaves out: "
                             f"{cost['leaves_out']}")
    return lines


def informative(rows) -> bool:
    """True when a breakdown has at least one figure (not every cell empty or suppressed)."""
    keys = ("mean_change", "referrals", "people", "n_paired")
    return any(isinstance(row.get(k), (int, float)) and not isinstance(row.get(k), bool)
               for row in rows or [] for k in keys)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(
        default_for_string=True, default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fmt=fmt, ci=ci, pounds=_pounds, p=p_value, informative=informative)
    env.tests.update(informative=informative)
    return env


def render_body(result: dict, *, boroughs: dict | None = None) -> Markup:
    """The report's content (figures, tables, methods), for the site page and the document."""
    from linkwell.charts import figure
    from linkwell.evaluation import charts

    reach_map = charts.referral_map(result, boroughs)
    figures = {
        "reach": charts.reach_by_decile(result["reach"]["by_imd_decile"]),
        # The by-borough table under the map holds its figures (and more).
        "map": figure(reach_map, with_table=False) if reach_map else None,
        "change": charts.change_by_quintile(result["outcomes"]),
        "attrition": charts.attrition_by_quintile(result["outcomes"]),
        "sensitivity": charts.sensitivity(result["attrition"]),
    }
    return Markup(_environment().get_template("evaluation/_report_body.html").render(  # noqa: S704
        r=result, figures=figures, summaries=summaries(result), instruments=INSTRUMENTS,
        attribution=ATTRIBUTION))


def _css() -> str:
    """The site's styles, inlined into the stand-alone document."""
    from linkwell.settings import get_settings

    files = [get_settings().node_modules / ".build" / "nhsuk-frontend.min.css", SITE_CSS]
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f.exists())


def render_html(result: dict, *, boroughs: dict | None = None, title: str = TITLE) -> str:
    """The stand-alone report document (stored, downloaded, printed to PDF)."""
    return _environment().get_template("evaluation/report.html").render(
        title=title, css=Markup(_css()), body=render_body(result, boroughs=boroughs))  # noqa: S704
