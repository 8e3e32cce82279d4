"""Search finds styled letters as the moderation rules do: a comment written in
mathematical, full-width, super- and subscript, circled or letterlike letters, or with
ligatures, is found by the plain word on both backends, a query typed in them finds plain
text, the highlight marks the styled characters themselves, and a memory indexed before
(SQLite 0023, PostgreSQL 0017) is indexed again when it is opened."""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
import unicodedata

import pytest
from helpers.store import open_store, page, pg_back_to, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import Source, Thread
from reactieveld.read.search import match_spans, snippet
from reactieveld.rule_text import folded
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore
from reactieveld.store.unaccent import UNACCENT


def _styles() -> dict[str, dict[str, str]]:
    """Every styled alphabet Unicode has for the Latin letters, by its name without the
    letter ("MATHEMATICAL BOLD CAPITAL", "FULLWIDTH LATIN SMALL LETTER", "CIRCLED LATIN
    CAPITAL LETTER", "MODIFIER LETTER CAPITAL", ...): the plain lower-case letter to its
    styled form, for each character whose compatibility form is that one letter."""
    styles: dict[str, dict[str, str]] = {}
    for code in range(0x80, 0x1FFFF):
        c = chr(code)
        plain = unicodedata.normalize("NFKC", c)
        name = unicodedata.name(c, "")
        if len(plain) == 1 and plain.isascii() and plain.isalpha() and name:
            style = name.rsplit(" ", 1)[0]
            styles.setdefault(style, {}).setdefault(plain.lower(), c)
    return styles


STYLES = _styles()
#: The alphabets with most of the letters: the ones people type whole words in.
ALPHABETS = sorted(s for s, letters in STYLES.items() if len(letters) >= 10)


def styled(word: str, style: str) -> str:
    """``word`` in ``style``'s letters (a letter the style lacks stays plain)."""
    return "".join(STYLES[style].get(ch, ch) for ch in word)


WORDS = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)


def test_the_alphabets_are_there():
    """The styles the issue names are among those generated (a check of the generator)."""
    assert len(ALPHABETS) >= 20
    for style in (
        "MATHEMATICAL BOLD CAPITAL",
        "MATHEMATICAL DOUBLE-STRUCK SMALL",
        "FULLWIDTH LATIN SMALL LETTER",
        "CIRCLED LATIN CAPITAL LETTER",
        "MODIFIER LETTER CAPITAL",
        "SQUARED LATIN CAPITAL LETTER",
    ):
        assert style in ALPHABETS, style
    assert styled("hate", "MATHEMATICAL BOLD CAPITAL") == "𝐇𝐀𝐓𝐄"


@settings(max_examples=60, deadline=None)
@given(WORDS, st.sampled_from(ALPHABETS), st.sampled_from(["", "Dit is ", "‘"]))
def test_the_highlight_marks_the_styled_letters(word, style, before):
    """The plain word marks the styled word's own characters, and the styled query the
    plain word's, in the text and in its snippet; the rules' fold agrees that they meet."""
    fancy = styled(word, style)
    assert folded(fancy) == word  # what a rule's word list sees
    text = f"{before}{fancy} en nog wat"
    start = len(before)
    assert match_spans(text, word) == [(start, start + len(fancy))]
    assert match_spans(text, word[:2] + "*") == [(start, start + len(fancy))]
    cut, spans = snippet(text, word.upper())
    assert [cut[s:e] for s, e in spans] == [fancy]
    plain = f"{before}{word} en nog wat"
    assert match_spans(plain, fancy) == [(start, start + len(word))]


_EXT = itertools.count()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(WORDS, st.sampled_from(ALPHABETS))
def test_a_styled_word_is_found_by_the_plain_one_and_back(store_target, word, style):
    """On each backend: the comment in styled letters is a hit of the plain word (and of
    its prefix), a query in styled letters finds the plain comment, and what is shown is
    the text as written."""
    fancy = styled(word, style)
    n = next(_EXT)
    styled_ext, plain_ext = f"s{n}", f"p{n}"

    async def check() -> None:
        store = await open_store(store_target)
        try:
            await store.upsert_page(
                "blog",
                page(resp(styled_ext, f"Jij {fancy}!"), resp(plain_ext, f"wij {word}.")),
            )
            for query in (word, word.upper(), f"{word[:3]}*", fancy):
                found = {
                    h.row.response.external_id: h.row.response.body_text
                    for h in await store.search(query, limit=10_000)
                }
                assert {styled_ext, plain_ext} <= set(found), query
                assert found[styled_ext] == f"Jij {fancy}!"
        finally:
            await store.close()

    asyncio.run(check())


