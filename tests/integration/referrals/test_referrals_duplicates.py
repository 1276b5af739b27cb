"""Settling possible duplicates by hand: merge, keep apart, and who may decide."""

import pytest
from sqlalchemy import func, select

from conftest import make_user
from linkwell.audit.models import AuditEvent
from linkwell.auth import policy
from linkwell.errors import Conflict, NotFound
from linkwell.referrals import commands, queries
from linkwell.referrals.models import Episode, Person, PossibleDuplicate, Referral, StatusEvent
from linkwell.settings import Settings
from referrals_factories import accept, make_team, submit


@pytest.fixture
def pair(session):
    """Two referrals of one person under two records (the newer lacks a phone number)."""
    team = make_team(session)
    referrer = make_user(session, "referrer", password=None)
    worker = make_user(session, "link_worker", team_id=team.id, password=None)
    first = submit(session, referrer, nhs_number=None, phone=None)
    accept(session, worker, first)
    second = submit(session, referrer, nhs_number=None, given_name=" ada ", postcode="se135aa",
                    phone="020 7946 0001")
    flag = session.scalars(select(PossibleDuplicate)).one()
    session.commit()
    return {"team": team, "worker": worker, "referrer": referrer, "first": first,
            "second": second, "flag": flag}


def _decide(session, by, flag_id, same):
    with session.begin():
        return commands.decide_possible_duplicate(session, by=by, flag_id=flag_id,
                                                  same_person=same)


def test_merging_moves_everything_to_the_older_record(session, pair):
    older, newer = pair["first"].person_id, pair["second"].person_id
    kept = _decide(session, pair["worker"], pair["flag"].id, same=True)

    assert kept.id == older
    assert session.get(Person, newer).merged_into_id == older
    for model in (Referral, Episode):
        assert session.scalar(select(func.count()).select_from(model)
                              .where(model.person_id == newer)) == 0
    assert session.scalar(select(func.count()).select_from(Referral)
                          .where(Referral.person_id == older)) == 2
    assert session.get(Person, older).phone == "020 7946 0001"  # gained, as it had none
    assert session.get(PossibleDuplicate, pair["flag"].id).resolved
    event = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "person")
                            .order_by(AuditEvent.id.desc())).first()
    assert event.detail == {"merged_person": newer, "matched_by": "name_dob_postcode"}
    # The newer record's status events stay where they were written and show on the timeline.
    session.commit()
    with session.begin():
        record = queries.person_record(session, by=pair["worker"], person_id=older,
                                       settings=Settings(secret_key="x" * 32))
    events = session.scalar(select(func.count()).select_from(StatusEvent))
    assert len([t for t in record.timeline if t.kind == "status"]) == events


def test_a_merged_record_is_no_longer_matched(session, pair):
    _decide(session, pair["worker"], pair["flag"].id, same=True)
    submit(session, pair["referrer"], nhs_number=None, phone=None)  # the same person again
    flags = session.scalars(select(PossibleDuplicate).where(
        PossibleDuplicate.resolved.is_(False))).all()
    assert [f.duplicate_of_id for f in flags] == [pair["first"].person_id]


def test_different_people_keeps_both_and_clears_the_flag(session, pair):
    _decide(session, pair["worker"], pair["flag"].id, same=False)
    assert session.scalar(select(func.count()).select_from(Person)) == 2
    assert session.get(PossibleDuplicate, pair["flag"].id).resolved
    session.commit()
    with pytest.raises(NotFound):
        _decide(session, pair["worker"], pair["flag"].id, same=True)  # settled once


def test_another_teams_link_worker_cannot_settle(session, pair):
    other = make_user(session, "link_worker", team_id=make_team(
        session, name="Greenwich PCN", lad_code="E09000011").id, password=None)
    session.commit()
    with pytest.raises(policy.Refused):
        _decide(session, other, pair["flag"].id, same=True)
    assert session.scalar(select(func.count()).select_from(Person)) == 2


def test_different_nhs_numbers_are_never_merged(session, pair):
    with session.begin():
        session.get(Person, pair["first"].person_id).nhs_number = "9434765919"
        session.get(Person, pair["second"].person_id).nhs_number = "9434765870"
    with pytest.raises(Conflict, match="different NHS numbers"):
        _decide(session, pair["worker"], pair["flag"].id, same=True)
    assert not session.get(PossibleDuplicate, pair["flag"].id).resolved  # nothing half-done


def test_the_record_page_shows_the_other_record_when_it_is_in_sight(session, pair):
    newer = pair["second"].person_id
    session.commit()
    with session.begin():
        record = queries.person_record(session, by=pair["worker"],
                                       person_id=pair["first"].person_id,
                                       settings=Settings(secret_key="x" * 32))
        views = queries.duplicate_views(session, by=pair["worker"], record=record)
    assert [(v.other_id, v.other is not None) for v in views] == [(newer, True)]


def test_link_worker_settles_a_duplicate_from_the_record_page(client, login, session, pair):
    older, newer = pair["first"].person_id, pair["second"].person_id
    login("link_worker", team_id=pair["team"].id)
    page = client.get(f"/people/{older}")
    assert "Are these the same person?" in page.text
    refused = client.post(f"/duplicates/{pair['flag'].id}", data={"decision": "maybe"})
    assert refused.status_code == 422
    done = client.post(f"/duplicates/{pair['flag'].id}", data={"decision": "same"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/people/{older}?saved=duplicate"
    moved = client.get(f"/people/{newer}", follow_redirects=False)
    assert moved.headers["location"] == f"/people/{older}"
    assert "Possible duplicate" not in client.get(f"/people/{older}").text


def test_referrers_cannot_settle_duplicates(client, login, pair):
    login("referrer")
    assert client.post(f"/duplicates/{pair['flag'].id}",
                       data={"decision": "same"}).status_code == 403
