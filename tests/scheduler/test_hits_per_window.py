"""A rule hit is stored once per rule, pupil and window start, and updated in place while it
holds: over several nights, on fakes and on both SQL backends. The same night twice writes
nothing; the next night updates the hit's window end and numbers (and stores only the days not
used before); a window that starts later is a new hit. Then the statements: an ordinary night's
writes are a few bulk statements, however many pupils hit."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import event, insert, select

from bench import nightly
from bench.morning import StatementCounter
from routine import evaluation
from routine.cases import close
from routine.evaluation import Evaluation, evaluate_thresholds
from routine.history import record_of
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    Country,
    DateSpan,
    Language,
    MarkKind,
    MarkSource,
    Pupil,
    ReasonCategory,
    School,
    SchoolCalendar,
    SchoolClass,
)
from routine.policy import DEFAULTS, rules_for
from routine.ports import UnitOfWorkFactory
from routine.record import Correction, DayStatus, school_days
from routine.roster import default_absence_codes
from routine.thresholds import counts_marked_days, evaluate, record_span
from scheduler.jobs import JOBS, JobContext
from storage.db import make_engine, make_session_factory
from storage.orm import PupilRow, RuleHitRow, SchoolRow
from storage.schema import alembic_config, upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.test_evaluate_thresholds import EVALUATED, mixed_school

AUTUMN = DateSpan(date(2026, 8, 17), date(2026, 12, 18), "autumn")
SPRING = DateSpan(date(2027, 1, 11), date(2027, 6, 11), "spring")
SCHOOL = School(
    "no",
    "Fjellet skole",
    Country.NO,
    "Europe/Oslo",
    Language.NB,
    calendar=SchoolCalendar(terms=(AUTUMN, SPRING)),
)
FIRST_NIGHT = date(2026, 11, 5)
NEXT_NIGHT = date(2026, 11, 6)
SPRING_NIGHT = date(2027, 1, 20)
NOW = datetime(2026, 11, 5, 16, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 6, 16, 0, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return NOW


async def set_up(factory: UnitOfWorkFactory) -> list[date]:
    """Registers of 9A every school day of both terms; Ola absent without leave on three days
    in a row in each term ("ugyldig fravær mer enn 1 gang", 002: 651, holds each term); Kari on
    one day before the first night and one on the next night, so that the rule holds for her
    from the next night on."""
    days = school_days(SCHOOL, AUTUMN.start, SPRING_NIGHT)
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        await uow.classes.save(SchoolClass(SCHOOL.key, "9A"))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        for pupil_id in ("OLA", "KARI", "PER"):
            await uow.pupils.save(Pupil(SCHOOL.key, pupil_id, pupil_id, "9A"))
        await uow.roll_calls.add_imported(SCHOOL.key, [("9A", d) for d in days], NOW)
        absent = [("OLA", d) for d in (days[10], days[11], days[12])]
        absent += [("OLA", d) for d in (days[-3], days[-2], days[-1])]
        absent += [("KARI", days[20]), ("KARI", NEXT_NIGHT)]
        await uow.marks.add_many(
            [
                AttendanceMark(
                    SCHOOL.key,
                    pupil,
                    day,
                    MarkKind.ABSENT,
                    valid=False,
                    code="invalid",
                    source=MarkSource.IMPORT,
                )
                for pupil, day in absent
            ]
        )
        await uow.commit()
    return days


async def night(factory: UnitOfWorkFactory, day: date, now: datetime = NOW) -> Evaluation:
    async with factory() as uow:
        found = await evaluate_thresholds(uow, SCHOOL, day, now)
        await uow.commit()
    return found


def held(found: Evaluation) -> list[tuple[str, str, date, date]]:
    return [(h.pupil_id, h.rule_id, h.window_start, h.window_end) for h in found.hits]


async def check_nights(factory: UnitOfWorkFactory) -> None:
    days = await set_up(factory)
    first = await night(factory, FIRST_NIGHT)
    again = await night(factory, FIRST_NIGHT)
    following = await night(factory, NEXT_NIGHT, LATER)
    spring = await night(factory, SPRING_NIGHT, LATER)
    async with factory() as uow:
        stored = await uow.rule_hits.list_between(SCHOOL.key, AUTUMN.start, SPRING_NIGHT)
        uses = await uow.record_uses.list_between(SCHOOL.key, AUTUMN.start, SPRING_NIGHT)
    rule = "no.invalid_repeated"
    # The first night: Ola's hit is new, with the three days it used.
    assert held(first) == [("OLA", rule, AUTUMN.start, FIRST_NIGHT)]
    [ola] = first.new_hits
    assert (ola.found_at, ola.numbers["count"], first.updated_hits, first.uses) == (NOW, 3, (), 3)
    # The same night again writes nothing.
    assert (held(again), again.new_hits, again.updated_hits, again.uses) == (
        held(first),
        (),
        (),
        0,
    )
    # The next night: Ola's hit is the same one, a day longer, and not written (it holds on
    # as it was: only its window's evaluated day moves); Kari's is new.
    assert held(following) == [
        ("KARI", rule, AUTUMN.start, NEXT_NIGHT),
        ("OLA", rule, AUTUMN.start, NEXT_NIGHT),
    ]
    [kari] = following.new_hits
    [longer] = following.continuing
    assert (kari.pupil_id, kari.found_at, kari.numbers["count"]) == ("KARI", LATER, 2)
    assert (longer.pupil_id, longer.window_end, longer.numbers["count"]) == ("OLA", NEXT_NIGHT, 3)
    assert longer.numbers["school_days"] == ola.numbers["school_days"] + 1
    assert (following.updated_hits, following.written) == ((), (kari,))
    assert following.since == {(rule, AUTUMN.start): FIRST_NIGHT}
    # Only Kari's two days are new uses: Ola's were used the night before.
    assert following.uses == 2
    # A new term is a new window: a new hit, and the autumn's stays as it last held.
    [spring_hit] = spring.new_hits
    assert (spring_hit.pupil_id, spring_hit.window_start) == ("OLA", SPRING.start)
    assert spring_hit.id not in {ola.id, kari.id}
    assert spring.updated_hits == ()
    # Read back, Ola's autumn hit ends on the autumn window's last evaluation, with its
    # school days then, and was found on the first night.
    assert sorted((h.pupil_id, h.window_start, h.window_end, h.id) for h in stored) == [
        ("KARI", AUTUMN.start, NEXT_NIGHT, kari.id),
        ("OLA", AUTUMN.start, NEXT_NIGHT, ola.id),
        ("OLA", SPRING.start, SPRING_NIGHT, spring_hit.id),
    ]
    autumn = {h.pupil_id: h for h in stored if h.window_start == AUTUMN.start}
    assert dict(autumn["OLA"].numbers) == dict(longer.numbers)
    assert autumn["OLA"].found_at == NOW
    assert sorted((u.pupil_id, u.day) for u in uses) == sorted(
        [("KARI", days[20]), ("KARI", NEXT_NIGHT)]
        + [("OLA", d) for d in (days[10], days[11], days[12], days[-3], days[-2], days[-1])]
    )
    # Retention goes by the end readers see: the autumn hits ended on the autumn window's
    # last evaluation (their own rows say the first night for Ola).
    async with factory() as uow:
        assert await uow.rule_hits.delete_before(SCHOOL.key, NEXT_NIGHT) == 0
        assert await uow.rule_hits.delete_before(SCHOOL.key, NEXT_NIGHT + timedelta(days=1)) == 2
        await uow.commit()
    async with factory() as uow:
        left = await uow.rule_hits.list_between(SCHOOL.key, AUTUMN.start, SPRING_NIGHT)
        autumn = await uow.rule_hits.held(SCHOOL.key, [(rule, AUTUMN.start)])
    assert [h.id for h in left] == [spring_hit.id]
    assert autumn == {}


async def test_a_hit_is_stored_once_per_window_on_fakes() -> None:
    await check_nights(FakeUnitOfWorkFactory())


async def test_a_hit_is_stored_once_per_window_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_nights(uow_factory)


async def check_stopping_and_holding_again(factory: UnitOfWorkFactory) -> None:
    """A hit that stops holding is written as it last held (its end and numbers that night);
    one that holds again over the same window is the same hit, updated and told again."""
    days = await set_up(factory)
    first = await night(factory, FIRST_NIGHT)
    [ola] = first.new_hits
    # Two of Ola's three days are corrected to present: the rule holds no more.
    async with factory() as uow:
        for day in days[10:12]:
            await uow.corrections.add(
                Correction(SCHOOL.key, "OLA", day, DayStatus.PRESENT, None, None, "x", "S1", LATER)
            )
        await uow.commit()
    stopped = await night(factory, NEXT_NIGHT, LATER)
    assert [h.pupil_id for h in stopped.hits] == ["KARI"]
    assert (stopped.updated_hits, stopped.continuing) == ((), ())
    async with factory() as uow:
        [was] = await uow.rule_hits.list_between(SCHOOL.key, FIRST_NIGHT, FIRST_NIGHT)
    assert (was.id, was.window_end, dict(was.numbers)) == (ola.id, FIRST_NIGHT, dict(ola.numbers))
    # Absent without leave on two more days: it holds again, over the same window.
    again_on = [d for d in days if d > NEXT_NIGHT][:2]
    async with factory() as uow:
        await uow.marks.add_many(
            [
                AttendanceMark(SCHOOL.key, "OLA", day, MarkKind.ABSENT, valid=False)
                for day in again_on
            ]
        )
        await uow.commit()
    again = await night(factory, again_on[-1], LATER)
    [back] = again.updated_hits
    assert (back.id, back.found_at, back.window_end, back.numbers["count"]) == (
        ola.id,
        NOW,
        again_on[-1],
        3,
    )
    assert back in again.written
    async with factory() as uow:
        stored = await uow.rule_hits.list_between(SCHOOL.key, again_on[-1], again_on[-1])
    assert sorted((h.pupil_id, h.id) for h in stored) == sorted(
        [("OLA", ola.id), ("KARI", stopped.new_hits[0].id)]
    )


async def test_a_hit_stops_and_holds_again_on_fakes() -> None:
    await check_stopping_and_holding_again(FakeUnitOfWorkFactory())


async def test_a_hit_stops_and_holds_again_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_stopping_and_holding_again(uow_factory)


async def check_the_case_log(factory: UnitOfWorkFactory) -> None:
    """The case opened on the first night logs the rule once: the hit that holds on the next
    night is not even told to it (the case was opened by the rule). The log keeps the numbers
    of the night it was written. A hit that holds on is told again where a case may need it:
    after its pupil's case was closed (weighed: no new case, as before), and to a case opened
    by another reason since (the rule's reason is logged on it)."""
    await set_up(factory)
    context = JobContext(factory, Clock())
    first = await JOBS["evaluate-thresholds"].run(context, SCHOOL.key, FIRST_NIGHT)
    following = await JOBS["evaluate-thresholds"].run(context, SCHOOL.key, NEXT_NIGHT)
    assert first.summary.endswith("cases: 1 opened, 0 logged on open cases, 0 unchanged")
    assert following.summary.endswith("cases: 1 opened, 0 logged on open cases, 0 unchanged")
    async with factory() as uow:
        cases = {c.pupil_id: c for c in await uow.cases.open_cases(SCHOOL.key)}
        log = (await uow.cases.events_of([cases["OLA"].id]))[cases["OLA"].id]
    [opened] = log
    assert opened.detail["window"] == [AUTUMN.start.isoformat(), FIRST_NIGHT.isoformat()]
    assert opened.detail["numbers"]["school_days"] == len(
        school_days(SCHOOL, AUTUMN.start, FIRST_NIGHT)
    )
    assert sorted(cases) == ["KARI", "OLA"]
    async with factory() as uow:
        opened = {c.pupil_id: c for c in await uow.cases.open_cases(SCHOOL.key)}
        for case in opened.values():
            await uow.cases.update(close(case, LATER))
        [by_hand] = await uow.cases.add_new(
            [replace(opened["KARI"], id=None, opened_at=LATER, opened_by="guardian_concern")]
        )
        await uow.commit()
    monday = NEXT_NIGHT + timedelta(days=3)
    third = await JOBS["evaluate-thresholds"].run(context, SCHOOL.key, monday)
    assert third.summary.endswith("cases: 0 opened, 1 logged on open cases, 1 unchanged")
    async with factory() as uow:
        [logged] = [e for e in (await uow.cases.events_of([by_hand.id]))[by_hand.id]]
    assert logged.detail["reason"] == "rule:no.invalid_repeated"


async def test_the_case_log_keeps_its_numbers_on_fakes() -> None:
    await check_the_case_log(FakeUnitOfWorkFactory())


async def test_the_case_log_keeps_its_numbers_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_the_case_log(uow_factory)


# Statements: the benchmark's Norwegian school (almost every other pupil hits "invalid absence
# more than once" in the term) at two sizes, three nights.


class Writes:
    """The INSERT and UPDATE statements sent, by the table they write."""

    def __init__(self, engine) -> None:
        self.seen: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection, _cursor, statement: str, *_args) -> None:
        words = statement.split()
        if "INSERT" in words[:1]:
            self.seen.append(f"insert {words[2]}")
        elif "UPDATE" in words:
            self.seen.append(f"update {words[words.index('UPDATE') + 1]}")

    def take(self) -> list[str]:
        found, self.seen = sorted(self.seen), []
        return found


