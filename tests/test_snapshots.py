"""Snapshots (pytest-textual-snapshot) of the queue, the response view, the thread tree,
the help screen, in Dutch and English, and a queue full of hostile text.

Deterministic: fixed response times shown in UTC against a fixed now (``helpers.data.NOW``), no
actions with wall-clock times, the developer's own config hidden (``tui_env``). Update
with ``--snapshot-update``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC
from pathlib import Path

import pytest
from helpers.app import SMALL, app_on_file
from helpers.app import settle as settle_workers
from helpers.data import T0, fill_store, hostile_responses, sample_responses
from helpers.figures import set_store_clock

pytestmark = pytest.mark.usefixtures("tui_env")
SIZE = (130, 36)


def build_store(path: Path, *, hostile: bool = False) -> Path:
    from reactieveld.store.sqlite import SqliteStore

    async def build() -> None:
        store = await SqliteStore.open(path)
        try:
            responses, threads = hostile_responses() if hostile else sample_responses()
            await fill_store(store, "blog", responses, threads)
            if not hostile:
                await store.toggle_question([28], "2", actor="t")
                await store.set_role([28], "raad", actor="t")
        finally:
            await store.close()

    with pytest.MonkeyPatch.context() as mp:
        # Journal times show in the response view: the store's clocks are fixed here.
        set_store_clock(mp, lambda: T0)
        asyncio.run(build())
    return path


async def settle(pilot) -> None:
    """The queue loaded (the triage screen may be under the first-run screen), workers done."""
    app = pilot.app
    await pilot.pause()
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    await screen.queue.loaded.wait()
    await settle_workers(app, pilot)
    await pilot.pause()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_queue_and_response_view(snap_compare, tmp_path, language):
    path = build_store(tmp_path / "m.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j")  # a response with tags, a role and a parent
        await settle(pilot)

    assert snap_compare(app_on_file(path, language), run_before=run_before, terminal_size=SIZE)


def test_thread_tree(snap_compare, tmp_path):
    path = build_store(tmp_path / "m.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        for _ in range(3):
            await pilot.pause()

    assert snap_compare(app_on_file(path, "nl"), run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_help_screen(snap_compare, tmp_path, language):
    path = build_store(tmp_path / "m.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app_on_file(path, language), run_before=run_before, terminal_size=(130, 50))


def test_hostile_queue(snap_compare, tmp_path):
    """Markup, escapes, controls, bidi, a 20,000-character word: all shown literally."""
    path = build_store(tmp_path / "m.db", hostile=True)

    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app_on_file(path, "nl"), run_before=run_before, terminal_size=SIZE)


def test_hostile_response_view_and_thread(snap_compare, tmp_path):
    path = build_store(tmp_path / "m.db", hostile=True)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "j")  # the ANSI/OSC one
        await settle(pilot)

    assert snap_compare(app_on_file(path, "en"), run_before=run_before, terminal_size=SIZE)


# -- readable without colour, at 80x24 (issue 11) ----------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_queue_at_80x24(snap_compare, tmp_path, no_color, language):
    """The cursor (▶), a mark (✱) beside the new marker (•), the tab in brackets, a tag
    with ✓, and ? Help first in the footer."""
    path = build_store(tmp_path / "m.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "space", "j")  # row 1 marked, the cursor on row 2 (tagged)
        await settle(pilot)

    assert snap_compare(app_on_file(path, language), run_before=run_before, terminal_size=SMALL)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_export_dialog_at_80x24(snap_compare, tmp_path, no_color, language):
    """(•)/( ) formats, [ ]/[x] boxes, personal data on with its warning line."""
    from datetime import datetime

    from reactieveld.tui.screens.export import ExportScreen
    from reactieveld.tui.widgets.toggles import CharCheckbox

    path = build_store(tmp_path / "m.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        app = pilot.app
        screen = ExportScreen(
            i18n=app.i18n,
            codebook=app.codebook,
            queue_text=app.i18n.t("export.queue_text", queue=app.i18n.t("queue.new")),
            folder=Path("/rapporten"),
            now=datetime(2026, 12, 4, 15, 30, tzinfo=UTC),
        )
        await app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#export-personal", CharCheckbox).value = True
        await pilot.pause()

    assert snap_compare(app_on_file(path, language), run_before=run_before, terminal_size=SMALL)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_color_filter_dialog_at_80x24(snap_compare, tmp_path, no_color, language):
    path = build_store(tmp_path / "m.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()

    assert snap_compare(app_on_file(path, language), run_before=run_before, terminal_size=SMALL)
