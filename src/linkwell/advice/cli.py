"""``linkwell advice``: triage a description, and measure the issue spotting."""

import json
import sys
from datetime import date
from pathlib import Path

import typer

from linkwell.errors import InvalidInput

app = typer.Typer(help="Social-welfare advice triage.", no_args_is_help=True)


def _answers(pairs: list[str]) -> dict[str, str]:
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(f"--answer needs QUESTION=VALUE, got {pair!r}")
        answers[key.strip()] = value.strip()
    return answers


def _providers(result, postcode: str | None, language: str | None) -> None:
    """Add ranked providers from the configured database, or say why there are none."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from linkwell.advice import routing
    from linkwell.db import make_engine, make_sessionmaker, transaction
    from linkwell.settings import get_settings

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            providers, notes = routing.find_providers(
                session, result, postcode=postcode, language=language,
                stale_after_days=settings.stale_after_days)
        result.providers = [p.as_dict() for p in providers]
        result.notes.extend(notes)
    except (OperationalError, ProgrammingError):
        result.notes.append("Providers were not looked up: the database is not set up "
                            "(run `linkwell db upgrade` and load the directory).")
    finally:
        engine.dispose()


@app.command("triage")
def triage_command(
    text: str = typer.Argument(None, help="The description; read from stdin when left out."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    answer: list[str] = typer.Option([], "--answer", "-a",
                                     help="An answer as QUESTION=VALUE, e.g. "
                                          "notice_type=section_21 (repeatable)."),
    postcode: str = typer.Option(None, help="Find advice providers near this postcode."),
    language: str = typer.Option(None, help="Preferred language, e.g. Polish."),
    today: str = typer.Option(None, help="Work out deadlines as if today were YYYY-MM-DD."),
    providers: bool = typer.Option(True, help="Look up advice providers in the database."),
) -> None:
    """Spot the legal problem in TEXT, judge its urgency and route it to the right help."""
    from linkwell.advice.triage import triage

    if text is None or text == "-":
        text = sys.stdin.read()
    try:
        on = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise InvalidInput("--today must be a date as YYYY-MM-DD") from None
    result = triage(text, _answers(answer), today=on)
    if providers:
        _providers(result, postcode, language)
    data = result.as_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print(data)


def _print(data: dict) -> None:
    if data["urgent"]:
        typer.secho("URGENT: " + "; ".join(data["urgent_reasons"]), fg=typer.colors.RED,
                    bold=True)
    if not data["categories"]:
        typer.echo("Problem: could not be classified")
    for c in data["categories"]:
        subs = f" ({', '.join(c['sub_issue_labels'])})" if c["sub_issue_labels"] else ""
        typer.echo(f"Problem: {c['label']}{subs}, confidence {c['confidence']:.2f}")
        for e in c["evidence"]:
            typer.echo(f"  because [{e['source']}] {e['text']}")
    for d in data["deadlines"]:
        flag = " (urgent)" if d["urgent"] else ""
        typer.echo(f"Deadline: {d['date']} {d['what']}{flag}")
    typer.echo(f"Level of help: {data['level']} - {data['level_reason']}")
    typer.echo(f"Legal aid (an indication, not legal advice): {data['legal_aid']} - "
               f"{data['legal_aid_reason']}")
    for note in data["notes"]:
        typer.echo(f"Note: {note}")
    for i, p in enumerate(data["providers"], 1):
        typer.echo(f"{i}. {p['name']}: " + "; ".join(p["reasons"]))


@app.command("build-model")
def build_model_command(
    output: Path = typer.Option(None, "--output", "-o", dir_okay=False,
                                help="Write the model here instead of the shipped "
                                     "src/linkwell/advice/data/model.npz."),
) -> None:
    """Train the issue-spotting model on the committed labelled and development sets and
    write it as the NumPy arrays triage reads (needs scikit-learn; triage does not)."""
    from linkwell.advice.training import MODEL_PATH, build

    path = output or MODEL_PATH
    model = build(path)
    typer.echo(f"Wrote {path}: {model.weights.shape[0]:,} features, "
               f"{len(model.classes)} categories")


@app.command("evaluate")
def evaluate_command(
    write: Path = typer.Option(None, help="Write the Markdown report to this file."),
    folds: int = typer.Option(5, min=2, help="Cross-validation folds."),
    held_out: Path = typer.Option(
        None, "--held-out", dir_okay=True,
        help="The frozen held-out set (its heldout.jsonl or its folder), scored with "
             "aggregate figures only. Default: the current set in "
             "advice/data/held_out_sets.json when it is present and not retired into "
             "development data."),
) -> None:
    """Cross-validate issue spotting on the labelled set and the development enquiries, and
    score the frozen held-out set (aggregate figures only)."""
    from importlib import resources

    from linkwell.advice.accuracy import (
        cross_validate,
        cross_validate_cases,
        enquiry_report,
        evaluate_cases,
        is_held_out,
        is_retired,
        report,
    )
    from linkwell.advice.held_out_sets import HELD_OUT_PATH, RETIRED_SETS
    from linkwell.settings import PROJECT_ROOT

    explicit = held_out is not None
    if held_out is None:
        if (PROJECT_ROOT / HELD_OUT_PATH).is_file():
            held_out = HELD_OUT_PATH
        else:
            typer.echo(f"The held-out set {HELD_OUT_PATH} is not in this checkout: it is not "
                       "scored in this run.", err=True)
    found = None
    if held_out is not None:
        if held_out.is_dir():
            held_out = held_out / "heldout.jsonl"
        found = held_out if held_out.is_file() else PROJECT_ROOT / held_out
        if not found.is_file():
            raise InvalidInput(f"--held-out: no such file {held_out} (a frozen set is added "
                               "by the lead; it may not be in this checkout yet)")
        if not is_held_out(found):
            raise InvalidInput("--held-out must be a frozen set in a heldout* folder")
        if is_retired(found):
            if explicit:
                raise InvalidInput(f"--held-out: {held_out} has been retired into development "
                                   "data (the model trains on it), so it is no longer held out")
            found = None  # the default still names a retired set: say it was not scored
    command = "linkwell advice evaluate"
    if found is not None:
        command += f" --held-out {held_out}"
    if folds != 5:
        command += f" --folds {folds}"
    if write:
        command += f" --write {write}"
    evaluation = cross_validate(folds=folds)
    data = resources.files("linkwell.advice") / "data"
    with resources.as_file(data / "enquiries_dev.jsonl") as dev_path:
        development = cross_validate_cases(dev_path, folds=folds)
    retired = []
    for info in RETIRED_SETS:
        with resources.as_file(data / info.copy) as path:
            retired.append(cross_validate_cases(path, folds=folds))
    frozen = evaluate_cases(found) if found is not None else None
    text = report(evaluation, command=command) + "\n" + enquiry_report(
        development, retired, frozen, held_out if frozen is not None else None)
    if write:
        write.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {write}")
    else:
        typer.echo(text)
    if not evaluation.meets_target():
        raise typer.Exit(1)


@app.command("evaluate-set")
def evaluate_set_command(
    path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="A labelled enquiry set in JSON Lines."),
    show_mistakes: bool = typer.Option(False, "--mistakes",
                                       help="List each case triage gets wrong (refused for "
                                            "a held-out set)."),
) -> None:
    """Score triage on one labelled enquiry set: aggregate figures only, unless --mistakes."""
    from linkwell.advice.accuracy import case_set_report, evaluate_cases, is_held_out, mistakes

    if show_mistakes and is_held_out(path):
        raise InvalidInput("Per-case results of a held-out set are never shown.")
    typer.echo("\n".join(case_set_report(evaluate_cases(path), path.name, "")))
    if show_mistakes:
        for line in mistakes(path):
            typer.echo(line)
