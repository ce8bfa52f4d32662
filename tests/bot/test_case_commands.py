"""`narvaro cases list` and `cases log`, and the children's cases in `narvaro privacy export`
and `erase`, checked through the CLI against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from bot import operator
from bot.case_commands import detail_line, who
from bot.operator import demo_file
from bot.settings import Settings
from routine.case_tasks import CaseTask, TaskKind
from routine.cases import Case, CaseEvent, EventKind
from routine.concerns import StaffConcern, StaffConcernKind
from routine.notices_dk import CaseNotice, NoticeKind
from routine.plans import Plan, PlanRow, Responsible
from tests.bot.process import run_narvaro

SE = "se-bjorkangen"
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
STEP = "se.step2"
SECRET_NOTE = "Mamma berättade om sjukhusbesöket"
SECRET_OUTCOME = "Pappa sa att hon mår dåligt hemma"
# A note on a conversation question (routine.case_notes): case data, never in a log.
CASE_NOTE = "Vill börja med läxhjälp på tisdagar"


async def _a_case_with_everything(settings: Settings) -> int:
    await operator.apply_school_file(settings, demo_file("se.toml"))
    await operator.import_roster_file(settings, SE, demo_file("se.csv"))
    app = await operator.bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            [case] = await uow.cases.add_new(
                [Case(SE, "P-SE-001", "se.step2", NOW, "rule:se.step2", "S-SE-01", "S-SE-02")]
            )
            await uow.cases.add_new([Case(SE, "P-SE-003", "se.step3", NOW, "by_hand")])
            plan = await uow.plans.add_version(
                Plan(
                    SE, case.id, 1, "Svårt med morgnarna.", "I skolan varje dag",
                    (PlanRow("Komma i tid", "Väckning", Responsible.GUARDIANS),),
                    date(2026, 11, 30), date(2027, 2, 26), date(2027, 1, 22), "S-SE-01", NOW,
                )
            )  # fmt: skip
            assert plan is not None
            assert await uow.plans.confirm(plan.id, "G-SE-001", NOW)
            assert await uow.plans.confirm(plan.id, "G-SE-002", NOW)
            await uow.case_tasks.add_new(
                [CaseTask(SE, case.id, TaskKind.REVIEW, "Uppföljning", "S-SE-01", NOW.date(), NOW)]
            )
            await uow.case_notices.add_new(
                [CaseNotice(case.id, SE, "P-SE-001", NoticeKind.PARENTS, "2026Q4", NOW)]
            )
            await uow.staff_concerns.add(
                StaffConcern(
                    SE, "P-SE-001", "S-SE-02", StaffConcernKind.LEAVES_LESSONS, SECRET_NOTE, NOW
                )
            )
            events = [
                (EventKind.OPENED, "rule:se.step2", {"reason": "rule:se.step2", "stage": STEP}),
                (EventKind.VIEWED, "staff:S-SE-01", {}),
                (EventKind.REFUSED, "staff:S-SE-03", {"tried": "ticked"}),
                (EventKind.PLAN_CONFIRMED, "guardian:G-SE-001", {"version": 1}),
                (EventKind.TASK_DONE, "staff:S-SE-01", {"task": 1, "outcome": SECRET_OUTCOME}),
                (EventKind.NOTED, "staff:S-SE-01",
                 {"stage": STEP, "item": "pupil_guardian/x", "note": CASE_NOTE}),
            ]  # fmt: skip
            await uow.cases.add_events(
                [CaseEvent(case.id, NOW, kind, actor, detail) for kind, actor, detail in events]
            )
            await uow.commit()
            return case.id
    finally:
        await app.close()


async def _events(settings: Settings, case_id: int) -> list[CaseEvent]:
    app = await operator.bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            return (await uow.cases.events_of([case_id]))[case_id]
    finally:
        await app.close()


async def test_a_guardian_s_export_holds_the_children_s_cases_and_erasure_keeps_them(
    migrated_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=migrated_database_url)
    case_id = await _a_case_with_everything(settings)

    def run(*args: str):
        return run_narvaro(
            "privacy", *args, "--school", SE, "--guardian-id", "G-SE-001",
            cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url,
        )  # fmt: skip

    exported = run("export")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert [(c["id"], c["pupil_id"]) for c in data["cases"]] == [(case_id, "P-SE-001")]
    assert [e["kind"] for e in data["case_events"]] == [
        "opened", "viewed", "refused", "plan_confirmed", "task_done", "noted",
    ]  # fmt: skip
    # The staff's notes on the conversation questions are the child's case data: exported.
    assert data["case_events"][-1]["detail"]["note"] == CASE_NOTE
    assert CASE_NOTE not in exported.stderr
    assert [p["main_goal"] for p in data["case_plans"]] == ["I skolan varje dag"]
    # Only this guardian's confirmation: the other guardian's is theirs.
    assert [c["guardian_id"] for c in data["case_plan_confirmations"]] == ["G-SE-001"]
    assert [t["title"] for t in data["case_tasks"]] == ["Uppföljning"]
    assert [n["kind"] for n in data["case_notices"]] == ["dk.parents"]
    assert [c["note"] for c in data["staff_concerns"]] == [SECRET_NOTE]
    assert SECRET_NOTE not in exported.stderr

    erased = run("erase")
    assert erased.returncode == 0, erased.stderr
    assert "  case_plan_confirmations: 1" in erased.stdout
    assert "the school's record of its duty to act on absence" in erased.stdout
    after = json.loads(run("export").stdout)
    assert after["case_plan_confirmations"] == []
    for kept in ("cases", "case_plans", "case_tasks", "case_notices"):
        assert after[kept] == data[kept], kept
    # The log is kept, and holds that the first export showed the case.
    *log, exported_event = after["case_events"]
    assert log == data["case_events"]
    assert (exported_event["kind"], exported_event["detail"]) == ("viewed", {"via": "export"})
    assert exported_event["actor"].startswith("operator:")
    assert after["staff_concerns"] == data["staff_concerns"]
    other = run_narvaro(
        "privacy", "export", "--school", SE, "--guardian-id", "G-SE-002",
        cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url,
    )  # fmt: skip
    assert [c["guardian_id"] for c in json.loads(other.stdout)["case_plan_confirmations"]] == [
        "G-SE-002"
    ]


async def test_the_operator_lists_open_cases_and_reads_a_pupil_s_log_which_is_itself_logged(
    migrated_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=migrated_database_url)
    case_id = await _a_case_with_everything(settings)

    def run(*args: str):
        return run_narvaro(
            "--operator", "lena", "cases", *args, "--school", SE,
            cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url,
        )  # fmt: skip

    listed = run("list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "pupil\tstage\towner\tcoordinator\topened"
    assert sorted(lines[1:]) == [
        "P-SE-001\tse.step2\tS-SE-01\tS-SE-02\t2026-11-23T08:00+00:00",
        "P-SE-003\tse.step3\t-\t-\t2026-11-23T08:00+00:00",
    ]
    assert "cases list: operator=lena school=se-bjorkangen cases=2" in listed.stderr

    before = len(await _events(settings, case_id))
    logged = run("log", "--pupil", "P-SE-001")
    assert logged.returncode == 0, logged.stderr
    out = logged.stdout
    assert out.startswith(f"Case {case_id} (open): stage se.step2")
    assert "\tstaff S-SE-01 (Anna Lindqvist)\tviewed" in out
    assert "\tstaff S-SE-03 (" in out and "\trefused\ttried=ticked" in out
    assert "\tguardian G-SE-001\tplan_confirmed\tversion=1" in out
    assert "\trule se.step2\topened\treason=rule:se.step2 stage=se.step2" in out
    assert "\ttask_done\ttask=1 outcome=(withheld)" in out
    assert "\toperator lena\tviewed\tvia=cli" in out
    assert "\tnoted\tstage=se.step2 item=pupil_guardian/x note=(withheld)" in out
    for secret in (SECRET_OUTCOME, SECRET_NOTE, CASE_NOTE):
        assert secret not in out and secret not in logged.stderr
    assert (
        "cases log: operator=lena school=se-bjorkangen pupil_id=P-SE-001 cases=1" in logged.stderr
    )
    assert "Anna" not in logged.stderr
    after = await _events(settings, case_id)
    assert len(after) == before + 1
    assert (after[-1].kind, after[-1].actor) == (EventKind.VIEWED, "operator:lena")

    nothing = run("log", "--pupil", "P-SE-002")
    assert nothing.returncode == 0 and "No cases for pupil P-SE-002" in nothing.stdout
    unknown = run("log", "--pupil", "P-NOPE")
    assert unknown.returncode != 0 and "no pupil 'P-NOPE'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    elsewhere = run_narvaro(
        "cases", "list", "--school", "se-nope",
        cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url,
    )  # fmt: skip
    assert elsewhere.returncode != 0 and "no school with the key 'se-nope'" in elsewhere.stderr


def test_help_works_without_any_configuration(tmp_path: Path) -> None:
    for args in (("cases", "--help"), ("cases", "log", "--help"), ("cases", "list", "--help")):
        shown = run_narvaro(*args, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert "Usage: narvaro cases" in shown.stdout


def test_the_log_names_staff_and_withholds_what_is_not_structure() -> None:
    names = {"S1": "Anna"}
    assert who("staff:S1", names) == "staff S1 (Anna)"
    assert who("staff:S9", names) == "staff S9"
    assert who("guardian:G1", names) == "guardian G1"
    assert who("operator", names) == "operator"
    line = detail_line({"stage": "se.step2", "tasks": [1, 2], "free": "x", "outcome": "y"})
    assert line == "stage=se.step2 tasks=1,2 free=(withheld) outcome=(withheld)"
