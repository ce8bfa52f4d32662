"""A mentor is worried about a pupil: the concern is stored and opens a case, or is logged on
the open one, or (a Norwegian rule switched off) opens nothing; in Swedish, Norwegian and
Danish. The clock stands at Monday 23 November 2026, 08:30; see conftest.py for the people."""

from __future__ import annotations

import dataclasses

import pytest

from dialogs.case_reasons import describe_reason
from dialogs.flow import Actor
from dialogs.flows import staff_concern
from dialogs.i18n import use_locale
from routine.cases import EventKind
from routine.concerns import StaffConcernKind
from routine.model import PolicyOverride
from tests.dialogs.conftest import SCHOOLS, STAFF
from tests.fakes import FakeUnitOfWorkFactory

SV_MENU = (
    "[Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] [Rätta närvaron] "
    "[Jag är orolig för en elev] [Mina uppföljningsuppgifter] [Lämna över mina uppgifter] [Språk]"
)
SV_NOTE = (
    "< Vill du lägga till en kort anteckning? Den sparas tillsammans med oron. Skriv inget om "
    "hälsa eller diagnoser. Skriv anteckningen, eller välj ”Utan anteckning”."
)


def sv_concern(pupil: str, note_turn: str, summary: str, told: str) -> str:
    """The Swedish sources name no sign a mentor could pick (routine.concerns.SIGNS): no
    "What have you seen?", the note says it."""
    return f"""
    > hej
    < Hej Karin Ek! Vad vill du göra?
    {SV_MENU}
    > [Jag är orolig för en elev]
    < Vilken elev är du orolig för? (klass 7A)
    [Elsa Berg] [Maja Lind] [Avbryt]
    > [{pupil}]
    {SV_NOTE}
    [Utan anteckning] [Avbryt]
    > {note_turn}
    {summary}
    [Spara] [Avbryt]
    > [Spara]
    < {told}
    <<
    < Vad mer kan jag hjälpa dig med?
    {SV_MENU}
    """


