"""The app ended in the frame its first rows were shown in (a `q` typed while the demo
was made, read as soon as the queue is there): the sync engine's work, started after
that frame, was never begun; Python said 'coroutine SyncEngine.run was never awaited'
on the terminal after the app."""

from __future__ import annotations

import asyncio
import gc
import warnings
from typing import Any

import pytest
from helpers.app import SMALL, until

pytestmark = pytest.mark.usefixtures("tui_env")


class Engine:
    """A sync engine that runs until the app stops it."""

    connectors: dict[str, Any] = {}
    sources: tuple[Any, ...] = ()

    def __init__(self) -> None:
        self.ran = False

    def subscribe(self, callback: Any) -> None:
        pass

    async def run(self, stop: asyncio.Event) -> None:
        self.ran = True
        await stop.wait()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_an_app_ended_as_its_first_rows_show_leaves_no_unawaited_work(
    tui_store: Any, make_app: Any, language: str
) -> None:
    engine = Engine()
    app = make_app(tui_store, language=language, engine=engine)
    shown = app.first_rows_shown

    def then_quit() -> None:
        shown()
        app.exit()  # in the same turn: the workers started there have not run

    app.first_rows_shown = then_quit
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        async with app.run_test(size=SMALL) as pilot:
            await until(pilot, lambda: app.return_code is not None, "the app's end")
        gc.collect()
    assert not [w for w in said if "never awaited" in str(w.message)], [
        str(w.message) for w in said
    ]
