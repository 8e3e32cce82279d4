"""The ``reactieveld`` command: the app, and headless subcommands for scripts and cron.

``--config`` and ``--db`` are accepted before or after any subcommand;
``REACTIEVELD_CONFIG`` and ``REACTIEVELD_DB`` set them from the environment. Bad
arguments or configuration print one clear message and exit with code 2.

A subcommand is a function ``(args, ctx) -> int`` registered in :func:`build_parser`;
``ctx`` (a :class:`Context`) loads the configuration and finds the store lazily, so
``--version`` and ``--help`` never touch the store (the parser reads only the language
of the configuration, which it is built in: :func:`language_before_parsing`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import gc
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal

from reactieveld import __version__
from reactieveld.config import (
    Config,
    ConfigError,
    SourceConfig,
    default_db_path,
    demo_db_path,
    find_config_path,
    language_of,
    load_config,
    url_mistake,
)

if TYPE_CHECKING:
    # Only the full parser (subcommands, help, errors) imports argparse: the app's start
    # parses its few options without it (_app_args).
    import argparse

ENV_DB = "REACTIEVELD_DB"
EXIT_USAGE = 2

if TYPE_CHECKING:
    Command = Callable[[argparse.Namespace, "Context"], int]


class UsageError(Exception):
    """A bad argument or configuration: shown as one line, exit code 2."""


@dataclass
class Context:
    """What every subcommand needs: the configuration and the store's path."""

    config_arg: str | None
    db_arg: str | None
    lang: str | None
    demo: bool = False
    #: The configuration file as read already for ``config_arg`` (by the parser's
    #: language, :func:`_language_and_config`), so that it is not read twice.
    loaded: Config | None = None
    _config: Config | None = None

    @property
    def config(self) -> Config:
        """The loaded configuration (defaults when there is no file); --lang applied."""
        if self._config is None:
            config = self.loaded or load_config(find_config_path(self.config_arg))
            if self.lang in ("nl", "en"):
                language: Literal["nl", "en"] = "nl" if self.lang == "nl" else "en"
                config = replace(config, ui=replace(config.ui, language=language))
            if self.demo:
                config = replace(config, sources=(_demo_for(config),))
            self._config = config
        return self._config

    @functools.cached_property
    def db_path(self) -> Path | str:
        """--db, then REACTIEVELD_DB, then ``[store] url`` or ``path``, then the XDG data
        dir: a SQLite file's path, or a PostgreSQL URL (a team's memory). Worked out (and
        a bad value said) once: every command asks for it more than once.

        The demo has a store of its own, so trying it never mixes demo data into the
        organisation's memory."""
        if self.db_arg is not None:
            return _target(self.db_arg, "--db", self.config.ui.language)
        if self.demo:
            return demo_db_path()
        env = os.environ.get(ENV_DB)
        if env:
            return _target(env, ENV_DB, self.config.ui.language)
        return self.config.store.url or self.config.store.path or default_db_path()

    @property
    def db_named_by(self) -> str | None:
        """What named the memory's file, as a user wrote it: ``--db``, REACTIEVELD_DB or
        ``[store] path``; None for a default file (the data dir's ``memory.db``, the
        demo's ``demo.db``), whose folders are made, and for ``[store] url``."""
        if self.db_arg is not None:
            return "--db"
        if self.demo:
            return None
        if os.environ.get(ENV_DB):
            return ENV_DB
        if self.config.store.url or not self.config.store.path:
            return None
        return "[store] path"

    def check_new_memory(self, target: Path | str, flag: str | None, language: str) -> Path | None:
        """:func:`check_new_memory`, for the subcommands' modules (cli is above them)."""
        return check_new_memory(target, flag, language)

    def store_target(self) -> tuple[str, str | None]:
        """The memory to open as text (a file path, or a URL kept whole: ``Path`` would
        fold its ``//``) and, for ``[store] url``, the password from ``password_env`` (None:
        asyncpg then looks in PGPASSWORD and ~/.pgpass, as for a URL given by --db)."""
        from reactieveld.store.open import password_for

        target = self.db_path
        return str(target), password_for(target, self.config.store)


