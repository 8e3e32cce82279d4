"""The configuration file: what a valid one gives, and how every mistake is reported.

Error messages are compared whole, with the file and line: that is what a person editing
the file reads. In the TOML snippets, ``# <-`` marks the line an error must point at.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.config import (
    THEMES,
    Config,
    ConfigError,
    SinkConfig,
    SourceConfig,
    default_db_path,
    demo_db_path,
    find_config_path,
    load_config,
    locale_language,
)
from reactieveld.model import TagKind

FULL = """\
# Everything a config can hold.
[store]
path = "data/memory.db"

[ui]
language = "nl"
theme = "textual-dark"

[keys]
approve = "A"
question_1 = "ctrl+1,!"

[codebook]
mode = "extend"
version = "gemeente-2025"

[[codebook.questions]]
code = "9"
key = "9"
nl = "Hoe meten we de dialoog?"
en = "How do we measure dialogue?"

[[codebook.roles]]
code = "burger"
nl = "Inwoner"

[[codebook.roles]]
code = "wijkteam"
key = "w"
nl = "Wijkteam"
en = "Neighbourhood team"
organisation = true

[[sources]]
name = "blog"
type = "wordpress"
url = "https://blog.example.org/"
username = "moderator"
password_env = "WP_APP_PASSWORD"
poll_seconds = 30

[[sources]]
name = "reacties"
type = "wordpress-feed"
url = "https://nieuws.example.org"

[[sources]]
name = "forum"
type = "discourse"
url = "https://forum.example.org"
api_username = "system"
api_key_env = "DISCOURSE_API_KEY"
poll_seconds = 2.5

[[sources]]
name = "portaal"
type = "decidim"
url = "https://portaal.example.org"
api_key_env = "DECIDIM_KEY"
api_secret_env = "DECIDIM_SECRET"

[[sources]]
name = "participatie"
type = "govocal"
url = "https://govocal.example.org"
client_id_env = "GOVOCAL_ID"
client_secret_env = "GOVOCAL_SECRET"
locale = "nl-NL"

[[sources]]
name = "oud"
type = "wordpress-feed"
url = "https://oud.example.org"
enabled = false

[[sources]]
name = "demo"
type = "demo"
count = 1000

[[sinks]]
type = "jsonl"
path = "export/tags.jsonl"

