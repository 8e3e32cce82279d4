"""The kept counts (migration 0006) always equal counting the rows afresh.

A property-style test: random sequences of every kind of write the store makes (new
pages, changed and gone responses, moderation, handled, replies, tags, roles, undo,
write-backs applied) and a few another tool could make (plain SQL deletes and updates),
with the counts checked against a fresh GROUP BY after each step.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from helpers.store import rerun_migration

from reactieveld.model import Page, RemoteStatus, Response, Source, TriageState
from reactieveld.store.base import QueueFilter
from reactieveld.store.planner import counting
from reactieveld.store.sqlite import READER_CACHE_KIB, SqliteStore

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SOURCES = ("blog", "forum", "leeg")
STATUSES = (
    RemoteStatus.APPROVED,
    RemoteStatus.HOLD,
    RemoteStatus.SPAM,
    RemoteStatus.TRASH,
    RemoteStatus.HIDDEN,
)
SETTABLE = (RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM, RemoteStatus.TRASH)
CODES = ("1", "2", "3")
ROLES = ("raad", "burger", None)


def fresh(db: sqlite3.Connection) -> dict:
    """Everything the kept counts stand for, counted over the rows."""
    return {
        "responses": sorted(
            db.execute(
                "SELECT triage, remote_status, source_id, count(*) FROM responses GROUP BY 1, 2, 3"
            ).fetchall()
        ),
        "tags": sorted(
            db.execute("SELECT kind, code, count(*) FROM tags GROUP BY 1, 2").fetchall()
        ),
        "tagged": db.execute(
            "SELECT count(DISTINCT response_id) FROM tags WHERE kind = 'question'"
        ).fetchone()[0],
    }


def kept(db: sqlite3.Connection) -> dict:
    return {
        "responses": sorted(
            db.execute(
                "SELECT triage, remote_status, source_id, n FROM response_counts WHERE n != 0"
            ).fetchall()
        ),
        "tags": sorted(db.execute("SELECT kind, code, n FROM tag_counts WHERE n != 0").fetchall()),
        "tagged": db.execute("SELECT n FROM question_tagged").fetchone()[0],
    }


async def check(store: SqliteStore, step: str) -> None:
    got = await store._run(lambda db: (kept(db), fresh(db)))
    assert got[0] == got[1], step
    # What the app reads: counts() and count() of every tab, against counting the rows.
    counts = await store.counts()
    rows = got[1]["responses"]
    assert counts.total == sum(n for *_, n in rows), step
    assert counts.untagged == counts.total - got[1]["tagged"], step
    filters = [QueueFilter(), QueueFilter(triage=TriageState.NEW)]
    filters += [QueueFilter(statuses=(s,)) for s in STATUSES]
    filters += [QueueFilter(sources=(src,), triage=TriageState.HANDLED) for src in SOURCES]
    filters.append(QueueFilter(statuses=(RemoteStatus.SPAM, RemoteStatus.TRASH)))
    for flt in filters:
        sql, params = counting(flt)
        expected = (await store._run(lambda db, q=sql, p=params: db.execute(q, p).fetchone()))[0]
        assert await store.count(flt) == expected, (step, flt)


def response(source: str, n: int, status: RemoteStatus, role: str | None) -> Response:
    return Response(
        source=source,
        external_id=f"{source}-{n}",
        thread_external_id="t1",
        author_name=f"Auteur {n % 5}",
        body_text=f"Reactie {n}",
        body_raw=f"<p>Reactie {n}</p>",
        body_format="html",
        created_at=T0 + timedelta(minutes=n),
        remote_status=status,
        role_hint=role,
    )


@pytest.mark.parametrize("seed", range(6))
async def test_kept_counts_follow_every_write(tmp_path, seed):
    rnd = random.Random(seed)
    store = await SqliteStore.open(tmp_path / "m.db")
    for name in SOURCES:
        await store.ensure_source(Source(name, "wordpress"))
    known: dict[str, list[int]] = {s: [] for s in SOURCES}
    serial = 0

    async def ids() -> list[int]:
        rows = await store._run(lambda db: db.execute("SELECT id FROM responses").fetchall())
        return [r[0] for r in rows]

    try:
        await check(store, "empty")
        for step in range(60):
            all_ids = await ids()
            op = rnd.choice(
                [
                    "page",
                    "page",
                    "moderate",
                    "handled",
                    "reply",
                    "question",
                    "role",
                    "undo",
                    "done",
                    "sql",
                ]
            )
            if op == "page" or not all_ids:
                source = rnd.choice(SOURCES[:2])
                batch = []
                for _ in range(rnd.randint(1, 6)):
                    if known[source] and rnd.random() < 0.4:
                        n = rnd.choice(known[source])  # seen before: maybe a new status
                    else:
                        serial += 1
                        n = serial
                        known[source].append(n)
                    batch.append(response(source, n, rnd.choice(STATUSES), rnd.choice(ROLES)))
                gone = {}
                if known[source] and rnd.random() < 0.3:
                    gone[f"{source}-{rnd.choice(known[source])}"] = rnd.choice(
                        (RemoteStatus.TRASH, RemoteStatus.DELETED)
                    )
                await store.upsert_page(source, Page(responses=tuple(batch), gone=gone))
            elif op == "moderate":
                picked = rnd.sample(all_ids, rnd.randint(1, min(3, len(all_ids))))
                await store.moderate(picked, rnd.choice(SETTABLE), actor="m")
            elif op == "handled":
                await store.mark_handled(rnd.sample(all_ids, 1), actor="m")
            elif op == "reply":
                await store.reply(rnd.choice(all_ids), "Dank u", actor="m")
            elif op == "question":
                picked = rnd.sample(all_ids, rnd.randint(1, min(3, len(all_ids))))
                await store.toggle_question(picked, rnd.choice(CODES), actor="m")
            elif op == "role":
                await store.set_role(rnd.sample(all_ids, 1), rnd.choice(ROLES), actor="m")
            elif op == "undo":
                await store.undo_last(actor="m")
            elif op == "done":
                for item in (await store.outbox_due(limit=3))[: rnd.randint(1, 3)]:
                    await store.outbox_done(
                        item.id, remote_status=rnd.choice(STATUSES), external_id=None
                    )
            else:
                await store._write(lambda db: _plain_sql(db, rnd))
            await check(store, f"step {step}: {op}")
    finally:
        await store.close()


def _plain_sql(db: sqlite3.Connection, rnd: random.Random) -> None:
    """Writes another tool could make straight in SQL: the triggers see them too."""
    choice = rnd.random()
    if choice < 0.3:
        # A response nothing refers to yet, deleted again.
        rid = db.execute("SELECT coalesce(max(id), 0) + 1 FROM responses").fetchone()[0]
        db.execute(
            "INSERT INTO responses (id, source_id, external_id, created_at, fetched_at, "
            "remote_status, content_hash) VALUES (?, 1, ?, 0, 0, 'hold', 0)",
            (rid, f"sql-{rid}"),
        )
        if rnd.random() < 0.5:
            db.execute("DELETE FROM responses WHERE id = ?", (rid,))
    elif choice < 0.6:
        # A question tag moved to another code or another response.
        row = db.execute(
            "SELECT response_id, code FROM tags WHERE kind = 'question' ORDER BY random() LIMIT 1"
        ).fetchone()
        target = db.execute("SELECT id FROM responses ORDER BY random() LIMIT 1").fetchone()
        if row and target:
            db.execute(
                "UPDATE OR IGNORE tags SET response_id = ?, code = ? "
                "WHERE response_id = ? AND kind = 'question' AND code = ?",
                (target[0], rnd.choice(CODES), row[0], row[1]),
            )
    elif choice < 0.8:
        # A role tag turned into a question tag, or a tag deleted.
        row = db.execute("SELECT response_id, kind, code FROM tags ORDER BY random()").fetchone()
        if row:
            if rnd.random() < 0.5:
                db.execute(
                    "UPDATE OR IGNORE tags SET kind = 'question', code = ? "
                    "WHERE response_id = ? AND kind = ? AND code = ?",
                    (rnd.choice(CODES), *row),
                )
            else:
                db.execute("DELETE FROM tags WHERE response_id = ? AND kind = ? AND code = ?", row)
    else:
        # Responses moved to another source, or their triage and status set in bulk.
        db.execute(
            "UPDATE responses SET source_id = 2, triage = 'new' WHERE id % 7 = ?",
            (rnd.randint(0, 6),),
        )


async def test_counts_backfilled_by_the_migration(tmp_path):
    """A store that had rows before migration 0006 gets counts equal to its rows."""
    path = tmp_path / "old.db"
    store = await SqliteStore.open(path)
    await store.ensure_source(Source("blog", "wordpress"))
    await store.upsert_page(
        "blog",
        Page(
            responses=tuple(response("blog", n, STATUSES[n % 5], ROLES[n % 3]) for n in range(40))
        ),
    )
    ids = [r.response.id for r in await store.queue(QueueFilter(), limit=40)]
    await store.toggle_question(ids[:7], "2", actor="m")
    await store.toggle_question(ids[5:9], "1", actor="m")
    await store.moderate(ids[10:20], RemoteStatus.SPAM, actor="m")
    await store.close()
    # Back to before 0006, then migrate again: the backfill must count what is there.
    db = sqlite3.connect(path, isolation_level=None)
    for (trigger,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%counts%'"
    ).fetchall():
        db.execute(f"DROP TRIGGER {trigger}")
    for name in ("response_counts", "tag_counts", "question_tagged"):
        db.execute(f"DROP TABLE {name}")
    rerun_migration(db, 6)
    assert kept(db) == fresh(db)
    assert kept(db)["tagged"] == 9
    db.close()


async def test_reader_cache_size(tmp_path):
    store = await SqliteStore.open(tmp_path / "m.db", cache_kib=READER_CACHE_KIB)
    try:
        size = await store._run(lambda db: db.execute("PRAGMA cache_size").fetchone()[0])
        assert size == -READER_CACHE_KIB
    finally:
        await store.close()
