"""The yardstick: a bare Starlette endpoint doing one sqlite3 insert per request."""

from __future__ import annotations

import os
import sqlite3
import threading

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

PATH = os.environ["BARE_DB"]
_local = threading.local()


def _conn() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(PATH, isolation_level=None, timeout=5)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS tag (sentence INTEGER, source INTEGER)")
        _local.conn = conn
    return conn


def tag(request: Request) -> HTMLResponse:
    sentence = int(request.path_params["sentence"])
    conn = _conn()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO tag VALUES (?, ?)", (sentence, 1))
    conn.execute("COMMIT")
    return HTMLResponse(f'<li id="s-{sentence}">tagged</li>')


def ok(request: Request) -> HTMLResponse:
    return HTMLResponse("ok")


app = Starlette(routes=[Route("/tag/{sentence}", tag, methods=["POST"]), Route("/", ok)])
