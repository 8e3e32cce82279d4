"""Sync rounds of several processes end in any order: the store keeps the end of the
newest round begun, never an older round's end over it (store/sources.py); and a reply
that may have arrived waits for a round begun after it (store/writeback.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.connectors import PagePlatform
from helpers.generated import store_examples
from helpers.store import T0, resp
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.config import SourceConfig
from reactieveld.connectors.base import ApplyResult, ConnectorError
from reactieveld.connectors.http import HttpError
from reactieveld.model import Capability, Page, Source
from reactieveld.outbox import OutboxWorker
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


@store_examples(40)
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


# A reply that may have arrived (its POST answered with a 500 or not at all, or its
# process stopped after the POST) is sent again only when a sync round that BEGAN after
# it was marked has ended well without finding it on the site, and it is never on the
# site twice; both backends (store/writeback.py ``synced_since``). A round here lists
# the site when it begins (the worst case: a round may list at any moment before it
# ends) and stores what it listed when it ends well; a round begun before the reply
# arrived never sees it, however late it ends.

TEXT = "Dank voor uw reactie, we nemen het mee."

#: What a POST of the reply does: whether the platform makes the reply, and how it
#: answers (an HTTP status; None: no answer; "crash": the process stops after it).
SENDS = [
    (True, 201),  # made, and answered with its id: done
    (True, 500),  # made, then an error of the platform's own: may have arrived
    (True, None),  # made, no answer: may have arrived
    (True, "crash"),  # made, and the process stopped before the outcome was recorded
    (False, 500),  # not made, a 500: may have arrived (the worker cannot know)
    (False, None),  # not made, no answer
    (False, 503),  # not made, "unavailable": it did not, sent again when due
]

#: A step: a round begins, the oldest or newest open round ends (well or not), the worker
#: takes the reply (with what its POST does); the answers that leave it unsure, the
#: case in question, twice as often as the others.
STEP = st.sampled_from(
    [("begin",)] * 4
    + [("end", which, ok) for which in ("oldest", "newest") for ok in (True, True, False)]
    + [("send", s) for s in SENDS for _ in range(1 if s[1] in (201, 503) else 2)]
)


class Crash(BaseException):
    """The process stops here (nothing after it runs)."""


@dataclass
class Site:
    """The platform: whether it has the reply, and every POST it was sent."""

    name: str
    has_reply: bool = False
    posts: list[bool] = field(default_factory=list)  # the site had it already, per POST
    send: tuple[bool, Any] = (True, 201)
    capabilities: frozenset[Capability] = frozenset({Capability.REPLY})
    unsupported_reasons: dict[Capability, str] = field(default_factory=dict)

    async def apply(self, action: Any) -> ApplyResult:
        self.posts.append(self.has_reply)
        makes, answer = self.send
        self.has_reply = self.has_reply or makes
        if answer == 201:
            return ApplyResult(external_id=f"{self.name}-reply")
        if answer == "crash":
            raise Crash
        status = answer if isinstance(answer, int) else None
        raise HttpError(self.name, f"HTTP {answer}", retryable=True, status=status)

    async def aclose(self) -> None:
        pass


@store_examples(100)
@given(steps=st.lists(STEP, min_size=4, max_size=12))
async def test_a_reply_is_resent_only_after_a_round_begun_after_its_mark(
    memory: Any, steps: list[Any]
) -> None:
    name = f"s{next(_names)}"
    await memory.ensure_source(Source(name, "wordpress"))
    parent = resp("c1", source=name)
    await memory.upsert_page(name, Page([parent]))
    row = await memory.get_by_external(name, "c1")
    await memory.reply(row.response.id, TEXT, actor="moderator")
    site = Site(name)
    worker = OutboxWorker(memory, {name: site}, base_delay=0.0)  # type: ignore[dict-item]
    copy = resp(f"{name}-reply", TEXT, source=name, parent="c1", author="Gemeente")

    begun = 0  # rounds begun
    rounds_open: list[tuple[int | None, bool]] = []  # (number, the site had the reply)
    mark: int | None = None  # rounds begun when the reply was last marked "may have arrived"
    success: int | None = None  # the newest round, by number, whose good end was kept
    for step in steps:
        if step[0] == "begin":
            number, _ = await memory.begin_round(name)
            begun += 1
            assert number == begun
            rounds_open.append((number, site.has_reply))
        elif step[0] == "end" and rounds_open:
            number, listed = rounds_open.pop(0 if step[1] == "oldest" else -1)
            if step[2] and listed:
                await memory.upsert_page(name, Page([copy]))  # the platform's copy, found
            kept = await memory.record_sync(
                name, error=None if step[2] else "HTTP 502", round_no=number
            )
            if kept and step[2]:
                success = number
        elif step[0] == "send":
            [item] = await memory.outbox_items(response_id=row.response.id)
            if item.state.value != "pending":
                continue
            waits = mark is not None and not (success is not None and success > mark)
            site.send = step[1]
            posts = len(site.posts)
            try:
                outcome = await worker.apply_one(item)
            except Crash:
                outcome = "crash"
            assert (outcome == "waiting") == waits, (outcome, mark, success)
            if waits:
                assert len(site.posts) == posts
                continue
            made, answer = step[1]
            # Marked as it went: by the round begun when the POST's answer came (or when
            # it was sent, for a process that stopped after it).
            mark = begun if answer in (500, None, "crash") else None
            [after] = await memory.outbox_items(response_id=row.response.id)
            assert after.awaits_round == mark
    # Never a POST while the platform had the reply: a citizen sees it once.
    assert not any(site.posts), site.posts
