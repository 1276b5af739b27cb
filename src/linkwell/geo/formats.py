"""Readers for the reference data files, in each layout they are published in.

Every source may arrive as CSV, gzipped CSV, a ZIP holding CSVs (the ONS Postcode Directory) or
an Excel workbook (the English Indices of Deprivation); ``open_table`` detects which from the
file's first bytes, so a folder of downloads and the curated London folder load the same way.
A malformed value raises ``SourceFileError`` naming the file, row and column.
"""

import csv
import gzip
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from linkwell.errors import InvalidInput
from linkwell.geo.postcodes import normalise_postcode

# ONS marks "no such area" (Channel Islands, Isle of Man, unassigned) with pseudo-codes.
_PSEUDO_CODE = re.compile(r"^[A-Z]99999999$")
ONSPD_NO_GRID_LAT = 99.999999


class SourceFileError(InvalidInput):
    """A reference data file is missing, unreadable or has a malformed row."""


@dataclass(slots=True)
class Table:
    """Rows of one source file; ``position`` reports bytes consumed for progress bars."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    size: int
    position: Callable[[], int]

    def error(self, row: int | None, message: str) -> SourceFileError:
        where = f"{self.name} row {row}" if row is not None else self.name
        return SourceFileError(f"{where}: {message}")

    def columns(self, wanted: dict[str, tuple[str, ...]], *, optional: tuple[str, ...] = ()
                ) -> dict[str, int | None]:
        """Find columns by case-insensitive name; a candidate ending in ``*`` matches a prefix."""
        lower = [h.strip().lstrip("\ufeff").lower() for h in self.header]
        found: dict[str, int | None] = {}
        for key, candidates in wanted.items():
            found[key] = next(
                (i for c in candidates for i, h in enumerate(lower)
                 if (h.startswith(c[:-1]) if c.endswith("*") else h == c)),
                None,
            )
        missing = [key for key, index in found.items() if index is None and key not in optional]
        if missing:
            names = ", ".join(wanted[key][0].rstrip("*") for key in missing)
            raise self.error(None, f"missing column(s): {names}")
        return found


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Open CSV, CSV.gz, a ZIP of CSVs (largest member) or XLSX (first sheet of LSOA rows)."""
    path = Path(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise SourceFileError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        size = path.stat().st_size
        try:
            if magic[:2] == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=raw) as binary:
                    yield _csv_table(path.name, binary, size, raw.tell)
            elif magic == b"PK\x03\x04":
                with zipfile.ZipFile(raw) as archive:
                    if "xl/workbook.xml" in archive.namelist():
                        raw.seek(0)
                        yield _xlsx_table(path.name, raw, size)
                    else:
                        member = _largest_csv(path.name, archive)
                        with archive.open(member) as binary:
                            yield _csv_table(f"{path.name}:{member.filename}", binary, size,
                                             raw.tell)
            else:
                yield _csv_table(path.name, raw, size, raw.tell)
        except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error,
                ElementTree.ParseError) as exc:
            raise SourceFileError(f"{path.name}: cannot be read ({exc})") from exc


def _csv_table(name: str, binary, size: int, position: Callable[[], int]) -> Table:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    header = next(reader, None)
    if not header:
        raise SourceFileError(f"{name}: is empty")
    return Table(name, header, enumerate(reader, start=2), size, position)


