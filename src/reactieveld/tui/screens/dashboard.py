"""The dialogue dashboard: is the organisation in dialogue, or only collecting input?

The same figures as ``reactieveld stats`` (:mod:`reactieveld.stats`, one SQL query each):
responses per day per source (sparklines), the coverage matrix of planning question ×
role with the gaps marked, the untagged backlog, the median time to moderation, and the
share of citizen responses that got an answer from the organisation with the median time
to that answer. ``r`` recomputes, ``e`` writes a Markdown report, ``escape`` goes back.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, tzinfo
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from reactieveld.codebook import Codebook
from reactieveld.stats import (
    DialogueStats,
    compute_stats,
    coverage_table,
    format_duration,
    format_share,
    question_label,
    role_label,
    role_legend,
    text,
)
from reactieveld.tui.i18n import I18n
from reactieveld.tui.safe import preview
from reactieveld.tui.screens.base import FromApp
from reactieveld.tui.screens.export import queue_options, report_path, write_export

TEXT = {
    "missing_q": ("Vragen zonder reacties", "Questions without responses"),
    "missing_r": ("Rollen die niet meepraten", "Roles not taking part"),
    "figures": ("Kerncijfers", "Key figures"),
    "loading": ("Bezig met rekenen…", "Computing…"),
    "key.refresh": ("Vernieuwen", "Refresh"),
    "key.export": ("Rapport", "Report"),
    "key.back": ("Terug", "Back"),
}


class DashboardScreen(FromApp, Screen[None]):
    """Step 6 of the dialogic organisation: the value of the dialogue, measured."""

    DEFAULT_CSS = """
    DashboardScreen { layout: vertical; }
    DashboardScreen #dash-title { height: 1; background: $panel; text-style: bold; }
    DashboardScreen #dash-body {
        height: 1fr; padding: 0 1; scrollbar-gutter: stable; scrollbar-size-vertical: 1;
    }
    DashboardScreen .dash-head { margin-top: 1; text-style: bold; color: $accent; }
    DashboardScreen .dash-series { height: 1; }
    DashboardScreen .dash-source { width: 16; }
    DashboardScreen .dash-series Sparkline { width: 1fr; height: 1; }
    DashboardScreen .dash-total { width: 8; text-align: right; }
    DashboardScreen #dash-coverage { height: auto; }
    DashboardScreen #dash-legend { color: $text-muted; }
    DashboardScreen #dash-questions { margin-top: 1; color: $text-muted; }
    DashboardScreen #dash-gaps { color: $warning; }
    DashboardScreen #dash-figures { height: auto; }
    """

    # The table: left/right scroll it on a narrow screen; up/down (it does not scroll
    # vertically) go on to the dashboard's body.
    AUTO_FOCUS = "#dash-coverage"

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="dashboard.back"),
        Binding("r", "refresh", "Refresh", id="dashboard.refresh"),
        Binding("e", "export", "Report", id="dashboard.export"),
    ]

    def __init__(
        self,
        store: Any | None = None,
        *,
        codebook: Codebook | None = None,
        i18n: I18n | None = None,
        language: str | None = None,
        tz: tzinfo | None = None,
        days: int = 30,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._codebook = codebook
        self._i18n = i18n or (I18n(language) if language else None)
        self._tz = tz
        self.days = days
        self.since = since
        self.until = until
        self.stats: DialogueStats | None = None
        self.loaded = asyncio.Event()
        self._fitted = 0  # the body width the coverage table was laid out for

    def s(self, key: str, **values: Any) -> str:
        nl, en = TEXT[key]
        value = nl if self.language == "nl" else en
        return value.format(**values) if values else value

    def compose(self) -> ComposeResult:
        yield Static(Content(text("title", self.language)), id="dash-title")
        with VerticalScroll(id="dash-body"):
            yield Static(Content(self.s("loading")), id="dash-period")
            yield Label(text("per_day", self.language), classes="dash-head")
            yield VerticalScroll(id="dash-series")
            yield Label(text("coverage", self.language), classes="dash-head")
            yield DataTable(
                id="dash-coverage", cursor_type="none", zebra_stripes=True, fixed_columns=1
            )
            yield Static("", id="dash-legend")
            yield Static("", id="dash-gaps")
            yield Label(self.s("figures"), classes="dash-head")
            yield Static("", id="dash-figures")
            yield Static("", id="dash-questions")
        yield Footer()

    def on_mount(self) -> None:
        for key, bindings in self._bindings.key_to_bindings.items():
            labels = {
                "dashboard.back": "key.back",
                "dashboard.refresh": "key.refresh",
                "dashboard.export": "key.export",
            }
            from dataclasses import replace

            self._bindings.key_to_bindings[key] = [
                replace(b, description=self.s(labels[b.id])) if b.id in labels else b
                for b in bindings
            ]
        self.action_refresh()

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(exclusive=True, group="dashboard", exit_on_error=False)
    async def action_refresh(self) -> None:
        self.loaded.clear()
        stats = await compute_stats(
            self.store, self.codebook, since=self.since, until=self.until, days=self.days
        )
        self.stats = stats
        await self.show(stats)
        self.loaded.set()

    async def show(self, st: DialogueStats) -> None:
        """Draw the figures (untrusted text: source names, through ``one_line``)."""
        lang = self.language
        period = ""
        if st.days:
            period = f"{text('range', lang)}: {st.days[0]:%Y-%m-%d} – {st.days[-1]:%Y-%m-%d} · "
        period += f"{text('total', lang)}: {st.total}"
        self.query_one("#dash-period", Static).update(Content(period))

        series = self.query_one("#dash-series", VerticalScroll)
        await series.remove_children()
        rows = []
        for name, values in st.per_day.items():
            rows.append(
                Horizontal(
                    Label(Text(preview(name, 15)), classes="dash-source"),
                    Sparkline(list(values) or [0], summary_function=max),
                    Label(Text(str(sum(values))), classes="dash-total"),
                    classes="dash-series",
                )
            )
        await series.mount_all(rows)
        series.styles.height = max(1, len(rows))

        self.fill_coverage()

        missing_q = [q for q in st.questions if not st.question_total(q)]
        missing_r = [
            role_label(self.codebook, r, lang)
            for r in st.roles
            if r is not None and not st.role_total(r)
        ]
        gaps = []
        if missing_q:
            gaps.append(f"{self.s('missing_q')}: {', '.join(missing_q)}")
        if missing_r:
            gaps.append(f"{self.s('missing_r')}: {', '.join(missing_r)}")
        self.query_one("#dash-gaps", Static).update(Content("\n".join(gaps)))

        share = format_share(st.answered, st.citizen)
        lines = [
            f"{text('backlog', lang)}: {st.untagged} "
            f"({text('of_which_new', lang)}: {st.untagged_new})",
            f"{text('moderation', lang)}: {format_duration(st.median_to_moderation, lang)} "
            f"({text('over', lang)} {st.moderated} {text('responses', lang)})",
            f"{text('answered', lang)}: {share}",
            f"{text('answer_time', lang)}: {format_duration(st.median_to_answer, lang)}",
        ]
        self.query_one("#dash-figures", Static).update(Content("\n".join(lines)))

    def fill_coverage(self) -> None:
        """The question × role table in the body's width: every role column whole (the
        last one, "geen rol", too), the question labels cut with "…" to what is left and
        listed in full at the bottom. Narrower than the question column's minimum, the
        table scrolls sideways (arrows, it has the focus) with the question column fixed."""
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
        layout = coverage_table(st, self.codebook, lang, width - 2)
        table.clear(columns=True)
        table.add_column(Text(text("question", lang)), key="q")
        table.add_column(Text(text("sum", lang), justify="right"), key="sum")
        for r, head in zip(layout.roles, layout.heads, strict=True):
            table.add_column(Text(head, justify="right"), key=str(r))
        for q, label, counts, total in zip(
            st.questions, layout.labels, layout.counts, layout.totals, strict=True
        ):
            cells: list[Text] = [
                Text(label, style="" if total else "bold red"),
                Text(str(total), justify="right", style="bold" if total else "bold red"),
            ]
            cells.extend(
                Text(str(n), justify="right") if n else Text("·", style="dim", justify="right")
                for n in counts
            )
            table.add_row(*cells, key=q)
        legend = role_legend(self.codebook, layout.roles, lang, width)
        self.query_one("#dash-legend", Static).update(Content("\n".join(legend)))
        self.query_one("#dash-legend", Static).display = bool(legend)
        questions = self.query_one("#dash-questions", Static)
        questions.display = layout.cut
        lines = [question_label(self.codebook, q, lang) for q in st.questions]
        questions.update(Content("\n".join([text("questions", lang), *lines])))
        self._fitted = body.size.width

    def on_resize(self) -> None:
        # The question column follows the width (after the layout has the new size).
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.stats is not None and self.query_one("#dash-body").size.width != self._fitted:
            self.fill_coverage()

    def action_export(self) -> None:
        export_report(self.app, self.store, self.codebook, self.i18n)


def export_report(app: Any, store: Any, codebook: Codebook, i18n: I18n) -> None:
    """``e`` on the dashboard: the Markdown report of all planning questions (redacted)
    in the current directory, written by the export dialog's worker
    (:func:`reactieveld.tui.screens.export.write_export`), which notifies the path."""
    opts = queue_options(
        None, fmt="md", include_personal_data=False, codebook=codebook, language=i18n.language
    )
    write_export(app, store, opts, report_path(), i18n=i18n)
