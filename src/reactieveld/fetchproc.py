"""Connectors' ``fetch`` in a child process, so that the parent's interpreter only stores.

Why: a full sync is two kinds of Python work. The connector's (HTTP, JSON, HTML to text,
building :class:`~reactieveld.model.Response` objects: about 2.5 ms per 100-comment page)
and the store's (row preparation and SQLite). In one interpreter they share one lock
and add up; in two processes they overlap, and a full sync takes about as long as the
store alone. The app's interpreter, which also answers the keys, does less as well.

The child (``python -P -c ...``, running :func:`main`) builds its own connectors from the same
``[[sources]]`` entries through the connector registry; secrets come from the
environment it inherits, never through the pipe. The parent keeps its own connector per
source for write-back (``apply``). What a connector must know of the store (the ids and
statuses it holds, for a re-scan) the child asks the parent for.

Protocol: frames of two 4-byte big-endian lengths, a pickled envelope and an optional
pickled payload (a page, unpickled only when the writer takes it), over the child's stdin
(parent to child) and a duplicate of its stdout (child to parent; the child's fd 1 then
points at stderr, so that a stray ``print`` cannot corrupt the stream)::

    parent -> child                         child -> parent
    ("init", [source specs])                ("page", req, Page)
    ("fetch", req, name, cursor)            ("end", req)
    ("ack", req)    one page taken          ("error", req, {source, message, ...})
    ("cancel", req)                         ("known?", name)
    ("known", name, {external id: status})

The child sends at most :data:`WINDOW` pages of a fetch that the parent has not taken
yet, so a large sync never piles up in memory. Closing the child's stdin (or the
parent's death) stops it. The cursor of each page is the connector's own, so a crash of
either process repeats at most one page, exactly as in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import struct
import sys
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reactieveld.connectors.base import ConnectorError, read_pages
from reactieveld.i18n import stored
from reactieveld.model import Page, RemoteStatus

#: Source types whose fetch may run in the child (the built-in network connectors; a
#: type registered at run time exists only in the parent, and the demo is cheap).
PROCESS_TYPES = frozenset({"wordpress", "wordpress-feed", "discourse", "decidim", "govocal"})
#: Pages of one fetch the child may send ahead of the parent.
WINDOW = 2
#: How much nicer than the parent the child runs (``os.nice``).
NICENESS = int(_n) if (_n := os.environ.get("REACTIEVELD_FETCH_NICENESS", "5")).isdigit() else 5
_HEADER = struct.Struct(">II")
# httpx imports its command-line client (rich, click) when they are installed, as they
# are beside Textual: 50 ms and 5 MB the child never uses. A None in sys.modules makes
# that import fail, and httpx falls back to a stub.
_CHILD = (
    "import sys; sys.modules['httpx._main'] = None; sys.path.append(sys.argv[1]); "
    "from reactieveld.fetchproc import main; main()"
)

KnownLoader = Callable[[str], Awaitable[Mapping[str, RemoteStatus]]]


def wants_process(cfg: Any) -> bool:
    """Whether the source of ``cfg`` (a ``SourceConfig``) fetches in the child:
    a network type, unless its entry says ``fetch_process = false``."""
    options = getattr(cfg, "options", None)
    if cfg.type not in PROCESS_TYPES or options is None:
        return False
    return bool(options.get("fetch_process", True))


def _frame(message: Any, payload: Any = None) -> bytes:
    # A page travels as a payload of its own, beside a small envelope: the parent's
    # reader unpickles only the envelope, and the page is unpickled when the writer
    # takes it, so that this does not compete with a page being stored.
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    data = b"" if payload is None else pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body), len(data)) + body + data


async def _read(reader: asyncio.StreamReader) -> tuple[Any, bytes]:
    """One frame: its envelope (unpickled) and its payload (still pickled)."""
    size, extra = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    message = pickle.loads(await reader.readexactly(size))
    return message, (await reader.readexactly(extra) if extra else b"")


def _spec(cfg: Any) -> tuple[str, str, float, dict[str, Any], int | None]:
    # SourceConfig's options are a MappingProxyType, which does not pickle.
    return (cfg.name, cfg.type, cfg.poll_seconds, dict(cfg.options), getattr(cfg, "line", None))


def _error_payload(source: str, exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, ConnectorError):
        return {
            "source": exc.source,
            "message": exc.message,
            "retryable": exc.retryable,
            "retry_after": getattr(exc, "retry_after", None),
        }
    # Not a platform error but a bug or an unexpected answer: say what it was (in the
    # same words as in one process), and let the engine try again later instead of
    # stopping the source for good.
    from reactieveld.failures import failure

    return {"source": source, "message": failure(exc, source=source).message, "retryable": True}


def _error(payload: Mapping[str, Any]) -> ConnectorError:
    exc = ConnectorError(payload["source"], payload["message"], retryable=payload["retryable"])
    if payload.get("retry_after") is not None:
        exc.retry_after = payload["retry_after"]  # type: ignore[attr-defined]
    return exc


# -- the parent's side ------------------------------------------------------------------
def died(code: int | None, words: str, *, gave_up: bool) -> str:
    """A round's error when the fetch process ended under it: its exit code, its last
    lines (``words``) and whether fetching moves into this process now. Stored in English
    like a platform's error, shown in the reader's language (i18n ``conn.proc.*``)."""
    if words:
        message = stored("conn.proc.died.words", code=code, words=words)
    else:
        message = stored("conn.proc.died", code=code)
    return stored("conn.proc.gave_up", error=message) if gave_up else message


class FetchProcess:
    """The parent's handle on the child: ``fetch(name, cursor)`` yields the pages the
    child's connector for source ``name`` fetched. The child starts on first use and
    again after it died; ``aclose`` stops it.

    ``known(name)`` answers the child's question for what the store holds of a source.
    """

    def __init__(self, configs: Sequence[Any], known: KnownLoader) -> None:
        self._specs = [_spec(cfg) for cfg in configs]
        self.names = frozenset(s[0] for s in self._specs)
        self._known = known
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._stderr: asyncio.Task[None] | None = None
        self._last_words: deque[str] = deque(maxlen=5)
        self._requests: dict[int, asyncio.Queue[tuple[Any, ...]]] = {}
        self._helpers: set[asyncio.Task[None]] = set()
        self._next = 0
        self._lock = asyncio.Lock()
        #: How many times a child was started (1 for a healthy engine).
        self.starts = 0
        #: Children in a row that died before saying anything: after two, the child
        #: cannot run here (a frozen executable, a sandbox) and the engine fetches in
        #: its own process instead (:attr:`usable`).
        self.failed_starts = 0
        self._heard = False

    @property
    def usable(self) -> bool:
        """False once two children in a row died before sending a single frame."""
        return self.failed_starts < 2

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    def _alive(self) -> bool:
        return (
            self._proc is not None
            and self._proc.returncode is None
            and self._reader is not None
            and not self._reader.done()
        )

    async def _start(self) -> None:
        async with self._lock:
            if self._alive():
                return
            await self._stop()
            # The child imports this very package, also from a checkout that is not
            # installed (the benchmarks run from src/): its folder goes last on the path,
            # and -P keeps the working directory off it.
            here = str(Path(__file__).resolve().parents[1])
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-P",
                "-c",
                _CHILD,
                here,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            self._proc = proc
            self.starts += 1
            self._heard = False
            self._last_words.clear()
            self._send(("init", self._specs))
            self._reader = asyncio.create_task(self._read_loop(proc))
            self._stderr = asyncio.create_task(self._stderr_loop(proc))

    def _send(self, message: Any) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdin.is_closing():
            return
        proc.stdin.write(_frame(message))

    async def _read_loop(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        try:
            while True:
                message, payload = await _read(proc.stdout)
                if not self._heard:
                    self._heard, self.failed_starts = True, 0
                if payload:
                    message = (*message, payload)
                if message[0] == "known?":
                    task = asyncio.create_task(self._answer_known(message[1]))
                    self._helpers.add(task)
                    task.add_done_callback(self._helpers.discard)
                    continue
                queue = self._requests.get(message[1])
                if queue is not None:
                    queue.put_nowait(message)
        except (asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError, EOFError):
            pass
        finally:
            for queue in self._requests.values():
                queue.put_nowait(("died",))

    async def _stderr_loop(self, proc: asyncio.subprocess.Process) -> None:
        # The child's stderr is drained (a full pipe would stop it) and its last lines
        # kept (they say why it died), never printed: in the app it would write over the
        # screen. Read in chunks: a line longer than a stream's limit must not end this.
        assert proc.stderr is not None
        tail = ""
        while chunk := await proc.stderr.read(65536):
            tail = (tail + chunk.decode("utf-8", "replace"))[-4000:]
            lines = [line.strip()[:300] for line in tail.splitlines() if line.strip()]
            self._last_words.clear()
            self._last_words.extend(lines[-5:])

    async def _answer_known(self, name: str) -> None:
        try:
            known = dict(await self._known(name))
        except Exception:  # noqa: BLE001 - the child then re-reads what it cannot compare
            known = {}
        self._send(("known", name, known))
        proc = self._proc
        if proc is not None and proc.stdin is not None:
            with contextlib.suppress(ConnectionError):
                await proc.stdin.drain()

    async def _death(self, name: str) -> ConnectorError:
        proc = self._proc
        code = None
        if proc is not None:
            with contextlib.suppress(TimeoutError):
                code = await asyncio.wait_for(proc.wait(), 2.0)
        if self._stderr is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._stderr), 1.0)
        gave_up = False
        if not self._heard:
            self._heard = True  # one death counted once, however many fetches it ends
            self.failed_starts += 1
            gave_up = not self.usable
        message = died(code, " | ".join(self._last_words), gave_up=gave_up)
        return ConnectorError(name, message, retryable=True)

    async def fetch(self, name: str, cursor: str | None) -> AsyncGenerator[Page, None]:
        """The pages of source ``name`` after ``cursor``, fetched in the child."""
        await self._start()
        self._next += 1
        req = self._next
        queue: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self._requests[req] = queue
        if self._reader is None or self._reader.done():
            queue.put_nowait(("died",))  # it died between the start and now
        finished = False
        try:
            self._send(("fetch", req, name, cursor))
            while True:
                message = await queue.get()
                kind = message[0]
                if kind == "page":
                    self._send(("ack", req))
                    yield pickle.loads(message[2])
                elif kind == "end":
                    finished = True
                    return
                elif kind == "error":
                    finished = True
                    raise _error(message[2])
                else:
                    finished = True
                    raise await self._death(name)
        finally:
            self._requests.pop(req, None)
            if not finished:
                self._send(("cancel", req))

    async def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(Exception):
                    proc.stdin.close()
            try:
                await asyncio.wait_for(proc.wait(), 5.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        for task in (self._reader, self._stderr, *self._helpers):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        self._reader = self._stderr = None

    async def aclose(self) -> None:
        """Stop the child (it finishes nothing: what was not stored is fetched again)."""
        async with self._lock:
            await self._stop()


# -- the child's side -------------------------------------------------------------------
class _Child:
    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.specs: dict[str, Any] = {}
        self.connectors: dict[str, Any] = {}
        self.primed: set[str] = set()
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.credits: dict[int, asyncio.Semaphore] = {}
        self.known_waiters: dict[str, list[asyncio.Future[Mapping[str, RemoteStatus]]]] = {}

    async def send(self, message: Any, payload: Any = None) -> None:
        self.writer.write(_frame(message, payload))
        await self.writer.drain()

    async def ask_known(self, name: str) -> Mapping[str, RemoteStatus]:
        future: asyncio.Future[Mapping[str, RemoteStatus]]
        future = asyncio.get_running_loop().create_future()
        self.known_waiters.setdefault(name, []).append(future)
        await self.send(("known?", name))
        return await future

    async def connector(self, name: str) -> Any:
        conn = self.connectors.get(name)
        if conn is None:
            from reactieveld.config import SourceConfig
            from reactieveld.connectors.registry import build_connector

            name_, kind, poll, options, line = self.specs[name]
            cfg = SourceConfig(name_, kind, poll, MappingProxyType(options), line)
            conn = self.connectors[name] = build_connector(cfg)
            if hasattr(conn, "known_loader"):
                conn.known_loader = lambda: self.ask_known(name)
        if name not in self.primed:
            # As the engine does in one process (SyncEngine._prepare).
            self.primed.add(name)
            prime = getattr(conn, "prime_known", None)
            if prime is not None and not hasattr(conn, "known_loader"):
                prime(await self.ask_known(name))
        return conn

    async def run_fetch(self, req: int, name: str, cursor: str | None) -> None:
        credits = self.credits[req] = asyncio.Semaphore(WINDOW)
        try:
            conn = await self.connector(name)
            async for page in read_pages(conn, cursor):
                await credits.acquire()
                await self.send(("page", req), page)
            await self.send(("end", req))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure goes back as a message
            await self.send(("error", req, _error_payload(name, exc)))
        finally:
            self.credits.pop(req, None)
            self.tasks.pop(req, None)

    def handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "init":
            self.specs = {spec[0]: spec for spec in message[1]}
        elif kind == "fetch":
            _, req, name, cursor = message
            self.tasks[req] = asyncio.create_task(self.run_fetch(req, name, cursor))
        elif kind == "ack":
            credits = self.credits.get(message[1])
            if credits is not None:
                credits.release()
        elif kind == "cancel":
            task = self.tasks.get(message[1])
            if task is not None:
                task.cancel()
        elif kind == "known":
            for future in self.known_waiters.pop(message[1], []):
                if not future.done():
                    future.set_result(message[2])

    async def close(self) -> None:
        for task in list(self.tasks.values()):
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        for conn in self.connectors.values():
            with contextlib.suppress(Exception):
                await conn.aclose()


async def _child_main() -> None:
    loop = asyncio.get_running_loop()
    # The frames go to a copy of fd 1; fd 1 itself now points at stderr.
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(0, "rb", buffering=0)
    )
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, out)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    child = _Child(writer)
    try:
        while True:
            try:
                message, _ = await _read(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                return  # the parent closed the pipe or died
            child.handle(message)
    finally:
        await child.close()


def main() -> None:
    """Entry point of the child (started by :class:`FetchProcess`; also ``python -m``)."""
    # Ctrl-C in a terminal reaches the whole process group; the parent decides when the
    # child stops (by closing its stdin), so that a stop is never reported as a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if NICENESS and hasattr(os, "nice"):
        # Background work: the writer (and in the app, the keys) come first. The child
        # needs well under one CPU to stay ahead of the writer, so it still keeps up.
        os.nice(NICENESS)
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        asyncio.run(_child_main())


if __name__ == "__main__":
    main()
