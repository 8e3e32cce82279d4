"""The one waiting rule of the sync engine, the outbox and the sinks."""

from __future__ import annotations

import random

from reactieveld.backoff import backoff_delay


class _Fixed(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_doubles_then_caps_with_jitter_around_it() -> None:
    middle = _Fixed(0.5)  # jitter factor exactly 1
    assert [backoff_delay(n, 10, 3600, middle) for n in range(4)] == [10, 20, 40, 80]
    assert backoff_delay(20, 10, 3600, middle) == 3600
    assert backoff_delay(10**6, 10, 3600, middle) == 3600  # no overflow on huge counts
    assert backoff_delay(-1, 10, 3600, middle) == 10
    assert backoff_delay(0, 10, 3600, _Fixed(0.0)) == 7.5
    assert backoff_delay(0, 10, 3600, _Fixed(0.999999)) < 12.5


async def test_pause_ends_when_an_event_is_set_and_leaves_no_task_behind():
    import asyncio

    from reactieveld.backoff import pause

    stop, wake = asyncio.Event(), asyncio.Event()
    before = len(asyncio.all_tasks())
    waiting = asyncio.create_task(pause(3600, stop, wake))
    await asyncio.sleep(0)  # let it start waiting (a scheduling point, not a delay)
    assert not waiting.done()
    wake.set()
    await asyncio.wait_for(waiting, 5)  # an hour's pause ended by the wake-up
    assert len(asyncio.all_tasks()) == before  # its waiters are cancelled
    await asyncio.wait_for(pause(0), 5)  # no events: just the time
