"""The memory sinks follow a tagged response after its tagging: an edit on the platform
read by a sync is ``updated``; trash or spam (by the moderator, or on the platform as a
sync reads it) is ``retracted``; coming back is ``tagged`` again; a hold keeps it
(``updated``, its record says "hold"). On both backends, through a sync of the fake
WordPress, into a real JSONL file."""

from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.figures import Clock
from helpers.store import open_store, page, resp, sql
from helpers.wpsite import Site
from hypothesis import given, settings
from hypothesis import strategies as st
from reportdata import RESPONSES, T0, D, build

from reactieveld.model import CAPABILITY_FOR_STATUS, Page, RemoteStatus, Thread
from reactieveld.sinks import GONE, JsonlSink, SinkWorker
from reactieveld.store.open import open_store as open_any
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine


@pytest.fixture
async def env(store_target, tmp_path):
    site = Site()
    site.fake.comments = {i: c for i, c in site.fake.comments.items() if i <= 30}
    site.fake.ids = sorted(site.fake.comments)
    store = await open_store(store_target)
    cfg, conn = site.source(attempts=2)
    conn.reread_seconds = 1e-9  # every round re-reads the site (its daily re-read: edits)
    engine = SyncEngine(store, [(cfg, conn)])
    assert (await engine.sync_source("blog")).ok
    sink = JsonlSink(tmp_path / "geheugen" / "reacties.jsonl")
    worker = SinkWorker(store, [sink])
    yield site, store, engine, worker, store_target
    await worker.aclose()
    await engine.aclose()
    await store.close()


def lines(worker: SinkWorker) -> list[dict]:
    path = worker.sinks[0].path
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def said(worker: SinkWorker, start: int) -> list[tuple[str, str, str]]:
    """(event, cause, external id) of the file's lines from ``start`` on."""
    return [(e["event"], e["cause"], e["response"]["external_id"]) for e in lines(worker)[start:]]


async def test_edits_removals_and_returns_reach_the_sink(env):
    site, store, engine, worker, _ = env
    a, b = [i for i in site.fake.ids if site.fake.comments[i]["status"] == "approved"][:2]
    ra = (await store.get_by_external("blog", str(a))).response.id
    rb = (await store.get_by_external("blog", str(b))).response.id
    await store.toggle_question([ra, rb], "1", actor="anna")
    await worker.run_once()
    assert said(worker, 0) == [("tagged", "tag", str(a)), ("tagged", "tag", str(b))]

    # 1. The author edits a on the site; the next sync stores it; the sink gets it.
    edited = "Ik bedoelde het fietspad aan de Brink, niet de parkeerplaats."
    site.fake.comments[a]["content"] = {"raw": edited, "rendered": f"<p>{edited}</p>\n"}
    assert (await engine.sync_source("blog")).ok
    run = await worker.run_once()
    assert (run.enqueued, run.delivered) == (1, 1)
    [update] = lines(worker)[2:]
    assert (update["event"], update["cause"], update["journal_id"]) == ("updated", "sync", None)
    assert update["response"]["body"] == edited

    # 2. The moderator trashes b (personal data): retracted, none of its words kept.
    await store.moderate([rb], RemoteStatus.TRASH, actor="anna")
    await worker.run_once()
    [gone] = lines(worker)[3:]
    assert (gone["event"], gone["cause"]) == ("retracted", "moderate")
    assert set(gone["response"]) == {"id", "source", "external_id", "url"}
    assert gone["journal_id"] is not None

    # 3. a is trashed on the platform, then marked spam there: one retraction (by the sync).
    site.fake.comments[a]["status"] = "trash"
    assert (await engine.sync_source("blog")).ok
    await worker.run_once()
    site.fake.comments[a]["status"] = "spam"
    assert (await engine.sync_source("blog")).ok
    await worker.run_once()
    assert said(worker, 4) == [("retracted", "sync", str(a))]

    # 4. Both come back while still tagged: tagged again, whole.
    await store.moderate([rb], RemoteStatus.APPROVED, actor="anna")
    site.fake.comments[a]["status"] = "approved"
    assert (await engine.sync_source("blog")).ok
    await worker.run_once()
    back = lines(worker)[5:]
    assert sorted(said(worker, 5)) == sorted(
        [("tagged", "moderate", str(b)), ("tagged", "sync", str(a))]
    )
    assert all(e["response"]["body"] and e["response"]["questions"] for e in back)

    # 5. A hold keeps it (not removed, only not public yet): updated, saying "hold".
    await store.moderate([rb], RemoteStatus.HOLD, actor="anna")
    await worker.run_once()
    [held] = lines(worker)[7:]
    assert (held["event"], held["response"]["remote_status"]) == ("updated", "hold")

    # Nothing doubled: a pass with nothing new, and a sync that changes nothing, send nothing.
    assert (await engine.sync_source("blog")).ok
    assert (await worker.run_once()).enqueued == 0
    assert len(lines(worker)) == 8


