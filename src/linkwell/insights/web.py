"""``/insights``: the operational dashboard, its CSV exports and the JSON behind its charts.

Commissioners and administrators see counts under 10 suppressed (the evaluation's disclosure
control); evaluators see unsuppressed figures and may include simulated referrals. Every view
and export is audited with the filters used (codes and dates only).
"""

import csv
import io
import json
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from linkwell import audit
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import require_roles
from linkwell.db import utcnow
from linkwell.errors import InvalidInput, NotFound
from linkwell.evaluation import report
from linkwell.evaluation.web import audience_of
from linkwell.geo import borough_shapes
from linkwell.insights import charts, domain, pages, queries
from linkwell.referrals.domain import REFERRAL_SOURCES
from linkwell.web.deps import Session, SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter(tags=["insights"])
router.include_router(pages.router)
reader = require_roles(Role.COMMISSIONER, Role.ADMIN, Role.EVALUATOR)
CHARTS = ("trend", "funnel")


def _fmt(value, key: str = "") -> str:
    """As the evaluation report writes a figure, but a rate or a share as a percentage."""
    if isinstance(value, float) and key.endswith(("rate", "share", "share_of_capacity",
                                                  "share_of_referred")):
        return f"{value:.0%}"
    return report.fmt(value)


templates.env.filters["insights_fmt"] = _fmt


def _date(text: str | None, field: str, errors: list[dict]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append({"field": field, "message": "Enter a date as YYYY-MM-DD"})
        return None


def _int(text: str | None, field: str, errors: list[dict]) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        errors.append({"field": field, "message": "Choose one from the list"})
        return None
    return int(text)


def parse_filters(request: Request, user: User) -> domain.Filters:
    """The filters from the query string; bad values raise InvalidInput naming each field."""
    q = request.query_params
    errors: list[dict] = []
    filters = domain.Filters(
        date_from=_date(q.get("from"), "from", errors), date_to=_date(q.get("to"), "to", errors),
        borough=(q.get("borough") or "").strip()[:9] or None,
        pcn=_int(q.get("pcn"), "pcn", errors), team=_int(q.get("team"), "team", errors),
        practice=(q.get("practice") or "").strip().upper()[:10] or None,
        source=q.get("source") or None,
        include_simulated=q.get("simulated") == "1" and Role.EVALUATOR in user.roles)
    if filters.source and filters.source not in (*REFERRAL_SOURCES, domain.SIMULATED):
        errors.append({"field": "source", "message": "Choose a source from the list"})
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors.append({"field": "to", "message": "The end of the period must not be before "
                                                 "its start"})
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)
    return filters


def _read(session: Session, request: Request, user: User, filters: domain.Filters,
          action: str, what: str) -> tuple[domain.Dashboard, domain.Frames]:
    """The figures for the filters, with the audit of who read them, in one transaction."""
    with session.begin():
        dashboard = queries.dashboard(session, filters, audience_of(user), utcnow())
        frames = queries.frames(session)
        audit.record(session, action=action, object_type="insights", object_id=what,
                     detail=filters.query(), **audit.actor(user, client_ip(request)))
    return dashboard, frames


@router.get("/insights", response_class=HTMLResponse)
def insights_page(request: Request, session: SessionDep, user: User = Depends(reader)):
    errors: list[dict] = []
    try:
        filters = parse_filters(request, user)
    except InvalidInput as exc:
        errors, filters = exc.errors, domain.Filters()
    dashboard, frames = _read(session, request, user, filters, "read", "dashboard")
    subscribed = _subscribed(session, user)
    teams = [(t.team_id, t.name, t.kind) for t in frames.teams.itertuples()
             if t.kind != domain.SIMULATED]
    context = {
        "d": dashboard, "errors": errors, "query": request.query_params,
        "export_query": "&".join(f"{k}={v}" for k, v in filters.query().items()),
        "pcn_options": [(team_id, name) for team_id, name, kind in teams if kind == "pcn"],
        "team_options": [(team_id, name) for team_id, name, _ in teams],
        "source_options": [(code, s.display) for code, s in REFERRAL_SOURCES.items()],
        "is_evaluator": Role.EVALUATOR in user.roles,
        "tables": {t.key: t for t in dashboard.tables},
        "trend_chart": charts.trend(dashboard.trend),
        "funnel_chart": charts.funnel(dashboard.funnel),
        "map_chart": charts.reach_map(*_map_inputs(session, dashboard)),
        "lsoa_chart": None if dashboard.too_few or dashboard.empty else queries.lsoa_chart(
            frames, dashboard.filters, dashboard.audience, borough_shapes(session)),
        "can_subscribe": Role.COMMISSIONER in user.roles or Role.ADMIN in user.roles,
        "is_admin": Role.ADMIN in user.roles,
        "subscribed": subscribed,
    }
    return templates.TemplateResponse(request, "insights/page.html", context,
                                      status_code=400 if errors else 200)


def _map_inputs(session: Session, dashboard: domain.Dashboard) -> tuple[list[dict], list]:
    """The equity-by-borough rows (already protected) and the boundaries to draw them on."""
    rows = next((t.rows for t in dashboard.tables if t.key == "equity_by_borough"), [])
    return rows, (borough_shapes(session) if rows else [])


def _subscribed(session: Session, user: User) -> bool:
    with session.begin():
        return queries.subscribed(session, user.id)


def _table_or_404(dashboard: domain.Dashboard, key: str) -> domain.Table:
    if dashboard.too_few:
        raise NotFound("Fewer than 10 people match these filters, so no table is exported.")
    for table in dashboard.tables:
        if table.key == key:
            return table
    raise NotFound("There is no such table for these filters.")


@router.get("/insights/{key}.csv")
def table_csv(key: str, request: Request, session: SessionDep, user: User = Depends(reader)):
    """One table as CSV, exactly as the page shows it (suppression applied)."""
    filters = parse_filters(request, user)
    dashboard, _ = _read(session, request, user, filters, "export", key)
    table = _table_or_404(dashboard, key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _, heading in table.columns])
    for row in table.rows:
        writer.writerow(["" if row.get(c) is None else
                         round(row[c], 4) if isinstance(row.get(c), float) else row[c]
                         for c, _ in table.columns])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="insights-{key}.csv"'})


@router.get("/insights/charts/{chart}.json")
def chart_json(chart: str, request: Request, session: SessionDep, user: User = Depends(reader)):
    """The data behind a chart, protected as on the page."""
    if chart not in CHARTS:
        raise NotFound("There is no such chart.")
    filters = parse_filters(request, user)
    dashboard, _ = _read(session, request, user, filters, "export", f"chart:{chart}")
    body = {"chart": chart, "filters": filters.query(), "audience": dashboard.audience,
            "data": dashboard.trend if chart == "trend" else dashboard.funnel}
    return Response(json.dumps(body, indent=1), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="insights-{chart}.json"'})
