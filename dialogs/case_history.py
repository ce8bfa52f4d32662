"""A case's step-1 history on its card: the same-day contacts (follow-ups) of the pupil in the
weeks before the case opened and since, as the routine's earlier step (000: 267–305).

Loaded for all the cards of a refresh at once: the pupils' follow-ups in one query and their
contacts in one more. Only the day, how the family was contacted and whether they were reached
are shown: the notes and topics stay on the follow-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dialogs.i18n import N_, _, format_short_day
from routine.cases import Case
from routine.follow_up import ContactMeans, ContactOutcome, GuardianContact
from routine.model import School
from routine.ports import UnitOfWork

# How far back before the opening the history reaches: the Swedish rule's four weeks
# (000: 396–402), the longest rolling window of the defaults.
BEFORE_OPENING = timedelta(weeks=4)
# The card shows at most this many days, the latest.
SHOWN = 8

# One whole sentence per way and outcome: "not reached at a meeting" means the family did not
# come, which no sentence built from a way-of-contact phrase says well in the three languages.
OUTCOMES = {
    (ContactMeans.PHONE, ContactOutcome.REACHED): N_("{day}: reached the family by phone"),
    (ContactMeans.PHONE, ContactOutcome.NOT_REACHED): N_("{day}: phoned the family, no answer"),
    (ContactMeans.MESSAGE, ContactOutcome.REACHED): N_("{day}: the family answered a message"),
    (ContactMeans.MESSAGE, ContactOutcome.NOT_REACHED): N_(
        "{day}: sent the family a message, no answer"
    ),
    (ContactMeans.MEETING, ContactOutcome.REACHED): N_("{day}: met the family"),
    (ContactMeans.MEETING, ContactOutcome.NOT_REACHED): N_(
        "{day}: the family did not come to the meeting"
    ),
}


@dataclass(frozen=True)
class StepOneDay:
    day: date
    # The last contact recorded that day, if any.
    contact: GuardianContact | None


async def step_one_history(
    uow: UnitOfWork, school: School, cases: Sequence[Case]
) -> dict[int, list[StepOneDay]]:
    """Each case's step-1 days, by case id, oldest first."""
    if not cases:
        return {}
    since = min(c.opened_at.date() for c in cases) - BEFORE_OPENING
    follow_ups = await uow.follow_ups.of_pupils(school.key, {c.pupil_id for c in cases}, since)
    ids = [f.id for f in follow_ups if f.id is not None]
    contacts = await uow.guardian_contacts.list_for(ids) if ids else []
    last: dict[int, GuardianContact] = {}
    for contact in contacts:
        last[contact.follow_up_id] = contact
    by_pupil: dict[str, list[StepOneDay]] = defaultdict(list)
    for follow_up in follow_ups:
        by_pupil[follow_up.pupil_id].append(StepOneDay(follow_up.day, last.get(follow_up.id or 0)))
    found = {}
    for case in cases:
        start = case.opened_at.date() - BEFORE_OPENING
        found[case.id or 0] = [d for d in by_pupil.get(case.pupil_id, []) if d.day >= start]
    return found


def history_lines(days: Sequence[StepOneDay]) -> list[str]:
    """In the current locale; nothing when there were no step-1 days."""
    if not days:
        return []
    lines = [_("Step 1, the same-day contacts:")]
    for entry in list(days)[-SHOWN:]:
        day = format_short_day(entry.day)
        if entry.contact is None:
            lines.append("• " + _("{day}: no contact recorded").format(day=day))
            continue
        sentence = OUTCOMES[(entry.contact.means, entry.contact.outcome)]
        lines.append("• " + str(sentence).format(day=day))
    return lines


def history_of(histories: Mapping[int, Sequence[StepOneDay]], case: Case) -> list[StepOneDay]:
    return list(histories.get(case.id or 0, ()))
