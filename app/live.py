"""Who has an article open, and what changed in it since a reader last looked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Event, Presence, User, utcnow

PRESENT_FOR = dt.timedelta(seconds=10)
# PostgreSQL can commit event ids out of order; look back this far so none is missed.
LOOK_BACK = 200


def touch(session: Session, article_id: int, user_id: int) -> None:
    """Mark this user as having the article open now."""
    row = session.get(Presence, (article_id, user_id))
    if row is None:
        session.add(Presence(article_id=article_id, user_id=user_id, seen_at=utcnow()))
    else:
        row.seen_at = utcnow()


def present(session: Session, article_id: int, *, besides: int) -> list[User]:
    """The other users who had the article open in the last few seconds."""
    since = utcnow() - PRESENT_FOR
    return list(
        session.scalars(
            select(User)
            .join(Presence, Presence.user_id == User.id)
            .where(Presence.article_id == article_id, Presence.seen_at >= since, User.id != besides)
            .order_by(User.email)
        )
    )


def last_event_id(session: Session) -> int:
    return session.scalar(select(func.max(Event.id))) or 0


def changed_since(
    session: Session, article_id: int, since: int, visible: set[int], *, reader: str
) -> tuple[set[int], bool]:
    """Sentence ids others changed after event ``since`` in the layers this reader sees, and
    whether sentences were split or merged (then the whole page is re-sent)."""
    # SQLite commits one writer at a time, so its ids arrive in order; PostgreSQL's may not.
    back = LOOK_BACK if session.get_bind().dialect.name != "sqlite" else 0
    rows = session.execute(
        select(Event.sentence_id, Event.action, Event.detail).where(
            Event.article_id == article_id,
            Event.id > max(0, since - back),
            Event.actor != reader,
        )
    )
    changed: set[int] = set()
    structural = False
    for sentence_id, action, detail in rows:
        if action in ("sentence.split", "sentence.merge"):
            structural = True
        layer = (detail or {}).get("layer", 0)
        if sentence_id is not None and layer in visible:
            changed.add(sentence_id)
    return changed, structural
