"""TUI benchmark (issue 4): first frame, key-to-frame latency and peak RSS of the triage
app on demo stores of 10k, 100k and 1M responses, against a bare Textual app.

    python bench/tui_bench.py [--sizes 10000,100000,1000000] [--dir DIR] [--keys 200]

* First frame: wall time from starting a Python process to the first composed frame
  (headless, 120x40) that shows queue rows; the bare app (one ``Static``) is measured in
  the same run the same way. Median of 3 runs each.
* Key to frame: the key event is posted to the app and the time taken until the next
  frame that shows its effect is composed (``pilot.press`` waits for idle and would
  measure something else). ``j`` moves the cursor; ``a`` approves (a real store write)
  and advances. p50 and p99.
* Peak RSS (ru_maxrss) of the first-frame processes (median of the runs: the first open
  of a store a newer program must migrate is slower and bigger, and is not the app).

Stores are generated once with the demo connector and kept in ``--dir``.
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
    return path


# -- child processes: first frame ----------------------------------------------------------
def child(kind: str, db: str) -> None:
    """Run one app headless until its first queue frame; print timing and RSS as JSON."""
    from textual.app import App
    from textual.widgets import Static

    reported = False

    def report(app: App) -> None:
        nonlocal reported
        if reported:
            return
        reported = True
        at = time.time()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"frame_at": at, "rss_kb": rss}), flush=True)
        app.exit()

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


def first_frame(kind: str, db: Path | None) -> tuple[float, int]:
    start = time.time()
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", kind, str(db or "")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "REACTIEVELD_CONFIG": os.devnull},
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("{"))
    data = json.loads(line)
    return data["frame_at"] - start, data["rss_kb"]


# -- in process: key to frame --------------------------------------------------------------
async def key_latency(db: Path, keys: int) -> dict[str, tuple[float, float]]:
    from textual import events
    from textual.worker import WorkerState

    from reactieveld.tui.app import ReactieveldApp

    app = ReactieveldApp(None, db_path=db, language="nl", actor="bench")
    frame = asyncio.Event()
    condition = [lambda: False]
    original = app._display

    def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(screen, renderable)
        if renderable is not None and condition[0]():
            frame.set()

    app._display = display  # type: ignore[method-assign]
    results: dict[str, list[float]] = {"j": [], "a": []}

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(50):
            await pilot.pause()
            busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
            if not busy:
                return
            await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)

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
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]

    bare = [first_frame("bare", None) for _ in range(args.runs)]
    bare_t = statistics.median(t for t, _ in bare)
    bare_rss = statistics.median(r for _, r in bare)
    print(f"bare Textual app: first frame {bare_t * 1000:.0f} ms, RSS {bare_rss / 1024:.0f} MB")
    for count in sizes:
        print(f"{count:,} responses:", flush=True)
        db = ensure_store(folder, count)
        runs = [first_frame("app", db) for _ in range(args.runs)]
        t = statistics.median(x for x, _ in runs)
        rss = statistics.median(r for _, r in runs)
        print(
            f"  first frame {t * 1000:.0f} ms ({t / bare_t:.2f}x bare), "
            f"peak RSS {rss / 1024:.0f} MB ({rss / bare_rss:.2f}x bare; median of runs)",
            flush=True,
        )
        # Key latency writes (approvals): on a copy, so the stored store stays as generated.
        scratch = folder / "scratch.db"
        for suffix in ("-wal", "-shm"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)
        shutil.copyfile(db, scratch)
        lat = asyncio.run(key_latency(scratch, args.keys))
        for key, (p50, p99) in lat.items():
            print(f"  key {key}: p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
        scratch.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
