"""Real uvicorn processes on 127.0.0.1 for the tests that need real HTTP."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.config import ROOT
from tests.conftest import FAST_HASH, PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def uvicorn_server(
    database_url: str, instance: Path, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run the app under uvicorn (``workers`` processes); yield its base URL."""
    process, url = start_uvicorn(database_url, instance, workers=workers, env=env)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def start_uvicorn(
    database_url: str, instance: Path, *, workers: int = 1, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start uvicorn and wait until it answers; the caller stops (or kills) it. ``env``
    adds to (or overrides) the settings it runs with."""
    port = free_port()
    settings = {
        **os.environ,
        "WHOSAID_DATABASE_URL": database_url,
        "WHOSAID_INSTANCE_DIR": str(instance),
        "WHOSAID_ARGON2_MEMORY_KIB": str(FAST_HASH["argon2_memory_kib"]),
        "WHOSAID_ARGON2_TIME_COST": str(FAST_HASH["argon2_time_cost"]),
        "WHOSAID_SECRET_KEY": "test-servers-shared-secret",
        **(env or {}),
    }
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if workers > 1:
        args += ["--workers", str(workers)]
    process = subprocess.Popen(args, cwd=ROOT, env=settings)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
    except Exception:
        process.kill()
        raise
    return process, url


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("uvicorn exited early")
        try:
            with urllib.request.urlopen(url + "/static/app.css", timeout=1):
                return
        except OSError:
            time.sleep(0.05)  # polling a starting server, not synchronising a test
    raise RuntimeError("uvicorn did not start")


class Editor:
    """One signed-in browser over a keep-alive connection (cookie and CSRF token kept)."""

    def __init__(self, url: str, email: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.cookie = ""
        self.token = ""
        self._refresh("/login")
        status, _, _ = self.post("/login", {"email": email, "password": PASSWORD})
        assert status == 303, status
        self._refresh("/")

    def _refresh(self, path: str) -> None:
        _, headers, body = self.request("GET", path)
        match = re.search(rb'"X-CSRF-Token": "([0-9a-f]+)"', body)
        self.token = match.group(1).decode() if match else ""

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {"Cookie": self.cookie} if self.cookie else {}
        sent.update(headers or {})
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        received = {k.lower(): v for k, v in response.getheaders()}
        if "set-cookie" in received:
            self.cookie = received["set-cookie"].split(";")[0]
        return response.status, received, data

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        from urllib.parse import urlencode

        return self.request(
            "POST",
            path,
            urlencode(fields),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRF-Token": self.token,
                "HX-Request": "true",
            },
        )
