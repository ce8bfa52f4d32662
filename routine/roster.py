"""Applying the operator's files: a school file creates or updates a school, a roster its pupils.

Both are idempotent, so the operator can re-run them after every change to the files: what is
already as the file says is left alone and counted as unchanged. Nothing is ever deleted here.
Classes, staff and pupils that the file no longer lists are reported in `not_listed`, because
a missing line is as likely a mistake in an export as a pupil who moved away.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable, Sequence
from operator import attrgetter
from typing import Final, TypeVar

from routine.model import (
    AbsenceCode,
    Country,
    Guardian,
    Pupil,
    School,
    SchoolClass,
    StaffMember,
)
from routine.ports import UnitOfWork
from routine.setup import (
    ChangeSummary,
    InvalidInput,
    Problem,
    Progress,
    RosterRow,
    SchoolSpec,
    no_progress,
)

T = TypeVar("T")

# Rows handed to a repository's `save_many` at a time: progress is told after each.
WRITE_BATCH = 2000


def _code(code: str, label: str, *, valid: bool, late: bool = False) -> AbsenceCode:
    # Lateness is counted on its own (e.g. Drammen: late more than 3 times in a month),
    # not towards the absence percentage.
    return AbsenceCode(
        school_key="", code=code, label=label, counts_as_absence=not late, valid=valid, late=late
    )


# Templates with an empty school_key; `default_absence_codes` fills it in. Labels use the
# sources' own words: giltig/ogiltig (sv), gyldig/ugyldig (nb), lovligt/ulovligt (da).
# "other" differs on purpose: in Sweden and Norway a reported absence is valid, while Danish law
# counts everything that is not illness, an appointment or granted leave as unlawful
# (domain guide §2; 004: 2446–2460).
DEFAULT_ABSENCE_CODES: Final[dict[Country, tuple[AbsenceCode, ...]]] = {
    Country.SE: (
        _code("illness", "Sjukdom (giltig frånvaro)", valid=True),
        _code("appointment", "Läkar- eller tandläkarbesök (giltig frånvaro)", valid=True),
        _code("leave", "Beviljad ledighet (giltig frånvaro)", valid=True),
        _code("other", "Annat anmält skäl (giltig frånvaro)", valid=True),
        _code("invalid", "Ogiltig frånvaro", valid=False),
        _code("late", "Sen ankomst", valid=False, late=True),
    ),
    Country.NO: (
        _code("illness", "Sykdom (gyldig fravær)", valid=True),
        _code("appointment", "Lege- eller tannlegetime (gyldig fravær)", valid=True),
        _code("leave", "Innvilget permisjon (gyldig fravær)", valid=True),
        _code("other", "Annen meldt grunn (gyldig fravær)", valid=True),
        _code("invalid", "Ugyldig fravær", valid=False),
        _code("late", "Forsentkomming", valid=False, late=True),
    ),
    Country.DK: (
        _code("illness", "Sygdom (lovligt fravær)", valid=True),
        _code("appointment", "Læge- eller tandlægebesøg (lovligt fravær)", valid=True),
        _code("leave", "Ekstraordinær frihed (lovligt fravær)", valid=True),
        _code("other", "Anden grund (ulovligt fravær)", valid=False),
        _code("invalid", "Ulovligt fravær", valid=False),
        _code("late", "Kom for sent", valid=False, late=True),
    ),
}


def default_absence_codes(school: School) -> list[AbsenceCode]:
    """The country's default codes, as rows of this school."""
    return [
        dataclasses.replace(template, school_key=school.key)
        for template in DEFAULT_ABSENCE_CODES[school.country]
    ]


# --- The school file -------------------------------------------------------------------------


async def apply_school(
    uow: UnitOfWork, spec: SchoolSpec, *, progress: Progress = no_progress
) -> ChangeSummary:
    """Create or update the school, its classes and staff as the school file says. Commits.

    Takes an open unit of work. Seeds the country's default absence codes when the school has
    none yet, so that a school's own codes are never overwritten. Reads what is stored with a
    few queries, decides in memory, and writes what changed in bulk.
    """
    _raise_if_any(_spec_problems(spec))
    _raise_if_any(await _slack_ids_taken_elsewhere(uow, spec))
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
    if _record(summary, f"school {school.key}", stored, school):
        await uow.schools.save(school)


