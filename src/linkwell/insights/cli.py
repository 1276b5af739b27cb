"""``linkwell insights``: import practices' system outcomes (or make their pseudonyms), and queue
the monthly e-mail."""

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
                                    help="CSV: nhs_number (or pseudonym),measure,period,"
                                         "count")) -> None:
    """Import GP appointment and A&E counts; any rejected line and nothing is imported."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            result = commands.import_system_outcomes(
                session, by=None, text=file.read_text(encoding="utf-8"),
                today=utcnow().date(), pseudonym_key=settings.pseudonym_key)
    except InvalidInput as exc:
        _rejected(exc)
    finally:
        engine.dispose()
    typer.echo(str(result))


@insights_app.command("pseudonym")
def pseudonym(
        nhs_numbers: list[str] = typer.Argument(None, help="NHS numbers, one pseudonym each."),
        file: Path = typer.Option(None, exists=True, dir_okay=False, readable=True,
                                  help="A system-outcomes CSV with NHS numbers to convert."),
        output: Path = typer.Option(None, help="Where the converted CSV goes (with --file; "
                                               "standard output if not given).")) -> None:
    """Make pseudonyms of NHS numbers with LINKWELL_PSEUDONYM_KEY, so a practice can send
    system outcomes without them: one per NHS number given, or a whole CSV converted (written
    only if every line's NHS number is valid)."""
    from linkwell.insights import pseudonyms

    key = get_settings().pseudonym_key
    try:
        if file is not None:
            converted = pseudonyms.convert_csv(file.read_text(encoding="utf-8"), key)
            if output is None:
                typer.echo(converted, nl=False)
            else:
                output.write_text(converted, encoding="utf-8")
            return
        for number in nhs_numbers or []:
            typer.echo(pseudonyms.pseudonym(number, key))
    except pseudonyms.NoKey as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    except InvalidInput as exc:
        _rejected(exc)


def _rejected(exc: InvalidInput) -> None:
    typer.secho(exc.detail, fg=typer.colors.RED, err=True)
    for error in exc.errors:
        typer.echo(f"  {error['message']}", err=True)
    raise typer.Exit(2) from None


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
