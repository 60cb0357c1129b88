"""Who may write where: status (draft, in review, approved), blind layers, sign-off."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import events
from app.auth import can
from app.models import FINAL_LAYER, Article, Assignment, User, utcnow


class ReviewProblem(ValueError):
    """A status change or an edit the article's state does not allow."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def assignees(session: Session, article: Article) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(Assignment, Assignment.user_id == User.id)
            .where(Assignment.article_id == article.id)
            .order_by(Assignment.id)
        )
    )


def viewing_layer(session: Session, article: Article, user: User) -> int:
    """A blind tagger sees only their own layer; everyone else the article's."""
    if article.blind and any(u.id == user.id for u in assignees(session, article)):
        return user.id
    return FINAL_LAYER


def writing_layer(session: Session, article: Article, user: User) -> int:
    """The layer this user's edits go to, or why they may not edit."""
    if article.status == "approved":
        raise ReviewProblem("This article is approved and read-only until an admin reopens it.")
    if article.status == "in_review" and not can(user.role, "reviewer"):
        raise ReviewProblem("This article is in review: only reviewers can change it now.")
    layer = viewing_layer(session, article, user)
    if article.blind and layer == FINAL_LAYER and not can(user.role, "reviewer"):
        raise ReviewProblem("This article is tagged blind by its two assigned editors.", 403)
    return layer


_MOVES = {
    "submit": ({"draft", "returned"}, "in_review", "editor"),
    "approve": ({"in_review"}, "approved", "reviewer"),
    "return": ({"in_review"}, "returned", "reviewer"),
    "reopen": ({"approved", "returned", "in_review"}, "draft", "admin"),
}


def move(session: Session, article: Article, action: str, *, user: User, note: str = "") -> None:
    """Change the article's review status, recording who did it and when."""
    allowed, target, role = _MOVES[action]
    if not can(user.role, role):
        raise ReviewProblem(f"Only a {role} can {action} an article.", 403)
    if article.status not in allowed:
        raise ReviewProblem(
            f"An article that is {article.status.replace('_', ' ')} cannot be "
            f"{'returned' if action == 'return' else action + 'd'}."
        )
    before = article.status
    article.status = target
    if action == "approve":
        article.approved_by, article.approved_at = user.label, utcnow()
    elif action == "reopen":
        article.approved_by, article.approved_at = "", None
    if action == "return":
        article.review_note = note.strip()[:2000]
    session.flush()
    events.record(
        session,
        actor=user.email,
        action="article.status",
        article_id=article.id,
        detail={"before": before, "after": target, "note": note.strip()[:2000]},
    )


def make_blind(session: Session, article: Article, taggers: list[User], *, user: User) -> None:
    """Have two editors tag the article independently, each in their own layer."""
    if len({t.id for t in taggers}) != 2:
        raise ReviewProblem("Choose two different editors.", 422)
    if any(not can(t.role, "editor") or not t.is_active for t in taggers):
        raise ReviewProblem("Both taggers must be active editors.", 422)
    for existing in session.scalars(select(Assignment).where(Assignment.article_id == article.id)):
        session.delete(existing)
    session.flush()
    for tagger in taggers:
        session.add(Assignment(article_id=article.id, user_id=tagger.id))
    article.blind = True
    session.flush()
    events.record(
        session,
        actor=user.email,
        action="article.blind",
        article_id=article.id,
        detail={"taggers": [t.email for t in taggers]},
    )
