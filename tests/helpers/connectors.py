"""The connector tests' reading of a fetch: one round of pages, the responses by id; a
platform that gives the pages a test hands it (for a real sync round in a test)."""

from __future__ import annotations

from typing import Any

from reactieveld.model import Page, Response


async def round_(conn: Any, cursor: str | None) -> tuple[list[Page], str | None]:
    """One sync round: every page up to the one marked done; (pages, the next cursor)."""
    pages: list[Page] = [p async for p in conn.fetch(cursor)]
    assert pages[-1].done and not any(p.done for p in pages[:-1])
    return pages, pages[-1].next_cursor


def responses(pages: list[Page]) -> dict[str, Response]:
    """The responses of the pages by external id."""
    return {r.external_id: r for p in pages for r in p.responses}


class PagePlatform:
    """A platform for :class:`reactieveld.sync.SyncEngine` that gives, each round, the
    page it was handed (:attr:`next`), else an empty one at the same cursor."""

    name = "blog"
    capabilities: frozenset[Any] = frozenset()
    unsupported_reasons: dict[Any, str] = {}

    def __init__(self) -> None:
        self.next: Page = Page()

    async def fetch(self, cursor: str | None) -> Any:
        page, self.next = self.next, Page(next_cursor=cursor)
        yield page

    async def apply(self, action: Any) -> Any:  # nothing is written back in these tests
        raise AssertionError(action)

    async def aclose(self) -> None:
        pass
