"""What the team's PostgreSQL server says, said as what it is (issue: a statement past the
timeout on a 1M-response memory was said as "the connection to the server was lost (no
reason given)", and the moderator called the admin about a database that was up).

Each kind provoked for real on the throwaway cluster where it can be: a statement past
``statement_timeout`` or ``lock_timeout`` behind a lock another connection holds, one the
program stops waiting for (``COMMAND_SECONDS``), a database with ``CONNECTION LIMIT 0``, a
role without grants, a role that may not log in, a dropped database. Through the store's
public methods, the command line (``stats``, ``search``: one line naming the memory, what
is wrong and what to do, exit 2, no traceback) and the dashboard (its line in the reader's
language; ``r`` computes again once the lock is gone). The SQLSTATEs no public method can
be made to meet on one connection (a deadlock, a full disk) are raised by the server itself
(``RAISE ... USING ERRCODE``), every one of :data:`SERVER_SAID` and the connection classes."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from helpers.cli import run_main
from helpers.lang import english_only

from reactieveld.failures import failure
from reactieveld.i18n import STRINGS
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.store.open import open_store
from reactieveld.store.pg import base
from reactieveld.store.values import FigureQuery

T0 = datetime(2026, 11, 1, tzinfo=UTC)
FIGURES = FigureQuery(
    T0, T0 + timedelta(days=30), not_counted=("spam",), organisation_roles=("raad",)
)

#: What each provoked kind says (English; its Dutch through the same key).
SAID = {
    "statement_timeout": "conn.store.pg_too_long",
    "lock_timeout": "conn.store.pg_locked",
    "no_answer": "conn.store.pg_no_answer",
}
ENGLISH = english_only(k for k in STRINGS if k.startswith("conn.store."))


def _fixed(key: str, language: str) -> str:
    """The longest words of ``key``'s text in ``language`` around its fields."""
    parts = re.split(r"\{\w+\}", STRINGS[key][0 if language == "nl" else 1])
    return max(parts, key=len).strip()


@pytest.fixture(scope="module")
def memory(pg_cluster: Any) -> tuple[Any, str, str]:
    """(cluster, database, URL) of a memory made once for this module's tests."""
    db = pg_cluster.new_database()
    url = pg_cluster.url(db)
    asyncio.run(_made(url))
    return pg_cluster, db, url


async def _made(url: str) -> None:
    await (await open_store(url)).close()


@pytest.fixture
def empty_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_isolated: None) -> None:
    """The command line with a config of nothing (the memory named by ``--db``)."""
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(config))


