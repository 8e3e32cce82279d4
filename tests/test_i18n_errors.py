"""A platform's error in the reader's language.

The connectors make their errors from the interface text's templates (``conn.*`` in
reactieveld/i18n.py) in English, and the store keeps that English (scripts, and the other
processes that read the memory, rely on one form). Every place that shows such an error,
``reactieveld sync``'s lines, ``reactieveld sources`` and the app's notice, shows it in
its reader's language: the templates themselves read the stored text back, so every
template (a new one too) is covered here by itself. Text the table does not know (an
older stored error, a server's words) is shown as it is; whatever the fields hold, the
shown error is one plain line.
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx
import pytest
from helpers.app import SMALL, screen_text, until
from helpers.cli import run_main
from helpers.lang import english_only
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.cli import main
from reactieveld.config import SourceConfig
from reactieveld.connectors.http import HttpError, RetryPolicy, make_client, request_json
from reactieveld.connectors.wordpress import WordPressConnector
from reactieveld.failures import error_in_language
from reactieveld.i18n import (
    STORED_PREFIX,
    STRINGS,
    I18n,
    in_language,
    stored,
    stored_status,
    text,
)
from reactieveld.model import RemoteStatus, Source
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine
from reactieveld.text import one_line

TEMPLATES = sorted(k for k in STRINGS if k.startswith(STORED_PREFIX))
#: The fields that hold another stored text, and those that are whole numbers.
NESTED = {"error", "hint", "reason"}
NUMBERS = {"n", "status", "seconds", "size"}
#: A stored text inside a nested field: read back in turn.
INNER = "conn.hint.connect"
HOSTILE = [
    "[b]markup[/b]",
    "[/]",
    "[@click=app.quit]x[/]",
    "a (b) [c]: d",
    "two\nlines\r\nand\ttabs",
    "{error}",
    "ü" * 1000,
]


def _fields(key: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\{(\w+)\}", STRINGS[key][1])))


def _values(key: str, plain: str, inner: str | None = None) -> dict[str, str]:
    return {
        name: "42"
        if name in NUMBERS
        else (inner if inner is not None and name in NESTED else f"{plain}-{name}")
        for name in _fields(key)
    }


def test_the_table_has_the_connectors_templates() -> None:
    # The generated cases below would pass vacuously on an empty table.
    assert len(TEMPLATES) > 40
    assert "conn.cannot_connect" in TEMPLATES and "conn.hint.connect" in TEMPLATES


@pytest.mark.parametrize("key", TEMPLATES)
def test_every_template_reads_back_in_dutch_with_its_fields(key: str) -> None:
    values = _values(key, "veld")
    english = stored(key, **values)
    assert in_language(english, "nl") == text(key, "nl", **values)
    assert in_language(english, "en") == english
    # Every template has fixed text (a bare {field} would read back any text at all).
    assert re.sub(r"\{\w+\}", "", STRINGS[key][1]).strip()


@pytest.mark.parametrize("key", [k for k in TEMPLATES if set(_fields(k)) & NESTED])
def test_a_stored_text_inside_a_template_reads_back_too(key: str) -> None:
    english = stored(key, **_values(key, "veld", inner=stored(INNER)))
    dutch = text(key, "nl", **_values(key, "veld", inner=text(INNER, "nl")))
    assert in_language(english, "nl") == dutch
    assert text(INNER, "nl") in dutch


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("key", [k for k in TEMPLATES if set(_fields(k)) - NUMBERS])
def test_hostile_fields_are_kept_and_shown_as_one_plain_line(key: str, hostile: str) -> None:
    values = _values(key, "v")
    values.update({name: hostile for name in values if name not in NUMBERS})
    english = stored(key, **values)
    dutch = in_language(english, "nl")
    assert dutch == text(key, "nl", **values)
    shown = one_line(error_in_language(english, "nl"), limit=2000)
    assert "\n" not in shown and "\r" not in shown
    if "markup" in hostile:
        assert "[b]markup[/b]" in shown


#: The fields that hold a response's status (shown in the reader's words).
STATUSES = {"now", "expected", "want"}
STATUS_TEMPLATES = [k for k in TEMPLATES if set(_fields(k)) & STATUSES]


@pytest.mark.parametrize("status", list(RemoteStatus))
@pytest.mark.parametrize("key", STATUS_TEMPLATES)
def test_a_status_in_a_stored_text_is_shown_in_the_readers_words(
    key: str, status: RemoteStatus
) -> None:
    """A write-back conflict said WordPress's English status inside a Dutch line ("is
    trash op de site"): the status fields read back as the interface says a status, from
    the stored English word and from the bare value older texts hold."""
    assert {"conn.wp.changed", "conn.wp.refused"} <= set(STATUS_TEMPLATES)
    other = RemoteStatus.HOLD if status is not RemoteStatus.HOLD else RemoteStatus.TRASH
    words = {name: (status if name == "now" else other) for name in _fields(key)}
    for form in (stored_status, lambda s: s.value):
        values = {n: form(s) if n in STATUSES else f"v-{n}" for n, s in words.items()}
        english = stored(key, **values)
        for language in ("nl", "en"):
            said = {
                n: I18n(language).status(s) if n in STATUSES else f"v-{n}" for n, s in words.items()
            }
            if language == "nl" or form is stored_status:
                assert in_language(english, language) == text(key, language, **said)
    assert stored_status(RemoteStatus.HOLD) == "on hold"


@pytest.mark.parametrize(
    "unknown",
    [
        "HTTP 500: Internal Server Error",
        "GET http://x/: HTTP 418: I'm a teapot",
        "cannot connect somewhere",  # an older wording: as it is
        "",
        "ConnectError: [Errno 111]",
    ],
)
def test_unknown_text_is_shown_as_it_is(unknown: str) -> None:
    assert in_language(unknown, "nl") == unknown


def test_a_server_text_full_of_colons_is_read_in_bounded_time() -> None:
    # Each ": " could start another request's error: read a bounded depth, never a
    # recursion per colon (a 300-character error holds about 150 of them); and no
    # template's pattern tries each split of the text before failing (10 s of CPU here,
    # in time the square of its length: a fiftieth of a second now). The bound is this
    # thread's CPU time, not the clock's: a busy machine does not fail it.
    english = stored("conn.attempts", n=3, error="GET /x: " + "a: " * 5000 + "z")
    cpu = time.thread_time()
    assert in_language(english, "nl") == english.replace("(after 3 attempts)", "(na 3 pogingen)")
    assert time.thread_time() - cpu < 2


# -- a real closed port, stored, and shown by `reactieveld sources` and the app -----------


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _nosleep(_: float) -> None:
    return None


def _blog(port: int) -> tuple[SourceConfig, WordPressConnector]:
    url = f"http://127.0.0.1:{port}/"
    client = make_client("blog", sleep=_nosleep, retry=RetryPolicy(max_attempts=2))
    conn = WordPressConnector("blog", url, client=client)
    return SourceConfig("blog", "wordpress", 0.0, MappingProxyType({"url": url})), conn


DUTCH = text("conn.hint.connect", "nl")


@pytest.mark.usefixtures("cli_isolated")
def test_sources_shows_a_stored_closed_port_error_in_dutch(tmp_path: Path) -> None:
    port = _closed_port()
    db = tmp_path / "m.db"
    hostile = stored("conn.wp.changed", id="[b]markup[/b]", now="on\nhold", expected="x" * 1000)

    async def sync_round() -> str | None:
        store = await SqliteStore.open(db)
        engine = SyncEngine(store, [_blog(port)])
        try:
            assert not (await engine.sync_source("blog")).ok
            # Stored by another process, from an older or hostile answer.
            await store.ensure_source(Source("odd", "wordpress", "http://127.0.0.1:9/"))
            await store.record_sync("odd", error=hostile)
            state = await store.source_state("blog")
            return state.last_error if state else None
        finally:
            await engine.aclose()
            await store.close()

    kept = asyncio.run(sync_round())
    # The store keeps the English form.
    assert kept is not None and "cannot connect" in kept and f"127.0.0.1:{port}" in kept
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "nl"\n[[sources]]\nname = "blog"\ntype = "wordpress"\n'
        f'url = "http://127.0.0.1:{port}/"\n'
        '[[sources]]\nname = "odd"\ntype = "wordpress"\nurl = "http://127.0.0.1:9/"\n',
        encoding="utf-8",
    )
    code, out, _ = run_main(["sources", "--config", str(cfg), "--db", str(db)])
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2, out
    blog, odd = lines
    assert blog.startswith("blog\t")
    assert f"GET http://127.0.0.1:{port}/wp-json/: kan geen verbinding maken (" in blog
    assert DUTCH in blog and "(na 2 pogingen)" in blog
    assert "cannot connect" not in blog and "is the site up" not in blog
    # Hostile fields: one line, markup as typed, the Dutch around it.
    assert "reactie [b]markup[/b] heeft op de site" in odd and "zoals toen ze" in odd


@pytest.mark.usefixtures("cli_isolated")
def test_sync_says_a_closed_port_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _closed_port()
    # The configured source, with a client that does not wait between its two attempts.
    monkeypatch.setattr("reactieveld.sync.build_connector", lambda cfg: _blog(port)[1])
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "nl"\n[[sources]]\nname = "blog"\ntype = "wordpress"\n'
        f'url = "http://127.0.0.1:{port}/"\nfetch_process = false\n',
        encoding="utf-8",
    )
    code = main(["sync", "--once", "--config", str(cfg), "--db", str(tmp_path / "m.db")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    [line] = [line for line in out if "fout:" in line]
    assert f"blog: fout: GET http://127.0.0.1:{port}/wp-json/: kan geen verbinding maken (" in line
    assert line.endswith(f"{DUTCH} (na 2 pogingen)"), line
    assert "kan geen verbinding maken (geweigerd)" in line, line
    assert "All connection attempts failed" not in line and "Connect call failed" not in line


def _refused(host: str) -> OSError:
    """What httpx's connect raises from, when no address of the host takes it (anyio's
    own English line over the system's refusals)."""
    group = OSError("All connection attempts failed")
    group.__cause__ = ConnectionRefusedError(111, f"Connect call failed ({host!r}, 8093)")
    return group


