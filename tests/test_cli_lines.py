"""The command line's own lines for a human, in the interface language (Dutch and English):
the outbox's lines of ``reactieveld sync``, and the other commands' fixed lines."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.store import fill_abc, open_store, page, resp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.connectors.base import ActionConflict, ConnectorError
from reactieveld.i18n import text
from reactieveld.model import Action, Capability, utcnow
from reactieveld.model_values import FAILURE_KINDS
from reactieveld.outbox import OutboxWorker
from reactieveld.store.errors import StoreUnreachable

pytestmark = pytest.mark.usefixtures("cli_isolated")

#: (language, the write-back's outcome) -> the outbox worker's line.
OUTBOX_LINES = {
    ("nl", "retry"): "blog: terugschrijven mislukt, later opnieuw: HTTP 503",
    ("en", "retry"): "blog: write-back retry: HTTP 503",
    ("nl", "failed"): (
        "blog: terugschrijven mislukt: kan niet antwoorden: reacties zijn gesloten bij bericht 10"
    ),
    ("en", "failed"): "blog: write-back failed: cannot reply: comments are closed on post 10",
    ("nl", "conflict"): (
        "blog: terugschrijven niet gedaan: op het platform gewijzigd (conflict): "
        "reactie 186 heeft op de site de status prullenbak, niet goedgekeurd zoals toen ze "
        "werd gemodereerd"
    ),
    ("en", "conflict"): (
        "blog: write-back conflict: "
        "comment 186 is trash on the site, not approved as when it was moderated"
    ),
    ("nl", "unreadable"): "uitgaand: het geheugen is niet bereikbaar: connection refused",
    ("en", "unreadable"): "outbox: the memory cannot be reached: connection refused",
}
#: Each line says why the write-back was not done, as the platform said it (the texts of
#: the WordPress connector against a real WordPress: a post closed for comments, a comment
#: trashed on the site after it was moderated), in the line's language where the
#: interface has the text; the line names the source once.
RAISES = {
    "retry": ConnectorError("blog", "HTTP 503", retryable=True),
    "failed": ConnectorError(
        "blog", "cannot reply: comments are closed on post 10", retryable=False
    ),
    "conflict": ActionConflict(
        "blog", "comment 186 is trash on the site, not approved as when it was moderated"
    ),
}


class Refusing:
    """A connector whose every write-back raises ``exc``."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def apply(self, action: Action) -> Any:
        raise self.exc


@pytest.mark.parametrize(("language", "outcome"), sorted(OUTBOX_LINES))
async def test_the_outbox_says_each_outcome_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, outcome: str
) -> None:
    store = await open_store(str(tmp_path / "m.db"))
    try:
        ids = await fill_abc(store)
        await store.enqueue(Action(Capability.HIDE, "blog", "a"), response_id=ids["a"])
        said: list[str] = []
        if outcome == "unreadable":

            async def down(*args: Any, **kw: Any) -> Any:
                raise StoreUnreachable("connection refused")

            monkeypatch.setattr(store, "outbox_due", down)
            connectors: dict[str, Any] = {}
        else:
            connectors = {"blog": Refusing(RAISES[outcome])}
        worker = OutboxWorker(store, connectors, on_event=said.append, language=language)
        await worker.run_once()
    finally:
        await store.close()
    assert said == [OUTBOX_LINES[language, outcome]]


