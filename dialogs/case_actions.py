"""What a person does on a case: the buttons under its card, and the same acts in the "My cases"
flow (dialogs/flows/cases.py).

The buttons carry `cs.<case id>.<action>[.<item or question set>]`. Every act goes through
`routine.case_service.change_case`, which checks that the person may act on the case, stores the
change with a compare-and-set and logs it; a press by anyone who may not (another mentor,
another school, a forged or replayed id, an item only the principal sees) changes nothing, is
logged as refused, and is answered "This button has expired.". After a change, every card of
the case is rendered again in place (`dialogs.case_card.refresh_case_cards`).

Showing the card, a stage's conversation questions, a note on one of them
(`note.<set>/<item>@<stage>`: only a question that is not covered-only, at the case's stage, by
one who may act; anything else is refused and logged without what was sent), the next stage and
closing (both ask for a confirmation) start the flow; the others are done at once. Moving to
the next stage goes through dialogs/stage_change.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dialogs.case_card import (
    ASK,
    CASE_PREFIX,
    CLOSE,
    HEALTH,
    NEXT,
    NOTE,
    PLAN,
    REOPEN,
    SHOW,
    TICK,
    UNTICK,
    WITH_ARGUMENT,
    WITHOUT_ARGUMENT,
    refresh_case_cards,
    split_item_key,
)
from dialogs.case_steps import inform_pupil_health
from dialogs.flow import Context, StartFlow
from dialogs.i18n import _
from dialogs.parsing import is_id
from dialogs.stage_change import change_stage
from routine.case_notes import may_note, refuse_note
from routine.case_service import CaseResult, Outcome, change_case
from routine.cases import (
    Case,
    EventKind,
    close,
    may_act,
    may_see,
    may_see_item,
    reopen,
    ticked,
)
from routine.guides import GUIDES, GuideItem, QuestionSet, item
from routine.model import Pupil, StaffMember

# The case flow's data: which case, and what it was started for.
CASE, QUESTIONS, CLOSING = "case", "questions", "closing"
# The question a note is written on: "<set>/<item>@<stage>", as a note button carries it.
NOTING = "noting"
# The stage the next-stage button was pressed at: the move is for that stage only.
LEAVING = "leaving"


def parse(button_id: str) -> tuple[int, str, str] | None:
    if not button_id.startswith(CASE_PREFIX):
        return None
    case_id, _dot, rest = button_id.removeprefix(CASE_PREFIX).partition(".")
    action, _dot, argument = rest.partition(".")
    if not is_id(case_id):
        return None
    if (action in WITH_ARGUMENT and argument) or (action in WITHOUT_ARGUMENT and not argument):
        return int(case_id), action, argument
    return None


async def press(ctx: Context, case_id: int, action: str, argument: str) -> StartFlow | None:
    if ctx.actor.staff is None:
        ctx.say(_("This button has expired."))
        return None
    if action == SHOW:
        return StartFlow("case", {CASE: case_id})
    if action == ASK:
        return StartFlow("case", {CASE: case_id, QUESTIONS: argument})
    if action == CLOSE:
        return StartFlow("case", {CASE: case_id, CLOSING: True})
    if action == NEXT:
        # Asked first, as in the chat (dialogs/flows/case_moves.py): a stage is not left by a
        # stray press.
        return StartFlow("case", {CASE: case_id, LEAVING: argument})
    if action == NOTE:
        return await press_note(ctx, case_id, argument)
    if action == PLAN:
        # The plan's form checks again that the person may act on the case.
        return StartFlow("case_plan", {"case": case_id})
    ctx.say(await act(ctx, case_id, action, argument))
    return None


async def press_note(ctx: Context, case_id: int, argument: str) -> StartFlow | None:
    """A note on a question: its form, if the question takes notes and the person may write
    one; otherwise (a covered-only question, a stage the case has left, a forged id) refused
    and logged, without what was sent."""
    if not await may_write_note(ctx, case_id, argument):
        ctx.say(_("This button has expired."))
        return None
    set_id = split_item_key(argument)[0].partition("/")[0]
    return StartFlow("case", {CASE: case_id, QUESTIONS: set_id, NOTING: argument})


async def may_write_note(ctx: Context, case_id: int, argument: str) -> bool:
    """Whether the person may write a note on the question `argument` names; a refusal is
    logged on the case."""
    staff = ctx.actor.staff
    assert staff is not None
    key, stage = split_item_key(argument)
    case = await ctx.uow.cases.get(case_id)
    if case is not None and case.school_key == staff.school_key:
        pupil = await ctx.uow.pupils.get(case.school_key, case.pupil_id)
        if may_note(staff, case, pupil, stage, key):
            return True
    await refuse_note(ctx.uow, case_id, staff, ctx.now)
    return False


async def act(
    ctx: Context,
    case_id: int,
    action: str,
    argument: str = "",
    detail: Mapping[str, object] | None = None,
) -> str:
    """Do `action` on the case as the person in `ctx`; what to tell them, translated."""
    staff = ctx.actor.staff
    assert staff is not None
    if action in (TICK, UNTICK):
        key, stage = split_item_key(argument)
        result = await tick(ctx, case_id, key, stage, ticking=action == TICK)
    elif action == NEXT:
        # Every move to the next stage goes through one place, which queues the cards itself:
        # the people the new stage is for are told (SE step 3: the principal, with its
        # decisions on the card).
        result = await change_stage(ctx.uow, ctx.actor.school, case_id, staff, argument, ctx.now)
    elif action == HEALTH:
        # Each pupil health member gets one DM, and sees the case from then on.
        result = await inform_pupil_health(ctx.uow, ctx.actor.school, case_id, staff, ctx.now)
    elif action == CLOSE:
        result = await change_case(
            ctx.uow, case_id, staff, lambda c: close(c, ctx.now), EventKind.CLOSED, ctx.now, detail
        )
    elif action == REOPEN:
        result = await change_case(
            ctx.uow, case_id, staff, reopen, EventKind.REOPENED, ctx.now, allowed=may_see
        )
    else:
        result = CaseResult(Outcome.NOT_ALLOWED)
    if result.done and result.case is not None and action != NEXT:
        await refresh_case_cards(ctx.uow, ctx.actor.school, [result.case], ctx.now)
    return _answer(action, result)


async def tick(ctx: Context, case_id: int, key: str, stage: str, *, ticking: bool) -> CaseResult:
    """Tick or untick an item of `stage`'s checklist, or mark one of its conversation questions
    covered ("<question set>/<item>"). An item the person may not see, or of a stage the case
    is no longer at (an old card's button), is refused and logged."""
    staff = ctx.actor.staff
    assert staff is not None
    case = await ctx.uow.cases.get(case_id)
    found = stage_item(stage, key)

    def allowed(member: StaffMember, case: Case, pupil: Pupil | None) -> bool:
        return (
            found is not None
            and case.stage == stage
            and may_act(member, case, pupil)
            and may_see_item(member, found.principal_only)
        )

    kind = EventKind.TICKED if ticking else EventKind.UNTICKED
    detail = {"stage": stage, "item": key}
    if case is not None and found is not None:
        pupil = await ctx.uow.pupils.get(case.school_key, case.pupil_id)
        events = (await ctx.uow.cases.events_of([case_id])).get(case_id, [])
        if allowed(staff, case, pupil) and (key in ticked(events, stage)) == ticking:
            return CaseResult(Outcome.UNCHANGED, case, pupil)
    return await change_case(
        ctx.uow, case_id, staff, _same, kind, ctx.now, detail, allowed=allowed
    )


def stage_item(stage: str, key: str) -> GuideItem | None:
    """A checklist item of the stage, or a question ("<set>/<item>") of its question sets."""
    if stage not in GUIDES:
        return None
    set_id, slash, item_id = key.partition("/")
    if not slash:
        return item(stage, key)
    questions = question_set(stage, set_id)
    if questions is None:
        return None
    return next((i for i in questions.items if i.id == item_id), None)


def question_set(stage: str, set_id: str) -> QuestionSet | None:
    guide = GUIDES.get(stage)
    if guide is None:
        return None
    return next((q for q in guide.questions if q.id == set_id), None)


def _same(case: Case) -> Case:
    return case


def _answer(action: str, result: CaseResult) -> str:
    if result.outcome is Outcome.NOT_ALLOWED:
        return _("This button has expired.")
    if result.outcome is Outcome.REFUSED and result.case is not None:
        if not result.case.is_open:
            return _("The case is closed.")
        if action == REOPEN:
            return _("The case is open.")
        if result.reason == "last stage":
            return _("The case is at its last stage.")
    if result.outcome in (Outcome.MOVED, Outcome.REFUSED):
        # Someone moved the case on meanwhile, or pressed the same button first.
        return _("Someone else changed the case just now. Please try again.")
    if result.outcome is Outcome.UNCHANGED:
        return _("Nothing changed: it was like that already.")
    messages: dict[str, Callable[[], str]] = {
        TICK: lambda: _("Ticked."),
        UNTICK: lambda: _("The tick is removed."),
        NEXT: lambda: _("The case has moved to the next stage."),
        HEALTH: lambda: _("Pupil health is informed and can now see the case."),
        CLOSE: lambda: _("The case is closed."),
        REOPEN: lambda: _("The case is open again."),
    }
    return messages[action]()
