"""The dialogue dashboard: is the organisation in dialogue, or only collecting input?

The same figures as ``reactieveld stats`` (:mod:`reactieveld.read.figures`, one SQL query each),
all for one period of whole UTC days (the last 30 ending today unless given): responses
per day per source (sparklines), the coverage matrix of planning question × role with the
gaps marked and a last row of all responses per role, the untagged backlog, the median
time to moderation, and the share of responses from outside the organisation that got an
answer from it, with the median time to that answer. The period and the role rule stand
on top; what each figure counts stands at the bottom (``i`` goes there). ``p`` chooses
the period (:mod:`reactieveld.tui.screens.period`, the rule of ``stats``), ``r``
recomputes, ``e`` writes the Markdown report of the period shown, ``escape`` goes back.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, tzinfo
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n, number
from reactieveld.read.agreement import (
    AgreementFigures,
    agreement_definition,
    agreement_lines,
    period_agreement,
)
from reactieveld.read.figures import (
    DialogueStats,
    Period,
    PeriodError,
    cell,
    compute_stats,
    coverage_table,
    definition_lines,
    figure_lines,
    gap_lines,
    per_day_head,
    per_day_series,
    period_of,
    period_parts,
    question_label,
    role_legend,
    text,
)
from reactieveld.reports.formats import describe_filters
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.tui.messages import SaysWorkerErrors
from reactieveld.tui.screens.base import FromApp
from reactieveld.tui.screens.export import queue_options, report_path, write_export
from reactieveld.tui.screens.help import ScreenHelp, add_help_key, describe_keys
from reactieveld.tui.screens.period import PeriodChoice, PeriodScreen
from reactieveld.tui.widgets.footer import KeyFooter
from reactieveld.tui.widgets.heading import Heading


class DashboardScreen(ScreenHelp, SaysWorkerErrors, FromApp, Screen[None]):
    """Step 6 of the dialogic organisation: the value of the dialogue, measured."""

    #: The app-wide action that opens it: nothing here (ReactieveldApp.check_action).
    OPENED_BY = frozenset({"dashboard"})

    DEFAULT_CSS = """
    DashboardScreen { layout: vertical; }
    DashboardScreen #dash-title { height: 1; background: $panel; text-style: bold; }
    DashboardScreen #dash-body {
        height: 1fr; padding: 0 1; scrollbar-gutter: stable; scrollbar-size-vertical: 1;
    }
    DashboardScreen #dash-rule { color: $text-muted; }
    DashboardScreen .dash-head { margin-top: 1; text-style: bold; color: $accent; }
    DashboardScreen #dash-series { height: auto; }
    DashboardScreen #dash-coverage { height: auto; }
    DashboardScreen #dash-scroll { color: $text-muted; }
    DashboardScreen #dash-legend { color: $text-muted; }
    DashboardScreen #dash-questions { margin-top: 1; color: $text-muted; }
    DashboardScreen #dash-gaps { color: $warning; }
    DashboardScreen #dash-figures { height: auto; }
    DashboardScreen #dash-definitions { color: $text-muted; }
    DashboardScreen #dash-agreement { height: auto; }
    """

    # The table: left/right scroll it on a narrow screen; up/down (it does not scroll
    # vertically) go on to the dashboard's body.
    AUTO_FOCUS = "#dash-coverage"

    #: The keys of the table (and of the body, when tab gave it the focus) the help names:
    #: the table takes them first and passes up/down on to the body (it does not scroll
    #: vertically), so ↑ ↓ pgup pgdn scroll the page and ← → home end the table.
    HELP_WIDGET_KEYS = {
        **dict.fromkeys(
            ("cursor_up", "cursor_down", "scroll_up", "scroll_down", "page_up", "page_down"),
            "dash.key.scroll",
        ),
        **dict.fromkeys(("cursor_left", "cursor_right"), "dash.key.sideways"),
        **dict.fromkeys(("scroll_home", "scroll_end"), "dash.key.ends"),
    }

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="dashboard.back"),
        Binding("r", "refresh", "Refresh", id="dashboard.refresh"),
        Binding("e", "export", "Report", id="dashboard.export"),
        Binding("i", "definitions", "Definitions", id="dashboard.definitions"),
        # Remappable in [keys] (reactieveld.keys.DASHBOARD_KEYS).
        Binding("p", "period", "Period", id="dashboard_period"),
    ]

    def __init__(
        self,
        store: Any | None = None,
        *,
        codebook: Codebook | None = None,
        i18n: I18n | None = None,
        language: str | None = None,
        tz: tzinfo | None = None,
        days: int | None = None,
        since: date | None = None,
        until: date | None = None,
        period: Period | None = None,
    ) -> None:
        super().__init__()
        self.given(store, codebook, i18n, tz, language)
        # The period: given whole, or (re)computed from these on each refresh, so that a
        # dashboard left open past midnight (UTC) moves on to the new day.
        self.days = days
        self.since = since.date() if isinstance(since, datetime) else since
        self.until = until.date() if isinstance(until, datetime) else until
        self.period = period
        self.stats: DialogueStats | None = None
        self.loaded = asyncio.Event()
        #: The last read of the figures met the team's memory away (read again when back).
        self._away = False
        self._fitted = 0  # the body width the coverage table was laid out for

    def compose(self) -> ComposeResult:
        lang = self.language
        yield Static(Content(text("title", lang)), id="dash-title")
        with VerticalScroll(id="dash-body"):
            # The headings (widgets/heading.py) go on to a next line, never cut.
            yield Heading(text("loading", lang), id="dash-period")
            yield Heading(text("role.short", lang), text("more", lang), id="dash-rule")
            yield Heading(text("per_day", lang), sep=" ", classes="dash-head", id="dash-per-day")
            yield Static("", id="dash-series")
            yield Heading(text("coverage", lang), classes="dash-head")
            yield DataTable(
                id="dash-coverage", cursor_type="none", zebra_stripes=True, fixed_columns=1
            )
            yield Static(Content(text("scroll", lang)), id="dash-scroll")
            yield Static("", id="dash-legend")
            yield Static("", id="dash-gaps")
            yield Heading(text("figures", lang), classes="dash-head")
            yield Static("", id="dash-figures")
            yield Static("", id="dash-questions")
            # Intercoder agreement (issue 14): shown where responses are double-coded.
            yield Heading(self.i18n.t("agree.title"), classes="dash-head", id="dash-agreement-head")
            yield Static("", id="dash-agreement")
            yield Heading(text("definitions", lang), classes="dash-head", id="dash-def-head")
            yield Static("", id="dash-definitions")
        yield KeyFooter()

    def on_mount(self) -> None:
        labels = {
            "dashboard.back": "key.back",
            "dashboard.refresh": "key.refresh",
            "dashboard.export": "key.export",
            "dashboard.definitions": "key.definitions",
            "dashboard_period": "key.period",
        }
        describe_keys(self, labels, lambda key: text(key, self.language))
        add_help_key(self, "dashboard", self.i18n)
        self.query_one("#dash-scroll").display = False
        self._show_agreement(None)
        self.action_refresh()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_definitions(self) -> None:
        """``i``: scroll to what the figures count."""
        self.query_one("#dash-body", VerticalScroll).scroll_to_widget(
            self.query_one("#dash-def-head"), top=True, animate=False
        )

    def action_period(self) -> None:
        """``p``: the period dialog, prefilled with the period on screen; what it gives
        is the period of every figure, the heading and ``e``'s report from now on."""
        shown = self.stats.period if self.stats is not None else None
        since: date | None = self.since
        until: date | None = self.until
        days: int | None = self.days
        if self.period is not None:  # given whole: its days, as stats --since --until
            since, until, days = self.period.first, self.period.last, None
        dialog = PeriodScreen(i18n=self.i18n, shown=shown, since=since, until=until, days=days)
        self.app.push_screen(dialog, self.choose_period)

    def choose_period(self, choice: PeriodChoice | None) -> None:
        """The period chosen in the dialog (None: cancelled, the old one stays)."""
        if choice is None:
            return
        self.since, self.until, self.days = choice.since, choice.until, choice.days
        self.period = None
        self.stats = None  # e before the figures are in: the chosen period's report
        self.action_refresh()

    def current_period(self) -> Period:
        """The period to compute: the one given, or the one its parts give today."""
        if self.period is not None:
            return self.period
        return period_of(since=self.since, until=self.until, days=self.days, language=self.language)

    @work(exclusive=True, group="dashboard", exit_on_error=False)
    async def action_refresh(self) -> None:
        self.loaded.clear()
        self._away = False
        try:
            period = self.current_period()
            stats = await compute_stats(self.store, self.codebook, period=period)
            agreement = await self._agreement(period)
        except Exception as exc:  # a locked or damaged file: say so instead of "Computing…"
            # A store's line in the reader's language (a PostgreSQL statement that took
            # too long: what to do); anything else as its class and words. The heading
            # says why the figures are missing.
            error = (
                exc.said(self.language, period=True)
                if isinstance(exc, StoreError)
                else f"{type(exc).__name__}: {exc}"
            )
            failed = text("failed", self.language).format(error=error)
            self.query_one("#dash-period", Heading).show([failed])
            if isinstance(exc, StoreUnreachable):
                self._memory_away(exc)
            self.loaded.set()
            return
        self.stats = stats
        self._show_agreement(agreement)  # first: the definitions (in show) name it or not
        await self.show(stats)
        self.loaded.set()

    def _memory_away(self, away: StoreUnreachable) -> None:
        """The team's memory away: said where the other screens say it (the app's
        ``store_failed``: the header's marker, the one notice, the check that reads
        again); the figures are read again when it is back (:meth:`memory_back`). An
        app without that one place (a test's host): the heading alone."""
        failed = getattr(self.app, "store_failed", None)
        if failed is not None:
            self._away = True
            failed(away)

    def memory_back(self) -> None:
        """The app reached the team's memory again: figures that met it away are read."""
        if self._away:
            self.action_refresh()

    async def _agreement(self, period: Period) -> AgreementFigures | None:
        """The intercoder agreement of the responses that arrived in ``period`` (all
        sources), as ``reactieveld agreement --since --until`` gives it; None where there
        is no double coding (none configured and none stored): no section then."""
        questions = [q.code for q in self.codebook.questions]
        share = getattr(self.app, "double_share", 0.0)
        return await period_agreement(
            self.store, questions, period.start, period.end, double_share=share
        )

    def _show_agreement(self, figures: AgreementFigures | None) -> None:
        """The agreement section: per planning question and the role (their codes: the
        questions' texts are in the coverage table), its definition with the others."""
        shown = figures is not None
        self.query_one("#dash-agreement-head").display = shown
        body = self.query_one("#dash-agreement", Static)
        body.display = shown
        if figures is not None:
            lines = agreement_lines(figures, {}, self.language, width=self.size.width - 4)
            body.update(Content("\n".join(lines[1:] if lines and not lines[0] else lines)))

    async def show(self, st: DialogueStats) -> None:
        """Draw the figures (untrusted text: source names, through ``one_line``)."""
        lang = self.language
        self.query_one("#dash-period", Heading).show(period_parts(st, lang))
        self.fill_coverage()
        gaps = gap_lines(st, self.codebook, lang)
        self.query_one("#dash-gaps", Static).update(Content("\n".join(gaps)))
        self.query_one("#dash-figures", Static).update(Content("\n".join(figure_lines(st, lang))))

    def fill_coverage(self) -> None:
        """The question × role table in the body's width: every role column whole (the
        last one, "onbekend", too), the question labels cut with "…" to what is left and
        listed in full at the bottom, and a last row of all responses per role. Narrower
        than the question column's minimum, the table scrolls sideways (arrows, it has
        the focus; a line under it says so) with the question column fixed."""
        st = self.stats
        if st is None:
            return
        lang = self.language
        body = self.query_one("#dash-body", VerticalScroll)
        if not body.size.width:  # figures faster than the first layout: fit once it is there
            self.call_after_refresh(self.fill_coverage)
            return
        table = self.query_one("#dash-coverage", DataTable)
        # The table's cell padding (one cell each side) is the layout's gap between columns.
        width = body.scrollable_content_region.width
        # The lines of ``reactieveld stats``, from the one function, in this width.
        self.query_one("#dash-per-day", Heading).show(per_day_head(st, lang))
        series = per_day_series(st, lang, width)
        self.query_one("#dash-series", Static).update(Content("\n".join(series)))
        layout = coverage_table(st, self.codebook, lang, width - 2)
        table.clear(columns=True)
        table.add_column(Text(text("question", lang)), key="q")
        table.add_column(Text(text("sum", lang), justify="right"), key="sum")
        for r, head in zip(layout.roles, layout.heads, strict=True):
            table.add_column(Text(head, justify="right"), key=str(r))

        def dot(n: int) -> Text:
            return Text(cell(n, lang), justify="right", style="" if n else "dim")

        for q, label, counts, total in zip(
            st.questions, layout.labels, layout.counts, layout.totals, strict=True
        ):
            cells: list[Text] = [
                Text(label, style="" if total else "bold red"),
                Text(number(total, lang), justify="right", style="bold" if total else "bold red"),
            ]
            cells.extend(dot(n) for n in counts)
            table.add_row(*cells, key=q)
        table.add_row(
            Text(layout.all_label, style="italic"),
            Text(number(layout.all_total, lang), justify="right", style="bold"),
            *(dot(n) for n in layout.all_counts),
            key="all",
        )
        self.query_one("#dash-scroll").display = layout.scrolls
        legend = role_legend(self.codebook, layout.roles, lang, width)
        self.query_one("#dash-legend", Static).update(Content("\n".join(legend)))
        questions = self.query_one("#dash-questions", Static)
        questions.display = layout.cut
        lines = [question_label(self.codebook, q, lang) for q in st.questions]
        questions.update(Content("\n".join([text("questions", lang), *lines])))
        defined = definition_lines(self.codebook, lang, width, stats=st)
        if self.query_one("#dash-agreement").display:
            defined = [*defined, *agreement_definition(lang, width)]
        self.query_one("#dash-definitions", Static).update(Content("\n".join(defined)))
        self._fitted = body.size.width

    def on_resize(self) -> None:
        # The question column follows the width (after the layout has the new size).
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.stats is not None and self.query_one("#dash-body").size.width != self._fitted:
            self.fill_coverage()

    def action_export(self) -> None:
        """``e``: the report of the period on screen (the figures' own, not one computed
        again: past midnight the next refresh moves on, the report stays with the screen)."""
        shown = self.stats.period if self.stats is not None else None
        try:
            period = shown or self.current_period()
        except PeriodError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        export_report(self.app, self.store, self.codebook, self.i18n, period)


def export_report(app: Any, store: Any, codebook: Codebook, i18n: I18n, period: Period) -> None:
    """``e`` on the dashboard: the Markdown report of all planning questions (redacted)
    of the responses that arrived in the dashboard's ``period`` (its filters say
    ``--since``/``--until``: ``reactieveld export`` with them writes the same report), in
    the current directory, written by the export dialog's worker
    (:func:`reactieveld.tui.screens.export.write_export`), which notifies the path."""
    first, last = period.first.isoformat(), period.last.isoformat()
    opts = queue_options(
        QueueFilter(since=period.start, until=period.end),
        fmt="md",
        include_personal_data=False,
        codebook=codebook,
        language=i18n.language,
        described=describe_filters(since=first, until=last),
    )
    write_export(app, store, opts, report_path(), i18n=i18n)
