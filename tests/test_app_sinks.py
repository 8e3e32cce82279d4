"""The memory sinks beside the app are woken by each moderator action: a tag reaches the
sink at once, not at the next poll (set to an hour here, so only the wake can deliver)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC
from types import SimpleNamespace
from typing import Any

from reportdata import build

from reactieveld.config import SinkConfig
from reactieveld.model import RemoteStatus
from reactieveld.sinks import SinkWorker, run_sinks_beside_app
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.app import ReactieveldApp
from reactieveld.tui.screens.triage import TriageScreen


async def test_a_tag_in_the_app_wakes_the_sinks(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    sink_store = await SqliteStore.open(tmp_path / "m.db")
    path = tmp_path / "sink.jsonl"
    cfg = SimpleNamespace(sinks=(SinkConfig("jsonl", {"path": path}),))
    delivered: list[dict[str, Any]] = []
    arrived = asyncio.Event()
    app = ReactieveldApp(store, language="en", tz=UTC, actor="tester")

    def started(worker: SinkWorker) -> None:
        worker.poll_seconds = 3600.0
        [sink] = worker.sinks
        deliver = sink.deliver

        async def recorded(body: bytes, envelope: Any) -> None:
            await deliver(body, envelope)
            delivered.append(json.loads(body))
            arrived.set()

        sink.deliver = recorded  # type: ignore[method-assign]
        app.attach_sinks(worker)

    async def until(n: int) -> None:
        while len(delivered) < n:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), timeout=10)

    stop = asyncio.Event()
    task = asyncio.create_task(run_sinks_beside_app(cfg, sink_store, stop, print, started))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TriageScreen)
            await screen.queue.loaded.wait()
            await until(4)  # the first pass: the four tagged responses in the public record
            assert app.sinks is not None
            # A response in the public record (a trashed one is in no sink, tagged or not).
            for _ in range(9):
                row = screen.queue.current
                if row is not None and row.response.remote_status == RemoteStatus.APPROVED:
                    break
                await pilot.press("down")
                await pilot.pause()
            assert row is not None and "3" not in row.questions
            await pilot.press("3")
            await until(5)
            last = delivered[-1]
            assert last["cause"] == "tag" and last["response"]["id"] == row.response.id
            assert [q["code"] for q in last["response"]["questions"]][-1] == "3"
            assert len(path.read_text(encoding="utf-8").splitlines()) == 5
    finally:
        stop.set()
        await task
        await sink_store.close()
        await store.close()
