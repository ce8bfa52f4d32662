"""Python's cyclic garbage collector paused while a job builds and drops a great many objects.

A job that decides in memory over a whole school or a group of schools builds hundreds of
thousands of small objects (rows, pupils, messages, hits) that die by reference counting.
Allocating them sets off the collector again and again, and every full collection walks
every object the process holds: measured, a third of the morning's CPU (`scheduler.morning`),
0.6 s of Norway's 1.5 s night (`evaluate-thresholds`, bench/nightly.py), almost half of a big
roster's import (`bot.setup_commands`). None of them makes cycles worth collecting meanwhile.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_pauses = 0
_collecting = True


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The collector off while any pause is running (pauses nest, and run at once in one
    process's tasks); whatever cyclic garbage is made meanwhile, by any task, is collected
    once the last is done. A collector someone else turned off stays off."""
    global _pauses, _collecting
    if _pauses == 0:
        _collecting = gc.isenabled()
        gc.disable()
    _pauses += 1
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0 and _collecting:
            gc.enable()
