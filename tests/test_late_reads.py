"""A read that ends after its view left the screen is dropped, not drawn (a worker that
drew into a removed view ended the app: seen once as a flaky ``test_seen`` run). The
read is held on an event, so the order is certain: the view goes first, then the read
ends."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from helpers.app import SMALL, ready, settled

from reactieveld.tui.widgets import response_view
from reactieveld.tui.widgets.response_view import ResponseView


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_details_read_after_the_view_is_gone_are_dropped(
    tui_store: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    held = asyncio.Event()
    started = asyncio.Event()
    read = response_view.load_details

    async def slow(*args: Any, **kw: Any) -> Any:
        started.set()
        await held.wait()
        return await read(*args, **kw)

    app = make_app(tui_store, language=language)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        monkeypatch.setattr(response_view, "load_details", slow)
        await pilot.press("j")  # the next response: its details are read (held)
        await asyncio.wait_for(started.wait(), 30)
        view = screen.query_one(ResponseView)
        await view.remove()
        held.set()
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert app.is_running and app.return_code is None
        # The queue goes on: the keys still move the cursor.
        before = screen.queue.current.response.id
        await pilot.press("j")
        await settled(pilot)
        assert screen.queue.current.response.id != before
