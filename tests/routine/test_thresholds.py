"""The counting rules over the record: just below, at and just above each threshold, on the
edges of each window, across weekends, breaks and public holidays, unknown days left out."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from routine.model import Country, DateSpan, Language, School, SchoolCalendar
from routine.policy import (
    DEFAULTS,
    DK_ILLNESS_15,
    DK_ILLNESS_TOTAL_15,
    DK_UNLAWFUL_10,
    DK_UNLAWFUL_15,
    NO_INVALID_REPEATED,
    NO_LATE_MONTH,
    NO_OSLO_SHARE,
    NO_SINGLE_DAYS,
    NO_VALID_DAYS_TERM,
    SE_STEP2,
    Comparison,
    Measure,
    Rule,
)
from routine.record import DayRecord, DayStatus, RecordSource, school_days
from routine.thresholds import (
    RuleHit,
    evaluate,
    least_possible,
    may_hold,
    record_span,
)

AUTUMN = DateSpan(date(2026, 8, 17), date(2026, 12, 18), "autumn")
SPRING = DateSpan(date(2027, 1, 11), date(2027, 6, 11), "spring")
AUTUMN_BREAK = DateSpan(date(2026, 10, 26), date(2026, 10, 30), "autumn break")
CALENDAR = SchoolCalendar(terms=(AUTUMN, SPRING), breaks=(AUTUMN_BREAK,))
SE = School("se", "Ekbacka", Country.SE, "Europe/Stockholm", Language.SV, calendar=CALENDAR)
NO = School("no", "Skolen", Country.NO, "Europe/Oslo", Language.NB, calendar=CALENDAR)
DK = School("dk", "Skolen", Country.DK, "Europe/Copenhagen", Language.DA, calendar=CALENDAR)

PRESENT = DayStatus.PRESENT


def day_record(day: date, status: DayStatus = PRESENT, **fields) -> DayRecord:
    source = RecordSource.NONE if status is DayStatus.UNKNOWN else RecordSource.ROLL_CALL
    return DayRecord("P1", day, status, source, **fields)


def absent(valid: bool | None = None, code: str | None = None) -> dict:
    return {"status": DayStatus.ABSENT, "valid": valid, "code": code}


def record(school: School, end: date, rule: Rule, changed: dict[date, dict]) -> list[DayRecord]:
    start, _ = record_span(school, [rule], end) or (end, end)
    days = school_days(school, date(start.year, start.month, 1), end)
    return [day_record(day, **changed.get(day, {})) for day in days]


def hits(school: School, rule: Rule, end: date, changed: dict[date, dict]):
    return evaluate(school, [rule], end, {"P1": record(school, end, rule, changed)})


def last_days(school: School, end: date, count: int) -> list[date]:
    return school_days(school, date(end.year - 1, 1, 1), end)[-count:]


# Sweden, step 2: over 10 % of the known school days in the last 4 weeks (20 school days).

SE_END = date(2026, 12, 4)


def test_se_step2_at_ten_percent_is_no_hit_and_just_over_is() -> None:
    window = last_days(SE, SE_END, 20)
    assert hits(SE, SE_STEP2, SE_END, {d: absent() for d in window[:2]}) == []
    found = hits(SE, SE_STEP2, SE_END, {d: absent() for d in window[:3]})
    assert [(h.rule_id, h.numbers["count"], h.numbers["known"]) for h in found] == [
        ("se.step2", 3, 20)
    ]
    assert found[0].numbers["share"] == 0.15
    assert found[0].days == tuple(window[:3])
    assert (found[0].window_start, found[0].window_end) == (window[0], SE_END)


def test_se_step2_leaves_unknown_days_out_of_the_share() -> None:
    window = last_days(SE, SE_END, 20)
    changed = {d: absent() for d in window[:2]} | {window[5]: {"status": DayStatus.UNKNOWN}}
    [hit] = hits(SE, SE_STEP2, SE_END, changed)
    assert (hit.numbers["count"], hit.numbers["known"], hit.numbers["school_days"]) == (2, 19, 20)


def test_se_step2_needs_enough_known_days() -> None:
    window = last_days(SE, SE_END, 20)
    unknown = {d: {"status": DayStatus.UNKNOWN} for d in window[:11]}
    two = {d: absent() for d in window[-2:]}
    assert hits(SE, SE_STEP2, SE_END, unknown | two) == []
    fewer_unknown = {d: {"status": DayStatus.UNKNOWN} for d in window[:10]}
    [hit] = hits(SE, SE_STEP2, SE_END, fewer_unknown | two)
    assert (hit.numbers["known"], hit.numbers["share"]) == (10, 0.2)


def test_se_step2_window_edge_a_day_before_it_does_not_count() -> None:
    window = last_days(SE, SE_END, 21)
    changed = {window[0]: absent(), window[1]: absent(), window[2]: absent()}
    assert hits(SE, SE_STEP2, SE_END, changed) == []


def test_se_step2_window_reaches_back_over_a_break_and_a_holiday() -> None:
    # 2026-11-06 is a Friday; the autumn break's week is no school days.
    end = date(2026, 11, 6)
    window = last_days(SE, end, 20)
    assert AUTUMN_BREAK.start not in window and date(2026, 10, 23) in window
    assert window[0] == date(2026, 10, 5)
    [hit] = hits(SE, SE_STEP2, end, {d: absent() for d in window[:3]})
    assert hit.window_start == date(2026, 10, 5)
    # Ascension Day (Thursday 6 May 2027) is a public holiday: the window starts a day earlier.
    end = date(2027, 5, 14)
    window = last_days(SE, end, 20)
    assert date(2027, 5, 6) not in window and window[0] == date(2027, 4, 16)
    [hit] = hits(SE, SE_STEP2, end, {d: absent() for d in window[:3]})
    assert hit.window_start == date(2027, 4, 16) and hit.numbers["school_days"] == 20


# Norway, Drammen's triggers (002: 649–663).


def test_no_invalid_more_than_once_per_term() -> None:
    end = date(2026, 9, 30)
    one = {date(2026, 9, 1): absent(valid=False)}
    assert hits(NO, NO_INVALID_REPEATED, end, one) == []
    two = one | {date(2026, 9, 2): absent(valid=False), date(2026, 9, 3): absent(valid=True)}
    [hit] = hits(NO, NO_INVALID_REPEATED, end, two)
    assert hit.numbers["count"] == 2 and hit.window_start == AUTUMN.start


def test_no_single_days_more_than_three_in_a_month() -> None:
    end = date(2026, 11, 30)
    singles = [date(2026, 11, d) for d in (3, 10, 17)]
    assert hits(NO, NO_SINGLE_DAYS, end, {d: absent() for d in singles}) == []
    four = [*singles, date(2026, 11, 24)]
    [hit] = hits(NO, NO_SINGLE_DAYS, end, {d: absent() for d in four})
    assert hit.days == tuple(four)
    # Two days in a row are not single days; nor is a day next to an unknown one.
    in_a_row = [*singles, date(2026, 11, 24), date(2026, 11, 25)]
    assert hits(NO, NO_SINGLE_DAYS, end, {d: absent() for d in in_a_row}) == []
    beside_unknown = {d: absent() for d in four} | {
        date(2026, 11, 25): {"status": DayStatus.UNKNOWN}
    }
    assert hits(NO, NO_SINGLE_DAYS, end, beside_unknown) == []


def test_no_single_days_month_edge() -> None:
    # Monday 2 Nov is the first school day of November; 30 Oct is the autumn break.
    days = [date(2026, 10, 22), date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 17)]
    assert hits(NO, NO_SINGLE_DAYS, date(2026, 11, 20), {d: absent() for d in days}) == []


def test_no_valid_days_over_ten_in_a_term() -> None:
    end = date(2026, 12, 18)
    days = school_days(NO, date(2026, 12, 1), end)
    assert hits(NO, NO_VALID_DAYS_TERM, end, {d: absent(valid=True) for d in days[:10]}) == []
    assert len(hits(NO, NO_VALID_DAYS_TERM, end, {d: absent(valid=True) for d in days[:11]}))


def test_no_valid_days_start_again_in_the_next_term() -> None:
    autumn = school_days(NO, date(2026, 12, 1), date(2026, 12, 18))
    changed = {d: absent(valid=True) for d in autumn[:11]}
    assert hits(NO, NO_VALID_DAYS_TERM, date(2027, 1, 12), changed) == []


def test_no_late_more_than_three_times_in_a_calendar_month() -> None:
    late = {"status": DayStatus.LATE}
    end = date(2026, 12, 4)
    three = {date(2026, 11, 30): late} | {date(2026, 12, d): late for d in (1, 2, 3)}
    assert hits(NO, NO_LATE_MONTH, end, three) == []
    four = three | {date(2026, 12, 4): late}
    assert [h.numbers["count"] for h in hits(NO, NO_LATE_MONTH, end, four)] == [4]


def test_no_oslo_share_is_off_by_default_and_counts_the_term_when_on() -> None:
    assert not NO_OSLO_SHARE.enabled
    end = date(2026, 9, 11)
    days = school_days(NO, AUTUMN.start, end)
    assert len(days) == 20
    changed = {d: absent() for d in days[:3]}
    assert hits(NO, NO_OSLO_SHARE, end, changed) == []
    on = dataclasses.replace(NO_OSLO_SHARE, enabled=True)
    assert len(hits(NO, on, end, changed)) == 1


# Denmark: unlawful absence at least 10 % / 15 % in a quarter; illness 15 school days.


def test_dk_unlawful_at_ten_and_fifteen_percent_count_at_the_boundary() -> None:
    end = date(2026, 10, 23)
    days = school_days(DK, date(2026, 10, 1), end)
    assert len(days) == 17  # 16 Oct is Friday; no Danish holidays in October
    assert hits(DK, DK_UNLAWFUL_10, end, {days[0]: absent(valid=False)}) == []
    two = {d: absent(valid=False) for d in days[:2]}
    [hit] = hits(DK, DK_UNLAWFUL_10, end, two)
    assert hit.numbers["share"] == round(2 / 17, 4)
    assert hits(DK, DK_UNLAWFUL_15, end, two) == []
    three = {d: absent(valid=False) for d in days[:3]}
    assert len(hits(DK, DK_UNLAWFUL_15, end, three)) == 1


def test_dk_quarter_edge_september_does_not_count_in_october() -> None:
    end = date(2026, 10, 23)
    september = school_days(DK, date(2026, 9, 1), date(2026, 9, 30))
    changed = {d: absent(valid=False) for d in september[-5:]}
    assert hits(DK, DK_UNLAWFUL_10, end, changed) == []
    [hit] = hits(DK, DK_UNLAWFUL_10, date(2026, 9, 30), changed)
    assert hit.window_start == date(2026, 7, 1)


def test_dk_illness_fifteen_school_days_in_a_row_across_a_holiday_and_unknown_days() -> None:
    end = date(2026, 12, 18)
    days = school_days(DK, date(2026, 11, 1), end)
    illness = absent(valid=True, code="illness")
    fourteen = {d: illness for d in days[-14:]}
    assert hits(DK, DK_ILLNESS_15, end, fourteen) == []
    gap = fourteen | {days[-15]: {"status": DayStatus.UNKNOWN}, days[-16]: illness}
    [hit] = hits(DK, DK_ILLNESS_15, end, gap)
    assert hit.numbers["count"] == 15
    broken = fourteen | {days[-15]: {"status": PRESENT}, days[-16]: illness}
    assert hits(DK, DK_ILLNESS_15, end, broken) == []


def test_dk_frequent_short_illness_adds_up_to_fifteen_days() -> None:
    end = date(2026, 12, 18)
    days = school_days(DK, AUTUMN.start, end)
    illness = absent(valid=True, code="illness")
    changed = {d: illness for d in days[::5][:14]}
    assert hits(DK, DK_ILLNESS_TOTAL_15, end, changed) == []
    changed = {d: illness for d in days[::5][:15]}
    assert len(hits(DK, DK_ILLNESS_TOTAL_15, end, changed)) == 1


def test_outside_any_term_no_term_rule_is_evaluated() -> None:
    assert hits(NO, NO_VALID_DAYS_TERM, date(2026, 12, 28), {}) == []


def test_event_rules_are_listed_but_never_counted() -> None:
    events = [r for rules in DEFAULTS.values() for r in rules if r.measure is Measure.EVENT]
    assert {r.id for r in events} == {
        "se.step3_review",
        "no.leaves_lessons",
        "no.pupil_concern",
        "no.guardian_concern",
    }
    assert evaluate(NO, events, date(2026, 12, 4), {"P1": []}) == []


def test_no_count_below_the_least_possible_may_hold() -> None:
    """The scan leaves out the pupils below `least_possible` in every window: for every
    default rule and thresholds around the shares' rounding, no count below it may hold,
    whatever the taken and school days, and the least itself may where any count may (it is
    not loose, a share's neither)."""
    rules = [r for c in Country for r in DEFAULTS[c] if r.measure is not Measure.EVENT]
    thresholds = [0, 0.1, 0.15, 0.3, 1, 1.5, 2, 3, 10, 14.999, 15]
    for rule in rules:
        for threshold in thresholds:
            for comparison in Comparison:
                for min_known in (0, 1, 3, 10):
                    changed = dataclasses.replace(
                        rule, threshold=threshold, comparison=comparison, min_known_days=min_known
                    )
                    least = least_possible(changed)
                    for count in range(least):
                        for taken in (0, 1, 5, 10, 39):
                            for days in (0, 10, 40):
                                assert not may_hold(changed, count, taken, days), (
                                    changed,
                                    count,
                                )
                    # Not loose: the least itself may hold, where any count may.
                    if any(may_hold(changed, n, 0, 40) for n in range(41)):
                        assert may_hold(changed, least, 0, 40), changed


def test_no_count_below_the_least_possible_with_taken_days_may_hold() -> None:
    """Where every class has at least so many taken days, a share's least rises with them:
    no count below it may hold in a class with that many taken days or more, and one more
    than the least may where the known days are just the taken days (it is not loose; it
    stays a hair low at a share exactly on the threshold)."""
    shares = [r for c in Country for r in DEFAULTS[c] if r.measure is Measure.SHARE]
    assert shares
    for rule in shares:
        for threshold in (0.05, 0.1, 0.15, 0.3):
            for comparison in Comparison:
                for fewest in (0, 5, 20, 40):
                    changed = dataclasses.replace(
                        rule, threshold=threshold, comparison=comparison, min_known_days=5
                    )
                    least = least_possible(changed, fewest)
                    assert least >= least_possible(changed)
                    for count in range(least):
                        for taken in range(fewest, fewest + 20):
                            assert not may_hold(changed, count, taken, 40), (changed, count)
                    if fewest >= 5 and least < fewest:
                        assert may_hold(changed, least + 1, fewest, 40), (changed, fewest)


def test_a_hit_alike_is_the_same_hit_for_another_pupil() -> None:
    numbers = {"count": 3, "school_days": 40}
    hit = RuleHit("no", "P1", "no.invalid_repeated", date(2027, 1, 11), date(2027, 6, 10), numbers)
    other = hit.alike("P2")
    assert other == dataclasses.replace(hit, pupil_id="P2")
    assert (other.pupil_id, hit.pupil_id, other.numbers) == ("P2", "P1", numbers)
    with pytest.raises(dataclasses.FrozenInstanceError):
        other.pupil_id = "P3"  # type: ignore[misc]
