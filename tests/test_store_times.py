"""The store's one timestamp rule: aware datetimes in (any offset), aware UTC out; a
naive datetime is refused with a clear error instead of being taken as UTC or local."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from helpers.store import T0, open_store, page, resp, sql
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.store.base import QueueFilter
from reactieveld.store.rows import from_epoch, to_epoch

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets
)


@given(moments)
def test_aware_times_round_trip_as_utc(moment):
    back = from_epoch(to_epoch(moment))
    assert back.tzinfo is UTC
    assert back == moment.replace(microsecond=0)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)))
def test_naive_times_are_refused(moment):
    with pytest.raises(ValueError, match="naive datetime"):
        to_epoch(moment)


def test_none_stays_none():
    assert to_epoch(None) is None
    assert from_epoch(None) is None


async def test_store_refuses_a_naive_response_time_and_keeps_nothing(store_target):
    store = await open_store(store_target)
    try:
        naive = dataclasses.replace(resp("1"), created_at=T0.replace(tzinfo=None))
        with pytest.raises(ValueError, match="naive datetime"):
            await store.upsert_page("blog", page(resp("0"), naive))
        assert await sql(store, "SELECT count(*) FROM responses") == [(0,)]
        with pytest.raises(ValueError, match="naive datetime"):
            await store.count(QueueFilter(since=T0.replace(tzinfo=None)))
        # The same moment with an offset is the same stored second.
        await store.upsert_page("blog", page(resp("2")))
        east = T0.astimezone(timezone(timedelta(hours=2)))
        assert await store.count(QueueFilter(since=east)) == 1
        assert await store.count(QueueFilter(since=east + timedelta(seconds=1))) == 0
        [row] = await store.queue(QueueFilter())
        assert row.response.created_at == T0 and row.response.created_at.tzinfo is UTC
    finally:
        await store.close()
