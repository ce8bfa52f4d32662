"""The attendance record: one state per pupil and school day, with its source and precedence."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from routine.leave import LeaveRequest, LeaveStatus
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    AttendanceRules,
    Country,
    DayPart,
    Language,
    MarkKind,
    MarkSource,
    OtherReason,
    Pupil,
    ReasonCategory,
    School,
)
from routine.record import (
    Correction,
    DayStatus,
    RecordInputs,
    RecordSource,
    build_decided_days,
    build_record,
    school_days,
    totals,
)
from routine.roster import DEFAULT_ABSENCE_CODES

SE = School("se", "Ekbacka", Country.SE, "Europe/Stockholm", Language.SV)
DK = School("dk", "Skolen", Country.DK, "Europe/Copenhagen", Language.DA)
MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
PUPIL = Pupil("se", "P1", "Alva", "7A")


def codes(school: School) -> list[AbsenceCode]:
    return [
        AbsenceCode(school.key, c.code, c.label, valid=c.valid)
        for c in DEFAULT_ABSENCE_CODES[school.country]
    ]


def inputs(school: School = SE, **given) -> RecordInputs:
    values = {
        "pupils": [PUPIL],
        "marks": [],
        "reports": [],
        "taken": {},
        "leave": [],
        "corrections": [],
        "codes": codes(school),
        "judgements": {},
    }
    return RecordInputs(**(values | given))


def one_day(school: School = SE, day: date = MON, **given):
    return build_record(school, [day], inputs(school, **given))["P1"][0]


def report(reason=ReasonCategory.ILLNESS, part=DayPart.WHOLE_DAY, first=MON, last=MON):
    return AbsenceReport("se", "P1", "G1", reason, first, last, part)


def test_nothing_known_is_unknown_never_present() -> None:
    day = one_day()
    assert (day.status, day.source) == (DayStatus.UNKNOWN, RecordSource.NONE)


def test_a_submitted_roll_call_without_a_mark_is_present() -> None:
    day = one_day(taken={("7A", MON): RecordSource.ROLL_CALL})
    assert (day.status, day.source) == (DayStatus.PRESENT, RecordSource.ROLL_CALL)


def test_a_whole_day_report_makes_the_day_absent_without_a_roll_call() -> None:
    day = one_day(reports=[report()])
    assert (day.status, day.source, day.code, day.valid) == (
        DayStatus.ABSENT,
        RecordSource.REPORT,
        "illness",
        True,
    )


def test_the_roll_call_outranks_a_report_it_did_not_confirm() -> None:
    day = one_day(reports=[report()], taken={("7A", MON): RecordSource.ROLL_CALL})
    assert day.status is DayStatus.PRESENT


def test_other_reason_is_unexplained_until_staff_judge_in_sweden() -> None:
    day = one_day(reports=[report(ReasonCategory.OTHER)])
    assert (day.status, day.code, day.valid) == (DayStatus.ABSENT, "other", None)
    judged = one_day(reports=[report(ReasonCategory.OTHER)], judgements={("P1", MON): False})
    assert (judged.code, judged.valid) == ("invalid", False)


def test_other_reason_is_unlawful_in_denmark_and_a_school_may_choose_the_code() -> None:
    assert one_day(DK, reports=[report(ReasonCategory.OTHER)]).valid is False
    by_code = School(
        "se", "E", Country.SE, "Europe/Stockholm", Language.SV,
        attendance=AttendanceRules(other_reason=OtherReason.CODE),
    )  # fmt: skip
    assert one_day(by_code, reports=[report(ReasonCategory.OTHER)]).valid is True


def test_granted_leave_is_valid_absence_and_a_refused_one_changes_nothing() -> None:
    granted = LeaveRequest("se", "P1", "G1", MON, TUE, "Bröllop", NOW, LeaveStatus.GRANTED)
    day = one_day(leave=[granted])
    assert (day.status, day.source, day.code, day.valid) == (
        DayStatus.ABSENT,
        RecordSource.LEAVE,
        "leave",
        True,
    )
    marked = AttendanceMark("se", "P1", MON, MarkKind.ABSENT)
    assert one_day(leave=[granted], marks=[marked]).code == "leave"


def test_a_mark_decides_with_its_source_and_a_roll_call_mark_outranks_an_import() -> None:
    imported = AttendanceMark("se", "P1", MON, MarkKind.LATE, source=MarkSource.IMPORT, minutes=9)
    day = one_day(marks=[imported])
    assert (day.status, day.source, day.minutes) == (DayStatus.LATE, RecordSource.IMPORT, 9)
    mentor = AttendanceMark("se", "P1", MON, MarkKind.ABSENT)
    assert one_day(marks=[imported, mentor]).source is RecordSource.ROLL_CALL


def test_a_lesson_mark_does_not_decide_the_day() -> None:
    lesson = AttendanceMark("se", "P1", MON, MarkKind.ABSENT, lesson="2")
    day = one_day(marks=[lesson], taken={("7A", MON): RecordSource.ROLL_CALL})
    assert (day.status, day.lessons_absent) == (DayStatus.PRESENT, 1)


def test_the_latest_correction_decides() -> None:
    def correction(status, at, valid=None):
        moment = datetime(2026, 11, 25, at, tzinfo=UTC)
        return Correction("se", "P1", MON, status, None, valid, "why", "S1", moment)

    day = one_day(
        marks=[AttendanceMark("se", "P1", MON, MarkKind.ABSENT)],
        corrections=[correction(DayStatus.PRESENT, 10), correction(DayStatus.ABSENT, 9, True)],
    )
    assert (day.status, day.source) == (DayStatus.PRESENT, RecordSource.CORRECTION)


def test_totals_leave_unknown_days_out_of_the_share() -> None:
    days = school_days(SE, MON, WED)
    record = build_record(
        SE,
        days,
        inputs(
            reports=[report(first=MON, last=MON)],
            taken={("7A", TUE): RecordSource.ROLL_CALL},
        ),
    )["P1"]
    counted = totals(record)
    assert (counted.school_days, counted.known, counted.absent, counted.unknown) == (3, 2, 1, 1)
    assert counted.absent_share == 0.5


def test_school_days_skip_weekends_and_holidays() -> None:
    assert school_days(SE, date(2026, 12, 25), date(2026, 12, 28)) == [date(2026, 12, 28)]


def test_the_decided_days_are_the_full_record_less_what_the_roll_call_alone_says() -> None:
    """`build_decided_days` (the nightly evaluation's record): pupils with nothing but marks
    are built straight from them, the others day by day; both as `build_record` decides."""
    chance = random.Random(7)
    days = school_days(SE, date(2026, 11, 2), date(2026, 11, 27))
    pupils = [Pupil("se", f"P{n}", f"P{n}", "7A" if n % 2 else "7B") for n in range(30)]
    marks, reports, leave, corrections, judgements = [], [], [], [], {}
    for pupil in pupils:
        for day in [*days, date(2026, 11, 7)]:
            roll = chance.random()
            if roll < 0.3:
                marks.append(
                    AttendanceMark(
                        "se",
                        pupil.pupil_id,
                        day,
                        chance.choice(list(MarkKind)),
                        lesson=chance.choice([None, None, "2"]),
                        explained=chance.random() < 0.5,
                        valid=chance.choice([True, False, None]),
                        code=chance.choice(["illness", "invalid", None]),
                        minutes=chance.choice([None, 20]),
                        source=chance.choice(list(MarkSource)),
                    )
                )
            if pupil.pupil_id in ("P3", "P4") and roll > 0.9:
                reports.append(
                    AbsenceReport("se", pupil.pupil_id, "G", ReasonCategory.ILLNESS, day, day)
                )
            if pupil.pupil_id == "P5" and roll > 0.9:
                leave.append(
                    LeaveRequest("se", "P5", "G", day, day, "x", NOW, LeaveStatus.GRANTED)
                )
            if pupil.pupil_id == "P6" and roll > 0.8:
                corrections.append(
                    Correction("se", "P6", day, DayStatus.ABSENT, "invalid", False, "", "S", NOW)
                )
            if pupil.pupil_id == "P7" and roll < 0.3:
                judgements[("P7", day)] = chance.random() < 0.5
    taken = {(c, d): RecordSource.IMPORT for c in ("7A", "7B") for d in days[::2]}
    given = inputs(
        pupils=pupils,
        marks=marks,
        reports=reports,
        taken=taken,
        leave=leave,
        corrections=corrections,
        judgements=judgements,
    )
    full = build_record(SE, days, given)
    decided = build_decided_days(SE, days, given)
    assert {"P3", "P5", "P6", "P7"} <= decided.keys()
    for pupil in pupils:
        mine = decided.get(pupil.pupil_id, {})
        for record in full[pupil.pupil_id]:
            if record.day in mine:
                assert mine[record.day] == record
            else:
                # Nothing but the roll call (or nothing at all) says anything of the day.
                assert (record.status, record.lessons_absent) in {
                    (DayStatus.PRESENT, 0),
                    (DayStatus.UNKNOWN, 0),
                }
        assert set(mine) <= set(days)
