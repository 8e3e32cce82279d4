"""The command line run in-process, its output captured."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from reactieveld.cli import main


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)``: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def every_parser(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser (the top one and each subcommand's), with the words that reach it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from every_parser(sub, (*path, name))


def export_args(**kw: object) -> argparse.Namespace:
    """The parsed arguments of ``reactieveld export`` with their defaults, ``kw`` set."""
    base: dict[str, object] = dict(
        format="jsonl",
        output=None,
        question=[],
        role=[],
        source=[],
        status=[],
        since=None,
        until=None,
        include_personal_data=False,
    )
    base.update(kw)
    return argparse.Namespace(**base)


def run_process(
    argv: list[str], *, config: Path, db: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m reactieveld.cli *argv`` as a real process, config and store by environment."""
    env = {**os.environ, "REACTIEVELD_CONFIG": str(config), "REACTIEVELD_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "reactieveld.cli", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
