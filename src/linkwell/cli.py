"""The ``linkwell`` command. Each area contributes a Typer sub-app; domain errors print cleanly."""

import sys

import typer

from linkwell.advice.cli import app as advice_app
from linkwell.auth.cli import app as users_app
from linkwell.casework.cli import app as messages_app
from linkwell.commissioning.cli import app as accountability_app
from linkwell.demo import demo_data
from linkwell.directory.cli import app as directory_app
from linkwell.errors import LinkwellError
from linkwell.evaluation.cli import app as evaluate_app
from linkwell.geo.cli import app as geo_app
from linkwell.gprecord.cli import app as gp_app
from linkwell.gprecord.cli import report_app
from linkwell.insights.cli import insights_app
from linkwell.operations import cli as operations_cli
from linkwell.outcomes.cli import app as outcomes_app
from linkwell.referrals.cli import notifications_app
from linkwell.settings import get_settings

app = typer.Typer(
    help="Linkwell: social prescribing and specialist social-welfare advice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(advice_app, name="advice")
app.add_typer(accountability_app, name="accountability")
app.add_typer(directory_app, name="directory")
app.command("demo-data")(demo_data)
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(geo_app, name="geo")
app.add_typer(gp_app, name="gp")
app.add_typer(insights_app, name="insights")
app.add_typer(report_app, name="report")
app.add_typer(outcomes_app, name="outcomes")
app.add_typer(notifications_app, name="notifications")
app.add_typer(users_app, name="users")
app.command("backup")(operations_cli.backup_command)
app.command("restore")(operations_cli.restore_command)
app.command("retention")(operations_cli.retention_command)
db_app.command("checksum")(operations_cli.checksum_command)
app.add_typer(messages_app, name="messages")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply Alembic migrations to LINKWELL_DATABASE_URL (creates the SQLite file if needed)."""
    operations_cli.upgrade_or_explain(revision)
    typer.echo(f"Database at revision {revision}.")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes (PostgreSQL only for more than 1)."),
) -> None:
    """Serve the web app and APIs with uvicorn (proxy headers from LINKWELL_TRUSTED_PROXIES)."""
    import uvicorn

    from linkwell.web.security import server_options

    operations_cli.refuse_unless_ready()
    typer.echo(f"Linkwell is at http://{host}:{port}/")
    uvicorn.run("linkwell.web.asgi:app", host=host, port=port, workers=workers,
                log_level="warning", access_log=False, **server_options(get_settings()))


def main() -> None:
    """Entry point: turns domain errors into a one-line message and exit status 2."""
    try:
        app()
    except LinkwellError as exc:
        typer.secho(f"Error: {exc.detail}", fg=typer.colors.RED, err=True)
        for error in exc.errors[:20]:
            typer.secho(f"  {error}", err=True)
        sys.exit(2)
