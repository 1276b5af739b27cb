"""Outcome pages: self-completion by one-time link, the link worker's entry form and chart,
the FHIR Questionnaire export, and the administrator's local instruments."""

import json
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.charts import Series, figure, line_chart
from linkwell.db import utcnow
from linkwell.errors import InvalidInput, LinkwellError
from linkwell.outcomes import commands, queries
from linkwell.outcomes.fhir import questionnaire, questionnaire_response
from linkwell.outcomes.instruments import InstrumentDefinition, ScoringRule
from linkwell.outcomes.models import Measure
from linkwell.outcomes.schedule import Timepoint
from linkwell.outcomes.scoring import Change, meaningful_change, score
from linkwell.referrals.queries import episode_for, load_episode
from linkwell.web.deps import Id, Session, SessionDep, client_ip
from linkwell.web.templating import templates

FHIR_JSON = "application/fhir+json"
router = APIRouter(include_in_schema=False)
link_worker = require_roles(Role.LINK_WORKER)
admin_only = require_roles(Role.ADMIN)


def _field(link_id: str) -> str:
    return f"q-{link_id}"


def _answers_from_form(definition: InstrumentDefinition, form, *, require_all: bool
                       ) -> tuple[dict[str, int | None], dict[str, str]]:
    """Form values → answers by linkId, and errors keyed by the field to link to."""
    answers: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for number, item in enumerate(definition.items, start=1):
        raw = (form.get(_field(item.link_id)) or "").strip()
        allowed = {str(o.value): o.value for o in definition.options_for(item)}
        if not raw:
            answers[item.link_id] = None
            if require_all:
                errors[_field(item.link_id)] = f"Select an answer for question {number}"
        elif raw not in allowed:
            errors[_field(item.link_id)] = f"Select one of the answers for question {number}"
        else:
            answers[item.link_id] = allowed[raw]
    return answers, errors


# --- Self-completion (no account) ----------------------------------------------------------

@router.get("/measure/thank-you", response_class=HTMLResponse)
def self_completion_thanks(request: Request):
    return templates.TemplateResponse(request, "outcomes/thanks.html", {})


@router.get("/measure/{token}", response_class=HTMLResponse)
def self_completion_page(request: Request, token: str, session: SessionDep):
    link = queries.open_link(session, token)
    definition = commands.definition_of(link.version)
    return _complete_page(request, token, definition, {}, {})


def _complete_page(request, token, definition, values, errors, status=200):
    return templates.TemplateResponse(
        request, "outcomes/complete.html",
        {"token": token, "definition": definition, "values": values, "errors": errors,
         "field": _field},
        status_code=status)


@router.post("/measure/{token}", response_class=HTMLResponse,
             dependencies=[Depends(csrf_protect)])
async def self_completion_submit(request: Request, token: str, session: SessionDep):
    form = await request.form()
    with session.begin():
        link = queries.open_link(session, token)
        definition = commands.definition_of(link.version)
        answers, errors = _answers_from_form(definition, form, require_all=True)
        if errors:
            values = {k: v for k, v in form.items() if k.startswith("q-")}
            return _complete_page(request, token, definition, values, errors, status=422)
        commands.submit_self_completion(session, token=token, answers=answers,
                                        source_ip=client_ip(request))
    return RedirectResponse("/measure/thank-you", status_code=303)


# --- The link worker's pages ---------------------------------------------------------------

