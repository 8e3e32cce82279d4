"""The console script's entry point (``reactieveld = "reactieveld.entry:main"``).

Loading ``reactieveld.cli`` and what it imports makes tens of thousands of objects that live
as long as the process (modules, classes, functions, Textual's styles); the garbage
collector walking them again and again while they are made is ~4% of the instructions
before the app's first frame, and finds nothing to free. So the collector is off while the
command line's modules load and on again before any command runs (``cli.main`` turns it
off once more around the app itself); what they made is frozen first (``gc.freeze``), so
that the collector's first run does not walk it all. This module imports nothing else, so
that the collector is off before the first of them.
"""

from __future__ import annotations

import gc


def main() -> int:
    """Load the command line with the collector off, then run it as ``cli.main``."""
    gc.disable()
    try:
        from reactieveld.cli import main as cli_main
    finally:
        # What loading made (~28,000 objects) is frozen before the collector is on again:
        # else its first collection, at the next allocation, walks them all for nothing
        # (~7 ms before the app's first frame, more than the collector saved meanwhile).
        gc.freeze()
        gc.enable()
    return cli_main()
