"""Names a module gives that live in another module, loaded at their first use.

``model``, ``store.base`` and ``rules`` name value types that nothing before the app's
first frame makes (each frozen dataclass ~0.5 ms to create at import); those live in
``model_values``, ``store.values`` and ``rule_match`` and are imported when a name is first
asked of the module that gives it (PEP 562), so ``from reactieveld.model import Tag`` keeps
working.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any


def names_in(module: str, names: Iterable[str], *, of: str) -> Callable[[str], Any]:
    """The ``__getattr__`` of module ``of``: each of ``names`` from ``module``, imported at
    the first name asked; any other name is the usual AttributeError."""
    later = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name in later:
            return getattr(importlib.import_module(module), name)
        raise AttributeError(f"module {of!r} has no attribute {name!r}")

    return __getattr__
