"""A small directory around a made-up Lewisham postcode, for search, API and page tests.

Distances from ``HOME`` (SE13 5AA, placed at 51.4566 N, 0.0114 W for the tests):
befriending 0.3 km, benefits 1 km, youth benefits 0.8 km, stale debt advice 1.5 km,
far befriending 8 km; telephone befriending has no location; one service is inactive.
"""

import uuid
from datetime import date, time, timedelta

from linkwell.directory.models import (
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from linkwell.directory.search_index import reindex_services
from linkwell.geo.models import Borough, Postcode

HOME = "SE13 5AA"
HOME_LAT, HOME_LON = 51.4566, -0.0114
OTHER_POSTCODE = "SE6 4RU"
TODAY = date.today()
M_LAT = 1 / 111_195  # degrees of latitude per metre
M_LON = 1 / 69_280  # degrees of longitude per metre at 51.46 N


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"linkwell-test:{name}"))


TAXONOMY = uid("taxonomy")
MONEY, BENEFITS, DEBT, LONELINESS, BEFRIENDING = (
    uid("money"), uid("benefits"), uid("debt"), uid("loneliness"), uid("befriending"))
ORG = uid("org")
BEFRIEND, CITIZENS, YOUTH, DEBT_DROP_IN, FAR, PHONE_ONLY, CLOSED = (
    uid("befriend"), uid("citizens"), uid("youth"), uid("debt-drop-in"), uid("far"),
    uid("phone-only"), uid("closed"))

LEWISHAM_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[-0.08, 51.41], [0.04, 51.41], [0.04, 51.50], [-0.08, 51.50],
                     [-0.08, 51.41]]],
}


def add_geo(session) -> None:
    session.add_all([
        Postcode(postcode=HOME, lat=HOME_LAT, lon=HOME_LON, lsoa11cd=None, lad_code="E09000023"),
        Postcode(postcode=OTHER_POSTCODE, lat=51.4370, lon=-0.0200, lsoa11cd=None,
                 lad_code="E09000023"),
        Borough(lad_code="E09000023", name="Lewisham", boundary=LEWISHAM_BOUNDARY),
    ])


def _service(session, service_id, name, description, term, *, north_m=None, east_m=0,
             assured=TODAY, minimum_age=None, maximum_age=None, status="active",
             days=None, opens=time(9), closes=time(17)):
    session.add(Service(id=service_id, organization_id=ORG, name=name, description=description,
                        status=status, assured_date=assured, minimum_age=minimum_age,
                        maximum_age=maximum_age, email="help@example.org",
                        url="https://example.org/" + service_id[:8]))
    session.flush()
    session.add(Attribute(id=uid(f"attr-{service_id}"), link_id=service_id,
                          link_entity="service", link_type="need", taxonomy_term_id=term))
    if north_m is not None:
        location = uid(f"loc-{service_id}")
        session.add(Location(id=location, location_type="physical", name=f"{name} hall",
                             latitude=HOME_LAT + north_m * M_LAT,
                             longitude=HOME_LON + east_m * M_LON))
        session.flush()
        session.add(ServiceAtLocation(id=uid(f"sal-{service_id}"), service_id=service_id,
                                      location_id=location))
    if days:
        session.add(Schedule(id=uid(f"sched-{service_id}"), service_id=service_id, freq="WEEKLY",
                             byday=days, opens_at=opens, closes_at=closes,
                             description="Drop in"))


def add_directory(session) -> None:
    session.add(Taxonomy(id=TAXONOMY, name="Linkwell needs", description="Needs people bring"))
    session.flush()
    for term_id, name, parent in [(MONEY, "Money", None), (BENEFITS, "Benefits advice", MONEY),
                                  (DEBT, "Debt advice", MONEY),
                                  (LONELINESS, "Loneliness", None),
                                  (BEFRIENDING, "Befriending", LONELINESS)]:
        session.add(TaxonomyTerm(id=term_id, name=name, description=name, parent_id=parent,
                                 taxonomy_id=TAXONOMY, code=name.lower().replace(" ", "-")))
    session.add(Organization(id=ORG, name="Lewisham Community Trust",
                             description="A local charity"))
    session.flush()
    _service(session, BEFRIEND, "Lewisham Befriending Scheme",
             "Volunteers visit older people at home for a chat and a cup of tea.", BEFRIENDING,
             north_m=300, minimum_age=18, days="MO,WE", opens=time(10), closes=time(16))
    _service(session, CITIZENS, "Citizens Advice Lewisham",
             "Free benefits advice and help with Universal Credit claims.", BENEFITS,
             north_m=1000, days="TU,TH")
    _service(session, YOUTH, "Youth Money Clinic",
             "Benefits and budgeting advice for young people.", BENEFITS,
             north_m=-800, maximum_age=25, days="FR")
    _service(session, DEBT_DROP_IN, "Debt Advice Drop-in",
             "Talk to a debt adviser about arrears and bailiffs.", DEBT,
             north_m=0, east_m=1500, assured=TODAY - timedelta(days=3 * 365), days="SA",
             opens=time(10), closes=time(13))
    _service(session, FAR, "Greenwich Befriending Network",
             "Befriending visits across Greenwich.", BEFRIENDING, north_m=8000)
    _service(session, PHONE_ONLY, "Telephone Befriending",
             "A weekly friendly phone call.", BEFRIENDING, assured=None)
    _service(session, CLOSED, "Closed Befriending Club", "No longer running.", BEFRIENDING,
             north_m=200, status="inactive")
    session.add_all([
        Phone(id=uid("phone-befriend"), service_id=BEFRIEND, number="020 7946 0000"),
        Language(id=uid("lang-befriend"), service_id=BEFRIEND, name="Polish", code="pl"),
        CostOption(id=uid("cost-befriend"), service_id=BEFRIEND, option="Free", currency="GBP",
                   amount_pence=0),
    ])
    session.flush()
    reindex_services(session)


def add_all(session) -> None:
    """Geography and directory in one transaction (the caller commits)."""
    add_geo(session)
    add_directory(session)
