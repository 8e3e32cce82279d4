"""Every figure of the dashboard and ``reactieveld stats`` computed a second way.

The second way is tests/figures_oracle.py: a plain Python pass over the raw rows of the
SQLite file. It runs on a hand-made memory whose answers are also written out below, on
generated memories (hypothesis: threads, ties, statuses, platform and coded roles, times
on both sides of the period's edges), and on the demo.
"""

from __future__ import annotations

import asyncio
import io
import random
import re
import tempfile
from argparse import Namespace
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from figures_oracle import agree, oracle
from helpers.data import load_demo
from helpers.figures import (
    PERIOD,
    Clock,
    D,
    H,
    T,
    created_span,
    fill,
    hand_made,
    response,
    response_ids,
)
from helpers.store import vm_steps
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.model import RemoteStatus
from reactieveld.read.figures import (
    Period,
    PeriodError,
    compute_stats,
    period_of,
    render_text,
    run_stats_command,
)
from reactieveld.store.sqlite import SqliteStore

# -- the hand-made memory (its table: tests/helpers/figures.py), its figures written out ------


async def test_hand_made_figures(tmp_path):
    with pytest.MonkeyPatch.context() as mp:
        store = await hand_made(tmp_path / "m.db", mp)
    try:
        s = await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD)
    finally:
        await store.close()
    # In the period and counted: h1 h2 h3 h4 h5 h7 h9 h10 h11 (h6 spam, h8 trash; h0 and
    # h12 fall outside the three days).
    assert s.total == 9
    assert s.days == (date(2026, 5, 10), date(2026, 5, 11), date(2026, 5, 12))
    assert s.per_day == {"blog": (4, 2, 0), "forum": (0, 2, 1)}
    # Roles: coded, else the platform's, else unknown.
    assert s.by_role == {
        None: 3,  # h1 h4 h9
        "organisatie": 1,  # h2 (platform)
        "burger": 2,  # h3, h10 (coded over the platform's raad)
        "raad": 1,  # h5 (platform)
        "klant": 1,  # h7
        "ambtenaar": 1,  # h11 (coded over the platform's organisatie)
    }
    assert s.coverage == {
        ("1", None): 1,
        ("1", "burger"): 1,
        ("2", "burger"): 1,
        ("3", "raad"): 1,
        ("2", "klant"): 1,
        ("1", "ambtenaar"): 1,
    }
    assert s.missing_questions == ("4", "5", "6", "7", "8")  # h6's 4 is spam
    assert s.missing_roles == ("college", "medewerker", "ondernemer")
    # Without a question: h2 h4 h9 h10; h4 is handled.
    assert (s.untagged, s.untagged_new) == (4, 3)
    # First journal entry minus arrival (any status, in the period): h1 1h, h3 1h, h4 3h,
    # h5 2h, h6 1h, h7 8h, h10 2h, h11 1h -> median of 1 1 1 1 2 2 3 8 = 1.5h.
    assert s.moderated == 8 and s.median_to_moderation == 1.5 * 3600
    # From outside: h1 h3 h4 h7 h9 h10. Answered: h1 by h2 (2h), h3 by h5 (25h), h4 by h5
    # (4h), h9 by h11 (27h), h10 by h11 (26h); h7's only answer (h8) is trash.
    assert (s.citizen, s.answered) == (6, 5)
    assert s.median_to_answer == 25 * 3600
    agree(s, oracle(tmp_path / "m.db", DEFAULT_CODEBOOK, PERIOD))
    # One source, one day.
    with_one = await _reopen_stats(tmp_path / "m.db", Period(PERIOD.first, PERIOD.first), ("blog",))
    assert with_one.total == 4 and with_one.per_day == {"blog": (4,)}
    assert (with_one.citizen, with_one.answered) == (3, 2)  # h1 h3 answered, h7 not
    agree(
        with_one,
        oracle(tmp_path / "m.db", DEFAULT_CODEBOOK, Period(PERIOD.first, PERIOD.first), ("blog",)),
    )


