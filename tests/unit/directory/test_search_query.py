"""The pure half of directory search: terms, escaping, typo matching, filters, ranking, paging."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.directory.search_query import (
    Hit,
    Page,
    SearchQuery,
    closest_term,
    describe_distance,
    fts5_match,
    is_stale,
    parse_day,
    parse_time,
    rank,
    search_terms,
    validate,
    websearch_text,
)
from linkwell.errors import InvalidInput


def test_search_terms_drop_syntax_and_stop_words():
    assert search_terms('benefits "advice" for OLDER people*') == [
        "benefits", "advice", "older", "people"]


def test_search_terms_of_injection_strings_are_plain_words():
    assert search_terms("'; DROP TABLE service; --") == ["drop", "table", "service"]
    assert search_terms('NEAR(a b) "x* <script>alert(1)</script>') == [
        "b", "x", "script", "alert", "1"]
    assert search_terms('"*()') == []


@given(st.text())
def test_search_terms_fts5_match_quotes_every_term(text):
    terms = search_terms(text)
    expression = fts5_match(terms)
    for term in terms:
        assert f'"{term}"' in expression
        assert '"' not in term and "*" not in term


def test_fts5_match_joins_terms():
    assert fts5_match(["benefit", "advice"]) == '"benefit" AND "advice"'
    assert fts5_match(["benefit", "advice"], any_term=True) == '"benefit" OR "advice"'
    assert websearch_text(["a", "b"], any_term=True) == "a or b"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("benifits", "benefit"), ("befriendng", "befriend"), ("advise", "advic"),
     ("counseling", "counsel"), ("venefits", "benefit"), ("fod", "food"),
     ("zzzzq", None)],
)
def test_closest_term_matches_typos_to_stemmed_vocabulary(word, expected):
    vocabulary = ["advic", "befriend", "benefit", "counsel", "debt", "food", "servic"]
    assert closest_term(word, vocabulary) == expected


def test_parse_day_accepts_codes_and_names():
    assert parse_day("mo") == "MO"
    assert parse_day("Wednesday") == "WE"
    assert parse_day("sat") == "SA"
    assert parse_day("") is None
    with pytest.raises(InvalidInput):
        parse_day("funday")


def test_parse_time_refuses_nonsense():
    assert parse_time("9:30", "start_time") == time(9, 30)
    with pytest.raises(InvalidInput):
        parse_time("25:00", "start_time")
    with pytest.raises(InvalidInput):
        parse_time("noon'; --", "start_time")


@pytest.mark.parametrize(
    "query",
    [SearchQuery(page=0), SearchQuery(per_page=0), SearchQuery(per_page=101),
     SearchQuery(minimum_age=-1), SearchQuery(minimum_age=40, maximum_age=30),
     SearchQuery(proximity_m=1000), SearchQuery(postcode="E1 6AN", proximity_m=-5),
     SearchQuery(start_time=time(9)), SearchQuery(day="MO", start_time=time(10),
                                                  end_time=time(9))],
)
def test_validate_refuses_unanswerable_queries(query):
    with pytest.raises(InvalidInput) as caught:
        validate(query)
    assert caught.value.errors


def test_validate_accepts_a_full_query():
    query = SearchQuery(text="debt", minimum_age=30, maximum_age=30, postcode="E1 6AN",
                        proximity_m=2000, day="MO", start_time=time(9), end_time=time(12))
    assert validate(query) is query


def test_is_stale_when_never_or_long_ago_assured():
    today = date(2026, 11, 25)
    assert is_stale(None, today=today, stale_after_days=365)
    assert is_stale(date(2025, 11, 1), today=today, stale_after_days=365)
    assert not is_stale(date(2026, 1, 1), today=today, stale_after_days=365)


def test_rank_puts_stale_listings_after_fresh_ones():
    hits = [Hit("a", "A", relevance=10, stale=True), Hit("b", "B", relevance=1)]
    assert [h.service_id for h in rank(hits, proximity_m=None)] == ["b", "a"]


def test_rank_blends_relevance_and_distance():
    strong_far = Hit("far", "Far", relevance=10, distance_m=1500)
    weak_near = Hit("near", "Near", relevance=2, distance_m=100)
    strong_near = Hit("best", "Best", relevance=10, distance_m=100)
    ordered = rank([weak_near, strong_far, strong_near], proximity_m=2000)
    assert [h.service_id for h in ordered] == ["best", "far", "near"]


def test_rank_by_distance_alone_without_text():
    hits = [Hit("b", "B", distance_m=900), Hit("a", "A", distance_m=50), Hit("c", "C")]
    assert [h.service_id for h in rank(hits, proximity_m=None)] == ["a", "b", "c"]


def test_page_envelope_has_every_field():
    body = Page(total_items=45, page_number=2, per_page=20, contents=list(range(20))).envelope()
    assert body == {"total_items": 45, "total_pages": 3, "page_number": 2, "size": 20,
                    "first_page": False, "last_page": False, "empty": False,
                    "contents": list(range(20))}
    empty = Page(total_items=0, page_number=1, per_page=20, contents=[]).envelope()
    assert empty["empty"] and empty["first_page"] and empty["last_page"]
    assert empty["total_pages"] == 0


def test_describe_distance_in_miles():
    assert describe_distance(None) is None
    assert describe_distance(50) == "less than 0.1 miles"
    assert describe_distance(1609.344 * 1.26) == "1.3 miles"
