"""The Decidim connector against a fake Decidim GraphQL API on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fakes.base import Clock
from fakes.decidim import FakeDecidim
from helpers.connectors import responses, round_

from reactieveld.connectors.base import ConnectorError
from reactieveld.connectors.decidim import DecidimConnector
from reactieveld.connectors.http import RetryPolicy
from reactieveld.model import Action, Capability, RemoteStatus


@pytest.fixture
def portal() -> Iterator[FakeDecidim]:
    with FakeDecidim() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock(2_000_000.0)


def make(portal, sleeps, clock, *, key=None, secret=None) -> DecidimConnector:
    return DecidimConnector(
        "portaal",
        portal.url,
        api_key=key,
        api_secret=secret,
        locale="nl",
        page_size=3,
        sleep=sleeps,
        clock=clock,
        retry=RetryPolicy(max_attempts=3),
    )


@pytest.fixture
async def conn(portal, sleeps, clock):
    c = make(portal, sleeps, clock)
    yield c
    await c.aclose()


@pytest.fixture
async def signed_in(portal, sleeps, clock):
    c = make(portal, sleeps, clock, key=portal.api_key, secret=portal.api_secret)
    yield c
    await c.aclose()


def ops(portal) -> list[str]:
    return [r.json()["operationName"] for r in portal.requests if r.path == "/api"]


@pytest.fixture
def seeded(portal):
    process = portal.add_space("Omgevingsvisie Eemnes", "omgevingsvisie")
    assembly = portal.add_space("Jongerenraad", "jongerenraad", field="assemblies")
    proposals = portal.add_component(process, "Proposals")
    debates = portal.add_component(assembly, "Debates")
    portal.add_component(process, "Pages")  # not commentable: skipped
    items = [portal.add_item(proposals, f"Voorstel {i}") for i in range(7)]
    debate = portal.add_item(debates, "Waar moet de skatebaan komen?")
    top = portal.add_comment(proposals, items[0], "Goed idee!")
    group = portal.add_comment(
        proposals, items[0], "Namens de dorpsraad: eens.", author="2", parent=top
    )
    deep = portal.add_comment(proposals, items[0], "En een fietsenstalling?", parent=group)
    other = portal.add_comment(proposals, items[5], "Liever <niet> hier & daar")
    in_debate = portal.add_comment(debates, debate, "Bij het sportpark")
    return dict(
        proposals=proposals,
        debates=debates,
        items=items,
        debate=debate,
        top=top,
        group=group,
        deep=deep,
        other=other,
        in_debate=in_debate,
    )


async def test_full_sync_walks_spaces_components_pages_and_nested_comments(portal, conn, seeded):
    pages, cursor = await round_(conn, None)
    got = responses(pages)
    s = seeded
    assert set(got) == {s["top"], s["group"], s["deep"], s["other"], s["in_debate"]}
    # Proposals paged Relay-style, three at a time: 7 items -> 3 pages.
    assert ops(portal).count("ReactieveldCommentables") == 3 + 1  # + the debates component
    # Only commentables with comments were read.
    assert ops(portal).count("ReactieveldComments") == 3

    assert got[s["group"]].parent_external_id == s["top"]
    assert got[s["deep"]].parent_external_id == s["group"]
    assert got[s["top"]].parent_external_id is None
    assert got[s["group"]].role_hint == "organisatie"  # a user group
    assert got[s["top"]].role_hint is None
    assert got[s["other"]].body_text == "Liever <niet> hier & daar"
    assert got[s["top"]].author_name == "Karin Smit"
    created = got[s["top"]].created_at
    assert created.tzinfo is UTC and created.utcoffset().total_seconds() == 0
    assert created == datetime.fromisoformat(portal.comments[s["top"]]["created_at"])

    threads = {t.external_id: t for p in pages for t in p.threads}
    t = threads[got[s["top"]].thread_external_id]
    assert t.title == "Voorstel 0"
    assert (
        t.url
        == f"{portal.url}/processes/omgevingsvisie/f/{s['proposals']}/proposals/{s['items'][0]}"
    )
    assert t.meta["type"] == "Decidim::Proposals::Proposal"
    td = threads[got[s["in_debate"]].thread_external_id]
    assert td.url.startswith(f"{portal.url}/assemblies/jongerenraad/f/{s['debates']}/debates/")
    assert json.loads(cursor)["rescan_at"] == 2_000_000.0


async def test_incremental_rereads_only_changed_commentables(portal, conn, clock, seeded):
    _, cursor = await round_(conn, None)
    before = len(portal.requests)
    clock.now += 60
    pages, cursor = await round_(conn, cursor)
    assert responses(pages) == {}
    assert "ReactieveldComments" not in ops(portal)[before:]

    new = portal.add_comment(
        seeded["proposals"], seeded["items"][5], "Nieuw", parent=seeded["other"]
    )
    before = len(portal.requests)
    pages, cursor = await round_(conn, cursor)
    assert set(responses(pages)) == {new}  # the unchanged sibling is not sent again
    assert responses(pages)[new].parent_external_id == seeded["other"]
    assert ops(portal)[before:].count("ReactieveldComments") == 1


async def test_hidden_comments_are_reported_gone(portal, conn, clock, seeded):
    _, cursor = await round_(conn, None)
    portal.hide(seeded["other"])  # the count drops: seen next round
    pages, cursor = await round_(conn, cursor)
    gone = {k: v for p in pages for k, v in p.gone.items()}
    assert gone == {seeded["other"]: RemoteStatus.HIDDEN}

    # A hide plus a new comment leaves the count equal: only the full rescan sees it.
    portal.hide(seeded["in_debate"])
    fresh = portal.add_comment(seeded["debates"], seeded["debate"], "Bij de school")
    pages, cursor = await round_(conn, cursor)
    assert not any(p.gone for p in pages) and responses(pages) == {}
    clock.now += 6 * 3600
    pages, cursor = await round_(conn, cursor)
    assert {k: v for p in pages for k, v in p.gone.items()} == {
        seeded["in_debate"]: RemoteStatus.HIDDEN
    }
    assert set(responses(pages)) == {fresh}


async def test_reply_with_add_comment(portal, signed_in, seeded):
    assert signed_in.capabilities == {Capability.REPLY}
    result = await signed_in.apply(
        Action(Capability.REPLY, "portaal", seeded["other"], text="Dank, we nemen het mee.")
    )
    new = portal.comments[result.external_id]
    assert new["parent"] == seeded["other"] and new["body"] == "Dank, we nemen het mee."
    assert result.remote_status is RemoteStatus.APPROVED
    sign_ins = [r for r in portal.requests if r.path == "/api/sign_in"]
    assert len(sign_ins) == 1
    mutation = [r for r in portal.requests if r.path == "/api"][-1]
    assert mutation.headers["authorization"].startswith("Bearer ")
    assert mutation.json()["variables"]["type"] == "Decidim::Comments::Comment"


async def test_reply_is_sent_as_literal_markdown(portal, signed_in, seeded):
    """Decidim renders a comment as Markdown: what the moderator typed is escaped so it
    shows as typed; #word is escaped against the hashtag parser."""
    result = await signed_in.apply(
        Action(Capability.REPLY, "portaal", seeded["other"], text="<b>a < b</b> #plan **x**")
    )
    assert portal.comments[result.external_id]["body"] == (
        "\\<b\\>a \\< b\\</b\\> \\#plan \\*\\*x\\*\\*"
    )


