"""The table of a case's dated tasks (routine.case_tasks).

Unique on (case, kind, source, due): a job that sets the same task twice, or two processes that
set it at once, store one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base


class CaseTaskRow(Base):
    __tablename__ = "case_tasks"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "source_ref", "due"),
        # The reminder job: one school's open tasks due by a day.
        Index("ix_case_tasks_school_key_status_due", "school_key", "status", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str]
    title: Mapped[str]
    owner_id: Mapped[str]
    due: Mapped[date]
    created_at: Mapped[datetime]
    moved_by: Mapped[str]
    source_ref: Mapped[str]
    status: Mapped[str]
    done_by: Mapped[str]
    done_at: Mapped[datetime | None]
    outcome: Mapped[str]
    version: Mapped[int]
