"""The key of the author keys: kept in the memory's file by default, or taken from the
environment ([store] author_secret_env) so that the file alone cannot test addresses."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from pathlib import Path

import pytest
from helpers.store import anna

from reactieveld.cli import main
from reactieveld.config import ConfigError, load_config
from reactieveld.model import Page, Response, Source
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.sqlite import SqliteStore

SECRET = "een lange geheime zin voor de auteurssleutels"


async def store_with(path: Path, *responses: Response, secret: str | None = None):
    store = await SqliteStore.open(path, author_secret=secret)
    await store.ensure_source(Source("blog", "wordpress"))
    if responses:
        await store.upsert_page("blog", Page(responses=responses))
    return store


async def meta(store: SqliteStore) -> dict[str, str]:
    return dict(await store.read(lambda db: db.execute("SELECT key, value FROM meta").fetchall()))


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


async def key_of(store: SqliteStore, ext: str) -> str | None:
    row = await store.get_by_external("blog", ext)
    return row.response.author_key


async def test_a_secret_from_the_environment_is_never_in_the_file(tmp_path):
    db = tmp_path / "m.db"
    store = await store_with(db, anna("1", "anna@example.org"), secret=SECRET)
    try:
        want = hmac.new(SECRET.encode(), b"anna@example.org", hashlib.sha256).hexdigest()[:32]
        assert await key_of(store, "1") == want
        assert "author_secret" not in await meta(store)  # only a check value
        assert "author_secret_check" in await meta(store)
    finally:
        await store.close()
    assert SECRET.encode() not in file_bytes(db)
    assert b"anna@example.org" not in file_bytes(db)

    again = await store_with(db, anna("2", " Anna@Example.org "), secret=SECRET)
    try:
        assert await key_of(again, "2") == want  # the same person, across runs
    finally:
        await again.close()


async def test_another_secret_is_refused_and_none_still_reads(tmp_path):
    db = tmp_path / "m.db"
    await (await store_with(db, anna("1", "anna@example.org"), secret=SECRET)).close()
    with pytest.raises(StoreError, match="not the one this memory was made with"):
        await SqliteStore.open(db, author_secret="een andere zin")
    reader = await SqliteStore.open(db)  # search, stats, export: no secret needed
    try:
        assert len(await reader.queue(QueueFilter())) == 1
        with pytest.raises(StoreError, match=r"author_secret_env"):
            await reader.upsert_page("blog", Page(responses=[anna("2", "bob@example.org")]))
        assert len(await reader.queue(QueueFilter())) == 1  # nothing half-written
    finally:
        await reader.close()


async def test_the_kept_secret_moves_out_and_the_keys_stay(tmp_path, capsys):
    db = tmp_path / "m.db"
    store = await store_with(db, anna("1", "anna@example.org"))
    before = await key_of(store, "1")
    await store.close()

    assert await asyncio.to_thread(main, ["author-secret", "--db", str(db)]) == 0
    out = capsys.readouterr()
    kept = out.out.strip()
    assert len(kept) == 64 and "author_secret_env" in out.err
    assert kept.encode() in file_bytes(db)

    with pytest.raises(StoreError, match="reactieveld author-secret"):
        await SqliteStore.open(db, author_secret="not the kept one")
    moved = await store_with(db, anna("2", "anna@example.org"), secret=kept)
    try:
        assert await key_of(moved, "1") == before
        assert await key_of(moved, "2") == before  # new responses link to the old ones
        assert "author_secret" not in await meta(moved)
    finally:
        await moved.close()
    assert kept.encode() not in file_bytes(db)  # overwritten, also in the WAL
    assert await asyncio.to_thread(main, ["author-secret", "--db", str(db)]) == 1
    assert "comes from the environment" in capsys.readouterr().err


async def test_a_kept_secret_no_author_used_is_simply_replaced(tmp_path):
    db = tmp_path / "m.db"
    await (await store_with(db, anna("1", None))).close()  # e.g. `stats` made the file
    store = await store_with(db, anna("2", "anna@example.org"), secret=SECRET)
    try:
        assert "author_secret" not in await meta(store)
    finally:
        await store.close()


def test_author_secret_env_in_the_config(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('[store]\nauthor_secret_env = "RV_AUTHOR_SECRET"\n')
    monkeypatch.delenv("RV_AUTHOR_SECRET", raising=False)
    store = load_config(path).store
    with pytest.raises(ConfigError, match="RV_AUTHOR_SECRET .* is not set"):
        store.author_secret()
    monkeypatch.setenv("RV_AUTHOR_SECRET", SECRET)
    assert store.author_secret() == SECRET
    assert load_config(None).store.author_secret() is None

    path.write_text(f'[store]\nauthor_secret_env = "{SECRET}"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert f"{path}:2:" in str(err.value) and SECRET not in str(err.value)


def test_sync_with_the_variable_unset_exits_2(tmp_path, monkeypatch, capsys):
    path = tmp_path / "c.toml"
    path.write_text(
        '[store]\nauthor_secret_env = "RV_AUTHOR_SECRET"\n'
        '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 5\n'
    )
    monkeypatch.delenv("RV_AUTHOR_SECRET", raising=False)
    code = main(["sync", "--once", "--config", str(path), "--db", str(tmp_path / "m.db")])
    assert code == 2
    assert "RV_AUTHOR_SECRET" in capsys.readouterr().out
