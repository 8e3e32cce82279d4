"""The WordPress connector offline: recorded real payloads and MockTransport faults."""

from __future__ import annotations

import json
import pathlib
from datetime import UTC, datetime
from types import MappingProxyType
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from helpers.store import sql
from helpers.wpsite import nosleep

from reactieveld.config import SourceConfig
from reactieveld.connectors.base import ActionConflict, ConnectorError
from reactieveld.connectors.wordpress import (
    COMMENT_FIELDS,
    PER_PAGE,
    WordPressConnector,
    comment_to_response,
)
from reactieveld.i18n import in_language
from reactieveld.model import Action, Capability, RemoteStatus
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine

FIX = pathlib.Path(__file__).parent / "fixtures" / "wordpress"


def fixture(name):
    return json.loads((FIX / f"{name}.json").read_text())


def answer(name, status=None):
    f = fixture(name)
    return httpx.Response(status or f["status"], json=f["body"], headers=f["headers"])


def connector(handler, **kw):
    return WordPressConnector(
        "blog",
        "http://127.0.0.1:9",
        username="admin",
        password="pw",
        transport=httpx.MockTransport(handler),
        sleep=nosleep,
        **kw,
    )


def test_recorded_comment_translation():
    body = fixture("comments_any_p1")["body"]
    rs = [comment_to_response("blog", c) for c in body]
    assert {r.remote_status for r in rs} == {
        RemoteStatus.APPROVED,
        RemoteStatus.HOLD,
        RemoteStatus.SPAM,
        RemoteStatus.TRASH,
    }
    r = rs[0]
    c = body[0]
    assert r.external_id == str(c["id"]) and r.thread_external_id == str(c["post"])
    assert r.body_raw == c["content"]["raw"] and r.body_format == "html"
    assert "<p>" not in r.body_text and r.created_at.tzinfo is not None
    assert r.author_email == c["author_email"]
    replies = [r for r, c in zip(rs, body, strict=True) if c["parent"]]
    assert replies and all(r.parent_external_id for r in replies)
    staff = [r for r, c in zip(rs, body, strict=True) if c["author"]]
    assert all(r.role_hint == "organisatie" for r in staff)
    assert all(r.role_hint is None for r, c in zip(rs, body, strict=True) if not c["author"])


def test_recorded_hostile_bodies():
    body = fixture("comments_hostile")["body"]
    by_id = {c["id"]: comment_to_response("blog", c) for c in body}
    for c in body:
        assert by_id[c["id"]].body_raw == c["content"]["raw"]
        assert "\x1b" not in by_id[c["id"]].body_text
    assert any("[bold red]x[/]" in r.body_text for r in by_id.values())


def _changed_after(post, q):
    """Whether ``post`` was changed after the query's ``modified_after`` (with its zone)."""
    changed = datetime.fromisoformat(post["modified_gmt"]).replace(tzinfo=UTC)
    return changed > datetime.fromisoformat(q["modified_after"])


def make_site():
    """A handler serving the recorded payloads the way WordPress pages them (its
    ``posts``: the recorded posts, each last changed at its ``modified_gmt``)."""
    comments = fixture("comments_any_p1")["body"]
    posts = [{**p, "modified_gmt": p["date_gmt"]} for p in fixture("posts_include")["body"]]
    seen = []

    def handler(request):
        u = urlsplit(str(request.url))
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        seen.append((request.method, u.path, q))
        if request.method == "HEAD":
            return httpx.Response(200, headers=fixture("root_head")["headers"])
        if u.path.endswith("/posts"):
            fields = q["_fields"].split(",")
            if "include" in q:
                want = set(q["include"].split(","))
                sel = [p for p in posts if str(p["id"]) in want]
            else:  # changed since (the site's clock in UTC), the last change first
                sel = [p for p in posts if _changed_after(p, q)]
                sel.sort(key=lambda p: p["modified_gmt"], reverse=True)
                n = int(q["per_page"])
                sel = sel[(int(q["page"]) - 1) * n : int(q["page"]) * n]
            return httpx.Response(200, json=[{k: p[k] for k in fields} for p in sel])
        if u.path.endswith("/comments"):
            sel = sorted(comments, key=lambda c: c["id"], reverse=q.get("order") == "desc")
            if "include" in q:
                sel = [c for c in sel if str(c["id"]) in q["include"].split(",")]
            off, n = int(q.get("offset", 0)), int(q["per_page"])
            chunk = sel[off : off + n]
            if q.get("_fields") in ("id", "id,status"):
                keep = q["_fields"].split(",")
                chunk = [{k: c[k] for k in keep} for c in chunk]
            return httpx.Response(200, json=chunk, headers={"X-WP-Total": str(len(sel))})
        return httpx.Response(404, json={"code": "rest_no_route", "message": "x"})

    handler.posts = posts
    return handler, seen, comments


