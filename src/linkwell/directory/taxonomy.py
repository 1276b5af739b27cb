"""The Linkwell social-prescribing taxonomy: stable term codes and ids other areas can name.

Published as an HSDS ``taxonomy`` with ``taxonomy_term`` rows. Codes never change meaning and
ids are derived from codes (UUID 5), so a term's id is the same in every database: referrals,
needs and advice triage may refer to ``term_id("debt")`` or the code ``"debt"`` directly.
Social-welfare advice areas sit under the ``advice`` term, following the categories used for
specialist advice (debt, welfare benefits, housing, employment, immigration, community care,
education, discrimination).
"""

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6f0b7c1e-4a58-4d0e-9a57-1f3c2b5d8e90")
TAXONOMY_NAME = "Linkwell social prescribing"
TAXONOMY_VERSION = "1"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy:linkwell"))


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    parent_code: str | None = None


TERMS: tuple[Term, ...] = (
    Term("loneliness-befriending", "Loneliness and befriending",
         "Befriending, social groups and clubs for people who are isolated or lonely."),
    Term("physical-activity", "Physical activity",
         "Walking groups, exercise classes, sport and leisure for all abilities."),
    Term("arts-culture", "Arts and culture",
         "Creative, musical and heritage activities: choirs, art groups, museums."),
    Term("mental-wellbeing", "Mental wellbeing",
         "Peer support, wellbeing cafes, talking groups and low-level emotional support."),
    Term("carers", "Carers", "Support, breaks and advice for unpaid carers."),
    Term("food", "Food", "Food banks, community kitchens, lunch clubs and cooking skills."),
    Term("digital-inclusion", "Digital inclusion",
         "Help getting online: devices, data and digital skills."),
    Term("advice", "Social welfare advice",
         "Specialist advice on the social-welfare law problems that affect health."),
    Term("debt", "Debt", "Debt advice, budgeting and dealing with creditors.", "advice"),
    Term("welfare-benefits", "Welfare benefits",
         "Claims, reviews and appeals for benefits such as Universal Credit and PIP.", "advice"),
    Term("housing", "Housing",
         "Homelessness, disrepair, eviction and tenancy problems.", "advice"),
    Term("employment", "Employment",
         "Employment rights, dismissal and finding work.", "advice"),
    Term("immigration", "Immigration",
         "Immigration status, asylum support and settlement.", "advice"),
    Term("community-care", "Community care",
         "Social care assessments, care packages and support from the council.", "advice"),
    Term("education", "Education",
         "School exclusions, special educational needs and school admissions.", "advice"),
    Term("discrimination", "Discrimination",
         "Discrimination under the Equality Act 2010.", "advice"),
)
TERMS_BY_CODE = {term.code: term for term in TERMS}


def term_id(code: str) -> str:
    """The stable id of a term, for any code in :data:`TERMS`."""
    if code not in TERMS_BY_CODE:
        raise KeyError(f"no Linkwell taxonomy term {code!r}")
    return str(uuid.uuid5(NAMESPACE, f"term:{code}"))


def taxonomy_row() -> dict:
    return {"id": TAXONOMY_ID, "name": TAXONOMY_NAME,
            "description": "Needs that social prescribing and specialist advice meet, as used "
                           "by Linkwell link workers.",
            "uri": None, "version": TAXONOMY_VERSION}


def term_rows() -> list[dict]:
    """The terms as ``taxonomy_term`` rows, parents before children."""
    return [{"id": term_id(t.code), "code": t.code, "name": t.name,
             "description": t.description,
             "parent_id": term_id(t.parent_code) if t.parent_code else None,
             "taxonomy": TAXONOMY_NAME, "language": "en", "taxonomy_id": TAXONOMY_ID,
             "term_uri": None}
            for t in TERMS]