@pytest.mark.parametrize(
    ("written", "query"),
    [
        ("De ﬁets staat buiten", "fiets"),  # the ligature fi
        ("een ﬂyer", "flyer"),
        ("Ｋａｎｋｅｒ！", "kanker"),
        ("ᴴᴬᵀᴱ", "hate"),
        ("ℌ𝔞𝔱𝔢", "hate"),
        ("x₂ en H₂O", "h2o"),
        ("De fiets staat buiten", "ﬁets"),
    ],
)
async def test_the_forms_the_rules_meet(store_target, written, query):
    store = await open_store(store_target)
    try:
        await store.upsert_page("blog", page(resp("1", written), resp("2", "niets hiervan")))
        assert [h.row.response.external_id for h in await store.search(query)] == ["1"]
    finally:
        await store.close()


async def test_a_changed_styled_text_leaves_no_word_behind(store_target):
    """The SQLite index is contentless: an edit deletes what was written with the same
    folding, so the old styled word is gone and the new one is there."""
    store = await open_store(store_target)
    try:
        await store.upsert_page("blog", page(resp("1", "𝐇𝐀𝐓𝐄 hier")))
        await store.upsert_page("blog", page(resp("1", "ｌｉｅｆｄｅ hier")))
        assert [h.row.response.external_id for h in await store.search("liefde")] == ["1"]
        assert await store.search("hate") == []
    finally:
        await store.close()


# -- a memory indexed before: the migration indexes it again ----------------------------
TEXTS = [("1", "𝐇𝐀𝐓𝐄 en ﬁets", "ｚｏë"), ("2", "gewoon hate", "Anna")]


async def test_sqlite_0023_indexes_an_older_memory_again(tmp_path):
    path = tmp_path / "m.db"
    store = await open_store(path)
    await store.upsert_page(
        "blog", page(*(resp(ext, body, author=author) for ext, body, author in TEXTS))
    )
    await store.close()
    # The index as 0022's program wrote it: the texts as they are.
    db = sqlite3.connect(path)
    db.execute("INSERT INTO responses_fts (responses_fts) VALUES ('delete-all')")
    db.execute(
        "INSERT INTO responses_fts (rowid, body, author, title) "
        "SELECT id, body_text, author_name, '' FROM responses"
    )
    # And without what later migrations made (0024: the sinks' changes), so that they run
    # again after 0023 as on a file of that program.
    db.executescript(
        "DROP TRIGGER sink_changes_response; DROP TRIGGER sink_changes_title; "
        "DROP TABLE sink_changes; ALTER TABLE sink_positions DROP COLUMN change_id;"
    )
    db.execute("PRAGMA user_version = 22")
    db.commit()
    assert db.execute("SELECT count(*) FROM responses_fts('hate')").fetchone() == (1,)
    db.close()

    store = await SqliteStore.open(path)
    try:
        assert sorted(h.row.response.external_id for h in await store.search("hate")) == [
            "1",
            "2",
        ]
        assert [h.row.response.external_id for h in await store.search("fiets zoe")] == ["1"]
        terms = {t for (t,) in await sql(store, "SELECT term FROM responses_vocab")}
        assert "𝐡𝐚𝐭𝐞" not in terms and "hate" in terms
    finally:
        await store.close()
    # Any SQLite program still reads and searches the file (no function of ours needed).
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM responses_fts('hate')").fetchone() == (2,)
    # The index is whole, and ingest writes it again with FTS5's own 1 MiB of pending
    # words (the migration's 64 MiB was for the rebuild alone).
    db.execute("INSERT INTO responses_fts (responses_fts) VALUES ('integrity-check')")
    assert db.execute("SELECT v FROM responses_fts_config WHERE k = 'hashsize'").fetchall() in (
        [],
        [(1048576,)],
    )
    db.close()


