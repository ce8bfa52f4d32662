"""One card per case: a message that stays current on the screen of each person who acts on it.

The card names the pupil and class, the stage and who leads it, who coordinates, why the case
was opened (a rule with its numbers in plain words, or a concern: dialogs/case_reasons.py), the
stage's checklist with who ticked each item and when, the notes on the stage's questions
(dialogs/case_notes.py), and buttons to act on it (dialogs/case_actions.py handles the presses).
It is an outbox *slot* per case and viewer (dialogs/live.py): whenever the case changes, every
card of it is rendered again and queued as a new version, which edits the delivered message in
place.

Who gets a card: the owner, the coordinator and the members, and the principals once the case
is at a stage the principal owns. When a case reaches a stage that is a reader's to lead (the
principals at a principal's stage, the coordinator at a coordinator's), their card continues as
a new message, so that they are told (`routine.stage_leads`, dialogs/stage_change.py). Items
only a principal may see (`may_see_item`) are left out of everyone else's card; each card is
written in its reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.case_history import StepOneDay, history_lines, history_of, step_one_history
from dialogs.case_notes import card_note_lines
from dialogs.case_reasons import describe_reason, reasons
from dialogs.i18n import (
    _,
    current_locale,
    format_number,
    format_short_day,
    use_locale,
)
from dialogs.labels import one_full_stop
from dialogs.live import Tally, live_message
from dialogs.notices import staff_language
from routine.cases import Case, CaseEvent, may_see, may_see_item, ticked
from routine.guides import GuideItem, StageGuide, guide_for
from routine.model import Language, Pupil, Role, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton
from routine.policy import rules_for
from routine.ports import UnitOfWork
from routine.stage_leads import told_stage
from routine.stages import country_of, next_stage, stage_owner

CASE_PREFIX = "cs."
CARD_KIND = "case-card"
# What a button under a card does; those with an argument name an item or a question set.
TICK, UNTICK, ASK, NEXT, HEALTH, CLOSE, REOPEN, SHOW, PLAN, NOTE = (
    "tick",
    "untick",
    "ask",
    "next",
    "health",
    "close",
    "reopen",
    "show",
    "plan",
    "note",
)
# A tick names the item and its stage, the next stage the stage it leaves: a button of a stage
# the case has left does nothing. A note names its question and stage as a tick does.
WITH_ARGUMENT = frozenset({TICK, UNTICK, ASK, NEXT, NOTE})
WITHOUT_ARGUMENT = frozenset({HEALTH, CLOSE, REOPEN, SHOW, PLAN})


def item_key(item_id: str, stage: str) -> str:
    """What a tick button carries: the item and the stage it belongs to, so that a button of a
    stage the case has left does nothing."""
    return f"{item_id}@{stage}"


def split_item_key(argument: str) -> tuple[str, str]:
    item_id, _at, stage = argument.rpartition("@")
    return item_id, stage


def card_slot(case_id: int, told_at: str | None = None) -> str:
    """A reader's card of the case: one message, edited in place, until a stage that is theirs
    is reached (`routine.stage_leads.told_stage`); from then on a new message of that stage."""
    return f"case:{case_id}" if told_at is None else f"case:{case_id}:{told_at}"


def case_button(case_id: int, action: str, argument: str = "") -> str:
    suffix = f".{argument}" if argument else ""
    return f"{CASE_PREFIX}{case_id}.{action}{suffix}"


def language_of(locale: str) -> Language:
    return Language.parse(locale)


@dataclass(frozen=True)
class CaseView:
    """What a card shows, read once: the case, its pupil, its log and the school's staff."""

    school: School
    case: Case
    pupil: Pupil
    events: Sequence[CaseEvent]
    names: Mapping[str, str]
    # The pupil's step-1 days around the opening (dialogs/case_history.py).
    step_one: Sequence[StepOneDay] = ()

    @property
    def guide(self) -> StageGuide:
        return guide_for(self.case.stage)

    def visible_items(self, viewer: StaffMember) -> list[GuideItem]:
        return [i for i in self.guide.checklist if may_see_item(viewer, i.principal_only)]

    def ticks(self) -> dict[str, CaseEvent]:
        return ticked(self.events, self.case.stage)

    def name_of(self, actor_or_id: str) -> str:
        staff_id = actor_or_id.removeprefix("staff:")
        # Someone who has since left the school file is still named, by their id.
        return self.names.get(staff_id, staff_id) if staff_id else _("nobody yet")

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.school.timezone)).date()


