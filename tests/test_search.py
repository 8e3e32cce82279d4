"""Search: ranking, inline filters, filters alone (newest first), filter values that name
nothing, counting past the limit, highlighting spans and snippets; and ``reactieveld
search`` through the real entry point."""

from __future__ import annotations

import contextlib
import io
import random
import re
from datetime import UTC, date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reportdata import T0, D, H, build

from reactieveld.cli import main
from reactieveld.codebook import DEFAULT_QUESTIONS, DEFAULT_ROLES, Code, make_codebook
from reactieveld.i18n import text as ui_text
from reactieveld.model import Page, RemoteStatus, Response, Source, TagKind, TriageState
from reactieveld.read.search import (
    _KEYS,
    Allowed,
    allowed_in,
    count_matches,
    describe_problem,
    filter_summary,
    match_spans,
    newest,
    parse_query,
    search,
    snippet,
)
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore

pytestmark = pytest.mark.usefixtures("utc")


async def ext_ids(store, query, base=None, **kw):
    result = await search(store, query, base, **kw)
    assert not result.parsed.problems
    return [h.row.response.external_id for h in result.hits]


async def test_ranking(memory):
    store, _ = memory
    filler = " ".join(["de gemeente luistert naar haar inwoners"] * 30)
    await store.upsert_page(
        "forum",
        Page(
            responses=[
                Response("forum", "many", "f1", "X", "Afval afval afval, overal afval.", T0),
                Response("forum", "once", "f1", "Y", f"{filler} en het afval.", T0 + 5 * D),
            ]
        ),
    )
    # bm25: the short text that is all about afval beats the long one that mentions it once,
    # and both beat r9, where it is one word in a mid-length text.
    ranked = await ext_ids(store, "afval")
    assert ranked[0] == "many" and set(ranked) == {"many", "once", "r9"}
    hits = (await search(store, "afval")).hits
    assert all(h.rank is not None for h in hits)
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)  # best (lowest) first


async def test_body_author_and_title_are_searched(memory):
    store, _ = memory
    assert await ext_ids(store, "vries") == ["r1"]  # author
    assert set(await ext_ids(store, "biezem")) == {"r5", "r6", "r7", "r8"}  # thread title
    assert set(await ext_ids(store, "parkeren")) == {"r1", "r2", "r6"}  # body
    assert set(await ext_ids(store, "parkeren verkeer")) == {"r6"}  # words ANDed
    assert set(await ext_ids(store, "zwem*")) == {"r5", "r6", "r7", "r8"}  # prefix
    assert await ext_ids(store, 'NEAR( "') == []  # syntax is never syntax


@pytest.mark.parametrize(
    "query, expected",
    [
        ("parkeren bron:forum", {"r6"}),
        ("centrumplan rol:burger", {"r3", "r7"}),
        ("centrumplan status:hold", {"r7"}),
        ("centrumplan status:spam status:hold", {"r4", "r7"}),
        ("centrumplan vraag:1", {"r1", "r3", "r4"}),
        ("centrumplan sinds:2026-03-03", {"r4", "r7"}),
        ("centrumplan tot:2026-03-02", {"r1", "r2", "r3"}),
        ("centrumplan source:blog question:1 role:burger", {"r3"}),
    ],
)
async def test_inline_filters(memory, query, expected):
    store, _ = memory
    assert set(await ext_ids(store, query)) == expected


async def test_base_filter_and_problems(memory):
    store, _ = memory
    assert set(await ext_ids(store, "centrumplan", QueueFilter(sources=("forum",)))) == {"r7"}
    parsed = parse_query("afval sinds:gisteren status:kapot https://x.example/a:b")
    assert [str(p) for p in parsed.problems] == ["sinds:gisteren", "status:kapot"]
    assert [p.kind for p in parsed.problems] == ["date", "status"]
    assert parsed.words == "afval https://x.example/a:b"
    assert parse_query("x status:prullenbak").filter.statuses == (RemoteStatus.TRASH,)
    # A filter that cannot be read is never silently dropped: no hits, the problem says why.
    result = await search(store, "centrumplan sinds:gisteren")
    assert result.hits == [] and [str(p) for p in result.parsed.problems] == ["sinds:gisteren"]
    # Nothing at all: nothing listed.
    result = await search(store, "   ")
    assert result.hits == [] and not result.parsed.filtered


