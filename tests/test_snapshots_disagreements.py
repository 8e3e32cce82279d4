"""Snapshots of the Disagreements queue (issue 14, item 3), without colour at 80x24 and
in both languages: the tab in brackets (short names at 80 columns), the view saying what
the keys do there, and both codings side by side in characters (``[x]``/``[ ]`` per
question, the role per coder, the response's tags, ``≠`` where the coders differ).
Update with ``--snapshot-update`` (and look at the diff)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from helpers.app import SMALL, app_on_file, settle
from helpers.data import fill_store, sample_responses

from reactieveld.store.base import QueueFilter
from reactieveld.tui.queues import DISAGREE

pytestmark = pytest.mark.usefixtures("tui_env")


def build(path: Path) -> Path:
    from reactieveld.store.sqlite import SqliteStore

    async def run() -> None:
        store = await SqliteStore.open(path, double_share=1.0)
        try:
            responses, threads = sample_responses()
            await fill_store(store, "blog", responses, threads)
            top = await store.queue(QueueFilter(), limit=1)
            rid = top[0].response.id
            # Marieke coded it first (1, 3, a resident); Joost second (1, 2, no role).
            for q in ("1", "3"):
                await store.toggle_question([rid], q, actor="Marieke")
            await store.set_role([rid], "burger", actor="Marieke")
            for q in ("1", "2"):
                await store.toggle_question([rid], q, actor="Joost")
            await store.finish_coding([rid], actor="Joost")
        finally:
            await store.close()

    asyncio.run(run())
    return path


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_disagreements_at_80x24(snap_compare, tmp_path, no_color, language):
    path = build(tmp_path / "m.db")
    app = app_on_file(path, language, double_share=1.0)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.screen.queue.loaded.wait()
        await settle(pilot.app, pilot)
        await pilot.app.screen.show_queue(DISAGREE)
        await settle(pilot.app, pilot)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)
