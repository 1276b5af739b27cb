"""Geo test helpers: fixture folders in the official layouts and a local HTTP server.

Imported by the geo test modules (a conftest.py here would shadow the root `conftest`
module that other tests import from).

The ONS Postcode Directory arrives as a ZIP and the IoD 2019 files as Excel workbooks; the
fixtures are kept as readable CSV in tests/fixtures/geo and packed here, per test.
"""

import csv
import functools
import re
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

__all__ = ["http_server", "london_fixture", "official_downloads", "onspd_folder"]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "geo"
_NUMBER = re.compile(r"^-?[0-9][0-9,]*(\.[0-9]+)?$")


def write_xlsx(source: Path, dest: Path) -> Path:
    """A two-sheet workbook like the IoD 2019 files: a Notes sheet, then the data sheet, with
    numbers in numeric cells (written by openpyxl, as Excel would)."""
    from openpyxl import Workbook

    with source.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["English Indices of Deprivation 2019"])
    notes.append(["Fictional test data"])
    data = book.create_sheet("IMD2019")
    for row in rows:
        data.append([float(v.replace(",", "")) if _NUMBER.match(v) else (v or None)
                     for v in row])
    book.save(dest)
    return dest


def write_onspd_zip(dest: Path) -> Path:
    """The ONSPD ZIP: the whole-UK CSV under Data/, plus a smaller lookup under Documents/."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURES / "onspd" / "ONSPD_FEB_2024_UK.csv", "Data/ONSPD_FEB_2024_UK.csv")
        archive.writestr("Documents/LA_UA names and codes UK as at 04_23.csv",
                         "LAD23CD,LAD23NM\nE09999901,Northbank\n")
    return dest


@pytest.fixture
def london_fixture() -> Path:
    """Linkwell's curated layout, as in shared/data/london."""
    return FIXTURES / "london"


@pytest.fixture
def official_downloads(tmp_path) -> Path:
    """The official files as the sources publish them (ZIP, XLSX, CSV, GeoJSON)."""
    source = FIXTURES / "onspd"
    folder = tmp_path / "official"
    folder.mkdir()
    write_onspd_zip(folder / "ONSPD_FEB_2024_UK.zip")
    write_xlsx(source / "imd2019_lsoa.csv", folder / "File_1_-_IMD2019.xlsx")
    write_xlsx(source / "imd2019_population_denominators.csv", folder / "File_6_-_IoD2019.xlsx")
    shutil.copy(source / "lsoa_centroids.csv", folder / "lsoa_centroids.csv")
    shutil.copy(source / "boroughs.geojson", folder / "LAD_DEC_2022_UK_BUC.geojson")
    return folder


@pytest.fixture
def onspd_folder(official_downloads, tmp_path) -> Path:
    """The official files under the names `geo load` recognises."""
    folder = tmp_path / "onspd"
    folder.mkdir()
    shutil.copy(official_downloads / "ONSPD_FEB_2024_UK.zip", folder / "ONSPD_FEB_2024_UK.zip")
    shutil.copy(official_downloads / "File_1_-_IMD2019.xlsx", folder / "imd2019_lsoa.xlsx")
    shutil.copy(official_downloads / "File_6_-_IoD2019.xlsx",
                folder / "imd2019_population_denominators.xlsx")
    shutil.copy(official_downloads / "lsoa_centroids.csv", folder / "lsoa_centroids.csv")
    shutil.copy(official_downloads / "LAD_DEC_2022_UK_BUC.geojson", folder / "boroughs.geojson")
    return folder


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def http_server(official_downloads):
    """Serves the official fixture files on 127.0.0.1, as the ONS and MHCLG sites would."""
    handler = functools.partial(_QuietHandler, directory=str(official_downloads))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
