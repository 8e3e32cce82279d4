"""Snapshots of a row another moderator has open ("bezig: Naam"), without colour at 80x24
and in both languages: the pencil in the mark column, the name in the row, the claim in
words in the response view. Update with ``--snapshot-update`` (and look at the diff)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.app import SMALL, app_on_file, settle
from helpers.data import fill_store, sample_responses

from reactieveld.store.base import QueueFilter

pytestmark = pytest.mark.usefixtures("tui_env")

#: The claims' clock: far ahead of the wall clock, so the lease is live whenever the
#: test runs, and its end shows the same time in every snapshot ("tot 12:05").
LATER = datetime(2099, 1, 1, 12, 0, tzinfo=UTC)


def build(path: Path) -> Path:
    from reactieveld.store.sqlite import SqliteStore

    async def run() -> None:
        store = await SqliteStore.open(path)
        try:
            responses, threads = sample_responses()
            await fill_store(store, "blog", responses, threads)
            top = await store.queue(QueueFilter(), limit=3)
            store.clock = lambda: LATER
            await store.claim(top[0].response.id, actor="Marieke", minutes=5)
            await store.claim(top[2].response.id, actor="Joost van den Berg", minutes=5)
        finally:
            await store.close()

    asyncio.run(run())
    return path


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_claimed_rows_at_80x24(snap_compare, tmp_path, no_color, language):
    path = build(tmp_path / "m.db")
    app = app_on_file(path, language)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.screen.queue.loaded.wait()
        await settle(pilot.app, pilot)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)
