"""The tables: article, sentence, source, attribution, event, and the newsroom's users."""

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
ROLES = ("viewer", "editor", "reviewer", "admin")  # each role can do what the ones before can
STATUSES = ("draft", "in_review", "returned", "approved")
FINAL_LAYER = 0  # attributions everyone sees; blind taggers write to their own user id


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    published_at: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    # SHA-256 of the text with whitespace folded: the same article imported twice is noticed
    text_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    # 1 for the text first imported; each updated version imported over it adds one
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    review_note: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # blind double tagging: two assigned editors tag in their own layers
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
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
    words: Mapped[int] = mapped_column(Integer, default=0)
    # bumped by every change to the sentence or its attributions: stale writes get 409
    version: Mapped[int] = mapped_column(Integer, default=1)

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
    __table_args__ = (UniqueConstraint("sentence_id", "layer", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 0 = the article's attributions; a user id = that blind tagger's own (no index of its
    # own: too few values; the unique (sentence_id, layer, source_id) index serves lookups)
    layer: Mapped[int] = mapped_column(Integer, default=FINAL_LAYER)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentence.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)
    cue: Mapped[str] = mapped_column(String(100), default="")
    mode: Mapped[str] = mapped_column(String(20), default="")
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    # carried over from an earlier version of the article to a sentence that changed
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    editor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    sentence: Mapped[Sentence] = relationship(back_populates="attributions")
    source: Mapped[Source] = relationship(lazy="joined")


class Event(Base):
    """An append-only record of every change; undo replays it backwards as a new event."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # plain ids, no foreign keys: the log outlives what it describes and is never updated
    article_id: Mapped[int | None] = mapped_column(Integer, index=True)
    sentence_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # events written by one request share a batch: undo reverses a whole batch
    batch: Mapped[str] = mapped_column(String(32), index=True)
    # set on the events of an undo: the batch they reverse (rows are never updated)
    undoes_batch: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="editor")
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def label(self) -> str:
        return self.name or self.email


class UserSession(Base):
    """A signed-in browser: the cookie holds a random token, the row its SHA-256."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Invite(Base):
    """A one-time link to set a password: the first admin's, or a new user's."""

    __tablename__ = "invite"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the token
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="admin")
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """Failed sign-ins, by e-mail and by address, to slow down guessing."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Assignment(Base):
    """An editor assigned to tag a blind article in their own layer."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("article_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))


class Presence(Base):
    """Who has an article open right now (refreshed by the desk every few seconds)."""

    __tablename__ = "presence"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ArticleVersion(Base):
    """A text the article had before an updated version was imported over it."""

    __tablename__ = "article_version"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # the sentences and their final attributions as they were, and what the update did
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    """A personal token for the JSON API: the same permissions as its user; stored hashed."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
