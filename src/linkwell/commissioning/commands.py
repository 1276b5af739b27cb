"""Commissioning commands: each adds a version (the "as of" reads are in ``queries``).

Commands run inside the caller's transaction (``with session.begin():``), add one version row,
write an audit event and check the rules that span records (combined values against their
parts), so a refused edit leaves nothing behind. Nothing is ever updated in place.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.commissioning import models as m
from linkwell.commissioning.domain import (
    AllocationStatus,
    CommissionKind,
    CommissionStatus,
    CostCategory,
    check_combined_parts,
    check_report_after_start,
    check_text,
    check_url,
    choice,
    default_cost_category,
)
from linkwell.commissioning.money import (
    Amount,
    Money,
    UnknownAmount,
    amount_to_pence,
    parse_amount,
)
from linkwell.commissioning.periods import Period, parse_optional_period
from linkwell.commissioning.queries import owned_row, programme_row, programme_state, today
from linkwell.errors import Conflict, InvalidInput

MAX_FILE_BYTES = 20 * 1024 * 1024
FILE_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/csv": ".csv",
    "text/plain": ".txt",
}


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in user, or ``None`` for the demo loader and scripts."""

    user_id: int | None = None
    role: str | None = None
    source_ip: str | None = None


SYSTEM = Actor()


# -- helpers ----------------------------------------------------------------------------------

def _as_amount(value: Amount | str | int | None) -> Amount:
    if isinstance(value, Money | UnknownAmount):
        return value
    return parse_amount(value)


def _as_period(value: Period | str | None) -> Period | None:
    return value if isinstance(value, Period) or value is None else parse_optional_period(value)


def _effective(valid_from: date | None, session: Session | None = None,
               programme: m.Programme | None = None) -> date:
    """The date a change takes effect: not in the future, not before its programme existed."""
    valid_from = valid_from or today()
    if valid_from > today():
        raise InvalidInput("the date a change takes effect cannot be in the future")
    if programme is not None:
        first = session.scalar(select(func.min(m.ProgrammeVersion.valid_from))
                               .where(m.ProgrammeVersion.programme_id == programme.id))
        if first is None or valid_from < first:
            raise InvalidInput(f"the programme had not been recorded by {valid_from.isoformat()}"
                               ", so nothing about it can take effect on that date")
    return valid_from


def _add_version(session: Session, version_model, fk: str, entity_id: int, *, actor: Actor,
                 valid_from: date, change_note: str, expected_version: int | None,
                 object_type: str,
                 withdrawn: bool = False, links=None, **values):
    """Append version n+1; refuse if someone else saved since the editor loaded version n.

    ``links`` is ``(link_model, commitment_ids)``: the commitments this version serves. Saving
    with nothing changed adds no version.
    """
    fk_col = getattr(version_model, fk)
    previous = session.scalar(
        select(version_model).where(fk_col == entity_id).order_by(version_model.version.desc())
        .limit(1))
    latest = previous.version if previous else 0
    if expected_version is not None and expected_version != latest:
        raise Conflict(
            f"this {object_type.replace('_', ' ')} was changed by someone else (now version "
            f"{latest}, you edited version {expected_version}); reload it and make your change "
            "again")
    changed = sorted(k for k, v in values.items()
                     if previous is None or getattr(previous, k) != v)
    if links is not None:
        link_model, commitment_ids = links
        link_fk = f"{object_type}_version_id"
        before = set() if previous is None else set(session.scalars(
            select(link_model.commitment_id).where(getattr(link_model, link_fk) == previous.id)))
        if previous is None or before != set(commitment_ids):
            changed.append("commitments")
    if previous is not None and not changed and not withdrawn and not previous.withdrawn \
            and previous.valid_from == valid_from:
        return previous, []
    row = version_model(**{fk: entity_id}, version=latest + 1, valid_from=valid_from,
                        changed_by=actor.user_id, change_note=(change_note or "")[:500],
                        withdrawn=withdrawn, **values)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"this {object_type.replace('_', ' ')} was changed by someone else at the "
                       "same moment; reload it and make your change again") from None
    if links is not None:
        for commitment_id in links[1]:
            session.add(links[0](**{link_fk: row.id}, commitment_id=commitment_id))
        session.flush()
    audit.record(session, action="create" if latest == 0 else "update", object_type=object_type,
                 object_id=entity_id, actor_id=actor.user_id, actor_role=actor.role,
                 source_ip=actor.source_ip,
                 detail={"version": row.version, "valid_from": valid_from.isoformat(),
                         "fields": changed, "withdrawn": withdrawn})
    return row, changed


