"""A plausible London service directory for demos and benchmarks, the same for the same seed.

Organisations (advice agencies such as Law Centres and Citizens Advice-style services,
charities, community and faith groups, leisure) sit in every London borough, at points jittered
around real LSOA centroids with the nearest real postcode of that LSOA as their address.
Services carry Linkwell taxonomy terms, weekly opening times (HSDS schedule fields: ``freq``
WEEKLY, ``byday``, ``opens_at``, ``closes_at``), age limits, languages, costs, phones, an
``assured_date`` (about one in ten older than a year) and a ``service_capacity`` row.

:func:`generate` is pure: it turns geography rows and a seed into table rows, batch by batch.
:func:`create_directory` reads the geography tables and writes the rows (the ``demo-data``
step for the directory).
"""

import math
import random
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell.directory import taxonomy
from linkwell.directory.transfer import ImportReport, RowWriter
from linkwell.errors import InvalidInput
from linkwell.geo.models import Lsoa, Postcode

SERVICE_BATCH = 1000
JITTER_M = 250.0
METRES_PER_DEGREE_LAT = 111_320.0


@dataclass(frozen=True)
class LsoaPoint:
    lsoa11cd: str
    lad_code: str
    lad_name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class PostcodePoint:
    postcode: str
    lat: float
    lon: float


# --- What the directory holds ------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceKind:
    name: str
    terms: tuple[str, ...]
    description: str
    minimum_age: int | None = 18
    maximum_age: int | None = None
    free: bool = True


ADVICE = (
    ServiceKind("Debt advice", ("advice", "debt"),
                "Free, confidential help with priority debts, bailiffs and budgeting."),
    ServiceKind("Welfare benefits advice", ("advice", "welfare-benefits"),
                "Help to claim Universal Credit, PIP and other benefits, and to challenge "
                "decisions at mandatory reconsideration and tribunal."),
    ServiceKind("Housing advice", ("advice", "housing"),
                "Advice on homelessness, eviction, disrepair and tenancy rights."),
    ServiceKind("Employment advice", ("advice", "employment"),
                "Advice on dismissal, unpaid wages and rights at work."),
    ServiceKind("Immigration advice", ("advice", "immigration"),
                "Regulated immigration advice: status, settlement and asylum support."),
    ServiceKind("Community care advice", ("advice", "community-care"),
                "Help with social care assessments, care packages and council support."),
    ServiceKind("Education law advice", ("advice", "education"),
                "Advice for families on exclusions, special educational needs and admissions.",
                minimum_age=None),
    ServiceKind("Discrimination advice", ("advice", "discrimination"),
                "Advice on discrimination at work, in housing and in services."),
)
COMMUNITY = (
    ServiceKind("Befriending service", ("loneliness-befriending",),
                "A trained volunteer visits or phones each week for a chat.", 60),
    ServiceKind("Friendship club", ("loneliness-befriending",),
                "A weekly social club with tea, games and outings."),
    ServiceKind("Peer support group", ("mental-wellbeing",),
                "A friendly group for people living with anxiety, low mood or stress."),
    ServiceKind("Wellbeing cafe", ("mental-wellbeing", "loneliness-befriending"),
                "Drop in for a hot drink, a chat and information about local support."),
    ServiceKind("Carers' support group", ("carers",),
                "Meet other unpaid carers, get advice and take a break."),
    ServiceKind("Lunch club", ("food", "loneliness-befriending"),
                "A hot two-course lunch in good company.", 60, free=False),
    ServiceKind("Food bank", ("food",),
                "Emergency food parcels; a referral voucher is not always needed.", None),
    ServiceKind("Community kitchen", ("food",),
                "Cook and eat together; learn to make healthy meals on a budget.", 16),
    ServiceKind("Digital skills drop-in", ("digital-inclusion",),
                "One-to-one help to use a phone, tablet or computer, and free data SIMs.", 16),
)
ACTIVITY = (
    ServiceKind("Health walks", ("physical-activity",),
                "Short, sociable walks led by trained walk leaders."),
    ServiceKind("Chair-based exercise", ("physical-activity",),
                "Gentle seated exercise to improve strength and balance.", 50, free=False),
    ServiceKind("Walking football", ("physical-activity", "loneliness-befriending"),
                "Football at walking pace for people of all fitness levels.", 40, free=False),
    ServiceKind("Swimming lessons for adults", ("physical-activity",),
                "Small-group lessons for beginners and nervous swimmers.", free=False),
    ServiceKind("Yoga for wellbeing", ("physical-activity", "mental-wellbeing"),
                "Relaxed yoga classes suitable for beginners.", 16, free=False),
    ServiceKind("Community choir", ("arts-culture", "mental-wellbeing"),
                "Sing together; no experience or auditions.", 16),
    ServiceKind("Art group", ("arts-culture",),
                "Painting, drawing and crafts with a friendly tutor.", free=False),
    ServiceKind("Creative writing workshop", ("arts-culture",),
                "Write stories and poems in a supportive group.", 16),
    ServiceKind("Community garden", ("physical-activity", "mental-wellbeing"),
                "Grow food and flowers together; tools and training provided.", None),
)


