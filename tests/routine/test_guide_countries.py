"""Each country's guides follow their own source's structure: the Swedish step 1 questions, the
Norwegian concern, pupil conversation and referral, the Danish model's four principles."""

from __future__ import annotations

from routine.guides import GUIDES, item
from routine.guides.model import source_lines
from routine.model import Country
from routine.policy import DEFAULTS
from tests.routine.guides_support import SEEDS, normalised, quoted


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
