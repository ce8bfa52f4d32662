"""The Danish notices on fakes, end to end through the engine's buttons: the heads are asked
once per pupil and quarter; one approval sends the notice once to each guardian a chat reaches
and lists the others; the council task is recorded once; nobody else decides anything."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime

import pytest

from dialogs.case_notices import (
    GUARDIAN_NOTICE_KIND,
    HEAD_NOTICE_KIND,
    parents_notice_text,
    queue_case_notices,
)
from dialogs.events import Incoming, Reply
from dialogs.i18n import _, use_locale
from routine.cases import Case, EventKind, close
from routine.model import ChatAccount, Guardian, Language, Role, StaffMember
from routine.notices_dk import CaseNotice, NoticeKind, NoticeStatus
from routine.outbox import OutboxMessage
from routine.thresholds import RuleHit
from tests.dialogs.conftest import MONDAY_MORNING, SCHOOLS
from tests.dialogs.transcript import Chat
from tests.fakes import FakeUnitOfWorkFactory

DK = SCHOOLS["dk"]
NIGHT = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)

# Words a guardian must never read (domain guide §5): the routine's own labels, per language.
INTERNAL = {
    "sv": ["ärende*", "steg", "tröskel*", "regel*", "regler*", "fall", "dk", "mentor*"],
    "nb": ["sak", "saken", "saker*", "steg", "trinn*", "terskel*", "regel*", "regler*", "dk"],
    "da": ["sag", "sagen", "sager*", "trin", "tærskel*", "regel*", "regler*", "dk"],
}


def internal_words(locale: str, text: str) -> list[str]:
    found = []
    for word in INTERNAL[locale]:
        stem = re.escape(word.removesuffix("*"))
        ending = r"\w*" if word.endswith("*") else ""
        if re.search(rf"(?<!\w){stem}{ending}(?!\w)", text, re.IGNORECASE):
            found.append(word)
    return found


@pytest.fixture
async def dk_world(world: FakeUnitOfWorkFactory) -> tuple[FakeUnitOfWorkFactory, int]:
    """Emil (6A) has an open case. His guardians: Mette (Danish, in chat), Jonas (Norwegian,
    his chat blocked the bot) and Fatima (Swedish, never linked a chat, with a phone). Heads:
    Birgitte (Danish) and Anders (reads Swedish), both on Slack; Søren is Emil's mentor."""
    async with world() as uow:
        await uow.guardians.save(
            Guardian("dk", "G2", "Jonas Hansen", Language.NB, pupil_ids=("P1",))
        )
        await uow.guardians.save(
            Guardian(
                "dk", "G3", "Fatima Hansen", Language.SV, "+45 20 30 40 50", pupil_ids=("P1",)
            )
        )
        await uow.accounts.save(ChatAccount("telegram", "4711", "dk", "guardian", "G1"))
        await uow.accounts.save(
            ChatAccount("telegram", "4712", "dk", "guardian", "G2", reachable=False)
        )
        heads = [
            StaffMember("dk", "S2", "Birgitte Holm", frozenset({Role.PRINCIPAL})),
            StaffMember(
                "dk", "S3", "Anders Lund", frozenset({Role.PRINCIPAL}), language=Language.SV
            ),
        ]
        for member in heads:
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
            await uow.accounts.save(
                ChatAccount("test", f"dk-{member.staff_id}", "dk", "staff", member.staff_id)
            )
        mentor = await uow.staff.get("dk", "S1")
        await uow.staff.save(dataclasses.replace(mentor, slack_user_id="U-S1"))
        [case] = await uow.cases.add_new(
            [Case("dk", "P1", "dk.detection", NIGHT, "rule:dk.unlawful_10", "S1", "S1")]
        )
        await uow.commit()
    return world, case.id


def hit(rule: str, end: date, count: int = 5, known: int = 40) -> RuleHit:
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    numbers = {"count": count, "known": known, "school_days": known, "share": count / known}
    return RuleHit("dk", "P1", rule, start, end, numbers)


async def night(factory: FakeUnitOfWorkFactory, *hits: RuleHit, at: datetime = NIGHT):
    async with factory() as uow:
        tally = await queue_case_notices(uow, DK, list(hits), at)
        await uow.commit()
    return tally


def outbox(factory: FakeUnitOfWorkFactory, kind: str) -> list[OutboxMessage]:
    found = (m for m in factory.store.outbox.values() if m.kind == kind)
    return sorted(found, key=lambda m: m.id or 0)


def latest(factory: FakeUnitOfWorkFactory, recipient: str) -> OutboxMessage:
    return [m for m in outbox(factory, HEAD_NOTICE_KIND) if m.recipient == recipient][-1]


def notices(factory: FakeUnitOfWorkFactory) -> list[CaseNotice]:
    return sorted(factory.store.case_notices.values(), key=lambda n: n.id or 0)


