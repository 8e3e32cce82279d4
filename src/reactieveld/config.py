"""The configuration: one TOML file, validated strictly.

Found via ``--config``, ``REACTIEVELD_CONFIG`` or the XDG config dir. Every mistake (an
unknown key, a wrong type, a missing URL, a secret written in the file) is a
:class:`ConfigError` that names the file, the line, the key and what was expected.
Secrets are only ever *named* (``password_env = "WP_APP_PASSWORD"``) and read from the
environment when a connector needs them, so we never write one anywhere.

tomllib does not report where a value came from, so :func:`_line_index` scans the TOML
text for table headers and keys. It is a best effort that is right for ordinary files
(headers, ``key = value`` lines, arrays of tables); for anything it cannot place (inline
tables) the error points at the nearest enclosing table or key it did find.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import platformdirs

from reactieveld.codebook import (
    DEFAULT_CODEBOOK,
    Code,
    Codebook,
    is_code,
    make_codebook,
    name_clashes,
)
from reactieveld.i18n import STRINGS, Said, template_pattern
from reactieveld.keys import keymap_problem
from reactieveld.model import DECIDIM_SPACE_TYPES, TagKind
from reactieveld.reasons import ASKABLE, DEFAULT_ASK_FOR, Reason, ReasonsConfig
from reactieveld.rules import ACTIONS, NO_RULES, RuleError, RuleSet

if TYPE_CHECKING:
    from reactieveld.rule_match import Rule

APP_NAME = "reactieveld"
ENV_CONFIG = "REACTIEVELD_CONFIG"

SOURCE_TYPES = ("wordpress", "wordpress-feed", "discourse", "decidim", "govocal", "demo")
SINK_TYPES = ("jsonl", "webhook")
LANGUAGES = ("nl", "en")
DEFAULT_POLL_SECONDS = 60.0


class ConfigError(Exception):
    """A configuration problem, worded for the person who edits the file: a text of the
    interface table (``what``, a :class:`~reactieveld.i18n.Said`) shown in the reader's
    language by :meth:`said`; ``str()`` is its English (what scripts match), both with
    the file and line first."""

    def __init__(self, what: Said, *, file: Path | str | None = None, line: int | None = None):
        self.what = what
        self.message = str(what)
        self.file = file
        self.line = line
        super().__init__(str(self))

    def said(self, language: str) -> str:
        """This error in ``language``: the file and line, then what is wrong."""
        message = self.what.text(language)
        if self.file is None:
            return message
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {message}"

    def __str__(self) -> str:
        return self.said("en")


def _from_environment(where: str, variable: str, key: str) -> str:
    """The secret in the environment variable ``variable``, which the config names with
    ``key`` in ``where``; a ConfigError saying so when it is unset or empty."""
    value = os.environ.get(variable, "")
    if not value:
        said = "config.env.unset"
        if where.endswith("[store]"):  # the memory's: what to do (a source's says it itself)
            said += ".store_password" if key == "password_env" else ".store"
        raise ConfigError(Said(said, where=where, variable=variable, setting=key))
    return value


# --- the dataclasses ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoreConfig:
    """Where the memory lives; ``None`` means the default (:func:`default_db_path`)."""

    path: Path | None = None
    #: The environment variable holding the key of the author keys (``None``: the
    #: store keeps a random key of its own in its file).
    author_secret_env: str | None = None
    #: A team's memory on PostgreSQL (``postgresql://role@host/db``) instead of ``path``.
    url: str | None = None
    #: With ``url``: the environment variable holding the role's password (never the file).
    password_env: str | None = None
    #: Where ``password_env`` and ``author_secret_env`` are written ("file:line: "), for
    #: the line that says their variable is unset.
    places: tuple[tuple[str, str], ...] = ()

    def _place(self, key: str) -> str:
        return dict(self.places).get(key, "")

    def password(self) -> str | None:
        """The database password from the environment (None: asyncpg then looks where libpq
        does: PGPASSWORD, ~/.pgpass). Raises ConfigError when the variable is named but unset."""
        if not self.password_env:
            return None
        return _from_environment(
            self._place("password_env") + "[store]", self.password_env, "password_env"
        )

    def author_secret(self) -> str | None:
        """The author secret from the environment, or None when none is configured.
        Raises ConfigError when the variable is named but unset or empty."""
        if not self.author_secret_env:
            return None
        return _from_environment(
            self._place("author_secret_env") + "[store]",
            self.author_secret_env,
            "author_secret_env",
        )


@dataclass(frozen=True)
class UIConfig:
    """``[ui]``: the language (default from the locale) and an optional Textual theme."""

    language: Literal["nl", "en"] = "en"
    theme: str | None = None
    #: Whether the file said ``language`` (else it came from the locale): a language
    #: saved with f2 goes before the locale, not before the file (reactieveld.state).
    language_set: bool = False
    #: Who acts, written with every journal entry, note and reply on a SQLite memory
    #: (None: the OS user). PostgreSQL names the moderator itself (the database role).
    moderator: str | None = None


@dataclass(frozen=True)
class SourceConfig:
    """One ``[[sources]]`` entry. ``options`` holds every key but name, type and poll."""

    name: str
    type: str
    poll_seconds: float
    options: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None

    def option(self, key: str, default: Any = None) -> Any:
        """The option ``key``, or ``default`` when the config does not set it."""
        return self.options.get(key, default)

    def secret(self, key: str) -> str:
        """The secret ``key`` (e.g. ``"password"``), read from the environment variable
        named by ``<key>_env``. Raises ConfigError when it is not configured or unset."""
        var = self.options.get(f"{key}_env")
        if not var:
            raise ConfigError(Said("config.secret.none", name=self.name, setting=key))
        return _from_environment(f'source "{self.name}"', var, f"{key}_env")

    def unset_secret(self) -> tuple[str, str] | None:
        """The first ``*_env`` key whose environment variable is unset or empty, with
        that variable's name (never its value); None when every named secret is set."""
        for key, var in self.options.items():
            if key.endswith("_env") and isinstance(var, str) and not os.environ.get(var):
                return key, var
        return None


