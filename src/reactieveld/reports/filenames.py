"""What a report's file name says of its format: the extensions each format writes (a
report's md, csv, jsonl; the decisions log's csv, jsonl), so that Markdown is not written
into ``rapport.jsonl`` without a word. Its own module: the report writers (``formats``)
and the decisions log (``decisions``) both ask it, and neither may import the other."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMAT_EXTENSIONS", "format_named", "name_clash", "named_for"]


#: The file name extensions that say what a file holds, by the format (a report's, or the
#: decisions log's csv/jsonl): a name with one of another format is a name that misleads.
FORMAT_EXTENSIONS = {
    "md": ("md", "markdown"),
    "csv": ("csv",),
    "jsonl": ("jsonl", "ndjson", "json"),
}


def to_stdout(output: str | None) -> bool:
    """Whether ``--output`` says the standard output: not given, or ``-`` (the shell's
    way to say "to the pipe"; a file named "-" is ``./-``)."""
    return not output or output == "-"


def format_named(name: str | Path) -> str | None:
    """The format the extension of file name ``name`` says (``rapport.jsonl``: jsonl), or
    None: no extension, or one no format writes (``.txt``)."""
    suffix = Path(name).suffix.lower().removeprefix(".")
    return next((fmt for fmt, exts in FORMAT_EXTENSIONS.items() if suffix in exts), None)


def named_for(name: str, fmt: str) -> str:
    """``name`` with the extension of ``fmt`` in place of its own (``rapport.jsonl`` as
    Markdown: ``rapport.md``); a name without an extension gets one."""
    path = Path(name)
    stem = name[: len(name) - len(path.suffix)] if format_named(name) else name
    return f"{stem}.{fmt}"


def name_clash(name: str | Path, fmt: str) -> str | None:
    """The other format the extension of ``name`` says, when it is not ``fmt`` (Markdown
    written into ``rapport.jsonl``); None when the name fits or says no format."""
    said = format_named(name)
    return said if said is not None and said != fmt else None
