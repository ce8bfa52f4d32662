"""The order that decides a staff member's language (README: "Languages"): their own choice,
then their platform's locale, then the school file's language for them, then the school's."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from routine.model import Country, Language, Role, School, StaffMember

SCHOOL = School("se", "Testskolan", Country.SE, "Europe/Stockholm", Language.SV)
ANNA = StaffMember("se", "S-1", "Anna", frozenset({Role.MENTOR}), ("7A",), None, "U1")
ASKED = datetime(2026, 11, 23, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("chosen", "platform", "file", "speaks"),
    [
        (None, None, None, Language.SV),
        (None, None, Language.DA, Language.DA),
        (None, Language.NB, Language.DA, Language.NB),
        (Language.DA, Language.NB, Language.SV, Language.DA),
        (Language.SV, Language.NB, None, Language.SV),
    ],
)
def test_the_order_choice_platform_file_school(
    chosen: Language | None, platform: Language | None, file: Language | None, speaks: Language
) -> None:
    member = dataclasses.replace(
        ANNA, chosen_language=chosen, platform_language=platform, language=file
    )
    assert member.speaks(SCHOOL) is speaks


def test_only_a_slack_account_never_asked_and_without_a_locale_needs_asking() -> None:
    assert ANNA.needs_platform_locale()
    assert not dataclasses.replace(ANNA, slack_user_id="").needs_platform_locale()
    assert not dataclasses.replace(ANNA, platform_language=Language.NB).needs_platform_locale()
    assert not dataclasses.replace(ANNA, platform_locale_asked=ASKED).needs_platform_locale()


def test_a_file_applied_again_keeps_what_the_platform_said_while_the_account_is_the_same() -> None:
    stored = dataclasses.replace(
        ANNA,
        chosen_language=Language.DA,
        platform_language=Language.NB,
        platform_locale_asked=ASKED,
    )
    kept = ANNA.keeping_preferences_of(stored)
    other = dataclasses.replace(ANNA, slack_user_id="U2").keeping_preferences_of(stored)

    assert (kept.chosen_language, kept.platform_language, kept.platform_locale_asked) == (
        Language.DA,
        Language.NB,
        ASKED,
    )
    # Another Slack account: its locale is not known and is asked anew; the choice stays.
    assert (other.chosen_language, other.platform_language, other.platform_locale_asked) == (
        Language.DA,
        None,
        None,
    )
    assert other.needs_platform_locale()
