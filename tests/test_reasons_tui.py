"""The reason dialog, the author's pile and the Reported queue in the app (issue 16),
each checked in the store, and the dialog's snapshot at 80x24 without colour."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest
from helpers.app import SIZE, SMALL, ready, record_notices, screen_text, settle
from helpers.data import NOW, T0, fill_store, sample_responses
from helpers.store import sql
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.model import RemoteStatus
from reactieveld.reasons import ReasonsConfig, own_words
from reactieveld.store.base import QueueFilter
from reactieveld.tui.screens.reason import ReasonDialog

pytestmark = pytest.mark.usefixtures("tui_env")

ASKING = ReasonsConfig()  # the default: trash and hold ask


async def _decisions(store) -> list[tuple]:
    return await sql(
        store,
        "SELECT r.external_id, a.reason, a.reason_text FROM actions a "
        "JOIN responses r ON r.id = a.response_id WHERE a.kind = 'moderate' ORDER BY a.id",
    )


async def test_trash_asks_one_key_decides_with_that_reason(tui_store, make_app):
    app = make_app(tui_store, reasons=ASKING)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        first = screen.queue.current.response.external_id
        await pilot.press("d")
        assert isinstance(app.screen, ReasonDialog)
        assert await _decisions(tui_store) == []  # nothing before the reason
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen is screen
    assert await _decisions(tui_store) == [(first, "insult", None)]
    row = await tui_store.get_by_external("blog", first)
    assert row.response.remote_status is RemoteStatus.TRASH


async def test_escape_cancels_the_decision(tui_store, make_app):
    app = make_app(tui_store, reasons=ASKING)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        first = screen.queue.current.response.external_id
        await pilot.press("u", "escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.queue.current.response.external_id == first  # not moved on
    assert await _decisions(tui_store) == []
    [(n,)] = await sql(tui_store, "SELECT count(*) FROM outbox")
    assert n == 0


async def test_marked_ones_share_one_reason_with_the_moderators_words(tui_store, make_app):
    app = make_app(tui_store, reasons=ASKING)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("space", "space")
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog) and dialog.count == 2
        await pilot.press("8")  # other: asks the words
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # empty: still asking
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"dubbel account")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert not screen.queue.marked
    assert sorted(await _decisions(tui_store)) == [
        ("c28", "other", "dubbel account"),
        ("c29", "other", "dubbel account"),
    ]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", ["Nog geen toelichting: Anders vraagt om je eigen", "Esc: annuleren"]),
        ("en", ["No explanation yet: Other asks for your own words.", "Esc: cancel"]),
    ],
)
async def test_enter_on_empty_own_words_says_what_is_needed(
    tui_store, make_app, no_color, language, said
):
    """Enter on "other"'s empty field did nothing and said nothing (a user trial, 80x24,
    NO_COLOR). Now the dialog says in words that the reason needs the moderator's own
    words, and how to go on or out; typing brings the usual hint back."""
    app = make_app(tui_store, language=language, reasons=ASKING)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("d", "8", "space", "enter")  # a space alone is no reason
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        shown = "\n".join(screen_text(app))
        assert all(part in shown for part in said), shown
        await pilot.press("x")
        await settle(app, pilot)
        assert said[0] not in "\n".join(screen_text(app))
    assert await _decisions(tui_store) == []


_BLANKS = st.sampled_from(" \t\n\r\u00a0\u2003\u3000\u200e\u200f\u202a\u202e\u2066\u2069")


@settings(max_examples=60)
@given(
    blank=st.text(_BLANKS, max_size=12),
    word=st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=5),
)
def test_own_words_of_blanks_are_none_and_words_stay(blank, word):
    """Whatever shows as nothing (spaces of any kind, invisible bidi marks) is no reason,
    so the dialog asks again; a word between them is kept, trimmed."""
    assert own_words(blank) == ""
    assert own_words(blank + word + blank).strip() == own_words(word) != ""


async def test_spam_does_not_ask_and_is_stored_as_spam(tui_store, make_app):
    app = make_app(tui_store, reasons=ASKING)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReasonDialog)
    assert await _decisions(tui_store) == [("c29", "spam", None)]


async def test_the_reason_shows_in_the_response_views_history(tui_store, make_app):
    app = make_app(tui_store, language="en", reasons=ReasonsConfig(ask_for=("hold",)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("u", "4")
        await settle(app, pilot)
        await screen.show_queue("all")
        await settle(app, pilot)
        await screen.show_response((await tui_store.get_by_external("blog", "c29")).response.id)
        await settle(app, pilot)
        text = "\n".join(screen_text(app))
    assert "reason: Threat" in text


async def _sent_again(store, rid: int) -> tuple:
    """The newest write-back of ``rid`` (its state and meta's reason) and the reason of
    the journal entry it belongs to, which names the row it sends again."""
    import json

    [(state, meta, reason, own, after)] = await sql(
        store,
        "SELECT o.state, o.meta, a.reason, a.reason_text, a.after FROM outbox o "
        "JOIN actions a ON a.id = o.journal_id WHERE o.response_id = ? "
        "ORDER BY o.id DESC LIMIT 1",
        (rid,),
    )
    sent = json.loads(meta or "{}").get("reason")
    return state, sent, reason, own, json.loads(after).get("retry")


async def _back_to(app, pilot, screen, rid: int) -> None:
    """The response view on ``rid`` in the All queue, after a change outside the app."""
    from reactieveld.tui.messages import StoreChanged

    app.post_message(StoreChanged())
    await settle(app, pilot)
    await screen.show_queue("all")
    await settle(app, pilot)
    assert await screen.queue.jump_to_response(rid)
    await settle(app, pilot)


async def test_a_resend_keeps_the_reason_given_and_asks_nothing(tui_store, make_app):
    """A trash the site refused, sent again by its key: the app asked for the reason
    again as for a new decision, and the journal's retry took the new answer while the
    write-back sent the first. Now the view says the reason it goes with, the key sends
    it with that reason (journal and the new outbox row), no dialog, and the notice says
    which (80x24, in English)."""
    app = make_app(tui_store, language="en", reasons=ASKING)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await pilot.press("d", "3")  # trash, an insult
        await settle(app, pilot)
        [first] = await tui_store.outbox_items(response_id=rid)
        await tui_store.outbox_fail(first.id, error="blog: HTTP 403: not allowed")
        await _back_to(app, pilot, screen, rid)
        shown = " ".join(screen.query_one("#response").render_content().plain.split())
        assert "press d again to send it again · reason: Insult" in shown

        notices = record_notices(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is screen  # no dialog
        assert await _sent_again(tui_store, rid) == ("pending", "insult", "insult", None, first.id)
        assert (
            "Trash: 1 sent again, with the reason given then: Insult or discrimination" in notices
        )
    assert [r for _, r, _ in await _decisions(tui_store)] == ["insult", "insult"]


async def test_a_resend_of_a_decision_without_a_reason_asks_once(tui_store, make_app):
    """A trash decided when nothing asked for a reason, refused by the site, sent again
    now that trash asks: the dialog asks once; the retry's journal entry and new outbox
    row carry that reason, and a resend after it keeps it without asking again."""
    [row] = [r for r in await tui_store.queue(QueueFilter()) if r.response.external_id == "c29"]
    rid = row.response.id
    [oid] = (await tui_store.moderate([rid], RemoteStatus.TRASH, actor="tester")).outbox_ids
    await tui_store.outbox_fail(oid, error="blog: HTTP 403: not allowed")
    app = make_app(tui_store, language="en", reasons=ASKING)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        await _back_to(app, pilot, screen, rid)
        await pilot.press("d")
        assert isinstance(app.screen, ReasonDialog)  # asked: the decision had none
        await pilot.press("4")
        await settle(app, pilot)
        assert app.screen is screen
        assert await _sent_again(tui_store, rid) == ("pending", "threat", "threat", None, oid)
        [again, _] = await tui_store.outbox_items(response_id=rid)
        await tui_store.outbox_fail(again.id, error="blog: HTTP 403: not allowed")
        await _back_to(app, pilot, screen, rid)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is screen  # not asked twice
    assert await _sent_again(tui_store, rid) == ("pending", "threat", "threat", None, again.id)


async def _two_sources(path: Path):
    """Anna on the blog and on the forum (same e-mail: one author key), Bert on the blog."""
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(path)
    blog, threads = sample_responses("blog", 6)
    await fill_store(store, "blog", blog, threads)
    forum, fthreads = sample_responses("forum", 6, start=100)
    await fill_store(store, "forum", forum, fthreads, type="discourse")
    return store


async def test_the_authors_pile_across_two_sources_then_one_decision(tmp_path, make_app):
    store = await _two_sources(tmp_path / "m.db")
    try:
        row = (await store.queue(replace_new()))[0]
        expected = {r.response.id for r in await store.author_pending(row)}
        sources = {r.response.source for r in await store.author_pending(row)}
        assert sources == {"blog", "forum"} and len(expected) >= 3
        app = make_app(store, language="en", reasons=ASKING)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            assert screen.queue.current.response.id == row.response.id
            await pilot.press("P")
            await settle(app, pilot)
            # The marks and their count show before anything is decided.
            assert screen.queue.marked == expected
            assert await _decisions(store) == []
            status = "\n".join(screen_text(app))
            assert f"{len(expected)}" in status
            await pilot.press("d", "1")
            await settle(app, pilot)
        decided = await sql(
            store,
            "SELECT response_id, reason FROM actions WHERE kind = 'moderate' ORDER BY id",
        )
        assert {rid for rid, _ in decided} == expected
        assert {reason for _, reason in decided} == {"illegal"}
        assert await store.author_pending(row) == []
    finally:
        await store.close()


def replace_new():
    from reactieveld.model import TriageState
    from reactieveld.store.base import QueueFilter

    return QueueFilter(triage=TriageState.NEW)


async def test_reported_queue_and_the_count_on_the_row(tmp_path, make_app):
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        responses, threads = sample_responses("forum", 5)
        responses[1] = replace(responses[1], meta={"reports": 2})
        await fill_store(store, "forum", responses, threads, type="discourse")
        app = make_app(store, language="en")
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await settle(app, pilot)
            assert "reported" in screen.queues
            tabs = str(screen.query_one("#queue-tabs").render_content())
            assert "Reported 1" in tabs
            await screen.show_queue("reported")
            await settle(app, pilot)
            assert [r.response.external_id for r in screen.queue.rows] == ["c1"]
            lines = screen_text(app)
            assert any("⚑2" in line for line in lines)
            assert any("reported 2× by the platform's users" in line for line in lines)
            await pilot.press("a")  # approved: handled, out of the work queue
            await settle(app, pilot)
            assert screen.queue.total == 0
    finally:
        await store.close()


def test_reason_dialog_snapshot_80x24_no_color(snap_compare, tmp_path, no_color):
    """The dialog at the smallest terminal, without colour: every key in brackets."""
    from reactieveld.store.sqlite import SqliteStore
    from reactieveld.tui.app import ReactieveldApp

    path = tmp_path / "m.db"

    async def build() -> None:
        store = await SqliteStore.open(path)
        responses, threads = sample_responses("blog", 5, t0=T0)
        await fill_store(store, "blog", responses, threads)
        await store.close()

    asyncio.run(build())
    app = ReactieveldApp(
        None, db_path=path, language="nl", tz=UTC, actor="t", reasons=ASKING, clock=lambda: NOW
    )

    async def run_before(pilot) -> None:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        await settle(app, pilot)
        await pilot.press("space", "space", "d")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SMALL)


def test_ask_for_and_choices_in_the_config(tmp_path):
    from reactieveld.config import load_config

    path = tmp_path / "c.toml"
    path.write_text(
        '[reasons]\nask_for = ["trash", "spam"]\n\n[[reasons.choices]]\ncode = "scheld"\n'
        'key = "s"\nnl = "Schelden"\nen = "Swearing"\n\n[[reasons.choices]]\ncode = "anders"\n'
        'key = "o"\nnl = "Anders"\nen = "Other"\nother = true\n',
        encoding="utf-8",
    )
    reasons = load_config(path).reasons
    assert reasons.ask_for == ("trash", "spam")
    assert reasons.asks(RemoteStatus.SPAM) and not reasons.asks(RemoteStatus.HOLD)
    assert [r.code for r in reasons.choices] == ["scheld", "anders"]
    assert reasons.choices[1].asks_text and reasons.choices[0].label("en") == "Swearing"
    assert reasons.implied(RemoteStatus.SPAM) is None  # no "spam" code in this list
    assert load_config(None).reasons.ask_for == ("trash", "hold")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_pile_notice_counts_the_authors_responses_not_every_mark(
    tmp_path, make_app, language
):
    """``P`` after another author's response was marked with space: the notice said the
    count of every mark as this author's ("✱ 3 openstaande reacties van Pieter van Dijk"
    for one of his and two marked before); it says the author's own and the total apart."""
    store = await _two_sources(tmp_path / "m.db")
    try:
        rows = await store.queue(replace_new())
        anna = rows[0]
        own = {r.response.id for r in await store.author_pending(anna)}
        other = next(r for r in rows if r.response.id not in own)
        app = make_app(store, language=language, reasons=ASKING)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            while screen.queue.current.response.id != other.response.id:
                await pilot.press("j")
            await pilot.press("space")
            while screen.queue.current.response.id != anna.response.id:
                await pilot.press("k")
            said = record_notices(app)
            await pilot.press("P")
            await settle(app, pilot)
            assert screen.queue.marked == own | {other.response.id}
        [notice] = [s for s in said if "✱" in s]
        author = anna.response.author_name
        expected = app.i18n.t("pile.marked", n=len(own), author=author, sources="")
        assert notice.startswith(expected.split(" (")[0] + " (")
        assert notice.endswith(app.i18n.t("pile.marked.total", n=len(own) + 1))
    finally:
        await store.close()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("key", ["u", "d"])
async def test_the_reason_dialog_names_the_decision_as_its_heading(
    tui_store, make_app, language, key
):
    """The decision's name is its tab's label, capitalised (In afwachting, Prullenbak):
    after a word it read "Reden voor In afwachting"; it opens the title now."""
    app = make_app(tui_store, language=language, reasons=ASKING)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press(key)
        assert isinstance(app.screen, ReasonDialog)
        title = str(app.screen.query_one(".dialog-title").render())
        label = app.i18n.t("queue." + {"u": "hold", "d": "trash"}[key])
        assert title.startswith(f"{label}: "), title
        await pilot.press("escape")
