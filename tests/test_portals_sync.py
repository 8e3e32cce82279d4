"""The three portal sources from one config file sync into one SQLite memory.

Config -> sync registry -> connectors -> the fake portals on 127.0.0.1 -> SqliteStore.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import portal_sources
from fakes.decidim import FakeDecidim
from fakes.discourse import FakeDiscourse
from fakes.govocal import FakeGoVocal

from reactieveld.config import load_config
from reactieveld.model import Capability, RemoteStatus
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine


@pytest.fixture
def portals():
    forum, decidim, govocal = FakeDiscourse(), FakeDecidim(), FakeGoVocal()
    with forum, decidim, govocal:
        yield forum, decidim, govocal


async def test_three_portals_one_queue(tmp_path: Path, portals, monkeypatch):
    forum, decidim, govocal = portals
    forum.load_fixture()
    space = decidim.add_space("Omgevingsvisie", "omgevingsvisie")
    comp = decidim.add_component(space, "Proposals")
    item = decidim.add_item(comp, "Meer groen")
    top = decidim.add_comment(comp, item, "Graag bomen")
    decidim.add_comment(comp, item, "Eens", parent=top)
    project = govocal.add_project({"nl-NL": "Centrum"})
    idea = govocal.add_idea(project, {"nl-NL": "Bankjes"})
    user = govocal.add_user("Anna", "de Vries", "anna@example.org")
    govocal.add_comment(idea, user, {"nl-NL": "Ja!"}, "2024-03-01T10:00:00.000Z")

    portals_toml, env = portal_sources(forum, decidim, govocal)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(portals_toml, encoding="utf-8")
    config = load_config(cfg)
    store = await SqliteStore.open(tmp_path / "memory.db")
    engine = SyncEngine.from_config(config, store)
    try:
        results = await engine.sync_all()
        assert all(r.ok for r in results), [r.error for r in results]
        counts = await store.counts()
        assert dict(counts.by_source) == {"forum": 3, "portaal": 2, "participatie": 1}

        caps = {name: c.capabilities for name, c in engine.connectors.items()}
        assert caps["forum"] >= {Capability.APPROVE, Capability.REPLY}
        assert caps["portaal"] == {Capability.REPLY}
        assert caps["participatie"] == frozenset()

        # A second round adds nothing; a comment hidden on Decidim is marked hidden.
        results = await engine.sync_all()
        assert sum(r.new for r in results) == 0
        decidim.hide(top)  # hides its reply with it (not reachable any more)
        await engine.sync_all()
        row = await store.get_by_external("portaal", top)
        assert row is not None and row.response.remote_status is RemoteStatus.HIDDEN
        assert (await store.counts()).total == 6  # remembered, not forgotten
    finally:
        await engine.aclose()
        await store.close()
