"""The search screen (``/`` from anywhere): full-text search of the memory.

One input takes words and filters (``parkeren bron:blog vraag:1 rol:burger status:hold
sinds:2026-03-01 tot:2026-03-31``, see :mod:`reactieveld.read.search`); hits are
ranked, with the matching words highlighted. ``enter`` on a hit jumps to it in the queue
(the app's ``show_response``), ``h`` lists the author's other responses with their tags
(:class:`AuthorHistoryScreen`, also opened by ``h`` on the triage screen), ``escape`` goes
back to where you were.

Every piece of untrusted text (body, author, title) is cleaned by ``reactieveld.text`` and drawn
as ``rich.text.Text``: it never reaches a markup parser; highlights are spans, not markup.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, tzinfo
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n, number
from reactieveld.model import TagKind
from reactieveld.read.search import (
    SearchResult,
    allowed_in,
    count_all,
    describe_problem,
    filter_summary,
    search,
    snippet,
)
from reactieveld.rules import pieces
from reactieveld.store.base import QueueFilter, QueueRow
from reactieveld.text import one_line, unjoined
from reactieveld.tui.messages import SaysWorkerErrors
from reactieveld.tui.screens.base import FromApp
from reactieveld.tui.screens.help import HIT_KEYS, ScreenHelp, add_help_key, describe_keys
from reactieveld.tui.times import format_time
from reactieveld.tui.widgets.cursor import CursorOptionList
from reactieveld.tui.widgets.fields import OrderedInput
from reactieveld.tui.widgets.footer import KeyFooter

LIMIT = 100
#: An author's other responses listed (``h``): the newest this many.
HISTORY_LIMIT = 200
#: A list of hits' enter, in the footer: it opens the hit in the queue.
OPEN_HIT = {"list.select": "thread.open"}


class _FromApp(SaysWorkerErrors, FromApp):
    """FromApp with this module's strings; the searches' errors said as the app's."""

    def s(self, key: str, **values: Any) -> str:
        """This screen's string ``search.<key>`` in the interface language."""
        return self.i18n.t(f"search.{key}", **values)

    def _number(self, n: int) -> str:
        return number(n, self.language)

    def prompt(self, row: QueueRow, words: str = "") -> Text:
        """A response as three literal lines (see :func:`hit_prompt`)."""
        return hit_prompt(
            row, words, codebook=self.codebook, i18n=self.i18n, tz=self.tz, now=self.clock()
        )

    async def open_response(self, response_id: int) -> None:
        """Jump the queue to the response (see :func:`open_in_queue`)."""
        await open_in_queue(self, response_id, self.i18n)


async def open_in_queue(screen: Any, response_id: int, i18n: I18n) -> None:
    """Jump the queue to the response (the app's ``show_response``, which closes the
    screens above the queue); without a queue (a bare host) just close ``screen``."""
    show = getattr(screen.app, "show_response", None)
    if show is None:
        screen.dismiss()
        return
    if not await show(response_id):
        screen.app.notify(i18n.t("search.not_found"), markup=False)


def hit_prompt(
    row: QueueRow,
    words: str,
    *,
    codebook: Codebook,
    i18n: I18n,
    tz: tzinfo | None,
    now: datetime,
) -> Text:
    """A response as three literal lines: who/when/where/tags, the thread, a snippet with
    the matching ``words`` highlighted (spans, never markup); the time as the queue shows
    it at ``now``."""
    r = row.response
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(format_time(r.created_at, tz, now), "dim")
    head.append(f"  {one_line(r.source, limit=30)}  ", "cyan")
    head.append(one_line(r.author_name, limit=60) or "?", "bold")
    if row.role:
        role = codebook.label(TagKind.ROLE, row.role, i18n.language)
        head.append(f"  ({one_line(role, limit=40)})", "cyan")
    if row.questions:
        head.append("  " + " ".join(f"#{q}" for q in row.questions), "magenta")
    head.append(f"  {i18n.status(r.remote_status)}", "dim")
    title = Text(
        "   " + (one_line(row.thread_title, limit=200) or i18n.t("thread.untitled")),
        style="italic",
        no_wrap=True,
        overflow="ellipsis",
    )
    # The spans found where the index found the words (a ZWJ parts them), drawn without
    # the joiners and skin tones (text.unjoined) piece by piece.
    body, spans = snippet(one_line(r.body_text, limit=2000, joins=True), words, width=220)
    text = Text("   ", no_wrap=True, overflow="ellipsis")
    for piece, matched in pieces(body, spans):
        text.append(unjoined(piece), "bold reverse" if matched else "")
    return Text("\n").join([head, title, text])


class SearchBox(OrderedInput):
    """The search box: its keys in the order typed with the words (:class:`OrderedInput`)."""


