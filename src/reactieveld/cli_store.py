"""The ``store`` subcommands (registered by ``reactieveld.cli``): ``store copy --to``
moves a memory into an empty SQLite file or PostgreSQL database (issue 13)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from reactieveld.config import language_of
from reactieveld.i18n import text
from reactieveld.text import say_error

EXIT_USAGE = 2


def register(
    sub: argparse._SubParsersAction[Any], add_common: Callable[..., None], language: str
) -> None:
    """Add ``store copy`` to the ``reactieveld`` parser, its words in ``language``."""
    p = sub.add_parser("store", help=text("cli.help.store", language))
    add_common(p, top=False)
    inner = p.add_subparsers(
        title=text("cli.help.store_commands", language),
        metavar=text("cli.meta.store_command", language),
    )
    inner.required = True
    c = inner.add_parser(
        "copy",
        help=text("cli.help.store.copy", language),
        description=text("cli.help.store.copy.description", language),
    )
    add_common(c, top=False)
    c.add_argument(
        "--to",
        required=True,
        metavar=text("cli.meta.target", language),
        help=text("cli.help.store.copy.to", language),
    )
    c.set_defaults(command=cmd_store_copy)


class CopyUsageError(Exception):
    """A target or source the copy refuses before opening anything."""


def refuse_password(url: str, flag: str, language: str = "en") -> None:
    """A password on the command line is readable by every user of the machine (``ps``)
    and ends up in shell histories: refused, with where it belongs instead (the one URL
    rule: :func:`reactieveld.config.url_mistake`)."""
    from reactieveld.config import url_mistake

    mistake = url_mistake(url, flag, language)
    if mistake is not None:
        raise CopyUsageError(mistake)


def cmd_store_copy(args: argparse.Namespace, ctx: Any) -> int:
    """``reactieveld store copy --to URL|PATH``."""
    from reactieveld.store.open import is_postgres_url

    to = str(args.to)
    language = language_of(ctx.config)
    try:
        source, password = ctx.store_target()
        for value, flag in ((to, "--to"),):
            if is_postgres_url(value):
                refuse_password(value, flag, language)
    except CopyUsageError as exc:
        say_error(str(exc))
        return EXIT_USAGE
    if not is_postgres_url(to):
        to = str(Path(to).expanduser())
    if not is_postgres_url(source) and not Path(source).exists():
        say_error(text("cli.no_store", language, where=source))
        return EXIT_USAGE
    # A typo's folder is not made. (A new file there is what a copy is for: its last
    # line, "copied into ...", names it.) Through the context: cli is the layer above.
    ctx.check_new_memory(to, "--to", language)
    return run_store_copy(ctx.config, source, to, source_password=password)


def run_store_copy(
    config: Any,
    source: str,
    target: str,
    *,
    source_password: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Copy ``source`` into the empty ``target`` and print the counts of both per table.
    A ``StoreError`` (one line) propagates: the command line shows it with exit 2."""
    from reactieveld.store.copy import copy_store
    from reactieveld.store.open import copy_side, describe, open_store

    out = out or sys.stdout
    secret = config.store.author_secret()
    made = _new_files(target)

    async def main() -> list[Any]:
        src = await open_store(
            source,
            password=source_password,
            codebook_version=config.codebook.version,
            author_secret=secret,
            read_only=True,
        )
        try:
            dst = await open_store(
                target, codebook_version=config.codebook.version, author_secret=secret
            )
            try:
                return await copy_store(copy_side(src), copy_side(dst))
            finally:
                await dst.close()
        finally:
            await src.close()

    try:
        counts = asyncio.run(main())
    except BaseException:
        # A refused copy (a reader's role, a fault on the way) leaves no new file
        # behind: the store file this command made, its -wal, -shm and key file.
        for path in made:
            path.unlink(missing_ok=True)
        raise
    language = language_of(config)
    table, source_col, copied = (
        text(f"copy.col.{name}", language) for name in ("table", "source", "copied")
    )
    width = max(len(table), *(len(c.table) for c in counts))
    number = max(9, len(source_col), len(copied))
    print(f"{table:<{width}}  {source_col:>{number}}  {copied:>{number}}", file=out)
    for c in counts:
        print(f"{c.table:<{width}}  {c.source:>{number}}  {c.target:>{number}}", file=out)
    repaired = sum(c.repaired for c in counts)
    if repaired:
        print(text("copy.repaired", language, n=repaired), file=out)
    total = sum(c.target for c in counts)
    print(text("copy.done", language, target=describe(target), n=total), file=out)
    return 0


def _new_files(target: str) -> list[Path]:
    """The files a copy into the SQLite file ``target`` would make that are not there
    yet (none for a PostgreSQL target)."""
    from reactieveld.store.files import store_files
    from reactieveld.store.open import is_postgres_url

    if is_postgres_url(target):
        return []
    return [p for p in store_files(Path(target)) if not p.exists()]
