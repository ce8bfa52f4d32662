"""How the `narvaro` command logs: our own loggers at NARVARO_LOG_LEVEL, everyone else's at
WARNING, one line per problem unless debugging, and no secret in any record.

Kept apart from `cli.py` because it is about privacy and secrets, not commands.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable


class BriefFormatter(logging.Formatter):
    """One line per problem. The console shares the terminal with a person chatting, who must
    never see a stack trace; an operator who wants them sets NARVARO_LOG_LEVEL=DEBUG."""

    def formatException(self, ei) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        return text.rstrip()


# Our own loggers, which say nothing personal at any level (ids, kinds and counts only); they
# log at NARVARO_LOG_LEVEL.
OWN_LOGGERS = ("bot", "dialogs", "routine", "scheduler", "storage")
# Everyone else's loggers stay at WARNING whatever the level: at INFO and DEBUG the HTTP
# clients show URLs with the bot token, PTB and bolt show updates and request bodies (what
# people wrote), and aiosqlite every statement with its parameters.
THIRD_PARTY_LEVEL = logging.WARNING


class WithoutSecrets(logging.Filter):
    """The last line of defence: a secret that still reaches a record (in an error's text, say)
    is replaced before the record is written."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so that a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[secret]")
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            if any(secret in text for secret in self._secrets):
                # The traceback would carry the secret in its last line: only the type is kept.
                record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__})"
                record.exc_info = None
                record.exc_text = None
        return True


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    if level != "DEBUG":
        handler.setFormatter(BriefFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(WithoutSecrets(secrets))
    logging.basicConfig(
        level=max(logging.getLevelName(level), THIRD_PARTY_LEVEL), handlers=[handler]
    )
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
