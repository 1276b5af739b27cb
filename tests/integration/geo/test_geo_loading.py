import shutil

import pytest
from geo_fixtures import *  # noqa: F403 - the geo pytest fixtures
from geo_fixtures import FIXTURES, write_xlsx

from linkwell.errors import InvalidInput, NotFound
from linkwell.geo.formats import SourceFileError
from linkwell.geo.loading import LONDON_REGION, load_reference_data
from linkwell.geo.queries import borough_shapes, get_lsoa, lookup_postcode, reference_counts


def _counts(session_factory) -> dict[str, int]:
    with session_factory() as session:
        return reference_counts(session)


def test_load_curated_layout_fills_every_table(engine, session_factory, london_fixture):
    stages = []
    summary = load_reference_data(engine, london_fixture,
                                  progress=lambda stage, done, total: stages.append(stage))
    assert (summary.lsoas, summary.postcodes, summary.boroughs) == (4, 6, 2)
    assert summary.postcode_layout == "Linkwell"
    assert {"LSOAs", "postcodes", "boroughs"} <= set(stages)
    assert _counts(session_factory) == {"lsoas": 4, "postcodes": 6, "boroughs": 2}
    with session_factory() as session:
        lsoa = get_lsoa(session, "E01999904")
        assert (lsoa.name, lsoa.lad_name, lsoa.imd_rank, lsoa.imd_decile) == (
            "Southbank 001B", "Southbank", 32000, 10)
        assert (lsoa.population_total, lsoa.population_0_15, lsoa.population_16_59,
                lsoa.population_60_plus) == (1800, 360, 1080, 360)
        assert lsoa.area_m2 is None
        shapes = borough_shapes(session)
        assert [(s.lad_code, s.name, s.geometry["type"]) for s in shapes] == [
            ("E09999901", "Northbank", "Polygon"), ("E09999902", "Southbank", "MultiPolygon")]


def test_load_twice_replaces_rather_than_adds(engine, session_factory, london_fixture,
                                              onspd_folder):
    load_reference_data(engine, london_fixture)
    load_reference_data(engine, london_fixture)
    assert _counts(session_factory) == {"lsoas": 4, "postcodes": 6, "boroughs": 2}
    load_reference_data(engine, onspd_folder, region=LONDON_REGION)
    assert _counts(session_factory) == {"lsoas": 4, "postcodes": 5, "boroughs": 2}
    with session_factory() as session, pytest.raises(NotFound):
        lookup_postcode(session, "ZX10 1AA")  # only in the curated folder, and cached before


def _broken_copy(source, tmp_path, line: int, replacement: str):
    folder = tmp_path / "broken"
    shutil.copytree(source, folder)
    path = folder / "postcodes.csv"
    lines = path.read_text().splitlines()
    lines[line - 1] = replacement
    path.write_text("\n".join(lines) + "\n")
    return folder


@pytest.mark.parametrize(("replacement", "message"), [
    ("ZX9 1AA,north,-0.10050,E01999903,E09999902",
     "postcodes.csv row 5: lat 'north' is not a number"),
    ("ZX9 1AA,,-0.10050,E01999903,E09999902", "postcodes.csv row 5: lat is empty"),
    ("NOT A POSTCODE,51.48,-0.10,E01999903,E09999902",
     "postcodes.csv row 5: postcode is malformed"),
    ("ZX9 1AA,531000,177000,E01999903,E09999902", "postcodes.csv row 5: lat/lon is not a WGS84"),
    ("zx1 1aa,51.48,-0.10,E01999903,E09999902", "postcodes.csv: a postcode appears more than once"),
])
def test_load_malformed_row_names_file_and_row_and_keeps_old_data(
        engine, session_factory, london_fixture, tmp_path, replacement, message):
    load_reference_data(engine, london_fixture)
    broken = _broken_copy(london_fixture, tmp_path, 5, replacement)
    with pytest.raises(SourceFileError) as excinfo:
        load_reference_data(engine, broken)
    assert message in excinfo.value.detail
    assert excinfo.value.status == 422
    assert _counts(session_factory) == {"lsoas": 4, "postcodes": 6, "boroughs": 2}
    with session_factory() as session:
        assert lookup_postcode(session, "ZX9 1AA").lsoa11cd == "E01999903"


