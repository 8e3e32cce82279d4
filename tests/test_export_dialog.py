"""Export from the app: ``E`` opens the dialog, the report is written in a worker, the
path is notified (never as markup); the file is checked row by row."""

from __future__ import annotations

import csv
import json

import pytest
from helpers.app import SIZE, app_on_memory, settled
from textual.widgets import Checkbox, Input

from reactieveld.reports.fields import CSV_COLUMNS
from reactieveld.tui.app import ReactieveldApp
from reactieveld.tui.screens.export import ExportScreen
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("utc")


def capture_notes(app: ReactieveldApp) -> list[tuple[str, dict]]:
    notes: list[tuple[str, dict]] = []
    real = app.notify

    def notify(message: str, **kw):  # type: ignore[no-untyped-def]
        notes.append((message, kw))
        return real(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    return notes


async def open_app(tmp_path, monkeypatch, language="nl") -> tuple[ReactieveldApp, dict]:
    monkeypatch.chdir(tmp_path)
    return await app_on_memory(tmp_path, monkeypatch, language)


async def test_E_exports_everything_as_csv_redacted_to_the_current_directory(tmp_path, monkeypatch):
    app, ids = await open_app(tmp_path, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await app.screen.queue.loaded.wait()
        notes = capture_notes(app)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        path_box = dialog.query_one("#export-path", Input)
        assert path_box.value.startswith(str(tmp_path / "reactieveld-rapport-"))
        assert path_box.value.endswith(".md")
        # Defaults: everything, personal data left out.
        assert dialog.query_one("#export-queue", Checkbox).value is False
        assert dialog.query_one("#export-personal", Checkbox).value is False
        await pilot.click("#fmt-csv")
        await pilot.pause()
        assert path_box.value.endswith(".csv")  # the default name follows the format
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
        [report] = tmp_path.glob("reactieveld-rapport-*.csv")
        assert str(report) == path_box.value
        with report.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == CSV_COLUMNS
        by = {
            row[CSV_COLUMNS.index("external_id")]: dict(zip(CSV_COLUMNS, row, strict=True))
            for row in rows[1:]
        }
        # Spam (r4) and trash (r8) are no input for policy; every other response is there.
        assert sorted(by) == ["r1", "r2", "r3", "r5", "r6", "r7", "r9"]
        assert by["r1"]["author"] == "A.d.V."
        text = report.read_text(encoding="utf-8")
        for personal in ("anne@example.nl", "06-12345678", "1251 AB 12", "Anne de Vries"):
            assert personal not in text
        [(message, kw)] = [n for n in notes if str(report) in n[0]]
        assert kw.get("markup") is False and message == f"7 reacties geschreven naar {report}"


async def test_E_exports_the_current_queue_as_jsonl_with_personal_data(tmp_path, monkeypatch):
    app, ids = await open_app(tmp_path, monkeypatch, language="en")
    (tmp_path / "out").mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await triage.queue.loaded.wait()
        await triage.show_queue("hold")  # the On hold tab: r7 only
        await settled(pilot)
        notes = capture_notes(app)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        await pilot.click("#fmt-jsonl")
        await pilot.click("#export-queue")
        await pilot.click("#export-personal")
        await pilot.click("#export-path")
        # Typed letters are the file name, not the app's keys (D dashboard, E export).
        await pilot.press("ctrl+shift+a", "backspace", *"out/Dossier-E.jsonl")
        assert app.screen is dialog
        assert dialog.query_one("#export-path", Input).value == "out/Dossier-E.jsonl"
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is triage
        target = tmp_path / "out" / "Dossier-E.jsonl"
        lines = target.read_text(encoding="utf-8").splitlines()
        [record] = [json.loads(line) for line in lines]
        assert record["external_id"] == "r7" and record["id"] == ids["r7"]
        assert record["author"]["name"] == "Eva Visser"
        assert "020-1234567" in record["body"]
        assert record["redacted"] is False
        assert any(str(target) in message and kw.get("markup") is False for message, kw in notes)
        assert not list((tmp_path / "out").glob(".reactieveld-*"))  # no temporary file left


async def test_export_dialog_refuses_a_missing_directory_and_escape_cancels(tmp_path, monkeypatch):
    app, _ = await open_app(tmp_path, monkeypatch, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-path", Input).value = "nowhere/report.md"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "No such directory" in str(dialog.query_one("#export-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
    assert not list(tmp_path.glob("reactieveld-rapport-*"))


def _statuses_on_screen(app: ReactieveldApp, language: str) -> set[str]:
    """The statuses the dialog says the file will hold, read from the screen's characters
    ("Only with status: approved, on hold, hidden"), as status values."""
    from helpers.app import screen_text

    from reactieveld.i18n import I18n
    from reactieveld.model import RemoteStatus

    i18n = I18n(language)
    label = i18n.t("export.statuses", statuses="")
    [line] = [line for line in screen_text(app) if label in line]
    names = line.split(label, 1)[1].strip(" █▌▐").split(", ")
    by_name = {i18n.status(s): s.value for s in RemoteStatus}
    return {by_name[name] for name in names}


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_dialog_says_which_statuses_the_file_holds(tmp_path, monkeypatch, language):
    """On every queue tab, with and without "only the current queue", at 80x24: the
    statuses the dialog names are those of the CSV it writes, and every response of the
    queue (or the memory) with such a status is in it, counted from the store's rows
    (the New tab shows the untriaged spam and trash too; the file leaves them out)."""
    import sqlite3

    from helpers.app import SMALL

    from reactieveld.tui.queues import QUEUES

    app, _ = await open_app(tmp_path, monkeypatch, language=language)
    with sqlite3.connect(tmp_path / "m.db") as db:
        stored = db.execute("SELECT external_id, remote_status, triage FROM responses").fetchall()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await triage.queue.loaded.wait()
        for queue in QUEUES:
            await triage.show_queue(queue)
            await settled(pilot)
            for use_queue in (False, True):
                await pilot.press("E")
                await pilot.pause()
                dialog = app.screen
                assert isinstance(dialog, ExportScreen)
                await pilot.click("#fmt-csv")
                dialog.query_one("#export-queue", Checkbox).value = use_queue
                await pilot.pause()
                named = _statuses_on_screen(app, language)
                target = tmp_path / f"{queue}-{use_queue}.csv"
                dialog.query_one("#export-path", Input).value = str(target)
                await pilot.press("ctrl+s")
                await settled(pilot)
                assert app.screen is triage
                with target.open(newline="", encoding="utf-8") as fh:
                    rows = list(csv.DictReader(fh))
                members = [
                    (ext, status)
                    for ext, status, state in stored
                    if not use_queue
                    or queue == "all"
                    or (queue == "new" and state == "new")
                    or status == queue
                ]
                wanted = sorted(ext for ext, status in members if status in named)
                assert sorted(r["external_id"] for r in rows) == wanted, (queue, use_queue)
                assert {r["remote_status"] for r in rows} <= named
                if not use_queue or queue in ("new", "all"):
                    assert not named & {"spam", "trash"}, (queue, use_queue, named)
                else:
                    assert named == {queue}, (queue, use_queue, named)


def _dialog_line(app: ReactieveldApp, text: str) -> bool:
    """Whether ``text`` stands whole on one row of the 80x24 screen."""
    from helpers.app import screen_text

    return any(text in row for row in screen_text(app))


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_name_that_says_another_format_is_said_and_not_written(
    tmp_path, monkeypatch, language
):
    """At 80x24, every format x extension typed in the name box: a name whose extension
    says another format gets one line under it at once (what it says, the extension that
    fits, the format that fits) and ctrl+s writes nothing; a name that fits, or says no
    format, is written as it stands, in the chosen format."""
    from helpers.app import SMALL

    from reactieveld.i18n import I18n

    t = I18n(language).t
    kinds = {fmt: t(f"export.kind.{fmt}") for fmt in ("md", "csv", "jsonl")}
    app, _ = await open_app(tmp_path, monkeypatch, language=language)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        triage = app.screen
        await triage.queue.loaded.wait()
        for fmt in ("md", "csv", "jsonl"):
            for ext in ("md", "csv", "jsonl", "json", "txt"):
                says = {"json": "jsonl", "txt": None}.get(ext, ext)
                await pilot.press("E")
                await pilot.pause()
                dialog = app.screen
                assert isinstance(dialog, ExportScreen)
                await pilot.click(f"#fmt-{fmt}")
                name = f"rapport-{fmt}-{ext}.{ext}"
                dialog.query_one("#export-path", Input).value = name  # as typed (typing: below)
                await pilot.pause()
                if says is not None and says != fmt:
                    line = t(
                        "export.name_clash",
                        ext=ext,
                        kind=kinds[fmt],
                        want=fmt,
                        other=kinds[says],
                    )
                    assert _dialog_line(app, line), (fmt, ext)  # said before writing
                    await pilot.press("ctrl+s")
                    await settled(pilot)
                    assert app.screen is dialog and _dialog_line(app, line), (fmt, ext)
                    assert not (tmp_path / name).exists()
                    await pilot.press("escape")
                    await pilot.pause()
                    assert app.screen is triage
                    continue
                assert str(dialog.query_one("#export-error").render()) == "", (fmt, ext)
                await pilot.press("ctrl+s")
                await settled(pilot)
                assert app.screen is triage, (fmt, ext)
                text = (tmp_path / name).read_text(encoding="utf-8")
                first = text.splitlines()[0]
                assert first.startswith({"md": "#", "csv": "id,", "jsonl": "{"}[fmt]), first


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_name_follows_the_format_until_it_says_another(tmp_path, monkeypatch, language):
    """A typed name that ends in the chosen format's extension follows the next format
    chosen (rapport.md, CSV: rapport.csv); one that says another format stays, with its
    line, until the format fits it (then the line goes) or the name is changed."""
    from helpers.app import SMALL

    from reactieveld.i18n import I18n

    t = I18n(language).t
    app, _ = await open_app(tmp_path, monkeypatch, language=language)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        box = dialog.query_one("#export-path", Input)
        await pilot.click("#export-path")
        await pilot.press("ctrl+shift+a", "backspace", *"out.d/rapport.md")
        for fmt in ("csv", "jsonl", "md", "jsonl"):
            await pilot.click(f"#fmt-{fmt}")
            await pilot.pause()
            assert box.value == f"out.d/rapport.{fmt}"
            assert str(dialog.query_one("#export-error").render()) == ""
        # Typed with another format's extension: said, and it stays when the format changes.
        await pilot.click("#export-path")
        await pilot.press("ctrl+shift+a", "backspace", *"rapport.csv")
        await pilot.pause()
        clash = t(
            "export.name_clash",
            ext="csv",
            kind=t("export.kind.jsonl"),
            want="jsonl",
            other=t("export.kind.csv"),
        )
        assert _dialog_line(app, clash)
        await pilot.click("#fmt-md")
        await pilot.pause()
        assert box.value == "rapport.csv"
        assert _dialog_line(
            app, clash.replace(t("export.kind.jsonl"), "Markdown").replace(".jsonl", ".md")
        )
        await pilot.click("#fmt-csv")  # the format that fits the name: the line goes
        await pilot.pause()
        assert box.value == "rapport.csv" and not _dialog_line(app, clash)
        assert str(dialog.query_one("#export-error").render()) == ""
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert (tmp_path / "rapport.csv").read_text(encoding="utf-8").startswith("id,")


def _nested(line: str) -> bool:
    depth = 0
    for char in line:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 1:
            return True
    return False


_PERIOD = {
    "nl": "- Periode: alles (elke reactie in het geheugen)\n",
    "en": "- Period: all (every response in the memory)\n",
}


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_markdown_reports_notice_and_header_say_it_plainly(
    tmp_path, monkeypatch, language
):
    """E then ctrl+s (Markdown): the notice is export's own line, without brackets in
    brackets (it read "Rapport geschreven (292 reacties met een planningsvraag (375 citaten
    onder 8 vragen)): ..."); the report's period over the whole memory says "alles"/"all"
    (it said "geen" beside "binnengekomen in de periode") and its status line starts with
    a capital as its other lines do."""
    app, ids = await open_app(tmp_path, monkeypatch, language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        notes = capture_notes(app)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+s")
        await settled(pilot)
        [report] = tmp_path.glob("*.md")
        [(message, _)] = [n for n in notes if str(report) in n[0]]
        assert not _nested(message), message
        assert message.endswith(f" {report}") and message[0].isdigit(), message
        text = report.read_text(encoding="utf-8")
        assert _PERIOD[language] in text
        assert [x for x in text.splitlines() if x.startswith("- Status: ")], text
