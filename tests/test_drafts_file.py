"""The drafts file (reactieveld.drafts): the moderator's kept replies and notes outlast
the session, one file per memory (and per role on a team memory), private, written whole.

A file that is not what the app writes (any bytes, any JSON, not a file, not ours to
read, readable by others) never stops the app and is never written over: it is moved
aside, with the reason said, and new drafts are kept again."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reactieveld
from reactieveld.drafts import (
    DraftKey,
    DraftsFile,
    KeptDrafts,
    drafts_path,
    from_json,
    store_identity,
)

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
DRAFTS = {
    DraftKey("reply", 3, author="Anne de Vries", created_at=NOW): "Beste Anne,\nDank — ✓",
    DraftKey("note", 3, author="Anne de Vries", created_at=NOW): "eerst navragen",
    DraftKey("reply", 17, author=""): "  spaties blijven  ",
}


LOCK = "d.json.lock"


def _file(folder: Path) -> DraftsFile:
    return DraftsFile(folder / "drafts" / "d.json", "/data/memory.db", clock=lambda: NOW)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_file_round_trip_is_private_and_goes_when_empty(tmp_path: Path) -> None:
    kept = _file(tmp_path)
    assert kept.load() == ({}, None)  # no file yet: no drafts, nothing wrong
    kept.save(DRAFTS)
    assert _mode(kept.path) == 0o600 and _mode(kept.path.parent) == 0o700
    loaded, problem = _file(tmp_path).load()
    assert problem is None
    assert loaded == DRAFTS
    # What the quit question and the editor name a draft by comes back too.
    assert [(k.author, k.created_at) for k in loaded] == [(k.author, k.created_at) for k in DRAFTS]
    assert json.loads(kept.path.read_text("utf-8"))["store"] == "/data/memory.db"
    # No temporary file left; the lock beside it (empty) is the moderator's own too.
    assert sorted(os.listdir(kept.path.parent)) == ["d.json", "d.json.lock"]
    assert _mode(kept.path.parent / "d.json.lock") == 0o600
    kept.save({})
    assert not kept.path.exists()
    kept.save({})  # none left, no file: still fine


def test_each_memory_and_each_role_has_its_own_file_never_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    env = {"PGUSER": ""}
    one, two = drafts_path(tmp_path / "a.db", env), drafts_path(tmp_path / "b.db", env)
    assert one != two and one.parent == tmp_path / "state" / "reactieveld" / "drafts"
    assert drafts_path(str(tmp_path / "x" / ".." / "a.db"), env) == one  # the same file
    anne = "postgresql://anne@db.example.nl/team"
    assert store_identity(anne, env) == "postgresql://anne@db.example.nl:5432/team"
    with_secret = "postgresql://anne:geheim@db.example.nl:5432/team"
    assert "geheim" not in store_identity(with_secret, env)
    assert drafts_path(with_secret, env) == drafts_path(anne, env)
    piet = drafts_path("postgresql://piet@db.example.nl/team", env)
    assert piet != drafts_path(anne, env)
    # No user in the URL: the role the server is told (PGUSER), not one set for all.
    assert drafts_path("postgresql://db.example.nl/team", {**env, "PGUSER": "piet"}) == piet
    named = {"REACTIEVELD_STATE": str(tmp_path / "elders" / "state.json")}
    assert drafts_path(tmp_path / "a.db", named).parent == tmp_path / "elders" / "drafts"


def _bad_aside(folder: Path, original: bytes | None) -> None:
    """After a bad file: no file at the path, the bad one beside it under .bad-<time>
    with the very same bytes, readable by its owner only; a save writes a new one."""
    kept = _file(folder)
    (aside,) = [p for p in kept.path.parent.iterdir() if p.name not in ("d.json", LOCK)]
    assert aside.name == "d.json.bad-20261207-060000"
    assert not os.path.lexists(kept.path)
    if original is not None:
        assert aside.read_bytes() == original
        assert _mode(aside) & 0o077 == 0


def _write(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(data)
    os.chmod(path, mode)


def _drafts_shapes() -> st.SearchStrategy[object]:
    """JSON documents near the real format: the right header with wrong entries, wrong
    headers, and anything else."""
    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
    anything = st.recursive(
        scalar,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    )
    entry = st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["reply", "note", "other"]) | anything,
            "response_id": st.integers() | anything,
            "author": st.text(max_size=5) | anything,
            "created_at": st.sampled_from([None, "2026-12-07T06:00:00+00:00", "gisteren"])
            | anything,
            "text": st.text(max_size=5) | anything,
        },
    )
    return st.one_of(
        anything,
        st.fixed_dictionaries(
            {
                "reactieveld_drafts": st.sampled_from([1, 2, "1"]),
                "drafts": st.lists(entry, max_size=3) | anything,
            }
        ),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(st.binary(max_size=64), _drafts_shapes().map(lambda d: json.dumps(d).encode()))
)
def test_any_bytes_load_as_drafts_or_are_moved_aside_untouched(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("bad")
    with mock.patch("reactieveld.state.os.fsync"):  # the disk's flush: not what is tried here
        _load_bytes(folder, data)


def _load_bytes(folder: Path, data: bytes) -> None:
    kept = _file(folder)
    _write(kept.path, data)
    try:
        expected = from_json(data)
    except ValueError:
        expected = None
    loaded, problem = kept.load()
    if expected is not None:  # a real drafts file: read as it is, left as it is
        assert (loaded, problem) == (expected, None)
        assert kept.path.read_bytes() == data
        return
    assert loaded == {} and problem is not None and problem.moved is not None
    assert problem.what.startswith("drafts.what.")
    _bad_aside(folder, data)
    kept.save(DRAFTS)  # new drafts are kept again; the bad file stays as it was
    assert _file(folder).load() == (DRAFTS, None)
    aside = [p for p in kept.path.parent.iterdir() if ".bad-" in p.name]
    assert [p.read_bytes() for p in aside] == [data]


def test_a_cut_off_file_is_said_as_such(tmp_path: Path) -> None:
    kept = _file(tmp_path)
    kept.save(DRAFTS)
    whole = kept.path.read_bytes()
    for cut in (1, len(whole) // 2, len(whole) - 3):
        _write(kept.path, whole[:cut])
        loaded, problem = kept.load()
        assert loaded == {} and problem is not None and problem.what == "drafts.what.json"
        assert problem.moved is not None and problem.moved.read_bytes() == whole[:cut]
        problem.moved.unlink()


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o620, 0o660, 0o666])
def test_a_file_others_can_read_or_write_is_not_trusted(tmp_path: Path, mode: int) -> None:
    kept = _file(tmp_path)
    kept.save(DRAFTS)
    original = kept.path.read_bytes()
    os.chmod(kept.path, mode)
    loaded, problem = kept.load()
    assert loaded == {} and problem is not None
    assert (problem.what, problem.values) == ("drafts.what.others", {"mode": f"{mode:04o}"})
    _bad_aside(tmp_path, original)


def test_a_folder_or_a_link_in_its_place(tmp_path: Path) -> None:
    kept = _file(tmp_path)
    (kept.path / "inner").mkdir(parents=True)
    loaded, problem = kept.load()
    assert loaded == {} and problem is not None and problem.what == "drafts.what.not_file"
    _bad_aside(tmp_path, None)
    assert (problem.moved / "inner").is_dir()  # moved whole
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    kept.path.symlink_to(target)
    assert _file(tmp_path).load()[1].what == "drafts.what.not_file"  # type: ignore[union-attr]
    assert target.read_text() == "{}"  # what it pointed to: untouched


def test_unreadable_or_stuck_it_is_never_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _file(tmp_path)
    kept.save(DRAFTS)
    original = kept.path.read_bytes()

    def refused(*args: object, **kw: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("reactieveld.drafts.os.open", refused)
    loaded, problem = kept.load()
    assert loaded == {} and problem is not None
    assert (problem.what, problem.values) == (
        "drafts.what.unreadable",
        {"reason": "Permission denied"},
    )
    monkeypatch.undo()
    _bad_aside(tmp_path, original)
    # The bad file cannot even be moved: it stays where it is, and no save touches it.
    problem.moved.rename(kept.path)  # type: ignore[union-attr]
    os.chmod(kept.path, 0o644)
    monkeypatch.setattr("reactieveld.drafts.os.rename", refused)
    stuck = _file(tmp_path)
    loaded, problem = stuck.load()
    assert loaded == {} and problem is not None and problem.moved is None
    assert not stuck.writable
    with pytest.raises(OSError):
        stuck.save(DRAFTS)
    assert kept.path.read_bytes() == original


class _Window:
    """One app window's drafts on the memory: its own map, saved at every change, with
    what another window changed or dropped taken over (as the app does)."""

    def __init__(self, folder: Path) -> None:
        self.file = _file(folder)
        self.drafts, _ = self.file.load()

    def keep(self, key: DraftKey, text: str) -> None:
        self.drafts[key] = text
        self.save()

    def drop(self, key: DraftKey) -> None:
        del self.drafts[key]
        self.save()

    def save(self) -> None:
        kept = KeptDrafts(self.drafts)
        kept.take(self.file.save(self.drafts) or {})
        self.drafts = dict(kept)


def test_two_windows_on_one_memory_keep_each_others_drafts(tmp_path: Path) -> None:
    """Two sessions on one memory share its file: each writes its own drafts and keeps
    the other's (never loaded nor written by it); a dropped draft stays dropped."""
    a, b = _Window(tmp_path), _Window(tmp_path)
    assert a.drafts == b.drafts == {}
    x, y = DraftKey("reply", 1, author="Anne"), DraftKey("note", 2)
    a.keep(x, "van a")
    b.keep(y, "van b")
    assert _file(tmp_path).load() == ({x: "van a", y: "van b"}, None)
    a.drop(x)  # a sent x
    assert _file(tmp_path).load() == ({y: "van b"}, None)
    b.drop(y)
    assert not a.file.path.exists()


