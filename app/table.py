"""The attribution table: one row per sentence and attribution, as the exports carry it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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

Row = dict[str, Any]


def table_rows(session: Session, article: Article) -> list[Row]:
    """Return the article's rows in reading order; untagged sentences get an empty source."""
    sentences = session.scalars(
        select(Sentence)
        .where(Sentence.article_id == article.id)
        .order_by(Sentence.position)
        .options(
            selectinload(Sentence.attributions)
            .joinedload(Attribution.source)
            .joinedload(Source.affiliation)
        )
    )
    base = {
        "article_id": article.id,
        "article_title": article.title,
        "outlet": article.outlet,
        "published_at": article.published_at.isoformat() if article.published_at else "",
        "status": article.status,
        "approved_by": article.approved_by,
        "approved_at": article.approved_at.isoformat(timespec="seconds") + "Z"
        if article.approved_at
        else "",
    }
    rows: list[Row] = []
    text = article.text
    for sentence in sentences:
        common = {
            **base,
            "sentence_id": sentence.id,
            "paragraph": sentence.paragraph,
            "sentence": sentence.position,
            "kind": sentence.kind,
            "text": text[sentence.start : sentence.end],
            "start": sentence.start,
            "end": sentence.end,
        }
        final = [a for a in sentence.attributions if a.layer == FINAL_LAYER]
        if not final:
            rows.append({**common, **dict.fromkeys(SOURCE_COLUMNS, "")})
        for attribution in final:
            source = attribution.source
            rows.append(
                {
                    **common,
                    "source": source.name,
                    "source_id": source.id,
                    "source_kind": source.kind,
                    "source_colour": source.colour,
                    "affiliation": source.affiliation.name if source.affiliation else "",
                    "cue": attribution.cue,
                    "mode": attribution.mode,
                    "origin": attribution.origin,
                    "editor": attribution.editor,
                    "updated_at": attribution.updated_at.isoformat(timespec="seconds") + "Z",
                }
            )
    return rows
