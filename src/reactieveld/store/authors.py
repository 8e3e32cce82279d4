"""Author keys: the keyed hash that stands in for an e-mail address, the secret it is
keyed with (in the key file beside the store, or from the environment; only a check value
in the database), and the tokens ``responses_by_author`` indexes (migrations 0005, 0007)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path

from reactieveld.store.base import StoreError
from reactieveld.store.files import FILE_MODE, fsync_dir, key_file_path


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


#: Response ids of one author key (migration 0005: an FTS5 index, cheap to write).
BY_AUTHOR = "SELECT rowid FROM responses_by_author WHERE responses_by_author MATCH ?"


def secret_bytes(text: str) -> bytes:
    """The HMAC key of an author secret: the store's own keys are 64 hex digits (32
    random bytes); any other text is taken as UTF-8."""
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    return text.encode()


def secret_check(key: bytes) -> str:
    """What the store keeps to recognise its author secret (not the secret)."""
    return hmac.new(key, b"reactieveld author secret check", "sha256").hexdigest()


@functools.lru_cache(maxsize=65_536)
def author_key_of(secret: bytes, email: str) -> str:
    # The same people write again and again: their keys are remembered (in memory only).
    return hmac.new(secret, email.strip().casefold().encode(), "sha256").hexdigest()[:32]


def author_key_for(
    secret: bytes | None, email: str | None, missing: Callable[[], str]
) -> str | None:
    """The keyed hash that stands in for ``email`` (never stored itself), None for no
    address; a StoreError saying ``missing()`` when the store has no secret to key it
    with (each backend says where the secret should have been)."""
    if not email or not email.strip():
        return None
    if secret is None:
        raise StoreError(missing())
    return author_key_of(secret, email)


def read_key_file(path: Path) -> str | None:
    try:
        text = key_file_path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"cannot read the author key file {key_file_path(path)}: {exc}; restore it "
            "from a backup"
        ) from exc
    return text or None


def write_key_file(path: Path, key: str) -> None:
    """Write the key file atomically (a temporary file, synced, renamed; the folder
    synced), mode 0600 from the start."""
    target = key_file_path(path)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            os.write(fd, (key + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(
            f"cannot write the author key file {target}: {exc.strerror or exc}; make its "
            "folder writable or free disk space"
        ) from exc


def remove_key_file(path: Path) -> None:
    """Overwrite the key file's bytes, then remove it (its key is in the environment)."""
    target = key_file_path(path)
    with contextlib.suppress(OSError):
        size = target.stat().st_size
        fd = os.open(target, os.O_WRONLY)
        try:
            os.write(fd, b"0" * size)
            os.fsync(fd)
        finally:
            os.close(fd)
        target.unlink()
        fsync_dir(target.parent)


def meta_value(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def author_secret_read_only(db: sqlite3.Connection, path: Path, given: str | None) -> bytes | None:
    """The key of the author keys for a read-only connection: given, or kept; nothing
    is written (None: none is to be had)."""
    if given is not None:
        return secret_bytes(given)
    kept = read_key_file(path) or meta_value(db, "author_secret")
    return secret_bytes(kept) if kept else None


def setup_author_secret(db: sqlite3.Connection, path: Path, given: str | None) -> bytes | None:
    """The key of the author keys (None: it is nowhere to be had; reading works, a new
    author key is refused). It is kept in the key file beside the database or given
    from the environment, never kept in the database: only a check value is, to
    tell a wrong or missing key from the right one."""
    if str(path) == ":memory:":
        return secret_bytes(given) if given is not None else secrets.token_bytes(32)
    keyfile = key_file_path(path)
    db.execute("BEGIN IMMEDIATE")  # also serialises making the key file across programs
    remove_file = moved_out = False
    key: bytes | None
    try:
        kept = meta_value(db, "author_secret")
        check = meta_value(db, "author_secret_check")
        on_disk = read_key_file(path)
        used = (
            db.execute("SELECT 1 FROM responses WHERE author_key IS NOT NULL LIMIT 1").fetchone()
            is not None
        )
        if given is None:
            if kept is not None:
                # The migration of a store made before the key file: the same key goes
                # to the key file (written and synced first), then leaves the database,
                # so every author key stays valid.
                if on_disk is not None and on_disk != kept and used:
                    raise StoreError(
                        f"{keyfile} does not hold the author secret kept in {path}; "
                        "move that key file away (the database's own is then used)"
                    )
                if on_disk is None:
                    write_key_file(path, kept)
                key = secret_bytes(kept)
                moved_out = True
            elif on_disk is not None:
                key = secret_bytes(on_disk)
                if check is not None and check != secret_check(key) and used:
                    raise StoreError(
                        f"{keyfile} is not the author key of {path} (it does not "
                        "match the check value): restore the right key file from a backup"
                    )
            elif check is None or not used:  # a new store makes a key of its own
                fresh = secrets.token_hex(32)
                write_key_file(path, fresh)
                key = secret_bytes(fresh)
            else:
                # A made-up key would split every author in two: none, and say so on
                # the first new author key (see ``author_key``).
                key = None
        else:
            key = secret_bytes(given)
            if used and (
                (kept is not None and secret_bytes(kept) != key)
                or (on_disk is not None and secret_bytes(on_disk) != key)
            ):
                raise StoreError(
                    f"{path}: the author secret from the environment is not the one "
                    "this memory keeps; `reactieveld author-secret` shows the kept one"
                )
            mine = secret_check(key)
            if kept is None and on_disk is None and check not in (None, mine) and used:
                raise StoreError(
                    f"{path}: the author secret from the environment is not the one "
                    "this memory was made with (its author keys would no longer match)"
                )
            moved_out = kept is not None
            remove_file = on_disk is not None
        if moved_out:
            # Overwrite the kept key's bytes in the file, not only unlink the row.
            db.execute("PRAGMA secure_delete = ON")
            db.execute("DELETE FROM meta WHERE key = 'author_secret'")
        if key is not None and check != secret_check(key):
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('author_secret_check', ?)",
                (secret_check(key),),
            )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("PRAGMA secure_delete = OFF")  # only for the key's row: deletes stay cheap
    if moved_out:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no old page with it in the WAL
    if remove_file:
        remove_key_file(path)  # the environment has it now
    return key
