"""Shared fixtures. TUI: ``tui_env`` (hides the developer's own config and data dirs),
``tui_store`` (a small SQLite memory with WordPress-shaped responses) and ``make_app``.
Others: ``utc`` (local times in UTC), ``no_color``, ``cli_isolated`` (no user config or
store for the command line), ``memory`` (the reportdata memory), ``sleeps``,
``healthy_site`` (a WordPress fake that syncs, beside a source under test).
PostgreSQL: ``pg_cluster`` (one throwaway cluster per session, see tests/helpers/pg.py)
and ``pg_url`` (a fresh empty database on it, as its superuser); ``store_target``: a
test once per backend (a SQLite file path, then a PostgreSQL URL), for
``helpers.store.open_store``; ``moderators``: a store per moderator on one memory, per
backend (the two-moderator TUI tests).
Generated examples (hypothesis) are the same on every run: the profile "fixed" (the
default) seeds each test from its own code and keeps no example database, so a run on a
clean checkout, as CI's, passes or fails as the last one did; ``REACTIEVELD_HYPOTHESIS=
explore`` draws new examples each run (and keeps failing ones in .hypothesis/) to look for
the next input. Neither has a deadline per example: speed is measured in bench/.
Every test is failed that leaves a new non-daemon thread running after it
(``_no_thread_left_running``). ``REACTIEVELD_TEST_CLOCK`` runs the tests on another day
(tests/helpers/moved_clock.py). Shared functions and data builders live in
tests/helpers/, not here."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import helpers.moved_clock  # noqa: F401  (first: REACTIEVELD_TEST_CLOCK, opt-in)
import pytest
from helpers.data import fill_store, sample_responses, sample_store
from hypothesis import settings

settings.register_profile("fixed", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("REACTIEVELD_HYPOTHESIS", "fixed"))


@pytest.fixture(autouse=True)
def _no_thread_left_running() -> Iterator[None]:
    """Fail a test that leaves a new non-daemon thread running after it (its fixtures'
    teardown included): an aiosqlite connection's thread runs until its store is closed,
    and such a thread keeps the pytest-xdist worker from exiting (execnet then interrupts
    it), as a store left open keeps a real ``reactieveld`` process from ending."""
    from helpers.threads import threads_left

    before = set(threading.enumerate())
    yield
    left = threads_left(before)
    if left:
        pytest.fail(
            f"left running after the test: {', '.join(left)} (close the store, server or "
            "executor that started it: async with, or close() in a finally)",
            pytrace=False,
        )


@pytest.fixture
def tui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide the developer's own config and data: an empty config file, temp XDG dirs."""
    config = tmp_path / "empty-config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(config))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # f2's language
    monkeypatch.delenv("REACTIEVELD_STATE", raising=False)
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)


@pytest.fixture
async def tui_store(tmp_path: Path, tui_env: None):
    """A SQLite memory with 30 responses of source "blog"."""
    store = await sample_store(tmp_path / "memory.db")
    yield store
    await store.close()


@pytest.fixture
def make_app() -> Callable[..., Any]:
    """``make_app(store, language="nl", **kw)``: the app on a store, UTC, actor "tester"."""
    from reactieveld.tui.app import ReactieveldApp

    def make(store: Any, language: str = "nl", **kw: Any) -> ReactieveldApp:
        kw.setdefault("tz", UTC)
        kw.setdefault("actor", "tester")
        return ReactieveldApp(store, language=language, **kw)

    return make


@pytest.fixture
def sleeps() -> Any:
    """The connector tests' recorded sleeps (fakes.base.Sleeps): no real waiting."""
    from fakes.base import Sleeps

    return Sleeps()


@pytest.fixture
def forum(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A running Discourse fake with its fixture's posts, its key in the environment
    (fakes.running_forum); test_discourse has a bare one of its own."""
    from fakes import running_forum

    with running_forum(monkeypatch) as fake:
        yield fake


@pytest.fixture(scope="module")
def healthy_site() -> Iterator[Any]:
    """A healthy WordPress-shaped fake (helpers.twosources): the second source of the
    tests of what a misbehaving server does to one source and not to the others."""
    from helpers.twosources import HEALTHY, HEALTHY_PASSWORD
    from wpreal import served_fakewp

    with served_fakewp(HEALTHY, password=HEALTHY_PASSWORD) as wp:
        yield wp


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Local times in UTC (the reports and dashboard print local dates), no user config."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: the plain characters alone must say it."""
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def cli_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own config or store (no config file at all)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)


