"""Linking a chat to a guardian with a one-time code, and unlinking it again."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from dialogs.engine import ONLY_PRIVATE, UNKNOWN_STAFF, Engine
from dialogs.events import ConversationKey, Incoming
from dialogs.flows.welcome import privacy_notice
from dialogs.i18n import _, use_locale
from dialogs.linking import NOT_LINKED, REFUSALS, TOO_MANY, WRONG_CODE
from routine.invites import InviteError, issue_invite
from routine.model import Language
from tests.dialogs.conftest import FixedClock
from tests.fakes import FakeUnitOfWorkFactory

TELEGRAM_USER = "777001"


def in_locale(locale: str, message) -> str:
    """A lazy message, or a function that renders one, in that locale."""
    with use_locale(locale):
        return message() if callable(message) else str(message)


async def invite(world: FakeUnitOfWorkFactory, clock: FixedClock, guardian: str = "G1") -> str:
    async with world() as uow:
        code, _stored = await issue_invite(
            uow, school_key="no", guardian_id=guardian, now=clock.now(), ttl=timedelta(hours=72)
        )
    return code


def telegram(text: str, *, locale: str | None = "no", private: bool = True) -> Incoming:
    key = ConversationKey(platform="telegram", chat=TELEGRAM_USER, user=TELEGRAM_USER)
    return Incoming(key=key, text=text, locale=locale, private=private)


async def test_a_code_links_the_chat_and_welcomes_in_the_proposed_language(
    engine: Engine, world: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await invite(world, clock)
    (welcome,) = await engine.handle(telegram(f"/start {code}"))
    assert (
        welcome.text.splitlines()[0]
        == "Velkommen, Kari Nordmann! Denne chatten er nå koblet til Fjellvang skole."
    )
    assert [b.label for b in welcome.buttons] == ["Norsk bokmål", "Svenska", "Dansk"]
    dansk = welcome.buttons[2].id
    privacy, menu = await engine.handle(Incoming(key=telegram("").key, button=dansk, locale="no"))
    assert privacy.text == in_locale("da", privacy_notice)
    assert menu.buttons[0].label == "Meld fravær"
    # Nothing was done yet, so the first menu does not ask what *else* it can do.
    assert menu.text == "Hvad vil du gerne gøre?"
    assert world.store.guardians[("no", "G1")].speaks is Language.DA
    assert world.store.accounts[("telegram", TELEGRAM_USER)].person_id == "G1"


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("wrong", WRONG_CODE),
        ("expired", REFUSALS[InviteError.EXPIRED]),
        ("used", REFUSALS[InviteError.USED]),
    ],
)
async def test_a_code_that_does_not_work_is_explained_and_links_nothing(
    engine: Engine, world: FakeUnitOfWorkFactory, clock: FixedClock, how: str, expected
) -> None:
    code = await invite(world, clock)
    if how == "wrong":
        code = "WRONGCODE2"
    elif how == "expired":
        clock.moment += timedelta(hours=73)
    else:
        other = ConversationKey(platform="telegram", chat="1", user="1")
        await engine.handle(Incoming(key=other, text=f"/start {code}"))
    replies = await engine.handle(telegram(f"/start {code}"))
    assert [r.text for r in replies] == [in_locale("nb", expected)]
    assert ("telegram", TELEGRAM_USER) not in world.store.accounts


async def test_wrong_codes_are_throttled_per_chat(
    engine: Engine, world: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await invite(world, clock)
    for attempt in range(5):
        clock.moment += timedelta(seconds=30)
        await engine.handle(telegram(f"/start GUESS{attempt}XYZ"))
    (blocked,) = await engine.handle(telegram(f"/start {code}"))
    assert blocked.text == in_locale("nb", TOO_MANY)
    assert ("telegram", TELEGRAM_USER) not in world.store.accounts
    clock.moment += timedelta(minutes=15)
    (welcome,) = await engine.handle(telegram(f"/start {code}"))
    assert welcome.buttons and ("telegram", TELEGRAM_USER) in world.store.accounts


@pytest.mark.parametrize("text", ["hei", "/start", "/menu", "/start ABC DEF"])
async def test_nobody_gets_anything_without_a_code(engine: Engine, text: str) -> None:
    replies = await engine.handle(telegram(text))
    assert [(r.text, r.buttons) for r in replies] == [(in_locale("nb", NOT_LINKED), ())]


async def test_someone_whose_language_we_cannot_know_is_answered_in_all_three(
    engine: Engine,
) -> None:
    (reply,) = await engine.handle(telegram("hello", locale="en"))
    assert reply.text.split("\n\n") == [in_locale(c, NOT_LINKED) for c in ("sv", "nb", "da")]


async def test_in_a_group_the_assistant_only_says_it_talks_in_private(
    engine: Engine, world: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await invite(world, clock)
    replies = await engine.handle(telegram(f"/start {code}", private=False))
    assert [r.text for r in replies] == [in_locale("nb", ONLY_PRIVATE)]
    assert world.store.accounts.get(("telegram", TELEGRAM_USER)) is None
    assert world.store.conversations == {}


async def test_stop_unlinks_the_chat(
    engine: Engine, world: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await invite(world, clock)
    await engine.handle(telegram(f"/start {code}"))
    (goodbye,) = await engine.handle(telegram("/stop"))
    assert "/stop" not in goodbye.text and not goodbye.buttons
    assert ("telegram", TELEGRAM_USER) not in world.store.accounts
    replies = await engine.handle(telegram("/menu"))
    assert [r.text for r in replies] == [in_locale("nb", NOT_LINKED)]


async def test_privacy_says_what_is_stored(chat_as) -> None:
    replies = await chat_as("se-G1").send("/privacy")
    assert replies[0].text == in_locale("sv", privacy_notice)


async def test_a_guardian_who_writes_again_is_reachable_again(
    engine: Engine, world: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await invite(world, clock)
    await engine.handle(telegram(f"/start {code}"))
    account = world.store.accounts[("telegram", TELEGRAM_USER)]
    world.store.accounts[("telegram", TELEGRAM_USER)] = dataclasses.replace(
        account, reachable=False
    )
    await engine.handle(telegram("/menu"))
    assert world.store.accounts[("telegram", TELEGRAM_USER)].reachable is True


async def test_staff_on_slack_are_known_from_the_school_file(
    engine: Engine, world: FakeUnitOfWorkFactory
) -> None:
    async with world() as uow:
        karin = await uow.staff.get("se", "S1")
        await uow.staff.save(dataclasses.replace(karin, slack_user_id="U0KARIN"))
        await uow.commit()
    key = ConversationKey(platform="slack", chat="D1", user="U0KARIN", workspace="T1")
    (menu,) = await engine.handle(Incoming(key=key, text="hej"))
    assert menu.text == in_locale(
        "sv", lambda: _("Hello {name}! What would you like to do?")
    ).format(name="Karin Ek")
    assert world.store.accounts[("slack", "U0KARIN")].person_id == "S1"


async def test_an_unknown_slack_user_is_refused_politely(engine: Engine) -> None:
    key = ConversationKey(platform="slack", chat="D2", user="U0STRANGER", workspace="T1")
    replies = await engine.handle(Incoming(key=key, text="/start ABCDEFGHJK", locale="da-DK"))
    assert [(r.text, r.buttons) for r in replies] == [(in_locale("da", UNKNOWN_STAFF), ())]
