"""The dashboard screen on its own: a host app on a store file, and waiting for its figures."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from figures_oracle import oracle
from reportdata import T0
from textual.widgets import DataTable

from helpers.app import ScreenHost
from helpers.store import sql
from reactieveld.cli import demo_source, seed_demo
from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.config import load_config
from reactieveld.connectors.demo import ANCHOR
from reactieveld.i18n import text as ui_text
from reactieveld.model import TagKind
from reactieveld.read.figures import Period
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.dashboard import DashboardScreen
from reactieveld.tui.widgets.heading import Heading

#: The dashboard's test terminal.
SIZE = (130, 40)
DAYS3 = Period(T0.date(), T0.date() + timedelta(days=2))  # the reportdata memory's three days


class Host(ScreenHost):
    """Only the dashboard over the store at ``path`` (no other screen's pixels)."""

    def __init__(self, path, language="nl", period=DAYS3):
        super().__init__(
            path, lambda store: DashboardScreen(store, language=language, period=period)
        )


async def wait_loaded(pilot) -> DashboardScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await screen.loaded.wait()
    await pilot.pause()
    return screen


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo at its fixed anchor, seeded as ``reactieveld --demo`` seeds it
    (read only by these tests)."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    config = replace(load_config(None), sources=(demo_source(anchor=ANCHOR.isoformat()),))
    seed_demo(config, db)
    return db


# -- what the dashboard shows --------------------------------------------------------


def screen_figures(screen: DashboardScreen) -> dict[str, object]:
    """The period and the count of responses (the top line), and the coverage table's
    cells, as the screen's characters: per question its total, per question and role."""
    top = str(screen.query_one("#dash-period", Heading).render())
    period, total = re.fullmatch(r"[^:]+: (.+) · [^:]+: (\d+)", top).groups()  # type: ignore[union-attr]
    table = screen.query_one(DataTable)
    stats = screen.stats
    assert stats is not None
    per_question = {q: int(table.get_cell(q, "sum").plain) for q in stats.questions}
    coverage = {}
    for q in stats.questions:
        for role in stats.roles:
            shown = table.get_cell(q, str(role)).plain
            if shown != "·":
                coverage[(q, role)] = int(shown)
    return {"period": period, "total": int(total), "questions": per_question, "coverage": coverage}


# -- what the report says ------------------------------------------------------------


def report_figures(report: str, language: str) -> dict[str, object]:
    """The report's period and count of responses (its header), per question its count
    and its table per role (role labels back to codes: the codebook's, None for none)."""
    by_label = {
        DEFAULT_CODEBOOK.label(TagKind.ROLE, r.code, language): r.code
        for r in DEFAULT_CODEBOOK.roles
    }
    by_label[ui_text("stats.no_role", language)] = None  # type: ignore[assignment]
    period_word = ui_text("stats.range", language)
    total_word = ui_text("stats.total", language)
    header, *sections = re.split(r"(?m)^## ", report)
    period = re.search(rf"(?m)^- {period_word}: (.+?)(?: — .*)?$", header)
    total = re.search(rf"(?m)^- {total_word}: (\d+) — ", header)
    questions: dict[str, int] = {}
    coverage: dict[tuple[str, str | None], int] = {}
    for section in sections:
        code = section.split(".", 1)[0]
        count = re.search(r"(?m)^\*\*(\d+) \w+\*\*$", section)
        questions[code] = int(count.group(1)) if count else 0
        for label, n in re.findall(r"(?m)^\| (.+) \| (\d+) \|$", section):
            coverage[(code, by_label[label])] = int(n)
    return {
        "period": period.group(1) if period else None,
        "total": int(total.group(1)) if total else None,
        "questions": questions,
        "coverage": coverage,
    }


# -- the same figures a second way -------------------------------------------------------

IN_PERIOD = "r.created_at >= ? AND r.created_at < ? AND r.remote_status NOT IN (?, ?, ?)"


async def from_the_store(path: Path, period: Period) -> dict[str, object]:
    """The count of responses, per question, the responses with a question (SQL through
    the store's test helper) and the coverage (the raw rows' oracle), of ``period``."""
    params = (int(period.start.timestamp()), int(period.end.timestamp()), "spam", "trash")
    params = (*params, "deleted")
    store = await SqliteStore.open(path)
    try:
        [(total,)] = await sql(store, f"SELECT count(*) FROM responses r WHERE {IN_PERIOD}", params)
        tagged = (
            "FROM tags t JOIN responses r ON r.id = t.response_id "
            f"WHERE t.kind = 'question' AND {IN_PERIOD}"
        )
        rows = await sql(store, f"SELECT t.code, count(DISTINCT r.id) {tagged} GROUP BY 1", params)
        [(with_question,)] = await sql(store, f"SELECT count(DISTINCT r.id) {tagged}", params)
    finally:
        await store.close()
    questions = {c.code: 0 for c in DEFAULT_CODEBOOK.questions} | dict(rows)
    coverage = oracle(path, DEFAULT_CODEBOOK, period)["coverage"]
    return {
        "total": total,
        "questions": questions,
        "coverage": coverage,
        "with_question": with_question,
    }