async def test_per_moderator_figures(tmp_path):
    """Decisions and codings per moderator: by the journal's time and actor; an undone
    entry and the undo do not count; a source filter counts that source's responses."""
    with pytest.MonkeyPatch.context() as mp:
        store = await hand_made(tmp_path / "m.db", mp)
        clock = Clock(mp, T + D)
        try:
            ids = {}
            for ext, source in (("h1", "blog"), ("h9", "forum"), ("h12", "forum")):
                row = await store.get_by_external(source, ext)
                assert row is not None
                ids[ext] = row.response.id
            await store.toggle_question([ids["h9"]], "2", actor="bob")
            await store.undo_last(actor="bob")  # neither counts
            await store.moderate([ids["h9"]], RemoteStatus.HOLD, actor="bob")
            await store.set_role([ids["h12"]], "raad", actor="bob")  # a response after the
            # period, coded in it: counts (the journal's time decides)
            clock.at = T + 3 * D + 2 * H  # after the period: does not count
            await store.moderate([ids["h1"]], RemoteStatus.HOLD, actor="bob")
            s = await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD)
            forum = await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD, sources=("forum",))
        finally:
            await store.close()
    # The hand-made plan: one response marked handled, eleven tags and roles.
    assert s.by_moderator == {"bob": (1, 1), "moderator": (1, 11)}
    assert forum.by_moderator == {"bob": (1, 1), "moderator": (0, 3)}  # h10, h11 twice
    agree(s, oracle(tmp_path / "m.db", DEFAULT_CODEBOOK, PERIOD))
    agree(forum, oracle(tmp_path / "m.db", DEFAULT_CODEBOOK, PERIOD, ("forum",)))
    text = render_text(s, DEFAULT_CODEBOOK, "en", width=80)
    assert "Per moderator (decisions / codings):\n  bob: 1 / 1\n  moderator: 1 / 11\n" in text


async def test_a_reply_is_a_decision_of_its_moderator(tmp_path):
    """A reply marks its response handled (it leaves Nieuw, as with ``x``), so it is a
    decision: the demo's dashboard said "root: 0 / 3" after a reply, two codings and a
    role. Counted per moderator and in "claimed by one, decided by another"."""
    with pytest.MonkeyPatch.context() as mp:
        store = await hand_made(tmp_path / "m.db", mp)
        clock = Clock(mp, T + D)
        store.clock = lambda: clock.at  # the claims' clock too
        try:
            row = await store.get_by_external("forum", "h9")
            assert row is not None
            rid = row.response.id
            await store.claim(rid, actor="bob", minutes=5)
            await store.reply(rid, "Dank u, we nemen het mee.", actor="carol")
            s = await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD)
        finally:
            await store.close()
    assert s.by_moderator["carol"] == (1, 0)
    assert (s.claimed_decided, s.decided_by_other) == (1, 1)
    agree(s, oracle(tmp_path / "m.db", DEFAULT_CODEBOOK, PERIOD))
    text = render_text(s, DEFAULT_CODEBOOK, "en", width=200)
    assert "  carol: 1 / 0\n" in text and "a reply marks it handled" in text


