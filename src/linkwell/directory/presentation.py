"""How a service reads to a person: names, opening times, costs and structured data (pure).

Feeds write the same fact in several fields: a schedule's ``description`` repeats its days and
hours ("Saturdays, 10:00 to 13:00"), a cost option is "Free" with an amount of 0, a service
name starts with its organisation's name. Shown side by side they read twice; so the pages
show each fact once, built here from the HSDS JSON that ``queries.services_json`` gives.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from linkwell.directory.search_query import DAY_NAMES, DAYS

_DAY_NAME = dict(zip(DAYS, DAY_NAMES, strict=True))
_SEPARATORS = " -–—:,|"
# A results list shows the start of each service's description, this many characters at most.
SUMMARY_LENGTH = 220


def display_name(service_name: str, organization_name: str | None) -> str:
    """The service's name without its organisation's name in front or behind ("Millfield
    Community Association Friendship club", "Friendship club — Millfield Community
    Association" -> "Friendship club"), since the organisation is shown beside it; the name
    as given when nothing would be left."""
    if not organization_name:
        return service_name
    name, org = service_name.strip(), organization_name.strip()
    if name.lower().startswith(org.lower()):
        rest = name[len(org):].lstrip(_SEPARATORS)
        if rest and rest[0] not in "'’":
            return rest[0].upper() + rest[1:]
    if name.lower().endswith(org.lower()):
        # Only after a separator ("Friendship club — Millfield"): "Citizens Advice
        # Lewisham" by "Lewisham" is a name, not a repetition.
        rest = name[: -len(org)].rstrip()
        if rest and rest[-1] in "-–—:,|" and rest.strip(_SEPARATORS):
            return rest.rstrip(_SEPARATORS)
    return name


def summary(description: str | None) -> str | None:
    """The start of a description, as a list of results shows it: whole when short, else cut
    after the last whole word that fits ``SUMMARY_LENGTH`` with "…"; None when empty. The
    search keeps only this much of each service in memory (``point_index``)."""
    text = (description or "").strip()
    if len(text) <= SUMMARY_LENGTH:
        return text or None
    cut = text[: SUMMARY_LENGTH - 1]
    if text[SUMMARY_LENGTH - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def place_name(location_name: str | None, organization_name: str | None) -> str | None:
    """The place's name where it says more than the organisation's name beside it: a first
    site is often named after the organisation that runs it."""
    if not location_name or not location_name.strip():
        return None
    if organization_name and location_name.strip().lower() == organization_name.strip().lower():
        return None
    return location_name.strip()


def _days_label(codes: Sequence[str]) -> str:
    """Day codes as people say them: "Monday", "Monday and Wednesday", "Monday to Friday"."""
    ordered = sorted({c for c in codes if c in _DAY_NAME}, key=DAYS.index)
    if not ordered:
        return ""
    indexes = [DAYS.index(c) for c in ordered]
    if len(ordered) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{_DAY_NAME[ordered[0]]} to {_DAY_NAME[ordered[-1]]}"
    names = [_DAY_NAME[c] for c in ordered]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clock(value: str | None) -> str | None:
    return value[:5] if value else None


def _repeats(description: str, days: Sequence[str], opens: str | None,
             closes: str | None) -> bool:
    """True when a schedule's description says no more than its days and hours do."""
    text = description.lower()
    for code in days:
        name = _DAY_NAME.get(code, "").lower()
        text = re.sub(rf"\b{name}s?\b|\b{name[:3]}\b", " ", text) if name else text
    for clock in (opens, closes):
        if clock:
            text = text.replace(clock, " ").replace(clock.lstrip("0"), " ")
    text = re.sub(r"\b(to|from|until|till|and|every|each|on|open|opens|closes|am|pm)\b",
                  " ", text)
    return not re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class OpeningTime:
    days: str
    hours: str


def opening_times(schedules: Iterable[Mapping]) -> list[OpeningTime]:
    """Each weekly schedule once, as "Monday and Wednesday" / "10:00 to 16:00", with its
    description and notes only when they add something."""
    rows: list[OpeningTime] = []
    for schedule in schedules:
        codes = [c.strip()[-2:] for c in (schedule.get("byday") or "").split(",") if c.strip()]
        opens, closes = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
        description = (schedule.get("description") or "").strip()
        days = _days_label(codes) or description or "Times"
        parts = [f"{opens} to {closes}"] if opens and closes else []
        if description and days != description and not _repeats(description, codes, opens,
                                                                 closes):
            parts.append(description)
        if schedule.get("notes"):
            parts.append(schedule["notes"].strip())
        row = OpeningTime(days, ". ".join(parts) or "Times not listed")
        if row not in rows:
            rows.append(row)
    return rows


def opening_times_by_place(service: Mapping) -> list[tuple[str | None, list[OpeningTime]]]:
    """The service's opening times, grouped by the place they are for when it runs at more
    than one: ``[(place, rows), ...]``, the place as "Fairfield Hub, SW9 8QP". Times that
    belong to no place, or all to one, come as one group with no place."""
    groups: list[tuple[str | None, list[OpeningTime]]] = []
    links = service.get("service_at_locations") or []
    at_places = {s["id"] for link in links for s in link.get("schedules") or [] if s.get("id")}
    own = opening_times(s for s in service.get("schedules") or []
                        if not s.get("service_at_location_id")
                        and (not s.get("id") or s["id"] not in at_places))
    if own:
        groups.append((None, own))
    for link in links:
        rows = opening_times(link.get("schedules") or [])
        if not rows:
            continue
        location = link.get("location") or {}
        postcodes = [a.get("postal_code") for a in location.get("addresses") or []]
        where = ", ".join(p for p in (location.get("name"), *postcodes[:1]) if p)
        groups.append((where or None, rows))
    if len(groups) < 2:
        return [(None, rows) for _, rows in groups]
    return groups


def _money(amount: float, currency: str | None) -> str:
    symbol = "£" if (currency or "GBP").upper() == "GBP" else f"{currency} "
    return f"{symbol}{amount:,.2f}"


def costs(cost_options: Iterable[Mapping], fees_description: str | None = None) -> list[str]:
    """Each cost option once: "Free", "Lunch: £3.50", without "Free (free)"."""
    lines = []
    for cost in cost_options:
        option = (cost.get("option") or "").strip()
        amount = cost.get("amount")
        if amount is None:
            text = option
        elif amount == 0:
            text = option if "free" in option.lower() else (f"{option}: free" if option
                                                              else "Free")
        else:
            text = f"{option}: {_money(amount, cost.get('currency'))}" if option else _money(
                amount, cost.get("currency"))
        extra = (cost.get("amount_description") or "").strip()
        if extra and extra.lower() not in text.lower():
            text = f"{text} ({extra})" if text else extra
        if text and text not in lines:
            lines.append(text)
    if not lines and fees_description:
        lines.append(fees_description.strip())
    return lines


_SCHEMA_DAYS = {code: f"https://schema.org/{name}" for code, name in _DAY_NAME.items()}


def structured_data(service: Mapping, page_url: str) -> dict:
    """The service as schema.org JSON-LD (a ``Service`` with its provider, channels, places,
    opening hours and prices), for search engines."""
    data: dict = {"@context": "https://schema.org", "@type": "Service", "@id": page_url,
                  "url": page_url, "name": service["name"]}
    if service.get("description"):
        data["description"] = service["description"]
    organization = service.get("organization")
    if organization:
        provider = {"@type": "Organization", "name": organization["name"]}
        if organization.get("website"):
            provider["url"] = organization["website"]
        data["provider"] = provider
    places = []
    for link in service.get("service_at_locations") or []:
        location = link.get("location") or {}
        place: dict = {"@type": "Place"}
        if location.get("name"):
            place["name"] = location["name"]
        for address in location.get("addresses") or []:
            place["address"] = {
                "@type": "PostalAddress", "streetAddress": ", ".join(
                    a for a in (address.get("address_1"), address.get("address_2")) if a),
                "addressLocality": address.get("city"),
                "postalCode": address.get("postal_code"),
                "addressCountry": address.get("country")}
        if location.get("latitude") is not None and location.get("longitude") is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": location["latitude"],
                            "longitude": location["longitude"]}
        if len(place) > 1:
            places.append(place)
    channel: dict = {"@type": "ServiceChannel"}
    if service.get("url"):
        channel["serviceUrl"] = service["url"]
    phones = service.get("phones") or []
    if phones:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": phones[0]["number"]}
    if places:
        channel["serviceLocation"] = places
    if len(channel) > 1:
        data["availableChannel"] = channel
    hours = []
    schedules = list(service.get("schedules") or [])
    for link in service.get("service_at_locations") or []:
        schedules += link.get("schedules") or []
    for schedule in schedules:
        codes = [c.strip()[-2:] for c in (schedule.get("byday") or "").split(",")]
        days = [_SCHEMA_DAYS[c] for c in codes if c in _SCHEMA_DAYS]
        if days and schedule.get("opens_at") and schedule.get("closes_at"):
            hours.append({"@type": "OpeningHoursSpecification", "dayOfWeek": days,
                          "opens": schedule["opens_at"], "closes": schedule["closes_at"]})
    if hours:
        data["hoursAvailable"] = hours
    offers = [{"@type": "Offer", "price": cost["amount"],
               "priceCurrency": cost.get("currency") or "GBP",
               **({"name": cost["option"]} if cost.get("option") else {})}
              for cost in service.get("cost_options") or [] if cost.get("amount") is not None]
    if offers:
        data["offers"] = offers
    if service.get("minimum_age") is not None or service.get("maximum_age") is not None:
        audience = {"@type": "PeopleAudience"}
        if service.get("minimum_age") is not None:
            audience["suggestedMinAge"] = service["minimum_age"]
        if service.get("maximum_age") is not None:
            audience["suggestedMaxAge"] = service["maximum_age"]
        data["audience"] = audience
    return data
