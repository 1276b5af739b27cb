"""Commissioning tables: identity rows plus append-only version rows (docs/adr/0010).

An identity row (``commission``) holds only what never changes: its id and programme. Every fact
about it lives in a version row (``commission_version``) carrying ``valid_from`` (the date from
which the facts held, as known), ``recorded_at`` and ``changed_by``. An edit adds a version and
never updates one, so any past state can be rebuilt and nothing is lost.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from linkwell.commissioning.periods import Period, parse_period
from linkwell.db import Base, UTCDateTime, utcnow


class PeriodType(TypeDecorator):
    """A ``Period`` stored as its canonical label ("spring 2019"), read back as a ``Period``."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Period | None, dialect):
        return None if value is None else value.label

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else parse_period(value)


class VersionColumns:
    """A version row's id and what every version row records about the change that made it."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    version: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(Integer)
    change_note: Mapped[str] = mapped_column(String(500), default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


def _fk(target: str) -> ForeignKey:
    return ForeignKey(target, ondelete="RESTRICT")


class ProgrammeItem:
    """An identity row of something a programme holds (a commitment, a combined value, an
    allocation, a commission, an output): its id and its programme, never changed."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    programme_id: Mapped[int] = mapped_column(_fk("programme.id"), index=True, sort_order=-1)


class Supplier(Base):
    """Organisations work is commissioned from. Added explicitly, so a typo never makes one."""

    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(Integer)


class Strategy(Base):
    __tablename__ = "strategy"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Programme(Base):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    strategy_id: Mapped[int] = mapped_column(_fk("strategy.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProgrammeVersion(VersionColumns, Base):
    __tablename__ = "programme_version"
    __table_args__ = (UniqueConstraint("programme_id", "version"),)

    programme_id: Mapped[int] = mapped_column(_fk("programme.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    period: Mapped[Period | None] = mapped_column(PeriodType)
    owner: Mapped[str | None] = mapped_column(String(200))


class Commitment(ProgrammeItem, Base):
    __tablename__ = "commitment"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    number: Mapped[int] = mapped_column(Integer)


class CommitmentVersion(VersionColumns, Base):
    __tablename__ = "commitment_version"
    __table_args__ = (UniqueConstraint("commitment_id", "version"),)

    commitment_id: Mapped[int] = mapped_column(_fk("commitment.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    period: Mapped[Period | None] = mapped_column(PeriodType)
    owner: Mapped[str | None] = mapped_column(String(200))


class CombinedValue(ProgrammeItem, Base):
    __tablename__ = "combined_value"


class CombinedValueVersion(VersionColumns, Base):
    __tablename__ = "combined_value_version"
    __table_args__ = (
        UniqueConstraint("combined_value_id", "version"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    combined_value_id: Mapped[int] = mapped_column(_fk("combined_value.id"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int] = mapped_column(BigInteger)


class Allocation(ProgrammeItem, Base):
    __tablename__ = "allocation"


class AllocationVersion(VersionColumns, Base):
    __tablename__ = "allocation_version"
    __table_args__ = (
        UniqueConstraint("allocation_id", "version"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    allocation_id: Mapped[int] = mapped_column(_fk("allocation.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int | None] = mapped_column(BigInteger)  # NULL: not yet known
    period: Mapped[Period | None] = mapped_column(PeriodType)
    status: Mapped[str] = mapped_column(String(20))


class AllocationLink(Base):
    """The commitments one version of an allocation is made to."""

    __tablename__ = "allocation_link"

    allocation_version_id: Mapped[int] = mapped_column(
        _fk("allocation_version.id"), primary_key=True)
    commitment_id: Mapped[int] = mapped_column(_fk("commitment.id"), primary_key=True)


class Commission(ProgrammeItem, Base):
    __tablename__ = "commission"


class CommissionVersion(VersionColumns, Base):
    __tablename__ = "commission_version"
    __table_args__ = (
        UniqueConstraint("commission_id", "version"),
        CheckConstraint("value_pence >= 0", name="value_not_negative"),
    )

    commission_id: Mapped[int] = mapped_column(_fk("commission.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    # delivery (counts in cost per person) or research (research, evaluation, review)
    cost_category: Mapped[str] = mapped_column(String(20), server_default="research")
    status: Mapped[str] = mapped_column(String(20))
    supplier_id: Mapped[int | None] = mapped_column(_fk("supplier.id"))
    value_pence: Mapped[int | None] = mapped_column(BigInteger)  # NULL: not yet known
    combined_value_id: Mapped[int | None] = mapped_column(_fk("combined_value.id"))
    started: Mapped[Period | None] = mapped_column(PeriodType)
    report_due: Mapped[Period | None] = mapped_column(PeriodType)


class CommissionLink(Base):
    """The commitments one version of a commission serves; none means not yet linked."""

    __tablename__ = "commission_link"

    commission_version_id: Mapped[int] = mapped_column(
        _fk("commission_version.id"), primary_key=True)
    commitment_id: Mapped[int] = mapped_column(_fk("commitment.id"), primary_key=True)


class OutputFile(Base):
    """An uploaded report, kept in the database so a backup holds everything; never changed."""

    __tablename__ = "output_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)


class Output(ProgrammeItem, Base):
    """A published report or document of a programme, optionally the result of a commission."""

    __tablename__ = "commission_output"


class OutputVersion(VersionColumns, Base):
    __tablename__ = "commission_output_version"
    __table_args__ = (UniqueConstraint("output_id", "version"),)

    output_id: Mapped[int] = mapped_column(_fk("commission_output.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    commission_id: Mapped[int | None] = mapped_column(_fk("commission.id"))
    published: Mapped[Period | None] = mapped_column(PeriodType)
    url: Mapped[str | None] = mapped_column(String(500))
    file_id: Mapped[int | None] = mapped_column(_fk("output_file.id"))
    note: Mapped[str] = mapped_column(String(500), default="")