def _target(value: str, flag: str = "--db", language: str = "en") -> Path | str:
    """A ``--db``/``REACTIEVELD_DB`` value: a PostgreSQL URL as given, else a file path.
    Anything else is a :class:`UsageError` naming ``flag`` (one line: what is wrong, what
    to give) before any file is made: an empty or blank value (never the default memory
    instead), a URL of another kind (``sqlite:///x.db``, ``file:x.db``, ``mysql://...``),
    a PostgreSQL URL without a host, a folder, a path holding a NUL."""
    from reactieveld.i18n import text

    example = default_db_path()
    if not value.strip():
        raise UsageError(text("cli.db.empty", language, flag=flag, example=example))
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in _PG_SCHEMES:
        name = scheme.group(1).lower()
        rest = value[scheme.end() :].removeprefix("//")
        if name in ("sqlite", "file") and rest.strip() and "\0" not in rest:
            example = Path(rest).expanduser()  # sqlite:///x.db: the path it names
        said = text("cli.db.scheme", language, flag=flag, scheme=name[:20], example=example)
        raise UsageError(said)
    if "\0" in value:
        raise UsageError(text("cli.db.nul", language, flag=flag, example=example))
    if not scheme and "://" not in value:
        path = Path(value).expanduser()
        if path.is_dir():
            example = path / "memory.db"
            raise UsageError(
                text("cli.db.is_dir", language, flag=flag, path=value, example=example)
            )
        return path
    mistake = url_mistake(value, flag, language)
    if mistake is not None:
        raise UsageError(mistake)
    return value


#: A URL's scheme (``sqlite:``, ``file:``, ``mysql://``): two letters or more, so that
#: no path is read as one by its first word (``./x:y.db`` has a "/" before the colon).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")
_PG_SCHEMES = ("postgresql", "postgres")


def check_new_memory(target: Path | str, flag: str | None, language: str) -> Path | None:
    """Before a command that writes opens ``target``: a memory file named by ``flag``
    (``--db``, ``[store] path``, ``--to``; None: a default file, whose folders are made)
    that is not there yet must be in a folder that is, else a :class:`UsageError` (a
    mistyped path never becomes an empty memory somewhere). Returns the file to say
    :func:`said_new_memory` of once the command ran (None: nothing to say)."""
    from reactieveld.i18n import text
    from reactieveld.store.open import is_postgres_url

    if flag is None or is_postgres_url(target):
        return None
    path = Path(target)
    if path.exists() or path.is_symlink():
        return None  # the store says what it is (a memory, another file, a folder)
    folder = path.parent
    if folder.is_dir():
        return path
    for above in (folder, *folder.parents):
        if above.exists() and not above.is_dir():
            raise UsageError(text("cli.db.not_folder", language, flag=flag, path=path, file=above))
    raise UsageError(text("cli.db.no_folder", language, flag=flag, path=path, folder=folder))


def said_new_memory(path: Path | None, flag: str | None, language: str) -> None:
    """One line on stderr when the command made the file :func:`check_new_memory`
    returned: a memory made where nobody meant one is noticed."""
    from reactieveld.i18n import text

    if path is not None and flag is not None and path.exists():
        from reactieveld.text import say_error

        said = text("cli.db.new_memory", language, path=path, flag=flag)
        say_error(said)


def demo_source(count: int = 500, seed: int = 1, anchor: str | None = None) -> SourceConfig:
    """The built-in demo source of ``reactieveld --demo``: a year of dialogue that ends
    at ``anchor`` (default: this minute, so a first run's "last 30 days" has data; once
    the store is filled its times stay as they were)."""
    if anchor is None:
        anchor = datetime.now(UTC).replace(second=0, microsecond=0).isoformat()
    return SourceConfig(
        name="demo",
        type="demo",
        poll_seconds=0.0,
        options={"count": count, "seed": seed, "anchor": anchor},
    )


def _demo_for(config: Config) -> SourceConfig:
    """The source of ``--demo``: the built-in one, with the options of a configured demo
    source if there is one (``count``, ``seed``, ``history = false`` for the bare queue)."""
    builtin = demo_source()
    for source in config.sources:
        if source.type == "demo":
            return replace(builtin, options={**builtin.options, **source.options})
    return builtin


