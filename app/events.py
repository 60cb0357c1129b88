"""The change log: one row per change, written in the transaction that makes it."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from app.models import Event


def new_batch() -> str:
    return secrets.token_hex(8)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    detail: dict[str, Any],
    article_id: int | None = None,
    sentence_id: int | None = None,
    batch: str | None = None,
    undoes_batch: str | None = None,
) -> Event:
    """Append one event; nothing ever updates or deletes it."""
    event = Event(
        article_id=article_id,
        sentence_id=sentence_id,
        actor=actor,
        action=action,
        detail=detail,
        batch=batch or new_batch(),
        undoes_batch=undoes_batch,
    )
    session.add(event)
    return event
