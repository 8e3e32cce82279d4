"""Valid JSON of a wrong shape, from every connector's server, on real loopback HTTP.

One answer of the platform's fake (the k-th, hypothesis picks k) has one of its values
(hypothesis picks which) replaced by a value of another kind: a null, a number as text,
a huge or negative or float number, a list for an object, an object for a list, nesting
deeper than Python recurses. Whatever it is, ``sync --once`` ends; the source either
syncs (a value it can do without) or fails with one line that names it and says what is
wrong and what to do, never a Python exception's name alone ("unexpected KeyError"), and
that line is its recorded error; the healthy source in the same run syncs fully.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fakes import decidim_source, discourse_source, govocal_source, seed_decidim, seed_govocal
from fakes.base import Reply, Request
from fakes.decidim import FakeDecidim
from fakes.discourse import FakeDiscourse
from fakes.faultproxy import Fault, FaultProxy
from fakes.govocal import FakeGoVocal
from helpers.twosources import (
    HEALTHY,
    HEALTHY_PASSWORD,
    error_lines,
    scratch,
    serving,
    source_name,
    stored_error,
    sync_once,
    wp_block,
)
from helpers.wpsite import no_retry_waits
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wpreal import served_fakewp

from reactieveld.config import load_config
from reactieveld.failures import error_in_language
from reactieveld.i18n import text
from reactieveld.model import RemoteStatus
from reactieveld.outbox import UNSURE, OutboxWorker
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine

SAID = "the platform's answer has a form reactieveld cannot read ("
WP_REPLIES = "/wp-json/wp/v2/comments"


def nested(depth: int) -> Any:
    out: Any = 1
    for _ in range(depth):
        out = [out]
    return out


#: Values of another kind than the one they replace.
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-5, 10**20).map(str),
    st.sampled_from(["", "x", "2024-13-45T99:99:99", "yesterday", "0000-00-00 00:00:00"]),
    st.just([]),
    st.just({}),
    st.just([{}]),
    st.integers(2000, 5000).map(nested),
)


def spots(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The paths of every value in a JSON document, the document's own first."""
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from spots(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from spots(item, (*at, i))


def changed(body: Any, pick: int, wrong: Any) -> Any:
    """``body`` with its value number ``pick`` (modulo their count) replaced by ``wrong``."""
    paths = list(spots(body))
    path = paths[pick % len(paths)]
    if not path:
        return wrong
    out = copy.deepcopy(body)
    place = out
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = wrong
    return out


class Changing:
    """A fake whose ``k``-th JSON answer is :func:`changed` (``pick``, ``wrong``)."""

    change: tuple[int, int, Any] | None = None
    answered = 0
    #: The requests a change (and :attr:`fault`) applies to; None: every one.
    only: Callable[[Request], bool] | None = None
    #: What the requests of :attr:`only` are answered with instead, when set.
    fault: Reply | None = None
    #: Whether the platform acts on such a request all the same (its answer then lost).
    acts = False

    def handle(self, req: Request) -> Reply:
        if self.only is not None and not self.only(req):
            return super().handle(req)  # type: ignore[misc,no-any-return]
        if self.fault is not None:
            if self.acts:
                super().handle(req)  # type: ignore[misc]
            return self.fault
        reply: Reply = super().handle(req)  # type: ignore[misc]
        if self.change is None or isinstance(reply.body, bytes | str) or reply.body is None:
            return reply
        k, pick, wrong = self.change
        self.answered += 1
        if self.answered - 1 != k:
            return reply
        return Reply(reply.status, changed(reply.body, pick, wrong), reply.headers)


class ChangingDiscourse(Changing, FakeDiscourse):
    pass


class ChangingDecidim(Changing, FakeDecidim):
    pass


class ChangingGoVocal(Changing, FakeGoVocal):
    pass


@pytest.fixture(scope="module")
def wordpress():
    with served_fakewp(40, password="wp-pw") as wp:
        real = wp.handle
        wp.change, wp.answered = None, 0

        def handle(method: str, path: str, q: Any, body: Any, auth: Any) -> Any:
            status, data, headers = real(method, path, q, body, auth)
            if wp.change is None:
                return status, data, headers
            k, pick, wrong = wp.change
            wp.answered += 1
            if wp.answered - 1 == k:
                data = changed(data, pick, wrong)
            return status, data, headers

        wp.handle = handle
        #: (status, body) a reply's POST is answered with, after the fake made the reply.
        wp.reply_answer = None
        wp.reply_posts = 0
        plain = wp.handle

        def answering(method: str, path: str, q: Any, body: Any, auth: Any) -> Any:
            got = plain(method, path, q, body, auth)
            if method == "POST" and path.rstrip("/") == WP_REPLIES:
                wp.reply_posts += 1
                if wp.reply_answer is not None:
                    return (*wp.reply_answer, {})
            return got

        wp.handle = answering
        wp.source = (wp_block("blog", wp.base, "TEST_SHAPES_WP_PW"), {"TEST_SHAPES_WP_PW": "wp-pw"})
        yield wp


@pytest.fixture(scope="module")
def discourse():
    with serving(ChangingDiscourse(), FakeDiscourse.load_fixture, discourse_source) as fake:
        yield fake


@pytest.fixture(scope="module")
def decidim():
    with serving(ChangingDecidim(), seed_decidim, decidim_source) as fake:
        yield fake


@pytest.fixture(scope="module")
def govocal():
    with serving(ChangingGoVocal(), seed_govocal, govocal_source) as fake:
        yield fake


CHANGES = st.tuples(st.integers(0, 6), st.integers(0, 10**6), WRONG)
#: How many JSON answers each platform's fake gives one ``sync --once``: a change's k is
#: taken modulo it, so that every example changes an answer (WordPress gives two: most
#: k of 0..6 changed nothing, and the example passed without reaching the connector).
ANSWERS = {"wordpress": 2, "discourse": 3, "decidim": 7, "govocal": 6}
#: And WordPress's to a decision written back.
WRITE_BACK_ANSWERS = 2


@pytest.mark.parametrize("platform", ["wordpress", "discourse", "decidim", "govocal"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change=CHANGES)
def test_a_wrong_shape_is_one_line_or_synced(request, healthy_site, platform, change) -> None:
    fake = request.getfixturevalue(platform)
    k, pick, wrong = change
    k %= ANSWERS[platform]
    fake.change, fake.answered = (k, pick, wrong), 0
    try:
        code, printed, db = sync_once(*fake.source, healthy_site, healthy_inline=True)
    finally:
        fake.change = None
    assert fake.answered > k, "the sync ended before the changed answer"
    assert_one_line_or_synced(code, printed, db, source_name(fake.source[0]))


def assert_one_line_or_synced(code: int, printed: str, db: Any, name: str) -> None:
    """The source synced, or failed with one line that says what is wrong (not Python's
    exception name alone), recorded as its error; the healthy site synced either way."""
    assert "Traceback" not in printed
    assert f"site: {HEALTHY} new, 0 updated" in printed, printed
    errors = error_lines(printed, name)
    if code == 0:
        assert not errors and stored_error(db, name) is None, printed
        return
    assert code == 1, printed
    assert len(errors) == 1, printed
    said = errors[0].split(": error: ", 1)[1]
    assert not said.startswith("unexpected "), printed
    assert stored_error(db, name) == said


# -- answers that are no JSON, or no answer: statuses, bodies, waits -----------------------

#: What a server may put in Retry-After: seconds (huge, negative, fractional, infinite),
#: an HTTP date (any year), junk.
RETRY_AFTER = st.one_of(
    st.integers(-(10**6), 10**30).map(str),
    st.floats(allow_nan=True).map(str),
    st.sampled_from(["1e400", "inf", "-inf", "nan", "", "soon", "0x10"]),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")),
)
JSON_TYPE = {"Content-Type": "application/json; charset=utf-8"}
FAULTS = st.one_of(
    st.builds(
        lambda status, wait: Fault(status, b"", {"Retry-After": wait} if wait else {}),
        st.sampled_from([401, 403, 404, 410, 429, 500, 502, 503]),
        st.one_of(st.none(), RETRY_AFTER),
    ),
    st.builds(lambda status: Fault(status, b"", {"Location": "/"}), st.sampled_from([301, 302])),
    st.builds(
        lambda body: Fault(200, body, JSON_TYPE),
        st.sampled_from(
            [b"", b"\xef\xbb\xbf[]", b"\xff\xfe[]", b'{"a": "caf\xe9"}', b'[{"id": 1', b"null"]
        ),
    ),
    st.just(Fault(200, b"<html><h1>Database error</h1></html>", {"Content-Type": "text/html"})),
)
#: Where each platform lists what it has (the answers a fault takes the place of).
LISTING = {
    "wordpress": "/wp-json/wp/v2/comments",
    "discourse": "/posts.json",
    "decidim": "/api",
    "govocal": "/api/v2/comments",
}


@pytest.fixture(scope="module")
def wordpress_proxy(wordpress):
    proxy = FaultProxy(wordpress.base)
    proxy.start()
    proxy.source = (wp_block("blog", proxy.url, "TEST_SHAPES_WP_PW"), wordpress.source[1])
    yield proxy
    proxy.stop()


@pytest.mark.parametrize("platform", sorted(LISTING))
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fault=FAULTS)
@example(fault=Fault(429, b"", {"Retry-After": "1e400"}))
@example(fault=Fault(503, b"", {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}))
def test_a_fault_is_one_line_or_synced(request, healthy_site, platform, fault) -> None:
    if platform == "wordpress":
        fake = request.getfixturevalue("wordpress_proxy")
        fake.fault = fault
    else:
        fake = request.getfixturevalue(platform)
        fake.fail_next(
            fault.status, fault.body, fault.headers, path_prefix=LISTING[platform], times=99
        )
    try:
        code, printed, db = sync_once(*fake.source, healthy_site, healthy_inline=True)
    finally:
        if platform == "wordpress":
            fake.fault = None
        else:
            fake._faults.clear()
    assert_one_line_or_synced(code, printed, db, source_name(fake.source[0]))


# -- writing back: the answer to a moderation decision --------------------------------------


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change=CHANGES)
def test_a_wrong_shape_in_a_write_back_answer_is_one_line(wordpress, change) -> None:
    """A decision written back to WordPress whose answers (the k-th after the sync) has a
    value of a wrong kind: the outbox row is done, or waits or fails with one line that
    says what is wrong (not Python's exception name alone); the worker goes on."""
    k, pick, wrong = change
    k %= WRITE_BACK_ANSWERS  # every example changes one of them
    tmp = scratch("rv-writeback-")
    cfg = tmp / "reactieveld.toml"
    cfg.write_text(wordpress.source[0] + "fetch_process = false\n", encoding="utf-8")

    async def run() -> tuple[Any, list[Any]]:
        store = await SqliteStore.open(tmp / "m.db")
        engine = SyncEngine.from_config(load_config(cfg), store)
        try:
            assert (await engine.sync_source("blog")).ok
            cid = min(wordpress.comments)
            row = await store.get_by_external("blog", str(cid))
            assert row is not None
            now = row.response.remote_status
            to = RemoteStatus.SPAM if now is RemoteStatus.APPROVED else RemoteStatus.APPROVED
            await store.moderate([row.response.id], to, actor="t")
            wordpress.change, wordpress.answered = (k, pick, wrong), 0
            run = await OutboxWorker(store, engine.connectors).run_once()
            assert wordpress.answered > k, "the write-back ended before the changed answer"
            return run, await store.outbox_items()
        finally:
            wordpress.change = None
            await engine.aclose()
            await store.close()

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(*next(iter(wordpress.source[1].items())))
        run, items = asyncio.run(run())
    assert run.attempted == 1
    for item in items:
        if item.state.value != "done":
            error = item.last_error or ""
            assert error and "\n" not in error, item
            assert not error.removeprefix("blog: ").startswith("unexpected "), error


