"""The /find map in headless Chromium at 375 and 1280 px: its markers carry the list's numbers
(results at one place share one), never cover each other, zoom and move with buttons, the
wheel, pinches and keys, announce what changed, and without JavaScript still lead to the list."""

import re

import pytest

from conftest import AXE_SOURCE
from linkwell.charts.markers import marker_text
from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.models import Attribute, Service, ServiceAtLocation
from linkwell.directory.search_index import reindex_services
from search_fixtures import BEFRIEND, BEFRIENDING, ORG, add_all, uid

pytestmark = pytest.mark.browser
WIDTHS = (375, 1280)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RESULTS = "/find?postcode=SE13+5AA&distance=5"
LUNCH = uid("lunch-club")

MARKERS = """() => [...document.querySelectorAll('.lw-map__marker')].map(m => ({
  numbers: m.dataset.numbers.split(' ').map(Number),
  text: m.querySelector('text').textContent,
  href: m.getAttribute('href'),
  box: (({left, top, right, bottom}) => ({left, top, right, bottom}))(
    m.querySelector('.lw-map__badge').getBoundingClientRect()),
  fontPx: parseFloat(getComputedStyle(m.querySelector('text')).fontSize)
    * m.ownerSVGElement.getBoundingClientRect().width / m.ownerSVGElement.viewBox.baseVal.width,
}))"""
LISTED = """() => [...document.querySelectorAll('#result-list > li')].map(li => ({
  id: li.id, badge: Number(li.querySelector('.lw-marker').textContent),
  mapped: !li.textContent.includes('No address to show on the map'),
}))"""


