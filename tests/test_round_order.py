"""Sync rounds of several processes end in any order: the store keeps the end of the
newest round begun, never an older round's end over it (store/sources.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.connectors import PagePlatform
from helpers.store import T0
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.config import SourceConfig
from reactieveld.connectors.base import ConnectorError
from reactieveld.model import Source
from reactieveld.store.open import open_store
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine

#: A round: whether it fails, and whether it began (a round that failed before it began,
#: say at its lock, ends without a number: it counts as begun at its end).
ROUND = st.tuples(st.booleans(), st.booleans())


@st.composite
def interleavings(draw: st.DrawFn) -> tuple[list[tuple[bool, bool]], list[int]]:
    """Two to four rounds and the order of their steps: each round's number twice, the
    first its begin, the second its end (so a round ends after it began)."""
    rounds = draw(st.lists(ROUND, min_size=2, max_size=4))
    steps = draw(st.permutations([i for i in range(len(rounds)) for _ in range(2)]))
    return rounds, steps


@pytest.fixture
async def memory(store_target: str) -> AsyncIterator[Any]:
    store = await open_store(store_target)
    yield store
    await store.close()


_names = itertools.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=interleavings())
async def test_the_newest_round_begun_is_the_one_recorded(memory: Any, case: Any) -> None:
    """After every round's end the source says what the newest round begun said (its
    error or none, its next try, its process), and ``record_sync`` says whether it kept
    the end it was given; both backends (each example a source of its own)."""
    rounds, steps = case
    name = f"s{next(_names)}"
    await memory.ensure_source(Source(name, "wordpress"))
    begun: dict[int, int] = {}  # round -> the step it began at
    numbers: dict[int, int | None] = {}
    ended: list[int] = []
    for at, i in enumerate(steps):
        fails, begins = rounds[i]
        if i not in numbers:  # its first step: the round begins
            numbers[i] = None
            if begins:
                numbers[i], state = await memory.begin_round(name)
                assert state is not None and state.name == name
                begun[i] = at
            continue
        kept = await memory.record_sync(
            name,
            error=f"round {i} failed" if fails else None,
            next_try=T0 + timedelta(minutes=i),
            by=f"p{i}",
            round_no=numbers[i],
        )
        begun.setdefault(i, at)  # never begun: as if at its end
        ended.append(i)
        newest = max(ended, key=lambda r: begun[r])
        assert kept == (newest == i)
        state = await memory.source_state(name)
        assert (state.synced_by, state.next_try) == (f"p{newest}", T0 + timedelta(minutes=newest))
        assert state.last_error == (f"round {newest} failed" if rounds[newest][0] else None)


async def test_an_unregistered_source_begins_no_round(memory: Any) -> None:
    assert await memory.begin_round("nope") == (None, None)


class _Down:
    """A platform whose answer takes until the test lets it go, and then is a failure:
    a round begun while the site was down, ending after a later round's success."""

    name = "blog"
    capabilities: frozenset[Any] = frozenset()
    unsupported_reasons: dict[Any, str] = {}

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.answer = asyncio.Event()

    async def fetch(self, cursor: str | None) -> Any:
        self.asked.set()
        await self.answer.wait()
        raise ConnectorError("blog", "HTTP 503 from https://blog.example")
        yield  # an async generator, as the engine reads a platform

    async def aclose(self) -> None:
        pass


async def test_a_round_begun_while_down_ends_after_a_newer_success(tmp_path: Path) -> None:
    """Two apps' engines on one SQLite memory (whose source lock is always granted): the
    first one's round waits on the down site while the second one's round succeeds; the
    first one's failure, ending last, leaves the memory saying the source is fine."""
    path = tmp_path / "m.db"
    one, two = await SqliteStore.open(path), await SqliteStore.open(path)
    down = _Down()
    cfg = SourceConfig("blog", "wordpress", 60.0)
    first = SyncEngine(one, [(cfg, down)], prefetch=False, by="anna app")  # type: ignore[list-item]
    second = SyncEngine(two, [(cfg, PagePlatform())], by="bram app")  # type: ignore[list-item]
    try:
        failing = asyncio.create_task(first.sync_source("blog"))
        await asyncio.wait_for(down.asked.wait(), timeout=10)
        assert (await second.sync_source("blog")).ok
        down.answer.set()
        assert not (await asyncio.wait_for(failing, timeout=10)).ok
        state = await two.source_state("blog")
        assert state is not None and state.last_error is None
        assert state.synced_by == "bram app" and state.last_success is not None
    finally:
        await first.aclose()
        await second.aclose()
        await one.close()
        await two.close()