def _common(parser: argparse.ArgumentParser, *, top: bool, language: str) -> None:
    import argparse

    from reactieveld.i18n import text

    # Subparsers use SUPPRESS so a value given before the subcommand is not reset by it.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--config",
        metavar=text("cli.meta.path", language),
        default=default,
        help=text("cli.help.config", language),
    )
    parser.add_argument(
        "--db",
        metavar=text("cli.meta.db", language),
        default=default,
        help=text("cli.help.db", language),
    )
    # --demo and --lang too: `reactieveld stats --lang nl` and `reactieveld search --demo
    # zwembad` are how people type them ("unrecognized arguments: --lang nl" before).
    demo: Any = False if top else argparse.SUPPRESS
    parser.add_argument(
        "--demo", action="store_true", default=demo, help=text("cli.help.demo", language)
    )
    parser.add_argument(
        "--lang", choices=("nl", "en"), default=default, help=text("cli.help.lang", language)
    )


class _ArgparseWords:
    """argparse's gettext (``_`` and ``ngettext``, the module globals it asks for each
    message's template by its English id before it fills the template in) while one of
    our parsers works: the template in the reader's language (the one table's
    ``argparse.*`` entries, :func:`reactieveld.i18n.argparse_text`), for that parser's
    thread or task only (a context variable); argparse's own for any other parser in the
    process. The globals are argparse's again once none of our parsers works (counted
    over threads)."""

    def __init__(self) -> None:
        self._language: contextvars.ContextVar[str | None] = contextvars.ContextVar(
            "reactieveld_argparse_language", default=None
        )
        self._lock = threading.Lock()
        self._working = 0
        self._own: tuple[Any, Any] = (None, None)

    def gettext(self, message: Any) -> Any:
        from reactieveld.i18n import argparse_text

        language = self._language.get()
        if language is None or not isinstance(message, str):
            return self._own[0](message)
        return argparse_text(message, language)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        from reactieveld.i18n import argparse_text

        language = self._language.get()
        if language is None:
            return str(self._own[1](singular, plural, n))
        return argparse_text(singular if n == 1 else plural, language)  # as in English

    @contextlib.contextmanager
    def speaking(self, language: str) -> Iterator[None]:
        """argparse's words in ``language`` in this thread (or task) while inside."""
        import argparse

        names = vars(argparse)
        with self._lock:
            if self._working == 0:
                self._own = (names["_"], names["ngettext"])
                names["_"], names["ngettext"] = self.gettext, self.ngettext
            self._working += 1
        token = self._language.set(language)
        try:
            yield
        finally:
            self._language.reset(token)
            with self._lock:
                self._working -= 1
                if self._working == 0 and names["_"] == self.gettext:
                    names["_"], names["ngettext"] = self._own


_ARGPARSE_WORDS = _ArgparseWords()


def _parser_class(language: str) -> type[argparse.ArgumentParser]:
    """The full parser's class (argparse is imported here, not at the app's start): a
    mistake prints the usage and one line and exits with :data:`EXIT_USAGE`. What argparse
    itself says (``usage:``, its errors, the help's headings) is said in ``language``, as
    gettext would: argparse asks for each template by its English id while it builds,
    parses and formats (:class:`_ArgparseWords`), before a value is in it. (The commands'
    own words are given in ``language`` where they are added.)"""
    import argparse

    from reactieveld.i18n import text

    def speaking() -> contextlib.AbstractContextManager[None]:
        return _ARGPARSE_WORDS.speaking(language)

    def whole_number(value: str) -> int:
        # type=int: "geen geheel getal" (argparse's id is one for every type, "invalid
        # %(type)s value", which would show Python's name "int" to a Dutch reader).
        try:
            return int(value)
        except ValueError:
            said = text("argparse.invalid_int", language, value=repr(value))
            raise argparse.ArgumentTypeError(said) from None

    class _Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            with speaking():  # the headings' titles, -h's help
                super().__init__(*args, **kwargs)
            self.register("type", int, whole_number)

        def add_subparsers(self, **kwargs: Any) -> Any:
            with speaking():
                return super().add_subparsers(**kwargs)

        def parse_args(self, *args: Any, **kwargs: Any) -> Any:
            with speaking():  # "unrecognized arguments" is said here
                return super().parse_args(*args, **kwargs)

        def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
            with speaking():
                return super().parse_known_args(*args, **kwargs)

        def format_usage(self) -> str:
            with speaking():
                return super().format_usage()

        def format_help(self) -> str:
            with speaking():
                return super().format_help()

        def error(self, message: str) -> None:  # type: ignore[override]
            from reactieveld.text import one_line

            self.print_usage(sys.stderr)
            # A value in it is the reader's (a word typed, a newline, an escape): one line.
            said = one_line(message, limit=_ERROR_LIMIT)
            print(text("argparse.error", language, prog=self.prog, message=said), file=sys.stderr)
            sys.exit(EXIT_USAGE)

    return _Parser


