"""Directory search: the service_search index table, its vocabulary, and full-text indexes.

SQLite gets an FTS5 external-content table (porter stemmer) kept in step by triggers;
PostgreSQL a generated, weighted ``tsvector`` column with a GIN index. Both are invisible to
the models on purpose (names containing ``fts``; see ``linkwell.migrate.include_name``).

Revision ID: 0004_directory_search
Revises: 0003_directory
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_directory_search"
down_revision = "0003_directory"
branch_labels = None
depends_on = None

FTS_COLUMNS = "name, organization_name, taxonomy_terms, description"
PG_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(taxonomy_terms, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(organization_name, '')), 'C') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'D')"
)


def upgrade() -> None:
    op.create_table(
        "service_search",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organization_name", sa.Text(), nullable=True),
        sa.Column("taxonomy_terms", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("minimum_age", sa.Float(), nullable=True),
        sa.Column("maximum_age", sa.Float(), nullable=True),
        sa.Column("assured_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE",
                                name=op.f("fk_service_search_service_id_service")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_search")),
        sa.UniqueConstraint("service_id", name=op.f("uq_service_search_service_id")),
    )
    op.create_index(op.f("ix_service_search_status"), "service_search", ["status"])
    op.create_table(
        "search_term",
        sa.Column("term", sa.String(length=72), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_term")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE service_search ADD COLUMN fts_document tsvector "
                   f"GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED")
        op.execute("CREATE INDEX ix_service_search_fts ON service_search USING gin (fts_document)")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE service_fts USING fts5({FTS_COLUMNS}, content='service_search', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute("CREATE VIRTUAL TABLE service_fts_vocab USING fts5vocab(service_fts, 'row')")
    op.execute(
        "CREATE TRIGGER service_fts_insert AFTER INSERT ON service_search BEGIN "
        "INSERT INTO service_fts(rowid, name, organization_name, taxonomy_terms, description) "
        "VALUES (new.id, new.name, new.organization_name, new.taxonomy_terms, new.description); END"
    )
    op.execute(
        "CREATE TRIGGER service_fts_delete AFTER DELETE ON service_search BEGIN "
        "INSERT INTO service_fts(service_fts, rowid, "
        "name, organization_name, taxonomy_terms, description) "
        "VALUES ('delete', old.id, "
        "old.name, old.organization_name, old.taxonomy_terms, old.description); END"
    )
    op.execute(
        "CREATE TRIGGER service_fts_update AFTER UPDATE ON service_search BEGIN "
        "INSERT INTO service_fts(service_fts, rowid, "
        "name, organization_name, taxonomy_terms, description) "
        "VALUES ('delete', old.id, "
        "old.name, old.organization_name, old.taxonomy_terms, old.description); "
        "INSERT INTO service_fts(rowid, name, organization_name, taxonomy_terms, description) "
        "VALUES (new.id, new.name, new.organization_name, new.taxonomy_terms, new.description); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER service_fts_{trigger}")
        op.execute("DROP TABLE service_fts_vocab")
        op.execute("DROP TABLE service_fts")
    op.drop_table("search_term")
    op.drop_index(op.f("ix_service_search_status"), table_name="service_search")
    op.drop_table("service_search")
