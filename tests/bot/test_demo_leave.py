"""`narvaro demo`: a guardian asks for leave, the principal grants it in the console."""

from __future__ import annotations

from pathlib import Path

from tests.bot.process import run_narvaro


def test_a_guardian_asks_for_leave_and_the_principal_grants_it(tmp_path: Path) -> None:
    # Sofia (1) asks for leave (3) for her first child (1), Tuesday (2) to Friday (4), with a
    # reason, and sends it (1); the principal (4) opens the leave requests (5), grants (1)
    # with a comment; nothing is left to decide; Sofia sees the answer when she asks again.
    keys = (
        "1\n3\n1\n2\n4\nBröllop i Kiruna\n1\n/switch\n"
        "4\n5\n1\nHa det så trevligt!\n/switch\n4\n5\n/switch\n1\n3\n/quit\n"
    )
    result = run_narvaro("demo", cwd=tmp_path, stdin=keys)
    assert (result.returncode, result.stderr) == (0, "")
    out = result.stdout
    assert "Tack. Skolan har tagit emot din ansökan. Rektor beslutar, och du får besked." in out
    assert "• Liam Gustafsson: tisdag 24 november 2026 till fredag 27 november 2026" in out
    assert "Ledigheten är beviljad. Vårdnadshavaren och mentorerna får besked." in out
    assert out.count("Inga ansökningar om ledighet väntar på beslut.") == 1
    assert "• Ledighet beviljad för Liam Gustafsson: tisdag 24 november 2026 till fredag" in out