@dataclass(frozen=True)
class OrganisationKind:
    pattern: str  # {borough} and {place} are filled in
    legal_status: str
    services: tuple[ServiceKind, ...]
    weight: int


ORGANISATION_KINDS = (
    OrganisationKind("{borough} Law Centre", "Charitable incorporated organisation", ADVICE, 2),
    OrganisationKind("Citizens Advice {borough}", "Charitable company", ADVICE, 2),
    OrganisationKind("{place} Money and Debt Advice", "Charitable company", ADVICE[:2], 2),
    OrganisationKind("{place} Migrant and Refugee Advice", "Charitable company",
                     (ADVICE[4], ADVICE[1], ADVICE[2]), 1),
    OrganisationKind("{borough} Carers Centre", "Registered charity", COMMUNITY[4:5] + ADVICE[5:6],
                     2),
    OrganisationKind("{borough} Mind", "Registered charity", COMMUNITY[2:4], 2),
    OrganisationKind("Age Friendly {place}", "Registered charity", COMMUNITY[0:2] + COMMUNITY[5:6],
                     3),
    OrganisationKind("{place} Community Association", "Community interest company",
                     COMMUNITY + ACTIVITY[5:9], 5),
    OrganisationKind("{place} Food Network", "Registered charity", COMMUNITY[5:8], 2),
    OrganisationKind("{place} Digital Inclusion Project", "Community interest company",
                     COMMUNITY[8:9], 1),
    OrganisationKind("St {saint}'s Church, {place}", "Faith group", COMMUNITY[1:2] + COMMUNITY[5:7],
                     2),
    OrganisationKind("{place} Mosque Community Centre", "Faith group",
                     COMMUNITY[3:4] + COMMUNITY[6:7], 1),
    OrganisationKind("{place} Gurdwara", "Faith group", COMMUNITY[5:7], 1),
    OrganisationKind("{place} Leisure Centre", "Leisure trust", ACTIVITY[0:5], 3),
    OrganisationKind("{borough} Arts Collective", "Community interest company", ACTIVITY[5:8], 2),
)
PLACES = ("Northside", "Riverside", "Parkview", "Hillside", "Greenway", "Eastfield",
          "Westbrook", "Kingsmead", "Queensbridge", "Marsh Lane", "Church Street", "Old Town",
          "Canal Side", "Market Square", "High Road", "Station Road", "Brookfield", "Elmwood",
          "Oakfield", "Ashgrove", "Millfield", "Southgate", "Fairfield", "Woodside")
SAINTS = ("Mary", "John", "Peter", "Paul", "Andrew", "Michael", "Anne", "Luke", "Mark",
          "James", "Stephen", "Margaret")
STREETS = ("High Street", "Church Road", "Station Road", "Park Road", "Victoria Road",
           "Green Lane", "Manor Road", "Mill Lane", "Albert Road", "Queens Road", "King Street",
           "New Road", "Grove Road", "London Road", "Springfield Road", "Market Place")
