"""JSON log lines with a request id, echoed as X-Request-ID, and no personal data."""

import json
import logging

import pytest

from linkwell.operations.logs import JsonFormatter
from referrals_factories import referral_json


@pytest.fixture
def log_lines():
    """The JSON lines logged by linkwell while the test runs."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Keep()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("linkwell")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_request_id_is_echoed_and_logged(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.1"
    entry = json.loads(log_lines[-1])
    assert entry | {"ts": None, "duration_ms": None} == {
        "ts": None, "level": "info", "logger": "linkwell.request", "message": "request",
        "request_id": "lb-7f3a.1", "method": "GET", "path": "/healthz", "status": 200,
        "duration_ms": None}


@pytest.mark.parametrize("given", [None, "", "has spaces", "x" * 65, "<script>"])
def test_a_missing_or_unsafe_request_id_is_replaced(client, given, log_lines):
    headers = {"X-Request-ID": given} if given is not None else {}
    rid = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert len(rid) == 32 and int(rid, 16) >= 0
    assert json.loads(log_lines[-1])["request_id"] == rid


def test_logs_hold_no_query_string_and_no_body(client, log_lines):
    client.get("/find?q=Ada+Okafor&postcode=SE13+5AA")
    client.post("/api/self-referrals", json=referral_json())
    text = "\n".join(log_lines)
    assert log_lines
    for personal in ("Ada", "Okafor", "SE13", "9434765919", "Lives alone"):
        assert personal not in text
    paths = [json.loads(line).get("path") for line in log_lines]
    assert "/find" in paths and "/api/self-referrals" in paths


def test_an_exception_is_logged_by_type_and_place_only():
    try:
        raise ValueError("Ada Okafor's NHS number 9434765919")
    except ValueError:
        record = logging.LogRecord("linkwell", logging.ERROR, __file__, 1, "failed", None,
                                   exc_info=__import__("sys").exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["error"] == "ValueError"
    assert "Okafor" not in json.dumps(entry)
