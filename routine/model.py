"""The routine's nouns: schools, people, absence reports and attendance marks.

Identifiers are the school's own (pupil ids, guardian ids, staff ids from the school's register),
scoped by the school's key, so that imports are idempotent and nobody needs our database ids.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta


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


@dataclass(frozen=True)
class Pupil:
    school_key: str
    pupil_id: str
    name: str
    class_name: str
    active: bool = True


@dataclass(frozen=True)
class Guardian:
    school_key: str
    guardian_id: str
    name: str
    # The roster's language; `chosen_language` is the one they chose in the chat, which wins.
    language: Language
    phone: str = ""
    email: str = ""
    pupil_ids: tuple[str, ...] = ()
    chosen_language: Language | None = None

    @property
    def speaks(self) -> Language:
        """The language every message to them is written in, scheduled or in answer."""
        return self.chosen_language or self.language

    def keeping_preferences_of(self, stored: Guardian | None) -> Guardian:
        """This guardian as the roster describes them, with what they chose in the chat kept."""
        if stored is None:
            return self
        return replace(self, chosen_language=stored.chosen_language)


@dataclass(frozen=True)
class StaffMember:
    school_key: str
    staff_id: str
    name: str
    roles: frozenset[Role]
    classes: tuple[str, ...] = ()
    # The school file's language for them, if it gives one: the school's record of them.
    language: Language | None = None
    slack_user_id: str = ""
    # Chosen in the chat (/language): wins over everything, and a re-applied file keeps it.
    chosen_language: Language | None = None
    # Their platform's locale (Slack's), remembered from their last event or from `users.info`;
    # None also when it is a language we do not write.
    platform_language: Language | None = None
    # When their Slack account was asked for its locale (`users.info`), whatever it answered:
    # asked once per account, and an event tells any change since.
    platform_locale_asked: datetime | None = None

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def speaks(self, school: School) -> Language:
        """The one function that decides the language of every message to them, scheduled or
        in answer, on any platform: their own choice, then their platform's locale, then the
        language the school file gives them, then the school's (README: "Languages")."""
        return self.chosen_language or self.platform_language or self.language or school.language

    def needs_platform_locale(self) -> bool:
        """A Slack account whose locale nobody knows yet, and that was never asked."""
        return bool(self.slack_user_id) and (
            self.platform_language is None and self.platform_locale_asked is None
        )

    def keeping_preferences_of(self, stored: StaffMember | None) -> StaffMember:
        """This member as a file describes them, with what they chose in the chat kept, and
        what their platform said while it is the same account."""
        if stored is None:
            return self
        kept = replace(self, chosen_language=stored.chosen_language)
        if stored.slack_user_id != self.slack_user_id:
            return kept
        return replace(
            kept,
            platform_language=stored.platform_language,
            platform_locale_asked=stored.platform_locale_asked,
        )


class ReasonCategory(enum.StrEnum):
    """What a guardian is asked: a category, never a diagnosis (domain guide §6)."""

    ILLNESS = "illness"
    APPOINTMENT = "appointment"
    OTHER = "other"


class DayPart(enum.StrEnum):
    WHOLE_DAY = "whole_day"
    ARRIVING_LATE = "arriving_late"
    LEAVING_EARLY = "leaving_early"


class ReportStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class AbsenceReport:
    school_key: str
    pupil_id: str
    guardian_id: str
    reason: ReasonCategory
    first_day: date
    last_day: date
    part: DayPart = DayPart.WHOLE_DAY
    at_time: time | None = None
    note: str = ""
    reported_at: datetime | None = None
    status: ReportStatus = ReportStatus.ACTIVE
    id: int | None = None

    def covers(self, day: date) -> bool:
        return self.status is ReportStatus.ACTIVE and self.first_day <= day <= self.last_day

    def days(self) -> list[date]:
        return DateSpan(self.first_day, self.last_day).days()


class MarkKind(enum.StrEnum):
    ABSENT = "absent"
    LATE = "late"
    LEFT_EARLY = "left_early"


class MarkSource(enum.StrEnum):
    """Who observed a mark: a mentor's roll call, or the school's register, imported."""

    ROLL_CALL = "roll_call"
    IMPORT = "import"


@dataclass(frozen=True)
class AbsenceCode:
    """A school's own code for a kind of absence. Rows with flags, not an enum: schools differ."""

    school_key: str
    code: str
    label: str
    counts_as_absence: bool = True
    valid: bool = False
    late: bool = False


@dataclass(frozen=True)
class AttendanceMark:
    """One observation by staff or the school's register: per day (lesson None) or per lesson."""

    school_key: str
    pupil_id: str
    day: date
    kind: MarkKind
    lesson: str | None = None
    explained: bool = False
    valid: bool | None = None
    code: str | None = None
    marked_by: str = ""
    minutes: int | None = None
    source: MarkSource = MarkSource.ROLL_CALL
    id: int | None = None


@dataclass(frozen=True)
class ChatAccount:
    """A chat identity (platform + user) linked to one person of one school."""

    platform: str
    account_id: str
    school_key: str
    person_kind: str  # "guardian" or "staff"
    person_id: str
    # False once the platform said the person cannot be reached (e.g. they blocked the bot);
    # True again as soon as they write.
    reachable: bool = True


@dataclass(frozen=True)
class InviteCode:
    school_key: str
    guardian_id: str
    code_hash: str
    expires_at: datetime
    used_at: datetime | None = None
    id: int | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass
class Conversation:
    """Where one chat stands in a flow. Stored, so that a restart continues it."""

    key: str
    flow: str | None = None
    state: str | None = None
    data: dict = field(default_factory=dict)
    # How many times it was saved; a save counts only if nobody saved it since it was read.
    # Bookkeeping, not content: two conversations saying the same are equal.
    version: int = field(default=0, compare=False)