async def nights_of(url: str, school_key: str, pupils: int) -> list[tuple[int, list[str], int]]:
    """Per night (the first, the same again, the next): statements, writes and hits."""
    engine = make_engine(url)
    try:
        await nightly.load(engine, nightly.bench_school(school_key, Country.NO), pupils)
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        counter, writes = StatementCounter(engine), Writes(engine)
        found = []
        for day in (nightly.DAY_BEFORE, nightly.DAY_BEFORE, nightly.DAY):
            counter.count, _ = 0, writes.take()
            async with factory() as uow:
                school = await uow.schools.get(school_key)
                assert school is not None
                result = await evaluate_thresholds(uow, school, day, nightly.NOW)
                await uow.commit()
            found.append((counter.count, writes.take(), result))
        return [(count, written, len(r.hits)) for count, written, r in found]
    finally:
        await engine.dispose()


async def test_an_ordinary_night_writes_a_few_bulk_statements(
    migrated_database_url: str,
) -> None:
    small = await nights_of(migrated_database_url, "small", 50)
    large = await nights_of(migrated_database_url, "large", 500)
    for (count, writes, hits), (count_l, writes_l, hits_l) in zip(small, large, strict=True):
        assert hits_l > 5 * hits > 0
        assert count == count_l < 40, (small, large)
        assert writes == writes_l
    (_, first, _), (_, again, _), (_, following, _) = large
    # A row a window (Norway's two rules that count marked days, over the term), the hits
    # and the days they used.
    assert first == [
        "insert record_uses",
        "insert rule_hits",
        "insert rule_windows",
        "insert rule_windows",
    ]
    # The same night again: nothing is written.
    assert again == []
    # The next night: each window is evaluated a day further (a row each); the hits that hold
    # on as they were (here all that held) are not written, the new ones are inserted in one
    # statement, and only the days not used before are stored as uses.
    assert following == [
        "insert record_uses",
        "insert rule_hits",
        "update rule_windows",
        "update rule_windows",
    ]


