from linkwell.advice.ranking import Candidate, rank


def _candidate(sid, **kw):
    base = dict(service_id=sid, name=sid, organization_name="Org", categories_met={"housing"},
                distance_m=1000.0, capacity_status="open", waiting_time_days=7)
    base.update(kw)
    return Candidate(**base)


def _rank(candidates, **kw):
    options = dict(legal_aid_categories={"housing"}, urgent=False, language=None, limit=10)
    options.update(kw)
    return [p.candidate.service_id for p in rank(candidates, {"housing": 0.9, "debt": 0.8},
                                                   **options)]


def test_rank_open_services_come_before_paused_ones():
    order = _rank([_candidate("paused", capacity_status="paused", distance_m=10.0,
                              categories_met={"housing", "debt"}),
                   _candidate("open", distance_m=5000.0)])
    assert order == ["open", "paused"]


def test_rank_covering_more_of_the_problem_ranks_higher():
    assert _rank([_candidate("one"), _candidate("both", categories_met={"housing", "debt"})]) \
        == ["both", "one"]


def test_rank_nearer_ranks_higher():
    assert _rank([_candidate("far", distance_m=9000.0), _candidate("near", distance_m=500.0)]) \
        == ["near", "far"]


def test_rank_legal_aid_counts_only_for_in_scope_problems():
    law_centre = _candidate("law", legal_aid="a Law Centre", categories_met={"debt"})
    other = _candidate("other", categories_met={"debt"})
    providers = rank([other, law_centre], {"debt": 0.9}, legal_aid_categories=set(),
                     urgent=False, language=None, limit=5)
    assert not any("legal aid" in r for p in providers for r in p.reasons)
    providers = rank([other, law_centre], {"debt": 0.9}, legal_aid_categories={"debt"},
                     urgent=False, language=None, limit=5)
    assert providers[0].candidate.service_id == "law"
    assert any("legal aid" in r for r in providers[0].reasons)


def test_rank_language_and_borough_are_reasons():
    polish = _candidate("pl", languages=["Polish"], serves_borough=True, borough="Lewisham")
    elsewhere = _candidate("hackney", serves_borough=False, borough="Lewisham")
    providers = rank([elsewhere, polish], {"housing": 0.9}, legal_aid_categories=set(),
                     urgent=False, language="polish", limit=5)
    assert providers[0].candidate.service_id == "pl"
    assert "Works in polish" in providers[0].reasons
    assert "Serves Lewisham, where you are" in providers[0].reasons
    assert any("other boroughs" in r for r in providers[1].reasons)


def test_rank_waiting_matters_more_when_urgent():
    quick = _candidate("quick", waiting_time_days=0, distance_m=4000.0)
    slow = _candidate("slow", waiting_time_days=60, distance_m=2500.0)
    assert _rank([slow, quick], urgent=True)[0] == "quick"


def test_rank_services_for_other_boroughs_come_after_eligible_ones():
    elsewhere = _candidate("elsewhere", serves_borough=False, borough="Lewisham",
                           legal_aid="a Law Centre", waiting_time_days=0, distance_m=100.0)
    local = _candidate("local", distance_m=6000.0, waiting_time_days=30)
    assert _rank([elsewhere, local]) == ["local", "elsewhere"]


def test_rank_distance_is_in_miles_like_the_directory():
    (provider,) = rank([_candidate("a", distance_m=1609.344 * 2)], {"housing": 0.9},
                       legal_aid_categories=set(), urgent=False, language=None, limit=5)
    assert "2.0 miles away" in provider.reasons
    assert provider.as_dict()["distance_miles"] == 2.0


def test_rank_a_listing_not_checked_for_a_year_shows_no_waiting_time():
    (provider,) = rank([_candidate("old", stale=True, waiting_time_days=0)], {"housing": 0.9},
                       legal_aid_categories=set(), urgent=False, language=None, limit=5)
    assert any("not checked for over a year" in r for r in provider.reasons)
    assert not any("aiting" in r for r in provider.reasons)


def test_rank_the_same_listing_is_shown_once():
    order = _rank([_candidate("a", name="Housing advice", organization_name="Law Centre"),
                   _candidate("b", name="Housing Advice", organization_name="Law Centre",
                              distance_m=9000.0),
                   _candidate("c", name="Housing advice", organization_name="Shelter")])
    assert order == ["a", "c"]
