"""Readable without colour, usable at 80x24 (issue 11).

Every test here reads the screen as plain characters (the compositor's strips without
their styles): what a monochrome terminal, ``NO_COLOR`` or a copy of the screen shows.
The selected row, a marked row, a new row, a marked new row, the active tab, a tag and
each switch's state must differ there, in Dutch and English, in the default theme and in
Textual's ``ansi-dark``/``ansi-light``.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.app import SMALL, app_with, ready, screen_text, settled
from helpers.data import T0, fill_store, sample_responses
from textual.widgets import Button, Input, Select
from textual.widgets._toast import Toast

from reactieveld.model import Capability, Response
from reactieveld.store.base import QueueFilter
from reactieveld.tui.screens.export import ExportScreen, report_path
from reactieveld.tui.screens.filters import FilterScreen
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.widgets.footer import footer_order
from reactieveld.tui.widgets.response_view import ResponseView
from reactieveld.tui.widgets.toggles import CharCheckbox

pytestmark = pytest.mark.usefixtures("tui_env")


WORDS = {
    "nl": {"untagged": "Alleen zonder vraaglabel", "personal": "Persoonsgegevens opnemen"},
    "en": {"untagged": "Only without a question tag", "personal": "Include personal data"},
}


def row_line(lines: list[str], index: int) -> str:
    """The screen line of the queue's row ``index`` (the list scrolled to its top): at
    80 columns a row shows its time's short form, a date many rows share."""
    [header] = [n for n, line in enumerate(lines) if line.split()[:1] in (["Tijd"], ["Time"])]
    return lines[header + 1 + index]


@pytest.mark.parametrize("theme", [None, "ansi-dark", "ansi-light"])
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_row_states_tabs_and_tags_differ_in_plain_text(tui_store, no_color, language, theme):
    rows = await tui_store.queue(QueueFilter())
    ids = [r.response.id for r in rows]
    # Rows 2 and 3 handled (not new); row 0 gets question 2.
    await tui_store.mark_handled([ids[2], ids[3]], actor="t")
    await tui_store.toggle_question([ids[0]], "2", actor="t")
    app = app_with(tui_store, language, theme)
    async with app.run_test(size=SMALL) as pilot:
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await screen.queue.loaded.wait()
        await screen.show_queue("all")
        await settled(pilot)
        # Marks: row 3 (handled) and row 1 (new); then the cursor back to row 0.
        await pilot.press("j", "j", "j", "space")
        await pilot.press("k", "k", "k", "space", "g")
        await settled(pilot)
        assert screen.queue.cursor == 0 and screen.queue.marked == {ids[1], ids[3]}
        lines = screen_text(app)
        prefixes = [row_line(lines, i)[:3] for i in range(5)]
        assert prefixes == [
            "▶ •",  # the cursor, on a new row
            " ✱•",  # marked and new: both show
            "   ",  # handled, not marked
            " ✱ ",  # marked, handled
            "  •",  # new
        ]
        # The active tab in brackets, the others not.
        tabs = next(line for line in lines if "│" in line and "30" in line)
        all_tab = "Alles" if language == "nl" else "All"
        assert f"[{all_tab} 30]" in tabs and tabs.count("[") == 1
        # The tag bar: question 2 has a check, question 1 none.
        tag_line = next(line for line in lines if line.startswith("1 "))
        assert "2✓" in tag_line and "1✓" not in tag_line
        # The footer says how to get help, at 80 columns, in either language.
        footer = lines[-1]
        assert footer.startswith("? Help")
        assert ("q Stoppen" if language == "nl" else "q Quit") in footer


