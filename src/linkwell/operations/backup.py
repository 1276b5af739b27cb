"""Backups of the configured database, and restoring one into it.

SQLite goes through its online backup API: a copy of the live file (or of the file and then
its WAL) loses acknowledged writes or is corrupt, while the backup API copies one consistent
snapshot while the server keeps writing. PostgreSQL goes through ``pg_dump``/``pg_restore``
in the custom format (one snapshot, restored in one transaction). The backup file names its
engine by its first bytes, so restoring one engine's backup into the other is refused.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.engine import make_url

from linkwell.db import make_engine
from linkwell.errors import LinkwellError
from linkwell.models import metadata

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(LinkwellError):
    status = 409
    title = "Backup or restore refused"


def _is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite")


def sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the PostgreSQL tools, and the environment carrying the
    password (kept off the command line, where ``ps`` would show it)."""
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools "
                          "(Debian: postgresql-client) of the server's major version.")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is a PostgreSQL tool found on PATH, given the configured URL: no shell.
    done = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{Path(command[0]).name} failed: "
                          f"{lines[-1] if lines else 'exit status ' + str(done.returncode)}")


def backup(database_url: str, destination: Path) -> None:
    """Write a consistent copy of the database to ``destination`` (replaced atomically)."""
    destination = Path(destination)
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if _is_sqlite(database_url):
            _backup_sqlite(sqlite_path(database_url), partial)
        else:
            target, env = _libpq(database_url)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", f"--dbname={target}"], env)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)


def _backup_sqlite(source: Path, destination: Path) -> None:
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        _copy_sqlite(src, destination, journal_mode="DELETE")
    finally:
        src.close()


def _copy_sqlite(src: sqlite3.Connection, target: Path, *, journal_mode: str,
                 timeout: float = 5.0) -> None:
    """Copy the whole database to ``target`` and check the copy. pages=-1 copies it in one
    step, under one read transaction: one snapshot, while writers carry on in the WAL."""
    dst = sqlite3.connect(target, timeout=timeout)
    try:
        src.backup(dst, pages=-1)
        dst.execute(f"PRAGMA journal_mode={journal_mode}")
        _require_intact(dst, target)
    finally:
        dst.close()


def _require_intact(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")


def backup_engine(path: Path) -> str:
    """``sqlite`` or ``postgresql``: which engine wrote the backup file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"There is no backup file at {path}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a Linkwell backup (neither SQLite nor pg_dump's "
                      "custom format).")


# Tables whose rows a fresh ``db upgrade`` writes itself; rows there are not "data".
WRITTEN_BY_MIGRATIONS = frozenset({"directory_revision"})


def holds_data(engine: Engine) -> bool:
    """Whether any table holds a row that a fresh ``db upgrade`` did not write."""
    present = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in metadata.tables.values():
            if (table.name in present and table.name not in WRITTEN_BY_MIGRATIONS
                    and conn.scalar(select(func.count()).select_from(
                        select(table).limit(1).subquery()))):
                return True
    return False


def restore(database_url: str, source: Path, *, force: bool = False) -> None:
    """Replace the configured database's contents with the backup in ``source``.

    Refused when the database holds more than a fresh ``db upgrade`` writes, unless
    ``force``: a restore over live data is a decision, never a slip.
    """
    source = Path(source)
    kind = backup_engine(source)
    wanted = "sqlite" if _is_sqlite(database_url) else "postgresql"
    if kind != wanted:
        raise BackupError(f"{source} is a {kind} backup; the configured database is {wanted}.")
    if not force and _holds_data(database_url):
        raise BackupError("The configured database already holds data; restore over it "
                          "only with --force.")
    if kind == "sqlite":
        _restore_sqlite(source, sqlite_path(database_url))
    else:
        target, env = _libpq(database_url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={target}", str(source)],
             env)


def _holds_data(database_url: str) -> bool:
    if _is_sqlite(database_url) and not sqlite_path(database_url).exists():
        return False
    engine = make_engine(database_url)
    try:
        return holds_data(engine)
    finally:
        engine.dispose()


def _restore_sqlite(source: Path, target: Path) -> None:
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _require_intact(src, source)
        _copy_sqlite(src, target, journal_mode="WAL", timeout=30)
    finally:
        src.close()
