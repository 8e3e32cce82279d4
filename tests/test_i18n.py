"""The one table of interface text (``reactieveld.i18n``): complete in both languages,
every key the code asks for is in it, and no module keeps a table of its own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld import i18n
from reactieveld.i18n import LANGUAGES, STRINGS, I18n, capital_first, text
from reactieveld.model import RemoteStatus
from reactieveld.read.search import _KINDS as PROBLEM_KINDS

SRC = Path(__file__).resolve().parents[1] / "src" / "reactieveld"
TABLE = SRC / "i18n.py"


def _fields(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages_with_the_same_placeholders(key: str) -> None:
    pair = STRINGS[key]
    assert isinstance(pair, tuple) and len(pair) == len(LANGUAGES), key
    nl, en = pair
    assert isinstance(nl, str) and nl.strip(), f"{key}: no Dutch text"
    assert isinstance(en, str) and en.strip(), f"{key}: no English text"
    assert _fields(nl) == _fields(en), f"{key}: {_fields(nl)} != {_fields(en)}"


def test_the_lookup() -> None:
    assert text("queue.new", "nl") == "Nieuw"
    assert text("queue.new", "en") == "New"
    # Any other language reads English, as the I18n object does.
    assert text("queue.new", "de") == "New" == I18n("de").t("queue.new")
    assert (
        text("key.question", "en", code="3")
        == "Question 3"
        == I18n("en").t("key.question", code="3")
    )
    # An unknown key shows itself (visible, never a crash).
    assert text("no.such.key", "nl") == "no.such.key"


# -- every key the code asks for exists --------------------------------------------------


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _lookup_names(tree: ast.Module, path: Path) -> dict[str, str]:
    """Names that call the lookup in this module -> the prefix they put before a key."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in (
            "reactieveld.i18n",
            "reactieveld.read.figures",
        ):
            prefix = "stats." if node.module == "reactieveld.read.figures" else ""
            for alias in node.names:
                if alias.name == "text":
                    names[alias.asname or alias.name] = prefix
    if path == SRC / "read" / "figures.py":
        names["text"] = names["t"] = "stats."  # ``stats.text``: the ``stats.*`` keys
    elif "tui" in path.parts:
        names.setdefault("t", "")  # ``t = self.i18n.t``
    if path == SRC / "tui" / "commands.py":
        names["palette_text"] = "palette."
    return names