@pytest.mark.parametrize("theme", [None, "ansi-dark", "ansi-light"])
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_switches_differ_in_plain_text(tui_store, no_color, language, theme):
    words = WORDS[language]
    app = app_with(tui_store, language, theme)
    async with app.run_test(size=SMALL) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        # The filter dialog's checkbox, off then on.
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        box = app.screen.query_one("#filter-untagged", CharCheckbox)
        assert f"[ ] {words['untagged']}" in "\n".join(screen_text(app))
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.value is True
        assert f"▸[x] {words['untagged']}" in "\n".join(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        # The export dialog: the chosen format, the queue box and personal data.
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        text = "\n".join(screen_text(app))
        assert "(•) Markdown" in text and "( ) CSV" in text and "( ) JSON Lines" in text
        assert f"[ ] {words['personal']}" in text
        warning = "Let op:" if language == "nl" else "Warning:"
        assert warning not in text
        await pilot.press("down", "enter")  # CSV
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert "( ) Markdown" in text and "(•) CSV" in text
        dialog.query_one("#export-personal", CharCheckbox).focus()
        await pilot.press("space")
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert f"▸[x] {words['personal']}" in text
        # Personal data on is said in words as well, on its own line.
        assert any(line.strip("█ ").startswith(warning) for line in screen_text(app))


async def test_greyed_keys_read_as_such_in_the_footer(tui_store, no_color):
    class ReadOnly:
        capabilities = frozenset({Capability.REPLY})
        unsupported_reasons = {Capability.APPROVE: "read-only API"}

    app = app_with(tui_store, "en", None, connectors={"blog": ReadOnly()})
    async with app.run_test(size=SMALL) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        footer = screen_text(app)[-1]
        assert footer.startswith("? Help q Quit")
        assert "a ✗Approve" in footer and "x Handled" in footer and "✗Handled" not in footer
        # The view names the source once (its first line), not again with the reason.
        view = app.screen.query_one("#response").render_content().plain
        assert "Not possible: read-only API" in view.splitlines(), view
        assert view.count("  blog  ") == 1 and "on blog" not in view


def test_footer_order_puts_help_back_and_quit_first():
    from textual.binding import Binding

    bindings = [
        (Binding("a", "moderate('approved')", "Approve"), True, ""),
        (Binding("j", "cursor_down", "Down", show=False), True, ""),
        (Binding("q", "quit", "Quit"), True, ""),
        (Binding("escape", "back", "Back"), True, ""),
        (Binding("question_mark", "help", "Help"), True, ""),
        (Binding("x", "handled", "Handled"), False, ""),
    ]
    order = ["question_mark", "escape", "q", "a", "x"]
    assert [b.key for b, _, _ in footer_order(bindings)] == order


async def test_J_scrolls_the_response_to_its_last_line(tmp_path: Path, tui_env, no_color):
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        body = "\n".join(f"Regel {n} van een lange reactie." for n in range(1, 61))
        responses, threads = sample_responses(count=3)
        long = Response(
            source="blog",
            external_id="long",
            thread_external_id="post-0",
            author_name="Lange Lotte",
            body_text=body,
            created_at=T0 + timedelta(minutes=5),
        )
        await fill_store(store, "blog", [*responses, long], threads)
        [row] = await store.queue(QueueFilter(), limit=1)
        await store.add_note(row.response.id, "Laatste notitie onderaan", actor="t")
        app = app_with(store, "nl", None)
        async with app.run_test(size=SMALL) as pilot:
            await app.screen.queue.loaded.wait()
            await settled(pilot)
            view = app.screen.query_one(ResponseView)
            assert view.row is not None and view.row.response.external_id == "long"
            assert view.max_scroll_y > 0
            assert "Laatste notitie onderaan" not in "\n".join(screen_text(app))
            for _ in range(30):
                if view.scroll_y >= view.max_scroll_y:
                    break
                await pilot.press("J")
                await pilot.pause()
            assert view.scroll_y == view.max_scroll_y
            assert "Laatste notitie onderaan" in "\n".join(screen_text(app))
            assert app.screen.queue.cursor == 0  # the queue kept its place
            for _ in range(30):
                if view.scroll_y == 0:
                    break
                await pilot.press("K")
                await pilot.pause()
            assert view.scroll_y == 0
            assert "Regel 1 van" in "\n".join(screen_text(app))
    finally:
        await store.close()


def inside(outer: Any, inner: Any) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
        and inner.area > 0
    )


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_dialog_titles_and_buttons_are_on_an_80x24_screen(
    tui_store, tmp_path, monkeypatch, language
):
    monkeypatch.chdir(tmp_path)
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        for key in ("f", "E"):
            await pilot.press(key)
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, FilterScreen | ExportScreen)
            if isinstance(dialog, ExportScreen):
                # The tallest state: personal data on (a warning line) and an
                # overwrite question (another).
                dialog.query_one("#export-personal", CharCheckbox).value = True
                existing = tmp_path / "er-is-al.md"
                existing.write_text("x", encoding="utf-8")
                dialog.query_one("#export-path", Input).value = str(existing)
                await pilot.press("ctrl+s")
                await pilot.pause()
                assert dialog.query_one("#export-go", Button).label.plain in (
                    "Overschrijven",
                    "Overwrite",
                )
            screen_region = dialog.region
            box = dialog.query_one(".dialog")
            assert box.scroll_y == 0  # nothing of it scrolled away
            title = dialog.query_one(".dialog-title")
            for widget in [title, box, *dialog.query(Button)]:
                assert inside(screen_region, widget.region), widget
                assert inside(box.region, widget.region) or widget is box, widget
            # A notice goes below the dialog, never over its text or border.
            app.notify("Een melding die lang genoeg is om te laten zien waar hij staat. " * 2)
            await pilot.pause()
            await pilot.pause()
            toasts = list(dialog.query(Toast))
            assert toasts
            for toast in toasts:
                assert not toast.region.overlaps(box.region), (toast.region, box.region)
                assert inside(screen_region, toast.region), toast.region
            app.clear_notifications()
            await pilot.press("escape")
            await pilot.pause()


