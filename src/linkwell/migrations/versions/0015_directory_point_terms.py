"""Directory search: each point carries its service's taxonomy term ids (`` id id ``), so a
need chosen near a postcode is checked on the rows already read instead of one attribute
lookup per service.

Filled here from the existing attributes; ``reindex_services`` keeps it up to date.

Revision ID: 0015_directory_point_terms
Revises: 0014_directory_point_stems
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0015_directory_point_terms"
down_revision = "0014_directory_point_stems"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("service_search_point", sa.Column("terms", sa.Text(), nullable=True))
    bind = op.get_bind()
    terms = defaultdict(set)
    for search_id, term_id in bind.execute(sa.text(
            "SELECT s.id, a.taxonomy_term_id FROM service_search s "
            "JOIN attribute a ON a.link_id = s.service_id AND a.link_entity = 'service'")):
        terms[search_id].add(term_id)
    if terms:
        bind.execute(
            sa.text("UPDATE service_search_point SET terms = :terms WHERE search_id = :id"),
            [{"id": search_id, "terms": f" {' '.join(sorted(ids))} "}
             for search_id, ids in terms.items()])


def downgrade() -> None:
    op.drop_column("service_search_point", "terms")
