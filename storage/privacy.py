"""Export and erasure of what is stored about one guardian and their children.

Export: every row that names the guardian, or one of their children, from every table, as
plain JSON values. Secrets are left out (an invite code's hash, a prompt's button token).

Erasure: what is about the guardian alone, and not part of the children's attendance record, is
deleted or blanked. What the school keeps is reported with the reason (`bot.privacy_commands`).
The children's cases: `storage.privacy_cases`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import DeclarativeBase

from storage.orm import (
    AbsencePromptRow,
    AbsenceReportRow,
    AttendanceCorrectionRow,
    AttendanceMarkRow,
    ChatAccountRow,
    ContactRequestRow,
    FollowUpRow,
    GuardianConcernRow,
    GuardianContactRow,
    GuardianPupilRow,
    GuardianRow,
    InviteCodeRow,
    LeaveRequestRow,
    PupilRow,
)
from storage.privacy_cases import erase_confirmations, export_cases
from storage.repositories import _Repository

SECRET_COLUMNS = {"code_hash", "token"}
# Rows about the guardian; rows about the children.
BY_GUARDIAN = (
    GuardianRow,
    GuardianPupilRow,
    InviteCodeRow,
    AbsencePromptRow,
    ContactRequestRow,
    GuardianConcernRow,
    AbsenceReportRow,
    LeaveRequestRow,
)
BY_PUPIL = (PupilRow, AttendanceMarkRow, AttendanceCorrectionRow, FollowUpRow)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _row(row: DeclarativeBase) -> dict[str, Any]:
    table = row.__table__  # type: ignore[attr-defined]
    return {
        c.key: _plain(getattr(row, c.key)) for c in table.columns if c.key not in SECRET_COLUMNS
    }


class SqlPrivacyQueries(_Repository):
    async def export(self, school_key: str, guardian_id: str) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for row_type in BY_GUARDIAN:
            rows = await self.session.scalars(
                select(row_type).where(
                    row_type.school_key == school_key, row_type.guardian_id == guardian_id
                )
            )
            found[row_type.__tablename__] = [_row(r) for r in rows]
        children = sorted({link["pupil_id"] for link in found[GuardianPupilRow.__tablename__]})
        for row_type in BY_PUPIL:
            rows = await self.session.scalars(
                select(row_type).where(
                    row_type.school_key == school_key, row_type.pupil_id.in_(children)
                )
            )
            found[row_type.__tablename__] = [_row(r) for r in rows]
        follow_ups = [f["id"] for f in found[FollowUpRow.__tablename__]]
        contacts = await self.session.scalars(
            select(GuardianContactRow).where(GuardianContactRow.follow_up_id.in_(follow_ups))
        )
        found[GuardianContactRow.__tablename__] = [_row(r) for r in contacts]
        accounts = await self.session.scalars(
            select(ChatAccountRow).where(
                ChatAccountRow.school_key == school_key,
                ChatAccountRow.person_kind == "guardian",
                ChatAccountRow.person_id == guardian_id,
            )
        )
        found[ChatAccountRow.__tablename__] = [_row(r) for r in accounts]
        found |= await export_cases(self.session, school_key, guardian_id, children, _row)
        return found

    async def erase(self, school_key: str, guardian_id: str) -> dict[str, int]:
        """Delete or blank what is the guardian's alone; how many rows of each."""
        mine = {"school_key": school_key, "guardian_id": guardian_id}
        counts: dict[str, int] = {}
        for row_type in (InviteCodeRow, AbsencePromptRow, ContactRequestRow, GuardianConcernRow):
            result = await self.session.execute(
                delete(row_type)
                .where(*(getattr(row_type, k) == v for k, v in mine.items()))
                .execution_options(synchronize_session=False)
            )
            counts[row_type.__tablename__] = result.rowcount
        result = await self.session.execute(
            delete(ChatAccountRow)
            .where(
                ChatAccountRow.school_key == school_key,
                ChatAccountRow.person_kind == "guardian",
                ChatAccountRow.person_id == guardian_id,
            )
            .execution_options(synchronize_session=False)
        )
        counts["chat_accounts"] = result.rowcount
        counts["case_plan_confirmations"] = await erase_confirmations(
            self.session, school_key, guardian_id
        )
        result = await self.session.execute(
            update(AbsenceReportRow)
            .where(*(getattr(AbsenceReportRow, k) == v for k, v in mine.items()))
            .where(AbsenceReportRow.note != "")
            .values(note="")
            .execution_options(synchronize_session=False)
        )
        counts["report notes"] = result.rowcount
        result = await self.session.execute(
            update(GuardianRow)
            .where(*(getattr(GuardianRow, k) == v for k, v in mine.items()))
            .values(phone="", email="")
            .execution_options(synchronize_session=False)
        )
        counts["phone and email"] = result.rowcount
        return counts