#: The longest mistake the parser says (what the reader typed is in it; any terminal).
_ERROR_LIMIT = 1000


def _top_parser(
    parser_class: type[argparse.ArgumentParser], language: str
) -> argparse.ArgumentParser:
    """The top level's parser: the app's own options, ``--help`` and ``--version``
    (:data:`_APP_OPTIONS` are the options the quick parse of :func:`_app_args` knows)."""
    from reactieveld.i18n import text

    parser = parser_class(prog="reactieveld", description=text("cli.help.description", language))
    parser.add_argument(
        "--version",
        action="version",
        version=f"reactieveld {__version__}",
        help=text("argparse.version", language),  # Python 3.11 asks no gettext for it
    )
    _common(parser, top=True, language=language)
    parser.set_defaults(command=cmd_app)
    return parser


def build_parser(language: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand, built in ``language`` (default: the
    language of a command line without words, :func:`language_before_parsing`): every
    description, help and metavar of the commands, and what argparse itself says."""
    from reactieveld.i18n import text

    if language is None:
        language = language_before_parsing([])
    parser_class = _parser_class(language)
    parser = _top_parser(parser_class, language)
    common = functools.partial(_common, language=language)
    sub = parser.add_subparsers(
        title=text("cli.help.subcommands", language),
        metavar=text("cli.meta.command", language),
        parser_class=parser_class,
    )

    p = sub.add_parser("sync", help=text("cli.help.sync", language))
    common(p, top=False)
    p.add_argument("--once", action="store_true", help=text("cli.help.sync.once", language))
    p.add_argument("--now", action="store_true", help=text("cli.help.sync.now", language))
    p.set_defaults(command=cmd_sync)

    p = sub.add_parser("sources", help=text("cli.help.sources", language))
    common(p, top=False)
    p.add_argument("--json", action="store_true", help=text("cli.help.sources.json", language))
    p.set_defaults(command=cmd_sources)

    p = sub.add_parser(
        "author-secret",
        help=text("cli.help.author_secret", language),
        description=text("cli.help.author_secret.description", language),
    )
    common(p, top=False)
    p.set_defaults(command=cmd_author_secret)

    for register in SUBCOMMANDS:
        register(sub, common, language)
    return parser


#: Further subcommands: each a function ``(subparsers, add_common, language) -> None`` that
#: adds its parser with ``set_defaults(command=...)``, its words (help, description,
#: metavars, what its own argument types say) in ``language``. Modules append here (see
#: ``_extend``).
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction[Any], Callable[..., None], str], None]] = []


def cmd_app(args: argparse.Namespace, ctx: Context) -> int:
    """Open the app (on the demo with --demo)."""
    # The start (Textual's modules, styles, widgets) makes ~70,000 objects that live as
    # long as the app; the collector walking them again and again while they are made
    # costs ~15 ms before the first frame. It is off until the first rows are on screen
    # (the app turns it on and freezes them, tui.app._freeze_startup_objects), and on
    # again however this ends.
    gc.disable()
    try:
        from reactieveld.tui.app import run_app

        config = ctx.config
        db_path = ctx.db_path
        if ctx.demo:
            seed_demo(config, db_path)
        # --lang or [ui] language decide; else a language saved with f2 goes before the
        # locale.
        fixed_by = "--lang" if ctx.lang else "[ui] language" if config.ui.language_set else None
        return run_app(
            config, db_path, demo=ctx.demo, language=config.ui.language, language_fixed_by=fixed_by
        )
    finally:
        gc.enable()


def seed_demo(config: Config, db_path: Path | str) -> None:
    """Fill the demo store on first use (a no-op once the demo source is synced): the
    responses, then the history of its older ones (``reactieveld.demo_history``)."""
    from reactieveld.demo_history import write_history
    from reactieveld.i18n import text
    from reactieveld.store.open import describe, open_store
    from reactieveld.sync import SyncEngine

    async def main() -> None:
        store = await open_store(
            db_path,
            settings=config.store,
            codebook_version=config.codebook.version,
            author_secret=config.store.author_secret(),
        )
        try:
            # --demo --db on the organisation's memory (a file, a team's database) would
            # add a fictional year, with its decisions in the journal, for good.
            ours = {source.name for source in config.sources}
            others = [name for name in await store.source_names() if name not in ours]
            if others:
                raise UsageError(
                    text(
                        "cli.demo.not_demo",
                        config.ui.language,
                        store=describe(db_path),
                        sources=", ".join(others),
                    )
                )
            engine = SyncEngine.from_config(config, store)
            try:
                await engine.sync_all()
            finally:
                await engine.aclose()
            for source in config.sources:
                if source.type == "demo":
                    await write_history(store, source)
            # The history's changes of tagged responses, as a sync round's: what every
            # sink has read (no sink yet: all) is of no use to any.
            await store.sink_prune()
        finally:
            await store.close()

    asyncio.run(main())


def say_ignored_xdg(language: str) -> None:
    """On stderr, one line per XDG variable set to a relative path (ignored): which
    folder was used instead."""
    from reactieveld.config import ignored_xdg
    from reactieveld.text import say_error

    for said in ignored_xdg():
        say_error(said.text(language))


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    """``reactieveld sync [--once]``."""
    from reactieveld.i18n import text
    from reactieveld.sync import run_sync_command

    config = ctx.config
    if not config.sources:
        language = language_of(config)
        say_ignored_xdg(language)
        where = config.path or text("sync.no_config", language)
        raise UsageError(text("sync.no_sources", language, where=where))
    target, password = ctx.store_target()
    return run_sync_command(
        config, target, args.once, now=getattr(args, "now", False), password=password
    )


def cmd_sources(args: argparse.Namespace, ctx: Context) -> int:
    """``reactieveld sources [--json]``: each configured source with its last sync, one
    tab-separated line each in the interface language; with ``--json`` one JSON object
    per line for scripts (:func:`source_record`), the same in every language."""
    import json

    from reactieveld.i18n import text
    from reactieveld.store.open import open_store, store_missing
    from reactieveld.sync import synced_elsewhere

    config = ctx.config

    async def main() -> tuple[dict[str, Any], set[str]]:
        store = await open_store(
            ctx.db_path, settings=config.store, codebook_version=config.codebook.version
        )
        try:
            # A team's sync service may be syncing a source right now (its lock), or
            # between two of its rounds (its stored round's next try still ahead).
            elsewhere = await store.syncing_elsewhere([s.name for s in config.sources])
            states = {s.name: s for s in await store.source_states()}
            return states, elsewhere | {n for n, s in states.items() if synced_elsewhere(s)}
        finally:
            await store.close()

    # No memory yet (a first run, a mistyped --db): each source never synced, and no
    # empty memory (with a new author key) made only to say so.
    states, elsewhere = ({}, set()) if store_missing(ctx.db_path) else asyncio.run(main())
    records = [
        source_record(source, states.get(source.name), source.name in elsewhere)
        for source in config.sources
    ]
    if getattr(args, "json", False):
        for record in records:
            # ASCII only: a stored name or error cannot put a control character (C1, a
            # line separator) on the terminal or split the line.
            print(json.dumps(source_json(record), ensure_ascii=True))
        return 0
    language = language_of(config)
    if not records:
        say_ignored_xdg(language)  # why the config or the memory was not where meant
        print(text("sources.none", language))
    for record in records:
        print(source_line(record, language))
    return 0


def source_record(source: SourceConfig, state: Any, elsewhere: bool) -> dict[str, Any]:
    """What ``reactieveld sources`` knows of one source (README): its name, type and url,
    the last good round (a time in UTC) or None, the last error as stored (in English),
    how many texts were repaired, who synced it last (as that process named itself, None
    when unknown), whether another process is syncing it now and the environment
    variable of its secret that is unset here (its key and name, None when all are set).
    :func:`source_json` and :func:`source_line` each write it."""
    last = getattr(state, "last_success", None)
    unset = source.unset_secret()
    return {
        "name": source.name,
        "type": source.type,
        "url": source.options.get("url") or None,
        "last_success": last.astimezone(UTC) if last else None,
        "last_error": getattr(state, "last_error", None) or None,
        "repaired": getattr(state, "repaired", 0) or 0,
        "synced_by": getattr(state, "synced_by", None) or None,
        "syncing_elsewhere": elsewhere,
        "secret_unset": {"key": unset[0], "variable": unset[1]} if unset else None,
    }


def source_json(record: dict[str, Any]) -> dict[str, Any]:
    """A :func:`source_record` as ``reactieveld sources --json`` gives it: the last sync in
    ISO-8601 (UTC), the rest as it is."""
    last = record["last_success"]
    return {**record, "last_success": last.isoformat() if last else None}


def source_line(record: dict[str, Any], language: str) -> str:
    """One source of ``reactieveld sources`` (a :func:`source_record`) as its
    tab-separated line in ``language``: name, type, url, the last sync, then the error,
    the repaired texts and who syncs it, each when there is one. What a server or another
    process stored is untrusted: one line, cut."""
    from reactieveld.failures import error_in_language
    from reactieveld.i18n import stored, text
    from reactieveld.text import one_line

    fields = [record["name"], record["type"], record["url"] or ""]
    last = record["last_success"]
    if last:
        # The day as the JSON's ISO text writes it (strftime's %Y drops a year's zeros).
        when = f"{last.date().isoformat()} {last:%H:%M}"
        fields.append(text("sources.last_sync", language, when=when))
    else:
        fields.append(text("sources.never", language))
    errors = [record["last_error"]] if record["last_error"] else []
    if record["secret_unset"]:
        # Here and now, before any sync (the same words as the sync's line; once).
        unset = record["secret_unset"]
        missing = stored("conn.secret_unset", variable=unset["variable"], setting=unset["key"])
        errors = [missing] + [e for e in errors if e != missing]
    for error in errors:
        # As the sync's own line says it (a known lead in the configured language).
        said = error_in_language(one_line(error, limit=1000), language)
        fields.append(text("sources.error", language, error=said))
    if record["repaired"]:
        # Texts a platform sent that UTF-8 cannot hold, stored with U+FFFD.
        fields.append(text("sources.repaired", language, n=record["repaired"]))
    if record["syncing_elsewhere"]:
        # The name the syncing process stored ("anna sync").
        by = one_line(record["synced_by"], limit=60)
        key, values = ("sources.synced_by", {"name": by}) if by else ("sources.elsewhere", {})
        fields.append(text(key, language, **values))
    return "\t".join(fields)


def cmd_author_secret(args: argparse.Namespace, ctx: Context) -> int:
    """``reactieveld author-secret``: the kept author secret on stdout, how to move it out
    on stderr (in the interface language); exit 1 when the memory does not keep one (it is
    in the environment)."""
    from reactieveld.i18n import text
    from reactieveld.store.open import describe, open_store, store_missing
    from reactieveld.text import say_error

    language = language_of(ctx.config)
    if store_missing(ctx.db_path):
        where = describe(ctx.db_path)
        said = text("cli.no_store", language, where=where)
        say_error(said)
        return 2

    async def main() -> str | None:
        store = await open_store(
            ctx.db_path, settings=ctx.config.store, codebook_version=ctx.config.codebook.version
        )
        try:
            return await store.kept_author_secret()
        finally:
            await store.close()

    kept = asyncio.run(main())
    from reactieveld.store.files import key_file_path
    from reactieveld.store.open import is_postgres_url

    if is_postgres_url(ctx.db_path):
        where = describe(ctx.db_path)
        if kept is None:
            print(text("secret.pg.none", language, where=where), file=sys.stderr)
            return 1
        print(kept)
        print(text("secret.pg.kept", language, where=where), file=sys.stderr)
        return 0
    key_file = key_file_path(Path(ctx.db_path))
    if kept is None:
        said = text("secret.file.none", language, where=ctx.db_path, key_file=key_file)
        print(said, file=sys.stderr)
        return 1
    print(kept)
    print(text("secret.file.kept", language, key_file=key_file), file=sys.stderr)
    return 0


#: The commands that make the memory when it is not there yet (with ``--demo``, every
#: command does: the demo's store is filled first); ``store copy`` checks its ``--to``.
_WRITES: tuple[Command, ...] = (cmd_app, cmd_sync)


def _extend() -> None:
    # Subcommands that live with their feature; a missing module must not break the CLI.
    import importlib

    for module in ("reactieveld.cli_read", "reactieveld.cli_store"):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        register = getattr(mod, "register", None)
        if register is not None and register not in SUBCOMMANDS:
            SUBCOMMANDS.append(register)


def _one_line(text: str) -> str:
    return " ".join(text.split())


#: The top level's options the quick parse knows (:func:`_app_args`), as the full parser
#: has them (:func:`_top_parser`, :func:`_common`): whether each takes a value.
_APP_OPTIONS = {"--config": True, "--db": True, "--demo": False, "--lang": True}
_LANGUAGES = ("nl", "en")


def _app_word(word: str) -> tuple[str, str | None] | None:
    """What argparse makes of one word of the command line (``ArgumentParser.
    _parse_optional``, Python 3.11): an option of :data:`_APP_OPTIONS` with the value
    after its ``=`` (a unique prefix of its name stands for it, as ``allow_abbrev``);
    ``("", None)`` for a value (no leading ``-``, ``-`` alone, a negative number, a word
    with a space); None for any other option or an ambiguous prefix (an error, or an
    option only the full parser has)."""
    if not word or word[0] != "-" or word == "-":
        return "", None
    if word in _APP_OPTIONS:
        return word, None
    name, eq, value = word.partition("=")
    if eq and name in _APP_OPTIONS:
        return name, value
    if word.startswith("--"):
        found = [option for option in _APP_OPTIONS if option.startswith(name)]
        if len(found) == 1:
            return found[0], value if eq else None
        if len(found) > 1:
            return None  # ambiguous
    if re.match(r"^-\d+$|^-\d*\.\d+$", word) or " " in word:
        return "", None  # as argparse, a value
    return None


def _app_args(argv: Sequence[str] | None) -> SimpleNamespace | None:
    """The arguments of a start of the app (no subcommand), parsed without argparse and
    every subcommand's parser (their modules, ~3 ms before the app's first frame); None
    for anything else: a subcommand, ``--help``, ``--version`` or a mistake, which the
    full parser then parses (and words), so that every answer stays the full parser's.
    Only the top level's options are known here (:data:`_APP_OPTIONS`), as argparse reads
    them (:func:`_app_word`); tests/test_cli.py holds the two to the same result for
    generated command lines."""
    words = sys.argv[1:] if argv is None else list(argv)
    got: dict[str, Any] = {"config": None, "db": None, "demo": False, "lang": None}
    i = 0
    while i < len(words):
        word = _app_word(words[i])
        if word is None or not word[0]:
            return None  # another option, a subcommand, a stray value, or "--"
        option, value = word
        if not _APP_OPTIONS[option]:
            if value is not None:
                return None  # "--demo=..." is an error
            got["demo"] = True
            i += 1
            continue
        if value is None:
            if i + 1 >= len(words) or words[i + 1] == "--":
                return None  # no value: an error
            follows = _app_word(words[i + 1])
            if follows is None or follows[0]:
                return None  # an option where the value should be: an error
            value = words[i + 1]
            i += 1
        if option == "--lang" and value not in _LANGUAGES:
            return None  # not one of the choices: an error
        got[option[2:]] = value
        i += 1
    return SimpleNamespace(**got, command=cmd_app)


def language_before_parsing(argv: Sequence[str] | None) -> str:
    """The language the parser is built in (its usage, errors and help), known before it
    has parsed: the one rule of every command (:func:`reactieveld.config.language_of`: ``--lang``,
    else ``[ui] language``, else the locale), read from the words as argparse would
    (:func:`_app_word`) and from the configuration ``--config`` or the environment names;
    a configuration that cannot be read (said when the command runs) leaves the locale."""
    return _language_and_config(argv)[0]


def _language_and_config(argv: Sequence[str] | None) -> tuple[str, Config | None, str | None]:
    """:func:`language_before_parsing`, with the configuration it read (None: none read,
    or it cannot be) and the ``--config`` it read it for."""
    words = sys.argv[1:] if argv is None else list(argv)
    given: dict[str, str | None] = {"--lang": None, "--config": None}
    i = 0
    while i < len(words) and words[i] != "--":
        word = _app_word(words[i])
        if word is not None and word[0] in given:
            value = word[1]
            if value is None and i + 1 < len(words):
                i += 1
                value = words[i]
            given[word[0]] = value
        i += 1
    config_arg = given["--config"] or None
    if given["--lang"] in _LANGUAGES:
        return str(given["--lang"]), None, config_arg
    try:
        config: Config | None = Context(config_arg=config_arg, db_arg=None, lang=None).config
    except (ConfigError, UsageError, OSError, ValueError):
        config = None
    return language_of(config), config, config_arg


def _dashed_search_words(
    args: Any, extra: Sequence[str], language: str, words: Sequence[str]
) -> str | None:
    """The one line for ``search`` words argparse took for options: a word typed with a
    "-" before it (``search zwembad -parkeren``, to leave a word out) is said as the search
    box says it (no search leaves a word out); a query starting with "-" that is no such
    word (``search -12%``) needs ``--`` before it. None unless all of ``extra`` are such
    words after ``search``: a stray option (``--bogus``) or one before the command is
    argparse's."""
    from reactieveld.i18n import text
    from reactieveld.read.search import excluded_word

    dashed = [a for a in extra if a.startswith("-") and not a.startswith("--") and a != "-"]
    if not (
        getattr(args, "takes_words", False)  # search's words
        and dashed
        and len(dashed) == len(extra)
        and dashed[0] in words
        and "search" in words[: words.index(dashed[0])]
    ):
        return None
    if excluded_word(dashed[0]):
        return text("search.problem.exclude", language, what=dashed[0])
    return text("search.problem.dash_first", language, what=dashed[0])


