from datetime import date

import pytest

from linkwell.advice.stated_limits import stated_limit
from linkwell.advice.triage import triage

TODAY = date(2036, 2, 28)


@pytest.mark.parametrize(("text", "ends", "counted_from"), [
    ("I have received a Letter of Claim dated 20 February 2036 which states that I should "
     "respond within 30 days of the date of the letter.", date(2036, 3, 21), date(2036, 2, 20)),
    ("She received a letter dated 26 February 2036 placing her in Band C. It says she can ask "
     "for the decision to be reviewed within 21 days.", date(2036, 3, 18), date(2036, 2, 26)),
    ("got a parking charge yesterday, says £100 or £60 if i pay within 14 days",
     date(2036, 3, 12), date(2036, 2, 27)),
    ("The final response was dated 30 November 2035 and says I may refer the matter to the "
     "Ombudsman within 12 months.", date(2036, 11, 30), date(2035, 11, 30)),
    ("A notice dated 20 February 2036 gives me 28 days to return the form.",
     date(2036, 3, 19), date(2036, 2, 20)),
    # Working days skip weekends and bank holidays (25 and 26 December, 1 January).
    ("By letter dated 18 December 2035 the council refused. You must request a review within "
     "10 working days of the date of this letter.", date(2036, 1, 4), date(2035, 12, 18)),
    # A discount's limit, as a penalty notice states it.
    ("the penalty notice is dated 14th February and says £80 if it's paid within 21 days",
     date(2036, 3, 6), date(2036, 2, 14)),
    ("got a parking ticket on 22/2, says 50% off if paid in 14 days",
     date(2036, 3, 7), date(2036, 2, 22)),
])
def test_a_limit_the_letter_states_is_counted_from_its_date(text, ends, counted_from):
    limit = stated_limit(text, TODAY)
    assert (limit.ends, limit.counted_from) == (ends, counted_from)


@pytest.mark.parametrize("text", [
    # What happened within a time, not a limit.
    "I bought it on 2 February 2036 and it developed a fault within three weeks.",
    # A limit with no date to count it from.
    "The letter says I can ask for a review within 21 days.",
    # Only a date still ahead.
    "I must reply within 14 days and the hearing is on 20 March 2036.",
])
def test_no_limit_without_something_to_do_and_a_date_gone_by(text):
    assert stated_limit(text, TODAY) is None


def test_triage_shows_the_stated_limit_only_when_no_rule_dated_anything():
    result = triage("got a parking charge yesterday at the retail park, says £100 or £60 if i "
                    "pay within 14 days. should i pay or appeal", today=TODAY)
    assert [d.date for d in result.deadlines] == [date(2036, 3, 12)]
    assert not result.urgent
    # A court claim's own rule comes first: 14 days from the claim form, not the 30 quoted.
    ruled = triage("I got a county court claim form on 20 February 2036 for a credit card "
                   "debt. The letter with it says to reply within 30 days of the date.",
                   today=TODAY)
    assert ruled.deadlines[0].date == date(2036, 3, 5)
