"""Load the reference tables from a folder of source files, in one transaction.

The folder is either in Linkwell's curated layout (``lsoa2011.csv``, ``postcodes.csv.gz``,
``boroughs.geojson``, as in ``shared/data/london``) or holds the official downloads that
``geo fetch`` saves (ONS Postcode Directory ZIP as ``postcodes.zip``, IoD 2019 File 1 and
File 6, LSOA centroids, LAD boundaries). Postcodes are streamed into the database in batches
(COPY on PostgreSQL); everything is replaced at once, so readers see the old data or the new,
never a mixture, and a malformed row leaves the old data in place.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, delete, insert
from sqlalchemy.exc import IntegrityError

from linkwell.geo import formats
from linkwell.geo.formats import LsoaRecord, PostcodeStats, SourceFileError, open_table
from linkwell.geo.models import Borough, Lsoa, Postcode
from linkwell.geo.queries import clear_postcode_cache

LONDON_REGION = "E12000007"
BATCH = 20_000

# Progress reports: (stage, done, total), e.g. ("postcodes", bytes_read, file_size).
Progress = Callable[[str, int, int], None]

POSTCODE_FILES = ("postcodes.csv.gz", "postcodes.csv", "postcodes.zip")
POSTCODE_PATTERNS = ("ONSPD*.zip", "ONSPD*.csv", "NSPL*.zip", "NSPL*.csv")
LSOA_FILE = "lsoa2011.csv"
IMD_PATTERN = "imd2019_lsoa.*"
POPULATION_PATTERN = "imd2019_population_denominators.*"
CENTROIDS_PATTERN = "lsoa_centroids.*"
BOROUGHS_FILE = "boroughs.geojson"


@dataclass(frozen=True, slots=True)
class SourceFiles:
    postcodes: Path
    lsoas: Path | None = None
    imd: Path | None = None
    population: Path | None = None
    centroids: Path | None = None
    boroughs: Path | None = None


@dataclass(frozen=True, slots=True)
class LoadSummary:
    lsoas: int
    postcodes: int
    boroughs: int
    postcode_layout: str
    terminated_skipped: int
    unlocated_skipped: int
    outside_region_skipped: int
    postcodes_without_lsoa: int


def _first(folder: Path, names: Iterable[str]) -> Path | None:
    for name in names:
        matches = sorted(folder.glob(name))
        if matches:
            return matches[0]
    return None


def find_sources(folder: Path) -> SourceFiles:
    """Recognise the files in ``folder`` by name; their format is detected when read."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceFileError(f"{folder} is not a folder of reference data")
    postcodes = _first(folder, POSTCODE_FILES + POSTCODE_PATTERNS)
    if postcodes is None:
        raise SourceFileError(f"{folder} has no postcode file (postcodes.csv.gz, postcodes.zip "
                              "or an ONS Postcode Directory ONSPD_*.zip)")
    sources = SourceFiles(
        postcodes=postcodes,
        lsoas=_first(folder, [LSOA_FILE]),
        imd=_first(folder, [IMD_PATTERN]),
        population=_first(folder, [POPULATION_PATTERN]),
        centroids=_first(folder, [CENTROIDS_PATTERN]),
        boroughs=_first(folder, [BOROUGHS_FILE]),
    )
    if sources.lsoas is None and sources.imd is None:
        raise SourceFileError(f"{folder} has no LSOA file ({LSOA_FILE}, or the IoD 2019 File 1 "
                              "saved as imd2019_lsoa.xlsx/.csv)")
    return sources


def _read_lsoas(sources: SourceFiles) -> dict[str, LsoaRecord]:
    if sources.lsoas is not None:
        with open_table(sources.lsoas) as table:
            return formats.read_lsoa_table(table)
    with open_table(sources.imd) as table:
        records = formats.read_imd(table)
    if sources.population is not None:
        with open_table(sources.population) as table:
            for code, (total, p0, p16, p60) in formats.read_population(table).items():
                record = records.get(code)
                if record is not None:
                    record.population_total, record.population_0_15 = total, p0
                    record.population_16_59, record.population_60_plus = p16, p60
    if sources.centroids is not None:
        with open_table(sources.centroids) as table:
            for code, (lat, lon, area) in formats.read_centroids(table).items():
                record = records.get(code)
                if record is not None:
                    record.centroid_lat, record.centroid_lon, record.area_m2 = lat, lon, area
    return records


