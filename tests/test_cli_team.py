"""The command line on a team's memory (issue 13): ``--db``, ``REACTIEVELD_DB`` and
``[store] url`` name a PostgreSQL database; a password only from ``password_env`` (or
PGPASSWORD, ~/.pgpass); every failure one line, exit 2, no password shown."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from helpers.cli import run_main

CONFIG = """
[[sources]]
name = "blog"
type = "wordpress"
url = "https://blog.example"
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_isolated: None) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return path


def _role(cluster: Any, db: str, name: str, password: str) -> None:
    cluster.add_role(name, "password_required", password=password)
    cluster.psql(f'ALTER DATABASE "{db}" OWNER TO {name}')


@pytest.mark.parametrize("how", ["--db", "REACTIEVELD_DB"])
def test_sources_on_a_team_database(
    pg_url: str, config: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "--db":
        argv = ["--db", pg_url, "sources"]
    else:
        monkeypatch.setenv("REACTIEVELD_DB", pg_url)
        argv = ["sources"]
    code, out, err = run_main(argv)
    assert (code, err) == (0, "")
    assert out.startswith("blog\twordpress\thttps://blog.example\tnever synced")


def test_store_url_and_password_env(
    pg_cluster: Any, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = pg_cluster.new_database()
    _role(pg_cluster, db, "pw_sanne", "zomer2026")
    url = pg_cluster.url(db, "pw_sanne")
    config.write_text(
        f'[store]\nurl = "{url}"\npassword_env = "RV_DB_PW"\n' + CONFIG, encoding="utf-8"
    )
    monkeypatch.delenv("RV_DB_PW", raising=False)
    code, out, err = run_main(["sources"])
    assert code == 2
    assert "RV_DB_PW" in err and "not set" in err
    assert err.count("\n") == 1
    monkeypatch.setenv("RV_DB_PW", "fout")
    code, out, err = run_main(["sources"])
    assert code == 2
    assert "refused the login" in err and "fout" not in err
    assert err.count("\n") == 1
    monkeypatch.setenv("RV_DB_PW", "zomer2026")
    code, out, err = run_main(["sources"])
    assert (code, err) == (0, ""), err
    assert "never synced" in out


def test_pgpassword_works_for_a_db_url(
    pg_cluster: Any, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = pg_cluster.new_database()
    _role(pg_cluster, db, "pw_joost", "herfst")
    monkeypatch.setenv("PGPASSWORD", "herfst")
    code, out, err = run_main(["--db", pg_cluster.url(db, "pw_joost"), "sources"])
    assert (code, err) == (0, ""), err


@pytest.mark.parametrize(
    "command",
    [
        ["sources"],
        ["search", "boom"],
        ["stats"],
        ["export", "--format", "csv"],
        ["sync", "--once"],
    ],
)
def test_an_unreachable_server_is_one_line(config: Path, command: list[str]) -> None:
    # (``sync`` without --once waits for the server instead: tests/test_sync_waits.py.)
    url = "postgresql://anna@127.0.0.1:1/reactieveld"
    code, out, err = run_main(["--db", url, *command])
    assert code == 2
    assert err.count("\n") == 1, err
    assert "postgresql://anna@127.0.0.1:1/reactieveld" in err
    assert "cannot reach the server" in err
    assert "Traceback" not in err + out


def test_a_password_in_a_db_url_is_refused_and_not_repeated(config: Path) -> None:
    code, out, err = run_main(["--db", "postgresql://anna:geheim@127.0.0.1:1/rv", "sources"])
    assert code == 2
    assert "geheim" not in err
    assert "password" in err
    assert err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("anna sync", "synced by anna sync"),
        ("anna\nsync\x1b[31m [b]x", "synced by anna sync [b]x"),
        ("\t" + "lang" * 40, "synced by " + ("lang" * 40)[:60]),
        (None, "synced by another process"),
    ],
)
async def test_sources_names_who_syncs_a_source_elsewhere(
    store_target: str,
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    stored: str | None,
    said: str,
) -> None:
    """``reactieveld sources`` names the process that syncs a source (the name it stored),
    on one line whatever that name holds; "another process" where it stored none."""
    from helpers.store import open_store

    from reactieveld.store.sqlite import SqliteStore

    other = await open_store(store_target)
    try:
        if stored is not None:
            await other.record_sync("blog", error="HTTP 502", by=stored)
        if isinstance(other, SqliteStore):
            # A file has no sync lock (every sync is granted): stand in for one held.
            async def elsewhere(self: Any, names: list[str]) -> set[str]:
                return {"blog"} & set(names)

            monkeypatch.setattr(SqliteStore, "syncing_elsewhere", elsewhere)
            held = None
        else:
            held = other.source_lock("blog")
            assert await held.__aenter__()
        try:
            # The command runs its own event loop: in a thread of its own here.
            code, out, err = await asyncio.to_thread(run_main, ["--db", store_target, "sources"])
        finally:
            if held is not None:
                await held.__aexit__(None, None, None)
    finally:
        await other.close()
    assert (code, err) == (0, ""), err
    [line] = out.splitlines()  # the configured source, on one line
    assert line.startswith("blog\twordpress\thttps://blog.example\t")
    assert line.endswith("\t" + said), line
    assert "\x1b" not in out


@pytest.mark.parametrize(
    ("language", "lead"),
    [("nl", "het geheugen is niet bereikbaar"), ("en", "the memory cannot be reached")],
)
@pytest.mark.parametrize(
    "reason", ["connection refused (is the server running?)", "weg\nmet\x1b[2J [b]x"]
)
async def test_sources_says_a_stored_memory_error_in_the_configured_language(
    store_target: str, config: Path, language: str, lead: str, reason: str
) -> None:
    """The round's stored error (English, as the sync records it) is printed as the sync's
    own line says it: a known lead in the configured language, the rest as stored, on one
    line; another error as stored."""
    from helpers.store import open_store

    from reactieveld.store.errors import StoreUnreachable

    other = await open_store(store_target)
    try:
        await other.record_sync("blog", error=f"{StoreUnreachable.lead}: {reason}")
        await other.record_sync("forum", error=f"HTTP 502: {reason}")
    finally:
        await other.close()
    config.write_text(
        f'[ui]\nlanguage = "{language}"\n' + CONFIG + CONFIG.replace("blog", "forum"),
        encoding="utf-8",
    )
    code, out, err = await asyncio.to_thread(run_main, ["--db", store_target, "sources"])
    assert (code, err) == (0, ""), err
    blog, forum = out.splitlines()  # one line each, whatever the reason holds
    said = " ".join(reason.replace("\x1b[2J", "").split())
    error = {"nl": "fout", "en": "error"}[language]  # the line's own word too
    assert blog.endswith(f"\t{error}: {lead}: {said}"), blog
    assert forum.endswith(f"\t{error}: HTTP 502: {said}"), forum
    assert "\x1b" not in out
