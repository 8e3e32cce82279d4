"""A decision equal to the response's status says so and changes nothing.

Found trying the app: approving a response approved already wrote "status approved →
approved" into its journal, and on one handled already the notice said "Approved: 0".
An approval of a published response still in New is a real decision (it is handled
now, and undo takes it back), nothing to write back: its journal line says the status
was so already. One handled already is left alone: no journal entry, no write-back, and
the notice says it was so already; marked responses the same, each. (A write-back that
failed is the exception the decision's key exists for: test_wp_gone, test_tui.) At
80x24 without colour, on both store backends.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from helpers.app import SMALL, press, ready, record_notices, settle
from helpers.store import open_store, page, resp, sql

from reactieveld.model import RemoteStatus
from reactieveld.model_kinds import ActionKind
from reactieveld.model_values import JournalEntry
from reactieveld.tui.widgets.response_view import ResponseView


async def _rows(store: Any) -> tuple[int, int]:
    """How many journal entries and outbox rows the memory holds."""
    [(journal,)] = await sql(store, "SELECT count(*) FROM actions")
    [(outbox,)] = await sql(store, "SELECT count(*) FROM outbox")
    return journal, outbox


def _entry(before: str, after: str) -> JournalEntry:
    """A moderator's decision from status ``before`` to ``after`` (a response in New)."""
    was, now = {"status": before, "triage": "new"}, {"status": after, "triage": "handled"}
    return JournalEntry(1, datetime.now(UTC), "m", ActionKind.MODERATE, 1, was, now)


async def test_approving_what_is_approved_changes_nothing_and_says_so(
    store_target: str, make_app: Any, tui_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    store = await open_store(store_target)
    try:
        held = RemoteStatus.HOLD
        await store.upsert_page(
            "blog",
            page(resp("new"), resp("done"), resp("held", status=held), resp("also")),
        )
        rid = {
            e: (await store.get_by_external("blog", e)).response.id
            for e in ("new", "done", "held", "also")
        }
        await store.mark_handled([rid["done"], rid["also"]], actor="m")
        app = make_app(store, language="en")
        notices = record_notices(app)
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            await press(pilot, "tab", "tab", "tab", "tab", "tab")  # all

            async def on(name: str) -> None:
                assert await screen.queue.jump_to_response(rid[name])
                await settle(app, pilot)

            # Handled and approved already: nothing at all, said in one line.
            before = await _rows(store)
            await on("done")
            await press(pilot, "a")
            assert notices[-1:] == ["Approved: so already, nothing changed"]
            assert await _rows(store) == before
            # Approved, still in New: handled, journalled without an arrow, not sent.
            await on("new")
            await press(pilot, "a")
            assert notices[-1:] == ["Approved: 1"]
            assert await _rows(store) == (before[0] + 1, before[1])
            await on("new")
            view = " ".join(screen.query_one("#response").render_content().plain.split())
            assert "approved (so already): handled" in view and "→ approved" not in view, view
            # Every status alike (its journal line), and a change keeps its arrow.
            shown = screen.query_one(ResponseView)
            for status in RemoteStatus:
                said = shown.journal_text(_entry(status.value, status.value))
                assert said == f"{app.i18n.status(status)} (so already): handled"
            assert shown.journal_text(_entry("hold", "approved")) == "status on hold → approved"
            # Marked: the held one is approved and written back, the two others not.
            before = await _rows(store)
            for name in ("done", "held", "also"):
                await on(name)
                await press(pilot, "space")
            await press(pilot, "a")
            assert notices[-1:] == ["Approved: 1; so already: 2 (nothing changed)"]
            assert await _rows(store) == (before[0] + 1, before[1] + 1)
    finally:
        await store.close()
