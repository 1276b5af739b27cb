"""Languages as BCP-47 tags, the code system FHIR and UK Core bind ``communication.language``
to (required binding to http://hl7.org/fhir/ValueSet/all-languages).

People write a language's name as they say it ("Polish", "british sign language", "Farsi");
``langcodes`` (with ``language_data``) reads names against the IANA language subtag registry
and CLDR, so no list is written out here. A name it cannot place is tagged ``und``
("undetermined", a valid BCP-47 tag) and keeps the words as entered.
"""

from functools import lru_cache

SYSTEM = "urn:ietf:bcp:47"
UNDETERMINED = "und"


@lru_cache(maxsize=4096)
def tag_for(name: str) -> str:
    """The BCP-47 tag for a language's name in English, or ``und``."""
    import langcodes  # loads its name index on first use: only when a language is coded

    try:
        return langcodes.find(" ".join(name.split())).to_tag()
    except LookupError:
        return UNDETERMINED


@lru_cache(maxsize=4096)
def display_for(tag: str) -> str:
    import langcodes

    if tag == UNDETERMINED:
        return "Undetermined"
    return langcodes.Language.get(tag).display_name("en")


def concept(name: str) -> dict:
    """A FHIR CodeableConcept for a language as entered: the tag, and the words as text."""
    tag = tag_for(name)
    return {"coding": [{"system": SYSTEM, "code": tag, "display": display_for(tag)}],
            "text": name}


def name_from(concept_text: str | None, code: str | None) -> str | None:
    """What to record from an inbound CodeableConcept: its text, else the tag's name."""
    if concept_text:
        return concept_text
    if code and code != UNDETERMINED:
        return display_for(code)
    return None