def pupil_line(pupil: Pupil) -> str:
    return _("{pupil}, class {class_name}").format(pupil=pupil.name, class_name=pupil.class_name)


def card_text(view: CaseView, viewer: StaffMember) -> str:
    """The card in the current locale, for this reader."""
    case, guide = view.case, view.guide
    language = language_of(current_locale())
    lines = [
        pupil_line(view.pupil),
        _("Stage: {stage}").format(stage=guide.name.in_language(language)),
        _("Responsible: {name}").format(name=view.name_of(case.owner_id)),
        _("Coordinator: {name}").format(name=view.name_of(case.coordinator_id)),
    ]
    rules = {rule.id: rule for rule in rules_for(view.school)}
    for number, event in enumerate(reasons(view.events)):
        reason = describe_reason(event.detail, rules)
        if number == 0:
            day = format_short_day(view.local_day(event.at))
            lines.append(_("Opened {day}: {reason}").format(day=day, reason=reason))
        else:
            lines.append(_("Also: {reason}").format(reason=reason))
    lines.extend(history_lines(view.step_one))
    ticks = view.ticks()
    lines.append(_("Checklist:"))
    for number, item in enumerate(view.visible_items(viewer), 1):
        text = item.text.in_language(language)
        tick = ticks.get(item.id)
        if tick is None:
            lines.append(f"{number}. ☐ {text}")
            continue
        day = format_short_day(view.local_day(tick.at))
        done = _("{item} (ticked by {name}, {day})").format(
            item=text, name=view.name_of(tick.actor), day=day
        )
        lines.append(f"{number}. ☑ {done}")
    lines.extend(
        card_note_lines(
            view.events, case.stage, viewer, language, view.names, view.school.timezone
        )
    )
    if case.health_informed_at is not None:
        day = format_short_day(view.local_day(case.health_informed_at))
        lines.append(one_full_stop(_("Pupil health informed {day}.").format(day=day)))
    else:
        lines.append(_("Pupil health not informed yet."))
    if case.closed_at is not None:
        day = format_short_day(view.local_day(case.closed_at))
        lines.append(one_full_stop(_("Closed {day}.").format(day=day)))
    return "\n".join(lines)


def card_choices(view: CaseView, viewer: StaffMember) -> list[tuple[str, str]]:
    """(action, label) pairs for this reader, in the current locale; an action is a button id's
    tail: "tick.<item>", "next", ..."""
    case = view.case
    assert case.id is not None
    if not may_see(viewer, case, view.pupil):
        return []
    if not case.is_open:
        return [(REOPEN, _("Reopen the case"))]
    language = language_of(current_locale())
    ticks = view.ticks()
    choices = []
    for number, item in enumerate(view.visible_items(viewer), 1):
        shown = format_number(number)
        if item.id in ticks:
            action = f"{UNTICK}.{item_key(item.id, case.stage)}"
            choices.append((action, _("Untick {number}").format(number=shown)))
        else:
            action = f"{TICK}.{item_key(item.id, case.stage)}"
            choices.append((action, _("Tick {number}").format(number=shown)))
    for questions in view.guide.questions:
        title = questions.title.in_language(language)
        choices.append((f"{ASK}.{questions.id}", _("Questions: {title}").format(title=title)))
    following = next_stage(country_of(case.stage), case.stage)
    if following is not None:
        name = guide_for(following).name.in_language(language)
        # Translated "go on to "…"", not "next stage: …": Sweden's stages are named "Steg 3 – …"
        # in every language, which read "Nästa steg: Steg 3" (test_case_card_next_stage.py);
        # the name quoted as in the move's question.
        choices.append((f"{NEXT}.{case.stage}", _("Next stage: {stage}").format(stage=name)))
    # The plan's form (dialogs/flows/case_plan.py): its measures, deadlines and review date.
    choices.append((PLAN, _("Plan")))
    if case.health_informed_at is None:
        choices.append((HEALTH, _("Inform pupil health")))
    choices.append((CLOSE, _("Close the case")))
    return choices


