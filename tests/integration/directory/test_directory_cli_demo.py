"""The ``linkwell directory`` and ``linkwell demo-data`` commands, and the demo generator."""

import json
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from conftest import invoke_cli
from linkwell.db import transaction
from linkwell.directory import queries, taxonomy
from linkwell.directory.demo import LOOK_ALIKES, create_directory
from linkwell.directory.merges import find_duplicates
from linkwell.directory.models import DuplicateCandidate
from linkwell.directory.standard import TABLES
from linkwell.errors import InvalidInput
from linkwell.geo.models import Lsoa, Postcode
from linkwell.settings import PROJECT_ROOT

EXAMPLE_CSV = PROJECT_ROOT.parent / "shared" / "standards" / "hsds-3.0" / "examples" / "csv"
TODAY = date(2026, 1, 15)

# Three boroughs, two LSOAs each, three postcodes per LSOA: enough to place every site.
BOROUGHS = {"E09000001": "City of London", "E09000028": "Southwark", "E09000012": "Hackney"}


def _geo_rows():
    lsoas, postcodes = [], []
    for b, (lad_code, lad_name) in enumerate(sorted(BOROUGHS.items())):
        for i in range(2):
            code = f"E0100{b}{i:03d}"
            lat, lon = 51.50 + b * 0.02 + i * 0.005, -0.10 + b * 0.03 + i * 0.004
            lsoas.append(Lsoa(lsoa11cd=code, name=f"{lad_name} 00{i}A", lad_code=lad_code,
                              lad_name=lad_name, centroid_lat=lat, centroid_lon=lon))
            for k in range(3):
                postcodes.append(Postcode(postcode=f"E{b}{i} {k}AA", lat=lat + k * 0.001,
                                          lon=lon - k * 0.001, lsoa11cd=code,
                                          lad_code=lad_code))
    return lsoas, postcodes


@pytest.fixture
def geo(session_factory):
    lsoas, postcodes = _geo_rows()
    with transaction(session_factory) as session:
        session.add_all(lsoas + postcodes)


@pytest.fixture
def cli(database_url, monkeypatch):
    """``linkwell ARGS`` against this test's database."""
    return lambda *args: invoke_cli(monkeypatch, *args, database_url=database_url)


def _snapshot(session) -> dict[str, list[tuple]]:
    names = [*TABLES, "service_capacity"]
    out = {}
    for name in names:
        t = queries.table(name)
        out[name] = [tuple(r) for r in session.execute(select(t).order_by(*t.primary_key))]
    return out


# --- Demo generator -----------------------------------------------------------------------------

def test_demo_directory_is_the_same_for_the_same_seed(session_factory, geo):
    snapshots = []
    for seed in (7, 7, 8):
        session = session_factory()
        with session.begin():
            create_directory(session, services=120, seed=seed, today=TODAY)
            snapshots.append(_snapshot(session))
            session.rollback()
        session.close()

    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["service"] != snapshots[2]["service"]


def test_demo_directory_covers_boroughs_and_is_plausible(session_factory, geo):
    with transaction(session_factory) as session:
        summary = create_directory(session, services=200, seed=1, today=TODAY)

    assert "200 services" in summary and "3 boroughs" in summary
    with session_factory() as session:
        services = queries.services_json(session, session.execute(
            select(queries.table("service").c.id)).scalars().all())
        postcodes = set(session.execute(select(Postcode.postcode)).scalars())
        capacity = session.execute(
            select(func.count()).select_from(queries.table("service_capacity"))).scalar_one()
        stale = queries.stale_services(session, today=TODAY, after_days=365)
    assert len(services) == 200 and capacity == 200
    assert 5 <= len(stale) <= 40  # about one in ten older than a year
    regions = set()
    for service in services:
        [address] = service["service_at_locations"][0]["location"]["addresses"]
        assert address["postal_code"] in postcodes
        regions.add(address["region"])
        schedule = service["schedules"][0]
        assert schedule["freq"] == "WEEKLY" and schedule["byday"]
        assert schedule["opens_at"] < schedule["closes_at"]
        assert "English" in {language["name"] for language in service["languages"]}
        assert service["attributes"]
    assert regions == set(BOROUGHS.values())
    term_ids = {a["taxonomy_term_id"] for s in services for a in s["attributes"]}
    assert term_ids <= {taxonomy.term_id(t.code) for t in taxonomy.TERMS}


def test_demo_directory_lists_some_organisations_twice_for_the_duplicates_queue(
        session_factory, geo):
    with transaction(session_factory) as session:
        create_directory(session, services=200, seed=1, today=TODAY)
        proposed = find_duplicates(session)

    assert proposed["organization"] >= LOOK_ALIKES
    with session_factory() as session:
        pairs = session.execute(select(DuplicateCandidate.evidence).where(
            DuplicateCandidate.kind == "organization")).scalars().all()
    # Each demo look-alike is found by the evidence an administrator would check.
    assert sum(any(e.startswith("Same website") for e in evidence) for evidence in pairs) \
        >= LOOK_ALIKES
    assert all(any(e.startswith("Names ") for e in evidence) for evidence in pairs)


