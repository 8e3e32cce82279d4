"""``reactieveld rules test`` (issue 16): per rule the stored responses it matches, with
redacted examples; nothing flagged. No rules, or a bad rule: one line, exit 2."""

from __future__ import annotations

import asyncio
from pathlib import Path

from helpers.cli import run_main
from helpers.store import open_store, page, resp

from reactieveld.store.base import QueueFilter

RULE = '[[rules]]\nname = "scheldwoorden"\nwords = ["kanker*"]\naction = "hold"\n'


async def _fill(db: Path) -> None:
    store = await open_store(str(db))
    await store.upsert_page(
        "blog",
        page(
            resp("a", "Wat een kankerlijer, bel 06-12345678", minutes=1),
            resp("b", "Vakankerken is mooi", minutes=2),
            resp("c", "KANKER", minutes=3),
        ),
    )
    await store.close()


async def _flagged(db: Path) -> int:
    store = await open_store(str(db))
    try:
        return await store.count(QueueFilter(flagged=True))
    finally:
        await store.close()


def test_rules_test_counts_and_redacts(tmp_path: Path):
    db = tmp_path / "m.db"
    asyncio.run(_fill(db))
    config = tmp_path / "config.toml"
    config.write_text(RULE, "utf-8")
    code, out, err = run_main(["--config", str(config), "--db", str(db), "rules", "test"])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "scheldwoorden (hold): 2 of 3 stored responses"
    assert "[kankerlijer]" in lines[1] and "06-12345678" not in out
    assert lines[2] == "  - [KANKER]"
    assert asyncio.run(_flagged(db)) == 0


def test_rules_test_without_rules_or_with_a_bad_one(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("", "utf-8")
    code, _, err = run_main(
        ["--config", str(config), "--db", str(tmp_path / "m.db"), "rules", "test"]
    )
    assert code == 2 and "no [[rules]]" in err
    config.write_text(RULE.replace('words = ["kanker*"]', 'pattern = "(x"'), "utf-8")
    code, _, err = run_main(["--config", str(config), "rules", "test"])
    assert code == 2 and f"{config}:3:" in err and "regular expression" in err