# -- commands ---------------------------------------------------------------------------------

def create_supplier(session: Session, name: str, *, actor: Actor = SYSTEM) -> m.Supplier:
    name = check_text(name, "a supplier's name", max_length=200)
    if session.scalar(select(m.Supplier).where(func.lower(m.Supplier.name) == name.lower())):
        raise Conflict(f"the supplier {name!r} is already on the list")
    supplier = m.Supplier(name=name, created_by=actor.user_id)
    session.add(supplier)
    session.flush()
    audit.record(session, action="create", object_type="supplier", object_id=supplier.id,
                 actor_id=actor.user_id, actor_role=actor.role, source_ip=actor.source_ip)
    return supplier


def _supplier_id(session: Session, name: str | None) -> int | None:
    if name is None or not name.strip():
        return None
    supplier = session.scalar(
        select(m.Supplier).where(func.lower(m.Supplier.name) == " ".join(name.split()).lower()))
    if supplier is None:
        raise InvalidInput(f"{name.strip()!r} is not on the list of suppliers: add the supplier "
                           "first, or choose one from the list")
    return supplier.id


def create_programme(session: Session, *, slug: str, title: str, strategy: str,
                     period: Period | str | None = None, owner: str | None = None,
                     valid_from: date | None = None, note: str = "",
                     actor: Actor = SYSTEM) -> m.Programme:
    slug = slug.strip().lower()
    if not slug.replace("-", "").isalnum() or len(slug) > 80:
        raise InvalidInput("a programme's short name may use only letters, digits and hyphens")
    if session.scalar(select(m.Programme).where(m.Programme.slug == slug)):
        raise Conflict(f"there is already a programme {slug!r}")
    strategy = check_text(strategy, "the strategy", max_length=300)
    found = session.scalar(select(m.Strategy).where(m.Strategy.title == strategy))
    if found is None:
        found = m.Strategy(title=strategy)
        session.add(found)
        session.flush()
    programme = m.Programme(slug=slug, strategy_id=found.id)
    session.add(programme)
    session.flush()
    _add_version(session, m.ProgrammeVersion, "programme_id", programme.id, actor=actor,
                 valid_from=_effective(valid_from), change_note=note, expected_version=0,
                 object_type="programme", title=check_text(title, "a title", max_length=300),
                 period=_as_period(period), owner=(owner or None))
    return programme


def _identity(session: Session, model, entity_id: int | None, programme: m.Programme,
              what: str, expected_version: int | None, **new) -> tuple[int, int | None]:
    """The identity row a version is added to, and the version the edit expects: a new row
    (``new`` its columns; its first version follows 0) when ``entity_id`` is None, else the
    programme's own row (NotFound otherwise) and the caller's expected version."""
    if entity_id is None:
        row = model(programme_id=programme.id, **new)
        session.add(row)
        session.flush()
        return row.id, 0
    owned_row(session, model, entity_id, programme, what)
    return entity_id, expected_version


def save_commitment(session: Session, slug: str, *, commitment_id: int | None = None,
                    number: int | None = None, text: str, period: Period | str | None = None,
                    owner: str | None = None, valid_from: date | None = None, note: str = "",
                    expected_version: int | None = None, actor: Actor = SYSTEM) -> int:
    programme = programme_row(session, slug)
    if commitment_id is None and number is None:
        number = (session.scalar(select(func.max(m.Commitment.number))
                                 .where(m.Commitment.programme_id == programme.id)) or 0) + 1
    commitment_id, expected_version = _identity(
        session, m.Commitment, commitment_id, programme, "commitment", expected_version,
        number=number)
    _add_version(session, m.CommitmentVersion, "commitment_id", commitment_id, actor=actor,
                 valid_from=_effective(valid_from, session, programme), change_note=note,
                 expected_version=expected_version, object_type="commitment",
                 text=check_text(text, "the commitment's text", max_length=2000),
                 period=_as_period(period), owner=(owner or None))
    return commitment_id