#: Every platform answer that names why a write-back cannot be done as asked (the kinds of
#: ``model_values.FAILURE_KINDS``), with values for its template's fields per language.
KIND_VALUES = {
    "en": {"id": "47", "want": "approved", "now": "spam", "post": "10"},
    "nl": {"id": "47", "want": "goedgekeurd", "now": "spam", "post": "10"},
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("key", sorted(FAILURE_KINDS))
async def test_a_write_back_stopped_by_a_known_kind_is_not_called_a_change_on_the_site(
    tmp_path: Path, language: str, key: str
) -> None:
    """A decision on a comment deleted on the site said "not done: changed on the platform
    (conflict): comment 47 no longer exists on the site" (found on the real WordPress):
    nothing changed on the platform. Each kind's answer, raised as a conflict, is said as
    not done and why, in the line's language."""
    store = await open_store(str(tmp_path / "m.db"))
    try:
        ids = await fill_abc(store)
        await store.enqueue(Action(Capability.HIDE, "blog", "a"), response_id=ids["a"])
        said: list[str] = []
        answer = ActionConflict("blog", text(key, "en", **KIND_VALUES["en"]))
        worker = OutboxWorker(
            store, {"blog": Refusing(answer)}, on_event=said.append, language=language
        )
        await worker.run_once()
    finally:
        await store.close()
    head = {"nl": "blog: terugschrijven niet gedaan: ", "en": "blog: write-back not done: "}
    assert said == [head[language] + text(key, language, **KIND_VALUES[language])]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_running_sync_prints_each_write_back_not_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """Running on, the outbox's line per write-back not done reaches the screen, stamped
    as the round lines are (it went nowhere: only ``--once`` said the counts)."""
    from reactieveld.config import load_config
    from reactieveld.sync import run_sync

    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "{language}"\n[[sources]]\nname = "blog"\ntype = "demo"\ncount = 3\n',
        encoding="utf-8",
    )

    async def conflict(self: OutboxWorker, item: Any) -> str:
        return "conflict"

    monkeypatch.setattr(OutboxWorker, "apply_one", conflict)
    store = await open_store(str(tmp_path / "m.db"))
    stop = asyncio.Event()
    printed: list[str] = []

    def printer(line: str) -> None:
        printed.append(line)
        if "blog: " in line and ("write-back" in line or "terugschrijven" in line):
            stop.set()

    try:
        ids = await fill_abc(store)
        await store.enqueue(Action(Capability.HIDE, "blog", "a"), response_id=ids["a"])
        code = await asyncio.wait_for(
            run_sync(load_config(cfg), store, once=False, printer=printer, stop=stop), 60
        )
    finally:
        await store.close()
    assert code == 0
    # apply_one is replaced: no reason is known, and the line is said without one.
    line = OUTBOX_LINES[language, "conflict"].split(" 186 ", 1)[0].rsplit(": ", 1)[0]
    assert any(re.fullmatch(rf"\d\d:\d\d:\d\d {re.escape(line)}", p) for p in printed), printed


class FailsOnce:
    """A connector that fails its ``failing``-th fetch (a portal answering 500 for a
    while) and calls ``on_fetch`` with the number of each fetch."""

    def __init__(self, inner: Any, failing: int, on_fetch: Any) -> None:
        self.inner, self.failing, self.on_fetch, self.calls = inner, failing, on_fetch, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def fetch(self, cursor: str | None) -> Any:
        self.calls += 1
        self.on_fetch(self.calls)
        if self.calls == self.failing:
            raise ConnectorError("forum", "GET https://forum.example.nl/posts.json: HTTP 500")
        async for one in self.inner.fetch(cursor):
            yield one


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("failing", [1, 2])
async def test_a_running_sync_says_when_a_failed_source_syncs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, failing: int
) -> None:
    """A portal answers 500 for a round, then recovers. Running on, the sync said the
    error ("retrying at 08:58") and then nothing more of that source (a round that
    changed nothing is not said), so the terminal's last word on it stayed the error;
    a first round that failed was followed by "forum: 0 new, 0 updated" as if it had
    worked. Now the failed round says only its error, and the first round after it is
    said, changed or not."""
    from reactieveld import sync
    from reactieveld.config import load_config
    from reactieveld.i18n import text

    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "{language}"\n[[sources]]\nname = "forum"\ntype = "demo"\n'
        "count = 3\npoll_seconds = 0.01\n",
        encoding="utf-8",
    )
    stop = asyncio.Event()
    real = sync.build_connector

    def on_fetch(n: int) -> None:
        if n > failing + 1:  # the round after the recovering one: all has been said
            stop.set()

    monkeypatch.setattr(sync, "build_connector", lambda c: FailsOnce(real(c), failing, on_fetch))
    monkeypatch.setattr(sync.SyncEngine, "error_delay", lambda self, s, res: 0.0)
    printed: list[str] = []
    store = await open_store(str(tmp_path / "m.db"))
    try:
        await asyncio.wait_for(
            sync.run_sync(
                load_config(cfg),
                store,
                once=False,
                printer=printed.append,
                stop=stop,
                engine_kwargs={"fetch_process": False},
            ),
            60,
        )
    finally:
        await store.close()
    said = [p.split(" ", 1)[1] for p in printed if re.match(r"\d\d:\d\d:\d\d forum: ", p)]
    error = text("sync.error", language, source="forum", error="").rstrip()
    assert said[failing - 1].startswith(error), said  # the error's line
    rounds = [line for line in said if not line.startswith(error)]
    first = text("sync.round", language, source="forum", new=3, updated=0)
    again = text("sync.round", language, source="forum", new=0, updated=0)
    assert rounds == ([first] if failing == 1 else [first, again]), said
    assert said.index(rounds[-1]) == failing  # right after the error: it works again


