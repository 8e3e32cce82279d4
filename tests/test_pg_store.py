"""The PostgreSQL store's opening: migrations, a newer schema refused, the rights of
readers and moderators, and every failure to connect as one line naming the database."""

from __future__ import annotations

from typing import Any

import pytest

from reactieveld.store.base import StoreError
from reactieveld.store.pg.base import redact_url
from reactieveld.store.pg.schema import SCHEMA_VERSION
from reactieveld.store.pg.store import PostgresStore


async def test_a_new_database_is_migrated_and_knows_who_connects(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url)
    try:
        assert store.role == "postgres"
        assert not store.read_only
        version = await store._read(
            lambda c: c.fetchval("SELECT max(version) FROM schema_migrations")
        )
        assert version == SCHEMA_VERSION
    finally:
        await store.close()
    again = await PostgresStore.open(pg_url)  # migrated already: nothing to do
    await again.close()


async def test_a_newer_schema_is_refused(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url)
    await store._write(
        lambda c: c.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')",
            SCHEMA_VERSION + 1,
        )
    )
    await store.close()
    with pytest.raises(StoreError, match=r"newer than this program knows.*upgrade"):
        await PostgresStore.open(pg_url)


async def test_a_reader_opens_read_only_and_a_write_is_one_line(
    pg_cluster: Any, pg_url: str
) -> None:
    owner = await PostgresStore.open(pg_url)  # migrated by its owner
    await owner.close()
    reader = await PostgresStore.open(pg_cluster.role_url(pg_url, "rita", "reactieveld_reader"))
    try:
        assert reader.read_only
        assert "reader" in (reader.read_only_reason() or "")
        with pytest.raises(StoreError, match="reader"):
            await reader._write(lambda c: c.execute("SELECT 1"))
    finally:
        await reader.close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://nobody@127.0.0.1:1/x", "cannot reach the server"),
        ("postgresql://postgres@127.0.0.1:{port}/does_not_exist", "does not exist"),
        ("postgresql://pw_anna@127.0.0.1:{port}/postgres", "refused the login"),
    ],
)
async def test_connection_failures_are_one_line(pg_cluster: Any, url: str, expected: str) -> None:
    pg_cluster.add_role("pw_anna", "password_required", password="geheim")
    url = url.format(port=pg_cluster.port)
    with pytest.raises(StoreError) as caught:
        await PostgresStore.open(url, password="fout")
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert "fout" not in message
    assert message.startswith(redact_url(url))


async def test_the_password_comes_from_the_caller_never_the_url(pg_cluster: Any) -> None:
    db = pg_cluster.new_database()
    pg_cluster.add_role("pw_anna", "password_required", password="geheim")
    pg_cluster.psql(
        f'GRANT ALL ON DATABASE "{db}" TO pw_anna; ALTER DATABASE "{db}" OWNER TO pw_anna'
    )
    store = await PostgresStore.open(pg_cluster.url(db, "pw_anna"), password="geheim")
    try:
        assert store.role == "pw_anna"
    finally:
        await store.close()


def test_messages_never_show_a_password() -> None:
    assert redact_url("postgresql://anna:geheim@db.example.nl:5433/rv?sslmode=require") == (
        "postgresql://anna@db.example.nl:5433/rv"
    )
