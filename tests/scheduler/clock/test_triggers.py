"""The school clock's triggers: each in the school's timezone across DST, the next run on the
next school day, and jobs at an interval within a window of the day."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.base import BaseTrigger

from routine.model import SchoolCalendar
from scheduler.jobs import JOBS
from scheduler.triggers import next_run, trigger_for, window_trigger
from tests.scheduler.clock.support import CALENDAR, SCHOOLS_BY_ZONE, SE, STOCKHOLM, ZONES

# Triggers across daylight saving time

# (zone, last Sunday of the month): the clocks go forward in March and back in October.
DST_CHANGES = [
    (zone, change) for zone in ZONES for change in (date(2026, 3, 29), date(2026, 10, 25))
] + [(zone, change) for zone in ZONES for change in (date(2027, 3, 28), date(2027, 10, 31))]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=lambda v: str(v))
def test_a_nine_oclock_job_fires_at_nine_local_time_across_the_change(
    zone: str, change: date
) -> None:
    trigger = trigger_for(JOBS["unreported-absences"], SCHOOLS_BY_ZONE[zone])
    friday = change - timedelta(days=2)
    start = datetime.combine(friday, time(0), tzinfo=ZoneInfo(zone))

    fires = []
    fire = trigger.get_next_fire_time(None, start)
    for _ in range(5):
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)

    assert [f.date() for f in fires] == [friday + timedelta(days=n) for n in range(5)]
    assert {f.time() for f in fires} == {time(9, 0)}
    # Winter is UTC+1, summer UTC+2: 08:00 UTC before the change in March, 07:00 after it.
    before, after = (8, 7) if change.month == 3 else (7, 8)
    utc_hours = [f.astimezone(UTC).hour for f in fires]
    assert utc_hours == [before, before, after, after, after]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=lambda v: str(v))
def test_retention_fires_exactly_once_on_the_day_of_the_change(zone: str, change: date) -> None:
    trigger = trigger_for(JOBS["retention"], SCHOOLS_BY_ZONE[zone])
    midnight = datetime.combine(change, time(0), tzinfo=ZoneInfo(zone))
    next_midnight = datetime.combine(change + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))

    fires = []
    fire = trigger.get_next_fire_time(None, midnight)
    while fire < next_midnight:
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)

    assert [(f.date(), f.time()) for f in fires] == [(change, time(3, 30))]


def test_the_next_run_after_friday_morning_across_the_change_is_monday_nine_local() -> None:
    friday_noon = datetime(2026, 3, 27, 11, 0, tzinfo=UTC)  # 12:00 in Stockholm (CET)

    monday = next_run(JOBS["unreported-absences"], SE, friday_noon)

    assert monday == datetime(2026, 3, 30, 9, 0, tzinfo=ZoneInfo(STOCKHOLM))
    assert monday is not None and monday.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Thursday before Easter (after 09:00): Good Friday and Easter Monday are holidays.
        (datetime(2026, 4, 2, 8, 0, tzinfo=UTC), date(2026, 4, 7)),
        # Friday before the sports break: back on the Monday after it.
        (datetime(2026, 2, 20, 12, 0, tzinfo=UTC), date(2026, 3, 2)),
        # The morning before the day off (Monday 9 November): Tuesday.
        (datetime(2026, 11, 6, 12, 0, tzinfo=UTC), date(2026, 11, 10)),
        # After the last term day: the first day of the next term.
        (datetime(2026, 12, 18, 12, 0, tzinfo=UTC), date(2027, 1, 7)),
        # Before 09:00 on a school day: the same day.
        (datetime(2026, 11, 25, 7, 59, tzinfo=UTC), date(2026, 11, 25)),
    ],
)
def test_the_next_run_of_a_school_day_job_skips_days_without_school(
    now: datetime, expected: date
) -> None:
    found = next_run(JOBS["unreported-absences"], SE, now)

    assert found is not None and (found.date(), found.time()) == (expected, time(9, 0))


def test_a_job_for_every_day_runs_on_the_weekend_too() -> None:
    saturday_noon = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)

    found = next_run(JOBS["retention"], SE, saturday_noon)

    assert found == datetime(2026, 11, 22, 3, 30, tzinfo=ZoneInfo(STOCKHOLM))


def test_there_is_no_next_run_when_no_term_lies_ahead() -> None:
    ended = replace(SE, calendar=SchoolCalendar(terms=CALENDAR.terms[:1]))

    assert next_run(JOBS["roll-call"], ended, datetime(2026, 7, 1, tzinfo=UTC)) is None


# Jobs at an interval, within a window of the day


def fires_on(trigger: BaseTrigger, day: date, zone: str = STOCKHOLM) -> list[time]:
    """The local times the trigger fires at on `day`."""
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    fires = []
    fire = trigger.get_next_fire_time(None, midnight)
    while fire is not None and fire.date() == day:
        fires.append(fire.time())
        fire = trigger.get_next_fire_time(fire, fire)
    return fires


def every_five_minutes(start: time, until: time) -> list[time]:
    first = datetime.combine(date.min, start)
    count = (datetime.combine(date.min, until) - first) // timedelta(minutes=5)
    return [(first + n * timedelta(minutes=5)).time() for n in range(count)]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=lambda v: str(v))
def test_contact_escalation_fires_every_five_minutes_from_roll_call_to_end_of_day(
    zone: str, change: date
) -> None:
    trigger = trigger_for(JOBS["contact-escalation"], SCHOOLS_BY_ZONE[zone])

    assert fires_on(trigger, change, zone) == every_five_minutes(time(8, 15), time(15, 30))


def test_contact_escalation_does_not_fire_at_night() -> None:
    trigger = trigger_for(JOBS["contact-escalation"], SE)
    three = datetime(2026, 11, 24, 3, 0, tzinfo=ZoneInfo(STOCKHOLM))

    assert trigger.get_next_fire_time(None, three) == three.replace(hour=8, minute=15)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Saturday evening: the roll call on Monday.
        (datetime(2026, 11, 21, 19, 0), datetime(2026, 11, 23, 8, 15)),
        # In school hours: the next five minutes.
        (datetime(2026, 11, 25, 10, 2), datetime(2026, 11, 25, 10, 5)),
        # At the end of the day: tomorrow's roll call.
        (datetime(2026, 11, 25, 15, 30), datetime(2026, 11, 26, 8, 15)),
        # After the last term day: the first day of the next term, found quickly.
        (datetime(2026, 12, 18, 16, 0), datetime(2027, 1, 7, 8, 15)),
    ],
)
def test_the_next_contact_escalation_is_in_the_next_school_hours(
    now: datetime, expected: datetime
) -> None:
    zone = ZoneInfo(STOCKHOLM)

    found = next_run(JOBS["contact-escalation"], SE, now.replace(tzinfo=zone))

    assert found == expected.replace(tzinfo=zone)


@pytest.mark.parametrize(
    ("every", "start", "until", "expected"),
    [
        (timedelta(minutes=20), time(8, 10), time(8, 50), [time(8, 10), time(8, 30)]),
        (timedelta(minutes=30), time(8, 0), time(9, 30), [time(8, 0), time(8, 30), time(9, 0)]),
        (timedelta(minutes=20), time(8, 50), time(9, 30), [time(8, 50), time(9, 0), time(9, 20)]),
        (timedelta(hours=1), time(21, 0), None, [time(21, 0), time(22, 0), time(23, 0)]),
    ],
)
def test_a_window_runs_from_its_start_until_before_its_end(
    every: timedelta, start: time, until: time | None, expected: list[time]
) -> None:
    trigger = window_trigger(every, start, until, ZoneInfo(STOCKHOLM))

    assert fires_on(trigger, date(2026, 11, 25)) == expected


@pytest.mark.parametrize(
    ("every", "until"),
    [
        (timedelta(seconds=90), time(16, 0)),
        (timedelta(0), time(16, 0)),
        (timedelta(minutes=90), time(16, 0)),
        (timedelta(minutes=5), time(8, 15)),
    ],
)
def test_a_window_that_cron_cannot_say_is_refused(every: timedelta, until: time) -> None:
    with pytest.raises(ValueError, match="no window"):
        window_trigger(every, time(8, 15), until, ZoneInfo(STOCKHOLM))


def test_a_window_reads_back_the_same_from_the_job_store() -> None:
    trigger = trigger_for(JOBS["contact-escalation"], SE)

    # `sync_schedules` compares the stored trigger's repr with a new one's.
    assert repr(pickle.loads(pickle.dumps(trigger))) == repr(trigger)
