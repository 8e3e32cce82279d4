"""The lived-in demo: a year of coded dialogue behind the queue, on first use.

The default demo (500 responses, seed 1) at a fixed anchor, seeded as ``reactieveld
--demo`` seeds it, must show what the memory is for: every planning question and several
roles in the coverage, a median time to moderation and to an answer, a report section
per question, search by question, and a frequent commenter across threads. The history
is checked against the store a second way (from the journal, by hand).
"""

from __future__ import annotations

import io
import sqlite3
import statistics
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.cli import export_args
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.cli import demo_source, main, seed_demo
from reactieveld.cli_read import run_export_command
from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.config import ConfigError, load_config
from reactieveld.connectors.demo import (
    ANCHOR,
    CONTENT_TEXTS,
    HOSTILE,
    OPENINGS,
    QUESTION_TEXTS,
    SUBJECTS,
    DemoConnector,
)
from reactieveld.demo_history import MODERATORS, plan_history
from reactieveld.model import RemoteStatus
from reactieveld.read.figures import compute_stats, period_of
from reactieveld.read.search import search
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore

ANCHOR_TEXT = ANCHOR.isoformat()


def _config(**options: object):
    source = demo_source(anchor=ANCHOR_TEXT)
    source = replace(source, options={**source.options, **options})
    return replace(load_config(None), sources=(source,))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo, seeded once for this module (read-only for its tests)."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    seed_demo(_config(), db)
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


# -- what the first run shows ---------------------------------------------------------------
#: The dashboard's default period as the first run shows it: the last 30 days ending on
#: the day the demo was seeded (its anchor), whatever the clock of the test machine says.
FIRST_RUN = period_of(today=ANCHOR.date())
LO, HI = int(FIRST_RUN.start.timestamp()), int(FIRST_RUN.end.timestamp())
IN_PERIOD = f"r.created_at >= {LO} AND r.created_at < {HI}"


async def test_dashboard_has_every_question_roles_and_both_medians(demo_db: Path) -> None:
    store = await SqliteStore.open(demo_db)
    try:
        stats = await compute_stats(store, DEFAULT_CODEBOOK, period=FIRST_RUN)
    finally:
        await store.close()
    assert len(FIRST_RUN) == 30 and FIRST_RUN.last == ANCHOR.date()
    for q in DEFAULT_CODEBOOK.questions:
        assert stats.question_total(q.code) >= 10, q.code
    present = [r for r in stats.roles if r is not None and stats.role_total(r) > 0]
    assert len(present) >= 4, present
    assert stats.median_to_moderation is not None
    assert stats.median_to_answer is not None
    # A second way: counted responses in the period per coded question, and per role by
    # the one rule (coded role, else the platform's), from the tables by hand.
    per_question = dict(
        _rows(
            demo_db,
            "SELECT t.code, count(DISTINCT r.id) FROM responses r JOIN tags t "
            f"ON t.response_id = r.id AND t.kind = 'question' WHERE {IN_PERIOD} "
            "AND r.remote_status NOT IN ('spam', 'trash', 'deleted') GROUP BY 1",
        )
    )
    assert per_question == {
        q.code: stats.question_total(q.code) for q in DEFAULT_CODEBOOK.questions
    }
    roles: dict[str | None, int] = {}
    for coded, hint in _rows(
        demo_db,
        "SELECT (SELECT min(t.code) FROM tags t WHERE t.response_id = r.id AND t.kind = 'role' "
        "AND t.actor != 'connector'), r.role_hint FROM responses r "
        f"WHERE {IN_PERIOD} AND r.remote_status NOT IN ('spam', 'trash', 'deleted')",
    ):
        role = coded or hint
        roles[role] = roles.get(role, 0) + 1
    assert {r: n for r, n in stats.by_role.items() if n} == roles
    # Moderation a second way: per response of the period, its first journal entry minus
    # its arrival.
    delays = [
        max(0, first - created)
        for first, created in _rows(
            demo_db,
            "SELECT min(a.at), r.created_at FROM actions a JOIN responses r "
            f"ON r.id = a.response_id WHERE {IN_PERIOD} GROUP BY r.id",
        )
    ]
    assert stats.moderated == len(delays)
    assert stats.median_to_moderation == pytest.approx(statistics.median(delays))
    # Hours, not seconds or months: a team that reads its comment field daily.
    assert 3600 <= stats.median_to_moderation <= 2 * 86400


