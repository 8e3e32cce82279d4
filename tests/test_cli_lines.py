"""The command line's own lines for a human, in the interface language (Dutch and English):
the outbox's lines of ``reactieveld sync``, and the other commands' fixed lines."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from helpers.store import fill_abc, open_store

from reactieveld.connectors.base import ActionConflict, ConnectorError
from reactieveld.model import Action, Capability
from reactieveld.outbox import OutboxWorker
from reactieveld.store.errors import StoreUnreachable

pytestmark = pytest.mark.usefixtures("cli_isolated")

#: (language, the write-back's outcome) -> the outbox worker's line.
OUTBOX_LINES = {
    ("nl", "retry"): "blog: terugschrijven mislukt, later opnieuw",
    ("en", "retry"): "blog: write-back retry",
    ("nl", "failed"): "blog: terugschrijven mislukt",
    ("en", "failed"): "blog: write-back failed",
    ("nl", "conflict"): "blog: terugschrijven niet gedaan: op het platform gewijzigd (conflict)",
    ("en", "conflict"): "blog: write-back conflict",
    ("nl", "unreadable"): "uitgaand: het geheugen is niet bereikbaar: connection refused",
    ("en", "unreadable"): "outbox: the memory cannot be reached: connection refused",
}
RAISES = {
    "retry": ConnectorError("blog", "HTTP 503", retryable=True),
    "failed": ConnectorError("blog", "HTTP 403", retryable=False),
    "conflict": ActionConflict("blog", "changed meanwhile"),
}


class Refusing:
    """A connector whose every write-back raises ``exc``."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def apply(self, action: Action) -> Any:
        raise self.exc


@pytest.mark.parametrize(("language", "outcome"), sorted(OUTBOX_LINES))
async def test_the_outbox_says_each_outcome_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, outcome: str
) -> None:
    store = await open_store(str(tmp_path / "m.db"))
    try:
        ids = await fill_abc(store)
        await store.enqueue(Action(Capability.HIDE, "blog", "a"), response_id=ids["a"])
        said: list[str] = []
        if outcome == "unreadable":

            async def down(*args: Any, **kw: Any) -> Any:
                raise StoreUnreachable("connection refused")

            monkeypatch.setattr(store, "outbox_due", down)
            connectors: dict[str, Any] = {}
        else:
            connectors = {"blog": Refusing(RAISES[outcome])}
        worker = OutboxWorker(store, connectors, on_event=said.append, language=language)
        await worker.run_once()
    finally:
        await store.close()
    assert said == [OUTBOX_LINES[language, outcome]]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_running_sync_prints_each_write_back_not_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """Running on, the outbox's line per write-back not done reaches the screen, stamped
    as the round lines are (it went nowhere: only ``--once`` said the counts)."""
    from reactieveld.config import load_config
    from reactieveld.sync import run_sync

    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "{language}"\n[[sources]]\nname = "blog"\ntype = "demo"\ncount = 3\n',
        encoding="utf-8",
    )

    async def conflict(self: OutboxWorker, item: Any) -> str:
        return "conflict"

    monkeypatch.setattr(OutboxWorker, "apply_one", conflict)
    store = await open_store(str(tmp_path / "m.db"))
    stop = asyncio.Event()
    printed: list[str] = []

    def printer(line: str) -> None:
        printed.append(line)
        if "blog: " in line and ("write-back" in line or "terugschrijven" in line):
            stop.set()

    try:
        ids = await fill_abc(store)
        await store.enqueue(Action(Capability.HIDE, "blog", "a"), response_id=ids["a"])
        code = await asyncio.wait_for(
            run_sync(load_config(cfg), store, once=False, printer=printer, stop=stop), 60
        )
    finally:
        await store.close()
    assert code == 0
    line = OUTBOX_LINES[language, "conflict"]
    assert any(re.fullmatch(rf"\d\d:\d\d:\d\d {re.escape(line)}", p) for p in printed), printed
