"""The table of what the Danish absence rules ask of the head (routine.notices_dk): one row per
case, kind and quarter, whose status moves from pending once (a compare-and-set)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base


class CaseNoticeRow(Base):
    __tablename__ = "case_notices"
    __table_args__ = (UniqueConstraint("school_key", "pupil_id", "kind", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    kind: Mapped[str]
    quarter: Mapped[str]
    created_at: Mapped[datetime]
    numbers: Mapped[dict[str, Any]]
    status: Mapped[str]
    decided_by: Mapped[str]
    decided_at: Mapped[datetime | None]