def test_load_lsoa_with_bad_decile_is_refused(engine, london_fixture, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(london_fixture, folder)
    text = (folder / "lsoa2011.csv").read_text().replace(",32000,10,", ",32000,11,")
    (folder / "lsoa2011.csv").write_text(text)
    with pytest.raises(SourceFileError, match=r"lsoa2011.csv row 5: IMD decile 11"):
        load_reference_data(engine, folder)


def test_load_folder_without_postcodes_is_refused(engine, tmp_path):
    with pytest.raises(SourceFileError, match="no postcode file"):
        load_reference_data(engine, tmp_path)
    with pytest.raises(SourceFileError, match="not a folder"):
        load_reference_data(engine, tmp_path / "missing")


def test_load_missing_column_is_named(engine, london_fixture, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(london_fixture, folder)
    text = (folder / "postcodes.csv").read_text().replace("lsoa11cd", "lsoa", 1)
    (folder / "postcodes.csv").write_text(text)
    with pytest.raises(SourceFileError, match="postcodes.csv: missing column.*lsoa11cd"):
        load_reference_data(engine, folder)


def test_load_onspd_layout_for_one_region(engine, session_factory, onspd_folder):
    summary = load_reference_data(engine, onspd_folder, region=LONDON_REGION)
    assert summary.postcode_layout == "ONS Postcode Directory"
    assert (summary.lsoas, summary.postcodes, summary.boroughs) == (4, 5, 2)
    assert (summary.terminated_skipped, summary.unlocated_skipped,
            summary.outside_region_skipped) == (1, 1, 2)
    with session_factory() as session:
        found = lookup_postcode(session, "zx12aa")
        assert (found.postcode, found.lsoa11cd, found.lad_code, found.lad_name,
                found.imd_decile) == ("ZX1 2AA", "E01999902", "E09999901", "Northbank", 5)
        with pytest.raises(NotFound):
            lookup_postcode(session, "ZX1 9ZZ")  # terminated
        lsoa = get_lsoa(session, "E01999902")
        assert lsoa.imd_rank == 15000  # "15,000" in File 1
        assert (lsoa.population_total, lsoa.population_60_plus) == (1600, 320)  # File 6
        assert (lsoa.centroid_lat, lsoa.centroid_lon) == (51.525, -0.09)  # centroids file
        # Not in the centroids file: the mean of its postcodes' points.
        assert (get_lsoa(session, "E01999904").centroid_lat,
                get_lsoa(session, "E01999904").centroid_lon) == (51.4752, -0.0902)
        with pytest.raises(NotFound):
            get_lsoa(session, "E01999905")  # outside the region


def test_load_onspd_layout_for_all_regions(engine, session_factory, onspd_folder):
    summary = load_reference_data(engine, onspd_folder)
    assert (summary.lsoas, summary.postcodes, summary.boroughs) == (5, 7, 3)
    assert summary.postcodes_without_lsoa == 1
    with session_factory() as session:
        welsh = lookup_postcode(session, "ZW1 1AA")
        assert (welsh.lsoa11cd, welsh.lad_code, welsh.imd_decile) == (
            "W01999901", "W06999901", None)
        assert lookup_postcode(session, "ZY1 1AA").lad_name == "Millchester"
        assert len(borough_shapes(session)) == 3


def test_lookup_postcode_malformed_and_unknown_differ(session_factory, engine, london_fixture):
    load_reference_data(engine, london_fixture)
    with session_factory() as session:
        with pytest.raises(InvalidInput) as malformed:
            lookup_postcode(session, "ZX1")
        with pytest.raises(NotFound) as unknown:
            lookup_postcode(session, "ZX1 3ZZ")
    assert (malformed.value.status, unknown.value.status) == (422, 404)
    assert "ZX1" not in unknown.value.detail  # a postcode can be personal data


def test_lookup_postcode_returns_location_with_deprivation(session_factory, engine,
                                                          london_fixture):
    load_reference_data(engine, london_fixture)
    with session_factory() as session:
        first = lookup_postcode(session, " zx10 1aa ")
        again = lookup_postcode(session, "ZX101AA")
    assert first == again
    assert (first.postcode, first.lat, first.lon, first.lsoa11cd, first.lad_code,
            first.lad_name, first.imd_decile) == (
        "ZX10 1AA", 51.4748, -0.0899, "E01999904", "E09999902", "Southbank", 10)
    with pytest.raises(AttributeError):
        first.lat = 0  # frozen


def test_load_malformed_workbook_row_names_the_sheet_and_row(engine, onspd_folder, tmp_path):
    text = (FIXTURES / "onspd" / "imd2019_lsoa.csv").read_text()
    source = tmp_path / "imd.csv"
    source.write_text(text.replace('"15,000",5', '"15,000",five'))
    write_xlsx(source, onspd_folder / "imd2019_lsoa.xlsx")
    with pytest.raises(SourceFileError) as excinfo:
        load_reference_data(engine, onspd_folder)
    assert excinfo.value.detail == (
        "imd2019_lsoa.xlsx:IMD2019 row 3: IMD decile 'five' is not a number")


def test_load_malformed_directory_row_names_the_zip_member(engine, onspd_folder):
    import zipfile

    lines = (FIXTURES / "onspd" / "ONSPD_FEB_2024_UK.csv").read_text().splitlines()
    lines[2] = lines[2].replace("51.519900", "51.5199.00")
    with zipfile.ZipFile(onspd_folder / "ONSPD_FEB_2024_UK.zip", "w") as archive:
        archive.writestr("Data/ONSPD_FEB_2024_UK.csv", "\n".join(lines) + "\n")
    with pytest.raises(SourceFileError) as excinfo:
        load_reference_data(engine, onspd_folder)
    assert excinfo.value.detail == ("ONSPD_FEB_2024_UK.zip:Data/ONSPD_FEB_2024_UK.csv row 3: "
                                    "lat '51.5199.00' is not a number")
