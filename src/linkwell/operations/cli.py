"""``linkwell backup``, ``linkwell restore``, ``linkwell retention`` and ``linkwell db``
(``upgrade``, ``checksum``): always on the database named by LINKWELL_DATABASE_URL."""

from pathlib import Path

import typer

from linkwell.settings import get_settings


def backup_command(
    file: Path = typer.Argument(..., help="Where to write the backup (replaced if present)."),
) -> None:
    """Back up the configured database to FILE while it keeps serving (SQLite: online backup
    API; PostgreSQL: pg_dump custom format)."""
    from linkwell.operations.backup import backup

    backup(get_settings().database_url, file)
    typer.echo(f"Backed up to {file}.")


def restore_command(
    file: Path = typer.Argument(..., help="A file written by `linkwell backup`."),
    force: bool = typer.Option(False, "--force",
                               help="Replace a database that already holds data."),
) -> None:
    """Restore FILE into the configured database (stop the server first)."""
    from linkwell.operations.backup import restore

    restore(get_settings().database_url, file, force=force)
    typer.echo(f"Restored {file}.")


def checksum_command(
    per_table: bool = typer.Option(False, "--tables", help="One line per table as well."),
) -> None:
    """Row counts and SHA-256 of every table's rows, to compare a restored copy."""
    from linkwell.db import make_engine
    from linkwell.operations.checksum import checksums, overall

    engine = make_engine(get_settings().database_url)
    try:
        sums = checksums(engine)
    finally:
        engine.dispose()
    if per_table:
        for entry in sums:
            typer.echo(f"{entry.table}\t{entry.rows}\t{entry.sha256}")
    typer.echo(f"total\t{sum(e.rows for e in sums)}\t{overall(sums)}")


def _refuse(problem: str) -> None:
    typer.secho(f"Error: {problem}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def refuse_unless_ready() -> None:
    """Before serving: exit with one line unless the database answers, can be written and
    is at the migrations' head, instead of listening and answering 500 to everything."""
    from linkwell.db import make_engine
    from linkwell.operations.health import DatabaseProblem, check_ready, check_writable

    url = get_settings().database_url
    engine = make_engine(url)
    try:
        check_ready(engine, url)
        check_writable(engine, url)
    except DatabaseProblem as problem:
        _refuse(str(problem))
    finally:
        engine.dispose()


def upgrade_or_explain(revision: str) -> None:
    """``db upgrade`` that says in one line what is wrong with the database, not a traceback."""
    from alembic.util import CommandError

    from linkwell.db import make_engine
    from linkwell.migrate import upgrade
    from linkwell.operations.faults import is_database_fault
    from linkwell.operations.health import (
        DatabaseProblem,
        check_sqlite_file,
        check_writable,
        describe,
    )

    url = get_settings().database_url
    try:
        if url.startswith("sqlite"):
            check_sqlite_file(url, must_exist=False)
        engine = make_engine(url)
        try:
            check_writable(engine, url)
        finally:
            engine.dispose()
        upgrade(url, revision)
    except DatabaseProblem as problem:
        _refuse(str(problem))
    except CommandError as error:
        _refuse(str(error))
    except Exception as error:
        if not is_database_fault(error):
            raise
        _refuse(describe(error, url))


def retention_command(
    ids: bool = typer.Option(False, "--ids", help="List the people's ids as well."),
) -> None:
    """Report the people whose records have passed LINKWELL_RETENTION_YEARS since their last
    referral closed (nothing is erased: see docs/operations.md)."""
    from linkwell.db import make_engine, make_sessionmaker
    from linkwell.operations.retention import people_due

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            due = people_due(session, years=settings.retention_years)
    finally:
        engine.dispose()
    typer.echo(f"{len(due)} people have had no open referral and no activity for "
               f"{settings.retention_years} years (LINKWELL_RETENTION_YEARS): their records "
               "are due for review and erasure.")
    if ids:
        for person_id in due:
            typer.echo(person_id)


db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
db_app.command("checksum")(checksum_command)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply Alembic migrations to LINKWELL_DATABASE_URL (creates the SQLite file if needed)."""
    upgrade_or_explain(revision)
    typer.echo(f"Database at revision {revision}.")