async def test_a_swedish_mentor_s_concern_opens_a_case_and_later_ones_are_logged_on_it(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    mentor = chat_as("se-S1")
    await mentor.verify(
        """
    > hej
    < Hej Karin Ek! Vad vill du göra?
    """
        + SV_MENU
        + """
    > [Jag är orolig för en elev]
    < Vilken elev är du orolig för? (klass 7A)
    [Elsa Berg] [Maja Lind] [Avbryt]
    > Maja
    < Svara med något av alternativen.
    <<
    < Vilken elev är du orolig för? (klass 7A)
    [Elsa Berg] [Maja Lind] [Avbryt]
    > [Maja Lind]
    """
        + SV_NOTE
        + """
    [Utan anteckning] [Avbryt]
    > Går ut efter rasten och kommer inte tillbaka
    < Din oro för Maja Lind (7A):
    < Din anteckning: Går ut efter rasten och kommer inte tillbaka
    [Spara] [Avbryt]
    > [Spara]
    < Sparat. Ett ärende har öppnats för Maja Lind.
    <<
    < Vad mer kan jag hjälpa dig med?
    """
        + SV_MENU
    )
    (case,) = world.store.cases.values()
    assert (case.pupil_id, case.stage, case.owner_id, case.opened_by) == (
        "P3",
        "se.step2",
        "S1",
        "staff_concern:worried",
    )
    (opened,) = world.store.case_events
    assert (opened.kind, opened.actor, opened.detail["kind"]) == (
        EventKind.OPENED,
        "staff:S1",
        "worried",
    )
    # The note is kept with the concern, not in the case's log.
    (concern,) = world.store.staff_concerns.values()
    assert (concern.pupil_id, concern.staff_id, concern.kind, concern.note) == (
        "P3",
        "S1",
        StaffConcernKind.WORRIED,
        "Går ut efter rasten och kommer inte tillbaka",
    )
    assert "note" not in opened.detail

    # Another concern: with no sign named it is the same concern, kept, the case unchanged.
    await mentor.verify(
        sv_concern(
            "Maja Lind",
            "[Utan anteckning]",
            "< Din oro för Maja Lind (7A):",
            "Sparat. Den här oron finns redan i det öppna ärendet för Maja Lind, så inget har "
            "ändrats.",
        )
    )
    assert len(world.store.cases) == 1
    assert len(world.store.staff_concerns) == 2
    assert [(e.kind, e.detail.get("kind")) for e in world.store.case_events] == [
        (EventKind.OPENED, "worried"),
    ]


async def switch_off(world: FakeUnitOfWorkFactory, rule_id: str) -> None:
    async with world() as uow:
        school = await uow.schools.get("no")
        assert school is not None
        override = PolicyOverride(rule_id, "policy file", 12, enabled=False)
        await uow.schools.save(dataclasses.replace(school, policy=(override,)))
        await uow.commit()


NB_MENU = (
    "[Opprop] [Dagens meldte fravær] [Kontaktforespørsler] [Mine saker] [Rett fraværsføringen] "
    "[Jeg er bekymret for en elev] [Oppfølgingsoppgavene mine] [Overlat oppgavene mine] [Språk]"
)
NB_SEEN = (
    "[Sterkt ubehag knyttet til skolen, eller sier det er vanskelig å møte opp] "
    "[Forlater undervisningen gjentatte ganger uten å komme tilbake i timen] "
    "[Til stede på skolen, men ikke i undervisningen] [Avbryt]"
)


def nb_concern(seen: str, told: str) -> str:
    return f"""
    > hei
    < Hei Lise Berg! Hva vil du gjøre?
    {NB_MENU}
    > [Jeg er bekymret for en elev]
    < Hvilken elev er du bekymret for? (klasse 8A)
    [Ola Nordmann] [Avbryt]
    > [Ola Nordmann]
    < Hva har du sett?
    {NB_SEEN}
    > [{seen}]
    < Vil du legge til et kort notat? Det lagres sammen med bekymringen. Ikke skriv noe om helse eller diagnoser. Skriv notatet, eller velg «Uten notat».
    [Uten notat] [Avbryt]
    > [Uten notat]
    < Bekymringen din for Ola Nordmann (8A):
    < • {seen}
    [Lagre] [Avbryt]
    > [Lagre]
    < {told}
    <<
    < Hva annet kan jeg hjelpe deg med?
    {NB_MENU}
    """  # noqa: E501


async def test_a_norwegian_school_that_switched_a_rule_off_gets_no_case_from_that_concern(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    await switch_off(world, "no.leaves_lessons")
    mentor = chat_as("no-S1")
    await mentor.verify(
        nb_concern(
            "Forlater undervisningen gjentatte ganger uten å komme tilbake i timen",
            "Lagret. Skolens rutine oppretter ingen sak for denne typen bekymring, så det er "
            "ikke opprettet noen sak for Ola Nordmann. Snakk med rektor hvis du fortsatt er "
            "bekymret.",
        )
    )
    assert [c.kind for c in world.store.staff_concerns.values()] == [
        StaffConcernKind.LEAVES_LESSONS
    ]
    assert world.store.cases == {}
    # Drammen's trigger 1 is still on: it opens the case, in the concern stage.
    await mentor.verify(
        nb_concern(
            "Sterkt ubehag knyttet til skolen, eller sier det er vanskelig å møte opp",
            "Lagret. Det er opprettet en sak for Ola Nordmann.",
        )
    )
    (case,) = world.store.cases.values()
    assert (case.stage, case.opened_by) == ("no.concern", "staff_concern:discomfort")


async def test_oslo_s_present_but_not_in_class_has_no_rule_to_switch_off(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    await switch_off(world, "no.pupil_concern")
    await chat_as("no-S1").verify(
        nb_concern(
            "Til stede på skolen, men ikke i undervisningen",
            "Lagret. Det er opprettet en sak for Ola Nordmann.",
        )
    )
    assert [c.opened_by for c in world.store.cases.values()] == [
        "staff_concern:present_not_in_class"
    ]


async def test_a_danish_mentor_s_concern_opens_a_case_in_detection(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    menu = (
        "[Fremmøde] [Dagens meldte fravær] [Kontakthenvendelser] [Mine sager] "
        "[Ret fraværsregistreringen] [Jeg er bekymret for en elev] [Mine opfølgningsopgaver] "
        "[Overdrag mine opgaver] [Sprog]"
    )
    await chat_as("dk-S1").verify(
        f"""
    > hej
    < Hej Søren Madsen! Hvad vil du gerne gøre?
    {menu}
    > [Jeg er bekymret for en elev]
    < Hvilken elev er du bekymret for? (klasse 6A)
    [Emil Hansen] [Annuller]
    > [Emil Hansen]
    < Hvad har du set?
    [Mentalt fravær] [Forsøger at undgå at komme i skole] [Generel ændret adfærd] [Annuller]
    > [Forsøger at undgå at komme i skole]
    < Vil du tilføje et kort notat? Det gemmes sammen med bekymringen. Skriv ikke noget om helbred eller diagnoser. Skriv notatet, eller vælg »Uden notat«.
    [Uden notat] [Annuller]
    > {"x" * 301}
    < Notatet er for langt: højst 300 tegn.
    <<
    < Vil du tilføje et kort notat? Det gemmes sammen med bekymringen. Skriv ikke noget om helbred eller diagnoser. Skriv notatet, eller vælg »Uden notat«.
    [Uden notat] [Annuller]
    > Går ud af timen efter frikvarteret
    < Din bekymring for Emil Hansen (6A):
    < • Forsøger at undgå at komme i skole
    < Dit notat: Går ud af timen efter frikvarteret
    [Gem] [Annuller]
    > [Gem]
    < Gemt. Der er oprettet en sag for Emil Hansen.
    <<
    < Hvad kan jeg ellers hjælpe dig med?
    {menu}
    """  # noqa: E501
    )
    (case,) = world.store.cases.values()
    assert (case.pupil_id, case.stage, case.owner_id) == ("P1", "dk.detection", "S1")


async def test_a_pupil_who_left_the_class_meanwhile_is_not_saved(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    mentor = chat_as("se-S1")
    for said in ["hej", "[Jag är orolig för en elev]", "[Elsa Berg]"]:
        await mentor.send(said)
    async with world() as uow:
        pupil = await uow.pupils.get("se", "P1")
        assert pupil is not None
        await uow.pupils.save(dataclasses.replace(pupil, class_name="7B"))
        await uow.commit()
    replies = await mentor.send("[Utan anteckning]")
    assert replies[0].text == "Eleven går inte längre i någon av dina klasser. Inget har sparats."
    assert (world.store.staff_concerns, world.store.cases) == ({}, {})


@pytest.mark.parametrize("staff_id", ["S2", "S3", "S4"])
def test_only_mentors_are_offered_it(staff_id: str) -> None:
    member = next(s for s in STAFF if (s.school_key, s.staff_id) == ("se", staff_id))
    offered = staff_concern.FLOW.offered_to(Actor(SCHOOLS["se"], staff=member))
    # Jonas (S2) mentors 7B; Eva (S3) is the principal, Nils (S4) a coordinator.
    assert offered is (staff_id == "S2")


async def test_a_mentor_of_two_classes_chooses_the_class_first(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    async with world() as uow:
        member = await uow.staff.get("se", "S1")
        assert member is not None
        await uow.staff.save(dataclasses.replace(member, classes=("7A", "7B")))
        await uow.commit()
    await chat_as("se-S1").verify(
        f"""
    > hej
    < Hej Karin Ek! Vad vill du göra?
    {SV_MENU}
    > [Jag är orolig för en elev]
    < Vilken klass?
    [7A] [7B] [Avbryt]
    > 7C
    < Svara med något av alternativen.
    <<
    < Vilken klass?
    [7A] [7B] [Avbryt]
    > [7B]
    < Vilken elev är du orolig för? (klass 7B)
    [Olle Berg] [Avbryt]
    > [Olle Berg]
    {SV_NOTE}
    [Utan anteckning] [Avbryt]
    """
    )


async def test_the_card_says_what_the_mentor_saw_not_opened_by_hand(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    mentor = chat_as("se-S1")
    for said in ["hej", "[Jag är orolig för en elev]", "[Maja Lind]", "[Utan anteckning]"]:
        await mentor.send(said)
    await mentor.send("[Spara]")
    # The card, as "My cases" shows it.
    await mentor.send("[Mina ärenden]")
    card = await mentor.send("[Maja Lind, klass 7A]")
    reasons = [
        line for line in card[0].text.splitlines() if line.startswith(("Öppnat ", "Dessutom: "))
    ]
    # The Swedish concern names no sign (routine.concerns.SIGNS).
    assert reasons == ["Öppnat mån 23 nov.: Någon i personalen är orolig för eleven."]


@pytest.mark.parametrize(
    ("locale", "reason", "expected"),
    [
        (
            "nb",
            "staff_concern:discomfort",
            "En ansatt er bekymret for eleven: sterkt ubehag knyttet til skolen, eller "
            "sier det er vanskelig å møte opp.",
        ),
        (
            "da",
            "staff_concern:avoids_school",
            "En medarbejder er bekymret for eleven: forsøger at undgå at komme i skole.",
        ),
        (
            "da",
            "staff_concern:present_not_in_class",
            "En medarbejder er bekymret for eleven: på skolen, men ikke i undervisningen.",
        ),
        # A concern logged before its kind was kept, and the other origins, as before.
        ("sv", "staff_concern", "Någon i personalen är orolig för eleven."),
        (
            "da",
            "guardian_concern",
            "En forælder har fortalt, at det er svært at få barnet i skole.",
        ),
        ("nb", "by_hand", "Åpnet manuelt."),
    ],
)
def test_each_reason_of_a_concern_in_words(locale: str, reason: str, expected: str) -> None:
    with use_locale(locale):
        assert describe_reason({"reason": reason}, {}) == expected
