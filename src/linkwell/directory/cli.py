"""``linkwell directory ...``: import, export and sync HSDS feeds, list services due a check."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from linkwell.audit.commands import record
from linkwell.db import make_engine, make_sessionmaker, transaction
from linkwell.directory.search_index import reindex_services
from linkwell.errors import InvalidInput
from linkwell.settings import get_settings

app = typer.Typer(help="The service directory (Open Referral UK / HSDS 3.0).",
                  no_args_is_help=True)


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


@contextmanager
def _unit_of_work():
    engine = make_engine(get_settings().database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def _progress(label: str, total: int | None = None) -> Iterator:
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn()]
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


def describe_error(error: dict) -> str:
    """One line per refused record: where, which record, which field, what is wrong."""
    place = f"{error['where']}: " if error.get("where") else ""
    field = f" field {error['field']}" if error.get("field") else ""
    return f"{place}{error['table']} {error['id'] or '(no id)'}{field}: {error['message']}"


@app.command("import")
def import_feed(
    source: str = typer.Argument(
        ..., help="A JSON file (an array of HSDS services), a folder holding an HSDS CSV "
                  "datapackage, or the base URL of an Open Referral UK API."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid",
        help="Import the valid records and report the invalid ones, instead of importing "
             "nothing when any record is invalid."),
) -> None:
    """Import services (upsert by id): all or nothing unless --skip-invalid."""
    import httpx

    from linkwell.directory import transfer

    try:
        with _unit_of_work() as session, _progress("Importing records") as advance:
            if source.startswith(("http://", "https://")):
                with httpx.Client(timeout=30, follow_redirects=True) as client:
                    report = transfer.import_services(
                        session, transfer.iter_api_services(client, source),
                        skip_invalid=skip_invalid, progress=advance)
            else:
                path = Path(source)
                if path.is_dir():
                    report = transfer.import_package(session, path, skip_invalid=skip_invalid,
                                                     progress=advance)
                elif path.is_file():
                    report = transfer.import_services(
                        session, transfer.iter_json_file(path), skip_invalid=skip_invalid,
                        progress=advance)
                else:
                    raise InvalidInput(f"{source}: no such file, folder or URL")
            # The search index is derived from the directory: rebuilt in the same transaction.
            reindex_services(session)
            record(session, action="import", object_type="directory",
                   detail={"records": report.records_read, "refused": report.records_refused})
    except InvalidInput as exc:
        typer.secho(f"Error: {exc.detail}", fg=typer.colors.RED, err=True)
        for error in exc.errors:
            typer.echo(f"  {describe_error(error)}", err=True)
        raise typer.Exit(2) from None
    written = ", ".join(f"{n} {t}" for t, n in report.written.items() if n)
    typer.echo(f"Imported {report.records_read - report.records_refused} of "
               f"{report.records_read} records ({written or 'nothing written'}).")
    if report.error_count:
        typer.secho(f"Skipped {report.records_refused} invalid records "
                    f"({report.error_count} problems):", fg=typer.colors.YELLOW, err=True)
        for error in report.errors:
            typer.echo(f"  {describe_error(error.as_dict())}", err=True)


@app.command("export")
def export_feed(
    directory: Path = typer.Argument(..., help="Folder to write into (created if needed)."),
    format: ExportFormat = typer.Option(
        ExportFormat.csv, "--format",
        help="csv: an HSDS tabular datapackage (every table, lossless); "
             "json: services.json, an array of compiled HSDS services."),
) -> None:
    """Export the whole directory as HSDS 3.0."""
    from linkwell.directory import transfer

    with _unit_of_work() as session, _progress("Exporting") as advance:
        if format is ExportFormat.csv:
            counts = transfer.export_package(session, directory, progress=advance)
            summary = f"{sum(counts.values())} rows in {len(counts)} tables"
        else:
            directory.mkdir(parents=True, exist_ok=True)
            count = transfer.export_services_json(session, directory / "services.json",
                                                  progress=advance)
            summary = f"{count} services in services.json"
        record(session, action="export", object_type="directory",
               detail={"format": format.value})
    typer.echo(f"Exported {summary} to {directory}.")


@app.command("stale")
def stale(
    days: int | None = typer.Option(
        None, "--days", min=1,
        help="Flag services not assured for this many days (default: "
             "LINKWELL_STALE_AFTER_DAYS)."),
) -> None:
    """List services whose assured_date is missing or too old, grouped by organisation."""
    from linkwell.directory.queries import stale_services

    after_days = days or get_settings().stale_after_days
    with _unit_of_work() as session:
        services = stale_services(session, today=date.today(), after_days=after_days)
    if not services:
        typer.echo(f"No service is older than {after_days} days.")
        return
    table = Table(title=f"Services not assured in the last {after_days} days")
    for column in ("Organisation", "Service", "Assured", "Service id"):
        table.add_column(column)
    previous = None
    for service in services:
        organisation = service.organization_name if service.organization_id != previous else ""
        previous = service.organization_id
        table.add_row(organisation, service.name,
                      service.assured_date.isoformat() if service.assured_date else "never",
                      service.id)
    Console(width=160).print(table)
    typer.echo(f"{len(services)} services need checking.")


@app.command("nudge")
def nudge() -> None:
    """E-mail organisations about listings nobody has checked (run it daily; each organisation
    is nudged at most once every LINKWELL_NUDGE_EVERY_DAYS)."""
    from linkwell.directory.listings import nudge_unchecked_listings

    settings = get_settings()
    with _unit_of_work() as session:
        report = nudge_unchecked_listings(
            session, today=date.today(), stale_after_days=settings.stale_after_days,
            every_days=settings.nudge_every_days,
            link=settings.public_link("/provider/services"))
    typer.echo(f"Nudged {len(report.sent)} organisations; {len(report.recently_nudged)} were "
               f"nudged in the last {settings.nudge_every_days} days. The e-mails wait in the "
               "outbox for `linkwell notifications send`.")
    if report.nobody_to_ask:
        typer.echo(f"{len(report.nobody_to_ask)} organisations have nobody to ask; invite "
                   "someone:")
        for organization_id, name in report.nobody_to_ask:
            invite = settings.public_link(f"/organisations/{organization_id}/invitations")
            typer.echo(f"  {name}: {invite}")


@app.command("check-links")
def check_links() -> None:
    """Ask every listed service's website whether it still answers; broken ones go on the
    data-quality page (/admin/data-quality). Run it weekly."""
    from linkwell.directory import link_checker
    from linkwell.directory.listings import record_link_checks, websites_to_check

    settings = get_settings()
    with _unit_of_work() as session:
        services_by_url = websites_to_check(session)
    with _progress("Checking websites", total=len(services_by_url)) as advance:
        results = link_checker.check_links(
            services_by_url, progress=lambda: advance(1),
            user_agent=f"Linkwell directory link checker (+{settings.public_link('/')})")
    with _unit_of_work() as session:
        broken = record_link_checks(session, services_by_url, results)
    typer.echo(f"Checked {len(results)} websites for {sum(map(len, services_by_url.values()))} "
               f"services: {broken} services have a website that is not working "
               "(see /admin/data-quality).")


@app.command("duplicates")
def duplicates() -> None:
    """Propose look-alike organisations and services to administrators (/admin/duplicates)."""
    from linkwell.directory.merges import find_duplicates

    with _unit_of_work() as session:
        counts = find_duplicates(session)
        record(session, action="update", object_type="duplicate_candidate",
               detail={"found": counts})
    typer.echo(f"{counts['organization']} organisation pairs and {counts['service']} service "
               "pairs to review at /admin/duplicates.")


@app.command("sync")
def sync(
    url: str = typer.Argument(..., help="The base URL of another Open Referral UK API."),
    full: bool = typer.Option(
        False, "--full", help="Read every service, not only those changed since the last "
                              "successful sync of this URL."),
) -> None:
    """Import what another ORUK feed changed since the last sync (run it from cron). A field a
    provider edited here is not overwritten: the change waits at /admin/feed-changes. A sync
    that fails changes nothing."""
    import httpx

    from linkwell.directory.sync import sync_feed

    if not url.startswith(("http://", "https://")):
        typer.secho(f"Error: {url}: give the feed's base URL (http:// or https://)",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        with _unit_of_work() as session, _progress("Syncing services") as advance, \
                httpx.Client(timeout=30, follow_redirects=True) as client:
            report = sync_feed(session, client, url, full=full, progress=advance)
    except InvalidInput as exc:  # FeedError too: the feed could not be read
        typer.secho(f"Error: the sync failed and changed nothing: {exc.detail}",
                    fg=typer.colors.RED, err=True)
        for error in exc.errors:
            typer.echo(f"  {describe_error(error)}", err=True)
        raise typer.Exit(2) from None
    since = f"changed since {report.modified_after}" if report.modified_after else "all"
    typer.echo(f"Synced {report.services} services ({since}) from {report.feed_url}.")
    if report.held:
        typer.echo(f"{report.held} changes to fields providers edited here wait for review at "
                   f"{get_settings().public_link('/admin/feed-changes')}.")
