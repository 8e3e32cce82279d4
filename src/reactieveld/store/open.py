"""Open the memory the configuration names: a SQLite file (the default, one person) or a
team's PostgreSQL database. Everything above the store opens stores only here, so that it
never knows which backend it talks to. asyncpg is imported only when a URL is given: the
app's first frame does not pay for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reactieveld.store.urls import (
    check_postgres_url,
    describe,
    is_postgres_url,
    redact_url,
    store_missing,
)

if TYPE_CHECKING:
    from reactieveld.store.base import Store
    from reactieveld.store.copy import CopySide

__all__ = [
    "StoreSettings",
    "check_postgres_url",
    "describe",
    "is_postgres_url",
    "open_store",
    "password_for",
    "redact_url",
    "store_missing",
]


class StoreSettings(Protocol):
    """What the store needs of ``[store]`` (``config.StoreConfig``)."""

    @property
    def url(self) -> str | None: ...

    def password(self) -> str | None: ...


def password_for(target: str | Path, settings: StoreSettings | None) -> str | None:
    """The password to open ``target`` with: ``password_env``'s when ``target`` is
    ``[store] url``; otherwise None, and asyncpg looks where libpq does (PGPASSWORD,
    ~/.pgpass), as for a URL given by --db or REACTIEVELD_DB."""
    if settings is None or not is_postgres_url(target) or str(target) != settings.url:
        return None
    return settings.password()


async def open_store(
    target: str | Path,
    *,
    settings: StoreSettings | None = None,
    password: str | None = None,
    codebook_version: str = "default-1",
    author_secret: str | None = None,
    read_only: bool = False,
    interactive: bool = False,
    cache_kib: int | None = None,
    double_share: float = 0.0,
) -> Store:
    """The store at ``target``: a ``postgresql://`` URL or a SQLite file path.

    ``settings`` (``[store]``) gives the PostgreSQL password (``password_env``) when the
    target is its ``url``; ``password`` gives it directly. ``interactive``: a connection that
    reads windows of rows for the screen (a small SQLite page cache, a small pool);
    ``cache_kib`` sets SQLite's page cache exactly. ``double_share``: ``[coding]
    double_share``, the share of responses coded twice (store/codings.py). Raises
    ``StoreError`` with one line when the store cannot be used (``ConfigError`` for an
    unset password variable)."""
    if is_postgres_url(target):
        from reactieveld.store.pg.store import PostgresStore

        if password is None:
            password = password_for(target, settings)
        return await PostgresStore.open(
            str(target),
            password=password,
            codebook_version=codebook_version,
            author_secret=author_secret,
            read_only=read_only,
            double_share=double_share,
            max_size=2 if interactive else 4,
        )
    from reactieveld.store.sqlite import READER_CACHE_KIB, SqliteStore

    opts: dict[str, Any] = {}
    if interactive:
        opts["cache_kib"] = READER_CACHE_KIB
    if cache_kib is not None:
        opts["cache_kib"] = cache_kib
    return await SqliteStore.open(
        target,
        codebook_version=codebook_version,
        author_secret=author_secret,
        read_only=read_only,
        double_share=double_share,
        **opts,
    )


def copy_side(store: Any) -> CopySide:
    """What ``store copy`` reads from and loads into, for a store of either backend."""
    from reactieveld.store.sqlite import SqliteStore

    if isinstance(store, SqliteStore):
        from reactieveld.store.copy import SqliteCopySide

        return SqliteCopySide(store)
    from reactieveld.store.pg.copy import PgCopySide

    return PgCopySide(store)
