"""One contract for every repository, run on the fakes, SQLite and PostgreSQL.

Whatever passes here on the fakes behaves the same on the real databases, so tests elsewhere may
use the fakes with confidence. Every write is committed in one unit of work and read back in
another, so the databases are really asked, not the session's cache.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    CaseRules,
    ChatAccount,
    Conversation,
    DayPart,
    Guardian,
    InviteCode,
    Language,
    MarkKind,
    PrivacySettings,
    Pupil,
    ReasonCategory,
    ReportingRules,
    ReportStatus,
    Role,
    School,
    SchoolCalendar,
    SchoolClass,
    StaffMember,
)
from routine.ports import ConversationMoved, UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.support import (
    EKBACKA,
    FJELL,
    GUARDIANS,
    committed,
    read,
    save_schools_and_people,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    # Overrides the conftest's backend: the fakes take the same contract as the databases.
    return request.param


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The unit-of-work factory, on a store that already holds two schools and their people."""
    await committed(uow_factory, save_schools_and_people)
    return uow_factory


# Schools


async def test_a_school_reads_back_as_saved(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.schools.get(EKBACKA.key)) == EKBACKA


async def test_an_unknown_school_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.schools.get("nowhere")) is None


async def test_saving_a_school_again_updates_it(store: UnitOfWorkFactory) -> None:
    changed = dataclasses.replace(
        EKBACKA,
        name="Nya Ekbackaskolan",
        times=dataclasses.replace(EKBACKA.times, report_cutoff=time(7, 30)),
        calendar=SchoolCalendar(days_off=(date(2026, 1, 5),)),
        privacy=PrivacySettings(),
        reporting=ReportingRules(max_span_days=10, latest_time=time(17, 30)),
        cases=CaseRules(remind_ahead_days=1, overdue_after_days=4, nothing_new_days=8),
    )
    await committed(store, lambda u: u.schools.save(changed))

    assert await read(store, lambda u: u.schools.get(EKBACKA.key)) == changed
    assert await read(store, lambda u: u.schools.list()) == [FJELL, changed]


async def test_schools_are_listed_by_key(store: UnitOfWorkFactory) -> None:
    first = School("a-school", "A", FJELL.country, FJELL.timezone, FJELL.language)
    await committed(store, lambda u: u.schools.save(first))

    assert await read(store, lambda u: u.schools.list()) == [first, FJELL, EKBACKA]


# Classes


async def test_classes_are_listed_per_school_by_name(store: UnitOfWorkFactory) -> None:
    async def save_classes(u):
        for school_key, name in [(EKBACKA.key, "7B"), (EKBACKA.key, "7A"), (FJELL.key, "8A")]:
            await u.classes.save(SchoolClass(school_key, name))

    await committed(store, save_classes)

    assert await read(store, lambda u: u.classes.list_for(EKBACKA.key)) == [
        SchoolClass(EKBACKA.key, "7A"),
        SchoolClass(EKBACKA.key, "7B"),
    ]


async def test_saving_a_class_twice_keeps_one(store: UnitOfWorkFactory) -> None:
    seven_a = SchoolClass(EKBACKA.key, "7A")
    await committed(store, lambda u: u.classes.save(seven_a))
    await committed(store, lambda u: u.classes.save(seven_a))

    assert await read(store, lambda u: u.classes.list_for(EKBACKA.key)) == [seven_a]


# Pupils


async def test_a_pupil_reads_back_as_saved(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.pupils.get(EKBACKA.key, "p1")) == Pupil(
        EKBACKA.key, "p1", "Åsa Lind", "7A"
    )
    assert await read(store, lambda u: u.pupils.get(FJELL.key, "p1")) == Pupil(
        FJELL.key, "p1", "Ola Nordmann", "8A"
    )


async def test_an_unknown_pupil_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.pupils.get(EKBACKA.key, "p404")) is None
    assert await read(store, lambda u: u.pupils.get(FJELL.key, "p2")) is None