def _largest_csv(name: str, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
    if not members:
        raise SourceFileError(f"{name}: the ZIP archive holds no CSV file")
    return max(members, key=lambda m: (m.file_size, m.filename))


def _xlsx_table(name: str, binary, size: int) -> Table:
    """The first worksheet whose header names an LSOA code column (IoD files start with notes),
    read with openpyxl in read-only mode (row by row, as the file is large)."""
    from openpyxl import load_workbook  # only the IoD workbooks need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError) as exc:
        raise SourceFileError(f"{name}: cannot be read as a workbook ({exc})") from exc
    for sheet in workbook.worksheets:
        rows = _xlsx_rows(sheet)
        _, header = next(rows, (1, []))
        if any(cell.strip().lower().startswith("lsoa code") for cell in header):
            return Table(f"{name}:{sheet.title}", header, rows, size, lambda: size)
    raise SourceFileError(f"{name}: no worksheet has an 'LSOA code' column")


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    """Each row's number in the sheet and its cells as text, without trailing blanks."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if value is None else str(value) for value in values]
        while cells and cells[-1] == "":
            cells.pop()
        yield number, cells


# --- values ---------------------------------------------------------------------------------

def _text(table: Table, row: int, cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _float(table: Table, row: int, cells: list[str], index: int | None, column: str,
           *, required: bool = True) -> float | None:
    text = _text(table, row, cells, index).replace(",", "")
    if not text:
        if required:
            raise table.error(row, f"{column} is empty")
        return None
    try:
        return float(text)
    except ValueError:
        raise table.error(row, f"{column} {text[:20]!r} is not a number") from None


def _int(table: Table, row: int, cells: list[str], index: int | None, column: str,
         *, required: bool = False) -> int | None:
    value = _float(table, row, cells, index, column, required=required)
    if value is None:
        return None
    if not value.is_integer():
        raise table.error(row, f"{column} {value!r} is not a whole number")
    return int(value)


def _code(text: str) -> str | None:
    return None if not text or _PSEUDO_CODE.match(text) else text


# --- postcodes ------------------------------------------------------------------------------

PostcodeRow = tuple[str, float, float, str | None, str | None]


@dataclass(slots=True)
class PostcodeStats:
    layout: str = ""
    read: int = 0
    terminated: int = 0
    no_location: int = 0
    outside_region: int = 0
    per_lsoa: dict[str, list[float]] = field(default_factory=dict)


def read_postcodes(table: Table, stats: PostcodeStats, *, region: str | None = None
                   ) -> Iterator[PostcodeRow]:
    """Yield (postcode, lat, lon, lsoa11cd, lad_code) for live, located postcodes.

    Two layouts: Linkwell's own (``postcode, lat, lon, lsoa11cd, lad_code``) and the ONS
    Postcode Directory / NSPL (``pcds, lat, long, lsoa11, oslaua|laua, doterm, rgn``), where
    terminated postcodes and those without a grid reference are skipped and ``region`` (an ONS
    region code such as E12000007 for London) keeps only that region's postcodes.
    """
    lower = {h.strip().lower() for h in table.header}
    if "pcds" in lower:
        stats.layout = "ONS Postcode Directory"
        cols = table.columns({"postcode": ("pcds",), "lat": ("lat",), "lon": ("long",),
                              "lsoa": ("lsoa11", "lsoa11cd"), "lad": ("oslaua", "laua", "lad*"),
                              "doterm": ("doterm",), "region": ("rgn",)},
                             optional=("doterm", "region"))
        if region and cols["region"] is None:
            raise table.error(None, "has no rgn column to select a region by")
    else:
        stats.layout = "Linkwell"
        cols = table.columns({"postcode": ("postcode",), "lat": ("lat",), "lon": ("lon",),
                              "lsoa": ("lsoa11cd",), "lad": ("lad_code",)})
        cols["doterm"] = cols["region"] = None
    i_pc, i_lat, i_lon, i_lsoa, i_lad = (cols[k] for k in ("postcode", "lat", "lon", "lsoa", "lad"))
    i_doterm, i_region = cols["doterm"], cols["region"]
    per_lsoa = stats.per_lsoa
    for row, cells in table.rows:
        if not cells:
            continue
        stats.read += 1
        if i_doterm is not None and _text(table, row, cells, i_doterm):
            stats.terminated += 1
            continue
        if region and _text(table, row, cells, i_region) != region:
            stats.outside_region += 1
            continue
        lat = _float(table, row, cells, i_lat, "lat")
        lon = _float(table, row, cells, i_lon, "lon")
        if lat == ONSPD_NO_GRID_LAT:
            stats.no_location += 1
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise table.error(row, "lat/lon is not a WGS84 position")
        try:
            postcode = normalise_postcode(_text(table, row, cells, i_pc))
        except InvalidInput:
            raise table.error(row, "postcode is malformed") from None
        lsoa = _code(_text(table, row, cells, i_lsoa))
        if lsoa is not None:
            sums = per_lsoa.get(lsoa)
            if sums is None:
                per_lsoa[lsoa] = [lat, lon, 1]
            else:
                sums[0] += lat
                sums[1] += lon
                sums[2] += 1
        yield postcode, lat, lon, lsoa, _code(_text(table, row, cells, i_lad))


# --- LSOAs ----------------------------------------------------------------------------------

@dataclass(slots=True)
class LsoaRecord:
    lsoa11cd: str
    name: str
    lad_code: str
    lad_name: str
    msoa11cd: str | None = None
    centroid_lat: float | None = None
    centroid_lon: float | None = None
    area_m2: float | None = None
    imd_rank: int | None = None
    imd_decile: int | None = None
    population_total: int | None = None
    population_0_15: int | None = None
    population_16_59: int | None = None
    population_60_plus: int | None = None


def _decile(table: Table, row: int, value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 10:
        raise table.error(row, f"IMD decile {value} is not from 1 to 10")
    return value


def read_lsoa_table(table: Table) -> dict[str, LsoaRecord]:
    """Linkwell's curated LSOA file (``lsoa2011.csv``)."""
    cols = table.columns({
        "code": ("lsoa11cd",), "name": ("lsoa11nm",), "msoa": ("msoa11cd",),
        "lad_code": ("lad_code",), "lad_name": ("lad_name",), "lat": ("centroid_lat",),
        "lon": ("centroid_lon",), "area": ("area_m2",), "rank": ("imd2019_rank",),
        "decile": ("imd2019_decile",), "total": ("population_2015",),
        "p0": ("population_0_15",), "p16": ("population_16_59",), "p60": ("population_60_plus",),
    }, optional=("msoa", "lat", "lon", "area", "rank", "decile", "total", "p0", "p16", "p60"))
    records: dict[str, LsoaRecord] = {}
    for row, cells in table.rows:
        if not cells:
            continue
        code = _text(table, row, cells, cols["code"])
        if not code:
            raise table.error(row, "lsoa11cd is empty")
        if code in records:
            raise table.error(row, f"LSOA {code} appears twice")
        records[code] = LsoaRecord(
            lsoa11cd=code,
            name=_text(table, row, cells, cols["name"]),
            msoa11cd=_text(table, row, cells, cols["msoa"]) or None,
            lad_code=_text(table, row, cells, cols["lad_code"]),
            lad_name=_text(table, row, cells, cols["lad_name"]),
            centroid_lat=_float(table, row, cells, cols["lat"], "centroid_lat", required=False),
            centroid_lon=_float(table, row, cells, cols["lon"], "centroid_lon", required=False),
            area_m2=_float(table, row, cells, cols["area"], "area_m2", required=False),
            imd_rank=_int(table, row, cells, cols["rank"], "imd2019_rank"),
            imd_decile=_decile(table, row,
                               _int(table, row, cells, cols["decile"], "imd2019_decile")),
            population_total=_int(table, row, cells, cols["total"], "population_2015"),
            population_0_15=_int(table, row, cells, cols["p0"], "population_0_15"),
            population_16_59=_int(table, row, cells, cols["p16"], "population_16_59"),
            population_60_plus=_int(table, row, cells, cols["p60"], "population_60_plus"),
        )
    return records


_POPULATION_COLUMNS = {
    "total": ("total population*",),
    "p0": ("dependent children aged 0-15*",),
    "p16": ("population aged 16-59*",),
    "p60": ("older population aged 60 and over*",),
}


def read_imd(table: Table) -> dict[str, LsoaRecord]:
    """English Indices of Deprivation 2019 File 1 (or File 7, which adds the populations)."""
    cols = table.columns({
        "code": ("lsoa code*",), "name": ("lsoa name*",),
        "lad_code": ("local authority district code*",),
        "lad_name": ("local authority district name*",),
        "rank": ("index of multiple deprivation (imd) rank*",),
        "decile": ("index of multiple deprivation (imd) decile*",),
        **_POPULATION_COLUMNS,
    }, optional=tuple(_POPULATION_COLUMNS))
    records: dict[str, LsoaRecord] = {}
    for row, cells in table.rows:
        code = _text(table, row, cells, cols["code"])
        if not code:
            continue
        records[code] = LsoaRecord(
            lsoa11cd=code,
            name=_text(table, row, cells, cols["name"]),
            lad_code=_text(table, row, cells, cols["lad_code"]),
            lad_name=_text(table, row, cells, cols["lad_name"]),
            imd_rank=_int(table, row, cells, cols["rank"], "IMD rank", required=True),
            imd_decile=_decile(table, row, _int(table, row, cells, cols["decile"], "IMD decile",
                                                required=True)),
            population_total=_int(table, row, cells, cols["total"], "total population"),
            population_0_15=_int(table, row, cells, cols["p0"], "population 0-15"),
            population_16_59=_int(table, row, cells, cols["p16"], "population 16-59"),
            population_60_plus=_int(table, row, cells, cols["p60"], "population 60+"),
        )
    return records


def read_population(table: Table) -> dict[str, tuple[int | None, ...]]:
    """IoD 2019 File 6: mid-2015 population denominators (total, 0-15, 16-59, 60+)."""
    cols = table.columns({"code": ("lsoa code*",), **_POPULATION_COLUMNS})
    result = {}
    for row, cells in table.rows:
        code = _text(table, row, cells, cols["code"])
        if code:
            result[code] = tuple(_int(table, row, cells, cols[key], wanted[0].rstrip("*"))
                                 for key, wanted in _POPULATION_COLUMNS.items())
    return result


def read_centroids(table: Table) -> dict[str, tuple[float, float, float | None]]:
    """ONS LSOA 2011 centroids: ``lsoa11cd`` with LAT/LONG (or X/Y in WGS84), optional area."""
    cols = table.columns({
        "code": ("lsoa11cd",), "lat": ("lat", "latitude", "y"),
        "lon": ("long", "lon", "longitude", "x"),
        "area": ("shape__area", "shape_area", "st_areashape", "area_m2"),
    }, optional=("area",))
    result = {}
    for row, cells in table.rows:
        code = _text(table, row, cells, cols["code"])
        if not code:
            continue
        lat = _float(table, row, cells, cols["lat"], "latitude")
        lon = _float(table, row, cells, cols["lon"], "longitude")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise table.error(row, "centroid is not in WGS84 degrees (British National Grid "
                                   "eastings/northings are not accepted)")
        result[code] = (lat, lon, _float(table, row, cells, cols["area"], "area",
                                         required=False))
    return result


# --- boroughs -------------------------------------------------------------------------------

_LAD_CODE = re.compile(r"^lad\d\dcd$", re.IGNORECASE)
_LAD_NAME = re.compile(r"^lad\d\dnm$", re.IGNORECASE)


def _rounded(coordinates):
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(c, 5) for c in coordinates[:2]]
    return [_rounded(c) for c in coordinates]


def read_boroughs(path: Path) -> dict[str, tuple[str, dict]]:
    """Local authority district boundaries: GeoJSON features with ``LADyyCD``/``LADyyNM``."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            collection = json.load(stream)
    except (OSError, ValueError) as exc:
        raise SourceFileError(f"{path.name}: cannot be read as GeoJSON ({exc})") from exc
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise SourceFileError(f"{path.name}: is not a GeoJSON FeatureCollection")
    result = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = next((v for k, v in properties.items() if _LAD_CODE.match(k)), None)
        name = next((v for k, v in properties.items() if _LAD_NAME.match(k)), None)
        geometry = feature.get("geometry") or {}
        if not code or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise SourceFileError(f"{path.name} feature {number}: needs a LADyyCD property and "
                                  "a Polygon or MultiPolygon geometry")
        result[code] = (name or code, {"type": geometry["type"],
                                       "coordinates": _rounded(geometry["coordinates"])})
    return result
