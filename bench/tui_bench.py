"""TUI benchmark (issues 4 and 11): the first frame with rows, key-to-frame latency and
peak RSS of the triage app on demo stores, against a bare Textual app.

    python bench/tui_bench.py [--sizes 10000,200000,1000000] [--dir DIR] [--rounds 9]
                              [--keys 200] [--frame-only]

* First frame: wall time from starting a process (fork and exec, in a pseudo-terminal of
  120x40) to the first frame that shows the first rows of the queue: the output the
  terminal receives is read as it comes, its escape sequences stripped, and the frame
  counts once the text of the queue's first two rows (time, source, author, as the queue
  draws them; read from the store beforehand) is in it. Nothing in the app is changed or
  hooked for it: ``reactieveld --db STORE`` is started as a moderator starts it (the
  console script, with an empty configuration file: no sources). The baseline is
  ``bench/bare_app.py`` (Textual with one ``Static``), started the same way (same Python,
  same pseudo-terminal, same environment) until its text is on screen. Rounds are
  interleaved (bare, app; the next round app, bare), after one warm-up of each that is
  not counted; the figure is the median of the per-round ratios, with the medians of
  both times. Both import from compiled bytecode, as an installed package does (pip
  compiles on install): the processes get a bytecode cache in ``--dir``
  (``PYTHONPYCACHEPREFIX``), whatever ``PYTHONDONTWRITEBYTECODE`` says.
  ``--cold-bytecode`` measures without it (every module compiled at start).
* Peak RSS (VmHWM from /proc) of the same processes, read from outside twice: at the
  first frame, and once the app has settled (no output for 0.5 s: the counts, the
  response's details drawn). The settled figure is the peak; medians of the rounds.
* Key to frame (in process): the key event is posted to the app and the time taken until
  the next frame that shows its effect is composed (``pilot.press`` waits for idle and
  would measure something else). ``j`` moves the cursor; ``a`` approves (a real store
  write) and advances. p50 and p99. Before each key the app settles (its workers done)
  and one frame period (1/60 s) passes after the last frame, as when a person reads each
  response: a key within a frame period of the previous frame waits for Textual's frame
  clock (up to 16.7 ms) whatever the app does, and that is not what is measured.

Stores are generated once with the demo connector and kept in ``--dir``; each is opened
once with this program before measuring (a one-time migration is not a first frame).
The machine may be shared: the load average before and after is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve()
SIZE = (120, 40)
WARMUP = 5
#: Textual composes at most 60 frames a second.
FRAME_PERIOD = 1 / 60


# -- stores --------------------------------------------------------------------------------
async def _make_store(path: Path, count: int) -> None:
    from reactieveld.config import SourceConfig
    from reactieveld.store.sqlite import SqliteStore
    from reactieveld.sync import SyncEngine, build_connector

    store = await SqliteStore.open(path)
    try:
        cfg = SourceConfig("demo", "demo", 0.0, {"count": count, "seed": 1})
        engine = SyncEngine(store, [(cfg, build_connector(cfg))])
        await engine.sync_all()
        await engine.aclose()
    finally:
        await store.close()


async def _migrate(path: Path) -> None:
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(path)
    await store.close()


def ensure_store(folder: Path, count: int) -> Path:
    path = folder / f"demo-{count}.db"
    done = folder / f"demo-{count}.done"
    if not done.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        asyncio.run(_make_store(path, count))
        done.write_text("ok")
        print(f"  generated {count:,} responses in {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    asyncio.run(_migrate(path))
    if time.perf_counter() - t0 > 1:
        print(f"  migrated the store in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


# -- first frame, from outside: a process in a pseudo-terminal -------------------------------
#: Escape sequences (CSI, OSC, DCS/APC/PM/SOS strings, charset and two-byte ones): what is
#: left of a frame without them is the text on screen, line after line.
_ESCAPE = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\"
    rb"|[()*+].|[ -/]*[0-~])"
)
_SPACES = re.compile(rb" +")
#: After the first frame: no output for this long and the app has settled.
QUIET = 0.5
BARE_APP = HERE.parent / "bare_app.py"


def screen_text(raw: bytes) -> bytes:
    """The text a terminal shows of ``raw`` output, escape sequences removed and runs of
    spaces made one (the queue pads its columns)."""
    return _SPACES.sub(b" ", _ESCAPE.sub(b"", raw))


def first_rows_needles(db: Path, rows: int = 2) -> list[bytes]:
    """How the first ``rows`` rows of the queue the app opens on (Nieuw, newest first)
    read on screen: time, source and the start of the author's name, as the queue draws
    them (spaces made one)."""
    from reactieveld.model import utcnow
    from reactieveld.store.sqlite import SqliteStore
    from reactieveld.tui.queues import FilterChoice, queue_filter
    from reactieveld.tui.times import format_time

    async def read() -> list[bytes]:
        store = await SqliteStore.open(db)
        try:
            found = await store.queue(queue_filter("new", FilterChoice()), limit=rows)
        finally:
            await store.close()
        needles = []
        for row in found:
            r = row.response
            # The author column is 16 cells: the first 8 characters are never cut.
            when = format_time(r.created_at, None, utcnow())  # the app's clock: now
            words = [when, r.source, r.author_name[:8].strip()]
            needles.append(screen_text(" ".join(words).encode()))
        return needles

    return asyncio.run(read())


def vm_hwm_kb(pid: int) -> int:
    """Peak RSS of a running process (0 where /proc has no such line)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time a running process has had so far, all its threads (nanoseconds in
    /proc/PID/task/*/schedstat; 0 where there is no such file). On a shared machine this
    is what the process did, whatever the others made it wait."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat", encoding="ascii") as stat:
                total += int(stat.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def first_frame(
    argv: list[str], needles: list[bytes], env: dict[str, str], *, timeout: float = 60
) -> tuple[float, float, int, int]:
    """Start ``argv`` in a pseudo-terminal of :data:`SIZE`; (seconds from the fork to the
    output that completes a frame with every needle in its text, CPU seconds the process
    had by then, peak RSS then, peak RSS once settled). The process is killed after."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal's size, then the program
        try:
            columns, lines = SIZE
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    raw = bytearray()
    frame_at: float | None = None
    cpu = 0.0
    rss = peak = 0
    try:
        deadline = started + timeout
        while frame_at is None:
            if time.perf_counter() > deadline:
                text = screen_text(bytes(raw)).decode(errors="replace")
                raise RuntimeError(f"no frame with {needles!r} in {timeout} s; got: {text}")
            if not select.select([fd], [], [], 0.5)[0]:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # the child closed the terminal (it ended)
                chunk = b""
            if not chunk:
                text = screen_text(bytes(raw)).decode(errors="replace")
                raise RuntimeError(f"{argv[1]} ended before its first frame: {text}")
            raw += chunk
            # All the output so far (a needle or an escape sequence may straddle two
            # reads); a frame is ~30 kB, stripped in well under a millisecond.
            if all(needle in screen_text(bytes(raw)) for needle in needles):
                frame_at = time.perf_counter()
        cpu = cpu_seconds(pid)
        rss = vm_hwm_kb(pid)
        # Settled: no output for QUIET seconds (the app's late work has been drawn).
        end = time.perf_counter() + 10
        while time.perf_counter() < end and select.select([fd], [], [], QUIET)[0]:
            try:
                if not os.read(fd, 1 << 16):
                    break
            except OSError:
                break
        peak = vm_hwm_kb(pid)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return frame_at - started, cpu, rss, peak


def child_env(folder: Path, bytecode: Path | None) -> dict[str, str]:
    """The environment of both processes: an empty configuration (no sources, whatever
    the user's configuration), a colour terminal, the bytecode cache."""
    config = folder / "empty-config.toml"
    config.write_text("# tui_bench: no sources\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "REACTIEVELD"))}
    env.update(REACTIEVELD_CONFIG=str(config), TERM="xterm-256color", COLORTERM="truecolor")
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return env


def app_argv(db: Path) -> list[str]:
    """``reactieveld --db STORE`` as a moderator starts it: the console script beside this
    Python, run by this Python (as the bare app is), else the module's entry point."""
    script = Path(sys.executable).parent / "reactieveld"
    if script.is_file():
        return [sys.executable, str(script), "--db", str(db)]
    entry = "import sys; from reactieveld.cli import main; sys.exit(main())"
    return [sys.executable, "-c", entry, "--db", str(db)]


def first_frames(db: Path, rounds: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Interleaved rounds of the bare app and the app on ``db``, after one warm-up of
    each: every round's times, RSS at the first frame and settled peaks, and ratio."""
    from bare_app import TEXT  # type: ignore[import-not-found]

    bare = ([sys.executable, str(BARE_APP)], [screen_text(TEXT.encode())])
    app = (app_argv(db), first_rows_needles(db))
    first_frame(*bare, env)
    first_frame(*app, env)
    got: dict[str, list[float]] = {}
    for i in range(rounds):
        order = (("bare", bare), ("app", app)) if i % 2 == 0 else (("app", app), ("bare", bare))
        for name, (argv, needles) in order:
            t, cpu, rss, peak = first_frame(argv, needles, env)
            for key, value in (
                (name, t),
                (f"{name}_cpu", cpu),
                (f"{name}_rss", rss),
                (f"{name}_peak", peak),
            ):
                got.setdefault(key, []).append(value)
        got.setdefault("ratio", []).append(got["app"][-1] / got["bare"][-1])
        if got["bare_cpu"][-1] > 0:
            got.setdefault("cpu_ratio", []).append(got["app_cpu"][-1] / got["bare_cpu"][-1])
    return got


# -- in process: key to frame --------------------------------------------------------------
async def key_latency(
    db: Path, keys: int, *, frame_gap: bool = True
) -> dict[str, tuple[float, float]]:
    from textual import events
    from textual.worker import WorkerState

    from reactieveld.tui.app import ReactieveldApp

    app = ReactieveldApp(None, db_path=db, language="nl", actor="bench")
    frame = asyncio.Event()
    condition = [lambda: False]
    original = app._display
    last_frame = [0.0]

    def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(screen, renderable)
        if renderable is not None:
            last_frame[0] = time.perf_counter()
            if condition[0]():
                frame.set()

    app._display = display  # type: ignore[method-assign]
    results: dict[str, list[float]] = {"j": [], "a": []}

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(50):
            await pilot.pause()
            busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
            if not busy:
                break
            await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)
        # One frame period after the last frame: the next frame is not held by the clock.
        while frame_gap and (wait := last_frame[0] + FRAME_PERIOD * 1.2 - time.perf_counter()) > 0:
            await asyncio.sleep(wait)

    async with app.run_test(size=SIZE, headless=True) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.queue.loaded.wait()
        await settle(pilot)
        queue = screen.queue
        for key, n in (("j", keys), ("a", max(keys // 2, 10))):
            for i in range(n + WARMUP):
                before_cursor = queue.cursor
                before_id = queue.current.response.id if queue.current else None
                if key == "j":
                    condition[0] = lambda b=before_cursor: queue.cursor != b
                else:
                    condition[0] = lambda b=before_id: (
                        queue.current is not None and queue.current.response.id != b
                    )
                frame.clear()
                t0 = time.perf_counter()
                app.post_message(events.Key(key, key))
                await asyncio.wait_for(frame.wait(), timeout=10)
                if i >= WARMUP:  # the first uses of a code path import and fill caches
                    results[key].append((time.perf_counter() - t0) * 1000)
                condition[0] = lambda: False
                await settle(pilot)
    return {k: (percentile(v, 50), percentile(v, 99)) for k, v in results.items()}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def load_average() -> str:
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,200000,1000000")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "reactieveld-bench"))
    parser.add_argument("--keys", type=int, default=200, help="j presses (a: half)")
    parser.add_argument(
        "--rounds", type=int, default=9, help="interleaved first-frame rounds per size"
    )
    parser.add_argument(
        "--frame-only", action="store_true", help="the first frame and RSS only, no keys"
    )
    parser.add_argument(
        "--cold-bytecode",
        action="store_true",
        help="no bytecode cache for the first-frame processes (compile at every start)",
    )
    parser.add_argument(
        "--no-frame-gap",
        action="store_true",
        help="send each key as soon as the app has settled, even within a frame period of "
        "the last frame (then the frame clock's wait, up to 16.7 ms, is in the figures)",
    )
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    env = child_env(folder, None if args.cold_bytecode else folder / "pycache")
    print(f"{os.cpu_count()} CPUs, {load_average()}; pseudo-terminal {SIZE[0]}x{SIZE[1]}")
    for count in sizes:
        print(f"{count:,} responses:", flush=True)
        db = ensure_store(folder, count)
        got = first_frames(db, args.rounds, env)
        med = {key: statistics.median(values) for key, values in got.items()}
        print(
            f"  first frame with rows {med['app'] * 1000:.0f} ms, bare app "
            f"{med['bare'] * 1000:.0f} ms: {med['ratio']:.2f}x bare (median of {args.rounds} "
            f"interleaved rounds; rounds {min(got['ratio']):.2f}-{max(got['ratio']):.2f}x)",
            flush=True,
        )
        if "cpu_ratio" in got:
            print(
                f"  CPU time to it {med['app_cpu'] * 1000:.0f} ms, bare "
                f"{med['bare_cpu'] * 1000:.0f} ms: {med['cpu_ratio']:.2f}x bare (rounds "
                f"{min(got['cpu_ratio']):.2f}-{max(got['cpu_ratio']):.2f}x; the same work "
                "whatever else the machine runs)",
                flush=True,
            )
        print(
            f"  RSS at it {med['app_rss'] / 1024:.0f} MB (bare {med['bare_rss'] / 1024:.0f} "
            f"MB), peak once settled {med['app_peak'] / 1024:.0f} MB "
            f"({med['app_peak'] / med['bare_peak']:.2f}x bare, {med['bare_peak'] / 1024:.0f} "
            f"MB); {load_average()}",
            flush=True,
        )
        if args.frame_only:
            continue
        # Key latency writes (approvals): on a copy, so the stored store stays as generated.
        scratch = folder / "scratch.db"
        for suffix in ("-wal", "-shm"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)
        shutil.copyfile(db, scratch)
        lat = asyncio.run(key_latency(scratch, args.keys, frame_gap=not args.no_frame_gap))
        for key, (p50, p99) in lat.items():
            print(f"  key {key}: p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
        scratch.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
