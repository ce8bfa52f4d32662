"""Every move of a case to its next stage goes through `change_stage`: the card's [Next stage],
[Raise to step 3] under the principal's review prompt, and the same in the "My cases" flow.

In one unit of work it stores the move with a compare-and-set on the case's version (a double
press or two processes move it once; the second is refused and sends nothing), appoints the
stage's lead (`routine.stage_leads.stage_lead`), logs it, and queues the cards. The people the
new stage is for (the principals at a principal's stage, the case's coordinator at a
coordinator's) are told: their card continues as a new message, in their language, once per
case and stage (`routine.stage_leads.told_stage`). Their earlier card, if they had one, is
edited to say so and loses its buttons. The first stage's owner got the card at the opening.
"""

from __future__ import annotations

from datetime import datetime

from dialogs.case_card import (
    CARD_KIND,
    card_slot,
    pupil_line,
    refresh_case_cards,
    viewers,
)
from dialogs.i18n import _, use_locale
from dialogs.live import live_message
from dialogs.notices import staff_language
from routine.case_service import CaseResult, change_case
from routine.cases import Case, CaseRefused, EventKind
from routine.guides import guide_for
from routine.model import Language, Pupil, School, StaffMember
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWork
from routine.stage_leads import moved_on, stage_lead, told_stage
from routine.stages import country_of, next_stage


async def change_stage(
    uow: UnitOfWork,
    school: School,
    case_id: int,
    staff: StaffMember,
    from_stage: str,
    now: datetime,
    *,
    refusal: str = "moved on",
) -> CaseResult:
    """Move the case from `from_stage` (where it must still be; else REFUSED with `refusal`)
    to the next stage, as `staff`; see the module."""
    case = await uow.cases.get(case_id)
    pupil = None
    if case is not None and case.school_key == staff.school_key:
        pupil = await uow.pupils.get(case.school_key, case.pupil_id)
    everyone = await uow.staff.list_for_school(staff.school_key)
    following = _following(from_stage)
    before: list[Case] = []

    def change(current: Case) -> Case:
        if current.stage != from_stage:
            raise CaseRefused(refusal)
        before.append(current)
        if following is None:
            raise CaseRefused("last stage")
        return moved_on(current, stage_lead(following, staff, current, pupil, everyone))

    detail = {"from": from_stage, "stage": following or ""}
    result = await change_case(uow, case_id, staff, change, EventKind.STAGE_CHANGED, now, detail)
    if result.done and result.case is not None and before:
        await uow.outbox.add_many(
            _retired_cards(school, before[-1], result.case, result.pupil, everyone, now)
        )
        await refresh_case_cards(uow, school, [result.case], now)
    return result


def _following(stage: str) -> str | None:
    try:
        return next_stage(country_of(stage), stage)
    except (ValueError, KeyError):
        return None


def _retired_cards(
    school: School,
    old: Case,
    new: Case,
    pupil: Pupil | None,
    staff: list[StaffMember],
    now: datetime,
) -> list[OutboxMessage]:
    """For each reader told now who had a card already: that card, edited to point on to the
    new one, without buttons (they would act on a stage the case has left)."""
    assert new.id is not None
    if pupil is None:
        return []
    had_card = {s.staff_id for s in viewers(old, pupil, staff)}
    messages = []
    for reader in viewers(new, pupil, staff):
        earlier = told_stage(old, reader)
        if reader.staff_id not in had_card or told_stage(new, reader) == earlier:
            continue
        with use_locale(staff_language(school, reader)) as language:
            stage = guide_for(new.stage).name.in_language(Language(language))
            text = "\n".join(
                [
                    pupil_line(pupil),
                    _("The case has moved on to {stage}. See the new message below.").format(
                        stage=stage
                    ),
                ]
            )
        slot = card_slot(new.id, earlier)
        messages.append(live_message(school, reader, CARD_KIND, slot, text, (), now))
    return messages