def chart_context(session: Session, user: User, episode_id: int,
                  source_ip: str | None) -> dict:
    """Charts and tables of every score of the episode's person, one per instrument."""
    measures = queries.person_measures(session, by=user, episode_id=episode_id,
                                        source_ip=source_ip)
    by_key: dict[str, list[Measure]] = {}
    for measure in measures:
        by_key.setdefault(measure.version.instrument.key, []).append(measure)
    charts = []
    for key, rows in by_key.items():
        definition = commands.definition_of(rows[-1].version)
        if definition.scoring.rule is ScoringRule.PER_ITEM:
            series = [Series(item.link_id.replace("_", " ").capitalize(), tuple(
                (m.measured_on, m.item_scores[item.link_id]["score"]) for m in rows
                if m.item_scores.get(item.link_id, {}).get("score") is not None))
                for item in definition.items]
            low = min(min(definition.item_scores(i)) for i in definition.items)
            high = max(max(definition.item_scores(i)) for i in definition.items)
        else:
            label = "Metric score" if definition.scoring.conversion else "Score"
            series = [Series(label, tuple((m.measured_on, m.metric_score if m.metric_score
                                           is not None else m.raw_score)
                                          for m in rows if m.complete))]
            low, high = (definition.scoring.conversion[0], definition.scoring.conversion[-1]) \
                if definition.scoring.conversion else definition.raw_range
        charts.append({
            "key": key, "definition": definition, "measures": rows,
            # The record's own table below the chart (date, point, score, band) is its data.
            "figure": figure(line_chart(
                series, y_min=low, y_max=high, chart_id=f"chart-{key}",
                title=f"{definition.short_name} scores over time", y_heading="Score"),
                with_table=False),
            "changes": _changes(definition, rows, episode_id),
        })
    return {"charts": charts, "episode_id": episode_id}


def _changes(definition: InstrumentDefinition, rows: list[Measure], episode_id: int):
    """This episode's baseline against its latest later measure, when both exist."""
    mine = [m for m in rows if m.episode_id == episode_id]
    baseline = next((m for m in mine if m.timepoint == Timepoint.BASELINE), None)
    later = [m for m in mine if m.timepoint != Timepoint.BASELINE]
    if baseline is None or not later:
        return []
    before, after = (score(commands.definition_of(m.version), m.answers)
                     for m in (baseline, later[-1]))
    return meaningful_change(definition, before, after)


@router.get("/episodes/{episode_id}/measures", response_class=HTMLResponse)
def episode_measures_page(request: Request, episode_id: Id, session: SessionDep,
                          user: User = Depends(link_worker)):
    with session.begin():
        measures = queries.episode_measures(session, by=user, episode_id=episode_id,
                                             source_ip=client_ip(request))
        episode = load_episode(session, by=user, episode_id=episode_id)
        due = queries.due_for_episodes(session, [episode])[episode_id].due
        context = chart_context(session, user, episode_id, client_ip(request))
        instruments = commands.list_instruments(session)
    context.update({
        "episode": episode, "measures": measures, "due": due, "instruments": instruments,
        "timepoints": list(Timepoint), "Change": Change,
    })
    return templates.TemplateResponse(request, "outcomes/episode.html", context)


@router.get("/episodes/{episode_id}/measures/chart", response_class=HTMLResponse)
def episode_chart_fragment(request: Request, episode_id: Id, session: SessionDep,
                           user: User = Depends(link_worker)):
    """The chart on its own, for the person's record page to include (or ``hx-get``)."""
    with session.begin():
        context = chart_context(session, user, episode_id, client_ip(request))
    context["Change"] = Change
    return templates.TemplateResponse(request, "outcomes/_chart.html", context)


@router.get("/episodes/{episode_id}/measures/new", response_class=HTMLResponse)
def new_measure_page(request: Request, episode_id: Id, session: SessionDep,
                     instrument: str = Query(...), timepoint: str = Query("baseline"),
                     user: User = Depends(link_worker)):
    with session.begin():
        episode_for(session, by=user, episode_id=episode_id, source_ip=client_ip(request),
                    page="new measure")
        version = commands.current_version(session, instrument)
    return _entry_page(request, episode_id, commands.definition_of(version), timepoint,
                       utcnow().date().isoformat(), {}, {})


def _entry_page(request, episode_id, definition, timepoint, measured_on, values, errors,
                status=200):
    return templates.TemplateResponse(
        request, "outcomes/entry.html",
        {"episode_id": episode_id, "definition": definition, "timepoint": timepoint,
         "timepoints": list(Timepoint), "measured_on": measured_on, "values": values,
         "errors": errors, "field": _field},
        status_code=status)


@router.post("/episodes/{episode_id}/measures", response_class=HTMLResponse,
             dependencies=[Depends(csrf_protect)])
