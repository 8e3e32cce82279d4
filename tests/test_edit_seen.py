"""A comment edited on the site after the moderator saw it is never approved unseen.

The write-back of a decision carries the digest of the text the moderator saw
(``model_values.text_digest``); WordPress's connector reads the comment before it acts
and an approval of an edited comment is a conflict (``model_values.EDIT_STOPS``), with
the new text stored. Against the WordPress-shaped fake here, on both store backends;
against the real WordPress in test_wordpress_real.py.
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType
from typing import Any

import pytest
from editcases import BASE, EDITS, edited_raw
from helpers.store import sql
from hypothesis import given, settings
from hypothesis import strategies as st
from wpreal import served_fakewp

from reactieveld.config import SourceConfig
from reactieveld.connectors.htmltext import html_to_text
from reactieveld.connectors.wordpress import WordPressConnector
from reactieveld.i18n import in_language
from reactieveld.model import Capability, RemoteStatus
from reactieveld.model_values import EDIT_STOPS, text_digest
from reactieveld.outbox import OutboxWorker
from reactieveld.store.open import open_store
from reactieveld.sync import SyncEngine

PASSWORD = "app-pass-1"

#: A decision, the status a comment has before it (another), and WordPress's word.
DECISIONS = {
    RemoteStatus.APPROVED: "hold",
    RemoteStatus.HOLD: "approved",
    RemoteStatus.SPAM: "hold",
    RemoteStatus.TRASH: "approved",
}


def _digest_of_html(raw: str) -> str:
    return text_digest(html_to_text(f"<p>{raw}</p>\n"), raw)


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_which_edits_count(kind: str) -> None:
    """Whitespace-only and markup-only edits are no edit; a word, an emoji or a link's
    target is (the reader would see or follow something else)."""
    before, after = _digest_of_html(BASE), _digest_of_html(edited_raw(kind))
    assert (before != after) is EDITS[kind]


_WORD = st.text(
    st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1, max_size=8
)
_SPACE = st.text(st.sampled_from(" \t\n\r\xa0\u2003\u3000"), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=8), st.data())
def test_any_respacing_is_no_edit_and_any_other_word_is(words: list[str], data: Any) -> None:
    spaces = [data.draw(_SPACE) for _ in range(len(words) + 1)]
    spaced = spaces[0] + "".join(w + s for w, s in zip(words, spaces[1:], strict=True))
    assert text_digest(spaced) == text_digest(" ".join(words))
    i = data.draw(st.integers(0, len(words) - 1))
    other = data.draw(_WORD.filter(lambda w: _nfc(w) != _nfc(words[i])))
    changed = [*words[:i], other, *words[i + 1 :]]
    assert text_digest(" ".join(changed)) != text_digest(" ".join(words))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_only_an_approval_stops_at_an_edit() -> None:
    """The one rule (model_values.EDIT_STOPS): removing an edited comment is still right."""
    assert EDIT_STOPS == {Capability.APPROVE.value}


def _set_text(wp: Any, cid: int, raw: str) -> None:
    with wp.lock:
        wp.comments[cid]["content"] = {"raw": raw, "rendered": f"<p>{raw}</p>\n"}


async def test_an_approval_of_a_comment_edited_on_the_site_is_a_conflict(
    store_target: str,
) -> None:
    """Every decision x an edit or none between the sync and the write-back (an approval
    x every kind: whitespace, markup, word, emoji, link): only an approval of a really
    edited comment stops, the comment stays unapproved and its new text is stored; every
    other one is applied once. Approving again (the moderator has the new text) goes
    through; a row queued before the digest was kept acts as before."""
    # An approval meets every kind; a hold, spam or trash an edit that counts, and none.
    cases: list[tuple[RemoteStatus | str, str]] = [
        (status, kind)
        for status in DECISIONS
        for kind in (
            ["none", *sorted(EDITS)] if status is RemoteStatus.APPROVED else ["none", "word"]
        )
    ] + [("old", "word")]
    with served_fakewp(len(cases), password=PASSWORD) as wp:
        ids = sorted(wp.comments)
        for cid, (status, _kind) in zip(ids, cases, strict=True):
            with wp.lock:
                wp.comments[cid]["status"] = "hold" if status == "old" else DECISIONS[status]
            _set_text(wp, cid, BASE)
        store = await open_store(store_target)
        conn = WordPressConnector("blog", wp.base, username="admin", password=PASSWORD)
        engine = SyncEngine(store, [(_source(wp), conn)])
        try:
            assert (await engine.sync_source("blog")).ok
            rows = {cid: await store.get_by_external("blog", str(cid)) for cid in ids}
            by_decision: dict[RemoteStatus, list[int]] = {}
            for cid, (status, _kind) in zip(ids, cases, strict=True):
                decide = RemoteStatus.APPROVED if status == "old" else status
                by_decision.setdefault(decide, []).append(rows[cid].response.id)
            for decide, rids in by_decision.items():
                await store.moderate(rids, decide, actor="anna")
            old_id = ids[-1]  # as queued before migration 0020: no digest
            await sql(
                store,
                "UPDATE outbox SET expected_digest = NULL WHERE response_id = ?",
                (rows[old_id].response.id,),
            )
            for cid, (_status, kind) in zip(ids, cases, strict=True):
                if kind != "none":
                    _set_text(wp, cid, edited_raw(kind))
            changes = wp.status_changes

            run = await OutboxWorker(store, engine.connectors).run_once()

            stops = {
                cid
                for cid, (status, kind) in zip(ids, cases, strict=True)
                if status is RemoteStatus.APPROVED and EDITS.get(kind, False)
            }
            assert len(stops) == 3 and run.conflicts == 3
            assert run.done == len(cases) - 3 == wp.status_changes - changes  # each once
            truth = wp.by_status()
            for cid, (status, _kind) in zip(ids, cases, strict=True):
                want = "approved" if status == "old" else _wp_word(status)
                assert truth[str(cid)] == ("hold" if cid in stops else want), cid
            conflicts = await store.outbox_items(states=["conflict"])
            assert {int(i.action.external_id) for i in conflicts} == stops
            for item in conflicts:
                line = f"comment {item.action.external_id} was edited on the site after you saw it"
                assert line in (item.last_error or "")
                nl = in_language(item.last_error or "", "nl")
                assert f"reactie {item.action.external_id} is op de site bewerkt" in nl
                # The memory has the new words: the conflict shows what the site has.
                row = await store.get_by_external("blog", item.action.external_id)
                assert (
                    row.response.body_raw
                    == wp.comments[int(item.action.external_id)]["content"]["raw"]
                )
                assert row.version > rows[int(item.action.external_id)].version

            # The moderator saw the new text and approves again: it goes through.
            again = [(await store.get_by_external("blog", str(cid))).response.id for cid in stops]
            await store.moderate(again, RemoteStatus.APPROVED, actor="anna")
            run = await OutboxWorker(store, engine.connectors).run_once()
            assert run.done == 3 and run.conflicts == 0
            assert all(wp.by_status()[str(cid)] == "approved" for cid in stops)
        finally:
            await engine.aclose()
            await store.close()


def _wp_word(status: RemoteStatus) -> str:
    return {RemoteStatus.APPROVED: "approved"}.get(status, status.value)


def _source(wp: Any) -> SourceConfig:
    return SourceConfig("blog", "wordpress", 30.0, MappingProxyType({"url": wp.base}))


async def test_an_undone_hold_approves_no_text_edited_since(store_target: str) -> None:
    """An approved comment held and the hold undone: the undo's write-back approves it
    again. Edited on the site in between, that published words no moderator saw; now it
    is a conflict (the comment stays on hold), unedited it is applied."""
    with served_fakewp(2, password=PASSWORD) as wp:
        ids = sorted(wp.comments)
        for cid in ids:
            with wp.lock:
                wp.comments[cid]["status"] = "approved"
            _set_text(wp, cid, BASE)
        store = await open_store(store_target)
        conn = WordPressConnector("blog", wp.base, username="admin", password=PASSWORD)
        engine = SyncEngine(store, [(_source(wp), conn)])
        worker = OutboxWorker(store, engine.connectors)
        try:
            assert (await engine.sync_source("blog")).ok
            rids = [(await store.get_by_external("blog", str(c))).response.id for c in ids]
            await store.moderate(rids, RemoteStatus.HOLD, actor="anna")
            assert (await worker.run_once()).done == 2
            edited, unedited = ids
            _set_text(wp, edited, edited_raw("word"))
            await store.undo_last(actor="anna")
            run = await worker.run_once()
            assert run.done == 1 and run.conflicts == 1
            assert wp.by_status() == {str(edited): "hold", str(unedited): "approved"}
        finally:
            await engine.aclose()
            await store.close()


@pytest.mark.parametrize("kind", ["none", *sorted(EDITS)])
async def test_discourse_keeps_no_flagged_post_its_author_edited_unseen(kind: str) -> None:
    """Approving a flagged post (the flag's ``disagree``: it stays in sight) after its
    author edited it kept the new words visible unseen; now a real edit is a conflict
    (nothing performed, the post as it is now handed on with its review item), and
    whitespace or markup alone is performed as before."""
    from fakes.discourse import FakeDiscourse
    from helpers.connectors import responses, round_

    from reactieveld.connectors.base import ActionConflict
    from reactieveld.connectors.discourse import DiscourseConnector
    from reactieveld.model import Action

    with FakeDiscourse() as forum:
        post = forum.add_post(forum.add_topic("Parkeren"), BASE, cooked=f"<p>{BASE}</p>")
        rf = forum.flag_post(post["id"])
        conn = DiscourseConnector("forum", forum.url, forum.api_username, forum.api_key)
        try:
            pages, _ = await round_(conn, None)
            seen = responses(pages)[str(post["id"])]
            if kind != "none":
                with forum.lock:
                    raw = edited_raw(kind)
                    forum.posts[post["id"]].update(raw=raw, cooked=f"<p>{raw}</p>")
            action = Action(
                Capability.APPROVE,
                "forum",
                seen.external_id,
                expected_status=seen.remote_status,
                expected_text_digest=text_digest(seen.body_text, seen.body_raw),
                meta=seen.meta,
            )
            if EDITS.get(kind, False):
                with pytest.raises(ActionConflict) as err:
                    await conn.apply(action)
                assert "was edited on the site after you saw it" in str(err.value)
                fresh = err.value.response
                assert fresh is not None and fresh.body_raw == edited_raw(kind)
                assert fresh.meta["reviewable_id"] == rf and fresh.meta["flagged"] is True
                assert not [r for r in forum.requests if r.method == "PUT"]
                assert forum.reviewables[rf]["status"] == 0  # the flag still waits
            else:
                assert (await conn.apply(action)).remote_status is RemoteStatus.APPROVED
                [put] = [r for r in forum.requests if r.method == "PUT"]
                assert put.path == f"/review/{rf}/perform/disagree"
        finally:
            await conn.aclose()