VENUES = ("Community Centre", "Library", "Hall", "Hub", "Centre", "House")
# English first, then languages widely spoken in London (ONS Census 2021 main languages).
LANGUAGES = (("English", "en"), ("Polish", "pl"), ("Romanian", "ro"), ("Bengali", "bn"),
             ("Urdu", "ur"), ("Portuguese", "pt"), ("Spanish", "es"), ("Turkish", "tr"),
             ("Arabic", "ar"), ("Gujarati", "gu"), ("Punjabi", "pa"), ("Tamil", "ta"),
             ("Somali", "so"), ("Italian", "it"), ("French", "fr"), ("Lithuanian", "lt"),
             ("Chinese (Cantonese)", "yue"), ("Persian", "fa"), ("Yoruba", "yo"),
             ("Tigrinya", "ti"), ("Albanian", "sq"), ("Kurdish", "ku"))
DAY_SETS = (("MO",), ("TU",), ("WE",), ("TH",), ("FR",), ("SA",), ("MO", "WE"), ("TU", "TH"),
            ("MO", "TU", "WE", "TH", "FR"), ("WE", "FR"), ("SA", "SU"))
DAY_NAMES = {"MO": "Mondays", "TU": "Tuesdays", "WE": "Wednesdays", "TH": "Thursdays",
             "FR": "Fridays", "SA": "Saturdays", "SU": "Sundays"}
HOURS = ((time(9, 30), time(17, 0)), (time(10, 0), time(12, 0)), (time(10, 0), time(13, 0)),
         (time(13, 0), time(15, 0)), (time(14, 0), time(16, 0)), (time(18, 0), time(20, 0)))


# --- Pure generation --------------------------------------------------------------------------
LOOK_ALIKES = 3
"""Organisations listed twice in the demo, for the duplicates queue."""


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def jitter(rng: random.Random, lat: float, lon: float, radius_m: float = JITTER_M
           ) -> tuple[float, float]:
    """A point within ``radius_m`` of (lat, lon), uniform over the disc."""
    distance = radius_m * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / METRES_PER_DEGREE_LAT
    dlon = distance * math.sin(bearing) / (METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def nearest(postcodes: Sequence[PostcodePoint], lat: float, lon: float) -> PostcodePoint:
    scale = math.cos(math.radians(lat))
    return min(postcodes, key=lambda p: (p.lat - lat) ** 2 + ((p.lon - lon) * scale) ** 2)


@dataclass(frozen=True)
class PlannedSite:
    """A location to be created: where it is, before its postcode is known."""

    id: str
    organization_id: str
    name: str
    lsoa: LsoaPoint
    lat: float
    lon: float
    street: str


@dataclass
class Plan:
    """Organisations and their sites: chosen first, so that services can share them."""

    organizations: list[dict]
    sites: list[PlannedSite]
    kinds: dict[str, OrganisationKind]
    sites_of: dict[str, list[PlannedSite]]


def plan_organisations(rng: random.Random, lsoas: Sequence[LsoaPoint], services: int) -> Plan:
    """About one organisation per four services, spread over every borough in turn."""
    by_borough: dict[str, list[LsoaPoint]] = {}
    for lsoa in lsoas:
        by_borough.setdefault(lsoa.lad_code, []).append(lsoa)
    boroughs = sorted(by_borough)
    count = max(len(boroughs), math.ceil(services / 4))
    weights = [k.weight for k in ORGANISATION_KINDS]
    organizations, sites, kinds, sites_of = [], [], {}, {}
    names: set[str] = set()
    for i in range(count):
        borough_lsoas = by_borough[boroughs[i % len(boroughs)]]
        home = rng.choice(borough_lsoas)
        kind = rng.choices(ORGANISATION_KINDS, weights)[0]
        name = _own_name(kind.pattern.format(borough=home.lad_name, place=rng.choice(PLACES),
                                             saint=rng.choice(SAINTS)), home.lad_name, names)
        names.add(name)
        org_id = _uuid(rng)
        slug = _slug(name)
        organizations.append({
            "id": org_id, "name": name, "alternate_name": None,
            "description": f"{name} serves people who live or work in {home.lad_name}.",
            "email": f"hello@{slug}.example.org", "website": f"https://{slug}.example.org",
            "tax_status": None, "tax_id": None,
            "year_incorporated": float(rng.randint(1948, 2022)),
            "legal_status": kind.legal_status, "logo": None, "uri": None,
            "parent_organization_id": None,
        })
        kinds[org_id] = kind
        org_sites = []
        for n in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1)):
            lsoa = home if n == 0 else rng.choice(borough_lsoas)
            lat, lon = jitter(rng, lsoa.lat, lsoa.lon)
            venue = name if n == 0 else f"{rng.choice(PLACES)} {rng.choice(VENUES)}"
            site = PlannedSite(_uuid(rng), org_id, venue, lsoa, lat, lon,
                               f"{rng.randint(1, 240)} {rng.choice(STREETS)}")
            org_sites.append(site)
        sites.extend(org_sites)
        sites_of[org_id] = org_sites
    for original in rng.sample(organizations, min(LOOK_ALIKES, len(organizations))):
        twin = _look_alike(rng, original, sites_of[original["id"]][0])
        organizations.append(twin.organization)
        kinds[twin.organization["id"]] = kinds[original["id"]]
        sites.append(twin.site)
        sites_of[twin.organization["id"]] = [twin.site]
    return Plan(organizations, sites, kinds, sites_of)