async def test_saving_a_pupil_again_updates_it(store: UnitOfWorkFactory) -> None:
    moved = Pupil(EKBACKA.key, "p1", "Åsa Lind", "8C", active=False)
    await committed(store, lambda u: u.pupils.save(moved))

    assert await read(store, lambda u: u.pupils.get(EKBACKA.key, "p1")) == moved


async def test_pupils_are_listed_by_class_name_and_id_in_code_point_order(
    store: UnitOfWorkFactory,
) -> None:
    async def save_more(u):
        await u.pupils.save(Pupil(EKBACKA.key, "p5", "Ärla Sund", "7A"))
        await u.pupils.save(Pupil(EKBACKA.key, "p4", "Zlatan Berg", "7A"))

    await committed(store, save_more)

    listed = await read(store, lambda u: u.pupils.list_for_school(EKBACKA.key))
    assert [(p.class_name, p.name, p.pupil_id) for p in listed] == [
        ("7A", "Zlatan Berg", "p2"),
        ("7A", "Zlatan Berg", "p4"),
        ("7A", "Ärla Sund", "p5"),
        ("7A", "Åsa Lind", "p1"),
        ("7B", "Örjan Ek", "p3"),
    ]


async def test_pupils_are_listed_for_some_classes(store: UnitOfWorkFactory) -> None:
    listed = await read(store, lambda u: u.pupils.list_for_classes(EKBACKA.key, ["7B", "9Z"]))

    assert listed == [Pupil(EKBACKA.key, "p3", "Örjan Ek", "7B")]
    assert await read(store, lambda u: u.pupils.list_for_classes(EKBACKA.key, [])) == []


# Guardians


async def test_a_guardian_reads_back_with_linked_pupils_sorted(store: UnitOfWorkFactory) -> None:
    guardian = Guardian(
        EKBACKA.key, "g3", "Eva Berg", Language.DA, "+46 70 123", "eva@example.se", ("p2", "p1")
    )
    await committed(store, lambda u: u.guardians.save(guardian))

    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g3")) == dataclasses.replace(
        guardian, pupil_ids=("p1", "p2")
    )


async def test_an_unknown_guardian_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g404")) is None


async def test_saving_a_guardian_again_replaces_the_linked_pupils(
    store: UnitOfWorkFactory,
) -> None:
    relinked = dataclasses.replace(GUARDIANS[0], name="Karin Lind-Ek", pupil_ids=("p3", "p2"))
    await committed(store, lambda u: u.guardians.save(relinked))

    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g1")) == dataclasses.replace(
        relinked, pupil_ids=("p2", "p3")
    )


async def test_a_guardian_may_have_no_linked_pupils(store: UnitOfWorkFactory) -> None:
    unlinked = dataclasses.replace(GUARDIANS[0], pupil_ids=())
    await committed(store, lambda u: u.guardians.save(unlinked))

    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g1")) == unlinked


async def test_guardians_are_listed_per_school_by_id(store: UnitOfWorkFactory) -> None:
    listed = await read(store, lambda u: u.guardians.list_for_school(EKBACKA.key))

    assert listed == [GUARDIANS[0], GUARDIANS[1]]


# Staff

MENTOR = StaffMember(
    EKBACKA.key,
    "s2",
    "Lena Mentor",
    frozenset({Role.MENTOR, Role.COORDINATOR}),
    classes=("7B", "7A"),
    language=Language.SV,
    slack_user_id="U0LENA",
)
PRINCIPAL = StaffMember(EKBACKA.key, "s1", "Rektor Rask", frozenset({Role.PRINCIPAL}))


async def save_staff(store: UnitOfWorkFactory, *members: StaffMember) -> None:
    async def save(u):
        for member in members:
            await u.staff.save(member)

    await committed(store, save)


async def test_a_staff_member_reads_back_as_saved(store: UnitOfWorkFactory) -> None:
    await save_staff(store, MENTOR, PRINCIPAL)

    assert await read(store, lambda u: u.staff.get(EKBACKA.key, "s2")) == MENTOR
    assert await read(store, lambda u: u.staff.get(EKBACKA.key, "s1")) == PRINCIPAL
    assert await read(store, lambda u: u.staff.get(FJELL.key, "s1")) is None


