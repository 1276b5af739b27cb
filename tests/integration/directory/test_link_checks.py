"""Listed websites are checked against a local stand-in web server: a missing page, a server
error or no answer is broken; a site that refuses HEAD or asks for a sign-in is not."""

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select, update

from conftest import invoke_cli
from linkwell.db import transaction
from linkwell.directory import link_checker
from linkwell.directory.listings import quality_queue, record_link_checks, websites_to_check
from linkwell.directory.models import LinkCheck, Service
from search_fixtures import BEFRIEND, CITIZENS, DEBT_DROP_IN, TODAY, YOUTH, add_all

ANSWERS = {"/ok": (200, 200), "/gone": (404, 404), "/no-head": (405, 200),
           "/error": (503, 503), "/sign-in": (401, 401), "/moved": (301, 200)}


class _Site(BaseHTTPRequestHandler):
    def _answer(self, method: str):
        head, get = ANSWERS.get(self.path, (404, 404))
        status = head if method == "HEAD" else get
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):  # noqa: N802 - the standard library's name
        self._answer("HEAD")

    def do_GET(self):  # noqa: N802
        self._answer("GET")

    def log_message(self, *args):
        pass


@pytest.fixture
def web_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_each_kind_of_answer_gets_its_verdict(web_site):
    nowhere = f"http://127.0.0.1:{_closed_port()}/"
    urls = [f"{web_site}{path}" for path in ANSWERS] + [nowhere]
    results = link_checker.check_links(urls, user_agent="test")
    problems = {url.removeprefix(web_site): result.problem for url, result in results.items()}
    assert problems[f"{web_site}/ok".removeprefix(web_site)] is None
    assert problems["/no-head"] is None and problems["/sign-in"] is None
    assert problems["/moved"] is None
    assert problems["/gone"] == "The page is not there any more (404)"
    assert problems["/error"] == "The site answered with an error (503)"
    assert problems[nowhere].startswith("The site could not be reached")


def test_broken_websites_reach_the_data_quality_queue_and_a_fixed_one_leaves(
        session_factory, web_site):
    with transaction(session_factory) as session:
        add_all(session)
        session.execute(update(Service).values(url=None))  # no internet here: only ours
        for service_id, path in ((BEFRIEND, "/gone"), (CITIZENS, "/ok"),
                                 (DEBT_DROP_IN, "/gone"), (YOUTH, "/error")):
            session.execute(update(Service).where(Service.id == service_id)
                            .values(url=f"{web_site}{path}"))
    with session_factory() as session:
        services_by_url = websites_to_check(session)
    assert sorted(services_by_url[f"{web_site}/gone"]) == sorted([BEFRIEND, DEBT_DROP_IN])
    results = link_checker.check_links(services_by_url, user_agent="test")
    with transaction(session_factory) as session:
        assert record_link_checks(session, services_by_url, results) == 3
        broken = quality_queue(session, stale_before=TODAY)["broken_link"]
    assert {(item.service_id, item.problem) for item in broken} == {
        (BEFRIEND, "The page is not there any more (404)"),
        (DEBT_DROP_IN, "The page is not there any more (404)"),
        (YOUTH, "The site answered with an error (503)")}

    # The provider puts in the new address: the old check no longer counts against it.
    with transaction(session_factory) as session:
        session.execute(update(Service).where(Service.id == BEFRIEND)
                        .values(url=f"{web_site}/ok"))
        broken = quality_queue(session, stale_before=TODAY)["broken_link"]
        assert BEFRIEND not in {item.service_id for item in broken}
        assert session.scalar(select(LinkCheck.problem).where(
            LinkCheck.service_id == BEFRIEND)) is not None  # until the next check


def test_the_data_quality_page_says_what_is_wrong_with_each_website(client, app, login):
    from datetime import UTC, datetime

    with app.state.sessionmaker() as session, session.begin():
        add_all(session)
        url = session.get(Service, BEFRIEND).url
        session.add(LinkCheck(service_id=BEFRIEND, url=url, status_code=404,
                              problem="The page is not there any more (404)",
                              checked_at=datetime(2026, 12, 1, tzinfo=UTC)))
    login("admin")
    page = client.get("/admin/data-quality")
    assert page.status_code == 200 and "Website not working" in page.text
    assert "The page is not there any more (404)" in page.text


def test_the_check_links_command_reports_what_it_found(session_factory, database_url,
                                                      monkeypatch, web_site):
    with transaction(session_factory) as session:
        add_all(session)
        session.execute(update(Service).values(url=None))
        session.execute(update(Service).where(Service.id == BEFRIEND)
                        .values(url=f"{web_site}/gone"))
    result = invoke_cli(monkeypatch, "directory", "check-links", database_url=database_url)
    assert result.exit_code == 0, result.output
    assert "Checked 1 websites for 1 services: 1 services have a website that is not " \
        "working" in result.output


def test_checking_works_when_the_caller_already_runs_an_event_loop(web_site):
    """A web worker or a browser-driving test may have an event loop running in this thread;
    the check must not need one of its own there."""
    async def caller():
        return link_checker.check_links([f"{web_site}/ok"], user_agent="test")

    # The loop runs in a thread of its own: a browser test earlier in this pytest worker may
    # still hold Playwright's loop in the main thread, where asyncio.run would be refused.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, caller()).result()
    assert results[f"{web_site}/ok"].problem is None