def _own_name(name: str, borough: str, taken: set[str]) -> str:
    """``name``, or where another organisation has it already, the name told apart by its
    borough, then by a neighbourhood: two organisations of one name read as one listed
    twice. Draws nothing from the generator, so the rest of the demo stays as it was."""
    candidates = [name] if borough in name else [name, f"{name}, {borough}"]
    candidates += [f"{name} ({place})" for place in PLACES]
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return next(f"{name} ({n})" for n in range(2, len(taken) + 3)
                if f"{name} ({n})" not in taken)


@dataclass(frozen=True)
class LookAlike:
    organization: dict
    site: PlannedSite


def _look_alike(rng: random.Random, original: dict, home: PlannedSite) -> LookAlike:
    """The same organisation listed a second time, as happens when two feeds or two people
    add it: a variant of its name, its website written differently, the same premises. The
    demo's duplicates queue (/admin/duplicates) then has something real to show."""
    org_id = _uuid(rng)
    name = original["name"]
    variant = (name.replace(" and ", " & ") if " and " in name
               else f"The {name}" if not name.startswith("The ") else f"{name} CIO")
    website = original["website"].replace("https://", "http://www.") + "/"
    organization = {**original, "id": org_id, "name": variant,
                    "description": f"{variant}: listed separately by another directory."}
    organization["website"] = website
    site = PlannedSite(_uuid(rng), org_id, variant, home.lsoa, home.lat, home.lon, home.street)
    return LookAlike(organization, site)


def place_sites(sites: Sequence[PlannedSite],
                postcodes_by_lsoa: dict[str, list[PostcodePoint]]) -> dict[str, PostcodePoint]:
    """Each site's postcode: the nearest in its LSOA that no other organisation has, so that
    unrelated organisations do not read as one listed twice; the nearest of all when every
    one is taken. Sites at the same point (a look-alike at its original's premises) share."""
    placed: dict[str, PostcodePoint] = {}
    at_point: dict[tuple[float, float], PostcodePoint] = {}
    holder: dict[str, str] = {}
    for site in sites:
        candidates = postcodes_by_lsoa.get(site.lsoa.lsoa11cd)
        if not candidates:
            continue
        point = at_point.get((site.lat, site.lon))
        if point is None:
            free = [p for p in candidates
                    if holder.get(p.postcode, site.organization_id) == site.organization_id]
            point = nearest(free or candidates, site.lat, site.lon)
        placed[site.id] = at_point[(site.lat, site.lon)] = point
        holder.setdefault(point.postcode, site.organization_id)
    return placed


def site_rows(site: PlannedSite, postcode: PostcodePoint) -> tuple[dict, dict]:
    """A planned site as ``location`` and ``address`` rows, at its real nearest postcode."""
    location = {
        "id": site.id, "location_type": "physical", "url": None,
        "organization_id": site.organization_id, "name": site.name, "alternate_name": None,
        "description": None, "transportation": None, "latitude": site.lat,
        "longitude": site.lon, "external_identifier": None, "external_identifier_type": None,
    }
    address = {
        "id": str(uuid.uuid5(uuid.UUID(site.id), "address")), "location_id": site.id,
        "attention": None, "address_1": site.street, "address_2": None, "city": "London",
        "region": site.lsoa.lad_name, "state_province": "Greater London",
        "postal_code": postcode.postcode, "country": "GB", "address_type": "physical",
    }
    return location, address