def test_a_reply_sent_in_one_window_does_not_come_back_from_the_other(tmp_path: Path) -> None:
    """Both windows started with the draft: one sends the reply (drops it), the other,
    which still had it, keeps another draft: the sent one stays gone, from the file and
    from that window (its quit, its row); a draft the other window changed is taken over
    there, and one changed here is written."""
    x, y, z = DraftKey("reply", 1, author="Anne"), DraftKey("note", 2), DraftKey("reply", 3)
    _file(tmp_path).save({x: "beste Anne", z: "eerste"})
    a, b = _Window(tmp_path), _Window(tmp_path)
    a.drop(x)  # sent in window a
    a.keep(z, "tweede")  # changed in window a
    b.keep(y, "notitie")  # window b still had x, and z as it was
    assert _file(tmp_path).load()[0] == {y: "notitie", z: "tweede"}
    assert b.drafts == {y: "notitie", z: "tweede"}
    b.keep(z, "derde")  # changed in window b after it saw a's: b's text
    b.save()
    a.save()
    assert _file(tmp_path).load()[0] == b.drafts == {y: "notitie", z: "derde"}
    assert a.drafts == {z: "derde"}  # b's new one is b's (kept in the file, not shown in a)


_KEYS = [DraftKey("reply", 1, author="Anne"), DraftKey("note", 1), DraftKey("reply", 2)]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dictionaries(st.sampled_from(_KEYS), st.sampled_from(["a", "b"]), max_size=3),
    steps=st.lists(
        st.tuples(st.sampled_from([0, 1]), st.sampled_from(_KEYS), st.sampled_from(["", "b", "c"])),
        max_size=12,
    ),
)
def test_two_windows_in_any_order_the_file_has_the_last_word_on_each_draft(
    tmp_path_factory: pytest.TempPathFactory,
    start: dict[DraftKey, str],
    steps: list[tuple[int, DraftKey, str]],
) -> None:
    """Two windows started on the same drafts keep, change and drop them in any order
    (text "": drop, where that window has it), each saving at every change: the file
    has, for each draft, what the last window to change it made of it (a dropped one
    never comes back), and a window has its own drafts as the file has them."""
    folder = tmp_path_factory.mktemp("windows")
    with mock.patch("reactieveld.state.os.fsync"):
        if start:
            _file(folder).save(start)
        windows = [_Window(folder), _Window(folder)]
        last_word = dict(start)
        for n, key, text in steps:
            window = windows[n]
            if not text:
                if key not in window.drafts:
                    continue
                window.drop(key)
                last_word.pop(key, None)
            elif window.drafts.get(key) != text:
                window.keep(key, text)
                last_word[key] = text
            else:
                continue  # kept as it was: no change
            assert _file(folder).load()[0] == last_word
            assert window.drafts.items() <= last_word.items()
        for window in windows:
            window.save()
            assert window.drafts.items() <= last_word.items()
        assert _file(folder).load()[0] == last_word


