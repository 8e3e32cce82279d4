"""The Discourse connector against a fake Discourse on 127.0.0.1 (its own JSON shapes)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fakes.base import Clock, Reply, Sleeps
from fakes.discourse import FakeDiscourse
from helpers.connectors import responses, round_

from reactieveld.connectors.base import SEND_BY, ActionConflict, ConnectorError, TooLateToSend
from reactieveld.connectors.discourse import DiscourseConnector
from reactieveld.connectors.http import RetryPolicy
from reactieveld.model import Action, Capability, RemoteStatus


@pytest.fixture
def forum() -> Iterator[FakeDiscourse]:
    with FakeDiscourse() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def conn(forum: FakeDiscourse, sleeps: Sleeps, clock: Clock):
    c = DiscourseConnector(
        "forum",
        forum.url,
        forum.api_username,
        forum.api_key,
        sleep=sleeps,
        clock=clock,
        retry=RetryPolicy(max_attempts=3),
    )
    yield c
    await c.aclose()


async def test_published_post_shape_becomes_plain_text_responses(forum, conn):
    forum.load_fixture()
    pages, _ = await round_(conn, None)
    got = responses(pages)
    assert set(got) == {"21", "22", "23"}

    answer = got["23"]
    assert answer.role_hint == "organisatie"  # staff
    assert answer.author_name == "Gemeente Laren"
    assert answer.body_text == "Dank voor uw reactie! We nemen het mee in de raadsvergadering :+1:"
    assert answer.body_raw.startswith("Dank voor uw reactie! We nemen het mee in de **raad")
    assert answer.body_format == "markdown"
    assert answer.parent_external_id == "22"  # reply_to_post_number 2 in the same topic
    assert answer.thread_external_id == "7"
    assert answer.created_at.tzinfo is UTC and answer.created_at.year == 2024
    assert answer.url == f"{forum.url}/t/omgevingsvisie-bel/7/3"
    assert answer.meta["post_number"] == 3

    # Markup-looking text and entities arrive as literal text, never as markup.
    assert got["22"].body_text.splitlines()[-1] == "[bold]Dit[/bold] is <b>geen</b> markup."
    assert got["22"].role_hint is None
    assert got["21"].body_text == (
        "Hoe ziet u de toekomst van Blaricum, Eemnes en Laren?\n\n- Wonen\n- Verkeer"
    )
    threads = {t.external_id: t for p in pages for t in p.threads}
    assert threads["7"].title == "Omgevingsvisie BEL: wat vindt u?"
    assert threads["7"].url == f"{forum.url}/t/omgevingsvisie-bel/7"


async def test_pages_down_then_incremental_sync_returns_only_new(forum, conn):
    forum.posts_per_page = 5
    topic = forum.add_topic("Centrumplan Eemnes")
    for i in range(23):
        forum.add_post(topic, f"reactie {i}")
    pages, cursor = await round_(conn, None)
    assert len(responses(pages)) == 23
    assert (
        sum(1 for r in forum.requests if r.path == "/posts.json") == 5
    )  # ids 23..1, five per page; id 1 ends the walk
    assert json.loads(cursor)["hw"] == 23

    before = len(forum.requests)
    pages, cursor2 = await round_(conn, cursor)
    assert responses(pages) == {}
    # An idle poll costs the review queue and one page of posts.
    assert forum.paths()[before:] == ["/review.json", "/posts.json"]

    new = [forum.add_post(topic, f"nieuw {i}")["id"] for i in range(3)]
    pages, cursor3 = await round_(conn, cursor2)
    assert sorted(responses(pages)) == sorted(str(i) for i in new)
    assert json.loads(cursor3)["hw"] == max(new)


async def test_a_round_resumed_from_a_mid_walk_cursor_misses_nothing(forum, conn):
    forum.posts_per_page = 4
    topic = forum.add_topic("Woningbouw")
    for i in range(17):
        forum.add_post(topic, f"reactie {i}")
    stored: set[str] = set()
    cursor = None
    async for page in conn.fetch(None):
        stored |= {r.external_id for r in page.responses}
        cursor = page.next_cursor
        if len(stored) >= 8:
            break  # the process died here; the page and its cursor were stored together
    assert json.loads(cursor)["walk"]["before"] is not None
    forum.add_post(topic, "tussendoor")  # arrives while we were down
    pages, cursor = await round_(conn, cursor)
    stored |= set(responses(pages))
    assert stored == {str(i) for i in range(1, 18)}
    pages, _ = await round_(conn, cursor)
    assert set(responses(pages)) == {"18"}


async def test_review_queue_items_and_write_back(forum, conn):
    topic = forum.add_topic("Parkeren")
    post = forum.add_post(topic, "Dit is een scheldpartij")
    rq = forum.queue_post(topic, "Mijn eerste bericht, wacht op goedkeuring")
    rf = forum.flag_post(post["id"])
    pages, cursor = await round_(conn, None)
    got = responses(pages)

    queued = got[f"queued-{rq}"]
    assert queued.remote_status is RemoteStatus.HOLD
    assert queued.body_text == "Mijn eerste bericht, wacht op goedkeuring"
    assert queued.meta["reviewable_id"] == rq and queued.meta["reviewable_version"] == 0
    flagged = got[str(post["id"])]
    assert flagged.meta["flagged"] is True and flagged.meta["reviewable_id"] == rf
    # The flagged post looks the same as when it came from /posts.json.
    assert flagged.body_text == "Dit is een scheldpartij"
    assert flagged.created_at == datetime.fromisoformat(post["created_at"])
    assert flagged.meta["post_number"] == 1

    # Hide the flagged post: agree_and_hide with the version the moderator saw.
    result = await conn.apply(
        Action(Capability.HIDE, "forum", flagged.external_id, meta=flagged.meta)
    )
    assert result.remote_status is RemoteStatus.HIDDEN
    assert forum.posts[post["id"]]["hidden"] is True
    put = [r for r in forum.requests if r.method == "PUT"][-1]
    assert put.path == f"/review/{rf}/perform/agree_and_hide" and put.arg("version") == "0"

    # Another moderator touched the queued post meanwhile: a conflict, not forced.
    forum.bump_version(rq)
    with pytest.raises(ActionConflict) as err:
        await conn.apply(Action(Capability.APPROVE, "forum", queued.external_id, meta=queued.meta))
    assert not err.value.retryable
    assert forum.reviewables[rq]["status"] == 0  # untouched
    puts = sum(1 for r in forum.requests if r.method == "PUT")

    # Reloaded, the moderator approves with the new version; the post is published.
    fresh = {**queued.meta, "reviewable_version": 1}
    result = await conn.apply(Action(Capability.APPROVE, "forum", queued.external_id, meta=fresh))
    assert result.remote_status is RemoteStatus.APPROVED
    assert result.external_id is not None and int(result.external_id) in forum.posts
    assert sum(1 for r in forum.requests if r.method == "PUT") == puts + 1  # 409 not retried

    # Next round: the queued item left the queue as approved and lives on as the new post
    # (renamed, so the store keeps one row with its tags); the new post arrives.
    pages, _ = await round_(conn, cursor)
    got = responses(pages)
    assert f"queued-{rq}" not in got
    renamed = {k: v for p in pages for k, v in p.renamed.items()}
    assert renamed == {f"queued-{rq}": result.external_id}
    assert result.external_id in got


async def test_a_review_action_refused_then_too_late_to_look_is_no_conflict(
    forum, conn, monkeypatch
):
    """The review action's PUT is refused (409) and the time its write-back's requests had
    to leave by (``base.SEND_BY``) passes before the look whether it was performed: that
    look does not leave, and the outbox hears so (TooLateToSend: nothing recorded, the
    next pass). Before: the look's TooLateToSend was taken for "not performed" and the
    decision recorded as a conflict for a person, the review item maybe never changed."""
    topic = forum.add_topic("Parkeren")
    rq = forum.queue_post(topic, "Mijn eerste bericht, wacht op goedkeuring")
    pages, _ = await round_(conn, None)
    queued = responses(pages)[f"queued-{rq}"]
    forum.bump_version(rq)  # the PUT is refused: 409
    real, handle = time.time, forum.handle

    def then_late(req: Any) -> Any:
        reply = handle(req)
        if req.method == "PUT":
            monkeypatch.setattr(time, "time", lambda: real() + 60)
        return reply

    monkeypatch.setattr(forum, "handle", then_late)
    by = SEND_BY.set(real() + 30)
    try:
        with pytest.raises(TooLateToSend):
            await conn.apply(
                Action(Capability.APPROVE, "forum", queued.external_id, meta=queued.meta)
            )
    finally:
        SEND_BY.reset(by)
    assert [r.method for r in forum.requests][-1] == "PUT"  # the look never left


async def reply_to_22(forum, conn, text: str):
    """The fixture's post 22 read as a sync reads it, and ``text`` sent as its reply."""
    forum.load_fixture()
    pages, _ = await round_(conn, None)
    target = responses(pages)["22"]
    return await conn.apply(
        Action(
            Capability.REPLY,
            "forum",
            target.external_id,
            thread_external_id=target.thread_external_id,
            text=text,
            meta=target.meta,
        )
    )


