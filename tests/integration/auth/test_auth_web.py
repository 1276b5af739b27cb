import pyotp
import sqlalchemy as sa

from conftest import TEST_PASSWORD, csrf_token, make_user, sign_in
from linkwell.audit.models import AuditEvent
from linkwell.auth.models import LoginSession, User
from linkwell.auth.roles import Role


def _events(app, **where):
    with app.state.sessionmaker() as session:
        query = sa.select(AuditEvent)
        for key, value in where.items():
            query = query.where(getattr(AuditEvent, key) == value)
        return session.scalars(query).all()


def test_sign_in_sets_httponly_samesite_cookie_and_redirects_to_role_home(client, app):
    with app.state.sessionmaker() as session:
        user = make_user(session, Role.ADMIN)
    response = sign_in(client, user.email)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("linkwell_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert client.get("/account").status_code == 200
    assert [e.action for e in _events(app, object_id=str(user.id))][-1] == "login"


def test_sign_in_with_wrong_password_is_refused_and_audited(client, app):
    with app.state.sessionmaker() as session:
        user = make_user(session, Role.LINK_WORKER)
    response = sign_in(client, user.email, password="not the password at all")
    assert response.status_code == 401
    assert "not recognised" in response.text
    assert [e.action for e in _events(app, object_id=str(user.id))] == ["create", "login_failed"]
    assert client.get("/account").status_code == 401


def test_repeated_failures_slow_that_address_without_revealing_the_account(client, app):
    """Five failures for one account from one address make that address wait, with the same
    answer for an account that does not exist: the limit says nothing about who has one."""
    with app.state.sessionmaker() as session:
        user = make_user(session, Role.LINK_WORKER)
    answers = {}
    for email in (user.email, "nobody-here@example.org"):
        for _ in range(app.state.settings.login_max_failures):
            assert sign_in(client, email, password="wrong password guess").status_code == 401
        response = sign_in(client, email)
        answers[email] = (response.status_code, response.text.replace(email, "EMAIL"))
    assert answers[user.email] == answers["nobody-here@example.org"]
    assert answers[user.email][0] == 429
    assert "Too many sign-in attempts" in answers[user.email][1]
    assert "locked" not in answers[user.email][1]
    assert _events(app, action="denied")[0].detail["reason"] == "rate_limited"


def test_a_stranger_cannot_lock_the_owner_out(app):
    """Failures from the stranger's address do not stop the owner at their own address."""
    from fastapi.testclient import TestClient

    with app.state.sessionmaker() as session:
        user = make_user(session, Role.LINK_WORKER)
    with TestClient(app, client=("198.51.100.7", 40000)) as stranger:
        for _ in range(app.state.settings.login_max_failures * 3):
            sign_in(stranger, user.email, password="wrong password guess")
        assert sign_in(stranger, user.email).status_code == 429
    with TestClient(app, client=("192.0.2.10", 40000)) as owner:
        assert sign_in(owner, user.email).status_code == 303


def test_one_address_trying_many_accounts_is_limited(client, app):
    statuses = [sign_in(client, f"guess{i}@example.org", password="wrong password guess")
                .status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


def test_a_password_reset_ends_the_users_sessions(app):
    from fastapi.testclient import TestClient

    with app.state.sessionmaker() as session:
        user = make_user(session, Role.LINK_WORKER)
        admin = make_user(session, Role.ADMIN)
    with TestClient(app) as theirs, TestClient(app) as admins:
        assert sign_in(theirs, user.email).status_code == 303
        assert theirs.get("/account").status_code == 200
        assert sign_in(admins, admin.email).status_code == 303
        response = admins.post(f"/admin/users/{user.id}", follow_redirects=False, data={
            "action": "password", "password": "marmalade orbit kettle",
            "csrf_token": csrf_token(admins)})
        assert response.status_code == 303
        assert theirs.get("/account").status_code == 401
        assert sign_in(theirs, user.email, password="marmalade orbit kettle"
                       ).status_code == 303


def test_an_easily_guessed_password_is_refused_by_the_admin_form(client, login, app):
    login(Role.ADMIN)
    with app.state.sessionmaker() as session:
        user = make_user(session, Role.LINK_WORKER)
    response = client.post(f"/admin/users/{user.id}", data={
        "action": "password", "password": "aaaaaaaaaaaa"})
    assert response.status_code == 422
    assert "harder password" in response.text


def test_login_form_without_csrf_token_is_refused(client, app):
    with app.state.sessionmaker() as session:
        user = make_user(session, Role.ADMIN)
    client.get("/login")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403
    assert _events(app, action="denied")[0].detail["reason"] == "csrf"


def test_forged_csrf_token_is_refused_on_a_signed_in_form(client, login, app):
    login(Role.ADMIN)
    response = client.post("/admin/teams", data={"name": "Team A", "csrf_token": "forged"},
                           headers={"X-CSRF-Token": ""})
    assert response.status_code == 403
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.text("SELECT count(*) FROM team")) == 0


def test_page_for_another_role_is_forbidden_and_audited(client, login, app):
    user = login(Role.PROVIDER)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    denied = _events(app, action="denied", actor_id=user.id)
    assert denied and denied[0].detail["path"] == "/admin/users"


def test_signed_out_browser_is_sent_to_sign_in(client):
    response = client.get("/admin/users", headers={"accept": "text/html"},
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/users"


def test_admin_creates_user_with_roles_and_team(client, login, app):
    login(Role.ADMIN)
    response = client.post("/admin/teams", data={"name": "Lewisham PCN 1", "kind": "pcn",
                                                   "lad_code": "E09000023",
                                                   "caseload_capacity": "120"})
    assert response.status_code == 200
    with app.state.sessionmaker() as session:
        team_id = session.scalar(sa.text("SELECT id FROM team"))
    response = client.post("/admin/users/new", data={
        "display_name": "Sam Link", "email": "Sam@Example.org",
        "password": "a long enough password", "roles": ["link_worker"],
        "team_id": str(team_id), "organization_id": ""})
    assert response.status_code == 200
    with app.state.sessionmaker() as session:
        created = session.scalar(sa.select(User).where(User.email == "sam@example.org"))
        assert created.roles == {Role.LINK_WORKER} and created.team_id == team_id
        assert created.password_hash.startswith("$argon2id$")


def test_admin_user_form_with_duplicate_email_shows_error_and_writes_nothing(client, login, app):
    admin = login(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "display_name": "Copy", "email": admin.email, "roles": ["referrer"]})
    assert response.status_code == 409
    assert "already exists" in response.text
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_deactivating_a_user_ends_their_sessions(client, login, app):
    login(Role.ADMIN)
    with app.state.sessionmaker() as session:
        other = make_user(session, Role.REFERRER)
    from fastapi.testclient import TestClient

    with TestClient(app) as other_client:
        assert sign_in(other_client, other.email).status_code == 303
        response = client.post(f"/admin/users/{other.id}",
                               data={"action": "save", "roles": ["referrer"]})
        assert response.status_code == 200
        assert other_client.get("/account").status_code == 401
    with app.state.sessionmaker() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(LoginSession).where(
            LoginSession.user_id == other.id)) == 0