[[sinks]]
type = "webhook"
url = "https://hooks.example.org/reactieveld"
secret_env = "HOOK_SECRET"
"""


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def marked_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if "# <-" in line)


def config_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def assert_error(tmp_path: Path, text: str, message: str) -> None:
    """The config fails with ``file:line: message``, the line being the one marked."""
    path = write(tmp_path, text)
    assert config_error(path) == f"{path}:{marked_line(path)}: {message}"


# --- a valid file ------------------------------------------------------------------------


def test_full_config_gives_every_section(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    config = load_config(path)

    assert config.path == path
    assert config.store.path == tmp_path / "data" / "memory.db"
    assert (config.ui.language, config.ui.theme) == ("nl", "textual-dark")
    assert dict(config.keys) == {"approve": "A", "question_1": "ctrl+1,!"}

    book = config.codebook
    assert book.version == "gemeente-2025"
    assert [q.code for q in book.questions] == [*"123456789"]
    assert book.label(TagKind.QUESTION, "9", "en") == "How do we measure dialogue?"
    burger = book.role("burger")
    assert burger is not None and burger.key == "b"  # kept from the default
    assert burger.labels == {"nl": "Inwoner", "en": "Citizen"}
    assert "wijkteam" in book.organisation_roles

    # The disabled source is validated but not listed.
    assert [(s.name, s.type, s.poll_seconds) for s in config.sources] == [
        ("blog", "wordpress", 30.0),
        ("reacties", "wordpress-feed", 60.0),
        ("forum", "discourse", 2.5),
        ("portaal", "decidim", 60.0),
        ("participatie", "govocal", 60.0),
        ("demo", "demo", 0.0),
    ]
    blog = config.sources[0]
    assert dict(blog.options) == {
        "url": "https://blog.example.org",  # trailing slash dropped: connectors append paths
        "username": "moderator",
        "password_env": "WP_APP_PASSWORD",
    }
    # Each entry knows its line (the disabled one, on line 70, is left out).
    assert [s.line for s in config.sources] == [34, 42, 47, 55, 62, 76]
    assert blog.option("username") == "moderator"
    assert blog.option("missing", "fallback") == "fallback"
    assert config.sources[4].option("locale") == "nl-NL"
    demo = config.sources[-1]
    assert dict(demo.options) == {"count": 1000, "seed": 1}

    assert config.sinks == (
        SinkConfig("jsonl", {"path": tmp_path / "export" / "tags.jsonl"}, line=81),
        SinkConfig(
            "webhook",
            {"url": "https://hooks.example.org/reactieveld", "secret_env": "HOOK_SECRET"},
            line=85,
        ),
    )


def test_no_file_gives_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    config = load_config(None)
    assert config == Config(path=None, ui=config.ui)
    assert config.ui.language == "nl"
    assert config.sources == () and config.sinks == ()
    assert config.codebook is DEFAULT_CODEBOOK
    assert config.store.path is None


def test_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.codebook is DEFAULT_CODEBOOK
    assert (config.sources, config.sinks, dict(config.keys)) == ((), (), {})


def test_the_lines_are_found_only_when_a_line_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scanning the file for lines (three regular expressions, compiled then) is for an
    # error's line and for entries that keep theirs (sources, sinks, rules): a config
    # without them (the app's start with no sources) does not scan.
    import reactieveld.config as config_module

    real = config_module._line_index
    scans: list[str] = []

    def line_index(text: str) -> dict[tuple[str | int, ...], int]:
        scans.append(text)
        return real(text)

    monkeypatch.setattr(config_module, "_line_index", line_index)
    load_config(write(tmp_path, '[ui]\nlanguage = "nl"\n'))
    assert scans == []
    demo = load_config(write(tmp_path, '\n[[sources]]\nname = "d"\ntype = "demo"\n'))
    assert demo.sources[0].line == 2 and len(scans) == 1
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '[ui]\n\nlanguage = "xx"\n'))
    assert err.value.line == 3


def test_demo_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sources]]\nname = "demo"\ntype = "demo"\n')
    (demo,) = load_config(path).sources
    assert demo == SourceConfig("demo", "demo", 0.0, {"count": 500, "seed": 1}, line=1)


def test_config_values_are_frozen(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    with pytest.raises(TypeError):
        config.sources[0].options["url"] = "https://elsewhere.example"  # type: ignore[index]
    with pytest.raises(AttributeError):
        config.ui.language = "en"  # type: ignore[misc]


# --- the brief's example and unknown keys --------------------------------------------------


def test_unknown_source_key_names_file_line_entry_and_allowed_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [ui]
        language = "en"

        [[sources]]
        name = "demo"
        type = "demo"

        [[sources]]
        name = "blog"
        type = "wordpress"
        url = "https://blog.example.org"
        pol_seconds = 30
        """,
    )
    assert config_error(path) == (
        f'{path}:12: [[sources]] #2 "blog": key "pol_seconds" is not known; expected one of: '
        "name, type, url, username, password_env, statuses, rescan_seconds, reread_seconds, "
        "poll_seconds, enabled, fetch_process, allow_http"
    )


#: Unknown keys: a file with one mistake, marked `# <-`, and the one line it gives
#: (see test_one_mistake_names_its_line).
UNKNOWN_KEY_ERRORS = [
    pytest.param(
        """\
            [ui]
            language = "en"

            [[source]]  # <-
            name = "demo"
            """,
        'key "source" is not known; expected one of: store, ui, codebook, keys, sources, sinks, '
        "team, coding, reasons, rules",
        id="unknown_top_level_key",
    ),
    pytest.param(
        """\
            [ui]
            language = "en"
            colour = "blue"  # <-
            """,
        '[ui]: key "colour" is not known; expected one of: language, theme, moderator',
        id="unknown_key_in_ui_table",
    ),
    pytest.param(
        """\
            [[sinks]]
            type = "jsonl"
            path = "out.jsonl"
            append = true  # <-
            """,
        '[[sinks]] #1: key "append" is not known; expected one of: type, path',
        id="unknown_key_in_sink",
    ),
]


