"""``reactieveld sources``: its human lines in the interface language (every kind, Dutch
and English), and ``--json`` for scripts: one object per source and line, the same in
every language, read back to what the store holds on both backends; a hostile stored
name or error stays on its one line in both."""

from __future__ import annotations

import asyncio
import json
from argparse import Namespace
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers.cli import run_main
from helpers.store import open_store, page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.cli import source_json, source_line, source_record
from reactieveld.config import SourceConfig
from reactieveld.i18n import STRINGS, text

pytestmark = pytest.mark.usefixtures("cli_isolated")

CONFIG = """
[[sources]]
name = "blog"
type = "wordpress"
url = "https://blog.example"

[[sources]]
name = "forum"
type = "discourse"
url = "https://forum.example"
api_username = "system"
api_key_env = "RV_FORUM_KEY"

[[sources]]
name = "demo"
type = "demo"
"""

#: The words of each kind of line, as a Dutch and an English moderator read them.
WORDS = {
    "nl": {
        "never": "nog nooit gesynchroniseerd",
        "last": "laatst gesynchroniseerd: 2024-03-01 12:05 UTC",
        "error": "fout: HTTP 502",
        "repaired": "1 teksten hersteld",
        "by": "gesynchroniseerd door anna sync",
        "elsewhere": "gesynchroniseerd door een ander proces",
        "none": "geen bronnen ingesteld",
    },
    "en": {
        "never": "never synced",
        "last": "last sync: 2024-03-01 12:05 UTC",
        "error": "error: HTTP 502",
        "repaired": "1 texts repaired",
        "by": "synced by anna sync",
        "elsewhere": "synced by another process",
        "none": "no sources configured",
    },
}
#: The fields of ``--json``, in the human line's order (README, Command line).
FIELDS = [
    "name",
    "type",
    "url",
    "last_success",
    "last_error",
    "repaired",
    "synced_by",
    "syncing_elsewhere",
    "secret_unset",
]
WHEN = datetime(2024, 3, 1, 12, 5, 30, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(path))
    monkeypatch.setenv("RV_FORUM_KEY", "forum-key")  # its secret set (one unset: below)
    return path


@asynccontextmanager
async def syncing_elsewhere(
    target: str, monkeypatch: pytest.MonkeyPatch, name: str
) -> AsyncIterator[None]:
    """Another process syncs ``name`` meanwhile: on PostgreSQL its lock held by a second
    connection; a file has no lock (every sync is granted), so one held is stood in for."""
    from reactieveld.store.sqlite import SqliteStore

    other = await open_store(target)
    try:
        if isinstance(other, SqliteStore):

            async def elsewhere(self: Any, names: list[str]) -> set[str]:
                return {name} & set(names)

            monkeypatch.setattr(SqliteStore, "syncing_elsewhere", elsewhere)
            yield
            return
        async with other.source_lock(name) as mine:
            assert mine
            yield
    finally:
        await other.close()


async def _sources(target: str, *argv: str, as_json: bool = False) -> tuple[int, str, str]:
    # The command runs its own event loop: in a thread of its own here.
    tail = ["--json"] if as_json else []
    return await asyncio.to_thread(run_main, ["--db", target, *argv, "sources", *tail])


async def _stored(target: str) -> dict[str, Any]:
    store = await open_store(target)
    try:
        return {s.name: s for s in await store.source_states()}
    finally:
        await store.close()


async def _fill(target: str, *, error: str, by: str) -> None:
    """blog: a good round at WHEN with one text repaired (a lone surrogate), by ``by``;
    forum: a failed round with ``error``, by ``by``; demo: never synced."""
    from reactieveld.store.rows import to_epoch

    store = await open_store(target)
    try:
        await store.upsert_page("blog", page(resp("1", author="Anna \ud800")))
        await store.record_sync("blog", by=by)
        # The round's time fixed (whole seconds, as the store keeps it).
        await sql(
            store, "UPDATE sources SET last_success = ? WHERE name = ?", (to_epoch(WHEN), "blog")
        )
        await store.record_sync("forum", error=error, by=by)
    finally:
        await store.close()


