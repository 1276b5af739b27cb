"""Directory search on both engines: text, stemming, typos, filters, distance, freshness."""

from datetime import time

import pytest
from sqlalchemy import select

from linkwell.directory.dialects import dialect_of
from linkwell.directory.models import Service, ServiceAtLocation
from linkwell.directory.search import search_services
from linkwell.directory.search_index import ServiceSearch, reindex_services
from linkwell.directory.search_query import SearchQuery
from linkwell.errors import InvalidInput, NotFound
from search_fixtures import (
    BEFRIEND,
    BENEFITS,
    CITIZENS,
    CLOSED,
    DEBT_DROP_IN,
    FAR,
    HOME,
    MONEY,
    PHONE_ONLY,
    TAXONOMY,
    YOUTH,
    add_all,
    uid,
)


@pytest.fixture
def directory(session):
    with session.begin():
        add_all(session)
    return session


def ids(result) -> list[str]:
    return [hit.service_id for hit in result.hits]


def search(session, **kwargs):
    return search_services(session, SearchQuery(**kwargs), stale_after_days=365)


@pytest.mark.parametrize("words", ["befriending", "befriend", "Befriends", "BEFRIENDING"])
def test_search_stemming_finds_befriending(directory, words):
    found = ids(search(directory, text=words))
    assert set(found) == {BEFRIEND, FAR, PHONE_ONLY}


@pytest.mark.parametrize("words", ["benefits advice", "benefit", "benifits", "benefits advise"])
def test_search_typos_and_plurals_find_benefits_advice(directory, words):
    found = ids(search(directory, text=words))
    assert CITIZENS in found and YOUTH in found


@pytest.mark.parametrize(("word", "held"), [
    ("benefits", True), ("Befriending", True), ("benifits", False), ("zzzzqx", False)])
def test_the_index_knows_which_words_it_holds(directory, word, held):
    """Typo correction asks this only for words that found nothing."""
    with directory.begin():
        assert dialect_of(directory).has_word(directory, word) is held


def test_search_reports_corrections(directory):
    result = search(directory, text="benifits")
    assert result.corrections == {"benifits": "benefit"}


def test_search_falls_back_to_any_word_when_all_words_match_nothing(directory):
    found = ids(search(directory, text="befriending bailiffs"))
    assert DEBT_DROP_IN in found and BEFRIEND in found


def test_search_ranks_name_matches_first(directory):
    # "advice" is in the name, taxonomy and description of one, taxonomy and description of
    # the other; the stale drop-in comes last whatever it says.
    assert ids(search(directory, text="advice")) == [CITIZENS, YOUTH, DEBT_DROP_IN]


def test_search_leaves_out_inactive_services(directory):
    assert CLOSED not in ids(search(directory, text="befriending"))
    assert CLOSED not in ids(search(directory, per_page=100))


@pytest.mark.parametrize(
    "words",
    ['"', '"befriending', "befriend*", "NEAR(befriending tea)", "'; DROP TABLE service; --",
     "<script>alert(1)</script>", "befriending OR 1=1", "AND OR NOT", "*", "^tea", "col:tea",
     "\\x00", "😀 tea"],
)
def test_search_is_safe_with_injection_strings(directory, words):
    result = search(directory, text=words)
    assert result.total_items >= 0
    assert directory.scalar(select(Service.id).limit(1)) is not None


def test_search_filters_by_taxonomy_term_and_its_narrower_terms(directory):
    assert set(ids(search(directory, taxonomy_term_id=BENEFITS))) == {CITIZENS, YOUTH}
    assert set(ids(search(directory, taxonomy_term_id=MONEY))) == {CITIZENS, YOUTH, DEBT_DROP_IN}


def test_search_near_a_postcode_filters_by_taxonomy_term_and_its_narrower_terms(directory):
    def near(radius_m, **kwargs):
        return set(ids(search(directory, postcode=HOME, proximity_m=radius_m, **kwargs)))

    assert near(1200, taxonomy_term_id=MONEY) == {CITIZENS, YOUTH}
    assert near(2000, taxonomy_term_id=MONEY) == {CITIZENS, YOUTH, DEBT_DROP_IN}
    assert near(2000, taxonomy_term_id=BENEFITS, text="budgeting") == {YOUTH}


def test_search_near_a_postcode_corrects_typos(directory):
    result = search(directory, text="benifits", postcode=HOME, proximity_m=2000)
    assert result.corrections == {"benifits": "benefit"}
    assert set(ids(result)) == {CITIZENS, YOUTH}


def test_search_filters_by_taxonomy(directory):
    assert len(ids(search(directory, taxonomy_id=TAXONOMY))) == 6


