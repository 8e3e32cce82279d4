"""Moderation rules read a thread's title where the response's author wrote it (a user
trial: a topic titled "Koop nu: k.a.n.k.e.r..." over a harmless first post passed every
rule). A Discourse topic's first post, and a new topic in the review queue, carry
``meta["title_by_author"]``: the rules match the topic's title too, on both backends, the
response view marks the title, ``rules test`` counts it. A reply under that title, and a
comment under a WordPress post's title (the organisation's own), are not flagged by it."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import pytest
from fakes.base import Clock
from fakes.discourse import FakeDiscourse
from helpers.app import SIZE, response_shown
from helpers.cli import run_main
from helpers.connectors import responses, round_
from helpers.store import open_store, page, resp, sql
from helpers.wpsite import Site
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.connectors.discourse import DiscourseConnector
from reactieveld.model import TITLE_BY_AUTHOR, Thread, title_by_author
from reactieveld.rules import Rule, RuleSet
from reactieveld.store.base import QueueFilter
from reactieveld.store.screening import screen, screened

RULES = RuleSet(
    (
        Rule.make("scheldwoorden", "hold", words=("kanker*",)),
        Rule.make("reclame", "flag", pattern=r"koop\s+nu"),
    )
)
TITLE = "Koop nu: k.a.n.k.e.r pillen"


@pytest.fixture
async def store(store_target):
    s = await open_store(store_target)
    yield s
    await s.close()


@pytest.fixture
def forum():
    with FakeDiscourse() as fake:
        yield fake


async def _fetched(forum: FakeDiscourse, sleeps) -> list:
    conn = DiscourseConnector(
        "forum", forum.url, forum.api_username, forum.api_key, sleep=sleeps, clock=Clock()
    )
    try:
        pages, _ = await round_(conn, None)
    finally:
        await conn.aclose()
    return pages


async def flags(store) -> list[tuple]:
    return await sql(
        store,
        "SELECT r.external_id, f.rule, f.state FROM rule_flags f "
        "JOIN responses r ON r.id = f.response_id ORDER BY r.external_id, f.rule",
    )


async def test_a_topic_s_title_flags_its_first_post_not_its_replies(forum, sleeps, store):
    forum.load_fixture()  # topic 7: three harmless posts
    tid = forum.add_topic(TITLE)
    first = forum.add_post(tid, "Hallo allemaal, een vraag over het plan.", user_id=3)
    reply = forum.add_post(tid, "Welk plan bedoelt u?", user_id=2)
    queued = forum.queue_post(None, "Zie de titel.", title="Koop  nu goedkoop")
    pages = await _fetched(forum, sleeps)
    got = responses(pages)
    assert got[str(first["id"])].meta[TITLE_BY_AUTHOR] is True
    assert got["21"].meta[TITLE_BY_AUTHOR] is True  # the fixture's first post
    assert TITLE_BY_AUTHOR not in got[str(reply["id"])].meta
    assert got[f"queued-{queued}"].meta[TITLE_BY_AUTHOR] is True  # a new topic, its title in review

    ups = [await store.upsert_page("forum", p, rules=RULES) for p in pages]
    ext = {str(first["id"]): "first", f"queued-{queued}": "queued"}
    assert [(ext.get(e, e), rule, s) for e, rule, s in await flags(store)] == [
        ("first", "reclame", "open"),
        ("first", "scheldwoorden", "open"),
        ("queued", "reclame", "open"),
    ]
    row = await store.get_by_external("forum", str(first["id"]))
    assert row.response.id in [h for up in ups for h in up.held]
    # What `rules test` reads: the title only beside the first posts.
    texts = {rid: title for rid, _, title in await store.texts()}
    assert texts[row.response.id] == TITLE
    replied = await store.get_by_external("forum", str(reply["id"]))
    assert texts[replied.response.id] is None
    # The same round again flags nothing anew.
    for p in await _fetched(forum, sleeps):
        await store.upsert_page("forum", p, rules=RULES)
    assert len(await flags(store)) == 3


async def test_a_wordpress_post_s_title_flags_none_of_its_comments(store):
    """The fake WordPress's posts all titled with watched words (the organisation's own
    titles): its comments, harmless, are fetched and stored with none flagged."""
    site = Site(n=30)
    for post in site.fake.posts.values():
        post["title"] = {"raw": TITLE, "rendered": TITLE}
    _, conn = site.source(attempts=1)
    try:
        pages, _ = await round_(conn, None)
    finally:
        await conn.aclose()
    assert {t.title for p in pages for t in p.threads} == {TITLE}
    assert not any(title_by_author(r.meta) for p in pages for r in p.responses)
    for p in pages:
        await store.upsert_page("blog", p, rules=RULES)
    assert await store.count(QueueFilter()) > 0
    assert await flags(store) == []


@pytest.mark.parametrize("again", ["thread alone", "with its posts unchanged"])
async def test_a_title_renamed_into_a_match_flags_its_author_s_post(store, again):
    first = dataclasses.replace(
        resp("f1", "Hallo, een vraag", source="forum", thread="9", minutes=1),
        meta={TITLE_BY_AUTHOR: True},
    )
    reply = resp("f2", "Een antwoord", source="forum", thread="9", minutes=2)
    posts = (first, reply)
    await store.upsert_page(
        "forum", page(*posts, threads=(Thread("forum", "9", "Een vraag"),)), rules=RULES
    )
    assert await flags(store) == []
    renamed = page(
        *(posts if again != "thread alone" else ()), threads=(Thread("forum", "9", TITLE),)
    )
    up = await store.upsert_page("forum", renamed, rules=RULES)
    assert await flags(store) == [
        ("f1", "reclame", "open"),
        ("f1", "scheldwoorden", "open"),
    ]
    assert up.held == ((await store.get_by_external("forum", "f1")).response.id,)
    await store.upsert_page("forum", renamed, rules=RULES)  # the same again: no news
    assert len(await flags(store)) == 2


@settings(max_examples=50, deadline=None)
@given(
    in_body=st.booleans(),
    in_title=st.booleans(),
    mark=st.sampled_from([True, False, "true", 1, None, "absent"]),
)
def test_the_title_counts_only_where_its_author_wrote_it(in_body, in_title, mark):
    body = "Koop nu hier" if in_body else "Een vraag"
    title = "K A N K E R en meer" if in_title else "Over het plan"
    meta = json.dumps({} if mark == "absent" else {TITLE_BY_AUTHOR: mark})
    rid, text, seen = screened((1, body, meta, title))
    matches, _ = screen([(rid, text, seen)], RULES)
    mine = mark is True
    assert seen == (title if mine else None)
    expected = ({"reclame"} if in_body else set()) | (
        {"scheldwoorden"} if in_title and mine else set()
    )
    assert {m.rule for m in matches} == expected


async def _titled_db(db: Path) -> tuple[int, int]:
    store = await open_store(str(db))
    try:
        first = dataclasses.replace(
            resp("f1", "Hallo, een vraag", source="forum", thread="9", minutes=1),
            meta={TITLE_BY_AUTHOR: True},
        )
        reply = resp("f2", "Een antwoord", source="forum", thread="9", minutes=2)
        await store.upsert_page(
            "forum", page(first, reply, threads=(Thread("forum", "9", TITLE),)), rules=RULES
        )
        ids = [(await store.get_by_external("forum", e)).response.id for e in ("f1", "f2")]
        return ids[0], ids[1]
    finally:
        await store.close()


def test_rules_test_counts_a_match_in_the_title(tmp_path: Path):
    db, config = tmp_path / "m.db", tmp_path / "config.toml"
    asyncio.run(_titled_db(db))
    config.write_text('[[rules]]\nname = "hate"\nwords = ["kanker*"]\naction = "hold"\n', "utf-8")
    said = {
        lang: run_main(["--lang", lang, "--config", str(config), "--db", str(db), "rules", "test"])
        for lang in ("en", "nl")
    }
    assert [code for code, _, _ in said.values()] == [0, 0], said
    assert said["en"][1].splitlines() == [
        "hate (hold): 1 of 2 stored responses; 1 in the title alone (its author's own)",
        "  - title: Koop nu: [k.a.n.k.e.r] pillen",
    ]
    assert said["nl"][1].splitlines() == [
        "hate (hold): 1 van 2 opgeslagen reacties; 1 alleen in de titel (door de schrijver"
        " zelf gegeven)",
        "  - titel: Koop nu: [k.a.n.k.e.r] pillen",
    ]


@pytest.mark.usefixtures("tui_env")
async def test_the_view_marks_the_title_its_author_wrote(tmp_path: Path, make_app):
    from reactieveld.store.sqlite import SqliteStore

    first, reply = await _titled_db(tmp_path / "m.db")
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        app = make_app(store, language="en", rules=RULES)
        async with app.run_test(size=SIZE) as pilot:
            text = await response_shown(app, pilot, first)
            assert "Thread: [Koop nu]: [k.a.n.k.e.r] pillen" in text
            assert (
                "§ Rule: scheldwoorden (open · in the title); reclame (open · in the title)"
            ) in text
            text = await response_shown(app, pilot, reply)
            assert f"Thread: {TITLE}" in text and "§ Rule" not in text
    finally:
        await store.close()


async def test_an_unchanged_title_flags_nothing_anew_as_its_post_is_edited(store):
    """A first post whose body and title (its author's) both match: a flag per rule and
    text (two each). Its body edited to harmless words, the title as it was: nothing
    flagged anew, nothing held again (the rule had matched that title already); a title
    renamed to other watched words still flags anew, as a body edited into them does."""
    thread = Thread("forum", "9", TITLE)

    def post(body: str) -> object:
        return dataclasses.replace(
            resp("f1", body, source="forum", thread="9", minutes=1), meta={TITLE_BY_AUTHOR: True}
        )

    await store.upsert_page("forum", page(post(TITLE), threads=(thread,)), rules=RULES)
    n = len(await flags(store))
    up = await store.upsert_page("forum", page(post("Hallo"), threads=(thread,)), rules=RULES)
    assert (len(await flags(store)) - n, up.flagged, up.held) == (0, (), ())
    assert n == 4
    renamed = Thread("forum", "9", "Koop nu! " + TITLE)
    await store.upsert_page("forum", page(post("Hallo"), threads=(renamed,)), rules=RULES)
    assert len(await flags(store)) == 6
    await store.upsert_page("forum", page(post(TITLE), threads=(renamed,)), rules=RULES)
    assert len(await flags(store)) == 6  # the body's words as they were flagged before
