"""Commissioning reads: the "as of" reconstruction of a programme, its funding and delivery
cost, the history and changes of its records, and report dates. Nothing here writes; the
commands that add versions are in ``commands``.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell.commissioning import domain
from linkwell.commissioning import models as m
from linkwell.commissioning.domain import (
    AllocationStatus,
    CommissionKind,
    CommissionStatus,
    CostCategory,
    ProgrammeState,
)
from linkwell.commissioning.money import (
    Money,
    amount_from_pence,
)
from linkwell.commissioning.periods import Period
from linkwell.commissioning.totals import allocation_units, commission_units, total
from linkwell.db import get_or_not_found
from linkwell.errors import NotFound

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """Effective dates are London calendar dates, as a commissioner would write them."""
    return datetime.now(LONDON).date()


class Funding(NamedTuple):
    """What the evaluation area divides by: known values, and how many are not yet known."""

    known_total_pence: int
    unknown_value_count: int
    allocated_known_total_pence: int
    allocated_unknown_value_count: int


def programme_row(session: Session, slug: str) -> m.Programme:
    programme = session.scalar(select(m.Programme).where(m.Programme.slug == slug))
    if programme is None:
        raise NotFound(f"there is no programme {slug!r}")
    return programme


def owned_row(session: Session, model, entity_id: int, programme: m.Programme, what: str):
    row = session.get(model, entity_id)
    if row is None or row.programme_id != programme.id:
        raise NotFound(f"there is no {what} {entity_id} in this programme")
    return row


def suppliers(session: Session) -> list[m.Supplier]:
    return list(session.scalars(select(m.Supplier).order_by(m.Supplier.name)))


# -- reading ----------------------------------------------------------------------------------

def _latest(session: Session, version_model, identity, fk: str, programme_id: int,
            as_of: date) -> dict[int, object]:
    """The version in force on ``as_of`` for each entity of a programme, withdrawn ones left out.

    The latest effective date wins; among versions with the same effective date the later
    recorded one (a correction) wins.
    """
    fk_col = getattr(version_model, fk)
    owner = identity.id if identity is m.Programme else identity.programme_id
    ranked = (
        select(version_model.id, func.row_number().over(
            partition_by=fk_col,
            order_by=(version_model.valid_from.desc(), version_model.version.desc()),
        ).label("rank"))
        .join(identity, identity.id == fk_col)
        .where(owner == programme_id, version_model.valid_from <= as_of)
        .subquery()
    )
    rows = session.scalars(select(version_model).join(ranked, ranked.c.id == version_model.id)
                           .where(ranked.c.rank == 1, version_model.withdrawn.is_(False)))
    return {getattr(row, fk): row for row in rows}


def _links(session: Session, model, fk: str, version_ids) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = {}
    if version_ids:
        for row in session.scalars(select(model).where(getattr(model, fk).in_(version_ids))):
            found.setdefault(getattr(row, fk), set()).add(row.commitment_id)
    return {k: frozenset(v) for k, v in found.items()}


def programme_state(session: Session, slug: str, as_of: date | None = None) -> ProgrammeState:
    """The programme as its facts stood on ``as_of`` (default today)."""
    as_of = as_of or today()
    programme = programme_row(session, slug)
    pid = programme.id
    head = _latest(session, m.ProgrammeVersion, m.Programme, "programme_id", pid, as_of)
    if pid not in head:
        raise NotFound(f"nothing had been recorded about the programme {slug!r} by "
                       f"{as_of.isoformat()}")
    p = head[pid]
    strategy = session.get(m.Strategy, programme.strategy_id)
    commitments = _latest(session, m.CommitmentVersion, m.Commitment, "commitment_id", pid,
                          as_of)
    numbers = dict(session.execute(select(m.Commitment.id, m.Commitment.number)
                                   .where(m.Commitment.programme_id == pid)).all())
    combined = _latest(session, m.CombinedValueVersion, m.CombinedValue, "combined_value_id",
                       pid, as_of)
    allocations = _latest(session, m.AllocationVersion, m.Allocation, "allocation_id", pid,
                          as_of)
    commissions = _latest(session, m.CommissionVersion, m.Commission, "commission_id", pid,
                          as_of)
    outputs = _latest(session, m.OutputVersion, m.Output, "output_id", pid, as_of)
    allocation_links = _links(session, m.AllocationLink, "allocation_version_id",
                              [v.id for v in allocations.values()])
    commission_links = _links(session, m.CommissionLink, "commission_version_id",
                              [v.id for v in commissions.values()])
    supplier_names = dict(session.execute(select(m.Supplier.id, m.Supplier.name)).all())
    live = set(commitments)

    return ProgrammeState(
        slug=programme.slug, title=p.title, as_of=as_of, strategy=strategy.title,
        period=p.period, owner=p.owner, version=p.version,
        commitments=tuple(sorted(
            (domain.Commitment(cid, numbers[cid], v.text, v.period, v.owner, v.version)
             for cid, v in commitments.items()), key=lambda c: c.number)),
        combined_values=tuple(
            domain.CombinedValue(cid, v.label, Money(v.amount_pence), v.version)
            for cid, v in sorted(combined.items())),
        allocations=tuple(
            domain.Allocation(aid, v.description, amount_from_pence(v.amount_pence),
                              AllocationStatus(v.status), v.period,
                              allocation_links.get(v.id, frozenset()) & live, v.version)
            for aid, v in sorted(allocations.items())),
        commissions=tuple(
            domain.Commission(
                cid, v.title, CommissionKind(v.kind), CommissionStatus(v.status),
                amount_from_pence(v.value_pence), supplier_names.get(v.supplier_id),
                v.combined_value_id if v.combined_value_id in combined else None,
                v.started, v.report_due, commission_links.get(v.id, frozenset()) & live,
                v.version, CostCategory(v.cost_category))
            for cid, v in sorted(commissions.items())),
        outputs=tuple(
            domain.Output(oid, v.title, v.commission_id if v.commission_id in commissions
                          else None, v.published, v.url, v.file_id, v.note, v.version)
            for oid, v in sorted(outputs.items(), key=lambda kv: (kv[1].published is None,
                                                                  kv[1].published, kv[0]))),
    )


@dataclass(frozen=True)
class ProgrammeSummary:
    slug: str
    title: str
    strategy: str
    period: Period | None


def programmes(session: Session, as_of: date | None = None) -> list[ProgrammeSummary]:
    as_of = as_of or today()
    found = []
    for programme in session.scalars(select(m.Programme).order_by(m.Programme.slug)):
        head = _latest(session, m.ProgrammeVersion, m.Programme, "programme_id", programme.id,
                       as_of)
        if programme.id in head:
            strategy = session.get(m.Strategy, programme.strategy_id)
            found.append(ProgrammeSummary(programme.slug, head[programme.id].title,
                                          strategy.title, head[programme.id].period))
    return found


def programme_funding(session: Session, slug: str, as_of: date | None = None) -> Funding:
    """Known commissioned and allocated totals of a programme, for cost per person supported.

    Unknown values are counted, never treated as zero: a caller dividing by people supported
    must say that the cost is a lower bound whenever ``unknown_value_count`` is not zero.
    """
    state = programme_state(session, slug, as_of)
    commissioned = total(commission_units(state))
    allocated = total(allocation_units(state))
    return Funding(commissioned.known_pence, commissioned.unknown_count,
                   allocated.known_pence, allocated.unknown_count)


class DeliveryCost(NamedTuple):
    """The cost of delivering a programme's service, apart from research and review."""

    known_pence: int
    unknown_count: int  # delivery commissions whose value is not yet known
    research_known_pence: int  # research, evaluation and review: left out of cost per person
    titles: tuple[str, ...]


