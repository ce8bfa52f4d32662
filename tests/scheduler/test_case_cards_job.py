"""The nightly evaluation announces the cases it opens: each new case's card is queued, in the
same unit of work, to those who act on it (its owner and coordinator), in their language, as a
slot that later changes edit in place; on the fakes and on both SQL backends."""

from __future__ import annotations

from datetime import timedelta

from dialogs.case_card import refresh_case_cards
from routine.case_opening import open_cases
from routine.cases import Origin, Trigger
from routine.model import Language, Role, StaffMember
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.test_evaluate_thresholds import NOW, run, set_up

STAFF = [
    StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), slack_user_id="U1"),
    StaffMember("se", "S2", "Jonas Ahl", frozenset({Role.MENTOR}), ("7B",), slack_user_id="U2"),
    StaffMember(
        "se",
        "S4",
        "Nils Holm",
        frozenset({Role.COORDINATOR}),
        language=Language.NB,
        slack_user_id="U4",
    ),
    # A principal sees every case, but a card only once the case is at a principal's stage.
    StaffMember("se", "S3", "Eva Rydberg", frozenset({Role.PRINCIPAL}), slack_user_id="U3"),
]


async def pending(factory: UnitOfWorkFactory) -> list[OutboxMessage]:
    """The messages due, at most one per recipient (the outbox keeps each one's order)."""
    async with factory() as uow:
        claimed = await uow.outbox.claim(
            now=NOW + timedelta(days=1), limit=100, lease=timedelta(minutes=1), worker="test"
        )
        await uow.commit()
    return sorted(claimed, key=lambda m: m.recipient)


async def check_the_cards(factory: UnitOfWorkFactory) -> None:
    await set_up(factory)
    async with factory() as uow:
        for member in STAFF:
            await uow.staff.save(member)
        await uow.commit()
    await run(factory)
    async with factory() as uow:
        [case] = await uow.cases.open_cases("se")
    cards = await pending(factory)
    # The mentor of 7A leads the first stage; the school's coordinator coordinates.
    assert (case.owner_id, case.coordinator_id) == ("S1", "S4")
    assert [m.recipient for m in cards] == ["U1", "U4"]
    assert {(m.kind, m.slot) for m in cards} == {("case-card", f"case:{case.id}")}
    by_recipient = {m.recipient: m for m in cards}
    # Each in the reader's language: Swedish for the mentor, Norwegian for the coordinator.
    assert by_recipient["U1"].text.splitlines()[0] == "P1, klass 7A"
    assert by_recipient["U4"].text.splitlines()[0] == "P1, klasse 7A"
    assert any(b.id == f"cs.{case.id}.close" for b in by_recipient["U1"].buttons)
    # The next night the case is open already: no new card.
    await run(factory)
    assert await pending(factory) == []


async def test_the_nightly_job_queues_the_new_cases_cards_on_fakes() -> None:
    await check_the_cards(FakeUnitOfWorkFactory())


async def test_the_nightly_job_queues_the_new_cases_cards_on_sql(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await check_the_cards(uow_factory)


async def test_the_benchmark_school_gets_cards_so_the_statement_count_covers_them(
    migrated_database_url: str,
) -> None:
    """tests/scheduler/test_job_statements.py holds the evaluation to the same statements for a
    ten times larger school; here, that its cases' cards are part of what it counts."""
    from sqlalchemy import text

    from bench import nightly
    from routine.model import Country
    from scheduler.jobs import JOBS, JobContext
    from storage.db import make_engine, make_session_factory
    from storage.uow import SqlAlchemyUnitOfWorkFactory

    engine = make_engine(migrated_database_url)
    try:
        school = nightly.bench_school("small", Country.SE)
        await nightly.load(engine, school, 50)
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        await JOBS["evaluate-thresholds"].run(
            JobContext(factory, nightly.Clock()), "small", nightly.DAY
        )
        async with factory() as uow:
            opened = await uow.cases.open_cases("small")
        async with engine.connect() as connection:
            query = text("SELECT recipient, slot FROM outbox WHERE kind = 'case-card'")
            cards = (await connection.execute(query)).all()
    finally:
        await engine.dispose()
    assert opened
    # Each case's card to its class's mentor and to the coordinator.
    assert len(cards) == 2 * len(opened)
    assert {slot for _recipient, slot in cards} == {f"case:{c.id}" for c in opened}


async def test_a_new_reason_on_an_open_case_edits_its_cards() -> None:
    """A guardian's concern opened P1's case; the night's rule hit is logged on it, and its
    cards are rendered again with the new reason, in the same slot."""
    factory = FakeUnitOfWorkFactory()
    await set_up(factory)
    async with factory() as uow:
        for member in STAFF:
            await uow.staff.save(member)
        school = await uow.schools.get("se")
        concern = Trigger("P1", Origin.GUARDIAN_CONCERN, NOW, "guardian:G1")
        changes = await open_cases(uow, school, [concern])
        await refresh_case_cards(uow, school, changes.opened, NOW)
        await uow.commit()
    (case,) = changes.opened
    first = {m.recipient: m for m in factory.store.outbox.values()}
    await run(factory)
    cards = sorted(factory.store.outbox.values(), key=lambda m: m.id or 0)
    latest = {m.recipient: m for m in cards}
    assert set(latest) == {"U1", "U4"}
    for recipient, message in latest.items():
        assert message.id != first[recipient].id and message.slot == f"case:{case.id}"
    lines = latest["U1"].text.splitlines()
    assert lines[4].endswith(
        "En vårdnadshavare har berättat att det är svårt att få barnet till skolan."
    )
    assert lines[5].startswith("Dessutom: Frånvaro: 3 av 20 kända skoldagar (15 %)")
