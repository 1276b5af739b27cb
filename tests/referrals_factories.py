"""Factories for referral tests: directory services, teams, people and referrals."""

import uuid
from datetime import date

from linkwell.auth.models import Team
from linkwell.directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
)
from linkwell.referrals import commands

VALID_NHS = "9434765919"


def new_id() -> str:
    return str(uuid.uuid4())


def make_organization(session, name="Lewisham Befriending") -> Organization:
    with session.begin():
        org = Organization(id=new_id(), name=name, description=f"{name} description")
        session.add(org)
    return org


def taxonomy_term(session, code: str) -> str:
    term = session.query(TaxonomyTerm).filter_by(code=code).first()
    if term is None:
        term = TaxonomyTerm(id=new_id(), code=code, name=code.title(), description=code)
        session.add(term)
        session.flush()
    return term.id


def make_service(session, organization, name="Befriending calls", *,
                 codes=("loneliness-befriending",), lat=51.4452, lon=-0.0209,
                 minimum_age=None, maximum_age=None,
                 capacity=None, waiting_time_days=None, languages=(), email=None) -> Service:
    with session.begin():
        service = Service(id=new_id(), organization_id=organization.id, name=name,
                          status="active", minimum_age=minimum_age, maximum_age=maximum_age,
                          email=email)
        session.add(service)
        session.flush()
        for code in codes:
            session.add(Attribute(id=new_id(), link_id=service.id, link_entity="service",
                                  taxonomy_term_id=taxonomy_term(session, code)))
        if lat is not None:
            location = Location(id=new_id(), location_type="physical", latitude=lat,
                                longitude=lon, name=name)
            session.add(location)
            session.flush()
            session.add(ServiceAtLocation(id=new_id(), service_id=service.id,
                                          location_id=location.id))
        if capacity:
            session.add(ServiceCapacity(service_id=service.id, status=capacity,
                                        waiting_time_days=waiting_time_days))
        for language in languages:
            session.add(Language(id=new_id(), service_id=service.id, name=language))
    return service


def make_team(session, name="Lewisham PCN", lad_code="E09000023") -> Team:
    with session.begin():
        team = Team(name=name, kind="pcn", lad_code=lad_code, caseload_capacity=300)
        session.add(team)
    return team


def person_details(**overrides) -> dict:
    details = {"given_name": "Ada", "family_name": "Okafor", "birth_date": date(1950, 3, 15),
               "postcode": "SE13 5AA", "nhs_number": VALID_NHS, "phone": "020 7946 0000",
               "language": "English"}
    details.update(overrides)
    return details


def referral_request(*, reasons=("loneliness",), notes="Lives alone since bereavement",
                     consent=True, source="gp", **person) -> commands.ReferralRequest:
    return commands.ReferralRequest(person=commands.PersonDetails(**person_details(**person)),
                                    source=source, reasons=list(reasons), notes=notes,
                                    consent_to_share=consent)


def referral_json(**overrides) -> dict:
    person = {k: (v.isoformat() if isinstance(v, date) else v)
              for k, v in person_details().items()}
    person.update(overrides.pop("person", {}))
    body = {"person": person, "source": "gp", "reasons": ["loneliness", "debt"],
            "notes": "Lives alone", "consent_to_share": True}
    body.update(overrides)
    return body


def submit(session, by, **kwargs):
    with session.begin():
        referral, _ = commands.submit_referral(session, by=by, request=referral_request(**kwargs))
    return referral


def accept(session, by, referral):
    with session.begin():
        return commands.accept_referral(session, by=by, referral_id=referral.id,
                                        version=referral.version)


def demo_referrals(session, today: date) -> str:
    """The demo accounts and demo referrals, around a provider with one service (committed):
    what the casework, outcomes and GP demo steps build on. Returns the referrals' summary."""
    from linkwell.auth.demo import create_demo_users
    from linkwell.referrals.demo import create_demo_referrals

    org = make_organization(session)
    make_service(session, org)
    with session.begin():
        create_demo_users(session, provider_organization_id=org.id)
        return create_demo_referrals(session, today=today)
