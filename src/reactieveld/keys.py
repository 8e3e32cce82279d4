"""The app's keys, without Textual: every remappable action (the triage screen's keys, the
codebook's question keys, the app-wide keys), the keys no ``[keys]`` entry can take, and the
check of a ``[keys]`` table against them.

It lives outside ``tui`` so that the configuration (``config.py``, loaded by every command,
``sync`` and the fetch process included) finds a conflicting remap without importing
Textual. The triage screen builds its bindings from :func:`key_specs`; the thread screen
takes its movement keys from the same specs, so one remap moves both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reactieveld.later import names_in
from reactieveld.model import STATUS_FOR_CAPABILITY, Capability, RemoteStatus

if TYPE_CHECKING:
    from reactieveld.problems import KeyProblem as KeyProblem

#: Made only for a wrong [keys] table (reactieveld.problems), still named here.
__getattr__ = names_in("reactieveld.problems", ["KeyProblem"], of=__name__)  # PEP 562

#: Moderation actions: binding id, default key, the status it sets.
STATUS_KEYS: tuple[tuple[str, str, RemoteStatus], ...] = (
    ("approve", "a", RemoteStatus.APPROVED),
    ("hold", "u", RemoteStatus.HOLD),
    ("spam", "s", RemoteStatus.SPAM),
    ("trash", "d", RemoteStatus.TRASH),
    # "v" (verbergen): "h" is the author's history. Only some portals can hide (Discourse,
    # a flagged post); elsewhere the key refuses with the platform's reason (issue 16).
    ("hide", "v", RemoteStatus.HIDDEN),
)


def resend_key(capability: Capability) -> tuple[str, str] | None:
    """The key that sends a failed write-back of ``capability`` again: (binding id, its
    default key): the decision's own key pressed again, or the reply editor's (which
    opens with the text not sent). None for a write-back no key makes."""
    if capability is Capability.REPLY:
        return ("reply", "r")
    status = STATUS_FOR_CAPABILITY.get(capability)
    return next(((name, key) for name, key, s in STATUS_KEYS if s is status), None)


#: Moderation keys left off the footer (help and the palette list them): at 80 columns
#: the footer has no room, and on most rows (WordPress, the feed) hide cannot act.
OFF_FOOTER = frozenset({"hide"})

#: Actions that need a response under the cursor (or marked ones).
ROW_ACTIONS = frozenset(
    {
        "moderate",
        "handled",
        "question",
        "role",
        "reply",
        "note",
        "mark",
        "thread",
        "author_history",
        "author_pile",
    }
)


@dataclass(frozen=True)
class KeySpec:
    """One key of the triage screen: binding id, default keys, action, i18n key, footer."""

    id: str
    keys: str
    action: str
    label: str
    show: bool = True
    label_values: tuple[tuple[str, str], ...] = ()

    @property
    def action_needs_row(self) -> bool:
        """Whether the key's state depends on the current response."""
        name = self.action.split("(")[0]
        return name in ROW_ACTIONS


def key_specs(codebook: Any) -> list[KeySpec]:
    """Every key of the triage screen, in help order (questions from the codebook)."""
    specs = [
        KeySpec("down", "j,down", "cursor_down", "key.down", show=False),
        KeySpec("up", "k,up", "cursor_up", "key.up", show=False),
        KeySpec("first", "g,home", "first", "key.first", show=False),
        KeySpec("last", "G,end", "last", "key.last", show=False),
        KeySpec("page_down", "pagedown", "page_down", "key.page_down", show=False),
        KeySpec("page_up", "pageup", "page_up", "key.page_up", show=False),
        KeySpec("detail_down", "J", "detail(1)", "key.detail_down", show=False),
        KeySpec("detail_up", "K", "detail(-1)", "key.detail_up", show=False),
    ]
    specs += [
        KeySpec(
            name, key, f"moderate('{status.value}')", f"key.{name}", show=name not in OFF_FOOTER
        )
        for name, key, status in STATUS_KEYS
    ]
    specs.append(KeySpec("handled", "x", "handled", "key.handled"))
    specs += [
        KeySpec(
            f"question_{q.code}",
            q.key,
            f"question('{q.code}')",
            "key.question",
            show=False,
            label_values=(("code", q.code),),
        )
        for q in codebook.questions
    ]
    # The footer keeps the keys of the moderator's every minute; the rest (n, space, f,
    # movement, 1-8) are on the help screen and in the palette, so Dutch fits 120 columns.
    specs += [
        KeySpec("role", "w", "role", "key.role"),
        KeySpec("reply", "r", "reply", "key.reply"),
        KeySpec("note", "n", "note", "key.note", show=False),
        KeySpec("mark", "space", "mark", "key.mark", show=False),
        KeySpec("undo", "z", "undo", "key.undo"),
        KeySpec("search", "slash", "search", "key.search"),
        KeySpec("filters", "f", "filters", "key.filters", show=False),
        KeySpec("next_queue", "tab", "next_queue", "key.next_queue", show=False),
        KeySpec("thread", "enter", "thread", "key.thread", show=False),
        KeySpec("author_history", "h", "author_history", "key.author_history", show=False),
        # Marks every pending response by this author (issue 16): one decision then
        # settles the pile.
        KeySpec("author_pile", "P", "author_pile", "key.author_pile", show=False),
        KeySpec("help", "question_mark", "help", "key.help"),
    ]
    return specs


