"""Small terminals (60x20 up to 120x40): headings, figures and dialog titles whole.

At 60x20 the dashboard read "Reacties per dag per bron: 2026-11-08 – 2026-12-07 (30 da"
(the period's length and time zone cut off), the reply, note, filter and export dialogs
scrolled their titles ("Antwoord aan Sven Smit") and first field's label out of sight,
and the export's "Include personal data (names, e-mail, phone, postcode)" lost its end.
Headings now go on to the next line between their parts (reactieveld.text.fit_parts,
widgets/heading.py), dialog titles are docked, short screens drop the dialogs' blank
lines (the app's "-short" breakpoint) and switches wrap their labels. One app per case,
resized between the sizes, so the whole file takes a few seconds.
"""

from __future__ import annotations

from datetime import UTC
from itertools import cycle
from typing import Any

import pytest
from helpers.app import ready, screen_text, settled, toasts_on_screen
from helpers.dashboard import DAYS3, Host, wait_loaded
from helpers.screens import open_screen, screens_app
from hypothesis import given, settings
from hypothesis import strategies as st
from reportdata import build
from rich.cells import cell_len

from reactieveld.i18n import I18n
from reactieveld.read.figures import text
from reactieveld.text import fit_parts

#: The sizes tried: widths from 60 to 120, the heights from 20 to 40 in turn (in
#: English the smallest: the Dutch words are the longer ones).
SIZES = list(zip(range(60, 121, 15), cycle((20, 24, 30, 40)), strict=False))
LANGUAGE_SIZES = {"nl": SIZES, "en": SIZES[:1]}