# --- wrong types and values ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            'poll_seconds = "60"',
            'key "poll_seconds": expected a number of seconds greater than 0, got a string',
        ),
        (
            "poll_seconds = 0",
            'key "poll_seconds": expected a number of seconds greater than 0, got 0',
        ),
        (
            "poll_seconds = true",
            'key "poll_seconds": expected a number of seconds greater than 0, got a boolean',
        ),
        ('enabled = "yes"', 'key "enabled": expected true or false, got a string'),
        ("count = -1", 'key "count": expected an integer of 0 or more, got -1'),
        ("count = 1.5", 'key "count": expected an integer of 0 or more, got a float'),
        ('seed = "one"', 'key "seed": expected an integer, got a string'),
        ("seed = false", 'key "seed": expected an integer, got a boolean'),
    ],
)
def test_wrong_type_in_demo_source(tmp_path: Path, line: str, message: str) -> None:
    assert_error(
        tmp_path,
        f"""\
        [[sources]]
        name = "demo"
        type = "demo"
        {line}  # <-
        """,
        f'[[sources]] #1 "demo": {message}',
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", None),  # never
        ("3600.5", None),
        ("-1", "expected a number of seconds, 0 for never, got -1"),
        ('"daily"', "expected a number of seconds, 0 for never, got a string"),
    ],
)
def test_wordpress_reread_seconds(tmp_path: Path, value: str, message: str | None) -> None:
    text = f"""\
        [[sources]]
        name = "blog"
        type = "wordpress"
        url = "https://blog.example.org"
        reread_seconds = {value}  # <-
        """
    if message is not None:
        assert_error(tmp_path, text, f'[[sources]] #1 "blog": key "reread_seconds": {message}')
        return
    [cfg] = load_config(write(tmp_path, text)).sources
    assert cfg.option("reread_seconds") == float(value)


def test_the_themes_a_config_may_name_are_textuals() -> None:
    """``[ui] theme``'s names are Textual's built-in themes, the ones the app can set (a
    name it did not know was ignored without a word)."""
    from textual.theme import BUILTIN_THEMES

    assert sorted(THEMES) == sorted(BUILTIN_THEMES)


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        ("ui", 'language = "de"', 'key "language": expected one of: "nl", "en", got "de"'),
        ("ui", "theme = 3", 'key "theme": expected a non-empty string, got an integer'),
        (
            "ui",
            'theme = "textual_dark"',
            'key "theme": expected one of: '
            + ", ".join(f'"{t}"' for t in THEMES)
            + ', got "textual_dark"',
        ),
        ("store", "path = 5", 'key "path": expected a non-empty string, got an integer'),
        ("store", 'path = ""', 'key "path": expected a non-empty string, got an empty string'),
        (
            "codebook",
            'mode = "merge"',
            'key "mode": expected one of: "extend", "replace", got "merge"',
        ),
    ],
)
def test_wrong_type_in_table(tmp_path: Path, section: str, line: str, message: str) -> None:
    assert_error(tmp_path, f"[{section}]\n{line}  # <-\n", f"[{section}]: {message}")


#: Values of the wrong type: a file with one mistake, marked `# <-`, and the one line it gives
#: (see test_one_mistake_names_its_line).
WRONG_TYPE_ERRORS = [
    pytest.param(
        'ui = "nl"  # <-\n',
        "[ui] must be a table, not a string",
        id="table_written_as_value",
    ),
    pytest.param(
        """\
            [sources]  # <-
            name = "demo"
            type = "demo"
            """,
        '"sources" must be an array of tables ([[sources]]), not a table',
        id="sources_written_as_a_single_table",
    ),
    pytest.param(
        """\
            [keys]
            approve = "A"
            spam = 5  # <-
            """,
        '[keys]: key "spam": expected a non-empty string of key names (like "A" or '
        '"ctrl+a,A"), got an integer',
        id="wrong_type_in_keys",
    ),
]


# --- sources -------------------------------------------------------------------------------