#: The app-wide keys that ``[keys]`` may remap: (binding id, default key, i18n key). They
#: work on every screen; ``search`` (``/``) is one of the triage specs as well.
APP_KEYS: tuple[tuple[str, str, str], ...] = (
    ("quit", "q", "key.quit"),
    ("settings", "f2", "key.settings"),
    ("dashboard", "D", "key.dashboard"),
    ("export_report", "E", "key.export"),
)

#: The dashboard's keys that ``[keys]`` may remap: (binding id, default key, i18n key).
#: They work on the dashboard only (with the app-wide keys).
DASHBOARD_KEYS: tuple[tuple[str, str, str], ...] = (("dashboard_period", "p", "stats.key.period"),)
#: The dashboard's own keys, which no ``[keys]`` entry can take there: what they do (the
#: i18n key of its words, as a [keys] mistake says them).
DASHBOARD_FIXED: Mapping[str, str] = {
    "q": "config.keys.does.dashboard_back",
    "r": "config.keys.does.refresh",
    "e": "config.keys.does.report",
    "i": "config.keys.does.definitions",
}

#: Keys that no ``[keys]`` entry can take, on every screen: what they do (an i18n key).
FIXED_KEYS: Mapping[str, str] = {
    "ctrl+p": "config.keys.does.palette",
    "escape": "config.keys.does.back_cancel",
    "ctrl+q": "config.keys.does.quit",
    "ctrl+c": "config.keys.does.copy",
}

#: The thread screen: which remappable actions move its tree, and its own fixed keys.
THREAD_ACTIONS: tuple[str, ...] = ("down", "up", "first", "last", "author_history")
#: The remappable actions whose keys work on the thread screen: its movement, and the
#: app-wide keys (but ``q``, which goes back there).
THREAD_SCOPE: tuple[str, ...] = (
    *THREAD_ACTIONS,
    *(action for action, _, _ in APP_KEYS if action != "quit"),
    "search",
)
THREAD_KEYS: Mapping[str, str] = {
    "q": "config.keys.does.thread_back",
    "enter": "config.keys.does.open",
    "space": "config.keys.does.fold",
    "left": "config.keys.does.fold",
    "right": "config.keys.does.unfold",
}
#: The remappable actions whose keys work on the dashboard: its own and the app-wide keys
#: (but ``quit``: ``q`` goes back there).
DASHBOARD_SCOPE: tuple[str, ...] = (
    *(action for action, _, _ in DASHBOARD_KEYS),
    *(action for action, _, _ in APP_KEYS if action != "quit"),
    "search",
)

#: The modifier keys the kitty keyboard protocol names by side (``left_shift``).
_SIDE_MODIFIERS = ("alt", "control", "hyper", "meta", "shift", "super")

