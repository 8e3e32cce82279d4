"""Memory sinks: journal -> durable queue -> JSONL file and a real webhook on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from reportdata import build

from reactieveld.config import ConfigError, SinkConfig
from reactieveld.model import utcnow
from reactieveld.sinks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    JsonlSink,
    SinkWorker,
    WebhookSink,
    build_sinks,
)
from reactieveld.store.sqlite import SqliteStore

SECRET = "s3cret-for-tests"


class Hook:
    """A real HTTP server on 127.0.0.1 that records what it is sent."""

    def __init__(self, port: int, statuses: list[int] | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = hook.statuses.pop(0) if hook.statuses else 204
                if status < 300:
                    hook.requests.append((dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[tuple[str, str]]:
        out = []
        for _, body in self.requests:
            env = json.loads(body)
            out.append((env["event"], env["response"]["external_id"]))
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Clock:
    def __init__(self) -> None:
        self.at = utcnow()

    def __call__(self):
        return self.at


async def first_pass_with_the_webhook_down(worker, jsonl):
    run = await worker.run_once()
    # Tagged responses: r1 r3 r5 r6 (r2 and r7 got a role or were handled, no question; r4
    # is tagged but spam: out of the public record, so in no sink).
    assert run.enqueued == 8 and run.delivered == 4 and run.retry == 1
    lines = [json.loads(x) for x in jsonl.path.read_text().splitlines()]
    assert [(e["event"], e["response"]["external_id"]) for e in lines] == [
        ("tagged", "r1"), ("tagged", "r3"), ("tagged", "r5"), ("tagged", "r6"),
    ]  # fmt: skip
    r3 = lines[1]["response"]
    assert [q["code"] for q in r3["questions"]] == ["1"] and r3["role"]["code"] == "burger"
    assert r3["author"]["name"] == "Bram Jansen"  # a sink is the organisation's own memory
    assert r3["provenance"]["source"] == "blog" and lines[1]["cause"] == "note"
    queue = await worker.pending(worker.sinks[1])
    assert [q["state"] for q in queue] == ["pending"] * 4
    assert queue[0]["attempts"] == 1 and "ConnectError" in queue[0]["last_error"]


async def test_webhook_down_then_up_survives_a_restart(tmp_path, monkeypatch):
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    port = free_port()  # nothing listens: connection refused
    url = f"http://127.0.0.1:{port}/hook"
    clock = Clock()
    jsonl = JsonlSink(tmp_path / "out" / "memory.jsonl")
    worker = SinkWorker(store, [jsonl, WebhookSink(url, SECRET)], clock=clock)
    try:
        await first_pass_with_the_webhook_down(worker, jsonl)
    finally:
        await worker.aclose()
        await store.close()

    # Restart: a new store and worker; the webhook is up now; the backoff has passed.
    hook = Hook(port)
    try:
        store = await SqliteStore.open(tmp_path / "m.db")
        worker = SinkWorker(store, [jsonl, WebhookSink(url, SECRET)], clock=clock)
        run = await worker.run_once()
        assert (run.delivered, hook.requests) == (0, [])  # the backoff is respected
        clock.at += timedelta(hours=2)
        run = await worker.run_once()
        assert (run.enqueued, run.delivered, run.retry) == (0, 4, 0)
        assert hook.events() == [
            ("tagged", "r1"), ("tagged", "r3"), ("tagged", "r5"), ("tagged", "r6"),
        ]  # fmt: skip
        for headers, body in hook.requests:
            expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
            env = json.loads(body)
            assert headers[EVENT_HEADER] == env["event"] == "tagged"
            assert headers[DELIVERY_HEADER] == env["delivery_id"]
        assert len({h[DELIVERY_HEADER] for h, _ in hook.requests}) == 4

        # A re-tag is an update; undo it (update), then undo the tagging of r9 (retraction).
        await store.toggle_question([ids["r9"]], "5", actor="m")
        await store.toggle_question([ids["r3"]], "2", actor="m")
        await store.undo_last(actor="m")
        await store.undo_last(actor="m")
        run = await worker.run_once()
        # Coalesced per pass: r9 tagged and untagged (never delivered: nothing to retract)
        # and r3 back to what the sink has: nothing to send.
        assert run.enqueued == 0
        await store.toggle_question([ids["r9"]], "5", actor="m")
        await store.toggle_question([ids["r3"]], "2", actor="m")
        await worker.run_once()
        await store.undo_last(actor="m")
        await worker.run_once()
        await store.undo_last(actor="m")
        await worker.run_once()
        assert hook.events()[4:] == [
            ("tagged", "r9"), ("updated", "r3"), ("updated", "r3"), ("retracted", "r9"),
        ]  # fmt: skip
        bodies = [json.loads(b) for _, b in hook.requests[4:]]
        assert [q["code"] for q in bodies[1]["response"]["questions"]] == ["1", "2"]
        assert [q["code"] for q in bodies[2]["response"]["questions"]] == ["1"]
        assert bodies[2]["cause"] == "undo" and bodies[3]["cause"] == "undo"
        assert bodies[3]["response"] == {
            "id": ids["r9"], "source": "forum", "external_id": "r9",
            "url": "https://forum.example/x#r9",
        }  # fmt: skip
        lines = [json.loads(x) for x in jsonl.path.read_text().splitlines()]
        assert [e["event"] for e in lines[4:]] == ["tagged", "updated", "updated", "retracted"]
        await worker.aclose()
    finally:
        hook.close()
        await store.close()


async def test_refused_delivery_is_failed_and_the_queue_moves_on(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    port = free_port()
    hook = Hook(port, statuses=[400, 503])
    try:
        clock = Clock()
        sink = WebhookSink(f"http://127.0.0.1:{port}/", None)
        worker = SinkWorker(store, [sink], clock=clock)
        run = await worker.run_once()
        # 400 for r1: refused, the next one goes; 503 for r3: waits (and r5 r6 behind it).
        assert (run.delivered, run.failed, run.retry) == (0, 1, 1)
        # Said in its own words (the app's notice, ``sources``): no class name.
        heads = await worker.pending(sink)
        assert [q["last_error"] for q in heads[:2]] == ["HTTP 400", "HTTP 503"]
        clock.at += timedelta(hours=2)
        run = await worker.run_once()
        assert (run.delivered, run.failed, run.retry) == (3, 0, 0)
        assert [e[1] for e in hook.events()] == ["r3", "r5", "r6"]
        assert all(SIGNATURE_HEADER not in h for h, _ in hook.requests)  # no secret: unsigned
        states = [q["state"] for q in await worker.pending(sink)]
        assert states == ["failed", "done", "done", "done"]
        await worker.aclose()
    finally:
        hook.close()
        await store.close()


async def test_two_workers_never_enqueue_twice(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    other = await SqliteStore.open(tmp_path / "m.db")
    try:
        a = SinkWorker(store, [JsonlSink(tmp_path / "a.jsonl")])
        b = SinkWorker(other, [JsonlSink(tmp_path / "a.jsonl")])
        assert await a.collect(a.sinks[0]) == 4
        assert await b.collect(b.sinks[0]) == 0
    finally:
        await other.close()
        await store.close()


def test_build_sinks_reads_the_secret_from_the_environment(tmp_path, monkeypatch):
    from types import SimpleNamespace

    cfg = SimpleNamespace(
        sinks=(
            SinkConfig("jsonl", {"path": tmp_path / "x.jsonl"}),
            SinkConfig("webhook", {"url": "http://127.0.0.1:9/h", "secret_env": "HOOK_SECRET"}),
        )
    )
    monkeypatch.delenv("HOOK_SECRET", raising=False)
    with pytest.raises(ConfigError, match="HOOK_SECRET"):
        build_sinks(cfg)
    monkeypatch.setenv("HOOK_SECRET", "abc")
    jsonl, hook = build_sinks(cfg)
    assert (
        jsonl.key == f"jsonl:{tmp_path / 'x.jsonl'}" and hook.key == "webhook:http://127.0.0.1:9/h"
    )
    assert hook.signature(b"{}") == "sha256=" + hmac.new(b"abc", b"{}", hashlib.sha256).hexdigest()


async def test_run_sinks_once_from_config(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from reactieveld.sinks import run_sinks

    store, _ = await build(tmp_path / "m.db", monkeypatch)
    try:
        lines: list[str] = []
        path = tmp_path / "sink.jsonl"
        cfg = SimpleNamespace(sinks=(SinkConfig("jsonl", {"path": path}),))
        run = await run_sinks(cfg, store, once=True, printer=lines.append)
        assert run is not None and run.delivered == 4
        assert lines == ["sinks: 4 delivered, 0 waiting to retry, 0 refused"]
        assert len(path.read_text().splitlines()) == 4
        assert await run_sinks(SimpleNamespace(sinks=()), store, once=True) is None
    finally:
        await store.close()


async def test_unexpected_delivery_failure_is_recorded_and_retried(tmp_path, monkeypatch):
    """A sink that raises what it should not (a bug, an odd answer): the delivery waits
    with a one-line reason and goes out on a later pass."""
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    clock = Clock()
    jsonl = JsonlSink(tmp_path / "memory.jsonl")
    worker = SinkWorker(store, [jsonl], clock=clock)
    real = jsonl.deliver

    async def broken(body, envelope):
        raise ValueError(f"bad envelope for {SECRET}")

    try:
        monkeypatch.setattr(jsonl, "deliver", broken)
        run = await worker.run_once()
        assert run.retry == 1 and run.delivered == 0
        head = (await worker.pending(jsonl))[0]
        assert head["state"] == "pending" and head["attempts"] == 1
        assert head["last_error"] == "unexpected ValueError: bad envelope for s3cret-for-tests"

        monkeypatch.setattr(jsonl, "deliver", real)
        clock.at += timedelta(hours=2)
        run = await worker.run_once()
        assert run.delivered == 4 and run.retry == 0
    finally:
        await worker.aclose()
        await store.close()


async def test_webhook_secret_never_in_a_stored_error(tmp_path, monkeypatch):
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    clock = Clock()
    hook = WebhookSink(f"http://127.0.0.1:{free_port()}/hook", SECRET)

    async def echo(body, envelope):
        raise ValueError(f"server said: signature sha256 of {SECRET} rejected")

    monkeypatch.setattr(hook, "deliver", echo)
    worker = SinkWorker(store, [hook], clock=clock)
    try:
        await worker.run_once()
        head = (await worker.pending(hook))[0]
        assert SECRET not in head["last_error"] and "***" in head["last_error"]
    finally:
        await worker.aclose()
        await store.close()


async def test_an_idle_pass_does_not_prune_again(tmp_path, monkeypatch):
    # A pass in which no sink read anything moved no position: no prune (a write) for it.
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    prunes = 0
    prune = store.sink_prune

    async def counted() -> int:
        nonlocal prunes
        prunes += 1
        return await prune()

    monkeypatch.setattr(store, "sink_prune", counted)
    worker = SinkWorker(store, [JsonlSink(tmp_path / "a.jsonl")])
    try:
        await worker.run_once()
        assert prunes == 1
        await worker.run_once()
        await worker.run_once()
        assert prunes == 1
        await worker.aclose()
    finally:
        await store.close()
