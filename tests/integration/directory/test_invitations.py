"""Inviting people to keep an organisation's listings: by e-mail, single use, expiring."""

from datetime import timedelta

import sqlalchemy as sa

from conftest import csrf_token, invoke_cli
from linkwell.audit.models import AuditEvent
from linkwell.auth.models import Invitation, User
from linkwell.auth.roles import Role
from linkwell.notifications import outbox
from linkwell.notifications.models import Notification
from referrals_factories import make_organization


def _invite(client, organisation_id: str, email: str):
    return client.post(f"/organisations/{organisation_id}/invitations", data={"email": email},
                       follow_redirects=False)


def _token_from_outbox(app, email: str) -> str:
    with app.state.sessionmaker() as session:
        body = session.scalars(sa.select(Notification.body).where(
            Notification.recipient == email)).one()
    return body.split("token=")[1].split()[0]


def _accept(client, token: str, email: str, name: str = "Sam Green",
            password: str = "correct horse battery staple"):
    return client.post("/invitations/accept", data={
        "token": token, "email": email, "display_name": name, "password": password,
        "csrf_token": csrf_token(client)})


def test_a_provider_invites_a_colleague_who_signs_up_once(client, login, app):
    with app.state.sessionmaker() as session:
        organisation = make_organization(session, "Millfield Community Association")
    login(Role.PROVIDER, organization_id=organisation.id)
    page = client.get(f"/organisations/{organisation.id}/invitations")
    assert page.status_code == 200 and "Millfield Community Association" in page.text

    assert _invite(client, organisation.id, "Sam@Example.org").status_code == 303
    token = _token_from_outbox(app, "sam@example.org")
    with app.state.sessionmaker() as session:
        invitation = session.scalars(sa.select(Invitation)).one()
        assert token not in invitation.token_hash  # only the hash is stored
        subject = session.scalars(sa.select(Notification.subject)).one()
    assert "Millfield Community Association" in subject
    assert "sam@example.org" in client.get(
        f"/organisations/{organisation.id}/invitations").text

    client.cookies.clear()  # the colleague opens the link in their own browser
    del client.headers["X-CSRF-Token"]
    form = client.get("/invitations/accept", params={"token": token})
    assert form.status_code == 200 and 'name="token"' in form.text
    done = _accept(client, token, "sam@example.org")
    assert done.status_code == 200 and "Your account is ready" in done.text
    with app.state.sessionmaker() as session:
        user = session.scalars(sa.select(User).where(User.email == "sam@example.org")).one()
        assert user.organization_id == organisation.id and user.roles == {Role.PROVIDER}
        assert session.scalars(sa.select(Invitation.user_id)).one() == user.id

    again = _accept(client, token, "sam@example.org", name="Someone Else")
    assert again.status_code == 422 and "already been used" in again.text
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.email == "sam@example.org")) == 1


def test_an_invitation_for_another_address_or_expired_is_refused_with_the_reason(
        client, login, app):
    with app.state.sessionmaker() as session:
        organisation = make_organization(session)
    login(Role.ADMIN)
    _invite(client, organisation.id, "sam@example.org")
    token = _token_from_outbox(app, "sam@example.org")

    wrong = _accept(client, token, "alex@example.org")
    assert wrong.status_code == 422 and "different e-mail address" in wrong.text
    assert 'href="#email"' in wrong.text
    bogus = _accept(client, "not-a-real-token", "sam@example.org")
    assert bogus.status_code == 422 and "not valid" in bogus.text

    with app.state.sessionmaker() as session, session.begin():
        invitation = session.scalars(sa.select(Invitation)).one()
        invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    expired = _accept(client, token, "sam@example.org")
    assert expired.status_code == 422 and "expired on" in expired.text
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.email == "sam@example.org")) == 0


def test_only_the_organisations_own_providers_and_administrators_may_invite(client, login,
                                                                            app):
    with app.state.sessionmaker() as session:
        ours = make_organization(session, "Ours")
        theirs = make_organization(session, "Theirs")
    login(Role.PROVIDER, organization_id=ours.id)
    assert client.get(f"/organisations/{theirs.id}/invitations").status_code == 404
    assert _invite(client, theirs.id, "sam@example.org").status_code == 404
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
        refused = session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "denied")).all()
    assert refused  # the refusal is audited