async def test_reply_posts_to_the_topic_with_the_post_number(forum, conn):
    result = await reply_to_22(forum, conn, "Goed punt, we kijken ernaar.")
    sent = [r for r in forum.requests if r.method == "POST"][-1].json()
    assert sent == {"topic_id": 7, "raw": "Goed punt, we kijken ernaar.", "reply_to_post_number": 2}
    assert result.remote_status is RemoteStatus.APPROVED
    assert forum.posts[int(result.external_id)]["raw"] == "Goed punt, we kijken ernaar."


async def test_reply_is_sent_as_literal_markdown(forum, conn):
    """What the moderator types is plain text: Markdown, HTML and mentions are escaped."""
    text = "U schreef <script>alert(1)</script> **echt**\n\n@anne: a < b & c"
    result = await reply_to_22(forum, conn, text)
    assert forum.posts[int(result.external_id)]["raw"] == (
        "U schreef \\<script\\>alert(1)\\</script\\> \\*\\*echt\\*\\*\n\n\\@anne: a \\< b \\& c"
    )


async def test_trash_and_restore_a_published_post(forum, conn):
    forum.load_fixture()
    result = await conn.apply(Action(Capability.TRASH, "forum", "22"))
    assert result.remote_status is RemoteStatus.TRASH
    assert forum.posts[22]["deleted_at"] is not None
    await conn.apply(Action(Capability.APPROVE, "forum", "22", expected_status=RemoteStatus.TRASH))
    assert forum.posts[22]["deleted_at"] is None