# -- filters alone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("bron:blog", ["r4", "r3", "r2", "r1"]),
        ("vraag:1", ["r6", "r4", "r3", "r1"]),
        ("rol:burger", ["r7", "r3"]),
        ("rol:organisatie", ["r8", "r2"]),  # from the connector's role hint
        ("vraag:1 rol:burger", ["r3"]),
        ("status:hold status:spam", ["r7", "r4"]),
        ("bron:forum sinds:2026-03-04", ["r8", "r9", "r7"]),
        ("tot:2026-03-02", ["r3", "r2", "r1"]),
        ("sinds:2026-03-03 tot:2026-03-03", ["r6", "r5", "r4"]),  # r4, r5: same time, by id
        # r1 has both questions: one hit, not two.
        ("vraag:1 vraag:2", ["r6", "r5", "r4", "r3", "r1"]),
        ("bron:blog status:approved rol:organisatie", ["r2"]),
        ("bron:forum vraag:2 status:spam", []),
    ],
)
async def test_filters_alone_list_newest_first(memory, query, expected):
    store, _ = memory
    result = await search(store, query, allowed=await allowed_in(store))
    assert not result.parsed.problems and result.by_date
    assert [h.row.response.external_id for h in result.hits] == expected
    assert all(h.rank is None for h in result.hits) and result.total is None


async def test_filters_alone_past_the_limit_say_how_many(memory):
    store, _ = memory
    result = await search(store, "bron:forum", limit=2)
    assert [h.row.response.external_id for h in result.hits] == ["r8", "r9"]
    assert result.total == 5 and not result.capped
    result = await search(store, "vraag:1 vraag:2", limit=3)
    assert len(result.hits) == 3 and result.total == 5
    # Words past the limit: counted with their filters, up to a cap.
    result = await search(store, "centrumplan", limit=2)
    assert len(result.hits) == 2 and result.total == 5 and not result.capped
    assert await count_matches(store, "centrumplan", QueueFilter(sources=("forum",)), cap=99) == 1
    rol = QueueFilter(roles=("burger",), since=T0 + H)
    assert await count_matches(store, "centrumplan", rol, cap=99) == 2  # r3, r7
    assert await count_matches(store, "centrumplan", QueueFilter(), cap=3) == 3


