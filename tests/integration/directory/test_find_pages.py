"""The public "Find support" pages over HTTP: results, errors, htmx fragments, service page."""

import re

import pytest

from search_fixtures import BEFRIEND, BEFRIENDING, CITIZENS, DEBT_DROP_IN, FAR, PHONE_ONLY, add_all


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
    assert "<svg" in html and 'role="img"' in html
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
    [({"postcode": "SE13"}, "postcode", "Enter a full UK postcode"),
     ({"postcode": "ZZ1 1ZZ"}, "postcode", "We could not find that postcode"),
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
    for text in ("020 7946 0000", "Monday, Wednesday", "10:00 to 16:00", "Polish",
                 "18 years and over", "Free", "Last verified:"):
        assert text in html, text
    assert "may be out of date" not in html


def test_service_page_warns_when_stale(site):
    html = site.get(f"/services/{DEBT_DROP_IN}").text
    assert "This listing may be out of date" in html
    assert "nhsuk-card--warning" in html


def test_service_page_unknown_is_404(site):
    response = site.get("/services/nope", headers={"Accept": "text/html"})
    assert response.status_code == 404
