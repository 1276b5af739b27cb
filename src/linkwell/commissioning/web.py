"""Pages: the public accountability view (no sign-in) and the commissioners' editing pages.

Public pages read aggregates only: programmes, commitments, money and reports; nothing personal.
Every edit goes through ``store`` (versioned, audited, one transaction); a refused edit shows the
form again with what was typed, so nothing is lost.
"""

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.commissioning import commands, queries
from linkwell.commissioning.answer import Answer, build_answer, timeline
from linkwell.commissioning.domain import (
    AllocationStatus,
    CommissionKind,
    CommissionStatus,
    ProgrammeState,
    parse_as_of,
)
from linkwell.commissioning.money import Money, amount_from_pence
from linkwell.commissioning.periods import format_date
from linkwell.errors import LinkwellError, NotFound
from linkwell.web import forms
from linkwell.web.deps import Id, Session, SessionDep, client_ip
from linkwell.web.spreadsheet import safe_cell as _cell
from linkwell.web.templating import templates

router = APIRouter(tags=["accountability"])
commissioner = require_roles(Role.COMMISSIONER, Role.ADMIN)
STATUS_TAGS = {
    "planned": "nhsuk-tag--grey", "in_procurement": "nhsuk-tag--yellow",
    "commissioned": "nhsuk-tag--blue", "in_progress": "nhsuk-tag--blue",
    "reported": "nhsuk-tag--green", "published": "nhsuk-tag--green",
    "overdue": "nhsuk-tag--red", "due": "nhsuk-tag--white", "not_set": "nhsuk-tag--grey",
}
templates.env.globals["commissioning_status_tag"] = lambda s: STATUS_TAGS.get(s, "")
templates.env.filters["long_date"] = format_date


def _answer(session: Session, slug: str, as_of: str | None) -> Answer:
    day = parse_as_of(as_of, today=queries.today())
    return build_answer(queries.programme_state(session, slug, day))


def _page_context(answer: Answer) -> dict:
    state = answer.state
    is_today = answer.as_of == queries.today()
    groups: list[tuple] = []
    for entry in timeline(answer):
        if groups and groups[-1][0] == entry.when:
            groups[-1][1].append(entry)
        else:
            groups.append((entry.when, [entry]))
    return {"answer": answer, "state": state, "timeline": groups,
            "as_of_param": "" if is_today else f"?as_of={answer.as_of.isoformat()}",
            "is_today": is_today, "today_iso": queries.today().isoformat()}


# -- public -----------------------------------------------------------------------------------

@router.get("/accountability", response_class=HTMLResponse)
def programme_list(request: Request, session: SessionDep):
    return templates.TemplateResponse(request, "commissioning/programmes.html",
                                      {"programmes": queries.programmes(session)})


@router.get("/accountability/{slug}", response_class=HTMLResponse)
def accountability_page(request: Request, slug: str, session: SessionDep, as_of: str | None = None):
    answer = _answer(session, slug, as_of)
    context = _page_context(answer)
    if not context["is_today"]:
        context["later_changes"] = queries.changes(session, slug, after=answer.as_of)
    return templates.TemplateResponse(request, "commissioning/programme.html", context)


@router.get("/accountability/{slug}/answer", response_class=HTMLResponse)
def answer_page(request: Request, slug: str, session: SessionDep, as_of: str | None = None):
    answer = _answer(session, slug, as_of)
    return templates.TemplateResponse(request, "commissioning/answer.html",
                                      _page_context(answer))


@router.get("/accountability/{slug}/data.json")
def download_json(slug: str, session: SessionDep, as_of: str | None = None):
    answer = _answer(session, slug, as_of)
    body = json.dumps(answer.to_json(), indent=2, ensure_ascii=False)
    return Response(body, media_type="application/json", headers=_attachment(answer, "json"))


CSV_COLUMNS = (
    "as_of", "programme", "commission_id", "title", "type", "supplier", "status",
    "value_pence", "value", "combined_value", "combined_value_pence", "commitments", "started",
    "report_date", "report_date_start", "report_date_end", "report_state", "report",
    "output_links",
)


