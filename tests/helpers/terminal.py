"""The real app on a pseudo-terminal: its output read until a marker shows (select on the
descriptor: no sleeps), and the app started there with a reply being typed."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from reactieveld.tui.widgets.queue_list import CURSOR_MARK

#: What :func:`app_typing_a_reply` types in the reply editor (not kept as a draft yet).
TYPED = "Halve zin"


def read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 30) -> None:
    """Read the terminal's output into ``seen`` until ``marker`` is in it."""
    end = time.monotonic() + timeout
    while marker not in seen:
        ready = select.select([fd], [], [], max(0.0, end - time.monotonic()))[0]
        if not ready:
            raise AssertionError(f"{marker!r} not on the terminal: {bytes(seen[-300:])!r}")
        seen += os.read(fd, 65536)


def _controlling_terminal() -> None:
    """In the child, after setsid: its terminal becomes its controlling terminal, as a
    terminal emulator's shell has it (the kernel's SIGHUP and SIGCONT come at hang-up)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _controlling_hangup_ignored() -> None:
    """As :func:`_controlling_terminal`, with SIGHUP ignored as ``nohup`` or a wrapper's
    ``trap "" HUP`` leave it to the app they start."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    _controlling_terminal()


def app_typing_a_reply(
    db: Path | str,
    seen: bytearray,
    *,
    controlling: bool = False,
    hangup_ignored: bool = False,
) -> tuple[subprocess.Popen[bytes], int]:
    """``reactieveld --db db --lang en`` in a new session on a pty (its controlling
    terminal with ``controlling``; SIGHUP ignored by what started it with
    ``hangup_ignored``), the first row's reply editor open with :data:`TYPED` typed; the
    process and the pty's master side (the caller closes it)."""
    entry = "import sys; from reactieveld.entry import main; sys.exit(main())"
    argv = [sys.executable, "-c", entry, "--db", str(db), "--lang", "en"]
    fd, tty = pty.openpty()
    child = None
    if controlling:
        child = _controlling_hangup_ignored if hangup_ignored else _controlling_terminal
    app_proc = subprocess.Popen(
        argv,
        stdin=tty,
        stdout=tty,
        stderr=tty,
        start_new_session=True,
        preexec_fn=child,  # noqa: PLW1509
    )
    os.close(tty)
    try:
        read_until(fd, CURSOR_MARK.encode(), seen)  # the queue's first row is on screen
        os.write(fd, b"r")
        read_until(fd, b"Reply to", seen)
        os.write(fd, TYPED.encode())
        read_until(fd, TYPED.encode(), seen)
    except BaseException:
        app_proc.kill()
        app_proc.wait()
        os.close(fd)
        raise
    return app_proc, fd


def exit_code_when_gone(
    app_proc: subprocess.Popen[bytes], fd: int, before: Callable[[], None], timeout: float = 10
) -> int:
    """``before()``, then the pty's master side closed (the terminal goes: nobody reads
    what the app writes any more): the app's exit code, waited for at most ``timeout``
    (the process killed after it, and ``subprocess.TimeoutExpired`` raised)."""
    try:
        before()
    except BaseException:
        os.close(fd)
        app_proc.kill()
        app_proc.wait()
        raise
    os.close(fd)
    try:
        return app_proc.wait(timeout)
    finally:
        if app_proc.poll() is None:
            app_proc.kill()
            app_proc.wait()
