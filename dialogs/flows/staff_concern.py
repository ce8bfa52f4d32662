"""A mentor is worried about a pupil: which pupil of their classes, what they have seen, an
optional short note, confirm. It is stored and opens a case at once, or is logged on the
pupil's open case (`routine.concerns`); the mentor is told which.

What they may have seen comes from their own country's sources only (routine.concerns.SIGNS):
in Norway Drammen's triggers 1 and 6 (002: 649 and 659) and Oslo's "present at school but not
in class" (003: 36); in Denmark the model's early signs (004: 1308-1311); in Sweden, whose
sources name none, the step is skipped. In Norway a school may have
switched the matching rule off: the concern is still stored, opens no case, and the mentor is
told so. The note is optional, short, and must not carry health details (domain guide §6).

States: class → pupil → seen → note → confirm; see TRANSITIONS and staff_concern.md beside
this file.
"""

from __future__ import annotations

from dialogs.case_card import refresh_pupil_case
from dialogs.case_reasons import SEEN
from dialogs.flow import END, Actor, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _, format_number, ngettext
from routine.concerns import (
    SIGNS,
    ConcernOutcome,
    StaffConcernKind,
    may_raise_concern,
    report_staff_concern,
)
from routine.model import Pupil, Role

TRANSITIONS = {
    "class": {"picked": "pupil", "none": END},
    "pupil": {"picked": "seen"},
    "seen": {"picked": "note"},
    "note": {"done": "confirm"},
    "confirm": {"sent": END, "gone": END},
}

NO_NOTE = "none"


async def _pupils(ctx: Context, class_name: str | None = None) -> list[Pupil]:
    """The active pupils of the mentor's classes (or of one of them), by name."""
    staff = ctx.actor.staff
    assert staff is not None
    classes = [c for c in staff.classes if class_name in (None, c)]
    found = await ctx.uow.pupils.list_for_classes(ctx.actor.school.key, classes)
    return sorted(
        (p for p in found if may_raise_concern(staff, p)), key=lambda p: (p.name, p.pupil_id)
    )


async def ask_class(ctx: Context) -> Prompt | Go:
    staff = ctx.actor.staff
    assert staff is not None
    classes = sorted({p.class_name for p in await _pupils(ctx)})
    if not classes:
        ctx.say(_("There are no pupils in your classes."))
        return Go("none")
    if len(classes) == 1:
        ctx.data["class"] = classes[0]
        return Go("picked")
    return Prompt(_("Which class?"), tuple(Choice(c, c) for c in classes))


