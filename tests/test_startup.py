"""The start (issue 11, the first frame): the first rows come first, what can wait waits
for them, and nothing of that is left half done (the collector on again, the sync engine
running, the triage screen the one the app opens on)."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from test_tui import SIZE, ready

from reactieveld.config import SourceConfig
from reactieveld.sync import SyncEngine, build_connector
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env")
README = Path(__file__).resolve().parents[1] / "README.md"


async def test_the_collector_is_on_again_once_the_first_rows_show(tui_store, make_app):
    # cmd_app turns the collector off for the start; the app turns it on again after the
    # first frame with rows (and freezes what the start made).
    app = make_app(tui_store)
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await app.rows_shown.wait()
            assert gc.isenabled()
            assert screen.queue.rows  # it was a frame with rows
    finally:
        gc.enable()


async def test_the_triage_screen_is_the_first_and_only_screen(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert [type(s) for s in app.screen_stack] == [TriageScreen]


async def test_the_sync_engine_starts_after_the_first_rows(tui_store, make_app):
    cfg = SourceConfig("demo", "demo", 0.0, {"count": 5, "seed": 1})
    engine = SyncEngine(tui_store, [(cfg, build_connector(cfg))])
    app = make_app(tui_store, engine=engine)
    started_before_rows: list[bool] = []
    original = app.first_rows_shown

    def first_rows_shown() -> None:
        started_before_rows.append(any(w.group == "sync" for w in app.workers))
        original()

    app.first_rows_shown = first_rows_shown  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE):
            # Not ready(): it waits for every worker, and the engine's runs until the end.
            await app.rows_shown.wait()
            assert started_before_rows == [False]
            assert any(w.group == "sync" for w in app.workers)
    finally:
        await engine.aclose()


def test_the_real_wordpress_skip_names_the_readme_command():
    from wpreal import HINT

    command = re.search(r"`([^`]+)`", HINT)
    assert command is not None
    assert command.group(1) == 'eval "$(tools/wp-real/ci-env.sh)"'
    assert command.group(1) in README.read_text(encoding="utf-8")
