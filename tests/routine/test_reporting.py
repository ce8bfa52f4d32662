from datetime import UTC, date, datetime, time

import pytest

from routine.model import (
    AbsenceReport,
    DayPart,
    Guardian,
    Language,
    ReasonCategory,
    ReportingRules,
    ReportStatus,
)
from routine.reporting import (
    ReportError,
    ReportRejected,
    back_at_school_days,
    can_withdraw,
    check_report,
    end_early,
    submit_report,
    withdraw,
)
from tests.fakes import FakeUnitOfWorkFactory

TODAY = date(2026, 11, 23)
RULES = ReportingRules()
GUARDIAN = Guardian("se", "G1", "Anna", Language.SV, pupil_ids=("P1",))


def report(**changes) -> AbsenceReport:
    values = dict(
        school_key="se",
        pupil_id="P1",
        guardian_id="G1",
        reason=ReasonCategory.ILLNESS,
        first_day=TODAY,
        last_day=TODAY,
    )
    return AbsenceReport(**(values | changes))


def test_a_plain_report_for_today_is_fine() -> None:
    assert check_report(report(), GUARDIAN, TODAY, RULES) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"first_day": date(2026, 11, 22)}, [ReportError.IN_THE_PAST]),
        (
            {"first_day": date(2027, 1, 23), "last_day": date(2027, 1, 23)},
            [ReportError.TOO_FAR_AHEAD],
        ),
        ({"last_day": date(2026, 11, 22)}, [ReportError.ENDS_BEFORE_START]),
        ({"last_day": date(2026, 12, 23)}, [ReportError.TOO_LONG]),
        ({"note": "x" * 301}, [ReportError.NOTE_TOO_LONG]),
        ({"pupil_id": "P9"}, [ReportError.NOT_YOUR_CHILD]),
        ({"part": DayPart.ARRIVING_LATE}, [ReportError.PART_NEEDS_TIME]),
        ({"part": DayPart.ARRIVING_LATE, "at_time": time(5, 0)}, [ReportError.TIME_OUT_OF_HOURS]),
        (
            {
                "part": DayPart.LEAVING_EARLY,
                "at_time": time(12, 0),
                "last_day": date(2026, 11, 24),
            },
            [ReportError.PART_NEEDS_SINGLE_DAY],
        ),
    ],
)
def test_each_rule_is_checked(changes: dict, expected: list[ReportError]) -> None:
    assert check_report(report(**changes), GUARDIAN, TODAY, RULES) == expected


def test_the_limits_are_the_school_s_to_change() -> None:
    strict = ReportingRules(max_span_days=2)
    assert check_report(report(last_day=date(2026, 11, 25)), GUARDIAN, TODAY, strict) == [
        ReportError.TOO_LONG
    ]


async def test_submit_stores_a_valid_report_with_its_time() -> None:
    factory = FakeUnitOfWorkFactory()
    now = datetime(2026, 11, 23, 6, 45, tzinfo=UTC)
    async with factory() as uow:
        await uow.guardians.save(GUARDIAN)
        stored = await submit_report(uow, report=report(), today=TODAY, now=now, rules=RULES)
        await uow.commit()
    assert (stored.id is not None, stored.reported_at) == (True, now)
    assert list(factory.store.reports.values()) == [stored]


async def test_submit_refuses_another_family_s_child() -> None:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.guardians.save(GUARDIAN)
        with pytest.raises(ReportRejected) as refused:
            await submit_report(
                uow, report=report(pupil_id="P2"), today=TODAY, now=datetime.now(UTC), rules=RULES
            )
    assert refused.value.errors == [ReportError.NOT_YOUR_CHILD]


def test_back_at_school_keeps_at_least_the_first_day() -> None:
    three_days = report(last_day=date(2026, 11, 25))
    assert back_at_school_days(three_days, TODAY) == [date(2026, 11, 24), date(2026, 11, 25)]
    assert end_early(three_days, date(2026, 11, 24), TODAY).last_day == TODAY
    with pytest.raises(ValueError):
        end_early(three_days, TODAY, TODAY)


def test_back_at_school_is_never_in_the_past() -> None:
    started_earlier = report(first_day=date(2026, 11, 20), last_day=date(2026, 11, 25))
    assert back_at_school_days(started_earlier, TODAY)[0] == TODAY


def test_only_a_report_that_has_not_begun_can_be_withdrawn() -> None:
    assert can_withdraw(report(), TODAY)
    assert withdraw(report(), TODAY).status is ReportStatus.WITHDRAWN
    begun = report(first_day=date(2026, 11, 20))
    assert not can_withdraw(begun, TODAY)
    with pytest.raises(ValueError):
        withdraw(begun, TODAY)
