"""The library: articles with progress, filtered, searched and paged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.articles import Progress, progress_by_article
from app.models import FINAL_LAYER, Article, Attribution, Sentence, Source
from app.table import search_condition, with_affiliates

PER_PAGE = 50


@dataclass
class LibraryQuery:
    q: str = ""
    status: str = ""
    outlet: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source_id: int | None = None
    page: int = 1


@dataclass
class LibraryPage:
    rows: list[tuple[Article, Progress, int]] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    outlets: list[str] = field(default_factory=list)


def library(session: Session, query: LibraryQuery) -> LibraryPage:
    """One page of the library, newest publication first, with tagging progress."""
    conditions = []
    if query.q.strip():
        conditions.append(search_condition(session, query.q))
    if query.status:
        conditions.append(Article.status == query.status)
    if query.outlet:
        conditions.append(Article.outlet == query.outlet)
    if query.date_from:
        conditions.append(Article.published_at >= query.date_from)
    if query.date_to:
        conditions.append(Article.published_at <= query.date_to)
    if query.source_id:
        quoting = (
            select(Sentence.article_id)
            .join(Attribution, Attribution.sentence_id == Sentence.id)
            .where(
                Attribution.layer == FINAL_LAYER,
                Attribution.source_id.in_(with_affiliates(session, query.source_id)),
            )
        )
        conditions.append(Article.id.in_(quoting))
    total = session.scalar(select(func.count(Article.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, query.page), pages)
    articles = list(
        session.scalars(
            select(Article)
            .where(*conditions)
            .order_by(Article.published_at.desc().nulls_last(), Article.created_at.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
    )
    ids = [a.id for a in articles]
    progress = progress_by_article(session, ids)
    voices = _source_counts(session, ids)
    rows = [(a, progress.get(a.id, Progress(0, 0)), voices.get(a.id, 0)) for a in articles]
    outlets = sorted(o for o in session.scalars(select(Article.outlet).distinct()) if o)
    return LibraryPage(rows, total, page, pages, outlets)


def _source_counts(session: Session, article_ids: list[int]) -> dict[int, int]:
    """How many different sources (not the reporter) each article quotes."""
    if not article_ids:
        return {}
    rows = session.execute(
        select(Sentence.article_id, func.count(func.distinct(Attribution.source_id)))
        .join(Attribution, Attribution.sentence_id == Sentence.id)
        .join(Source, Source.id == Attribution.source_id)
        .where(
            Sentence.article_id.in_(article_ids),
            Attribution.layer == FINAL_LAYER,
            Source.is_reporter.is_(False),
        )
        .group_by(Sentence.article_id)
    )
    return {article_id: count for article_id, count in rows}