async def test_postgresql_0017_makes_the_vectors_again(pg_url):
    from reactieveld.store.pg.ingest import search_vector, title_of

    store = await open_store(pg_url)
    await store.upsert_page(
        "blog", page(*(resp(ext, body, author=author) for ext, body, author in TEXTS))
    )
    vector = search_vector(
        "r.body_text", "r.author_name", title_of("r.source_id", "r.thread_external_id")
    )
    # The vectors as 0016's program made them (no normalize), and its version.
    await sql(
        store,
        "UPDATE responses r SET search = setweight(to_tsvector('reactieveld', body_text), 'A')"
        " || setweight(to_tsvector('reactieveld', author_name), 'B')",
    )
    await pg_back_to(store, 16)
    assert [h.row.response.external_id for h in await store.search("hate")] == ["2"]
    await store.close()

    store = await open_store(pg_url)
    try:
        assert sorted(h.row.response.external_id for h in await store.search("hate")) == [
            "1",
            "2",
        ]
        assert [h.row.response.external_id for h in await store.search("fiets zoe")] == ["1"]
        # The migration's vectors are ingest's, to the letter.
        assert await sql(
            store, f"SELECT count(*) FROM responses r WHERE search IS DISTINCT FROM {vector}"
        ) == [(0,)]
    finally:
        await store.close()


#: What a memory's texts are made of: plain words, accented letters as typed (their own
#: NFKC), an accent typed apart (NFKC joins it), styled letters, a Greek final sigma (its
#: own NFKC, yet taken as sigma).
PIECES = (
    "hate", "Fiets", "café", "zoë", "cafe\u0301", "𝐇𝐀𝐓𝐄", "ｚｏｅ", "ﬁets", "ᴴᴬᵀᴱ", "ℌ", "λόγος",
)  # fmt: skip
TEXTS_OF = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map(" ".join)
#: A vector as 0016's program made it (no normalize): body (A), author (B), title (C).
VECTOR_0016 = (
    "setweight(to_tsvector('reactieveld', r.body_text), 'A') || "
    "setweight(to_tsvector('reactieveld', r.author_name), 'B') || "
    "setweight(to_tsvector('reactieveld', coalesce((SELECT th.title FROM threads th "
    "WHERE th.source_id = r.source_id AND th.external_id = r.thread_external_id), '')), 'C')"
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(TEXTS_OF, TEXTS_OF, TEXTS_OF), min_size=1, max_size=4))
def test_postgresql_0017_writes_only_the_vectors_that_change(pg_url, rows):
    """0017 rewrites a response only where NFKC changes its body, author or thread title,
    or one has a final sigma (a 1M-row memory is not written twice over for its ASCII and
    plain accented rows), and every vector after it is ingest's."""
    from reactieveld.store.pg.ingest import search_vector, title_of

    n = next(_EXT)
    vector = search_vector(
        "r.body_text", "r.author_name", title_of("r.source_id", "r.thread_external_id")
    )

    async def check() -> None:
        store = await open_store(pg_url)
        threads = [Thread("blog", f"t{n}-{i}", title) for i, (_, _, title) in enumerate(rows)]
        responses = [
            resp(f"m{n}-{i}", body, author=author, thread=f"t{n}-{i}")
            for i, (body, author, _) in enumerate(rows)
        ]
        await store.upsert_page("blog", page(*responses, threads=threads))
        await sql(store, f"UPDATE responses r SET search = {VECTOR_0016}")
        await pg_back_to(store, 16)
        texts = await sql(
            store,
            "SELECT r.id, r.body_text, r.author_name, coalesce(t.title, '') FROM responses r "
            "LEFT JOIN threads t ON t.source_id = r.source_id "
            "AND t.external_id = r.thread_external_id",
        )
        kept = {
            rid
            for rid, *its in texts
            if all(unicodedata.is_normalized("NFKC", t) and "ς" not in t for t in its)
        }
        before = dict(await sql(store, "SELECT id, xmin::text FROM responses"))
        await store.close()

        store = await open_store(pg_url)  # 0017 runs
        try:
            assert await sql(
                store, f"SELECT count(*) FROM responses r WHERE search IS DISTINCT FROM {vector}"
            ) == [(0,)]
            after = dict(await sql(store, "SELECT id, xmin::text FROM responses"))
            assert {rid for rid in after if after[rid] == before[rid]} == kept
        finally:
            await store.close()

    asyncio.run(check())


