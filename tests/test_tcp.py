"""Accepted connections get TCP_NODELAY even from a listener bound with proto 0, as
uvicorn's multi-worker supervisor binds it."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

from app.tcp import keep_nodelay


async def _nodelay_of_accepted_connection() -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, like uvicorn's
    listener.bind(("127.0.0.1", 0))
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Report(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Report, sock=listener)
    _reader, writer = await asyncio.open_connection(*listener.getsockname())
    try:
        return await asyncio.wait_for(seen, timeout=10)
    finally:
        writer.close()
        server.close()


def test_accepted_connection_has_nodelay() -> None:
    keep_nodelay()
    # a thread of its own: Playwright's sync API may have left an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        nodelay = pool.submit(asyncio.run, _nodelay_of_accepted_connection()).result()
    assert nodelay != 0