# -- writing back to Discourse and Decidim: any answer to a reply or a decision -------------

#: Where each platform takes a reply (Go Vocal takes none: its API cannot write).
REPLY_PATH = {"discourse": "/posts.json", "decidim": "/api"}
BODIES = st.sampled_from(
    [b"", b"<html><h1>Bad Gateway</h1></html>", b'{"errors": ["x"', b"null", b"[]", b'"ok"', b"7"]
)
WRITE_ANSWERS = st.one_of(
    st.builds(
        lambda status, body, wait: Fault(
            status, body, {**JSON_TYPE, **({"Retry-After": wait} if wait else {})}
        ),
        st.sampled_from([200, 201, 401, 403, 404, 409, 410, 422, 429, 500, 503]),
        BODIES,
        st.one_of(st.none(), RETRY_AFTER),
    ),
    st.tuples(st.integers(0, 10**6), WRONG),  # the platform's own answer, a value changed
)


def may_have_acted(answer: Any) -> bool:
    """Whether the platform may have taken the write: a success of any shape, or an
    error of the server's own (a 503 or 429 says it did not)."""
    if not isinstance(answer, Fault):
        return True
    return answer.status < 300 or (answer.status >= 500 and answer.status != 503)


@dataclass
class WriteBack:
    """What :func:`write_back` saw: the first pass's counts, the rows after the second,
    the writes the platform got in the first pass and in the second."""

    first: Any
    items: dict[str, Any]
    sent: int
    again: int