async def test_full_then_idle_poll_from_recorded_payloads():
    handler, seen, comments = make_site()
    c = connector(handler)
    pages = [p async for p in c.fetch(None)]
    assert pages[-1].done and not any(p.done for p in pages[:-1])
    got = [r.external_id for p in pages for r in p.responses]
    assert got == [str(x["id"]) for x in comments]
    titles = {t.external_id: t.title for p in pages for t in p.threads}
    assert set(titles) == {str(x["post"]) for x in comments}
    cursor = pages[-1].next_cursor
    assert json.loads(cursor)["hw"] == max(x["id"] for x in comments)

    seen.clear()
    idle = [p async for p in c.fetch(cursor)]
    assert len(idle) == 1 and not idle[0].responses and idle[0].next_cursor == cursor
    assert len(seen) == 1 and seen[0][2]["per_page"] == "1"  # one tiny request
    await c.aclose()


async def test_discovery_falls_back_to_rest_route():
    calls = []

    def handler(request):
        u = urlsplit(str(request.url))
        q = parse_qs(u.query)
        calls.append(str(request.url))
        if request.method == "HEAD":
            return httpx.Response(200)  # no Link header
        if u.path == "/wp-json/":
            return httpx.Response(
                404, text="<html>Not found</html>", headers={"Content-Type": "text/html"}
            )
        if q.get("rest_route") == ["/"]:
            return httpx.Response(200, json={"namespaces": ["wp/v2"]})
        if q.get("rest_route") == ["/wp/v2/comments"]:
            return httpx.Response(200, json=[], headers={"X-WP-Total": "0"})
        return httpx.Response(404)

    c = connector(handler)
    pages = [p async for p in c.fetch(None)]
    assert pages[-1].done
    assert any(
        "rest_route=%2Fwp%2Fv2%2Fcomments" in u or "rest_route=/wp/v2/comments" in u for u in calls
    )
    await c.aclose()


async def test_wrong_credentials_are_plain_and_not_retried():
    n = []

    def handler(request):
        n.append(1)
        if request.method == "HEAD":
            return httpx.Response(200, headers=fixture("root_head")["headers"])
        return answer("error_401")

    c = connector(handler)
    with pytest.raises(ConnectorError) as ei:
        [p async for p in c.fetch(None)]
    assert not ei.value.retryable and "HTTP 401" in str(ei.value)
    assert "username and password" in str(ei.value) and "pw" not in str(ei.value)
    assert len(n) == 2  # HEAD + one listing, no retries
    await c.aclose()


def status_site(current, *, failed_edit=False):
    """A comment whose status is `current[0]`; POSTs recorded."""
    posts = []

    def handler(request):
        if request.method == "HEAD":
            return httpx.Response(200, headers=fixture("root_head")["headers"])
        if request.method == "POST":
            want = json.loads(request.content)["status"]
            posts.append(want)
            if failed_edit and want == current[0]:
                return httpx.Response(
                    500,
                    json={
                        "code": "rest_comment_failed_edit",
                        "message": "Updating comment status failed.",
                        "data": {"status": 500},
                    },
                )
            current[0] = want
        return httpx.Response(200, json={"id": 5, "status": current[0]})

    return handler, posts


async def test_failed_edit_read_back_equal_is_success():
    cur = ["approved"]
    handler, posts = status_site(cur, failed_edit=True)
    c = connector(handler)
    res = await c.apply(Action(Capability.APPROVE, "blog", "5"))
    assert res.remote_status is RemoteStatus.APPROVED and posts == ["approved"]
    await c.aclose()


