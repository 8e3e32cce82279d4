"""Waiting for processes the tests did not start themselves (no polling, no sleeps)."""

from __future__ import annotations

import os
import select


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def ended(pid: int, timeout: float = 30) -> bool:
    """Whether process ``pid`` ends within ``timeout`` seconds, waiting on a pidfd."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)