def _batches(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while batch := list(islice(rows, size)):
        yield batch


def _bulk_insert(conn: Connection, table: Table, columns: list[str], rows: Iterator[tuple],
                 on_batch: Callable[[], None] = lambda: None) -> int:
    """COPY on PostgreSQL, driver-level executemany elsewhere; returns the row count."""
    count = 0
    if conn.dialect.name == "postgresql":
        import psycopg

        names = ", ".join(columns)
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for batch in _batches(rows, BATCH):
                    for row in batch:
                        copy.write_row(row)
                    count += len(batch)
                    on_batch()
        except psycopg.errors.UniqueViolation as exc:
            raise IntegrityError(f"COPY {table.name}", None, exc) from exc
        finally:
            cursor.close()
        return count
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
    # Table and column names are this module's constants, never input.
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    for batch in _batches(rows, BATCH):
        conn.exec_driver_sql(sql, batch)
        count += len(batch)
        on_batch()
    return count


def _clear(conn: Connection) -> None:
    tables = [Postcode.__table__, Lsoa.__table__, Borough.__table__]
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"TRUNCATE {', '.join(t.name for t in tables)}")
    else:
        for table in tables:
            conn.execute(delete(table))


_LSOA_COLUMNS = ["lsoa11cd", "name", "msoa11cd", "lad_code", "lad_name", "centroid_lat",
                 "centroid_lon", "area_m2", "imd_rank", "imd_decile", "population_total",
                 "population_0_15", "population_16_59", "population_60_plus"]
_POSTCODE_COLUMNS = ["postcode", "lat", "lon", "lsoa11cd", "lad_code"]


def load_reference_data(engine: Engine, folder: Path, *, region: str | None = None,
                        progress: Progress | None = None) -> LoadSummary:
    """Replace the LSOA, postcode and borough tables with the contents of ``folder``.

    ``region`` (an ONS region code, e.g. ``LONDON_REGION``) keeps only that region's postcodes
    from an ONS Postcode Directory; when LSOAs come from the England-wide IoD file, only LSOAs
    that loaded postcodes fall in are kept.
    """
    report = progress or (lambda stage, done, total: None)
    sources = find_sources(Path(folder))
    lsoas = _read_lsoas(sources)
    report("LSOAs", len(lsoas), len(lsoas))
    shapes = formats.read_boroughs(sources.boroughs) if sources.boroughs else {}

    stats = PostcodeStats()
    with engine.begin() as conn:
        _clear(conn)
        with open_table(sources.postcodes) as table:
            rows = formats.read_postcodes(table, stats, region=region)
            try:
                postcodes = _bulk_insert(
                    conn, Postcode.__table__, _POSTCODE_COLUMNS, rows,
                    lambda: report("postcodes", table.position(), table.size))
            except IntegrityError:
                raise SourceFileError(f"{table.name}: a postcode appears more than once") from None
            report("postcodes", table.size, table.size)

        if sources.lsoas is None:
            lsoas = {code: record for code, record in lsoas.items() if code in stats.per_lsoa}
        for code, record in lsoas.items():
            if record.centroid_lat is None and code in stats.per_lsoa:
                sum_lat, sum_lon, n = stats.per_lsoa[code]
                record.centroid_lat = round(sum_lat / n, 5)
                record.centroid_lon = round(sum_lon / n, 5)
        _bulk_insert(conn, Lsoa.__table__, _LSOA_COLUMNS,
                     (tuple(getattr(r, c) for c in _LSOA_COLUMNS) for r in lsoas.values()))

        boroughs = {r.lad_code: r.lad_name for r in lsoas.values()}
        if boroughs:
            conn.execute(insert(Borough), [
                {"lad_code": code, "name": name, "boundary": shapes.get(code, (None, None))[1]}
                for code, name in sorted(boroughs.items())
            ])
        report("boroughs", len(boroughs), len(boroughs))
    clear_postcode_cache()
    return LoadSummary(
        lsoas=len(lsoas),
        postcodes=postcodes,
        boroughs=len(boroughs),
        postcode_layout=stats.layout,
        terminated_skipped=stats.terminated,
        unlocated_skipped=stats.no_location,
        outside_region_skipped=stats.outside_region,
        postcodes_without_lsoa=sum(int(n) for code, (_, _, n) in stats.per_lsoa.items()
                                   if code not in lsoas),
    )
