"""A very long article over real HTTP (TESTPLAN G2): import 30,000 sentences, open the desk
cold and warm, jump to its middle, tag there, export it whole; time per step and the
server's memory.

Real uvicorn (one worker, SQLite), the upload limit raised to 8 MB for the run.

    .venv/bin/python bench/large.py [--sentences 30000]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    Client,
    article_text,
    free_port,
    rss_mb,
    save,
    server_env,
    start_server,
    stop,
)
from bench.tagging import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=30_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-bench-large-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    prepare(url)
    port = free_port()
    env = server_env(url, tmp / "instance") | {"WHOSAID_MAX_UPLOAD_BYTES": str(8 * 1024 * 1024)}
    server = start_server(
        ["app.main:create_app", "--factory", "--port", str(port)],
        env,
        f"http://127.0.0.1:{port}/static/app.css",
    )
    text = article_text(args.sentences)
    steps: dict[str, dict[str, float]] = {}
    try:
        client = Client(port)
        client.login()

        def timed(
            name: str, method: str, path: str, body: str | None = None, htmx: bool = False
        ) -> tuple[dict[str, str], bytes]:
            start = time.perf_counter()
            extra = {"HX-Request": "true"} if htmx else None
            status, headers, data = client.request(method, path, body, extra)
            ms = (time.perf_counter() - start) * 1000
            assert status in (200, 204), (name, status, data[:300])
            steps[name] = {"ms": round(ms, 1), "kib": round(len(data) / 1024)}
            steps[name]["rss_mb"] = rss_mb(server.pid)
            return headers, data

        form = urllib.parse.urlencode({"text": text, "title": "Very long"})
        headers, _ = timed("import", "POST", "/articles", form)
        desk = headers["hx-redirect"]
        article = int(re.search(r"/articles/(\d+)", desk)[1])  # type: ignore[index]
        timed("open, cold", "GET", f"/articles/{article}")
        timed("open, warm", "GET", f"/articles/{article}")
        middle = args.sentences // 2
        _, page = timed("open at the middle", "GET", f"/articles/{article}?at={middle}")
        sid = re.search(rf'id="s-{middle}"[^>]*', page.decode())
        found = re.search(r'data-sid="(\d+)"', sid[0]) if sid else None
        assert found, "the middle row is not on its page"
        timed("tag there", "POST", f"/articles/{article}/sentences/{found[1]}/tag", "key=1")
        timed(
            "rows after it",
            "GET",
            f"/articles/{article}/sentences/{found[1]}/following",
            htmx=True,
        )
        timed("export CSV", "GET", f"/articles/{article}/export.csv")
        peak = rss_mb(server.pid, "VmHWM")
    finally:
        stop(server)
    print(f"{args.sentences:,} sentences, {len(text.encode()) / 2**20:.1f} MB of text")
    print(f"{'step':22} {'ms':>8} {'KiB':>7} {'RSS MB':>7}")
    for name, r in steps.items():
        print(f"{name:22} {r['ms']:8.0f} {r['kib']:7.0f} {r['rss_mb']:7.0f}")
    print(f"server peak RSS {peak:.0f} MB")
    save("large", {"sentences": args.sentences, "steps": steps, "peak_rss_mb": peak})


if __name__ == "__main__":
    main()