async def test_reply_refused_when_comments_are_closed(portal, signed_in):
    space = portal.add_space("Gesloten", "gesloten")
    comp = portal.add_component(space, "Proposals")
    item = portal.add_item(comp, "Afgerond", accepts_comments=False)
    cid = portal.add_comment(comp, item, "Oud")
    with pytest.raises(ConnectorError) as err:
        await signed_in.apply(Action(Capability.REPLY, "portaal", cid, text="Nog iets"))
    assert not err.value.retryable and "did not accept" in str(err.value)


async def test_expired_jwt_signs_in_again(portal, signed_in, seeded):
    await round_(signed_in, None)
    portal.tokens.clear()
    await signed_in.apply(Action(Capability.REPLY, "portaal", seeded["top"], text="Ja"))
    assert sum(1 for r in portal.requests if r.path == "/api/sign_in") == 2


async def test_wrong_api_secret_is_a_clear_error_not_retried(portal, sleeps, clock, seeded):
    c = make(portal, sleeps, clock, key=portal.api_key, secret="fout")
    try:
        with pytest.raises(ConnectorError) as err:
            await round_(c, None)
    finally:
        await c.aclose()
    assert not err.value.retryable and "401" in str(err.value)
    assert "fout" not in str(err.value)
    assert len(portal.requests) == 1 and sleeps.calls == []


async def test_429_from_rack_attack_is_waited_out(portal, conn, sleeps, seeded):
    portal.fail_next(429, "Retry later\n", {"Retry-After": "2", "Content-Type": "text/plain"})
    pages, _ = await round_(conn, None)
    assert len(responses(pages)) == 5
    assert sleeps.calls == [2.0]


async def test_no_moderation_and_reply_needs_an_api_user(conn, seeded):
    assert conn.capabilities == frozenset()
    reasons = conn.unsupported_reasons
    assert set(reasons) == set(Capability)
    assert "Moderations" in reasons[Capability.HIDE]
    assert "api_key_env" in reasons[Capability.REPLY]
    with pytest.raises(ConnectorError) as err:
        await conn.apply(Action(Capability.HIDE, "portaal", seeded["top"]))
    assert not err.value.retryable


async def test_graphql_errors_are_reported_with_the_operation(portal, conn):
    await conn.space_fields()  # the schema is asked first, once per connector
    portal.fail_next(200, {"errors": [{"message": "Field 'foo' doesn't exist on type 'Query'"}]})
    with pytest.raises(ConnectorError) as err:
        await round_(conn, None)
    assert "ReactieveldSpaces" in str(err.value) and "foo" in str(err.value)
