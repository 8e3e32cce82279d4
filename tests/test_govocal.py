"""The Go Vocal connector against a fake Go Vocal public API v2 on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fakes.base import Clock
from fakes.govocal import FakeGoVocal
from helpers.connectors import responses, round_

from reactieveld.connectors.base import ConnectorError
from reactieveld.connectors.govocal import GoVocalConnector
from reactieveld.connectors.http import RetryPolicy
from reactieveld.model import Action, Capability, RemoteStatus


@pytest.fixture
def portal() -> Iterator[FakeGoVocal]:
    with FakeGoVocal() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 3, 10, 12, 0, tzinfo=UTC).timestamp())


def connector(portal, sleeps, clock, secret=None) -> GoVocalConnector:
    return GoVocalConnector(
        "participatie",
        portal.url,
        portal.client_id,
        secret or portal.client_secret,
        locale="nl-NL",
        sleep=sleeps,
        clock=clock,
        retry=RetryPolicy(max_attempts=3),
    )


@pytest.fixture
async def conn(portal, sleeps, clock):
    c = connector(portal, sleeps, clock)
    yield c
    await c.aclose()


@pytest.fixture
def seeded(portal):
    project = portal.add_project({"nl-NL": "Centrum Laren", "en": "Laren centre"})
    idea = portal.add_idea(project, {"nl-NL": "Meer bankjes op de Brink", "en": "More benches"})
    citizen = portal.add_user("Anna", "de Vries", "anna@example.org")
    staff = portal.add_user("Ben", "Ambtenaar", "ben@laren.nl", roles=[{"type": "admin"}])
    ids = [
        portal.add_comment(
            idea,
            citizen,
            {"nl-NL": f"<p>Reactie {i}</p>", "en": f"Comment {i}"},
            f"2024-03-0{1 + i % 8}T10:00:00.000Z",
        )
        for i in range(60)
    ]
    answer = portal.add_comment(
        idea,
        staff,
        {"nl-NL": "<p>Dank, we kijken ernaar &amp; komen terug.</p>"},
        "2024-03-09T11:00:00.000Z",
        parent_id=ids[0],
    )
    return {"idea": idea, "citizen": citizen, "ids": ids, "answer": answer}


async def test_full_sync_pages_and_translates(portal, conn, seeded):
    pages, cursor = await round_(conn, None)
    got = responses(pages)
    assert set(got) == set(seeded["ids"]) | {seeded["answer"]}
    # page_size=100 asked, the server caps at 24: we followed total_pages.
    lists = [r for r in portal.requests if r.path == "/api/v2/comments"]
    assert [r.arg("page_number") for r in lists] == ["1", "2", "3"]
    assert all(r.arg("page_size") == "100" and r.arg("locale") == "nl-NL" for r in lists)

    answer = got[seeded["answer"]]
    assert answer.body_text == "Dank, we kijken ernaar & komen terug."
    assert answer.body_format == "html"
    assert answer.author_name == "Ben Ambtenaar"
    assert answer.author_email == "ben@laren.nl"  # the store keys it; never shown
    assert answer.role_hint == "organisatie"
    assert answer.parent_external_id == seeded["ids"][0]
    assert answer.created_at == datetime(2024, 3, 9, 11, tzinfo=UTC)
    citizen = got[seeded["ids"][5]]
    assert citizen.role_hint is None and citizen.remote_status is RemoteStatus.APPROVED

    threads = {t.external_id: t for p in pages for t in p.threads}
    thread = threads[answer.thread_external_id]
    assert thread.title == "Meer bankjes op de Brink"
    assert thread.meta["project_title"] == "Centrum Laren"
    assert thread.url and thread.url.endswith("/ideas/idea-1")
    # Users and ideas are looked up once each, not per comment.
    assert sum(1 for r in portal.requests if r.path.startswith("/api/v2/users/")) == 2
    assert sum(1 for r in portal.requests if r.path.startswith("/api/v2/ideas/")) == 1
    assert json.loads(cursor)["since"] == "2024-03-09"


async def test_incremental_overlap_is_deduplicated(portal, conn, clock, seeded):
    _, cursor = await round_(conn, None)
    clock.now += 3600
    pages, cursor = await round_(conn, cursor)
    assert responses(pages) == {}  # the overlap day came again, unchanged
    last = [r for r in portal.requests if r.path == "/api/v2/comments"][-1]
    assert last.arg("updated_at") == "2024-03-09,"

    new = portal.add_comment(
        seeded["idea"], seeded["citizen"], {"nl-NL": "Nieuw"}, "2024-03-10T13:00:00.000Z"
    )
    edited = seeded["ids"][8]  # created 2024-03-01, edited today
    portal.edit_comment(edited, {"nl-NL": "Aangepast"}, "2024-03-10T13:05:00.000Z")
    pages, cursor = await round_(conn, cursor)
    got = responses(pages)
    assert set(got) == {new, edited}
    assert got[edited].body_text == "Aangepast"


async def test_deleted_comments_are_reported_gone(portal, conn, seeded):
    _, cursor = await round_(conn, None)
    portal.delete_comment(seeded["ids"][3], "2024-03-10T14:00:00.000Z")
    pages, _ = await round_(conn, cursor)
    gone = {k: v for p in pages for k, v in p.gone.items()}
    assert gone == {seeded["ids"][3]: RemoteStatus.DELETED}
    last = [r for r in portal.requests if r.path == "/api/v2/comments/deleted"][-1]
    assert last.arg("deleted_at") == "2024-03-09,"


async def test_multiloc_body_picks_the_language_and_keeps_all(portal, conn, seeded):
    portal.multiloc_bodies = True
    pages, _ = await round_(conn, None)
    r = responses(pages)[seeded["ids"][1]]
    assert r.body_text == "Reactie 1"
    assert r.body_format == "json"
    assert json.loads(r.body_raw) == {"nl-NL": "<p>Reactie 1</p>", "en": "Comment 1"}


async def test_wrong_secret_is_a_clear_error_not_retried(portal, sleeps, clock):
    c = connector(portal, sleeps, clock, secret="nope")
    try:
        with pytest.raises(ConnectorError) as err:
            await round_(c, None)
    finally:
        await c.aclose()
    assert not err.value.retryable
    assert "client id or secret" in str(err.value) and "nope" not in str(err.value)
    assert len(portal.requests) == 1 and sleeps.calls == []


async def test_token_is_renewed_before_a_day_and_after_a_401(portal, conn, clock, seeded):
    _, cursor = await round_(conn, None)
    auths = lambda: sum(1 for r in portal.requests if r.path == "/api/v2/authenticate")  # noqa: E731
    assert auths() == 1
    clock.now += 23 * 3600 + 1
    _, cursor = await round_(conn, cursor)
    assert auths() == 2
    portal.tokens.clear()  # revoked on the platform
    await round_(conn, cursor)
    assert auths() == 3


async def test_429_retry_after_is_respected(portal, conn, sleeps, seeded):
    portal.fail_next(429, b"", {"Retry-After": "5"}, path_prefix="/api/v2/comments")
    pages, _ = await round_(conn, None)
    assert len(responses(pages)) == 61
    assert sleeps.calls == [5.0]


async def test_read_only_source_says_why(conn):
    assert conn.capabilities == frozenset()
    assert set(conn.unsupported_reasons) == set(Capability)
    assert all("read-only" in why for why in conn.unsupported_reasons.values())
    with pytest.raises(ConnectorError) as err:
        await conn.apply(Action(Capability.APPROVE, "participatie", "x"))
    assert not err.value.retryable
