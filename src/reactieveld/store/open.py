"""Open the memory the configuration names: a SQLite file (the default, one person) or a
team's PostgreSQL database. Everything above the store opens stores only here, so that it
never knows which backend it talks to. asyncpg is imported only when a URL is given: the
app's first frame does not pay for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reactieveld.store.base import Store


def is_postgres_url(value: str | Path | None) -> bool:
    """Whether a ``--db`` value or ``[store] url`` names a PostgreSQL database."""
    return value is not None and str(value).split("://", 1)[0] in ("postgresql", "postgres")


async def open_store(
    target: str | Path,
    *,
    password: str | None = None,
    codebook_version: str = "default-1",
    author_secret: str | None = None,
    read_only: bool = False,
    cache_kib: int | None = None,
) -> Store:
    """The store at ``target``: a ``postgresql://`` URL or a SQLite file path.

    ``password`` is for PostgreSQL (from ``[store] password_env``); ``cache_kib`` for SQLite
    (its page cache). Raises ``StoreError`` with one line when the store cannot be used."""
    if is_postgres_url(target):
        from reactieveld.store.pg.store import PostgresStore

        # Until every method of the protocol is on PostgresStore (issue 13, in progress).
        return await PostgresStore.open(  # type: ignore[return-value]
            str(target),
            password=password,
            codebook_version=codebook_version,
            author_secret=author_secret,
            read_only=read_only,
        )
    from reactieveld.store.sqlite import SqliteStore

    opts: dict[str, Any] = {}
    if cache_kib is not None:
        opts["cache_kib"] = cache_kib
    return await SqliteStore.open(
        target,
        codebook_version=codebook_version,
        author_secret=author_secret,
        read_only=read_only,
        **opts,
    )
