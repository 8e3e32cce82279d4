"""``python -m reactieveld``: the same as the ``reactieveld`` console script."""

from __future__ import annotations

import sys

from reactieveld.entry import main

if __name__ == "__main__":
    sys.exit(main())
