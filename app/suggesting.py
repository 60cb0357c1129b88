"""Suggestions for stored articles: the registry and the editors' tags feed the engine."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import FINAL_LAYER, Article, Attribution, Sentence, Source
from app.segment import Segment
from app.suggest import Registry, SentenceAnalysis, Suggestion, analyse, reading, suggest

_CACHE_SIZE = 32
_CACHE_SENTENCES = 50_000
# A window of suggestions is computed with this many sentences of context before it (who
# was named last) and after it (a quote run can take its speaker from a later sentence).
# A desk page's window starts LOOKBACK before the page, so its rows see the whole page;
# after a tag, the tagged row and the AFTER rows following it are recomputed with LOOKBACK
# of context, before and after the change alike, to find the rows the change moved. The
# trade: a moved row can resolve "the ministry" differently from a full pass when its
# referent was last named more than LOOKBACK sentences earlier (a reload shows the page's
# value again). In exchange a tag costs the same in a 200- or a 20,000-sentence article.
LOOKBACK = 25
LOOKAHEAD = 10
_analyses: OrderedDict[int, _Analysed] = OrderedDict()
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


@dataclass(frozen=True)
class Line:
    """Where a sentence is, without loading its row and attributions."""

    id: int
    position: int
    start: int
    end: int
    paragraph: int
    kind: str

    @property
    def segment(self) -> Segment:
        return Segment(self.start, self.end, self.paragraph, self.kind)


def outline(
    session: Session, article_id: int, first: int = 0, stop: int | None = None
) -> list[Line]:
    """The places of the sentences at indexes ``first`` to ``stop`` (positions are 1, 2, …)
    in reading order: one light query, no rows or attributions loaded."""
    query = (
        select(
            Sentence.id,
            Sentence.position,
            Sentence.start,
            Sentence.end,
            Sentence.paragraph,
            Sentence.kind,
        )
        .where(Sentence.article_id == article_id, Sentence.position > first)
        .order_by(Sentence.position)
    )
    if stop is not None:
        query = query.where(Sentence.position <= stop)
    return [Line(*row) for row in session.execute(query)]


def article_suggestions(
    session: Session, article: Article, layer: int = FINAL_LAYER
) -> dict[int, Suggestion]:
    """Every sentence's suggestion, keyed by sentence id, tagged sentences included."""
    count = session.scalar(
        select(func.count()).select_from(Sentence).where(Sentence.article_id == article.id)
    )
    return suggestions_at(session, article, range(0, count or 0), layer)


def suggestions_at(
    session: Session, article: Article, wanted: range, layer: int = FINAL_LAYER
) -> dict[int, Suggestion]:
    """Suggestions for the sentences at indexes ``wanted`` (position - 1), keyed by id,
    computed over them with LOOKBACK sentences of context before and LOOKAHEAD after: a
    desk page or one tag costs the same in a 200- or a 20,000-sentence article."""
    low = max(0, wanted.start - LOOKBACK)
    lines = outline(session, article.id, low, wanted.stop + LOOKAHEAD)
    if not lines or not wanted:
        return {}
    known = _known_tags(session, article, lines, layer)
    results = suggest(
        article.text,
        registry(session),
        [line.segment for line in lines],
        known=known,
        analysis=_analysis(session, article, lines, low),
    )
    pairs = zip(lines, results, strict=True)
    return {line.id: r for line, r in pairs if line.position - 1 in wanted}


def sentence_reading(session: Session, article: Article, position: int) -> tuple[str, str]:
    """The cue and mode the words of the sentence at ``position`` show ("" when none), from
    the cached analysis: what a hand-chosen tag records, without running the engine."""
    lines = outline(session, article.id, position - 1, position)
    if not lines:
        return "", ""
    cue, mode = reading(_analysis(session, article, lines, position - 1)[0])
    return cue or "", mode or ""


@dataclass
class _Analysed:
    text_sha: str
    segments: list[Segment]
    analysis: list[SentenceAnalysis]


def _analysis(
    session: Session, article: Article, lines: list[Line], low: int
) -> list[SentenceAnalysis]:
    """The text-only part of the work for ``lines`` (starting at index ``low``), from the
    whole article's analysis, cached per article while its text and segmentation hold."""
    # which text: its fingerprint (whitespace-blind), its version and its length identify it
    # without hashing megabytes on every tag; the window's offsets are compared below
    sha = f"{article.text_hash}:{article.version_number}:{len(article.text)}"
    window = [line.segment for line in lines]
    with _lock:
        cached = _analyses.get(article.id)
        if cached is not None:
            _analyses.move_to_end(article.id)
    if (
        cached is None
        or cached.text_sha != sha
        or cached.segments[low : low + len(window)] != window
    ):
        segments = [line.segment for line in outline(session, article.id)]
        cached = _Analysed(sha, segments, analyse(article.text, segments))
        with _lock:
            _analyses[article.id] = cached
            # bounded by articles and by sentences: an analysis keeps every token (a
            # 30,000-sentence article takes the server from 130 to 235 MB, bench/large.py)
            while len(_analyses) > 1 and (
                len(_analyses) > _CACHE_SIZE
                or sum(len(a.segments) for a in _analyses.values()) > _CACHE_SENTENCES
            ):
                _analyses.popitem(last=False)
    return cached.analysis[low : low + len(window)]


def _known_tags(
    session: Session, article: Article, sentences: Sequence[Sentence | Line], layer: int
) -> dict[int, str | None]:
    """The editors' tags in ``sentences`` (consecutive), by index into them."""
    index = {s.id: i for i, s in enumerate(sentences)}
    rows = session.execute(
        select(Attribution.sentence_id, Source.name, Source.is_reporter)
        .join(Source, Source.id == Attribution.source_id)
        .join(Sentence, Sentence.id == Attribution.sentence_id)
        .where(
            Sentence.article_id == article.id,
            Sentence.position.between(sentences[0].position, sentences[-1].position),
            Attribution.layer == layer,
        )
        .order_by(Attribution.id)
    )
    known: dict[int, str | None] = {}
    for sentence_id, name, is_reporter in rows:
        i = index.get(sentence_id)
        if i is None:  # not expected: positions are consecutive
            continue
        if is_reporter:
            known.setdefault(i, None)
        elif known.get(i) is None:
            known[i] = name
    return known
