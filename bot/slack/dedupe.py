"""Slack delivers an event again when it thinks we missed it (`X-Slack-Retry-Num`): each
`event_id` is handled once. Remembered in memory, which covers Slack's retries to one process
(they come within minutes); several processes behind one URL would need a shared store."""

from __future__ import annotations

from collections import OrderedDict

REMEMBERED = 10_000


class SeenEvents:
    def __init__(self, size: int = REMEMBERED) -> None:
        self._size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time an id comes, False every later time."""
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True
