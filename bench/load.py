"""A bounded locust run on loopback: 30 editors tagging, reading and exporting for 60 s
against uvicorn (one worker, SQLite); prints requests, failures and p50/p95/p99 per kind.

    .venv/bin/python bench/load.py [--users 30] [--seconds 60]
"""

from __future__ import annotations

import argparse
import csv
import os
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
    rss_mb,
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
        ["app.main:create_app", "--factory", "--port", str(port)],
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
        peak = rss_mb(server.pid, "VmHWM")
    finally:
        stop(server)
    rows = list(csv.DictReader((tmp / "run_stats.csv").open()))
    figures: dict[str, object] = {
        "users": args.users,
        "seconds": args.seconds,
        "server_peak_rss_mb": peak,
    }
    print(f"{'request':16} {'count':>7} {'fails':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>7}")
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
            f"{name:16} {entry['count']:7} {entry['failures']:6} {entry['p50']:6.0f}"
            f" {entry['p95']:6.0f} {entry['p99']:6.0f} {entry['per_second']:7.1f}"
        )
    print(f"server peak memory {peak} MB")
    save("load", figures)


if __name__ == "__main__":
    main()