async def _apply_classes(
    uow: UnitOfWork, spec: SchoolSpec, summary: ChangeSummary, progress: Progress
) -> None:
    key = spec.school.key
    stored = {c.name: c for c in await uow.classes.list_for(key)}
    wanted = [SchoolClass(key, name) for name in spec.classes]
    changed = [c for c in wanted if _record(summary, f"class {c.name}", stored.get(c.name), c)]
    await _write(uow.classes.save_many, changed, "classes", progress)
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
        if _record(summary, f"staff {member.staff_id}", found, wanted):
            changed.append(wanted)
    await _write(uow.staff.save_many, changed, "staff", progress)
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


# --- The roster ------------------------------------------------------------------------------


async def import_roster(
    uow: UnitOfWork,
    school_key: str,
    rows: list[RosterRow],
    *,
    progress: Progress = no_progress,
) -> ChangeSummary:
    """Create or update the school's pupils and guardians as the roster says. Commits.

    Takes an open unit of work. All or nothing: every check runs before the first write, and any
    problem raises `InvalidInput` with all of them. A guardian's links to pupils become exactly
    the pupils the roster lists with that guardian. Reads the school's pupils and guardians with
    a few queries, decides in memory, and writes what changed in bulk.
    """
    if await uow.schools.get(school_key) is None:
        raise InvalidInput(
            [Problem(f"there is no school {school_key!r}; apply its school file first")]
        )
    class_names = {c.name for c in await uow.classes.list_for(school_key)}
    _raise_if_any(_empty_roster_problems(rows) or roster_problems(rows, class_names))
    summary = ChangeSummary()
    await _apply_pupils(uow, school_key, rows, summary, progress)
    await _apply_guardians(uow, school_key, rows, summary, progress)
    await uow.commit()
    return summary


def roster_problems(
    rows: Sequence[RosterRow], class_names: Iterable[str] | None = None
) -> list[Problem]:
    """Rows that contradict each other, and, given the school's classes, rows with other classes.

    The file parser runs this too, so the operator sees these problems before applying.
    """
    problems = [
        *_pupil_conflicts(rows),
        *_guardian_conflicts(rows),
        *_repeated_pairs(rows),
    ]
    if class_names is not None:
        problems.extend(_unknown_classes(rows, set(class_names)))
    return sorted(problems, key=lambda p: p.line or 0)


def _empty_roster_problems(rows: Sequence[RosterRow]) -> list[Problem]:
    # An empty roster would report every pupil as not listed, which is never what was meant.
    return [] if rows else [Problem("the roster lists no pupils")]


def _pupil_conflicts(rows: Sequence[RosterRow]) -> list[Problem]:
    fields = {"pupil_name": "name", "class_name": "class"}
    return _conflicts(rows, "pupil", "pupil_id", fields, blank_is_unsaid=False)


def _guardian_conflicts(rows: Sequence[RosterRow]) -> list[Problem]:
    fields = {
        "guardian_name": "name",
        "guardian_language": "language",
        "guardian_phone": "phone",
        "guardian_email": "email",
    }
    # Phone and email may be given on just one of a guardian's lines.
    return _conflicts(rows, "guardian", "guardian_id", fields, blank_is_unsaid=True)


def _conflicts(
    rows: Sequence[RosterRow],
    kind: str,
    id_field: str,
    fields: dict[str, str],
    *,
    blank_is_unsaid: bool,
) -> list[Problem]:
    """Lines that say something else about a person than an earlier line did."""
    identify, values_of = attrgetter(id_field), attrgetter(*fields)
    labels = list(fields.values())
    # Per person: what their lines said first (blank: not yet, if blank is unsaid), and where.
    known: dict[str, tuple[tuple[object, ...], list[int]]] = {}
    problems = []
    for row in rows:
        ident, now = identify(row), values_of(row)
        entry = known.get(ident)
        if entry is None:
            known[ident] = (now, [row.line] * len(now))
            continue
        before, lines = entry
        if now == before:
            continue  # the usual case, checked at once: a roster has 100,000 lines
        said = list(before)
        for index, (then, value) in enumerate(zip(before, now, strict=True)):
            if blank_is_unsaid and not value:
                continue
            if blank_is_unsaid and not then:
                said[index], lines[index] = value, row.line
            elif then != value:
                problems.append(
                    Problem(
                        f"{kind} {ident} has {labels[index]} {str(value)!r} here"
                        f" but {str(then)!r} on line {lines[index]}",
                        row.line,
                    )
                )
        known[ident] = (tuple(said), lines)
    return problems


def _repeated_pairs(rows: Sequence[RosterRow]) -> list[Problem]:
    first: dict[tuple[str, str], int] = {}
    problems = []
    for row in rows:
        pair = (row.pupil_id, row.guardian_id)
        if pair in first:
            problems.append(
                Problem(
                    f"pupil {row.pupil_id} with guardian {row.guardian_id} is already listed"
                    f" on line {first[pair]}",
                    row.line,
                )
            )
        first.setdefault(pair, row.line)
    return problems


