"""``reactieveld sync`` while the team's PostgreSQL server goes away and comes back: one
line per round naming the source and the memory, with the next try's time, no
traceback, and the rounds pick up again when the server is back."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from helpers.pg import Cluster

from reactieveld.config import load_config
from reactieveld.store.open import open_store
from reactieveld.sync import run_sync


async def _line(lines: asyncio.Queue[str], pattern: str) -> str:
    while True:
        line = await asyncio.wait_for(lines.get(), 60)
        assert "Traceback" not in line
        if re.search(pattern, line):
            return line


LINE = {
    "en": r"demo: error: the memory cannot be reached: postgresql://[^ ]+: [^\n]+; retrying at ",
    "nl": r"demo: fout: het geheugen is niet bereikbaar: postgresql://[^ ]+: [^\n]+; opnieuw om ",
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_sync_says_the_memory_is_unreachable_retries_and_recovers(
    language: str,
    own_cluster: Cluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = own_cluster.url(own_cluster.new_database())
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "{language}"\n'
        '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 5\npoll_seconds = 0.05\n',
        encoding="utf-8",
    )
    config = load_config(cfg)
    # The backoff's minimum is 5 s; the test waits on the lines, not on the clock.
    monkeypatch.setattr("reactieveld.sync.backoff_delay", lambda *a: 0.05)

    async def run() -> None:
        store = await open_store(url, settings=config.store)
        lines: asyncio.Queue[str] = asyncio.Queue()
        recovered = asyncio.Event()
        record = store.record_sync
        down = False

        async def recording(name: str, **kw: Any) -> Any:
            done = await record(name, **kw)
            if down and not kw.get("error"):
                recovered.set()
            return done

        store.record_sync = recording  # type: ignore[method-assign]
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_sync(
                config,
                store,
                once=False,
                printer=lines.put_nowait,
                stop=stop,
                engine_kwargs={"fetch_process": False},
            )
        )
        try:
            await _line(lines, r"demo: 5 n")
            await asyncio.to_thread(own_cluster.halt)
            down = True
            line = await _line(lines, r"demo: (error|fout)")
            assert re.fullmatch(r"\d\d:\d\d:\d\d " + LINE[language] + r"\d\d:\d\d", line), line
            await _line(lines, r"demo: (error|fout)")  # it keeps trying, one line a round
            await asyncio.to_thread(own_cluster.start)
            # Back: a round that changed nothing prints nothing; it is seen being stored.
            await asyncio.wait_for(recovered.wait(), 60)
            state = await store.source_state("demo")
            assert state is not None and not state.last_error
        finally:
            stop.set()
            assert await task == 0
            await store.close()

    asyncio.run(run())
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_the_outbox_and_the_sinks_say_an_outage_once(own_cluster: Cluster, tmp_path: Path) -> None:
    """The service's outbox and memory sinks make a pass every few seconds: while the
    server is away each says so once (not a line every pass in the service's journal or
    a notice every pass in the app), and again at the next outage after a pass got
    through."""
    from reactieveld.outbox import OutboxWorker
    from reactieveld.sinks import JsonlSink, SinkWorker

    url = own_cluster.url(own_cluster.new_database())

    async def run() -> None:
        store = await open_store(url)
        said: list[str] = []
        outbox = OutboxWorker(store, {}, on_event=said.append)
        sinks = SinkWorker(store, [JsonlSink(tmp_path / "out.jsonl")], on_event=said.append)

        async def passes(n: int) -> None:
            for _ in range(n):
                await outbox.run_once()
                try:  # as PollingWorker.run makes a pass
                    await sinks.run_once()
                except Exception as exc:  # noqa: BLE001 - the pass that fails is the test
                    sinks._pass_failed(exc)

        try:
            await passes(1)
            assert said == []
            for outage in (1, 2):
                await asyncio.to_thread(own_cluster.halt)
                await passes(3)
                assert [line.split(":")[0] for line in said] == ["outbox", "sinks"] * outage
                assert all("\n" not in line for line in said), said
                await asyncio.to_thread(own_cluster.start)
                await passes(1)  # through again (a pool's connection may need a retry)
                await passes(1)
                assert len(said) == 2 * outage
        finally:
            await sinks.aclose()
            await store.close()

    asyncio.run(run())
