"""``linkwell insights``: import practices' system outcomes, and queue the monthly e-mail."""

from pathlib import Path

import typer

from linkwell.db import make_engine, make_sessionmaker, transaction, utcnow
from linkwell.errors import InvalidInput
from linkwell.insights import commands
from linkwell.settings import get_settings

insights_app = typer.Typer(help="The operational dashboard's imports and e-mail.",
                           no_args_is_help=True)


@insights_app.command("import-system-outcomes")
def import_system_outcomes(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                    help="CSV: nhs_number,measure,period,count")) -> None:
    """Import GP appointment and A&E counts; any rejected line and nothing is imported."""
    engine = make_engine(get_settings().database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            result = commands.import_system_outcomes(
                session, by=None, text=file.read_text(encoding="utf-8"),
                today=utcnow().date())
    except InvalidInput as exc:
        typer.secho(exc.detail, fg=typer.colors.RED, err=True)
        for error in exc.errors:
            typer.echo(f"  {error['message']}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(f"Imported {result.lines} lines for {result.people} people.")


@insights_app.command("send-monthly")
def send_monthly() -> None:
    """Queue last month's dashboard for subscribers in the staff e-mail outbox (sent by
    `linkwell notifications send`); a second run in the same month queues nothing."""
    from linkwell.insights import domain, queries  # pandas: only when the command runs

    engine = make_engine(get_settings().database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            now = utcnow()

            def headline(first, last):
                return domain.headline(queries.dashboard(
                    session, domain.Filters(date_from=first, date_to=last), "commissioner",
                    now))

            queued = commands.queue_monthly(session, today=now.date(), headline=headline)
    finally:
        engine.dispose()
    typer.echo(f"Queued {queued} monthly e-mail{'s' if queued != 1 else ''}; "
               "`linkwell notifications send` sends them.")
