"""Running the installed `narvaro` command as a separate process, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NARVARO = str(Path(sys.executable).parent / "narvaro")
# Monday 23 November 2026, 08:30 in Stockholm: a school day, after the 08:00 cut-off. Tests that
# chat through a real process must not depend on the day they happen to run.
MONDAY_MORNING = "2026-11-23T08:30:00+01:00"


def run_narvaro(
    *args: str, cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Only the NARVARO_ variables given here reach the process, so the developer's own
    configuration cannot leak into a test; the clock stands at MONDAY_MORNING unless given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NARVARO_")}
    environment["NARVARO_FIXED_TIME"] = MONDAY_MORNING
    return subprocess.run(
        [NARVARO, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment | env,
        timeout=120,
        check=False,
    )
