"""The attribution table: one row per sentence and attribution, for one article or many.

Rows come from one SQL query, filtered, sorted and paged, or streamed for exports. The
sentence text (and its prefix and suffix) is sliced from the article text in Python, each
article's text read once per request: slicing in SQL re-read the whole text for every row,
which made a 100,000-row export of long articles take 12 s before its first byte.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session, aliased

from app.models import FINAL_LAYER, Article, Attribution, Sentence, Source

COLUMNS = (
    "article_id",
    "article_title",
    "outlet",
    "published_at",
    "status",
    "approved_by",
    "approved_at",
    "paragraph",
    "sentence",
    "kind",
    "text",
    "start",
    "end",
    "source",
    "source_kind",
    "affiliation",
    "cue",
    "mode",
    "origin",
    "editor",
    "updated_at",
)
SOURCE_COLUMNS = COLUMNS[COLUMNS.index("source") :]
CONTEXT = 32  # characters of prefix and suffix for W3C text-quote selectors
Row = dict[str, Any]

Affiliation = aliased(Source)


@dataclass
class Filters:
    """What the cross-article table is narrowed to; every field is optional."""

    article_id: int | None = None
    source_ids: set[int] = field(default_factory=set)
    kind: str = ""
    outlet: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""
    cue: str = ""
    mode: str = ""
    sort: str = "date"
    descending: bool = True


SORTS = {
    "date": Article.published_at,
    "article": Article.title,
    "sentence": Sentence.position,
    "source": Source.name,
    "kind": Source.kind,
    "cue": Attribution.cue,
    "mode": Attribution.mode,
    "updated": Attribution.updated_at,
}


def rows_query(filters: Filters, *, include_untagged: bool = False) -> Select:
    """The rows as one query: untagged sentences too for one article's full table."""
    joined = and_(Attribution.sentence_id == Sentence.id, Attribution.layer == FINAL_LAYER)
    query = (
        select(
            Article.id.label("article_id"),
            Article.title.label("article_title"),
            Article.outlet,
            Article.url.label("article_url"),
            Article.published_at,
            Article.status,
            Article.approved_by,
            Article.approved_at,
            Sentence.id.label("sentence_id"),
            Sentence.paragraph,
            Sentence.position.label("sentence"),
            Sentence.kind,
            Sentence.start,
            Sentence.end,
            Source.id.label("source_id"),
            Source.name.label("source"),
            Source.kind.label("source_kind"),
            Affiliation.name.label("affiliation"),
            Attribution.cue,
            Attribution.mode,
            Attribution.origin,
            Attribution.editor,
            Attribution.updated_at,
            Attribution.needs_review,
        )
        .select_from(Sentence)
        .join(Article, Article.id == Sentence.article_id)
    )
    if include_untagged:
        query = query.outerjoin(Attribution, joined)
        query = query.outerjoin(Source, Source.id == Attribution.source_id)
    else:
        query = query.join(Attribution, joined).join(Source, Source.id == Attribution.source_id)
    query = query.outerjoin(Affiliation, Affiliation.id == Source.affiliation_id)
    return _filtered(query, filters)


def article_filtered(query: Select, f: Filters) -> Select:
    """``query`` kept to the articles the filters name (article, outlet, status, dates)."""
    if f.article_id is not None:
        query = query.where(Article.id == f.article_id)
    if f.outlet:
        query = query.where(Article.outlet == f.outlet)
    if f.date_from:
        query = query.where(Article.published_at >= f.date_from)
    if f.date_to:
        query = query.where(Article.published_at <= f.date_to)
    if f.status:
        query = query.where(Article.status == f.status)
    return query


def _filtered(query: Select, f: Filters) -> Select:
    query = article_filtered(query, f)
    if f.source_ids:
        query = query.where(Source.id.in_(f.source_ids))
    if f.kind:
        query = query.where(Source.kind == f.kind)
    if f.cue:
        query = query.where(func.lower(Attribution.cue) == f.cue.lower())
    if f.mode:
        query = query.where(Attribution.mode == f.mode)
    return query


