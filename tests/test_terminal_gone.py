"""The app ends when its terminal goes (a closed window, ``tmux kill-session``, a dropped
SSH connection): before, it never did. Textual's output thread died at the first write
to the hung-up terminal, its queue filled and the app's end waited on it for ever: the
process stayed with its connections, its claim ("bezig: Naam" for the others) and its
locks. Now it ends as by quitting, the draft typed kept, the claim released, exit 129."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from helpers.app import drafts_in
from helpers.terminal import TYPED, app_typing_a_reply, exit_code_when_gone

from reactieveld.drafts import drafts_path

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


def _claims(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT response_id, actor FROM claims").fetchall()


def _until_claimed(fd: int, seen: bytearray, claims: Any, timeout: float = 10) -> None:
    """The claim is taken in a worker (nothing on screen says it): ``claims()`` looked at
    at each output of the app, or each tenth of a second, at most ``timeout``."""
    end = time.monotonic() + timeout
    while not claims():
        assert time.monotonic() < end, "the open response was never claimed"
        if select.select([fd], [], [], 0.1)[0]:
            seen += os.read(fd, 65536)


@pytest.mark.parametrize(
    "how",
    [
        "hang-up",  # the terminal closes: the kernel sends SIGHUP and SIGCONT, EIO after
        "closed",  # no controlling terminal (no signal): only the failed reads and writes
        "sighup",  # SIGHUP first (a window closing), then the terminal goes
        "nohup",  # the hang-up with SIGHUP ignored by what started the app (nohup, a trap)
    ],
)
async def test_the_app_ends_when_its_terminal_goes(
    tui_store: Any, tmp_path: Path, how: str
) -> None:
    db = Path(tui_store.path)
    seen = bytearray()
    app_proc, fd = app_typing_a_reply(
        db,
        seen,
        controlling=how in ("hang-up", "nohup"),
        hangup_ignored=how == "nohup",
    )

    def before() -> None:
        _until_claimed(fd, seen, lambda: _claims(db))  # the open response is claimed
        if how == "sighup":
            app_proc.send_signal(signal.SIGHUP)

    code = exit_code_when_gone(app_proc, fd, before)
    assert code == 128 + signal.SIGHUP  # ended by the app as by a hang-up (killed: -1)
    (key,) = drafts_in(drafts_path(db))
    assert drafts_in(drafts_path(db)) == {key: TYPED}
    assert _claims(db) == []  # nothing stays "busy" behind it


async def test_on_postgresql_its_claim_and_connections_go_with_the_terminal(
    pg_cluster: Any,
) -> None:
    """The team's case (two moderators in tmux, one session killed): on PostgreSQL the
    app ends as well, its claim released and none of its connections left."""
    from helpers.data import fill_store, sample_responses

    from reactieveld.store.open import open_store

    name = pg_cluster.new_database()
    url = pg_cluster.url(name)
    store = await open_store(url)
    try:
        await fill_store(store, "blog", *sample_responses(count=30))
    finally:
        await store.close()

    def claims() -> list[str]:
        return pg_cluster.psql("SELECT actor FROM claims", db=name).split()

    def connections() -> int:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        return int(pg_cluster.psql(sql + " AND pid <> pg_backend_pid()", db=name))

    seen = bytearray()
    app_proc, fd = app_typing_a_reply(url, seen, controlling=True)

    def before() -> None:
        _until_claimed(fd, seen, claims)
        assert connections() >= 1

    code = exit_code_when_gone(app_proc, fd, before)
    assert code == 128 + signal.SIGHUP
    assert drafts_in(drafts_path(url)) and claims() == []
    # The server ends a closed connection's backend just after the client has gone.
    end = time.monotonic() + 5
    while connections():
        assert time.monotonic() < end, "the app's connections outlived it"