def test_demo_organisations_have_names_of_their_own_and_no_repeated_services(
        session_factory, geo):
    """Names repeated by chance ("Age Friendly Parkview" four times over, "Food bank" three
    times at one organisation) read as mistakes in every list, and filled the duplicates
    queue: only the demo's deliberate look-alikes should be there."""
    with transaction(session_factory) as session:
        create_directory(session, services=400, seed=1, today=TODAY)
        proposed = find_duplicates(session)
    organization, service = queries.table("organization"), queries.table("service")
    with session_factory() as session:
        names = session.execute(select(organization.c.name)).scalars().all()
        offered = session.execute(select(service.c.organization_id,
                                         service.c.alternate_name)).all()
    assert len(names) == len(set(names))
    by_organisation: dict[str, list[str]] = {}
    for organization_id, kind in offered:
        by_organisation.setdefault(organization_id, []).append(kind)
    # An organisation offers every kind of its services once before it offers one twice.
    assert all(max(Counter(kinds).values()) - min(Counter(kinds).values()) <= 1
               for kinds in by_organisation.values())
    # and one it offers twice is named by when it runs ("Food bank, Saturdays from 10:00")
    with session_factory() as session:
        named = Counter(session.execute(select(service.c.organization_id, service.c.name)))
    assert max(named.values()) == 1
    # and every service has a phone number of its own, so a shared one is evidence, not chance
    with session_factory() as session:
        numbers = session.execute(select(queries.table("phone").c.number)).scalars().all()
    assert len(numbers) == len(set(numbers)) == 400
    with session_factory() as session:
        evidence = session.execute(select(DuplicateCandidate.evidence).where(
            DuplicateCandidate.kind == "organization")).scalars().all()
    # Only the deliberate look-alikes share a website (three boroughs' worth of postcodes
    # are shared by chance in this small geography, and alike names with them are proposed).
    assert proposed["organization"] >= LOOK_ALIKES
    assert sum(any(e.startswith("Same website") for e in found) for found in evidence) \
        == LOOK_ALIKES


def test_demo_directory_needs_geography(session_factory):
    with pytest.raises(InvalidInput, match="linkwell geo load"), \
            transaction(session_factory) as session:
        create_directory(session, services=10, seed=1, today=TODAY)


def test_taxonomy_term_ids_are_stable_and_unique():
    ids = [taxonomy.term_id(t.code) for t in taxonomy.TERMS]

    assert len(set(ids)) == len(ids)
    # Pinned: ids written to other systems must not change between releases.
    assert taxonomy.term_id("debt") == "ea957e70-4571-5ea6-b6ea-a6c3a1dc646c"
    assert {"loneliness-befriending", "physical-activity", "arts-culture", "mental-wellbeing",
            "debt", "welfare-benefits", "housing", "employment", "immigration", "carers",
            "food", "digital-inclusion", "community-care", "education",
            "discrimination"} <= set(taxonomy.TERMS_BY_CODE)
    with pytest.raises(KeyError):
        taxonomy.term_id("astrology")


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_demo_data_then_export_and_stale(cli, session_factory, geo, tmp_path):
    result = cli("demo-data", "--services", "60", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "directory: 60 services" in result.output

    result = cli("directory", "export", str(tmp_path / "json"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "json" / "services.json").read_text())) == 60

    result = cli("directory", "stale", "--days", "1")
    assert result.exit_code == 0, result.output
    assert "services need checking" in result.output


def test_cli_demo_data_without_geography_says_what_to_do(cli):
    result = cli("demo-data", "--services", "5")

    assert result.exit_code != 0
    assert "linkwell geo load" in str(result.exception)


def test_cli_import_export_round_trip(cli, session_factory, tmp_path):
    if not (EXAMPLE_CSV / "services.csv").exists():
        pytest.skip("the HSDS 3.0 examples are not beside the project")

    result = cli("directory", "import", str(EXAMPLE_CSV))
    assert result.exit_code == 0, result.output
    assert "Imported 21 of 21 records" in result.output

    result = cli("directory", "export", str(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "services.csv").read_text().count("\n") == 2

    result = cli("directory", "stale")
    assert "Community Counselling" in result.output


def test_cli_import_prints_each_refused_record(cli, session_factory, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{"id": "not-a-uuid", "name": "X", "status": "active"}]))

    result = cli("directory", "import", str(feed))

    assert result.exit_code == 2
    assert "feed.json item 1 (line 1): service not-a-uuid field id: must be a valid uuid" in \
        result.output
    with session_factory() as session:
        assert session.execute(
            select(func.count()).select_from(queries.table("service"))).scalar_one() == 0


def test_cli_import_of_a_missing_path_is_an_error(cli, tmp_path):
    result = cli("directory", "import", str(tmp_path / "nothing.json"))

    assert result.exit_code == 2
    assert "no such file" in result.output


@pytest.mark.parametrize("command", [[], ["import"], ["export"], ["stale"]])
def test_cli_directory_help(monkeypatch, command):
    result = invoke_cli(monkeypatch, "directory", *command, "--help")

    assert result.exit_code == 0
    assert "Usage" in result.output
