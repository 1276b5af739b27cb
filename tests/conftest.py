"""Fixtures shared by the whole suite.

Every test that asks for ``database_url`` (or anything built on it: ``session``, ``app``,
``client``) runs once on SQLite and once on PostgreSQL. Each pytest process gets its own
PostgreSQL database, so parallel runs never collide; tables are emptied between tests.
Choose engines with ``LINKWELL_TEST_DATABASES=sqlite`` (default ``sqlite,postgresql``).
"""

import os
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from linkwell.db import make_engine, make_sessionmaker
from linkwell.migrate import upgrade
from linkwell.settings import PROJECT_ROOT, Settings

PG_ADMIN_URL = os.environ.get(
    "LINKWELL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ENGINES = [e.strip() for e in os.environ.get(
    "LINKWELL_TEST_DATABASES", "sqlite,postgresql").split(",") if e.strip()]
SHARED_LONDON = PROJECT_ROOT.parent / "shared" / "data" / "london"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_url():
    name = f"linkwell_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")).scalars().all()
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path) -> str:
    """A migrated, empty database on each engine in turn."""
    if request.param == "sqlite":
        path = tmp_path / "linkwell.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def other_database_url(database_url, tmp_path):
    """A second, empty database (no schema) on the engine of ``database_url``: where a
    restore or a fresh install goes."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    name = f"linkwell_other_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """SQLite only: for browser tests, where the engine is not what is under test."""
    path = tmp_path / "linkwell.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine):
    return make_sessionmaker(engine)


@pytest.fixture
def session(session_factory):
    with session_factory() as session:
        yield session


def make_settings(database_url: str, **overrides) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-key",
                    geo_data_path=SHARED_LONDON, **overrides)


@pytest.fixture
def settings(database_url) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings):
    from linkwell.web.app import create_app

    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        yield client


@pytest.fixture
def shared_london() -> Path:
    if not (SHARED_LONDON / "lsoa2011.csv").exists():
        pytest.skip("../shared/data/london is not beside the project")
    return SHARED_LONDON


# --- Real browser ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by uvicorn in a thread, as a browser would reach it."""

    def __init__(self, app, **options):
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def browser_settings(sqlite_url) -> Settings:
    return make_settings(sqlite_url)


@pytest.fixture
def live_server(browser_settings):
    from linkwell.web.app import create_app

    app = create_app(browser_settings)
    with LiveServer(app) as server:
        yield server
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed at /usr/bin/chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = f"() => {{ {AXE_JS.read_text()}\n; window.axe = axe }}" if AXE_JS.exists() else ""


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return violations at the given impact levels."""
    # Evaluated through the DevTools protocol, not added as a <script>: the pages'
    # Content-Security-Policy refuses inline scripts, and that is what these tests run under.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def sign_in_browser(page, base_url: str, email: str) -> None:
    """Sign in on the login page, as a person does, starting a new session."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


PHONE_WIDTH = 375  # CSS pixels: the narrowest phone the NHS.UK design system designs for


def sideways_scroll_on_a_phone(page) -> int:
    """How many CSS pixels the page is wider than a phone's screen (0 when it fits)."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    # The resize event (on which the header folds its links into "More") fires with the
    # next frame; measure after it.
    overflow = page.evaluate("""() => new Promise(resolve => requestAnimationFrame(() =>
        requestAnimationFrame(() => resolve(document.documentElement.scrollWidth))))""")
    overflow -= PHONE_WIDTH
    page.set_viewport_size(size)
    return max(0, overflow)


# --- Accounts -------------------------------------------------------------------------------

TEST_PASSWORD = "correct horse battery staple"


def make_user(session, role, *, email=None, display_name=None, organization_id=None,
              team_id=None, roles=None, password=TEST_PASSWORD):
    """Create and commit a user holding ``role`` (or every role in ``roles``)."""
    from linkwell.auth import commands as auth_commands

    with session.begin():
        user = auth_commands.create_user(
            session, by=None, email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.org",
            display_name=display_name or f"Test {role}", roles=roles or [role],
            password=password, organization_id=organization_id, team_id=team_id)
    return user


def csrf_token(client) -> str:
    """The CSRF token for the client's current browser cookie (as a form would carry it)."""
    from linkwell.auth.tokens import csrf_token_for

    browser_id = client.cookies.get("linkwell_browser")
    if browser_id is None:
        client.get("/login")
        browser_id = client.cookies.get("linkwell_browser")
    return csrf_token_for(browser_id, client.app.state.settings.secret_key)


def sign_in(client, email, password=TEST_PASSWORD, code=""):
    response = client.post("/login", data={"email": email, "password": password, "code": code,
                                           "csrf_token": csrf_token(client)},
                           follow_redirects=False)
    client.headers["X-CSRF-Token"] = csrf_token(client)
    return response


@pytest.fixture
def login(client, app):
    """``login(role, **user_fields)``: create a user with that role and sign the client in.

    Afterwards the client sends the CSRF token header on every request, as the pages do.
    """

    def _login(role, **fields):
        with app.state.sessionmaker() as session:
            user = make_user(session, role, **fields)
        response = sign_in(client, user.email)
        assert response.status_code == 303, response.text
        return user

    return _login


# --- GOV.UK Notify --------------------------------------------------------------------------

@pytest.fixture
def notify_standin():
    """A local HTTP stand-in for the GOV.UK Notify API (see tests/notify_standin.py)."""
    from notify_standin import NotifyStandIn

    with NotifyStandIn() as stand_in:
        yield stand_in


def at_once(send, *args, senders: int = 2, **kwargs) -> None:
    """Run ``send(*args, **kwargs)`` in ``senders`` threads at the same time, as several
    senders of one outbox would, and wait for them all."""
    threads = [threading.Thread(target=send, args=args, kwargs=kwargs) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def notify_settings(database_url: str, stand_in, **overrides) -> Settings:
    """Settings that send through ``stand_in`` with a template id for every message kind."""
    from notify_standin import API_KEY

    templates = {f"notify_template_{kind}_{channel}": str(uuid.uuid5(uuid.NAMESPACE_URL, kind
                                                                     + channel))
                 for kind in ("appointment_reminder", "measure_link", "plan_copy")
                 for channel in ("email", "sms")}
    values = {"notify_api_key": API_KEY, "notify_base_url": stand_in.url,
              "public_url": "https://linkwell.example.org", **templates, **overrides}
    return make_settings(database_url, **values)


# --- The command line -------------------------------------------------------------------------

def invoke_cli(monkeypatch, *args: str, input: str | None = None, **env: str):
    """``linkwell ARGS`` run in-process as an operator runs it: each ``env`` item sets
    ``LINKWELL_<NAME>`` (``database_url=…``, ``mesh_url=…``) for the rest of the test, and
    settings are read afresh before the command and again after it. The CliRunner result."""
    from typer.testing import CliRunner

    from linkwell.cli import app
    from linkwell.settings import get_settings

    for name, value in env.items():
        monkeypatch.setenv(f"LINKWELL_{name.upper()}", value)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), input=input)
    finally:
        get_settings.cache_clear()
