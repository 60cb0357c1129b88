"""A bounded locust run on loopback: 30 editors tagging, reading and exporting for 60 s
against uvicorn (two workers, SQLite); prints requests, failures and p50/p95/p99 per kind,
and the database's integrity check afterwards.

    .venv/bin/python bench/load.py [--users 30] [--seconds 60]
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    EMAIL,
    PASSWORD,
    ROOT,
    free_port,
    save,
    server_env,
    start_server,
    stop,
)
from bench.tagging import prepare, sentence_ids  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-load-"))
    url = f"sqlite:///{tmp / 'load.db'}"
    ids = prepare(url)
    article = ids["article_200"]
    port = free_port()
    server = start_server(
        ["app.main:create_app", "--factory", "--port", str(port), "--workers", "2"],
        server_env(url, tmp / "instance"),
        f"http://127.0.0.1:{port}/static/app.css",
    )
    env = {
        **os.environ,
        "BENCH_ARTICLE": str(article),
        "BENCH_SENTENCES": ",".join(map(str, sentence_ids(url, article))),
        "BENCH_EMAIL": EMAIL,
        "BENCH_PASSWORD": PASSWORD,
    }
    try:
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(args.users),
                "-r",
                str(max(1, args.users // 5)),
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(tmp / "run"),
            ],
            env=env,
            check=False,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    finally:
        stop(server)
    with sqlite3.connect(tmp / "load.db") as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    rows = list(csv.DictReader((tmp / "run_stats.csv").open()))
    figures: dict[str, object] = {
        "users": args.users,
        "seconds": args.seconds,
        "workers": 2,
        "integrity_check": integrity,
    }
    heads = ("count", "fails", "p50", "p95", "p99", "req/s")
    print(f"{'request':16} " + " ".join(f"{h:>7}" for h in heads))
    for row in rows:
        name = row["Name"]
        entry = {
            "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "p99": float(row["99%"]),
            "per_second": round(float(row["Requests/s"]), 1),
        }
        figures[name] = entry
        print(
            f"{name:16} {entry['count']:7} {entry['failures']:7} {entry['p50']:7.0f}"
            f" {entry['p95']:7.0f} {entry['p99']:7.0f} {entry['per_second']:7.1f}"
        )
    print(f"integrity check afterwards: {integrity}")
    save("load", figures)


if __name__ == "__main__":
    main()
