"""Rule hits stored per window: an ordinary night's writes are a few bulk statements, however
many pupils hit (the benchmark's school at two sizes, on both SQL backends)."""

from __future__ import annotations

from sqlalchemy import event

from bench import nightly
from bench.morning import StatementCounter
from routine.evaluation import evaluate_thresholds
from routine.model import Country
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory

# Statements: the benchmark's Norwegian school (almost every other pupil hits "invalid absence
# more than once" in the term) at two sizes, three nights.


class Writes:
    """The INSERT and UPDATE statements sent, by the table they write."""

    def __init__(self, engine) -> None:
        self.seen: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection, _cursor, statement: str, *_args) -> None:
        words = statement.split()
        if "INSERT" in words[:1]:
            self.seen.append(f"insert {words[2]}")
        elif "UPDATE" in words:
            self.seen.append(f"update {words[words.index('UPDATE') + 1]}")

    def take(self) -> list[str]:
        found, self.seen = sorted(self.seen), []
        return found


async def nights_of(
    url: str, school_key: str, pupils: int, country: Country = Country.NO
) -> list[tuple[int, list[str], int]]:
    """Per night (the first, the same again, the next): statements, writes and hits."""
    engine = make_engine(url)
    try:
        await nightly.load(engine, nightly.bench_school(school_key, country), pupils)
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        counter, writes = StatementCounter(engine), Writes(engine)
        found = []
        for day in (nightly.DAY_BEFORE, nightly.DAY_BEFORE, nightly.DAY):
            counter.count, _ = 0, writes.take()
            async with factory() as uow:
                school = await uow.schools.get(school_key)
                assert school is not None
                result = await evaluate_thresholds(uow, school, day, nightly.NOW)
                await uow.commit()
            found.append((counter.count, writes.take(), result))
        return [(count, written, len(r.hits)) for count, written, r in found]
    finally:
        await engine.dispose()


async def test_an_ordinary_night_writes_a_few_bulk_statements(
    migrated_database_url: str,
) -> None:
    small = await nights_of(migrated_database_url, "small", 50)
    large = await nights_of(migrated_database_url, "large", 500)
    for (count, writes, hits), (count_l, writes_l, hits_l) in zip(small, large, strict=True):
        assert hits_l > 5 * hits > 0
        assert count == count_l < 40, (small, large)
        assert writes == writes_l
    (_, first, _), (_, again, _), (_, following, _) = large
    # A row a window (Norway's two rules that count marked days, over the term), the hits
    # and the days they used.
    assert first == [
        "insert record_uses",
        "insert rule_hits",
        "insert rule_windows",
        "insert rule_windows",
    ]
    # The same night again: nothing is written.
    assert again == []
    # The next night: each window is evaluated a day further (a row each); the hits that hold
    # on as they were (here all that held) are not written, the new ones are inserted in one
    # statement, and only the days not used before are stored as uses.
    assert following == [
        "insert record_uses",
        "insert rule_hits",
        "update rule_windows",
        "update rule_windows",
    ]


async def test_sweden_s_share_is_a_few_statements_however_many_pupils(
    migrated_database_url: str,
) -> None:
    """Sweden's share over 20 school days, decided from the listed marks of the pupils whose
    class's every roll call was taken (one pupil in ten hits): as many statements at 50
    pupils as at 500, each night."""
    small = await nights_of(migrated_database_url, "small", 50, Country.SE)
    large = await nights_of(migrated_database_url, "large", 500, Country.SE)
    for (count, writes, hits), (count_l, writes_l, hits_l) in zip(small, large, strict=True):
        assert hits_l > 5 * hits > 0
        assert count == count_l < 40, (small, large)
        assert writes == writes_l
