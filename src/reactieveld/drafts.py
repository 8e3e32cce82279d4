"""The moderator's drafts between sessions: replies and notes kept with the editor's
"keep" (and the text of an open editor when the app is ended by a signal), so a closed
terminal window, a ``kill``, a crash or a power cut does not throw them away.

One small JSON file per memory, in the XDG state dir beside the saved language
(``$XDG_STATE_HOME/reactieveld/drafts/<digest>.json``; ``REACTIEVELD_STATE`` moves the
folder with the state file). The digest names the memory: a SQLite file by its full path,
a PostgreSQL memory by its server, database and connecting role (the URL's user; never a
password), so a moderator with two memories, or two roles on one, has two sets. The file
is the moderator's own: 0600 in a 0700 folder, written whole (state.write_private) at
every draft kept, changed or dropped, removed when none is left. Two windows on one
memory share it: each save reads, merges and writes it under a lock (``<name>.lock``
beside it), keeps the other window's drafts, and takes over what the other changed or
dropped (a reply sent there) in the drafts both had; an editor opened on a response
starts from the file's draft for it (DraftsFile.reread), kept or changed in the other.

Why not in the memory itself: a draft is one moderator's unsent words, not the team's
record (it must not reach the journal, the export or another moderator), and a table for
them would be a schema change on both backends. The file holds the response's id, the
author's name as the queue showed it, its time, and the text: as private as the
moderator's own terminal.

A file that is not what this module writes (cut off, wrong shapes, not a file, not
readable, readable by others) is never overwritten: it is moved aside (``.bad-<time>``)
before anything is written, and :class:`DraftProblem` says what was wrong."""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reactieveld.state import state_path, write_private

#: The file's format: a newer one is left alone (moved aside, as any file not ours).
FORMAT = 1
#: No drafts file is this large; a larger one is not read.
MAX_BYTES = 8 * 1024 * 1024
KINDS = ("reply", "note")


@dataclass(frozen=True)
class DraftKey:
    """Which draft: a reply's or a note's (``kind``) on one response, equal by those two.
    It also carries what the quit question names the draft by, the response's author and
    time as the queue shows them (not compared: a sync may rename the author)."""

    kind: str
    response_id: int
    author: str = field(default="", compare=False)
    created_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DraftProblem:
    """Why the drafts file was not loaded or cannot be written: ``what`` is an i18n key
    (``drafts.what.*``) with ``values``; ``moved`` where the file went (None: it could
    not be moved, and nothing is written over it this session)."""

    path: Path
    what: str
    values: Mapping[str, str] = field(default_factory=dict)
    moved: Path | None = None


class DraftFileError(ValueError):
    """The file's contents are not drafts (with the i18n key that says how)."""

    def __init__(self, what: str, **values: str) -> None:
        super().__init__(what)
        self.what = what
        self.values = values


def store_identity(target: str | Path, environ: Mapping[str, str] = os.environ) -> str:
    """The memory as its drafts are kept for: a SQLite file's full path; a PostgreSQL
    memory as ``postgresql://role@host:port/database`` (the role is the URL's user, else
    ``PGUSER``, else the login name, as the server is told), never with a password."""
    from reactieveld.store.urls import is_postgres_url

    if not is_postgres_url(target):
        return str(Path(target).expanduser().resolve())
    from urllib.parse import urlsplit

    parts = urlsplit(str(target))
    user = parts.username or environ.get("PGUSER") or _login()
    host = parts.hostname or environ.get("PGHOST") or ""
    port = parts.port or int(environ.get("PGPORT") or 5432)
    database = parts.path.lstrip("/") or environ.get("PGDATABASE") or user
    return f"postgresql://{user}@{host}:{port}/{database}"


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name: one set for all
        return ""


