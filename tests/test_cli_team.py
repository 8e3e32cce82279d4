"""The command line on a team's memory (issue 13): ``--db``, ``REACTIEVELD_DB`` and
``[store] url`` name a PostgreSQL database; a password only from ``password_env`` (or
PGPASSWORD, ~/.pgpass); every failure one line, exit 2, no password shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.cli import run_main

CONFIG = """
[[sources]]
name = "blog"
type = "wordpress"
url = "https://blog.example"
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_isolated: None) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return path


def _role(cluster: Any, db: str, name: str, password: str) -> None:
    cluster.add_role(name, "password_required", password=password)
    cluster.psql(f'ALTER DATABASE "{db}" OWNER TO {name}')


@pytest.mark.parametrize("how", ["--db", "REACTIEVELD_DB"])
def test_sources_on_a_team_database(
    pg_url: str, config: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "--db":
        argv = ["--db", pg_url, "sources"]
    else:
        monkeypatch.setenv("REACTIEVELD_DB", pg_url)
        argv = ["sources"]
    code, out, err = run_main(argv)
    assert (code, err) == (0, "")
    assert out.startswith("blog\twordpress\thttps://blog.example\tnever synced")


def test_store_url_and_password_env(
    pg_cluster: Any, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = pg_cluster.new_database()
    _role(pg_cluster, db, "pw_sanne", "zomer2026")
    url = pg_cluster.url(db, "pw_sanne")
    config.write_text(
        f'[store]\nurl = "{url}"\npassword_env = "RV_DB_PW"\n' + CONFIG, encoding="utf-8"
    )
    monkeypatch.delenv("RV_DB_PW", raising=False)
    code, out, err = run_main(["sources"])
    assert code == 2
    assert "RV_DB_PW" in err and "not set" in err
    assert err.count("\n") == 1
    monkeypatch.setenv("RV_DB_PW", "fout")
    code, out, err = run_main(["sources"])
    assert code == 2
    assert "refused the login" in err and "fout" not in err
    assert err.count("\n") == 1
    monkeypatch.setenv("RV_DB_PW", "zomer2026")
    code, out, err = run_main(["sources"])
    assert (code, err) == (0, ""), err
    assert "never synced" in out


def test_pgpassword_works_for_a_db_url(
    pg_cluster: Any, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = pg_cluster.new_database()
    _role(pg_cluster, db, "pw_joost", "herfst")
    monkeypatch.setenv("PGPASSWORD", "herfst")
    code, out, err = run_main(["--db", pg_cluster.url(db, "pw_joost"), "sources"])
    assert (code, err) == (0, ""), err


@pytest.mark.parametrize(
    "command",
    [
        ["sources"],
        ["search", "boom"],
        ["stats"],
        ["export", "--format", "csv"],
        ["sync", "--once"],
    ],
)
def test_an_unreachable_server_is_one_line(config: Path, command: list[str]) -> None:
    # (``sync`` without --once waits for the server instead: tests/test_sync_waits.py.)
    url = "postgresql://anna@127.0.0.1:1/reactieveld"
    code, out, err = run_main(["--db", url, *command])
    assert code == 2
    assert err.count("\n") == 1, err
    assert "postgresql://anna@127.0.0.1:1/reactieveld" in err
    assert "cannot reach the server" in err
    assert "Traceback" not in err + out


def test_a_password_in_a_db_url_is_refused_and_not_repeated(config: Path) -> None:
    code, out, err = run_main(["--db", "postgresql://anna:geheim@127.0.0.1:1/rv", "sources"])
    assert code == 2
    assert "geheim" not in err
    assert "password" in err
    assert err.count("\n") == 1, err
