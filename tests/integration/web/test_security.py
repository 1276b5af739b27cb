"""The shared hardening layer (web/security.py, web/deps.py, the 500 handler), over HTTP."""

import pytest

from conftest import LiveServer, make_settings

BIG = "99999999999999999999"


@pytest.mark.parametrize("path", [
    f"/api/people/{BIG}", "/api/people/9223372036854775808", f"/api/episodes/{BIG}",
    f"/api/referrals/{BIG}", f"/fhir/Task/onward-{BIG}", "/oruk/services?page=9223372036854775807",
    f"/oruk/organizations?page={BIG}", f"/evaluation/runs/{BIG}/result.json",
    "/api/episodes/2147483648", "/api/onward-referrals/50886852755723",
])
def test_ids_and_pages_beyond_64_bits_are_refused_not_crashed(client, login, path):
    login("admin", roles=["admin", "link_worker", "evaluator"])
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_big_ids_on_pages_are_refused(client, login):
    login("admin", roles=["admin", "link_worker"])
    for path in (f"/people/{BIG}", f"/admin/users/{BIG}", f"/admin/audit?page={BIG}",
                 f"/episodes/{BIG}/measures"):
        assert client.get(path).status_code in (404, 422), path


def test_every_integer_id_and_page_on_every_route_is_bounded(app):
    """Pages as well as the API (walked from the routes, not the OpenAPI document, which leaves
    the pages out): an unbounded integer id would let 2^63 reach the database driver."""
    from annotated_types import Le
    from fastapi.routing import APIRoute, iter_route_contexts

    checked = 0
    for context in iter_route_contexts(app.routes):
        route = context.route
        if not isinstance(route, APIRoute):
            continue
        for param in route.dependant.path_params + route.dependant.query_params:
            info = param.field_info
            if info.annotation is int and (param.name == "page" or param.name.endswith("id")):
                bounds = [m.le for m in info.metadata if isinstance(m, Le)]
                assert bounds and bounds[0] <= 2**31 - 1, (route.path, param.name)
                checked += 1
    assert checked > 50


