"""The `narvaro` command as an operator runs it: a real process, real files, a real database."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest

from bot.operator import demo_file
from tests.bot.process import run_narvaro

SCHOOL_KEY = "se-bjorkangen"


def narvaro(
    *args: str, database_url: str, cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return run_narvaro(*args, cwd=cwd, stdin=stdin, NARVARO_DATABASE_URL=database_url, **env)


@pytest.fixture
def run(database_url: str, tmp_path: Path):
    def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
        return narvaro(*args, database_url=database_url, cwd=tmp_path, stdin=stdin, **env)

    return run


@pytest.fixture
def school(run) -> str:
    assert run("db", "upgrade").returncode == 0
    assert run("school", "apply", str(demo_file("se.toml"))).returncode == 0
    assert (
        run("roster", "import", "--school", SCHOOL_KEY, str(demo_file("se.csv"))).returncode == 0
    )
    return SCHOOL_KEY


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    "command",
    [
        [],
        ["db"],
        ["db", "upgrade"],
        ["db", "status"],
        ["school"],
        ["school", "apply"],
        ["roster"],
        ["roster", "import"],
        ["attendance"],
        ["attendance", "import"],
        ["attendance", "show"],
        ["invite"],
        ["console"],
        ["demo"],
    ],
    ids=lambda c: " ".join(c) or "narvaro",
)
def test_every_command_has_help(run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert (result.returncode, result.stdout.startswith("Usage: narvaro")) == (0, True)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_help_lists_the_operator_commands(run) -> None:
    listed = run("--help").stdout
    commands = ("attendance", "console", "db", "demo", "invite", "roster", "school")
    assert [c for c in commands if c in listed] == [
        "attendance",
        "console",
        "db",
        "demo",
        "invite",
        "roster",
        "school",
    ]


def test_commands_refuse_an_out_of_date_schema(run) -> None:
    result = run("school", "apply", str(demo_file("se.toml")))
    assert_clean_failure(result, "Run `narvaro db upgrade`")
    assert run("db", "status").stdout.splitlines()[0] == "Database revision: none (empty database)"


def test_applying_and_importing_twice_changes_nothing_the_second_time(run, school: str) -> None:
    again = run("school", "apply", str(demo_file("se.toml")))
    roster_again = run("roster", "import", "--school", school, str(demo_file("se.csv")))
    assert again.stdout.startswith(f"School {school}: nothing changed")
    assert roster_again.stdout.startswith(f"Roster for {school}: nothing changed")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_broken_school_file_is_reported_by_line_and_nothing_is_stored(
    run, tmp_path: Path
) -> None:
    assert run("db", "upgrade").returncode == 0
    broken = tmp_path / "broken.toml"
    text = (
        demo_file("se.toml")
        .read_text(encoding="utf-8")
        .replace('roles = ["mentor"]', 'roles = ["mentr"]', 1)
    )
    broken.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "mentr" in row)
    result = run("school", "apply", str(broken))
    assert_clean_failure(result, f"{broken}:{line}:", "nothing was changed")
    assert run("roster", "import", "--school", SCHOOL_KEY, str(demo_file("se.csv"))).returncode


@pytest.mark.parametrize("backend", ["sqlite"])
def test_toml_syntax_errors_name_the_line(run, tmp_path: Path) -> None:
    assert run("db", "upgrade").returncode == 0
    broken = tmp_path / "syntax.toml"
    broken.write_text('key = "x"\nname = "X\ncountry = "SE"\n', encoding="utf-8")
    assert_clean_failure(run("school", "apply", str(broken)), f"{broken}:2:")


def test_roster_problems_are_reported_by_line(run, school: str, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "class,pupil_id,pupil_name,guardian_id,guardian_name,guardian_language\n"
        "7A,P1,Ada Ek,G1,Bo Ek,sv\n"
        "9Z,P2,Cid Ek,G1,Bo Ek,sv\n"
        "7A,P1,Ada Ekström,G2,Di Ek,sv\n",
        encoding="utf-8",
    )
    result = run("roster", "import", "--school", school, str(roster))
    assert_clean_failure(result, f"{roster}:3:", f"{roster}:4:", "nothing was changed")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_roster_in_the_wrong_encoding_is_reported_by_line(run, tmp_path: Path) -> None:
    assert run("db", "upgrade").returncode == 0
    assert run("school", "apply", str(demo_file("se.toml"))).returncode == 0
    roster = tmp_path / "latin1.csv"
    roster.write_bytes(
        "class,pupil_id,pupil_name,guardian_id,guardian_name,guardian_language\n"
        "7A,P1,Åsa Öberg,G1,Bo Öberg,sv\n".encode("latin-1")
    )
    result = run("roster", "import", "--school", SCHOOL_KEY, str(roster))
    assert_clean_failure(result, f"{roster}:2:", "UTF-8")


def test_invite_prints_a_code_and_a_deep_link(run, school: str) -> None:
    result = run(
        "invite",
        "--school",
        school,
        "--guardian-id",
        "G-SE-001",
        NARVARO_TELEGRAM_BOT_USERNAME="@narvaro_test_bot",
    )
    code = result.stdout.split(": ", 1)[1].splitlines()[0]
    assert result.returncode == 0
    assert f"https://t.me/narvaro_test_bot?start={code}" in result.stdout


def test_invite_for_an_unknown_guardian_fails_clearly(run, school: str) -> None:
    result = run("invite", "--school", school, "--guardian-id", "G-NOPE")
    assert_clean_failure(result, "no guardian with the id 'G-NOPE'")


def test_invite_all_writes_a_csv_line_per_guardian_not_yet_linked(run, school: str) -> None:
    linked = run("invite", "--school", school, "--guardian-id", "G-SE-001")
    code = linked.stdout.split(": ", 1)[1].splitlines()[0]
    run("console", "--as", "guardian", "--id", "G-SE-001", stdin="/quit\n")
    result = run(
        "invite", "--school", school, "--all", "--class", "7A",
        NARVARO_TELEGRAM_BOT_USERNAME="narvaro_test_bot",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["pupils"].split(" (")[-1] for r in rows} == {"7A)"}
    assert all(r["link"] == f"https://t.me/narvaro_test_bot?start={r['code']}" for r in rows)
    assert len({r["code"] for r in rows}) == len(rows)
    assert code not in result.stdout
    assert f"{len(rows)} invite(s) issued." in result.stderr
    everyone = run("invite", "--school", school, "--all")
    assert len(everyone.stdout.splitlines()) - 1 > len(rows)
    assert_clean_failure(run("invite", "--school", school, "--all", "--class", "9Z"), "no class")
    assert_clean_failure(run("invite", "--school", school), "--guardian-id or --all")


@pytest.mark.parametrize("command", [["school"], ["roster", "import"], ["attendance", "show"]])
def test_help_works_whatever_the_environment_holds(tmp_path: Path, command: list[str]) -> None:
    result = run_narvaro(*command, "--help", cwd=tmp_path, NARVARO_DATABASE_URL="bogus://x")
    assert (result.returncode, result.stdout.startswith("Usage: narvaro")) == (0, True)


def test_a_synchronous_database_url_is_mapped_to_its_async_driver(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    result = run_narvaro("db", "upgrade", cwd=tmp_path, NARVARO_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "using sqlite+aiosqlite:// instead" in result.stderr
    assert (tmp_path / "plain.db").exists()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_configuration_is_explained(run) -> None:
    result = run("db", "status", NARVARO_INVITE_TTL_HOURS="soon")
    assert_clean_failure(result, "NARVARO_INVITE_TTL_HOURS")


def test_a_report_in_the_console_reaches_the_mentor(run, school: str) -> None:
    # Alva Nilsson (7A) is Karin Nilsson's (G-SE-001) only child; S-SE-01 mentors 7A.
    guardian = run(
        "console",
        "--as",
        "guardian",
        "--id",
        "G-SE-001",
        stdin="1\n1\n1\n1\nHämtas kl 12\n1\n/quit\n",
    )
    assert "Tack! Skolan har fått din anmälan." in guardian.stdout, guardian.stdout
    mentor = run("console", "--as", "mentor", "--id", "S-SE-01", stdin="2\n")
    assert "• Alva Nilsson: Sjuk, hela dagen — meddelande: Hämtas kl 12" in mentor.stdout
    other = run("console", "--as", "mentor", "--id", "S-SE-02", stdin="2\n")
    assert "Alva Nilsson" not in other.stdout


def test_a_mentor_takes_the_roll_call_in_the_console_and_can_change_it(run, school: str) -> None:
    # S-SE-01 mentors 7A; Alva Nilsson is the first of the class. Absent: 1; late: none.
    taken = run("console", "--as", "mentor", "--id", "S-SE-01", stdin="1\n1\n\n/quit\n")
    assert "Uppropet för klass 7A är sparat: 1 elev frånvarande, 0 elever sena." in taken.stdout
    # Opened again, the form shows what was submitted.
    again = run("console", "--as", "mentor", "--id", "S-SE-01", stdin="1\n/quit\n")
    assert "[x] 1) Alva Nilsson" in again.stdout, again.stdout


def test_the_console_checks_who_you_say_you_are(run, school: str) -> None:
    result = run("console", "--as", "principal", "--id", "S-SE-01")
    assert_clean_failure(result, "does not have the role principal")


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("garbage", "NARVARO_DATABASE_URL: Value error, not a database URL"),
        ("mysql://db/x", "unsupported database driver 'mysql'"),
        (
            "postgresql+psycopg2cffi://db/x",
            "unsupported database driver 'postgresql+psycopg2cffi'",
        ),
        ("postgresql+asyncpg://postgres:s3cret@127.0.0.1:1/test", "cannot use the database at"),
        (
            "sqlite+aiosqlite:////nonexistent/dir/x.db",
            "/nonexistent/dir for the SQLite database does not exist",
        ),
    ],
)
def test_a_database_that_cannot_be_used_is_explained(
    database_url: str, expected: str, tmp_path: Path
) -> None:
    result = narvaro("db", "upgrade", database_url=database_url, cwd=tmp_path)
    assert_clean_failure(result, expected)
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize("backend", ["sqlite"])
def test_unknown_log_levels_are_refused(run) -> None:
    assert_clean_failure(run("db", "status", NARVARO_LOG_LEVEL="loud"), "NARVARO_LOG_LEVEL")


def test_access_ends_by_explicit_commands_that_the_files_point_to(
    run, school: str, tmp_path: Path
) -> None:
    text = demo_file("se.toml").read_text(encoding="utf-8")
    without_erik = text.replace(
        '[[staff]]\nid = "S-SE-02"\nname = "Erik Johansson"\nslack_user_id = "U0SE0002"\n'
        'roles = ["mentor"]\nclasses = ["7B"]\n',
        "",
    )
    assert without_erik != text
    (tmp_path / "school.toml").write_text(without_erik, encoding="utf-8")
    applied = run("school", "apply", str(tmp_path / "school.toml"))
    assert applied.returncode == 0, applied.stderr
    assert f"narvaro staff remove --school {school} --staff-id S-SE-02" in applied.stdout

    removed = run(
        "staff", "remove", "--school", school, "--staff-id", "S-SE-02", NARVARO_OPERATOR="kim"
    )
    assert removed.returncode == 0, removed.stderr
    assert "Staff S-SE-02: staff access ended." in removed.stdout
    audited = "staff access ended: operator=kim school=se-bjorkangen staff_id=S-SE-02 chats=0"
    assert audited in removed.stderr
    again = run("staff", "remove", "--school", school, "--staff-id", "S-SE-02")
    assert_clean_failure(again, "no staff member 'S-SE-02'")

    unlinked = run(
        "guardian", "unlink", "--school", school, "--guardian-id", "G-SE-001",
        "--pupil-id", "P-SE-001",
    )  # fmt: skip
    assert "Guardian G-SE-001: link to pupil ended." in unlinked.stdout
    left = run("pupil", "left", "--school", school, "--pupil-id", "P-SE-002")
    assert "Pupil P-SE-002: pupil marked as left." in left.stdout