@pytest.fixture
def site(browser_settings, live_server):
    """The search fixtures, with a lunch club in the befriending scheme's hall (one place)."""
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        add_all(session)
        session.add(Service(id=LUNCH, organization_id=ORG, name="Lewisham Lunch Club",
                            description="A hot lunch and company.", status="active",
                            email="lunch@example.org", url="https://example.org/lunch"))
        session.flush()
        session.add_all([
            Attribute(id=uid("attr-lunch"), link_id=LUNCH, link_entity="service",
                      link_type="need", taxonomy_term_id=BEFRIENDING),
            ServiceAtLocation(id=uid("sal-lunch"), service_id=LUNCH,
                              location_id=uid(f"loc-{BEFRIEND}")),
        ])
        session.flush()
        reindex_services(session)
    engine.dispose()
    return live_server.url


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def screen(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    yield context.new_page()
    context.close()


def _overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and \
        a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _zoom(page) -> float:
    transform = page.get_attribute(".lw-map__layer", "transform") or "scale(1)"
    return float(re.search(r"scale\(([\d.]+)\)", transform).group(1))


def _spread(page) -> float:
    """How far apart, across the screen, the westmost and eastmost places are drawn."""
    return page.evaluate("""() => {
      const xs = [...document.querySelectorAll('.lw-map__place')].map(c => {
        const box = c.getBoundingClientRect(); return box.left + box.width / 2 })
      return Math.max(...xs) - Math.min(...xs) }""")


def _numbers_match(page) -> tuple[list[dict], list[dict]]:
    listed = page.evaluate(LISTED)
    markers = page.evaluate(MARKERS)
    assert [item["id"] for item in listed] == [f"result-{item['badge']}" for item in listed]
    on_map = sorted(n for m in markers for n in m["numbers"])
    assert on_map == [item["badge"] for item in listed if item["mapped"]]
    for marker in markers:
        assert marker["text"] == marker_text(marker["numbers"])
        assert marker["href"] == f"#result-{marker['numbers'][0]}"
        assert marker["fontPx"] >= 12
    for a, b in ((a, b) for i, a in enumerate(markers) for b in markers[i + 1:]):
        assert not _overlap(a["box"], b["box"]), (a, b)
    return listed, markers


def test_map_markers_carry_the_numbers_of_the_list(site, screen):
    screen.goto(f"{site}{RESULTS}")
    _, markers = _numbers_match(screen)
    shared = [m for m in markers if len(m["numbers"]) > 1]
    assert len(shared) == 1, "the lunch club and the befriending scheme share a hall"
    screen.goto(f"{site}/find?taxonomy_term_id={BEFRIENDING}")
    listed, _ = _numbers_match(screen)
    assert any(not item["mapped"] for item in listed), "the telephone service has no place"


def test_the_list_comes_first_on_a_phone_and_sits_beside_the_map_on_a_screen(site, screen):
    screen.goto(f"{site}{RESULTS}")
    width = screen.viewport_size["width"]
    first = screen.locator("#result-list > li").first.bounding_box()
    last = screen.locator("#result-list > li").last.bounding_box()
    figure = screen.locator("#results-map").bounding_box()
    if width == 375:
        assert last["y"] + last["height"] <= figure["y"], "every result comes before the map"
        assert screen.locator(".lw-find__to-map a").is_visible()
    else:
        assert figure["x"] >= first["x"] + first["width"], "the map sits beside the list"
        assert figure["y"] < first["y"] + first["height"]
        assert figure["width"] >= 280
        assert not screen.locator(".lw-find__to-map a").is_visible()
    assert screen.evaluate("document.documentElement.scrollWidth") <= width


def test_zoom_buttons_change_the_view_and_say_so(site, screen):
    screen.goto(f"{site}{RESULTS}")
    assert screen.locator(".lw-map__controls").is_visible()
    spread = _spread(screen)
    screen.click("[data-map-action=zoom-in]")
    assert _zoom(screen) == 2
    assert _spread(screen) == pytest.approx(2 * spread, rel=0.02), "places move apart"
    assert screen.inner_text("#results-map-status").startswith("Zoomed to 2 times. In view:")
    screen.click("[data-map-action=east]")
    assert screen.inner_text("#results-map-status").startswith("Moved east.")
    scale = screen.text_content(".lw-map__scale text")
    screen.click("[data-map-action=zoom-in]")
    assert _zoom(screen) == 4 and screen.text_content(".lw-map__scale text") != scale
    screen.click("[data-map-action=reset]")
    assert _zoom(screen) == 1
    assert screen.get_attribute("[data-map-action=zoom-out]", "aria-disabled") == "true"
    screen.focus("[data-map-action=zoom-out]")  # a button that can do no more still answers
    screen.keyboard.press("Enter")
    assert screen.inner_text("#results-map-status").startswith("Zoomed out fully.")


def test_the_map_that_htmx_swaps_in_zooms_too(site, page):
    page.goto(f"{site}/find")
    page.fill("#postcode", "SE13 5AA")
    page.click("button[type=submit]")
    page.wait_for_selector(".lw-map__controls:not([hidden])")
    page.click("[data-map-action=zoom-in]")
    assert _zoom(page) == 2
    page.select_option("#distance", "5")
    page.click("button[type=submit]")
    page.wait_for_function("""() => {
      const zoom = document.querySelector('.lw-map__layer').getAttribute('transform')
      return zoom !== null && !zoom.endsWith('(2)') }""")
    assert _zoom(page) == 1, "a new search starts from the whole map"
    page.click("[data-map-action=zoom-in]")
    assert _zoom(page) == 2


def test_the_wheel_and_a_pinch_zoom_the_map(site, screen):
    screen.goto(f"{site}{RESULTS}")
    screen.locator(".lw-map__svg").scroll_into_view_if_needed()
    box = screen.locator(".lw-map__svg").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    screen.mouse.move(*centre)
    screen.mouse.wheel(0, -300)
    screen.wait_for_function(
        "() => !document.querySelector('.lw-map__layer').getAttribute('transform')"
        ".endsWith('(1)')")
    assert _zoom(screen) > 1.5
    screen.click("[data-map-action=reset]")
    cdp = screen.context.new_cdp_session(screen)

    def touch(kind, spread):
        points = [] if kind == "touchEnd" else [
            {"x": centre[0] - spread, "y": centre[1], "id": 1},
            {"x": centre[0] + spread, "y": centre[1], "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for spread in (30, 45, 60):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    assert _zoom(screen) == pytest.approx(3, rel=0.1), "fingers three times as far apart"


def test_dragging_moves_the_map_and_is_not_a_click(site, screen):
    screen.goto(f"{site}{RESULTS}")
    screen.click("[data-map-action=zoom-in]")
    screen.click("[data-map-action=zoom-in]")
    marker = screen.locator(".lw-map__marker").first
    marker.focus()  # brings it into view
    box = marker.locator(".lw-map__badge").bounding_box()
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before = screen.get_attribute(".lw-map__layer", "transform")
    screen.mouse.move(*start)
    screen.mouse.down()
    screen.mouse.move(start[0] + 40, start[1] + 30, steps=5)
    screen.mouse.up()
    assert screen.get_attribute(".lw-map__layer", "transform") != before
    assert "#result-" not in screen.url, "a drag that starts on a marker does not follow it"
    marker.click()
    assert screen.url.endswith(marker.get_attribute("href"))


def test_the_map_works_from_the_keyboard(site, screen):
    screen.goto(f"{site}{RESULTS}")
    screen.focus("[data-map-action=zoom-in]")
    screen.keyboard.press("Enter")
    assert _zoom(screen) == 2
    screen.focus(".lw-map__marker")
    screen.keyboard.press("+")
    assert _zoom(screen) == 4
    marker = screen.locator(".lw-map__marker").first
    svg = screen.locator(".lw-map__svg").bounding_box()
    box = marker.locator(".lw-map__badge").bounding_box()
    assert svg["x"] <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"], \
        "the focused marker is in view"
    screen.keyboard.press("ArrowUp")
    assert screen.inner_text("#results-map-status").split(".")[0] in {
        "Moved north", "The map is at its northern edge"}
    href = marker.get_attribute("href")
    screen.keyboard.press("Enter")
    screen.wait_for_function(f"() => document.activeElement.id === '{href[1:]}'")
    assert screen.url.endswith(href)


def test_without_javascript_markers_lead_to_the_list(site, browser):
    for width in WIDTHS:
        context = browser.new_context(java_script_enabled=False,
                                      viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{site}{RESULTS}")
        assert not page.locator(".lw-map__controls").is_visible()
        assert page.locator("#result-list > li").count() >= 5
        marker = page.locator(".lw-map__marker").last
        href = marker.get_attribute("href")
        marker.click()
        assert page.url.endswith(href)
        assert page.evaluate("document.querySelector(':target').id") == href[1:]
        result = page.locator(href).bounding_box()
        assert 0 <= result["y"] < 900, "the result is scrolled into view"
        context.close()


def test_the_results_and_map_meet_wcag_2_2_aa_and_reflow_at_320_px(site, screen):
    screen.goto(f"{site}{RESULTS}")
    screen.click("[data-map-action=zoom-in]")
    screen.evaluate(AXE_SOURCE)
    result = screen.evaluate("async (tags) => await axe.run(document, "
                             "{runOnly: {type: 'tag', values: tags}})", WCAG)
    assert [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]] == []
    screen.set_viewport_size({"width": 320, "height": 720})
    assert screen.evaluate("document.documentElement.scrollWidth") <= 320
    assert min(m["fontPx"] for m in screen.evaluate(MARKERS)) >= 12
