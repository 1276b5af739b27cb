"""Every urgent situation triage can name comes with something the person can do today."""

from linkwell.advice.today_actions import TODAY_ACTIONS
from linkwell.advice.triggers import TRIGGERS


def test_every_trigger_that_can_be_urgent_says_what_to_do_today():
    missing = [t.id for t in TRIGGERS if t.urgent and t.id not in TODAY_ACTIONS]
    assert missing == []


def test_no_action_is_kept_for_a_trigger_that_no_longer_exists():
    assert set(TODAY_ACTIONS) <= {t.id for t in TRIGGERS}