#: Mistakes in a source: a file with one mistake, marked `# <-`, and the one line it gives
#: (see test_one_mistake_names_its_line).
SOURCE_ERRORS = [
    pytest.param(
        """\
            [[sources]]
            name = "demo"
            type = "demo"

            [[sources]]  # <-
            name = "forum"
            type = "discourse"
            api_username = "system"
            """,
        '[[sources]] #2 "forum": key "url" is missing; expected an http(s) URL, like '
        '"https://example.org"',
        id="missing_url_points_at_the_entry",
    ),
    pytest.param(
        """\
            [[sources]]
            name = "reacties"
            type = "wordpress-feed"
            url = "ftp://example.org/feed"  # <-
            """,
        '[[sources]] #1 "reacties": key "url": expected an http(s) URL, like '
        '"https://example.org", got the scheme "ftp"',
        id="url_must_be_http",
    ),
    pytest.param(
        """\
            [[sources]]  # <-
            type = "demo"
            """,
        '[[sources]] #1: key "name" is missing; expected a non-empty string',
        id="missing_name",
    ),
    pytest.param(
        """\
            [[sources]]
            name = " "  # <-
            type = "demo"
            """,
        '[[sources]] #1 " ": key "name": expected a non-empty string, got an empty string',
        id="empty_name",
    ),
    pytest.param(
        """\
            [[sources]]
            name = "blog"
            type = "wordpress-feed"
            url = "https://a.example.org"

            [[sources]]
            type = "wordpress-feed"
            url = "https://b.example.org"
            enabled = false
            name = "blog"  # <-
            """,
        '[[sources]] #2 "blog": source name "blog" is already used by #1',
        id="duplicate_source_name",
    ),
    pytest.param(
        """\
            [[sources]]
            name = "x"
            type = "drupal"  # <-
            """,
        '[[sources]] #1 "x": key "type": expected one of: "wordpress", "wordpress-feed", '
        '"discourse", "decidim", "govocal", "demo", got "drupal"',
        id="unknown_source_type",
    ),
    pytest.param(
        """\
            [[sources]]
            name = "feed"
            type = "wordpress-feed"
            url = "https://example.org"
            username = "me"  # <-
            """,
        '[[sources]] #1 "feed": key "username" is not known; expected one of: '
        "name, type, url, poll_seconds, enabled, fetch_process, allow_http",
        id="key_of_another_source_type_is_unknown",
    ),
    pytest.param(
        """\
            [[sources]]
            name = "blog"
            type = "wordpress"
            url = "https://example.org"
            username = "me"  # <-
            """,
        '[[sources]] #1 "blog": key "username" needs "password_env" as well',
        id="credentials_that_belong_together",
    ),
    pytest.param(
        """\
            [[sources]]
            name = "forum"
            type = "discourse"
            url = "https://forum.example.org"
            token_env = "DISCOURSE_TOKEN"  # <-
            """,
        '[[sources]] #1 "forum": key "token_env" is not known; expected one of: '
        "name, type, url, api_username, api_key_env, poll_seconds, enabled, fetch_process, "
        "allow_http",
        id="unknown_env_key_is_just_unknown",
    ),
    pytest.param(
        """\
            [[sinks]]
            type = "webhook"
            url = "https://hooks.example.org"
            secret = "s3cr3t"  # <-
            """,
        '[[sinks]] #1: key "secret" looks like a secret, which is never written in the '
        "config; put it in an environment variable and name that variable with secret_env = "
        '"NAME" (allowed here: secret_env)',
        id="secret_in_a_webhook_sink",
    ),
]


@pytest.mark.parametrize(
    ("kind", "extra", "line", "message"),
    [
        (
            "wordpress",
            "",
            'password = "abcd efgh ijkl mnop"',
            'key "password" looks like a secret, which is never written in the config; put it '
            'in an environment variable and name that variable with password_env = "NAME" '
            "(allowed here: password_env)",
        ),
        (
            "discourse",
            "",
            'token = "abcd1234"',
            'key "token" looks like a secret, which is never written in the config; put it in '
            "an environment variable and name that variable with a *_env key "
            "(allowed here: api_key_env)",
        ),
        (
            "govocal",
            'client_id_env = "GOVOCAL_ID"\n',
            'client_secret = "abcd1234"',
            'key "client_secret" looks like a secret, which is never written in the config; '
            "put it in an environment variable and name that variable with "
            'client_secret_env = "NAME" (allowed here: client_id_env, client_secret_env)',
        ),
        (
            "wordpress-feed",
            "",
            'api_key = "abcd1234"',
            'key "api_key" looks like a secret, which is never written in the config; put it '
            "in an environment variable and name that variable with a *_env key",
        ),
    ],
)
def test_secret_written_in_the_file_is_rejected_without_repeating_it(
    tmp_path: Path, kind: str, extra: str, line: str, message: str
) -> None:
    path = write(
        tmp_path,
        f'[[sources]]\nname = "s"\ntype = "{kind}"\nurl = "https://example.org"\n'
        f"{extra}{line}  # <-\n",
    )
    error = config_error(path)
    assert error == f'{path}:{marked_line(path)}: [[sources]] #1 "s": {message}'
    assert line.split('"')[1] not in error


