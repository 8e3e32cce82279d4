"""Crash suite: SIGKILL ``reactieveld sync --once`` at random points, 20 times during a
full sync and 20 times during write-back, and count what was lost, duplicated or applied
twice (definitions: tests/crashcases.py). Loopback only (the WordPress-shaped fake).

    python tools/crash_suite.py [--runs 20] [--seed 0]

Prints one line per run and a table; exits 1 when any count is not zero.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from crashcases import Outcome, sync_case, writeback_case  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="runs of each kind (default 20)")
    ap.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    a = ap.parse_args()
    # A killed client leaves the fake's thread a broken pipe: expected, not news.
    http.server.ThreadingHTTPServer.handle_error = lambda *args: None  # type: ignore[method-assign]
    results: dict[str, list[Outcome]] = {"sync": [], "write-back": []}
    t0 = time.perf_counter()
    for kind, case in (("sync", sync_case), ("write-back", writeback_case)):
        for seed in range(a.seed, a.seed + a.runs):
            with tempfile.TemporaryDirectory() as tmp:
                out = case(seed, Path(tmp))
            results[kind].append(out)
            print(
                f"{kind:10} seed {seed:3}  killed at {out.point:22} lost {out.lost}  "
                f"duplicated {out.duplicated}  applied twice {out.applied_twice}",
                flush=True,
            )
    print()
    print("| killed during | runs | lost | duplicated | applied twice |")
    print("|---|---|---|---|---|")
    for kind, outs in results.items():
        print(
            f"| {kind} | {len(outs)} | {sum(o.lost for o in outs)} | "
            f"{sum(o.duplicated for o in outs)} | {sum(o.applied_twice for o in outs)} |"
        )
    print(f"\n{sum(len(v) for v in results.values())} runs in {time.perf_counter() - t0:.0f} s")
    return 0 if all(o.clean for outs in results.values() for o in outs) else 1


if __name__ == "__main__":
    sys.exit(main())
