"""A mistake in the configuration that ``reactieveld sync`` finds after the config was
read (a webhook sink's ``secret_env`` or ``[store] author_secret_env`` naming an unset
variable) is said in one line, once, in the config's language, and the sync ends with
exit code 2 (README, Language): running on as with ``--once``, nothing after it (no round
of a source that was still running when the memory closed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli import run_main

from reactieveld.config import ConfigError, load_config
from reactieveld.i18n import text
from reactieveld.sinks import build_sinks

pytestmark = pytest.mark.usefixtures("cli_isolated")

DEMO = '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 30\n'


def _sinks(n: int) -> str:
    return "".join(
        f'[[sinks]]\ntype = "webhook"\nurl = "http://127.0.0.{i + 1}:9/"\n'
        f'secret_env = "RV_TEST_UNSET_{i}"\n'
        for i in range(n)
    )


def _store(n: int) -> str:
    return '[store]\nauthor_secret_env = "RV_TEST_UNSET_0"\n' if n else ""


#: (what is wrong, the config's blocks) for a number of such mistakes.
BROKEN = {"sink": _sinks, "store secret": _store}


@pytest.mark.parametrize("once", [True, False], ids=["once", "running"])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind,n", [("sink", 1), ("sink", 2), ("store secret", 1)])
def test_a_config_mistake_found_by_sync_is_one_line_once(
    kind: str, n: int, language: str, once: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(n):
        monkeypatch.delenv(f"RV_TEST_UNSET_{i}", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(f'[ui]\nlanguage = "{language}"\n{BROKEN[kind](n)}{DEMO}', encoding="utf-8")
    loaded = load_config(config)
    with pytest.raises(ConfigError) as raised:  # what is wrong: the first mistake
        if kind == "sink":
            build_sinks(loaded)
        else:
            loaded.store.author_secret()
    said = f"reactieveld: {raised.value.said(language)}"
    argv = ["--config", str(config), "--db", str(tmp_path / "m.db"), "sync"]
    code, out, err = run_main(argv + (["--once"] if once else []))
    assert code == 2, (out, err)
    # The memory the sync made at the --db path is said once at the end (h/startup):
    # not part of the config's line.
    made = (
        f"reactieveld: {text('cli.db.new_memory', language, path=tmp_path / 'm.db', flag='--db')}"
    )
    lines = [line for line in (out + err).splitlines() if line != made]
    assert lines.count(said) == 1, lines
    # Nothing after it: the sync stopped there (a round said before it is fine).
    assert lines[-1] == said, lines
    assert not any("error" in line or "fout" in line for line in lines[:-1]), lines
