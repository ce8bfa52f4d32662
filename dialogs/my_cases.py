"""The cases where something waits for a member of staff: what the App Home tab, `/narvaro`
and the "My cases" flow list.

A case waits for someone who may see it (`routine.cases.may_see`) if it is open and they lead
or coordinate it, or if they are on it (a member, a principal at a stage the principal owns,
or pupil health once informed) and its stage has items they see that are not ticked yet. Read
for the whole school in a few queries: its open cases, the pupils and the logs of those that
concern the person.
"""

from __future__ import annotations

from dialogs.case_card import (
    SHOW,
    CaseView,
    case_button,
    follows,
    language_of,
    load_views,
    pupil_line,
)
from dialogs.events import Button
from dialogs.flow import Context
from dialogs.i18n import current_locale, format_number, ngettext
from routine.cases import may_see
from routine.model import StaffMember


def waits_for(staff: StaffMember, view: CaseView) -> bool:
    case = view.case
    if not case.is_open or not may_see(staff, case, view.pupil) or not follows(staff, case):
        return False
    if staff.staff_id in (case.owner_id, case.coordinator_id):
        return True
    ticks = view.ticks()
    return any(item.id not in ticks for item in view.visible_items(staff))


async def my_cases(ctx: Context) -> list[CaseView]:
    """The person's waiting cases, by pupil name."""
    staff = ctx.actor.staff
    if staff is None:
        return []
    school = ctx.actor.school
    mine = [c for c in await ctx.uow.cases.open_cases(school.key) if follows(staff, c)]
    if not mine:
        return []
    everyone = await ctx.uow.staff.list_for_school(school.key)
    views = await load_views(ctx.uow, school, mine, everyone)
    return sorted((v for v in views if waits_for(staff, v)), key=lambda v: v.pupil.name)


def case_label(view: CaseView) -> str:
    return pupil_line(view.pupil)


async def my_cases_summary(ctx: Context) -> tuple[list[str], list[Button]]:
    """For the day summary: a line, and a button per waiting case that shows its card."""
    views = await my_cases(ctx)
    if not views:
        return [], []
    line = ngettext(
        "{count} case waits for you:", "{count} cases wait for you:", len(views)
    ).format(count=format_number(len(views)))
    # Each case with its stage, in the reader's language.
    language = language_of(current_locale())
    stages = [f"• {case_label(v)}: {v.guide.name.in_language(language)}" for v in views]
    buttons = [
        Button(case_button(v.case.id, SHOW), case_label(v)) for v in views if v.case.id is not None
    ]
    return [line, *stages], buttons
