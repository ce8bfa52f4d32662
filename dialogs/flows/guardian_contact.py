"""Staff record a same-day contact with a pupil's guardian (step 1 of the routine).

It starts from "Contact the guardian" beside a pupil in the mentor's list of absences without
a report. The form asks who was contacted, when, how, what came of it and whether the absence
is valid, with the step-1 conversation topics (Närvaromodellen, 000: 289–305) to tick. The note
is optional and must not carry health details (domain guide §6).

The diagram is in the .md file of the same name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from zoneinfo import ZoneInfo

from dialogs.events import Form, FormField
from dialogs.flow import END, Answer, Context, Flow, Go, Prompt, Retry, Step
from dialogs.follow_up_list import may_follow_up, refresh_follow_ups
from dialogs.i18n import N_, _, clock_hint, format_clock, format_number, ngettext
from dialogs.parsing import parse_clock
from routine.attendance import guardians_of
from routine.follow_up import (
    ContactMeans,
    ContactOutcome,
    FollowUp,
    GuardianContact,
    StepOneTopic,
    record_contact,
)
from routine.model import Pupil

TRANSITIONS = {"record": {"saved": END}}

SOMEONE_ELSE = "-"
# What was entered in a form that must be corrected, to show it again.
DRAFT = "draft"
MEANS = {
    ContactMeans.PHONE: N_("Phone"),
    ContactMeans.MESSAGE: N_("Message"),
    ContactMeans.MEETING: N_("Meeting"),
}
OUTCOMES = {
    ContactOutcome.REACHED: N_("Reached the guardian"),
    ContactOutcome.NOT_REACHED: N_("Did not reach the guardian"),
}
VALIDITY = {
    "valid": N_("Valid absence"),
    "invalid": N_("Invalid absence"),
    "open": N_("Not yet known"),
}
TOPICS = {
    StepOneTopic.CAUSES: N_("Causes of the absence"),
    StepOneTopic.NEXT_SCHOOL_DAY: N_("The next school day"),
    StepOneTopic.PUPIL_VIEW: N_("The pupil's perspective"),
    StepOneTopic.COMPULSORY_SCHOOLING: N_("Compulsory schooling"),
}


async def ask_record(ctx: Context) -> Prompt | Go:
    found = await _follow_up(ctx)
    if found is None:
        return Go("saved")
    _follow_up_in_hand, pupil = found
    guardians = guardians_of(
        pupil.pupil_id, await ctx.uow.guardians.list_for_school(pupil.school_key)
    )
    whom = (*((g.guardian_id, g.name) for g in guardians), (SOMEONE_ELSE, _("Someone else")))
    local_now = ctx.now.astimezone(ZoneInfo(ctx.actor.school.timezone))
    # A form sent back for a correction starts from what the person entered.
    draft: dict[str, str] = ctx.data.get(DRAFT, {})

    def initial(name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        entered = draft.get(name)
        return tuple(entered.splitlines()) if entered else default

    form = Form(
        id="guardian-contact",
        title=_("Contact with guardian"),
        fields=(
            FormField(
                "whom",
                _("Whom did you contact?"),
                choices=whom,
                initial=initial("whom", whom[0][:1]),
            ),
            FormField("means", _("How?"), choices=_choices(MEANS), initial=initial("means")),
            FormField(
                "time",
                _("When? ({hint}, today)").format(hint=clock_hint()),
                initial=initial("time", (format_clock(local_now.time()),)),
            ),
            FormField(
                "outcome", _("Outcome"), choices=_choices(OUTCOMES), initial=initial("outcome")
            ),
            FormField(
                "valid",
                _("Is the absence valid?"),
                choices=_choices(VALIDITY),
                initial=initial("valid"),
            ),
            FormField(
                "topics",
                _("What did you talk about?"),
                required=False,
                choices=_choices(TOPICS),
                multiple=True,
                initial=initial("topics"),
            ),
            FormField(
                "note",
                _("Note (optional; no health details)"),
                required=False,
                multiline=True,
                initial=(draft["note"],) if draft.get("note") else (),
            ),
        ),
        submit_label=_("Save"),
    )
    text = _(
        "Contact the guardian of {name} ({class_name}) today: find out the causes of the "
        "absence, talk about the next school day and the pupil's view, and say what continued "
        "absence leads to (compulsory schooling)."
    ).format(name=pupil.name, class_name=pupil.class_name)
    return Prompt(text, form=form)


def _choices(labels: dict) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in labels.items())


async def answer_record(ctx: Context, answer: Answer) -> Go | Retry:
    found = await _follow_up(ctx)
    if found is None or answer.form is None:
        return Go("saved")
    result = await _record(ctx, *found, answer.form)
    if isinstance(result, Retry):
        ctx.data[DRAFT] = dict(answer.form)
    return result


async def _record(
    ctx: Context, follow_up: FollowUp, pupil: Pupil, values: Mapping[str, str]
) -> Go | Retry:
    contacted_at = _contact_time(ctx, values.get("time", ""))
    if contacted_at is None:
        return Retry(
            _(
                "Please give the time of the contact as {hint}, today and not later than now."
            ).format(hint=clock_hint())
        )
    note = (values.get("note") or "").strip()
    if len(note) > ctx.rules.max_note_length:
        return Retry(
            ngettext(
                "The note is too long: at most {count} character.",
                "The note is too long: at most {count} characters.",
                ctx.rules.max_note_length,
            ).format(count=format_number(ctx.rules.max_note_length))
        )
    staff = ctx.actor.staff
    assert staff is not None and follow_up.id is not None
    valid = {"valid": True, "invalid": False}.get(values.get("valid", ""))
    if valid is not None and values.get("outcome") == ContactOutcome.NOT_REACHED.value:
        return Retry(
            _(
                'If you did not reach the guardian, choose "Not yet known": the absence is '
                "still unexplained."
            )
        )
    whom = values.get("whom", SOMEONE_ELSE)
    contact = GuardianContact(
        follow_up_id=follow_up.id,
        staff_id=staff.staff_id,
        guardian_id="" if whom == SOMEONE_ELSE else whom,
        contacted_at=contacted_at,
        means=ContactMeans(values["means"]),
        outcome=ContactOutcome(values["outcome"]),
        valid=valid,
        topics=tuple(StepOneTopic(t) for t in (values.get("topics") or "").splitlines() if t),
        note=note,
        recorded_at=ctx.now,
    )
    await record_contact(ctx.uow, follow_up=follow_up, contact=contact)
    await refresh_follow_ups(
        ctx.uow, ctx.actor.school, follow_up.day, ctx.now, pupil_id=pupil.pupil_id
    )
    # The follow-up list, edited through the outbox, shows it too.
    ctx.say_shown_in_place(
        _("Saved: your contact with the guardian of {name}.").format(name=pupil.name)
    )
    return Go("saved")


def _contact_time(ctx: Context, text: str) -> datetime | None:
    clock: time | None = parse_clock(text)
    if clock is None:
        return None
    zone = ZoneInfo(ctx.actor.school.timezone)
    moment = datetime.combine(ctx.today, clock, tzinfo=zone)
    return moment if moment <= ctx.now.astimezone(zone) else None


async def _follow_up(ctx: Context) -> tuple[FollowUp, Pupil] | None:
    """The follow-up in hand, if it is today's and this person may see the pupil."""
    staff = ctx.actor.staff
    assert staff is not None
    follow_up = await ctx.uow.follow_ups.get(int(ctx.data.get("follow_up", 0)))
    pupil = None
    if follow_up is not None and follow_up.school_key == staff.school_key:
        pupil = await may_follow_up(ctx.uow, staff, follow_up.pupil_id)
    if follow_up is None or pupil is None:
        ctx.say(_("This button has expired."))
        return None
    if follow_up.day != ctx.today:
        ctx.say(_("That list was about another day. Please use today's list."))
        return None
    return follow_up, pupil


FLOW = Flow(
    name="guardian_contact",
    title=N_("Contact with guardian"),
    audience=frozenset(),
    start="record",
    steps={"record": Step(ask_record, answer_record)},
    transitions=TRANSITIONS,
)
