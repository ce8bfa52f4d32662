from datetime import UTC, datetime, timedelta

import pytest

from routine.invites import (
    ALPHABET,
    CODE_LENGTH,
    InviteError,
    InviteRefused,
    hash_code,
    issue_invite,
    redeem_invite,
)
from routine.model import ChatAccount, Guardian, Language
from tests.fakes import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TTL = timedelta(hours=72)


@pytest.fixture
async def factory() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.guardians.save(Guardian("se", "G1", "Anna", Language.SV, pupil_ids=("P1",)))
        await uow.commit()
    return factory


async def issue(factory: FakeUnitOfWorkFactory, at: datetime = NOW) -> str:
    async with factory() as uow:
        code, _ = await issue_invite(uow, school_key="se", guardian_id="G1", now=at, ttl=TTL)
    return code


async def redeem(factory: FakeUnitOfWorkFactory, code: str, at: datetime, account: str = "42"):
    async with factory() as uow:
        linked = await redeem_invite(
            uow, code=code, platform="telegram", account_id=account, now=at
        )
        await uow.commit()
    return linked


async def test_only_the_hash_is_stored(factory: FakeUnitOfWorkFactory) -> None:
    code = await issue(factory)
    (stored,) = factory.store.invites.values()
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert (stored.code_hash, stored.expires_at) == (hash_code(code), NOW + TTL)
    assert code not in repr(factory.store.snapshot())


async def test_a_code_links_the_chat_once(factory: FakeUnitOfWorkFactory) -> None:
    code = await issue(factory)
    linked = await redeem(factory, code.lower(), NOW + timedelta(hours=1))
    assert linked == ChatAccount("telegram", "42", "se", "guardian", "G1")
    with pytest.raises(InviteRefused) as again:
        await redeem(factory, code, NOW + timedelta(hours=2), account="43")
    assert again.value.reason is InviteError.USED
    assert ("telegram", "43") not in factory.store.accounts


async def test_an_expired_or_unknown_code_links_nothing(factory: FakeUnitOfWorkFactory) -> None:
    code = await issue(factory)
    with pytest.raises(InviteRefused) as late:
        await redeem(factory, code, NOW + TTL)
    with pytest.raises(InviteRefused) as wrong:
        await redeem(factory, "AAAAAAAAAA", NOW)
    assert (late.value.reason, wrong.value.reason) == (
        InviteError.EXPIRED,
        InviteError.UNKNOWN_CODE,
    )
    assert factory.store.accounts == {}


async def test_a_new_code_revokes_the_old_one(factory: FakeUnitOfWorkFactory) -> None:
    old = await issue(factory)
    new = await issue(factory, NOW + timedelta(minutes=5))
    with pytest.raises(InviteRefused):
        await redeem(factory, old, NOW + timedelta(minutes=6))
    assert (await redeem(factory, new, NOW + timedelta(minutes=6))).person_id == "G1"


async def test_no_code_for_an_unknown_guardian(factory: FakeUnitOfWorkFactory) -> None:
    async with factory() as uow:
        with pytest.raises(InviteRefused) as refused:
            await issue_invite(uow, school_key="se", guardian_id="G9", now=NOW, ttl=TTL)
    assert refused.value.reason is InviteError.UNKNOWN_GUARDIAN