async def varied(path, n=900, seed=5):
    """A memory of ``n`` responses over three sources, every status, shared times (ties)
    and overlapping question and role tags, to hold the indexed listing against the
    store's own queue query."""
    rnd = random.Random(seed)
    store = await SqliteStore.open(path)
    sources = ["alpha", "beta", "gamma"]
    statuses = [RemoteStatus.APPROVED] * 6 + [RemoteStatus.HOLD] * 3 + list(RemoteStatus)
    per_source: dict[str, list[Response]] = {s: [] for s in sources}
    for i in range(n):
        source = rnd.choice(sources[:2] * 5 + sources[2:])
        at = T0 + timedelta(hours=rnd.randrange(0, 24 * 40, 3))  # many equal times
        per_source[source].append(
            Response(source, f"x{i}", "t", f"Auteur {i % 17}", f"tekst {i}", at,
                     remote_status=rnd.choice(statuses))
        )  # fmt: skip
    for source, responses in per_source.items():
        await store.ensure_source(Source(source, "demo"))
        await store.upsert_page(source, Page(responses=responses))
    ids = list(range(1, n + 1))
    for code, share in (("1", 0.2), ("2", 0.1), ("3", 0.01)):
        await store.toggle_question(rnd.sample(ids, int(n * share)), code, actor="t")
    for code, share in (("burger", 0.5), ("raad", 0.05)):
        await store.set_role(rnd.sample(ids, int(n * share)), code, actor="t")
    await store.mark_handled(rnd.sample(ids, n // 3), actor="t")
    return store


ORACLE_FILTERS = [
    QueueFilter(sources=("alpha",)),
    QueueFilter(sources=("gamma", "beta")),
    QueueFilter(statuses=(RemoteStatus.SPAM, RemoteStatus.HOLD)),
    QueueFilter(statuses=(RemoteStatus.TRASH,), sources=("alpha",)),
    QueueFilter(questions=("1",)),
    QueueFilter(questions=("2", "3"), sources=("alpha", "gamma")),
    QueueFilter(roles=("raad",), statuses=(RemoteStatus.APPROVED,)),
    QueueFilter(questions=("1",), roles=("burger",), since=T0 + 5 * D, until=T0 + 30 * D),
    QueueFilter(since=T0 + 10 * D),
    QueueFilter(until=T0 + 3 * D, sources=("beta",)),
    QueueFilter(triage=TriageState.NEW, sources=("gamma",)),
    QueueFilter(sources=("nowhere",)),
    QueueFilter(untagged=True, sources=("beta",)),  # not its own: the store's queue answers
]


@pytest.mark.parametrize("flt", ORACLE_FILTERS)
async def test_filter_listing_equals_the_store_queue(tmp_path, flt):
    """Every filter, page by page through the keyset, lists exactly what the store's own
    queue query lists, in the same order."""
    store = await varied(tmp_path / "v.db")
    try:
        expected = [r.response.id for r in await store.queue(flt, limit=5000)]
        got: list[int] = []
        after = None
        while True:
            page = await newest(store, flt, after=after, limit=37)
            got += [r.response.id for r in page]
            if len(page) < 37:
                break
            after = page[-1].keyset
        assert got == expected
        assert flt.sources == ("nowhere",) or len(expected) > 3
    finally:
        await store.close()


# -- filter values that name nothing ----------------------------------------------------------


@pytest.mark.parametrize(
    "query, kind, english, dutch",
    [
        (
            "vraag:9",
            "question",
            "vraag:9: no such planning question in the codebook; questions: "
            "1 Which goals does the dialogue serve?; 2 On which topics",
            "vraag:9: die planningsvraag staat niet in het codeboek; vragen: "
            "1 Welke doelen dient de dialoog?; 2 Voor welke",
        ),
        (
            "rol:burgemeester",
            "role",
            "rol:burgemeester: no such role in the codebook; roles: burger (Citizen), "
            "raad (Council member), college",
            "rol:burgemeester: die rol staat niet in het codeboek; rollen: burger (Burger), "
            "raad (Raadslid), college",
        ),
        (
            "status:foo",
            "status",
            "status:foo: not a status; statuses: approved, hold (on hold), spam, trash, hidden, "
            "deleted",
            "status:foo: geen status; statussen: approved (goedgekeurd)",
        ),
        (
            "bron:nosuchsource",
            "source",
            "bron:nosuchsource: no such source in the memory; sources: blog, forum",
            "bron:nosuchsource: die bron staat niet in het geheugen; bronnen: blog, forum",
        ),
        (
            "sinds:gisteren",
            "date",
            "sinds:gisteren: not a date; write YYYY-MM-DD, e.g. 2026-03-01, or a date-time, "
            "e.g. 2026-03-01T14:30",
            "sinds:gisteren: geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of een "
            "tijdstip, bijvoorbeeld 2026-03-01T14:30",
        ),
        ("tot:2026-13-01", "date", "tot:2026-13-01: not a date", "tot:2026-13-01: geen datum"),
    ],
)
async def test_unknown_filter_values_are_named_with_what_is_allowed(
    memory, query, kind, english, dutch
):
    store, _ = memory
    allowed = await allowed_in(store)
    for text in (query, f"centrumplan {query}"):  # alone and beside a word
        result = await search(store, text, allowed=allowed)
        assert result.hits == [] and len(result.parsed.problems) == 1
        problem = result.parsed.problems[0]
        assert problem.kind == kind
        assert describe_problem(problem, allowed, "en").startswith(english)
        assert describe_problem(problem, allowed, "nl").startswith(dutch)


async def test_known_values_in_other_spellings(memory):
    store, _ = memory
    allowed = await allowed_in(store)
    flt = parse_query("vraag:#1 rol:Raadslid role:citizen bron:FORUM", allowed=allowed).filter
    assert flt.questions == ("1",) and flt.roles == ("raad", "burger")
    assert flt.sources == ("forum",)
    # The codebook decides: a ninth question in the config is a question.
    nine = Code(TagKind.QUESTION, "9", "9", {"nl": "Negen?", "en": "Nine?"})
    book = make_codebook((*DEFAULT_QUESTIONS, nine), DEFAULT_ROLES)
    ninth = Allowed(book, allowed.sources)
    result = await search(store, "vraag:9", allowed=ninth)
    assert not result.parsed.problems and result.hits == []
    result = await search(store, "vraag:10", allowed=ninth)
    assert describe_problem(result.parsed.problems[0], ninth, "en").endswith("9 Nine?")
    empty = Allowed(sources=())
    problem = parse_query("bron:blog", allowed=empty).problems[0]
    assert describe_problem(problem, empty, "nl").endswith("bronnen: (nog geen)")


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path, monkeypatch):
    import asyncio

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)

    async def make():
        store, ids = await build(tmp_path / "m.db", monkeypatch)
        await store.close()
        return ids

    ids = asyncio.run(make())
    return str(tmp_path / "m.db"), ids