def test_secret_pasted_into_an_env_key_is_rejected_without_repeating_it(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        """\
        [[sources]]
        name = "blog"
        type = "wordpress"
        url = "https://example.org"
        username = "me"
        password_env = "abcd efgh ijkl mnop"  # <-
        """,
    )
    error = config_error(path)
    assert error == (
        f'{path}:6: [[sources]] #1 "blog": key "password_env": expected the name of an '
        'environment variable, like "WP_APP_PASSWORD", got a string'
    )
    assert "abcd" not in error


# --- secrets from the environment ----------------------------------------------------------


def wordpress(tmp_path: Path) -> SourceConfig:
    path = write(
        tmp_path,
        """\
        [[sources]]
        name = "blog"
        type = "wordpress"
        url = "https://example.org"
        username = "moderator"
        password_env = "TEST_WP_APP_PASSWORD"
        """,
    )
    (source,) = load_config(path).sources
    return source


def test_secret_is_read_from_the_named_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_WP_APP_PASSWORD", "abcd efgh ijkl")
    source = wordpress(tmp_path)
    assert source.secret("password") == "abcd efgh ijkl"
    # Read when asked, not when loaded: a rotated secret is picked up.
    monkeypatch.setenv("TEST_WP_APP_PASSWORD", "new one")
    assert source.secret("password") == "new one"