async def test_the_migration_keeps_one_hit_per_window_start(database_url: str) -> None:
    """Hits stored per window end before: one row per window start is kept, ending on the
    last night it held, found when it was first found."""
    await upgrade(database_url, "0015")
    nights = [FIRST_NIGHT + timedelta(days=n) for n in range(3)]
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(SchoolRow), [nightly.school_rows(SCHOOL, 1)["school"][0]]
            )
            await connection.execute(
                insert(PupilRow),
                [
                    {
                        "school_key": "no",
                        "pupil_id": "OLA",
                        "name": "O",
                        "class_name": "9A",
                        "active": True,
                    }
                ],
            )
            await connection.execute(
                insert(RuleHitRow),
                [
                    {"school_key": "no", "pupil_id": "OLA", "rule_id": rule, "numbers": {"n": n}}
                    | {"window_start": start, "window_end": end, "found_at": at}
                    for n, (rule, start, end, at) in enumerate(
                        [("no.invalid_repeated", AUTUMN.start, d, LATER) for d in nights]
                        + [("no.invalid_repeated", AUTUMN.start, nights[0] - timedelta(1), NOW)]
                        + [("no.single_days", date(2026, 11, 1), nights[0], NOW)]
                    )
                ],
            )
        await upgrade(database_url)
        async with engine.connect() as connection:
            t = RuleHitRow.__table__.c
            rows = await connection.execute(
                select(t.rule_id, t.window_start, t.window_end, t.numbers, t.found_at).order_by(
                    t.rule_id
                )
            )
            assert [tuple(row) for row in rows] == [
                ("no.invalid_repeated", AUTUMN.start, nights[2], {"n": 2}, NOW),
                ("no.single_days", date(2026, 11, 1), nights[0], {"n": 4}, NOW),
            ]
    finally:
        await engine.dispose()


