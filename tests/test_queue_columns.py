"""The queue's columns over generated widths (60..200) and rows with long names, roles and
every state: the words of the comment get at least 30 cells from 80 columns on (more at
100), each row is exactly as wide as the list, every state still shows in characters,
and the column titles stand over their columns (beside the scrollbar, as the rows are).

Drawn through the widget's own ``_render_row`` and ``header_text``, without an app (a few
milliseconds a row); the screens at 80x24 are in the snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpers.app import cells_from
from helpers.plainqueue import PlainQueue
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.i18n import I18n
from reactieveld.model import OutboxState, RemoteStatus, Response, TriageState
from reactieveld.store.base import Claim, QueueRow
from reactieveld.tui.times import format_time, format_time_short
from reactieveld.tui.widgets.queue_list import (
    BUSY_MARK,
    FLAGGED_MARK,
    KEPT_MARK,
    REPORTED_MARK,
    SCROLLBAR,
    ViewContext,
    visible_columns,
)

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


class Drafted:
    def __init__(self, response_id: int) -> None:
        self.response_id = response_id


def queue(language: str, drafted: bool) -> PlainQueue:
    drafts = [Drafted(1)] if drafted else []
    context = ViewContext(I18n(language), DEFAULT_CODEBOOK, UTC, "me", lambda: NOW, drafts)
    return PlainQueue(store=None, context=context)


names = st.text(alphabet=st.characters(categories=("L", "Zs")), min_size=1, max_size=60).map(
    lambda s: " ".join(s.split()) or "x"
)
rows = st.builds(
    lambda name, body, role, status, triage, reports, outbox, claim, flags, ago, source: QueueRow(
        Response(
            source=source,
            external_id="c1",
            thread_external_id="t",
            author_name=name,
            body_text=body,
            created_at=NOW - ago,
            remote_status=status,
            meta={"reports": reports},
            id=1,
            triage=triage,
        ),
        None,
        ("1", "3", "8"),
        role,
        outbox,
        claim=Claim(claim, NOW + timedelta(minutes=5)) if claim else None,
        flags=flags,
    ),
    names,
    st.text(min_size=0, max_size=300),
    st.sampled_from([None, *(r.code for r in DEFAULT_CODEBOOK.roles)]),
    st.sampled_from(list(RemoteStatus)),
    st.sampled_from(list(TriageState)),
    st.integers(0, 120),
    st.sampled_from([None, *(s.value for s in OutboxState)]),
    st.one_of(st.none(), names),
    st.lists(names, max_size=3).map(tuple),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=900)),
    st.sampled_from(["blog", "demo", "Gemeente Blaricum participatieplatform"]),
)


def text_cells(width: int) -> int:
    """The cells the comment's words get in a list ``width`` cells wide (the screen's)."""
    row = width - SCROLLBAR
    return row - sum(w for _, w in visible_columns(row))


@given(st.integers(min_value=60, max_value=200))
def test_the_words_get_30_cells_from_80_columns_and_more_at_100(width: int) -> None:
    cells = text_cells(width)
    assert cells >= (30 if width >= 80 else 20), (width, visible_columns(width - SCROLLBAR))
    if width >= 100:
        assert cells > text_cells(80)
    keys = {key for key, _ in visible_columns(width - SCROLLBAR)}
    # What a moderator triages by stays at every supported width.
    assert {"mark", "col.time", "col.author", "col.status"} <= keys
    if width >= 80:
        assert "col.role" in keys and "col.source" in keys
    if width >= 100:
        assert "col.questions" in keys


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(min_value=60, max_value=200),
    row=rows,
    language=st.sampled_from(["nl", "en"]),
    cursor=st.booleans(),
    marked=st.booleans(),
    drafted=st.booleans(),
    kept=st.one_of(st.none(), st.just(("anna: spam", "spam"))),
    source=st.booleans(),
)
def test_every_row_fills_the_width_keeps_its_states_and_its_titles_above(
    width: int,
    row: QueueRow,
    language: str,
    cursor: bool,
    marked: bool,
    drafted: bool,
    kept: tuple[str, ...] | None,
    source: bool,
) -> None:
    q = queue(language, drafted)
    q.source_column = source  # False: the memory holds one source
    inner = width - SCROLLBAR
    line = "".join(seg.text for seg in q._render_row(row, inner, marked, cursor, kept))
    assert cell_len(line) == inner, (line, inner)

    # The titles start where the cells start (the header is as wide as the screen).
    header = q.header_text(width)
    assert cell_len(header) == width
    starts, at = {}, 0
    for key, w in visible_columns(inner, source=source):
        starts[key] = at
        at += w
    starts["col.text"] = at
    for key, start in starts.items():
        if key == "mark":
            continue
        title = q.i18n.t(key)
        assert cells_from(header, start).startswith(title[:1]), (key, header)
        assert cells_from(header, start - 1).startswith(" "), (key, header)

    # Every state in characters.
    r = row.response
    assert line[0] == ("▶" if cursor else " ")
    assert line[1] == ("✱" if marked else " ")
    assert line[2] == (KEPT_MARK if kept else "•" if r.triage is TriageState.NEW else " ")
    busy = row.claim is not None
    assert (line[3] == BUSY_MARK) == busy
    columns = dict(visible_columns(inner, source=source))
    time = cells_from(line, starts["col.time"])[: columns["col.time"] - 1]
    if columns["col.time"] > 11:
        assert time == format_time(r.created_at, UTC, NOW)
    else:
        assert time == format_time_short(r.created_at, UTC, NOW)
    status = cells_from(line, starts["col.status"])
    if r.reports:
        assert REPORTED_MARK in status[:12]
    if row.outbox_state in (OutboxState.CONFLICT.value, OutboxState.FAILED.value):
        assert status.startswith("! ")
    elif row.outbox_state == OutboxState.PENDING.value:
        assert status.startswith("↻ ")
    words = cells_from(line, starts["col.text"])
    if kept:
        assert words.startswith(("anna: spam", "spam"))
    elif busy:
        assert words.startswith(q.i18n.t("claim.busy", name="")[:3]) or words.startswith(
            row.claim.actor[:1]  # type: ignore[union-attr]
        )
    elif drafted:
        assert words.startswith(q.i18n.t("row.draft"))
    elif row.flags:
        assert words.startswith(FLAGGED_MARK)


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(60, 120),
    name=names,
    body=st.text(st.sampled_from("ab Gemeenteraadsvergadering ."), min_size=1, max_size=80),
    language=st.sampled_from(["nl", "en"]),
    drafted=st.booleans(),
)
def test_a_claim_or_draft_label_never_ends_in_a_bare_dot(
    width: int, name: str, body: str, language: str, drafted: bool
) -> None:
    """Another moderator's claim ("bezig: Naam") or a kept draft first in the words: a
    few words after it, or the label alone; never "bezig: Anna de Wit ·…" (at 60
    columns: the dot and the ellipsis with nothing between)."""
    q = queue(language, drafted)
    r = Response(
        source="blog",
        external_id="c1",
        thread_external_id="t",
        author_name="Pieter van Dam",
        body_text=body,
        created_at=NOW,
        remote_status=RemoteStatus.APPROVED,
        id=1,
    )
    row = QueueRow(r, None, (), None, None, claim=Claim(name, NOW + timedelta(minutes=5)))
    inner = width - SCROLLBAR
    line = "".join(seg.text for seg in q._render_row(row, inner, False, False, None))
    start = sum(w for _, w in visible_columns(inner))
    words = cells_from(line, start).rstrip()
    assert not words.endswith("·…") and not words.endswith("·"), words
