"""What is wrong with the configured database, in one line a person can act on.

Used by ``linkwell serve`` (which refuses to start), ``linkwell db upgrade`` (which says what
is wrong instead of a traceback) and ``/readyz`` (which answers 503 until it is put right).
"""

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from linkwell.operations.faults import is_database_fault


class DatabaseProblem(Exception):
    """The database cannot be used as configured; ``str()`` is the one line to show."""


def where(database_url: str) -> str:
    """The database named without its password, for messages."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def check_sqlite_file(database_url: str, *, must_exist: bool) -> None:
    """A missing folder, a missing file (when one is needed) or a read-only file or folder.

    SQLite in WAL mode writes ``-wal`` and ``-shm`` files beside the database, so the folder
    must be writable as well as the file.
    """
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return
    path = Path(database.removeprefix("file:"))  # an URI filename (``?uri=true``)
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseProblem(f"The folder for the SQLite database does not exist: {folder}")
    if not path.exists():
        if must_exist:
            raise DatabaseProblem(f"There is no SQLite database at {path}: run "
                                  "`linkwell db upgrade` to create it.")
        if not os.access(folder, os.W_OK):
            raise DatabaseProblem(f"The folder {folder} is read-only: Linkwell cannot create "
                                  "its SQLite database there.")
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseProblem(f"The SQLite database {path} is read-only: Linkwell must be "
                              "able to write to it (every read of a record is audited).")
    if not os.access(folder, os.W_OK):
        raise DatabaseProblem(f"The folder {folder} is read-only: SQLite must write its "
                              "-wal and -shm files beside the database.")


def describe(error: BaseException, database_url: str) -> str:
    """One line for a database fault: what the driver said first, never a traceback."""
    cause = getattr(error, "orig", None) or error
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return f"Cannot use the database {where(database_url)}: {first}"


@lru_cache
def expected_heads() -> frozenset[str]:
    """The migration heads this code needs (read once from the migration scripts)."""
    from alembic.script import ScriptDirectory

    from linkwell.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def current_heads(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        try:
            return frozenset(conn.scalars(text("SELECT version_num FROM alembic_version")))
        except sa_exc.ProgrammingError:
            return frozenset()  # PostgreSQL: no such table yet
        except sa_exc.OperationalError as error:
            if "no such table" in str(error):
                return frozenset()  # SQLite: no such table yet
            raise


def check_writable(engine: Engine, database_url: str) -> None:
    """Write to the database and roll back: a read-only file, mount, connection or server
    refuses here, at start-up, rather than on the first audited read."""
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("BEGIN")  # the driver would run DDL outside a transaction
            cursor.execute("CREATE TABLE linkwell_write_probe (x INTEGER)")
        finally:
            raw.rollback()
            raw.close()
    except Exception as error:  # noqa: BLE001 - any refusal of a write is the answer sought
        if "readonly" in str(error).replace("-", "").replace(" ", "").lower():
            raise DatabaseProblem(f"The database {where(database_url)} is read-only: Linkwell "
                                  "must be able to write to it (every read of a record is "
                                  "audited).") from error
        raise DatabaseProblem(describe(error, database_url)) from error


def check_ready(engine: Engine, database_url: str) -> None:
    """Raise DatabaseProblem unless the database answers and its migrations are current."""
    if database_url.startswith("sqlite"):
        check_sqlite_file(database_url, must_exist=True)
    try:
        current = current_heads(engine)
    except Exception as error:
        if is_database_fault(error):
            raise DatabaseProblem(describe(error, database_url)) from error
        raise
    wanted = expected_heads()
    if current != wanted:
        have = ", ".join(sorted(current)) or "no migrations"
        raise DatabaseProblem(f"The database is at {have} but this Linkwell needs "
                              f"{', '.join(sorted(wanted))}: run `linkwell db upgrade`.")
