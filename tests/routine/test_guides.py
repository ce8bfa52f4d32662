"""The guides: every stage has one, and every text is the sources' own, translated.

The seed lines the guides cite are copied in `guide_sources.txt` (written by
`make_guide_sources.py`), so these tests run from a clone without the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from routine.guides import CLOSING, GUIDES, GuideItem, QuestionSet, Text, guide_for, item
from routine.guides.model import source_lines
from routine.model import Country, Language, Role
from routine.policy import DEFAULTS
from routine.stages import OWNERS, STAGES
from tests.test_glossary import glossary, rejected_in

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("guide_sources.txt")
QUOTES = {Language.SV: "”", Language.NB: "«»", Language.DA: "»«"}
ALL_QUOTES = set('"”“„«»')


def seed_lines() -> dict[tuple[str, int], str]:
    found = {}
    for row in FIXTURE.read_text(encoding="utf-8").splitlines():
        if row.startswith("#"):
            continue
        key, _, text = row.partition("\t")
        number, _, line = key.partition(":")
        found[number, int(line)] = text
    return found


SEEDS = seed_lines()


def normalised(text: str) -> str:
    """Text to compare with a PDF's: no whitespace, soft hyphens, hyphens (a word broken at a
    line end reads the same as a whole one), bullets or quotation-mark style; case-folded."""
    text = re.sub(r"[\s\u00ad\-•\uf0b7]", "", text)
    return re.sub("[”“„«»]", '"', text).casefold()


def quoted(text: str) -> str:
    """A guide's text as it must stand in its source: where it cuts a sentence short, it ends
    with the full stop or question mark the cut needs, which the source has not there."""
    return normalised(text).rstrip(".?!,:;")


def cited_text(source: str) -> str:
    number, lines = source_lines(source)
    missing = [line for line in lines if (number, line) not in SEEDS]
    assert missing == [], f"{source}: run make_guide_sources.py, lines {missing} are not copied"
    return normalised(" ".join(SEEDS[number, line] for line in lines))


def all_sets() -> list[tuple[str, QuestionSet]]:
    sets = [(stage, qs) for stage, guide in GUIDES.items() for qs in guide.questions]
    return sets + [(f"closing {country}", qs) for country, qs in CLOSING.items()]


def all_items() -> list[tuple[str, GuideItem]]:
    found = [(stage, entry) for stage, guide in GUIDES.items() for entry in guide.checklist]
    return found + [(where, entry) for where, qs in all_sets() for entry in qs.items]


def all_texts() -> list[tuple[str, Text]]:
    texts = [(stage, guide.name) for stage, guide in GUIDES.items()]
    texts += [(f"{where} {qs.id}", qs.title) for where, qs in all_sets()]
    return texts + [(f"{where} {entry.id}", entry.text) for where, entry in all_items()]


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


@pytest.mark.parametrize(("where", "entry"), all_items(), ids=lambda v: getattr(v, "id", v))
def test_an_item_s_original_is_the_source_s_wording(where: str, entry: GuideItem) -> None:
    assert quoted(entry.text.verbatim) in cited_text(entry.source), (where, entry.source)


@pytest.mark.parametrize(("where", "entry"), all_items(), ids=lambda v: getattr(v, "id", v))
def test_an_item_cites_no_line_its_words_are_not_on(where: str, entry: GuideItem) -> None:
    """The first and the last line an item cites hold some of its words: a citation that runs
    past the item points a reader at the wrong lines."""
    number, lines = source_lines(entry.source)
    written = [line for line in lines if SEEDS[number, line].strip()]
    for left_out in {written[0], written[-1]} if len(written) > 1 else set():
        rest = [line for line in lines if line != left_out]
        text = normalised(" ".join(SEEDS[number, line] for line in rest))
        assert quoted(entry.text.verbatim) not in text, (where, entry.source, left_out)


def test_a_question_set_s_items_stand_in_the_set_s_lines() -> None:
    for where, question_set in all_sets():
        number, lines = source_lines(question_set.source)
        for entry in question_set.items:
            cited_number, cited = source_lines(entry.source)
            assert cited_number == number and set(cited) <= set(lines), (where, entry.id)


def test_each_name_and_title_is_found_in_its_source() -> None:
    named = [(guide.name, guide.source) for guide in GUIDES.values()]
    named += [(qs.title, qs.source) for _where, qs in all_sets()]
    for text, source in named:
        for part in text.verbatim.split(" – "):
            assert normalised(part) in cited_text(source), (part, source)


def test_each_country_s_guides_are_in_its_language() -> None:
    language = {Country.SE: Language.SV, Country.NO: Language.NB, Country.DK: Language.DA}
    for country, stages in STAGES.items():
        for stage in stages:
            guide = GUIDES[stage]
            texts = [guide.name, *(entry.text for entry in guide.checklist)]
            texts += [qs.title for qs in guide.questions]
            texts += [entry.text for qs in guide.questions for entry in qs.items]
            assert {text.original for text in texts} == {language[country]}, stage


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


@pytest.mark.parametrize("language", list(Language))
def test_no_text_is_empty_or_untidy(language: Language) -> None:
    for where, text in all_texts():
        value = text.in_language(language)
        assert value and value == value.strip() and "  " not in value, where


@pytest.mark.parametrize("language", list(Language))
def test_each_language_uses_its_own_quotation_marks(language: Language) -> None:
    wrong = [
        where
        for where, text in all_texts()
        if (set(text.in_language(language)) & ALL_QUOTES) - set(QUOTES[language])
    ]
    assert wrong == []


@pytest.mark.parametrize("language", list(Language))
def test_translations_use_the_glossary_s_terms(language: Language) -> None:
    """The sources' own words stand as they are ("er der så tiltag i skolen", 004: 2324); a
    translation uses the glossary's term, checked as the catalogs are (tests/test_glossary.py:
    rejected terms, words only within a term, phrases a rejected word may stand in)."""
    translated = [
        (where, text.in_language(language))
        for where, text in all_texts()
        if text.original is not language
    ]
    assert rejected_in(glossary(language.value), translated) == []


def test_a_text_is_given_in_the_language_asked_for() -> None:
    text = Text(sv="Hej", nb="Hei", da="Hej med dig", original=Language.NB)
    assert [text.in_language(language) for language in Language] == ["Hej", "Hei", "Hej med dig"]
    assert text.verbatim == "Hei"


# The word the case card puts before every question set's title ("Questions: {title}").
QUESTIONS = {Language.SV: "frågor", Language.NB: "spørsmål", Language.DA: "spørgsmål"}


@pytest.mark.parametrize("language", list(Language))
def test_a_question_set_s_title_does_not_say_questions_again(language: Language) -> None:
    doubled = [
        (where, question_set.id)
        for where, question_set in all_sets()
        if QUESTIONS[language] in question_set.title.in_language(language).casefold().split()
    ]
    assert doubled == []


def test_the_swedish_step_1_questions_are_headed_by_the_step_s_name() -> None:
    step1 = next(qs for qs in GUIDES["se.step2"].questions if qs.id == "step1")
    # "Bilaga steg 1" (000: 289), "Definition (Första frånvarotillfället)" (000: 291).
    assert step1.title.sv == "Steg 1 – Första frånvarotillfället"
    assert step1.source == "000: 289–303"


def rule_lines() -> set[int]:
    """The lines of the Drammen guide the Norwegian counting and concern rules stand on."""
    lines: set[int] = set()
    for rule in DEFAULTS[Country.NO]:
        for source in rule.source.split("; "):
            number, cited = source_lines(source)
            if number == "002":
                lines.update(cited)
    return lines


def test_norway_s_concern_checklist_says_what_to_do_not_when_absence_is_concerning() -> None:
    """The triggers (002: 647–663) are the rules of `routine.policy`; the checklist is what the
    owner does then (002: 667–673)."""
    triggers = rule_lines()
    assert {651, 653, 655, 657, 659} <= triggers
    trigger_text = normalised(" ".join(SEEDS["002", line] for line in range(647, 664)))
    checklist = GUIDES["no.concern"].checklist
    assert checklist
    for entry in checklist:
        number, lines = source_lines(entry.source)
        assert number == "002" and not set(lines) & triggers, entry.id
        assert quoted(entry.text.verbatim) not in trigger_text, entry.id


# A checklist item or question of the Danish detection stage is a clause of the model, not its
# paragraph: the longest (the head's duty to contact the parents, 004: 2474–2475, and appointing
# a tovholder, 004: 993–994) have 16 words.
MOST_WORDS = 16


def test_the_danish_detection_stage_quotes_clauses_not_paragraphs() -> None:
    guide = GUIDES["dk.detection"]
    entries = [*guide.checklist, *(entry for qs in guide.questions for entry in qs.items)]
    assert len(guide.questions) >= 2
    too_long = [entry.id for entry in entries if len(entry.text.da.split()) > MOST_WORDS]
    assert too_long == []


# No item is a paragraph: a checklist item or question is a sentence or a clause of its source,
# about twenty words at most. The longest, 22 words, are single sentences that say what to do and
# why (002: 686–688, 700–702, 1189–1191) or what to weigh first (004: 1450–1452). One question is
# asked whole, because its first half is how to put it to the guardians (002: 1207–1209).
MOST_WORDS_ANYWHERE = 22
ASKED_WHOLE = {"outside_school"}
# A full stop, question or exclamation mark, then a new sentence; "t.ex. BUP" is not one.
NEXT_SENTENCE = re.compile(r"(?<!t\.ex)[.?!] +[A-ZÆØÅ«»”]")


def test_no_item_of_any_stage_is_a_paragraph() -> None:
    too_long = sorted(
        {
            (where, entry.id)
            for where, entry in all_items()
            if len(entry.text.verbatim.split()) > MOST_WORDS_ANYWHERE
            and entry.id not in ASKED_WHOLE
        }
    )
    assert too_long == []
    whole = [entry for _where, entry in all_items() if entry.id in ASKED_WHOLE]
    assert whole and all(entry.text.verbatim.endswith("?") for entry in whole)


def test_an_item_holds_one_sentence_unless_its_source_s_bullet_has_two() -> None:
    """Two short sentences stand together only where the source's one bullet has them: two
    questions about the way to school (002: 1124) and the meeting's 'here and now' (002:
    1345–1346)."""
    two = {entry.id for _where, entry in all_items() if NEXT_SENTENCE.search(entry.text.verbatim)}
    assert two == {"way_to_school", "here_and_now"}


# The four principles of the Danish model's measures (004: 1816–1824), and the pages of each in
# the seed's text, where a principle's heading stands after its main text (004: 1903, 2027, 2148,
# 2239).
PRINCIPLES = {1818: range(1874, 1964), 1820: range(1966, 2084), 1822: range(2084, 2191)}
PRINCIPLE_4 = (1824, range(2196, 2266))


def test_the_danish_measures_follow_the_model_s_four_principles() -> None:
    checklist = GUIDES["dk.measures"].checklist
    heads = {}
    for position, entry in enumerate(checklist):
        number, lines = source_lines(entry.source)
        if number == "004" and lines in {(1818,), (1820,), (1822,), (1824,)}:
            heads[lines[0]] = position
            principle = SEEDS["004", lines[0]].split(": ", 1)[1].strip()
            assert entry.text.da == principle, entry.id
    assert list(heads) == [*PRINCIPLES, PRINCIPLE_4[0]]
    # Each of principles 1–3 is followed by at least two items from its own pages, up to the next.
    order = list(heads.values())
    for (line, pages), start, end in zip(PRINCIPLES.items(), order[:-1], order[1:], strict=True):
        items = checklist[start + 1 : end]
        assert len(items) >= 2, line
        for entry in items:
            assert set(source_lines(entry.source)[1]) <= set(pages), (line, entry.id)
    # Principle 4 is followed by its goals and follow-up before communication and the rest.
    goals = []
    for entry in checklist[order[-1] + 1 :]:
        if not set(source_lines(entry.source)[1]) <= set(PRINCIPLE_4[1]):
            break
        goals.append(entry.id)
    assert {"shared_goals", "child_defines", "follow_up"} <= set(goals)


def test_the_norwegian_pupil_conversation_opens_with_the_guide_s_instructions() -> None:
    """'Oppstart av samtalen' (002: 1086–1098) comes before the first question (002: 1110)."""
    pupil = next(qs for qs in GUIDES["no.early_effort"].questions if qs.id == "pupil")
    first_question = next(i for i, entry in enumerate(pupil.items) if entry.text.nb.endswith("?"))
    opening = pupil.items[:first_question]
    covered = {line for entry in opening for line in source_lines(entry.source)[1]}
    assert {1090, 1092, 1094, 1096, 1098} <= covered
    assert all(max(source_lines(entry.source)[1]) < 1100 for entry in opening)
    assert [entry.id for entry in opening if entry.advice] == ["hard_to_talk"]


def test_norway_s_referral_weighs_the_conditions_and_ticks_what_to_do() -> None:
    """The guide is not enough where (002: 27) a long absence resists its measures (002: 29–31)
    or there is concern for neglect (002: 37–39): those are questions; the referral procedures
    (002: 31–35, 39–43) are the checklist."""
    guide = GUIDES["no.referral"]
    (question_set,) = guide.questions
    asked = {entry.id: source_lines(entry.source) for entry in question_set.items}
    assert asked == {
        "long_absence": ("002", (29, 30, 31)),
        "serious_concern": ("002", (37, 38, 39)),
    }
    assert item("no.referral", "serious_concern").covered_only
    # The conditions end at "tilstrekkelig." (002: 31) and "foresatte." (002: 39); what follows,
    # "I slike tilfeller/situasjoner ...", is what to do, and no checklist item says the condition.
    conditions = normalised(SEEDS["002", 29] + SEEDS["002", 37])
    for entry in guide.checklist:
        text = normalised(entry.text.verbatim)
        assert not text.startswith(("hvis", "der", "islike")), entry.id
        assert quoted(entry.text.verbatim)[:20] not in conditions, entry.id
    assert {"procedures", "child_welfare"} <= {entry.id for entry in guide.checklist}
    assert item("no.referral", "child_welfare").principal_only


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
