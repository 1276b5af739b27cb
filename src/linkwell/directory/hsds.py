"""HSDS 3.0 JSON shapes to and from table rows: the one serialiser (pure, no I/O).

The Open Referral UK API, the JSON export and the importer all go through here, so every
service Linkwell publishes has the same shape and every feed is checked by the same rules.

Rows are plain dicts keyed by column name (the HSDS field names; ``cost_option`` keeps money as
``amount_pence``) holding Python values (``str``, ``float``, ``date``, ``time``, ``datetime``).
A :class:`Graph` holds the rows needed to build a nested object.

Serialisers (each returns a JSON-ready ``dict`` that validates against the HSDS 3.0 compiled
schema named, with format checking; fields whose value is unknown are omitted, because HSDS
types them as plain ``string``/``number`` where ``null`` is invalid):

- :func:`service_full` -> ``schema/compiled/service.json`` (``/services/{id}``)
- :func:`service_list_item` -> an item of ``service_list.json`` ``contents``
- :func:`organization_full` -> ``organization.json``; :func:`organization_list_item`
- :func:`service_at_location_full` -> ``service_at_location.json``;
  :func:`service_at_location_list_item`
- :func:`taxonomy_item` -> ``taxonomy.json``; :func:`taxonomy_term_item` -> ``taxonomy_term.json``
- :func:`page` -> the paginated envelope (``total_items``, ``contents``, ...)

Parsers: :func:`parse_service` (a compiled service object -> rows per table plus per-field
errors), :func:`parse` (the same for any other compiled object, such as an organization),
and :func:`parse_cell` / :func:`parse_value` for single CSV cells and JSON values;
:func:`format_cell` renders a value for CSV.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from jsonschema import FormatChecker

from linkwell.directory.standard import STRING_KINDS, TABLES, Field
from linkwell.links import SCHEMES_HINT, is_allowed_link

Row = dict[str, Any]

_FORMATS = FormatChecker()
_FORMAT_OF_KIND = {"uri": "uri", "email": "email"}
# The canonical 8-4-4-4-12 form: stricter than, and so always accepted by, JSON Schema "uuid".
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# How nested objects hang together in the compiled HSDS shapes.
CHILD, PARENT, ATTRIBUTES, METADATA = "child", "parent", "attributes", "metadata"
_ATTRS = ("attributes", "attribute", ATTRIBUTES, "link_id")
_META = ("metadata", "metadata", METADATA, "resource_id")
NESTING: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "service": (
        ("phones", "phone", CHILD, "service_id"),
        ("schedules", "schedule", CHILD, "service_id"),
        ("service_areas", "service_area", CHILD, "service_id"),
        ("service_at_locations", "service_at_location", CHILD, "service_id"),
        ("languages", "language", CHILD, "service_id"),
        ("organization", "organization", PARENT, "organization_id"),
        ("funding", "funding", CHILD, "service_id"),
        ("cost_options", "cost_option", CHILD, "service_id"),
        ("program", "program", PARENT, "program_id"),
        ("required_documents", "required_document", CHILD, "service_id"),
        ("contacts", "contact", CHILD, "service_id"),
        _ATTRS, _META,
    ),
    "organization": (
        ("funding", "funding", CHILD, "organization_id"),
        ("contacts", "contact", CHILD, "organization_id"),
        ("phones", "phone", CHILD, "organization_id"),
        ("locations", "location", CHILD, "organization_id"),
        ("programs", "program", CHILD, "organization_id"),
        ("organization_identifiers", "organization_identifier", CHILD, "organization_id"),
        _ATTRS, _META,
    ),
    "service_at_location": (
        ("contacts", "contact", CHILD, "service_at_location_id"),
        ("phones", "phone", CHILD, "service_at_location_id"),
        ("schedules", "schedule", CHILD, "service_at_location_id"),
        ("location", "location", PARENT, "location_id"),
        _ATTRS, _META,
    ),
    "location": (
        ("languages", "language", CHILD, "location_id"),
        ("addresses", "address", CHILD, "location_id"),
        ("contacts", "contact", CHILD, "location_id"),
        ("accessibility", "accessibility", CHILD, "location_id"),
        ("phones", "phone", CHILD, "location_id"),
        ("schedules", "schedule", CHILD, "location_id"),
        _ATTRS, _META,
    ),
    "phone": (("languages", "language", CHILD, "phone_id"), _ATTRS, _META),
    "contact": (("phones", "phone", CHILD, "contact_id"), _ATTRS, _META),
    "attribute": (("taxonomy_term", "taxonomy_term", PARENT, "taxonomy_term_id"), _META),
    "taxonomy_term": (("taxonomy_detail", "taxonomy", PARENT, "taxonomy_id"), _META),
    "taxonomy": (_META,),
    "metadata": (),
    "meta_table_description": (_ATTRS, _META),
}
for _name in TABLES:
    NESTING.setdefault(_name, (_ATTRS, _META))

# Inside a service, the organization is given without its locations: those the service uses
# come through service_at_locations, and a large organisation's other sites are not the
# service's business (``/organizations/{id}`` gives them all).
_SKIP_IN_SERVICE = {"organization": frozenset({"locations"})}


# --- Values -----------------------------------------------------------------------------------

def column_of(table: str, field_name: str) -> str:
    """The database column holding an HSDS field (money is kept in pence)."""
    if table == "cost_option" and field_name == "amount":
        return "amount_pence"
    return field_name


def json_number(value: float | int) -> int | float:
    """Whole numbers as integers (``12``, not ``12.0``), as feeds write them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def pence_to_amount(pence: int) -> int | float:
    return pence // 100 if pence % 100 == 0 else pence / 100


