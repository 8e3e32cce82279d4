"""Rows of ``RESPONSE_COLS`` become the same objects their classes' ``__init__`` makes
(``rows.built`` skips the frozen dataclasses' ``__init__`` for speed, both backends)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from reactieveld.model import RemoteStatus, Response, TriageState
from reactieveld.store.base import Claim, QueueRow
from reactieveld.store.rows import built, queue_rows, response_from_row

NOW = 1_800_000_000


def row(rid: int, **over: Any) -> tuple[Any, ...]:
    """A row of ``RESPONSE_COLS`` (its columns in order), with some of them replaced."""
    cols = {
        "id": rid,
        "source": "forum",
        "external_id": f"c{rid}",
        "thread_external_id": "t1",
        "parent_external_id": None,
        "author_name": "Anna",
        "author_key": "k1",
        "author_url": None,
        "body_text": "tekst",
        "body_raw": "<p>tekst</p>",
        "body_format": "html",
        "url": "https://example.org/c",
        "created_at": NOW - 100,
        "updated_at": None,
        "fetched_at": NOW - 50,
        "remote_status": "approved",
        "triage": "new",
        "role_hint": None,
        "meta": "{}",
        "title": "Draad",
        "version": 3,
        "actor": None,
        "until": None,
    }
    cols.update(over)
    return tuple(cols.values())


def by_init(r: tuple[Any, ...]) -> Response:
    """The response of row ``r`` as ``Response.__init__`` makes it."""
    return Response(
        id=r[0],
        source=r[1],
        external_id=r[2],
        thread_external_id=r[3],
        parent_external_id=r[4],
        author_name=r[5],
        author_key=r[6],
        author_url=r[7],
        body_text=r[8],
        body_raw=r[9],
        body_format=r[10],
        url=r[11],
        created_at=datetime.fromtimestamp(r[12], UTC),
        updated_at=None if r[13] is None else datetime.fromtimestamp(r[13], UTC),
        fetched_at=None if r[14] is None else datetime.fromtimestamp(r[14], UTC),
        remote_status=RemoteStatus(r[15]),
        triage=TriageState(r[16]),
        role_hint=r[17],
        meta=json.loads(r[18]) if r[18] else {},
    )


def same(a: object, b: object) -> None:
    """Equal field for field (``meta`` and ``claim`` included, which ``==`` skips), in the
    same order, with nothing else set."""
    assert type(a) is type(b)
    assert list(vars(a)) == list(vars(b)) == [f.name for f in dataclasses.fields(a)]
    assert vars(a) == vars(b)
    assert a == b
    assert hash(a) == hash(b)
    assert repr(a) == repr(b)


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"updated_at": NOW - 10, "meta": '{"reports": 2, "x": [1]}', "role_hint": "staff"},
        {"remote_status": "hidden", "triage": "handled", "parent_external_id": "c0"},
        {"thread_external_id": None, "title": None, "url": None, "author_key": None},
    ],
)
def test_a_response_is_the_one_init_makes(over):
    r = row(7, **over)
    response, title = response_from_row(r)
    same(response, by_init(r))
    assert title == r[19]


def test_queue_rows_are_the_ones_init_makes():
    raw = [
        row(1),
        row(2, actor="bob", until=NOW + 60),  # a live claim
        row(3, actor="bob", until=NOW - 60),  # an expired one
    ]
    tags = [(1, "question", "12"), (1, "question", "3"), (1, "role", "raad"), (2, "question", "x")]
    flags = [(3, "spam"), (3, "links"), (3, "spam")]
    got = queue_rows(raw, tags, {2: "pending"}, NOW, flags)
    want = [
        QueueRow(by_init(raw[0]), "Draad", ("3", "12"), "raad", None, 3, None, ()),
        QueueRow(
            by_init(raw[1]),
            "Draad",
            ("x",),
            None,
            "pending",
            3,
            Claim("bob", datetime.fromtimestamp(NOW + 60, UTC)),
            (),
        ),
        QueueRow(by_init(raw[2]), "Draad", (), None, None, 3, None, ("spam", "links")),
    ]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        same(g, w)
        same(g.response, w.response)
    # Frozen as ever.
    with pytest.raises(dataclasses.FrozenInstanceError):
        got[0].version = 4  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        got[0].response.body_text = "x"  # type: ignore[misc]


def test_built_is_init_for_every_field():
    fields = {f.name: f"v{i}" for i, f in enumerate(dataclasses.fields(Claim))}
    same(built(Claim, fields), Claim(**fields))
