"""The app runs the sync engine and the outbox as workers: on the demo source alone,
responses arrive live, a decision is written back through the demo platform, and the
header line shows the source state. Also: untrusted text made safe (reactieveld/text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import until

from reactieveld.config import SourceConfig
from reactieveld.model import CAPABILITY_FOR_STATUS, OutboxState, RemoteStatus
from reactieveld.outbox import OutboxWorker
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, build_connector
from reactieveld.text import MAX_WORD, clean, one_line

pytestmark = pytest.mark.usefixtures("tui_env")


async def test_demo_source_syncs_live_and_decisions_are_written_back(tmp_path: Path, make_app):
    store = await SqliteStore.open(tmp_path / "demo.db")
    cfg = SourceConfig("demo", "demo", 0.0, {"count": 60, "seed": 1})
    engine = SyncEngine(store, [(cfg, build_connector(cfg))])
    outbox = OutboxWorker(store, engine.connectors, poll_seconds=60)
    app = make_app(store, engine=engine, outbox=outbox, language="en")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            await screen.queue.loaded.wait()

            async def all_there() -> bool:
                return screen.queue.total == 60 and screen.queue.current is not None

            await until(pilot, all_there, "the demo rows to arrive in the queue")
            header = screen.query_one("#status-line")

            async def source_ok() -> bool:
                return "demo ok" in header.render_content().plain

            await until(pilot, source_ok, "the header to show the source as ok")
            row = screen.queue.current
            await pilot.press("s")

            async def written_back() -> bool:
                items = await store.outbox_items()
                return bool(items) and items[0].state is OutboxState.DONE

            await until(pilot, written_back, "the outbox to apply the decision")
            applied = engine.connectors["demo"].applied
            assert [(a.capability.value, a.external_id) for a in applied] == [
                ("spam", row.response.external_id)
            ]
            assert (await store.get(row.response.id)).response.remote_status is RemoteStatus.SPAM
            # Undo on the platform too: the reverse action goes through the outbox.
            await pilot.press("z")

            async def reversed_() -> bool:
                return len(engine.connectors["demo"].applied) == 2

            await until(pilot, reversed_, "the undo to reach the platform")
            reverse = engine.connectors["demo"].applied[1]
            assert reverse.capability is CAPABILITY_FOR_STATUS[row.response.remote_status]
            assert reverse.external_id == row.response.external_id
    finally:
        await engine.aclose()
        await store.close()


def test_clean_removes_escapes_controls_and_bidi():
    text = "a\x1b[31mb\x1b[0m c\x1b]8;;http://x\x07d\x1b]8;;\x07 \x00\x07\x85 \u202eR\u2066I\u2069"
    out = clean(text)
    assert "\x1b" not in out and "\x07" not in out and "\x85" not in out
    assert "\u202e" not in out and "\u2066" not in out
    assert out.startswith("ab cd ")
    assert out.count("\N{REPLACEMENT CHARACTER}") == 3


def test_clean_keeps_markup_literally_and_cuts_long_words():
    assert clean("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"
    long = clean("W" * 20_000)
    assert len(long) == MAX_WORD + 1 and long.endswith("\N{HORIZONTAL ELLIPSIS}")
    assert one_line("  a\n\tb  ") == "a b"
    assert one_line("   \n ") == ""
    assert len(clean("x" * 100 + "\u0301" * 50)) == 102