def test_the_year_is_quiet_then_busy_around_the_round(demo_db: Path) -> None:
    """Most of the dialogue is recent (a participation round), the months before quiet;
    the untriaged ones are the last few days' (apart from a few that slipped through)."""
    ((recent,),) = _rows(demo_db, f"SELECT count(*) FROM responses r WHERE {IN_PERIOD}")
    assert 0.55 * 500 <= recent <= 0.65 * 500
    ((oldest,),) = _rows(demo_db, "SELECT min(created_at) FROM responses")
    assert int(ANCHOR.timestamp()) - oldest >= 360 * 86400  # still a year of memory
    week = int(ANCHOR.timestamp()) - 7 * 86400
    ((new_recent, new_all),) = _rows(
        demo_db,
        f"SELECT coalesce(sum(created_at >= {week}), 0), count(*) FROM responses "
        "WHERE triage = 'new'",
    )
    assert new_recent >= 0.6 * new_all


async def test_the_queue_still_has_work_and_the_history_is_honest(demo_db: Path) -> None:
    triage = dict(_rows(demo_db, "SELECT triage, count(*) FROM responses GROUP BY 1"))
    assert triage["new"] + triage["handled"] == 500
    assert 60 <= triage["new"] <= 160  # about a fifth: work to do
    assert 0.7 <= triage["handled"] / 500 <= 0.9
    # The newest responses are the untriaged ones.
    newest = _rows(demo_db, "SELECT triage FROM responses ORDER BY created_at DESC LIMIT 10")
    assert [t for (t,) in newest].count("new") >= 8
    # History is not write-back: nothing in the outbox.
    assert _rows(demo_db, "SELECT count(*) FROM outbox") == [(0,)]
    actors = {a for (a,) in _rows(demo_db, "SELECT DISTINCT actor FROM actions")}
    assert actors == set(MODERATORS)
    # Nothing happened before the response arrived or after the demo's "now".
    bad = _rows(
        demo_db,
        "SELECT count(*) FROM actions a JOIN responses r ON r.id = a.response_id "
        f"WHERE a.at < r.created_at OR a.at > {int(ANCHOR.timestamp()) + 60}",
    )
    assert bad == [(0,)]
    # A decision's "after" is the response's state now; spam and trash are not coded.
    assert _rows(
        demo_db,
        "SELECT count(*) FROM responses r JOIN actions a ON a.response_id = r.id "
        "AND a.kind = 'moderate' WHERE json_extract(a.after, '$.status') != r.remote_status",
    ) == [(0,)]
    assert _rows(
        demo_db,
        "SELECT count(*) FROM tags t JOIN responses r ON r.id = t.response_id "
        "WHERE t.kind = 'question' AND r.remote_status IN ('spam', 'trash')",
    ) == [(0,)]
    kinds = {k for (k,) in _rows(demo_db, "SELECT DISTINCT kind FROM actions")}
    assert {"moderate", "handle", "tag", "role", "note"} <= kinds
    statuses = {s for (s,) in _rows(demo_db, "SELECT DISTINCT after FROM actions")}
    for status in ("approved", "hold", "spam", "trash"):
        assert any(f'"{status}"' in s for s in statuses), status
    # Every hostile text is still there, most of them decided as spam or trash.
    bodies = {b for (b,) in _rows(demo_db, "SELECT body_text FROM responses")}
    assert set(HOSTILE) <= bodies


def test_markdown_report_has_a_section_with_quotes_per_question(demo_db: Path) -> None:
    args = export_args(format="md")
    out = io.StringIO()
    assert run_export_command(load_config(None), demo_db, args, out=out) == 0
    text = out.getvalue()
    sections = text.split("\n## ")[1:]
    assert len(sections) == 8
    for section in sections:
        assert "\n> " in section, section[:60]  # quoted responses, not "no responses"


async def test_search_by_question_and_a_frequent_commenter_across_threads(
    demo_db: Path,
) -> None:
    store = await SqliteStore.open(demo_db)
    try:
        result = await search(store, "vraag:3", limit=50)
        assert len(result.hits) >= 10
        assert all("3" in hit.row.questions for hit in result.hits)
        rows = await store.queue(QueueFilter(), limit=500)
        by_author: dict[str, list] = {}
        for row in rows:
            by_author.setdefault(row.response.author_name, []).append(row)
        name, mine = max(by_author.items(), key=lambda kv: len(kv[1]))
        history = await store.author_history(mine[0])
        threads = {r.response.thread_external_id for r in [mine[0], *history]}
        assert len(threads) >= 3, name
    finally:
        await store.close()


