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
