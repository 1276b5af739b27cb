"""Reading and writing HSDS feeds as streams: JSON arrays of services and tabular CSV packages.

Pure parsing over file-like objects the caller opens (no database, no network): a JSON array is
read item by item, so a 50,000-service feed is never held whole, and every problem names the
file and line (JSON) or the file, line and record id (CSV).

- :func:`iter_json_items` yields ``(position, line, object)`` from a JSON array (or an HSDS page
  object's ``contents``); malformed JSON raises :class:`FeedError` naming file, line and column.
- :func:`iter_csv_rows` yields ``(line, row, errors)`` for one HSDS table's CSV file.
- :func:`write_csv_rows` writes rows of one table; :func:`datapackage_descriptor` describes a
  package; :func:`table_paths` reads which CSV file holds which table.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from linkwell.directory.hsds import (
    FieldError,
    RecordError,
    Row,
    column_of,
    format_cell,
    parse_cell,
)
from linkwell.directory.standard import TABLES
from linkwell.errors import InvalidInput

CHUNK = 1 << 20
_WHITESPACE = " \t\r\n"


class FeedError(InvalidInput):
    """The feed cannot be read at all (broken JSON or CSV); the message says where."""


def iter_json_items(stream: IO[str], name: str) -> Iterator[tuple[int, int, Any]]:
    """Yield ``(position, line, item)`` for each element of a top-level JSON array.

    A top-level object is taken as one HSDS page (its ``contents``) or, failing that, one
    service. Items are decoded one at a time; read text is dropped only when more is read,
    so each character is copied a bounded number of times.
    """
    reader = _JsonArrayReader(stream, name)
    yield from reader.items()


class _JsonArrayReader:
    def __init__(self, stream: IO[str], name: str):
        self.stream = stream
        self.name = name
        self.decoder = json.JSONDecoder()
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # the line at ``counted``
        self.counted = 0
        self.column0 = 0  # how far into its line ``buffer[0]`` is

    def fill(self) -> bool:
        """Read another chunk, first dropping what has been consumed."""
        if self.pos:
            self.line_at(self.pos)
            newline = self.buffer.rfind("\n", 0, self.pos)
            self.column0 = self.pos - newline - 1 if newline >= 0 else self.column0 + self.pos
            self.buffer = self.buffer[self.pos:]
            self.counted -= self.pos
            self.pos = 0
        chunk = self.stream.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def line_at(self, pos: int) -> int:
        if pos >= self.counted:
            self.line += self.buffer.count("\n", self.counted, pos)
        else:
            self.line -= self.buffer.count("\n", pos, self.counted)
        self.counted = pos
        return self.line

    def skip_whitespace(self) -> None:
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer) or self.eof or not self.fill():
                return

    def fail(self, message: str) -> FeedError:
        return FeedError(f"{self.name} line {self.line_at(self.pos)}: {message}")

    def at_end(self) -> bool:
        return self.pos >= len(self.buffer)

    def items(self) -> Iterator[tuple[int, int, Any]]:
        self.fill()
        if self.buffer.startswith("\ufeff"):
            self.pos = 1
        self.skip_whitespace()
        if self.at_end():
            raise FeedError(f"{self.name}: empty file, expected a JSON array of services")
        if self.buffer[self.pos] == "{":
            yield from self.page()
            return
        if self.buffer[self.pos] != "[":
            raise self.fail("expected a JSON array of services")
        self.pos += 1
        position = 0
        while True:
            self.skip_whitespace()
            if self.at_end():
                raise self.fail("unexpected end of file inside the array")
            if self.buffer[self.pos] == "]":
                self.pos += 1
                self.skip_whitespace()
                if not self.at_end():
                    raise self.fail("unexpected text after the array")
                return
            if position > 0:
                if self.buffer[self.pos] != ",":
                    raise self.fail("expected ',' or ']' between services")
                self.pos += 1
                self.skip_whitespace()
                if self.at_end():
                    raise self.fail("unexpected end of file inside the array")
            item = self.decode()
            yield position, self.line_at(self.start), item
            position += 1

    def decode(self) -> Any:
        while True:
            self.start = self.pos
            try:
                item, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if not self.eof:
                    self.fill()  # the item may go on in the next chunk: decode again
                    continue
                self.pos = exc.pos
                newline = self.buffer.rfind("\n", 0, exc.pos)
                column = exc.pos - newline if newline >= 0 else self.column0 + exc.pos + 1
                raise FeedError(f"{self.name} line {self.line_at(exc.pos)} column {column}: "
                                f"{exc.msg}") from None
            # A number at the end of the buffer may continue in the next chunk.
            if end >= len(self.buffer) and not self.eof:
                self.fill()
                continue
            self.pos = end
            return item

    def page(self) -> Iterator[tuple[int, int, Any]]:
        while self.fill():
            pass
        try:
            document = json.loads(self.buffer)
        except json.JSONDecodeError as exc:
            raise FeedError(f"{self.name} line {exc.lineno} column {exc.colno}: "
                            f"{exc.msg}") from None
        items = document.get("contents") if "contents" in document else [document]
        if not isinstance(items, list):
            raise FeedError(f"{self.name}: 'contents' must be an array")
        for position, item in enumerate(items):
            yield position, 1, item


def iter_csv_rows(stream: IO[str], table: str, name: str
                  ) -> Iterator[tuple[int, Row, list[RecordError]]]:
    """Yield ``(line, row, errors)`` for each record of one HSDS table's CSV file.

    Unknown columns are ignored; a missing column is read as empty. A record whose cells do not
    match the header, or a file that is not valid CSV, raises :class:`FeedError`.
    """
    spec = TABLES[table]
    reader = csv.reader(stream, strict=True)
    try:
        yield from _csv_records(reader, spec, table, name)
    except csv.Error as exc:
        raise FeedError(f"{name} line {reader.line_num}: {exc}") from None


def _csv_records(reader, spec, table: str, name: str
                 ) -> Iterator[tuple[int, Row, list[RecordError]]]:
    """``iter_csv_rows`` but for the CSV parser's own errors, which it words once."""
    header = next(reader, None)
    if header is None:
        return
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    positions = {column: i for i, column in enumerate(header)}
    if "id" not in positions:
        raise FeedError(f"{name} line 1: no 'id' column")
    layout = [(f, column_of(table, f.name), positions.get(f.name)) for f in spec.fields]
    for cells in reader:
        line = reader.line_num
        if not cells:
            continue
        if len(cells) != len(header):
            raise FeedError(
                f"{name} line {line}: {len(cells)} values where the header has {len(header)}")
        record_id = cells[positions["id"]] or None
        row: Row = {}
        errors: list[RecordError] = []
        for field_, column, index in layout:
            text = cells[index] if index is not None else ""
            if text and field_.kind == "string":
                row[column] = text  # the common case, kept as it is without a call
                continue
            try:
                value = parse_cell(table, field_, text)
            except FieldError as exc:
                errors.append(RecordError(table, record_id, field_.name, str(exc),
                                          f"{name} line {line}"))
                value = None
            else:
                if value is None and (field_.required or field_.tabular_required):
                    errors.append(RecordError(table, record_id, field_.name, "is required",
                                              f"{name} line {line}"))
            row[column] = value
        yield line, row, errors


