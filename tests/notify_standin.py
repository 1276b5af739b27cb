"""A local stand-in for the GOV.UK Notify API: a real HTTP server on a free loopback port.

It implements what Linkwell uses, as Notify does: ``POST /v2/notifications/email`` and
``/sms`` (validating the JSON body), ``GET /v2/notifications/{id}`` and
``GET /v2/notifications?reference=``, each behind a JWT bearer token checked with the
service's secret (HS256, ``iss`` = the service id, ``iat`` within 30 seconds). ``fail_with``
makes it refuse every request with a given status, as an outage or a refusal would;
``accept_only`` makes it accept that many messages and then refuse the rest with 429, as
Notify's rate limit does. ``posts`` counts the messages it was asked to send.
"""

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"linkwell_test-{SERVICE_ID}-{SECRET}"
ID = re.compile(r"^/v2/notifications/([0-9a-f-]{36})$")


class NotifyStandIn:
    def __init__(self):
        self.notifications: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.fail_with: int | None = None
        self.accept_only: int | None = None
        self.posts = 0
        self.delivered = True
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, error: str, message: str) -> None:
                self._answer(status, {"status_code": status,
                                      "errors": [{"error": error, "message": message}]})

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Bearer "):
                    self._error(401, "AuthError", "Unauthorized: authentication token must "
                                                  "be provided")
                    return False
                token = header.removeprefix("Bearer ")
                try:
                    if get_token_issuer(token) != SERVICE_ID:
                        raise TokenError("Invalid token: service not found")
                    decode_jwt_token(token, SECRET)
                except TokenError as exc:
                    self._error(403, "AuthError", exc.message)
                    return False
                if stand_in.fail_with:
                    self._error(stand_in.fail_with, "Exception", "Internal server error")
                    return False
                return True

            def do_POST(self):
                if not self._authorised():
                    return
                with stand_in.lock:
                    stand_in.posts += 1
                    limited = (stand_in.accept_only is not None
                               and len(stand_in.notifications) >= stand_in.accept_only)
                if limited:
                    return self._error(429, "RateLimitError", "Exceeded rate limit for key "
                                                              "type TEST of 3000 requests "
                                                              "per 60 seconds")
                kind = {"/v2/notifications/email": "email",
                        "/v2/notifications/sms": "sms"}.get(self.path)
                if kind is None:
                    return self._error(404, "NotFound", "not found")
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                field = "email_address" if kind == "email" else "phone_number"
                if not body.get(field) or not body.get("template_id"):
                    return self._error(400, "ValidationError", f"{field} is a required "
                                                               "property")
                notification = {"id": str(uuid.uuid4()), "reference": body.get("reference"),
                                "type": kind, "status": "created", "recipient": body[field],
                                "template": {"id": body["template_id"]},
                                "personalisation": body.get("personalisation", {})}
                with stand_in.lock:
                    stand_in.notifications[notification["id"]] = notification
                self._answer(201, {"id": notification["id"],
                                   "reference": notification["reference"],
                                   "content": {"body": "", "from_email": ""},
                                   "template": {"id": body["template_id"], "version": 1,
                                                "uri": ""},
                                   "uri": f"/v2/notifications/{notification['id']}"})

            def do_GET(self):
                if not self._authorised():
                    return
                url = urlparse(self.path)
                match = ID.match(url.path)
                if match:
                    found = stand_in.notifications.get(match[1])
                    if found is None:
                        return self._error(404, "NoResultFound", "No result found")
                    if stand_in.delivered:
                        found["status"] = "delivered"
                    return self._answer(200, found)
                if url.path == "/v2/notifications":
                    reference = parse_qs(url.query).get("reference", [None])[0]
                    with stand_in.lock:
                        found = [n for n in stand_in.notifications.values()
                                 if reference is None or n["reference"] == reference]
                    return self._answer(200, {"notifications": found, "links": {}})
                return self._error(404, "NotFound", "not found")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def by_reference(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for n in self.notifications.values():
                counts[n["reference"]] = counts.get(n["reference"], 0) + 1
        return counts

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
