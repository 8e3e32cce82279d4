"""The ``search``, ``export`` and ``stats`` subcommands (registered by ``reactieveld.cli``).

Each parses its arguments here and delegates to a ``run_*_command(config, db_path, args)``
function, which tests call directly.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.config import coder_of, language_of
from reactieveld.i18n import number
from reactieveld.i18n import text as i18n_text
from reactieveld.model import RemoteStatus
from reactieveld.store.open import store_missing
from reactieveld.text import SHOWN_UNSAFE

EXIT_USAGE = 2
# Stored text printed in the terminal: controls, bidi overrides and marks dropped, as the
# TUI draws it (text.clean).
_CONTROL = SHOWN_UNSAFE


def _source(p: argparse.ArgumentParser, language: str) -> None:
    p.add_argument(
        "--source",
        action="append",
        default=[],
        metavar=i18n_text("cli.meta.name", language),
        help=i18n_text("cli.help.source", language),
    )


def _period(p: argparse.ArgumentParser, language: str) -> None:
    date = i18n_text("cli.meta.date", language)
    p.add_argument("--since", metavar=date, help=i18n_text("cli.help.since", language))
    p.add_argument("--until", metavar=date, help=i18n_text("cli.help.until", language))


def _filters(p: argparse.ArgumentParser, language: str) -> None:
    p.add_argument(
        "--question",
        action="append",
        default=[],
        metavar="N",
        help=i18n_text("cli.help.question", language),
    )
    p.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="CODE",
        help=i18n_text("cli.help.role", language),
    )
    _source(p, language)
    statuses = ", ".join(s.value for s in RemoteStatus)
    p.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        type=_status_type(language),
        help=i18n_text("cli.help.status", language, statuses=statuses),
    )
    _period(p, language)


def _status_type(language: str) -> Callable[[str], str]:
    """``--status``'s type: any word the interface shows for a status ("on hold",
    "wacht"), as in the search box; else the search's own problem, in ``language``."""

    def status(text: str) -> str:
        from reactieveld.read.search import status_named, statuses_text

        found = status_named(text)
        if found is None:
            allowed = statuses_text(language)
            raise argparse.ArgumentTypeError(
                i18n_text("search.problem.status", language, what=text, allowed=allowed)
            )
        return found.value

    return status