@router.get("/accountability/{slug}/data.csv")
def download_csv(slug: str, session: SessionDep, as_of: str | None = None):
    answer = _answer(session, slug, as_of)
    state = answer.state
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in state.commissions:
        report = answer.report_for(c.id)
        combined = (state.combined_value(c.combined_value_id)
                    if c.combined_value_id is not None else None)
        writer.writerow([_cell(v) for v in (
            answer.as_of.isoformat(), state.title, c.id, c.title, c.kind.value, c.supplier,
            c.status.value, c.value.pence if isinstance(c.value, Money) else "",
            "part of a combined value" if combined and not c.value.is_known else str(c.value),
            combined.label if combined else "",
            combined.amount.pence if combined else "",
            ";".join(str(state.commitment(i).number) for i in sorted(c.commitment_ids)),
            c.started.label if c.started else "",
            c.report_due.label if c.report_due else "",
            c.report_due.start.isoformat() if c.report_due else "",
            c.report_due.end.isoformat() if c.report_due else "",
            report.state, report.text, " ".join(o.url for o in report.outputs if o.url),
        )])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers=_attachment(answer, "csv"))


def _attachment(answer: Answer, ext: str) -> dict:
    name = f"{answer.state.slug}-as-of-{answer.as_of.isoformat()}.{ext}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/accountability/{slug}/outputs/{output_id}/file")
def output_file(slug: str, output_id: Id, session: SessionDep):
    state = queries.programme_state(session, slug)
    output = next((o for o in state.outputs if o.id == output_id and o.file_id), None)
    if output is None:
        raise NotFound("there is no file for this output")
    row = queries.output_file(session, output.file_id)
    return Response(row.content, media_type=row.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
        "X-Content-Type-Options": "nosniff"})


# -- commissioners ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    blank: str | None = None
    required: str | None = None  # the message when it is left empty


PERIOD_HINT = ("A financial year (2018/19), quarter (Q1 2019/20), season (spring 2019), "
               "month (December 2018) or date (2019-01-17). Leave blank if not known.")
EFFECTIVE = Field("valid_from", "Date this is true from", "date",
                  "The public answer as of any earlier date will not show this change. "
                  "Leave blank for today.")
NOTE = Field("change_note", "What changed, and the source", "textarea",
             "For example: value confirmed in the contract signed on 3 June 2019.")


def _enum_options(enum) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.value.replace("_", " ").capitalize()) for m in enum)


def _commitment_options(state: ProgrammeState):
    return tuple((str(c.id), f"Commitment {c.number}: {c.text}") for c in state.commitments)


