"""Initial schema: article, sentence, source, attribution, event; the reporter's own voice.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

REPORTER = "Reporter's own voice"


revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("affiliation_id", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("hotkey", sa.Integer(), nullable=True),
        sa.Column("is_reporter", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "hotkey IS NULL OR (hotkey >= 0 AND hotkey <= 9)", name=op.f("ck_source_hotkey_range")
        ),
        sa.ForeignKeyConstraint(
            ["affiliation_id"],
            ["source.id"],
            name=op.f("fk_source_affiliation_id_source"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("hotkey", name=op.f("uq_source_hotkey")),
        sa.UniqueConstraint("name_key", name=op.f("uq_source_name_key")),
    )
    source = sa.table(
        "source",
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("kind", sa.String),
        sa.column("country", sa.String),
        sa.column("aliases", sa.JSON),
        sa.column("colour", sa.String),
        sa.column("hotkey", sa.Integer),
        sa.column("is_reporter", sa.Boolean),
        sa.column("created_at", sa.DateTime),
    )
    # "Reporter's own voice" is an explicit choice, distinct from untagged: a built-in row on key 0.
    op.bulk_insert(
        source,
        [
            {
                "name": REPORTER,
                "name_key": REPORTER.casefold(),
                "kind": "reporter",
                "country": "",
                "aliases": [],
                "colour": "#6b7280",
                "hotkey": 0,
                "is_reporter": True,
                "created_at": dt.datetime(2026, 11, 25),
            }
        ],
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("sentence_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("undoes_batch", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_event_article_id_article"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_batch"), ["batch"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_undoes_batch"), ["undoes_batch"], unique=False)

    op.create_table(
        "sentence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_sentence_span")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_sentence_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentence")),
        sa.UniqueConstraint("article_id", "start", name=op.f("uq_sentence_article_id_start")),
    )
    with op.batch_alter_table("sentence", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sentence_article_position", ["article_id", "position"], unique=False
        )

    op.create_table(
        "attribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("cue", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("editor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["sentence.id"],
            name=op.f("fk_attribution_sentence_id_sentence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_attribution_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribution")),
        sa.UniqueConstraint(
            "sentence_id", "source_id", name=op.f("uq_attribution_sentence_id_source_id")
        ),
    )
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attribution_sentence_id"), ["sentence_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attribution_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribution_source_id"))
        batch_op.drop_index(batch_op.f("ix_attribution_sentence_id"))

    op.drop_table("attribution")
    with op.batch_alter_table("sentence", schema=None) as batch_op:
        batch_op.drop_index("ix_sentence_article_position")

    op.drop_table("sentence")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_undoes_batch"))
        batch_op.drop_index(batch_op.f("ix_event_batch"))
        batch_op.drop_index(batch_op.f("ix_event_article_id"))

    op.drop_table("event")
    op.drop_table("source")
    op.drop_table("article")
