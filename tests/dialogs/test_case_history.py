"""The step-1 history lines of a case card, as a native reader of each language reads them:
the heading, a day without a recorded contact, and each way of contact reached and not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dialogs.case_history import StepOneDay, history_lines
from dialogs.i18n import use_locale
from routine.follow_up import ContactMeans, ContactOutcome, GuardianContact

THURSDAY, MONDAY, TUESDAY = date(2026, 11, 12), date(2026, 11, 16), date(2026, 11, 17)
WEDNESDAY = date(2026, 11, 18)


def contact(means: ContactMeans, outcome: ContactOutcome) -> GuardianContact:
    return GuardianContact(
        1, "S1", "G1", datetime(2026, 11, 12, 9, tzinfo=UTC), means, outcome, None
    )


DAYS = [
    StepOneDay(THURSDAY, contact(ContactMeans.PHONE, ContactOutcome.REACHED)),
    StepOneDay(MONDAY, None),
    StepOneDay(TUESDAY, contact(ContactMeans.MESSAGE, ContactOutcome.NOT_REACHED)),
    StepOneDay(WEDNESDAY, contact(ContactMeans.MEETING, ContactOutcome.REACHED)),
]


@pytest.mark.parametrize("locale", ["sv", "nb", "da"])
def test_every_way_and_outcome_has_its_own_sentence(locale: str) -> None:
    """Six different sentences: a meeting the family missed is not "not reached at a meeting"."""
    with use_locale(locale):
        lines = {
            history_lines([StepOneDay(MONDAY, contact(means, outcome))])[1]
            for means in ContactMeans
            for outcome in ContactOutcome
        }
    assert len(lines) == len(ContactMeans) * len(ContactOutcome)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "sv",
            [
                "Steg 1 – kontakt med vårdnadshavare samma dag:",
                "• tors 12 nov.: fick kontakt med familjen per telefon",
                "• mån 16 nov.: ingen kontakt registrerad",
                "• tis 17 nov.: skickade ett meddelande till familjen, fick inget svar",
                "• ons 18 nov.: träffade familjen",
            ],
        ),
        (
            "nb",
            [
                "Steg 1 – kontakt med foresatte samme dag:",
                "• tor. 12. nov.: fikk kontakt med familien på telefon",
                "• man. 16. nov.: ingen kontakt registrert",
                "• tir. 17. nov.: skrev til familien i chatten, fikk ikke svar",
                "• ons. 18. nov.: møtte familien",
            ],
        ),
        (
            "da",
            [
                "Trin 1 – kontakt med forældrene samme dag:",
                "• tors. 12. nov.: fik kontakt med familien telefonisk",
                "• man. 16. nov.: ingen kontakt registreret",
                "• tirs. 17. nov.: sendte familien en besked, fik intet svar",
                "• ons. 18. nov.: mødtes med familien",
            ],
        ),
    ],
)
def test_the_step_one_history_reads_as_a_native_writes_it(
    locale: str, expected: list[str]
) -> None:
    with use_locale(locale):
        assert history_lines(DAYS) == expected


def test_no_step_one_days_show_nothing() -> None:
    with use_locale("da"):
        assert history_lines([]) == []