@contextlib.contextmanager
def held(url: str, table: str = "sources") -> Iterator[None]:
    """Another program holding ``table`` (ACCESS EXCLUSIVE) until the block ends: every
    statement that reads it waits (stats and search both read the sources)."""
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(url))
    try:
        loop.run_until_complete(conn.execute(f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        yield
    finally:
        loop.run_until_complete(conn.close())
        loop.close()


@contextlib.contextmanager
def kind_of(
    kind: str,
    cluster: Any,
    db: str,
    url: str,
    monkeypatch: pytest.MonkeyPatch,
    *,
    hold: bool = True,
) -> Iterator[None]:
    """The server (or the program) set up to stop a statement that waits as ``kind``,
    and a statement made to wait; everything as it was afterwards."""
    if kind == "no_answer":
        monkeypatch.setattr(base, "COMMAND_SECONDS", 0.3)
    else:
        cluster.psql(f'ALTER DATABASE "{db}" SET {kind} = 150')
    try:
        with held(url) if hold else contextlib.nullcontext():
            yield
    finally:
        if kind != "no_answer":
            cluster.psql(f'ALTER DATABASE "{db}" RESET {kind}')


def _one_line(line: str, key: str, language: str, where: str) -> None:
    assert line.count("\n") == 0, line
    assert "Traceback" not in line and not re.search(r"[A-Z][a-z]+Error\b", line), line
    assert where in line and _fixed(key, language) in line, line
    assert "connection to the server was lost" not in line
    if language == "nl":
        assert not [p for p in ENGLISH if p in line], line


@pytest.mark.parametrize("kind", sorted(SAID))
def test_a_statement_that_waits_too_long_is_said_so_by_the_store(
    kind: str, memory: tuple[Any, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster, db, url = memory
    where = url.split("://", 1)[1]

    async def run(calls: list[Any], hold: bool) -> list[BaseException | Any]:
        store = await open_store(url)
        other = await asyncpg.connect(url)
        try:
            if hold:  # after opening (which reads the responses too)
                await other.execute("BEGIN; LOCK TABLE sources, responses IN ACCESS EXCLUSIVE MODE")
            out: list[BaseException | Any] = []
            for call in calls:
                try:
                    out.append(await call(store))
                except StoreError as exc:
                    out.append(exc)
            return out
        finally:
            await other.close()
            await store.close()

    calls = [
        lambda s: s.dialogue_figures(FIGURES),
        lambda s: s.search("boom", QueueFilter()),
        lambda s: s.queue(QueueFilter(sources=("blog",))),
    ]
    with kind_of(kind, cluster, db, url, monkeypatch, hold=False):
        got = asyncio.run(run(calls, hold=True))
    for exc in got:
        assert isinstance(exc, StoreError) and not isinstance(exc, StoreUnreachable), got
        assert getattr(exc, "retryable", None) is True  # a later try may pass (SERVER_SAID)
        for language in ("nl", "en"):
            _one_line(exc.said(language), SAID[kind], language, where)
    # The memory is usable again once the other program let go: the same calls answer.
    after = asyncio.run(run(calls, hold=False))
    figures, hits, count = after
    assert not isinstance(figures, StoreError), after
    assert (figures.total, hits, count) == (0, [], [])


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("command", [["stats"], ["search", "boom"]])
@pytest.mark.parametrize("kind", sorted(SAID))
def test_the_command_line_says_a_statement_took_too_long(
    kind: str,
    command: list[str],
    language: str,
    memory: tuple[Any, str, str],
    monkeypatch: pytest.MonkeyPatch,
    empty_config: None,
) -> None:
    cluster, db, url = memory
    with kind_of(kind, cluster, db, url, monkeypatch):
        code, out, err = run_main(["--lang", language, "--db", url, *command])
    assert (code, out) == (2, "")
    assert err.startswith("reactieveld: postgresql://") and err.endswith("\n"), err
    _one_line(err[:-1], SAID[kind], language, url.split("://", 1)[1])
    if kind != "lock_timeout":  # took too long: a shorter period only where one is chosen
        _advises(err, language, period=command == ["stats"])


def _advises(line: str, language: str, *, period: bool) -> None:
    """``line`` (a question that took too long) advises a shorter period if ``period``
    (the figures), else to try again (the outbox's notice, the sync's line, a search)."""
    said, not_said = ("period", "again") if period else ("again", "period")
    assert _fixed(f"conn.store.hint.{said}", language) in line, line
    assert _fixed(f"conn.store.hint.{not_said}", language) not in line, line


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("key", ["57014", "no_answer", "53200"])
def test_a_question_that_took_too_long_advises_a_period_only_where_one_is_chosen(
    key: str, language: str
) -> None:
    """The outbox's notice and the sync's line (the stored line, read back) say to try
    again; the figures (``said(period=True)``) a shorter period (was: a shorter period
    everywhere, where there is none to choose). So does a server short of resources
    (53xxx), which advised a shorter period everywhere too."""
    from reactieveld.failures import error_in_language

    cause = (
        TimeoutError()
        if key == "no_answer"
        else asyncpg.OutOfMemoryError("out of memory")
        if key == "53200"
        else asyncpg.QueryCanceledError("canceling statement due to statement timeout")
    )
    exc = base.server_error("postgresql://u@db.example/memory", cause)
    assert isinstance(exc, StoreError)
    for line in (error_in_language(failure(exc).message, language), exc.said(language)):
        _advises(line, language, period=False)
    _advises(exc.said(language, period=True), language, period=True)


#: Errors of each kind a store gives (made as the store makes them): ``(kind, error)``.
_KINDS_OF_ERROR = {
    "57014": lambda where: base.server_error(
        where, asyncpg.QueryCanceledError("canceling statement due to statement timeout")
    ),
    "no_answer": lambda where: base.server_error(where, TimeoutError()),
    "53200": lambda where: base.server_error(where, asyncpg.OutOfMemoryError("out of memory")),
    "login": lambda where: base.connect_error(where, asyncpg.InvalidPasswordError("no")),
    "unreachable": lambda where: base.connect_error(where, ConnectionRefusedError(111, "no")),
    "plain": lambda where: StoreError(f"{where}: something else"),
}


@pytest.mark.parametrize("chosen", [True, False])
@pytest.mark.parametrize("kind", sorted(_KINDS_OF_ERROR))
def test_period_advice_keeps_the_kind_of_error(kind: str, chosen: bool) -> None:
    """``period_advice`` (stats, export, agreement) raises the same kind of error it was
    given (its class, whether a later try can help: was a plain StoreError, retryable
    lost), a question that took too long advising a shorter period only where one was
    chosen, in both languages."""
    from reactieveld.read.figures import period_advice

    exc = _KINDS_OF_ERROR[kind]("postgresql://u@db.example/memory")
    assert isinstance(exc, StoreError)
    with pytest.raises(StoreError) as raised, period_advice(chosen):
        raise exc
    got = raised.value
    assert type(got) is type(exc), (got, exc)
    assert getattr(got, "retryable", None) == getattr(exc, "retryable", None)
    too_long = kind in ("57014", "no_answer", "53200")
    for language in ("nl", "en"):
        assert got.said(language) == exc.said(language, period=chosen)
        if too_long:
            _advises(got.said(language), language, period=chosen)
    assert (got is exc) == (not (chosen and too_long))


async def test_the_dashboard_says_it_and_r_computes_again(
    memory: tuple[Any, str, str], tui_env: None
) -> None:
    from datetime import date

    from textual.app import App

    from reactieveld.read.figures import Period
    from reactieveld.tui.screens.dashboard import DashboardScreen
    from reactieveld.tui.widgets.heading import Heading

    cluster, db, url = memory
    store = await open_store(url)
    cluster.psql(f'ALTER DATABASE "{db}" SET statement_timeout = 150')
    await store.close()
    store = await open_store(url)  # its connections with the timeout
    period = Period(date(2026, 11, 1), date(2026, 11, 30))

    class Host(App[None]):
        async def on_mount(self) -> None:
            await self.push_screen(DashboardScreen(store, language="nl", period=period))

    lock = await asyncpg.connect(url)
    try:
        await lock.execute("BEGIN; LOCK TABLE sources IN ACCESS EXCLUSIVE MODE")
        async with Host().run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, DashboardScreen)
            await screen.loaded.wait()
            heading = " ".join(str(screen.query_one("#dash-period", Heading).render()).split())
            assert "De cijfers konden niet worden berekend" in heading, heading
            assert _fixed("conn.store.pg_too_long", "nl") in heading, heading
            _advises(heading, "nl", period=True)
            assert "StoreError" not in heading and "QueryCanceled" not in heading
            await lock.execute("ROLLBACK")
            await pilot.press("r")  # the screen still takes its keys: the figures now
            await pilot.pause()
            await screen.loaded.wait()
            await pilot.pause()
            assert screen.stats is not None
            heading = str(screen.query_one("#dash-period", Heading).render())
            assert "berekend" not in heading, heading
    finally:
        await lock.close()
        await store.close()
        cluster.psql(f'ALTER DATABASE "{db}" RESET statement_timeout')


async def test_the_report_says_it_whole_in_the_readers_language(
    memory: tuple[Any, str, str], tui_env: None, tmp_path: Path
) -> None:
    """The app's report (e): its notice the store's line in Dutch, with what to do at
    its end (was English, cut at 200 characters: before the advice)."""
    from textual.app import App

    from reactieveld.i18n import I18n
    from reactieveld.reports.formats import ExportOptions
    from reactieveld.tui.screens.export import write_export

    cluster, db, url = memory
    cluster.psql(f'ALTER DATABASE "{db}" SET statement_timeout = 150')
    store = await open_store(url)
    said: list[str] = []

    class Host(App[None]):
        def notify(self, message: str, **kw: Any) -> None:  # type: ignore[override]
            said.append(message)

    lock = await asyncpg.connect(url)
    try:
        await lock.execute("BEGIN; LOCK TABLE sources, responses IN ACCESS EXCLUSIVE MODE")
        async with Host().run_test() as pilot:
            write_export(pilot.app, store, ExportOptions(), tmp_path / "r.md", i18n=I18n("nl"))
            await pilot.app.workers.wait_for_complete()
    finally:
        await lock.close()
        await store.close()
        cluster.psql(f'ALTER DATABASE "{db}" RESET statement_timeout')
    assert len(said) == 1 and said[0].startswith("Rapport mislukt: postgresql://"), said
    _one_line(said[0], "conn.store.pg_too_long", "nl", url.split("://", 1)[1])
    assert not list(tmp_path.glob("*.md")) and not list(tmp_path.glob(".reactieveld-*"))


async def test_the_app_s_search_says_it_and_the_app_goes_on(
    memory: tuple[Any, str, str], tui_env: None, make_app: Any
) -> None:
    """The app's search (/) behind the lock: the notice is the store's line in Dutch
    (was "search: <English>"); the app still takes its keys (esc: the queue).

    Flaky under load before: the lock was taken after one idle turn of the app, with
    ``statement_timeout = 150`` on every statement of the app. The notice it saw was not
    the search's (a screen's worker's error was said nowhere: Textual tells a worker's
    state to its own node only) but that of the app's start workers ("sources",
    "counts"), when they were still reading as the lock came and ran past 150 ms behind
    it; when they had finished first, no notice came at all. Now the first reads are
    done first (``ready``), every statement that waits for the lock is stopped by the
    server (57014, as the timeout does) when the test sees it waiting, not after a time,
    and the search's own error is the notice."""
    from helpers.app import ready, until
    from textual.worker import WorkerState

    from reactieveld.tui.screens.search import SearchScreen

    _, _, url = memory
    store = await open_store(url)
    lock = await asyncpg.connect(url)
    watcher = await asyncpg.connect(url)

    async def stopped_and_said() -> bool:
        """Stop every statement that waits for the lock; whether the search has ended
        (its last worker too) and said something."""
        await watcher.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND wait_event_type = 'Lock' AND pid <> $1",
            lock.get_server_pid(),
        )
        searching = [
            w
            for w in app.workers
            if w.group == "search" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        return bool(app._notifications) and not searching

    try:
        app = make_app(store, "nl")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await ready(app, pilot)  # the first reads done: only the search meets the lock
            await lock.execute("BEGIN; LOCK TABLE sources, responses IN ACCESS EXCLUSIVE MODE")
            await pilot.press("slash", "b", "o", "o", "m")
            await until(pilot, stopped_and_said, "the notice", seconds=20)
            # (One per search that reached the server: a letter's may, before the next.)
            said = {n.message for n in app._notifications}
            assert len(said) == 1, said
            line = said.pop()
            _one_line(line, "conn.store.pg_too_long", "nl", url.split("://", 1)[1])
            _advises(line, "nl", period=False)
            await lock.execute("ROLLBACK")
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, SearchScreen)
    finally:
        await watcher.close()
        await lock.close()
        await store.close()


def _codes() -> list[str]:
    """Every SQLSTATE of the rule, a second member of each class it names by its class,
    and the connection classes (said as a lost connection)."""
    codes = {c for c in base.SERVER_SAID if len(c) == 5}
    codes |= {c + x for c in base.SERVER_SAID if len(c) == 2 for x in ("000", "P01")}
    codes |= {"53200", "53400", "08006", "08000", "57P01"}
    return sorted(codes)


@pytest.mark.parametrize("code", _codes())
def test_every_kind_of_server_error_is_one_line_and_the_one_rule_of_retrying(
    code: str, memory: tuple[Any, str, str]
) -> None:
    """The server's own error of each SQLSTATE, through the store's one way of calling:
    its line in both languages, and whether a later try may pass (the rule's table). A
    transaction the server stopped for another's sake (a deadlock's victim, a
    serialization failure) is run again by the store itself, up to ``TRIES`` times in
    all, and one that keeps failing ends in the same line (was: said after one try)."""
    _, _, url = memory
    sql = f"DO $$ BEGIN RAISE EXCEPTION 'said by the server' USING ERRCODE = '{code}'; END $$"
    runs: list[bool] = []

    async def body(conn: asyncpg.Connection) -> None:
        runs.append(conn.is_in_transaction())
        await conn.execute(sql)

    async def run(write: bool) -> StoreError:
        store = await open_store(url)
        try:
            call = store._write if write else store._read
            with pytest.raises(StoreError) as caught:
                await call(body)
            return caught.value
        finally:
            await store.close()

    for write in (False, True):
        runs.clear()
        exc = asyncio.run(run(write))
        # Each run a transaction of its own (a write), never a read run again.
        again = write and code in ("40P01", "40001")
        assert runs == [write] * (base.TRIES if again else 1), runs
        found = base.SERVER_SAID.get(code) or base.SERVER_SAID.get(code[:2])
        if code[:2] == "08" or code.startswith("57P"):
            assert isinstance(exc, StoreUnreachable) and exc.retryable
            continue
        assert found is not None
        key, retryable = found
        if code == "42501" and write:
            key = "conn.store.pg_may_not_change"
        assert getattr(exc, "retryable", None) is retryable
        # A sync's, the outbox's or a sink's round: its words, and the same rule.
        said = failure(exc)
        assert (said.retryable, said.expected) == (retryable, True)
        assert not re.search(r"Error\b|^unexpected", said.message), said.message
        for language in ("nl", "en"):
            line = exc.said(language)
            assert "said by the server" in line
            _one_line(line, key, language, url.split("://", 1)[1])


def _login_role(cluster: Any, name: str, extra: str = "") -> None:
    cluster.psql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} {extra}; END IF; END $$"
    )


