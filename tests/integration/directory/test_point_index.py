"""The in-memory point index gives what the SQL over ``service_search_point`` gives, on each
engine (on PostgreSQL the SQL asks the text index per point), and is read again after a
re-index."""

import pytest
from sqlalchemy import event, update

from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory import search
from linkwell.directory.dialects import dialect_of
from linkwell.directory.models import Location
from linkwell.directory.point_index import point_index
from linkwell.directory.search_index import current_revision, reindex_services
from linkwell.directory.search_query import SearchQuery
from linkwell.geo.distance import bounding_box
from search_fixtures import BEFRIEND, BENEFITS, FAR, HOME, MONEY, add_all, uid


@pytest.fixture
def directory(database_url):
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        with session.begin():
            add_all(session)
        yield session
    engine.dispose()


def both_ways(session, *, any_term=False, **query):
    """(in memory, from SQL): services (sorted) and points (sorted) in the box."""
    plan = search._plan(session, SearchQuery(postcode=HOME, **query), 365, None)
    box = bounding_box(plan.origin.lat, plan.origin.lon, plan.query.proximity_m)
    memory = point_index(session).within(box, plan.stems, any_term=any_term, needs=plan.needs)
    sql = dialect_of(session).points_from_database(
        session, box, terms=plan.terms, stems=plan.stems, needs=plan.needs,
        filters=plan.filters, any_term=any_term)
    return tuple((sorted(rows), sorted(points)) for rows, points in (memory, sql))


@pytest.mark.parametrize("query", [
    {"proximity_m": 2000},
    {"proximity_m": 20_000},
    {"proximity_m": 2000, "text": "befriending"},
    {"proximity_m": 2000, "text": "benefits advice"},
    {"proximity_m": 2000, "text": "no such words"},
    {"proximity_m": 900, "text": "advice"},
    {"proximity_m": 2000, "taxonomy_term_id": MONEY},
    {"proximity_m": 2000, "taxonomy_term_id": BENEFITS, "text": "advice"},
])
def test_memory_and_sql_find_the_same_points(directory, query):
    memory, sql = both_ways(directory, **query)
    assert memory == sql


def test_any_word_matches_like_sql(directory):
    memory, sql = both_ways(directory, any_term=True, proximity_m=20_000,
                            text="befriending debt")
    assert memory == sql
    assert len(memory[0]) > 1


def test_inactive_services_are_left_out(directory):
    rows, _ = both_ways(directory, proximity_m=2000, text="befriending")[0]
    assert [row[1] for row in rows] == [BEFRIEND]


def test_a_reindex_is_seen_by_the_next_search(directory):
    before = point_index(directory)
    revision = current_revision(directory)
    assert FAR not in {row[1] for row in both_ways(directory, proximity_m=2000)[0][0]}
    directory.execute(update(Location).where(Location.id == uid(f"loc-{FAR}"))
                      .values(latitude=before.latitude.min()))
    reindex_services(directory, [FAR])
    directory.commit()
    assert current_revision(directory) == revision + 1
    assert point_index(directory) is not before
    memory, sql = both_ways(directory, proximity_m=2000)
    assert memory == sql
    assert FAR in {row[1] for row in memory[0]}


def test_a_results_page_reads_from_the_index_what_the_sql_gives(directory):
    rows, points = both_ways(directory, proximity_m=20_000)[0]
    nearest = {service_id: location_id for service_id, _, _, location_id in points}
    nearest[uid("no-such-service")] = None
    held = point_index(directory).details(nearest)
    assert uid("no-such-service") not in held
    assert held == search._details_from_database(directory, {
        service_id: nearest[service_id] for service_id in held})
    assert len(held) == len({row[1] for row in rows}) > 1


def test_a_search_near_a_postcode_reads_only_the_revision_once_the_index_is_held(directory):
    query = SearchQuery(postcode=HOME, proximity_m=20_000, text="advice")
    first = search.search_services(directory, query, stale_after_days=365)
    directory.rollback()
    statements = []
    listen = event.listens_for(directory.get_bind(), "before_cursor_execute")
    listen(lambda *args: statements.append(args[2]))
    again = search.search_services(directory, query, stale_after_days=365)
    assert again == first and first.total_items > 1
    assert len(statements) == 1 and "directory_revision" in statements[0]


def test_a_renamed_place_shows_its_new_name_after_the_re_index(directory):
    query = SearchQuery(postcode=HOME, proximity_m=2000, text="befriending")
    hit = search.search_services(directory, query, stale_after_days=365).hits[0]
    place = directory.get(Location, uid(f"loc-{hit.service_id}"))
    assert place.name == hit.location_name
    place.name = "The new community hall"
    reindex_services(directory, [hit.service_id])
    directory.commit()
    again = search.search_services(directory, query, stale_after_days=365).hits[0]
    assert (again.service_id, again.location_name) == (hit.service_id, "The new community hall")
