"""The moderation queue: a virtual list over the store, for a million rows.

Like toolong's ``LogLines``: a ``ScrollView`` whose ``virtual_size`` is the queue's row
count and whose ``render_line`` draws one row from a *window* of rows that is loaded by
keyset queries around the cursor (never the whole table, never OFFSET). Rendered rows
are kept in an LRU of strips. The window grows in the background as the cursor or the
viewport nears its edge; a far jump (the scrollbar, ``G``) loads a new window.

Indices shift when rows arrive or leave. The list therefore remembers rows by keyset and
id, re-anchors the window with ``store.position`` after a change it did not make, and
keeps the cursor on the same response (and the marks, which are response ids).

What the moderator saw is what an action is checked against (the store refuses it when a
row changed since): each mark keeps the version of its row as it was seen
(:meth:`QueueList.seen_versions`), and when another moderator's change takes the response
under the cursor out of the list, that row stays where it is, drawn as it is now, until
the cursor moves (:meth:`QueueList.refresh_window`'s ``keep``): a key meant for it never
lands on the row that would have slid under the cursor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n
from reactieveld.model import OutboxState, TagKind, TriageState, utcnow
from reactieveld.store.base import Keyset, QueueFilter, QueueRow
from reactieveld.text import one_line, shorten
from reactieveld.tui.claims import busy_by
from reactieveld.tui.messages import (
    CursorMoved,
    QueueChanged,
    SaysWorkerErrors,
    after_first_rows,
    deferred,
)
from reactieveld.tui.times import SHORT_WIDTH, WIDTH, format_time, format_time_short


@dataclass(frozen=True)
class ViewContext:
    """What the queue and the response view draw with: the interface text, the
    codebook, the time zone of the times shown and the clock they are shown against (the
    app's), and who this app's moderator is (their own claims are not shown as "busy")."""

    i18n: I18n
    codebook: Codebook
    tz: tzinfo | None = None
    actor: str | None = None
    clock: Callable[[], datetime] = utcnow
    #: The moderator's kept drafts (the app's, live: DraftKey -> text), for the rows'
    #: "concept" label; None: none shown.
    drafts: Collection[Any] | None = None


#: Rows fetched per query, and how close to a window edge a fetch starts.
CHUNK = 100
MARGIN = 40
#: The window is trimmed back to this many rows (from the side away from the cursor).
MAX_WINDOW = 600

#: (key, width) of the fixed columns; the text takes the rest. "mark" holds three
#: characters, so that a row's states read without colour (a monochrome terminal,
#: NO_COLOR, colour blindness) and never take each other's place: the cursor (``▶``),
#: a mark (``✱``) and a response not yet handled (``•``).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("mark", 4),
    ("col.time", 12),
    ("col.source", 11),
    ("col.author", 17),
    ("col.role", 13),
    ("col.questions", 9),
    ("col.status", 12),
)
#: The widths on a narrow screen, where the words of the comment (what a moderator
#: triages by) come first: the time in its short form (:func:`format_time_short`), the
#: source, author and role cut (with "…"; the response view has them whole): the
#: source keeps "Source" whole, a name 11 cells, a role (one of the codebook's few
#: words, also on the tag bar's line) 7. The mark and status columns keep their states
#: in characters ("⚑2 goedgekeurd" nearly fills 12), so they are not narrower.
NARROW: dict[str, int] = {
    "mark": 4,
    "col.time": SHORT_WIDTH + 1,
    "col.source": 7,
    "col.author": 12,
    "col.role": 8,
    "col.questions": 9,
    "col.status": 12,
}
#: The text's cells before a column is shown at all (questions, role and source are
#: left out, in that order, below that): at 80 columns (79 beside the scrollbar)
#: every narrow column shows but the questions, and the text has these 30.
_TEXT_WANT = 30
#: How a wider screen is given out, in order: (column or None for the text, cells).
#: The text first grows to 40; then the columns get their default widths back (the
#: long time only whole: its form changes with it); the text grows to 48; then a
#: wide screen's extra for a role like "Mayor and aldermen" or a full name; then the
#: author (at 200 columns a role stood whole in 21 cells while "Wethouder Ruimtelijke
#: Ordening" was cut at 30, the text having 91): 50 cells hold a title with a name. The
#: rest is the text's. Below 160 columns nothing of this changed (80x24 is as it was).
_GROW: tuple[tuple[str | None, int], ...] = (
    (None, 10),
    ("col.time", COLUMNS[1][1] - NARROW["col.time"]),
    ("col.author", 17 - NARROW["col.author"]),
    ("col.role", 13 - NARROW["col.role"]),
    ("col.source", 11 - NARROW["col.source"]),
    (None, 8),
    ("col.role", 8),
    ("col.author", 13),
    ("col.source", 9),
    ("col.author", 20),
)
_WHOLE = frozenset({"col.time"})
#: The cells of the list's vertical scrollbar, always shown: the rows are this much
#: narrower than the column titles' line above them.
SCROLLBAR = 1
#: The text never has fewer cells than this (a width below the supported 60x20).
_TEXT_MIN = 10

CURSOR_MARK = "▶"
MARKED_MARK = "✱"
NEW_MARK = "•"
#: In the mark column's last cell (otherwise air): another moderator has the row open
#: (a pencil: someone is working on it). The text column then begins with their name.
BUSY_MARK = "✎"
#: Before the status: the platform's users reported it, with how often ("⚑2 wacht").
REPORTED_MARK = "⚑"
#: First in the text: a moderation rule flagged it, with the rule's name ("§scheldwoorden").
FLAGGED_MARK = "§"
#: Before the status: the write-back failed or conflicted (a person must look) ...
UNDONE_MARK = "!"
#: ... or is still on its way to the platform.
PENDING_MARK = "↻"
UNDONE_STATES = frozenset({OutboxState.CONFLICT.value, OutboxState.FAILED.value})


def write_back_mark(state: str | None) -> str:
    """Where a response's newest write-back stands, in characters, before its status
    (``"! "``, ``"↻ "``; nothing when it is done or there is none): the queue's status
    column and the thread tree's lines say it alike."""
    if state in UNDONE_STATES:
        return f"{UNDONE_MARK} "
    if state == OutboxState.PENDING.value:
        return f"{PENDING_MARK} "
    return ""


#: In the mark column's third cell: the row under the cursor left the list by another's
#: change and is kept in place until the cursor moves (:class:`KeptRow`).
KEPT_MARK = "×"


@dataclass
class KeptRow:
    """The response under the cursor that another moderator's change (or a sync) took
    out of this list: kept in place, drawn as it is now, until the cursor moves."""

    id: int
    #: The version the moderator saw before the change: an action on the row is checked
    #: against it (and refused) until a refusal has shown the row as it is now.
    seen: int
    #: Who changed it and how, in words, longest first ("blog: changed on the site", "on
    #: the site"): the longest that fits is drawn; none until known.
    labels: tuple[str, ...] = ()


def flag_label(rules: tuple[str, ...]) -> str:
    """The names of the rules whose flags are open, as a row shows them (one line)."""
    return FLAGGED_MARK + ",".join(one_line(name, limit=40) for name in rules)


def row_marks(*, cursor: bool, marked: bool, new: bool, kept: bool = False) -> str:
    """The three state characters at the start of a queue row (space where a state is off);
    a kept row (:class:`KeptRow`) has ``×`` where a new one has ``•``."""
    return (
        (CURSOR_MARK if cursor else " ")
        + (MARKED_MARK if marked else " ")
        + (KEPT_MARK if kept else NEW_MARK if new else " ")
    )


def _cell(text: str, width: int) -> str:
    # Fixed width in terminal cells (wide characters count twice), one space of air.
    if width <= 1:
        return set_cell_size(text, max(width, 0))
    # A cut name must not pass for another name: it ends in "…".
    return set_cell_size(shorten(text, width - 1, words=False), width - 1) + " "


def _before(label: str, text: str, cells: int) -> str:
    """``label`` first in a row's ``cells`` of text, then the words where a few of them
    fit after it, else the label alone: never a bare "·…" (a first word too long for
    the room, or a draft's label before the words, was cut back to its dot)."""
    joined = label + " · " + text
    if cell_len(label) + 3 + 5 > cells:
        return label
    shown = shorten(joined, cells)
    return joined if shown[len(label) + 3 :].rstrip("…") and not shown.endswith("·…") else label


def visible_columns(width: int, *, source: bool = True) -> list[tuple[str, int]]:
    """The columns of a row ``width`` cells wide: narrow ones (:data:`NARROW`), those
    that leave the text fewer than :data:`_TEXT_WANT` cells left out (questions, role,
    source); on a wider screen more, as :data:`_GROW` gives it out. ``source=False``:
    the memory holds one source (the column would say the same on every row): the
    source column is left out and the text has its cells, the other columns as with it."""
    cols = [(key, NARROW[key]) for key, _ in COLUMNS]
    for drop in ("col.questions", "col.role", "col.source"):
        if sum(w for _, w in cols) + _TEXT_WANT <= width:
            break
        cols = [c for c in cols if c[0] != drop]
    if sum(w for _, w in cols) + _TEXT_MIN > width:
        cols = [c for c in cols if c[0] != "col.author"]
    spare = width - sum(w for _, w in cols) - _TEXT_WANT
    shown = {key for key, _ in cols}
    for name, most in _GROW:
        if spare <= 0 or (name in _WHOLE and spare < most):
            break
        grow = min(spare, most)
        spare -= grow
        if name in shown:
            cols = [(k, w + grow if k == name else w) for k, w in cols]
    return cols if source else [c for c in cols if c[0] != "col.source"]


class QueueList(SaysWorkerErrors, ScrollView, can_focus=True, inherit_bindings=False):
    """The virtual queue. Keys live on the triage screen; this widget moves and loads."""

    COMPONENT_CLASSES = {
        "queue--cursor",
        "queue--marked",
        "queue--handled",
        "queue--conflict",
        "queue--pending",
        "queue--placeholder",
    }

    DEFAULT_CSS = f"""
    QueueList {{
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: {SCROLLBAR};
    }}
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)

    def __init__(
        self,
        store: Any,
        context: ViewContext,
        *,
        flt: QueueFilter | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.i18n, self.codebook, self.tz = context.i18n, context.codebook, context.tz
        self.clock = context.clock
        self.actor = context.actor
        self.drafts = context.drafts
        self.flt = flt or QueueFilter(triage=TriageState.NEW)
        #: Whether the rows show their source: not while the memory holds one
        #: (:meth:`show_sources`).
        self.source_column = True
        self.total = 0
        self.base = 0  # index of rows[0]
        self.rows: list[QueueRow] = []
        self.marked: set[int] = set()
        #: The version of each marked row as the moderator saw it (at marking, or as the
        #: window last drew it): an action on the marks is checked against these, for
        #: rows in the window or not (:meth:`seen_versions`).
        self.mark_versions: dict[int, int] = {}
        #: The row under the cursor kept after it left the list (:meth:`refresh_window`).
        self.kept: KeptRow | None = None
        #: Marked rows of an author's pile (see :meth:`mark_rows`), by id.
        self.pile_rows: dict[int, QueueRow] = {}
        self.loaded = asyncio.Event()
        self._lock = asyncio.Lock()
        self._at_top = True  # the window starts at index 0
        self._at_end = True  # the window ends at the last row
        # Rendered rows by (response id, marked, cursor, width), each with the row object
        # it was drawn from: a row re-read from the store is a new object and is drawn
        # again, one that only moved (rows above it left) is not.
        self._strips: LRUCache[tuple[Any, ...], tuple[QueueRow | None, Strip]] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self._fetching: set[str] = set()
        self._want_index: int | None = None
        self._generation = 0
        self.role_label: Callable[[str], str] = lambda code: self.codebook.label(
            TagKind.ROLE, code, self.i18n.language
        )

    def role_text(self, code: str, cells: int) -> str:
        """The role ``code`` in at most ``cells`` cells: its label, or where that does
        not fit (or another role's reads the same) its short form, unique in the
        codebook (the response view has it whole); a code the codebook lacks as it is."""
        shorts = self.codebook.short_labels(TagKind.ROLE, self.i18n.language, cells)
        return shorts.get(code) or one_line(self.role_label(code), limit=40)

    # -- reading the window -------------------------------------------------------------
    def row_at(self, index: int) -> QueueRow | None:
        """The row at queue index ``index`` if it is in the window."""
        i = index - self.base
        if 0 <= i < len(self.rows):
            return self.rows[i]
        return None

    @property
    def current(self) -> QueueRow | None:
        """The response under the cursor."""
        return self.row_at(self.cursor)

    def index_of(self, response_id: int) -> int | None:
        """The queue index of a response in the window."""
        for i, row in enumerate(self.rows):
            if row.response.id == response_id:
                return self.base + i
        return None

    def target_ids(self) -> list[int]:
        """What an action acts on: the marked responses, else the one under the cursor."""
        if self.marked:
            return sorted(self.marked)
        row = self.current
        return [row.response.id] if row and row.response.id is not None else []

    def target_rows(self) -> list[QueueRow]:
        """The rows an action acts on, as far as they are in the window or were marked
        as an author's pile (:meth:`mark_rows`: those may be in no loaded window, or in
        another queue)."""
        if self.marked:
            shown = [r for r in self.rows if r.response.id in self.marked]
            have = {r.response.id for r in shown}
            return shown + [
                r for rid, r in self.pile_rows.items() if rid in self.marked and rid not in have
            ]
        row = self.current
        return [row] if row else []

    def _kept_index(self) -> int | None:
        """The queue index of the kept row (:class:`KeptRow`), None when there is none
        (one the window no longer holds is forgotten)."""
        kept = self.kept
        if kept is None:
            return None
        index = self.index_of(kept.id)
        if index is None:
            self.kept = None
        return index

    @property
    def rereading(self) -> bool:
        """A re-read of the window is under way: the kept row is out of it until its end."""
        return self._lock.locked()

    def is_kept(self, row: QueueRow | None) -> bool:
        """Whether ``row`` is the kept row: out of the list, shown until the cursor moves."""
        kept = self.kept
        return kept is not None and row is not None and row.response.id == kept.id

    def seen_of(self, row: QueueRow) -> int:
        """The version of ``row`` as the moderator saw it: as drawn, but for the kept row
        the one before the change that took it out of the list."""
        kept = self.kept
        if kept is not None and row.response.id == kept.id:
            return kept.seen
        return row.version

    def seen_versions(self) -> dict[int, int]:
        """The versions of what an action acts on, as the moderator saw them: the store
        refuses the action when another moderator (or the sync) changed one since. Every
        marked response is checked, in the window or not: a marked row in the window as
        it is drawn (the window is re-read live), one outside it as it was when it was
        marked or last drawn; else the row under the cursor (:meth:`seen_of`)."""
        if self.marked:
            kept = self.kept
            shown = {r.response.id: r.version for r in self.rows if r.response.id in self.marked}
            seen: dict[int, int] = {}
            for rid in sorted(self.marked):
                if kept is not None and rid == kept.id:
                    seen[rid] = kept.seen
                elif rid in shown:
                    seen[rid] = shown[rid]
                elif rid in self.mark_versions:
                    seen[rid] = self.mark_versions[rid]
            return seen
        row = self.current
        if row is None or row.response.id is None:
            return {}
        return {row.response.id: self.seen_of(row)}

    def label_kept(self, response_id: int, *labels: str) -> None:
        """Who changed the kept row and how ("anna: spam"), first in its text; shorter
        words after the first, for a narrow screen."""
        kept = self.kept
        if kept is not None and kept.id == response_id:
            kept.labels = labels
            self.refresh()

    async def accept_refused(self, ids: tuple[int, ...] | list[int]) -> int:
        """After the store refused an action because rows ``ids`` changed since they were
        seen (the window already read again): what the moderator is now shown is what a
        second press acts on. The kept row is checked against its new version; a marked
        row is too where it is still in this list (an author's pile: still pending), and
        is unmarked where it is not (a row out of the list is never acted on unseen).
        Returns how many marks were removed (the screen says so)."""
        kept = self.kept
        current = self.current
        if kept is not None and current is not None and kept.id in ids:
            if current.response.id == kept.id:
                kept.seen = current.version
        dropped = 0
        for rid in ids:
            if rid not in self.marked:
                continue
            if self.index_of(rid) is not None and not (kept is not None and rid == kept.id):
                continue  # in the list, drawn anew: its version is the one drawn
            fresh = await self.store.get(rid)
            if fresh is not None and await self._still_listed(fresh):
                self.mark_versions[rid] = fresh.version
                if rid in self.pile_rows:
                    self.pile_rows[rid] = fresh
                continue
            self.marked.discard(rid)
            self.mark_versions.pop(rid, None)
            self.pile_rows.pop(rid, None)
            dropped += 1
        if dropped:
            self._strips.clear()
            self.refresh()
            self.post_message(QueueChanged(self.total))
        return dropped

    async def _still_listed(self, row: QueueRow) -> bool:
        """Whether a marked row is still where it was marked: an author's pile's row
        still pending (it may be in another queue), any other still in this queue."""
        rid = row.response.id
        if rid in self.pile_rows:
            return row.response.triage is TriageState.NEW
        key = row.keyset
        rows = await self.store.queue(self.flt, after=Keyset(key.created_at, key.id + 1), limit=1)
        return bool(rows) and rows[0].response.id == rid

    def mark_rows(self, rows: list[QueueRow]) -> int:
        """Mark ``rows`` (an author's pile), kept so that an action can check them
        even where this queue does not hold them; returns how many are marked now."""
        for row in rows:
            if row.response.id is not None:
                self.marked.add(row.response.id)
                self.mark_versions[row.response.id] = row.version
                self.pile_rows[row.response.id] = row
        self._strips.clear()
        self.refresh()
        self.post_message(QueueChanged(self.total))
        return len(self.marked)

    def show_sources(self, names: Collection[str]) -> None:
        """Show the source column when ``names`` (the memory's and the configured
        sources) are more than one. Once shown it stays for this list: a layout that
        changes only when a second source comes, never back and forth."""
        show = len(set(names)) > 1
        if show == self.source_column or not show and self.loaded.is_set():
            return
        self.source_column = show
        self._strips.clear()
        self.refresh()

    def columns(self, width: int) -> list[tuple[str, int]]:
        """The columns of a row ``width`` cells wide (:func:`visible_columns`)."""
        return visible_columns(width, source=self.source_column)

    # -- loading ------------------------------------------------------------------------
    async def load(
        self,
        flt: QueueFilter | None = None,
        *,
        first: bool = False,
        asked: list[QueueRow] | None = None,
    ) -> None:
        """(Re)load the queue from its top, with a new filter if given. ``first``: the
        app's first frame waits for these rows, so one chunk is read now (more than a
        screen shows) and the window's second chunk after that frame (~2 ms less before
        it on 200,000 responses: the rows are read and made on the way to it); ``asked``:
        that chunk, read from the store already (the triage screen asks as it is made)."""
        if flt is not None:
            self.flt = flt
            self.marked.clear()
            self.mark_versions.clear()
        limit = CHUNK if first else CHUNK * 2
        async with self._lock:
            self._generation += 1
            rows = asked if asked is not None else await self.store.queue(self.flt, limit=limit)
            self.base = 0
            self.rows = rows
            self.kept = None
            self._at_top = True
            self._at_end = len(rows) < limit
            # Exact when the window holds everything; else the count follows (a worker).
            self.total = len(rows) if self._at_end else max(self.total, len(rows))
            self._set_cursor(0)
        self._changed()
        if not self._at_end:
            self.run_worker(deferred(self._count), group="queue-count", exclusive=True)
            if first:
                self.run_worker(deferred(self._second_chunk), group="queue-fetch")
        self.loaded.set()

    async def _second_chunk(self) -> None:
        """The window's second chunk, after the first frame (:meth:`load`'s ``first``)."""
        await after_first_rows(self.app)
        await self._extend("older")

    async def _count(self) -> None:
        await after_first_rows(self.app)
        # The window changed while counting (a decision, more arrivals): count again,
        # as the number may already be off by those rows.
        while True:
            generation = self._generation
            total = await self.store.count(self.flt)
            if generation == self._generation:
                kept = 1 if self._kept_index() is not None else 0  # a line, not in the count
                self.total = max(total + kept, self.base + len(self.rows))
                self._changed()
                return

    async def refresh_window(
        self, *, reanchor: bool = False, keep: bool = False
    ) -> QueueRow | None:
        """Reload the rows of the window after the store changed.

        Without ``reanchor`` the rows above the window are assumed unchanged (an action
        on rows inside it), so the base stays and no count is needed on the key path.
        With it (new rows arrived, or marked rows elsewhere changed) the window's first
        row is located again and the cursor stays on its response.

        ``keep`` (another moderator's change, a sync, a refused action): when the
        response under the cursor has left the list, it stays where it was, read again
        (its new state drawn, ``×``), and the cursor on it (:class:`KeptRow`) until the
        cursor moves; the row that would have slid under the cursor does not. Returns
        that row when it was kept just now (None otherwise).
        """
        if not reanchor and self.current is not None:
            await self._refresh_from_cursor()
            return None
        newly: QueueRow | None = None
        async with self._lock:
            self._generation += 1
            # The kept row is a line of the window, not of the queue: left out of the
            # counts below, and put back if it is still to be kept.
            kept = self.kept if self._kept_index() is not None else None
            self.kept = None
            extra = 1 if kept is not None else 0
            self.total = max(self.total - extra, 0)
            first = self.rows[0] if self.rows else None
            old_len = len(self.rows) - extra
            want = max(old_len, CHUNK)
            if first is None:
                rows = await self.store.queue(self.flt, limit=CHUNK * 2)
                base = 0
            else:
                anchor = Keyset(first.keyset.created_at, first.keyset.id + 1)
                rows = await self.store.queue(self.flt, after=anchor, limit=want)
                base = self.base
                if reanchor:
                    base = await self.store.position(self.flt, first.keyset)
            # The cursor's response as it is now, not as the read began: keys pressed
            # while it was read moved it, and it stays where they took it.
            cursor_row = self.current
            at_end = len(rows) < want
            recount = False
            if at_end:
                self.total = base + len(rows)
            elif reanchor or self.total < base + len(rows):
                # The exact count follows from a worker: with a tag filter on a large
                # memory it takes a third of a second, which a key pressed now would
                # otherwise wait for behind this lock.
                self.total = max(self.total, base + len(rows))
                recount = True
            else:
                self.total = max(base + len(rows), self.total - (old_len - len(rows)))
            self.base, self.rows, self._at_end = base, rows, at_end
            self._at_top = base == 0
            if cursor_row is not None and reanchor:
                rid = cursor_row.response.id
                index = self.index_of(rid if rid is not None else -1)
                if index is None and keep and rid is not None:
                    index = await self._keep(cursor_row, kept)
                    if kept is None:
                        newly = self.row_at(index)
                if index is not None:
                    shift = index - self.cursor
                    if shift:
                        # The new height first: scrolling is clamped to the old one, and
                        # a short queue (nothing to scroll yet) would leave the cursor
                        # below the screen.
                        self._set_virtual_height(self.total)
                        self.scroll_to(y=self.scroll_y + shift, animate=False, immediate=True)
                    self._set_cursor(index)
            self._set_cursor(min(self.cursor, max(self.total - 1, 0)), force=True)
        self._changed()
        if recount:
            self.run_worker(deferred(self._count), group="queue-count", exclusive=True)
        self._maybe_extend()
        return newly

    async def _keep(self, shown: QueueRow, kept: KeptRow | None) -> int:
        """Put ``shown`` (the row under the cursor, gone from the re-read window) back
        in its place in the window, as it is now; returns its queue index. ``kept``: it
        was kept already (the version seen before the first change stays)."""
        rid = shown.response.id
        assert rid is not None
        row = await self.store.get(rid) or shown
        key = (shown.keyset.created_at, shown.keyset.id)

        def place() -> int:
            # Newest first: after every row newer than it.
            for i, r in enumerate(self.rows):
                if (r.keyset.created_at, r.keyset.id) < key:
                    return i
            return len(self.rows)

        at = place()
        while at == len(self.rows) and not self._at_end and self.rows:
            # Rows came in between (an old page synced): read on to its place.
            more = await self.store.queue(self.flt, after=self.rows[-1].keyset, limit=CHUNK)
            self.rows.extend(more)
            self._at_end = len(more) < CHUNK
            self.total = max(self.total, self.base + len(self.rows))
            at = place()
        if self._at_end:
            self.total = self.base + len(self.rows)
        self.rows.insert(at, row)
        self.total += 1
        self.kept = KeptRow(
            rid,
            kept.seen if kept is not None else shown.version,
            kept.labels if kept is not None else (),
        )
        return self.base + at

    def _drop_kept(self) -> int | None:
        """Take the kept row out of the window (the cursor moves, or acts); returns the
        index it had."""
        at = self._kept_index()
        self.kept = None
        if at is None:
            return None
        del self.rows[at - self.base]
        self.total = max(self.total - 1, 0)
        self._generation += 1  # a fetch under way read around the old window
        self._set_virtual_height(self.total)
        self.refresh()
        self.post_message(QueueChanged(self.total))
        return at

    async def _refresh_from_cursor(self) -> None:
        """After an action on the cursor's row: only that row changed, so read it and the
        row after it again (two rows, one small query on the key path) and splice them
        in. If the row after it is not the one the window has (something else changed
        too), read one chunk from the cursor down instead. A kept row (:class:`KeptRow`,
        not in the queue) is read as any: it goes unless the action put it back."""
        async with self._lock:
            self._generation += 1
            row = self.current
            assert row is not None
            self.kept = None  # only ever under the cursor: the splice below takes it
            at = self.cursor - self.base
            anchor = Keyset(row.keyset.created_at, row.keyset.id + 1)
            rows = await self.store.queue(self.flt, after=anchor, limit=2)
            stays = bool(rows) and rows[0].response.id == row.response.id
            fresh = rows[:1] if stays else []
            after = rows[1:] if stays else rows[:1]
            below = self.rows[at + 1 :]
            if [r.response.id for r in after] == [r.response.id for r in below[:1]] and (
                below or self._at_end
            ):
                self.rows[at:] = fresh + below
                if self._at_end:
                    self.total = self.base + len(self.rows)
                elif not stays:
                    self.total = max(self.total - 1, 0)
            else:
                rows = await self.store.queue(self.flt, after=anchor, limit=CHUNK)
                stays = bool(rows) and rows[0].response.id == row.response.id
                self.rows[at:] = rows
                self._at_end = len(rows) < CHUNK
                if self._at_end:
                    self.total = self.base + len(self.rows)
                elif not stays:
                    self.total = max(self.total - 1, 0)
            self._set_cursor(min(self.cursor, max(self.total - 1, 0)), post=False)
        self._changed()
        self._maybe_extend()

    async def jump_to_response(self, response_id: int) -> bool:
        """Put the cursor on a response (loading a window around it); False if it is not
        in this queue."""
        row = await self.store.get(response_id)
        if row is None:
            return False
        rows = await self.store.queue(
            self.flt, after=Keyset(row.keyset.created_at, row.keyset.id + 1), limit=1
        )
        if not rows or rows[0].response.id != response_id:
            return False
        await self._load_around(row.keyset)
        index = self.index_of(response_id)
        if index is None:
            return False
        self._set_cursor(index)
        self._changed()
        return True

    async def _load_around(self, key: Keyset) -> None:
        """A window of rows around ``key`` (inclusive), with its exact position."""
        async with self._lock:
            self._generation += 1
            above = await self.store.queue(self.flt, after=key, limit=CHUNK, direction="newer")
            below = await self.store.queue(
                self.flt, after=Keyset(key.created_at, key.id + 1), limit=CHUNK * 2
            )
            position = await self.store.position(self.flt, key)
            self.rows = above + below
            self.kept = None
            self.base = position - len(above)
            self._at_top = self.base == 0
            self._at_end = len(below) < CHUNK * 2
            self.total = (
                self.base + len(self.rows) if self._at_end else await self.store.count(self.flt)
            )

    async def _load_last(self) -> None:
        async with self._lock:
            self._generation += 1
            rows = await self.store.queue(self.flt, limit=CHUNK * 2, direction="newer")
            if len(rows) == CHUNK * 2:
                self.total = await self.store.count(self.flt)
            else:
                self.total = len(rows)
            self.rows = rows
            self.kept = None
            self.base = self.total - len(rows)
            self._at_top = self.base == 0
            self._at_end = True

    async def _load_index(self, index: int) -> None:
        """A window around a far index: bisect on time with ``store.position``."""
        first = await self.store.queue(self.flt, limit=1)
        last = await self.store.queue(self.flt, limit=1, direction="newer")
        if not first or not last:
            return
        hi = first[0].response.created_at.timestamp()
        lo = last[0].response.created_at.timestamp()
        big = 2**62
        # position(t) = rows newer than t: decreasing in t. Find t with position ~ index.
        while hi - lo > 1:
            mid = (lo + hi) / 2
            pos = await self.store.position(self.flt, Keyset(datetime.fromtimestamp(mid, UTC), big))
            if pos > index:
                lo = mid
            else:
                hi = mid
        rows = await self.store.queue(
            self.flt, after=Keyset(datetime.fromtimestamp(hi, UTC), big), limit=1
        )
        if rows:
            await self._load_around(rows[0].keyset)

    async def _extend(self, direction: str) -> None:
        if direction in self._fetching:
            return
        self._fetching.add(direction)
        try:
            async with self._lock:
                generation = self._generation
                if not self.rows:
                    return
                if direction == "older":
                    if self._at_end:
                        return
                    rows = await self.store.queue(self.flt, after=self.rows[-1].keyset, limit=CHUNK)
                    if generation != self._generation:
                        return
                    self.rows.extend(rows)
                    self._at_end = len(rows) < CHUNK
                    if self._at_end:
                        self.total = self.base + len(self.rows)
                    if len(self.rows) > MAX_WINDOW and self.cursor - self.base > MAX_WINDOW // 2:
                        drop = len(self.rows) - MAX_WINDOW
                        del self.rows[:drop]
                        self.base += drop
                        self._at_top = False
                else:
                    if self._at_top:
                        return
                    rows = await self.store.queue(
                        self.flt, after=self.rows[0].keyset, limit=CHUNK, direction="newer"
                    )
                    if generation != self._generation:
                        return
                    self.rows[:0] = rows
                    self.base -= len(rows)
                    if len(rows) < CHUNK or self.base <= 0:
                        # The top is reached: recompute from what we have.
                        self.base = 0
                        self._at_top = True
                    if len(self.rows) > MAX_WINDOW:
                        del self.rows[MAX_WINDOW:]
                        self._at_end = False
        finally:
            self._fetching.discard(direction)
        self._changed(cursor=False)
        self._maybe_extend()

    def _maybe_extend(self) -> None:
        """Start a background fetch when the cursor or the viewport nears a window edge."""
        if not self.rows:
            return
        top = min(self.cursor, int(self.scroll_y))
        bottom = max(self.cursor, int(self.scroll_y) + self.size.height)
        if not self._at_end and bottom + MARGIN >= self.base + len(self.rows):
            self.run_worker(deferred(self._extend, "older"), group="queue-fetch")
        if not self._at_top and top - MARGIN <= self.base:
            self.run_worker(deferred(self._extend, "newer"), group="queue-fetch")
        start, end = self.base, self.base + len(self.rows)
        if int(self.scroll_y) + self.size.height < start - MARGIN or int(self.scroll_y) > end:
            self._want_index = int(self.scroll_y)
            self.run_worker(deferred(self._far), group="queue-far", exclusive=True)

    async def _far(self) -> None:
        index = self._want_index
        if index is None:
            return
        await self._load_index(index)
        self._changed(cursor=False)

    # -- moving -------------------------------------------------------------------------
    def _set_cursor(self, index: int, *, force: bool = False, post: bool = True) -> None:
        index = max(0, min(index, self.total - 1)) if self.total else 0
        old = self.cursor
        if index != old or force:
            self.set_reactive(QueueList.cursor, index)
            self.refresh_line(old)
            self.refresh_line(index)
            if post:
                self._post_cursor()

    def _post_cursor(self) -> None:
        self.post_message(CursorMoved(self.current))

    def move_to(self, index: int) -> None:
        """Move the cursor (scrolling it into view) without waiting for the store. A kept
        row (:class:`KeptRow`) goes as the cursor leaves it: ``index`` counts it."""
        was = self._drop_kept()
        if was is not None and index > was:
            index -= 1
        if not self.total:
            if was is not None:
                self._set_cursor(0, force=True)
            return
        index = max(0, min(index, self.total - 1))
        self._set_cursor(index, force=was is not None)
        self.scroll_cursor_visible()
        if self.row_at(index) is None:
            self._want_index = index
            self.run_worker(deferred(self._far_cursor, index), group="queue-far", exclusive=True)
        else:
            self._maybe_extend()

    async def _far_cursor(self, index: int) -> None:
        if index >= self.total - 1:
            await self._load_last()
        else:
            await self._load_index(index)
        self._set_cursor(min(index, self.total - 1), force=True)
        self._changed()

    def move(self, delta: int) -> None:
        """Move the cursor by ``delta`` rows."""
        self.move_to(self.cursor + delta)

    def first(self) -> None:
        """To the newest row."""
        if self._at_top and self.base == 0 and self.rows:
            self.move_to(0)
        else:
            self.run_worker(deferred(self._reload_top), group="queue-far", exclusive=True)

    async def _reload_top(self) -> None:
        await self.load()
        self.scroll_to(y=0, animate=False, immediate=True)

    def last(self) -> None:
        """To the oldest row."""
        if self.total and self._at_end:
            self.move_to(self.total - 1)
        else:
            self.run_worker(deferred(self._goto_last), group="queue-far", exclusive=True)

    async def _goto_last(self) -> None:
        await self._load_last()
        self._set_cursor(self.total - 1, force=True)
        self._changed()
        self.scroll_cursor_visible()

    def page(self, direction: int) -> None:
        """A screenful down (1) or up (-1)."""
        self.move(direction * max(self.size.height - 1, 1))

    def scroll_cursor_visible(self) -> None:
        height = self.size.height or 1
        y = int(self.scroll_y)
        if self.cursor < y:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= y + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def toggle_mark(self) -> None:
        """Mark or unmark the response under the cursor, then go to the next."""
        row = self.current
        if row is None or row.response.id is None:
            return
        rid = row.response.id
        if rid in self.marked:
            self.marked.discard(rid)
            self.mark_versions.pop(rid, None)
        else:
            self.marked.add(rid)
            self.mark_versions[rid] = self.seen_of(row)  # as the moderator sees it now
        self.refresh_line(self.cursor)
        self.post_message(QueueChanged(self.total))
        self.move(1)

    def clear_marks(self) -> None:
        """Forget all marks (after an action on them)."""
        self.pile_rows.clear()
        self.mark_versions.clear()
        if self.marked:
            self.marked.clear()
            self._strips.clear()
            self.refresh()

    # -- drawing ------------------------------------------------------------------------
    def _changed(self, *, cursor: bool = True) -> None:
        if self.marked:
            # A marked row in the window is seen as it is drawn now (not the kept row:
            # what was seen of it is the version before it left the list).
            kept = self.kept.id if self.kept is not None else None
            for row in self.rows:
                rid = row.response.id
                if rid in self.marked and rid != kept and rid is not None:
                    self.mark_versions[rid] = row.version
        self._set_virtual_height(self.total)
        self.refresh()
        if cursor:
            self._post_cursor()
        self.post_message(QueueChanged(self.total))

    def _set_virtual_height(self, rows: int) -> None:
        """Set the scrollable height (the row count) without a layout of the screen.

        Assigning ``virtual_size`` lays out every widget on the screen (about 4 ms with
        the footer and the response view), yet only the scrollbar depends on it here:
        the vertical one always shows (``overflow-y: scroll``), there is no horizontal
        one. So after an action the count changes as ScrollView itself applies a size:
        the scrollbar gets the new extent, nothing moves."""
        size = Size(self.size.width, rows)
        if size == self.virtual_size:
            return
        if not self.size or self.virtual_size.width != size.width:
            self.virtual_size = size
            return
        self.set_reactive(QueueList.virtual_size, size)
        self._scroll_update(size)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.total)
        self._strips.clear()
        self._maybe_extend()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._maybe_extend()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def drafted(self, response_id: int | None) -> bool:
        """Whether the moderator kept a reply or note for the response as a draft."""
        return any(k.response_id == response_id for k in self.drafts or ())

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        # Without the scrollbar: a row's last cell (its "…") would be drawn under it.
        width = self.scrollable_content_region.width
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index)
        marked = row is not None and row.response.id in self.marked
        is_cursor = index == self.cursor
        kept = self.kept if self.is_kept(row) else None
        label = kept.labels if kept is not None else None
        drafted = row is not None and self.drafted(row.response.id)
        key = (row.response.id if row else None, marked, is_cursor, width, label, drafted)
        cached = self._strips.get(key)
        if cached is not None and cached[0] is row:
            return cached[1]
        strip = self._render_row(row, width, marked, is_cursor, label)
        self._strips[key] = (row, strip)
        return strip

    def _render_row(
        self,
        row: QueueRow | None,
        width: int,
        marked: bool,
        cursor: bool,
        kept: tuple[str, ...] | None = None,
    ) -> Strip:
        """One row in ``width`` cells; ``kept``: the row is the kept one (``×``), with
        who changed it and how ("anna: spam", "" while not known) first in its text."""
        base = self.rich_style
        if row is None:
            style = base + self._style("queue--placeholder")
            return Strip([Segment(set_cell_size(" …", width), style)], width)
        r = row.response
        if cursor:
            base = base + self._style("queue--cursor")
        elif marked:
            base = base + self._style("queue--marked")
        dim = base + self._style("queue--handled") if r.triage is TriageState.HANDLED else base
        segments: list[Segment] = []
        used = 0
        busy = busy_by(row, self.actor)
        for key, w in self.columns(width):
            style = dim
            if key == "mark":
                text = row_marks(
                    cursor=cursor,
                    marked=marked,
                    new=r.triage is TriageState.NEW,
                    kept=kept is not None,
                )
            elif key == "col.time":
                show = format_time if w > WIDTH else format_time_short
                text = show(r.created_at, self.tz, self.clock())
            elif key == "col.source":
                text = one_line(r.source, limit=40)
            elif key == "col.author":
                text = one_line(r.author_name, limit=60)
            elif key == "col.role":
                text = self.role_text(row.role, w - 1) if row.role else ""
            elif key == "col.questions":
                text = ",".join(row.questions)
            else:  # status, with the write-back state and the platform's reports
                text = self.i18n.status(r.remote_status)
                if r.reports:
                    text = f"{REPORTED_MARK}{r.reports} {text}"
                state = row.outbox_state
                text = write_back_mark(state) + text
                if state in UNDONE_STATES:
                    style = dim + self._style("queue--conflict")
                elif state == OutboxState.PENDING.value:
                    style = dim + self._style("queue--pending")
            cell = _cell(text, w)
            if key == "mark" and busy is not None:
                cell = cell[: w - 1] + BUSY_MARK
            segments.append(Segment(cell, style))
            used += w
        rest = width - used
        if rest > 0:
            text = one_line(r.body_text, limit=max(rest * 2, 40))
            if not text:
                text = "∅"
            if row.flags:
                # Why it is in the Flagged queue, before the words (the view has both).
                text = flag_label(row.flags) + " · " + text
            if self.drafted(r.id):
                # A reply or note kept for it (it comes back when opened with r or n):
                # first, or alone where the text has too few cells for a word of its own
                # after it (below the supported 60 columns).
                text = _before(self.i18n.t("row.draft"), text, rest)
            if busy is not None:
                # First in the text, in words (they read without colour); where the text
                # has too few cells for "bezig: Naam" (a long name at 60 columns), the
                # name alone: the mark column's pencil already says "busy".
                name = one_line(busy.actor, limit=40)
                label = self.i18n.t("claim.busy", name=name)
                text = _before(label if cell_len(label) + 4 <= rest else name, text, rest)
            if kept:
                # Who took it out of the list and how, first: it is not in the list now
                # (where the text has few cells, that alone, in the shortest words when
                # the longest do not fit).
                label = next((k for k in kept if cell_len(k) <= rest), kept[-1])
                text = _before(label, text, rest)
            segments.append(Segment(set_cell_size(shorten(text, rest), rest), dim))
        return Strip(segments, width)

    def header_text(self, width: int) -> str:
        """The column titles for ``width`` cells (drawn above the list, as wide as it):
        laid out as the rows are, beside the scrollbar, so that each title stands over
        its column."""
        rows = max(width - SCROLLBAR, 0)
        parts = []
        used = 0
        for key, w in self.columns(rows):
            parts.append(_cell("" if key == "mark" else self.i18n.t(key), w))
            used += w
        if width - used > 0:
            parts.append(set_cell_size(self.i18n.t("col.text"), width - used))
        text = "".join(parts)
        return text if cell_len(text) <= width else set_cell_size(text, width)