async def _reopen_stats(path: Path, period: Period, sources: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    store = await SqliteStore.open(path)
    try:
        return await compute_stats(store, DEFAULT_CODEBOOK, period=period, sources=sources)
    finally:
        await store.close()


def test_hand_made_stats_text(tmp_path):
    async def make() -> None:
        with pytest.MonkeyPatch.context() as mp:
            store = await hand_made(tmp_path / "m.db", mp)
        await store.close()

    asyncio.run(make())
    out = io.StringIO()
    args = Namespace(since="2026-05-10", until="2026-05-12", source=None, days=None, lang="en")
    assert (
        run_stats_command(Namespace(codebook=DEFAULT_CODEBOOK), tmp_path / "m.db", args, out=out)
        == 0
    )
    text = out.getvalue()
    lines = text.splitlines()
    assert "Period: 2026-05-10 – 2026-05-12 (3 days, UTC) · Responses: 9" in lines
    assert "Role = coded, else from the platform, else unknown" in lines
    assert "  blog   █▄   6" in lines and "  forum   █▄  3" in lines
    all_row = next(x for x in lines if x.startswith("  all responses"))
    assert all_row.split()[2:] == ["2", "1", "·", "1", "1", "·", "·", "1", "3", "9"]
    assert "Roles not taking part: Mayor and aldermen, Employee, Entrepreneur" in lines
    assert "Responses from outside the organisation answered: 5 / 6 (83%)" in lines
    assert "Median time to that answer: 1 d 1 h" in lines
    assert "Median time to moderation: 1 h 30 min (over 8 responses)" in lines
    # Every figure says what it counts.
    assert "What the figures count:" in lines
    for label in ("Period", "Responses", "Role", "Median time to moderation"):
        assert any(x.startswith(f"- {label}: ") for x in lines)
    assert max(len(x) for x in lines) <= 120


# -- generated memories ------------------------------------------------------------------------

HINTS = st.sampled_from([None, None, "", "burger", "raad", "organisatie", "ambtenaar", "webmaster"])
CODED = st.sampled_from([None, None, "burger", "klant", "college", "ambtenaar"])
STATUSES = st.sampled_from(list(RemoteStatus))

one = st.fixed_dictionaries(
    {
        "source": st.sampled_from(["blog", "forum"]),
        "thread": st.sampled_from(["t1", "t2", None]),
        # Whole hours from a day before the period to a day after: ties and both edges.
        "hour": st.integers(min_value=-24, max_value=4 * 24),
        "status": STATUSES,
        "hint": HINTS,
        "role": CODED,
        "questions": st.sets(st.sampled_from(["1", "2", "8"]), max_size=2),
        "first_action": st.one_of(st.none(), st.integers(min_value=-2, max_value=30)),
        "handled": st.booleans(),
    }
)


def build_generated(path: Path, spec: list[dict]) -> None:  # type: ignore[type-arg]
    async def main() -> None:
        with pytest.MonkeyPatch.context() as mp:
            clock = Clock(mp, T - 2 * D)
            store = await SqliteStore.open(path)
            try:
                rs = [
                    response(
                        f"g{i}",
                        x["source"],
                        x["thread"],
                        T + x["hour"] * H,
                        status=x["status"],
                        hint=x["hint"],
                    )
                    for i, x in enumerate(spec)
                ]
                ids = await fill(store, rs)
                for i, x in enumerate(spec):
                    rid = [ids[f"g{i}"]]
                    if x["first_action"] is not None:
                        clock.at = T + (x["hour"] + x["first_action"]) * H
                        if x["role"]:
                            await store.set_role(rid, x["role"], actor="m")
                        for q in sorted(x["questions"]):
                            await store.toggle_question(rid, q, actor="m")
                        if x["handled"]:
                            await store.mark_handled(rid, actor="m")
            finally:
                await store.close()

    asyncio.run(main())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=st.lists(one, max_size=14),
    days=st.integers(min_value=1, max_value=3),
    sources=st.sampled_from([(), ("blog",)]),
)
def test_generated_memories_agree(spec, days, sources):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.db"
        build_generated(path, spec)
        period = period_of(since=PERIOD.first, days=days)
        stats = asyncio.run(_reopen_stats(path, period, sources))
        agree(stats, oracle(path, DEFAULT_CODEBOOK, period, sources))


