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
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


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
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.token = ""

    def login(self) -> None:
        status, headers, body = self.request("GET", "/")
        self.cookie = headers.get("set-cookie", "").split(";")[0]
        match = re.search(rb'"X-CSRF-Token": "([0-9a-f]+)"', body)
        self.token = match.group(1).decode() if match else ""

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["X-CSRF-Token"] = self.token
            all_headers["HX-Request"] = "true"
        all_headers.update(headers or {})
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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


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
