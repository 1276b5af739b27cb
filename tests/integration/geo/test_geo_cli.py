import pytest
from geo_fixtures import *  # noqa: F403 - the geo pytest fixtures

from conftest import invoke_cli
from linkwell.errors import InvalidInput, NotFound


@pytest.fixture
def geo(database_url, monkeypatch):
    """``linkwell geo ARGS`` against this test's database."""
    return lambda *args: invoke_cli(monkeypatch, "geo", *args, database_url=database_url)


def test_geo_help_lists_the_commands(monkeypatch):
    result = invoke_cli(monkeypatch, "geo", "--help")
    assert result.exit_code == 0
    for command in ("load", "fetch", "postcode"):
        assert command in result.output
    for command in ("load", "fetch", "postcode"):
        assert invoke_cli(monkeypatch, "geo", command, "--help").exit_code == 0


def test_geo_load_then_postcode(geo, london_fixture):
    loaded = geo("load", str(london_fixture))
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded 4 LSOAs, 6 postcodes (Linkwell layout) and 2 boroughs." in loaded.output
    found = geo("postcode", "zx10 1aa")
    assert found.exit_code == 0, found.output
    assert found.output.strip() == ("ZX10 1AA: 51.47480, -0.08990; LSOA E01999904; "
                                    "Southbank (E09999902); IMD 2019 decile 10")


def test_geo_load_onspd_reports_skipped_postcodes(geo, onspd_folder):
    result = geo("load", str(onspd_folder), "--region", "E12000007")
    assert result.exit_code == 0, result.output
    assert "Skipped 1 postcodes terminated." in result.output
    assert "Skipped 2 postcodes outside the region." in result.output


def test_geo_postcode_errors_are_domain_errors(geo, london_fixture):
    assert geo("load", str(london_fixture)).exit_code == 0
    assert isinstance(geo("postcode", "nonsense").exception, InvalidInput)
    assert isinstance(geo("postcode", "ZX1 3ZZ").exception, NotFound)


def test_geo_fetch_with_source_options(geo, http_server, tmp_path, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    result = geo(
        "fetch", "--download-dir", str(tmp_path / "downloads"),
        "--postcodes-url", f"{http_server}/ONSPD_FEB_2024_UK.zip",
        "--imd-url", f"{http_server}/File_1_-_IMD2019.xlsx",
        "--population-url", f"{http_server}/File_6_-_IoD2019.xlsx",
        "--lsoa-centroids-url", "",
        "--boroughs-url", f"{http_server}/LAD_DEC_2022_UK_BUC.geojson",
    )
    assert result.exit_code == 0, result.output
    assert "Loaded 4 LSOAs, 5 postcodes (ONS Postcode Directory layout) and 2 boroughs." in (
        result.output)
    assert not (tmp_path / "downloads" / "lsoa_centroids.csv").exists()
