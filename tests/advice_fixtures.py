"""A small advice directory around a made-up Lewisham postcode, for advice routing tests.

Distances from HOME (SE13 5AA at 51.4566 N, 0.0114 W here): paused combined service 0.3 km,
Citizens Advice debt 0.5 km, Law Centre housing 1 km, befriending (not advice) 0.2 km,
Hackney money advice 8 km.
"""

import uuid

from linkwell.directory import taxonomy
from linkwell.directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)
from linkwell.directory.search_index import reindex_services
from linkwell.geo.models import Borough, Postcode

HOME = "SE13 5AA"
HOME_LAT, HOME_LON = 51.4566, -0.0114
M_LAT = 1 / 111_195


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"linkwell-advice-test:{name}"))


LAW_CENTRE, CITIZENS, HACKNEY = uid("law-centre"), uid("citizens"), uid("hackney")
LC_HOUSING, CA_DEBT, CA_PAUSED, HACKNEY_DEBT, BEFRIEND = (
    uid("lc-housing"), uid("ca-debt"), uid("ca-paused"), uid("hackney-debt"), uid("befriend"))


def _service(session, service_id, org, name, codes, north_m, *, capacity=None, waiting=None,
             eligibility=None, languages=()):
    session.add(Service(id=service_id, organization_id=org, name=name, status="active",
                        description=f"{name}.", eligibility_description=eligibility,
                        url="https://example.org/" + service_id[:8]))
    session.flush()
    for code in codes:
        session.add(Attribute(id=uid(f"attr-{service_id}-{code}"), link_id=service_id,
                              link_entity="service", taxonomy_term_id=taxonomy.term_id(code)))
    location = uid(f"loc-{service_id}")
    session.add(Location(id=location, location_type="physical", name=f"{name} office",
                         latitude=HOME_LAT + north_m * M_LAT, longitude=HOME_LON))
    session.flush()
    session.add(ServiceAtLocation(id=uid(f"sal-{service_id}"), service_id=service_id,
                                  location_id=location))
    if capacity:
        session.add(ServiceCapacity(service_id=service_id, status=capacity,
                                    waiting_time_days=waiting))
    for language in languages:
        session.add(Language(id=uid(f"lang-{service_id}-{language}"), service_id=service_id,
                             name=language))


def add_advice_directory(session) -> None:
    """Geography, the Linkwell taxonomy and five services, in the caller's transaction."""
    session.add_all([
        Postcode(postcode=HOME, lat=HOME_LAT, lon=HOME_LON, lsoa11cd=None, lad_code="E09000023"),
        Borough(lad_code="E09000023", name="Lewisham", boundary=None),
        Borough(lad_code="E09000012", name="Hackney", boundary=None),
        Taxonomy(**taxonomy.taxonomy_row()),
    ])
    session.flush()
    for row in taxonomy.term_rows():
        session.add(TaxonomyTerm(**row))
    session.add_all([
        Organization(id=LAW_CENTRE, name="Lewisham Law Centre", description="Law Centre"),
        Organization(id=CITIZENS, name="Citizens Advice Lewisham", description="Advice"),
        Organization(id=HACKNEY, name="Hackney Money Advice", description="Debt advice"),
    ])
    session.flush()
    _service(session, LC_HOUSING, LAW_CENTRE, "Housing advice", ("advice", "housing"), 1000,
             capacity="open", waiting=5, languages=("English", "Polish"),
             eligibility="People who live, work or study in Lewisham")
    _service(session, CA_DEBT, CITIZENS, "Debt advice", ("advice", "debt"), 500,
             capacity="open", waiting=10)
    _service(session, CA_PAUSED, CITIZENS, "Housing and debt drop-in",
             ("advice", "housing", "debt"), 300, capacity="paused", waiting=60)
    _service(session, HACKNEY_DEBT, HACKNEY, "Money advice", ("advice", "debt"), 8000,
             capacity="open", waiting=3, eligibility="People who live in Hackney")
    _service(session, BEFRIEND, CITIZENS, "Befriending", ("loneliness-befriending",), 200,
             capacity="open")
    session.flush()
    reindex_services(session)
