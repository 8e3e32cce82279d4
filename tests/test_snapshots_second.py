"""Snapshots of the Second coding queue (issue 14), without colour at 80x24 and in both
languages: the tab in brackets (short names at 80 columns), the row and the tag bar with
the moderator's own coding only, the view saying it is blind, and no journal line of the
first coder's tags. Update with ``--snapshot-update`` (and look
at the diff)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from helpers.app import SMALL, app_on_file, settle
from helpers.data import fill_store, sample_responses

from reactieveld.store.base import QueueFilter
from reactieveld.tui.queues import SECOND

pytestmark = pytest.mark.usefixtures("tui_env")


def build(path: Path) -> Path:
    from reactieveld.store.sqlite import SqliteStore

    async def run() -> None:
        store = await SqliteStore.open(path, double_share=1.0)
        try:
            responses, threads = sample_responses()
            await fill_store(store, "blog", responses, threads)
            top = await store.queue(QueueFilter(), limit=3)
            # Marieke coded two first; the tester has begun the second of them.
            for row in top[:2]:
                await store.toggle_question([row.response.id], "1", actor="Marieke")
                await store.set_role([row.response.id], "burger", actor="Marieke")
            await store.toggle_question([top[1].response.id], "4", actor="tester")
        finally:
            await store.close()

    asyncio.run(run())
    return path


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_second_coding_at_80x24(snap_compare, tmp_path, no_color, language):
    path = build(tmp_path / "m.db")
    app = app_on_file(path, language, double_share=1.0)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.screen.queue.loaded.wait()
        await settle(pilot.app, pilot)
        await pilot.app.screen.show_queue(SECOND)
        await settle(pilot.app, pilot)
        await pilot.press("j")  # the one the tester has begun
        await settle(pilot.app, pilot)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)
