"""What applying any of the operator's files shares: counting each change in the summary,
writing what changed in batches, and refusing with every problem at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from routine.setup import ChangeSummary, InvalidInput, Problem, Progress

T = TypeVar("T")

# Rows handed to a repository's `save_many` at a time: progress is told after each.
WRITE_BATCH = 2000


def record_change(
    summary: ChangeSummary, label: str, stored: object | None, wanted: object
) -> bool:
    """Count the change in the summary; True when `wanted` must be saved."""
    if stored is None:
        summary.created.append(label)
        return True
    if stored != wanted:
        summary.updated.append(label)
        return True
    summary.unchanged += 1
    return False


async def write_in_batches(
    save_many: Callable[[Sequence[T]], Awaitable[None]],
    items: Sequence[T],
    what: str,
    progress: Progress,
) -> None:
    """Hand the items to the repository a batch at a time, telling progress after each."""
    for start in range(0, len(items), WRITE_BATCH):
        batch = items[start : start + WRITE_BATCH]
        await save_many(batch)
        progress(what, start + len(batch), len(items))


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems)
