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
    service. Items are decoded one at a time from a bounded buffer.
    """
    decoder = json.JSONDecoder()
    buffer = ""
    line = 1  # line of buffer[0]
    eof = False

    def fill() -> bool:
        nonlocal buffer, eof
        chunk = stream.read(CHUNK)
        if not chunk:
            eof = True
            return False
        buffer += chunk
        return True

    def skip_whitespace(pos: int) -> int:
        while True:
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            if pos < len(buffer) or eof or not fill():
                return pos

    def fail(message: str, pos: int) -> FeedError:
        where_line = line + buffer.count("\n", 0, pos)
        return FeedError(f"{name} line {where_line}: {message}")

    fill()
    if buffer.startswith("\ufeff"):
        buffer = buffer[1:]
    pos = skip_whitespace(0)
    if pos >= len(buffer):
        raise FeedError(f"{name}: empty file, expected a JSON array of services")
    if buffer[pos] == "{":
        while fill():
            pass
        try:
            document = json.loads(buffer)
        except json.JSONDecodeError as exc:
            raise FeedError(f"{name} line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        items = document.get("contents") if "contents" in document else [document]
        if not isinstance(items, list):
            raise FeedError(f"{name}: 'contents' must be an array")
        for position, item in enumerate(items):
            yield position, 1, item
        return
    if buffer[pos] != "[":
        raise fail("expected a JSON array of services", pos)
    pos += 1
    position = 0
    while True:
        pos = skip_whitespace(pos)
        if pos >= len(buffer):
            raise fail("unexpected end of file inside the array", pos)
        if buffer[pos] == "]":
            pos = skip_whitespace(pos + 1)
            if pos < len(buffer):
                raise fail("unexpected text after the array", pos)
            return
        if position > 0:
            if buffer[pos] != ",":
                raise fail("expected ',' or ']' between services", pos)
            pos = skip_whitespace(pos + 1)
            if pos >= len(buffer):
                raise fail("unexpected end of file inside the array", pos)
        while True:
            try:
                item, end = decoder.raw_decode(buffer, pos)
                # A number at the end of the buffer may continue in the next chunk.
                if end >= len(buffer) and not eof and fill():
                    continue
                break
            except json.JSONDecodeError as exc:
                if not eof and fill():
                    continue
                where_line = line + buffer.count("\n", 0, exc.pos)
                column = exc.pos - buffer.rfind("\n", 0, exc.pos)
                raise FeedError(
                    f"{name} line {where_line} column {column}: {exc.msg}") from None
        item_line = line + buffer.count("\n", 0, pos)
        yield position, item_line, item
        position += 1
        # Drop what has been read, keeping the line count.
        line += buffer.count("\n", 0, end)
        buffer = buffer[end:]
        pos = 0


def iter_csv_rows(stream: IO[str], table: str, name: str
                  ) -> Iterator[tuple[int, Row, list[RecordError]]]:
    """Yield ``(line, row, errors)`` for each record of one HSDS table's CSV file.

    Unknown columns are ignored; a missing column is read as empty. A record whose cells do not
    match the header, or a file that is not valid CSV, raises :class:`FeedError`.
    """
    spec = TABLES[table]
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise FeedError(f"{name} line {reader.line_num}: {exc}") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    positions = {column: i for i, column in enumerate(header)}
    if "id" not in positions:
        raise FeedError(f"{name} line 1: no 'id' column")
    layout = [(f, column_of(table, f.name), positions.get(f.name)) for f in spec.fields]
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FeedError(f"{name} line {reader.line_num}: {exc}") from None
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