@dataclass(frozen=True)
class SinkConfig:
    """One ``[[sinks]]`` entry (jsonl or webhook)."""

    type: str
    options: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None


@dataclass(frozen=True)
class TeamConfig:
    """``[team]``: working on one memory with others."""

    #: How long opening a response claims it (a lease the app renews while it stays
    #: open); a claim left behind (a crash, a closed laptop) ends by itself after this.
    claim_minutes: float = 5.0


@dataclass(frozen=True)
class CodingConfig:
    """``[coding]``: double coding for intercoder agreement (issue 14)."""

    #: The share of responses (0..1) picked, by a hash of source and external id, to be
    #: coded a second time, blind, by another moderator. 0 (the default) is off.
    double_share: float = 0.0


@dataclass(frozen=True)
class Config:
    """The whole configuration; ``Config()`` is what a missing file means."""

    path: Path | None = None
    store: StoreConfig = field(default_factory=StoreConfig)
    ui: UIConfig = field(default_factory=UIConfig)
    codebook: Codebook = DEFAULT_CODEBOOK
    keys: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[SourceConfig, ...] = ()
    sinks: tuple[SinkConfig, ...] = ()
    team: TeamConfig = field(default_factory=TeamConfig)
    coding: CodingConfig = field(default_factory=CodingConfig)
    reasons: ReasonsConfig = field(default_factory=ReasonsConfig)
    #: ``[[rules]]``: watched words and patterns the sync applies (empty: none).
    rules: RuleSet = NO_RULES


# --- finding files -----------------------------------------------------------------------


def default_config_path() -> Path:
    """Where the configuration file is looked for when none is named."""
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def ignored_xdg(environ: Mapping[str, str] = os.environ) -> list[Said]:
    """Each of ``XDG_CONFIG_HOME`` and ``XDG_DATA_HOME`` set to a relative path, which the
    XDG spec says to ignore (platformdirs does): with the folder used instead, so a
    command that finds no config or memory says why instead of only "no sources"."""
    used = {
        "XDG_CONFIG_HOME": default_config_path().parent,
        "XDG_DATA_HOME": default_db_path().parent,
    }
    return [
        Said("config.xdg.relative", name=var, value=value, used=str(folder))
        for var, folder in used.items()
        if (value := environ.get(var)) and not Path(value).is_absolute()
    ]


def find_config_path(
    cli_path: str | Path | None, environ: Mapping[str, str] = os.environ
) -> Path | None:
    """``--config``, else ``REACTIEVELD_CONFIG``, else the XDG config file if it exists.

    A file named explicitly (by flag or environment) that does not exist is an error, and
    so is a folder or a broken link at the XDG place (not silently the defaults).
    """
    named = cli_path or environ.get(ENV_CONFIG) or None
    if named:
        path = Path(named).expanduser()
        origin = "--config" if cli_path else ENV_CONFIG
        # Not only a regular file: a pipe (``--config <(envsubst < config.tmpl)``) and a
        # device (``--config /dev/null``: the defaults) are read as one too.
        if path.is_dir() or not path.exists():
            problem = "config.file.dir_named" if path.is_dir() else "config.file.absent_named"
            raise ConfigError(Said(problem, origin=origin), file=path)
        return path
    default = default_config_path()
    if default.is_file():
        return default
    if default.is_dir() or default.is_symlink():  # something there, but no file to read
        problem = "config.file.default_dir" if default.is_dir() else "config.file.default_link"
        raise ConfigError(Said(problem), file=default)
    return None


def default_db_path() -> Path:
    """The memory store used when neither ``--db`` nor ``[store] path`` says otherwise."""
    return platformdirs.user_data_path(APP_NAME) / "memory.db"


def demo_db_path() -> Path:
    """The store ``reactieveld --demo`` fills, kept apart from the real memory."""
    return platformdirs.user_data_path(APP_NAME) / "demo.db"


def locale_language(environ: Mapping[str, str] = os.environ) -> Literal["nl", "en"]:
    """``nl`` when the locale (LC_ALL, LC_MESSAGES, LANG, in POSIX order) is Dutch."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def language_of(config: Any, environ: Mapping[str, str] = os.environ) -> Literal["nl", "en"]:
    """The one rule for the language of what a command prints and its parser says
    (README, Configuration): ``--lang``, else ``[ui] language``, else the locale. A loaded
    config has settled it in ``config.ui.language`` (:func:`load_config`, and
    ``cli.Context`` for ``--lang``); anything without one (no config, a test's config
    without ``[ui]``) takes the locale, as a config file without ``[ui] language`` does."""
    said = getattr(getattr(config, "ui", None), "language", None)
    return said if said in ("nl", "en") else locale_language(environ)


def os_user() -> str:
    """The OS user's name (``moderator`` when there is none to be had)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: still a moderator
        return os.environ.get("USER", "moderator")


async def who_acts(store: Any, config: Any) -> str:
    """The one rule for who acts on ``store`` (issue 13): the moderator the store itself
    knows (PostgreSQL: ``session_user``), else ``[ui] moderator``, else the OS user."""
    whoami = getattr(store, "whoami", None)
    who = await whoami() if whoami is not None else None
    if who:
        return str(who)
    return getattr(getattr(config, "ui", None), "moderator", None) or os_user()


async def coder_of(store: Any, config: Any) -> str:
    """Whose coding a command's rows show where double coding is blind (issue 14,
    store/codings.py ``blinded``; the app's the same): :func:`who_acts`, none on a store
    that may only be read (policy staff never code: they see the tags)."""
    return "" if getattr(store, "read_only", False) else await who_acts(store, config)


# --- locating lines ----------------------------------------------------------------------

_KEY_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_AOT = rf"^\s*\[\[\s*({_DOTTED})\s*\]\]"
_TABLE = rf"^\s*\[\s*({_DOTTED})\s*\]"
_KEY = rf"^\s*({_DOTTED})\s*="

Where = tuple[str | int, ...]