def _fields(kind: str, state: ProgrammeState, session: Session) -> list[Field]:
    if kind == "commissions":
        return [
            Field("title", "Title", required="Enter the commission's title"),
            Field("kind", "Type", "select", options=_enum_options(CommissionKind)),
            Field("cost_category", "What the money pays for", "select",
                  "Delivery: the service itself (link worker posts, grants to providers); it "
                  "counts in cost per person. Research: research, evaluation and review, kept "
                  "apart. Leave blank to follow the type (service and grant are delivery).",
                  options=(("delivery", "Delivery of the service"),
                           ("research", "Research, evaluation or review")), blank="By type"),
            Field("status", "Status", "select", options=_enum_options(CommissionStatus)),
            Field("supplier", "Supplier", "supplier",
                  "Must be on the list of suppliers. Leave blank if not stated.",
                  options=tuple((s.name, s.name) for s in queries.suppliers(session))),
            Field("value", "Value", "money", "In pounds, for example £10,000. Leave blank if "
                  "the value is not yet known: it will be shown as not known, never as £0."),
            Field("combined_value_id", "Part of a combined value", "select",
                  "Choose this when one figure was given for several commissions together.",
                  options=tuple((str(c.id), f"{c.label} ({c.amount})")
                                for c in state.combined_values), blank="No"),
            Field("started", "Start", hint=PERIOD_HINT),
            Field("report_due", "Report due", hint=PERIOD_HINT),
            Field("commitment_ids", "Commitments this work serves", "checkboxes",
                  "Leave all unticked if it is not clear which commitment it serves.",
                  options=_commitment_options(state)),
            EFFECTIVE, NOTE,
        ]
    if kind == "allocations":
        return [
            Field("description", "Description", required="Enter a description"),
            Field("amount", "Amount", "money", "In pounds. Leave blank if not yet known."),
            Field("status", "Status", "select", options=_enum_options(AllocationStatus)),
            Field("period", "Period", hint=PERIOD_HINT),
            Field("commitment_ids", "Commitments it is allocated to", "checkboxes",
                  options=_commitment_options(state)),
            EFFECTIVE, NOTE,
        ]
    if kind == "combined-values":
        return [Field("label", "Label", hint="What the figure covers, as it was stated.",
                      required="Enter what the figure covers"),
                Field("amount", "Combined amount", "money", "In pounds, for example £36,000.",
                      required="Enter the combined amount"),
                EFFECTIVE, NOTE]
    if kind == "commitments":
        return [Field("text", "Commitment, word for word", "textarea",
                      required="Enter the commitment, word for word"),
                Field("period", "Period", hint=PERIOD_HINT),
                Field("owner", "Owner", hint="Who is accountable for it. Leave blank if not "
                      "stated."), EFFECTIVE, NOTE]
    if kind == "outputs":
        return [
            Field("title", "Title", required="Enter the output's title"),
            Field("commission_id", "Result of", "select", options=tuple(
                (str(c.id), c.title) for c in state.commissions), blank="No single commission"),
            Field("published", "Published", hint=PERIOD_HINT),
            Field("url", "Link", "url", "The address of the published document, starting "
                  "https://"),
            Field("file", "Or upload the document", "file",
                  "PDF, Word, OpenDocument, Excel, CSV or plain text; 20 MB at most."),
            Field("note", "Note", hint="For example: out for feedback until 1 March 2019."),
            EFFECTIVE, NOTE,
        ]
    raise NotFound("there is no such kind of record")


NOUNS = {"commissions": "commission", "allocations": "allocation",
         "combined-values": "combined value", "commitments": "commitment",
         "outputs": "output"}
OBJECT_TYPES = {"commissions": "commission", "allocations": "allocation",
                "combined-values": "combined_value", "commitments": "commitment",
                "outputs": "commission_output"}


def _current_values(state: ProgrammeState, kind: str, entity_id: int) -> dict:
    """The form's starting values: the record as it stands today."""
    def pounds(amount):
        return f"{amount.pence / 100:,.2f}".removesuffix(".00") if isinstance(amount,
                                                                             Money) else ""

    def label(period):
        return period.label if period else ""

    try:
        if kind == "commissions":
            c = next(x for x in state.commissions if x.id == entity_id)
            return {"title": c.title, "kind": c.kind.value,
                    "cost_category": c.cost_category.value, "status": c.status.value,
                    "supplier": c.supplier or "", "value": pounds(c.value),
                    "combined_value_id": str(c.combined_value_id or ""),
                    "started": label(c.started), "report_due": label(c.report_due),
                    "commitment_ids": [str(i) for i in c.commitment_ids],
                    "version": c.version}
        if kind == "allocations":
            a = next(x for x in state.allocations if x.id == entity_id)
            return {"description": a.description, "amount": pounds(a.amount),
                    "status": a.status.value, "period": label(a.period),
                    "commitment_ids": [str(i) for i in a.commitment_ids], "version": a.version}
        if kind == "combined-values":
            v = state.combined_value(entity_id)
            return {"label": v.label, "amount": pounds(v.amount), "version": v.version}
        if kind == "commitments":
            c = state.commitment(entity_id)
            return {"text": c.text, "period": label(c.period), "owner": c.owner or "",
                    "version": c.version}
        o = next(x for x in state.outputs if x.id == entity_id)
        return {"title": o.title, "commission_id": str(o.commission_id or ""),
                "published": label(o.published), "url": o.url or "", "note": o.note,
                "version": o.version}
    except StopIteration:
        raise NotFound(f"there is no current {NOUNS[kind]} {entity_id}") from None