async def test_rescan_finds_hidden_and_deleted_posts(forum, conn, clock):
    topic = forum.add_topic("Speeltuin")
    ids = [forum.add_post(topic, f"reactie {i}")["id"] for i in range(6)]
    _, cursor = await round_(conn, None)
    forum.delete_post(ids[2])
    forum.posts[ids[4]]["hidden"] = True

    pages, cursor = await round_(conn, cursor)  # rescan not yet due
    assert not any(p.gone for p in pages) and responses(pages) == {}

    clock.now += 3601
    pages, cursor = await round_(conn, cursor)
    gone = {k: v for p in pages for k, v in p.gone.items()}
    assert gone == {str(ids[2]): RemoteStatus.DELETED}
    assert responses(pages)[str(ids[4])].remote_status is RemoteStatus.HIDDEN


async def test_bad_api_key_is_a_clear_error_that_is_not_retried(forum, sleeps):
    c = DiscourseConnector("forum", forum.url, forum.api_username, "wrong", sleep=sleeps)
    try:
        with pytest.raises(ConnectorError) as err:
            await round_(c, None)
    finally:
        await c.aclose()
    assert not err.value.retryable
    assert "403" in str(err.value) and "forum" in str(err.value)
    assert "wrong" not in str(err.value)  # the key is never echoed
    assert len(forum.requests) == 1 and sleeps.calls == []


