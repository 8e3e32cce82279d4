"""Sync and write-back against a REAL WordPress 6.1 (tools/wp-real).

Skipped with a hint when the server is not configured (see tests/wpreal.py). These
tests change the site (statuses, replies); every assertion compares with what WordPress
holds at that moment, never with the seed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import re
import time

import pytest
from wpreal import STATUSES, wp_from_env

from reactieveld.connectors.wordpress import WordPressConnector, comment_to_response
from reactieveld.model import RemoteStatus
from reactieveld.outbox import OutboxWorker
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, known_statuses

pytestmark = pytest.mark.wordpress


@pytest.fixture
def wp():
    return wp_from_env()


@pytest.fixture
async def store(tmp_path):
    s = await SqliteStore.open(tmp_path / "memory.db")
    yield s
    await s.close()


def engine_for(wp, store, **conn_kw):
    cfg = wp.source_config()
    conn = WordPressConnector(cfg.name, wp.url, username=wp.user, password=wp.password, **conn_kw)
    return SyncEngine(store, [(cfg, conn)]), conn


@contextlib.asynccontextmanager
async def synced(wp, store):
    """The engine and connector of ``engine_for`` and an outbox worker, after a first
    sync that went well; the engine is closed after."""
    engine, conn = engine_for(wp, store)
    try:
        assert (await engine.sync_source("blog")).ok
        yield engine, conn, OutboxWorker(store, engine.connectors)
    finally:
        await engine.aclose()


async def stored(store, source="blog") -> dict[str, str]:
    return {k: v.value for k, v in (await known_statuses(store, source)).items()}


@pytest.mark.parametrize("statuses", ["any", "each"])
async def test_full_sync_equals_wordpress_and_second_sync_adds_nothing(wp, store, statuses):
    engine, conn = engine_for(wp, store, statuses=statuses)
    try:
        first = await engine.sync_source("blog")
        assert first.ok, first.error
        truth = wp.truth()
        got = await stored(store)
        assert got == truth  # every id, every status: approved, hold, spam, trash
        assert first.new == len(truth)
        assert await store.count(QueueFilter(sources=("blog",))) == len(truth)

        before = conn.client.requests_sent
        second = await engine.sync_source("blog")
        assert second.ok and second.new == 0 and second.updated == 0
        # An idle poll of an unchanged site: one small request per status listing.
        assert conn.client.requests_sent - before == len(conn.status_values)
        assert await stored(store) == truth
    finally:
        await engine.aclose()


async def test_status_change_and_deletion_on_the_site_are_seen(wp, store):
    async with synced(wp, store) as (engine, conn, _worker):
        cid = wp.add_comment(f"Wijzig mij {time.time_ns()}", "hold")
        res = await engine.sync_source("blog")
        assert res.new == 1
        row = await store.get_by_external("blog", cid)
        assert row is not None and row.response.remote_status is RemoteStatus.HOLD

        with wp.client() as c:
            assert c.post(f"comments/{cid}", json={"status": "spam"}).status_code == 200
        conn.force_rescan()  # as if the periodic re-scan were due
        res = await engine.sync_source("blog")
        assert res.ok and res.updated >= 1
        row = await store.get_by_external("blog", cid)
        assert row.response.remote_status is RemoteStatus.SPAM

        with wp.client() as c:
            assert c.delete(f"comments/{cid}", params={"force": "true"}).status_code == 200
        conn.force_rescan()
        assert (await engine.sync_source("blog")).ok
        row = await store.get_by_external("blog", cid)
        assert row.response.remote_status is RemoteStatus.DELETED
        assert await stored(store) == {**wp.truth(), cid: "deleted"}


async def test_moderation_and_reply_are_written_back(wp, store):
    async with synced(wp, store) as (engine, conn, worker):
        rows = await store.queue(QueueFilter(sources=("blog",), statuses=(RemoteStatus.HOLD,)))
        assert len(rows) >= 4
        targets = {
            RemoteStatus.APPROVED: rows[0],
            RemoteStatus.SPAM: rows[1],
            RemoteStatus.TRASH: rows[2],
        }
        for status, row in targets.items():
            await store.moderate([row.response.id], status, actor="test")
        approved = targets[RemoteStatus.APPROVED].response
        run = await worker.run_once()
        assert (run.done, run.failed, run.conflicts) == (3, 0, 0)
        truth = wp.truth()
        for status, row in targets.items():
            assert truth[row.response.external_id] == status.value

        # hold: back from approved to hold
        await store.moderate([approved.id], RemoteStatus.HOLD, actor="test")
        assert (await worker.run_once()).done == 1
        assert wp.truth()[approved.external_id] == "hold"

        # reply, on a post with comments open
        open_row = next(
            r
            for r in rows[3:]
            if wp.closed_post is None or r.response.thread_external_id != str(wp.closed_post)
        )
        text = f"Dank voor uw reactie ({time.time_ns()})."
        await store.reply(open_row.response.id, text, actor="test")
        assert (await worker.run_once()).done == 1
        replies = wp.replies_to(open_row.response.external_id)
        # The reply goes as plain text made HTML (connectors/plaintext.py).
        assert any(r["content"]["raw"] == f"<p>{text}</p>" for r in replies)
        done = await store.outbox_items(states=["done"])
        assert len(done) == 5


async def test_conflict_when_the_site_changed_meanwhile(wp, store):
    async with synced(wp, store) as (engine, conn, worker):
        row = (await store.queue(QueueFilter(sources=("blog",), statuses=(RemoteStatus.HOLD,))))[0]
        ext = row.response.external_id
        await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="test")
        with wp.client() as c:  # someone on the site trashes it first
            assert c.post(f"comments/{ext}", json={"status": "trash"}).status_code == 200
        run = await worker.run_once()
        assert run.conflicts == 1
        assert wp.truth()[ext] == "trash"  # not forced
        [item] = await store.outbox_items(states=["conflict"])
        assert "trash" in item.last_error


async def test_reply_on_closed_post_is_a_clear_error(wp, store):
    if wp.closed_post is None:
        pytest.skip("WP_CLOSED_POST_ID not set")
    async with synced(wp, store) as (engine, conn, worker):
        rows = await store.queue(QueueFilter(thread=("blog", str(wp.closed_post))))
        assert rows
        await store.reply(rows[0].response.id, "Dank!", actor="test")
        run = await worker.run_once()
        assert run.failed == 1
        [item] = await store.outbox_items(states=["failed"])
        assert "comments are closed" in item.last_error
        assert item.attempts == 1  # a 403 is not retried


async def test_hostile_bodies_arrive_intact(wp, store):
    async with synced(wp, store) as (engine, conn, _worker):
        raw = {
            str(x["id"]): x
            for status in STATUSES
            for x in wp.comments(status)
            if x["author_email"].startswith("gluiper")
        }
        assert len(raw) >= 10
        for ext, x in raw.items():
            row = await store.get_by_external("blog", ext)
            assert row is not None, ext
            assert row.response.body_raw == x["content"]["raw"]
            assert row.response.author_name == x["author_name"]
        texts = [(await store.get_by_external("blog", e)).response.body_text for e in raw]
        assert any("[bold red]x[/]" in t for t in texts)
        assert any("[@click=app.quit]klik[/]" in t for t in texts)
        assert not any("\x1b" in t for t in texts)  # controls removed from the plain text
        assert not any("<script>" in t for t in texts)  # HTML turned into text


async def test_reply_is_plain_text_on_the_site(wp, store):
    """A moderator (here the administrator, who may post unfiltered HTML) quotes a hostile
    comment and writes ``a < b & c`` in two paragraphs: WordPress shows the text, runs no
    script, and keeps the two paragraphs."""
    async with synced(wp, store) as (engine, _conn, worker):
        rows = await store.queue(QueueFilter(sources=("blog",)), limit=500)
        row = next(
            r
            for r in rows
            if r.response.remote_status == RemoteStatus.APPROVED
            and (wp.closed_post is None or r.response.thread_external_id != str(wp.closed_post))
        )
        stamp = time.time_ns()
        text = (
            f"U schreef: <script>alert(1)</script> ({stamp})\n\n"
            "Klopt: a < b & c, en &amp; blijft &amp;.\nTot ziens"
        )
        await store.reply(row.response.id, text, actor="test")
        assert (await worker.run_once()).done == 1
        replies = wp.replies_to(row.response.external_id)
        mine = [r for r in replies if str(stamp) in r["content"]["raw"]]
        assert len(mine) == 1
        rendered, raw = mine[0]["content"]["rendered"], mine[0]["content"]["raw"]
        for markup in (rendered, raw):
            assert "<script" not in markup.lower()
            assert markup.count("<p>") == 2
        # What a reader sees: the literal text, entities and all, in two paragraphs.
        shown = [
            html.unescape(re.sub(r"<[^>]+>", "", p)).strip()
            for p in re.findall(r"<p>(.*?)</p>", rendered, re.DOTALL)
        ]
        assert shown[0] == f"U schreef: <script>alert(1)</script> ({stamp})"
        assert shown[1].split("\n") == ["Klopt: a < b & c, en &amp; blijft &amp;.", "Tot ziens"]
        assert "<br />" in rendered


async def test_a_hold_rules_decision_is_written_back_and_a_release_undone(wp, store):
    """Issue 16: a comment with a watched word arrives approved; the sync's hold rule holds
    it in the memory and the outbox holds it on the site (journal actor rule:<name>). A
    moderator's release approves it there again and is the rule's misfire; undone, the
    site has it on hold once more and the flag is open again."""
    from reactieveld.rules import Rule, RuleSet

    word = f"scheldwoord{time.time_ns()}"  # only this test's comment matches
    rules = RuleSet((Rule.make("scheldwoorden", "hold", words=(f"{word}*",)),))
    cfg = wp.source_config()
    conn = WordPressConnector(cfg.name, wp.url, username=wp.user, password=wp.password)
    engine = SyncEngine(store, [(cfg, conn)], rules=rules)
    worker = OutboxWorker(store, engine.connectors)
    cid = None
    try:
        assert (await engine.sync_source("blog")).ok
        assert (await store.counts()).flagged == 0
        cid = wp.add_comment(f"Wat een {word.upper()}lijer!", "approve")
        assert wp.truth()[cid] == "approved"
        res = await engine.sync_source("blog")
        assert res.ok and res.new == 1
        row = await store.get_by_external("blog", cid)
        rid = row.response.id
        assert row.response.remote_status is RemoteStatus.HOLD and row.flags == ("scheldwoorden",)
        [entry] = await store.journal(rid)
        assert entry.actor == "rule:scheldwoorden"
        run = await worker.run_once()
        assert (run.done, run.failed, run.conflicts) == (1, 0, 0)
        assert wp.truth()[cid] == "hold"  # held on the site by the rule

        # The moderator releases it: approved on the site, the rule misfired.
        await store.moderate([rid], RemoteStatus.APPROVED, actor="test")
        assert (await worker.run_once()).done == 1
        assert wp.truth()[cid] == "approved"
        [flag] = await store.rule_flags(rid)
        assert (flag.state, flag.resolved_by) == ("misfire", "test")
        # A sync that sees the approval on the site flags nothing anew (same words).
        conn.force_rescan()
        again = await engine.sync_source("blog")
        assert again.ok and (await store.counts()).flagged == 0

        # Undone: on hold on the site again, the flag open again.
        await store.undo_last(actor="test")
        assert (await worker.run_once()).done == 1
        assert wp.truth()[cid] == "hold"
        assert [f.state for f in await store.rule_flags(rid)] == ["open"]
    finally:
        await engine.aclose()
        if cid is not None:  # leave the site as the other tests found it
            with wp.client() as c:
                c.delete(f"comments/{cid}", params={"force": "true"})


async def test_a_wrong_password_keeps_the_decision_until_it_is_right(wp, store):
    """A wrong application password (WordPress: 401 rest_forbidden_context) failed the
    moderator's decision for good: put right and restarted, the app never sent it, and
    deciding again changed nothing (the memory had it already). Now it waits, and goes."""
    from helpers.store import page, resp

    from reactieveld.model import OutboxState, Source, utcnow

    ext = next(k for k, v in wp.truth().items() if v == "hold")
    await store.ensure_source(Source("blog", "wordpress", wp.url))
    # Stored with the comment's text as the site has it (an approval compares it).
    with wp.client() as c:
        site = comment_to_response(
            "blog", c.get(f"comments/{ext}", params={"context": "edit"}).json()
        )
    held = resp(ext, status=RemoteStatus.HOLD)
    held = dataclasses.replace(held, body_text=site.body_text, body_raw=site.body_raw)
    await store.upsert_page("blog", page(held))
    [row] = await store.queue(QueueFilter(sources=("blog",)))
    await store.moderate([row.response.id], RemoteStatus.APPROVED, actor="test")
    wrong = WordPressConnector("blog", wp.url, username=wp.user, password="abcd efgh ijkl mnop")
    right = WordPressConnector("blog", wp.url, username=wp.user, password=wp.password)
    try:
        run = await OutboxWorker(store, {"blog": wrong}).run_once()
        assert (run.retry, run.failed) == (1, 0)
        [item] = await store.outbox_items()
        assert item.state is OutboxState.PENDING and "HTTP 401" in (item.last_error or "")
        assert wp.truth()[ext] == "hold"
        # The password put right; the row's backoff over (it is not waited out here).
        await store.outbox_retry(item.id, error=item.last_error or "", next_attempt_at=utcnow())
        run = await OutboxWorker(store, {"blog": right}).run_once()
        assert run.done == 1
        assert wp.truth()[ext] == "approved"
        [item] = await store.outbox_items()
        assert item.state is OutboxState.DONE
    finally:
        await wrong.aclose()
        await right.aclose()


async def test_a_reply_to_a_comment_deleted_on_the_site_is_not_posted(wp):
    """WordPress takes a reply whose parent was deleted for good (it does not check the
    parent): the moderator's answer stood on the site under nothing. Now it is a conflict
    and nothing is posted."""
    from reactieveld.connectors.base import ActionConflict
    from reactieveld.model import Action, Capability

    ext = wp.add_comment("Weg voordat er antwoord kwam", "approve")
    with wp.client() as c:
        post = c.get(f"comments/{ext}", params={"context": "edit"}).json()["post"]
        assert c.delete(f"comments/{ext}", params={"force": "true"}).status_code == 200
    conn = WordPressConnector("blog", wp.url, username=wp.user, password=wp.password)
    try:
        reply = Action(Capability.REPLY, "blog", ext, thread_external_id=str(post), text="Dank!")
        with pytest.raises(ActionConflict) as ei:
            await conn.apply(reply)
    finally:
        await conn.aclose()
    assert ei.value.remote_status is RemoteStatus.DELETED
    assert wp.replies_to(ext) == []


@pytest.mark.parametrize(
    ("capability", "seen"),
    [
        (c, s)
        for c in ("approve", "hold", "spam", "trash")
        for s in ("approved", "hold", "spam", "trash")
        if not s.startswith(c[:4])  # a decision changes the status it saw
    ],
)
async def test_a_decision_on_a_comment_deleted_on_the_site_says_it_is_gone(wp, capability, seen):
    """A decision on a comment deleted for good on the site meanwhile: the conflict said
    "comment 12 is deleted on the site, not approved as when it was moderated" (and the
    view then offered to send it again). Now it says the comment no longer exists, as the
    write-back of a reply does; nothing is created on the site."""
    from reactieveld.connectors.base import ActionConflict
    from reactieveld.model import Action, Capability

    ext = wp.add_comment("Weg voordat er besloten werd", "approve")
    with wp.client() as c:
        assert c.delete(f"comments/{ext}", params={"force": "true"}).status_code == 200
    conn = WordPressConnector("blog", wp.url, username=wp.user, password=wp.password)
    try:
        decision = Action(Capability(capability), "blog", ext, expected_status=RemoteStatus(seen))
        with pytest.raises(ActionConflict) as ei:
            await conn.apply(decision)
    finally:
        await conn.aclose()
    assert ei.value.remote_status is RemoteStatus.DELETED
    assert f"comment {ext} no longer exists on the site" in str(ei.value)
    assert ext not in wp.truth()


async def test_a_text_edited_on_the_site_reaches_the_memory_at_the_reread(wp, store):
    """A comment's text edited on the site (REST ``content``, as wp-admin does) never
    reached the memory: comments have no modified date and the re-scan reads only ids
    and statuses. The daily re-read reads it, and the stored row gets a new version.
    (The pace, re-scan without re-read first, is asserted offline in test_wordpress.)"""
    from reactieveld.model import Page, Source

    now = [time.time()]
    engine, conn = engine_for(wp, store, clock=lambda: now[0])
    cid = wp.add_comment(f"Oorspronkelijk {time.time_ns()}", "hold")
    try:
        # As if synced up to just before it: the first round reads only the new comment.
        await store.ensure_source(Source("blog", "wordpress", wp.url))
        cursor = {"v": 1, "phase": "inc", "hw": int(cid) - 1, "rs": now[0], "rr": now[0]}
        await store.upsert_page("blog", Page(next_cursor=json.dumps(cursor)))
        assert (await engine.sync_source("blog")).new == 1
        first = await store.get_by_external("blog", cid)
        edited = f"Bewerkt op de site {time.time_ns()}"
        with wp.client() as c:
            assert c.post(f"comments/{cid}", json={"content": edited}).status_code == 200

        now[0] += 86400  # a day: the default reread_seconds
        res = await engine.sync_source("blog")
        assert res.ok and res.updated == 1
        row = await store.get_by_external("blog", cid)
        assert first.response.body_text.startswith("Oorspronkelijk")
        assert row.response.body_text == edited and row.version == first.version + 1
        assert await stored(store) == wp.truth()
    finally:
        await engine.aclose()
        with wp.client() as c:  # leave the site as the other tests found it
            c.delete(f"comments/{cid}", params={"force": "true"})


async def test_a_title_changed_on_the_site_reaches_the_memory_at_the_reread(wp, store):
    """A post's title changed on the site (REST ``title``, as wp-admin does) reaches the
    stored thread at the next daily re-read, asked with ``modified_after`` of the real
    WordPress (6.1); threads not changed are not read again."""
    from reactieveld.model import Page, Source

    now = [time.time()]
    engine, conn = engine_for(wp, store, clock=lambda: now[0])
    cid = wp.add_comment(f"Over de titel {time.time_ns()}", "hold")
    with wp.client() as c:
        post = str(c.get(f"comments/{cid}", params={"context": "edit"}).json()["post"])
        old_title = c.get(f"posts/{post}", params={"context": "edit"}).json()["title"]["raw"]
    try:
        await store.ensure_source(Source("blog", "wordpress", wp.url))
        cursor = {"v": 1, "phase": "inc", "hw": int(cid) - 1, "rs": now[0], "rr": now[0]}
        await store.upsert_page("blog", Page(next_cursor=json.dumps(cursor)))
        assert (await engine.sync_source("blog")).new == 1
        before = (await store.thread("blog", post)).title
        assert before and "Nieuwe titel" not in before

        new_title = f"Nieuwe titel {time.time_ns()}"
        with wp.client() as c:
            assert c.post(f"posts/{post}", json={"title": new_title}).status_code == 200
        now[0] += 86400  # a day: the default reread_seconds
        assert (await engine.sync_source("blog")).ok
        assert (await store.thread("blog", post)).title == new_title
    finally:
        await engine.aclose()
        with wp.client() as c:  # leave the site as the other tests found it
            c.post(f"posts/{post}", json={"title": old_title})
            c.delete(f"comments/{cid}", params={"force": "true"})


async def test_an_approval_of_a_comment_edited_on_the_site_is_a_conflict(wp, store):
    """A comment edited on the site (REST ``content``, as wp-admin does) between the
    sync and the write-back was approved all the same: words no moderator saw went
    public. Now only an approval of a really edited comment (a word, an emoji, a link's
    target; not whitespace or markup alone) is a conflict, the comment stays unapproved
    and the memory gets its new text; every other decision is applied once."""
    from editcases import BASE, EDITS, edited_raw

    decisions = {"approve": "hold", "hold": "approved", "spam": "hold", "trash": "approved"}
    status_of = {
        "approve": RemoteStatus.APPROVED,
        "hold": RemoteStatus.HOLD,
        "spam": RemoteStatus.SPAM,
        "trash": RemoteStatus.TRASH,
    }
    cases = [
        (decision, kind)
        for decision in decisions
        for kind in (["none", *EDITS] if decision == "approve" else ["none", "word"])
    ]
    mark = time.time_ns()  # WordPress refuses the same comment twice
    made = [wp.add_comment(f"{BASE} {mark}-{i}", decisions[d]) for i, (d, _k) in enumerate(cases)]
    try:
        async with synced(wp, store) as (_engine, _conn, worker):
            for cid, (decision, _kind) in zip(made, cases, strict=True):
                row = await store.get_by_external("blog", cid)
                await store.moderate([row.response.id], status_of[decision], actor="test")
            with wp.client() as c:
                for i, (cid, (_decision, kind)) in enumerate(zip(made, cases, strict=True)):
                    if kind != "none":
                        body = {"content": f"{edited_raw(kind)} {mark}-{i}"}
                        assert c.post(f"comments/{cid}", json=body).status_code == 200
            run = await worker.run_once()
            stops = {
                cid
                for cid, (decision, kind) in zip(made, cases, strict=True)
                if decision == "approve" and EDITS.get(kind, False)
            }
            assert run.conflicts == len(stops) == 3 and run.done == len(cases) - 3
            truth = wp.truth()
            for cid, (decision, _kind) in zip(made, cases, strict=True):
                assert truth[cid] == ("hold" if cid in stops else STATUSES[decision]), cid
            for item in await store.outbox_items(states=["conflict"]):
                assert item.action.external_id in stops
                assert "was edited on the site after you saw it" in (item.last_error or "")
                # The memory has the words the site has now: the conflict shows them.
                row = await store.get_by_external("blog", item.action.external_id)
                with wp.client() as c:
                    site = c.get(f"comments/{item.action.external_id}", params={"context": "edit"})
                assert row.response.body_raw == site.json()["content"]["raw"]
    finally:
        with wp.client() as c:  # leave the site as the other tests found it
            for cid in made:
                c.delete(f"comments/{cid}", params={"force": "true"})
