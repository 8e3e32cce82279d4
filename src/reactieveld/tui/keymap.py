"""A binding's keys as the user configured them (``[keys]``, which the app hands Textual
as its keymap), and as they are shown: the one place that reads the app's keymap. The
help, the palette, the quit notice and the response view's "press a again" ask here, so a
remapped key is the key they name (Textual keeps the keymap as ``App._keymap``, with no
public reader)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.binding import Binding

from reactieveld.keys import split_keys


def configured_keys(app: Any, binding_id: str, default: str) -> list[str]:
    """The keys of the binding ``binding_id`` as configured (``default`` where ``[keys]``
    does not remap it), as Textual names them: ``["j", "down"]``."""
    keymap: Mapping[str, str] = getattr(app, "_keymap", None) or {}
    return split_keys(keymap.get(binding_id, default))


def keys_display(app: Any, keys: Iterable[str]) -> str:
    """``keys`` as the footer shows them (``^p`` for ctrl+p, ``?`` for question_mark),
    separated by spaces: the app's own display of a key."""
    return " ".join(app.get_key_display(Binding(key, "")) for key in keys)