def test_bad_addresses_get_a_field_error_and_nothing_is_written(client, login, app):
    with app.state.sessionmaker() as session:
        organisation = make_organization(session)
    existing = login(Role.PROVIDER, organization_id=organisation.id)
    for email, message in (("", "correct format"), ("not-an-address", "correct format"),
                           (existing.email, "already has a Linkwell account")):
        response = _invite(client, organisation.id, email)
        assert response.status_code in (409, 422)
        assert message in response.text and 'href="#email"' in response.text
        assert response.text.count("<title>Error:") == 1
        assert "<title>Error: Invite people to " in response.text
        assert "Error: Error:" not in response.text
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_an_empty_sign_up_form_names_every_missing_field(client):
    client.get("/invitations/accept")
    response = client.post("/invitations/accept", data={"token": "x",
                                                        "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    for field in ("email", "display_name", "password"):
        assert f'href="#{field}"' in response.text and f'id="{field}-error"' in response.text
    assert "<title>Error: Create your Linkwell account" in response.text


def test_two_invitations_to_one_address_keep_their_links_when_e_mail_is_digested(
        client, login, app):
    """Staff e-mail waiting for one address goes out as one digest; an invitation has its own
    wording and its link is the whole point, so it is never folded away."""
    with app.state.sessionmaker() as session:
        first = make_organization(session, "Millfield Community Association")
        second = make_organization(session, "Lee Green Lunch Club")
    login(Role.ADMIN)
    assert _invite(client, first.id, "sam@example.org").status_code == 303
    assert _invite(client, second.id, "sam@example.org").status_code == 303
    with app.state.sessionmaker() as session, session.begin():
        outbox.fold_into_digests(session)
    with app.state.sessionmaker() as session:
        going_out = session.scalars(sa.select(Notification.body).where(
            Notification.recipient == "sam@example.org",
            Notification.digest_id.is_(None))).all()
    links = [line for body in going_out for line in body.splitlines()
             if "/invitations/accept?token=" in line]
    assert len(links) == 2 and len(going_out) == 2


def test_the_waiting_invitation_can_be_read_without_a_mail_server(client, login, app,
                                                                  database_url, monkeypatch):
    """In the demo nobody runs a mail server: ``linkwell notifications show`` prints the
    e-mail waiting for an address, link and all, and sends nothing."""
    with app.state.sessionmaker() as session:
        organisation = make_organization(session, "Millfield Community Association")
    login(Role.ADMIN)
    _invite(client, organisation.id, "sam@example.org")
    token = _token_from_outbox(app, "sam@example.org")
    shown = invoke_cli(monkeypatch, "notifications", "show", "--to", "Sam@Example.org",
                       database_url=database_url)
    everyone = invoke_cli(monkeypatch, "notifications", "show")
    assert shown.exit_code == 0, shown.output
    assert "To: sam@example.org" in shown.output
    assert f"/invitations/accept?token={token}" in shown.output
    assert "1 e-mail waiting" in shown.output and "sam@example.org" in everyone.output
    with app.state.sessionmaker() as session:
        assert session.scalars(sa.select(Notification.sent_at)).one() is None


def test_an_invitation_sent_twice_stops_waiting_once_the_person_has_an_account(
        client, login, app):
    """Sent again (the first e-mail lost), then accepted through either link: the page no
    longer lists the other as waiting to be used, since it can create nothing now."""
    with app.state.sessionmaker() as session:
        organisation = make_organization(session, "Millfield Community Association")
    login(Role.ADMIN)
    _invite(client, organisation.id, "sam@example.org")
    _invite(client, organisation.id, "sam@example.org")
    page = client.get(f"/organisations/{organisation.id}/invitations").text
    assert page.count("sam@example.org, sent") == 2
    with app.state.sessionmaker() as session:
        token = session.scalars(sa.select(Notification.body)).first().split("token=")[1].split()[0]
    admin_cookies = dict(client.cookies)
    client.cookies.clear()
    del client.headers["X-CSRF-Token"]
    client.get("/invitations/accept", params={"token": token})
    assert "Your account is ready" in _accept(client, token, "sam@example.org").text
    client.cookies.clear()
    client.cookies.update(admin_cookies)
    page = client.get(f"/organisations/{organisation.id}/invitations").text
    assert "sam@example.org, sent" not in page


def test_a_link_that_cannot_be_used_says_why_before_the_form_is_filled(client, login, app):
    """Opening a used, expired or mangled link says so at once, instead of after the person
    has chosen a password; a good one names the organisation they were invited to."""
    with app.state.sessionmaker() as session:
        organisation = make_organization(session, "Millfield Community Association")
    login(Role.ADMIN)
    _invite(client, organisation.id, "sam@example.org")
    token = _token_from_outbox(app, "sam@example.org")
    client.cookies.clear()
    del client.headers["X-CSRF-Token"]

    good = client.get("/invitations/accept", params={"token": token})
    assert good.status_code == 200 and "Millfield Community Association" in good.text
    bogus = client.get("/invitations/accept", params={"token": "not-a-real-token"})
    assert bogus.status_code == 404 and "not valid" in bogus.text
    assert 'name="password"' not in bogus.text

    with app.state.sessionmaker() as session, session.begin():
        invitation = session.scalars(sa.select(Invitation)).one()
        invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    expired = client.get("/invitations/accept", params={"token": token})
    assert expired.status_code == 410 and "expired on" in expired.text
    assert 'name="password"' not in expired.text
    with app.state.sessionmaker() as session, session.begin():
        invitation = session.scalars(sa.select(Invitation)).one()
        invitation.expires_at = invitation.created_at + timedelta(days=7)
    client.get("/invitations/accept", params={"token": token})
    _accept(client, token, "sam@example.org")
    used = client.get("/invitations/accept", params={"token": token})
    assert used.status_code == 410 and "already been used" in used.text
    assert 'href="/login' in used.text
