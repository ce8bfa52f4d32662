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


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "sv",
            [
                "Steg 1 – kontakt med vårdnadshavare samma dag:",
                "• tors 12 nov.: kontakt med familjen per telefon",
                "• mån 16 nov.: ingen kontakt registrerad",
                "• tis 17 nov.: familjen nåddes inte via meddelande",
                "• ons 18 nov.: kontakt med familjen vid ett möte",
            ],
        ),
        (
            "nb",
            [
                "Steg 1 – kontakt med foresatte samme dag:",
                "• tor. 12. nov.: kontakt med familien på telefon",
                "• man. 16. nov.: ingen kontakt registrert",
                "• tir. 17. nov.: familien ble ikke nådd skriftlig i chatten",
                "• ons. 18. nov.: kontakt med familien på et møte",
            ],
        ),
        (
            "da",
            [
                "Trin 1 – kontakt med forældrene samme dag:",
                "• tors. 12. nov.: kontakt med familien telefonisk",
                "• man. 16. nov.: ingen kontakt registreret",
                "• tirs. 17. nov.: familien kunne ikke nås via besked",
                "• ons. 18. nov.: kontakt med familien ved et møde",
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
