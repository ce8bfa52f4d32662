"""Use cases for what guardians ask of the school. Each stores first; the caller commits, with
the messages that tell staff, in the same unit of work."""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

from routine.calendar import is_school_day
from routine.model import (
    AbsenceReport,
    Guardian,
    MarkKind,
    ReasonCategory,
    ReportingRules,
    School,
    StaffMember,
)
from routine.ports import UnitOfWork
from routine.reporting import submit_report
from routine.requests import (
    AbsencePrompt,
    ConcernKind,
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    GuardianConcern,
    PromptAnswer,
    RequestStatus,
    new_token,
)

REASON_OF_ANSWER = {
    PromptAnswer.ILL: ReasonCategory.ILLNESS,
    PromptAnswer.OTHER: ReasonCategory.OTHER,
}


async def ask_about_absence(
    uow: UnitOfWork,
    *,
    school_key: str,
    pupil_id: str,
    guardian_id: str,
    day: date,
    now: datetime,
) -> AbsencePrompt:
    """One prompt per guardian, pupil and day, however often the job runs."""
    existing = await uow.prompts.find(school_key, pupil_id, guardian_id, day)
    if existing is not None:
        return existing
    prompt = AbsencePrompt(new_token(), school_key, pupil_id, guardian_id, day, created_at=now)
    return await uow.prompts.add(prompt)


class PromptOutcome(enum.StrEnum):
    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"
    NOT_YOURS = "not_yours"
    OUT_OF_DATE = "out_of_date"


async def answer_prompt(
    uow: UnitOfWork,
    *,
    token: str,
    guardian: Guardian,
    answer: PromptAnswer,
    today: date,
    now: datetime,
    rules: ReportingRules,
) -> tuple[PromptOutcome, AbsencePrompt | None]:
    """Record a guardian's answer and update the day's attendance record accordingly."""
    prompt = await uow.prompts.by_token(token)
    mine = prompt is not None and (prompt.school_key, prompt.guardian_id) == (
        guardian.school_key,
        guardian.guardian_id,
    )
    if prompt is None or not mine:
        return PromptOutcome.NOT_YOURS, None
    if prompt.answer is not None:
        return PromptOutcome.ALREADY_ANSWERED, prompt
    if prompt.day != today:
        return PromptOutcome.OUT_OF_DATE, prompt
    if answer in REASON_OF_ANSWER:
        await _explain(uow, prompt, REASON_OF_ANSWER[answer], today=today, now=now, rules=rules)
    elif answer is PromptAnswer.CALL_ME:
        await uow.contact_requests.add(
            ContactRequest(
                prompt.school_key,
                prompt.pupil_id,
                prompt.guardian_id,
                ContactTopic.ATTENDANCE,
                ContactWay.PHONE,
                ContactTime.ANY,
                created_at=now,
            )
        )
    answered = dataclasses.replace(prompt, answer=answer, answered_at=now)
    await uow.prompts.update(answered)
    return PromptOutcome.RECORDED, answered


async def _explain(
    uow: UnitOfWork,
    prompt: AbsencePrompt,
    reason: ReasonCategory,
    *,
    today: date,
    now: datetime,
    rules: ReportingRules,
) -> None:
    """The answer is a report for the day, and the day's absence marks are explained by it."""
    report = AbsenceReport(
        prompt.school_key, prompt.pupil_id, prompt.guardian_id, reason, prompt.day, prompt.day
    )
    await submit_report(uow, report=report, today=today, now=now, rules=rules)
    codes = {code.code: code for code in await uow.codes.list_for(prompt.school_key)}
    code = codes.get(reason.value)
    for mark in await uow.marks.list_for_day(prompt.school_key, prompt.day):
        if mark.pupil_id == prompt.pupil_id and mark.kind is MarkKind.ABSENT:
            await uow.marks.update(
                dataclasses.replace(
                    mark,
                    explained=True,
                    valid=code.valid if code else None,
                    code=code.code if code else None,
                )
            )


async def request_contact(
    uow: UnitOfWork,
    *,
    guardian: Guardian,
    pupil_id: str,
    topic: ContactTopic,
    way: ContactWay,
    time: ContactTime,
    now: datetime,
) -> ContactRequest:
    if pupil_id not in guardian.pupil_ids:
        raise PermissionError("a guardian can only ask about their own child")
    request = ContactRequest(
        guardian.school_key, pupil_id, guardian.guardian_id, topic, way, time, created_at=now
    )
    return await uow.contact_requests.add(request)


async def take_contact_request(
    uow: UnitOfWork, *, request_id: int, staff: StaffMember, now: datetime
) -> ContactRequest | None:
    """The staff member takes it; None if it is gone or someone else has it already."""
    request = await uow.contact_requests.get(request_id)
    if request is None or request.school_key != staff.school_key:
        return None
    if request.status is not RequestStatus.OPEN:
        return None
    # A compare-and-set: of two members of staff pressing at once, one takes it.
    if not await uow.contact_requests.take(request_id, staff.staff_id, now):
        return None
    return dataclasses.replace(
        request, status=RequestStatus.TAKEN, taken_by=staff.staff_id, taken_at=now
    )


async def report_concern(
    uow: UnitOfWork, *, guardian: Guardian, pupil_id: str, now: datetime
) -> GuardianConcern:
    if pupil_id not in guardian.pupil_ids:
        raise PermissionError("a guardian can only speak for their own child")
    concern = GuardianConcern(
        guardian.school_key,
        pupil_id,
        guardian.guardian_id,
        ConcernKind.HARD_TO_GET_TO_SCHOOL,
        created_at=now,
    )
    return await uow.concerns.add(concern)


async def complete_contact_request(
    uow: UnitOfWork, *, request_id: int, staff: StaffMember, now: datetime
) -> ContactRequest | None:
    """Done by whoever took it, or by anyone of the school if nobody had; None otherwise."""
    request = await uow.contact_requests.get(request_id)
    if request is None or request.school_key != staff.school_key:
        return None
    if request.status is RequestStatus.DONE:
        return None
    if request.status is RequestStatus.TAKEN and request.taken_by != staff.staff_id:
        return None
    done = dataclasses.replace(
        request,
        status=RequestStatus.DONE,
        taken_by=request.taken_by or staff.staff_id,
        taken_at=request.taken_at or now,
        done_at=now,
    )
    await uow.contact_requests.update(done)
    return done


async def escalate_untaken_requests(
    uow: UnitOfWork, *, school: School, now: datetime
) -> list[ContactRequest]:
    """Requests nobody has taken within the school's `escalate_after` are marked as escalated
    (once each) and returned, for the coordinators to be told. Only during the school day
    (from the roll call to its end, on a school day): a request made in the evening reaches
    the coordinators the next school morning if nobody has taken it by then."""
    local = now.astimezone(ZoneInfo(school.timezone))
    in_school_hours = school.times.roll_call <= local.time() < school.times.end_of_day
    if not in_school_hours or not is_school_day(school, local.date()):
        return []
    pupils = await uow.pupils.list_for_school(school.key)
    escalated = []
    for request in await uow.contact_requests.list_open(school.key, [p.pupil_id for p in pupils]):
        if request.status is not RequestStatus.OPEN or request.escalated_at is not None:
            continue
        if now - request.created_at < school.times.escalate_after:
            continue
        escalated.append(dataclasses.replace(request, escalated_at=now))
        await uow.contact_requests.update(escalated[-1])
    return escalated
