"""The app started as a moderator starts it, ended as soon as its first frame with rows is
done: a start that ends, so that its instructions can be counted (which the machine's
load does not change, unlike its time).

    python bench/first_rows.py [--loaded FILE] --db STORE [reactieveld's options]
    valgrind --tool=callgrind --callgrind-out-file=cg.%p python bench/first_rows.py --db STORE

``reactieveld`` runs as the console script runs it (``reactieveld.entry.main``: the
command line, ``cli.main``, ``run_app``; nothing of the app is imported before it), with
Textual's headless driver of ``COLUMNS`` x ``LINES`` (120x40 unless set) for the terminal.
The process ends (``os._exit(0)``) when the triage screen's first frame with rows is done
(``ReactieveldApp.first_rows_shown``; its fallback after ``STARTUP_GC_LIMIT`` seconds
without rows is put off, so a run slowed down by valgrind still ends at the rows).
``--loaded FILE`` writes what was loaded then as JSON: the modules, the first row's
author, how many of i18n's stored templates were compiled, and the dataclasses our
modules made. tests/test_first_frame_imports.py runs it so.

Count a start as ``bench/tui_bench.py`` times one: a store it made (its ``--dir``,
e.g. ``demo-10000.db``), a configuration without sources (``REACTIEVELD_CONFIG``), and a
bytecode cache (``PYTHONPYCACHEPREFIX``, and ``PYTHONDONTWRITEBYTECODE`` unset) filled by
one run first, as an installed package has; else every module is compiled at each start.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType

APP_MODULE = "reactieveld.tui.app"


def _report(app: Any, path: str | None) -> None:
    if path is None:
        return
    import json

    from reactieveld import i18n

    row = app.screen.queue.current
    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "row": row.response.author_name if row is not None else None,
                "modules": sorted(sys.modules),
                "templates": i18n._stored_templates.cache_info().currsize,
                "dataclasses": _our_dataclasses(),
            },
            out,
        )


def _our_dataclasses() -> list[str]:
    """The dataclasses ``reactieveld``'s loaded modules made (module.Class): each costs
    ~3 M instructions to create at import."""
    import dataclasses

    return sorted(
        f"{name}.{key}"
        for name, module in list(sys.modules.items())
        if name.startswith("reactieveld.")
        for key, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value)
    )


class _EndAtFirstRows:
    """An import finder that finds nothing itself; as the app's module is loaded, its
    first frame with rows is made to end the process. (Not importlib.abc's class: that
    module imports importlib.resources, which the app's start does not.)"""

    def __init__(self, loaded: str | None) -> None:
        self.loaded = loaded

    def find_spec(
        self, name: str, path: Any = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != APP_MODULE:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None, name
        run = spec.loader.exec_module
        loaded = self.loaded

        def exec_module(module: ModuleType) -> None:
            run(module)
            module.STARTUP_GC_LIMIT = 1e6  # type: ignore[attr-defined]
            app_class = module.ReactieveldApp  # type: ignore[attr-defined]
            shown = app_class.first_rows_shown

            def first_rows_shown(self: Any) -> None:
                shown(self)
                _report(self, loaded)
                os._exit(0)

            app_class.first_rows_shown = first_rows_shown

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def main() -> None:
    args = sys.argv[1:]
    loaded = None
    if args[:1] == ["--loaded"] and len(args) > 1:
        loaded, args = args[1], args[2:]
    os.environ.setdefault("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    os.environ.setdefault("COLUMNS", "120")
    os.environ.setdefault("LINES", "40")
    sys.meta_path.insert(0, _EndAtFirstRows(loaded))
    sys.argv = ["reactieveld", *args]
    from reactieveld.entry import main as reactieveld

    code = reactieveld()
    raise SystemExit(f"reactieveld ended (exit code {code}) before its first frame with rows")


if __name__ == "__main__":
    main()
