"""The desk in Chromium: time to interactive for 200, 2,000 and 20,000-sentence articles,
and keypress to painted row with the change saved, p50/p95 over 200 keystrokes.

Real uvicorn (one worker, SQLite) and Debian's Chromium through Playwright. A keystroke is
measured in the page, from the key event to the first frame painted after the row came
back from the server with its new version (so the tag is committed). "Interactive" is the
moment the desk's script has focused the first sentence, from navigation start.

    .venv/bin/python bench/browser.py [--keystrokes 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.common import EMAIL, PASSWORD, free_port, save, server_env, start_server, stop  # noqa: E402
from bench.tagging import SIZES, prepare  # noqa: E402

CHROMIUM = os.environ.get("WHOSAID_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]

# one keystroke, measured inside the page: key event -> saved row -> next painted frame
KEYSTROKE = """
([n, key]) => new Promise((resolve, reject) => {
  const row = document.getElementById("s-" + n);
  const before = Number(row.dataset.version);
  const start = performance.now();
  const done = () => {
    const now = document.getElementById("s-" + n);
    return now && now !== row && Number(now.dataset.version) > before;
  };
  const observer = new MutationObserver(() => {
    if (!done()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
  });
  observer.observe(document.getElementById("sentences"), {childList: true, subtree: true});
  setTimeout(() => { observer.disconnect(); reject(new Error("no saved row")); }, 10000);
  document.dispatchEvent(new KeyboardEvent("keydown", {key, code: "Digit" + key, bubbles: true}));
})
"""
NEXT_ROW = "() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}))"
INTERACTIVE = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    interactive_ms: performance.now(),
    server_ms: nav.responseStart - nav.requestStart,
    html_ms: nav.responseEnd - nav.startTime,
    kib: Math.round(nav.encodedBodySize / 1024),
    rows: document.querySelectorAll("#sentences > .row").length,
  };
}
"""


def sign_in(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def open_desk(page: Page, article: int) -> dict[str, float]:
    page.goto(f"/articles/{article}")
    page.wait_for_selector("#s-1.focused")
    figures: dict[str, float] = page.evaluate(INTERACTIVE)
    return figures


def keystrokes(page: Page, count: int, start: int = 1) -> list[float]:
    samples = []
    for i in range(count):
        n = start + i
        if i:
            page.evaluate(NEXT_ROW)
        samples.append(page.evaluate(KEYSTROKE, [n, str(1 + i % 7)]))
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max": round(ordered[-1], 1),
        "n": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keystrokes", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-bench-browser-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    ids = prepare(url)
    port = free_port()
    server = start_server(
        ["app.main:create_app", "--factory", "--port", str(port)],
        server_env(url, tmp / "instance"),
        f"http://127.0.0.1:{port}/static/app.css",
    )
    figures: dict[str, object] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(base_url=f"http://127.0.0.1:{port}")
            page = context.new_page()
            sign_in(page)
            for n in SIZES:
                open_desk(page, ids[f"article_{n}"])  # warm the server's analysis cache
                runs = [open_desk(page, ids[f"article_{n}"]) for _ in range(5)]
                figures[f"open_{n}"] = {
                    key: round(statistics.median(r[key] for r in runs), 1) for key in runs[0]
                }
            open_desk(page, ids["article_2000"])
            figures["keystroke_2000"] = summary(keystrokes(page, args.keystrokes))
            open_desk(page, ids["article_20000"])
            figures["keystroke_20000"] = summary(keystrokes(page, min(100, args.keystrokes)))
            browser.close()
    finally:
        stop(server)
    print(f"{'desk':14} {'interactive':>12} {'server':>8} {'html':>8} {'KiB':>6} {'rows':>6}")
    for n in SIZES:
        r = figures[f"open_{n}"]
        assert isinstance(r, dict)
        print(
            f"{n:>8,} sent. {r['interactive_ms']:10.0f}ms {r['server_ms']:6.0f}ms"
            f" {r['html_ms']:6.0f}ms {r['kib']:6.0f} {r['rows']:6.0f}"
        )
    for key in ("keystroke_2000", "keystroke_20000"):
        r = figures[key]
        assert isinstance(r, dict)
        print(f"{key}: p50 {r['p50']} ms, p95 {r['p95']} ms, max {r['max']} ms (n={r['n']})")
    save("browser", figures)


if __name__ == "__main__":
    main()
