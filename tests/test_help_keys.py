"""The help lists, for each key, what that key does on the screen under it, and has its
own footer (a tryout as a user at 80x24, NO_COLOR).

The dashboard's help said ``esc q  Back`` and ``q  Quit``: the app's quit, which the
dashboard's own ``q`` shadows. A key runs the first binding of Textual's chain (the
focused widget, the screen, then the app, unless a later one has priority), so the help
is checked against that chain, for every screen that has a help, in both languages: no
key is in two rows, a row of an app-wide key holds only keys that reach the app, and a
row of the screen's holds no key that runs another binding of the screen. And the help
showed the footer of the screen under it ("a Approve" over the queue); it has its own
now, and says in characters when there is more below.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, screen_text, settled
from helpers.screens import SCREENS, open_screen, screens_app
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

from reactieveld.i18n import I18n
from reactieveld.tui.screens.help import TEXTUAL_KEYS, HelpScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: The help key: f1 everywhere but on the queue, where it is ``?`` alone.
HELP_KEY = {"triage": "question_mark"}

#: The queue's footer labels: none of them may show under the help.
TRIAGE_LABELS = ("key.quit", "key.approve", "key.hold", "key.handled", "key.role")


async def _help(app: Any, pilot: Any, name: str) -> HelpScreen:
    await pilot.press(HELP_KEY.get(name, "f1"))
    await settled(pilot)
    assert isinstance(app.screen, HelpScreen)
    return app.screen


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(SCREENS))
async def test_each_screens_help_its_keys_footer_and_columns(
    tui_store: Any, language: str, name: str
) -> None:
    """Every screen's help, in both languages, at 80x24, checked in one app: the checks
    below read the same screen and its help, and each leaves them as it found them (they
    were an app each, opening the screen and its help again: 120 apps, 3 minutes of the
    suite on one core). The app keys are tried last: they open other screens."""
    app = screens_app(tui_store, language)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_screen(app, pilot, name)
        # What each key runs on this screen now, by Textual's own chain.
        running = {
            key: (found.node, found.binding) for key, found in screen.active_bindings.items()
        }
        help_screen = await _help(app, pilot, name)
        _each_key_in_the_help_once_and_as_the_binding_that_runs_it(
            app, screen, running, help_screen.rows, language
        )
        _no_key_of_textuals_own(app, screen, running, help_screen.rows)
        await _the_help_has_its_own_footer_and_says_when_there_is_more(
            app, pilot, help_screen, name, language
        )
        await _a_long_description_wraps_in_its_own_column(app, pilot, help_screen, name, language)
        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is screen
        await _each_app_key_in_the_help_opens_what_it_says(
            app, pilot, screen, running, help_screen.rows, name, language
        )


def _declared_by_textual(node: Any, binding: Any) -> bool:
    """A binding a class of Textual's declares (its App's ^q, its Screen's ^c)."""
    for cls in type(node).__mro__:
        for declared in (
            cls.__dict__.get("BINDINGS", ()) if cls.__module__[:8] == "textual." else ()
        ):
            key, action = (
                (declared.key, declared.action) if hasattr(declared, "key") else declared[:2]
            )
            if action == binding.action and binding.key in key.split(","):
                return True
    return False


def _no_key_of_textuals_own(app: Any, screen: Any, running: dict[str, Any], rows: Any) -> None:
    """The help shows only the app's own keys: not Textual's ^c (copy), which the
    thread's help listed; Textual's tab between fields, the widget keys the screen names
    (its tree's arrows) and its ^q where the screen takes q (the app's quit: no other
    key quits there) are the app's choice to show."""
    named = getattr(screen, "HELP_WIDGET_KEYS", {})
    theirs = {
        app.get_key_display(binding)
        for node, binding in running.values()
        if _declared_by_textual(node, binding)
        and binding.action not in ("app.focus_next", "app.focus_previous", "dismiss")
        and binding.action not in named
        and not (node is app and binding.action == "quit")
    }
    shown = {key for row in rows for key in row[0].split()}
    assert not theirs & shown, (type(screen).__name__, theirs & shown)


