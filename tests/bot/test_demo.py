"""`narvaro demo`, played through as a new user would: in Swedish, Norwegian and Danish."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.bot.process import run_narvaro

# Persona numbers in the demo's menu, and what the chat says in that language.
COUNTRIES = {
    "sv": (1, 2, "Tack! Skolan har fått din anmälan.", "Sjuk, hela dagen"),
    "nb": (5, 6, "Takk! Skolen har mottatt fraværsmeldingen din.", "Syk, hele dagen"),
    "da": (9, 10, "Tak! Skolen har modtaget din fraværsmelding.", "Syg, hele dagen"),
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
