"""Library, versions, API tokens: full-text search over articles (SQLite FTS5, PostgreSQL
GIN), word counts, duplicate detection, article versions, needs-review flags, API tokens.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_api_token_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "article_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_article_version_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_version")),
        sa.UniqueConstraint(
            "article_id", "number", name=op.f("uq_article_version_article_id_number")
        ),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("text_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("version_number", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.create_index(batch_op.f("ix_article_text_hash"), ["text_hash"], unique=False)

    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("sentence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("words", sa.Integer(), nullable=False, server_default="0"))

    _backfill()
    _full_text_search()


def _backfill() -> None:
    """Word counts and text hashes for what was imported before this revision."""
    bind = op.get_bind()
    for article_id, text in bind.execute(sa.text("SELECT id, text FROM article")).all():
        folded = " ".join(text.split())
        bind.execute(
            sa.text("UPDATE article SET text_hash = :h WHERE id = :i"),
            {"h": hashlib.sha256(folded.encode()).hexdigest(), "i": article_id},
        )
        rows = bind.execute(
            sa.text('SELECT id, start, "end" FROM sentence WHERE article_id = :i'),
            {"i": article_id},
        ).all()
        for sentence_id, start, end in rows:
            bind.execute(
                sa.text("UPDATE sentence SET words = :w WHERE id = :i"),
                {"w": len(text[start:end].split()), "i": sentence_id},
            )


def _full_text_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='article', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")
        op.execute(
            "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN "
            "INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN "
            "INSERT INTO article_fts(article_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER article_fts_update AFTER UPDATE OF title, text ON article BEGIN "
            "INSERT INTO article_fts(article_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); "
            "INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
        )
        return
    op.execute(
        "CREATE INDEX ix_article_search ON article USING gin "
        "(to_tsvector('simple', title || ' ' || text))"
    )


def _drop_full_text_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS article_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS article_fts")
        return
    op.execute("DROP INDEX IF EXISTS ix_article_search")


def downgrade() -> None:
    _drop_full_text_search()
    with op.batch_alter_table("sentence", schema=None) as batch_op:
        batch_op.drop_column("words")

    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.drop_column("needs_review")

    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_text_hash"))
        batch_op.drop_column("version_number")
        batch_op.drop_column("text_hash")

    op.drop_table("article_version")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