def write_back(
    fake: Any,
    healthy_site: Any,
    answer: Any,
    writes: Callable[[Request], bool],
    decide: Callable[[Any, int], Any],
) -> WriteBack:
    """Sync ``fake``'s source and the healthy site, ``decide`` (store, the source's
    first response's id) and moderate one of the site's comments, then write back with
    the source's requests of ``writes`` answered by ``answer`` (a :class:`Fault` or a
    (pick, wrong) change of the platform's own answer); a row not done is tried once
    more at once (no sync round between)."""
    name = source_name(fake.source[0])
    tmp = scratch("rv-write-")
    cfg = tmp / "reactieveld.toml"
    block = fake.source[0] + wp_block("site", healthy_site.base, "TEST_HEALTHY_SITE_PW")
    cfg.write_text(block.replace('url = "', 'fetch_process = false\nurl = "'), encoding="utf-8")

    def count() -> int:
        return sum(1 for r in fake.requests if writes(r))

    async def run() -> WriteBack:
        store = await SqliteStore.open(tmp / "m.db")
        engine = SyncEngine.from_config(load_config(cfg), store)
        try:
            for source in (name, "site"):
                assert (await engine.sync_source(source)).ok
            with sqlite3.connect(tmp / "m.db") as con:
                [(rid,)] = con.execute(
                    "SELECT r.id FROM responses r JOIN sources s ON s.id = r.source_id "
                    "WHERE s.name = ? ORDER BY r.id LIMIT 1",
                    (name,),
                )
            await decide(store, rid)
            row = await store.get_by_external("site", str(min(healthy_site.comments)))
            assert row is not None
            now = row.response.remote_status
            to = RemoteStatus.SPAM if now is RemoteStatus.APPROVED else RemoteStatus.APPROVED
            await store.moderate([row.response.id], to, actor="t")
            worker = OutboxWorker(store, engine.connectors, base_delay=0.0)
            fake.only = writes
            if isinstance(answer, Fault):
                fake.fault = Reply(answer.status, answer.body, answer.headers)
            else:
                fake.change, fake.answered = (0, *answer), 0
            before = count()
            first = await worker.run_once()
            fake.fault = fake.change = fake.only = None
            fake.acts = False
            sent = count()
            items = {i.action.source: i for i in await store.outbox_items()}
            if items[name].state.value == "pending":
                await worker.apply_one(items[name])
            again = count() - sent
            items = {i.action.source: i for i in await store.outbox_items()}
            return WriteBack(first, items, sent - before, again)
        finally:
            fake.fault = fake.change = fake.only = None
            fake.acts = False
            await engine.aclose()
            await store.close()

    with pytest.MonkeyPatch.context() as mp:
        for var, value in {**fake.source[1], "TEST_HEALTHY_SITE_PW": HEALTHY_PASSWORD}.items():
            mp.setenv(var, value)
        no_retry_waits(mp)
        seen = asyncio.run(run())
    assert seen.first.attempted == 2, seen.first
    assert seen.sent >= 1, f"nothing was written: {seen.items[name].last_error}"
    assert seen.items["site"].state.value == "done", seen.items["site"]
    item = seen.items[name]
    if item.state.value != "done":
        error = item.last_error or ""
        assert error and "\n" not in error, item
        assert error.startswith(f"{name}: "), error
        assert not error.removeprefix(f"{name}: ").startswith("unexpected "), error
    return seen


