"""``linkwell backup``, ``linkwell restore`` and ``linkwell db checksum``: always on the
database named by LINKWELL_DATABASE_URL."""

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