@pytest.mark.parametrize("value", [None, ""])
def test_unset_or_empty_secret_names_source_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("TEST_WP_APP_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("TEST_WP_APP_PASSWORD", value)
    source = wordpress(tmp_path)
    with pytest.raises(ConfigError) as caught:
        source.secret("password")
    assert str(caught.value) == (
        'source "blog": environment variable TEST_WP_APP_PASSWORD (password_env) is not '
        "set or empty"
    )


def test_secret_that_is_not_configured(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match='source "blog": no api_key_env is configured'):
        wordpress(tmp_path).secret("api_key")


# --- sinks ---------------------------------------------------------------------------------


#: Mistakes in a sink: a file with one mistake, marked `# <-`, and the one line it gives
#: (see test_one_mistake_names_its_line).
SINK_ERRORS = [
    pytest.param(
        """\
            [[sinks]]
            type = "csv"  # <-
            """,
        '[[sinks]] #1: key "type": expected one of: "jsonl", "webhook", got "csv"',
        id="unknown_sink_type",
    ),
    pytest.param(
        """\
            [[sinks]]
            type = "webhook"
            url = "https://hooks.example.org"

            [[sinks]]  # <-
            type = "jsonl"
            """,
        '[[sinks]] #2: key "path" is missing; expected a non-empty string',
        id="jsonl_sink_needs_a_path",
    ),
    pytest.param(
        """\
            [[sinks]]
            type = "webhook"
            url = "hooks.example.org"  # <-
            """,
        '[[sinks]] #1: key "url": expected an http(s) URL, like "https://example.org", '
        "got a value without http:// or https://",
        id="webhook_url_must_be_http",
    ),
]


# --- the codebook --------------------------------------------------------------------------


def test_codebook_extend_keeps_defaults_and_gets_its_own_version(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [[codebook.questions]]
        code = "9"
        key = "9"
        nl = "Hoe meten we de dialoog?"
        """,
    )
    book = load_config(path).codebook
    assert book.questions[:8] == DEFAULT_CODEBOOK.questions
    assert book.roles == DEFAULT_CODEBOOK.roles
    assert book.question("9") is not None
    assert book.label(TagKind.QUESTION, "9", "en") == "Hoe meten we de dialoog?"  # nl fallback
    assert book.version != DEFAULT_CODEBOOK.version
    # The derived version is stable: the same file gives the same version.
    assert load_config(path).codebook.version == book.version


def test_codebook_extend_overriding_a_label_changes_the_version(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [codebook]
        [[codebook.questions]]
        code = "1"
        en = "What is the dialogue for?"
        """,
    )
    book = load_config(path).codebook
    first = book.question("1")
    assert first is not None
    assert first.key == "1"
    assert first.labels["nl"] == DEFAULT_CODEBOOK.questions[0].labels["nl"]
    assert first.labels["en"] == "What is the dialogue for?"
    assert book.version not in (DEFAULT_CODEBOOK.version, "")


def test_codebook_section_without_changes_is_the_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[codebook]\nmode = "extend"\n')
    assert load_config(path).codebook is DEFAULT_CODEBOOK


def test_codebook_replace(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [codebook]
        mode = "replace"
        version = "wijk-1"

        [[codebook.questions]]
        code = "A"
        key = "1"
        nl = "Veiligheid"
        en = "Safety"

        [[codebook.roles]]
        code = "bewoner"
        key = "b"
        nl = "Bewoner"

        [[codebook.roles]]
        code = "wijkagent"
        key = "w"
        nl = "Wijkagent"
        organisation = true
        """,
    )
    book = load_config(path).codebook
    assert book.version == "wijk-1"
    assert [q.code for q in book.questions] == ["A"]
    assert [r.code for r in book.roles] == ["bewoner", "wijkagent"]
    assert book.organisation_roles == frozenset({"wijkagent"})


def test_codebook_entries_may_swap_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [[codebook.roles]]
        code = "burger"
        key = "r"
        [[codebook.roles]]
        code = "raad"
        key = "b"
        """,
    )
    book = load_config(path).codebook
    assert [(r.code, r.key) for r in book.roles[:2]] == [("burger", "r"), ("raad", "b")]


#: What a key press types: one letter, digit, punctuation mark or symbol.
_TYPED = st.characters(categories=("L", "N", "P", "S"))
_ROLE_KEYS = {r.key for r in DEFAULT_CODEBOOK.roles}


@settings(max_examples=40, deadline=None)
@given(
    key=st.one_of(
        st.text(_TYPED, min_size=2, max_size=6),
        st.builds("+".join, st.tuples(st.sampled_from(["ctrl", "alt", "shift"]), _TYPED)),
    )
)
def test_a_role_key_that_is_no_one_character_names_its_line(
    tmp_path_factory: pytest.TempPathFactory, key: str
) -> None:
    """A role's ``key = "jj"`` (or ``"ctrl+j"``) was taken, and the role picker, which
    matches the one character a key press types, could never pick that role; nothing
    said why. It is refused at its line."""
    path = write(
        tmp_path_factory.mktemp("role"),
        f'[[codebook.roles]]\ncode = "jongere"\nkey = {json.dumps(key, ensure_ascii=False)}'
        '  # <-\nnl = "Jongere"\n',
    )
    assert config_error(path) == (
        f'{path}:{marked_line(path)}: [[codebook.roles]] #1: key "key": expected one character '
        f'(the role picker reads one key press, like "j" or "J"), got "{key}"'
    )


@settings(max_examples=30, deadline=None)
@given(key=_TYPED.filter(lambda c: c not in _ROLE_KEYS and c not in '"\\'))
def test_a_role_key_of_one_character_is_taken(
    tmp_path_factory: pytest.TempPathFactory, key: str
) -> None:
    path = write(
        tmp_path_factory.mktemp("role"),
        f'[[codebook.roles]]\ncode = "jongere"\nkey = "{key}"\nnl = "Jongere"\n',
    )
    assert load_config(path).codebook.role("jongere").key == key  # type: ignore[union-attr]


#: Mistakes in the codebook: a file with one mistake, marked `# <-`, and the one line it gives
#: (see test_one_mistake_names_its_line).
CODEBOOK_ERRORS = [
    *(
        pytest.param(
            '[codebook]\nmode = "replace"  # <-\n' + given,
            f'[codebook]: key "mode": "replace" without [[codebook.{array}]] leaves no {array} '
            'to code; add them, or give mode = "extend" to keep the default ones',
            id=f"codebook_replace_without_{array}_{n}",
        )
        for n, (given, array) in enumerate(
            [
                ("", "questions"),
                ("questions = []\nroles = []\n", "questions"),
                ('[[codebook.roles]]\ncode = "b"\nkey = "b"\nnl = "Bewoner"\n', "questions"),
                ('[[codebook.questions]]\ncode = "A"\nkey = "1"\nnl = "Veiligheid"\n', "roles"),
                (
                    'roles = []\n[[codebook.questions]]\ncode = "A"\nkey = "1"\nnl = "V"\n',
                    "roles",
                ),
            ]
        )
    ),
    pytest.param(
        """\
            [codebook]
            mode = "replace"
            [[codebook.questions]]  # <-
            code = "1"
            nl = "Doelen"
            """,
        '[[codebook.questions]] #1: key "key" is missing; expected a non-empty string',
        id="codebook_replace_needs_key_and_dutch_label",
    ),
    pytest.param(
        """\
            [[codebook.questions]]
            code = "9"
            key = "9"
            nl = "Negen"

            [[codebook.questions]]
            code = "9"  # <-
            key = "0"
            nl = "Nog eens negen"
            """,
        '[[codebook.questions]] #2: code "9" is already defined',
        id="codebook_duplicate_code",
    ),
    pytest.param(
        """\
            [[codebook.roles]]
            code = "pers"
            key = "r"  # <-
            nl = "Pers"
            """,
        '[[codebook.roles]] #1: key "r" is already used by role "raad"',
        id="codebook_duplicate_key_with_a_default",
    ),
    pytest.param(
        """\
            [[codebook.questions]]
            code = [9]  # <-
            key = "9"
            nl = "Negen"
            """,
        '[[codebook.questions]] #1: key "code": expected a code of the letters a-z and A-Z, '
        'digits, "_" and "-" (at most 32), like "burger" or "1", got an array',
        id="codebook_code_must_be_a_string",
    ),
    pytest.param(
        """\
            [[codebook.roles]]
            code = "raad"
            organisation = "yes"  # <-
            """,
        '[[codebook.roles]] #1: key "organisation": expected true or false, got a string',
        id="codebook_organisation_must_be_boolean",
    ),
    pytest.param(
        """\
            [[codebook.questions]]
            code = "1"
            de = "Ziele"  # <-
            """,
        '[[codebook.questions]] #1: key "de" is not known; expected one of: code, key, nl, en',
        id="codebook_unknown_key",
    ),
    pytest.param(
        """\
            [codebook]
            version = "default-1"  # <-
            [[codebook.questions]]
            code = "1"
            nl = "Anders"
            """,
        '[codebook]: version "default-1" belongs to the default codebook; give this codebook '
        "a version of its own (or leave it out)",
        id="changed_codebook_cannot_claim_the_default_version",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"),
    [*UNKNOWN_KEY_ERRORS, *WRONG_TYPE_ERRORS, *SOURCE_ERRORS, *SINK_ERRORS, *CODEBOOK_ERRORS],
)
def test_one_mistake_names_its_line(tmp_path: Path, text: str, message: str) -> None:
    assert_error(tmp_path, text, message)


# --- syntax and files ----------------------------------------------------------------------


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[ui]\nlanguage = "nl"\ntheme = \n')
    assert config_error(path) == (
        f'{path}:3: TOML syntax error: "Invalid value" (column 9); fix the file at that line'
    )


def test_duplicate_toml_key_is_a_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[ui]\nlanguage = "nl"\nlanguage = "en"\n')
    assert config_error(path).startswith(f"{path}:3: TOML syntax error: ")


def test_syntax_error_at_the_end(tmp_path: Path) -> None:
    path = write(tmp_path, '[ui]\ntheme = """dark\n')
    assert config_error(path).startswith(f"{path}:3: TOML syntax error: ")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert config_error(path) == f"{path}: config file does not exist"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\ntheme = "caf\xe9"\n')
    assert config_error(path).startswith(f"{path}: not UTF-8 text")
    assert config_error(path).endswith(
        "; save it as UTF-8 (in the editor: Save as, encoding UTF-8)"
    )


def test_find_config_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    flag = write(tmp_path, "", "flag.toml")
    env = write(tmp_path, "", "env.toml")
    environ = {"REACTIEVELD_CONFIG": str(env)}

    assert find_config_path(str(flag), environ) == flag
    assert find_config_path(None, environ) == env
    assert find_config_path(None, {}) is None  # no XDG file yet
    xdg = tmp_path / "xdg" / "reactieveld" / "config.toml"
    xdg.parent.mkdir(parents=True)
    xdg.write_text("")
    assert find_config_path(None, {}) == xdg
    assert find_config_path(None, {"REACTIEVELD_CONFIG": ""}) == xdg


def test_named_config_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError) as caught:
        find_config_path(str(missing), {})
    assert str(caught.value) == f"{missing}: config file does not exist (named by --config)"
    with pytest.raises(ConfigError) as caught:
        find_config_path(None, {"REACTIEVELD_CONFIG": str(missing)})
    assert str(caught.value) == (
        f"{missing}: config file does not exist (named by REACTIEVELD_CONFIG)"
    )
    with pytest.raises(ConfigError, match="is a directory"):
        find_config_path(str(tmp_path), {})


def test_data_paths_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "reactieveld" / "memory.db"
    assert demo_db_path() == tmp_path / "reactieveld" / "demo.db"


# --- store path and language -------------------------------------------------------------


def test_relative_store_path_is_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    path = write(folder, '[store]\npath = "../var/memory.db"\n')
    monkeypatch.chdir(tmp_path / "etc")
    relative = Path("config.toml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = load_config(relative)
    monkeypatch.chdir(elsewhere)
    assert config.store.path == folder / ".." / "var" / "memory.db"
    assert config.store.path.is_absolute()
    assert load_config(path).store.path == config.store.path


def test_store_path_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write(tmp_path, '[store]\npath = "~/reactieveld.db"\n')
    assert load_config(path).store.path == tmp_path / "home" / "reactieveld.db"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE"}, "nl"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LANG": "nl_NL.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),  # LC_ALL wins
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_NL.UTF-8", "LC_ALL": ""}, "nl"),  # empty means unset
    ],
)
def test_language_default_from_the_locale(
    tmp_path: Path, environ: dict[str, str], language: str
) -> None:
    assert locale_language(environ) == language
    assert load_config(write(tmp_path, ""), environ).ui.language == language
    assert load_config(None, environ).ui.language == language


