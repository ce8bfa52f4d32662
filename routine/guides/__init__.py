"""PLACEHOLDER for `routine.guides` (issue #11, written by another helper): the API that
cases-context.md fixes, with minimal content (one or two items per stage, one principal_only
item in se.step3). The merger takes the real module; code and tests here take items from
GUIDES, never these texts.
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
        return {Language.SV: self.sv, Language.NB: self.nb, Language.DA: self.da}[language]


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


def _text(sv: str, nb: str, da: str, original: Language) -> Text:
    return Text(sv, nb, da, original)


_SE = Language.SV
_STEP3 = (
    GuideItem(
        "investigation",
        _text(
            "Rektor fattar beslut om att EHT gör en frånvaroutredning.",
            "Rektor beslutter at elevhelseteamet gjør en fraværsutredning.",
            "Skolelederen beslutter, at elevhelseteamet laver en fraværsudredning.",
            _SE,
        ),
        "000: 482–484",
    ),
    GuideItem(
        "governing_body",
        _text(
            "Rektor rapporterar frånvaron till huvudman.",
            "Rektor rapporterer fraværet til skoleeier.",
            "Skolelederen rapporterer fraværet til skolens ejer.",
            _SE,
        ),
        "000: 487",
    ),
    GuideItem(
        "social_services",
        _text(
            "Vid eventuell oro för eleven ansvarar rektor för att en anmälan till "
            "socialtjänsten upprättas.",
            "Ved eventuell bekymring for eleven sørger rektor for at det sendes en "
            "bekymringsmelding til barnevernet.",
            "Ved eventuel bekymring for eleven sørger skolelederen for, at der laves en "
            "underretning til kommunen.",
            _SE,
        ),
        "000: 489–490",
        principal_only=True,
    ),
)

_NAMES: dict[str, Text] = {
    "se.step2": _text("Steg 2", "Steg 2", "Trin 2", _SE),
    "se.step3": _text("Steg 3", "Steg 3", "Trin 3", _SE),
    "no.concern": _text("Bekymring", "Bekymring", "Bekymring", Language.NB),
    "no.early_effort": _text("Tidlig innsats", "Tidlig innsats", "Tidlig indsats", Language.NB),
    "no.meeting": _text("Tverrfagligt möte", "Tverrfaglig møte", "Tværfagligt møde", Language.NB),
    "no.referral": _text("Henvisning", "Henvisning", "Henvisning", Language.NB),
    "dk.detection": _text("Opsporing", "Oppsporing", "Opsporing", Language.DA),
    "dk.mapping": _text("Kartläggning", "Kartlegging", "Afdækning", Language.DA),
    "dk.measures": _text("Insatser", "Tiltak", "Indsatser", Language.DA),
}


def _guide(stage: str) -> StageGuide:
    if stage == "se.step3":
        checklist = _STEP3
    else:
        name = _NAMES[stage]
        checklist = (GuideItem("first", name, "placeholder"),)
    return StageGuide(stage, _NAMES[stage], OWNERS[stage], "placeholder", checklist, ())


GUIDES: dict[str, StageGuide] = {
    stage: _guide(stage) for stages in STAGES.values() for stage in stages
}
CLOSING: dict[Country, QuestionSet] = {
    country: QuestionSet("closing", _NAMES["dk.measures"], "placeholder", ())
    for country in Country
}


def guide_for(stage: str) -> StageGuide:
    return GUIDES[stage]


def item(stage: str, item_id: str) -> GuideItem | None:
    guide = GUIDES.get(stage)
    if guide is None:
        return None
    return next((i for i in guide.checklist if i.id == item_id), None)
