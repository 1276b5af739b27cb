"""Runtime settings, read once from ``LINKWELL_*`` environment variables.

Defaults suit the embedded SQLite mode a newcomer gets from ``make demo``; production sets at
least ``LINKWELL_DATABASE_URL`` and ``LINKWELL_SECRET_KEY``.
"""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "linkwell-development-key-change-me"  # noqa: S105 - refused in production mode


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINKWELL_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./linkwell.db"
    secret_key: str = DEV_SECRET_KEY
    production: bool = False
    base_url: str = "http://127.0.0.1:8000"

    # Reference data: a folder in the layout of shared/data/london (lsoa2011.csv, ...).
    geo_data_path: Path = PROJECT_ROOT.parent / "shared" / "data" / "london"
    # Front-end packages installed by npm (nhsuk-frontend, htmx.org, axe-core).
    node_modules: Path = PROJECT_ROOT / "node_modules"

    # Directory freshness: a listing not verified for this long is flagged and ranked lower.
    stale_after_days: int = Field(365, ge=1)

    # Closed loop: when an onward referral or a person counts as stale.
    provider_response_working_days: int = Field(5, ge=1)
    contact_gap_weeks: int = Field(6, ge=1)

    # Outgoing e-mail (queued; a mail outage never blocks a referral).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_sender: str = "linkwell@localhost"

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
    login_max_failures: int = Field(5, ge=1)
    login_lockout_minutes: int = Field(15, ge=1)

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, url: str) -> str:
        """Accept the usual ``postgresql://`` form and use psycopg 3 for it."""
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if settings.production and settings.secret_key == DEV_SECRET_KEY:
        raise RuntimeError("LINKWELL_SECRET_KEY must be set when LINKWELL_PRODUCTION is true")
    return settings
