"""Naming a memory: a SQLite file's path or a PostgreSQL URL; URLs checked (never a
password in them) and shown without secrets. Plain functions, no driver imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def is_postgres_url(value: str | Path | None) -> bool:
    """Whether a ``--db`` value or ``[store] url`` names a PostgreSQL database."""
    return value is not None and str(value).split("://", 1)[0] in ("postgresql", "postgres")


def check_postgres_url(value: Any) -> str:
    """``value`` if it is a PostgreSQL URL without a password (the password comes from
    ``[store] password_env``, PGPASSWORD or ~/.pgpass, never from a file or a command
    line); else ValueError(what was expected, what was given) — never the value itself."""
    from urllib.parse import urlsplit

    expected = 'a PostgreSQL URL like "postgresql://moderator@db.example.nl/reactieveld"'
    if not isinstance(value, str) or "://" not in value:
        raise ValueError(expected)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise ValueError(expected) from None
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise ValueError(expected)
    if parts.password is not None or "password=" in parts.query:
        raise ValueError(
            "a URL without a password (name the variable that holds it in password_env)",
            "a URL with a password",
        )
    return value


def store_missing(target: str | Path) -> bool:
    """Whether ``target`` is a SQLite file that does not exist (a command that only reads
    says so instead of creating an empty memory). A database URL is never "missing": the
    server says whether it exists."""
    return not is_postgres_url(target) and not Path(target).exists()


def redact_url(url: str) -> str:
    """The URL as messages show it: without a password (or any other userinfo secret)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "the PostgreSQL URL"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}@{host}" if parts.username else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def describe(target: str | Path) -> str:
    """``target`` as messages name it (a URL without its password)."""
    return redact_url(str(target)) if is_postgres_url(target) else str(target)
