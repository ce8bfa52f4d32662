"""The Telegram channel, for guardians: python-telegram-bot (v22) in, the dialog engine's
neutral events out, and a sender for the outbox.

The modules convert and transport; every decision is the dialog engine's.
"""

import os

# python-telegram-bot 22 is moving time periods (such as `RetryAfter.retry_after`) from seconds
# to `timedelta`, and warns at every read until a program opts in, even inside the library when
# it raises RetryAfter. We opt in: the code here reads them as `timedelta` either way.
os.environ.setdefault("PTB_TIMEDELTA", "true")
