"""Kept so that older imports still work: the table and its lookup are in
:mod:`reactieveld.i18n` (below every layer, Textual-free). Import from there."""

from reactieveld.i18n import LANGUAGE_NAMES, LANGUAGES, STRINGS, I18n, text

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "STRINGS", "I18n", "text"]