#: Why a site could not be reached, as the system says it (English whatever the locale),
#: and the words the Dutch line says instead.
_CANNOT_REACH = [
    (_refused("127.0.0.1"), "geweigerd"),
    (_refused("::1"), "geweigerd"),
    (ConnectionRefusedError(111, "Connection refused"), "geweigerd"),
    (socket.gaierror(-2, "Name or service not known"), "naam van de site onbekend"),
    (socket.gaierror(-3, "Temporary failure in name resolution"), "naam van de site onbekend"),
    (OSError(113, "No route to host"), "EHOSTUNREACH"),
    (OSError(101, "Network is unreachable"), "ENETUNREACH"),
]


@pytest.mark.parametrize(("cause", "said"), _CANNOT_REACH)
async def test_a_site_out_of_reach_is_said_in_the_readers_language(
    cause: OSError, said: str
) -> None:
    """The system's reason a connection failed is English (anyio's 'All connection
    attempts failed', the C library's strerror): the line names the kind in the
    reader's language (refused, an unknown name), or the error's code, never its text."""

    def fail(request: Any) -> Any:
        raise httpx.ConnectError(str(cause)) from cause

    client = make_client(
        "blog",
        base_url="http://127.0.0.1:8093",
        transport=httpx.MockTransport(fail),
        retry=RetryPolicy(max_attempts=1),
    )
    async with client:
        with pytest.raises(HttpError) as caught:
            await request_json(client, "GET", "/wp-json/")
    line = in_language(str(caught.value), "nl")
    assert f"kan geen verbinding maken ({said}): {DUTCH}" in line, line
    assert str(cause) not in line and (cause.strerror or str(cause)) not in line, line
    assert not [w for w in english_only(["conn.cannot_connect", "conn.refused"]) if w in line]


