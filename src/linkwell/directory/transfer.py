"""Importing and exporting the directory: HSDS JSON feeds, ORUK APIs and CSV datapackages.

Semantics (see docs/directory.md):

- **Upsert by id.** Every record is inserted or updated by its HSDS ``id``; importing the same
  feed twice changes nothing the second time. For a JSON service, the service object is the
  whole truth about what belongs to it: its phones, schedules, service areas, locations links,
  languages, funding, cost options, documents, contacts, attributes and metadata that the feed no
  longer lists are removed, except metadata recording changes made in Linkwell (providers'
  edits). Organisations, locations and taxonomy terms are shared, never removed by an import.
- **All or nothing.** The import runs in the caller's transaction. Every record is checked
  (types, formats, required fields, and links the database enforces, such as an attribute's
  taxonomy term) and each problem is reported with the record id and field. By default any
  problem means nothing is written (:class:`~linkwell.errors.InvalidInput` carries the errors);
  with ``skip_invalid`` the valid records are written and the invalid ones reported.
- **Streaming.** Records are read, checked and written in batches; memory holds one batch and
  the ids of records that others may link to.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import (
    String,
    any_,
    bindparam,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from linkwell.directory import hsds
from linkwell.directory.dialects import dialect_of
from linkwell.directory.feeds import (
    FeedError,
    datapackage_descriptor,
    iter_csv_rows,
    iter_json_items,
    table_paths,
    write_csv_rows,
)
from linkwell.directory.hsds import RecordError, Row
from linkwell.directory.queries import SERVICE_OWNED, service_graph, table
from linkwell.directory.standard import IMPORT_ORDER, TABLES
from linkwell.directory.sync_review import LOCAL_CHANGE
from linkwell.errors import InvalidInput

SERVICE_BATCH = 250
ROW_BATCH = 2000
ID_CHUNK = 500  # ids per IN (...): well within every engine's limit on bound parameters
MAX_ERRORS_KEPT = 1000

# Links the database enforces with a foreign key: checked before writing, so that a broken
# link is a per-record error and not a failed transaction.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "program": (("organization_id", "organization"),),
    "organization_identifier": (("organization_id", "organization"),),
    "service": (("organization_id", "organization"),),
    "service_at_location": (("service_id", "service"), ("location_id", "location")),
    "cost_option": (("service_id", "service"),),
    "attribute": (("taxonomy_term_id", "taxonomy_term"),),
}
REFERENCED = frozenset(t for links in REFERENCES.values() for _, t in links)

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import did: records written per table, and the records refused."""

    written: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    records_read: int = 0
    records_refused: int = 0
    errors: list[RecordError] = field(default_factory=list)
    error_count: int = 0

    def add_errors(self, errors: Iterable[RecordError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append(error)


class RowWriter:
    """Upserts rows in the caller's transaction and knows which linked-to ids exist."""

    def __init__(self, session: Session, report: ImportReport):
        self.session = session
        self.report = report
        self.known: dict[str, set[str]] = defaultdict(set)
        self._statements: dict[str, tuple[str, list[tuple[str, Any]], bool]] = {}
        self._dialect = dialect_of(session)
        self._dialect.prepare_bulk_write(session)
        self._arrays = self._dialect.name == "postgresql"

    def missing(self, wanted: dict[str, set[str]]) -> dict[str, set[str]]:
        """Of the ids wanted per table, those neither imported so far nor in the database."""
        out: dict[str, set[str]] = {}
        for name, ids in wanted.items():
            unknown = ids - self.known[name]
            if unknown:
                t = table(name)
                found = set()
                chunk_ids = sorted(unknown)
                for start in range(0, len(chunk_ids), ID_CHUNK):
                    found.update(self.session.execute(
                        select(t.c.id).where(t.c.id.in_(chunk_ids[start:start + ID_CHUNK]))
                    ).scalars())
                self.known[name] |= found
                unknown -= found
            if unknown:
                out[name] = unknown
        return out

    def upsert(self, name: str, rows: list[Row]) -> None:
        """Insert or update rows by primary key, in bulk; unchanged rows are not rewritten.

        The statement is compiled once per table and run through the driver's executemany
        with each column's own bind processing (UTC timestamps, dates), which skips
        SQLAlchemy's per-row parameter handling: most of the cost of a large import.
        """
        if not rows:
            return
        sql, columns, named = self._statement(name)
        connection = self.session.connection()
        for start in range(0, len(rows), ROW_BATCH):
            chunk = rows[start:start + ROW_BATCH]
            if self._arrays:
                params = {c: [p(r[c]) if p else r[c] for r in chunk] for c, p in columns}
            elif named:
                params = [{c: (p(r[c]) if p else r[c]) for c, p in columns} for r in chunk]
            else:
                params = [tuple(p(r[c]) if p else r[c] for c, p in columns) for r in chunk]
            connection.exec_driver_sql(sql, params)
        self.report.written[name] += len(rows)
        if name in REFERENCED:
            self.known[name].update(r["id"] for r in rows)

    def _statement(self, name: str) -> tuple[str, list[tuple[str, Any]], bool]:
        cached = self._statements.get(name)
        if cached is None and self._arrays:
            cached = self._statements[name] = self._array_statement(table(name))
        if cached is None:
            t = table(name)
            dialect = self.session.get_bind().dialect
            statement = self._dialect.insert(t).values(
                {c.name: bindparam(c.name) for c in t.columns})
            statement = self._on_conflict(t, statement)
            compiled = statement.compile(dialect=dialect)
            order = compiled.positiontup if compiled.positional else list(t.columns.keys())
            columns = [(c, t.c[c].type.dialect_impl(dialect).bind_processor(dialect))
                       for c in order]
            cached = self._statements[name] = (str(compiled), columns, not compiled.positional)
        return cached

    def _array_statement(self, t) -> tuple[str, list[tuple[str, Any]], bool]:
        """PostgreSQL: one statement per chunk, each column's values as one array
        (``INSERT ... SELECT * FROM unnest(...)``). Row by row, even pipelined, the driver's
        and the server's work per row was most of a large sync's time there."""
        dialect = self.session.get_bind().dialect
        names = [c.name for c in t.columns]
        rows = func.unnest(*(cast(bindparam(c.name), ARRAY(c.type)) for c in t.columns)
                           ).table_valued(*names).render_derived()
        statement = self._dialect.insert(t).from_select(names, select(*rows.c))
        statement = self._on_conflict(t, statement)
        columns = [(c.name, c.type.dialect_impl(dialect).bind_processor(dialect))
                   for c in t.columns]
        return str(statement.compile(dialect=dialect)), columns, True

    @staticmethod
    def _on_conflict(t, statement):
        values = [c for c in t.columns if not c.primary_key]
        return statement.on_conflict_do_update(
            index_elements=[c.name for c in t.primary_key.columns],
            set_={c.name: statement.excluded[c.name] for c in values},
            # A row the feed gives as it is here is left alone: a sync re-reads every row
            # of a changed service, and rewriting them all (a new row version and index
            # entries on PostgreSQL, dirty pages on both) was most of its time.
            where=or_(*(c.is_distinct_from(statement.excluded[c.name]) for c in values)),
        )


def _reference_errors(name: str, rows: Iterable[tuple[Row, str | None]],
                      missing: dict[str, set[str]]) -> dict[str, list[RecordError]]:
    """Per record id, the errors for links to records that exist nowhere."""
    out: dict[str, list[RecordError]] = defaultdict(list)
    for row, where in rows:
        for column, target in REFERENCES.get(name, ()):
            value = row.get(column)
            if value is not None and value in missing.get(target, ()):
                out[row["id"]].append(RecordError(
                    name, row["id"], column,
                    f"refers to {target} {value}, which is neither in the feed nor in the "
                    "directory", where))
    return out


# --- JSON services ----------------------------------------------------------------------------

def import_services(session: Session, items: Iterable[tuple[str, Any]], *,
                    skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import compiled HSDS service objects given as ``(where, object)`` pairs."""
    report = ImportReport()
    writer = RowWriter(session, report)
    batch: list[tuple[str, hsds.Parsed]] = []
    for where, obj in items:
        parsed = hsds.parse_service(obj)
        parsed.errors = [_at(e, where) for e in parsed.errors]
        batch.append((where, parsed))
        if len(batch) >= SERVICE_BATCH:
            _flush_services(writer, batch, report, skip_invalid)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _flush_services(writer, batch, report, skip_invalid)
        if progress:
            progress(len(batch))
    _finish(report, skip_invalid)
    return report


def _at(error: RecordError, where: str) -> RecordError:
    return RecordError(error.table, error.record_id, error.field, error.message,
                       error.where or where)


def _flush_services(writer: RowWriter, batch: list[tuple[str, hsds.Parsed]],
                    report: ImportReport, skip_invalid: bool) -> None:
    report.records_read += len(batch)
    valid = [(where, p) for where, p in batch if not p.errors]
    # Links may be satisfied by another service of the same batch (a shared organisation).
    provided: dict[str, set[str]] = defaultdict(set)
    for _, parsed in valid:
        for name in REFERENCED:
            provided[name].update(parsed.rows.get(name, {}))
    wanted: dict[str, set[str]] = defaultdict(set)
    for _, parsed in valid:
        for name, links in REFERENCES.items():
            for row in parsed.rows.get(name, {}).values():
                for column, target in links:
                    if row[column] is not None and row[column] not in provided[target]:
                        wanted[target].add(row[column])
    missing = writer.missing(wanted)
    if missing:
        for where, parsed in valid:
            for name in REFERENCES:
                found = _reference_errors(
                    name, ((r, where) for r in parsed.rows.get(name, {}).values()), missing)
                for errors in found.values():
                    parsed.errors.extend(errors)
        valid = [(where, p) for where, p in valid if not p.errors]
    refused = [p for _, p in batch if p.errors]
    report.records_refused += len(refused)
    for parsed in refused:
        report.add_errors(parsed.errors)
    if report.error_count and not skip_invalid:
        return  # nothing will be committed: stop writing, keep checking
    merged: dict[str, dict[str, Row]] = defaultdict(dict)
    for _, parsed in valid:
        for name, rows in parsed.rows.items():
            for record_id, row in rows.items():
                earlier = merged[name].get(record_id)
                merged[name][record_id] = row if earlier is None else {
                    k: earlier[k] if v is None else v for k, v in row.items()}
    service = table("service")
    existing = sorted(writer.session.execute(
        select(service.c.id).where(service.c.id.in_(sorted(merged["service"])))).scalars())
    for name in IMPORT_ORDER:
        writer.upsert(name, list(merged[name].values()))
    _prune_service_children(writer.session, existing, merged)


def _prune_service_children(session: Session, service_ids: list[str],
                            merged: dict[str, dict[str, Row]]) -> None:
    """Remove what the feed no longer lists under services that were already there.

    Set-based: one query lists the rows hanging from these services in every table they own,
    and only those the feed no longer lists are deleted, by primary key. (A ``DELETE ... id
    NOT IN`` the batch's thousands of ids per table made PostgreSQL compare every row with
    the whole list: most of the time of a large sync.)
    """
    if not service_ids:
        return
    owned = [(name, "service_id") for name in SERVICE_OWNED]
    owned += [("attribute", "link_id"), ("metadata", "resource_id")]
    if dialect_of(session).name == "postgresql":
        # One array for every table, not a parameter per id per table: the driver's
        # parsing of a query with thousands of parameters cost more than running it.
        services = bindparam("services", service_ids, type_=ARRAY(String))

        def owned_by(column):
            return column == any_(services)
    else:
        def owned_by(column):
            return column.in_(service_ids)
    listed = []
    for name, column in owned:
        t = table(name)
        condition = [owned_by(t.c[column])]
        if name == "metadata":
            # Changes made here (providers' edits, review decisions) are Linkwell's own
            # history, not the feed's to remove; a sync also reads them (directory.sync).
            condition.append(t.c.updated_by.not_like(f"{LOCAL_CHANGE}%"))
        listed.append(select(literal(name).label("name"), t.c.id).where(*condition))
    gone: dict[str, list[str]] = defaultdict(list)
    for name, record_id in session.execute(union_all(*listed)):
        if record_id not in merged[name]:
            gone[name].append(record_id)
    for name, ids in gone.items():
        t = table(name)
        for start in range(0, len(ids), ID_CHUNK):
            session.execute(delete(t).where(t.c.id.in_(ids[start:start + ID_CHUNK])))


def iter_json_file(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        with path.open(encoding="utf-8") as stream:
            for position, line, item in iter_json_items(stream, path.name):
                yield f"{path.name} item {position + 1} (line {line})", item
    except UnicodeDecodeError as exc:
        raise FeedError(f"{path.name}: not UTF-8 text ({exc.reason})") from None


def iter_api_services(client: httpx.Client, base_url: str, *, per_page: int = 100,
                      modified_after: str | None = None,
                      full: bool = False) -> Iterator[tuple[str, Any]]:
    """Page through an ORUK API's ``/services`` and fetch each full ``/services/{id}``.

    ``modified_after`` (RFC 3339) asks only for services changed since. With ``full`` the
    pages are asked for fully nested services (ORUK's ``full=true``) and an item that is one
    (it carries its ``phones``, ``schedules`` and ``service_at_locations`` arrays) is taken
    as it is, saving a request per service; any other item is still fetched by its id.
    """
    base = base_url.rstrip("/")
    page_number = 1
    params: dict[str, Any] = {"per_page": per_page}
    if modified_after:
        params["modified_after"] = modified_after
    if full:
        params["full"] = "true"
    while True:
        listing = _get_json(client, f"{base}/services", {**params, "page": page_number})
        contents = listing.get("contents") if isinstance(listing, dict) else None
        if not isinstance(contents, list):
            raise FeedError(f"{base}/services?page={page_number}: no 'contents' array")
        for item in contents:
            service_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(service_id, str):
                raise FeedError(f"{base}/services?page={page_number}: an item has no id")
            url = f"{base}/services/{service_id}"
            if full and all(isinstance(item.get(k), list) for k in _FULL_SERVICE_ARRAYS):
                yield f"{base}/services?page={page_number} ({service_id})", item
            else:
                yield url, _get_json(client, url, None)
        total_pages = listing.get("total_pages")
        if (not contents or listing.get("last_page") is True
                or (isinstance(total_pages, int) and page_number >= total_pages)):
            return
        page_number += 1


_FULL_SERVICE_ARRAYS = ("phones", "schedules", "service_at_locations")


def _get_json(client: httpx.Client, url: str, params: dict | None) -> Any:
    if params:
        url = str(httpx.URL(url, params=params))  # errors name the page that failed
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise FeedError(f"{url}: {exc}") from None
    if response.status_code != 200:
        raise FeedError(f"{url}: HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise FeedError(f"{url}: the response is not JSON") from None


# --- CSV datapackage --------------------------------------------------------------------------

def import_package(session: Session, directory: Path, *, skip_invalid: bool = False,
                   progress: Progress | None = None) -> ImportReport:
    """Import a tabular HSDS datapackage (a folder of ``organizations.csv``, ...)."""
    report = ImportReport()
    writer = RowWriter(session, report)
    descriptor = directory / "datapackage.json"
    descriptor_text = descriptor.read_text(encoding="utf-8") if descriptor.is_file() else None
    paths = table_paths(descriptor_text)
    root = directory.resolve()
    found = False
    for name in IMPORT_ORDER:
        path = (directory / paths[name]).resolve()
        if not path.is_relative_to(root):
            raise FeedError(f"datapackage.json: {paths[name]} is outside the package")
        if not path.is_file():
            continue
        found = True
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                batch: list[tuple[Row, str, list[RecordError]]] = []
                for line, row, errors in iter_csv_rows(stream, name, path.name):
                    batch.append((row, f"{path.name} line {line}", errors))
                    if len(batch) >= ROW_BATCH:
                        _flush_rows(writer, name, batch, report, skip_invalid)
                        if progress:
                            progress(len(batch))
                        batch = []
                if batch:
                    _flush_rows(writer, name, batch, report, skip_invalid)
                    if progress:
                        progress(len(batch))
        except UnicodeDecodeError as exc:
            raise FeedError(f"{path.name}: not UTF-8 text ({exc.reason})") from None
    if not found:
        raise FeedError(f"{directory}: no HSDS CSV files (organizations.csv, services.csv, ...)")
    _finish(report, skip_invalid)
    return report


def _flush_rows(writer: RowWriter, name: str, batch: list[tuple[Row, str, list[RecordError]]],
                report: ImportReport, skip_invalid: bool) -> None:
    report.records_read += len(batch)
    wanted: dict[str, set[str]] = defaultdict(set)
    for row, _, errors in batch:
        if not errors:
            for column, target in REFERENCES.get(name, ()):
                if row[column] is not None:
                    wanted[target].add(row[column])
    missing = writer.missing(wanted)
    if missing:
        found = _reference_errors(name, ((row, where) for row, where, e in batch if not e),
                                  missing)
        for row, _, errors in batch:
            errors.extend(found.get(row["id"], ()))
    valid: dict[str, Row] = {}
    for row, _, errors in batch:
        if errors:
            report.records_refused += 1
            report.add_errors(errors)
        else:
            valid[row["id"]] = row
    if report.error_count and not skip_invalid:
        return
    writer.upsert(name, list(valid.values()))


def _finish(report: ImportReport, skip_invalid: bool) -> None:
    if report.error_count and not skip_invalid:
        raise InvalidInput(
            f"{report.records_refused} of {report.records_read} records are invalid "
            f"({report.error_count} problems); nothing was imported",
            errors=[e.as_dict() for e in report.errors])


# --- Export -----------------------------------------------------------------------------------

def export_package(session: Session, directory: Path,
                   progress: Progress | None = None) -> dict[str, int]:
    """Write every HSDS table as CSV, with a ``datapackage.json``; returns rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, spec in TABLES.items():
        t = table(name)
        rows = (dict(r._mapping) for r in session.execute(
            select(t).order_by(t.c.id).execution_options(yield_per=ROW_BATCH)))
        with (directory / spec.path).open("w", encoding="utf-8", newline="") as stream:
            counts[name] = write_csv_rows(stream, name, _counting(rows, progress))
    (directory / "datapackage.json").write_text(
        json.dumps(datapackage_descriptor(TABLES), indent=2) + "\n", encoding="utf-8")
    return counts


def _counting(rows: Iterator[Row], progress: Progress | None) -> Iterator[Row]:
    for i, row in enumerate(rows, 1):
        if progress and i % ROW_BATCH == 0:
            progress(ROW_BATCH)
        yield row


def export_services_json(session: Session, path: Path,
                         progress: Progress | None = None) -> int:
    """Write every service as a JSON array of compiled HSDS services; returns how many."""
    service = table("service")
    ids = list(session.execute(select(service.c.id).order_by(service.c.id)).scalars())
    with path.open("w", encoding="utf-8") as stream:
        stream.write("[")
        for start in range(0, len(ids), SERVICE_BATCH):
            chunk = ids[start:start + SERVICE_BATCH]
            graph = service_graph(session, chunk)
            for i, service_id in enumerate(chunk):
                stream.write("\n" if start + i == 0 else ",\n")
                stream.write(json.dumps(hsds.service_full(graph, service_id),
                                        ensure_ascii=False))
            if progress:
                progress(len(chunk))
        stream.write("\n]\n")
    return len(ids)
