"""Every line ``reactieveld sync`` and ``sync --once`` print, in Dutch and in English,
chosen as the rest of the command line chooses: ``--lang``, else ``[ui] language``, else
the locale."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reactieveld.cli import main
from reactieveld.model import RemoteStatus, Source
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import waiting_sources

pytestmark = pytest.mark.usefixtures("cli_isolated")

DEMO = '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 20\n'
#: language -> (the first round's line, the next round's, the outbox line after one
#: decision)
LINES = {
    "nl": (
        "demo: 20 nieuw, 0 bijgewerkt",
        "demo: 0 nieuw, 0 bijgewerkt",
        "uitgaand: 1 toegepast, 0 later opnieuw, 0 mislukt, 0 conflicten",
    ),
    "en": (
        "demo: 20 new, 0 updated",
        "demo: 0 new, 0 updated",
        "outbox: 1 applied, 0 to retry, 0 failed, 0 conflicts",
    ),
}


def _sync(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main([*argv, "sync", "--once"]) == 0
    return capsys.readouterr().out.splitlines()


def _trash_one(db: Path) -> None:
    async def run() -> None:
        store = await SqliteStore.open(db)
        try:
            [row] = await store.queue(QueueFilter(), limit=1)
            await store.moderate([row.response.id], RemoteStatus.TRASH, actor="t")
        finally:
            await store.close()

    asyncio.run(run())


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("how", ["--lang", "[ui] language", "locale"])
def test_sync_once_prints_its_lines_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch, language: str, how: str
) -> None:
    other = "en" if language == "nl" else "nl"
    body = DEMO
    lang: tuple[str, ...] = ()
    if how == "--lang":
        lang = ("--lang", language)
        body = f'[ui]\nlanguage = "{other}"\n' + DEMO  # --lang goes first
    elif how == "[ui] language":
        body = f'[ui]\nlanguage = "{language}"\n' + DEMO
        monkeypatch.setenv("LANG", "nl_NL.UTF-8" if other == "nl" else "C.UTF-8")
    else:
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        monkeypatch.setenv("LANG", "nl_NL.UTF-8" if language == "nl" else "en_US.UTF-8")
    cfg = tmp_path / "config.toml"
    cfg.write_text(body, encoding="utf-8")
    db = tmp_path / "memory.db"
    argv = (*lang, "--config", str(cfg), "--db", str(db))
    first, again, outbox = LINES[language]
    assert _sync(capsys, *argv) == [first]
    _trash_one(db)
    assert _sync(capsys, *argv) == [again, outbox]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "geen [[sources]] ingesteld ({where}); zie de README"),
        ("en", "no [[sources]] configured ({where}); see the README"),
    ],
)
def test_sync_without_sources_says_so_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, said: str
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[ui]\nlanguage = "{language}"\n', encoding="utf-8")
    assert main(["--config", str(cfg), "sync", "--once"]) == 2
    assert capsys.readouterr().err.strip() == f"reactieveld: {said.format(where=cfg)}"


@pytest.mark.parametrize(
    ("language", "retry_after", "backoff"),
    [
        (
            "nl",
            "blog: overgeslagen, de server vroeg te wachten tot {when} (Retry-After); "
            "gebruik --now om het toch te proberen",
            "site: overgeslagen, de laatste ronde mislukte, de volgende poging is om {when} "
            "(backoff); gebruik --now om het toch te proberen",
        ),
        (
            "en",
            "blog: skipped, the server asked to wait until {when} (Retry-After); "
            "use --now to try anyway",
            "site: skipped, the last round failed, the next try is at {when} (backoff); "
            "use --now to try anyway",
        ),
    ],
)
@pytest.mark.parametrize("hour", [12, 23])  # the next try today; tomorrow (the date said)
async def test_the_skipped_lines_in_both_languages(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    retry_after: str,
    backoff: str,
    hour: int,
) -> None:
    # The command's now, pinned: read apart from the test's, the day the test expected and
    # the day the command said differed on a run across midnight UTC.
    now = datetime(2026, 12, 8, hour, 30, tzinfo=UTC)
    monkeypatch.setattr("reactieveld.sync.utcnow", lambda: now)
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        later = now + timedelta(hours=1)
        for name, error in (("blog", "HTTP 429 (retry after 3600 s)"), ("site", "HTTP 502")):
            await store.ensure_source(Source(name, "wordpress"))
            await store.record_sync(name, error=error, next_try=later)
        got = await waiting_sources(store, ["blog", "site"], language)
    finally:
        await store.close()
    shown = "%H:%M UTC" if later.date() == now.date() else "%Y-%m-%d %H:%M UTC"
    stored = (await _next_try(tmp_path / "m.db")).strftime(shown)
    assert got == {
        "blog": retry_after.format(when=stored),
        "site": backoff.format(when=stored),
    }


async def _next_try(path: Path):
    store = await SqliteStore.open(path)
    try:
        state = await store.source_state("blog")
        assert state is not None and state.next_try is not None
        return state.next_try
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("language", "line"),
    [("nl", "demo: 20 nieuw, 0 bijgewerkt"), ("en", "demo: 20 new, 0 updated")],
)
async def test_running_sync_stamps_its_round_lines_in_the_language(
    tmp_path: Path, language: str, line: str
) -> None:
    import re

    from reactieveld.config import load_config
    from reactieveld.sync import run_sync

    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[ui]\nlanguage = "{language}"\n' + DEMO, encoding="utf-8")
    store = await SqliteStore.open(tmp_path / "m.db")
    stop = asyncio.Event()
    printed: list[str] = []

    def printer(text: str) -> None:
        printed.append(text)
        stop.set()  # the first round's line is enough

    try:
        code = await asyncio.wait_for(
            run_sync(load_config(cfg), store, once=False, printer=printer, stop=stop), 60
        )
    finally:
        await store.close()
    assert code == 0
    assert re.fullmatch(rf"\d\d:\d\d:\d\d {re.escape(line)}", printed[0]), printed
