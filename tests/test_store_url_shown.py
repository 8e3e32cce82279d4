"""A team's memory named the one way on every line: ``postgresql://role@host:port/db``.

The role is no secret (it says who is refused, who waits); a password always is. The
command line's lines, the sync's waiting line and its rounds' lines (stored, and shown by
``reactieveld sources``, the outbox and the app) all show a store's URL through
``store.urls.redact_url``: given a URL with a password, each shows the same form and
never the password."""

from __future__ import annotations

import socket

import asyncpg
from helpers.cli import run_main
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.failures import error_in_language, failure
from reactieveld.store.base import StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.store.pg.base import connect_error
from reactieveld.store.urls import describe, redact_url

ROLES = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
#: Upper case only: never a part of the lower-case rest of the URL.
PASSWORDS = st.from_regex(r"[A-Z][A-Z0-9]{5,15}", fullmatch=True)
HOSTS = st.sampled_from(["127.0.0.1", "db.example.nl", "localhost", "[::1]"])
PORTS = st.one_of(st.none(), st.integers(1, 65535))
DATABASES = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
ERRORS = [
    ConnectionRefusedError(111, "Connect call failed"),
    TimeoutError(),
    asyncpg.InvalidPasswordError("password authentication failed"),
]


def _urls(role: str, password: str, host: str, port: int | None, db: str) -> tuple[str, str]:
    """(the URL with a password, the form every line shows)."""
    at = f"{host}:{port}" if port else host
    return f"postgresql://{role}:{password}@{at}/{db}", f"postgresql://{role}@{at}/{db}"


def _lines(url: str) -> list[str]:
    """Every line that names the memory ``url``: the command line's and the waiting
    line's (the error as the store makes it), a round's (stored, its lead), and a round's
    whose text holds the URL as given (a server's or a library's words)."""
    lines = []
    for exc in ERRORS:
        err = connect_error(describe(url), exc)
        lines.append(str(err))  # the command line's line (and --lang nl: its said form)
        lines.append(err.said("nl"))
        message = failure(err, source="blog").message  # a round's line, stored
        lines += [message, error_in_language(message, "nl")]
    lines.append(failure(StoreError(f"{url}: the server said no"), source="blog").message)
    lines.append(failure(StoreUnreachable(f"lost {url}, (again)"), source="blog").message)
    return lines


@given(ROLES, PASSWORDS, HOSTS, PORTS, DATABASES)
def test_every_line_shows_the_role_and_never_the_password(
    role: str, password: str, host: str, port: int | None, db: str
) -> None:
    url, shown = _urls(role, password, host, port, db)
    assert describe(url) == redact_url(url) == shown
    for line in _lines(url):
        assert shown in line, line
        assert password not in line and "***" not in line, line


def test_the_command_line_and_a_round_name_a_server_away_alike(cli_isolated: None) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://moderator@127.0.0.1:{port}/team"
    code, _, err = run_main(["--lang", "nl", "--db", url, "sources"])
    assert code == 2 and f"{url}: " in err, err
    round_line = failure(connect_error(describe(url), ConnectionRefusedError(111, "x")))
    assert f"{url}: " in round_line.message, round_line


#: A password as a URL may hold it unencoded (RFC 3986's userinfo: sub-delims and ':'),
#: from PW to QZ: neither is ever a part of the rest of the line.
ODD_PASSWORDS = st.from_regex(r"PW[A-Z0-9()'!$&*+,;=:~.\-]{3,12}QZ", fullmatch=True)


@given(ROLES, ODD_PASSWORDS, HOSTS, PORTS, DATABASES, st.sampled_from(["", "'", "(", ": "]))
def test_a_url_in_a_message_shows_its_role_and_no_password_whatever_it_holds(
    role: str, password: str, host: str, port: int | None, db: str, around: str
) -> None:
    """A password with a bracket or a quote in it (a URL may hold them as written) ended
    the URL where :func:`shown_urls` looked for it: the URL was left as it was, and only
    the last scrubber's mask (``postgresql://***@host``) kept the password off the line,
    the role with it. The whole URL is recognised up to its ``@``: the line shows the
    one form, the role and no part of the password."""
    url, shown = _urls(role, password, host, port, db)
    line = failure(StoreError(f"cannot reach {around}{url}")).message
    assert shown in line
    assert "PW" not in line and "QZ" not in line
