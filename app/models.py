"""The tables: article, sentence, source, attribution, event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


SENTENCE_KINDS = ("body", "headline", "caption", "credit", "other")
SOURCE_KINDS = (
    "government",
    "military",
    "official",
    "politician",
    "expert",
    "ngo",
    "company",
    "court",
    "police",
    "media",
    "witness",
    "anonymous",
    "person",
    "other",
    "reporter",
)
MODES = ("direct", "indirect", "mixed")
ORIGINS = ("manual", "suggested")


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    published_at: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="article",
        order_by="Sentence.start",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Sentence(Base):
    __tablename__ = "sentence"
    __table_args__ = (
        UniqueConstraint("article_id", "start"),
        Index("ix_sentence_article_position", "article_id", "position"),
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    # 1-based reading order; renumbered after a split or merge.
    position: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="body")

    article: Mapped[Article] = relationship(back_populates="sentences")
    attributions: Mapped[list[Attribution]] = relationship(
        back_populates="sentence",
        order_by="Attribution.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint("hotkey IS NULL OR (hotkey >= 0 AND hotkey <= 9)", name="hotkey_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # casefolded name: the registry refuses "US State Department" twice in any casing
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    affiliation_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="SET NULL"))
    country: Mapped[str] = mapped_column(String(100), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    colour: Mapped[str] = mapped_column(String(7), default="#777777")
    hotkey: Mapped[int | None] = mapped_column(Integer, unique=True)
    # the one built-in row that stands for "reporter's own voice"
    is_reporter: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    affiliation: Mapped[Source | None] = relationship(remote_side=[id])


class Attribution(Base):
    __tablename__ = "attribution"
    __table_args__ = (UniqueConstraint("sentence_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentence.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)
    cue: Mapped[str] = mapped_column(String(100), default="")
    mode: Mapped[str] = mapped_column(String(20), default="")
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    editor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    sentence: Mapped[Sentence] = relationship(back_populates="attributions")
    source: Mapped[Source] = relationship(lazy="joined")


class Event(Base):
    """An append-only record of every change; undo replays it backwards as a new event."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", ondelete="SET NULL"), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # events written by one request share a batch: undo reverses a whole batch
    batch: Mapped[str] = mapped_column(String(32), index=True)
    # set on the events of an undo: the batch they reverse (rows are never updated)
    undoes_batch: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
