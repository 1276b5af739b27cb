"""The NHS.UK header re-lays out its navigation whenever it resizes (it moves each link in the
page to measure it), which takes the keyboard focus off a focused link: a keyboard user who
tabs as the page settles, or zooms the text, finds the focus back at the top of the page.
Ours keeps it where it was."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1280])
def test_a_focused_header_link_keeps_the_focus_when_the_header_lays_out_again(
        page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/find")
    page.wait_for_load_state("load")
    page.focus(".nhsuk-header__navigation-list a")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused  # a header link has the focus
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("document.activeElement.textContent.trim()") == focused
