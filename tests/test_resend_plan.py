"""One rule for what a decision's key (or ``r``) pressed again sends: the store's resend
plan, for one response and for marked ones alike.

The store refused to resend marked rows whose write-back can never succeed (a final
kind: the comment gone from the site) without saying so, and the TUI had its own check
for the one row under the cursor (it read that row's newest write-back before the key).
Now the store's plan (``resends``, and ``moderate``'s outcome) names the responses it
does not send again with why, and the TUI says that in one line: for marked rows too,
and without asking a reason for a decision it cannot send. Both backends, every kind,
failed and in conflict; the TUI at 80x24 without colour.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, press, ready, record_notices, settle
from helpers.store import open_store, page, resp

from reactieveld.i18n import stored
from reactieveld.model import Capability, RemoteStatus
from reactieveld.model_values import FAILURE_KINDS, FINAL_KINDS
from reactieveld.reasons import ReasonsConfig

KINDS = sorted(set(FAILURE_KINDS.values()))
CASES = [(state, kind) for state in ("failed", "conflict") for kind in (None, *KINDS)]


def _error(ext: str) -> str:
    return "blog: " + stored("conn.wp.gone", id=ext)


async def _failed(store: Any, status: RemoteStatus = RemoteStatus.SPAM) -> dict[str, int]:
    """A response per case of :data:`CASES` decided on ``status``, its write-back failed
    or in conflict with that kind (by external id -> response id); plus ``reply``: a
    reply to a comment gone since."""
    exts = [str(n) for n in range(len(CASES))]
    hold = RemoteStatus.HOLD
    await store.upsert_page("blog", page(*(resp(e, status=hold) for e in [*exts, "reply"])))
    rids = {e: (await store.get_by_external("blog", e)).response.id for e in [*exts, "reply"]}
    for ext, (state, kind) in zip(exts, CASES, strict=True):
        [oid] = (await store.moderate([rids[ext]], status, actor="m")).outbox_ids
        await store.outbox_fail(oid, error=_error(ext), conflict=state == "conflict", kind=kind)
    [oid] = (await store.reply(rids["reply"], "Dank", actor="m")).outbox_ids
    await store.outbox_fail(oid, error=_error("reply"), conflict=True, kind="gone")
    return rids


async def test_one_plan_for_one_response_and_marked_ones(store_target: str) -> None:
    """Each response whose write-back of the decision can never succeed is named with its
    stored error, alone or among marked ones; the others are sent again (no reason:
    none was given); the decision names the same ones and queues nothing for them. A
    reply to a response whose newest reply can never be written back: named for ``r``,
    not for a decision (another write-back)."""
    store = await open_store(store_target)
    try:
        rids = await _failed(store)
        final = {
            rids[str(n)]: _error(str(n)) for n, (_, kind) in enumerate(CASES) if kind in FINAL_KINDS
        }
        mendable = {rids[str(n)]: None for n, (_, k) in enumerate(CASES) if k not in FINAL_KINDS}
        everyone = list(rids.values())
        spam = RemoteStatus.SPAM

        plan = await store.resends(everyone, spam)
        assert (plan, plan.refused) == (mendable, final)
        for rid in everyone:  # one response: the same answer as among marked ones
            alone = await store.resends([rid], spam)
            assert alone.refused == ({rid: final[rid]} if rid in final else {})
            assert alone == ({rid: None} if rid in mendable else {})
        reply = await store.resends(everyone, Capability.REPLY)
        assert (reply, reply.refused) == ({}, {rids["reply"]: _error("reply")})

        before = {rid: await store.outbox_items(response_id=rid) for rid in final}
        outcome = await store.moderate(everyone, spam, actor="m")
        assert outcome.refused == final
        assert len(outcome.outbox_ids) == len(mendable) + 1  # and the replied one's spam
        for rid, items in before.items():
            assert await store.outbox_items(response_id=rid) == items
    finally:
        await store.close()


#: The lines the app says (English).
SAID = {"en": ("Not sent again: blog: comment {ext} no longer exists on the site", "Spam: {n}")}


async def _marked(app: Any, pilot: Any, rids: list[int], tab: str = "all") -> Any:
    """The ready app on its ``tab`` queue with ``rids`` marked."""
    screen = await ready(app, pilot)
    for _ in range(12):
        if screen.queue_name == tab:
            break
        await press(pilot, "tab")
    assert screen.queue_name == tab
    for rid in rids:
        assert await screen.queue.jump_to_response(rid)
        await settle(app, pilot)
        await press(pilot, "space")
    assert set(screen.queue.marked) == set(rids)
    return screen


async def test_marked_ones_say_what_was_not_sent_again(
    tmp_path: Any, make_app: Any, tui_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marked responses, one a gone comment's decision, one a conflict a resend may
    mend: s sends the second again and says in one line that the first was not (it said
    nothing of it); two gone ones marked: one line names the first and counts the other;
    with reasons asked for trash, marked gone ones ask nothing and say why (the dialog
    opened, for a decision it could not send). English, then Dutch."""
    monkeypatch.setenv("NO_COLOR", "1")
    store = await open_store(str(tmp_path / "m.db"))
    try:
        rids = await _failed(store)
        gone = [rids[str(n)] for n, (_, k) in enumerate(CASES) if k == "gone"]
        mended = rids[str(CASES.index(("conflict", None)))]
        ext = str(CASES.index(("failed", "gone")))
        said, decided = SAID["en"]
        app = make_app(store, language="en")
        notices = record_notices(app)
        async with app.run_test(size=SMALL) as pilot:
            screen = await _marked(app, pilot, [gone[0], mended])
            notices.clear()
            await press(pilot, "s")
            await settle(app, pilot)
            assert notices == [decided.format(n=1), said.format(ext=ext)]
            assert len(await store.outbox_items(response_id=mended)) == 2
            assert not screen.queue.marked

            await _marked(app, pilot, gone)
            notices.clear()
            await press(pilot, "s")
            await settle(app, pilot)
            more = "Not sent again: blog: comment {ext} no longer exists on the site (and 1 more"
            assert notices == [more.format(ext=ext) + " that cannot succeed)"]
    finally:
        await store.close()

    store = await open_store(str(tmp_path / "t.db"))
    try:
        rids = await _failed(store, RemoteStatus.TRASH)
        gone = [rids[str(n)] for n, (_, k) in enumerate(CASES) if k == "gone"]
        app = make_app(store, language="nl", reasons=ReasonsConfig())
        notices = record_notices(app)
        async with app.run_test(size=SMALL) as pilot:
            screen = await _marked(app, pilot, gone)
            notices.clear()
            await press(pilot, "d")
            await settle(app, pilot)
            assert app.screen is screen  # no reason dialog
            said = "Niet opnieuw verstuurd: blog: reactie {ext} bestaat niet meer op de site"
            more = " (en 1 andere die niet kunnen slagen)"
            assert notices == [said.format(ext=ext) + more]
            for rid in gone:
                assert len(await store.outbox_items(response_id=rid)) == 1
    finally:
        await store.close()
