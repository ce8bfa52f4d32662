"""Steps on a case that bring someone in: informing pupil health, and the Swedish step 3.

- Informing pupil health (*elevhälsa*, *PPT*, *PPR*): the case records when, and each
  `pupil_health` member of the school gets ONE DM with the pupil, the class and the stage (no
  reasons or notes); from then on they see the case (`routine.cases.may_see`). Informing again
  sends nothing.
- Step 3 (000: 474–496) is raised by hand: the case moves to se.step3, the principal becomes
  its owner, and the principals get the case's card as a new message, whose checklist is the
  step-3 decisions from `routine.guides` (order an investigation, report to the governing
  body, consider a report to social services: that last item only a principal sees). One
  message for one step: the card is the decisions. The principal is prompted when step 2
  still holds at its review date: `step3_review_prompts` is what the reminder job calls, with
  [Raise to step 3]; dialogs/notice_actions.py handles the press.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dialogs.i18n import N_, _, use_locale
from dialogs.notices import STAFF_PLATFORM, staff_language, to_staff
from dialogs.stage_change import change_stage
from routine.case_service import CaseResult, change_case, informing_pupil_health
from routine.cases import Case, EventKind
from routine.guides import guide_for
from routine.model import Language, Pupil, Role, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.ports import UnitOfWork

STEP2, STEP3 = "se.step2", "se.step3"
STEP3_PREFIX = "s3."
STEP3_ACTION = N_("Raise to step 3")


def stage_name(stage: str, language: str) -> str:
    return guide_for(stage).name.in_language(Language(language))


# Pupil health --------------------------------------------------------------------------------


def pupil_health_text(pupil: Pupil, stage: str, informed_by: str, language: str) -> str:
    """In the current locale, which is `language`."""
    return _(
        "{name} has informed pupil health about {pupil} ({class_name}). Current stage: "
        "{stage}. You can follow it from now on."
    ).format(
        name=informed_by,
        pupil=pupil.name,
        class_name=pupil.class_name,
        stage=stage_name(stage, language),
    )


async def inform_pupil_health(
    uow: UnitOfWork, school: School, case_id: int, staff: StaffMember, now: datetime
) -> CaseResult:
    """Record that the case informs pupil health, and queue one DM to each of the school's
    pupil health staff on Slack. A second time changes nothing and sends nothing."""
    result = await change_case(
        uow, case_id, staff, informing_pupil_health(now), EventKind.PUPIL_HEALTH_INFORMED, now
    )
    if not result.done or result.case is None or result.pupil is None:
        return result
    case, pupil = result.case, result.pupil
    messages = []
    for member in await uow.staff.list_for_school(school.key):
        if not member.has_role(Role.PUPIL_HEALTH) or not member.slack_user_id:
            continue
        with use_locale(staff_language(school, member)) as language:
            text = pupil_health_text(pupil, case.stage, staff.name, language)
        messages.append(to_staff(school, member, "pupil-health", text, str(case_id), now))
    await uow.outbox.add_many(messages)
    return result


# Step 3 --------------------------------------------------------------------------------------


async def raise_to_step3(
    uow: UnitOfWork, school: School, case_id: int, staff: StaffMember, now: datetime
) -> CaseResult:
    """Advance a Swedish case from step 2 to step 3 by hand (000: 474–496), through the one
    place every stage change goes (dialogs/stage_change.py): the principal leads it (the one
    raising it, if a principal), the former owner stays a member, and the principals get the
    card with the step-3 decisions as a new message. REFUSED if the case is not at step 2."""
    return await change_stage(uow, school, case_id, staff, STEP2, now, refusal="not at step 2")


def step3_button(case_id: int) -> OutgoingButton:
    """In the current locale: render inside the reader's `use_locale`."""
    return OutgoingButton(f"{STEP3_PREFIX}{case_id}", str(STEP3_ACTION))


async def step3_review_prompts(
    uow: UnitOfWork, school: School, cases: Sequence[Case], now: datetime
) -> int:
    """For the reminder job (issue #12): step 2 still holds at its review date for these
    cases; each principal of the school is asked, once per case and review day, whether to
    raise it to step 3. How many messages were queued. A few queries for any number."""
    due = [c for c in cases if c.is_open and c.stage == STEP2 and c.id is not None]
    if not due:
        return 0
    pupils = {
        p.pupil_id: p for p in await uow.school_day.pupils(school.key, {c.pupil_id for c in due})
    }
    principals = [
        s
        for s in await uow.staff.list_for_school(school.key)
        if s.has_role(Role.PRINCIPAL) and s.slack_user_id
    ]
    day = now.date().isoformat()
    messages = []
    for case in due:
        pupil = pupils.get(case.pupil_id)
        if pupil is None:
            continue
        for principal in principals:
            with use_locale(staff_language(school, principal)) as language:
                text = _(
                    "The review date for {pupil} ({class_name}) has come, and the absence "
                    "still meets the criteria for {stage}. Raise it to {next}?"
                ).format(
                    stage=stage_name(STEP2, language),
                    next=stage_name(STEP3, language),
                    pupil=pupil.name,
                    class_name=pupil.class_name,
                )
                button = step3_button(case.id or 0)
            recipient = principal.slack_user_id
            messages.append(
                OutboxMessage(
                    key=idempotency_key(
                        "step3-review",
                        f"{STAFF_PLATFORM}:{recipient}",
                        school.key,
                        str(case.id),
                        day,
                    ),
                    platform=STAFF_PLATFORM,
                    recipient=recipient,
                    text=text,
                    kind="step3-review",
                    school_key=school.key,
                    buttons=(button,),
                    created_at=now,
                )
            )
    return sum(await uow.outbox.add_many(messages))