def card_buttons(view: CaseView, viewer: StaffMember) -> tuple[OutgoingButton, ...]:
    assert view.case.id is not None
    return tuple(
        OutgoingButton(f"{CASE_PREFIX}{view.case.id}.{action}", label)
        for action, label in card_choices(view, viewer)
    )


# Who gets a card -------------------------------------------------------------------------


def concerns(staff: StaffMember, case: Case) -> bool:
    """On the case: its owner, coordinator and members, and the principals at a stage the
    principal owns."""
    principal_stage = stage_owner(case.stage) is Role.PRINCIPAL
    return case.involves(staff.staff_id) or (principal_stage and staff.has_role(Role.PRINCIPAL))


def follows(staff: StaffMember, case: Case) -> bool:
    """On the case (`concerns`), or pupil health once informed: the mentor informs pupil health
    at step 2 (000: 432), which is told "you can follow it from now on"
    (dialogs/case_steps.py), and investigates at step 3 (000: 465-504)."""
    informed = case.health_informed_at is not None and staff.has_role(Role.PUPIL_HEALTH)
    return concerns(staff, case) or informed


def viewers(case: Case, pupil: Pupil | None, staff: Iterable[StaffMember]) -> list[StaffMember]:
    """Those who act on or follow the case and may see it, reachable on the staff platform."""
    return [
        member
        for member in staff
        if member.slack_user_id and may_see(member, case, pupil) and follows(member, case)
    ]


async def load_views(
    uow: UnitOfWork, school: School, cases: Sequence[Case], staff: Sequence[StaffMember]
) -> list[CaseView]:
    """The views of these cases of one school: their pupils and logs in one query each."""
    ids = [c.id for c in cases if c.id is not None]
    if not ids:
        return []
    pupils = {
        p.pupil_id: p for p in await uow.school_day.pupils(school.key, {c.pupil_id for c in cases})
    }
    logs = await uow.cases.events_of(ids)
    histories = await step_one_history(uow, school, cases)
    names = {s.staff_id: s.name for s in staff}
    return [
        CaseView(
            school,
            case,
            pupils[case.pupil_id],
            logs.get(case.id, []),
            names,
            history_of(histories, case),
        )
        for case in cases
        if case.id is not None and case.pupil_id in pupils
    ]


def card_messages(
    view: CaseView, staff: Sequence[StaffMember], now: datetime
) -> list[OutboxMessage]:
    assert view.case.id is not None
    messages = []
    for viewer in viewers(view.case, view.pupil, staff):
        with use_locale(staff_language(view.school, viewer)):
            text, buttons = card_text(view, viewer), card_buttons(view, viewer)
        slot = card_slot(view.case.id, told_stage(view.case, viewer))
        messages.append(live_message(view.school, viewer, CARD_KIND, slot, text, buttons, now))
    return messages


async def refresh_case_cards(
    uow: UnitOfWork, school: School, cases: Sequence[Case], now: datetime
) -> Tally:
    """Queue the current card of each case for each of its viewers (a new version of each
    slot; one that shows nothing new is dropped). Staff, pupils and logs are read once for all
    the cases."""
    tally = Tally()
    if not cases:
        return tally
    staff = await uow.staff.list_for_school(school.key)
    messages = [
        message
        for view in await load_views(uow, school, cases, staff)
        for message in card_messages(view, staff, now)
    ]
    for added in await uow.outbox.add_many(messages):
        tally.count(added)
    return tally


async def refresh_pupil_case(
    uow: UnitOfWork, school: School, pupil_id: str, now: datetime
) -> Tally:
    """The cards of the pupil's open case, after a concern opened it or was logged on it: as
    the nightly job does for a rule, so the first stage's owner and the coordinator get the
    card when the case opens."""
    return await refresh_case_cards(
        uow, school, await uow.cases.open_cases(school.key, [pupil_id]), now
    )