def drafts_path(target: str | Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the drafts for the memory ``target`` are kept (see the module's docstring)."""
    digest = hashlib.sha256(store_identity(target, environ).encode()).hexdigest()[:20]
    return state_path(environ).parent / "drafts" / f"{digest}.json"


def to_json(store: str, drafts: Mapping[DraftKey, str]) -> str:
    """The file's text for ``drafts`` (of the memory ``store``)."""
    items = [
        {
            "kind": key.kind,
            "response_id": key.response_id,
            "author": key.author,
            "created_at": key.created_at.isoformat() if key.created_at else None,
            "text": text,
        }
        for key, text in drafts.items()
    ]
    data = {"reactieveld_drafts": FORMAT, "store": store, "drafts": items}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(raw: bytes) -> dict[DraftKey, str]:
    """The drafts in a file's bytes. Raises DraftFileError (what is wrong, as an i18n key)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DraftFileError("drafts.what.json") from None
    if not isinstance(data, dict) or data.get("reactieveld_drafts") != FORMAT:
        raise DraftFileError("drafts.what.format")
    items = data.get("drafts")
    if not isinstance(items, list):
        raise DraftFileError("drafts.what.format")
    drafts: dict[DraftKey, str] = {}
    for number, item in enumerate(items, 1):
        drafts.update([_draft(item, number)])
    return drafts


def _key_in(drafts: Mapping[DraftKey, str], key: DraftKey) -> DraftKey:
    """The key in ``drafts`` equal to ``key`` (with the author and time it carries)."""
    return next(k for k in drafts if k == key)


def _draft(item: Any, number: int) -> tuple[DraftKey, str]:
    wrong = DraftFileError("drafts.what.entry", n=str(number))
    if not isinstance(item, dict):
        raise wrong
    kind, rid, text = item.get("kind"), item.get("response_id"), item.get("text")
    author, created = item.get("author", ""), item.get("created_at")
    if kind not in KINDS or type(rid) is not int or not isinstance(text, str):
        raise wrong
    if not isinstance(author, str) or not (created is None or isinstance(created, str)):
        raise wrong
    try:
        when = datetime.fromisoformat(created) if created else None
    except ValueError:
        raise wrong from None
    return DraftKey(kind, rid, author=author, created_at=when), text


class DraftsFile:
    """The drafts file of one memory: :meth:`load` once at start, :meth:`save` at every
    change. ``store`` names the memory in the file (for a person reading it)."""

    def __init__(self, path: Path, store: str, *, clock: Callable[[], datetime] | None = None):
        self.path = path
        self.store = store
        self._clock = clock or datetime.now
        #: False while a bad file could not be moved aside: it is not written over.
        self.writable = True
        #: This session's drafts as the file held them after its last load or save:
        #: the file's others are another session's on the same memory (a second
        #: window), kept at every save; one of these another window changed or dropped
        #: since (this session did not) is taken as it is in the file now.
        self.held: dict[DraftKey, str] = {}
        #: What was wrong with a file found bad while saving (moved aside), to be said.
        self.problems: list[DraftProblem] = []

    def load(self) -> tuple[dict[DraftKey, str], DraftProblem | None]:
        """The kept drafts (none when there is no file), and what was wrong with a file
        that could not be read as drafts: that file is moved aside first."""
        drafts = self._on_disk() or {}
        self.held = dict(drafts)
        return drafts, self.problems.pop() if self.problems else None

    def _read(self) -> bytes:
        info = os.lstat(self.path)  # FileNotFoundError: no drafts
        if not stat.S_ISREG(info.st_mode):
            raise DraftFileError("drafts.what.not_file")
        if info.st_uid != os.getuid():
            raise DraftFileError("drafts.what.owner")
        if info.st_mode & 0o077:
            raise DraftFileError("drafts.what.others", mode=f"{stat.S_IMODE(info.st_mode):04o}")
        if info.st_size > MAX_BYTES:
            raise DraftFileError("drafts.what.large")
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            return f.read(MAX_BYTES + 1)

    def _move_aside(self, what: str, values: Mapping[str, str]) -> DraftProblem:
        """Rename the file (never copied, never written over) to ``<name>.bad-<time>``; a
        file that cannot be moved stays, and nothing is written over it this session."""
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        for n in range(100):
            moved = self.path.with_name(f"{self.path.name}.bad-{stamp}" + (f"-{n}" if n else ""))
            if os.path.lexists(moved):
                continue
            try:
                os.rename(self.path, moved)
            except OSError:
                break
            with contextlib.suppress(OSError):  # a copy readable by others stays ours only
                if not moved.is_symlink():
                    os.chmod(moved, stat.S_IMODE(os.lstat(moved).st_mode) & 0o700)
            return DraftProblem(self.path, what, dict(values), moved)
        self.writable = False
        return DraftProblem(self.path, what, dict(values), None)

    def save(self, drafts: Mapping[DraftKey, str]) -> dict[DraftKey, str | None]:
        """Write this session's ``drafts`` (whole, fsync'd, 0600 in a 0700 folder) with
        the other sessions' on this memory (a second window's), under a lock (a private
        ``<name>.lock`` beside the file) from reading the file to writing it, so a save of
        the other window in between is not lost; remove the file when none is left.

        A draft this session has not changed since its last load or save is taken as
        the file has it now: another window changed it, or dropped it (its reply sent),
        and that stays so. Returns those (key: the file's text, None: dropped), for the
        session to take over into its own drafts (the next save counts from them).
        Raises OSError (also while a bad file is in the way)."""
        if not self.writable:
            raise OSError(0, "a damaged drafts file is in the way")
        if not drafts and not os.path.lexists(self.path.parent):
            self.held = {}  # no folder, no file: nothing to merge, nothing to remove
            return {}
        with self._locked():
            on_disk = self._on_disk()
            if not self.writable:  # found bad just now, and it could not be moved
                raise OSError(0, "a damaged drafts file is in the way")
            merged = self._merged(drafts, on_disk)
            if not merged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
            else:
                write_private(self.path, to_json(self.store, merged))
        with contextlib.suppress(OSError):
            if stat.S_IMODE(os.stat(self.path.parent).st_mode) & 0o077:
                os.chmod(self.path.parent, 0o700)  # ours: not listed for others
        self.held = {key: merged[key] for key in drafts if key in merged}
        return {key: merged.get(key) for key, text in drafts.items() if merged.get(key) != text}

    def _merged(
        self, drafts: Mapping[DraftKey, str], on_disk: Mapping[DraftKey, str] | None
    ) -> dict[DraftKey, str]:
        """The file's drafts after this session's save: its changes since the last load or
        save (kept, changed, dropped), the rest as the file has them (``on_disk``; None:
        the file was bad and moved aside, only this session's are known)."""
        if on_disk is None:
            return dict(drafts)
        merged: dict[DraftKey, str] = {}
        for key in dict.fromkeys([*drafts, *on_disk]):  # this session's key: its author now
            ours = drafts.get(key)
            if ours != self.held.get(key):  # changed here: this session's text (or none)
                if ours is not None:
                    merged[key] = ours
            elif key in on_disk:
                merged[key if ours == on_disk[key] else _key_in(on_disk, key)] = on_disk[key]
        return merged

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This memory's drafts file to this session alone (an advisory lock on the
        private file ``<name>.lock`` beside it, waited for), for a read-merge-write."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
        fd = os.open(self.path.with_name(self.path.name + ".lock"), flags, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # the lock goes with it

    def _on_disk(self) -> dict[DraftKey, str] | None:
        """The drafts in the file now ({}: no file). A file that has become bad meanwhile
        is moved aside as at start (:attr:`problems`): None."""
        try:
            return from_json(self._read())
        except FileNotFoundError:
            return {}
        except DraftFileError as exc:
            self.problems.append(self._move_aside(exc.what, exc.values))
            return None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.problems.append(self._move_aside("drafts.what.unreadable", {"reason": reason}))
            return None

    def reread(self, key: DraftKey, ours: str | None) -> str | None:
        """The draft ``key`` to open now: the file's text where another window kept or
        changed it since this session's last load or save (this session did not: ``ours``
        is what it held then), else ``ours``. A drop elsewhere is left to :meth:`save`.
        The text taken counts as held (the next save keeps it unless changed here)."""
        if not self.writable or ours != self.held.get(key):
            return ours  # a bad file in the way, or changed here and not yet written
        theirs = (self._on_disk() or {}).get(key)
        if theirs is None:
            return ours
        self.held[key] = theirs
        return theirs

    def set_aside(self, drafts: Mapping[DraftKey, str], name: str) -> Path:
        """Write ``drafts`` to a file of their own beside this one (``<name>-<time>``),
        e.g. those whose response is gone. Raises OSError."""
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.stem}.{name}-{stamp}.json")
        write_private(aside, to_json(self.store, drafts))
        return aside


class KeptDrafts(MutableMapping[DraftKey, str]):
    """The app's drafts (DraftKey -> text): a mapping that calls ``changed`` after every
    draft kept, changed or dropped (the app then writes its file). ``durable``: they
    outlast the session (a file is kept and was written without error)."""

    def __init__(
        self,
        drafts: Mapping[DraftKey, str] | None = None,
        changed: Callable[[], object] | None = None,
    ) -> None:
        self._drafts: dict[DraftKey, str] = dict(drafts or {})
        self.changed = changed
        self.durable = False

    def __getitem__(self, key: DraftKey) -> str:
        return self._drafts[key]

    def __setitem__(self, key: DraftKey, text: str) -> None:
        self._drafts.pop(key, None)  # the newest key: its author's name as shown now
        self._drafts[key] = text
        self._changed()

    def __delitem__(self, key: DraftKey) -> None:
        del self._drafts[key]
        self._changed()

    def __iter__(self) -> Iterator[DraftKey]:
        return iter(self._drafts)

    def __len__(self) -> int:
        return len(self._drafts)

    def __repr__(self) -> str:
        return f"KeptDrafts({self._drafts!r})"

    def take(self, changes: Mapping[DraftKey, str | None]) -> None:
        """Another window's changes to these drafts (:meth:`DraftsFile.save`'s or
        :meth:`DraftsFile.reread`'s: a text, or None where it dropped one), taken over
        without a save (they are the file's)."""
        for key, text in changes.items():
            if text is None:
                self._drafts.pop(key, None)
            else:
                self._drafts[key] = text

    def _changed(self) -> None:
        if self.changed is not None:
            self.changed()
