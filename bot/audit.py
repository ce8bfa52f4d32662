"""The operator's audit trail: one `narvaro.audit` line per command that reads a person's data
or changes who may reach what, naming who ran it and with which ids (never names or handles).

Who ran it: `narvaro --operator NAME …`, or NARVARO_OPERATOR, or else the login of the user
running the command. It is what a shell on the server says of itself, not a proof: each
operator should have their own login (or set their own name) for the trail to mean anything.
Where the audit is also kept in the database (a case's `viewed` event, by `cases log` and by
`privacy export`), the same name is, as `operator:NAME`.
"""

from __future__ import annotations

import getpass
import logging
import os
from typing import Any

import click

log = logging.getLogger("narvaro.audit")

ENVIRONMENT = "NARVARO_OPERATOR"
# Where `narvaro --operator` leaves the name for the command that runs.
META = "narvaro.operator"
MAX_LENGTH = 64
UNKNOWN = "unknown"
# A case's log names an operator as `operator:NAME`.
OPERATOR = "operator"


def operator() -> str:
    """Who runs this command: --operator, NARVARO_OPERATOR, the OS login, or "unknown"."""
    context = click.get_current_context(silent=True)
    given = context.find_root().meta.get(META) if context is not None else None
    for name in (given, os.environ.get(ENVIRONMENT), _login()):
        if cleaned := clean(name):
            return cleaned
    return UNKNOWN


def actor() -> str:
    """Who runs this command as a case's log names them: `operator:NAME`."""
    return f"{OPERATOR}:{operator()}"


def clean(name: str | None) -> str:
    """One printable word: a name with a newline or spaces could forge or blur a line."""
    if not name:
        return ""
    return "".join(c for c in name if c.isprintable() and not c.isspace())[:MAX_LENGTH]


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        # No LOGNAME/USER and no password entry for the uid (a container's user, say).
        return None


def record(what: str, **ids: object) -> None:
    """One audit line: what, who ran it, then the ids and counts given (None left out)."""
    fields = "".join(f" {key}={value}" for key, value in ids.items() if value is not None)
    log.warning("%s: operator=%s%s", what, operator(), fields)


def changes(summary: Any) -> dict[str, int]:
    """A school file's or a roster's change summary, as counts only."""
    return {
        "created": len(summary.created),
        "updated": len(summary.updated),
        "unchanged": summary.unchanged,
        "not_listed": len(summary.not_listed),
    }
