"""The outbox worker offline: retry with backoff, give up on refusals, unknown sources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.store import open_store
from helpers.wpsite import Site

from reactieveld.connectors.registry import SecretUnset
from reactieveld.model import Action, Capability, RemoteStatus, utcnow
from reactieveld.outbox import OutboxWorker
from reactieveld.sync import SyncEngine


@pytest.fixture
async def env(store_target):
    site = Site()
    site.fake.comments = {i: c for i, c in site.fake.comments.items() if i <= 50}
    site.fake.ids = sorted(site.fake.comments)
    store = await open_store(store_target)
    cfg, conn = site.source(attempts=2)
    engine = SyncEngine(store, [(cfg, conn)])
    assert (await engine.sync_source("blog")).ok
    yield site, store, engine, store_target
    await engine.aclose()
    await store.close()


def posts_answered(site, status: int, code: str, message: str):
    """The fake site answers every POST (a write-back) with ``status``; its own handler,
    returned, puts it right again."""
    original = site.fake.handle

    def answering(method, path, q, body, auth):
        if method == "POST":
            return status, {"code": code, "message": message}, {}
        return original(method, path, q, body, auth)

    site.fake.handle = answering
    return original


async def test_retry_later_then_applied_after_restart(env):
    site, store, engine, db = env
    target = next(i for i in site.fake.ids if site.fake.comments[i]["status"] == "hold")
    row = await store.get_by_external("blog", str(target))
    await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="t")

    original = posts_answered(site, 503, "maintenance", "Briefly unavailable")
    worker = OutboxWorker(store, engine.connectors, base_delay=60)
    run = await worker.run_once()
    assert (run.retry, run.done) == (1, 0)
    [item] = await store.outbox_items()
    assert item.state.value == "pending" and "HTTP 503" in item.last_error
    assert item.next_attempt_at > utcnow() + timedelta(seconds=30)  # backoff, not a spin
    assert await store.outbox_due() == []  # not due yet

    # "Restart": a new store and worker on the same memory; the row is still there.
    site.fake.handle = original
    await store.close()
    store2 = await open_store(db)
    try:
        [item] = await store2.outbox_due(now=utcnow() + timedelta(hours=2))
        worker2 = OutboxWorker(store2, engine.connectors)
        assert await worker2.apply_one(item) == "done"
        assert site.fake.comments[target]["status"] == "approved"
        [item] = await store2.outbox_items()
        assert item.state.value == "done"
    finally:
        await store2.close()


async def test_unknown_source_and_unsupported_capability_fail(env):
    site, store, engine, db = env
    row = await store.get_by_external("blog", "1")
    await store.enqueue(Action(Capability.HIDE, "blog", "1"), response_id=row.response.id)
    worker = OutboxWorker(store, {})
    run = await worker.run_once()
    assert run.failed == 1
    worker = OutboxWorker(store, engine.connectors)
    await store.enqueue(Action(Capability.HIDE, "blog", "1"), response_id=row.response.id)
    run = await worker.run_once()
    assert run.failed == 1
    failed = await store.outbox_items(states=["failed"])
    assert any("not configured" in i.last_error for i in failed)
    assert any("no hidden status" in i.last_error for i in failed)


async def test_a_decision_waits_for_an_unset_secret(env):
    """A source whose secret's variable is unset (its sync says so): its decisions stay
    waiting, with the variable as their error, and reach the site once it is set."""
    site, store, engine, db = env
    target = next(i for i in site.fake.ids if site.fake.comments[i]["status"] == "hold")
    row = await store.get_by_external("blog", str(target))
    await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="t")
    run = await OutboxWorker(
        store, {"blog": SecretUnset("blog", "password_env", "X_PW")}
    ).run_once()
    assert (run.retry, run.failed, run.done) == (1, 0, 0)
    [item] = await store.outbox_items()
    assert item.state.value == "pending" and "X_PW (password_env)" in item.last_error
    [item] = await store.outbox_due(now=utcnow() + timedelta(hours=2))
    assert await OutboxWorker(store, engine.connectors).apply_one(item) == "done"
    assert site.fake.comments[target]["status"] == "approved"


async def test_unexpected_exceptions_are_recorded_and_retried(env, monkeypatch):
    """An apply that raises what no connector should (a wrong-shaped answer, a bug) and a
    store that cannot record the outcome: the row keeps a one-line reason without the
    credential that says what is wrong and what to do, waits with backoff, and is applied
    on a later try."""
    site, store, engine, db = env
    target = next(i for i in site.fake.ids if site.fake.comments[i]["status"] == "hold")
    row = await store.get_by_external("blog", str(target))
    await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="t")
    conn = engine.connectors["blog"]
    real_apply = conn.apply

    async def broken(action):
        raise KeyError("status (sent with Authorization: Basic YWRtaW46cHdwd3B3cHc=)")

    monkeypatch.setattr(conn, "apply", broken)
    worker = OutboxWorker(store, engine.connectors, secrets={"blog": (("pwpwpwpw",), ("admin",))})
    run = await worker.run_once()
    assert (run.retry, run.done) == (1, 0)
    [item] = await store.outbox_items()
    assert item.state.value == "pending" and item.attempts == 1
    assert item.last_error.startswith(
        "blog: the platform's answer has a form reactieveld cannot read (KeyError: "
    )
    assert "YWRtaW46" not in item.last_error and "Basic ***" in item.last_error
    assert item.next_attempt_at > utcnow()

    # Applied, but the store fails to record it (the disk is full): retried, not lost.
    monkeypatch.setattr(conn, "apply", real_apply)
    real_done = store.outbox_done

    async def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "outbox_done", full)
    assert await worker.apply_one(item) == "retry"
    [item] = await store.outbox_items()
    assert item.last_error == "unexpected OSError: [Errno 28] No space left on device"

    monkeypatch.setattr(store, "outbox_done", real_done)
    [item] = await store.outbox_due(now=utcnow() + timedelta(hours=2))
    assert await worker.apply_one(item) == "done"  # setting a status twice is harmless
    assert site.fake.comments[target]["status"] == "approved"


async def test_worker_loop_outlives_a_failing_pass(env, monkeypatch):
    import asyncio

    site, store, engine, db = env
    worker = OutboxWorker(store, engine.connectors, poll_seconds=3600)
    calls: list[int] = []
    second = asyncio.Event()
    real_due = store.outbox_due

    async def due(**kw):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        second.set()
        return await real_due(**kw)

    monkeypatch.setattr(store, "outbox_due", due)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    while not calls:
        await asyncio.sleep(0)  # yield to the worker's first pass (no wall-clock wait)
    worker.wake()
    await asyncio.wait_for(second.wait(), 10)
    assert not task.done()
    stop.set()
    await asyncio.wait_for(task, 10)


async def test_a_refused_decision_pressed_again_is_applied(env):
    """The site refused an approval (a 403); once it would take it, the moderator presses
    the same key again: the worker reads the comment first as for every write-back and
    applies the new row. A comment the site changed meanwhile conflicts again, with its
    reason: a retry is no force."""
    site, store, engine, db = env
    held = [i for i in site.fake.ids if site.fake.comments[i]["status"] == "hold"][:2]
    rows = [await store.get_by_external("blog", str(i)) for i in held]
    rids = [r.response.id for r in rows]
    await store.moderate(rids, RemoteStatus.APPROVED, actor="t")
    original = posts_answered(site, 403, "rest_forbidden", "Sorry, not allowed.")
    worker = OutboxWorker(store, engine.connectors)
    assert (await worker.run_once()).failed == 2
    site.fake.handle = original
    site.fake.comments[held[1]]["status"] = "spam"  # someone on the site, meanwhile

    out = await store.moderate(rids, RemoteStatus.APPROVED, actor="t")
    assert len(out.outbox_ids) == 2
    run = await worker.run_once()
    assert (run.done, run.conflicts) == (1, 1)
    assert [site.fake.comments[i]["status"] for i in held] == ["approved", "spam"]
    done, conflict = [await store.outbox_items(response_id=rid, limit=1) for rid in rids]
    assert (done[0].id, done[0].state.value) == (out.outbox_ids[0], "done")
    assert (conflict[0].id, conflict[0].state.value) == (out.outbox_ids[1], "conflict")
    assert conflict[0].last_error
    assert [(await store.get(rid)).outbox_state for rid in rids] == ["done", "conflict"]


async def test_a_conflict_pressed_again_reaches_the_site_unless_it_changed_again(env):
    """A decision that conflicted (the comment's status changed on the site while its
    write-back waited, e.g. for the right application password) pressed again by the
    moderator, who was told the site's status by the conflict: the retry expects that
    status, so the site ends with the decision (before, each retry still expected the
    status first seen and conflicted again, for ever). A status changed again after the
    conflict conflicts once more: a retry is no force."""
    site, store, engine, db = env
    held = [i for i in site.fake.ids if site.fake.comments[i]["status"] == "hold"][:2]
    rids = [(await store.get_by_external("blog", str(i))).response.id for i in held]
    await store.moderate(rids, RemoteStatus.TRASH, actor="t")
    for i in held:
        site.fake.comments[i]["status"] = "approved"  # on the site, meanwhile
    worker = OutboxWorker(store, engine.connectors)
    assert (await worker.run_once()).conflicts == 2
    site.fake.comments[held[1]]["status"] = "spam"  # and once more, after the conflict

    out = await store.moderate(rids, RemoteStatus.TRASH, actor="t")
    assert len(out.outbox_ids) == 2
    run = await worker.run_once()
    assert (run.done, run.conflicts) == (1, 1)
    assert [site.fake.comments[i]["status"] for i in held] == ["trash", "spam"]
    assert [(await store.get(rid)).outbox_state for rid in rids] == ["done", "conflict"]
    out = await store.moderate(rids[1:], RemoteStatus.TRASH, actor="t")
    assert (await worker.run_once()).done == 1
    assert site.fake.comments[held[1]]["status"] == "trash"
