"""SQL helpers for reports, figures and sinks.

The store's public API answers the TUI's questions (a queue window, one response); the
dashboard and the reports need aggregates (counts per day, medians, a coverage matrix)
that would cost a full scan in Python. They run as SQL through the store's public read
hook, :meth:`~reactieveld.store.sqlite.SqliteStore.read` (the store's own connection and
thread, read-only), so they see the same data as its queries and never block the writer
(WAL). The sinks' own tables are written through
:meth:`~reactieveld.store.sqlite.SqliteStore.transaction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def placeholders(values: Sequence[Any]) -> str:
    """``(?,?,?)`` for an IN clause."""
    return "(" + ",".join("?" * len(values)) + ")"
