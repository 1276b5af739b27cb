"""``linkwell outcomes``: score, list, export; bad input exits with status 2."""

import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from conftest import invoke_cli


@pytest.fixture
def outcomes(monkeypatch):
    """``linkwell outcomes ARGS``: no database."""
    return lambda *args: invoke_cli(monkeypatch, "outcomes", *args)


def test_cli_score_swemwbs_prints_raw_metric_and_band(outcomes):
    result = outcomes("score", "--instrument", "swemwbs", "--answers", "3,4,2,5,3,4,4")
    assert result.exit_code == 0, result.output
    assert "Raw score: 25" in result.output
    assert "Metric score: 22.35" in result.output
    assert "Band:" not in result.output  # SWEMWBS has no sourced cut points
    assert "© NHS Health Scotland" in result.output


def test_cli_score_json(outcomes):
    result = outcomes("score", "--instrument", "swemwbs", "--answers", "3,4,2,5,3,4,4", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["raw"], data["metric"], data["band"], data["complete"]) == (
        25, 22.35, None, True)


def test_cli_score_incomplete_says_there_is_no_total(outcomes):
    result = outcomes("score", "-i", "wemwbs", "-a", "3,3,3,3,3,3,,3,3,3,3,3,3,3")
    assert result.exit_code == 0, result.output
    assert "no total" in result.output
    assert "Raw score" not in result.output


def test_cli_score_ons4_prints_each_item(outcomes):
    result = outcomes("score", "-i", "ons4", "-a", "7,8,5,1")
    assert result.exit_code == 0, result.output
    assert "anxiety: 1 (Very low)" in result.output
    assert "Raw score" not in result.output


def test_cli_score_unknown_instrument_exits_2(outcomes):
    result = outcomes("score", "-i", "phq9", "-a", "1")
    assert result.exit_code == 2
    assert "Unknown instrument 'phq9'" in result.output


def test_cli_score_out_of_range_answer_exits_2_naming_the_item(outcomes):
    result = outcomes("score", "-i", "swemwbs", "-a", "3,4,2,6,3,4,4")
    assert result.exit_code == 2
    assert "item 4" in result.output


def test_cli_score_wrong_number_of_answers_exits_2(outcomes):
    result = outcomes("score", "-i", "swemwbs", "-a", "3,4,2")
    assert result.exit_code == 2
    assert "7 items; 3 answers" in result.output


def test_cli_instruments_lists_all_five(outcomes):
    result = outcomes("instruments")
    assert result.exit_code == 0
    keys = [line.split()[0] for line in result.output.splitlines()]
    assert keys == ["wemwbs", "swemwbs", "ons4", "ons_loneliness", "ucla3"]


def test_cli_questionnaire_prints_fhir_json(outcomes):
    result = outcomes("questionnaire", "swemwbs")
    assert result.exit_code == 0, result.output
    resource = Questionnaire.model_validate(json.loads(result.stdout))
    assert len(resource.item) == 7


def test_cli_questionnaire_unknown_instrument_exits_2(outcomes):
    result = outcomes("questionnaire", "nope")
    assert result.exit_code == 2


def test_cli_validate_accepts_a_good_definition(outcomes, tmp_path):
    path = tmp_path / "local.json"
    path.write_text(json.dumps({
        "key": "local", "shortName": "Local", "name": "Local check",
        "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
        "items": [{"linkId": "q1", "text": "Q1"}, {"linkId": "q2", "text": "Q2"}],
        "scoring": {"rule": "sum", "missingItems": "no_total", "meaningfulChange": 1},
    }))
    result = outcomes("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "local: valid (2 items, sum, raw 0–2)" in result.output


def test_cli_validate_refuses_a_bad_definition(outcomes, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"key": "bad", "items": []}))
    result = outcomes("validate", str(path))
    assert result.exit_code == 2
    assert "not valid" in result.output


def test_cli_validate_refuses_malformed_json(outcomes, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{")
    result = outcomes("validate", str(path))
    assert result.exit_code == 2
    assert "not JSON" in result.output