def _positive_type(language: str) -> Callable[[str], int]:
    """A count of 1 or more (SQLite reads LIMIT -1 as "no limit": a typo must not list the
    whole memory); what is wrong said in ``language``."""

    def positive(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            said = i18n_text("cli.arg.not_number", language, value=text)
            raise argparse.ArgumentTypeError(said) from None
        if value < 1:
            raise argparse.ArgumentTypeError(i18n_text("cli.arg.positive", language, value=text))
        return value

    return positive


def _count(p: argparse.ArgumentParser, flag: str, default: int, said: str, language: str) -> None:
    """An option of a number of things, ``N`` (1 or more), said in ``language``."""
    p.add_argument(flag, type=_positive_type(language), default=default, metavar="N", help=said)


def register(
    sub: argparse._SubParsersAction[Any], add_common: Callable[..., None], language: str
) -> None:
    """Add ``search``, ``export``, ``stats``, ``agreement`` and ``rules`` to the
    ``reactieveld`` parser, their words (help, metavars, a bad value) in ``language``."""

    p = sub.add_parser("search", help=i18n_text("cli.help.search", language))
    add_common(p, top=False)
    p.add_argument(
        "query",
        nargs="*",
        metavar=i18n_text("cli.meta.query", language),
        help=i18n_text("cli.help.search.query", language),
    )
    _filters(p, language)
    _count(p, "--limit", 20, i18n_text("cli.help.search.limit", language), language)
    # Its query is words: one typed with "-" before it is said as such (cli._dashed_search_words).
    p.set_defaults(command=cmd_search, takes_words=True)

    p = sub.add_parser("export", help=i18n_text("cli.help.export", language))
    add_common(p, top=False)
    p.add_argument(
        "--format",
        required=True,
        choices=("md", "csv", "jsonl", "decisions"),
        help=i18n_text("cli.help.export.format", language),
    )
    p.add_argument(
        "--output",
        "-o",
        metavar=i18n_text("cli.meta.file", language),
        help=i18n_text("cli.help.export.output", language),
    )
    p.add_argument(
        "--as",
        dest="decisions_as",
        choices=("csv", "jsonl"),
        default=None,
        help=i18n_text("cli.help.export.as", language),
    )
    _filters(p, language)
    p.add_argument(
        "--include-personal-data",
        action="store_true",
        help=i18n_text("cli.help.export.personal", language),
    )
    p.set_defaults(command=cmd_export)

    p = sub.add_parser("stats", help=i18n_text("cli.help.stats", language))
    add_common(p, top=False)
    _source(p, language)
    date = i18n_text("cli.meta.date", language)
    p.add_argument("--since", metavar=date, help=i18n_text("cli.help.stats.since", language))
    p.add_argument("--until", metavar=date, help=i18n_text("cli.help.stats.until", language))
    p.add_argument(
        "--days",
        type=int,
        default=None,
        metavar="N",
        help=i18n_text("cli.help.stats.days", language),
    )
    p.set_defaults(command=cmd_stats)

    p = sub.add_parser("agreement", help=i18n_text("cli.help.agreement", language))
    add_common(p, top=False)
    _source(p, language)
    _period(p, language)
    p.set_defaults(command=cmd_agreement)

    p = sub.add_parser("rules", help=i18n_text("cli.help.rules", language))
    add_common(p, top=False)
    # Named by its choices, as argparse shows it, also where a mistake names it (its dest
    # would be the English word "action").
    actions = ("test",)
    p.add_argument(
        "action",
        choices=actions,
        metavar="{" + ",".join(actions) + "}",
        help=i18n_text("cli.help.rules.action", language),
    )
    _count(p, "--examples", 3, i18n_text("cli.help.rules.examples", language), language)
    p.set_defaults(command=cmd_rules)


def _usage(message: str) -> int:
    from reactieveld.text import say_error

    say_error(message)
    return EXIT_USAGE


def _no_store(config: Any, where: Any) -> str:
    """The line of a command asked to read a memory that is not there."""
    return i18n_text("cli.no_store", language_of(config), where=where)


# -- export ----------------------------------------------------------------------------------


def export_options(config: Any, args: argparse.Namespace, *, figures: bool = True) -> Any:
    """ExportOptions from parsed arguments; ValueError on a bad date or code. ``figures``
    (export, agreement): a period wholly after today is refused, as ``stats`` refuses it."""
    from reactieveld.read.figures import bounds_of
    from reactieveld.reports.formats import ExportOptions, describe_filters

    codebook = getattr(config, "codebook", DEFAULT_CODEBOOK)
    language = language_of(config)
    for q in args.question:
        if codebook.question(q) is None:
            codes = ", ".join(c.code for c in codebook.questions)
            raise ValueError(i18n_text("cli.question", language, code=q, codes=codes))
    for r in args.role:
        if codebook.role(r) is None:
            codes = ", ".join(c.code for c in codebook.roles)
            raise ValueError(i18n_text("cli.role", language, code=r, codes=codes))
    since, until = bounds_of(args.since, args.until, language=language, future=not figures)
    kw: dict[str, Any] = {}
    if getattr(args, "status", None):
        kw["statuses"] = tuple(RemoteStatus(s) for s in args.status)
    if args.format == "decisions":
        from reactieveld.reasons import ReasonsConfig
        from reactieveld.reports.decisions import form_for

        # The log is of decisions: --status selects the decided status; none, all of them.
        kw.setdefault("statuses", ())
        kw["decisions_as"] = form_for(args.output, getattr(args, "decisions_as", None), language)
        kw["reasons"] = getattr(config, "reasons", None) or ReasonsConfig()
    elif getattr(args, "decisions_as", None):
        raise ValueError(i18n_text("cli.as_decisions", language))
    return ExportOptions(
        format=args.format,
        questions=tuple(dict.fromkeys(args.question)),
        roles=tuple(dict.fromkeys(args.role)),
        sources=tuple(dict.fromkeys(args.source)),
        since=since,
        until=until,
        include_personal_data=bool(args.include_personal_data),
        language=language,
        codebook=codebook,
        described=describe_filters(
            questions=args.question,
            roles=args.role,
            sources=args.source,
            since=args.since,
            until=args.until,
        ),
        **kw,
    )


async def _export(db_path: Any, opts: Any, out: TextIO | Path, settings: Any = None) -> Any:
    from reactieveld.reports.formats import write_report, write_report_file
    from reactieveld.store.open import open_store

    store = await open_store(db_path, settings=settings, codebook_version=opts.codebook.version)
    try:
        with _advice_for(opts):
            if isinstance(out, Path):
                return await write_report_file(store, opts, out)
            return await write_report(store, opts, out)
    finally:
        await store.close()


def _advice_for(opts: Any) -> Any:
    """:func:`~reactieveld.read.figures.period_advice` where the reader chose dates
    (``--since``/``--until``): a store's error that took too long advises a shorter period."""
    from reactieveld.read.figures import period_advice

    return period_advice(opts.since is not None or opts.until is not None)


def run_export_command(
    config: Any, db_path: Any, args: argparse.Namespace, *, out: TextIO | None = None
) -> int:
    """``reactieveld export``: write the report to ``--output`` (atomically: a temporary
    file renamed into place, so a failed export never leaves half a report) or stdout."""
    from reactieveld.reports.filenames import to_stdout

    try:
        opts = export_options(config, args)
    except ValueError as exc:
        return _usage(str(exc))
    if store_missing(db_path):
        return _usage(_no_store(config, db_path))
    if to_stdout(args.output):
        asyncio.run(_export(db_path, opts, out or sys.stdout, getattr(config, "store", None)))
        return 0
    clash = _name_clash(args.output, opts, language_of(config))
    if clash:
        return _usage(f"--output {clash}")
    target = Path(args.output).expanduser()
    if target.parent and not target.parent.is_dir():
        said = i18n_text("cli.no_dir", language_of(config), path=args.output)
        return _usage(f"--output {said}")
    if target.is_dir():
        ext = opts.decisions_as if opts.format == "decisions" else opts.format
        example = target / f"rapport.{ext}"
        said = i18n_text("cli.is_dir", language_of(config), path=args.output, example=example)
        return _usage(f"--output {said}")
    try:
        written = asyncio.run(_export(db_path, opts, target, getattr(config, "store", None)))
    except OSError as exc:
        # The report file could not be written (no permission, a full disk, ...): the
        # store's own failures arrive as StoreError, so this is about --output.
        reason = exc.strerror or str(exc)
        said = i18n_text("cli.cannot_write", language_of(config), path=args.output, reason=reason)
        return _usage(f"--output {said}")
    print(written.line(target, language_of(config)), file=sys.stderr)
    return 0


def _name_clash(output: str, opts: Any, language: str) -> str:
    """The line on an ``--output`` whose extension says another format than the one
    written (``--format md --output x.jsonl``), or "": a name says what a file holds."""
    from reactieveld.reports.filenames import name_clash, named_for

    decisions = opts.format == "decisions"
    written = opts.decisions_as if decisions else opts.format
    other = name_clash(output, written)
    if other is None:
        return ""
    said = {
        "path": output,
        "ext": Path(output).suffix.removeprefix("."),
        "kind": i18n_text(f"export.kind.{written}", language),
        "fixed": named_for(output, written),
    }
    if decisions and other == "md":  # the log is CSV or JSON Lines only
        return i18n_text("cli.name_clash.name", language, **said)
    flag = f"--as {other}" if decisions else f"--format {other}"
    return i18n_text("cli.name_clash", language, flag=flag, **said)


def cmd_export(args: argparse.Namespace, ctx: Any) -> int:
    return run_export_command(ctx.config, ctx.db_path, args)


# -- search ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _hits_line(result: Any, limit: int, language: str) -> str:
    """The header of a search's output: how many, in which order, and whether more match."""
    n = len(result.hits)
    more = result.total is not None and result.total > n
    if more:
        total = number(result.total, language)  # 1,234 / 1.234
        key = "search.cli.shown_capped" if result.capped else "search.cli.shown"
        count = i18n_text(key, language, n=n, total=total)
    else:
        count = i18n_text("search.hits", language, n=n)
    if not n:
        return count
    if result.by_date:
        order = i18n_text("search.cli.by_date", language)
    elif result.ranked:
        order = i18n_text("search.cli.best", language)
    else:
        order = i18n_text("search.newest", language)
    tail = i18n_text("search.cli.refine", language, limit=limit) if more else ""
    return f"{count}, {order}{tail}"


def run_search_command(
    config: Any, db_path: Any, args: argparse.Namespace, *, out: TextIO | None = None
) -> int:
    """``reactieveld search "QUERY"``: ranked hits, one block per hit; matching words in
    bold on a terminal. Filters without words list their responses newest first. A filter
    that names nothing (``vraag:9``, ``bron:typo``) exits 2 with what is allowed. A header
    line on stderr says how many hits, in which order, and whether more match. Untrusted
    text is stripped of control characters first."""
    from reactieveld.read.search import (
        FilterProblem,
        SearchResult,
        allowed_in,
        date_of,
        describe_problem,
        parse_query,
        search,
        snippet,
    )
    from reactieveld.store.base import QueueFilter
    from reactieveld.store.open import open_store

    out = out or sys.stdout
    language = language_of(config)
    ns = argparse.Namespace(
        format="jsonl",
        include_personal_data=True,
        question=getattr(args, "question", None) or [],
        role=getattr(args, "role", None) or [],
        source=getattr(args, "source", None) or [],
        status=getattr(args, "status", None) or [],
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
    )
    try:
        opts = export_options(config, ns, figures=False)
    except ValueError as exc:
        return _usage(str(exc))
    base = QueueFilter(
        statuses=tuple(RemoteStatus(s) for s in ns.status),
        sources=opts.sources,
        questions=opts.questions,
        roles=opts.roles,
        since=opts.since,
        until=opts.until,
    )
    query = args.query if isinstance(args.query, str) else " ".join(args.query)
    if store_missing(db_path):
        return _usage(_no_store(config, db_path))
    bold = out.isatty() if hasattr(out, "isatty") else False
    codebook = opts.codebook

    async def main() -> tuple[SearchResult, Any]:
        store = await open_store(
            db_path,
            settings=getattr(config, "store", None),
            codebook_version=codebook.version,
            double_share=getattr(getattr(config, "coding", None), "double_share", 0.0),
        )
        try:
            # Blind as the app (issue 14): a response another moderator coded first shows
            # and matches by this moderator's own coding until theirs is done.
            store.coder = await coder_of(store, config)
            allowed = await allowed_in(store, codebook)
            unknown = [s for s in base.sources if s not in (allowed.sources or ())]
            if unknown:
                flag = FilterProblem("--source", unknown[0], "source", sep=" ")
                parsed = replace(parse_query("", base), problems=(flag,))
                return SearchResult(parsed, []), allowed
            return await search(store, query, base, limit=args.limit, allowed=allowed), allowed
        finally:
            await store.close()

    result, allowed = asyncio.run(main())
    language = language_of(config)
    if result.parsed.problems:
        lines = [describe_problem(p, allowed, language) for p in result.parsed.problems]
        return _usage(" · ".join(lines))
    if not result.parsed.words and not result.parsed.filtered:
        return _usage(i18n_text("search.cli.empty", language))
    print(_hits_line(result, args.limit, language), file=sys.stderr)
    words = result.parsed.words
    for hit in result.hits:
        r = hit.row.response
        tags = " ".join(f"#{q}" for q in hit.row.questions)
        if hit.row.role:
            tags += f" @{hit.row.role}"
        head = (
            f"[{r.id}] {date_of(r.created_at)}  {r.source}  {_clean(r.author_name)}"
            f"  {i18n_text(f'status.{r.remote_status.value}', language)}  {tags}".rstrip()
        )
        out.write(head + "\n")
        if hit.row.thread_title:
            out.write(f"    {_clean(hit.row.thread_title)}\n")
        text, spans = snippet(_clean(r.body_text), words, width=200)
        if bold:
            for start, end in reversed(spans):
                text = text[:start] + "\x1b[1m" + text[start:end] + "\x1b[22m" + text[end:]
        out.write(f"    {text}\n")
        if r.url:
            out.write(f"    {_clean(r.url)}\n")
        out.write("\n")
    return 0


def cmd_search(args: argparse.Namespace, ctx: Any) -> int:
    return run_search_command(ctx.config, ctx.db_path, args)


# -- stats -----------------------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace, ctx: Any) -> int:
    from reactieveld.read.figures import run_stats_command

    if store_missing(ctx.db_path):
        return _usage(_no_store(ctx.config, ctx.db_path))
    return run_stats_command(ctx.config, ctx.db_path, args)


# -- agreement (issue 14) --------------------------------------------------------------------


def cmd_agreement(args: argparse.Namespace, ctx: Any) -> int:
    return run_agreement_command(ctx.config, ctx.db_path, args)


def run_agreement_command(
    config: Any, db_path: Any, args: argparse.Namespace, *, out: TextIO | None = None
) -> int:
    """``reactieveld agreement``: per planning question and for the role, Krippendorff's
    alpha, percent agreement, the number of double-coded responses and the verdict, of the
    responses the export's filters (period, source) select. Nothing double-coded is a
    line saying so (exit 0); a bad date or an unknown source exits 2."""
    ns = argparse.Namespace(
        format="jsonl",
        include_personal_data=False,
        question=[],
        role=[],
        source=getattr(args, "source", None) or [],
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
    )
    try:
        opts = export_options(config, ns)  # the export's dates and sources, checked alike
    except ValueError as exc:
        return _usage(str(exc))
    if store_missing(db_path):
        return _usage(_no_store(config, db_path))
    return asyncio.run(_agreement_main(config, db_path, opts, out or sys.stdout))


async def _agreement_main(config: Any, db_path: Any, opts: Any, out: TextIO) -> int:
    from reactieveld.i18n import text
    from reactieveld.read.agreement import agreement_figures, render_agreement_text
    from reactieveld.store.base import QueueFilter
    from reactieveld.store.open import open_store

    codebook, language = opts.codebook, opts.language
    store = await open_store(
        db_path, settings=getattr(config, "store", None), codebook_version=codebook.version
    )
    try:
        with _advice_for(opts):
            known = await store.source_names()
        unknown = [name for name in opts.sources if name not in known]
        if unknown:
            sources = ", ".join(known) or "—"
            problem = text("stats.err.source", language, sources=sources)
            return _usage(f"--source {unknown[0]}: {problem}")
        flt = QueueFilter(sources=opts.sources, since=opts.since, until=opts.until)
        with _advice_for(opts):
            codings = await store.codings(flt)
    finally:
        await store.close()
    questions = [q.code for q in codebook.questions]
    figures = agreement_figures(
        codings, questions, since=opts.since, until=opts.until, sources=opts.sources
    )
    labels = {q.code: q.label(language) for q in codebook.questions}
    out.write(render_agreement_text(figures, labels, language))
    return 0


# -- rules test (issue 16) -------------------------------------------------------------------


def cmd_rules(args: argparse.Namespace, ctx: Any) -> int:
    """``reactieveld rules test``: per rule, how many stored responses it matches, with a
    few examples (redacted, the matched words in brackets); nothing is flagged or held."""
    config = ctx.config
    rules = getattr(config, "rules", None)
    if not rules:
        return _usage(i18n_text("rules.cli.none", language_of(config)))
    if store_missing(ctx.db_path):
        return _usage(_no_store(ctx.config, ctx.db_path))
    return asyncio.run(_rules_main(config, ctx.db_path, args.examples, sys.stdout))


async def _rules_main(config: Any, db_path: Any, examples: int, out: TextIO) -> int:
    from reactieveld.reports.redact import Redactor
    from reactieveld.store.open import open_store

    language = language_of(config)
    counts = {r.name: 0 for r in config.rules.rules}
    shown: dict[str, list[str]] = {r.name: [] for r in config.rules.rules}
    slow = dict.fromkeys(counts, 0)
    titles = dict.fromkeys(counts, 0)  # matched in a title its author wrote, not the body
    total, after = 0, 0
    store = await open_store(db_path, settings=getattr(config, "store", None))
    try:  # from the first read on: a store left open keeps the process from ending
        # Redacted as a report is: contact data, and every author's name as initials.
        red = Redactor(language=language, names=await store.author_names() if examples else ())
        while batch := await store.texts(after=after, limit=500):
            after = batch[-1][0]
            total += len(batch)
            for _rid, body, title in batch:
                scan = config.rules.scan(body, title=title)
                for name in scan.slow:
                    slow[name] += 1
                seen: set[str] = set()
                for hit in scan.hits:  # the body's first: a rule matched in both is the body's
                    if hit.rule in seen:
                        continue
                    seen.add(hit.rule)
                    counts[hit.rule] += 1
                    titles[hit.rule] += hit.in_title
                    if len(shown[hit.rule]) < examples:
                        text = title if hit.in_title and title else body
                        example = _example(config.rules, hit.rule, text, red)
                        if hit.in_title:
                            example = i18n_text("rules.cli.title", language, example=example)
                        shown[hit.rule].append(example)
    finally:
        await store.close()
    for rule in config.rules.rules:
        n = counts[rule.name]
        line = i18n_text(
            "rules.cli.line", language, name=rule.name, action=rule.action, n=n, total=total
        )
        if titles[rule.name]:
            line += i18n_text("rules.cli.titles", language, n=titles[rule.name])
        if slow[rule.name]:
            line += i18n_text("rules.cli.slow", language, n=slow[rule.name])
        out.write(line + "\n")
        for example in shown[rule.name]:
            out.write(f"  - {example}\n")
    return 0


#: The most of one match an example shows: a pattern like ``.*`` or a 5,000-letter
#: word matched whole printed the whole text on one line.
MATCH_SHOWN = 60


def _match_shown(match: str) -> str:
    """A match as an example shows it: whole, or its start and "…"."""
    if len(match) <= MATCH_SHOWN:
        return match
    from reactieveld.text import cut_whole

    return cut_whole(match, MATCH_SHOWN - 1) + "…"


def _example(rules: Any, rule: str, body: str, red: Any) -> str:
    """A matched text around its first match, one line, the matches in brackets, redacted
    (``red``: a report's redaction). Contact data goes first and the rule is matched on
    what is left: brackets put in first would split a phone number or an e-mail address
    out of redaction's reach (``bel [06]-12345678``), and a window cut first could halve
    one. Names go after matching, outside the matched words: a match is the rule's words
    as written ("KOOP NU" by an author "Win Nu" read "KOOP N.", matched by nothing), so a
    name whose every word is matched stays; one partly matched is redacted whole, in the
    brackets."""
    from reactieveld.reports.redact import token_spans

    body = red.contact(body)
    tokens = token_spans(body)
    hits = [hit for hit in rules.scan(body).hits if hit.rule == rule]
    # Not in redaction's own tokens ("mail*" in "[e-mail]" read "[e-[mail]]"); matched
    # only inside personal data: the text's start, nothing in brackets (it read "[]").
    matched = [
        (a, b)
        for a, b in (hits[0].spans if hits else ())
        if not any(a < t_end and t_start < b for t_start, t_end in tokens)
    ]

    def in_match(s: int, e: int) -> bool:  # each letter of body[s:e] matched
        return all(
            not body[k].isalnum() or any(a <= k < b for a, b in matched) for k in range(s, e)
        )

    names = [n for n in red.name_hits(body) if not in_match(n[0], n[1])]
    spans: list[tuple[int, int]] = []
    for a, b in matched:  # each widened over a name it cuts, and merged with one it meets
        for s, e, _ in names:
            if s < b and a < e:
                a, b = min(a, s), max(b, e)
        if spans and a < spans[-1][1]:
            before = spans.pop()
            a, b = min(a, before[0]), max(b, before[1])
        spans.append((a, b))
    start, end = spans[0] if spans else (0, 0)
    lo, hi = max(0, start - 40), min(len(body), end + 40)
    for s, e, _ in names:  # a name the window would halve: whole
        lo, hi = (min(lo, s) if s < lo < e else lo), (max(hi, e) if s < hi < e else hi)

    def plain(a: int, b: int) -> str:
        out, pos = [], a
        for s, e, short in names:
            if a <= s and e <= b:
                out += [body[pos:s], short]
                pos = e
        return "".join([*out, body[pos:b]])

    marked, pos = [], lo
    for a, b in spans:
        if a < lo or b > hi:
            continue
        marked += [plain(pos, a), "[", _match_shown(plain(a, b)), "]"]
        pos = b
    marked.append(plain(pos, hi))
    text = _CONTROL.sub(" ", " ".join("".join(marked).split()))
    return ("…" if lo else "") + text + ("…" if hi < len(body) else "")
