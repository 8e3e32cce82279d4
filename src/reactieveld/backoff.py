"""One rule for waiting after a failure: exponential, capped, jittered; one way to wait
between passes of a worker; and the pass loop the outbox and the memory sinks share.

Used by the sync engine (a failed round), the outbox (a write-back), the memory sinks
(a delivery) and the PostgreSQL store (a transaction the server stopped for another's
sake, run again); the jitter keeps many retries from arriving at a platform (or two
transactions from meeting again) at once. It imports nothing of the program: the store,
a layer above, uses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from typing import Any


def backoff_delay(
    attempts: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after ``attempts`` earlier failures: ``base * 2**attempts``, at most
    ``cap``, jittered to between 75% and 125% of that."""
    delay = min(cap, base * float(2 ** min(max(attempts, 0), 16)))
    r = rng.random() if rng is not None else random.random()
    return delay * (0.75 + r / 2)


async def pause(seconds: float, *events: asyncio.Event) -> None:
    """Wait ``seconds``, or less when one of ``events`` is set (a stop, a wake-up)."""
    if not events:
        await asyncio.sleep(seconds)
        return
    waiters = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)


class PollingWorker:
    """A worker that makes passes until stopped (the outbox, the memory sinks): each after
    :meth:`wake` or ``poll_seconds``; a failed item waits :meth:`retry_delay`; outcomes
    go to ``on_event`` as short texts (for a notification), which may never break a pass.

    A subclass makes one pass in ``run_once`` and says in ``_pass_failed`` what a pass
    that raised means (it is logged there; the next pass retries)."""

    def __init__(
        self,
        *,
        poll_seconds: float,
        base_delay: float,
        max_delay: float,
        on_event: Callable[[str], Any] | None,
    ) -> None:
        self.poll_seconds = poll_seconds
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.on_event = on_event
        self._wake = asyncio.Event()
        #: A pass could not read the store (the server away, a full disk) and said so:
        #: the next such passes say nothing until one reads it again.
        self._troubled = False

    def wake(self) -> None:
        """Make a pass now (the moderator just queued a decision or tagged something)."""
        self._wake.set()

    def retry_delay(self, attempts: int) -> float:
        """Seconds before the next try after ``attempts`` failed ones (jittered)."""
        return backoff_delay(attempts, self.base_delay, self.max_delay)

    def _say(self, text: str) -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):
                self.on_event(text)

    def _say_trouble(self, text: str) -> None:
        """Say why a pass could not be made, once: a pass every ``poll_seconds`` while
        the memory is away would repeat the line (a service's journal, the app's
        notices) until it is back. :meth:`_trouble_over` when a pass gets through."""
        if not self._troubled:
            self._troubled = True
            self._say(text)

    def _trouble_over(self) -> None:
        self._troubled = False

    async def run_once(self) -> object:
        raise NotImplementedError

    def _pass_failed(self, exc: Exception) -> None:
        raise NotImplementedError

    async def run(self, stop: asyncio.Event) -> None:
        """Passes until ``stop`` is set; wakes on :meth:`wake` or every ``poll_seconds``."""
        while not stop.is_set():
            self._wake.clear()  # before the pass: a wake during it triggers another pass
            try:
                await self.run_once()
            except Exception as exc:  # noqa: BLE001 - e.g. the store cannot be read now
                self._pass_failed(exc)
            await pause(self.poll_seconds, stop, self._wake)
