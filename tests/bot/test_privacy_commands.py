"""`narvaro privacy export` and `erase`, checked against the database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot import operator
from bot.operator import demo_file
from bot.settings import Settings
from routine.invites import issue_invite
from routine.model import AbsenceReport, ChatAccount, ReasonCategory
from routine.requests import ContactRequest, ContactTime, ContactTopic, ContactWay
from tests.bot.process import run_narvaro

SE = "se-bjorkangen"
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
DAY = date(2026, 11, 23)


async def test_a_guardian_s_data_is_exported_whole_and_erased_as_far_as_allowed(
    migrated_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=migrated_database_url)
    await operator.apply_school_file(settings, demo_file("se.toml"))
    await operator.import_roster_file(settings, SE, demo_file("se.csv"))
    app = await operator.bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            await uow.accounts.save(ChatAccount("telegram", "777", SE, "guardian", "G-SE-001"))
            await uow.reports.add(
                AbsenceReport(
                    SE, "P-SE-001", "G-SE-001", ReasonCategory.ILLNESS, DAY, DAY,
                    note="Feber", reported_at=NOW,
                )
            )  # fmt: skip
            await uow.contact_requests.add(
                ContactRequest(
                    SE, "P-SE-001", "G-SE-001", ContactTopic.WELLBEING, ContactWay.PHONE,
                    ContactTime.ANY, created_at=NOW,
                )
            )  # fmt: skip
            await uow.commit()
        async with app.uow_factory() as uow:
            await issue_invite(
                uow, school_key=SE, guardian_id="G-SE-001", now=NOW, ttl=timedelta(hours=1)
            )
    finally:
        await app.close()

    def run(*args: str):
        return run_narvaro(
            "privacy", *args, "--school", SE, "--guardian-id", "G-SE-001",
            cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url,
        )  # fmt: skip

    exported = run("export")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["guardians"][0]["phone"]
    assert [r["note"] for r in data["absence_reports"]] == ["Feber"]
    assert [p["pupil_id"] for p in data["pupils"]] == ["P-SE-001"]
    assert len(data["contact_requests"]) == len(data["invite_codes"]) == 1
    assert "code_hash" not in data["invite_codes"][0]
    assert [a["account_id"] for a in data["chat_accounts"]] == ["777"]
    assert "privacy export: operator=" in exported.stderr
    assert "school=se-bjorkangen guardian_id=G-SE-001" in exported.stderr

    erased = run("erase")
    assert erased.returncode == 0, erased.stderr
    assert "  chat_accounts: 1" in erased.stdout
    assert "Kept, and why:" in erased.stdout
    after = json.loads(run("export").stdout)
    assert after["chat_accounts"] == after["contact_requests"] == after["invite_codes"] == []
    assert [r["note"] for r in after["absence_reports"]] == [""]
    assert (after["guardians"][0]["phone"], after["guardians"][0]["email"]) == ("", "")
    assert [r["reason"] for r in after["absence_reports"]] == ["illness"]  # the record is kept
    unknown = run_narvaro(
        "privacy", "export", "--school", SE, "--guardian-id", "G-NOPE",
        cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url,
    )  # fmt: skip
    assert unknown.returncode != 0 and "no guardian 'G-NOPE'" in unknown.stderr
