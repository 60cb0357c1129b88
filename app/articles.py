"""Store and read articles and their sentences."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import distinct, func, insert, literal, select, union_all
from sqlalchemy.orm import Session, selectinload

from app import events
from app.importing import check_sentence_count
from app.models import FINAL_LAYER, Article, Attribution, Sentence
from app.segment import segment


@dataclass
class ArticleInput:
    title: str
    text: str
    outlet: str = ""
    url: str = ""
    published_at: dt.date | None = None


@dataclass
class Progress:
    tagged: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.tagged / self.total) if self.total else 0


def create_article(session: Session, data: ArticleInput, *, actor: str) -> Article:
    """Store the text exactly as given, with its sentences found by the segmenter (an
    ImportProblem if there are more than MAX_SENTENCES)."""
    segments = segment(data.text)
    check_sentence_count(len(segments))
    article = Article(
        title=data.title[:500],
        outlet=data.outlet[:200],
        url=data.url[:2000],
        published_at=data.published_at,
        text=data.text,
        text_hash=text_hash(data.text),
    )
    session.add(article)
    session.flush()
    rows = [
        {
            "article_id": article.id,
            "position": position,
            "paragraph": seg.paragraph,
            "start": seg.start,
            "end": seg.end,
            "kind": seg.kind,
            "words": count_words(data.text, seg.start, seg.end),
        }
        for position, seg in enumerate(segments, start=1)
    ]
    if rows:
        session.execute(insert(Sentence), rows)
    events.record(
        session,
        actor=actor,
        action="article.import",
        article_id=article.id,
        detail={"title": article.title, "sentences": len(rows), "characters": len(data.text)},
    )
    return article


def text_hash(text: str) -> str:
    """A fingerprint that ignores how the text was wrapped or spaced."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def count_words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def find_duplicate(session: Session, text: str) -> Article | None:
    """An article already stored with the same words, if any."""
    return session.scalars(select(Article).where(Article.text_hash == text_hash(text))).first()


def get_article(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def progress_by_article(
    session: Session, article_ids: list[int], layer: int = FINAL_LAYER
) -> dict[int, Progress]:
    if not article_ids:
        return {}
    tagged_sentence = (
        select(Attribution.sentence_id)
        .where(Attribution.sentence_id == Sentence.id, Attribution.layer == layer)
        .exists()
    )
    rows = session.execute(
        select(
            Sentence.article_id,
            func.count(Sentence.id),
            func.count(Sentence.id).filter(tagged_sentence),
        )
        .where(Sentence.article_id.in_(article_ids))
        .group_by(Sentence.article_id)
    )
    return {article_id: Progress(tagged, total) for article_id, total, tagged in rows}


def progress(session: Session, article_id: int, layer: int = FINAL_LAYER) -> Progress:
    return progress_by_article(session, [article_id], layer).get(article_id, Progress(0, 0))


def sentence_count(session: Session, article_id: int) -> int:
    return (
        session.scalar(select(func.count(Sentence.id)).where(Sentence.article_id == article_id))
        or 0
    )


def sentences_by_id(session: Session, ids: list[int]) -> list[Sentence]:
    """These sentences in reading order, with their attributions loaded."""
    query = (
        select(Sentence)
        .where(Sentence.id.in_(ids))
        .order_by(Sentence.position)
        .options(selectinload(Sentence.attributions))
    )
    return list(session.scalars(query))


def sentences(
    session: Session, article_id: int, *, offset: int = 0, limit: int | None = None
) -> list[Sentence]:
    """Return sentences in reading order with their attributions loaded."""
    query = (
        select(Sentence)
        .where(Sentence.article_id == article_id)
        .order_by(Sentence.position)
        .options(selectinload(Sentence.attributions))
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def get_sentence(session: Session, article_id: int, sentence_id: int) -> Sentence | None:
    sentence = session.get(Sentence, sentence_id)
    if sentence is None or sentence.article_id != article_id:
        return None
    return sentence


def tally(
    session: Session, article_id: int, layer: int = FINAL_LAYER
) -> tuple[Progress, dict[int, int]]:
    """The article's progress and how many sentences each source is attributed, in one
    statement (the desk's tally and panel after every tag)."""
    in_article = (
        select()
        .select_from(Attribution)
        .join(Sentence, Sentence.id == Attribution.sentence_id)
        .where(Sentence.article_id == article_id, Attribution.layer == layer)
    )
    per_source = in_article.add_columns(Attribution.source_id, func.count()).group_by(
        Attribution.source_id
    )
    tagged = in_article.add_columns(literal(-1), func.count(distinct(Attribution.sentence_id)))
    total = select(literal(-2), func.count()).where(Sentence.article_id == article_id)
    rows = session.execute(union_all(per_source, tagged, total))
    counts: dict[int, int] = {key: count for key, count in rows}
    progress = Progress(counts.pop(-1, 0), counts.pop(-2, 0))
    return progress, counts
