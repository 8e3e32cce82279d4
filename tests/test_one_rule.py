"""One role rule and one date rule for every figure.

The Markdown report counts per role by the dashboard's rule (coded role tag, else the
platform's role, else unknown), so its table per question equals the dashboard's coverage
for the same sources and period. Every command reads a date as a whole UTC day, whatever
the local time zone: export, search and stats count the same responses around midnight UTC.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers.cli import export_args
from helpers.data import load_demo
from helpers.figures import PERIOD, created_span, fill, hand_made, response, response_ids

from reactieveld.cli_read import export_options
from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.model import RemoteStatus, TagKind
from reactieveld.read.figures import Period, compute_stats, parse_date, period_of, text
from reactieveld.read.search import filter_summary, parse_query, search
from reactieveld.reports.formats import md_text, write_jsonl, write_markdown
from reactieveld.store.sqlite import SqliteStore

CONFIG = argparse.Namespace(ui=argparse.Namespace(language="nl"))  # the default codebook, Dutch


def report_tables(md: str) -> dict[str, dict[str, int]]:
    """{question code: {role label as written: n}} from the report's tables."""
    tables: dict[str, dict[str, int]] = {}
    for section in re.split(r"(?m)^## ", md)[1:]:
        code = section.split(".", 1)[0]
        rows = re.findall(r"(?m)^\| (.+?) \| (\d+) \|$", section)
        tables[code] = {label: int(n) for label, n in rows}
    return tables


def dashboard_tables(stats: object, language: str = "nl") -> dict[str, dict[str, int]]:
    """The same from the dashboard's coverage (unknown under the dashboard's word: the
    report said "geen rol" under a header whose role rule said "anders onbekend")."""
    words = {"nl": "onbekend", "en": "unknown"}
    out: dict[str, dict[str, int]] = {}
    for (q, role), n in stats.coverage.items():  # type: ignore[attr-defined]
        label = (
            words[language]
            if role is None
            else md_text(DEFAULT_CODEBOOK.label(TagKind.ROLE, role, language))
        )
        out.setdefault(q, {})[label] = n
    return out


async def report(store: SqliteStore, **kw: object) -> str:
    out = io.StringIO()
    await write_markdown(store, export_options(CONFIG, export_args(**{"format": "md", **kw})), out)
    return out.getvalue()


def same_figures(md: str, stats: object) -> None:
    got = {q: t for q, t in report_tables(md).items() if t}
    assert got == dashboard_tables(stats)


# -- the role rule -----------------------------------------------------------------------------


async def test_report_counts_roles_as_the_dashboard(tmp_path: Path) -> None:
    """h5 has only the platform's role (raad) and question 3: the report counts it as
    raad, not as "no role", as the dashboard does; h10's coded burger wins over its
    platform's raad."""
    with pytest.MonkeyPatch.context() as mp:
        store = await hand_made(tmp_path / "m.db", mp)
    try:
        since, until = PERIOD.first.isoformat(), PERIOD.last.isoformat()
        for sources in ((), ("blog",), ("forum",)):
            stats = await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD, sources=sources)
            md = await report(store, since=since, until=until, source=list(sources))
            same_figures(md, stats)
        md = await report(store, since=since, until=until)
        raad = DEFAULT_CODEBOOK.label(TagKind.ROLE, "raad", "nl")
        assert report_tables(md)["3"] == {raad: 1}
        assert f"- Per rol: {text('role.def', 'nl')}\n" in md  # the rule, in the header
    finally:
        await store.close()