async def _copied_stats(path: Path, url: str, period: Period, sources: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The figures of the SQLite memory ``path`` copied to the PostgreSQL database ``url``."""
    from reactieveld.store.copy import copy_store
    from reactieveld.store.open import copy_side, open_store

    source = await SqliteStore.open(path)
    target = await open_store(url)
    try:
        await copy_store(copy_side(source), copy_side(target))
        return await compute_stats(target, DEFAULT_CODEBOOK, period=period, sources=sources)
    finally:
        await target.close()
        await source.close()


def _random_spec(rng: random.Random, size: int) -> list[dict]:  # type: ignore[type-arg]
    """A memory as ``one`` draws it, of ``size`` rows in few threads (answers on both
    sides of the period's edges)."""
    return [
        {
            "source": rng.choice(["blog", "forum"]),
            "thread": rng.choice(["t1", "t2", None]),
            "hour": rng.randint(-24, 4 * 24),
            "status": rng.choice(list(RemoteStatus)),
            "hint": rng.choice([None, None, "", "burger", "raad", "organisatie", "webmaster"]),
            "role": rng.choice([None, None, "burger", "klant", "college", "ambtenaar"]),
            "questions": set(rng.sample(["1", "2", "8"], rng.randint(0, 2))),
            "first_action": rng.choice([None, rng.randint(-2, 30)]),
            "handled": rng.random() < 0.5,
        }
        for _ in range(size)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_generated_memories_agree_on_postgresql(pg_cluster, seed):
    """Generated memories (answers at the period's edges and after it, roles coded and
    hinted, deleted and spam rows) copied to PostgreSQL: its figures are the second way's
    too, for 1 to 3 days, all sources or one (its window over a thread, 9e7a57f, runs in
    PostgreSQL's own plan)."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.db"
        build_generated(path, _random_spec(rng, 40))
        for days, sources in ((1 + seed, ()), (3 - seed, ("blog",))):
            period = period_of(since=PERIOD.first, days=days)
            url = pg_cluster.url(pg_cluster.new_database())
            stats = asyncio.run(_copied_stats(path, url, period, sources))
            agree(stats, oracle(path, DEFAULT_CODEBOOK, period, sources))
            assert stats.citizen > 0


# -- the demo ------------------------------------------------------------------------------------


async def test_demo_agrees(tmp_path):
    """On the demo (whatever its numbers are), with some coding on top: every figure,
    for the default period (30 days ending on its newest day) and for all of it."""
    path = tmp_path / "demo.db"
    store = await SqliteStore.open(path)
    try:
        await load_demo(store, count=600, seed=3)
        rows = await response_ids(path)
        # Code some of it the way a moderator would: roles, questions, handled.
        await store.set_role(rows[::7], "burger", actor="m")
        await store.set_role(rows[3::11], "ambtenaar", actor="m")
        await store.toggle_question(rows[::5], "1", actor="m")
        await store.toggle_question(rows[2::9], "6", actor="m")
        await store.mark_handled(rows[1::4], actor="m")
        newest, oldest = await created_span(path)
        for period in (
            period_of(until=newest),
            Period(oldest, newest),
            period_of(until=newest, days=1),
        ):
            stats = await compute_stats(store, DEFAULT_CODEBOOK, period=period)
            agree(stats, oracle(path, DEFAULT_CODEBOOK, period))
        assert stats.total > 0
        whole = await compute_stats(store, DEFAULT_CODEBOOK, period=Period(oldest, newest))
        assert whole.citizen > whole.by_role.get("burger", 0) > 0  # unknown is outside too
        assert whole.answered > 0 and not {"raad", "college", "ambtenaar"} & set(
            whole.missing_roles
        )
    finally:
        await store.close()


# -- the period ----------------------------------------------------------------------------------


def test_period_rules():
    today = date(2026, 12, 4)
    assert period_of(today=today) == Period(date(2026, 11, 5), today)
    assert len(period_of(today=today)) == 30
    assert period_of(days=1, today=today) == Period(today, today)
    assert period_of(until="2026-03-04", days=3) == Period(date(2026, 3, 2), date(2026, 3, 4))
    assert period_of(since="2026-03-02", days=3) == Period(date(2026, 3, 2), date(2026, 3, 4))
    assert period_of(since="2026-12-01", today=today) == Period(date(2026, 12, 1), today)
    p = Period(date(2026, 3, 2), date(2026, 3, 4))
    assert p.start == datetime(2026, 3, 2, tzinfo=UTC) and p.end == datetime(2026, 3, 5, tzinfo=UTC)
    assert p.label("nl") == "2026-03-02 – 2026-03-04 (3 dagen, UTC)"
    for bad in (
        {"days": 0},
        {"days": -2},
        {"since": "2026-03-05", "until": "2026-03-04"},
        {"since": "2026-03-01", "until": "2026-03-04", "days": 4},
        {"since": "gisteren"},
        {"until": "2026-03-04T10:00"},
        {"since": "2027-01-01"},  # after today, without an end
    ):
        with pytest.raises(PeriodError):
            period_of(today=today, **bad)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--days", "0"], "--days must be at least 1"),
        (["--days", "-1"], "--days must be at least 1"),
        (["--since", "2026-03-05", "--until", "2026-03-04"], "is after --until"),
        (["--since", "2026-03-01", "--until", "2026-03-04", "--days", "2"], "at most two"),
        (["--since", "maandag"], "not a date"),
    ],
)
def test_stats_command_rejects_a_period_without_days(tmp_path, capsys, argv, message):
    from reactieveld.cli import main

    asyncio.run(_empty(tmp_path / "m.db"))
    code = main(["--lang", "en", "--db", str(tmp_path / "m.db"), "stats", *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_stats_command_rejects_an_unknown_source(tmp_path, capsys):
    from reactieveld.cli import main

    async def make() -> None:
        with pytest.MonkeyPatch.context() as mp:
            await (await hand_made(tmp_path / "m.db", mp)).close()

    asyncio.run(make())
    db = ["--lang", "en", "--db", str(tmp_path / "m.db"), "stats", "--until", "2026-05-12"]
    assert main([*db, "--source", "blgo"]) == 2
    err = capsys.readouterr().err
    assert "--source blgo: no such source in the memory (sources: blog, forum)" in err
    assert main([*db, "--source", "blog", "--days", "3"]) == 0
    assert "Responses: 6" in capsys.readouterr().out


@pytest.mark.parametrize("language", ["nl", "en"])
def test_stats_text_at_80_columns_shows_every_column(tmp_path, language):
    """A printed page cannot scroll: at 80 columns the role columns come in blocks, each
    line within 80, every role and the total present, the counts unchanged."""

    async def make():  # type: ignore[no-untyped-def]
        with pytest.MonkeyPatch.context() as mp:
            store = await hand_made(tmp_path / "m.db", mp)
        try:
            return await compute_stats(store, DEFAULT_CODEBOOK, period=PERIOD)
        finally:
            await store.close()

    stats = asyncio.run(make())
    lines = render_text(stats, DEFAULT_CODEBOOK, language, 80).splitlines()
    assert max(len(x) for x in lines) <= 80
    first = {"nl": "  Vraag ", "en": "  Question "}[language]
    heads = [x.split()[1:] for x in lines if x.startswith(first)]
    assert len(heads) >= 2  # in blocks
    unknown, total = {"nl": ("onbekend", "totaal"), "en": ("unknown", "total")}[language]
    roles = [c.code for c in DEFAULT_CODEBOOK.roles]
    assert [h for block in heads for h in block] == [*roles, unknown, total]
    alls = [x.split()[2:] for x in lines if x.startswith("  " + text_of("all", language))]
    assert [c for block in alls for c in block] == [
        "2",
        "1",
        "·",
        "1",
        "1",
        "·",
        "·",
        "1",
        "3",
        "9",
    ]


def text_of(key: str, language: str) -> str:
    from reactieveld.read.figures import text

    return text(key, language)


@settings(max_examples=200, deadline=None)
@given(
    since=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31))),
    until=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31))),
    days=st.one_of(st.none(), st.integers(min_value=-3, max_value=400)),
)
def test_a_period_means_what_its_flags_say(since, until, days):
    """Any --since/--until/--days: a refusal, or a period that starts on --since, ends
    on --until and lasts --days, whichever were given; never an empty one."""
    today = date(2026, 12, 4)
    try:
        p = period_of(since=since, until=until, days=days, today=today)
    except PeriodError:
        given = [x is not None for x in (since, until, days)]
        try:  # the first day asked: after today, no day of it has happened
            first = since or (until or today) - timedelta(days=(days or 30) - 1)
        except OverflowError:
            first = date.min
        assert (
            (days is not None and days < 1)
            or all(given)
            or (since is not None and until is not None and since > until)
            or first > today
        )
        return
    assert len(p) >= 1 and p.first <= p.last <= today
    assert since is None or p.first == since
    # The last day asked; one after today is cut at today (read.days), and says so.
    asked = until or (today if since is None or days is None else p.first + timedelta(days - 1))
    assert p.last == min(asked, today) and p.cut == (asked > today)
    assert days is None or len(p) == days or p.cut
    assert days is not None or since is not None or len(p) == 30 or p.cut
    assert p.end - p.start == timedelta(days=len(p))


async def _empty(path: Path) -> None:
    store = await SqliteStore.open(path)
    await store.close()


def test_empty_memory_says_so():
    from reactieveld.read.figures import DialogueStats

    out = render_text(DialogueStats(period=PERIOD, days=PERIOD.days), DEFAULT_CODEBOOK, "nl")
    assert "Periode: 2026-05-10 – 2026-05-12 (3 dagen, UTC) · Reacties: 0" in out
    assert "Mediane tijd tot moderatie: — (over 0 reacties)" in out


def test_an_answer_in_the_same_second_counts_when_stored_after(tmp_path):
    """Two responses in one second of one thread: the one stored later is the later one
    (the platforms' own order), so an organisation reply stored after a citizen's
    answers it in 0 s, and one stored before it does not."""
    base = {"source": "blog", "thread": "t1", "hour": 1, "status": RemoteStatus.APPROVED}
    base |= {"role": None, "questions": set(), "first_action": None, "handled": False}
    for order, answered in ((["", "organisatie"], 1), (["organisatie", ""], 0)):
        path = tmp_path / f"tie-{answered}.db"
        build_generated(path, [base | {"hint": hint} for hint in order])
        stats = asyncio.run(_reopen_stats(path, PERIOD))
        assert (stats.citizen, stats.answered) == (1, answered)
        assert stats.median_to_answer == (0 if answered else None)
        agree(stats, oracle(path, DEFAULT_CODEBOOK, PERIOD))


# -- what the figures read ---------------------------------------------------------------------


async def _steps_of_figures(path: Path, size: int) -> int:
    """SQLite's virtual-machine steps (in thousands) for every figure of a memory whose one
    thread holds ``size`` citizens' responses and no answer: the rows the queries read."""
    from reactieveld.read.figures import NOT_COUNTED
    from reactieveld.store.figures import dialogue_figures
    from reactieveld.store.values import FigureQuery

    store = await SqliteStore.open(path)
    try:
        await fill(store, [response(f"c{i}", "blog", "t1", T + i * H / 60) for i in range(size)])
    finally:
        await store.close()
    query = FigureQuery(PERIOD.start, PERIOD.end, not_counted=NOT_COUNTED)
    steps, figures = vm_steps(path, lambda db: dialogue_figures(db, query))
    assert (figures.citizen, figures.answered) == (size, 0)
    return steps


async def test_the_answers_figures_read_a_thread_once(tmp_path):
    """The first answer of every citizen's response in a long thread: a subquery per
    response that looked through the rest of its thread read it quadratically (6.5 s for
    a 30-day dashboard on a 200,000-response memory with a thread of 3,600). Twice the
    thread is about twice the work now, not four times."""
    small = await _steps_of_figures(tmp_path / "small.db", 300)
    large = await _steps_of_figures(tmp_path / "large.db", 600)
    assert large < 2.6 * small, (small, large)


#: The indexes the figures walk: a period's responses (of every source, or of some), and
#: the rows of the threads it touches.
FIGURE_INDEXES = ("responses_created", "responses_source", "responses_thread")


@pytest.mark.parametrize("sources", [(), ("blog",)])
async def test_the_figures_read_responses_from_their_indexes_alone(tmp_path, sources):
    """Every figure reads the responses of its period, and the answers' figure the rows of
    the threads it touches, from an index that holds every column it needs: it looked
    up each row in the table (a page of its own per response, with its text), 8-13 s for
    30 days of a 1,000,000-response memory, 25-30 s for a year. SQLite's plan of every
    statement, all sources and one."""
    import re

    from reactieveld.read.figures import NOT_COUNTED
    from reactieveld.store.figures import figure_statements
    from reactieveld.store.values import FigureQuery

    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    try:
        await fill(store, [response(f"c{i}", "blog", "t1", T + i * H) for i in range(3)])
    finally:
        await store.close()
    query = FigureQuery(
        PERIOD.start,
        PERIOD.end,
        sources=sources,
        not_counted=NOT_COUNTED,
        organisation_roles=("raad",),
    )
    used = set()

    def plans(db):  # type: ignore[no-untyped-def]
        for name, (sql, params) in figure_statements(query).items():
            for step in (row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)):
                found = re.search(r"USING (COVERING )?INDEX (responses_\w+)", step)
                if found and found[2] in FIGURE_INDEXES:
                    assert found[1], (name, step)  # not covering: a row read per response
                    used.add(found[2])

    vm_steps(path, plans)
    assert {"responses_created", "responses_thread"} <= used, used


@pytest.mark.parametrize("blog", [1, 9])
async def test_a_small_source_walks_its_own_index(tmp_path, blog):
    """The figures of a source that is a small part of the memory (its kept count under a
    quarter) walk that source's index, those of a large one the period's (every column in
    it): the period's index of every source was more to read for a small one (a source
    of 10 % of a year of 200,000 responses: 0.26-0.33 s, 0.15-0.2 s by its own). Both ways
    count what the second way counts."""
    import re

    from reactieveld.read.figures import NOT_COUNTED
    from reactieveld.store.figures import figure_statements
    from reactieveld.store.planner import few_sources_sql
    from reactieveld.store.values import FigureQuery

    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    try:
        rows = [
            response(f"b{i}", "blog", "t1", T + i * H, hint="raad" if i % 3 else None)
            for i in range(blog)
        ] + [response(f"f{i}", "forum", "t2", T + i * H) for i in range(10 - blog)]
        await fill(store, rows)
    finally:
        await store.close()
    query = FigureQuery(PERIOD.start, PERIOD.end, sources=("blog",), not_counted=NOT_COUNTED)

    def walked(db):  # type: ignore[no-untyped-def]
        few = bool(db.execute(*few_sources_sql(query.sources)).fetchone()[0])
        steps = [
            row[-1]
            for sql, params in figure_statements(query, few_sources=few).values()
            for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)
        ]
        # The period's walks (the journal's figures find a source's ids by its index).
        period = r"INDEX (responses_\w+) \(.*created_at>\?"
        return few, {m[1] for s in steps if (m := re.search(period, s))}

    few, indexes = vm_steps(path, walked)[1]
    assert few is (blog == 1)
    assert ("responses_source" in indexes) is few, indexes
    stats = await _reopen_stats(path, PERIOD, ("blog",))
    agree(stats, oracle(path, DEFAULT_CODEBOOK, PERIOD, ("blog",)))
    assert stats.total == blog


def _pg_index_scans(plan: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """(node type, index) of every node of an EXPLAIN plan that walks an index."""
    own = [(plan["Node Type"], plan["Index Name"])] if "Index Name" in plan else []
    return own + [s for p in plan.get("Plans", []) for s in _pg_index_scans(p)]


async def test_the_figures_read_responses_from_their_indexes_alone_on_postgresql(pg_cluster):
    """As on SQLite: PostgreSQL's plan of every figure reads the responses of the period
    and of the threads it touches by an index-only scan of an index that carries every
    column it needs, never the row."""
    import json

    import asyncpg

    from reactieveld.read.figures import NOT_COUNTED
    from reactieveld.store.figures import figure_statements
    from reactieveld.store.open import open_store
    from reactieveld.store.pg.base import dollar
    from reactieveld.store.pg.figures import PG_DAY
    from reactieveld.store.values import FigureQuery

    url = pg_cluster.url(pg_cluster.new_database())
    store = await open_store(url)
    try:
        # 75 days in 100 threads of three: the period holds a few of them.
        rows = [response(f"c{i}", "blog", f"t{i // 3}", T + (i - 100) * 6 * H) for i in range(300)]
        await fill(store, rows)  # type: ignore[arg-type]
    finally:
        await store.close()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE responses")  # an index-only scan needs it
        # A memory this small is read whole and hashed whole: the plan of a big one.
        await conn.execute(
            "SET enable_seqscan = off; SET enable_bitmapscan = off; "
            "SET enable_hashjoin = off; SET enable_mergejoin = off"
        )
        for sources in ((), ("blog",)):
            query = FigureQuery(PERIOD.start, PERIOD.end, sources=sources, not_counted=NOT_COUNTED)
            used = set()
            for name, (sql, params) in figure_statements(query, PG_DAY).items():
                text = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {dollar(sql)}", *params)
                for node, index in _pg_index_scans(json.loads(text)[0]["Plan"]):
                    if index in FIGURE_INDEXES:
                        assert node == "Index Only Scan", (name, node, index)
                        used.add(index)
            assert {"responses_created", "responses_thread"} <= used, (sources, used)
    finally:
        await conn.close()


#: The count of days as each language writes it: thousands grouped, singular for 1 only.
DAYS_SAID = {
    "nl": lambda n: "1 dag, UTC" if n == 1 else f"{n:_} dagen, UTC".replace("_", "."),
    "en": lambda n: "1 day, UTC" if n == 1 else f"{n:,} days, UTC",
}


def _days_by_months(first: date, last: date) -> int:
    """The days from ``first`` to ``last`` inclusive counted a second way: month by month
    on the calendar (its month lengths, leap Februaries), not by subtracting dates."""
    n, (year, month) = 0, (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        low = first.day if (year, month) == (first.year, first.month) else 1
        high = last.day if (year, month) == (last.year, last.month) else monthrange(year, month)[1]
        n += high - low + 1
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return n


def _edge_days() -> list[date]:
    """Days a count can trip on: every month's last day and the first after it, and the
    Sundays clocks change (Europe's last of March and October, the US's second of March
    and first of November), leap days among them."""
    days = []
    for year in (1999, 2000, 2023, 2024, 2026, 2100):
        for month in range(1, 13):
            last = date(year, month, monthrange(year, month)[1])
            days += [last, last + timedelta(days=1)]
        for month, nth in ((3, -1), (10, -1), (3, 1), (11, 0)):
            sundays = [
                d
                for d in (
                    date(year, month, i) for i in range(1, 32) if i <= monthrange(year, month)[1]
                )
                if d.weekday() == 6
            ]
            days.append(sundays[nth])
    return days


_PERIOD_DAY = st.one_of(
    st.sampled_from(_edge_days()).flatmap(
        lambda d: st.integers(-2, 2).map(lambda k: d + timedelta(days=k))
    ),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)),
)


@settings(max_examples=60, deadline=None)
@given(
    language=st.sampled_from(list(DAYS_SAID)),
    shape=st.sampled_from(["since-until", "until-days", "since-days"]),
    one=_PERIOD_DAY,
    two=_PERIOD_DAY,
    days=st.one_of(st.integers(1, 400), st.sampled_from([999, 1000, 1001, 12_345, 60_000])),
)
@example(language="nl", shape="since-until", one=date(2026, 3, 29), two=date(2026, 3, 29), days=1)
@example(language="en", shape="since-until", one=date(2026, 10, 25), two=date(2026, 10, 26), days=1)
@example(language="en", shape="since-until", one=date(2024, 2, 28), two=date(2024, 3, 1), days=1)
@example(language="nl", shape="until-days", one=date(2026, 3, 31), two=date(2026, 3, 30), days=1000)
def test_the_period_label_says_the_days_it_covers(
    language: str, shape: str, one: date, two: date, days: int
) -> None:
    """The period a reader asks for (``--since``/``--until``, ``--days`` from either end),
    over month ends, leap days and the Sundays clocks change: its label names the days
    asked for and counts them as the calendar does (counted month by month here), said
    as every count is (singular for 1, thousands grouped), and the period's own days and
    UTC moments agree with that count."""
    today = date(2100, 12, 31)
    if shape == "since-until":
        since, until = min(one, two), max(one, two)
        period = period_of(since=since, until=until, today=today, language=language)
    elif shape == "until-days":
        period = period_of(until=one, days=days, today=today, language=language)
    else:
        period = period_of(since=one, days=days, today=today, language=language)
    said = period.label(language)
    first, last, count = re.fullmatch(r"(\S+) – (\S+) \((.*)\)", said).groups()  # type: ignore[union-attr]
    first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    if shape == "since-until":
        assert (first_day, last_day) == (since, until), said
    elif shape == "until-days":
        assert last_day == one, said
    else:
        assert first_day == one, said
    n = _days_by_months(first_day, last_day)
    if shape != "since-until":
        assert n == days, said
    assert count == DAYS_SAID[language](n), said
    assert len(period.days) == n and period.days[0] == first_day and period.days[-1] == last_day
    assert period.end - period.start == timedelta(days=n), said
    assert (period.start.tzinfo, period.start.time().isoformat()) == (UTC, "00:00:00"), said


def _pg_rows_read(plan: dict) -> int:  # type: ignore[type-arg]
    """The rows every node of an EXPLAIN ANALYZE plan produced, over all its loops."""
    own = int(plan.get("Actual Rows", 0)) * int(plan.get("Actual Loops", 1))
    return own + sum(_pg_rows_read(p) for p in plan.get("Plans", []))


async def _pg_work_of_answers(url: str, size: int) -> int:
    """PostgreSQL's work (rows its plan produced) for the answers' figures of a memory
    whose one thread holds ``size`` citizens' responses and no answer."""
    import json

    import asyncpg

    from reactieveld.read.figures import NOT_COUNTED
    from reactieveld.store.figures import figure_statements
    from reactieveld.store.open import open_store
    from reactieveld.store.pg.base import dollar
    from reactieveld.store.pg.figures import PG_DAY
    from reactieveld.store.values import FigureQuery

    store = await open_store(url)
    try:
        await fill(store, [response(f"c{i}", "blog", "t1", T + i * H / 60) for i in range(size)])  # type: ignore[arg-type]
    finally:
        await store.close()
    query = FigureQuery(PERIOD.start, PERIOD.end, not_counted=NOT_COUNTED)
    sql, params = figure_statements(query, PG_DAY)["citizen"]
    conn = await asyncpg.connect(url)
    try:
        assert tuple(await conn.fetchrow(dollar(sql), *params))[:2] == (size, 0)
        text = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {dollar(sql)}", *params)
    finally:
        await conn.close()
    return _pg_rows_read(json.loads(text)[0]["Plan"])


async def test_the_answers_figures_read_a_thread_once_on_postgresql(pg_cluster):
    """As on SQLite: PostgreSQL's window over the rest of a thread (a frame whose start
    moves with the row) computed the minimum again for every row, the role rule's
    subquery with it: a 30-day dashboard on a 1,000,000-response memory with a thread of
    18,000 ran past the 60 s statement timeout and said the server was lost. Twice the
    thread is about twice the work now, not four times."""
    small = await _pg_work_of_answers(pg_cluster.url(pg_cluster.new_database()), 300)
    large = await _pg_work_of_answers(pg_cluster.url(pg_cluster.new_database()), 600)
    assert large < 2.6 * small, (small, large)


async def test_the_days_around_1970_are_each_their_own(store_target):
    """The responses per day are grouped by the day's number (whole days since 1970, each
    named once after): a response before 1970 counts on its own UTC day, not the next one
    (an integer division rounds toward zero), on both backends."""
    from reactieveld.store.open import open_store

    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    times = [epoch - D - H, epoch - H, epoch - timedelta(seconds=1), epoch, epoch + 23 * H]
    store = await open_store(store_target)
    try:
        await fill(store, [response(f"c{i}", "blog", "t1", at) for i, at in enumerate(times)])
        stats = await compute_stats(
            store, DEFAULT_CODEBOOK, period=Period(date(1969, 12, 30), date(1970, 1, 2))
        )
    finally:
        await store.close()
    assert stats.per_day == {"blog": (1, 2, 2, 0)}
