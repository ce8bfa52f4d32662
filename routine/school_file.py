"""Applying the school file: it creates or updates a school, its classes and its staff.

Idempotent, so the operator can re-run it after every change to the file: what is already as the
file says is left alone and counted as unchanged. Nothing is ever deleted here. Classes and staff
that the file no longer lists are reported in `not_listed`, because a missing line is as likely a
mistake in an export as someone who left.
"""

from __future__ import annotations

import dataclasses

from routine.absence_codes import default_absence_codes
from routine.applying import raise_if_any, record_change, write_in_batches
from routine.model import School, SchoolClass, StaffMember
from routine.ports import UnitOfWork
from routine.setup import ChangeSummary, Problem, Progress, SchoolSpec, no_progress


async def apply_school(
    uow: UnitOfWork, spec: SchoolSpec, *, progress: Progress = no_progress
) -> ChangeSummary:
    """Create or update the school, its classes and staff as the school file says. Commits.

    Takes an open unit of work. Seeds the country's default absence codes when the school has
    none yet, so that a school's own codes are never overwritten. Reads what is stored with a
    few queries, decides in memory, and writes what changed in bulk.
    """
    raise_if_any(_spec_problems(spec))
    raise_if_any(await _slack_ids_taken_elsewhere(uow, spec))
    summary = ChangeSummary()
    await _apply_school_row(uow, spec.school, summary)
    await _apply_classes(uow, spec, summary, progress)
    await _apply_staff(uow, spec, summary, progress)
    await _seed_absence_codes(uow, spec.school, summary)
    await uow.commit()
    return summary


def _spec_problems(spec: SchoolSpec) -> list[Problem]:
    # The file parser reports these with line numbers; this guards specs built in code.
    classes = set(spec.classes)
    return [
        Problem(f"staff {member.staff_id}: class {name!r} is not a class of the school")
        for member in spec.staff
        for name in member.classes
        if name not in classes
    ]


async def _slack_ids_taken_elsewhere(uow: UnitOfWork, spec: SchoolSpec) -> list[Problem]:
    # A Slack user must map to one staff member, or we would not know whose classes to show.
    wanted = {member.slack_user_id for member in spec.staff if member.slack_user_id}
    holders: dict[str, StaffMember] = {}
    # Sorted by school and id, so the first holder is the one `find_by_slack_user` picks.
    for holder in await uow.staff.list_by_slack_users(wanted):
        holders.setdefault(holder.slack_user_id, holder)
    problems = []
    for member in spec.staff:
        if not member.slack_user_id:
            continue
        holder = holders.get(member.slack_user_id)
        if holder is not None and holder.school_key != spec.school.key:
            problems.append(
                Problem(
                    f"staff {member.staff_id}: Slack user {member.slack_user_id} already belongs"
                    f" to staff {holder.staff_id} of school {holder.school_key}"
                )
            )
    return problems


async def _apply_school_row(uow: UnitOfWork, school: School, summary: ChangeSummary) -> None:
    stored = await uow.schools.get(school.key)
    if record_change(summary, f"school {school.key}", stored, school):
        await uow.schools.save(school)


async def _apply_classes(
    uow: UnitOfWork, spec: SchoolSpec, summary: ChangeSummary, progress: Progress
) -> None:
    key = spec.school.key
    stored = {c.name: c for c in await uow.classes.list_for(key)}
    wanted = [SchoolClass(key, name) for name in spec.classes]
    changed = [
        c for c in wanted if record_change(summary, f"class {c.name}", stored.get(c.name), c)
    ]
    await write_in_batches(uow.classes.save_many, changed, "classes", progress)
    summary.not_listed.extend(
        f"class {name}" for name in sorted(stored.keys() - set(spec.classes))
    )


async def _apply_staff(
    uow: UnitOfWork, spec: SchoolSpec, summary: ChangeSummary, progress: Progress
) -> None:
    key = spec.school.key
    stored = {s.staff_id: s for s in await uow.staff.list_for_school(key)}
    changed = []
    for member in spec.staff:
        found = stored.get(member.staff_id)
        wanted = _normalized_staff(dataclasses.replace(member, school_key=key))
        # A language the person chose in the chat outlives the file that is applied again.
        wanted = wanted.keeping_preferences_of(found)
        if record_change(summary, f"staff {member.staff_id}", found, wanted):
            changed.append(wanted)
    await write_in_batches(uow.staff.save_many, changed, "staff", progress)
    listed = {m.staff_id for m in spec.staff}
    summary.not_listed.extend(
        f"staff {s.staff_id} ({s.name})" for s in stored.values() if s.staff_id not in listed
    )


def _normalized_staff(member: StaffMember) -> StaffMember:
    # Storage need not keep the order of classes; sorted, a re-apply does not look like a change.
    return dataclasses.replace(member, classes=tuple(sorted(set(member.classes))))


async def _seed_absence_codes(uow: UnitOfWork, school: School, summary: ChangeSummary) -> None:
    if await uow.codes.list_for(school.key):
        return
    for code in default_absence_codes(school):
        await uow.codes.save(code)
        summary.created.append(f"absence code {code.code}")
