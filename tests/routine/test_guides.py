"""The guides: every stage has one, its owner is the one its source names, and its ids and flags
hold. Citations, wording and each country's own structure are in the other `test_guide_*.py`;
the shared helpers in `guides_support.py`."""

from __future__ import annotations

import re

import pytest

from routine.guides import CLOSING, GUIDES, GuideItem, Text, guide_for, item
from routine.guides.model import source_lines
from routine.model import Country, Language, Role
from routine.stages import OWNERS, STAGES
from tests.routine.guides_support import all_items, all_sets


def test_every_stage_has_a_guide_and_every_guide_a_stage() -> None:
    stages = {stage for order in STAGES.values() for stage in order}
    assert set(GUIDES) == stages
    assert all(guide.stage == stage for stage, guide in GUIDES.items())


def test_guide_for_and_item_find_what_a_logged_tick_names() -> None:
    assert guide_for("se.step3").owner is Role.PRINCIPAL
    with pytest.raises(KeyError):
        guide_for("se.step4")
    assert item("se.step3", "social_services").principal_only
    assert item("no.early_effort", "health").covered_only  # a question of appendix 2
    assert item("dk.detection", "closing_regular") is CLOSING[Country.DK].items[0]
    assert item("se.step2", "no_such_item") is None
    assert item("xx.step", "talk") is None


@pytest.mark.parametrize("stage", sorted(GUIDES))
def test_ids_are_unique_within_a_stage_its_sets_and_the_closing_questions(stage: str) -> None:
    guide = GUIDES[stage]
    sets = (*guide.questions, CLOSING[Country(stage[:2].upper())])
    ids = [entry.id for entry in guide.checklist] + [e.id for qs in sets for e in qs.items]
    assert len(ids) == len(set(ids))
    assert len({qs.id for qs in guide.questions}) == len(guide.questions)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", identifier) for identifier in ids)


def test_closing_questions_are_the_danish_model_s_for_every_country() -> None:
    assert set(CLOSING) == set(Country)
    for question_set in CLOSING.values():
        assert question_set.id == "closing"
        assert question_set.title.original is Language.DA
        assert source_lines(question_set.source) == ("004", tuple(range(2296, 2337)))


@pytest.mark.parametrize(
    "source",
    ["002: 1090–1092", "000: 361", "002: 114, 643–675", "004: 2296–2336"],
)
def test_a_source_names_a_seed_and_its_lines(source: str) -> None:
    number, lines = source_lines(source)
    assert len(number) == 3 and lines and list(lines) == sorted(lines)


@pytest.mark.parametrize(
    "source", ["002: 1090-1092", "2: 1090", "002:1090", "002: 1092–1090", "002 1090", ""]
)
def test_a_malformed_source_is_refused(source: str) -> None:
    with pytest.raises(ValueError):
        source_lines(source)


@pytest.mark.parametrize(
    ("stage", "owner"),
    [
        ("se.step2", Role.MENTOR),  # "Ansvarig: mentor" (000: 329)
        ("se.step3", Role.PRINCIPAL),  # "Ansvarig: rektor" (000: 478)
        ("no.concern", Role.COORDINATOR),  # the attendance team follows up (002: 373, 598–600)
        ("no.early_effort", Role.MENTOR),  # the contact teacher signs the agreement (002: 1317)
        ("no.meeting", Role.PRINCIPAL),  # the management initiates the meeting (002: 736)
        ("no.referral", Role.PRINCIPAL),  # referrals and child welfare (domain §6)
        ("dk.detection", Role.MENTOR),  # contact teachers talk with child and parents (004: 1223)
        ("dk.mapping", Role.COORDINATOR),  # the tovholder coordinates the mapping (004: 1636)
        ("dk.measures", Role.COORDINATOR),  # goals on the tovholder's initiative (004: 2207)
    ],
)
def test_each_stage_has_the_owner_its_source_names(stage: str, owner: Role) -> None:
    assert GUIDES[stage].owner is owner
    # The owner a case at that stage is given (routine.cases) is the same.
    assert OWNERS[stage] is owner


REPORT_TO_SOCIAL_SERVICES = {
    Language.SV: re.compile(r"anmälan till\s+socialtjänsten", re.IGNORECASE),
    Language.NB: re.compile(r"melde bekymring|melding til barnevern", re.IGNORECASE),
    Language.DA: re.compile(r"underretning", re.IGNORECASE),
}


def test_only_a_report_to_social_services_is_principal_only() -> None:
    flagged = {(where, entry.id) for where, entry in all_items() if entry.principal_only}
    reports = {
        (where, entry.id)
        for where, entry in all_items()
        if REPORT_TO_SOCIAL_SERVICES[entry.text.original].search(entry.text.verbatim)
    }
    assert flagged == reports
    assert ("se.step3", "social_services") in flagged
    assert {where for where, _id in flagged} <= {"se.step3", "no.referral", "dk.measures"}


def test_a_report_to_social_services_is_never_a_question() -> None:
    assert not [entry for _where, qs in all_sets() for entry in qs.items if entry.principal_only]


# Words of health, home, family and feelings, in each source language.
PERSONAL = {
    Language.SV: ("mående", "hemsituation", "orsak", "faktorer bidrar", "individuella", "social"),
    Language.NB: ("hjem", "famil", "helse", "mamma", "pappa", "mobb", "bekymret", "har du det"),
    Language.DA: ("hjem", "famil", "helbred", "sygdom", "sansemæssig", "utilpas", "årsag"),
}


@pytest.mark.parametrize(
    ("where", "entry"),
    [(where, entry) for where, qs in all_sets() for entry in qs.items],
    ids=lambda v: getattr(v, "id", v),
)
def test_a_question_about_health_home_or_feelings_is_covered_only(
    where: str, entry: GuideItem
) -> None:
    words = PERSONAL[entry.text.original]
    if any(word in entry.text.verbatim.casefold() for word in words):
        assert entry.covered_only, where


def test_covered_only_marks_questions_not_checklist_items() -> None:
    assert [e.id for guide in GUIDES.values() for e in guide.checklist if e.covered_only] == []


def test_a_text_is_given_in_the_language_asked_for() -> None:
    text = Text(sv="Hej", nb="Hei", da="Hej med dig", original=Language.NB)
    assert [text.in_language(language) for language in Language] == ["Hej", "Hei", "Hej med dig"]
    assert text.verbatim == "Hei"


# Ids that logged ticks name, kept where a paragraph was cut or split into clauses.
KEPT = [
    ("no.referral", "procedures"),
    ("no.referral", "child_welfare"),
    ("dk.mapping", "refer_on"),
    ("dk.mapping", "who_maps"),
    ("dk.mapping", "together_or_apart"),
    ("dk.mapping", "observations"),
    ("dk.measures", "report"),
    ("dk.measures", "communicate"),
    ("dk.measures", "child_defines"),
    ("dk.measures", "after"),
    ("dk.detection", "closing_timing"),
    ("dk.detection", "closing_handover"),
    ("no.early_effort", "pupil_start"),
    ("no.early_effort", "agreement_purpose"),
    ("no.meeting", "psychoeducation"),
    ("no.meeting", "during_stop"),
    ("no.meeting", "invite"),
]


@pytest.mark.parametrize(("stage", "item_id"), KEPT)
def test_a_shortened_item_keeps_its_id(stage: str, item_id: str) -> None:
    assert item(stage, item_id) is not None
