"""Notes on a stage's conversation questions, as the case's card and the questions show them.

Each note is shown under its question with who wrote it and when (routine/case_notes.py keeps
them in the case's log). Only those who see the case read a card or its questions. The card
shows the newest notes of each question and counts the earlier ones; the questions show all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from dialogs.i18n import _, format_number, format_short_day, ngettext
from routine.case_notes import note_text, notes_of
from routine.cases import CaseEvent, may_see_item
from routine.guides import guide_for
from routine.model import Language, StaffMember

# On the card, the newest notes of each question; the questions' screen shows every one.
ON_CARD = 2
INDENT = "   "


def note_lines(notes: Iterable[CaseEvent], names: Mapping[str, str], timezone: str) -> list[str]:
    """Each note under its question, in the current locale: "– text (name, day)". `names`:
    the school's staff by id (someone who has since left is named by their id)."""
    lines = []
    for event in notes:
        staff_id = event.actor.removeprefix("staff:")
        written = _("{note} ({name}, {day})").format(
            note=note_text(event),
            name=names.get(staff_id, staff_id),
            day=format_short_day(event.at.astimezone(ZoneInfo(timezone)).date()),
        )
        first, *rest = written.split("\n")
        lines.append(f"{INDENT}– {first}")
        lines.extend(f"{INDENT}  {line}" for line in rest)
    return lines


def card_note_lines(
    events: Iterable[CaseEvent],
    stage: str,
    viewer: StaffMember,
    language: Language,
    names: Mapping[str, str],
    timezone: str,
) -> list[str]:
    """The card's notes: each question of the stage that has notes, with its newest ones."""
    notes = notes_of(events, stage)
    if not notes:
        return []
    lines = [_("Notes:")]
    for questions in guide_for(stage).questions:
        for item in questions.items:
            written = notes.get(f"{questions.id}/{item.id}", [])
            if not written or not may_see_item(viewer, item.principal_only):
                continue
            lines.append(f"• {item.text.in_language(language)}")
            earlier = len(written) - ON_CARD
            if earlier > 0:
                more = ngettext(
                    "{count} earlier note, in the questions",
                    "{count} earlier notes, in the questions",
                    earlier,
                ).format(count=format_number(earlier))
                lines.append(f"{INDENT}({more})")
            lines.extend(note_lines(written[-ON_CARD:], names, timezone))
    return lines if len(lines) > 1 else []
