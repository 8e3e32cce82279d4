"""What the app remembers between sessions that is not configuration: for now the interface
language chosen with ``f2``.

A small JSON file in the XDG state dir (``$XDG_STATE_HOME/reactieveld/state.json``, or
``REACTIEVELD_STATE`` naming the file), readable by its owner only. It is never the
config file: that one is the moderator's own text, and the app does not rewrite it.

Precedence of the language: ``--lang``, then ``[ui] language`` in the config file, then
the choice saved here, then the locale. A choice made with ``f2`` while ``--lang`` or
``[ui] language`` decides is for that session only (the settings screen says so).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

ENV_STATE = "REACTIEVELD_STATE"


def state_path(environ: Mapping[str, str] = os.environ) -> Path:
    """``REACTIEVELD_STATE`` if set, else ``state.json`` in the XDG state dir."""
    named = environ.get(ENV_STATE)
    if named:
        return Path(named).expanduser()
    return platformdirs.user_state_path("reactieveld") / "state.json"


def read_state(path: Path) -> dict[str, Any]:
    """The saved values; ``{}`` when there is no file or it is not ours to read (a
    damaged or foreign file only loses the remembered choice, it never stops the app)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_language(path: Path) -> str | None:
    """The language saved with ``f2``, if it is one the app has."""
    value = read_state(path).get("language")
    return value if value in ("nl", "en") else None


def start_language(language: str, fixed_by: str | None, path: Path) -> str:
    """The language to start in: ``language`` when ``--lang`` or ``[ui] language`` gave
    it (``fixed_by``), else the one saved with f2, else ``language`` (the locale's)."""
    if fixed_by:
        return language
    return saved_language(path) or language


def save_state(path: Path, **values: Any) -> None:
    """Merge ``values`` into the state file: written whole to a temporary file (0600)
    beside it and moved over it, so a crash never leaves half a file. Raises OSError."""
    data = {**read_state(path), **values}
    write_private(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by its owner only: into a
    temporary file (0600) in the same folder (made 0700 if missing), flushed to the disk
    (fsync), then moved over ``path`` (a crash or a power cut leaves the old file or the
    new one, never half of one). Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the move itself on the disk (not on every system)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