async def test_conflict_not_forced():
    cur = ["trash"]
    handler, posts = status_site(cur)
    c = connector(handler)
    with pytest.raises(ActionConflict) as ei:
        await c.apply(Action(Capability.APPROVE, "blog", "5", expected_status=RemoteStatus.HOLD))
    assert ei.value.remote_status is RemoteStatus.TRASH and posts == [] and cur == ["trash"]
    # The statuses in the interface's words (read back in the reader's language).
    assert str(ei.value).endswith(
        "comment 5 is trash on the site, not on hold as when it was moderated"
    )
    assert in_language(str(ei.value), "nl").endswith(
        "reactie 5 heeft op de site de status prullenbak, niet wacht zoals toen ze werd gemodereerd"
    )
    res = await c.apply(Action(Capability.SPAM, "blog", "5", expected_status=RemoteStatus.TRASH))
    assert res.remote_status is RemoteStatus.SPAM and posts == ["spam"]
    await c.aclose()


async def test_reply_closed_and_duplicate():
    def handler(request):
        if request.method == "HEAD":
            return httpx.Response(200, headers=fixture("root_head")["headers"])
        if request.method == "GET":  # the parent, read before the reply
            return httpx.Response(200, json={"id": 3, "status": "approved"})
        body = json.loads(request.content)
        if body["post"] == 10:
            return answer("reply_closed_403")
        return httpx.Response(409, json={"code": "comment_duplicate", "message": "Duplicate"})

    c = connector(handler)
    with pytest.raises(ConnectorError) as ei:
        await c.apply(Action(Capability.REPLY, "blog", "3", thread_external_id="10", text="x"))
    assert "comments are closed on post 10" in str(ei.value) and not ei.value.retryable
    res = await c.apply(Action(Capability.REPLY, "blog", "3", thread_external_id="4", text="x"))
    assert res.external_id is None  # already there: an earlier try got through
    await c.aclose()


@pytest.mark.parametrize(
    ("parent", "said"),
    [
        # WordPress's own answer for a comment deleted for good (recorded), and one in
        # the trash: it takes a reply to either, which would then answer nothing.
        (answer("error_404"), "comment 3 no longer exists on the site"),
        (httpx.Response(200, json={"id": 3, "status": "trash"}), "comment 3 is in the trash"),
    ],
)
async def test_a_reply_to_a_comment_removed_on_the_site_is_not_posted(parent, said):
    posted = []

    def handler(request):
        if request.method == "HEAD":
            return httpx.Response(200, headers=fixture("root_head")["headers"])
        if request.method == "GET":
            return parent
        posted.append(request)
        return answer("reply_201")

    c = connector(handler)
    with pytest.raises(ActionConflict) as ei:
        await c.apply(Action(Capability.REPLY, "blog", "3", thread_external_id="4", text="x"))
    await c.aclose()
    assert said in str(ei.value) and not ei.value.retryable
    assert posted == []


async def test_read_only_without_credentials():
    c = WordPressConnector("blog", "http://127.0.0.1:9")
    assert c.capabilities == frozenset()
    with pytest.raises(ConnectorError) as ei:
        await c.apply(Action(Capability.APPROVE, "blog", "1"))
    assert "read-only" in str(ei.value)
    await c.aclose()


async def test_rescan_time_travels_in_the_cursor_and_finds_deletions():
    handler, seen, comments = make_site()
    c = connector(handler)
    pages = [p async for p in c.fetch(None)]
    cursor = pages[-1].next_cursor
    await c.aclose()

    # A new process (cron `sync --once`) soon after: no re-scan, one tiny request.
    seen.clear()
    c2 = connector(handler)
    [idle] = [p async for p in c2.fetch(cursor)]
    assert len(seen) == 2 and seen[0][0] == "HEAD"  # discovery + the probe
    await c2.aclose()

    # Later than rescan_seconds: the re-scan runs, with the store's ids loaded lazily.
    loads = []

    async def loader():
        loads.append(1)
        known = {str(x["id"]): RemoteStatus.HOLD for x in comments}  # store is out of date
        known["999999"] = RemoteStatus.APPROVED  # deleted on the site meanwhile
        return known

    c3 = connector(handler, clock=lambda: __import__("time").time() + 3600)
    c3.known_loader = loader
    later = [p async for p in c3.fetch(cursor)]
    assert loads == [1]
    assert later[-1].done and later[-1].gone == {"999999": RemoteStatus.DELETED}
    changed = {r.external_id for p in later for r in p.responses}
    assert changed == {str(x["id"]) for x in comments if x["status"] != "hold"}
    await c3.aclose()


