import json

import pytest

from advice_fixtures import CA_DEBT, LC_HOUSING, add_advice_directory
from conftest import invoke_cli
from linkwell.settings import PROJECT_ROOT

DONE_WHEN = ("my landlord gave me a section 21 and I'm behind on council tax, "
             "the bailiffs are coming")


@pytest.fixture
def advice(monkeypatch):
    """``linkwell advice ARGS`` with no database: enough for --no-providers and for errors."""
    return lambda *args, input=None: invoke_cli(monkeypatch, "advice", *args, input=input)


@pytest.fixture
def advice_on_db(database_url, session, monkeypatch):
    """``linkwell advice ARGS`` against this test's database, which holds the advice
    directory."""
    with session.begin():
        add_advice_directory(session)
    return lambda *args, input=None: invoke_cli(monkeypatch, "advice", *args, input=input,
                                                database_url=database_url)


def test_cli_triage_done_when_example_json(advice_on_db):
    # A notice given before section 21 was abolished (1 May 2026), seen the next week.
    result = advice_on_db("triage", "--json", "--postcode", "SE13 5AA",
                          "--today", "2026-03-02",
                          "-a", "notice_received=yes", "-a", "notice_type=section_21",
                          "-a", "notice_served_date=2026-02-23", DONE_WHEN)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {c["code"] for c in data["categories"]} == {"housing", "debt"}
    assert data["urgent"] is True
    assert data["legal_aid"] == "likely_in_scope"
    assert {"what": "Earliest date your section 21 notice can end", "date": "2026-04-23"} \
        .items() <= data["deadlines"][0].items()
    providers = [p["service_id"] for p in data["providers"]]
    assert LC_HOUSING in providers and CA_DEBT in providers


def test_cli_triage_reads_stdin_and_prints_plain_text(advice_on_db):
    result = advice_on_db("triage", "--postcode", "SE13 5AA",
                          input="bailiffs at the door about council tax\n")
    assert result.exit_code == 0, result.output
    assert "URGENT" in result.output
    assert "Problem: Debt" in result.output
    assert "Legal aid (an indication, not legal advice)" in result.output


def test_cli_triage_empty_text_is_an_error(advice):
    result = advice("triage", "--no-providers", "--json", input="  ")
    assert result.exit_code != 0
    assert "empty" in str(result.exception) or "empty" in result.output


def test_cli_triage_today_option_fixes_the_deadlines(advice):
    result = advice("triage", "--json", "--no-providers",
                    "--today", "2026-03-02",
                    "-a", "benefit_decision_date=2026-02-20", "PIP stopped")
    assert result.exit_code == 0, result.output
    deadline = json.loads(result.output)["deadlines"][0]
    assert deadline["date"] == "2026-03-20"
    assert deadline["days_left"] == 18


def test_cli_triage_court_hearing_this_coming_tuesday(advice):
    result = advice(
        "triage", "--json", "--no-providers", "--today", "2026-12-04",
        "the court has listed the hearing to evict us for this coming Tuesday")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["categories"][0]["code"] == "housing"
    assert data["urgent"] is True
    assert data["deadlines"][0]["date"] == "2026-12-08"


def test_cli_build_model_writes_the_model_triage_reads(advice, tmp_path):
    from linkwell.advice.classifier import ProblemModel, default_model

    result = advice("build-model", "--output", str(tmp_path / "m.npz"))
    assert result.exit_code == 0, result.output
    assert "9 categories" in result.output
    built = ProblemModel.load(tmp_path / "m.npz")
    text = "the council has cut my mum's care package"
    assert built.probabilities(text) == default_model().probabilities(text)


@pytest.mark.parametrize("folder", ["heldout2", "heldout3", "heldout4", "heldout5",
                                    "heldout6", "heldout7", "heldout8",
                                    "heldout9", "heldout10", "heldout11", "heldout12",
                                    "heldout13", "heldout14", "heldout15",
                                    "heldout16", "heldout17", "heldout18",
                                    "heldout19", "heldout20"])
def test_cli_evaluate_refuses_a_retired_set_as_held_out(advice, folder):
    retired = PROJECT_ROOT / "tests" / "fixtures" / "advice" / folder
    result = advice("evaluate", "--held-out", str(retired))
    assert result.exit_code != 0
    assert "retired" in str(result.exception)


def test_cli_evaluate_says_plainly_when_the_held_out_set_is_not_there(advice, tmp_path):
    # The next frozen set is added by the lead; until then its file is simply absent.
    absent = tmp_path / "heldout23" / "heldout.jsonl"
    result = advice("evaluate", "--held-out", str(absent))
    assert result.exit_code != 0
    assert "no such file" in str(result.exception)
    assert "not be in this checkout" in str(result.exception)