def _notices(app: Any) -> str:
    """The notices' characters on screen (the lines after their ``▌`` edge), as one text."""
    lines = [line.split("▌", 1)[1] for line in screen_text(app) if "▌" in line]
    return " ".join(" ".join(lines).split())


async def test_the_app_says_a_closed_port_in_dutch(tmp_path: Path, make_app: Any) -> None:
    store = await SqliteStore.open(tmp_path / "m.db")
    engine = SyncEngine(store, [_blog(_closed_port())])
    # A source that could not be set up, its error with hostile fields.
    hostile = stored("conn.wp.closed", post="[b]x[/b]\nnext line")
    app = make_app(store, engine=engine, language="nl", source_errors={"odd": hostile})
    try:
        async with app.run_test(size=SMALL, notifications=True) as pilot:
            await until(pilot, lambda: DUTCH in _notices(app), "the Dutch notice")
            shown = _notices(app)
            assert "blog: GET http://127.0.0.1:" in shown
            assert "/wp-json/: kan geen verbinding maken (" in shown and DUTCH in shown, shown
            assert "cannot connect" not in shown and "is the site up" not in shown
            odd = "odd: kan niet antwoorden: reacties zijn gesloten bij bericht [b]x[/b] next line"
            assert odd in shown
            header = screen_text(app)[0]
            assert header.startswith("blog fout (opnieuw om ") and "odd fout" in header
            # The memory keeps the English form.
            state = await store.source_state("blog")
            assert state is not None and "cannot connect" in (state.last_error or "")
    finally:
        await engine.aclose()
        await store.close()


@given(
    where=st.sampled_from(["postgresql://u@db.example/memory", "the memory", "db:5432"]),
    said=st.text(st.characters(codec="ascii", exclude_characters="()\n"), max_size=40),
    limit=st.integers(1, 300),
)
def test_a_too_long_line_stored_before_the_hints_is_read_in_dutch(
    where: str, said: str, limit: int
) -> None:
    """A "took too long" line stored before the advice by context (95cdc1e: an outbox
    row's or a source's last error, English, the short shorter-period advice) reads back
    in the Dutch app wholly in Dutch (was: its advice left in English)."""
    before = (
        f"{where}: the question took too long and the server stopped it ({said}); nothing "
        "was changed: on a memory this big choose a shorter period or fewer sources"
    )
    assert in_language(before, "nl") == (
        f"{where}: de vraag duurde te lang en de server brak haar af ({said}); er is niets "
        "veranderd: kies bij een geheugen van deze omvang een kortere periode of minder bronnen"
    )
    before = (
        f"{where}: no answer from the server within {limit} s; nothing was changed: on a "
        "memory this big choose a shorter period or fewer sources (and have the admin "
        "check the server if every question takes this long)"
    )
    assert "choose" not in in_language(before, "nl")
