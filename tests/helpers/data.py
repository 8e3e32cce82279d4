"""Data builders: deterministic responses and threads, and a store filled with them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reactieveld.model import Page, RemoteStatus, Response, Source, Thread

if TYPE_CHECKING:
    from reactieveld.store.sqlite import SqliteStore

#: The newest test response; all times are fixed so snapshots never change.
T0 = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
#: "Now" for the screens on these data (the app's clock): a day after T0, so their times
#: show the hour, as a moderator's recent ones do (tui/times.py).
NOW = T0 + timedelta(days=1)

BODIES = (
    "Goed plan, maar denk aan de fietsers op de Eemnesserweg.",
    "Waarom is er geen avond georganiseerd in Blaricum?",
    "Ik mis de jongeren in dit verhaal.\nZij gebruiken het zwembad het meest.",
    "Het college moet eerst de kosten laten zien.",
    "Mooi dat de gemeente dit vraagt. Meer groen graag!",
    "De parkeerdruk in het centrum is nu al te hoog.",
)
AUTHORS = ("Anne de Vries", "Bram Jansen", "Carla Bakker", "Daan Visser", "Eva Smit")


def sample_responses(
    source: str = "blog", count: int = 30, *, start: int = 0, t0: datetime = T0
) -> tuple[list[Response], list[Thread]]:
    """Deterministic WordPress-shaped responses: 3 threads, every 4th a reply."""
    threads = [
        Thread(
            source, f"post-{t}", f"Plan {t + 1}: Centrum Laren", url=f"https://example.org/p/{t}"
        )
        for t in range(3)
    ]
    responses = []
    for i in range(start, start + count):
        thread = f"post-{i % 3}"
        parent = f"c{i - 3}" if i % 4 == 3 and i >= 3 else None
        responses.append(
            Response(
                source=source,
                external_id=f"c{i}",
                thread_external_id=thread,
                parent_external_id=parent,
                author_name=AUTHORS[i % len(AUTHORS)],
                author_email=f"{AUTHORS[i % len(AUTHORS)].split()[0].lower()}@example.org",
                body_text=BODIES[i % len(BODIES)],
                created_at=t0 - timedelta(minutes=10 * (count + start - i)),
                remote_status=RemoteStatus.HOLD if i % 5 == 0 else RemoteStatus.APPROVED,
                url=f"https://example.org/p/{i % 3}#comment-{i}",
            )
        )
    return responses, threads


async def fill_store(
    store: Any,
    source: str,
    responses: Sequence[Response],
    threads: Sequence[Thread] = (),
    *,
    type: str = "wordpress",
) -> None:
    """Register ``source`` and store the responses page by page."""
    await store.ensure_source(Source(source, type))
    for i in range(0, max(len(responses), 1), 100):
        await store.upsert_page(
            source, Page(responses=list(responses[i : i + 100]), threads=list(threads))
        )


#: Texts that must show literally and harm nothing (issue 4, safety).
HOSTILE_BODIES = (
    "[@click=app.quit]Klik hier[/] om te winnen",
    "[/] [/bold] [b]vet[/b] [$accent]kleur[/] [ bold]",
    "[link=https://evil.example]veilige link[/link]",
    "\x1b[31mROOD\x1b[0m en \x1b]8;;https://evil.example\x07osc-link\x1b]8;;\x07 en \x1b[2J",
    "C0:\x00\x07\x08\x0b\x0c\x7f C1:\x85\x9b31m einde",
    "RTL \u202eevil.exe\u202c en \u2066isolaat\u2069",
    "W" * 20_000,
    "   \n\t   \n  ",
    "Z\u0301\u0301\u0301\u0301\u0301\u0301a\u0308\u0308\u0308\u0308lgo tekst",
)
HOSTILE_AUTHORS = (
    "[bold red]Admin[/]",
    "\x1b[5mKnipper\x1b[0m",
    "Naam\u202emoc.live",
    "[@click=app.bell]bel[/]",
)


async def load_demo(store: Any, *, count: int, seed: int) -> None:
    """The demo connector's ``count`` responses (of ``seed``) stored as source "demo", page
    by page as a sync does."""
    from reactieveld.connectors.demo import DemoConnector

    await store.ensure_source(Source("demo", "demo"))
    async for page in DemoConnector(count=count, seed=seed).fetch(None):
        await store.upsert_page("demo", page)


def hostile_responses(source: str = "blog") -> tuple[list[Response], list[Thread]]:
    """One response per hostile body, in a thread with a hostile title."""
    threads = [
        Thread(source, "evil", "[reverse]Titel[/] \x1b[7mX\x1b[0m", url="https://e.example/[x]")
    ]
    responses = [
        Response(
            source=source,
            external_id=f"h{i}",
            thread_external_id="evil",
            author_name=HOSTILE_AUTHORS[i % len(HOSTILE_AUTHORS)],
            body_text=body,
            created_at=T0 - timedelta(minutes=i),
            url=f"https://e.example/\x1b]8;;x\x07{i}",
        )
        for i, body in enumerate(HOSTILE_BODIES)
    ]
    return responses, threads


async def sample_store(path: Path, count: int = 30) -> SqliteStore:
    """A SQLite memory at ``path`` holding ``count`` :func:`sample_responses` of source
    "blog"; the caller closes it."""
    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(path)
    responses, threads = sample_responses(count=count)
    await fill_store(store, "blog", responses, threads)
    return store
