"""Before a memory with responses is updated for this version, one line on stderr says so
(a big memory's migrations take a while: 1M responses' search index took 20 s, and the
start said nothing meanwhile). Once: the connections opened after the first find nothing
to do. A current memory, a new one and an old one without responses say nothing. Both
backends; the command line says it in its reader's language."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from helpers.old_memory import build, fill_v1
from helpers.store import open_store, page, pg_back_to, resp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.cli import main
from reactieveld.store.schema import SCHEMA_VERSION, migration_notice
from reactieveld.store.sqlite import SqliteStore

_N = itertools.count()


def _opened_twice(target) -> list[tuple[str, int]]:
    """What the notice was told while ``target`` was opened, closed and opened again."""
    told: list[tuple[str, int]] = []

    async def run() -> None:
        for _ in range(2):
            store = await SqliteStore.open(target)
            await store.close()

    with migration_notice(lambda where, n: told.append((where, n))):
        asyncio.run(run())
    return told


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(1, SCHEMA_VERSION - 1), st.booleans())
def test_an_older_memory_with_responses_is_said_once(tmp_path, version, filled):
    path = tmp_path / f"old{next(_N)}.db"
    db = build(path, version)
    if filled:
        fill_v1(db)  # two responses
    db.close()
    assert _opened_twice(path) == ([(str(path), 2)] if filled else [])


def test_a_new_or_current_memory_says_nothing(tmp_path):
    assert _opened_twice(tmp_path / "new.db") == []  # new: made at the last version
    path = tmp_path / "current.db"
    db = build(path, SCHEMA_VERSION)
    fill_v1(db)
    db.close()
    assert _opened_twice(path) == []  # current, with responses


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "updating the memory {path} for this version (2 responses; this may take"),
        ("nl", "het geheugen {path} wordt bijgewerkt voor deze versie (2 reacties; dit kan"),
    ],
)
def test_the_command_line_says_it_before_the_update(tmp_path, cli_isolated, capsys, lang, said):
    path = tmp_path / "old.db"
    db = build(path, SCHEMA_VERSION - 1)
    fill_v1(db)
    db.close()
    assert main(["--lang", lang, "--db", str(path), "stats"]) == 0
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("reactieveld: " + said.format(path=path))
    assert main(["--lang", lang, "--db", str(path), "stats"]) == 0
    assert capsys.readouterr().err == ""


async def test_postgresql_says_it_once_and_not_for_a_new_database(pg_url):
    told: list[tuple[str, int]] = []
    with migration_notice(lambda where, n: told.append((where, n))):
        store = await open_store(pg_url)  # new: made at the last version
        await store.upsert_page("blog", page(resp("1", "Hallo"), resp("2", "Dag")))
        await pg_back_to(store, 16)  # as 0016 left it
        where = store.where
        await store.close()
        assert told == []
        for _ in range(2):
            store = await open_store(pg_url)
            await store.close()
    assert told == [(where, 2)]
    assert "@" not in where or ":" not in where.split("@")[0].split("//")[-1]  # no password


async def test_postgresql_says_nothing_to_a_role_that_may_not_update_it(pg_cluster, pg_url):
    """A moderator who starts first after an upgrade is told only that the owner must start
    it (the migration's refusal), never "updating the memory" before nothing is updated."""
    from reactieveld.store.base import StoreError

    store = await open_store(pg_url)
    await store.upsert_page("blog", page(resp("1", "Hallo")))
    await pg_back_to(store, 16)
    await store.close()
    told: list[tuple[str, int]] = []
    anna = pg_cluster.role_url(pg_url, "anna_notice", "reactieveld_moderator")
    with migration_notice(lambda where, n: told.append((where, n))):
        with pytest.raises(StoreError, match="needs more rights than role anna_notice"):
            await open_store(anna)
        assert told == []
        store = await open_store(pg_url)  # the owner: said, and updated
        await store.close()
    assert [n for _, n in told] == [1]