def test_cli_filters_alone(db, capsys):
    path, ids = db
    assert main(["--db", path, "--lang", "en", "search", "vraag:1", "rol:burger"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"[{ids['r3']}] ") and out.count("\n[") == 0
    assert err == "1 hit, newest first (no search words: sorted by date)\n"
    assert main(["--db", path, "--lang", "en", "search", "--source", "forum", "--limit", "2"]) == 0
    out, err = capsys.readouterr()
    assert [line.split("]")[0] for line in out.splitlines() if line.startswith("[")] == [
        f"[{ids['r8']}",
        f"[{ids['r9']}",
    ]
    assert err == (
        "2 of 5 hits shown, newest first (no search words: sorted by date); "
        "refine the search or raise --limit (2)\n"
    )
    assert main(["--db", path, "--lang", "en", "search", "centrumplan", "--limit", "9"]) == 0
    assert capsys.readouterr().err == "5 hits, best first\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["vraag:9"], "vraag:9: no such planning question in the codebook; questions: 1 Which"),
        (["parkeren", "rol:burgemeester"], "rol:burgemeester: no such role in the codebook"),
        (["status:foo"], "status:foo: not a status; statuses: approved, hold (on hold)"),
        (["bron:nosuchsource"], "bron:nosuchsource: no such source in the memory; sources: blog"),
        (["sinds:gisteren"], "sinds:gisteren: not a date; write YYYY-MM-DD"),
        (["x", "--source", "nope"], "--source nope: no such source in the memory; sources: blog"),
        ([], "give a word or a filter"),
    ],
)
def test_cli_unknown_filter_values_exit_2_with_one_line(db, capsys, argv, message):
    path, _ = db
    assert main(["--db", path, "--lang", "en", "search", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"reactieveld: {message}"), err


@pytest.mark.parametrize("limit", ["0", "-1", "x"])
def test_cli_limit_must_be_a_positive_number(db, capsys, limit):
    # SQLite reads LIMIT -1 as no limit at all.
    path, _ = db
    with pytest.raises(SystemExit) as exc:
        main(["--db", path, "search", "bron:blog", "--limit", limit])
    assert exc.value.code == 2
    assert f"argument --limit: {limit}: " in capsys.readouterr().err


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "words", [["zwembad", "-parkeren"], ["-parkeren"], ["-x", "afval"], ["afval", "-éen3"]]
)
def test_cli_a_word_with_a_dash_before_it_is_said_as_that(db, capsys, language, words):
    """'reactieveld search zwembad -parkeren' (to leave a word out, as in a web search)
    said argparse's 'unrecognized arguments: -parkeren': the word is named, and that no
    search leaves a word out."""
    path, _ = db
    with pytest.raises(SystemExit) as exc:
        main(["--db", path, "--lang", language, "search", *words])
    assert exc.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    dashed = next(w for w in words if w.startswith("-"))
    assert f"{dashed}: " in last
    assert ("weglaten" if language == "nl" else "leaves a word out") in last
    # After "--" too (the search box's reading): said, never searched as the word.
    assert main(["--db", path, "--lang", language, "search", "--", *words]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and f"{dashed}: " in captured.err
    # Another command's stray argument is argparse's line, as before.
    with pytest.raises(SystemExit):
        main(["--db", path, "--lang", language, "stats", "-x"])
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.endswith(("onbekende argumenten: -x", "unrecognized arguments: -x"))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("argv", "stray"),
    [
        (["search", "zwembad", "-parkeren", "--bogus"], "-parkeren --bogus"),
        (["-x", "search", "afval"], "-x"),
    ],
)
def test_cli_a_stray_option_beside_or_before_search_is_argparse_s_line(
    db, capsys, language, argv, stray
):
    """A stray option with the dashed word, or a dashed word before the command, is no
    search word: argparse's line names every one (not only the dashed word, as a word)."""
    path, _ = db
    with pytest.raises(SystemExit) as exc:
        main(["--db", path, "--lang", language, *argv])
    assert exc.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.endswith((f"onbekende argumenten: {stray}", f"unrecognized arguments: {stray}"))


