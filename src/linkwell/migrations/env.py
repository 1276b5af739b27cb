"""Alembic environment: the URL comes from the config (set by linkwell.migrate) or settings."""

from alembic import context

from linkwell.db import make_engine
from linkwell.migrate import include_name
from linkwell.models import metadata
from linkwell.settings import get_settings

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
