"""Tag round trip over real HTTP against uvicorn, desk page times, and the bare yardstick.

For SQLite (and PostgreSQL when TEST_DATABASE_URL names a server) with one and two uvicorn
workers: p50/p99 and throughput of a tag request (POST, commit, htmx fragment back) at 1, 10
and 50 concurrent signed-in editors, next to a bare Starlette + sqlite3 endpoint doing one
insert per request, measured in the same run, and the ratio. Also the server's idle memory
and the desk page's server time and size for 200, 2,000 and 20,000-sentence articles.

    .venv/bin/python bench/tagging.py [--requests 1000] [--levels 1,10,50]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text  # noqa: E402

from app.articles import ArticleInput, create_article  # noqa: E402
from app.config import SEEDS_DIR  # noqa: E402
from app.db import open_database  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Sentence  # noqa: E402
from app.seed import load_seeds  # noqa: E402
from bench.common import (  # noqa: E402
    Client,
    add_bench_account,
    article_text,
    free_port,
    percentiles,
    rss_mb,
    save,
    server_env,
    start_server,
    stop,
)

SIZES = (200, 2000, 20000)
PathFor = Callable[[random.Random], tuple[str, str]]


def prepare(url: str) -> dict[str, int]:
    upgrade(url, quiet=True)
    db = open_database(url)
    ids: dict[str, int] = {}
    with db.write_session() as session:
        load_seeds(session, SEEDS_DIR, actor="bench")
        add_bench_account(session)
        for n in SIZES:
            article = create_article(
                session, ArticleInput(title=f"Bench {n}", text=article_text(n)), actor="bench"
            )
            session.flush()
            ids[f"article_{n}"] = article.id
        session.commit()
    db.dispose()
    return ids


def sentence_ids(url: str, article: int) -> list[int]:
    db = open_database(url)
    with db.read_session() as session:
        found = list(session.scalars(select(Sentence.id).where(Sentence.article_id == article)))
    db.dispose()
    return found


@contextmanager
def postgres_database(base: str) -> Iterator[str]:
    name = f"whosaid_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_clients(
    clients: list[Client], per_client: int, path_for: PathFor
) -> tuple[list[float], float, int]:
    """Every client sends ``per_client`` POSTs at once; return latencies (ms), the rate of
    successful requests and the number that failed."""
    samples: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []
    ready = threading.Barrier(len(clients) + 1)

    def worker(client: Client, seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        ready.wait()
        for _ in range(per_client):
            path, body = path_for(rng)
            start = time.perf_counter()
            status, _h, _b = client.request("POST", path, body)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors.append(str(status))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:  # overload answers 503 by design: counted and reported, not hidden
        print(f"  {len(errors)} of {len(samples)} requests failed: {Counter(errors)}")
    ok = len(samples) - len(errors)
    return samples, ok / elapsed, len(errors)


def signed_in(port: int, count: int, login: bool = True) -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client(port)
        if login:
            client.login()
        clients.append(client)
    return clients


def measure_levels(
    port: int, levels: list[int], requests: int, path_for: PathFor, login: bool = True
) -> dict[int, tuple[list[float], float, int]]:
    pool = signed_in(port, max(levels), login)
    run_clients(pool[:2], 25, path_for)  # warm up
    return {n: run_clients(pool[:n], max(1, requests // n), path_for) for n in levels}


def desk_pages(port: int, ids: dict[str, int]) -> dict[str, dict[str, float]]:
    client = Client(port)
    client.login()
    pages = {}
    for n in SIZES:
        times, size = [], 0
        for _ in range(10):
            start = time.perf_counter()
            status, _h, body = client.request("GET", f"/articles/{ids[f'article_{n}']}")
            times.append((time.perf_counter() - start) * 1000)
            size = len(body)
            assert status == 200, status
        pages[f"desk_{n}"] = {**percentiles(times), "kib": round(size / 1024)}
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="tag requests per level")
    parser.add_argument("--levels", default="1,10,50")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-bench-"))

    bare_port = free_port()
    bare = start_server(
        ["bench.bare_app:app", "--port", str(bare_port)],
        {"BARE_DB": str(tmp / "bare.db")},
        f"http://127.0.0.1:{bare_port}/",
    )
    figures: dict[str, object] = {}
    try:
        bare_ids = list(range(1, 2001))

        def bare_path(rng: random.Random) -> tuple[str, str]:
            return f"/tag/{rng.choice(bare_ids)}", ""

        bare_runs = measure_levels(bare_port, levels, args.requests, bare_path, login=False)
        figures["bare"] = {
            str(n): {**percentiles(s), "per_second": round(rate, 1)}
            for n, (s, rate, _failed) in bare_runs.items()
        }
        databases = [("sqlite", f"sqlite:///{tmp / 'bench.db'}")]
        if os.environ.get("TEST_DATABASE_URL"):
            databases.append(("postgresql", os.environ["TEST_DATABASE_URL"]))
        for name, base in databases:
            with postgres_database(base) if name == "postgresql" else _same(base) as url:
                ids = prepare(url)
                tag_path = tagger(ids["article_2000"], sentence_ids(url, ids["article_2000"]))

                for workers in (1, 2):
                    port = free_port()
                    server = start_server(
                        ["app.main:create_app", "--factory", "--port", str(port)]
                        + (["--workers", str(workers)] if workers > 1 else []),
                        server_env(url, tmp / "instance"),
                        f"http://127.0.0.1:{port}/static/app.css",
                    )
                    key = f"{name}_{workers}w"
                    try:
                        row: dict[str, object] = {}
                        if workers == 1:
                            row["idle_rss_mb"] = rss_mb(server.pid)
                        runs = measure_levels(port, levels, args.requests, tag_path)
                        for n, (samples, rate, failed) in runs.items():
                            bare_rate = bare_runs[n][1]
                            row[str(n)] = {
                                **percentiles(samples),
                                "per_second": round(rate, 1),
                                "ratio_to_bare": round(rate / bare_rate, 3),
                                "failed": failed,
                            }
                        if workers == 1:
                            row["desk_pages"] = desk_pages(port, ids)
                            row["rss_after_mb"] = rss_mb(server.pid)
                        figures[key] = row
                    finally:
                        stop(server)
    finally:
        stop(bare)
    report(figures, levels)
    save("tagging", figures)


def tagger(article: int, sentences: list[int]) -> PathFor:
    """Random tag requests (hotkeys 0-7) on the sentences of one article."""

    def tag_path(rng: random.Random) -> tuple[str, str]:
        sid = rng.choice(sentences)
        return f"/articles/{article}/sentences/{sid}/tag", f"key={rng.randint(0, 7)}"

    return tag_path


@contextmanager
def _same(url: str) -> Iterator[str]:
    yield url


def report(figures: dict[str, object], levels: list[int]) -> None:
    heads = ("editors", "p50 ms", "p99 ms", "req/s", "/bare")
    print(f"{'tag round trip':28} " + " ".join(f"{h:>8}" for h in heads))
    for key, row in figures.items():
        assert isinstance(row, dict)
        for n in levels:
            r = row[str(n)]
            ratio = f"{r['ratio_to_bare']:6.2f}" if "ratio_to_bare" in r else ""
            if r.get("failed"):
                ratio += f"  ({r['failed']} answered 503)"
            print(
                f"  {key:26} {n:7} {r['p50']:8.1f} {r['p99']:8.1f} {r['per_second']:8.1f} {ratio}"
            )
    for key, row in figures.items():
        assert isinstance(row, dict)
        if "desk_pages" in row:
            print(f"{key}: idle {row['idle_rss_mb']} MB, after the run {row['rss_after_mb']} MB")
            for page, r in row["desk_pages"].items():
                times = f"p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms"
                print(f"  {page + ' page':22} {times}  {r['kib']} KiB")


if __name__ == "__main__":
    main()
