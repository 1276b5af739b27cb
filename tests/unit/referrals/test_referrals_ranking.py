"""Suggestion scoring, without a database."""

from linkwell.referrals import ranking

LABELS = {"loneliness": "Loneliness", "debt": "Debt"}


def candidate(**kw):
    base = {"service_id": "s", "name": "S", "organization_id": "o",
            "needs_met": {"loneliness"}, "distance_m": 1000.0, "capacity_status": "open",
            "waiting_time_days": None}
    base.update(kw)
    return ranking.Candidate(**base)


def test_score_meeting_the_more_pressing_need_ranks_higher():
    needs = {"loneliness": 5, "debt": 1}
    lonely = candidate(service_id="a", needs_met={"loneliness"})
    debt = candidate(service_id="b", needs_met={"debt"})
    assert [s.service_id for s in ranking.rank([debt, lonely], needs, LABELS, None, 5)] == [
        "a", "b"]


def test_score_paused_and_far_rank_lower_with_reasons():
    needs = {"loneliness": 3}
    paused = ranking.score(candidate(capacity_status="paused"), needs, LABELS, None)
    open_ = ranking.score(candidate(), needs, LABELS, None)
    far = ranking.score(candidate(distance_m=9000.0), needs, LABELS, None)
    assert paused.score < open_.score and far.score < open_.score
    assert "Paused: not taking referrals now" in paused.reasons
    assert "5.6 miles away" in far.reasons


def test_score_acceptance_history_and_language_are_reasons():
    s = ranking.score(candidate(accepted=3, decided=4, speaks_language=True),
                      {"loneliness": 3}, LABELS, "Polish")
    assert "Accepted 3 of 4 referrals" in s.reasons and "Works in Polish" in s.reasons


def test_rank_limit_and_stable_order():
    cands = [candidate(service_id=str(i), name=f"S{i}") for i in range(5)]
    assert [s.service_id for s in ranking.rank(cands, {"loneliness": 3}, LABELS, None, 3)] == [
        "0", "1", "2"]
