"""The app while the team's shared memory cannot be reached: the header says so in
characters (no colour needed, 80x24), no source says "ok" meanwhile, a key that writes
says so in one notice and stores nothing; the marker goes when a round is stored again."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, ready, record_notices, screen_text

from reactieveld.sync import SyncEvent
from reactieveld.tui.widgets.status_line import SourceStatus

pytestmark = pytest.mark.usefixtures("tui_env")

DOWN = (
    "the memory cannot be reached: postgresql://anna@db.example.nl/rv: cannot reach the "
    "server (Connect call failed): is it running, and is [store] url right?"
)


@pytest.mark.parametrize(
    ("language", "marker", "unknown", "lost"),
    [
        ("nl", "GEDEELD GEHEUGEN ONBEREIKBAAR", "onbekend", "niets gaat verloren"),
        ("en", "SHARED MEMORY UNREACHABLE", "unknown", "nothing is lost"),
    ],
)
async def test_the_header_says_the_shared_memory_is_unreachable_until_it_is_back(
    tui_store: Any,
    make_app: Any,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    marker: str,
    unknown: str,
    lost: str,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tui_store, language=language)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        app._sources["blog"] = SourceStatus("blog", "ok")
        notices = record_notices(app)
        await app._on_sync_event(SyncEvent("other", "error", error=DOWN))
        await app._on_sync_event(SyncEvent("other", "round"))
        await pilot.pause()
        header = screen_text(app)[0]
        assert header.startswith(marker), header
        assert f"blog {unknown}" in header and " ok" not in header, header
        assert len(header.rstrip()) <= 80
        before = screen.queue.current.response.id
        row_status = screen.queue.current.response.remote_status
        await pilot.press("a")
        await pilot.pause()
        said = [n for n in notices if lost in n]
        assert len(said) == 1 and "\n" not in said[0], notices
        kept = await tui_store.get(before)
        assert kept is not None and kept.response.remote_status == row_status  # nothing stored
        # A round stored again: the memory is back, the marker gone, the key works.
        await app._on_sync_event(SyncEvent("blog", "round"))
        await pilot.pause()
        header = screen_text(app)[0]
        assert marker not in header and "blog ok" in header, header


async def test_the_app_s_outbox_goes_on_after_the_memory_was_away(
    tui_store: Any, make_app: Any
) -> None:
    """A write-back round that meets the memory away is tried again, not the end of the
    app's outbox worker (it ended there, and nothing was written back until a restart)."""
    import asyncio
    from types import SimpleNamespace

    from reactieveld.store.errors import StoreUnreachable

    app = make_app(tui_store)
    calls: list[str] = []
    failed, again = asyncio.Event(), asyncio.Event()

    class Outbox:
        poll_seconds = 3600.0

        async def run_once(self) -> Any:
            if not calls:
                calls.append("away")
                failed.set()
                raise StoreUnreachable("postgresql://anna@db/rv: cannot reach the server")
            calls.append("back")
            again.set()
            app._stop.set()
            app._outbox_wake.set()  # the loop ends at once, not after its poll
            return SimpleNamespace(attempted=False)

    app.outbox = Outbox()
    task = asyncio.create_task(app._run_outbox())
    await asyncio.wait_for(failed.wait(), 10)
    app._outbox_wake.set()  # its next poll, now
    await asyncio.wait_for(again.wait(), 10)
    await asyncio.wait_for(task, 10)
    assert calls == ["away", "back"]


@pytest.mark.parametrize("away", [True, False])
async def test_a_worker_that_meets_the_memory_away_ends_but_another_error_ends_the_app(
    tui_store: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch, away: bool
) -> None:
    """A response's details read in a worker (started as Textual ends the app on its
    error): the memory away ends the read, not the app (the marker, no traceback); any
    other error is a bug and ends the app as Textual does (a test sees it raised)."""
    import contextlib

    from textual.worker import WorkerFailed

    from reactieveld.store.errors import StoreUnreachable

    error: Exception = (
        StoreUnreachable("postgresql://anna@db.example.nl/rv: the connection was lost")
        if away
        else RuntimeError("a bug in a read")
    )

    async def load_details(*args: Any, **kw: Any) -> Any:
        raise error

    app = make_app(tui_store, language="en")
    ends = contextlib.nullcontext() if away else pytest.raises(WorkerFailed)
    with ends as ended:
        async with app.run_test(size=SMALL) as pilot:
            await ready(app, pilot)
            monkeypatch.setattr("reactieveld.tui.widgets.response_view.load_details", load_details)
            await pilot.press("j")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.is_running is away
            if away:
                header = screen_text(app)[0]
                assert header.startswith("SHARED MEMORY UNREACHABLE"), header
    if not away:
        assert ended is not None and ended.value.error is error


@pytest.mark.parametrize(
    ("language", "unknown", "error"), [("nl", "onbekend", "fout"), ("en", "unknown", "error")]
)
@pytest.mark.parametrize("before", [None, "ok"])
async def test_a_source_whose_round_met_the_memory_away_is_unknown_not_in_error(
    tui_store: Any,
    make_app: Any,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    unknown: str,
    error: str,
    before: str | None,
) -> None:
    """Tried as a team (tryteam): with the server stopped, the app whose own sync round
    met it said "GEDEELD GEHEUGEN ONBEREIKBAAR │ demo fout", its colleague's "demo
    onbekend": the round failed on the memory, not on the site, whose state nobody
    knows meanwhile. Now that source is "unknown" too, and "ok" once a round is stored."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tui_store, language=language)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        app._sources.pop("blog", None)
        if before is not None:
            app._sources["blog"] = SourceStatus("blog", before)
        await app._on_sync_event(SyncEvent("blog", "error", error=DOWN))
        await pilot.pause()
        header = screen_text(app)[0]
        assert app.memory_unreachable, header
        assert f"blog {unknown}" in header and f"blog {error}" not in header, header
        await app._on_sync_event(SyncEvent("blog", "round"))
        await pilot.pause()
        header = screen_text(app)[0]
        assert "blog ok" in header and not app.memory_unreachable, header