# -- accents typed apart (NFD text): one word with its marks, as the index holds it ---------
#: Letters with an accent Dutch, French, German and Vietnamese text types, composed.
ACCENTED = st.text("aeiouéèëêïíóöüúàçñâôûǎǹ", min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(ACCENTED, st.sampled_from(["NFD", "NFC"]), st.sampled_from(["", "Zie ", "‘"]))
def test_the_highlight_marks_a_word_with_its_accents_typed_apart(word, form, before):
    """A text whose accents are typed apart (NFD, as macOS and some browsers send it) is
    indexed as its composed words (NFKC of the whole text); the highlight marks the whole
    word, its marks included, for the word in either form, not pieces of it or nothing."""
    written = unicodedata.normalize(form, word)
    text = f"{before}{written} en meer"
    start = len(before)
    for query in (unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)):
        assert match_spans(text, query) == [(start, start + len(written))], query
        cut, spans = snippet(text, query)
        assert [cut[s:e] for s, e in spans] == [written]


@pytest.mark.parametrize(
    ("written", "query"),
    [
        ("e\u0301e\u0301n keer", "één"),
        ("Cafe\u0301 de Zwaan", "café"),
        ("coo\u0308rdinatie", "coördinatie"),
        ("ｶﾞｽ lek", "ガス"),  # halfwidth katakana and its voiced mark
    ],
)
async def test_a_hit_with_accents_typed_apart_is_marked(store_target, written, query):
    """What each backend finds for the word, the highlight marks: the word whole."""
    store = await open_store(store_target)
    try:
        await store.upsert_page("blog", page(resp("1", written), resp("2", "niets hiervan")))
        hits = await store.search(query)
        assert [h.row.response.external_id for h in hits] == ["1"]
        (start, end), *_ = match_spans(written, query)
        assert written[start:end] == written.split()[0]
    finally:
        await store.close()


# -- the two backends agree on what NFKC changes -------------------------------------------
#: Forms NFKC writes otherwise, often longer or shorter: fractions, powers and indices,
#: circled and parenthesised numbers, full-width and mathematical digits and letters,
#: ligatures, units in one character, Roman numerals, digraphs, halfwidth katakana,
#: accents typed apart; beside plain words. (Not the letters the tokenizers themselves
#: fold apart, README "It differs where the two tokenizers do".)
NFKC_PIECES = (
    "½", "¼", "m²", "x³", "H₂O", "①", "⑫", "⑴", "⒈", "１２３", "𝟏𝟐", "ＡＢＣ", "ｈａｔｅ",
    "ﬁets", "ﬂ", "ﬀ", "㎏", "5㎏", "Ⅻ", "ⅻ", "ǅemal", "ǆ", "ｶﾞｽ", "ｶﾀｶﾅ", "№5", "℃", "™",
    "㈱", "ℌ𝔞𝔱𝔢", "ᴴᴬᵀᴱ", "ĳs", "ŀl", "ſ", "µ", "Ω", "K", "…", "e\u0301e\u0301n", "café",
    "hate", "fiets", "twee", "42", "a⁄b", "ℓ",
)  # fmt: skip
NFKC_TEXTS = st.lists(st.sampled_from(NFKC_PIECES), min_size=1, max_size=4).map(" ".join)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(NFKC_TEXTS, min_size=2, max_size=5))
def test_both_backends_find_the_same_for_what_nfkc_changes(pg_cluster, tmp_path, texts):
    """Every word of the texts (as written, and as NFKC writes it) finds the same
    responses on SQLite and on PostgreSQL, and each hit has its word marked."""
    words = set(" ".join(texts).split())
    words |= {w for t in texts for w in re.findall(r"\w+", unicodedata.normalize("NFKC", t))}

    sqlite_at, postgresql_at = memories(pg_cluster, tmp_path)
    source = f"s{next(_EXT)}"
    on_sqlite = asyncio.run(found_by(sqlite_at, source, texts, words))
    on_postgresql = asyncio.run(found_by(postgresql_at, source, texts, words))
    assert on_sqlite == on_postgresql


