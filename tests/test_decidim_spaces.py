"""Decidim without an optional space module (assemblies, conferences, initiatives).

The fake leaves the module's Query field out of its schema, so a query that names it fails
with graphql-ruby's own words, as a real Decidim does. The connector asks the schema once
which space types exist and reads only those; a configured type that is missing is an
error naming it. Every combination of the optional modules is run.
"""

from __future__ import annotations

import itertools
import textwrap

import pytest
from fakes.decidim import OPTIONAL_SPACES, FakeDecidim

from reactieveld.config import ConfigError, load_config
from reactieveld.connectors.base import ConnectorError
from reactieveld.connectors.decidim import DecidimConnector
from reactieveld.connectors.http import RetryPolicy

COMBINATIONS = [
    combo
    for n in range(len(OPTIONAL_SPACES) + 1)
    for combo in itertools.combinations(OPTIONAL_SPACES, n)
]


def serve(space_types: tuple[str, ...]) -> FakeDecidim:
    portal = FakeDecidim(space_types=space_types)
    process = portal.add_space("Omgevingsvisie", "omgevingsvisie")
    comp = portal.add_component(process, "Proposals")
    item = portal.add_item(comp, "Meer groen")
    portal.add_comment(comp, item, "In het proces")
    for field in space_types:
        space = portal.add_space(f"Ruimte {field}", f"r-{field}", field=field)
        c = portal.add_component(space, "Debates")
        i = portal.add_item(c, f"Debat in {field}")
        portal.add_comment(c, i, f"In {field}")
    return portal


def connector(portal, sleeps, **kw) -> DecidimConnector:
    return DecidimConnector(
        "portaal", portal.url, sleep=sleeps, retry=RetryPolicy(max_attempts=2), **kw
    )


async def read_all(conn):
    return [p async for p in conn.fetch(None)]


def ops(portal) -> list[str]:
    return [r.json()["operationName"] for r in portal.requests if r.path == "/api"]


@pytest.mark.parametrize("installed", COMBINATIONS, ids=lambda c: "+".join(c) or "processes")
async def test_reads_every_space_type_the_installation_has(installed, sleeps):
    portal = serve(installed)
    portal.start()
    conn = connector(portal, sleeps)
    try:
        pages = await read_all(conn)
        bodies = {r.body_text for p in pages for r in p.responses}
        assert bodies == {"In het proces", *(f"In {f}" for f in installed)}
        urls = {t.url for p in pages for t in p.threads}
        for field in installed:
            assert any(f"/{field}/r-{field}/f/" in u for u in urls)
        assert any("/processes/omgevingsvisie/f/" in u for u in urls)
        # The schema is asked once per connector, not every round.
        await read_all(conn)
        assert ops(portal).count("ReactieveldSchema") == 1
        spaces_query = next(
            r.json()["query"]
            for r in portal.requests
            if r.path == "/api" and r.json()["operationName"] == "ReactieveldSpaces"
        )
        for field in OPTIONAL_SPACES:
            assert (field in spaces_query) == (field in installed)
    finally:
        await conn.aclose()
        portal.stop()


async def test_the_fake_answers_a_missing_module_as_decidim_does(sleeps):
    portal = serve(())
    portal.start()
    # Asked for regardless (what the connector did before): the whole query fails.
    conn = connector(portal, sleeps, spaces=("processes",))
    try:
        with pytest.raises(ConnectorError) as err:
            await conn.graphql(
                "query ReactieveldSpaces($locale: String!) { assemblies { id slug } }",
                {"locale": "nl"},
            )
        assert str(err.value) == (
            "portaal: GraphQL ReactieveldSpaces: Field 'assemblies' doesn't exist on type 'Query'"
        )
    finally:
        await conn.aclose()
        portal.stop()


@pytest.mark.parametrize("installed", COMBINATIONS, ids=lambda c: "+".join(c) or "processes")
async def test_a_configured_space_type_that_is_missing_is_named(installed, sleeps):
    portal = serve(installed)
    portal.start()
    wanted = ("processes", *OPTIONAL_SPACES)
    conn = connector(portal, sleeps, spaces=wanted)
    missing = [f for f in OPTIONAL_SPACES if f not in installed]
    try:
        if not missing:
            pages = await read_all(conn)
            assert len({r.body_text for p in pages for r in p.responses}) == 1 + len(installed)
            return
        with pytest.raises(ConnectorError) as err:
            await read_all(conn)
        message = str(err.value)
        names = ", ".join(f'"{m}"' for m in missing)
        assert message.startswith(f"portaal: space type{'s' if len(missing) > 1 else ''} {names} ")
        assert f"remove {'them' if len(missing) > 1 else 'it'} from spaces" in message
        # Nothing but the schema was asked: no half-read source.
        assert ops(portal) == ["ReactieveldSchema"]
    finally:
        await conn.aclose()
        portal.stop()


async def test_only_the_configured_space_types_are_read(sleeps):
    portal = serve(OPTIONAL_SPACES)
    portal.start()
    conn = connector(portal, sleeps, spaces=("processes", "conferences"))
    try:
        pages = await read_all(conn)
        assert {r.body_text for p in pages for r in p.responses} == {
            "In het proces",
            "In conferences",
        }
    finally:
        await conn.aclose()
        portal.stop()


def test_unknown_space_type_is_refused_by_the_connector():
    with pytest.raises(ConnectorError, match='unknown space type "rooms"'):
        DecidimConnector("portaal", "http://127.0.0.1:9", spaces=("rooms",))


def _config(tmp_path, spaces: str):
    path = tmp_path / "config.toml"
    path.write_text(
        textwrap.dedent(
            f"""\
            [[sources]]
            name = "portaal"
            type = "decidim"
            url = "https://portaal.example.org"
            spaces = {spaces}
            """
        ),
        encoding="utf-8",
    )
    return path


def test_spaces_in_the_config(tmp_path):
    cfg = load_config(_config(tmp_path, '["processes", "assemblies"]'))
    source = cfg.sources[0]
    assert source.options["spaces"] == ("processes", "assemblies")
    conn = DecidimConnector.from_config(source)
    assert conn.spaces == ("participatoryProcesses", "assemblies")


@pytest.mark.parametrize("value", ['["rooms"]', "[]", '"processes"', '["processes", "processes"]'])
def test_bad_spaces_in_the_config(tmp_path, value):
    path = _config(tmp_path, value)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(
        f'{path}:5: [[sources]] #1 "portaal": key "spaces": expected a list of space types, '
        "some of: processes, assemblies, conferences, initiatives, got"
    )