async def test_429_waits_what_discourse_asks(forum, conn, sleeps):
    forum.load_fixture()
    body = {
        "errors": ["You’ve performed this action too many times. Please wait 7 seconds."],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": 7},
    }
    forum.fail_next(429, body, path_prefix="/review.json")  # extras.wait_seconds only
    forum.fail_next(429, body, {"Retry-After": "3"}, path_prefix="/posts.json")
    pages, _ = await round_(conn, None)
    assert set(responses(pages)) == {"21", "22", "23"}
    assert sleeps.calls == [7.0, 3.0]


def test_capabilities_say_why_hold_and_spam_are_not_offered():
    assert DiscourseConnector.capabilities == {
        Capability.APPROVE,
        Capability.HIDE,
        Capability.TRASH,
        Capability.REPLY,
    }
    reasons = DiscourseConnector.unsupported_reasons
    assert set(reasons) == {Capability.HOLD, Capability.SPAM}
    assert all(len(text) > 20 for text in reasons.values())


async def test_flag_counts_become_reports_and_a_trash_carries_its_reason(forum, conn):
    """Issue 16: the review queue's scores (one per user's flag) and a post's
    ``actions_summary`` flag counts are the response's reports; trashing a post sends
    the decision's reason as the deletion's ``context`` (PostsController#destroy)."""
    topic = forum.add_topic("Verkeer")
    flagged = forum.add_post(topic, "Dit is een scheldpartij")
    forum.flag_post(flagged["id"], flags=3)
    plain = forum.add_post(topic, "Gewone reactie")
    summarised = forum.add_post(topic, "Alleen in de telling")
    summarised["actions_summary"] = [{"id": 2, "count": 5}, {"id": 8, "count": 2}]
    pages, _ = await round_(conn, None)
    got = responses(pages)
    assert got[str(flagged["id"])].reports == 3
    assert got[str(plain["id"])].reports == 0
    assert got[str(summarised["id"])].reports == 2  # spam flags; likes (2) are not reports
    action = Action(
        Capability.TRASH,
        "forum",
        str(plain["id"]),
        meta={"reason": "insult", "reason_text": "Belediging of discriminatie"},
    )
    await conn.apply(action)
    assert forum.delete_contexts[plain["id"]] == "Belediging of discriminatie"


@pytest.mark.parametrize("wrong", [True, 7.5, -3, 0, "7x", "", [7], {"id": 7}, None])
async def test_an_approved_queued_post_takes_only_a_post_id_as_its_new_id(
    forum, conn, monkeypatch, wrong
):
    """Approving a post held for approval publishes it as a new post, whose id the answer
    names (created_post_id): the store moves the response's row to it. An id of another
    kind was taken as it came (True as "1", 7.5 as "7", -3 as "-3"): the row moved to a
    post that is not it. Such an id names no post, as a reply's does not
    (base.new_comment_id): none is given, and the next round renames the row."""
    topic = forum.add_topic("Parkeren")
    rq = forum.queue_post(topic, "Mijn eerste bericht, wacht op goedkeuring")
    pages, _ = await round_(conn, None)
    queued = responses(pages)[f"queued-{rq}"]
    handle = forum.handle

    def answered_with_the_wrong_id(req: Any) -> Reply:
        reply = handle(req)
        if req.method == "PUT" and "/perform/" in req.path:
            body = copy.deepcopy(reply.body)
            body["reviewable_perform_result"]["created_post_id"] = wrong
            return Reply(reply.status, body, reply.headers)
        return reply

    monkeypatch.setattr(forum, "handle", answered_with_the_wrong_id)
    result = await conn.apply(
        Action(Capability.APPROVE, "forum", queued.external_id, meta=queued.meta)
    )
    assert result.remote_status is RemoteStatus.APPROVED
    assert result.external_id is None, result
