"""Suggestions for stored articles: the registry and the editors' tags feed the engine."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import FINAL_LAYER, Article, Attribution, Sentence, Source
from app.segment import Segment
from app.suggest import Registry, SentenceAnalysis, Suggestion, analyse, suggest

_CACHE_SIZE = 32
_analyses: OrderedDict[tuple[int, str], list[SentenceAnalysis]] = OrderedDict()
_registries: dict[str, Registry] = {}
_lock = Lock()


def registry(session: Session) -> Registry:
    """The stored sources (not the reporter's own voice) as the engine's registry."""
    sources = list(session.scalars(select(Source).where(Source.is_reporter.is_(False))))
    by_id = {s.id: s for s in sources}
    specs: list[dict[str, object]] = [
        {
            "name": s.name,
            "aliases": list(s.aliases or []),
            "kind": s.kind,
            "country": s.country,
            "affiliation": by_id[s.affiliation_id].name if s.affiliation_id in by_id else None,
        }
        for s in sources
    ]
    key = hashlib.sha256(repr(sorted(map(repr, specs))).encode()).hexdigest()
    with _lock:
        found = _registries.get(key)
    if found is None:
        found = Registry.from_specs(specs)
        with _lock:
            if len(_registries) > 8:
                _registries.clear()
            _registries[key] = found
    return found


def article_suggestions(
    session: Session, article: Article, sentences: list[Sentence], layer: int = FINAL_LAYER
) -> dict[int, Suggestion]:
    """Suggestions for every sentence, keyed by sentence id; tagged sentences included."""
    segments = [Segment(s.start, s.end, s.paragraph, s.kind) for s in sentences]
    known = _known_tags(session, article, sentences, layer)
    results = suggest(
        article.text,
        registry(session),
        segments,
        known=known,
        analysis=_analysis(article, segments),
    )
    return {s.id: r for s, r in zip(sentences, results, strict=True)}


def _analysis(article: Article, segments: list[Segment]) -> list[SentenceAnalysis]:
    """The text-only part of the work, cached per article and segmentation."""
    fingerprint = hashlib.sha256(
        article.text.encode() + repr([(s.start, s.end, s.kind) for s in segments]).encode()
    ).hexdigest()
    key = (article.id, fingerprint)
    with _lock:
        cached = _analyses.get(key)
        if cached is not None:
            _analyses.move_to_end(key)
            return cached
    result = analyse(article.text, segments)
    with _lock:
        _analyses[key] = result
        while len(_analyses) > _CACHE_SIZE:
            _analyses.popitem(last=False)
    return result


def _known_tags(
    session: Session, article: Article, sentences: list[Sentence], layer: int
) -> dict[int, str | None]:
    index = {s.id: i for i, s in enumerate(sentences)}
    rows = session.execute(
        select(Attribution.sentence_id, Source.name, Source.is_reporter)
        .join(Source, Source.id == Attribution.source_id)
        .join(Sentence, Sentence.id == Attribution.sentence_id)
        .where(Sentence.article_id == article.id, Attribution.layer == layer)
        .order_by(Attribution.id)
    )
    known: dict[int, str | None] = {}
    for sentence_id, name, is_reporter in rows:
        i = index[sentence_id]
        if is_reporter:
            known.setdefault(i, None)
        elif known.get(i) is None:
            known[i] = name
    return known