def format_datetime(value: datetime) -> str:
    """RFC 3339 in UTC with ``Z``; milliseconds when the value has them, as HSDS examples do."""
    value = value.astimezone(UTC)
    if value.microsecond == 0:
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
    elif value.microsecond % 1000 == 0:
        text = value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    else:
        text = value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return text + "Z"


def _converter(table: str, field_: Field):
    """How one field's stored value becomes its JSON value (``None`` stays ``None``)."""
    if table == "cost_option" and field_.name == "amount":
        return pence_to_amount
    if field_.kind == "number":
        return json_number
    if field_.kind == "datetime":
        return format_datetime
    if field_.kind in ("date", "time"):
        return lambda value: value.isoformat()
    return None


# Per table: (HSDS field name, column, converter or None), computed once.
_OUTPUT = {name: tuple((f.name, column_of(name, f.name), _converter(name, f))
                       for f in spec.fields) for name, spec in TABLES.items()}


def to_json_value(table: str, field_: Field, row: Row) -> Any:
    """A row's value for one HSDS field, in JSON form; ``None`` when it is unknown."""
    value = row.get(column_of(table, field_.name))
    convert = _converter(table, field_)
    if value is None or convert is None:
        return value
    return convert(value)


def format_cell(table: str, field_: Field, row: Row) -> str:
    """A row's value for one HSDS field as a CSV cell (empty when unknown)."""
    value = to_json_value(table, field_, row)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


class FieldError(ValueError):
    """One field's value is not what HSDS allows; the message names what was expected."""


def parse_value(table: str, field_: Field, value: Any) -> Any:
    """Check one JSON value against the field's HSDS type and format; return the stored value."""
    if value is None:
        return None
    kind = field_.kind
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise FieldError("must be a number")
        if table == "cost_option" and field_.name == "amount":
            return _amount_to_pence(value)
        return float(value)
    if not isinstance(value, str):
        raise FieldError("must be a string")
    if kind in STRING_KINDS:
        if kind in ("id", "ref"):
            if _UUID.fullmatch(value) is None:
                raise FieldError("must be a valid uuid")
            return value
        fmt = _FORMAT_OF_KIND.get(kind)
        if fmt and not _FORMATS.conforms(value, fmt):
            raise FieldError(f"must be a valid {fmt}")
        if kind == "uri" and not is_allowed_link(value):
            raise FieldError(f"must be {SCHEMES_HINT}")
        if kind == "enum" and value not in field_.enum:
            raise FieldError("must be one of " + ", ".join(field_.enum))
        return value
    if kind == "date":
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise FieldError("must be a date (YYYY-MM-DD)") from None
    if kind == "time":
        try:
            if len(value) not in (5, 8):
                raise ValueError(value)
            return time.fromisoformat(value)
        except ValueError:
            raise FieldError("must be a time (HH:MM:SS)") from None
    if kind == "datetime":
        if not _FORMATS.conforms(value, "date-time"):
            raise FieldError("must be an RFC 3339 date-time with a time zone")
        return datetime.fromisoformat(value).astimezone(UTC)
    raise FieldError(f"has an unknown kind {kind}")


def parse_cell(table: str, field_: Field, text: str) -> Any:
    """One CSV cell: empty means unknown, except for a required text field (an empty string)."""
    if text == "":
        if field_.required and field_.kind == "string":
            return ""
        return None
    if field_.kind == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise FieldError("must be a number") from None
        if not number.is_finite():
            raise FieldError("must be a number")
        if table == "cost_option" and field_.name == "amount":
            return _amount_to_pence(number)
        return float(number)
    return parse_value(table, field_, text)


def _amount_to_pence(value: float | int | Decimal) -> int:
    pence = Decimal(str(value)) * 100
    if pence != pence.to_integral_value():
        raise FieldError("must be a whole number of pence")
    return int(pence)


