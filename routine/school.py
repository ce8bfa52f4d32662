"""The school and what its school file sets: country, language, times, calendar and rules.

Also the roles a school gives its staff, since the school's rules name them (who decides leave).
Re-exported by `routine.model`, the one import for the routine's nouns.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, time, timedelta


class Country(enum.StrEnum):
    SE = "SE"
    NO = "NO"
    DK = "DK"


class Language(enum.StrEnum):
    SV = "sv"
    NB = "nb"
    DA = "da"

    @classmethod
    def parse(cls, value: str) -> Language:
        """Accept the codes people and platforms actually send (``no``, ``nn``, ``sv-SE``)."""
        code = value.strip().lower().replace("_", "-").split("-")[0]
        code = {"no": "nb", "nn": "nb", "se": "sv", "dk": "da"}.get(code, code)
        return cls(code)


COUNTRY_LANGUAGE = {Country.SE: Language.SV, Country.NO: Language.NB, Country.DK: Language.DA}


class Role(enum.StrEnum):
    MENTOR = "mentor"
    COORDINATOR = "coordinator"
    PRINCIPAL = "principal"
    PUPIL_HEALTH = "pupil_health"


@dataclass(frozen=True)
class SchoolTimes:
    """Local times of day that drive the daily routine, in the school's timezone."""

    roll_call: time = time(8, 15)
    # Mentors whose roll call is not in by then are reminded; it is due by `unreported_prompt`.
    roll_call_reminder: time = time(8, 45)
    report_cutoff: time = time(8, 0)
    unreported_prompt: time = time(9, 0)
    end_of_day: time = time(16, 0)
    # A guardian's contact request nobody has taken this long goes to the coordinators.
    escalate_after: timedelta = timedelta(minutes=120)


@dataclass(frozen=True)
class DateSpan:
    start: date
    end: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a span cannot end before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class SchoolCalendar:
    terms: tuple[DateSpan, ...] = ()
    breaks: tuple[DateSpan, ...] = ()
    days_off: tuple[date, ...] = ()


@dataclass(frozen=True)
class PrivacySettings:
    """What staff see of a guardian's report. The sources leave this to the school.

    Default: mentors see the reason category (illness, appointment, other) and the optional note,
    because same-day follow-up needs them; nothing finer is ever collected.
    """

    mentor_sees_reason: bool = True
    mentor_sees_note: bool = True
    retention_days: int = 400


@dataclass(frozen=True)
class ReportingRules:
    """What a guardian's report may be; the school file's `[reporting]` can change each.

    Defaults: a report starts today or later (earlier days are explained to the school, not
    reported), reaches at most 60 days ahead, spans at most 30 days, and its note is short
    because it must not carry health details."""

    max_days_ahead: int = 60
    max_span_days: int = 30
    max_note_length: int = 300
    earliest_time: time = time(6, 0)
    latest_time: time = time(18, 0)


class OtherReason(enum.StrEnum):
    """Who decides whether a guardian's "other reason" makes an absence valid.

    Valid absence is illness, an appointment, or leave the principal granted (000: 783–788;
    001: 6341, 6381); "other reason" is not valid by itself. STAFF: it stays unexplained until a
    member of staff judges it valid or invalid on the step-1 list (the default in Sweden and
    Norway). CODE: the school's `other` absence code decides (the default in Denmark, where
    it is unlawful absence without the head's permission, 004: 2446–2460)."""

    STAFF = "staff"
    CODE = "code"


@dataclass(frozen=True)
class AttendanceRules:
    """The school file's `[attendance]`.

    `correction_days`: how many school days back a mentor may correct their classes' record
    (principals and coordinators may correct any day of the school). `other_reason`: None is the
    country's default (see `OtherReason`)."""

    correction_days: int = 10
    other_reason: OtherReason | None = None


@dataclass(frozen=True)
class LeaveRules:
    """The school file's `[leave]`: what a guardian's leave request may be, and who decides.

    Leave is a request the principal decides, not a report (domain guide §2). Defaults: asked
    for at most 120 days ahead, at most 20 days long, a reason of at most 200 characters;
    decided by the principal; a request nobody has decided is reminded after 2 school days."""

    max_days_ahead: int = 120
    max_span_days: int = 20
    max_reason_length: int = 200
    decided_by: Role = Role.PRINCIPAL
    remind_after_days: int = 2


@dataclass(frozen=True)
class CaseRules:
    """The school file's `[cases]`: when a case's tasks are reminded and nudged.

    Defaults: a task is listed 2 school days before it is due; a task overdue by 3 school days
    goes to the principal as well; the family hears from the school at least every 10 school
    days, also when nothing is new (004: 1032–1046, 2281–2294 ask for "faste opdateringer"
    without a number; two school weeks is the span of the sources' shortest follow-up rhythm,
    the rolling two-week windows of routine.policy)."""

    remind_ahead_days: int = 2
    overdue_after_days: int = 3
    nothing_new_days: int = 10


@dataclass(frozen=True)
class PolicyOverride:
    """One rule's settings from a policy file or the school file's `[policy]`, over the
    country's default (`routine.policy`); None leaves the default. Checked when read."""

    rule_id: str
    # "policy file" or "school file", and the line of the rule's table there.
    origin: str
    line: int | None = None
    enabled: bool | None = None
    threshold: float | None = None
    # As written: "4w", "20d", "month", "term", "quarter" (routine.policy.Window.parse).
    window: str | None = None
    min_known_days: int | None = None


@dataclass(frozen=True)
class School:
    key: str
    name: str
    country: Country
    timezone: str
    language: Language
    times: SchoolTimes = field(default_factory=SchoolTimes)
    calendar: SchoolCalendar = field(default_factory=SchoolCalendar)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    reporting: ReportingRules = field(default_factory=ReportingRules)
    attendance: AttendanceRules = field(default_factory=AttendanceRules)
    leave: LeaveRules = field(default_factory=LeaveRules)
    # The policy file's rules first, then the school file's: later ones win.
    policy: tuple[PolicyOverride, ...] = ()
    cases: CaseRules = field(default_factory=CaseRules)

    @property
    def other_reason(self) -> OtherReason:
        if self.attendance.other_reason is not None:
            return self.attendance.other_reason
        return OtherReason.CODE if self.country is Country.DK else OtherReason.STAFF


@dataclass(frozen=True)
class SchoolClass:
    school_key: str
    name: str