def _each_key_in_the_help_once_and_as_the_binding_that_runs_it(
    app: Any, screen: Any, running: dict[str, Any], rows: Any, language: str
) -> None:
    """No key is in two rows of the help; a row of an app-wide key holds only keys that
    reach the app, a row of the screen's none that runs another binding of the screen."""
    by_display = {app.get_key_display(binding): key for key, (_, binding) in running.items()}
    app_labels = {label for _, _, label in app.app_keys()}
    textual = {I18n(language).t(label) for label in TEXTUAL_KEYS.values()}
    shown = [key for keys, _, _ in rows for key in keys.split(" ")]
    assert len(shown) == len(set(shown)), sorted(k for k in shown if shown.count(k) > 1)
    for keys, label, _ in rows:
        described = set()
        for display in keys.split(" "):
            assert display in by_display, (display, label, sorted(by_display))
            node, binding = running[by_display[display]]
            if label in app_labels:  # the app's key: no screen or widget takes it
                assert node is app, (display, label, node, binding.action)
                continue
            assert node is not app, (display, label)
            if node is screen and label not in textual:
                described.add(binding.description)
        # The screen's keys in one row run bindings that say the same.
        assert len(described) <= 1, (keys, label, described)


async def _each_app_key_in_the_help_opens_what_it_says(
    app: Any,
    pilot: Any,
    screen: Any,
    running: dict[str, Any],
    rows: Any,
    name: str,
    language: str,
) -> None:
    """Each app-wide key the help lists (but quit) opens its screen from the screen under
    the help: the dashboard's help listed D, the key that opens the dashboard, which does
    nothing there; so for any app key on the screen it opens (E, f2)."""
    by_display = {app.get_key_display(binding): key for key, (_, binding) in running.items()}
    quit_label = I18n(language).t("key.quit")
    app_labels = {label for _, _, label in app.app_keys()} - {quit_label}
    tried = []
    for keys, label, _ in rows:
        if label not in app_labels:
            continue
        for display in keys.split(" "):
            await pilot.press(by_display[display])
            await settled(pilot)
            assert app.screen is not screen, (display, label)  # it opened something
            tried.append(display)
            while app.screen is not screen:
                app.pop_screen()
                await settled(pilot)
    assert tried or name not in ("triage", "dashboard", "thread", "history"), rows


async def _the_help_has_its_own_footer_and_says_when_there_is_more(
    app: Any, pilot: Any, help_screen: HelpScreen, name: str, language: str
) -> None:
    """At 80x24 the help's last line is its own (esc Close, and pgdn/pgup and j/k while
    it is longer than its box), none of the screen's under it. A help longer than its
    box says "▼ more: pgdn" on the box's last line until its end is in view. Leaves the
    help at its top."""
    t = I18n(language).t
    footer = screen_text(app)[-1]
    assert footer.startswith(f"esc {t('help.close')}"), footer
    for label in (*TRIAGE_LABELS, "key.help", "key.back", "key.cancel"):
        assert f" {t(label)} " not in f" {footer} ", (footer, label)
    box = help_screen.query_one("#help")
    longer = box.max_scroll_y > 0
    assert longer or name != "triage"  # the queue's help is twice the screen
    scroll_keys = f"pgdn/pgup {t('help.page')} j/k {t('help.line')}"
    assert (scroll_keys in footer) == longer, footer
    assert any(t("help.more") in line for line in screen_text(app)) == longer
    if longer:
        await pilot.press("end")
        await settled(pilot)
        assert not any(t("help.more") in line for line in screen_text(app))
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("home", "j")
        await settled(pilot)
        assert box.scroll_y == 1
        await pilot.press("home")
        await settled(pilot)
    assert box.scroll_y == 0