async def _round(handler, store, clock, **kw):
    """One cron `sync --once`: a new connector and engine from the stored cursor."""
    c = connector(handler, clock=clock, **kw)
    cfg = SourceConfig("blog", "wordpress", 30.0, MappingProxyType({"url": c.url}))
    engine = SyncEngine(store, [(cfg, c)])
    try:
        res = await engine.sync_source("blog")
    finally:
        await engine.aclose()
    assert res.ok, res.error
    return res


def _rereads(seen):
    """The listing requests that read comments in full from the first one on."""
    return [
        q
        for m, p, q in seen
        if p.endswith("/comments")
        and q.get("order") == "asc"
        and q.get("_fields") == COMMENT_FIELDS
        and "include" not in q
    ]


async def test_an_edit_on_the_site_is_found_at_the_reread_and_not_before(tmp_path):
    handler, seen, comments = make_site()
    now = [1_000_000.0]
    store = await SqliteStore.open(tmp_path / "memory.db")
    try:
        assert (await _round(handler, store, lambda: now[0])).new == len(comments)

        async def versions():
            rows = {
                str(c["id"]): await store.get_by_external("blog", str(c["id"])) for c in comments
            }
            return {k: (r.version, r.response.body_text) for k, r in rows.items()}

        before = await versions()
        edited = comments[len(comments) // 2]
        ext = str(edited["id"])
        edited["content"] = {"rendered": "<p>Bewerkt op de site</p>\n", "raw": "Bewerkt op de site"}

        # The status re-scan is due, the re-read is not: the edit is not read yet.
        now[0] += 3600
        seen.clear()
        res = await _round(handler, store, lambda: now[0])
        assert (res.new, res.updated) == (0, 0) and _rereads(seen) == []
        assert await versions() == before

        # A day after the full sync: the re-read hands the edit to the store, a new version.
        now[0] += 86400
        seen.clear()
        res = await _round(handler, store, lambda: now[0])
        assert _rereads(seen) and (res.new, res.updated) == (0, 1)
        after = await versions()
        assert after[ext] == (before[ext][0] + 1, "Bewerkt op de site")
        assert {k: v for k, v in after.items() if k != ext} == {
            k: v for k, v in before.items() if k != ext
        }

        # Soon after (cron): not again. A day later on an unchanged site: read, no write.
        now[0] += 3600
        seen.clear()
        await _round(handler, store, lambda: now[0])
        assert _rereads(seen) == []
        now[0] += 86400
        seen.clear()
        res = await _round(handler, store, lambda: now[0])
        assert _rereads(seen) and (res.new, res.updated) == (0, 0)
        assert await versions() == after

        # reread_seconds = 0: never.
        now[0] += 10 * 86400
        seen.clear()
        await _round(handler, store, lambda: now[0], reread_seconds=0)
        assert _rereads(seen) == [] and any(q.get("_fields") == "id,status" for _, _, q in seen)
    finally:
        await store.close()


def _posts_served(seen, handler):
    """The posts (threads) the site answered with in ``seen``'s requests."""
    return [
        p["id"]
        for m, path, q in seen
        if path.endswith("/posts")
        for p in handler.posts
        if str(p["id"]) in q.get("include", "").split(",")
        or ("modified_after" in q and _changed_after(p, q))
    ]


async def test_a_reread_of_an_unchanged_site_reads_and_stores_no_thread_again(tmp_path):
    """The daily re-read (cron `sync --once`, a new process each time) lists every
    comment: their threads were read and stored at the first sync. An unchanged one is
    not asked of the site again nor written to the memory (before: every thread with a
    comment, each day); a title changed on the site since arrives at the next re-read,
    in the memory and the responses' search index, and is not read again after that."""
    handler, seen, comments = make_site()
    now = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC).timestamp()]
    store = await SqliteStore.open(tmp_path / "memory.db")
    try:
        await _round(handler, store, lambda: now[0])
        await sql(store, "CREATE TABLE written (id TEXT)")
        for event in ("INSERT", "UPDATE"):
            await sql(
                store,
                f"CREATE TRIGGER thread_{event.lower()} AFTER {event} ON threads "
                "BEGIN INSERT INTO written VALUES (NEW.external_id); END",
            )

        async def written():
            return sorted(row[0] for row in await sql(store, "SELECT id FROM written"))

        now[0] += 86400 + 60  # the re-read is due
        seen.clear()
        res = await _round(handler, store, lambda: now[0])
        assert _rereads(seen) and (res.new, res.updated) == (0, 0)
        assert _posts_served(seen, handler) == [] and await written() == []

        post = next(p for p in handler.posts if p["id"] == comments[0]["post"])
        post["title"] = {"raw": "Nieuwe titel", "rendered": "Nieuwe titel"}
        post["modified_gmt"] = datetime.fromtimestamp(now[0] + 3600, UTC).strftime(
            "%Y-%m-%dT%H:%M:%S"
        )
        now[0] += 86400 + 60
        seen.clear()
        await _round(handler, store, lambda: now[0])
        assert _posts_served(seen, handler) == [post["id"]]
        assert await written() == [str(post["id"])]
        assert (await store.thread("blog", str(post["id"]))).title == "Nieuwe titel"
        hits = await store.search("Nieuwe titel")
        assert str(comments[0]["id"]) in {h.row.response.external_id for h in hits}

        now[0] += 86400 + 60  # unchanged since: neither read nor written again
        seen.clear()
        await _round(handler, store, lambda: now[0])
        assert _posts_served(seen, handler) == [] and await written() == [str(post["id"])]
    finally:
        await store.close()