def _used_keys() -> list[tuple[str, str, bool]]:
    """(where, key or key prefix, is a prefix) for every literal key passed to the lookup."""
    used: list[tuple[str, str, bool]] = []
    for path in _modules():
        if path == TABLE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _lookup_names(tree, path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func, arg, prefix = node.func, node.args[0], None
            if isinstance(func, ast.Name) and func.id in names:
                prefix = names[func.id]
                if func.id == "palette_text":
                    arg = node.args[1]
            elif isinstance(func, ast.Attribute) and func.attr == "t":
                prefix = ""
            elif isinstance(func, ast.Name) and func.id == "KeySpec" and len(node.args) > 3:
                prefix, arg = "", node.args[3]  # a key's label: its i18n key
            elif (
                isinstance(func, ast.Attribute)
                and func.attr == "s"
                and path == SRC / "tui" / "screens" / "search.py"
            ):
                prefix = "search."
            if prefix is None:
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                used.append((where, prefix + arg.value, False))
            elif (
                isinstance(arg, ast.JoinedStr)
                and arg.values
                and isinstance(arg.values[0], ast.Constant)
            ):
                used.append((where, prefix + str(arg.values[0].value), True))
    return used


def test_every_key_used_in_the_code_exists() -> None:
    used = _used_keys()
    # The scan finds the lookups (it would pass vacuously if it found none).
    assert len([u for u in used if not u[2]]) > 150
    missing = [
        (where, key)
        for where, key, is_prefix in used
        if (not any(k.startswith(key) for k in STRINGS) if is_prefix else key not in STRINGS)
    ]
    assert not missing


def test_keys_built_from_values_exist() -> None:
    for status in RemoteStatus:
        assert f"status.{status.value}" in STRINGS
        assert f"report.md.status.{status.value}" in STRINGS
    for kind in set(PROBLEM_KINDS.values()):
        assert f"search.problem.{kind}" in STRINGS
    for kind in ("email", "phone", "address"):
        assert f"redact.{kind}" in STRINGS


# -- no second table ----------------------------------------------------------------------

#: Dicts with "nl"/"en" keys that are not interface text: a code's labels belong to the
#: (versioned) codebook, and the configuration reads them.
ALLOWED = {("codebook.py", "nl"), ("config.py", "nl")}


def _strings_of_pair(node: ast.expr | None) -> list[str] | None:
    if (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
    ):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return None


def _words(value: str) -> bool:
    """Text for people (``Nieuw``, ``2 hits``), not an identifier (``password_env``)."""
    return not value.isidentifier() or value != value.lower()


def _tables(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        if keys & set(LANGUAGES):
            found.append((node.lineno, "nl"))
        else:
            pairs = [_strings_of_pair(v) for v in node.values]
            if len(pairs) >= 2 and all(pairs) and any(_words(s) for p in pairs for s in p or ()):
                found.append((node.lineno, "pairs"))
    return found


def test_the_scan_finds_a_table() -> None:
    tree = ast.parse(
        'A = {"a": ("Nieuw", "New"), "b": ("z", "w")}\n'
        'B = {"nl": {}, "en": {}}\n'
        'C = {"wordpress": ("username", "password_env"), "x": ("a", "b")}\n'
    )
    assert [kind for _, kind in _tables(tree)] == ["pairs", "nl"]


def test_no_other_module_keeps_a_table_of_interface_text() -> None:
    found = []
    for path in _modules():
        if path == TABLE:
            continue
        for line, kind in _tables(ast.parse(path.read_text(encoding="utf-8"))):
            if (str(path.relative_to(SRC)), kind) not in ALLOWED:
                found.append(f"{path.relative_to(SRC)}:{line} ({kind})")
    assert not found, "interface text belongs in reactieveld/i18n.py"


def test_there_is_one_table_module() -> None:
    # The table and its lookup live below every layer (Textual-free), in one module: no
    # second copy or re-export in the TUI.
    assert not (SRC / "tui" / "i18n.py").exists()
    users = [
        str(p.relative_to(SRC))
        for p in _modules()
        if "reactieveld.tui.i18n" in p.read_text(encoding="utf-8")
    ]
    assert not users


def test_the_table_is_plain_values_below_every_layer() -> None:
    # Stats, export and the CLI use it: it may import nothing above the model, and no
    # Textual (the fetch process and the reports run without it).
    tree = ast.parse(TABLE.read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    # re and functools: the stored English errors are read back through the templates.
    assert imported <= {"__future__", "typing", "functools", "re", "reactieveld.model"}


def test_the_hold_decision_has_one_dutch_word() -> None:
    """Footer, tab, queue, dialog, status, export and report name the hold decision with
    the one word 'wacht' (held back, waiting); 'afkeuren' (reject) names no entry."""
    held = [key for key in STRINGS if key.endswith(".hold") and "action" not in key]
    assert {"key.hold", "queue.hold", "queue.short.hold", "status.hold"} <= set(held)
    for key in held:
        assert "wacht" in STRINGS[key][0].lower(), key
    assert not [key for key, (nl, _) in STRINGS.items() if "afkeur" in nl.lower()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_made_a_notice_starts_with_a_capital(language: str) -> None:
    """Any entry shown as a notice (the app's one rule, capital_first) starts with a capital,
    a placeholder first filled with a table's word too ("{what} ongedaan gemaakt" with
    "prullenbak"); a first word that is a name ("blog: ...", "anna ...", a path, a rule's
    name) is kept."""
    index = LANGUAGES.index(language)
    for key, pair in STRINGS.items():
        made = pair[index].format_map({name: "prullenbak" for name in _fields(pair[index])})
        # A text that starts with a user's name keeps it (the test below).
        if not re.match(r"[^\W\d_]+[:/.\-_+]", made) and pair[index] not in NAMED_FIRST:
            assert not capital_first(made)[:1].islower(), (key, made)
    assert capital_first("blog: HTTP 401") == "blog: HTTP 401"
    assert capital_first("anna wijzigde de reactie") == "anna wijzigde de reactie"
    assert capital_first("action undone: trash") == "Action undone: trash"


#: Every text of the table that starts with a name someone gave, with words of its own
#: ("{name}: {what}" is a row's label, never a notice).
NAMED_FIRST = sorted(
    value
    for pair in STRINGS.values()
    for value in pair
    if re.match(r"\{(source|name|path|sink|store|flag|value|prog)\}", value)
    and re.search(r"[^\W\d_]", re.sub(r"\{\w+\}", "", value))
)


#: Names a user gives (a source, a moderator, a rule, a path): the table's own words
#: among them, a platform's name, a URL, a path, a quoted word, a number, an emoji, a
#: flag, a word with a capital inside.
USER_NAMES = st.one_of(
    st.sampled_from(sorted(i18n._first_words())),
    st.sampled_from(
        [
            "discourse",
            "decidim",
            "iPhone",
            "eBay-forum",
            "https://forum.example.nl",
            "data/reacties.db",
            "./export.csv",
            '"spam"',
            "'t dorp",
            "3 wijken",
            "🙂 blog",
            "--db",
            "de raad",
        ]
    ),
    st.from_regex(r"[a-z][a-zA-Z0-9_-]{0,12}", fullmatch=True),
)


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_a_notice_that_starts_with_a_users_name_keeps_it(data: st.DataObject) -> None:
    """Whatever a source, a moderator, a rule or a path is called (one of the table's
    words too: "discourse op de site", a rule "spam (links): ..."), a notice made of a
    text that starts with it keeps it as written."""
    value = data.draw(st.sampled_from(NAMED_FIRST))
    name = data.draw(USER_NAMES)
    fields = _fields(value)
    first = next(f for _, f, _, _ in string.Formatter().parse(value) if f is not None)
    made = value.format_map({f: name if f == first else "x" for f in fields})
    assert capital_first(made) == made, (value, made)


def capital_first_before(message: str) -> str:
    """The oracle: :func:`capital_first` as it was before its shapes were indexed by their
    first word (every message tried against every shape of the table). Also timed
    against the indexed one by bench/capital_first_bench.py."""
    first = i18n._FIRST_WORD.match(message)
    if not (message[:1].islower() and first and first.group(0).lower() in i18n._first_words()):
        return message
    fits = [
        (sum(map(len, pieces)), named)
        for pieces, shape, named in i18n._shapes()
        if all(piece in message for piece in pieces) and shape.fullmatch(message)
    ]
    if fits and max(fits)[1]:
        return message
    return message[0].upper() + message[1:]


#: Every text of the table, in both languages.
ALL_TEXTS = sorted({value for pair in STRINGS.values() for value in pair})
#: What a field of a notice holds: a name a user gives (the table's words among them),
#: a table word with more after it, any short text, a number.
FILLS = st.one_of(
    USER_NAMES,
    st.tuples(
        st.sampled_from(sorted(i18n._first_words())), st.sampled_from([" ", ", ", "(", "'", ""])
    ).map("".join),
    st.text(max_size=6),
    st.integers(0, 12_345).map(str),
)


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_capital_first_by_first_word_is_the_whole_table_rule(data: st.DataObject) -> None:
    """Generated notices: table texts (either language) with every field filled by a
    generated value (names that are table words, a table word first), and a name or a
    table word in front of any text: capital_first, which tries only the shapes that can
    start with a message's first word, says what trying every shape said."""
    messages = []
    for value in data.draw(st.lists(st.sampled_from(ALL_TEXTS), min_size=4, max_size=8)):
        fills = {name: data.draw(FILLS) for name in _fields(value)}
        messages.append(value.format_map(fills))
    for _ in range(3):
        first = data.draw(st.one_of(USER_NAMES, st.sampled_from(sorted(i18n._first_words()))))
        messages.append(
            first + data.draw(st.sampled_from([" ", ", ", "(", ": ", ""])) + data.draw(FILLS)
        )
    for message in messages:
        assert capital_first(message) == capital_first_before(message), message


#: A flag followed by a Dutch word that is also a value of one of our flags: ``--lang en
#: [ui] language`` reads as ``--lang en`` (English), not as "--lang and [ui] language".
_FLAG_THEN_VALUE_WORD = re.compile(r"(--[a-z][a-z-]*) (en|nl)\b")


def test_a_dutch_and_after_a_flag_is_no_flag_value() -> None:
    """In a Dutch text, a flag followed by ``en`` ("and") or ``nl`` is read as that flag
    with that value: only where the English text gives the flag the same value is it
    meant (f2's settings note said ``--lang en [ui] language ... gaan voor``)."""
    wrong = [
        (key, nl)
        for key, (nl, en) in STRINGS.items()
        for flag, value in _FLAG_THEN_VALUE_WORD.findall(nl)
        if f"{flag} {value}" not in en
    ]
    assert wrong == []
