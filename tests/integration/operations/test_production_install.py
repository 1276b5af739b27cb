"""A fresh production install, as the README gives it, run from the command line: an empty
database, `db upgrade`, `users create` (password typed at the prompt), a token, `serve`."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from referrals_factories import referral_json

LINKWELL = str(Path(sys.executable).with_name("linkwell"))
PASSWORD = "a long enough pass phrase"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _linkwell(env, *args, stdin: str = "") -> str:
    # A new session has no controlling terminal, so the password prompt reads stdin.
    done = subprocess.run([LINKWELL, *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=60, start_new_session=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_fresh_production_install_from_the_readme(other_database_url, tmp_path):
    env = {**os.environ, "LINKWELL_DATABASE_URL": other_database_url,
           "LINKWELL_SECRET_KEY": "a-production-secret-key-for-this-test",
           "LINKWELL_PRODUCTION": "true"}
    _linkwell(env, "db", "upgrade")
    created = _linkwell(env, "users", "create", "--email", "it@borough.gov.uk",
                        "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert "with roles admin" in created
    token = _linkwell(env, "users", "token", "create", "--email", "it@borough.gov.uk",
                      "--name", "GP system").strip()

    port = _free_port()
    server = subprocess.Popen([LINKWELL, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                ready = httpx.get(f"{base}/readyz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not answer in 30 s"
                time.sleep(0.1)
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready"}

        bearer = {"Authorization": f"Bearer {token}"}
        made = httpx.post(f"{base}/api/referrals", json=referral_json(), headers=bearer)
        assert made.status_code == 201, made.text
    finally:
        server.terminate()
        server.wait(timeout=10)


