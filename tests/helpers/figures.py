"""The figures tests' memories: a hand-made one whose answers tests/test_figures.py writes
out, the builders it is made with, and two plain reads of a store file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import reactieveld.store.actions as actions_mod
import reactieveld.store.pg.actions as pg_actions_mod
import reactieveld.store.pg.ingest as pg_ingest_mod
import reactieveld.store.sqlite as sqlite_mod
from reactieveld.model import Page, RemoteStatus, Response, Source, Thread
from reactieveld.read.figures import Period
from reactieveld.store.sqlite import SqliteStore

T = datetime(2026, 5, 10, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)
PERIOD = Period(date(2026, 5, 10), date(2026, 5, 12))


#: Where the store reads the time: ingest (sqlite), an action's time and batch
#: (store.actions.now_epoch and stamp, both backends), PostgreSQL's actions and ingest.
CLOCK_MODULES = (sqlite_mod, actions_mod, pg_actions_mod, pg_ingest_mod)


def set_store_clock(mp: pytest.MonkeyPatch, clock) -> None:  # type: ignore[no-untyped-def]
    """Every clock the store reads (:data:`CLOCK_MODULES`) is ``clock``."""
    for module in CLOCK_MODULES:
        mp.setattr(module, "utcnow", clock, raising=False)


class Clock:
    """The store's clock, set by the test to ``at``."""

    def __init__(self, mp: pytest.MonkeyPatch, at: datetime) -> None:
        self.at = at
        set_store_clock(mp, lambda: self.at)


def response(ext, source, thread, at, *, status=RemoteStatus.APPROVED, hint=None):  # type: ignore[no-untyped-def]
    return Response(
        source=source,
        external_id=ext,
        thread_external_id=thread,
        author_name=f"Auteur {ext}",
        body_text=f"tekst {ext}",
        body_raw=f"tekst {ext}",
        body_format="text",
        created_at=at,
        remote_status=status,
        role_hint=hint,
    )


async def fill(store: SqliteStore, responses: list[Response]) -> dict[str, int]:
    """The responses into the store (threads made up from them); {external id: id}."""
    by_source: dict[str, list[Response]] = {}
    for r in responses:
        by_source.setdefault(r.source, []).append(r)
    for source, rs in by_source.items():
        threads = sorted({r.thread_external_id for r in rs if r.thread_external_id})
        await store.ensure_source(Source(source, "demo"))
        await store.upsert_page(
            source,
            Page(responses=rs, threads=[Thread(source, t, f"Draad {t}", None) for t in threads]),
        )
    ids = {}
    for r in responses:
        row = await store.get_by_external(r.source, r.external_id)
        assert row is not None and row.response.id is not None
        ids[r.external_id] = row.response.id
    return ids


# -- a hand-made memory, its figures written out ---------------------------------------------
#
#  id   source thread at        status   platform role  coded role  questions
#  h0   blog   a      T-1h      approved -              -           -      (the day before)
#  h1   blog   a      T+1h      approved -              -           1
#  h2   blog   a      T+3h      approved organisatie    -           -
#  h3   blog   a      T+5h      hold     -              burger      1, 2
#  h4   blog   a      T+1d+2h   approved -              -           -      (handled)
#  h5   blog   a      T+1d+6h   approved raad           -           3
#  h6   blog   b      T+2h      spam     -              -           4
#  h7   blog   b      T+4h      approved -              klant       2
#  h8   blog   b      T+8h      trash    organisatie    -           -
#  h9   forum  c      T+1d      approved -              -           -
#  h10  forum  c      T+1d+1h   approved raad           burger      -
#  h11  forum  c      T+2d+3h   approved organisatie    ambtenaar   1
#  h12  forum  c      T+3d+1h   approved -              -           -      (the day after)


async def hand_made(path: Path, mp: pytest.MonkeyPatch) -> SqliteStore:
    clock = Clock(mp, T - 2 * H)
    store = await SqliteStore.open(path)
    s = RemoteStatus
    ids = await fill(
        store,
        [
            response("h0", "blog", "a", T - H),
            response("h1", "blog", "a", T + H),
            response("h2", "blog", "a", T + 3 * H, hint="organisatie"),
            response("h3", "blog", "a", T + 5 * H, status=s.HOLD),
            response("h4", "blog", "a", T + D + 2 * H),
            response("h5", "blog", "a", T + D + 6 * H, hint="raad"),
            response("h6", "blog", "b", T + 2 * H, status=s.SPAM),
            response("h7", "blog", "b", T + 4 * H),
            response("h8", "blog", "b", T + 8 * H, status=s.TRASH, hint="organisatie"),
            response("h9", "forum", "c", T + D),
            response("h10", "forum", "c", T + D + H, hint="raad"),
            response("h11", "forum", "c", T + 2 * D + 3 * H, hint="organisatie"),
            response("h12", "forum", "c", T + 3 * D + H),
        ],
    )
    a = "moderator"
    plan = [
        (T + 2 * H, store.toggle_question, "h1", "1"),
        (T + 3 * H, store.toggle_question, "h6", "4"),
        (T + 6 * H, store.toggle_question, "h3", "1"),
        (T + 7 * H, store.toggle_question, "h3", "2"),
        (T + 7 * H, store.set_role, "h3", "burger"),
        (T + 12 * H, store.set_role, "h7", "klant"),
        (T + 12 * H, store.toggle_question, "h7", "2"),
        (T + D + 5 * H, store.mark_handled, "h4", None),
        (T + D + 8 * H, store.toggle_question, "h5", "3"),
        (T + D + 3 * H, store.set_role, "h10", "burger"),
        (T + 2 * D + 4 * H, store.set_role, "h11", "ambtenaar"),
        (T + 2 * D + 4 * H, store.toggle_question, "h11", "1"),
    ]
    for at, fn, ext, code in plan:
        clock.at = at
        if code is None:
            await fn([ids[ext]], actor=a)
        else:
            await fn([ids[ext]], code, actor=a)
    return store


async def response_ids(path: Path) -> list[int]:
    """Every response id in the file, in order."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return [i for (i,) in db.execute("SELECT id FROM responses ORDER BY id")]
    finally:
        db.close()


async def created_span(path: Path) -> tuple[date, date]:
    """The (newest, oldest) creation day in the file, UTC."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        hi, lo = db.execute("SELECT max(created_at), min(created_at) FROM responses").fetchone()
    finally:
        db.close()
    return (datetime.fromtimestamp(hi, UTC).date(), datetime.fromtimestamp(lo, UTC).date())
