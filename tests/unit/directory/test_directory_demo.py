"""The demo directory's generator: look-alikes only where the demo means them.

A duplicates queue filled with pairs that merely share a phone number or a postcode by chance
hides the demo's deliberate look-alikes from the administrator it is meant to show them to.
"""

from linkwell.directory.demo import (
    DRAMA_NUMBERS,
    LsoaPoint,
    PlannedSite,
    PostcodePoint,
    demo_phone_number,
    place_sites,
)

LSOA = LsoaPoint("E01000001", "E09000023", "Lewisham", 51.46, -0.01)
A = PostcodePoint("SE13 5AA", 51.4600, -0.0100)
B = PostcodePoint("SE13 5AB", 51.4610, -0.0110)


def _site(name: str, organisation: str, lat: float = 51.4600, lon: float = -0.0100
          ) -> PlannedSite:
    return PlannedSite(f"site-{name}", organisation, name, LSOA, lat, lon, "1 High Street")


def test_every_demo_service_has_a_number_of_its_own_while_the_drama_ranges_last():
    numbers = [demo_phone_number(i) for i in range(len(DRAMA_NUMBERS))]

    assert len(set(numbers)) == len(numbers) >= 4000
    assert numbers[0] == "020 7946 0000"  # London's drama range first
    assert demo_phone_number(len(DRAMA_NUMBERS)) == numbers[0]  # then they are reused


def test_another_organisation_is_placed_at_a_postcode_of_its_own_when_one_is_free():
    first, second = _site("first", "org-1"), _site("second", "org-2", lat=51.4601)

    placed = place_sites([first, second], {LSOA.lsoa11cd: [A, B]})

    assert placed[first.id] == A and placed[second.id] == B


def test_a_look_alike_at_the_same_premises_shares_its_postcode():
    original, twin = _site("original", "org-1"), _site("twin", "org-2")
    another_site_of_the_original = _site("hall", "org-1", lat=51.4601)

    placed = place_sites([original, twin, another_site_of_the_original],
                         {LSOA.lsoa11cd: [A, B]})

    assert placed[original.id] == placed[twin.id] == A
    assert placed[another_site_of_the_original.id] == A  # its own organisation's: allowed


def test_when_every_postcode_is_taken_the_nearest_is_shared():
    first, second = _site("first", "org-1"), _site("second", "org-2", lat=51.4601)

    placed = place_sites([first, second], {LSOA.lsoa11cd: [A]})

    assert placed[first.id] == placed[second.id] == A
