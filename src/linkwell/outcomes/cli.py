"""``linkwell outcomes``: list the instruments, score a form, print a FHIR Questionnaire."""

import json
from pathlib import Path

import typer

from linkwell.errors import LinkwellError
from linkwell.outcomes.fhir import questionnaire
from linkwell.outcomes.instruments import builtin_instruments, get_instrument, parse_definition
from linkwell.outcomes.scoring import answers_from_list, parse_answer_list, score
from linkwell.settings import get_settings

app = typer.Typer(help="Wellbeing instruments: scoring and FHIR export.", no_args_is_help=True)


def _fail(exc: LinkwellError) -> typer.Exit:
    """Print a domain error and exit with status 2, as ``linkwell.cli.main`` does."""
    typer.secho(f"Error: {exc.detail}", fg=typer.colors.RED, err=True)
    return typer.Exit(2)


@app.command("instruments")
def list_instruments() -> None:
    """List the validated instruments Linkwell scores."""
    for key, definition in builtin_instruments().items():
        items = f"{len(definition.items)} item{'s' if len(definition.items) > 1 else ''}"
        typer.echo(f"{key:<16} {items:<9} {definition.scoring.rule:<13} {definition.name}")


@app.command("score")
def score_command(
    instrument: str = typer.Option(..., "--instrument", "-i", help="Instrument key, e.g. swemwbs."),
    answers: str = typer.Option(
        ..., "--answers", "-a",
        help="Answers in item order, comma-separated; leave a place empty for a missing item.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Score one form: raw score, metric score (SWEMWBS) and band."""
    try:
        definition = get_instrument(instrument)
        result = score(definition, answers_from_list(definition, parse_answer_list(answers)))
    except LinkwellError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    typer.echo(f"Instrument: {definition.short_name} (version {definition.version})")
    if not result.complete:
        consequence = "" if definition.scoring.rule == "per_item" else "no total; "
        typer.echo(f"Incomplete: {consequence}not answered: {', '.join(result.missing)}")
    if result.raw is not None:
        typer.echo(f"Raw score: {result.raw}")
    if result.metric is not None:
        typer.echo(f"Metric score: {result.metric:.2f}")
    if result.band is not None:
        typer.echo(f"Band: {result.band}")
    if definition.scoring.rule == "per_item":
        for item in result.items:
            shown = "not answered" if item.score is None else f"{item.score} ({item.band})"
            typer.echo(f"{item.link_id}: {shown}")
    if definition.copyright:
        typer.echo(definition.copyright)


@app.command("questionnaire")
def questionnaire_command(
    instrument: str = typer.Argument(..., help="Instrument key, e.g. swemwbs."),
) -> None:
    """Print the instrument as a FHIR R4 Questionnaire (JSON)."""
    try:
        definition = get_instrument(instrument)
    except LinkwellError as exc:
        raise _fail(exc) from None
    resource = questionnaire(definition, base_url=get_settings().base_url)
    typer.echo(json.dumps(resource, indent=2, ensure_ascii=False))


@app.command("validate")
def validate_command(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Definition (JSON)."),
) -> None:
    """Check a local instrument definition before an administrator loads it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        typer.secho(f"Error: {path.name} is not JSON ({exc.msg}, line {exc.lineno})",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    try:
        definition = parse_definition(data)
    except LinkwellError as exc:
        raise _fail(exc) from None
    low, high = definition.raw_range
    typer.echo(f"{definition.key}: valid ({len(definition.items)} items, "
               f"{definition.scoring.rule}, raw {low}–{high})")
