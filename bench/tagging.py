"""Tag round trip over real HTTP against uvicorn, desk page times, and the bare yardstick.

Prints p50/p99 of a tag request (the htmx fragment answer, committed to SQLite) at 1 and
20 concurrent clients, the same loop against a bare Starlette + sqlite3 endpoint, the
ratio, and the desk page time and size for 200- and 2,000-sentence articles.

    .venv/bin/python bench/tagging.py [--requests 400]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.articles import ArticleInput, create_article  # noqa: E402
from app.config import SEEDS_DIR  # noqa: E402
from app.db import open_database  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Sentence  # noqa: E402
from app.seed import load_seeds  # noqa: E402
from bench.common import Client, free_port, percentiles, rss_mb, save, start_server, stop  # noqa: E402

SENTENCES = [
    "The ministry said the strikes had hit two depots near the border on Friday.",
    "“We will not accept this,” said Maria Lopez, a spokeswoman for the agency.",
    "Officials, who spoke on condition of anonymity, said talks would resume.",
    "The company reported revenue of $4.2 billion, up 3.1 percent from a year earlier.",
    "He added that the decision was final.",
]


def article_text(n: int) -> str:
    lines, paragraph = [], []
    for i in range(n):
        paragraph.append(SENTENCES[i % len(SENTENCES)])
        if len(paragraph) == 3:
            lines.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n\n".join(lines)


def prepare(url: str) -> dict[str, list[int] | int]:
    upgrade(url, quiet=True)
    db = open_database(url)
    ids: dict[str, list[int] | int] = {}
    with db.write_session() as session:
        load_seeds(session, SEEDS_DIR, actor="bench")
        for n in (200, 2000):
            article = create_article(
                session, ArticleInput(title=f"Bench {n}", text=article_text(n)), actor="bench"
            )
            session.flush()
            ids[f"article_{n}"] = article.id
        session.commit()
        ids["sentences"] = [
            s.id for s in session.query(Sentence).filter_by(article_id=ids["article_2000"])
        ]
    db.dispose()
    return ids


def run_clients(port: int, clients: int, per_client: int, path_for) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    samples: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(port)
        client.login()
        mine = []
        for _ in range(per_client):
            path, body = path_for(rng)
            start = time.perf_counter()
            status, _h, _b = client.request("POST", path, body)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors.append(str(status))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests: {sorted(set(errors))}")
    return samples, len(samples) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="tag requests per level")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-bench-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    ids = prepare(url)
    sentence_ids = ids["sentences"]
    assert isinstance(sentence_ids, list)
    article = ids["article_2000"]

    app_port, bare_port = free_port(), free_port()
    app = start_server(
        ["app.main:create_app", "--factory", "--port", str(app_port)],
        {
            "WHOSAID_DATABASE_URL": url,
            "WHOSAID_INSTANCE_DIR": str(tmp / "instance"),
            "WHOSAID_EDITOR": "bench",
        },
        f"http://127.0.0.1:{app_port}/static/app.css",
    )
    bare = start_server(
        ["bench.bare_app:app", "--port", str(bare_port)],
        {"BARE_DB": str(tmp / "bare.db")},
        f"http://127.0.0.1:{bare_port}/",
    )
    figures: dict[str, object] = {"idle_rss_mb": rss_mb(app.pid)}
    try:

        def tag_path(rng: random.Random) -> tuple[str, str]:
            sid = rng.choice(sentence_ids)
            return f"/articles/{article}/sentences/{sid}/tag", f"key={rng.randint(0, 7)}"

        def bare_path(rng: random.Random) -> tuple[str, str]:
            return f"/tag/{rng.choice(sentence_ids)}", ""

        run_clients(app_port, 2, 25, tag_path)  # warm up both servers
        run_clients(bare_port, 2, 25, bare_path)
        for clients in (1, 20):
            per = max(1, args.requests // clients)
            app_samples, app_rate = run_clients(app_port, clients, per, tag_path)
            bare_samples, bare_rate = run_clients(bare_port, clients, per, bare_path)
            figures[f"tag_{clients}_clients"] = {
                "whosaid": {**percentiles(app_samples), "per_second": round(app_rate, 1)},
                "bare": {**percentiles(bare_samples), "per_second": round(bare_rate, 1)},
                "throughput_ratio": round(app_rate / bare_rate, 3),
            }
        pages = {}
        client = Client(app_port)
        client.login()
        for n in (200, 2000):
            times, size = [], 0
            for _ in range(15):
                start = time.perf_counter()
                status, _h, body = client.request("GET", f"/articles/{ids[f'article_{n}']}")
                times.append((time.perf_counter() - start) * 1000)
                size = len(body)
                assert status == 200
            pages[f"desk_{n}"] = {**percentiles(times), "bytes": size}
        figures["desk_pages"] = pages
        figures["rss_after_mb"] = rss_mb(app.pid)
    finally:
        stop(app)
        stop(bare)

    print(f"{'tag round trip (ms)':32} {'p50':>8} {'p99':>8} {'req/s':>8}")
    for clients in (1, 20):
        row = figures[f"tag_{clients}_clients"]
        assert isinstance(row, dict)
        for name in ("whosaid", "bare"):
            r = row[name]
            label = f"{name} @ {clients} clients"
            print(f"  {label:30} {r['p50']:8.2f} {r['p99']:8.2f} {r['per_second']:8.1f}")
        print(f"  {'throughput ratio whosaid/bare':30} {row['throughput_ratio']:>26.3f}")
    for name, r in pages.items():
        size = r["bytes"] / 1024
        print(f"{name + ' page':32} p50 {r['p50']:.1f} ms  p99 {r['p99']:.1f} ms  {size:.0f} KiB")
    print(f"server memory: idle {figures['idle_rss_mb']} MB, after {figures['rss_after_mb']} MB")
    save("tagging", figures)


if __name__ == "__main__":
    main()
