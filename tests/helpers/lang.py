"""What a Dutch line must not say: the English of the table's texts it was made from."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reactieveld.i18n import STRINGS

_FIELD = re.compile(r"\{\w+\}")


def fixed_parts(key: str, language: str) -> list[str]:
    """The words of ``key``'s text in ``language`` around its fields."""
    return [part.strip() for part in _FIELD.split(STRINGS[key][0 if language == "nl" else 1])]


def english_only(keys: Iterable[str]) -> list[str]:
    """Each English phrase (longer than 3 characters) of ``keys``' texts that none of
    their Dutch texts also has: none of them may be on a Dutch line made from them."""
    keys = list(keys)
    return sorted(
        {
            part
            for key in keys
            for part in fixed_parts(key, "en")
            if len(part) > 3 and not any(part in STRINGS[k][0] for k in keys)
        }
    )