async def _a_long_description_wraps_in_its_own_column(
    app: Any, pilot: Any, help_screen: HelpScreen, name: str, language: str
) -> None:
    """At 80x24 a description longer than the box goes on under itself, never under the
    keys' column ("Question 2: On which topics do we (not) use / dialogue?" ran under the
    "2"): read page by page, every line of the box holds a row's keys in that column or
    nothing, and every row's description is there in full."""
    box = help_screen.query_one("#help")
    left = box.scrollable_content_region.x
    width = max(len(keys) for keys, _, _ in help_screen.rows) + 2
    keys_of = {keys for keys, _, _ in help_screen.rows}
    seen: list[str] = []
    for _ in range(12):  # page by page to the end
        region = box.scrollable_content_region
        lines = screen_text(app)[region.y : region.y + region.height]
        seen += [line[left : region.x + region.width] for line in lines]
        if box.scroll_y >= box.max_scroll_y:
            break
        await pilot.press("pagedown")
        await settled(pilot)
    title = I18n(language).t("help.title")
    assert seen[0].strip() == title
    seen = seen[1:]
    wrapped = 0
    for line in seen:
        column = line[:width].strip()
        assert column == "" or column in keys_of, (column, line)
        wrapped += column == "" and line.strip() != ""
    flat = " ".join(" ".join(line[width:].split()) for line in seen)
    for _, label, _ in help_screen.rows:
        assert " ".join(label.split()) in flat, label
    if name == "triage":  # the planning questions are longer than the box
        assert wrapped > 0


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_dashboards_help_says_q_goes_back_and_names_its_scroll_keys(
    tui_store: Any, language: str
) -> None:
    """On the dashboard ``q`` goes back (as esc): its help says so and not "q Quit", but
    "^q Quit" (:func:`test_where_q_goes_back_the_help_says_ctrl_q_quits`). It names the
    keys that scroll the page (↑ ↓ pgup pgdn), the coverage table sideways (← →) and to
    its ends (home end), and each does so."""
    t = I18n(language).t
    app = screens_app(tui_store, language)
    async with app.run_test(size=SMALL) as pilot:
        dashboard = await open_screen(app, pilot, "dashboard")
        await _help(app, pilot, "dashboard")
        text = screen_text(app)
        await pilot.press("end")
        await settled(pilot)
        text += screen_text(app)

        def row(keys: str, label: str) -> bool:
            return any(f" {keys} " in line and f" {label} " in f"{line} " for line in text)

        assert row("esc q", t("key.back"))
        assert not row("q", t("key.quit")) and row("^q", t("key.quit"))
        assert row("↑ ↓ pgup pgdn", t("dash.key.scroll"))
        assert row("← →", t("dash.key.sideways"))
        assert row("home end", t("dash.key.ends"))
        await pilot.press("escape")
        await settled(pilot)
        body = dashboard.query_one("#dash-body")
        table = dashboard.query_one(DataTable)
        await pilot.press("pagedown")
        await settled(pilot)
        assert body.scroll_y > 0
        await pilot.press("pageup", "down")
        await settled(pilot)
        assert body.scroll_y == 1
        await pilot.press("right")
        await settled(pilot)
        assert table.scroll_x > 0 and body.scroll_y == 1  # 80 columns: the table is wider
        await pilot.press("home")
        await settled(pilot)
        assert table.scroll_x == 0
        await pilot.press("end")
        await settled(pilot)
        assert table.scroll_x == table.max_scroll_x > 0
        await pilot.press("q")
        await settled(pilot)
        assert app.screen is app.screen_stack[0]  # back on the queue, the app runs on


async def test_left_and_right_fold_in_the_thread_as_its_help_says(tui_store: Any) -> None:
    """The thread's help says ← → fold and unfold; a reply longer than 80 columns made
    the tree scroll sideways instead. Now the branch's reply leaves the screen."""
    app = screens_app(tui_store, "en")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_screen(app, pilot, "thread")
        tree: Tree[int] = screen.query_one(Tree)
        branch: TreeNode[int] = next(n for n in _nodes(tree.root) if n.children and n.parent)
        child = str(branch.children[0].label)[:20]
        tree.move_cursor(branch)
        await settled(pilot)
        assert any(child in line for line in screen_text(app))
        await pilot.press("left")
        await settled(pilot)
        assert not branch.is_expanded and tree.scroll_x == 0
        assert not any(child in line for line in screen_text(app))
        await pilot.press("right")
        await settled(pilot)
        assert branch.is_expanded
        assert any(child in line for line in screen_text(app))


def _nodes(node: TreeNode[int]) -> list[TreeNode[int]]:
    return [node, *(n for c in node.children for n in _nodes(c))]


@pytest.mark.parametrize(("name", "language"), [("thread", "nl"), ("history", "en")])
async def test_where_q_goes_back_the_help_says_ctrl_q_quits(
    tui_store: Any, language: str, name: str
) -> None:
    """On the thread, the dashboard and the author history ``q`` goes back: their help
    listed no way to quit, though ``^q`` quits there. It says "^q Quit" now (the app's
    text, in the interface language), at 80x24 on the help's page or below it, and ^q
    quits. (The dashboard's, in both languages: the test above.)"""
    t = I18n(language).t
    app = screens_app(tui_store, language)
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(app, pilot, name)
        await _help(app, pilot, name)
        text = screen_text(app)
        await pilot.press("end")
        await settled(pilot)
        text += screen_text(app)
        quit_label = f" {t('key.quit')} "
        assert any(" ^q " in f" {line} " and quit_label in f"{line} " for line in text), text
        assert not any(" q " in line and quit_label in f"{line} " for line in text), text
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("ctrl+q")
        await settled(pilot)
        assert app.return_code is not None  # quit
