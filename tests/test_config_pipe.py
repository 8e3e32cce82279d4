"""A config given as a pipe (``--config <(envsubst < config.tmpl)``, a common way to fill
in a template) or a device (``--config /dev/null``: the defaults) was "config file does
not exist": only a regular file was taken. Now each is read, once (a pipe cannot be read
twice, and the command line reads a config again after a first read that failed), and
says what the same text in a regular file says, through the real entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: A config that works (Dutch, one source), one with a TOML error, one with a wrong value.
BODIES = {
    "good": '[ui]\nlanguage = "nl"\n[[sources]]\nname = "blog"\ntype = "demo"\ncount = 3\n',
    "toml": "[ui\n",
    "value": '[[sources]]\nname = "a"\ntype = "wordpress-feed"\nurl = "ftp://x"\n',
}


def _run(config: str, tmp_path: Path, *, fds: tuple[int, ...] = ()) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "LANG": "C",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }
    for name in ("REACTIEVELD_CONFIG", "REACTIEVELD_DB", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "reactieveld.cli", "--config", config, "sources"],
        capture_output=True,
        text=True,
        env=env,
        pass_fds=fds,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_a_piped_config_says_what_the_same_file_says(kind: str, tmp_path: Path) -> None:
    body = BODIES[kind].encode("utf-8")
    file = tmp_path / "config.toml"
    file.write_bytes(body)
    code, out, err = _run(str(file), tmp_path)
    read, write = os.pipe()
    try:
        os.write(write, body)
        os.close(write)
        piped = _run(f"/dev/fd/{read}", tmp_path, fds=(read,))
    finally:
        os.close(read)
    assert piped == (code, out, err.replace(str(file), f"/dev/fd/{read}")), piped
    assert "Traceback" not in piped[2] and (code == 0) == (kind == "good"), piped


def test_dev_null_is_an_empty_config(tmp_path: Path) -> None:
    assert _run(os.devnull, tmp_path) == (0, "no sources configured\n", "")
