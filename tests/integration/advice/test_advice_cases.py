from datetime import date

import pytest
from sqlalchemy import select

from advice_fixtures import add_advice_directory
from conftest import csrf_token, make_user, sign_in
from linkwell.advice import commands, queries
from linkwell.advice.models import AdviceTriage
from linkwell.advice.triage import triage
from linkwell.audit.models import AuditEvent
from linkwell.auth import policy
from linkwell.geo.models import Postcode
from referrals_factories import accept, make_team, submit

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(session):
    with session.begin():
        add_advice_directory(session)
        session.add(Postcode(postcode="SE10 9AA", lat=51.48, lon=0.0, lsoa11cd=None,
                             lad_code="E09000011"))
    team = make_team(session)
    other_team = make_team(session, name="Greenwich PCN", lad_code="E09000011")
    worker = make_user(session, "link_worker", team_id=team.id)
    other_worker = make_user(session, "link_worker", team_id=other_team.id, password=None)
    referrer = make_user(session, "referrer", password=None)
    episodes = [accept(session, worker, submit(session, referrer, given_name=name))
                for name in ("Ada", "Bea", "Cy")]
    other = accept(session, other_worker,
                   submit(session, referrer, given_name="Dee", postcode="SE10 9AA"))
    return {"worker": worker, "other_worker": other_worker, "episodes": episodes,
            "other": other}


def _save(session, by, episode, text, answers=None):
    with session.begin():
        return commands.save_triage(session, by=by, episode_id=episode.id,
                                    result=triage(text, answers or {}, today=TODAY))


def test_advice_cases_put_urgent_first_then_the_nearest_deadline(session, world):
    worker, (ada, bea, cy) = world["worker"], world["episodes"]
    _save(session, worker, ada, "how do I claim pension credit for my mum")
    # A time limit weeks away, nothing urgent (a benefit decision itself is urgent now).
    _save(session, worker, bea, "my employer cut my hours without asking",
          {"employment_act_date": "2026-02-20"})
    _save(session, worker, cy, "the bailiffs are at the door about council tax")
    _save(session, world["other_worker"], world["other"], "bailiffs at the door")
    with session.begin():
        cases = queries.advice_cases(session, by=worker)
    assert [c.episode_id for c in cases] == [cy.id, bea.id, ada.id]
    assert cases[0].urgent and "Bailiffs" in cases[0].urgent_reasons[0]
    assert not cases[1].urgent and cases[1].next_deadline == date(2026, 5, 19)
    assert world["other"].id not in [c.episode_id for c in cases]
    assert session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "advice_cases")) is not None


def test_advice_cases_show_only_the_latest_triage_of_an_episode(session, world):
    worker, ada = world["worker"], world["episodes"][0]
    _save(session, worker, ada, "bailiffs at the door")
    _save(session, worker, ada, "how do I claim pension credit")
    with session.begin():
        cases = queries.advice_cases(session, by=worker)
    assert [c.urgent for c in cases] == [False]


def test_saved_triage_keeps_findings_not_words(session, world):
    row = _save(session, world["worker"], world["episodes"][0],
                "Mrs Quartermaine's landlord gave her a section 21", {"notice_received": "yes"})
    stored = str({c.name: getattr(row, c.name) for c in AdviceTriage.__table__.columns})
    assert "Quartermaine" not in stored
    assert row.categories[0]["code"] == "housing"
    assert row.answers == {"notice_received": "yes"}


def test_save_triage_is_refused_for_another_teams_episode(session, world):
    with pytest.raises(policy.Refused), session.begin():
        commands.save_triage(session, by=world["other_worker"],
                             episode_id=world["episodes"][0].id,
                             result=triage("bailiffs", today=TODAY))
    assert session.scalars(select(AdviceTriage)).all() == []


def test_advice_cases_page_lists_saved_triages(client, session, world):
    sign_in(client, world["worker"].email)
    episode = world["episodes"][0]
    saved = client.post(f"/episodes/{episode.id}/advice/save",
                        data={"text": "bailiffs at the door", "csrf_token": csrf_token(client)},
                        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get("/advice/cases")
    assert page.status_code == 200
    assert "Ada" in page.text and "Urgent" in page.text
    assert 'href="/advice/cases"' in page.text