async def test_the_migration_keeps_what_hits_read_as(database_url: str) -> None:
    """Hits stored before 0019 read as they did after it: each window is evaluated through
    its hits' latest end, the hits ending there hold (with their own school days until the
    window is evaluated again), and the others keep their own end and numbers. Downgraded,
    the rows are as they were."""
    await upgrade(database_url, "0018")
    nights = [FIRST_NIGHT + timedelta(days=n) for n in range(3)]
    rows = [
        ("OLA", "no.invalid_repeated", AUTUMN.start, nights[2], {"count": 3, "school_days": 58}),
        ("KARI", "no.invalid_repeated", AUTUMN.start, nights[0], {"count": 2, "school_days": 56}),
        ("PER", "no.invalid_repeated", AUTUMN.start, nights[2], {"count": 5, "school_days": 58}),
        ("OLA", "no.single_days", date(2026, 11, 1), nights[1], {"count": 4}),
    ]
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(SchoolRow), [nightly.school_rows(SCHOOL, 1)["school"][0]]
            )
            await connection.execute(
                insert(PupilRow),
                [
                    {"school_key": "no", "pupil_id": p, "name": p, "class_name": "9A"}
                    | {"active": True}
                    for p in ("OLA", "KARI", "PER")
                ],
            )
            await connection.execute(
                insert(RuleHitRow),
                [
                    {"school_key": "no", "pupil_id": pupil, "rule_id": rule, "numbers": numbers}
                    | {"window_start": start, "window_end": end, "found_at": NOW}
                    for pupil, rule, start, end, numbers in rows
                ],
            )
        await upgrade(database_url)
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        async with factory() as uow:
            read = await uow.rule_hits.list_between(SCHOOL.key, AUTUMN.start, SPRING_NIGHT)
            held = await uow.rule_hits.held(
                SCHOOL.key, [("no.invalid_repeated", AUTUMN.start), ("no.single_days", nights[0])]
            )
        assert sorted(
            (h.pupil_id, h.rule_id, h.window_start, h.window_end, dict(h.numbers)) for h in read
        ) == sorted(rows)
        window = held[("no.invalid_repeated", AUTUMN.start)]
        assert (window.through, window.school_days) == (nights[2], None)
        assert {p: h.holding for p, h in window.hits.items()} == {
            "OLA": True,
            "KARI": False,
            "PER": True,
        }
        assert ("no.single_days", nights[0]) not in held
        await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0018")
        async with engine.connect() as connection:
            t = RuleHitRow.__table__.c
            found = await connection.execute(
                select(t.pupil_id, t.rule_id, t.window_start, t.window_end, t.numbers)
            )
            assert sorted(tuple(row) for row in found) == sorted(rows)
    finally:
        await engine.dispose()


