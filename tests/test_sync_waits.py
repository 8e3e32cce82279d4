"""``reactieveld sync`` (the team's headless service) started while its PostgreSQL server
is down: it waits, one line on stderr per try with the next try's time, and starts
syncing when the server is up; Ctrl-C or SIGTERM ends the wait cleanly. What waiting
cannot mend (a refused login, no such database, a newer schema, a bad URL) and
``--once`` (a script asked for one round) still end at once: one line, exit 2."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import pytest
from helpers.cli import run_main

#: The closed port of a server that is not running (nothing listens on port 1).
DOWN = "postgresql://anna@127.0.0.1:1/rv"

WAITING = {
    "en": r"reactieveld: the memory cannot be reached: {url}: cannot reach the server "
    r"\(.+\): is it running, and is \[store\] url right\?; retrying at \d\d:\d\d:\d\d",
    "nl": r"reactieveld: het geheugen is niet bereikbaar: {url}: de server is niet "
    r"bereikbaar \(.+\): draait hij, en klopt \[store\] url\?; opnieuw om \d\d:\d\d:\d\d",
}


def _config(tmp_path: Path, language: str = "en") -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "{language}"\n[[sources]]\nname = "demo"\ntype = "demo"\ncount = 5\n',
        encoding="utf-8",
    )
    return cfg


class Running:
    """``reactieveld sync`` as a real process; its lines read as they come (bounded)."""

    def __init__(self, tmp_path: Path, url: str, language: str = "en") -> None:
        env = {
            **os.environ,
            "REACTIEVELD_CONFIG": str(_config(tmp_path, language)),
            "REACTIEVELD_DB": url,
        }
        env.pop("PGPASSWORD", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reactieveld.cli", "sync"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.readers = [
            threading.Thread(target=self._read, args=(stream, lines), daemon=True)
            for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream: IO[str], lines: queue.Queue[str]) -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))

    def line(self, lines: queue.Queue[str], pattern: str = "") -> str:
        """The next line of ``lines`` that matches ``pattern`` (within a minute)."""
        while True:
            line = lines.get(timeout=60)
            assert "Traceback" not in line, line
            if re.search(pattern, line):
                return line

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        for reader in self.readers:
            reader.join(timeout=60)  # every line read (its pipe ended with the process)
        return code

    def rest(self, lines: queue.Queue[str]) -> list[str]:
        """The lines not read yet (once the process ended)."""
        out = []
        while not lines.empty():
            out.append(lines.get_nowait())
        return out


def test_sync_waits_for_a_server_that_is_down_then_syncs(own_cluster: Any, tmp_path: Path) -> None:
    db = own_cluster.new_database()
    url = own_cluster.url(db)
    own_cluster.halt()
    run = Running(tmp_path, url)
    try:
        line = run.line(run.err)
        assert re.fullmatch(WAITING["en"].format(url=re.escape(url)), line), line
        assert run.proc.poll() is None  # waiting, not ended
        own_cluster.start()
        run.line(run.out, r"^\d\d:\d\d:\d\d demo: 5 new, 0 updated$")
        stored = own_cluster.psql("SELECT count(*) FROM responses", db)
        assert stored.strip() == "5"
    finally:
        code = run.stop()
    assert code == 0
    assert not any("Traceback" in line for line in run.rest(run.err) + run.rest(run.out))


@pytest.mark.parametrize(
    ("language", "sig"), [("en", signal.SIGTERM), ("nl", signal.SIGINT), ("en", signal.SIGINT)]
)
def test_a_stop_while_waiting_ends_cleanly(tmp_path: Path, language: str, sig: int) -> None:
    run = Running(tmp_path, DOWN, language)
    try:
        line = run.line(run.err)
        assert re.fullmatch(WAITING[language].format(url=re.escape(DOWN)), line), line
    finally:
        code = run.stop(sig)
    assert_stopped(run, sig, language, code)
    assert "Traceback" not in "".join(run.rest(run.out))


#: The line of a continuous sync ended by Ctrl-C (a service's SIGTERM ends it silently).
INTERRUPTED = {
    "nl": "reactieveld: sync gestopt (Ctrl-C); de outbox en de sinks gaan verder bij de "
    "volgende start",
    "en": "reactieveld: sync stopped (Ctrl-C); the outbox and sinks resume at the next start",
}


def assert_stopped(run: Running, sig: int, language: str, code: int) -> None:
    """Ctrl-C: one line on stderr, exit 130 (as every command); SIGTERM: none, exit 0."""
    err = [line for line in run.rest(run.err) if "m.db" not in line]  # a new memory's
    if sig == signal.SIGINT:
        assert (code, err) == (130, [INTERRUPTED[language]])
    else:
        assert (code, err) == (0, [])


@pytest.mark.parametrize(("language", "sig"), [("nl", signal.SIGINT), ("en", signal.SIGTERM)])
def test_a_stop_of_a_running_sync_is_said_on_ctrl_c(
    tmp_path: Path, language: str, sig: int
) -> None:
    # Was: Ctrl-C on a running `reactieveld sync` ended it without a word, exit 0.
    run = Running(tmp_path, str(tmp_path / "m.db"), language)
    try:
        run.line(run.out, r" demo: 5 ")  # its first round is done: it is running
    finally:
        code = run.stop(sig)
    assert_stopped(run, sig, language, code)
    assert "Traceback" not in "".join(run.rest(run.out))


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_isolated: None) -> Path:
    path = _config(tmp_path)
    monkeypatch.setenv("REACTIEVELD_CONFIG", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return path


def _one_line_exit_2(argv: list[str], *expected: str) -> str:
    code, out, err = run_main(argv)
    assert code == 2, (out, err)
    assert err.count("\n") == 1, err
    assert "Traceback" not in out + err
    for word in expected:
        assert word in err, err
    return err


def test_once_still_fails_fast_when_unreachable(config: Path) -> None:
    _one_line_exit_2(["--db", DOWN, "sync", "--once"], DOWN, "cannot reach the server")


@pytest.mark.parametrize("password", ["fout", "", "zomer2027"])
def test_a_refused_password_ends_at_once(
    pg_cluster: Any, config: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    db = pg_cluster.new_database()
    pg_cluster.add_role("pw_wacht", "password_required", password="zomer2026")
    monkeypatch.setenv("PGPASSWORD", password)
    err = _one_line_exit_2(["--db", pg_cluster.url(db, "pw_wacht"), "sync"], "refused the login")
    assert password not in err or not password


@pytest.mark.parametrize("role", ["nobody_here", "niemand"])
def test_a_role_that_does_not_exist_ends_at_once(pg_cluster: Any, config: Path, role: str) -> None:
    url = pg_cluster.url(pg_cluster.new_database(), role)
    _one_line_exit_2(["--db", url, "sync"], "refused the login", role)


def test_a_database_that_does_not_exist_ends_at_once(pg_cluster: Any, config: Path) -> None:
    url = pg_cluster.url("no_such_database")
    _one_line_exit_2(["--db", url, "sync"], "no_such_database", "createdb")


def test_a_newer_schema_ends_at_once(pg_cluster: Any, pg_url: str, config: Path) -> None:
    from reactieveld.store.pg.schema import SCHEMA_VERSION

    code, _, err = run_main(["--db", pg_url, "sync", "--once"])  # made by this program
    assert code == 0, err
    db = pg_url.rsplit("/", 1)[1]
    pg_cluster.psql(
        f"INSERT INTO schema_migrations (version, name) VALUES ({SCHEMA_VERSION + 1}, 'later')",
        db,
    )
    _one_line_exit_2(["--db", pg_url, "sync"], "newer than this program")


@pytest.mark.parametrize(
    "url", ["postgresql://anna:geheim@127.0.0.1:1/rv", "mysql://anna@127.0.0.1/rv"]
)
def test_a_bad_url_ends_at_once(config: Path, url: str) -> None:
    err = _one_line_exit_2(["--db", url, "sync"], "--db")
    assert "geheim" not in err


class Silent:
    """A server on 127.0.0.1 that takes each connection and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.asked = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._take, daemon=True).start()

    def _take(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.held.append(conn)
                self.asked.set()

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.parametrize(("language", "sig"), [("nl", signal.SIGINT), ("en", signal.SIGTERM)])
def test_a_stop_during_a_once_round_ends_it_at_once(
    tmp_path: Path, language: str, sig: int
) -> None:
    # Was: --once ignored Ctrl-C and SIGTERM until the silent server's every retry had
    # timed out (about two minutes at the prompt, the fetch child still waiting).
    server = Silent()
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[ui]\nlanguage = "{language}"\n[[sources]]\nname = "feed"\n'
        f'type = "wordpress-feed"\nurl = "http://127.0.0.1:{server.port}/feed"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "REACTIEVELD_CONFIG": str(cfg), "REACTIEVELD_DB": str(tmp_path / "m.db")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reactieveld.cli", "sync", "--once"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.asked.wait(timeout=60), "the source was never asked"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        server.close()
    said = {
        "nl": "gestopt voor de ronde klaar was (Ctrl-C of SIGTERM): wat al opgeslagen is "
        "blijft, de rest wordt de volgende keer opgehaald\n",
        "en": "stopped before the round ended (Ctrl-C or SIGTERM): what was stored stays, "
        "the rest is fetched next time\n",
    }
    # Ctrl-C is 130 as on a running sync and every command (was 1); SIGTERM stays 1.
    assert (proc.returncode, out) == (130 if sig == signal.SIGINT else 1, said[language])
    assert err.splitlines() == [line for line in err.splitlines() if "m.db" in line]  # new memory
