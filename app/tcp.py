"""Low latency on every connection, also under ``uvicorn --workers N``.

uvicorn's multi-worker supervisor binds the listening socket with ``proto`` 0; accepted
connections inherit it, and asyncio only sets TCP_NODELAY when a socket reports
IPPROTO_TCP. Nagle's algorithm then holds each response's body until the client's delayed
ACK: ~40 ms on every keep-alive request (uvicorn issue #3149, open). Measured here: a tag
took 60 ms with two workers against 19 ms with one. Until uvicorn sets the protocol, each
worker sets TCP_NODELAY on any TCP stream socket itself.
"""

from __future__ import annotations

import socket
from asyncio import base_events


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def keep_nodelay() -> None:
    """Install the check above in asyncio (idempotent; called when a worker builds the app)."""
    base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
