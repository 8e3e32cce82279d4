"""A memory path a user wrote (--db, REACTIEVELD_DB, [store] path, store copy --to) in a
folder that is not there is refused before anything is made; a command that made a new
memory at such a path says so once; the default memory's folders are made as ever."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import reactieveld.tui.app as tui_app
from reactieveld.cli import main
from reactieveld.i18n import text

pytestmark = pytest.mark.usefixtures("cli_isolated")

DEMO = '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 20\n'


def _tree(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}


def _fake_app(calls: list[Any]) -> Callable[..., int]:
    def run_app(config: Any, db_path: Any, **kw: Any) -> int:
        calls.append(db_path)
        return 0

    return run_app


#: Where a mistyped memory path points: a missing folder 1..3 deep, absolute, relative
#: or under ~; or a file where a folder should be (at depth 1..3).
BAD = [
    *(("missing", depth, form) for depth in (1, 2, 3) for form in ("abs", "rel", "home")),
    *(("file", depth, "abs") for depth in (1, 2, 3)),
]


def _bad_path(root: Path, kind: str, depth: int, form: str) -> tuple[str, Path]:
    """The path as typed, and the folder the refusal must name."""
    parts = [f"typo{i}" for i in range(depth)]
    if kind == "file":
        (root / "work" / "notes.txt").write_text("x", encoding="utf-8")
        parts = ["notes.txt", *parts[1:]]
    rel = Path("work", *parts, "memory.db")
    named = rel.parent if kind == "missing" else Path("work", "notes.txt")
    if form == "abs":
        return str(root / rel), root / named
    if form == "rel":
        return str(rel), named
    return str(Path("~") / rel), root / named  # HOME is root


#: Each kind of command that makes a memory when it is not there.
WRITERS = {
    "app": ["--db", "{db}"],
    "sync": ["sync", "--once", "--db", "{db}"],
    "demo": ["--demo", "stats", "--db", "{db}"],
    "demo-app": ["--demo", "--db", "{db}"],
}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    (root / "work").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(("kind", "depth", "form"), BAD)
def test_a_typo_in_the_path_makes_no_memory(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    depth: int,
    form: str,
) -> None:
    typed, folder = _bad_path(home, kind, depth, form)
    path = Path(typed).expanduser()
    config = home / "config.toml"
    config.write_text(DEMO, encoding="utf-8")
    calls: list[Any] = []
    monkeypatch.setattr(tui_app, "run_app", _fake_app(calls))
    before = _tree(home)
    for language in ("nl", "en"):
        if kind == "missing":
            said = text("cli.db.no_folder", language, flag="--db", path=path, folder=folder)
        else:
            said = text("cli.db.not_folder", language, flag="--db", path=path, file=folder)
        for command, words in WRITERS.items():
            argv = [w.format(db=typed) for w in words]
            code = main(["--lang", language, "--config", str(config), *argv])
            assert (code, capsys.readouterr().err) == (2, f"reactieveld: {said}\n"), command
            assert _tree(home) == before  # no folder, no file
    assert calls == []  # the app never started


@pytest.mark.parametrize("where", ["env", "config"])
def test_other_ways_of_naming_the_path_are_held_alike(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    config = home / "config.toml"
    body = DEMO
    if where == "env":
        monkeypatch.setenv("REACTIEVELD_DB", str(home / "work" / "typo" / "m.db"))
        flag = "REACTIEVELD_DB"
    else:
        body = '[store]\npath = "work/typo/m.db"\n' + DEMO
        flag = "[store] path"
    config.write_text(body, encoding="utf-8")
    before = _tree(home)
    assert main(["--lang", "en", "--config", str(config), "sync", "--once"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"reactieveld: {flag} ") and "typo does not exist" in err
    assert _tree(home) == before


#: The commands that only read: none makes a memory, in a missing folder or not.
READERS = [
    ["stats"],
    ["search", "park"],
    ["export", "--format", "csv"],
    ["agreement"],
    ["author-secret"],
    ["sources"],
    ["store", "copy", "--to", "{out}"],
]


@pytest.mark.parametrize("missing", ["folder", "file"])
def test_a_command_that_reads_makes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], missing: str
) -> None:
    config = home / "config.toml"
    config.write_text(DEMO, encoding="utf-8")
    db = home / "work" / ("typo/m.db" if missing == "folder" else "m.db")
    before = _tree(home)
    for argv in READERS:
        args = [w.format(out=home / "work" / "copy.db") for w in argv]
        code = main(["--lang", "en", "--config", str(config), "--db", str(db), *args])
        err = capsys.readouterr().err
        if argv[0] == "sources":
            assert code == 0  # each source "never synced"
        else:
            assert code == 2, argv
            assert f"no memory store at {db}" in err
        assert _tree(home) == before


@pytest.mark.parametrize(("form", "language"), [("abs", "nl"), ("rel", "en"), ("home", "nl")])
def test_a_new_memory_at_a_typed_path_is_said_once(
    home: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    form: str,
) -> None:
    config = home / "config.toml"
    config.write_text(DEMO, encoding="utf-8")
    typed = {"abs": str(home / "work" / "m.db"), "rel": "work/m.db", "home": "~/work/m.db"}[form]
    path = Path(typed).expanduser()
    argv = ["--lang", language, "--config", str(config), "sync", "--once", "--db", typed]
    assert main(argv) == 0
    said = text("cli.db.new_memory", language, path=path, flag="--db")
    assert capsys.readouterr().err == f"reactieveld: {said}\n"
    assert (home / "work" / "m.db").exists()
    assert main(argv) == 0
    assert capsys.readouterr().err == ""  # once: the second run finds it


def test_store_copy_to_a_missing_folder_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = home / "config.toml"
    config.write_text(DEMO, encoding="utf-8")
    db = home / "work" / "m.db"
    base = ["--lang", "en", "--config", str(config), "--db", str(db)]
    assert main([*base, "sync", "--once"]) == 0
    capsys.readouterr()
    before = _tree(home)
    to = home / "work" / "typo" / "copy.db"
    assert main([*base, "store", "copy", "--to", str(to)]) == 2
    err = capsys.readouterr().err
    said = text("cli.db.no_folder", "en", flag="--to", path=to, folder=to.parent)
    assert err == f"reactieveld: {said}\n"
    assert _tree(home) == before
    to = home / "work" / "copy.db"
    assert main([*base, "store", "copy", "--to", str(to)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and f"copied into {to}:" in out  # what a copy says already


def test_the_default_memory_is_made_with_its_folders_without_a_word(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "deep" / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    config = home / "config.toml"
    config.write_text(DEMO, encoding="utf-8")
    assert main(["--config", str(config), "sync", "--once"]) == 0
    assert capsys.readouterr().err == ""
    assert (data / "reactieveld" / "memory.db").exists()
    assert os.stat(data / "reactieveld").st_mode & 0o777 == 0o700
