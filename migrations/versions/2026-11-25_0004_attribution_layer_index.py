"""Drop the index on attribution.layer: it has two or three distinct values, and with it
SQLite's planner walked every attribution in the library to count one article's (the
desk's tally and panel after each tag). Without it, the unique (sentence_id, layer,
source_id) index serves those counts from the article's sentences.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribution_layer"))


def downgrade() -> None:
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attribution_layer"), ["layer"], unique=False)