#: Opening the memory refused, provoked for real: (how, what is said).
REFUSED = {
    "connection_limit": "conn.store.pg_too_many",
    "no_grants": "conn.store.pg_may_not_read",
    "no_login": "conn.store.pg_login",
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("how", sorted(REFUSED))
def test_a_refused_opening_says_what_to_do(
    how: str, language: str, memory: tuple[Any, str, str], empty_config: None
) -> None:
    cluster, db, url = memory
    if how == "connection_limit":  # a superuser is not held to it: a moderator is
        role_url = cluster.role_url(url, "rv_limited", "reactieveld_moderator")
        cluster.psql(f'ALTER DATABASE "{db}" CONNECTION LIMIT 0')
    elif how == "no_grants":
        _login_role(cluster, "rv_nogrants", "LOGIN")
        role_url = cluster.url(db, "rv_nogrants")
    else:
        _login_role(cluster, "rv_nologin", "NOLOGIN IN ROLE reactieveld_moderator")
        role_url = cluster.url(db, "rv_nologin")
    try:
        code, out, err = run_main(["--lang", language, "--db", role_url, "stats"])
        with pytest.raises(StoreError) as caught:
            asyncio.run(_made(role_url))
    finally:
        cluster.psql(f'ALTER DATABASE "{db}" CONNECTION LIMIT -1')
    where = role_url.split("://", 1)[1]
    _one_line(caught.value.said(language), REFUSED[how], language, where)
    assert getattr(caught.value, "retryable", True) is (how == "connection_limit")
    assert (code, out) == (2, "")
    _one_line(err.removesuffix("\n"), REFUSED[how], language, where)


def test_a_database_dropped_under_an_open_store_is_said_as_gone(pg_cluster: Any) -> None:
    db = pg_cluster.new_database()
    url = pg_cluster.url(db)

    async def run() -> list[StoreError]:
        store = await open_store(url)
        said: list[StoreError] = []
        try:
            await asyncio.to_thread(pg_cluster.psql, f'DROP DATABASE "{db}" WITH (FORCE)')
            for _ in range(2):  # the pool's connection gone, then a new one refused
                with pytest.raises(StoreError) as caught:
                    await store.queue(QueueFilter())
                said.append(caught.value)
        finally:
            await store.close()
        return said

    said = asyncio.run(run())
    line = said[-1].said("en")
    _one_line(line, "conn.store.pg_no_database", "en", url.split("://", 1)[1])
    assert getattr(said[-1], "retryable", True) is False
    for exc in said:
        assert "the query failed" not in str(exc), exc


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_app_started_while_its_first_read_waits_too_long_says_it_and_goes_on(
    memory: tuple[Any, str, str], tui_env: None, make_app: Any, language: str
) -> None:
    """The first screen's first read (the rows and the source names) behind a lock held
    past the time limit: a traceback ended the app (ServerError out of on_mount); now the
    store's line is the notice, in the reader's language, and once the lock goes the rows
    come (read again as after an outage)."""
    from helpers.app import until

    cluster, db, url = memory
    cluster.psql(f'ALTER DATABASE "{db}" SET statement_timeout = 150')
    store = await open_store(url)
    lock = await asyncpg.connect(url)
    try:
        await lock.execute("BEGIN; LOCK TABLE sources, responses IN ACCESS EXCLUSIVE MODE")
        app = make_app(store, language)
        app.reach_retry_seconds = (0.05, 0.2)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await until(pilot, lambda: list(app._notifications), "the notice", seconds=20)
            lines = {n.message for n in app._notifications}
            assert len(lines) == 1, lines
            _one_line(lines.pop(), "conn.store.pg_too_long", language, url.split("://", 1)[1])
            assert app.memory_unreachable  # read again, as after an outage
            await lock.execute("ROLLBACK")
            await until(pilot, lambda: not app.memory_unreachable, "read again", seconds=20)
            assert app.is_running
    finally:
        await lock.close()
        await store.close()
        cluster.psql(f'ALTER DATABASE "{db}" RESET statement_timeout')


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("key", ["57014", "no_answer"])
@pytest.mark.parametrize("dates", ["period", "since", "until", "none"])
async def test_a_report_of_a_chosen_period_advises_a_shorter_one(
    dates: str, key: str, language: str, tui_env: None, tmp_path: Path
) -> None:
    """The report (the dashboard's e: its period; the export dialog: a filter's dates)
    that took the server too long advises a shorter period where dates were chosen, as
    the figures do; without dates, to try again (was: to try again always)."""
    from textual.app import App

    from reactieveld.i18n import I18n
    from reactieveld.reports.formats import ExportOptions
    from reactieveld.tui.screens.export import write_export

    bounds = {
        "since": datetime(2026, 11, 1, tzinfo=UTC),
        "until": datetime(2026, 12, 1, tzinfo=UTC),
    }
    chosen = {k: v for k, v in bounds.items() if dates in (k, "period")}
    said: list[str] = []

    class Host(App[None]):
        def notify(self, message: str, **kw: Any) -> None:  # type: ignore[override]
            said.append(message)

    async with Host().run_test() as pilot:
        opts = ExportOptions(language=language, **chosen)
        write_export(pilot.app, Away(key), opts, tmp_path / "r.md", i18n=I18n(language))
        await pilot.app.workers.wait_for_complete()
    assert len(said) == 1, said
    _advises(said[0], language, period=dates != "none")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("key", ["57014", "no_answer"])
@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "jsonl"],
        ["export", "--format", "md", "--since", "2026-11-01"],
        ["export", "--format", "jsonl", "--until", "2026-11-30"],
        ["agreement"],
        ["agreement", "--since", "2026-11-01", "--until", "2026-11-30"],
    ],
)
def test_a_command_of_chosen_dates_that_took_too_long_advises_a_shorter_period(
    command: list[str],
    key: str,
    language: str,
    monkeypatch: pytest.MonkeyPatch,
    empty_config: None,
) -> None:
    """``export`` and ``agreement`` with --since/--until on a memory whose reads take
    too long advise a shorter period, as ``stats`` does; without dates, to try again
    (was: to try again always)."""
    import reactieveld.store.open as opening

    url = AWAY_URL

    async def opened(*args: Any, **kw: Any) -> Away:
        return Away(key)

    monkeypatch.setattr(opening, "open_store", opened)
    code, out, err = run_main(["--lang", language, "--db", url, *command])
    assert code == 2 and err.startswith(f"reactieveld: {url}"), (code, err)
    _advises(err, language, period="--since" in command or "--until" in command)


AWAY_URL = "postgresql://u@db.example/memory"


class Away:
    """A team's memory every read of which takes too long: the server stopped it
    (``57014``) or the program stopped waiting (``no_answer``)."""

    def __init__(self, key: str) -> None:
        cause = (
            TimeoutError()
            if key == "no_answer"
            else asyncpg.QueryCanceledError("canceling statement due to statement timeout")
        )
        self.exc = base.server_error(AWAY_URL, cause)

    async def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        async def asked(*args: Any, **kw: Any) -> Any:
            raise self.exc

        return asked
