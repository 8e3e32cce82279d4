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
from helpers.terminal import TYPED, app_typing_a_reply

from reactieveld.drafts import drafts_path

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


def _claims(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT response_id, actor FROM claims").fetchall()


def _until_claimed(fd: int, seen: bytearray, db: Path, timeout: float = 10) -> None:
    """The claim is taken in a worker (nothing on screen says it): looked for in the
    file at each output of the app, or each tenth of a second, at most ``timeout``."""
    end = time.monotonic() + timeout
    while not _claims(db):
        assert time.monotonic() < end, "the open response was never claimed"
        if select.select([fd], [], [], 0.1)[0]:
            seen += os.read(fd, 65536)


@pytest.mark.parametrize(
    "how",
    [
        "hang-up",  # the terminal closes: the kernel sends SIGHUP and SIGCONT, EIO after
        "closed",  # no controlling terminal (no signal): only the failed reads and writes
        "sighup",  # SIGHUP first (a window closing), then the terminal goes
    ],
)
async def test_the_app_ends_when_its_terminal_goes(
    tui_store: Any, tmp_path: Path, how: str
) -> None:
    db = Path(tui_store.path)
    seen = bytearray()
    app_proc, fd = app_typing_a_reply(db, seen, controlling=how == "hang-up")
    try:
        _until_claimed(fd, seen, db)  # the open response is claimed, as the others see
        if how == "sighup":
            app_proc.send_signal(signal.SIGHUP)
        os.close(fd)  # the terminal goes: nobody reads what the app writes any more
        fd = -1
        code = app_proc.wait(10)
    finally:
        if app_proc.poll() is None:
            app_proc.kill()
            app_proc.wait()
        if fd >= 0:
            os.close(fd)
    assert code == 128 + signal.SIGHUP  # ended by the app as by a hang-up (killed: -1)
    (key,) = drafts_in(drafts_path(db))
    assert drafts_in(drafts_path(db)) == {key: TYPED}
    assert _claims(db) == []  # nothing stays "busy" behind it
