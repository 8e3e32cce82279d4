"""A store's error on the command line in the reader's language.

Every ``StoreError`` is made in English from the i18n table's ``conn.store.*`` templates
(one stored form for scripts and the other processes); the line the command line prints
reads it back in the reader's language (``StoreError.said``), the file's path, the URL
and SQLite's or the server's own words kept. Generated over every kind of store error
(every template, a new one too) and both languages; then the kinds a team met for real:
a file that is no memory, a memory newer than the program, a refused login."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers.cli import run_main
from helpers.lang import english_only

from reactieveld.i18n import STRINGS, stored, text
from reactieveld.store.base import StoreError
from reactieveld.store.sqlite import SqliteStore

STORE_KEYS = sorted(k for k in STRINGS if k.startswith("conn.store."))


#: What a store's error says in English that no Dutch one says too: none of it may be on
#: a Dutch line.
ENGLISH = english_only(STORE_KEYS)


def _values(key: str) -> dict[str, Any]:
    names = re.findall(r"\{(\w+)\}", STRINGS[key][1])
    return {name: 7 if name == "n" else f"<{name}>" for name in names}


def _no_english(line: str) -> None:
    assert not [phrase for phrase in ENGLISH if phrase in line], line


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_isolated: None) -> Path:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(config))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return tmp_path


def test_the_store_errors_are_in_the_table() -> None:
    assert len(STORE_KEYS) > 25 and len(ENGLISH) > 25  # not vacuous


async def _made(path: Path) -> None:
    await (await SqliteStore.open(path)).close()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("key", STORE_KEYS)
def test_every_store_error_is_said_in_the_readers_language(
    key: str, language: str, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = _values(key)

    async def refuse(*_: Any, **__: Any) -> None:
        raise StoreError(stored(key, **values))

    asyncio.run(_made(isolated / "m.db"))  # a memory: sources opens it (none: it makes none)
    monkeypatch.setattr(SqliteStore, "open", refuse)
    code, out, err = run_main(["--lang", language, "--db", str(isolated / "m.db"), "sources"])
    assert (code, out) == (2, "")
    assert err == f"reactieveld: {text(key, language, **values)}\n"
    if language == "nl":
        _no_english(err)


def test_a_file_that_is_no_memory_in_dutch(isolated: Path) -> None:
    path = isolated / "boodschappen.txt"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    code, _, err = run_main(["--lang", "nl", "--db", str(path), "sources"])
    assert code == 2 and str(path) in err and err.count("\n") == 1
    assert "geen geheugen van reactieveld" in err
    _no_english(err)


def test_a_memory_newer_than_the_program_in_dutch(isolated: Path) -> None:
    path = isolated / "nieuw.db"

    async def make() -> None:
        store = await SqliteStore.open(path)
        await store.close()

    asyncio.run(make())
    db = sqlite3.connect(path)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.execute(f"PRAGMA user_version = {version + 1}")
    db.close()
    code, _, err = run_main(["--lang", "nl", "--db", str(path), "sources"])
    assert code == 2 and f"schemaversie {version + 1}" in err, err
    _no_english(err)


def test_a_refused_login_in_dutch(
    pg_cluster: Any, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = pg_cluster.new_database()
    pg_cluster.add_role("pw_lotte", "password_required", password="lente")
    url = pg_cluster.url(db, "pw_lotte")
    monkeypatch.setenv("PGPASSWORD", "fout")
    code, _, err = run_main(["--lang", "nl", "--db", url, "sources"])
    assert code == 2 and err.count("\n") == 1
    assert "de server weigerde de aanmelding" in err and "fout" not in err, err
    _no_english(err)


def test_a_readers_refused_writes_in_dutch(pg_cluster: Any, pg_url: str) -> None:
    """The store's own refusal (a reader's role) and the database's (its grants), and a
    response or source that is not there: each said in Dutch."""
    from reactieveld.model import RemoteStatus
    from reactieveld.store.pg.store import PostgresStore

    async def refusals() -> list[StoreError]:
        owner = await PostgresStore.open(pg_url)
        await owner.close()
        reader = await PostgresStore.open(pg_cluster.role_url(pg_url, "rosa", "reactieveld_reader"))
        got = []
        try:
            for attempt in (
                lambda: reader.moderate([1], RemoteStatus.SPAM, actor="rosa"),
                lambda: reader.add_note(1, "x", actor="rosa"),
            ):
                with pytest.raises(StoreError) as caught:
                    await attempt()
                got.append(caught.value)
            reader.read_only = False  # past the store's refusal: the database's grants
            for attempt in (
                lambda: reader.moderate([1], RemoteStatus.SPAM, actor="rosa"),
                lambda: reader.record_sync("nergens"),
            ):
                with pytest.raises(StoreError) as caught:
                    await attempt()
                got.append(caught.value)
        finally:
            await reader.close()
        return got

    errors = asyncio.run(refusals())
    for err in errors:
        line = err.said("nl")
        assert "rosa" in line or "nergens" in line, line
        _no_english(line)
    assert "is een lezer" in errors[0].said("nl")
