"""``z`` in a fresh lived-in demo: the fictional moderators' year is history, not the
moderator's own work, so there is nothing to undo until the moderator acts; then ``z``
takes back exactly that (issue 15). Checked in the store, not only on screen."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.app import ready, settle

from reactieveld.cli import demo_source, seed_demo
from reactieveld.config import load_config
from reactieveld.connectors.demo import ANCHOR
from reactieveld.model import ActionKind, OutboxState, RemoteStatus, TriageState
from reactieveld.store.sqlite import SqliteStore

pytestmark = pytest.mark.usefixtures("tui_env")

#: Everything ``z`` could change: the journal, tags, notes, responses and the outbox.
TABLES = (
    "SELECT * FROM actions ORDER BY id",
    "SELECT * FROM tags ORDER BY response_id, kind, code",
    "SELECT * FROM notes ORDER BY id",
    "SELECT id, remote_status, triage FROM responses ORDER BY id",
    "SELECT * FROM outbox ORDER BY id",
)


def _dump(db: Path) -> list[list[tuple]]:
    with sqlite3.connect(db) as conn:
        return [conn.execute(sql).fetchall() for sql in TABLES]


def _notices(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A fresh default demo, seeded as ``reactieveld --demo`` seeds it (outside the
    test's event loop: seeding runs its own)."""
    db = tmp_path / "demo.db"
    config = replace(load_config(None), sources=(demo_source(anchor=ANCHOR.isoformat()),))
    seed_demo(config, db)
    return db


async def test_z_first_in_a_fresh_demo_undoes_nothing_then_only_ones_own(
    demo_db: Path, make_app
) -> None:
    db = demo_db
    fresh = _dump(db)
    assert fresh[0], "the demo has a history in its journal"
    store = await SqliteStore.open(db)
    try:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await ready(app, pilot)
            await pilot.press("z")
            await settle(app, pilot)
            assert _notices(app)[-1] == "Niets om ongedaan te maken"
            assert _dump(db) == fresh  # journal, tags, notes, responses, outbox: untouched

            # The moderator's own decision is undone, and only that.
            row = screen.queue.current
            assert row is not None
            rid, status = row.response.id, row.response.remote_status
            await pilot.press("s")
            await settle(app, pilot)
            assert (await store.get(rid)).response.remote_status is RemoteStatus.SPAM
            [mine] = await store.journal(limit=1)
            assert (mine.actor, mine.kind) == ("tester", ActionKind.MODERATE)
            await pilot.press("z")
            await settle(app, pilot)
            assert _notices(app)[-1] == "Actie ongedaan gemaakt: spam"
            back = await store.get(rid)
            assert (back.response.remote_status, back.response.triage) == (
                status,
                TriageState.NEW,
            )
            undo, decided = await store.journal(limit=2)
            assert (undo.kind, undo.actor, undo.undoes) == (ActionKind.UNDO, "tester", mine.id)
            assert decided.id == mine.id
            assert [o.state for o in await store.outbox_items()] == [OutboxState.CANCELLED]
            after = _dump(db)
            assert after[0][: len(fresh[0])] == fresh[0]  # the history's entries as they were
            assert len(after[0]) == len(fresh[0]) + 2  # the decision and its undo
            assert after[1:3] == fresh[1:3] and after[3] == fresh[3]

            # Once more: nothing of the moderator's own is left, the history stays.
            await pilot.press("z")
            await settle(app, pilot)
            assert _notices(app)[-1] == "Niets om ongedaan te maken"
            assert _dump(db) == after
    finally:
        await store.close()
