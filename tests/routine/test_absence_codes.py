"""The countries' default absence codes: the same codes everywhere, in each country's words."""

from __future__ import annotations

import pytest

from routine.absence_codes import DEFAULT_ABSENCE_CODES
from routine.model import Country


@pytest.mark.parametrize("country", list(Country))
def test_every_country_has_the_same_default_codes(country: Country) -> None:
    codes = {code.code: code for code in DEFAULT_ABSENCE_CODES[country]}

    assert sorted(codes) == ["appointment", "illness", "invalid", "late", "leave", "other"]
    assert [codes[c].valid for c in ("illness", "appointment", "leave", "invalid", "late")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert (codes["late"].late, codes["late"].counts_as_absence) == (True, False)
    assert all(code.counts_as_absence for code in codes.values() if not code.late)


def test_the_codes_use_each_countrys_words_for_invalid_absence() -> None:
    labels = {
        country: {code.code: code.label for code in DEFAULT_ABSENCE_CODES[country]}
        for country in Country
    }

    assert [labels[country]["invalid"] for country in Country] == [
        "Ogiltig frånvaro",
        "Ugyldig fravær",
        "Ulovligt fravær",
    ]


def test_only_danish_law_counts_other_reasons_as_unlawful() -> None:
    other = {
        country: next(c for c in DEFAULT_ABSENCE_CODES[country] if c.code == "other")
        for country in Country
    }

    assert {country: code.valid for country, code in other.items()} == {
        Country.SE: True,
        Country.NO: True,
        Country.DK: False,
    }
