"""The thread tree says each response's state in characters, as the queue does: a
response spammed, trashed or held on the platform, or not yet handled, looked exactly
like a published, handled one (``enter`` on a held response showed its spam and trash
neighbours as ordinary replies). Now ``•`` starts a response not yet handled and a status
other than approved comes in words after the time, visible at 80x24 without colour."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers.app import SMALL, press, ready, screen_text
from helpers.data import fill_store, sample_responses

from reactieveld.i18n import text
from reactieveld.model import RemoteStatus
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.thread import ThreadScreen

pytestmark = pytest.mark.usefixtures("tui_env")

STATUSES = list(RemoteStatus)


async def thread_of_first(app) -> tuple[dict[int, str], str]:
    """``enter`` on the queue's first response at 80x24: each line of its thread's tree by
    response id, and the screen as drawn."""
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await press(pilot, "enter")
        thread = app.screen
        assert isinstance(thread, ThreadScreen) and thread.loaded
        tree = thread.query_one("#thread-tree")
        labels = {}
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            labels[node.data] = node.label.plain
            stack.extend(node.children)
        return labels, "\n".join(screen_text(app))


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_status_and_triage_state_shows_in_the_thread(
    tmp_path: Path, make_app, language: str
) -> None:
    responses, threads = sample_responses(count=3 * 2 * len(STATUSES))
    # One thread: every status, each once not yet handled and once handled.
    one = [r for r in responses if r.thread_external_id == "post-2"]
    one = [
        dataclasses.replace(r, remote_status=STATUSES[j % len(STATUSES)]) for j, r in enumerate(one)
    ]
    store = await SqliteStore.open(tmp_path / "memory.db")
    try:
        await fill_store(store, "blog", one, threads)
        ids = {
            row.response.external_id: row.response.id
            for row in await store.thread_rows("blog", "post-2")
        }
        handled = [r.external_id for j, r in enumerate(one) if j >= len(STATUSES)]
        await store.mark_handled([ids[ext] for ext in handled], actor="tester")
        labels, shown = await thread_of_first(make_app(store, language=language))
        words = {s: text(f"status.{s.value}", language) for s in STATUSES}
        seen = 0
        for r in one:
            label = labels.get(ids[r.external_id])
            if label is None:
                continue  # not in the thread's tree (a deleted response, if left out)
            seen += 1
            new = r.external_id not in handled
            assert label.startswith("• ") == new, label
            said = [s for s, word in words.items() if f" {word} · " in label]
            expected = [] if r.remote_status == RemoteStatus.APPROVED else [r.remote_status]
            assert said == expected, label
            assert label[:30] in shown, (label, shown)  # drawn, not cut off
        assert seen >= 2 * (len(STATUSES) - 1)
    finally:
        await store.close()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_write_back_not_done_shows_in_the_thread_as_in_the_queue(
    tmp_path: Path, make_app, language: str
) -> None:
    """A decision whose write-back failed (or conflicted, or is still on its way) has the
    queue's ``!`` (``↻``) on its thread line too: the queue said "! goedgekeurd" and the
    thread opened from it showed that response as one written back."""
    responses, threads = sample_responses(count=3 * 2 * len(STATUSES))
    one = [r for r in responses if r.thread_external_id == "post-2"]
    store = await SqliteStore.open(tmp_path / "memory.db")
    try:
        await fill_store(store, "blog", one, threads)
        rows = await store.thread_rows("blog", "post-2")
        ids = [row.response.id for row in rows]
        failed, conflict, pending, done = ids[:4]
        for rid in (failed, conflict, pending, done):
            await store.moderate([rid], RemoteStatus.SPAM, actor="tester")
        items = {i.response_id: i for i in await store.outbox_items()}
        await store.outbox_fail(items[failed].id, error="server error")
        await store.outbox_fail(items[conflict].id, error="gone", conflict=True, kind="gone")
        await store.outbox_done(items[done].id)
        labels, shown = await thread_of_first(make_app(store, language=language))
        spam = text("status.spam", language)
        marks = {failed: "! ", conflict: "! ", pending: "↻ ", done: ""}
        for rid, mark in marks.items():
            label = labels[rid]
            before = label.split(f" {spam} · ")[0]  # the time and the mark, before the name
            assert [m for m in "!↻" if m in before] == list(mark.strip()), label
            assert label[:30] in shown, (label, shown)
        others = [label for rid, label in labels.items() if rid not in marks]
        assert others and not any(m in label for label in others for m in "!↻"), others
    finally:
        await store.close()
