"""The table of staff concerns (routine.concerns): "I am worried about this pupil"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base, _pupil_key


class StaffConcernRow(Base):
    __tablename__ = "staff_concerns"
    __table_args__ = (
        _pupil_key(),
        Index("ix_staff_concerns_school_key_pupil_id", "school_key", "pupil_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    staff_id: Mapped[str]
    kind: Mapped[str]
    note: Mapped[str]
    created_at: Mapped[datetime]
