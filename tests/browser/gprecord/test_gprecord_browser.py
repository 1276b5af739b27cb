"""/admin/gp-messages and /mvis in real headless Chromium: an administrator reads the outbox
with a demographic match and a held message, adds a practice; a commissioner reads the
minimum dataset. Axe finds nothing; both fit a phone (375 px) and a desktop (1280 px)."""

from datetime import timedelta

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from linkwell.db import make_engine, make_sessionmaker, utcnow
from linkwell.gprecord import commands as gp
from linkwell.referrals import commands
from referrals_factories import accept, make_team, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", team_id=team.id)
        referrer = make_user(session, "referrer")
        admin = make_user(session, "admin")
        commissioner = make_user(session, "commissioner")
        known = submit(session, referrer, sex="female")
        matched = submit(session, referrer, sex="female", nhs_number=None)
        held = submit(session, referrer, given_name="Bea", nhs_number=None)
        with session.begin():
            gp.save_practice(session, by=admin, ods_code="X26", name="Test Practice",
                             mesh_mailbox="X26ABC2", pcn_code="U00001", pcn_name="Test PCN")
            for referral in (known, matched, held):
                gp.register(session, person_id=referral.person_id, practice_ods="X26")
        for referral in (matched, held):
            episode = accept(session, worker, referral)
            with session.begin():
                commands.close_episode(session, by=worker, episode_id=episode.id,
                                       version=episode.version, reason="goals-met")
    engine.dispose()
    return live_server.url, admin, commissioner


@pytest.mark.parametrize("width", [375, 1280])
def test_admin_reads_the_outbox_and_adds_a_practice(site, page, width):
    url, admin, _commissioner = site
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, url, admin.email)
    page.goto(f"{url}/admin/gp-messages")
    main = page.inner_text("main")
    assert "1 message needs an administrator" in main
    assert "NHS number from the record matching all five demographic items" in main
    assert "sex not recorded" in main
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    page.fill("#ods_code", "Y99")
    page.fill("#name", "New Surgery")
    page.click("button:text('Save practice')")
    page.wait_for_url("**/admin/gp-messages")
    assert "New Surgery" in page.inner_text("main")


@pytest.mark.parametrize("width", [375, 1280])
def test_commissioner_reads_the_minimum_dataset(site, page, width):
    url, _admin, commissioner = site
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, url, commissioner.email)
    today = utcnow().date()
    page.goto(f"{url}/mvis?from={today - timedelta(days=40)}&to={today}")
    assert "referred" in page.inner_text("main")  # the three referrals, suppressed
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
