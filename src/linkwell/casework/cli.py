"""``linkwell messages``: queue tomorrow's reminders, send the outbox, record delivery."""

import typer

from linkwell.db import make_engine, make_sessionmaker
from linkwell.settings import get_settings

app = typer.Typer(help="Messages to people through GOV.UK Notify.", no_args_is_help=True)


def _sessions():
    return make_sessionmaker(make_engine(get_settings().database_url))


@app.command("send-due")
def send_due() -> None:
    """Queue a reminder for each of tomorrow's appointments (once each), then send."""
    from linkwell.casework import commands

    sessions, settings = _sessions(), get_settings()
    with sessions() as session, session.begin():
        due = commands.queue_due_reminders(session, settings=settings)
    typer.echo(f"Queued {due.queued} reminder(s) for tomorrow.")
    for appointment_id, reason in due.refused:
        typer.echo(f"  appointment {appointment_id}: not sent: {reason}")
    _send(sessions, settings)


@app.command("send")
def send(limit: int = typer.Option(0, help="Send at most this many (0: all).")) -> None:
    """Send the queued messages through GOV.UK Notify."""
    _send(_sessions(), get_settings(), limit or None)


def _send(sessions, settings, limit=None) -> None:
    from linkwell.casework import outbox

    run = outbox.send_queued(sessions, settings, limit=limit)
    if not settings.notify_api_key:
        typer.echo(f"LINKWELL_NOTIFY_API_KEY is not set: {run.waiting} message(s) wait in the "
                   "outbox (/messages).")
        return
    typer.echo(f"Sent {run.sent}, failed {run.failed} (left queued), {run.waiting} waiting; "
               f"{run.recovered} interrupted send(s) checked with Notify.")
    for error in sorted(set(run.errors))[:10]:
        typer.echo(f"  {error}")


@app.command("status")
def status() -> None:
    """Ask GOV.UK Notify how each sent message fared and record it."""
    from linkwell.casework import outbox

    counts = outbox.poll_statuses(_sessions(), get_settings())
    typer.echo(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "Nothing to check.")
