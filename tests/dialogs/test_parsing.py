from datetime import date, time

import pytest

from dialogs.parsing import parse_clock, parse_day

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24/11", date(2026, 11, 24)),
        ("24.11.", date(2026, 11, 24)),
        ("24.11", date(2026, 11, 24)),
        (" 2026-11-24 ", date(2026, 11, 24)),
        ("24.11.2026", date(2026, 11, 24)),
        ("24/11/26", date(2026, 11, 24)),
        ("8/1", date(2027, 1, 8)),  # early January typed in November means next year
        ("20/11", date(2026, 11, 20)),  # a recent past day stays in this year
        ("31/11", None),
        ("tomorrow", None),
        ("", None),
    ],
)
def test_parse_day(typed: str, expected: date | None) -> None:
    assert parse_day(typed, TODAY) == expected


# TODAY is a Monday.
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("i dag", TODAY),
        ("idag", TODAY),
        ("I morgon", date(2026, 11, 24)),
        ("imorgon", date(2026, 11, 24)),
        ("i morgen", date(2026, 11, 24)),
        ("imorgen", date(2026, 11, 24)),
        ("i övermorgon", date(2026, 11, 25)),
        ("i overmorgen", date(2026, 11, 25)),
        ("fredag", date(2026, 11, 27)),
        ("på fredag", date(2026, 11, 27)),
        ("Torsdag.", date(2026, 11, 26)),
        ("tors", date(2026, 11, 26)),
        ("lørdag", date(2026, 11, 28)),
        ("søndag", date(2026, 11, 29)),
        ("tirsdag", date(2026, 11, 24)),
        ("mandag", date(2026, 11, 30)),  # today is "i dag": Monday means next week's
        ("måndag", date(2026, 11, 30)),
        ("nästa fredag", None),  # this week's or next? Asked again, not guessed
        ("on", None),
    ],
)
def test_parse_day_in_words(typed: str, expected: date | None) -> None:
    assert parse_day(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:30", time(10, 30)),
        ("8.15", time(8, 15)),
        ("0945", time(9, 45)),
        ("13", time(13, 0)),
        ("24:00", None),
        ("10:75", None),
        ("soon", None),
    ],
)
def test_parse_clock(typed: str, expected: time | None) -> None:
    assert parse_clock(typed) == expected
