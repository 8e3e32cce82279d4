"""A write-back no resend can mend says so, and its key does not send it again.

Found on the real WordPress: a decision on a comment deleted on the site since failed
("comment N no longer exists on the site") and the response view still said "press s
again to send it again", which could only fail again. The outbox now keeps on the row
why no resend alone can succeed (``model_values.FAILURE_KINDS``, read from the
connector's answer by ``failures.failure_kind``); the view says what to do instead, and
where nothing can (``FINAL_KINDS``) the key says so in one line and sends nothing.
Against the WordPress-shaped fake of tools/wp-real served on 127.0.0.1, on both store
backends; the TUI at 80x24 without colour.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import pytest
from fakes.decidim import FakeDecidim
from helpers.app import SMALL, press, ready, record_notices, screen_text, settle
from helpers.store import sql
from wpreal import served_fakewp

from reactieveld.config import SourceConfig
from reactieveld.connectors.base import ActionConflict, ConnectorError
from reactieveld.connectors.decidim import DecidimConnector
from reactieveld.connectors.wordpress import WordPressConnector
from reactieveld.failures import failure_kind
from reactieveld.i18n import STRINGS, stored
from reactieveld.model import Action, Capability, RemoteStatus, Source
from reactieveld.model_kinds import OutboxState
from reactieveld.model_values import FAILURE_KINDS, FINAL_KINDS, OutboxItem
from reactieveld.outbox import OutboxWorker
from reactieveld.store.open import open_store
from reactieveld.sync import SyncEngine

PASSWORD = "app-pass-1"
#: Every kind of the one table, in a fixed order.
KINDS = sorted(set(FAILURE_KINDS.values()))
TEXT = "Dank voor uw reactie."


def _source(wp: Any) -> SourceConfig:
    return SourceConfig("blog", "wordpress", 30.0, MappingProxyType({"url": wp.base}))


def _delete(wp: Any, cid: int) -> None:
    """The comment deleted for good on the site (not in the trash)."""
    with wp.lock:
        del wp.comments[cid]
        wp.ids.remove(cid)


def _fields(english: str) -> dict[str, str]:
    """Values for every field of a template (digits: some fields are read as numbers)."""
    import re

    return {name: "7" for name in re.findall(r"\{(\w+)\}", english)}


def test_every_connector_answer_has_one_kind() -> None:
    """Each answer a connector can give (every stored ``conn.*`` text), refused or as a
    conflict: the kind of the one table, or none (a resend may mend it); one a later try
    mends anyway (retryable) has none."""
    wrong = []
    for key in sorted(k for k in STRINGS if k.startswith("conn.")):
        message = stored(key, **_fields(STRINGS[key][1]))
        want = FAILURE_KINDS.get(key)
        got = (
            failure_kind(ConnectorError("blog", message, retryable=False)),
            failure_kind(ActionConflict("blog", message)),
            failure_kind(ConnectorError("blog", message, retryable=True)),
        )
        if got != (want, want, None):
            wrong.append((key, got))
    assert not wrong


def test_every_kind_says_what_to_do_in_both_languages() -> None:
    """A final kind names no key (none sends it); any other names the key to press once
    the site is put right."""
    for kind in set(FAILURE_KINDS.values()):
        for words in STRINGS[f"view.outbox.kind.{kind}"]:
            assert ("{press}" in words) is (kind not in FINAL_KINDS), kind
    assert FINAL_KINDS <= set(FAILURE_KINDS.values())


async def _decided(store_target: str, wp: Any) -> tuple[Any, SyncEngine, dict[str, int]]:
    """The memory synced from ``wp``, every comment on hold there, and the write-backs of
    five decisions failed as the site left them (by name -> response id):

    * ``gone``: spam, the comment deleted on the site since;
    * ``old``: the same, its row as recorded before the kind was kept;
    * ``changed``: spam, the comment approved on the site since (a conflict the moderator
      now sees: a resend may go through);
    * ``closed``: a reply, comments closed on its post since;
    * ``gone_reply``: a reply to a comment deleted since."""
    ids = sorted(wp.comments)
    for cid in ids:
        with wp.lock:
            wp.comments[cid]["status"] = "hold"
    names = ["gone", "old", "changed", "closed", "gone_reply"]
    cids = dict(zip(names, ids, strict=False))
    store = await open_store(store_target)
    conn = WordPressConnector("blog", wp.base, username="admin", password=PASSWORD)
    engine = SyncEngine(store, [(_source(wp), conn)])
    assert (await engine.sync_source("blog")).ok
    rids = {n: (await store.get_by_external("blog", str(c))).response.id for n, c in cids.items()}
    await store.moderate(
        [rids["gone"], rids["old"], rids["changed"]], RemoteStatus.SPAM, actor="anna"
    )
    await store.reply(rids["closed"], TEXT, actor="anna")
    await store.reply(rids["gone_reply"], TEXT, actor="anna")
    _delete(wp, cids["gone"])
    _delete(wp, cids["old"])
    _delete(wp, cids["gone_reply"])
    with wp.lock:
        wp.comments[cids["changed"]]["status"] = "approved"
        wp.posts[wp.comments[cids["closed"]]["post"]]["comment_status"] = "closed"
    run = await OutboxWorker(store, engine.connectors).run_once()
    assert (run.conflicts, run.failed, run.done) == (4, 1, 0)
    await sql(store, "UPDATE outbox SET failure_kind = NULL WHERE response_id = ?", (rids["old"],))
    return store, engine, rids


async def test_the_kind_is_kept_and_a_gone_comment_is_not_sent_again(store_target: str) -> None:
    """The row keeps why (gone, closed; none for a status changed on the site); the
    decision's key again sends a changed one and an old row anew, as before, and a gone
    one not: the decision stays in the memory only."""
    with served_fakewp(5, password=PASSWORD) as wp:
        store, engine, rids = await _decided(store_target, wp)
        try:
            kinds = {
                name: [
                    (i.state.value, i.failure_kind)
                    for i in await store.outbox_items(response_id=rid)
                ]
                for name, rid in rids.items()
            }
            assert kinds == {
                "gone": [("conflict", "gone")],
                "old": [("conflict", None)],
                "changed": [("conflict", None)],
                "closed": [("failed", "closed")],
                "gone_reply": [("conflict", "gone")],
            }
            spammed = [rids["gone"], rids["old"], rids["changed"]]
            assert await store.resends(spammed, RemoteStatus.SPAM) == {
                rids["old"]: None,
                rids["changed"]: None,
            }
            await store.moderate(spammed, RemoteStatus.SPAM, actor="anna")
            states = {
                name: [i.state.value for i in await store.outbox_items(response_id=rids[name])]
                for name in ("gone", "old", "changed")
            }
            assert states == {
                "gone": ["conflict"],
                "old": ["pending", "conflict"],
                "changed": ["pending", "conflict"],
            }
            row = await store.get(rids["gone"])
            assert row.response.remote_status is RemoteStatus.SPAM  # in the memory
        finally:
            await engine.aclose()
            await store.close()


#: What the view says after why, and the key's line, per language.
SAID = {
    "en": {
        "gone": "no longer exists on the site — sending it again cannot succeed: the "
        "decision stays in the memory only",
        "closed": "— reopen comments on the post on the site, then press r (its text is filled in)",
        "changed": "— press s again to send it again",
        "not_resent": "Not sent again: blog: comment {ext} no longer exists on the site",
    },
    "nl": {
        "gone": "bestaat niet meer op de site — opnieuw versturen kan niet slagen: de "
        "beslissing blijft alleen in het geheugen",
        "closed": "— zet de reacties bij het bericht op de site weer open en druk dan op r "
        "(de tekst staat klaar)",
        "changed": "— druk nogmaals op s om opnieuw te versturen",
        "not_resent": "Niet opnieuw verstuurd: blog: reactie {ext} bestaat niet meer op de site",
    },
}


def _flat(text: str) -> str:
    return " ".join(text.split())


async def _all_tab(app: Any, pilot: Any, rids: dict[str, int]) -> tuple[Any, Any]:
    """The ready app's screen on its All tab, and how to show a response by name there
    (the response view's text, its lines joined)."""
    screen = await ready(app, pilot)
    await press(pilot, "tab", "tab", "tab", "tab", "tab")  # all

    async def shown(name: str) -> str:
        assert await screen.queue.jump_to_response(rids[name])
        await settle(app, pilot)
        return _flat(screen.query_one("#response").render_content().plain)

    return screen, shown


async def test_the_view_says_what_to_do_and_the_key_why(
    store_target: str, make_app: Any, tui_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80x24 without colour (Dutch on SQLite, English on PostgreSQL: one app run
    each): a gone comment's decision says it stays in the memory, not "press s again",
    and s says why in one line and sends nothing; the reply to a gone comment the same,
    r opening no editor; a reply to a post closed since says to reopen comments, then
    press r; a status changed on the site (and a row recorded before the kind) is sent
    again by its key as before."""
    monkeypatch.setenv("NO_COLOR", "1")
    language = "nl" if store_target.endswith(".db") else "en"
    said = SAID[language]
    with served_fakewp(5, password=PASSWORD) as wp:
        store, engine, rids = await _decided(store_target, wp)
        await engine.aclose()
        try:
            app = make_app(store, language=language)
            notices = record_notices(app)
            async with app.run_test(size=SMALL) as pilot:
                screen, shown = await _all_tab(app, pilot, rids)

                for name in ("gone", "gone_reply"):
                    view = await shown(name)
                    assert said["gone"] in view and said["changed"] not in view, view
                    assert "druk op r" not in view and "press r" not in view, view
                # On the screen itself, within 80 columns: paged down to it.
                seen = ""
                for _ in range(6):
                    seen = _flat(" ".join(screen_text(app)))
                    if said["gone"][-30:] in seen:
                        break
                    await press(pilot, "J")
                assert said["gone"][-30:] in seen, seen
                assert all(len(line) <= 80 for line in screen_text(app))

                assert said["closed"] in await shown("closed")
                for name in ("changed", "old"):
                    assert said["changed"] in await shown(name)

                # The key on the gone comment's decision: one line, nothing sent.
                for name, key in (("gone", "s"), ("gone_reply", "r")):
                    await shown(name)
                    before = await store.outbox_items(response_id=rids[name])
                    notices.clear()
                    await press(pilot, key)
                    ext = (await store.get(rids[name])).response.external_id
                    assert notices == [said["not_resent"].format(ext=ext)]
                    assert await store.outbox_items(response_id=rids[name]) == before
                    assert app.screen is screen  # no editor opened
                # A status changed on the site: its key sends it again, as before.
                await shown("changed")
                await press(pilot, "s")
                states = [
                    i.state.value for i in await store.outbox_items(response_id=rids["changed"])
                ]
                assert states == ["pending", "conflict"]
        finally:
            await store.close()


async def test_a_reply_decidim_did_not_accept_keeps_why(store_target: str) -> None:
    """Decidim's answer to a reply on an item closed for comments (served on 127.0.0.1):
    the row keeps the kind whose view says to open it for comments, then press r."""
    with FakeDecidim() as portal:
        space = portal.add_space("Gesloten", "gesloten")
        comp = portal.add_component(space, "Proposals")
        item = portal.add_item(comp, "Afgerond", accepts_comments=False)
        cid = portal.add_comment(comp, item, "Oud")
        store = await open_store(store_target)
        conn = DecidimConnector(
            "portaal", portal.url, api_key=portal.api_key, api_secret=portal.api_secret
        )
        try:
            await store.ensure_source(Source("portaal", "decidim"))
            await store.enqueue(Action(Capability.REPLY, "portaal", cid, text=TEXT))
            run = await OutboxWorker(store, {"portaal": conn}).run_once()
            assert run.failed == 1
            [row] = await store.outbox_items()
            assert (row.state.value, row.failure_kind) == ("failed", "not_accepted")
        finally:
            await conn.aclose()
            await store.close()


def _item(state: OutboxState, kind: str | None) -> OutboxItem:
    action = Action(Capability.SPAM, "blog", "1")
    return OutboxItem(1, action, 1, 1, state, 1, datetime.now(UTC), failure_kind=kind)


def test_each_kind_has_a_heading_that_says_what_stopped_it() -> None:
    """The view's heading of a write-back no resend mends fits its kind, in both
    languages: "conflict: changed on the platform" said of a status the site refused or
    a reply it did not accept was untrue (nothing changed there)."""
    from reactieveld.tui.widgets.response_view import outbox_heading

    for kind in set(FAILURE_KINDS.values()):
        for state in (OutboxState.CONFLICT, OutboxState.FAILED):
            item = _item(state, kind)
            key = outbox_heading(state.value, item)
            assert key == f"outbox.kind.{kind}", (kind, state)
            for words in STRINGS[key]:
                assert "conflict" not in words and "platform" not in words, words
    assert outbox_heading("conflict", _item(OutboxState.CONFLICT, "newer")) == "outbox.conflict"
    assert outbox_heading("conflict", None) == "outbox.conflict"


async def test_the_heading_fits_the_kind_on_screen(
    store_target: str, make_app: Any, tui_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80x24 without colour (both backends): a status the site refused, a reply not
    accepted, a post still in review are not headed "conflict: changed on the platform";
    a status changed on the site still is."""
    monkeypatch.setenv("NO_COLOR", "1")
    with served_fakewp(5, password=PASSWORD) as wp:
        store, engine, rids = await _decided(store_target, wp)
        await engine.aclose()
        try:
            app = make_app(store, language="en")
            async with app.run_test(size=SMALL) as pilot:
                screen, shown = await _all_tab(app, pilot, rids)

                assert "Write-back: conflict: changed on the platform" in await shown("changed")
                # The header: the two gone ones can never be written back, not counted.
                assert "not written back: 3" in " ".join(screen_text(app)[:2])
                for kind in ("refused", "queued", "not_accepted"):
                    await sql(
                        store,
                        "UPDATE outbox SET failure_kind = ? WHERE response_id = ?",
                        (kind, rids["old"]),
                    )
                    await shown("changed")
                    view = await shown("old")
                    heading = _flat(STRINGS[f"outbox.kind.{kind}"][1])
                    assert f"Write-back: {heading}" in view, view
                    assert "changed on the platform" not in view, view
                assert all(len(line) <= 80 for line in screen_text(app))
        finally:
            await store.close()


async def test_the_header_counts_only_what_can_still_be_written_back(
    store_target: str,
) -> None:
    """ "not written back: N" stayed red for ever on a decision whose comment was gone
    from the site: no key could clear it. It counts each response's newest write-back
    that failed or conflicted and that a resend (after a fix on the site, for some
    kinds) can still get written back; the final kinds are not (both backends, every
    kind, failed and in conflict; the figure computed a second way from the rows)."""
    from helpers.store import open_store as open_test_store
    from helpers.store import page, resp

    cases = [(state, kind) for state in ("failed", "conflict") for kind in (None, *KINDS)]
    store = await open_test_store(store_target)
    try:
        hold = RemoteStatus.HOLD
        exts = [str(n) for n in range(len(cases) + 2)]
        await store.upsert_page("blog", page(*(resp(e, status=hold) for e in exts)))
        rids = [(await store.get_by_external("blog", e)).response.id for e in exts]
        for rid, (state, kind) in zip(rids, cases, strict=False):
            [oid] = (await store.moderate([rid], RemoteStatus.SPAM, actor="m")).outbox_ids
            await store.outbox_fail(oid, error="blog: no", conflict=state == "conflict", kind=kind)
        # A later decision on a gone one's response: its write-back waits, as any.
        await store.outbox_fail(
            (await store.moderate([rids[-2]], RemoteStatus.SPAM, actor="m")).outbox_ids[0],
            error="blog: comment gone",
            conflict=True,
            kind="gone",
        )
        await store.moderate([rids[-2]], RemoteStatus.APPROVED, actor="m")
        await store.moderate([rids[-1]], RemoteStatus.SPAM, actor="m")  # waiting

        newest: dict[int | None, Any] = {}
        for item in sorted(await store.outbox_items(), key=lambda i: i.id):
            newest[item.response_id] = item
        mendable = [
            rid
            for rid, item in newest.items()
            if item.state.value in ("failed", "conflict") and item.failure_kind not in FINAL_KINDS
        ]
        counts = await store.counts()
        assert counts.outbox_conflicts == len(mendable) == 2 * (1 + len(KINDS) - len(FINAL_KINDS))
        assert counts.outbox_pending == 2
    finally:
        await store.close()
