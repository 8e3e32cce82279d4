"""The command line: arguments anywhere, environment variables, exit codes, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import run_process
from hypothesis import example, given
from hypothesis import strategies as st

from reactieveld import __version__
from reactieveld.cli import Context, main

# Never read the developer's own config or store.
pytestmark = pytest.mark.usefixtures("cli_isolated")


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


DEMO = '[[sources]]\nname = "demo"\ntype = "demo"\ncount = 150\n'


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"reactieveld {__version__}"


def test_python_m_reactieveld_is_the_console_script(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m reactieveld`` (a checkout, a venv without the script on PATH) said
    "No module named reactieveld.__main__"; it runs what the console script runs."""
    import runpy

    monkeypatch.setattr(sys, "argv", ["reactieveld", "--version"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("reactieveld", run_name="__main__", alter_sys=False)
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"reactieveld {__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "{cfg}", "--db", "{db}", "sync", "--once"],
        ["sync", "--once", "--config", "{cfg}", "--db", "{db}"],
        ["--config", "{cfg}", "sync", "--db", "{db}", "--once"],
    ],
)
def test_sync_once_with_options_before_or_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    cfg = _config(tmp_path, DEMO)
    db = tmp_path / "memory.db"
    args = [a.format(cfg=cfg, db=db) for a in argv]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0] == "demo: 150 new, 0 updated"
    assert db.exists()
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0] == "demo: 0 new, 0 updated"


def test_environment_sets_config_and_db(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = _config(tmp_path, DEMO)
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(cfg))
    monkeypatch.setenv("REACTIEVELD_DB", str(db))
    assert main(["sync", "--once"]) == 0
    assert "150 new" in capsys.readouterr().out
    assert db.exists()


def test_db_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _config(tmp_path, '[store]\npath = "in-config.db"\n')
    ctx = Context(config_arg=str(cfg), db_arg=None, lang=None)
    assert ctx.db_path == tmp_path / "in-config.db"
    monkeypatch.setenv("REACTIEVELD_DB", str(tmp_path / "env.db"))
    ctx = Context(config_arg=str(cfg), db_arg=None, lang=None)
    assert ctx.db_path == tmp_path / "env.db"
    ctx = Context(config_arg=str(cfg), db_arg=str(tmp_path / "arg.db"), lang=None)
    assert ctx.db_path == tmp_path / "arg.db"
    # The demo keeps a store of its own, whatever the environment says.
    ctx = Context(config_arg=str(cfg), db_arg=None, lang=None, demo=True)
    assert ctx.db_path == tmp_path / "xdg-data" / "reactieveld" / "demo.db"
    assert [s.type for s in ctx.config.sources] == ["demo"]


def test_db_is_worked_out_once_per_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # --db is checked before the command runs, and the command asks for it again (stats:
    # three times): the value is read, and its file looked at, once.
    import reactieveld.cli as cli

    seen: list[str] = []
    real = cli._target

    def counting(value: str, *args: object, **kwargs: object) -> Path | str:
        seen.append(value)
        return real(value, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "_target", counting)
    db = str(tmp_path / "nothing-here.db")
    assert main(["--db", db, "stats", "--config", str(_config(tmp_path, ""))]) == 2
    assert "nothing-here.db" in capsys.readouterr().err
    assert seen == [db]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "url",
    ["postgresql://mod:s3cret@db.example.nl/rv", "postgres://db.example.nl/rv?password=s3cret"],
)
def test_a_password_in_db_is_said_as_store_copy_says_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, url: str
) -> None:
    # The one URL rule of the command line: --db and `store copy --to` say a password in
    # the URL alike, in the reader's language, with where it belongs; never the password.
    from reactieveld.i18n import text

    cfg = str(_config(tmp_path, ""))
    assert main(["--lang", language, "--db", url, "stats", "--config", cfg]) == 2
    err = capsys.readouterr().err
    assert err == f"reactieveld: {text('copy.password_in_url', language, flag='--db')}\n"
    assert "s3cret" not in err


def test_lang_overrides_config(tmp_path: Path) -> None:
    cfg = _config(tmp_path, '[ui]\nlanguage = "nl"\n')
    assert Context(config_arg=str(cfg), db_arg=None, lang="en").config.ui.language == "en"
    assert Context(config_arg=str(cfg), db_arg=None, lang=None).config.ui.language == "nl"


def test_bad_config_is_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = _config(tmp_path, DEMO.replace("count", "cont"))
    assert main(["sync", "--once", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"reactieveld: {cfg}:4: ")
    assert 'key "cont" is not known' in err
    assert "Traceback" not in err


def test_missing_config_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "sync", "--once"]) == 2
    assert "nope.toml" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["directory", "broken link"])