async def answer_class(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in {p.class_name for p in await _pupils(ctx)}:
        return Retry(_("Please answer with one of the choices."))
    ctx.data["class"] = answer.choice
    return Go("picked")


async def ask_pupil(ctx: Context) -> Prompt:
    pupils = await _pupils(ctx, ctx.data["class"])
    text = _("Which pupil are you worried about? (class {class_name})").format(
        class_name=ctx.data["class"]
    )
    return Prompt(text, tuple(Choice(p.pupil_id, p.name) for p in pupils))


async def answer_pupil(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in {p.pupil_id for p in await _pupils(ctx, ctx.data["class"])}:
        return Retry(_("Please answer with one of the choices."))
    ctx.data["pupil_id"] = answer.choice
    return Go("picked")


async def ask_seen(ctx: Context) -> Prompt | Go:
    """The school's own country's signs (routine.concerns.SIGNS). Where its sources give none
    (Sweden), nothing is asked: the concern names no sign, and the note can say what was seen."""
    signs = SIGNS[ctx.actor.school.country]
    if not signs:
        ctx.data["seen"] = StaffConcernKind.WORRIED.value
        return Go("picked")
    choices = tuple(Choice(kind.value, str(SEEN[kind])) for kind in signs)
    return Prompt(_("What have you seen?"), choices)


async def answer_seen(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in {kind.value for kind in SIGNS[ctx.actor.school.country]}:
        return Retry(_("Please answer with one of the choices."))
    ctx.data["seen"] = answer.choice
    return Go("picked")


async def ask_note(ctx: Context) -> Prompt:
    text = _(
        "Would you like to add a short note? It is kept with the concern. Do not write "
        'anything about health or diagnoses. Type the note, or choose "Without a note".'
    )
    return Prompt(text, (Choice(NO_NOTE, _("Without a note")),), accepts_text=True)


async def answer_note(ctx: Context, answer: Answer) -> Go | Retry:
    note = "" if answer.choice == NO_NOTE else (answer.text or "").strip()
    if len(note) > ctx.rules.max_note_length:
        return Retry(
            ngettext(
                "The note is too long: at most {count} character.",
                "The note is too long: at most {count} characters.",
                ctx.rules.max_note_length,
            ).format(count=format_number(ctx.rules.max_note_length))
        )
    ctx.data["note"] = note
    return Go("done")


async def _pupil(ctx: Context) -> Pupil | None:
    """The chosen pupil, if still one of the mentor's (a class may have changed meanwhile)."""
    pupil = await ctx.uow.pupils.get(ctx.actor.school.key, ctx.data["pupil_id"])
    staff = ctx.actor.staff
    assert staff is not None
    return pupil if pupil is not None and may_raise_concern(staff, pupil) else None


async def ask_confirm(ctx: Context) -> Prompt | Go:
    pupil = await _pupil(ctx)
    if pupil is None:
        ctx.say(_("This pupil is no longer in your classes. Nothing was saved."))
        return Go("gone")
    lines = [
        _("Your concern about {name} ({class_name}):").format(
            name=pupil.name, class_name=pupil.class_name
        )
    ]
    seen = SEEN.get(StaffConcernKind(ctx.data["seen"]))
    if seen is not None:
        lines.append(f"• {seen}")
    if ctx.data.get("note"):
        lines.append(_("Your note: {note}").format(note=ctx.data["note"]))
    return Prompt("\n".join(lines), (Choice("send", _("Save the concern")),))


async def answer_confirm(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice != "send":
        return Retry(_("Please answer with one of the choices."))
    staff, pupil = ctx.actor.staff, await _pupil(ctx)
    assert staff is not None
    if pupil is None:
        ctx.say(_("This pupil is no longer in your classes. Nothing was saved."))
        return Go("gone")
    _concern, outcome = await report_staff_concern(
        ctx.uow,
        ctx.actor.school,
        staff,
        pupil,
        StaffConcernKind(ctx.data["seen"]),
        ctx.data.get("note", ""),
        ctx.now,
    )
    if outcome in (ConcernOutcome.OPENED, ConcernOutcome.LOGGED):
        # The case's card to those who act on it, in the same unit of work.
        await refresh_pupil_case(ctx.uow, ctx.actor.school, pupil.pupil_id, ctx.now)
    ctx.say(told(outcome).format(name=pupil.name))
    return Go("sent")


def told(outcome: ConcernOutcome) -> str:
    """What the mentor is told: whether a case was opened, and if not, why not."""
    return {
        ConcernOutcome.OPENED: _("Saved. A case has been opened for {name}."),
        ConcernOutcome.LOGGED: _(
            "Saved. {name} already has an open case; your concern has been added to it."
        ),
        ConcernOutcome.ALREADY_LOGGED: _(
            "Saved. The open case for {name} already has this concern, so nothing changed."
        ),
        ConcernOutcome.RULE_OFF: _(
            "Saved. Your school's routine does not open a case for this concern, so no case "
            "has been opened for {name}. Talk to the principal if you are still worried."
        ),
    }[outcome]


def _is_mentor(actor: Actor) -> bool:
    return actor.staff is not None and actor.staff.has_role(Role.MENTOR)


FLOW = Flow(
    name="staff_concern",
    title=N_("I am worried about a pupil"),
    audience=frozenset({"staff"}),
    start="class",
    steps={
        "class": Step(ask_class, answer_class),
        "pupil": Step(ask_pupil, answer_pupil),
        "seen": Step(ask_seen, answer_seen),
        "note": Step(ask_note, answer_note),
        "confirm": Step(ask_confirm, answer_confirm),
    },
    transitions=TRANSITIONS,
    offered=_is_mentor,
)