# The rules that count marked days are decided from the counted marks alone for pupils with
# nothing but marks (and over the record for those with a day of two marks): the hits must be
# exactly those of the full record. The other rules are off, so that no pupil is recomputed
# for another rule's sake.


def counting_only(country: Country) -> School:
    school = mixed_school(country)
    policy = tuple(
        replace(o, enabled=False) if not counts_marked_days(rule) else o
        for o in school.policy
        for rule in DEFAULTS[country]
        if rule.id == o.rule_id
    )
    return replace(school, policy=policy)


async def marks_mostly(factory: UnitOfWorkFactory, school: School, seed: int) -> None:
    """Forty pupils over six weeks with nothing but marks (absent one day in twenty, five or
    two and a half), from roll calls and imports, some days with two (either may be the
    day's), some lesson marks; and five with a report each. Five more absent one school
    day in three or so, one mark a day, into the week after."""
    chance = random.Random(seed)
    key = school.key
    days = school_days(school, date(2026, 8, 17), EVALUATED)
    async with factory() as uow:
        await uow.schools.save(school)
        await uow.classes.save(SchoolClass(key, "8A"))
        for code in default_absence_codes(school):
            await uow.codes.save(code)
        pupils = [f"P{n:02d}" for n in range(40)]
        for pupil_id in pupils:
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, "8A"))
        await uow.roll_calls.add_imported(key, [("8A", d) for d in days], NOW)
        marks = []
        for pupil_id in pupils:
            often = chance.choice([0.05, 0.2, 0.4])
            for day in days:
                if chance.random() > often:
                    continue
                # One day in five of theirs has a second mark; a few are on a Saturday.
                for _ in range(2 if chance.random() < 0.2 else 1):
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil_id,
                            day + timedelta(days=5 if chance.random() < 0.02 else 0),
                            chance.choice([MarkKind.ABSENT] * 3 + list(MarkKind)),
                            lesson=chance.choice([None] * 9 + ["2"]),
                            valid=chance.choice([True, False, None]),
                            code=chance.choice(["illness", "invalid", None]),
                            source=chance.choice(list(MarkSource)),
                        )
                    )
        # Five more with one day-level absence a day at most, on school days alone, also on
        # the next week's days: their hits hold on from night to night, and their counts grow.
        later = school_days(school, date(2026, 8, 17), EVALUATED + timedelta(days=9))
        for pupil_id in [f"Q{n}" for n in range(5)]:
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, "8A"))
            for day in later:
                if chance.random() < 0.3:
                    valid = chance.random() < 0.5
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil_id,
                            day,
                            MarkKind.ABSENT,
                            valid=valid,
                            code="illness" if valid else "invalid",
                            source=MarkSource.IMPORT,
                        )
                    )
        await uow.marks.add_many(marks)
        for pupil_id in pupils[:5]:
            first = chance.choice(days)
            await uow.reports.add(
                AbsenceReport(key, pupil_id, "G", ReasonCategory.ILLNESS, first, first)
            )
        await uow.commit()


