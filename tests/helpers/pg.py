"""A throwaway PostgreSQL cluster for the tests (Debian's binaries).

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` user
(``runuser``); it listens on 127.0.0.1 on a free port and on a private socket folder, with
durability off (a test cluster), and is removed afterwards. Logins are trusted from
127.0.0.1, except members of ``password_required``, which must give a password (the tests of
``[store] password_env``). Without PostgreSQL the tests that need it skip, unless
``REACTIEVELD_REQUIRE_PG=1`` (CI), where that is a failure.

Each fresh cluster's folder names its owner (``OWNER``: the process's id and start); a
pytest that was killed never stops its clusters, so the first cluster a process starts
first stops and removes those whose owner is gone (:func:`reap_left_clusters`), never
one whose owner lives (other runs at the same time) nor one that names no owner."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

SUPERUSER = "postgres"
#: A fresh cluster's folder in the system's temporary folder: ``PREFIX`` + random.
PREFIX = "reactieveld-pg-"
#: The file in a cluster's folder that names its owner: "pid start" (the process's id
#: and its start in clock ticks since boot: a pid used again by a new process is not it).
OWNER = "owner"
#: Made in a left cluster's folder by the process that stops and removes it (one of the
#: workers of a run starting at once).
REAPING = "reaping"


def _as_postgres(*args: object) -> subprocess.CompletedProcess[str]:
    """Run a command, as the ``postgres`` user when this process is root (``initdb``
    refuses root)."""
    cmd = [str(a) for a in args]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


def _started(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, /proc), None when there is
    no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    # After the command's name (in parentheses, which may hold spaces and parentheses):
    # state is field 3, start time field 22.
    return stat.rsplit(")", 1)[1].split()[19]


def owner_line(pid: int | None = None) -> str:
    """What :data:`OWNER` says of process ``pid`` (default this one)."""
    pid = os.getpid() if pid is None else pid
    return f"{pid} {_started(pid) or '?'}"


def owner_alive(root: Path) -> bool | None:
    """Whether the owner :data:`OWNER` names in ``root`` still runs; None when it names
    none (a cluster being made this moment, one of a test run before owners were named,
    a kept one): such a folder is never touched."""
    try:
        pid_text, start = (root / OWNER).read_text(encoding="ascii").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    now = _started(pid)
    return now is not None and start in (now, "?")


def _remove_later(root: Path) -> None:
    """Remove ``root`` by a process of its own, not waited for: a database per test is
    thousands of files, and removing them kept each worker 15-30 s at the end of a
    session (the last thing CI waits for)."""
    subprocess.run(
        ["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(root)],
        check=False,
        start_new_session=True,
    )


def stop_left(bin_dir: Path, root: Path) -> bool:
    """Stop the server of the cluster in ``root`` (``-m immediate``: it is thrown away);
    whether none runs there now (``pg_ctl status``: 3, no server running)."""
    data = root / "data"
    if not (data / "PG_VERSION").exists():
        return True  # no cluster was made there (a pytest killed during initdb)
    try:
        _as_postgres(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        pass  # none was running, or it did not stop: asked below
    try:
        _as_postgres(bin_dir / "pg_ctl", "-D", data, "status")
    except subprocess.CalledProcessError as exc:
        return exc.returncode == 3
    except subprocess.TimeoutExpired:
        return False
    return False  # still running: left as it is


def reap_left_clusters(
    bin_dir: Path,
    *,
    under: Path | None = None,
    stop: Callable[[Path, Path], bool] = stop_left,
    remove: Callable[[Path], object] = _remove_later,
) -> list[Path]:
    """Stop and remove the clusters in ``under`` (the temporary folder) whose owner is
    gone (a pytest killed before its session's end); those of a living owner, and those
    that name none, are left alone. The reaped folders."""
    reaped = []
    folder = Path(tempfile.gettempdir()) if under is None else under
    for root in sorted(folder.glob(PREFIX + "*")):
        if not root.is_dir() or root.is_symlink() or owner_alive(root) is not False:
            continue
        try:  # one process reaps it (the workers of a run start at once)
            os.close(os.open(root / REAPING, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError:
            continue
        if stop(bin_dir, root):
            remove(root)
            reaped.append(root)
    return reaped


#: Reaped once per process, before its first cluster (:meth:`Cluster.start`).
_reaped = False


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (``$REACTIEVELD_PG_BIN`` first)."""
    given = os.environ.get("REACTIEVELD_PG_BIN")
    if given:
        return Path(given)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One running cluster: ``url(db, user)``, ``admin(sql)``, ``new_database()``."""

    def __init__(self, bin_dir: Path, root: Path | None = None) -> None:
        """``root``: keep the cluster in this folder (made when missing; a cluster made
        there before is started as it is, and ``stop`` leaves it), for a benchmark that
        measures its queries again on the same data; default a fresh temporary folder."""
        self.bin = bin_dir
        self.kept = root is not None
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)
        if root is None:
            root = Path(tempfile.mkdtemp(prefix=PREFIX))
            (root / OWNER).write_text(owner_line(), encoding="ascii")
        self.root = root
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self._n = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _as_postgres(*args)

    def start(self) -> None:
        global _reaped
        if not _reaped:
            _reaped = True
            reap_left_clusters(self.bin)
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        made = (self.data / "PG_VERSION").exists()
        if not made:
            self._init()
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        self._run(
            self.bin / "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "log"),
            "start",
        )
        if not made:
            self.psql("CREATE ROLE password_required NOLOGIN")

    def _init(self) -> None:
        self._run(
            self.bin / "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        hba = self.data / "pg_hba.conf"
        rules = (
            "local all all trust\n"
            "host all +password_required 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        if self.as_root:
            self._run("sh", "-c", f"printf '%s' '{rules}' > {hba}")
        else:
            hba.write_text(rules, encoding="utf-8")

    def stop(self) -> None:
        """Stop the cluster and remove it, in the background (a kept one: stopped cleanly,
        left in place)."""
        mode = "fast" if self.kept else "immediate"
        try:
            self._run(self.bin / "pg_ctl", "-D", str(self.data), "-m", mode, "stop")
        except subprocess.CalledProcessError:
            pass
        if not self.kept:
            _remove_later(self.root)

    def halt(self) -> None:
        """The server goes away (as a crash or a restart would), its data kept to start
        again with :meth:`start`. What was committed is kept, as a real server (its commits
        synchronous) keeps it: this one's commits are not (synchronous_commit=off, for
        speed), and a crash would lose the last of them, so they are written out first."""
        self.psql("CHECKPOINT")
        self._run(self.bin / "pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def url(self, db: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, db: str = "postgres") -> str:
        """Run SQL as the superuser (setting up roles and databases for a test)."""
        out = self._run(
            self.bin / "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(self.sockets),
            "-p",
            str(self.port),
            "-U",
            SUPERUSER,
            "-d",
            db,
            "-At",
            "-c",
            sql,
        )
        return out.stdout

    def add_role(self, name: str, group: str, password: str | None = None) -> None:
        """A login role ``name`` in ``group`` (with ``password``), unless it exists."""
        login = f"LOGIN PASSWORD '{password}'" if password else "LOGIN"
        self.psql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
            f"CREATE ROLE {name} {login} IN ROLE {group}; END IF; END $$"
        )

    def role_url(self, url: str, name: str, group: str) -> str:
        """The URL of ``url``'s database as login role ``name`` in ``group`` (made when
        it does not exist yet)."""
        self.add_role(name, group)
        return self.url(url.rsplit("/", 1)[1], name)

    def new_database(self, owner: str = SUPERUSER, name: str | None = None) -> str:
        """A fresh empty database (named ``name``, default a new name); returns its name."""
        self._n += 1
        name = name or f"t{os.getpid()}_{self._n}"
        self.psql(f'CREATE DATABASE "{name}" OWNER "{owner}" TEMPLATE template0')
        return name
