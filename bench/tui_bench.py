"""TUI benchmark (issue 4): first frame, key-to-frame latency and peak RSS of the triage
app on demo stores of 10k, 100k and 1M responses, against a bare Textual app.

    python bench/tui_bench.py [--sizes 10000,100000,1000000] [--dir DIR] [--keys 200]

* First frame: wall time from starting a Python process to the first composed frame
  (headless, 120x40) that shows queue rows; the bare app (one ``Static``) is measured in
  the same run the same way. Median of ``--runs`` runs each, after one warm-up run of
  each (not counted). Both import from compiled bytecode, as an installed package does
  (pip compiles on install): the child processes get a bytecode cache in ``--dir``
  (``PYTHONPYCACHEPREFIX``), whatever ``PYTHONDONTWRITEBYTECODE`` says.
  ``--cold-bytecode`` measures without it (every project module compiled at start).
* Peak RSS (VmHWM; ru_maxrss where there is no /proc) of the same processes, taken
  twice: at the first frame, and once the app has settled (the counts, the queue's count
  and the response's details loaded: no worker running, then 0.3 s more). The settled
  figure is the peak; median of runs.
* Key to frame: the key event is posted to the app and the time taken until the next
  frame that shows its effect is composed (``pilot.press`` waits for idle and would
  measure something else). ``j`` moves the cursor; ``a`` approves (a real store write)
  and advances. p50 and p99. Before each key the app settles (its workers done) and
  one frame period (1/60 s) passes after the last frame, as when a person reads each
  response: a key within a frame period of the previous frame waits for Textual's
  frame clock (up to 16.7 ms) whatever the app does, and that is not what is measured.

Stores are generated once with the demo connector and kept in ``--dir``; each is opened
once with this program before measuring (a one-time migration is not a first frame).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
SIZE = (120, 40)
WARMUP = 5
#: Textual composes at most 60 frames a second.
FRAME_PERIOD = 1 / 60
#: After the app's workers are done, how long to wait for a late allocation to show.
SETTLE_EXTRA = 0.3


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


# -- child processes: first frame ----------------------------------------------------------
def child(kind: str, db: str) -> None:
    """Run one app headless until its first queue frame, then until it settles; print
    the time of that frame and the RSS at both points as JSON."""
    from textual.app import App
    from textual.widgets import Static
    from textual.worker import WorkerState

    result: dict[str, float] = {}

    def rss_kb() -> int:
        # Peak RSS of this program. Not ru_maxrss on Linux: it keeps the peak of the
        # process before exec, i.e. of the benchmark's own (grown) process it forked from.
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def settled(app: App) -> None:
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if busy:
            app.set_timer(0.02, lambda: settled(app))
        elif "rss_settled_kb" not in result:
            result["rss_settled_kb"] = 0  # once more after SETTLE_EXTRA
            app.set_timer(SETTLE_EXTRA, lambda: settled(app))
        else:
            result["rss_settled_kb"] = rss_kb()
            print(json.dumps(result), flush=True)
            app.exit()

    def report(app: App) -> None:
        if "frame_at" in result:
            return
        result["frame_at"] = time.time()
        result["rss_kb"] = rss_kb()
        app.call_later(settled, app)

    if kind == "bare":

        class Bare(App):
            def compose(self):
                yield Static("reactieveld")

        app: App = Bare()

        def ready(_screen) -> bool:
            return True

    else:
        from reactieveld.tui.app import ReactieveldApp
        from reactieveld.tui.screens.triage import TriageScreen

        app = ReactieveldApp(None, db_path=Path(db), language="nl", actor="bench")

        def ready(screen) -> bool:
            return isinstance(screen, TriageScreen) and bool(screen.queue.rows)

    original = app._display

    def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(screen, renderable)
        if renderable is not None and ready(screen):
            report(app)

    app._display = display  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)


def first_frame(kind: str, db: Path | None, bytecode: Path | None) -> tuple[float, int, int]:
    """(seconds to the first frame, RSS at it, peak RSS once settled) of one process."""
    env = {**os.environ, "REACTIEVELD_CONFIG": os.devnull}
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    start = time.time()
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", kind, str(db or "")],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    data = json.loads(line)
    return data["frame_at"] - start, data["rss_kb"], data["rss_settled_kb"]


def first_frames(
    kind: str, db: Path | None, runs: int, bytecode: Path | None
) -> tuple[float, float, float]:
    """Medians over ``runs`` (after one warm-up run) of :func:`first_frame`."""
    first_frame(kind, db, bytecode)
    got = [first_frame(kind, db, bytecode) for _ in range(runs)]
    return tuple(statistics.median(x[i] for x in got) for i in range(3))  # type: ignore[return-value]


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


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "reactieveld-bench"))
    parser.add_argument("--keys", type=int, default=200, help="j presses (a: half)")
    parser.add_argument("--runs", type=int, default=5)
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
    bytecode = None if args.cold_bytecode else folder / "pycache"

    bare_t, bare_rss, bare_peak = first_frames("bare", None, args.runs, bytecode)
    print(
        f"bare Textual app: first frame {bare_t * 1000:.0f} ms, "
        f"RSS {bare_rss / 1024:.0f} MB (settled {bare_peak / 1024:.0f} MB)"
    )
    for count in sizes:
        print(f"{count:,} responses:", flush=True)
        db = ensure_store(folder, count)
        t, rss, peak = first_frames("app", db, args.runs, bytecode)
        print(
            f"  first frame {t * 1000:.0f} ms ({t / bare_t:.2f}x bare); RSS at it "
            f"{rss / 1024:.0f} MB, peak once settled {peak / 1024:.0f} MB "
            f"({peak / bare_peak:.2f}x bare); medians of {args.runs} runs",
            flush=True,
        )
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
