"""Rule hits stored per window: the migrations to one hit per window start (0016) and to the
windows' last evaluated day (0019) keep what the stored hits read as."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import nightly
from storage.db import make_engine, make_session_factory
from storage.orm import PupilRow, RuleHitRow, SchoolRow
from storage.schema import alembic_config, upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.scheduler.hits_support import AUTUMN, FIRST_NIGHT, LATER, NOW, SCHOOL, SPRING_NIGHT

# A stored hit as a row: pupil, rule, window start, window end, numbers, found at.
HitRow = tuple[str, str, date, date, dict[str, int], datetime]


async def insert_rows(engine: AsyncEngine, pupil_ids: list[str], hits: list[HitRow]) -> None:
    """The school, its pupils in 9A and their hits, inserted as rows: the schema is an older
    revision's, which the repositories no longer know."""
    async with engine.begin() as connection:
        await connection.execute(insert(SchoolRow), [nightly.school_rows(SCHOOL, 1)["school"][0]])
        await connection.execute(
            insert(PupilRow),
            [
                {"school_key": "no", "pupil_id": p, "name": p, "class_name": "9A", "active": True}
                for p in pupil_ids
            ],
        )
        await connection.execute(
            insert(RuleHitRow),
            [
                {"school_key": "no", "pupil_id": pupil, "rule_id": rule, "numbers": numbers}
                | {"window_start": start, "window_end": end, "found_at": at}
                for pupil, rule, start, end, numbers, at in hits
            ],
        )


async def test_the_migration_keeps_one_hit_per_window_start(database_url: str) -> None:
    """Hits stored per window end before: one row per window start is kept, ending on the
    last night it held, found when it was first found."""
    await upgrade(database_url, "0015")
    nights = [FIRST_NIGHT + timedelta(days=n) for n in range(3)]
    engine = make_engine(database_url)
    try:
        old = (
            [("no.invalid_repeated", AUTUMN.start, d, LATER) for d in nights]
            + [("no.invalid_repeated", AUTUMN.start, nights[0] - timedelta(1), NOW)]
            + [("no.single_days", date(2026, 11, 1), nights[0], NOW)]
        )
        await insert_rows(
            engine,
            ["OLA"],
            [
                ("OLA", rule, start, end, {"n": n}, at)
                for n, (rule, start, end, at) in enumerate(old)
            ],
        )
        await upgrade(database_url)
        async with engine.connect() as connection:
            t = RuleHitRow.__table__.c
            rows = await connection.execute(
                select(t.rule_id, t.window_start, t.window_end, t.numbers, t.found_at).order_by(
                    t.rule_id
                )
            )
            assert [tuple(row) for row in rows] == [
                ("no.invalid_repeated", AUTUMN.start, nights[2], {"n": 2}, NOW),
                ("no.single_days", date(2026, 11, 1), nights[0], {"n": 4}, NOW),
            ]
    finally:
        await engine.dispose()


async def test_the_migration_keeps_what_hits_read_as(database_url: str) -> None:
    """Hits stored before 0019 read as they did after it: each window is evaluated through
    its hits' latest end, the hits ending there hold (with their own school days until the
    window is evaluated again), and the others keep their own end and numbers. Downgraded,
    the rows are as they were."""
    await upgrade(database_url, "0018")
    nights = [FIRST_NIGHT + timedelta(days=n) for n in range(3)]
    rows = [
        ("OLA", "no.invalid_repeated", AUTUMN.start, nights[2], {"count": 3, "school_days": 58}),
        ("KARI", "no.invalid_repeated", AUTUMN.start, nights[0], {"count": 2, "school_days": 56}),
        ("PER", "no.invalid_repeated", AUTUMN.start, nights[2], {"count": 5, "school_days": 58}),
        ("OLA", "no.single_days", date(2026, 11, 1), nights[1], {"count": 4}),
    ]
    engine = make_engine(database_url)
    try:
        await insert_rows(engine, ["OLA", "KARI", "PER"], [(*row, NOW) for row in rows])
        await upgrade(database_url)
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        async with factory() as uow:
            read = await uow.rule_hits.list_between(SCHOOL.key, AUTUMN.start, SPRING_NIGHT)
            held = await uow.rule_hits.held(
                SCHOOL.key, [("no.invalid_repeated", AUTUMN.start), ("no.single_days", nights[0])]
            )
        assert sorted(
            (h.pupil_id, h.rule_id, h.window_start, h.window_end, dict(h.numbers)) for h in read
        ) == sorted(rows)
        window = held[("no.invalid_repeated", AUTUMN.start)]
        assert (window.through, window.school_days) == (nights[2], None)
        assert {p: h.holding for p, h in window.hits.items()} == {
            "OLA": True,
            "KARI": False,
            "PER": True,
        }
        assert ("no.single_days", nights[0]) not in held
        await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0018")
        async with engine.connect() as connection:
            t = RuleHitRow.__table__.c
            found = await connection.execute(
                select(t.pupil_id, t.rule_id, t.window_start, t.window_end, t.numbers)
            )
            assert sorted(tuple(row) for row in found) == sorted(rows)
    finally:
        await engine.dispose()
