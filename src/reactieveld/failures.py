"""One way to turn any exception of a background round into what is shown and stored.

The sync engine (a source's round, in process or via the fetch process), the outbox (a
write-back) and the memory sinks (a delivery) all run until reactieveld stops; none of
them may end because of one bad answer, a full disk or a bug. Each catches every
exception of its round and hands it here:

* :func:`failure` gives the one-line reason (the platform's message for a
  :class:`~reactieveld.connectors.base.ConnectorError`, else the class name and its
  message), with every credential removed (:func:`~reactieveld.connectors.http.scrub`),
  and whether a later try can help and when the server asked for it;
* :func:`log_unexpected` keeps the traceback of what was not a platform error for
  whoever debugs: to the ``reactieveld`` logger (at DEBUG, so nothing reaches a screen
  unless a handler was set up), and to stderr only when ``REACTIEVELD_DEBUG`` is set and
  no handler exists. Never onto the user's screen otherwise.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from reactieveld.i18n import in_language, stored_key, text
from reactieveld.later import names_in
from reactieveld.store.errors import StoreUnreachable

if TYPE_CHECKING:
    from reactieveld.problems import Failure as Failure

# The connectors' modules (and httpx, which connectors.http imports) are imported where
# they are used, not here: cli.main imports this module at every start for
# quiet_library_logs, and the app's first frame needs neither (they were ~95 modules and
# a fifth of its instructions; tests/test_first_frame_imports.py).

# Failure is made only on a failure: it lives in reactieveld.problems (which says why),
# still named here.
__getattr__ = names_in("reactieveld.problems", ["Failure"], of=__name__)  # PEP 562

LOG = logging.getLogger("reactieveld")
DEBUG_ENV = "REACTIEVELD_DEBUG"
#: Longest reason kept (a line in ``reactieveld sources`` and the app's notice).
LIMIT = 300


def failure(
    exc: BaseException,
    *,
    source: str | None = None,
    secrets: Iterable[str | None] = (),
    users: Iterable[str | None] = (),
) -> Failure:
    """The one-line, credential-free reason for ``exc`` (see the module docstring)."""
    from reactieveld.connectors.base import ConnectorError
    from reactieveld.connectors.http import clean_text, scrub
    from reactieveld.problems import Failure
    from reactieveld.store.urls import shown_urls

    expected = isinstance(exc, ConnectorError) or bool(getattr(exc, "expected", False))
    if isinstance(exc, ConnectorError):
        text = exc.message if exc.source == source else str(exc)
    elif getattr(exc, "lead", None):  # e.g. StoreUnreachable: its own words, not its class
        text = f"{exc.lead}: {exc}"  # type: ignore[attr-defined]
    elif expected:
        # Its own words, not its class: a statement past the timeout (its line names the
        # memory), a sink's "HTTP 500" (it read "SinkError: HTTP 500" in the app's notice).
        text = str(exc)
    else:
        detail = str(exc)
        text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        if not expected:
            text = f"unexpected {text}"
    # A store's URL as every line shows it (its role, never a password); then scrubbed,
    # before it is shortened: a cut secret is no longer recognised.
    text = scrub(shown_urls(_printable(text)), secrets, users)
    text = _middle(clean_text(text, 100_000), LIMIT)
    retryable = bool(getattr(exc, "retryable", True))
    wait = getattr(exc, "retry_after", None)
    return Failure(text or type(exc).__name__, retryable, wait, expected)


def _middle(text: str, limit: int) -> str:
    # Shortened in the middle: the start says where, the end often says why (the last
    # words of a process, the innermost cause).
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[-(limit - 1 - head) :]


def _printable(text: str) -> str:
    # Lone surrogates (from a platform's invalid text) cannot be written to a terminal
    # or to SQLite as UTF-8; they become U+FFFD.
    return text.encode("utf-8", "replace").decode("utf-8")


def log_unexpected(where: str, exc: BaseException) -> None:
    """Keep the traceback of a non-platform error for debugging, off the user's screen."""
    from reactieveld.connectors.base import ConnectorError, UnreadableAnswer

    if isinstance(exc, UnreadableAnswer) and exc.__cause__ is not None:
        exc = exc.__cause__  # the connector's own exception: where its reading failed
    elif isinstance(exc, ConnectorError):
        return
    LOG.debug("%s: unexpected error", where, exc_info=exc)
    if os.environ.get(DEBUG_ENV) and not LOG.hasHandlers():
        print(f"reactieveld: {where}: unexpected error (traceback follows)", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)


def source_secrets(cfg: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(secrets, user names) of a ``SourceConfig``: the values of the environment
    variables its ``*_env`` keys name, and its user-ish keys (for base64 pairs)."""
    options: Mapping[str, Any] = getattr(cfg, "options", None) or {}
    secrets = tuple(
        value
        for key, var in options.items()
        if key.endswith("_env") and isinstance(var, str) and (value := os.environ.get(var))
    )
    users = tuple(
        str(options[key])
        for key in ("username", "api_username", "client_id", "user")
        if options.get(key)
    )
    return secrets, users


#: Libraries whose own log lines (a lost connection, each HTTP request) must not reach
#: the user's screen.
LIBRARY_LOGGERS = ("asyncpg", "httpx", "httpcore")


def quiet_library_logs() -> None:
    """Keep the libraries' log lines (asyncpg, httpx) off the user's screen: only
    errors past their own handling, and none of them unless ``REACTIEVELD_DEBUG`` is set
    (then they are left as they are, for whoever debugs)."""
    if os.environ.get(DEBUG_ENV):
        return
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False


def error_in_language(error: str, language: str) -> str:
    """A round's error, stored in English, in ``language``: the memory's lead, and a
    platform's error read back through the interface text's templates
    (:func:`~reactieveld.i18n.in_language`; another text as it is). For the sync's and
    the outbox's own lines, ``reactieveld sources`` and the app's notice, whichever
    process stored it."""
    lead = StoreUnreachable.lead
    if error.startswith(lead + ": "):
        # The memory named, then why (a team's server away: its words too).
        rest = in_language(error[len(lead) + 2 :], language)
        return f"{text('store.unreachable', language)}: {rest}"
    return in_language(error, language)


def failure_kind(exc: BaseException) -> str | None:
    """Why no resend of a write-back that failed with ``exc`` can succeed by itself (a
    kind of ``model_values.FAILURE_KINDS``: the connector's answer read back to its key),
    None when a resend may (any other answer, or no connector's answer at all). The one
    place the outbox decides it, for every connector."""
    from reactieveld.connectors.base import ConnectorError
    from reactieveld.model_values import FAILURE_KINDS

    if not isinstance(exc, ConnectorError) or exc.retryable:
        return None
    key = stored_key(exc.message)
    return FAILURE_KINDS.get(key) if key is not None else None
