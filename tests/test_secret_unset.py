"""A source whose secret's environment variable is unset, beside a healthy WordPress:
``sync --once`` syncs the healthy one, says the other's variable in one line (never a
value) and records it as that source's state, and ends as a failed source's sync does
(exit 1); ``reactieveld sources`` names the variable, in Dutch and in English. The app
builds that source as ``sync`` does and records the same state."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers.app import SMALL, record_notices, until
from helpers.cli import run_main
from helpers.team import header
from helpers.twosources import (
    HEALTHY,
    HEALTHY_PASSWORD,
    error_lines,
    source_name,
    stored_error,
    sync_once,
    wp_block,
)
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.config import load_config
from reactieveld.connectors.registry import SecretUnset, said_secret_unset
from reactieveld.i18n import stored
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import waiting_sources
from reactieveld.tui.app import app_sync

pytestmark = pytest.mark.usefixtures("cli_isolated")

UNSET = "TEST_UNSET_SECRET"
#: The source under test, of each kind of secret: (its block, the key naming ``UNSET``).
BLOCKS = {
    "wordpress": (wp_block("blog", "http://127.0.0.1:9/", UNSET), "password_env"),
    "discourse": (
        '[[sources]]\nname = "forum"\ntype = "discourse"\nurl = "http://127.0.0.1:9/"\n'
        f'api_username = "system"\napi_key_env = "{UNSET}"\n',
        "api_key_env",
    ),
}
#: What ``reactieveld sources`` says of it, in each language.
SAID = {
    "en": f"environment variable {UNSET} ({{key}}) is not set or empty",
    "nl": f"omgevingsvariabele {UNSET} ({{key}}) is niet gezet of leeg",
}


@pytest.mark.parametrize("kind", list(BLOCKS))
def test_a_source_without_its_secret_does_not_stop_the_others(
    kind: str, healthy_site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    block, key = BLOCKS[kind]
    name = source_name(block)
    monkeypatch.delenv(UNSET, raising=False)
    code, printed, db = sync_once(block, {}, healthy_site)
    assert code == 1, printed  # a source failed, as a refused or unreachable one does
    con = sqlite3.connect(db)
    try:
        [(rows,)] = con.execute("SELECT COUNT(*) FROM responses")
    finally:
        con.close()
    assert rows == HEALTHY, printed
    assert f"site: {HEALTHY} new, 0 updated" in printed
    [line] = error_lines(printed, name)
    assert UNSET in line and key in line, line
    error = stored_error(db, name)
    assert error is not None and UNSET in error, error
    assert stored_error(db, "site") is None
    # No server was asked: the next ``sync --once`` (the variable set by then) tries it
    # at once, it does not wait an hour as after a refused password.
    assert asyncio.run(_waiting(db, name)) == {}

    monkeypatch.setenv("TEST_HEALTHY_SITE_PW", HEALTHY_PASSWORD)
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(db.parent / "reactieveld.toml"))
    for language, words in SAID.items():
        code, out, err = run_main(["--db", str(db), "--lang", language, "sources"])
        assert (code, err) == (0, ""), err
        lines = {line.split("\t")[0]: line for line in out.splitlines()}
        assert words.format(key=key) in lines[name], lines
        assert lines[name].count(UNSET) == 1, lines[name]  # the stored error is not said twice
        assert UNSET not in lines["site"], lines


def test_sources_names_the_unset_variable_before_any_sync(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    block, key = BLOCKS["wordpress"]
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(block, encoding="utf-8")
    monkeypatch.delenv(UNSET, raising=False)
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(cfg))
    for language, words in SAID.items():
        code, out, err = run_main(["--db", str(tmp_path / "m.db"), "--lang", language, "sources"])
        assert (code, err) == (0, ""), err
        assert words.format(key=key) in out, out
    monkeypatch.setenv(UNSET, "set-now")
    code, out, _ = run_main(["--db", str(tmp_path / "m.db"), "sources", "--json"])
    assert code == 0 and '"secret_unset": null' in out and "set-now" not in out, out


async def _waiting(db: Path, name: str) -> dict[str, str]:
    store = await SqliteStore.open(db)
    try:
        return await waiting_sources(store, [name])
    finally:
        await store.close()


@given(
    variable=st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True),
    key=st.sampled_from(["password_env", "api_key_env", "token_env"]),
)
def test_the_unset_secret_error_is_told_from_others(variable: str, key: str) -> None:
    """The error a source without its secret stores (any variable's name) is read as that
    one by ``sync --once``'s wait, and no other stored error or server's text is."""
    said = SecretUnset("blog", key, variable).error.message
    assert said_secret_unset(said)
    assert not said_secret_unset(f"{said} (and more)")
    assert not said_secret_unset(stored("conn.refused"))
    assert not said_secret_unset(f"server said: {said}")


async def test_the_app_records_the_unset_secret_as_sync_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: Any
) -> None:
    """The app's engine (built as ``run_app`` builds it) has the source fail its round with
    the variable's name and records that as the source's state, as ``sync`` does: the
    memory says it (so ``reactieveld sources`` beside the app does), the header says
    "error" and the notice names the variable."""
    block, key = BLOCKS["wordpress"]
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(block, encoding="utf-8")
    monkeypatch.delenv(UNSET, raising=False)
    db = tmp_path / "m.db"
    store, sync_store = await SqliteStore.open(db), await SqliteStore.open(db)
    engine, outbox, errors = await app_sync(load_config(cfg), sync_store)
    assert errors == {}  # not kept in the app's memory alone
    app = make_app(store, language="en", engine=engine, outbox=outbox, source_errors=errors)
    said = record_notices(app)

    async def recorded() -> bool:
        state = await store.source_state("blog")
        return state is not None and state.last_error is not None

    try:
        async with app.run_test(size=SMALL) as pilot:
            await until(pilot, recorded, "the round's error in the memory")
            await until(pilot, lambda: "blog error" in header(app), "the header's error")
            state = await store.source_state("blog")
            assert state is not None and state.last_error is not None
            assert said_secret_unset(state.last_error), state.last_error
            assert UNSET in state.last_error and key in state.last_error
            assert [n for n in said if UNSET in n and key in n], said
    finally:
        await engine.aclose()
        await sync_store.close()
        await store.close()
