"""The plan of a case through the engine: staff write it in one form, the guardians get their
part in their language and confirm it in the chat, the pupil's agreement is recorded by staff,
and every step is in the case's log. The clock stands at Monday 23 November 2026, 08:30; see
conftest.py for the people."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dialogs.events import Button, ConversationKey, Incoming, Reply
from dialogs.i18n import use_locale
from dialogs.plan_notices import guardian_text
from routine.cases import Case, CaseStatus, EventKind
from routine.model import ChatAccount, Language, Pupil
from routine.plans import GuardianPart, PlanRow, Responsible
from tests.dialogs.conftest import MONDAY_MORNING

PLAN_FORM = (
    "{situation=Svåra morgnar | goal=Elsa är i skolan varje dag | "
    "row1_sub_goal=Komma i tid | row1_measure=Väckning kl. 7 | row1_who=guardians | "
    "row1_deadline=2026-12-04 | row2_sub_goal=Trivas i klassen | "
    "row2_measure=Samtal med mentor varje vecka | row2_who=staff:S1 | "
    "start=2026-11-23 | end=2027-02-26 | review=2027-01-22}"
)


@pytest.fixture
async def case_id(world) -> int:
    """An open step-2 case for Elsa (7A), Karin's class; Anna (her guardian) on Telegram."""
    async with world() as uow:
        [case] = await uow.cases.add_new(
            [Case("se", "P1", "se.step2", MONDAY_MORNING, "rule:se.step2", "S1", "S4")]
        )
        await uow.accounts.save(ChatAccount("telegram", "4242", "se", "guardian", "G1"))
        await uow.commit()
    return case.id


def log(world, case_id: int) -> list[tuple[EventKind, str, dict]]:
    return [
        (e.kind, e.actor, dict(e.detail)) for e in world.store.case_events if e.case_id == case_id
    ]


def plan_button(chat, case_id: int) -> None:
    """[Plan] as a case's card offers it."""
    chat.buttons = (Button(f"pl.{case_id}", "Plan"),)


async def press(engine, account: str, button: str) -> list[str]:
    key = ConversationKey(platform="test", chat=account, user=account)
    return [r.text for r in await engine.handle(Incoming(key=key, button=button))]


