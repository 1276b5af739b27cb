"""``linkwell notifications``: send the queued staff e-mail."""

import time

import typer

from linkwell.db import make_engine, make_sessionmaker
from linkwell.notifications import outbox
from linkwell.settings import get_settings

notifications_app = typer.Typer(help="Send queued staff e-mail.", no_args_is_help=True)


@notifications_app.command("send")
def send(every: int = typer.Option(0, help="Keep running, sending every N seconds (0: once)."),
         limit: int = typer.Option(100, help="Most messages per run.")) -> None:
    """Send queued messages through LINKWELL_SMTP_HOST:PORT; failures stay queued."""
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
