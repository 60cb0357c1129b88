"""Import an updated version of an article over the old one; tags follow the sentences."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app import events
from app.articles import count_words, text_hash

__all__ = ["Outcome", "align", "compare", "text_hash", "update_article", "versions"]
from app.importing import check_sentence_count
from app.models import Article, ArticleVersion, Attribution, Sentence, utcnow
from app.segment import segment

NEAR = 0.8  # SequenceMatcher ratio from which an edited sentence is "the same one, changed"


@dataclass
class Outcome:
    """What an update did to the sentences and their tags."""

    version: int
    kept: int = 0  # unchanged sentences whose tags carried over
    changed: list[int] = field(default_factory=list)  # new positions flagged "needs review"
    removed: list[dict[str, Any]] = field(default_factory=list)  # old sentences gone, with tags
    added: list[int] = field(default_factory=list)  # new positions with nothing carried


def _key(text: str) -> str:
    return " ".join(text.split())


def update_article(session: Session, article: Article, new_text: str, *, actor: str) -> Outcome:
    """Keep the current text as a version, store the new one, carry tags to its sentences."""
    old_sentences = list(
        session.scalars(
            select(Sentence).where(Sentence.article_id == article.id).order_by(Sentence.position)
        )
    )
    old_text = article.text
    snapshot = _snapshot(old_text, old_sentences)
    session.add(
        ArticleVersion(
            article_id=article.id,
            number=article.version_number,
            text=old_text,
            snapshot=snapshot,
            created_by=actor,
        )
    )
    new_segments = segment(new_text)
    check_sentence_count(len(new_segments))
    new_keys = [_key(new_text[s.start : s.end]) for s in new_segments]
    old_keys = [_key(s["text"]) for s in snapshot["sentences"]]
    pairs = align(old_keys, new_keys)
    # the old rows go by one DELETE (cascading to their attributions); the session must
    # forget its copies, or a new row reusing an id would clash with a stale one
    for sentence in old_sentences:
        for attribution in sentence.attributions:
            session.expunge(attribution)
        session.expunge(sentence)
    session.execute(delete(Sentence).where(Sentence.article_id == article.id))
    session.flush()
    article.text = new_text
    article.text_hash = text_hash(new_text)
    article.version_number += 1
    article.updated_at = utcnow()
    outcome = Outcome(version=article.version_number)
    session.execute(
        insert(Sentence),
        [
            {
                "article_id": article.id,
                "position": i,
                "paragraph": s.paragraph,
                "start": s.start,
                "end": s.end,
                "kind": s.kind,
                "words": count_words(new_text, s.start, s.end),
            }
            for i, s in enumerate(new_segments, start=1)
        ],
    )
    new_ids = {
        position: sentence_id
        for position, sentence_id in session.execute(
            select(Sentence.position, Sentence.id).where(Sentence.article_id == article.id)
        )
    }
    matched_old = set()
    for new_index, (old_index, exact) in pairs.items():
        matched_old.add(old_index)
        tags = snapshot["sentences"][old_index]["tags"]
        if exact:
            outcome.kept += 1 if tags else 0
        elif tags:
            outcome.changed.append(new_index + 1)
        for tag in tags:
            session.add(
                Attribution(sentence_id=new_ids[new_index + 1], needs_review=not exact, **tag)
            )
    for old_index, sentence in enumerate(snapshot["sentences"]):
        if old_index not in matched_old and sentence["tags"]:
            outcome.removed.append(
                {
                    "position": sentence["position"],
                    "text": sentence["text"],
                    "sources": [t["source_id"] for t in sentence["tags"]],
                }
            )
    outcome.added = [i + 1 for i in range(len(new_segments)) if i not in pairs]
    session.flush()
    events.record(
        session,
        actor=actor,
        action="article.version",
        article_id=article.id,
        detail={
            "version": article.version_number,
            "kept": outcome.kept,
            "changed": outcome.changed,
            "removed": outcome.removed,
            "added": outcome.added,
        },
    )
    return outcome


def _snapshot(text: str, sentences: list[Sentence]) -> dict[str, Any]:
    return {
        "sentences": [
            {
                "position": s.position,
                "paragraph": s.paragraph,
                "kind": s.kind,
                "text": text[s.start : s.end],
                "tags": [
                    {
                        "source_id": a.source_id,
                        "layer": a.layer,
                        "cue": a.cue,
                        "mode": a.mode,
                        "origin": a.origin,
                        "editor": a.editor,
                    }
                    for a in s.attributions
                ],
            }
            for s in sentences
        ]
    }


def align(old: list[str], new: list[str]) -> dict[int, tuple[int, bool]]:
    """Map new sentence indexes to old ones: exact matches first, then near-identical ones."""
    pairs: dict[int, tuple[int, bool]] = {}
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            pairs[block.b + k] = (block.a + k, True)
    used = {o for o, _ in pairs.values()}
    for new_index, sentence in enumerate(new):
        if new_index in pairs:
            continue
        best, best_ratio = None, NEAR
        for old_index, candidate in enumerate(old):
            if old_index in used:
                continue
            ratio = difflib.SequenceMatcher(a=candidate, b=sentence, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = old_index, ratio
        if best is not None:
            pairs[new_index] = (best, False)
            used.add(best)
    return pairs


def versions(session: Session, article: Article) -> list[ArticleVersion]:
    return list(
        session.scalars(
            select(ArticleVersion)
            .where(ArticleVersion.article_id == article.id)
            .order_by(ArticleVersion.number)
        )
    )


@dataclass
class Side:
    """One row of a side-by-side comparison."""

    old: str | None
    new: str | None
    state: str  # same, changed, removed, added


def compare(old_text: list[str], new_text: list[str]) -> list[Side]:
    """Line up two versions' sentences for reading side by side."""
    pairs = align([_key(t) for t in old_text], [_key(t) for t in new_text])
    by_old = {o: (n, exact) for n, (o, exact) in pairs.items()}
    rows: list[Side] = []
    next_new = 0
    for old_index, old in enumerate(old_text):
        if old_index in by_old:
            new_index, exact = by_old[old_index]
            while next_new < new_index:
                if next_new not in pairs:
                    rows.append(Side(None, new_text[next_new], "added"))
                next_new += 1
            rows.append(Side(old, new_text[new_index], "same" if exact else "changed"))
            next_new = max(next_new, new_index + 1)
        else:
            rows.append(Side(old, None, "removed"))
    for index in range(next_new, len(new_text)):
        if index not in pairs:
            rows.append(Side(None, new_text[index], "added"))
    return rows