async def test_report_on_the_demo_counts_roles_as_the_dashboard(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    store = await SqliteStore.open(path)
    try:
        await load_demo(store, count=400, seed=5)
        rows = await response_ids(path)
        # The store codes a platform's role on arrival; a moderator cleared some of those
        # (the platform's role stays the response's role), and coded others.
        hinted = await store.read(
            lambda db: [i for (i,) in db.execute("SELECT id FROM responses WHERE role_hint != ''")]
        )
        await store.set_role(hinted[::2], None, actor="m")
        await store.set_role(rows[::7], "burger", actor="m")
        await store.toggle_question(rows[::3], "1", actor="m")
        await store.toggle_question(rows[1::4], "2", actor="m")
        hint_only = await store.read(
            lambda db: db.execute(
                "SELECT count(*) FROM responses r WHERE role_hint != '' AND NOT EXISTS "
                "(SELECT 1 FROM tags t WHERE t.response_id = r.id AND t.kind = 'role') "
                "AND EXISTS (SELECT 1 FROM tags t WHERE t.response_id = r.id "
                "AND t.kind = 'question') AND remote_status IN ('approved', 'hold')"
            ).fetchone()[0]
        )
        assert hint_only > 0  # the responses where the two rules differ are in the figures
        newest, oldest = await created_span(path)
        for period in (Period(oldest, newest), period_of(until=newest, days=7)):
            stats = await compute_stats(store, DEFAULT_CODEBOOK, period=period)
            md = await report(store, since=period.first.isoformat(), until=period.last.isoformat())
            same_figures(md, stats)
    finally:
        await store.close()


# -- the date rule -----------------------------------------------------------------------------

DAY = date(2026, 5, 10)
MIDNIGHT = datetime(2026, 5, 10, tzinfo=UTC)
H = timedelta(hours=1)
#: Around both edges of 10-11 May (UTC), and around the local midnights of UTC+14, UTC-9.
OFFSETS = [-15 * H, -13 * H, -timedelta(seconds=1), timedelta(0), 8 * H, 10 * H]
OFFSETS += [timedelta(days=2) + o for o in OFFSETS]


@pytest.fixture(params=["Pacific/Kiritimati", "America/Adak", "UTC"])
def far_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_a_date_is_a_whole_utc_day(far_zone: str) -> None:
    assert parse_date("2026-05-10") == MIDNIGHT
    assert parse_date("2026-05-10", end=True) == MIDNIGHT + timedelta(days=1)
    assert parse_date("2026-05-10T06:00") == MIDNIGHT + 6 * H  # no zone: UTC too
    flt = parse_query("sinds:2026-05-10 tot:2026-05-11").filter
    assert filter_summary(flt) == ["sinds:2026-05-10", "tot:2026-05-11"]


async def test_export_search_and_stats_count_the_same_days(tmp_path: Path, far_zone: str) -> None:
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        at = [MIDNIGHT + o for o in OFFSETS]
        await fill(store, [response(f"d{i}", "blog", "a", t) for i, t in enumerate(at)])
        end = MIDNIGHT + timedelta(days=2)
        expected = sum(MIDNIGHT <= t < end for t in at)
        assert 0 < expected < len(at)

        out = io.StringIO()
        opts = export_options(
            CONFIG, export_args(format="jsonl", since="2026-05-10", until="2026-05-11")
        )
        exported = await write_jsonl(store, opts, out)
        found = await search(store, "sinds:2026-05-10 tot:2026-05-11", limit=100, count=False)
        stats = await compute_stats(store, period=period_of(since="2026-05-10", until="2026-05-11"))
        assert (exported, len(found.hits), stats.total) == (expected,) * 3
        # --since alone, to today, as the three commands take it.
        since_only = sum(t >= MIDNIGHT for t in at)
        opts = export_options(CONFIG, export_args(format="jsonl", since="2026-05-10"))
        assert await write_jsonl(store, opts, io.StringIO()) == since_only
        found = await search(store, "sinds:2026-05-10", limit=100, count=False)
        assert len(found.hits) == since_only
        stats = await compute_stats(store, period=period_of(since="2026-05-10"))
        assert stats.total == since_only
    finally:
        await store.close()


def test_every_status_in_the_date_test_is_counted() -> None:
    # The date test compares export (approved, hold, hidden) with stats (all but spam,
    # trash, deleted): the responses it makes are approved, counted by both.
    assert response("x", "blog", "a", MIDNIGHT).remote_status is RemoteStatus.APPROVED
