"""`mentor_sees_reason = false` holds in every message to staff about a guardian's report or
answer: the reason is never named, whichever kind of message it is."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time

import pytest

from dialogs.follow_up_list import _reported_line
from dialogs.i18n import use_locale
from dialogs.labels import REASONS
from dialogs.notices import late_report, prompt_answered
from routine.model import (
    AbsenceReport,
    Country,
    DayPart,
    Guardian,
    Language,
    PrivacySettings,
    Pupil,
    ReasonCategory,
    Role,
    School,
    StaffMember,
)
from routine.requests import PromptAnswer
from routine.roster import default_absence_codes

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
PUPIL = Pupil("se", "P1", "Elsa Berg", "7A")
GUARDIAN = Guardian("se", "G1", "Anna Berg", Language.SV, pupil_ids=("P1",))
MENTOR = StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), Language.SV, "U1")


def school(sees: bool) -> School:
    return School(
        "se", "Ekbacka", Country.SE, "Europe/Stockholm", Language.SV,
        privacy=PrivacySettings(mentor_sees_reason=sees, mentor_sees_note=sees),
    )  # fmt: skip


def labels() -> list[str]:
    with use_locale("sv"):
        return [str(label).lower() for label in REASONS.values()] + ["sjuk", "annat skäl"]


def staff_texts(sees: bool) -> list[str]:
    place = school(sees)
    codes = {c.code: c for c in default_absence_codes(place)}
    texts = []
    for reason in ReasonCategory:
        report = AbsenceReport(
            "se", "P1", "G1", reason, date(2026, 11, 23), date(2026, 11, 23),
            DayPart.ARRIVING_LATE, time(10), note="Tandläkare", id=7,
        )  # fmt: skip
        texts.append(late_report(place, MENTOR, PUPIL, GUARDIAN, report, NOW).text)
        whole = dataclasses.replace(report, part=DayPart.WHOLE_DAY, at_time=None)
        with use_locale("sv"):
            texts.append(_reported_line(place, whole, codes))
    for answer in PromptAnswer:
        texts.append(prompt_answered(place, MENTOR, PUPIL, GUARDIAN, answer, "s", NOW).text)
    return texts


@pytest.mark.parametrize("sees", [True, False])
def test_reasons_reach_staff_only_where_the_school_lets_them(sees: bool) -> None:
    named = [t for t in staff_texts(sees) if any(label in t.lower() for label in labels())]
    if sees:
        assert named  # the check can find a reason where one is shown
    else:
        assert named == []