# Ofcom's numbers reserved for drama, never a real line: London's first, then freephone,
# non-geographic and mobile. Each service gets one of its own, so that a shared number is
# evidence of a look-alike in the duplicates queue rather than chance (1,000 numbers drawn at
# random for 2,000 services put 105 chance pairs there); past 4,000 services they repeat.
DRAMA_NUMBERS = tuple(f"{prefix}{n:03d}" for prefix in (
    "020 7946 0", "0808 157 0", "0306 999 0", "07700 900") for n in range(1000))


def demo_phone_number(index: int) -> str:
    """The ``index``-th demo service's phone number."""
    return DRAMA_NUMBERS[index % len(DRAMA_NUMBERS)]


def generate_services(rng: random.Random, plan: Plan, services: int, today: date
                      ) -> Iterator[dict[str, list[dict]]]:
    """Yield batches of rows per table for ``services`` services over the planned sites."""
    organizations = plan.organizations
    batch: dict[str, list[dict]] = {}
    offered: dict[str, Counter] = {}
    names_of: dict[str, set[str]] = {}
    for i in range(services):
        org = organizations[i % len(organizations)] if i < len(organizations) else \
            rng.choice(organizations)
        kind = plan.kinds[org["id"]]
        counts = offered.setdefault(org["id"], Counter())
        service_kind = _next_kind(rng.choice(kind.services), kind.services, counts)
        sites = plan.sites_of[org["id"]]
        rows = _service_rows(rng, org, service_kind, sites, today, index=i,
                             again=counts[service_kind.name] > 1)
        _name_apart(rows["service"][0], names_of.setdefault(org["id"], set()))
        for table_name, table_rows in rows.items():
            batch.setdefault(table_name, []).extend(table_rows)
        if (i + 1) % SERVICE_BATCH == 0:
            yield batch
            batch = {}
    if batch:
        yield batch


def _name_apart(service: dict, taken: set[str]) -> None:
    """Number a service whose name its organisation already uses (the same kind at the same
    times twice), and note the name as taken."""
    name, n = service["name"], 2
    while name in taken:
        base, separator, organisation = service["name"].partition(" — ")
        name, n = f"{base} ({n}){separator}{organisation}", n + 1
    service["name"] = name
    taken.add(name)


def _next_kind(drawn: ServiceKind, kinds: tuple[ServiceKind, ...], offered: Counter
               ) -> ServiceKind:
    """The kind drawn, unless the organisation already offers it more often than another of
    its kinds: then the next of those, so that one organisation does not list "Food bank"
    three times while it has a lunch club to offer. Counts ``offered``."""
    fewest = min(offered[k.name] for k in kinds)
    start = kinds.index(drawn)
    chosen = next(k for k in kinds[start:] + kinds[:start] if offered[k.name] == fewest)
    offered[chosen.name] += 1
    return chosen