async def test_saving_staff_again_updates_roles_and_class_order(store: UnitOfWorkFactory) -> None:
    await save_staff(store, MENTOR)
    changed = dataclasses.replace(
        MENTOR, roles=frozenset({Role.MENTOR, Role.PUPIL_HEALTH}), classes=("7A", "9C", "7B")
    )
    await save_staff(store, changed)

    assert await read(store, lambda u: u.staff.get(EKBACKA.key, "s2")) == changed


async def test_staff_are_listed_per_school_by_id(store: UnitOfWorkFactory) -> None:
    elsewhere = StaffMember(FJELL.key, "s0", "Kari Lærer", frozenset({Role.MENTOR}))
    await save_staff(store, MENTOR, PRINCIPAL, elsewhere)

    assert await read(store, lambda u: u.staff.list_for_school(EKBACKA.key)) == [PRINCIPAL, MENTOR]


async def test_staff_are_found_by_slack_user(store: UnitOfWorkFactory) -> None:
    await save_staff(store, MENTOR, PRINCIPAL)

    assert await read(store, lambda u: u.staff.find_by_slack_user("U0LENA")) == MENTOR
    assert await read(store, lambda u: u.staff.find_by_slack_user("U0NOBODY")) is None


# Absence reports


def report(
    pupil_id: str = "p1", first_day: int = 10, last_day: int = 10, **changes: object
) -> AbsenceReport:
    """A report at Ekbackaskolan; days are days of November 2025."""
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "guardian_id": "g1",
        "reason": ReasonCategory.ILLNESS,
        "first_day": date(2025, 11, first_day),
        "last_day": date(2025, 11, last_day),
    } | changes
    return AbsenceReport(**values)


async def add_reports(store: UnitOfWorkFactory, *reports: AbsenceReport) -> list[AbsenceReport]:
    async def add(u):
        return [await u.reports.add(r) for r in reports]

    return await committed(store, add)


async def test_an_added_report_gets_an_id_and_reads_back_as_added(
    store: UnitOfWorkFactory,
) -> None:
    late = report(
        reason=ReasonCategory.APPOINTMENT,
        part=DayPart.ARRIVING_LATE,
        at_time=time(10, 30),
        note="Tandläkare",
        reported_at=datetime(2025, 11, 10, 7, 12, 5, tzinfo=STOCKHOLM),
    )
    [added, other] = await add_reports(store, late, report())

    assert added == dataclasses.replace(late, id=added.id)
    assert added.id is not None
    assert other.id not in (None, added.id)
    assert await read(store, lambda u: u.reports.get(added.id)) == added


async def test_report_times_come_back_as_the_same_instant(store: UnitOfWorkFactory) -> None:
    reported_at = datetime(2025, 3, 30, 1, 59, 59, 123456, tzinfo=STOCKHOLM)
    [added] = await add_reports(store, report(reported_at=reported_at))

    stored = await read(store, lambda u: u.reports.get(added.id))

    assert stored.reported_at == reported_at
    assert stored.reported_at.utcoffset() is not None


async def test_an_unknown_report_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.reports.get(999)) is None


async def test_an_updated_report_reads_back_updated(store: UnitOfWorkFactory) -> None:
    [added] = await add_reports(store, report())
    withdrawn = dataclasses.replace(
        added, last_day=date(2025, 11, 12), status=ReportStatus.WITHDRAWN
    )
    await committed(store, lambda u: u.reports.update(withdrawn))

    assert await read(store, lambda u: u.reports.get(added.id)) == withdrawn


async def test_updating_an_unknown_report_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.reports.update(report(id=999)))