def _split_dotted(text: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _line_index(text: str) -> dict[Where, int]:
    """Map paths like ``("sources", 1, "url")`` to the 1-based line that defines them."""
    lines: dict[Where, int] = {}
    counts: dict[Where, int] = {}  # array-of-tables path -> index of its latest entry
    table: Where = ()
    in_string: str | None = None  # the delimiter of an open multi-line string

    def resolve(parts: tuple[str, ...]) -> Where:
        path: Where = ()
        for part in parts:
            path += (part,)
            if path in counts:  # a name that is an array of tables means its latest entry
                path += (counts[path],)
        return path

    # Compiled here, at a config's first error (re caches them): not at every start.
    aot_re, table_re, key_re = re.compile(_AOT), re.compile(_TABLE), re.compile(_KEY)
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        if m := aot_re.match(line):
            parts = _split_dotted(m.group(1))
            array = resolve(parts[:-1]) + (parts[-1],)
            counts[array] = counts.get(array, -1) + 1
            table = array + (counts[array],)
            lines.setdefault(array, number)
            lines.setdefault(table, number)
        elif m := table_re.match(line):
            table = resolve(_split_dotted(m.group(1)))
            lines.setdefault(table, number)
        elif m := key_re.match(line):
            parts = _split_dotted(m.group(1))
            for end in range(1, len(parts) + 1):
                lines.setdefault(table + parts[:end], number)
            rest = line[m.end() :]
            for delim in ('"""', "'''"):
                if rest.count(delim) % 2:
                    in_string = delim
                    break
    return lines


# --- validation helpers ------------------------------------------------------------------

_SECRET_WORDS = ("password", "passwd", "secret", "token", "api_key", "apikey", "private_key")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME_RE = re.compile(r"^[A-Za-z0-9_.+-]+$")


def _toml_type(value: Any) -> Said:
    for kind in (bool, int, float, str, list, dict):
        if isinstance(value, kind):
            return Said(f"config.type.{kind.__name__}")
    return Said("config.type.date")


# A checker returns the cleaned value, or raises ValueError(expected[, got]), each a Said
# (or, for got, a value shown as it is: a number). Without "got" the message names the
# value's type: a string is never shown, as it could be a secret written in the wrong place.
Check = Callable[[Any], Any]


def _is(kind: type, expected: Said) -> Check:
    def check(value: Any) -> Any:
        # bool is an int to Python, never to a person writing TOML
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ValueError(expected)
        return value

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(Said("config.expect.text"))
    if not value.strip():
        raise ValueError(Said("config.expect.text"), Said("config.got.empty_text"))
    return value


#: The themes ``[ui] theme`` may name: Textual's own (``textual.theme.BUILTIN_THEMES``,
#: which this module may not import: no Textual below ``tui/``; tests/test_config.py
#: checks that the two agree). The app registers none of its own.
THEMES: tuple[str, ...] = (
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
    "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
    "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon",
    "solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night",
)  # fmt: skip


def _theme(value: Any) -> str:
    """A theme by name: a text (said as any text is), then one of :data:`THEMES` (a name
    the app did not know was ignored: the default theme, and not a word said)."""
    return str(_choice(THEMES)(_text(value)))


def _code(value: Any) -> str:
    """A question's or role's code (:func:`~reactieveld.codebook.is_code`); what is wrong
    with another is said: its first character that is not taken, or its length."""
    expected = Said("config.expect.code")
    if not isinstance(value, str):
        raise ValueError(expected)
    if is_code(value):
        return value
    if not value:
        raise ValueError(expected, Said("config.got.empty_text"))
    # The first character not taken there (one that is taken inside, after a letter).
    bad = next((i for i, c in enumerate(value) if not is_code(c if i == 0 else "a" + c)), None)
    if bad is None:
        raise ValueError(expected, Said("config.got.code_long", n=len(value)))
    char = value[bad]
    shown = f'"{char}"' if char.isprintable() else f"U+{ord(char):04X}"
    got = "config.got.code_start" if bad == 0 else "config.got.code_char"
    raise ValueError(expected, Said(got, char=shown))


def _env_name(value: Any) -> str:
    # Also catches a secret pasted here by mistake (WordPress app passwords have spaces).
    if not isinstance(value, str) or not _ENV_NAME_RE.match(value):
        raise ValueError(Said("config.expect.env_name"))
    return value


def _http_url(value: Any) -> str:
    expected = Said("config.expect.http_url", schemes="http(s)")
    if not isinstance(value, str):
        raise ValueError(expected)
    # What is wrong with it, not "got a string" (a string was right); never the value
    # itself: its userinfo may hold a password. A scheme is letters, digits, + - . only.
    url: str = value.strip()
    parts = urlsplit(url)
    if not parts.scheme:
        raise ValueError(expected, Said("config.got.url_no_scheme"))
    if parts.scheme not in ("http", "https"):
        raise ValueError(expected, Said("config.url.got.scheme", scheme=parts.scheme))
    host = parts.netloc.rpartition("@")[2]
    if not host:
        raise ValueError(expected, Said("config.url.got.no_host"))
    if any(char.isspace() for char in host):
        raise ValueError(expected, Said("config.got.url_space"))
    return url


def _site_url(value: Any) -> str:
    return _http_url(value).rstrip("/")  # connectors append API paths to it


def _decidim_spaces(value: Any) -> tuple[str, ...]:
    # Decidim's optional space modules: read only those named (default: all it has).
    expected = Said("config.expect.spaces", types=", ".join(DECIDIM_SPACE_TYPES))
    if (
        not isinstance(value, list)
        or not value
        or any(v not in DECIDIM_SPACE_TYPES for v in value)
        or len(set(value)) != len(value)
    ):
        raise ValueError(expected)
    return tuple(value)


def is_loopback_host(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine."""
    if not host:
        return False
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def _refuse_plain_http(reader: _Reader, where: Where, context: str, clean: dict[str, Any]) -> None:
    """An ``http://`` url to another machine sends the source's credentials (a WordPress
    application password, an API key) or a webhook's personal data in clear text; refused
    unless the entry says ``allow_http = true``. Pops ``allow_http`` from ``clean``."""
    allowed = clean.pop("allow_http", False)
    url = clean.get("url")
    if allowed or not isinstance(url, str):
        return
    parts = urlsplit(url)
    if parts.scheme != "http" or is_loopback_host(parts.hostname):
        return
    # The host only: the userinfo of the url may hold a password.
    raise reader.error(where + ("url",), context, Said("config.plain_http", host=parts.hostname))


def _positive_number(value: Any) -> float:
    expected = Said("config.expect.seconds")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(expected)
    if not value > 0:
        raise ValueError(expected, str(value))
    return float(value)


def _seconds_or_never(value: Any) -> float:
    expected = Said("config.expect.seconds_or_never")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(expected)
    if not value >= 0:
        raise ValueError(expected, str(value))
    return float(value)


def _count(value: Any) -> int:
    expected = Said("config.expect.count")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(expected)
    if value < 0:
        raise ValueError(expected, str(value))
    return value


_integer = _is(int, Said("config.type.int"))
_boolean = _is(bool, Said("config.expect.boolean"))


def _demo_anchor(value: Any) -> Any:
    # The demo's newest response: a TOML date or date-time, or the same as text.
    from reactieveld.connectors.demo import parse_anchor

    expected = Said("config.expect.date")
    if isinstance(value, bool):
        raise ValueError(expected)
    try:
        parse_anchor(value)
    except (ValueError, TypeError):
        raise ValueError(expected, repr(value)) from None
    return value


#: A moderator's name: what the journal, the notes and (on a team) the claims show.
MODERATOR_MAX = 64


def _moderator(value: Any) -> str:
    # Shown in every journal line and stored with every action: one printable line, short
    # enough for the response view at 80 columns; blanks around it are not part of it.
    expected = Said("config.expect.moderator", most=MODERATOR_MAX)
    if not isinstance(value, str):
        raise ValueError(expected)
    name = value.strip()
    if not name or len(name) > MODERATOR_MAX or not name.isprintable():
        raise ValueError(expected)
    return name


def _choice(options: tuple[str, ...]) -> Check:
    def check(value: Any) -> str:
        if value not in options:
            expected = Said("config.expect.choice", options=", ".join(f'"{o}"' for o in options))
            # Safe to show: a choice (type, language, mode) is never a secret.
            shown = f'"{value}"' if isinstance(value, str) and value.isprintable() else None
            raise ValueError(expected, *([shown] if shown and len(value) <= 40 else []))
        return str(value)

    return check


class _Reader:
    """Validates the parsed document and turns problems into located ConfigErrors."""

    def __init__(self, file: Path, text: str):
        self.file = file
        self.text = text

    @functools.cached_property
    def lines(self) -> dict[Where, int]:
        """Where each key is (:func:`_line_index`), found at the first error only."""
        return _line_index(self.text)

    def line(self, where: Where) -> int | None:
        while where:  # fall back to the nearest enclosing thing we could place
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return None

    def error(self, where: Where, context: str, message: Said) -> ConfigError:
        said = Said("config.in", where=context, said=message) if context else message
        return ConfigError(said, file=self.file, line=self.line(where))

    def table(
        self,
        data: Any,
        where: Where,
        context: str,
        spec: Mapping[str, tuple[Check, bool]],
        *,
        partial: bool = False,
    ) -> dict[str, Any]:
        """Check ``data`` against ``spec`` (key -> (checker, required)); return clean values.

        ``partial`` checks only the keys of ``spec`` (to read ``type`` before the rest).
        """
        if not isinstance(data, dict):
            what = context or Said("config.the_file")
            raise self.error(where, "", Said("config.not_table", what=what, got=_toml_type(data)))
        for key in data:
            if key not in spec and not partial:
                raise self.error(where + (key,), context, self._unknown(key, spec))
        clean: dict[str, Any] = {}
        for key, (check, required) in spec.items():
            if key not in data:
                if required:
                    expected = self._expected(check)
                    missing = Said("config.missing", setting=key, expected=expected)
                    raise self.error(where, context, missing)
                continue
            try:
                clean[key] = check(data[key])
            except ValueError as exc:
                expected, got = (*exc.args, _toml_type(data[key]))[:2]
                wrong = Said("config.wrong", setting=key, expected=expected, got=got)
                raise self.error(where + (key,), context, wrong) from None
        return clean

    @staticmethod
    def _expected(check: Check) -> Said:
        # Every checker rejects a bare object, and says what it wanted while doing so.
        try:
            check(object())
        except ValueError as exc:
            said: Said = exc.args[0]
            return said
        return Said("config.expect.value")  # pragma: no cover - every checker rejects it

    @staticmethod
    def _unknown(key: str, spec: Mapping[str, Any]) -> Said:
        env_keys = [k for k in spec if k.endswith("_env")]
        secret_like = any(w in key.lower() for w in _SECRET_WORDS) and not key.endswith("_env")
        if f"{key}_env" in spec or secret_like:
            hint = (
                Said("config.secret_key.env", setting=key)
                if f"{key}_env" in spec
                else Said("config.secret_key.any")
            )
            also = Said("config.secret_key.allowed", keys=", ".join(env_keys)) if env_keys else ""
            return Said("config.secret_key", setting=key, hint=hint, also=also)
        return Said("config.unknown", setting=key, keys=", ".join(spec))


# --- the sections ------------------------------------------------------------------------

_TOP = (
    "store",
    "ui",
    "codebook",
    "keys",
    "sources",
    "sinks",
    "team",
    "coding",
    "reasons",
    "rules",
)

_SOURCE_HEAD: dict[str, tuple[Check, bool]] = {
    "name": (_text, True),
    "type": (_choice(SOURCE_TYPES), True),
}
_SOURCE_KEYS: dict[str, dict[str, tuple[Check, bool]]] = {
    "wordpress": {
        "url": (_site_url, True),
        "username": (_text, False),
        "password_env": (_env_name, False),
        "statuses": (_choice(("any", "each")), False),
        "rescan_seconds": (_positive_number, False),
        "reread_seconds": (_seconds_or_never, False),
    },
    "wordpress-feed": {"url": (_site_url, True)},
    "discourse": {
        "url": (_site_url, True),
        "api_username": (_text, False),
        "api_key_env": (_env_name, False),
    },
    "decidim": {
        "url": (_site_url, True),
        "api_key_env": (_env_name, False),
        "api_secret_env": (_env_name, False),
        "spaces": (_decidim_spaces, False),
    },
    "govocal": {
        "url": (_site_url, True),
        "client_id_env": (_env_name, False),
        "client_secret_env": (_env_name, False),
        "locale": (_text, False),
    },
    "demo": {
        "count": (_count, False),
        "seed": (_integer, False),
        "trickle": (_count, False),
        "history": (_boolean, False),
        "anchor": (_demo_anchor, False),
    },
}
# Keys that only make sense together (a user name without a password is a mistake).
_TOGETHER = {
    "wordpress": ("username", "password_env"),
    "decidim": ("api_key_env", "api_secret_env"),
    "govocal": ("client_id_env", "client_secret_env"),
}
_SOURCE_DEFAULTS: dict[str, dict[str, Any]] = {"demo": {"count": 500, "seed": 1}}

_SINK_KEYS: dict[str, dict[str, tuple[Check, bool]]] = {
    "jsonl": {"path": (_text, True)},
    "webhook": {
        "url": (_http_url, True),
        "secret_env": (_env_name, False),
        "allow_http": (_boolean, False),
    },
}


def _array_of_tables(reader: _Reader, data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise reader.error((name,), "", Said("config.not_tables", name=name, got=_toml_type(value)))
    return value


def _sources(reader: _Reader, data: dict[str, Any]) -> tuple[SourceConfig, ...]:
    sources: list[SourceConfig] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(_array_of_tables(reader, data, "sources")):
        where: Where = ("sources", i)
        context = f"[[sources]] #{i + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            context += f' "{entry["name"]}"'
        # First name and type: they decide which other keys are allowed.
        head = reader.table(entry, where, context, _SOURCE_HEAD, partial=True)
        name, kind = head["name"], head["type"]
        if name in seen:
            used = Said("config.name_used.source", name=name, number=seen[name])
            raise reader.error(where + ("name",), context, used)
        seen[name] = i + 1
        spec = {
            **_SOURCE_HEAD,
            **_SOURCE_KEYS[kind],
            "poll_seconds": (_positive_number, False),
            "enabled": (_boolean, False),
            # Fetch in a child process (reactieveld.fetchproc); the demo always runs inline.
            **({"fetch_process": (_boolean, False)} if kind != "demo" else {}),
            **({"allow_http": (_boolean, False)} if kind != "demo" else {}),
        }
        clean = reader.table(entry, where, context, spec)
        _refuse_plain_http(reader, where, context, clean)
        pair = _TOGETHER.get(kind, ())
        if pair and (pair[0] in clean) != (pair[1] in clean):
            given, missing = pair if pair[0] in clean else pair[::-1]
            raise reader.error(
                where + (given,), context, Said("config.needs", given=given, missing=missing)
            )
        if not clean.pop("enabled", True):
            continue  # a disabled source is validated but neither synced nor listed
        default_poll = 0.0 if kind == "demo" else DEFAULT_POLL_SECONDS
        poll = clean.pop("poll_seconds", default_poll)
        options = {**_SOURCE_DEFAULTS.get(kind, {}), **clean}
        del options["name"], options["type"]
        sources.append(
            SourceConfig(name, kind, poll, MappingProxyType(options), reader.line(where))
        )
    return tuple(sources)


def _sinks(reader: _Reader, data: dict[str, Any], base: Path) -> tuple[SinkConfig, ...]:
    sinks: list[SinkConfig] = []
    for i, entry in enumerate(_array_of_tables(reader, data, "sinks")):
        where: Where = ("sinks", i)
        context = f"[[sinks]] #{i + 1}"
        head_spec = {"type": (_choice(SINK_TYPES), True)}
        kind = reader.table(entry, where, context, head_spec, partial=True)["type"]
        options = reader.table(entry, where, context, {**head_spec, **_SINK_KEYS[kind]})
        _refuse_plain_http(reader, where, context, options)
        del options["type"]
        if "path" in options:
            options["path"] = _relative_to(options["path"], base)
        sinks.append(SinkConfig(kind, MappingProxyType(options), reader.line(where)))
    return tuple(sinks)


def _words(value: Any) -> tuple[str, ...]:
    expected = Said("config.expect.words")
    if not isinstance(value, list) or not value:
        got = Said("config.got.empty_list") if value == [] else _toml_type(value)
        raise ValueError(expected, got)
    if any(not isinstance(w, str) or not w.strip() for w in value):
        raise ValueError(expected, Said("config.got.bad_word"))
    return tuple(value)


_RULE_SPEC: dict[str, tuple[Check, bool]] = {
    "name": (_text, True),
    "words": (_words, False),
    "pattern": (_is(str, Said("config.expect.regex")), False),
    "action": (_choice(ACTIONS), True),
}


def _rules(reader: _Reader, data: dict[str, Any]) -> RuleSet:
    """``[[rules]]``: each compiled here, so a bad one stops the program at start (with
    its file and line), never the sync later."""
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(_array_of_tables(reader, data, "rules")):
        where: Where = ("rules", i)
        context = f"[[rules]] #{i + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            context += f' "{entry["name"]}"'
        clean = reader.table(entry, where, context, _RULE_SPEC)
        name = clean["name"]
        if name in seen:
            used = Said("config.name_used.rule", name=name, number=seen[name])
            raise reader.error(where + ("name",), context, used)
        seen[name] = i + 1
        key = "pattern" if "pattern" in clean else "words"
        from reactieveld.rule_match import Rule  # compiled only where rules are configured

        try:
            rules.append(
                Rule.make(
                    name,
                    clean["action"],
                    words=clean.get("words", ()),
                    pattern=clean.get("pattern"),
                    line=reader.line(where),
                )
            )
        except RuleError as exc:
            both = "pattern" in clean and "words" in clean
            said = Said(exc.key, **exc.fields)
            raise reader.error(where + ((key,) if not both else ()), context, said) from None
    return RuleSet(tuple(rules)) if rules else NO_RULES


def _relative_to(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _keys(reader: _Reader, data: dict[str, Any]) -> Mapping[str, str]:
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise reader.error(
            ("keys",), "", Said("config.not_table", what="[keys]", got=_toml_type(keys))
        )
    for action, binding in keys.items():
        if not _NAME_RE.match(action):
            raise reader.error(
                ("keys", action), "[keys]", Said("config.keys.action", action=action)
            )
        if not isinstance(binding, str) or not binding.strip():
            wrong = Said("config.keys.binding", action=action, got=_toml_type(binding))
            raise reader.error(("keys", action), "[keys]", wrong)
    return MappingProxyType(dict(keys))


def _check_keymap(
    reader: _Reader, data: dict[str, Any], keys: Mapping[str, str], codebook: Codebook
) -> Mapping[str, str]:
    """``[keys]`` against the app's actions (reactieveld.keys): an unknown action, a key
    two actions would share after all remaps, a key that cannot be remapped. Checked at
    load, so every command (``sync``, ``sources``, the app) refuses the file alike."""
    problem = keymap_problem(keys, codebook)
    if problem is None:
        return keys
    said: Said = problem.said
    if problem.action in keys:
        raise reader.error(("keys", problem.action), "[keys]", said)
    # Neither action was remapped: a question's key from the codebook takes an action's.
    questions = data.get("codebook", {}).get("questions", [])
    where: Where = ("codebook",)
    named = set(said.values.values())  # the key and the actions that take it
    for i, entry in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(entry, dict) and f"question_{entry.get('code')}" in named:
            where = ("codebook", "questions", i, "key")
    raise reader.error(where, "[codebook]", said)


def _codebook(reader: _Reader, data: dict[str, Any]) -> Codebook:
    if "codebook" not in data:
        return DEFAULT_CODEBOOK
    book = reader.table(
        data["codebook"],
        ("codebook",),
        "[codebook]",
        {
            "mode": (_choice(("extend", "replace")), False),
            "version": (_text, False),
            "questions": (
                _is(list, Said("config.expect.tables", name="codebook.questions")),
                False,
            ),
            "roles": (_is(list, Said("config.expect.tables", name="codebook.roles")), False),
        },
    )
    replace = book.get("mode", "extend") == "replace"
    questions = _codes(reader, book, TagKind.QUESTION, replace)
    roles = _codes(reader, book, TagKind.ROLE, replace)
    for array, codes in (("questions", questions), ("roles", roles)):
        if replace and not codes:  # stats would show bare codes, "answered 0/258"
            said = Said(f"config.codebook.replace.{array}")
            raise reader.error(("codebook", "mode"), "[codebook]", said)
    if not replace and questions == DEFAULT_CODEBOOK.questions and roles == DEFAULT_CODEBOOK.roles:
        if book.get("version", DEFAULT_CODEBOOK.version) == DEFAULT_CODEBOOK.version:
            return DEFAULT_CODEBOOK
    if book.get("version") == DEFAULT_CODEBOOK.version:
        said = Said("config.codebook.version", version=DEFAULT_CODEBOOK.version)
        raise reader.error(("codebook", "version"), "[codebook]", said)
    return make_codebook(questions, roles, version=book.get("version"))


def _codes(reader: _Reader, book: dict[str, Any], kind: TagKind, replace: bool) -> tuple[Code, ...]:
    array = "questions" if kind is TagKind.QUESTION else "roles"
    defaults = DEFAULT_CODEBOOK.questions if kind is TagKind.QUESTION else DEFAULT_CODEBOOK.roles
    codes: dict[str, Code] = {} if replace else {c.code: c for c in defaults}
    written: dict[str, tuple[Where, str, frozenset[str]]] = {}  # code -> where, context, keys
    for i, entry in enumerate(book.get(array, [])):
        where: Where = ("codebook", array, i)
        context = f"[[codebook.{array}]] #{i + 1}"
        code = entry.get("code") if isinstance(entry, dict) else None
        new = not (isinstance(code, str) and code in codes)
        # A new code needs a key and a Dutch label; overriding one may change any part.
        spec: dict[str, tuple[Check, bool]] = {
            "code": (_code, True),
            "key": (_text, new),
            "nl": (_text, new),
            "en": (_text, False),
        }
        if kind is TagKind.ROLE:
            spec["organisation"] = (_boolean, False)
            # The short forms for a narrow column (the queue's roles at 80 columns).
            spec |= {f"short_{lang}": (_text, False) for lang in LANGUAGES}
        clean = reader.table(entry, where, context, spec)
        code = clean["code"]
        role_key = clean.get("key") if kind is TagKind.ROLE else None
        if role_key is not None and not (len(role_key) == 1 and role_key.isprintable()):
            # The picker matches the character a key press types: "jj" or "ctrl+j" never.
            said = Said("config.code.role_key", setting=role_key)
            raise reader.error(where + ("key",), context, said)
        if code in written:
            raise reader.error(where + ("code",), context, Said("config.code.defined", code=code))
        written[code] = (where, context, frozenset(clean))
        old = codes.get(code)
        labels = dict(old.labels) if old else {}
        labels |= {lang: clean[lang] for lang in LANGUAGES if lang in clean}
        codes[code] = Code(
            kind,
            code,
            clean.get("key", old.key if old else ""),
            labels,
            clean.get("organisation", old.organisation if old else False),
            (dict(old.short) if old else {})
            | {lang: clean[f"short_{lang}"] for lang in LANGUAGES if f"short_{lang}" in clean},
        )
    # Keys are checked after all entries, so that two entries may swap their keys.
    by_key: dict[str, list[str]] = {}
    for c in codes.values():
        by_key.setdefault(c.key, []).append(c.code)
    for key, users in by_key.items():
        if len(users) > 1:
            blamed = max((u for u in users if u in written), key=list(written).index)
            where, context, given = written[blamed]
            other = next(u for u in users if u != blamed)
            said = Said(f"config.code.key_used.{kind.value}", setting=key, other=other)
            raise reader.error(where + ("key",) if "key" in given else where, context, said)
    # Two roles search's typed filter cannot tell apart: "rol:jongere" names the first of
    # "jongere" and "Jongere", of a code and another role's label ("Burger"), of a code and
    # the short form the queue shows for another. (A question's filter takes its code as
    # typed, and codes are unique: two questions are always told apart.)
    for clash in name_clashes(tuple(codes.values())) if kind is TagKind.ROLE else ():
        pair = [u for u in (clash.code, clash.other) if u in written]
        if not pair:  # two defaults, left as they are: never apart
            continue
        blamed = max(pair, key=list(written).index)
        mine, other, theirs = (
            (clash.key, clash.other, clash.other_key)
            if blamed == clash.code
            else (clash.other_key, clash.code, clash.key)
        )
        where, context, given = written[blamed]
        said = Said(
            "config.code.name_clash",
            key=mine,
            value=_name_at(codes[blamed], mine),
            other=other,
            other_key=theirs,
            other_value=_name_at(codes[other], theirs),
        )
        raise reader.error(where + (mine,) if mine in given else where, context, said)
    return tuple(codes.values())


def _name_at(code: Code, key: str) -> str:
    """A role's name written at config key ``key`` ("code", "nl", "short_en")."""
    if key == "code":
        return code.code
    if key.startswith("short_"):
        return code.short[key.removeprefix("short_")]
    return code.labels[key]


def _store(reader: _Reader, data: dict[str, Any], base: Path) -> StoreConfig:
    store = reader.table(
        data.get("store", {}),
        ("store",),
        "[store]",
        {
            "path": (_text, False),
            "author_secret_env": (_env_name, False),
            "url": (_postgres_url, False),
            "password_env": (_env_name, False),
        },
    )
    if "url" in store and "path" in store:
        raise reader.error(("store", "url"), "[store]", Said("config.store.both"))
    if "password_env" in store and "url" not in store:
        raise reader.error(("store", "password_env"), "[store]", Said("config.store.password_env"))
    # Only a config naming a variable pays for finding the lines (a team's set-up).
    places = tuple(
        (key, f"{reader.file}:{reader.line(('store', key))}: ")
        for key in ("password_env", "author_secret_env")
        if key in store
    )
    return StoreConfig(
        _relative_to(store["path"], base) if "path" in store else None,
        store.get("author_secret_env"),
        store.get("url"),
        store.get("password_env"),
        places,
    )


def _postgres_url(value: Any) -> str:
    """A PostgreSQL URL without a password (that comes from password_env or ~/.pgpass)."""
    from reactieveld.store.open import check_postgres_url

    return check_postgres_url(value)


def url_mistake(value: str, flag: str, language: str = "en") -> str | None:
    """The one line of a PostgreSQL URL given as ``flag`` that is not one (the one URL
    rule, :func:`reactieveld.store.urls.check_postgres_url`); a password in it (readable
    by every user of the machine, ``ps``) is said with where it belongs instead. None for
    a good URL."""
    from reactieveld.i18n import text
    from reactieveld.store.open import check_postgres_url

    try:
        check_postgres_url(value)
    except ValueError as exc:
        expected, got = (*exc.args, Said("config.url.got.else"))[:2]
        if isinstance(got, Said) and got.key == "config.url.got.password":
            return text("copy.password_in_url", language, flag=flag)
        return Said("config.url", flag=flag, expected=expected, got=got).text(language)
    return None


def _ui(reader: _Reader, data: dict[str, Any], environ: Mapping[str, str]) -> UIConfig:
    ui = reader.table(
        data.get("ui", {}),
        ("ui",),
        "[ui]",
        {
            "language": (_choice(LANGUAGES), False),
            "theme": (_theme, False),
            "moderator": (_moderator, False),
        },
    )
    return UIConfig(
        language=ui.get("language", locale_language(environ)),
        theme=ui.get("theme"),
        language_set="language" in ui,
        moderator=ui.get("moderator"),
    )


#: The longest lease: a claim hides nothing, but a day-long one would say "busy" all day.
MAX_CLAIM_MINUTES = 24 * 60


def _claim_minutes(value: Any) -> float:
    expected = Said("config.expect.claim", most=MAX_CLAIM_MINUTES)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(expected)
    if not 0 < value <= MAX_CLAIM_MINUTES:
        raise ValueError(expected, str(value))
    return float(value)


def _team(reader: _Reader, data: dict[str, Any]) -> TeamConfig:
    team = reader.table(
        data.get("team", {}), ("team",), "[team]", {"claim_minutes": (_claim_minutes, False)}
    )
    return TeamConfig(claim_minutes=team.get("claim_minutes", TeamConfig.claim_minutes))


def _share(value: Any) -> float:
    expected = Said("config.expect.share")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(expected)
    if not 0 <= value <= 1:  # NaN fails this too
        raise ValueError(expected, str(value))
    return float(value)


def _coding(reader: _Reader, data: dict[str, Any]) -> CodingConfig:
    coding = reader.table(
        data.get("coding", {}), ("coding",), "[coding]", {"double_share": (_share, False)}
    )
    return CodingConfig(double_share=coding.get("double_share", CodingConfig.double_share))


def _ask_for(value: Any) -> tuple[str, ...]:
    options = ", ".join(f'"{name}"' for name in ASKABLE)
    expected = Said("config.expect.ask_for", options=options)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(expected)
    unknown = [v for v in value if v not in ASKABLE]
    if unknown:
        shown = unknown[0] if unknown[0].isprintable() and len(unknown[0]) <= 40 else "?"
        raise ValueError(expected, f'"{shown}"')
    if len(set(value)) != len(value):
        raise ValueError(
            Said("config.expect.ask_for_once", options=options), Said("config.got.twice")
        )
    return tuple(value)


#: A reason's code: what the journal and the export keep (stable across languages).
_REASON_CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
#: At most this many reasons: one key each, on one dialog at 80x24.
MAX_REASONS = 12


def _reason_code(value: Any) -> str:
    expected = Said("config.expect.reason_code")
    # fullmatch: "$" of a match let a code end in a newline ("insult\n").
    if not isinstance(value, str) or not _REASON_CODE_RE.fullmatch(value):
        raise ValueError(expected)
    return value


def _reason_key(value: Any) -> str:
    expected = Said("config.expect.reason_key")
    if not isinstance(value, str) or len(value) != 1 or not value.isalnum():
        raise ValueError(expected)
    return value


def _reason_label(value: Any) -> str:
    text = _text(value)
    if len(text) > 60 or not text.isprintable():
        raise ValueError(Said("config.expect.reason_label"))
    return text.strip()


def _reasons(reader: _Reader, data: dict[str, Any]) -> ReasonsConfig:
    """``[reasons]``: ``ask_for`` (which decisions ask; default trash and hold) and an
    optional ``[[reasons.choices]]`` list that replaces the built-in one."""
    section = reader.table(
        data.get("reasons", {}),
        ("reasons",),
        "[reasons]",
        {
            "ask_for": (_ask_for, False),
            "choices": (_is(list, Said("config.expect.tables", name="reasons.choices")), False),
        },
    )
    ask_for = section.get("ask_for", DEFAULT_ASK_FOR)
    if "choices" not in section:
        return ReasonsConfig(ask_for=ask_for)
    entries = section["choices"]
    if not entries:
        raise reader.error(("reasons", "choices"), "[reasons]", Said("config.reasons.empty"))
    if len(entries) > MAX_REASONS:
        many = Said("config.reasons.many", count=len(entries), most=MAX_REASONS)
        raise reader.error(("reasons", "choices"), "[reasons]", many)
    spec = {
        "code": (_reason_code, True),
        "key": (_reason_key, True),
        "nl": (_reason_label, True),
        "en": (_reason_label, True),
        "other": (_boolean, False),
    }
    choices: list[Reason] = []
    for i, entry in enumerate(entries):
        where: Where = ("reasons", "choices", i)
        context = f"[[reasons.choices]] #{i + 1}"
        clean = reader.table(entry, where, context, spec)
        for field_name in ("code", "key"):
            taken = [r for r in choices if getattr(r, field_name) == clean[field_name]]
            if taken:
                used = Said(
                    "config.reasons.used",
                    field=field_name,
                    value=clean[field_name],
                    other=taken[0].code,
                )
                raise reader.error(where + (field_name,), context, used)
        choices.append(
            Reason(
                clean["code"],
                clean["key"],
                MappingProxyType({"nl": clean["nl"], "en": clean["en"]}),
                asks_text=clean.get("other", False),
            )
        )
    return ReasonsConfig(ask_for=ask_for, choices=tuple(choices))


@functools.cache
def _toml_forms() -> tuple[tuple[re.Pattern[str], str], ...]:
    """tomllib's message forms as the table's English texts (config.toml.says.*) give
    them."""
    return tuple(
        (template_pattern(english), key)
        for key, (_, english) in STRINGS.items()
        if key.startswith("config.toml.says.")
    )


def toml_says(message: str) -> Said | str:
    """tomllib's words (without where) as a text of the table, to be said in the
    reader's language; a form the table does not know stays as tomllib said it."""
    for pattern, key in _toml_forms():
        if m := pattern.fullmatch(message):
            return Said(key, **m.groupdict())
    return message


#: The bytes of a config that is no regular file (a pipe: ``--config <(envsubst < t)``),
#: by path, read once: the command line reads its config again after a first read that
#: failed (for the language of the error's line), and a pipe read twice is empty the
#: second time: the defaults, exit 0, instead of the error.
_NOT_FILES: dict[str, bytes] = {}


def _config_bytes(path: Path) -> bytes:
    if path.is_file():
        return path.read_bytes()
    if str(path) not in _NOT_FILES:
        _NOT_FILES[str(path)] = path.read_bytes()
    return _NOT_FILES[str(path)]


def load_config(path: Path | None, environ: Mapping[str, str] = os.environ) -> Config:
    """Read and validate the config file; ``None`` gives the defaults (no sources).

    Raises ConfigError, naming the file and line, for anything that is not right.
    """
    if path is None:
        return Config(ui=UIConfig(language=locale_language(environ)))
    path = Path(path)
    try:
        # utf-8-sig: a byte order mark (Windows Notepad saved one before 2019) is no
        # TOML, and tomllib called it an "Invalid statement" at line 1, column 1.
        text = _config_bytes(path).decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(Said("config.file.absent"), file=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(Said("config.file.not_utf8", reason=exc.reason), file=path) from None
    except OSError as exc:
        unreadable = Said("config.file.unreadable", reason=exc.strerror)
        raise ConfigError(unreadable, file=path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        said = Said("config.toml", message=message)
        if m := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
            line = int(m.group(1))
            words = toml_says(message[: m.start()])
            said = Said("config.toml.column", message=words, column=m.group(2))
        elif m := re.search(r"\s*\(at end of document\)$", message):
            line = text.count("\n") + 1
            said = Said("config.toml.end", message=toml_says(message[: m.start()]))
        raise ConfigError(said, file=path, line=line) from None

    reader = _Reader(path, text)
    reader.table(data, (), "", {key: (lambda v: v, False) for key in _TOP})
    base = path.parent.absolute()
    return Config(
        path=path,
        store=_store(reader, data, base),
        ui=_ui(reader, data, environ),
        codebook=(codebook := _codebook(reader, data)),
        keys=_check_keymap(reader, data, _keys(reader, data), codebook),
        sources=_sources(reader, data),
        sinks=_sinks(reader, data, base),
        team=_team(reader, data),
        coding=_coding(reader, data),
        reasons=_reasons(reader, data),
        rules=_rules(reader, data),
    )
