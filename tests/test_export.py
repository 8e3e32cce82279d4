"""Reports: JSON Lines, CSV and Markdown, field by field, on the fixed memory."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import re

import pytest
from helpers.cli import export_args
from reportdata import T0, D, H, build

from reactieveld.cli_read import export_options, run_export_command
from reactieveld.model import Page, RemoteStatus, Response
from reactieveld.read.records import iter_rows
from reactieveld.reports.fields import CSV_COLUMNS
from reactieveld.reports.formats import ExportOptions, write_csv, write_jsonl, write_markdown
from reactieveld.store.base import QueueFilter

pytestmark = pytest.mark.usefixtures("utc")


CONFIG = argparse.Namespace(ui=argparse.Namespace(language="nl"))  # the default codebook, Dutch


async def jsonl(store, **kw):
    out = io.StringIO()
    await write_jsonl(store, export_options(CONFIG, export_args(**kw)), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_jsonl_field_by_field(memory):
    store, ids = memory
    recs = await jsonl(store)
    # Spam (r4) and trash (r8) are not in a report; oldest first.
    assert [r["external_id"] for r in recs] == ["r1", "r2", "r3", "r5", "r6", "r7", "r9"]
    r1 = recs[0]
    assert r1 == {
        "id": ids["r1"],
        "source": "blog",
        "external_id": "r1",
        "url": "https://blog.example/t1#r1",
        "thread": {
            "external_id": "t1",
            "title": "Nieuw centrumplan Laren",
            "url": "https://blog.example/t1",
        },
        "parent_external_id": None,
        "created_at": "2026-03-02T12:00:00Z",
        "updated_at": None,
        "remote_status": "approved",
        "triage": "new",
        "author": {"name": "A.d.V.", "key": None, "url": None},
        "body": "Het parkeren bij de Brink is een probleem. Mail mij op [e-mail] of bel "
        "[telefoonnummer].",
        "body_raw": "<p>Het parkeren bij de Brink is een probleem. Mail mij op [e-mail] of "
        "bel [telefoonnummer].</p>",
        "body_format": "html",
        "questions": [
            {
                "code": "1",
                "label": "Welke doelen dient de dialoog?",
                "codebook_version": "default-1",
                "tagged_at": "2026-03-02T13:00:00Z",
                "actor": "moderator",
            },
            {
                "code": "2",
                "label": "Voor welke inhoudelijke onderwerpen zetten we de dialoog wel of niet in?",
                "codebook_version": "default-1",
                "tagged_at": "2026-03-02T13:01:00Z",
                "actor": "moderator",
            },
        ],
        "role": None,
        "role_hint": None,
        "notes": [],
        "provenance": {
            "source": "blog",
            "source_type": "demo",
            "source_url": None,
            "external_id": "r1",
            "url": "https://blog.example/t1#r1",
            "fetched_at": "2026-03-02T11:00:00Z",
        },
        "redacted": True,
    }
    r3 = recs[2]
    assert r3["body"] == "Meer groen in het centrumplan graag. Mijn adres: [adres] in Laren."
    assert r3["role"] == {
        "code": "burger",
        "label": "Burger",
        "codebook_version": "default-1",
        "tagged_at": "2026-03-02T18:00:00Z",
        "actor": "moderator",
    }
    assert r3["notes"] == [
        {"text": "Bellen op [telefoonnummer]", "actor": "moderator",
         "created_at": "2026-03-02T18:00:00Z"}
    ]  # fmt: skip
    r2 = recs[1]
    assert r2["role"]["code"] == "organisatie" and r2["role"]["actor"] == "connector"
    assert r2["parent_external_id"] == "r1" and r2["triage"] == "handled"
    assert recs[4]["author"]["name"] == "D.B."
    assert recs[3]["body"].endswith("bel [telefoonnummer].")  # +31 6 1234 5678
    assert recs[5]["body"].endswith("nummer is [telefoonnummer].")  # 020-1234567
    assert recs[6]["body"] == "Een losse vraag zonder draad over afval, via [telefoonnummer]."
    assert recs[6]["thread"] == {"external_id": None, "title": None, "url": None}


async def test_include_personal_data_turns_redaction_off(memory):
    store, _ = memory
    recs = {r["external_id"]: r for r in await jsonl(store, include_personal_data=True)}
    r1, r3 = recs["r1"], recs["r3"]
    assert r1["author"]["name"] == "Anne de Vries"
    assert len(r1["author"]["key"]) == 32  # the keyed hash, never the address
    assert "anne@example.nl" in r1["body"] and "06-12345678" in r1["body"]
    assert "1251 AB 12" in r3["body"]
    assert r3["notes"][0]["text"] == "Bellen op 06 98765432"
    assert r1["redacted"] is False
    dumped = json.dumps(list(recs.values()))
    assert "anne@example.nl" in dumped  # in the body only: the author's address is not kept
    assert "carla@example.nl" not in dumped


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"question": ["2"]}, ["r1", "r5"]),
        ({"question": ["1"], "role": ["burger"]}, ["r3"]),
        ({"role": ["burger", "ambtenaar"]}, ["r3", "r6", "r7"]),
        ({"source": ["forum"], "since": "2026-03-03", "until": "2026-03-03"}, ["r5", "r6"]),
        ({"until": "2026-03-02"}, ["r1", "r2", "r3"]),
        ({"status": ["spam", "trash"]}, ["r4", "r8"]),
        ({"status": ["hold"]}, ["r7"]),
    ],
)
async def test_filters(memory, kw, expected):
    store, _ = memory
    assert [r["external_id"] for r in await jsonl(store, **kw)] == expected


async def test_csv_field_by_field(memory):
    store, ids = memory
    # A formula in a comment must not run in a spreadsheet.
    await store.upsert_page(
        "blog",
        Page(
            responses=[
                Response("blog", "r10", "t1", "=cmd|' /C calc'!A0", '=HYPERLINK("http://x")',
                         T0 + 4 * D)
            ]
        ),
    )  # fmt: skip
    out = io.StringIO()
    await write_csv(store, export_options(CONFIG, export_args(format="csv")), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    by = {row[3]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert list(by) == ["r1", "r2", "r3", "r5", "r6", "r7", "r9", "r10"]
    r3 = by["r3"]
    assert r3 == {
        "id": str(ids["r3"]),
        "source": "blog",
        "source_type": "demo",
        "external_id": "r3",
        "url": "https://blog.example/t1#r3",
        "thread_external_id": "t1",
        "thread_title": "Nieuw centrumplan Laren",
        "thread_url": "https://blog.example/t1",
        "parent_external_id": "",
        "created_at": "2026-03-02T15:00:00Z",
        "updated_at": "",
        "fetched_at": "2026-03-02T11:00:00Z",
        "remote_status": "approved",
        "triage": "new",
        "author": "B.J.",
        "author_key": "",
        "author_url": "",
        "role": "burger",
        "role_label": "Burger",
        "role_hint": "",
        "questions": "1",
        "question_labels": "Welke doelen dient de dialoog?",
        "codebook_versions": "default-1",
        "body": "Meer groen in het centrumplan graag. Mijn adres: [adres] in Laren.",
        "notes": "Bellen op [telefoonnummer]",
    }
    assert by["r1"]["questions"] == "1;2"
    assert by["r10"]["body"] == '\'=HYPERLINK("http://x")'
    assert by["r10"]["author"] == "C.C.C.A."  # initials of "=cmd|' /C calc'!A0"


async def test_markdown_report(memory):
    store, _ = memory
    # A hostile comment tagged with question 3: nothing in it may become Markdown.
    await store.upsert_page(
        "forum",
        Page(
            responses=[
                Response("forum", "r11", "f1", "Mallory", "# Kop\n[klik](javascript:alert(1)) "
                         "<script>x</script> **vet** \x1b[31mrood", T0 + 2 * D + 2 * H)
            ]
        ),
    )  # fmt: skip
    row = await store.get_by_external("forum", "r11")
    await store.toggle_question([row.response.id], "3", actor="m")
    out = io.StringIO()
    n = await write_markdown(store, export_options(CONFIG, export_args(format="md")), out)
    md = out.getvalue()
    assert n == 3 + 2 + 1  # q1: r1 r3 r6; q2: r1 r5; q3: r11
    assert md.startswith("# Reacties per planningsvraag\n")
    assert "- Codeboek: default-1\n" in md
    assert "- Filters: geen\n" in md
    assert "- Status: goedgekeurd, in afwachting, verborgen\n" in md  # in the report's language
    assert "- Persoonsgegevens: verwijderd" in md
    assert "- 3 reacties zonder planningsvraag vallen buiten dit rapport." in md
    q1 = md[md.index("## 1. Welke doelen") : md.index("## 2.")]
    assert "**3 reacties**" in q1
    assert "| Burger | 1 |\n| Ambtenaar | 1 |\n| onbekend | 1 |\n" in q1
    quotes = [line for line in q1.splitlines() if line.startswith("> — ")]
    assert quotes == [
        "> — A.d.V., blog, 2026-03-02, [Nieuw centrumplan Laren](https://blog.example/t1#r1)",
        "> — B.J. (Burger), blog, 2026-03-02, [Nieuw centrumplan Laren](https://blog.example/t1#r3)",  # noqa: E501
        "> — D.B. (Ambtenaar), forum, 2026-03-03, [Zwembad De Biezem](https://forum.example/f1#r6)",  # noqa: E501
    ]
    assert "> Het parkeren bij de Brink is een probleem. Mail mij op \\[e-mail\\]" in q1
    q3 = md[md.index("## 3.") : md.index("## 4.")]
    assert "> \\# Kop\n> \\[klik\\](javascript:alert(1)) \\<script\\>x\\</script\\> \\*\\*vet" in q3
    assert "\x1b" not in md
    assert "## 4. In welke bedrijfsprocessen" in md
    assert "_Geen reacties bij deze vraag._" in md[md.index("## 4.") : md.index("## 5.")]
    assert md.rstrip().endswith("Tags gemaakt met codeboekversie: default-1")


async def test_markdown_english_and_one_question(memory):
    store, _ = memory
    config = argparse.Namespace(ui=argparse.Namespace(language="en"))
    out = io.StringIO()
    opts = export_options(
        config, export_args(format="md", question=["2"], include_personal_data=True)
    )
    await write_markdown(store, opts, out)
    md = out.getvalue()
    assert "## 2. On which topics do we (not) use dialogue?" in md
    assert "## 1." not in md and "without a planning question" not in md
    assert "- Filters: `--question 2`\n" in md
    assert "> — Anne de Vries, blog" in md and "> — Carla van den Berg, forum" in md
    assert "| unknown | 2 |" in md


async def test_streaming_pages(memory):
    store, _ = memory
    limits = []
    real = store.queue

    async def spy(flt, **kw):
        limits.append(kw["limit"])
        return await real(flt, **kw)

    store.queue = spy
    seen = []
    async for rows in iter_rows(store, QueueFilter(), page_size=2):
        assert len(rows) <= 2
        seen += [r.response.external_id for r in rows]
    assert seen == ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r9", "r8"]
    assert set(limits) == {2} and len(limits) == 5


def test_export_command_to_file_and_errors(tmp_path, monkeypatch, capsys):
    async def make():
        store, _ = await build(tmp_path / "m.db", monkeypatch)
        await store.close()

    asyncio.run(make())
    target = tmp_path / "rapport.md"
    code = run_export_command(
        CONFIG, tmp_path / "m.db", export_args(format="md", output=str(target))
    )
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# Reacties per planningsvraag")
    # Five quotes (r1 under questions 1 and 2) of four responses: the line tells them apart;
    # in the report's language (one rule for both: it was English beside a Dutch report).
    assert (
        capsys.readouterr().err == "4 reacties met een planningsvraag (5 citaten onder 2 vragen) "
        f"geschreven naar {target}\n"
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reactieveld-")] == []
    target = tmp_path / "r.csv"
    assert (
        run_export_command(CONFIG, tmp_path / "m.db", export_args(format="csv", output=str(target)))
        == 0
    )
    assert target.read_bytes().count(b"\r\n") == 8  # header + 7 rows, CRLF as RFC 4180
    assert run_export_command(CONFIG, tmp_path / "m.db", export_args(question=["9"])) == 2
    assert run_export_command(CONFIG, tmp_path / "m.db", export_args(role=["koning"])) == 2
    assert run_export_command(CONFIG, tmp_path / "m.db", export_args(since="gisteren")) == 2
    assert run_export_command(CONFIG, tmp_path / "nope.db", export_args()) == 2
    err = capsys.readouterr().err
    # In the report's language (CONFIG's [ui] language: Dutch), as the report itself.
    assert "--question 9: geen planningsvraag" in err and "--role koning: geen rol" in err
    assert "--since 'gisteren': geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld" in err
    assert f"geen geheugen gevonden op {tmp_path / 'nope.db'}" in err


def test_options_defaults():
    opts = ExportOptions()
    assert opts.filter.statuses == (RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.HIDDEN)


def test_the_reactieveld_command(tmp_path, monkeypatch, capsys):
    """The subcommands are reachable through the real entry point (and bad input exits 2)."""
    from reactieveld.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)

    async def make():
        store, _ = await build(tmp_path / "m.db", monkeypatch)
        await store.close()

    asyncio.run(make())
    db = str(tmp_path / "m.db")
    out = tmp_path / "x.jsonl"
    assert (
        main(["export", "--format", "jsonl", "--role", "burger", "-o", str(out), "--db", db]) == 0
    )
    assert [json.loads(x)["external_id"] for x in out.read_text().splitlines()] == ["r3", "r7"]
    capsys.readouterr()
    stats = ["stats", "--until", "2026-03-04", "--days", "3"]  # the memory's three days
    assert main(["--db", db, "--lang", "en", *stats]) == 0
    out = capsys.readouterr().out
    assert "Responses from outside the organisation answered: 2 / 5 (40%)" in out
    assert main(["--db", db, "search", "parkeren", "bron:blog"]) == 0
    text = capsys.readouterr().out
    assert text.count("parkeren") == 2 and "forum" not in text
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "export", "--format", "pdf"])
    assert exc.value.code == 2


async def _tally_from_the_store(store) -> tuple[int, int, int]:
    """A report's responses, quotes and questions a second way: every reported response's
    own question tags, read record by record (not the report's per-question counts)."""
    from reactieveld.read.records import iter_records
    from reactieveld.reports.formats import REPORT_STATUSES

    responses = quotes = 0
    questions: set[str] = set()
    async for rec in iter_records(store, QueueFilter(statuses=REPORT_STATUSES)):
        codes = {q.code for q in rec.extra.questions}
        responses += bool(codes)
        quotes += len(codes)
        questions |= codes
    return responses, quotes, len(questions)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "en",
            "{r} responses with a planning question ({q} quotes under {n} questions) "
            "written to {path}",
        ),
        (
            "nl",
            "{r} reacties met een planningsvraag ({q} citaten onder {n} vragen) "
            "geschreven naar {path}",
        ),
    ],
)
async def test_the_export_line_counts_responses_and_quotes_apart(memory, tmp_path, language, line):
    from reactieveld.reports.formats import write_report_file

    store, ids = memory
    # r5 gets a third question: one response more quotes, the response counted once.
    await store.toggle_question([ids["r5"]], "4", actor="m")
    responses, quotes, questions = await _tally_from_the_store(store)
    assert (responses, quotes, questions) == (4, 6, 3)
    config = argparse.Namespace(ui=argparse.Namespace(language=language))
    target = tmp_path / "r1.md"
    written = await write_report_file(
        store, export_options(config, export_args(format="md")), target
    )
    assert written.line(target.name, language) == line.format(
        r=responses, q=quotes, n=questions, path="r1.md"
    )
    assert target.read_text(encoding="utf-8").count("\n> — ") == quotes


