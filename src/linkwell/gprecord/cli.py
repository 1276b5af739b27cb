"""``linkwell gp``: send the outbox of messages back to GP practices over NHS MESH."""

import time

import typer

from linkwell.db import make_engine, make_sessionmaker
from linkwell.gprecord import commands
from linkwell.gprecord.mesh import Mesh
from linkwell.settings import get_settings

app = typer.Typer(help="Messages back to GP practices over NHS MESH.", no_args_is_help=True)


@app.command("send")
def send(every: int = typer.Option(0, help="Keep running, sending every N seconds (0: once)."),
         limit: int = typer.Option(10_000, help="Most messages per run.")) -> None:
    """Send due messages to LINKWELL_MESH_URL, settle interrupted sends, and record the
    practices' acknowledgements. Waiting messages stay with their alert."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    mesh = Mesh(settings)
    try:
        while True:
            report = commands.send_outbox(factory, mesh, limit=limit)
            acknowledged = commands.track_acknowledgements(factory, mesh)
            typer.echo(f"Sent {report.sent}, retrying {report.retried}, failed {report.failed}, "
                       f"recovered {report.recovered}, waiting {report.waiting}, "
                       f"acknowledged {acknowledged}.")
            if every <= 0:
                break
            time.sleep(every)
    finally:
        mesh.close()
        engine.dispose()
