"""Pages never wait on another host: every request stays on Linkwell's own address, and the
text is set at once in the design system's fallback font."""

import pytest

from conftest import make_user, sign_in_browser
from linkwell.db import make_engine, make_sessionmaker

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        make_user(session, "admin", email="admin@example.org")
    engine.dispose()


def test_no_request_leaves_the_server(page, live_server, admin):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    for path in ("/find", "/login", "/find/advice"):
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    sign_in_browser(page, live_server.url, "admin@example.org")
    page.goto(f"{live_server.url}/admin/users", wait_until="networkidle")

    assert requested
    elsewhere = [url for url in requested
                 if not url.startswith((f"{live_server.url}/", "data:"))]
    assert elsewhere == []
    assert not [url for url in requested if url.endswith((".woff", ".woff2"))]
    assert page.evaluate("document.fonts.status") == "loaded"
    font_faces = page.evaluate("""() => [...document.styleSheets].flatMap(sheet =>
        [...sheet.cssRules].filter(rule => rule instanceof CSSFontFaceRule)
                           .map(rule => rule.cssText))""")
    assert font_faces == []


def test_the_design_system_styles_still_apply(page, live_server):
    page.goto(f"{live_server.url}/find")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Frutiger W01", arial')
    header = page.evaluate("""getComputedStyle(document.querySelector('.nhsuk-header'))
                              .backgroundColor""")
    assert header == "rgb(0, 94, 184)"  # NHS blue
