"""GOV.UK Notify behind one small adapter, using its official client: the one way Linkwell
reaches Notify, for messages to people (``casework.outbox``) and staff e-mail
(``notifications.outbox``).

Everything Notify answers is reduced to ``Sent`` (its notification id and status, in Notify's
own words) or a ``NotifyError`` whose text holds Notify's status code and message, never the
recipient. Each caller maps Notify's statuses to its own outbox's.
"""

from dataclasses import dataclass

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from linkwell.settings import Settings

TIMEOUT_SECONDS = 15
EMAIL = "email"
# What Notify says of a notification it has just accepted.
CREATED = "created"


class NotifyError(Exception):
    """Notify refused the request or could not be reached; the message stays queued."""

    def __init__(self, status_code: int, message: str):
        super().__init__(f"GOV.UK Notify answered {status_code}: {message}"[:300])
        self.status_code = status_code


@dataclass(frozen=True)
class Sent:
    notify_id: str
    status: str  # created, sending, delivered, permanent-failure, …


def _error(exc: APIError) -> NotifyError:
    message = exc.message
    if isinstance(message, list):
        message = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                            for e in message)
    if exc.status_code == 503 and exc.response is None:
        message = "the service could not be reached"
    return NotifyError(exc.status_code, str(message))


class Notify:
    def __init__(self, settings: Settings):
        if not settings.notify_api_key:
            raise ValueError("LINKWELL_NOTIFY_API_KEY is not set")
        self.settings = settings
        self.client = NotificationsAPIClient(settings.notify_api_key,
                                             base_url=settings.notify_base_url,
                                             timeout=TIMEOUT_SECONDS)

    def send(self, *, channel: str, recipient: str, template_id: str, personalisation: dict,
             reference: str) -> Sent:
        try:
            if channel == EMAIL:
                answer = self.client.send_email_notification(
                    email_address=recipient, template_id=template_id,
                    personalisation=personalisation, reference=reference)
            else:
                answer = self.client.send_sms_notification(
                    phone_number=recipient, template_id=template_id,
                    personalisation=personalisation, reference=reference)
        except APIError as exc:
            raise _error(exc) from None
        return Sent(answer["id"], CREATED)

    def find(self, reference: str) -> Sent | None:
        """The notification sent with ``reference``, if Notify has one."""
        try:
            answer = self.client.get_all_notifications(reference=reference)
        except APIError as exc:
            raise _error(exc) from None
        found = answer.get("notifications") or []
        if not found:
            return None
        return Sent(found[0]["id"], found[0]["status"])

    def status(self, notify_id: str) -> str:
        try:
            answer = self.client.get_notification_by_id(notify_id)
        except APIError as exc:
            raise _error(exc) from None
        return answer["status"]