def test_configured_language_beats_the_locale(tmp_path: Path) -> None:
    path = write(tmp_path, '[ui]\nlanguage = "en"\n')
    assert load_config(path, {"LANG": "nl_NL.UTF-8"}).ui.language == "en"


# --- finding the line --------------------------------------------------------------------


def test_line_is_found_past_lookalike_text(tmp_path: Path) -> None:
    """Multi-line strings, arrays, comments, dotted keys and sub-tables do not confuse
    the line finder."""
    assert_error(
        tmp_path,
        '''\
        # [[sources]]
        # poll_seconds = 1
        [codebook]
        version = """
        [[sources]]
        count = -1
        """

        [[sources]]
        name = "demo"
        type = "demo"

        [[codebook.questions]]
        code = "9"
        key = "9"
        nl = """Een vraag
        [[sources]]
        count = -2"""

        [[sources]]
        'name' = "demo2"
        "type" = "demo"
        count = -3  # <-
        ''',
        '[[sources]] #2 "demo2": key "count": expected an integer of 0 or more, got -3',
    )


def test_line_of_inline_table_falls_back_to_its_key(tmp_path: Path) -> None:
    assert_error(
        tmp_path,
        """\
        [ui]
        language = "nl"
        sources = [  # <-
          { name = "demo", type = "demo", count = -1 },
        ]
        """,
        '[ui]: key "sources" is not known; expected one of: language, theme, moderator',
    )
    path = write(
        tmp_path,
        """\
        sources = [
          { name = "demo", type = "demo", count = -1 },
        ]
        """,
    )
    assert config_error(path) == (
        f'{path}:1: [[sources]] #1 "demo": key "count": expected an integer of 0 or more, got -1'
    )