async def record_measure(request: Request, episode_id: Id, session: SessionDep,
                         user: User = Depends(link_worker)):
    form = await request.form()
    key = str(form.get("instrument", ""))
    timepoint = str(form.get("timepoint", ""))
    measured_on_text = str(form.get("measured_on", "")).strip()
    with session.begin():
        definition = commands.definition_of(commands.current_version(session, key))
        answers, errors = _answers_from_form(definition, form, require_all=False)
        try:
            measured_on = date.fromisoformat(measured_on_text)
        except ValueError:
            errors["measured_on"] = "Enter the date the questionnaire was completed"
        if errors:
            values = {k: v for k, v in form.items() if k.startswith("q-")}
            return _entry_page(request, episode_id, definition, timepoint,
                               measured_on_text, values, errors, status=422)
        commands.record_measure(session, by=user, episode_id=episode_id, instrument=key,
                                timepoint=timepoint, measured_on=measured_on,
                                answers=answers, source_ip=client_ip(request))
    return RedirectResponse(f"/episodes/{episode_id}/measures?saved=measure", status_code=303)


@router.post("/episodes/{episode_id}/measures/links", response_class=HTMLResponse,
             dependencies=[Depends(csrf_protect)])
async def send_link(request: Request, episode_id: Id, session: SessionDep,
                    user: User = Depends(link_worker)):
    form = await request.form()
    with session.begin():
        link, token = commands.create_self_completion_link(
            session, by=user, episode_id=episode_id,
            instrument=str(form.get("instrument", "")),
            timepoint=str(form.get("timepoint", "")), source_ip=client_ip(request))
        key = link.version.instrument.key
    url = request.app.state.settings.public_link(f"/measure/{token}")
    return templates.TemplateResponse(
        request, "outcomes/link.html",
        {"episode_id": episode_id, "url": url, "expires_at": link.expires_at,
         "instrument": key, "timepoint": Timepoint(link.timepoint)},
        status_code=201)


# --- FHIR ----------------------------------------------------------------------------------

@router.get("/fhir/Questionnaire/{key}")
def fhir_questionnaire(request: Request, key: str, session: SessionDep):
    """Instruments are not personal data: anyone may read their definitions."""
    with session.begin():
        version = commands.current_version(session, key)
    return JSONResponse(questionnaire(commands.definition_of(version),
                                      base_url=request.app.state.settings.base_url),
                        media_type=FHIR_JSON)


@router.get("/fhir/QuestionnaireResponse/{measure_id}")
def fhir_questionnaire_response(request: Request, measure_id: Id, session: SessionDep,
                                user: User = Depends(link_worker)):
    with session.begin():
        measure = queries.measure_for(session, by=user, measure_id=measure_id,
                                       source_ip=client_ip(request))
        definition = commands.definition_of(measure.version)
    resource = questionnaire_response(
        definition, measure.answers,
        base_url=request.app.state.settings.base_url, authored=measure.measured_on,
        response_id=str(measure.id))
    return JSONResponse(resource, media_type=FHIR_JSON)


# --- Administrator: local instruments -----------------------------------------------------

@router.get("/admin/instruments", response_class=HTMLResponse)
def admin_instruments(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    with session.begin():
        versions = commands.list_instruments(session)
    return _admin_page(request, versions, "", {})


def _admin_page(request, versions, document, errors, status=200, saved=None):
    return templates.TemplateResponse(
        request, "outcomes/admin_instruments.html",
        {"versions": versions, "document": document, "errors": errors, "saved": saved,
         "definition_of": commands.definition_of},
        status_code=status)


@router.post("/admin/instruments", response_class=HTMLResponse,
             dependencies=[Depends(csrf_protect)])
async def admin_save_instrument(request: Request, session: SessionDep,
                                admin: User = Depends(admin_only)):
    document = str((await request.form()).get("definition", ""))
    try:
        data = json.loads(document)
        if not isinstance(data, dict):
            raise InvalidInput("The definition must be a JSON object")
        with session.begin():
            saved = commands.save_local_instrument(session, by=admin, definition=data,
                                                   source_ip=client_ip(request))
            saved_label = f"{saved.instrument.key} version {saved.version}"
    except json.JSONDecodeError as exc:
        errors = {"definition": f"This is not valid JSON: {exc.msg} (line {exc.lineno})"}
    except LinkwellError as exc:
        errors = {"definition": exc.detail}
    else:
        with session.begin():
            versions = commands.list_instruments(session)
        return _admin_page(request, versions, "", {}, saved=saved_label)
    with session.begin():
        versions = commands.list_instruments(session)
    return _admin_page(request, versions, document, errors, status=422)
