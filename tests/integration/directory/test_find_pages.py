"""The public "Find support" pages over HTTP: results, errors, htmx fragments, service page."""

import json
import re
from datetime import datetime

import pytest

from linkwell.directory import web
from search_fixtures import (
    BEFRIEND,
    BEFRIENDING,
    CITIZENS,
    DEBT_DROP_IN,
    FAR,
    PHONE_ONLY,
    add_all,
    uid,
)


@pytest.fixture
def site(client, app):
    with app.state.sessionmaker() as session, session.begin():
        add_all(session)
    return client


def test_find_page_without_a_search_shows_the_form(site):
    response = site.get("/find")
    assert response.status_code == 200
    html = response.text
    assert '<label class="nhsuk-label" for="postcode">Postcode</label>' in html
    assert "Benefits advice" in html and "– Befriending" in html
    assert "services found" not in html


def test_find_by_postcode_and_need_lists_services_with_distance_and_map(site):
    response = site.get("/find", params={"postcode": "se13 5aa", "taxonomy_term_id": BEFRIENDING,
                                         "distance": "2"})
    assert response.status_code == 200
    html = response.text
    assert "1 service found" in html
    assert f'href="/services/{BEFRIEND}"' in html
    assert "0.2 miles away" in html
    assert '<svg' in html and 'aria-labelledby="results-map-title"' in html
    assert 'href="#result-1" aria-label="1: Lewisham Befriending Scheme"' in html
    assert f'href="/services/{FAR}"' not in html


def test_find_flags_stale_listings(site):
    html = site.get("/find", params={"postcode": "SE13 5AA", "distance": "5"}).text
    assert re.search(r"nhsuk-tag--orange\">Last checked \d+ \w+ \d{4}", html)
    assert html.index(DEBT_DROP_IN) > html.index(CITIZENS)


def test_find_with_words_and_typos(site):
    html = site.get("/find", params={"search": "befriending"}).text
    assert f'href="/services/{PHONE_ONLY}"' in html
    assert f'href="/services/{CITIZENS}"' in site.get("/find", params={"search": "benifits"}).text


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [({"postcode": "SE1"}, "postcode", "We could not find the postcode area SE1. Check it"),
     ({"postcode": "SE13 5"}, "postcode", "Enter a full UK postcode"),
     ({"postcode": "ZZ1 1ZZ"}, "postcode",
      "We could not find ZZ1 1ZZ. Check the postcode and try again"),
     ({"postcode": "se13 5zz"}, "postcode",
      "We could not find SE13 5ZZ. Did you mean SE13 5AA? Check the postcode"),
     ({"postcode": "SE13 5AA", "age": "old"}, "age", "Enter age as a whole number")],
)
def test_find_bad_input_shows_the_error_summary(site, params, field, message):
    response = site.get("/find", params=params)
    assert response.status_code == 422
    html = response.text
    assert "<title>Error: Find support near you" in html
    assert 'class="nhsuk-error-summary"' in html
    assert f'<a href="#{field}">{message}' in html
    assert f'id="{field}-error"' in html


