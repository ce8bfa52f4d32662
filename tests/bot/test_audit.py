"""Every `narvaro.audit` line names who ran the command: `--operator`, NARVARO_OPERATOR, or the
login; and a case's log keeps the same name for an operator's reading."""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import audit, operator
from bot.cli import main
from bot.operator import demo_file
from bot.settings import Settings
from routine.cases import Case, EventKind
from routine.outbox import DeliveryStatus, OutboxMessage
from tests.conftest import sql_uow_factory

SE = "se-bjorkangen"
NOW = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)

GUARDIAN = ("--school", SE, "--guardian-id", "G-SE-001")
# Each audited command, and the start of its line after the operator's name.
AUDITED = [
    (("staff", "remove", "--school", SE, "--staff-id", "S-SE-02"), "staff access ended"),
    (("guardian", "unlink", *GUARDIAN), "chats unlinked"),
    (("guardian", "unlink", *GUARDIAN, "--pupil-id", "P-SE-001"), "link to pupil ended"),
    (("pupil", "left", "--school", SE, "--pupil-id", "P-SE-003"), "pupil marked as left"),
    (("cases", "list", "--school", SE), "cases list"),
    (("cases", "log", "--school", SE, "--pupil", "P-SE-001"), "cases log"),
    (("privacy", "export", "--school", SE, "--guardian-id", "G-SE-001"), "privacy export"),
    (("privacy", "erase", "--school", SE, "--guardian-id", "G-SE-001"), "privacy erase"),
    (("outbox", "requeue"), "outbox requeue"),
    (("attendance", "show", "--school", SE, "--pupil", "P-SE-001"), "attendance show"),
    (("attendance", "corrections", "--school", SE), "attendance corrections"),
    (("invite", "--school", SE, "--guardian-id", "G-SE-001"), "invite"),
    (("invite", "--school", SE, "--all"), "invites"),
    (("school", "apply", str(demo_file("se.toml"))), "school apply"),
    (("roster", "import", "--school", SE, str(demo_file("se.csv"))), "roster import"),
    (("jobs", "run", "end-of-day", "--school", SE, "--date", "2026-11-23"), "jobs run"),
    (("outbox", "status"), "outbox status"),
]  # fmt: skip
# What the demo school's file and roster hold, applied once already: unchanged on a second go.
UNCHANGED = 8
PEOPLE = 32
NAMES = ("Alva", "Nilsson", "Elias", "Karlsson", "Maja")
REGISTER = """\
date,pupil_id,kind,code,lesson,minutes
2026-11-16,P-SE-001,absent,illness,,
2026-11-17,P-SE-002,late,,,15
"""


async def _school(url: str) -> None:
    settings = Settings(database_url=url)
    await operator.apply_school_file(settings, demo_file("se.toml"))
    await operator.import_roster_file(settings, SE, demo_file("se.csv"))
    async with sql_uow_factory(url) as factory, factory() as uow:
        await uow.cases.add_new([Case(SE, "P-SE-001", "se.step2", NOW, "by_hand")])
        await uow.outbox.add(
            OutboxMessage(
                key="a", platform="telegram", recipient="4711000", text="…", kind="unreported",
                school_key=SE, created_at=NOW, status=DeliveryStatus.FAILED, attempts=40,
            )
        )  # fmt: skip
        await uow.commit()


@pytest.fixture
def database(migrated_sqlite_url: str) -> str:
    asyncio.run(_school(migrated_sqlite_url))
    return migrated_sqlite_url


def invoke(database: str, *args: str, given: str | None = None, **env: str):
    environment = {"NARVARO_DATABASE_URL": database, "NARVARO_FIXED_TIME": NOW.isoformat()}
    environment.setdefault(audit.ENVIRONMENT, None)  # type: ignore[arg-type]
    result = CliRunner().invoke(
        main, args, input=given, env=environment | env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "narvaro.audit"]


@pytest.mark.parametrize(("args", "what"), AUDITED, ids=[" ".join(a[:2]) for a, _w in AUDITED])
def test_each_audited_command_names_its_operator(
    database: str, caplog: pytest.LogCaptureFixture, args: tuple[str, ...], what: str
) -> None:
    invoke(database, "--operator", "alice", *args)
    (line,) = audit_lines(caplog)
    assert line.startswith(f"{what}: operator=alice "), line