def test_the_export_line_in_the_singular_and_for_csv_and_decisions():
    from reactieveld.reports.formats import Written

    assert Written(1, quotes=1, questions=1).line("a.md", "en") == (
        "1 response with a planning question (1 quote under 1 question) written to a.md"
    )
    assert Written(1, quotes=1, questions=1).line("a.md", "nl") == (
        "1 reactie met een planningsvraag (1 citaat onder 1 vraag) geschreven naar a.md"
    )
    assert Written(7).line("r.csv", "en") == "7 responses written to r.csv"
    assert Written(4, decisions=True).line("r.csv", "nl") == "4 beslissingen geschreven naar r.csv"


def _memory_db(tmp_path, monkeypatch) -> str:
    async def make():
        store, _ = await build(tmp_path / "m.db", monkeypatch)
        await store.close()

    asyncio.run(make())
    return str(tmp_path / "m.db")


@pytest.mark.parametrize("fmt", ["md", "csv", "jsonl", "decisions"])
@pytest.mark.parametrize("where", ["folder", "folder/", "sub", ".", "~", "~/"])
def test_export_to_a_directory_is_refused_in_one_line(tmp_path, monkeypatch, capsys, fmt, where):
    """``--output`` naming a directory (any spelling of one) exits 2 with one line that
    names the flag and asks for a file name: no traceback, no file left behind."""
    from reactieveld.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    db = _memory_db(tmp_path, monkeypatch)
    (tmp_path / "sub").mkdir()
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    output = where.replace("folder", str(tmp_path))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    capsys.readouterr()
    form = ["--as", "jsonl"] if fmt == "decisions" else []  # its form not from the name
    assert main(["--db", db, "export", "--format", fmt, *form, "-o", output]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"reactieveld: --output {output}: is a directory; give a file name")
    assert sorted(p.name for p in tmp_path.rglob("*") if not p.name.startswith("m.db")) == [
        n for n in before if not n.startswith("m.db")
    ]