def events(factory: FakeUnitOfWorkFactory, kind: EventKind) -> list:
    return [e for e in factory.store.case_events if e.kind is kind]


async def press(chat_as, account: str, button_id: str) -> list[str]:
    chat: Chat = chat_as(account)
    replies: list[Reply] = await chat.engine.handle(Incoming(key=chat.key, button=button_id))
    return [r.text for r in replies]


def in_locale(locale: str, message: str) -> str:
    with use_locale(locale):
        return _(message)


async def test_each_head_is_asked_once_per_pupil_and_quarter(dk_world) -> None:
    factory, case_id = dk_world
    first = await night(factory, hit("dk.unlawful_10", date(2026, 11, 20)))
    assert (first.new, first.queued) == (1, 2)
    [notice] = notices(factory)
    assert (notice.case_id, notice.kind, notice.quarter) == (case_id, NoticeKind.PARENTS, "2026Q4")
    birgitte, anders = latest(factory, "U-S2"), latest(factory, "U-S3")
    assert birgitte.slot == anders.slot == f"case-notice:{notice.id}"
    # Each head reads the notice as it will be sent, in the head's own language, signed by them.
    pupil = factory.store.pupils[("dk", "P1")]
    for message, locale, name in (
        (birgitte, "da", "Birgitte Holm"),
        (anders, "sv", "Anders Lund"),
    ):
        with use_locale(locale):
            assert parents_notice_text(DK, pupil, notice, name) in message.text
        assert [b.id for b in message.buttons] == [f"n.{notice.id}.approve"]
        assert [b.label for b in message.buttons] == [in_locale(locale, "Approve and send")]
    assert "5 af 40 skoledage (12,5 %)" in birgitte.text
    assert "Den sendes i chatten til: Mette Hansen" in birgitte.text
    assert "Kan ikke nås i chatten: Fatima Hansen (+45 20 30 40 50), Jonas Hansen." in (
        birgitte.text
    )
    # The rule holds again on later nights of the quarter: nothing new.
    again = await night(factory, hit("dk.unlawful_10", date(2026, 11, 23), 6), at=MONDAY_MORNING)
    assert (again.new, again.queued) == (0, 0)
    assert len(outbox(factory, HEAD_NOTICE_KIND)) == 2
    # A new quarter is a new notice.
    later = datetime(2027, 1, 15, 16, 30, tzinfo=UTC)
    assert (await night(factory, hit("dk.unlawful_10", date(2027, 1, 15)), at=later)).new == 1


async def test_a_closed_case_still_gets_the_notice_and_a_new_one_no_second(dk_world) -> None:
    """The law asks the notice of the head whatever the case: a case closed earlier in the
    quarter takes it; a second case in the same quarter gets no second notice."""
    factory, case_id = dk_world
    async with factory() as uow:
        case = await uow.cases.get(case_id)
        await uow.cases.update(close(case, NIGHT))
        await uow.commit()
    first = await night(factory, hit("dk.unlawful_10", date(2026, 11, 20)))
    assert first.new == 1
    assert [n.case_id for n in notices(factory)] == [case_id]
    async with factory() as uow:
        await uow.cases.add_new([Case("dk", "P1", "dk.detection", NIGHT, "guardian_concern")])
        await uow.commit()
    again = await night(factory, hit("dk.unlawful_10", date(2026, 11, 27)))
    assert (again.new, len(notices(factory))) == (0, 1)


async def test_one_approval_sends_once_to_each_guardian_a_chat_reaches(chat_as, dk_world) -> None:
    factory, case_id = dk_world
    await night(factory, hit("dk.unlawful_10", date(2026, 11, 20)))
    [notice] = notices(factory)
    said = await press(chat_as, "dk-S2", f"n.{notice.id}.approve")
    assert "Godkendt. Orienteringen sendes i chatten til 1 forælder." in said
    assert (
        "Kan ikke nås i chatten: Fatima Hansen, Jonas Hansen. Send dem et brev, eller ring til "
        "dem." in said
    )
    [sent] = outbox(factory, GUARDIAN_NOTICE_KIND)
    assert (sent.platform, sent.recipient) == ("telegram", "4711")
    pupil = factory.store.pupils[("dk", "P1")]
    [decided] = notices(factory)
    with use_locale("da"):
        assert sent.text == parents_notice_text(DK, pupil, decided, "Birgitte Holm")
    assert (decided.status, decided.decided_by) == (NoticeStatus.APPROVED, "S2")
    [approved] = events(factory, EventKind.NOTICE_APPROVED)
    [logged] = events(factory, EventKind.NOTICE_SENT)
    assert (approved.case_id, approved.actor) == (case_id, "staff:S2")
    assert logged.detail == {
        "notice": notice.id,
        "quarter": "2026Q4",
        "guardians_reached": 1,
        "guardians_unreached": 2,
        "messages": 1,
    }
    # Both heads' copies now say who approved, and the button is gone.
    for recipient in ("U-S2", "U-S3"):
        assert latest(factory, recipient).buttons == ()
    assert "Godkendt af Birgitte Holm" in latest(factory, "U-S2").text
    assert "Godkänt av Birgitte Holm" in latest(factory, "U-S3").text
    assert "Sendt i chatten til: Mette Hansen" in latest(factory, "U-S2").text
    # The other head, and the same head again: told, and nothing is sent twice.
    assert "Birgitte Holm har redan godkänt det här meddelandet." in await press(
        chat_as, "dk-S3", f"n.{notice.id}.approve"
    )
    assert "Birgitte Holm har allerede godkendt denne orientering." in await press(
        chat_as, "dk-S2", f"n.{notice.id}.approve"
    )
    assert len(outbox(factory, GUARDIAN_NOTICE_KIND)) == 1
    assert len(events(factory, EventKind.NOTICE_APPROVED)) == 1
    assert len(events(factory, EventKind.NOTICE_SENT)) == 1