def ordered(query: Select, f: Filters) -> Select:
    column = SORTS.get(f.sort, SORTS["date"])
    first = column.desc() if f.descending else column.asc()
    return query.order_by(first, Article.id, Sentence.position, Attribution.id)


class ArticleTexts:
    """Article texts by id for slicing sentences, each read once; at most ``limit``
    characters are kept (least recently used go first), so memory stays bounded."""

    def __init__(self, session: Session, limit: int = 16_000_000) -> None:
        self.session = session
        self.limit = limit
        self.held = 0
        self.texts: OrderedDict[int, str] = OrderedDict()

    def get(self, article_id: int) -> str:
        found = self.texts.get(article_id)
        if found is not None:
            self.texts.move_to_end(article_id)
            return found
        found = self.session.scalar(select(Article.text).where(Article.id == article_id)) or ""
        self.texts[article_id] = found
        self.held += len(found)
        while self.held > self.limit and len(self.texts) > 1:
            _, dropped = self.texts.popitem(last=False)
            self.held -= len(dropped)
        return found


def as_row(record: Any, texts: ArticleTexts) -> Row:
    row: Row = dict(record._mapping)
    whole = texts.get(row["article_id"])
    start, end = row["start"], row["end"]
    row["text"] = whole[start:end]
    row["prefix"] = whole[max(0, start - CONTEXT) : start]
    row["suffix"] = whole[end : end + CONTEXT]
    row["published_at"] = row["published_at"].isoformat() if row["published_at"] else ""
    row["approved_at"] = _stamp(row["approved_at"])
    row["updated_at"] = _stamp(row["updated_at"])
    for column in SOURCE_COLUMNS:
        if row.get(column) is None:
            row[column] = ""
    if row.get("source_id") is None:
        row["source_id"] = ""
    return row


def _stamp(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") + "Z" if value else ""


def table_rows(session: Session, article: Article) -> list[Row]:
    """One article's rows in reading order; untagged sentences get an empty source."""
    query = rows_query(Filters(article_id=article.id), include_untagged=True)
    query = query.order_by(Sentence.position, Attribution.id)
    texts = ArticleTexts(session)
    return [as_row(r, texts) for r in session.execute(query).all()]


def page_of_rows(session: Session, filters: Filters, *, page: int, per_page: int) -> list[Row]:
    query = ordered(rows_query(filters), filters).limit(per_page).offset((page - 1) * per_page)
    texts = ArticleTexts(session)
    return [as_row(r, texts) for r in session.execute(query).all()]


def count_rows(session: Session, filters: Filters) -> int:
    return session.scalar(select(func.count()).select_from(rows_query(filters).subquery())) or 0


def stream_rows(session: Session, query: Select) -> Iterator[Row]:
    """Rows one batch at a time from the database, so memory stays bounded."""
    texts = ArticleTexts(session)
    for record in session.execute(query.execution_options(yield_per=1000)):
        yield as_row(record, texts)


def with_affiliates(session: Session, source_id: int) -> set[int]:
    """A source and every source affiliated with it, however indirectly (its spokespeople)."""
    found = {source_id}
    frontier = {source_id}
    while frontier:
        frontier = set(
            session.scalars(
                select(Source.id).where(
                    Source.affiliation_id.in_(frontier), Source.id.not_in(found)
                )
            )
        )
        found |= frontier
    return found


def search_condition(session: Session, query: str) -> Any:
    """Articles whose title or text contain every word of ``query`` (full-text index)."""
    # NUL ends an FTS5 string early ("unterminated string"): a search never needs it
    words = [w for w in query.replace("\x00", " ").split() if w.strip('"')]
    if not words:
        return or_(False)
    if session.get_bind().dialect.name == "sqlite":
        # every word quoted: FTS5 syntax in a search box must not be able to break the query
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        matching: Select = (
            select(literal_column("rowid"))
            .select_from(text("article_fts"))
            .where(text("article_fts MATCH :match").bindparams(match=match))
        )
        return Article.id.in_(matching)
    vector = func.to_tsvector("simple", Article.title + " " + Article.text)
    return vector.op("@@")(func.plainto_tsquery("simple", " ".join(words)))
