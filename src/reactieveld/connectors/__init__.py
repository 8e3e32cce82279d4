"""Connectors: pure translators between a platform's API and :mod:`reactieveld.model`."""