# -- the other commands' fixed lines ---------------------------------------------------------

RULES = '[[rules]]\nname = "scheld"\nwords = ["sukkel"]\naction = "flag"\n'
NO_STORE = {"nl": "geen geheugen gevonden op", "en": "no memory store at"}


def _cli(tmp_path: Path, language: str, *argv: str, db: Path | None = None) -> tuple[int, str, str]:
    from helpers.cli import run_main

    cfg = tmp_path / "config.toml"
    if not cfg.exists():
        cfg.write_text(RULES, encoding="utf-8")
    where = db or tmp_path / "m.db"
    return run_main(["--lang", language, "--config", str(cfg), "--db", str(where), *argv])


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("command", "lead"),
    [
        (["search", "boom"], "reactieveld: "),
        (["export", "--format", "csv"], "reactieveld: "),
        (["stats"], "reactieveld: "),
        (["agreement"], "reactieveld: "),
        (["rules", "test"], "reactieveld: "),
        (["store", "copy", "--to", "OTHER"], "reactieveld: "),
        (["author-secret"], "reactieveld: "),
    ],
)
def test_a_missing_memory_is_said_in_the_language(
    tmp_path: Path, language: str, command: list[str], lead: str
) -> None:
    """Every command that reads a memory says the same line when there is none."""
    missing = tmp_path / "none.db"
    argv = [str(tmp_path / "t.db") if word == "OTHER" else word for word in command]
    code, out, err = _cli(tmp_path, language, *argv, db=missing)
    assert (code, out) == (2, "")
    assert err == f"{lead}{NO_STORE[language]} {missing}\n"


async def _memory(path: Path) -> None:
    store = await open_store(str(path))
    try:
        await fill_abc(store)
    finally:
        await store.close()


