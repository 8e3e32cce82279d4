"""A thread screen on a bare host app, and generated threads to open in it (the thread
tests: placing the opened response, following live changes)."""

from __future__ import annotations

import random
from datetime import UTC, timedelta

from textual.app import App

from helpers.data import NOW
from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.i18n import I18n
from reactieveld.model import RemoteStatus, Response
from reactieveld.store.base import QueueRow
from reactieveld.tui.screens.thread import ThreadPart, ThreadScreen


class OpenedHost(App[None]):
    """The thread screen alone over ``rows``, opened from ``rows[opened]``."""

    def __init__(self, rows: list[QueueRow], opened: int) -> None:
        super().__init__()
        self.clock = lambda: NOW
        self.rows = rows
        self.opened = opened

    async def on_mount(self) -> None:
        part = ThreadPart(self.rows, len(self.rows))
        screen = ThreadScreen(
            None,
            self.rows[self.opened],
            i18n=I18n("nl"),
            codebook=DEFAULT_CODEBOOK,
            tz=UTC,
            part=part,
        )
        await self.push_screen(screen)


def thread(size: int, seed: int) -> list[QueueRow]:
    """A thread of ``size`` responses, oldest first, each a reply to an earlier one or
    to the post (chains, wide branches, as ``seed`` draws them)."""
    rng = random.Random(seed)
    rows = []
    for i in range(size):
        parent = rng.choice([None, i - 1, rng.randrange(i)]) if i else None
        r = Response(
            source="blog",
            external_id=f"c{i}",
            thread_external_id="t",
            parent_external_id=f"c{parent}" if parent is not None else None,
            author_name=f"Auteur {i}",
            body_text="Een reactie.",
            created_at=NOW - timedelta(minutes=size - i),
            remote_status=RemoteStatus.APPROVED,
            id=i + 1,
        )
        rows.append(QueueRow(r, "Centrumplan", (), None))
    return rows
