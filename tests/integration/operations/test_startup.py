"""`linkwell serve` and `linkwell db upgrade` refuse a database they cannot use with one line;
/healthz and /readyz say whether the process and its database can serve."""

import pytest
from fastapi.testclient import TestClient

from conftest import invoke_cli, make_settings
from linkwell.migrate import upgrade
from linkwell.operations.health import expected_heads
from linkwell.web.app import create_app

UNREACHABLE_PG = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2"


@pytest.fixture
def run(monkeypatch):
    """``run(url, *args)``: the CLI on that database; returns (exit code, stderr lines)."""
    def _run(url, *args):
        result = invoke_cli(monkeypatch, *args, database_url=url)
        return result.exit_code, [line for line in result.stderr.splitlines() if line]
    return _run


def _read_only(sqlite_url: str) -> str:
    """The same file through a read-only connection (as a read-only mount or file gives; the
    tests run as root, who may write to any file whatever its mode)."""
    return "sqlite:///file:" + sqlite_url.removeprefix("sqlite:///") + "?mode=ro&uri=true"


@pytest.fixture
def behind_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    upgrade(url, "0016_referrals_person_merged")
    return url


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["db", "upgrade"]])
def test_unreachable_postgres_is_one_line(run, command):
    code, lines = run(UNREACHABLE_PG, *command)
    assert code == 1
    assert len(lines) == 1
    assert "Cannot use the database postgresql+psycopg://postgres@127.0.0.1:9/nowhere" in lines[0]


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["db", "upgrade"]])
def test_missing_sqlite_folder_is_one_line(run, tmp_path, command):
    code, lines = run(f"sqlite:///{tmp_path / 'no' / 'such' / 'linkwell.db'}", *command)
    assert code == 1
    assert lines == [f"Error: The folder for the SQLite database does not exist: "
                     f"{tmp_path / 'no' / 'such'}"]


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["db", "upgrade"]])
def test_read_only_sqlite_is_named(run, sqlite_url, command):
    code, lines = run(_read_only(sqlite_url), *command)
    assert code == 1
    assert len(lines) == 1
    assert "is read-only" in lines[0]


def test_serve_refuses_migrations_behind(run, behind_url):
    code, lines = run(behind_url, "serve", "--port", "1")
    assert code == 1
    assert lines == ["Error: The database is at 0016_referrals_person_merged but this "
                     f"Linkwell needs {', '.join(sorted(expected_heads()))}: "
                     "run `linkwell db upgrade`."]


def test_serve_refuses_a_database_never_upgraded(run, tmp_path):
    code, lines = run(f"sqlite:///{tmp_path / 'new.db'}", "serve", "--port", "1")
    assert code == 1
    assert "run `linkwell db upgrade`" in lines[0]


def test_upgrade_to_an_unknown_revision_is_one_line(run, sqlite_url):
    code, lines = run(sqlite_url, "db", "upgrade", "nonsense")
    assert code == 1
    assert lines == ["Error: Can't locate revision identified by 'nonsense'"]


def test_healthz_and_readyz_when_ready(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


@pytest.mark.parametrize("kind", ["unreachable", "behind"])
def test_readyz_is_503_until_the_database_can_serve(request, kind):
    url = UNREACHABLE_PG if kind == "unreachable" else request.getfixturevalue("behind_url")
    app = create_app(make_settings(url))
    try:
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            ready = client.get("/readyz")
    finally:
        app.state.engine.dispose()
    assert ready.status_code == 503
    assert ready.headers["retry-after"].isdigit()
    assert ready.json() == {"status": "unavailable"}
