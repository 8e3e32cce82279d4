"""Naming a memory: a SQLite file's path or a PostgreSQL URL; URLs checked (never a
password in them) and shown without secrets. Plain functions, no driver imported."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def is_postgres_url(value: str | Path | None) -> bool:
    """Whether a ``--db`` value or ``[store] url`` names a PostgreSQL database."""
    # Any case: "POSTGRESQL://..." is a URL written wrong (check_postgres_url says so),
    # not a file of that name.
    scheme = str(value).split("://", 1)[0].lower() if value is not None else ""
    return scheme in ("postgresql", "postgres")


def check_postgres_url(value: Any) -> str:
    """``value`` if it is a PostgreSQL URL without a password (the password comes from
    ``[store] password_env``, PGPASSWORD or ~/.pgpass, never from a file or a command
    line); else ValueError(what was expected, what was given), each an i18n.Said (the
    reader's language is chosen where it is shown) — never the value itself
    (only its scheme or port, which hold no secret), so each kind of mistake says what to
    change: the scheme, its case, the "//", the host, the port, the password."""
    from urllib.parse import urlsplit

    from reactieveld.i18n import Said

    expected = Said("config.url.expect")
    if not isinstance(value, str):
        raise ValueError(expected)
    scheme, sep, _rest = value.partition(":")
    if not sep or not scheme.strip() or any(c in scheme for c in " /@"):
        raise ValueError(expected, Said("config.url.got.no_scheme"))
    if scheme.lower() in ("postgresql", "postgres") and scheme not in ("postgresql", "postgres"):
        raise ValueError(
            Said("config.url.expect.lower", scheme=scheme.lower()), f'"{scheme}://..."'
        )
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(
            Said("config.url.expect.scheme"), Said("config.url.got.scheme", scheme=scheme[:20])
        )
    if "://" not in value:
        raise ValueError(
            Said("config.url.expect.slashes", scheme=scheme),
            Said("config.url.got.no_slashes", scheme=scheme),
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raw = value.split("://", 1)[1].split("/", 1)[0].rpartition("@")[2].rpartition(":")[2]
        shown = raw[:10] if raw.isascii() and raw.isalnum() else Said("config.url.got.else")
        raise ValueError(
            Said("config.url.expect.port"), Said("config.url.got.port", port=shown)
        ) from None
    if parts.password is not None or "password=" in parts.query:
        raise ValueError(Said("config.url.expect.no_password"), Said("config.url.got.password"))
    if not parts.hostname:
        raise ValueError(Said("config.url.expect.host"), Said("config.url.got.no_host"))
    if port == 0:
        raise ValueError(Said("config.url.expect.port"), '"0"')
    return value


def store_missing(target: str | Path) -> bool:
    """Whether ``target`` is a SQLite file that does not exist (a command that only reads
    says so instead of creating an empty memory). A database URL is never "missing": the
    server says whether it exists."""
    return not is_postgres_url(target) and not Path(target).exists()


def redact_url(url: str) -> str:
    """A PostgreSQL URL as every line shows it: ``postgresql://role@host:port/db``. The
    role is shown (it is no secret, and says who is refused or waits); a password, the
    query (its options may hold one) and anything else never. The one form: the CLI's
    lines, the sync's waiting line and its rounds' lines (:func:`shown_urls`) use it."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "the PostgreSQL URL"
    host = parts.netloc.rpartition("@")[2]  # as written: an IPv6 host keeps its brackets
    netloc = f"{parts.username}@{host}" if parts.username else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


#: A PostgreSQL URL inside a text (a message): its userinfo up to the ``@`` whatever it
#: holds (a password may hold a quote or a bracket as written), then up to a space, a
#: quote or a bracket.
_IN_TEXT = re.compile(r"(?i)\bpostgres(?:ql)?://(?:[^\s@/]*@)?[^\s'\"<>()]+")


def shown_urls(text: str) -> str:
    """``text`` with every PostgreSQL URL in it as :func:`redact_url` shows it (a line
    that names the memory, whoever made it); a ``:`` or ``,`` after it stays."""

    def shown(match: re.Match[str]) -> str:
        url = match.group(0)
        url_end = len(url.rstrip(":;,."))
        return redact_url(url[:url_end]) + url[url_end:]

    return _IN_TEXT.sub(shown, text)


def describe(target: str | Path) -> str:
    """``target`` as messages name it (a URL without its password)."""
    return redact_url(str(target)) if is_postgres_url(target) else str(target)
