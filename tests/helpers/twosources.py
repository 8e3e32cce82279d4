"""``sync --once`` of a source under test beside a healthy WordPress ("site"), for the
tests of what a misbehaving server does to one source and not to the others."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.wpsite import no_retry_waits
from reactieveld.config import load_config
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import run_sync

HEALTHY = 30  # the healthy WordPress's comments (tests/wpreal.served_fakewp)
HEALTHY_PASSWORD = "healthy-pw"  # noqa: S105 - the fake's test credential


def wp_block(name: str, url: str, var: str) -> str:
    """A WordPress ``[[sources]]`` block, its password in the environment variable."""
    return (
        f'[[sources]]\nname = "{name}"\ntype = "wordpress"\nurl = "{url}"\n'
        f'username = "admin"\npassword_env = "{var}"\n'
    )


#: The scratch folders of this process's runs, removed when the process ends (a
#: hypothesis example has no tmp_path of its own).
_SCRATCH = tempfile.TemporaryDirectory(prefix="rv-tests-")


def scratch(prefix: str) -> Path:
    """A new folder for one run, removed with the process's others at its end."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_SCRATCH.name))


def sync_once(
    block: str, env: dict[str, str], healthy: Any, *, healthy_inline: bool = False
) -> tuple[int, str, Path]:
    """``sync --once`` (in this process) of the source of ``block`` (its secrets in
    ``env``) and the healthy WordPress ``healthy``, in a fresh memory: (exit code, what
    it printed, the memory). Bounded: a round that never ends fails the test (a healthy
    run takes a second or two). The healthy site fetches in the child process, as a
    configured source does, or with ``healthy_inline`` in this process beside the source
    under test (no Python started per run: the tests that sync once per generated
    example)."""
    tmp = scratch("rv-twosources-")
    cfg = tmp / "reactieveld.toml"
    inline = 'fetch_process = false\nurl = "'
    block = block.replace('url = "', inline, 1)
    site = wp_block("site", healthy.base, "TEST_HEALTHY_SITE_PW")
    if healthy_inline:
        site = site.replace('url = "', inline, 1)
    cfg.write_text(block + site, encoding="utf-8")
    printed: list[str] = []

    async def run() -> int:
        store = await SqliteStore.open(tmp / "m.db")
        try:
            return await asyncio.wait_for(
                run_sync(load_config(cfg), store, once=True, printer=printed.append), 20
            )
        finally:
            await store.close()

    with pytest.MonkeyPatch.context() as mp:
        for name, value in {**env, "TEST_HEALTHY_SITE_PW": HEALTHY_PASSWORD}.items():
            mp.setenv(name, value)
        no_retry_waits(mp)  # the retries' waits are not slept through
        code = asyncio.run(run())
    return code, "\n".join(printed), tmp / "m.db"


def source_name(block: str) -> str:
    """The name of the (first) source of a ``[[sources]]`` block."""
    found = re.search(r'name = "(\w+)"', block)
    assert found is not None, block
    return found[1]


def error_lines(printed: str, name: str) -> list[str]:
    """The round's error lines of source ``name`` (stamped) in what sync printed."""
    return [
        line for line in printed.splitlines() if re.match(rf"\d\d:\d\d:\d\d {name}: error: ", line)
    ]


def stored_error(db: Path, name: str) -> str | None:
    """The error the memory recorded for source ``name``."""
    con = sqlite3.connect(db)
    try:
        [(error,)] = con.execute("SELECT last_error FROM sources WHERE name = ?", (name,))
    finally:
        con.close()
    return error


@contextlib.contextmanager
def serving(fake: Any, seed: Callable[[Any], Any], block: Callable[[Any], Any]) -> Iterator[Any]:
    """``fake`` (a tests/fakes portal) started, seeded, its ``[[sources]]`` block and
    secrets as ``fake.source``; stopped after."""
    with fake:
        seed(fake)
        fake.source = block(fake)
        yield fake