#: Key names Textual spells in words (its ``KEY_NAME_REPLACEMENTS``): "/" is "slash".
_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def normalize_key(key: str) -> str:
    """A key as Textual names it: ``"?"`` is ``"question_mark"``, ``"/"`` ``"slash"``
    (as Textual's own keymap normalisation, which this module cannot import)."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        try:
            key = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            key = {"\t": "tab"}.get(key, key)
        key = _REPLACEMENTS.get(key, key)
    return key


#: Textual's names of the keys that are not characters (its ``Keys`` and the kitty
#: keyboard protocol's functional keys), without modifiers; tests/test_keys.py holds
#: them against Textual's own tables.
NAMED_KEYS = frozenset(
    {
        *("escape", "enter", "return", "tab", "space", "backspace"),
        *("up", "down", "left", "right", "home", "end", "insert", "delete"),
        *("pageup", "pagedown", "menu", "pause", "print_screen", "kp_begin"),
        *("caps_lock", "num_lock", "scroll_lock", "iso_level3_shift", "iso_level5_shift"),
        *("add", "subtract", "multiply", "divide", "decimal", "equal", "separator"),
        *("media_play", "media_pause", "media_play_pause", "media_reverse", "media_stop"),
        *("media_fast_forward", "media_rewind", "media_track_next", "media_track_previous"),
        *("media_record", "lower_volume", "raise_volume", "mute_volume"),
        *(f"{side}_{mod}" for side in ("left", "right") for mod in _SIDE_MODIFIERS),
        *(f"f{n}" for n in range(1, 36)),
        *_REPLACEMENTS.values(),
    }
)
#: The modifiers Textual writes before a key's name (``ctrl+shift+a``).
MODIFIERS = frozenset({"alt", "ctrl", "hyper", "meta", "shift", "super"})


def known_key(key: str) -> bool:
    """Whether Textual can name a key press ``key`` (normalised, see :func:`normalize_key`):
    modifiers, each once, then one printable character or the name of a key
    (:data:`NAMED_KEYS`) or of a character that is not a letter or digit
    (``question_mark``). ``pgdn``, ``PageDown``, ``esc`` or ``ctrl+`` name none: a
    binding to them never runs. An emoji is written as itself, not by its name."""
    *mods, base = key.split("+")
    if not base or len(set(mods)) != len(mods) or not MODIFIERS.issuperset(mods):
        return False
    if base in NAMED_KEYS:
        return True
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    try:
        char = unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    wide = unicodedata.east_asian_width(char) in "WF"
    return char.isprintable() and not wide and normalize_key(char) == base


def split_keys(keys: str) -> list[str]:
    """``"j,down"`` as ``["j", "down"]``, normalised (a lone ``","`` is the comma key)."""
    if keys.strip() == ",":
        return ["comma"]
    return [normalize_key(k) for k in keys.split(",") if k.strip()]


def remappable(codebook: Any) -> dict[str, str]:
    """Every action ``[keys]`` may remap, with its default keys."""
    out = {s.id: s.keys for s in key_specs(codebook)}
    out.update({action: key for action, key, _ in APP_KEYS})
    out.update({action: key for action, key, _ in DASHBOARD_KEYS})
    return out


def _problem(blamed: str, said_by: str, /, **fields: Any) -> KeyProblem:
    """The problem of the action ``blamed``, said by the i18n text ``said_by`` with
    ``fields`` (English in ``message``, any language by ``said``)."""
    # KeyProblem lives in reactieveld.problems: made only for a wrong [keys] table, never
    # at a start that checks a right one (reactieveld.problems says why).
    from reactieveld.i18n import Said
    from reactieveld.problems import KeyProblem

    return KeyProblem(blamed, Said(said_by, **fields))


def keymap_problem(keymap: Mapping[str, str], codebook: Any) -> KeyProblem | None:
    """The first problem of ``keymap`` (binding id -> keys), in file order; None if it
    is fine. An action that is not there; a key that, after all remaps, two actions have
    on the same screen (a remap onto another action's key is fine only when that action
    is remapped too, as in a swap); a key that cannot be remapped (``FIXED_KEYS``, on
    the thread screen ``THREAD_KEYS``, on the dashboard ``DASHBOARD_FIXED``)."""
    defaults = remappable(codebook)
    unknown = [a for a in keymap if a not in defaults]
    if unknown:
        return _problem(
            unknown[0],
            "config.keys.unknown",
            actions=", ".join(repr(k) for k in unknown),
            expected=", ".join(sorted(defaults)),
        )
    keys = {a: split_keys(keymap.get(a, k)) for a, k in defaults.items()}
    order = list(keymap)  # file order: the later of two entries is the one to blame
    # A name Textual does not know (a remap, or a codebook question's key): the binding
    # would never run, and the footer would leave the action out without a word.
    for action in sorted(keys, key=lambda a: order.index(a) if a in order else len(order)):
        unknown_key = next((k for k in keys[action] if not known_key(k)), None)
        if unknown_key is not None:
            return _problem(action, "config.keys.name", key=unknown_key, action=action)
    for scope, fixed in (
        (list(defaults), FIXED_KEYS),
        (list(THREAD_SCOPE), {**FIXED_KEYS, **THREAD_KEYS}),
        (list(DASHBOARD_SCOPE), {**FIXED_KEYS, **DASHBOARD_FIXED}),
    ):
        problem = _scope_problem(scope, keys, fixed, order)
        if problem is not None:
            return problem
    return None


def _scope_problem(
    actions: Iterable[str],
    keys: Mapping[str, list[str]],
    fixed: Mapping[str, str],
    order: list[str],
) -> KeyProblem | None:
    """The first key two of ``actions`` share, or an action has of ``fixed``."""
    holders: dict[str, list[str]] = {}
    for action in actions:
        for key in keys[action]:
            holders.setdefault(key, []).append(action)
    # The remapped actions first, in file order; then the defaults.
    rank = {a: i for i, a in enumerate(order)}
    for action in sorted(_holders_actions(holders), key=lambda a: rank.get(a, len(rank))):
        for key in keys[action]:
            if key in fixed:
                from reactieveld.i18n import Said

                does = Said(fixed[key])
                return _problem(action, "config.keys.fixed", key=key, action=action, does=does)
            others = [a for a in holders[key] if a != action]
            if not others:
                continue
            other = others[0]
            if other in rank:
                blamed, kept = (action, other) if rank[action] > rank[other] else (other, action)
                return _problem(blamed, "config.keys.both", key=key, kept=kept, blamed=blamed)
            if action in rank:
                return _problem(action, "config.keys.taken", key=key, action=action, other=other)
            return _problem(action, "config.keys.shared", key=key, other=other, action=action)
    return None


def _holders_actions(holders: Mapping[str, list[str]]) -> list[str]:
    """Each action that holds a key, once, in the order first seen."""
    seen: dict[str, None] = {}
    for actions in holders.values():
        for action in actions:
            seen.setdefault(action)
    return list(seen)