#: One SQLite file and one PostgreSQL database per test (by its ``tmp_path``), for all
#: its generated examples: each example's texts are a source of their own, searched
#: alone. A new database and its migrations for each example were 2/3 of the time.
_MEMORIES: dict[object, tuple[str, str]] = {}


def memories(pg_cluster, tmp_path) -> tuple[str, str]:
    """The SQLite file and the PostgreSQL database of this test's examples."""
    if tmp_path not in _MEMORIES:
        _MEMORIES[tmp_path] = (
            str(tmp_path / "agree.db"),
            pg_cluster.url(pg_cluster.new_database()),
        )
    return _MEMORIES[tmp_path]


async def found_by(
    target: str, source: str, texts: list[str], words: set[str], *, whole: bool = False
) -> dict[str, list[str]]:
    """Which of ``texts`` (stored as responses "0", "1", ... of ``source``) each of
    ``words`` finds in that source on the memory at ``target``; every hit has the word
    marked (``whole``: only whole words of the text, each exactly)."""
    store = await open_store(target)
    try:
        await store.ensure_source(Source(source, "wordpress"))
        rows_of = [resp(str(i), t, source=source) for i, t in enumerate(texts)]
        await store.upsert_page(source, page(*rows_of))
        found = {}
        for word in sorted(words):
            rows = await store.search(word, QueueFilter(sources=(source,)), limit=100)
            found[word] = sorted(h.row.response.external_id for h in rows)
            for h in rows:
                body = h.row.response.body_text
                marked = [body[s:e] for s, e in match_spans(body, word)]
                assert marked, (word, body)
                assert not whole or set(marked) <= set(body.split()), (word, body, marked)
        return found
    finally:
        await store.close()


# -- the two backends agree on the letters unaccent spells out ------------------------------
#: The letters PostgreSQL's unaccent folds and SQLite's tokenizer would keep (ß, æ, ø, œ,
#: ł, đ, þ, ı, Greek accents and breathings, ё...), as the generated table has them; not
#: the modifier letters it spells as punctuation (ʼ as '), which are no part of a word.
UNFOLDED = sorted(c for c, spelled in UNACCENT.items() if spelled.isalpha() and c != "ς")
UNFOLDED_WORDS = st.builds(
    "".join,
    st.lists(st.sampled_from([*UNFOLDED, *"aeklnorstz"]), min_size=1, max_size=6).filter(
        lambda cs: any(c in UNACCENT for c in cs)
    ),
) | st.sampled_from(["οδος", "ΟΔΟΣ", "λόγος", "Łukasz", "Straße", "STRASSE", "Yıldız"])


def spelled_out(word: str) -> str:
    """``word`` as PostgreSQL's unaccent rules spell it ("Łukasz": "Lukasz")."""
    return "".join(UNACCENT.get(c, c) for c in word)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(UNFOLDED_WORDS, min_size=1, max_size=3).map(" ".join), min_size=2, max_size=5)
)
def test_both_backends_find_the_same_for_what_unaccent_folds(pg_cluster, tmp_path, texts):
    """Every word of the texts, as written, in capitals, in small letters and spelled out
    ("lukasz" for "Łukasz", "strasse" for "Straße"), finds the same responses on SQLite
    and on PostgreSQL, among them its own text; each hit has the written word marked, its
    characters exactly (ß is two letters in the index and one on the screen)."""
    written = {w for t in texts for w in t.split()}
    words = set()
    for w in written:
        words |= {w, w.upper(), w.lower(), spelled_out(w), spelled_out(w).lower()}

    sqlite_at, postgresql_at = memories(pg_cluster, tmp_path)
    source = f"s{next(_EXT)}"
    on_sqlite = asyncio.run(found_by(sqlite_at, source, texts, words, whole=True))
    for i, text in enumerate(texts):
        for w in text.split():
            assert str(i) in on_sqlite[spelled_out(w).lower()], (w, text)
    on_postgresql = asyncio.run(found_by(postgresql_at, source, texts, words, whole=True))
    assert on_sqlite == on_postgresql