# -- determinism, once only, and the bare demo ----------------------------------------------
TABLES = (
    "SELECT at, actor, kind, response_id, before, after, undoes, batch FROM actions ORDER BY id",
    # A platform-recorded role is tagged when it is fetched (now); the coded ones are history.
    "SELECT response_id, kind, code, iif(actor = 'connector', 0, created_at), actor FROM tags "
    "ORDER BY 1, 2, 3",
    "SELECT id, response_id, text, actor, created_at FROM notes ORDER BY id",
    "SELECT id, remote_status, triage FROM responses ORDER BY id",
)


def test_same_seed_same_history_and_seeding_twice_adds_nothing(
    tmp_path: Path, demo_db: Path
) -> None:
    other = tmp_path / "again.db"
    seed_demo(_config(), other)
    for sql in TABLES:
        assert _rows(other, sql) == _rows(demo_db, sql)
    seed_demo(_config(), other)  # the app opened a second time
    for sql in TABLES:
        assert _rows(other, sql) == _rows(demo_db, sql)
    seed_demo(_config(seed=2), tmp_path / "seed2.db")
    assert _rows(tmp_path / "seed2.db", TABLES[0]) != _rows(demo_db, TABLES[0])


def test_history_false_is_the_bare_demo(tmp_path: Path) -> None:
    db = tmp_path / "bare.db"
    seed_demo(_config(history=False), db)
    assert _rows(db, "SELECT triage, count(*) FROM responses GROUP BY 1") == [("new", 500)]
    assert _rows(db, "SELECT count(*) FROM actions") == [(0,)]


# -- every --demo command works on first use -----------------------------------------------
@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["--demo", "stats"], "moderat"),
        (["--demo", "search", "zwembad"], "zwembad"),
        (["--demo", "search", "vraag:3"], "#3"),
        (["--demo", "export", "--format", "md"], "## 8."),
        (["--demo", "sources"], "demo\tdemo"),
    ],
)
def test_demo_commands_work_on_first_use(
    tui_env: None, capsys: pytest.CaptureFixture[str], argv: list[str], expect: str
) -> None:
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert expect in captured.out
    assert "Traceback" not in captured.err


def test_demo_stats_after_the_app_seeded_it_changes_nothing(
    tui_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--demo", "stats"]) == 0
    db = tmp_path / "xdg-data" / "reactieveld" / "demo.db"
    before = [_rows(db, sql) for sql in TABLES]
    assert main(["--demo", "search", "parkeren"]) == 0
    assert [_rows(db, sql) for sql in TABLES] == before
    assert "Median time to moderation: –" not in capsys.readouterr().out


# -- configuration --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('history = "ja"', 'key "history": expected true or false'),
        ("history = 1", 'key "history": expected true or false'),
        ('anchor = "gisteren"', 'key "anchor": expected a date like 2026-12-04'),
        ("anchor = 3", 'key "anchor": expected a date like 2026-12-04'),
    ],
)
def test_bad_demo_options_name_file_line_and_key(tmp_path: Path, line: str, message: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[[sources]]\nname = "demo"\ntype = "demo"\n{line}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(cfg)
    assert message in str(exc.value)
    assert f"{cfg}:4" in str(exc.value)


def test_good_demo_options(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[sources]]\nname = "demo"\ntype = "demo"\nhistory = false\nanchor = 2026-06-01\n',
        encoding="utf-8",
    )
    (source,) = load_config(cfg).sources
    connector = DemoConnector.from_config(source)
    assert connector.anchor.isoformat() == "2026-06-01T09:00:00+00:00"
    assert source.options["history"] is False


# -- the texts and the history, for any seed -----------------------------------------------
def _sentences(code: str) -> list[str]:
    return [
        s.format(onderwerp=subject)
        for voice in QUESTION_TEXTS[code]
        for s in voice
        for subject in SUBJECTS
    ]