def programme_delivery_cost(session: Session, slug: str,
                            as_of: date | None = None) -> DeliveryCost:
    """Known value of the programme's delivery commissions (link worker posts, grants to
    providers), for cost per person. A combined value counts as delivery only if every
    commission in it is delivery; a mixed one cannot be split and counts as unknown."""
    state = programme_state(session, slug, as_of)
    groups = [((c,), c.value) for c in state.commissions if c.combined_value_id is None]
    groups += [(state.members(v.id), v.amount) for v in state.combined_values
               if state.members(v.id)]
    known = unknown = research = 0
    titles: list[str] = []
    for members, amount in groups:
        kinds = {c.cost_category for c in members}
        pence = amount.pence if isinstance(amount, Money) else None
        if CostCategory.DELIVERY in kinds:
            titles.extend(c.title for c in members)
            if pence is None or len(kinds) > 1:
                unknown += 1
            else:
                known += pence
        elif pence is not None:
            research += pence
    return DeliveryCost(known, unknown, research, tuple(titles))


@dataclass(frozen=True)
class VersionEntry:
    version: int
    valid_from: date
    recorded_at: datetime
    changed_by: int | None
    change_note: str
    withdrawn: bool
    values: dict


HISTORY = {
    "commission": (m.Commission, m.CommissionVersion, "commission_id"),
    "commitment": (m.Commitment, m.CommitmentVersion, "commitment_id"),
    "allocation": (m.Allocation, m.AllocationVersion, "allocation_id"),
    "combined_value": (m.CombinedValue, m.CombinedValueVersion, "combined_value_id"),
    "commission_output": (m.Output, m.OutputVersion, "output_id"),
}


LINKS = {
    "commission": (m.CommissionLink, "commission_version_id"),
    "allocation": (m.AllocationLink, "allocation_version_id"),
}


