"""Service suggestions from a real directory (SQLite and PostgreSQL)."""

from datetime import date, time

import pytest

from linkwell.directory.models import Location, Schedule, ServiceAtLocation, ServiceCapacity
from linkwell.referrals import suggestions
from referrals_factories import make_organization, make_service, new_id

HOME = (51.4452, -0.0209)  # Lewisham


@pytest.fixture(params=["all-tagged", "nearest-first"])
def plan(request, monkeypatch):
    """Run a test through both query plans: every tagged service, or widening circles."""
    if request.param == "nearest-first":
        monkeypatch.setattr(suggestions, "FEW_TAGGED", 0)
    return request.param


def _suggest(session, needs, **kwargs):
    args = {"birth_date": date(1950, 1, 1), "lat": HOME[0], "lon": HOME[1],
            "today": date(2026, 1, 1)}
    args.update(kwargs)
    return suggestions.suggest(session, needs=needs, **args)


def test_suggest_ranks_nearer_and_better_matching_services_first(session, plan):
    org = make_organization(session)
    near = make_service(session, org, "Near befriending", lat=51.446, lon=-0.021)
    far = make_service(session, org, "Far befriending", lat=51.50, lon=-0.03)
    both = make_service(session, org, "Lunch and company", codes=("loneliness-befriending",
                                                                  "food"),
                        lat=51.447, lon=-0.022)
    make_service(session, org, "Debt advice", codes=("debt",))
    ranked = _suggest(session, {"loneliness": 5, "food": 3})
    assert [s.service_id for s in ranked] == [both.id, near.id, far.id]
    assert ranked[0].reasons[0] == "Meets loneliness or isolation, food"
    assert any(r.endswith(" miles away") for r in ranked[1].reasons)


def test_suggest_excludes_services_outside_age_range_and_far_away(session, plan):
    org = make_organization(session)
    make_service(session, org, "Youth club", minimum_age=11, maximum_age=18)
    make_service(session, org, "Brighton group", lat=50.82, lon=-0.14)
    ok = make_service(session, org, "Older people's club", minimum_age=60)
    assert [s.service_id for s in _suggest(session, {"loneliness": 4})] == [ok.id]


def test_suggest_paused_service_ranks_below_open_one_with_reason(session):
    org = make_organization(session)
    paused = make_service(session, org, "Paused", capacity="paused", lat=51.4452,
                          lon=-0.0209)
    open_ = make_service(session, org, "Open", capacity="open", waiting_time_days=7,
                         lat=51.45, lon=-0.03)
    ranked = _suggest(session, {"loneliness": 4})
    assert [s.service_id for s in ranked] == [open_.id, paused.id]
    assert "Paused: not taking referrals now" in ranked[1].reasons
    assert "Waiting time about 7 days" in ranked[0].reasons


def test_suggest_language_and_opening_times_are_reasons(session, plan):
    org = make_organization(session)
    service = make_service(session, org, "Somali women's group", languages=("Somali",))
    with session.begin():
        session.add(Schedule(id=new_id(), service_id=service.id, freq="WEEKLY", byday="MO,WE",
                             opens_at=time(10), closes_at=time(12)))
    ranked = _suggest(session, {"loneliness": 3}, language="Somali")
    assert "Works in Somali" in ranked[0].reasons
    assert "Open Mon, Wed 10:00–12:00" in ranked[0].reasons


def test_suggest_no_needs_is_empty(session):
    assert _suggest(session, {}) == []


def test_suggest_capacity_row_is_read_at_once(session):
    org = make_organization(session)
    service = make_service(session, org, "Club")
    with session.begin():
        session.add(ServiceCapacity(service_id=service.id, status="paused"))
    assert _suggest(session, {"loneliness": 3})[0].capacity_status == "paused"


def test_suggest_includes_services_at_a_virtual_location(session, plan):
    org = make_organization(session)
    phone = make_service(session, org, "Telephone befriending", lat=None)
    with session.begin():
        location = Location(id=new_id(), location_type="virtual", name="Phone line")
        session.add(location)
        session.flush()
        session.add(ServiceAtLocation(id=new_id(), service_id=phone.id,
                                      location_id=location.id))
    ranked = _suggest(session, {"loneliness": 3})
    assert [s.service_id for s in ranked] == [phone.id]
    assert "No fixed location (phone, online or outreach)" in ranked[0].reasons
