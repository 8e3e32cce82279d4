"""The dialogue figures on a fixed memory (tests/reportdata.py), computed by hand."""

from __future__ import annotations

import asyncio
import io
from argparse import Namespace
from datetime import date, timedelta

import pytest
from figures_oracle import agree, oracle
from reportdata import T0, D, build

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.read.figures import (
    Period,
    compute_stats,
    format_duration,
    render_text,
    run_stats_command,
    sparkline,
)

pytestmark = pytest.mark.usefixtures("utc")


DAYS3 = Period(T0.date(), T0.date() + timedelta(days=2))


async def test_figures_by_hand(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    try:
        s = await compute_stats(store, DEFAULT_CODEBOOK, period=DAYS3)
    finally:
        await store.close()
    day0 = T0.date()
    # Counted: r1 r2 r3 r5 r6 r7 r9 (r4 spam and r8 trash are not dialogue).
    assert s.total == 7
    # The period's three UTC days.
    assert s.days == (day0, day0 + timedelta(days=1), day0 + timedelta(days=2))
    assert s.per_day == {"blog": (3, 0, 0), "forum": (0, 2, 2)}
    # Coverage: r1 (1 and 2, no role), r3 (1, burger), r5 (2, no role), r6 (1, ambtenaar).
    assert dict(s.coverage) == {
        ("1", None): 1,
        ("2", None): 2,
        ("1", "burger"): 1,
        ("1", "ambtenaar"): 1,
    }
    assert s.questions == tuple(str(i) for i in range(1, 9))
    assert s.roles[-1] is None and s.roles[0] == "burger"
    assert s.question_total("1") == 3 and s.question_total("2") == 2
    assert s.role_total(None) == 3
    # Per role, each response once: coded, else the platform's (r2), else unknown.
    assert s.by_role == {None: 3, "organisatie": 1, "burger": 2, "ambtenaar": 1}
    assert s.missing_roles == ("raad", "college", "klant", "medewerker", "ondernemer")
    # Untagged: r2, r7, r9; r2 is handled.
    assert (s.untagged, s.untagged_new) == (3, 2)
    # First action per response: 1h 1h 2h 1h 4h 2h 10h -> median 2h over 7.
    assert s.moderated == 7
    assert s.median_to_moderation == 2 * 3600
    # Citizens: r1 r3 r5 r7 (hint raad overruled by burger) r9; answered r1 by r2 (2h),
    # r5 by r6 (6h, role set by the moderator). r3 comes after r2; r7 only has a trashed
    # reply after it; r9 has no thread.
    assert (s.citizen, s.answered) == (5, 2)
    assert s.answer_share == pytest.approx(0.4)
    assert s.median_to_answer == 4 * 3600
    agree(s, oracle(tmp_path / "m.db", DEFAULT_CODEBOOK, DAYS3))  # and a second way


async def test_range_and_source(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    try:
        s = await compute_stats(
            store, period=Period((T0 + D).date(), (T0 + 2 * D).date()), sources=("forum",)
        )
        later = (T0 + 10 * D).date()
        empty = await compute_stats(store, period=Period(later, later))
    finally:
        await store.close()
    assert s.total == 4  # r5 r6 r7 r9
    assert s.days[0] == (T0 + D).date() and s.days[-1] == (T0 + 2 * D).date()
    assert s.per_day == {"forum": (2, 2)}
    assert (s.citizen, s.answered, s.median_to_answer) == (3, 1, 6 * 3600)
    assert empty.total == 0 and empty.median_to_moderation is None
    assert empty.answer_share is None and empty.median_to_answer is None


def test_stats_command_prints_the_figures(tmp_path, monkeypatch):
    async def make() -> None:
        store, _ = await build(tmp_path / "m.db", monkeypatch)
        await store.close()

    asyncio.run(make())
    out = io.StringIO()
    args = Namespace(since=None, until="2026-03-04", source=None, days=3, lang="en")
    config = Namespace(codebook=DEFAULT_CODEBOOK)
    assert run_stats_command(config, tmp_path / "m.db", args, out=out) == 0
    text = out.getvalue()
    assert "Period: 2026-03-02 – 2026-03-04 (3 days, UTC) · Responses: 7" in text
    assert "blog   █    3" in text
    assert "Responses from outside the organisation answered: 2 / 5 (40%)" in text
    assert "Median time to that answer: 4 h 0 min" in text
    assert "Median time to moderation: 2 h 0 min (over 7 responses)" in text
    assert "Not coded yet (no planning question): 3 (of which untriaged: 2)" in text
    bad = Namespace(since="gisteren", until=None, source=None, days=None, lang="nl")
    assert run_stats_command(config, tmp_path / "m.db", bad, out=io.StringIO()) == 2
    zero = Namespace(since=None, until=None, source=None, days=0, lang="nl")
    assert run_stats_command(config, tmp_path / "m.db", zero, out=io.StringIO()) == 2


def test_helpers():
    assert sparkline([0, 4, 8]) == " ▄█"
    assert sparkline([0, 0]) == "  "
    assert format_duration(None) == "—"
    assert format_duration(90_000, "nl") == "1 d 1 u"
    assert format_duration(600, "en") == "10 min"
    assert render_text(
        __import__("reactieveld.read.figures", fromlist=["DialogueStats"]).DialogueStats(
            days=(date(2026, 1, 1),)
        ),
        DEFAULT_CODEBOOK,
        "nl",
    ).startswith("Waarde van de dialoog")