def approving(rid: int) -> Callable[[Any, int], Any]:
    """The decision to approve Discourse's post held for approval as review item ``rid``."""

    async def approve(store: Any, _first: int) -> None:
        row = await store.get_by_external("forum", f"queued-{rid}")
        assert row is not None
        await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="t")

    return approve


@pytest.mark.parametrize("platform", sorted(REPLY_PATH))
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=WRITE_ANSWERS)
@example(answer=Fault(500, b"", JSON_TYPE))
def test_any_answer_to_a_reply_is_one_line_and_no_second_reply(
    request, healthy_site, platform, answer
) -> None:
    """A reply written back to Discourse or Decidim gets any status or body, or its own
    answer with a value of a wrong kind: the outbox row is done, or waits or fails with one
    line naming the source (not Python's exception name alone); a reply the platform may
    have taken is not posted again before a sync round has looked; the decision of the
    other source in the same pass goes through."""
    fake = request.getfixturevalue(platform)
    path = REPLY_PATH[platform]

    async def reply(store: Any, rid: int) -> None:
        await store.reply(rid, "Dank voor uw reactie.", actor="t")

    seen = write_back(
        fake, healthy_site, answer, lambda r: r.method == "POST" and r.path == path, reply
    )
    if may_have_acted(answer) and seen.first.done < 2:  # its row was not done at first
        assert seen.again == 0, f"the reply was posted again: {seen.items}"


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=WRITE_ANSWERS)
@example(answer=Fault(200, b"[]", JSON_TYPE))
@example(answer=(0, [1]))
def test_any_answer_to_a_review_decision_is_one_line_or_done(
    discourse, healthy_site, answer
) -> None:
    """A decision on a post held for approval in Discourse (PUT .../perform/approve_post)
    gets any status or body, or its own answer with a value of a wrong kind: a success of
    any shape is the decision done (it was performed: asking again gives a 409, a
    conflict the moderator never had); anything else is one line naming the source."""
    rid = discourse.queue_post(7, "Een nieuwe bijdrage die op goedkeuring wacht.")

    perform = f"/review/{rid}/perform/"
    seen = write_back(
        discourse,
        healthy_site,
        answer,
        lambda r: r.method == "PUT" and r.path.startswith(perform),
        approving(rid),
    )
    if not isinstance(answer, Fault) or answer.status < 300:
        assert seen.items["forum"].state.value == "done", seen.items["forum"]


