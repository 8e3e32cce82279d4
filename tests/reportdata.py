"""A small fixed memory for the search, export, stats, sink and dashboard tests.

Every figure the tests assert is computed by hand from the table below; the moderator's
actions run at chosen moments (the store's clock is patched), so the times are exact.

    id  source thread  at        author            role tag (how)       status  questions
    r1  blog   t1      T0        Anne de Vries     -                     approved 1, 2
    r2  blog   t1      T0+2h     Gemeente BEL      organisatie (hint)    approved -
    r3  blog   t1      T0+3h     Bram Jansen       burger (moderator)    approved 1
    r4  blog   t1      T0+1d     Spammer           -                     spam     1
    r5  forum  f1      T0+1d     Carla van den Berg -                    approved 2
    r6  forum  f1      T0+1d+6h  Daan Bakker       ambtenaar (moderator) approved 1
    r7  forum  f1      T0+2d     Eva Visser        burger (over hint)    hold     -
    r8  forum  f1      T0+3d     Fleur Smit        organisatie (hint)    trash    -
    r9  forum  -       T0+2d+1h  Gijs Meijer       -                     approved -

Moderator actions (first one per response, minus arrival): r1 1h, r2 1h, r3 2h, r4 1h,
r5 4h, r6 2h, r7 10h.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.figures import Clock
from helpers.store import resp

from reactieveld.model import Page, RemoteStatus, Response, Source, Thread
from reactieveld.store.sqlite import SqliteStore

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)

BODIES = {
    "r1": "Het parkeren bij de Brink is een probleem. Mail mij op anne@example.nl "
    "of bel 06-12345678.",
    "r2": "Dank voor uw reactie over het parkeren; we nemen het mee.",
    "r3": "Meer groen in het centrumplan graag. Mijn adres: 1251 AB 12 in Laren.",
    "r4": "Koop goedkope horloges [bold]nu[/] op spam.example",
    "r5": "De dialoog over het zwembad verdient een werkgroep, bel +31 6 1234 5678.",
    "r6": "Wij komen hierop terug met de cijfers over parkeren en verkeer.",
    "r7": "Het centrumplan is onduidelijk; mijn vaste nummer is 020-1234567.",
    "r8": "Dit bericht is verwijderd.",
    "r9": "Een losse vraag zonder draad over afval, via 0031 6 12345678.",
}


def _r(
    ext: str,
    source: str,
    thread: str | None,
    at: datetime,
    author: str,
    *,
    status: RemoteStatus = RemoteStatus.APPROVED,
    hint: str | None = None,
    parent: str | None = None,
) -> Response:
    made = resp(
        ext,
        BODIES[ext],
        source=source,
        thread=thread,
        author=author,
        status=status,
        parent=parent,
        email=f"{author.split()[0].lower()}@example.nl",
        role_hint=hint,
    )
    return replace(made, created_at=at, url=f"https://{source}.example/{thread or 'x'}#{ext}")


RESPONSES = {
    "blog": [
        _r("r1", "blog", "t1", T0, "Anne de Vries"),
        _r("r2", "blog", "t1", T0 + 2 * H, "Gemeente BEL", hint="organisatie", parent="r1"),
        _r("r3", "blog", "t1", T0 + 3 * H, "Bram Jansen"),
        _r("r4", "blog", "t1", T0 + D, "Spammer", status=RemoteStatus.SPAM),
    ],
    "forum": [
        _r("r5", "forum", "f1", T0 + D, "Carla van den Berg"),
        _r("r6", "forum", "f1", T0 + D + 6 * H, "Daan Bakker"),
        _r("r7", "forum", "f1", T0 + 2 * D, "Eva Visser", status=RemoteStatus.HOLD, hint="raad"),
        _r("r8", "forum", "f1", T0 + 3 * D, "Fleur Smit", status=RemoteStatus.TRASH, hint="organisatie"),  # noqa: E501
        _r("r9", "forum", None, T0 + 2 * D + H, "Gijs Meijer"),
    ],
}  # fmt: skip
THREADS = {
    "blog": [Thread("blog", "t1", "Nieuw centrumplan Laren", "https://blog.example/t1")],
    "forum": [Thread("forum", "f1", "Zwembad De Biezem", "https://forum.example/f1")],
}


async def build(path: Path, monkeypatch) -> tuple[SqliteStore, dict[str, int]]:  # type: ignore[no-untyped-def]
    """The memory of the table above; returns the store and {"r1": id, ...}."""
    clock = Clock(monkeypatch, T0 - H)
    store = await SqliteStore.open(path)
    for source, responses in RESPONSES.items():
        await store.ensure_source(Source(source, "demo"))
        await store.upsert_page(source, Page(responses=responses, threads=THREADS[source]))
    ids = {}
    for source, responses in RESPONSES.items():
        for r in responses:
            row = await store.get_by_external(source, r.external_id)
            assert row is not None and row.response.id is not None
            ids[r.external_id] = row.response.id

    async def at(moment: datetime, coro_fn, *args, **kw):  # type: ignore[no-untyped-def]
        clock.at = moment
        return await coro_fn(*args, **kw)

    a = "moderator"
    await at(T0 + H, store.toggle_question, [ids["r1"]], "1", actor=a)
    await at(T0 + H + timedelta(minutes=1), store.toggle_question, [ids["r1"]], "2", actor=a)
    await at(T0 + 3 * H, store.mark_handled, [ids["r2"]], actor=a)
    await at(T0 + 5 * H, store.toggle_question, [ids["r3"]], "1", actor=a)
    await at(T0 + 6 * H, store.set_role, [ids["r3"]], "burger", actor=a)
    await at(T0 + 6 * H, store.add_note, ids["r3"], "Bellen op 06 98765432", actor=a)
    await at(T0 + D + H, store.toggle_question, [ids["r4"]], "1", actor=a)
    await at(T0 + D + 4 * H, store.toggle_question, [ids["r5"]], "2", actor=a)
    await at(T0 + D + 8 * H, store.set_role, [ids["r6"]], "ambtenaar", actor=a)
    await at(T0 + D + 9 * H, store.toggle_question, [ids["r6"]], "1", actor=a)
    await at(T0 + 2 * D + 10 * H, store.set_role, [ids["r7"]], "burger", actor=a)
    clock.at = T0 + 4 * D
    return store, ids