# --- Errors -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordError:
    """A problem with one record of a feed, named so that its publisher can find and fix it."""

    table: str
    record_id: str | None
    field: str | None
    message: str
    where: str | None = None  # file and line, or the position in a JSON feed

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        record = f"{self.table} {self.record_id or '(no id)'}"
        field_part = f" field {self.field}" if self.field else ""
        return f"{place}{record}{field_part}: {self.message}"

    def as_dict(self) -> dict:
        return {"table": self.table, "id": self.record_id, "field": self.field,
                "message": self.message, "where": self.where}


def check_row(table: str, values: dict[str, Any], *,
              tabular: bool) -> tuple[Row, list[RecordError]]:
    """Turn one object's HSDS fields (JSON values) into a row, collecting per-field errors."""
    row: Row = {}
    errors: list[RecordError] = []
    record_id = values.get("id") if isinstance(values.get("id"), str) else None
    for field_, column in _INPUT[table]:
        raw = values.get(field_.name)
        if raw is None:
            value = None
        elif field_.kind == "string" and type(raw) is str:
            value = raw  # the common case, checked without a call
        else:
            try:
                value = parse_value(table, field_, raw)
            except FieldError as exc:
                errors.append(RecordError(table, record_id, field_.name, str(exc)))
                row[column] = None
                continue
        if value is None and (field_.required or (tabular and field_.tabular_required)):
            errors.append(RecordError(table, record_id, field_.name, "is required"))
        row[column] = value
    return row, errors


_INPUT = {name: tuple((f, column_of(name, f.name)) for f in spec.fields)
          for name, spec in TABLES.items()}


def empty_row(table: str) -> Row:
    return {column_of(table, f.name): None for f in TABLES[table].fields}


# --- Parsing nested JSON ----------------------------------------------------------------------

@dataclass
class Parsed:
    """Rows per table from one nested object (deduplicated by id), and what was wrong with it."""

    rows: dict[str, dict[str, Row]] = field(default_factory=lambda: defaultdict(dict))
    errors: list[RecordError] = field(default_factory=list)


def parse_service(obj: Any) -> Parsed:
    """A compiled HSDS service (``/services/{id}``) -> rows for every table it touches."""
    return parse("service", obj)


def parse(table: str, obj: Any) -> Parsed:
    """Any compiled HSDS object (an organization, a service_at_location, a taxonomy_term...)
    -> rows for every table it touches, and what is wrong with it."""
    parsed = Parsed()
    if not isinstance(obj, dict):
        parsed.errors.append(RecordError(table, None, None, "must be a JSON object"))
        return parsed
    _parse_object(table, obj, parsed, context={})
    return parsed


def _parse_object(table: str, obj: dict, parsed: Parsed, context: dict[str, Any]) -> str | None:
    values = dict(obj)
    for key, value in context.items():
        if values.get(key) is None:
            values[key] = value
    # Objects this one points at (organization, program, location, taxonomy_term, ...) give
    # their id to the pointing field when the feed left it out.
    for key, _child_table, how, via in NESTING[table]:
        nested = obj.get(key)
        if how == PARENT and isinstance(nested, dict) and values.get(via) is None:
            values[via] = nested.get("id")
    row, errors = check_row(table, values, tabular=True)
    parsed.errors.extend(errors)
    record_id = row.get("id")
    if record_id is not None:
        earlier = parsed.rows[table].get(record_id)
        if earlier is not None:
            # The same record nested in two places (a phone under the service and under its
            # location): each place contributes the link it implies.
            row = {k: earlier[k] if v is None else v for k, v in row.items()}
        parsed.rows[table][record_id] = row
    for key, child_table, how, via in NESTING[table]:
        nested = obj.get(key)
        if nested is None:
            continue
        if how == PARENT:
            if not isinstance(nested, dict):
                parsed.errors.append(RecordError(table, record_id, key, "must be an object"))
                continue
            # A service's program belongs to the service's organization.
            parent_context = ({"organization_id": row.get("organization_id")}
                              if child_table == "program" else {})
            _parse_object(child_table, nested, parsed, context=parent_context)
            continue
        if not isinstance(nested, list):
            parsed.errors.append(RecordError(table, record_id, key, "must be an array"))
            continue
        if how == CHILD:
            child_context = {via: record_id}
        elif how == ATTRIBUTES:
            child_context = {"link_id": record_id, "link_entity": table}
        else:
            child_context = {"resource_id": record_id, "resource_type": table}
        for item in nested:
            if not isinstance(item, dict):
                parsed.errors.append(RecordError(table, record_id, key,
                                                 "must be an array of objects"))
                continue
            _parse_object(child_table, item, parsed, context=child_context)
    return record_id


# --- Serialising ------------------------------------------------------------------------------

