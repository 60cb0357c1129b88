"""Segmentation + suggestion throughput on one core, over a corpus of at least 20,000 sentences.

The corpus is the dev set (tests/data/dev) repeated until it holds 20,000 sentences, each
copy run as its own article with its own registry. There is no model to load: the figure
for "loading" is building the registries and importing the engine.

    .venv/bin/python bench/suggest.py [--sentences 20000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import save  # noqa: E402

DEV = Path(__file__).resolve().parent.parent / "tests" / "data" / "dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    args = parser.parse_args()

    started = time.perf_counter()
    from app.segment import segment
    from app.suggest import Registry, analyse, suggest

    articles = []
    for path in sorted(DEV.glob("*.txt")):
        specs = json.loads(path.with_suffix(".sources.json").read_text("utf-8"))
        articles.append((path.read_text("utf-8"), Registry.from_specs(specs)))
    loading = time.perf_counter() - started

    per_round = sum(len(segment(text)) for text, _ in articles)
    rounds = -(-args.sentences // per_round)
    corpus = articles * rounds

    start = time.perf_counter()
    segmented = 0
    for text, _ in corpus:
        segmented += len(segment(text))
    seg_seconds = time.perf_counter() - start

    start = time.perf_counter()
    total = 0
    for text, registry in corpus:
        total += len(suggest(text, registry))
    both_seconds = time.perf_counter() - start
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # the desk's case: the text analysis is cached, only the registry/tags pass reruns
    cached = [(text, registry, analyse(text, segment(text))) for text, registry in articles]
    start = time.perf_counter()
    rerun = 0
    for _ in range(rounds):
        for text, registry, analysis in cached:
            rerun += len(suggest(text, registry, analysis=analysis))
    rerun_seconds = time.perf_counter() - start

    figures = {
        "sentences": total,
        "articles": len(corpus),
        "loading_seconds": round(loading, 3),
        "segment_per_second": round(segmented / seg_seconds),
        "segment_and_suggest_per_second": round(total / both_seconds),
        "resuggest_cached_analysis_per_second": round(rerun / rerun_seconds),
        "peak_rss_mb": round(peak_rss, 1),
    }
    print(f"corpus: {total} sentences in {len(corpus)} articles (dev set x {rounds})")
    print(f"loading (imports + registries): {loading * 1000:.0f} ms")
    print(f"segmentation only:              {figures['segment_per_second']:>8} sentences/s")
    print(
        f"segmentation + suggestion:      {figures['segment_and_suggest_per_second']:>8} "
        "sentences/s (one core)"
    )
    print(
        f"suggestion with cached analysis:{figures['resuggest_cached_analysis_per_second']:>8} "
        "sentences/s (what the desk reruns after a tag)"
    )
    print(f"peak process memory (RSS):      {figures['peak_rss_mb']:>8} MB")
    save("suggest", figures)


if __name__ == "__main__":
    main()
