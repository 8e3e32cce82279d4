"""``reactieveld export --format decisions``: the statement-of-reasons log (issue 16), on
both backends, and its command line (form by extension or --as, errors, redaction)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers.cli import export_args, run_main
from helpers.store import open_store, page, resp

from reactieveld.cli_read import export_options
from reactieveld.model import DecisionReason, RemoteStatus
from reactieveld.read.figures import PeriodError
from reactieveld.reports.decisions import DECISION_COLUMNS, form_for
from reactieveld.reports.formats import write_report

HOLD, TRASH, SPAM = RemoteStatus.HOLD, RemoteStatus.TRASH, RemoteStatus.SPAM


class _Config:
    """What export_options reads of a config: Dutch, the default reasons."""

    class ui:
        language = "nl"


async def _decided(target):
    """A store with three decisions: trash (insult), hold (other, with an e-mail address
    in the words; then undone), spam (no reason); a fourth response left alone."""
    store = await open_store(target)
    await store.upsert_page(
        "blog",
        page(
            resp("a", minutes=1, author="Anna de Vries", email="anna@example.nl"),
            resp("b", minutes=2, author="Bert"),
            resp("c", minutes=3, author="Cor"),
            resp("d", minutes=4, author="Dirk"),
        ),
    )
    await store.upsert_page("forum", page(resp("f", source="forum", minutes=5, author="Fem")))
    rid = {e: (await store.get_by_external("blog", e)).response.id for e in "abcd"}
    rid["f"] = (await store.get_by_external("forum", "f")).response.id
    insult = DecisionReason("insult", None, "Belediging of discriminatie")
    await store.moderate([rid["a"]], TRASH, actor="anna", reason=insult)
    other = DecisionReason("other", "zie mail van piet@example.nl", "Anders")
    await store.moderate([rid["b"]], HOLD, actor="anna", reason=other)
    await store.undo_last(actor="anna")
    await store.moderate([rid["c"]], SPAM, actor="anna")
    await store.moderate([rid["f"]], TRASH, actor="anna", reason=insult)
    return store, rid


async def _log(store, **kw):
    opts = export_options(_Config, export_args(format="decisions", **kw))
    out = io.StringIO()
    n = (await write_report(store, opts, out)).count
    return n, out.getvalue()


async def test_the_log_holds_each_decision_with_its_reason_and_no_author(store_target):
    store, _rid = await _decided(store_target)
    try:
        n, text = await _log(store, output="log.jsonl")
    finally:
        await store.close()
    rows = [json.loads(line) for line in text.splitlines()]
    assert n == len(rows) == 4
    assert [(r["decision"], r["reason"], r["source"]) for r in rows] == [
        ("trash", "insult", "blog"),
        ("hold", "other", "blog"),
        ("spam", "", "blog"),
        ("trash", "insult", "forum"),
    ]
    first = rows[0]
    assert set(first) == set(DECISION_COLUMNS)
    assert first["reason_label"] == "Belediging of discriminatie"
    assert first["previous_status"] == "approved"
    assert first["platform"] == "wordpress" and rows[3]["platform"] == "discourse"
    assert first["time"].endswith("Z") and first["undone_at"] == ""
    # The undone decision stays, with when it was undone; the moderator's words are
    # redacted like any free text.
    assert rows[1]["undone_at"] != ""
    assert "piet@example.nl" not in rows[1]["reason_text"]
    assert rows[1]["reason_text"].startswith("zie mail van")
    # Nothing of the author, whatever the field.
    assert "Anna" not in text and "anna@example.nl" not in text and "Bert" not in text
    assert all(r["actor"] for r in rows)


async def test_filters_as_for_export(store_target):
    store, _rid = await _decided(store_target)
    try:
        _, by_source = await _log(store, output="x.csv", source=["forum"])
        _, by_status = await _log(store, output="x.jsonl", status=["trash"])
        _, earlier = await _log(store, output="x.jsonl", until="2000-01-01")
        with pytest.raises(PeriodError, match="2999-01-01"):  # wholly after today: said
            await _log(store, output="x.jsonl", since="2999-01-01")
        _, personal = await _log(store, output="x.jsonl", include_personal_data=True)
    finally:
        await store.close()
    table = list(csv.reader(io.StringIO(by_source)))
    assert table[0] == list(DECISION_COLUMNS)
    assert [row[DECISION_COLUMNS.index("source")] for row in table[1:]] == ["forum"]
    assert [json.loads(x)["decision"] for x in by_status.splitlines()] == ["trash", "trash"]
    assert earlier == ""  # --until is the decision's time: none before 2000
    assert "piet@example.nl" in personal


@pytest.mark.parametrize(
    ("output", "flag", "form"),
    [
        ("log.csv", None, "csv"),
        ("log.JSONL", None, "jsonl"),
        ("log.json", None, "jsonl"),
        (None, None, "csv"),
        ("log.txt", "jsonl", "jsonl"),
        ("log.csv", "jsonl", "jsonl"),
    ],
)
def test_the_form_by_extension_or_flag(output, flag, form):
    assert form_for(output, flag) == form


def test_the_command_line_writes_the_log_and_refuses_an_unknown_extension(
    tmp_path: Path, cli_isolated, utc
):
    import asyncio

    db = tmp_path / "m.db"

    async def fill() -> None:
        store, _ = await _decided(db)
        await store.close()

    asyncio.run(fill())
    out = tmp_path / "redenen.csv"
    code, _stdout, err = run_main(
        ["export", "--format", "decisions", "--db", str(db), "-o", str(out)]
    )
    assert code == 0, err
    assert "4 decisions written" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(DECISION_COLUMNS) and len(lines) == 5
    code, _stdout, err = run_main(
        ["export", "--format", "decisions", "--db", str(db), "-o", str(tmp_path / "log.txt")]
    )
    assert code == 2
    assert "--as csv|jsonl" in err and "Traceback" not in err
    code, stdout, err = run_main(
        ["export", "--format", "decisions", "--db", str(db), "--as", "jsonl"]
    )
    assert code == 0 and len(stdout.splitlines()) == 4
    code, _stdout, err = run_main(["export", "--format", "csv", "--db", str(db), "--as", "jsonl"])
    assert code == 2 and "--as is for --format decisions" in err


async def test_the_log_says_where_each_write_back_stands(store_target):
    """Found on a real WordPress site (trywp): a hold the site never took (the comment was
    trashed there first: a conflict) stood in the log as any other decision, a statement
    of reasons for a restriction that did not happen. Each line says its write-back's
    state: done, pending, conflict, failed, cancelled (undone before it was sent), or
    nothing when there was nothing to send."""
    store, rid = await _decided(store_target)
    try:
        items = {i.response_id: i for i in await store.outbox_items(limit=20)}
        await store.outbox_done(items[rid["a"]].id, remote_status=TRASH)
        await store.outbox_fail(items[rid["f"]].id, error="trashed on the site", conflict=True)
        await store.moderate([rid["d"]], RemoteStatus.APPROVED, actor="anna")  # so already
        _, text = await _log(store, output="log.jsonl")
        _, table = await _log(store, output="log.csv")
    finally:
        await store.close()
    rows = [json.loads(line) for line in text.splitlines()]
    assert [(r["response"], r["write_back"]) for r in rows] == [
        ("a", "done"),
        ("b", "cancelled"),
        ("c", "pending"),
        ("f", "conflict"),
        ("d", ""),
    ]
    header, *lines = list(csv.reader(io.StringIO(table)))
    assert [line[header.index("write_back")] for line in lines] == [r["write_back"] for r in rows]