def save_combined_value(session: Session, slug: str, *, combined_value_id: int | None = None,
                        label: str, amount: Money | str | int, valid_from: date | None = None,
                        note: str = "", expected_version: int | None = None,
                        actor: Actor = SYSTEM) -> int:
    programme = programme_row(session, slug)
    value = _as_amount(amount)
    if not isinstance(value, Money):
        raise InvalidInput("a combined value must be a known amount; leave the commissions' "
                           "values unknown instead")
    combined_value_id, expected_version = _identity(
        session, m.CombinedValue, combined_value_id, programme, "combined value", expected_version)
    effective = _effective(valid_from, session, programme)
    _add_version(session, m.CombinedValueVersion, "combined_value_id", combined_value_id,
                 actor=actor, valid_from=effective, change_note=note,
                 expected_version=expected_version, object_type="combined_value",
                 label=check_text(label, "a label", max_length=300), amount_pence=value.pence)
    _check_combined_values(session, slug, effective)
    return combined_value_id


def _commitment_ids(session: Session, programme: m.Programme, ids) -> list[int]:
    ids = sorted({int(i) for i in ids or ()})
    for commitment_id in ids:
        owned_row(session, m.Commitment, commitment_id, programme, "commitment")
    return ids


def save_allocation(session: Session, slug: str, *, allocation_id: int | None = None,
                    description: str, amount: Amount | str | int | None,
                    status: AllocationStatus | str = AllocationStatus.ALLOCATED,
                    period: Period | str | None = None, commitment_ids=(),
                    valid_from: date | None = None, note: str = "",
                    expected_version: int | None = None, actor: Actor = SYSTEM) -> int:
    programme = programme_row(session, slug)
    value = _as_amount(amount)
    status = choice(AllocationStatus, status, "status of an allocation")
    linked = _commitment_ids(session, programme, commitment_ids)
    allocation_id, expected_version = _identity(
        session, m.Allocation, allocation_id, programme, "allocation", expected_version)
    _add_version(
        session, m.AllocationVersion, "allocation_id", allocation_id, actor=actor,
        valid_from=_effective(valid_from, session, programme), change_note=note,
        expected_version=expected_version,
        object_type="allocation", links=(m.AllocationLink, linked),
        description=check_text(description, "a description", max_length=300),
        amount_pence=amount_to_pence(value), period=_as_period(period), status=status.value)
    return allocation_id


def save_commission(session: Session, slug: str, *, commission_id: int | None = None,
                    title: str, kind: CommissionKind | str,
                    status: CommissionStatus | str, value: Amount | str | int | None = None,
                    supplier: str | None = None, combined_value_id: int | None = None,
                    started: Period | str | None = None, report_due: Period | str | None = None,
                    commitment_ids=(), valid_from: date | None = None, note: str = "",
                    expected_version: int | None = None, actor: Actor = SYSTEM,
                    cost_category: CostCategory | str | None = None) -> int:
    """Record a commission, or a new version of one. Unlinked commissions are allowed.
    ``cost_category`` (delivery or research) defaults from the kind of commission."""
    programme = programme_row(session, slug)
    amount = _as_amount(value)
    kind = choice(CommissionKind, kind, "type of commission")
    cost_category = (default_cost_category(kind) if cost_category in (None, "")
                     else choice(CostCategory, cost_category, "what the money pays for"))
    status = choice(CommissionStatus, status, "commission status")
    started, report_due = _as_period(started), _as_period(report_due)
    check_report_after_start(started, report_due)
    supplier_id = _supplier_id(session, supplier)
    if combined_value_id is not None:
        owned_row(session, m.CombinedValue, combined_value_id, programme, "combined value")
    linked = _commitment_ids(session, programme, commitment_ids)
    commission_id, expected_version = _identity(
        session, m.Commission, commission_id, programme, "commission", expected_version)
    effective = _effective(valid_from, session, programme)
    _add_version(
        session, m.CommissionVersion, "commission_id", commission_id, actor=actor,
        valid_from=effective, change_note=note, expected_version=expected_version,
        object_type="commission", links=(m.CommissionLink, linked),
        title=check_text(title, "a title", max_length=300),
        kind=kind.value, cost_category=cost_category.value, status=status.value,
        supplier_id=supplier_id, value_pence=amount_to_pence(amount),
        combined_value_id=combined_value_id, started=started, report_due=report_due)
    if combined_value_id is not None:
        _check_combined_values(session, slug, effective)
    return commission_id