@given(
    words=st.lists(st.sampled_from(["afval", "centrum", "e-mail", "3-5", "-", "—"]), max_size=3),
    dashed=st.lists(
        st.builds(
            lambda d, w: d + w,
            st.sampled_from(["-", "--"]),
            st.sampled_from(["parkeren", "Zwembad", "x3", "één"]),
        ),
        min_size=1,
        max_size=2,
    ),
    at=st.integers(0, 3),
)
@settings(max_examples=150, deadline=None)
def test_a_word_with_a_dash_before_it_is_a_problem_in_the_box(words, dashed, at):
    """In the search box "zwembad -parkeren" found the responses with both words (every
    word is required, the "-" dropped): the opposite of what was typed. Each such word is
    a problem that says no search leaves a word out; a dash inside or alone is no such word."""
    query = [*words[:at], *dashed, *words[at:]]
    parsed = parse_query(" ".join(query))
    expected = [("exclude", d) for d in dict.fromkeys(dashed)]  # each word once
    assert [(p.kind, p.value) for p in parsed.problems] == expected
    for language in ("nl", "en"):
        said = describe_problem(parsed.problems[0], Allowed(), language)
        assert said.startswith(f"{dashed[0]}: ")
    assert not parse_query(" ".join(words)).problems


@given(
    query=st.builds(
        lambda dashes, number, tail: dashes + number + tail,
        st.just("-"),
        st.from_regex(r"[0-9]{1,3}([.,][0-9]{1,2})?", fullmatch=True),
        st.sampled_from(["", "%", "a", "°C", "e-mail"]),
    ),
    before=st.lists(st.sampled_from(["afval", "centrum"]), max_size=1),
)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_cli_a_query_starting_with_a_dash_says_to_put_dashes_before_it(db, query, before):
    """'reactieveld search -12%' (a pasted figure) printed the top-level usage: argparse
    took it for an option. One line names it and says "--" goes before it (quotes do not
    help), exit 2; then 'search -- -12%' searches it. A dash before a digit is a number's
    sign, no word left out, in the box too."""
    path, _ = db
    assert not parse_query(query).problems
    if re.fullmatch(r"-\d+|-\d*\.\d+", query):  # argparse's negative number: searched
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--db", path, "search", *before, query]) == 0
        return
    for language, said in (("nl", "heeft -- ervoor nodig"), ("en", "needs -- before it")):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exc:
            main(["--db", path, "--lang", language, "search", *before, query])
        lines = err.getvalue().splitlines()
        assert exc.value.code == 2
        assert len(lines) == 1 and lines[0].startswith(f"reactieveld: {query}: "), lines
        assert said in lines[0] and f"search -- {query}" in lines[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["--db", path, "search", *before, "--", query]) == 0


def test_match_spans_fold_case_accents_and_prefix():
    text = "Het Café en de cafés; PARKEREN bij parkeerplaats"
    assert [text[s:e] for s, e in match_spans(text, "cafe")] == ["Café"]
    assert [text[s:e] for s, e in match_spans(text, "caf*")] == ["Café", "cafés"]
    assert [text[s:e] for s, e in match_spans(text, "parkeren parkeer*")] == [
        "PARKEREN",
        "parkeerplaats",
    ]
    assert match_spans(text, "***") == []


def test_snippet_windows_around_the_first_match():
    text = "begin " + "woord " * 100 + "het zwembad moet blijven " + "eind " * 100
    cut, spans = snippet(text, "zwembad", width=60)
    assert cut.startswith("…") and cut.endswith("…") and len(cut) == 62
    assert [cut[s:e] for s, e in spans] == ["zwembad"]
    short, spans = snippet("kort\nmet  zwembad", "zwembad")
    assert short == "kort met zwembad" and spans == [(9, 16)]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("seed", range(20))
def test_the_filter_summary_is_typed_back_to_the_same_filter(language, seed):
    """What the status line names (in either language) is a query for the same filter:
    every key and status word it writes is one the search box takes."""
    rnd = random.Random(seed)
    flt = QueueFilter(
        sources=tuple(rnd.sample(["blog", "forum", "decidim"], rnd.randint(0, 2))),
        questions=tuple(rnd.sample([str(n) for n in range(1, 9)], rnd.randint(0, 3))),
        roles=tuple(rnd.sample([r.code for r in DEFAULT_ROLES], rnd.randint(0, 2))),
        statuses=tuple(rnd.sample(list(RemoteStatus), rnd.randint(0, 3))),
        since=T0 - rnd.randint(0, 60) * D if rnd.random() < 0.5 else None,
        until=T0 + rnd.randint(1, 60) * D if rnd.random() < 0.5 else None,
    )
    flt = parse_query(" ".join(filter_summary(flt, "nl"))).filter  # whole UTC days
    shown = filter_summary(flt, language)
    assert parse_query(" ".join(shown)).filter == flt