@pytest.fixture
async def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """The reportdata memory (tests/reportdata.py), open: (store, {external id: id})."""
    from reportdata import build

    store, ids = await build(tmp_path / "m.db", monkeypatch)
    yield store, ids
    await store.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for the session; skips (or fails, with
    REACTIEVELD_REQUIRE_PG=1) when no PostgreSQL is installed. Before this process's
    first cluster, those a killed pytest left running are stopped and removed
    (helpers.pg.reap_left_clusters: only where their owner process is gone)."""
    import os

    from helpers.pg import Cluster, pg_bin

    found = pg_bin()
    if found is None or not (found / "initdb").exists():
        message = "PostgreSQL is not installed (Debian: apt-get install postgresql)"
        if os.environ.get("REACTIEVELD_REQUIRE_PG") == "1":
            pytest.fail(message + "; REACTIEVELD_REQUIRE_PG=1 asks for it")
        pytest.skip(message)
    cluster = Cluster(found)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def own_cluster() -> Iterator[Any]:
    """A cluster of the test's own, which it may stop (``halt``) and start again."""
    import os

    from helpers.pg import Cluster, pg_bin

    found = pg_bin()
    if found is None or not (found / "initdb").exists():
        if os.environ.get("REACTIEVELD_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL is not installed; REACTIEVELD_REQUIRE_PG=1 asks for it")
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster(found)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Any) -> str:
    """The URL of a fresh empty database (as the cluster's superuser)."""
    return str(pg_cluster.url(pg_cluster.new_database()))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store test's memory lives: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "m.db")  # the name the store tests use for a second connection
    cluster = request.getfixturevalue("pg_cluster")
    return str(cluster.url(cluster.new_database()))


@pytest.fixture
async def moderators(
    store_target: str, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[..., Any]]:
    """``await moderators("anna", "bram")``: one open store per moderator on ONE memory
    with 30 responses of "blog" (``sample_responses``), once per backend: connections to
    a SQLite file, then to a PostgreSQL database, each as a login role of that name in
    ``reactieveld_moderator`` (there the role is the actor, named by the server)."""
    from reactieveld.store.open import open_store

    opened: list[Any] = []

    async def open_all(*names: str) -> list[Any]:
        first = await open_store(store_target)  # PostgreSQL: the owner, migrations run
        responses, threads = sample_responses()
        await fill_store(first, "blog", responses, threads)
        if not store_target.startswith("postgresql"):
            opened.append(first)
            opened.extend([await open_store(store_target) for _ in names[1:]])
            return opened[-len(names) :]
        await first.close()
        cluster = request.getfixturevalue("pg_cluster")
        for name in names:
            opened.append(
                await open_store(cluster.role_url(store_target, name, "reactieveld_moderator"))
            )
        return opened[-len(names) :]

    yield open_all
    for store in reversed(opened):
        await store.close()


#: Textual's pilot waits for the app to be idle (``pilot.pause()``, after each key of
#: ``pilot.press``) in slices of 20 ms: idle once a slice went by with under 1/20 of it
#: spent on the CPU. The TUI tests spent most of their time there (test_help_keys: 46 s
#: of its 54 on one core, CPU 20 s). Slices of 5 ms: the same test of idleness (1/20 of
#: a slice), a quarter of the wait; the tests wait on workers and messages, not on it.
IDLE_SLICE = 0.005


def pytest_configure(config: pytest.Config) -> None:
    """Textual's idle slice at ``IDLE_SLICE`` (textual is pinned in pyproject: a new
    version that names these otherwise stops the run here, not the speed-up silently)."""
    import textual._wait as wait

    if not hasattr(wait, "SLEEP_GRANULARITY") or not hasattr(wait, "SLEEP_IDLE"):
        raise pytest.UsageError("textual._wait has no SLEEP_GRANULARITY/SLEEP_IDLE: see conftest")
    wait.SLEEP_GRANULARITY = IDLE_SLICE
    wait.SLEEP_IDLE = IDLE_SLICE / 20


#: The longest units of work (tens of seconds each on CI's two cores, the wordpress group
#: minutes), started first: xdist hands out the units in the order collected, and one of
#: them handed out last (the real WordPress's tests were among the last files) keeps one
#: core busy while the other idles at the end of the run.
LONG_FIRST = (
    "test_palette.py::test_every_command_listed_does_something_on_the_screen_shown",
    "test_tui_whole_queue.py::",
)


def _order(item: pytest.Item) -> int:
    """0: the wordpress group (the longest unit), 1: ``LONG_FIRST``, 2: the rest."""
    if item.get_closest_marker("wordpress") is not None:
        return 0
    return 1 if any(long in item.nodeid for long in LONG_FIRST) else 2


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.sqlite_only``: a ``store_target`` test not (yet) run on PostgreSQL.
    ``@pytest.mark.wordpress``: the tests on the one real WordPress run in one worker
    (pytest-xdist's ``loadgroup``), one after another, as they were written to. The
    longest units (``LONG_FIRST``, the wordpress group) come first, the rest in order.
    First of this hook's implementations (``tryfirst``): xdist's worker names a test's
    group in its id in its own, registered after this file, so it ran first and saw no
    group mark: the wordpress tests were spread over both workers and one test's site
    changes broke another's comparison with the whole site."""
    items.sort(key=_order)  # stable: each part in its own order
    for item in items:
        if item.get_closest_marker("wordpress") is not None:
            item.add_marker(pytest.mark.xdist_group("wordpress"))
        callspec = getattr(item, "callspec", None)
        if callspec is None or callspec.params.get("store_target") != "postgresql":
            continue
        mark = item.get_closest_marker("sqlite_only")
        if mark is not None:
            reason = mark.args[0] if mark.args else "not yet on PostgreSQL"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
