"""The NHS MESH adapter: the official ``mesh-client`` behind three calls, so the outbox never
sees HTTP, and tests and the benchmark talk to NHS England's mesh-sandbox."""

from dataclasses import dataclass
from urllib.parse import quote

from mesh_client import MeshClient

from linkwell.gprecord.domain import WORKFLOW_ID
from linkwell.settings import Settings


class MeshUnavailable(Exception):
    """A send or a lookup failed; the message is retried later."""


@dataclass(frozen=True)
class Sent:
    message_id: str


class Mesh:
    def __init__(self, settings: Settings):
        cert = None
        if settings.mesh_cert_file and settings.mesh_key_file:
            cert = (str(settings.mesh_cert_file), str(settings.mesh_key_file))
        self._client = MeshClient(
            settings.mesh_url, settings.mesh_mailbox, settings.mesh_password,
            shared_key=settings.mesh_shared_key.encode(), cert=cert,
            verify=str(settings.mesh_ca_file) if settings.mesh_ca_file else None,
            max_retries=0, timeout=30, application_name="linkwell")

    def close(self) -> None:
        self._client.close()

    def send(self, *, mailbox: str, local_id: str, subject: str, body: bytes) -> Sent:
        try:
            message_id = self._client.send_message(
                mailbox, body, workflow_id=WORKFLOW_ID, local_id=local_id, subject=subject,
                filename=f"{local_id}.json", content_type="application/fhir+json")
        except Exception as exc:  # requests and MeshError alike: retried with backoff
            raise MeshUnavailable(type(exc).__name__) from exc
        return Sent(message_id)

    def sent_with_local_id(self, local_id: str) -> str | None:
        """The MESH message id already sent from our mailbox with this local id, if any:
        after a crash between sending and recording, the message is not sent again."""
        # MESH tracks an outbox message by local id on its v1 tracking route; mesh-client
        # wraps only the v2 route (by message id), so this call uses its signed session.
        client = self._client
        response = client._session.get(  # noqa: SLF001
            f"{client.mailbox_url}/outbox/tracking/{quote(local_id, safe='')}", timeout=30)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise MeshUnavailable(f"tracking answered {response.status_code}")
        tracking = response.json()
        return tracking.get("messageID") or tracking.get("dtsId")

    def status(self, message_id: str) -> str:
        """MESH's status for a sent message: 'accepted', 'acknowledged', 'undeliverable'..."""
        try:
            tracking = self._client.track_message(message_id)
        except Exception as exc:
            raise MeshUnavailable(type(exc).__name__) from exc
        return str(tracking.get("status") or "").lower()