# -- the human lines ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_kind_of_line_in_the_chosen_language(
    store_target: str, config: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """Each field of the line (never synced, the last sync, an error, repaired texts, who
    syncs it elsewhere, or another process) in the language of ``--lang``; the order of
    the fields as scripts knew it: name, type, url, last sync, error, repaired, by."""
    words = WORDS[language]
    await _fill(store_target, error="HTTP 502", by="anna sync")
    async with syncing_elsewhere(store_target, monkeypatch, "blog"):
        code, out, err = await _sources(store_target, "--lang", language)
    assert (code, err) == (0, ""), err
    assert out.splitlines() == [
        "\t".join(
            ["blog", "wordpress", "https://blog.example", words["last"], words["repaired"]]
            + [words["by"]]
        ),
        "\t".join(["forum", "discourse", "https://forum.example", words["never"], words["error"]]),
        "\t".join(["demo", "demo", "", words["never"]]),
    ]
    # Who syncs it, when that process stored no name.
    async with syncing_elsewhere(store_target, monkeypatch, "demo"):
        code, out, err = await _sources(store_target, "--lang", language)
    assert out.splitlines()[2] == "\t".join(
        ["demo", "demo", "", words["never"], words["elsewhere"]]
    )


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_service_between_its_rounds_is_named(
    store_target: str, config: Path, language: str
) -> None:
    """The team's service holds a source's lock only during its rounds: between them
    (its stored next try still ahead, and the grace after it) ``sources`` names it all
    the same; a round whose next try is long past (the service stopped) names nobody."""
    from reactieveld.model import utcnow
    from reactieveld.sync import ELSEWHERE_GRACE_SECONDS

    store = await open_store(store_target)
    try:
        await store.record_sync("blog", by="anna sync", next_try=utcnow() + timedelta(hours=1))
        long_past = utcnow() - timedelta(seconds=ELSEWHERE_GRACE_SECONDS + 60)
        await store.record_sync("forum", by="anna sync", next_try=long_past)
    finally:
        await store.close()
    code, out, err = await _sources(store_target, "--lang", language)
    assert (code, err) == (0, ""), err
    blog, forum, _demo = out.splitlines()
    assert blog.split("\t")[-1] == WORDS[language]["by"]
    assert WORDS[language]["by"] not in forum
    code, out, err = await _sources(store_target, "--lang", language, as_json=True)
    records = {r["name"]: r for r in map(json.loads, out.splitlines())}
    assert records["blog"]["syncing_elsewhere"] and not records["forum"]["syncing_elsewhere"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("how", ["--lang", "[ui] language"])
def test_no_sources_in_the_chosen_language(
    tmp_path: Path, config: Path, language: str, how: str
) -> None:
    other = "en" if language == "nl" else "nl"
    if how == "--lang":
        config.write_text(f'[ui]\nlanguage = "{other}"\n', encoding="utf-8")
        argv = ["--lang", language]
    else:
        config.write_text(f'[ui]\nlanguage = "{language}"\n', encoding="utf-8")
        argv = []
    code, out, err = run_main([*argv, "--db", str(tmp_path / "m.db"), "sources"])
    assert (code, out, err) == (0, WORDS[language]["none"] + "\n", "")
    code, out, err = run_main([*argv, "--db", str(tmp_path / "m.db"), "sources", "--json"])
    assert (code, out, err) == (0, "", "")  # no source: no object


# -- the table ---------------------------------------------------------------------------

#: Where the command line's own lines are made (the brief's audit).
LINE_MODULES = ("cli.py", "cli_read.py", "cli_store.py", "sync.py", "outbox.py", "sinks.py")
#: Keys whose Dutch and English are rightly the same word.
SAME: frozenset[str] = frozenset()
#: The names the modules call the table's lookup by.
TEXT_CALLS = ("text", "stored", "t", "i18n_text", "ui_text")
#: The namespaces of the command line's lines (keys also made at run time, as
#: ``f"outbox.line.{outcome}"``): every key in them is checked too.
LINE_NAMESPACES = (
    "sources.",
    "cli.",
    "copy.",
    "secret.",
    "outbox.line.",
    "search.cli.",
    "sync.",
    "sinks.",
    "rules.cli.",
)


def _keys_used() -> set[str]:
    """Every literal key the command line's modules look up in the UI table (``text``,
    ``say`` and ``t`` calls), read from their source."""
    import ast

    import reactieveld

    root = Path(reactieveld.__file__).parent
    keys: set[str] = set()
    for name in LINE_MODULES:
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if called in TEXT_CALLS and isinstance(first, ast.Constant):
                keys.add(str(first.value))
            elif called == "say" and isinstance(first, ast.Constant):
                keys.add(f"sync.{first.value}")  # sync.run_sync's own lookup
    return keys


def test_every_key_of_the_command_lines_is_in_both_languages() -> None:
    keys = _keys_used()
    assert {"sources.last_sync", "sources.never", "sync.outbox", "sync.round"} <= keys
    assert {"cli.no_store", "search.cli.best", "copy.done", "secret.file.kept"} <= keys
    keys |= {key for key in STRINGS if key.startswith(LINE_NAMESPACES)}
    for key in sorted(keys):
        assert key in STRINGS, key
        dutch, english = STRINGS[key]
        assert dutch.strip() and english.strip(), key
        # The same fields, so that neither language loses a value.
        assert sorted(_fields(dutch)) == sorted(_fields(english)), key
        if key not in SAME:
            assert dutch != english, key


def _fields(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


# -- --json ------------------------------------------------------------------------------


async def test_json_reads_back_to_the_store_in_every_language(
    store_target: str, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _fill(store_target, error="cannot connect to https://forum.example: timed out", by="bo")
    async with syncing_elsewhere(store_target, monkeypatch, "blog"):
        said = {lang: await _sources(store_target, "--lang", lang, as_json=True) for lang in WORDS}
    assert said["nl"] == said["en"]  # a script's interface, whatever the language
    code, out, err = said["en"]
    assert (code, err) == (0, ""), err
    records = [json.loads(line) for line in out.splitlines()]
    assert [list(r) for r in records] == [FIELDS] * 3
    stored = await _stored(store_target)
    blog, forum, demo = records
    assert blog == {
        "name": "blog",
        "type": "wordpress",
        "url": "https://blog.example",
        "last_success": "2024-03-01T12:05:30+00:00",
        "last_error": None,
        "repaired": stored["blog"].repaired,
        "synced_by": "bo",
        "syncing_elsewhere": True,
        "secret_unset": None,
    }
    assert stored["blog"].repaired >= 1
    assert datetime.fromisoformat(blog["last_success"]) == stored["blog"].last_success
    assert forum == {
        "name": "forum",
        "type": "discourse",
        "url": "https://forum.example",
        "last_success": None,
        "last_error": stored["forum"].last_error,  # as stored: English
        "repaired": 0,
        "synced_by": "bo",
        "syncing_elsewhere": False,
        "secret_unset": None,
    }
    assert forum["last_error"] == "cannot connect to https://forum.example: timed out"
    assert demo == dict.fromkeys(FIELDS) | {
        "name": "demo",
        "type": "demo",
        "repaired": 0,
        "syncing_elsewhere": False,
        "secret_unset": None,
    }


def test_json_is_in_the_help_and_the_readme() -> None:
    code, out, _ = run_main_help()
    assert code == 0 and "--json" in out
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "reactieveld sources [--json]" in readme
    for field in FIELDS:
        assert f"`{field}`" in readme, field


def run_main_help() -> tuple[int, str, str]:
    """``reactieveld sources --help`` (argparse prints it and exits)."""
    import contextlib
    import io

    from reactieveld.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        main(["sources", "--help"])
    return int(exited.value.code or 0), out.getvalue(), ""


# -- hostile stored text -------------------------------------------------------------------

#: What a server's error or a process's stored name may hold: line breaks of every kind
#: (str.splitlines' too), escapes (7-bit and C1), tabs, bidi controls, NUL-free.
HOSTILE = st.lists(
    st.sampled_from(
        ["\n", "\r", "\t", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029"]
        + ["\x1b[2J", "\x1b]0;x\x07", "\x9b31m", "\u202e", "a", "Z", " ", "é", ":", "{", "}"]
    ),
    min_size=1,
    max_size=40,
).map(lambda s: "x" + "".join(s))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(error=HOSTILE, by=HOSTILE, language=st.sampled_from(["nl", "en"]))
def test_a_hostile_name_or_error_stays_on_its_line(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    error: str,
    by: str,
    language: str,
) -> None:
    """Generated line breaks, escapes and tabs in a stored error and name (SQLite)."""
    target = str(tmp_path_factory.mktemp("hostile") / "m.db")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(_config(tmp_path_factory)))
    monkeypatch.setenv("RV_FORUM_KEY", "forum-key")
    _stays_on_its_line(target, monkeypatch, error, by, language)


@pytest.mark.parametrize(
    "hostile",
    [
        "anna\nsync\r\x1b[2J\x1b]0;titel\x07",
        "\x85\u2028\u2029\x0b\x0c\x1c sync\t\t" + "lang" * 300,
        "\x9b31m\u202eabc {error} {name}",
    ],
)
def test_a_hostile_name_or_error_stays_on_its_line_on_both_backends(
    store_target: str, config: Path, monkeypatch: pytest.MonkeyPatch, hostile: str
) -> None:
    _stays_on_its_line(store_target, monkeypatch, hostile, hostile, "nl")


def _stays_on_its_line(
    target: str, monkeypatch: pytest.MonkeyPatch, error: str, by: str, language: str
) -> None:
    """Human: one line per source with its fields, no control character; JSON: one ASCII
    line per source that reads back to the stored text exactly."""

    async def run() -> tuple[tuple[int, str, str], tuple[int, str, str], dict[str, Any]]:
        await _fill(target, error=error, by=by)
        async with syncing_elsewhere(target, monkeypatch, "forum"):
            human = await _sources(target, "--lang", language)
            machine = await _sources(target, as_json=True)
        return human, machine, await _stored(target)

    (code, out, err), (jcode, jout, jerr), stored = asyncio.run(run())
    assert (code, err, jcode, jerr) == (0, "", 0, "")
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["blog", "forum", "demo"], lines
    forum = lines[1].split("\t")
    assert len(forum) == 6, forum  # name, type, url, never, error, by: no tab added
    assert all(c.isprintable() for line in lines for c in line.replace("\t", "")), lines
    words = WORDS[language]
    assert forum[4].startswith(words["error"].split(" ")[0] + " ")
    assert forum[5].startswith(words["by"].rsplit(" ", 2)[0] + " ")
    assert jout.isascii()
    records = [json.loads(line) for line in jout.splitlines()]
    assert [r["name"] for r in records] == ["blog", "forum", "demo"]
    assert records[1]["last_error"] == stored["forum"].last_error
    assert records[1]["synced_by"] == stored["forum"].synced_by == by


def _config(factory: pytest.TempPathFactory) -> Path:
    path = factory.mktemp("cfg") / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_last_sync_is_utc_whatever_the_zone(
    tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored time is UTC: the line and the JSON say it so on a machine in any zone."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Chatham")
    time.tzset()
    try:
        target = str(tmp_path / "m.db")
        asyncio.run(_fill(target, error="HTTP 502", by="bo"))
        code, out, _ = run_main(["--db", target, "--lang", "en", "sources"])
        assert "\tlast sync: 2024-03-01 12:05 UTC\t" in out
        code, out, _ = run_main(["--db", target, "sources", "--json"])
        assert json.loads(out.splitlines()[0])["last_success"] == WHEN.isoformat()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# -- sources: one time, written twice ----------------------------------------------------------

_ZONES = st.one_of(
    st.just(UTC),
    st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)).map(
        lambda d: timezone(timedelta(minutes=d // timedelta(minutes=1)))
    ),
    # Zones with summer time (a fold: 01:30 twice) and odd offsets.
    st.sampled_from(["Europe/Amsterdam", "America/Atka", "Asia/Kathmandu", "Pacific/Chatham"]).map(
        ZoneInfo
    ),
)


@settings(max_examples=30)
@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=_ZONES),
    st.sampled_from(["nl", "en"]),
)
def test_sources_json_and_line_say_the_same_last_sync(when: datetime, language: str) -> None:
    source = SourceConfig(name="blog", type="wordpress", poll_seconds=60.0)
    record = source_record(source, Namespace(last_success=when), False)
    iso = source_json(record)["last_success"]
    assert datetime.fromisoformat(iso) == when.astimezone(UTC) and iso.endswith("+00:00")
    line = source_line(record, language)
    shown = f"{iso[:10]} {iso[11:16]}"  # to the minute, as the JSON's day and time say
    assert line.split("\t")[3] == text("sources.last_sync", language, when=shown)


_segment = st.text(alphabet="abcxyz-_. ", min_size=1, max_size=8).filter(
    lambda s: s.strip() not in ("", ".", "..")
)
relative = st.builds(
    lambda lead, parts: lead + "/".join(parts),
    st.sampled_from(["", "./", "../", "~/"]),
    st.lists(_segment, min_size=1, max_size=3),
)


@settings(max_examples=20, deadline=None)
@given(value=relative, variable=st.sampled_from(["XDG_CONFIG_HOME", "XDG_DATA_HOME"]),
       language=st.sampled_from(["nl", "en"]))  # fmt: skip
def test_a_relative_xdg_folder_is_said_to_be_ignored(
    tmp_path_factory: pytest.TempPathFactory, value: str, variable: str, language: str
) -> None:
    # Was: a relative XDG_CONFIG_HOME (or XDG_DATA_HOME) was ignored, as the XDG spec says,
    # without a word: `reactieveld sources` said only "no sources configured".
    home = tmp_path_factory.mktemp("home")
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg"),
           "XDG_DATA_HOME": str(home / "data"), variable: value}  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        for name, set_to in env.items():
            mp.setenv(name, set_to)
        mp.delenv("REACTIEVELD_CONFIG", raising=False)
        mp.delenv("REACTIEVELD_DB", raising=False)
        code, out, err = run_main(["--lang", language, "sources"])
    used = home / (
        ".config/reactieveld" if variable == "XDG_CONFIG_HOME" else ".local/share/reactieveld"
    )
    said = {
        "nl": f"{variable}={value} is geen absoluut pad en is genegeerd (zoals de "
        f"XDG-specificatie zegt); gebruikt: {used}",
        "en": f"{variable}={value} is not an absolute path and was ignored (as the XDG "
        f"spec says); used: {used}",
    }
    assert code == 0
    assert err.splitlines() == [f"reactieveld: {said[language]}"]
    assert out == text("sources.none", language) + "\n"
