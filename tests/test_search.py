"""Search: ranking, inline filters, highlighting spans and snippets."""

from __future__ import annotations

import time

import pytest

from reactieveld.export.search import match_spans, parse_query, search, snippet
from reactieveld.model import Page, RemoteStatus, Response
from reactieveld.store.base import QueueFilter
from tests.reportdata import T0, D, build


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
async def memory(tmp_path, monkeypatch):
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    yield store, ids
    await store.close()


async def ext_ids(store, query, base=None):
    hits, parsed = await search(store, query, base)
    assert not parsed.problems
    return [h.row.response.external_id for h in hits]


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
    hits, _ = await search(store, "afval")
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
    assert parsed.problems == ("sinds:gisteren", "status:kapot")
    assert parsed.words == "afval https://x.example/a:b"
    assert parse_query("x status:prullenbak").filter.statuses == (RemoteStatus.TRASH,)
    hits, parsed = await search(store, "bron:blog")
    assert hits == [] and parsed.filter.sources == ("blog",)


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
