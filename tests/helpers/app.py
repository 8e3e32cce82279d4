"""Pilot helpers for the Textual app: wait on workers and the queue, never sleep."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.worker import WorkerState

from helpers.data import NOW
from reactieveld.model import utcnow
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.app import ReactieveldApp
from reactieveld.tui.screens.triage import TriageScreen

#: The usual test terminal.
SIZE = (120, 40)
#: The smallest terminal the app must be usable at.
SMALL = (80, 24)


async def settle(app: Any, pilot: Any) -> None:
    """Wait until no worker is pending or running (cancelled ones included)."""
    for _ in range(100):
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            return
        await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)
    raise AssertionError("workers did not settle")


async def press(pilot: Any, *keys: str) -> None:
    """Press ``keys``, then ``settle``: the workers they started are done."""
    await pilot.press(*keys)
    await settle(pilot.app, pilot)


async def settled(pilot: Any) -> None:
    """``settle`` for the pilot's app, then one more pause so the last refresh is drawn."""
    await settle(pilot.app, pilot)
    await pilot.pause()


async def ready(app: Any, pilot: Any) -> TriageScreen:
    """The triage screen once its queue and the first counts are in."""
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, TriageScreen)
    await screen.queue.loaded.wait()
    await settle(app, pilot)
    return screen


@asynccontextmanager
async def side_by_side(app_a: Any, app_b: Any) -> AsyncIterator[tuple[Any, Any, Any, Any]]:
    """Two moderators' apps on one memory at 80x24, each on its queue, the second
    listening for the first's work: (pilot a, screen a, pilot b, screen b)."""
    async with app_a.run_test(size=SMALL) as pa, app_b.run_test(size=SMALL) as pb:
        sa = await ready(app_a, pa)
        sb = await ready(app_b, pb)
        await app_b.live_ready.wait()
        yield pa, sa, pb, sb


def screen_text(app: ReactieveldApp) -> list[str]:
    """The screen's lines as plain characters, styles dropped."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def app_on_memory(
    tmp_path: Path, monkeypatch: Any, language: str = "nl"
) -> tuple[ReactieveldApp, dict[str, int]]:
    """The app on the reports' fixed memory (``reportdata``) written to ``tmp_path``/m.db
    and closed (the app opens the file itself), UTC, actor "t"; with the memory's ids."""
    from reportdata import build

    store, ids = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = ReactieveldApp(None, db_path=tmp_path / "m.db", language=language, tz=UTC, actor="t")
    return app, ids


def app_on_file(path: Path, language: str, **kw: Any) -> ReactieveldApp:
    """The app on the store file at ``path`` (it opens the file itself), UTC, actor
    "tester", its clock at ``helpers.data.NOW``: the snapshots' app."""
    return ReactieveldApp(
        None, db_path=path, language=language, tz=UTC, actor="tester", clock=lambda: NOW, **kw
    )


def app_with(store: Any, language: str, theme: str | None, **kw: Any) -> ReactieveldApp:
    """The app on a store with a theme (None: the default), UTC, actor "tester", its
    clock at ``helpers.data.NOW`` (the sample's times show their hours)."""
    kw.setdefault("clock", lambda: NOW)
    return ReactieveldApp(store, language=language, tz=UTC, actor="tester", theme=theme, **kw)


class ScreenHost(App[None]):
    """A bare app that shows only the screen ``make`` builds over the store at ``path``
    (no other screen's pixels), and closes the store when it stops."""

    def __init__(
        self,
        path: Path,
        make: Callable[[SqliteStore], Screen[Any]],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``clock``: now, for the times on screen (as the app's ``clock``)."""
        super().__init__()
        self.path = path
        self.clock = clock
        self.make = make
        self.store: SqliteStore | None = None

    async def on_mount(self) -> None:
        self.store = await SqliteStore.open(self.path)
        await self.push_screen(self.make(self.store))

    async def on_unmount(self) -> None:
        if self.store is not None:
            await self.store.close()
