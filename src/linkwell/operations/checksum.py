"""Row counts and content checksums of every table, to show a restored copy is identical.

Rows are read in primary-key order and each value is written in one canonical text form, so
two databases holding the same data give the same digest whatever their physical layout
(page order, free space, WAL, TOAST). Migration-only full-text structures are left out: they
are derived from the tables and rebuilt by the engine.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Engine, inspect, select

from linkwell.models import metadata


@dataclass(frozen=True)
class TableChecksum:
    table: str
    rows: int
    sha256: str


def _canonical(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return str(value)


def checksums(engine: Engine) -> list[TableChecksum]:
    """One entry per schema table present in the database, in name order."""
    present = set(inspect(engine).get_table_names())
    result = []
    with engine.connect() as conn:
        for table in sorted(metadata.tables.values(), key=lambda t: t.name):
            if table.name not in present:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            rows = 0
            for row in conn.execute(select(table).order_by(*order)).yield_per(2000):
                digest.update("\t".join(_canonical(v) for v in row).encode())
                digest.update(b"\n")
                rows += 1
            result.append(TableChecksum(table.name, rows, digest.hexdigest()))
    return result


def overall(sums: list[TableChecksum]) -> str:
    """One digest over every table's, for comparing two databases at a glance."""
    digest = hashlib.sha256()
    for entry in sums:
        digest.update(f"{entry.table}\t{entry.rows}\t{entry.sha256}\n".encode())
    return digest.hexdigest()
