"""The lived-in demo on screen: the dashboard of the default demo, as a newcomer sees it
one key (``D``) after ``reactieveld --demo`` opens."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers.dashboard import SIZE, Host, wait_loaded

from reactieveld.cli import demo_source, seed_demo
from reactieveld.config import load_config
from reactieveld.connectors.demo import ANCHOR
from reactieveld.read.figures import period_of

pytestmark = pytest.mark.usefixtures("utc")  # local times in UTC, for the snapshot


def test_snapshot_dashboard_of_the_default_demo(snap_compare, tmp_path) -> None:
    config = replace(load_config(None), sources=(demo_source(anchor=ANCHOR.isoformat()),))
    seed_demo(config, tmp_path / "demo.db")

    async def run_before(pilot) -> None:
        await wait_loaded(pilot)

    # The first run's period: the last 30 days ending on the day the demo was seeded.
    host = Host(tmp_path / "demo.db", period=period_of(today=ANCHOR.date()))
    assert snap_compare(host, run_before=run_before, terminal_size=SIZE)