def _service_rows(rng: random.Random, org: dict, kind: ServiceKind,
                  sites: list[PlannedSite], today: date, *, index: int, again: bool = False
                  ) -> dict[str, list[dict]]:
    """The ``index``-th service's rows. ``again``: the organisation offers this kind already,
    so this one is named (and addressed) by when it first runs, "Food bank, Saturdays from
    10:00"."""
    service_id = _uuid(rng)
    borough = sites[0].lsoa.lad_name
    if rng.random() < 0.1:
        assured = today - timedelta(days=rng.randint(366, 1000))
    else:
        assured = today - timedelta(days=rng.randint(0, 330))
    modified = datetime.combine(assured, time(9, 0), UTC) + timedelta(minutes=rng.randint(0, 480))
    status = rng.choices(("active", "temporarily closed", "inactive"), (97, 2, 1))[0]
    ages = f"aged {kind.minimum_age} and over" if kind.minimum_age else "of all ages"
    slug = _slug(org["name"])
    service = {
        "id": service_id, "organization_id": org["id"], "program_id": None,
        "name": f"{kind.name} — {org['name']}", "alternate_name": kind.name,
        "description": kind.description, "url": f"https://{slug}.example.org/{_slug(kind.name)}",
        "email": f"{_slug(kind.name)}@{slug}.example.org", "status": status,
        "interpretation_services": None,
        "application_process": rng.choice((
            "Refer through your link worker, GP or self-refer by phone.",
            "Drop in during opening hours; no appointment needed.",
            "Call or e-mail to book a first appointment.")),
        "fees_description": None, "wait_time": None, "fees": None, "accreditations": None,
        "eligibility_description": f"People {ages} who live, work or study in {borough}.",
        "minimum_age": float(kind.minimum_age) if kind.minimum_age else None,
        "maximum_age": float(kind.maximum_age) if kind.maximum_age else None,
        "assured_date": assured, "assurer_email": f"directory@{slug}.example.org",
        "licenses": None, "alert": None, "last_modified": modified,
    }
    rows: dict[str, list[dict]] = {"service": [service]}
    used_sites = [sites[0]] + [s for s in sites[1:] if rng.random() < 0.5]
    for site in used_sites:
        link_id = _uuid(rng)
        rows.setdefault("service_at_location", []).append(
            {"id": link_id, "service_id": service_id, "location_id": site.id,
             "description": None})
        days = rng.choice(DAY_SETS)
        opens_at, closes_at = rng.choice(HOURS)
        rows.setdefault("schedule", []).append({
            "id": _uuid(rng), "service_id": service_id, "location_id": None,
            "service_at_location_id": link_id, "valid_from": None, "valid_to": None,
            "dtstart": None, "timezone": None, "until": None, "count": None, "wkst": "MO",
            "freq": "WEEKLY", "interval": 1.0, "byday": ",".join(days), "byweekno": None,
            "bymonthday": None, "byyearday": None,
            "description": f"{' and '.join(DAY_NAMES[d] for d in days)}, "
                           f"{opens_at:%H:%M} to {closes_at:%H:%M}",
            "opens_at": opens_at, "closes_at": closes_at, "schedule_link": None,
            "attending_type": rng.choice(("in_person", "in_person", "online", "phone")),
            "notes": None,
        })
    if again:
        first = rows["schedule"][0]
        days = first["byday"].split(",")
        when = (f"{'Weekdays' if len(days) == 5 else ' and '.join(DAY_NAMES[d] for d in days)}"
                f" from {first['opens_at']:%H:%M}")
        service.update(name=f"{kind.name}, {when} — {org['name']}",
                       url=f"{service['url']}-{_slug(when)}")
    rows["phone"] = [{"id": _uuid(rng), "location_id": None, "service_id": service_id,
                      "organization_id": None, "contact_id": None,
                      "service_at_location_id": None, "number": demo_phone_number(index),
                      "extension": None, "type": "voice", "description": None}]
    extra = rng.sample(LANGUAGES[1:], rng.choice((0, 0, 1, 1, 2, 3)))
    rows["language"] = [{"id": _uuid(rng), "service_id": service_id, "location_id": None,
                         "phone_id": None, "name": name, "code": code, "note": None}
                        for name, code in [LANGUAGES[0], *extra]]
    rows["attribute"] = [{"id": _uuid(rng), "link_id": service_id,
                          "taxonomy_term_id": taxonomy.term_id(code), "link_type": None,
                          "link_entity": "service", "value": None} for code in kind.terms]
    free = kind.free or rng.random() < 0.3
    rows["cost_option"] = [{"id": _uuid(rng), "service_id": service_id, "valid_from": None,
                            "valid_to": None, "option": "Free" if free else "Per session",
                            "currency": "GBP",
                            "amount_pence": 0 if free else rng.choice((200, 300, 350, 500)),
                            "amount_description": None if free else "Concessions available"}]
    rows["service_area"] = [{"id": _uuid(rng), "service_id": service_id, "name": borough,
                             "description": f"Residents of {borough}", "extent": None,
                             "extent_type": None, "uri": None}]
    if rng.random() < 0.4:
        rows["contact"] = [{"id": _uuid(rng), "organization_id": None,
                            "service_id": service_id, "service_at_location_id": None,
                            "location_id": None, "name": None,
                            "title": rng.choice(("Volunteer coordinator", "Service manager",
                                                 "Duty adviser", "Activities lead")),
                            "department": None,
                            "email": f"referrals@{slug}.example.org"}]
    paused = rng.random() < 0.15
    rows["service_capacity"] = [{
        "service_id": service_id, "status": "paused" if paused else "open",
        "waiting_time_days": rng.choice((0, 0, 3, 7, 14, 21, 28, 42)),
        "updated_at": datetime.combine(today, time(9, 0), UTC)
        - timedelta(days=rng.randint(0, 60)),
    }]
    return rows