async def test_a_thread_retitled_on_the_platform_is_an_update(env):
    site, store, engine, worker, target = env
    a = next(i for i in site.fake.ids if site.fake.comments[i]["status"] == "approved")
    ra = (await store.get_by_external("blog", str(a))).response.id
    await store.toggle_question([ra], "2", actor="anna")
    await worker.run_once()
    # A page of a sync with the thread's new title (the fake site's posts have no
    # modified date, which the connector's re-read of threads asks for).
    post = site.fake.posts[site.fake.comments[a]["post"]]
    retitled = Thread("blog", str(post["id"]), "Plan Brink (herzien)", post["link"])
    await store.upsert_page("blog", Page(threads=[retitled]))
    # Two workers on one memory (e.g. the service and an app): the change goes out once.
    other = await open_any(target)
    try:
        second = SinkWorker(other, [JsonlSink(worker.sinks[0].path)])
        assert await worker.collect(worker.sinks[0]) + await second.collect(second.sinks[0]) == 1
    finally:
        await other.close()
    await worker.run_once()
    [update] = lines(worker)[1:]
    assert (update["event"], update["cause"]) == ("updated", "sync")
    assert update["response"]["thread"]["title"] == "Plan Brink (herzien)"


@settings(max_examples=30, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            # A moderator sets what a moderator can; a sync reads any status.
            st.tuples(st.just("moderator"), st.sampled_from(list(CAPABILITY_FOR_STATUS))),
            st.tuples(st.just("platform"), st.sampled_from(list(RemoteStatus))),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_sink_holds_a_tagged_response_exactly_while_it_is_public(tmp_path_factory, steps):
    """Any sequence of status changes, by the moderator or read by a sync, each followed
    by a pass: the sink's last word on the response is its record with that status while
    it is not trashed, spam, hidden or deleted (a hold keeps it), and a retraction
    otherwise; a pass sends at most one delivery for it."""
    built, ids = _built(tmp_path_factory)
    path = tmp_path_factory.mktemp("m") / "m.db"
    for part in built.parent.glob(built.name + "*"):  # the file and its author key
        shutil.copyfile(part, path.with_name(part.name))
    with pytest.MonkeyPatch.context() as mp:
        Clock(mp, T0 + 4 * D)  # as build leaves it
        asyncio.run(_statuses(path, ids, steps))


#: The report's memory (reportdata.build), built once per session and copied for each
#: generated example: building it was a third of the test's time.
_BUILT: dict[object, tuple[Path, dict[str, int]]] = {}


def _built(tmp_path_factory) -> tuple[Path, dict[str, int]]:  # noqa: ANN001
    key = tmp_path_factory.getbasetemp()
    if key not in _BUILT:
        path = tmp_path_factory.mktemp("built") / "m.db"

        async def made() -> dict[str, int]:
            with pytest.MonkeyPatch.context() as mp:
                store, ids = await build(path, mp)
                await store.close()  # the WAL checkpointed: the file is all of it
                return ids

        _BUILT[key] = (path, asyncio.run(made()))
    return _BUILT[key]


async def _statuses(path, ids, steps) -> None:  # noqa: ANN001
    store = await SqliteStore.open(path)
    worker = SinkWorker(store, [JsonlSink(path.with_suffix(".jsonl"))])
    [r1] = [r for r in RESPONSES["blog"] if r.external_id == "r1"]  # tagged 1 and 2
    try:
        await worker.run_once()
        for who, status in steps:
            before = len(lines(worker))
            if who == "moderator":
                await store.moderate([ids["r1"]], status, actor="anna")
            else:
                await store.upsert_page("blog", Page(responses=[replace(r1, remote_status=status)]))
            await worker.run_once()
            row = await store.get_by_external("blog", "r1")
            assert row is not None
            now = row.response.remote_status
            assert len(lines(worker)) - before <= 1
            last = [e for e in lines(worker) if e["response"]["external_id"] == "r1"][-1]
            if now in GONE:
                assert last["event"] == "retracted"
            else:
                assert last["event"] != "retracted"
                assert last["response"]["remote_status"] == now.value
    finally:
        await worker.aclose()
        await store.close()


async def test_a_moderator_role_s_decision_and_sync_reach_the_sink(pg_cluster, pg_url, tmp_path):
    """On PostgreSQL as a login role granted reactieveld_moderator (not the owner): its
    decision and its sync write the change of a tagged response (the triggers run as it),
    and its sinks' worker reads them."""
    owner = await open_any(pg_url)
    await owner.close()
    store = await open_store(pg_cluster.role_url(pg_url, "mona", "reactieveld_moderator"))
    worker = SinkWorker(store, [JsonlSink(tmp_path / "m.jsonl")])
    try:
        one = resp("1", "Het fietspad is te smal.", source="blog")
        await store.upsert_page("blog", page(one))
        row = await store.get_by_external("blog", "1")
        await store.toggle_question([row.response.id], "1", actor="mona")
        await store.upsert_page("blog", page(replace(one, body_text="Het fietspad is smal.")))
        await worker.run_once()
        await store.moderate([row.response.id], RemoteStatus.SPAM, actor="mona")
        await worker.run_once()
        assert said(worker, 0) == [("tagged", "tag", "1"), ("retracted", "moderate", "1")]
        assert lines(worker)[0]["response"]["body"] == "Het fietspad is smal."
    finally:
        await worker.aclose()
        await store.close()


async def _changes(store) -> int:
    return (await sql(store, "SELECT count(*) FROM sink_changes"))[0][0]


async def test_sink_changes_are_pruned_once_every_sink_read_them(env, monkeypatch):
    """sink_changes got a row for every change of a tagged response, sinks or none (84 in
    the demo), and none was ever deleted. Now what every sink has read goes, in batches
    (here of 2), at each sync and each pass of the sinks' worker (the newest row stays):
    all of it while no sink has a position; a sink added after that still gets every
    tagged response once, as it is now (it starts from the journal and the current
    records)."""
    import reactieveld.store.pg.sinks as pg_sinks
    import reactieveld.store.sinks as sqlite_sinks

    monkeypatch.setattr(sqlite_sinks, "PRUNE_BATCH", 2)
    monkeypatch.setattr(pg_sinks, "PRUNE_BATCH", 2)
    site, store, engine, worker, _ = env
    approved = [i for i in site.fake.ids if site.fake.comments[i]["status"] == "approved"][:5]
    rids = [(await store.get_by_external("blog", str(i))).response.id for i in approved]
    await store.toggle_question(rids, "1", actor="anna")

    def edit(n: int) -> None:
        for i in approved:
            said_now = f"Versie {n} van reactie {i}."
            site.fake.comments[i]["content"] = {"raw": said_now, "rendered": f"<p>{said_now}</p>"}

    # No sink anywhere: each sync's changes (5) go at its end.
    for n in range(3):
        edit(n)
        assert (await engine.sync_source("blog")).ok
        assert await _changes(store) == 1  # the newest stays (SQLite's next id)
    # A sink added now: every tagged response once, with its latest text.
    await worker.run_once()
    got = lines(worker)
    assert sorted(e["response"]["external_id"] for e in got) == sorted(map(str, approved))
    assert {e["event"] for e in got} == {"tagged"}
    assert {e["response"]["body"] for e in got} == {f"Versie 2 van reactie {i}." for i in approved}
    # One sink: a sync keeps what the sink has not read; its pass reads and prunes it.
    for n in range(3, 6):
        edit(n)
        assert (await engine.sync_source("blog")).ok
        assert await _changes(store) == len(approved)  # unread (the kept one was read)
        run = await worker.run_once()
        assert run.delivered == len(approved)
        assert await _changes(store) == 1
    assert len(lines(worker)) == 4 * len(approved)


class Died(Exception):
    """The process's end, as a test can have it."""


async def test_a_pass_that_dies_before_its_commit_enqueues_the_change_once(env, monkeypatch):
    """A crash while a sync's change is being enqueued (here: inside the transaction that
    moves the positions) leaves nothing; the next pass enqueues it once."""
    site, store, engine, worker, _ = env
    a = next(i for i in site.fake.ids if site.fake.comments[i]["status"] == "approved")
    ra = (await store.get_by_external("blog", str(a))).response.id
    await store.toggle_question([ra], "1", actor="anna")
    await worker.run_once()
    site.fake.comments[a]["status"] = "spam"
    assert (await engine.sync_source("blog")).ok
    real = store.sink_advance

    async def dies(*args, plan, **kw):
        def planned_then_dead(state):
            assert plan(state)  # the retraction was planned, inside the transaction
            raise Died("the machine went down")

        return await real(*args, plan=planned_then_dead, **kw)

    monkeypatch.setattr(store, "sink_advance", dies)
    with pytest.raises(Died):
        await worker.collect(worker.sinks[0])
    monkeypatch.setattr(store, "sink_advance", real)
    await worker.run_once()
    await worker.run_once()
    assert said(worker, 0) == [("tagged", "tag", str(a)), ("retracted", "sync", str(a))]


#: Each field of a response's record a sync (or a write-back's rename) can change, and the
#: change made to it: the sink must hear of each (before: only the text, author name,
#: status and thread title were followed).
_FIELDS = {
    "external_id": lambda r: replace(r, external_id=f"{r.external_id}-post"),  # renamed
    "url": lambda r: replace(r, url=f"https://blog.example/{r.external_id}/nieuw"),
    "parent_external_id": lambda r: replace(r, parent_external_id="ouder"),
    "author_url": lambda r: replace(r, author_url="https://anna.example"),
    "body_format": lambda r: replace(r, body_format="markdown"),
    "updated_at": lambda r: replace(r, updated_at=r.created_at + timedelta(hours=1)),
    "thread_external_id": lambda r: replace(r, thread_external_id="p2"),
}


async def test_every_field_a_sync_changes_of_a_tagged_response_reaches_the_sink(
    store_target, tmp_path
):
    """A tagged response renamed (a Discourse post approved from the review queue: queued-7
    becomes its post's id and url), moved, given a parent, an author's address, another
    text format, an edit time, or its thread a new address: the sink gets the record anew,
    once (before: it kept the old id and address for ever)."""
    store = await open_store(store_target)
    worker = SinkWorker(store, [JsonlSink(tmp_path / "s.jsonl")])
    try:
        old = {f: resp(f, f"Over {f}.", thread=f"t-{f}") for f in [*_FIELDS, "thread_url"]}
        threads = [Thread("blog", f"t-{f}", f"Plan {f}", f"https://x.example/t-{f}") for f in old]
        await store.upsert_page("blog", page(*old.values(), threads=threads))
        ids = {f: (await store.get_by_external("blog", f)).response.id for f in old}
        await store.toggle_question(list(ids.values()), "1", actor="anna")
        await worker.run_once()
        new = [change(old[f]) for f, change in _FIELDS.items()]
        moved = [replace(threads[-1], url="https://x.example/t-thread_url/nieuw")]
        changed = Page(responses=new, threads=moved, renamed={"external_id": new[0].external_id})
        await store.upsert_page("blog", changed)
        assert (await worker.run_once()).enqueued == len(old)
        updates = {e["response"]["id"]: e for e in lines(worker)[len(old) :]}
        assert set(updates) == set(ids.values())
        assert {e["event"] for e in updates.values()} == {"updated"}
        assert updates[ids["external_id"]]["response"]["external_id"] == "external_id-post"
        # The same page again changes nothing: nothing sent.
        await store.upsert_page("blog", changed)
        assert (await worker.run_once()).enqueued == 0
    finally:
        await worker.aclose()
        await store.close()


async def test_two_memories_writing_to_one_sink_give_different_delivery_ids(env, tmp_path):
    """Two memories (here the env's and a SQLite file synced from the same site) wrote
    ``jsonl:<path>#1``, ``#2`` … both to one file: a receiver that drops repeats lost the
    second memory's events. Now the memory's own id leads each delivery id."""
    site, store, engine, worker, _ = env
    other = await open_store(str(tmp_path / "tweede.db"))
    cfg, conn = site.source(attempts=2)
    engine2 = SyncEngine(other, [(cfg, conn)])
    try:
        assert (await engine2.sync_source("blog")).ok
        approved = [i for i in site.fake.ids if site.fake.comments[i]["status"] == "approved"]
        for s, ext in ((store, approved[0]), (other, approved[1])):
            rid = (await s.get_by_external("blog", str(ext))).response.id
            await s.toggle_question([rid], "1", actor="anna")
        second = SinkWorker(other, [JsonlSink(worker.sinks[0].path)])
        try:
            await worker.run_once()
            await second.run_once()
            await worker.run_once()  # the same memory again: its id does not change
        finally:
            await second.aclose()
        ids = [e["delivery_id"] for e in lines(worker)]
        assert len(ids) == 2 and len(set(ids)) == 2
        assert all(i.endswith(f"/{worker.sinks[0].key}#1") for i in ids)
    finally:
        await engine2.aclose()
        await other.close()


async def test_a_new_sink_misses_no_change_pruned_during_its_first_pass(env, tmp_path):
    """A sink added while another had read far ahead had no position row during its first
    pass: a change made during that pass (after it read the records) was pruned by the
    other's pass before the new sink recorded its position, and its edit never reached
    the new sink. Now the worker records a position at the beginning before its first
    read. The steps run in the racy order."""
    site, store, engine, worker, _ = env
    approved = [i for i in site.fake.ids if site.fake.comments[i]["status"] == "approved"][:3]
    rids = [(await store.get_by_external("blog", str(i))).response.id for i in approved]
    await store.toggle_question(rids, "1", actor="anna")
    await worker.run_once()  # the first sink has read everything
    new = SinkWorker(store, [JsonlSink(tmp_path / "nieuw.jsonl")])
    get_many = store.get_many
    raced = []

    async def racy(ids):  # noqa: ANN001, ANN202
        rows = await get_many(ids)  # the new sink has read the records as they were
        if not raced:
            raced.append(True)
            for i in approved:
                now = f"Later bewerkt: reactie {i}."
                site.fake.comments[i]["content"] = {"raw": now, "rendered": f"<p>{now}</p>"}
            assert (await engine.sync_source("blog")).ok
            await worker.run_once()  # the first sink reads the edits; its pass prunes
        return rows

    new.store = replace_get_many(store, racy)
    try:
        await new.run_once()
        await new.run_once()
        path = new.sinks[0].path
        got = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        last = {e["response"]["external_id"]: e["response"]["body"] for e in got}
        assert last == {str(i): f"Later bewerkt: reactie {i}." for i in approved}
    finally:
        await new.aclose()


class replace_get_many:  # noqa: N801 - a stand-in store
    """The store, with ``get_many`` replaced."""

    def __init__(self, store, get_many) -> None:  # noqa: ANN001
        self._store, self.get_many = store, get_many

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._store, name)