def test_without_the_option_the_environment_then_the_login_names_the_operator(
    database: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(database, "cases", "list", "--school", SE, NARVARO_OPERATOR="bob")
    monkeypatch.setattr(getpass, "getuser", lambda: "carol")
    invoke(database, "cases", "list", "--school", SE)

    def nobody() -> str:
        raise OSError("no login")

    monkeypatch.setattr(getpass, "getuser", nobody)
    invoke(database, "cases", "list", "--school", SE)
    # The option wins over the environment.
    invoke(database, "--operator", "dan", "cases", "list", "--school", SE, NARVARO_OPERATOR="x")
    named = [line.split()[2] for line in audit_lines(caplog)]
    assert named == ["operator=bob", "operator=carol", "operator=unknown", "operator=dan"]


def test_a_name_cannot_forge_or_blur_a_line(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    invoke(
        database, "--operator", "eve\ncases list: operator=alice", "cases", "list", "--school", SE
    )
    (line,) = audit_lines(caplog)
    assert "\n" not in line
    assert line.startswith("cases list: operator=evecaseslist:operator=alice school=")
    assert len(audit.clean("x" * 500)) == audit.MAX_LENGTH


def test_an_operator_s_reading_of_a_case_log_is_kept_on_the_case_by_name(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    shown = invoke(
        database, "--operator", "alice", "cases", "log", "--school", SE, "--pupil", "P-SE-001"
    )
    assert "\toperator alice\tviewed\tvia=cli" in shown.output

    async def events() -> list[tuple[EventKind, str]]:
        async with sql_uow_factory(database) as factory, factory() as uow:
            (case,) = await uow.cases.of_pupil(SE, "P-SE-001")
            return [(e.kind, e.actor) for e in (await uow.cases.events_of([case.id]))[case.id]]

    assert asyncio.run(events())[-1] == (EventKind.VIEWED, "operator:alice")
    assert logging.getLogger("narvaro.audit").getEffectiveLevel() <= logging.WARNING


def test_the_audit_lines_of_imports_jobs_and_the_console_hold_ids_and_counts(
    database: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    invoke(database, "--operator", "alice", "attendance", "import", "--school", SE, str(register))
    invoke(database, "--operator", "alice", "school", "apply", str(demo_file("se.toml")))
    invoke(
        database,
        "--operator",
        "alice",
        "roster",
        "import",
        "--school",
        SE,
        str(demo_file("se.csv")),
    )
    invoke(database, "--operator", "alice", "jobs", "run", "end-of-day", "--date", "2026-11-23")
    invoke(
        database,
        "--operator",
        "alice",
        "console",
        "--as",
        "guardian",
        "--id",
        "G-SE-001",
        given="/quit\n",
    )
    assert audit_lines(caplog) == [
        f"attendance import: operator=alice school={SE} start=2026-11-16 end=2026-11-17 "
        "added=2 updated=0 removed=0",
        f"school apply: operator=alice school={SE} created=0 updated=0 unchanged={UNCHANGED} "
        "not_listed=0",
        f"roster import: operator=alice school={SE} created=0 updated=0 unchanged={PEOPLE} "
        "not_listed=0",
        "jobs run: operator=alice job=end-of-day day=2026-11-23 schools=1",
        "console: operator=alice role=guardian id=G-SE-001",
    ]  # fmt: skip
    # Ids and counts only: no name of a pupil, guardian or member of staff from the files.
    text = "\n".join(audit_lines(caplog))
    for name in NAMES:
        assert name not in text


def test_a_privacy_export_is_kept_on_each_of_the_children_s_cases_by_name(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    exported = invoke(
        database, "--operator", "alice", "privacy", "export", "--school", SE,
        "--guardian-id", "G-SE-001",
    )  # fmt: skip
    (case,) = json.loads(exported.output)["cases"]
    (line,) = audit_lines(caplog)
    assert line == f"privacy export: operator=alice school={SE} guardian_id=G-SE-001 cases=1"

    async def events() -> list[tuple[EventKind, str, dict]]:
        async with sql_uow_factory(database) as factory, factory() as uow:
            found = (await uow.cases.events_of([case["id"]]))[case["id"]]
            return [(e.kind, e.actor, dict(e.detail)) for e in found]

    viewed = [e for e in asyncio.run(events()) if e[0] is EventKind.VIEWED]
    assert viewed == [(EventKind.VIEWED, "operator:alice", {"via": "export"})]
    # A guardian without cases: nothing is logged on any case.
    invoke(database, "privacy", "export", "--school", SE, "--guardian-id", "G-SE-003")
    assert len([e for e in asyncio.run(events()) if e[0] is EventKind.VIEWED]) == 1