#: language -> what ``search`` says: one hit, a page of three (--limit 1), no words, a
#: filter that names nothing.
SEARCH = {
    "nl": (
        "1 treffer, beste eerst",
        "1 van 3 treffers getoond, nieuwste eerst (geen zoekwoorden: op datum); verfijn de "
        "zoekvraag of verhoog --limit (1)",
        "reactieveld: geef een woord of een filter (bijv. parkeren, vraag:1, bron:NAAM)",
        "reactieveld: vraag:9: die planningsvraag staat niet in het codeboek",
    ),
    "en": (
        "1 hit, best first",
        "1 of 3 hits shown, newest first (no search words: sorted by date); refine the "
        "search or raise --limit (1)",
        "reactieveld: give a word or a filter (e.g. parkeren, vraag:1, bron:NAME)",
        "reactieveld: vraag:9: no such planning question in the codebook",
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_says_its_lines_in_the_language(tmp_path: Path, language: str) -> None:
    asyncio.run(_memory(tmp_path / "m.db"))
    one, page, empty, problem = SEARCH[language]
    code, out, err = _cli(tmp_path, language, "search", "eerste")
    assert (code, err) == (0, one + "\n")
    code, out, err = _cli(tmp_path, language, "search", "bron:blog", "--limit", "1")
    assert (code, err) == (0, page + "\n")
    code, out, err = _cli(tmp_path, language, "search", " ")
    assert (code, out, err) == (2, "", empty + "\n")
    code, out, err = _cli(tmp_path, language, "search", "vraag:9")
    assert code == 2 and err.startswith(problem), err


#: language -> the export's refusals: a missing directory, a question and a role the
#: codebook does not have.
EXPORT = {
    "nl": (
        "{path}: die map bestaat niet",
        "--question 9: geen planningsvraag",
        "--role koning: geen rol",
    ),
    "en": (
        "{path}: directory does not exist",
        "--question 9: not a planning question",
        "--role koning: not a role",
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_export_refuses_in_the_language(tmp_path: Path, language: str) -> None:
    asyncio.run(_memory(tmp_path / "m.db"))
    no_dir, question, role = EXPORT[language]
    path = str(tmp_path / "weg" / "r.csv")
    code, _, err = _cli(tmp_path, language, "export", "--format", "csv", "--output", path)
    assert (code, err) == (2, f"reactieveld: --output {no_dir.format(path=path)}\n")
    code, _, err = _cli(tmp_path, language, "export", "--format", "csv", "--question", "9")
    assert code == 2 and err.startswith(f"reactieveld: {question} (")
    code, _, err = _cli(tmp_path, language, "export", "--format", "csv", "--role", "koning")
    assert code == 2 and err.startswith(f"reactieveld: {role} (")
    for command in (["export", "--format", "csv"], ["agreement"]):
        code, _, err = _cli(tmp_path, language, *command, "--since", "gisteren")
        assert code == 2 and err.endswith(f"--since 'gisteren': {DATE[language]}\n"), err


#: A --since/--until that is no date, where a day or a date-time is taken (export,
#: search, agreement): the query's sinds: words, which name both forms.
DATE = {
    "nl": "geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of een tijdstip, "
    "bijvoorbeeld 2026-03-01T14:30",
    "en": "not a date; write YYYY-MM-DD, e.g. 2026-03-01, or a date-time, e.g. 2026-03-01T14:30",
}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    command=st.sampled_from([["export", "--format", "csv"], ["agreement"], ["search", "x"]]),
    flag=st.sampled_from(["--since", "--until"]),
    value=st.sampled_from(
        ["gisteren", "01-12-2026", "2026-12-01T25:30", "2026-13-01", "morgen 9u"]
    ),
    language=st.sampled_from(["nl", "en"]),
)
def test_a_bad_date_says_both_forms_a_command_takes(
    tmp_path: Path,
    command: list[str],
    flag: str,
    value: str,
    language: str,
) -> None:
    """ "--since '2026-12-01T25:30': not a date (expected YYYY-MM-DD)" told a reader who
    wrote a date-time (as the help offers) to write a day only; export, search and
    agreement take both, and now say so as their query's sinds: does."""
    if not (tmp_path / "m.db").exists():  # one memory for every example
        asyncio.run(_memory(tmp_path / "m.db"))
    code, out, err = _cli(tmp_path, language, *command, flag, value)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and err.endswith(f"{flag} {value!r}: {DATE[language]}\n"), err


#: language -> the copy's header words and its last line's start.
COPY = {
    "nl": (
        ["tabel", "bron", "gekopieerd"],
        "gekopieerd naar {to}: elke tabel heeft evenveel rijen (",
    ),
    "en": (["table", "source", "copied"], "copied into {to}: every table's count equal ("),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_store_copy_says_its_lines_in_the_language(tmp_path: Path, language: str) -> None:
    asyncio.run(_memory(tmp_path / "m.db"))
    to = tmp_path / "t.db"
    code, out, err = _cli(tmp_path, language, "store", "copy", "--to", str(to))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    head, done = COPY[language]
    assert lines[0].split() == head
    assert lines[-1].startswith(done.format(to=to)), lines[-1]
    # The table's columns line up under the header, whatever its words' lengths.
    assert len({len(line) for line in lines[:-1]}) == 1, lines
    code, out, err = _cli(
        tmp_path, language, "store", "copy", "--to", "postgresql://anna:geheim@db.example/rv"
    )
    assert code == 2 and "geheim" not in err
    words = {"nl": "--to: de URL bevat een wachtwoord", "en": "--to: the URL holds a password"}
    assert err.startswith(f"reactieveld: {words[language]};"), err


#: language -> how author-secret says where a memory file's secret is, and that it keeps
#: none.
SECRET = {
    "nl": ("Het staat in {key} (modus 0600).", "{db} bewaart geen auteurgeheim ({key} bestaat"),
    "en": ("It is kept in {key} (mode 0600).", "{db} keeps no author secret ({key} does"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_author_secret_says_its_lines_in_the_language(tmp_path: Path, language: str) -> None:
    from reactieveld.store.files import key_file_path
    from reactieveld.store.sqlite import SqliteStore

    db = tmp_path / "kept.db"
    asyncio.run(_memory(db))
    kept, none = SECRET[language]
    code, out, err = _cli(tmp_path, language, "author-secret", db=db)
    secret = out.strip()
    assert code == 0 and len(secret) == 64
    assert err.startswith(kept.format(key=key_file_path(db))), err

    async def move_out() -> None:  # a sync with the secret in the environment
        store = await SqliteStore.open(db, author_secret=secret)
        try:
            await store.upsert_page("blog", page(resp("d", email="anna@example.org")))
        finally:
            await store.close()

    asyncio.run(move_out())
    code, out, err = _cli(tmp_path, language, "author-secret", db=db)
    assert (code, out) == (1, "")
    assert err.startswith(none.format(db=db, key=key_file_path(db))), err


# -- the fetch process's end, as a round's error --------------------------------------------

#: What a child's last lines may hold (a traceback's words, colons, brackets, numbers).
WORDS = st.text(st.sampled_from("ab Z:()|.0123456789-é\t"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(code=st.one_of(st.none(), st.integers(-15, 255)), words=WORDS, gave_up=st.booleans())
def test_the_fetch_process_end_is_stored_in_english_and_read_in_dutch(
    code: int | None, words: str, gave_up: bool
) -> None:
    """The stored text stays the English one scripts and ``sources --json`` read; the
    sync's line and ``sources`` say it in Dutch, the child's own words as they were."""
    from reactieveld.failures import error_in_language
    from reactieveld.fetchproc import died

    message = died(code, words, gave_up=gave_up)
    english = f"the fetch process stopped unexpectedly (exit code {code})"
    dutch = f"het ophaalproces stopte onverwacht (afsluitcode {code})"
    if words:
        english, dutch = f"{english}: {words}", f"{dutch}: {words}"
    if gave_up:
        english += " (it could not start twice: fetching in this process from now on)"
        dutch += " (het kon twee keer niet starten: vanaf nu wordt in dit proces opgehaald)"
    assert message == english
    assert error_in_language(message, "en") == english
    assert error_in_language(message, "nl") == dutch


# -- the memory sinks' lines of a sync ------------------------------------------------------

#: language -> a delivery that waits, one refused, a pass that failed.
SINK_LINES = {
    "nl": (
        "aflevering wacht (hook: HTTP 503 (na 3 pogingen))",
        "aflevering geweigerd (hook: HTTP 403 (na 1 poging))",
        "sinks: fout: het geheugen is niet bereikbaar: connection refused",
    ),
    "en": (
        "delivery waits (hook: HTTP 503 (after 3 attempts))",
        "delivery refused (hook: HTTP 403 (after 1 attempt))",
        "sinks: error: the memory cannot be reached: connection refused",
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_sinks_say_a_platform_error_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """A delivery's reason is stored in English and said in the sync's language, as a
    source's error is; so is a pass that failed (it said 'sinks: <English>')."""
    from reportdata import build

    from reactieveld.i18n import stored
    from reactieveld.sinks import JsonlSink, SinkWorker

    store, _ = await build(tmp_path / "m.db", monkeypatch)
    sink = JsonlSink(tmp_path / "memory.jsonl")
    said: list[str] = []
    now = [utcnow()]
    worker = SinkWorker(
        store, [sink], language=language, on_event=said.append, clock=lambda: now[0]
    )
    waits, refused, failed = SINK_LINES[language]
    try:
        for exc in (
            ConnectorError("hook", stored("conn.attempts", error="HTTP 503", n=3)),
            ConnectorError("hook", stored("conn.attempts.one", error="HTTP 403"), retryable=False),
        ):

            async def deliver(body: bytes, envelope: Any, exc: Exception = exc) -> None:
                raise exc

            monkeypatch.setattr(sink, "deliver", deliver)
            await worker.run_once()
            now[0] += timedelta(days=1)  # the next try is due
        assert said[0].endswith(f": {waits}"), said
        assert said[1].endswith(f": {refused}"), said
        stop = asyncio.Event()

        async def down(*args: Any) -> int:
            stop.set()
            raise StoreUnreachable("connection refused")

        monkeypatch.setattr(worker, "collect", down)
        await asyncio.wait_for(worker.run(stop), 30)
        assert said[-1] == failed, said
    finally:
        await worker.aclose()
        await store.close()


# -- one rule for the language ----------------------------------------------------------------


@pytest.mark.parametrize("locale", ["nl_NL.UTF-8", "C.UTF-8"])
def test_a_config_without_ui_takes_the_locale_in_every_command(locale, monkeypatch):
    # There were two rules: cli_read took Dutch for a config without [ui], the rest English;
    # the documented default is the locale (README, [ui] language).
    from argparse import Namespace

    from helpers.cli import export_args

    from reactieveld.cli_read import export_options
    from reactieveld.config import language_of

    monkeypatch.setenv("LC_ALL", locale)
    expected = "nl" if locale.startswith("nl") else "en"
    assert language_of(Namespace()) == language_of(None) == expected
    assert export_options(Namespace(), export_args(format="md")).language == expected
    ui = Namespace(ui=Namespace(language="en" if expected == "nl" else "nl"))
    assert language_of(ui) == ui.ui.language  # [ui] language goes before the locale


async def test_the_app_hears_only_write_backs_that_will_not_be_done(tmp_path: Path) -> None:
    """The app's outbox worker (say: failed, conflict) notifies a reply refused for good,
    with why; a retry during an outage stays in the header (the source's notice says it)."""
    said: list[str] = []
    store = await open_store(str(tmp_path / "m.db"))
    try:
        ids = await fill_abc(store)
        # Two responses: a decision waits while an earlier one of its response is pending.
        for ext, outcome in (("a", "retry"), ("b", "failed")):
            await store.enqueue(Action(Capability.HIDE, "blog", ext), response_id=ids[ext])
            worker = OutboxWorker(
                store,
                {"blog": Refusing(RAISES[outcome])},
                on_event=said.append,
                language="nl",
                say=("failed", "conflict"),
            )
            await worker.run_once()
    finally:
        await store.close()
    assert said == [OUTBOX_LINES["nl", "failed"]]