def history(session: Session, slug: str, object_type: str, entity_id: int) -> list[VersionEntry]:
    """Every version of one record, oldest first: what was recorded, by whom, and when."""
    programme = programme_row(session, slug)
    identity, version_model, fk = HISTORY[object_type]
    owned_row(session, identity, entity_id, programme, object_type.replace("_", " "))
    meta = {f.name for f in fields(VersionEntry)} | {"id", fk}
    entries = []
    for row in session.scalars(select(version_model).where(getattr(version_model, fk)
                                                           == entity_id)
                               .order_by(version_model.version)):
        values = {c.key: getattr(row, c.key) for c in version_model.__table__.columns
                  if c.key not in meta}
        if object_type in LINKS:
            link_model, link_fk = LINKS[object_type]
            values["commitments"] = sorted(session.scalars(
                select(m.Commitment.number).join(link_model, link_model.commitment_id
                                                 == m.Commitment.id)
                .where(getattr(link_model, link_fk) == row.id)))
        entries.append(VersionEntry(row.version, row.valid_from, row.recorded_at,
                                    row.changed_by, row.change_note, row.withdrawn, values))
    return entries


@dataclass(frozen=True)
class Change:
    """One recorded change to a programme's facts, for "what changed since" lists."""

    valid_from: date
    object_type: str
    title: str
    action: str  # added, changed, withdrawn
    fields: tuple[str, ...]


FIELD_WORDS = {
    "value_pence": "value", "amount_pence": "amount", "supplier_id": "supplier",
    "combined_value_id": "combined value", "report_due": "report date", "started": "start",
    "commission_id": "commission", "file_id": "file", "url": "link", "kind": "type",
}
TITLE_FIELDS = ("title", "text", "label", "description")


def changes(session: Session, slug: str, after: date, until: date | None = None) -> list[Change]:
    """Changes taking effect after ``after`` up to ``until`` (default today), oldest first."""
    until = until or today()
    programme = programme_row(session, slug)
    found = []
    for object_type, (identity, version_model, fk) in HISTORY.items():
        owner = identity.programme_id
        fk_col = getattr(version_model, fk)
        rows = list(session.scalars(
            select(version_model).join(identity, identity.id == fk_col)
            .where(owner == programme.id, version_model.valid_from <= until)
            .order_by(fk_col, version_model.version)))
        values = [c.key for c in version_model.__table__.columns
                  if c.key not in {"id", fk, "version", "valid_from", "recorded_at",
                                   "changed_by", "change_note", "withdrawn"}]
        linked: dict[int, frozenset[int]] = {}
        if object_type in LINKS:
            linked = _links(session, *LINKS[object_type], [r.id for r in rows])
        previous = None
        for row in rows:
            if previous is not None and getattr(previous, fk) != getattr(row, fk):
                previous = None
            if row.valid_from > after:
                title = next(str(getattr(row, f)) for f in TITLE_FIELDS if f in values)
                if row.withdrawn:
                    action, fields_changed = "withdrawn", ()
                elif previous is None or previous.withdrawn:
                    action, fields_changed = "added", ()
                else:
                    action = "changed"
                    fields_changed = tuple(FIELD_WORDS.get(k, k.replace("_", " "))
                                           for k in values
                                           if getattr(previous, k) != getattr(row, k))
                    if linked.get(row.id) != linked.get(previous.id):
                        fields_changed += ("commitments",)
                found.append(Change(row.valid_from, object_type.replace("commission_output",
                                                                        "output"),
                                    title, action, fields_changed))
            previous = row
    return sorted(found, key=lambda c: (c.valid_from, c.object_type, c.title))


def user_names(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    """Display names of the commissioners who made changes, for the history page."""
    from linkwell.auth.models import User

    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def output_file(session: Session, file_id: int) -> m.OutputFile:
    return get_or_not_found(session, m.OutputFile, file_id, "there is no such file")


@dataclass(frozen=True)
class ReportDate:
    programme_slug: str
    programme_title: str
    commission_id: int
    title: str
    status: CommissionStatus
    due: Period
    overdue: bool


def report_dates(session: Session, on: date | None = None,
                 horizon_days: int = 120) -> list[ReportDate]:
    """Reports not yet made: overdue ones (due period over) and those due within the horizon."""
    on = on or today()
    found = []
    for summary in programmes(session, on):
        state = programme_state(session, summary.slug, on)
        for c in state.commissions:
            if c.report_due is None or c.status.has_reported:
                continue
            overdue = c.report_due.ended_before(on)
            if overdue or (c.report_due.start - on).days <= horizon_days:
                found.append(ReportDate(state.slug, state.title, c.id, c.title, c.status,
                                        c.report_due, overdue))
    return sorted(found, key=lambda r: (not r.overdue, r.due, r.title))
