"""``linkwell notifications``: send the queued staff e-mail."""

import time

import typer

from linkwell.db import make_engine, make_sessionmaker
from linkwell.notifications import outbox
from linkwell.settings import get_settings

notifications_app = typer.Typer(help="Staff e-mail: send what is queued, or show it.",
                               no_args_is_help=True)


@notifications_app.command("send")
def send(every: int = typer.Option(0, help="Keep running, sending every N seconds (0: once)."),
         limit: int = typer.Option(100, help="Most messages per run.")) -> None:
    """Send queued messages through GOV.UK Notify when LINKWELL_NOTIFY_API_KEY and
    LINKWELL_NOTIFY_TEMPLATE_STAFF_EMAIL are set, through LINKWELL_SMTP_HOST:PORT otherwise;
    failures stay queued. Senders may run at once: each message is claimed by one."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    try:
        while True:
            sent, failed = outbox.send_pending(factory, settings, limit=limit)
            typer.echo(f"Sent {sent}, failed {failed} (left queued).")
            if every <= 0:
                break
            time.sleep(every)
    finally:
        engine.dispose()


@notifications_app.command("show")
def show(to: str = typer.Option("", help="Only the e-mail waiting for this address.")) -> None:
    """Print the e-mail waiting to be sent, and send nothing: for a demo or a test server
    with no mail server (an invitation's link, say)."""
    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            found = outbox.waiting(session, to or None)
            for note in found:
                typer.echo(f"To: {note.recipient}\nSubject: {note.subject}\n\n{note.body}\n")
    finally:
        engine.dispose()
    typer.echo(f"{len(found)} e-mail{'' if len(found) == 1 else 's'} waiting to be sent.")
