"""The throwaway PostgreSQL clusters a killed pytest left running (tests/helpers/pg.py):
the next process to start one stops and removes those whose owner is gone, and never
touches one whose owner lives (other test runs at the same time) or that names none.

The decision is tested on folders made here, with owners that live (this process, its
parent), that are gone (a pid no process can have; this pid with another start: a pid
used again) or that are not named; no cluster is needed for it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from helpers import pg
from hypothesis import given, settings
from hypothesis import strategies as st

#: A pid no process can have (above the kernel's largest).
GONE = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1

#: Each kind of folder: (what its owner file says, or None for none; whether it is reaped).
KINDS: dict[str, tuple[str | None, bool]] = {
    "gone": (f"{GONE} 12345", True),
    "pid_used_again": (f"{os.getpid()} 1", True),
    "this_process": (pg.owner_line(), False),
    "parent": (pg.owner_line(os.getppid()), False),
    "no_owner": (None, False),
    "garbled": ("not a pid", False),
    "empty": ("", False),
    "pid_zero": ("0 1", False),
}


def _make(under: Path, n: int, kind: str) -> Path:
    root = under / f"{pg.PREFIX}{n}{kind}"
    (root / "data").mkdir(parents=True)
    (root / "data" / "base").write_text("a cluster's files", encoding="ascii")
    said = KINDS[kind][0]
    if said is not None:
        (root / pg.OWNER).write_text(said, encoding="ascii")
    return root


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(sorted(KINDS)), max_size=8), st.booleans())
def test_only_clusters_whose_owner_is_gone_are_stopped_and_removed(
    kinds: list[str], stops: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        under = Path(tmp)
        roots = {_make(under, n, kind): kind for n, kind in enumerate(kinds)}
        # Beside them: a file and a folder of another name, each with a gone owner.
        (under / f"{pg.PREFIX}file").write_text(f"{GONE} 1", encoding="ascii")
        other = under / "other-pg-1"
        other.mkdir()
        (other / pg.OWNER).write_text(f"{GONE} 1", encoding="ascii")
        asked: list[Path] = []

        def stop(bin_dir: Path, root: Path) -> bool:
            assert bin_dir == Path("/pg/bin")
            asked.append(root)
            return stops  # False: its server still runs (left as it is)

        reaped = pg.reap_left_clusters(
            Path("/pg/bin"), under=under, stop=stop, remove=pg.shutil.rmtree
        )
        gone = sorted(r for r, kind in roots.items() if KINDS[kind][1])
        assert asked == gone
        assert reaped == (gone if stops else [])
        for root, kind in roots.items():
            assert root.exists() is (not (KINDS[kind][1] and stops)), (kind, stops)
            if not KINDS[kind][1]:  # never touched: not even marked as being reaped
                assert sorted(p.name for p in root.iterdir()) == sorted(
                    ["data"] + ([pg.OWNER] if KINDS[kind][0] is not None else [])
                )
        assert (under / f"{pg.PREFIX}file").exists() and other.exists()
        # Asked again (another worker of the same run, or the next run): a folder one
        # process took is not taken again.
        assert pg.reap_left_clusters(Path("/pg/bin"), under=under, stop=stop) == []
        assert asked == gone


def test_a_new_cluster_names_this_process_as_its_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cluster = pg.Cluster(Path("/pg/bin"))
    assert cluster.root.parent == tmp_path and cluster.root.name.startswith(pg.PREFIX)
    assert pg.owner_alive(cluster.root) is True
    assert (cluster.root / pg.OWNER).read_text(encoding="ascii").split()[0] == str(os.getpid())
    # A kept cluster (a benchmark's folder) names none: never reaped.
    kept = pg.Cluster(Path("/pg/bin"), tmp_path / "kept")
    assert pg.owner_alive(kept.root) is None


def test_a_folder_left_before_its_cluster_was_made_needs_no_stop(tmp_path: Path) -> None:
    """A pytest killed before initdb ended: nothing to stop (pg_ctl is not even run)."""
    assert pg.stop_left(Path("/no/such/bin"), tmp_path) is True