def _actor(request: Request, user) -> commands.Actor:
    role = user.primary_role
    return commands.Actor(user.id, role.value if role else None, client_ip(request))


def _optional_int(value) -> int | None:
    return int(value) if value not in (None, "") else None


def _save(session: Session, slug: str, kind: str, entity_id: int | None, form: dict,
          upload: tuple[str, str, bytes] | None, actor: commands.Actor) -> None:
    common = {"valid_from": parse_as_of(form.get("valid_from"), today=queries.today()),
              "expected_version": _optional_int(form.get("version")), "actor": actor}
    session.rollback()  # end the read that built the form; the change is one new transaction
    with session.begin():
        if kind == "commissions":
            commands.save_commission(
                session, slug, commission_id=entity_id, title=form.get("title", ""),
                kind=form.get("kind", ""), status=form.get("status", ""),
                cost_category=form.get("cost_category") or None,
                value=form.get("value"), supplier=form.get("supplier") or None,
                combined_value_id=_optional_int(form.get("combined_value_id")),
                started=form.get("started"), report_due=form.get("report_due"),
                commitment_ids=[int(i) for i in form.get("commitment_ids", [])],
                note=form.get("change_note", ""), **common)
        elif kind == "allocations":
            commands.save_allocation(
                session, slug, allocation_id=entity_id, description=form.get("description", ""),
                amount=form.get("amount"), status=form.get("status", ""),
                period=form.get("period"),
                commitment_ids=[int(i) for i in form.get("commitment_ids", [])],
                note=form.get("change_note", ""), **common)
        elif kind == "combined-values":
            commands.save_combined_value(session, slug, combined_value_id=entity_id,
                                         label=form.get("label", ""), amount=form.get("amount"),
                                         note=form.get("change_note", ""), **common)
        elif kind == "commitments":
            commands.save_commitment(session, slug, commitment_id=entity_id,
                                     text=form.get("text", ""), period=form.get("period"),
                                     owner=form.get("owner") or None,
                                     note=form.get("change_note", ""), **common)
        else:
            file_id = None
            if upload is not None:
                file_id = commands.store_file(session, filename=upload[0], media_type=upload[1],
                                              content=upload[2], actor=actor)
            commands.save_output(session, slug, output_id=entity_id, title=form.get("title", ""),
                                 commission_id=_optional_int(form.get("commission_id")),
                                 published=form.get("published"), url=form.get("url"),
                                 file_id=file_id, note=form.get("note", ""),
                                 change_note=form.get("change_note", ""), **common)


async def _read_form(request: Request) -> tuple[dict, tuple[str, str, bytes] | None]:
    form = await request.form()
    values: dict = {k: v for k, v in form.items() if not isinstance(v, UploadFile)}
    values["commitment_ids"] = form.getlist("commitment_ids")
    upload = None
    file = form.get("file")
    if isinstance(file, UploadFile) and file.filename:
        upload = (file.filename, file.content_type or "", await file.read(commands.MAX_FILE_BYTES
                                                                           + 1))
    return values, upload


def _form_page(request: Request, state: ProgrammeState, kind: str, entity_id: int | None,
               values: dict, session: Session, errors: dict | None = None,
               status: int = 200):
    fields = _fields(kind, state, session)
    # The summary links a group of checkboxes to its first box.
    targets = {f.name: f"{f.name}-{f.options[0][0]}" for f in fields
               if f.kind == "checkboxes" and f.options}
    return forms.invalid(request, "commissioning/edit.html", {
        "state": state, "kind": kind, "noun": NOUNS[kind], "entity_id": entity_id,
        "fields": fields, "values": values, "targets": targets,
        "object_type": OBJECT_TYPES[kind]}, errors or {}, status=status)


