"""What the JSON API takes and gives: its request and response models, and the functions
that turn stored rows into them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.models import FINAL_LAYER, Article, Sentence, Source
from app.routes import MAX_ID

# what a client sends is exactly what it may set: an unknown field (an id, an editor, a
# status, "is_admin") is refused with 422, not silently dropped (mass assignment, D3)
STRICT_INPUT = ConfigDict(extra="forbid")


class ArticleSummary(BaseModel):
    id: int
    title: str
    outlet: str
    url: str
    published_at: dt.date | None
    status: str
    version: int
    tagged: int
    sentences: int


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int
    page: int
    pages: int


class ArticleIn(BaseModel):
    model_config = STRICT_INPUT
    text: str = Field(min_length=1)
    title: str = Field(default="", max_length=500)
    outlet: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=2000)
    published_at: dt.date | None = None


class AttributionOut(BaseModel):
    source_id: int
    source: str
    cue: str
    mode: str
    origin: str
    editor: str
    needs_review: bool


class SentenceOut(BaseModel):
    id: int
    position: int
    paragraph: int
    start: int
    end: int
    kind: str
    text: str
    version: int
    attributions: list[AttributionOut]


class ArticleDetail(ArticleSummary):
    sentences_list: list[SentenceOut]


class TagsIn(BaseModel):
    model_config = STRICT_INPUT
    source_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=20)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class SuggestionOut(BaseModel):
    sentence_id: int
    kind: str
    source: str | None
    new_source: bool
    mention: list[int] | None
    cue: str | None
    mode: str | None
    confidence: float
    reason: str


class SourceOut(BaseModel):
    id: int
    name: str
    kind: str
    aliases: list[str]
    affiliation_id: int | None
    country: str
    hotkey: int | None


class SourceIn(BaseModel):
    model_config = STRICT_INPUT
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="other", max_length=20)
    aliases: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=50)
    affiliation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    country: str = Field(default="", max_length=100)


class RowsPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def summary_out(article: Article, tagged: int, total: int) -> ArticleSummary:
    return ArticleSummary(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published_at=article.published_at,
        status=article.status,
        version=article.version_number,
        tagged=tagged,
        sentences=total,
    )


def sentence_out(article: Article, s: Sentence, layer: int = FINAL_LAYER) -> SentenceOut:
    return SentenceOut(
        id=s.id,
        position=s.position,
        paragraph=s.paragraph,
        start=s.start,
        end=s.end,
        kind=s.kind,
        text=article.text[s.start : s.end],
        version=s.version,
        attributions=[
            AttributionOut(
                source_id=a.source_id,
                source=a.source.name,
                cue=a.cue,
                mode=a.mode,
                origin=a.origin,
                editor=a.editor,
                needs_review=a.needs_review,
            )
            for a in s.attributions
            if a.layer == layer
        ],
    )


def source_out(s: Source) -> SourceOut:
    return SourceOut(
        id=s.id,
        name=s.name,
        kind=s.kind,
        aliases=list(s.aliases or []),
        affiliation_id=s.affiliation_id,
        country=s.country,
        hotkey=s.hotkey,
    )
