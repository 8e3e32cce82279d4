"""Values made only when something is wrong: a round's failure (:mod:`reactieveld.failures`)
and a ``[keys]`` table's problem (:mod:`reactieveld.keys`).

They are apart from the modules that make them because those are imported at every start
and these are made only on a failure, and a frozen dataclass costs ~3 M instructions to
create at import, before the app's first frame (tests/test_first_frame_imports.py).
``failures`` and ``keys`` still name them (lazily), as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Failure:
    """What went wrong in one round, fit to show and store."""

    message: str
    retryable: bool = True
    retry_after: float | None = None
    expected: bool = True  # a platform/network error, not a surprise


@dataclass(frozen=True)
class KeyProblem:
    """What is wrong with a ``[keys]`` table: the entry to blame and why."""

    action: str  # the [keys] entry (or the action) the message is about
    said: Any  # an i18n.Said: in the reader's language (not imported here, see above)

    @property
    def message(self) -> str:
        """The problem in English (the words scripts match)."""
        return str(self.said)
