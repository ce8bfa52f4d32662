"""The declarative `Base` (one metadata, with fixed constraint names), the column types every
table uses (UTC instants, JSON documents), and the key helpers the tables share.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Time,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

# Fixed constraint names, so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored as UTC and always read back tz-aware in UTC.

    PostgreSQL keeps the zone (timestamptz); SQLite drops it, so it is put back on read. Naive
    datetimes are refused: their meaning depends on the server's clock setting.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing a naive datetime ({value.isoformat()}): give it a timezone")
    return value.astimezone(UTC)


# JSONB on PostgreSQL: compact, and comparable should we ever need to query inside it.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class JsonText(TypeDecorator[str]):
    """A parameter for a JSON document column given as its JSON text, already serialized by
    the caller: bound as it is, where `JsonDocument` would serialize a value itself. The
    conversation's save checks its data by serializing it (`storage.conversations`), and so
    does not serialize it twice. Rows read back as `JsonDocument` reads them."""

    impl = JsonDocument
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


# Tables in our database that other libraries own and create: APScheduler's job store.
# Migrations neither create nor drop them.
FOREIGN_TABLES = frozenset({"scheduler_jobs"})


def is_ours(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name` hook: compare and migrate only our own tables."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, TypeEngine[Any]]] = {
        str: String(),
        bool: Boolean(),
        int: Integer(),
        date: Date(),
        time: Time(),
        datetime: UtcDateTime(),
        dict[str, Any]: JsonDocument,
    }


def _school_key() -> Mapped[str]:
    return mapped_column(ForeignKey("schools.key"), primary_key=True)


def _pupil_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["school_key", "pupil_id"], ["pupils.school_key", "pupils.pupil_id"]
    )
