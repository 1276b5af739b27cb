"""``linkwell accountability``: the answer to the three questions, from the command line."""

import json

import typer

from linkwell.commissioning import queries
from linkwell.commissioning.answer import build_answer
from linkwell.commissioning.domain import parse_as_of
from linkwell.db import make_engine, make_sessionmaker
from linkwell.errors import InvalidInput, NotFound
from linkwell.settings import get_settings

app = typer.Typer(help="Public accountability for commissioning: what was funded, "
                       "commissioned and reported.", no_args_is_help=True)


@app.command("answer")
def answer(
    programme: str | None = typer.Option(None, "--programme", help="The programme's short "
                                         "name (slug); needed when there is more than one."),
    as_of: str | None = typer.Option(None, "--as-of", help="Answer as the facts stood on this "
                                     "date (YYYY-MM-DD); default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Answer: funding allocated per commitment, work commissioned, and when it reports."""
    day = parse_as_of(as_of, today=queries.today())
    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            if programme is None:
                known = queries.programmes(session, day)
                if not known:
                    raise NotFound("no programme had been recorded by that date")
                if len(known) > 1:
                    names = ", ".join(p.slug for p in known)
                    raise InvalidInput(f"choose a programme with --programme ({names})")
                programme = known[0].slug
            result = build_answer(queries.programme_state(session, programme, day))
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(result.to_text(), nl=False)