def _unknown_classes(rows: Sequence[RosterRow], class_names: set[str]) -> list[Problem]:
    by_folded = {name.casefold(): name for name in class_names}
    known = ", ".join(sorted(class_names)) or "none"
    problems = []
    for row in rows:
        if row.class_name in class_names:
            continue
        hint = by_folded.get(row.class_name.casefold())
        advice = f"did you mean {hint!r}?" if hint else f"the school's classes are: {known}"
        problems.append(
            Problem(f"class {row.class_name!r} is not a class of the school; {advice}", row.line)
        )
    return problems


async def _apply_pupils(
    uow: UnitOfWork,
    school_key: str,
    rows: Sequence[RosterRow],
    summary: ChangeSummary,
    progress: Progress,
) -> None:
    stored = {p.pupil_id: p for p in await uow.pupils.list_for_school(school_key)}
    listed: dict[str, Pupil] = {}
    for row in rows:
        listed.setdefault(
            row.pupil_id, Pupil(school_key, row.pupil_id, row.pupil_name, row.class_name)
        )
    changed = [
        pupil
        for pupil in listed.values()
        if _record(summary, f"pupil {pupil.pupil_id}", stored.get(pupil.pupil_id), pupil)
    ]
    await _write(uow.pupils.save_many, changed, "pupils", progress)
    # Pupils already marked as left are not news; only active ones are worth a look.
    summary.not_listed.extend(
        f"pupil {p.pupil_id} ({p.name}, {p.class_name})"
        for p in stored.values()
        if p.pupil_id not in listed and p.active
    )


async def _apply_guardians(
    uow: UnitOfWork,
    school_key: str,
    rows: Sequence[RosterRow],
    summary: ChangeSummary,
    progress: Progress,
) -> None:
    stored = {g.guardian_id: g for g in await uow.guardians.list_for_school(school_key)}
    listed = _guardians_from_rows(school_key, rows)
    new, changed = [], []
    for guardian in listed.values():
        found = stored.get(guardian.guardian_id)
        guardian = guardian.keeping_preferences_of(found)
        if _record(summary, f"guardian {guardian.guardian_id}", found, guardian):
            (changed if found else new).append(guardian)
    # New ones need no look at links already stored: there are none.
    await _write(uow.guardians.add_many, new, "new guardians", progress)
    await _write(uow.guardians.save_many, changed, "changed guardians", progress)
    summary.not_listed.extend(
        f"guardian {g.guardian_id} ({g.name})"
        for g in stored.values()
        if g.guardian_id not in listed
    )


def _guardians_from_rows(school_key: str, rows: Sequence[RosterRow]) -> dict[str, Guardian]:
    # The checks made sure a guardian's lines agree; phone and email may be on any one of them.
    pupils: dict[str, set[str]] = {}
    first: dict[str, RosterRow] = {}
    phones: dict[str, str] = {}
    emails: dict[str, str] = {}
    for row in rows:
        pupils.setdefault(row.guardian_id, set()).add(row.pupil_id)
        first.setdefault(row.guardian_id, row)
        if row.guardian_phone:
            phones[row.guardian_id] = row.guardian_phone
        if row.guardian_email:
            emails[row.guardian_id] = row.guardian_email
    return {
        gid: Guardian(
            school_key=school_key,
            guardian_id=gid,
            name=row.guardian_name,
            language=row.guardian_language,
            phone=phones.get(gid, ""),
            email=emails.get(gid, ""),
            pupil_ids=tuple(sorted(pupils[gid])),
        )
        for gid, row in first.items()
    }


# --- Shared ----------------------------------------------------------------------------------


def _record(summary: ChangeSummary, label: str, stored: object | None, wanted: object) -> bool:
    """Count the change in the summary; True when `wanted` must be saved."""
    if stored is None:
        summary.created.append(label)
        return True
    if stored != wanted:
        summary.updated.append(label)
        return True
    summary.unchanged += 1
    return False


async def _write(
    save_many: Callable[[Sequence[T]], Awaitable[None]],
    items: Sequence[T],
    what: str,
    progress: Progress,
) -> None:
    """Hand the items to the repository a batch at a time, telling progress after each."""
    for start in range(0, len(items), WRITE_BATCH):
        batch = items[start : start + WRITE_BATCH]
        await save_many(batch)
        progress(what, start + len(batch), len(items))


def _raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems)
