"""Apply Alembic migrations from code, so the CLI, tests and ``make demo`` share one path."""

import re
from pathlib import Path

from alembic import command
from alembic.config import Config

from linkwell.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Full-text search structures that SQLAlchemy cannot describe (SQLite FTS5 virtual tables and
# their shadow tables, PostgreSQL tsvector columns and GIN indexes) live in migrations only.
_MIGRATION_ONLY = re.compile(r"(^|_)fts(_|$)")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic comparison hook: leave the migration-only full-text objects out of autogenerate."""
    return not (type_ in {"table", "column", "index"} and name and _MIGRATION_ONLY.search(name))


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    url = database_url or get_settings().database_url
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