def test_a_review_decision_performed_before_an_error_is_done(discourse, healthy_site) -> None:
    """Discourse performed the decision but its answer was an error (a proxy's 502, a
    500 after the change was saved): trying again is refused with a 409, the version
    having moved on. The review item already has the status the decision asked for, so
    the decision is done, not a conflict the moderator never had."""
    rid = discourse.queue_post(7, "Nog een bijdrage die op goedkeuring wacht.")

    perform = f"/review/{rid}/perform/"
    discourse.acts = True
    seen = write_back(
        discourse,
        healthy_site,
        Fault(502, b"<html><h1>Bad Gateway</h1></html>", {"Content-Type": "text/html"}),
        lambda r: r.method == "PUT" and r.path.startswith(perform),
        approving(rid),
    )
    assert discourse.reviewables[rid]["status"] == 1  # approved, once
    assert seen.items["forum"].state.value == "done", seen.items["forum"]


# -- a reply made, answered with a success that names no comment -----------------------

#: Values in the place of the new comment's id that name none.
NO_ID = st.sampled_from([None, "", "0", 0, -3, True, 1.5, "12a", "x", [], {}, [7]])
#: A success to a reply's POST that names no new comment, per connector: an id that is
#: none, the id left out, a body of another shape. (Not Decidim's ``addComment: null``:
#: its resolver's answer to a form it refuses, comments closed; test_decidim holds it.)
NO_ID_ANSWERS = {
    "wordpress": st.one_of(
        NO_ID.map(lambda v: {"id": v, "status": "approved"}),
        st.sampled_from([{}, {"status": "approved"}, [], None, "ok", 7]),
    ),
    "discourse": st.one_of(
        NO_ID.map(lambda v: {"id": v, "topic_id": 1}),
        st.sampled_from([{}, {"action": "create_post"}, [], None, "ok", 7]),
    ),
    "decidim": st.one_of(
        NO_ID.map(lambda v: {"data": {"commentable": {"addComment": {"id": v}}}}),
        st.sampled_from(
            [
                {"data": {"commentable": {"addComment": {}}}},
                {"data": {"commentable": {"addComment": []}}},
                {"data": {"commentable": {}}},
                {"data": {"commentable": None}},
                {"data": {}},
                [],
            ]
        ),
    ),
}
REPLY_WORDS = (f"Dank voor uw reactie ({n})." for n in itertools.count(1))