ALL = {code: _sentences(code) for code in QUESTION_TEXTS}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), i=st.integers(0, 4999))
def test_a_reader_can_tell_which_question_a_text_speaks_to(seed: int, i: int) -> None:
    connector = DemoConnector(count=5000, seed=seed)
    response, plan = connector.response_and_plan(i)
    body = response.body_text.lower()
    if plan.hostile:
        assert response.body_text in HOSTILE
        return
    if plan.organisation:  # the organisation's own short replies (ORG_REPLY_QUESTIONS)
        assert response.role_hint == plan.role
        return
    for code, sentences in ALL.items():
        said = any(s.lower() in body for s in sentences)
        assert said == (code in plan.questions), (code, plan, body)
    if not plan.questions and not plan.organisation:
        assert any(c.lower() in body for c in CONTENT_TEXTS)
    # The role follows from the author's signature and the opening.
    name = response.author_name
    signed = {
        "raad": name.startswith("raadslid "),
        "college": name.startswith("wethouder "),
        "ambtenaar": name.endswith(", gemeente BEL"),
        "ondernemer": name.endswith(")") and not name.startswith("raadslid "),
        "burger": " " in name and not any(c in name for c in "(,") and "wethouder" not in name,
    }
    assert [r for r, ok in signed.items() if ok] == [plan.role], (name, plan)
    openings = [o for o in OPENINGS[plan.role] if o]
    others = [o for r, os in OPENINGS.items() if r != plan.role for o in os if o]
    assert not any(o in response.body_text for o in others), response.body_text
    assert any(o in response.body_text for o in openings) or "" in OPENINGS[plan.role]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), count=st.integers(1, 400))
def test_history_is_in_time_and_codes_what_was_written(seed: int, count: int) -> None:
    connector = DemoConnector(count=count, seed=seed)
    work = list(plan_history(connector))
    assert len(work) <= count
    for w in work:
        i = int(w.external_id[1:])
        plan = connector.plan(i)
        assert connector.time(i) <= w.at <= connector.anchor
        assert w.at - connector.time(i) <= timedelta(days=12)
        assert w.actor in MODERATORS
        assert set(plan.questions) - set(w.questions) in (set(), set(plan.questions))
        assert len(set(w.questions) - set(plan.questions)) <= 1
        if (w.status or connector.response(i).remote_status) in (
            RemoteStatus.SPAM,
            RemoteStatus.TRASH,
        ):
            assert not w.questions and w.role is None
        if w.role is not None:
            assert w.role == plan.role
    assert work == list(plan_history(DemoConnector(count=count, seed=seed)))


def test_demo_takes_a_configured_demo_sources_options(
    tui_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[sources]]\nname = "blog"\ntype = "wordpress-feed"\nurl = "https://example.org"\n'
        '[[sources]]\nname = "proef"\ntype = "demo"\ncount = 40\nhistory = false\n',
        encoding="utf-8",
    )
    assert main(["--demo", "--config", str(cfg), "search", "vraag:1"]) == 0
    db = tmp_path / "xdg-data" / "reactieveld" / "demo.db"
    # Only the demo is synced (the blog is not contacted), without history.
    assert _rows(db, "SELECT triage, count(*) FROM responses GROUP BY 1") == [("new", 40)]
    assert _rows(db, "SELECT name FROM sources") == [("demo",)]
    assert "0 hits" in capsys.readouterr().err


def test_the_app_opens_on_the_lived_in_demo(
    tui_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reactieveld --demo`` (the README's command) seeds responses and history first."""
    import reactieveld.tui.app as tui_app

    opened: list[Path] = []

    def fake_run_app(config: object, db_path: Path, *, demo: bool, **_: object) -> int:
        opened.append(db_path)
        return 0

    monkeypatch.setattr(tui_app, "run_app", fake_run_app)
    assert main(["--demo"]) == 0
    (db,) = opened
    triage = dict(_rows(db, "SELECT triage, count(*) FROM responses GROUP BY 1"))
    assert triage["new"] >= 60 and triage["handled"] >= 350
    assert _rows(db, "SELECT count(DISTINCT code) FROM tags WHERE kind = 'question'") == [(8,)]


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 5_000_000), seed=st.integers(0, 10**6))
def test_the_years_shape_holds_for_any_count(count: int, seed: int) -> None:
    """Later responses never come earlier, the newest is at the anchor, the oldest within
    the year, and more than half arrive in the last 30 days, the backlog in the last
    few: for a million as for five hundred (each time a few operations)."""
    connector = DemoConnector(count=count, seed=seed)
    picks = sorted({0, count - 1, count // 2, count // 3, (count * 9) // 10, count // 7})
    times = [connector.time(i) for i in picks]
    assert times == sorted(times)
    assert connector.time(count - 1) == ANCHOR
    assert ANCHOR - connector.time(0) <= timedelta(days=365)
    if count >= 100:
        month = ANCHOR - timedelta(days=30)
        sample = range(0, count, count // 100)
        share = sum(1 for i in sample if connector.time(i) >= month) / len(sample)
        assert 0.55 <= share <= 0.65, share
        assert ANCHOR - connector.time(int(count * 0.84)) <= timedelta(days=5)
