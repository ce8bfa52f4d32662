"""Where a number meets a noun, the noun takes the number's form in each language (0, 1, 2)."""

import dataclasses

import pytest
from babel.messages.pofile import read_po

from dialogs.flows.roll_call import pupils_absent, pupils_late
from dialogs.i18n import SUPPORTED_LOCALES, ngettext, use_locale
from dialogs.messages import report_error_message
from locales import DOMAIN, LOCALES_DIR
from routine.model import ReportingRules
from routine.reporting import ReportError


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_each_catalog_declares_two_plural_forms_one_for_exactly_one(locale: str) -> None:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


def roll_call_counts(locale: str, count: int) -> tuple[str, str]:
    with use_locale(locale):
        return pupils_absent(count), pupils_late(count)


def test_roll_call_counts_agree_with_the_number() -> None:
    seen = {
        (locale, count): roll_call_counts(locale, count)
        for locale in SUPPORTED_LOCALES
        for count in (0, 1, 2)
    }
    assert seen == {
        ("sv", 0): ("0 elever frånvarande", "0 elever sena"),
        ("sv", 1): ("1 elev frånvarande", "1 elev sen"),
        ("sv", 2): ("2 elever frånvarande", "2 elever sena"),
        ("nb", 0): ("0 elever fraværende", "0 elever kom for sent"),
        ("nb", 1): ("1 elev fraværende", "1 elev kom for sent"),
        ("nb", 2): ("2 elever fraværende", "2 elever kom for sent"),
        ("da", 0): ("0 elever fraværende", "0 elever kom for sent"),
        ("da", 1): ("1 elev fraværende", "1 elev kom for sent"),
        ("da", 2): ("2 elever fraværende", "2 elever kom for sent"),
    }


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "Du kan anmäla frånvaro högst 0 dagar framåt."),
        (1, "Du kan anmäla frånvaro högst 1 dag framåt."),
        (2, "Du kan anmäla frånvaro högst 2 dagar framåt."),
    ],
)
def test_a_limit_in_days_agrees_with_the_number(days: int, expected: str) -> None:
    rules = dataclasses.replace(ReportingRules(), max_days_ahead=days)
    with use_locale("sv"):
        assert report_error_message(ReportError.TOO_FAR_AHEAD, rules) == expected


def test_a_limit_in_days_agrees_in_norwegian_and_danish() -> None:
    rules = dataclasses.replace(ReportingRules(), max_span_days=1)
    with use_locale("nb"):
        norwegian = report_error_message(ReportError.TOO_LONG, rules)
    with use_locale("da"):
        danish = report_error_message(ReportError.TOO_LONG, rules)
    assert norwegian.startswith("En fraværsmelding kan gjelde høyst 1 dag.")
    assert danish.startswith("En fraværsmelding kan højst dække 1 dag.")


def test_school_days_of_a_leave_request_agree_with_the_number() -> None:
    seen = {}
    for locale in SUPPORTED_LOCALES:
        with use_locale(locale):
            seen[locale] = [
                ngettext("{count} school day", "{count} school days", n).format(count=n)
                for n in (0, 1, 2)
            ]
    assert seen == {
        "sv": ["0 skoldagar", "1 skoldag", "2 skoldagar"],
        "nb": ["0 skoledager", "1 skoledag", "2 skoledager"],
        "da": ["0 skoledage", "1 skoledag", "2 skoledage"],
    }
