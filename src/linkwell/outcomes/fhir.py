"""FHIR R4 views of instruments (``Questionnaire``) and completed measures
(``QuestionnaireResponse``), as plain dicts ready for JSON.

Each response option is a ``valueCoding`` whose ``code`` is the option's value, carrying the
score in the R4 ``ordinalValue`` extension, so a receiving system can score it without Linkwell.
The instrument's score concept (a SNOMED CT observable entity where one exists) is
``Questionnaire.code``; the licence attribution is ``Questionnaire.copyright``.
"""

from datetime import date, datetime

from linkwell.outcomes.instruments import InstrumentDefinition
from linkwell.outcomes.scoring import check_answers

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def questionnaire_url(base_url: str, definition: InstrumentDefinition) -> str:
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/{definition.key}"


def canonical(base_url: str, definition: InstrumentDefinition) -> str:
    """``url|version``: a response points at the exact version it was completed on."""
    return f"{questionnaire_url(base_url, definition)}|{definition.version}"


def _answer_coding(definition: InstrumentDefinition, item, option) -> dict:
    return {
        "extension": [{"url": ORDINAL_VALUE,
                       "valueDecimal": definition.item_score(item, option.value)}],
        "code": str(option.value),
        "display": option.label,
    }


def questionnaire(definition: InstrumentDefinition, *, base_url: str) -> dict:
    resource = {
        "resourceType": "Questionnaire",
        "id": f"{definition.key}-{definition.version}".replace("_", "-"),
        "url": questionnaire_url(base_url, definition),
        "version": definition.version,
        "name": "".join(part.capitalize() for part in definition.key.split("_")),
        "title": definition.name,
        "status": "active",
        "subjectType": ["Patient"],
        "item": [],
    }
    if definition.preamble:
        resource["description"] = definition.preamble
    if definition.code:
        resource["code"] = [definition.code.model_dump()]
    if definition.copyright:
        resource["copyright"] = definition.copyright
    for item in definition.items:
        resource["item"].append({
            "linkId": item.link_id,
            "text": item.text,
            "type": "choice",
            "required": True,
            "answerOption": [{"valueCoding": _answer_coding(definition, item, option)}
                             for option in definition.options_for(item)],
        })
    return resource


def questionnaire_response(
    definition: InstrumentDefinition,
    answers: dict[str, int | None],
    *,
    base_url: str,
    authored: datetime | date,
    response_id: str | None = None,
    subject_reference: str | None = None,
) -> dict:
    """A completed (or, with unanswered items, ``in-progress``) response; no personal data
    beyond the optional subject reference the caller chooses to give."""
    check_answers(definition, answers)
    items = []
    for item in definition.items:
        value = answers.get(item.link_id)
        entry = {"linkId": item.link_id, "text": item.text}
        if value is not None:
            option = next(o for o in definition.options_for(item) if o.value == value)
            entry["answer"] = [{"valueCoding": _answer_coding(definition, item, option)}]
        items.append(entry)
    complete = all(answers.get(i.link_id) is not None for i in definition.items)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(base_url, definition),
        "status": "completed" if complete else "in-progress",
        "authored": authored.isoformat(),
        "item": items,
    }
    if response_id:
        resource["id"] = response_id
    if subject_reference:
        resource["subject"] = {"reference": subject_reference}
    return resource
