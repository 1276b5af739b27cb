"""Names, opening times and costs as people read them; schema.org data (pure)."""

import pytest

from linkwell.directory.presentation import (
    OpeningTime,
    costs,
    display_name,
    opening_times,
    opening_times_by_place,
    place_name,
    structured_data,
    summary,
)


@pytest.mark.parametrize(("service", "organization", "expected"), [
    ("Millfield Community Association Friendship club", "Millfield Community Association",
     "Friendship club"),
    ("Millfield Community Association – lunch club", "Millfield Community Association",
     "Lunch club"),
    ("Friendship club", "Millfield Community Association", "Friendship club"),
    ("Friendship club — St Mary's Church, Woodside", "St Mary's Church, Woodside",
     "Friendship club"),
    ("Citizens Advice Lewisham", "Lewisham", "Citizens Advice Lewisham"),
    ("Age UK", "Age UK", "Age UK"),
    ("Age UK's shop", "Age UK", "Age UK's shop"),
    ("Education law advice", None, "Education law advice"),
])
def test_display_name_never_repeats_the_organisation(service, organization, expected):
    assert display_name(service, organization) == expected


@pytest.mark.parametrize(("place", "organization", "expected"), [
    ("Millfield Community Association", "Millfield Community Association", None),
    (" millfield community association", "Millfield Community Association ", None),
    ("Market Square Hall", "Millfield Community Association", "Market Square Hall"),
    ("Market Square Hall", None, "Market Square Hall"),
    (None, "Millfield Community Association", None),
])
def test_a_place_named_as_its_organisation_is_not_named_again(place, organization, expected):
    """A result shows the organisation, then how far away and where: "less than 0.1 miles
    away – Millfield Community Association" under "Millfield Community Association" says
    the name twice."""
    assert place_name(place, organization) == expected


def test_opening_times_at_two_places_say_which_place_they_are_for():
    """Merged into one list, "Monday 10:00 to 13:00" at one hall and "Monday to Friday 10:00
    to 12:00" at another read as two answers for Monday."""
    def at(name, byday, opens, closes):
        return {"location": {"name": name, "addresses": [{"postal_code": "SW4 0LJ"}]},
                "schedules": [{"id": name, "service_at_location_id": name, "byday": byday,
                               "opens_at": opens, "closes_at": closes}]}
    places = [at("Brookfield Community Association", "MO", "10:00:00", "13:00:00"),
              at("Fairfield Hub", "MO,TU,WE,TH,FR", "10:00:00", "12:00:00")]
    # A feed lists a place's schedule under the service too: it is said once, at its place.
    service = {"schedules": [s for p in places for s in p["schedules"]],
               "service_at_locations": places}
    groups = opening_times_by_place(service)
    assert [place for place, _ in groups] == ["Brookfield Community Association, SW4 0LJ",
                                              "Fairfield Hub, SW4 0LJ"]
    assert groups[1][1] == [OpeningTime("Monday to Friday", "10:00 to 12:00")]
    one_place = {"schedules": [], "service_at_locations": [service["service_at_locations"][0]]}
    assert opening_times_by_place(one_place) == [
        (None, [OpeningTime("Monday", "10:00 to 13:00")])]
    assert opening_times_by_place({"schedules": [], "service_at_locations": []}) == []


def test_opening_times_say_each_fact_once():
    rows = opening_times([
        {"byday": "SA", "opens_at": "10:00:00", "closes_at": "13:00:00",
         "description": "Saturdays, 10:00 to 13:00"},
        {"byday": "MO,TU,WE,TH,FR", "opens_at": "09:00:00", "closes_at": "17:00:00",
         "description": "Drop in, no appointment needed"},
        {"byday": "MO,WE", "opens_at": "10:00:00", "closes_at": "16:00:00"},
        {"byday": "MO,WE", "opens_at": "10:00:00", "closes_at": "16:00:00"},
        {"description": "By appointment"},
    ])
    assert rows == [
        OpeningTime("Saturday", "10:00 to 13:00"),
        OpeningTime("Monday to Friday", "09:00 to 17:00. Drop in, no appointment needed"),
        OpeningTime("Monday and Wednesday", "10:00 to 16:00"),
        OpeningTime("By appointment", "Times not listed"),
    ]


def test_costs_never_say_free_twice():
    assert costs([{"option": "Free", "amount": 0, "currency": "GBP"}]) == ["Free"]
    assert costs([{"amount": 0}]) == ["Free"]
    assert costs([{"option": "Lunch", "amount": 3.5, "currency": "GBP"},
                  {"option": "Lunch", "amount": 3.5, "currency": "GBP"}]) == ["Lunch: £3.50"]
    assert costs([{"option": "Membership", "amount": 0,
                   "amount_description": "free for carers"}]) == [
        "Membership: free (free for carers)"]
    assert costs([], "Donations welcome") == ["Donations welcome"]


def test_structured_data_is_a_schema_org_service():
    data = structured_data({
        "id": "x", "name": "Lunch club", "status": "active", "url": "https://example.org/",
        "organization": {"name": "Millfield", "website": "https://millfield.example.org/"},
        "phones": [{"number": "020 7946 0000"}], "minimum_age": 60,
        "service_at_locations": [{"location": {
            "name": "Hall", "latitude": 51.45, "longitude": -0.01,
            "addresses": [{"address_1": "1 High St", "city": "London",
                           "postal_code": "SE13 5AA", "country": "GB"}]}}],
        "schedules": [{"byday": "TU", "opens_at": "12:00:00", "closes_at": "14:00:00"}],
        "cost_options": [{"option": "Lunch", "amount": 3.5, "currency": "GBP"}],
    }, "https://linkwell.example/services/x")
    assert data["@type"] == "Service" and data["url"] == "https://linkwell.example/services/x"
    assert data["provider"]["url"] == "https://millfield.example.org/"
    place = data["availableChannel"]["serviceLocation"][0]
    assert place["address"]["postalCode"] == "SE13 5AA" and place["geo"]["latitude"] == 51.45
    assert data["hoursAvailable"] == [{"@type": "OpeningHoursSpecification",
                                       "dayOfWeek": ["https://schema.org/Tuesday"],
                                       "opens": "12:00:00", "closes": "14:00:00"}]
    assert data["offers"][0]["price"] == 3.5 and data["audience"]["suggestedMinAge"] == 60


def test_a_summary_is_the_description_when_it_is_short():
    assert summary("  Weekly befriending visits. ") == "Weekly befriending visits."
    assert summary(None) is None and summary("   ") is None


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    description = "Advice on benefits, debt and housing for people in Lewisham. " * 10
    shortened = summary(description)
    assert len(shortened) <= 220 and shortened.endswith("…")
    assert description.startswith(shortened[:-1])
    assert not shortened[:-1].endswith(" ") and description[len(shortened) - 1] == " "


def test_one_long_word_is_cut_where_it_must_be():
    assert summary("x" * 500) == "x" * 219 + "…"
