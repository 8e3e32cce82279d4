"""The terminal that goes away under the app (a closed window, ``tmux kill-session``, a
dropped SSH connection): the app is told, and ends as by quitting.

Textual's output thread dies at the first write to a hung-up terminal (EIO); after that
its bounded queue fills and the next write (at the latest the driver's ``close`` at the
app's end) waits for ever: the process stayed, with its connections, claims and locks.
:class:`HangupDriver` is Textual's Linux driver with the terminal guarded: a write or
flush that fails, a read that fails, or the terminal's hang-up (seen by a thread that
waits on it, no polling) call ``app.terminal_gone()`` once, on the app's loop; output to
the gone terminal is dropped, so the output thread lives and the app's end never waits
on it.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver


class _GuardedOutput:
    """The driver's output file: what cannot be written (the terminal is gone) is dropped
    and said once through ``gone``."""

    def __init__(self, file: IO[str], gone: Any) -> None:
        self._file = file
        self._gone = gone
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._file.write(text)
            except (OSError, ValueError):
                self._broke()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self._broke()

    def _broke(self) -> None:
        self.broken = True
        self._gone()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return self._file.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class HangupDriver(LinuxDriver):
    """Textual's Linux driver; a terminal that goes calls ``app.terminal_gone()``."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        output: Any = self._file
        self._file = _GuardedOutput(output, self._terminal_gone)  # type: ignore[assignment]
        self._said = threading.Lock()
        self._gone_said = False
        self._watch: threading.Thread | None = None
        self._watch_stop: tuple[int, int] | None = None

    def _terminal_gone(self) -> None:
        """From any thread, once: the app told on its loop."""
        with self._said:
            if self._gone_said:
                return
            self._gone_said = True
        gone = getattr(self._app, "terminal_gone", None)
        if gone is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed: the app has ended
                self._loop.call_soon_threadsafe(gone)

    def start_application_mode(self) -> None:
        super().start_application_mode()  # type: ignore[no-untyped-call]
        if self._watch is None:
            self._watch_stop = os.pipe()
            self._watch = threading.Thread(
                target=self._watch_hangup, name="reactieveld-hangup", daemon=True
            )
            self._watch.start()

    def _watch_hangup(self) -> None:
        """Wait (no polling) for the terminal's hang-up or the driver's close."""
        assert self._watch_stop is not None
        poll = select.poll()
        poll.register(self.fileno, 0)  # POLLHUP and POLLERR are always reported
        poll.register(self._watch_stop[0], select.POLLIN)
        try:
            events = poll.poll()
        except OSError:
            return
        if any(fd == self.fileno for fd, _ in events):
            self._terminal_gone()

    def run_input_thread(self) -> None:
        """A read from the gone terminal fails: the app told, not a traceback."""
        try:
            super().run_input_thread()
        except OSError:
            self._terminal_gone()

    def close(self) -> None:
        super().close()
        stop, self._watch_stop = self._watch_stop, None
        if stop is not None:
            os.write(stop[1], b"x")
            if self._watch is not None:
                self._watch.join(1.0)
            for fd in stop:
                os.close(fd)
