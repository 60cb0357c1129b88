"""Source balance: who speaks how much, in sentences and words, and over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.models import FINAL_LAYER, Article, Attribution, Sentence, Source
from app.table import Filters, article_filtered


@dataclass
class Share:
    name: str
    kind: str
    colour: str
    source_id: int | None
    sentences: int = 0
    words: int = 0


@dataclass
class Balance:
    sources: list[Share] = field(default_factory=list)
    kinds: list[Share] = field(default_factory=list)
    untagged: Share = field(default_factory=lambda: Share("untagged", "", "#d0d5dd", None))
    articles: int = 0
    periods: list[str] = field(default_factory=list)
    timeline: dict[int, dict[str, int]] = field(default_factory=dict)


KIND_COLOURS = {
    "government": "#4e79a7",
    "military": "#59a14f",
    "official": "#76b7b2",
    "politician": "#e15759",
    "expert": "#f28e2b",
    "ngo": "#edc948",
    "company": "#b07aa1",
    "court": "#9c755f",
    "police": "#1f77b4",
    "media": "#ff9da7",
    "witness": "#8c564b",
    "anonymous": "#7f7f7f",
    "person": "#17becf",
    "other": "#bab0ac",
    "reporter": "#6b7280",
}


def _articles(filters: Filters) -> Select:
    return article_filtered(select(Article.id), filters)


def balance(session: Session, filters: Filters) -> Balance:
    """Sentences and words per source and per kind (the reporter's own voice included)."""
    articles = _articles(filters)
    result = Balance(
        articles=session.scalar(select(func.count()).select_from(articles.subquery())) or 0
    )
    rows = session.execute(
        select(
            Source.id,
            Source.name,
            Source.kind,
            Source.colour,
            func.count(Attribution.id),
            func.coalesce(func.sum(Sentence.words), 0),
        )
        .join(Attribution, Attribution.source_id == Source.id)
        .join(Sentence, Sentence.id == Attribution.sentence_id)
        .where(
            Attribution.layer == FINAL_LAYER,
            Sentence.article_id.in_(articles),
            *([Source.id.in_(filters.source_ids)] if filters.source_ids else []),
            *([Source.kind == filters.kind] if filters.kind else []),
        )
        .group_by(Source.id, Source.name, Source.kind, Source.colour)
    )
    kinds: dict[str, Share] = {}
    for source_id, name, kind, colour, sentences, words in rows:
        result.sources.append(Share(name, kind, colour, source_id, sentences, int(words)))
        share = kinds.setdefault(kind, Share(kind, kind, KIND_COLOURS.get(kind, "#999999"), None))
        share.sentences += sentences
        share.words += int(words)
    result.kinds = sorted(kinds.values(), key=lambda s: -s.sentences)
    result.sources.sort(key=lambda s: -s.sentences)
    tagged = select(Attribution.sentence_id).where(Attribution.layer == FINAL_LAYER)
    untagged = session.execute(
        select(func.count(Sentence.id), func.coalesce(func.sum(Sentence.words), 0)).where(
            Sentence.article_id.in_(articles), Sentence.id.not_in(tagged)
        )
    ).one()
    result.untagged.sentences, result.untagged.words = untagged[0], int(untagged[1])
    _timeline(session, result, articles, filters)
    return result


def _timeline(session: Session, result: Balance, articles: Select, filters: Filters) -> None:
    """Claims per source by month of publication (for the ten most quoted sources)."""
    top = [s.source_id for s in result.sources[:10] if s.source_id is not None]
    if not top:
        return
    rows = session.execute(
        select(Attribution.source_id, Article.published_at, func.count(Attribution.id))
        .join(Sentence, Sentence.id == Attribution.sentence_id)
        .join(Article, Article.id == Sentence.article_id)
        .where(
            Attribution.layer == FINAL_LAYER,
            Article.id.in_(articles),
            Attribution.source_id.in_(top),
            Article.published_at.is_not(None),
        )
        .group_by(Attribution.source_id, Article.published_at)
    )
    months: set[str] = set()
    for source_id, published, count in rows:
        if published is None:
            continue
        month = published.strftime("%Y-%m")
        months.add(month)
        per = result.timeline.setdefault(source_id, {})
        per[month] = per.get(month, 0) + count
    result.periods = _every_month(sorted(months))


def _every_month(months: list[str]) -> list[str]:
    """All months from the first to the last, so gaps show as zero."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    last = tuple(map(int, months[-1].split("-")))
    out: list[str] = []
    while (year, month) <= last and len(out) < 240:
        out.append(dt.date(year, month, 1).strftime("%Y-%m"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
