"""Runtime settings, read once from ``LINKWELL_*`` environment variables.

Defaults suit the embedded SQLite mode a newcomer gets from ``make demo``; production sets at
least ``LINKWELL_DATABASE_URL`` and ``LINKWELL_SECRET_KEY``.
"""

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "linkwell-development-key-change-me"  # noqa: S105 - refused in production mode


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINKWELL_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./linkwell.db"
    secret_key: str = DEV_SECRET_KEY
    production: bool = False
    base_url: str = "http://127.0.0.1:8000"
    # The address people outside reach the service at: every link that leaves the system
    # (e-mails, text messages, calendar feeds, self-completion links) starts with it.
    public_url: str = ""

    # Reference data: a folder in the layout of shared/data/london (lsoa2011.csv, ...).
    geo_data_path: Path = PROJECT_ROOT.parent / "shared" / "data" / "london"
    # Front-end packages installed by npm (nhsuk-frontend, htmx.org, axe-core).
    node_modules: Path = PROJECT_ROOT / "node_modules"

    # Where people report an accessibility problem or ask for another format (the
    # accessibility statement, /accessibility, names it); an e-mail address.
    accessibility_contact: str = "accessibility@linkwell.example"

    # Directory freshness: a listing not verified for this long is flagged and ranked lower.
    stale_after_days: int = Field(365, ge=1)
    # ... and its organisation's providers are e-mailed about it at most this often.
    nudge_every_days: int = Field(30, ge=1)

    # Closed loop: when an onward referral or a person counts as stale.
    provider_response_working_days: int = Field(5, ge=1)
    contact_gap_weeks: int = Field(6, ge=1)

    # Outgoing staff e-mail over SMTP, unless Notify is set for it (notify_template_staff_email;
    # queued either way, so a mail outage never blocks a referral).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_sender: str = "linkwell@localhost"
    # True: each run of `linkwell notifications send` folds every e-mail waiting for one
    # person into one digest (run it hourly or daily); False: one e-mail per change.
    notification_digest: bool = True

    # Records: years after a person's last referral closed before `linkwell retention` reports
    # them as due for review and erasure (docs/operations.md).
    retention_years: int = Field(8, ge=1)
    # The key a practice's system-outcomes pseudonyms are made under (HMAC-SHA256 of the NHS
    # number; `linkwell insights pseudonym`); unset, only files of NHS numbers are accepted.
    pseudonym_key: str = ""
    # Messages to people through GOV.UK Notify. Without an API key they wait in the outbox.
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_template_appointment_reminder_email: str = ""
    notify_template_appointment_reminder_sms: str = ""
    notify_template_measure_link_email: str = ""
    notify_template_measure_link_sms: str = ""
    notify_template_plan_copy_email: str = ""
    notify_template_plan_copy_sms: str = ""
    # Staff e-mail (the notification outbox, the monthly insights e-mail among it) goes through
    # Notify when this and the API key are set: an e-mail template whose subject is
    # ((subject)) and whose message is ((body)). Unset, staff e-mail goes over SMTP.
    notify_template_staff_email: str = ""
    # A message claimed for sending this long ago with no answer recorded is checked with
    # Notify by its reference, then either marked sent or queued again.
    notify_claim_timeout_minutes: int = Field(10, ge=1)
    # The bearer token given to Notify for delivery receipts (POST /notify/callback); unset,
    # the callback is off and ``linkwell messages status`` polls instead.
    notify_callback_token: str = ""
    # NHS MESH, for messages back to GP practices (``linkwell gp send``). Development and the
    # tests use NHS England's local mesh-sandbox; live needs the client certificate and key.
    mesh_url: str = "http://127.0.0.1:8700"
    mesh_mailbox: str = "X26ABC1"
    mesh_password: str = "password"  # noqa: S105 - the sandbox's published test password
    mesh_shared_key: str = "TestKey"
    mesh_cert_file: Path | None = None
    mesh_key_file: Path | None = None
    mesh_ca_file: Path | None = None

    # Accounts.
    session_hours: int = Field(8, ge=1)
    # Failed sign-ins allowed per account from one address in the window (then that address
    # waits; the account is never locked).
    login_max_failures: int = Field(5, ge=1)
    login_throttle_minutes: int = Field(15, ge=1)

    # Hardening (docs/adr/0013-security-headers-and-input-limits.md).
    # Addresses of the reverse proxies whose X-Forwarded-For/-Proto headers are believed,
    # comma-separated (e.g. "10.0.0.5,10.0.0.6"); none by default, so no client can choose
    # the address the rate limits and the audit trail see.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(21 * 1024 * 1024, ge=1024)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, url: str) -> str:
        """Accept the usual ``postgresql://`` form and use psycopg 3 for it."""
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url

    def public_link(self, path: str) -> str:
        """An absolute link for people outside: ``public_url`` or, unset, ``base_url``."""
        return (self.public_url or self.base_url).rstrip("/") + path

    def notify_template(self, kind: str, channel: str) -> str:
        return getattr(self, f"notify_template_{kind}_{channel}")

    @property
    def staff_email_by_notify(self) -> bool:
        return bool(self.notify_api_key and self.notify_template_staff_email)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if settings.production and settings.secret_key == DEV_SECRET_KEY:
        raise RuntimeError("LINKWELL_SECRET_KEY must be set when LINKWELL_PRODUCTION is true")
    return settings
