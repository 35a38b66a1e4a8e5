"""A document's budget of CPU time, checked cooperatively.

Every rule is linear in the text it reads, so a document costs in proportion to its size;
the budget is a backstop for what no rule foresaw. The caller of the extractors sets a
budget of CPU seconds for the current thread (`cpu_budget`); the extractors call `check()`
between sentences and quotes, which raises `OverBudget` once the thread has used more CPU
than it was given. CPU time of the thread (`time.thread_time()`), not the clock: a busy
machine never makes a document over budget, and it works alike in the main thread, in
worker processes and in Dask's worker threads. No signal, so nothing can fire inside a
callback."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

_state = threading.local()


class OverBudget(BaseException):
    """The extraction used more CPU time than its budget. A BaseException, so that no
    `except Exception` inside the transforms swallows it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over its budget of {seconds:.1f} CPU seconds")
        self.seconds = seconds


@contextmanager
def cpu_budget(seconds: float | None):
    """Within the block, check() raises OverBudget once this thread has spent `seconds` of
    CPU time in it (None: no limit). Blocks nest; the inner budget holds inside."""
    previous = getattr(_state, "limit", None)
    _state.limit = None if seconds is None else (time.thread_time() + seconds, seconds)
    try:
        yield
    finally:
        _state.limit = previous


def check() -> None:
    limit = getattr(_state, "limit", None)
    if limit is not None and time.thread_time() > limit[0]:
        raise OverBudget(limit[1])