def _dashboard(request: Request, session: Session, *, errors: dict | None = None,
               form: dict | None = None, status: int = 200):
    return templates.TemplateResponse(request, "commissioning/dashboard.html", {
        "programmes": queries.programmes(session), "report_dates": queries.report_dates(session),
        "suppliers": queries.suppliers(session), "today": queries.today(),
        "errors": errors or {}, "form": form or {}}, status_code=status)


@router.get("/commissioning", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, user=Depends(commissioner)):
    return _dashboard(request, session)


async def _dashboard_post(request: Request, session: Session, field: str, command,
                          required: dict[str, str]):
    """Run ``command(form)`` as one unit of work; on refusal show the dashboard with the error
    (beside ``field`` unless the refusal names one)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    empty = forms.missing(form, required)
    if empty:
        return await run_in_threadpool(_dashboard, request, session, errors=empty, form=form,
                                       status=forms.UNPROCESSABLE)

    def save():
        with session.begin():
            command(form)

    try:
        await run_in_threadpool(save)
    except LinkwellError as exc:
        return await run_in_threadpool(_dashboard, request, session,
                                       errors=forms.field_errors(exc, field), form=form,
                                       status=exc.status)
    return RedirectResponse("/commissioning", status_code=303)


@router.post("/commissioning/suppliers", dependencies=[Depends(csrf_protect)])
async def add_supplier(request: Request, session: SessionDep, user=Depends(commissioner)):
    return await _dashboard_post(request, session, "name", lambda form: commands.create_supplier(
        session, form.get("name", ""), actor=_actor(request, user)),
        {"name": "Enter the supplier's name"})


@router.post("/commissioning/programmes", dependencies=[Depends(csrf_protect)])
async def add_programme(request: Request, session: SessionDep, user=Depends(commissioner)):
    return await _dashboard_post(request, session, "slug", lambda form: commands.create_programme(
        session, slug=form.get("slug", ""), title=form.get("title", ""),
        strategy=form.get("strategy", ""), period=form.get("period") or None,
        owner=form.get("owner") or None,
        valid_from=parse_as_of(form.get("valid_from"), today=queries.today()),
        actor=_actor(request, user)), {"slug": "Enter a short name for web addresses",
                                       "title": "Enter the programme's title"})


@router.get("/commissioning/{slug}", response_class=HTMLResponse)
def programme_admin(request: Request, slug: str, session: SessionDep, user=Depends(commissioner)):
    answer = build_answer(queries.programme_state(session, slug))
    return templates.TemplateResponse(request, "commissioning/manage.html", {
        "answer": answer, "state": answer.state,
        "funding": queries.programme_funding(session, slug)})


@router.get("/commissioning/{slug}/{kind}/new", response_class=HTMLResponse)
def new_form(request: Request, slug: str, kind: str, session: SessionDep,
             user=Depends(commissioner)):
    state = queries.programme_state(session, slug)
    return _form_page(request, state, kind, None, {"commitment_ids": []}, session)


@router.get("/commissioning/{slug}/{kind}/{entity_id}", response_class=HTMLResponse)
def edit_form(request: Request, slug: str, kind: str, entity_id: Id, session: SessionDep,
              user=Depends(commissioner)):
    state = queries.programme_state(session, slug)
    _fields(kind, state, session)
    return _form_page(request, state, kind, entity_id, _current_values(state, kind, entity_id),
                      session)


async def _submit(request: Request, slug: str, kind: str, entity_id: int | None, user,
                  session: Session):
    state = await run_in_threadpool(queries.programme_state, session, slug)
    values, upload = await _read_form(request)
    fields = await run_in_threadpool(_fields, kind, state, session)
    empty = forms.missing(values, {f.name: f.required for f in fields if f.required})
    if empty:
        return await run_in_threadpool(_form_page, request, state, kind, entity_id, values,
                                       session, empty, forms.UNPROCESSABLE)
    try:
        await run_in_threadpool(_save, session, slug, kind, entity_id, values, upload,
                                _actor(request, user))
    except LinkwellError as exc:
        return await run_in_threadpool(_form_page, request, state, kind, entity_id, values,
                                       session, forms.field_errors(exc, fields[0].name),
                                       exc.status)
    return RedirectResponse(f"/commissioning/{slug}", status_code=303)


@router.post("/commissioning/{slug}/{kind}/new", dependencies=[Depends(csrf_protect)])
async def create(request: Request, slug: str, kind: str, session: SessionDep,
                 user=Depends(commissioner)):
    return await _submit(request, slug, kind, None, user, session)


@router.post("/commissioning/{slug}/{kind}/{entity_id}", dependencies=[Depends(csrf_protect)])
async def update(request: Request, slug: str, kind: str, entity_id: Id, session: SessionDep,
                 user=Depends(commissioner)):
    return await _submit(request, slug, kind, entity_id, user, session)


@router.get("/commissioning/{slug}/{kind}/{entity_id}/history", response_class=HTMLResponse)
def history_page(request: Request, slug: str, kind: str, entity_id: Id, session: SessionDep,
                 user=Depends(commissioner)):
    if kind not in OBJECT_TYPES:
        raise NotFound("there is no such kind of record")
    entries = queries.history(session, slug, OBJECT_TYPES[kind], entity_id)
    suppliers = {s.id: s.name for s in queries.suppliers(session)}
    combined = {c.id: c.label for c in queries.programme_state(session, slug).combined_values}
    return templates.TemplateResponse(request, "commissioning/history.html", {
        "slug": slug, "kind": kind, "noun": NOUNS[kind], "entity_id": entity_id,
        "entries": [(e, _readable(e.values, suppliers, combined)) for e in entries],
        "names": queries.user_names(session, {e.changed_by for e in entries})})


def _readable(values: dict, suppliers: dict, combined: dict) -> list[tuple[str, str]]:
    """A version's fields as a commissioner reads them: pounds, names, "not yet known"."""
    shown = []
    for key, value in values.items():
        label = key.removesuffix("_pence").removesuffix("_id").replace("_", " ").capitalize()
        if key.endswith("_pence"):
            text = str(amount_from_pence(value))
        elif key == "supplier_id":
            text = suppliers.get(value, "not stated") if value else "not stated"
        elif key == "combined_value_id":
            text = combined.get(value, f"combined value {value}") if value else "none"
        elif key == "commitments":
            text = ", ".join(str(n) for n in value) if value else "not linked"
        elif key == "commission_id":
            label, text = "Result of commission", str(value) if value else "none"
        elif key == "file_id":
            label, text = "Uploaded file", "yes" if value else "none"
        else:
            text = "—" if value in (None, "") else str(value)
        shown.append((label, text))
    return shown


@router.post("/commissioning/{slug}/{kind}/{entity_id}/withdraw",
             dependencies=[Depends(csrf_protect)])
async def withdraw(request: Request, slug: str, kind: str, entity_id: Id, session: SessionDep,
                   user=Depends(commissioner)):
    """Withdraw an entry made in error or cancelled; its history stays on record."""
    if kind not in ("commissions", "allocations", "outputs"):
        raise NotFound("this kind of record cannot be withdrawn")
    form = await request.form()
    empty = forms.missing(form, {"reason": "Say why it is being withdrawn"})
    if empty:
        state = await run_in_threadpool(queries.programme_state, session, slug)
        values = await run_in_threadpool(_current_values, state, kind, entity_id)
        return await run_in_threadpool(_form_page, request, state, kind, entity_id, values,
                                       session, empty, forms.UNPROCESSABLE)

    def save():
        session.rollback()
        with session.begin():
            commands.withdraw(session, slug, OBJECT_TYPES[kind], entity_id,
                              note=str(form.get("reason", "")),
                              expected_version=_optional_int(form.get("version")),
                              actor=_actor(request, user))

    await run_in_threadpool(save)
    return RedirectResponse(f"/commissioning/{slug}", status_code=303)
