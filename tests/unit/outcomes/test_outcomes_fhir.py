"""Instruments export as FHIR R4 Questionnaires and measures as QuestionnaireResponses."""

import json
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from linkwell.errors import InvalidInput
from linkwell.outcomes.fhir import ORDINAL_VALUE, questionnaire, questionnaire_response
from linkwell.outcomes.instruments import builtin_instruments, get_instrument
from linkwell.outcomes.scoring import answers_from_list

BASE = "https://linkwell.example.org"
WHEN = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize("key", list(builtin_instruments()))
def test_questionnaire_parses_as_fhir_r4(key):
    definition = get_instrument(key)
    resource = Questionnaire.model_validate(questionnaire(definition, base_url=BASE))
    assert resource.url == f"{BASE}/fhir/Questionnaire/{key}"
    assert resource.version == definition.version
    assert [i.linkId for i in resource.item] == [i.link_id for i in definition.items]
    first = resource.item[0].answerOption
    assert [o.valueCoding.code for o in first] == [
        str(o.value) for o in definition.options_for(definition.items[0])]


def test_questionnaire_swemwbs_carries_snomed_code_copyright_and_scores():
    resource = Questionnaire.model_validate(
        questionnaire(get_instrument("swemwbs"), base_url=BASE))
    assert (resource.code[0].system, resource.code[0].code) == (
        "http://snomed.info/sct", "718466001")
    assert "University of Warwick" in resource.copyright
    option = resource.item[0].answerOption[4].valueCoding
    assert option.display == "All of the time"
    assert option.extension[0].url == ORDINAL_VALUE
    assert float(option.extension[0].valueDecimal) == 5


def test_questionnaire_without_a_verified_code_has_none():
    assert "code" not in questionnaire(get_instrument("ons4"), base_url=BASE)


def test_questionnaire_response_parses_and_points_at_the_version():
    definition = get_instrument("swemwbs")
    answers = answers_from_list(definition, [3, 4, 2, 5, 3, 4, 4])
    data = questionnaire_response(definition, answers, base_url=BASE, authored=WHEN,
                                  response_id="m-1", subject_reference="Patient/17")
    resource = QuestionnaireResponse.model_validate(data)
    assert resource.questionnaire == f"{BASE}/fhir/Questionnaire/swemwbs|2"
    assert resource.status == "completed"
    assert [i.answer[0].valueCoding.code for i in resource.item] == ["3", "4", "2", "5", "3",
                                                                      "4", "4"]
    assert resource.subject.reference == "Patient/17"
    assert json.loads(resource.model_dump_json())["authored"].startswith("2026-03-02T10:30:00")


def test_questionnaire_response_incomplete_is_in_progress_without_an_answer():
    definition = get_instrument("ons4")
    data = questionnaire_response(definition, answers_from_list(definition, [7, None, 6, 2]),
                                  base_url=BASE, authored=WHEN)
    resource = QuestionnaireResponse.model_validate(data)
    assert resource.status == "in-progress"
    assert resource.item[1].answer is None
    assert resource.item[3].answer[0].valueCoding.code == "2"


def test_questionnaire_response_refuses_an_out_of_range_answer():
    definition = get_instrument("ucla3")
    with pytest.raises(InvalidInput, match="isolated"):
        questionnaire_response(definition, {"companionship": 1, "left_out": 1, "isolated": 4},
                               base_url=BASE, authored=WHEN)
