"""Stored XSS through the directory: only http, https, mailto and tel are ever stored or
shown as a link, whichever way a service comes in (issue #13, finding 2)."""

import json

import pytest
from sqlalchemy import func, select, update

from conftest import invoke_cli
from linkwell.db import transaction
from linkwell.directory import hsds, transfer
from linkwell.directory.models import Service
from linkwell.directory.standard import TABLES
from linkwell.errors import InvalidInput
from referrals_factories import make_organization, make_service

SERVICE_ID = "00000000-0000-4000-8000-000000000001"
HOSTILE = ["javascript:alert(document.cookie)", "JavaScript:alert(1)",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]


def _service(url: str) -> dict:
    return {"id": SERVICE_ID, "name": "Lunch club", "status": "active", "url": url,
            "organization": {"id": "00000000-0000-4000-8000-000000000002",
                             "name": "Riverside", "description": "Community centre"}}


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_scheme_is_refused_by_the_row_check(url):
    with pytest.raises(hsds.FieldError):
        hsds.parse_value("service", TABLES["service"].field("url"), url)


@pytest.mark.parametrize("url", ["https://example.org/x", "http://example.org",
                                 "mailto:help@example.org", "tel:+442079460000"])
def test_web_mail_and_phone_links_are_kept(url):
    assert hsds.parse_value("service", TABLES["service"].field("url"), url) == url


@pytest.mark.parametrize("url", HOSTILE[:2])
def test_import_refuses_a_hostile_service_url_and_writes_nothing(session_factory, url):
    with pytest.raises(InvalidInput) as caught, transaction(session_factory) as session:
        transfer.import_services(session, [("feed.json item 1", _service(url))])
    [error] = caught.value.errors
    assert (error["table"], error["field"]) == ("service", "url")
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Service)) == 0


def test_directory_import_command_says_which_field(database_url, tmp_path, monkeypatch):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([_service("javascript:alert(1)")]))
    result = invoke_cli(monkeypatch, "directory", "import", str(feed), database_url=database_url)
    assert result.exit_code != 0
    assert f"service {SERVICE_ID} field url: must be a web address" in result.output


def test_the_service_page_never_links_a_hostile_scheme(client, app):
    """A row stored before the rule (or by a route around it) is shown as text, not a link."""
    with app.state.sessionmaker() as session:
        service = make_service(session, make_organization(session))
        with session.begin():
            session.execute(update(Service).where(Service.id == service.id)
                            .values(url="javascript:alert(1)"))
    html = client.get(f"/services/{service.id}").text
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html
