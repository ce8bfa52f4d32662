"""Labels as they read inside sentences."""

from datetime import date, time

from dialogs.i18n import _, example_day, language_name, use_locale
from dialogs.labels import REASONS, day_label, describe_when, mid_sentence, one_full_stop
from routine.model import AbsenceReport, DayPart, ReasonCategory


def report(first: date, last: date, part: DayPart = DayPart.WHOLE_DAY) -> AbsenceReport:
    at = time(10, 30) if part is not DayPart.WHOLE_DAY else None
    return AbsenceReport("s", "P1", "G1", ReasonCategory.ILLNESS, first, last, part, at)


def test_a_span_of_days_is_not_called_a_whole_day_and_one_day_is() -> None:
    with use_locale("sv"):
        span = describe_when(report(date(2026, 11, 23), date(2026, 11, 24)))
        one = describe_when(report(date(2026, 11, 23), date(2026, 11, 23)))
    assert span == "måndag 23 november 2026 till tisdag 24 november 2026"
    assert one == "måndag 23 november 2026, hela dagen"


def test_a_label_inside_a_sentence_is_in_lower_case() -> None:
    with use_locale("da"):
        assert mid_sentence(REASONS[ReasonCategory.APPOINTMENT]) == "læge- eller tandlægebesøg"
    with use_locale("sv"):
        assert mid_sentence(REASONS[ReasonCategory.ILLNESS]) == "sjuk"


def test_norwegians_are_written_to_på_bokmål() -> None:
    sentences = {}
    for code in ("sv", "nb", "da"):
        with use_locale(code):
            sentences[code] = _("From now on I will write to you in {language}.").format(
                language=language_name(code, capitalised=False)
            )
    assert sentences == {
        "sv": "Från och med nu skriver jag till dig på svenska.",
        "nb": "Fra nå av skriver jeg til deg på bokmål.",
        "da": "Fra nu af skriver jeg til dig på dansk.",
    }
    with use_locale("nb"):
        assert language_name("nb") == "Norsk bokmål"


def test_a_date_example_never_ends_a_sentence_with_two_dots() -> None:
    """Norwegian writes '24.11.': a message ending in '{example}.' would show '24.11..'."""
    prompts = (
        "I could not read that date. Please write it like {example}.",
        "What is the first day? Choose a day or type a date, for example {example}.",
        "What is the first day of the leave? Choose a day or type a date, for example {example}.",
        "Day (for example {example})",
    )
    doubled = []
    for code in ("sv", "nb", "da"):
        with use_locale(code):
            example = example_day(date(2026, 11, 24))
            doubled += [p for p in prompts if ".." in _(p).format(example=example)]
    assert doubled == []


def test_today_on_a_day_button_says_so() -> None:
    monday = date(2026, 11, 23)
    with use_locale("da"):
        labels = [day_label(day, monday) for day in (monday, date(2026, 11, 25))]
    assert labels == ["I dag (man. 23. nov.)", "ons. 25. nov."]


def test_a_sentence_ending_on_an_abbreviated_day_has_one_full_stop() -> None:
    assert one_full_stop("Avslutat sön 6 dec..") == "Avslutat sön 6 dec."
    assert (
        one_full_stop("senest 7. dec.. Ansvarlig: Birgit.") == "senest 7. dec. Ansvarlig: Birgit."
    )
    # An ellipsis, and a day written in full, are left as they are.
    assert one_full_stop("Vänta... sedan") == "Vänta... sedan"
    assert one_full_stop("Afsluttet 6 maj.") == "Afsluttet 6 maj."
