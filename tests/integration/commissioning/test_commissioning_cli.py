import json

import pytest

from conftest import invoke_cli
from linkwell.commissioning import commands, demo, queries
from linkwell.errors import InvalidInput, NotFound


@pytest.fixture
def answer(database_url, session_factory, monkeypatch):
    """``linkwell accountability answer ARGS`` against this test's database, which holds the
    demo programme."""
    with session_factory() as session, session.begin():
        demo.load_demo(session)
    return lambda *args: invoke_cli(monkeypatch, "accountability", "answer", *args,
                                    database_url=database_url)


def test_answer_as_of_17_january_2019_as_text(answer):
    result = answer("--as-of", "2019-01-17")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Health Inequality Strategy \u2014 social prescribing "
                                    "(2018/19)\nThe position as of 17 January 2019")
    assert "work commissioned has a known value of £86,000" in result.output
    assert "The value of one commission is not yet known" in result.output


def test_answer_as_json_has_the_documented_fields(answer):
    result = answer("--programme", demo.SLUG, "--as-of", "2019-01-17", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["known_total_pence"], data["unknown_value_count"]) == (8_600_000, 1)
    for commitment in data["commitments"]:
        assert {"known_total_pence", "unknown_value_count", "commissions"} <= set(commitment)
        for commission in commitment["commissions"]:
            assert {"status", "report_date"} <= set(commission)
    assert len(data["unlinked_commissions"]) == 3


def test_answer_defaults_to_today(answer):
    data = json.loads(answer("--json").output)
    assert data["as_of"] == queries.today().isoformat()
    assert data["known_total_pence"] == 8_600_000


def test_answer_needs_a_programme_when_there_are_several(answer, session_factory):
    with session_factory() as session, session.begin():
        commands.create_programme(session, slug="another", title="Another",
                                  strategy="Health Inequality Strategy")
    result = answer()
    assert isinstance(result.exception, InvalidInput)
    assert "--programme" in result.exception.detail


@pytest.mark.parametrize(("args", "error"), [
    (["--as-of", "17 Jan 2019"], InvalidInput),
    (["--as-of", "2019-01-16"], NotFound),
    (["--programme", "missing"], NotFound),
])
def test_answer_errors_are_domain_errors(answer, args, error):
    result = answer(*args)
    assert isinstance(result.exception, error)
