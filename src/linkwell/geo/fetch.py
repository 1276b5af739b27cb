"""Download the official public sources and load them, for machines without ``shared/``.

The source URLs live here, in ``GeoSources``; each can be overridden with an environment
variable (``LINKWELL_GEO_SOURCE_POSTCODES`` ...) or a ``geo fetch`` option, e.g. to pick up a
newer ONS Postcode Directory release or to point tests at a local server. All are published
under the Open Government Licence v3.0.
"""

import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine

from linkwell.errors import LinkwellError
from linkwell.geo.loading import LONDON_REGION, LoadSummary, Progress, load_reference_data

_ARCGIS_ITEMS = "https://www.arcgis.com/sharing/rest/content/items"
_IOD2019 = ("https://assets.publishing.service.gov.uk/government/uploads/system/uploads/"
            "attachment_data/file")


class GeoSources(BaseSettings):
    """Where ``geo fetch`` downloads each source from."""

    model_config = SettingsConfigDict(env_prefix="LINKWELL_GEO_SOURCE_", extra="ignore")

    # ONS Postcode Directory (ZIP of CSVs; February 2024 release).
    postcodes: str = f"{_ARCGIS_ITEMS}/e14b1475ecf74b58804cf667b6740706/data"
    # MHCLG English Indices of Deprivation 2019, File 1 (IMD ranks and deciles).
    imd: str = f"{_IOD2019}/833970/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
    # IoD 2019 File 6: mid-2015 population denominators by age band.
    population: str = f"{_IOD2019}/833980/File_6_-_IoD2019_Population_Denominators.xlsx"
    # ONS LSOA (December 2011) population-weighted centroids, CSV in WGS84. Empty: LSOA
    # centroids are then the mean of their postcodes' points.
    lsoa_centroids: str = ("https://opendata.arcgis.com/api/v3/datasets/"
                           "b7c49538f0464f748dd7137247bbc41c_0/downloads/data"
                           "?format=csv&spatialRefId=4326&where=1%3D1")
    # ONS Local Authority Districts (December 2022) ultra generalised boundaries, GeoJSON.
    boroughs: str = ("https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
                     "Local_Authority_Districts_December_2022_UK_BUC_V2/FeatureServer/0/query"
                     "?where=1%3D1&outFields=LAD22CD,LAD22NM&outSR=4326&f=geojson")


# The name each download is saved under, as ``geo load`` recognises it (extension added
# from the content).
SAVE_AS = {
    "postcodes": "postcodes",
    "imd": "imd2019_lsoa",
    "population": "imd2019_population_denominators",
    "lsoa_centroids": "lsoa_centroids",
    "boroughs": "boroughs",
}


class SourceUnavailable(LinkwellError):
    status = 502
    title = "Reference data source unavailable"


def _extension(path: Path, name: str) -> str:
    if name == "boroughs":
        return ".geojson"
    with path.open("rb") as stream:
        magic = stream.read(4)
    if magic[:2] == b"\x1f\x8b":
        return ".csv.gz"
    if magic == b"PK\x03\x04":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            return ".xlsx" if "xl/workbook.xml" in archive.namelist() else ".zip"
    return ".csv"


def download(client: httpx.Client, url: str, folder: Path, name: str,
             progress: Callable[[str, int, int], None]) -> Path:
    """Stream ``url`` to ``folder/<SAVE_AS name>.<ext>``; a failed download leaves no file."""
    partial = folder / f"{SAVE_AS[name]}.part"
    stage = f"download {name}"
    try:
        with client.stream("GET", url) as response, partial.open("wb") as out:
            response.raise_for_status()
            total = int(response.headers.get("content-length") or 0)
            done = 0
            for chunk in response.iter_bytes(1 << 16):
                out.write(chunk)
                done += len(chunk)
                progress(stage, done, total)
    except httpx.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise SourceUnavailable(f"Could not download {name} from {url}: {exc}") from exc
    target = folder / f"{SAVE_AS[name]}{_extension(partial, name)}"
    partial.replace(target)
    return target


def fetch_reference_data(engine: Engine, *, sources: GeoSources | None = None,
                         download_dir: Path | None = None, region: str | None = LONDON_REGION,
                         progress: Progress | None = None, timeout: float = 120.0
                         ) -> LoadSummary:
    """Download every source (into ``download_dir``, kept, or a temporary folder) and load it."""
    sources = sources or GeoSources()
    report = progress or (lambda stage, done, total: None)
    with tempfile.TemporaryDirectory(prefix="linkwell-geo-") as scratch:
        folder = Path(download_dir) if download_dir else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        with httpx.Client(follow_redirects=True, timeout=timeout) as client:
            for name in SAVE_AS:
                url = getattr(sources, name)
                if url:
                    download(client, url, folder, name, report)
        return load_reference_data(engine, folder, region=region, progress=progress)
