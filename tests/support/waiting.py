"""Waiting in tests: on a condition, with a deadline, never for a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_SECONDS = 0.01


def wait_for(condition: Callable[[], object], timeout: float = 10.0, interval: float = POLL_SECONDS) -> bool:
    """True as soon as `condition()` holds, False if it still does not after `timeout` seconds.

    Polling is the wait here: the things tests wait on (a thread's queue, a file another process writes, a sound
    server's streams) have no event to block on from the outside.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return bool(condition())
        time.sleep(interval)
    return True