# --- Persistence ------------------------------------------------------------------------------

def load_lsoas(session: Session) -> list[LsoaPoint]:
    rows = session.execute(
        select(Lsoa.lsoa11cd, Lsoa.lad_code, Lsoa.lad_name, Lsoa.centroid_lat,
               Lsoa.centroid_lon)
        .where(Lsoa.centroid_lat.is_not(None), Lsoa.centroid_lon.is_not(None))
        .order_by(Lsoa.lsoa11cd))
    return [LsoaPoint(*row) for row in rows]


def _postcodes_by_lsoa(session: Session, lsoa_codes: Sequence[str]
                       ) -> dict[str, list[PostcodePoint]]:
    out: dict[str, list[PostcodePoint]] = {}
    codes = sorted(set(lsoa_codes))
    for start in range(0, len(codes), 500):
        rows = session.execute(
            select(Postcode.lsoa11cd, Postcode.postcode, Postcode.lat, Postcode.lon)
            .where(Postcode.lsoa11cd.in_(codes[start:start + 500]))
            .order_by(Postcode.postcode))
        for lsoa11cd, postcode, lat, lon in rows:
            out.setdefault(lsoa11cd, []).append(PostcodePoint(postcode, lat, lon))
    return out


def create_directory(session: Session, *, services: int, seed: int, today: date) -> str:
    """Write a demo directory of ``services`` services; returns a one-line summary."""
    lsoas = load_lsoas(session)
    has_postcodes = session.execute(select(func.count()).select_from(Postcode)).scalar_one()
    if not lsoas or not has_postcodes:
        raise InvalidInput("The geography tables are empty: run `linkwell geo load` "
                           "(or `linkwell geo fetch`) first.")
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    plan = plan_organisations(rng, lsoas, services)
    report = ImportReport()
    writer = RowWriter(session, report)
    writer.upsert("taxonomy", [taxonomy.taxonomy_row()])
    writer.upsert("taxonomy_term", taxonomy.term_rows())
    writer.upsert("organization", plan.organizations)
    locations, addresses = [], []
    # Sites are placed LSOA by LSOA so only one chunk of postcodes is in memory at a time.
    sites = sorted(plan.sites, key=lambda s: s.lsoa.lsoa11cd)
    for start in range(0, len(sites), 2000):
        chunk = sites[start:start + 2000]
        postcodes = _postcodes_by_lsoa(session, [s.lsoa.lsoa11cd for s in chunk])
        placed_at = place_sites(chunk, postcodes)
        for site in chunk:
            if (postcode := placed_at.get(site.id)) is None:
                continue
            location, address = site_rows(site, postcode)
            locations.append(location)
            addresses.append(address)
    placed = {loc["id"] for loc in locations}
    if not placed:
        raise InvalidInput("No postcode lies in any LSOA: reload the geography tables with "
                           "`linkwell geo load`.")
    writer.upsert("location", locations)
    writer.upsert("address", addresses)
    plan.sites_of = {org: [s for s in org_sites if s.id in placed]
                     for org, org_sites in plan.sites_of.items()}
    plan.organizations = [o for o in plan.organizations if plan.sites_of[o["id"]]]
    for batch in generate_services(rng, plan, services, today):
        for name in ("service", "service_at_location", "schedule", "phone", "language",
                     "attribute", "cost_option", "service_area", "contact", "service_capacity"):
            writer.upsert(name, batch.get(name, []))
    boroughs = len({s.lsoa.lad_code for s in plan.sites if s.id in placed})
    return (f"{report.written['service']} services from {len(plan.organizations)} "
            f"organisations at {len(locations)} locations in {boroughs} boroughs")