def _language_of(ctx: Context, argv: Sequence[str] | None) -> str:
    """The reader's language for a line said after the command ran: the configuration's
    (--lang applied), else as the parser had it (a configuration that cannot be read)."""
    try:
        return ctx.config.ui.language
    except (ConfigError, UsageError, OSError, ValueError):
        return language_before_parsing(argv)


def _say_updating(ctx: Context, argv: Sequence[str] | None, where: str, n: int) -> None:
    """One line on stderr before the memory ``where``, with ``n`` responses, is updated for
    this version (whichever command or the app opens it): a long first start after an
    upgrade is not silence."""
    from reactieveld.i18n import counted
    from reactieveld.text import say_error

    say_error(counted("cli.db.updating", _language_of(ctx, argv), n=n, where=where))


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    args: Any = _app_args(argv)
    loaded = None
    if args is None:
        _extend()
        language, loaded, read_for = _language_and_config(argv)
        parser = build_parser(language)
        args, extra = parser.parse_known_args(argv)
        if extra:
            from reactieveld.i18n import text
            from reactieveld.text import say_error

            words = sys.argv[1:] if argv is None else list(argv)
            said = _dashed_search_words(args, extra, language, words)
            if said is None:
                parser.error(text("argparse.unrecognized", language, args=" ".join(extra)))
            # The query's own mistake: one line, as the search itself says it (no usage).
            say_error(said)
            raise SystemExit(EXIT_USAGE)
        if read_for != (args.config or None):
            loaded = None  # read for another file than the one parsed: read it again
    config_arg = args.config or None
    ctx = Context(
        config_arg=config_arg,
        db_arg=getattr(args, "db", None),
        lang=getattr(args, "lang", None),
        demo=getattr(args, "demo", False),
        loaded=loaded,
    )
    command: Command = args.command
    from reactieveld.failures import quiet_library_logs
    from reactieveld.store.base import StoreError
    from reactieveld.store.schema import migration_notice
    from reactieveld.text import EXIT_INTERRUPTED, say_error

    quiet_library_logs()  # asyncpg's and httpx's own lines never reach the screen

    try:
        if ctx.db_arg is not None:
            ctx.db_path  # noqa: B018 (a bad --db is said before anything is read or made)
        new = None
        if ctx.demo or command in _WRITES:
            # A command that may make the memory; the others say "no memory store at".
            new = check_new_memory(ctx.db_path, ctx.db_named_by, ctx.config.ui.language)
        try:
            with migration_notice(functools.partial(_say_updating, ctx, argv)):
                if ctx.demo and command is not cmd_app:
                    seed_demo(ctx.config, ctx.db_path)  # `--demo stats` etc. work on first use
                return command(args, ctx)
        finally:
            if new is not None:
                said_new_memory(new, ctx.db_named_by, ctx.config.ui.language)
    except ConfigError as exc:
        # In the language known without this config: --lang, else the locale (a config
        # that cannot be read cannot say its [ui] language; README, Language).
        say_error(exc.said(_language_of(ctx, argv)))
        return EXIT_USAGE
    except UsageError as exc:
        say_error(str(exc))  # said in its reader's language
        return EXIT_USAGE
    except StoreError as exc:
        # An unusable memory store (damaged, not a database, newer, read-only, a full
        # disk, ...), for every command: its one line says which file and what to do.
        said = exc.said(_language_of(ctx, argv))
        say_error(_one_line(said))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `reactieveld search ... | head`: the reader left; stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
