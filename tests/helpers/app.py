"""Pilot helpers for the Textual app: wait on workers and the queue, never sleep."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.cells import cell_len
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


async def settle(app: Any, pilot: Any, *, but: tuple[str, ...] = ()) -> None:
    """Wait until no worker is pending or running (cancelled ones included), but those
    of the groups ``but`` (the sync engine's: it runs as long as the app)."""
    for _ in range(100):
        await pilot.pause()
        busy = [
            w
            for w in app.workers
            if w.group not in but and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not busy:
            return
        await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)
    raise AssertionError("workers did not settle")


async def until(
    pilots: Any, condition: Callable[[], Any], what: str, *, seconds: float = 30.0
) -> None:
    """Let the apps run (each pilot's pause: their own messages, no sleep of ours) until
    ``condition()`` (or the awaitable it returns) holds. Bounded by wall time, not by a
    number of pauses: a pause is one idle turn of a few ms (conftest's ``IDLE_SLICE``)."""
    pilots = pilots if isinstance(pilots, (list, tuple)) else [pilots]
    deadline = time.monotonic() + seconds
    while True:
        held = condition()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        for pilot in pilots:
            await pilot.pause()


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
async def side_by_side(
    app_a: Any, app_b: Any, *, notifications: bool = False
) -> AsyncIterator[tuple[Any, Any, Any, Any]]:
    """Two moderators' apps on one memory at 80x24, each on its queue, the second
    listening for the first's work: (pilot a, screen a, pilot b, screen b).
    ``notifications``: their notices drawn on screen (Textual's tests leave them out)."""
    async with (
        app_a.run_test(size=SMALL, notifications=notifications) as pa,
        app_b.run_test(size=SMALL, notifications=notifications) as pb,
    ):
        sa = await ready(app_a, pa)
        sb = await ready(app_b, pb)
        await app_b.live_ready.wait()
        yield pa, sa, pb, sb


async def response_shown(app: Any, pilot: Any, rid: int) -> str:
    """The response view's text (plain) with response ``rid`` shown, from the All tab."""
    await ready(app, pilot)
    await app.screen.show_queue("all")
    await settle(app, pilot)
    await app.screen.show_response(rid)
    await settle(app, pilot)
    return str(app.screen.query_one("#response").render_content().plain)


def screen_text(app: ReactieveldApp) -> list[str]:
    """The screen's lines as plain characters, styles dropped."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def cells_from(line: str, cells: int) -> str:
    """``line`` from its ``cells``-th cell on (wide characters count twice)."""
    at = 0
    for i, char in enumerate(line):
        if at >= cells:
            return line[i:]
        at += cell_len(char)
    return ""


def record_notices(app: ReactieveldApp) -> list[str]:
    """The notices the app is given from now on, as their texts: every way of making
    one (``app.notify``, the screens' own notices with a handle) posts ``Notify``; they
    are shown as before."""
    from textual.notifications import Notify

    said: list[str] = []
    post = app.post_message

    def spy(message: Any) -> bool:
        if isinstance(message, Notify):
            said.append(str(message.notification.message))
        return post(message)

    app.post_message = spy  # type: ignore[method-assign]
    return said


def toasts_on_screen(app: ReactieveldApp) -> list[str]:
    """The notices drawn on the screen (the app run with ``notifications=True``), each
    one's characters in its box as one line (its lines joined, blanks collapsed)."""
    from textual.widgets._toast import Toast

    lines = screen_text(app)
    shown = []
    for toast in app.screen.query(Toast):
        r = toast.content_region  # within its border and padding
        box = [line[r.x : r.right] for line in lines[r.y : r.bottom]]
        shown.append(" ".join(" ".join(box).split()))
    return shown


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


def drafts_in(path: Path) -> dict[tuple[str, int], str]:
    """The drafts in a drafts file (reactieveld.drafts), as (kind, response id) -> text."""
    import json

    data = json.loads(path.read_text("utf-8"))
    return {(d["kind"], d["response_id"]): d["text"] for d in data["drafts"]}
