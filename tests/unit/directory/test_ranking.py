"""The one scorer both rankings use (advice routing, onward-referral suggestions)."""

import pytest

from linkwell.directory import ranking
from linkwell.directory.ranking import ADVICE_ROUTING, ADVICE_ROUTING_URGENT, ONWARD_REFERRAL


def parts(**changes):
    base = {"need": 1.0, "distance_m": 1500.0, "capacity_status": "open",
            "waiting_time_days": 7}
    return {**base, **changes}


def total(weights):
    return (weights.need + weights.distance + weights.capacity + weights.waiting
            + weights.acceptance + weights.language + weights.legal_aid + weights.eligibility)


def test_urgency_moves_weight_from_distance_to_waiting():
    assert total(ADVICE_ROUTING_URGENT) == pytest.approx(total(ADVICE_ROUTING))
    assert ADVICE_ROUTING_URGENT.waiting > ADVICE_ROUTING.waiting
    assert total(ONWARD_REFERRAL) == pytest.approx(1.0)


@pytest.mark.parametrize("weights", [ONWARD_REFERRAL, ADVICE_ROUTING])
def test_open_near_short_wait_beats_paused_far_long_wait(weights):
    best = ranking.score(weights, **parts())
    assert ranking.score(weights, **parts(capacity_status="paused")) < best
    assert ranking.score(weights, **parts(distance_m=9000.0)) < best
    assert ranking.score(weights, **parts(waiting_time_days=60)) < best
    assert ranking.score(weights, **parts(capacity_status=None)) < best


def test_an_urgent_case_counts_waiting_for_more():
    long_wait = parts(waiting_time_days=90)
    assert (ranking.score(ADVICE_ROUTING, **parts()) - ranking.score(ADVICE_ROUTING, **long_wait)
            < ranking.score(ADVICE_ROUTING_URGENT, **parts())
            - ranking.score(ADVICE_ROUTING_URGENT, **long_wait))


def test_a_stale_advice_listing_loses_its_waiting_time_and_a_penalty():
    stale = ranking.score(ADVICE_ROUTING, **parts(stale=True))
    unknown_wait = ranking.score(ADVICE_ROUTING, **parts(waiting_time_days=None))
    assert stale == pytest.approx(unknown_wait - ADVICE_ROUTING.stale)


def test_need_share_weights_each_need():
    assert ranking.need_share({"debt"}, {"debt": 3, "housing": 1}) == 0.75
    assert ranking.need_share(set(), {}) == 0


def test_acceptance_rate_is_smoothed():
    assert ranking.acceptance_rate(0, 0) == 0.5
    assert ranking.acceptance_rate(9, 10) > ranking.acceptance_rate(1, 10)


def test_both_uses_word_distance_capacity_and_waiting_the_same_way():
    assert ranking.service_reasons(None, None, None) == [
        "No fixed location (phone, online or outreach)",
        "Has not said whether it is taking referrals"]
    assert ranking.service_reasons(1609.344, "open", 0)[1:] == [
        "Open to referrals", "No waiting list"]
    assert ranking.service_reasons(None, "paused", 1)[1:] == [
        "Paused: not taking referrals now", "Waiting time about 1 day"]
