"""Run one fake portal with a little Dutch demo data, for a manual demo.

    python tests/fakes discourse [--port 8081]
    python tests/fakes decidim   [--port 8082]
    python tests/fakes govocal   [--port 8083]

Binds 127.0.0.1 only. Prints the config block (and the environment variables) to use;
Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fakes import (  # noqa: E402
    decidim_source,
    discourse_source,
    govocal_source,
    seed_decidim,
    seed_discourse,
    seed_govocal,
)
from fakes.decidim import FakeDecidim  # noqa: E402
from fakes.discourse import FakeDiscourse  # noqa: E402
from fakes.govocal import FakeGoVocal  # noqa: E402


def _hint(block: tuple[str, dict[str, str]]) -> str:
    """The config block to use, then the line that exports its secrets."""
    toml, env = block
    return toml.strip() + "\n\nexport " + " ".join(f"{k}={v}" for k, v in env.items())


def _discourse(port: int) -> tuple[object, str]:
    fake = FakeDiscourse()
    fake.flag_post(seed_discourse(fake)["first"]["id"])
    fake.start(port)
    return fake, _hint(discourse_source(fake))


def _decidim(port: int) -> tuple[object, str]:
    fake = FakeDecidim()
    seed_decidim(fake)
    fake.start(port)
    return fake, _hint(decidim_source(fake))


def _govocal(port: int) -> tuple[object, str]:
    fake = FakeGoVocal()
    seed_govocal(fake)
    fake.start(port)
    return fake, _hint(govocal_source(fake))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python tests/fakes")
    parser.add_argument("kind", choices=("discourse", "decidim", "govocal"))
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    fake, hint = {"discourse": _discourse, "decidim": _decidim, "govocal": _govocal}[args.kind](
        args.port
    )
    print(hint, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
