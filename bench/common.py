"""Shared helpers for the benchmarks: servers on loopback, HTTP clients, figures, results.json."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
# the account every benchmark client signs in with (made by add_bench_account)
EMAIL = "bench@example.org"
PASSWORD = "benchmark password, loopback only"
SENTENCES = [
    "The ministry said the strikes had hit two depots near the border on Friday.",
    "“We will not accept this,” said Maria Lopez, a spokeswoman for the agency.",
    "Officials, who spoke on condition of anonymity, said talks would resume.",
    "The company reported revenue of $4.2 billion, up 3.1 percent from a year earlier.",
    "He added that the decision was final.",
]


def article_text(n: int) -> str:
    """A news-like article of ``n`` sentences, three to a paragraph."""
    lines, paragraph = [], []
    for i in range(n):
        paragraph.append(SENTENCES[i % len(SENTENCES)])
        if len(paragraph) == 3:
            lines.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n\n".join(lines)


def add_bench_account(session: Any) -> None:
    """The account the clients sign in with, hashed with the production argon2 settings."""
    from app.auth import hasher
    from app.users import create_user

    ph = hasher()
    create_user(session, email=EMAIL, role="admin", ph=ph, actor="bench", password=PASSWORD)


def server_env(url: str, instance: Path) -> dict[str, str]:
    """The app's settings for a benchmark server: defaults, apart from where its data is."""
    return {"WHOSAID_DATABASE_URL": url, "WHOSAID_INSTANCE_DIR": str(instance)}


FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(args: list[str], env: dict[str, str], probe: str) -> subprocess.Popen[bytes]:
    """Start a uvicorn process and wait until ``probe`` answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", *args, "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(probe, timeout=1):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"server did not start: {args}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


class Client:
    """One keep-alive HTTP connection with the WhoSaid session cookie and CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.token = ""

    def login(self, email: str = EMAIL, password: str = PASSWORD) -> None:
        """Sign in through the form, as a browser does (the session id changes at sign-in)."""
        _status, headers, body = self.request("GET", "/login")
        self.cookie = headers.get("set-cookie", "").split(";")[0]
        self._read_token(body)
        form = urllib.parse.urlencode(
            {"csrf_token": self.token, "email": email, "password": password}
        )
        status, headers, _ = self.request(
            "POST", "/login", form, {"HX-Request": "", "Content-Type": FORM}
        )
        if status != 303:
            raise RuntimeError(f"sign-in failed: {status}")
        self.cookie = headers.get("set-cookie", "").split(";")[0]
        _status, _headers, body = self.request("GET", "/")
        self._read_token(body)

    def _read_token(self, body: bytes) -> None:
        match = re.search(rb'"X-CSRF-Token": "([0-9a-f]+)"', body)
        self.token = match.group(1).decode() if match else ""

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            all_headers["Content-Type"] = FORM
            all_headers["X-CSRF-Token"] = self.token
            all_headers["HX-Request"] = "true"
        all_headers.update(headers or {})
        all_headers = {k: v for k, v in all_headers.items() if v}  # "" removes a default
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # the server closed an idle keep-alive connection: open a new one, once
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "p50": round(statistics.median(ordered), 2),
        "p99": round(at(0.99), 2),
        "max": round(ordered[-1], 2),
        "n": len(ordered),
    }


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process now (VmRSS) or at its peak so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def reset_peak(pid: int) -> None:
    """Start VmHWM again from the current RSS (Linux), so a peak belongs to what follows:
    signing in hashes with 64 MiB of argon2 memory, which is not what is measured."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass  # not permitted: the peak then covers the process's whole life


def save(section: str, figures: dict[str, Any]) -> None:
    """Merge one benchmark's figures into bench/results.json."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        **figures,
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"