def test_body_over_the_limit_is_refused_before_it_is_read(client):
    big = b'{"text": "' + b"a" * (1024 * 1024) + b'"}'
    response = client.post("/api/advice/triage", content=big,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["title"] == "Request too large"


def test_streamed_body_without_length_is_cut_at_the_limit(client):
    def chunks():
        for _ in range(64):
            yield b"a" * 65536

    response = client.post("/api/advice/triage", content=chunks(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_body_limit_is_configurable(database_url):
    from fastapi.testclient import TestClient

    from linkwell.web.app import create_app

    app = create_app(make_settings(database_url, max_body_bytes=2048))
    with TestClient(app) as client:
        response = client.post("/api/advice/triage", json={"text": "debt " * 1000})
    app.state.engine.dispose()
    assert response.status_code == 413


@pytest.mark.parametrize("payload", [rb'{"text": "rent\u0000arrears"}', rb'{"text": "a\u001bb"}',
                                     rb'{"text": "\ud800"}', rb'{"answers": {"k\u0007": "v"}}'])
def test_control_characters_in_json_are_refused(client, payload):
    response = client.post("/api/advice/triage", content=payload,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "control characters" in response.json()["detail"]


def test_tabs_and_line_breaks_are_text(client):
    response = client.post("/api/advice/triage",
                           json={"text": "Behind on rent.\r\n\tBailiffs letter came."})
    assert response.status_code == 200


def test_control_characters_in_forms_and_query_strings_are_refused(client):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 422
    assert client.get("/find?search=%00").status_code == 422
    assert client.get("/oruk/services/%00").status_code == 422


def test_server_error_is_a_complete_problem_without_details(app):
    """An unexpected exception is answered in full over a real connection: a problem+json
    500 with nothing from the exception, not a reset."""
    import httpx

    secret = "Jane Doe 943 476 5919"

    @app.get("/api/boom")
    def boom():
        raise RuntimeError(secret)

    with LiveServer(app) as server:
        response = httpx.get(f"{server.url}/api/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Internal server error"
    assert secret not in response.text and "Traceback" not in response.text


# --- Headers ----------------------------------------------------------------------------------

def test_every_response_carries_the_browser_protections(client):
    for path in ("/find", "/login", "/oruk/services", "/static/app/linkwell.css", "/nowhere"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp and "font-src 'self'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers


def test_hsts_only_in_production(database_url):
    from fastapi.testclient import TestClient

    from linkwell.web.app import create_app

    app = create_app(make_settings(database_url, production=True))
    with TestClient(app, base_url="https://testserver") as client:
        headers = client.get("/find").headers
    app.state.engine.dispose()
    assert headers["strict-transport-security"].startswith("max-age=31536000")


def test_personal_responses_are_not_stored(client, login):
    assert "no-store" not in client.get("/find").headers.get("cache-control", "")
    assert client.get("/api/caseload").headers["cache-control"] == "no-store"  # even a 401
    assert client.get("/fhir/Task").headers["cache-control"] == "no-store"
    login("link_worker")
    for path in ("/caseload", "/find", "/api/caseload"):
        assert client.get(path).headers["cache-control"] == "no-store", path


def test_pages_have_no_inline_script_or_style(client, login):
    import re

    login("link_worker", roles=["link_worker", "referrer"])
    for path in ("/find", "/caseload", "/referrals/new", "/refer-yourself", "/advice"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert "<style" not in html and " style=" not in html, path


def test_a_simulated_referral_opens_for_an_administrator(client, login, app):
    from sqlalchemy import update

    from linkwell.referrals.models import Referral
    from referrals_factories import submit

    admin = login("admin", roles=["admin", "referrer"])
    with app.state.sessionmaker() as session:
        referral = submit(session, admin)
        with session.begin():
            session.execute(update(Referral).where(Referral.id == referral.id)
                            .values(source="simulated"))
    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    assert "Simulated" in page.text


# --- Proxy headers ----------------------------------------------------------------------------

@pytest.mark.parametrize(("trusted", "seen"), [([], "127.0.0.1"),
                                               (["10.9.9.9"], "127.0.0.1"),
                                               (["127.0.0.1"], "203.0.113.9")])
def test_forwarded_address_is_believed_only_from_trusted_proxies(sqlite_url, trusted, seen):
    """Served as ``linkwell serve`` serves it: the audit trail (and so the sign-in rate
    limit, keyed the same way) sees the forwarded address only from a trusted proxy."""
    import httpx
    from sqlalchemy import select

    from linkwell.audit.models import AuditEvent
    from linkwell.auth.tokens import csrf_token_for
    from linkwell.web.app import create_app
    from linkwell.web.security import server_options

    settings = make_settings(sqlite_url, trusted_proxies=trusted)
    app = create_app(settings)
    with LiveServer(app, **server_options(settings)) as server, httpx.Client() as http:
        http.get(f"{server.url}/login")
        token = csrf_token_for(http.cookies["linkwell_browser"], settings.secret_key)
        http.post(f"{server.url}/login", headers={"X-Forwarded-For": "203.0.113.9"},
                  data={"email": "nobody@example.org", "password": "wrong", "csrf_token": token})
    with app.state.sessionmaker() as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "login_failed")).one()
    app.state.engine.dispose()
    assert event.source_ip == seen


def test_trusted_proxies_setting_reads_a_comma_separated_list(monkeypatch):
    from linkwell.settings import Settings

    monkeypatch.setenv("LINKWELL_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    assert Settings().trusted_proxies == ["10.0.0.5", "10.0.0.6"]
    monkeypatch.delenv("LINKWELL_TRUSTED_PROXIES")
    assert Settings().trusted_proxies == []


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "2147483648", "-1"])
def test_numbers_typed_into_forms_and_headers_never_crash(client, login, value):
    login("admin", roles=["admin", "link_worker"])
    assert client.get(f"/admin/audit?actor_id={value}").status_code == 200
    response = client.post("/admin/teams", data={"name": "Team", "caseload_capacity": value},
                           follow_redirects=False)
    assert response.status_code == 422
    response = client.post("/api/referrals/1/accept",
                           headers={"If-Match": f'"{value}"'.encode()})
    assert response.status_code in (404, 422)