def store_file(session: Session, *, filename: str, media_type: str, content: bytes,
               actor: Actor = SYSTEM) -> int:
    if media_type not in FILE_TYPES:
        raise InvalidInput("upload a PDF, Word, OpenDocument, Excel, CSV or plain text file")
    if not content:
        raise InvalidInput("the uploaded file is empty")
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput("the uploaded file is larger than 20 MB")
    name = "".join(ch for ch in filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
                   if ch.isalnum() or ch in "._- ")[:200] or f"output{FILE_TYPES[media_type]}"
    row = m.OutputFile(filename=name, media_type=media_type, size=len(content),
                       sha256=hashlib.sha256(content).hexdigest(), content=content,
                       uploaded_by=actor.user_id)
    session.add(row)
    session.flush()
    audit.record(session, action="import", object_type="output_file", object_id=row.id,
                 actor_id=actor.user_id, actor_role=actor.role, source_ip=actor.source_ip,
                 detail={"media_type": media_type, "size": len(content)})
    return row.id


def save_output(session: Session, slug: str, *, output_id: int | None = None, title: str,
                commission_id: int | None = None, published: Period | str | None = None,
                url: str | None = None, file_id: int | None = None, note: str = "",
                valid_from: date | None = None, change_note: str = "",
                expected_version: int | None = None, actor: Actor = SYSTEM) -> int:
    programme = programme_row(session, slug)
    url = check_url(url)
    if commission_id is not None:
        owned_row(session, m.Commission, commission_id, programme, "commission")
    if file_id is None and output_id is not None:
        file_id = _latest_file(session, output_id)
    if url is None and file_id is None and published is None:
        raise InvalidInput("give the output's publication date, a link or a file")
    output_id, expected_version = _identity(
        session, m.Output, output_id, programme, "output", expected_version)
    _add_version(session, m.OutputVersion, "output_id", output_id, actor=actor,
                 valid_from=_effective(valid_from, session, programme),
                 change_note=change_note,
                 expected_version=expected_version, object_type="commission_output",
                 title=check_text(title, "a title", max_length=300), commission_id=commission_id,
                 published=_as_period(published), url=url, file_id=file_id,
                 note=" ".join((note or "").split())[:500])
    return output_id


def _latest_file(session: Session, output_id: int) -> int | None:
    return session.scalar(select(m.OutputVersion.file_id).where(m.OutputVersion.output_id
                                                                == output_id)
                          .order_by(m.OutputVersion.version.desc()).limit(1))


WITHDRAWABLE = {
    "commission": (m.Commission, m.CommissionVersion, "commission_id"),
    "allocation": (m.Allocation, m.AllocationVersion, "allocation_id"),
    "commission_output": (m.Output, m.OutputVersion, "output_id"),
}


def withdraw(session: Session, slug: str, object_type: str, entity_id: int, *,
             valid_from: date | None = None, note: str, expected_version: int | None = None,
             actor: Actor = SYSTEM) -> None:
    """Record that an entry no longer stands (entered in error, cancelled); history keeps it."""
    programme = programme_row(session, slug)
    identity, version_model, fk = WITHDRAWABLE[object_type]
    owned_row(session, identity, entity_id, programme, object_type.replace("_", " "))
    previous = session.scalar(select(version_model).where(getattr(version_model, fk)
                                                          == entity_id)
                              .order_by(version_model.version.desc()).limit(1))
    copied = {c.key: getattr(previous, c.key) for c in version_model.__table__.columns
              if c.key not in {"id", fk, "version", "valid_from", "recorded_at", "changed_by",
                               "change_note", "withdrawn"}}
    note = check_text(note, "the reason", max_length=500)
    effective = _effective(valid_from, session, programme)
    _add_version(session, version_model, fk, entity_id, actor=actor, valid_from=effective,
                 change_note=note, expected_version=expected_version, object_type=object_type,
                 withdrawn=True, **copied)


def _check_combined_values(session: Session, slug: str, effective: date) -> None:
    """Parts may not exceed their combined value, at the change's date and today."""
    for day in sorted({effective, max(effective, today())}):
        state = programme_state(session, slug, day)
        for combined in state.combined_values:
            check_combined_parts(combined, list(state.members(combined.id)))


