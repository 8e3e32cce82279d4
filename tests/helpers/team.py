"""What the team tests share: a configuration with one Discourse source and the app's
header line (their bounded wait on an app whose engine never settles: helpers.app.until)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes import discourse_source
from fakes.discourse import FakeDiscourse

from helpers.app import screen_text
from reactieveld.config import load_config


def forum_config(tmp_path: Path, forum: FakeDiscourse) -> Any:
    """A configuration with the forum as its one source, polled once an hour."""
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(discourse_source(forum)[0] + "poll_seconds = 3600\n", encoding="utf-8")
    return load_config(cfg)


def header(app: Any) -> str:
    """The app's first line, as on screen."""
    return str(screen_text(app)[0])