def write_csv_rows(stream: IO[str], table: str, rows: Iterable[Row]) -> int:
    """Write one table as CSV with the standard's columns in the standard's order."""
    spec = TABLES[table]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(spec.field_names)
    count = 0
    for row in rows:
        writer.writerow([format_cell(table, f, row) for f in spec.fields])
        count += 1
    return count


_DATAPACKAGE_TYPES = {"number": "number", "date": "date", "time": "time",
                      "datetime": "datetime"}


def datapackage_descriptor(tables: Iterable[str]) -> dict:
    """A Frictionless ``datapackage.json`` for the HSDS tables written, with their fields."""
    resources = []
    for name in tables:
        spec = TABLES[name]
        resources.append({
            "name": name,
            "path": spec.path,
            "format": "csv",
            "mediatype": "text/csv",
            "profile": "tabular-data-resource",
            "schema": {
                "fields": [{"name": f.name, "type": _DATAPACKAGE_TYPES.get(f.kind, "string")}
                           for f in spec.fields],
                "primaryKey": "id",
            },
        })
    return {"name": "hsds", "profile": "tabular-data-package", "resources": resources}


def table_paths(descriptor_text: str | None) -> dict[str, str]:
    """Which CSV file holds each HSDS table: the datapackage's word, else the standard's names.

    A missing, unreadable or foreign ``datapackage.json`` falls back to the standard's file
    names, so a bare folder of HSDS CSV files imports too.
    """
    paths = {name: spec.path for name, spec in TABLES.items()}
    if not descriptor_text:
        return paths
    try:
        descriptor = json.loads(descriptor_text)
    except json.JSONDecodeError:
        return paths
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        return paths
    for resource in resources:
        if (isinstance(resource, dict) and resource.get("name") in TABLES
                and isinstance(resource.get("path"), str)):
            paths[resource["name"]] = resource["path"]
    return paths
