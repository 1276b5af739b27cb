"""``linkwell evaluate``: evaluate the database (``--db``) or files (people, measurements and
optional extras) into JSON, HTML and PDF; ``linkwell evaluate simulate`` writes synthetic input
files to try it on."""

import json
import time
from pathlib import Path

import typer

from linkwell.settings import get_settings

app = typer.Typer(help="Evaluate reach, outcomes, attrition, comparison and cost.",
                  invoke_without_command=True)

AUDIENCE_HELP = ("public (suppressed and rounded), commissioner (suppressed) or evaluator "
                 "(unsuppressed aggregates; never publish)")


@app.callback(invoke_without_command=True)
def evaluate(
    ctx: typer.Context,
    db: bool = typer.Option(False, "--db", help="Evaluate the data in the database "
                                                "(LINKWELL_DATABASE_URL) instead of files."),
    programme: str | None = typer.Option(None, help="With --db: the commissioning programme "
                                                    "whose funding the cost analysis uses "
                                                    "(default: the only one)."),
    people: Path | None = typer.Option(None, help="people.csv: person_id, sex, age, ethnicity, "
                                                  "lsoa11cd, referred_on[, episode_completed]"),
    measurements: Path | None = typer.Option(None, help="measurements.csv: person_id, "
                                                        "episode_id, instrument, timepoint, "
                                                        "measured_on, score"),
    comparison: Path | None = typer.Option(None, help="Comparison cohort (long form)."),
    funding: Path | None = typer.Option(None, help="funding.csv: total_pence[, low_pence, "
                                                   "high_pence, label]"),
    services: Path | None = typer.Option(None, help="services.csv for access distances."),
    capacity: Path | None = typer.Option(None, help="capacity.csv: lad_code, caseload_places"),
    lsoa: Path | None = typer.Option(None, help="LSOA reference CSV (default: "
                                                "<geo data path>/lsoa2011.csv)."),
    boroughs: Path | None = typer.Option(None, help="Borough boundaries GeoJSON for the map "
                                                    "(default: <geo data path>/boroughs.geojson)."),
    json_out: Path | None = typer.Option(None, "--json", help="Where to write the JSON."),
    html: Path | None = typer.Option(None, help="Where to write the HTML report."),
    pdf: Path | None = typer.Option(None, help="Where to write the PDF report."),
    audience: str = typer.Option("commissioner", help=AUDIENCE_HELP),
    psm: bool = typer.Option(True, help="Run propensity-score matching (slow on big cohorts)."),
    seed: int = typer.Option(2019, help="Seed for imputation, matching and bootstrap."),
) -> None:
    """Evaluate the database or the files given; write the JSON and, if asked, the HTML and
    PDF report."""
    if ctx.invoked_subcommand is not None:
        return
    from linkwell.evaluation.disclosure import AUDIENCES
    from linkwell.evaluation.engine import evaluate as run
    from linkwell.evaluation.engine import json_ready

    if json_out is None:
        raise typer.BadParameter("--json is required (where to write the result)")
    if audience not in AUDIENCES:
        raise typer.BadParameter(f"--audience must be one of {', '.join(AUDIENCES)}")
    started = time.perf_counter()
    if db:
        if any(f is not None for f in (people, measurements, comparison, funding, services,
                                       capacity, lsoa, boroughs)):
            raise typer.BadParameter("--db reads everything from the database: give no files")
        frames = _from_database(programme)
    else:
        if people is None or measurements is None:
            raise typer.BadParameter("give --db, or --people and --measurements")
        from linkwell.evaluation.inputs import load, read_boroughs_geojson

        geo = get_settings().geo_data_path
        frames = load(people=people, measurements=measurements,
                      lsoa=lsoa or geo / "lsoa2011.csv", comparison=comparison, funding=funding,
                      services=services, capacity=capacity,
                      boroughs=read_boroughs_geojson(boroughs or geo / "boroughs.geojson"))
    timings = {"read": time.perf_counter() - started}
    result = run(frames, audience=audience, with_psm=psm, seed=seed, timings=timings)
    json_out.write_text(json.dumps(json_ready(result), indent=1, allow_nan=False),
                        encoding="utf-8")
    typer.echo(f"Wrote {json_out}")
    if html or pdf:
        from linkwell.evaluation.report import render_html
        from linkwell.web.pdf import write_pdf

        html_path = html or pdf.with_suffix(".html")
        html_path.write_text(render_html(result, boroughs=frames.boroughs), encoding="utf-8")
        if html:
            typer.echo(f"Wrote {html}")
        if pdf:
            write_pdf(html_path, pdf)
            typer.echo(f"Wrote {pdf}")
    typer.echo("Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


def _from_database(programme: str | None):
    from linkwell.db import make_engine, make_sessionmaker
    from linkwell.evaluation.db_inputs import load_from_db

    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return load_from_db(session, programme=programme)
    finally:
        engine.dispose()


@app.command("simulate")
def simulate_files(
    people: int = typer.Option(1000, min=1, help="How many people to simulate."),
    out: Path = typer.Option(..., help="Directory for the CSV files."),
    comparison: int = typer.Option(0, min=0, help="Size of a simulated comparison cohort."),
    seed: int = typer.Option(2019),
    lsoa: Path | None = typer.Option(None, help="LSOA reference CSV."),
) -> None:
    """Write synthetic London referrals with a known effect (people, measurements, and
    comparison, funding, services and capacity files) for trying ``linkwell evaluate``."""
    from linkwell.evaluation.inputs import load_lsoa
    from linkwell.evaluation.simulate import simulate, write_files

    reference = load_lsoa(lsoa or get_settings().geo_data_path / "lsoa2011.csv")
    written = write_files(simulate(reference, people, seed=seed, comparison=comparison), out)
    for path in written.values():
        typer.echo(f"Wrote {path}")


@app.command("report")
def report(run_id: int = typer.Argument(..., help="The stored evaluation run (see /evaluation)."),
           audience: str = typer.Option("commissioner", help=AUDIENCE_HELP),
           pdf: bool = typer.Option(True, help="Also print the PDF (needs Chromium).")) -> None:
    """Build a stored run's report for one audience once and store it, so the site serves the
    page and the downloads from the store."""
    from linkwell.db import make_engine, make_sessionmaker
    from linkwell.evaluation.commands import build_report
    from linkwell.evaluation.disclosure import AUDIENCES

    if audience not in AUDIENCES:
        raise typer.BadParameter(f"--audience must be one of {', '.join(AUDIENCES)}")
    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            for kind in ("body", "html", "pdf") if pdf else ("body", "html"):
                with session.begin():
                    stored = build_report(session, run_id=run_id, audience=audience, kind=kind,
                                          by=None)
                    typer.echo(f"Stored the {kind} report of run {run_id} for {audience}: "
                               f"{len(stored.content):,} bytes")
    finally:
        engine.dispose()