#: Words only the one language's search lines use (the other's must not appear).
SEARCH_WORDS = {
    "en": ("hit", "shown", "first", "refine", "no such", "not a ", "give a", "write YYYY"),
    "nl": ("treffer", "getoond", "eerst", "verfijn", "staat niet", "geen ", "geef een", "schrijf"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["vraag:1", "rol:burger"], 0),
        (["--source", "forum", "--limit", "2"], 0),
        (["centrumplan", "--limit", "2"], 0),
        (["centrumplan"], 0),
        (["zzzgeenwoord"], 0),
        (["vraag:9"], 2),
        (["rol:koning"], 2),
        (["status:foo"], 2),
        (["bron:nope"], 2),
        (["sinds:gisteren"], 2),
        (["x", "--source", "nope"], 2),
        ([], 2),
    ],
)
def test_cli_search_speaks_the_chosen_language(db, capsys, language, argv, code):
    """``reactieveld --lang nl search`` says its header line and what it did not
    understand in Dutch, ``--lang en`` in English: no line of the other language."""
    path, _ = db
    assert main(["--db", path, "--lang", language, "search", *argv]) == code
    err = capsys.readouterr().err.lower()
    other = "en" if language == "nl" else "nl"
    assert any(word in err for word in SEARCH_WORDS[language]), err
    assert not [word for word in SEARCH_WORDS[other] if word in err], err


def test_cli_search_header_in_dutch(db, capsys):
    path, _ = db
    assert main(["--db", path, "--lang", "nl", "search", "--source", "forum", "--limit", "2"]) == 0
    assert capsys.readouterr().err == (
        "2 van 5 treffers getoond, nieuwste eerst (geen zoekwoorden: op datum); "
        "verfijn de zoekvraag of verhoog --limit (2)\n"
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_cli_search_names_each_status_in_the_reader_s_language(db, capsys, language):
    """A Dutch run printed each hit's status as its code ("approved", "hold") where the
    search box, the status line and the Markdown report say "goedgekeurd", "wacht": each
    hit's status now in the reader's words, from the one UI table."""
    from reactieveld.i18n import text

    path, _ = db
    every = [f"status:{s.value}" for s in RemoteStatus]
    assert main(["--db", path, "--lang", language, "search", *every]) == 0
    heads = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("[")]
    said = {ln.split("  ")[3] for ln in heads}
    words = {text(f"status.{s.value}", language): s for s in RemoteStatus}
    assert len(said) >= 4 and said <= set(words), said
    if language == "nl":
        assert not said & {"approved", "hold", "trash"}, said


# -- a status by any word the interface shows for it --------------------------------------------


def _shown_words(status: RemoteStatus) -> list[str]:
    """Every word the interface shows for ``status``, both languages: the rows' status
    word and the tab's label and short label (read from the UI table itself)."""
    from reactieveld.i18n import STRINGS

    keys = (f"status.{status}", f"queue.{status}", f"queue.short.{status}")
    return sorted({w for k in keys if k in STRINGS for w in STRINGS[k]} | {status.value})


def _accented(word: str) -> str:
    # The first vowel with an acute accent: "Ón hold", "wácht" (typed on a Dutch keyboard).
    for i, c in enumerate(word):
        if c.lower() in "aeiou":
            return word[:i] + c + "\u0301" + word[i + 1 :]
    return word


def _spellings(word: str) -> list[tuple[str, str]]:
    """(query, the words it leaves) for ``word`` as a user types it: any case, with or
    without diacritics, a space quoted, hyphenated, joined or just typed."""
    forms = {word, word.lower(), word.upper(), word.title(), _accented(word)}
    typed: list[tuple[str, str]] = []
    for form in sorted(forms):
        if " " in form:
            typed += [
                (f'status:"{form}" parkeren', "parkeren"),
                (f"status:'{form}'", ""),
                (f"status:{form.replace(' ', '-')} parkeren", "parkeren"),
                (f"status:{form.replace(' ', '')}", ""),
                (f"status:{form} parkeren", "parkeren"),  # as the tab says it
                (f"parkeren status:{form} vraag:1", "parkeren"),
            ]
        else:
            typed += [(f"status:{form} parkeren", "parkeren"), (f'status:"{form}"', "")]
    return typed


