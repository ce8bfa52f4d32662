"""`narvaro demo`, played through as a new user would: in Swedish, Norwegian and Danish."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from bot.demo_history import HISTORIES
from tests.bot.process import run_narvaro

# Persona numbers in the demo's menu, and what the chat says in that language.
COUNTRIES = {
    "sv": (1, 2, "Tack! Skolan har fått din anmälan.", "Sjuk, hela dagen"),
    "nb": (6, 7, "Takk! Skolen har mottatt fraværsmeldingen din.", "Syk, hele dagen"),
    "da": (11, 12, "Tak! Skolen har modtaget din fraværsmelding.", "Syg, hele dagen"),
}


def play(cwd: Path, keys: str, *options: str) -> subprocess.CompletedProcess[str]:
    return run_narvaro("demo", *options, cwd=cwd, stdin=keys)


@pytest.mark.parametrize("language", COUNTRIES)
def test_a_guardian_s_report_reaches_the_child_s_mentor(language: str, tmp_path: Path) -> None:
    guardian, mentor, receipt, seen_by_mentor = COUNTRIES[language]
    # Report for the first child: ill, today, the whole day, no note; send; then the mentor
    # looks at today's reported absences (the second choice, after the roll call).
    keys = f"{guardian}\n1\n1\n1\n1\n1\n1\n1\n/switch\n{mentor}\n2\n/quit\n"
    result = play(tmp_path, keys)
    assert (result.returncode, result.stderr) == (0, "")
    assert receipt in result.stdout
    now_playing = result.stdout.split("You are now: ", 1)[1].splitlines()[0]
    child = now_playing.split("(", 2)[2].split(",", 1)[0]
    assert f"• {child}: {seen_by_mentor}" in result.stdout
    assert (tmp_path / "narvaro-demo.db").exists()


def test_the_demo_keeps_its_data_unless_asked_to_start_afresh(tmp_path: Path) -> None:
    play(tmp_path, "1\n1\n1\n1\n1\n1\n1\n1\n/switch\n/quit\n")
    kept = play(tmp_path, "2\n2\n/quit\n")
    fresh = play(tmp_path, "2\n2\n/quit\n", "--fresh")
    assert "Sjuk, hela dagen" in kept.stdout
    assert "Sjuk, hela dagen" not in fresh.stdout


def test_the_demo_ends_quietly_when_input_ends(tmp_path: Path) -> None:
    result = play(tmp_path, "1\nhej\n")
    assert (result.returncode, result.stderr) == (0, "")


# Per language: the mentor persona, the seeded pupil's number in the mentor's class, the school,
# and what the mentor is told when their concern reaches the pupil's open case.
CASES = {
    "sv": (
        2,
        4,
        "Björkängsskolan: Hugo Persson, stage se.step2",
        "Sparat. Hugo Persson har redan ett öppet ärende; din oro har lagts till i det.",
    ),
    "nb": (
        7,
        3,
        "Furulund ungdomsskole: Filip Larsen, stage no.concern",
        "Lagret. Filip Larsen har allerede en åpen sak; bekymringen din er lagt til i den.",
    ),
    "da": (
        12,
        7,
        "Egebjerg Skole: Magnus Jørgensen, stage dk.detection",
        "Gemt. Magnus Jørgensen har allerede en åben sag; din bekymring er tilføjet til den.",
    ),
}


@pytest.mark.parametrize("language", CASES)
def test_each_school_has_an_open_case_from_its_history_to_walk_through(
    language: str, tmp_path: Path
) -> None:
    mentor, pupil, listed, told = CASES[language]
    # The mentor is worried about the pupil (6), sees the first thing (1), adds no note (1)
    # and saves (1): the case the nightly evaluation opened over the history is there.
    result = play(tmp_path, f"{mentor}\n6\n{pupil}\n1\n1\n1\n/quit\n")
    assert (result.returncode, result.stderr) == (0, "")
    intro = result.stdout.split("who are you?", 1)[0]
    assert f"  {listed}, opened " in intro
    assert told in result.stdout
    # Started again, the history is not imported twice, and no case is added.
    again = play(tmp_path, "/quit\n")
    assert again.stdout.count(", stage ") == 3
    with closing(sqlite3.connect(tmp_path / "narvaro-demo.db")) as database:
        [(marks,)] = database.execute(
            "SELECT count(*) FROM attendance_marks WHERE source = ?", ("import",)
        )
    assert marks == sum(len(history.absences) for history in HISTORIES.values())


def test_each_school_offers_its_pupil_health_persona(tmp_path: Path) -> None:
    result = play(tmp_path, "/quit\n")
    people = [line for line in result.stdout.splitlines() if ": pupil health " in line]
    assert [line.split(")", 1)[0].strip() for line in people] == ["5", "10", "15"]


@pytest.mark.parametrize(
    ("setting", "value"),
    [("NARVARO_FIXED_TIME", "tomorrow"), ("NARVARO_FIXED_TIME", "2026-12-07T08:30:00")],
)
def test_a_bad_setting_is_explained_not_a_traceback(
    setting: str, value: str, tmp_path: Path
) -> None:
    result = run_narvaro("demo", cwd=tmp_path, stdin="/quit\n", **{setting: value})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith(f"Error: invalid configuration: {setting}: ")
    assert not (tmp_path / "narvaro-demo.db").exists()


def test_the_danish_principal_approves_the_notice_the_service_queued_for_them(
    tmp_path: Path,
) -> None:
    # The principal (14): after the menu's nine choices comes the 10 % notice from the history's
    # case, its button numbered on; pressing it approves, and the card shows its new version.
    result = play(tmp_path, "14\n10\n/quit\n")
    assert (result.returncode, result.stderr) == (0, "")
    chat = result.stdout.split("You are now: ", 1)[1]
    assert "narvaro › ✉ Besked fra narvaro:" in chat
    assert "          Magnus Jørgensen (7.b) har haft ulovligt fravær på 3 af 27" in chat
    assert "   10) Godkend og send" in chat
    # Demo guardians have a made-up Telegram chat: the notice is queued to Magnus's guardian.
    assert "narvaro › Godkendt. Orienteringen sendes i chatten til 1 forælder." in chat
    approved = chat.split("narvaro › ✉ Opdateret besked fra narvaro:", 1)[1]
    assert "Godkendt af Henrik Vestergaard mandag den 23. november 2026." in approved
    # Shown, not sent: without a channel, nothing in the outbox was sent.
    with closing(sqlite3.connect(tmp_path / "narvaro-demo.db")) as database:
        statuses = {status for (status,) in database.execute("SELECT status FROM outbox")}
        to_families = database.execute(
            "SELECT count(*) FROM outbox WHERE platform = 'telegram' AND recipient LIKE 'demo-%'"
        ).fetchone()
    assert "sent" not in statuses
    assert to_families[0] >= 1


def test_the_coordinator_does_not_see_the_principal_s_notice(tmp_path: Path) -> None:
    result = play(tmp_path, "13\n/inbox\n/quit\n")
    chat = result.stdout.split("You are now: ", 1)[1]
    assert "narvaro › ✉ Besked fra narvaro:" in chat
    assert "Godkend og send" not in chat
