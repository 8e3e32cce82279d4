"""The figure of decisions kept in the memory only: write-backs the site can never take.

A write-back of a final kind (``model_values.FINAL_KINDS``: the comment gone from the
site, a status it refuses) was counted nowhere: the header's "not written back" counts
only the ones a resend can still mend. ``reactieveld stats`` and the dashboard now count
them, with their period and definition, shown when there are any (as the rules'
tallies). On both backends, from generated decisions, failures of every kind and state,
replies, later decisions and sources, checked against the figure computed a second way
from the outbox rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from helpers.dashboard import Host, wait_loaded
from helpers.figures import set_store_clock
from helpers.store import T0, open_store, page, resp, sql
from reportdata import T0 as DAY
from reportdata import build
from textual.widgets import Static

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.model import RemoteStatus
from reactieveld.model_values import FAILURE_KINDS, FINAL_KINDS
from reactieveld.read.figures import Period, compute_stats, render_text

KINDS = (None, *sorted(set(FAILURE_KINDS.values())))
STATUSES = (RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM)
#: The second day of the memory's three: a decision on the first or last is outside.
PERIOD = Period(date(2024, 3, 2), date(2024, 3, 2))

OUTBOX_SQL = (
    "SELECT o.id, o.response_id, o.state, o.failure_kind, o.created_at, s.name "
    "FROM outbox o JOIN sources s ON s.id = o.source_id"
)


def memory_only(rows: list[Any], period: Period, sources: tuple[str, ...] = ()) -> int:
    """The figure a second way: per response its newest outbox row (by id); those failed
    or in conflict of a final kind, queued in the period, from ``sources`` (all: none)."""
    newest: dict[int, Any] = {}
    for row in sorted(rows, key=lambda r: r[0]):
        newest[row[1]] = row
    lo, hi = period.start.timestamp(), period.end.timestamp()
    return sum(
        1
        for _, _, state, kind, at, source in newest.values()
        if state in ("failed", "conflict")
        and kind in FINAL_KINDS
        and lo <= at < hi
        and (not sources or source in sources)
    )


class Clock:
    def __init__(self) -> None:
        self.now = T0 - timedelta(hours=6)  # the day before the period

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.mark.parametrize("seed", [1, 2])
async def test_generated_write_backs_agree(
    store_target: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decisions (one or several rows), replies, failures of every kind (or none), failed
    and in conflict, later decisions, over three days and two sources: the figure equals
    the second computation, for all sources and for one."""
    rng = random.Random(seed)
    store = await open_store(store_target)
    clock = Clock()
    set_store_clock(monkeypatch, clock)
    try:
        await store.upsert_page("blog", page(*(resp(str(n), minutes=n) for n in range(8))))
        await store.upsert_page("forum", page(*(resp(f"f{n}", source="forum") for n in range(3))))
        rids = [r for (r,) in await sql(store, "SELECT id FROM responses ORDER BY id")]
        for _ in range(50):
            step = rng.random()
            if step < 0.3:
                chosen = rng.sample(rids, rng.choice((1, 1, 2, 3)))
                await store.moderate(chosen, rng.choice(STATUSES), actor="anna")
            elif step < 0.38:
                await store.reply(rng.choice(rids), "Dank", actor="anna")
            else:
                waiting = [i for i in await store.outbox_items() if i.state.value == "pending"]
                if waiting:
                    item = rng.choice(waiting)
                    await store.outbox_fail(
                        item.id,
                        error="blog: no",
                        conflict=rng.random() < 0.5,
                        kind=rng.choice(KINDS),
                    )
            clock.now += timedelta(minutes=rng.choice((10, 40, 90)))
        rows = list(await sql(store, OUTBOX_SQL))
        found = []
        for sources in ((), ("forum",)):
            s = await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD, sources=sources)
            assert s.memory_only == memory_only(rows, PERIOD, sources)
            found.append(s.memory_only)
        assert found[0] > 0  # the generated memories have some (the check is not empty)
    finally:
        await store.close()


async def test_stats_name_it_with_its_definition_only_when_there_are_some(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reactieveld stats``' page, English and Dutch: the line and its definition (with
    its period) when a decision of the period can never be written back; neither when
    none can (a mendable failure is the header's, not this)."""
    store = await open_store(str(tmp_path / "m.db"))
    clock = Clock()
    clock.now = T0
    set_store_clock(monkeypatch, clock)
    try:
        await store.upsert_page("blog", page(*(resp(e, minutes=1) for e in "ab")))
        ids = [r for (r,) in await sql(store, "SELECT id FROM responses ORDER BY id")]
        for rid, kind in zip(ids, ("closed", "gone"), strict=True):
            [oid] = (await store.moderate([rid], RemoteStatus.SPAM, actor="m")).outbox_ids
            await store.outbox_fail(oid, error="blog: no", conflict=True, kind=kind)
        day = Period(T0.date(), T0.date())
        s = await compute_stats(store, DEFAULT_CODEBOOK, period=day)
        await sql(store, "UPDATE outbox SET failure_kind = 'closed'")
        none = await compute_stats(store, DEFAULT_CODEBOOK, period=day)
    finally:
        await store.close()
    en = render_text(s, DEFAULT_CODEBOOK, "en", width=80)
    assert "Decisions kept in the memory only (the site cannot take them): 1\n" in en
    assert "- Decisions kept in the memory only (the site cannot take them): responses" in en
    assert "queued in the period" in " ".join(en.split())
    nl = render_text(s, DEFAULT_CODEBOOK, "nl", width=80)
    assert "Besluiten alleen in het geheugen (de site kan ze niet aannemen): 1\n" in nl
    assert "in de periode verstuurd" in " ".join(nl.split())
    mine = [line for line in (en + nl).splitlines() if "(the site" in line or "(de site" in line]
    assert mine and all(len(line) <= 80 for line in mine)
    assert none.memory_only == 0
    for language in ("en", "nl"):
        assert "(de site kan ze niet" not in render_text(none, DEFAULT_CODEBOOK, language)
        assert "(the site cannot" not in render_text(none, DEFAULT_CODEBOOK, language)


async def test_the_dashboard_shows_it_at_80x24(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, utc: None
) -> None:
    """The dashboard (80x24, no colour): the line under the figures, within 80 columns,
    and with ``i`` what it counts."""
    monkeypatch.setenv("NO_COLOR", "1")
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    try:
        [oid] = (await store.moderate([ids["r1"]], RemoteStatus.TRASH, actor="m")).outbox_ids
        await store.outbox_fail(oid, error="blog: no", conflict=True, kind="gone")
        await sql(store, "UPDATE outbox SET created_at = ? WHERE id = ?", (DAY.timestamp(), oid))
    finally:
        await store.close()
    app = Host(tmp_path / "m.db", language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        figures = str(screen.query_one("#dash-figures", Static).render()).splitlines()
        assert "Decisions kept in the memory only (the site cannot take them): 1" in figures
        await pilot.press("i")
        await pilot.pause()
        defined = str(screen.query_one("#dash-definitions", Static).render())
        assert "- Decisions kept in the memory only (the site cannot take them):" in defined
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert all(len(line) <= 80 for line in lines)
