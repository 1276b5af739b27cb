"""A local stand-in for another Open Referral UK 3.0 API: a real HTTP server on a free loopback
port, serving ``GET /services`` (``page``, ``per_page``, ``modified_after``, ``full``) and
``GET /services/{id}`` from the compiled services it is given, as a remote directory would.

``honours_full = False`` makes it answer pages of bare ids whatever ``full`` says, as a feed
without ``full`` would; ``fail_on_page`` makes that page answer 500 (an outage half way
through a sync), and ``broken_page`` makes it answer something that is not JSON. Every
request's path and query is kept in ``requests``. Each service's JSON is encoded once, so
that a benchmark measures the sync and not the stand-in.
"""

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class OrukFeedStandIn:
    def __init__(self, services: list[dict] = (), *, max_per_page: int = 1000):
        self.lock = threading.Lock()
        self.requests: list[str] = []
        self.fail_on_page: int | None = None
        self.broken_page: int | None = None
        self.honours_full = True
        self.max_per_page = max_per_page
        self._encoded: dict[str, tuple[datetime, bytes]] = {}
        self._ids: dict[str | None, list[str]] = {}
        self.put(services)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def put(self, services) -> None:
        """Add or replace services (each needs ``id`` and ``last_modified``)."""
        with self.lock:
            for service in services:
                self._encoded[service["id"]] = (
                    _parse(service["last_modified"]), json.dumps(service).encode())
            self._ids.clear()

    def start(self) -> "OrukFeedStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _matching(self, modified_after: str | None) -> list[str]:
        with self.lock:
            if modified_after not in self._ids:
                since = _parse(modified_after) if modified_after else None
                self._ids[modified_after] = sorted(
                    i for i, (changed, _) in self._encoded.items()
                    if since is None or changed >= since)
            return self._ids[modified_after]

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, kind="application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - the http.server hook
                url = urlsplit(self.path)
                with stand_in.lock:
                    stand_in.requests.append(self.path)
                if url.path.startswith("/api/services/"):
                    found = stand_in._encoded.get(url.path.removeprefix("/api/services/"))
                    return self._send(200, found[1]) if found else self._send(404, b"{}")
                if url.path != "/api/services":
                    return self._send(404, b"{}")
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                number = int(query.get("page", 1))
                size = min(int(query.get("per_page", 50)), stand_in.max_per_page)
                if number == stand_in.fail_on_page:
                    return self._send(500, b'{"detail": "internal error"}')
                if number == stand_in.broken_page:
                    return self._send(200, b"<html>maintenance</html>", "text/html")
                ids = stand_in._matching(query.get("modified_after"))
                chunk = ids[(number - 1) * size:number * size]
                total_pages = max(1, -(-len(ids) // size))
                if query.get("full") == "true" and stand_in.honours_full:
                    items = b",".join(stand_in._encoded[i][1] for i in chunk)
                else:
                    items = ",".join(json.dumps({"id": i}) for i in chunk).encode()
                head = json.dumps({
                    "total_items": len(ids), "total_pages": total_pages,
                    "page_number": number, "size": size, "first_page": number == 1,
                    "last_page": number >= total_pages, "empty": not chunk})
                self._send(200, head[:-1].encode() + b', "contents": [' + items + b"]}")

        return Handler
