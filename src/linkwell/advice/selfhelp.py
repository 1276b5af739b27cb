"""Trusted self-help pages per category, for when information is the right level of help."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    text: str
    href: str


SELF_HELP: dict[str, tuple[Link, ...]] = {
    "housing": (
        Link("Shelter: housing advice", "https://england.shelter.org.uk/housing_advice"),
        Link("Citizens Advice: housing", "https://www.citizensadvice.org.uk/housing/"),
    ),
    "debt": (
        Link("National Debtline", "https://www.nationaldebtline.org/"),
        Link("Citizens Advice: debt and money",
             "https://www.citizensadvice.org.uk/debt-and-money/"),
    ),
    "welfare_benefits": (
        Link("Turn2us: benefits calculator", "https://www.turn2us.org.uk/"),
        Link("Citizens Advice: benefits", "https://www.citizensadvice.org.uk/benefits/"),
    ),
    "employment": (
        Link("Acas: advice on your rights at work", "https://www.acas.org.uk/"),
        Link("Citizens Advice: work", "https://www.citizensadvice.org.uk/work/"),
    ),
    "immigration": (
        Link("Citizens Advice: immigration", "https://www.citizensadvice.org.uk/immigration/"),
        Link("GOV.UK: visas and immigration", "https://www.gov.uk/browse/visas-immigration"),
    ),
    "community_care": (
        Link("Age UK: care and support", "https://www.ageuk.org.uk/information-advice/care/"),
        Link("Carers UK", "https://www.carersuk.org/"),
    ),
    "education": (
        Link("IPSEA: special educational needs", "https://www.ipsea.org.uk/"),
        Link("Child Law Advice: education", "https://www.childlawadvice.org.uk/"),
    ),
    "discrimination": (
        Link("Equality Advisory and Support Service",
             "https://www.equalityadvisoryservice.com/"),
        Link("Citizens Advice: discrimination",
             "https://www.citizensadvice.org.uk/law-and-courts/discrimination/"),
    ),
    "other": (
        Link("Citizens Advice", "https://www.citizensadvice.org.uk/"),
    ),
}

FIND_LEGAL_AID = Link("GOV.UK: find a legal aid adviser", "https://find-legal-advice.justice.gov.uk/")
CRISIS_NOTE = ("If you are in danger now, call 999. If you are thinking about ending your life, "
               "call Samaritans free on 116 123, day or night.")


def links_for(codes: list[str]) -> list[Link]:
    links = [link for code in codes for link in SELF_HELP.get(code, ())]
    return links or list(SELF_HELP["other"])
