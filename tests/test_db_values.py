"""A ``--db`` that names no memory (empty, blank, a URL of a kind reactieveld does not
take, a PostgreSQL URL without a host, a folder, a path with a NUL) is one line naming
``--db`` with what to give, exit 2, before anything is read or made: never the default
store instead, never a file named "sqlite:" in the working folder."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.cli import main

COMMANDS = [
    ["stats"],
    ["search", "afval"],
    ["export", "--format", "csv"],
    ["agreement"],
    ["sync", "--once"],
    ["store", "copy", "--to", "kopie.db"],
]

_PATHS = st.from_regex(r"[a-z0-9_./-]{0,12}\.db", fullmatch=True)
_SCHEMES = st.from_regex(r"[A-Za-z][A-Za-z0-9+.-]{1,9}", fullmatch=True).filter(
    lambda s: s.lower() not in ("postgres", "postgresql")
)


def _bad_db_values(folder: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=" \t", max_size=3),  # empty or blank
        st.sampled_from(["sqlite:", "file:", "sqlite://", "file://", "SQLITE:"]),
        st.builds(
            lambda s, sep, p: f"{s}:{sep}{p}", _SCHEMES, st.sampled_from(["", "//", "///"]), _PATHS
        ),
        st.sampled_from(
            ["postgres://", "postgresql://", "postgresql:///reactieveld", "postgres://:5432/x"]
        ),
        st.sampled_from([folder, folder + "/", folder + "/."]),  # a folder
        st.builds(lambda a, b: f"{a}\0{b}", _PATHS, _PATHS),  # a NUL in the path
    )


def _files(root: str) -> set[str]:
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}


@pytest.mark.parametrize("language", ["nl", "en"])
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), command=st.sampled_from(COMMANDS))
def test_a_db_value_that_names_no_memory_is_one_line_exit_2_and_makes_nothing(
    tmp_path, monkeypatch, capsys, language, data, command
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    monkeypatch.delenv("REACTIEVELD_DB", raising=False)
    (tmp_path / "folder").mkdir(exist_ok=True)
    value = data.draw(_bad_db_values(str(tmp_path / "folder")), label="db")
    before = _files(str(tmp_path))
    capsys.readouterr()
    code = main(["--lang", language, "--db", value, *command])
    captured = capsys.readouterr()
    assert code == 2, (value, captured)
    assert captured.out == "" and captured.err.count("\n") == 1, (value, captured.err)
    assert captured.err.startswith("reactieveld: --db"), (value, captured.err)
    assert "Traceback" not in captured.err and "password" not in captured.err
    assert _files(str(tmp_path)) == before, value
