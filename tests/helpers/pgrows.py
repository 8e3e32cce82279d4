"""Rows made by SQL in a PostgreSQL store, for tests and benches of the actions that do
not need the ingest: one source "blog" and ``n`` responses of thread p1."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from reactieveld.model import RemoteStatus
from reactieveld.store.pg.store import PostgresStore


async def seeded(url: str, n: int = 3, **opts: Any) -> tuple[PostgresStore, list[int]]:
    """A store on ``url`` with the source "blog" and ``n`` responses e1..en of thread p1
    (e2 on hold, the others approved; meta {"post": 7}); returns it with their ids."""
    store = await PostgresStore.open(url, **{"max_size": 8, **opts})

    async def fill(c: Any) -> list[int]:
        sid = await c.fetchval(
            "INSERT INTO sources (name, type) VALUES ('blog', 'wordpress') "
            "ON CONFLICT (name) DO UPDATE SET type = excluded.type RETURNING id"
        )
        rows = await c.fetch(
            "INSERT INTO responses (source_id, external_id, thread_external_id, author_name, "
            "body_text, created_at, fetched_at, remote_status, meta, content_hash) "
            "SELECT $1, 'e' || i, 'p1', 'Anna', 'reactie ' || i, 1700000000 + i, 1700000000, "
            "CASE WHEN i = 2 THEN 'hold' ELSE 'approved' END, '{\"post\": 7}', i "
            "FROM generate_series(1, $2) AS i ORDER BY i RETURNING id",
            sid,
            n,
        )
        return [r[0] for r in rows]

    return store, await store._write(fill)


async def moderator(cluster: Any, url: str, name: str, **opts: Any) -> PostgresStore:
    """A store on ``url``'s database as login role ``name``, a member of
    reactieveld_moderator (made when new; ``opts`` as for :meth:`PostgresStore.open`)."""
    return await PostgresStore.open(cluster.role_url(url, name, "reactieveld_moderator"), **opts)


def race_jobs(
    stores: Sequence[PostgresStore],
    ids: Sequence[int],
    rng: random.Random,
    work: Callable[[PostgresStore, list[int], RemoteStatus], Awaitable[Any]],
) -> list[Awaitable[Any]]:
    """Two (or more) moderators deciding the same items at once: each store works through
    all of ``ids`` in its own random order, in random batches of 1 to 12 with a random
    decision each; the batches of all stores shuffled together (the race of
    test_pg_actions and bench/pg_actions_bench, drawn from ``rng`` in the same order)."""
    jobs = []
    for store in stores:
        order = list(ids)
        rng.shuffle(order)
        while order:
            size = rng.randint(1, 12)
            batch, order = order[:size], order[size:]
            status = rng.choice([RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM])
            jobs.append(work(store, batch, status))
    rng.shuffle(jobs)
    return jobs
