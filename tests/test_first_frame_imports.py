"""What ``reactieveld`` imports before its first frame (issue 11, item 6).

Every module imported at start costs the moderator time before the queue shows; the read
side (dashboard figures, search, report records, memory sinks) is not needed for it. These
checks run a fresh interpreter, as the app starts in one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

#: What ``reactieveld --db STORE`` imports before its first frame: the command line (with
#: the subcommands it registers), the app, the store and the saved language.
START = [
    "reactieveld.cli",
    "reactieveld.cli_read",
    "reactieveld.tui.app",
    "reactieveld.store.sqlite",
    "reactieveld.state",
]
#: The read side: imported when it is used, never at start.
READ_SIDE = [
    "reactieveld.store.values",
    "reactieveld.store.figures",
    "reactieveld.store.records",
    "reactieveld.store.search",
    "reactieveld.store.sinks",
    "reactieveld.read.figures",
    "reactieveld.read.records",
    "reactieveld.read.search",
    "reactieveld.sinks",
]
#: What only a moderator's action, a sync, a subcommand or another screen needs: imported
#: when it is used, never at start (the store imports its actions, ingest and write-back
#: modules at their first use: store/sqlite.py ``_Later``).
NOT_AT_START = [
    "reactieveld.model_values",
    "reactieveld.rule_match",
    "reactieveld.store.actions",
    "reactieveld.store.ingest",
    "reactieveld.store.writeback",
    # What only a failure or a wrong [keys] table makes (failures.py, keys.py name them).
    "reactieveld.problems",
    "reactieveld.sync",
    "reactieveld.fetchproc",
    "reactieveld.outbox",
    "reactieveld.connectors.base",
    "reactieveld.connectors.http",
    "reactieveld.reports.formats",
    "reactieveld.demo_history",
    "reactieveld.tui.screens.dashboard",
    "reactieveld.tui.screens.export",
    "reactieveld.tui.screens.search",
    "reactieveld.tui.screens.thread",
    "reactieveld.tui.screens.settings",
    "reactieveld.tui.screens.role_picker",
    # Mounted after the first frame with rows (TriageScreen._mount_the_rest).
    "reactieveld.tui.widgets.footer",
    "reactieveld.tui.widgets.response_view",
    "reactieveld.tui.widgets.tag_bar",
    # The search box's and the export dialog's text field.
    "reactieveld.tui.widgets.fields",
]


def _loaded_after(modules: list[str], then: str = "") -> list[str]:
    """The ``reactieveld`` modules a fresh interpreter has loaded after importing
    ``modules`` (and running ``then``)."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"{then}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('reactieveld'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(out.stdout)


def test_the_start_does_not_import_the_read_side():
    loaded = _loaded_after(START)
    assert "reactieveld.tui.app" in loaded
    assert [m for m in READ_SIDE if m in loaded] == []


def test_the_start_does_not_import_what_only_actions_syncs_and_other_screens_need():
    loaded = _loaded_after(START)
    assert [m for m in NOT_AT_START if m in loaded] == []
    # Nor the HTTP client of the connectors and the sinks.
    then = "assert 'httpx' not in sys.modules, 'httpx'"
    _loaded_after(START, then)


def test_the_start_of_the_app_parses_its_options_without_argparse():
    # The full parser (argparse, every subcommand's module: cli_read registers some) is
    # for everything but a start of the app (cli._app_args).
    then = (
        "from reactieveld.cli import _app_args\n"
        "assert _app_args(['--db', 'm.db', '--lang', 'en']).db == 'm.db'\n"
        "assert 'argparse' not in sys.modules, 'argparse'"
    )
    start = [m for m in START if m != "reactieveld.cli_read"]
    assert "reactieveld.cli_read" not in _loaded_after(start, then)


def test_the_full_command_line_still_parses_with_argparse():
    then = (
        "from reactieveld.cli import _app_args, _extend, build_parser\n"
        "assert _app_args(['sources']) is None\n"
        "_extend()\n"
        "assert build_parser().parse_args(['sources']).command.__name__ == 'cmd_sources'\n"
        "assert 'argparse' in sys.modules"
    )
    _loaded_after(["reactieveld.cli"], then)


def test_the_store_imports_its_actions_at_their_first_use(tmp_path):
    # The store works as before: an action loads store/actions.py (and its value types).
    then = (
        "import asyncio\n"
        "from reactieveld.store.sqlite import SqliteStore\n"
        "async def act():\n"
        f"    store = await SqliteStore.open({str(tmp_path / 'm.db')!r})\n"
        "    try:\n"
        "        assert 'reactieveld.store.actions' not in sys.modules\n"
        "        outcome = await store.undo_last(actor='tester')\n"
        "        assert type(outcome).__name__ == 'ActionOutcome', outcome\n"
        "    finally:\n"
        "        await store.close()\n"
        "asyncio.run(act())"
    )
    loaded = _loaded_after(["reactieveld.store.sqlite"], then)
    assert "reactieveld.store.actions" in loaded and "reactieveld.store.values" in loaded


def test_the_check_can_fail_the_read_side_loads_its_value_types():
    loaded = _loaded_after(START + ["reactieveld.read.figures"])
    assert "reactieveld.store.values" in loaded


def test_the_read_side_values_are_still_importable_from_store_base():
    # Moved to store/values.py; base.py names them lazily (PEP 562), the same classes.
    then = (
        "from reactieveld.store import base, values\n"
        "from reactieveld.store.base import FigureQuery, PastWork, SinkDelivery\n"
        "from reactieveld.store.base import ActionOutcome, SourceState, UpsertResult\n"
        "from reactieveld.store.base import Counts\n"
        "assert Counts is values.Counts\n"
        "assert PastWork is values.PastWork and FigureQuery is values.FigureQuery\n"
        "assert SinkDelivery is values.SinkDelivery\n"
        "assert ActionOutcome is values.ActionOutcome and SourceState is values.SourceState\n"
        "assert UpsertResult is values.UpsertResult\n"
        "try:\n"
        "    base.NoSuchName\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('base.NoSuchName did not raise')"
    )
    assert "reactieveld.store.values" in _loaded_after(["reactieveld.store.base"], then)


def test_the_model_still_names_its_later_value_types():
    # In model_values.py; model.py names them lazily (PEP 562), the same classes.
    then = (
        "from reactieveld import model, model_values\n"
        "from reactieveld.model import Action, JournalEntry, Note, Source, Tag, Thread\n"
        "from reactieveld.model import DecisionReason, OutboxItem\n"
        "assert Tag is model_values.Tag and Action is model_values.Action\n"
        "assert model.Thread is model_values.Thread\n"
        "assert Tag(model.TagKind.ROLE, 'burger').kind is model.TagKind.ROLE\n"
        "try:\n"
        "    model.NoSuchName\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('model.NoSuchName did not raise')"
    )
    assert "reactieveld.model_values" in _loaded_after(["reactieveld.model"], then)


def test_the_console_script_loads_the_command_line_with_the_collector_off():
    # The collector off while cli's modules load (entry.py), on again before a command
    # runs: an import hook notes the collector's state when reactieveld.cli is found.
    then = (
        "import gc\n"
        "states = []\n"
        "class Note:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'reactieveld.cli':\n"
        "            states.append(gc.isenabled())\n"
        "sys.meta_path.insert(0, Note())\n"
        "sys.argv = ['reactieveld', '--version']\n"
        "import contextlib, io\n"
        "try:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        entry.main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "assert states == [False], states\n"
        "assert gc.isenabled()\n"
        "# What loading made is frozen: the collector's first run does not walk it.\n"
        "assert gc.get_freeze_count() > 10000, gc.get_freeze_count()"
    )
    loaded = _loaded_after(
        ["reactieveld.entry"], "entry = sys.modules['reactieveld.entry']\n" + then
    )
    assert "reactieveld.cli" in loaded
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text())["project"]["scripts"]
    assert scripts["reactieveld"] == "reactieveld.entry:main"