class SearchScreen(ScreenHelp, _FromApp, Screen[None]):
    """Search with inline filters; open a hit in the queue; an author's history."""

    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen #search-title { height: 1; background: $panel; text-style: bold; }
    SearchScreen #search-input { margin: 0 0; }
    SearchScreen #search-status { height: auto; color: $text-muted; }
    SearchScreen #search-problem { height: auto; color: $warning; padding: 0 1; display: none; }
    SearchScreen #search-results { height: 1fr; }
    SearchScreen #search-results > .option-list--option-highlighted { background: $accent 40%; }
    """

    HELP_WIDGET_KEYS = HIT_KEYS

    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("h", "history", "Author", id="search.history"),
        Binding("slash", "focus_input", "Search box", show=False, id="search.input"),
        Binding("down", "to_results", show=False),
    ]

    def __init__(
        self,
        store: Any | None = None,
        *,
        codebook: Codebook | None = None,
        i18n: I18n | None = None,
        language: str | None = None,
        tz: tzinfo | None = None,
        base: QueueFilter | None = None,
        query: str = "",
        highlight: int | None = None,
    ) -> None:
        """``query`` and ``highlight``: the search to show at once, and the hit to put the
        cursor on when its hits are in (the last search, when ``/`` opens it again)."""
        super().__init__()
        self.given(store, codebook, i18n, tz, language)
        self.base = base or QueueFilter()
        self.initial_query = query
        self._restore = highlight
        self.query_text = ""
        self.rows: list[QueueRow] = []
        self.searches = 0  # completed searches (tests wait on this)
        self._to_results = False  # enter came before the hits: they take the focus

    def compose(self) -> ComposeResult:
        yield Static(Content(self.s("title")), id="search-title")
        yield SearchBox(
            value=self.initial_query, placeholder=self.s("placeholder"), id="search-input"
        )
        yield Static(Content(self.s("hint")), id="search-status")
        yield Static(id="search-problem")
        # "▶" before the highlighted hit: the hit enter opens shows in characters too.
        yield CursorOptionList(id="search-results", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._describe_keys()
        add_help_key(self, "search", self.i18n)
        self.query_one(Input).focus()
        if self.initial_query:
            self.run_search(self.initial_query)

    def _describe_keys(self) -> None:
        # Footer labels in the interface language.
        labels = {
            "search.back": "key.back",
            "search.history": "key.history",
            "search.input": "key.input",
        }
        describe_keys(self, labels, self.s)
        describe_keys(self.query_one(CursorOptionList), OPEN_HIT, self.i18n.t)

    # -- searching ----------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        # Enter at once after the typing (a paste, a fast typist) comes before the search's
        # hits: they take the focus when they come, or enter did nothing.
        self._to_results = not self.rows
        self.action_to_results()

    def run_search(self, text: str) -> None:
        """Search for ``text`` in the background; a newer search cancels this one."""
        self.query_text = text
        self._search(text)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def _search(self, text: str) -> None:
        allowed = await allowed_in(self.store, self.codebook)
        result = await search(
            self.store, text, self.base, limit=LIMIT, allowed=allowed, count=False
        )
        problems = [describe_problem(p, allowed, self.language) for p in result.parsed.problems]
        self._show(result, problems)
        if len(result.hits) >= LIMIT:
            # The hits are on screen first; counting all of them may take longer.
            # Only the status line changes: the list and its highlight stay.
            self._set_status(await count_all(self.store, result))
        self.searches += 1

    def _status(self, result: SearchResult) -> str:
        parsed = result.parsed
        n = len(result.hits)
        status: list[str] = []
        if parsed.problems:
            status.append(self.s("problem", what=", ".join(map(str, parsed.problems))))
        elif not parsed.words and not parsed.filtered:
            status.append(self.s("hint"))
        elif not n:
            status.append(self.s("none"))
        elif result.total is not None and result.total > n:
            key = "shown_capped" if result.capped else "shown"
            status.append(self.s(key, n=n, total=self._number(result.total)))
        elif n >= LIMIT:
            status.append(self.s("hits_max", n=n))
        else:
            status.append(self.s("hits", n=n))  # "1 treffer": the table's singular
        if result.by_date and n:
            status.append(self.s("by_date"))
        elif n and not result.ranked:
            status.append(self.s("newest"))
        filters = filter_summary(parsed.filter, self.language)
        if filters:
            status.append(" ".join(filters))
        return " · ".join(status)

    def _set_status(self, result: SearchResult) -> None:
        status = one_line(self._status(result), limit=300)
        self.query_one("#search-status", Static).update(Content(status))

    def _show(self, result: SearchResult, problems: list[str]) -> None:
        rows = [hit.row for hit in result.hits]
        words = result.parsed.words
        self.rows = rows
        self._set_status(result)
        # The problem names the typed value: plain Content, never markup.
        problem = self.query_one("#search-problem", Static)
        problem.update(Content("\n".join(one_line(p, limit=1000) for p in problems)))
        problem.display = bool(problems)
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(
            [Option(self.prompt(row, words), id=str(row.response.id)) for row in rows]
        )
        if rows:
            restore, self._restore = self._restore, None
            results.highlighted = min(restore or 0, len(rows) - 1)
        if self._to_results:
            self._to_results = False
            self.action_to_results()

    def remember(self) -> None:
        """Keep the query and the hit under the cursor on the app (``last_search``), so
        ``/`` opens this search again after a jump to a hit or going back."""
        if hasattr(self.app, "last_search"):
            highlighted = self.query_one("#search-results", OptionList).highlighted
            self.app.last_search = (self.query_text, highlighted or 0)

    # -- keys ---------------------------------------------------------------------------
    def current(self) -> QueueRow | None:
        """The highlighted hit."""
        results = self.query_one("#search-results", OptionList)
        i = results.highlighted
        return self.rows[i] if i is not None and 0 <= i < len(self.rows) else None

    def action_to_results(self) -> None:
        if self.rows:
            self.query_one("#search-results", OptionList).focus()

    def action_focus_input(self) -> None:
        self.query_one(Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "history":
            # "h" in the search box is a letter, not a command.
            return not isinstance(self.focused, Input) and self.current() is not None
        if action == "to_results":
            return isinstance(self.focused, Input)
        return True

    def action_back(self) -> None:
        self.remember()
        self.app.pop_screen()

    def action_history(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(
                AuthorHistoryScreen(
                    row, store=self._store, codebook=self._codebook, i18n=self._i18n, tz=self._tz
                )
            )

    @on(OptionList.OptionSelected, "#search-results")
    async def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.remember()
            await self.open_response(int(event.option.id))


class AuthorHistoryScreen(ScreenHelp, _FromApp, Screen[None]):
    """All other responses by the author of ``row`` (by author key, else by name within
    the source; :meth:`~reactieveld.store.sqlite.SqliteStore.author_history`), newest
    first, with their tags. ``enter`` jumps to one in the queue, ``escape`` goes back."""

    DEFAULT_CSS = """
    AuthorHistoryScreen { layout: vertical; }
    AuthorHistoryScreen #history-title { height: auto; background: $panel; text-style: bold; }
    AuthorHistoryScreen #history-status { height: 1; color: $text-muted; }
    AuthorHistoryScreen #history-results { height: 1fr; }
    AuthorHistoryScreen #history-results > .option-list--option-highlighted {
        background: $accent 40%;
    }
    """

    HELP_WIDGET_KEYS = HIT_KEYS

    BINDINGS = [Binding("escape,q", "back", "Back", id="history.back")]

    def __init__(
        self,
        row: QueueRow,
        *,
        store: Any | None = None,
        codebook: Codebook | None = None,
        i18n: I18n | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__()
        self.row = row
        self.given(store, codebook, i18n, tz)
        self.rows: list[QueueRow] = []
        self.loaded = asyncio.Event()

    @property
    def author(self) -> str:
        return one_line(self.row.response.author_name, limit=60) or "?"

    def compose(self) -> ComposeResult:
        yield Static(Content(self.s("history_loading", author=self.author)), id="history-title")
        yield Static(Content(self.s("history_hint")), id="history-status")
        yield CursorOptionList(id="history-results", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        describe_keys(self, {"history.back": "key.back"}, self.s)
        describe_keys(self.query_one(CursorOptionList), OPEN_HIT, self.i18n.t)
        add_help_key(self, "history", self.i18n)
        self.query_one(OptionList).focus()
        self._load()

    @work(exclusive=True, group="author-history", exit_on_error=False)
    async def _load(self) -> None:
        rows = await self.store.author_history(self.row, limit=HISTORY_LIMIT)
        self.rows = rows
        title = self.s("history", author=self.author, n=self._number(len(rows)))
        if not rows:
            title = self.s("history_none", author=self.author)
            self.query_one("#history-status", Static).update(Content(self.s("history_none_hint")))
        if len(rows) >= HISTORY_LIMIT:
            # A full list is the newest part of more: the title said "200" for an author
            # of 216 others, whom the response's own pane counted right.
            total = await self.store.author_count(self.row)
            if total > len(rows):
                shown, n = self._number(len(rows)), self._number(total)
                title = self.s("history_newest", author=self.author, shown=shown, n=n)
        self.query_one("#history-title", Static).update(Content(title))
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(self.prompt(r), id=str(r.response.id)) for r in rows])
        if rows:
            results.highlighted = 0
        self.loaded.set()

    def action_back(self) -> None:
        self.dismiss()

    @on(OptionList.OptionSelected, "#history-results")
    async def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            await self.open_response(int(event.option.id))
