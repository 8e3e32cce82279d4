"""The memory unreachable (a team's PostgreSQL server away): one line naming it, a
StoreUnreachable where connection errors are caught, an sslmode problem its own line,
and the libraries' log lines off the screen unless REACTIEVELD_DEBUG asks for them."""

from __future__ import annotations

import logging
import re
import socket

import asyncpg
import pytest

from reactieveld.failures import failure, quiet_library_logs
from reactieveld.store.base import StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.store.pg.base import PgBase, connect_error

WHERE = "postgresql://anna@127.0.0.1:1/rv"


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError(),
        OSError(113, "No route to host"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InternalClientError("unexpected connection_lost() call"),
        asyncpg.CannotConnectNowError("the database system is shutting down"),
    ],
)
def test_connection_errors_are_store_unreachable(exc: BaseException) -> None:
    for err in (connect_error(WHERE, exc), PgBase(None, WHERE, "1")._error(exc)):  # type: ignore[arg-type]
        assert isinstance(err, StoreUnreachable) and isinstance(err, StoreError)
        line = failure(err, source="demo").message
        assert line.startswith("the memory cannot be reached: postgresql://"), line
        assert "127.0.0.1:1/rv: " in line
        assert "\n" not in line and "Traceback" not in line
        assert failure(err).retryable


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5491)"),
        OSError(113, "No route to host"),
        socket.gaierror(-2, "Name or service not known"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InternalClientError("unexpected connection_lost() call"),
        asyncpg.CannotConnectNowError("the database system is shutting down"),
        asyncpg.InterfaceError(""),
    ],
)
def test_an_unreachable_line_is_a_persons_words(exc: BaseException) -> None:
    """The line an app's notice, the outbox's and the sync's show when the server went
    away names no Python class and no errno; a server that does not take a new connection
    (the pool opening one for a key, a page or the outbox) is said as the sync says it."""
    lines = [
        failure(e).message
        for e in (connect_error(WHERE, exc), PgBase(None, WHERE, "1")._error(exc))
    ]  # type: ignore[arg-type]
    for line in lines:
        assert not re.search(r"[A-Za-z]+Error\b|\[Errno|\(\)[:;]", line), line
    if isinstance(exc, ConnectionRefusedError | socket.gaierror | asyncpg.CannotConnectNowError):
        assert lines[0] == lines[1]
        assert "cannot reach the server" in lines[1]


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5491)"),
        ConnectionResetError(104, "Connection reset by peer"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.CannotConnectNowError("the database system is shutting down"),
    ],
)
def test_a_dutch_line_for_the_server_away_is_dutch(exc: BaseException) -> None:
    """The sync's line, the outbox's and the app's notice with ``--lang nl``: the memory's
    lead and the why both in Dutch (the server's own words as they are)."""
    from reactieveld.failures import error_in_language

    for err in (connect_error(WHERE, exc), PgBase(None, WHERE, "1")._error(exc)):  # type: ignore[arg-type]
        line = error_in_language(failure(err, source="demo").message, "nl")
        assert line.startswith("het geheugen is niet bereikbaar: postgresql://"), line
        assert "server" in line and "127.0.0.1:1/rv: " in line
        for english in ("cannot reach", "is it running", "connection to the server", "try again"):
            assert english not in line, line


def test_a_query_error_is_not_unreachable() -> None:
    err = PgBase(None, WHERE, "1")._error(asyncpg.UndefinedTableError("no table"))  # type: ignore[arg-type]
    assert not isinstance(err, StoreUnreachable)


def test_sslmode_problems_have_their_own_line() -> None:
    refused = connect_error(
        WHERE, ConnectionError('PostgreSQL server at "127.0.0.1:1" rejected SSL upgrade')
    )
    assert "does not accept SSL" in str(refused) and "sslmode=disable" in str(refused)
    required = connect_error(
        WHERE,
        asyncpg.InvalidAuthorizationSpecificationError(
            'no pg_hba.conf entry for host "127.0.0.1", user "anna", database "rv", no encryption'
        ),
    )
    assert "requires SSL" in str(required) and "sslmode=require" in str(required)


@pytest.fixture
def library_loggers():
    names = ("asyncpg", "httpx", "httpcore")
    kept = {n: (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in names}
    for n in names:  # as a fresh process has them (an earlier test's cli.main quieted them)
        logging.getLogger(n).setLevel(logging.NOTSET)
        logging.getLogger(n).propagate = True
    yield names
    for n, (level, propagate) in kept.items():
        logging.getLogger(n).setLevel(level)
        logging.getLogger(n).propagate = propagate


def test_library_logs_are_quiet(
    library_loggers, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REACTIEVELD_DEBUG", raising=False)
    quiet_library_logs()
    for name in library_loggers:
        logging.getLogger(name).error("Unexpected connection_lost() call")
    assert "connection_lost" not in capsys.readouterr().err


def test_library_logs_stay_with_debug(library_loggers, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REACTIEVELD_DEBUG", "1")
    quiet_library_logs()
    for name in library_loggers:
        assert logging.getLogger(name).isEnabledFor(logging.ERROR)
