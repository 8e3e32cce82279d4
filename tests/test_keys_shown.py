"""A key as the user configured it (``[keys]``) is the key every place names: the help,
the palette, the response view's "press o again to send it again". One function gives a
binding's configured keys and one their display (``reactieveld.tui.keymap``); it is the
only module that reads the app's keymap (Textual's private ``App._keymap``), so a place
that splits the keymap itself cannot come back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers.app import SIZE, press, ready, settle
from textual.command import CommandList, CommandPalette

import reactieveld
from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.config import load_config
from reactieveld.i18n import I18n
from reactieveld.keys import keymap_problem
from reactieveld.tui.messages import StoreChanged

PACKAGE = Path(reactieveld.__file__).parent
#: The one module that reads the app's keymap.
KEYMAP = PACKAGE / "tui" / "keymap.py"


def _reads_keymap(source: str) -> list[int]:
    """The lines of ``source`` that read the app's keymap: ``x._keymap`` or the name in a
    string (``getattr(app, "_keymap")``)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if (isinstance(node, ast.Attribute) and node.attr == "_keymap")
        or (isinstance(node, ast.Constant) and node.value == "_keymap")
    ]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("keymap = self.app._keymap\n", [1]),
        ("\nkeymap = getattr(app, '_keymap', {}) or {}\n", [2]),
        ("keys = split_keys(app._keymap.get('spam', 's'))\n", [1]),
        ("keys = configured_keys(app, 'spam', 's')\n", []),
        ("keymap = app.keymap\n", []),
    ],
)
def test_the_scan_finds_a_read_of_the_keymap(source: str, found: list[int]) -> None:
    assert _reads_keymap(source) == found


def test_only_one_module_reads_the_apps_keymap() -> None:
    """The triage screen, the help and the response view each read ``_keymap`` and split
    its keys themselves; now ``reactieveld.tui.keymap`` alone does."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert KEYMAP in modules and PACKAGE / "tui" / "screens" / "help.py" in modules
    assert _reads_keymap(KEYMAP.read_text(encoding="utf-8"))
    readers = {
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in modules
        if path != KEYMAP
        for line in _reads_keymap(path.read_text(encoding="utf-8"))
    }
    assert not readers


#: Kinds of key a moderator may give spam, and how every place must show it.
SPAM_KEYS = [
    ("o", "o", "nl"),
    ("O", "O", "en"),
    ("ctrl+o", "^o", "nl"),
    ("f6", "f6", "en"),
    ("!", "!", "nl"),
    ("exclamation_mark", "!", "en"),
]


@pytest.mark.usefixtures("tui_env")
@pytest.mark.parametrize(("key", "shown", "language"), SPAM_KEYS)
async def test_a_remapped_key_is_the_key_named_everywhere(
    tui_store, make_app, tmp_path, key: str, shown: str, language: str
) -> None:
    """``[keys] spam`` (and the app-wide ``dashboard``) remapped in the config file: the
    help, the palette and a refused spam's "press ... again" name the new key, as the
    footer shows it (^o for ctrl+o), and the old one nowhere."""
    cfg = tmp_path / "config.toml"
    escaped = key.replace("\\", "\\\\")
    cfg.write_text(f'[keys]\nspam = "{escaped}"\ndashboard = "b"\n', encoding="utf-8")
    config = load_config(cfg)
    assert keymap_problem(config.keys, DEFAULT_CODEBOOK) is None
    t = I18n(language).t
    app = make_app(tui_store, language=language, keymap=dict(config.keys))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)

        await pilot.press("question_mark")
        await pilot.pause()
        helped = {label: keys for keys, label, _ in app.screen.rows}
        assert (helped[t("key.spam")], helped[t("key.dashboard")]) == (shown, "b")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        options = app.screen.query_one(CommandList).options
        commands = {o.hit.text: str(o.hit.help) for o in options if hasattr(o, "hit")}
        assert (commands[t("key.spam")], commands[t("key.dashboard")]) == (shown, "b")
        await pilot.press("escape")
        await pilot.pause()

        # A spam the site refused: the view says which key sends it again.
        await press(pilot, "tab", "tab", "tab", "tab", "tab")  # all
        rid = screen.queue.current.response.id
        await press(pilot, key)
        [first] = await tui_store.outbox_items(response_id=rid)
        await tui_store.outbox_fail(first.id, error="blog: HTTP 403: not allowed")
        app.post_message(StoreChanged())
        await settle(app, pilot)
        assert await screen.queue.jump_to_response(rid)
        await settle(app, pilot)
        said = screen.query_one("#response").render_content().plain
        assert f"not allowed — {t('view.outbox.again', press=shown)}" in said
