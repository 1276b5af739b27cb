"""The ``linkwell`` command. Each area contributes a Typer sub-app; domain errors print cleanly.

Start-up is kept short (``linkwell --help`` should answer in well under a second): the table
below names each command, where it lives and its one-line help, and an area's ``cli`` module
(with everything it imports) is loaded only when its command runs. ``tests/unit/test_cli.py``
holds the one-line help here to each command's own.
"""

import importlib
import sys

import typer
from typer.core import TyperGroup

# name -> ("module:attribute", one-line help). The attribute is a Typer sub-app or a command
# function.
COMMANDS: dict[str, tuple[str, str]] = {
    "accountability": ("linkwell.commissioning.cli:app", "Public accountability for "
                       "commissioning: what was funded, commissioned and reported."),
    "advice": ("linkwell.advice.cli:app", "Social-welfare advice triage."),
    "backup": ("linkwell.operations.cli:backup_command",
               "Back up the configured database to FILE while it keeps serving (SQLite: "
               "online backup API; PostgreSQL: pg_dump custom format)."),
    "db": ("linkwell.operations.cli:db_app", "Manage the database schema."),
    "demo-data": ("linkwell.demo:demo_data",
                  "Create demo data (needs the geography tables: run `linkwell geo load` "
                  "first)."),
    "directory": ("linkwell.directory.cli:app",
                  "The service directory (Open Referral UK / HSDS 3.0)."),
    "evaluate": ("linkwell.evaluation.cli:app",
                 "Evaluate reach, outcomes, attrition, comparison and cost."),
    "geo": ("linkwell.geo.cli:app",
            "Geography reference data: postcodes, LSOAs with IMD 2019, boroughs."),
    "gp": ("linkwell.gprecord.cli:app", "Messages back to GP practices over NHS MESH."),
    "insights": ("linkwell.insights.cli:insights_app",
                 "The operational dashboard's imports and e-mail."),
    "messages": ("linkwell.casework.cli:app", "Messages to people through GOV.UK Notify."),
    "notifications": ("linkwell.notifications.cli:notifications_app",
                      "Staff e-mail: send what is queued, or show it."),
    "outcomes": ("linkwell.outcomes.cli:app", "Wellbeing instruments: scoring and FHIR export."),
    "report": ("linkwell.gprecord.cli:report_app", "Statutory and commissioning extracts."),
    "restore": ("linkwell.operations.cli:restore_command",
                "Restore FILE into the configured database (stop the server first)."),
    "retention": ("linkwell.operations.cli:retention_command",
                  "Report the people whose records have passed LINKWELL_RETENTION_YEARS since "
                  "their last referral closed (nothing is erased: see docs/operations.md)."),
    "users": ("linkwell.auth.cli:app", "Accounts and API tokens."),
}


def load(name: str):
    """The click command for ``name``, importing its area now."""
    import typer.main

    module_name, attribute = COMMANDS[name][0].split(":")
    target = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        return typer.main.get_command(single)
    # Added under a parent, as ``add_typer`` did: a sub-app with one command stays a group
    # (``linkwell gp send``), and completion stays with ``linkwell`` itself.
    parent = typer.Typer(add_completion=False)
    parent.add_typer(target, name=name)
    return typer.main.get_command(parent).commands[name]


class LazyGroup(TyperGroup):
    """A group whose sub-commands are imported when they run, listed from ``COMMANDS``."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx, formatter) -> None:
        """The list in ``--help`` from the table and the commands defined here, importing
        no area."""
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                help_text = COMMANDS[name][1]
            else:
                help_text = self.commands[name].get_short_help_str(formatter.width)
            rows.append((name, help_text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    cls=LazyGroup,
    help="Linkwell: social prescribing and specialist social-welfare advice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich alone costs more than the rest of start-up
)


@app.callback()
def _linkwell() -> None:
    # A callback keeps ``linkwell`` a group of commands although only ``serve`` is defined here.
    pass


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes (PostgreSQL only for more than 1)."),
) -> None:
    """Serve the web app and APIs with uvicorn (proxy headers from LINKWELL_TRUSTED_PROXIES)."""
    import uvicorn

    from linkwell.operations import cli as operations_cli
    from linkwell.settings import get_settings
    from linkwell.web.security import server_options

    operations_cli.refuse_unless_ready()
    typer.echo(f"Linkwell is at http://{host}:{port}/")
    uvicorn.run("linkwell.web.asgi:app", host=host, port=port, workers=workers,
                log_level="warning", access_log=False, **server_options(get_settings()))


def main() -> None:
    """Entry point: turns domain errors into a one-line message and exit status 2."""
    try:
        app()
    except Exception as exc:
        from linkwell.errors import LinkwellError  # here: --help need not import it

        if not isinstance(exc, LinkwellError):
            raise
        typer.secho(f"Error: {exc.detail}", fg=typer.colors.RED, err=True)
        for error in exc.errors[:20]:
            typer.secho(f"  {error}", err=True)
        sys.exit(2)