def test_find_results_fragment_for_htmx(site):
    response = site.get("/find/results", params={"search": "befriending"},
                        headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<div id=\"results\">" in response.text
    assert "<html" not in response.text
    assert response.headers["hx-push-url"].startswith("/find?search=befriending")


def test_find_results_fragment_with_errors_swaps_the_form(site):
    response = site.get("/find/results", params={"postcode": "nonsense"},
                        headers={"HX-Request": "true"})
    assert response.headers["hx-retarget"] == "#find-content"
    assert 'class="nhsuk-error-summary"' in response.text


def test_find_escapes_what_was_typed(site):
    html = site.get("/find", params={"search": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)</script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html or "&quot;&gt;&lt;script&gt;" in html


def test_service_page_shows_details(site):
    response = site.get(f"/services/{BEFRIEND}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Lewisham Befriending Scheme</h1>" in html
    for text in ("020 7946 0000", "Monday and Wednesday", "10:00 to 16:00", "Polish",
                 "18 years and over", "Free", "Last checked:"):
        assert text in html, text
    assert "may be out of date" not in html
    assert "Free (free)" not in html and "Drop in" in html


def test_service_page_carries_schema_org_structured_data(site):
    html = site.get(f"/services/{BEFRIEND}").text
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(found.group(1))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Service"
    assert data["name"] == "Lewisham Befriending Scheme"
    assert data["provider"] == {"@type": "Organization", "name": "Lewisham Community Trust"}
    assert data["availableChannel"]["servicePhone"]["telephone"] == "020 7946 0000"
    assert data["hoursAvailable"][0]["dayOfWeek"] == ["https://schema.org/Monday",
                                                      "https://schema.org/Wednesday"]
    assert data["offers"][0]["price"] == 0
    assert "<script>" not in found.group(1)


def test_find_by_outcode_searches_from_its_centre(site):
    response = site.get("/find", params={"postcode": "se13", "taxonomy_term_id": BEFRIENDING})
    assert response.status_code == 200
    html = response.text
    assert "centre of the SE13 postcode area" in html
    assert f'href="/services/{BEFRIEND}"' in html and "miles away" in html


def test_find_widens_when_nothing_is_near_and_says_so(site):
    html = site.get("/find", params={"postcode": "SE13 5AA", "search": "greenwich",
                                     "distance": "2"}).text
    assert "Nothing within 2 miles, showing within 5 miles." in html
    assert f'href="/services/{FAR}"' in html and "1 service found" in html
    html = site.get("/find", params={"postcode": "SE13 5AA", "search": "greenwich",
                                     "distance": "10"}).text
    assert "Nothing within" not in html and "1 service found" in html


def test_find_numbers_the_list_and_the_map_markers_alike(site):
    html = site.get("/find", params={"postcode": "SE13 5AA", "distance": "5"}).text
    numbers = re.findall(r'<span class="lw-marker" aria-hidden="true">(\d+)</span>', html)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) >= 4
    markers = re.findall(r'data-numbers="([\d ]+)"', html)
    assert sorted((n for m in markers for n in m.split()), key=int) == numbers
    assert re.findall(r'<li id="result-(\d+)"', html) == numbers
    # The list comes before the map, so a phone shows results first.
    assert html.index('id="result-list"') < html.index("<svg")


@pytest.mark.parametrize(("now", "open_ids", "closed_ids"), [
    (datetime(2026, 12, 7, 11, 0), [BEFRIEND], [CITIZENS]),  # a Monday, 11:00
    (datetime(2026, 12, 8, 11, 0), [CITIZENS], [BEFRIEND]),  # a Tuesday
    (datetime(2026, 12, 7, 16, 30), [], [BEFRIEND, CITIZENS]),  # Monday, after closing
])
def test_find_open_now_filter(site, monkeypatch, now, open_ids, closed_ids):
    monkeypatch.setattr(web, "_now", lambda: now.replace(tzinfo=web.LOCAL_TIME))
    html = site.get("/find", params={"search": "", "open_now": "yes", "taxonomy_term_id": "",
                                     "age": "30"}).text
    assert "open now" in html
    for service_id in open_ids:
        assert f'href="/services/{service_id}"' in html
    for service_id in closed_ids:
        assert f'href="/services/{service_id}"' not in html


def test_service_page_warns_when_stale(site):
    html = site.get(f"/services/{DEBT_DROP_IN}").text
    assert "This listing may be out of date" in html
    assert "nhsuk-card--warning" in html


def test_service_page_unknown_is_404(site):
    response = site.get("/services/nope", headers={"Accept": "text/html"})
    assert response.status_code == 404


def test_find_shows_a_service_by_its_own_name_not_its_alternate_name(site, app):
    """The index keeps the alternate name beside the name so it can be searched; a results
    page showed both run together ("Friendship club — Millfield … Friendship club")."""
    from sqlalchemy import update

    from linkwell.directory.models import Service
    from linkwell.directory.search_index import reindex_services

    with app.state.sessionmaker() as session, session.begin():
        session.execute(update(Service).where(Service.id == BEFRIEND)
                        .values(alternate_name="Phone friends"))
        reindex_services(session, [BEFRIEND])
    html = site.get("/find", params={"postcode": "se13 5aa", "search": "phone friends",
                                     "distance": "2"}).text
    assert f'href="/services/{BEFRIEND}">Lewisham Befriending Scheme</a>' in html


def test_a_result_does_not_name_its_organisation_twice(site, app):
    """A first site is often named after the organisation that runs it; the result already
    shows the organisation, so the place is not named again after the distance."""
    from linkwell.directory.models import Location  # noqa: PLC0415 - this test alone

    with app.state.sessionmaker() as session, session.begin():
        session.get(Location, uid(f"loc-{BEFRIEND}")).name = "Lewisham Community Trust"
    html = site.get("/find", params={"postcode": "SE13 5AA", "distance": "5"}).text
    card = html[html.index(f'href="/services/{BEFRIEND}"'):]
    card = card[:card.index("</li>")]
    assert card.count("Lewisham Community Trust") == 1
    assert "miles away</strong></p>" in card
    other = html[html.index(f'href="/services/{CITIZENS}"'):]
    assert "miles away</strong> – Citizens Advice Lewisham hall" in other
