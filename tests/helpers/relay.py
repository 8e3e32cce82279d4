"""A TCP relay on 127.0.0.1 that stops forwarding (:class:`MuteRelay`): a network that
died under a live connection, for the tests of what a program does then."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


class MuteRelay:
    """A TCP relay on 127.0.0.1 to the database whose sessions, once ``mute`` is called,
    pass nothing on any more and never close the client's side: the server's end of such
    a session (a restart, a failover, a NAT or firewall that dropped the flow) never
    reaches the client. A session opened after passes as usual."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._relays: list[dict[str, Any]] = []

    async def clients_closed(self) -> None:
        """Wait until every client of the relay closed its side of the connection."""
        await asyncio.gather(*(relay["client_gone"].wait() for relay in self._relays))

    def mute(self) -> None:
        for relay in self._relays:
            relay["muted"] = True

    async def __aenter__(self) -> MuteRelay:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for relay in self._relays:
            for w in relay["writers"]:
                w.close()
        await self._server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        relay = {"muted": False, "writers": [writer, up_writer], "client_gone": asyncio.Event()}
        self._relays.append(relay)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    if not relay["muted"]:
                        dst.write(data)
                if not relay["muted"]:
                    dst.close()

        async def from_client() -> None:
            await pump(reader, up_writer)
            relay["client_gone"].set()

        await asyncio.gather(from_client(), pump(up_reader, writer))
