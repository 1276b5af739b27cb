"""`linkwell retention`: people whose records have passed LINKWELL_RETENTION_YEARS."""

from datetime import timedelta

from conftest import make_user
from linkwell.db import utcnow
from linkwell.operations.retention import people_due, years_before
from referrals_factories import submit


def _referral(session, user, status=None, **person):
    referral = submit(session, user, **person)
    if status:
        with session.begin():
            session.merge(referral).status = status
    return referral


def test_only_people_with_every_referral_closed_and_quiet_for_long_enough(session):
    user = make_user(session, "referrer")
    closed = _referral(session, user, "completed", family_name="Closed", nhs_number=None)
    still_open = _referral(session, user, None, family_name="Open", nhs_number=None)
    declined = _referral(session, user, "rejected", family_name="Declined", nhs_number=None)

    nine_years_on = utcnow() + timedelta(days=366 * 9)
    assert people_due(session, years=8, now=nine_years_on) == [closed.person_id,
                                                               declined.person_id]
    assert people_due(session, years=8, now=utcnow()) == []
    assert still_open.person_id not in people_due(session, years=8, now=nine_years_on)


def test_years_before_a_leap_day():
    leap = utcnow().replace(year=2028, month=2, day=29)
    assert years_before(leap, 1).date().isoformat() == "2027-02-28"
