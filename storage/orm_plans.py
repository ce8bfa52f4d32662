"""The tables of case plans (routine.plans): one row per version, and the guardians'
confirmations of a version. A version number is unique per case, so two people saving at once
store one version each, never the same one twice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base, JsonDocument


class PlanRow(Base):
    __tablename__ = "case_plans"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    version: Mapped[int]
    situation: Mapped[str]
    main_goal: Mapped[str]
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    period_start: Mapped[date]
    period_end: Mapped[date]
    review: Mapped[date]
    written_by: Mapped[str]
    written_at: Mapped[datetime]
    pupil_agreed_by: Mapped[str]
    pupil_agreed_at: Mapped[datetime | None]


class PlanConfirmationRow(Base):
    __tablename__ = "case_plan_confirmations"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("case_plans.id", ondelete="CASCADE"), primary_key=True
    )
    guardian_id: Mapped[str] = mapped_column(primary_key=True)
    at: Mapped[datetime]