def test_something_not_a_file_at_the_default_config_place_is_said(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder made by mistake as ~/.config/reactieveld/config.toml (or a link to a file
    that is gone) was passed over without a word: the app and every command ran on the
    defaults, as if the moderator's sources, rules and keys were not there."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    place = tmp_path / "xdg" / "reactieveld" / "config.toml"
    place.parent.mkdir(parents=True)
    if kind == "directory":
        place.mkdir()
    else:
        place.symlink_to(tmp_path / "gone.toml")
    assert main(["--demo", "--lang", "en", "stats"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"reactieveld: {place}: config file is a ")
    assert "Traceback" not in captured.err


def test_sync_without_sources_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path, '[ui]\nlanguage = "en"\n')
    assert main(["--config", str(cfg), "sync", "--once"]) == 2
    assert "no [[sources]] configured" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--bogus"], ["sync", "--bogus"], ["--lang", "de"], ["frob"]])
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_sources_lists_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path, DEMO)
    db = tmp_path / "m.db"
    assert main(["sources", "--config", str(cfg), "--db", str(db)]) == 0
    assert "never synced" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]  # nothing made
    main(["sync", "--once", "--config", str(cfg), "--db", str(db)])
    capsys.readouterr()
    assert main(["sources", "--config", str(cfg), "--db", str(db)]) == 0
    assert "last sync:" in capsys.readouterr().out


def test_console_script_runs(tmp_path: Path) -> None:
    """The installed entry point works as a user types it (a real process)."""
    cfg = _config(tmp_path, DEMO)
    proc = run_process(["sync", "--once"], config=cfg, db=tmp_path / "x.db")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("demo: 150 new, 0 updated")


def test_unknown_key_action_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in [keys] must not be ignored silently: exit 2 before the app starts."""
    cfg = _config(tmp_path, '[keys]\naprove = "A"\n')
    assert main(["--config", str(cfg), "--db", str(tmp_path / "m.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"reactieveld: {cfg}:2: [keys]: 'aprove' is not an action")
    assert "approve" in err and "question_1" in err


def test_output_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    """`reactieveld search ... | head` must not end in a traceback."""
    cfg = _config(tmp_path, DEMO.replace("150", "400"))
    env = {**os.environ, "REACTIEVELD_CONFIG": str(cfg), "REACTIEVELD_DB": str(tmp_path / "p.db")}
    run = [sys.executable, "-m", "reactieveld.cli"]
    subprocess.run([*run, "sync", "--once"], env=env, capture_output=True, check=True, timeout=120)
    proc = subprocess.Popen(
        [*run, "search", "gemeente", "--limit", "400"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.read(10)
    proc.stdout.close()  # the reader leaves early, as head does
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err, err.decode()


# -- the app's quick parse (issue 11, item 6) ---------------------------------------------
#: Words a command line is made of: the top level's options (whole, abbreviated, with =),
#: values, subcommands and their options, help and version, and mistakes.
_WORDS = [
    "--db", "--db=x.db", "--config", "--config=c.toml", "--demo", "--lang", "--lang=nl",
    "--lang=", "nl", "en", "xx", "--de", "--dem", "--d", "--c", "--co", "--l", "--h", "-h",
    "--help", "--version", "--v", "--ver", "-", "--", "-x", "--demo=1", "x.db",
    "postgresql://mod@db.example/memory", "sync", "sources", "search", "stats", "export",
    "author-secret", "--once", "--now", "vraag:3",
]  # fmt: skip


def _full_parse(argv: list[str]) -> tuple[str, object]:
    """What the full parser makes of ``argv``: its namespace, or its exit and output."""
    import contextlib
    import io

    from reactieveld.cli import _extend, build_parser

    _extend()
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return "args", vars(build_parser().parse_args(argv))
    except SystemExit as exc:
        return "exit", (exc.code, out.getvalue(), err.getvalue())


@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=6))
@example(["--db", "x.db"])
@example(["--db", "x.db", "sync"])
@example(["--lang", "de"])
@example(["--help"])
# Where argparse reads a word as a value or as an option (cli._app_word follows it).
@example(["--db", "-1"])
@example(["--db", "-.5"])
@example(["--db", "-1e3"])
@example(["--db", "-x y"])
@example(["--db", "-"])
@example(["--db", ""])
@example(["--db="])
@example(["--db=-x"])
@example(["--"])
@example(["--db", "x.db", "--"])
@example(["--db", "--"])
@example(["--la=en"])
@example(["--demo="])
@example(["--d=x"])
@example(["--=x"])
def test_the_apps_quick_parse_is_the_full_parsers(argv: list[str]) -> None:
    # The app's start parses without every subcommand's parser; whatever it answers must
    # be the full parser's answer, and anything else (a subcommand, help, version, an
    # error) is left to the full parser.
    from reactieveld.cli import _app_args, cmd_app

    quick = _app_args(argv)
    kind, full = _full_parse(argv)
    if quick is not None:
        assert (kind, full) == ("args", vars(quick))
    else:
        assert kind == "exit" or full["command"] is not cmd_app


def test_the_quick_parse_takes_a_start_of_the_app() -> None:
    from reactieveld.cli import _app_args, cmd_app

    for argv in (
        [],
        ["--db", "x.db"],
        ["--demo", "--lang", "en"],
        ["--config=c.toml", "--de", "--db", "postgresql://mod@db.example/memory"],
    ):
        args = _app_args(argv)
        assert args is not None and args.command is cmd_app, argv
    assert _app_args(["--db", "x.db", "sources"]) is None
    assert _app_args(["--version"]) is None
