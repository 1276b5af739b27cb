"""A database that does not answer gives 503 problem+json with Retry-After, not a 500."""

import pytest
from fastapi.testclient import TestClient

from conftest import make_settings
from linkwell.web.app import create_app
from referrals_factories import referral_json

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2",
    "sqlite": "sqlite:////nonexistent-folder/linkwell.db",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def down_client(request):
    app = create_app(make_settings(UNREACHABLE[request.param]))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.engine.dispose()


def _assert_retry_later(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 503


def test_api_write_with_the_database_down_answers_503(down_client):
    _assert_retry_later(down_client.post("/api/self-referrals", json=referral_json(),
                                         headers={"Idempotency-Key": "k1"}))


def test_sign_in_lookup_with_the_database_down_answers_503(down_client):
    """The bearer token is looked up in the auth middleware, before any route runs."""
    _assert_retry_later(down_client.get("/api/referrals/1",
                                        headers={"Authorization": "Bearer abc"}))


def test_public_read_with_the_database_down_answers_503(down_client):
    _assert_retry_later(down_client.get("/oruk/services"))


def test_page_with_the_database_down_is_a_503_page(down_client):
    response = down_client.get("/find?q=debt", headers={"Accept": "text/html"})
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert "Service unavailable" in response.text