async def test_the_head_records_that_the_council_was_notified(chat_as, dk_world) -> None:
    factory, case_id = dk_world
    await night(
        factory,
        hit("dk.unlawful_10", date(2026, 11, 20), 7),
        hit("dk.unlawful_15", date(2026, 11, 20), 7),
    )
    council = next(n for n in notices(factory) if n.kind is NoticeKind.COUNCIL)
    task = [m for m in outbox(factory, HEAD_NOTICE_KIND) if m.slot.endswith(f":{council.id}")]
    assert sorted(m.recipient for m in task) == ["U-S2", "U-S3"]
    birgitte = next(m for m in task if m.recipient == "U-S2")
    assert "kommunalbestyrelsen" in birgitte.text
    assert [b.id for b in birgitte.buttons] == [f"n.{council.id}.council"]
    # The approval button of the parents' notice does not decide the council task.
    expired = in_locale("da", "This button has expired.")
    assert expired in await press(chat_as, "dk-S2", f"n.{council.id}.approve")
    said = await press(chat_as, "dk-S2", f"n.{council.id}.council")
    assert "Registreret: kommunalbestyrelsen er underrettet." in said
    [done] = [n for n in notices(factory) if n.kind is NoticeKind.COUNCIL]
    assert (done.status, done.decided_by) == (NoticeStatus.DONE, "S2")
    assert "Registreret af Birgitte Holm" in latest(factory, "U-S2").text
    assert "Birgitte Holm har redan registrerat det." in await press(
        chat_as, "dk-S3", f"n.{council.id}.council"
    )
    [logged] = events(factory, EventKind.COUNCIL_NOTIFIED)
    assert (logged.case_id, logged.detail) == (
        case_id,
        {"notice": council.id, "quarter": "2026Q4"},
    )
    # Nothing went to the guardians.
    assert outbox(factory, GUARDIAN_NOTICE_KIND) == []


async def test_nobody_but_a_head_of_the_school_decides(chat_as, dk_world) -> None:
    factory, case_id = dk_world
    await night(factory, hit("dk.unlawful_10", date(2026, 11, 20)))
    [notice] = notices(factory)
    expired = in_locale("da", "This button has expired.")
    # The pupil's mentor, a forged id, and a head of another school.
    assert expired in await press(chat_as, "dk-S1", f"n.{notice.id}.approve")
    assert expired in await press(chat_as, "dk-S2", "n.999.approve")
    async with factory() as uow:
        await uow.staff.save(StaffMember("se", "S9", "Eva Ek", frozenset({Role.PRINCIPAL})))
        await uow.accounts.save(ChatAccount("test", "se-S9", "se", "staff", "S9"))
        await uow.commit()
    assert in_locale("sv", "This button has expired.") in await press(
        chat_as, "se-S9", f"n.{notice.id}.approve"
    )
    assert notices(factory)[0].pending
    assert outbox(factory, GUARDIAN_NOTICE_KIND) == []
    refused = events(factory, EventKind.REFUSED)
    assert [(e.case_id, e.actor) for e in refused] == [(case_id, "staff:S1")]
    assert refused[0].detail == {"tried": "notice_approved"}


@pytest.mark.parametrize("locale", ["sv", "nb", "da"])
async def test_the_guardians_read_facts_and_no_internal_word(dk_world, locale: str) -> None:
    factory, _case_id = dk_world
    await night(factory, hit("dk.unlawful_10", date(2026, 11, 20)))
    [notice] = notices(factory)
    pupil = factory.store.pupils[("dk", "P1")]
    with use_locale(locale):
        text = parents_notice_text(DK, pupil, notice, "Birgitte Holm")
    assert internal_words(locale, text) == []
    # What 15 % means, the numbers behind the notice, and who it is from.
    assert "15 %" in text and "12,5 %" in text
    assert "Emil Hansen" in text and "Birgitte Holm, Skovbakke Skole" in text
    assert notice.kind.value not in text and "unlawful_10" not in text
