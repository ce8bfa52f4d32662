"""Reading the school file: what a good file gives."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bot.files import parse_school_file
from routine.model import (
    Country,
    DateSpan,
    Language,
    PrivacySettings,
    ReportingRules,
    Role,
    SchoolCalendar,
    SchoolTimes,
)
from tests.bot.file_samples import SCHOOL, changed, write


def test_a_school_file_gives_the_school_its_classes_and_staff(tmp_path: Path) -> None:
    spec = parse_school_file(write(tmp_path, SCHOOL))

    assert (spec.school.key, spec.school.name, spec.school.country) == (
        "se-test",
        "Testskolan",
        Country.SE,
    )
    assert (spec.school.timezone, spec.school.language) == ("Europe/Stockholm", Language.SV)
    assert spec.school.times == SchoolTimes()
    assert spec.school.calendar == SchoolCalendar(
        terms=(DateSpan(date(2026, 8, 18), date(2026, 12, 18), "HT"),),
        days_off=(date(2026, 11, 2),),
    )
    assert spec.school.privacy == PrivacySettings()
    assert spec.classes == ("7A", "7B")
    assert [(s.staff_id, s.roles, s.classes, s.slack_user_id) for s in spec.staff] == [
        ("S-1", frozenset({Role.MENTOR}), ("7A",), "U0001"),
        ("S-2", frozenset({Role.PRINCIPAL}), (), "U0002"),
    ]


@pytest.mark.parametrize(
    ("country", "language"), [("NO", Language.NB), ("DK", Language.DA), ("se", Language.SV)]
)
def test_the_language_defaults_to_the_countrys(
    tmp_path: Path, country: str, language: Language
) -> None:
    spec = parse_school_file(write(tmp_path, changed(SCHOOL, '"SE"', f'"{country}"')))

    assert spec.school.language == language


def test_roles_may_be_written_in_the_countries_own_words(tmp_path: Path) -> None:
    text = changed(SCHOOL, '["principal"]', '["Rektor", "tovholder", "kom-i-skole-team"]')

    spec = parse_school_file(write(tmp_path, text))

    assert spec.staff[1].roles == {Role.PRINCIPAL, Role.COORDINATOR, Role.PUPIL_HEALTH}


def test_times_dates_as_strings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    text = changed(SCHOOL, "[2026-11-02]", '["2026-11-02"]')
    text = changed(text, 'roll_call = "08:15"', 'roll_call = "8:05"\nend_of_day = 15:30:00')

    spec = parse_school_file(write(tmp_path, "\ufeff" + text))

    assert spec.school.calendar.days_off == (date(2026, 11, 2),)
    assert (spec.school.times.roll_call, spec.school.times.end_of_day) == (
        time(8, 5),
        time(15, 30),
    )


@pytest.mark.parametrize(
    ("times", "reminder"),
    [
        ('roll_call = "08:15"', time(8, 45)),
        ('roll_call = "08:50"', time(8, 55)),
        ('roll_call = "08:15"\nroll_call_reminder = "08:30"', time(8, 30)),
    ],
    ids=["default", "halfway-when-close", "given"],
)
def test_the_roll_call_reminder_comes_before_the_roll_call_is_due(
    tmp_path: Path, times: str, reminder: time
) -> None:
    spec = parse_school_file(write(tmp_path, changed(SCHOOL, 'roll_call = "08:15"', times)))
    assert spec.school.times.roll_call_reminder == reminder


def test_the_escalation_time_of_contact_requests_is_read_in_minutes(tmp_path: Path) -> None:
    text = changed(
        SCHOOL, 'roll_call = "08:15"', 'roll_call = "08:15"\nescalate_after_minutes = 45'
    )
    spec = parse_school_file(write(tmp_path, text))
    assert spec.school.times.escalate_after == timedelta(minutes=45)


def test_a_school_s_reporting_rules_are_read(tmp_path: Path) -> None:
    text = SCHOOL.replace(
        "retention_days = 400",
        'retention_days = 400\n\n[reporting]\nmax_days_ahead = 14\nlatest_time = "16:30"',
    )
    spec = parse_school_file(write(tmp_path, text))
    assert spec.school.reporting == ReportingRules(max_days_ahead=14, latest_time=time(16, 30))
