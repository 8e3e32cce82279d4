"""Author keys: the tokens ``responses_by_author`` indexes (migrations 0005 and 0007)."""

from __future__ import annotations

import hashlib


def author_token(key: str) -> str:
    """The one token an author key is indexed as. Keys we make are hex already; any
    other string (a caller's own key) is hashed, so it is one token and never syntax."""
    if key.isascii() and key.isalnum():
        return key.lower()
    return "x" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def author_match(key: str) -> str:
    """An FTS5 query for exactly this author key."""
    return f'"{author_token(key)}"'


def name_token(source_id: int, name: str | None) -> str:
    """The token of an author name within a source (migration 0007): responses without
    an author key (organisation accounts, anonymous posters) are found by it."""
    text = f"{source_id}\x1f{name or ''}".encode("utf-8", "surrogatepass")
    return "n" + hashlib.blake2b(text, digest_size=16).hexdigest()


def author_tokens(key: str | None, source_id: int, name: str | None) -> str:
    """What ``responses_by_author`` holds for a response: its author key's token (if it
    has one) and its name token."""
    token = name_token(source_id, name)
    return f"{author_token(key)} {token}" if key else token