async def check_marked_days(factory: UnitOfWorkFactory, country: Country, seed: int) -> None:
    """Two nights: the first decides every hit from listed days (all are new); on the next,
    a hit that held and holds on is decided from its count and the days counted since (a
    mark of an earlier day arriving sends it back to its listed days). Both nights' hits
    are the full record's, and a hit's days over both nights are the record's."""
    school = counting_only(country)
    await marks_mostly(factory, school, seed)
    seen: list[tuple[int, int, int]] = []
    marked_day_hits = evaluation._marked_day_hits

    async def spy(*args):
        found = await marked_day_hits(*args)
        seen.append((len(found.hits), len(found.doubled), len(found.held_on)))
        return found

    following = school_days(school, EVALUATED + timedelta(days=1), EVALUATED + timedelta(days=9))
    used: dict[tuple[str, str, date], set[date]] = {}
    evaluation._marked_day_hits = spy
    try:
        for night in (EVALUATED, following[0]):
            async with factory() as uow:
                found = await evaluate_thresholds(uow, school, night, NOW)
                await uow.commit()
            async with factory() as uow:
                pupils = await uow.pupils.list_for_school(school.key)
                start, end = record_span(school, rules_for(school), night) or (night, night)
                full = await record_of(
                    uow, school, start - timedelta(days=7), end, pupils, whole_school=True
                )
            expected = evaluate(school, rules_for(school), night, full)
            assert sorted((h.pupil_id, h.rule_id, dict(h.numbers)) for h in found.hits) == sorted(
                (h.pupil_id, h.rule_id, dict(h.numbers)) for h in expected
            )
            for h in found.hits:
                used.setdefault((h.pupil_id, h.rule_id, h.window_start), set()).update(h.days)
            assert {
                (h.pupil_id, h.rule_id): used[(h.pupil_id, h.rule_id, h.window_start)]
                for h in found.hits
            } == {(h.pupil_id, h.rule_id): set(h.days) for h in expected}
    finally:
        evaluation._marked_day_hits = marked_day_hits
    # Every way was taken: hits from listed days, pupils with a day of two marks, and hits
    # that held on from their counts.
    [(plain, doubled, none), (_, _, recent)] = seen
    assert plain > 0 and doubled > 0 and none == 0 and recent > 0, seen


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("country", [Country.NO, Country.DK])
async def test_marked_days_decide_as_the_full_record_on_fakes(country: Country, seed: int) -> None:
    await check_marked_days(FakeUnitOfWorkFactory(), country, seed * 17 + 3)


@pytest.mark.parametrize("country", [Country.NO, Country.DK])
async def test_marked_days_decide_as_the_full_record_on_sql(
    uow_factory: UnitOfWorkFactory, country: Country
) -> None:
    await check_marked_days(uow_factory, country, 5)