async def test_a_title_changed_on_the_site_reaches_a_long_running_sync_at_the_reread():
    """The app's and the service's connector lives for days: a thread read once was
    never read again, so a title changed on the site never arrived there (only a new
    process read it). The day's re-read hands out the changed thread, and only it."""
    handler, seen, comments = make_site()
    now = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC).timestamp()]
    c = connector(handler, clock=lambda: now[0])
    cursor = [p async for p in c.fetch(None)][-1].next_cursor
    post = next(p for p in handler.posts if p["id"] == comments[-1]["post"])
    post["title"] = {"raw": "Nieuwe titel", "rendered": "Nieuwe titel"}
    post["modified_gmt"] = datetime.fromtimestamp(now[0] + 60, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    now[0] += 86400 + 120
    pages = [p async for p in c.fetch(cursor)]
    assert [(t.external_id, t.title) for p in pages for t in p.threads] == [
        (str(post["id"]), "Nieuwe titel")
    ]
    await c.aclose()


@pytest.mark.parametrize("stuck_at", [1, 2, 3])
async def test_a_reread_whose_posts_paging_does_not_advance_ends_the_round(stuck_at):
    """A site (a cache, a proxy) that answers every ``page`` of the re-read's changed
    posts with the same full page, every post on it changed: the round ends with one
    line saying the paging does not advance, as a comment listing's does. Before, it
    asked for the next page for ever (``sync --once`` never ended)."""
    handler, seen, comments = make_site()
    posts = [
        {**handler.posts[0], "id": 10_000 + i, "modified_gmt": "2030-01-01T00:00:00"}
        for i in range(PER_PAGE)
    ]
    asked = []

    def stuck(request):
        u = urlsplit(str(request.url))
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        if u.path.endswith("/posts") and "modified_after" in q:
            asked.append(q["page"])
            if len(asked) > 50:  # the loop that never ends, cut short
                raise RuntimeError("the re-read kept asking for the same page")
            page = min(int(q["page"]), stuck_at)  # from stuck_at on, the same page
            sel = posts if page == stuck_at else [{**p, "id": p["id"] + page * 1000} for p in posts]
            fields = q["_fields"].split(",")
            return httpx.Response(200, json=[{k: p[k] for k in fields} for p in sel])
        return handler(request)

    now = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC).timestamp()]
    c = connector(stuck, clock=lambda: now[0])
    cursor = [p async for p in c.fetch(None)][-1].next_cursor
    now[0] += 86400 + 120
    with pytest.raises(ConnectorError) as ei:
        _ = [p async for p in c.fetch(cursor)]
    assert "its paging does not advance" in ei.value.message and len(asked) == stuck_at + 1
    assert "GET wp/v2/posts" in ei.value.message
    await c.aclose()
