"""A rule hit is stored once per rule, pupil and window start, and updated in place while it
holds: over several nights, on fakes and on both SQL backends. The same night twice writes
nothing; the next night updates the hit's window end and numbers (and stores only the days not
used before); a window that starts later is a new hit. A hit that stops holding and holds again
is the same hit; the case log keeps its numbers. The statements, the migrations and the hits
decided from marked days are in test_hits_per_window_statements.py, _migrations.py and
_marked.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from routine.cases import close
from routine.model import AttendanceMark, MarkKind
from routine.ports import UnitOfWorkFactory
from routine.record import Correction, DayStatus, school_days
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.hits_support import (
    AUTUMN,
    FIRST_NIGHT,
    LATER,
    NEXT_NIGHT,
    NOW,
    SCHOOL,
    SPRING,
    SPRING_NIGHT,
    Clock,
    held,
    night,
    set_up,
)


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
