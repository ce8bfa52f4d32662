"""What staff may read of a guardian's report: the one place the school's privacy settings
(`[privacy] mentor_sees_reason`, `mentor_sees_note`) are applied.

Every text to staff about a report or an answer that carries a reason goes through here, so a
school that keeps reasons from mentors keeps them out of every message, not most of them.
Several platforms show staff only "reported absence", not the reason (domain guide §6)."""

from __future__ import annotations

from dialogs.i18n import _
from dialogs.labels import REASONS, mid_sentence
from routine.model import AbsenceReport, ReasonCategory, School


def sees_reasons(school: School) -> bool:
    return school.privacy.mentor_sees_reason


def reason_for_staff(school: School, reason: ReasonCategory) -> str | None:
    """The reason's label, or None where the school keeps reasons from staff."""
    return mid_sentence(REASONS[reason]) if school.privacy.mentor_sees_reason else None


def note_for_staff(school: School, report: AbsenceReport) -> str | None:
    """The guardian's note, or None where there is none or the school keeps notes from staff."""
    return report.note if school.privacy.mentor_sees_note and report.note else None


def reason_or_reported(school: School, reason: ReasonCategory) -> str:
    """For the head of a list line ("• Elsa Berg: Sjuk, hela dagen"): as on the buttons."""
    return str(REASONS[reason]) if sees_reasons(school) else _("reported")
