"""Threads a test leaves running: an aiosqlite connection's thread (not a daemon) runs
until its store is closed, and keeps a process (a pytest-xdist worker, a real
``reactieveld``) from ending."""

from __future__ import annotations

import threading
import time


def threads_left(before: set[threading.Thread], wait: float = 2.0) -> list[str]:
    """The names of the non-daemon threads started since ``before`` (a
    ``set(threading.enumerate())``) that still run after at most ``wait`` seconds in all:
    a closed store's thread ends a moment after ``close()`` returns, so each is joined
    first, within the bound."""
    new = [t for t in threading.enumerate() if t not in before and not t.daemon]
    deadline = time.monotonic() + wait
    for thread in new:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sorted(t.name for t in new if t.is_alive())
