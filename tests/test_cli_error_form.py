"""Every error line of the command line has one form, ``reactieveld: `` and what is wrong,
whichever subcommand said it (they began ``reactieveld stats: ``, ``reactieveld: search: ``,
``reactieveld store copy: `` and ``reactieveld: ``). Generated over every subcommand the
parser knows (a new one is covered without a word here), a bad date and a missing file."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from helpers.cli import every_parser, run_main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld import cli
from reactieveld.store.open import open_store

#: What a subcommand needs besides the flag under test to reach its own checks.
NEEDS = {
    "search": ["boom"],
    "export": ["--format", "csv"],
    "rules": ["test"],
    "store copy": ["--to", "{dir}/copy.db"],
}

#: Subcommands that run without a memory (a new one, none): their missing file is the config.
WITHOUT_MEMORY = {"sync", "sources"}

cli._extend()  # the subcommands of cli_read and cli_store, as main() adds them
_PARSERS = [(" ".join(words), p) for words, p in every_parser(cli.build_parser("en")) if words]
#: Every subcommand that runs (not a group such as ``store``).
COMMANDS = sorted(name for name, p in _PARSERS if p.get_default("command") is not None)
DATED = sorted(name for name, p in _PARSERS if "--since" in p._option_string_actions)

_bad_dates = st.one_of(
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=8),
    st.builds("2026-{:02d}-{:02d}".format, st.integers(13, 99), st.integers(1, 31)),
)


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with an (empty) memory and an empty config; the environment left alone."""
    folder = tmp_path_factory.mktemp("errors")

    async def make() -> None:
        store = await open_store(str(folder / "m.db"))
        await store.close()

    asyncio.run(make())
    (folder / "c.toml").write_text("", encoding="utf-8")
    return folder


def _run(place: Path, language: str, command: str, *argv: str, db: str, config: str) -> str:
    needs = [word.format(dir=place) for word in NEEDS.get(command, [])]
    words = ["--lang", language, "--config", config, "--db", db, *command.split()]
    saved = {k: os.environ.pop(k, None) for k in ("REACTIEVELD_CONFIG", "REACTIEVELD_DB")}
    try:
        code, out, err = run_main([*words, *argv, *needs])
    finally:
        os.environ.update({k: v for k, v in saved.items() if v is not None})
    assert (code, out) == (2, ""), (command, argv, out, err)
    return err


def _one_form(err: str, command: str) -> None:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("reactieveld: "), err
    for word in command.split():  # the subcommand is not a second prefix
        assert not err.startswith(f"reactieveld: {word}: "), err


def test_every_subcommand_is_covered() -> None:
    assert {"search", "export", "stats", "agreement", "store copy", "sync"} <= set(COMMANDS)
    assert {"export", "stats", "agreement"} <= set(DATED)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(DATED),
    flag=st.sampled_from(["--since", "--until"]),
    bad=_bad_dates,
    language=st.sampled_from(["nl", "en"]),
)
def test_a_bad_date_is_said_in_the_one_form(
    place: Path, command: str, flag: str, bad: str, language: str
) -> None:
    err = _run(
        place, language, command, flag, bad, db=str(place / "m.db"), config=str(place / "c.toml")
    )
    _one_form(err, command)
    assert bad in err


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(COMMANDS),
    missing=st.sampled_from(["config", "db"]),
    name=st.text(st.sampled_from("abcxyz-_"), min_size=1, max_size=6),
    language=st.sampled_from(["nl", "en"]),
)
def test_a_missing_file_is_said_in_the_one_form(
    place: Path, command: str, missing: str, name: str, language: str
) -> None:
    if missing == "db" and command in WITHOUT_MEMORY:
        missing = "config"
    gone = str(place / f"gone-{name}.{'toml' if missing == 'config' else 'db'}")
    config = gone if missing == "config" else str(place / "c.toml")
    db = gone if missing == "db" else str(place / "m.db")
    err = _run(place, language, command, db=db, config=config)
    _one_form(err, command)
    if not (command == "rules" and missing == "db"):  # rules first says it has no rules
        assert gone in err
    assert not Path(gone).exists()