def test_a_failure_and_a_wrong_keymap_load_their_value_types_when_made():
    # A right [keys] table is checked at every start without them; a wrong one, and a
    # round's failure, make them from problems.py: the same classes as keys.py and
    # failures.py name.
    then = (
        "from reactieveld import failures, keys\n"
        "from reactieveld.codebook import DEFAULT_CODEBOOK\n"
        "assert keys.keymap_problem({'approve': 'a'}, DEFAULT_CODEBOOK) is None\n"
        "assert 'reactieveld.problems' not in sys.modules\n"
        "problem = keys.keymap_problem({'approve': 'r'}, DEFAULT_CODEBOOK)\n"
        "from reactieveld import problems\n"
        "assert type(problem) is problems.KeyProblem is keys.KeyProblem, problem\n"
        "assert problem.action == 'approve' and 'r' in problem.message, problem\n"
        "got = failures.failure(OSError('disk full'))\n"
        "assert type(got) is problems.Failure is failures.Failure, got\n"
        "assert got.message == 'unexpected OSError: disk full' and not got.expected, got\n"
        "for module in (keys, failures):\n"
        "    try:\n"
        "        module.NoSuchName\n"
        "    except AttributeError:\n"
        "        pass\n"
        "    else:\n"
        "        raise SystemExit(f'{module.__name__}.NoSuchName did not raise')"
    )
    assert "reactieveld.problems" in _loaded_after(["reactieveld.keys"], then)


