"""``[keys]``: a remap onto a key another action still has is an error naming both, the
key, the file and the line; a swap is fine; keys that cannot be remapped cannot be taken;
every command finds it (issue 11, section 4). The pairs are generated from the app's own
list of actions, so a new action is covered without a new test."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest
from helpers.cli import run_process
from hypothesis import given, settings
from hypothesis import strategies as st
from textual._keyboard_protocol import FUNCTIONAL_KEYS
from textual.keys import Keys, _character_to_key

from reactieveld.cli import main
from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.config import ConfigError, load_config
from reactieveld.keys import (
    DASHBOARD_FIXED,
    DASHBOARD_SCOPE,
    FIXED_KEYS,
    MODIFIERS,
    NAMED_KEYS,
    THREAD_KEYS,
    THREAD_SCOPE,
    keymap_problem,
    known_key,
    normalize_key,
    remappable,
    split_keys,
)

DEFAULTS = remappable(DEFAULT_CODEBOOK)


def _toml(keys: dict[str, str]) -> str:
    lines = ["# the moderator's keys", "[keys]"]
    lines += [f'{action} = "{key}"' for action, key in keys.items()]
    return "\n".join(lines) + "\n"


def _error(tmp_path: Path, keys: dict[str, str]) -> ConfigError | None:
    path = tmp_path / "config.toml"
    path.write_text(_toml(keys), encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        return exc
    return None


def test_the_issue_example_names_both_actions_the_key_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nlanguage = "nl"\n\n[keys]\napprove = "d"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f'{path}:5: [keys]: key "d" of "approve" is already the key of "trash"; '
        'remap "trash" too, or choose another key'
    )


def test_the_defaults_share_no_key() -> None:
    assert keymap_problem({}, DEFAULT_CODEBOOK) is None


def test_every_remap_onto_another_actions_key_is_an_error(tmp_path: Path) -> None:
    """For every ordered pair (a, b): a = b's first default key fails, naming a, b, the
    key and the line of a's entry (line 3: after the comment and the header)."""
    checked = 0
    for a, b in itertools.permutations(DEFAULTS, 2):
        key = split_keys(DEFAULTS[b])[0]
        if key in split_keys(DEFAULTS[a]):
            continue
        exc = _error(tmp_path, {a: key})
        assert exc is not None, (a, b, key)
        assert exc.line == 3, (a, b)
        message = str(exc)
        assert f'"{a}"' in message and f'"{b}"' in message and f'"{key}"' in message, message
        checked += 1
    assert checked > 900  # ~32 actions: every pair was tried


def _screen_clash(a: str, keys: str) -> str:
    """The screen whose own keys ``keys`` of ``a`` take ("": none)."""
    for scope, own, name in (
        (THREAD_SCOPE, THREAD_KEYS, "thread screen"),
        (DASHBOARD_SCOPE, DASHBOARD_FIXED, "dashboard"),
    ):
        if a in scope and any(k in own for k in split_keys(keys)):
            return name
    return ""


def test_every_swap_is_accepted_unless_a_screen_needs_the_key(tmp_path: Path) -> None:
    for a, b in itertools.combinations(DEFAULTS, 2):
        keys = {a: DEFAULTS[b], b: DEFAULTS[a]}
        exc = _error(tmp_path, keys)
        screen = _screen_clash(a, DEFAULTS[b]) or _screen_clash(b, DEFAULTS[a])
        if screen:
            # e.g. down = "enter": on the thread screen enter opens the response.
            assert exc is not None and screen in str(exc), (a, b)
        else:
            assert exc is None, (a, b, str(exc))


def test_a_key_given_to_two_actions_blames_the_second(tmp_path: Path) -> None:
    exc = _error(tmp_path, {"approve": "y", "hold": "y"})
    assert exc is not None and exc.line == 4
    assert exc.message == '[keys]: key "y" is given to both "approve" and "hold"'


@pytest.mark.parametrize("key", [*FIXED_KEYS])
def test_a_key_that_cannot_be_remapped_cannot_be_taken(tmp_path: Path, key: str) -> None:
    exc = _error(tmp_path, {"approve": f"y,{key}"})
    assert exc is not None and exc.line == 3
    assert f'key "{key}" of "approve"' in exc.message and "cannot be remapped" in exc.message


@pytest.mark.parametrize("key", [*DASHBOARD_FIXED])
def test_the_dashboards_own_keys_cannot_be_taken_for_its_period(tmp_path: Path, key: str) -> None:
    """``dashboard_period`` (``p``) is remappable, but not onto a key the dashboard has
    (``r`` would refresh, or choose the period: one of the two silently)."""
    assert _error(tmp_path, {"dashboard_period": "y"}) is None
    exc = _error(tmp_path, {"dashboard_period": key})
    assert exc is not None and f'key "{key}" of "dashboard_period"' in exc.message


def test_a_freed_key_may_be_taken(tmp_path: Path) -> None:
    # trash moves away from d, so approve may have it (and q, once quit moved).
    assert _error(tmp_path, {"trash": "D", "dashboard": "ctrl+d", "approve": "d"}) is None
    assert _error(tmp_path, {"quit": "ctrl+x", "approve": "q"}) is None


def test_spellings_of_one_key_are_one_key(tmp_path: Path) -> None:
    exc = _error(tmp_path, {"approve": "?"})
    assert exc is not None and '"help"' in exc.message and '"question_mark"' in exc.message