async def test_export_asks_before_overwriting_and_default_names_never_collide(
    tui_store, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = app_with(tui_store, "en", None)
    async with app.run_test(size=SMALL) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-path", Input)
        existing = tmp_path / "rapport.md"
        existing.write_text("the moderator's own notes", encoding="utf-8")
        box.value = str(existing)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is dialog  # asked, not written
        assert existing.read_text(encoding="utf-8") == "the moderator's own notes"
        assert "exists" in str(dialog.query_one("#export-error").render())
        # Another name withdraws the question; the first name asks again.
        box.value = str(tmp_path / "other.md")
        await pilot.pause()
        assert dialog.query_one("#export-go", Button).label.plain == "Export"
        box.value = str(existing)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is dialog
        await pilot.press("ctrl+s")  # confirmed
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
        assert existing.read_text(encoding="utf-8").startswith("#")
        assert not (tmp_path / "other.md").exists()


@pytest.mark.parametrize("fmt", ["md", "csv", "jsonl"])
@pytest.mark.parametrize("taken", [0, 1, 2, 5])
def test_report_path_takes_the_first_free_name(tmp_path, fmt, taken):
    from datetime import datetime

    now = datetime(2026, 12, 4, 15, 30, 59, tzinfo=UTC)
    base = tmp_path / "reactieveld-rapport-20261204-1530"
    names = [base.with_name(f"{base.name}.{fmt}")]
    names += [base.with_name(f"{base.name}-{n}.{fmt}") for n in range(2, 10)]
    for path in names[:taken]:
        path.write_text("x", encoding="utf-8")
    found = report_path(now, tmp_path, fmt)
    assert found == names[taken] and not found.exists()
    # Another format's name in the same minute is no collision.
    other = "csv" if fmt == "md" else "md"
    assert report_path(now, tmp_path, other).name == f"{base.name}.{other}"


# -- the width there is: generated widths and labels ----------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rich.cells import cell_len  # noqa: E402

from reactieveld.tui.widgets.queue_list import COLUMNS, visible_columns  # noqa: E402
from reactieveld.tui.widgets.tag_bar import fit_widths, layout_lines  # noqa: E402

labels = st.lists(
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")), max_size=80)
    .map(lambda s: " ".join(s.split()))
    .filter(bool),
    min_size=1,
    max_size=10,
)


@given(labels, st.integers(min_value=20, max_value=400), st.integers(min_value=1, max_value=3))
def test_tag_bar_lines_fit_and_cut_only_when_they_must(items, width, max_lines):
    lines = layout_lines(items, width, max_lines)
    assert len(lines) <= max_lines
    assert sum(len(line) for line in lines) == len(items)  # every item shows
    for line in lines:
        assert cell_len(" ".join(line)) <= width
    shown = [x for line in lines for x in line]
    if sum(cell_len(x) + 1 for x in items) <= width:  # all fit on one line: none is cut
        assert shown == items
    for original, drawn in zip(items, shown, strict=True):
        assert drawn == original or drawn.endswith("…")


@given(
    st.lists(st.integers(min_value=1, max_value=80), min_size=1, max_size=10), st.integers(1, 400)
)
def test_fit_widths_gives_short_items_their_room(needs, room):
    room = max(room, len(needs))  # at least a cell each (the "…")
    widths = fit_widths(needs, room)
    if sum(needs) <= room:
        assert widths == needs
    else:
        cut = [w for w, n in zip(widths, needs, strict=True) if w < n]
        # Only items longer than the equal share are cut, all to that share; a whole
        # item is never longer than it (else it should have been cut instead).
        assert cut and len(set(cut)) == 1
        assert all(w <= cut[0] for w, n in zip(widths, needs, strict=True) if w == n)
        assert sum(widths) <= room


@given(st.integers(min_value=56, max_value=400))
def test_queue_columns_use_the_width_and_never_exceed_it(width):
    cols = dict(visible_columns(width))
    assert sum(cols.values()) + 10 <= width  # the text keeps at least ten cells
    wider = dict(visible_columns(width + 1))
    for key, w in cols.items():
        assert wider.get(key, 0) >= w  # a wider screen never narrows a column
    if width >= 200:
        default = dict(COLUMNS)
        assert cols["col.author"] > default["col.author"]
        assert cols["col.role"] > default["col.role"]


async def test_the_focused_dialog_field_is_marked_in_characters(tui_store, no_color):
    app = app_with(tui_store, "en", None)
    async with app.run_test(size=SMALL) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        await pilot.press("f")
        await pilot.pause()
        labels = [line.strip("█ ") for line in screen_text(app)]
        assert "▸ Source" in labels and "Status" in labels
        await pilot.press("tab")
        await pilot.pause()
        labels = [line.strip("█ ") for line in screen_text(app)]
        assert "▸ Status" in labels and "Source" in labels
        # Its drop-down open (the focus on the list inside the field): still that field.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#filter-status", Select).expanded
        labels = [line.strip("█ ") for line in screen_text(app)]
        assert "▸ Status" in labels and "Source" in labels


@pytest.mark.parametrize("language", ["nl", "en"])
def test_tag_bar_labels_whole_on_a_wide_tall_screen(language):
    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.i18n import I18n
    from reactieveld.tui.widgets.tag_bar import TagBar

    bar = TagBar(i18n=I18n(language), codebook=DEFAULT_CODEBOOK)
    wide = bar.render_content(200, 3).plain
    assert "…" not in wide and len(wide.splitlines()) <= 3
    for q in DEFAULT_CODEBOOK.questions:
        assert f"{q.key} {q.label(language)}" in wide
    narrow = bar.render_content(80, 1).plain
    assert "\n" not in narrow and "…" in narrow and cell_len(narrow) <= 80


async def test_tag_bar_takes_more_lines_when_the_terminal_grows(tui_store):
    from reactieveld.tui.widgets.tag_bar import TagBar

    app = app_with(tui_store, "nl", None)
    async with app.run_test(size=(200, 24)) as pilot:
        await app.screen.queue.loaded.wait()
        await settled(pilot)
        bar = app.screen.query_one(TagBar)
        assert bar.size.height == 1
        await pilot.resize_terminal(200, 45)
        await settled(pilot)
        assert bar.size.height == 3
        lines = screen_text(app)
        first = next(i for i, line in enumerate(lines) if line.startswith("1 "))
        assert [line[:2] for line in lines[first : first + 3]] == ["1 ", "4 ", "7 "]
        assert not any("…" in line for line in lines[first : first + 3])


BUTTONS = {
    # dialog key: (the buttons' ids, their labels in Dutch and in English)
    "f": (("filter-apply", "filter-clear"), (("Toepassen", "Wissen"), ("Apply", "Clear"))),
    "E": (("export-go", "export-cancel"), (("Exporteren", "Annuleren"), ("Export", "Cancel"))),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("dialog", [*BUTTONS])
async def test_the_focused_dialog_button_is_marked_in_characters(
    tui_store, no_color, tmp_path, monkeypatch, language, dialog
):
    from reactieveld.tui.queues import FilterChoice

    monkeypatch.chdir(tmp_path)  # where the export would go
    ids, labels = BUTTONS[dialog]
    words = labels[language == "en"]
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL) as pilot:
        triage = await ready(app, pilot)
        triage.choice = FilterChoice(untagged=True)  # for the filter's Clear to clear
        await pilot.press(dialog)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FilterScreen | ExportScreen)

        def button_line() -> str:
            # Not the last line: the dialog's footer names the same keys (^s Export esc Cancel).
            [line] = [x for x in screen_text(app)[:-1] if words[0] in x and words[1] in x]
            return line

        assert "▸" not in button_line()
        for focused, other in ((0, 1), (1, 0)):
            while screen.focused is None or screen.focused.id != ids[focused]:
                await pilot.press("tab")
            await pilot.pause()
            line = button_line()
            assert line.count("▸") == 1, line
            assert f"▸ {words[focused]}" in line and f"▸ {words[other]}" not in line
        # enter presses the marked one: the second (Clear, Cancel).
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is triage
        if dialog == "f":
            assert triage.choice == FilterChoice()  # cleared
        else:
            assert triage.choice == FilterChoice(untagged=True)
            assert not list(tmp_path.glob("reactieveld-rapport-*"))  # nothing written
