"""The one-line reason of any exception (reactieveld.failures), and its traceback kept
off the user's screen unless REACTIEVELD_DEBUG asks for it."""

from __future__ import annotations

from reactieveld.connectors.base import ConnectorError
from reactieveld.failures import LIMIT, LOG, failure, log_unexpected


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001 - a traceback to log
        return caught


def test_reasons_are_one_short_line():
    assert failure(KeyError("id")).message == "unexpected KeyError: 'id'"
    assert failure(ConnectorError("blog", "HTTP 500"), source="blog").message == "HTTP 500"
    assert failure(ConnectorError("blog", "HTTP 500"), source="x").message == "blog: HTTP 500"
    long = failure(RuntimeError("start " + "x\n" * 1000 + "the real cause"))
    assert len(long.message) <= LIMIT and "\n" not in long.message
    assert long.message.startswith("unexpected RuntimeError: start")
    assert long.message.endswith("the real cause")  # the end says why
    odd = failure(ValueError("a \ud800 b")).message
    odd.encode("utf-8")  # a lone surrogate does not reach a terminal or SQLite
    assert failure(OSError()).message == "unexpected OSError"
    assert failure(ConnectorError("b", "wait", retryable=False)).retryable is False


def test_traceback_to_the_log(caplog):
    with caplog.at_level("DEBUG", logger="reactieveld"):
        log_unexpected("source blog", raised(KeyError("id")))
    [record] = caplog.records
    assert record.exc_info and "source blog" in record.getMessage()


def test_traceback_on_stderr_only_under_debug(capsys, monkeypatch):
    exc = raised(KeyError("id"))
    monkeypatch.setattr(LOG, "hasHandlers", lambda: False)  # no logging set up
    monkeypatch.delenv("REACTIEVELD_DEBUG", raising=False)
    log_unexpected("source blog", exc)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("REACTIEVELD_DEBUG", "1")
    log_unexpected("source blog", exc)
    err = capsys.readouterr().err
    assert "source blog: unexpected error" in err and "Traceback" in err and "KeyError" in err