@given(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs")))
def test_normalize_key_names_a_character_as_textual_does(char: str) -> None:
    if char == ",":
        return  # the separator of a key list
    assert normalize_key(char) == _character_to_key(char)


def test_a_codebook_key_onto_an_action_points_at_the_codebook(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = '[codebook]\n[[codebook.questions]]\ncode = "9"\nkey = "a"\nnl = "Negen"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f'{path}:4: [codebook]: key "a" is the key of both "question_9" and "approve"'
    )


# -- a key name Textual does not know ------------------------------------------------------

#: Every name Textual gives a key press: its ``Keys`` (modifiers included) and the kitty
#: protocol's functional keys.
TEXTUAL_NAMES = {
    *(k.value for k in Keys if not k.value.startswith("<") and k.value != "ctrl-at"),
    *FUNCTIONAL_KEYS.values(),
}


def test_every_name_textual_gives_a_key_is_known() -> None:
    assert [name for name in sorted(TEXTUAL_NAMES) if not known_key(name)] == []


#: Names a moderator may well write that name no key (a binding to one never ran, and
#: the footer left its action out without a word): abbreviations, another program's
#: spelling, a modifier without a key.
MISSPELT = ["pgdn", "PageDown", "esc", "Escape", "del", "F5", "ctrl+", "ctrl+banana", "Ctrl+a"]


@settings(max_examples=40, deadline=None)
@given(
    name=st.one_of(
        st.sampled_from(MISSPELT),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=2, max_size=12).filter(
            lambda w: w not in TEXTUAL_NAMES and w not in NAMED_KEYS and not _names_a_char(w)
        ),
    ),
    action=st.sampled_from(sorted(DEFAULTS)),
    where=st.sampled_from(["keys", "codebook"]),
)
def test_a_key_name_textual_does_not_know_names_file_line_and_key(
    tmp_path_factory: pytest.TempPathFactory, name: str, action: str, where: str
) -> None:
    """``hold = "pgdn"`` (Textual's name is "pagedown") started the app with no key for
    hold at all: not in the footer, nothing on a key press, no word why; a codebook
    question's ``key = "jj"`` the same. Now each is refused at load with the file, the
    line, the key and the action, as every other [keys] mistake."""
    path = tmp_path_factory.mktemp("keys") / "config.toml"
    if where == "keys":
        path.write_text(_toml({action: name}), encoding="utf-8")
        line, blamed = 3, action
    else:
        book = f'[codebook]\n[[codebook.questions]]\ncode = "9"\nkey = "{name}"\nnl = "Negen"\n'
        path.write_text(book, encoding="utf-8")
        line, blamed = 4, "question_9"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(
        f'{path}:{line}: [{where}]: key "{name}" of "{blamed}" is not a key name Textual knows;'
    )


@settings(max_examples=40, deadline=None)
@given(
    mods=st.lists(st.sampled_from(sorted(MODIFIERS)), unique=True, max_size=2),
    base=st.one_of(
        st.characters(exclude_categories=("Cs", "Cc", "Cf", "Cn", "Co", "Zs", "Zl", "Zp")),
        st.sampled_from(sorted(NAMED_KEYS)),
    ),
)
def test_a_key_textual_names_is_known(mods: list[str], base: str) -> None:
    key = normalize_key(base)
    if key == "comma" or base.isspace():
        return  # the separator of a key list; a blank is no key
    assert known_key("+".join([*mods, key]))


def _names_a_char(word: str) -> bool:
    try:
        unicodedata.lookup(word.replace("_", " "))
    except KeyError:
        return False
    return True


# -- every command refuses the file ---------------------------------------------------------

BAD = '[keys]\napprove = "d"\n\n[[sources]]\nname = "demo"\ntype = "demo"\ncount = 5\n'


@pytest.mark.parametrize("command", [["sources"], ["sync", "--once"], []])
def test_every_command_finds_a_clash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(BAD, encoding="utf-8")
    assert main(["--config", str(cfg), "--db", str(tmp_path / "m.db"), *command]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f'reactieveld: {cfg}:2: [keys]: key "d" of "approve"')
    assert '"trash"' in err
    assert not (tmp_path / "m.db").exists()  # refused before anything was opened


def test_sync_once_in_a_process_exits_2_with_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(BAD, encoding="utf-8")
    proc = run_process(["sync", "--once"], config=cfg, db=tmp_path / "m.db")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"reactieveld: {cfg}:2: [keys]:")
    assert "Traceback" not in proc.stderr


# -- the help screen after a swap -----------------------------------------------------------

SWAPS = [(), ("approve", "trash"), ("quit", "help"), ("search", "filters"), ("down", "question_1")]


@pytest.mark.usefixtures("tui_env")
@pytest.mark.parametrize("swap", SWAPS)
async def test_the_help_screen_lists_each_key_once_after_a_swap(tui_store, make_app, swap):
    keymap = {swap[0]: DEFAULTS[swap[1]], swap[1]: DEFAULTS[swap[0]]} if swap else {}
    assert keymap_problem(keymap, DEFAULT_CODEBOOK) is None
    app = make_app(tui_store, keymap=keymap)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        await pilot.press("question_mark" if "help" not in swap else "q")
        await pilot.pause()
        rows = app.screen.rows
        keys = [k for shown, _, _ in rows for k in shown.split(" ")]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        if swap == ("approve", "trash"):  # the issue's example, as a swap
            by_label = {label: shown for shown, label, _ in rows}
            assert (by_label["Goedkeuren"], by_label["Prullenbak"]) == ("d", "a")
