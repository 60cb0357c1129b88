"""Export of 100,000 attributions over real HTTP: time and the server's peak memory per format.

A SQLite library of 50 articles x 2,000 sentences, every sentence attributed, is served by
uvicorn; for each format a fresh server process streams /claims/export.<fmt> to a client
that counts the bytes. Peak memory is the server's VmHWM (its high-water resident set),
reset after sign-in, shown next to the same process's memory before the export.

    .venv/bin/python bench/export.py [--attributions 100000] [--formats csv,xlsx,json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from app.articles import ArticleInput, create_article  # noqa: E402
from app.config import SEEDS_DIR  # noqa: E402
from app.db import open_database  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Attribution, Sentence, Source  # noqa: E402
from app.seed import load_seeds  # noqa: E402
from bench.common import (  # noqa: E402
    Client,
    add_bench_account,
    article_text,
    free_port,
    reset_peak,
    rss_mb,
    save,
    server_env,
    start_server,
    stop,
)

PER_ARTICLE = 2000


def prepare(url: str, attributions: int) -> int:
    """Fill a library with ``attributions`` attributed sentences; return how many were made."""
    upgrade(url, quiet=True)
    db = open_database(url)
    text = article_text(PER_ARTICLE)
    with db.write_session() as session:
        load_seeds(session, SEEDS_DIR, actor="bench")
        add_bench_account(session)
        sources = list(session.scalars(select(Source.id)))
        for n in range(-(-attributions // PER_ARTICLE)):
            create_article(
                session,
                ArticleInput(
                    title=f"Bench article {n}",
                    text=text,
                    outlet="Bench Daily",
                    published_at=dt.date(2024, 1, 1) + dt.timedelta(days=n),
                ),
                actor="bench",
            )
        session.flush()
        ids = list(session.scalars(select(Sentence.id).order_by(Sentence.id).limit(attributions)))
        rows = [
            {
                "sentence_id": sid,
                "source_id": sources[i % len(sources)],
                "cue": "said",
                "mode": "indirect",
                "editor": EDITOR_NAME,
            }
            for i, sid in enumerate(ids)
        ]
        session.execute(insert(Attribution), rows)
        session.commit()
    db.dispose()
    return len(ids)


EDITOR_NAME = "bench@example.org"


def export_once(url: str, instance: Path, fmt: str) -> dict[str, float]:
    port = free_port()
    server = start_server(
        ["app.main:create_app", "--factory", "--port", str(port)],
        server_env(url, instance),
        f"http://127.0.0.1:{port}/static/app.css",
    )
    try:
        client = Client(port)
        client.login()
        reset_peak(server.pid)
        before = rss_mb(server.pid)
        start = time.perf_counter()
        client.conn.request("GET", f"/claims/export.{fmt}", headers={"Cookie": client.cookie})
        response = client.conn.getresponse()
        first = None
        size = 0
        while chunk := response.read(65536):
            first = first or time.perf_counter()
            size += len(chunk)
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{fmt}: status {response.status}")
        return {
            "seconds": round(elapsed, 2),
            "first_byte_ms": round(((first or start) - start) * 1000, 1),
            "megabytes": round(size / 1e6, 1),
            "server_rss_before_mb": before,
            "server_peak_rss_mb": rss_mb(server.pid, "VmHWM"),
        }
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attributions", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx,json,jsonl,md,jsonld")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-bench-export-"))
    url = f"sqlite:///{tmp / 'export.db'}"
    start = time.perf_counter()
    made = prepare(url, args.attributions)
    print(f"library: {made:,} attributions in {time.perf_counter() - start:.1f} s to build")
    figures: dict[str, object] = {"attributions": made}
    heads = ("seconds", "1st byte", "MB out", "RSS before", "peak RSS")
    print(f"{'format':8} " + " ".join(f"{h:>10}" for h in heads))
    for fmt in args.formats.split(","):
        row = export_once(url, tmp / "instance", fmt)
        figures[fmt] = row
        print(
            f"{fmt:8} {row['seconds']:10.2f} {row['first_byte_ms']:8.0f}ms {row['megabytes']:10.1f}"
            f" {row['server_rss_before_mb']:8.1f}MB {row['server_peak_rss_mb']:8.1f}MB"
        )
    save("export", figures)


if __name__ == "__main__":
    main()