def test_the_app_s_messages_are_events_told_apart_as_textual_s_own():
    # Two messages with the same fields are two events (hashable by identity, as
    # Textual's own messages): no comparison method is made for them at start.
    import dataclasses

    from textual.message import Message

    from reactieveld.tui import messages

    kinds = [
        k
        for k in vars(messages).values()
        if isinstance(k, type)
        and issubclass(k, Message)
        and k.__module__ == messages.__name__
        and dataclasses.is_dataclass(k)
    ]
    assert len(kinds) >= 7
    for kind in kinds:
        fields = {f.name: () for f in dataclasses.fields(kind)}
        if kind is messages.CursorMoved:
            fields = {"row": None}
        if kind is messages.QueueChanged:
            fields = {"total": 3}
        if kind is messages.CountsUpdated:
            fields = {"counts": None}
        one, two = kind(**fields), kind(**fields)
        assert one != two and len({one, two}) == 2, kind
    assert "row=None" in repr(messages.CursorMoved(None))  # the dataclass's own repr


def test_the_tab_counts_load_their_value_types_when_counted(tmp_path):
    # Counts (store/values.py) is made when the counts are read, after the first frame.
    then = (
        "import asyncio\n"
        "from reactieveld.store.base import QueueFilter\n"
        "from reactieveld.store.sqlite import SqliteStore\n"
        "async def count():\n"
        f"    store = await SqliteStore.open({str(tmp_path / 'm.db')!r})\n"
        "    try:\n"
        "        await store.queue(QueueFilter())  # the first rows: no counts yet\n"
        "        assert 'reactieveld.store.values' not in sys.modules\n"
        "        counts = await store.counts()\n"
        "        from reactieveld.store import base, values\n"
        "        assert type(counts) is values.Counts is base.Counts, type(counts)\n"
        "    finally:\n"
        "        await store.close()\n"
        "asyncio.run(count())"
    )
    assert "reactieveld.store.values" in _loaded_after(["reactieveld.store.sqlite"], then)


async def test_the_first_rows_of_a_memory_with_claims_load_no_later_values(tmp_path):
    # A row someone has open carries a Claim, made as the first rows are read: it must not
    # load store/values.py then (~20 dataclasses, ~15 ms before the first frame of a team's
    # memory, or of one whose app was killed with a response open).
    from helpers.data import sample_store

    from reactieveld.store.base import QueueFilter

    store = await sample_store(tmp_path / "m.db")
    first = (await store.queue(QueueFilter()))[0]
    await store.claim(first.response.id, actor="other", minutes=5)
    await store.close()
    then = (
        "import asyncio\n"
        "from reactieveld.store.base import Claim, QueueFilter\n"
        "from reactieveld.store.sqlite import SqliteStore\n"
        "async def read():\n"
        f"    store = await SqliteStore.open({str(tmp_path / 'm.db')!r})\n"
        "    try:\n"
        "        rows = await store.queue(QueueFilter())\n"
        "        assert type(rows[0].claim) is Claim and rows[0].claim.actor == 'other'\n"
        "        assert 'reactieveld.store.values' not in sys.modules\n"
        "    finally:\n"
        "        await store.close()\n"
        "asyncio.run(read())"
    )
    assert "reactieveld.store.values" not in _loaded_after(["reactieveld.store.sqlite"], then)