async def test_a_plan_is_saved_sent_confirmed_and_logged(chat_as, world, engine, case_id) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    plan_button(karin, case_id)
    await karin.verify(
        """
        > [Plan]
        < Planen för Elsa Berg (7A). Skriv det ni kommer överens om med eleven och \
vårdnadshavarna. Vårdnadshavarna får huvudmålet, insatserna, perioden och datumet för \
uppföljning; den nuvarande situationen stannar hos personalen. Skriv inga uppgifter om hälsa.
        [Avbryt]
        {Plan: Nuvarande situation | Huvudmål | Delmål 1 | Insats 1 | Ansvarig för insats 1 | \
Slutdatum för insats 1 (till exempel 23/11) | Delmål 2 | Insats 2 | Ansvarig för insats 2 | \
Slutdatum för insats 2 (till exempel 23/11) | Planen gäller från | Planen gäller till och med | \
Datum för uppföljning}
        """.replace("\\\n", "")
    )
    replies = await karin.send(PLAN_FORM)
    assert replies[0].text.splitlines() == [
        "Sparat: version 1 av planen för Elsa Berg.",
        "Den har skickats till vårdnadshavarna i 1 chatt, för att bekräftas.",
        "När eleven går med på planen, registrera det här.",
    ]
    [plan] = world.store.plans.values()
    assert (plan.version, plan.main_goal, len(plan.rows)) == (1, "Elsa är i skolan varje dag", 2)
    assert plan.rows[0].deadline == date(2026, 12, 4)
    # The deadline and the review date became tasks; the guardians' measure is followed up by
    # the coordinator, Nils (S4).
    tasks = sorted(world.store.case_tasks.values(), key=lambda t: t.due)
    assert [(t.kind.value, t.title, t.owner_id, t.due) for t in tasks] == [
        ("plan_row", "Väckning kl. 7", "S4", date(2026, 12, 4)),
        ("review", tasks[1].title, "S4", date(2027, 1, 22)),
    ]

    [message] = [m for m in world.store.outbox.values() if m.kind == "plan"]
    assert (message.platform, message.recipient) == ("telegram", "4242")
    assert message.text.splitlines() == [
        "Skolan har skrivit ner planen som vi kom överens om tillsammans för Elsa Berg.",
        "Mål: Elsa är i skolan varje dag",
        "Det här gör vi:",
        "• Komma i tid: Väckning kl. 7 (ni hemma, senast fredag 4 december 2026)",
        "• Trivas i klassen: Samtal med mentor varje vecka (Karin Ek)",
        "Planen gäller från måndag 23 november 2026 till fredag 26 februari 2027. Vi går "
        "igenom den tillsammans fredag 22 januari 2027.",
        "Om det här är vad vi kom överens om, tryck på knappen nedan. Om något inte stämmer, "
        "kontakta skolan.",
    ]
    # Nothing internal reaches the guardian: no situation, no step, no case.
    assert "Svåra morgnar" not in message.text
    assert not {"steg", "ärende", "fall"} & set(message.text.lower().split())
    [confirm] = message.buttons
    assert confirm.label == "Bekräfta"

    # Anna confirms from her chat; once.
    assert await press(engine, "se-G1", confirm.id) == [
        "Tack. Skolan kan se att du har bekräftat planen.",
        "Vad mer kan jag hjälpa dig med?",
    ]
    again = await press(engine, "se-G1", confirm.id)
    assert again[0] == "Du har redan bekräftat planen. Tack."
    # The pupil's agreement, recorded by Karin.
    [agrees] = replies[0].buttons
    assert agrees.label == "Eleven går med på planen"
    assert (await press(engine, "se-S1", agrees.id))[0] == "Registrerat: eleven går med på planen."
    assert world.store.plans[plan.id].pupil_agreed_by == "S1"

    assert log(world, case_id) == [
        (EventKind.PLAN_SAVED, "staff:S1", {"version": 1, "changed": ["new"]}),
        (EventKind.PLAN_CONFIRMED, "guardian:G1", {"version": 1}),
        (EventKind.PUPIL_AGREED, "staff:S1", {"version": 1}),
    ]


async def test_a_second_version_is_logged_with_what_changed(chat_as, world, case_id) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    await karin.send(PLAN_FORM)
    await karin.send("/menu")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    # The form starts from version 1.
    initial = {f.name: f.initial for f in karin.form.fields}
    assert initial["goal"] == ("Elsa är i skolan varje dag",)
    assert initial["row2_who"] == ("staff:S1",)
    assert "row4_sub_goal" in initial and "row5_sub_goal" not in initial
    await karin.send(PLAN_FORM.replace("review=2027-01-22", "review=2027-01-29"))
    assert [p.version for p in world.store.plans.values()] == [1, 2]
    assert log(world, case_id)[-1][2] == {"version": 2, "changed": ["review"]}
    # The old review date's task is cancelled, the unchanged row's task stays as it was.
    tasks = sorted(world.store.case_tasks.values(), key=lambda t: (t.due, t.id))
    assert [(t.kind.value, t.due, t.status.value) for t in tasks] == [
        ("plan_row", date(2026, 12, 4), "open"),
        ("review", date(2027, 1, 22), "cancelled"),
        ("review", date(2027, 1, 29), "open"),
    ]
    # An older copy cannot be confirmed.
    first = min(world.store.plans)
    messages = [m for m in world.store.outbox.values() if m.kind == "plan"]
    assert len(messages) == 2
    assert first in world.store.plans


