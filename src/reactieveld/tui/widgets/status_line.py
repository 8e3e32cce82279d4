"""The header line: per-source sync state, pending write-backs, marks, filter; and the
queue tabs with their live counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from reactieveld.i18n import I18n, number
from reactieveld.model import utcnow
from reactieveld.text import one_line, shorten
from reactieveld.tui.queues import QUEUES
from reactieveld.tui.times import format_date_time, format_hour

#: The most characters of a source's name, and of a syncing process's, the line shows.
NAME_LIMIT = 30


@dataclass(frozen=True)
class SourceStatus:
    """What the header shows for one source."""

    name: str
    #: unread (not yet known: the app's first check has not said who syncs it) | ok |
    #: syncing | error | elsewhere (another process holds the source's sync lock:
    #: ``error`` and ``last_success`` are then what that process stored) | stored (a
    #: source this app does not sync and the store names no process for: its stored
    #: ``error`` and ``last_success`` alone)
    state: str = "ok"
    error: str | None = None
    next_try: datetime | None = None
    last_success: datetime | None = None
    #: With ``elsewhere``: the name the syncing process stored ("anna sync"), if any.
    by: str | None = None
    #: With ``ok`` and ``error`` (this app's own rounds): the number of the round shown
    #: (``SourceState.recorded_round``'s numbering), to tell a newer one in the store.
    round_no: int | None = None


def stored_status(state: Any, shown: str) -> SourceStatus:
    """A source as the store holds it (its ``SourceState``), for a source another
    process syncs: ``shown`` is ``elsewhere`` or ``stored``."""
    return SourceStatus(
        state.name,
        shown,
        error=state.last_error,
        next_try=state.next_try,
        last_success=state.last_success,
        by=state.synced_by,
    )


def newer_round(before: SourceStatus | None, state: Any, by: str | None) -> SourceStatus | None:
    """What the header shows for one of this app's own sources when the store (its
    ``SourceState``) holds a round newer than the one ``before`` shows: another process
    (another window, a ``sync``) began it later, and the store kept its end (its
    ``recorded_round`` is higher; the store's own rule, store/sources.py); None when the
    store holds none newer, and this window's own state stands. It is said as the
    engine's next round will take it: "synced by" while that process syncs the source
    (:func:`reactieveld.sync.synced_elsewhere`), else as a state of this window's own
    (its error as a word: the text is that process's to report)."""
    if before is None or before.state not in ("ok", "error") or state is None:
        return None
    stored = state.recorded_round
    if stored is None or (before.round_no is not None and stored <= before.round_no):
        return None
    from reactieveld.sync import synced_elsewhere  # the engine's modules: only with one

    if synced_elsewhere(state, by):
        return stored_status(state, "elsewhere")
    said = "ok" if state.last_error is None else "error"
    return SourceStatus(
        before.name,
        said,
        error=state.last_error,
        last_success=state.last_success,
        round_no=stored,
    )


class StatusLine(Static):
    """``demo ok · blog error (retry at 13:05) · forum synced elsewhere (last 13:02) │
    outbox: 2 │ marked: 3``."""

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; background: $panel; }
    """

    def __init__(
        self,
        *,
        i18n: I18n,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utcnow,
        id: str | None = None,
    ) -> None:
        """``clock``: the app's, that says which day is today."""
        super().__init__("", id=id, markup=False)
        self.i18n = i18n
        self.tz = tz
        self.clock = clock
        self.sources: Sequence[SourceStatus] = ()
        self.outbox_pending = 0
        self.outbox_conflicts = 0
        self.marked = 0
        self.filter_text = ""

    def redraw(self) -> None:
        """Draw the current values."""
        self.update(self.render_content())

    def on_resize(self) -> None:
        # Where the names give way depends on the width.
        self.redraw()

    def _read_only(self) -> bool:
        try:
            return bool(getattr(self.app, "read_only", False))
        except Exception:  # noqa: BLE001 - drawn outside an app (a unit test): not read-only
            return False

    def _unreachable(self) -> bool:
        try:
            return bool(getattr(self.app, "memory_unreachable", False))
        except Exception:  # noqa: BLE001 - drawn outside an app (a unit test): reachable
            return False

    def render_content(self, width: int | None = None) -> Content:
        """The line in ``width`` cells (default: the widget's width, once laid out).
        Where it is longer, the names give way, cut with "…": the syncing processes'
        first, then the sources'; the state words and times stay on the line (Dutch,
        an error and an older day at 80 columns). Where even the shortest names leave
        it longer (three sources synced by a service, in Dutch), it goes on on a next line
        (three at most) between two sources, the names as whole as the fewest lines
        allow: no source's state is cut away."""
        width = width or self.size.width
        # Room for the whole of each name (30 characters; wide ones take two cells).
        by_room = max((cell_len(one_line(s.by, limit=NAME_LIMIT)) for s in self.sources), default=0)
        name_room = max(
            (cell_len(one_line(s.name, limit=NAME_LIMIT)) for s in self.sources), default=0
        )
        if not width:
            return _joined(self._pieces(by_room, name_room))
        for lines in (1, 2, 3):  # StatusLine's max-height
            by, name = by_room, name_room
            shown = _wrapped(self._pieces(by, name), width)
            while not _fits(shown, width, lines) and (by > 2 or name > 4):
                if by > 2:
                    by -= 1
                else:
                    name -= 1
                shown = _wrapped(self._pieces(by, name), width)
            if _fits(shown, width, lines):
                break
        return shown

    def _pieces(self, by_room: int, name_room: int) -> list[tuple[str, Content]]:
        """The line's pieces, each with the separator before it (" · " between sources,
        " │ " between kinds), each syncing process's name in ``by_room`` cells and each
        source's in ``name_room``."""
        t = self.i18n.t
        pieces: list[tuple[str, list[str | tuple[str, str]]]] = []
        unreachable = self._unreachable()
        if unreachable:  # in characters, first: no source's state is known meanwhile
            pieces.append((" │ ", [(t("hdr.unreachable"), "bold reverse")]))
        if self._read_only():  # said first: it explains the greyed-out keys
            pieces.append((" │ ", [(t("ro.header"), "bold reverse")]))
        if not self.sources:
            pieces.append((" │ ", [(t("hdr.no_sources"), "dim")]))
        for i, s in enumerate(self.sources):
            parts: list[str | tuple[str, str]] = [
                (shorten(one_line(s.name, limit=NAME_LIMIT), name_room, words=False), "bold"),
                " ",
            ]
            if s.state == "error":
                parts.append((t("hdr.error"), "bold red"))
                if s.next_try is not None:
                    when = format_hour(s.next_try, self.tz)
                    parts.append(" (" + t("hdr.retry", time=when) + ")")
            elif s.state == "syncing":
                parts.append((t("hdr.syncing"), "yellow"))
            elif s.state == "elsewhere":
                parts += self._elsewhere(s, by_room)
            elif s.state == "stored":
                parts += self._last(s, never="hdr.never_synced")
            elif unreachable:
                parts.append((t("hdr.unknown"), "dim"))
            elif s.state == "unread":
                parts.append((t("hdr.not_read"), "dim"))
            else:
                parts.append((t("hdr.ok"), "green"))
            pieces.append((" · " if i else " │ ", parts))
        if self.outbox_pending:
            pieces.append((" │ ", [t("hdr.outbox", n=self.outbox_pending)]))
        if self.outbox_conflicts:
            pieces.append((" │ ", [(t("hdr.conflicts", n=self.outbox_conflicts), "bold red")]))
        if self.marked:
            pieces.append((" │ ", [(t("hdr.marked", n=self.marked), "bold")]))
        if self.filter_text:
            pieces.append((" │ ", [t("hdr.filter", text=one_line(self.filter_text, limit=60))]))
        return [
            (sep if n else "", Content.assemble(*parts)) for n, (sep, parts) in enumerate(pieces)
        ]

    def _elsewhere(self, s: SourceStatus, room: int) -> list[str | tuple[str, str]]:
        """``synced by anna sync (error, last 13:02)`` (``synced elsewhere`` when that
        process gave no name), the name in ``room`` cells: the state the syncing process
        stored; its error is said as a word here, its text is that process's to report."""
        t = self.i18n.t
        by = shorten(one_line(s.by, limit=NAME_LIMIT), room, words=False)
        said = t("hdr.synced_by", name=by) if by else t("hdr.elsewhere")
        return [(said, "cyan"), " ", *self._last(s)]

    def _last(self, s: SourceStatus, never: str = "hdr.never") -> list[str | tuple[str, str]]:
        """``(error, last 13:02)``: the source's stored state, as the store holds it;
        ``never``: what a source never synced says."""
        t = self.i18n.t
        out: list[str | tuple[str, str]] = ["("]
        if s.error:
            out += [(t("hdr.error"), "bold red"), ", "]
        if s.last_success is None:
            out.append(t(never))
        else:
            # The hour alone today; another day with its date and year, as the
            # response view shows a time (tui/times.py).
            today = self.clock().astimezone(self.tz).date()
            if s.last_success.astimezone(self.tz).date() == today:
                when = format_hour(s.last_success, self.tz)
            else:
                when = format_date_time(s.last_success, self.tz)
            out.append(t("hdr.last", time=when))
        out.append(")")
        return out


def _joined(pieces: Sequence[tuple[str, Content]]) -> Content:
    """The pieces on one line, each after its separator."""
    return Content.assemble(*(x for sep, piece in pieces for x in (sep, piece)))


def _fits(shown: Content, width: int, lines: int) -> bool:
    """Whether ``shown`` takes at most ``lines`` lines, none wider than ``width``."""
    rows = shown.split("\n")
    return len(rows) <= lines and all(row.cell_length <= width for row in rows)


def _wrapped(pieces: Sequence[tuple[str, Content]], width: int) -> Content:
    """The pieces on as many lines of ``width`` cells as they take, a new line instead
    of the separator where the next piece does not fit (a piece wider than the line is
    cut, as Textual would)."""
    lines: list[Content] = []
    for sep, piece in pieces:
        longer = Content.assemble(lines[-1], sep, piece) if lines else piece
        if lines and longer.cell_length <= width:
            lines[-1] = longer
        else:
            lines.append(piece)
    return Content("\n").join(lines)


class QueueTabs(Static):
    """``Nieuw 12 │ In afwachting 3 │ …`` with the current queue highlighted.

    ``filtered``: the counts are those of the filter dialog's choice (the header line
    says which); a dim "gefilterd" after the tabs says so where it fits, and a tab not
    counted yet under that filter shows "…" instead of a store-wide number."""

    DEFAULT_CSS = """
    QueueTabs { height: 1; }
    """

    def __init__(self, *, i18n: I18n, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.i18n = i18n
        self.active = "new"
        self.counts: Mapping[str, int] = {}
        self.filtered = False
        #: The tabs shown: the queues, and Reported where a platform reports flags.
        self.names: tuple[str, ...] = QUEUES

    def redraw(self) -> None:
        """Draw the tabs with the current counts."""
        self.update(self.render_content())

    def on_resize(self) -> None:
        # Long or short names: the width decides.
        self.redraw()

    def render_content(self, width: int | None = None) -> Content:
        """The tabs in ``width`` cells (default: the widget's width, once laid out).
        Where the tabs' names do not fit (80 columns, seven or eight tabs), their short
        names without the air around them; where the current one would still end past
        the line, the first tabs give way to "‹" until it is on the line, and the last
        ones to "›" until the line ends with a whole tab."""
        width = width or self.size.width
        tabs = self._tabs(short=False)
        if width and tabs.cell_length > width:
            tabs = self._tabs(short=True)
            at = self.names.index(self.active) if self.active in self.names else 0
            first = 0
            # The current tab ends at its "]" (no tab's name has a bracket), and a "│›"
            # follows it where tabs come after it.
            more = cell_len("│›") if at < len(self.names) - 1 else 0
            while cell_len(tabs.plain[: tabs.plain.find("]") + 1]) + more > width and first < at:
                first += 1
                tabs = self._tabs(short=True, first=first)
            # The tabs after it that would run past the line's end give way to "›": a
            # name cut at the edge ("Verschil" of "Verschil 3") would hide its count.
            end = len(self.names)
            while tabs.cell_length > width and end > at + 1:
                end -= 1
                tabs = self._tabs(short=True, first=first, end=end)
        if not self.filtered:
            return tabs
        note = Content.styled("  " + self.i18n.t("tabs.filtered"), "dim")
        # Seven-digit counts fill a Dutch line: then the header line's filter says it.
        return tabs if width and tabs.cell_length + note.cell_length > width else tabs + note

    def _tabs(self, *, short: bool, first: int = 0, end: int | None = None) -> Content:
        """The tabs from the ``first`` on (those before it as one "‹") up to ``end`` (those
        from it on as one "›")."""
        parts: list[str | tuple[str, str]] = [("‹", "dim")] if first else []
        air = "" if short else " "
        for i, name in enumerate(self.names[first:end]):
            if i or first:
                parts.append(("│", "dim"))
            count = self.counts.get(name)
            label = air + self.i18n.t(("queue.short." if short else "queue.") + name)
            if count is not None:
                label += " " + number(count, self.i18n.language) + air
            else:
                label += " …" + air if self.filtered else air
            if name == self.active:
                # Brackets around it (in the places of the spaces, where there are): the
                # current tab reads without colour (reverse alone is lost in a plain copy).
                label = "[" + label[len(air) : len(label) - len(air)] + "]"
            parts.append((label, "reverse bold" if name == self.active else ""))
        if end is not None and end < len(self.names):
            parts.append(("│›", "dim"))
        return Content.assemble(*parts)
