"""What guardians ask of the school (`routine.requests`): absence prompts, contact requests and
concerns. Like reports, each row names its pupil by a foreign key and its guardian by id only, so
it outlives the guardian's removal.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base, _pupil_key


class AbsencePromptRow(Base):
    """'Is your child absent?', asked of one guardian about one pupil and day."""

    __tablename__ = "absence_prompts"
    __table_args__ = (
        _pupil_key(),
        # Asked once: a second prompt about the same pupil, guardian and day is refused. Also
        # the index of `find`.
        UniqueConstraint("school_key", "pupil_id", "guardian_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # What the answer buttons carry; unique, and the index of `by_token`.
    token: Mapped[str] = mapped_column(unique=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    day: Mapped[date]
    created_at: Mapped[datetime]
    answer: Mapped[str | None]
    answered_at: Mapped[datetime | None]


class ContactRequestRow(Base):
    __tablename__ = "contact_requests"
    __table_args__ = (
        _pupil_key(),
        # `list_open`: one school, some pupils.
        Index("ix_contact_requests_school_key_pupil_id", "school_key", "pupil_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    topic: Mapped[str]
    way: Mapped[str]
    time: Mapped[str]
    created_at: Mapped[datetime]
    status: Mapped[str]
    # The staff member who took it; not a foreign key, so the record outlives them.
    taken_by: Mapped[str]
    taken_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    # When the coordinators were told that nobody had taken it.
    escalated_at: Mapped[datetime | None]


class GuardianConcernRow(Base):
    __tablename__ = "guardian_concerns"
    __table_args__ = (
        _pupil_key(),
        Index("ix_guardian_concerns_school_key_pupil_id", "school_key", "pupil_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    kind: Mapped[str]
    created_at: Mapped[datetime]
