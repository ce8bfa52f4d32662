"""`narvaro attendance corrections`: a correction made in the console, then the audit trail as
an operator lists it. The clock stands at Monday 23 November 2026, 08:30 (tests/bot/process.py).
"""

from __future__ import annotations

from tests.bot.test_cli import assert_clean_failure, run, school  # noqa: F401 (fixtures)

# The staff menu: roll call, today's absences, contact requests, my cases, corrections, language.
CORRECT = "5"


def test_a_correction_in_the_console_is_listed_in_the_audit_trail(run, school: str) -> None:  # noqa: F811
    # S-SE-01 mentors 7A; Alva Nilsson is the first of the class. Absent is the second state;
    # no absence code (Enter); then the reason.
    made = run(
        "console",
        "--as",
        "mentor",
        "--id",
        "S-SE-01",
        stdin=f"{CORRECT}\n1\n20/11\n2\n\nSjukdom bekräftad av vårdnadshavaren\n/quit\n",
    )
    assert "Rättat: Alva Nilsson, fredag 20 november 2026: " in made.stdout, made.stdout
    # Another mentor's try at a day too far back is refused: nothing is stored.
    refused = run(
        "console",
        "--as",
        "mentor",
        "--id",
        "S-SE-02",
        stdin=f"{CORRECT}\n1\n2026-11-06\n1\n\nFel\n/quit\n",
    )
    assert "Som mentor kan du rätta upp till 10 skoldagar bakåt." in refused.stdout

    listed = run("attendance", "corrections", "--school", school)

    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    assert line.startswith("2026-11-23 08:30  by S-SE-01 (")
    assert "P-SE-001 (Alva Nilsson)  day 2026-11-20: unknown → absent (unexplained)" in line
    assert line.endswith("why: 'Sjukdom bekräftad av vårdnadshavaren'")


def test_the_trail_can_be_narrowed_to_a_pupil_and_days(run, school: str) -> None:  # noqa: F811
    run(
        "console",
        "--as",
        "principal",
        "--id",
        "S-SE-04",
        stdin=f"{CORRECT}\n1\n1\n2026-11-20\n1\n\nPå studiebesök\n/quit\n",
    )
    every = run("attendance", "corrections", "--school", school, "--from", "2026-11-20")
    assert len(every.stdout.splitlines()) == 1, every.stdout + every.stderr
    other_pupil = run("attendance", "corrections", "--school", school, "--pupil", "P-SE-999")
    assert other_pupil.stdout == "No corrections.\n"
    later = run("attendance", "corrections", "--school", school, "--from", "2026-11-23")
    assert later.stdout == "No corrections.\n"


def test_the_trail_explains_bad_input(run, school: str) -> None:  # noqa: F811
    assert_clean_failure(
        run("attendance", "corrections", "--school", "se-nope"), "no school with the key"
    )
    assert_clean_failure(
        run(
            "attendance",
            "corrections",
            "--school",
            school,
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-19",
        ),
        "is before --from",
    )
    assert_clean_failure(
        run("attendance", "corrections", "--school", school, "--from", "20/11"), "--from"
    )
