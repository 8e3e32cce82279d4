"""``--demo --db`` on the organisation's memory (a file, a team's database) seeded the
demo into it: 500 fictional responses and a year of decisions by fictional moderators in
its journal, among the real ones, for good (there is no undo for a seed). Now ``--demo``
refuses a memory that holds another source than the demo's: one line, exit 2, the
memory untouched; the app (``--demo --db`` alone) the same, before it starts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from helpers.cli import run_main
from helpers.data import fill_store, sample_responses
from helpers.store import open_store, sql

pytestmark = pytest.mark.usefixtures("cli_isolated")

TABLES = ("sources", "responses", "actions", "tags", "notes")

SAID = {
    "nl": "reactieveld: --demo: {store} is het geheugen van blog, forum, geen demo; de demo "
    "zou er een verzonnen jaar (reacties en besluiten) voorgoed aan toevoegen: geef --db een "
    "nieuw bestand, of laat --db weg\n",
    "en": "reactieveld: --demo: {store} is the memory of blog, forum, not a demo; the demo "
    "would add a fictional year (responses and decisions) to it for good: give --db a new "
    "file, or leave out --db\n",
}


async def _fill(target: str) -> None:
    store = await open_store(target)  # the sources "blog" and "forum"
    try:
        responses, threads = sample_responses(count=6)
        await fill_store(store, "blog", responses, threads)
        await store.mark_handled([1, 2], actor="anna")
    finally:
        await store.close()


async def _counts(target: str) -> list[Any]:
    store = await open_store(target)
    try:
        return [(await sql(store, f"SELECT count(*) FROM {table}"))[0][0] for table in TABLES]
    finally:
        await store.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_demo_is_never_seeded_into_another_memory(
    store_target: str, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reactieveld.store.open import describe
    from reactieveld.tui import app

    def no_app(*args: Any, **kw: Any) -> int:
        raise AssertionError("the app started on the organisation's memory")

    monkeypatch.setattr(app, "run_app", no_app)
    asyncio.run(_fill(store_target))
    before = asyncio.run(_counts(store_target))
    for command in (["stats"], ["search", "zwembad"], ["export", "--format", "csv"], []):
        argv = ["--lang", language, "--demo", "--db", store_target, *command]
        code, out, err = run_main(argv)
        assert (code, out) == (2, ""), (command, err)
        assert err == SAID[language].format(store=describe(store_target)), command
    assert asyncio.run(_counts(store_target)) == before