async def test_reports_covering_a_day_are_active_for_those_pupils(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_reports(
        store,
        report("p1", 10, 12),  # covers, ends after
        report("p2", 11, 11),  # covers, that day only
        report("p1", 11, 14, status=ReportStatus.WITHDRAWN),
        report("p3", 11, 11),  # pupil not asked about
        report("p1", 3, 10),  # over before
        report("p2", 12, 13),  # not yet
        report("p1", 11, 11, school_key=FJELL.key),  # the other school's p1
    )

    covering = await read(
        store, lambda u: u.reports.list_covering(EKBACKA.key, ["p1", "p2"], date(2025, 11, 11))
    )

    assert covering == [added[0], added[1]]


async def test_reports_cover_their_first_and_last_day(store: UnitOfWorkFactory) -> None:
    [added] = await add_reports(store, report("p1", 10, 12))

    def covering(day: int):
        return read(
            store, lambda u: u.reports.list_covering(EKBACKA.key, ["p1"], date(2025, 11, day))
        )

    assert await covering(10) == [added]
    assert await covering(12) == [added]
    assert await covering(13) == []
    assert (
        await read(store, lambda u: u.reports.list_covering(EKBACKA.key, [], date(2025, 11, 10)))
        == []
    )


async def test_current_reports_end_on_or_after_the_day_ordered_by_first_day(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_reports(
        store,
        report("p1", 20, 21),
        report("p2", 5, 10),  # ends on the day
        report("p1", 12, 12),
        report("p2", 9, 9),  # over
        report("p1", 11, 30, status=ReportStatus.WITHDRAWN),
        report("p3", 10, 10),  # pupil not asked about
        report("p1", 15, 15, school_key=FJELL.key),
        report("p2", 12, 14),  # same first day as an earlier report: then by id
    )

    current = await read(
        store,
        lambda u: u.reports.list_current_for_pupils(EKBACKA.key, ["p1", "p2"], date(2025, 11, 10)),
    )

    assert current == [added[1], added[2], added[7], added[0]]


async def test_reports_that_ended_before_a_day_are_deleted_whatever_their_status(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_reports(
        store,
        report("p1", 3, 9),
        report("p2", 5, 9, status=ReportStatus.WITHDRAWN),
        report("p1", 9, 10),  # ends on the day: kept
        report("p3", 20, 21),
        report("p1", 3, 9, school_key=FJELL.key),  # the other school's: kept
    )

    deleted = await committed(
        store, lambda u: u.reports.delete_ended_before(EKBACKA.key, date(2025, 11, 10))
    )

    async def stored(u):
        return [await u.reports.get(r.id) for r in added]

    assert deleted == 2
    assert await read(store, stored) == [None, None, added[2], added[3], added[4]]


# Attendance marks


async def test_marks_of_a_day_are_listed_in_the_order_added(store: UnitOfWorkFactory) -> None:
    marks = [
        AttendanceMark(EKBACKA.key, "p2", date(2025, 11, 10), MarkKind.ABSENT, marked_by="s2"),
        AttendanceMark(
            EKBACKA.key,
            "p1",
            date(2025, 11, 10),
            MarkKind.LATE,
            lesson="Matematik",
            explained=True,
            valid=False,
            code="S",
            marked_by="s2",
            minutes=15,
        ),
        AttendanceMark(EKBACKA.key, "p1", date(2025, 11, 11), MarkKind.LEFT_EARLY),
        AttendanceMark(FJELL.key, "p1", date(2025, 11, 10), MarkKind.ABSENT, valid=True),
    ]

    async def add(u):
        return [await u.marks.add(m) for m in marks]

    added = await committed(store, add)

    assert [dataclasses.replace(m, id=None) for m in added] == marks
    assert len({m.id for m in added} - {None}) == 4
    assert (
        await read(store, lambda u: u.marks.list_for_day(EKBACKA.key, date(2025, 11, 10)))
        == added[:2]
    )


def mark(pupil_id: str, day: int, **changes: object) -> AttendanceMark:
    """An absence at Ekbackaskolan; days are days of November 2025."""
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "day": date(2025, 11, day),
        "kind": MarkKind.ABSENT,
    } | changes
    return AttendanceMark(**values)


async def add_marks(store: UnitOfWorkFactory, *marks: AttendanceMark) -> list[AttendanceMark]:
    async def add(u):
        return [await u.marks.add(m) for m in marks]

    return await committed(store, add)


async def test_an_updated_mark_reads_back_updated_in_its_place(store: UnitOfWorkFactory) -> None:
    added = await add_marks(store, mark("p1", 10), mark("p2", 10), mark("p3", 10))
    explained = dataclasses.replace(added[1], explained=True, valid=True, code="S")

    await committed(store, lambda u: u.marks.update(explained))

    assert await read(store, lambda u: u.marks.list_for_day(EKBACKA.key, date(2025, 11, 10))) == [
        added[0],
        explained,
        added[2],
    ]


async def test_updating_an_unknown_mark_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.marks.update(mark("p1", 10, id=999)))


async def test_marks_from_before_a_day_are_deleted(store: UnitOfWorkFactory) -> None:
    added = await add_marks(
        store,
        mark("p1", 8),
        mark("p2", 9, kind=MarkKind.LATE, minutes=5),
        mark("p1", 10),  # on the day: kept
        mark("p1", 9, school_key=FJELL.key),  # the other school's: kept
    )

    deleted = await committed(
        store, lambda u: u.marks.delete_before(EKBACKA.key, date(2025, 11, 10))
    )

    async def remaining(u):
        return [
            *await u.marks.list_for_day(EKBACKA.key, date(2025, 11, 8)),
            *await u.marks.list_for_day(EKBACKA.key, date(2025, 11, 9)),
            *await u.marks.list_for_day(EKBACKA.key, date(2025, 11, 10)),
            *await u.marks.list_for_day(FJELL.key, date(2025, 11, 9)),
        ]

    assert deleted == 2
    assert await read(store, remaining) == [added[2], added[3]]


# Absence codes


async def test_codes_are_listed_per_school_by_code_and_updated_by_saving(
    store: UnitOfWorkFactory,
) -> None:
    sick = AbsenceCode(EKBACKA.key, "S", "Sjuk", valid=True)
    late = AbsenceCode(EKBACKA.key, "F", "Försenad", counts_as_absence=False, late=True)
    elsewhere = AbsenceCode(FJELL.key, "A", "Annet")

    async def save(u):
        for code in (sick, late, elsewhere):
            await u.codes.save(code)

    await committed(store, save)
    relabelled = dataclasses.replace(sick, label="Sjukdom")
    await committed(store, lambda u: u.codes.save(relabelled))

    assert await read(store, lambda u: u.codes.list_for(EKBACKA.key)) == [late, relabelled]


# Chat accounts


async def test_a_chat_account_is_saved_updated_and_deleted(store: UnitOfWorkFactory) -> None:
    account = ChatAccount("telegram", "4711", EKBACKA.key, "guardian", "g1")
    await committed(store, lambda u: u.accounts.save(account))
    assert await read(store, lambda u: u.accounts.get("telegram", "4711")) == account
    assert await read(store, lambda u: u.accounts.get("slack", "4711")) is None

    moved = ChatAccount("telegram", "4711", FJELL.key, "guardian", "g1", reachable=False)
    await committed(store, lambda u: u.accounts.save(moved))
    assert await read(store, lambda u: u.accounts.get("telegram", "4711")) == moved

    await committed(store, lambda u: u.accounts.delete("telegram", "4711"))
    assert await read(store, lambda u: u.accounts.get("telegram", "4711")) is None


async def test_a_persons_chat_accounts_are_listed_by_platform_and_id(
    store: UnitOfWorkFactory,
) -> None:
    accounts = [
        ChatAccount("telegram", "4711", EKBACKA.key, "guardian", "g1"),
        ChatAccount("slack", "U0KARIN", EKBACKA.key, "guardian", "g1"),
        ChatAccount("telegram", "1234", EKBACKA.key, "guardian", "g1"),
        ChatAccount("telegram", "999", EKBACKA.key, "guardian", "g2"),  # another guardian
        ChatAccount("telegram", "888", EKBACKA.key, "staff", "g1"),  # staff with the same id
        ChatAccount("telegram", "777", FJELL.key, "guardian", "g1"),  # the other school's g1
    ]

    async def save(u):
        for account in accounts:
            await u.accounts.save(account)

    await committed(store, save)

    listed = await read(store, lambda u: u.accounts.list_for_person(EKBACKA.key, "guardian", "g1"))

    assert listed == [accounts[1], accounts[2], accounts[0]]
    assert await read(store, lambda u: u.accounts.list_for_person(FJELL.key, "staff", "s9")) == []


async def test_deleting_an_unknown_chat_account_does_nothing(store: UnitOfWorkFactory) -> None:
    await committed(store, lambda u: u.accounts.delete("telegram", "nobody"))

    assert await read(store, lambda u: u.accounts.get("telegram", "nobody")) is None


# Invite codes

NOW = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)


