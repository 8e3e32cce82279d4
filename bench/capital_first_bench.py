"""What ``i18n.capital_first`` costs a notice: the indexed rule (a message tried only
against the shapes that can start with its first word) against the old one (every shape
of the table, kept as the oracle in tests/test_i18n.py), on the same messages, in the
same run, as a ratio.

    python bench/capital_first_bench.py [--reps 5]

The notices are every text of the table (both languages) with each field filled with a
word of the table, kept when their first word is the table's (the others return before
any shape is tried, in both rules): once with short fields, once with 300-character
ones (an error's text). Each rule runs over all of them ``--reps`` times, alternating;
the medians per call are compared (both rules' caches are built by the first check).
"""

from __future__ import annotations

import argparse
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_i18n import capital_first_before  # noqa: E402

from reactieveld import i18n  # noqa: E402


def messages(tail: str = "") -> list[str]:
    """Every text of the table filled with table words (each followed by ``tail``) whose
    first word is one of the table's: the notices the shapes are tried for."""
    words = sorted(i18n._first_words())
    out = []
    for i, value in enumerate(sorted({v for pair in i18n.STRINGS.values() for v in pair})):
        names = {n for _, n, _, _ in string.Formatter().parse(value) if n is not None}
        fill = {n: words[(i + j) % len(words)] + tail for j, n in enumerate(names)}
        made = value.format_map(fill)
        first = i18n._FIRST_WORD.match(made)
        if made[:1].islower() and first and first.group(0).lower() in words:
            out.append(made)
    return out


def per_call(rule: Callable[[str], str], said: list[str]) -> float:
    """Microseconds one call took, over every message once."""
    start = time.perf_counter()
    for message in said:
        rule(message)
    return 1e6 * (time.perf_counter() - start) / len(said)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    long = " " + "de server antwoordde niet op tijd; probeer het later opnieuw. " * 5
    for name, said in (("table words", messages()), ("300-char fields", messages(long))):
        assert [i18n.capital_first(m) for m in said] == [capital_first_before(m) for m in said]
        old: list[float] = []
        new: list[float] = []
        for _ in range(args.reps):
            old.append(per_call(capital_first_before, said))
            new.append(per_call(i18n.capital_first, said))
        before, after = statistics.median(old), statistics.median(new)
        print(f"{len(said):,} notices, fields filled with {name}, median of {args.reps}:")
        print(f"  every shape (before) {before:8.1f} µs/call")
        print(f"  by first word (now)  {after:8.1f} µs/call   before/now {before / after:.1f}x")


if __name__ == "__main__":
    main()
