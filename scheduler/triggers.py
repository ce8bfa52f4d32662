"""When a job runs at a school: its APScheduler trigger, the school's local day, whether the job
runs on that day, its next run, and the key of the group of schools whose trigger is the same.

The trigger is a job's local time (`Job.local_time`) in the school's own timezone: a 09:00 job
runs at 09:00 in Stockholm in winter and in summer alike (08:00 and 07:00 UTC), and a school in
another timezone gets its own 09:00. A job with an interval (`Job.every`) fires at that interval
within its daily window instead (`window_trigger`), so it is not woken at night. Whether a day is
a school day is not in the trigger: it is decided when the trigger fires, from the calendar as it
is then (`runs_on`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from routine.calendar import is_school_day
from routine.model import School
from scheduler.job_base import Job

# How far `next_run` looks for a day a school-days-only job runs on (a summer break is shorter).
LOOK_AHEAD_DAYS = 400


def local_day(school: School, now: datetime) -> date:
    """The school's date at `now` (an aware datetime)."""
    return now.astimezone(ZoneInfo(school.timezone)).date()


def runs_on(job: Job, school: School, day: date) -> bool:
    return not job.school_days_only or is_school_day(school, day)


def group_key(job: Job, school: School) -> str:
    """The job's trigger at the school, as short text: its timezone and local time, and for a
    job at an interval, its window and interval. It is made of exactly what `trigger_for`
    reads, so schools with the same key have the same trigger, and the clock runs them
    together (e.g. "Europe/Stockholm 08:15", "Europe/Oslo 08:15-15:30 every 0:05:00")."""
    key = f"{school.timezone} {_clock_time(job.local_time(school))}"
    if job.every is None:
        return key
    until = _clock_time(job.until(school)) if job.until is not None else "24:00"
    return f"{key}-{until} every {job.every}"


def _clock_time(at: time) -> str:
    return at.strftime("%H:%M:%S" if at.second or at.microsecond else "%H:%M")


def trigger_for(job: Job, school: School) -> BaseTrigger:
    """Every day at the job's local time in the school's timezone, or with `every`, at that
    interval from then until its `until`. Whether a day is a school day is decided when it
    fires, from the calendar as it is then."""
    zone = ZoneInfo(school.timezone)
    at = job.local_time(school)
    if job.every is not None:
        until = job.until(school) if job.until is not None else None
        return window_trigger(job.every, at, until, zone)
    return CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=zone)


def window_trigger(
    every: timedelta, start: time, until: time | None, zone: ZoneInfo
) -> BaseTrigger:
    """Every day, every `every` (whole minutes, at most an hour) from `start` until before
    `until` (midnight if None); seconds are not looked at.

    Cron fields cannot say "from 08:15 to 15:30" in one trigger, so it is up to three: the
    rest of the start's hour, the whole hours between, the end's hour up to its minute. They
    have no start date, so their repr, which `sync_schedules` compares, stays the same from
    one sync to the next. Minutes count from each full hour (cron's `*/5`): an interval that
    does not divide 60, or a start off its grid, gives an uneven step at full hours.
    """
    minutes, rest = divmod(every, timedelta(minutes=1))
    end = (until.hour, until.minute) if until is not None else (24, 0)
    if rest or not 0 < minutes <= 60 or end <= (start.hour, start.minute):
        raise ValueError(f"no window of every {every} from {start} until {until}")

    def cron(hour: int | str, first: int, last: int) -> CronTrigger:
        return CronTrigger(hour=hour, minute=_minutes(first, last, minutes), timezone=zone)

    if start.hour == end[0]:
        return cron(start.hour, start.minute, end[1] - 1)
    parts = [cron(start.hour, start.minute, 59)]
    if end[0] - start.hour > 1:
        parts.append(cron(f"{start.hour + 1}-{end[0] - 1}", 0, 59))
    if end[1]:
        parts.append(cron(end[0], 0, end[1] - 1))
    return parts[0] if len(parts) == 1 else OrTrigger(parts)


def _minutes(first: int, last: int, step: int) -> str:
    """Every `step` minutes from `first` to `last`, in cron's words."""
    if step > last - first:
        # Cron refuses a step longer than its range; the first minute is all there is.
        return str(first)
    return f"*/{step}" if (first, last) == (0, 59) else f"{first}-{last}/{step}"


def next_run(job: Job, school: School, now: datetime) -> datetime | None:
    """When the job next runs for the school after `now`, in the school's timezone: its next
    fire time on a day it runs on; None if there is none within `LOOK_AHEAD_DAYS`."""
    trigger = trigger_for(job, school)
    zone = ZoneInfo(school.timezone)
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and fire - now <= timedelta(days=LOOK_AHEAD_DAYS):
        if runs_on(job, school, fire.date()):
            return fire
        # The rest of a day the job does not run on holds no run either: skip to the next.
        midnight = datetime.combine(fire.date() + timedelta(days=1), time(0), tzinfo=zone)
        fire = trigger.get_next_fire_time(None, midnight)
    return None
