"""The person's plan without I/O: time order, the plain-English copy, triage reasons."""

from datetime import UTC, date, datetime, timedelta

from linkwell.casework import plan
from linkwell.referrals import domain

NOW = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


def _plan(**overrides) -> plan.Plan:
    values = dict(
        person_name="Ada Okafor", what_matters="Getting back to my allotment",
        what_matters_at=NOW, needs=[plan.NeedScore("debt", "Debt and money", 4,
                                                   domain.NEED_SCALE[4])],
        goals=[plan.GoalView(1, "Walk twice a week", None, NOW,
                             [plan.Progress(NOW, 2, "Went once")])],
        actions=[plan.Action("Ring the council", date(2026, 7, 25), False, NOW),
                 plan.Action("Old task", date(2026, 7, 1), True, NOW)],
        meetings=[plan.Meeting(NOW + timedelta(days=1), "phone", "", "booked"),
                  plan.Meeting(NOW - timedelta(days=1), "phone", "", "attended")],
        onward=[plan.OnwardStep(NOW, "Money advice line", "Millfield", "completed",
                                "Completed", "Payment plan agreed")],
        measures=[], history=[])
    values.update(overrides)
    return plan.Plan(**values)


def test_history_is_in_the_order_things_happened_not_the_order_entered():
    later = plan.Entry(NOW, "contact", "Second")
    earlier = plan.Entry(NOW - timedelta(days=1), "contact", "First")
    same_time = plan.Entry(NOW, "action", "Third")
    assert [e.title for e in plan.in_time_order([later, earlier, same_time])] == [
        "First", "Second", "Third"]


def test_my_plan_is_plain_english_without_staff_notes():
    text = plan.plain_text(_plan(), NOW)
    assert text.startswith("My plan, 20 July 2026")
    assert "Getting back to my allotment" in text
    assert "Debt and money: a serious concern" in text
    assert "Walk twice a week (started)" in text
    assert "Ring the council, by 25 July 2026" in text and "Old task" not in text
    assert "Tuesday 21 July at 10:00" in text  # UK time (BST)
    assert "Money advice line (Millfield): finished. They said: Payment plan agreed" in text
    assert "Went once" not in text  # progress notes are the link worker's


def test_an_empty_plan_still_reads_well():
    text = plan.plain_text(_plan(what_matters="", needs=[], goals=[], actions=[],
                                 meetings=[], onward=[]), NOW)
    assert "Not written down yet." in text and "Nothing agreed yet." in text
    assert "Nothing outstanding." in text


def test_a_new_referral_offers_only_the_triage_reasons():
    new = domain.closure_reasons_for("requested")
    assert "goals-met" not in new and "died" not in new and "declined" in new
    assert set(domain.closure_reasons_for("in-progress")) == set(domain.CLOSURE_REASONS)
    assert set(new) <= set(domain.CLOSURE_REASONS)  # the GP message codes them all