def test_rules_load_their_types_when_configured(tmp_path):
    # A config without rules (the start above) compiles none and scans nothing; one with
    # them makes them from rule_match.py, the same classes as rules.py names.
    plain = tmp_path / "plain.toml"
    plain.write_text('[ui]\nlanguage = "nl"\n', encoding="utf-8")
    full = tmp_path / "full.toml"
    full.write_text(
        '[[sources]]\nname = "d"\ntype = "demo"\n\n'
        '[[sinks]]\ntype = "jsonl"\npath = "s.jsonl"\n\n'
        '[[rules]]\nname = "r"\nwords = ["kanker*"]\naction = "flag"\n',
        encoding="utf-8",
    )
    then = (
        "from pathlib import Path\n"
        "from reactieveld.config import load_config\n"
        f"config = load_config(Path({str(plain)!r}))\n"
        "assert config.rules.spans('kanker') == [] and not config.sources\n"
        "assert 'reactieveld.rule_match' not in sys.modules\n"
        f"config = load_config(Path({str(full)!r}))\n"
        "from reactieveld import rule_match as m, rule_text as t, rules\n"
        "assert type(config.rules.rules[0]) is m.Rule is rules.Rule\n"
        "assert rules.fold is t.fold and rules.RuleError is t.RuleError\n"
        "assert rules.Hit is m.Hit and rules.Scan is m.Scan\n"
        "assert config.rules.spans('kankerlijer') == [(0, 11)]\n"
        "# A page's matches (the rule_flags rows to add) are store values, made as a page\n"
        "# is stored: store.screening is imported at start, its Match is not.\n"
        "assert 'reactieveld.store.values' not in sys.modules\n"
        "from reactieveld.store.screening import screen\n"
        "matches, slow = screen([(7, 'kanker op', None)], config.rules)\n"
        "from reactieveld.store import values\n"
        "assert type(matches[0]) is values.Match and matches[0].response_id == 7, matches\n"
        "try:\n"
        "    rules.NoSuchName\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('rules.NoSuchName did not raise')"
    )
    assert "reactieveld.rule_match" in _loaded_after(["reactieveld.config"], then)


#: Runs ``reactieveld`` as the console script does, headless, to its first frame with
#: rows, and writes what was loaded then (``--loaded``).
FIRST_ROWS = Path(__file__).resolve().parents[1] / "bench" / "first_rows.py"


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_app_started_as_a_moderator_starts_it_loads_no_later_module_before_its_first_rows(
    tmp_path, tui_env, monkeypatch, language
):
    # The checks above import the start's modules; this one runs the start itself, which
    # imports more as it goes (cli.main, run_app, the screen's mount): what it loads
    # before the first rows are on screen costs the moderator time before the queue shows.
    from helpers.data import sample_store

    store = await sample_store(tmp_path / "m.db")
    await store.close()
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    out = tmp_path / "loaded.json"
    argv = ["--loaded", str(out), "--db", str(tmp_path / "m.db"), "--lang", language]
    done = subprocess.run(
        [sys.executable, str(FIRST_ROWS), *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["row"], "the first frame had no rows"
    loaded = set(got["modules"])
    assert "reactieveld.tui.screens.triage" in loaded and "reactieveld.cli" in loaded
    assert [m for m in READ_SIDE + NOT_AT_START if m in loaded] == []
    # Nor the connectors' HTTP client (and what it imports: click, pygments, email ...).
    assert [m for m in ("httpx", "httpcore", "argparse") if m in loaded] == []
    # A platform's stored errors are read back through compiled patterns at their first
    # use (i18n.in_language), not at start.
    assert got["templates"] == 0
    # Each dataclass made at import costs ~3 M instructions (~0.5 ms) before the queue
    # shows: the store's live cursor is made as it opens, the notes of what it committed
    # (store/live.py's Ledger) only where another store of the process hears it not.
    made = got["dataclasses"]
    assert "reactieveld.store.base.QueueRow" in made  # the check can see them
    live = [d for d in made if d.startswith("reactieveld.store.live.")]
    assert live == ["reactieveld.store.live.LiveCursor"]