class Graph:
    """Rows of several tables, indexed for building nested objects. Built by the caller."""

    def __init__(self, rows: dict[str, list[Row]] | None = None):
        self.rows: dict[str, dict[str, Row]] = defaultdict(dict)
        self._index: dict[tuple[str, str], dict[Any, list[Row]]] = {}
        for table, table_rows in (rows or {}).items():
            self.add(table, table_rows)

    def add(self, table: str, rows: list[Row]) -> None:
        for row in rows:
            self.rows[table][row["id"]] = row
        self._index = {key: idx for key, idx in self._index.items() if key[0] != table}

    def get(self, table: str, record_id: str | None) -> Row | None:
        if record_id is None:
            return None
        return self.rows.get(table, {}).get(record_id)

    def children(self, table: str, via: str, value: Any) -> list[Row]:
        key = (table, via)
        index = self._index.get(key)
        if index is None:
            index = defaultdict(list)
            for row in self.rows.get(table, {}).values():
                index[row.get(via)].append(row)
            self._index[key] = index
        return index.get(value, [])


def scalars(table: str, row: Row) -> dict[str, Any]:
    """An object's own HSDS fields, leaving out those whose value is unknown."""
    out: dict[str, Any] = {}
    for name, column, convert in _OUTPUT[table]:
        value = row.get(column)
        if value is not None:
            out[name] = value if convert is None else convert(value)
    return out


def nested(graph: Graph, table: str, row: Row, skip: frozenset[str] = frozenset()) -> dict:
    """An object with everything nested under it in the compiled HSDS shape."""
    out = scalars(table, row)
    for key, child_table, how, via in NESTING[table]:
        if key in skip:
            continue
        child_skip = _SKIP_IN_SERVICE.get(key, frozenset()) if table == "service" else frozenset()
        if how == PARENT:
            parent = graph.get(child_table, row.get(via))
            if parent is not None:
                out[key] = nested(graph, child_table, parent, child_skip)
            continue
        field_name = via if how == CHILD else ("link_id" if how == ATTRIBUTES else "resource_id")
        out[key] = [nested(graph, child_table, child, child_skip)
                    for child in _ordered(graph.children(child_table, field_name, row["id"]))]
    return out


def _ordered(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: r["id"])


def service_full(graph: Graph, service_id: str) -> dict:
    return nested(graph, "service", graph.rows["service"][service_id])


def service_list_item(graph: Graph, service_id: str) -> dict:
    """A service with its organization and program, without nested collections."""
    row = graph.rows["service"][service_id]
    out = scalars("service", row)
    organization = graph.get("organization", row.get("organization_id"))
    if organization is not None:
        out["organization"] = scalars("organization", organization)
    program = graph.get("program", row.get("program_id"))
    if program is not None:
        out["program"] = scalars("program", program)
    return out


def organization_full(graph: Graph, organization_id: str) -> dict:
    """An organization with its locations, programs, ... and its services (as list items)."""
    row = graph.rows["organization"][organization_id]
    out = nested(graph, "organization", row)
    out["services"] = [scalars("service", s) for s in
                       _ordered(graph.children("service", "organization_id", organization_id))]
    return out


def organization_list_item(graph: Graph, organization_id: str) -> dict:
    return scalars("organization", graph.rows["organization"][organization_id])


def service_at_location_full(graph: Graph, service_at_location_id: str) -> dict:
    row = graph.rows["service_at_location"][service_at_location_id]
    out = nested(graph, "service_at_location", row)
    if graph.get("service", row["service_id"]) is not None:
        out["service"] = service_list_item(graph, row["service_id"])
    return out


def service_at_location_list_item(graph: Graph, service_at_location_id: str) -> dict:
    row = graph.rows["service_at_location"][service_at_location_id]
    out = scalars("service_at_location", row)
    location = graph.get("location", row["location_id"])
    if location is not None:
        out["location"] = scalars("location", location)
    if graph.get("service", row["service_id"]) is not None:
        out["service"] = service_list_item(graph, row["service_id"])
    return out


def taxonomy_item(row: Row) -> dict:
    return scalars("taxonomy", row)


def taxonomy_term_item(graph: Graph, term_id: str) -> dict:
    """A taxonomy term with its ``taxonomy_detail`` when the taxonomy is known."""
    row = graph.rows["taxonomy_term"][term_id]
    out = scalars("taxonomy_term", row)
    taxonomy = graph.get("taxonomy", row.get("taxonomy_id"))
    if taxonomy is not None:
        out["taxonomy_detail"] = scalars("taxonomy", taxonomy)
    return out


def page(contents: list[dict], *, total_items: int, page_number: int, size: int) -> dict:
    """The HSDS paginated envelope; ``size`` is the page size asked for."""
    total_pages = max(1, math.ceil(total_items / size)) if size else 1
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": size,
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
