"""The Alembic migrations and the SQLAlchemy models describe the same schema, on both engines."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from linkwell.migrate import alembic_config, include_name
from linkwell.models import metadata


def test_migrations_have_a_single_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                      "include_name": include_name})
        diff = compare_metadata(context, metadata)
    assert diff == []
