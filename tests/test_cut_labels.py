"""Long labels in the dialogs end in "…" where they are cut (a user trial at 80x24,
NO_COLOR): the filter dialog's question list cut the default codebook's long questions
at 60 characters without a sign ("… zetten we de dialoog w"), the role picker wrapped a
long role over two lines (cut at 40 without a sign), the reason dialog cut a configured
reason at 48. Each now cuts with :func:`~reactieveld.text.shorten`, as the queue's
columns do: the selects to their width at any terminal size, the pickers to their fixed
one. The cut itself is generated (words, wide characters, one long word, styles)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, ready, screen_text, settle
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content, Span

from reactieveld.codebook import Code, make_codebook
from reactieveld.model import TagKind
from reactieveld.reasons import Reason, ReasonsConfig
from reactieveld.tui.screens.filters import FilterScreen
from reactieveld.tui.screens.reason import ReasonDialog
from reactieveld.tui.screens.role_picker import RolePicker
from reactieveld.tui.widgets.cursor import cut_to

pytestmark = pytest.mark.usefixtures("tui_env")

ELLIPSIS = "…"

WORDS = st.lists(
    st.one_of(
        st.text(st.characters(categories=("L", "N")), min_size=1, max_size=14),
        st.text(st.sampled_from("市民対話業務過程漢字"), min_size=1, max_size=8),
        st.text(st.sampled_from("Onderwerp"), min_size=20, max_size=90),  # one long word
    ),
    min_size=1,
    max_size=12,
).map(" ".join)


@settings(max_examples=60)
@given(label=WORDS, width=st.integers(min_value=1, max_value=90), bold=st.integers(0, 30))
def test_a_cut_label_fits_and_says_it_is_cut(label, width, bold):
    content = Content(label, spans=[Span(0, min(bold, len(label)), "bold")])
    shown = cut_to(content, width)
    assert isinstance(shown, Content)
    assert cell_len(shown.plain) <= width
    if cell_len(label) <= width:
        assert shown.plain == label
    else:
        assert shown.plain.endswith(ELLIPSIS)
        assert label.startswith(shown.plain[:-1])
        # The kept start keeps its style.
        kept = len(shown.plain) - 1
        assert all(s.style == "bold" for s in shown.spans if s.start < kept)


#: Questions and roles longer than any dialog is wide, and a short one each.
LONG = (
    "Welke inhoudelijke onderwerpen en welke bedrijfsprocessen laten we wel of niet "
    "toe in de dialoog met inwoners en ondernemers?"
)
WIDE = "市民との対話でどの話題を扱うかどの業務過程で対話を許すか誰が決めるのか" * 2
WORD = "Dialoogonderwerpenafwegingskader" * 3
QUESTIONS = (LONG, WIDE, WORD, "Kort")
ROLE = (
    "Vertegenwoordiger van een bewonersvereniging uit de wijk en van de ondernemers aan "
    "het marktplein"
)


def _codebook() -> Any:
    questions = [
        Code(TagKind.QUESTION, str(n), str(n), {"nl": label, "en": label})
        for n, label in enumerate(QUESTIONS, start=1)
    ]
    roles = [
        Code(TagKind.ROLE, "bewoners", "b", {"nl": ROLE, "en": ROLE}),
        Code(TagKind.ROLE, "raad", "r", {"nl": "Raadslid", "en": "Council member"}),
    ]
    return make_codebook(questions, roles)


def _inside(app: Any) -> list[str]:
    """The screen's lines inside the dialog's border (the queue shows beside it)."""
    return [line.split("█")[1] if line.count("█") >= 2 else "" for line in screen_text(app)]


def _line_of(lines: list[str], start: str) -> int:
    [found] = [n for n, line in enumerate(lines) if start in line]
    return found


@pytest.mark.parametrize("size", [SMALL, (60, 20), (120, 30)])
async def test_the_filter_dialogs_long_labels_end_in_an_ellipsis(
    tui_store, make_app, no_color, size
):
    app = make_app(tui_store, codebook=_codebook())
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterScreen)
        # The closed face with a long question chosen, and with a long role.
        dialog.query_one("#filter-question").value = "1"
        dialog.query_one("#filter-role").value = "bewoners"
        await settle(app, pilot)
        lines = _inside(app)
        assert ELLIPSIS in lines[_line_of(lines, "1 Welke inhoudelijke")]
        assert ELLIPSIS in lines[_line_of(lines, "Vertegenwoordiger van")]
        # The open list: one line per option, each long one cut with "…".
        dialog.query_one("#filter-question").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        lines = _inside(app)
        starts = ["1 Welke inhoudelijke", "2 市民との", "3 Dialoog", "4 Kort"]
        at = [_line_of(lines, start) for start in starts[1:]]
        assert at == list(range(at[0], at[0] + 3))  # none wrapped
        for n in at[:2]:
            assert ELLIPSIS in lines[n], lines[n]
        assert ELLIPSIS not in lines[at[2]]


REASONS = ReasonsConfig(
    choices=(
        Reason("wijk", "1", {"nl": ROLE, "en": ROLE}),
        Reason("kort", "2", {"nl": "Kort", "en": "Short"}),
    )
)


@pytest.mark.parametrize(
    ("key", "dialog", "long", "next_one"),
    [
        ("w", RolePicker, " b  ( ) Vertegenwoordiger", " r  ( ) Raadslid"),
        ("d", ReasonDialog, "[1] Vertegenwoordiger", "[2] Kort"),
    ],
)
async def test_a_pickers_long_label_is_one_line_with_an_ellipsis(
    tui_store, make_app, no_color, key, dialog, long, next_one
):
    """The role picker (it wrapped the role) and the reason dialog (it cut the reason
    without a sign)."""
    app = make_app(tui_store, codebook=_codebook(), reasons=REASONS)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, dialog)
        lines = _inside(app)
        long_at = _line_of(lines, long)
        assert ELLIPSIS in lines[long_at]
        assert next_one in lines[long_at + 1]  # no wrapped rest
