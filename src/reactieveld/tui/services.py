"""What screens use of the app: a protocol, so that a screen types against this surface
instead of importing :class:`reactieveld.tui.app.ReactieveldApp` (which imports the
screens: that import was a circle).

``ReactieveldApp`` offers all of it (``tui/app.py`` has a mypy check that it does);
a screen reaches it as ``self.app`` (Textual types that as ``App``, hence one
``# type: ignore[assignment]`` where a screen narrows it to :class:`AppServices`).
Notifications and screen changes (``notify``, ``push_screen``) are Textual's own ``App``
methods, used through ``self.app`` as Textual types it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from reactieveld.codebook import Codebook
    from reactieveld.drafts import DraftKey, KeptDrafts
    from reactieveld.i18n import I18n
    from reactieveld.model import Capability, Response
    from reactieveld.reasons import ReasonsConfig
    from reactieveld.rules import RuleSet
    from reactieveld.tui.claims import ClaimKeeper
    from reactieveld.tui.widgets.status_line import SourceStatus


class AppServices(Protocol):
    """The app as screens see it (see the module's docstring)."""

    #: The store for the keys (a ``SqliteStore``), and the one for background reads.
    store: Any
    reader: Any
    i18n: I18n
    codebook: Codebook
    tz: tzinfo | None
    #: Now, for the times on screen (tui/times.py).
    clock: Callable[[], datetime]
    #: Who decides (stored with every action).
    actor: str
    #: Unsent replies and notes, by their DraftKey (kind, response id): a KeptDrafts
    #: (reactieveld.drafts), written to the drafts file at every change.
    drafts: KeptDrafts
    #: The last store-wide counts, shown again at once when a filter is cleared.
    last_counts: Any | None
    #: The last search (query, hit under the cursor): ``/`` opens it again.
    last_search: tuple[str, int] | None
    #: Where sources would be configured, shown while there are none.
    config_hint: str | None
    #: The claim on the open response (None: nothing is claimed, e.g. read-only).
    claims: ClaimKeeper | None
    #: ``[reasons]``: which decisions ask for a reason, and the list (issue 16).
    reasons: ReasonsConfig
    #: ``[[rules]]``: the moderation rules, for the Flagged tab and the view's highlight.
    rules: RuleSet
    #: ``[coding] double_share`` (issue 14): above 0, the Second coding queue is a tab.
    double_share: float
    #: That queue's count at the last counts (None: not counted).
    second_count: int | None
    #: The Disagreements queue's count at the last counts (None: not counted).
    disagree_count: int | None
    #: Set once the first frame with rows is on screen (what can wait waits for it).
    rows_shown: asyncio.Event

    async def open_reader(self) -> Any:
        """The background reads' store once it is open (:attr:`reader`)."""
        ...

    def draft_to_open(self, key: DraftKey) -> None:
        """Before an editor opens on ``key``: another window's draft for it, read off the
        event loop and taken over when it lands (shown in the editor if not typed in)."""
        ...

    def store_failed(self, error: BaseException, what: str = "") -> None:
        """A key's or a dialog's error of the store, said as the app says them (the team's
        memory away in the header and one notice; another as its line)."""
        ...

    def shows_reported(self) -> bool: ...

    def shows_flagged(self) -> bool: ...

    @property
    def read_only(self) -> bool: ...

    def read_only_reason(self) -> str | None: ...

    def unsupported(
        self, source: str, capability: Capability, response: Response | None = None
    ) -> str | None: ...

    def source_names(self) -> list[str]: ...

    def source_status(self) -> list[SourceStatus]: ...

    def request_counts(self) -> None: ...

    #: A read or write of the screen's met the team's memory away (StoreUnreachable):
    #: the header says so, the writing keys grey out, the app reads again when it is back.
    def memory_away(self, *, said: bool = False, check: bool = True) -> None: ...

    def first_rows_shown(self) -> None: ...

    def after_action(self) -> None: ...

    def app_keys(self) -> list[tuple[str, str, str]]: ...

    async def open_search(self) -> None: ...

    async def show_response(self, response_id: int) -> bool: ...
