"""Fast row writes for commands, so a command reads as what it does, not as ORM tuning.

Each helper is one plain statement, built once, for a write on a hot path (a referral is
created and moved through its states many times a second under load):

- :func:`claim`: INSERT ... ON CONFLICT DO NOTHING RETURNING id, in each engine's dialect;
- :func:`append`: an INSERT of an ORM object's values that nothing reads back;
- :func:`compare_and_set`: an UPDATE guarded by ``version``, recording the new values on the
  loaded object without reading the row again.
"""

from sqlalchemy import Table, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
_claims: dict[tuple[str, str, tuple[str, ...]], object] = {}
_appends: dict[str, object] = {}


def claim(session: Session, table: Table, unique: tuple[str, ...], values: dict) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists (or is being inserted by
    a transaction still running, which this one then waits for); the new row's id, or None."""
    dialect = session.get_bind().dialect.name
    key = (dialect, table.name, unique)
    statement = _claims.get(key)
    if statement is None:
        statement = _claims[key] = (
            _DIALECTS[dialect].insert(table).on_conflict_do_nothing(index_elements=list(unique))
            .returning(table.c.id))
    return session.scalar(statement, values)


def append(session: Session, row) -> None:
    """Insert an ORM object's non-null column values with one plain INSERT; the object itself
    is not added to the session (nothing here reads it back)."""
    table = type(row).__table__
    statement = _appends.get(table.name)
    if statement is None:
        statement = _appends[table.name] = insert(table)
    values = {column.key: getattr(row, column.key) for column in table.columns}
    session.execute(statement, {k: v for k, v in values.items() if v is not None})


def compare_and_set(session: Session, obj, *, version: int, values: dict) -> bool:
    """Set ``values`` on ``obj``'s row and add one to its ``version``, only if the row is still
    at ``version``; False when someone else changed it first."""
    table = type(obj).__table__
    result = session.execute(
        update(table).where(table.c.id == obj.id, table.c.version == version)
        .values(version=table.c.version + 1, **values))
    if result.rowcount != 1:
        return False
    # The row now holds exactly these values: record them without reading it back.
    for name, value in {"version": version + 1, **values}.items():
        set_committed_value(obj, name, value)
    return True
