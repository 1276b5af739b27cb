"""``linkwell geo``: load, fetch and look up the geography reference data."""

from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from linkwell.db import make_engine, make_sessionmaker
from linkwell.settings import get_settings

app = typer.Typer(help="Geography reference data: postcodes, LSOAs with IMD 2019, boroughs.",
                  no_args_is_help=True)

_REGION_HELP = ("ONS region code whose postcodes to keep from an ONS Postcode Directory "
                "(E12000007 is London); 'all' keeps every postcode.")


class _Bars:
    """Adapts the loaders' (stage, done, total) reports to rich progress bars."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(task, completed=done, total=total or None)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<22}"), BarColumn(), TaskProgressColumn(),
                    TimeElapsedColumn(), transient=False)


def _region(value: str) -> str | None:
    return None if value.strip().lower() in ("", "all") else value.strip()


def _print_summary(summary) -> None:
    typer.echo(f"Loaded {summary.lsoas:,} LSOAs, {summary.postcodes:,} postcodes "
               f"({summary.postcode_layout} layout) and {summary.boroughs:,} boroughs.")
    skipped = {"terminated": summary.terminated_skipped,
               "without a grid reference": summary.unlocated_skipped,
               "outside the region": summary.outside_region_skipped}
    for reason, count in skipped.items():
        if count:
            typer.echo(f"Skipped {count:,} postcodes {reason}.")
    if summary.postcodes_without_lsoa:
        typer.echo(f"{summary.postcodes_without_lsoa:,} postcodes are in LSOAs with no "
                   "IMD 2019 entry (outside England).")


@app.command("load")
def load(
    path: Path | None = typer.Argument(
        None, help="Folder of source files (default: LINKWELL_GEO_DATA_PATH, the shared "
                   "London data)."),
    region: str = typer.Option("all", help=_REGION_HELP),
) -> None:
    """Replace the reference tables with a folder's files, in one transaction.

    Layout of shared/data/london (lsoa2011.csv, postcodes.csv.gz, boroughs.geojson),
    or the official files as `geo fetch --download-dir` saves them (see docs/geo.md).
    """
    from linkwell.geo.loading import load_reference_data

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with _progress() as progress:
            summary = load_reference_data(engine, path or settings.geo_data_path,
                                          region=_region(region), progress=_Bars(progress))
    finally:
        engine.dispose()
    _print_summary(summary)


@app.command("fetch")
def fetch(
    download_dir: Path | None = typer.Option(
        None, help="Keep the downloads in this folder (re-load later with `geo load`)."),
    region: str = typer.Option("E12000007", help=_REGION_HELP),
    postcodes_url: str | None = typer.Option(None, help="ONS Postcode Directory ZIP."),
    imd_url: str | None = typer.Option(None, help="IoD 2019 File 1 (XLSX or CSV)."),
    population_url: str | None = typer.Option(None, help="IoD 2019 File 6 (XLSX or CSV)."),
    lsoa_centroids_url: str | None = typer.Option(
        None, help="ONS LSOA 2011 centroids CSV ('' to use postcode means)."),
    boroughs_url: str | None = typer.Option(None, help="ONS LAD boundaries GeoJSON."),
) -> None:
    """Download the official sources (ONS, MHCLG) and load them.

    Source URLs: linkwell.geo.fetch.GeoSources, LINKWELL_GEO_SOURCE_* or the options below.
    """
    from linkwell.geo.fetch import GeoSources, fetch_reference_data

    overrides = {"postcodes": postcodes_url, "imd": imd_url, "population": population_url,
                 "lsoa_centroids": lsoa_centroids_url, "boroughs": boroughs_url}
    sources = GeoSources(**{k: v for k, v in overrides.items() if v is not None})
    engine = make_engine(get_settings().database_url)
    try:
        with _progress() as progress:
            summary = fetch_reference_data(engine, sources=sources, download_dir=download_dir,
                                           region=_region(region), progress=_Bars(progress))
    finally:
        engine.dispose()
    _print_summary(summary)


@app.command("postcode")
def postcode(text: str = typer.Argument(..., help="A postcode in any case or spacing.")) -> None:
    """Look up a postcode: its point, LSOA, borough and IMD 2019 decile."""
    from linkwell.geo.queries import lookup_postcode

    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            found = lookup_postcode(session, text)
    finally:
        engine.dispose()
    decile = found.imd_decile if found.imd_decile is not None else "unknown"
    typer.echo(f"{found.postcode}: {found.lat:.5f}, {found.lon:.5f}; LSOA {found.lsoa11cd or '-'}"
               f"; {found.lad_name or '-'} ({found.lad_code or '-'}); IMD 2019 decile {decile}")