def invite(code_hash: str, guardian_id: str = "g1", **changes: object) -> InviteCode:
    values: dict = {
        "school_key": EKBACKA.key,
        "guardian_id": guardian_id,
        "code_hash": code_hash,
        "expires_at": NOW + timedelta(days=7),
    } | changes
    return InviteCode(**values)


async def add_invites(store: UnitOfWorkFactory, *invites: InviteCode) -> list[InviteCode]:
    async def add(u):
        return [await u.invites.add(i) for i in invites]

    return await committed(store, add)


async def test_an_invite_is_found_by_its_hash(store: UnitOfWorkFactory) -> None:
    expires_at = datetime(2025, 11, 17, 23, 59, tzinfo=STOCKHOLM)
    [added] = await add_invites(store, invite("hash-1", expires_at=expires_at))

    assert added == dataclasses.replace(invite("hash-1", expires_at=expires_at), id=added.id)
    assert await read(store, lambda u: u.invites.find_by_hash("hash-1")) == added
    assert await read(store, lambda u: u.invites.find_by_hash("hash-2")) is None


async def test_a_used_invite_remembers_when(store: UnitOfWorkFactory) -> None:
    [added] = await add_invites(store, invite("hash-1"))
    await committed(store, lambda u: u.invites.mark_used(added.id, NOW))

    used = await read(store, lambda u: u.invites.find_by_hash("hash-1"))

    assert used == dataclasses.replace(added, used_at=NOW)
    assert not used.usable(NOW)


