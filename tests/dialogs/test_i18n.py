from datetime import date, time

from dialogs.i18n import (
    N_,
    _,
    clock_hint,
    current_locale,
    example_day,
    format_clock,
    format_day,
    format_number,
    language_name,
    use_locale,
)


def test_numbers_dates_and_times_follow_the_reader_s_locale() -> None:
    seen = {}
    for locale in ("sv", "nb", "da"):
        with use_locale(locale):
            seen[locale] = (
                format_number(1000),
                format_day(date(2026, 11, 23)),
                format_clock(time(9, 5)),
            )
    assert seen == {
        "sv": ("1\xa0000", "måndag 23 november 2026", "09:05"),
        "nb": ("1\xa0000", "mandag 23. november 2026", "09:05"),
        "da": ("1.000", "mandag den 23. november 2026", "09.05"),
    }


def test_a_lazy_string_is_translated_when_shown_not_when_declared() -> None:
    label = N_("Report an absence")
    with use_locale("sv"):
        swedish = str(label)
    with use_locale("da"):
        danish = str(label)
    assert (swedish, danish) == ("Anmäl frånvaro", "Meld fravær")


def test_the_locale_is_local_to_the_block_and_unknown_ones_fall_back() -> None:
    with use_locale("da"):
        with use_locale("en"):
            inner = (current_locale(), _("Cancel"))
        outer = current_locale()
    assert (inner, outer) == (("sv", "Avbryt"), "da")


def test_language_names_are_written_in_their_own_language() -> None:
    assert [language_name(c) for c in ("sv", "nb", "da")] == ["Svenska", "Norsk bokmål", "Dansk"]
    assert language_name("nb", capitalised=False) == "bokmål"  # "på bokmål" in a sentence


def test_time_hints_and_date_examples_are_written_as_each_locale_writes_them() -> None:
    """Danish writes 'kl. 10.30', so its hint is 'TT.MM'; Norwegians write '24.11.'."""
    seen = {}
    for locale in ("sv", "nb", "da"):
        with use_locale(locale):
            seen[locale] = (
                clock_hint(),
                example_day(date(2026, 11, 24)),
                format_clock(time(10, 30)),
            )
    assert seen == {
        "sv": ("TT:MM", "24/11", "10:30"),
        "nb": ("TT:MM", "24.11.", "10:30"),
        "da": ("TT.MM", "24.11", "10.30"),
    }
