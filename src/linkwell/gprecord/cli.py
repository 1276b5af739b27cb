"""``linkwell gp``: send the outbox of messages back to GP practices over NHS MESH."""

import csv
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer

from linkwell.codes import clinical as coded
from linkwell.db import make_engine, make_sessionmaker
from linkwell.errors import InvalidInput
from linkwell.gprecord import commands, domain, queries
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
            report = commands.send_outbox(factory, mesh, limit=limit,
                                          code_systems=coded.local_system_base(settings))
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


report_app = typer.Typer(help="Statutory and commissioning extracts.", no_args_is_help=True)


@report_app.command("mvis")
def mvis(
    date_from: datetime = typer.Option(..., "--from", formats=["%Y-%m-%d"],
                                       help="First day (YYYY-MM-DD)."),
    date_to: datetime = typer.Option(..., "--to", formats=["%Y-%m-%d"],
                                     help="Last day, included (YYYY-MM-DD)."),
    csv_path: Path = typer.Option(..., "--csv", help="Where to write the CSV."),
) -> None:
    """The social prescribing minimum dataset (PRSB MVIS): people referred by source, coded
    needs, support offered, outcomes and declines, by month, GP practice (ODS) and PCN, with
    counts under 10 suppressed as the evaluation suppresses them for commissioners."""
    start = date_from.replace(tzinfo=UTC)
    end = date_to.replace(tzinfo=UTC) + timedelta(days=1)
    if end <= start:
        raise InvalidInput("--to must not be before --from",
                           errors=[{"field": "to", "message": "before --from"}])
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = domain.mvis_rows(queries.mvis_counts(session, start, end))
    finally:
        engine.dispose()
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=domain.MVIS_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    typer.echo(f"Wrote {len(rows)} rows to {csv_path}.")