@pytest.mark.parametrize("platform", sorted(NO_ID_ANSWERS))
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_reply_made_but_answered_without_its_id_is_not_sent_twice(request, platform, data):
    """The platform makes the reply and answers with a success that names no comment:
    the row is not refused (the moderator would send it again) nor sent again before a
    sync round has looked; it says, in the reader's language, that the platform may
    have it; the next round finds the platform's copy and the row is done. One POST."""
    answer = data.draw(NO_ID_ANSWERS[platform], label="answer")
    fake = request.getfixturevalue(platform)
    name = source_name(fake.source[0])
    words = next(REPLY_WORDS)
    tmp = scratch("rv-noid-")
    cfg = tmp / "reactieveld.toml"
    cfg.write_text(fake.source[0] + "fetch_process = false\n", encoding="utf-8")

    def replying(r: Request) -> bool:
        if r.method != "POST" or r.path != REPLY_PATH[platform]:
            return False
        return platform != "decidim" or "AddComment" in str(r.json().get("operationName"))

    def posts() -> int:
        if platform == "wordpress":
            return int(fake.reply_posts)
        return sum(1 for r in fake.requests if replying(r))

    async def run() -> tuple[list[str], list[Any]]:
        store = await SqliteStore.open(tmp / "m.db")
        engine = SyncEngine.from_config(load_config(cfg), store)
        outcomes: list[str] = []
        try:
            assert (await engine.sync_source(name)).ok
            if platform == "wordpress":  # a resident's comment on a post open for comments
                ext = next(
                    c["id"]
                    for c in fake.comments.values()
                    if c["post"] != len(fake.posts) and c["author"] == 0
                )
                row = await store.get_by_external(name, str(ext))
                assert row is not None
                rid = row.response.id
            else:
                with sqlite3.connect(tmp / "m.db") as con:
                    [(rid,)] = con.execute(  # not a post held for approval: no reply to it
                        "SELECT r.id FROM responses r JOIN sources s ON s.id = r.source_id "
                        "WHERE s.name = ? AND r.external_id NOT LIKE 'queued-%' "
                        "ORDER BY r.id LIMIT 1",
                        (name,),
                    )
            await store.reply(rid, words, actor="t")
            worker = OutboxWorker(store, engine.connectors, base_delay=0.0)
            if platform == "wordpress":
                fake.reply_answer = (201, answer)
            else:
                fake.only = replying
                fake.fault, fake.acts = Reply(200, answer, JSON_TYPE), True
            [item] = await store.outbox_due()
            outcomes.append(await worker.apply_one(item))
            fake.reply_answer = fake.fault = fake.only = None
            fake.acts = False
            [item] = await store.outbox_items()
            told = [item.last_error or ""]
            outcomes.append(await worker.apply_one(item))  # at once: no round between
            assert (await engine.sync_source(name)).ok
            items = await store.outbox_items()
            return outcomes + told, items
        finally:
            fake.reply_answer = fake.fault = fake.only = None
            fake.acts = False
            await engine.aclose()
            await store.close()

    before = posts()
    with pytest.MonkeyPatch.context() as mp:
        for var, value in fake.source[1].items():
            mp.setenv(var, value)
        no_retry_waits(mp)
        (first, second, told), items = asyncio.run(run())
    assert (first, second) == ("retry", "waiting"), told
    assert told.startswith(f"{name}: ") and told.endswith(UNSURE), told
    said = error_in_language(told, "nl")
    assert said.endswith(text("conn.reply_unsure", "nl", error="")), said
    assert posts() - before == 1
    [item] = items
    assert item.state.value == "done", item