def test_two_factor_is_required_once_enabled(client, login, app):
    user = login(Role.LINK_WORKER)
    secret = pyotp.random_base32()
    response = client.post("/account/two-factor",
                           data={"secret": secret, "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    client.post("/logout")
    assert sign_in(client, user.email).status_code == 401
    response = sign_in(client, user.email, code=pyotp.TOTP(secret).now())
    assert response.status_code == 303


def test_logout_ends_the_session(client, login):
    login(Role.REFERRER)
    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert client.get("/account").status_code == 401


def test_bearer_api_token_acts_as_its_user_without_csrf(client, login, app):
    login(Role.ADMIN)
    with app.state.sessionmaker() as session:
        system = make_user(session, Role.ADMIN)
    response = client.post(f"/admin/users/{system.id}",
                           data={"action": "api_token", "token_name": "GP system"})
    token = response.text.split("<code>")[1].split("</code>")[0]
    from fastapi.testclient import TestClient

    with TestClient(app) as api:
        response = api.post("/admin/teams", data={"name": "Via API"},
                            headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert "set-cookie" not in response.headers  # an API caller keeps no browser state
        assert api.get("/admin/users", headers={"Authorization": "Bearer wrong"},
                       follow_redirects=False).status_code == 401
        # A wrong token is a failed sign-in (401), not a form from elsewhere (403).
        refused = api.post("/admin/teams", data={"name": "Via a wrong token"},
                           headers={"Authorization": "Bearer wrong"})
        assert refused.status_code == 401


def test_csrf_helper_matches_the_page_token(client):
    page = client.get("/login")
    assert csrf_token(client) in page.text
