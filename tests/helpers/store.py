"""Small builders for the store tests: a response, a page, a two-source store, raw SQL."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from reactieveld.model import Page, RemoteStatus, Response, Source
from reactieveld.store.schema import _split_sql, migrations, register_functions
from reactieveld.store.sqlite import SqliteStore

#: The store tests' clock: every response is ``T0 + minutes``.
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
A = RemoteStatus.APPROVED


def resp(
    ext: str,
    body: str = "Een reactie",
    *,
    source: str = "blog",
    thread: str | None = "p1",
    minutes: float = 0,
    status: RemoteStatus = A,
    author: str = "Anna",
    email: str | None = None,
    parent: str | None = None,
    updated: datetime | None = None,
    role_hint: str | None = None,
) -> Response:
    """A response in HTML, written ``minutes`` after T0."""
    return Response(
        source=source,
        external_id=ext,
        thread_external_id=thread,
        author_name=author,
        body_text=body,
        body_raw=f"<p>{body}</p>",
        body_format="html",
        created_at=T0 + timedelta(minutes=minutes),
        remote_status=status,
        parent_external_id=parent,
        author_email=email,
        updated_at=updated,
        role_hint=role_hint,
    )


def page(*responses: Response, threads=(), gone=None, cursor=None) -> Page:
    return Page(responses=responses, threads=threads, gone=gone or {}, next_cursor=cursor)


async def open_store(path, **opts):
    """A store with the sources "blog" and "forum": ``path`` is a SQLite file or a
    ``postgresql://`` URL (the ``store_target`` fixture gives either)."""
    from reactieveld.store.open import open_store as open_any

    s = await open_any(path, **opts)
    await s.ensure_source(Source("blog", "wordpress", "https://blog.example"))
    await s.ensure_source(Source("forum", "discourse"))
    return s


async def fill_abc(store) -> dict[str, int]:
    """Three responses of "blog" in ``store``: a, b (on hold) and c; their ids by
    external id (the moderator actions' tests start from them)."""
    await store.upsert_page(
        "blog",
        page(
            resp("a", "eerste", minutes=1),
            resp("b", "tweede", minutes=2, status=RemoteStatus.HOLD),
            resp("c", "derde", minutes=3),
        ),
    )
    return {e: (await store.get_by_external("blog", e)).response.id for e in "abc"}


def each_action(actor: str) -> dict[str, Callable[[Any, list[int]], Awaitable[Any]]]:
    """Each kind of moderator action by ``actor`` on a list of response ids (a note and a
    reply on the last one), by name: the tests that hold for every action run these."""
    return {
        "moderate": lambda s, ids: s.moderate(ids, RemoteStatus.SPAM, actor=actor),
        "handle": lambda s, ids: s.mark_handled(ids, actor=actor),
        "tag": lambda s, ids: s.toggle_question(ids, "4", actor=actor),
        "role": lambda s, ids: s.set_role(ids, "burger", actor=actor),
        "note": lambda s, ids: s.add_note(ids[-1], "notitie", actor=actor),
        "reply": lambda s, ids: s.reply(ids[-1], "antwoord", actor=actor),
    }


def dollar_params(query: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2, ...`` (tests write SQL once)."""
    parts = query.split("?")
    return parts[0] + "".join(f"${i}{rest}" for i, rest in enumerate(parts[1:], 1))


async def sql(store, query: str, params=()) -> list[tuple]:
    """Raw SQL on either backend's connection (``?`` placeholders), rows as tuples."""
    if isinstance(store, SqliteStore):
        return await store._run(lambda db: db.execute(query, params).fetchall())
    rows = await store._read(lambda c: c.fetch(dollar_params(query), *params))
    return [tuple(r) for r in rows]


#: What the PostgreSQL migrations after a version made, undone: a test stands a database
#: where an older program left it (its tables, its ``schema_migrations``), then lets the
#: store migrate it again. One statement each, newest migration first.
_PG_UNDO = {
    22: ("ALTER TABLE rule_flags DROP COLUMN lapsed_at",),
    21: (),  # the flags' state check swapped again: nothing to take away
    20: ("REVOKE DELETE ON sink_changes FROM reactieveld_moderator",),
    19: ("REVOKE DELETE ON codings FROM reactieveld_moderator",),
    18: (
        "DROP TRIGGER sink_changes_response ON responses",
        "DROP TRIGGER sink_changes_title ON threads",
        "DROP FUNCTION reactieveld_sink_change()",
        "DROP FUNCTION reactieveld_sink_change_title()",
        "DROP TABLE sink_changes",
        "ALTER TABLE sink_positions DROP COLUMN change_id",
    ),
    17: (),  # the search vectors again: nothing to take away
}


async def pg_back_to(store, version: int) -> None:
    """A PostgreSQL memory as the program of migration ``version`` left it (see
    ``_PG_UNDO``; a version older than it knows is refused)."""
    from reactieveld.store.pg.schema import SCHEMA_VERSION as PG_VERSION

    assert version >= min(_PG_UNDO) - 1, f"no way back to {version}"
    # Every later migration must say how it is undone (an empty tuple when running it
    # again is harmless), or it would fail here as "already exists".
    assert max(_PG_UNDO) == PG_VERSION, f"_PG_UNDO knows no undo of migration {PG_VERSION}"
    for number in sorted(_PG_UNDO, reverse=True):
        if number > version:
            for statement in _PG_UNDO[number]:
                await sql(store, statement)
    await sql(store, "DELETE FROM schema_migrations WHERE version > ?", (version,))


def anna(ext: str, email: str | None) -> Response:
    """A response by "Anna" of blog/p1 with this e-mail address (the author key's input)."""
    return Response(
        source="blog",
        external_id=ext,
        thread_external_id="p1",
        author_name="Anna",
        author_email=email,
        body_text=f"reactie {ext}",
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


def rerun_migration(db, number: int) -> None:
    """Apply shipped migration ``number`` again, alone, to a file that has the later ones
    too (a test of what it does to the rows there). Only that one: a later migration need
    not run twice (0009 adds a column), so rewinding ``user_version`` is no way to do it."""
    [sql_text] = [text for n, _name, text in migrations() if n == number]
    register_functions(db)  # what migrate() gives the migrations
    db.execute("BEGIN")
    for statement in _split_sql(sql_text):
        db.execute(statement)
    db.execute("COMMIT")


def vm_steps(path: Any, read: Callable[[Any], Any]) -> tuple[int, Any]:
    """``read(db)`` on a fresh SQLite connection to ``path``: the thousands of SQLite
    virtual-machine steps it took (the rows its queries read, as a count that does not
    depend on the machine's speed) and what it returned."""
    import sqlite3

    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    db = sqlite3.connect(path)
    try:
        db.set_progress_handler(step, 1000)
        out = read(db)
    finally:
        db.close()
    return steps, out


@contextlib.contextmanager
def pg_statements() -> Iterator[list[str]]:
    """The statements every pooled PostgreSQL connection sends in the block, in order."""
    import pytest

    from reactieveld.store.pg.session import PoolConnection

    statements: list[str] = []
    real_note = PoolConnection._note

    def note(self: PoolConnection, query: object) -> None:
        statements.append(str(query))
        real_note(self, query)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PoolConnection, "_note", note)
        yield statements
