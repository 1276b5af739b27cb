"""Commissioning: strategy, programme, commitment, allocation, commission, output, supplier.

Identity rows plus append-only version rows (docs/adr/0010-versioned-accountability-records.md);
the database refuses UPDATE and DELETE on the version tables, as it does on audit_event.

Revision ID: 0009_commissioning
Revises: 0006_referrals
"""

import sqlalchemy as sa
from alembic import op

import linkwell.db

revision = "0009_commissioning"
down_revision = "0006_referrals"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "programme_version",
    "commitment_version",
    "combined_value_version",
    "allocation_version",
    "allocation_link",
    "commission_version",
    "commission_link",
    "commission_output_version",
    "output_file",
)


def upgrade() -> None:
    op.create_table(
        "output_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_output_file")),
    )
    op.create_table(
        "strategy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("created_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy")),
        sa.UniqueConstraint("title", name=op.f("uq_strategy_title")),
    )
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("name", name=op.f("uq_supplier_name")),
    )
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("created_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["strategy.id"],
            name=op.f("fk_programme_strategy_id_strategy"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("slug", name=op.f("uq_programme_slug")),
    )
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_strategy_id"), ["strategy_id"], unique=False)

    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_allocation_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_allocation_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "combined_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_combined_value_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_combined_value")),
    )
    with op.batch_alter_table("combined_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_combined_value_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "commission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_commission_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission")),
    )
    with op.batch_alter_table("commission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commission_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "commission_output",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_commission_output_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_output")),
    )
    with op.batch_alter_table("commission_output", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commission_output_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_commitment_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
        sa.UniqueConstraint("programme_id", "number", name=op.f("uq_commitment_programme_id")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "programme_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_version_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_version")),
        sa.UniqueConstraint(
            "programme_id", "version", name=op.f("uq_programme_version_programme_id")
        ),
    )
    with op.batch_alter_table("programme_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_version_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "allocation_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=True),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "amount_pence >= 0", name=op.f("ck_allocation_version_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["allocation.id"],
            name=op.f("fk_allocation_version_allocation_id_allocation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_version")),
        sa.UniqueConstraint(
            "allocation_id", "version", name=op.f("uq_allocation_version_allocation_id")
        ),
    )
    with op.batch_alter_table("allocation_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_allocation_version_allocation_id"), ["allocation_id"], unique=False
        )

    op.create_table(
        "combined_value_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("combined_value_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "amount_pence >= 0", name=op.f("ck_combined_value_version_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["combined_value_id"],
            ["combined_value.id"],
            name=op.f("fk_combined_value_version_combined_value_id_combined_value"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_combined_value_version")),
        sa.UniqueConstraint(
            "combined_value_id", "version", name=op.f("uq_combined_value_version_combined_value_id")
        ),
    )
    with op.batch_alter_table("combined_value_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_combined_value_version_combined_value_id"),
            ["combined_value_id"],
            unique=False,
        )

    op.create_table(
        "commission_output_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("output_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("commission_id", sa.Integer(), nullable=True),
        sa.Column("published", sa.String(length=40), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["commission.id"],
            name=op.f("fk_commission_output_version_commission_id_commission"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["output_file.id"],
            name=op.f("fk_commission_output_version_file_id_output_file"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["output_id"],
            ["commission_output.id"],
            name=op.f("fk_commission_output_version_output_id_commission_output"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_output_version")),
        sa.UniqueConstraint(
            "output_id", "version", name=op.f("uq_commission_output_version_output_id")
        ),
    )
    with op.batch_alter_table("commission_output_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commission_output_version_output_id"), ["output_id"], unique=False
        )

    op.create_table(
        "commission_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commission_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("value_pence", sa.BigInteger(), nullable=True),
        sa.Column("combined_value_id", sa.Integer(), nullable=True),
        sa.Column("started", sa.String(length=40), nullable=True),
        sa.Column("report_due", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "value_pence >= 0", name=op.f("ck_commission_version_value_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["combined_value_id"],
            ["combined_value.id"],
            name=op.f("fk_commission_version_combined_value_id_combined_value"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["commission.id"],
            name=op.f("fk_commission_version_commission_id_commission"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_commission_version_supplier_id_supplier"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_version")),
        sa.UniqueConstraint(
            "commission_id", "version", name=op.f("uq_commission_version_commission_id")
        ),
    )
    with op.batch_alter_table("commission_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commission_version_commission_id"), ["commission_id"], unique=False
        )

    op.create_table(
        "commitment_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_version_commitment_id_commitment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_version")),
        sa.UniqueConstraint(
            "commitment_id", "version", name=op.f("uq_commitment_version_commitment_id")
        ),
    )
    with op.batch_alter_table("commitment_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_version_commitment_id"), ["commitment_id"], unique=False
        )

    op.create_table(
        "allocation_link",
        sa.Column("allocation_version_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["allocation_version_id"],
            ["allocation_version.id"],
            name=op.f("fk_allocation_link_allocation_version_id_allocation_version"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_allocation_link_commitment_id_commitment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "allocation_version_id", "commitment_id", name=op.f("pk_allocation_link")
        ),
    )
    op.create_table(
        "commission_link",
        sa.Column("commission_version_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_version_id"],
            ["commission_version.id"],
            name=op.f("fk_commission_link_commission_version_id_commission_version"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commission_link_commitment_id_commitment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "commission_version_id", "commitment_id", name=op.f("pk_commission_link")
        ),
    )

    _append_only()


def _append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION commissioning_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION commissioning_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION commissioning_append_only()")
    op.drop_table("commission_link")
    op.drop_table("allocation_link")
    with op.batch_alter_table("commitment_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_version_commitment_id"))

    op.drop_table("commitment_version")
    with op.batch_alter_table("commission_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_version_commission_id"))

    op.drop_table("commission_version")
    with op.batch_alter_table("commission_output_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_output_version_output_id"))

    op.drop_table("commission_output_version")
    with op.batch_alter_table("combined_value_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_combined_value_version_combined_value_id"))

    op.drop_table("combined_value_version")
    with op.batch_alter_table("allocation_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_version_allocation_id"))

    op.drop_table("allocation_version")
    with op.batch_alter_table("programme_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_version_programme_id"))

    op.drop_table("programme_version")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_programme_id"))

    op.drop_table("commitment")
    with op.batch_alter_table("commission_output", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_output_programme_id"))

    op.drop_table("commission_output")
    with op.batch_alter_table("commission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_programme_id"))

    op.drop_table("commission")
    with op.batch_alter_table("combined_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_combined_value_programme_id"))

    op.drop_table("combined_value")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_programme_id"))

    op.drop_table("allocation")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_strategy_id"))

    op.drop_table("programme")
    op.drop_table("supplier")
    op.drop_table("strategy")
    op.drop_table("output_file")
