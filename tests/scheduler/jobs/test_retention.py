"""The retention job on the fakes: what is older than the school keeps is deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from routine.cases import Case, close
from routine.concerns import StaffConcern, StaffConcernKind
from routine.model import AbsenceReport, AttendanceMark, MarkKind, ReasonCategory
from routine.outbox import OutboxMessage
from routine.record import Correction, DayStatus
from routine.requests import AbsencePrompt, ConcernKind, GuardianConcern
from routine.thresholds import RuleHit
from tests.scheduler.jobs.support import MONDAY, run


async def test_retention_deletes_what_is_older_than_the_school_keeps(factory) -> None:
    old_day = date(2026, 10, 1)
    async with factory() as uow:
        await uow.marks.add(AttendanceMark("se", "P1", old_day, MarkKind.ABSENT))
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.ILLNESS, old_day, old_day)
        )
        await uow.prompts.add(
            AbsencePrompt(
                "t-old", "se", "P1", "G1", old_day, created_at=datetime(2026, 10, 1, 9, tzinfo=UTC)
            )
        )
        await uow.concerns.add(
            GuardianConcern(
                "se",
                "P1",
                "G1",
                ConcernKind.HARD_TO_GET_TO_SCHOOL,
                created_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
            )
        )
        await uow.staff_concerns.add(
            StaffConcern(
                "se",
                "P1",
                "S1",
                StaffConcernKind.LEAVES_LESSONS,
                "",
                created_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
            )
        )
        await uow.outbox.add(
            OutboxMessage(
                "old",
                "telegram",
                "1001",
                "hej",
                "x",
                "se",
                created_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
            )
        )
        at = datetime(2026, 10, 1, 9, tzinfo=UTC)
        for day in (old_day, MONDAY):
            await uow.corrections.add(
                Correction("se", "P1", day, DayStatus.PRESENT, None, None, "why", "S1", at)
            )
            await uow.record_uses.add("se", "P1", day, "step-2", at)
            await uow.rule_hits.add_new(
                [RuleHit("se", "P1", "se.step2", day - timedelta(days=27), day, {"count": 3})], at
            )
        # A case closed before the cutoff goes with its log; an open one stays however old.
        [old_case] = await uow.cases.add_new([Case("se", "P1", "se.step2", at, "rule:se.step2")])
        await uow.cases.update(close(old_case, at))
        await uow.cases.add_new([Case("se", "P1", "se.step2", at, "guardian_concern")])
        await uow.commit()
    summary = await run(factory, "retention")
    assert summary == (
        "deleted before 2026-10-24: 1 report(s), 0 leave request(s), 1 mark(s), "
        "0 roll call(s) and follow-up(s), 3 correction(s), record use(s) and rule hit(s), "
        "1 message(s), 1 closed case(s), "
        "3 answer(s), request(s) and concern(s)"
    )
    assert [c.opened_by for c in factory.store.cases.values()] == ["guardian_concern"]
    assert (factory.store.prompts, factory.store.concerns) == ({}, {})
    assert factory.store.staff_concerns == {}
    assert {m.day for m in factory.store.marks.values()} == {MONDAY}
    assert [r.first_day for r in factory.store.reports.values()] == [MONDAY]
    assert [c.day for c in factory.store.corrections.values()] == [MONDAY]
    assert [u.day for u in factory.store.record_uses.values()] == [MONDAY]
    assert [h.window_end for h in factory.store.rule_hits.values()] == [MONDAY]