def test_search_refuses_unknown_taxonomy_ids(directory):
    with pytest.raises(InvalidInput):
        search(directory, taxonomy_term_id="not-a-term")
    with pytest.raises(InvalidInput):  # even where no service is near enough to filter
        search(directory, taxonomy_term_id="not-a-term", postcode=HOME, proximity_m=1)
    with pytest.raises(InvalidInput):
        search(directory, taxonomy_id="00000000-0000-0000-0000-000000000000")


def test_search_filters_by_age(directory):
    child = set(ids(search(directory, minimum_age=12, maximum_age=12)))
    assert BEFRIEND not in child and YOUTH in child
    older = set(ids(search(directory, minimum_age=70, maximum_age=70)))
    assert BEFRIEND in older and YOUTH not in older


def test_search_filters_by_opening_day_and_time(directory):
    assert set(ids(search(directory, day="MO"))) == {BEFRIEND}
    assert set(ids(search(directory, day="SA", start_time=time(11)))) == {DEBT_DROP_IN}
    assert ids(search(directory, day="SA", start_time=time(12), end_time=time(14))) == []
    assert set(ids(search(directory, day="TU", start_time=time(9), end_time=time(17)))) == {
        CITIZENS}


def test_search_within_distance_says_how_far(directory):
    result = search(directory, text="befriending", postcode="se135aa", proximity_m=2000)
    assert ids(result) == [BEFRIEND]
    assert result.hits[0].distance_m == pytest.approx(300, abs=5)
    assert result.origin.postcode == HOME


def test_search_orders_by_distance_without_words(directory):
    result = search(directory, postcode=HOME, proximity_m=2000)
    assert ids(result)[:3] == [BEFRIEND, YOUTH, CITIZENS]
    # stale listings come last whatever their distance
    assert ids(result)[-1] == DEBT_DROP_IN and result.hits[-1].stale
    distances = [h.distance_m for h in result.hits if not h.stale]
    assert distances == sorted(distances)


def test_search_postcode_without_proximity_ranks_everything_by_distance(directory):
    result = search(directory, text="befriending", postcode=HOME)
    assert ids(result) == [BEFRIEND, FAR, PHONE_ONLY]
    assert result.hits[2].distance_m is None


def test_search_flags_stale_and_ranks_them_lower(directory):
    result = search(directory, taxonomy_term_id=MONEY)
    assert ids(result)[-1] == DEBT_DROP_IN
    assert [h.stale for h in result.hits] == [False, False, True]
    never_checked = search(directory, text="telephone").hits[0]
    assert never_checked.service_id == PHONE_ONLY and never_checked.stale


def test_search_refuses_bad_postcodes(directory):
    with pytest.raises(InvalidInput):
        search(directory, postcode="not a postcode", proximity_m=1000)
    with pytest.raises(NotFound):
        search(directory, postcode="ZZ1 1ZZ", proximity_m=1000)


def test_search_pages(directory):
    first = search(directory, per_page=2)
    second = search(directory, per_page=2, page=2)
    assert first.total_items == 6 and first.total_pages == 3
    assert len(first.hits) == 2 and not set(ids(first)) & set(ids(second))
    assert search(directory, per_page=2, page=9).hits == []


def test_reindex_services_follows_changes(directory):
    with directory.begin():
        directory.get(Service, CITIZENS).name = "Welfare Rights Lewisham"
        reindex_services(directory, [CITIZENS])
    assert ids(search(directory, text="welfare")) == [CITIZENS]
    directory.rollback()
    with directory.begin():
        directory.delete(directory.get(Service, FAR))
    with directory.begin():
        reindex_services(directory, [FAR])
    assert FAR not in ids(search(directory, text="befriending"))
    assert directory.scalar(select(ServiceSearch).where(ServiceSearch.service_id == FAR)) is None


@pytest.mark.parametrize("query", [{}, {"text": "advice"}, {"taxonomy_term_id": MONEY}])
def test_each_hit_names_its_own_nearest_place(directory, query):
    """Citizens Advice also meets at the befriending scheme's hall (300 m, nearer than its own
    at 1 km): each hit names the place nearest the postcode that it is at, never another
    service's place, and a service with no place names none."""
    directory.add(ServiceAtLocation(id=uid("sal-citizens-at-befriend"), service_id=CITIZENS,
                                    location_id=uid(f"loc-{BEFRIEND}")))
    directory.flush()
    reindex_services(directory, [CITIZENS])
    directory.commit()
    within = search(directory, postcode=HOME, proximity_m=2000, **query)
    places = {hit.service_id: hit.location_name for hit in within.hits}
    assert places[CITIZENS] == "Lewisham Befriending Scheme hall"
    if BEFRIEND in places:
        assert places[BEFRIEND] == "Lewisham Befriending Scheme hall"
    assert places[YOUTH] == "Youth Money Clinic hall"
    ranked = search(directory, postcode=HOME, **query)
    assert {hit.service_id: hit.location_name for hit in ranked.hits}.get(PHONE_ONLY) is None
