"""Running the installed `narvaro` command as a separate process, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NARVARO = str(Path(sys.executable).parent / "narvaro")


def run_narvaro(
    *args: str, cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Only the NARVARO_ variables given here reach the process, so the developer's own
    configuration cannot leak into a test."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NARVARO_")}
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