async def test_an_invite_is_marked_used_once_and_an_unknown_one_never(
    store: UnitOfWorkFactory,
) -> None:
    [added] = await add_invites(store, invite("hash-1"))
    assert await committed(store, lambda u: u.invites.mark_used(added.id, NOW)) is True
    later = NOW + timedelta(minutes=1)
    assert await committed(store, lambda u: u.invites.mark_used(added.id, later)) is False
    assert (await read(store, lambda u: u.invites.find_by_hash("hash-1"))).used_at == NOW
    assert await committed(store, lambda u: u.invites.mark_used(999, NOW)) is False


async def test_revoking_expires_only_the_guardians_usable_invites(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_invites(
        store,
        invite("usable"),
        invite("used", used_at=NOW - timedelta(hours=1)),
        invite("expired", expires_at=NOW - timedelta(days=1)),
        invite("also usable"),
        invite("someone else's", guardian_id="g2"),
        invite("other school's", school_key=FJELL.key),
    )

    revoked = await committed(store, lambda u: u.invites.revoke_unused(EKBACKA.key, "g1", NOW))

    async def stored(u):
        return [await u.invites.find_by_hash(i.code_hash) for i in added]

    assert revoked == 2
    assert await read(store, stored) == [
        dataclasses.replace(added[0], expires_at=NOW),
        added[1],
        added[2],
        dataclasses.replace(added[3], expires_at=NOW),
        added[4],
        added[5],
    ]


# Conversations


async def test_a_conversation_reads_back_with_nested_data(store: UnitOfWorkFactory) -> None:
    conversation = Conversation(
        key="telegram:4711",
        flow="report_absence",
        state="ask_reason",
        data={
            "pupil_ids": ["p1", "p2"],
            "draft": {"first_day": "2025-11-10", "part": {"kind": "late", "at": None}},
            "attempts": 2,
            "confirmed": False,
            "note": "Åsa är förkyld 🤒",
        },
    )
    await committed(store, lambda u: u.conversations.save(conversation))

    assert await read(store, lambda u: u.conversations.get("telegram:4711")) == conversation


async def test_a_conversation_is_updated_and_deleted(store: UnitOfWorkFactory) -> None:
    await committed(
        store, lambda u: u.conversations.save(Conversation("k", "flow", "one", {"a": 1}))
    )
    finished = Conversation("k", version=1)
    await committed(store, lambda u: u.conversations.save(finished))
    assert await read(store, lambda u: u.conversations.get("k")) == Conversation("k", version=2)

    await committed(store, lambda u: u.conversations.delete("k"))
    assert await read(store, lambda u: u.conversations.get("k")) is None
    await committed(store, lambda u: u.conversations.delete("k"))


async def test_a_conversation_is_saved_only_if_nobody_saved_it_since_it_was_read(
    store: UnitOfWorkFactory,
) -> None:
    await committed(store, lambda u: u.conversations.save(Conversation("k", "f", "one")))
    first = await read(store, lambda u: u.conversations.get("k"))
    second = await read(store, lambda u: u.conversations.get("k"))
    await committed(store, lambda u: u.conversations.save(dataclasses.replace(first, state="two")))
    with pytest.raises(ConversationMoved):
        await committed(
            store, lambda u: u.conversations.save(dataclasses.replace(second, state="three"))
        )
    with pytest.raises(ConversationMoved):
        await committed(store, lambda u: u.conversations.save(Conversation("k", "f", "new")))
    stored = await read(store, lambda u: u.conversations.get("k"))
    assert (stored.state, stored.version) == ("two", 2)


async def test_conversation_data_is_stored_as_json(store: UnitOfWorkFactory) -> None:
    await committed(
        store,
        lambda u: u.conversations.save(
            Conversation("k", data={"days": (1, 2), "by_id": {7: "x"}})
        ),
    )

    stored = await read(store, lambda u: u.conversations.get("k"))

    assert stored.data == {"days": [1, 2], "by_id": {"7": "x"}}


async def test_conversation_data_that_json_cannot_hold_is_refused(
    store: UnitOfWorkFactory,
) -> None:
    async def save(u):
        await u.conversations.save(Conversation("k", data={"day": date(2025, 11, 10)}))

    with pytest.raises(TypeError):
        await committed(store, save)


async def test_changing_read_data_changes_nothing_until_saved(store: UnitOfWorkFactory) -> None:
    async def read_and_change(u):
        conversation = await u.conversations.get("k")
        conversation.data["step"] = 2
        return await u.conversations.get("k")

    await committed(store, lambda u: u.conversations.save(Conversation("k", data={"step": 1})))

    assert await committed(store, read_and_change) == Conversation(
        "k", data={"step": 1}, version=1
    )


async def test_abandoned_conversations_are_forgotten(store: UnitOfWorkFactory) -> None:
    draft = Conversation("idle", "report_absence", "note", {"note": "has asthma"})
    await committed(store, lambda u: u.conversations.save(draft))
    await committed(store, lambda u: u.conversations.save(Conversation("empty")))
    now = datetime.now(UTC)
    assert (
        await committed(
            store, lambda u: u.conversations.clear_idle_before(now - timedelta(hours=1))
        )
        == 0
    )
    assert (
        await committed(
            store, lambda u: u.conversations.clear_idle_before(now + timedelta(minutes=1))
        )
        == 1
    )
    cleared = await read(store, lambda u: u.conversations.get("idle"))
    assert (cleared.flow, cleared.state, cleared.data) == (None, None, {})
    # A chat whose event was read before the clearing finds it moved, and starts afresh.
    with pytest.raises(ConversationMoved):
        await committed(
            store, lambda u: u.conversations.save(dataclasses.replace(draft, version=1))
        )
