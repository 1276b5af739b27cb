"""NHS England's mesh-sandbox, run as a separate process from its own virtualenv.

The sandbox pins its own FastAPI, so it cannot share Linkwell's environment: the virtualenv
``.venv-mesh-sandbox`` is made from ``tests/mesh-sandbox-requirements.txt`` (by
``make install-dev``, or here on first use) and the server runs with real authentication
(``AUTH_MODE=full``, shared key ``TestKey``) and an in-memory store. Its bundled mailboxes
X26ABC1, X26ABC2 and X26ABC3 have the password ``password``."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from linkwell.settings import PROJECT_ROOT

VENV = PROJECT_ROOT / ".venv-mesh-sandbox"
REQUIREMENTS = PROJECT_ROOT / "tests" / "mesh-sandbox-requirements.txt"
SHARED_KEY = "TestKey"
PASSWORD = "password"  # noqa: S105 - the sandbox's published test password


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    marker = VENV / ".installed"
    if not marker.exists() or marker.read_text() != REQUIREMENTS.read_text():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r",
                        str(REQUIREMENTS)], check=True)
        marker.write_text(REQUIREMENTS.read_text())
    return python


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sandbox:
    def __init__(self, url: str):
        self.url = url

    def client(self, mailbox: str):
        from mesh_client import MeshClient

        return MeshClient(self.url, mailbox, PASSWORD, shared_key=SHARED_KEY.encode(),
                          max_retries=0)

    def take_inbox(self, mailbox: str) -> list[tuple[dict, bytes]]:
        """Every message waiting for ``mailbox`` (headers, body), acknowledged as read."""
        taken = []
        with self.client(mailbox) as client:
            while page := client.list_messages():  # MESH lists at most 500 at a time
                for message_id in page:
                    message = client.retrieve_message(message_id)
                    taken.append((dict(message.mex_headers()), message.read()))
                    message.acknowledge()
        return taken


def start(port: int | None = None) -> tuple[subprocess.Popen, Sandbox]:
    python = ensure_venv()
    port = port or _free_port()
    env = {**os.environ, "AUTH_MODE": "full", "SHARED_KEY": SHARED_KEY,
           "STORE_MODE": "memory"}
    process = subprocess.Popen(
        [str(python), "-m", "uvicorn", "mesh_sandbox.api:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/health", timeout=1).status_code == 200:
                return process, Sandbox(url)
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("mesh-sandbox did not start")


@pytest.fixture(scope="session")
def mesh_sandbox():
    process, sandbox = start()
    yield sandbox
    process.terminate()
    process.wait(timeout=10)
