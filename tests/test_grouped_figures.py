"""Every figure the dashboard, ``reactieveld stats`` and the reports print is grouped as
the language writes numbers (55.538 / 55,538): a 200,000-response memory showed
"Reacties: 55538" on the dashboard while its tabs said "140.000"."""

from __future__ import annotations

import asyncio
import io
import re
from argparse import Namespace
from datetime import date, timedelta

import pytest
from helpers.dashboard import SIZE, Host, wait_loaded
from hypothesis import given, settings
from hypothesis import strategies as st
from reportdata import build
from textual.widgets import DataTable, Static

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.i18n import counted, number
from reactieveld.read.figures import DialogueStats, Period, render_text
from reactieveld.store.values import RuleTally
from reactieveld.tui.widgets.heading import Heading

pytestmark = pytest.mark.usefixtures("utc")

#: A date as the figures print it (a period's bounds): not a count.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Four digits in a row: a count of a thousand or more printed without grouping.
_UNGROUPED = re.compile(r"\d{4}")
#: The other language's grouping (1.234 in English, 1,234 in Dutch).
_OTHER = {"nl": re.compile(r"\d,\d{3}"), "en": re.compile(r"\d\.\d{3}")}


def ungrouped(shown: str, language: str) -> list[str]:
    """The counts ``shown`` prints ungrouped or grouped as the other language does."""
    bare = _DATE.sub("", shown)
    return _UNGROUPED.findall(bare) + _OTHER[language].findall(bare)


counts = st.integers(min_value=0, max_value=10**8)


@st.composite
def big_stats(draw: st.DrawFn) -> DialogueStats:
    """Figures of any size: every count of :class:`DialogueStats` drawn (a part no
    larger than its whole)."""

    def part(whole: int) -> int:
        return draw(st.integers(min_value=0, max_value=whole))

    days = draw(st.integers(min_value=1, max_value=3000))
    period = Period(date(2018, 1, 1), date(2018, 1, 1) + timedelta(days=days - 1))
    questions = tuple(q.code for q in DEFAULT_CODEBOOK.questions)
    roles: tuple[str | None, ...] = ("burger", "raad", None)
    coverage = {(q, r): draw(counts) for q in questions for r in roles}
    per_day = {
        "forum": tuple(draw(st.lists(counts, min_size=days, max_size=days, unique=False)))
        if days < 50
        else (draw(counts),) * days
    }
    untagged, citizen, claimed, caught = (draw(counts) for _ in range(4))
    misfired = part(caught)
    return DialogueStats(
        period=period,
        days=period.days,
        per_day=per_day,
        coverage=coverage,
        by_role={r: draw(counts) for r in roles},
        questions=questions,
        roles=roles,
        total=draw(counts),
        untagged=untagged,
        untagged_new=part(untagged),
        moderated=draw(counts),
        median_to_moderation=draw(st.floats(min_value=0, max_value=10**9)),
        citizen=citizen,
        answered=part(citizen),
        median_to_answer=draw(st.none() | st.floats(min_value=0, max_value=10**9)),
        by_moderator={"anna": (draw(counts), draw(counts))},
        claimed_decided=claimed,
        decided_by_other=part(claimed),
        rules=(RuleTally("link", caught, misfired, part(caught - misfired), draw(counts)),),
    )


@settings(max_examples=60, deadline=None)
@given(stats=big_stats(), language=st.sampled_from(["nl", "en"]))
def test_stats_text_groups_every_count(stats, language):
    """``reactieveld stats``' page (the dashboard's lines, one set of functions) prints
    no count of four digits or more ungrouped, in either language."""
    shown = render_text(stats, DEFAULT_CODEBOOK, language, width=120)
    assert not ungrouped(shown, language), shown
    assert f": {number(stats.total, language)}" in shown


@settings(max_examples=40, deadline=None)
@given(n=counts, language=st.sampled_from(["nl", "en"]))
def test_counted_words_group_the_count(n, language):
    """An export's and a report's counted words: grouped, in the singular for 1."""
    said = counted("export.n.responses", language, n)
    word = {"nl": ("reactie", "reacties"), "en": ("response", "responses")}[language]
    assert said == f"{number(n, language)} {word[n != 1]}"


BIG = DialogueStats(
    period=Period(date(2026, 3, 2), date(2026, 3, 4)),
    days=Period(date(2026, 3, 2), date(2026, 3, 4)).days,
    per_day={"blog": (50_000, 5_000, 538)},
    coverage={("1", None): 12_345, ("1", "burger"): 1_000},
    by_role={None: 54_321, "burger": 1_217},
    questions=("1", "2"),
    roles=("burger", None),
    total=56_745,
    untagged=44_400,
    untagged_new=2_222,
    moderated=56_000,
    citizen=30_000,
    answered=12_000,
    by_moderator={"anna": (5_000, 4_321)},
    claimed_decided=3_000,
    decided_by_other=1_500,
)
WANT = {
    "nl": ("Reacties: 56.745", "12.000 / 30.000 (40%)", "55.538", "12.345"),
    "en": ("Responses: 56,745", "12,000 / 30,000 (40%)", "55,538", "12,345"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_dashboard_and_stats_group_their_figures(tmp_path, monkeypatch, language):
    """The dashboard on screen and ``reactieveld stats`` on a real memory, its figures
    those of a large one: every count grouped as the language writes it."""
    from reactieveld.read import figures
    from reactieveld.tui.screens import dashboard

    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()

    async def large(*args, **kw):
        return BIG

    monkeypatch.setattr(dashboard, "compute_stats", large)
    monkeypatch.setattr(figures, "compute_stats", large)
    total, share, per_day, cell = WANT[language]
    app = Host(tmp_path / "m.db", language=language)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        shown = "\n".join(
            [
                str(screen.query_one("#dash-period", Heading).render()),
                str(screen.query_one("#dash-series", Static).render()),
                str(screen.query_one("#dash-figures", Static).render()),
            ]
        )
        table = screen.query_one(DataTable)
        cells = [
            table.get_cell(row, col).plain
            for row in ("1", "all")
            for col in ("sum", "burger", "None")
        ]
    assert total in shown and share in shown and per_day in shown, shown
    assert cell in cells and not ungrouped(" ".join([shown, *cells]), language)
    out = io.StringIO()
    args = Namespace(since=None, until="2026-03-04", source=None, days=3, lang=language)
    config = Namespace(codebook=DEFAULT_CODEBOOK)
    # The command runs its own event loop, as from the shell: in a thread beside the test's.
    stats = figures.run_stats_command
    assert await asyncio.to_thread(stats, config, tmp_path / "m.db", args, out=out) == 0
    page = out.getvalue()
    assert total in page and share in page and per_day in page and cell in page
    assert not ungrouped(page, language), page
