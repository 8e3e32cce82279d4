"""A PostgreSQL store's live subscription in a test: ``async with listening(store) as
heard: ... await heard.next()`` (each wait bounded)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from reactieveld.store.base import ChangeSet

#: The longest wait for a set (seconds): a bound, not a pause.
WAIT = 10.0


@contextlib.asynccontextmanager
async def listening(store: Any) -> AsyncIterator[Any]:
    """The store's subscription, standing (LISTEN done) when the block starts."""
    ready = asyncio.Event()
    it = store.changes(ready=ready)
    first = asyncio.ensure_future(it.__anext__())
    await asyncio.wait_for(ready.wait(), WAIT)

    class Sub:
        pending: asyncio.Future[ChangeSet] | None = first

        async def next(self) -> ChangeSet:
            fut = self.pending or asyncio.ensure_future(it.__anext__())
            self.pending = None
            return await asyncio.wait_for(fut, WAIT)

    try:
        yield Sub()
    finally:
        if Sub.pending is not None:
            Sub.pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await Sub.pending
        await it.aclose()