STATUS_SPELLINGS = [
    (status, query, words)
    for status in RemoteStatus
    for word in _shown_words(status)
    for query, words in _spellings(word)
]


def test_every_status_has_its_interface_words():
    # The tabs' own words are among them (the words a tryout typed).
    assert "On hold" in _shown_words(RemoteStatus.HOLD)
    assert {"Wacht", "In afwachting", "Goed", "Goedgekeurd", "OK"} <= {
        w for s in RemoteStatus for w in _shown_words(s)
    }


@pytest.mark.parametrize("status, query, words", STATUS_SPELLINGS)
def test_a_status_is_taken_in_every_spelling_the_interface_shows(status, query, words):
    parsed = parse_query(query)
    assert not parsed.problems, query
    assert parsed.filter.statuses == (status,), query
    assert parsed.words == words
    if "vraag:1" in query:
        assert parsed.filter.questions == ("1",)


def test_no_word_names_two_statuses():
    seen: dict[str, RemoteStatus] = {}
    for status in RemoteStatus:
        for word in _shown_words(status):
            key = "".join(word.casefold().split())
            assert seen.setdefault(key, status) == status, word


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("status", list(RemoteStatus))
def test_the_status_line_names_a_status_as_the_rows_do_and_takes_it_back(language, status):
    from reactieveld.i18n import text

    shown = filter_summary(QueueFilter(statuses=(status,)), language)
    word = text(f"status.{status}", language)
    assert shown == [f'status:"{word}"' if " " in word else f"status:{word}"]
    assert parse_query(f"afval {shown[0]} centrum").filter.statuses == (status,)
    assert parse_query(f"afval {shown[0]} centrum").words == "afval centrum"


@pytest.mark.parametrize(
    "query, problem, words",
    [
        ("status:kapot afval", "status:kapot", "afval"),
        ("status:on", "status:on", ""),
        ("status:on holt", "status:on", "holt"),
        ('status:"on holt" x', "status:on holt", "x"),
        ("status:wacht-even", "status:wacht-even", ""),
    ],
)
def test_an_unknown_status_word_is_still_a_problem(query, problem, words):
    parsed = parse_query(query)
    assert [str(p) for p in parsed.problems] == [problem]
    assert parsed.filter.statuses == () and parsed.words == words


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "argv",
    [
        ["status:on hold"],  # what the shell makes of status:"on hold"
        ["status:On", "hold"],
        ["status:on-hold"],
        ["status:Wacht"],
        ["status:in afwachting"],
        ["--status", "on hold"],
        ["--status", "Wacht"],
    ],
)
def test_cli_takes_the_interface_words_for_a_status(db, capsys, language, argv):
    path, _ = db
    assert main(["--db", path, "--lang", language, "search", "status:hold"]) == 0
    expected = capsys.readouterr().out
    word = ui_text("status.hold", language)  # "wacht", "on hold": the reader's word
    assert expected.startswith("[") and f"  {word}  " in expected
    assert main(["--db", path, "--lang", language, "search", *argv]) == 0
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_status_a_problem_lists_is_taken_as_written(language):
    """The list a wrong status gets names each status as the filter writes it, with the
    reader's word beside it where that differs; each of them, typed back, is that status."""
    from reactieveld.codebook import DEFAULT_CODEBOOK
    from reactieveld.read.search import Allowed, _allowed_text

    listed = _allowed_text("status", Allowed(codebook=DEFAULT_CODEBOOK), language)
    for status, item in zip(RemoteStatus, listed.split(", "), strict=True):
        value, _, word = item.partition(" (")
        assert value == status.value
        for typed in filter(None, (value, word.removesuffix(")"))):
            parsed = parse_query(f'status:"{typed}"')
            assert parsed.filter.statuses == (status,), (typed, parsed)


_FILTERS = [
    ("vraag", "3"),
    ("question", "#2"),
    ("rol", "burger"),
    ("role", "raad"),
    ("bron", "blog"),
    ("status", "hold"),
    ("status", '"on hold"'),
    ("sinds", "2026-03-01"),
    ("tot", "2026-03-31"),
]