@pytest.mark.parametrize("fmt", ["md", "csv", "jsonl", "decisions"])
def test_output_dash_is_stdout(tmp_path, monkeypatch, capsys, fmt):
    """``-o -`` (the shell's way to say "to the pipe") wrote a file named "-" in the
    current directory and said "written to -": it is the standard output, as without
    ``--output``."""
    from reactieveld.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    db = _memory_db(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["--db", db, "export", "--format", fmt]) == 0
    plain = capsys.readouterr()
    assert main(["--db", db, "export", "--format", fmt, "-o", "-"]) == 0
    dashed = capsys.readouterr()
    assert not (tmp_path / "-").exists()
    assert dashed.err == plain.err == ""
    # The same report (its "made on" minute aside).
    made = re.compile(r"(?m)^- (Gemaakt op|Made on): .*$")
    assert made.sub("", dashed.out) == made.sub("", plain.out) and plain.out


@pytest.mark.parametrize(
    "error",
    [
        OSError(28, "No space left on device"),
        PermissionError(13, "Permission denied"),
        OSError(30, "Read-only file system"),
    ],
)
def test_a_report_that_cannot_be_written_is_said_in_one_line(tmp_path, monkeypatch, capsys, error):
    """A failure writing the file (a full disk, no permission) exits 2 with one line that
    names --output and the reason; the temporary file is gone and nothing is in place."""
    from reactieveld.cli import main
    from reactieveld.reports import formats

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    db = _memory_db(tmp_path, monkeypatch)

    def fail(fd: int) -> None:
        raise error

    monkeypatch.setattr(formats.os, "fsync", fail)
    target = tmp_path / "r.csv"
    capsys.readouterr()
    assert main(["--db", db, "export", "--format", "csv", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"reactieveld: --output {target}: cannot write the report ({error.strerror});"
        " choose another file\n"
    )
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reactieveld-")] == []


#: (the flags of what is written, the format of the file it makes)
WRITTEN = [
    (["--format", "md"], "md"),
    (["--format", "csv"], "csv"),
    (["--format", "jsonl"], "jsonl"),
    (["--format", "decisions", "--as", "csv"], "csv"),
    (["--format", "decisions", "--as", "jsonl"], "jsonl"),
]
#: File name extensions and the format each says (None: no format's).
EXTENSIONS = {
    "md": "md",
    "markdown": "md",
    "MD": "md",
    "csv": "csv",
    "jsonl": "jsonl",
    "json": "jsonl",
    "ndjson": "jsonl",
    "txt": None,
    "": None,
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_output_name_that_says_another_format_is_refused_in_one_line(
    tmp_path, monkeypatch, capsys, language
):
    """Every format x extension: ``--format md --output x.jsonl`` exits 2 with one line
    (the name, what it would hold, the name that fits, the flag that fits) and writes
    nothing; a name that fits, or says no format (``x.txt``, ``x``), is written."""
    from reactieveld.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    db = _memory_db(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    kinds = {"md": "Markdown", "csv": "CSV", "jsonl": "JSON Lines"}
    for flags, fmt in WRITTEN:
        for ext, says in EXTENSIONS.items():
            name = f"uit-{len(list(tmp_path.iterdir()))}" + (f".{ext}" if ext else "")
            capsys.readouterr()
            code = main(["--db", db, "--lang", language, "export", *flags, "-o", name])
            err = capsys.readouterr().err
            assert "Traceback" not in err and err.count("\n") == 1, (flags, name, err)
            if says is None or says == fmt:
                assert code == 0 and (tmp_path / name).is_file(), (flags, name, err)
                continue
            assert code == 2 and not (tmp_path / name).exists(), (flags, name, err)
            fixed = name.rsplit(".", 1)[0] + f".{fmt}"
            if language == "en":
                line = f"reactieveld: --output {name}: a .{ext} name for {kinds[fmt]}; "
                line += f"name it {fixed}"
            else:
                line = f"reactieveld: --output {name}: een .{ext}-naam voor {kinds[fmt]}; "
                line += f"noem het {fixed}"
            flag = "--as" if "decisions" in flags else "--format"
            if not (flag == "--as" and says == "md"):  # the log is no Markdown
                line += " or give " if language == "en" else " of geef "
                line += f"{flag} {says}"
            assert err == line + "\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "csv", "--until", "9999-12-31"],
        ["export", "--format", "md", "--until", "9999-12-31T23:00-05:00"],
        ["export", "--format", "md", "--since", "0001-01-01T00:00+05:00"],
        ["export", "--format", "decisions", "--until", "9999-12-31"],
        ["agreement", "--until", "9999-12-31"],
        ["search", "afval", "--until", "9999-12-31"],
        ["search", "tot:9999-12-31"],
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_date_off_the_calendar_is_one_line_and_exit_2(
    tmp_path, monkeypatch, capsys, argv, language
):
    """'--until 9999-12-31' is a date, but not its end (the next day's 00:00): export,
    agreement and search ended in Python's OverflowError."""
    from reactieveld.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("REACTIEVELD_CONFIG", raising=False)
    db = _memory_db(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["--db", db, "--lang", language, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert ("(jaar 1 tot en met 9999)" if language == "nl" else "(years 1 to 9999)") in captured.err