words = st.text(alphabet="abcdéfg–(),:", min_size=1, max_size=12)
parts = st.lists(st.lists(words, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(parts=parts, width=st.integers(min_value=12, max_value=80))
def test_fitted_parts_fill_lines_and_break_only_between_parts(parts: list[str], width: int):
    lines = fit_parts(parts, width, sep=" · ", hang="  ")
    assert all(cell_len(line) <= width for line in lines)
    # Nothing lost or added: the same characters in order (a separator's mark may give
    # way to the line break, a word wider than the line is folded).
    drawn = " ".join(lines).replace("·", "")
    assert "".join(drawn.split()) == "".join("".join(parts).split())
    # A part that fits a line is on one line, whole.
    for part in parts:
        if cell_len(part) + 4 <= width:  # with the hang and the separator's mark
            assert any(part in line for line in lines), (part, lines)


def _on_screen(app: Any) -> list[str]:
    return [line.rstrip() for line in screen_text(app)]


@pytest.mark.usefixtures("utc")
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_dashboards_headings_are_whole_at_every_size(tmp_path, monkeypatch, language):
    """The period (its dates, length and time zone), the count of responses and each
    figure's heading stand whole on a line of the screen at every size."""
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language=language)
    period = DAYS3.label(language)
    async with app.run_test(size=SIZES[0]) as pilot:
        await wait_loaded(pilot)
        for size in LANGUAGE_SIZES[language]:
            await pilot.resize_terminal(*size)
            await settled(pilot)
            lines = _on_screen(app)
            shown = "\n".join(lines)
            assert f"{text('range', language)}: {period}" in shown, (size, shown)
            assert f"{text('total', language)}: 7" in shown, (size, shown)
            head = next(i for i, x in enumerate(lines) if f"{text('per_day', language)}:" in x)
            # The period on the heading's line, or whole on the next one.
            assert period in lines[head] or lines[head + 1].strip() == period, (size, shown)
            assert text("coverage", language) in shown, (size, shown)


#: The dialogs whose title (and first field's label) a short screen scrolled away (the
#: note is the reply's editor with another title).
DIALOGS = {
    "filters": ("filter.title", "filter.source"),
    "export": ("export.title", "export.format"),
    "reply": ("reply.title", None),
}


@pytest.mark.usefixtures("tui_env", "no_color")
async def test_dialog_titles_and_labels_are_whole_at_60x20(tui_store):
    """Each dialog at 60x20 shows its title and its first field's label, the export's
    personal-data switch its whole label, the search box its whole placeholder (in
    Dutch: the longer words; the layout rules are the same in English)."""
    app = screens_app(tui_store, "nl")
    i18n = I18n("nl")
    async with app.run_test(size=(60, 20)) as pilot:
        for name, (title, label) in DIALOGS.items():
            await open_screen(app, pilot, name)
            shown = "\n".join(_on_screen(app))
            draft = getattr(app.screen, "draft_key", None)
            assert i18n.t(title, author=draft.author if draft else "") in shown, shown
            if label:
                assert i18n.t(label) in shown, (name, shown)
            if name == "export":  # the switch's label wraps, never cut
                words = " ".join(shown.replace("█", " ").split())
                assert i18n.t("export.personal") in words, words
            await pilot.press("escape")
            await settled(pilot)
        # The search box's placeholder is whole, and the filters are named (in the hint).
        await open_screen(app, pilot, "search")
        shown = "\n".join(_on_screen(app))
        assert i18n.t("search.placeholder") in shown, shown
        words = " ".join(shown.split())
        assert all(f"{word}:" in words for word in ("bron", "vraag", "rol", "sinds", "tot"))


@pytest.mark.usefixtures("tui_env", "no_color")
async def test_notices_are_whole_above_the_footer_at_every_width(tui_store):
    """A notice that wraps at the last cell of its box (half the screen, at most 48) is
    drawn whole: Textual laid some out a line short of what they draw, the last line
    under the footer (at 60 columns "Draft kept for this" without "session")."""
    app = screens_app(tui_store, "en")
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await ready(app, pilot)
        for width in (60, 80, 97):
            await pilot.resize_terminal(width, 20 if width < 80 else 24)
            app.clear_notifications()
            room = min(48, width // 2) - 3  # the border and the padding
            said = [f"{'a' * n} b" for n in range(room - 3, room + 1)]
            for text_ in said:
                app.notify(text_, markup=False, timeout=30)
            await settled(pilot)
            assert sorted(toasts_on_screen(app)) == sorted(said), width


@pytest.mark.usefixtures("tui_env", "no_color")
async def test_the_thread_shows_every_responses_time_at_60x20(tui_store):
    """A long name with its role, two levels down: the line's end is cut (the tree
    scrolls sideways), never the time, which comes first (it came after the role)."""
    from datetime import timedelta

    from helpers.data import NOW, T0, fill_store

    from reactieveld.model import RemoteStatus, Response
    from reactieveld.tui.times import format_time

    long_name = "Wethouder Ruimtelijke Ordening Blaricum"
    replies = [
        Response(
            source="blog",
            external_id=f"long{n}",
            thread_external_id="post-2",
            parent_external_id=parent,
            author_name=long_name,
            author_email="wethouder@example.org",
            body_text="Het college neemt deze reacties serieus.",
            created_at=T0 - timedelta(minutes=2 - n),
            remote_status=RemoteStatus.APPROVED,
            role_hint="college",
        )
        for n, parent in enumerate(("c29", "long0"))
    ]
    await fill_store(tui_store, "blog", replies)
    rows = await thread_rows_of(tui_store, "post-2")
    app = screens_app(tui_store, "nl")
    async with app.run_test(size=(60, 20)) as pilot:
        await open_screen(app, pilot, "thread")
        shown = "\n".join(_on_screen(app))
        for created in rows:
            assert format_time(created, UTC, NOW) in shown, shown


async def thread_rows_of(store: Any, thread: str) -> list[Any]:
    """The arrival times of the responses in ``thread`` of source "blog"."""
    from reactieveld.store.base import QueueFilter

    rows = await store.queue(QueueFilter(thread=("blog", thread)), limit=100)
    return [row.response.created_at for row in rows]


@pytest.mark.usefixtures("tui_env", "no_color")
async def test_a_long_name_in_the_thread_is_cut_with_an_ellipsis(tui_store):
    """The demo's "Sven van den Berg (Installatiebedrijf Gooi)" read "Sven van den Berg
    (Installatiebedrijf Go Ik heb een bedrijf ...": the name was cut bare at 40
    characters and ran into the text. A name (and a role, a text) that is cut ends in
    "…", whatever its length."""
    import random
    from datetime import timedelta

    from helpers.data import T0, fill_store

    from reactieveld.model import RemoteStatus, Response

    rng = random.Random(5)
    words = ["Sven", "van", "den", "Berg", "(Installatiebedrijf", "Gooi)", "Wethouder", "Ö"]
    names = [" ".join(rng.choices(words, k=rng.randint(2, 12))) for _ in range(8)]
    names += ["Sven van den Berg (Installatiebedrijf Gooi)", "x" * 39, "y" * 40, "z" * 41]
    replies = [
        Response(
            source="blog",
            external_id=f"long{n}",
            thread_external_id="post-2",
            parent_external_id="c29",
            author_name=name,
            author_email=f"a{n}@example.org",
            body_text="Ik heb een bedrijf.",
            created_at=T0 - timedelta(minutes=30 - n),
            remote_status=RemoteStatus.APPROVED,
        )
        for n, name in enumerate(names)
    ]
    await fill_store(tui_store, "blog", replies)
    app = screens_app(tui_store, "nl")
    async with app.run_test(size=(160, 40)) as pilot:
        await open_screen(app, pilot, "thread")
        shown = "\n".join(_on_screen(app))
        for name in names:
            if len(name) <= 40:
                assert f"{name} Ik heb een bedrijf." in shown, name
            else:  # a start of the name (most of its 40 cells), then "…", then the text
                line = next(ln for ln in shown.splitlines() if name[:20] in ln)
                cut = line[line.index(name[:20]) :].partition("… Ik heb een bedrijf.")[0]
                assert name.startswith(cut) and len(cut) >= 30, (name, line)


@pytest.mark.usefixtures("tui_env", "no_color")
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_role_and_language_pickers_draw_choices_as_every_dialog(tui_store, language):
    """The role picker (w) and the settings (f2) marked the current choice "●" and the
    others with nothing, where every other dialog draws "(•)" and "( )" (README: Keys):
    each choice line reads "( )" or "(•)", one of them "(•)": the current role, the
    current language."""
    from helpers.screens import SCREENS

    from reactieveld.codebook import DEFAULT_CODEBOOK

    app = screens_app(tui_store, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, "triage")
        raad = next(r for r in DEFAULT_CODEBOOK.roles if r.code == "raad")
        await pilot.press("w", raad.key)  # the response's role: the picker's current one
        await settled(pilot)
        for name, labels in (
            ("role", [r.label(language) for r in DEFAULT_CODEBOOK.roles]),
            ("settings", ["Nederlands", "English"]),
        ):
            await pilot.press(*SCREENS[name])
            await settled(pilot)
            # The dialog's lines (between its borders) that end in a choice's label.
            inner = [ln.split("█")[1].rstrip() for ln in screen_text(app) if ln.count("█") >= 2]
            lines = [ln for ln in inner if any(ln.endswith(f" {label}") for label in labels)]
            assert len(lines) == len(labels), lines
            on = [ln for ln in lines if "(•)" in ln]
            assert all("(•)" in ln or "( )" in ln for ln in lines), lines
            assert "●" not in "\n".join(screen_text(app))
            language_name = "Nederlands" if language == "nl" else "English"
            current = raad.label(language) if name == "role" else language_name
            assert len(on) == 1 and current in on[0], on
            await pilot.press("escape")
            await settled(pilot)


@pytest.mark.usefixtures("tui_env", "no_color")
async def test_a_run_of_action_keys_leaves_one_notice_over_the_view(tui_store):
    """Each decision, coding and undo says what it did in a short notice; ten quick ``a``
    at 80x24 piled ten "Goedgekeurd: 1" over the response view (its text hidden). The
    newer action's notice replaces the one before: one shows, the last action's."""
    app = screens_app(tui_store, "nl")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(app, pilot)
        said = []
        for keys in (("a",) * 4, ("3",), ("a", "a"), ("z",), ("3", "a")):
            await pilot.press(*keys)
            await settled(pilot)
            said.append(toasts_on_screen(app))
        last = app.i18n.t("decided", what=app.i18n.t("queue.approved"), n=1)
        assert [len(toasts) for toasts in said] == [1] * len(said), said
        assert said[-1] == [last], said
