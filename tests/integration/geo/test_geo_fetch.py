import pytest
from geo_fixtures import *  # noqa: F403 - the geo pytest fixtures

from linkwell.geo.fetch import GeoSources, SourceUnavailable, fetch_reference_data
from linkwell.geo.loading import load_reference_data
from linkwell.geo.queries import get_lsoa, lookup_postcode, reference_counts


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def _sources(base: str, **overrides) -> GeoSources:
    urls = {
        "postcodes": f"{base}/ONSPD_FEB_2024_UK.zip",
        "imd": f"{base}/File_1_-_IMD2019.xlsx",
        "population": f"{base}/File_6_-_IoD2019.xlsx",
        "lsoa_centroids": f"{base}/lsoa_centroids.csv",
        "boroughs": f"{base}/LAD_DEC_2022_UK_BUC.geojson",
    }
    return GeoSources(**(urls | overrides))


def test_geo_sources_are_overridable_from_the_environment(monkeypatch):
    monkeypatch.setenv("LINKWELL_GEO_SOURCE_POSTCODES", "http://127.0.0.1:1/onspd.zip")
    sources = GeoSources()
    assert sources.postcodes == "http://127.0.0.1:1/onspd.zip"
    assert sources.imd.startswith("https://assets.publishing.service.gov.uk/")


def test_fetch_downloads_the_official_files_and_loads_them(
        engine, session_factory, http_server, tmp_path):
    stages = []
    keep = tmp_path / "downloads"
    summary = fetch_reference_data(engine, sources=_sources(http_server), download_dir=keep,
                                   progress=lambda stage, done, total: stages.append(stage))
    assert (summary.lsoas, summary.postcodes, summary.boroughs) == (4, 5, 2)
    assert "download postcodes" in stages and "postcodes" in stages
    assert sorted(p.name for p in keep.iterdir()) == [
        "boroughs.geojson", "imd2019_lsoa.xlsx", "imd2019_population_denominators.xlsx",
        "lsoa_centroids.csv", "postcodes.zip"]
    with session_factory() as session:
        found = lookup_postcode(session, "zx9 1aa")
        assert (found.lsoa11cd, found.lad_name, found.imd_decile) == (
            "E01999903", "Southbank", 8)
        assert get_lsoa(session, "E01999903").population_total == 1700
    # The kept downloads re-load the same tables with `geo load`.
    again = load_reference_data(engine, keep, region="E12000007")
    assert (again.lsoas, again.postcodes, again.boroughs) == (4, 5, 2)


def test_fetch_without_centroid_source_uses_postcode_means(engine, session_factory,
                                                           http_server):
    fetch_reference_data(engine, sources=_sources(http_server, lsoa_centroids=""))
    with session_factory() as session:
        lsoa = get_lsoa(session, "E01999901")
    assert (lsoa.centroid_lat, lsoa.centroid_lon) == (51.52, -0.1)  # mean of ZX1 1AA, ZX1 1AB


def test_fetch_every_region(engine, session_factory, http_server):
    summary = fetch_reference_data(engine, sources=_sources(http_server), region=None)
    assert (summary.lsoas, summary.postcodes, summary.boroughs) == (5, 7, 3)


def test_fetch_unreachable_source_fails_cleanly_and_keeps_old_data(
        engine, session_factory, http_server, london_fixture, tmp_path):
    load_reference_data(engine, london_fixture)
    keep = tmp_path / "downloads"
    sources = _sources(http_server, population=f"{http_server}/no-such-file.xlsx")
    with pytest.raises(SourceUnavailable) as excinfo:
        fetch_reference_data(engine, sources=sources, download_dir=keep)
    assert excinfo.value.status == 502
    assert "population" in excinfo.value.detail and "404" in excinfo.value.detail
    assert not list(keep.glob("*.part"))
    with session_factory() as session:
        assert reference_counts(session) == {"lsoas": 4, "postcodes": 6, "boroughs": 2}
