"""PLACEHOLDER for the stage guides (issue #11): the API of `routine.guides`, which another
branch writes in the sources' own words. The merger takes the real module and drops this one.

Only the shape matters here: one or two items per stage, and in se.step3 one principal_only
item. Code and tests must take items from `GUIDES`, never rely on these texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from routine.model import Country, Language, Role
from routine.stages import OWNERS, STAGES


@dataclass(frozen=True)
class Text:
    sv: str
    nb: str
    da: str
    original: Language

    def in_language(self, language: Language) -> str:
        return str(getattr(self, language.value))


@dataclass(frozen=True)
class GuideItem:
    id: str
    text: Text
    source: str
    covered_only: bool = False
    principal_only: bool = False


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: Text
    source: str
    items: tuple[GuideItem, ...]


@dataclass(frozen=True)
class StageGuide:
    stage: str
    name: Text
    owner: Role
    source: str
    checklist: tuple[GuideItem, ...]
    questions: tuple[QuestionSet, ...]


def _t(sv: str, nb: str, da: str, original: Language) -> Text:
    return Text(sv, nb, da, original)


_ORIGINAL = {Country.SE: Language.SV, Country.NO: Language.NB, Country.DK: Language.DA}


def _placeholder(stage: str, country: Country, number: int) -> StageGuide:
    original = _ORIGINAL[country]
    name = _t(f"Steg {number}", f"Steg {number}", f"Trin {number}", original)
    checklist = (
        GuideItem(
            "contact",
            _t(
                "Kontakta vårdnadshavarna",
                "Kontakt de foresatte",
                "Kontakt forældrene",
                original,
            ),
            "placeholder",
        ),
        GuideItem(
            "talk",
            _t("Samtal med eleven", "Samtal med eleven", "Samtale med eleven", original),
            "placeholder",
        ),
    )
    if stage == "se.step3":
        checklist += (
            GuideItem(
                "report",
                _t(
                    "Överväg orosanmälan till socialtjänsten",
                    "Vurder bekymringsmelding til barnevernet",
                    "Overvej underretning til kommunen",
                    original,
                ),
                "placeholder",
                principal_only=True,
            ),
        )
    questions = (
        QuestionSet(
            "pupil",
            _t("Samtal med eleven", "Samtale med eleven", "Samtale med eleven", original),
            "placeholder",
            (
                GuideItem(
                    "wellbeing",
                    _t(
                        "Hur trivs du i skolan?",
                        "Hvordan trives du på skolen?",
                        "Hvordan trives du i skolen?",
                        original,
                    ),
                    "placeholder",
                    covered_only=True,
                ),
                GuideItem(
                    "help",
                    _t(
                        "Vad skulle hjälpa dig?",
                        "Hva ville hjulpet deg?",
                        "Hvad ville hjælpe dig?",
                        original,
                    ),
                    "placeholder",
                ),
            ),
        ),
    )
    return StageGuide(stage, name, OWNERS[stage], "placeholder", checklist, questions)


GUIDES: dict[str, StageGuide] = {
    stage: _placeholder(stage, country, number)
    for country, stages in STAGES.items()
    for number, stage in enumerate(stages, 2)
}

CLOSING: dict[Country, QuestionSet] = {
    country: QuestionSet(
        "closing",
        _t("Avslutning", "Avslutning", "Afslutning", _ORIGINAL[country]),
        "placeholder",
        (),
    )
    for country in Country
}


def guide_for(stage: str) -> StageGuide:
    return GUIDES[stage]


def item(stage: str, item_id: str) -> GuideItem | None:
    guide = GUIDES.get(stage)
    if guide is None:
        return None
    return next((i for i in guide.checklist if i.id == item_id), None)
