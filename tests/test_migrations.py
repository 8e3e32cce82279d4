"""Schema migrations of the memory store: from empty, from every earlier version, refusals."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from datetime import UTC, datetime

import pytest
from helpers.old_memory import build, fill_v1

from reactieveld.model import Page, Response, Source, Thread
from reactieveld.store import schema as store_schema
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.schema import SCHEMA_VERSION, migrations
from reactieveld.store.sqlite import SqliteStore

# A shipped migration is never edited (a store migrated with the old text would differ
# from one migrated with the new). Add the checksum of every new file here.
SHIPPED = {
    1: "0001_initial.sql",
    2: "0002_sync_state.sql",
    3: "0003_sinks.sql",
    4: "0004_tag_queue_order.sql",
    5: "0005_author_index.sql",
    6: "0006_counts.sql",
    7: "0007_author_names.sql",
    8: "0008_repaired_texts.sql",
    9: "0009_claims_versions.sql",
    10: "0010_claim_log.sql",
    11: "0011_rule_flags.sql",
    12: "0012_reasons.sql",
    13: "0013_codings.sql",
    14: "0014_flag_queue.sql",
    15: "0015_synced_by.sql",
    16: "0016_who_changed.sql",
    17: "0017_round_order.sql",
    18: "0018_reply_waits.sql",
    19: "0019_outbox_lease.sql",
    20: "0020_text_seen.sql",
    21: "0021_failure_kind.sql",
    22: "0022_figure_indexes.sql",
    23: "0023_styled_search.sql",
    24: "0024_sink_changes.sql",
    25: "0025_lapsed_flags.sql",
}


def test_shipped_migrations_are_numbered_and_unchanged():
    found = migrations()
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1))
    assert SCHEMA_VERSION == len(found)
    digests = {n: (name, hashlib.sha256(sql.encode()).hexdigest()) for n, name, sql in found}
    for number, name in SHIPPED.items():
        assert digests[number][0] == name
    assert CHECKSUMS == {n: digests[n][1] for n in CHECKSUMS}, "a shipped migration was edited"


CHECKSUMS = {
    1: "c3b0d868c28344f17dfff887ede5e778a4cf47b07d87cdf2ed9323db130f2138",
    2: "5c0cd0af43de28d14437162766531ea5101834725efd00903b8ee5152256705c",
    3: "41e37570d05d2c347ca4cbf87c194c84f1dbcdadc9fd8ada1ef58f2457cab7ae",
    4: "9d5c56c5196f1aeff108f85b3a2570e52401f58452bfb00d16012a3052c4c32e",
    5: "df7ba8d387167bcb91f2b0f1d9e10565ae684210e31dac140138cbfbee06a23a",
    6: "2f7dc39b924d1e93ad7b162fcacf52ab1bdbb98b8cc449edd053724286a06929",
    7: "e2813deaf7338d7b0e5bd42462dd28a37f241d852d9735a536b6f29dc17347e4",
    8: "fb6577923469238ba67f7864a401eb6db0bef1bd1443f39cfba70f7fdd1d6881",
    9: "549023d4946433126372ce7627c186dafffa173b877c806e711ebac79fdca093",
    10: "64aa966a5fb9489a071ac1c38828ef977814ac8fabf494830c99b8bdd5c1f611",
    11: "59a60a9a0e93efed0e1394265512a795fc8cb1ea2fef116cdb284e6bcef7d64f",
    12: "e745a317b19dc91b659f95ae24320a227bd23e7d14f1864ed9749fb4b7e491f2",
    13: "629c035d9e90962bb4a8946279c5d52004d2c76f2f4ff8e51f7844437c80a2b8",
    14: "41deec5195380d92228597fb2f7681ca9a491d26d379e4ac078a5127574bac6e",
    15: "fb99e02d34a9283c6e6ea686489037d3972fbde097e53fc8ea16030d5a026410",
    16: "13daf1ab04528a9e06e4673cd1765d426abd8ad7fec356e8c890f93dc45fde1e",
    18: "018b8f8bce192727166dbf19bfe8b8034f554b8d473149f6236592cf6170baad",
    19: "42955ff2b64828fc68380c5701cfe3de7955eeff8e51f949dc483780246728b8",
    23: "c85919ee2931c18177e85e0dcabb6b0518a1e16dbca922c0f68e98390954c9dd",
    24: "3f8c41e6cefa5c78272a0d8d9dac6b518d83d4e2b42d5aca3f877f9ad963e8e8",
}

# PostgreSQL's migrations (store/pg/migrations), held the same way.
PG_SHIPPED = {
    1: ("0001_initial.sql", "af65f9455752cb491ea70bd22118c0e3e0b7b921242a5d25770c9d74da0f6edc"),
    2: ("0002_versions.sql", "04978428c03e993bda2e12f06bf1607e9d6c53a94ab79c241f9c6bbaf06a7385"),
    3: ("0003_claim_log.sql", "46d761e3c5d54897307624cef77241d660a5c01d774ed09a74b3441964759364"),
    4: ("0004_rule_flags.sql", "e07108258987afe7304b7adcb3d8a5397a8cceb580e17565b765465ea04fc181"),
    5: ("0005_reasons.sql", "778ce142be4bd1550dc54fc05e5c82b64c12917a5470d85f2dcfc1b93834970d"),
    6: ("0006_codings.sql", "6c1a4f7aa03790f834a925bb4f23dd3a24a8d129271a6fa8fd3c11b9a5e60830"),
    7: ("0007_flag_queue.sql", "20096d71bfbda8cd72f40ce9ad69937e916ae946405b96465e5ad084150bc53c"),
    8: ("0008_synced_by.sql", "54ade459c4d810890a3e86c97c48cb83401eb4dfddd1a2f4f884807c128ce6bc"),
    9: ("0009_who_changed.sql", "7d4c617e14c264f7a46804e04da373e36fd4fe004b82a10395767402b764929b"),
    10: (
        "0010_tag_created_when.sql",
        "c61fdb075bb593a74f6c106f27cd4f04d592ae9ccfd44a11d284393efa465b75",
    ),
    11: (
        "0011_round_order.sql",
        "55aa524a722957a2d97e9e6aa326f17d710726fd9f91d391943f99fca6fff0cf",
    ),
    12: (
        "0012_reply_waits.sql",
        "aa9d3d7056c13c18f4354430ab3e58c24cfda208b897a8043db96edcaf4db28f",
    ),
    13: ("0013_text_seen.sql", "82b7e55fd68ab75d86ff7119abfdd1b400bb07d499b397d197cac014c23acf76"),
    14: (
        "0014_failure_kind.sql",
        "80808b50d875988770714b86f51b5c700a9101d31e72e5968104e8bcbf6aba45",
    ),
    15: (
        "0015_figure_indexes.sql",
        "799b6bca0548d4d488d4afc10742acbe044e31417f2370d93958c28070d302c3",
    ),
    16: (
        "0016_outbox_being_applied.sql",
        "a47f114ea496e9d0080d0eff02dbecf0a27943131138dac186e7b1b0969b6f9e",
    ),
    17: (
        "0017_styled_search.sql",
        "53964199de75fb66a062fe58799cd522b82e00cc4d4000947d70d7412df64290",
    ),
    18: (
        "0018_sink_changes.sql",
        "da770df5e01ec5b95296e238800e103e77ffe60060e8cc58949a387e51e0caac",
    ),
    19: (
        "0019_codings_delete.sql",
        "9b7a10816131a8af822fe02f2d5c695c95c392445ce5a782a111e0cb22460724",
    ),
}


def test_shipped_postgresql_migrations_are_numbered_and_unchanged():
    from reactieveld.store.pg.schema import SCHEMA_VERSION as PG_VERSION
    from reactieveld.store.pg.schema import migrations as pg_migrations

    found = pg_migrations()
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1)) and PG_VERSION == len(found)
    digests = {n: (name, hashlib.sha256(sql.encode()).hexdigest()) for n, name, sql in found}
    assert {n: digests[n] for n in PG_SHIPPED} == PG_SHIPPED, "a shipped migration was edited"


async def test_from_empty(tmp_path):
    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    try:
        assert (await store.meta())["schema_version"] == SCHEMA_VERSION
        await store.ensure_source(Source("blog", "wordpress"))
        assert (await store.source_state("blog")).name == "blog"
    finally:
        await store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"sources", "threads", "responses", "tags", "notes", "actions", "outbox"} <= names
    assert {"responses_fts", "responses_vocab"} <= names
    db.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
async def test_from_every_earlier_version(tmp_path, version):
    path = tmp_path / "old.db"
    db = build(path, version)
    fill_v1(db)
    db.close()

    store = await SqliteStore.open(path)
    try:
        assert (await store.meta())["schema_version"] == SCHEMA_VERSION
        row = await store.get(1)
        assert row.response.body_text == "Graag meer bomen in het park"
        assert row.response.triage.value == "handled"
        assert row.thread_title == "Nieuw stadspark"
        assert row.questions == ("3",)
        assert [r.response.id for r in await store.queue(QueueFilter(questions=("3",)))] == [1]
        assert [n.text for n in await store.notes(1)] == ["zie ook"]
        [entry] = await store.journal(1)
        assert entry.after == {"question": "3"}
        [item] = await store.outbox_items()
        assert item.action.external_id == "101" and item.state.value == "pending"
        assert (await store.source_state("blog")).cursor == "c7"
        # The search index came through and keeps working with new rows.
        assert [h.row.response.id for h in await store.search("bomen")] == [1]
        assert await store.author_count(row) == 1
        assert [r.response.id for r in await store.author_history(row)] == [2]
        assert await store.count(QueueFilter(author_key="k1")) == 2
        assert sorted(h.row.response.id for h in await store.search("stadspark")) == [1, 2]
        page = Page(
            responses=[
                Response(
                    "blog",
                    "102",
                    "p1",
                    "Bert",
                    "Ook bomen graag",
                    datetime(2023, 5, 2, tzinfo=UTC),
                )
            ],
            threads=[Thread("blog", "p1", "Nieuw stadspark")],
        )
        assert (await store.upsert_page("blog", page)).new == 1
        assert await store.count(QueueFilter(text="bomen")) == 2
        assert await store.count(QueueFilter()) == 3
        # The secret made by the old program is kept: author keys stay comparable.
        assert store.author_key("a@example.org") == SqliteStore.author_key(
            _with_secret("ab" * 32), "a@example.org"
        )
    finally:
        await store.close()
    # Columns of the later migrations exist and have their defaults.
    db = sqlite3.connect(path)
    assert db.execute("SELECT last_new, last_updated FROM sources").fetchone() == (0, 0)
    db.close()


def _with_secret(hex_secret: str) -> SqliteStore:
    s = SqliteStore.__new__(SqliteStore)
    s._author_secret = bytes.fromhex(hex_secret)
    return s


async def test_newer_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "new.db"
    db = build(path, SCHEMA_VERSION)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this program"):
        await SqliteStore.open(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    db.close()


async def test_not_a_database_is_a_store_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(StoreError, match="not a reactieveld memory store|not a database"):
        await SqliteStore.open(path)


async def test_failed_migration_rolls_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    await store.close()
    shipped = migrations()
    broken = (
        SCHEMA_VERSION + 1,
        f"{SCHEMA_VERSION + 1:04d}_broken.sql",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n",
    )
    monkeypatch.setattr(store_schema, "migrations", lambda: [*shipped, broken])
    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="broken"):
        await SqliteStore.open(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchone() is None
    db.close()


async def test_two_programs_migrating_at_once(tmp_path):
    path = tmp_path / "m.db"
    a, b = await asyncio.gather(SqliteStore.open(path), SqliteStore.open(path))
    try:
        assert (await a.meta())["schema_version"] == SCHEMA_VERSION
        assert (await b.meta())["schema_version"] == SCHEMA_VERSION
        # One secret for both: the same e-mail gets the same key in either.
        assert a.author_key("x@example.org") == b.author_key("x@example.org")
    finally:
        await a.close()
        await b.close()


async def test_a_reply_unsure_before_0018_waits_for_a_round_begun_after_it(tmp_path):
    """Before 0018 a reply that may have arrived said so only in its error text: such a
    row (being sent, or its error ending with the unsure words) now waits for a round
    begun after the migration (its source had begun 3); another row waits for none."""
    from reactieveld.outbox import SENDING, UNSURE

    path = tmp_path / "old.db"
    db = build(path, 17)
    db.execute("INSERT INTO sources (id, name, type, rounds) VALUES (1, 'blog', 'wordpress', 3)")
    errors = [SENDING, f"blog: HTTP 500{UNSURE}", "blog: HTTP 503", None, f"x{UNSURE}"]
    for i, error in enumerate(errors):
        capability = "hide" if i == 4 else "reply"  # a decision is never held back
        db.execute(
            "INSERT INTO outbox (source_id, capability, external_id, created_at, last_error) "
            "VALUES (1, ?, 'c1', 0, ?)",
            (capability, error),
        )
    db.close()
    store = await SqliteStore.open(path)
    try:
        items = sorted(await store.outbox_items(), key=lambda i: i.id)
        assert [i.awaits_round for i in items] == [3, 3, None, None, None]
    finally:
        await store.close()
