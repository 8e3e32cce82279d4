"""Small builders for the store tests: a response, a page, a two-source store, raw SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reactieveld.model import Page, RemoteStatus, Response, Source
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
