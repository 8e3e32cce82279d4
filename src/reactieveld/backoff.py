"""One rule for waiting after a failure: exponential, capped, jittered; and one way to
wait between passes of a worker.

Used by the sync engine (a failed round), the outbox (a write-back) and the memory sinks
(a delivery); the jitter keeps many retries from arriving at a platform at once.
"""

from __future__ import annotations

import asyncio
import random


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
