"""The database mode's reference inputs, on SQLite and PostgreSQL."""

from linkwell.evaluation.db_inputs import boroughs_from_db, lsoa_from_db
from linkwell.evaluation.inputs import load
from linkwell.evaluation.simulate import simulate
from linkwell.geo.models import Borough, Lsoa

SQUARE = {"type": "Polygon", "coordinates": [[[-0.1, 51.5], [-0.1, 51.6], [0.0, 51.6],
                                              [0.0, 51.5], [-0.1, 51.5]]]}


def _add_reference(session):
    for i in range(20):
        session.add(Lsoa(
            lsoa11cd=f"E0100{i:04d}", name=f"Camden {i:03d}", msoa11cd=None,
            lad_code="E09000007" if i % 2 else "E09000022",
            lad_name="Camden" if i % 2 else "Lambeth", centroid_lat=51.5 + i / 100,
            centroid_lon=-0.1, area_m2=1.0, imd_rank=1000 + i, imd_decile=i % 10 + 1,
            population_total=1500, population_0_15=300, population_16_59=900,
            population_60_plus=300))
    session.add(Borough(lad_code="E09000007", name="Camden", boundary=SQUARE))
    session.add(Borough(lad_code="E09000022", name="Lambeth", boundary=None))
    session.commit()


def test_lsoa_and_boroughs_from_db_feed_the_evaluation(session):
    _add_reference(session)

    lsoa = lsoa_from_db(session)
    boroughs = boroughs_from_db(session)

    assert len(lsoa) == 20 and lsoa["population_total"].sum() == 30000
    assert [f["properties"]["LAD22CD"] for f in boroughs["features"]] == ["E09000007"]
    data = simulate(lsoa, 300, seed=1, with_extras=False)
    frames = load(people=data.people, measurements=data.measurements, lsoa=lsoa,
                  boroughs=boroughs)
    assert set(frames.people["lad_name"].astype(str)) == {"Camden", "Lambeth"}


def test_boroughs_from_db_empty_is_none(session):
    assert boroughs_from_db(session) is None
    assert lsoa_from_db(session).empty