async def test_an_older_copy_says_a_newer_one_was_sent(chat_as, world, engine, case_id) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    await karin.send(PLAN_FORM)
    await karin.send("/menu")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    await karin.send(PLAN_FORM.replace("review=2027-01-22", "review=2027-01-29"))
    old, new = sorted(
        (m for m in world.store.outbox.values() if m.kind == "plan"), key=lambda m: m.id
    )
    assert (await press(engine, "se-G1", old.buttons[0].id))[0] == (
        "Skolan har skickat en nyare version av planen. Titta på den i stället."
    )
    assert (await press(engine, "se-G1", new.buttons[0].id))[0].startswith("Tack.")


async def test_problems_are_named_and_the_form_comes_back(chat_as, world, case_id) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    replies = await karin.send(
        PLAN_FORM.replace("row2_who=staff:S1", "row2_who=")
        .replace("review=2027-01-22", "review=2027-06-01")
        .replace("row1_deadline=2026-12-04", "row1_deadline=2026-11-02")
    )
    assert replies[0].text.splitlines() == [
        "Datumet för uppföljning måste ligga inom planens period.",
        "Varje slutdatum måste ligga inom planens period.",
        "Datumet för uppföljning och slutdatumen kan inte ligga bakåt i tiden.",
        "Välj vem som är ansvarig för varje insats.",
    ]
    assert world.store.plans == {}
    kept = {f.name: f.initial for f in karin.form.fields}
    assert kept["review"] == ("2027-06-01",)


async def test_only_those_around_the_case_plan_or_confirm(world, engine, chat_as, case_id) -> None:
    # Jonas mentors 7B: Elsa's case is not his; a forged [Plan] is refused and logged.
    jonas = chat_as("se-S2")
    await jonas.send("hej")
    plan_button(jonas, case_id)
    assert (await jonas.send("[Plan]"))[0].text == "Ärendet är avslutat eller inte längre ditt."
    karin = chat_as("se-S1")
    await karin.send("hej")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    await karin.send(PLAN_FORM)
    [message] = [m for m in world.store.outbox.values() if m.kind == "plan"]
    plan_id = next(iter(world.store.plans))
    # Per is another pupil's guardian; Jonas presses a forged pupil-agreement button.
    assert (await press(engine, "se-G2", message.buttons[0].id))[0] == (
        "Den här knappen fungerar inte längre."
    )
    assert (await press(engine, "se-S2", f"a.{plan_id}.pupil"))[0] == (
        "Den här knappen fungerar inte längre."
    )
    assert world.store.plan_confirmations == {}
    assert world.store.plans[plan_id].pupil_agreed_at is None
    kinds = [k for k, _actor, _d in log(world, case_id)]
    assert kinds == [EventKind.REFUSED, EventKind.PLAN_SAVED, EventKind.REFUSED]


async def test_a_closed_case_takes_no_plan(chat_as, world, case_id) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    plan_button(karin, case_id)
    await karin.send("[Plan]")
    case = world.store.cases[case_id]
    world.store.cases[case_id] = dataclasses.replace(case, status=CaseStatus.CLOSED)
    replies = await karin.send(PLAN_FORM)
    assert replies[0].text == "Ärendet är avslutat eller inte längre ditt."
    assert world.store.plans == {}