_WINDOW_B = """
import fcntl, sys
from pathlib import Path
from reactieveld.drafts import DraftKey, DraftsFile

def flock(fd, op, real=fcntl.flock):
    try:
        real(fd, op | fcntl.LOCK_NB)
    except BlockingIOError:
        print("waits", flush=True)  # window a holds the file: b waits for it
        real(fd, op)

fcntl.flock = flock
b = DraftsFile(Path(sys.argv[1]), "/data/memory.db")
b.load()
b.save({DraftKey("note", 2): "van b"})
print("saved", flush=True)
"""


def test_a_save_in_another_window_between_read_and_write_is_not_lost(tmp_path: Path) -> None:
    """Window a has read the file and not yet written it when window b (another process)
    saves a draft: b waits for a's write and keeps a's draft; both drafts are in the
    file (without the lock b wrote first and a wrote over it: b's draft was lost)."""
    a = _file(tmp_path)
    a.load()
    x, y = DraftKey("reply", 1, author="Anne"), DraftKey("note", 2)
    read, steps = a._read, []

    def read_then_window_b() -> bytes:
        try:
            return read()  # no file yet: FileNotFoundError, none to keep
        finally:
            window_b()

    def window_b() -> None:
        src = str(Path(reactieveld.__file__).parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
        b = subprocess.Popen(
            [sys.executable, "-c", _WINDOW_B, str(a.path)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert b.stdout is not None
        steps.append((b, b.stdout.readline().strip()))  # b waits on a, or has saved already

    a._read = read_then_window_b  # type: ignore[method-assign]
    a.save({x: "van a"})
    ((b, first),) = steps
    out, _ = b.communicate(timeout=60)
    assert (first, out.strip(), b.returncode) == ("waits", "saved", 0)
    assert _file(tmp_path).load() == ({x: "van a", y: "van b"}, None)


def test_a_file_gone_bad_meanwhile_is_moved_aside_before_a_save(tmp_path: Path) -> None:
    kept = _file(tmp_path)
    kept.load()
    key = DraftKey("reply", 1)
    kept.save({key: "een"})
    kept.path.write_bytes(b'{"reactieveld_drafts": 1, "dra')  # edited by hand meanwhile
    kept.save({key: "twee"})
    (problem,) = kept.problems
    assert problem.what == "drafts.what.json" and problem.moved is not None
    assert problem.moved.read_bytes() == b'{"reactieveld_drafts": 1, "dra'
    assert _file(tmp_path).load() == ({key: "twee"}, None)
