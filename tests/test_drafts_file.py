"""The drafts file (reactieveld.drafts): the moderator's kept replies and notes outlast
the session, one file per memory (and per role on a team memory), private, written whole.

A file that is not what the app writes (any bytes, any JSON, not a file, not ours to
read, readable by others) never stops the app and is never written over: it is moved
aside, with the reason said, and new drafts are kept again."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.drafts import DraftKey, DraftsFile, drafts_path, from_json, store_identity

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
DRAFTS = {
    DraftKey("reply", 3, author="Anne de Vries", created_at=NOW): "Beste Anne,\nDank — ✓",
    DraftKey("note", 3, author="Anne de Vries", created_at=NOW): "eerst navragen",
    DraftKey("reply", 17, author=""): "  spaties blijven  ",
}


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
    assert os.listdir(kept.path.parent) == ["d.json"]  # no temporary file left
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
    (aside,) = [p for p in kept.path.parent.iterdir() if p.name != "d.json"]
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


def test_two_windows_on_one_memory_keep_each_others_drafts(tmp_path: Path) -> None:
    """Two sessions on one memory share its file: each writes its own drafts and keeps
    the other's (never loaded nor written by it); a dropped draft stays dropped."""
    a, b = _file(tmp_path), _file(tmp_path)
    assert a.load() == b.load() == ({}, None)
    x, y = DraftKey("reply", 1, author="Anne"), DraftKey("note", 2)
    a.save({x: "van a"})
    b.save({y: "van b"})
    assert _file(tmp_path).load() == ({x: "van a", y: "van b"}, None)
    a.save({})  # a sent x
    assert _file(tmp_path).load() == ({y: "van b"}, None)
    b.save({})
    assert not a.path.exists()


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