GUARDIAN_COPY = {
    "nb": [
        "Skolen har skrevet ned planen vi ble enige om sammen for Ola Nordmann.",
        "Mål: Ola er på skolen hver dag",
        "Dette gjør vi:",
        "• Komme i tide: Vekking kl. 7 (dere hjemme, innen fredag 4. desember 2026)",
        "• Trives i klassen: Samtale hver uke (Lise Berg)",
        "Planen gjelder fra mandag 23. november 2026 til fredag 26. februar 2027. Vi går "
        "gjennom den sammen fredag 22. januar 2027.",
        "Hvis dette er det vi ble enige om, trykk på knappen nedenfor. Hvis noe ikke stemmer, "
        "ta kontakt med skolen.",
    ],
    "da": [
        "Skolen har skrevet den plan ned, som vi sammen har aftalt for Ola Nordmann.",
        "Mål: Ola er på skolen hver dag",
        "Det vil vi gøre:",
        "• Komme i tide: Vekking kl. 7 (jer derhjemme, senest fredag den 4. december 2026)",
        "• Trives i klassen: Samtale hver uke (Lise Berg)",
        "Planen gælder fra mandag den 23. november 2026 til fredag den 26. februar 2027. Vi "
        "ser på den sammen fredag den 22. januar 2027.",
        "Hvis det er det, vi aftalte, så tryk på knappen nedenfor. Hvis noget ikke passer, så "
        "kontakt skolen.",
    ],
}
INTERNAL = {"sak", "saken", "sag", "sagen", "trinn", "trin", "steg", "tiltaksplan", "regel"}


@pytest.mark.parametrize("language", sorted(GUARDIAN_COPY))
def test_the_guardians_copy_in_norwegian_and_danish(language: str) -> None:
    rows = (
        PlanRow("Komme i tide", "Vekking kl. 7", Responsible.GUARDIANS, "", date(2026, 12, 4)),
        PlanRow("Trives i klassen", "Samtale hver uke", Responsible.STAFF, "S1"),
    )
    part = GuardianPart(
        1,
        1,
        "Ola er på skolen hver dag",
        rows,
        date(2026, 11, 23),
        date(2027, 2, 26),
        date(2027, 1, 22),
    )
    pupil = Pupil("no", "P1", "Ola Nordmann", "8A")
    with use_locale(language):
        text = guardian_text(part, pupil, {"S1": "Lise Berg"})
    assert text.splitlines() == GUARDIAN_COPY[language]
    assert not INTERNAL & {w.strip(".,:()").lower() for w in text.split()}


async def plan_for_maja(world, karin, greeting: str) -> list[Reply]:
    """Karin writes the plan of a new step-2 case for Maja (7A), from the chat."""
    async with world() as uow:
        [case] = await uow.cases.add_new(
            [Case("se", "P3", "se.step2", MONDAY_MORNING, "rule:se.step2", "S1", "S4")]
        )
        await uow.commit()
    await karin.send(greeting)
    plan_button(karin, case.id)
    await karin.send("[Plan]")
    return await karin.send(PLAN_FORM.replace("Elsa", "Maja"))


async def test_a_plan_no_chat_reaches_is_not_said_to_be_sent(chat_as, world) -> None:
    """Maja's guardian, Per, has no chat: the plan went nowhere, and the summary says so."""
    replies = await plan_for_maja(world, chat_as("se-S1"), "hej")
    assert replies[0].text.splitlines() == [
        "Sparat: version 1 av planen för Maja Lind.",
        # Not "sent to the guardians in 0 chats".
        "Planen har inte skickats till någon chatt.",
        "Ingen chatt når Per Lind: ge planen i ett brev eller ett samtal.",
        "När eleven går med på planen, registrera det här.",
    ]
    assert [m for m in world.store.outbox.values() if m.kind == "plan"] == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            Language.NB,
            ["Lagret: versjon 1 av planen for Maja Lind.", "Planen er ikke sendt til noen chat."],
        ),
        (
            Language.DA,
            ["Gemt: version 1 af planen for Maja Lind.", "Planen er ikke sendt til nogen chat."],
        ),
    ],
)
async def test_the_plan_no_chat_reaches_is_named_in_each_language(
    chat_as, world, language, said
) -> None:
    async with world() as uow:
        karin = await uow.staff.get("se", "S1")
        await uow.staff.save(dataclasses.replace(karin, language=language))
        await uow.commit()
    replies = await plan_for_maja(world, chat_as("se-S1"), "hei")
    assert replies[0].text.splitlines()[:2] == said
    assert [m for m in world.store.outbox.values() if m.kind == "plan"] == []