@given(
    words=st.lists(st.sampled_from(["afval", "centrum", "Zwembad", "let op:"]), max_size=3),
    filters=st.lists(
        st.tuples(st.sampled_from(_FILTERS), st.sampled_from(["", " ", "  ", "\t"])),
        min_size=1,
        max_size=4,
    ),
    key_case=st.sampled_from([str.lower, str.upper, str.capitalize]),
)
@settings(max_examples=200, deadline=None)
def test_a_filter_with_blanks_after_its_colon_is_that_filter(words, filters, key_case):
    """ "vraag: 3" searched the words "vraag" and "3" (0 hits, no word why), and "vraag:"
    alone the word "vraag": a filter typed with a blank after its colon is the filter,
    one without a value is a problem, never a word."""
    typed = " ".join(f"{key_case(k)}:{gap}{v}" for (k, v), gap in filters)
    tight = " ".join(f"{k}:{v}" for (k, v), _ in filters)
    query = " ".join([*words, typed])
    parsed, expected = parse_query(query), parse_query(" ".join([*words, tight]))
    assert parsed.filter == expected.filter and not parsed.problems
    assert parsed.words == expected.words
    for key in ("vraag", "rol", "sinds", "status", "bron"):
        for bare in (f"{key}:", f"afval {key}:", f"{key}: rol:raad", f"{key}:\t"):
            problems = parse_query(bare).problems
            assert [(p.key, p.value) for p in problems] == [(key, "")], bare
            assert key not in parse_query(bare).words


@given(
    day=st.dates(),
    time=st.sampled_from(["", "T00:00", "T23:59", "T12:00:00"]),
    zone=st.sampled_from(["", "Z", "+05:00", "-05:00", "+14:00", "-12:00"]),
    key=st.sampled_from(["sinds", "tot", "since", "until"]),
)
@example(day=date(9999, 12, 31), time="", zone="", key="tot")
@example(day=date(1, 1, 1), time="T00:00", zone="+05:00", key="sinds")
@example(day=date(9999, 12, 31), time="T23:00", zone="-05:00", key="until")
@settings(max_examples=300, deadline=None)
def test_a_date_at_the_calendar_s_edge_is_a_filter_or_a_problem(day, time, zone, key):
    """'tot:9999-12-31' (and 'sinds:0001-01-01T00:00+05:00') ended in Python's
    OverflowError: its end, the next day, is no date. Every date of the calendar, with a
    time and a zone or not, is a filter whose moment is a UTC date, or one problem."""
    value = f"{day.isoformat()}{time}{zone if time else ''}"
    parsed = parse_query(f"afval {key}:{value}")
    assert parsed.words == "afval"
    if parsed.problems:
        assert [p.kind for p in parsed.problems] == ["range"]
        assert day.year in (1, 9999)
    else:
        moment = parsed.filter.since or parsed.filter.until
        assert moment is not None and moment.tzinfo is not None
        moment.astimezone(UTC)


@given(
    key=st.sampled_from(sorted(_KEYS)),
    key_case=st.sampled_from([str.lower, str.upper, str.capitalize]),
    gap=st.sampled_from(["", " ", "  ", "\t"]),
    value=st.sampled_from(["", '""', "''"]),
    at=st.sampled_from(["start", "middle", "end"]),
    language=st.sampled_from(["nl", "en"]),
)
@settings(max_examples=60, deadline=None)
def test_a_filter_without_a_value_says_the_value_is_missing(
    key, key_case, gap, value, at, language
):
    """'vraag:' said "vraag:: die planningsvraag staat niet in het codeboek": a missing
    value told as a wrong one, with a double colon. Every typed filter without a value (a
    blank after it or not, quoted empty, at the start, in the middle or at the end) says
    that its value is missing and what it takes, with an example the box takes."""
    typed = key_case(key)
    bare = f"{typed}:{gap}{value}"
    query = {
        "start": f"{bare} bron:blog afval",
        "middle": f"afval {bare} bron:blog",
        "end": f"afval {bare}",
    }
    allowed = Allowed(sources=("blog",))
    (problem,) = parse_query(query[at], allowed=allowed).problems
    line = describe_problem(problem, allowed, language)
    assert "::" not in line, line
    missing = "zonder waarde" if language == "nl" else "without a value"
    assert line.startswith(f"{typed}: {missing}; "), line
    example = re.search(rf"{re.escape(typed)}:(\S+?)[;,]? ", line[len(typed) + 1 :])
    if example:  # the example is a filter the box takes
        assert not parse_query(f"{typed}:{example[1]}", allowed=allowed).problems, line
