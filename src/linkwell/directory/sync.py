"""Syncing from another Open Referral UK feed on a schedule, and the review of feed changes to
fields that providers edited here.

``sync_feed`` asks the feed's ``/services`` for what changed since the last successful sync
of that URL (``modified_after``; everything the first time or with ``full``), and imports it
through ``transfer.import_services`` in the caller's transaction: a failure anywhere (the
network, a page that is not ORUK, an invalid record) raises and the caller rolls back, so a
failed sync changes nothing, not even the time of the last sync. Before each batch is written,
``sync_review.decide`` looks at every field a provider edited here: a feed change to it is not
applied (the local value is put back into the incoming service) but held as a ``feed_change``
for an administrator, who accepts it or keeps the local value (``decide_change``).
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.db import utcnow
from linkwell.directory import hsds, transfer
from linkwell.directory.models import FeedChange, FeedSync, Metadata, Phone, Service
from linkwell.directory.queries import service_graph
from linkwell.directory.search_index import reindex_services
from linkwell.directory.sync_review import (
    ACCEPTED,
    LOCAL_CHANGE,
    REVIEWED_FIELDS,
    Decision,
    FieldHistory,
    as_text,
    decide,
)
from linkwell.errors import Conflict, InvalidInput

BATCH = transfer.SERVICE_BATCH
# The feed's clock may run behind ours: ask for a little more than the time since the last
# sync (reading a service twice changes nothing).
CLOCK_MARGIN = timedelta(minutes=10)
MAX_URL = 500  # feed_sync.feed_url
AGES = ("minimum_age", "maximum_age")


@dataclass
class SyncReport:
    feed_url: str
    modified_after: str | None
    services: int = 0
    held: int = 0
    kept: int = 0
    imported: transfer.ImportReport | None = None
    service_ids: list[str] = field(default_factory=list)


def sync_feed(session: Session, client: httpx.Client, feed_url: str, *, full: bool = False,
              per_page: int = 100, progress: Callable[[int], None] | None = None
              ) -> SyncReport:
    """Import the feed's changed services; raises (and writes nothing the caller keeps) on
    any failure: ``FeedError`` for the feed, ``InvalidInput`` for invalid records."""
    feed_url = feed_url.rstrip("/")
    if len(feed_url) > MAX_URL:
        raise InvalidInput(f"The feed's URL is longer than {MAX_URL} characters")
    state = session.get(FeedSync, feed_url)
    since = None if full or state is None else hsds.format_datetime(
        state.last_synced_at - CLOCK_MARGIN)
    started = utcnow()
    report = SyncReport(feed_url, since)
    items = transfer.iter_api_services(client, feed_url, per_page=per_page,
                                       modified_after=since, full=True)
    report.imported = transfer.import_services(
        session, _reviewed(session, items, report), progress=progress)
    reindex_services(session, report.service_ids)
    if state is None:
        state = FeedSync(feed_url=feed_url)
        session.add(state)
    state.last_synced_at, state.services_read, state.fields_held = (
        started, report.services, report.held)
    audit.record(session, action="import", object_type="feed_sync", object_id=feed_url,
                 detail={"services": report.services, "held": report.held,
                         "modified_after": since})
    return report


def _reviewed(session: Session, items: Iterable[tuple[str, Any]],
              report: SyncReport) -> Iterator[tuple[str, Any]]:
    """The feed's services, batch by batch, with held fields put back to their local value."""
    batch: list[tuple[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            _review_batch(session, batch, report)
            yield from batch
            batch = []
    if batch:
        _review_batch(session, batch, report)
        yield from batch


def _review_batch(session: Session, batch: list[tuple[str, Any]], report: SyncReport) -> None:
    services = {obj["id"]: obj for _, obj in batch
                if isinstance(obj, dict) and isinstance(obj.get("id"), str)}
    report.services += len(batch)
    report.service_ids.extend(services)
    histories = _histories(session, list(services))
    if not histories:
        return
    local = _local_values(session, list(histories))
    kept = _kept_against(session, list(histories))
    pending = {(c.service_id, c.field): c for c in session.scalars(
        select(FeedChange).where(FeedChange.service_id.in_(list(histories)),
                                 FeedChange.status == "pending"))}
    phones_needed = []
    for service_id, fields in histories.items():
        obj = services[service_id]
        if service_id not in local:
            continue  # new here: nothing local to keep
        for name, history in fields.items():
            incoming = _incoming(obj, name)
            decision = decide(name, local=local[service_id][name], incoming=incoming,
                              history=history, kept_against=kept.get((service_id, name),
                                                                     frozenset()))
            if decision is Decision.APPLY:
                moot = pending.pop((service_id, name), None)
                if moot is not None:  # the feed now agrees, or the field is the feed's again
                    session.delete(moot)
                continue
            if name == "phone":
                phones_needed.append(service_id)
            else:
                _put_back(obj, name, local[service_id][name])
            if decision is Decision.KEEP:
                report.kept += 1
                continue
            report.held += 1
            change = pending.get((service_id, name))
            if change is None:
                change = pending[service_id, name] = FeedChange(service_id=service_id,
                                                                field=name, status="pending")
                session.add(change)
            change.local_value = as_text(local[service_id][name])
            change.incoming_value = as_text(incoming)
            change.feed_url, change.found_at = report.feed_url, utcnow()
    if phones_needed:
        graph = service_graph(session, phones_needed)
        for service_id in phones_needed:
            services[service_id]["phones"] = hsds.service_full(graph, service_id)["phones"]


def _histories(session: Session, service_ids: list[str]
               ) -> dict[str, dict[str, FieldHistory]]:
    """Per service with fields edited here, per such field, its history (``FieldHistory``)."""
    if not service_ids:
        return {}
    edited: dict[str, set[str]] = defaultdict(set)
    for service_id, name in session.execute(
            select(Metadata.resource_id, Metadata.field_name).distinct()
            .where(Metadata.resource_id.in_(service_ids),
                   Metadata.updated_by.like(f"{LOCAL_CHANGE}%"),
                   Metadata.last_action_type != ACCEPTED,
                   Metadata.field_name.in_(REVIEWED_FIELDS))):
        edited[service_id].add(name)
    if not edited:
        return {}
    accepted: dict[tuple[str, str], str | None] = {}
    for service_id, name, value in session.execute(
            select(FeedChange.service_id, FeedChange.field, FeedChange.incoming_value)
            .where(FeedChange.service_id.in_(list(edited)), FeedChange.status == "accepted")
            .order_by(FeedChange.decided_at, FeedChange.id)):
        accepted[service_id, name] = value  # the latest wins
    return {service_id: {name: FieldHistory(True, (service_id, name) in accepted,
                                            accepted.get((service_id, name)))
                         for name in names}
            for service_id, names in edited.items()}


def _local_values(session: Session, service_ids: list[str]) -> dict[str, dict[str, Any]]:
    columns = [getattr(Service, name) for name in REVIEWED_FIELDS if name != "phone"]
    out: dict[str, dict[str, Any]] = {}
    for row in session.execute(select(Service.id, *columns).where(Service.id.in_(service_ids))):
        out[row[0]] = dict(zip([c.key for c in columns], row[1:], strict=True))
        out[row[0]]["phone"] = None
    first = select(Phone.service_id, func.min(Phone.id).label("id")).where(
        Phone.service_id.in_(service_ids)).group_by(Phone.service_id).subquery()
    for service_id, number in session.execute(
            select(Phone.service_id, Phone.number).join(first, Phone.id == first.c.id)):
        out[service_id]["phone"] = number
    return out


def _kept_against(session: Session, service_ids: list[str]
                  ) -> dict[tuple[str, str], frozenset[str | None]]:
    kept: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    for service_id, name, value in session.execute(
            select(FeedChange.service_id, FeedChange.field, FeedChange.incoming_value).where(
                FeedChange.service_id.in_(service_ids), FeedChange.status == "kept_local")):
        kept[service_id, name].add(value)
    return {key: frozenset(values) for key, values in kept.items()}


def _incoming(obj: dict, name: str) -> Any:
    if name != "phone":
        return obj.get(name)
    phones = [p for p in obj.get("phones") or () if isinstance(p, dict)
              and isinstance(p.get("id"), str)]
    return min(phones, key=lambda p: p["id"]).get("number") if phones else None


def _put_back(obj: dict, name: str, value: Any) -> None:
    if value is None:
        obj.pop(name, None)
    elif isinstance(value, date):
        obj[name] = value.isoformat()
    else:
        obj[name] = value


# --- Review ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PendingChange:
    change: FeedChange
    service_name: str


def pending_changes(session: Session, *, by, limit: int = 200) -> list[PendingChange]:
    if not policy.can_review_feed_changes(by):
        raise policy.Refused("feed_change", None)
    rows = session.execute(
        select(FeedChange, Service.name).join(Service, Service.id == FeedChange.service_id)
        .where(FeedChange.status == "pending")
        .order_by(FeedChange.found_at, FeedChange.id).limit(limit))
    return [PendingChange(change, name) for change, name in rows]


def decide_change(session: Session, *, by, change_id: int, accept: bool,
                  source_ip: str | None = None) -> FeedChange:
    """Accept the feed's value (it replaces the local one, recorded in ``metadata``) or keep
    the local one (the same feed value is then not asked about again)."""
    change = session.get(FeedChange, change_id)
    if (change is None or change.status != "pending"
            or not policy.can_review_feed_changes(by)):
        raise policy.Refused("feed_change", change_id)
    service = session.get(Service, change.service_id)
    if accept:
        if as_text(_current(session, service, change.field)) != change.local_value:
            raise Conflict("The listing was edited again since this change was found: it is "
                           "shown again after the next sync.")
        _apply(session, service, change.field, change.incoming_value)
        session.add(Metadata(
            id=str(uuid.uuid4()), resource_id=service.id,
            resource_type="service", last_action_date=utcnow().date(),
            last_action_type=ACCEPTED, field_name=change.field,
            previous_value=change.local_value or "",
            replacement_value=change.incoming_value or "", updated_by=f"{LOCAL_CHANGE}{by.id}"))
        service.last_modified = utcnow()
        session.flush()
        reindex_services(session, [service.id])
    change.status = "accepted" if accept else "kept_local"
    change.decided_at, change.decided_by = utcnow(), by.id
    audit.record(session, action="update", object_type="feed_change", object_id=change.id,
                 detail={"service_id": service.id, "field": change.field,
                         "decision": change.status}, **audit.actor(by, source_ip))
    return change


def _current(session: Session, service: Service, name: str):
    if name != "phone":
        return getattr(service, name)
    return session.scalar(select(Phone.number).where(Phone.service_id == service.id)
                          .order_by(Phone.id).limit(1))


def _apply(session: Session, service: Service, name: str, value: str | None) -> None:
    if name == "phone":
        phone = session.scalar(select(Phone).where(Phone.service_id == service.id)
                               .order_by(Phone.id).limit(1))
        if phone is not None and value is None:
            session.delete(phone)
        elif phone is not None:
            phone.number = value
        elif value is not None:
            session.add(Phone(id=str(uuid.uuid4()), service_id=service.id,
                              number=value))
    elif name in AGES:
        setattr(service, name, None if value is None else float(value))
    elif name == "assured_date":
        setattr(service, name, None if value is None else date.fromisoformat(value))
    else:
        setattr(service, name, value)


def last_syncs(session: Session) -> list[FeedSync]:
    return list(session.scalars(select(FeedSync).order_by(FeedSync.feed_url)))
