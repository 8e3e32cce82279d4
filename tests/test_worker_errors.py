"""A store's error in any screen's or widget's worker is said, once, and the app goes on.

Textual tells a worker's state to the node that runs it alone (``Worker.StateChanged``
does not bubble): a worker of a screen that failed was said nowhere (the search's, the
thread follower's), and a StoreError in a queue or details worker ended the whole app
with a traceback. Every class of the TUI that runs a worker passes its workers' errors
to the app's one place (``messages.SaysWorkerErrors`` -> ``app.worker_changed`` ->
``app.store_failed``). ``CASES``: each kind of worker, how to open its screen and which
store call to break; a new class that runs workers is found by
:func:`test_every_class_that_runs_workers_says_their_errors`."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.app import SMALL, ready, screen_text, settle, toasts_on_screen, until
from helpers.team import header
from textual.worker import WorkerState

import reactieveld.tui
from reactieveld.i18n import I18n, stored
from reactieveld.store.base import StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.text import one_line
from reactieveld.tui.widgets import queue_list

#: (app, pilot, break the store call): open the screen and start the worker.
Opens = Callable[[Any, Any, Callable[[], None]], Awaitable[None]]


def press(*keys: str) -> Opens:
    """The store call broken, then ``keys``: they open the screen, its worker meets it."""

    async def opens(app: Any, pilot: Any, breaks: Callable[[], None]) -> None:
        breaks()
        await pilot.press(*keys)

    return opens


async def _thread_follows(app: Any, pilot: Any, breaks: Callable[[], None]) -> None:
    """The thread (enter: its first read is the key's), then the store call broken and a
    colleague's change in it: the follower reads again."""
    from reactieveld.tui.screens.thread import ThreadScreen

    await pilot.press("enter")
    await until(pilot, lambda: getattr(app.screen, "loaded", False), "the thread", seconds=10)
    assert isinstance(app.screen, ThreadScreen)
    breaks()
    app.screen.follow_changes()


@dataclass(frozen=True)
class Case:
    """A kind of worker: the class that runs it, how it is started, the store call that
    fails in it (broken once the queue is on screen, by ``opens``)."""

    runs: str
    opens: Opens
    breaks: str
    #: Where it is said: "notice" (the app's one notice), "screen" (the screen's own
    #: line: the dashboard's heading says why its figures are not there).
    where: str = "notice"


CASES: dict[str, Case] = {
    "search": Case("SearchScreen", press("slash", "b"), "search"),
    "author history": Case("AuthorHistoryScreen", press("h"), "author_history"),
    "dashboard": Case("DashboardScreen", press("D"), "dialogue_figures", where="screen"),
    "thread follower": Case("ThreadScreen", _thread_follows, "queue"),
    "queue window": Case("QueueList", press("G"), "queue"),
    "response details": Case("ResponseView", press("j"), "notes"),
}

#: Classes that run workers without the mixin, and why their errors are said all the
#: same.
HANDLED_THERE: dict[str, str] = {
    "ReactieveldApp": "the app's own workers: its Worker.StateChanged handler is the one place",
}


def _errors(path: Path) -> dict[str, Callable[[], StoreError]]:
    return {
        "read-only": lambda: StoreError(stored("conn.store.read_only_file", path=path)),
        "unreachable": lambda: StoreUnreachable("the memory cannot be reached (test)"),
    }


@pytest.mark.parametrize("error_kind", ["read-only", "unreachable"])
@pytest.mark.parametrize("name", list(CASES))
async def test_a_worker_s_store_error_is_said_and_the_app_goes_on(
    name: str,
    error_kind: str,
    tui_store: Any,
    make_app: Any,
    no_color: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """80x24, NO_COLOR: the screen's worker meets the store's error; its line is on the
    screen (the memory away: the header's notice), once, and the keys still work."""
    from reactieveld.tui.screens.triage import TriageScreen

    case = CASES[name]
    monkeypatch.setattr(queue_list, "CHUNK", 5)  # a window that does not hold the queue
    error = _errors(tmp_path / "memory.db")[error_kind]()
    app = make_app(tui_store, "nl")
    i18n = I18n("nl")
    if case.where == "screen":
        expected = error.said("nl", period=True)
    elif isinstance(error, StoreUnreachable):
        expected = i18n.t("unreachable.keys")
    else:
        expected = one_line(error.said("nl"), limit=300)
    bare = "".join(expected.split()).lower()  # a toast wraps a long path inside it
    calls: list[str] = []

    async def broken(*args: Any, **kw: Any) -> Any:
        calls.append(case.breaks)
        raise error

    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await ready(app, pilot)
        # The screens read through the background reads' store (its own connection).
        reader = await app.open_reader()
        await case.opens(app, pilot, lambda: monkeypatch.setattr(reader, case.breaks, broken))

        def said() -> bool:
            if case.where == "screen":
                return bare[:60] in "".join("".join(screen_text(app)).split()).lower()
            return bare in ["".join(t.split()).lower() for t in toasts_on_screen(app)]

        await until(pilot, said, f"{name}: {expected!r} on the screen", seconds=10)
        assert calls, "the broken store call was not made"
        assert not app._exit, "the app ended"
        # Each failure said once (not by the screen and the app both).
        notices = [
            n.message for n in app._notifications if "".join(n.message.split()).lower() == bare
        ]
        assert len(notices) <= len(calls), notices
        # The keys still work: back to the queue (escape), and down it (j).
        monkeypatch.undo()
        for _ in range(3):
            if isinstance(app.screen, TriageScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        queue = app.screen.queue
        await pilot.press("g")
        await until(pilot, lambda: queue.cursor == 0, "g moves", seconds=5)
        await pilot.press("j")
        await until(pilot, lambda: queue.cursor == 1, "j moves", seconds=5)
        assert app.is_running


@pytest.mark.parametrize(
    ("language", "marker"),
    [("nl", "GEDEELD GEHEUGEN ONBEREIKBAAR"), ("en", "SHARED MEMORY UNREACHABLE")],
)
async def test_the_dashboard_says_the_memory_away_as_the_app_does_and_reads_again_after(
    tui_store: Any,
    make_app: Any,
    no_color: None,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    marker: str,
) -> None:
    """80x24, NO_COLOR: the dashboard's figures meet the memory away. Its heading says
    why they are missing, and the app says the outage as for every other screen (before,
    the heading alone did): the notice, the header's marker on the queue, the check that
    reads again. When the memory is back the marker goes and the dashboard reads its
    figures again: no heading left saying the memory away after the header stopped."""
    from reactieveld.tui.screens.dashboard import DashboardScreen
    from reactieveld.tui.screens.triage import TriageScreen

    app = make_app(tui_store, language)
    app.reach_retry_seconds = (0.05, 0.2)
    away = StoreUnreachable("the memory cannot be reached (test)")
    missing = "".join(away.said(language, period=True).split())[:60]
    lost = "".join(I18n(language).t("unreachable.keys").split()).lower()
    down = asyncio.Event()

    def shown() -> str:
        return "".join("".join(screen_text(app)).split())

    def toasts() -> list[str]:
        return ["".join(t.split()).lower() for t in toasts_on_screen(app)]

    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await ready(app, pilot)
        reader = await app.open_reader()
        figures, counts = reader.dialogue_figures, reader.counts

        def unless_down(read: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            async def reads(*args: Any, **kw: Any) -> Any:
                if down.is_set():
                    raise away
                return await read(*args, **kw)

            return reads

        monkeypatch.setattr(reader, "dialogue_figures", unless_down(figures))
        monkeypatch.setattr(reader, "counts", unless_down(counts))  # the app's check

        async def dashboard_while_away() -> DashboardScreen:
            down.set()
            await pilot.press("D")
            await until(pilot, lambda: missing in shown(), "the heading's line", seconds=10)
            await until(pilot, lambda: lost in toasts(), "the notice", seconds=10)
            assert app.memory_unreachable and isinstance(app.screen, DashboardScreen)
            return app.screen

        # Back while on the dashboard: its figures are read again.
        screen = await dashboard_while_away()
        down.clear()
        await until(pilot, lambda: screen.stats is not None, "the figures again", seconds=10)
        await settle(app, pilot)
        assert missing not in shown() and not app.memory_unreachable
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the queue")
        assert marker not in header(app), header(app)

        # Away, back to the queue: the header's marker; back: it goes.
        await dashboard_while_away()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the queue")
        await settle(app, pilot)
        assert header(app).startswith(marker), header(app)
        down.clear()
        await until(pilot, lambda: marker not in header(app), "the marker gone", seconds=10)


async def test_a_failed_worker_is_said_once_and_a_cancelled_one_not_at_all(
    tui_store: Any, make_app: Any, tmp_path: Path
) -> None:
    """A worker that fails, of the app itself (its own handler alone, no screen's as
    well), of a screen or of a widget in it: one notice each; a worker cancelled as its
    screen closes: none."""
    from reactieveld.tui.screens.dashboard import DashboardScreen

    app = make_app(tui_store, "en")
    error = _errors(tmp_path / "memory.db")["read-only"]()
    expected = one_line(error.said("en"), limit=300)

    async def fails() -> None:
        raise error

    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await ready(app, pilot)
        for node in (app, screen, screen.queue):
            app._notifications.clear()
            worker = node.run_worker(fails(), group="test", exit_on_error=False)
            await asyncio.gather(worker.wait(), return_exceptions=True)
            await until(pilot, lambda: list(app._notifications), f"{node}'s notice", seconds=5)
            await pilot.pause()
            assert [n.message for n in app._notifications] == [expected], node

        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await settle(app, pilot)
        app._notifications.clear()
        started = asyncio.Event()

        async def waits() -> None:
            started.set()
            await asyncio.Event().wait()

        worker = app.screen.run_worker(waits(), group="test", exit_on_error=False)
        await started.wait()
        app.pop_screen()
        await until(pilot, lambda: worker.state is WorkerState.CANCELLED, "cancelled", seconds=5)
        await pilot.pause()
        assert app.screen is screen
        assert list(app._notifications) == []


def _runs_workers(node: ast.ClassDef) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            if sub.func.attr == "run_worker" and isinstance(sub.func.value, ast.Name):
                if sub.func.value.id == "self":
                    return True
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in sub.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(target, ast.Name) and target.id == "work":
                    return True
    return False


def test_every_class_that_runs_workers_says_their_errors() -> None:
    """Every class in the tui package that runs a worker (``self.run_worker(`` or
    ``@work``) has ``SaysWorkerErrors`` (itself or by a base of the package), or its
    errors are said where it runs (``HANDLED_THERE``). A new screen that runs workers
    without it fails here: add the mixin, and a row to ``CASES``."""
    from reactieveld.tui.messages import SaysWorkerErrors

    root = Path(reactieveld.tui.__file__).parent
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _runs_workers(node):
                found[node.name] = str(path.relative_to(root))
    assert {"SearchScreen", "ThreadScreen", "QueueList", "TriageScreen"} <= found.keys()
    import importlib

    missing = []
    for name, rel in found.items():
        if name in HANDLED_THERE:
            continue
        module = importlib.import_module(
            "reactieveld.tui." + rel.removesuffix(".py").replace("/", ".")
        )
        cls = getattr(module, name)
        if not issubclass(cls, SaysWorkerErrors):
            missing.append(f"{rel}: {name}")
    assert not missing, missing
    covered = {case.runs for case in CASES.values()}
    # Each that runs workers reading the store has a case (the triage screen's own
    # workers, the claim and the reader, keep a store's error to themselves).
    assert (found.keys() - covered - HANDLED_THERE.keys()) <= {"TriageScreen"}, found.keys()
