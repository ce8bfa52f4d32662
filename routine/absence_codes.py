"""The country's default absence codes, seeded for a school that has none of its own yet.

Plain data: a school's own codes, once it has them, are never overwritten (`routine.school_file`).
"""

from __future__ import annotations

import dataclasses
from typing import Final

from routine.model import AbsenceCode, Country, School


def _code(code: str, label: str, *, valid: bool, late: bool = False) -> AbsenceCode:
    # Lateness is counted on its own (e.g. Drammen: late more than 3 times in a month),
    # not towards the absence percentage.
    return AbsenceCode(
        school_key="", code=code, label=label, counts_as_absence=not late, valid=valid, late=late
    )


# Templates with an empty school_key; `default_absence_codes` fills it in. Labels use the
# sources' own words: giltig/ogiltig (sv), gyldig/ugyldig (nb), lovligt/ulovligt (da).
# "other" differs on purpose: in Sweden and Norway a reported absence is valid, while Danish law
# counts everything that is not illness, an appointment or granted leave as unlawful
# (domain guide §2; 004: 2446–2460).
DEFAULT_ABSENCE_CODES: Final[dict[Country, tuple[AbsenceCode, ...]]] = {
    Country.SE: (
        _code("illness", "Sjukdom (giltig frånvaro)", valid=True),
        _code("appointment", "Läkar- eller tandläkarbesök (giltig frånvaro)", valid=True),
        _code("leave", "Beviljad ledighet (giltig frånvaro)", valid=True),
        _code("other", "Annat anmält skäl (giltig frånvaro)", valid=True),
        _code("invalid", "Ogiltig frånvaro", valid=False),
        _code("late", "Sen ankomst", valid=False, late=True),
    ),
    Country.NO: (
        _code("illness", "Sykdom (gyldig fravær)", valid=True),
        _code("appointment", "Lege- eller tannlegetime (gyldig fravær)", valid=True),
        _code("leave", "Innvilget permisjon (gyldig fravær)", valid=True),
        _code("other", "Annen meldt grunn (gyldig fravær)", valid=True),
        _code("invalid", "Ugyldig fravær", valid=False),
        _code("late", "Forsentkomming", valid=False, late=True),
    ),
    Country.DK: (
        _code("illness", "Sygdom (lovligt fravær)", valid=True),
        _code("appointment", "Læge- eller tandlægebesøg (lovligt fravær)", valid=True),
        _code("leave", "Ekstraordinær frihed (lovligt fravær)", valid=True),
        _code("other", "Anden grund (ulovligt fravær)", valid=False),
        _code("invalid", "Ulovligt fravær", valid=False),
        _code("late", "Kom for sent", valid=False, late=True),
    ),
}


def default_absence_codes(school: School) -> list[AbsenceCode]:
    """The country's default codes, as rows of this school."""
    return [
        dataclasses.replace(template, school_key=school.key)
        for template in DEFAULT_ABSENCE_CODES[school.country]
    ]
