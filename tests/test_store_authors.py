"""Authors without an author key (organisation accounts, anonymous posters): found by
name within their source through the author index (migration 0007), never by a scan."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from helpers.store import rerun_migration

from reactieveld.model import Page, RemoteStatus, Response, Source
from reactieveld.store.authors import BY_AUTHOR
from reactieveld.store.sqlite import SqliteStore

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def resp(
    ext: str, author: str, *, minutes: int = 0, email: str | None = None, source: str = "blog"
) -> Response:
    return Response(
        source=source,
        external_id=ext,
        thread_external_id="p1",
        author_name=author,
        author_email=email,
        body_text=f"reactie {ext}",
        body_raw=f"reactie {ext}",
        body_format="text",
        created_at=T0 + timedelta(minutes=minutes),
        remote_status=RemoteStatus.APPROVED,
    )


async def open_store(path) -> SqliteStore:
    store = await SqliteStore.open(path)
    await store.ensure_source(Source("blog", "wordpress"))
    await store.ensure_source(Source("forum", "discourse"))
    return store


async def test_by_name_within_the_source(tmp_path):
    store = await open_store(tmp_path / "m.db")
    try:
        await store.upsert_page(
            "blog",
            Page(
                responses=(
                    resp("1", "Gemeente", minutes=0),
                    resp("2", "Gemeente", minutes=1),
                    resp("3", "Gemeente", minutes=2, email="info@gemeente.nl"),
                    resp("4", "gemeente", minutes=3),  # another name
                )
            ),
        )
        await store.upsert_page(
            "forum", Page(responses=(resp("9", "Gemeente", minutes=4, source="forum"),))
        )
        one = await store.get_by_external("blog", "1")
        # The other "Gemeente" rows of the blog, the one with an e-mail address too (as
        # when it was a scan over the names); not "gemeente", not the forum's.
        assert await store.author_count(one) == 2
        history = await store.author_history(one)
        assert [r.response.external_id for r in history] == ["3", "2"]
        # The keyed one still counts by its key.
        three = await store.get_by_external("blog", "3")
        assert await store.author_count(three) == 0

        # A renamed author moves in the index.
        await store.upsert_page(
            "blog", Page(responses=(resp("2", "Team participatie", minutes=1),))
        )
        assert await store.author_count(one) == 1
        two = await store.get_by_external("blog", "2")
        assert await store.author_count(two) == 0

        # The count walks the author index only, never the responses.
        plan = await store._run(
            lambda db: db.execute(
                f"EXPLAIN QUERY PLAN SELECT count(*) FROM ({BY_AUTHOR}) WHERE rowid != ?",
                (store._author_query(db, one.response), 1),
            ).fetchall()
        )
        scans = [row[-1] for row in plan if row[-1].startswith("SCAN")]
        assert scans and all("VIRTUAL TABLE" in s for s in scans), plan
    finally:
        await store.close()


async def test_names_indexed_by_the_migration(tmp_path):
    """Responses stored before 0007 are found by name after it."""
    path = tmp_path / "old.db"
    store = await open_store(path)
    await store.upsert_page(
        "blog",
        Page(responses=tuple(resp(str(i), "Raadslid", minutes=i) for i in range(5))),
    )
    await store.close()
    # The index as 0005 left it: key tokens only (these rows have none).
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("INSERT INTO responses_by_author (responses_by_author) VALUES ('delete-all')")
    rerun_migration(db, 7)
    db.close()
    store = await SqliteStore.open(path)
    try:
        first = await store.get_by_external("blog", "0")
        assert await store.author_count(first) == 4
        assert len(await store.author_history(first)) == 4
    finally:
        await store.close()
