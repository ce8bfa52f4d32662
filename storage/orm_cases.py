"""The tables of cases (routine.cases): one row per case, and its log.

`open_pupil` is the pupil's id while the case is open and NULL once it is closed; being unique
per school, it lets two processes that both decide to open a case for one pupil store one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base, JsonDocument, _pupil_key


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        _pupil_key(),
        UniqueConstraint("school_key", "open_pupil"),
        Index("ix_cases_school_key_status", "school_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    open_pupil: Mapped[str | None]
    stage: Mapped[str]
    status: Mapped[str]
    opened_at: Mapped[datetime]
    opened_by: Mapped[str]
    owner_id: Mapped[str]
    coordinator_id: Mapped[str]
    members: Mapped[list[str]] = mapped_column(JsonDocument)
    health_informed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int]


class CaseEventRow(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str]
    actor: Mapped[str]
    detail: Mapped[dict[str, Any]]
