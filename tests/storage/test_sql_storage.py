"""What only the SQL storage promises: UTC on read, foreign keys, unique prompts, refusing naive
datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from routine.model import AbsenceReport, Pupil, ReasonCategory
from routine.ports import UnitOfWorkFactory
from routine.requests import (
    AbsencePrompt,
    ConcernKind,
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    GuardianConcern,
)
from storage.db import make_engine, server_settings_from_options
from storage.orm import as_utc
from tests.storage.support import EKBACKA, committed, read, save_schools_and_people


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    await committed(uow_factory, save_schools_and_people)
    return uow_factory


def sick_day(reported_at: datetime) -> AbsenceReport:
    day = date(2025, 11, 10)
    return AbsenceReport(
        EKBACKA.key, "p1", "g1", ReasonCategory.ILLNESS, day, day, reported_at=reported_at
    )


async def test_datetimes_are_read_back_in_utc(store: UnitOfWorkFactory) -> None:
    local = datetime(2025, 11, 10, 7, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    added = await committed(store, lambda u: u.reports.add(sick_day(local)))

    stored = await read(store, lambda u: u.reports.get(added.id))

    assert stored.reported_at == datetime(2025, 11, 10, 6, 30, tzinfo=UTC)
    assert stored.reported_at.tzinfo is UTC


async def test_naive_datetimes_are_refused(store: UnitOfWorkFactory) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        await committed(store, lambda u: u.reports.add(sick_day(datetime(2025, 11, 10, 7, 30))))


async def test_foreign_keys_are_enforced(store: UnitOfWorkFactory) -> None:
    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.pupils.save(Pupil("nowhere", "p1", "Ingen", "7A")))


async def test_a_report_needs_a_known_pupil(store: UnitOfWorkFactory) -> None:
    stranger = AbsenceReport(
        EKBACKA.key, "p404", "g1", ReasonCategory.OTHER, date(2025, 11, 10), date(2025, 11, 10)
    )
    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.reports.add(stranger))


def asked(token: str, guardian_id: str = "g1") -> AbsencePrompt:
    return AbsencePrompt(
        token,
        EKBACKA.key,
        "p1",
        guardian_id,
        date(2025, 11, 10),
        datetime(2025, 11, 10, tzinfo=UTC),
    )


async def test_a_guardian_is_prompted_once_about_a_pupil_and_day(
    store: UnitOfWorkFactory,
) -> None:
    await committed(store, lambda u: u.prompts.add(asked("tok-1")))

    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.prompts.add(asked("tok-2")))
    assert await read(store, lambda u: u.prompts.by_token("tok-2")) is None


async def test_a_prompt_token_is_used_once(store: UnitOfWorkFactory) -> None:
    await committed(store, lambda u: u.prompts.add(asked("tok-1")))

    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.prompts.add(asked("tok-1", guardian_id="g2")))


async def test_guardians_requests_need_a_known_pupil(store: UnitOfWorkFactory) -> None:
    created_at = datetime(2025, 11, 10, tzinfo=UTC)
    prompt = AbsencePrompt("tok", EKBACKA.key, "p404", "g1", date(2025, 11, 10), created_at)
    request = ContactRequest(
        EKBACKA.key,
        "p404",
        "g1",
        ContactTopic.OTHER,
        ContactWay.MESSAGE,
        ContactTime.MORNING,
        created_at,
    )
    concern = GuardianConcern(
        EKBACKA.key, "p404", "g1", ConcernKind.HARD_TO_GET_TO_SCHOOL, created_at
    )

    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.prompts.add(prompt))
    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.contact_requests.add(request))
    with pytest.raises(IntegrityError):
        await committed(store, lambda u: u.concerns.add(concern))


def test_as_utc_refuses_naive_and_converts_aware() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        as_utc(datetime(2025, 1, 1))
    oslo = datetime(2025, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert as_utc(oslo) == datetime(2025, 7, 1, 10, 0, tzinfo=UTC)


def test_libpq_options_become_server_settings() -> None:
    assert server_settings_from_options("-csearch_path=narvaro -c statement_timeout=5s") == {
        "search_path": "narvaro",
        "statement_timeout": "5s",
    }


def test_only_sqlite_and_postgresql_are_supported() -> None:
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        make_engine("mysql+aiomysql://localhost/narvaro")
